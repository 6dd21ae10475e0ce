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
