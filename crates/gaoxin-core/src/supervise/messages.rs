//! 督办's wording: the states, actions, lights and notices of an order, and why a step is refused.

use super::*;
use crate::text::{Lang, Message, Name, Text};

impl super::OrderState {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            OrderState::Opened => "已立项",
            OrderState::Assigned => "已交办",
            OrderState::Signed => "已签收",
            OrderState::Answered => "已反馈",
            OrderState::Reviewed => "已复核",
            OrderState::Closed => "已办结销号",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            OrderState::Opened => "opened",
            OrderState::Assigned => "assigned",
            OrderState::Signed => "signed for",
            OrderState::Answered => "answered",
            OrderState::Reviewed => "reviewed",
            OrderState::Closed => "closed",
        }
    }
}

impl Name for super::OrderState {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::Action {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Action::Open => "立项",
            Action::Assign => "交办",
            Action::Sign => "签收",
            Action::Answer => "办理反馈",
            Action::Review => "复核",
            Action::Close => "办结销号",
            Action::Return => "退回",
            Action::Escalate => "逾期提级督办",
            Action::RequestExtension => "延期申请",
            Action::GrantExtension => "同意延期",
            Action::RefuseExtension => "不同意延期",
            Action::Urge => "催办",
            Action::Instruct => "领导批示",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            Action::Open => "open",
            Action::Assign => "assign",
            Action::Sign => "sign for",
            Action::Answer => "answer",
            Action::Review => "review",
            Action::Close => "close",
            Action::Return => "send back",
            Action::Escalate => "escalated as overdue",
            Action::RequestExtension => "ask for more time",
            Action::GrantExtension => "grant more time",
            Action::RefuseExtension => "refuse more time",
            Action::Urge => "urge",
            Action::Instruct => "give an instruction",
        }
    }
}

impl Name for super::Action {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::OrderError {
    pub(crate) fn zh(&self) -> String {
        match self {
            OrderError::WrongState {
                action,
                state,
                needs,
            } => format!(
                "督办单当前为“{}”，不能{}：{}只能在“{}”之后进行，不能跳过步骤。",
                state.zh(),
                action.zh(),
                action.zh(),
                needs.zh()
            ),
            OrderError::CannotReturn(state) => format!(
                "督办单当前为“{}”，不能退回：已交办的可由承办单位退回重新交办，已反馈、已复核的可由调度办退回上一步。",
                state.zh()
            ),
            OrderError::Closed => "督办单已办结销号，不能再变更。".to_string(),
            OrderError::NotAStep(a) => format!("“{}”不是对已有督办单的操作。", a.zh()),
            OrderError::DispatcherOnly(a) => format!("只有调度办可以{}。", a.zh()),
            OrderError::AssigneeOnly(a) => format!("只有承办单位的填报员、审核员可以{}。", a.zh()),
            OrderError::OwnOrder(a) => {
                format!("承办单位不能{}自己的督办单：须由调度办复核、销号。", a.zh())
            }
            OrderError::NoAssignee => "交办须选择承办单位。".to_string(),
            OrderError::UnknownDepartment(d) => format!("承办单位“{d}”不在方案的部门名单中。"),
            OrderError::NotAUnit(d) => {
                format!("“{d}”是统筹调度机构，不能作为承办单位。")
            }
            OrderError::NoDeadline => "交办须填写办理期限（年-月-日）。".to_string(),
            OrderError::DeadlinePassed(d) => format!("办理期限 {d} 已过，请填写今天或以后的日期。"),
            OrderError::NoteRequired(a) => match a {
                Action::Assign => "交办须写明督办要求。".to_string(),
                Action::Answer => "办理反馈须写明办理情况。".to_string(),
                Action::Return => "退回须写明原因。".to_string(),
                Action::RequestExtension => "延期申请须写明理由。".to_string(),
                Action::RefuseExtension => "不同意延期须写明理由。".to_string(),
                Action::Instruct => "领导批示须填写批示内容。".to_string(),
                other => format!("{}须填写说明。", other.zh()),
            },
            OrderError::NoteTooLong(n) => {
                format!("说明有 {n} 个字，超过上限 {NOTE_MAX_CHARS} 个字；较长的材料请作为附件。")
            }
            OrderError::TitleRequired => "督办事项须有标题。".to_string(),
            OrderError::TitleTooLong(n) => {
                format!("标题有 {n} 个字，超过上限 {TITLE_MAX_CHARS} 个字。")
            }
            OrderError::UnknownTask(t) => format!("任务“{t}”不在当前方案中。"),
            OrderError::UnknownIndicator(i) => format!("指标“{i}”不在当前方案中。"),
            OrderError::Stale => {
                "督办单在您打开后已被他人处理，请刷新页面查看最新状态后再操作。".to_string()
            }
            OrderError::LeaderOnly(a) => format!("只有领导可以{}。", a.zh()),
            OrderError::NotAwaitingUnit(a) => format!(
                "只有在承办单位办理期间（已交办、已签收，尚未反馈）才能{}。",
                a.zh()
            ),
            OrderError::ExtensionPending => {
                "已有一份延期申请等待调度办审批，审批后才能再次申请。".to_string()
            }
            OrderError::NoExtensionPending => "这份督办单没有待审批的延期申请。".to_string(),
            OrderError::CoUnitIsLead(d) => format!("“{d}”是承办单位，不能同时作为协办单位。"),
            OrderError::TooManyCoUnits(n) => {
                format!("选了 {n} 个协办单位，最多 {CO_UNITS_MAX} 个。")
            }
            OrderError::ExtensionNotLater { asked, deadline } => format!(
                "申请延至的日期 {} 不晚于现在的办理期限 {}，请填写更晚的日期。",
                asked.human(Lang::Zh),
                deadline.human(Lang::Zh)
            ),
        }
    }

    pub(crate) fn en(&self) -> String {
        match self {
            OrderError::WrongState {
                action,
                state,
                needs,
            } => format!(
                "the order is {}, so it cannot be {}: that step follows \"{}\" and no step may be skipped.",
                state.en(),
                past(*action),
                needs.en()
            ),
            OrderError::CannotReturn(state) => format!(
                "an order that is {} cannot be sent back: the unit may hand back an assigned order, the dispatcher may send back an answered or reviewed one.",
                state.en()
            ),
            OrderError::Closed => "the order is closed and cannot change.".to_string(),
            OrderError::NotAStep(a) => format!("\"{}\" is not a step on an order.", a.en()),
            OrderError::DispatcherOnly(a) => format!("only the dispatch office may {}.", a.en()),
            OrderError::AssigneeOnly(a) => format!(
                "only reporters and reviewers of the assigned unit may {}.",
                a.en()
            ),
            OrderError::OwnOrder(a) => format!(
                "a unit cannot {} its own order: the dispatch office reviews and closes it.",
                a.en()
            ),
            OrderError::NoAssignee => "choose the unit to assign the order to.".to_string(),
            OrderError::UnknownDepartment(d) => {
                format!("\"{d}\" is not a department of the plan.")
            }
            OrderError::NotAUnit(d) => {
                format!("\"{d}\" is the dispatch office and cannot handle an order.")
            }
            OrderError::NoDeadline => "give the deadline (YYYY-MM-DD).".to_string(),
            OrderError::DeadlinePassed(d) => {
                format!("the deadline {d} has passed; give today or a later day.")
            }
            OrderError::NoteRequired(a) => match a {
                Action::Assign => "state the requirements.".to_string(),
                Action::Answer => "state what was done.".to_string(),
                Action::Return => "state the reason for sending it back.".to_string(),
                Action::RequestExtension => "state why more time is needed.".to_string(),
                Action::RefuseExtension => "state why more time is refused.".to_string(),
                Action::Instruct => "write the instruction.".to_string(),
                other => format!("{} needs a remark.", other.en()),
            },
            OrderError::NoteTooLong(n) => format!(
                "the text has {n} characters, more than {NOTE_MAX_CHARS}; attach longer material."
            ),
            OrderError::TitleRequired => "the order needs a title.".to_string(),
            OrderError::TitleTooLong(n) => {
                format!("the title has {n} characters, more than {TITLE_MAX_CHARS}.")
            }
            OrderError::UnknownTask(t) => format!("task \"{t}\" is not in the current plan."),
            OrderError::UnknownIndicator(i) => {
                format!("indicator \"{i}\" is not in the current plan.")
            }
            OrderError::Stale => "someone acted on the order after you opened it; reload the page to see where it stands.".to_string(),
            OrderError::LeaderOnly(a) => format!("only a leader may {}.", a.en()),
            OrderError::NotAwaitingUnit(a) => format!(
                "you may {} only while the unit owes its answer (assigned or signed for, not answered).",
                a.en()
            ),
            OrderError::ExtensionPending => "a request for more time already waits for the dispatch office; ask again after it is decided.".to_string(),
            OrderError::NoExtensionPending => "no request for more time is waiting on this order.".to_string(),
            OrderError::CoUnitIsLead(d) => {
                format!("\"{d}\" handles the order and cannot also be a co-handling unit.")
            }
            OrderError::TooManyCoUnits(n) => {
                format!("{n} co-handling units chosen; at most {CO_UNITS_MAX}.")
            }
            OrderError::ExtensionNotLater { asked, deadline } => format!(
                "the day asked for, {}, is not later than the deadline {}; give a later day.",
                asked.human(Lang::En),
                deadline.human(Lang::En)
            ),
        }
    }
}

impl Message for super::OrderError {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

impl super::Light {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Light::None => "未交办",
            Light::Green => "正常",
            Light::Yellow => "临期",
            Light::Red => "逾期",
            Light::Done => "已办结",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            Light::None => "not assigned",
            Light::Green => "on time",
            Light::Yellow => "due soon",
            Light::Red => "overdue",
            Light::Done => "closed",
        }
    }
}

impl Name for super::Light {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::Notice {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Notice::Assigned => "新交办督办单",
            Notice::DueSoon => "督办单临近办理期限",
            Notice::Overdue => "督办单逾期，已提级督办",
            Notice::Answered => "督办单已反馈，待复核",
            Notice::Returned => "督办单被退回",
            Notice::Closed => "督办单已办结销号",
            Notice::ExtensionRequested => "督办单延期申请，待审批",
            Notice::ExtensionDecided => "督办单延期申请已审批",
            Notice::Urged => "督办单催办",
            Notice::Instructed => "督办单领导批示",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            Notice::Assigned => "a new order for your unit",
            Notice::DueSoon => "an order's deadline is near",
            Notice::Overdue => "an order is overdue and escalated",
            Notice::Answered => "an order was answered and awaits review",
            Notice::Returned => "an order was sent back",
            Notice::Closed => "an order was closed",
            Notice::ExtensionRequested => "a unit asks for more time on an order",
            Notice::ExtensionDecided => "your request for more time was decided",
            Notice::Urged => "you are urged to handle an order",
            Notice::Instructed => "a leader's instruction on an order",
        }
    }
}

impl Name for super::Notice {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}
