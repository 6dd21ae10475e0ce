//! 修改口令 — the password page and form.

use crate::auth::*;
use crate::error::WebError;
use crate::extract::Form;
use crate::i18n::{Lang, Tr};
use crate::{AppState, assets};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_core::auth::password;
use gaoxin_core::auth::password::PasswordPolicy;
use gaoxin_core::text::Message;
use gaoxin_store::Session;
use serde::Deserialize;

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

pub(crate) fn policy_text(p: &PasswordPolicy, t: Tr) -> String {
    let mut parts = vec![crate::i18n::fill(t.policy_min_length(), &[&p.min_length])];
    if p.require_mix {
        parts.push(t.policy_mix().to_string());
    }
    if let Some(days) = p.max_age_days {
        parts.push(crate::i18n::fill(t.policy_max_age(), &[&days]));
    }
    parts.join(if t.lang == Lang::Zh { "" } else { " " })
}

pub(crate) fn password_page_response(
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
        errors.push(v.say(lang.into()));
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
