//! 审核与确认 — what waits for this account's review or confirmation, and the steps.

use super::cockpit::BAD_PERIOD;
use super::entry::*;
use crate::error::{PageError, WebError};
use crate::i18n::{Tr, fill};
use crate::pages::{Chrome, Nav, PageCtx, respond, session_of, unit_name, with_unit};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use gaoxin_core::monitor::workflow::{Step, may_review};
use gaoxin_core::monitor::{FigureState, YearMonth, swing, swing_bound};
use gaoxin_core::time::Timestamp;
use gaoxin_store::FigureError;
use serde::Deserialize;

pub(super) struct ReviewRow {
    unit: String,
    unit_name: String,
    figure: String,
    figure_name: String,
    period: String,
    value: String,
    last_year: String,
    swing: String,
    swing_alert: bool,
    explanation: String,
    note: String,
    state: &'static str,
    revised: bool,
    by: String,
    at: String,
    version: i64,
    can_approve: bool,
    can_confirm: bool,
    can_return: bool,
}

#[derive(Template)]
#[template(path = "figures_review.html")]
pub(super) struct ReviewPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    rows: Vec<ReviewRow>,
    notice: Option<String>,
    error: Option<String>,
}

pub(super) async fn review_page(
    cx: &PageCtx,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(cx)?;
    let w = session.account.who();
    let store = &cx.state.store;
    let mut values = store
        .figures_in_state(FigureState::Submitted)
        .await
        .map_err(|e| cx.fail(e))?;
    values.extend(
        store
            .figures_in_state(FigureState::Reviewed)
            .await
            .map_err(|e| cx.fail(e))?,
    );
    let people = cx.people().await?;
    let mut rows = Vec::new();
    for v in values {
        let Some(f) = plan.figure(&v.figure) else {
            continue;
        };
        let submitted = v.state == FigureState::Submitted;
        let can_approve = submitted && may_review(w, f);
        let can_confirm = !submitted && w.is_dispatcher();
        let can_return = (submitted && (may_review(w, f) || w.is_dispatcher())) || can_confirm;
        if !can_return {
            continue;
        }
        let ly = store
            .figure_value(&v.unit, &v.figure, v.period.last_year())
            .await
            .map_err(|e| cx.fail(e))?
            .filter(|x| x.state.counts())
            .map(|x| x.value);
        let sw = swing(f.kind, v.value, ly);
        rows.push(ReviewRow {
            unit_name: unit_name(plan, &v.unit),
            figure_name: f.name.clone(),
            period: v.period.to_string(),
            value: with_unit(v.value, &f.unit),
            last_year: ly.map(|x| with_unit(x, &f.unit)).unwrap_or_default(),
            swing: sw.map(|s| format!("{:+.1}%", s)).unwrap_or_default(),
            swing_alert: sw.is_some_and(|s| s.abs() > swing_bound(plan, f)),
            explanation: v.explanation.clone(),
            note: v.note.clone(),
            state: state_text(cx.lang, v.state),
            revised: v.revised,
            by: people.show(&v.updated_by),
            at: Timestamp(v.updated_at).human(cx.lang.into()),
            version: v.version,
            can_approve,
            can_confirm,
            can_return,
            unit: v.unit,
            figure: v.figure,
        });
    }
    let page = ReviewPage {
        c: cx.chrome(Nav::Figures),
        t: cx.t,
        csrf: session.csrf_token.clone(),
        rows,
        notice,
        error,
    };
    Ok(respond(cx.lang, status, &page))
}

/// `GET /figures/review`: what waits for this account's review or confirmation.
pub async fn review(cx: PageCtx) -> Result<Response, PageError> {
    review_page(&cx, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    unit: String,
    figure: String,
    period: String,
    version: i64,
    action: String,
    #[serde(default)]
    reason: String,
}

/// `POST /figures/review`: `action=approve|return|confirm`.
pub async fn review_post(
    cx: PageCtx,
    crate::extract::Form(f): crate::extract::Form<ReviewForm>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let Some(period) = YearMonth::parse(&f.period) else {
        return Err(cx.fail(BAD_PERIOD));
    };
    let step = match f.action.as_str() {
        "approve" => Step::Approve,
        "confirm" => Step::Confirm,
        "return" => Step::Return {
            reason: f.reason.clone(),
        },
        _ => {
            return Err(cx.fail(WebError::BadRequest(crate::i18n::Msg::unknown_action())));
        }
    };
    match cx
        .state
        .store
        .figure_step(
            &gaoxin_store::Act::of(plan, &session.account, cx.state.now()),
            gaoxin_store::FigureAt::new(&f.unit, &f.figure, period),
            &step,
            Some(f.version),
        )
        .await
    {
        Ok(v) => {
            let notice = fill(
                t.review_done(),
                &[
                    &unit_name(plan, &v.unit),
                    &plan
                        .figure(&v.figure)
                        .map_or(v.figure.as_str(), |x| x.name.as_str()),
                    &v.period,
                    &state_text(cx.lang, v.state),
                ],
            );
            review_page(&cx, StatusCode::OK, Some(notice), None).await
        }
        Err(FigureError::Workflow(e)) => {
            review_page(
                &cx,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(refusal(cx.lang, &e)),
            )
            .await
        }
        Err(FigureError::Store(e)) => Err(cx.fail(e)),
    }
}
