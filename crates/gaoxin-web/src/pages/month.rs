//! 本期填报 — a unit clerk's month on one page: the figures to enter or correct, the progress
//! reports due and the 督办单 to sign for or answer, each in a form of its own that posts to the
//! page that owns the step (`/figures`, `/work/{id}/report`, `/supervision/{id}`) and comes back
//! here when it went through. What a form requires is marked before it is sent: a report whose
//! milestones are behind asks for why and what next up front.

use super::supervise::Choice;
use super::{Chrome, Nav, PageCtx, session_of, unit_name, with_unit};
use crate::error::PageError;
use crate::extract::Query;
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::Response;
use gaoxin_core::monitor::FigureState;
use gaoxin_core::supervise::{self, Action};
use gaoxin_core::text::Name;
use gaoxin_core::time::Date;
use serde::Deserialize;

/// The routes of this page, with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    Routes::new().get("/month", Access::Needs(Capability::ReadBusiness), page)
}

/// What a form on this page sends back so that its handler returns here.
pub const BACK: &str = "month";

/// Where a handler returns to after a step taken from this page: the page, at the section.
pub fn back_to(done: &str, anchor: &str) -> String {
    format!("/month?done={done}#{anchor}")
}

struct FigureRow {
    id: String,
    name: String,
    measure: String,
    /// The value a year before, in words (a change beyond the bound needs an explanation), and
    /// as a number.
    last_year: String,
    last_year_value: String,
    value: String,
    explanation: String,
    version: i64,
    state: &'static str,
    state_code: &'static str,
    /// Why it was returned.
    note: String,
    editable: bool,
}

struct FigureForm {
    anchor: String,
    unit: String,
    title: String,
    period: String,
    deadline: String,
    overdue: bool,
    rows: Vec<FigureRow>,
    open: usize,
}

struct ReportForm {
    item: i64,
    title: String,
    period: String,
    period_text: String,
    due: String,
    missed: bool,
    reached: Vec<(Choice, bool)>,
    behind_now: Option<String>,
    milestones: String,
    /// The unit's report for the period was returned: why, and what it said (the form starts
    /// from it, to be corrected).
    returned: Option<String>,
    draft: gaoxin_core::dispatch::ReportDraft,
    percent: String,
}

struct OrderForm {
    id: i64,
    number: String,
    title: String,
    basis: String,
    requirements: String,
    due: String,
    overdue: bool,
    version: i64,
    sign: bool,
    answer: bool,
}

#[derive(Template)]
#[template(path = "month.html")]
struct MonthPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    lead: String,
    notice: Option<String>,
    figures: Vec<FigureForm>,
    reports: Vec<ReportForm>,
    orders: Vec<OrderForm>,
    done: bool,
    counts: String,
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    done: Option<String>,
}

/// `GET /month`: what the reader's unit owes for the current period.
pub async fn page(cx: PageCtx, Query(q): Query<MonthQuery>) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let plan = &cx.stored.plan;
    let t = cx.t;
    let lang = cx.lang.into();
    let now = cx.state.now();
    let today = Date::of(now);
    let acting = cx.acting(&session.account);
    let month = gaoxin_app::workbench::month(&acting)
        .await
        .map_err(|e| cx.fail(e))?;
    let figures: Vec<FigureForm> = month
        .figures
        .iter()
        .map(|g| {
            let rows = g
                .rows
                .iter()
                .filter_map(|r| {
                    let f = plan.figure(&r.figure)?;
                    let v = &r.value;
                    let state = v.as_ref().map(|v| v.state);
                    Some(FigureRow {
                        id: f.id.clone(),
                        name: f.name.clone(),
                        measure: f.unit.clone(),
                        last_year: r
                            .last_year
                            .map(|x| fill(t.month_last_year(), &[&with_unit(x, &f.unit)]))
                            .unwrap_or_default(),
                        last_year_value: r
                            .last_year
                            .map(gaoxin_core::plan::format_value)
                            .unwrap_or_default(),
                        value: v
                            .as_ref()
                            .map(|v| gaoxin_core::plan::format_value(v.value))
                            .unwrap_or_default(),
                        explanation: v
                            .as_ref()
                            .map(|v| v.explanation.clone())
                            .unwrap_or_default(),
                        version: v.as_ref().map_or(0, |v| v.version),
                        state: state.map_or(t.state_none(), |s| s.name(lang)),
                        state_code: state.map_or("none", FigureState::code),
                        note: v
                            .as_ref()
                            .filter(|v| v.state == FigureState::Returned)
                            .map(|v| v.note.clone())
                            .unwrap_or_default(),
                        // Here a value is entered, corrected or submitted; revising a
                        // confirmed one (with its reason) is the full form's.
                        editable: match state {
                            None | Some(FigureState::Draft) => now <= g.deadline,
                            Some(FigureState::Returned) => true,
                            Some(_) => false,
                        },
                    })
                })
                .collect();
            FigureForm {
                anchor: format!("fig-{}-{}", g.unit, g.period),
                title: fill(
                    if g.returned {
                        t.month_figures_returned()
                    } else {
                        t.month_figures_of()
                    },
                    &[&unit_name(plan, &g.unit), &g.period.human(lang)],
                ),
                unit: g.unit.clone(),
                period: g.period.to_string(),
                deadline: g.deadline.human(lang),
                overdue: now > g.deadline,
                open: g.open(),
                rows,
            }
        })
        .collect();
    let mut reports = Vec::new();
    for r in &month.reports {
        let filed = cx
            .state
            .store
            .reports_of(r.item.id)
            .await
            .map_err(|e| cx.fail(e))?;
        let unit = &session.account.unit;
        let back = filed
            .iter()
            .find(|x| &x.unit == unit && x.period == r.period)
            .filter(|x| x.returned.is_some());
        let draft = back.map(|x| x.draft.clone()).unwrap_or_default();
        // A returned report starts from what it said; a new one from the lead's milestones.
        let reached = back.map_or_else(
            || super::dispatch::lead_reached(&r.item, &filed),
            |x| x.draft.reached,
        );
        let n = r.item.milestones.len();
        reports.push(ReportForm {
            item: r.item.id,
            title: r.item.title.clone(),
            period: r.period.to_string(),
            period_text: r.period.human(lang),
            due: r.due.human(lang),
            missed: r.missed,
            reached: super::dispatch::reached_choices(t, &r.item, reached, today),
            behind_now: super::dispatch::behind_note(t, &r.item, reached, today),
            milestones: fill(t.work_reached_of(), &[&reached, &n]),
            returned: back
                .and_then(|x| x.returned.as_ref())
                .map(|x| fill(t.month_report_returned(), &[&x.reason])),
            percent: draft.percent.map(|p| p.to_string()).unwrap_or_default(),
            draft,
        });
    }
    let w = session.account.who();
    let orders = month
        .orders
        .iter()
        .map(|o| {
            let offered = supervise::offered(w, &o.current());
            OrderForm {
                id: o.id,
                number: o.number(),
                title: o.title.clone(),
                basis: o.basis.clone(),
                requirements: o.requirements.clone().unwrap_or_default(),
                due: o.deadline.map(|d| d.end().human(lang)).unwrap_or_default(),
                overdue: o.deadline.is_some_and(|d| today > d),
                version: o.version,
                sign: offered.contains(&Action::Sign),
                answer: offered.contains(&Action::Answer),
            }
        })
        .collect::<Vec<_>>();
    let notice = q.done.as_deref().and_then(|d| match d {
        "figures" => Some(t.month_figures_done().to_string()),
        "saved" => Some(t.ledger_saved().to_string()),
        "report" => Some(t.work_report_filed().to_string()),
        other => Action::parse(other).map(|a| fill(t.order_done(), &[&a.name(lang)])),
    });
    let open_figures: usize = figures.iter().map(|f| f.open).sum();
    let page = MonthPage {
        c: cx.chrome(Nav::Workbench),
        t,
        csrf: session.csrf_token.clone(),
        lead: fill(t.month_lead(), &[&month.period.human(lang)]),
        notice,
        done: month.is_done(),
        counts: fill(
            t.month_counts(),
            &[&open_figures, &reports.len(), &orders.len()],
        ),
        figures,
        reports,
        orders,
    };
    cx.render(&page)
}
