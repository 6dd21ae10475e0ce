//! Sample 督办单 for `gaoxin serve --demo` (示例数据): one in every state, with the steps that
//! led there, drawn from the plan's own tasks, departments and zones. Titles say （示例）.

use super::{Action, Request, Subject};
use crate::plan::Plan;
use crate::time::Date;

/// A step of a sample order: who takes it (the dispatcher or the assigned unit) and how many days
/// before today.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleStep {
    pub action: Action,
    pub by_unit: bool,
    pub days_ago: i64,
    pub request: Request,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SampleOrder {
    pub title: String,
    pub subject: Subject,
    pub basis: String,
    pub opened_days_ago: i64,
    pub steps: Vec<SampleStep>,
}

fn by(action: Action, by_unit: bool, days_ago: i64, note: &str) -> SampleStep {
    SampleStep {
        action,
        by_unit,
        days_ago,
        request: Request {
            note: note.to_string(),
            ..Request::default()
        },
    }
}

fn assign(unit: &str, days_ago: i64, deadline: Date, note: &str) -> SampleStep {
    SampleStep {
        action: Action::Assign,
        by_unit: false,
        days_ago,
        request: Request {
            assignee: Some(unit.to_string()),
            deadline: Some(deadline),
            note: note.to_string(),
            co_units: Vec::new(),
        },
    }
}

/// One order in each state (立项 after a hand-back, 交办, 签收 due soon, 签收 overdue — which the
/// periodic check escalates —, 反馈, 复核, 办结 after a return), on the plan's first tasks. Empty
/// when the plan has too few tasks or no zone.
pub fn generate(plan: &Plan, today: Date) -> Vec<SampleOrder> {
    let lead_of = |i: usize| {
        plan.tasks
            .get(i)
            .and_then(|t| t.lead.first().map(|d| (t, d.clone())))
    };
    let zone = plan.zones().next();
    let zone_unit = zone.and_then(|z| {
        plan.departments
            .iter()
            .find(|d| d.unit.as_deref() == Some(z.id.as_str()))
            .map(|d| d.id.clone())
    });
    let indicator = zone.and_then(|z| {
        plan.targets_of(&z.id)
            .next()
            .map(|t| (z, t.indicator.clone()))
    });
    let (
        Some((t0, d0)),
        Some((t1, d1)),
        Some((t2, d2)),
        Some((t3, d3)),
        Some((t4, d4)),
        Some((t5, d5)),
    ) = (
        lead_of(0),
        lead_of(1),
        lead_of(2),
        lead_of(4),
        lead_of(5),
        lead_of(8),
    )
    else {
        return Vec::new();
    };
    let days = |n: i64| today.add_days(n);
    let task = |t: &crate::plan::Task| Subject::Task { task: t.id.clone() };
    let mut orders = vec![
        SampleOrder {
            title: format!("{}：年度工作计划未报送（示例）", t0.title),
            subject: task(t0),
            basis: "按调度安排，各牵头部门应于月初报送本年度工作计划。".into(),
            opened_days_ago: 6,
            steps: vec![
                assign(&d1, 6, days(10), "请报送本任务年度工作计划。"),
                by(
                    Action::Return,
                    true,
                    5,
                    "本任务牵头部门为其他单位，请重新交办。",
                ),
            ],
        },
        SampleOrder {
            title: format!("{}：季度进展情况（示例）", t1.title),
            subject: task(t1),
            basis: "季度调度需要本任务进展情况。".into(),
            opened_days_ago: 2,
            steps: vec![assign(
                &d1,
                2,
                days(20),
                "请于期限前报送本季度进展及下季度安排。",
            )],
        },
        SampleOrder {
            title: format!("{}：培育名单更新（示例）", t2.title),
            subject: task(t2),
            basis: "培育名单超过一个季度未更新。".into(),
            opened_days_ago: 12,
            steps: vec![
                assign(&d2, 12, days(2), "请更新培育名单并说明新增企业情况。"),
                by(Action::Sign, true, 11, ""),
            ],
        },
        SampleOrder {
            title: format!("{}：平台建设进度滞后（示例）", t3.title),
            subject: task(t3),
            basis: "平台建设进度低于序时进度。".into(),
            opened_days_ago: 25,
            steps: vec![
                assign(&d3, 25, days(-3), "请说明滞后原因并报送赶进度措施。"),
                by(Action::Sign, true, 24, ""),
            ],
        },
        SampleOrder {
            title: format!("{}：对接活动场次不足（示例）", t4.title),
            subject: task(t4),
            basis: "本年度已开展的对接活动场次低于序时要求。".into(),
            opened_days_ago: 15,
            steps: vec![
                assign(&d4, 15, days(5), "请制定后续对接活动计划。"),
                by(Action::Sign, true, 14, ""),
                by(
                    Action::Answer,
                    true,
                    3,
                    "已制定计划，下月起每月组织 2 场对接活动。",
                ),
            ],
        },
        SampleOrder {
            title: format!("{}：目标企业清单（示例）", t5.title),
            subject: task(t5),
            basis: "目标企业清单尚未按主导产业分类。".into(),
            opened_days_ago: 30,
            steps: vec![
                assign(&d5, 30, days(-10), "请按主导产业链分类整理目标企业清单。"),
                by(Action::Sign, true, 29, ""),
                by(Action::Answer, true, 20, "已按产业链分类整理完毕。"),
                by(Action::Review, false, 18, "清单已核对。"),
            ],
        },
        SampleOrder {
            title: format!("{}：人才认定材料（示例）", t0.title),
            subject: task(t0),
            basis: "认定材料不齐。".into(),
            opened_days_ago: 40,
            steps: vec![
                assign(&d0, 40, days(-20), "请补齐认定材料。"),
                by(Action::Sign, true, 39, ""),
                by(Action::Answer, true, 33, "已补充部分材料。"),
                by(
                    Action::Return,
                    false,
                    32,
                    "缺少第三方评估意见，请补充后重新反馈。",
                ),
                by(Action::Answer, true, 26, "已补充第三方评估意见。"),
                by(Action::Review, false, 25, "材料齐全。"),
                by(Action::Close, false, 24, "同意销号。"),
            ],
        },
    ];
    if let (Some((z, indicator)), Some(unit)) = (indicator, zone_unit) {
        let name = plan
            .indicator(&indicator)
            .map_or(indicator.as_str(), |i| i.name.as_str())
            .to_string();
        orders.push(SampleOrder {
            title: format!("{} {} 进度滞后（示例）", z.name, name),
            subject: Subject::Indicator {
                zone: z.id.clone(),
                indicator,
            },
            basis: "驾驶舱显示该指标低于序时进度。".into(),
            opened_days_ago: 8,
            steps: vec![
                assign(&unit, 8, days(7), "请分析原因，报送下一步措施。"),
                by(Action::Sign, true, 7, ""),
            ],
        });
    }
    orders
}
