//! The peer workbook (对标数据): one row per zone, one column per indicator of a framework, for
//! one data year — the shape the torch statistics yearbook and published lists come in — with
//! each row's source and, where published, the zone's overall rank in the next year's
//! evaluation. Read from a worksheet's rows (see `gaoxin_excel::read_rows`) into [`PeerRow`]s,
//! every error by row and heading.

use super::messages::{
    HEADING_DIMENSION_RANK, HEADING_ITEM_RANK, SINGLE_ITEMS, SheetProblem as P,
    heading_dimension_rank, heading_rank, heading_source, heading_zone,
};
use super::{Framework, Indicator};
use crate::rows::RowError;
use serde::{Deserialize, Serialize};

/// One zone's values in a peer workbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerRow {
    pub line: usize,
    pub zone: String,
    pub source: String,
    /// (indicator id, value).
    pub values: Vec<(String, f64)>,
    /// Overall rank published for the next year's evaluation.
    pub rank: Option<u32>,
    /// Dimension ranks of that evaluation (from the zone's result letter): (dimension id, rank).
    #[serde(default)]
    pub dimension_ranks: Vec<(String, u32)>,
    /// Ranks in the published single-item lists: (list name, rank).
    #[serde(default)]
    pub item_ranks: Vec<(String, u32)>,
}

/// The single-item lists the template offers a column for.
pub fn single_items() -> &'static [&'static str] {
    SINGLE_ITEMS
}

/// The heading of a single-item list's rank column.
pub fn item_heading(item: &str) -> String {
    format!("{HEADING_ITEM_RANK}{item}")
}

/// What a published rank is of, as stored (`official_results.dimension`): the overall rank is
/// empty, a dimension its id, a single-item list `item:` and its name.
pub fn item_key(item: &str) -> String {
    format!("item:{item}")
}

/// Longest zone name and source kept.
pub const NAME_MAX: usize = 100;
pub const SOURCE_MAX: usize = 200;
/// The largest rank accepted (there are fewer than 200 national zones).
pub const RANK_MAX: u32 = 10_000;

/// The headings of the workbook for `framework`, evaluation of `result_year`: zone, source,
/// published overall rank, each dimension's published rank, then one per indicator
/// ("1.3 研发经费…（%）").
pub fn headings(framework: &Framework, result_year: i32) -> Vec<String> {
    let mut h = vec![
        heading_zone().to_string(),
        heading_source().to_string(),
        heading_rank(result_year),
    ];
    h.extend(
        framework
            .dimensions
            .iter()
            .map(|d| heading_dimension_rank(&d.no, &d.name)),
    );
    h.extend(SINGLE_ITEMS.iter().map(|i| item_heading(i)));
    h.extend(framework.indicators.iter().map(indicator_heading));
    h
}

/// An indicator's column heading: its number, name and unit.
pub fn indicator_heading(i: &Indicator) -> String {
    format!("{} {}（{}）", i.no, i.name, i.unit)
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Zone,
    Source,
    Rank,
    DimensionRank(usize),
    ItemRank(usize),
    Indicator(usize),
}

/// Reads the rows of a peer worksheet: the heading row is the first whose first cell is the
/// zone heading; rows after it are zones (blank rows skipped). All rows or the errors.
pub fn read(
    framework: &Framework,
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<PeerRow>, Vec<RowError>> {
    let zone_heading = heading_zone();
    let Some(at) = rows
        .iter()
        .position(|(_, cells)| cells.first().is_some_and(|c| c.trim() == zone_heading))
    else {
        return Err(vec![RowError::new(1, "A", &P::NoHeadings)]);
    };
    let (heading_line, heading_cells) = &rows[at];
    let mut errors = Vec::new();
    let mut columns: Vec<Option<Column>> = Vec::new();
    for (c, cell) in heading_cells.iter().enumerate() {
        let text = cell.trim();
        let column = if c == 0 {
            Some(Column::Zone)
        } else if text.is_empty() {
            None
        } else if text == heading_source() {
            Some(Column::Source)
        } else if let Some(item) = text
            .strip_prefix(HEADING_ITEM_RANK)
            .and_then(|rest| SINGLE_ITEMS.iter().position(|i| *i == rest.trim()))
        {
            Some(Column::ItemRank(item))
        } else if let Some(rest) = text.strip_prefix(HEADING_DIMENSION_RANK) {
            match framework
                .dimensions
                .iter()
                .position(|d| rest == format!("{} {}", d.no, d.name) || rest == d.name)
            {
                Some(d) => Some(Column::DimensionRank(d)),
                None => {
                    errors.push(RowError::new(
                        *heading_line,
                        text,
                        &P::UnknownHeading {
                            framework: framework.id.clone(),
                        },
                    ));
                    None
                }
            }
        } else if text.starts_with(heading_rank_prefix()) {
            Some(Column::Rank)
        } else if let Some(j) = find_indicator(framework, text) {
            if columns.contains(&Some(Column::Indicator(j))) {
                errors.push(RowError::new(*heading_line, text, &P::DuplicateColumn));
            }
            Some(Column::Indicator(j))
        } else {
            errors.push(RowError::new(
                *heading_line,
                text,
                &P::UnknownHeading {
                    framework: framework.id.clone(),
                },
            ));
            None
        };
        columns.push(column);
    }
    if !columns.contains(&Some(Column::Source)) {
        errors.push(RowError::new(
            *heading_line,
            heading_source(),
            &P::NoSourceColumn,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let heading_of = |c: usize| {
        heading_cells
            .get(c)
            .map_or_else(String::new, |h| h.trim().to_string())
    };

    let mut out: Vec<PeerRow> = Vec::new();
    for (line, cells) in &rows[at + 1..] {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = PeerRow {
            line: *line,
            zone: String::new(),
            source: String::new(),
            values: Vec::new(),
            rank: None,
            dimension_ranks: Vec::new(),
            item_ranks: Vec::new(),
        };
        for (c, cell) in cells.iter().enumerate() {
            let text = cell.trim();
            let Some(Some(column)) = columns.get(c) else {
                if !text.is_empty() {
                    errors.push(RowError::new(*line, column_letters(c), &P::NoHeading));
                }
                continue;
            };
            match column {
                Column::Zone => row.zone = text.to_string(),
                Column::Source => row.source = text.to_string(),
                Column::Rank | Column::DimensionRank(_) | Column::ItemRank(_)
                    if text.is_empty() => {}
                Column::Rank | Column::DimensionRank(_) | Column::ItemRank(_) => {
                    match text.parse::<u32>() {
                        Ok(r) if (1..=RANK_MAX).contains(&r) => match column {
                            Column::DimensionRank(d) => row
                                .dimension_ranks
                                .push((framework.dimensions[*d].id.clone(), r)),
                            Column::ItemRank(i) => {
                                row.item_ranks.push((SINGLE_ITEMS[*i].to_string(), r))
                            }
                            _ => row.rank = Some(r),
                        },
                        _ => errors.push(RowError::new(
                            *line,
                            heading_of(c),
                            &P::BadRank {
                                value: text.to_string(),
                            },
                        )),
                    }
                }
                Column::Indicator(j) => {
                    if is_blank(text) {
                        continue;
                    }
                    match number(text) {
                        Some(x) => row.values.push((framework.indicators[*j].id.clone(), x)),
                        None => errors.push(RowError::new(
                            *line,
                            heading_of(c),
                            &P::BadNumber {
                                value: text.to_string(),
                            },
                        )),
                    }
                }
            }
        }
        let zone_column = heading_zone();
        if row.zone.is_empty() {
            errors.push(RowError::new(*line, zone_column, &P::NoZone));
        } else if row.zone.chars().count() > NAME_MAX {
            errors.push(RowError::new(
                *line,
                zone_column,
                &P::TooLong { max: NAME_MAX },
            ));
        } else if let Some(first) = out.iter().find(|r| r.zone == row.zone) {
            errors.push(RowError::new(
                *line,
                zone_column,
                &P::DuplicateZone {
                    first_line: first.line,
                },
            ));
        }
        let ranked =
            row.rank.is_some() || !row.dimension_ranks.is_empty() || !row.item_ranks.is_empty();
        if row.source.is_empty() && (!row.values.is_empty() || ranked) {
            errors.push(RowError::new(*line, heading_source(), &P::NoSource));
        } else if row.source.chars().count() > SOURCE_MAX {
            errors.push(RowError::new(
                *line,
                heading_source(),
                &P::TooLong { max: SOURCE_MAX },
            ));
        }
        out.push(row);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn heading_rank_prefix() -> &'static str {
    super::messages::HEADING_RANK_PREFIX
}

/// The indicator a heading names: by its number ("1.3 …") or its exact name.
fn find_indicator(framework: &Framework, heading: &str) -> Option<usize> {
    let first = heading.split_whitespace().next().unwrap_or_default();
    framework
        .indicators
        .iter()
        .position(|i| i.no == first)
        .or_else(|| {
            let name = heading.split('（').next().unwrap_or(heading).trim();
            framework.indicators.iter().position(|i| i.name == name)
        })
}

/// What reads as "no value": empty, a dash, or n/a.
fn is_blank(text: &str) -> bool {
    matches!(text, "" | "-" | "—" | "–" | "/" | "n/a" | "N/A")
}

/// A number as clerks write it: thousands separators and a trailing % allowed.
fn number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim_end_matches('%')
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    cleaned.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A column's letters (0 → A, 26 → AA).
fn column_letters(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
