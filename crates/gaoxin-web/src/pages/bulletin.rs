//! 调度通报 — the monthly bulletin as a page, a `.docx` (GB/T 9704 layout) and an `.xlsx`, all
//! three from one `gaoxin_core::bulletin::Bulletin`. The dispatch office and the leadership read
//! it (it covers every unit).

use super::{Chrome, Nav, PageCtx};
use crate::error::{PageError, WebError};
use crate::extract::Query;
use crate::i18n::Tr;
use askama::Template;
use axum::response::Response;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::bulletin::{self, Bulletin, Inputs, ItemIn, OrderIn, ReportIn};
use gaoxin_core::dispatch;
use gaoxin_core::monitor::{YearMonth, zone_status};
use gaoxin_core::time::{Date, Timestamp};
use gaoxin_store::OrderFilter;
use std::collections::HashMap;

/// Whether the account reads the bulletin: the dispatch office and leaders.
pub fn may_read(roles: &[RoleKind]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, RoleKind::Dispatcher | RoleKind::Leader))
}

/// The month asked for (`?period=YYYY-MM`, this month by default; not a future one).
fn period(cx: &PageCtx, q: &HashMap<String, String>) -> Result<YearMonth, PageError> {
    let now = YearMonth::of(cx.state.now());
    match q.get("period").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(now),
        Some(s) => YearMonth::parse(s).filter(|p| *p <= now).ok_or_else(|| {
            cx.fail(WebError::BadRequest {
                zh: "通报月份应写成 YYYY-MM，且不晚于本月，例如 2026-10。",
                en: "the month is written YYYY-MM and is not after this one, e.g. 2026-10.",
            })
        }),
    }
}

/// Reads everything the bulletin reports on and builds it.
async fn build(cx: &PageCtx, q: &HashMap<String, String>) -> Result<Bulletin, PageError> {
    let session = cx
        .session
        .as_ref()
        .ok_or_else(|| cx.fail(WebError::Forbidden))?;
    if !may_read(&session.account.roles) {
        return Err(cx.fail(WebError::Forbidden));
    }
    let plan = &cx.stored.plan;
    let p = period(cx, q)?;
    let m = plan.monitoring;
    // The reporting period the month belongs to (a quarter's last month when quarterly).
    let rp = dispatch::period_of(m.report_cycle, p);
    let now = cx.state.now();
    let today = Date::of(now);
    let store = &cx.state.store;
    let items = store
        .work_items(plan, &session.account, None, None)
        .await
        .map_err(|e| cx.fail(e))?;
    let reports = store.period_reports(rp).await.map_err(|e| cx.fail(e))?;
    let orders = store
        .orders(&session.account, &OrderFilter::default())
        .await
        .map_err(|e| cx.fail(e))?;
    let figures = store
        .cockpit_figures(plan, None, p)
        .await
        .map_err(|e| cx.fail(e))?;
    let evaluations = plan
        .zones()
        .flat_map(|z| zone_status(plan, &figures, &z.id, p))
        .collect();
    let due = dispatch::due_date(rp, m.report_day);
    let in_period = |t: i64| YearMonth::of(Timestamp(t)) == p;
    let inputs = Inputs {
        plan,
        period: p,
        cutoff: now,
        due_passed: today > due,
        due: due.to_string(),
        items: items
            .iter()
            .map(|i| ItemIn {
                id: i.id,
                task: i.task.clone(),
                title: i.title.clone(),
                responsible: i.responsible(),
                owes: i.owes(rp, m.report_day),
            })
            .collect(),
        reports: reports
            .iter()
            .map(|r| ReportIn {
                id: r.id,
                item: r.item_id,
                unit: r.unit.clone(),
                late: r.late,
                behind: r.behind,
            })
            .collect(),
        orders: orders
            .iter()
            // Orders opened after the month are not in its bulletin.
            .filter(|o| YearMonth::of(Timestamp(o.opened_at)) <= p)
            .map(|o| OrderIn {
                number: o.number(),
                title: o.title.clone(),
                assignee: o.assignee.clone(),
                deadline: o.deadline.map(|d| d.to_string()),
                state: o.state,
                light: o.light(today, m.warn_days),
                closed_in_period: o.closed_at.is_some_and(in_period),
            })
            .collect(),
        evaluations,
        sample: cx.sample,
    };
    Ok(bulletin::build(&inputs))
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
    for _ in 0..12 {
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
