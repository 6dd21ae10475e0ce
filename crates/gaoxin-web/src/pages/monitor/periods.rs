//! 报送期限 — each period's deadline, set and reopened by the dispatch office.

use crate::error::{PageError, WebError};
use crate::i18n::{Tr, fill};
use crate::pages::{Chrome, Nav, PageCtx, respond, session_of};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::monitor::workflow::WorkflowError;
use gaoxin_core::time::Timestamp;
use gaoxin_store::FigureError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "figures_periods.html")]
pub(super) struct PeriodsPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    rows: Vec<(String, String, bool)>,
    notice: Option<String>,
    error: Option<String>,
}

pub(super) async fn periods_page(
    cx: &PageCtx,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(cx)?;
    if !session.account.who().is_dispatcher() {
        return Err(cx.fail(WebError::Forbidden));
    }
    let now = cx.state.now();
    let mut rows = Vec::new();
    let mut p = YearMonth::of(now);
    for _ in 0..12 {
        let d = cx
            .state
            .store
            .period_deadline(plan, p)
            .await
            .map_err(|e| cx.fail(e))?;
        rows.push((p.to_string(), d.human(cx.lang.into()), now <= d));
        p = p.previous();
    }
    let page = PeriodsPage {
        c: cx.chrome(Nav::Figures),
        t: cx.t,
        csrf: session.csrf_token.clone(),
        rows,
        notice,
        error,
    };
    Ok(respond(cx.lang, status, &page))
}

/// `GET /figures/periods`: the dispatcher's view of each period's deadline.
pub async fn periods(cx: PageCtx) -> Result<Response, PageError> {
    periods_page(&cx, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct DeadlineForm {
    period: String,
    /// `YYYY-MM-DD`: entry closes at the end of that day, Beijing time.
    until: String,
}

pub(super) fn parse_date(s: &str) -> Option<Timestamp> {
    let mut parts = s.trim().split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let t = Timestamp::from_civil(y, m, d, 86_399);
    // 2025-02-30 would roll over into March: refuse it.
    (t.civil_date() == (y, m, d)).then_some(t)
}

/// `POST /figures/periods`: sets (or reopens with) a period's deadline.
pub async fn periods_post(
    cx: PageCtx,
    crate::auth::ConnectInfoOr(ip): crate::auth::ConnectInfoOr,
    crate::extract::Form(f): crate::extract::Form<DeadlineForm>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let (Some(period), Some(until)) = (YearMonth::parse(&f.period), parse_date(&f.until)) else {
        return periods_page(
            &cx,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(t.deadline_form_invalid().to_string()),
        )
        .await;
    };
    let actor = gaoxin_store::Actor::of(&session.account, &ip);
    match cx
        .state
        .store
        .set_period_deadline(
            &gaoxin_store::Act::of(plan, &session.account, cx.state.now()),
            &actor,
            &cx.state.key,
            period,
            until,
        )
        .await
    {
        Ok(()) => {
            let notice = fill(t.deadline_set(), &[&period, &until.human(cx.lang.into())]);
            periods_page(&cx, StatusCode::OK, Some(notice), None).await
        }
        Err(FigureError::Workflow(e)) => Err(cx.fail(match e {
            WorkflowError::NotPermitted => WebError::Forbidden,
            _ => WebError::NotFound,
        })),
        Err(FigureError::Store(e)) => Err(cx.fail(e)),
    }
}
