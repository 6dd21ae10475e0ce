//! The flat tables of a plan — one row per target, one per task — that the CLI prints and the
//! API serves. Both ask here, so the two never disagree.

use super::{Comparator, Plan, TaskKind};
use serde::Serialize;

/// One target of 一、发展目标: a zone, an indicator, a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRow {
    pub zone: String,
    pub zone_id: String,
    pub indicator: String,
    pub indicator_id: String,
    pub year: i32,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: String,
    /// 口径.
    pub basis: String,
    pub quote: String,
    pub anchor: String,
}

/// One task, with its responsible departments by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRow {
    pub id: String,
    /// The group's label and title, e.g. `（一）突出企业创新能力提升，培育发展新动能`.
    pub group: String,
    pub group_id: String,
    pub no: String,
    pub task: String,
    pub lead_departments: Vec<String>,
    pub lead_and_others: bool,
    pub implementing_units: Vec<String>,
    pub quote: String,
    pub anchor: String,
}

/// Every target, zones in plan order, each zone's targets in plan order.
pub fn target_rows(plan: &Plan) -> Vec<TargetRow> {
    plan.zones()
        .flat_map(|zone| plan.targets_of(&zone.id).map(move |t| (zone, t)))
        .filter_map(|(zone, t)| {
            let ind = plan.indicator(&t.indicator)?;
            Some(TargetRow {
                zone: zone.name.clone(),
                zone_id: zone.id.clone(),
                indicator: ind.name.clone(),
                indicator_id: ind.id.clone(),
                year: t.year,
                comparator: ind.comparator,
                value: t.value,
                unit: ind.unit.clone(),
                basis: ind.basis.clone(),
                quote: t.quote.text.clone(),
                anchor: t.quote.anchor.clone(),
            })
        })
        .collect()
}

/// Every task, key tasks first in plan order; safeguard measures only if asked for.
pub fn task_rows(plan: &Plan, include_safeguards: bool) -> Vec<TaskRow> {
    let name = |id: &String| {
        plan.department(id)
            .map_or_else(|| id.clone(), |d| d.name.clone())
    };
    plan.tasks
        .iter()
        .filter_map(|t| {
            let group = plan.group(&t.group)?;
            if group.kind == TaskKind::Safeguard && !include_safeguards {
                return None;
            }
            Some(TaskRow {
                id: t.id.clone(),
                group: format!("{}{}", group.label, group.title),
                group_id: group.id.clone(),
                no: plan.task_label(t),
                task: t.title.clone(),
                lead_departments: t.lead.iter().map(name).collect(),
                lead_and_others: t.lead_and_others,
                implementing_units: t.implementing.iter().map(name).collect(),
                quote: t.quote.text.clone(),
                anchor: t.quote.anchor.clone(),
            })
        })
        .collect()
}

/// A value as people write it: `7`, not `7.0`; `2.5` stays `2.5`.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A computed value as people read it: rounded to two decimals, then as [`format_value`].
pub fn format_rounded(v: f64) -> String {
    format_value((v * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::format_value;

    #[test]
    fn values_drop_a_zero_fraction() {
        assert_eq!(format_value(7.0), "7");
        assert_eq!(format_value(2.5), "2.5");
        assert_eq!(format_value(320.0), "320");
    }
}
