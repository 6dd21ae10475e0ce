//! Errors in tabular input — a CSV line or a worksheet row — each pointing at its line and
//! column, for the figures import and the ledger sheets alike.

use crate::text::{Message, Text};
use serde::Serialize;

/// A problem with one row, pointing at its line and column, its message in both languages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub zh: String,
    pub en: String,
}

impl RowError {
    /// `message` at `line`, `column`.
    pub fn new(line: usize, column: impl Into<String>, message: &impl Message) -> RowError {
        let Text { zh, en } = message.text();
        RowError {
            line,
            column: column.into(),
            zh,
            en,
        }
    }

    /// The message alone, without its place.
    pub fn message(&self) -> Text {
        Text::new(self.zh.clone(), self.en.clone())
    }
}

/// Both languages with the place, for the console and logs.
impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.text())
    }
}
