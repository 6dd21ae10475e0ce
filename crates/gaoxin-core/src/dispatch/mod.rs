//! 任务调度 — work items and progress reports (三、(三)「强化运行调度」: follow every department's
//! progress, know what is done and what is late).
//!
//! A task of the plan is broken into work items: what, which unit leads, which take part,
//! milestones with due dates, and the quantified sub-target it serves. Each responsible unit
//! reports on each item once a cycle (`[monitoring] report_cycle`, due on `report_day`); an
//! item behind its milestones cannot be reported without saying why and what comes next. This
//! module holds those rules; the store writes, the pages ask.

use crate::auth::RoleKind;
use crate::auth::Who;
use crate::monitor::YearMonth;
use crate::plan::{DepartmentKind, Plan, ReportCycle};
use crate::time::Date;
use serde::{Deserialize, Serialize};

pub mod attachment;
pub mod board;
mod messages;

use crate::text::Message;
use messages::Problem;
pub mod sample;
#[cfg(test)]
mod tests;

/// A dated step of a work item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due: String,
}

impl Milestone {
    pub fn due_date(&self) -> Option<Date> {
        Date::parse(&self.due)
    }
}

/// A work item as written (new or changed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemDraft {
    pub task: String,
    pub title: String,
    /// The leading department (plan id).
    pub lead: String,
    /// Departments taking part.
    pub partners: Vec<String>,
    /// The plan's sub-target it serves, if any.
    pub subtarget: Option<String>,
    pub milestones: Vec<Milestone>,
}

/// The most milestones an item has.
pub const MILESTONES_MAX: usize = 12;
pub const TITLE_MAX_CHARS: usize = 200;
pub const TEXT_MAX_CHARS: usize = 4000;

/// A field of a form and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub zh: String,
    pub en: String,
}

fn err(field: impl Into<String>, problem: Problem<'_>) -> FieldError {
    let text = problem.text();
    FieldError {
        field: field.into(),
        zh: text.zh,
        en: text.en,
    }
}

fn is_business(who: Who<'_>) -> bool {
    who.roles
        .iter()
        .any(|r| matches!(r, RoleKind::Reporter | RoleKind::Reviewer))
}

/// Whether `who` breaks `task` into work items: the dispatch office, or a reporter or reviewer
/// of one of the task's lead departments.
pub fn may_plan(plan: &Plan, who: Who<'_>, task: &str) -> bool {
    who.is_dispatcher()
        || (is_business(who)
            && plan
                .tasks
                .iter()
                .any(|t| t.id == task && t.lead.iter().any(|l| l == who.department)))
}

/// The units that report on an item: its lead, then its partners.
pub fn responsible(lead: &str, partners: &[String]) -> Vec<String> {
    let mut all = vec![lead.to_string()];
    for p in partners {
        if !all.contains(p) {
            all.push(p.clone());
        }
    }
    all
}

/// Whether `who` reports for `unit` on an item: a reporter or reviewer of that unit, which must
/// be responsible for the item.
pub fn may_report(who: Who<'_>, responsible: &[String], unit: &str) -> bool {
    is_business(who) && who.department == unit && responsible.iter().any(|u| u == unit)
}

/// Whether `who` sees an item of `task` with these responsible units: the dispatch office and
/// leaders; the responsible units; the task's lead departments.
pub fn may_see(plan: &Plan, who: Who<'_>, task: &str, responsible: &[String]) -> bool {
    who.is_dispatcher()
        || who.roles.contains(&RoleKind::Leader)
        || (is_business(who)
            && (responsible.iter().any(|u| u == who.department)
                || plan
                    .tasks
                    .iter()
                    .any(|t| t.id == task && t.lead.iter().any(|l| l == who.department))))
}

fn reporting_department(plan: &Plan, id: &str) -> bool {
    plan.department(id)
        .is_some_and(|d| d.kind != DepartmentKind::Dispatch)
}

/// Checks a work item: every problem, by field.
pub fn check_item(plan: &Plan, d: &ItemDraft) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let task = plan.tasks.iter().find(|t| t.id == d.task);
    if task.is_none() {
        errors.push(err("task", Problem::TaskNotInPlan(&d.task)));
    }
    let title = d.title.trim().chars().count();
    if title == 0 {
        errors.push(err("title", Problem::NoTitle));
    } else if title > TITLE_MAX_CHARS {
        errors.push(err("title", Problem::TitleTooLong(title)));
    }
    if !reporting_department(plan, &d.lead) {
        errors.push(err("lead", Problem::NoLead));
    }
    for p in &d.partners {
        if !reporting_department(plan, p) {
            errors.push(err("partners", Problem::UnknownPartner(p)));
        } else if *p == d.lead {
            errors.push(err("partners", Problem::LeadAsPartner));
        }
    }
    if let Some(s) = &d.subtarget {
        match plan.subtargets.iter().find(|x| &x.id == s) {
            Some(x) if x.task == d.task => {}
            Some(_) => errors.push(err("subtarget", Problem::SubTargetOfOtherTask(s))),
            None => errors.push(err("subtarget", Problem::SubTargetNotInPlan(s))),
        }
    }
    if d.milestones.is_empty() {
        errors.push(err("milestones", Problem::NoMilestone));
    }
    if d.milestones.len() > MILESTONES_MAX {
        errors.push(err("milestones", Problem::TooManyMilestones));
    }
    let (lo, hi) = (
        Date::parse(&format!("{}-01-01", plan.period.start)),
        Date::parse(&format!("{}-12-31", plan.period.end)),
    );
    for (i, m) in d.milestones.iter().enumerate() {
        let n = i + 1;
        if m.title.trim().is_empty() {
            errors.push(err(format!("milestone_{n}"), Problem::MilestoneNoText(n)));
        }
        match m.due_date() {
            None => errors.push(err(
                format!("milestone_{n}"),
                Problem::MilestoneBadDate(n, &m.due),
            )),
            Some(due) if lo.is_some_and(|lo| due < lo) || hi.is_some_and(|hi| due > hi) => errors
                .push(err(
                    format!("milestone_{n}"),
                    Problem::MilestoneOutsidePlan {
                        n,
                        due,
                        start: plan.period.start,
                        end: plan.period.end,
                    },
                )),
            Some(_) => {}
        }
    }
    errors
}

/// The periods of a reporting cycle: every month, or the last month of each quarter.
pub fn is_report_period(cycle: ReportCycle, p: YearMonth) -> bool {
    match cycle {
        ReportCycle::Monthly => true,
        ReportCycle::Quarterly => p.month.is_multiple_of(3),
    }
}

/// The current reporting period of a cycle: the latest one ended by the current period
/// ([`YearMonth::current`]) — for a quarterly cycle on 3 December, September.
pub fn current_period(cycle: ReportCycle, now: crate::time::Timestamp) -> YearMonth {
    let mut p = YearMonth::current(now);
    while !is_report_period(cycle, p) {
        p = p.previous();
    }
    p
}

/// The reporting period `p` falls in (a quarter's last month, or the month itself).
pub fn period_of(cycle: ReportCycle, p: YearMonth) -> YearMonth {
    match cycle {
        ReportCycle::Monthly => p,
        ReportCycle::Quarterly => YearMonth {
            year: p.year,
            month: p.month.div_ceil(3) * 3,
        },
    }
}

/// The day a period's report is due.
pub fn due_date(p: YearMonth, report_day: u32) -> Date {
    Date(crate::time::days_from_civil(
        i64::from(p.year),
        p.month,
        report_day,
    ))
}

/// Why an item is behind its schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behind {
    /// The first milestone past its due date and not reached (1-based).
    pub milestone: usize,
    pub title: String,
    pub due: String,
}

/// Whether an item with these milestones, `reached` of them done, is behind on `today`: a
/// milestone whose day has passed is not reached.
pub fn behind(milestones: &[Milestone], reached: usize, today: Date) -> Option<Behind> {
    milestones
        .iter()
        .enumerate()
        .skip(reached)
        .find(|(_, m)| m.due_date().is_some_and(|d| d < today))
        .map(|(i, m)| Behind {
            milestone: i + 1,
            title: m.title.clone(),
            due: m.due.clone(),
        })
}

/// A progress report as filed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportDraft {
    /// 本期完成情况.
    pub done: String,
    /// 完成进度 (0–100), when the unit states one.
    pub percent: Option<u32>,
    /// How many milestones are reached, in order.
    pub reached: usize,
    pub problems: String,
    pub help: String,
    /// Why the item is behind (required when it is).
    pub behind_reason: String,
    /// What happens next (required when behind).
    pub next_steps: String,
}

/// Whether `who` returns a filed progress report to its unit (to be corrected and filed again):
/// the dispatch office, which reads every report.
pub fn may_return_report(who: Who<'_>) -> bool {
    who.is_dispatcher()
}

/// Checks the reason a report is returned with: given, and not too long.
pub fn check_return(reason: &str) -> Vec<FieldError> {
    let n = reason.trim().chars().count();
    if n == 0 {
        vec![err("reason", Problem::NoReturnReason)]
    } else if n > TEXT_MAX_CHARS {
        vec![err("reason", Problem::TextTooLong(n))]
    } else {
        Vec::new()
    }
}

/// Checks a report on an item with `milestones`, filed on `today`; every problem by field.
pub fn check_report(milestones: &[Milestone], r: &ReportDraft, today: Date) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if r.done.trim().is_empty() {
        errors.push(err("done", Problem::NothingDone));
    }
    if r.percent.is_some_and(|p| p > 100) {
        errors.push(err("percent", Problem::PercentRange));
    }
    if r.reached > milestones.len() {
        errors.push(err("reached", Problem::OnlyMilestones(milestones.len())));
    }
    for (field, text) in [
        ("done", &r.done),
        ("problems", &r.problems),
        ("help", &r.help),
        ("behind_reason", &r.behind_reason),
        ("next_steps", &r.next_steps),
    ] {
        let n = text.chars().count();
        if n > TEXT_MAX_CHARS {
            errors.push(err(field, Problem::TextTooLong(n)));
        }
    }
    if let Some(b) = behind(milestones, r.reached, today) {
        for (field, text, missing) in [
            (
                "behind_reason",
                &r.behind_reason,
                Problem::BehindNoReason(&b),
            ),
            ("next_steps", &r.next_steps, Problem::BehindNoNextSteps(&b)),
        ] {
            if text.trim().is_empty() {
                errors.push(err(field, missing));
            }
        }
    }
    errors
}

/// Where a unit stands on reporting an item for a period, as the work list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportState {
    /// Its first report came after the due date (`at`: when it was filed).
    Late { at: i64 },
    /// Its first report came in time.
    OnTime { at: i64 },
    /// Nothing is owed: the item was set up after this period's due date.
    NotOwed,
    /// Owed, not filed, and the due date has passed.
    Missing,
    /// Owed, not filed yet, still due.
    Due,
}

impl ReportState {
    pub fn code(self) -> &'static str {
        match self {
            ReportState::Late { .. } => "late",
            ReportState::OnTime { .. } => "on_time",
            ReportState::NotOwed => "none",
            ReportState::Missing => "missing",
            ReportState::Due => "due",
        }
    }
}

/// The state of a unit's report: `first` is its first report's `(filed at, late)`, `owed`
/// whether the item was set up by the due date, `due` the due date, `today` today.
pub fn report_state(first: Option<(i64, bool)>, owed: bool, due: Date, today: Date) -> ReportState {
    match first {
        Some((at, true)) => ReportState::Late { at },
        Some((at, false)) => ReportState::OnTime { at },
        None if !owed => ReportState::NotOwed,
        None if today > due => ReportState::Missing,
        None => ReportState::Due,
    }
}

/// The reporting period before `p` (a quarter is three months back, not one).
pub fn previous_period(cycle: ReportCycle, p: YearMonth) -> YearMonth {
    let p = period_of(cycle, p);
    let mut q = p.previous();
    while period_of(cycle, q) == p {
        q = q.previous();
    }
    period_of(cycle, q)
}

/// The periods an item set up at `created` may be reported for at `now`: the current one and
/// the `n - 1` before it, none before the item's own.
pub fn reportable_periods(
    cycle: ReportCycle,
    created: YearMonth,
    now: YearMonth,
    n: usize,
) -> Vec<YearMonth> {
    let first = period_of(cycle, created);
    let mut out = Vec::new();
    let mut p = period_of(cycle, now);
    while p >= first && out.len() < n {
        out.push(p);
        p = previous_period(cycle, p);
    }
    out
}

/// A unit's standing on an item for one period, from its reports there: the first filed (by
/// `order`) decides lateness, the latest whether the item is behind. `None`: nothing filed.
pub fn standing<'a, R>(
    reports: impl IntoIterator<Item = &'a R>,
    order: impl Fn(&R) -> i64,
    behind: impl Fn(&R) -> bool,
) -> Option<(&'a R, bool)> {
    let mut first: Option<&R> = None;
    let mut latest: Option<&R> = None;
    for r in reports {
        if first.is_none_or(|f| order(r) < order(f)) {
            first = Some(r);
        }
        if latest.is_none_or(|l| order(r) > order(l)) {
            latest = Some(r);
        }
    }
    Some((first?, latest.is_some_and(behind)))
}

/// Whether a report filed on `filed` for `period` is late.
pub fn is_late(period: YearMonth, report_day: u32, filed: Date) -> bool {
    filed > due_date(period, report_day)
}
