//! 任务调度's wording: why an attachment is refused, why an item is behind.

use super::attachment::*;
use crate::text::{Lang, Message, Text};

impl super::attachment::AttachmentError {
    pub(crate) fn zh(&self) -> String {
        match self {
            AttachmentError::Empty => "文件是空的。".into(),
            AttachmentError::TooBig { bytes } => format!(
                "文件有 {:.1} MB，超过上限 {} MB；请压缩或拆分后上传。",
                *bytes as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
            AttachmentError::Kind { name } => format!(
                "“{name}”不是可接受的附件：只接受 PDF、PNG、JPEG 图片和 Word/Excel/PowerPoint 文档（.docx/.xlsx/.pptx）。"
            ),
            AttachmentError::Mismatch { name, is } => format!(
                "“{name}”的内容是 {} 文件，与扩展名不符，已拒绝。",
                is.code().to_uppercase()
            ),
            AttachmentError::Macros { name } => {
                format!("“{name}”含有宏，已拒绝：请另存为不含宏的文档后上传。")
            }
            AttachmentError::TooMany => format!("一份报告最多 {MAX_PER_REPORT} 个附件。"),
        }
    }

    pub(crate) fn en(&self) -> String {
        match self {
            AttachmentError::Empty => "the file is empty.".into(),
            AttachmentError::TooBig { bytes } => format!(
                "the file is {:.1} MB, more than {} MB; compress or split it.",
                *bytes as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
            AttachmentError::Kind { name } => format!(
                "\"{name}\" is not an accepted attachment: PDF, PNG, JPEG and Word/Excel/PowerPoint documents (.docx/.xlsx/.pptx) only."
            ),
            AttachmentError::Mismatch { name, is } => format!(
                "\"{name}\" holds a {} file, which its extension does not say; refused.",
                is.code().to_uppercase()
            ),
            AttachmentError::Macros { name } => {
                format!("\"{name}\" carries macros; save it without them and upload again.")
            }
            AttachmentError::TooMany => {
                format!("a report carries at most {MAX_PER_REPORT} attachments.")
            }
        }
    }
}

impl Message for super::attachment::AttachmentError {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

impl super::Behind {
    /// The milestone's day as people write it (2026年11月29日), or as the plan wrote it.
    fn due_text(&self, lang: Lang) -> String {
        crate::time::Date::parse(&self.due).map_or_else(|| self.due.clone(), |d| d.human(lang))
    }

    pub(crate) fn zh(&self) -> String {
        format!(
            "第 {} 个节点“{}”时限为 {}，尚未完成",
            self.milestone,
            self.title,
            self.due_text(Lang::Zh)
        )
    }

    pub(crate) fn en(&self) -> String {
        format!(
            "milestone {} \"{}\" was due on {} and is not reached",
            self.milestone,
            self.title,
            self.due_text(Lang::En)
        )
    }
}

impl Message for super::Behind {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

/// What is wrong with a work item or a report, by field (`check_item`, `check_report`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Problem<'a> {
    TaskNotInPlan(&'a str),
    NoTitle,
    TitleTooLong(usize),
    NoLead,
    UnknownPartner(&'a str),
    LeadAsPartner,
    SubTargetOfOtherTask(&'a str),
    SubTargetNotInPlan(&'a str),
    NoMilestone,
    TooManyMilestones,
    MilestoneNoText(usize),
    MilestoneBadDate(usize, &'a str),
    MilestoneOutsidePlan {
        n: usize,
        due: crate::time::Date,
        start: i32,
        end: i32,
    },
    NothingDone,
    PercentRange,
    OnlyMilestones(usize),
    TextTooLong(usize),
    BehindNoReason(&'a super::Behind),
    BehindNoNextSteps(&'a super::Behind),
    NoReturnReason,
}

impl Message for Problem<'_> {
    fn text(&self) -> Text {
        use super::{MILESTONES_MAX, TEXT_MAX_CHARS, TITLE_MAX_CHARS};
        match *self {
            Problem::TaskNotInPlan(task) => Text::new(
                format!("任务“{task}”不在当前方案中。"),
                format!("task \"{task}\" is not in the current plan."),
            ),
            Problem::NoTitle => Text::new("请填写工作事项。", "give the work item."),
            Problem::TitleTooLong(n) => Text::new(
                format!("工作事项有 {n} 个字，超过上限 {TITLE_MAX_CHARS} 个字。"),
                format!("the item has {n} characters, more than {TITLE_MAX_CHARS}."),
            ),
            Problem::NoLead => Text::new(
                "请选择牵头单位（方案中的部门或实施单位，不能是调度办）。",
                "choose the leading unit (a department of the plan other than the dispatch office).",
            ),
            Problem::UnknownPartner(p) => Text::new(
                format!("配合单位“{p}”不在方案的部门名单中。"),
                format!("\"{p}\" is not a department of the plan."),
            ),
            Problem::LeadAsPartner => Text::new(
                "牵头单位不必再列为配合单位。",
                "the leading unit is not also a partner.",
            ),
            Problem::SubTargetOfOtherTask(s) => Text::new(
                format!("分解目标“{s}”不属于该任务。"),
                format!("sub-target \"{s}\" belongs to another task."),
            ),
            Problem::SubTargetNotInPlan(s) => Text::new(
                format!("分解目标“{s}”不在当前方案中。"),
                format!("sub-target \"{s}\" is not in the current plan."),
            ),
            Problem::NoMilestone => Text::new(
                "至少填写一个节点及其完成时限。",
                "give at least one milestone with its due date.",
            ),
            Problem::TooManyMilestones => Text::new(
                format!("节点最多 {MILESTONES_MAX} 个。"),
                format!("at most {MILESTONES_MAX} milestones."),
            ),
            Problem::MilestoneNoText(n) => Text::new(
                format!("第 {n} 个节点没有写内容。"),
                format!("milestone {n} has no text."),
            ),
            Problem::MilestoneBadDate(n, due) => Text::new(
                format!("第 {n} 个节点的时限“{due}”不是有效日期（年-月-日）。"),
                format!("milestone {n}'s due date \"{due}\" is not a date (YYYY-MM-DD)."),
            ),
            Problem::MilestoneOutsidePlan { n, due, start, end } => Text::new(
                format!("第 {n} 个节点的时限 {due} 不在方案期内（{start}—{end} 年）。"),
                format!(
                    "milestone {n}'s due date {due} is outside the plan's years ({start}–{end})."
                ),
            ),
            Problem::NothingDone => {
                Text::new("请填写本期完成情况。", "state what was done this period.")
            }
            Problem::PercentRange => Text::new(
                "完成进度填 0 到 100 之间的整数。",
                "the percentage is a whole number from 0 to 100.",
            ),
            Problem::OnlyMilestones(n) => Text::new(
                format!("该事项只有 {n} 个节点。"),
                format!("the item has {n} milestones."),
            ),
            Problem::TextTooLong(n) => Text::new(
                format!("有 {n} 个字，超过上限 {TEXT_MAX_CHARS} 个字；较长的材料请作为附件。"),
                format!("{n} characters, more than {TEXT_MAX_CHARS}; attach longer material."),
            ),
            Problem::BehindNoReason(b) => Text::new(
                format!("{}：进度滞后的事项须写明滞后原因。", b.zh()),
                format!(
                    "{}: an item behind schedule must state why it is behind.",
                    b.en()
                ),
            ),
            Problem::BehindNoNextSteps(b) => Text::new(
                format!("{}：进度滞后的事项须写明下一步措施。", b.zh()),
                format!(
                    "{}: an item behind schedule must state what happens next.",
                    b.en()
                ),
            ),
            Problem::NoReturnReason => Text::new(
                "退回报告须写明原因，承办单位据此修改后重新报送。",
                "state why the report is returned: the unit corrects it and files again.",
            ),
        }
    }
}

/// The name a file without one is kept under.
pub(crate) const UNNAMED_ATTACHMENT: &str = "附件";
