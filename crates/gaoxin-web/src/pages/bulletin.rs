//! 调度通报 — the monthly bulletin as a page, a `.docx` (GB/T 9704 layout) and an `.xlsx`, all
//! three from one `gaoxin_core::bulletin::Bulletin`. The dispatch office and the leadership read
//! it (it covers every unit).

use super::{Chrome, Nav, PageCtx};
use crate::error::{PageError, WebError};
use crate::extract::Query;
use crate::i18n::Tr;
use askama::Template;
use axum::response::Response;
use gaoxin_core::bulletin::{self, Bulletin};
use gaoxin_core::monitor::YearMonth;
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

/// Reads everything the bulletin reports on and builds it.
async fn build(cx: &PageCtx, q: &HashMap<String, String>) -> Result<Bulletin, PageError> {
    let p = period(cx, q)?;
    let session = crate::pages::session_of(cx)?;
    let acting = cx.acting(&session.account);
    gaoxin_app::bulletin::assemble(&acting, p, cx.sample)
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
    months: Vec<(String, bool)>,
}

/// `GET /bulletin?period=YYYY-MM`.
pub async fn page(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let b = build(&cx, &q).await?;
    let mut months = Vec::new();
    let mut m = YearMonth::of(cx.state.now());
    for _ in 0..13 {
        months.push((m.to_string(), m.to_string() == b.period));
        m = m.previous();
    }
    let page = BulletinPage {
        c: cx.chrome(Nav::Bulletin),
        t: cx.t,
        notice: bulletin::SAMPLE_NOTICE,
        b,
        months,
    };
    cx.render(&page)
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
