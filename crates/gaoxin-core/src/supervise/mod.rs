//! 督办 — supervision orders (三、(二)「政策落实督办制度」, 三、(三)「强化运行调度」).
//!
//! An order goes 立项 → 交办 → 签收 → 办理反馈 → 复核 → 办结销号; 退回 sends it one step back
//! with a reason. This module says which step may follow which, who may take it, what each step
//! needs, the deadline light, and when an order escalates. The store applies the outcome; the
//! rules are here only.

use crate::auth::RoleKind;
use crate::auth::Who;
use crate::plan::{DepartmentKind, Plan};
use crate::time::Date;
use serde::Serialize;

mod messages;
pub mod sample;
pub mod sheet;
#[cfg(test)]
mod tests;

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// 已立项: written by the dispatcher, not yet handed to a unit.
    Opened,
    /// 已交办: handed to a unit with a deadline, waiting for it to sign.
    Assigned,
    /// 已签收: the unit is handling it.
    Signed,
    /// 已反馈: the unit has answered; waiting for the dispatcher's review.
    Answered,
    /// 已复核: the dispatcher has checked the answer; waiting to be closed.
    Reviewed,
    /// 已办结销号.
    Closed,
}

impl OrderState {
    pub const ALL: [OrderState; 6] = [
        OrderState::Opened,
        OrderState::Assigned,
        OrderState::Signed,
        OrderState::Answered,
        OrderState::Reviewed,
        OrderState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrderState::Opened => "opened",
            OrderState::Assigned => "assigned",
            OrderState::Signed => "signed",
            OrderState::Answered => "answered",
            OrderState::Reviewed => "reviewed",
            OrderState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The unit still owes its answer: the deadline's clock runs.
    pub fn awaits_unit(self) -> bool {
        matches!(self, OrderState::Assigned | OrderState::Signed)
    }
}

/// A step in an order's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 立项.
    Open,
    /// 交办: to a unit, with a deadline and requirements.
    Assign,
    /// 签收.
    Sign,
    /// 办理反馈.
    Answer,
    /// 复核.
    Review,
    /// 办结销号.
    Close,
    /// 退回 one step, with a reason.
    Return,
    /// 提级督办: overdue, so the unit's leadership and the dispatcher are told (by the system).
    Escalate,
    /// 延期申请: the unit asks for a later deadline, with its reason.
    RequestExtension,
    /// 同意延期: the dispatcher grants it, with the new deadline (the one asked for, or another).
    GrantExtension,
    /// 不同意延期: the dispatcher refuses it, with the reason; the deadline stays.
    RefuseExtension,
    /// 催办: a nudge to the unit, recorded (the dispatcher or a leader).
    Urge,
    /// 领导批示: a leader's instruction on the order, recorded and sent to the unit.
    Instruct,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::Open,
        Action::Assign,
        Action::Sign,
        Action::Answer,
        Action::Review,
        Action::Close,
        Action::Return,
        Action::Escalate,
        Action::RequestExtension,
        Action::GrantExtension,
        Action::RefuseExtension,
        Action::Urge,
        Action::Instruct,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Open => "open",
            Action::Assign => "assign",
            Action::Sign => "sign",
            Action::Answer => "answer",
            Action::Review => "review",
            Action::Close => "close",
            Action::Return => "return",
            Action::Escalate => "escalate",
            Action::RequestExtension => "extend_request",
            Action::GrantExtension => "extend_grant",
            Action::RefuseExtension => "extend_refuse",
            Action::Urge => "urge",
            Action::Instruct => "instruct",
        }
    }

    /// A step that records something on the order without moving it along (延期, 催办, 批示).
    pub fn keeps_state(self) -> bool {
        matches!(
            self,
            Action::RequestExtension
                | Action::GrantExtension
                | Action::RefuseExtension
                | Action::Urge
                | Action::Instruct
        )
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The state an order must be in for this step, and the state after it (退回 depends on
    /// where the order is; see [`returns_to`]).
    fn path(self) -> Option<(OrderState, OrderState)> {
        use OrderState as S;
        match self {
            Action::Assign => Some((S::Opened, S::Assigned)),
            Action::Sign => Some((S::Assigned, S::Signed)),
            Action::Answer => Some((S::Signed, S::Answered)),
            Action::Review => Some((S::Answered, S::Reviewed)),
            Action::Close => Some((S::Reviewed, S::Closed)),
            Action::Open
            | Action::Return
            | Action::Escalate
            | Action::RequestExtension
            | Action::GrantExtension
            | Action::RefuseExtension
            | Action::Urge
            | Action::Instruct => None,
        }
    }
}

/// Where 退回 sends an order from `state`, if it may be sent back at all: a unit hands back an
/// order that is not its to handle (交办 → 立项, to be handed to the right unit); the dispatcher
/// sends back an answer that does not do (反馈 → 签收, to be answered again) or undoes a review.
pub fn returns_to(state: OrderState) -> Option<OrderState> {
    match state {
        OrderState::Assigned => Some(OrderState::Opened),
        OrderState::Answered => Some(OrderState::Signed),
        OrderState::Reviewed => Some(OrderState::Answered),
        OrderState::Opened | OrderState::Signed | OrderState::Closed => None,
    }
}

/// What an order is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// A task of the plan (its work items report under it).
    Task { task: String },
    /// A lagging indicator of a zone, from the cockpit.
    Indicator { zone: String, indicator: String },
    /// A matter of its own.
    Matter,
}

impl Subject {
    pub fn code(&self) -> &'static str {
        match self {
            Subject::Task { .. } => "task",
            Subject::Indicator { .. } => "indicator",
            Subject::Matter => "matter",
        }
    }

    /// Checks the references against the plan.
    pub fn check(&self, plan: &Plan) -> Result<(), OrderError> {
        match self {
            Subject::Task { task } if plan.tasks.iter().all(|t| &t.id != task) => {
                Err(OrderError::UnknownTask(task.clone()))
            }
            Subject::Indicator { zone, indicator }
                if plan.unit(zone).is_none() || plan.indicator(indicator).is_none() =>
            {
                Err(OrderError::UnknownIndicator(format!("{zone}/{indicator}")))
            }
            _ => Ok(()),
        }
    }
}

/// An order as it is stored now.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub state: OrderState,
    /// The department it is handed to (plan id), once 交办.
    pub assignee: Option<String>,
    pub deadline: Option<Date>,
    /// A 延期申请 waiting for the dispatcher: the deadline the unit asked for.
    pub extension: Option<Date>,
    /// 协办单位: departments (plan ids) that work with the assigned unit; they see the order and
    /// are told of it, the assigned unit answers for it.
    pub co_units: Vec<String>,
}

/// At most this many 协办单位 on an order.
pub const CO_UNITS_MAX: usize = 6;

/// A step someone asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Request {
    /// 交办: the department; 退回 from 已交办 clears it.
    pub assignee: Option<String>,
    /// 交办: the 协办单位 beside it (none is fine).
    pub co_units: Vec<String>,
    /// 交办: the deadline; 退回 to 签收 may set a new one; 延期申请: the deadline asked for;
    /// 同意延期: the new deadline (the one asked for when left out).
    pub deadline: Option<Date>,
    /// 交办: the requirements; 反馈: what was done; 退回, 延期申请, 不同意延期: the reason;
    /// 批示: the instruction; 复核, 办结, 催办: remarks.
    pub note: String,
}

/// What the store writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub state: OrderState,
    pub assignee: Option<String>,
    pub deadline: Option<Date>,
    /// The 延期申请 left waiting after the step.
    pub extension: Option<Date>,
    pub co_units: Vec<String>,
}

/// Longest text a step keeps.
pub const NOTE_MAX_CHARS: usize = 4000;
/// Longest title.
pub const TITLE_MAX_CHARS: usize = 200;

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderError {
    /// The step does not follow from where the order is (a step cannot be skipped).
    WrongState {
        action: Action,
        state: OrderState,
        needs: OrderState,
    },
    /// The order cannot be sent back from where it is.
    CannotReturn(OrderState),
    /// Closed orders are final.
    Closed,
    /// Opening and escalating are not steps on an existing order.
    NotAStep(Action),
    /// Only the dispatcher takes this step.
    DispatcherOnly(Action),
    /// Only the unit the order is handed to takes this step.
    AssigneeOnly(Action),
    /// The assignee may not review or close its own order.
    OwnOrder(Action),
    NoAssignee,
    UnknownDepartment(String),
    /// The dispatch office does not hand orders to itself.
    NotAUnit(String),
    NoDeadline,
    DeadlinePassed(Date),
    /// The step needs a text (requirements, what was done, the reason).
    NoteRequired(Action),
    NoteTooLong(usize),
    TitleRequired,
    TitleTooLong(usize),
    UnknownTask(String),
    UnknownIndicator(String),
    /// Someone else changed the order since it was read.
    Stale,
    /// Only a leader gives an instruction.
    LeaderOnly(Action),
    /// The unit may ask for more time only while it owes its answer.
    NotAwaitingUnit(Action),
    /// A request for more time is already waiting for the dispatcher.
    ExtensionPending,
    /// No request for more time is waiting.
    NoExtensionPending,
    /// The deadline asked for is not later than the current one.
    ExtensionNotLater {
        asked: Date,
        deadline: Date,
    },
    /// The lead unit cannot also be a 协办单位.
    CoUnitIsLead(String),
    TooManyCoUnits(usize),
}

impl OrderError {
    pub fn code(&self) -> &'static str {
        match self {
            OrderError::WrongState { .. } => "wrong_state",
            OrderError::CannotReturn(_) => "cannot_return",
            OrderError::Closed => "closed",
            OrderError::NotAStep(_) => "not_a_step",
            OrderError::DispatcherOnly(_) => "dispatcher_only",
            OrderError::AssigneeOnly(_) => "assignee_only",
            OrderError::OwnOrder(_) => "own_order",
            OrderError::NoAssignee => "no_assignee",
            OrderError::UnknownDepartment(_) => "unknown_department",
            OrderError::NotAUnit(_) => "not_a_unit",
            OrderError::NoDeadline => "no_deadline",
            OrderError::DeadlinePassed(_) => "deadline_passed",
            OrderError::NoteRequired(_) => "note_required",
            OrderError::NoteTooLong(_) => "note_too_long",
            OrderError::TitleRequired => "title_required",
            OrderError::TitleTooLong(_) => "title_too_long",
            OrderError::UnknownTask(_) => "unknown_task",
            OrderError::UnknownIndicator(_) => "unknown_indicator",
            OrderError::Stale => "stale",
            OrderError::LeaderOnly(_) => "leader_only",
            OrderError::NotAwaitingUnit(_) => "not_awaiting_unit",
            OrderError::ExtensionPending => "extension_pending",
            OrderError::NoExtensionPending => "no_extension_pending",
            OrderError::ExtensionNotLater { .. } => "extension_not_later",
            OrderError::CoUnitIsLead(_) => "co_unit_is_lead",
            OrderError::TooManyCoUnits(_) => "too_many_co_units",
        }
    }

    /// Whether the account was simply not the one to act (403) rather than the request being
    /// wrong (409/422).
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            OrderError::DispatcherOnly(_)
                | OrderError::AssigneeOnly(_)
                | OrderError::OwnOrder(_)
                | OrderError::LeaderOnly(_)
        )
    }
}

fn past(action: Action) -> &'static str {
    match action {
        Action::Open => "opened",
        Action::Assign => "assigned",
        Action::Sign => "signed for",
        Action::Answer => "answered",
        Action::Review => "reviewed",
        Action::Close => "closed",
        Action::Return => "sent back",
        Action::Escalate => "escalated",
        Action::RequestExtension => "asked for more time on",
        Action::GrantExtension => "given more time",
        Action::RefuseExtension => "refused more time",
        Action::Urge => "urged",
        Action::Instruct => "instructed on",
    }
}

fn is_assignee(who: Who<'_>, assignee: Option<&str>) -> bool {
    assignee == Some(who.department)
        && who
            .roles
            .iter()
            .any(|r| matches!(r, RoleKind::Reporter | RoleKind::Reviewer))
}

/// Whether `who` opens orders: the dispatch office.
pub fn may_open(who: Who<'_>) -> bool {
    who.is_dispatcher()
}

/// Whether `who` sees an order handed to `assignee` with `co_units`: the dispatcher and leaders
/// see every order; a unit sees the orders handed to it and those it works on as 协办单位.
pub fn may_see(who: Who<'_>, assignee: Option<&str>, co_units: &[String]) -> bool {
    who.is_dispatcher()
        || who.roles.contains(&RoleKind::Leader)
        || is_assignee(who, assignee)
        || co_units.iter().any(|c| is_assignee(who, Some(c.as_str())))
}

/// The steps `who` may take on an order in `current` — what the order's page offers.
pub fn offered(who: Who<'_>, current: &Current) -> Vec<Action> {
    [
        Action::Assign,
        Action::Sign,
        Action::Answer,
        Action::Review,
        Action::Close,
        Action::Return,
        Action::RequestExtension,
        Action::GrantExtension,
        Action::RefuseExtension,
        Action::Urge,
        Action::Instruct,
    ]
    .into_iter()
    .filter(|a| allowed(who, current, *a).is_ok())
    .collect()
}

/// Whether `who` may take `action` now, leaving aside what the request carries.
fn allowed(who: Who<'_>, current: &Current, action: Action) -> Result<OrderState, OrderError> {
    if current.state == OrderState::Closed {
        return Err(OrderError::Closed);
    }
    // Who first: a unit trying to close its order learns it never may, whatever the state.
    let unit = is_assignee(who, current.assignee.as_deref());
    if action.keeps_state() {
        return allowed_record(who, current, action, unit).map(|()| current.state);
    }
    let ok = match action {
        Action::Open | Action::Escalate => return Err(OrderError::NotAStep(action)),
        Action::RequestExtension
        | Action::GrantExtension
        | Action::RefuseExtension
        | Action::Urge
        | Action::Instruct => return Err(OrderError::NotAStep(action)),
        Action::Assign => who.is_dispatcher(),
        Action::Sign | Action::Answer => unit,
        Action::Review | Action::Close => who.is_dispatcher() && !unit,
        // The unit hands back what was assigned to it; the dispatcher may recall it too.
        Action::Return if current.state == OrderState::Assigned => who.is_dispatcher() || unit,
        Action::Return => who.is_dispatcher() && !unit,
    };
    if !ok {
        return Err(match action {
            Action::Sign | Action::Answer => OrderError::AssigneeOnly(action),
            Action::Review | Action::Close | Action::Return if unit => OrderError::OwnOrder(action),
            _ => OrderError::DispatcherOnly(action),
        });
    }
    match action.path() {
        None => returns_to(current.state).ok_or(OrderError::CannotReturn(current.state)),
        Some((from, _)) if current.state != from => Err(OrderError::WrongState {
            action,
            state: current.state,
            needs: from,
        }),
        Some((_, to)) => Ok(to),
    }
}

/// Whether `who` may take a step that records without moving the order (延期, 催办, 批示).
fn allowed_record(
    who: Who<'_>,
    current: &Current,
    action: Action,
    unit: bool,
) -> Result<(), OrderError> {
    let leader = who.roles.contains(&RoleKind::Leader);
    match action {
        Action::RequestExtension if !unit => Err(OrderError::AssigneeOnly(action)),
        Action::GrantExtension | Action::RefuseExtension if unit => {
            Err(OrderError::OwnOrder(action))
        }
        Action::GrantExtension | Action::RefuseExtension if !who.is_dispatcher() => {
            Err(OrderError::DispatcherOnly(action))
        }
        Action::Urge if unit => Err(OrderError::OwnOrder(action)),
        Action::Urge if !(who.is_dispatcher() || leader) => Err(OrderError::DispatcherOnly(action)),
        Action::Instruct if !leader => Err(OrderError::LeaderOnly(action)),
        // The clock runs only while the unit owes its answer: more time, and nudges, then.
        Action::RequestExtension | Action::Urge if !current.state.awaits_unit() => {
            Err(OrderError::NotAwaitingUnit(action))
        }
        Action::RequestExtension if current.extension.is_some() => {
            Err(OrderError::ExtensionPending)
        }
        Action::GrantExtension | Action::RefuseExtension if current.extension.is_none() => {
            Err(OrderError::NoExtensionPending)
        }
        _ => Ok(()),
    }
}

/// The 协办单位 of a 交办 to `lead`: known departments, not the dispatch office, not the lead;
/// duplicates dropped, in the order given.
fn check_co_units(plan: &Plan, lead: &str, asked: &[String]) -> Result<Vec<String>, OrderError> {
    let mut out: Vec<String> = Vec::new();
    for id in asked.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let d = plan
            .department(id)
            .ok_or_else(|| OrderError::UnknownDepartment(id.to_string()))?;
        if d.kind == DepartmentKind::Dispatch {
            return Err(OrderError::NotAUnit(d.name.clone()));
        }
        if id == lead {
            return Err(OrderError::CoUnitIsLead(d.name.clone()));
        }
        if !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    if out.len() > CO_UNITS_MAX {
        return Err(OrderError::TooManyCoUnits(out.len()));
    }
    Ok(out)
}

fn check_note(note: &str) -> Result<(), OrderError> {
    let n = note.chars().count();
    if n > NOTE_MAX_CHARS {
        return Err(OrderError::NoteTooLong(n));
    }
    Ok(())
}

/// Checks a new order's title and subject.
pub fn check_new(plan: &Plan, title: &str, subject: &Subject) -> Result<(), OrderError> {
    let n = title.trim().chars().count();
    if n == 0 {
        return Err(OrderError::TitleRequired);
    }
    if n > TITLE_MAX_CHARS {
        return Err(OrderError::TitleTooLong(n));
    }
    subject.check(plan)
}

/// Decides a step: the state, assignee and deadline after it, or why not. `today` is the day in
/// Beijing the step is taken.
pub fn apply(
    plan: &Plan,
    who: Who<'_>,
    current: &Current,
    action: Action,
    request: &Request,
    today: Date,
) -> Result<Outcome, OrderError> {
    let to = allowed(who, current, action)?;
    let note = request.note.trim();
    check_note(note)?;
    let mut out = Outcome {
        state: to,
        assignee: current.assignee.clone(),
        deadline: current.deadline,
        extension: current.extension,
        co_units: current.co_units.clone(),
    };
    match action {
        Action::RequestExtension | Action::RefuseExtension | Action::Instruct
            if note.is_empty() =>
        {
            return Err(OrderError::NoteRequired(action));
        }
        Action::RequestExtension => {
            let asked = request.deadline.ok_or(OrderError::NoDeadline)?;
            if asked < today {
                return Err(OrderError::DeadlinePassed(asked));
            }
            if let Some(deadline) = current.deadline
                && asked <= deadline
            {
                return Err(OrderError::ExtensionNotLater { asked, deadline });
            }
            out.extension = Some(asked);
        }
        Action::GrantExtension => {
            let granted = request
                .deadline
                .or(current.extension)
                .ok_or(OrderError::NoDeadline)?;
            if granted < today {
                return Err(OrderError::DeadlinePassed(granted));
            }
            out.deadline = Some(granted);
            out.extension = None;
        }
        Action::RefuseExtension => out.extension = None,
        Action::Assign => {
            let id = request.assignee.as_deref().ok_or(OrderError::NoAssignee)?;
            let department = plan
                .department(id)
                .ok_or_else(|| OrderError::UnknownDepartment(id.to_string()))?;
            if department.kind == DepartmentKind::Dispatch {
                return Err(OrderError::NotAUnit(department.name.clone()));
            }
            let deadline = request.deadline.ok_or(OrderError::NoDeadline)?;
            if deadline < today {
                return Err(OrderError::DeadlinePassed(deadline));
            }
            if note.is_empty() {
                return Err(OrderError::NoteRequired(action));
            }
            out.co_units = check_co_units(plan, id, &request.co_units)?;
            out.assignee = Some(id.to_string());
            out.deadline = Some(deadline);
        }
        Action::Answer | Action::Return if note.is_empty() => {
            return Err(OrderError::NoteRequired(action));
        }
        Action::Return => {
            if current.state == OrderState::Assigned {
                out.assignee = None;
                out.co_units = Vec::new();
            } else if let Some(deadline) = request.deadline {
                if deadline < today {
                    return Err(OrderError::DeadlinePassed(deadline));
                }
                out.deadline = Some(deadline);
            }
        }
        _ => {}
    }
    // A request for more time lapses once the unit no longer owes its answer.
    if !out.state.awaits_unit() {
        out.extension = None;
    }
    Ok(out)
}

/// An order's light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// Not handed to a unit yet: no deadline.
    None,
    Green,
    /// The deadline is `warn_days` or fewer away.
    Yellow,
    /// Past the deadline without an answer (or answered after it).
    Red,
    /// 办结销号.
    Done,
}

impl Light {
    pub const ALL: [Light; 5] = [
        Light::None,
        Light::Green,
        Light::Yellow,
        Light::Red,
        Light::Done,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Light::None => "none",
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
            Light::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Light> {
        Light::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// The light of an order: while the unit owes its answer, by the days left to the deadline
/// (yellow from `warn_days` before it, red the day after it); once answered, by whether the
/// answer came in time; closed orders are done.
pub fn light(
    state: OrderState,
    deadline: Option<Date>,
    answered_on: Option<Date>,
    today: Date,
    warn_days: u32,
) -> Light {
    let Some(deadline) = deadline else {
        return if state == OrderState::Closed {
            Light::Done
        } else {
            Light::None
        };
    };
    match state {
        OrderState::Opened => Light::None,
        OrderState::Closed => Light::Done,
        OrderState::Assigned | OrderState::Signed => {
            if today > deadline {
                Light::Red
            } else if today >= deadline.add_days(-i64::from(warn_days)) {
                Light::Yellow
            } else {
                Light::Green
            }
        }
        OrderState::Answered | OrderState::Reviewed => match answered_on {
            Some(day) if day > deadline => Light::Red,
            _ => Light::Green,
        },
    }
}

/// A notice the system sends about an order, once per order, kind and deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// 交办: the unit has a new order.
    Assigned,
    /// The deadline is near (the light turned yellow): a reminder to the unit.
    DueSoon,
    /// Overdue: the unit, its leadership and the dispatcher are told (提级督办).
    Overdue,
    /// The unit answered: the dispatcher reviews.
    Answered,
    /// Sent back: to whoever acts next.
    Returned,
    /// Closed.
    Closed,
    /// 延期申请: the dispatcher decides.
    ExtensionRequested,
    /// 延期 granted or refused: the unit is told.
    ExtensionDecided,
    /// 催办: the unit is nudged.
    Urged,
    /// 领导批示: the unit and the dispatcher are told.
    Instructed,
}

impl Notice {
    pub const ALL: [Notice; 10] = [
        Notice::Assigned,
        Notice::DueSoon,
        Notice::Overdue,
        Notice::Answered,
        Notice::Returned,
        Notice::Closed,
        Notice::ExtensionRequested,
        Notice::ExtensionDecided,
        Notice::Urged,
        Notice::Instructed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Notice::Assigned => "assigned",
            Notice::DueSoon => "due_soon",
            Notice::Overdue => "overdue",
            Notice::Answered => "answered",
            Notice::Returned => "returned",
            Notice::Closed => "closed",
            Notice::ExtensionRequested => "extension_requested",
            Notice::ExtensionDecided => "extension_decided",
            Notice::Urged => "urged",
            Notice::Instructed => "instructed",
        }
    }
}

/// Who is told of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audience {
    /// The assigned unit's reporters and reviewers.
    pub unit: bool,
    /// The assigned unit's leadership: its accounts holding the leader or reviewer role.
    pub unit_leadership: bool,
    /// Every dispatcher.
    pub dispatchers: bool,
    /// The 协办单位's reporters and reviewers.
    pub co_units: bool,
}

impl Notice {
    pub fn audience(self) -> Audience {
        let (unit, unit_leadership, dispatchers) = match self {
            Notice::Assigned | Notice::DueSoon | Notice::Closed | Notice::ExtensionDecided => {
                (true, false, false)
            }
            Notice::Urged => (true, true, false),
            Notice::Overdue => (true, true, true),
            Notice::Answered | Notice::ExtensionRequested => (false, false, true),
            Notice::Returned | Notice::Instructed => (true, false, true),
        };
        // The 协办单位 hear what the lead unit hears of its work: the order, the clock, nudges,
        // instructions and the end — not the answer's review between the lead and the office.
        let co_units = matches!(
            self,
            Notice::Assigned
                | Notice::DueSoon
                | Notice::Overdue
                | Notice::Urged
                | Notice::Instructed
                | Notice::Closed
        );
        Audience {
            unit,
            unit_leadership,
            dispatchers,
            co_units,
        }
    }

    /// The notice a step sends, if any.
    pub fn of_step(action: Action) -> Option<Notice> {
        match action {
            Action::Assign => Some(Notice::Assigned),
            Action::Answer => Some(Notice::Answered),
            Action::Return => Some(Notice::Returned),
            Action::Close => Some(Notice::Closed),
            Action::Escalate => Some(Notice::Overdue),
            Action::RequestExtension => Some(Notice::ExtensionRequested),
            Action::GrantExtension | Action::RefuseExtension => Some(Notice::ExtensionDecided),
            Action::Urge => Some(Notice::Urged),
            Action::Instruct => Some(Notice::Instructed),
            Action::Open | Action::Sign | Action::Review => None,
        }
    }
}

/// What the periodic check does to an order with this light: remind the unit once when the
/// deadline nears, escalate once when it has passed.
pub fn due_notice(state: OrderState, light: Light) -> Option<Notice> {
    if !state.awaits_unit() {
        return None;
    }
    match light {
        Light::Yellow => Some(Notice::DueSoon),
        Light::Red => Some(Notice::Overdue),
        Light::None | Light::Green | Light::Done => None,
    }
}
