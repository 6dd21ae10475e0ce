//! Reading an evaluation framework file: TOML into raw structs that remember where each value
//! was written, then validation, collecting every error with its line and column.

use super::{Basis, Dimension, Direction, Framework, Indicator, Scope};
use crate::plan::line_column;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;

type S<T> = Spanned<T>;

/// Every problem found in one framework file.
#[derive(Debug, Clone)]
pub struct FrameworkErrors {
    pub file: String,
    pub errors: Vec<FrameworkError>,
}

/// One problem, placed in the file (1-based line and column; 0 when it has no place).
#[derive(Debug, Clone)]
pub struct FrameworkError {
    pub line: usize,
    pub column: usize,
    pub kind: FrameworkErrorKind,
}

/// What is wrong; the wording is in `messages.rs`.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameworkErrorKind {
    /// Not TOML, or a field missing, unknown or of the wrong type.
    Syntax {
        detail: String,
    },
    BadId {
        id: String,
    },
    DuplicateId {
        id: String,
        first_line: usize,
    },
    /// An indicator naming a dimension the file does not define.
    UnknownDimension {
        id: String,
        known: Vec<String>,
    },
    Empty {
        field: &'static str,
    },
    BadChoice {
        field: &'static str,
        value: String,
        allowed: &'static [&'static str],
    },
    /// A dimension weight outside (0, 100].
    BadDimensionWeight {
        value: f64,
    },
    /// An indicator weight outside (0, 10].
    BadIndicatorWeight {
        value: f64,
    },
    /// Dimension weights summing to more than 100, or (in a complete framework) not to 100.
    WeightSum {
        sum: f64,
        complete: bool,
    },
    /// A confirmed name or weight without the document it comes from.
    NoSource {
        field: &'static str,
    },
    /// A source given for an assumed name or weight.
    SourceOnAssumed {
        field: &'static str,
    },
    /// `published` not a date YYYY-MM-DD.
    BadDate {
        value: String,
    },
    /// No `[[dimension]]`.
    NoDimensions,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    framework: RawHeader,
    #[serde(default)]
    dimension: Vec<RawDimension>,
    #[serde(default)]
    indicator: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: S<String>,
    name: S<String>,
    issuer: S<String>,
    document: S<String>,
    published: Option<S<String>>,
    scope: S<String>,
    complete: S<bool>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: S<String>,
    no: S<String>,
    name: S<String>,
    name_basis: S<String>,
    name_source: Option<S<String>>,
    weight: S<f64>,
    weight_basis: S<String>,
    weight_source: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: S<String>,
    no: S<String>,
    dimension: S<String>,
    name: S<String>,
    name_basis: S<String>,
    name_source: Option<S<String>>,
    weight: S<f64>,
    weight_basis: S<String>,
    weight_source: Option<S<String>>,
    direction: S<String>,
    unit: S<String>,
    #[serde(default)]
    whole: bool,
    definition: S<String>,
    data_source: S<String>,
    #[serde(default)]
    note: String,
    formula: Option<S<String>>,
}

const BASES: &[&str] = &["confirmed", "assumed"];
const SCOPES: &[(&str, Scope)] = &[
    ("national", Scope::National),
    ("provincial", Scope::Provincial),
];
const SCOPE_NAMES: &[&str] = &["national", "provincial"];
const DIRECTIONS: &[(&str, Direction)] =
    &[("higher", Direction::Higher), ("lower", Direction::Lower)];
const DIRECTION_NAMES: &[&str] = &["higher", "lower"];

struct Check<'a> {
    source: &'a str,
    errors: Vec<(Option<Range<usize>>, FrameworkErrorKind)>,
}

impl Check<'_> {
    fn err(&mut self, span: Range<usize>, kind: FrameworkErrorKind) {
        self.errors.push((Some(span), kind));
    }

    fn text(&mut self, v: &S<String>, field: &'static str) -> String {
        let s = v.get_ref().trim();
        if s.is_empty() {
            self.err(v.span(), FrameworkErrorKind::Empty { field });
        }
        s.to_string()
    }

    fn define(&mut self, v: &S<String>, seen: &mut HashMap<String, Range<usize>>) -> String {
        let id = v.get_ref().clone();
        if !crate::plan::is_id(&id) {
            self.err(v.span(), FrameworkErrorKind::BadId { id: id.clone() });
        } else if let Some(first) = seen.get(&id) {
            let first_line = line_column(self.source, first.start).0;
            self.err(
                v.span(),
                FrameworkErrorKind::DuplicateId {
                    id: id.clone(),
                    first_line,
                },
            );
        } else {
            seen.insert(id.clone(), v.span());
        }
        id
    }

    fn choice<T: Copy>(
        &mut self,
        v: &S<String>,
        field: &'static str,
        options: &[(&str, T)],
        allowed: &'static [&'static str],
    ) -> Option<T> {
        let found = options
            .iter()
            .find(|(n, _)| n == v.get_ref())
            .map(|(_, t)| *t);
        if found.is_none() {
            self.err(
                v.span(),
                FrameworkErrorKind::BadChoice {
                    field,
                    value: v.get_ref().clone(),
                    allowed,
                },
            );
        }
        found
    }

    /// A name's or weight's basis and its source: a confirmed one names its document.
    fn basis(
        &mut self,
        basis: &S<String>,
        source: &Option<S<String>>,
        basis_field: &'static str,
        source_field: &'static str,
    ) -> Basis {
        let source_text = source
            .as_ref()
            .map(|s| s.get_ref().trim().to_string())
            .filter(|s| !s.is_empty());
        match basis.get_ref().as_str() {
            "confirmed" => match source_text {
                Some(s) => Basis::Confirmed(s),
                None => {
                    self.err(
                        basis.span(),
                        FrameworkErrorKind::NoSource {
                            field: source_field,
                        },
                    );
                    Basis::Assumed
                }
            },
            "assumed" => {
                if let (Some(s), Some(_)) = (source, source_text) {
                    self.err(
                        s.span(),
                        FrameworkErrorKind::SourceOnAssumed {
                            field: source_field,
                        },
                    );
                }
                Basis::Assumed
            }
            other => {
                self.err(
                    basis.span(),
                    FrameworkErrorKind::BadChoice {
                        field: basis_field,
                        value: other.to_string(),
                        allowed: BASES,
                    },
                );
                Basis::Assumed
            }
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && s.get(5..7)
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|m| (1..=12).contains(&m))
        && s.get(8..10)
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|d| (1..=31).contains(&d))
}

pub(super) fn parse(file: &str, source: &str) -> Result<Framework, FrameworkErrors> {
    let raw: RawFile = toml::from_str(source).map_err(|e| {
        let detail = e.message().trim().to_string();
        FrameworkErrors::new(
            file,
            source,
            vec![(e.span(), FrameworkErrorKind::Syntax { detail })],
        )
    })?;
    let mut c = Check {
        source,
        errors: Vec::new(),
    };
    let framework = check(&mut c, raw);
    if c.errors.is_empty() {
        Ok(framework)
    } else {
        Err(FrameworkErrors::new(file, source, c.errors))
    }
}

fn check(c: &mut Check<'_>, raw: RawFile) -> Framework {
    use FrameworkErrorKind as K;
    let h = &raw.framework;
    let mut ids = HashMap::new();
    let id = c.define(&h.id, &mut ids);
    let name = c.text(&h.name, "name");
    let issuer = c.text(&h.issuer, "issuer");
    let document = c.text(&h.document, "document");
    let published = h.published.as_ref().map(|p| {
        if !is_date(p.get_ref()) {
            c.err(
                p.span(),
                K::BadDate {
                    value: p.get_ref().clone(),
                },
            );
        }
        p.get_ref().clone()
    });
    let scope = c
        .choice(&h.scope, "scope", SCOPES, SCOPE_NAMES)
        .unwrap_or(Scope::National);
    let complete = *h.complete.get_ref();
    if raw.dimension.is_empty() {
        c.err(h.id.span(), K::NoDimensions);
    }

    let mut dimension_ids = HashMap::new();
    let mut dimensions = Vec::new();
    let mut sum = 0.0;
    for d in &raw.dimension {
        let weight = *d.weight.get_ref();
        if !(weight.is_finite() && weight > 0.0 && weight <= 100.0) {
            c.err(d.weight.span(), K::BadDimensionWeight { value: weight });
        } else {
            sum += weight;
        }
        dimensions.push(Dimension {
            id: c.define(&d.id, &mut dimension_ids),
            no: c.text(&d.no, "no"),
            name: c.text(&d.name, "name"),
            name_basis: c.basis(&d.name_basis, &d.name_source, "name_basis", "name_source"),
            weight,
            weight_basis: c.basis(
                &d.weight_basis,
                &d.weight_source,
                "weight_basis",
                "weight_source",
            ),
        });
    }
    let over = sum > 100.0 + 1e-9;
    let short = complete && (sum - 100.0).abs() > 1e-9;
    if (over || short)
        && let Some(first) = raw.dimension.first()
    {
        c.err(first.weight.span(), K::WeightSum { sum, complete });
    }

    let known: Vec<String> = dimensions.iter().map(|d| d.id.clone()).collect();
    let mut indicator_ids = HashMap::new();
    let mut indicators = Vec::new();
    for i in &raw.indicator {
        let dimension = match known.iter().position(|k| k == i.dimension.get_ref()) {
            Some(d) => d,
            None => {
                c.err(
                    i.dimension.span(),
                    K::UnknownDimension {
                        id: i.dimension.get_ref().clone(),
                        known: known.clone(),
                    },
                );
                0
            }
        };
        let weight = *i.weight.get_ref();
        if !(weight.is_finite() && weight > 0.0 && weight <= 10.0) {
            c.err(i.weight.span(), K::BadIndicatorWeight { value: weight });
        }
        indicators.push(Indicator {
            id: c.define(&i.id, &mut indicator_ids),
            no: c.text(&i.no, "no"),
            dimension,
            name: c.text(&i.name, "name"),
            name_basis: c.basis(&i.name_basis, &i.name_source, "name_basis", "name_source"),
            weight,
            weight_basis: c.basis(
                &i.weight_basis,
                &i.weight_source,
                "weight_basis",
                "weight_source",
            ),
            direction: c
                .choice(&i.direction, "direction", DIRECTIONS, DIRECTION_NAMES)
                .unwrap_or(Direction::Higher),
            unit: c.text(&i.unit, "unit"),
            whole: i.whole,
            definition: c.text(&i.definition, "definition"),
            data_source: c.text(&i.data_source, "data_source"),
            note: i.note.trim().to_string(),
            formula: i.formula.as_ref().and_then(|f| {
                let known = super::formula::FORMULAS.contains(&f.get_ref().as_str());
                if !known {
                    c.err(
                        f.span(),
                        K::BadChoice {
                            field: "formula",
                            value: f.get_ref().clone(),
                            allowed: super::formula::FORMULAS,
                        },
                    );
                }
                known.then(|| f.get_ref().clone())
            }),
        });
    }
    Framework {
        id,
        name,
        issuer,
        document,
        published,
        scope,
        complete,
        note: h.note.trim().to_string(),
        dimensions,
        indicators,
    }
}

impl FrameworkErrors {
    fn new(file: &str, source: &str, raw: Vec<(Option<Range<usize>>, FrameworkErrorKind)>) -> Self {
        let mut errors: Vec<FrameworkError> = raw
            .into_iter()
            .map(|(span, kind)| {
                let (line, column) = span.map_or((0, 0), |s| line_column(source, s.start));
                FrameworkError { line, column, kind }
            })
            .collect();
        errors.sort_by_key(|e| (e.line, e.column));
        FrameworkErrors {
            file: file.to_string(),
            errors,
        }
    }
}

impl std::error::Error for FrameworkErrors {}
