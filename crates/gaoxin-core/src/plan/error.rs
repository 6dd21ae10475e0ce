//! Plan-file errors: each one points at a file, line and column, says what is wrong and how to
//! fix it, in Chinese first and then in English. Validation collects every error it can find in
//! one pass, so a clerk fixes a file in one round rather than one error per run.

use std::ops::Range;

/// Every problem found in one plan file.
#[derive(Debug, Clone)]
pub struct PlanErrors {
    pub file: String,
    pub errors: Vec<PlanError>,
}

/// One problem, placed in the file.
#[derive(Debug, Clone)]
pub struct PlanError {
    /// 1-based line; 0 when the problem has no place (e.g. an empty file).
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub kind: PlanErrorKind,
}

/// What is wrong. The messages live in [`PlanErrorKind::zh`] and [`PlanErrorKind::en`].
#[derive(Debug, Clone, PartialEq)]
pub enum PlanErrorKind {
    /// The file is not valid TOML, or a field is missing, unknown or of the wrong type.
    Syntax {
        detail: String,
    },
    /// An id that refers to nothing defined in the file.
    UnknownReference {
        what: Entity,
        id: String,
        known: Vec<String>,
    },
    /// An id defined twice.
    DuplicateId {
        what: Entity,
        id: String,
        first_line: usize,
    },
    /// The same zone, indicator and year given two targets.
    DuplicateTarget {
        zone: String,
        indicator: String,
        year: i64,
        first_line: usize,
    },
    /// A year outside `[plan].period`.
    YearOutsidePeriod {
        year: i64,
        start: i64,
        end: i64,
    },
    /// `[plan].period` is not `[start, end]` with start ≤ end.
    BadPeriod,
    /// A share above 100%.
    ShareAbove100 {
        value: f64,
    },
    /// A negative or non-finite value, or a rank that is not a whole number from 1.
    BadValue {
        value: f64,
        rule: ValueRule,
    },
    /// A field with a value outside its list.
    BadChoice {
        field: &'static str,
        value: String,
        allowed: &'static [&'static str],
    },
    /// An id with characters other than a-z, 0-9 and `-`.
    BadId {
        id: String,
    },
    /// A required text left empty.
    Empty {
        field: &'static str,
    },
    /// A quote that is not in the plan text.
    QuoteNotFound,
    /// A quote found more than once in the plan text.
    QuoteAmbiguous {
        count: usize,
    },
    /// A target set on a unit that is not a high-tech zone.
    NotAZone {
        id: String,
    },
    /// A share target on a zone with no `share_base`.
    ShareWithoutBase {
        zone: String,
    },
    /// A department used in the wrong role (a lead that is an implementing unit, or the reverse).
    WrongDepartmentKind {
        id: String,
        expected: &'static str,
    },
    /// A key task with no lead department.
    NoLead,
    /// `comparator = "between"` without `max`, `max` without it, or `max` below `value`.
    BadRange,
    /// `cadence = "once"` without `year`, or `year` with another cadence.
    BadYearForCadence,
    /// An indicator computed from a figure of a kind it cannot use.
    FigureKindMismatch {
        figure: String,
        allowed: &'static [&'static str],
    },
    /// Both `tolerance` and `tolerance_percent`.
    TwoTolerances,
    /// A figure `counted` from a ledger count of another window (a count in force is a `level`,
    /// a count of the year so far `cumulative`).
    CountedKind {
        count: String,
        needs: &'static str,
    },
    CountedUnit {
        count: String,
        share: bool,
    },
    CountedStanding {
        count: String,
    },
    /// An industry listed twice, or listed as 其他 (which every list has).
    DuplicateIndustry {
        name: String,
    },
    /// `framework`/`peers` on an indicator that is not a rank.
    JudgedNotRank,
    /// `framework` without `peers`, or the reverse.
    JudgedIncomplete,
    /// A `[ledgers]` key that names no ledger.
    UnknownLedger {
        id: String,
        known: Vec<String>,
    },
}

/// The kinds of thing a plan file defines, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Unit,
    Zone,
    Department,
    Indicator,
    Group,
    Task,
    SubTarget,
    Figure,
}

/// Which rule a value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueRule {
    NotNegative,
    RankFromOne,
    DayOfMonth,
    /// A number of days, 1 to 3650.
    Days,
}

impl PlanErrors {
    /// Places raw errors (byte spans in `source`) at their lines and columns.
    pub(crate) fn new(
        file: &str,
        source: &str,
        raw: Vec<(Option<Range<usize>>, PlanErrorKind)>,
    ) -> Self {
        let mut errors: Vec<PlanError> = raw
            .into_iter()
            .map(|(span, kind)| {
                let (line, column) = match span {
                    Some(span) => line_column(source, span.start),
                    None => (0, 0),
                };
                PlanError { line, column, kind }
            })
            .collect();
        errors.sort_by_key(|e| (e.line, e.column));
        PlanErrors {
            file: file.to_string(),
            errors,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

impl std::error::Error for PlanErrors {}
