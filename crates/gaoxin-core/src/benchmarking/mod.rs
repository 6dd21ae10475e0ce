//! 对标分析 — benchmarking a zone against the evaluation it is judged by: the evaluation
//! frameworks as data ([`Framework`], read from `plans/evaluations/*.toml` by
//! [`Framework::parse`]), and the scoring of a peer set under one ([`Model`]): each indicator
//! normalised over the peers, weighted within its dimension, dimensions weighted into a composite,
//! the estimated rank, the zone's position on every indicator, the steps that raise its composite
//! most ([`Model::strengthen`]), the fewest that reach a target rank ([`Model::path_to`]), and how
//! well the method would have predicted the last official ranks ([`calibrate`]).
//!
//! The official scoring method is not public: every score and rank here is an estimate, and the
//! method is documented in docs/benchmarking.md. The evaluation of year N uses year N−1 data:
//! values are keyed by their **data year**; [`result_year`] names the evaluation they feed.

pub mod formula;
mod framework;
mod messages;
pub mod report;
pub mod sample;
mod score;
pub mod sheet;
#[cfg(test)]
mod tests;

pub use framework::{FrameworkError, FrameworkErrorKind, FrameworkErrors};
pub use score::{
    Calibration, MAX_STEPS, Method, Model, Path, PathStep, Position, Step, calibrate,
    competition_ranks,
};

use serde::Serialize;

/// An evaluation framework: dimensions (一级指标) with weights, indicators (二级指标) with theirs,
/// every weight and name marked confirmed (with its public source) or assumed.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    pub id: String,
    pub name: String,
    /// 发布机关.
    pub issuer: String,
    /// 文号 or the document's title.
    pub document: String,
    /// YYYY-MM-DD, when known.
    pub published: Option<String>,
    pub scope: Scope,
    /// Whether the file lists every indicator the evaluation has.
    pub complete: bool,
    pub note: String,
    pub dimensions: Vec<Dimension>,
    /// In the file's order, grouped by nothing: [`Indicator::dimension`] is an index into
    /// [`Framework::dimensions`].
    pub indicators: Vec<Indicator>,
}

/// Whom an evaluation ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// All national high-tech zones.
    National,
    /// The zones of one class in a province (同类).
    Provincial,
}

/// 一级指标.
#[derive(Debug, Clone, Serialize)]
pub struct Dimension {
    pub id: String,
    /// 编号 as the document writes it (一, 二 …).
    pub no: String,
    pub name: String,
    pub name_basis: Basis,
    /// Percent of the composite.
    pub weight: f64,
    pub weight_basis: Basis,
}

/// 二级指标.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub id: String,
    /// 编号 as the document writes it (1.1 …).
    pub no: String,
    /// Index into [`Framework::dimensions`].
    pub dimension: usize,
    pub name: String,
    pub name_basis: Basis,
    /// Relative weight within its dimension (赋权: 0.8, 1.0, 1.2 …).
    pub weight: f64,
    pub weight_basis: Basis,
    pub direction: Direction,
    pub unit: String,
    /// Counted in whole numbers (enterprises, institutions): improvements come in steps of one.
    pub whole: bool,
    /// 口径.
    pub definition: String,
    pub data_source: String,
    pub note: String,
    /// Computed from the enterprise annual statistics ledger by this formula
    /// ([`formula::FORMULAS`]), where it has the reports.
    pub formula: Option<String>,
}

/// Whether a name or weight is known from a public document or assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "basis", content = "source")]
pub enum Basis {
    /// Confirmed by the named public document.
    Confirmed(String),
    /// Assumed: used for the estimate, shown as 推定.
    Assumed,
}

impl Basis {
    pub fn is_confirmed(&self) -> bool {
        matches!(self, Basis::Confirmed(_))
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    /// Whether `a` is better than `b`.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Higher => a > b,
            Direction::Lower => a < b,
        }
    }
}

impl Framework {
    /// Reads and validates a framework file; every problem with its line, column and a fix.
    pub fn parse(file: &str, source: &str) -> Result<Framework, FrameworkErrors> {
        framework::parse(file, source)
    }

    /// The indicator with `id`, by index.
    pub fn indicator(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }

    /// Dimensions that have at least one indicator listed.
    pub fn scorable(&self) -> bool {
        !self.indicators.is_empty()
    }
}

/// The evaluation that values of `data_year` feed: the next year's (评价以上一年数据为基础).
pub fn result_year(data_year: i32) -> i32 {
    data_year + 1
}

/// The data year an evaluation of `result_year` uses.
pub fn data_year(result_year: i32) -> i32 {
    result_year - 1
}

/// Who may read a zone's benchmarking: the dispatch office and leaders for every zone, a
/// zone's own units (its committee) for their zone.
pub fn may_read(who: crate::auth::Who<'_>, plan: &crate::Plan, zone: &str) -> bool {
    who.is_dispatcher()
        || who.is(crate::auth::RoleKind::Leader)
        || plan
            .departments
            .iter()
            .any(|d| d.id == who.department && d.unit.as_deref() == Some(zone))
}

/// Who may enter values, peers and official results, and load frameworks: the dispatch office.
pub fn may_enter(who: crate::auth::Who<'_>) -> bool {
    who.is_dispatcher()
}

/// The plan's zones whose rank is judged by an evaluation, with how (framework, peers) and the
/// rank target of each year.
pub fn judged_zones(plan: &crate::Plan) -> Vec<Judged> {
    let mut out = Vec::new();
    for indicator in &plan.indicators {
        let Some(by) = &indicator.judged_by else {
            continue;
        };
        let mut zones: Vec<&str> = Vec::new();
        for t in plan.targets.iter().filter(|t| t.indicator == indicator.id) {
            if !zones.contains(&t.zone.as_str()) {
                zones.push(&t.zone);
            }
        }
        for zone in zones {
            let targets = plan
                .targets
                .iter()
                .filter(|t| t.indicator == indicator.id && t.zone == zone)
                .map(|t| (t.year, t.value.round().max(1.0) as u32))
                .collect();
            out.push(Judged {
                zone: zone.to_string(),
                indicator: indicator.id.clone(),
                framework: by.framework.clone(),
                peers: by.peers.clone(),
                targets,
            });
        }
    }
    out
}

/// A zone whose rank an evaluation judges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    pub zone: String,
    /// The plan's rank indicator.
    pub indicator: String,
    pub framework: String,
    pub peers: String,
    /// (result year, target rank).
    pub targets: Vec<(i32, u32)>,
}

impl Judged {
    /// The target rank for an evaluation of `result_year`: that year's, else the next one set,
    /// else the last.
    pub fn target(&self, result_year: i32) -> Option<u32> {
        self.target_of(result_year).map(|(_, r)| r)
    }

    /// [`Judged::target`] with the year it is set for.
    pub fn target_of(&self, result_year: i32) -> Option<(i32, u32)> {
        self.targets
            .iter()
            .filter(|(y, _)| *y >= result_year)
            .min_by_key(|(y, _)| *y)
            .or_else(|| self.targets.iter().max_by_key(|(y, _)| *y))
            .copied()
    }
}
