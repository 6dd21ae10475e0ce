//! 任务看板 (`/work/board`): every task of the plan as one light with its reasons — from
//! `gaoxin_app::dispatch::board` — most urgent first, filtered by lead department; a task nothing
//! tracks yet is shown as such, with a way to split it into work items.

use super::supervise::{Choice, choices};
use super::{Chrome, Nav, PageCtx, department_name, session_of, unit_name};
use crate::error::PageError;
use crate::extract::Query;
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::Response;
use gaoxin_core::dispatch::board::{Reason, TaskStatus};
use gaoxin_core::monitor::{Status, Summary};
use gaoxin_core::plan::Plan;
use gaoxin_core::supervise::Light;
use std::collections::HashMap;

pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    Routes::new().get(
        "/work/board",
        Access::Needs(Capability::ReadBusiness),
        board,
    )
}

/// A reason, as a line and where it leads.
pub(crate) struct ReasonLine {
    pub status: &'static str,
    pub text: String,
    pub href: String,
}

struct TaskCard {
    id: String,
    heading: String,
    lead: String,
    status: &'static str,
    status_text: &'static str,
    /// 事项 3 · 子目标 2 · 督办单 1.
    counts: String,
    untracked: bool,
    reasons: Vec<ReasonLine>,
    /// The reader may split the task into work items.
    may_plan: bool,
}

#[derive(Template)]
#[template(path = "task_board.html")]
struct BoardPage {
    c: Chrome,
    t: Tr,
    period: String,
    due_passed: bool,
    summary: Vec<(&'static str, &'static str, usize)>,
    departments: Vec<Choice>,
    cards: Vec<TaskCard>,
}

fn light_text(t: Tr, s: Status) -> &'static str {
    match s {
        Status::Green => t.board_green(),
        Status::Yellow => t.board_yellow(),
        Status::Red => t.board_red(),
        Status::Gray => t.board_gray(),
    }
}

pub(crate) fn reason_line(plan: &Plan, r: &Reason, t: Tr) -> ReasonLine {
    let names = |units: &[String]| {
        units
            .iter()
            .map(|u| department_name(plan, u))
            .collect::<Vec<_>>()
            .join("、")
    };
    let (text, href) = match r {
        Reason::SubTarget {
            subtarget,
            zone,
            closed,
            ..
        } => {
            let name = plan
                .subtargets
                .iter()
                .find(|s| &s.id == subtarget)
                .map_or(subtarget.as_str(), |s| s.name.as_str());
            let scope = zone
                .as_deref()
                .map_or_else(|| t.sub_all_zones().to_string(), |z| unit_name(plan, z));
            let text = if *closed {
                fill(t.board_reason_missed(), &[&name, &scope])
            } else {
                fill(t.board_reason_subtarget(), &[&name, &scope])
            };
            (text, "/monitor#subtargets".to_string())
        }
        Reason::Order { id, number, light } => (
            if *light == Light::Red {
                fill(t.board_reason_order_overdue(), &[number])
            } else {
                fill(t.board_reason_order_due(), &[number])
            },
            format!("/supervision/{id}"),
        ),
        Reason::Behind { item, title, units } => (
            fill(t.board_reason_behind(), &[title, &names(units)]),
            format!("/work/{item}"),
        ),
        Reason::Missing { item, title, units } => (
            fill(t.board_reason_missing(), &[title, &names(units)]),
            format!("/work/{item}"),
        ),
    };
    ReasonLine {
        status: r.status().code(),
        text,
        href,
    }
}

/// `GET /work/board?department=`: each task's light, most urgent first.
pub async fn board(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let board = gaoxin_app::dispatch::board(&cx.acting(&session.account))
        .await
        .map_err(|e| cx.fail(e))?;
    let department = q
        .get("department")
        .map(String::as_str)
        .filter(|d| plan.department(d).is_some());
    let leads_something = |d: &str| {
        plan.tasks
            .iter()
            .any(|task| task.lead.iter().any(|l| l == d))
    };
    let departments = choices(
        plan.departments
            .iter()
            .filter(|d| leads_something(&d.id))
            .map(|d| (d.id.clone(), d.name.clone())),
        department,
    );
    let mut shown: Vec<&TaskStatus> = board
        .tasks
        .iter()
        .filter(|s| {
            department.is_none_or(|d| {
                plan.task(&s.task)
                    .is_some_and(|task| task.lead.iter().any(|l| l == d))
            })
        })
        .collect();
    let rank = |s: Status| match s {
        Status::Red => 0,
        Status::Yellow => 1,
        Status::Green => 2,
        Status::Gray => 3,
    };
    shown.sort_by_key(|s| rank(s.status));
    let who = session.account.who();
    let counts = Summary::of_lights(shown.iter().map(|s| s.status));
    let summary = [Status::Red, Status::Yellow, Status::Green, Status::Gray]
        .into_iter()
        .map(|s| (s.code(), light_text(t, s), counts.count(s)))
        .collect();
    let cards = shown
        .into_iter()
        .map(|s| {
            let task = plan.task(&s.task);
            TaskCard {
                id: s.task.clone(),
                heading: plan.task_heading(&s.task),
                lead: task
                    .map(|task| {
                        let lead: Vec<String> =
                            task.lead.iter().map(|d| department_name(plan, d)).collect();
                        if lead.is_empty() {
                            task.implementing
                                .iter()
                                .map(|u| department_name(plan, u))
                                .collect::<Vec<_>>()
                                .join("、")
                        } else {
                            lead.join("、")
                        }
                    })
                    .unwrap_or_default(),
                status: s.status.code(),
                status_text: light_text(t, s.status),
                counts: fill(t.board_counts(), &[&s.items, &s.judged, &s.orders]),
                untracked: s.untracked(),
                reasons: s.reasons.iter().map(|r| reason_line(plan, r, t)).collect(),
                may_plan: gaoxin_core::dispatch::may_plan(plan, who, &s.task),
            }
        })
        .collect();
    let page = BoardPage {
        c: cx.chrome(Nav::Work),
        t,
        period: board.period.human(t.lang.into()),
        due_passed: board.due_passed,
        summary,
        departments,
        cards,
    };
    cx.render(&page)
}
