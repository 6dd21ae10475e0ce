//! 数据大屏 (`/screen`): one 16:9 page for the leadership meeting room — the city summary, each
//! zone's lights, the indicators and sub-targets most behind, the task board, the overdue
//! 督办单, the 招商 funnel and the enterprise pyramid — from `gaoxin_app::screen`, in type
//! readable across a room, refreshing itself every minute (`app.js` fetches the page again and
//! swaps it in; on a failure the last one stays, marked stale). Shown to leaders, the dispatch
//! office and accounts holding only the screen's role; nothing on it links to a page the last
//! could not open.

use super::ledger_dashboard::{Chart, charts};
use super::monitor::cockpit::{EvalRow, eval_row};
use super::monitor::subtarget::{SubRow, sub_row};
use super::task_board::reason_line;
use super::{Chrome, Nav, PageCtx, department_name, session_of};
use crate::error::PageError;
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::Response;
use gaoxin_core::monitor::{Status, Summary};

pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    Routes::new().get("/screen", Access::Needs(Capability::ReadScreen), screen)
}

/// How often the screen fetches itself again, in seconds.
const REFRESH_SECS: u32 = 60;

/// Lights as `(code, text, count)`, red first: what a room reads first.
fn lights(t: Tr, s: Summary) -> Vec<(&'static str, &'static str, usize)> {
    [
        (Status::Red, t.screen_red()),
        (Status::Yellow, t.screen_yellow()),
        (Status::Green, t.screen_green()),
        (Status::Gray, t.screen_gray()),
    ]
    .into_iter()
    .map(|(st, text)| (st.code(), text, s.count(st)))
    .collect()
}

struct ZoneView {
    name: String,
    targets: Vec<(&'static str, &'static str, usize)>,
    subtargets: Vec<(&'static str, &'static str, usize)>,
}

struct TaskTile {
    heading: String,
    status: &'static str,
    /// The first reason, if any.
    reason: String,
}

struct OrderLine {
    number: String,
    title: String,
    assignee: String,
    late: String,
}

#[derive(Template)]
#[template(path = "screen.html")]
struct ScreenPage {
    c: Chrome,
    t: Tr,
    title: String,
    period: String,
    updated: String,
    refresh: u32,
    targets: Vec<(&'static str, &'static str, usize)>,
    subtargets: Vec<(&'static str, &'static str, usize)>,
    zones: Vec<ZoneView>,
    lagging: Vec<EvalRow>,
    subs: Vec<SubRow>,
    tasks: Vec<TaskTile>,
    overdue: Vec<OrderLine>,
    overdue_count: usize,
    orders_of: String,
    refresh_line: String,
    funnel: Option<Chart>,
    pyramid: Option<Chart>,
}

/// At most this many lagging lines and overdue orders: what fits and reads across a room.
const LINES: usize = 6;

/// `GET /screen`.
pub async fn screen(cx: PageCtx) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let lang = cx.lang;
    let session = session_of(&cx)?;
    let s = gaoxin_app::screen::screen(&cx.acting(&session.account))
        .await
        .map_err(|e| cx.fail(e))?;
    let now = cx.state.now();
    let today = gaoxin_core::time::Date::of(now);
    let board = &s.board;
    // The plan's order: a room finds task 6 where it was yesterday; the colour says the rest.
    let mut in_order: Vec<_> = board.tasks.iter().collect();
    in_order.sort_by_key(|x| {
        plan.tasks
            .iter()
            .position(|p| p.id == x.task)
            .unwrap_or(usize::MAX)
    });
    let tasks = in_order
        .into_iter()
        .map(|task| TaskTile {
            heading: plan.task_heading(&task.task),
            status: task.status.code(),
            reason: task
                .reasons
                .first()
                .map_or_else(String::new, |r| reason_line(plan, r, t).text),
        })
        .collect();
    let mut all = charts(t, &s.dashboards, None).into_iter();
    let funnel = all.find(|c| c.id == "funnel-projects");
    let pyramid = all.find(|c| c.id == "pyramid");
    let page = ScreenPage {
        c: cx.chrome(Nav::Monitor),
        t,
        title: plan.title.clone(),
        period: fill(t.screen_period(), &[&s.at.human(lang.into())]),
        updated: fill(t.screen_updated(), &[&now.human(lang.into())]),
        refresh_line: fill(t.screen_refresh(), &[&REFRESH_SECS]),
        refresh: REFRESH_SECS,
        targets: lights(t, s.targets),
        subtargets: lights(t, s.subtargets),
        zones: s
            .zones
            .iter()
            .map(|z| ZoneView {
                name: z.name.clone(),
                targets: lights(t, z.targets),
                subtargets: lights(t, z.subtargets),
            })
            .collect(),
        lagging: s
            .lagging
            .iter()
            .take(LINES)
            .map(|e| eval_row(plan, e, t))
            .collect(),
        subs: s
            .subs_behind
            .iter()
            .take(LINES / 2)
            .map(|e| sub_row(plan, e, t))
            .collect(),
        tasks,
        overdue_count: s.overdue.len(),
        orders_of: fill(t.screen_orders_of(), &[&s.open_orders]),
        overdue: s
            .overdue
            .iter()
            .take(LINES)
            .map(|o| OrderLine {
                number: o.number(),
                title: o.title.clone(),
                assignee: o
                    .assignee
                    .as_deref()
                    .map_or_else(String::new, |a| department_name(plan, a)),
                late: o.deadline.map_or_else(String::new, |d| {
                    fill(t.screen_days_late(), &[&(today.0 - d.0)])
                }),
            })
            .collect(),
        funnel,
        pyramid,
    };
    cx.render(&page)
}
