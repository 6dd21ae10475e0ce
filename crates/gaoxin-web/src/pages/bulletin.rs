//! 调度通报 — the monthly bulletin as a page, a `.docx` (GB/T 9704 layout) and an `.xlsx`, all
//! three from one `gaoxin_core::bulletin::Bulletin`. Until published it is a draft the dispatch
//! office and the leadership read (it covers every unit); the dispatch office publishes it
//! (`POST /bulletin/publish`: 期号, frozen, sent to every unit), and then every unit reads it as
//! it was issued.

use super::{Chrome, Nav, PageCtx};
use crate::error::{PageError, WebError};
use crate::extract::{Form, Query};
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_app::bulletin::{Publication, Read};
use gaoxin_core::bulletin::{self, Bulletin};
use gaoxin_core::monitor::YearMonth;
use serde::Deserialize;
use std::collections::HashMap;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/bulletin", business, page)
        .get("/bulletin/docx", business, docx)
        .get("/bulletin/xlsx", business, xlsx)
        .get("/bulletin/pdf", business, pdf)
        .post("/bulletin/publish", business, publish)
}

/// The month asked for (`?period=YYYY-MM`; by default the current period, the month just
/// ended; the month running may be asked for, a future one not).
fn period(cx: &PageCtx, q: &HashMap<String, String>) -> Result<YearMonth, PageError> {
    let now = YearMonth::of(cx.state.now());
    match q.get("period").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(YearMonth::current(cx.state.now())),
        Some(s) => YearMonth::parse(s)
            .filter(|p| *p <= now)
            .ok_or_else(|| cx.fail(WebError::BadRequest(crate::i18n::Msg::bulletin_bad_month()))),
    }
}

/// The month's published bulletin, or the draft built from the data as it is.
async fn build(cx: &PageCtx, q: &HashMap<String, String>) -> Result<Bulletin, PageError> {
    read(cx, q).await.map(|r| r.bulletin().clone())
}

async fn read(cx: &PageCtx, q: &HashMap<String, String>) -> Result<Read, PageError> {
    let p = period(cx, q)?;
    let session = crate::pages::session_of(cx)?;
    let acting = cx.acting(&session.account);
    gaoxin_app::bulletin::read(&acting, p, cx.sample)
        .await
        .map_err(|e| cx.fail(e))
}

#[derive(Template)]
#[template(path = "bulletin.html")]
struct BulletinPage {
    c: Chrome,
    t: Tr,
    b: Bulletin,
    notice: &'static str,
    /// Each month offered: `(YYYY-MM, selected, published)`.
    months: Vec<(String, bool, bool)>,
    /// Not published yet.
    draft: bool,
    /// The reader publishes bulletins (the dispatch office).
    may_publish: bool,
    /// The server makes PDFs (LibreOffice is installed).
    pdf: bool,
    /// What the last step did: published now, or already out.
    done: Option<String>,
    csrf: String,
}

/// `GET /bulletin?period=YYYY-MM`.
pub async fn page(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let read = read(&cx, &q).await?;
    let draft = matches!(read, Read::Draft(_));
    let b = read.bulletin().clone();
    let published = cx
        .state
        .store
        .bulletin_issues()
        .await
        .map_err(|e| cx.fail(e))?;
    let mut months = Vec::new();
    let mut m = YearMonth::of(cx.state.now());
    for _ in 0..13 {
        months.push((
            m.to_string(),
            m.to_string() == b.period,
            published.iter().any(|i| i.period == m),
        ));
        m = m.previous();
    }
    let session = crate::pages::session_of(&cx)?;
    let t = cx.t;
    let done = match (q.get("published"), q.get("already")) {
        (Some(_), _) => b
            .issued
            .as_ref()
            .map(|i| fill(t.bulletin_published_now(), &[&i.line()])),
        (None, Some(n)) => Some(fill(t.bulletin_already_out(), &[n])),
        _ => None,
    };
    let page = BulletinPage {
        c: cx.chrome(Nav::Bulletin),
        t,
        notice: bulletin::SAMPLE_NOTICE,
        b,
        months,
        draft,
        may_publish: bulletin::may_publish(session.account.who()),
        pdf: crate::pdf::available(),
        done,
        csrf: session.csrf_token.clone(),
    };
    cx.render(&page)
}

#[derive(Deserialize)]
pub struct PublishForm {
    period: String,
}

/// `POST /bulletin/publish`: the dispatch office publishes a month's bulletin.
pub async fn publish(cx: PageCtx, Form(f): Form<PublishForm>) -> Result<Response, PageError> {
    let q: HashMap<String, String> = [("period".to_string(), f.period)].into();
    let p = period(&cx, &q)?;
    let session = crate::pages::session_of(&cx)?;
    let acting = cx.acting(&session.account);
    let out = gaoxin_app::bulletin::publish(&acting, p, cx.sample)
        .await
        .map_err(|e| cx.fail(e))?;
    let to = match out {
        Publication::Issued(_) => format!("/bulletin?period={p}&published=1"),
        Publication::AlreadyOut(n) => format!("/bulletin?period={p}&already={n}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// `GET /bulletin/docx?period=`: the Word document.
pub async fn docx(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let b = build(&cx, &q).await?;
    let bytes =
        gaoxin_docx::bulletin_docx(&b).map_err(|e| cx.fail(WebError::Document(e.to_string())))?;
    Ok(super::download(
        &format!("调度通报-{}.docx", b.period),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        bytes,
    ))
}

/// `GET /bulletin/pdf?period=`: the Word document as PDF, by LibreOffice (404 where the server
/// has none: the link is not shown there).
pub async fn pdf(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if !crate::pdf::available() {
        return Err(cx.fail(WebError::NotFound));
    }
    let b = build(&cx, &q).await?;
    let docx =
        gaoxin_docx::bulletin_docx(&b).map_err(|e| cx.fail(WebError::Document(e.to_string())))?;
    let bytes = crate::pdf::from_docx(&docx)
        .await
        .map_err(|e| cx.fail(WebError::Document(e.to_string())))?;
    Ok(super::download(
        &format!("调度通报-{}.pdf", b.period),
        "application/pdf",
        bytes,
    ))
}

/// `GET /bulletin/xlsx?period=`: the workbook.
pub async fn xlsx(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let b = build(&cx, &q).await?;
    let bytes = gaoxin_excel::bulletin_workbook(&b)
        .map_err(|e| cx.fail(WebError::Document(e.to_string())))?;
    Ok(super::download(
        &format!("调度通报-{}.xlsx", b.period),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}
