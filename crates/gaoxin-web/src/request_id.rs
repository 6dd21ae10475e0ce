//! 请求编号 — every request gets an id: every log line written while it is served carries it
//! (a tracing span around the request), the response says it (`X-Request-Id`), and so does any
//! error page or JSON error, so a clerk's screenshot leads an administrator to the log lines.
//! An id a reverse proxy already gave the request (`X-Request-Id`, ≤ 64 of `[A-Za-z0-9._-]`)
//! is kept; otherwise gaoxin makes one.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being served by this task, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A new id: 12 random hex digits (a counter if the system has no randomness to give).
fn make() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    match gaoxin_store::random::bytes::<6>() {
        Ok(b) => b.iter().map(|x| format!("{x:02x}")).collect(),
        Err(_) => format!("n{}", COUNTER.fetch_add(1, Ordering::Relaxed)),
    }
}

/// The middleware: outermost, so the guard's and every handler's log lines are inside it.
pub async fn layer(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(make, str::to_string);
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path()
    );
    let mut resp = CURRENT
        .scope(id.clone(), next.run(req).instrument(span))
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(HEADER, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_incoming_id_is_kept_only_when_plain() {
        assert!(super::acceptable("req-1.a_B"));
        assert!(!super::acceptable(""));
        assert!(!super::acceptable("a b"));
        assert!(!super::acceptable("a\nb"));
        assert!(!super::acceptable(&"x".repeat(65)));
        assert_eq!(super::make().len(), 12);
    }
}
