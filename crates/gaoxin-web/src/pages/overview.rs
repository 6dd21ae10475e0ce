//! 总览 (`/overview`) — the two zones side by side: every target per year, and the path 2025→2027 as a chart.

use super::{Chrome, Nav, PageCtx, SourceLink, target_text};
use crate::error::PageError;
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::Response;
use gaoxin_core::plan::{DepartmentKind, IndicatorKind, Plan, TaskKind, Unit};
use serde::Serialize;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new().get("/overview", business, page)
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    c: Chrome,
    t: Tr,
    /// The plan's years; `true` marks this year's column.
    columns: Vec<(i32, bool)>,
    stats: Vec<(&'static str, usize)>,
    zones: Vec<ZoneView>,
}

struct ZoneView {
    id: String,
    name: String,
    shares_of: Option<String>,
    rows: Vec<IndicatorRow>,
    /// One chart per unit of measure, so percentages and counts never share an axis.
    charts: Vec<ChartView>,
}

struct ChartView {
    title: String,
    json: String,
}

struct IndicatorRow {
    name: String,
    basis: String,
    /// One cell per plan year.
    cells: Vec<Option<Cell>>,
}

struct Cell {
    text: String,
    source: SourceLink,
}

/// What `app.js` draws: years on x, one line per indicator, all in one unit.
#[derive(Serialize)]
struct ChartSpec<'a> {
    years: &'a [i32],
    unit: &'a str,
    series: Vec<ChartSeries>,
}

#[derive(Serialize)]
struct ChartSeries {
    name: String,
    values: Vec<Option<f64>>,
}

pub async fn page(cx: PageCtx) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let years: Vec<i32> = plan.period.years().collect();
    let this_year = cx.state.now().year();
    let zones = plan
        .zones()
        .map(|z| zone_view(plan, z, &years, t))
        .collect();
    let stats = vec![
        (t.stat_zones(), plan.zones().count()),
        (t.stat_targets(), plan.targets.len()),
        (
            t.stat_tasks(),
            plan.tasks
                .iter()
                .filter(|k| {
                    plan.group(&k.group)
                        .is_some_and(|g| g.kind == TaskKind::Key)
                })
                .count(),
        ),
        (
            t.stat_departments(),
            plan.departments
                .iter()
                .filter(|d| d.kind == DepartmentKind::Lead)
                .count(),
        ),
    ];
    let page = OverviewPage {
        c: cx.chrome(Nav::Overview).with_charts(),
        t,
        columns: years
            .iter()
            .map(|y| (*y, i64::from(*y) == this_year))
            .collect(),
        stats,
        zones,
    };
    cx.render(&page)
}

fn zone_view(plan: &Plan, zone: &Unit, years: &[i32], t: Tr) -> ZoneView {
    let indicators = plan.indicators_of(&zone.id);
    let rows = indicators
        .iter()
        .map(|ind| IndicatorRow {
            name: ind.name.clone(),
            basis: ind.basis.clone(),
            cells: years
                .iter()
                .map(|y| {
                    plan.target(&zone.id, &ind.id, *y).map(|tg| Cell {
                        text: target_text(ind.comparator, tg.value, None, &ind.unit),
                        source: SourceLink::of(&tg.quote),
                    })
                })
                .collect(),
        })
        .collect();
    // Ranks are single targets, not paths; they stay in the table.
    let charted: Vec<_> = indicators
        .iter()
        .filter(|i| i.kind != IndicatorKind::Rank)
        .collect();
    let mut units: Vec<&str> = Vec::new();
    for i in &charted {
        if !units.contains(&i.unit.as_str()) {
            units.push(&i.unit);
        }
    }
    let charts = units
        .into_iter()
        .map(|unit| {
            let series = charted
                .iter()
                .filter(|i| i.unit == unit)
                .map(|ind| ChartSeries {
                    name: ind.name.clone(),
                    values: years
                        .iter()
                        .map(|y| plan.target(&zone.id, &ind.id, *y).map(|tg| tg.value))
                        .collect(),
                })
                .collect();
            let spec = ChartSpec {
                years,
                unit,
                series,
            };
            ChartView {
                title: fill(
                    t.chart_title(),
                    &[&plan.period.start, &plan.period.end, &unit],
                ),
                json: serde_json::to_string(&spec).unwrap_or_default(),
            }
        })
        .collect();
    ZoneView {
        id: zone.id.clone(),
        name: zone.name.clone(),
        shares_of: zone
            .share_base
            .as_deref()
            .and_then(|b| plan.unit(b))
            .map(|b| fill(t.shares_of(), &[&b.name])),
        rows,
        charts,
    }
}
