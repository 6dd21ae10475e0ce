//! 指标监测's wording: lights, flags, the states and steps of a figure, and why a step is refused.

use super::workflow::*;
use super::*;
use crate::plan::*;
use crate::text::{Lang, Message, Name, Text};

impl super::Status {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Status::Green => "绿",
            Status::Yellow => "黄",
            Status::Red => "红",
            Status::Gray => "灰",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Yellow => "yellow",
            Status::Red => "red",
            Status::Gray => "gray",
        }
    }
}

impl Name for super::Status {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::Flag {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Flag::Sample => "示例数据",
            Flag::Unconfirmed => "未确认",
            Flag::Revised => "确认后修改",
            Flag::Stale => "数据滞后",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            Flag::Sample => "sample data",
            Flag::Unconfirmed => "unconfirmed",
            Flag::Revised => "changed after confirmation",
            Flag::Stale => "out of date",
        }
    }
}

impl Name for super::Flag {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::workflow::FigureState {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            FigureState::Draft => "填报中",
            FigureState::Submitted => "已提交",
            FigureState::Reviewed => "已审核",
            FigureState::Confirmed => "已确认",
            FigureState::Returned => "已退回",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            FigureState::Draft => "draft",
            FigureState::Submitted => "submitted",
            FigureState::Reviewed => "reviewed",
            FigureState::Confirmed => "confirmed",
            FigureState::Returned => "returned",
        }
    }
}

impl Name for super::workflow::FigureState {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::workflow::Step {
    pub(crate) fn zh(&self) -> &'static str {
        match self {
            Step::Save { .. } => "填报",
            Step::Submit => "提交",
            Step::Approve => "审核通过",
            Step::Return { .. } => "退回",
            Step::Confirm => "确认",
            Step::Import { .. } => "导入",
        }
    }

    pub(crate) fn en(&self) -> &'static str {
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

impl Name for super::workflow::Step {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::workflow::WorkflowError {
    pub(crate) fn zh(&self) -> String {
        match self {
            WorkflowError::NotPermitted => {
                "你没有权限对这一单位的这项数据执行此操作：填报员只能填报本单位（或本部门作为数据来源）的数据，\
                 审核由数据来源部门的审核员进行，确认由调度员进行。"
                    .to_string()
            }
            WorkflowError::WrongState { state, step, .. } => format!(
                "当前状态为“{}”，不能{step}。",
                state.map_or("未填报", |s| s.zh())
            ),
            WorkflowError::Closed { period, deadline } => format!(
                "{period} 的填报已于 {} 截止。如需补报或修改，请联系调度员重新开放该期。",
                deadline.human(Lang::Zh)
            ),
            WorkflowError::NotDue { frequency } => format!(
                "该数据{}报送，这个月份不需要填报。",
                match frequency {
                    Frequency::Monthly => "按月",
                    Frequency::Quarterly => "按季度（3、6、9、12 月）",
                    Frequency::Yearly => "按年（12 月）",
                }
            ),
            WorkflowError::Future { period } => {
                format!("{period} 还没有到，不能填报未来月份的数据。")
            }
            WorkflowError::ReasonRequired => {
                "请写明原因：退回和修改已确认的数据都必须说明原因。".to_string()
            }
            WorkflowError::ExplanationRequired { swing, bound } => format!(
                "与上年同期相比变动 {swing:+.1}%，超过 ±{bound}% 的范围，请在“说明”中写明原因后再提交。"
            ),
            WorkflowError::BadValue { kind } => match kind {
                FigureKind::Rank => "名次应为从 1 开始的整数。".to_string(),
                FigureKind::Rate => "请填写一个数（增速可以为负）。".to_string(),
                FigureKind::Cumulative | FigureKind::Level => {
                    "请填写一个不小于 0 的数。".to_string()
                }
            },
            WorkflowError::Stale => {
                "这项数据在你打开页面之后已被他人修改，你的修改没有保存。请刷新页面，核对最新数值后再操作。"
                    .to_string()
            }
            WorkflowError::UnknownUnit { unit } => {
                format!("方案中没有区域“{unit}”：请使用方案中的区域 id 或名称。")
            }
            WorkflowError::UnknownFigure { figure } => {
                format!("方案中没有基础数据“{figure}”：请使用方案中的基础数据 id 或名称。")
            }
            WorkflowError::Counted { figure } => {
                format!("“{figure}”由台账统计得出，无需填报：请在台账中录入或导入记录。")
            }
        }
    }

    pub(crate) fn en(&self) -> String {
        match self {
            WorkflowError::NotPermitted => "you may not do this to this unit's figure: reporters enter their own unit's figures \
                 (or their department's, where it is the source), reviewers of the source department review, dispatchers confirm."
                .to_string(),
            WorkflowError::WrongState {
                state, step_code, ..
            } => format!(
                "the value is {}; \"{step_code}\" cannot be done now.",
                state.map_or("not entered", |s| s.en())
            ),
            WorkflowError::Closed { period, deadline } => format!(
                "entry for {period} closed at {}. Ask a dispatcher to reopen the period.",
                deadline.human(Lang::En)
            ),
            WorkflowError::NotDue { frequency } => format!(
                "this figure is reported {}; nothing is due for this month.",
                match frequency {
                    Frequency::Monthly => "monthly",
                    Frequency::Quarterly => "quarterly (March, June, September, December)",
                    Frequency::Yearly => "yearly (December)",
                }
            ),
            WorkflowError::Future { period } => {
                format!("{period} has not come yet; figures for future months cannot be entered.")
            }
            WorkflowError::ReasonRequired => {
                "give a reason: returning a value and changing a confirmed one both need one."
                    .to_string()
            }
            WorkflowError::ExplanationRequired { swing, bound } => format!(
                "the value differs {swing:+.1}% from the same period last year, beyond ±{bound}%: \
                 write an explanation before submitting."
            ),
            WorkflowError::BadValue { kind } => match kind {
                FigureKind::Rank => "a rank is a whole number from 1.".to_string(),
                FigureKind::Rate => "enter a number (a growth rate may be negative).".to_string(),
                FigureKind::Cumulative | FigureKind::Level => {
                    "enter a number of 0 or more.".to_string()
                }
            },
            WorkflowError::Stale => "someone changed this value after you opened the page; your change was not saved. \
                 Reload, check the current value and try again."
                .to_string(),
            WorkflowError::UnknownUnit { unit } => {
                format!("the plan has no unit \"{unit}\": use a unit id or name from the plan.")
            }
            WorkflowError::UnknownFigure { figure } => {
                format!("the plan has no figure \"{figure}\": use a figure id or name from the plan.")
            }
            WorkflowError::Counted { figure } => format!(
                "\"{figure}\" is counted from a ledger and is not entered: enter or import the ledger's records."
            ),
        }
    }
}

impl Message for super::workflow::WorkflowError {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

/// What is wrong with a row of a figures import (a CSV file or a worksheet).
#[derive(Debug, Clone, Copy)]
pub(crate) enum ImportProblem<'a> {
    OpenQuote,
    Empty,
    MissingColumns(&'a [&'a str]),
    Blank,
    NotAPeriod(&'a str),
    NotANumber(&'a str),
}

impl Message for ImportProblem<'_> {
    fn text(&self) -> Text {
        match *self {
            ImportProblem::OpenQuote => Text::new("引号没有闭合。", "a quote is not closed."),
            ImportProblem::Empty => Text::new(
                "文件是空的：第一行应为表头 zone,figure,period,value。",
                "the file is empty: the first line must be the header zone,figure,period,value.",
            ),
            ImportProblem::MissingColumns(missing) => Text::new(
                format!(
                    "表头缺少列：{}。表头应为 zone,figure,period,value（可加 explanation），\
                     或使用 gaoxin 生成的 Excel 模板的表头。",
                    missing.join("、")
                ),
                format!(
                    "the header lacks column(s) {}: it must be zone,figure,period,value \
                     (explanation optional), or the headings of the Excel template gaoxin generates.",
                    missing.join(", ")
                ),
            ),
            ImportProblem::Blank => Text::new("不能为空。", "must not be empty."),
            ImportProblem::NotAPeriod(p) => Text::new(
                format!("“{p}”不是报告期：请写成 YYYY-MM，例如 2025-06。"),
                format!("\"{p}\" is not a period: write YYYY-MM, e.g. 2025-06."),
            ),
            ImportProblem::NotANumber(v) => Text::new(
                format!("“{v}”不是数字。"),
                format!("\"{v}\" is not a number."),
            ),
        }
    }
}

impl Name for super::workflow::Notice {
    fn name(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Notice::Submitted, Lang::Zh) => "基础数据已提交，待审核",
            (Notice::Submitted, Lang::En) => "figures submitted for your review",
            (Notice::Reviewed, Lang::Zh) => "基础数据已审核，待确认",
            (Notice::Reviewed, Lang::En) => "figures reviewed, to confirm",
            (Notice::Returned, Lang::Zh) => "基础数据被退回",
            (Notice::Returned, Lang::En) => "figures returned",
            (Notice::Confirmed, Lang::Zh) => "基础数据已确认",
            (Notice::Confirmed, Lang::En) => "figures confirmed",
            (Notice::DueSoon, Lang::Zh) => "基础数据临近填报截止时间",
            (Notice::DueSoon, Lang::En) => "figures due soon",
            (Notice::Missed, Lang::Zh) => "基础数据逾期未报",
            (Notice::Missed, Lang::En) => "figures not reported by the deadline",
        }
    }
}
