//! gaoxin's use cases: one function for each thing a person (or the console) does, taking an
//! [`Acting`] context — the store, the plan in force, who is acting and from where, the time —
//! and returning what a page, the API or a command shows, or a typed [`Refusal`]. Rights are
//! asked of core once per use case, here; every refusal is audited here, by [`Acting::refuse`].
//! The web handlers and the CLI commands only read their input, call one of these and lay out
//! the result.
//!
//! Modules follow the domains, with the names they have in every layer (see the glossary in
//! ARCHITECTURE.md): [`monitor`] (指标监测), [`ledger`] (台账), [`dispatch`] (任务调度: the task
//! board), [`bulletin`] (调度通报), [`screen`] (数据大屏).

// serde_json's json! nests deeply for the benchmarking analysis' JSON.
#![recursion_limit = "256"]

pub mod benchmarking;
pub mod bulletin;
pub mod dispatch;
pub mod ledger;
mod messages;
pub mod monitor;
pub mod screen;
pub mod workbench;

use gaoxin_core::Plan;
use gaoxin_core::auth::Who;
use gaoxin_core::time::Timestamp;
use gaoxin_store::{Account, Store, StoreError};

/// Who is acting, on what, when.
#[derive(Debug, Clone, Copy)]
pub struct Acting<'a> {
    /// The store, sealing with the audit key and recording the actor's address.
    pub store: &'a Store,
    /// The plan in force.
    pub plan: &'a Plan,
    /// The signed-in account; `None` at the console, which the rights do not bind.
    pub account: Option<&'a Account>,
    pub now: Timestamp,
}

impl<'a> Acting<'a> {
    /// An account acting (through the web or the API).
    pub fn account(store: &'a Store, plan: &'a Plan, account: &'a Account, now: Timestamp) -> Self {
        Acting {
            store,
            plan,
            account: Some(account),
            now,
        }
    }

    /// The operator at the console (the CLI): every record, no rights asked.
    pub fn console(store: &'a Store, plan: &'a Plan, now: Timestamp) -> Self {
        Acting {
            store,
            plan,
            account: None,
            now,
        }
    }

    /// The account as core's rules take it; `None` at the console.
    pub fn who(&self) -> Option<Who<'a>> {
        self.account.map(Account::who)
    }

    /// Refuses, and records the refusal in the audit log (a failure to record it is logged,
    /// and the refusal still stands).
    pub async fn refuse(&self, refusal: Refusal) -> Error {
        let actor = self.store.actor_for(self.account);
        let target = refusal.target().to_string();
        if let Err(e) = self
            .store
            .audit_refusal(&actor, "authz.denied", target, self.now)
            .await
        {
            tracing::error!(error = %e, "could not audit a refusal");
        }
        Error::Refused(refusal)
    }
}

/// Why a use case did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The account may not do this at all (`target` names what was asked for).
    Forbidden { target: String },
    /// A record outside the account's scope: answered as one that does not exist.
    Hidden { target: String },
}

impl Refusal {
    pub fn target(&self) -> &str {
        match self {
            Refusal::Forbidden { target } | Refusal::Hidden { target } => target,
        }
    }
}

/// A use case's failure: refused (and audited), or the store failed.
#[derive(Debug, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum Error {
    Refused(Refusal),
    Store(#[from] StoreError),
}
