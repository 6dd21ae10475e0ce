//! 工作台 — every account's home: its to-dos with counts and deadlines, one click from the form;
//! for the dispatch office and the leadership, the targets behind, who has not reported and the
//! overdue 督办单 on the same screen.

use super::monitor::cockpit::{EvalRow, eval_row};
use super::{Chrome, Nav, PageCtx, department_name, session_of, unit_name};
use crate::error::PageError;
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::Response;
use gaoxin_app::workbench::{Kind, Todo};

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    Routes::new().get("/", Access::Needs(Capability::ReadBusiness), page)
}

struct TodoView {
    kind: &'static str,
    text: &'static str,
    count: String,
    due: String,
    overdue: bool,
    link: String,
    names: Vec<String>,
    more: String,
}

struct Behind {
    row: EvalRow,
    responsible: String,
}

struct OrderView {
    id: i64,
    number: String,
    title: String,
    assignee: String,
    deadline: String,
}

struct CityView {
    heading: String,
    counts: String,
    behind: Vec<Behind>,
    unreported_lead: String,
    unreported: Vec<(String, usize, usize)>,
    overdue: Vec<OrderView>,
    period: String,
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    c: Chrome,
    t: Tr,
    lead: String,
    todos: Vec<TodoView>,
    city: Option<CityView>,
    /// The reader opens 督办单 (a lagging target links to a new one).
    may_open: bool,
    /// The reader's unit owes figures, reports or answers: the month page does them all.
    month: bool,
}

fn kind_text(t: Tr, k: Kind) -> (&'static str, &'static str) {
    match k {
        Kind::FiguresReturned => ("figures-returned", t.wb_figures_returned()),
        Kind::FiguresToEnter => ("figures-to-enter", t.wb_figures_to_enter()),
        Kind::FiguresToSubmit => ("figures-to-submit", t.wb_figures_to_submit()),
        Kind::FiguresToReview => ("figures-to-review", t.wb_figures_to_review()),
        Kind::FiguresToConfirm => ("figures-to-confirm", t.wb_figures_to_confirm()),
        Kind::ReportsMissing => ("reports-missing", t.wb_reports_missing()),
        Kind::ReportsDue => ("reports-due", t.wb_reports_due()),
        Kind::OrdersToSign => ("orders-to-sign", t.wb_orders_to_sign()),
        Kind::OrdersToAnswer => ("orders-to-answer", t.wb_orders_to_answer()),
        Kind::OrdersToReview => ("orders-to-review", t.wb_orders_to_review()),
        Kind::OrdersToAssign => ("orders-to-assign", t.wb_orders_to_assign()),
        Kind::ExtensionsToDecide => ("extensions-to-decide", t.wb_extensions_to_decide()),
        Kind::Unread => ("unread", t.wb_unread()),
    }
}

fn todo_view(cx: &PageCtx, todo: Todo) -> TodoView {
    let t = cx.t;
    let (kind, text) = kind_text(t, todo.kind);
    let shown = todo.names.len();
    TodoView {
        kind,
        text,
        count: fill(
            if todo.count == 1 {
                t.wb_count_one()
            } else {
                t.wb_count()
            },
            &[&todo.count],
        ),
        due: todo
            .due
            .map(|d| fill(t.wb_due(), &[&d.human(cx.lang.into())]))
            .unwrap_or_default(),
        overdue: todo.overdue,
        link: todo.link,
        more: if todo.count > shown && shown > 0 {
            fill(t.wb_more(), &[&todo.count])
        } else {
            String::new()
        },
        names: todo
            .names
            .iter()
            .map(|n| match n.period {
                Some(p) => format!("{} · {}", n.text, p.human(cx.lang.into())),
                None => n.text.clone(),
            })
            .collect(),
    }
}

/// `GET /`: the signed-in account's workbench.
pub async fn page(cx: PageCtx) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let plan = &cx.stored.plan;
    let t = cx.t;
    let lang = cx.lang.into();
    let acting = cx.acting(&session.account);
    let wb = gaoxin_app::workbench::workbench(&acting)
        .await
        .map_err(|e| cx.fail(e))?;
    let period = wb.period.human(lang);
    let city = wb.city.map(|c| {
        let s = c.summary;
        CityView {
            heading: fill(t.wb_city(), &[&period]),
            counts: fill(t.wb_on_track(), &[&s.green, &(s.yellow + s.red), &s.gray]),
            behind: c
                .lagging
                .iter()
                .map(|e| Behind {
                    row: eval_row(plan, e, t),
                    responsible: super::unit_departments(plan, &e.zone),
                })
                .collect(),
            unreported_lead: fill(
                t.wb_unreported_lead(),
                &[
                    &c.deadline.human(lang),
                    &c.report_period.human(lang),
                    &c.report_due.human(lang),
                ],
            ),
            unreported: c
                .unreported
                .iter()
                .map(|u| {
                    let name = if plan.unit(&u.unit).is_some() {
                        unit_name(plan, &u.unit)
                    } else {
                        department_name(plan, &u.unit)
                    };
                    (name, u.figures, u.reports)
                })
                .collect(),
            overdue: c
                .overdue
                .iter()
                .map(|o| OrderView {
                    id: o.id,
                    number: o.number(),
                    title: o.title.clone(),
                    assignee: o
                        .assignee
                        .as_deref()
                        .map(|a| department_name(plan, a))
                        .unwrap_or_default(),
                    deadline: o.deadline.map(|d| d.human(lang)).unwrap_or_default(),
                })
                .collect(),
            period: wb.period.to_string(),
        }
    });
    let month = wb.todos.iter().any(|d| {
        matches!(
            d.kind,
            Kind::FiguresReturned
                | Kind::FiguresToEnter
                | Kind::FiguresToSubmit
                | Kind::ReportsMissing
                | Kind::ReportsDue
                | Kind::OrdersToSign
                | Kind::OrdersToAnswer
        )
    });
    let page = WorkbenchPage {
        month,
        c: cx.chrome(Nav::Workbench),
        t,
        lead: fill(t.wb_lead(), &[&period]),
        todos: wb.todos.into_iter().map(|x| todo_view(&cx, x)).collect(),
        city,
        may_open: gaoxin_core::supervise::may_open(session.account.who()),
    };
    cx.render(&page)
}
