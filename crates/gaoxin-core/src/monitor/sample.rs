//! 示例数据 — generated figures for demonstrations and benchmarks. Deterministic (the same plan
//! and months give the same numbers), shaped by the plan's own targets so that every light
//! colour appears: some indicators ahead, some just behind, some far behind. Never official
//! statistics: whatever shows them marks them 示例数据.

use super::{FigureState, YearMonth};
use crate::plan::{Comparator, Figure, FigureKind, IndicatorKind, Plan};
use std::collections::HashMap;

/// (unit, figure, period, value).
pub type SampleRow = (String, String, YearMonth, f64);

fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A number in [0, 1) from a hash.
fn unit_interval(parts: &[&str]) -> f64 {
    (hash(parts) % 10_000) as f64 / 10_000.0
}

/// How well a zone does on an indicator: ahead, on target, a little behind, far behind.
fn performance(zone: &str, indicator: &str, comparator: Comparator) -> f64 {
    const AHEAD_FIRST: [f64; 4] = [1.15, 1.0, 0.94, 0.7];
    let f = AHEAD_FIRST[(hash(&[zone, indicator]) % 4) as usize];
    match comparator {
        Comparator::AtMost => 2.0 - f,
        _ => f,
    }
}

/// A month's share of a year's flow: slower in January and February, busier in December.
fn season(month: u32) -> f64 {
    const W: [f64; 12] = [
        0.6, 0.6, 0.9, 1.0, 1.0, 1.05, 1.0, 1.0, 1.05, 1.05, 1.1, 1.65,
    ];
    W[(month as usize).saturating_sub(1).min(11)] / 12.0
}

/// Figures for every zone's monitored indicators (and the share bases they need) from
/// `from` to `to`.
pub fn generate(plan: &Plan, from: YearMonth, to: YearMonth) -> Vec<SampleRow> {
    let mut rows: HashMap<(String, String, YearMonth), f64> = HashMap::new();
    let months: Vec<YearMonth> = {
        let mut v = Vec::new();
        let mut m = from;
        while m <= to {
            v.push(m);
            m = m.next();
        }
        v
    };
    let target = |zone: &str, indicator: &str, year: i32| {
        let first = plan.period.start;
        let y = year.clamp(first, plan.period.end);
        plan.target(zone, indicator, y).map(|t| t.value)
    };
    for zone in plan.zones() {
        // One indicator per zone has nothing reported in the last year yet (a gray light, and
        // an entry on the "not yet reported" list).
        let unreported = plan
            .indicators_of(&zone.id)
            .into_iter()
            .filter(|i| i.kind != IndicatorKind::Rank)
            .min_by_key(|i| hash(&[&zone.id, &i.id, "unreported"]))
            .map(|i| i.id.clone());
        for indicator in plan.indicators_of(&zone.id) {
            let Some(figure) = indicator.figure.as_deref().and_then(|f| plan.figure(f)) else {
                continue;
            };
            let perf = performance(&zone.id, &indicator.id, indicator.comparator);
            let scale = 20.0 + 80.0 * unit_interval(&[&zone.id, &figure.id, "scale"]);
            for &m in &months {
                if !figure.frequency.is_due(m.month)
                    || (m.year == to.year && unreported.as_deref() == Some(&indicator.id))
                {
                    continue;
                }
                let Some(t) = target(&zone.id, &indicator.id, m.year) else {
                    continue;
                };
                let noise =
                    1.0 + 0.02 * (unit_interval(&[&zone.id, &figure.id, &m.to_string()]) - 0.5);
                let key = |unit: &str| (unit.to_string(), figure.id.clone(), m);
                match indicator.kind {
                    IndicatorKind::Rate => {
                        let rate = t * perf;
                        // A reported rate moves from month to month (±4 %), as a year-to-date
                        // growth rate does; it is not a flat line.
                        let drift = 1.0
                            + 0.08
                                * (unit_interval(&[&zone.id, &figure.id, &m.to_string(), "drift"])
                                    - 0.5);
                        let v = match figure.kind {
                            FigureKind::Rate => rate * drift * noise,
                            _ => cumulative(scale, rate, plan.period.start, m, noise),
                        };
                        rows.entry(key(&zone.id)).or_insert(v);
                    }
                    IndicatorKind::Share => {
                        let v = match figure.kind {
                            FigureKind::Level => scale * 3.0 * noise,
                            _ => cumulative(scale, 8.0, plan.period.start, m, noise),
                        };
                        rows.entry(key(&zone.id)).or_insert(v);
                        if let Some(base) = zone.share_base.as_deref() {
                            // The share climbs through the year to where the zone ends it (a
                            // little below last year's end in January), with a wobble: a share
                            // that sits still for eleven months is not a real series.
                            let year_end = (t * perf).clamp(0.5, 95.0);
                            let start = year_end * 0.95;
                            let frac = f64::from(m.month) / 12.0;
                            let wobble = 1.0
                                + 0.02
                                    * (unit_interval(&[
                                        &zone.id,
                                        &figure.id,
                                        &m.to_string(),
                                        "share",
                                    ]) - 0.5);
                            let share = (start + (year_end - start) * frac) * wobble / 100.0;
                            rows.entry(key(base)).or_insert(v / share);
                        }
                    }
                    IndicatorKind::Stock => {
                        let start = t * 0.93;
                        let end = t * perf;
                        let frac = f64::from(m.month) / 12.0;
                        let v = if m.year < plan.period.start {
                            start * (0.97 + 0.03 * frac)
                        } else {
                            start + (end - start) * frac
                        };
                        rows.entry(key(&zone.id)).or_insert(v.round());
                    }
                    IndicatorKind::Flow => {
                        let year_total = t * perf;
                        let so_far: f64 = (1..=m.month).map(season).sum();
                        rows.entry(key(&zone.id))
                            .or_insert((year_total * so_far).round());
                    }
                    IndicatorKind::Rank => {
                        rows.entry(key(&zone.id))
                            .or_insert((t * perf).round().max(1.0));
                    }
                }
            }
        }
    }
    let mut out: Vec<SampleRow> = rows
        .into_iter()
        .map(|((u, f, p), v)| (u, f, p, round2(v)))
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    out
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A year-to-date value growing at `rate` % a year from the base year on.
fn cumulative(monthly: f64, rate: f64, base_year: i32, m: YearMonth, noise: f64) -> f64 {
    let years = m.year - base_year + 1;
    let level = monthly * 12.0 * (1.0 + rate / 100.0).powi(years.max(0));
    let so_far: f64 = (1..=m.month).map(season).sum();
    level * so_far * noise
}

/// Where a sample value stands when the demonstration opens in `current` (the current period),
/// as a real month would: every month before it confirmed; of the month just ended, about half
/// confirmed, some waiting for the dispatch office's confirmation, some for review, and about
/// one in eight not reported yet (`None`); nothing for a month after it, which is not due.
pub fn state_at(
    unit: &str,
    figure: &str,
    period: YearMonth,
    current: YearMonth,
) -> Option<FigureState> {
    use std::cmp::Ordering;
    match period.cmp(&current) {
        Ordering::Less => Some(FigureState::Confirmed),
        Ordering::Greater => None,
        Ordering::Equal => match hash(&[unit, figure, "state"]) % 8 {
            0 => None,
            1 | 2 => Some(FigureState::Submitted),
            3 => Some(FigureState::Reviewed),
            _ => Some(FigureState::Confirmed),
        },
    }
}

/// The figures a generated set covers, for messages.
pub fn figures_covered<'p>(plan: &'p Plan, rows: &[SampleRow]) -> Vec<&'p Figure> {
    plan.figures
        .iter()
        .filter(|f| rows.iter().any(|r| r.1 == f.id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{FigureState, Figures, Observation, Status, zone_status};
    use super::*;

    #[test]
    fn the_current_month_is_partly_reported_and_a_later_one_not_at_all() {
        let nov = YearMonth {
            year: 2026,
            month: 11,
        };
        let figures: Vec<String> = (0..64).map(|i| format!("f{i}")).collect();
        let states: Vec<Option<FigureState>> = figures
            .iter()
            .map(|f| state_at("zone", f, nov, nov))
            .collect();
        for want in [
            None,
            Some(FigureState::Submitted),
            Some(FigureState::Reviewed),
            Some(FigureState::Confirmed),
        ] {
            assert!(states.contains(&want), "{want:?}");
        }
        let confirmed = states
            .iter()
            .filter(|s| **s == Some(FigureState::Confirmed))
            .count();
        assert!((20..=44).contains(&confirmed), "{confirmed} of 64");
        let oct = YearMonth {
            year: 2026,
            month: 10,
        };
        let dec = YearMonth {
            year: 2026,
            month: 12,
        };
        assert!(
            figures
                .iter()
                .all(|f| state_at("zone", f, oct, nov) == Some(FigureState::Confirmed))
        );
        assert!(
            figures
                .iter()
                .all(|f| state_at("zone", f, dec, nov).is_none())
        );
    }

    #[test]
    fn shares_and_rates_move_through_the_year() {
        let plan = match Plan::parse(
            "seed",
            include_str!("../../../../plans/shijiazhuang-2025-2027.toml"),
        ) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let (Some(from), Some(to)) = (YearMonth::new(2026, 1), YearMonth::new(2026, 11)) else {
            return;
        };
        let rows = generate(&plan, from, to);
        let value = |u: &str, f: &str, m: u32| {
            rows.iter()
                .find(|r| r.0 == u && r.1 == f && r.2.month == m)
                .map(|r| r.3)
        };
        let mut checked = 0;
        for zone in plan.zones() {
            for i in plan.indicators_of(&zone.id) {
                let Some(f) = i.figure.as_deref() else {
                    continue;
                };
                let series: Vec<f64> = match (i.kind, zone.share_base.as_deref()) {
                    (IndicatorKind::Share, Some(base)) => (1..=11)
                        .filter_map(|m| Some(value(&zone.id, f, m)? / value(base, f, m)?))
                        .collect(),
                    (IndicatorKind::Rate, _)
                        if plan.figure(f).is_some_and(|x| x.kind == FigureKind::Rate) =>
                    {
                        (1..=11).filter_map(|m| value(&zone.id, f, m)).collect()
                    }
                    _ => continue,
                };
                if series.len() < 6 {
                    continue;
                }
                checked += 1;
                let mut distinct: Vec<i64> = series
                    .iter()
                    .map(|v| (v * 1_000.0).round() as i64)
                    .collect();
                distinct.sort_unstable();
                distinct.dedup();
                assert!(
                    distinct.len() >= series.len() / 2,
                    "{}/{}: {series:?}",
                    zone.id,
                    i.id
                );
                if i.kind == IndicatorKind::Share {
                    assert!(series[series.len() - 1] > series[0], "{}: climbs", i.id);
                }
            }
        }
        assert!(checked >= 2, "the seed plan has shares and rates to check");
    }

    #[test]
    fn sample_figures_light_every_colour() {
        let plan = match Plan::parse(
            "seed",
            include_str!("../../../../plans/shijiazhuang-2025-2027.toml"),
        ) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let (Some(from), Some(to)) = (YearMonth::new(2024, 1), YearMonth::new(2026, 10)) else {
            return;
        };
        let rows = generate(&plan, from, to);
        assert_eq!(rows, generate(&plan, from, to), "deterministic");
        let mut f = Figures::new();
        for (u, fig, p, v) in &rows {
            f.insert(
                u,
                fig,
                *p,
                Observation {
                    value: *v,
                    state: FigureState::Confirmed,
                    revised: false,
                    sample: true,
                },
            );
        }
        let mut seen = std::collections::HashSet::new();
        for z in plan.zones() {
            for e in zone_status(&plan, &f, &z.id, to) {
                seen.insert(e.status);
            }
        }
        for s in [Status::Green, Status::Yellow, Status::Red, Status::Gray] {
            assert!(seen.contains(&s), "{s:?} missing: {seen:?}");
        }
        assert!(figures_covered(&plan, &rows).len() >= 8);
    }
}
