//! 访问控制 — the guard every request passes: who is asking (session cookie), whether the route
//! allows them (the access each route is declared with, [`crate::routes`]), and for
//! state-changing requests the Origin check and the CSRF token; the extractors handlers take the
//! session and the address from; the one helper that audits a refusal. The pages a person signs
//! in and manages their account with are in [`crate::account`].

use crate::AppState;
use crate::error::WebError;
use crate::i18n::{Lang, Msg, Tr};
use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gaoxin_core::auth::{Scope, allows};
use gaoxin_store::{Actor, AuditRecord, Session};
use std::net::SocketAddr;

/// The session cookie: `__Host-` prefixed (which requires `Secure`) when served over HTTPS.
pub(crate) fn cookie_name(state: &AppState) -> &'static str {
    if state.config.https {
        "__Host-gaoxin_session"
    } else {
        "gaoxin_session"
    }
}

pub(crate) fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.https { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}",
        cookie_name(state)
    )
}

pub(crate) fn clear_cookie(state: &AppState) -> String {
    let secure = if state.config.https { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}",
        cookie_name(state)
    )
}

pub(crate) fn with_cookie(mut resp: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

pub(crate) fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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

pub(crate) fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// A refusal, as a page or as JSON.
pub(crate) fn refuse(api: bool, status: StatusCode, code: &str, lang: Lang) -> Response {
    let t = Tr { lang };
    let m = match code {
        "unauthenticated" => Msg::refused_unauthenticated(),
        "forbidden" => Msg::refused_forbidden(),
        "csrf" => Msg::refused_csrf(),
        "password_change_required" => Msg::refused_password_change(),
        "second_factor_required" => Msg::refused_second_factor(),
        _ => Msg::refused_other(),
    };
    let (zh, en) = (m.zh, m.en);
    if api {
        return (status, Json(crate::error::error_json(code, zh, en))).into_response();
    }
    let page = crate::error::ErrorPage {
        t,
        lang,
        title: t.forbidden_title(),
        body: if lang == Lang::Zh { zh } else { en },
        request: crate::request_id::current(),
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
    let refused = state
        .store
        .audit_refusal(&actor, action, target, state.now());
    if let Err(e) = refused.await {
        tracing::error!(error = %e, "could not audit a denial");
    }
}

/// Audits a refusal of someone not signed in, within the store's bounds on such events; a
/// failure to audit is logged, the refusal stands.
pub(crate) async fn audit_unsigned(state: &AppState, actor: &Actor, action: &str, target: String) {
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
pub(crate) fn failed(api: bool, lang: Lang, e: gaoxin_store::StoreError) -> Response {
    if api {
        WebError::from(e).into_response()
    } else {
        WebError::from(e).page(lang).into_response()
    }
}

pub(crate) fn urlencode(s: &str) -> String {
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

pub use crate::routes::Access;
