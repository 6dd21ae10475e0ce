//! 指标监测 — the state of the targets at a month: the figures the actor may read, evaluated
//! for each zone. The cockpit page, a zone's page, the API's cockpit and status, the bulletin,
//! `gaoxin figures status` and the benchmark all read it here.

use crate::{Acting, Error};
use gaoxin_core::monitor::{Evaluation, Figures, Summary, YearMonth, zone_status};
use gaoxin_core::plan::Unit;

/// One zone's targets at a month.
#[derive(Debug, Clone)]
pub struct ZoneStatus<'p> {
    pub zone: &'p Unit,
    pub evaluations: Vec<Evaluation>,
}

/// The zones' targets at a month, and the figures they were computed from (for trends).
#[derive(Debug, Clone)]
pub struct Status<'p> {
    pub at: YearMonth,
    pub zones: Vec<ZoneStatus<'p>>,
    pub figures: Figures,
}

impl Status<'_> {
    /// The city summary over the zones' evaluations.
    pub fn summary(&self) -> Summary {
        Summary::of(self.evaluations())
    }

    /// Every zone's evaluations, zone by zone.
    pub fn evaluations(&self) -> impl Iterator<Item = &Evaluation> {
        self.zones.iter().flat_map(|z| &z.evaluations)
    }
}

/// Every zone asked for (all when `zones` is `None`), evaluated at `at` from the figures the
/// actor may read: values still waiting for review are left out for an account that may not
/// read them yet; the console reads everything.
pub async fn status<'p>(
    cx: &Acting<'p>,
    zones: Option<&[&str]>,
    at: YearMonth,
) -> Result<Status<'p>, Error> {
    let plan = cx.plan;
    let mut figures = cx.store.cockpit_figures(plan, zones, at).await?;
    if let Some(who) = cx.who() {
        figures.hide_unreviewed(plan, who);
    }
    let zones = plan
        .zones()
        .filter(|z| zones.is_none_or(|zs| zs.contains(&z.id.as_str())))
        .map(|zone| ZoneStatus {
            zone,
            evaluations: zone_status(plan, &figures, &zone.id, at),
        })
        .collect();
    Ok(Status { at, zones, figures })
}
