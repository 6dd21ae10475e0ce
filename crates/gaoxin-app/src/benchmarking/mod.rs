//! 对标分析: a zone's standing under the evaluation it is judged by — for the page, the API and
//! `gaoxin benchmark` alike. The peer values of one data year are read, the model scored with
//! each method (the chosen one shown, the others giving the band), the zone's what-if values
//! applied, and the position, 补强 steps, the path to the target rank, the calibration against
//! the last published ranks and the trend over the data years assembled.

mod messages;

use crate::{Acting, Error, Refusal};
use gaoxin_core::benchmarking::formula::{Computed, Enterprise};
use gaoxin_core::benchmarking::sheet::PeerRow;
use gaoxin_core::benchmarking::{
    self, Calibration, Framework, Judged, Method, Model, Path, Position, Step,
};
use gaoxin_store::{FrameworkVersion, PeerImport, PeerImported, PeerZone};

/// What is asked for.
#[derive(Debug, Clone)]
pub struct Query {
    pub zone: String,
    /// The framework; the one the plan judges the zone by when `None`.
    pub framework: Option<String>,
    /// The data year; the newest with values when `None`.
    pub data_year: Option<i32>,
    pub method: Method,
    /// What-if values for the zone: (indicator id, value).
    pub what_if: Vec<(String, f64)>,
}

/// A zone's standing, estimated.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub zone: String,
    pub zone_name: String,
    pub judged: Judged,
    pub framework: Framework,
    pub version: FrameworkVersion,
    /// Frameworks that can be chosen instead: (id, name).
    pub frameworks: Vec<(String, String)>,
    pub data_year: i32,
    pub result_year: i32,
    /// Data years with values, newest first.
    pub years: Vec<i32>,
    pub method: Method,
    pub target: Option<u32>,
    /// Zones in the peer set with at least one value.
    pub peers: usize,
    /// Whether any value read is 示例数据.
    pub sample: bool,
    pub composite: f64,
    pub rank: u32,
    /// The rank under every method: the band.
    pub band: Vec<(Method, u32)>,
    pub dimensions: Vec<Option<f64>>,
    pub positions: Vec<Position>,
    /// Where each of the zone's values came from: (source, entered by, when), per indicator.
    pub lineage: Vec<Option<(String, String, gaoxin_core::time::Timestamp)>>,
    pub strengthen: Vec<Step>,
    pub path: Option<Path>,
    /// The zone's values in the data year before, per indicator (empty when there are none):
    /// how each has moved.
    pub previous: Vec<Option<f64>>,
    /// The zone's published ranks in the evaluation this data year feeds, when recorded:
    /// overall and per dimension (indexed like `framework.dimensions`).
    pub published: Option<u32>,
    pub published_dimensions: Vec<Option<u32>>,
    /// Its ranks in the published single-item lists: (list, rank).
    pub published_items: Vec<(String, u32)>,
    /// Against the published ranks of this result year's predecessor, when recorded.
    pub calibration: Option<(i32, Calibration)>,
    /// (data year, estimated rank, composite) for every data year with values.
    pub trend: Vec<(i32, u32, f64)>,
    /// The what-if values applied: (indicator index, value before, value now).
    pub what_if: Vec<(usize, Option<f64>, f64)>,
    /// The zone's values computed from the ledgers (over the stored ones), per indicator.
    pub computed: Vec<Option<Computed>>,
    /// What each 补强 step means in the zone's own terms, aligned with `strengthen`.
    pub step_terms: Vec<Option<gaoxin_core::text::Text>>,
    /// The enterprises that move the leading 补强 indicators: (indicator, lines).
    pub movers: Vec<(usize, Vec<gaoxin_core::text::Text>)>,
}

/// Why there is nothing to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The plan judges no rank of this zone by an evaluation.
    NotJudged,
    /// The framework is not loaded.
    NoFramework(String),
    /// The framework lists no indicator yet (to be completed by the office).
    FrameworkEmpty(String),
    /// The zone is not in the peer set, or the peer set has no values.
    NoValues,
}

/// The zones the account may see, with how each is judged.
pub fn zones(act: &Acting<'_>) -> Vec<Judged> {
    benchmarking::judged_zones(act.plan)
        .into_iter()
        .filter(|j| {
            act.who()
                .is_none_or(|w| benchmarking::may_read(w, act.plan, &j.zone))
        })
        .collect()
}

/// The analysis of one zone.
pub async fn analyse(act: &Acting<'_>, q: &Query) -> Result<Result<Analysis, Missing>, Error> {
    if let Some(who) = act.who()
        && !benchmarking::may_read(who, act.plan, &q.zone)
    {
        return Err(act
            .refuse(Refusal::Hidden {
                target: format!("benchmark:{}", q.zone),
            })
            .await);
    }
    let judged_all = benchmarking::judged_zones(act.plan);
    let Some(mut judged) = judged_all.into_iter().find(|j| j.zone == q.zone) else {
        return Ok(Err(Missing::NotJudged));
    };
    let stored = act.store.frameworks().await?;
    let frameworks = stored
        .iter()
        .filter(|f| f.framework.scorable())
        .map(|f| (f.framework.id.clone(), f.framework.name.clone()))
        .collect();
    let wanted = q
        .framework
        .clone()
        .unwrap_or_else(|| judged.framework.clone());
    let Some(chosen) = stored.into_iter().find(|f| f.framework.id == wanted) else {
        return Ok(Err(Missing::NoFramework(wanted)));
    };
    if !chosen.framework.scorable() {
        return Ok(Err(Missing::FrameworkEmpty(wanted)));
    }
    judged.framework = wanted;
    let framework = chosen.framework;
    let years = act.store.peer_years(&judged.peers, &framework.id).await?;
    let Some(data_year) = q
        .data_year
        .filter(|y| years.contains(y))
        .or(years.first().copied())
    else {
        return Ok(Err(Missing::NoValues));
    };
    let zones = act.store.peer_zones(&judged.peers).await?;
    let Some(subject) = zones
        .iter()
        .position(|z| z.zone.as_deref() == Some(&q.zone))
    else {
        return Ok(Err(Missing::NoValues));
    };

    let (mut values, mut lineage, mut sample) =
        table(act, &judged, &framework, &zones, subject, data_year).await?;
    let reports = read_reports(act, &framework, &q.zone).await?;
    let ledgers = from_reports(act, &framework, &reports, data_year).await?;
    sample |= apply_ledgers(
        act,
        &framework,
        &ledgers,
        &mut values[subject],
        &mut lineage,
    );
    let peers = values
        .iter()
        .filter(|r| r.iter().any(Option::is_some))
        .count();
    let mut what_if = Vec::new();
    let mut models: Vec<Model> = Method::ALL
        .iter()
        .map(|m| Model::new(&framework, values.clone(), subject, *m))
        .collect();
    for (id, x) in &q.what_if {
        if let Some(j) = framework.indicator(id)
            && x.is_finite()
        {
            what_if.push((j, values[subject][j], *x));
            for m in &mut models {
                m.set(subject, j, Some(*x));
            }
        }
    }
    let band: Vec<(Method, u32)> = models
        .iter()
        .map(|m| (m.method(), m.rank(subject)))
        .collect();
    // Method::ALL holds every method: the one asked for is there.
    let chosen_model = Method::ALL.iter().position(|m| *m == q.method).unwrap_or(0);
    let model = models.swap_remove(chosen_model);
    let result_year = benchmarking::result_year(data_year);
    let target = judged.target(result_year);
    let subject_id = zones[subject].id;
    let official = act
        .store
        .official_ranks(&judged.peers, &framework.id, result_year)
        .await?;
    let published_rank = |dimension: &str| {
        official
            .iter()
            .find(|r| r.peer_zone == subject_id && r.dimension == dimension)
            .map(|r| r.rank)
    };
    let published = published_rank("");
    let published_dimensions = framework
        .dimensions
        .iter()
        .map(|d| published_rank(&d.id))
        .collect();
    let published_items = benchmarking::sheet::single_items()
        .iter()
        .filter_map(|item| {
            published_rank(&benchmarking::sheet::item_key(item)).map(|r| (item.to_string(), r))
        })
        .collect();

    let calibration = calibration(
        act, &judged, &framework, &zones, subject, q.method, data_year,
    )
    .await?;
    let mut trend = Vec::new();
    let mut previous = Vec::new();
    for year in years.iter().rev() {
        if *year == data_year {
            trend.push((*year, model.rank(subject), model.composite(subject)));
            continue;
        }
        let (mut v, mut l, _) = table(act, &judged, &framework, &zones, subject, *year).await?;
        let past = from_reports(act, &framework, &reports, *year).await?;
        apply_ledgers(act, &framework, &past, &mut v[subject], &mut l);
        if *year == data_year - 1 {
            previous = v[subject].clone();
        }
        if v[subject].iter().any(Option::is_some) {
            let m = Model::new(&framework, v, subject, q.method);
            trend.push((*year, m.rank(subject), m.composite(subject)));
        }
    }
    let zone_name = act
        .plan
        .units
        .iter()
        .find(|u| u.id == q.zone)
        .map_or_else(|| q.zone.clone(), |u| u.name.clone());
    let strengthen = model.strengthen();
    let step_terms = strengthen
        .iter()
        .map(|s| {
            let formula = framework.indicators.get(s.indicator)?.formula.as_deref()?;
            let computed = ledgers.values.get(s.indicator)?.as_ref()?;
            let (amount, what) =
                benchmarking::formula::own_terms(formula, computed, s.to - s.from)?;
            messages::own_terms(amount, what)
        })
        .collect();
    let movers = strengthen
        .iter()
        .take(8)
        .filter_map(|s| {
            let formula = framework.indicators.get(s.indicator)?.formula.as_deref()?;
            let lines: Vec<gaoxin_core::text::Text> =
                benchmarking::formula::movers(formula, &ledgers.enterprises)
                    .iter()
                    .map(messages::mover)
                    .collect();
            (!lines.is_empty()).then_some((s.indicator, lines))
        })
        .take(3)
        .collect();
    Ok(Ok(Analysis {
        previous,
        published,
        published_dimensions,
        published_items,
        computed: ledgers.values,
        step_terms,
        movers,
        zone: q.zone.clone(),
        zone_name,
        frameworks,
        version: chosen.version,
        data_year,
        result_year,
        years,
        method: q.method,
        target,
        peers,
        sample,
        composite: model.composite(subject),
        rank: model.rank(subject),
        band,
        dimensions: model.dimension_scores(subject),
        positions: model.positions(subject, target.unwrap_or(1)),
        lineage,
        strengthen,
        path: target.map(|t| model.path_to(t)),
        calibration,
        trend,
        what_if,
        judged,
        framework,
    }))
}

type Lineage = Vec<Option<(String, String, gaoxin_core::time::Timestamp)>>;

/// Puts the zone's values computed from the ledgers over its stored ones, with their lineage;
/// returns whether any record read was 示例数据.
fn apply_ledgers(
    act: &Acting<'_>,
    framework: &Framework,
    ledgers: &FromLedgers,
    row: &mut [Option<f64>],
    lineage: &mut Lineage,
) -> bool {
    let mut any = false;
    for (j, computed) in ledgers.values.iter().enumerate() {
        let (Some(c), Some(formula)) = (
            computed,
            framework
                .indicators
                .get(j)
                .and_then(|i| i.formula.as_deref()),
        ) else {
            continue;
        };
        if let (Some(cell), Some(l)) = (row.get_mut(j), lineage.get_mut(j)) {
            *cell = Some(c.value);
            *l = Some((
                messages::computed_source(formula, c.enterprises),
                "gaoxin".to_string(),
                ledgers.updated_at.unwrap_or(act.now),
            ));
            any = true;
        }
    }
    any && ledgers.sample
}

/// The peer set's values for a data year: zones × indicators, the subject's lineage, and
/// whether any value is a sample.
async fn table(
    act: &Acting<'_>,
    judged: &Judged,
    framework: &Framework,
    zones: &[PeerZone],
    subject: usize,
    data_year: i32,
) -> Result<(Vec<Vec<Option<f64>>>, Lineage, bool), Error> {
    let rows = act
        .store
        .peer_values(&judged.peers, &framework.id, data_year)
        .await?;
    let n = framework.indicators.len();
    let index: std::collections::HashMap<i64, usize> =
        zones.iter().enumerate().map(|(i, z)| (z.id, i)).collect();
    let mut values = vec![vec![None; n]; zones.len()];
    let mut lineage = vec![None; n];
    let mut sample = false;
    for v in rows {
        let (Some(&r), Some(j)) = (index.get(&v.peer_zone), framework.indicator(&v.indicator))
        else {
            continue;
        };
        sample |= v.sample;
        values[r][j] = Some(v.value);
        if r == subject {
            lineage[j] = Some((v.source, v.entered_by, v.entered_at));
        }
    }
    Ok((values, lineage, sample))
}

/// The method scored on the data year before the last published result, against that result.
async fn calibration(
    act: &Acting<'_>,
    judged: &Judged,
    framework: &Framework,
    zones: &[PeerZone],
    subject: usize,
    method: Method,
    data_year: i32,
) -> Result<Option<(i32, Calibration)>, Error> {
    // The newest published result at or before the one this data year feeds.
    for result_year in (data_year - 3..=benchmarking::result_year(data_year)).rev() {
        let official = act
            .store
            .official_ranks(&judged.peers, &framework.id, result_year)
            .await?;
        let pairs: Vec<(usize, u32)> = official
            .iter()
            .filter(|r| r.dimension.is_empty())
            .filter_map(|r| {
                zones
                    .iter()
                    .position(|z| z.id == r.peer_zone)
                    .map(|i| (i, r.rank))
            })
            .collect();
        if pairs.len() < 2 {
            continue;
        }
        let (values, _, _) = table(
            act,
            judged,
            framework,
            zones,
            subject,
            benchmarking::data_year(result_year),
        )
        .await?;
        if values[subject].iter().all(Option::is_none) {
            continue;
        }
        let ranks = Model::new(framework, values, subject, method).ranks();
        return Ok(benchmarking::calibrate(&ranks, &pairs).map(|c| (result_year, c)));
    }
    Ok(None)
}

impl Analysis {
    /// The analysis as the API and `gaoxin benchmark --format json` give it.
    pub fn json(&self) -> serde_json::Value {
        use serde_json::json;
        let f = &self.framework;
        let id = |j: usize| f.indicators.get(j).map(|i| i.id.clone());
        json!({
            "zone": self.zone,
            "zone_name": self.zone_name,
            "framework": {
                "id": f.id, "name": f.name, "document": f.document,
                "version": self.version.version_no, "complete": f.complete,
            },
            "peer_set": self.judged.peers,
            "data_year": self.data_year,
            "result_year": self.result_year,
            "method": self.method.id(),
            "estimate": true,
            "sample": self.sample,
            "peers": self.peers,
            "target_rank": self.target,
            "composite": self.composite,
            "rank": self.rank,
            "band": self.band.iter().map(|(m, r)| json!({"method": m.id(), "rank": r})).collect::<Vec<_>>(),
            "published_rank": self.published,
            "published_items": self.published_items.iter().map(|(item, r)| json!({"list": item, "rank": r})).collect::<Vec<_>>(),
            "dimensions": f.dimensions.iter().zip(&self.dimensions).zip(&self.published_dimensions).map(|((d, s), p)| json!({
                "id": d.id, "no": d.no, "name": d.name, "weight": d.weight,
                "weight_confirmed": d.weight_basis.is_confirmed(), "score": s,
                "published_rank": p,
            })).collect::<Vec<_>>(),
            "indicators": f.indicators.iter().zip(&self.positions).zip(&self.lineage).map(|((i, p), l)| json!({
                "id": i.id, "no": i.no, "name": i.name, "unit": i.unit,
                "dimension": f.dimensions.get(i.dimension).map(|d| d.id.clone()),
                "direction": i.direction, "weight": i.weight,
                "weight_confirmed": i.weight_basis.is_confirmed(),
                "name_confirmed": i.name_basis.is_confirmed(),
                "value": p.value, "previous": self.previous.get(p.indicator).copied().flatten(),
                "covered": p.covered, "rank": p.rank, "of": p.of,
                "percentile": p.percentile, "score": p.score, "points": p.points, "lost": p.lost,
                "target_value": p.target_value, "gap": p.gap,
                "source": l.as_ref().map(|(s, _, _)| s.clone()),
                "computed_from_ledgers": self.computed.get(p.indicator).is_some_and(Option::is_some),
                "entered_by": l.as_ref().map(|(_, b, _)| b.clone()),
                "entered_at": l.as_ref().map(|(_, _, t)| t.to_iso8601()),
            })).collect::<Vec<_>>(),
            "strengthen": self.strengthen.iter().zip(&self.step_terms).map(|(s, terms)| json!({
                "indicator": id(s.indicator), "from": s.from, "to": s.to,
                "gain": s.gain, "rank_after": s.rank_after, "own_terms": terms,
            })).collect::<Vec<_>>(),
            "movers": self.movers.iter().map(|(j, lines)| json!({
                "indicator": id(*j), "enterprises": lines,
            })).collect::<Vec<_>>(),
            "path": self.path.as_ref().map(|p| json!({
                "target": p.target, "reached": p.reached,
                "rank_before": p.rank_before, "rank_after": p.rank_after,
                "composite_before": p.composite_before, "composite_after": p.composite_after,
                "steps": p.steps.iter().map(|s| json!({
                    "indicator": id(s.indicator), "from": s.from, "to": s.to,
                    "steps": s.steps, "gain": s.gain,
                })).collect::<Vec<_>>(),
            })),
            "calibration": self.calibration.map(|(year, c)| json!({
                "result_year": year, "zones": c.zones, "mean_abs_error": c.mean_abs_error,
                "max_abs_error": c.max_abs_error, "spearman": c.spearman,
            })),
            "trend": self.trend.iter().map(|(y, r, c)| json!({
                "data_year": y, "result_year": benchmarking::result_year(*y),
                "rank": r, "composite": c,
            })).collect::<Vec<_>>(),
            "what_if": self.what_if.iter().map(|(j, before, now)| json!({
                "indicator": id(*j), "before": before, "value": now,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Where a peer workbook's values go: a framework, its peer set (the plan's zones in it by
/// name), a data year.
#[derive(Debug, Clone)]
pub struct PeerTarget {
    pub framework: Framework,
    pub peer_set: String,
    /// (name, id) of the plan's zones judged among this peer set.
    pub plan_zones: Vec<(String, String)>,
    pub data_year: i32,
    /// The peer set holds sample zones: a real workbook is refused.
    pub sample: bool,
}

/// A peer workbook checked.
#[derive(Debug, Clone)]
pub enum PeersCheck {
    /// The file as a whole is refused (size, not a workbook, sample data in the set).
    Refused(gaoxin_core::text::Text),
    /// Errors by row and heading; nothing would be written.
    Invalid(Vec<gaoxin_core::rows::RowError>),
    /// No zone rows.
    Empty,
    Checked(Vec<PeerRow>),
}

/// The framework and peer set a workbook of `framework` for `data_year` writes to; only the
/// dispatch office enters peer data.
pub async fn peer_target(
    act: &Acting<'_>,
    framework: &str,
    data_year: i32,
) -> Result<Result<PeerTarget, Missing>, Error> {
    if act.who().is_some_and(|w| !benchmarking::may_enter(w)) {
        return Err(act
            .refuse(Refusal::Forbidden {
                target: format!("benchmark:{framework}:peers"),
            })
            .await);
    }
    let stored = act.store.frameworks().await?;
    let Some(chosen) = stored.iter().find(|f| f.framework.id == framework) else {
        return Ok(Err(Missing::NoFramework(framework.to_string())));
    };
    if !chosen.framework.scorable() {
        return Ok(Err(Missing::FrameworkEmpty(framework.to_string())));
    }
    let judged = benchmarking::judged_zones(act.plan);
    let scope_of = |id: &str| {
        stored
            .iter()
            .find(|f| f.framework.id == id)
            .map(|f| f.framework.scope)
    };
    // The peer set the plan judges by this framework, else one judged by a framework of the
    // same scope (a national revision is compared among the same national zones).
    let Some(peer_set) = judged
        .iter()
        .find(|j| j.framework == framework)
        .or_else(|| {
            judged
                .iter()
                .find(|j| scope_of(&j.framework) == Some(chosen.framework.scope))
        })
        .map(|j| j.peers.clone())
    else {
        return Ok(Err(Missing::NotJudged));
    };
    let plan_zones = judged
        .iter()
        .filter(|j| j.peers == peer_set)
        .filter_map(|j| {
            act.plan
                .units
                .iter()
                .find(|u| u.id == j.zone)
                .map(|u| (u.name.clone(), u.id.clone()))
        })
        .collect();
    let sample = act
        .store
        .peer_zones(&peer_set)
        .await?
        .iter()
        .any(|z| z.sample);
    Ok(Ok(PeerTarget {
        framework: chosen.framework.clone(),
        peer_set,
        plan_zones,
        data_year,
        sample,
    }))
}

/// The stored rows of a peer target, for its template: every zone of the set with its values
/// and published rank; the plan's zones alone when the set is empty.
pub async fn peer_rows(
    act: &Acting<'_>,
    target: &PeerTarget,
) -> Result<Vec<gaoxin_excel::PeerTemplateRow>, Error> {
    let zones = act.store.peer_zones(&target.peer_set).await?;
    let values = act
        .store
        .peer_values(&target.peer_set, &target.framework.id, target.data_year)
        .await?;
    let ranks = act
        .store
        .official_ranks(
            &target.peer_set,
            &target.framework.id,
            benchmarking::result_year(target.data_year),
        )
        .await?;
    let n = target.framework.indicators.len();
    let mut rows: Vec<gaoxin_excel::PeerTemplateRow> = zones
        .iter()
        .map(|z| gaoxin_excel::PeerTemplateRow {
            zone: z.name.clone(),
            source: String::new(),
            rank: ranks
                .iter()
                .find(|r| r.peer_zone == z.id && r.dimension.is_empty())
                .map(|r| r.rank),
            dimension_ranks: target
                .framework
                .dimensions
                .iter()
                .map(|d| {
                    ranks
                        .iter()
                        .find(|r| r.peer_zone == z.id && r.dimension == d.id)
                        .map(|r| r.rank)
                })
                .collect(),
            item_ranks: benchmarking::sheet::single_items()
                .iter()
                .map(|item| {
                    let key = benchmarking::sheet::item_key(item);
                    ranks
                        .iter()
                        .find(|r| r.peer_zone == z.id && r.dimension == key)
                        .map(|r| r.rank)
                })
                .collect(),
            values: vec![None; n],
        })
        .collect();
    for v in values {
        let (Some(r), Some(j)) = (
            zones.iter().position(|z| z.id == v.peer_zone),
            target.framework.indicator(&v.indicator),
        ) else {
            continue;
        };
        rows[r].values[j] = Some(v.value);
        if rows[r].source.is_empty() {
            rows[r].source = v.source;
        }
    }
    // The plan's zones first, then the rest by name.
    let is_plan = |name: &str| target.plan_zones.iter().any(|(n, _)| n == name);
    rows.sort_by(|a, b| {
        is_plan(&b.zone)
            .cmp(&is_plan(&a.zone))
            .then(a.zone.cmp(&b.zone))
    });
    for (name, _) in &target.plan_zones {
        if !rows.iter().any(|r| r.zone == *name) {
            rows.insert(
                0,
                gaoxin_excel::PeerTemplateRow {
                    zone: name.clone(),
                    source: String::new(),
                    rank: None,
                    dimension_ranks: vec![None; target.framework.dimensions.len()],
                    item_ranks: vec![None; benchmarking::sheet::single_items().len()],
                    values: vec![None; n],
                },
            );
        }
    }
    Ok(rows)
}

/// Reads and checks a peer workbook (a dry run: nothing is written).
pub fn check_peers(target: &PeerTarget, bytes: &[u8]) -> PeersCheck {
    use gaoxin_core::text::Message;
    if target.sample {
        let refusal = gaoxin_store::StoreError::SamplePeerSet {
            peer_set: target.peer_set.clone(),
        };
        return PeersCheck::Refused(refusal.text());
    }
    let rows = match gaoxin_excel::read_rows(bytes, &gaoxin_excel::Limits::PEERS) {
        Ok(rows) => rows,
        Err(e) => return PeersCheck::Refused(e.text()),
    };
    match benchmarking::sheet::read(&target.framework, &rows) {
        Err(errors) => PeersCheck::Invalid(errors),
        Ok(rows) if rows.is_empty() => PeersCheck::Empty,
        Ok(rows) => PeersCheck::Checked(rows),
    }
}

fn peers_kind(target: &PeerTarget) -> String {
    format!("peers:{}:{}", target.framework.id, target.data_year)
}

/// Keeps a dry run's rows for its confirmation; returns the token naming them.
pub async fn keep_peers(
    act: &Acting<'_>,
    target: &PeerTarget,
    name: &str,
    bytes: &[u8],
    rows: &[PeerRow],
) -> Result<String, Error> {
    let Some(account) = act.account else {
        return Err(act
            .refuse(Refusal::Forbidden {
                target: "benchmark:peers".into(),
            })
            .await);
    };
    let hash = gaoxin_store::content_hash(bytes);
    let file = gaoxin_store::ImportFile::new(name, &hash);
    Ok(act
        .store
        .stash_upload(account, &peers_kind(target), &file, &rows, act.now)
        .await?)
}

/// Writes the rows a dry run kept under `token`, all or none; `None` when none waits (taken,
/// expired, another account's, another framework's or year's).
pub async fn confirm_peers(
    act: &Acting<'_>,
    target: &PeerTarget,
    token: &str,
) -> Result<Option<PeerImported>, Error> {
    let Some(account) = act.account else {
        return Err(act
            .refuse(Refusal::Forbidden {
                target: "benchmark:peers".into(),
            })
            .await);
    };
    let Some((name, hash, rows)) = act
        .store
        .take_upload::<Vec<PeerRow>>(account, &peers_kind(target), token, act.now)
        .await?
    else {
        return Ok(None);
    };
    let import = PeerImport {
        framework: &target.framework.id,
        peer_set: &target.peer_set,
        data_year: target.data_year,
        plan_zones: &target.plan_zones,
        rows: &rows,
        file: (&name, &hash),
    };
    Ok(Some(
        act.store
            .import_peers(&import, act.account, act.now)
            .await?,
    ))
}

/// A zone's estimated rank in brief, for the cockpit: the newest data year under the framework
/// the plan judges it by, with the band of the three methods.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub zone: String,
    pub framework: String,
    pub data_year: i32,
    pub result_year: i32,
    /// Under the default method (min–max).
    pub rank: u32,
    pub low: u32,
    pub high: u32,
    pub peers: usize,
    /// The plan's target for the result year (or the next year with one): (year, rank).
    pub target: Option<(i32, u32)>,
    pub sample: bool,
}

/// The estimate of every zone the account may read benchmarking of (or of `only` that zone),
/// that has one.
pub async fn estimates(act: &Acting<'_>, only: Option<&str>) -> Result<Vec<Estimate>, Error> {
    let mut judged = zones(act);
    judged.retain(|j| only.is_none_or(|z| j.zone == z));
    if judged.is_empty() {
        return Ok(Vec::new());
    }
    let stored = act.store.frameworks().await?;
    let mut out = Vec::new();
    type Read = (
        Vec<PeerZone>,
        Option<(i32, (Vec<Vec<Option<f64>>>, Lineage, bool))>,
    );
    let mut read: std::collections::HashMap<(String, String), Read> =
        std::collections::HashMap::new();
    for j in judged {
        let Some(framework) = stored
            .iter()
            .map(|f| &f.framework)
            .find(|f| f.id == j.framework && f.scorable())
        else {
            continue;
        };
        // One read of a peer set's year, zones and values, whichever of its zones asks.
        let key = (j.peers.clone(), framework.id.clone());
        if !read.contains_key(&key) {
            let year = act
                .store
                .peer_years(&j.peers, &framework.id)
                .await?
                .first()
                .copied();
            let zones = act.store.peer_zones(&j.peers).await?;
            let table = match year {
                Some(y) => Some((y, table(act, &j, framework, &zones, 0, y).await?)),
                None => None,
            };
            read.insert(key.clone(), (zones, table));
        }
        let Some((zones, Some((data_year, (values, _, sample))))) = read.get(&key) else {
            continue;
        };
        let (data_year, sample) = (*data_year, *sample);
        let Some(subject) = zones
            .iter()
            .position(|z| z.zone.as_deref() == Some(&j.zone))
        else {
            continue;
        };
        let mut values = values.clone();
        let mut lineage = vec![None; framework.indicators.len()];
        let ledgers = from_ledgers(act, framework, &j.zone, data_year).await?;
        let sample =
            apply_ledgers(act, framework, &ledgers, &mut values[subject], &mut lineage) || sample;
        if values[subject].iter().all(Option::is_none) {
            continue;
        }
        let peers = values
            .iter()
            .filter(|r| r.iter().any(Option::is_some))
            .count();
        let ranks: Vec<u32> = Method::ALL
            .iter()
            .map(|m| Model::new(framework, values.clone(), subject, *m).rank(subject))
            .collect();
        let result_year = benchmarking::result_year(data_year);
        let target = j.target_of(result_year);
        out.push(Estimate {
            zone: j.zone.clone(),
            framework: framework.id.clone(),
            data_year,
            result_year,
            rank: ranks[0],
            low: ranks.iter().copied().min().unwrap_or(ranks[0]),
            high: ranks.iter().copied().max().unwrap_or(ranks[0]),
            peers,
            target,
            sample,
        });
    }
    Ok(out)
}

impl Analysis {
    /// The 对标分析报告 of this analysis (for `.docx` and `.xlsx`), made on `date` (YYYY-MM-DD).
    pub fn report(&self, plan_title: &str, date: &str) -> benchmarking::report::Report {
        benchmarking::report::build(&benchmarking::report::ReportInput {
            zone_name: &self.zone_name,
            plan_title,
            framework: &self.framework,
            data_year: self.data_year,
            method: self.method,
            peers: self.peers,
            composite: self.composite,
            rank: self.rank,
            band: &self.band,
            target: self.target,
            dimensions: &self.dimensions,
            positions: &self.positions,
            previous: &self.previous,
            strengthen: &self.strengthen,
            step_terms: &self
                .step_terms
                .iter()
                .map(|t| t.as_ref().map(|t| t.zh.clone()))
                .collect::<Vec<_>>(),
            movers: &self
                .movers
                .iter()
                .map(|(j, lines)| (*j, lines.iter().map(|t| t.zh.clone()).collect()))
                .collect::<Vec<_>>(),
            path: self.path.as_ref(),
            calibration: self.calibration,
            trend: &self.trend,
            sample: self.sample,
            date,
        })
    }
}

/// A zone's values computed from the ledgers for one data year: per indicator of the framework,
/// the value with what it was computed from.
#[derive(Debug, Clone, Default)]
pub struct FromLedgers {
    pub values: Vec<Option<Computed>>,
    /// The zone's enterprise reports of the year (for the enterprises that move an indicator).
    pub enterprises: Vec<Enterprise>,
    /// Any record read is 示例数据.
    pub sample: bool,
    /// The newest change among the records read.
    pub updated_at: Option<gaoxin_core::time::Timestamp>,
}

/// A zone's enterprise annual reports of every year, read once for all the data years an
/// analysis looks at (the units under the zone included).
#[derive(Debug, Clone, Default)]
pub struct Reports {
    units: Vec<String>,
    /// Each report, whether it is 示例数据, and when it last changed.
    reports: Vec<(Enterprise, bool, gaoxin_core::time::Timestamp)>,
}

/// Reads `zone`'s enterprise reports, when `framework` has a formula that needs them.
pub async fn read_reports(
    act: &Acting<'_>,
    framework: &Framework,
    zone: &str,
) -> Result<Reports, Error> {
    let units = gaoxin_core::ledger::subtree(act.plan, zone);
    let needs_reports = framework.indicators.iter().any(|i| {
        i.formula
            .as_deref()
            .is_some_and(|f| f != HITECH_NET_INCREASE)
    });
    let mut reports = Vec::new();
    if needs_reports && let Some(ledger) = gaoxin_core::ledger::Ledger::find(STATS_LEDGER) {
        let query = gaoxin_store::ListQuery {
            units: Some(units.clone()),
            ..gaoxin_store::ListQuery::default()
        };
        for r in act.store.ledger_all(ledger, &query).await? {
            if let Some(e) = Enterprise::of(ledger, &r.record) {
                reports.push((e, r.sample, gaoxin_core::time::Timestamp(r.updated_at)));
            }
        }
    }
    Ok(Reports { units, reports })
}

/// Computes the indicators of `framework` that name a formula, for `data_year`: from the
/// zone's enterprise reports of that year (and the year before, for increases), and
/// 当年净增高新技术企业数 from the certificates in force at the ends of the year and the year
/// before.
pub async fn from_reports(
    act: &Acting<'_>,
    framework: &Framework,
    reports: &Reports,
    data_year: i32,
) -> Result<FromLedgers, Error> {
    let mut out = FromLedgers {
        values: vec![None; framework.indicators.len()],
        ..FromLedgers::default()
    };
    if framework.indicators.iter().all(|i| i.formula.is_none()) {
        return Ok(out);
    }
    let (mut now, mut before) = (Vec::new(), Vec::new());
    for (e, sample, at) in &reports.reports {
        if e.year != data_year && e.year != data_year - 1 {
            continue;
        }
        out.sample |= *sample;
        out.updated_at = Some(
            out.updated_at
                .map_or(*at, |t| if at.0 > t.0 { *at } else { t }),
        );
        if e.year == data_year {
            now.push(e.clone());
        } else {
            before.push(e.clone());
        }
    }
    for (j, i) in framework.indicators.iter().enumerate() {
        let Some(formula) = i.formula.as_deref() else {
            continue;
        };
        out.values[j] = if formula == HITECH_NET_INCREASE {
            hitech_net_increase(act, &reports.units, data_year).await?
        } else if now.is_empty() {
            None
        } else {
            benchmarking::formula::compute(formula, &now, &before)
        };
    }
    out.enterprises = now;
    Ok(out)
}

/// [`read_reports`] then [`from_reports`], for one data year.
pub async fn from_ledgers(
    act: &Acting<'_>,
    framework: &Framework,
    zone: &str,
    data_year: i32,
) -> Result<FromLedgers, Error> {
    let reports = read_reports(act, framework, zone).await?;
    from_reports(act, framework, &reports, data_year).await
}

const STATS_LEDGER: &str = "enterprise-stats";
const HITECH_NET_INCREASE: &str = "hitech-net-increase";

/// 高新技术企业 in force at the end of `year` minus at the end of the year before, over `units`.
async fn hitech_net_increase(
    act: &Acting<'_>,
    units: &[String],
    year: i32,
) -> Result<Option<Computed>, Error> {
    let Some(count) = gaoxin_core::known::Count::find("hitech-valid") else {
        return Ok(None);
    };
    let mut totals = [0i64; 2];
    for (k, y) in [year, year - 1].into_iter().enumerate() {
        let at = gaoxin_store::CountAt {
            count,
            end: gaoxin_store::Day {
                year: y,
                month: 12,
                day: 31,
            },
        };
        totals[k] = act
            .store
            .ledger_count(&at)
            .await?
            .iter()
            .filter(|(unit, _)| units.contains(unit))
            .map(|(_, t)| t.records)
            .sum();
    }
    if totals == [0, 0] {
        return Ok(None);
    }
    Ok(Some(Computed {
        value: (totals[0] - totals[1]) as f64,
        enterprises: usize::try_from(totals[0]).unwrap_or(0),
        base: None,
    }))
}

/// What one enterprise does to its zone's 对标分析: for the framework that judges the zone, the
/// latest data year the enterprise reported, each indicator it moves — among the largest
/// contributors or drags, or just under the 5 % R&D threshold (`formula::movers`) — with the
/// line the analysis prints. Empty when the zone is not judged, the framework is not loaded,
/// or the enterprise moves nothing.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub framework: String,
    pub data_year: i32,
    /// The zone's analysis page.
    pub zone_href: Option<String>,
    /// (indicator, the line).
    pub lines: Vec<(String, gaoxin_core::text::Text)>,
}

/// [`Contribution`] of the enterprise `uscc` of `unit` (its own unit or one under a judged zone).
pub async fn contribution(
    act: &Acting<'_>,
    uscc: &str,
    unit: &str,
) -> Result<Option<Contribution>, Error> {
    let Some(judged) = benchmarking::judged_zones(act.plan).into_iter().find(|j| {
        gaoxin_core::ledger::subtree(act.plan, &j.zone)
            .iter()
            .any(|u| u == unit)
    }) else {
        return Ok(None);
    };
    if let Some(who) = act.who()
        && !benchmarking::may_read(who, act.plan, &judged.zone)
    {
        return Ok(None);
    }
    let Some(framework) = act
        .store
        .frameworks()
        .await?
        .into_iter()
        .find(|f| f.framework.id == judged.framework)
        .map(|f| f.framework)
        .filter(Framework::scorable)
    else {
        return Ok(None);
    };
    let reports = read_reports(act, &framework, &judged.zone).await?;
    let Some(data_year) = reports
        .reports
        .iter()
        .filter(|(e, _, _)| e.uscc == uscc)
        .map(|(e, _, _)| e.year)
        .max()
    else {
        return Ok(None);
    };
    let ledgers = from_reports(act, &framework, &reports, data_year).await?;
    let lines = framework
        .indicators
        .iter()
        .filter_map(|i| Some((i, i.formula.as_deref()?)))
        .flat_map(|(i, formula)| {
            benchmarking::formula::movers(formula, &ledgers.enterprises)
                .into_iter()
                .filter(|m| m.uscc == uscc)
                .map(|m| (i.name.clone(), messages::mover(&m)))
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(Some(Contribution {
        framework: framework.name,
        data_year,
        zone_href: Some(format!("/benchmarking/{}", judged.zone)),
        lines,
    }))
}
