//! A ledger worksheet read back: columns found by their headings, blank rows and the template's
//! example row skipped, every row checked, every error named by row and column heading.

use super::messages::SheetProblem;
use super::value::{Cell, half_width};
use super::{FieldKind, Ledger, Note, Record, check};
use crate::plan::Plan;
use crate::rows::RowError;
use std::collections::HashMap;

/// The heading of the template's last column; a row that says 示例 there is the example.
pub const EXAMPLE_HEADING: &str = "示例行";
pub const EXAMPLE_MARK: &str = "示例";

/// One row that passed, with the sheet row it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParsedRow {
    pub line: usize,
    pub record: Record,
}

/// A note on one row, for the dry run: where, and what was normalised, in both languages (the
/// same shape as an error).
pub type RowNote = RowError;

/// What reading a sheet found.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<RowError>,
    pub notes: Vec<RowNote>,
    pub blank_rows: usize,
    pub example_rows: usize,
}

/// A heading as compared: half-width, no spaces, no required-marker `*`, lower case.
fn heading_key(s: &str) -> String {
    half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect::<String>()
        .to_lowercase()
}

/// The heading the template gives a field: its name, `*` when required.
pub fn heading(field: &super::Field) -> String {
    if field.required {
        format!("{}*", field.zh)
    } else {
        field.zh.to_string()
    }
}

/// The example row's cells for `plan` (a unit field names the plan's first zone).
pub fn example(plan: &Plan, ledger: &Ledger) -> Vec<Cell> {
    let zone = plan
        .units
        .iter()
        .find(|u| u.kind == crate::plan::UnitKind::Zone)
        .or(plan.units.first())
        .map(|u| u.name.clone())
        .unwrap_or_default();
    ledger
        .fields
        .iter()
        .map(|f| match (f.kind, f.example) {
            (FieldKind::Unit, _) => Cell::Text(zone.clone()),
            (FieldKind::Industry, _) => Cell::Text(
                super::industries(plan)
                    .first()
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
            ),
            (_, "") => Cell::Empty,
            (_, e) => Cell::Text(e.to_string()),
        })
        .collect()
}

/// Reads `rows` (each with its 1-based sheet row number; the first non-blank row is the
/// header). Every column the ledger needs must be there; unknown columns are an error too, so a
/// file for another ledger is not half-read.
pub fn parse(plan: &Plan, ledger: &Ledger, rows: &[(usize, Vec<Cell>)]) -> Parsed {
    parse_with_progress(plan, ledger, rows, &mut |_, _| {})
}

/// [`parse`], telling `progress(rows done, rows)` as it goes (for a progress bar).
pub fn parse_with_progress(
    plan: &Plan,
    ledger: &Ledger,
    rows: &[(usize, Vec<Cell>)],
    progress: &mut dyn FnMut(usize, usize),
) -> Parsed {
    let mut out = Parsed::default();
    let total = rows.len();
    let blank = |cells: &[Cell]| {
        cells.iter().all(|c| match c {
            Cell::Empty => true,
            Cell::Text(s) => s
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
                .is_empty(),
            _ => false,
        })
    };
    let mut it = rows.iter().skip_while(|(_, cells)| blank(cells));
    let Some((header_line, header)) = it.next() else {
        out.errors.push(RowError::new(1, "-", &SheetProblem::Empty));
        return out;
    };
    let by_heading: HashMap<String, usize> = ledger
        .fields
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            [heading_key(f.zh), heading_key(f.en), heading_key(f.id)]
                .into_iter()
                .map(move |h| (h, i))
        })
        .collect();
    let mut columns: Vec<Option<usize>> = Vec::with_capacity(header.len());
    let mut example_col = None;
    let mut seen = vec![false; ledger.fields.len()];
    for (c, cell) in header.iter().enumerate() {
        let text = cell.shown();
        let key = heading_key(&text);
        if key.is_empty() {
            columns.push(None);
            continue;
        }
        if key == heading_key(EXAMPLE_HEADING) {
            example_col = Some(c);
            columns.push(None);
            continue;
        }
        match by_heading.get(&key) {
            Some(&i) if !seen[i] => {
                seen[i] = true;
                columns.push(Some(i));
            }
            Some(_) => {
                out.errors.push(RowError::new(
                    *header_line,
                    text.clone(),
                    &SheetProblem::HeadingTwice(&text),
                ));
                columns.push(None);
            }
            None => {
                out.errors.push(RowError::new(
                    *header_line,
                    text.clone(),
                    &SheetProblem::ForeignHeading {
                        heading: &text,
                        ledger,
                    },
                ));
                columns.push(None);
            }
        }
    }
    for (i, f) in ledger.fields.iter().enumerate() {
        if f.required && !seen[i] {
            out.errors.push(RowError::new(
                *header_line,
                f.zh,
                &SheetProblem::MissingColumn(f),
            ));
        }
    }
    if !out.errors.is_empty() {
        return out;
    }
    let headings: Vec<String> = header.iter().map(Cell::shown).collect();
    let column_of = |field: &str| -> String {
        ledger
            .field_index(field)
            .and_then(|i| columns.iter().position(|c| *c == Some(i)))
            .and_then(|c| headings.get(c))
            .map_or_else(|| field.to_string(), |h| h.trim().to_string())
    };
    let mut previous = *header_line;
    for (done, (line, cells)) in it.enumerate() {
        if done % 2_000 == 0 {
            progress(done, total);
        }
        // A workbook reader leaves out rows that hold nothing: they are blank rows too.
        out.blank_rows += line.saturating_sub(previous + 1);
        previous = *line;
        if blank(cells) {
            out.blank_rows += 1;
            continue;
        }
        if let Some(c) = example_col
            && cells
                .get(c)
                .is_some_and(|x| x.shown().trim() == EXAMPLE_MARK)
        {
            out.example_rows += 1;
            continue;
        }
        let mut raw = vec![Cell::Empty; ledger.fields.len()];
        for (c, cell) in cells.iter().enumerate() {
            if let Some(Some(i)) = columns.get(c) {
                raw[*i] = cell.clone();
            }
        }
        match check(plan, ledger, &raw) {
            Ok((record, notes)) => {
                out.notes.extend(notes.into_iter().map(|n: Note| RowNote {
                    line: *line,
                    column: column_of(&n.field),
                    zh: n.zh,
                    en: n.en,
                }));
                out.rows.push(ParsedRow {
                    line: *line,
                    record,
                });
            }
            Err(errors) => out.errors.extend(errors.into_iter().map(|e| RowError {
                line: *line,
                column: column_of(&e.field),
                zh: e.zh,
                en: e.en,
            })),
        }
    }
    progress(total, total);
    // The same record twice in one file: the second would silently win.
    let mut keys: HashMap<String, usize> = HashMap::new();
    for r in &out.rows {
        let key = ledger.natural_key(&r.record);
        if let Some(first) = keys.insert(key.clone(), r.line) {
            let cols: Vec<String> = ledger.key.iter().map(|k| column_of(k)).collect();
            out.errors.push(RowError::new(
                r.line,
                cols.join("、"),
                &SheetProblem::Repeated {
                    first,
                    columns: &cols,
                },
            ));
        }
    }
    out.errors.sort_by_key(|e| e.line);
    out
}
