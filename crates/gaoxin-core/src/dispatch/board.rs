//! 任务看板 — each task of the plan (the 13 key tasks and the safeguard measures) as one light
//! with its reasons, rolled up from what gaoxin knows of it: its quantified sub-targets, its work
//! items' reports this period, and the 督办单 opened on it. Plain rules, stated on the page:
//!
//! - 红 when a sub-target is red (behind beyond its tolerance, or missed in a year that is over)
//!   or an order on the task is past its deadline;
//! - 黄 when a sub-target is yellow, a unit reported its item behind schedule, a unit has not
//!   reported by the due day, or an order's deadline is near;
//! - 绿 when the task has work items or sub-targets and none of the above;
//! - 灰 when nothing tracks the task yet (no work item, no counted sub-target): shown, not hidden.

use crate::monitor::Status;
use crate::monitor::subtarget::SubEvaluation;
use crate::plan::Plan;
use crate::supervise::Light;
use serde::Serialize;

/// A work item as the board needs it: this period's standing of each responsible unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub id: i64,
    pub task: String,
    pub title: String,
    /// Units whose latest report this period says behind schedule.
    pub behind: Vec<String>,
    /// Units that owe this period's report, past its due day.
    pub missing: Vec<String>,
}

/// An open 督办单 on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    pub id: i64,
    pub number: String,
    pub task: String,
    pub light: Light,
}

/// Why a task shows its light; the most serious first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    SubTarget {
        subtarget: String,
        zone: Option<String>,
        status: Status,
        closed: bool,
    },
    Order {
        id: i64,
        number: String,
        light: Light,
    },
    Behind {
        item: i64,
        title: String,
        units: Vec<String>,
    },
    Missing {
        item: i64,
        title: String,
        units: Vec<String>,
    },
}

impl Reason {
    /// The light this reason alone gives the task.
    pub fn status(&self) -> Status {
        match self {
            Reason::SubTarget { status, .. } => *status,
            Reason::Order {
                light: Light::Red, ..
            } => Status::Red,
            Reason::Order { .. } | Reason::Behind { .. } | Reason::Missing { .. } => Status::Yellow,
        }
    }
}

/// One task's light.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskStatus {
    pub task: String,
    pub status: Status,
    /// Work items under the task.
    pub items: usize,
    /// Sub-targets (rows: per zone or the zones together) with a value.
    pub judged: usize,
    /// Open orders on the task.
    pub orders: usize,
    pub reasons: Vec<Reason>,
}

impl TaskStatus {
    /// Nothing tracks the task yet.
    pub fn untracked(&self) -> bool {
        self.items == 0 && self.judged == 0 && self.orders == 0
    }
}

/// Every task of `plan`, in plan order, rolled up from `items`, open `orders` and `subtargets`.
pub fn roll_up(
    plan: &Plan,
    items: &[ItemFacts],
    orders: &[OrderFacts],
    subtargets: &[SubEvaluation],
) -> Vec<TaskStatus> {
    plan.tasks
        .iter()
        .map(|task| {
            let mut reasons = Vec::new();
            let subs: Vec<&SubEvaluation> =
                subtargets.iter().filter(|s| s.task == task.id).collect();
            for s in &subs {
                if matches!(s.status, Status::Red | Status::Yellow) {
                    reasons.push(Reason::SubTarget {
                        subtarget: s.subtarget.clone(),
                        zone: s.zone.clone(),
                        status: s.status,
                        closed: s.closed,
                    });
                }
            }
            let task_orders: Vec<&OrderFacts> =
                orders.iter().filter(|o| o.task == task.id).collect();
            for o in &task_orders {
                if matches!(o.light, Light::Red | Light::Yellow) {
                    reasons.push(Reason::Order {
                        id: o.id,
                        number: o.number.clone(),
                        light: o.light,
                    });
                }
            }
            let task_items: Vec<&ItemFacts> = items.iter().filter(|i| i.task == task.id).collect();
            for i in &task_items {
                if !i.behind.is_empty() {
                    reasons.push(Reason::Behind {
                        item: i.id,
                        title: i.title.clone(),
                        units: i.behind.clone(),
                    });
                }
                if !i.missing.is_empty() {
                    reasons.push(Reason::Missing {
                        item: i.id,
                        title: i.title.clone(),
                        units: i.missing.clone(),
                    });
                }
            }
            // Red before yellow; within each, the order above (sub-targets, orders, items).
            reasons.sort_by_key(|r| r.status() != Status::Red);
            let judged = subs.iter().filter(|s| s.actual.is_some()).count();
            let worst = reasons.first().map(Reason::status);
            let status = match worst {
                Some(s) => s,
                None if task_items.is_empty() && judged == 0 && task_orders.is_empty() => {
                    Status::Gray
                }
                None => Status::Green,
            };
            TaskStatus {
                task: task.id.clone(),
                status,
                items: task_items.len(),
                judged,
                orders: task_orders.len(),
                reasons,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::YearMonth;
    use crate::monitor::subtarget::{Counts, Taken, evaluate};

    fn plan() -> Plan {
        Plan::parse(
            "seed.toml",
            include_str!("../../../../plans/shijiazhuang-2025-2027.toml"),
        )
        .unwrap()
    }

    fn item(id: i64, task: &str, behind: &[&str], missing: &[&str]) -> ItemFacts {
        ItemFacts {
            id,
            task: task.into(),
            title: format!("事项{id}"),
            behind: behind.iter().map(|s| s.to_string()).collect(),
            missing: missing.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn order(id: i64, task: &str, light: Light) -> OrderFacts {
        OrderFacts {
            id,
            number: format!("督〔2026〕{id}号"),
            task: task.into(),
            light,
        }
    }

    fn of<'a>(board: &'a [TaskStatus], task: &str) -> &'a TaskStatus {
        board.iter().find(|t| t.task == task).unwrap()
    }

    #[test]
    fn every_task_is_on_the_board_and_an_untracked_one_is_gray() {
        let plan = plan();
        let board = roll_up(&plan, &[], &[], &[]);
        assert_eq!(board.len(), 16, "13 tasks and 3 safeguard measures");
        assert!(
            board
                .iter()
                .all(|t| t.status == Status::Gray && t.untracked())
        );
        let order: Vec<&str> = board.iter().map(|t| t.task.as_str()).collect();
        assert_eq!(&order[..3], ["t1", "t2", "t3"]);
    }

    #[test]
    fn the_worst_fact_sets_the_light_and_every_fact_is_a_reason() {
        let plan = plan();
        let at = YearMonth::new(2026, 11).unwrap();
        let mut counts = Counts::new();
        let count = |id| crate::known::Count::find(id).unwrap();
        let n = |records| Taken {
            records,
            flagged: 0,
            sample: false,
        };
        // Task 6: 石家庄高新区 10 events (green), 正定高新区 9 (yellow: 0.17 behind).
        counts.insert(count("matchmaking-events"), at, "sjz-hz", n(10));
        counts.insert(count("matchmaking-events"), at, "zd-hz", n(9));
        counts.insert(count("scenario-releases"), at, "sjz-hz", n(1));
        counts.insert(count("scenario-releases"), at, "zd-hz", n(1));
        counts.insert(count("liaison-institutes"), at, "sjz-hz", n(2));
        counts.insert(count("liaison-institutes"), at, "zd-hz", n(3));
        // Task 2's 2025 targets: 5 leaders, 5 tech leaders, 5 teams, 3 enclaves — all met.
        let end_2025 = YearMonth::new(2025, 12).unwrap();
        for (id, k) in [
            ("new-talent-leaders", 5),
            ("new-tech-leaders", 5),
            ("new-innovation-teams", 5),
            ("new-enclaves", 3),
        ] {
            counts.insert(count(id), end_2025, "sjz-hz", n(k));
        }
        let subs = evaluate(&plan, &counts, at);
        let items = [
            item(1, "t6", &[], &[]),
            item(2, "t1", &["sci-tech"], &[]),
            item(3, "t1", &[], &["drc", "industry-it"]),
            item(4, "t2", &[], &[]),
            item(5, "t9", &[], &[]),
        ];
        let orders = [
            order(7, "t9", Light::Red),
            order(8, "t9", Light::Green),
            order(9, "t4", Light::Yellow),
        ];
        let board = roll_up(&plan, &items, &orders, &subs);

        // Task 6: its sub-targets decide: one zone's events are yellow.
        let t6 = of(&board, "t6");
        assert_eq!(t6.status, Status::Yellow);
        assert_eq!(t6.judged, 6);
        assert_eq!(
            t6.reasons,
            vec![Reason::SubTarget {
                subtarget: "t6-matchmaking-events".into(),
                zone: Some("zd-hz".into()),
                status: Status::Yellow,
                closed: false,
            }]
        );
        // Task 1: an item reported behind and two units missing: yellow, both said.
        let t1 = of(&board, "t1");
        assert_eq!(
            (t1.status, t1.items, t1.reasons.len()),
            (Status::Yellow, 2, 2)
        );
        // Task 2: all four 2025 targets met, its item reported: green.
        let t2 = of(&board, "t2");
        assert_eq!((t2.status, t2.judged), (Status::Green, 4));
        assert!(t2.reasons.is_empty());
        // Task 9: an overdue order makes it red; the order on time is no reason.
        let t9 = of(&board, "t9");
        assert_eq!(t9.status, Status::Red);
        assert_eq!(t9.orders, 2);
        assert_eq!(
            t9.reasons,
            vec![Reason::Order {
                id: 7,
                number: "督〔2026〕7号".into(),
                light: Light::Red
            }]
        );
        // Task 4: no item, but an order nearing its deadline: yellow, and tracked.
        let t4 = of(&board, "t4");
        assert_eq!(t4.status, Status::Yellow);
        assert!(!t4.untracked());
        // Task 13: the events ledger is kept and holds no survey this year: red for both
        // zones; the parcels' plan coverage is a share of nothing, not judged.
        let t13 = of(&board, "t13");
        assert_eq!((t13.status, t13.judged), (Status::Red, 2));
        assert!(t13.reasons.iter().all(|r| matches!(
            r,
            Reason::SubTarget { subtarget, .. } if subtarget == "t13-land-survey"
        )));
        // A safeguard measure with nothing on it: gray, on the board, said so.
        let s1 = of(&board, "s1");
        assert_eq!(s1.status, Status::Gray);
        assert!(s1.untracked());
    }

    #[test]
    fn red_reasons_come_before_yellow_ones() {
        let plan = plan();
        let items = [item(1, "t10", &["investment"], &[])];
        let orders = [order(2, "t10", Light::Red)];
        let board = roll_up(&plan, &items, &orders, &[]);
        let t10 = of(&board, "t10");
        assert_eq!(t10.status, Status::Red);
        assert_eq!(t10.reasons[0].status(), Status::Red);
        assert_eq!(t10.reasons[1].status(), Status::Yellow);
    }
}
