//! 子目标 — the quantified targets inside the plan's tasks (≥ 10 对接活动 a year, 各 5 个 talents
//! in 2025, 100 % liaison coverage …), judged like the indicators: each for its own year, counted
//! from the ledgers, with 序时进度, a light and a forecast.
//!
//! The store counts (`Tally`), this module decides: which count at which period each sub-target
//! needs ([`wanted`]), and what those counts say ([`evaluate`]). A target of 2025 read in 2026
//! is counted at December 2025 and is final.

use super::{Status, YearMonth};
use crate::known::{Count, Tally, Window};
use crate::plan::{Cadence, Comparator, Plan, Scope, SubTarget};
use serde::Serialize;
use std::collections::HashMap;

/// What a count took for one unit at a period's end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Taken {
    pub records: i64,
    /// Of which the ledger flags (a big project without its liaison, a parcel without a plan).
    pub flagged: i64,
    /// Some record is sample data (示例数据).
    pub sample: bool,
}

impl Taken {
    fn add(self, o: Taken) -> Taken {
        Taken {
            records: self.records + o.records,
            flagged: self.flagged + o.flagged,
            sample: self.sample || o.sample,
        }
    }
}

/// The counts the store took: per count id and period, each unit's records, and which ledgers
/// hold no record at all (not kept in gaoxin yet: their sub-targets are unknown, not zero).
#[derive(Debug, Clone, Default)]
pub struct Counts {
    taken: HashMap<(&'static str, YearMonth), HashMap<String, Taken>>,
    empty_ledgers: Vec<&'static str>,
}

impl Counts {
    pub fn new() -> Counts {
        Counts::default()
    }

    pub fn insert(&mut self, count: &'static Count, period: YearMonth, unit: &str, t: Taken) {
        self.taken
            .entry((count.id, period))
            .or_default()
            .insert(unit.to_string(), t);
    }

    /// `ledger` holds no record: nothing counted from it is known.
    pub fn not_kept(&mut self, ledger: &'static str) {
        self.empty_ledgers.push(ledger);
    }

    /// What `count` took at `period` for `units` together.
    fn sum(&self, count: &Count, period: YearMonth, units: &[String]) -> Taken {
        self.taken
            .get(&(count.id, period))
            .map(|m| {
                units
                    .iter()
                    .filter_map(|u| m.get(u))
                    .fold(Taken::default(), |a, t| a.add(*t))
            })
            .unwrap_or_default()
    }
}

/// The year a sub-target is judged for at `at`, and the period its count is taken at: its own
/// year for a one-year target (December once that year is over), the current one otherwise.
/// `None`: a one-year target of a later year, not started.
pub fn judged_at(s: &SubTarget, at: YearMonth) -> Option<(i32, YearMonth)> {
    match (s.cadence, s.year) {
        (Cadence::Once, Some(y)) if y > at.year => None,
        (Cadence::Once, Some(y)) if y < at.year => Some((y, YearMonth::last_of(y))),
        _ => Some((at.year, at)),
    }
}

/// The counts, at which periods, that judging `plan`'s sub-targets at `at` needs.
pub fn wanted(plan: &Plan, at: YearMonth) -> Vec<(&'static Count, YearMonth)> {
    let mut out: Vec<(&'static Count, YearMonth)> = Vec::new();
    for s in &plan.subtargets {
        let Some(count) = s.counted.as_deref().and_then(Count::find) else {
            continue;
        };
        let Some((_, period)) = judged_at(s, at) else {
            continue;
        };
        if !out.iter().any(|(c, p)| c.id == count.id && *p == period) {
            out.push((count, period));
        }
    }
    out
}

/// Why a sub-target has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unknown {
    /// The plan names no ledger count for it.
    NotCounted,
    /// Its ledger holds no record yet.
    NotKept,
    /// A share of nothing: no project of 10 亿元 or more, no parcel.
    NothingToShare,
    /// A one-year target of a later year.
    NotStarted,
}

/// One sub-target for one zone (or all zones together) at one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubEvaluation {
    pub subtarget: String,
    pub task: String,
    /// `None`: the zones together (全市高新区合计).
    pub zone: Option<String>,
    /// The year judged.
    pub year: i32,
    /// The period the count was taken at.
    pub period: Option<YearMonth>,
    pub actual: Option<f64>,
    /// 序时进度: the target times the share of the year gone, for a year's count; the target
    /// itself for what is in force.
    pub expected: Option<f64>,
    /// The expected value is prorated (months of twelve).
    pub prorated: bool,
    /// Ahead (+) or behind (−) the expected value, direction-aware.
    pub gap: Option<f64>,
    pub tolerance: Option<f64>,
    pub status: Status,
    /// 预计全年: a year's count continued linearly to December; what is in force held.
    pub forecast: Option<f64>,
    /// The year judged is over: the value is final.
    pub closed: bool,
    /// Above a range's upper end (more than 2-3 liaison institutes).
    pub above_range: bool,
    pub sample: bool,
    pub unknown: Option<Unknown>,
}

impl SubEvaluation {
    /// How far behind, in tolerances: the order of lagging lists (most behind first).
    pub fn lag(&self) -> f64 {
        match (self.gap, self.tolerance) {
            (Some(g), Some(t)) if t > 0.0 => g / t,
            (Some(g), _) => g,
            _ => 0.0,
        }
    }
}

/// `evals` most behind first — red, then yellow (by how far), then those not known, then green;
/// plan order within each: what a reader should look at first.
pub fn urgent_first(evals: &[SubEvaluation]) -> Vec<&SubEvaluation> {
    let rank = |s: Status| match s {
        Status::Red => 0,
        Status::Yellow => 1,
        Status::Gray => 2,
        Status::Green => 3,
    };
    let mut v: Vec<&SubEvaluation> = evals.iter().collect();
    v.sort_by(|a, b| {
        rank(a.status)
            .cmp(&rank(b.status))
            .then(a.lag().total_cmp(&b.lag()))
    });
    v
}

/// The tolerance of a sub-target: 1 point for a share; for a number, one record or 5 % of the
/// expected value, whichever is larger (targets of 1–10 records would otherwise turn red a
/// fraction of a record behind), but never more than half the year's target (a survey due once a
/// year, not done by November, is red; not done by February, yellow).
pub fn tolerance(unit: &str, expected: f64, target: f64) -> f64 {
    if unit == "%" {
        1.0
    } else {
        (expected.abs() * 0.05).max(1.0).min(target.abs() / 2.0)
    }
}

/// Every sub-target of `plan` at `at`, in plan order: one row for a target of the zones together,
/// one per zone for a target of each zone.
pub fn evaluate(plan: &Plan, counts: &Counts, at: YearMonth) -> Vec<SubEvaluation> {
    let zones: Vec<(String, Vec<String>)> = plan
        .zones()
        .map(|z| (z.id.clone(), crate::ledger::subtree(plan, &z.id)))
        .collect();
    let mut out = Vec::new();
    for s in &plan.subtargets {
        match s.scope {
            Scope::AllZones => {
                let all: Vec<String> = zones.iter().flat_map(|(_, u)| u.clone()).collect();
                out.push(one(s, None, &all, counts, at));
            }
            Scope::EachZone => {
                for (z, units) in &zones {
                    out.push(one(s, Some(z), units, counts, at));
                }
            }
        }
    }
    out
}

fn one(
    s: &SubTarget,
    zone: Option<&str>,
    units: &[String],
    counts: &Counts,
    at: YearMonth,
) -> SubEvaluation {
    let mut ev = SubEvaluation {
        subtarget: s.id.clone(),
        task: s.task.clone(),
        zone: zone.map(str::to_string),
        year: s.year.unwrap_or(at.year),
        period: None,
        actual: None,
        expected: None,
        prorated: false,
        gap: None,
        tolerance: None,
        status: Status::Gray,
        forecast: None,
        closed: false,
        above_range: false,
        sample: false,
        unknown: None,
    };
    let Some((year, period)) = judged_at(s, at) else {
        ev.unknown = Some(Unknown::NotStarted);
        return ev;
    };
    ev.year = year;
    let Some(count) = s.counted.as_deref().and_then(Count::find) else {
        ev.unknown = Some(Unknown::NotCounted);
        return ev;
    };
    if counts.empty_ledgers.contains(&count.ledger) {
        ev.unknown = Some(Unknown::NotKept);
        return ev;
    }
    let taken = counts.sum(count, period, units);
    ev.period = Some(period);
    ev.sample = taken.sample;
    ev.closed = year < at.year;
    let Some(actual) = count.tally.value(taken.records, taken.flagged) else {
        ev.unknown = Some(Unknown::NothingToShare);
        return ev;
    };
    ev.actual = Some(actual);
    let yearly = count.window == Window::YearToDate;
    let months = if ev.closed { 12 } else { period.month };
    let expected = if yearly && s.comparator != Comparator::AtMost {
        ev.prorated = months < 12;
        s.value * f64::from(months) / 12.0
    } else {
        s.value
    };
    let tol = if ev.closed {
        0.0
    } else {
        tolerance(&s.unit, expected, s.value)
    };
    ev.expected = Some(expected);
    ev.tolerance = Some(tol);
    ev.gap = Some(super::gap(s.comparator, actual, expected));
    ev.status = super::judge(s.comparator, actual, expected, tol);
    if s.comparator == Comparator::Between
        && let Some(max) = s.max
        && actual > max + 1e-9
    {
        // More than the range asks: not behind, but not what the plan says either.
        ev.above_range = true;
        ev.status = Status::Yellow;
    }
    ev.forecast = (!ev.closed).then(|| match (yearly, count.tally) {
        (true, Tally::Records) => actual * 12.0 / f64::from(months.max(1)),
        _ => actual,
    });
    ev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan::parse(
            "seed.toml",
            include_str!("../../../../plans/shijiazhuang-2025-2027.toml"),
        )
        .unwrap()
    }

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    fn count(id: &str) -> &'static Count {
        Count::find(id).unwrap()
    }

    fn n(records: i64) -> Taken {
        Taken {
            records,
            flagged: 0,
            sample: false,
        }
    }

    fn find<'a>(evs: &'a [SubEvaluation], id: &str, zone: Option<&str>) -> &'a SubEvaluation {
        evs.iter()
            .find(|e| e.subtarget == id && e.zone.as_deref() == zone)
            .unwrap_or_else(|| panic!("{id} {zone:?}"))
    }

    #[test]
    fn every_sub_target_of_the_seed_plan_is_counted() {
        let plan = plan();
        assert_eq!(plan.subtargets.len(), 10);
        for s in &plan.subtargets {
            assert!(s.counted.is_some(), "{} is counted by nothing", s.id);
        }
    }

    #[test]
    fn a_target_of_2025_read_in_2026_counts_2025_and_is_final() {
        let plan = plan();
        let at = ym(2026, 11);
        let wanted = wanted(&plan, at);
        assert!(wanted.contains(&(count("new-talent-leaders"), ym(2025, 12))));
        assert!(!wanted.contains(&(count("new-talent-leaders"), at)));
        let mut c = Counts::new();
        let leaders = count("new-talent-leaders");
        c.insert(leaders, ym(2025, 12), "sjz-hz", n(3));
        c.insert(leaders, ym(2025, 12), "zd-hz", n(1));
        // A record of the city itself is not the zones'; the 2026 count is not 2025's.
        c.insert(leaders, ym(2025, 12), "sjz", n(7));
        c.insert(leaders, at, "sjz-hz", n(9));
        let evs = evaluate(&plan, &c, at);
        let e = find(&evs, "t2-talent-leaders", None);
        assert_eq!(e.year, 2025);
        assert_eq!(e.period, Some(ym(2025, 12)));
        assert_eq!(e.actual, Some(4.0));
        assert_eq!(e.expected, Some(5.0));
        assert!(e.closed && !e.prorated);
        assert_eq!(e.status, Status::Red, "4 of 5 when the year is over");
        assert_eq!(e.forecast, None);
        // One more record in 2025 and it is met, for good.
        c.insert(leaders, ym(2025, 12), "zd-hz", n(2));
        let evs = evaluate(&plan, &c, at);
        assert_eq!(find(&evs, "t2-talent-leaders", None).status, Status::Green);
    }

    #[test]
    fn within_its_year_a_count_is_judged_against_the_months_gone() {
        let plan = plan();
        let at = ym(2025, 6);
        let mut c = Counts::new();
        c.insert(count("new-tech-leaders"), at, "sjz-hz", n(2));
        c.insert(count("new-tech-leaders"), at, "zd-hz", n(1));
        let evs = evaluate(&plan, &c, at);
        let e = find(&evs, "t2-tech-leaders", None);
        // 序时进度 5 × 6/12 = 2.5; 3 is ahead; 3 × 12/6 = 6 by December.
        assert_eq!(e.expected, Some(2.5));
        assert!(e.prorated && !e.closed);
        assert_eq!(e.gap, Some(0.5));
        assert_eq!(e.status, Status::Green);
        assert_eq!(e.forecast, Some(6.0));
        // Teams: nothing yet (the ledger holds records): 0 of 2.5, two tolerances behind.
        let t = find(&evs, "t2-innovation-teams", None);
        assert_eq!(t.actual, Some(0.0));
        assert_eq!(t.tolerance, Some(1.0));
        assert_eq!(t.status, Status::Red);
    }

    #[test]
    fn a_yearly_target_of_each_zone_is_judged_per_zone() {
        let plan = plan();
        let at = ym(2026, 11);
        let mut c = Counts::new();
        let events = count("matchmaking-events");
        c.insert(events, at, "sjz-hz", n(8));
        // The county's records count towards the zone under it? No: the zone is under the
        // county, not the other way round; a record of 正定县 is not 正定高新区's.
        c.insert(events, at, "zd", n(5));
        c.insert(events, at, "zd-hz", n(9));
        let evs = evaluate(&plan, &c, at);
        // 序时 10 × 11/12 = 9.1667, tolerance max(5 %, 1 record) = 1.
        let s = find(&evs, "t6-matchmaking-events", Some("sjz-hz"));
        assert!((s.expected.unwrap() - 110.0 / 12.0).abs() < 1e-9);
        assert_eq!(s.tolerance, Some(1.0));
        assert_eq!(s.status, Status::Red, "8: 1.17 behind");
        assert!((s.forecast.unwrap() - 96.0 / 11.0).abs() < 1e-9);
        let z = find(&evs, "t6-matchmaking-events", Some("zd-hz"));
        assert_eq!(z.actual, Some(9.0));
        assert_eq!(z.status, Status::Yellow, "9: 0.17 behind");
        assert!(
            evs.iter()
                .all(|e| e.subtarget != "t6-matchmaking-events" || e.zone.is_some())
        );
    }

    #[test]
    fn a_range_is_met_inside_it_and_noted_above_it() {
        let plan = plan();
        let at = ym(2026, 3);
        let liaisons = count("liaison-institutes");
        let status = |k: i64| {
            let mut c = Counts::new();
            c.insert(liaisons, at, "sjz-hz", n(k));
            let evs = evaluate(&plan, &c, at);
            let e = find(&evs, "t6-liaison-institutions", Some("sjz-hz")).clone();
            (e.status, e.above_range, e.expected)
        };
        assert_eq!(status(2), (Status::Green, false, Some(2.0)), "not prorated");
        assert_eq!(status(3), (Status::Green, false, Some(2.0)));
        assert_eq!(status(4), (Status::Yellow, true, Some(2.0)));
        assert_eq!(status(1), (Status::Yellow, false, Some(2.0)));
        assert_eq!(status(0), (Status::Red, false, Some(2.0)));
    }

    #[test]
    fn a_share_is_of_the_records_taken_and_unknown_of_none() {
        let plan = plan();
        let at = ym(2026, 11);
        let coverage = count("big-project-liaison-coverage");
        let mut c = Counts::new();
        c.insert(
            coverage,
            at,
            "sjz-hz",
            Taken {
                records: 4,
                flagged: 1,
                sample: true,
            },
        );
        let evs = evaluate(&plan, &c, at);
        let s = find(&evs, "t10-liaison-coverage", Some("sjz-hz"));
        assert_eq!(s.actual, Some(75.0));
        assert_eq!(s.expected, Some(100.0));
        assert_eq!(s.tolerance, Some(1.0));
        assert_eq!(s.status, Status::Red);
        assert_eq!(s.forecast, Some(75.0), "a share in force is held");
        assert!(s.sample);
        let z = find(&evs, "t10-liaison-coverage", Some("zd-hz"));
        assert_eq!(z.actual, None);
        assert_eq!(z.unknown, Some(Unknown::NothingToShare));
        assert_eq!(z.status, Status::Gray);
    }

    #[test]
    fn a_ledger_not_kept_leaves_its_targets_unknown_not_zero() {
        let plan = plan();
        let at = ym(2026, 11);
        let mut c = Counts::new();
        c.not_kept("land");
        let evs = evaluate(&plan, &c, at);
        let e = find(&evs, "t13-remediation-plans", Some("sjz-hz"));
        assert_eq!(
            (e.unknown, e.status),
            (Some(Unknown::NotKept), Status::Gray)
        );
        // The survey is counted from the events ledger, which is kept: no survey by November
        // is red (序时 11/12 of one; the tolerance is at most half the target).
        let s = find(&evs, "t13-land-survey", Some("sjz-hz"));
        assert_eq!(s.tolerance, Some(0.5));
        assert_eq!((s.actual, s.status), (Some(0.0), Status::Red));
        // In February, 序时 is 1/6 of one: not done yet is yellow; done is green.
        let feb = ym(2026, 2);
        let mut c = Counts::new();
        c.insert(count("land-surveys"), feb, "sjz-hz", n(1));
        let evs = evaluate(&plan, &c, feb);
        assert_eq!(
            find(&evs, "t13-land-survey", Some("sjz-hz")).status,
            Status::Green
        );
        assert_eq!(
            find(&evs, "t13-land-survey", Some("zd-hz")).status,
            Status::Yellow
        );
    }

    #[test]
    fn a_one_year_target_of_a_later_year_has_not_started() {
        let mut plan = plan();
        let at = ym(2025, 4);
        if let Some(s) = plan
            .subtargets
            .iter_mut()
            .find(|s| s.id == "t2-talent-enclaves")
        {
            s.year = Some(2026);
        }
        assert!(
            wanted(&plan, at)
                .iter()
                .all(|(c, _)| c.id != "new-enclaves")
        );
        let evs = evaluate(&plan, &Counts::new(), at);
        let e = find(&evs, "t2-talent-enclaves", None);
        assert_eq!((e.year, e.unknown), (2026, Some(Unknown::NotStarted)));
    }

    #[test]
    fn a_sub_target_counted_by_nothing_says_so() {
        let mut plan = plan();
        for s in &mut plan.subtargets {
            s.counted = None;
        }
        let at = ym(2026, 11);
        assert!(wanted(&plan, at).is_empty());
        let evs = evaluate(&plan, &Counts::new(), at);
        assert_eq!(evs.len(), 4 + 6 * 2, "4 of the zones together, 6 per zone");
        assert!(evs.iter().all(|e| e.unknown == Some(Unknown::NotCounted)));
    }
}
