//! 留痕 — every step of one value.

use super::entry::*;
use crate::error::{PageError, WebError};
use crate::extract::Query;
use crate::i18n::Tr;
use crate::pages::{Chrome, Nav, PageCtx, session_of, unit_name, with_unit};
use askama::Template;
use axum::response::Response;
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::monitor::workflow::may_see;
use gaoxin_core::time::Timestamp;
use serde::Deserialize;

pub(super) struct HistoryRow {
    at: String,
    account: String,
    step: String,
    from: String,
    to: String,
    old_value: String,
    new_value: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "figures_history.html")]
pub(super) struct HistoryPage {
    c: Chrome,
    t: Tr,
    title: String,
    rows: Vec<HistoryRow>,
}

#[derive(Debug, Deserialize)]
pub struct HistoryQuery {
    unit: String,
    figure: String,
    period: String,
}

/// `GET /figures/history?unit=&figure=&period=`: every step of one value.
pub async fn history(cx: PageCtx, Query(q): Query<HistoryQuery>) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let (Some(period), Some(f), Some(_)) = (
        YearMonth::parse(&q.period),
        plan.figure(&q.figure),
        plan.unit(&q.unit),
    ) else {
        return Err(cx.fail(WebError::NotFound));
    };
    let w = session.account.who();
    if !(may_see(plan, w, &q.unit, f) || w.is_dispatcher()) {
        let target = format!("figure:{}/{}/{}", q.unit, q.figure, q.period);
        return Err(cx.hidden(target).await);
    }
    let events = cx
        .state
        .store
        .figure_history(&q.unit, &f.id, period)
        .await
        .map_err(|e| cx.fail(e))?;
    let step_text = |s: &str| -> String {
        match s {
            "save" => t.step_save(),
            "submit" => t.step_submit(),
            "approve" => t.step_approve(),
            "return" => t.step_return(),
            "confirm" => t.step_confirm(),
            "import" => t.step_import(),
            other => other,
        }
        .to_string()
    };
    let people = cx.people().await?;
    let rows = events
        .iter()
        .map(|e| HistoryRow {
            at: Timestamp(e.at).human(cx.lang.into()),
            account: people.show(&e.account),
            step: step_text(&e.step),
            from: e
                .from_state
                .map_or(t.state_none(), |s| state_text(cx.lang, s))
                .to_string(),
            to: state_text(cx.lang, e.to_state).to_string(),
            old_value: e
                .old_value
                .map(|v| with_unit(v, &f.unit))
                .unwrap_or_default(),
            new_value: with_unit(e.new_value, &f.unit),
            reason: e.reason.clone(),
        })
        .collect();
    let page = HistoryPage {
        c: cx.chrome(Nav::Figures),
        t,
        title: format!("{} · {} · {period}", unit_name(plan, &q.unit), f.name),
        rows,
    };
    cx.render(&page)
}
