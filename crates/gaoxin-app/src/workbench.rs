//! 工作台 — an account's home: what it must do now, each with its count, its deadline and the
//! page that does it, most urgent first; and for the dispatch office and the leadership the
//! city's three questions on one screen: which targets are behind (and whose they are), who has
//! not reported, which 督办单 are overdue.
//!
//! Everything is read for the current period ([`YearMonth::current`], the month just ended);
//! progress reports also for the reporting period running now, whose due day may come first.

use crate::{Acting, Error};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::dispatch;
use gaoxin_core::monitor::workflow::{entry_figures, entry_units, may_review};
use gaoxin_core::monitor::{Evaluation, FigureState, Summary, YearMonth, lagging, owed};
use gaoxin_core::supervise::{self, Action, OrderState};
use gaoxin_core::time::{Date, Timestamp};
use gaoxin_store::{Closed, Order, OrderFilter, ValueFilter};

/// The orders a 工作台 reads: only open ones offer a step.
const OPEN: OrderFilter = OrderFilter {
    state: None,
    assignee: None,
    task: None,
    closed: Closed::None,
};

/// A kind of thing to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Figures returned to the unit: correct and submit again.
    FiguresReturned,
    /// Figures due and not entered yet.
    FiguresToEnter,
    /// Figures saved and not submitted.
    FiguresToSubmit,
    /// Figures submitted, waiting for this account's review.
    FiguresToReview,
    /// Figures reviewed, waiting for the dispatch office's confirmation.
    FiguresToConfirm,
    /// Progress reports past their due day and not filed.
    ReportsMissing,
    /// Progress reports due and not filed yet.
    ReportsDue,
    /// 督办单 handed to the unit, to sign for.
    OrdersToSign,
    /// 督办单 signed for, to answer.
    OrdersToAnswer,
    /// 督办单 answered, to review (the dispatch office).
    OrdersToReview,
    /// 督办单 opened and not handed to a unit yet (the dispatch office).
    OrdersToAssign,
    /// 延期申请 waiting for the dispatch office's decision.
    ExtensionsToDecide,
    /// Unread messages.
    Unread,
}

/// One thing to do: how many, by when, where.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    pub kind: Kind,
    pub count: usize,
    /// The earliest deadline among them, if they have one.
    pub due: Option<Timestamp>,
    /// That deadline has passed.
    pub overdue: bool,
    /// The page that does it (a path on this server).
    pub link: String,
    /// The first few of them by name (a figure, an item, an order's number and title).
    pub names: Vec<TodoName>,
}

/// One thing to do by name, with the period it is for (written for people by the page).
#[derive(Debug, Clone, PartialEq)]
pub struct TodoName {
    pub text: String,
    pub period: Option<YearMonth>,
}

impl TodoName {
    fn of(text: impl Into<String>, period: Option<YearMonth>) -> TodoName {
        TodoName {
            text: text.into(),
            period,
        }
    }
}

/// At most this many names are listed with a to-do.
const NAMES: usize = 5;

/// A unit that owes figures or progress reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreported {
    /// A unit (zone) id for figures, a department id for reports.
    pub unit: String,
    /// Figures of the current period not submitted.
    pub figures: usize,
    /// Progress reports of the current reporting period not filed by their due day.
    pub reports: usize,
}

/// The city's three questions, for the dispatch office and the leadership.
#[derive(Debug, Clone)]
pub struct City {
    pub summary: Summary,
    /// Targets behind (yellow and red), most behind first.
    pub lagging: Vec<Evaluation>,
    pub unreported: Vec<Unreported>,
    /// The deadline of the current period's figures.
    pub deadline: Timestamp,
    /// The reporting period whose reports are counted in `unreported`, and its due day.
    pub report_period: YearMonth,
    pub report_due: Date,
    /// 督办单 past their deadline, oldest deadline first.
    pub overdue: Vec<Order>,
}

/// An account's workbench.
#[derive(Debug, Clone)]
pub struct Workbench {
    /// The current period.
    pub period: YearMonth,
    /// Most urgent first: overdue before due, the earliest deadline first, then by kind.
    pub todos: Vec<Todo>,
    pub city: Option<City>,
}

/// The workbench of the acting account (the console's is empty: it has no work of its own).
pub async fn workbench(cx: &Acting<'_>) -> Result<Workbench, Error> {
    let Some(account) = cx.account else {
        return Ok(Workbench {
            period: YearMonth::current(cx.now),
            todos: Vec::new(),
            city: None,
        });
    };
    let plan = cx.plan;
    let store = cx.store;
    let w = account.who();
    let now = cx.now;
    let period = YearMonth::current(now);
    let deadline = store.period_deadline(plan, period).await?;
    let mut todos = Vec::new();
    let mut add = |kind, names: Vec<TodoName>, due: Option<Timestamp>, link: String| {
        if !names.is_empty() {
            todos.push(Todo {
                kind,
                count: names.len(),
                due,
                overdue: due.is_some_and(|d| now > d),
                link,
                names,
            });
        }
    };

    // Figures this account enters (a unit's clerk; the dispatch office's own entries are
    // exceptions, not its work).
    if !w.is_dispatcher() {
        let units = entry_units(plan, w, period);
        let values = store
            .figure_values(&ValueFilter {
                units: Some(units.clone()),
                from: period,
                to: period,
            })
            .await?;
        for unit in &units {
            let mut enter = Vec::new();
            let mut submit = Vec::new();
            for f in entry_figures(plan, w, unit, period) {
                let v = values.iter().find(|v| &v.unit == unit && v.figure == f.id);
                match v.map(|v| v.state) {
                    None => enter.push(TodoName::of(&f.name, None)),
                    Some(FigureState::Draft) => submit.push(TodoName::of(&f.name, None)),
                    Some(_) => {}
                }
            }
            let link = format!("/figures?unit={unit}&period={period}");
            add(Kind::FiguresToEnter, enter, Some(deadline), link.clone());
            add(Kind::FiguresToSubmit, submit, Some(deadline), link);
        }
        // Values returned to the unit, of any period: each (unit, period) is one form to fix.
        for ((unit, p), figures) in returned_forms(cx, w).await? {
            let names = figures
                .iter()
                .map(|f| TodoName::of(&f.name, Some(p)))
                .collect();
            let due = store.period_deadline(plan, p).await?;
            let link = format!("/figures?unit={unit}&period={p}");
            add(Kind::FiguresReturned, names, Some(due), link);
        }
    }
    // Figures waiting for this account's review, or the dispatch office's confirmation.
    let name_of = |unit: &str, figure: &str, p: YearMonth| {
        let u = plan.unit(unit).map_or(unit, |u| u.name.as_str());
        let f = plan.figure(figure).map_or(figure, |f| f.name.as_str());
        TodoName::of(format!("{u} · {f}"), Some(p))
    };
    let submitted = store.figures_in_state(FigureState::Submitted).await?;
    let review: Vec<TodoName> = submitted
        .iter()
        .filter(|v| plan.figure(&v.figure).is_some_and(|f| may_review(w, f)))
        .map(|v| name_of(&v.unit, &v.figure, v.period))
        .collect();
    let review_due = (!review.is_empty()).then_some(deadline);
    add(
        Kind::FiguresToReview,
        review,
        review_due,
        "/figures/review".into(),
    );
    if w.is_dispatcher() {
        let confirm: Vec<TodoName> = store
            .figures_in_state(FigureState::Reviewed)
            .await?
            .iter()
            .map(|v| name_of(&v.unit, &v.figure, v.period))
            .collect();
        add(
            Kind::FiguresToConfirm,
            confirm,
            Some(deadline),
            "/figures/review".into(),
        );
    }

    // Progress reports this account's unit owes: the reporting period running now, and the
    // current one if it was missed.
    let m = &plan.monitoring;
    // Only items the unit is responsible for owe it a report.
    let items = store
        .work_items(plan, account, None, Some(&account.unit))
        .await?;
    let filed = filed_reports(cx).await?;
    let owed = reports_owed(cx, account, &items, &filed);
    let mut due_names = Vec::new();
    let mut missing_names = Vec::new();
    for r in &owed {
        let name = TodoName::of(&r.item.title, Some(r.period));
        if r.missed {
            missing_names.push(name);
        } else {
            due_names.push(name);
        }
    }
    let link = match owed.as_slice() {
        [one] => format!("/work/{}", one.item.id),
        _ => format!("/work?unit={}", w.department),
    };
    let report_period = filed[0].0;
    let running = dispatch::period_of(m.report_cycle, YearMonth::of(now));
    add(
        Kind::ReportsMissing,
        missing_names,
        Some(dispatch::due_date(report_period, m.report_day).end()),
        link.clone(),
    );
    let running_due = dispatch::due_date(running, m.report_day);
    add(Kind::ReportsDue, due_names, Some(running_due.end()), link);

    // 督办单 with a step for this account.
    let orders = store.orders(account, &OPEN).await?;
    let mut by_action: Vec<(Kind, Vec<&Order>)> = Vec::new();
    for o in &orders {
        let offered = supervise::offered(w, &o.current());
        let kind = if offered.contains(&Action::GrantExtension) {
            Kind::ExtensionsToDecide
        } else if offered.contains(&Action::Sign) {
            Kind::OrdersToSign
        } else if offered.contains(&Action::Answer) {
            Kind::OrdersToAnswer
        } else if offered.contains(&Action::Review) && o.state == OrderState::Answered {
            Kind::OrdersToReview
        } else if offered.contains(&Action::Assign) && o.state == OrderState::Opened {
            Kind::OrdersToAssign
        } else {
            continue;
        };
        match by_action.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => v.push(o),
            None => by_action.push((kind, vec![o])),
        }
    }
    for (kind, mut of) in by_action {
        of.sort_by_key(|o| (o.deadline.is_none(), o.deadline, o.id));
        let due = of.iter().filter_map(|o| o.deadline).min().map(Date::end);
        let link = match of.as_slice() {
            [one] => format!("/supervision/{}", one.id),
            _ => "/supervision".to_string(),
        };
        let names = of
            .iter()
            .map(|o| TodoName::of(format!("{} {}", o.number(), o.title), None))
            .collect();
        add(kind, names, due, link);
    }

    let unread = store.inbox_unread(account.id).await?;
    if unread > 0 {
        todos.push(Todo {
            kind: Kind::Unread,
            count: usize::try_from(unread).unwrap_or(usize::MAX),
            due: None,
            overdue: false,
            link: "/inbox".into(),
            names: Vec::new(),
        });
    }
    for t in &mut todos {
        t.names.truncate(NAMES);
    }
    todos.sort_by_key(|t| (!t.overdue, t.due.is_none(), t.due, t.kind));

    let city = if w.is_dispatcher() || w.is(RoleKind::Leader) {
        // The current reporting period's reports, read above (it is always the first).
        Some(
            city(
                cx,
                period,
                deadline,
                (report_period, &filed[0].1),
                &items,
                &orders,
            )
            .await?,
        )
    } else {
        None
    };
    Ok(Workbench {
        period,
        todos,
        city,
    })
}

/// The three questions, for the current period.
async fn city(
    cx: &Acting<'_>,
    period: YearMonth,
    deadline: Timestamp,
    (report_period, filed): (YearMonth, &[gaoxin_store::Report]),
    items: &[gaoxin_store::WorkItem],
    orders: &[Order],
) -> Result<City, Error> {
    let plan = cx.plan;
    let store = cx.store;
    let today = Date::of(cx.now);
    let status = crate::monitor::status(cx, None, period).await?;
    let summary = status.summary();
    let lagging: Vec<Evaluation> = lagging(status.evaluations()).into_iter().cloned().collect();

    let mut unreported: Vec<Unreported> = Vec::new();
    let mut bump = |unit: &str, figures: usize, reports: usize| match unreported
        .iter_mut()
        .find(|u| u.unit == unit)
    {
        Some(u) => {
            u.figures += figures;
            u.reports += reports;
        }
        None => unreported.push(Unreported {
            unit: unit.to_string(),
            figures,
            reports,
        }),
    };
    let values = store
        .figure_values(&ValueFilter {
            units: None,
            from: period,
            to: period,
        })
        .await?;
    for (unit, figure) in owed(plan, period) {
        let counts = values
            .iter()
            .any(|v| v.unit == unit && v.figure == figure && v.state.counts());
        if !counts {
            bump(&unit, 1, 0);
        }
    }
    let m = &plan.monitoring;
    let report_due = dispatch::due_date(report_period, m.report_day);
    if today > report_due {
        for item in items.iter().filter(|i| i.owes(report_period, m.report_day)) {
            for unit in item.responsible() {
                if !filed.iter().any(|r| r.item_id == item.id && r.unit == unit) {
                    bump(&unit, 0, 1);
                }
            }
        }
    }
    // Who owes most first.
    unreported.sort_by_key(|u| std::cmp::Reverse(u.figures + u.reports));

    let mut overdue: Vec<Order> = orders
        .iter()
        .filter(|o| o.is_overdue(today, m.warn_days))
        .cloned()
        .collect();
    overdue.sort_by_key(|o| (o.deadline, o.id));
    Ok(City {
        summary,
        lagging,
        unreported,
        deadline,
        report_period,
        report_due,
        overdue,
    })
}

/// A progress report the acting account's unit owes.
#[derive(Debug, Clone)]
pub struct ReportOwed {
    pub item: gaoxin_store::WorkItem,
    pub period: YearMonth,
    pub due: Date,
    /// Its due day has passed.
    pub missed: bool,
}

/// The reporting periods whose reports are owed now: the current one (first), and the one
/// running now when the cycle has moved on.
fn report_periods(cx: &Acting<'_>) -> Vec<YearMonth> {
    let m = &cx.plan.monitoring;
    let current = dispatch::current_period(m.report_cycle, cx.now);
    let running = dispatch::period_of(m.report_cycle, YearMonth::of(cx.now));
    if running == current {
        vec![current]
    } else {
        vec![current, running]
    }
}

/// The reports filed for each of [`report_periods`], in that order.
async fn filed_reports(
    cx: &Acting<'_>,
) -> Result<Vec<(YearMonth, Vec<gaoxin_store::Report>)>, Error> {
    let mut out = Vec::new();
    for p in report_periods(cx) {
        out.push((p, cx.store.period_reports(p).await?));
    }
    Ok(out)
}

/// The progress reports `account`'s unit owes among `items`: the current reporting period's if
/// not filed, and the running one's; missed ones first, then by due day.
fn reports_owed(
    cx: &Acting<'_>,
    account: &gaoxin_store::Account,
    items: &[gaoxin_store::WorkItem],
    filed: &[(YearMonth, Vec<gaoxin_store::Report>)],
) -> Vec<ReportOwed> {
    let w = account.who();
    let m = &cx.plan.monitoring;
    let today = Date::of(cx.now);
    let mut owed = Vec::new();
    for item in items {
        if !dispatch::may_report(w, &item.responsible(), w.department) {
            continue;
        }
        for (p, reports) in filed {
            let done = reports
                .iter()
                .any(|r| r.item_id == item.id && r.unit == w.department);
            if done || !item.owes(*p, m.report_day) {
                continue;
            }
            let due = dispatch::due_date(*p, m.report_day);
            owed.push(ReportOwed {
                item: item.clone(),
                period: *p,
                due,
                missed: today > due,
            });
        }
    }
    owed.sort_by_key(|r| (!r.missed, r.due, r.item.id));
    owed
}

/// One figure of a unit's period: what is stored, and the value a year before for comparison
/// (a change beyond the plan's bound needs an explanation).
#[derive(Debug, Clone)]
pub struct FigureOwed {
    pub figure: String,
    pub value: Option<gaoxin_store::FigureValue>,
    pub last_year: Option<f64>,
}

/// A unit's figures for one period, as the month page shows them to be entered.
#[derive(Debug, Clone)]
pub struct FiguresOwed {
    /// The unit (zone) the figures are for.
    pub unit: String,
    pub period: YearMonth,
    pub deadline: Timestamp,
    /// The figures the account enters for the unit in the period, with what is stored.
    pub rows: Vec<FigureOwed>,
    /// Something in it was returned to the unit.
    pub returned: bool,
}

impl FiguresOwed {
    /// How many of its figures still need the clerk: not entered, saved but not submitted, or
    /// returned.
    pub fn open(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| {
                r.value
                    .as_ref()
                    .is_none_or(|v| matches!(v.state, FigureState::Draft | FigureState::Returned))
            })
            .count()
    }
}

/// Everything a unit's clerk owes for the current period, for one page: the figures to enter
/// or correct, the progress reports due, the 督办单 to sign for or answer.
#[derive(Debug, Clone)]
pub struct Month {
    pub period: YearMonth,
    /// The current period's figures per unit, then any returned in earlier periods.
    pub figures: Vec<FiguresOwed>,
    pub reports: Vec<ReportOwed>,
    /// Orders with a step for the unit (sign for, answer), nearest deadline first.
    pub orders: Vec<Order>,
}

impl Month {
    /// Nothing left to do.
    pub fn is_done(&self) -> bool {
        self.figures.iter().all(|f| f.open() == 0)
            && self.reports.is_empty()
            && self.orders.is_empty()
    }
}

/// The acting account's month (the console's, and the dispatch office's own figures, are
/// empty: entering is a unit's work).
pub async fn month(cx: &Acting<'_>) -> Result<Month, Error> {
    let period = YearMonth::current(cx.now);
    let mut out = Month {
        period,
        figures: Vec::new(),
        reports: Vec::new(),
        orders: Vec::new(),
    };
    let Some(account) = cx.account else {
        return Ok(out);
    };
    let plan = cx.plan;
    let store = cx.store;
    let w = account.who();
    if !w.is_dispatcher() {
        let deadline = store.period_deadline(plan, period).await?;
        let units = entry_units(plan, w, period);
        let values = store
            .figure_values(&ValueFilter {
                units: Some(units.clone()),
                from: period,
                to: period,
            })
            .await?;
        let before = store
            .figure_values(&ValueFilter {
                units: Some(units.clone()),
                from: period.last_year(),
                to: period.last_year(),
            })
            .await?;
        for unit in &units {
            let rows = owed_rows(plan, w, unit, period, &values, &before);
            if rows.is_empty() {
                continue;
            }
            let returned = rows.iter().any(|r| {
                r.value
                    .as_ref()
                    .is_some_and(|v| v.state == FigureState::Returned)
            });
            out.figures.push(FiguresOwed {
                unit: unit.clone(),
                period,
                deadline,
                rows,
                returned,
            });
        }
        // Values returned in earlier periods: the whole period's form for that unit.
        let mut earlier: Vec<(String, YearMonth)> = returned_forms(cx, w)
            .await?
            .into_iter()
            .map(|(key, _)| key)
            .filter(|(_, p)| *p != period)
            .collect();
        earlier.sort_by_key(|(u, p)| (*p, u.clone()));
        for (unit, p) in earlier {
            let filter = |q: YearMonth| ValueFilter {
                units: Some(vec![unit.clone()]),
                from: q,
                to: q,
            };
            let stored = store.figure_values(&filter(p)).await?;
            let before = store.figure_values(&filter(p.last_year())).await?;
            let rows = owed_rows(plan, w, &unit, p, &stored, &before);
            out.figures.push(FiguresOwed {
                deadline: store.period_deadline(plan, p).await?,
                unit,
                period: p,
                rows,
                returned: true,
            });
        }
    }
    let items = store
        .work_items(plan, account, None, Some(&account.unit))
        .await?;
    let filed = filed_reports(cx).await?;
    out.reports = reports_owed(cx, account, &items, &filed);
    let mut orders: Vec<Order> = store
        .orders(account, &OPEN)
        .await?
        .into_iter()
        .filter(|o| {
            let offered = supervise::offered(w, &o.current());
            offered.contains(&Action::Sign) || offered.contains(&Action::Answer)
        })
        .collect();
    orders.sort_by_key(|o| (o.deadline.is_none(), o.deadline, o.id));
    out.orders = orders;
    Ok(out)
}

/// The values returned to units `w` enters for, of any period, by (unit, period): each is one
/// form to correct and submit again.
async fn returned_forms<'p>(
    cx: &Acting<'p>,
    w: gaoxin_core::auth::Who<'_>,
) -> Result<Vec<((String, YearMonth), Vec<&'p gaoxin_core::plan::Figure>)>, Error> {
    let plan = cx.plan;
    let mut out: Vec<((String, YearMonth), Vec<&gaoxin_core::plan::Figure>)> = Vec::new();
    for v in cx.store.figures_in_state(FigureState::Returned).await? {
        let Some(f) = plan.figure(&v.figure) else {
            continue;
        };
        if !gaoxin_core::monitor::workflow::may_enter(plan, w, &v.unit, f) {
            continue;
        }
        let key = (v.unit.clone(), v.period);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, figures)) => figures.push(f),
            None => out.push((key, vec![f])),
        }
    }
    Ok(out)
}

/// The figures `w` enters for `unit` in `period`, each with its stored value (from `values`)
/// and the value a year before (from `before`).
fn owed_rows(
    plan: &gaoxin_core::Plan,
    w: gaoxin_core::auth::Who<'_>,
    unit: &str,
    period: YearMonth,
    values: &[gaoxin_store::FigureValue],
    before: &[gaoxin_store::FigureValue],
) -> Vec<FigureOwed> {
    let find = |list: &[gaoxin_store::FigureValue], f: &str| {
        list.iter()
            .find(|v| v.unit == unit && v.figure == f)
            .cloned()
    };
    entry_figures(plan, w, unit, period)
        .into_iter()
        .map(|f| FigureOwed {
            figure: f.id.clone(),
            value: find(values, &f.id),
            last_year: find(before, &f.id).map(|v| v.value),
        })
        .collect()
}
