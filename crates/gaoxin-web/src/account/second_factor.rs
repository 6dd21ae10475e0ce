//! 双因素 — enrolling and proving the administrators' TOTP second factor.

use crate::auth::*;
use crate::error::WebError;
use crate::extract::Form;
use crate::i18n::{Lang, Tr};
use crate::{AppState, assets};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_core::auth::totp;
use gaoxin_store::{Account, Session};
use serde::Deserialize;

/// The three administrators sign in with a TOTP code as well.
pub(crate) fn needs_second_factor(account: &Account) -> bool {
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

pub(crate) async fn second_factor_response(
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
