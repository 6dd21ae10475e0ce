//! 对标分析 — the zones whose rank an evaluation judges, and each zone's standing under it:
//! the estimate and its band, the dimensions, the 补强 steps and the path to the target, every
//! indicator's position with its value open to what-if, and the rank over the years.

use super::{Chrome, Nav, PageCtx, session_of};
use crate::error::{PageError, WebError};
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use gaoxin_app::benchmarking::{Analysis, Missing};
use gaoxin_core::benchmarking::{Direction, Method, result_year};
use gaoxin_core::plan::format_rounded;
use gaoxin_core::text::Message;
use std::collections::HashMap;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/benchmarking", business, list)
        .get("/benchmarking/peers", business, peers)
        .get("/benchmarking/peers/template", business, peers_template)
        .method(
            "POST",
            "/benchmarking/peers/upload",
            business,
            axum::routing::post(peers_upload).layer(crate::routes::upload_limit(
                gaoxin_excel::Limits::PEERS.max_bytes,
            )),
        )
        .post("/benchmarking/peers/confirm", business, peers_confirm)
        .get("/benchmarking/{zone}", business, zone)
        .get("/benchmarking/{zone}/docx", business, report_docx)
        .get("/benchmarking/{zone}/xlsx", business, report_xlsx)
}

#[derive(Template)]
#[template(path = "benchmarking_list.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    zones: Vec<(String, String, String)>,
    may_enter: bool,
}

/// `GET /benchmarking`: the zones the reader may see, with how each is judged.
pub async fn list(cx: PageCtx) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let act = cx.acting(&session.account);
    let plan = &cx.stored.plan;
    let zones = gaoxin_app::benchmarking::zones(&act)
        .into_iter()
        .map(|j| {
            let name = plan
                .units
                .iter()
                .find(|u| u.id == j.zone)
                .map_or_else(|| j.zone.clone(), |u| u.name.clone());
            let how = fill(cx.t.bm_judged_by(), &[&j.framework, &j.peers]);
            (j.zone, name, how)
        })
        .collect();
    let page = ListPage {
        c: cx.chrome(Nav::Benchmarking),
        t: cx.t,
        zones,
        may_enter: gaoxin_core::benchmarking::may_enter(session.account.who()),
    };
    cx.render(&page)
}

#[derive(Template)]
#[template(path = "benchmarking_zone.html")]
struct ZonePage {
    c: Chrome,
    t: Tr,
    zone: String,
    zone_name: String,
    missing: Option<String>,
    view: Option<View>,
}

/// What the page shows of an analysis, laid out.
struct View {
    frameworks: Vec<(String, String, bool)>,
    years: Vec<(i32, String, bool)>,
    methods: Vec<(&'static str, &'static str, bool)>,
    framework_id: String,
    /// `framework=&year=&method=` of this analysis, for the report links.
    report_query: String,
    framework_line: String,
    incomplete: Option<String>,
    sample: bool,
    rank: String,
    /// The published overall rank of the evaluation this data year feeds, when recorded.
    published: Option<String>,
    /// Its ranks in the published single-item lists.
    published_items: Option<String>,
    band: String,
    composite: String,
    target: String,
    coverage: String,
    calibration: String,
    what_if: Option<String>,
    dimensions: Vec<DimensionBar>,
    steps: Vec<StepRow>,
    /// The enterprises that move the leading indicators: (indicator name, lines).
    movers: Vec<(String, Vec<String>)>,
    path_lead: String,
    path: Vec<String>,
    target_heading: String,
    previous_heading: String,
    rows: Vec<Row>,
    trend: Option<String>,
    may_order: bool,
}

struct DimensionBar {
    name: String,
    weight: String,
    /// The zone's published rank on it, when recorded.
    published: String,
    score: Option<String>,
    width: u32,
}

struct StepRow {
    name: String,
    change: String,
    /// What the step means in the zone's own terms, when computed from the ledgers.
    terms: String,
    gain: String,
    rank_after: String,
    order_link: String,
}

struct Row {
    no: String,
    id: String,
    name: String,
    unit: String,
    note: String,
    value: String,
    /// The data year before's value, when there is one.
    previous: String,
    changed: bool,
    rank: String,
    percentile: String,
    score: String,
    lost: String,
    target_value: String,
    gap: String,
    weight: String,
    assumed: bool,
    covered: bool,
    source: String,
}

#[derive(serde::Serialize)]
struct TrendSpec {
    years: Vec<i32>,
    unit: String,
    inverse: bool,
    series: Vec<TrendSeries>,
}

#[derive(serde::Serialize)]
struct TrendSeries {
    name: String,
    values: Vec<Option<f64>>,
    dashed: bool,
}

/// `GET /benchmarking/{zone}?framework=&year=&method=&v.<indicator>=`: the zone's standing;
/// `v.*` values are what-if changes, applied for this answer only.
pub async fn zone(
    cx: PageCtx,
    Path(zone): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let plan = &cx.stored.plan;
    let Some(unit) = plan.zones().find(|z| z.id == zone) else {
        return Err(cx.fail(WebError::NotFound));
    };
    let query = query_of(&zone, &q);
    let act = cx.acting(&session.account);
    let analysis = gaoxin_app::benchmarking::analyse(&act, &query)
        .await
        .map_err(|e| cx.fail(e))?;
    let may_order = gaoxin_core::supervise::may_open(session.account.who());
    let (missing, view) = match analysis {
        Ok(a) => (None, Some(view(&cx, &a, may_order))),
        Err(m) => (Some(missing_text(&cx, &m)), None),
    };
    let page = ZonePage {
        c: cx.chrome(Nav::Benchmarking).with_charts(),
        t: cx.t,
        zone: unit.id.clone(),
        zone_name: unit.name.clone(),
        missing,
        view,
    };
    cx.render(&page)
}

/// The analysis asked for by a page's query: `framework`, `year`, `method`, `v.<indicator>`.
fn query_of(zone: &str, q: &HashMap<String, String>) -> gaoxin_app::benchmarking::Query {
    let method = q
        .get("method")
        .and_then(|m| Method::from_id(m))
        .unwrap_or(Method::MinMax);
    let what_if: Vec<(String, f64)> = q
        .iter()
        .filter_map(|(k, v)| {
            let id = k.strip_prefix("v.")?;
            let x: f64 = v.trim().parse().ok()?;
            x.is_finite().then(|| (id.to_string(), x))
        })
        .collect();
    gaoxin_app::benchmarking::Query {
        zone: zone.to_string(),
        framework: q.get("framework").filter(|f| !f.is_empty()).cloned(),
        data_year: q.get("year").and_then(|y| y.parse().ok()),
        method,
        what_if,
    }
}

/// The report of the analysis the query asks for (what-if values are not reports: left out).
async fn report_of(
    cx: &PageCtx,
    zone: &str,
    q: &HashMap<String, String>,
) -> Result<(gaoxin_core::benchmarking::report::Report, String), PageError> {
    let session = session_of(cx)?;
    if cx.stored.plan.zones().all(|z| z.id != zone) {
        return Err(cx.fail(WebError::NotFound));
    }
    let mut query = query_of(zone, q);
    query.what_if.clear();
    let act = cx.acting(&session.account);
    let analysis = gaoxin_app::benchmarking::analyse(&act, &query)
        .await
        .map_err(|e| cx.fail(e))?
        .map_err(|_| cx.fail(WebError::NotFound))?;
    let date = gaoxin_core::time::Date::of(cx.state.now()).to_string();
    let name = format!(
        "gaoxin-benchmark-{zone}-{}-{}",
        analysis.framework.id, analysis.data_year
    );
    Ok((analysis.report(&cx.stored.plan.title, &date), name))
}

fn download(content_type: &str, name: String, bytes: Vec<u8>) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /benchmarking/{zone}/docx?framework=&year=&method=`: the 对标分析报告 as Word.
pub async fn report_docx(
    cx: PageCtx,
    Path(zone): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (report, name) = report_of(&cx, &zone, &q).await?;
    let bytes = gaoxin_docx::report_docx(&report)
        .map_err(|e| cx.fail(WebError::Document(e.to_string())))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("{name}.docx"),
        bytes,
    ))
}

/// `GET /benchmarking/{zone}/xlsx?framework=&year=&method=`: the 对标分析报告 as Excel.
pub async fn report_xlsx(
    cx: PageCtx,
    Path(zone): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (report, name) = report_of(&cx, &zone, &q).await?;
    let bytes = gaoxin_excel::report_workbook(&report)
        .map_err(|e| cx.fail(WebError::Document(e.to_string())))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{name}.xlsx"),
        bytes,
    ))
}

fn missing_text(cx: &PageCtx, m: &Missing) -> String {
    m.say(cx.lang.into())
}

fn num(x: f64) -> String {
    format_rounded(x)
}

fn view(cx: &PageCtx, a: &Analysis, may_order: bool) -> View {
    let t = cx.t;
    let f = &a.framework;
    let (low, high) = a
        .band
        .iter()
        .fold((u32::MAX, 0), |(lo, hi), (_, r)| (lo.min(*r), hi.max(*r)));
    let with_unit = |x: f64, unit: &str| format!("{} {unit}", num(x));
    let name_of = |j: usize| {
        f.indicators
            .get(j)
            .map_or_else(String::new, |i| i.name.clone())
    };
    let unit_of = |j: usize| {
        f.indicators
            .get(j)
            .map_or_else(String::new, |i| i.unit.clone())
    };
    let here = format!(
        "/benchmarking/{}?framework={}&year={}&method={}",
        a.zone,
        f.id,
        a.data_year,
        a.method.id()
    );
    let steps = a
        .strengthen
        .iter()
        .zip(&a.step_terms)
        .take(8)
        .map(|(s, terms)| {
            let unit = unit_of(s.indicator);
            let title = fill(t.bm_order_title(), &[&name_of(s.indicator)]);
            let basis = fill(
                t.bm_order_basis(),
                &[
                    &a.data_year,
                    &name_of(s.indicator),
                    &with_unit(s.from, &unit),
                    &with_unit(s.to, &unit),
                    &num(s.gain),
                    &a.rank,
                    &s.rank_after,
                    &here,
                ],
            );
            StepRow {
                name: name_of(s.indicator),
                change: fill(
                    t.bm_step(),
                    &[&with_unit(s.from, &unit), &with_unit(s.to, &unit)],
                ),
                terms: terms
                    .as_ref()
                    .map(|x| x.get(cx.lang.into()).to_string())
                    .unwrap_or_default(),
                gain: fill(t.bm_gain(), &[&num(s.gain)]),
                rank_after: fill(t.bm_rank_after(), &[&s.rank_after]),
                order_link: format!(
                    "/supervision/new?{}",
                    query_string(&[
                        ("zone", &a.zone),
                        ("indicator", &a.judged.indicator),
                        ("title", &title),
                        ("basis", &basis),
                    ])
                ),
            }
        })
        .collect();
    let (path_lead, path) = match &a.path {
        None => (String::new(), Vec::new()),
        Some(p) if p.steps.is_empty() && p.reached => (t.bm_path_there().to_string(), Vec::new()),
        Some(p) => {
            let lead = if p.reached {
                fill(
                    t.bm_path_reached(),
                    &[&p.rank_before, &p.rank_after, &p.target],
                )
            } else {
                fill(t.bm_path_short(), &[&p.rank_after, &p.target])
            };
            let lines = p
                .steps
                .iter()
                .map(|s| {
                    let unit = unit_of(s.indicator);
                    fill(
                        t.bm_path_line(),
                        &[
                            &name_of(s.indicator),
                            &fill(
                                t.bm_step(),
                                &[&with_unit(s.from, &unit), &with_unit(s.to, &unit)],
                            ),
                            &fill(t.bm_path_steps(), &[&s.steps]),
                            &fill(t.bm_gain(), &[&num(s.gain)]),
                        ],
                    )
                })
                .collect();
            (lead, lines)
        }
    };
    let changed: Vec<usize> = a.what_if.iter().map(|(j, _, _)| *j).collect();
    let target_rank = a.target.unwrap_or(1);
    let rows = f
        .indicators
        .iter()
        .zip(&a.positions)
        .zip(&a.lineage)
        .map(|((i, p), l)| Row {
            no: i.no.clone(),
            id: i.id.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            note: if i.direction == Direction::Lower {
                t.bm_lower_better().to_string()
            } else {
                String::new()
            },
            value: p.value.map(num).unwrap_or_default(),
            previous: a
                .previous
                .get(p.indicator)
                .copied()
                .flatten()
                .map(num)
                .unwrap_or_else(|| "—".into()),
            changed: changed.contains(&p.indicator),
            rank: p
                .rank
                .map(|r| format!("{r}/{}", p.of))
                .unwrap_or_else(|| "—".to_string()),
            percentile: p
                .percentile
                .map(|x| format!("{:.0}", x))
                .unwrap_or_else(|| "—".into()),
            score: if p.covered {
                format!("{:.2}", p.score)
            } else {
                "—".into()
            },
            lost: if p.covered { num(p.lost) } else { "—".into() },
            target_value: p.target_value.map(num).unwrap_or_else(|| "—".into()),
            gap: p.gap.map(num).unwrap_or_else(|| "—".into()),
            weight: num(i.weight),
            assumed: !i.weight_basis.is_confirmed(),
            covered: p.covered,
            source: l
                .as_ref()
                .map(|(s, _, _)| fill(t.bm_source(), &[s]))
                .unwrap_or_default(),
        })
        .collect();
    let dimensions = f
        .dimensions
        .iter()
        .zip(&a.dimensions)
        .zip(&a.published_dimensions)
        .map(|((d, s), p)| DimensionBar {
            published: p
                .map(|r| fill(t.bm_published_rank(), &[&r]))
                .unwrap_or_default(),
            name: format!("{} {}", d.no, d.name),
            weight: format!(
                "{}{}",
                fill(t.bm_dimension_weight(), &[&num(d.weight)]),
                if d.weight_basis.is_confirmed() {
                    ""
                } else {
                    t.bm_assumed_mark()
                }
            ),
            score: s.map(|x| format!("{:.1}", x)),
            width: s.map_or(0, |x| x.clamp(0.0, 100.0).round() as u32),
        })
        .collect();
    let covered = a.positions.iter().filter(|p| p.covered).count();
    let trend = (a.trend.len() > 1).then(|| {
        let spec = TrendSpec {
            years: a.trend.iter().map(|(y, _, _)| result_year(*y)).collect(),
            unit: String::new(),
            inverse: true,
            series: vec![TrendSeries {
                name: t.bm_trend_series().to_string(),
                values: a
                    .trend
                    .iter()
                    .map(|(_, r, _)| Some(f64::from(*r)))
                    .collect(),
                dashed: false,
            }],
        };
        serde_json::to_string(&spec).unwrap_or_default()
    });
    View {
        frameworks: a
            .frameworks
            .iter()
            .map(|(id, name)| (id.clone(), name.clone(), *id == f.id))
            .collect(),
        years: a
            .years
            .iter()
            .map(|y| {
                (
                    *y,
                    fill(t.bm_year_option(), &[y, &result_year(*y)]),
                    *y == a.data_year,
                )
            })
            .collect(),
        methods: Method::ALL
            .iter()
            .map(|m| {
                let label = match m {
                    Method::MinMax => t.bm_method_min_max(),
                    Method::Benchmark => t.bm_method_benchmark(),
                    Method::ZScore => t.bm_method_z_score(),
                };
                (m.id(), label, *m == a.method)
            })
            .collect(),
        framework_id: f.id.clone(),
        report_query: query_string(&[
            ("framework", &f.id),
            ("year", &a.data_year.to_string()),
            ("method", a.method.id()),
        ]),
        framework_line: fill(
            t.bm_framework_line(),
            &[
                &f.name,
                &f.document,
                &fill(t.bm_version(), &[&a.version.version_no]),
            ],
        ),
        incomplete: (!f.complete).then(|| fill(t.bm_incomplete(), &[&f.note])),
        sample: a.sample,
        rank: fill(t.bm_rank_value(), &[&a.rank, &a.peers]),
        published: a
            .published
            .map(|r| fill(t.bm_published_line(), &[&a.result_year, &r])),
        published_items: (!a.published_items.is_empty()).then(|| {
            let items: Vec<String> = a
                .published_items
                .iter()
                .map(|(item, r)| fill(t.bm_published_item(), &[item, r]))
                .collect();
            fill(
                t.bm_published_items(),
                &[&items.join(t.bm_list_separator())],
            )
        }),
        band: fill(t.bm_band(), &[&low, &high]),
        composite: fill(t.bm_points(), &[&format!("{:.1}", a.composite)]),
        target: a.target.map_or_else(
            || t.bm_no_target().to_string(),
            |r| {
                fill(
                    t.bm_target_line(),
                    &[&fill(t.bm_target_value(), &[&r]), &a.judged.indicator],
                )
            },
        ),
        coverage: fill(t.bm_coverage_value(), &[&covered, &f.indicators.len()]),
        calibration: match a.calibration {
            Some((year, c)) => fill(
                t.bm_calibration_value(),
                &[
                    &year,
                    &c.zones,
                    &format!("{:.1}", c.mean_abs_error),
                    &c.max_abs_error,
                    &format!("{:.2}", c.spearman),
                ],
            ),
            None => t.bm_calibration_none().to_string(),
        },
        what_if: (!a.what_if.is_empty()).then(|| fill(t.bm_what_if_applied(), &[&a.what_if.len()])),
        dimensions,
        steps,
        movers: a
            .movers
            .iter()
            .map(|(j, lines)| {
                (
                    name_of(*j),
                    lines
                        .iter()
                        .map(|l| l.get(cx.lang.into()).to_string())
                        .collect(),
                )
            })
            .collect(),
        path_lead,
        path,
        target_heading: fill(t.bm_col_target_value(), &[&target_rank]),
        previous_heading: fill(t.bm_col_previous(), &[&(a.data_year - 1)]),
        rows,
        trend,
        may_order,
    }
}

/// A query string (form-encoded), as the ledger list builds its links.
fn query_string(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// `?framework=&year=` of the peer pages.
#[derive(Debug, serde::Deserialize)]
pub struct PeersQuery {
    framework: Option<String>,
    year: Option<String>,
}

#[derive(Template)]
#[template(path = "benchmarking_peers.html")]
struct PeersPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    frameworks: Vec<(String, String, bool)>,
    framework: String,
    year: i32,
    peer_set: String,
    counts: String,
    notice: Option<String>,
    error: Option<String>,
}

/// The framework and data year a peer page is about: asked for, else the plan's first judged
/// framework that can score and last year's data.
async fn peer_choice(
    cx: &PageCtx,
    framework: Option<&str>,
    year: Option<&str>,
) -> Result<(Vec<(String, String, bool)>, String, i32), PageError> {
    let stored = cx.state.store.frameworks().await.map_err(|e| cx.fail(e))?;
    let scorable: Vec<(String, String)> = stored
        .iter()
        .filter(|f| f.framework.scorable())
        .map(|f| (f.framework.id.clone(), f.framework.name.clone()))
        .collect();
    let judged = gaoxin_core::benchmarking::judged_zones(&cx.stored.plan);
    let chosen = framework
        .filter(|f| scorable.iter().any(|(id, _)| id == f))
        .map(str::to_string)
        .or_else(|| {
            judged
                .iter()
                .map(|j| j.framework.clone())
                .find(|f| scorable.iter().any(|(id, _)| id == f))
        })
        .or_else(|| scorable.first().map(|(id, _)| id.clone()))
        .ok_or_else(|| cx.fail(WebError::NotFound))?;
    let this_year = i32::try_from(cx.state.now().year()).unwrap_or(2026);
    let year = match year.filter(|y| !y.is_empty()) {
        None => this_year - 1,
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=this_year).contains(y))
            .ok_or_else(|| cx.fail(WebError::BadRequest(crate::i18n::Msg::bm_bad_year())))?,
    };
    let frameworks = scorable
        .into_iter()
        .map(|(id, name)| {
            let selected = id == chosen;
            (id, name, selected)
        })
        .collect();
    Ok((frameworks, chosen, year))
}

/// The framework, peer set and data year a peer page works on (the dispatch office only;
/// nothing to enter into — a framework not loaded or judging no zone — is 404).
async fn peer_target_of(
    cx: &PageCtx,
    q: &PeersQuery,
) -> Result<
    (
        Vec<(String, String, bool)>,
        gaoxin_app::benchmarking::PeerTarget,
    ),
    PageError,
> {
    let session = session_of(cx)?;
    let (frameworks, framework, year) =
        peer_choice(cx, q.framework.as_deref(), q.year.as_deref()).await?;
    let target =
        gaoxin_app::benchmarking::peer_target(&cx.acting(&session.account), &framework, year)
            .await
            .map_err(|e| cx.fail(e))?
            .map_err(|_| cx.fail(WebError::NotFound))?;
    Ok((frameworks, target))
}

async fn peers_page(
    cx: &PageCtx,
    q: &PeersQuery,
    notice: Option<String>,
    error: Option<String>,
) -> Result<PeersPage, PageError> {
    let session = session_of(cx)?;
    let (frameworks, target) = peer_target_of(cx, q).await?;
    let (framework, year) = (target.framework.id.clone(), target.data_year);
    let act = cx.acting(&session.account);
    let rows = gaoxin_app::benchmarking::peer_rows(&act, &target)
        .await
        .map_err(|e| cx.fail(e))?;
    let with_values = rows
        .iter()
        .filter(|r| r.values.iter().any(Option::is_some))
        .count();
    let values: usize = rows.iter().map(|r| r.values.iter().flatten().count()).sum();
    let ranks = rows.iter().filter(|r| r.rank.is_some()).count();
    Ok(PeersPage {
        c: cx.chrome(Nav::Benchmarking),
        t: cx.t,
        csrf: session.csrf_token.clone(),
        frameworks,
        framework,
        year,
        peer_set: fill(cx.t.bm_peers_set(), &[&target.peer_set]),
        counts: fill(
            cx.t.bm_peers_counts(),
            &[&year, &with_values, &values, &ranks, &result_year(year)],
        ),
        notice,
        error,
    })
}

/// `GET /benchmarking/peers?framework=&year=`: the dispatch office's peer data for a framework
/// and data year — the template, the upload with its dry run.
pub async fn peers(cx: PageCtx, Query(q): Query<PeersQuery>) -> Result<Response, PageError> {
    let page = peers_page(&cx, &q, None, None).await?;
    cx.render(&page)
}

/// `GET /benchmarking/peers/template?framework=&year=`: the workbook to fill, holding what is
/// stored.
pub async fn peers_template(
    cx: PageCtx,
    Query(q): Query<PeersQuery>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let (_, target) = peer_target_of(&cx, &q).await?;
    let (framework, year) = (target.framework.id.clone(), target.data_year);
    let act = cx.acting(&session.account);
    let rows = gaoxin_app::benchmarking::peer_rows(&act, &target)
        .await
        .map_err(|e| cx.fail(e))?;
    let workbook = gaoxin_excel::peer_template(&gaoxin_excel::PeerTemplate {
        title: format!(
            "{} · {}",
            target.framework.name,
            fill(cx.t.bm_year_option(), &[&year, &result_year(year)])
        ),
        headings: gaoxin_core::benchmarking::sheet::headings(&target.framework, result_year(year)),
        rows,
        instructions: crate::i18n::PEER_INSTRUCTIONS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        sample: target.sample,
    })
    .map_err(|e| {
        tracing::error!(error = %e, "peer template failed");
        cx.fail(WebError::BadRequest(crate::i18n::Msg::template_failed()))
    })?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("gaoxin-peers-{framework}-{year}.xlsx"),
        workbook,
    ))
}

#[derive(Template)]
#[template(path = "benchmarking_peers_upload.html")]
struct PeersUpload {
    t: Tr,
    csrf: String,
    framework: String,
    year: i32,
    refused: Option<String>,
    errors: Vec<super::RowMessage>,
    summary: String,
    plan_rows: Vec<String>,
    token: String,
}

/// `POST /benchmarking/peers/upload?framework=&year=` (multipart, `file`): the dry run.
pub async fn peers_upload(
    cx: PageCtx,
    Query(q): Query<PeersQuery>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    use gaoxin_app::benchmarking::PeersCheck;
    let session = session_of(&cx)?;
    let (_, target) = peer_target_of(&cx, &q).await?;
    let (framework, year) = (target.framework.id.clone(), target.data_year);
    let act = cx.acting(&session.account);
    let mut report = PeersUpload {
        t: cx.t,
        csrf: session.csrf_token.clone(),
        framework,
        year,
        refused: None,
        errors: Vec::new(),
        summary: String::new(),
        plan_rows: Vec::new(),
        token: String::new(),
    };
    let (file_name, bytes) = match super::excel_upload(cx.t, &mut multipart).await {
        Ok((name, bytes)) => (super::short_name(name), bytes),
        Err(why) => {
            report.refused = Some(why.to_string());
            return Ok(super::respond(cx.lang, axum::http::StatusCode::OK, &report));
        }
    };
    match gaoxin_app::benchmarking::check_peers(&target, &bytes) {
        PeersCheck::Refused(text) => report.refused = Some(text.get(cx.lang.into()).to_string()),
        PeersCheck::Invalid(errors) => report.errors = super::row_messages(cx.lang, &errors),
        PeersCheck::Empty => report.refused = Some(cx.t.bm_peers_empty().to_string()),
        PeersCheck::Checked(rows) => {
            let values: usize = rows.iter().map(|r| r.values.len()).sum();
            let ranks = rows.iter().filter(|r| r.rank.is_some()).count();
            report.summary = fill(cx.t.bm_peers_ok(), &[&rows.len(), &values, &ranks]);
            report.plan_rows = rows
                .iter()
                .filter(|r| target.plan_zones.iter().any(|(n, _)| *n == r.zone))
                .map(|r| format!("{}: {} · {}", r.zone, r.values.len(), r.source))
                .collect();
            report.token =
                gaoxin_app::benchmarking::keep_peers(&act, &target, &file_name, &bytes, &rows)
                    .await
                    .map_err(|e| cx.fail(e))?;
        }
    }
    Ok(super::respond(cx.lang, axum::http::StatusCode::OK, &report))
}

/// The confirmation form.
#[derive(Debug, serde::Deserialize)]
pub struct PeersConfirm {
    token: String,
    framework: String,
    year: String,
}

/// `POST /benchmarking/peers/confirm`: writes the dry run's rows, all or none.
pub async fn peers_confirm(
    cx: PageCtx,
    crate::extract::Form(f): crate::extract::Form<PeersConfirm>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let q = PeersQuery {
        framework: Some(f.framework.clone()),
        year: Some(f.year.clone()),
    };
    let (_, target) = peer_target_of(&cx, &q).await?;
    let act = cx.acting(&session.account);
    let done = gaoxin_app::benchmarking::confirm_peers(&act, &target, &f.token).await;
    let (notice, error, status) = match done {
        Ok(Some(d)) => (
            Some(fill(
                cx.t.bm_peers_imported(),
                &[&(d.zones), &d.zones_added, &d.values, &d.ranks],
            )),
            None,
            axum::http::StatusCode::OK,
        ),
        Ok(None) => return Err(cx.fail(super::UPLOAD_GONE)),
        Err(gaoxin_app::Error::Store(e))
            if matches!(e, gaoxin_store::StoreError::SamplePeerSet { .. }) =>
        {
            (
                None,
                Some(e.say(cx.lang.into())),
                axum::http::StatusCode::CONFLICT,
            )
        }
        Err(e) => return Err(cx.fail(e)),
    };
    let page = peers_page(&cx, &q, notice, error).await?;
    Ok(super::respond(cx.lang, status, &page))
}
