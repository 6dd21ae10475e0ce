//! 指标监测 — from base figures to each target's actual value, expected value (序时进度),
//! status light and year-end forecast. Pure arithmetic over a [`Figures`] set: the same figures
//! give the same answer whatever order they were entered in.

pub mod compare;
pub mod import;
mod messages;
mod period;
pub mod sample;
pub mod subtarget;
pub mod workflow;

pub use period::YearMonth;
pub use workflow::FigureState;

use crate::plan::{
    Comparator, Figure, FigureKind, Indicator, IndicatorKind, Plan, Target, Tolerance,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One reported value of a figure, as far as the arithmetic needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observation {
    pub value: f64,
    pub state: FigureState,
    /// Changed after it had been confirmed.
    pub revised: bool,
    /// 示例数据.
    pub sample: bool,
}

/// The figures that count (submitted, reviewed or confirmed), by unit, figure and period.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// unit → figure → period → value.
    series: HashMap<String, HashMap<String, BTreeMap<YearMonth, Observation>>>,
}

impl Figures {
    pub fn new() -> Figures {
        Figures::default()
    }

    /// Adds a value; values in states that do not count (draft, returned) are ignored.
    pub fn insert(&mut self, unit: &str, figure: &str, period: YearMonth, obs: Observation) {
        if !obs.state.counts() {
            return;
        }
        let by_figure = match self.series.get_mut(unit) {
            Some(f) => f,
            None => self.series.entry(unit.to_string()).or_default(),
        };
        let periods = match by_figure.get_mut(figure) {
            Some(p) => p,
            None => by_figure.entry(figure.to_string()).or_default(),
        };
        periods.insert(period, obs);
    }

    /// Leaves out the values waiting for review that `who` may not read yet
    /// ([`workflow::may_read_unreviewed`]): what a reader's cockpit is computed from.
    pub fn hide_unreviewed(&mut self, plan: &Plan, who: crate::auth::Who<'_>) {
        for (unit, by_figure) in &mut self.series {
            for (figure, periods) in by_figure.iter_mut() {
                let readable = plan
                    .figure(figure)
                    .is_none_or(|f| workflow::may_read_unreviewed(plan, who, unit, f));
                if !readable {
                    periods.retain(|_, o| o.state != FigureState::Submitted);
                }
            }
        }
    }

    /// Drops every value of `figure` (typed values of a figure the ledgers count).
    pub fn forget(&mut self, figure: &str) {
        for by_figure in self.series.values_mut() {
            by_figure.remove(figure);
        }
    }

    pub fn get(&self, unit: &str, figure: &str, period: YearMonth) -> Option<Observation> {
        self.series
            .get(unit)
            .and_then(|f| f.get(figure))
            .and_then(|s| s.get(&period))
            .copied()
    }

    /// The last value of a year (the year's closing value for levels).
    fn last_of_year(
        &self,
        unit: &str,
        figure: &str,
        year: i32,
    ) -> Option<(YearMonth, Observation)> {
        let s = self.series.get(unit)?.get(figure)?;
        s.range(YearMonth::first_of(year)..=YearMonth::last_of(year))
            .next_back()
            .map(|(p, o)| (*p, *o))
    }
}

/// 绿 / 黄 / 红 / 灰.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Green,
    Yellow,
    Red,
    /// Not reported yet.
    Gray,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Yellow => "yellow",
            Status::Red => "red",
            Status::Gray => "gray",
        }
    }
}

/// How the expected value (序时进度) was set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Expected {
    /// Rates, shares and ranks: the target itself.
    Target,
    /// Flows: the target times the share of the year elapsed.
    Prorated { months: u32 },
    /// Stocks: linear from last year's closing value to this year's target.
    Linear {
        close: f64,
        close_period: YearMonth,
        months: u32,
    },
    /// Stocks without last year's closing value: the target itself.
    TargetNoClose,
}

/// How the year-end forecast (预计全年) was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    /// The latest value held to year end (rates, shares, ranks: a year-to-date figure already
    /// is the year's best estimate; a cumulative rate equals scaling by last year's pattern).
    HoldLatest,
    /// This year's count scaled by last year's share of the full year reached by this month.
    LastYearPattern,
    /// This year's count scaled linearly to twelve months.
    Linear,
    /// A stock's change since last year's close, continued linearly to December.
    LinearFromClose,
}

impl ForecastMethod {
    pub fn code(self) -> &'static str {
        match self {
            ForecastMethod::HoldLatest => "hold_latest",
            ForecastMethod::LastYearPattern => "last_year_pattern",
            ForecastMethod::Linear => "linear",
            ForecastMethod::LinearFromClose => "linear_from_close",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Forecast {
    pub value: f64,
    pub method: ForecastMethod,
}

/// A figure value an actual value was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub unit: String,
    pub figure: String,
    pub period: YearMonth,
    pub value: f64,
    pub state: FigureState,
    pub revised: bool,
    pub sample: bool,
}

/// One indicator of one zone at one period: the answer to "where do we stand".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub zone: String,
    pub indicator: String,
    pub target: f64,
    pub comparator: Comparator,
    /// The period the actual value is for: the latest reported in the year up to the one asked.
    pub period: Option<YearMonth>,
    /// A period was due after `period` and is not reported.
    pub stale: bool,
    pub actual: Option<f64>,
    pub expected: Option<f64>,
    pub expected_rule: Option<Expected>,
    /// Ahead (+) or behind (−) the expected value, in the indicator's unit, direction-aware.
    pub gap: Option<f64>,
    pub tolerance: Option<f64>,
    pub status: Status,
    pub forecast: Option<Forecast>,
    pub inputs: Vec<Input>,
    /// The indicator has no figure to compute from (not monitored).
    pub undefined: bool,
}

impl Evaluation {
    /// Some input is not confirmed yet.
    pub fn unconfirmed(&self) -> bool {
        self.inputs
            .iter()
            .any(|i| i.state != FigureState::Confirmed)
    }

    /// Some input was changed after confirmation.
    pub fn revised(&self) -> bool {
        self.inputs.iter().any(|i| i.revised)
    }

    /// Some input is sample data (示例数据).
    pub fn sample(&self) -> bool {
        self.inputs.iter().any(|i| i.sample)
    }

    /// The marks shown next to the value: 示例数据, 未确认, 确认后修改, 数据滞后.
    pub fn flags(&self) -> Vec<Flag> {
        let mut f = Vec::new();
        if self.sample() {
            f.push(Flag::Sample);
        }
        if self.unconfirmed() {
            f.push(Flag::Unconfirmed);
        }
        if self.revised() {
            f.push(Flag::Revised);
        }
        if self.stale {
            f.push(Flag::Stale);
        }
        f
    }

    /// How far behind, in tolerances: the order of the lagging list (most behind first).
    pub fn lag(&self) -> f64 {
        match (self.gap, self.tolerance) {
            (Some(g), Some(t)) if t > 0.0 => g / t,
            (Some(g), _) => g,
            _ => 0.0,
        }
    }
}

/// A mark on a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// 示例数据.
    Sample,
    /// 未确认: submitted or reviewed, not confirmed yet.
    Unconfirmed,
    /// 确认后修改.
    Revised,
    /// 数据滞后: a later period is due and not reported.
    Stale,
}

/// The tolerance of an indicator at an expected value: its own, or 1 point for rates and
/// shares and 5 % of the expected value for counts and ranks.
pub fn tolerance(indicator: &Indicator, expected: f64) -> f64 {
    let rule = indicator.tolerance.unwrap_or(match indicator.kind {
        IndicatorKind::Rate | IndicatorKind::Share => Tolerance::Absolute(1.0),
        IndicatorKind::Stock | IndicatorKind::Flow | IndicatorKind::Rank => Tolerance::Percent(5.0),
    });
    match rule {
        Tolerance::Absolute(x) => x,
        Tolerance::Percent(p) => expected.abs() * p / 100.0,
    }
}

/// The direction-aware gap: positive when `actual` is better than `expected`. Indicator targets
/// have a single value, so `between` reads as "at least".
pub fn gap(comparator: Comparator, actual: f64, expected: f64) -> f64 {
    match comparator {
        Comparator::AtLeast | Comparator::Between => actual - expected,
        Comparator::AtMost => expected - actual,
    }
}

/// 绿 at or better than expected; 黄 behind by no more than the tolerance; 红 beyond it.
pub fn judge(comparator: Comparator, actual: f64, expected: f64, tolerance: f64) -> Status {
    // Figures are entered with a few decimals; a difference below this is rounding.
    const EPS: f64 = 1e-9;
    let g = gap(comparator, actual, expected);
    if g >= -EPS {
        Status::Green
    } else if g >= -tolerance - EPS {
        Status::Yellow
    } else {
        Status::Red
    }
}

/// The months of `year` up to `upto`, latest first, for which a figure of `figure`'s frequency
/// is reported.
fn due_months(figure: &Figure, year: i32, upto: u32) -> impl Iterator<Item = YearMonth> + '_ {
    (1..=upto)
        .rev()
        .filter(|m| figure.frequency.is_due(*m))
        .filter_map(move |m| YearMonth::new(year, m))
}

fn input(unit: &str, figure: &Figure, period: YearMonth, o: Observation) -> Input {
    Input {
        unit: unit.to_string(),
        figure: figure.id.clone(),
        period,
        value: o.value,
        state: o.state,
        revised: o.revised,
        sample: o.sample,
    }
}

/// The actual value of an indicator at one period, with the inputs that make it.
fn actual_at(
    plan: &Plan,
    figures: &Figures,
    zone: &str,
    indicator: &Indicator,
    figure: &Figure,
    at: YearMonth,
) -> Option<(f64, Vec<Input>)> {
    let own = figures.get(zone, &figure.id, at)?;
    let one = |v: f64| Some((v, vec![input(zone, figure, at, own)]));
    match (indicator.kind, figure.kind) {
        (IndicatorKind::Rate, FigureKind::Cumulative) => {
            let ly_period = at.last_year();
            let ly = figures.get(zone, &figure.id, ly_period)?;
            if ly.value == 0.0 {
                return None;
            }
            Some((
                (own.value / ly.value - 1.0) * 100.0,
                vec![
                    input(zone, figure, at, own),
                    input(zone, figure, ly_period, ly),
                ],
            ))
        }
        (IndicatorKind::Share, _) => {
            let base = plan.unit(zone)?.share_base.as_deref()?;
            let den = figures.get(base, &figure.id, at)?;
            if den.value == 0.0 {
                return None;
            }
            Some((
                own.value / den.value * 100.0,
                vec![input(zone, figure, at, own), input(base, figure, at, den)],
            ))
        }
        _ => one(own.value),
    }
}

/// Evaluates one target at `at`: the latest value reported in the target's year up to `at`,
/// the value expected by then, the light, and the forecast.
pub fn evaluate(plan: &Plan, figures: &Figures, target: &Target, at: YearMonth) -> Evaluation {
    let indicator = plan.indicator(&target.indicator);
    let comparator = indicator.map_or(Comparator::AtLeast, |i| i.comparator);
    let mut ev = Evaluation {
        zone: target.zone.clone(),
        indicator: target.indicator.clone(),
        target: target.value,
        comparator,
        period: None,
        stale: false,
        actual: None,
        expected: None,
        expected_rule: None,
        gap: None,
        tolerance: None,
        status: Status::Gray,
        forecast: None,
        inputs: Vec::new(),
        undefined: true,
    };
    let Some((indicator, figure)) =
        indicator.and_then(|i| Some((i, plan.figure(i.figure.as_deref()?)?)))
    else {
        return ev;
    };
    ev.undefined = false;
    let year = target.year;
    let upto = if year < at.year { 12 } else { at.month };
    if year > at.year {
        return ev;
    }
    let mut due = due_months(figure, year, upto).peekable();
    let latest_due = due.peek().copied();
    let Some((period, actual, inputs)) = due.find_map(|p| {
        actual_at(plan, figures, &target.zone, indicator, figure, p).map(|(v, i)| (p, v, i))
    }) else {
        return ev;
    };
    ev.stale = latest_due.is_some_and(|d| d > period);
    ev.period = Some(period);
    ev.actual = Some(actual);
    ev.inputs = inputs;

    let close = figures
        .last_of_year(&target.zone, &figure.id, year - 1)
        .map(|(p, c)| (p, c.value));
    let (expected, rule) = expected_at(indicator.kind, target.value, close, period.month);
    let tol = tolerance(indicator, expected);
    ev.expected = Some(expected);
    ev.expected_rule = Some(rule);
    ev.gap = Some(gap(comparator, actual, expected));
    ev.tolerance = Some(tol);
    ev.status = judge(comparator, actual, expected, tol);
    ev.forecast = Some(forecast(
        figures,
        &target.zone,
        indicator,
        figure,
        period,
        actual,
        close,
    ));
    ev
}

/// 序时进度: what a target expects after `months` months of its year, and by which rule.
/// `close` is last year's closing value (and its month), which stocks start from.
fn expected_at(
    kind: IndicatorKind,
    target: f64,
    close: Option<(YearMonth, f64)>,
    months: u32,
) -> (f64, Expected) {
    match kind {
        IndicatorKind::Flow => (
            target * f64::from(months) / 12.0,
            Expected::Prorated { months },
        ),
        IndicatorKind::Stock => match close {
            Some((close_period, c)) => (
                c + (target - c) * f64::from(months) / 12.0,
                Expected::Linear {
                    close: c,
                    close_period,
                    months,
                },
            ),
            None => (target, Expected::TargetNoClose),
        },
        IndicatorKind::Rate | IndicatorKind::Share | IndicatorKind::Rank => {
            (target, Expected::Target)
        }
    }
}

/// 预计全年.
fn forecast(
    figures: &Figures,
    zone: &str,
    indicator: &Indicator,
    figure: &Figure,
    period: YearMonth,
    actual: f64,
    close: Option<(YearMonth, f64)>,
) -> Forecast {
    let months = f64::from(period.month);
    match indicator.kind {
        IndicatorKind::Flow => {
            let ly_same = figures.get(zone, &figure.id, period.last_year());
            let ly_full = figures.get(zone, &figure.id, YearMonth::last_of(period.year - 1));
            match (ly_same, ly_full) {
                (Some(s), Some(f)) if s.value > 0.0 => Forecast {
                    value: actual * f.value / s.value,
                    method: ForecastMethod::LastYearPattern,
                },
                _ => Forecast {
                    value: actual * 12.0 / months,
                    method: ForecastMethod::Linear,
                },
            }
        }
        IndicatorKind::Stock => match close {
            Some((_, c)) => Forecast {
                value: c + (actual - c) * 12.0 / months,
                method: ForecastMethod::LinearFromClose,
            },
            None => Forecast {
                value: actual,
                method: ForecastMethod::HoldLatest,
            },
        },
        IndicatorKind::Rate | IndicatorKind::Share | IndicatorKind::Rank => Forecast {
            value: actual,
            method: ForecastMethod::HoldLatest,
        },
    }
}

/// Every target of a zone for `at`'s year, evaluated, in plan order.
pub fn zone_status(plan: &Plan, figures: &Figures, zone: &str, at: YearMonth) -> Vec<Evaluation> {
    plan.targets_of(zone)
        .filter(|t| t.year == at.year)
        .map(|t| evaluate(plan, figures, t, at))
        .collect()
}

/// How many targets show each light: the city summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    pub gray: usize,
}

impl Summary {
    pub fn of<'a>(evals: impl IntoIterator<Item = &'a Evaluation>) -> Summary {
        Summary::of_lights(evals.into_iter().map(|e| e.status))
    }

    /// How many of `lights` are of each colour (sub-targets, tasks).
    pub fn of_lights(lights: impl IntoIterator<Item = Status>) -> Summary {
        let mut s = Summary::default();
        for status in lights {
            *match status {
                Status::Green => &mut s.green,
                Status::Yellow => &mut s.yellow,
                Status::Red => &mut s.red,
                Status::Gray => &mut s.gray,
            } += 1;
        }
        s
    }

    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Green => self.green,
            Status::Yellow => self.yellow,
            Status::Red => self.red,
            Status::Gray => self.gray,
        }
    }
}

/// The lagging targets (yellow and red), most behind in tolerances first.
pub fn lagging<'a>(evals: impl IntoIterator<Item = &'a Evaluation>) -> Vec<&'a Evaluation> {
    let mut behind: Vec<&Evaluation> = evals
        .into_iter()
        .filter(|e| matches!(e.status, Status::Yellow | Status::Red))
        .collect();
    behind.sort_by(|a, b| a.lag().total_cmp(&b.lag()));
    behind
}

/// A year's path of one target: for each month up to `at`, the actual value (if any) and the
/// value expected then. The trend chart draws it.
pub fn trend(plan: &Plan, figures: &Figures, target: &Target, at: YearMonth) -> Vec<TrendPoint> {
    let upto = if target.year < at.year { 12 } else { at.month };
    (1..=upto)
        .filter_map(|m| YearMonth::new(target.year, m))
        .map(|p| {
            let ev = evaluate(plan, figures, target, p);
            let here = ev.period == Some(p);
            TrendPoint {
                period: p,
                actual: if here { ev.actual } else { None },
                expected: if here {
                    ev.expected
                } else {
                    expected_without_actual(plan, figures, target, p)
                },
            }
        })
        .collect()
}

/// The expected value at a month with no actual value of its own (for the chart's path).
fn expected_without_actual(
    plan: &Plan,
    figures: &Figures,
    target: &Target,
    at: YearMonth,
) -> Option<f64> {
    let indicator = plan.indicator(&target.indicator)?;
    let close = match indicator.kind {
        IndicatorKind::Stock => figures
            .last_of_year(&target.zone, indicator.figure.as_deref()?, target.year - 1)
            .map(|(p, c)| (p, c.value)),
        _ => None,
    };
    Some(expected_at(indicator.kind, target.value, close, at.month).0)
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrendPoint {
    pub period: YearMonth,
    pub actual: Option<f64>,
    pub expected: Option<f64>,
}

/// What each unit owes for `period`: a zone, the figures of the indicators it has targets for
/// that year; a share base (the city, a county), the figures of its zones' share indicators.
/// In plan order, without duplicates.
pub fn owed(plan: &Plan, period: YearMonth) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |unit: &str, figure: &Figure| {
        if figure.frequency.is_due(period.month)
            && figure.counted.is_none()
            && !out.iter().any(|(u, f)| u == unit && *f == figure.id)
        {
            out.push((unit.to_string(), figure.id.clone()));
        }
    };
    for t in plan.targets.iter().filter(|t| t.year == period.year) {
        let Some(ind) = plan.indicator(&t.indicator) else {
            continue;
        };
        let Some(fig) = ind.figure.as_deref().and_then(|f| plan.figure(f)) else {
            continue;
        };
        add(&t.zone, fig);
        if ind.kind == IndicatorKind::Share
            && let Some(base) = plan.unit(&t.zone).and_then(|u| u.share_base.as_deref())
        {
            add(base, fig);
        }
    }
    out
}

/// Year-on-year swing of a value, in %, where it means something (cumulative and level
/// figures with a non-zero value a year before).
pub fn swing(kind: FigureKind, value: f64, last_year: Option<f64>) -> Option<f64> {
    let ly = last_year?;
    (kind.has_swing() && ly != 0.0).then(|| (value / ly - 1.0) * 100.0)
}

/// The swing bound that applies to a figure.
pub fn swing_bound(plan: &Plan, figure: &Figure) -> f64 {
    figure
        .swing_percent
        .unwrap_or(plan.monitoring.swing_percent)
}

#[cfg(test)]
mod tests;
