//! 发件箱 — reminders beyond the app: each account's e-mail address, each unit's group-robot
//! webhook, and the messages waiting to go out. An inbox message is queued here in the same
//! transaction; the server's sender (`gaoxin-notify`) takes what is due, and records success or
//! the error with the next attempt's time.

use crate::Store;
use crate::audit::Change;
use crate::error::StoreError;
use gaoxin_core::time::Timestamp;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeSet;

/// How often a message is tried before it is given up.
pub const MAX_ATTEMPTS: i64 = 5;

/// A message to write: to the inboxes, and out to the channels beyond the app.
pub(crate) struct Message<'a> {
    pub notice: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
}

/// A message waiting to go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub id: i64,
    /// `email` or `webhook`.
    pub channel: String,
    /// The address or the URL.
    pub target: String,
    pub subject: String,
    pub body: String,
    /// The page the message is about (a path on this server).
    pub link: String,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Queues `m` for the accounts' e-mail addresses and, once per unit, for the units' webhooks.
pub(crate) async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    ids: &BTreeSet<i64>,
    m: &Message<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let mut units = BTreeSet::new();
    let mut targets: Vec<(&str, String)> = Vec::new();
    for id in ids {
        let Some(row) =
            sqlx::query("SELECT email, unit_key, email_notices FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        else {
            continue;
        };
        // Each person chose which notices follow them by e-mail.
        let choice = gaoxin_core::notices::EmailChoice::parse(&row.try_get::<String, _>(2)?)
            .unwrap_or_default();
        if let Some(email) = row.try_get::<Option<String>, _>(0)?
            && choice.sends(m.notice)
        {
            targets.push(("email", email));
        }
        units.insert(row.try_get::<String, _>(1)?);
    }
    for unit in units {
        if let Some(row) = sqlx::query("SELECT url FROM unit_webhooks WHERE unit_key = $1")
            .bind(&unit)
            .fetch_optional(&mut **tx)
            .await?
        {
            targets.push(("webhook", row.try_get(0)?));
        }
    }
    for (channel, target) in targets {
        sqlx::query(
            "INSERT INTO outbox (channel, target, subject, body, link, created_at, next_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(channel)
        .bind(&target)
        .bind(m.title)
        .bind(m.body)
        .bind(m.link)
        .bind(now.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn outgoing_of(row: &sqlx::any::AnyRow) -> Result<Outgoing, StoreError> {
    Ok(Outgoing {
        id: row.try_get(0)?,
        channel: row.try_get(1)?,
        target: row.try_get(2)?,
        subject: row.try_get(3)?,
        body: row.try_get(4)?,
        link: row.try_get(5)?,
        attempts: row.try_get(6)?,
        sent_at: row.try_get(7)?,
        last_error: row.try_get(8)?,
    })
}

const OUT_COLUMNS: &str = "id, channel, target, subject, body, link, attempts, sent_at, last_error";

impl Store {
    /// Sets (or with `None` clears) an account's e-mail address for reminders.
    pub async fn set_account_email(
        &self,
        username: &str,
        email: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE accounts SET email = $1 WHERE username = $2")
            .bind(email)
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            return Err(StoreError::NoSuchAccount {
                username: username.to_string(),
            });
        }
        let change = Change::new("notify.email", format!("account:{username}"))
            .after(serde_json::json!({ "email": email }));
        self.seal(&mut tx, None, change, crate::now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or with `None` clears) a unit's group-robot webhook.
    pub async fn set_unit_webhook(&self, unit: &str, url: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM unit_webhooks WHERE unit_key = $1")
            .bind(unit)
            .execute(&mut *tx)
            .await?;
        if let Some(url) = url {
            sqlx::query("INSERT INTO unit_webhooks (unit_key, url) VALUES ($1, $2)")
                .bind(unit)
                .bind(url)
                .execute(&mut *tx)
                .await?;
        }
        let change = Change::new("notify.webhook", format!("unit:{unit}"))
            .after(serde_json::json!({ "url": url }));
        self.seal(&mut tx, None, change, crate::now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Messages due to be tried at `now`, oldest first.
    pub async fn outbox_due(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {OUT_COLUMNS} FROM outbox \
             WHERE sent_at IS NULL AND attempts < $1 AND next_at <= $2 ORDER BY id LIMIT $3"
        ))
        .bind(MAX_ATTEMPTS)
        .bind(now.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outgoing_of).collect()
    }

    /// Every queued message, newest first (for the console and tests).
    pub async fn outbox(&self, limit: i64) -> Result<Vec<Outgoing>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {OUT_COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outgoing_of).collect()
    }

    /// Records the outcome of one try: sent, or the error and when to try again (after 1, 2, 4,
    /// 8 minutes; given up after [`MAX_ATTEMPTS`]).
    pub async fn outbox_result(
        &self,
        id: i64,
        result: Result<(), String>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        match result {
            Ok(()) => {
                sqlx::query(
                    "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL \
                     WHERE id = $2",
                )
                .bind(now.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Err(e) => {
                let attempts: i64 = sqlx::query("SELECT attempts FROM outbox WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
                let wait = 60 * (1_i64 << attempts.clamp(0, 10));
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_at = $2 \
                     WHERE id = $3",
                )
                .bind(e.chars().take(500).collect::<String>())
                .bind(now.0 + wait)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
