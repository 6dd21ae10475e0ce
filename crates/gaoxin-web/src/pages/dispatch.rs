//! 任务调度 pages: the work items of each task with each responsible unit's report for the
//! current period, an item's page (milestones, the sub-target's progress counted from the
//! ledgers, every report with its attachments, the report form), the item form, attachments in
//! and out, and "who has not reported" per period. The rules are `gaoxin_core::dispatch`.

use super::monitor::subtarget::{SubRow, sub_row};
use super::supervise::{Choice, assignable as unit_choices, choices};
use super::{Chrome, Nav, PageCtx, Pager, department_name, session_of};
use crate::error::{PageError, WebError};
use crate::extract::{Path, Query};
use crate::i18n::{Lang, Tr, fill};
use askama::Template;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_core::dispatch::{self, FieldError, ItemDraft, Milestone, ReportDraft, ReportState};
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::plan::DepartmentKind;
use gaoxin_core::text::Message;
use gaoxin_core::time::{Date, Timestamp};
use gaoxin_store::{DispatchError, Report, WorkItem};
use std::collections::HashMap;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes, upload_limit};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/work", business, list)
        .get("/work/missing", business, missing)
        .get("/work/new", business, new_form)
        .post("/work/new", business, create)
        .get("/work/{id}", business, item)
        .get("/work/{id}/edit", business, edit_form)
        .post("/work/{id}/edit", business, edit)
        .post("/work/{id}/report", business, report)
        .post(
            "/work/{id}/reports/{report}/return",
            business,
            return_report,
        )
        .method(
            "POST",
            "/work/{id}/attachments",
            business,
            axum::routing::post(upload)
                .layer(upload_limit(gaoxin_core::dispatch::attachment::MAX_BYTES)),
        )
        .get("/attachments/{id}", business, download)
}

/// Milestone rows the item form offers.
const MILESTONE_ROWS: usize = 6;

/// The reporting period running now: the one reports may be filed for up to.
fn now_period(cx: &PageCtx) -> YearMonth {
    dispatch::period_of(
        cx.stored.plan.monitoring.report_cycle,
        YearMonth::of(cx.state.now()),
    )
}

fn field_text(lang: Lang, e: &FieldError) -> String {
    if lang == Lang::Zh {
        e.zh.clone()
    } else {
        e.en.clone()
    }
}

/// An item's partners by name, as a Chinese list.
fn partner_names(plan: &gaoxin_core::plan::Plan, item: &WorkItem) -> String {
    item.partners
        .iter()
        .map(|p| department_name(plan, p))
        .collect::<Vec<_>>()
        .join("、")
}

/// A unit's report state for a period.
pub struct UnitState {
    pub unit: String,
    pub name: String,
    /// `on_time`, `late`, `due` (not yet, before the due day) or `missing` (past it).
    pub code: &'static str,
    pub text: String,
    pub behind: bool,
}

fn unit_state(
    cx: &PageCtx,
    item: &WorkItem,
    unit: &str,
    period: YearMonth,
    reports: &[Report],
) -> UnitState {
    let t = cx.t;
    let plan = &cx.stored.plan;
    let due = dispatch::due_date(period, plan.monitoring.report_day);
    let today = Date::of(cx.state.now());
    let standing = dispatch::standing(
        reports.iter().filter(|r| {
            r.item_id == item.id && r.unit == unit && r.period == period && !r.withdrawn
        }),
        |r| r.id,
        |r| r.behind,
    );
    let state = dispatch::report_state(
        standing.map(|(first, _)| (first.at, first.late)),
        item.owes(period, plan.monitoring.report_day),
        due,
        today,
    );
    let text = match state {
        ReportState::Late { at } => fill(
            t.work_reported_late(),
            &[&Timestamp(at).human(cx.lang.into())],
        ),
        ReportState::OnTime { at } => {
            fill(t.work_reported(), &[&Timestamp(at).human(cx.lang.into())])
        }
        ReportState::NotOwed => String::new(),
        ReportState::Missing => fill(t.work_missing(), &[&due.human(cx.lang.into())]),
        ReportState::Due => fill(t.work_due(), &[&due.human(cx.lang.into())]),
    };
    let code = state.code();
    UnitState {
        unit: unit.to_string(),
        name: department_name(plan, unit),
        code,
        text,
        behind: standing.is_some_and(|(_, behind)| behind),
    }
}

/// A sub-target's progress, counted from the ledgers for its own year.
pub struct Counted {
    pub name: String,
    pub target: String,
    /// Per zone (or the zones together); empty when no ledger counts it.
    pub subs: Vec<SubRow>,
}

async fn counted(
    cx: &PageCtx,
    session: &gaoxin_store::Session,
    item: &WorkItem,
) -> Result<Option<Counted>, PageError> {
    let plan = &cx.stored.plan;
    let Some(s) = item
        .subtarget
        .as_ref()
        .and_then(|id| plan.subtargets.iter().find(|s| &s.id == id))
    else {
        return Ok(None);
    };
    let subs = if s.counted.is_some() {
        let at = YearMonth::current(cx.state.now());
        gaoxin_app::monitor::subtargets(&cx.acting(&session.account), at)
            .await
            .map_err(|e| cx.fail(e))?
            .iter()
            .filter(|e| e.subtarget == s.id)
            .map(|e| sub_row(plan, e, cx.t))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(Counted {
        name: s.name.clone(),
        target: super::target_text(s.comparator, s.value, s.max, &s.unit),
        subs,
    }))
}

struct ItemRow {
    id: i64,
    title: String,
    lead: String,
    partners: String,
    next: String,
    units: Vec<UnitState>,
    sample: bool,
}

struct TaskGroup {
    label: String,
    items: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "work_list.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    period: String,
    groups: Vec<TaskGroup>,
    pager: Pager,
    tasks: Vec<Choice>,
    units: Vec<Choice>,
    may_plan: bool,
}

/// A milestone's day as people read it (the stored `YYYY-MM-DD` if it is not a day).
fn milestone_day(lang: Lang, m: &gaoxin_core::dispatch::Milestone) -> String {
    m.due_date()
        .map_or_else(|| m.due.clone(), |d| d.human(lang.into()))
}

fn next_milestone(lang: Lang, item: &WorkItem, today: Date) -> String {
    item.milestones
        .iter()
        .find(|m| m.due_date().is_some_and(|d| d >= today))
        .map(|m| format!("{} · {}", milestone_day(lang, m), m.title))
        .unwrap_or_default()
}

/// Work items on one page of the list.
const PAGE_SIZE: i64 = 100;

/// `GET /work?task=&unit=&page=`: each task's items and their reports for the current period.
pub async fn list(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let task = q.get("task").filter(|v| !v.is_empty());
    let unit = q.get("unit").filter(|v| !v.is_empty());
    let number = crate::pages::page_asked(q.get("page").map(String::as_str));
    let (items, total) = cx
        .state
        .store
        .work_item_page(
            plan,
            &session.account,
            task.map(String::as_str),
            unit.map(String::as_str),
            (number - 1) * PAGE_SIZE,
            PAGE_SIZE,
        )
        .await
        .map_err(|e| cx.fail(e))?;
    let period = dispatch::current_period(plan.monitoring.report_cycle, cx.state.now());
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let reports = cx
        .state
        .store
        .period_reports_of(period, &ids)
        .await
        .map_err(|e| cx.fail(e))?;
    let filters: Vec<(&str, &str)> = [("task", task), ("unit", unit)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v.as_str())))
        .collect();
    let pager = match Pager::new("/work", &filters, number, total, PAGE_SIZE, "work") {
        Ok(p) => p,
        Err(last) => return Ok(Redirect::to(&last).into_response()),
    };
    let today = Date::of(cx.state.now());
    let mut groups: Vec<TaskGroup> = Vec::new();
    for item in &items {
        let label = plan.task_heading(&item.task);
        let row = ItemRow {
            id: item.id,
            title: item.title.clone(),
            lead: department_name(plan, &item.lead),
            partners: partner_names(plan, item),
            next: next_milestone(cx.lang, item, today),
            units: item
                .responsible()
                .iter()
                .map(|u| unit_state(&cx, item, u, period, &reports))
                .collect(),
            sample: item.sample,
        };
        match groups.last_mut() {
            Some(g) if g.label == label => g.items.push(row),
            _ => groups.push(TaskGroup {
                label,
                items: vec![row],
            }),
        }
    }
    let page = ListPage {
        c: cx.chrome(Nav::Work),
        t: cx.t,
        period: period.to_string(),
        groups,
        pager,
        tasks: choices(
            plan.tasks
                .iter()
                .map(|t| (t.id.clone(), plan.task_heading(&t.id))),
            task.map(String::as_str),
        ),
        units: unit_choices(plan, unit.map(String::as_str)),
        may_plan: plan
            .tasks
            .iter()
            .any(|t| dispatch::may_plan(plan, session.account.who(), &t.id)),
    };
    cx.render(&page)
}

struct MissingRow {
    item: i64,
    title: String,
    task: String,
    unit: UnitState,
}

#[derive(Template)]
#[template(path = "work_missing.html")]
struct MissingPage {
    c: Chrome,
    t: Tr,
    period: String,
    due: String,
    periods: Vec<Choice>,
    /// (unit name, owed, filed, late, missing)
    by_unit: Vec<(String, usize, usize, usize, usize)>,
    rows: Vec<MissingRow>,
}

impl MissingPage {
    fn due_text(&self) -> String {
        fill(self.t.work_due_line(), &[&self.due])
    }
}

/// `GET /work/missing?period=YYYY-MM`: who has reported, late or not at all, per unit.
pub async fn missing(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let cycle = plan.monitoring.report_cycle;
    let current = now_period(&cx);
    let period = match q.get("period").filter(|v| !v.is_empty()) {
        None => dispatch::current_period(cycle, cx.state.now()),
        Some(p) => YearMonth::parse(p)
            .map(|p| dispatch::period_of(cycle, p))
            .filter(|p| *p <= current)
            .ok_or_else(|| cx.fail(WebError::BadRequest(crate::i18n::Msg::report_bad_period())))?,
    };
    let items = cx
        .state
        .store
        .work_items(plan, &session.account, None, None)
        .await
        .map_err(|e| cx.fail(e))?;
    let reports = cx
        .state
        .store
        .period_reports(period)
        .await
        .map_err(|e| cx.fail(e))?;
    let mut rows = Vec::new();
    let mut by_unit: Vec<(String, usize, usize, usize, usize)> = Vec::new();
    for item in &items {
        for u in item.responsible() {
            let state = unit_state(&cx, item, &u, period, &reports);
            if state.code == "none" {
                continue;
            }
            let name = state.name.clone();
            let at = match by_unit.iter().position(|b| b.0 == name) {
                Some(i) => i,
                None => {
                    by_unit.push((name, 0, 0, 0, 0));
                    by_unit.len() - 1
                }
            };
            let b = &mut by_unit[at];
            b.1 += 1;
            match state.code {
                "on_time" => b.2 += 1,
                "late" => {
                    b.2 += 1;
                    b.3 += 1;
                }
                "missing" => b.4 += 1,
                _ => {}
            }
            rows.push(MissingRow {
                item: item.id,
                title: item.title.clone(),
                task: plan.task_heading(&item.task),
                unit: state,
            });
        }
    }
    // Not reported first, then late, then the rest.
    let rank = |c: &str| match c {
        "missing" => 0,
        "due" => 1,
        "late" => 2,
        _ => 3,
    };
    rows.sort_by_key(|r| rank(r.unit.code));
    let periods: Vec<YearMonth> = std::iter::successors(Some(current), |p| {
        Some(dispatch::previous_period(cycle, *p))
    })
    .take(12)
    .collect();
    let page = MissingPage {
        c: cx.chrome(Nav::Work),
        t: cx.t,
        period: period.to_string(),
        due: dispatch::due_date(period, plan.monitoring.report_day).human(cx.lang.into()),
        periods: choices(
            periods.iter().map(|p| (p.to_string(), p.to_string())),
            Some(&period.to_string()),
        ),
        by_unit,
        rows,
    };
    cx.render(&page)
}

struct MilestoneView {
    title: String,
    due: String,
    /// `reached`, `late` (past due, not reached) or `open`.
    state: &'static str,
}

struct ReportView {
    id: i64,
    unit: String,
    period: String,
    at: String,
    account: String,
    late: bool,
    behind: bool,
    draft: ReportDraft,
    reached: String,
    attachments: Vec<(i64, String, String)>,
    sample: bool,
    /// Returned to the unit: why, by whom, when (in words).
    returned: Option<(String, String, String)>,
    /// The reader may return it (the dispatch office; the unit's latest for the period).
    returnable: bool,
}

struct FormField {
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "work_item.html")]
struct ItemPage {
    c: Chrome,
    t: Tr,
    item: WorkItem,
    task: String,
    lead: String,
    partners: String,
    subtarget: String,
    counted: Option<Counted>,
    milestones: Vec<MilestoneView>,
    units: Vec<UnitState>,
    period: String,
    reports: Vec<ReportView>,
    /// The report form, when the reader's unit reports on this item.
    may_report: bool,
    may_edit: bool,
    report_unit: String,
    periods: Vec<Choice>,
    /// Each choice of milestones reached, and whether the item is behind with it (then why and
    /// what next are required: the form says so before it is sent).
    reached_choices: Vec<(Choice, bool)>,
    /// Why the item is behind with the milestones reached as the form opens.
    behind_now: Option<String>,
    draft: ReportDraft,
    percent: String,
    errors: HashMap<String, FormField>,
    error: Option<String>,
    notice: Option<String>,
    csrf: String,
}

/// What an attachment form says it takes: the size and how many files.
pub(super) fn attach_hint(t: Tr) -> String {
    fill(
        t.work_attach_hint(),
        &[
            &(dispatch::attachment::MAX_BYTES / 1_048_576),
            &dispatch::attachment::MAX_PER_REPORT,
        ],
    )
}

/// The lead unit's milestones reached, by its latest report: where a new report starts from.
pub(super) fn lead_reached(item: &WorkItem, reports: &[Report]) -> usize {
    reports
        .iter()
        .filter(|r| r.unit == item.lead)
        .max_by_key(|r| r.id)
        .map_or(0, |r| r.draft.reached)
}

/// A report form's choice of milestones reached, `reached` chosen, each with whether choosing
/// it leaves the item behind on `today` (the form then asks for why and what next).
pub(super) fn reached_choices(
    t: Tr,
    item: &WorkItem,
    reached: usize,
    today: Date,
) -> Vec<(Choice, bool)> {
    (0..=item.milestones.len())
        .map(|k| {
            (
                Choice {
                    value: k.to_string(),
                    label: if k == 0 {
                        t.work_reached_none().to_string()
                    } else {
                        format!("{k} · {}", item.milestones[k - 1].title)
                    },
                    selected: k == reached,
                },
                dispatch::behind(&item.milestones, k, today).is_some(),
            )
        })
        .collect()
}

/// The note a report form shows when the item is behind with `reached` milestones.
pub(super) fn behind_note(t: Tr, item: &WorkItem, reached: usize, today: Date) -> Option<String> {
    dispatch::behind(&item.milestones, reached, today)
        .map(|b| fill(t.work_behind_now(), &[&b.say(t.lang.into())]))
}

impl ItemPage {
    fn attach_hint(&self) -> String {
        attach_hint(self.t)
    }

    fn error_of(&self, field: &str) -> String {
        self.errors
            .get(field)
            .and_then(|f| f.error.clone())
            .unwrap_or_default()
    }
}

async fn readable_item(cx: &PageCtx, id: i64) -> Result<WorkItem, PageError> {
    let session = session_of(cx)?;
    let item = cx
        .state
        .store
        .work_item(id)
        .await
        .map_err(|e| cx.fail(e))?
        .ok_or_else(|| cx.fail(WebError::NotFound))?;
    if !dispatch::may_see(
        &cx.stored.plan,
        session.account.who(),
        &item.task,
        &item.responsible(),
    ) {
        return Err(cx.hidden(format!("work:{id}")).await);
    }
    Ok(item)
}

/// The periods a unit may report for now: this one and up to two before, since the item began.
/// The periods this item may be reported for now: this one and two before.
fn report_periods(cx: &PageCtx, item: &WorkItem) -> Vec<YearMonth> {
    dispatch::reportable_periods(
        cx.stored.plan.monitoring.report_cycle,
        YearMonth::of(Timestamp(item.created_at)),
        YearMonth::of(cx.state.now()),
        3,
    )
}

struct Filled {
    draft: ReportDraft,
    percent: String,
    period: Option<String>,
    errors: Vec<FieldError>,
    error: Option<String>,
}

async fn item_page(
    cx: &PageCtx,
    item: WorkItem,
    filled: Option<Filled>,
    notice: Option<String>,
) -> Result<ItemPage, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(cx)?;
    let lang = cx.lang;
    let today = Date::of(cx.state.now());
    let reports = cx
        .state
        .store
        .reports_of(item.id)
        .await
        .map_err(|e| cx.fail(e))?;
    let period = now_period(cx);
    let lead_reached = lead_reached(&item, &reports);
    let milestones = item
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| MilestoneView {
            title: m.title.clone(),
            due: milestone_day(cx.lang, m),
            state: if i < lead_reached {
                "reached"
            } else if m.due_date().is_some_and(|d| d < today) {
                "late"
            } else {
                "open"
            },
        })
        .collect();
    let units = item
        .responsible()
        .iter()
        .map(|u| unit_state(cx, &item, u, period, &reports))
        .collect();
    let n = item.milestones.len();
    let may_return = dispatch::may_return_report(session.account.who());
    let people = cx.people().await?;
    let views = reports
        .iter()
        .map(|r| ReportView {
            returned: r.returned.as_ref().map(|x| {
                (
                    x.reason.clone(),
                    people.show(&x.account),
                    Timestamp(x.at).human(cx.lang.into()),
                )
            }),
            // Reports are newest first: the unit's latest for its period is the first seen.
            returnable: may_return
                && !r.withdrawn
                && reports
                    .iter()
                    .find(|q| q.unit == r.unit && q.period == r.period)
                    .is_some_and(|q| q.id == r.id),
            id: r.id,
            unit: department_name(plan, &r.unit),
            period: r.period.to_string(),
            at: Timestamp(r.at).human(cx.lang.into()),
            account: people.show(&r.account),
            late: r.late,
            behind: r.behind,
            reached: fill(cx.t.work_reached_of(), &[&r.draft.reached, &n]),
            draft: r.draft.clone(),
            attachments: r
                .attachments
                .iter()
                .map(|a| (a.id, a.file_name.clone(), size_text(a.size)))
                .collect(),
            sample: r.sample,
        })
        .collect();
    let may_report = dispatch::may_report(
        session.account.who(),
        &item.responsible(),
        &session.account.unit,
    );
    let filled = filled.unwrap_or(Filled {
        draft: ReportDraft {
            reached: lead_reached,
            ..ReportDraft::default()
        },
        percent: String::new(),
        period: None,
        errors: Vec::new(),
        error: None,
    });
    let mut errors: HashMap<String, FormField> = HashMap::new();
    for e in &filled.errors {
        let f = errors
            .entry(e.field.clone())
            .or_insert(FormField { error: None });
        let text = field_text(lang, e);
        f.error = Some(match f.error.take() {
            Some(prev) => format!("{prev} {text}"),
            None => text,
        });
    }
    let subtarget = item
        .subtarget
        .as_ref()
        .and_then(|id| plan.subtargets.iter().find(|s| &s.id == id))
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let reached_choices = reached_choices(cx.t, &item, filled.draft.reached, today);
    let behind_now = behind_note(cx.t, &item, filled.draft.reached, today);
    let periods = report_periods(cx, &item);
    let chosen = filled.period.clone().unwrap_or_else(|| period.to_string());
    Ok(ItemPage {
        c: cx.chrome(Nav::Work),
        t: cx.t,
        task: plan.task_heading(&item.task),
        lead: department_name(plan, &item.lead),
        partners: partner_names(plan, &item),
        subtarget,
        counted: counted(cx, session, &item).await?,
        milestones,
        units,
        period: period.to_string(),
        reports: views,
        may_report,
        may_edit: dispatch::may_plan(plan, session.account.who(), &item.task),
        report_unit: department_name(plan, &session.account.unit),
        periods: choices(
            periods.iter().map(|p| (p.to_string(), p.to_string())),
            Some(&chosen),
        ),
        reached_choices,
        behind_now,
        percent: filled.percent,
        draft: filled.draft,
        errors,
        error: filled.error,
        notice,
        csrf: session.csrf_token.clone(),
        item,
    })
}

pub(super) fn size_text(bytes: i64) -> String {
    if bytes >= 1_048_576 {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// `GET /work/{id}`.
pub async fn item(
    cx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let item = readable_item(&cx, id).await?;
    let notice = match q.get("done").map(String::as_str) {
        Some("report") => Some(cx.t.work_report_filed().to_string()),
        Some("returned") => Some(cx.t.work_report_returned_done().to_string()),
        Some("saved") => Some(cx.t.ledger_saved().to_string()),
        _ => None,
    };
    let page = item_page(&cx, item, None, notice).await?;
    cx.render(&page)
}

fn text(form: &HashMap<String, String>, key: &str) -> String {
    form.get(key).cloned().unwrap_or_default()
}

/// `POST /work/{id}/report`: files the reader's unit's report, with its uploaded attachments.
pub async fn report(
    cx: PageCtx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let item = readable_item(&cx, id).await?;
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let attachments: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "attachment")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let percent_text = get("percent");
    let mut errors = Vec::new();
    let percent = match percent_text.trim() {
        "" => None,
        p => match p.trim_end_matches('%').parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => {
                let m = crate::i18n::Msg::percent_not_whole();
                errors.push(FieldError {
                    field: "percent".into(),
                    zh: crate::i18n::fill(m.zh, &[&p]),
                    en: crate::i18n::fill(m.en, &[&p]),
                });
                None
            }
        },
    };
    let draft = ReportDraft {
        done: get("done"),
        percent,
        reached: get("reached").parse().unwrap_or(0),
        problems: get("problems"),
        help: get("help"),
        behind_reason: get("behind_reason"),
        next_steps: get("next_steps"),
    };
    let period_text = get("period");
    let refused = |errors: Vec<FieldError>, error: Option<String>, status: StatusCode| {
        let filled = Filled {
            draft: draft.clone(),
            percent: percent_text.clone(),
            period: Some(period_text.clone()),
            errors,
            error,
        };
        (filled, status)
    };
    let (filled, status) = if errors.is_empty() {
        let Some(period) = YearMonth::parse(&period_text) else {
            return Err(cx.fail(WebError::BadRequest(crate::i18n::Msg::form_no_period())));
        };
        match cx
            .state
            .store
            .report_file(
                &gaoxin_store::Act::of(&cx.stored.plan, &session.account, cx.state.now()),
                id,
                &session.account.unit,
                period,
                &draft,
                &attachments,
            )
            .await
        {
            Ok(_) if get("back") == super::month::BACK => {
                let anchor = "reports";
                return Ok(Redirect::to(&super::month::back_to("report", anchor)).into_response());
            }
            Ok(_) => {
                return Ok(Redirect::to(&format!("/work/{id}?done=report")).into_response());
            }
            Err(DispatchError::Fields(errors)) => {
                refused(errors, None, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(DispatchError::NotPermitted) => return Err(cx.fail(WebError::Forbidden)),
            Err(DispatchError::NotFound) => return Err(cx.fail(WebError::NotFound)),
            Err(DispatchError::Store(e)) => return Err(cx.fail(WebError::Store(e))),
            Err(e) => refused(
                Vec::new(),
                Some(e.say(cx.lang.into())),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        }
    } else {
        refused(errors, None, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let mut page = item_page(&cx, item, Some(filled), None).await?;
    if page.error.is_none() {
        page.error = Some(cx.t.ledger_form_errors().to_string());
    }
    Ok(super::respond(cx.lang, status, &page))
}

/// `POST /work/{id}/reports/{report}/return` (`reason`): the dispatch office returns a filed
/// report to its unit, which is told and owes the period's report again.
pub async fn return_report(
    cx: PageCtx,
    Path((id, report_id)): Path<(i64, i64)>,
    crate::extract::Form(form): crate::extract::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let item = readable_item(&cx, id).await?;
    let reason = text(&form, "reason");
    let refused = match cx
        .state
        .store
        .report_return(
            &gaoxin_store::Act::of(&cx.stored.plan, &session.account, cx.state.now()),
            report_id,
            &reason,
        )
        .await
    {
        Ok(()) => return Ok(Redirect::to(&format!("/work/{id}?done=returned")).into_response()),
        Err(DispatchError::NotPermitted) => return Err(cx.fail(WebError::Forbidden)),
        Err(DispatchError::NotFound) => return Err(cx.fail(WebError::NotFound)),
        Err(DispatchError::Store(e)) => return Err(cx.fail(WebError::Store(e))),
        Err(DispatchError::Fields(errors)) => errors
            .iter()
            .map(|e| field_text(cx.lang, e))
            .collect::<Vec<_>>()
            .join(" "),
        Err(e) => e.say(cx.lang.into()),
    };
    let mut page = item_page(&cx, item, None, None).await?;
    page.error = Some(refused);
    Ok(super::respond(
        cx.lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        &page,
    ))
}

/// The `file` field of a multipart upload: its name and bytes, or why there is none.
pub(super) async fn uploaded_file(
    cx: &PageCtx,
    multipart: &mut Multipart,
) -> Result<(String, axum::body::Bytes), PageError> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_string();
            return match field.bytes().await {
                Ok(b) => Ok((name, b)),
                Err(_) => Err(cx.fail(WebError::BadRequest(crate::i18n::Msg::file_incomplete()))),
            };
        }
    }
    Err(cx.fail(WebError::BadRequest(crate::i18n::Msg::choose_file())))
}

/// One uploaded file's line in a form (or why it was refused); `field` is the hidden input's
/// name the form posts it under.
#[derive(Template)]
#[template(path = "_attachment.html")]
pub(super) struct AttachmentView {
    pub(super) t: Tr,
    pub(super) ok: Option<(i64, String, String)>,
    pub(super) error: Option<String>,
    pub(super) field: String,
}

/// `POST /work/{id}/attachments` (multipart `file`): keeps one file for the report being
/// written and answers with its line in the form (or why it was refused).
pub async fn upload(
    cx: PageCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let item = readable_item(&cx, id).await?;
    let (name, bytes) = uploaded_file(&cx, &mut multipart).await?;
    let view = match cx
        .state
        .store
        .attachment_stash(&session.account, &item, &name, &bytes, cx.state.now())
        .await
    {
        Ok(a) => AttachmentView {
            t: cx.t,
            ok: Some((a.id, a.file_name, size_text(a.size))),
            error: None,
            field: "attachment".into(),
        },
        Err(DispatchError::NotPermitted) => return Err(cx.fail(WebError::Forbidden)),
        Err(DispatchError::Store(e)) => return Err(cx.fail(WebError::Store(e))),
        Err(e) => AttachmentView {
            t: cx.t,
            ok: None,
            error: Some(e.say(cx.lang.into())),
            field: String::new(),
        },
    };
    // 200 either way: htmx swaps the line into the form, refusal or not.
    Ok(super::respond(cx.lang, StatusCode::OK, &view))
}

/// `GET /attachments/{id}`: the file, to those who may see its item (a file not yet filed with a
/// report, only to whoever uploaded it). Always a download, with the type found at upload.
pub async fn download(cx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let (meta, bytes) = cx
        .state
        .store
        .attachment(id)
        .await
        .map_err(|e| cx.fail(e))?
        .ok_or_else(|| cx.fail(WebError::NotFound))?;
    readable_item(&cx, meta.item_id).await?;
    if meta.report_id.is_none() && meta.account_id != session.account.id {
        return Err(cx.hidden(format!("attachment:{id}")).await);
    }
    Ok(super::download(&meta.file_name, meta.kind.mime(), bytes))
}

#[derive(Template)]
#[template(path = "work_form.html")]
struct FormPage {
    c: Chrome,
    t: Tr,
    action: String,
    version: i64,
    tasks: Vec<Choice>,
    units: Vec<Choice>,
    partners: Vec<Choice>,
    subtargets: Vec<Choice>,
    title: String,
    milestones: Vec<(String, String)>,
    errors: Vec<String>,
    csrf: String,
}

fn form_page(
    cx: &PageCtx,
    action: String,
    version: i64,
    draft: &ItemDraft,
    errors: &[FieldError],
) -> Result<FormPage, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(cx)?;
    let mut milestones: Vec<(String, String)> = draft
        .milestones
        .iter()
        .map(|m| (m.title.clone(), m.due.clone()))
        .collect();
    milestones.resize(
        MILESTONE_ROWS.max(milestones.len()),
        (String::new(), String::new()),
    );
    Ok(FormPage {
        c: cx.chrome(Nav::Work),
        t: cx.t,
        action,
        version,
        tasks: choices(
            plan.tasks
                .iter()
                .filter(|t| dispatch::may_plan(plan, session.account.who(), &t.id))
                .map(|t| (t.id.clone(), plan.task_heading(&t.id))),
            Some(&draft.task),
        ),
        units: unit_choices(plan, Some(&draft.lead)),
        partners: plan
            .departments
            .iter()
            .filter(|d| d.kind != DepartmentKind::Dispatch)
            .map(|d| Choice {
                selected: draft.partners.contains(&d.id),
                value: d.id.clone(),
                label: d.name.clone(),
            })
            .collect(),
        subtargets: choices(
            plan.subtargets.iter().map(|s| {
                (
                    s.id.clone(),
                    format!(
                        "{} · {} {}{}",
                        plan.task_heading(&s.task),
                        s.name,
                        super::target_text(s.comparator, s.value, s.max, &s.unit),
                        if s.counted.is_some() {
                            cx.t.work_counted_mark()
                        } else {
                            ""
                        }
                    ),
                )
            }),
            draft.subtarget.as_deref(),
        ),
        title: draft.title.clone(),
        milestones,
        errors: errors.iter().map(|e| field_text(cx.lang, e)).collect(),
        csrf: session.csrf_token.clone(),
    })
}

fn draft_of(form: &[(String, String)]) -> ItemDraft {
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let milestones = (1..=MILESTONE_ROWS.max(dispatch::MILESTONES_MAX))
        .map(|i| (get(&format!("m{i}_title")), get(&format!("m{i}_due"))))
        .filter(|(t, d)| !t.is_empty() || !d.is_empty())
        .map(|(title, due)| Milestone { title, due })
        .collect();
    ItemDraft {
        task: get("task"),
        title: get("title"),
        lead: get("lead"),
        partners: form
            .iter()
            .filter(|(k, v)| k == "partner" && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect(),
        subtarget: Some(get("subtarget")).filter(|s| !s.is_empty()),
        milestones,
    }
}

/// `GET /work/new?task=`.
pub async fn new_form(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    if !plan
        .tasks
        .iter()
        .any(|t| dispatch::may_plan(plan, session.account.who(), &t.id))
    {
        return Err(cx.fail(WebError::Forbidden));
    }
    let draft = ItemDraft {
        task: text(&q, "task"),
        lead: if session.account.who().is_dispatcher() {
            String::new()
        } else {
            session.account.unit.clone()
        },
        ..ItemDraft::default()
    };
    let page = form_page(&cx, "/work/new".into(), 0, &draft, &[])?;
    cx.render(&page)
}

async fn save(
    cx: PageCtx,
    target: Option<i64>,
    form: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let draft = draft_of(&form);
    let version: i64 = form
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let action = target.map_or_else(|| "/work/new".to_string(), |id| format!("/work/{id}/edit"));
    match cx
        .state
        .store
        .item_save(
            &cx.stored.plan,
            &session.account,
            target.map(|id| (id, version)),
            &draft,
            cx.state.now(),
        )
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/work/{id}?done=saved")).into_response()),
        Err(DispatchError::Fields(errors)) => {
            let page = form_page(&cx, action, version, &draft, &errors)?;
            Ok(super::respond(
                cx.lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                &page,
            ))
        }
        Err(DispatchError::NotPermitted) => Err(cx.fail(WebError::Forbidden)),
        Err(DispatchError::NotFound) => Err(cx.fail(WebError::NotFound)),
        Err(DispatchError::Store(e)) => Err(cx.fail(WebError::Store(e))),
        Err(e) => {
            let text = e.text();
            let message = FieldError {
                field: String::new(),
                zh: text.zh,
                en: text.en,
            };
            let page = form_page(&cx, action, version, &draft, &[message])?;
            Ok(super::respond(cx.lang, StatusCode::CONFLICT, &page))
        }
    }
}

/// `POST /work/new`.
pub async fn create(
    cx: PageCtx,
    crate::extract::Form(form): crate::extract::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(cx, None, form).await
}

/// `GET /work/{id}/edit`.
pub async fn edit_form(cx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let item = readable_item(&cx, id).await?;
    if !dispatch::may_plan(&cx.stored.plan, session.account.who(), &item.task) {
        return Err(cx.fail(WebError::Forbidden));
    }
    let draft = ItemDraft {
        task: item.task.clone(),
        title: item.title.clone(),
        lead: item.lead.clone(),
        partners: item.partners.clone(),
        subtarget: item.subtarget.clone(),
        milestones: item.milestones.clone(),
    };
    let page = form_page(&cx, format!("/work/{id}/edit"), item.version, &draft, &[])?;
    cx.render(&page)
}

/// `POST /work/{id}/edit`.
pub async fn edit(
    cx: PageCtx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    readable_item(&cx, id).await?;
    save(cx, Some(id), form).await
}
