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
pub mod routes;

use crate::extract::Query;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
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

/// Every route of the application, with what each requires: the router and the guard's
/// access table come from this one list ([`routes::Routes`]).
fn routes() -> routes::Routes {
    use auth::Access::{Public, SignedIn};
    use gaoxin_core::auth::Capability::{ManageAccounts, ManageSecurity, ReadAudit};
    let business = auth::Access::Needs(gaoxin_core::auth::Capability::ReadBusiness);
    let upload_limit = |bytes: usize| axum::extract::DefaultBodyLimit::max(bytes + 64 * 1024);
    routes::Routes::new()
        .get("/", business, pages::overview::page)
        .get("/plan", business, pages::plan::page)
        .get("/plan/text", business, pages::plan::text)
        .get("/duties", business, pages::duties::page)
        .get("/departments/{id}", business, pages::duties::department)
        .get("/monitor", business, pages::monitor::cockpit)
        .get("/monitor/{zone}", business, pages::monitor::zone)
        .get("/figures", business, pages::figures::entry)
        .post("/figures", business, pages::figures::entry_post)
        .get("/figures/review", business, pages::figures::review)
        .post("/figures/review", business, pages::figures::review_post)
        .get("/figures/missing", business, pages::figures::missing)
        .get("/figures/periods", business, pages::figures::periods)
        .post("/figures/periods", business, pages::figures::periods_post)
        .get("/figures/history", business, pages::figures::history)
        .get("/figures/template", business, pages::figures::template)
        .method(
            "POST",
            "/figures/upload",
            business,
            post(pages::figures::upload)
                .layer(upload_limit(gaoxin_excel::Limits::FIGURES.max_bytes)),
        )
        .post(
            "/figures/upload/confirm",
            business,
            pages::figures::upload_confirm,
        )
        .get("/ledgers", business, pages::ledgers::index)
        .get("/ledgers/{id}", business, pages::ledgers::list)
        .get("/ledgers/{id}/export", business, pages::ledgers::export)
        .get("/ledgers/{id}/template", business, pages::ledgers::template)
        .get("/ledgers/{id}/new", business, pages::ledgers::new_form)
        .post("/ledgers/{id}/new", business, pages::ledgers::new_post)
        .method(
            "POST",
            "/ledgers/{id}/upload",
            business,
            post(pages::ledgers::upload)
                .layer(upload_limit(gaoxin_excel::Limits::LEDGER.max_bytes)),
        )
        .post(
            "/ledgers/{id}/upload/confirm",
            business,
            pages::ledgers::upload_confirm,
        )
        .get("/ledgers/{id}/{record}", business, pages::ledgers::record)
        .post(
            "/ledgers/{id}/{record}",
            business,
            pages::ledgers::record_post,
        )
        .get("/work", business, pages::work::list)
        .get("/work/missing", business, pages::work::missing)
        .get("/work/new", business, pages::work::new_form)
        .post("/work/new", business, pages::work::create)
        .get("/work/{id}", business, pages::work::item)
        .get("/work/{id}/edit", business, pages::work::edit_form)
        .post("/work/{id}/edit", business, pages::work::edit)
        .post("/work/{id}/report", business, pages::work::report)
        .method(
            "POST",
            "/work/{id}/attachments",
            business,
            post(pages::work::upload)
                .layer(upload_limit(gaoxin_core::dispatch::attachment::MAX_BYTES)),
        )
        .get("/attachments/{id}", business, pages::work::download)
        .get("/bulletin", business, pages::bulletin::page)
        .get("/bulletin/docx", business, pages::bulletin::docx)
        .get("/bulletin/xlsx", business, pages::bulletin::xlsx)
        .get("/supervision", business, pages::supervision::list)
        .get("/supervision/new", business, pages::supervision::new_form)
        .post("/supervision/new", business, pages::supervision::create)
        .get("/supervision/{id}", business, pages::supervision::order)
        .post("/supervision/{id}", business, pages::supervision::step)
        .get("/inbox", business, pages::supervision::inbox)
        .post("/inbox", business, pages::supervision::inbox_read)
        .get("/login", Public, account::signin::login_page)
        .method(
            "POST",
            "/login",
            Public,
            post(account::signin::login_form).layer(axum::extract::DefaultBodyLimit::max(
                account::signin::LOGIN_BODY_MAX,
            )),
        )
        .post("/logout", SignedIn, account::signin::logout_form)
        .get("/account", SignedIn, account::account_page)
        .get(
            "/account/2fa",
            SignedIn,
            account::second_factor::second_factor_page,
        )
        .post(
            "/account/2fa",
            SignedIn,
            account::second_factor::second_factor_form,
        )
        .get(
            "/account/password",
            SignedIn,
            account::password::password_page,
        )
        .post(
            "/account/password",
            SignedIn,
            account::password::password_form,
        )
        .get(
            "/admin/accounts",
            auth::Access::Needs(ManageAccounts),
            admin::accounts,
        )
        .post(
            "/admin/accounts",
            auth::Access::Needs(ManageAccounts),
            admin::create_account,
        )
        .post(
            "/admin/accounts/{name}",
            auth::Access::Needs(ManageAccounts),
            admin::account_action,
        )
        .get(
            "/admin/roles",
            auth::Access::Needs(ManageSecurity),
            admin::roles,
        )
        .post(
            "/admin/roles/{name}",
            auth::Access::Needs(ManageSecurity),
            admin::set_roles,
        )
        .get(
            "/admin/policy",
            auth::Access::Needs(ManageSecurity),
            admin::policy,
        )
        .post(
            "/admin/policy",
            auth::Access::Needs(ManageSecurity),
            admin::set_policy,
        )
        .get("/audit", auth::Access::Needs(ReadAudit), admin::audit)
        .get(
            "/audit/export",
            auth::Access::Needs(ReadAudit),
            admin::audit_export,
        )
        .get("/lang", Public, switch_lang)
        .get("/healthz", Public, healthz)
        .get("/assets/{name}", Public, assets::serve)
        .get("/api/openapi.json", Public, openapi::spec)
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
