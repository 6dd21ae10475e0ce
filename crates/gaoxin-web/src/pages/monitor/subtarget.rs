//! The plan's quantified sub-targets as rows people read: the cockpit's section, a work item's
//! counted sub-target and the bulletin all lay out [`SubRow`]s, so each says the same thing.

use crate::i18n::{Tr, fill};
use crate::pages::ledger::name_of;
use crate::pages::{target_text, unit_name, with_unit};
use gaoxin_core::ledger::{Count, Ledger};
use gaoxin_core::monitor::Status;
use gaoxin_core::monitor::subtarget::{SubEvaluation, Unknown};
use gaoxin_core::plan::{Plan, SubTarget, format_rounded};

use super::cockpit::status_text;

/// One sub-target of one zone (or of the zones together), formatted.
pub struct SubRow {
    pub id: String,
    /// 任务 6 / Task 6.
    pub task: String,
    pub name: String,
    /// The zone, or 全市高新区合计.
    pub scope: String,
    /// 2025年 / 2025: the year judged (a one-year target keeps its own).
    pub year: String,
    pub actual: String,
    pub expected: String,
    pub target: String,
    pub status: &'static str,
    pub status_text: &'static str,
    pub forecast: String,
    /// The rule and the numbers behind the light, one line each.
    pub why: Vec<String>,
    /// 示例数据, 已结束 …
    pub flags: Vec<&'static str>,
    /// The ledger rows counted: `(href, label)`.
    pub link: Option<(String, String)>,
}

/// The sub-target `e` is of (plan order: it exists).
fn subtarget_of<'p>(plan: &'p Plan, e: &SubEvaluation) -> Option<&'p SubTarget> {
    plan.subtargets.iter().find(|s| s.id == e.subtarget)
}

pub fn sub_row(plan: &Plan, e: &SubEvaluation, t: Tr) -> SubRow {
    let s = subtarget_of(plan, e);
    let unit = s.map_or("", |s| s.unit.as_str());
    let fmt = |v: Option<f64>| v.map(|x| with_unit(x, unit)).unwrap_or_default();
    let count = s.and_then(|s| s.counted.as_deref()).and_then(Count::find);
    let ledger = count.and_then(|c| Ledger::find(c.ledger));
    let ledger_name = ledger.map_or("", |l| name_of(t.lang, l.zh, l.en));
    let mut why = Vec::new();
    match e.unknown {
        Some(Unknown::NotCounted) => why.push(t.sub_why_not_counted().to_string()),
        Some(Unknown::NotKept) => why.push(fill(t.counted_empty(), &[&ledger_name])),
        Some(Unknown::NothingToShare) => why.push(t.sub_why_nothing_to_share().to_string()),
        Some(Unknown::NotStarted) => why.push(fill(t.sub_why_not_started(), &[&e.year])),
        None => {}
    }
    if let (Some(actual), Some(period)) = (e.actual, e.period) {
        why.push(fill(
            t.sub_why_actual(),
            &[
                &period.human(t.lang.into()),
                &ledger_name,
                &with_unit(actual, unit),
            ],
        ));
        if let (Some(expected), Some(s)) = (e.expected, s) {
            let target = with_unit(s.value, unit);
            why.push(if e.prorated {
                fill(
                    t.why_prorated(),
                    &[&target, &period.month, &with_unit(expected, unit)],
                )
            } else if e.closed {
                fill(t.sub_why_closed(), &[&e.year, &target])
            } else {
                fill(t.why_target(), &[&target])
            });
        }
        if let (Some(gap), Some(tol)) = (e.gap, e.tolerance)
            && !e.closed
        {
            why.push(fill(
                t.why_gap(),
                &[&format_rounded(gap), &format_rounded(tol)],
            ));
        }
        if e.above_range
            && let Some(max) = s.and_then(|s| s.max)
        {
            why.push(fill(t.sub_why_above(), &[&with_unit(max, unit)]));
        }
        if let Some(f) = e.forecast {
            let method = if e.prorated {
                t.forecast_linear()
            } else {
                t.forecast_hold_latest()
            };
            why.push(fill(t.why_forecast(), &[&fmt(Some(f.round())), &method]));
        }
    }
    let mut flags = Vec::new();
    if e.sample {
        flags.push(t.sample_data());
    }
    if e.closed {
        flags.push(t.sub_closed());
    }
    let link = match (count, e.period) {
        (Some(c), Some(p)) => {
            let unit_q = e
                .zone
                .as_deref()
                .map(|z| format!("&unit={z}"))
                .unwrap_or_default();
            Some((
                format!("/ledgers/{}?counted={}{unit_q}&period={p}", c.ledger, c.id),
                fill(t.ledger_link(), &[&ledger_name]),
            ))
        }
        // Nothing counted yet: the ledger to fill.
        (Some(c), None) => Some((
            format!("/ledgers/{}", c.ledger),
            fill(t.ledger_link(), &[&ledger_name]),
        )),
        _ => None,
    };
    SubRow {
        id: e.subtarget.clone(),
        task: s
            .and_then(|s| plan.task(&s.task))
            .map(|task| fill(t.sub_task(), &[&plan.task_label(task)]))
            .unwrap_or_default(),
        name: s.map_or_else(|| e.subtarget.clone(), |s| s.name.clone()),
        scope: e
            .zone
            .as_deref()
            .map_or_else(|| t.sub_all_zones().to_string(), |z| unit_name(plan, z)),
        year: fill(t.sub_year(), &[&e.year]),
        actual: fmt(e.actual),
        expected: fmt(e.expected),
        target: s
            .map(|s| target_text(s.comparator, s.value, s.max, &s.unit))
            .unwrap_or_default(),
        status: e.status.code(),
        status_text: if e.status == Status::Gray {
            t.sub_status_gray()
        } else {
            status_text(t, e.status)
        },
        forecast: fmt(e.forecast.map(|f| if unit == "%" { f } else { f.round() })),
        why,
        flags,
        link,
    }
}
