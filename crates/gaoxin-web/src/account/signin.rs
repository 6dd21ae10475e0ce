//! 登录 — the sign-in page and form, signing out, and the session API (`/api/v1/session`).

use super::second_factor::needs_second_factor;
use crate::auth::*;
use crate::error::WebError;
use crate::extract::Form;
use crate::i18n::{Lang, Tr};
use crate::{AppState, assets};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::auth::password;
use gaoxin_store::{Account, Actor, FailureOutcome, Gate};
use serde::Deserialize;

/// The most a sign-in request may carry: a user name, a password, where to go next. Anything
/// larger is refused before it is read, let alone stored.
pub const LOGIN_BODY_MAX: usize = 4 * 1024;

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

pub(crate) async fn login_page_response(
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
            } else if safe_next(&f.next) == "/" && account.roles == [RoleKind::Screen] {
                // A screen's account has no workbench: its home is the screen.
                "/screen"
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
