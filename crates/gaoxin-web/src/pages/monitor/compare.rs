//! 各区对比 (`/monitor/compare?period=`): the zones side by side — ranked by how much of their own
//! targets and sub-targets is on track (`gaoxin_core::monitor::compare`), then each indicator and
//! sub-target two or more zones share, with every zone's value, target and light and its rank.

use super::cockpit::{PeriodQuery, period_of, status_text};
use crate::error::PageError;
use crate::extract::Query;
use crate::i18n::{Tr, fill};
use crate::pages::{Chrome, Nav, PageCtx, target_text, with_unit};
use askama::Template;
use axum::response::Response;
use gaoxin_core::monitor::compare::{comparable, rank_values, shared, standings};
use gaoxin_core::monitor::{Status, Summary};
use gaoxin_core::plan::Comparator;

struct StandingRow {
    rank: usize,
    zone: String,
    name: String,
    on_track: String,
    targets: String,
    subtargets: String,
}

/// One zone's value of a shared indicator or sub-target.
struct Cell {
    value: String,
    target: String,
    status: &'static str,
    status_text: &'static str,
    rank: String,
}

struct SharedRow {
    name: String,
    cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "monitor_compare.html")]
struct ComparePage {
    c: Chrome,
    t: Tr,
    period: String,
    period_text: String,
    zones: Vec<String>,
    standings: Vec<StandingRow>,
    indicators: Vec<SharedRow>,
    subtargets: Vec<SharedRow>,
}

fn lights(t: Tr, s: &Summary) -> String {
    fill(t.compare_lights(), &[&s.green, &s.yellow, &s.red, &s.gray])
}

fn rank_text(t: Tr, r: Option<usize>) -> String {
    r.map(|r| fill(t.compare_rank(), &[&r])).unwrap_or_default()
}

/// A zone's cell: its value with the unit, its own target, its light, its rank.
fn cell(
    t: Tr,
    value: Option<f64>,
    unit: &str,
    target: String,
    status: Status,
    rank: Option<usize>,
) -> Cell {
    Cell {
        value: value.map_or_else(|| "—".into(), |v| with_unit(v, unit)),
        target,
        status: status.code(),
        status_text: status_text(t, status),
        rank: rank_text(t, rank),
    }
}

fn empty_cell() -> Cell {
    Cell {
        value: "—".into(),
        target: String::new(),
        status: Status::Gray.code(),
        status_text: "",
        rank: String::new(),
    }
}

/// `GET /monitor/compare?period=YYYY-MM`.
pub async fn compare(cx: PageCtx, Query(q): Query<PeriodQuery>) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let at = period_of(q.period(), cx.state.now()).map_err(|e| cx.fail(e))?;
    let session = crate::pages::session_of(&cx)?;
    let status = gaoxin_app::monitor::status(&cx.acting(&session.account), None, at)
        .await
        .map_err(|e| cx.fail(e))?;
    let zones: Vec<(&str, &[gaoxin_core::monitor::Evaluation])> = status
        .zones
        .iter()
        .map(|z| (z.zone.id.as_str(), z.evaluations.as_slice()))
        .collect();
    let standings = standings(&zones, &status.subtargets)
        .into_iter()
        .map(|s| StandingRow {
            rank: s.rank,
            name: crate::pages::unit_name(plan, &s.zone),
            zone: s.zone,
            on_track: s
                .on_track
                .map_or_else(|| "—".to_string(), |p| with_unit(p, "%")),
            targets: lights(t, &s.targets),
            subtargets: lights(t, &s.subtargets),
        })
        .collect();

    // Indicators with a value in two or more zones.
    let keys: Vec<Vec<(&str, bool)>> = zones
        .iter()
        .map(|(_, evals)| {
            evals
                .iter()
                .map(|e| (e.indicator.as_str(), comparable(e.status)))
                .collect()
        })
        .collect();
    let indicators = shared(&keys)
        .into_iter()
        .map(|id| {
            let ind = plan.indicator(id);
            let unit = ind.map_or("", |i| i.unit.as_str());
            let comparator = ind.map_or(Comparator::AtLeast, |i| i.comparator);
            let evals: Vec<Option<&gaoxin_core::monitor::Evaluation>> = zones
                .iter()
                .map(|(_, evals)| evals.iter().find(|e| e.indicator == id))
                .collect();
            let ranks = rank_values(
                comparator,
                &evals
                    .iter()
                    .map(|e| e.filter(|e| comparable(e.status)).and_then(|e| e.actual))
                    .collect::<Vec<_>>(),
            );
            SharedRow {
                name: ind.map_or_else(|| id.to_string(), |i| i.name.clone()),
                cells: evals
                    .iter()
                    .zip(ranks)
                    .map(|(e, r)| match e {
                        Some(e) => cell(
                            t,
                            e.actual,
                            unit,
                            format!("{}{}", e.comparator.symbol(), with_unit(e.target, unit)),
                            e.status,
                            r,
                        ),
                        None => empty_cell(),
                    })
                    .collect(),
            }
        })
        .collect();

    // Sub-targets of each zone that two or more zones have a value of.
    let per_zone: Vec<Vec<&gaoxin_core::monitor::subtarget::SubEvaluation>> = zones
        .iter()
        .map(|(z, _)| {
            status
                .subtargets
                .iter()
                .filter(|s| s.zone.as_deref() == Some(z))
                .collect()
        })
        .collect();
    let keys: Vec<Vec<(&str, bool)>> = per_zone
        .iter()
        .map(|subs| {
            subs.iter()
                .map(|s| (s.subtarget.as_str(), s.actual.is_some()))
                .collect()
        })
        .collect();
    let subtargets = shared(&keys)
        .into_iter()
        .filter_map(|id| {
            let s = plan.subtargets.iter().find(|s| s.id == id)?;
            let evals: Vec<Option<&&gaoxin_core::monitor::subtarget::SubEvaluation>> = per_zone
                .iter()
                .map(|subs| subs.iter().find(|e| e.subtarget == id))
                .collect();
            let ranks = rank_values(
                s.comparator,
                &evals
                    .iter()
                    .map(|e| e.and_then(|e| e.actual))
                    .collect::<Vec<_>>(),
            );
            Some(SharedRow {
                name: s.name.clone(),
                cells: evals
                    .iter()
                    .zip(ranks)
                    .map(|(e, r)| match e {
                        Some(e) => cell(
                            t,
                            e.actual,
                            &s.unit,
                            target_text(s.comparator, s.value, s.max, &s.unit),
                            e.status,
                            r,
                        ),
                        None => empty_cell(),
                    })
                    .collect(),
            })
        })
        .collect();

    let page = ComparePage {
        c: cx.chrome(Nav::Monitor),
        t,
        period: at.to_string(),
        period_text: at.human(t.lang.into()),
        zones: status.zones.iter().map(|z| z.zone.name.clone()).collect(),
        standings,
        indicators,
        subtargets,
    };
    cx.render(&page)
}
