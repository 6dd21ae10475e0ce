//! 账号 — what a person does with their own account: sign in and out ([`signin`]), change the
//! password ([`password`]), enrol the second factor ([`second_factor`]), and the account page.

pub mod password;
pub mod second_factor;
pub mod signin;

use crate::assets;
use crate::auth::*;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gaoxin_core::auth::{Capability, allows};
use gaoxin_core::text::Name;
use gaoxin_store::Account;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    Routes::new()
        .get("/login", Access::Public, signin::login_page)
        .method(
            "POST",
            "/login",
            Access::Public,
            axum::routing::post(signin::login_form)
                .layer(axum::extract::DefaultBodyLimit::max(signin::LOGIN_BODY_MAX)),
        )
        .post("/logout", Access::SignedIn, signin::logout_form)
        .get("/account", Access::SignedIn, account_page)
        .post("/account", Access::SignedIn, profile_form)
        .post("/account/notices", Access::SignedIn, notices_form)
        .get(
            "/account/2fa",
            Access::SignedIn,
            second_factor::second_factor_page,
        )
        .post(
            "/account/2fa",
            Access::SignedIn,
            second_factor::second_factor_form,
        )
        .get(
            "/account/password",
            Access::SignedIn,
            password::password_page,
        )
        .post(
            "/account/password",
            Access::SignedIn,
            password::password_form,
        )
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
    notice: Option<String>,
    error: Option<String>,
    /// The e-mail choices: (code, label, chosen).
    choices: Vec<(&'static str, &'static str, bool)>,
}

/// `GET /account`: who is signed in, with what roles; where administrators land.
pub async fn account_page(
    lang: Lang,
    SignedIn(session): SignedIn,
    crate::extract::Query(q): crate::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let t = Tr { lang };
    let notice = if q.contains_key("saved") {
        Some(t.profile_saved().to_string())
    } else if q.contains_key("notices") {
        Some(t.notices_saved().to_string())
    } else {
        None
    };
    page(lang, session, StatusCode::OK, notice, None)
}

fn page(
    lang: Lang,
    session: gaoxin_store::Session,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let t = Tr { lang };
    let chosen = session.account.email_notices;
    let roles = session
        .account
        .roles
        .iter()
        .map(|r| r.name(lang.into()))
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
        notice,
        error,
        choices: gaoxin_core::notices::EmailChoice::ALL
            .into_iter()
            .map(|c| {
                let label = match c {
                    gaoxin_core::notices::EmailChoice::All => t.notices_all(),
                    gaoxin_core::notices::EmailChoice::Urgent => t.notices_urgent(),
                    gaoxin_core::notices::EmailChoice::None => t.notices_none(),
                };
                (c.code(), label, c == chosen)
            })
            .collect(),
    };
    crate::pages::respond(lang, status, &page)
}

#[derive(Debug, serde::Deserialize)]
pub struct NoticesForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    email_notices: String,
}

/// `POST /account/notices` (`email`, `email_notices`): where the person's e-mail copies of
/// notices go, and which (all, urgent, none). The inbox always gets every notice.
pub async fn notices_form(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    crate::extract::Form(f): crate::extract::Form<NoticesForm>,
) -> Response {
    let Some(choice) = gaoxin_core::notices::EmailChoice::parse(&f.email_notices) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let actor = gaoxin_store::Actor::of(&session.account, &ip);
    let email = Some(f.email.as_str());
    match state
        .store
        .set_email_notices(
            &state.key,
            &actor,
            &session.account.username,
            email,
            choice,
            state.now(),
        )
        .await
    {
        Ok(_) => axum::response::Redirect::to("/account?notices=1").into_response(),
        Err(e @ gaoxin_store::StoreError::InvalidEmail { .. }) => {
            use gaoxin_core::text::Message;
            let mut session = session;
            session.account.email = Some(f.email);
            session.account.email_notices = choice;
            page(
                lang,
                session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(e.say(lang.into())),
            )
        }
        Err(e) => crate::error::WebError::from(e).page(lang).into_response(),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    phone: String,
}

/// `POST /account` (`full_name`, `phone`): the person keeps their own 姓名 and phone current.
pub async fn profile_form(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    crate::extract::Form(f): crate::extract::Form<ProfileForm>,
) -> Response {
    let actor = gaoxin_store::Actor::of(&session.account, &ip);
    match state
        .store
        .set_profile(
            &state.key,
            &actor,
            &session.account.username,
            &f.full_name,
            &f.phone,
            state.now(),
        )
        .await
    {
        Ok(_) => axum::response::Redirect::to("/account?saved=1").into_response(),
        Err(e @ gaoxin_store::StoreError::InvalidProfile(_)) => {
            use gaoxin_core::text::Message;
            let mut session = session;
            session.account.full_name = f.full_name;
            session.account.phone = f.phone;
            page(
                lang,
                session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(e.say(lang.into())),
            )
        }
        Err(e) => crate::error::WebError::from(e).page(lang).into_response(),
    }
}
