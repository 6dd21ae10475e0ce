//! HTML pages. Each page has a handler, a view struct built from the plan, and a template in
//! `templates/`. The layout (`base.html`) reads the shared [`Chrome`].

pub mod benchmarking;
pub mod bulletin;
pub mod duties;

pub mod dispatch;
pub mod enterprise;
pub mod ledger;
pub mod ledger_dashboard;
pub mod monitor;
pub mod month;
pub mod overview;
pub mod plan;
pub mod screen;
pub mod supervise;
pub mod task_board;
pub mod workbench;

use crate::error::{InLang, PageError, WebError};
use crate::i18n::{Lang, Tr};
use crate::{AppState, assets};
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::Uri;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use gaoxin_core::plan::{Comparator, Plan, Quote, format_value};
use gaoxin_store::StoredPlan;
use std::sync::Arc;

/// Which navigation entry is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Workbench,
    Overview,
    Plan,
    Duties,
    Text,
    Monitor,
    Figures,
    Ledgers,
    Work,
    Supervision,
    Benchmarking,
    Bulletin,
    Inbox,
}

/// What the layout shows around every page.
#[derive(Debug)]
pub struct Chrome {
    pub t: Tr,
    pub lang: Lang,
    pub nav: Nav,
    /// Where the language switch returns to.
    pub lang_switch: String,
    pub plan_title: String,
    pub edition: String,
    pub version_no: i64,
    pub loaded_at: String,
    pub css: String,
    pub icon: String,
    /// The signed-in user's name and the CSRF token for the sign-out form.
    pub user: Option<(String, String)>,
    pub scripts: Vec<String>,
    /// The database holds sample data: every page says 示例数据.
    pub sample: bool,
    /// Unread messages in the signed-in account's inbox.
    pub unread: i64,
    /// The reader may read the monthly bulletin (its navigation entry shows).
    pub bulletin: bool,
    /// The reader reads business data: the enterprise search shows on every page.
    pub business: bool,
    /// Who printed the page and when (shown on paper only).
    pub printed: String,
}

impl Chrome {
    pub fn new(lang: Lang, nav: Nav, uri: &Uri, stored: &StoredPlan) -> Chrome {
        let next = uri.path_and_query().map_or("/", |p| p.as_str());
        let next: String = next
            .split('?')
            .next()
            .unwrap_or("/")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "/-_.".contains(*c))
            .collect();
        Chrome {
            t: Tr { lang },
            lang,
            nav,
            lang_switch: format!("/lang?to={}&next={next}", lang.other().code()),
            plan_title: stored.plan.title.clone(),
            edition: stored.plan.edition.clone(),
            version_no: stored.version.version_no,
            loaded_at: gaoxin_core::time::Timestamp::parse_iso8601(&stored.version.loaded_at)
                .map_or_else(
                    || stored.version.loaded_at.clone(),
                    |t| t.human(lang.into()),
                ),
            css: assets::url("app.css"),
            icon: assets::url("favicon.svg"),
            user: None,
            scripts: vec![assets::url("htmx.min.js"), assets::url("app.js")],
            sample: false,
            unread: 0,
            bulletin: false,
            business: false,
            printed: String::new(),
        }
    }

    /// Adds ECharts for pages with charts (before app.js, which uses it).
    pub fn with_charts(mut self) -> Chrome {
        self.scripts.insert(0, assets::url("echarts.min.js"));
        self
    }

    pub fn version_text(&self) -> String {
        crate::i18n::fill(self.t.version_no(), &[&self.version_no])
    }
}

/// What every page handler starts from: the language, the address, and the current plan.
#[derive(Debug)]
pub struct PageCtx {
    pub lang: Lang,
    pub t: Tr,
    pub uri: Uri,
    pub stored: Arc<StoredPlan>,
    pub state: AppState,
    /// The session the guard found (every page but the public ones has one).
    pub session: Option<gaoxin_store::Session>,
    /// Sample data was loaded (示例数据).
    pub sample: bool,
    /// Unread inbox messages of the session's account.
    pub unread: i64,
    /// The client's address, for the audit log.
    pub ip: String,
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Ok(lang) = Lang::from_request_parts(parts, state).await;
        let stored = state.plan().await.in_lang(lang)?;
        let session = parts.extensions.get::<gaoxin_store::Session>().cloned();
        let sample = state
            .store
            .has_sample_data()
            .await
            .map_err(WebError::from)
            .in_lang(lang)?;
        let unread = match &session {
            Some(s) => state
                .store
                .inbox_unread(s.account.id)
                .await
                .map_err(WebError::from)
                .in_lang(lang)?,
            None => 0,
        };
        let ip = crate::auth::client_ip(&parts.extensions);
        // What a page changes is sealed into the audit log with where its author is.
        let mut state = state.clone();
        state.store = state.store.acting_from(&ip);
        Ok(PageCtx {
            ip,
            unread,
            sample,
            session,
            lang,
            t: Tr { lang },
            uri: parts.uri.clone(),
            stored,
            state,
        })
    }
}

/// 姓名 by user name (accounts without one are absent).
pub struct People(std::collections::HashMap<String, String>);

impl People {
    /// `张三（zhangsan）`, or the user name alone.
    pub fn show(&self, username: &str) -> String {
        gaoxin_core::auth::person(username, self.0.get(username).map_or("", String::as_str))
    }
}

impl PageCtx {
    /// The use cases' context for `account` acting through this request (the store records
    /// the request's address).
    pub fn acting<'a>(&'a self, account: &'a gaoxin_store::Account) -> gaoxin_app::Acting<'a> {
        gaoxin_app::Acting::account(
            &self.state.store,
            &self.stored.plan,
            account,
            self.state.now(),
        )
    }

    /// The people behind the accounts, to show a history's user names with their 姓名.
    pub async fn people(&self) -> Result<People, PageError> {
        self.state
            .store
            .people()
            .await
            .map(People)
            .map_err(|e| self.fail(e))
    }

    /// A record outside the reader's scope: the refusal is audited, and the answer is the one
    /// for a record that does not exist.
    pub async fn hidden(&self, target: String) -> PageError {
        if let Some(session) = &self.session {
            crate::auth::out_of_scope(&self.state, session, &self.ip, target).await;
        }
        self.fail(WebError::NotFound)
    }

    /// The layout around a page whose navigation entry is `nav`.
    pub fn chrome(&self, nav: Nav) -> Chrome {
        let mut c = Chrome::new(self.lang, nav, &self.uri, &self.stored);
        c.user = self
            .session
            .as_ref()
            .map(|s| (s.account.username.clone(), s.csrf_token.clone()));
        c.sample = self.sample;
        c.unread = self.unread;
        c.bulletin = self
            .session
            .as_ref()
            .is_some_and(|s| gaoxin_core::bulletin::may_read(s.account.who()));
        if let Some(s) = &self.session {
            c.printed = crate::i18n::fill(
                self.t.printed_by(),
                &[
                    &s.account.username,
                    &self.state.now().human(self.lang.into()),
                ],
            );
        }
        c.business = self.session.as_ref().is_some_and(|s| {
            gaoxin_core::auth::allows(
                &s.account.roles,
                gaoxin_core::auth::Capability::ReadBusiness,
            )
        });
        c
    }

    /// Renders a page; a failure becomes an error page in the user's language.
    pub fn render<T: Template>(&self, page: &T) -> Result<Response, PageError> {
        render(page).in_lang(self.lang)
    }

    /// An error as a page in the user's language.
    pub fn fail(&self, error: impl Into<WebError>) -> PageError {
        error.into().page(self.lang)
    }
}

/// The `file` field of an Excel upload form: the name it was sent with and its bytes; or the
/// message why there is none (too large or broken off, or no file chosen).
pub async fn excel_upload(
    t: crate::i18n::Tr,
    multipart: &mut axum::extract::Multipart,
) -> Result<(Option<String>, axum::body::Bytes), &'static str> {
    let mut file = None;
    let mut broken = false;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().map(str::to_string);
            match field.bytes().await {
                Ok(b) => file = Some((name, b)),
                Err(_) => broken = true,
            }
        }
    }
    match file.filter(|(_, b)| !b.is_empty()) {
        Some(file) => Ok(file),
        None if broken => Err(t.upload_too_large()),
        None => Err(t.upload_no_file()),
    }
}

/// An uploaded file's name as kept with its dry run: at most 200 characters.
pub fn short_name(name: Option<String>) -> String {
    name.unwrap_or_default().chars().take(200).collect()
}

/// The session of a page that needs one (the guard let only signed-in requests through).
pub fn session_of(cx: &PageCtx) -> Result<&gaoxin_store::Session, PageError> {
    cx.session
        .as_ref()
        .ok_or_else(|| cx.fail(WebError::Forbidden))
}

/// A confirmation whose upload is not waiting (confirmed already, expired, or another
/// account's): the same answer for every upload.
pub const UPLOAD_GONE: WebError = WebError::BadRequest(crate::i18n::Msg::upload_gone());

/// The version of the record a form was filled on (optimistic saves), or why the form is bad.
pub fn form_version(
    cx: &PageCtx,
    form: &std::collections::HashMap<String, String>,
) -> Result<i64, PageError> {
    form.get("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| cx.fail(WebError::BadRequest(crate::i18n::Msg::form_no_version())))
}

/// A file to download: always an attachment, its name for every browser (RFC 6266/5987), never
/// cached.
pub fn download(file_name: &str, mime: &str, bytes: Vec<u8>) -> Response {
    use axum::http::header;
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The furthest page a list takes (a larger number is taken as this one).
const MAX_PAGE: i64 = 100_000;

/// The page of a list asked for (`page=`): 1 when absent or not a number, at most [`MAX_PAGE`].
pub fn page_asked(value: Option<&str>) -> i64 {
    value
        .and_then(|p| p.trim().parse::<i64>().ok())
        .map_or(1, |p| p.clamp(1, MAX_PAGE))
}

/// A paged list's page and the links to the pages beside it, each keeping the list's filters
/// (`templates/pager.html`; the next link's id is `{id}-next`).
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub id: &'static str,
}

impl Pager {
    /// Page `page` of `total` items, `size` to a page, at `path` with `filters`; past the end
    /// (a list that shrank, an edited address), the last page's address to redirect to.
    pub fn new(
        path: &str,
        filters: &[(&str, &str)],
        page: i64,
        total: i64,
        size: i64,
        id: &'static str,
    ) -> Result<Pager, String> {
        let pages = ((total + size - 1) / size).max(1);
        let link = |to: i64| {
            let to = to.to_string();
            let mut params = filters.to_vec();
            params.push(("page", &to));
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(params).unwrap_or_default()
            )
        };
        if page > pages {
            return Err(link(pages));
        }
        Ok(Pager {
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages && page < MAX_PAGE).then(|| link(page + 1)),
            id,
        })
    }
}

/// Renders a page with `status`; a template failure becomes an error page in `lang`.
pub fn respond<T: Template>(lang: Lang, status: axum::http::StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => WebError::Render(e).page(lang).into_response(),
    }
}

/// Renders a template into a response.
pub fn render<T: Template>(page: &T) -> Result<Response, WebError> {
    page.render()
        .map(|html| Html(html).into_response())
        .map_err(WebError::Render)
}

/// A link into the plan text at a quote.
#[derive(Debug, Clone)]
pub struct SourceLink {
    pub href: String,
    pub quote: String,
}

impl SourceLink {
    pub fn of(q: &Quote) -> SourceLink {
        SourceLink {
            href: format!("/plan/text#{}", q.anchor),
            quote: q.text.clone(),
        }
    }
}

/// `≥7%`, `≤20 名次`, `2–3 个`.
pub fn target_text(comparator: Comparator, value: f64, max: Option<f64>, unit: &str) -> String {
    let sep = if unit == "%" { "" } else { " " };
    match (comparator, max) {
        (Comparator::Between, Some(max)) => {
            format!("{}–{}{sep}{unit}", format_value(value), format_value(max))
        }
        _ => format!("{}{}{sep}{unit}", comparator.symbol(), format_value(value)),
    }
}

/// A department's name, or its id if the plan does not define it.
pub fn department_name(plan: &Plan, id: &str) -> String {
    plan.department(id)
        .map_or_else(|| id.to_string(), |d| d.name.clone())
}

/// The departments that answer for a unit (a zone's 管委会, a county's government), by name,
/// as a Chinese list.
pub fn unit_departments(plan: &Plan, unit: &str) -> String {
    plan.departments
        .iter()
        .filter(|d| d.unit.as_deref() == Some(unit))
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// A unit's name, or its id if the plan does not define it.
pub fn unit_name(plan: &Plan, id: &str) -> String {
    plan.unit(id)
        .map_or_else(|| id.to_string(), |u| u.name.clone())
}

/// A computed value with its unit: `8.5%`, `324 家`, rounded to two decimals.
pub fn with_unit(v: f64, unit: &str) -> String {
    let n = gaoxin_core::plan::format_rounded(v);
    if unit == "%" {
        format!("{n}%")
    } else {
        format!("{n} {unit}")
    }
}

/// A problem (or a note) of an uploaded file, by row and column, in the reader's language.
#[derive(Debug, Clone)]
pub struct RowMessage {
    pub line: usize,
    pub column: String,
    pub text: String,
}

/// Each row error or note in `lang`.
pub fn row_messages(
    lang: Lang,
    rows: &[gaoxin_core::monitor::import::RowError],
) -> Vec<RowMessage> {
    rows.iter()
        .map(|e| RowMessage {
            line: e.line,
            column: e.column.clone(),
            text: if lang == Lang::Zh { &e.zh } else { &e.en }.clone(),
        })
        .collect()
}

/// A workbook as a download.
pub fn xlsx_response(file_name: &str, bytes: Vec<u8>) -> Response {
    use axum::http::header;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A link to a department's page.
#[derive(Debug, Clone)]
pub struct DeptLink {
    pub id: String,
    pub name: String,
}

pub fn dept_links(plan: &Plan, ids: &[String]) -> Vec<DeptLink> {
    ids.iter()
        .map(|id| DeptLink {
            id: id.clone(),
            name: department_name(plan, id),
        })
        .collect()
}

/// Fallback for addresses that match no route.
pub async fn not_found(lang: Lang) -> PageError {
    WebError::NotFound.page(lang)
}
