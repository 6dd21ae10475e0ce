//! A ledger worksheet read back: columns found by their headings, blank rows and the template's
//! example row skipped, every row checked, every error named by row and column heading.

use super::messages::SheetProblem;
use super::value::{Cell, half_width};
use super::{FieldKind, Ledger, Note, Record, check};
use crate::plan::Plan;
use crate::rows::RowError;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

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
    /// The records that passed (`rows` holds them where they were kept).
    pub records: usize,
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
    let mut reader = SheetReader::new(plan, ledger);
    let mut kept = Vec::new();
    for (line, cells) in rows {
        if !reader.going() {
            break;
        }
        kept.extend(reader.row(*line, cells));
    }
    let mut out = reader.finish();
    out.rows = kept;
    out
}

fn blank(cells: &[Cell]) -> bool {
    cells.iter().all(|c| match c {
        Cell::Empty => true,
        Cell::Text(s) => s
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
            .is_empty(),
        _ => false,
    })
}

/// The header row as read: which field each column holds.
#[derive(Debug)]
struct Header {
    /// Column → field index (`None`: blank, the example marker, or refused).
    columns: Vec<Option<usize>>,
    example_col: Option<usize>,
    headings: Vec<String>,
}

impl Header {
    /// The heading the sheet gives `field`, for naming a cell in an error.
    fn column_of(&self, ledger: &Ledger, field: &str) -> String {
        ledger
            .field_index(field)
            .and_then(|i| self.columns.iter().position(|c| *c == Some(i)))
            .and_then(|c| self.headings.get(c))
            .map_or_else(|| field.to_string(), |h| h.trim().to_string())
    }
}

/// A sheet read one row at a time, as a workbook is streamed: the first non-blank row is the
/// header; every later row is checked as it comes and handed back when it passed. Memory holds
/// the errors, the notes and each record's key (for the same record twice), not the rows.
#[derive(Debug)]
pub struct SheetReader<'a> {
    plan: &'a Plan,
    ledger: &'a Ledger,
    header: Option<Header>,
    /// The header was wrong: no row can be read.
    refused: bool,
    previous: usize,
    /// Each record's key, as 128 bits of two randomly keyed hashes (16 bytes a record instead
    /// of the key's text: 1,000,000 rows hold 30 MB less), with its line.
    keys: HashMap<u128, u32>,
    hashers: (RandomState, RandomState),
    out: Parsed,
}

impl<'a> SheetReader<'a> {
    pub fn new(plan: &'a Plan, ledger: &'a Ledger) -> SheetReader<'a> {
        SheetReader {
            plan,
            ledger,
            header: None,
            refused: false,
            previous: 0,
            keys: HashMap::new(),
            hashers: (RandomState::new(), RandomState::new()),
            out: Parsed::default(),
        }
    }

    /// Whether a later row can still be read (not after a wrong header).
    pub fn going(&self) -> bool {
        !self.refused
    }

    /// The errors found so far.
    pub fn errors(&self) -> usize {
        self.out.errors.len()
    }

    /// Reads sheet row `line`: the record, when it is one and passed its checks.
    pub fn row(&mut self, line: usize, cells: &[Cell]) -> Option<ParsedRow> {
        if self.refused {
            return None;
        }
        let Some(header) = &self.header else {
            if !blank(cells) {
                self.read_header(line, cells);
            }
            return None;
        };
        // A workbook reader leaves out rows that hold nothing: they are blank rows too.
        self.out.blank_rows += line.saturating_sub(self.previous + 1);
        self.previous = line;
        if blank(cells) {
            self.out.blank_rows += 1;
            return None;
        }
        if let Some(c) = header.example_col
            && cells
                .get(c)
                .is_some_and(|x| x.shown().trim() == EXAMPLE_MARK)
        {
            self.out.example_rows += 1;
            return None;
        }
        let ledger = self.ledger;
        let mut raw = vec![Cell::Empty; ledger.fields.len()];
        for (c, cell) in cells.iter().enumerate() {
            if let Some(Some(i)) = header.columns.get(c) {
                raw[*i] = cell.clone();
            }
        }
        match check(self.plan, ledger, &raw) {
            Ok((record, notes)) => {
                self.out
                    .notes
                    .extend(notes.into_iter().map(|n: Note| RowNote {
                        line,
                        column: header.column_of(ledger, &n.field),
                        zh: n.zh,
                        en: n.en,
                    }));
                // The same record twice in one file: the second would silently win.
                let key = ledger.natural_key(&record);
                let key = u128::from(self.hashers.0.hash_one(&key)) << 64
                    | u128::from(self.hashers.1.hash_one(&key));
                if let Some(&first) = self.keys.get(&key) {
                    let first = first as usize;
                    let cols: Vec<String> = ledger
                        .key
                        .iter()
                        .map(|k| header.column_of(ledger, k))
                        .collect();
                    self.out.errors.push(RowError::new(
                        line,
                        cols.join("、"),
                        &SheetProblem::Repeated {
                            first,
                            columns: &cols,
                        },
                    ));
                    return None;
                }
                self.keys
                    .insert(key, u32::try_from(line).unwrap_or(u32::MAX));
                self.out.records += 1;
                Some(ParsedRow { line, record })
            }
            Err(errors) => {
                self.out.errors.extend(errors.into_iter().map(|e| RowError {
                    line,
                    column: header.column_of(ledger, &e.field),
                    zh: e.zh,
                    en: e.en,
                }));
                None
            }
        }
    }

    fn read_header(&mut self, line: usize, header: &[Cell]) {
        let ledger = self.ledger;
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
                    self.out.errors.push(RowError::new(
                        line,
                        text.clone(),
                        &SheetProblem::HeadingTwice(&text),
                    ));
                    columns.push(None);
                }
                None => {
                    self.out.errors.push(RowError::new(
                        line,
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
                self.out
                    .errors
                    .push(RowError::new(line, f.zh, &SheetProblem::MissingColumn(f)));
            }
        }
        self.refused = !self.out.errors.is_empty();
        self.previous = line;
        self.header = Some(Header {
            columns,
            example_col,
            headings: header.iter().map(Cell::shown).collect(),
        });
    }

    /// What the sheet came to (`rows` left empty: the caller kept the records it wanted), its
    /// errors in sheet order.
    pub fn finish(self) -> Parsed {
        let mut out = self.out;
        if self.header.is_none() {
            out.errors.push(RowError::new(1, "-", &SheetProblem::Empty));
        }
        out.errors.sort_by_key(|e| e.line);
        out
    }
}
