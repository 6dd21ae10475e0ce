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
use axum::response::Response;
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
}

/// `GET /account`: who is signed in, with what roles; where administrators land.
pub async fn account_page(lang: Lang, SignedIn(session): SignedIn) -> Response {
    let t = Tr { lang };
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
    };
    crate::pages::respond(lang, StatusCode::OK, &page)
}
