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
    /// For a rank: the evaluation framework and peer set it is judged by.
    framework: Option<S<String>>,
    peers: Option<S<String>>,
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

    /// A well-formed id: lower-case letters, digits and hyphens.
    fn id(&mut self, v: &S<String>) -> String {
        let id = v.get_ref().clone();
        if !is_id(&id) {
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

/// Whether `id` is well formed: lower-case letters, digits and hyphens, starting with a letter
/// or digit. Framework files follow the same rule.
pub(crate) fn is_id(id: &str) -> bool {
    id.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
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
    let period = check_period(c, h);
    let (units, unit_ids) = check_units(c, &raw.unit);
    let zone_ids: Vec<String> = units
        .iter()
        .filter(|u| u.kind == UnitKind::Zone)
        .map(|u| u.id.clone())
        .collect();
    let (departments, dept_ids) = check_departments(c, &raw.department, &unit_ids);
    let of_kind = Departments {
        departments: &departments,
        ids: &dept_ids,
    };
    let implementing_units =
        of_kind.of_kind(c, &h.implementing_units, DepartmentKind::Implementing);
    let implementing_quote = c.quote(&h.implementing_quote, &index);
    let industries = check_industries(c, &h.industries);
    let industries_quote = h.industries_quote.as_ref().map(|q| c.quote(q, &index));
    let monitoring = check_monitoring(c, raw.monitoring.as_ref());
    let (figures, figure_ids) = check_figures(c, &raw.figure, &dept_ids);
    let (indicators, indicator_ids) = check_indicators(c, &raw.indicator, &figures, &figure_ids);
    let targets = check_targets(
        c,
        &raw.target,
        &Known {
            units: &units,
            unit_ids: &unit_ids,
            zone_ids: &zone_ids,
            indicators: &indicators,
            indicator_ids: &indicator_ids,
            period,
            index: &index,
        },
    );
    let (groups, tasks, task_ids) = check_tasks(
        c,
        (&raw.group, &raw.task),
        &of_kind,
        &implementing_units,
        &index,
    );
    let subtargets = check_subtargets(c, &raw.subtarget, &task_ids, period, &index);
    let ledger_keepers = check_ledger_keepers(c, &raw.ledgers, &dept_ids);
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

/// The plan's years, `[start, end]`.
fn check_period(c: &mut Check<'_>, h: &RawHeader) -> Period {
    match h.period.get_ref().as_slice() {
        [a, b] if a <= b && i32::try_from(*a).is_ok() && i32::try_from(*b).is_ok() => Period {
            start: *a as i32,
            end: *b as i32,
        },
        _ => {
            c.err(h.period.span(), K::BadPeriod);
            Period { start: 0, end: 0 }
        }
    }
}

/// Units (city, counties, zones) and their ids.
fn check_units(c: &mut Check<'_>, raw_units: &[RawUnit]) -> (Vec<Unit>, Vec<String>) {
    let mut seen = HashMap::new();
    let unit_ids: Vec<String> = raw_units
        .iter()
        .map(|u| c.define(&u.id, Entity::Unit, &mut seen))
        .collect();
    let mut units = Vec::new();
    for u in raw_units {
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
    (units, unit_ids)
}

/// Departments and their ids.
fn check_departments(
    c: &mut Check<'_>,
    raw_departments: &[RawDepartment],
    unit_ids: &[String],
) -> (Vec<Department>, Vec<String>) {
    let mut seen = HashMap::new();
    let dept_ids: Vec<String> = raw_departments
        .iter()
        .map(|d| c.define(&d.id, Entity::Department, &mut seen))
        .collect();
    let mut departments = Vec::new();
    for d in raw_departments {
        let kind = c.choice(
            &d.kind,
            "kind",
            DEPARTMENT_KINDS,
            &["lead", "implementing", "dispatch", "source"],
        );
        let unit = d
            .unit
            .as_ref()
            .and_then(|u| c.refer(u, Entity::Unit, unit_ids));
        departments.push(Department {
            id: d.id.get_ref().clone(),
            name: c.text(&d.name, "name"),
            kind: kind.unwrap_or(DepartmentKind::Lead),
            unit,
        });
    }
    (departments, dept_ids)
}

/// The checked departments, for references that must be of a kind.
struct Departments<'a> {
    departments: &'a [Department],
    ids: &'a [String],
}

impl Departments<'_> {
    /// The departments `list` names, each of which must be of kind `want`.
    fn of_kind(&self, c: &mut Check<'_>, list: &[S<String>], want: DepartmentKind) -> Vec<String> {
        let dept_kind = |id: &str| self.departments.iter().find(|d| d.id == id).map(|d| d.kind);
        let dept_ids = self.ids;
        let mut out = Vec::new();
        for v in list {
            if let Some(id) = c.refer(v, Entity::Department, dept_ids) {
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
    }
}

/// The plan's leading industries (其他 is every list's last and is not written).
fn check_industries(c: &mut Check<'_>, raw_industries: &[S<String>]) -> Vec<String> {
    let mut industries: Vec<String> = Vec::new();
    for i in raw_industries {
        let name = c.text(i, "industries");
        if industries.contains(&name) || name == crate::known::OTHER_INDUSTRY {
            c.err(i.span(), K::DuplicateIndustry { name });
        } else {
            industries.push(name);
        }
    }
    industries
}

/// The monitoring settings, defaults where the file says nothing.
fn check_monitoring(c: &mut Check<'_>, raw_monitoring: Option<&RawMonitoring>) -> Monitoring {
    let defaults = Monitoring::default();
    match raw_monitoring {
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
    }
}

/// Base figures (基础数据) and their ids.
fn check_figures(
    c: &mut Check<'_>,
    raw_figures: &[RawFigure],
    dept_ids: &[String],
) -> (Vec<Figure>, Vec<String>) {
    let mut seen = HashMap::new();
    let figure_ids: Vec<String> = raw_figures
        .iter()
        .map(|f| c.define(&f.id, Entity::Figure, &mut seen))
        .collect();
    let mut figures = Vec::new();
    for f in raw_figures {
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
        let source = c.refer(&f.source, Entity::Department, dept_ids);
        let counted = f.counted.as_ref().and_then(|v| {
            let count = c.counted(v)?;
            let needs = match count.window {
                crate::known::Window::YearToDate => ("cumulative", FigureKind::Cumulative),
                crate::known::Window::InForce | crate::known::Window::All => {
                    ("level", FigureKind::Level)
                }
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

    (figures, figure_ids)
}

/// Indicators and their ids.
fn check_indicators(
    c: &mut Check<'_>,
    raw_indicators: &[RawIndicator],
    figures: &[Figure],
    figure_ids: &[String],
) -> (Vec<Indicator>, Vec<String>) {
    let mut seen = HashMap::new();
    let indicator_ids: Vec<String> = raw_indicators
        .iter()
        .map(|i| c.define(&i.id, Entity::Indicator, &mut seen))
        .collect();
    let mut indicators = Vec::new();
    for i in raw_indicators {
        let kind = c.choice(
            &i.kind,
            "kind",
            INDICATOR_KINDS,
            &["rate", "share", "stock", "flow", "rank"],
        );
        let figure = i
            .figure
            .as_ref()
            .and_then(|f| c.refer(f, Entity::Figure, figure_ids));
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
        let judged_by = match (&i.framework, &i.peers) {
            (None, None) => None,
            (Some(f), Some(p)) => {
                if kind.is_some_and(|k| k != IndicatorKind::Rank) {
                    c.err(f.span(), K::JudgedNotRank);
                }
                Some(JudgedBy {
                    framework: c.id(f),
                    peers: c.id(p),
                })
            }
            (Some(one), None) | (None, Some(one)) => {
                c.err(one.span(), K::JudgedIncomplete);
                None
            }
        };
        indicators.push(Indicator {
            id: i.id.get_ref().clone(),
            name: c.text(&i.name, "name"),
            kind: kind.unwrap_or(IndicatorKind::Rate),
            unit: c.text(&i.unit, "unit"),
            comparator: comparator.unwrap_or(Comparator::AtLeast),
            basis: c.text(&i.basis, "basis"),
            figure,
            tolerance,
            judged_by,
        });
    }

    (indicators, indicator_ids)
}

/// What the targets are checked against.
struct Known<'a> {
    units: &'a [Unit],
    unit_ids: &'a [String],
    zone_ids: &'a [String],
    indicators: &'a [Indicator],
    indicator_ids: &'a [String],
    period: Period,
    index: &'a TextIndex,
}

/// Yearly targets: a zone's indicator in a year, each once.
fn check_targets(c: &mut Check<'_>, raw_targets: &[RawTarget], k: &Known<'_>) -> Vec<Target> {
    let Known {
        units,
        unit_ids,
        zone_ids,
        indicators,
        indicator_ids,
        period,
        index,
    } = *k;
    let mut targets = Vec::new();
    let mut seen_targets: HashMap<(String, String, i64), Range<usize>> = HashMap::new();
    for t in raw_targets {
        let zone = c.refer(&t.zone, Entity::Unit, unit_ids);
        if let Some(z) = &zone
            && !zone_ids.contains(z)
        {
            c.err(t.zone.span(), K::NotAZone { id: z.clone() });
        }
        let indicator = c.refer(&t.indicator, Entity::Indicator, indicator_ids);
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
        let quote = c.quote(&t.quote, index);
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

    targets
}

/// Task groups, tasks and the tasks' ids.
fn check_tasks(
    c: &mut Check<'_>,
    (raw_groups, raw_tasks): (&[RawGroup], &[RawTask]),
    departments: &Departments<'_>,
    implementing_units: &[String],
    index: &TextIndex,
) -> (Vec<TaskGroup>, Vec<Task>, Vec<String>) {
    let mut seen = HashMap::new();
    let group_ids: Vec<String> = raw_groups
        .iter()
        .map(|g| c.define(&g.id, Entity::Group, &mut seen))
        .collect();
    let mut groups = Vec::new();
    for g in raw_groups {
        let kind = c.choice(&g.kind, "kind", TASK_KINDS, &["key", "safeguard"]);
        groups.push(TaskGroup {
            id: g.id.get_ref().clone(),
            label: c.text(&g.label, "label"),
            title: c.text(&g.title, "title"),
            kind: kind.unwrap_or(TaskKind::Key),
            quote: c.quote(&g.quote, index),
        });
    }
    let mut seen = HashMap::new();
    let task_ids: Vec<String> = raw_tasks
        .iter()
        .map(|t| c.define(&t.id, Entity::Task, &mut seen))
        .collect();
    let mut tasks = Vec::new();
    for t in raw_tasks {
        let group = c.refer(&t.group, Entity::Group, &group_ids);
        let kind = group
            .as_ref()
            .and_then(|g| groups.iter().find(|x| &x.id == g))
            .map(|g| g.kind);
        let lead = departments.of_kind(c, &t.lead, DepartmentKind::Lead);
        if kind == Some(TaskKind::Key) && t.lead.is_empty() {
            c.err(t.title.span(), K::NoLead);
        }
        let implementing = match &t.implementing {
            Some(list) => departments.of_kind(c, list, DepartmentKind::Implementing),
            None => implementing_units.to_vec(),
        };
        tasks.push(Task {
            id: t.id.get_ref().clone(),
            group: group.unwrap_or_default(),
            no: *t.no.get_ref(),
            title: c.text(&t.title, "title"),
            lead,
            lead_and_others: t.lead_and_others,
            implementing,
            quote: c.quote(&t.quote, index),
        });
    }

    (groups, tasks, task_ids)
}

/// Quantified sub-targets of the tasks.
fn check_subtargets(
    c: &mut Check<'_>,
    raw_subtargets: &[RawSubTarget],
    task_ids: &[String],
    period: Period,
    index: &TextIndex,
) -> Vec<SubTarget> {
    let mut seen = HashMap::new();
    let mut subtargets = Vec::new();
    for s in raw_subtargets {
        let id = c.define(&s.id, Entity::SubTarget, &mut seen);
        let task = c.refer(&s.task, Entity::Task, task_ids);
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
        let counted = s.counted.as_ref().and_then(|v| {
            let count = c.counted(v)?;
            check_counted_subtarget(c, v, count, &unit, cadence);
            Some(count.id.to_string())
        });
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
            quote: c.quote(&s.quote, index),
            counted,
        });
    }

    subtargets
}

/// A sub-target counted from a ledger takes what the count gives: a share (%) from a share, a
/// number from a number; a yearly or one-year target may take the year's records or those in
/// force, a standing one only those in force (a year's records restart every January).
fn check_counted_subtarget(
    c: &mut Check<'_>,
    v: &S<String>,
    count: &crate::known::Count,
    unit: &str,
    cadence: Option<Cadence>,
) {
    let share = count.tally == crate::known::Tally::Unflagged;
    if share != (unit == "%") {
        c.err(
            v.span(),
            K::CountedUnit {
                count: count.id.to_string(),
                share,
            },
        );
    }
    if cadence == Some(Cadence::Standing) && count.window == crate::known::Window::YearToDate {
        c.err(
            v.span(),
            K::CountedStanding {
                count: count.id.to_string(),
            },
        );
    }
}

/// Which department keeps which ledger for the whole city.
fn check_ledger_keepers(
    c: &mut Check<'_>,
    raw_ledgers: &std::collections::BTreeMap<String, S<String>>,
    dept_ids: &[String],
) -> Vec<(String, String)> {
    let mut ledger_keepers = Vec::new();
    for (ledger, dept) in raw_ledgers {
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
        if let Some(d) = c.refer(dept, Entity::Department, dept_ids) {
            ledger_keepers.push((ledger.clone(), d));
        }
    }

    ledger_keepers
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
