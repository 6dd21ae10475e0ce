//! 填报 → 提交 → 审核 → 确认, with 退回 at each step: who may do what to a figure value, and
//! what state it is in afterwards. The store applies the outcome; the rules are here only.

use super::{YearMonth, owed};
use crate::auth::{RoleKind, Who};
use crate::plan::{Figure, FigureKind, Frequency, Plan};
use crate::time::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureState {
    /// 填报中: saved, not submitted; does not count.
    Draft,
    /// 已提交: waiting for the source department's review.
    Submitted,
    /// 已审核: waiting for the dispatcher's confirmation.
    Reviewed,
    /// 已确认.
    Confirmed,
    /// 已退回: sent back with a reason; does not count until submitted again.
    Returned,
}

impl FigureState {
    pub const ALL: [FigureState; 5] = [
        FigureState::Draft,
        FigureState::Submitted,
        FigureState::Reviewed,
        FigureState::Confirmed,
        FigureState::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FigureState::Draft => "draft",
            FigureState::Submitted => "submitted",
            FigureState::Reviewed => "reviewed",
            FigureState::Confirmed => "confirmed",
            FigureState::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<FigureState> {
        FigureState::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Whether the value counts in the cockpit (marked unconfirmed until confirmed).
    pub fn counts(self) -> bool {
        matches!(
            self,
            FigureState::Submitted | FigureState::Reviewed | FigureState::Confirmed
        )
    }
}

/// What someone does to a figure value.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// 填报 / 修改: enter or change the value.
    Save {
        value: f64,
        explanation: String,
        /// Why a confirmed value is changed.
        reason: String,
    },
    /// 提交.
    Submit,
    /// 审核通过.
    Approve,
    /// 退回, with the reason.
    Return { reason: String },
    /// 确认.
    Confirm,
    /// 导入 (CLI back-filling): enter and submit in one go; the dispatcher's imports are
    /// confirmed on entry.
    Import { value: f64, explanation: String },
}

impl Step {
    pub fn code(&self) -> &'static str {
        match self {
            Step::Save { .. } => "save",
            Step::Submit => "submit",
            Step::Approve => "approve",
            Step::Return { .. } => "return",
            Step::Confirm => "confirm",
            Step::Import { .. } => "import",
        }
    }
}

/// The units `who` enters something for in `period`, in plan order.
pub fn entry_units(plan: &Plan, w: Who<'_>, period: YearMonth) -> Vec<String> {
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
pub fn entry_figures<'p>(
    plan: &'p Plan,
    w: Who<'_>,
    unit: &str,
    period: YearMonth,
) -> Vec<&'p Figure> {
    owed(plan, period)
        .into_iter()
        .filter(|(u, _)| u == unit)
        .filter_map(|(_, f)| plan.figure(&f))
        .filter(|f| may_enter(plan, w, unit, f))
        .collect()
}

/// Whether `who` may enter `figure` for `unit`: the dispatcher; a reporter of the unit's own
/// department; a reporter of the figure's source department.
pub fn may_enter(plan: &Plan, who: Who<'_>, unit: &str, figure: &Figure) -> bool {
    // A figure counted from a ledger is entered by no one (最多报一次).
    if figure.counted.is_some() {
        return false;
    }
    if who.is_dispatcher() {
        return true;
    }
    who.is(RoleKind::Reporter)
        && (who.department == figure.source
            || plan
                .department(who.department)
                .and_then(|d| d.unit.as_deref())
                == Some(unit))
}

/// Whether `who` reviews `figure`: a reviewer of its source department.
pub fn may_review(who: Who<'_>, figure: &Figure) -> bool {
    who.is(RoleKind::Reviewer) && who.department == figure.source
}

/// Whether `who` may read `unit`'s value of `figure` while it waits for review (已提交): the
/// unit that entered it, the figure's reviewers, the dispatch office and the leadership. Once
/// reviewed, a value is every reader's; before, another unit does not see it in the cockpit,
/// the API or anywhere else.
pub fn may_read_unreviewed(plan: &Plan, who: Who<'_>, unit: &str, figure: &Figure) -> bool {
    who.is_dispatcher()
        || who.is(RoleKind::Leader)
        || may_enter(plan, who, unit, figure)
        || may_review(who, figure)
}

/// Whether `who` may see `unit`'s values of `figure` in the entry and review pages.
pub fn may_see(plan: &Plan, who: Who<'_>, unit: &str, figure: &Figure) -> bool {
    who.is(RoleKind::Leader) || may_enter(plan, who, unit, figure) || may_review(who, figure)
}

/// A value as it is stored now.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub value: f64,
    pub state: FigureState,
    pub revised: bool,
    pub explanation: String,
}

/// Where a step happens.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub figure: &'a Figure,
    pub unit: &'a str,
    pub period: YearMonth,
    pub now: Timestamp,
    /// When entry for the period closes.
    pub deadline: Timestamp,
    /// The same period's value a year before, for the swing check.
    pub last_year: Option<f64>,
}

/// The value after a step.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub value: f64,
    pub state: FigureState,
    pub revised: bool,
    pub explanation: String,
    /// The reason recorded with the step (退回, change after confirmation).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WorkflowError {
    NotPermitted,
    WrongState {
        state: Option<FigureState>,
        step: &'static str,
        /// The step's code (`submit`, `confirm` …), for the English message.
        step_code: &'static str,
    },
    Closed {
        period: YearMonth,
        deadline: Timestamp,
    },
    NotDue {
        frequency: Frequency,
    },
    Future {
        period: YearMonth,
    },
    ReasonRequired,
    ExplanationRequired {
        swing: f64,
        bound: f64,
    },
    BadValue {
        kind: FigureKind,
    },
    /// Someone else changed the value since the form was opened.
    Stale,
    UnknownUnit {
        unit: String,
    },
    UnknownFigure {
        figure: String,
    },
    /// The figure is counted from a ledger, not entered.
    Counted {
        figure: String,
    },
}

impl WorkflowError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkflowError::NotPermitted => "not_permitted",
            WorkflowError::WrongState { .. } => "wrong_state",
            WorkflowError::Closed { .. } => "period_closed",
            WorkflowError::NotDue { .. } => "not_due",
            WorkflowError::Future { .. } => "future_period",
            WorkflowError::ReasonRequired => "reason_required",
            WorkflowError::ExplanationRequired { .. } => "explanation_required",
            WorkflowError::BadValue { .. } => "bad_value",
            WorkflowError::Stale => "stale",
            WorkflowError::UnknownUnit { .. } => "unknown_unit",
            WorkflowError::UnknownFigure { .. } => "unknown_figure",
            WorkflowError::Counted { .. } => "counted",
        }
    }
}

/// The unit and figure a value is for, by id or by name.
pub fn resolve<'p>(
    plan: &'p Plan,
    unit: &str,
    figure: &str,
) -> Result<(&'p crate::plan::Unit, &'p Figure), WorkflowError> {
    let (unit, figure) = (unit.trim(), figure.trim());
    let u = plan
        .units
        .iter()
        .find(|u| u.id == unit || u.name == unit)
        .ok_or_else(|| WorkflowError::UnknownUnit {
            unit: unit.to_string(),
        })?;
    let f = plan
        .figures
        .iter()
        .find(|f| f.id == figure || f.name == figure)
        .ok_or_else(|| WorkflowError::UnknownFigure {
            figure: figure.to_string(),
        })?;
    if f.counted.is_some() {
        return Err(WorkflowError::Counted {
            figure: f.name.clone(),
        });
    }
    Ok((u, f))
}

fn check_value(kind: FigureKind, value: f64) -> Result<(), WorkflowError> {
    let ok = value.is_finite()
        && match kind {
            FigureKind::Rate => true,
            FigureKind::Cumulative | FigureKind::Level => value >= 0.0,
            FigureKind::Rank => value >= 1.0 && value.fract() == 0.0,
        };
    if ok {
        Ok(())
    } else {
        Err(WorkflowError::BadValue { kind })
    }
}

fn check_swing(ctx: &Context<'_>, value: f64, explanation: &str) -> Result<(), WorkflowError> {
    let bound = super::swing_bound(ctx.plan, ctx.figure);
    match super::swing(ctx.figure.kind, value, ctx.last_year) {
        Some(s) if s.abs() > bound && explanation.trim().is_empty() => {
            Err(WorkflowError::ExplanationRequired { swing: s, bound })
        }
        _ => Ok(()),
    }
}

/// Checks that `who` may enter data for the period now: it is due, not in the future, and
/// (except for the dispatcher) entry has not closed.
fn check_entry(ctx: &Context<'_>, who: Who<'_>) -> Result<(), WorkflowError> {
    if !may_enter(ctx.plan, who, ctx.unit, ctx.figure) {
        return Err(WorkflowError::NotPermitted);
    }
    if !ctx.figure.frequency.is_due(ctx.period.month) {
        return Err(WorkflowError::NotDue {
            frequency: ctx.figure.frequency,
        });
    }
    if ctx.period > YearMonth::of(ctx.now) {
        return Err(WorkflowError::Future { period: ctx.period });
    }
    if ctx.now > ctx.deadline && !who.is_dispatcher() {
        return Err(WorkflowError::Closed {
            period: ctx.period,
            deadline: ctx.deadline,
        });
    }
    Ok(())
}

/// Applies a step to the current value, or says why it cannot be done.
pub fn apply(
    ctx: &Context<'_>,
    who: Who<'_>,
    current: Option<&Current>,
    step: &Step,
) -> Result<Outcome, WorkflowError> {
    let state = current.map(|c| c.state);
    let wrong = || WorkflowError::WrongState {
        state,
        step: step.zh(),
        step_code: step.code(),
    };
    let keep = |c: &Current, state: FigureState, reason: String| Outcome {
        value: c.value,
        state,
        revised: c.revised,
        explanation: c.explanation.clone(),
        reason,
    };
    match step {
        Step::Save {
            value,
            explanation,
            reason,
        } => {
            check_entry(ctx, who)?;
            check_value(ctx.figure.kind, *value)?;
            check_swing(ctx, *value, explanation)?;
            let (state, revised) = match current {
                None => (FigureState::Draft, false),
                Some(c) => match c.state {
                    FigureState::Draft | FigureState::Returned => (FigureState::Draft, c.revised),
                    FigureState::Confirmed => {
                        if reason.trim().is_empty() {
                            return Err(WorkflowError::ReasonRequired);
                        }
                        let state = if who.is_dispatcher() {
                            FigureState::Confirmed
                        } else {
                            FigureState::Submitted
                        };
                        (state, c.revised || c.value != *value)
                    }
                    FigureState::Submitted | FigureState::Reviewed => return Err(wrong()),
                },
            };
            Ok(Outcome {
                value: *value,
                state,
                revised,
                explanation: explanation.trim().to_string(),
                reason: reason.trim().to_string(),
            })
        }
        Step::Submit => {
            check_entry(ctx, who)?;
            let c = current.ok_or_else(wrong)?;
            if !matches!(c.state, FigureState::Draft | FigureState::Returned) {
                return Err(wrong());
            }
            check_swing(ctx, c.value, &c.explanation)?;
            Ok(keep(c, FigureState::Submitted, String::new()))
        }
        Step::Approve => {
            if !may_review(who, ctx.figure) {
                return Err(WorkflowError::NotPermitted);
            }
            match current {
                Some(c) if c.state == FigureState::Submitted => {
                    Ok(keep(c, FigureState::Reviewed, String::new()))
                }
                _ => Err(wrong()),
            }
        }
        Step::Return { reason } => {
            let c = current.ok_or_else(wrong)?;
            let allowed = match c.state {
                FigureState::Submitted => may_review(who, ctx.figure) || who.is_dispatcher(),
                FigureState::Reviewed | FigureState::Confirmed => who.is_dispatcher(),
                FigureState::Draft | FigureState::Returned => return Err(wrong()),
            };
            if !allowed {
                return Err(WorkflowError::NotPermitted);
            }
            if reason.trim().is_empty() {
                return Err(WorkflowError::ReasonRequired);
            }
            Ok(keep(c, FigureState::Returned, reason.trim().to_string()))
        }
        Step::Confirm => {
            if !who.is_dispatcher() {
                return Err(WorkflowError::NotPermitted);
            }
            match current {
                Some(c) if c.state == FigureState::Reviewed => {
                    Ok(keep(c, FigureState::Confirmed, String::new()))
                }
                _ => Err(wrong()),
            }
        }
        Step::Import { value, explanation } => {
            check_entry(ctx, who)?;
            check_value(ctx.figure.kind, *value)?;
            check_swing(ctx, *value, explanation)?;
            let revised = match current {
                None => false,
                Some(c) => match c.state {
                    FigureState::Submitted | FigureState::Reviewed if !who.is_dispatcher() => {
                        return Err(wrong());
                    }
                    // The same file uploaded again leaves a confirmed value confirmed.
                    FigureState::Confirmed if c.value == *value => {
                        return Ok(keep(c, FigureState::Confirmed, String::new()));
                    }
                    // Changing a confirmed value needs a reason: on the entry page, not in a file.
                    FigureState::Confirmed if !who.is_dispatcher() => return Err(wrong()),
                    FigureState::Confirmed => true,
                    _ => c.revised,
                },
            };
            let state = if who.is_dispatcher() {
                FigureState::Confirmed
            } else {
                FigureState::Submitted
            };
            Ok(Outcome {
                value: *value,
                state,
                revised,
                explanation: explanation.trim().to_string(),
                reason: String::new(),
            })
        }
    }
}

/// A notice of a figure's workflow, put in the inboxes of those who act next (and sent out on
/// their channels): a value submitted goes to the figure's reviewers, one reviewed to the
/// dispatch office, one returned or confirmed back to the unit's clerks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Submitted,
    Reviewed,
    Returned,
    Confirmed,
    /// A period's figures are due within `warn_days` and some are not in (to the unit's clerks).
    DueSoon,
    /// A period's deadline passed with figures not in (to the unit's clerks and the dispatch
    /// office).
    Missed,
}

/// Who a figure notice goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The accounts that review the figure ([`may_review`]); the dispatch office if it has none.
    Reviewers,
    /// The dispatch office, which confirms.
    Dispatchers,
    /// The clerks who enter the unit's value ([`may_enter`], the dispatch office aside).
    Clerks,
    /// The clerks, and the dispatch office.
    ClerksAndDispatchers,
}

impl Notice {
    pub const ALL: [Notice; 6] = [
        Notice::Submitted,
        Notice::Reviewed,
        Notice::Returned,
        Notice::Confirmed,
        Notice::DueSoon,
        Notice::Missed,
    ];

    /// The notice a step sends, if any (saving sends none; an import sends one per account, not
    /// per row, and is not a step of one value here).
    pub fn of_step(step: &Step) -> Option<Notice> {
        match step {
            Step::Submit => Some(Notice::Submitted),
            Step::Approve => Some(Notice::Reviewed),
            Step::Return { .. } => Some(Notice::Returned),
            Step::Confirm => Some(Notice::Confirmed),
            Step::Save { .. } | Step::Import { .. } => None,
        }
    }

    /// When the periodic check tells a unit about the figures of a period not in yet: within
    /// `warn_days` of the deadline (due soon), or after it (missed); `None` before.
    pub fn at_deadline(now: Timestamp, deadline: Timestamp, warn_days: u32) -> Option<Notice> {
        if now > deadline {
            Some(Notice::Missed)
        } else if now.0 >= deadline.0 - i64::from(warn_days) * 86_400 {
            Some(Notice::DueSoon)
        } else {
            None
        }
    }

    /// The notice of a value that reached `state` by a step or an import.
    pub fn of_state(state: FigureState) -> Option<Notice> {
        match state {
            FigureState::Submitted => Some(Notice::Submitted),
            FigureState::Reviewed => Some(Notice::Reviewed),
            FigureState::Returned => Some(Notice::Returned),
            FigureState::Confirmed => Some(Notice::Confirmed),
            FigureState::Draft => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Notice::Submitted => "figure_submitted",
            Notice::Reviewed => "figure_reviewed",
            Notice::Returned => "figure_returned",
            Notice::Confirmed => "figure_confirmed",
            Notice::DueSoon => "figures_due",
            Notice::Missed => "figures_missed",
        }
    }

    pub fn audience(self) -> Audience {
        match self {
            Notice::Submitted => Audience::Reviewers,
            Notice::Reviewed => Audience::Dispatchers,
            Notice::Returned | Notice::Confirmed | Notice::DueSoon => Audience::Clerks,
            Notice::Missed => Audience::ClerksAndDispatchers,
        }
    }

    /// Whether the account `who` is in the audience of this notice about `unit`'s `figure`.
    pub fn reaches(self, plan: &Plan, who: Who<'_>, unit: &str, figure: &Figure) -> bool {
        match self.audience() {
            Audience::Reviewers => may_review(who, figure),
            Audience::Dispatchers => who.is_dispatcher(),
            Audience::Clerks => !who.is_dispatcher() && may_enter(plan, who, unit, figure),
            Audience::ClerksAndDispatchers => {
                who.is_dispatcher() || may_enter(plan, who, unit, figure)
            }
        }
    }
}
