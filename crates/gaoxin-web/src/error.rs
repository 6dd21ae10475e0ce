//! Web errors. Error policy: internal detail (database messages, causes) goes to the log and
//! never to the user; the user gets a page (in their language) or JSON (with a message in both
//! languages) saying what happened, with a status code that fits.

use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gaoxin_core::text::Name;
use gaoxin_store::{Availability, StoreError};

/// Something a handler could not do.
#[derive(Debug)]
pub enum WebError {
    /// The database holds no plan.
    NoPlan,
    /// Nothing at this address.
    NotFound,
    /// The account may not do this.
    Forbidden,
    /// The store failed.
    Store(StoreError),
    /// A template failed to render.
    Render(askama::Error),
    /// The request is malformed (a bad period, a missing field): says what is wrong.
    BadRequest(gaoxin_core::text::Fixed),
    /// A document could not be written (logged; the user sees a generic failure).
    Document(String),
    /// The request's body is larger than allowed.
    TooLarge,
    /// The request took longer than the server waits (the database stopped answering).
    TimedOut,
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::Store(e)
    }
}

/// A use case's failure: its refusal was audited where it was made; a record outside the
/// reader's scope reads as one that does not exist.
impl From<gaoxin_app::Error> for WebError {
    fn from(e: gaoxin_app::Error) -> Self {
        match e {
            gaoxin_app::Error::Refused(gaoxin_app::Refusal::Forbidden { .. }) => {
                WebError::Forbidden
            }
            gaoxin_app::Error::Refused(gaoxin_app::Refusal::Hidden { .. }) => WebError::NotFound,
            gaoxin_app::Error::Store(e) => WebError::Store(e),
        }
    }
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            WebError::NoPlan => StatusCode::SERVICE_UNAVAILABLE,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::TimedOut => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Store(e) if e.availability() != Availability::Other => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            WebError::Store(_) | WebError::Render(_) | WebError::Document(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What to tell the user of an internal failure: the database's state where it explains
    /// the failure (busy, full, read-only, unreachable), else that it was logged.
    fn failure_text(&self, t: Tr) -> (&'static str, &'static str, &'static str) {
        let availability = match self {
            WebError::Store(e) => e.availability(),
            _ => Availability::Other,
        };
        match availability {
            Availability::Busy => ("busy", t.busy_title(), t.busy_body()),
            Availability::Full => ("disk_full", t.error_title(), t.disk_full_body()),
            Availability::ReadOnly => ("read_only", t.error_title(), t.read_only_body()),
            Availability::Unreachable => {
                ("unavailable", t.unreachable_title(), t.unreachable_body())
            }
            Availability::Other => ("internal", t.error_title(), t.error_body()),
        }
    }

    fn log(&self) {
        match self {
            WebError::Store(e) => tracing::error!(error = %e, "request failed"),
            WebError::Render(e) => tracing::error!(error = %e, "template failed to render"),
            WebError::Document(e) => tracing::error!(error = %e, "document failed to write"),
            WebError::NoPlan
            | WebError::NotFound
            | WebError::Forbidden
            | WebError::TooLarge
            | WebError::TimedOut
            | WebError::BadRequest(_) => {}
        }
    }

    /// The error as an HTML page in `lang`.
    pub fn page(self, lang: Lang) -> PageError {
        PageError { lang, error: self }
    }
}

/// The JSON API's errors: `{"error": {"code", "message_zh", "message_en"}}`.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        let (code, zh, en) = match &self {
            WebError::NoPlan => (
                "no_plan",
                Tr { lang: Lang::Zh }.no_plan_body(),
                Tr { lang: Lang::En }.no_plan_body(),
            ),
            WebError::NotFound => (
                "not_found",
                Tr { lang: Lang::Zh }.not_found_body(),
                Tr { lang: Lang::En }.not_found_body(),
            ),
            WebError::BadRequest(m) => ("bad_request", m.zh, m.en),
            WebError::TooLarge => (
                "too_large",
                Tr { lang: Lang::Zh }.too_large_body(),
                Tr { lang: Lang::En }.too_large_body(),
            ),
            WebError::TimedOut => (
                "timed_out",
                Tr { lang: Lang::Zh }.timed_out_body(),
                Tr { lang: Lang::En }.timed_out_body(),
            ),
            WebError::Forbidden => (
                "forbidden",
                Tr { lang: Lang::Zh }.forbidden_body(),
                Tr { lang: Lang::En }.forbidden_body(),
            ),
            WebError::Store(_) | WebError::Render(_) | WebError::Document(_) => {
                let (code, _, zh) = self.failure_text(Tr { lang: Lang::Zh });
                let (_, _, en) = self.failure_text(Tr { lang: Lang::En });
                (code, zh, en)
            }
        };
        (self.status(), Json(error_json(code, zh, en))).into_response()
    }
}

/// The JSON API's error body, with the request's id when there is one.
pub(crate) fn error_json(code: &str, zh: &str, en: &str) -> serde_json::Value {
    let mut error = serde_json::json!({ "code": code, "message_zh": zh, "message_en": en });
    if let Some(id) = crate::request_id::current() {
        error["request_id"] = id.into();
    }
    serde_json::json!({ "error": error })
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError {
    lang: Lang,
    error: WebError,
}

/// A page that only says what happened: errors and refusals.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub t: Tr,
    pub lang: Lang,
    pub title: &'static str,
    pub body: &'static str,
    /// The request's id, for the administrator reading the log.
    pub request: Option<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.error.log();
        let status = self.error.status();
        let t = Tr { lang: self.lang };
        let (title, body) = match self.error {
            WebError::NoPlan => (t.error_title(), t.no_plan_body()),
            WebError::NotFound => (t.not_found_title(), t.not_found_body()),
            WebError::Forbidden => (t.forbidden_title(), t.forbidden_body()),
            WebError::BadRequest(m) => (t.bad_request_title(), m.name(self.lang.into())),
            WebError::TooLarge => (t.too_large_title(), t.too_large_body()),
            WebError::TimedOut => (t.unreachable_title(), t.timed_out_body()),
            WebError::Store(_) | WebError::Render(_) | WebError::Document(_) => {
                let (_, title, body) = self.error.failure_text(t);
                (title, body)
            }
        };
        let page = ErrorPage {
            t,
            lang: self.lang,
            title,
            body,
            request: crate::request_id::current(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                (StatusCode::INTERNAL_SERVER_ERROR, body).into_response()
            }
        }
    }
}

/// Attaches the page language to an error on the way out of a handler.
pub trait InLang<T> {
    fn in_lang(self, lang: Lang) -> Result<T, PageError>;
}

impl<T, E: Into<WebError>> InLang<T> for Result<T, E> {
    fn in_lang(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| e.into().page(lang))
    }
}
