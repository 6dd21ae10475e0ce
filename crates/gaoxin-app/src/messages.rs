//! The use cases' wording: a refusal, in Chinese and English (see `gaoxin_core::text`).

use crate::{Error, Refusal};
use gaoxin_core::text::{Message, Text};

impl Message for Refusal {
    fn text(&self) -> Text {
        match self {
            Refusal::Forbidden { target } => Text::new(
                format!("无权进行此操作（{target}）。"),
                format!("not permitted ({target})."),
            ),
            Refusal::Hidden { target } => Text::new(
                format!("没有找到（{target}）。"),
                format!("not found ({target})."),
            ),
        }
    }
}

impl Message for Error {
    fn text(&self) -> Text {
        match self {
            Error::Refused(r) => r.text(),
            Error::Store(e) => e.text(),
        }
    }
}

impl Message for crate::benchmarking::Missing {
    fn text(&self) -> Text {
        use crate::benchmarking::Missing;
        match self {
            Missing::NotJudged => Text::new(
                "方案没有为该高新区的排名指定评价框架（指标的 framework 和 peers）。",
                "the plan names no evaluation for this zone's rank (the indicator's framework and peers).",
            ),
            Missing::NoFramework(id) => Text::new(
                format!("评价框架“{id}”尚未载入：请用 gaoxin evaluation load 载入。"),
                format!(
                    "evaluation framework \"{id}\" is not loaded: load it with gaoxin evaluation load."
                ),
            ),
            Missing::FrameworkEmpty(id) => Text::new(
                format!(
                    "评价框架“{id}”还没有列出任何指标，无法估算：请按考核文件补全后用 \
                     gaoxin evaluation load 载入新版本。"
                ),
                format!(
                    "evaluation framework \"{id}\" lists no indicator yet, so nothing can be \
                     estimated: complete it from the evaluation document and load the new version \
                     with gaoxin evaluation load."
                ),
            ),
            Missing::NoValues => Text::new(
                "还没有对标数据：本区和对标高新区在该评价框架下的指标数值尚未录入。",
                "no benchmarking data yet: neither this zone's nor its peers' values under this \
                 framework have been entered.",
            ),
        }
    }
}
