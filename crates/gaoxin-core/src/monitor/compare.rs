//! 各区对比 — the zones side by side: a ranking by how much of each zone's own targets and
//! sub-targets is on track, and the indicators and sub-targets the zones share, each ranked by
//! its actual value. Any number of zones; ties share a rank (1, 1, 3).

use super::subtarget::SubEvaluation;
use super::{Evaluation, Status, Summary};
use crate::plan::Comparator;
use serde::Serialize;

/// One zone's standing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub zone: String,
    /// Its targets' lights this year.
    pub targets: Summary,
    /// Its own sub-targets' lights (those of each zone; not those of the zones together).
    pub subtargets: Summary,
    /// Of what has a value (not gray), the share on track (green), in %; `None`: nothing judged.
    pub on_track: Option<f64>,
    pub rank: usize,
}

fn judged(s: &Summary) -> usize {
    s.green + s.yellow + s.red
}

/// The zones ranked: the larger share on track first, then fewer reds, then fewer yellows;
/// a zone with nothing judged last. `zones` in plan order, each with its evaluations.
pub fn standings(zones: &[(&str, &[Evaluation])], subtargets: &[SubEvaluation]) -> Vec<Standing> {
    let mut out: Vec<Standing> = zones
        .iter()
        .map(|(zone, evals)| {
            let targets = Summary::of(evals.iter());
            let subs = Summary::of_lights(
                subtargets
                    .iter()
                    .filter(|s| s.zone.as_deref() == Some(zone))
                    .map(|s| s.status),
            );
            let n = judged(&targets) + judged(&subs);
            Standing {
                zone: zone.to_string(),
                on_track: (n > 0).then(|| (targets.green + subs.green) as f64 * 100.0 / n as f64),
                targets,
                subtargets: subs,
                rank: 0,
            }
        })
        .collect();
    let key = |s: &Standing| {
        (
            s.on_track.is_none(),
            std::cmp::Reverse((s.on_track.unwrap_or(0.0) * 1000.0).round() as i64),
            s.targets.red + s.subtargets.red,
            s.targets.yellow + s.subtargets.yellow,
        )
    };
    out.sort_by_key(key);
    for i in 0..out.len() {
        out[i].rank = if i > 0 && key(&out[i]) == key(&out[i - 1]) {
            out[i - 1].rank
        } else {
            i + 1
        };
    }
    out
}

/// The rank of each value among `values` (`None`: no value, no rank), the better first by
/// `comparator`: the larger for 不低于 and ranges, the smaller for 不高于 (a rank of 20 beats 25).
pub fn rank_values(comparator: Comparator, values: &[Option<f64>]) -> Vec<Option<usize>> {
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let better = values
                .iter()
                .flatten()
                .filter(|o| match comparator {
                    Comparator::AtMost => **o < v - 1e-9,
                    Comparator::AtLeast | Comparator::Between => **o > v + 1e-9,
                })
                .count();
            Some(better + 1)
        })
        .collect()
}

/// The ids shared by at least two zones, in first-seen order: `keys` per zone, each with
/// whether it has a value to compare.
pub fn shared<'a>(keys: &[Vec<(&'a str, bool)>]) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for zone in keys {
        for (k, _) in zone {
            if !seen.contains(k) {
                seen.push(k);
            }
        }
    }
    seen.into_iter()
        .filter(|k| {
            keys.iter()
                .filter(|zone| zone.iter().any(|(z, has)| z == k && *has))
                .count()
                >= 2
        })
        .collect()
}

/// Whether `s` has a value to compare (not gray).
pub fn comparable(s: Status) -> bool {
    s != Status::Gray
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::subtarget::SubEvaluation;

    fn eval(zone: &str, indicator: &str, status: Status) -> Evaluation {
        Evaluation {
            zone: zone.into(),
            indicator: indicator.into(),
            target: 10.0,
            comparator: Comparator::AtLeast,
            period: None,
            stale: false,
            actual: None,
            expected: None,
            expected_rule: None,
            gap: None,
            tolerance: None,
            status,
            forecast: None,
            inputs: Vec::new(),
            undefined: false,
        }
    }

    fn sub(zone: Option<&str>, status: Status) -> SubEvaluation {
        SubEvaluation {
            subtarget: "s".into(),
            task: "t6".into(),
            zone: zone.map(str::to_string),
            year: 2026,
            period: None,
            actual: None,
            expected: None,
            prorated: false,
            gap: None,
            tolerance: None,
            status,
            forecast: None,
            closed: false,
            above_range: false,
            sample: false,
            unknown: None,
        }
    }

    #[test]
    fn zones_rank_by_share_on_track_then_reds_then_yellows() {
        use Status::*;
        let a = [
            eval("a", "x", Green),
            eval("a", "y", Red),
            eval("a", "z", Gray),
        ];
        let b = [eval("b", "x", Green), eval("b", "y", Yellow)];
        let c = [eval("c", "x", Gray)];
        let d = [eval("d", "x", Green), eval("d", "y", Red)];
        // a: 1 green of 2 judged targets + its sub-target green: 2 of 3 = 66.7 %.
        // b: 1 of 2 targets + a red sub-target: 1 of 3 = 33.3 %. The zones' joint one counts
        // for no zone. d: 1 of 2 = 50 %. c: nothing judged, last.
        let subs = [sub(Some("a"), Green), sub(Some("b"), Red), sub(None, Red)];
        let s = standings(&[("a", &a), ("b", &b), ("c", &c), ("d", &d)], &subs);
        let order: Vec<(&str, usize)> = s.iter().map(|s| (s.zone.as_str(), s.rank)).collect();
        assert_eq!(order, [("a", 1), ("d", 2), ("b", 3), ("c", 4)]);
        assert!((s[0].on_track.unwrap() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(s[3].on_track, None);
        assert_eq!(s[0].targets.gray, 1);
        // Equal shares: fewer reds first; all equal: the same rank.
        let e = [eval("e", "x", Green), eval("e", "y", Yellow)];
        let f = [eval("f", "x", Green), eval("f", "y", Red)];
        let g = [eval("g", "x", Green), eval("g", "y", Yellow)];
        let s = standings(&[("f", &f), ("e", &e), ("g", &g)], &[]);
        let order: Vec<(&str, usize)> = s.iter().map(|s| (s.zone.as_str(), s.rank)).collect();
        assert_eq!(order, [("e", 1), ("g", 1), ("f", 3)]);
    }

    #[test]
    fn values_rank_in_the_direction_of_the_target() {
        let v = [Some(8.0), Some(12.5), None, Some(12.5)];
        assert_eq!(
            rank_values(Comparator::AtLeast, &v),
            [Some(3), Some(1), None, Some(1)]
        );
        // Ranks: smaller is better.
        assert_eq!(
            rank_values(Comparator::AtMost, &[Some(25.0), Some(20.0)]),
            [Some(2), Some(1)]
        );
    }

    #[test]
    fn shared_means_two_zones_have_a_value() {
        let keys = vec![
            vec![("revenue", true), ("tax", true), ("events", true)],
            vec![("revenue", true), ("events", false), ("output", true)],
            vec![("output", true)],
        ];
        assert_eq!(shared(&keys), ["revenue", "output"]);
    }
}
