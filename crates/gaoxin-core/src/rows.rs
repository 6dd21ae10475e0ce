//! Errors in tabular input — a CSV line or a worksheet row — each pointing at its line and
//! column, for the figures import and the ledger sheets alike.

use serde::Serialize;

/// A problem with one row, pointing at its line and column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub zh: String,
    pub en: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "第 {} 行 {} 列：{} / line {}, column {}: {}",
            self.line, self.column, self.zh, self.line, self.column, self.en
        )
    }
}
