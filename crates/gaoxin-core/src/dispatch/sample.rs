//! Sample work items and progress reports for `gaoxin serve --demo` (示例数据): items on the
//! plan's first tasks, led by each task's first lead department with the implementing units
//! taking part, reports on time, late, behind with a reason, and some not filed at all.

use super::{ItemDraft, Milestone, ReportDraft};
use crate::monitor::YearMonth;
use crate::plan::{DepartmentKind, Plan};
use crate::time::Date;

/// A sample report: which responsible unit (index), for which period, filed how many days
/// after the period's due date (negative: before).
#[derive(Debug, Clone, PartialEq)]
pub struct SampleReport {
    pub unit: usize,
    pub period: YearMonth,
    pub days_after_due: i64,
    pub draft: ReportDraft,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SampleItem {
    pub draft: ItemDraft,
    pub reports: Vec<SampleReport>,
}

/// A sample item: the task's position in the plan, its title, and its milestones with their
/// days from today.
type Spec = (usize, &'static str, [(&'static str, i64); 3]);

/// Items on the plan's tasks 1, 3, 6 and 9 (by position), each with milestones around `today`
/// and reports for the last two periods before it.
pub fn generate(plan: &Plan, today: Date, report_day: u32) -> Vec<SampleItem> {
    let implementing: Vec<String> = plan
        .departments
        .iter()
        .filter(|d| d.kind == DepartmentKind::Implementing)
        .map(|d| d.id.clone())
        .collect();
    let this = YearMonth::of(crate::time::Timestamp(today.0 * 86_400));
    // The last period whose report is already due, and the one before it.
    let last = if super::due_date(this, report_day) < today {
        this
    } else {
        this.previous()
    };
    let before = last.previous();
    let day = |n: i64| today.add_days(n).to_string();
    let specs: [Spec; 4] = [
        (
            0,
            "新建省级以上研发机构（示例）",
            [
                ("完成选址和方案论证", -40),
                ("启动建设", -5),
                ("通过认定", 120),
            ],
        ),
        (
            2,
            "科技型中小企业梯度培育（示例）",
            [
                ("完成入库企业摸底", -60),
                ("培育名单更新", 20),
                ("年度评价", 200),
            ],
        ),
        (
            5,
            "组织企业与高校院所对接活动（示例）",
            [
                ("制定年度活动计划", -90),
                ("完成上半年活动", -30),
                ("完成全年活动", 150),
            ],
        ),
        (
            8,
            "编制主导产业招商地图（示例）",
            [
                ("收集产业链资料", -20),
                ("形成招商地图初稿", 30),
                ("发布目标企业清单", 90),
            ],
        ),
    ];
    let mut items = Vec::new();
    for (task_at, title, milestones) in specs {
        let Some(task) = plan.tasks.get(task_at) else {
            continue;
        };
        let Some(lead) = task.lead.first().cloned() else {
            continue;
        };
        let partners: Vec<String> = implementing.iter().take(2).cloned().collect();
        let subtarget = plan
            .subtargets
            .iter()
            .find(|s| {
                s.task == task.id
                    && s.counted.is_some()
                    && s.cadence == crate::plan::Cadence::Yearly
            })
            .map(|s| s.id.clone());
        let n_units = 1 + partners.len();
        let milestones: Vec<Milestone> = milestones
            .iter()
            .map(|(t, d)| Milestone {
                title: (*t).to_string(),
                due: day(*d),
            })
            .collect();
        // Reached: every milestone already due, except on the second item (behind).
        let due_by_now = milestones
            .iter()
            .filter(|m| m.due_date().is_some_and(|d| d < today))
            .count();
        let behind = task_at == 2 || task_at == 0;
        let reached = if behind {
            due_by_now.saturating_sub(1)
        } else {
            due_by_now
        };
        let report =
            |unit: usize, period: YearMonth, days_after_due: i64, late_reason: bool| SampleReport {
                unit,
                period,
                days_after_due,
                draft: ReportDraft {
                    done: format!("{period} 按计划推进：{title}。"),
                    percent: Some(if behind { 35 } else { 60 }),
                    reached,
                    problems: if behind {
                        "配套资金尚未到位。".into()
                    } else {
                        String::new()
                    },
                    help: if behind {
                        "请协调落实配套资金。".into()
                    } else {
                        String::new()
                    },
                    behind_reason: if late_reason || behind {
                        "前期论证时间较长。".into()
                    } else {
                        String::new()
                    },
                    next_steps: if late_reason || behind {
                        "下月完成节点任务并报送。".into()
                    } else {
                        String::new()
                    },
                },
            };
        let mut reports = Vec::new();
        for u in 0..n_units {
            reports.push(report(u, before, -2, false));
        }
        // This period: the lead on time, one partner late, the last not at all.
        reports.push(report(0, last, -1, false));
        if n_units > 2 {
            // Late, but not after today.
            let late_by = (today.0 - super::due_date(last, report_day).0).clamp(1, 3);
            reports.push(report(1, last, late_by, false));
        }
        items.push(SampleItem {
            draft: ItemDraft {
                task: task.id.clone(),
                title: title.to_string(),
                lead,
                partners,
                subtarget,
                milestones,
            },
            reports,
        });
    }
    items
}
