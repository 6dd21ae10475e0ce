//! Scoring a peer set under a framework. The official method is not public; this is the
//! estimate documented in docs/benchmarking.md:
//!
//! - each indicator is normalised over the peers that have a value to a score in [0, 1]
//!   ([`Method`]: min–max by default; ratio to the best value; z-score), reversed where lower
//!   is better; a peer without a value scores 0 on it;
//! - the indicators **covered** are those the subject zone has a value for and at least two
//!   peers do; within a dimension they are weighted by their relative weights, and the
//!   dimensions that have one are weighted into a composite of 100 points (the weights of what
//!   is not covered are shared out, so the composite stays comparable however much is known);
//! - the estimated rank is the competition rank (1, 2, 2, 4) of the composite.

use super::{Direction, Framework};
use serde::Serialize;

/// How an indicator's values become scores in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// (x − min) ÷ (max − min) over the peers.
    MinMax,
    /// x ÷ the best peer value (counted from the lowest value where values go below zero);
    /// best ÷ x where lower is better.
    Benchmark,
    /// The z-score over the peers, ±3 standard deviations mapped onto [0, 1].
    ZScore,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::MinMax, Method::Benchmark, Method::ZScore];

    pub fn id(self) -> &'static str {
        match self {
            Method::MinMax => "min-max",
            Method::Benchmark => "benchmark",
            Method::ZScore => "z-score",
        }
    }

    pub fn from_id(id: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// How one indicator's values map to scores, fitted to a column of values.
#[derive(Debug, Clone, Copy)]
struct Scale {
    method: Method,
    direction: Direction,
    lo: f64,
    hi: f64,
    mean: f64,
    sd: f64,
}

impl Scale {
    fn fit(method: Method, direction: Direction, values: impl Iterator<Item = f64>) -> Scale {
        let (mut lo, mut hi, mut sum, mut sq, mut n) =
            (f64::INFINITY, f64::NEG_INFINITY, 0.0, 0.0, 0.0);
        for x in values {
            lo = lo.min(x);
            hi = hi.max(x);
            sum += x;
            sq += x * x;
            n += 1.0;
        }
        let mean = if n > 0.0 { sum / n } else { 0.0 };
        let sd = if n > 0.0 {
            (sq / n - mean * mean).max(0.0).sqrt()
        } else {
            0.0
        };
        Scale {
            method,
            direction,
            lo,
            hi,
            mean,
            sd,
        }
    }

    fn flat(&self, spread: f64) -> bool {
        // NaN-safe: a spread that is not clearly positive is flat.
        spread.partial_cmp(&(1e-12 * self.lo.abs().max(self.hi.abs()).max(1.0)))
            != Some(std::cmp::Ordering::Greater)
    }

    fn min_max(&self, x: f64) -> f64 {
        let spread = self.hi - self.lo;
        if self.flat(spread) {
            return 1.0;
        }
        match self.direction {
            Direction::Higher => (x - self.lo) / spread,
            Direction::Lower => (self.hi - x) / spread,
        }
    }

    fn score(&self, x: f64) -> f64 {
        let s = match (self.method, self.direction) {
            (Method::MinMax, _) => self.min_max(x),
            (Method::Benchmark, Direction::Higher) => {
                let floor = self.lo.min(0.0);
                let spread = self.hi - floor;
                if self.flat(spread) {
                    1.0
                } else {
                    (x - floor) / spread
                }
            }
            (Method::Benchmark, Direction::Lower) if self.lo > 0.0 => {
                if x > 0.0 {
                    self.lo / x
                } else {
                    1.0
                }
            }
            (Method::Benchmark, Direction::Lower) => self.min_max(x),
            (Method::ZScore, direction) => {
                if self.flat(self.sd) {
                    return 1.0;
                }
                let z = (x - self.mean) / self.sd;
                let z = if direction == Direction::Lower { -z } else { z };
                (z + 3.0) / 6.0
            }
        };
        s.clamp(0.0, 1.0)
    }
}

/// A peer set scored under a framework with one method, from the point of view of one subject
/// zone (whose values decide which indicators are covered). Values can be changed (what-if) and
/// the scores follow.
#[derive(Debug, Clone)]
pub struct Model {
    method: Method,
    subject: usize,
    directions: Vec<Direction>,
    whole: Vec<bool>,
    dimension_of: Vec<usize>,
    indicator_weights: Vec<f64>,
    dimension_weights: Vec<f64>,
    /// Points each indicator carries in the composite; 0 when it is not covered.
    points: Vec<f64>,
    /// Row (zone) × indicator.
    values: Vec<Vec<Option<f64>>>,
    scores: Vec<Vec<f64>>,
    composite: Vec<f64>,
}

/// One indicator as the subject stands on it.
#[derive(Debug, Clone, Serialize)]
pub struct Position {
    pub indicator: usize,
    pub value: Option<f64>,
    /// Counted in the estimate (the subject has a value and at least two peers do).
    pub covered: bool,
    /// Rank among the peers with a value (1 = best), and how many have one.
    pub rank: Option<u32>,
    pub of: u32,
    /// 100 = the best, 0 = the worst.
    pub percentile: Option<f64>,
    pub score: f64,
    /// Points the indicator carries in the composite.
    pub points: f64,
    /// Points it loses: points × (1 − score).
    pub lost: f64,
    /// The value of the peer placed at the target rank on this indicator.
    pub target_value: Option<f64>,
    /// How far the subject still is from it, in the better direction (0 when there).
    pub gap: Option<f64>,
}

/// One realistic improvement of one indicator and what it does.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub indicator: usize,
    pub from: f64,
    pub to: f64,
    /// Composite points gained.
    pub gain: f64,
    pub rank_after: u32,
}

/// The improvements that reach a target rank, each indicator's steps added up.
#[derive(Debug, Clone, Serialize)]
pub struct Path {
    pub steps: Vec<PathStep>,
    pub rank_before: u32,
    pub rank_after: u32,
    pub composite_before: f64,
    pub composite_after: f64,
    pub target: u32,
    pub reached: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathStep {
    pub indicator: usize,
    pub from: f64,
    pub to: f64,
    /// How many realistic steps (about 10% each) it takes.
    pub steps: u32,
    pub gain: f64,
}

/// How many realistic steps one indicator may take on the way to a target: five steps of about
/// 10% each, what a zone might deliver in one or two data years.
pub const MAX_STEPS: u32 = 5;

impl Model {
    /// Scores `values` (zones × the framework's indicators, in its order) with `method`, for
    /// `subject` (a row of `values`).
    pub fn new(
        framework: &Framework,
        values: Vec<Vec<Option<f64>>>,
        subject: usize,
        method: Method,
    ) -> Model {
        let n = framework.indicators.len();
        let mut model = Model {
            method,
            subject,
            directions: framework.indicators.iter().map(|i| i.direction).collect(),
            whole: framework.indicators.iter().map(|i| i.whole).collect(),
            dimension_of: framework.indicators.iter().map(|i| i.dimension).collect(),
            indicator_weights: framework.indicators.iter().map(|i| i.weight).collect(),
            dimension_weights: framework.dimensions.iter().map(|d| d.weight).collect(),
            points: vec![0.0; n],
            scores: vec![vec![0.0; n]; values.len()],
            composite: vec![0.0; values.len()],
            values: values
                .into_iter()
                .map(|mut row| {
                    row.resize(n, None);
                    row
                })
                .collect(),
        };
        model.rebuild();
        model
    }

    fn rebuild(&mut self) {
        let n = self.points.len();
        let covered: Vec<bool> = (0..n).map(|j| self.is_covered(j)).collect();
        let mut in_dimension = vec![0.0; self.dimension_weights.len()];
        for j in (0..n).filter(|&j| covered[j]) {
            if let Some(w) = in_dimension.get_mut(self.dimension_of[j]) {
                *w += self.indicator_weights[j];
            }
        }
        let total: f64 = self
            .dimension_weights
            .iter()
            .zip(&in_dimension)
            .filter(|(_, w)| **w > 0.0)
            .map(|(d, _)| d)
            .sum();
        for (j, &is_covered) in covered.iter().enumerate() {
            let d = self.dimension_of[j];
            self.points[j] = if is_covered && total > 0.0 {
                100.0 * self.dimension_weights[d] / total * self.indicator_weights[j]
                    / in_dimension[d]
            } else {
                0.0
            };
        }
        for r in 0..self.values.len() {
            self.composite[r] = 0.0;
        }
        for j in 0..n {
            let scale = self.fit(j, None);
            for r in 0..self.values.len() {
                let s = self.values[r][j].map_or(0.0, |x| scale.score(x));
                self.scores[r][j] = s;
                self.composite[r] += self.points[j] * s;
            }
        }
    }

    fn is_covered(&self, j: usize) -> bool {
        self.values[self.subject][j].is_some()
            && self.values.iter().filter(|row| row[j].is_some()).count() >= 2
    }

    /// The scale of column `j`, with one row's value replaced.
    fn fit(&self, j: usize, replace: Option<(usize, Option<f64>)>) -> Scale {
        let column = self
            .values
            .iter()
            .enumerate()
            .filter_map(|(r, row)| match replace {
                Some((at, x)) if at == r => x,
                _ => row[j],
            });
        Scale::fit(self.method, self.directions[j], column)
    }

    pub fn method(&self) -> Method {
        self.method
    }

    pub fn subject(&self) -> usize {
        self.subject
    }

    pub fn zones(&self) -> usize {
        self.values.len()
    }

    pub fn value(&self, row: usize, j: usize) -> Option<f64> {
        self.values
            .get(row)
            .and_then(|r| r.get(j).copied().flatten())
    }

    /// Which indicators count in the estimate.
    pub fn covered(&self) -> Vec<bool> {
        self.points.iter().map(|p| *p > 0.0).collect()
    }

    /// Points each indicator carries.
    pub fn points(&self) -> &[f64] {
        &self.points
    }

    /// The composite of `row`, 0–100 points.
    pub fn composite(&self, row: usize) -> f64 {
        self.composite.get(row).copied().unwrap_or(0.0)
    }

    /// The score of `row` on indicator `j`, 0–1.
    pub fn score(&self, row: usize, j: usize) -> f64 {
        self.scores
            .get(row)
            .and_then(|r| r.get(j))
            .copied()
            .unwrap_or(0.0)
    }

    /// The estimated rank of `row` (competition ranking of the composite).
    pub fn rank(&self, row: usize) -> u32 {
        rank_in(&self.composite, row)
    }

    /// Every zone's estimated rank.
    pub fn ranks(&self) -> Vec<u32> {
        competition_ranks(&self.composite)
    }

    /// The score of `row` on each dimension, 0–100, `None` where nothing in it is covered.
    pub fn dimension_scores(&self, row: usize) -> Vec<Option<f64>> {
        (0..self.dimension_weights.len())
            .map(|d| {
                let (mut got, mut of) = (0.0, 0.0);
                for j in (0..self.points.len()).filter(|&j| self.dimension_of[j] == d) {
                    got += self.points[j] * self.score(row, j);
                    of += self.points[j];
                }
                (of > 0.0).then(|| 100.0 * got / of)
            })
            .collect()
    }

    /// Where `row` stands on every indicator, with the values of the peers placed `target`.
    pub fn positions(&self, row: usize, target: u32) -> Vec<Position> {
        (0..self.points.len())
            .map(|j| self.position(row, j, target))
            .collect()
    }

    fn position(&self, row: usize, j: usize, target: u32) -> Position {
        let direction = self.directions[j];
        let mut column: Vec<f64> = self.values.iter().filter_map(|r| r[j]).collect();
        column.sort_by(|a, b| {
            let ord = a.total_cmp(b);
            if direction == Direction::Higher {
                ord.reverse()
            } else {
                ord
            }
        });
        let of = u32::try_from(column.len()).unwrap_or(u32::MAX);
        let value = self.value(row, j);
        let rank = value.map(|x| {
            let better = column.iter().filter(|v| direction.better(**v, x)).count();
            u32::try_from(better + 1).unwrap_or(u32::MAX)
        });
        let percentile = rank.map(|r| {
            if of > 1 {
                100.0 * f64::from(of - r.min(of)) / f64::from(of - 1)
            } else {
                100.0
            }
        });
        let target_value = (target >= 1)
            .then(|| column.get(target as usize - 1).or(column.last()).copied())
            .flatten();
        let gap = match (value, target_value) {
            (Some(x), Some(t)) => Some(match direction {
                Direction::Higher => (t - x).max(0.0),
                Direction::Lower => (x - t).max(0.0),
            }),
            _ => None,
        };
        let score = self.score(row, j);
        Position {
            indicator: j,
            value,
            covered: self.points[j] > 0.0,
            rank,
            of,
            percentile,
            score,
            points: self.points[j],
            lost: self.points[j] * (1.0 - score),
            target_value,
            gap,
        }
    }

    /// Changes one value and rescores (what-if).
    pub fn set(&mut self, row: usize, j: usize, x: Option<f64>) {
        let Some(cell) = self.values.get_mut(row).and_then(|r| r.get_mut(j)) else {
            return;
        };
        let was_covered = self.points[j] > 0.0;
        *cell = x.filter(|x| x.is_finite());
        if self.is_covered(j) != was_covered {
            self.rebuild();
            return;
        }
        let scale = self.fit(j, None);
        for r in 0..self.values.len() {
            let s = self.values[r][j].map_or(0.0, |x| scale.score(x));
            self.composite[r] += self.points[j] * (s - self.scores[r][j]);
            self.scores[r][j] = s;
        }
    }

    /// The subject's composite and rank were its value on `j` `x`, the rest unchanged; the
    /// indicator must be covered (an uncovered one changes nothing here).
    pub fn trial(&self, j: usize, x: f64) -> (f64, u32) {
        let row = self.subject;
        let scale = self.fit(j, Some((row, Some(x))));
        let p = self.points[j];
        let after = |r: usize| {
            let v = if r == row { Some(x) } else { self.values[r][j] };
            let s = v.map_or(0.0, |v| scale.score(v));
            self.composite[r] + p * (s - self.scores[r][j])
        };
        let mine = after(row);
        let better = (0..self.values.len())
            .filter(|&r| r != row && after(r) > mine + 1e-9)
            .count();
        (mine, u32::try_from(better + 1).unwrap_or(u32::MAX))
    }

    /// The value one realistic step better than the subject's on `j`: 10% of its value (of
    /// the peers' median when it is 0), at least 1 for whole numbers; `None` if not covered.
    pub fn step(&self, j: usize) -> Option<f64> {
        if self.points.get(j).is_none_or(|p| *p <= 0.0) {
            return None;
        }
        let x = self.value(self.subject, j)?;
        let mut size = if x.abs() > 1e-12 {
            0.1 * x.abs()
        } else {
            // From nothing, a tenth of what a typical zone has (the peers' median).
            let mut column: Vec<f64> = self.values.iter().filter_map(|r| r[j]).collect();
            column.sort_by(f64::total_cmp);
            0.1 * column.get(column.len() / 2).copied().unwrap_or(0.0).abs()
        };
        if self.whole[j] {
            size = size.round().max(1.0);
        }
        if size.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        Some(match self.directions[j] {
            Direction::Higher => x + size,
            Direction::Lower => x - size,
        })
    }

    /// One realistic step on every covered indicator, the largest composite gain first.
    pub fn strengthen(&self) -> Vec<Step> {
        let before = self.composite(self.subject);
        let mut steps: Vec<Step> = (0..self.points.len())
            .filter_map(|j| {
                let from = self.value(self.subject, j)?;
                let to = self.step(j)?;
                let (after, rank_after) = self.trial(j, to);
                Some(Step {
                    indicator: j,
                    from,
                    to,
                    gain: after - before,
                    rank_after,
                })
            })
            .collect();
        steps.sort_by(|a, b| {
            b.gain.total_cmp(&a.gain).then_with(|| {
                let lost = |s: &Step| {
                    self.points[s.indicator] * (1.0 - self.score(self.subject, s.indicator))
                };
                lost(b).total_cmp(&lost(a))
            })
        });
        steps
    }

    /// The fewest realistic steps (greedy: each time the one that gains most, at most
    /// [`MAX_STEPS`] per indicator) that bring the subject to `target` or better.
    pub fn path_to(&self, target: u32) -> Path {
        let mut model = self.clone();
        let row = self.subject;
        let rank_before = self.rank(row);
        let mut taken = vec![0u32; self.points.len()];
        let mut order: Vec<usize> = Vec::new();
        while model.rank(row) > target {
            let before = model.composite(row);
            let best = (0..model.points.len())
                .filter(|&j| taken[j] < MAX_STEPS)
                .filter_map(|j| {
                    let to = model.step(j)?;
                    let (after, _) = model.trial(j, to);
                    Some((j, to, after - before))
                })
                .filter(|(_, _, gain)| *gain > 1e-9)
                .max_by(|a, b| a.2.total_cmp(&b.2));
            let Some((j, to, _)) = best else { break };
            if taken[j] == 0 {
                order.push(j);
            }
            taken[j] += 1;
            model.set(row, j, Some(to));
        }
        let steps = order
            .into_iter()
            .filter_map(|j| {
                let from = self.value(row, j)?;
                let to = model.value(row, j)?;
                let (after, _) = self.trial(j, to);
                Some(PathStep {
                    indicator: j,
                    from,
                    to,
                    steps: taken[j],
                    gain: after - self.composite(row),
                })
            })
            .collect();
        let rank_after = model.rank(row);
        Path {
            steps,
            rank_before,
            rank_after,
            composite_before: self.composite(row),
            composite_after: model.composite(row),
            target,
            reached: rank_after <= target,
        }
    }
}

fn rank_in(composite: &[f64], row: usize) -> u32 {
    let mine = composite.get(row).copied().unwrap_or(0.0);
    let better = composite.iter().filter(|c| **c > mine + 1e-9).count();
    u32::try_from(better + 1).unwrap_or(u32::MAX)
}

/// Competition ranks (1, 2, 2, 4) of `values`, higher first.
pub fn competition_ranks(values: &[f64]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*b].total_cmp(&values[*a]));
    let mut ranks = vec![0u32; values.len()];
    let mut rank = 1u32;
    for (i, &row) in order.iter().enumerate() {
        if i > 0 && values[order[i - 1]] > values[row] + 1e-9 {
            rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        ranks[row] = rank;
    }
    ranks
}

/// How well estimated ranks would have matched official ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Calibration {
    /// Zones with both an estimate and an official rank.
    pub zones: usize,
    pub mean_abs_error: f64,
    pub max_abs_error: u32,
    /// Spearman's rank correlation, −1 to 1.
    pub spearman: f64,
}

/// Compares `estimated` ranks (one per row) with `official` (row, rank) pairs; `None` with
/// fewer than two pairs.
pub fn calibrate(estimated: &[u32], official: &[(usize, u32)]) -> Option<Calibration> {
    let pairs: Vec<(f64, f64)> = official
        .iter()
        .filter_map(|(row, rank)| {
            estimated
                .get(*row)
                .map(|e| (f64::from(*e), f64::from(*rank)))
        })
        .collect();
    if pairs.len() < 2 {
        return None;
    }
    let errors: Vec<u32> = pairs
        .iter()
        .map(|(e, o)| (e - o).abs().round() as u32)
        .collect();
    let n = pairs.len() as f64;
    let est = average_ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let off = average_ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    Some(Calibration {
        zones: pairs.len(),
        mean_abs_error: errors.iter().map(|e| f64::from(*e)).sum::<f64>() / n,
        max_abs_error: errors.iter().copied().max().unwrap_or(0),
        spearman: pearson(&est, &off),
    })
}

/// Ranks 1..n of `xs` (smallest first), ties sharing their average rank.
fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|a, b| xs[*a].total_cmp(&xs[*b]));
    let mut ranks = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut k = i;
        while k + 1 < order.len() && xs[order[k + 1]] == xs[order[i]] {
            k += 1;
        }
        let average = (i + k) as f64 / 2.0 + 1.0;
        for &row in &order[i..=k] {
            ranks[row] = average;
        }
        i = k + 1;
    }
    ranks
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        cov += (x - ma) * (y - mb);
        va += (x - ma) * (x - ma);
        vb += (y - mb) * (y - mb);
    }
    if va <= 0.0 || vb <= 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}
