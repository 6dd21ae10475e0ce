//! 数据填报与审核 — entering a unit's figures for a period (填报 → 提交), reviewing them (审核,
//! by the source department), confirming them (确认, by the dispatcher), 退回 with a reason at
//! each step; the "not yet reported" list, the periods' deadlines, and each value's history.
//! Who may do what is decided by `gaoxin_core::monitor::workflow`; these handlers only ask.

use super::monitor::{BAD_PERIOD, period_of};
use super::{
    Chrome, Nav, PageCtx, RowMessage, respond, row_messages, session_of, unit_name, with_unit,
};
use crate::error::{PageError, WebError};
use crate::extract::Query;
use crate::i18n::{Lang, Tr, fill};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use gaoxin_core::Plan;
use gaoxin_core::auth::Who;
use gaoxin_core::monitor::import::parse_number;
use gaoxin_core::monitor::workflow::{Step, WorkflowError, may_enter, may_review, may_see};
use gaoxin_core::monitor::{FigureState, YearMonth, owed, swing, swing_bound};
use gaoxin_core::plan::Figure;
use gaoxin_core::time::Timestamp;
use gaoxin_store::{FigureError, FigureValue};
use serde::Deserialize;
use std::collections::HashMap;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes, upload_limit};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/figures", business, entry)
        .post("/figures", business, entry_post)
        .get("/figures/review", business, review)
        .post("/figures/review", business, review_post)
        .get("/figures/missing", business, missing)
        .get("/figures/periods", business, periods)
        .post("/figures/periods", business, periods_post)
        .get("/figures/history", business, history)
        .get("/figures/template", business, template)
        .method(
            "POST",
            "/figures/upload",
            business,
            axum::routing::post(upload)
                .layer(upload_limit(gaoxin_excel::Limits::FIGURES.max_bytes)),
        )
        .post("/figures/upload/confirm", business, upload_confirm)
}

fn state_text(lang: Lang, s: FigureState) -> &'static str {
    if lang == Lang::Zh { s.zh() } else { s.en() }
}

fn refusal(lang: Lang, e: &WorkflowError) -> String {
    if lang == Lang::Zh { e.zh() } else { e.en() }
}

/// The units `who` enters something for in `period`, in plan order.
fn entry_units(plan: &Plan, w: Who<'_>, period: YearMonth) -> Vec<String> {
    let due = owed(plan, period);
    plan.units
        .iter()
        .filter(|u| {
            due.iter().any(|(unit, f)| {
                unit == &u.id && plan.figure(f).is_some_and(|f| may_enter(plan, w, unit, f))
            })
        })
        .map(|u| u.id.clone())
        .collect()
}

/// The figures `who` enters for `unit` in `period`.
fn entry_figures<'p>(plan: &'p Plan, w: Who<'_>, unit: &str, period: YearMonth) -> Vec<&'p Figure> {
    owed(plan, period)
        .into_iter()
        .filter(|(u, _)| u == unit)
        .filter_map(|(_, f)| plan.figure(&f))
        .filter(|f| may_enter(plan, w, unit, f))
        .collect()
}

/// A figure's value for the period, for the period before it was due, and a year before.
struct Around {
    current: Option<FigureValue>,
    previous: Option<FigureValue>,
    last_year: Option<FigureValue>,
}

async fn values_around(
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
fn previous_due(f: &Figure, period: YearMonth) -> YearMonth {
    let mut p = period.previous();
    while !f.frequency.is_due(p.month) {
        p = p.previous();
    }
    p
}

struct EntryRow {
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
struct EntryPage {
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
    unit: Option<String>,
    period: Option<String>,
}

struct EntryInput {
    unit: Option<String>,
    period: YearMonth,
    notice: Option<String>,
    error: Option<String>,
    row_errors: HashMap<String, String>,
    /// What the user typed, shown again when a row was refused.
    typed: HashMap<String, (String, String)>,
    status: StatusCode,
}

async fn entry_page(cx: &PageCtx, input: EntryInput) -> Result<Response, PageError> {
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
        deadline: deadline.to_iso8601(),
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

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
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
                plan,
                &session.account,
                &unit,
                &f.id,
                period,
                &step,
                version,
                now,
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
                    plan,
                    &session.account,
                    &unit,
                    &f.id,
                    period,
                    &Step::Submit,
                    None,
                    now,
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

struct ReviewRow {
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
struct ReviewPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    rows: Vec<ReviewRow>,
    notice: Option<String>,
    error: Option<String>,
}

async fn review_page(
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
            by: v.updated_by.clone(),
            at: Timestamp(v.updated_at).to_iso8601(),
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
            return Err(cx.fail(WebError::BadRequest {
                zh: "未知的操作。",
                en: "unknown action.",
            }));
        }
    };
    match cx
        .state
        .store
        .figure_step(
            plan,
            &session.account,
            &f.unit,
            &f.figure,
            period,
            &step,
            Some(f.version),
            cx.state.now(),
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

struct MissingUnit {
    name: String,
    responsible: String,
    figures: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "figures_missing.html")]
struct MissingPage {
    c: Chrome,
    t: Tr,
    period: String,
    deadline: String,
    units: Vec<MissingUnit>,
    owed: usize,
}

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
}

/// `GET /figures/missing?period=`: per unit, the figures due for the period that are not
/// submitted yet.
pub async fn missing(cx: PageCtx, Query(q): Query<PeriodQuery>) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let period = period_of(q.period.as_deref(), cx.state.now()).map_err(|e| cx.fail(e))?;
    let store = &cx.state.store;
    let values = store
        .figure_values(&gaoxin_store::ValueFilter {
            units: None,
            from: period,
            to: period,
        })
        .await
        .map_err(|e| cx.fail(e))?;
    let due = owed(plan, period);
    let mut units: Vec<MissingUnit> = Vec::new();
    for (unit, figure) in &due {
        let v = values
            .iter()
            .find(|v| &v.unit == unit && &v.figure == figure);
        if v.is_some_and(|v| v.state.counts()) {
            continue;
        }
        let Some(f) = plan.figure(figure) else {
            continue;
        };
        let name = unit_name(plan, unit);
        let state = v.map_or(t.state_none(), |v| state_text(cx.lang, v.state));
        let source = super::department_name(plan, &f.source);
        let entry = (f.name.clone(), source, state.to_string());
        match units.iter_mut().find(|u| u.name == name) {
            Some(u) => u.figures.push(entry),
            None => {
                let responsible: Vec<String> = plan
                    .departments
                    .iter()
                    .filter(|d| d.unit.as_deref() == Some(unit.as_str()))
                    .map(|d| d.name.clone())
                    .collect();
                units.push(MissingUnit {
                    name,
                    responsible: responsible.join("、"),
                    figures: vec![entry],
                });
            }
        }
    }
    let deadline = store
        .period_deadline(plan, period)
        .await
        .map_err(|e| cx.fail(e))?;
    let page = MissingPage {
        c: cx.chrome(Nav::Figures),
        t,
        period: period.to_string(),
        deadline: deadline.to_iso8601(),
        units,
        owed: due.len(),
    };
    cx.render(&page)
}

#[derive(Template)]
#[template(path = "figures_periods.html")]
struct PeriodsPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    rows: Vec<(String, String, bool)>,
    notice: Option<String>,
    error: Option<String>,
}

async fn periods_page(
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
        rows.push((p.to_string(), d.to_iso8601(), now <= d));
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

fn parse_date(s: &str) -> Option<Timestamp> {
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
            &session.account,
            &actor,
            &cx.state.key,
            plan,
            period,
            until,
            cx.state.now(),
        )
        .await
    {
        Ok(()) => {
            let notice = fill(t.deadline_set(), &[&period, &until.to_iso8601()]);
            periods_page(&cx, StatusCode::OK, Some(notice), None).await
        }
        Err(FigureError::Workflow(e)) => Err(cx.fail(match e {
            WorkflowError::NotPermitted => WebError::Forbidden,
            _ => WebError::NotFound,
        })),
        Err(FigureError::Store(e)) => Err(cx.fail(e)),
    }
}

struct HistoryRow {
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
struct HistoryPage {
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
    let rows = events
        .iter()
        .map(|e| HistoryRow {
            at: Timestamp(e.at).to_iso8601(),
            account: e.account.clone(),
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

/// `GET /figures/template?unit=&period=`: the Excel template of what this account enters for
/// the unit and period: names, units and last period's values filled in.
pub async fn template(cx: PageCtx, Query(q): Query<EntryQuery>) -> Result<Response, PageError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let w = session.account.who();
    let period = period_of(q.period.as_deref(), cx.state.now()).map_err(|e| cx.fail(e))?;
    let unit = q.unit.unwrap_or_default();
    let figures = entry_figures(plan, w, &unit, period);
    if figures.is_empty() {
        return Err(cx.fail(WebError::NotFound));
    }
    let store = &cx.state.store;
    let mut rows = Vec::new();
    for f in figures {
        let Around {
            current, previous, ..
        } = values_around(store, &unit, f, period)
            .await
            .map_err(|e| cx.fail(e))?;
        rows.push(gaoxin_excel::TemplateRow {
            zone: unit.clone(),
            zone_name: unit_name(plan, &unit),
            figure: f.id.clone(),
            figure_name: f.name.clone(),
            unit: f.unit.clone(),
            period: period.to_string(),
            previous: previous.map(|v| v.value),
            value: current.as_ref().map(|v| v.value),
            explanation: current.map(|v| v.explanation).unwrap_or_default(),
        });
    }
    let workbook = gaoxin_excel::figures_template(&gaoxin_excel::FiguresTemplate {
        title: format!("{} {period} {}", unit_name(plan, &unit), t.figures_title()),
        rows,
        instructions: crate::i18n::TEMPLATE_INSTRUCTIONS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        sample: cx.sample,
    })
    .map_err(|e| {
        tracing::error!(error = %e, "template failed");
        cx.fail(WebError::BadRequest {
            zh: "模板生成失败。",
            en: "the template could not be made.",
        })
    })?;
    let name = format!("gaoxin-figures-{unit}-{period}.xlsx");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        workbook,
    )
        .into_response())
}

struct UploadRow {
    line: usize,
    unit: String,
    figure: String,
    period: String,
    value: String,
}

#[derive(Template)]
#[template(path = "figures_upload.html")]
struct UploadReport {
    t: Tr,
    csrf: String,
    /// The refusal of the file as a whole.
    refused: Option<String>,
    errors: Vec<RowMessage>,
    rows: Vec<UploadRow>,
    /// The rows as CSV, carried to the confirmation, where everything is checked again.
    csv: String,
}

fn upload_report(cx: &PageCtx, csrf: String) -> UploadReport {
    UploadReport {
        t: cx.t,
        csrf,
        refused: None,
        errors: Vec::new(),
        rows: Vec::new(),
        csv: String::new(),
    }
}

/// `POST /figures/upload` (multipart, `file`): reads the workbook and does a dry run — every
/// error by row and column, or the rows that would be imported, with a button to import them.
pub async fn upload(
    cx: PageCtx,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let mut report = upload_report(&cx, session.csrf_token.clone());
    let mut bytes = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => {
                    report.refused = Some(cx.t.upload_too_large().to_string());
                }
            }
        }
    }
    let table = match bytes.filter(|b| !b.is_empty()) {
        None if report.refused.is_some() => None,
        None => {
            report.refused = Some(cx.t.upload_no_file().to_string());
            None
        }
        Some(b) => match gaoxin_excel::read_rows(&b, &gaoxin_excel::Limits::FIGURES) {
            Ok(t) => Some(t),
            Err(e) => {
                report.refused = Some(crate::i18n::pick(cx.lang, &e.to_string()));
                None
            }
        },
    };
    if let Some(table) = table {
        match gaoxin_core::monitor::import::parse_table(&table) {
            Err(errors) => report.errors = row_messages(cx.lang, &errors),
            Ok(rows) if rows.is_empty() => {
                report.refused = Some(cx.t.upload_nothing().to_string());
            }
            Ok(rows) => {
                let result = cx
                    .state
                    .store
                    .import_figures(plan, &session.account, &rows, true, cx.state.now())
                    .await
                    .map_err(|e| cx.fail(e))?;
                let header = table.first().map(|(_, h)| h.as_slice()).unwrap_or_default();
                let mut errors = result.errors;
                for e in &mut errors {
                    if let Some(h) = gaoxin_core::monitor::import::heading_for(header, &e.column) {
                        e.column = h;
                    }
                }
                report.errors = row_messages(cx.lang, &errors);
                if report.errors.is_empty() {
                    let mut csv = String::from("zone,figure,period,value,explanation\n");
                    for r in &rows {
                        csv.push_str(&gaoxin_core::csv::line(&[
                            &r.unit,
                            &r.figure,
                            &r.period.to_string(),
                            &r.value.to_string(),
                            &r.explanation,
                        ]));
                        csv.push('\n');
                        let (u, f) =
                            gaoxin_core::monitor::workflow::resolve(plan, &r.unit, &r.figure)
                                .map(|(u, f)| (u.name.clone(), f))
                                .map_err(|_| cx.fail(WebError::NotFound))?;
                        report.rows.push(UploadRow {
                            line: r.line,
                            unit: u,
                            figure: f.name.clone(),
                            period: r.period.to_string(),
                            value: with_unit(r.value, &f.unit),
                        });
                    }
                    report.csv = csv;
                }
            }
        }
    }
    Ok(respond(cx.lang, StatusCode::OK, &report))
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    rows: String,
}

/// `POST /figures/upload/confirm`: imports the rows of a dry run, all or none, checked again.
pub async fn upload_confirm(
    cx: PageCtx,
    crate::extract::Form(f): crate::extract::Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let rows = gaoxin_core::monitor::import::parse_csv(&f.rows).map_err(|_| {
        cx.fail(WebError::BadRequest {
            zh: "导入内容无效，请重新上传。",
            en: "the rows to import are invalid; upload the file again.",
        })
    })?;
    let result = cx
        .state
        .store
        .import_figures(plan, &session.account, &rows, false, cx.state.now())
        .await
        .map_err(|e| cx.fail(e))?;
    let first = rows.first();
    let unit = first.map(|r| r.unit.clone());
    let period = first.map_or_else(|| YearMonth::of(cx.state.now()).previous(), |r| r.period);
    let failed = !result.errors.is_empty();
    let error = failed.then(|| {
        let mut msg = t.upload_refused_now().to_string();
        for e in &result.errors {
            msg.push_str(&format!(
                " {}",
                fill(
                    t.upload_row_error(),
                    &[
                        &e.line,
                        &e.column,
                        &if cx.lang == Lang::Zh { &e.zh } else { &e.en }
                    ]
                )
            ));
        }
        msg
    });
    entry_page(
        &cx,
        EntryInput {
            unit,
            period,
            notice: (!failed).then(|| fill(t.upload_imported(), &[&result.applied])),
            error,
            row_errors: HashMap::new(),
            typed: HashMap::new(),
            status: if failed {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            },
        },
    )
    .await
}
