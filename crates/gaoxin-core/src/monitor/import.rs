//! Reading figure rows for back-filling: a CSV file with the columns
//! `zone,figure,period,value` (and optionally `explanation`), one value per row.

use super::YearMonth;
use super::messages::ImportProblem as Problem;
pub use crate::rows::RowError;

/// One row of an import file, read but not yet checked against the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub unit: String,
    pub figure: String,
    pub period: YearMonth,
    pub value: f64,
    pub explanation: String,
}

/// The columns an import needs, each with the header names it may have (the CSV's English
/// key, the Excel template's Chinese heading).
const COLUMNS: [(&str, &[&str]); 4] = [
    ("zone", &["zone", "区域代码"]),
    ("figure", &["figure", "数据代码"]),
    ("period", &["period", "报告期"]),
    ("value", &["value", "本期值"]),
];
const EXPLANATION: &[&str] = &["explanation", "说明"];

/// The heading a file gives the column `key` (`zone`, `figure`, `period`, `value`), so errors
/// found later name the column as the file does.
pub fn heading_for(header: &[String], key: &str) -> Option<String> {
    let aliases = COLUMNS.iter().find(|(k, _)| *k == key)?.1;
    header
        .iter()
        .find(|h| aliases.contains(&h.trim().to_lowercase().as_str()))
        .map(|h| h.trim().to_string())
}

/// Splits one CSV line into fields (RFC 4180 quoting; no line breaks inside fields).
fn fields(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') if at_start => quoted = true,
            (true, '"') => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            }
            (false, ',') => {
                out.push(std::mem::take(&mut cur));
                at_start = true;
                continue;
            }
            _ => cur.push(c),
        }
        at_start = false;
    }
    if quoted {
        return None;
    }
    out.push(cur);
    Some(out)
}

/// A number as a clerk writes it: full-width digits, thousands separators and spaces allowed.
pub fn parse_number(s: &str) -> Option<f64> {
    let ascii: String = s
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            '－' => Some('-'),
            ',' | '，' | ' ' | '\u{3000}' => None,
            c => Some(c),
        })
        .collect();
    if ascii.is_empty()
        || !ascii
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    ascii.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a CSV import file. Every malformed row is reported; blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut table = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match fields(line) {
            Some(f) => table.push((i + 1, f)),
            None => {
                return Err(vec![RowError::new(i + 1, "-", &Problem::OpenQuote)]);
            }
        }
    }
    parse_table(&table)
}

/// Reads rows of cells (with their line or row numbers), the first being the header. Shared by
/// CSV files and Excel workbooks. Every malformed row is reported; blank rows are skipped.
pub fn parse_table(table: &[(usize, Vec<String>)]) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let err =
        |line: usize, column: &str, problem: Problem<'_>| RowError::new(line, column, &problem);
    let Some((header_line, header)) = table.first() else {
        return Err(vec![err(1, "-", Problem::Empty)]);
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |aliases: &[&str]| names.iter().position(|n| aliases.contains(&n.as_str()));
    let index: Vec<Option<usize>> = COLUMNS.iter().map(|(_, a)| find(a)).collect();
    let explanation = find(EXPLANATION);
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(&index)
        .filter(|(_, i)| i.is_none())
        .map(|((c, _), _)| *c)
        .collect();
    if !missing.is_empty() {
        return Err(vec![err(
            *header_line,
            "-",
            Problem::MissingColumns(&missing),
        )]);
    }
    let col = |i: usize| index[i].unwrap_or(0);
    // Errors name the column as the file's header does.
    let name = |i: usize| header.get(col(i)).map_or("", |h| h.trim()).to_string();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, f) in table.iter().skip(1) {
        let n = *n;
        if f.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |c: usize| f.get(c).map(|s| s.trim().to_string()).unwrap_or_default();
        let (unit, figure, period, value) = (get(col(0)), get(col(1)), get(col(2)), get(col(3)));
        // A template row left without a value is a figure not reported yet: skipped, not wrong.
        if value.is_empty() {
            continue;
        }
        let mut ok = true;
        for (i, v) in [(0, &unit), (1, &figure)] {
            if v.is_empty() {
                errors.push(err(n, &name(i), Problem::Blank));
                ok = false;
            }
        }
        let p = YearMonth::parse(&period);
        if p.is_none() {
            errors.push(err(n, &name(2), Problem::NotAPeriod(&period)));
        }
        let v = parse_number(&value);
        if v.is_none() {
            errors.push(err(n, &name(3), Problem::NotANumber(&value)));
        }
        if let (true, Some(period), Some(value)) = (ok, p, v) {
            rows.push(ImportRow {
                line: n,
                unit,
                figure,
                period,
                value,
                explanation: explanation.map(get).unwrap_or_default(),
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_as_a_clerk_writes_them() {
        let text = "\u{feff}Zone,figure,period,value,explanation\n\
                    sjz-hz,revenue,2025-06,\"1,234.5\",\n\
                    \n\
                    石家庄高新区,revenue,2025-7, １２３ ,\"说明,含逗号\"\n";
        let rows = parse_csv(text).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].value, 1234.5);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].value, 123.0);
        assert_eq!(rows[1].period.to_string(), "2025-07");
        assert_eq!(rows[1].explanation, "说明,含逗号");
    }

    #[test]
    fn rows_without_a_value_are_skipped() {
        let rows = parse_csv(
            "zone,figure,period,value\nsjz-hz,revenue,2025-06,\nsjz-hz,fai-rate,2025-06,3\n",
        )
        .unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].figure, "fai-rate");
    }

    #[test]
    fn reports_every_bad_row_with_its_column() {
        let text = "zone,figure,period,value\nsjz-hz,revenue,2025/06,1\n,revenue,2025-06,abc\n";
        let errors = parse_csv(text).err().unwrap_or_default();
        let at: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(at, vec![(2, "period"), (3, "zone"), (3, "value")]);
        let missing = parse_csv("zone,figure,value\n").err().unwrap_or_default();
        assert!(missing[0].zh.contains("period"));
        assert!(parse_csv("").is_err());
    }
}
