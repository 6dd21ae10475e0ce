//! 驾驶舱 — where every zone stands on every target: the latest value, the value expected by
//! now (序时进度), the target, the light with the rule and numbers behind it, and the year-end
//! forecast; a city summary and the lagging indicators; per zone, a trend chart per indicator.

use crate::error::{PageError, WebError};
use crate::extract::{Path, Query};
use crate::i18n::{Lang, Tr, fill};
use crate::pages::{Chrome, Nav, PageCtx, unit_name, with_unit};
use askama::Template;
use axum::response::Response;
use gaoxin_core::Plan;
use gaoxin_core::monitor::{
    Evaluation, Expected, ForecastMethod, Status, Summary, YearMonth, lagging, trend,
};
use gaoxin_core::plan::{Comparator, IndicatorKind, format_rounded};
use gaoxin_core::text::Name;
use serde::{Deserialize, Serialize};

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/monitor", business, cockpit)
        .get("/monitor/compare", business, super::compare::compare)
        .get("/monitor/{zone}", business, zone)
}

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
}

impl PeriodQuery {
    pub fn period(&self) -> Option<&str> {
        self.period.as_deref()
    }
}

/// The period asked for, or the current period ([`YearMonth::current`]: the month just ended).
pub fn period_of(
    q: Option<&str>,
    now: gaoxin_core::time::Timestamp,
) -> Result<YearMonth, WebError> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(YearMonth::current(now)),
        Some(s) => YearMonth::parse(s).ok_or(BAD_PERIOD),
    }
}

/// A period that is not `YYYY-MM`.
pub const BAD_PERIOD: WebError = WebError::BadRequest(crate::i18n::Msg::bad_period());

/// One indicator's row, formatted.
pub struct EvalRow {
    pub zone: String,
    pub zone_name: String,
    pub indicator: String,
    pub name: String,
    pub period: String,
    pub actual: String,
    pub expected: String,
    pub target: String,
    pub status: &'static str,
    pub status_text: &'static str,
    pub gap: String,
    pub forecast: String,
    pub forecast_method: &'static str,
    /// The rule and the numbers behind the light, one line each.
    pub why: Vec<String>,
    pub flags: Vec<&'static str>,
    /// For a figure counted from a ledger: the ledger rows behind each input, `(href, label)`.
    pub ledger_links: Vec<(String, String)>,
}

pub fn status_text(t: Tr, s: Status) -> &'static str {
    match s {
        Status::Green => t.status_green(),
        Status::Yellow => t.status_yellow(),
        Status::Red => t.status_red(),
        Status::Gray => t.status_gray(),
    }
}

fn method_text(t: Tr, m: ForecastMethod) -> &'static str {
    match m {
        ForecastMethod::HoldLatest => t.forecast_hold_latest(),
        ForecastMethod::LastYearPattern => t.forecast_last_year_pattern(),
        ForecastMethod::Linear => t.forecast_linear(),
        ForecastMethod::LinearFromClose => t.forecast_linear_from_close(),
    }
}

/// A gap with its unit: a difference of percentages is in percentage points (`-6.3 个百分点`),
/// of counts in the count's unit (`-233 家`); ahead is `+`.
pub fn gap_text(t: Tr, gap: f64, unit: &str) -> String {
    let n = format_rounded(gap);
    let n = if gap > 0.0 { format!("+{n}") } else { n };
    match unit {
        "%" => fill(t.gap_points(), &[&n]),
        "" => n,
        u => format!("{n} {u}"),
    }
}

/// A forecast as shown: a count or a rank is a whole number (317 家, not 316.83 家); a rate or a
/// share keeps its decimals.
fn forecast_shown(kind: Option<IndicatorKind>, value: f64) -> f64 {
    match kind {
        Some(IndicatorKind::Stock | IndicatorKind::Flow | IndicatorKind::Rank) => value.round(),
        _ => value,
    }
}

pub fn eval_row(plan: &Plan, e: &Evaluation, t: Tr) -> EvalRow {
    let ind = plan.indicator(&e.indicator);
    let unit = ind.map_or("", |i| i.unit.as_str());
    let fmt = |v: Option<f64>| v.map(|x| with_unit(x, unit)).unwrap_or_default();
    let mut why = Vec::new();
    if e.undefined {
        why.push(t.why_undefined().to_string());
    } else if let (Some(actual), Some(period)) = (e.actual, e.period) {
        why.push(fill(t.why_actual(), &[&with_unit(actual, unit), &period]));
        for i in &e.inputs {
            let fig = plan.figure(&i.figure);
            let state = if fig.is_some_and(|f| f.counted.is_some()) {
                t.counted_from_ledger()
            } else {
                i.state.name(t.lang.into())
            };
            why.push(fill(
                t.why_input(),
                &[
                    &unit_name(plan, &i.unit),
                    &fig.map_or(i.figure.as_str(), |f| f.name.as_str()),
                    &i.period,
                    &with_unit(i.value, fig.map_or("", |f| f.unit.as_str())),
                    &state,
                ],
            ));
        }
        let target = with_unit(e.target, unit);
        let expected = fmt(e.expected);
        why.push(match e.expected_rule {
            Some(Expected::Prorated { months }) => {
                fill(t.why_prorated(), &[&target, &months, &expected])
            }
            Some(Expected::Linear {
                close,
                close_period,
                months,
            }) => fill(
                t.why_linear(),
                &[
                    &format_rounded(close),
                    &close_period,
                    &target,
                    &months,
                    &expected,
                ],
            ),
            Some(Expected::TargetNoClose) => fill(t.why_no_close(), &[&target]),
            _ => fill(t.why_target(), &[&target]),
        });
        if let (Some(gap), Some(tol)) = (e.gap, e.tolerance) {
            why.push(fill(
                t.why_gap(),
                &[&format_rounded(gap), &format_rounded(tol)],
            ));
        }
        why.push(match e.comparator {
            Comparator::AtMost => t.why_rule_at_most().to_string(),
            _ => t.why_rule_at_least().to_string(),
        });
        if let Some(f) = e.forecast {
            why.push(fill(
                t.why_forecast(),
                &[&with_unit(f.value, unit), &method_text(t, f.method)],
            ));
        }
    } else {
        why.push(t.why_not_reported().to_string());
    }
    let flags = e
        .flags()
        .into_iter()
        .map(|f| f.name(t.lang.into()))
        .collect();
    let mut ledger_links: Vec<(String, String)> = e
        .inputs
        .iter()
        .filter_map(|i| {
            let count = plan
                .figure(&i.figure)?
                .counted
                .as_deref()
                .and_then(gaoxin_core::ledger::Count::find)?;
            Some((
                format!(
                    "/ledgers/{}?counted={}&unit={}&period={}",
                    count.ledger, count.id, i.unit, i.period
                ),
                fill(t.ledger_rows_link(), &[&unit_name(plan, &i.unit)]),
            ))
        })
        .collect();
    // A counted figure with nothing counted yet: its ledger holds no record.
    if ledger_links.is_empty()
        && let Some(count) = ind
            .and_then(|i| i.figure.as_deref())
            .and_then(|f| plan.figure(f))
            .and_then(|f| f.counted.as_deref())
            .and_then(gaoxin_core::ledger::Count::find)
        && let Some(l) = gaoxin_core::ledger::Ledger::find(count.ledger)
    {
        let name = if t.lang == Lang::Zh { l.zh } else { l.en };
        why.push(fill(t.counted_empty(), &[&name]));
        ledger_links.push((
            format!("/ledgers/{}", l.id),
            fill(t.ledger_link(), &[&name]),
        ));
    }
    EvalRow {
        ledger_links,
        zone: e.zone.clone(),
        zone_name: unit_name(plan, &e.zone),
        indicator: e.indicator.clone(),
        name: ind.map_or_else(|| e.indicator.clone(), |i| i.name.clone()),
        period: e.period.map(|p| p.human(t.lang.into())).unwrap_or_default(),
        actual: fmt(e.actual),
        expected: fmt(e.expected),
        target: format!("{}{}", e.comparator.symbol(), with_unit(e.target, unit)),
        status: e.status.code(),
        status_text: status_text(t, e.status),
        gap: e.gap.map(|g| gap_text(t, g, unit)).unwrap_or_default(),
        forecast: fmt(e
            .forecast
            .map(|f| forecast_shown(ind.map(|i| i.kind), f.value))),
        forecast_method: e.forecast.map_or("", |f| method_text(t, f.method)),
        why,
        flags,
    }
}

struct ZoneCard {
    id: String,
    name: String,
    rows: Vec<EvalRow>,
    /// 对标分析's estimated rank, when there is one: (text, link to the analysis).
    estimate: Option<(String, String)>,
}

/// The line a zone card shows for its estimated rank (估算, with its band and the target).
fn estimate_line(t: Tr, e: &gaoxin_app::benchmarking::Estimate) -> (String, String) {
    let rank = fill(
        t.bm_cockpit_estimate(),
        &[
            &e.rank,
            &e.peers,
            &e.low,
            &e.high,
            &e.data_year,
            &e.result_year,
        ],
    );
    let text = match e.target {
        Some((year, target)) => format!("{rank}{}", fill(t.bm_cockpit_target(), &[&year, &target])),
        None => rank,
    };
    (text, format!("/benchmarking/{}", e.zone))
}

#[derive(Template)]
#[template(path = "monitor.html")]
struct CockpitPage {
    c: Chrome,
    t: Tr,
    period: String,
    summary: Vec<(&'static str, &'static str, usize)>,
    lagging: Vec<EvalRow>,
    zones: Vec<ZoneCard>,
    /// The tasks' sub-targets, most behind first, and how many show each light.
    subs: Vec<super::subtarget::SubRow>,
    sub_summary: Vec<(&'static str, &'static str, usize)>,
    /// The reader opens 督办单 (a lagging row links to a new one).
    may_open: bool,
    /// The reader may show the big screen.
    may_screen: bool,
}

fn summary(t: Tr, counts: Summary) -> Vec<(&'static str, &'static str, usize)> {
    [Status::Green, Status::Yellow, Status::Red, Status::Gray]
        .into_iter()
        .map(|s| (s.code(), status_text(t, s), counts.count(s)))
        .collect()
}

/// `GET /monitor?period=YYYY-MM`.
pub async fn cockpit(cx: PageCtx, Query(q): Query<PeriodQuery>) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let at = period_of(q.period.as_deref(), cx.state.now()).map_err(|e| cx.fail(e))?;
    let session = crate::pages::session_of(&cx)?;
    let status = gaoxin_app::monitor::status(&cx.acting(&session.account), None, at)
        .await
        .map_err(|e| cx.fail(e))?;
    let all: Vec<&Evaluation> = status.evaluations().collect();
    let estimates = gaoxin_app::benchmarking::estimates(&cx.acting(&session.account), None)
        .await
        .map_err(|e| cx.fail(e))?;
    let lag = lagging(all.iter().copied())
        .into_iter()
        .map(|e| eval_row(plan, e, t))
        .collect();
    let page = CockpitPage {
        c: cx.chrome(Nav::Monitor),
        t,
        period: at.to_string(),
        summary: summary(t, Summary::of(all.iter().copied())),
        sub_summary: summary(t, status.subtarget_summary())
            .into_iter()
            .map(|(code, text, n)| {
                let gray = code == Status::Gray.code();
                (code, if gray { t.sub_status_gray() } else { text }, n)
            })
            .collect(),
        subs: gaoxin_core::monitor::subtarget::urgent_first(&status.subtargets)
            .into_iter()
            .map(|e| super::subtarget::sub_row(plan, e, t))
            .collect(),
        lagging: lag,
        may_open: gaoxin_core::supervise::may_open(session.account.who()),
        may_screen: gaoxin_core::auth::allows(
            &session.account.roles,
            gaoxin_core::auth::Capability::ReadScreen,
        ),
        zones: status
            .zones
            .iter()
            .map(|z| ZoneCard {
                id: z.zone.id.clone(),
                name: z.zone.name.clone(),
                rows: z.evaluations.iter().map(|e| eval_row(plan, e, t)).collect(),
                estimate: estimates
                    .iter()
                    .find(|e| e.zone == z.zone.id)
                    .map(|e| estimate_line(t, e)),
            })
            .collect(),
    };
    cx.render(&page)
}

/// What `app.js` draws for a trend: months on x; the actual year-to-date line, the expected path
/// (dashed) and the target.
#[derive(Serialize)]
struct TrendSpec {
    categories: Vec<String>,
    unit: String,
    series: Vec<TrendSeries>,
}

#[derive(Serialize)]
struct TrendSeries {
    name: String,
    values: Vec<Option<f64>>,
    dashed: bool,
}

struct TrendChart {
    title: String,
    json: String,
}

#[derive(Template)]
#[template(path = "monitor_zone.html")]
struct ZonePage {
    c: Chrome,
    t: Tr,
    heading: String,
    period: String,
    zone: ZoneCard,
    charts: Vec<TrendChart>,
}

/// `GET /monitor/{zone}?period=YYYY-MM`.
pub async fn zone(
    cx: PageCtx,
    Path(zone): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let Some(z) = plan.zones().find(|z| z.id == zone) else {
        return Err(cx.fail(WebError::NotFound));
    };
    let at = period_of(q.period.as_deref(), cx.state.now()).map_err(|e| cx.fail(e))?;
    let session = crate::pages::session_of(&cx)?;
    let status = gaoxin_app::monitor::status(&cx.acting(&session.account), Some(&[&z.id]), at)
        .await
        .map_err(|e| cx.fail(e))?;
    let figures = &status.figures;
    let evals: Vec<Evaluation> = status.evaluations().cloned().collect();
    let mut charts = Vec::new();
    for target in plan.targets_of(&z.id).filter(|t| t.year == at.year) {
        let Some(ind) = plan.indicator(&target.indicator) else {
            continue;
        };
        let points = trend(plan, figures, target, at);
        let round = |v: Option<f64>| v.map(|x| (x * 100.0).round() / 100.0);
        let spec = TrendSpec {
            categories: (1..=12).map(|m| format!("{}-{m:02}", at.year)).collect(),
            unit: ind.unit.clone(),
            series: vec![
                TrendSeries {
                    name: t.series_actual().to_string(),
                    values: pad(points.iter().map(|p| round(p.actual)).collect()),
                    dashed: false,
                },
                TrendSeries {
                    name: t.series_expected().to_string(),
                    values: pad(points.iter().map(|p| round(p.expected)).collect()),
                    dashed: true,
                },
                TrendSeries {
                    name: t.series_target().to_string(),
                    values: vec![Some(target.value); 12],
                    dashed: true,
                },
            ],
        };
        charts.push(TrendChart {
            title: ind.name.clone(),
            json: serde_json::to_string(&spec).unwrap_or_default(),
        });
    }
    let estimate = gaoxin_app::benchmarking::estimates(&cx.acting(&session.account), Some(&z.id))
        .await
        .map_err(|e| cx.fail(e))?
        .first()
        .map(|e| estimate_line(t, e));
    let page = ZonePage {
        c: cx.chrome(Nav::Monitor).with_charts(),
        t,
        heading: fill(t.zone_cockpit_title(), &[&z.name]),
        period: at.to_string(),
        zone: ZoneCard {
            id: z.id.clone(),
            name: z.name.clone(),
            rows: evals.iter().map(|e| eval_row(plan, e, t)).collect(),
            estimate,
        },
        charts,
    };
    cx.render(&page)
}

/// Twelve months, the ones not reached yet empty.
fn pad(mut v: Vec<Option<f64>>) -> Vec<Option<f64>> {
    v.resize(12, None);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ranks_are_forecast_whole_and_gaps_carry_their_unit() {
        assert_eq!(forecast_shown(Some(IndicatorKind::Stock), 316.83), 317.0);
        assert_eq!(forecast_shown(Some(IndicatorKind::Flow), 9.4), 9.0);
        assert_eq!(forecast_shown(Some(IndicatorKind::Rank), 18.6), 19.0);
        assert_eq!(forecast_shown(Some(IndicatorKind::Rate), 7.26), 7.26);
        assert_eq!(forecast_shown(Some(IndicatorKind::Share), 31.5), 31.5);
        let zh = Tr {
            lang: crate::i18n::Lang::Zh,
        };
        let en = Tr {
            lang: crate::i18n::Lang::En,
        };
        assert_eq!(gap_text(zh, -6.3, "%"), "-6.3 个百分点");
        assert_eq!(gap_text(en, -6.3, "%"), "-6.3 pp");
        assert_eq!(gap_text(zh, 2.0, "家"), "+2 家");
        assert_eq!(gap_text(zh, -233.0, "家"), "-233 家");
    }
}
