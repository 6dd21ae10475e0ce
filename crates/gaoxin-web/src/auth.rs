//! 登录、会话与访问控制 — the login and password pages, the session API, and the guard every
//! request passes: who is asking (session cookie), whether the route allows them (the table in
//! [`access`]), and for state-changing requests the Origin check and the CSRF token.

use crate::error::WebError;
use crate::extract::Form;
use crate::i18n::{Lang, Tr};
use crate::{AppState, assets};
use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gaoxin_core::auth::password::PasswordPolicy;
use gaoxin_core::auth::{Capability, Scope, allows};
use gaoxin_core::auth::{password, totp};
use gaoxin_store::{Account, Actor, AuditRecord, FailureOutcome, Gate, Session};
use serde::Deserialize;
use std::net::SocketAddr;

/// The session cookie: `__Host-` prefixed (which requires `Secure`) when served over HTTPS.
fn cookie_name(state: &AppState) -> &'static str {
    if state.config.https {
        "__Host-gaoxin_session"
    } else {
        "gaoxin_session"
    }
}

fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.https { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}",
        cookie_name(state)
    )
}

fn clear_cookie(state: &AppState) -> String {
    let secure = if state.config.https { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}",
        cookie_name(state)
    )
}

fn with_cookie(mut resp: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(name)?
                .strip_prefix('=')
                .map(str::to_string)
        })
        .filter(|v| !v.is_empty())
}

/// The client's address, as the connection gives it.
pub fn client_ip(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the login page, assets, health, the API description.
    Public,
    /// Any signed-in account, even one that must change its password.
    SignedIn,
    /// An account with a capability.
    Needs(Capability),
}

/// The most a sign-in request may carry: a user name, a password, where to go next. Anything
/// larger is refused before it is read, let alone stored.
pub const LOGIN_BODY_MAX: usize = 4 * 1024;

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// A refusal, as a page or as JSON.
fn refuse(api: bool, status: StatusCode, code: &str, lang: Lang) -> Response {
    let t = Tr { lang };
    let (zh, en) = match code {
        "unauthenticated" => ("请先登录。", "Sign in first."),
        "forbidden" => (
            "您的账号无权访问此内容。",
            "Your account may not access this.",
        ),
        "csrf" => (
            "请求来源或表单令牌无效，已拒绝。请刷新页面后重试。",
            "The request's origin or form token is invalid; it was refused. Reload the page and try again.",
        ),
        "password_change_required" => ("请先修改口令。", "Change your password first."),
        "second_factor_required" => ("请先输入动态口令。", "Give your TOTP code first."),
        _ => ("请求被拒绝。", "The request was refused."),
    };
    if api {
        let body =
            serde_json::json!({ "error": { "code": code, "message_zh": zh, "message_en": en } });
        return (status, Json(body)).into_response();
    }
    let page = crate::error::ErrorPage {
        t,
        lang,
        title: t.forbidden_title(),
        body: if lang == Lang::Zh { zh } else { en },
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}

/// Whether a state-changing request comes from our own pages: its Origin (or, failing that,
/// its Referer) must be this server. Requests with neither are allowed only as JSON, which a
/// foreign page cannot send without the browser asking first.
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let scheme = if state.config.https { "https" } else { "http" };
    let ours = format!("{scheme}://{host}");
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok()) {
        return origin == ours;
    }
    if let Some(referer) = headers.get(header::REFERER).and_then(|h| h.to_str().ok()) {
        return referer == ours || referer.starts_with(&format!("{ours}/"));
    }
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The CSRF token a request carries: the `X-CSRF-Token` header, or the `csrf` field of a form.
/// Returns the request rebuilt around the body it had to read.
async fn csrf_token_of(req: Request) -> (Option<String>, Request) {
    if let Some(t) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|h| h.to_str().ok())
    {
        let t = t.to_string();
        return (Some(t), req);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (None, req);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 256 * 1024)
        .await
        .unwrap_or_default();
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
    (token, Request::from_parts(parts, Body::from(bytes)))
}

/// The records a session may see.
pub fn scope(session: &Session) -> Scope {
    Scope::of(&session.account.unit, &session.account.roles)
}

/// Refuses a record outside the session's scope: audited, and answered as if it did not exist.
pub async fn out_of_scope(
    state: &AppState,
    session: &Session,
    ip: &str,
    target: String,
) -> WebError {
    audit_denial(
        state,
        Actor::of(&session.account, ip),
        "authz.denied",
        target,
    )
    .await;
    WebError::NotFound
}

/// Audits a refusal; a failure to audit is logged, the refusal stands.
pub(crate) async fn audit_denial(state: &AppState, actor: Actor, action: &str, target: String) {
    let rec = AuditRecord::new(&actor, action, target, "denied");
    if let Err(e) = state.store.audit(&state.key, &rec, state.now()).await {
        tracing::error!(error = %e, "could not audit a denial");
    }
}

/// Audits a refusal of someone not signed in, within the store's bounds on such events; a
/// failure to audit is logged, the refusal stands.
async fn audit_unsigned(state: &AppState, actor: &Actor, action: &str, target: String) {
    let rec = AuditRecord::new(actor, action, target, "denied");
    if let Err(e) = state
        .store
        .audit_unsigned(&state.key, &rec, state.now())
        .await
    {
        tracing::error!(error = %e, "could not audit a refusal");
    }
}

/// The guard in front of every route.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let Ok(lang) = Lang::from_request_parts(&mut parts, &()).await;
    let req = Request::from_parts(parts, body);
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let api = is_api(&path);
    let ip = client_ip(req.extensions());
    let changing = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);

    if changing && !same_origin(&state, req.headers()) {
        // Anyone can send these, signed in or not: audited within the unsigned bounds.
        let target = format!("{method} {}", path.chars().take(200).collect::<String>());
        audit_unsigned(&state, &Actor::unsigned("", &ip), "csrf.rejected", target).await;
        return refuse(api, StatusCode::FORBIDDEN, "csrf", lang);
    }
    let matched = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string());
    let Some(need) = crate::routes::access_of(&state.access, method.as_str(), matched.as_deref())
    else {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    };
    if need == Access::Public {
        return next.run(req).await;
    }
    let session = match read_cookie(req.headers(), cookie_name(&state)) {
        Some(token) => match state
            .store
            .session(&token, &state.config.login, state.now())
            .await
        {
            Ok(s) => s,
            Err(e) => return failed(api, lang, e),
        },
        None => None,
    };
    let Some(session) = session else {
        if api || changing {
            return refuse(api, StatusCode::UNAUTHORIZED, "unauthenticated", lang);
        }
        let next_path = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        return Redirect::to(&format!("/login?next={}", urlencode(&next_path))).into_response();
    };
    let actor = Actor::of(&session.account, &ip);
    // An administrator's session opens nothing but the second factor (and sign-out) until a
    // TOTP code has been given.
    if !session.second_factor_done && path != "/account/2fa" && path != "/logout" {
        if api {
            return refuse(true, StatusCode::FORBIDDEN, "second_factor_required", lang);
        }
        return Redirect::to("/account/2fa").into_response();
    }
    let mut req = req;
    if changing {
        let (token, rebuilt) = csrf_token_of(req).await;
        req = rebuilt;
        if !token.is_some_and(|t| constant_time_eq(&t, &session.csrf_token)) {
            audit_denial(&state, actor, "csrf.rejected", format!("{method} {path}")).await;
            return refuse(api, StatusCode::FORBIDDEN, "csrf", lang);
        }
    }
    if let Access::Needs(capability) = need {
        let (password_policy, _) = match state.policy().await {
            Ok(p) => p,
            Err(e) => return failed(api, lang, e),
        };
        let expired = password_policy.expired(
            gaoxin_core::time::Timestamp(session.account.password_changed_at),
            state.now(),
        );
        if session.account.must_change_password || expired {
            if api {
                return refuse(
                    true,
                    StatusCode::FORBIDDEN,
                    "password_change_required",
                    lang,
                );
            }
            return Redirect::to("/account/password").into_response();
        }
        if !allows(&session.account.roles, capability) {
            audit_denial(&state, actor, "authz.denied", format!("{method} {path}")).await;
            return refuse(api, StatusCode::FORBIDDEN, "forbidden", lang);
        }
    }
    req.extensions_mut().insert(session);
    next.run(req).await
}

/// A failure inside the guard, as JSON for the API and as a page for everything else.
fn failed(api: bool, lang: Lang, e: gaoxin_store::StoreError) -> Response {
    if api {
        WebError::from(e).into_response()
    } else {
        WebError::from(e).page(lang).into_response()
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A path on this site to go to next (after signing in, after switching the language);
/// anything else goes home. Browsers drop tabs and line breaks from a URL and read `\` as `/`,
/// so `/\t/host` and `/\host` would leave the site: any control character, space or backslash
/// makes the path unsafe, as does a second leading slash.
pub(crate) fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local { next } else { "/" }
}

/// Why a login did not succeed. Unknown user and wrong password are one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LoginError {
    Invalid,
    Locked,
    Throttled,
}

/// Checks a user name and password and opens a session. A password is checked only once the
/// store has reserved the check ([`gaoxin_store::Store::login_gate`]), and an unknown name goes
/// through the same steps as a real one, so both get the same answers.
async fn attempt(
    state: &AppState,
    username: &str,
    password_text: &str,
    ip: &str,
) -> Result<(Account, String, String), LoginOutcome> {
    let now = state.now();
    let (_, login_policy) = state.policy().await?;
    let policy = &login_policy;
    let store = &state.store;
    let name = gaoxin_store::typed_name(username);
    let refused = match store.login_gate(&name, ip, policy, now).await? {
        Gate::Open => None,
        Gate::Locked => Some(("login.locked", LoginError::Locked)),
        Gate::Throttled => Some(("login.throttled", LoginError::Throttled)),
    };
    if let Some((action, e)) = refused {
        let actor = Actor::unsigned(&name, ip);
        audit_unsigned(state, &actor, action, format!("account:{name}")).await;
        return Err(LoginOutcome::Refused(e));
    }
    let record = store.login_record(&name).await?;
    let matched = match record.filter(|r| !r.account.disabled) {
        Some(r) if password::verify(password_text, &r.password_hash) => Some(r),
        Some(_) => None,
        None => {
            // The same work as for a real account, then the same answer.
            let _ = password::verify(password_text, &state.dummy_hash);
            None
        }
    };
    let Some(record) = matched else {
        let outcome = store
            .record_login_failure(&state.key, &name, ip, policy, now)
            .await?;
        let e = if outcome == FailureOutcome::Locked {
            LoginError::Locked
        } else {
            LoginError::Invalid
        };
        return Err(LoginOutcome::Refused(e));
    };
    let second_factor_done = !needs_second_factor(&record.account);
    let opened = store
        .open_session(
            &state.key,
            &record.account,
            ip,
            second_factor_done,
            policy,
            now,
        )
        .await;
    let session = match opened {
        Ok(s) => s,
        Err(e) => {
            // The server failed, not the person: their reservation goes back (if it can).
            if let Err(again) = store.release_login(&name, ip, now).await {
                tracing::warn!(error = %again, "could not release a sign-in reservation");
            }
            return Err(e.into());
        }
    };
    Ok((record.account, session.token, session.csrf_token))
}

enum LoginOutcome {
    Refused(LoginError),
    Failed(WebError),
}

impl From<gaoxin_store::StoreError> for LoginOutcome {
    fn from(e: gaoxin_store::StoreError) -> Self {
        LoginOutcome::Failed(WebError::Store(e))
    }
}

impl LoginError {
    fn status(self) -> StatusCode {
        match self {
            LoginError::Invalid => StatusCode::UNAUTHORIZED,
            LoginError::Locked => StatusCode::LOCKED,
            LoginError::Throttled => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    fn code(self) -> &'static str {
        match self {
            LoginError::Invalid => "invalid_credentials",
            LoginError::Locked => "locked",
            LoginError::Throttled => "throttled",
        }
    }

    fn message(self, t: Tr) -> &'static str {
        match self {
            LoginError::Invalid => t.login_invalid(),
            LoginError::Locked => t.login_locked(),
            LoginError::Throttled => t.login_throttled(),
        }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    lang: Lang,
    css: String,
    next: String,
    username: String,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    lang_switch: String,
    /// No account exists yet: say how to make the first one.
    no_accounts: bool,
    /// Sample data is loaded (示例数据): said before anyone signs in.
    sample: bool,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    changed: bool,
    #[serde(default)]
    totp_ended: bool,
}

async fn login_page_response(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    next: &str,
    username: &str,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> Response {
    let t = Tr { lang };
    let no_accounts = state.store.account_count().await.is_ok_and(|n| n == 0);
    let sample = state.store.has_sample_data().await.unwrap_or(false);
    let page = LoginPage {
        sample,
        t,
        lang,
        css: assets::url("app.css"),
        next: safe_next(next).to_string(),
        username: username.to_string(),
        error,
        notice,
        lang_switch: format!("/lang?to={}&next=/login", lang.other().code()),
        no_accounts,
    };
    crate::pages::respond(lang, status, &page)
}

/// `GET /login`.
pub async fn login_page(
    State(state): State<AppState>,
    lang: Lang,
    crate::extract::Query(q): crate::extract::Query<LoginQuery>,
) -> Response {
    let t = Tr { lang };
    let notice = if q.changed {
        Some(t.password_changed_relogin())
    } else if q.totp_ended {
        Some(t.totp_ended())
    } else {
        None
    };
    login_page_response(&state, lang, StatusCode::OK, &q.next, "", None, notice).await
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`.
pub async fn login_form(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    ConnectInfoOr(ip): ConnectInfoOr,
    Form(f): Form<LoginForm>,
) -> Response {
    let _ = headers;
    match attempt(&state, f.username.trim(), &f.password, &ip).await {
        Ok((account, token, _csrf)) => {
            let to = if needs_second_factor(&account) {
                "/account/2fa"
            } else if account.must_change_password {
                "/account/password"
            } else {
                safe_next(&f.next)
            };
            with_cookie(
                Redirect::to(to).into_response(),
                &session_cookie(&state, &token),
            )
        }
        Err(LoginOutcome::Refused(e)) => {
            let message = Some(e.message(Tr { lang }));
            login_page_response(
                &state,
                lang,
                e.status(),
                &f.next,
                f.username.trim(),
                message,
                None,
            )
            .await
        }
        Err(LoginOutcome::Failed(e)) => e.page(lang).into_response(),
    }
}

/// The client address as an extractor (`unknown` when the server was not given it).
#[derive(Debug)]
pub struct ConnectInfoOr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ConnectInfoOr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ConnectInfoOr(client_ip(&parts.extensions)))
    }
}

/// The session the guard found, for handlers behind it.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = StatusCode;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .map(SignedIn)
            .ok_or(StatusCode::UNAUTHORIZED)
    }
}

/// `POST /logout`.
pub async fn logout_form(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
) -> Response {
    match state
        .store
        .close_session(&state.key, &session, &ip, state.now())
        .await
    {
        Ok(()) => with_cookie(
            Redirect::to("/login").into_response(),
            &clear_cookie(&state),
        ),
        Err(e) => WebError::from(e).page(lang).into_response(),
    }
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    t: Tr,
    lang: Lang,
    css: String,
    username: String,
    csrf: String,
    must_change: bool,
    errors: Vec<String>,
    policy: String,
}

fn policy_text(p: &PasswordPolicy, t: Tr) -> String {
    let mut parts = vec![crate::i18n::fill(t.policy_min_length(), &[&p.min_length])];
    if p.require_mix {
        parts.push(t.policy_mix().to_string());
    }
    if let Some(days) = p.max_age_days {
        parts.push(crate::i18n::fill(t.policy_max_age(), &[&days]));
    }
    parts.join(if t.lang == Lang::Zh { "" } else { " " })
}

fn password_page_response(
    state: &AppState,
    password_policy: &PasswordPolicy,
    lang: Lang,
    status: StatusCode,
    session: &Session,
    errors: Vec<String>,
) -> Response {
    let t = Tr { lang };
    let expired = password_policy.expired(
        gaoxin_core::time::Timestamp(session.account.password_changed_at),
        state.now(),
    );
    let page = PasswordPage {
        t,
        lang,
        css: assets::url("app.css"),
        username: session.account.username.clone(),
        csrf: session.csrf_token.clone(),
        must_change: session.account.must_change_password || expired,
        errors,
        policy: policy_text(password_policy, t),
    };
    crate::pages::respond(lang, status, &page)
}

/// `GET /account/password`.
pub async fn password_page(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
) -> Response {
    match state.policy().await {
        Ok((policy, _)) => {
            password_page_response(&state, &policy, lang, StatusCode::OK, &session, Vec::new())
        }
        Err(e) => WebError::from(e).page(lang).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `POST /account/password`: on success every session of the account ends, this one too, and
/// the user signs in again with the new password.
pub async fn password_form(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    Form(f): Form<PasswordForm>,
) -> Response {
    let t = Tr { lang };
    let account = &session.account;
    let password_policy = match state.policy().await {
        Ok((p, _)) => p,
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let record = match state.store.login_record(&account.username).await {
        Ok(Some(r)) => r,
        Ok(None) => return WebError::NotFound.page(lang).into_response(),
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let mut errors = Vec::new();
    if !password::verify(&f.current, &record.password_hash) {
        errors.push(t.password_wrong_current().to_string());
    }
    if f.new != f.confirm {
        errors.push(t.password_mismatch().to_string());
    }
    if f.new == f.current {
        errors.push(t.password_same().to_string());
    }
    for v in password_policy.check(&f.new, &account.username) {
        errors.push(if lang == Lang::Zh { v.zh() } else { v.en() });
    }
    if !errors.is_empty() {
        return password_page_response(
            &state,
            &password_policy,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            &session,
            errors,
        );
    }
    let hash = match gaoxin_store::random::bytes::<16>() {
        Ok(salt) => password::hash(&f.new, &salt),
        Err(e) => {
            return WebError::from(gaoxin_store::StoreError::Random(e.to_string()))
                .page(lang)
                .into_response();
        }
    };
    let Ok(hash) = hash else {
        return WebError::NotFound.page(lang).into_response();
    };
    match state
        .store
        .change_password(&state.key, account, &hash, &ip, state.now())
        .await
    {
        Ok(()) => with_cookie(
            Redirect::to("/login?changed=true").into_response(),
            &clear_cookie(&state),
        ),
        Err(e) => WebError::from(e).page(lang).into_response(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiLogin {
    username: String,
    password: String,
}

/// `POST /api/v1/session`: 200 with the session cookie and the CSRF token for later requests;
/// 401 for wrong credentials (unknown user alike), 423 locked, 429 throttled.
pub async fn api_login(
    State(state): State<AppState>,
    ConnectInfoOr(ip): ConnectInfoOr,
    crate::extract::Json(body): crate::extract::Json<ApiLogin>,
) -> Response {
    match attempt(&state, body.username.trim(), &body.password, &ip).await {
        Ok((account, token, csrf)) => {
            let json = serde_json::json!({
                "username": account.username,
                "unit": account.unit,
                "roles": account.roles,
                "must_change_password": account.must_change_password,
                "second_factor_required": needs_second_factor(&account),
                "csrf_token": csrf,
            });
            with_cookie(
                (StatusCode::OK, Json(json)).into_response(),
                &session_cookie(&state, &token),
            )
        }
        Err(LoginOutcome::Refused(e)) => {
            let (zh, en) = (
                e.message(Tr { lang: Lang::Zh }),
                e.message(Tr { lang: Lang::En }),
            );
            let json = serde_json::json!({ "error": { "code": e.code(), "message_zh": zh, "message_en": en } });
            (e.status(), Json(json)).into_response()
        }
        Err(LoginOutcome::Failed(e)) => e.into_response(),
    }
}

/// `DELETE /api/v1/session`: 204, the session ended.
pub async fn api_logout(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
) -> Response {
    match state
        .store
        .close_session(&state.key, &session, &ip, state.now())
        .await
    {
        Ok(()) => with_cookie(
            StatusCode::NO_CONTENT.into_response(),
            &clear_cookie(&state),
        ),
        Err(e) => WebError::from(e).into_response(),
    }
}

/// The three administrators sign in with a TOTP code as well.
fn needs_second_factor(account: &Account) -> bool {
    account.roles.iter().any(|r| r.needs_second_factor())
}

const ISSUER: &str = "gaoxin";

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    t: Tr,
    lang: Lang,
    css: String,
    username: String,
    csrf: String,
    /// Enrolment: the QR code (SVG) and the secret as text, for apps that cannot scan.
    enrol: Option<(String, String)>,
    error: Option<&'static str>,
}

/// The QR code of an `otpauth://` URI, as inline SVG.
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build();
            // Inline in HTML: drop the XML declaration.
            svg.find("<svg")
                .map_or(svg.clone(), |i| svg[i..].to_string())
        }
        Err(_) => String::new(),
    }
}

async fn second_factor_response(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    session: &Session,
    error: Option<&'static str>,
) -> Response {
    let enrolled = match state.store.totp_secret(&session.account).await {
        Ok(s) => s.is_some(),
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let enrol = if enrolled {
        None
    } else {
        let secret = match &session.totp_pending {
            Some(s) => s.clone(),
            None => {
                let bytes = match gaoxin_store::random::bytes::<20>() {
                    Ok(b) => b,
                    Err(e) => {
                        return WebError::from(gaoxin_store::StoreError::Random(e.to_string()))
                            .page(lang)
                            .into_response();
                    }
                };
                let s = totp::base32_encode(&bytes);
                if let Err(e) = state.store.set_totp_pending(session, &s).await {
                    return WebError::from(e).page(lang).into_response();
                }
                s
            }
        };
        let bytes = totp::base32_decode(&secret).unwrap_or_default();
        let uri = totp::provisioning_uri(ISSUER, &session.account.username, &bytes);
        Some((qr_svg(&uri), secret))
    };
    let page = SecondFactorPage {
        t: Tr { lang },
        lang,
        css: assets::url("app.css"),
        username: session.account.username.clone(),
        csrf: session.csrf_token.clone(),
        enrol,
        error,
    };
    crate::pages::respond(lang, status, &page)
}

/// `GET /account/2fa`: the code form, or for an administrator without a second factor yet, the
/// QR code to scan first.
pub async fn second_factor_page(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
) -> Response {
    if session.second_factor_done {
        return Redirect::to("/account").into_response();
    }
    second_factor_response(&state, lang, StatusCode::OK, &session, None).await
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    code: String,
}

/// `POST /account/2fa`.
pub async fn second_factor_form(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    Form(f): Form<CodeForm>,
) -> Response {
    if session.second_factor_done {
        return Redirect::to("/account").into_response();
    }
    let t = Tr { lang };
    let now = state.now();
    let (secret, enrolling) = match state.store.totp_secret(&session.account).await {
        Ok(Some((s, _))) => (s, false),
        Ok(None) => match &session.totp_pending {
            Some(s) => (s.clone(), true),
            None => return Redirect::to("/account/2fa").into_response(),
        },
        Err(e) => return WebError::from(e).page(lang).into_response(),
    };
    let key = totp::base32_decode(&secret).unwrap_or_default();
    let counter = totp::verify(&key, &f.code, now);
    let accepted = match counter {
        Some(c) => {
            let enrol = enrolling.then_some(secret.as_str());
            match state
                .store
                .complete_second_factor(&state.key, &session, enrol, c as i64, &ip, now)
                .await
            {
                Ok(ok) => ok,
                Err(e) => return WebError::from(e).page(lang).into_response(),
            }
        }
        None => false,
    };
    if !accepted {
        let policy = match state.policy().await {
            Ok((_, login)) => login,
            Err(e) => return WebError::from(e).page(lang).into_response(),
        };
        match state
            .store
            .record_totp_failure(&state.key, &session, &ip, &policy, now)
            .await
        {
            Ok(false) => {}
            // Too many wrong codes: the session is over; sign in again.
            Ok(true) => {
                return with_cookie(
                    Redirect::to("/login?totp_ended=true").into_response(),
                    &clear_cookie(&state),
                );
            }
            Err(e) => return WebError::from(e).page(lang).into_response(),
        }
        return second_factor_response(
            &state,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            &session,
            Some(t.totp_wrong()),
        )
        .await;
    }
    let to = if session.account.must_change_password {
        "/account/password"
    } else {
        "/account"
    };
    Redirect::to(to).into_response()
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    t: Tr,
    lang: Lang,
    css: String,
    csrf: String,
    account: Account,
    roles: Vec<&'static str>,
    business: bool,
    /// The administrators' pages this account may open.
    nav: Vec<crate::admin::AdminLink>,
}

/// `GET /account`: who is signed in, with what roles; where administrators land.
pub async fn account_page(lang: Lang, SignedIn(session): SignedIn) -> Response {
    let t = Tr { lang };
    let roles = session
        .account
        .roles
        .iter()
        .map(|r| if lang == Lang::Zh { r.zh() } else { r.en() })
        .collect();
    let page = AccountPage {
        t,
        lang,
        css: assets::url("app.css"),
        csrf: session.csrf_token.clone(),
        business: allows(&session.account.roles, Capability::ReadBusiness),
        nav: crate::admin::admin_nav(t, &session.account.roles, "/account")
            .into_iter()
            .filter(|l| l.href != "/account")
            .collect(),
        account: session.account,
        roles,
    };
    crate::pages::respond(lang, StatusCode::OK, &page)
}
