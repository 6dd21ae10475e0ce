//! The request extractors handlers use, in place of axum's: the same parsing, but a request
//! they cannot read is answered in the reader's language — a page, or JSON for the API — and
//! never with the framework's own English text ("Cannot parse `x` to a `i64`"), which says
//! nothing to a clerk and something to an attacker.

use crate::error::WebError;
use crate::i18n::Lang;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// Why a request could not be read, answered as the request expects.
#[derive(Debug)]
pub struct Unreadable {
    api: bool,
    lang: Lang,
    error: WebError,
}

impl Unreadable {
    fn new(parts: &Parts, status: StatusCode) -> Unreadable {
        let lang = Lang::from_parts(parts);
        let error = match status {
            // A path whose parameter does not parse names nothing that exists.
            StatusCode::NOT_FOUND => WebError::NotFound,
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
            _ => WebError::BadRequest(crate::i18n::Msg::bad_parameter()),
        };
        // Inside the API's nested router the path has lost its `/api/v1` prefix.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(parts.uri.path(), |o| o.0.path());
        Unreadable {
            api: path.starts_with("/api/"),
            lang,
            error,
        }
    }
}

impl Unreadable {
    /// A request carrying a NUL character.
    fn nul(parts: &Parts) -> Unreadable {
        Unreadable {
            error: WebError::BadRequest(crate::i18n::Msg::nul_refused()),
            ..Unreadable::new(parts, StatusCode::BAD_REQUEST)
        }
    }
}

impl IntoResponse for Unreadable {
    fn into_response(self) -> Response {
        if self.api {
            self.error.into_response()
        } else {
            self.error.page(self.lang).into_response()
        }
    }
}

/// A path parameter that does not parse is a 404: the address names nothing.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = Unreadable;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Unreadable> {
        if holds_nul(parts.uri.path().as_bytes(), b"%00") {
            return Err(Unreadable::new(parts, StatusCode::NOT_FOUND));
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => {
                let status = match e {
                    PathRejection::FailedToDeserializePathParams(_) => StatusCode::NOT_FOUND,
                    other => other.status(),
                };
                Err(Unreadable::new(parts, status))
            }
        }
    }
}

/// The query string.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Unreadable;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Unreadable> {
        if holds_nul(parts.uri.query().unwrap_or("").as_bytes(), b"%00") {
            return Err(Unreadable::nul(parts));
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(Unreadable::new(parts, e.status())),
        }
    }
}

/// A form body (`application/x-www-form-urlencoded`), under the route's body limit.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = Unreadable;

    async fn from_request(req: Request, state: &S) -> Result<Self, Unreadable> {
        let (mut parts, body) = req.into_parts();
        let head = clone_head(&mut parts);
        let is_form = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(Unreadable::new(&head, StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| Unreadable::new(&head, e.status()))?;
        if holds_nul(&bytes, b"%00") {
            return Err(Unreadable::nul(&head));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(Form)
            .map_err(|_| Unreadable::new(&head, StatusCode::UNPROCESSABLE_ENTITY))
    }
}

/// A JSON body, under the route's body limit.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Unreadable;

    async fn from_request(req: Request, state: &S) -> Result<Self, Unreadable> {
        let (mut parts, body) = req.into_parts();
        let head = clone_head(&mut parts);
        let is_json = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/json"));
        if !is_json {
            return Err(Unreadable::new(&head, StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| Unreadable::new(&head, e.status()))?;
        if holds_nul(&bytes, b"\\u0000") {
            return Err(Unreadable::nul(&head));
        }
        serde_json::from_slice(&bytes)
            .map(Json)
            .map_err(|_| Unreadable::new(&head, StatusCode::UNPROCESSABLE_ENTITY))
    }
}

/// Whether `bytes` hold a NUL, raw or as `escaped`. No text gaoxin keeps has one, and
/// PostgreSQL refuses to store it: the request is refused whole instead of failing half-way.
fn holds_nul(bytes: &[u8], escaped: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes
            .windows(escaped.len())
            .any(|w| w.eq_ignore_ascii_case(escaped))
}

/// What an answer needs of a request whose body an extractor consumes: its address and
/// headers (the language).
fn clone_head(parts: &mut Parts) -> Parts {
    let mut head = axum::http::Request::new(()).into_parts().0;
    head.method = parts.method.clone();
    head.uri = parts.uri.clone();
    head.headers = parts.headers.clone();
    if let Some(original) = parts.extensions.get::<axum::extract::OriginalUri>() {
        head.extensions.insert(original.clone());
    }
    head
}
