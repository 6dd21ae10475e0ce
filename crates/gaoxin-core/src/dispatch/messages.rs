//! 任务调度's wording: why an attachment is refused, why an item is behind.

use super::attachment::*;
use crate::text::{Message, Text};

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
    pub(crate) fn zh(&self) -> String {
        format!(
            "第 {} 个节点“{}”时限为 {}，尚未完成",
            self.milestone, self.title, self.due
        )
    }

    pub(crate) fn en(&self) -> String {
        format!(
            "milestone {} \"{}\" was due on {} and is not reached",
            self.milestone, self.title, self.due
        )
    }
}

impl Message for super::Behind {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}
