//! The web layer of gaoxin: HTML pages (askama templates, htmx partials), the JSON API under
//! `/api/v1/` with its OpenAPI description, and the embedded static assets. The only crate that
//! knows HTTP, HTML and JSON shapes; it reads everything through `gaoxin-store` and computes
//! nothing the domain crate already computes.

mod account;
mod admin;
mod api;
mod assets;
mod auth;
mod error;
mod extract;
pub mod i18n;
mod openapi;
mod pages;
mod pdf;
pub mod request_id;
pub mod routes;

use crate::extract::Query;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_core::auth::password::PasswordPolicy;
use gaoxin_core::time::Timestamp;
use gaoxin_store::{AuditKey, LoginPolicy, SecurityPolicy, Store, StoredPlan};
use std::sync::Arc;
use tokio::sync::Mutex;

pub use auth::Access;
pub use error::WebError;

/// What every handler shares: the store, and the current plan parsed once per version.
#[derive(Clone)]
pub struct AppState {
    store: Store,
    plan: Arc<Mutex<Option<Arc<StoredPlan>>>>,
    key: AuditKey,
    config: Arc<Config>,
    clock: Clock,
    /// A hash to check passwords of unknown users against, so they take as long as known ones.
    dummy_hash: Arc<str>,
    /// The last health check, so `/healthz` writes at most every few seconds.
    health: Arc<Mutex<Option<(Timestamp, Health)>>>,
    /// What each route and method requires (filled by [`router`]).
    access: Arc<routes::AccessMap>,
}

/// The clock the server reads; tests inject their own.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Served over HTTPS (directly or behind a TLS proxy): cookies get `Secure` and the
    /// `__Host-` prefix.
    pub https: bool,
    pub login: LoginPolicy,
    pub password: PasswordPolicy,
    /// The longest a request may take: a database that stops answering in the middle of a
    /// query (its server gone without closing the connection) gets the person a page saying so
    /// instead of a browser spinning for a quarter of an hour.
    pub request_timeout: std::time::Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            https: false,
            login: LoginPolicy::default(),
            password: PasswordPolicy::default(),
            request_timeout: std::time::Duration::from_secs(60),
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(store: Store, key: AuditKey, config: Config) -> AppState {
        AppState::with_clock(store, key, config, Arc::new(gaoxin_store::now))
    }

    /// With an injected clock, for tests of expiry and lockout.
    pub fn with_clock(store: Store, key: AuditKey, config: Config, clock: Clock) -> AppState {
        let dummy_hash = gaoxin_core::auth::password::hash("gaoxin dummy password", &[0x5a; 16])
            .unwrap_or_default();
        AppState {
            // Every business change made through the web is sealed into the audit chain.
            store: store.sealing(key.clone()),
            plan: Arc::new(Mutex::new(None)),
            key,
            config: Arc::new(config),
            clock,
            dummy_hash: dummy_hash.into(),
            health: Arc::default(),
            access: Arc::default(),
        }
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The password and sign-in policy in force: what the security administrator stored, over
    /// the defaults the server was started with.
    async fn policy(&self) -> Result<(PasswordPolicy, LoginPolicy), gaoxin_store::StoreError> {
        let p = self.security_policy().await?;
        Ok((p.password(), p.login(&self.config.login)))
    }

    /// The stored policy over the start-up defaults, as the security administrator sees it.
    async fn security_policy(&self) -> Result<SecurityPolicy, gaoxin_store::StoreError> {
        let defaults = SecurityPolicy::from_parts(&self.config.password, &self.config.login);
        self.store.security_policy(defaults).await
    }

    /// The current plan. Re-read only when a newer version has been loaded (e.g. by
    /// `gaoxin plan load` while the server runs).
    async fn plan(&self) -> Result<Arc<StoredPlan>, WebError> {
        let newest = self
            .store
            .current_plan_version_id()
            .await?
            .ok_or(WebError::NoPlan)?;
        let mut cached = self.plan.lock().await;
        if let Some(p) = cached.as_ref().filter(|p| p.version.id == newest) {
            return Ok(p.clone());
        }
        let fresh = Arc::new(self.store.current_plan().await?.ok_or(WebError::NoPlan)?);
        *cached = Some(fresh.clone());
        Ok(fresh)
    }
}

/// Every route of the application, with what each requires: each page module declares its own
/// (`routes()` beside its handlers); the router and the guard's access table are built from
/// the merged list ([`routes::Routes`]).
fn routes() -> routes::Routes {
    use routes::Access::Public;
    routes::Routes::new()
        .merge(pages::workbench::routes())
        .merge(pages::month::routes())
        .merge(pages::overview::routes())
        .merge(pages::plan::routes())
        .merge(pages::duties::routes())
        .merge(pages::monitor::routes())
        .merge(pages::ledger::routes())
        .merge(pages::dispatch::routes())
        .merge(pages::task_board::routes())
        .merge(pages::enterprise::routes())
        .merge(pages::ledger_dashboard::routes())
        .merge(pages::screen::routes())
        .merge(pages::benchmarking::routes())
        .merge(pages::bulletin::routes())
        .merge(pages::supervise::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .get("/api/openapi.json", Public, openapi::spec)
        .get("/lang", Public, switch_lang)
        .get("/healthz", Public, healthz)
        .get("/assets/{name}", Public, assets::serve)
        .nest("/api/v1", api::routes())
}

/// Every route and method with the access it requires, as the guard enforces it (HEAD goes
/// with GET). For the route × role test.
pub fn route_table() -> Vec<routes::RouteAccess> {
    routes().table()
}

/// The application.
pub fn router(mut state: AppState) -> Router {
    let routes = routes();
    state.access = Arc::new(routes.access_map());
    routes
        .into_router()
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(request_id::layer))
        .with_state(state)
}

/// `GET /healthz`: 200 `ok` when the database takes a write (`ok: busy` while a long write
/// holds SQLite's lock), 503 with the reason when it cannot: unreachable, disk full,
/// read-only. The write is tried at most every few seconds, whoever asks.
async fn healthz(State(state): State<AppState>) -> Response {
    const FRESH_SECS: i64 = 5;
    let now = state.now();
    let mut last = state.health.lock().await;
    let answer = match &*last {
        Some((at, answer)) if (0..FRESH_SECS).contains(&(now.0 - at.0)) => *answer,
        _ => {
            let answer = match state.store.probe_write(now).await {
                Ok(gaoxin_store::WriteHealth::Writable) => Health::Ok,
                Ok(gaoxin_store::WriteHealth::Busy) => Health::Busy,
                Err(e) => {
                    tracing::error!(error = %e, "health check: the database takes no write");
                    Health::Down(e.availability())
                }
            };
            *last = Some((now, answer));
            answer
        }
    };
    drop(last);
    match answer {
        Health::Ok => (StatusCode::OK, "ok").into_response(),
        Health::Busy => (StatusCode::OK, "ok: busy (a long write is running)").into_response(),
        Health::Down(why) => {
            let why = match why {
                gaoxin_store::Availability::Full => "disk full",
                gaoxin_store::Availability::ReadOnly => "read-only",
                gaoxin_store::Availability::Unreachable => "unreachable",
                gaoxin_store::Availability::Busy | gaoxin_store::Availability::Other => "failing",
            };
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("database cannot write: {why}"),
            )
                .into_response()
        }
    }
}

/// What the last health check found.
#[derive(Debug, Clone, Copy)]
enum Health {
    Ok,
    Busy,
    Down(gaoxin_store::Availability),
}

#[derive(Debug, serde::Deserialize)]
struct LangSwitch {
    to: String,
    #[serde(default)]
    next: String,
}

/// `GET /lang?to=en&next=/plan`: remembers the language in a cookie and goes back.
async fn switch_lang(Query(q): Query<LangSwitch>) -> Response {
    let Some(lang) = i18n::Lang::from_code(&q.to) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    // Only paths on this site: never an open redirect.
    let next = auth::safe_next(&q.next);
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly",
        i18n::LANG_COOKIE,
        lang.code()
    );
    let mut resp = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// Gives up on a request that takes longer than [`Config::request_timeout`] (a database gone
/// silent mid-query), answering 503 with what happened.
async fn deadline(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let lang = i18n::Lang::from_parts(&parts);
    let api = parts.uri.path().starts_with("/api/");
    let req = axum::extract::Request::from_parts(parts, body);
    match tokio::time::timeout(state.config.request_timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::error!(
                "a request took longer than {:?}: given up",
                state.config.request_timeout
            );
            let e = WebError::TimedOut;
            if api {
                e.into_response()
            } else {
                e.page(lang).into_response()
            }
        }
    }
}

/// Headers every response carries: no framing, no sniffing, scripts only from this server.
async fn security_headers(req: axum::extract::Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    // Pages and API answers may hold unpublished figures: no copy in any cache. Assets say
    // otherwise themselves.
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
             form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// Serves the application on `listener` until ctrl-c or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
