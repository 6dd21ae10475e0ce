//! 督办 pages: the list of orders (by state, unit, task and light), a new order (on a task, a
//! lagging indicator from the cockpit, or a matter of its own), an order's page with its whole
//! history and the steps the reader may take, and each account's inbox. Who may do what is
//! `gaoxin_core::supervise`; the handlers only ask it.

use super::{Chrome, Nav, PageCtx, Pager, department_name, session_of, unit_name};
use crate::error::{PageError, WebError};
use crate::extract::{Path, Query};
use crate::i18n::{Lang, Tr, fill};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_core::plan::{DepartmentKind, Plan};
use gaoxin_core::supervise::{self, Action, Light, OrderState, Request, Subject};
use gaoxin_core::text::{Message, Name};
use gaoxin_core::time::{Date, Timestamp};
use gaoxin_store::{NewOrder, Order, OrderFilter, OrderQuery, SupervisionError};
use std::collections::HashMap;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/supervision", business, list)
        .get("/supervision/new", business, new_form)
        .post("/supervision/new", business, create)
        .get("/supervision/{id}", business, order)
        .get("/supervision/{id}/docx", business, sheet)
        .method(
            "POST",
            "/supervision/{id}/attachments",
            business,
            axum::routing::post(upload).layer(crate::routes::upload_limit(
                gaoxin_core::dispatch::attachment::MAX_BYTES,
            )),
        )
        .get("/order-attachments/{id}", business, download)
        .post("/supervision/{id}", business, step)
        .get("/inbox", business, inbox)
        .post("/inbox", business, inbox_read)
}

fn today(cx: &PageCtx) -> Date {
    Date::of(cx.state.now())
}

pub fn state_text(lang: Lang, s: OrderState) -> &'static str {
    s.name(lang.into())
}

fn action_text(lang: Lang, a: Action) -> &'static str {
    a.name(lang.into())
}

pub fn light_text(lang: Lang, l: Light) -> &'static str {
    l.name(lang.into())
}

/// The CSS class of a light, as the cockpit draws them.
fn light_class(l: Light) -> &'static str {
    match l {
        Light::Green => "green",
        Light::Yellow => "yellow",
        Light::Red => "red",
        Light::None | Light::Done => "gray",
    }
}

/// What an order is about, as text and a link.
fn subject_of(plan: &Plan, t: Tr, s: &Subject) -> (String, String) {
    match s {
        Subject::Task { task } => (plan.task_heading(task), format!("/plan#task-{task}")),
        Subject::Indicator { zone, indicator } => (
            format!(
                "{} · {}",
                unit_name(plan, zone),
                plan.indicator(indicator)
                    .map_or_else(|| indicator.clone(), |i| i.name.clone())
            ),
            format!("/monitor#zone-{zone}"),
        ),
        Subject::Matter => (t.order_subject_matter().to_string(), String::new()),
    }
}

/// An order as a list row and as the head of its page.
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub subject: String,
    pub subject_href: String,
    pub assignee: String,
    pub deadline: String,
    /// "剩 3 天" / "逾期 2 天", while the unit owes its answer.
    pub due: String,
    pub state: &'static str,
    pub state_text: &'static str,
    pub light: &'static str,
    pub light_class: &'static str,
    pub light_text: &'static str,
    pub updated: String,
    pub sample: bool,
}

fn order_row(cx: &PageCtx, o: &Order) -> OrderRow {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let today = today(cx);
    let light = o.light(today, plan.monitoring.warn_days);
    let (subject, subject_href) = subject_of(plan, t, &o.subject);
    let due = match o.deadline {
        Some(d) if o.state.awaits_unit() && d >= today => {
            fill(t.order_days_left(), &[&(d.0 - today.0)])
        }
        Some(d) if o.state.awaits_unit() => fill(t.order_days_over(), &[&(today.0 - d.0)]),
        _ => String::new(),
    };
    OrderRow {
        id: o.id,
        number: o.number(),
        title: o.title.clone(),
        subject,
        subject_href,
        assignee: o
            .assignee
            .as_deref()
            .map(|a| department_name(plan, a))
            .unwrap_or_default(),
        deadline: o
            .deadline
            .map(|d| d.human(cx.lang.into()))
            .unwrap_or_default(),
        due,
        state: o.state.code(),
        state_text: state_text(cx.lang, o.state),
        light: light.code(),
        light_class: light_class(light),
        light_text: light_text(cx.lang, light),
        updated: Timestamp(o.updated_at).human(cx.lang.into()),
        sample: o.sample,
    }
}

/// A choice in a filter or form.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn choices<'a>(
    items: impl Iterator<Item = (String, String)> + 'a,
    current: Option<&str>,
) -> Vec<Choice> {
    items
        .map(|(value, label)| Choice {
            selected: current == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

/// The departments an order may be handed to: every department but the dispatch office.
pub(crate) fn assignable(plan: &Plan, current: Option<&str>) -> Vec<Choice> {
    choices(
        plan.departments
            .iter()
            .filter(|d| d.kind != DepartmentKind::Dispatch)
            .map(|d| (d.id.clone(), d.name.clone())),
        current,
    )
}

/// The departments a form offers as 协办单位 (checkboxes named `co_unit.{id}`), those in
/// `chosen` ticked.
pub(crate) fn co_unit_choices(plan: &Plan, chosen: &[String]) -> Vec<Choice> {
    plan.departments
        .iter()
        .filter(|d| d.kind != DepartmentKind::Dispatch)
        .map(|d| Choice {
            value: d.id.clone(),
            label: d.name.clone(),
            selected: chosen.contains(&d.id),
        })
        .collect()
}

/// An order's 协办单位 by name, 、-separated.
fn co_unit_names(plan: &Plan, order: &Order) -> String {
    order
        .co_units
        .iter()
        .map(|c| department_name(plan, c))
        .collect::<Vec<_>>()
        .join("、")
}

/// The 协办单位 ticked on a form, in the plan's order.
fn co_units_of(plan: &Plan, form: &HashMap<String, String>) -> Vec<String> {
    plan.departments
        .iter()
        .filter(|d| form.contains_key(&format!("co_unit.{}", d.id)))
        .map(|d| d.id.clone())
        .chain(
            // A ticked id the plan does not know is kept, for the rules to name it.
            form.keys()
                .filter_map(|k| k.strip_prefix("co_unit."))
                .filter(|id| plan.department(id).is_none())
                .map(str::to_string),
        )
        .collect()
}

fn task_choices(plan: &Plan, current: Option<&str>) -> Vec<Choice> {
    choices(
        plan.tasks
            .iter()
            .map(|x| (x.id.clone(), plan.task_heading(&x.id))),
        current,
    )
}

#[derive(Template)]
#[template(path = "supervision_list.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    rows: Vec<OrderRow>,
    /// Per light: (code, class, text, count).
    lights: Vec<(&'static str, &'static str, &'static str, i64)>,
    /// "N orders, a–b shown".
    shown: String,
    pager: Pager,
    states: Vec<Choice>,
    units: Vec<Choice>,
    tasks: Vec<Choice>,
    light_choices: Vec<Choice>,
    may_open: bool,
    filtered: bool,
    warn_days: u32,
}

fn opt(q: &HashMap<String, String>, key: &str) -> Option<String> {
    q.get(key).filter(|v| !v.is_empty()).cloned()
}

/// Orders on one page of the list.
const PAGE_SIZE: i64 = 50;

/// `GET /supervision?state=&unit=&task=&light=&page=`.
pub async fn list(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let lang = cx.lang;
    let state = opt(&q, "state").and_then(|s| OrderState::parse(&s));
    let light = opt(&q, "light").and_then(|s| Light::parse(&s));
    let filter = OrderFilter {
        state,
        assignee: opt(&q, "unit"),
        task: opt(&q, "task"),
        ..OrderFilter::default()
    };
    let (day, warn) = (today(&cx), plan.monitoring.warn_days);
    let number = crate::pages::page_asked(q.get("page").map(String::as_str));
    let listed = cx
        .state
        .store
        .order_page(
            &session.account,
            &OrderQuery {
                filter: filter.clone(),
                light,
                today: day,
                warn_days: warn,
                offset: (number - 1) * PAGE_SIZE,
                limit: PAGE_SIZE,
            },
        )
        .await
        .map_err(|e| cx.fail(e))?;
    let rows: Vec<OrderRow> = listed.orders.iter().map(|o| order_row(&cx, o)).collect();
    let lights = [
        Light::Red,
        Light::Yellow,
        Light::Green,
        Light::None,
        Light::Done,
    ]
    .into_iter()
    .map(|l| {
        let n = listed
            .lights
            .iter()
            .find(|(x, _)| *x == l)
            .map_or(0, |(_, n)| *n);
        (l.code(), light_class(l), light_text(lang, l), n)
    })
    .collect();
    let first = (number - 1) * PAGE_SIZE;
    let shown = crate::i18n::fill(
        cx.t.order_count(),
        &[
            &listed.total,
            &(first + 1).min(listed.total),
            &(first + rows.len() as i64),
        ],
    );
    let filters: Vec<(&str, &str)> = ["state", "unit", "task", "light"]
        .into_iter()
        .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| (k, v.as_str())))
        .collect();
    let pager = match Pager::new(
        "/supervision",
        &filters,
        number,
        listed.total,
        PAGE_SIZE,
        "order",
    ) {
        Ok(p) => p,
        Err(last) => return Ok(Redirect::to(&last).into_response()),
    };
    let page = ListPage {
        c: cx.chrome(Nav::Supervision),
        t: cx.t,
        rows,
        lights,
        shown,
        pager,
        states: choices(
            OrderState::ALL
                .into_iter()
                .map(|s| (s.code().to_string(), state_text(lang, s).to_string())),
            state.map(OrderState::code),
        ),
        units: assignable(plan, filter.assignee.as_deref()),
        tasks: task_choices(plan, filter.task.as_deref()),
        light_choices: choices(
            Light::ALL
                .into_iter()
                .map(|l| (l.code().to_string(), light_text(lang, l).to_string())),
            light.map(Light::code),
        ),
        may_open: supervise::may_open(session.account.who()),
        filtered: state.is_some()
            || light.is_some()
            || filter.assignee.is_some()
            || filter.task.is_some(),
        warn_days: plan.monitoring.warn_days,
    };
    cx.render(&page)
}

impl ListPage {
    fn warn_rule(&self) -> String {
        fill(self.t.order_warn_rule(), &[&self.warn_days])
    }
}

#[derive(Template)]
#[template(path = "supervision_new.html")]
struct NewPage {
    c: Chrome,
    t: Tr,
    csrf: String,
    error: Option<String>,
    title: String,
    basis: String,
    /// The subject, fixed when opened from a task or a lagging indicator.
    subject: String,
    subject_fields: Vec<(&'static str, String)>,
    tasks: Vec<Choice>,
    units: Vec<Choice>,
    /// 协办单位 to tick.
    co_units: Vec<Choice>,
    deadline: String,
    requirements: String,
    min_date: String,
}

/// The subject a form names: `task`, or `zone` + `indicator`, or neither.
fn subject_from(form: &HashMap<String, String>) -> Subject {
    match (opt(form, "task"), opt(form, "zone"), opt(form, "indicator")) {
        (Some(task), _, _) => Subject::Task { task },
        (None, Some(zone), Some(indicator)) => Subject::Indicator { zone, indicator },
        _ => Subject::Matter,
    }
}

fn new_page(
    cx: &PageCtx,
    form: &HashMap<String, String>,
    error: Option<String>,
) -> Result<NewPage, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(cx)?;
    let subject = subject_from(form);
    // Named from the cockpit: the indicator is fixed; otherwise a task may be chosen.
    let (text, subject_fields) = match &subject {
        Subject::Indicator { zone, indicator } => (
            subject_of(plan, cx.t, &subject).0,
            vec![("zone", zone.clone()), ("indicator", indicator.clone())],
        ),
        _ => (String::new(), Vec::new()),
    };
    let title = opt(form, "title").unwrap_or_else(|| match &subject {
        Subject::Indicator { .. } => fill(cx.t.order_title_lagging(), &[&text]),
        _ => String::new(),
    });
    Ok(NewPage {
        c: cx.chrome(Nav::Supervision),
        t: cx.t,
        csrf: session.csrf_token.clone(),
        error,
        title,
        basis: form.get("basis").cloned().unwrap_or_default(),
        subject: text,
        subject_fields,
        tasks: task_choices(plan, form.get("task").map(String::as_str)),
        units: assignable(plan, form.get("assignee").map(String::as_str)),
        co_units: co_unit_choices(plan, &co_units_of(plan, form)),
        deadline: form.get("deadline").cloned().unwrap_or_default(),
        requirements: form.get("requirements").cloned().unwrap_or_default(),
        min_date: today(cx).to_string(),
    })
}

/// `GET /supervision/new?task=` or `?zone=&indicator=`: the dispatcher's form. Opened from a
/// lagging target, its basis carries the numbers: the current period's actual value, the
/// expected one, the gap with its unit and the light.
pub async fn new_form(
    cx: PageCtx,
    Query(mut q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    if !supervise::may_open(session.account.who()) {
        return Err(cx.fail(WebError::Forbidden));
    }
    if let (None, Subject::Indicator { zone, indicator }) = (opt(&q, "basis"), subject_from(&q)) {
        let plan = &cx.stored.plan;
        let period = gaoxin_core::monitor::YearMonth::current(cx.state.now());
        let acting = cx.acting(&session.account);
        let status = gaoxin_app::monitor::status(&acting, Some(&[zone.as_str()]), period)
            .await
            .map_err(|e| cx.fail(e))?;
        let lang = cx.lang.into();
        if let Some(e) = status
            .evaluations()
            .find(|e| e.indicator == indicator && e.actual.is_some())
        {
            let row = super::monitor::cockpit::eval_row(plan, e, cx.t);
            let at = e.period.map(|p| p.human(lang)).unwrap_or_default();
            let basis = fill(
                cx.t.order_basis_lagging(),
                &[
                    &row.zone_name,
                    &row.name,
                    &at,
                    &row.actual,
                    &row.expected,
                    &row.gap,
                    &row.status_text,
                ],
            );
            q.insert("basis".into(), basis);
        }
    }
    let page = new_page(&cx, &q, None)?;
    cx.render(&page)
}

fn refusal(cx: &PageCtx, e: SupervisionError) -> Result<(StatusCode, String), PageError> {
    match e {
        SupervisionError::Store(s) => Err(cx.fail(WebError::Store(s))),
        SupervisionError::NotFound => Err(cx.fail(WebError::NotFound)),
        e @ (SupervisionError::Attachment(_) | SupervisionError::AttachmentGone) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, e.say(cx.lang.into())))
        }
        SupervisionError::Rule(r) => {
            let status = if r.is_forbidden() {
                StatusCode::FORBIDDEN
            } else if matches!(
                r,
                supervise::OrderError::Stale
                    | supervise::OrderError::WrongState { .. }
                    | supervise::OrderError::Closed
            ) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let text = r.say(cx.lang.into());
            Ok((status, text))
        }
    }
}

/// A date field: empty is `None`; anything else must be a day.
fn date_field(
    cx: &PageCtx,
    form: &HashMap<String, String>,
    key: &str,
) -> Result<Option<Date>, String> {
    match opt(form, key) {
        None => Ok(None),
        Some(s) => Date::parse(&s)
            .map(Some)
            .ok_or_else(|| crate::i18n::fill(cx.t.deadline_not_a_date(), &[&s])),
    }
}

/// `POST /supervision/new`: opens the order, and hands it over at once when a unit is chosen.
pub async fn create(
    cx: PageCtx,
    crate::extract::Form(form): crate::extract::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    if !supervise::may_open(session.account.who()) {
        return Err(cx.fail(WebError::Forbidden));
    }
    let again = |status: StatusCode, message: String| -> Result<Response, PageError> {
        let page = new_page(&cx, &form, Some(message))?;
        Ok(super::respond(cx.lang, status, &page))
    };
    let deadline = match date_field(&cx, &form, "deadline") {
        Ok(d) => d,
        Err(m) => return again(StatusCode::UNPROCESSABLE_ENTITY, m),
    };
    let assignee = opt(&form, "assignee");
    let requirements = form.get("requirements").cloned().unwrap_or_default();
    // Hand over at once when anything of the hand-over is filled; the rules say what is missing.
    let assign = (assignee.is_some() || deadline.is_some() || !requirements.trim().is_empty())
        .then_some(Request {
            assignee,
            deadline,
            note: requirements,
            co_units: co_units_of(&cx.stored.plan, &form),
        });
    let new = NewOrder {
        title: form.get("title").cloned().unwrap_or_default(),
        subject: subject_from(&form),
        basis: form.get("basis").cloned().unwrap_or_default(),
        assign,
    };
    match cx
        .state
        .store
        .order_open(&cx.stored.plan, &session.account, &new, cx.state.now())
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/supervision/{id}?done=open")).into_response()),
        Err(e) => {
            let (status, text) = refusal(&cx, e)?;
            again(status, text)
        }
    }
}

struct StepView {
    /// Files filed with the step: (id, name, size).
    files: Vec<(i64, String, String)>,
    at: String,
    account: String,
    action: &'static str,
    change: String,
    note: String,
    system: bool,
}

/// A step the reader may take, as a form.
struct ActionForm {
    code: &'static str,
    label: &'static str,
    note_label: &'static str,
    note_required: bool,
    /// 交办: the unit and deadline fields.
    assign: bool,
    /// A date the step carries (退回 of an answer: an optional new deadline; 延期申请: the day
    /// asked for; 同意延期: the new deadline, the one asked for filled in): its label, or empty.
    date_label: &'static str,
    date_required: bool,
    date_value: String,
    date_min: String,
    primary: bool,
}

#[derive(Template)]
#[template(path = "supervision_order.html")]
struct OrderPage {
    c: Chrome,
    t: Tr,
    o: OrderRow,
    basis: String,
    requirements: String,
    opened_by: String,
    opened_at: String,
    history: Vec<StepView>,
    actions: Vec<ActionForm>,
    units: Vec<Choice>,
    co_units: Vec<Choice>,
    /// The 协办单位 by name.
    co_names: String,
    csrf: String,
    version: i64,
    min_date: String,
    error: Option<String>,
    notice: Option<String>,
    warn_days: u32,
    /// A 延期申请 waiting for the dispatch office, in words.
    extension: String,
    /// 领导批示 on the order, newest first: who, when, what.
    instructions: Vec<(String, String, String)>,
    /// The reader answers now: the answer form takes files.
    answering: bool,
}

impl OrderPage {
    fn attach_hint(&self) -> String {
        super::dispatch::attach_hint(self.t)
    }
}

impl OrderPage {
    fn warn_rule(&self) -> String {
        fill(self.t.order_warn_rule(), &[&self.warn_days])
    }
}

async fn readable_order(cx: &PageCtx, id: i64) -> Result<Order, PageError> {
    let session = session_of(cx)?;
    let order = cx
        .state
        .store
        .order(id)
        .await
        .map_err(|e| cx.fail(e))?
        .ok_or_else(|| cx.fail(WebError::NotFound))?;
    if !supervise::may_see(
        session.account.who(),
        order.assignee.as_deref(),
        &order.co_units,
    ) {
        return Err(cx.hidden(format!("supervision:{id}")).await);
    }
    Ok(order)
}

fn action_form(t: Tr, lang: Lang, order: &Order, today: Date, a: Action) -> ActionForm {
    let (note_label, note_required) = match a {
        Action::Assign => (t.order_requirements(), true),
        Action::Answer => (t.order_answer_note(), true),
        Action::Return => (t.order_return_reason(), true),
        Action::Review => (t.order_review_note(), false),
        Action::Close => (t.order_close_note(), false),
        Action::RequestExtension => (t.order_extension_reason(), true),
        Action::GrantExtension => (t.order_grant_note(), false),
        Action::RefuseExtension => (t.order_refuse_reason(), true),
        Action::Urge => (t.order_urge_note(), false),
        Action::Instruct => (t.order_instruction(), true),
        _ => (t.order_sign_note(), false),
    };
    let (date_label, date_required, date_value, date_min) = match a {
        Action::Return if order.state != OrderState::Assigned => {
            (t.order_new_deadline(), false, String::new(), today)
        }
        Action::RequestExtension => (
            t.order_extension_to(),
            true,
            String::new(),
            order.deadline.map_or(today, |d| d.add_days(1).max(today)),
        ),
        Action::GrantExtension => (
            t.order_granted_deadline(),
            true,
            order.extension.map(|d| d.to_string()).unwrap_or_default(),
            today,
        ),
        _ => ("", false, String::new(), today),
    };
    ActionForm {
        code: a.code(),
        label: action_text(lang, a),
        note_label,
        note_required,
        assign: a == Action::Assign,
        date_label,
        date_required,
        date_value,
        date_min: date_min.to_string(),
        primary: !matches!(
            a,
            Action::Return | Action::RefuseExtension | Action::Urge | Action::RequestExtension
        ),
    }
}

async fn order_page(
    cx: &PageCtx,
    order: &Order,
    error: Option<String>,
    notice: Option<String>,
) -> Result<OrderPage, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(cx)?;
    let lang = cx.lang;
    let steps = cx
        .state
        .store
        .order_steps(order.id)
        .await
        .map_err(|e| cx.fail(e))?;
    let people = cx.people().await?;
    let files = cx
        .state
        .store
        .order_attachments(order.id)
        .await
        .map_err(|e| cx.fail(e))?;
    let history = steps
        .iter()
        .map(|s| {
            let mut change = match s.from {
                Some(from) if from != s.to => {
                    format!("{} → {}", state_text(lang, from), state_text(lang, s.to))
                }
                _ => state_text(lang, s.to).to_string(),
            };
            if s.action == Action::RequestExtension {
                if let Some(d) = s.deadline {
                    change.push_str(&format!(
                        " · {} {}",
                        cx.t.order_extension_to(),
                        d.human(lang.into())
                    ));
                }
            } else if matches!(
                s.action,
                Action::Assign | Action::Return | Action::Escalate | Action::GrantExtension
            ) {
                if let Some(a) = &s.assignee {
                    change.push_str(&format!(" · {}", department_name(plan, a)));
                }
                if let Some(d) = s.deadline {
                    change.push_str(&format!(
                        " · {} {}",
                        cx.t.order_deadline(),
                        d.human(lang.into())
                    ));
                }
            }
            StepView {
                files: files
                    .iter()
                    .filter(|f| f.step_id == Some(s.id))
                    .map(|f| {
                        (
                            f.id,
                            f.file_name.clone(),
                            super::dispatch::size_text(f.size),
                        )
                    })
                    .collect(),
                at: Timestamp(s.at).human(cx.lang.into()),
                account: s
                    .account
                    .as_deref()
                    .map_or_else(|| cx.t.order_system().to_string(), |a| people.show(a)),
                action: action_text(lang, s.action),
                change,
                note: s.note.clone(),
                system: s.account.is_none(),
            }
        })
        .collect();
    let offered = supervise::offered(session.account.who(), &order.current());
    let actions = offered
        .iter()
        .map(|a| action_form(cx.t, lang, order, today(cx), *a))
        .collect();
    Ok(OrderPage {
        c: cx.chrome(Nav::Supervision),
        t: cx.t,
        o: order_row(cx, order),
        basis: order.basis.clone(),
        requirements: order.requirements.clone().unwrap_or_default(),
        opened_by: people.show(&order.opened_by),
        opened_at: Timestamp(order.opened_at).human(cx.lang.into()),
        history,
        actions,
        units: assignable(plan, order.assignee.as_deref()),
        co_units: co_unit_choices(plan, &order.co_units),
        co_names: co_unit_names(plan, order),
        csrf: session.csrf_token.clone(),
        version: order.version,
        min_date: today(cx).to_string(),
        error,
        notice,
        warn_days: plan.monitoring.warn_days,
        answering: offered.contains(&Action::Answer),
        instructions: {
            let mut newest_first = instructions(&steps, &people, lang.into());
            newest_first.reverse();
            newest_first
        },
        extension: order
            .extension
            .map(|d| fill(cx.t.order_extension_waiting(), &[&d.human(lang.into())]))
            .unwrap_or_default(),
    })
}

/// `GET /supervision/{id}`.
pub async fn order(
    cx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let order = readable_order(&cx, id).await?;
    let notice = q
        .get("done")
        .and_then(|d| {
            if d == "open" {
                Some(Action::Open)
            } else {
                Action::parse(d)
            }
        })
        .map(|a| fill(cx.t.order_done(), &[&action_text(cx.lang, a)]));
    let page = order_page(&cx, &order, None, notice).await?;
    cx.render(&page)
}

/// `POST /supervision/{id}/attachments` (multipart `file`): keeps one file for the answer being
/// written (by the assigned unit, signed for) and answers with its line in the form.
pub async fn upload(
    cx: PageCtx,
    Path(id): Path<i64>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let order = readable_order(&cx, id).await?;
    let (name, bytes) = super::dispatch::uploaded_file(&cx, &mut multipart).await?;
    let view = match cx
        .state
        .store
        .order_attachment_stash(&session.account, &order, &name, &bytes, cx.state.now())
        .await
    {
        Ok(a) => super::dispatch::AttachmentView {
            t: cx.t,
            field: format!("attachment.{}", a.id),
            ok: Some((a.id, a.file_name, super::dispatch::size_text(a.size))),
            error: None,
        },
        Err(SupervisionError::Rule(r)) if r.is_forbidden() => {
            return Err(cx.fail(WebError::Forbidden));
        }
        Err(SupervisionError::Store(e)) => return Err(cx.fail(WebError::Store(e))),
        Err(e) => super::dispatch::AttachmentView {
            t: cx.t,
            field: String::new(),
            ok: None,
            error: Some(e.say(cx.lang.into())),
        },
    };
    Ok(super::respond(cx.lang, StatusCode::OK, &view))
}

/// `GET /order-attachments/{id}`: an answer's file, to those who see its order (not yet filed,
/// only to its uploader). Always a download, with the type found at upload.
pub async fn download(cx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let (meta, bytes) = cx
        .state
        .store
        .order_attachment(id)
        .await
        .map_err(|e| cx.fail(e))?
        .ok_or_else(|| cx.fail(WebError::NotFound))?;
    readable_order(&cx, meta.order_id).await?;
    if meta.step_id.is_none() && meta.account_id != session.account.id {
        return Err(cx.hidden(format!("order-attachment:{id}")).await);
    }
    Ok(super::download(&meta.file_name, meta.kind.mime(), bytes))
}

/// An order's 领导批示, oldest first: who (姓名（用户名）), when, what.
fn instructions(
    steps: &[gaoxin_store::OrderStep],
    people: &super::People,
    lang: gaoxin_core::text::Lang,
) -> Vec<(String, String, String)> {
    steps
        .iter()
        .filter(|s| s.action == Action::Instruct)
        .map(|s| {
            (
                people.show(s.account.as_deref().unwrap_or_default()),
                Timestamp(s.at).human(lang),
                s.note.clone(),
            )
        })
        .collect()
}

/// `GET /supervision/{id}/docx`: the order as a printable 督办通知单 (Word), in Chinese whatever
/// the reader's language: it is the office's paper.
pub async fn sheet(cx: PageCtx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let order = readable_order(&cx, id).await?;
    let plan = &cx.stored.plan;
    let zh = gaoxin_core::text::Lang::Zh;
    let steps = cx
        .state
        .store
        .order_steps(order.id)
        .await
        .map_err(|e| cx.fail(e))?;
    let people = cx.people().await?;
    let sheet = gaoxin_core::supervise::sheet::Sheet {
        number: order.number(),
        title: order.title.clone(),
        assignee: order
            .assignee
            .as_deref()
            .map(|a| department_name(plan, a))
            .unwrap_or_default(),
        co_units: co_unit_names(plan, &order),
        subject: subject_of(plan, Tr { lang: Lang::Zh }, &order.subject).0,
        basis: order.basis.clone(),
        requirements: order.requirements.clone().unwrap_or_default(),
        deadline: order.deadline.map(|d| d.human(zh)).unwrap_or_default(),
        instructions: instructions(&steps, &people, zh),
        issuer: plan
            .dispatch_office()
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        issued: today(&cx).human(zh),
        sample: order.sample,
    };
    let bytes = gaoxin_docx::order_sheet_docx(&sheet)
        .map_err(|e| cx.fail(WebError::Document(e.to_string())))?;
    Ok(super::download(
        &sheet.file_name(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        bytes,
    ))
}

/// `POST /supervision/{id}`: one step, over the version the page showed.
pub async fn step(
    cx: PageCtx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let order = readable_order(&cx, id).await?;
    let action = form
        .get("action")
        .and_then(|a| Action::parse(a))
        .ok_or_else(|| cx.fail(WebError::BadRequest(crate::i18n::Msg::form_no_step())))?;
    let version = super::form_version(&cx, &form)?;
    let deadline = match date_field(&cx, &form, "deadline") {
        Ok(d) => d,
        Err(m) => {
            let page = order_page(&cx, &order, Some(m), None).await?;
            return Ok(super::respond(
                cx.lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                &page,
            ));
        }
    };
    let request = Request {
        assignee: opt(&form, "assignee"),
        deadline,
        note: form.get("note").cloned().unwrap_or_default(),
        co_units: co_units_of(&cx.stored.plan, &form),
    };
    // Files uploaded for the answer come as `attachment.{id}`.
    let mut attachments: Vec<i64> = form
        .keys()
        .filter_map(|k| k.strip_prefix("attachment.")?.parse().ok())
        .collect();
    attachments.sort_unstable();
    match cx
        .state
        .store
        .order_step_with(
            &gaoxin_store::Act::of(&cx.stored.plan, &session.account, cx.state.now()),
            id,
            version,
            action,
            &request,
            &attachments,
        )
        .await
    {
        Ok(_) if form.get("back").map(String::as_str) == Some(super::month::BACK) => {
            Ok(Redirect::to(&super::month::back_to(action.code(), "orders")).into_response())
        }
        Ok(_) => {
            Ok(Redirect::to(&format!("/supervision/{id}?done={}", action.code())).into_response())
        }
        Err(e) => {
            let (status, text) = refusal(&cx, e)?;
            // Show the order as it stands now, with why the step was refused.
            let fresh = readable_order(&cx, id).await?;
            let page = order_page(&cx, &fresh, Some(text), None).await?;
            Ok(super::respond(cx.lang, status, &page))
        }
    }
}

struct MessageView {
    id: i64,
    at: String,
    kind: &'static str,
    title: String,
    body: String,
    link: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    c: Chrome,
    t: Tr,
    messages: Vec<MessageView>,
    /// The account's unread messages, on any page.
    unread: i64,
    /// Whether this is a later page (a link back to the newest).
    newest: bool,
    /// The next page (older messages), when there is one.
    older: Option<String>,
    csrf: String,
}

fn notice_text(lang: Lang, code: &str) -> &'static str {
    use gaoxin_core::monitor::workflow::Notice as F;
    use supervise::Notice as N;
    if let Some(f) = F::ALL.into_iter().find(|f| f.code() == code) {
        return f.name(lang.into());
    }
    let t = crate::i18n::Tr { lang };
    match code {
        "report_due" => return t.notice_report_due(),
        "report_overdue" => return t.notice_report_overdue(),
        "report_returned" => return t.notice_report_returned(),
        "bulletin_published" => return t.notice_bulletin_published(),
        _ => {}
    }
    let n = N::ALL.into_iter().find(|n| n.code() == code);
    n.map_or("", |n| n.name(lang.into()))
}

/// Messages on one page of the inbox.
const INBOX_PAGE: i64 = 100;

/// `GET /inbox?before=`: the signed-in account's messages, newest first, a page at a time.
pub async fn inbox(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let before = opt(&q, "before").and_then(|b| b.parse::<i64>().ok());
    let store = &cx.state.store;
    // One more than the page: whether an older page exists.
    let mut messages = store
        .inbox_page(session.account.id, before, INBOX_PAGE + 1)
        .await
        .map_err(|e| cx.fail(e))?;
    let more = messages.len() as i64 > INBOX_PAGE;
    messages.truncate(INBOX_PAGE as usize);
    let older = messages
        .last()
        .filter(|_| more)
        .map(|m| format!("/inbox?before={}", m.id));
    let unread = store
        .inbox_unread(session.account.id)
        .await
        .map_err(|e| cx.fail(e))?;
    let messages: Vec<MessageView> = messages
        .into_iter()
        .map(|m| MessageView {
            id: m.id,
            at: Timestamp(m.at).human(cx.lang.into()),
            kind: notice_text(cx.lang, &m.notice),
            title: m.title,
            body: m.body,
            link: m.link,
            unread: m.read_at.is_none(),
        })
        .collect();
    let page = InboxPage {
        c: cx.chrome(Nav::Inbox),
        t: cx.t,
        unread,
        messages,
        newest: before.is_some(),
        older,
        csrf: session.csrf_token.clone(),
    };
    cx.render(&page)
}

/// `POST /inbox`: marks a message (`id`) or all of them read, and follows the message's link
/// when `open` is set.
pub async fn inbox_read(
    cx: PageCtx,
    crate::extract::Form(form): crate::extract::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = session_of(&cx)?;
    let id = form.get("id").and_then(|v| v.parse::<i64>().ok());
    cx.state
        .store
        .inbox_mark_read(session.account.id, id, cx.state.now())
        .await
        .map_err(|e| cx.fail(e))?;
    let next = form
        .get("open")
        .filter(|l| l.starts_with("/supervision/") && l[13..].chars().all(|c| c.is_ascii_digit()))
        .cloned()
        .unwrap_or_else(|| "/inbox".to_string());
    Ok(Redirect::to(&next).into_response())
}
