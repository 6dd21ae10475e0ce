//! Reading a plan file: TOML into raw structs that remember where each value was written, then
//! validation into a [`Plan`], collecting every error with its place.

use super::error::{Entity, PlanErrorKind as K, PlanErrors, ValueRule, line_column};
use super::text::{QuoteProblem, TextIndex};
use super::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    plan: RawHeader,
    #[serde(default)]
    unit: Vec<RawUnit>,
    #[serde(default)]
    department: Vec<RawDepartment>,
    #[serde(default)]
    indicator: Vec<RawIndicator>,
    #[serde(default)]
    figure: Vec<RawFigure>,
    monitoring: Option<RawMonitoring>,
    #[serde(default)]
    target: Vec<RawTarget>,
    #[serde(default)]
    group: Vec<RawGroup>,
    #[serde(default)]
    task: Vec<RawTask>,
    #[serde(default)]
    subtarget: Vec<RawSubTarget>,
    #[serde(default)]
    ledgers: std::collections::BTreeMap<String, S<String>>,
    text: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: S<String>,
    title: S<String>,
    edition: S<String>,
    period: S<Vec<i64>>,
    #[serde(default)]
    implementing_units: Vec<S<String>>,
    implementing_quote: S<String>,
    /// 主导产业: the industries the ledgers' industry fields offer.
    #[serde(default)]
    industries: Vec<S<String>>,
    industries_quote: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: S<String>,
    name: S<String>,
    kind: S<String>,
    parent: Option<S<String>>,
    share_base: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDepartment {
    id: S<String>,
    name: S<String>,
    kind: S<String>,
    unit: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: S<String>,
    name: S<String>,
    kind: S<String>,
    unit: S<String>,
    comparator: S<String>,
    basis: S<String>,
    figure: Option<S<String>>,
    tolerance: Option<S<f64>>,
    tolerance_percent: Option<S<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    id: S<String>,
    name: S<String>,
    unit: S<String>,
    kind: S<String>,
    frequency: S<String>,
    source: S<String>,
    swing_percent: Option<S<f64>>,
    counted: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonitoring {
    deadline_day: Option<S<i64>>,
    swing_percent: Option<S<f64>>,
    stage_days: Option<S<i64>>,
    warn_days: Option<S<i64>>,
    report_cycle: Option<S<String>>,
    report_day: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    zone: S<String>,
    indicator: S<String>,
    year: S<i64>,
    value: S<f64>,
    quote: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: S<String>,
    label: S<String>,
    title: S<String>,
    kind: S<String>,
    quote: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    id: S<String>,
    group: S<String>,
    no: S<u32>,
    title: S<String>,
    #[serde(default)]
    lead: Vec<S<String>>,
    #[serde(default)]
    lead_and_others: bool,
    implementing: Option<Vec<S<String>>>,
    quote: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubTarget {
    id: S<String>,
    task: S<String>,
    name: S<String>,
    scope: S<String>,
    cadence: S<String>,
    year: Option<S<i64>>,
    comparator: S<String>,
    value: S<f64>,
    max: Option<S<f64>>,
    unit: S<String>,
    quote: S<String>,
    counted: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    body: S<String>,
}

/// Collects errors while a plan is checked.
struct Check<'a> {
    source: &'a str,
    errors: Vec<(Option<Range<usize>>, K)>,
}

impl Check<'_> {
    fn err(&mut self, span: Range<usize>, kind: K) {
        self.errors.push((Some(span), kind));
    }

    fn line(&self, span: &Range<usize>) -> usize {
        line_column(self.source, span.start).0
    }

    /// A required, non-empty text.
    fn text(&mut self, v: &S<String>, field: &'static str) -> String {
        let s = v.get_ref().trim();
        if s.is_empty() {
            self.err(v.span(), K::Empty { field });
        }
        s.to_string()
    }

    /// A well-formed id, not defined before among `seen`.
    /// A well-formed id: lower-case letters, digits and hyphens.
    fn id(&mut self, v: &S<String>) -> String {
        let id = v.get_ref().clone();
        let well_formed = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            self.err(v.span(), K::BadId { id: id.clone() });
        }
        id
    }

    fn define(
        &mut self,
        v: &S<String>,
        what: Entity,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> String {
        let id = self.id(v);
        if let Some(first) = seen.get(&id).cloned() {
            let first_line = self.line(&first);
            self.err(
                v.span(),
                K::DuplicateId {
                    what,
                    id: id.clone(),
                    first_line,
                },
            );
        } else {
            seen.insert(id.clone(), v.span());
        }
        id
    }

    /// A reference to an id among `known` (in definition order).
    fn refer(&mut self, v: &S<String>, what: Entity, known: &[String]) -> Option<String> {
        let id = v.get_ref();
        if known.iter().any(|k| k == id) {
            Some(id.clone())
        } else {
            let mut unique: Vec<String> = Vec::new();
            for k in known {
                if !unique.contains(k) {
                    unique.push(k.clone());
                }
            }
            self.err(
                v.span(),
                K::UnknownReference {
                    what,
                    id: id.clone(),
                    known: unique,
                },
            );
            None
        }
    }

    fn choice<T: Copy>(
        &mut self,
        v: &S<String>,
        field: &'static str,
        options: &'static [(&'static str, T)],
        allowed: &'static [&'static str],
    ) -> Option<T> {
        match options.iter().find(|(name, _)| name == v.get_ref()) {
            Some((_, t)) => Some(*t),
            None => {
                self.err(
                    v.span(),
                    K::BadChoice {
                        field,
                        value: v.get_ref().clone(),
                        allowed,
                    },
                );
                None
            }
        }
    }

    /// The count a figure or sub-target is `counted` from, found by its id.
    fn counted(&mut self, v: &S<String>) -> Option<&'static crate::known::Count> {
        let found = crate::known::Count::find(v.get_ref());
        if found.is_none() {
            self.err(
                v.span(),
                K::BadChoice {
                    field: "counted",
                    value: v.get_ref().clone(),
                    allowed: crate::known::COUNT_IDS,
                },
            );
        }
        found
    }

    fn year(&mut self, v: &S<i64>, period: Period) -> i32 {
        let y = *v.get_ref();
        match i32::try_from(y) {
            Ok(year) if period.contains(year) => year,
            _ => {
                self.err(
                    v.span(),
                    K::YearOutsidePeriod {
                        year: y,
                        start: period.start.into(),
                        end: period.end.into(),
                    },
                );
                period.start
            }
        }
    }

    fn quote(&mut self, v: &S<String>, text: &TextIndex) -> Quote {
        match text.locate(v.get_ref()) {
            Ok(q) => q,
            Err(problem) => {
                let kind = match problem {
                    QuoteProblem::Empty => K::Empty { field: "quote" },
                    QuoteProblem::NotFound => K::QuoteNotFound,
                    QuoteProblem::Ambiguous(count) => K::QuoteAmbiguous { count },
                };
                self.err(v.span(), kind);
                Quote {
                    text: v.get_ref().clone(),
                    span: 0..0,
                    anchor: String::new(),
                }
            }
        }
    }

    /// A number of days, 1 to 3650, or `default` when not given.
    fn days(&mut self, v: &Option<S<i64>>, default: u32) -> u32 {
        let Some(d) = v else { return default };
        match u32::try_from(*d.get_ref()) {
            Ok(days @ 1..=3650) => days,
            _ => {
                self.err(
                    d.span(),
                    K::BadValue {
                        value: *d.get_ref() as f64,
                        rule: ValueRule::Days,
                    },
                );
                default
            }
        }
    }

    fn not_negative(&mut self, v: &S<f64>) -> f64 {
        let x = *v.get_ref();
        if !x.is_finite() || x < 0.0 {
            self.err(
                v.span(),
                K::BadValue {
                    value: x,
                    rule: ValueRule::NotNegative,
                },
            );
        }
        x
    }
}

const REPORT_CYCLES: &[(&str, crate::plan::ReportCycle)] = &[
    ("monthly", crate::plan::ReportCycle::Monthly),
    ("quarterly", crate::plan::ReportCycle::Quarterly),
];
const UNIT_KINDS: &[(&str, UnitKind)] = &[
    ("city", UnitKind::City),
    ("county", UnitKind::County),
    ("zone", UnitKind::Zone),
];
const DEPARTMENT_KINDS: &[(&str, DepartmentKind)] = &[
    ("lead", DepartmentKind::Lead),
    ("implementing", DepartmentKind::Implementing),
    ("dispatch", DepartmentKind::Dispatch),
    ("source", DepartmentKind::Source),
];
const FIGURE_KINDS: &[(&str, FigureKind)] = &[
    ("cumulative", FigureKind::Cumulative),
    ("level", FigureKind::Level),
    ("rate", FigureKind::Rate),
    ("rank", FigureKind::Rank),
];
const FREQUENCIES: &[(&str, Frequency)] = &[
    ("monthly", Frequency::Monthly),
    ("quarterly", Frequency::Quarterly),
    ("yearly", Frequency::Yearly),
];
const INDICATOR_KINDS: &[(&str, IndicatorKind)] = &[
    ("rate", IndicatorKind::Rate),
    ("share", IndicatorKind::Share),
    ("stock", IndicatorKind::Stock),
    ("flow", IndicatorKind::Flow),
    ("rank", IndicatorKind::Rank),
];
const COMPARATORS: &[(&str, Comparator)] = &[
    (">=", Comparator::AtLeast),
    ("<=", Comparator::AtMost),
    ("between", Comparator::Between),
];
const TASK_KINDS: &[(&str, TaskKind)] =
    &[("key", TaskKind::Key), ("safeguard", TaskKind::Safeguard)];
const SCOPES: &[(&str, Scope)] = &[
    ("all_zones", Scope::AllZones),
    ("each_zone", Scope::EachZone),
];
const CADENCES: &[(&str, Cadence)] = &[
    ("once", Cadence::Once),
    ("yearly", Cadence::Yearly),
    ("standing", Cadence::Standing),
];

/// TOML reports an unknown field at the table that holds it; point at the key itself instead.
fn unknown_field_key(source: &str, table: Range<usize>, detail: &str) -> Option<Range<usize>> {
    let key = detail.strip_prefix("unknown field `")?.split('`').next()?;
    let body = source.get(table.clone())?;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if let Some(rest) = line.trim_start().strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = table.start + at + indent;
            return Some(start..start + key.len());
        }
        at += line.len();
    }
    None
}

/// Line breaks as old Mac editors wrote them (a lone CR), which TOML does not accept, made into
/// LF — one byte for one, so every position stays where it was. CRLF is left as it is.
fn lone_crs_as_lf(source: &str) -> std::borrow::Cow<'_, str> {
    let bytes = source.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(source);
    }
    std::borrow::Cow::Owned(
        source
            .char_indices()
            .map(|(i, c)| if c == '\r' && lone(i) { '\n' } else { c })
            .collect(),
    )
}

pub(super) fn parse(file: &str, source: &str) -> Result<Plan, PlanErrors> {
    let source = &*lone_crs_as_lf(source);
    let raw: RawFile = toml::from_str(source).map_err(|e| {
        // Empty when the parser has nothing to say: the message then says what it likely is.
        let detail = e.message().trim().to_string();
        let span = e
            .span()
            .map(|span| unknown_field_key(source, span.clone(), &detail).unwrap_or(span));
        PlanErrors::new(file, source, vec![(span, K::Syntax { detail })])
    })?;
    let mut c = Check {
        source,
        errors: Vec::new(),
    };
    let plan = check(&mut c, raw);
    if c.errors.is_empty() {
        Ok(plan)
    } else {
        Err(PlanErrors::new(file, source, c.errors))
    }
}

fn check(c: &mut Check<'_>, raw: RawFile) -> Plan {
    let text = PlanText {
        body: raw.text.body.get_ref().clone(),
    };
    if text.body.trim().is_empty() {
        c.err(raw.text.body.span(), K::Empty { field: "text.body" });
    }
    let index = TextIndex::new(&text.body);

    let h = &raw.plan;
    let period = match h.period.get_ref().as_slice() {
        [a, b] if a <= b && i32::try_from(*a).is_ok() && i32::try_from(*b).is_ok() => Period {
            start: *a as i32,
            end: *b as i32,
        },
        _ => {
            c.err(h.period.span(), K::BadPeriod);
            Period { start: 0, end: 0 }
        }
    };

    // Units.
    let mut seen = HashMap::new();
    let unit_ids: Vec<String> = raw
        .unit
        .iter()
        .map(|u| c.define(&u.id, Entity::Unit, &mut seen))
        .collect();
    let mut units = Vec::new();
    for u in &raw.unit {
        let kind = c.choice(&u.kind, "kind", UNIT_KINDS, &["city", "county", "zone"]);
        let parent = u
            .parent
            .as_ref()
            .and_then(|p| c.refer(p, Entity::Unit, &unit_ids));
        let share_base = u
            .share_base
            .as_ref()
            .and_then(|p| c.refer(p, Entity::Unit, &unit_ids));
        units.push(Unit {
            id: u.id.get_ref().clone(),
            name: c.text(&u.name, "name"),
            kind: kind.unwrap_or(UnitKind::City),
            parent,
            share_base,
        });
    }
    let zone_ids: Vec<String> = units
        .iter()
        .filter(|u| u.kind == UnitKind::Zone)
        .map(|u| u.id.clone())
        .collect();

    // Departments.
    let mut seen = HashMap::new();
    let dept_ids: Vec<String> = raw
        .department
        .iter()
        .map(|d| c.define(&d.id, Entity::Department, &mut seen))
        .collect();
    let mut departments = Vec::new();
    for d in &raw.department {
        let kind = c.choice(
            &d.kind,
            "kind",
            DEPARTMENT_KINDS,
            &["lead", "implementing", "dispatch", "source"],
        );
        let unit = d
            .unit
            .as_ref()
            .and_then(|u| c.refer(u, Entity::Unit, &unit_ids));
        departments.push(Department {
            id: d.id.get_ref().clone(),
            name: c.text(&d.name, "name"),
            kind: kind.unwrap_or(DepartmentKind::Lead),
            unit,
        });
    }
    let dept_kind = |id: &str| departments.iter().find(|d| d.id == id).map(|d| d.kind);
    let departments_of_kind = |list: &[S<String>], want: DepartmentKind, c: &mut Check<'_>| {
        let mut out = Vec::new();
        for v in list {
            if let Some(id) = c.refer(v, Entity::Department, &dept_ids) {
                if dept_kind(&id) != Some(want) {
                    let expected = match want {
                        DepartmentKind::Lead => "\"lead\"",
                        DepartmentKind::Implementing => "\"implementing\"",
                        DepartmentKind::Dispatch => "\"dispatch\"",
                        DepartmentKind::Source => "\"source\"",
                    };
                    c.err(
                        v.span(),
                        K::WrongDepartmentKind {
                            id: id.clone(),
                            expected,
                        },
                    );
                }
                out.push(id);
            }
        }
        out
    };

    let implementing_units =
        departments_of_kind(&h.implementing_units, DepartmentKind::Implementing, c);
    let implementing_quote = c.quote(&h.implementing_quote, &index);
    let mut industries: Vec<String> = Vec::new();
    for i in &h.industries {
        let name = c.text(i, "industries");
        if industries.contains(&name) || name == crate::known::OTHER_INDUSTRY {
            c.err(i.span(), K::DuplicateIndustry { name });
        } else {
            industries.push(name);
        }
    }
    let industries_quote = h.industries_quote.as_ref().map(|q| c.quote(q, &index));

    // Monitoring settings and base figures.
    let defaults = Monitoring::default();
    let monitoring = match &raw.monitoring {
        None => defaults,
        Some(m) => Monitoring {
            deadline_day: match &m.deadline_day {
                None => defaults.deadline_day,
                Some(d) => match u32::try_from(*d.get_ref()) {
                    Ok(day @ 1..=28) => day,
                    _ => {
                        c.err(
                            d.span(),
                            K::BadValue {
                                value: *d.get_ref() as f64,
                                rule: ValueRule::DayOfMonth,
                            },
                        );
                        defaults.deadline_day
                    }
                },
            },
            swing_percent: m
                .swing_percent
                .as_ref()
                .map_or(defaults.swing_percent, |v| c.not_negative(v)),
            stage_days: c.days(&m.stage_days, defaults.stage_days),
            warn_days: c.days(&m.warn_days, defaults.warn_days),
            report_cycle: m
                .report_cycle
                .as_ref()
                .and_then(|v| c.choice(v, "report_cycle", REPORT_CYCLES, &["monthly", "quarterly"]))
                .unwrap_or(defaults.report_cycle),
            report_day: match &m.report_day {
                None => defaults.report_day,
                Some(d) => match u32::try_from(*d.get_ref()) {
                    Ok(day @ 1..=28) => day,
                    _ => {
                        c.err(
                            d.span(),
                            K::BadValue {
                                value: *d.get_ref() as f64,
                                rule: ValueRule::DayOfMonth,
                            },
                        );
                        defaults.report_day
                    }
                },
            },
        },
    };
    let mut seen = HashMap::new();
    let figure_ids: Vec<String> = raw
        .figure
        .iter()
        .map(|f| c.define(&f.id, Entity::Figure, &mut seen))
        .collect();
    let mut figures = Vec::new();
    for f in &raw.figure {
        let kind = c.choice(
            &f.kind,
            "kind",
            FIGURE_KINDS,
            &["cumulative", "level", "rate", "rank"],
        );
        let frequency = c.choice(
            &f.frequency,
            "frequency",
            FREQUENCIES,
            &["monthly", "quarterly", "yearly"],
        );
        let source = c.refer(&f.source, Entity::Department, &dept_ids);
        let counted = f.counted.as_ref().and_then(|v| {
            let count = c.counted(v)?;
            let needs = match count.window {
                crate::known::Window::InForce => ("level", FigureKind::Level),
                crate::known::Window::YearToDate => ("cumulative", FigureKind::Cumulative),
            };
            if kind.is_some_and(|k| k != needs.1) {
                c.err(
                    v.span(),
                    K::CountedKind {
                        count: count.id.to_string(),
                        needs: needs.0,
                    },
                );
            }
            Some(count.id.to_string())
        });
        figures.push(Figure {
            id: f.id.get_ref().clone(),
            name: c.text(&f.name, "name"),
            unit: c.text(&f.unit, "unit"),
            kind: kind.unwrap_or(FigureKind::Level),
            frequency: frequency.unwrap_or(Frequency::Monthly),
            source: source.unwrap_or_default(),
            swing_percent: f.swing_percent.as_ref().map(|v| c.not_negative(v)),
            counted,
        });
    }

    // Indicators.
    let mut seen = HashMap::new();
    let indicator_ids: Vec<String> = raw
        .indicator
        .iter()
        .map(|i| c.define(&i.id, Entity::Indicator, &mut seen))
        .collect();
    let mut indicators = Vec::new();
    for i in &raw.indicator {
        let kind = c.choice(
            &i.kind,
            "kind",
            INDICATOR_KINDS,
            &["rate", "share", "stock", "flow", "rank"],
        );
        let figure = i
            .figure
            .as_ref()
            .and_then(|f| c.refer(f, Entity::Figure, &figure_ids));
        if let (Some(kind), Some(fig), Some(at)) = (
            kind,
            figure
                .as_ref()
                .and_then(|id| figures.iter().find(|f| &f.id == id)),
            i.figure.as_ref(),
        ) && !figure_fits(kind, fig.kind)
        {
            c.err(
                at.span(),
                K::FigureKindMismatch {
                    figure: fig.id.clone(),
                    allowed: allowed_figure_kinds(kind),
                },
            );
        }
        let tolerance = match (&i.tolerance, &i.tolerance_percent) {
            (Some(a), Some(_)) => {
                c.err(a.span(), K::TwoTolerances);
                None
            }
            (Some(a), None) => Some(Tolerance::Absolute(c.not_negative(a))),
            (None, Some(p)) => Some(Tolerance::Percent(c.not_negative(p))),
            (None, None) => None,
        };
        let comparator = c.choice(
            &i.comparator,
            "comparator",
            COMPARATORS,
            &[">=", "<=", "between"],
        );
        indicators.push(Indicator {
            id: i.id.get_ref().clone(),
            name: c.text(&i.name, "name"),
            kind: kind.unwrap_or(IndicatorKind::Rate),
            unit: c.text(&i.unit, "unit"),
            comparator: comparator.unwrap_or(Comparator::AtLeast),
            basis: c.text(&i.basis, "basis"),
            figure,
            tolerance,
        });
    }

    // Targets.
    let mut targets = Vec::new();
    let mut seen_targets: HashMap<(String, String, i64), Range<usize>> = HashMap::new();
    for t in &raw.target {
        let zone = c.refer(&t.zone, Entity::Unit, &unit_ids);
        if let Some(z) = &zone
            && !zone_ids.contains(z)
        {
            c.err(t.zone.span(), K::NotAZone { id: z.clone() });
        }
        let indicator = c.refer(&t.indicator, Entity::Indicator, &indicator_ids);
        let year = c.year(&t.year, period);
        let value = c.not_negative(&t.value);
        let ind = indicator
            .as_ref()
            .and_then(|id| indicators.iter().find(|i| &i.id == id));
        match ind.map(|i| i.kind) {
            Some(IndicatorKind::Share) => {
                if value > 100.0 {
                    c.err(t.value.span(), K::ShareAbove100 { value });
                }
                if let Some(u) = zone
                    .as_ref()
                    .and_then(|z| units.iter().find(|u| &u.id == z))
                    && u.kind == UnitKind::Zone
                    && u.share_base.is_none()
                {
                    c.err(t.zone.span(), K::ShareWithoutBase { zone: u.id.clone() });
                }
            }
            Some(IndicatorKind::Rank) if value < 1.0 || value.fract() != 0.0 => {
                c.err(
                    t.value.span(),
                    K::BadValue {
                        value,
                        rule: ValueRule::RankFromOne,
                    },
                );
            }
            _ => {}
        }
        let quote = c.quote(&t.quote, &index);
        if let (Some(zone), Some(indicator)) = (zone, indicator) {
            let key = (zone.clone(), indicator.clone(), *t.year.get_ref());
            if let Some(first) = seen_targets.get(&key) {
                let first_line = c.line(first);
                c.err(
                    t.year.span(),
                    K::DuplicateTarget {
                        zone: key.0,
                        indicator: key.1,
                        year: key.2,
                        first_line,
                    },
                );
            } else {
                seen_targets.insert(key, t.zone.span());
            }
            targets.push(Target {
                zone,
                indicator,
                year,
                value,
                quote,
            });
        }
    }

    // Groups and tasks.
    let mut seen = HashMap::new();
    let group_ids: Vec<String> = raw
        .group
        .iter()
        .map(|g| c.define(&g.id, Entity::Group, &mut seen))
        .collect();
    let mut groups = Vec::new();
    for g in &raw.group {
        let kind = c.choice(&g.kind, "kind", TASK_KINDS, &["key", "safeguard"]);
        groups.push(TaskGroup {
            id: g.id.get_ref().clone(),
            label: c.text(&g.label, "label"),
            title: c.text(&g.title, "title"),
            kind: kind.unwrap_or(TaskKind::Key),
            quote: c.quote(&g.quote, &index),
        });
    }
    let mut seen = HashMap::new();
    let task_ids: Vec<String> = raw
        .task
        .iter()
        .map(|t| c.define(&t.id, Entity::Task, &mut seen))
        .collect();
    let mut tasks = Vec::new();
    for t in &raw.task {
        let group = c.refer(&t.group, Entity::Group, &group_ids);
        let kind = group
            .as_ref()
            .and_then(|g| groups.iter().find(|x| &x.id == g))
            .map(|g| g.kind);
        let lead = departments_of_kind(&t.lead, DepartmentKind::Lead, c);
        if kind == Some(TaskKind::Key) && t.lead.is_empty() {
            c.err(t.title.span(), K::NoLead);
        }
        let implementing = match &t.implementing {
            Some(list) => departments_of_kind(list, DepartmentKind::Implementing, c),
            None => implementing_units.clone(),
        };
        tasks.push(Task {
            id: t.id.get_ref().clone(),
            group: group.unwrap_or_default(),
            no: *t.no.get_ref(),
            title: c.text(&t.title, "title"),
            lead,
            lead_and_others: t.lead_and_others,
            implementing,
            quote: c.quote(&t.quote, &index),
        });
    }

    // Sub-targets.
    let mut seen = HashMap::new();
    let mut subtargets = Vec::new();
    for s in &raw.subtarget {
        let id = c.define(&s.id, Entity::SubTarget, &mut seen);
        let task = c.refer(&s.task, Entity::Task, &task_ids);
        let scope = c.choice(&s.scope, "scope", SCOPES, &["all_zones", "each_zone"]);
        let cadence = c.choice(
            &s.cadence,
            "cadence",
            CADENCES,
            &["once", "yearly", "standing"],
        );
        let comparator = c.choice(
            &s.comparator,
            "comparator",
            COMPARATORS,
            &[">=", "<=", "between"],
        );
        let year = s.year.as_ref().map(|y| c.year(y, period));
        if (cadence == Some(Cadence::Once)) != year.is_some() && cadence.is_some() {
            c.err(s.cadence.span(), K::BadYearForCadence);
        }
        let value = c.not_negative(&s.value);
        let max = s.max.as_ref().map(|m| c.not_negative(m));
        let range_ok = match (comparator, max) {
            (Some(Comparator::Between), Some(m)) => m >= value,
            (Some(Comparator::Between), None) => false,
            (_, Some(_)) => false,
            (_, None) => true,
        };
        if !range_ok {
            c.err(s.comparator.span(), K::BadRange);
        }
        let unit = c.text(&s.unit, "unit");
        if unit == "%" && (value > 100.0 || max.is_some_and(|m| m > 100.0)) {
            c.err(
                s.value.span(),
                K::ShareAbove100 {
                    value: max.unwrap_or(value).max(value),
                },
            );
        }
        subtargets.push(SubTarget {
            id,
            task: task.unwrap_or_default(),
            name: c.text(&s.name, "name"),
            scope: scope.unwrap_or(Scope::EachZone),
            cadence: cadence.unwrap_or(Cadence::Standing),
            year,
            comparator: comparator.unwrap_or(Comparator::AtLeast),
            value,
            max,
            unit,
            quote: c.quote(&s.quote, &index),
            counted: s
                .counted
                .as_ref()
                .and_then(|v| c.counted(v))
                .map(|count| count.id.to_string()),
        });
    }

    // Which department keeps which ledger for the whole city.
    let mut ledger_keepers = Vec::new();
    for (ledger, dept) in &raw.ledgers {
        if !crate::known::LEDGER_IDS.contains(&ledger.as_str()) {
            c.err(
                dept.span(),
                K::UnknownLedger {
                    id: ledger.clone(),
                    known: crate::known::LEDGER_IDS
                        .iter()
                        .map(|id| id.to_string())
                        .collect(),
                },
            );
            continue;
        }
        if let Some(d) = c.refer(dept, Entity::Department, &dept_ids) {
            ledger_keepers.push((ledger.clone(), d));
        }
    }

    let plan_id = c.id(&h.id);
    Plan {
        id: plan_id,
        title: c.text(&h.title, "title"),
        edition: c.text(&h.edition, "edition"),
        period,
        implementing_units,
        implementing_quote,
        industries,
        industries_quote,
        units,
        departments,
        indicators,
        figures,
        monitoring,
        targets,
        groups,
        tasks,
        subtargets,
        ledger_keepers,
        text,
    }
}

/// Which figure kinds an indicator of `kind` can be computed from.
fn allowed_figure_kinds(kind: IndicatorKind) -> &'static [&'static str] {
    match kind {
        IndicatorKind::Rate => &["cumulative", "rate"],
        IndicatorKind::Share => &["cumulative", "level"],
        IndicatorKind::Stock => &["level"],
        IndicatorKind::Flow => &["cumulative"],
        IndicatorKind::Rank => &["rank"],
    }
}

fn figure_fits(kind: IndicatorKind, figure: FigureKind) -> bool {
    let name = FIGURE_KINDS
        .iter()
        .find(|(_, k)| *k == figure)
        .map_or("", |(n, _)| *n);
    allowed_figure_kinds(kind).contains(&name)
}
