//! The wording of the messages of core's single-file modules (the audit chain's breaks), in
//! Chinese and English: see [`crate::text`].

use crate::audit::*;
use crate::text::{Message, Text};

impl crate::audit::ChainBreak {
    pub(crate) fn zh(&self) -> String {
        match self.reason {
            BreakReason::SealMismatch => {
                format!("审计事件 #{} 的内容或签名被改动过。", self.event_id)
            }
            BreakReason::Missing => format!("审计事件 #{} 缺失（已被删除）。", self.event_id),
            BreakReason::HeadMismatch => {
                format!(
                    "审计链末尾与记录的链头不符：事件 #{} 起的末尾事件被删除或改动。",
                    self.event_id
                )
            }
            BreakReason::CutBeforeAnchor => format!(
                "审计链在锚点之前结束：事件 #{} 起的末尾事件被删除（锚点文件记录的链头更晚）。",
                self.event_id
            ),
            BreakReason::AnchorMismatch => format!(
                "审计事件 #{} 与锚点文件记录的不符：审计链被改写过。",
                self.event_id
            ),
        }
    }

    pub(crate) fn en(&self) -> String {
        match self.reason {
            BreakReason::SealMismatch => format!(
                "audit event #{} was altered (fields or seal).",
                self.event_id
            ),
            BreakReason::Missing => format!("audit event #{} is missing (deleted).", self.event_id),
            BreakReason::HeadMismatch => format!(
                "the end of the audit chain does not match its recorded head: events from #{} on were removed or altered.",
                self.event_id
            ),
            BreakReason::CutBeforeAnchor => format!(
                "the audit chain ends before its anchor: events from #{} on were removed (the anchor file recorded a later head).",
                self.event_id
            ),
            BreakReason::AnchorMismatch => format!(
                "audit event #{} is not the one the anchor file recorded: the chain was rewritten.",
                self.event_id
            ),
        }
    }
}

impl Message for crate::audit::ChainBreak {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

/// The message with its place.
impl Message for crate::rows::RowError {
    fn text(&self) -> Text {
        Text::new(
            format!("第 {} 行 {} 列：{}", self.line, self.column, self.zh),
            format!("line {}, column {}: {}", self.line, self.column, self.en),
        )
    }
}
