//! 任务调度 — the task board: every task of the plan as one light with its reasons, from the
//! work items and this period's reports the account may see, the open 督办单 on each task and
//! the tasks' sub-targets (`gaoxin_core::dispatch::board` decides; this reads).

use crate::{Acting, Error, Refusal};
use gaoxin_core::dispatch::board::{self, ItemFacts, OrderFacts, TaskStatus};
use gaoxin_core::dispatch::{self as rules, standing};
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::supervise::{OrderState, Subject};
use gaoxin_core::time::Date;
use gaoxin_store::{Closed, OrderFilter};

/// The board at the current reporting period: what it was read for and each task's light.
#[derive(Debug, Clone)]
pub struct Board {
    /// The reporting period whose reports count.
    pub period: YearMonth,
    /// The period's report is due and the day has passed (so a missing report counts).
    pub due_passed: bool,
    pub tasks: Vec<TaskStatus>,
}

/// Every task's light for the signed-in account: its items and orders as far as it may see
/// them, the sub-targets of every zone (the cockpit's, which every reader sees).
pub async fn board(cx: &Acting<'_>) -> Result<Board, Error> {
    let Some(account) = cx.account else {
        return Err(cx
            .refuse(Refusal::Forbidden {
                target: "task-board".into(),
            })
            .await);
    };
    let plan = cx.plan;
    let m = plan.monitoring;
    let at = YearMonth::current(cx.now);
    let period = rules::current_period(m.report_cycle, cx.now);
    let today = Date::of(cx.now);
    let due = rules::due_date(period, m.report_day);
    let due_passed = today > due;
    let store = cx.store;
    let items = store.work_items(plan, account, None, None).await?;
    let reports = store.period_reports(period).await?;
    let facts: Vec<ItemFacts> = items
        .iter()
        .map(|i| {
            let owes = i.owes(period, m.report_day);
            let mut behind = Vec::new();
            let mut missing = Vec::new();
            for unit in i.responsible() {
                let state = standing(
                    reports
                        .iter()
                        .filter(|r| r.item_id == i.id && r.unit == unit),
                    |r| r.id,
                    |r| r.behind,
                );
                match state {
                    Some((_, true)) => behind.push(unit),
                    None if owes && due_passed => missing.push(unit),
                    _ => {}
                }
            }
            ItemFacts {
                id: i.id,
                task: i.task.clone(),
                title: i.title.clone(),
                behind,
                missing,
            }
        })
        .collect();
    let orders: Vec<OrderFacts> = store
        .orders(
            account,
            &OrderFilter {
                closed: Closed::None,
                ..OrderFilter::default()
            },
        )
        .await?
        .iter()
        .filter(|o| o.state != OrderState::Closed)
        .filter_map(|o| match &o.subject {
            Subject::Task { task } => Some(OrderFacts {
                id: o.id,
                number: o.number(),
                task: task.clone(),
                light: o.light(today, m.warn_days),
            }),
            _ => None,
        })
        .collect();
    let subtargets = crate::monitor::subtargets(cx, at).await?;
    Ok(Board {
        period,
        due_passed,
        tasks: board::roll_up(plan, &facts, &orders, &subtargets),
    })
}
