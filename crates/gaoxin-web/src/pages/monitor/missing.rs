//! 未报清单 — per unit, the figures due for a period that are not in.

use super::cockpit::period_of;
use super::entry::*;
use crate::error::PageError;
use crate::extract::Query;
use crate::i18n::Tr;
use crate::pages::{Chrome, Nav, PageCtx, unit_name};
use askama::Template;
use axum::response::Response;
use gaoxin_core::monitor::owed;
use serde::Deserialize;

pub(super) struct MissingUnit {
    name: String,
    responsible: String,
    figures: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "figures_missing.html")]
pub(super) struct MissingPage {
    c: Chrome,
    t: Tr,
    period: String,
    deadline: String,
    units: Vec<MissingUnit>,
    owed: usize,
}

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
}

/// `GET /figures/missing?period=`: per unit, the figures due for the period that are not
/// submitted yet.
pub async fn missing(cx: PageCtx, Query(q): Query<PeriodQuery>) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let period = period_of(q.period.as_deref(), cx.state.now()).map_err(|e| cx.fail(e))?;
    let store = &cx.state.store;
    let values = store
        .figure_values(&gaoxin_store::ValueFilter {
            units: None,
            from: period,
            to: period,
        })
        .await
        .map_err(|e| cx.fail(e))?;
    let due = owed(plan, period);
    let mut units: Vec<MissingUnit> = Vec::new();
    for (unit, figure) in &due {
        let v = values
            .iter()
            .find(|v| &v.unit == unit && &v.figure == figure);
        if v.is_some_and(|v| v.state.counts()) {
            continue;
        }
        let Some(f) = plan.figure(figure) else {
            continue;
        };
        let name = unit_name(plan, unit);
        let state = v.map_or(t.state_none(), |v| state_text(cx.lang, v.state));
        let source = crate::pages::department_name(plan, &f.source);
        let entry = (f.name.clone(), source, state.to_string());
        match units.iter_mut().find(|u| u.name == name) {
            Some(u) => u.figures.push(entry),
            None => {
                units.push(MissingUnit {
                    name,
                    responsible: crate::pages::unit_departments(plan, unit),
                    figures: vec![entry],
                });
            }
        }
    }
    let deadline = store
        .period_deadline(plan, period)
        .await
        .map_err(|e| cx.fail(e))?;
    let page = MissingPage {
        c: cx.chrome(Nav::Figures),
        t,
        period: period.to_string(),
        deadline: deadline.human(cx.lang.into()),
        units,
        owed: due.len(),
    };
    cx.render(&page)
}
