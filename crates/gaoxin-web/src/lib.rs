//! The web layer of gaoxin: HTML pages (askama templates, htmx partials), the JSON API under
//! `/api/v1/` with its OpenAPI description, and the embedded static assets. The only crate that
//! knows HTTP, HTML and JSON shapes; it reads everything through `gaoxin-store` and computes
//! nothing the domain crate already computes.

mod admin;
mod api;
mod assets;
mod auth;
mod error;
pub mod i18n;
mod openapi;
mod pages;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gaoxin_core::auth::password::PasswordPolicy;
use gaoxin_core::time::Timestamp;
use gaoxin_store::{AuditKey, LoginPolicy, SecurityPolicy, Store, StoredPlan};
use std::sync::Arc;
use tokio::sync::Mutex;

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
}

/// The clock the server reads; tests inject their own.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// How the server is set up.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Served over HTTPS (directly or behind a TLS proxy): cookies get `Secure` and the
    /// `__Host-` prefix.
    pub https: bool,
    pub login: LoginPolicy,
    pub password: PasswordPolicy,
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
            store,
            plan: Arc::new(Mutex::new(None)),
            key,
            config: Arc::new(config),
            clock,
            dummy_hash: dummy_hash.into(),
            health: Arc::default(),
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

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::overview::page))
        .route("/plan", get(pages::plan::page))
        .route("/plan/text", get(pages::plan::text))
        .route("/duties", get(pages::duties::page))
        .route("/departments/{id}", get(pages::duties::department))
        .route("/monitor", get(pages::monitor::cockpit))
        .route("/monitor/{zone}", get(pages::monitor::zone))
        .route(
            "/figures",
            get(pages::figures::entry).post(pages::figures::entry_post),
        )
        .route(
            "/figures/review",
            get(pages::figures::review).post(pages::figures::review_post),
        )
        .route("/figures/missing", get(pages::figures::missing))
        .route(
            "/figures/periods",
            get(pages::figures::periods).post(pages::figures::periods_post),
        )
        .route("/figures/history", get(pages::figures::history))
        .route("/figures/template", get(pages::figures::template))
        .route(
            "/figures/upload",
            post(pages::figures::upload).layer(axum::extract::DefaultBodyLimit::max(
                gaoxin_excel::Limits::FIGURES.max_bytes + 64 * 1024,
            )),
        )
        .route(
            "/figures/upload/confirm",
            post(pages::figures::upload_confirm),
        )
        .route("/ledgers", get(pages::ledgers::index))
        .route("/ledgers/{id}", get(pages::ledgers::list))
        .route("/ledgers/{id}/export", get(pages::ledgers::export))
        .route("/ledgers/{id}/template", get(pages::ledgers::template))
        .route(
            "/ledgers/{id}/new",
            get(pages::ledgers::new_form).post(pages::ledgers::new_post),
        )
        .route(
            "/ledgers/{id}/upload",
            post(pages::ledgers::upload).layer(axum::extract::DefaultBodyLimit::max(
                gaoxin_excel::Limits::LEDGER.max_bytes + 64 * 1024,
            )),
        )
        .route(
            "/ledgers/{id}/upload/confirm",
            post(pages::ledgers::upload_confirm),
        )
        .route(
            "/ledgers/{id}/{record}",
            get(pages::ledgers::record).post(pages::ledgers::record_post),
        )
        .route("/work", get(pages::work::list))
        .route("/work/missing", get(pages::work::missing))
        .route(
            "/work/new",
            get(pages::work::new_form).post(pages::work::create),
        )
        .route("/work/{id}", get(pages::work::item))
        .route(
            "/work/{id}/edit",
            get(pages::work::edit_form).post(pages::work::edit),
        )
        .route("/work/{id}/report", post(pages::work::report))
        .route(
            "/work/{id}/attachments",
            post(pages::work::upload).layer(axum::extract::DefaultBodyLimit::max(
                gaoxin_core::dispatch::attachment::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/attachments/{id}", get(pages::work::download))
        .route("/bulletin", get(pages::bulletin::page))
        .route("/bulletin/docx", get(pages::bulletin::docx))
        .route("/bulletin/xlsx", get(pages::bulletin::xlsx))
        .route("/supervision", get(pages::supervision::list))
        .route(
            "/supervision/new",
            get(pages::supervision::new_form).post(pages::supervision::create),
        )
        .route(
            "/supervision/{id}",
            get(pages::supervision::order).post(pages::supervision::step),
        )
        .route(
            "/inbox",
            get(pages::supervision::inbox).post(pages::supervision::inbox_read),
        )
        .route("/login", get(auth::login_page).post(auth::login_form))
        .route("/logout", post(auth::logout_form))
        .route("/account", get(auth::account_page))
        .route(
            "/admin/accounts",
            get(admin::accounts).post(admin::create_account),
        )
        .route("/admin/accounts/{name}", post(admin::account_action))
        .route("/admin/roles", get(admin::roles))
        .route("/admin/policy", get(admin::policy).post(admin::set_policy))
        .route("/admin/roles/{name}", post(admin::set_roles))
        .route("/audit", get(admin::audit))
        .route("/audit/export", get(admin::audit_export))
        .route(
            "/account/2fa",
            get(auth::second_factor_page).post(auth::second_factor_form),
        )
        .route(
            "/account/password",
            get(auth::password_page).post(auth::password_form),
        )
        .route("/lang", get(switch_lang))
        .route("/healthz", get(healthz))
        .route("/assets/{name}", get(assets::serve))
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", get(openapi::spec))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(middleware::from_fn(security_headers))
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
    let next = if q.next.starts_with('/') && !q.next.starts_with("//") && !q.next.contains('\\') {
        q.next.as_str()
    } else {
        "/"
    };
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
