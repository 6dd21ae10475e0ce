//! 三员的页面 — the three administrators' pages: accounts (系统管理员), roles (安全管理员) and
//! the audit log with its export (审计管理员). None of them shows business data.

use crate::auth::{ConnectInfoOr, SignedIn};
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::i18n::{Lang, Tr};
use crate::{AppState, assets};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_core::audit::AuditEvent;
use gaoxin_core::auth::password;
use gaoxin_core::auth::{Capability, RoleKind, allows, check_username};
use gaoxin_core::text::{Message, Name};
use gaoxin_store::{
    Account, Actor, AuditFilter, AuditRecord, NewAccount, SecurityPolicy, Session, StoreError,
};
use serde::Deserialize;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    Routes::new()
        .get(
            "/admin/accounts",
            Access::Needs(Capability::ManageAccounts),
            accounts,
        )
        .post(
            "/admin/accounts",
            Access::Needs(Capability::ManageAccounts),
            create_account,
        )
        .post(
            "/admin/accounts/{name}",
            Access::Needs(Capability::ManageAccounts),
            account_action,
        )
        .get(
            "/admin/roles",
            Access::Needs(Capability::ManageSecurity),
            roles,
        )
        .post(
            "/admin/roles/{name}",
            Access::Needs(Capability::ManageSecurity),
            set_roles,
        )
        .get(
            "/admin/policy",
            Access::Needs(Capability::ManageSecurity),
            policy,
        )
        .post(
            "/admin/policy",
            Access::Needs(Capability::ManageSecurity),
            set_policy,
        )
        .get("/audit", Access::Needs(Capability::ReadAudit), audit)
        .get(
            "/audit/export",
            Access::Needs(Capability::ReadAudit),
            audit_export,
        )
}

/// A link in the administrators' navigation, shown to whoever has its capability.
pub struct AdminLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub fn admin_nav(t: Tr, roles: &[RoleKind], current: &str) -> Vec<AdminLink> {
    let mut out = vec![AdminLink {
        href: "/account",
        label: t.account_title(),
        current: current == "/account",
    }];
    let links = [
        (
            Capability::ManageAccounts,
            "/admin/accounts",
            t.admin_accounts(),
        ),
        (Capability::ManageSecurity, "/admin/roles", t.admin_roles()),
        (
            Capability::ManageSecurity,
            "/admin/policy",
            t.admin_policy(),
        ),
        (Capability::ReadAudit, "/audit", t.audit_title()),
    ];
    for (cap, href, label) in links {
        if allows(roles, cap) {
            out.push(AdminLink {
                href,
                label,
                current: current == href,
            });
        }
    }
    out
}

fn role_names(lang: Lang, roles: &[RoleKind]) -> String {
    roles
        .iter()
        .map(|r| r.name(lang.into()))
        .collect::<Vec<_>>()
        .join(if lang == Lang::Zh { "、" } else { ", " })
}

struct AccountRow {
    username: String,
    full_name: String,
    phone: String,
    unit_name: String,
    roles: String,
    role_codes: Vec<&'static str>,
    disabled: bool,
    totp: bool,
    me: bool,
    /// An administrator: changed only at the console (三员分立).
    console_only: bool,
}

/// Accounts as table rows, units by their names in the current plan.
async fn rows(state: &AppState, lang: Lang, accounts: Vec<Account>, me: &str) -> Vec<AccountRow> {
    let plan = state.plan().await.ok();
    let unit_name = |id: &str| {
        plan.as_ref()
            .and_then(|p| p.plan.department(id))
            .map_or_else(|| id.to_string(), |d| d.name.clone())
    };
    accounts
        .into_iter()
        .map(|a| AccountRow {
            unit_name: unit_name(&a.unit),
            roles: role_names(lang, &a.roles),
            role_codes: a.roles.iter().map(|r| r.code()).collect(),
            disabled: a.disabled,
            totp: a.totp_enabled,
            me: a.username == me,
            console_only: gaoxin_core::auth::may_change_account(
                gaoxin_core::auth::Changer::Administrator,
                &a.roles,
                None,
            )
            .is_err(),
            full_name: a.full_name,
            phone: a.phone,
            username: a.username,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage {
    t: Tr,
    lang: Lang,
    css: String,
    csrf: String,
    nav: Vec<AdminLink>,
    accounts: Vec<AccountRow>,
    units: Vec<(String, String)>,
    /// After creating an account: its name and one-time password, shown this once.
    /// An account created, or a password reset: its name, the one-time password (shown once),
    /// and whether it was a reset.
    created: Option<(String, String, bool)>,
    error: Option<String>,
}

async fn accounts_response(
    state: &AppState,
    lang: Lang,
    session: &Session,
    status: StatusCode,
    created: Option<(String, String, bool)>,
    error: Option<String>,
) -> Response {
    let t = Tr { lang };
    let accounts = match state.store.accounts().await {
        Ok(a) => a,
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let units = match state.plan().await {
        Ok(p) => p
            .plan
            .departments
            .iter()
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect(),
        Err(e) => return e.page(lang).into_response(),
    };
    let p = AccountsPage {
        t,
        lang,
        css: assets::url("app.css"),
        csrf: session.csrf_token.clone(),
        nav: admin_nav(t, &session.account.roles, "/admin/accounts"),
        accounts: rows(state, lang, accounts, &session.account.username).await,
        units,
        created,
        error,
    };
    crate::pages::respond(lang, status, &p)
}

/// `GET /admin/accounts` (系统管理员).
pub async fn accounts(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
) -> Response {
    accounts_response(&state, lang, &session, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct NewAccountForm {
    username: String,
    unit: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    phone: String,
}

fn store_message(lang: Lang, e: &StoreError) -> String {
    e.say(lang.into())
}

/// `POST /admin/accounts`: a new account without roles (the security administrator assigns
/// them) and a one-time password, shown once.
pub async fn create_account(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    crate::extract::Form(f): crate::extract::Form<NewAccountForm>,
) -> Response {
    let username = f.username.trim().to_string();
    if let Err(e) = check_username(&username) {
        let msg = e.say(lang.into());
        return accounts_response(
            &state,
            lang,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(msg.to_string()),
        )
        .await;
    }
    if let Err(e) = gaoxin_core::auth::check_profile(&f.full_name, &f.phone) {
        return accounts_response(
            &state,
            lang,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(e.say(lang.into())),
        )
        .await;
    }
    let known = state
        .plan()
        .await
        .is_ok_and(|p| p.plan.department(&f.unit).is_some());
    if !known {
        return accounts_response(
            &state,
            lang,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(Tr { lang }.admin_unknown_unit().to_string()),
        )
        .await;
    }
    let secret = gaoxin_store::random::one_time_password()
        .and_then(|p| gaoxin_store::random::bytes::<16>().map(|s| (p, s)));
    let Ok((otp, salt)) = secret else {
        return WebError::from(StoreError::Random("getrandom".into()))
            .page(lang)
            .into_response();
    };
    let Ok(hash) = password::hash(&otp, &salt) else {
        return WebError::from(StoreError::Random("argon2".into()))
            .page(lang)
            .into_response();
    };
    let new = NewAccount {
        username: username.clone(),
        unit: f.unit,
        roles: Vec::new(),
        password_hash: hash,
        must_change_password: true,
        full_name: f.full_name,
        phone: f.phone,
    };
    let actor = Actor::of(&session.account, &ip);
    match state
        .store
        .create_account(&state.key, &actor, &new, state.now())
        .await
    {
        Ok(_) => {
            accounts_response(
                &state,
                lang,
                &session,
                StatusCode::OK,
                Some((username, otp, false)),
                None,
            )
            .await
        }
        Err(e @ StoreError::AccountExists { .. }) => {
            accounts_response(
                &state,
                lang,
                &session,
                StatusCode::CONFLICT,
                None,
                Some(store_message(lang, &e)),
            )
            .await
        }
        Err(e) => WebError::from(e).page(lang).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct AccountAction {
    action: String,
    /// `profile`: the 姓名 and phone to set.
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    phone: String,
}

/// A fresh one-time password and its hash, or why none could be made.
fn one_time() -> Result<(String, String), WebError> {
    let (otp, salt) = gaoxin_store::random::one_time_password()
        .and_then(|p| gaoxin_store::random::bytes::<16>().map(|s| (p, s)))
        .map_err(|_| WebError::from(StoreError::Random("getrandom".into())))?;
    let hash = password::hash(&otp, &salt)
        .map_err(|_| WebError::from(StoreError::Random("argon2".into())))?;
    Ok((otp, hash))
}

/// `POST /admin/accounts/{name}`: `action=disable`, `action=delete` or `action=reset_password`
/// (a forgotten password: a one-time password shown once, changed at the next sign-in).
pub async fn account_action(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    Path(name): Path<String>,
    crate::extract::Form(f): crate::extract::Form<AccountAction>,
) -> Response {
    let actor = Actor::of(&session.account, &ip);
    if name == session.account.username {
        return accounts_response(
            &state,
            lang,
            &session,
            StatusCode::FORBIDDEN,
            None,
            Some(Tr { lang }.admin_not_self().to_string()),
        )
        .await;
    }
    let now = state.now();
    let target = match state.store.account(&name).await {
        Ok(t) => t,
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    // Deleting is for disabled accounts only: one slip of the mouse cannot delete an account.
    // (An administrator's account is refused by the store whatever its state, below.)
    if f.action == "delete" {
        let disabled_or_admin = target
            .as_ref()
            .is_some_and(|a| a.disabled || a.roles.iter().any(|r| r.is_admin()));
        if !disabled_or_admin {
            let msg = Tr { lang }.admin_disable_first().to_string();
            return accounts_response(
                &state,
                lang,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(msg),
            )
            .await;
        }
    }
    let mut reset = None;
    let result = match f.action.as_str() {
        "reset_password" => match one_time() {
            Ok((otp, hash)) => {
                let r = state
                    .store
                    .reset_password(&state.key, &actor, &name, &hash, now)
                    .await;
                reset = Some(otp);
                r
            }
            Err(e) => return e.page(lang).into_response(),
        },
        "disable" => state
            .store
            .disable_account(&state.key, &actor, &name, now)
            .await
            .map(|_| ()),
        "profile" => state
            .store
            .set_profile(&state.key, &actor, &name, &f.full_name, &f.phone, now)
            .await
            .map(|_| ()),
        "delete" => {
            state
                .store
                .delete_account(&state.key, &actor, &name, now)
                .await
        }
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match result {
        Ok(()) => match reset {
            Some(otp) => {
                accounts_response(
                    &state,
                    lang,
                    &session,
                    StatusCode::OK,
                    Some((name, otp, true)),
                    None,
                )
                .await
            }
            None => Redirect::to("/admin/accounts").into_response(),
        },
        Err(e @ StoreError::AdminAtConsole(_)) => {
            crate::auth::audit_denial(&state, actor, "authz.denied", format!("account:{name}"))
                .await;
            accounts_response(
                &state,
                lang,
                &session,
                StatusCode::FORBIDDEN,
                None,
                Some(store_message(lang, &e)),
            )
            .await
        }
        Err(
            e @ (StoreError::NoSuchAccount { .. }
            | StoreError::AlreadyDisabled { .. }
            | StoreError::InvalidProfile(_)),
        ) => {
            accounts_response(
                &state,
                lang,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(store_message(lang, &e)),
            )
            .await
        }
        Err(e) => WebError::from(e).page(lang).into_response(),
    }
}

#[derive(Template)]
#[template(path = "admin_roles.html")]
struct RolesPage {
    t: Tr,
    lang: Lang,
    css: String,
    csrf: String,
    nav: Vec<AdminLink>,
    accounts: Vec<AccountRow>,
    all_roles: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

async fn roles_response(
    state: &AppState,
    lang: Lang,
    session: &Session,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let t = Tr { lang };
    let accounts = match state.store.accounts().await {
        Ok(a) => a,
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let p = RolesPage {
        t,
        lang,
        css: assets::url("app.css"),
        csrf: session.csrf_token.clone(),
        nav: admin_nav(t, &session.account.roles, "/admin/roles"),
        accounts: rows(state, lang, accounts, &session.account.username).await,
        // The administrator roles are given at the console only.
        all_roles: RoleKind::ALL
            .iter()
            .filter(|r| !r.is_admin())
            .map(|r| (r.code(), r.name(lang.into())))
            .collect(),
        error,
    };
    crate::pages::respond(lang, status, &p)
}

/// `GET /admin/roles` (安全管理员).
pub async fn roles(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
) -> Response {
    roles_response(&state, lang, &session, StatusCode::OK, None).await
}

/// `POST /admin/roles/{name}`: the account's roles become exactly the `role` fields sent.
pub async fn set_roles(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    Path(name): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let roles: Vec<RoleKind> = pairs
        .iter()
        .filter(|(k, _)| k == "role")
        .filter_map(|(_, v)| RoleKind::parse(v))
        .collect();
    let actor = Actor::of(&session.account, &ip);
    match state
        .store
        .set_roles(&state.key, &actor, &name, &roles, state.now())
        .await
    {
        Ok(_) => Redirect::to("/admin/roles").into_response(),
        Err(StoreError::OwnRoles) => {
            crate::auth::audit_denial(&state, actor, "authz.denied", format!("account:{name}"))
                .await;
            roles_response(
                &state,
                lang,
                &session,
                StatusCode::FORBIDDEN,
                Some(Tr { lang }.admin_not_self().to_string()),
            )
            .await
        }
        Err(e @ StoreError::AdminAtConsole(_)) => {
            crate::auth::audit_denial(&state, actor, "authz.denied", format!("account:{name}"))
                .await;
            roles_response(
                &state,
                lang,
                &session,
                StatusCode::FORBIDDEN,
                Some(store_message(lang, &e)),
            )
            .await
        }
        Err(e @ (StoreError::InvalidRoles(_) | StoreError::NoSuchAccount { .. })) => {
            roles_response(
                &state,
                lang,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(store_message(lang, &e)),
            )
            .await
        }
        Err(e) => WebError::from(e).page(lang).into_response(),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    unit: String,
    /// The page after this event (older).
    #[serde(default)]
    before: String,
}

impl AuditQuery {
    /// Dates are days in +08:00; empty fields filter nothing.
    fn filter(&self, limit: i64) -> AuditFilter {
        let day = |d: &str| {
            let d = d.trim();
            (d.len() == 10 && d.chars().all(|c| c.is_ascii_digit() || c == '-'))
                .then(|| d.to_string())
        };
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        AuditFilter {
            from: day(&self.from).map(|d| format!("{d}T00:00:00+08:00")),
            to: day(&self.to).map(|d| format!("{d}T23:59:59+08:00")),
            account: text(&self.account),
            action: text(&self.action),
            unit: text(&self.unit),
            limit,
            before: self.before.trim().parse().ok(),
        }
    }

    /// The fields set, as a query string.
    fn query_string(&self) -> String {
        let fields = [
            ("from", &self.from),
            ("to", &self.to),
            ("account", &self.account),
            ("action", &self.action),
            ("unit", &self.unit),
            ("before", &self.before),
        ];
        let set: Vec<&(&str, &String)> = fields.iter().filter(|(_, v)| !v.is_empty()).collect();
        serde_urlencoded::to_string(set).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    lang: Lang,
    css: String,
    csrf: String,
    nav: Vec<AdminLink>,
    q: AuditQuery,
    export: String,
    events: Vec<AuditEvent>,
    /// "Newest first, N to a page …".
    shown: String,
    /// The first page, when this is a later one.
    newest: Option<String>,
    /// The next page (older events), when there is one.
    older: Option<String>,
    /// How far people not signed in can grow the log.
    bounds: String,
}

/// An event's time as people read it: `2026-12-03T02:06:31+08:00` shows as
/// `2026-12-03 02:06:31` (Beijing time, as every time gaoxin shows); another offset stays.
pub(crate) fn shown_at(at: &str) -> String {
    let at = at.replacen('T', " ", 1);
    match at.strip_suffix("+08:00") {
        Some(local) => local.to_string(),
        None => at,
    }
}

/// How many events a page shows; the export has them all.
const PAGE_LIMIT: i64 = 100;

/// `GET /audit` (审计管理员).
pub async fn audit(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Query(q): Query<AuditQuery>,
) -> Response {
    let t = Tr { lang };
    // One more than the page: whether an older page exists.
    let mut events = match state.store.audit_events(&q.filter(PAGE_LIMIT + 1)).await {
        Ok(e) => e,
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let more = events.len() as i64 > PAGE_LIMIT;
    events.truncate(PAGE_LIMIT as usize);
    let older = events.last().filter(|_| more).map(|e| {
        let next = AuditQuery {
            before: e.id.to_string(),
            ..q.clone()
        };
        format!("/audit?{}", next.query_string())
    });
    let newest = (!q.before.is_empty()).then(|| {
        let first = AuditQuery {
            before: String::new(),
            ..q.clone()
        };
        format!("/audit?{}", first.query_string())
    });
    let p = AuditPage {
        t,
        lang,
        css: assets::url("app.css"),
        nav: admin_nav(t, &session.account.roles, "/audit"),
        csrf: session.csrf_token.clone(),
        export: format!(
            "/audit/export?{}",
            AuditQuery {
                before: String::new(),
                ..q.clone()
            }
            .query_string()
        ),
        shown: crate::i18n::fill(t.audit_shown(), &[&PAGE_LIMIT]),
        newest,
        older,
        bounds: {
            let minutes = gaoxin_store::UNSIGNED_WINDOW_SECS / 60;
            crate::i18n::fill(
                t.audit_unsigned_bounds(),
                &[
                    &minutes,
                    &gaoxin_store::UNSIGNED_PER_SOURCE,
                    &minutes,
                    &gaoxin_store::UNSIGNED_PER_WINDOW,
                    &gaoxin_store::NAME_KEPT,
                ],
            )
        },
        q,
        events,
    };
    crate::pages::respond(lang, StatusCode::OK, &p)
}

/// `GET /audit/export`: the filtered events as CSV (UTF-8 with BOM, for Excel). The export is
/// itself audited.
pub async fn audit_export(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    Query(q): Query<AuditQuery>,
) -> Response {
    let actor = Actor::of(&session.account, &ip);
    let rec = AuditRecord::new(&actor, "audit.export", q.query_string(), "success");
    if let Err(e) = state.store.audit(&state.key, &rec, state.now()).await {
        return WebError::from(e).page(lang).into_response();
    }
    // Written as it is read, a page of events at a time: a million events never sit in memory.
    let store = state.store.clone();
    let pages = futures_util::stream::unfold(Some(q.filter(EXPORT_PAGE)), move |filter| {
        let store = store.clone();
        async move {
            let mut filter = filter?;
            let events = match store.audit_events(&filter).await {
                Ok(events) => events,
                Err(e) => {
                    // The response has begun: the download ends short, and the log says why.
                    tracing::error!(error = %e, "audit export cut short");
                    return Some((Err(std::io::Error::other(e.to_string())), None));
                }
            };
            let more = events.len() as i64 == EXPORT_PAGE;
            let mut out = String::new();
            for e in &events {
                out.push_str(&csv_line(e));
                out.push_str("\r\n");
            }
            filter.before = events.last().map(|e| e.id);
            Some((Ok(out), more.then_some(filter)))
        }
    });
    let head = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(String::from(
            "\u{feff}id,at,account,role,unit,ip,action,target,result,before,after\r\n",
        ))
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"gaoxin-audit.csv\"",
            ),
        ],
        axum::body::Body::from_stream(futures_util::StreamExt::chain(head, pages)),
    )
        .into_response()
}

/// Events read at a time for the export.
const EXPORT_PAGE: i64 = 2000;

/// One event as a CSV line (formula-safe).
fn csv_line(e: &AuditEvent) -> String {
    let id = e.id.to_string();
    gaoxin_core::csv::line(&[
        &id,
        &e.at,
        &e.account,
        &e.role,
        &e.unit,
        &e.ip,
        &e.action,
        &e.target,
        &e.result,
        e.before.as_deref().unwrap_or(""),
        e.after.as_deref().unwrap_or(""),
    ])
}

#[derive(Template)]
#[template(path = "admin_policy.html")]
struct PolicyPage {
    t: Tr,
    lang: Lang,
    css: String,
    csrf: String,
    nav: Vec<AdminLink>,
    p: SecurityPolicy,
    errors: Vec<String>,
    saved: bool,
}

async fn policy_response(
    state: &AppState,
    lang: Lang,
    session: &Session,
    status: StatusCode,
    shown: Option<SecurityPolicy>,
    errors: Vec<String>,
    saved: bool,
) -> Response {
    let t = Tr { lang };
    let p = match shown {
        Some(p) => p,
        None => match state.security_policy().await {
            Ok(p) => p,
            Err(e) => return WebError::from(e).page(lang).into_response(),
        },
    };
    let page_ = PolicyPage {
        t,
        lang,
        css: assets::url("app.css"),
        csrf: session.csrf_token.clone(),
        nav: admin_nav(t, &session.account.roles, "/admin/policy"),
        p,
        errors,
        saved,
    };
    crate::pages::respond(lang, status, &page_)
}

/// `GET /admin/policy` (安全管理员).
pub async fn policy(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
) -> Response {
    policy_response(
        &state,
        lang,
        &session,
        StatusCode::OK,
        None,
        Vec::new(),
        false,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct PolicyForm {
    min_length: String,
    #[serde(default)]
    require_mix: Option<String>,
    max_age_days: String,
    lockout_failures: String,
    lockout_minutes: String,
}

/// `POST /admin/policy`: every field checked against its range; nothing is stored unless all are
/// right.
pub async fn set_policy(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    crate::extract::Form(f): crate::extract::Form<PolicyForm>,
) -> Response {
    let t = Tr { lang };
    let mut errors = Vec::new();
    let mut number = |text: &str, label: &str, lo: i64, hi: i64| -> i64 {
        match text.trim().parse::<i64>() {
            Ok(n) if (lo..=hi).contains(&n) => n,
            _ => {
                errors.push(crate::i18n::fill(t.policy_range(), &[&label, &lo, &hi]));
                lo
            }
        }
    };
    let min_length = number(&f.min_length, t.policy_field_min_length(), 8, 64);
    let max_age = number(&f.max_age_days, t.policy_field_max_age(), 0, 365);
    let failures = number(&f.lockout_failures, t.policy_field_failures(), 3, 10);
    let minutes = number(&f.lockout_minutes, t.policy_field_minutes(), 5, 1440);
    let after = SecurityPolicy {
        password_min_length: min_length as usize,
        password_require_mix: f.require_mix.is_some(),
        password_max_age_days: max_age as u32,
        lockout_failures: failures,
        lockout_minutes: minutes,
    };
    if !errors.is_empty() {
        return policy_response(
            &state,
            lang,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(after),
            errors,
            false,
        )
        .await;
    }
    let before = match state.security_policy().await {
        Ok(p) => p,
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let actor = Actor::of(&session.account, &ip);
    if let Err(e) = state
        .store
        .set_security_policy(&state.key, &actor, &before, &after, state.now())
        .await
    {
        return WebError::from(e).page(lang).into_response();
    }
    policy_response(
        &state,
        lang,
        &session,
        StatusCode::OK,
        Some(after),
        Vec::new(),
        true,
    )
    .await
}
