//! 填报 — the entry form: a unit's figures for a period, saved and submitted.

use super::cockpit::{BAD_PERIOD, period_of};
use crate::error::{PageError, WebError};
use crate::extract::Query;
use crate::i18n::{Lang, Tr, fill};
use crate::pages::{Chrome, Nav, PageCtx, respond, session_of, unit_name, with_unit};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gaoxin_core::monitor::import::parse_number;
use gaoxin_core::monitor::workflow::{Step, WorkflowError, entry_figures, entry_units, may_review};
use gaoxin_core::monitor::{FigureState, YearMonth};
use gaoxin_core::plan::Figure;
use gaoxin_core::text::{Message, Name};
use gaoxin_store::{FigureError, FigureValue};
use serde::Deserialize;
use std::collections::HashMap;

pub(super) fn state_text(lang: Lang, s: FigureState) -> &'static str {
    s.name(lang.into())
}

pub(super) fn refusal(lang: Lang, e: &WorkflowError) -> String {
    e.say(lang.into())
}

/// A figure's value for the period, for the period before it was due, and a year before.
pub(super) struct Around {
    pub(super) current: Option<FigureValue>,
    pub(super) previous: Option<FigureValue>,
    pub(super) last_year: Option<FigureValue>,
}

pub(super) async fn values_around(
    store: &gaoxin_store::Store,
    unit: &str,
    f: &Figure,
    period: YearMonth,
) -> Result<Around, gaoxin_store::StoreError> {
    Ok(Around {
        current: store.figure_value(unit, &f.id, period).await?,
        previous: store
            .figure_value(unit, &f.id, previous_due(f, period))
            .await?,
        last_year: store.figure_value(unit, &f.id, period.last_year()).await?,
    })
}

/// The latest period before `period` a figure of this frequency was due.
pub(super) fn previous_due(f: &Figure, period: YearMonth) -> YearMonth {
    let mut p = period.previous();
    while !f.frequency.is_due(p.month) {
        p = p.previous();
    }
    p
}

pub(super) struct EntryRow {
    id: String,
    name: String,
    unit: String,
    frequency: &'static str,
    previous: String,
    last_year: String,
    value: String,
    explanation: String,
    state: String,
    state_code: &'static str,
    note: String,
    revised: bool,
    sample: bool,
    version: i64,
    editable: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "figures.html")]
pub(super) struct EntryPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    units: Vec<(String, String, bool)>,
    unit: String,
    unit_name: String,
    period: String,
    deadline: String,
    open: bool,
    rows: Vec<EntryRow>,
    notice: Option<String>,
    error: Option<String>,
    reviewer: bool,
}

impl EntryPage {
    /// Where the Excel upload form posts.
    fn upload_action(&self) -> &'static str {
        "/figures/upload"
    }
}

#[derive(Debug, Deserialize)]
pub struct EntryQuery {
    pub(super) unit: Option<String>,
    pub(super) period: Option<String>,
}

pub(super) struct EntryInput {
    pub(super) unit: Option<String>,
    pub(super) period: YearMonth,
    pub(super) notice: Option<String>,
    pub(super) error: Option<String>,
    pub(super) row_errors: HashMap<String, String>,
    /// What the user typed, shown again when a row was refused.
    pub(super) typed: HashMap<String, (String, String)>,
    pub(super) status: StatusCode,
}

pub(super) async fn entry_page(cx: &PageCtx, input: EntryInput) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(cx)?;
    let w = session.account.who();
    let period = input.period;
    let units = entry_units(plan, w, period);
    let own = plan
        .department(&session.account.unit)
        .and_then(|d| d.unit.clone());
    let unit = input
        .unit
        .filter(|u| units.contains(u))
        .or_else(|| own.filter(|u| units.contains(u)))
        .or_else(|| units.first().cloned())
        .unwrap_or_default();
    let store = &cx.state.store;
    let deadline = store
        .period_deadline(plan, period)
        .await
        .map_err(|e| cx.fail(e))?;
    let now = cx.state.now();
    let open = now <= deadline || w.is_dispatcher();
    let mut rows = Vec::new();
    for f in entry_figures(plan, w, &unit, period) {
        let Around {
            current,
            previous: prev,
            last_year: ly,
        } = values_around(store, &unit, f, period)
            .await
            .map_err(|e| cx.fail(e))?;
        let show = |v: &Option<FigureValue>| {
            v.as_ref()
                .map(|v| format!("{}（{}）", with_unit(v.value, &f.unit), v.period))
                .unwrap_or_else(|| t.none_yet().to_string())
        };
        let editable = open
            && !matches!(
                current.as_ref().map(|c| c.state),
                Some(FigureState::Submitted | FigureState::Reviewed)
            );
        let typed = input.typed.get(&f.id);
        rows.push(EntryRow {
            id: f.id.clone(),
            name: f.name.clone(),
            unit: f.unit.clone(),
            frequency: match f.frequency {
                gaoxin_core::plan::Frequency::Monthly => t.freq_monthly(),
                gaoxin_core::plan::Frequency::Quarterly => t.freq_quarterly(),
                gaoxin_core::plan::Frequency::Yearly => t.freq_yearly(),
            },
            previous: show(&prev),
            last_year: show(&ly),
            value: typed.map(|x| x.0.clone()).unwrap_or_else(|| {
                current
                    .as_ref()
                    .map(|c| gaoxin_core::plan::format_value(c.value))
                    .unwrap_or_default()
            }),
            explanation: typed.map(|x| x.1.clone()).unwrap_or_else(|| {
                current
                    .as_ref()
                    .map(|c| c.explanation.clone())
                    .unwrap_or_default()
            }),
            state: current
                .as_ref()
                .map_or(t.state_none(), |c| state_text(cx.lang, c.state))
                .to_string(),
            state_code: current.as_ref().map_or("none", |c| c.state.code()),
            note: current.as_ref().map(|c| c.note.clone()).unwrap_or_default(),
            revised: current.as_ref().is_some_and(|c| c.revised),
            sample: current.as_ref().is_some_and(|c| c.sample),
            version: current.as_ref().map_or(0, |c| c.version),
            editable,
            error: input.row_errors.get(&f.id).cloned(),
        });
    }
    let page = EntryPage {
        c: cx.chrome(Nav::Figures),
        t,
        csrf: session.csrf_token.clone(),
        units: units
            .iter()
            .map(|u| (u.clone(), unit_name(plan, u), *u == unit))
            .collect(),
        unit_name: unit_name(plan, &unit),
        unit,
        period: period.to_string(),
        deadline: deadline.human(cx.lang.into()),
        open,
        rows,
        notice: input.notice,
        error: input.error,
        reviewer: plan.figures.iter().any(|f| may_review(w, f)) || w.is_dispatcher(),
    };
    Ok(respond(cx.lang, input.status, &page))
}

/// `GET /figures?unit=&period=`.
pub async fn entry(cx: PageCtx, Query(q): Query<EntryQuery>) -> Result<Response, PageError> {
    let period = period_of(q.period.as_deref(), cx.state.now()).map_err(|e| cx.fail(e))?;
    entry_page(
        &cx,
        EntryInput {
            unit: q.unit,
            period,
            notice: None,
            error: None,
            row_errors: HashMap::new(),
            typed: HashMap::new(),
            status: StatusCode::OK,
        },
    )
    .await
}

pub(super) fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /figures`: saves every changed row; with `action=submit`, submits the unit's saved
/// values for the period too. Each row is its own step: a refused row is named, the others go on.
pub async fn entry_post(
    cx: PageCtx,
    crate::extract::Form(form): crate::extract::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let w = session.account.who();
    let Some(period) = field(&form, "period").and_then(YearMonth::parse) else {
        return Err(cx.fail(BAD_PERIOD));
    };
    let unit = field(&form, "unit").unwrap_or_default().to_string();
    let submit = field(&form, "action") == Some("submit");
    let now = cx.state.now();
    let store = &cx.state.store;
    let mut row_errors = HashMap::new();
    let mut typed = HashMap::new();
    let (mut saved, mut submitted) = (0, 0);
    let figures = entry_figures(plan, w, &unit, period);
    if figures.is_empty() {
        return Err(cx.fail(WebError::Forbidden));
    }
    // Each figure's state after its save, read once: the submit pass works from it.
    let mut states: HashMap<String, Option<FigureState>> = HashMap::new();
    for f in &figures {
        let current = store
            .figure_value(&unit, &f.id, period)
            .await
            .map_err(|e| cx.fail(e))?;
        states.insert(f.id.clone(), current.as_ref().map(|c| c.state));
        let raw = field(&form, &format!("v.{}", f.id))
            .unwrap_or_default()
            .trim();
        let explanation = field(&form, &format!("e.{}", f.id))
            .unwrap_or_default()
            .trim();
        let reason = field(&form, &format!("r.{}", f.id))
            .unwrap_or_default()
            .trim();
        let version = field(&form, &format!("ver.{}", f.id)).and_then(|v| v.parse::<i64>().ok());
        typed.insert(f.id.clone(), (raw.to_string(), explanation.to_string()));
        if raw.is_empty() {
            continue;
        }
        let Some(value) = parse_number(raw) else {
            row_errors.insert(f.id.clone(), fill(t.not_a_number(), &[&raw]));
            continue;
        };
        let unchanged = current
            .as_ref()
            .is_some_and(|c| c.value == value && c.explanation == explanation);
        if unchanged {
            continue;
        }
        let step = Step::Save {
            value,
            explanation: explanation.to_string(),
            reason: reason.to_string(),
        };
        match store
            .figure_step(
                &gaoxin_store::Act::of(plan, &session.account, now),
                gaoxin_store::FigureAt::new(&unit, &f.id, period),
                &step,
                version,
            )
            .await
        {
            Ok(v) => {
                saved += 1;
                states.insert(f.id.clone(), Some(v.state));
            }
            Err(FigureError::Workflow(e)) => {
                row_errors.insert(f.id.clone(), refusal(cx.lang, &e));
            }
            Err(FigureError::Store(e)) => return Err(cx.fail(e)),
        }
    }
    if submit {
        for f in &figures {
            if row_errors.contains_key(&f.id) {
                continue;
            }
            if !matches!(
                states.get(&f.id),
                Some(Some(FigureState::Draft | FigureState::Returned))
            ) {
                continue;
            }
            match store
                .figure_step(
                    &gaoxin_store::Act::of(plan, &session.account, now),
                    gaoxin_store::FigureAt::new(&unit, &f.id, period),
                    &Step::Submit,
                    None,
                )
                .await
            {
                Ok(_) => submitted += 1,
                Err(FigureError::Workflow(e)) => {
                    row_errors.insert(f.id.clone(), refusal(cx.lang, &e));
                }
                Err(FigureError::Store(e)) => return Err(cx.fail(e)),
            }
        }
    }
    let failed = !row_errors.is_empty();
    if !failed && field(&form, "back") == Some(crate::pages::month::BACK) {
        let done = if submit { "figures" } else { "saved" };
        let anchor = format!("fig-{unit}-{period}");
        return Ok(
            axum::response::Redirect::to(&crate::pages::month::back_to(done, &anchor))
                .into_response(),
        );
    }
    // Rows that went through show their stored values again; refused rows keep what was typed.
    typed.retain(|k, _| row_errors.contains_key(k));
    let notice = fill(t.entry_done(), &[&saved, &submitted]);
    entry_page(
        &cx,
        EntryInput {
            unit: Some(unit),
            period,
            notice: Some(notice),
            error: failed.then(|| t.entry_some_refused().to_string()),
            row_errors,
            typed,
            status: if failed {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            },
        },
    )
    .await
}
