//! 台账看板 (`/ledgers/dashboard`): the ledgers drawn as bars people can take in at a glance —
//! the 招商 funnel, the enterprise pyramid, low-efficiency land, funds — from
//! `gaoxin_app::ledger::dashboards`, each bar linking to the ledger rows behind it (the ledger's
//! list filtered by that kind, unit, stall, flag or validity). Bars are plain HTML, so they need
//! no script, print, and read at 390 px. The big screen (`/screen`) draws the same charts.

use super::supervise::{Choice, choices};
use super::{Chrome, Nav, PageCtx, session_of};
use crate::error::{PageError, WebError};
use crate::extract::Query;
use crate::i18n::{Lang, Tr, fill};
use askama::Template;
use axum::response::Response;
use gaoxin_app::ledger::Dashboards;
use gaoxin_core::ledger::dashboard::{Step, width};
use std::collections::HashMap;

pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    Routes::new().get(
        "/ledgers/dashboard",
        Access::Needs(Capability::ReadBusiness),
        dashboard,
    )
}

/// One bar: what it is, its number as read, how wide, where it leads; and a second number
/// beside it (stalled, the change over the year) with its own link.
pub(crate) struct Bar {
    pub label: String,
    pub value: String,
    pub width: u32,
    pub href: String,
    pub aside: Option<(String, String)>,
}

/// One chart: bars and the lines under it.
pub(crate) struct Chart {
    pub id: &'static str,
    pub title: &'static str,
    pub shape: &'static str,
    pub bars: Vec<Bar>,
    pub notes: Vec<(String, Option<String>)>,
    pub sample: bool,
}

impl Chart {
    /// The chart of a ledger that holds no record: its title and no bars (the page says the
    /// ledger is not kept yet — never a row of zeros).
    fn not_kept(id: &'static str, title: &'static str) -> Chart {
        Chart {
            id,
            title,
            shape: "bars",
            bars: Vec::new(),
            notes: Vec::new(),
            sample: false,
        }
    }
}

/// A link to a ledger's list with these filters.
fn list_href(ledger: &str, unit: Option<&str>, filters: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(&str, &str)> = filters.to_vec();
    if let Some(u) = unit {
        pairs.push(("unit", u));
    }
    format!(
        "/ledgers/{ledger}?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// An amount in 万元 as people read it: 亿元 (billions in English) from 1 亿 up.
fn yuan(t: Tr, wan: f64) -> String {
    let number = match (t.lang, wan >= 10_000.0) {
        (Lang::Zh, true) => format!("{:.2}", wan / 10_000.0),
        (Lang::Zh, false) => format!("{wan:.0}"),
        (Lang::En, true) => format!("{:.2}", wan / 100_000.0),
        (Lang::En, false) => format!("{:.1}", wan / 100.0),
    };
    if wan >= 10_000.0 {
        fill(t.dash_amount_big(), &[&number])
    } else {
        fill(t.dash_amount_small(), &[&number])
    }
}

fn widest(steps: &[Step], f: impl Fn(&Step) -> f64) -> f64 {
    steps.iter().map(f).fold(0.0, f64::max)
}

/// The charts of the dashboards, links narrowed to `unit`: the funnel's two halves, the
/// pyramid, land, the listing pipeline, funds, in that order (the page and the big screen).
pub(crate) fn charts(t: Tr, d: &Dashboards, unit: Option<&str>) -> Vec<Chart> {
    let n = |k: i64| fill(t.dash_count(), &[&k]);
    let f = &d.funnel;
    let funnel_targets = f.targets.as_ref().map(|steps| {
        let w = widest(steps, |s| s.records as f64);
        Chart {
            id: "funnel-targets",
            title: t.dash_targets(),
            shape: "funnel",
            bars: steps
                .iter()
                .map(|s| Bar {
                    label: s.kind.to_string(),
                    value: n(s.records),
                    width: width(s.records as f64, w),
                    href: list_href("targets", unit, &[("kind", s.kind)]),
                    aside: None,
                })
                .collect(),
            notes: Vec::new(),
            sample: f.sample,
        }
    });
    let funnel_projects = f.projects.as_ref().map(|steps| {
        let w = widest(steps, |s| s.records as f64);
        let mut notes = vec![(
            fill(t.dash_big(), &[&f.big, &f.big_without_liaison]),
            (f.big_without_liaison > 0).then(|| list_href("projects", unit, &[("flagged", "1")])),
        )];
        if let Some(cutoff) = &d.stall_cutoff {
            notes.push((fill(t.dash_stall_rule(), &[&cutoff]), None));
        }
        Chart {
            id: "funnel-projects",
            title: t.dash_projects(),
            shape: "funnel",
            bars: steps
                .iter()
                .map(|s| Bar {
                    label: s.kind.to_string(),
                    value: format!("{} · {}", n(s.records), yuan(t, s.amount)),
                    width: width(s.records as f64, w),
                    href: list_href("projects", unit, &[("kind", s.kind)]),
                    aside: (s.stalled > 0).then(|| {
                        (
                            fill(t.dash_stalled(), &[&s.stalled]),
                            list_href("projects", unit, &[("kind", s.kind), ("stalled", "1")]),
                        )
                    }),
                })
                .collect(),
            notes,
            sample: f.sample,
        }
    });
    let at = d.at.to_string();
    let pyramid = d.pyramid.as_ref().map(|(levels, sample)| {
        let w = levels.iter().map(|l| l.now as f64).fold(0.0, f64::max);
        Chart {
            id: "pyramid",
            title: t.dash_pyramid(),
            shape: "pyramid",
            // The apex on top.
            bars: levels
                .iter()
                .rev()
                .map(|l| {
                    let change = l.change();
                    Bar {
                        label: l.kind.to_string(),
                        value: fill(t.dash_enterprises(), &[&l.now]),
                        width: width(l.now as f64, w),
                        href: list_href(
                            "qualifications",
                            unit,
                            &[("kind", l.kind), ("valid", &at)],
                        ),
                        aside: Some((
                            fill(
                                t.dash_change(),
                                &[&if change > 0 {
                                    format!("+{change}")
                                } else {
                                    change.to_string()
                                }],
                            ),
                            list_href(
                                "qualifications",
                                unit,
                                &[("kind", l.kind), ("valid", &d.year_before.to_string())],
                            ),
                        )),
                    }
                })
                .collect(),
            notes: vec![(
                fill(
                    t.dash_pyramid_rule(),
                    &[
                        &d.at.human(t.lang.into()),
                        &d.year_before.human(t.lang.into()),
                    ],
                ),
                None,
            )],
            sample: *sample,
        }
    });
    let land = d.land.as_ref().map(|l| {
        let w = widest(&l.statuses, |s| s.amount);
        let mut notes = Vec::new();
        if let Some(share) = l.done_share {
            notes.push((fill(t.dash_land_done(), &[&format!("{share:.1}")]), None));
        }
        notes.push((
            fill(t.dash_land_without_plan(), &[&l.without_plan]),
            (l.without_plan > 0).then(|| list_href("land", unit, &[("flagged", "1")])),
        ));
        Chart {
            id: "land",
            title: t.dash_land(),
            shape: "bars",
            bars: l
                .statuses
                .iter()
                .map(|s| Bar {
                    label: s.kind.to_string(),
                    value: fill(t.dash_parcels(), &[&s.records, &format!("{:.1}", s.amount)]),
                    width: width(s.amount, w),
                    href: list_href("land", unit, &[("kind", s.kind)]),
                    aside: None,
                })
                .collect(),
            notes,
            sample: l.sample,
        }
    });
    let funds = d.funds.as_ref().map(|(funds, sample)| {
        let w = funds.iter().map(|f| f.size).fold(0.0, f64::max);
        let total: f64 = funds.iter().map(|f| f.size).sum();
        let invested: f64 = funds.iter().map(|f| f.invested).sum();
        let investees: i64 = funds.iter().map(|f| f.investees).sum();
        Chart {
            id: "funds",
            title: t.dash_funds(),
            shape: "bars",
            bars: funds
                .iter()
                .map(|f| Bar {
                    label: f.kind.to_string(),
                    value: format!(
                        "{} · {}",
                        fill(t.dash_funds_count(), &[&f.records]),
                        yuan(t, f.size)
                    ),
                    width: width(f.size, w),
                    href: list_href("funds", unit, &[("kind", f.kind)]),
                    aside: (f.records > 0).then(|| {
                        (
                            fill(t.dash_invested(), &[&yuan(t, f.invested), &f.investees]),
                            list_href("funds", unit, &[("kind", f.kind)]),
                        )
                    }),
                })
                .collect(),
            notes: vec![(
                fill(
                    t.dash_funds_total(),
                    &[&yuan(t, total), &yuan(t, invested), &investees],
                ),
                None,
            )],
            sample: *sample,
        }
    });
    let listings = d.listings.as_ref().map(|(steps, sample)| {
        let w = widest(steps, |s| s.records as f64);
        // The last stage, 上市挂牌: the register.
        let (listed, register) = steps.last().map_or((0, ""), |s| (s.records, s.kind));
        let flagged: i64 = steps.iter().map(|s| s.flagged).sum();
        let mut notes = vec![(
            fill(t.dash_register(), &[&listed]),
            Some(list_href("listings", unit, &[("kind", register)])),
        )];
        if flagged > 0 {
            notes.push((
                fill(t.dash_listed_without_code(), &[&flagged]),
                Some(list_href("listings", unit, &[("flagged", "1")])),
            ));
        }
        Chart {
            id: "listings",
            title: t.dash_listings(),
            shape: "funnel",
            bars: steps
                .iter()
                .map(|s| Bar {
                    label: s.kind.to_string(),
                    value: fill(t.dash_enterprises(), &[&s.records]),
                    width: width(s.records as f64, w),
                    href: list_href("listings", unit, &[("kind", s.kind)]),
                    aside: None,
                })
                .collect(),
            notes,
            sample: *sample,
        }
    });
    vec![
        funnel_targets.unwrap_or_else(|| Chart::not_kept("funnel-targets", t.dash_targets())),
        funnel_projects.unwrap_or_else(|| Chart::not_kept("funnel-projects", t.dash_projects())),
        pyramid.unwrap_or_else(|| Chart::not_kept("pyramid", t.dash_pyramid())),
        land.unwrap_or_else(|| Chart::not_kept("land", t.dash_land())),
        listings.unwrap_or_else(|| Chart::not_kept("listings", t.dash_listings())),
        funds.unwrap_or_else(|| Chart::not_kept("funds", t.dash_funds())),
    ]
}

#[derive(Template)]
#[template(path = "ledger_dashboard.html")]
struct DashboardPage {
    c: Chrome,
    t: Tr,
    units: Vec<Choice>,
    charts: Vec<Chart>,
}

/// `GET /ledgers/dashboard?unit=`.
pub async fn dashboard(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let unit = q.get("unit").map(String::as_str).filter(|u| !u.is_empty());
    if unit.is_some_and(|u| plan.unit(u).is_none()) {
        return Err(cx.fail(WebError::NotFound));
    }
    let Some(d) = gaoxin_app::ledger::dashboards(&cx.acting(&session.account), unit)
        .await
        .map_err(|e| cx.fail(e))?
    else {
        return Err(cx.fail(WebError::NotFound));
    };
    let readable = gaoxin_core::ledger::readable_units(plan, session.account.who());
    let page = DashboardPage {
        c: cx.chrome(Nav::Ledgers),
        t: cx.t,
        units: choices(
            plan.units
                .iter()
                .filter(|u| readable.as_ref().is_none_or(|r| r.contains(&u.id)))
                .map(|u| (u.id.clone(), u.name.clone())),
            unit,
        ),
        charts: charts(cx.t, &d, unit),
    };
    cx.render(&page)
}
