//! 督办单 and the in-app inbox: orders, their append-only steps, the reminders the periodic
//! check has sent, and each account's messages. Which step may follow which, and who may take
//! it, is `gaoxin_core::supervise`; this module reads the order, asks it, and writes the outcome
//! with its step and notices in one transaction.

use crate::accounts::Account;
use crate::audit::Change;
use crate::error::StoreError;
use crate::error::SupervisionError;
use crate::sql::given;
use crate::{Act, Backend, Store};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::dispatch::attachment::{self, AttachmentError, FileKind};
use gaoxin_core::plan::Plan;
use gaoxin_core::supervise::{
    self, Action, Current, Light, Notice, OrderError, OrderState, Request, Subject,
};
use gaoxin_core::time::{Date, Timestamp};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeSet;

/// A 督办单 as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: i64,
    pub title: String,
    pub subject: Subject,
    /// 督办事由: what is wrong or needed.
    pub basis: String,
    pub state: OrderState,
    pub assignee: Option<String>,
    pub deadline: Option<Date>,
    /// The requirements of the latest 交办.
    pub requirements: Option<String>,
    /// When the unit last answered (cleared when the answer is sent back).
    pub answered_at: Option<i64>,
    pub version: i64,
    pub opened_by: String,
    pub opened_at: i64,
    pub updated_at: i64,
    pub updated_by: String,
    pub closed_at: Option<i64>,
    pub sample: bool,
    /// A 延期申请 waiting for the dispatch office: the deadline the unit asked for.
    pub extension: Option<Date>,
    /// 协办单位 (department ids), in the order given at 交办.
    pub co_units: Vec<String>,
}

impl Order {
    pub fn current(&self) -> Current {
        Current {
            state: self.state,
            assignee: self.assignee.clone(),
            deadline: self.deadline,
            extension: self.extension,
            co_units: self.co_units.clone(),
        }
    }

    /// The order's light on `today`.
    pub fn light(&self, today: Date, warn_days: u32) -> Light {
        supervise::light(
            self.state,
            self.deadline,
            self.answered_at.map(|t| Date::of(Timestamp(t))),
            today,
            warn_days,
        )
    }

    /// Past its deadline while the unit still owes its answer (red, and not answered late).
    pub fn is_overdue(&self, today: Date, warn_days: u32) -> bool {
        self.state.awaits_unit() && self.light(today, warn_days) == Light::Red
    }

    /// 督办〔2026〕12号: the year it was opened and its number.
    pub fn number(&self) -> String {
        crate::messages::notices::order_number(Timestamp(self.opened_at).year(), self.id)
    }

    pub fn task(&self) -> Option<&str> {
        match &self.subject {
            Subject::Task { task } => Some(task),
            _ => None,
        }
    }
}

/// One step of an order's history.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderStep {
    pub id: i64,
    pub action: Action,
    pub from: Option<OrderState>,
    pub to: OrderState,
    /// `None`: the system (逾期提级).
    pub account: Option<String>,
    pub at: i64,
    pub note: String,
    pub assignee: Option<String>,
    pub deadline: Option<Date>,
}

/// A new order; `assign` hands it to a unit at once (立项并交办).
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub title: String,
    pub subject: Subject,
    pub basis: String,
    pub assign: Option<Request>,
}

/// Which orders a list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderFilter {
    pub state: Option<OrderState>,
    pub assignee: Option<String>,
    pub task: Option<String>,
    pub closed: Closed,
}

/// Which closed orders a query takes: closed orders pile up over the years, and most readers
/// (the 工作台, the board, the screen) want only those still open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Closed {
    #[default]
    All,
    None,
    /// Those closed at or after this time (the bulletin's month).
    Since(i64),
}

/// One page of the order list.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderPage {
    /// Most urgent first (see [`Store::order_page`]).
    pub orders: Vec<Order>,
    /// The orders the filter matches, by light (whichever light the page asks for).
    pub lights: Vec<(Light, i64)>,
    /// The orders the filter and the light match: what the pages go through.
    pub total: i64,
}

/// What [`Store::order_page`] lists.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderQuery {
    pub filter: OrderFilter,
    pub light: Option<Light>,
    /// The day the lights are read on, and how many days before a deadline it turns yellow.
    pub today: Date,
    pub warn_days: u32,
    pub offset: i64,
    pub limit: i64,
}

/// The states of an order not closed, as SQL: the state index finds them without reading the
/// closed ones.
const OPEN_STATES: &str = "('opened', 'assigned', 'signed', 'answered', 'reviewed')";

/// An order's place in the list as SQL, over `$1` (today) and `$2` (the last day a deadline is
/// yellow on): 0 overdue and still owed, 1 near its deadline, 2 answered late, 3 on time,
/// 4 not handed out, 5 closed — the lights of [`supervise::light`] with red split in two.
fn urgency_sql(backend: Backend) -> String {
    // Answered after the deadline's day (+08:00): at or after 16:00 UTC of that day.
    let late = match backend {
        Backend::Sqlite => "CAST(strftime('%s', deadline) AS INTEGER) + 57600",
        Backend::Postgres => "CAST(EXTRACT(EPOCH FROM CAST(deadline AS DATE)) AS BIGINT) + 57600",
    };
    format!(
        "CASE WHEN state = 'closed' THEN 5 \
         WHEN state = 'opened' OR deadline IS NULL THEN 4 \
         WHEN state IN ('assigned', 'signed') THEN \
           CASE WHEN deadline < $1 THEN 0 WHEN deadline <= $2 THEN 1 ELSE 3 END \
         WHEN answered_at >= {late} THEN 2 ELSE 3 END"
    )
}

/// The ranks of [`urgency_sql`] a light covers.
fn ranks(light: Light) -> &'static [i64] {
    match light {
        Light::Red => &[0, 2],
        Light::Yellow => &[1],
        Light::Green => &[3],
        Light::None => &[4],
        Light::Done => &[5],
    }
}

/// The conditions of `filter` for `account`, as SQL over binds numbered after `first`; `None`
/// when the account may see no order (a unit account without a reporter or reviewer role).
/// A unit's orders are an id list: looked up one by one among the many closed orders, tested
/// against while the state index reads the few open ones.
fn order_conditions(
    account: &Account,
    filter: &OrderFilter,
    first: usize,
) -> Option<(String, Vec<String>)> {
    let open_only = filter.closed == Closed::None;
    order_conditions_with(account, filter, first, !open_only)
}

/// [`order_conditions`], the unit's id list leading the query or not.
fn order_conditions_with(
    account: &Account,
    filter: &OrderFilter,
    first: usize,
    ids_lead: bool,
) -> Option<(String, Vec<String>)> {
    let w = account.who();
    let all = w.is_dispatcher() || account.roles.contains(&RoleKind::Leader);
    let mut sql = String::new();
    let mut binds: Vec<String> = Vec::new();
    let next = |binds: &mut Vec<String>, value: String| {
        binds.push(value);
        first + binds.len()
    };
    if !all {
        if !account
            .roles
            .iter()
            .any(|r| matches!(r, RoleKind::Reporter | RoleKind::Reviewer))
        {
            return None;
        }
        // Handed to the unit, or worked on by it as a 协办单位.
        let a = next(&mut binds, account.unit.clone());
        // One id list of both (an OR of the two would have SQLite test every order); `+id`
        // keeps it from leading.
        let id = if ids_lead { "id" } else { "+id" };
        sql.push_str(&format!(
            " AND {id} IN (SELECT id FROM supervision_orders WHERE assignee = ${a} \
             UNION ALL SELECT order_id FROM supervision_co_units WHERE unit = ${a})"
        ));
    }
    for (column, value) in [
        ("state", filter.state.map(|s| s.code().to_string())),
        ("assignee", filter.assignee.clone()),
        ("task_id", filter.task.clone()),
    ] {
        if let Some(v) = value {
            let n = next(&mut binds, v);
            sql.push_str(&format!(" AND {column} = ${n}"));
        }
    }
    match filter.closed {
        Closed::All => {}
        Closed::None => sql.push_str(&format!(" AND state IN {OPEN_STATES}")),
        Closed::Since(t) => sql.push_str(&format!(
            " AND (state IN {OPEN_STATES} OR closed_at >= {t})"
        )),
    }
    Some((sql, binds))
}

/// What one periodic check did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Orders whose unit was reminded of a near deadline.
    pub reminded: usize,
    /// Orders escalated as overdue.
    pub escalated: usize,
    /// Inbox messages written.
    pub messages: usize,
}

/// A file attached to an order's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderAttachment {
    pub id: i64,
    pub order_id: i64,
    /// The step (the answer) it was filed with; `None` while it waits in the uploader's form.
    pub step_id: Option<i64>,
    pub account_id: i64,
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    pub at: i64,
}

const ORDER_ATTACHMENT_COLUMNS: &str =
    "id, order_id, step_id, account_id, file_name, kind, size, at";

fn order_attachment_of(row: &AnyRow) -> Result<OrderAttachment, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(OrderAttachment {
        id: row.try_get("id")?,
        order_id: row.try_get("order_id")?,
        step_id: row.try_get("step_id")?,
        account_id: row.try_get("account_id")?,
        file_name: row.try_get("file_name")?,
        kind: FileKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        size: row.try_get("size")?,
        at: row.try_get("at")?,
    })
}

const ORDER_COLUMNS: &str = "id, title, subject, task_id, zone, indicator, basis, state, assignee, \
     deadline, requirements, answered_at, version, opened_by, opened_at, updated_at, updated_by, \
     closed_at, sample, extension, co_units";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::from(sqlx::Error::Decode(
        format!("supervision: unexpected {what} {value:?}").into(),
    ))
}

fn date_of(value: Option<String>) -> Result<Option<Date>, StoreError> {
    value
        .map(|s| Date::parse(&s).ok_or_else(|| corrupt("date", &s)))
        .transpose()
}

fn order_of(row: &AnyRow) -> Result<Order, StoreError> {
    let subject: String = row.try_get("subject")?;
    let subject = match subject.as_str() {
        "task" => Subject::Task {
            task: row
                .try_get::<Option<String>, _>("task_id")?
                .unwrap_or_default(),
        },
        "indicator" => Subject::Indicator {
            zone: row
                .try_get::<Option<String>, _>("zone")?
                .unwrap_or_default(),
            indicator: row
                .try_get::<Option<String>, _>("indicator")?
                .unwrap_or_default(),
        },
        "matter" => Subject::Matter,
        other => return Err(corrupt("subject", other)),
    };
    let state: String = row.try_get("state")?;
    Ok(Order {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        subject,
        basis: row.try_get("basis")?,
        state: OrderState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        assignee: row.try_get("assignee")?,
        deadline: date_of(row.try_get("deadline")?)?,
        requirements: row.try_get("requirements")?,
        answered_at: row.try_get("answered_at")?,
        version: row.try_get("version")?,
        opened_by: row.try_get("opened_by")?,
        opened_at: row.try_get("opened_at")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
        extension: date_of(row.try_get("extension")?)?,
        co_units: row
            .try_get::<String, _>("co_units")?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        closed_at: row.try_get("closed_at")?,
        sample: row.try_get::<i64, _>("sample")? != 0,
    })
}

/// The task, zone and indicator columns of a subject.
fn subject_columns(s: &Subject) -> (Option<&str>, Option<&str>, Option<&str>) {
    match s {
        Subject::Task { task } => (Some(task), None, None),
        Subject::Indicator { zone, indicator } => (None, Some(zone), Some(indicator)),
        Subject::Matter => (None, None, None),
    }
}

/// The account a sample step is taken as: it is named in the history and exists nowhere else.
pub(crate) fn sample_account(name: &str, unit: &str, role: RoleKind) -> Account {
    Account {
        id: 0,
        username: name.to_string(),
        unit: unit.to_string(),
        roles: vec![role],
        disabled: false,
        must_change_password: false,
        password_changed_at: 0,
        totp_enabled: false,
        created_at: 0,
        full_name: String::new(),
        phone: String::new(),
        email: None,
        email_notices: gaoxin_core::notices::EmailChoice::None,
    }
}

async fn read_order(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<Order>, StoreError> {
    sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM supervision_orders WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| order_of(&row))
    .transpose()
}

struct StepRow<'a> {
    order: i64,
    action: Action,
    from: Option<OrderState>,
    to: OrderState,
    account: Option<&'a str>,
    note: &'a str,
    assignee: Option<&'a str>,
    deadline: Option<Date>,
}

/// Appends a step to an order's history; returns its id.
async fn insert_step(
    tx: &mut Transaction<'static, Any>,
    s: StepRow<'_>,
    now: Timestamp,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO supervision_steps (order_id, action, from_state, to_state, account, at, note, \
             assignee, deadline) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(s.order)
    .bind(s.action.code())
    .bind(s.from.map(OrderState::code))
    .bind(s.to.code())
    .bind(s.account)
    .bind(now.0)
    .bind(s.note)
    .bind(s.assignee)
    .bind(s.deadline.map(|d| d.to_string()))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// The active accounts an audience names for a matter of `unit` (with its 协办单位
/// `co_units`).
pub(crate) async fn audience(
    tx: &mut Transaction<'static, Any>,
    a: supervise::Audience,
    unit: Option<&str>,
    co_units: &[String],
) -> Result<BTreeSet<i64>, StoreError> {
    let assignee = unit;
    let mut ids = BTreeSet::new();
    for (id, unit, roles) in crate::accounts::active_accounts(tx).await? {
        let own = assignee == Some(unit.as_str());
        let co = a.co_units && co_units.contains(&unit);
        let take = roles.iter().any(|&role| {
            (a.dispatchers && role == RoleKind::Dispatcher)
                || ((a.unit && own || co)
                    && matches!(role, RoleKind::Reporter | RoleKind::Reviewer))
                || (a.unit_leadership
                    && own
                    && matches!(role, RoleKind::Leader | RoleKind::Reviewer))
        });
        if take {
            ids.insert(id);
        }
    }
    Ok(ids)
}

/// Puts a notice about `order` in its audience's inboxes; returns how many messages.
async fn notify(
    tx: &mut Transaction<'static, Any>,
    order: &Order,
    notice: Notice,
    body: &str,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let ids = audience(
        tx,
        notice.audience(),
        order.assignee.as_deref(),
        &order.co_units,
    )
    .await?;
    let message = crate::inbox::Message {
        notice: notice.code(),
        title: &format!("{} {}", order.number(), order.title),
        body,
        link: &format!("/supervision/{}", order.id),
    };
    crate::inbox::post(tx, &ids, &message, now).await?;
    Ok(ids.len())
}

/// Writes a new order at 立项 with its first step; returns its id.
async fn insert_opened(
    tx: &mut Transaction<'static, Any>,
    title: &str,
    subject: &Subject,
    basis: &str,
    (by, at): (&str, Timestamp),
    sample: bool,
) -> Result<i64, StoreError> {
    let (task, zone, indicator) = subject_columns(subject);
    let id: i64 = sqlx::query(
        "INSERT INTO supervision_orders (title, subject, task_id, zone, indicator, basis, state, \
             version, opened_by, opened_at, updated_at, updated_by, sample) \
         VALUES ($1, $2, $3, $4, $5, $6, 'opened', 1, $7, $8, $8, $7, $9) RETURNING id",
    )
    .bind(title)
    .bind(subject.code())
    .bind(task)
    .bind(zone)
    .bind(indicator)
    .bind(basis)
    .bind(by)
    .bind(at.0)
    .bind(i64::from(sample))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    insert_step(
        tx,
        StepRow {
            order: id,
            action: Action::Open,
            from: None,
            to: OrderState::Opened,
            account: Some(by),
            note: basis,
            assignee: None,
            deadline: None,
        },
        at,
    )
    .await?;
    Ok(id)
}

/// Takes `action` on `order` (as read in this transaction): asks the rules, writes the order
/// only over the version read, appends the step, and puts its notice in the inboxes. Returns the
/// new version, the state and the step's id.
async fn step(
    tx: &mut Transaction<'static, Any>,
    plan: &Plan,
    account: &Account,
    order: Order,
    action: Action,
    request: &Request,
    now: Timestamp,
) -> Result<(i64, OrderState, i64), SupervisionError> {
    let out = supervise::apply(
        plan,
        account.who(),
        &order.current(),
        action,
        request,
        Date::of(now),
    )?;
    let note = request.note.trim();
    let answered_at = match (action, out.state) {
        (Action::Answer, _) => Some(now.0),
        (Action::Return, OrderState::Signed) => None,
        _ => order.answered_at,
    };
    let requirements = if action == Action::Assign {
        Some(note.to_string())
    } else {
        order.requirements.clone()
    };
    let closed_at = (out.state == OrderState::Closed).then_some(now.0);
    let written = sqlx::query(
        "UPDATE supervision_orders SET state = $1, assignee = $2, deadline = $3, \
             requirements = $4, answered_at = $5, closed_at = $6, version = version + 1, \
             updated_at = $7, updated_by = $8, extension = $11, co_units = $12 \
         WHERE id = $9 AND version = $10",
    )
    .bind(out.state.code())
    .bind(out.assignee.as_deref())
    .bind(out.deadline.map(|d| d.to_string()))
    .bind(requirements.as_deref())
    .bind(answered_at)
    .bind(closed_at)
    .bind(now.0)
    .bind(&account.username)
    .bind(order.id)
    .bind(order.version)
    .bind(out.extension.map(|d| d.to_string()))
    .bind(out.co_units.join(","))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if written != 1 {
        // Another step committed between our read and our write (PostgreSQL).
        return Err(OrderError::Stale.into());
    }
    if out.co_units != order.co_units {
        // The 协办单位 one row each too, for a unit's list.
        sqlx::query("DELETE FROM supervision_co_units WHERE order_id = $1")
            .bind(order.id)
            .execute(&mut **tx)
            .await?;
        for unit in out.co_units.iter().collect::<BTreeSet<_>>() {
            sqlx::query("INSERT INTO supervision_co_units (order_id, unit) VALUES ($1, $2)")
                .bind(order.id)
                .bind(unit)
                .execute(&mut **tx)
                .await?;
        }
    }
    let step_id = insert_step(
        tx,
        StepRow {
            order: order.id,
            action,
            from: Some(order.state),
            to: out.state,
            account: Some(&account.username),
            note,
            assignee: out.assignee.as_deref(),
            // A 延期申请 records the day asked for; every other step the deadline after it.
            deadline: if action == Action::RequestExtension {
                out.extension
            } else {
                out.deadline
            },
        },
        now,
    )
    .await?;
    let version = order.version + 1;
    let state = out.state;
    if let Some(notice) = Notice::of_step(action) {
        // A unit handing an order back is still told, as is the dispatcher.
        let told = Order {
            assignee: out.assignee.or(order.assignee.clone()),
            co_units: out.co_units.clone(),
            ..order
        };
        let body = if action.keeps_state() {
            let day = |d: Option<Date>| {
                d.map(|d| d.human(gaoxin_core::text::Lang::Zh))
                    .unwrap_or_default()
            };
            crate::messages::notices::order_record(
                action,
                &day(out.deadline),
                &day(out.extension),
                note,
            )
        } else {
            note.to_string()
        };
        notify(tx, &told, notice, &body, now).await?;
    }
    Ok((version, state, step_id))
}

/// The audit action of a step on a 督办单.
fn step_action(action: Action) -> &'static str {
    match action {
        Action::Open => "supervision.open",
        Action::Assign => "supervision.assign",
        Action::Sign => "supervision.sign",
        Action::Answer => "supervision.answer",
        Action::Review => "supervision.review",
        Action::Close => "supervision.close",
        Action::Return => "supervision.return",
        Action::Escalate => "supervision.escalate",
        Action::RequestExtension => "supervision.extension_request",
        Action::GrantExtension => "supervision.extension_grant",
        Action::RefuseExtension => "supervision.extension_refuse",
        Action::Urge => "supervision.urge",
        Action::Instruct => "supervision.instruct",
    }
}

impl Store {
    /// Opens an order (立项), and hands it to a unit at once if `new.assign` says so. Returns its
    /// id.
    pub async fn order_open(
        &self,
        plan: &Plan,
        account: &Account,
        new: &NewOrder,
        now: Timestamp,
    ) -> Result<i64, SupervisionError> {
        if !supervise::may_open(account.who()) {
            return Err(OrderError::DispatcherOnly(Action::Open).into());
        }
        supervise::check_new(plan, &new.title, &new.subject)?;
        let basis = new.basis.trim();
        if basis.chars().count() > supervise::NOTE_MAX_CHARS {
            return Err(OrderError::NoteTooLong(basis.chars().count()).into());
        }
        let mut tx = self.begin_write().await?;
        let id = insert_opened(
            &mut tx,
            new.title.trim(),
            &new.subject,
            basis,
            (&account.username, now),
            false,
        )
        .await?;
        // 立项并交办: both steps or neither.
        let mut state = OrderState::Opened;
        if let Some(request) = &new.assign {
            let order = read_order(&mut tx, id)
                .await?
                .ok_or(SupervisionError::NotFound)?;
            (_, state, _) =
                step(&mut tx, plan, account, order, Action::Assign, request, now).await?;
        }
        let change =
            Change::new("supervision.open", format!("supervision:{id}")).after(serde_json::json!({
                "title": new.title.trim(),
                "subject": new.subject.code(),
                "basis": basis,
                "state": state.code(),
                "assignee": new.assign.as_ref().map(|r| r.assignee.clone()),
            }));
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes a step on order `id` as read at `version`. Returns the new version.
    pub async fn order_step(
        &self,
        act: &Act<'_>,
        id: i64,
        version: i64,
        action: Action,
        request: &Request,
    ) -> Result<i64, SupervisionError> {
        self.order_step_with(act, id, version, action, request, &[])
            .await
    }

    /// [`Store::order_step`], with files the account uploaded for it (an answer's attachments,
    /// at most [`attachment::MAX_PER_REPORT`]); the files are the step's from then on.
    pub async fn order_step_with(
        &self,
        act: &Act<'_>,
        id: i64,
        version: i64,
        action: Action,
        request: &Request,
        attachments: &[i64],
    ) -> Result<i64, SupervisionError> {
        if attachments.len() > attachment::MAX_PER_REPORT {
            return Err(SupervisionError::Attachment(AttachmentError::TooMany));
        }
        if !attachments.is_empty() && action != Action::Answer {
            return Err(SupervisionError::AttachmentGone);
        }
        let Act { plan, account, now } = *act;
        let mut tx = self.begin_write().await?;
        let order = read_order(&mut tx, id)
            .await?
            .filter(|o| supervise::may_see(account.who(), o.assignee.as_deref(), &o.co_units))
            .ok_or(SupervisionError::NotFound)?;
        if order.version != version {
            // Say what the step would meet first if it is not allowed anyway; else that it is stale.
            supervise::apply(
                plan,
                account.who(),
                &order.current(),
                action,
                request,
                Date::of(now),
            )?;
            return Err(OrderError::Stale.into());
        }
        let before = serde_json::json!({ "state": order.state.code(), "version": order.version });
        let (version, state, step_id) =
            step(&mut tx, plan, account, order, action, request, now).await?;
        for a in attachments {
            let n = sqlx::query(
                "UPDATE order_attachments SET step_id = $1 \
                     WHERE id = $2 AND order_id = $3 AND account_id = $4 AND step_id IS NULL",
            )
            .bind(step_id)
            .bind(a)
            .bind(id)
            .bind(account.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(SupervisionError::AttachmentGone);
            }
        }
        let change = Change::new(step_action(action), format!("supervision:{id}"))
            .before(before)
            .after(serde_json::json!({
                "state": state.code(),
                "version": version,
                "note": request.note.trim(),
                "co_units": request.co_units,
                "attachments": attachments,
            }));
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Keeps a file for the answer `account` is writing on `order` (the assigned unit, signed
    /// for): checked by content, size and macros first; nothing is kept when it is refused.
    pub async fn order_attachment_stash(
        &self,
        account: &Account,
        order: &Order,
        name: &str,
        bytes: &[u8],
        now: Timestamp,
    ) -> Result<OrderAttachment, SupervisionError> {
        if !supervise::offered(account.who(), &order.current()).contains(&Action::Answer) {
            return Err(OrderError::AssigneeOnly(Action::Answer).into());
        }
        let attachment::Accepted {
            kind,
            file_name,
            sha256: sha,
        } = attachment::accept(name, bytes).map_err(SupervisionError::Attachment)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO order_attachments (order_id, account_id, file_name, kind, size, sha256, \
                 bytes, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(order.id)
        .bind(account.id)
        .bind(&file_name)
        .bind(kind.code())
        .bind(bytes.len() as i64)
        .bind(&sha)
        .bind(bytes.to_vec())
        .bind(now.0)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let change = Change::new("attachment.upload", format!("order-attachment:{id}")).after(
            serde_json::json!({
                "order": order.id,
                "name": file_name,
                "kind": kind.code(),
                "size": bytes.len(),
                "sha256": sha,
            }),
        );
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(OrderAttachment {
            id,
            order_id: order.id,
            step_id: None,
            account_id: account.id,
            file_name,
            kind,
            size: bytes.len() as i64,
            at: now.0,
        })
    }

    /// An order's filed attachments (with the step each belongs to), oldest first.
    pub async fn order_attachments(
        &self,
        order_id: i64,
    ) -> Result<Vec<OrderAttachment>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_ATTACHMENT_COLUMNS} FROM order_attachments \
             WHERE order_id = $1 AND step_id IS NOT NULL ORDER BY id"
        ))
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(order_attachment_of).collect()
    }

    /// An order's attachment and its bytes.
    pub async fn order_attachment(
        &self,
        id: i64,
    ) -> Result<Option<(OrderAttachment, Vec<u8>)>, StoreError> {
        let Some(row) = sqlx::query(&format!(
            "SELECT {ORDER_ATTACHMENT_COLUMNS}, bytes FROM order_attachments WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((order_attachment_of(&row)?, row.try_get("bytes")?)))
    }

    pub async fn order(&self, id: i64) -> Result<Option<Order>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM supervision_orders WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(|row| order_of(&row))
        .transpose()
    }

    pub async fn order_steps(&self, id: i64) -> Result<Vec<OrderStep>, StoreError> {
        let rows = sqlx::query(
            "SELECT action, from_state, to_state, account, at, note, assignee, deadline, id \
             FROM supervision_steps WHERE order_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let action: String = row.try_get(0)?;
                let from: Option<String> = row.try_get(1)?;
                let to: String = row.try_get(2)?;
                Ok(OrderStep {
                    id: row.try_get(8)?,
                    action: Action::parse(&action).ok_or_else(|| corrupt("action", &action))?,
                    from: from
                        .map(|f| OrderState::parse(&f).ok_or_else(|| corrupt("state", &f)))
                        .transpose()?,
                    to: OrderState::parse(&to).ok_or_else(|| corrupt("state", &to))?,
                    account: row.try_get(3)?,
                    at: row.try_get(4)?,
                    note: row.try_get(5)?,
                    assignee: row.try_get(6)?,
                    deadline: date_of(row.try_get(7)?)?,
                })
            })
            .collect()
    }

    /// The orders `account` may see that match `filter`, newest first.
    pub async fn orders(
        &self,
        account: &Account,
        filter: &OrderFilter,
    ) -> Result<Vec<Order>, StoreError> {
        let Some((conditions, binds)) = order_conditions(account, filter, 0) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM supervision_orders WHERE 1 = 1{conditions} ORDER BY id DESC"
        );
        let rows = given(sqlx::query(&sql), &binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(order_of).collect()
    }

    /// One page of the orders `account` may see that match the query, most urgent first: those
    /// still owed past their deadline, then those near it, answered late, on time, not handed
    /// out — each by the nearest deadline, then the newest — and last the closed, newest first.
    /// Filtered, counted and paged in SQL: the open orders through the state index, the closed
    /// (the years' pile) by id.
    pub async fn order_page(
        &self,
        account: &Account,
        q: &OrderQuery,
    ) -> Result<OrderPage, StoreError> {
        let mut page = OrderPage {
            orders: Vec::new(),
            lights: Light::ALL.into_iter().map(|l| (l, 0)).collect(),
            total: 0,
        };
        // The open orders' queries begin with the days of their urgency ($1, $2); the closed
        // orders' need none.
        let (Some((conditions, mut binds)), Some((closed, closed_binds))) = (
            order_conditions_with(account, &q.filter, 2, false),
            order_conditions_with(account, &q.filter, 0, true),
        ) else {
            return Ok(page);
        };
        binds.insert(0, q.today.to_string());
        binds.insert(1, q.today.add_days(i64::from(q.warn_days)).to_string());
        let urgency = urgency_sql(self.backend);
        let open = format!("FROM supervision_orders WHERE state IN {OPEN_STATES}{conditions}");
        let counted = given(
            sqlx::query(&format!(
                "SELECT urgency, COUNT(*) FROM (SELECT {urgency} AS urgency {open}) o \
                 GROUP BY urgency"
            )),
            &binds,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_rank = [0_i64; 6];
        for row in &counted {
            let rank: i64 = row.try_get(0)?;
            if let Some(n) = usize::try_from(rank).ok().and_then(|r| by_rank.get_mut(r)) {
                *n = row.try_get(1)?;
            }
        }
        by_rank[5] = given(
            sqlx::query(&format!(
                "SELECT COUNT(*) FROM supervision_orders WHERE state = 'closed'{closed}"
            )),
            &closed_binds,
        )
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        for (light, n) in &mut page.lights {
            *n = ranks(*light).iter().map(|&r| by_rank[r as usize]).sum();
        }
        let wanted: Vec<i64> = match q.light {
            Some(l) => ranks(l).to_vec(),
            None => (0..=5).collect(),
        };
        let open_total: i64 = wanted
            .iter()
            .filter(|&&r| r < 5)
            .map(|&r| by_rank[r as usize])
            .sum();
        let closed_total = if wanted.contains(&5) { by_rank[5] } else { 0 };
        page.total = open_total + closed_total;
        let limit = q.limit.max(0);
        let offset = q.offset.max(0);
        if offset < open_total {
            let only: Vec<String> = wanted
                .iter()
                .filter(|&&r| r < 5)
                .map(i64::to_string)
                .collect();
            let sql = format!(
                "SELECT {ORDER_COLUMNS} FROM (SELECT *, {urgency} AS urgency {open}) o \
                 WHERE urgency IN ({}) \
                 ORDER BY urgency, deadline IS NULL, deadline, id DESC LIMIT {limit} OFFSET {offset}",
                only.join(", ")
            );
            let rows = given(sqlx::query(&sql), &binds)
                .fetch_all(&self.pool)
                .await?;
            for row in &rows {
                page.orders.push(order_of(row)?);
            }
        }
        let room = limit - page.orders.len() as i64;
        if closed_total > 0 && room > 0 {
            let skip = (offset - open_total).max(0);
            // The page's ids first, from the index alone; then their rows.
            let sql = format!(
                "SELECT {ORDER_COLUMNS} FROM supervision_orders WHERE id IN \
                 (SELECT id FROM supervision_orders WHERE state = 'closed'{closed} \
                  ORDER BY id DESC LIMIT {room} OFFSET {skip}) \
                 ORDER BY id DESC"
            );
            let rows = given(sqlx::query(&sql), &closed_binds)
                .fetch_all(&self.pool)
                .await?;
            for row in &rows {
                page.orders.push(order_of(row)?);
            }
        }
        Ok(page)
    }

    /// The periodic check: reminds a unit once when an order's deadline nears, and escalates an
    /// overdue order once per deadline (a step in its history, and messages to the unit, its
    /// leadership and the dispatchers). Safe to run at any time and on several servers.
    pub async fn supervision_tick(
        &self,
        plan: &Plan,
        now: Timestamp,
    ) -> Result<TickReport, StoreError> {
        let today = Date::of(now);
        let warn = plan.monitoring.warn_days;
        let mut report = TickReport::default();
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM supervision_orders \
             WHERE state IN ('assigned', 'signed') AND deadline IS NOT NULL ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let order = order_of(&row)?;
            let Some(notice) = supervise::due_notice(order.state, order.light(today, warn)) else {
                continue;
            };
            let Some(deadline) = order.deadline else {
                continue;
            };
            let mut tx = self.begin_write().await?;
            // The order may have moved on since it was listed.
            let Some(order) = read_order(&mut tx, order.id).await? else {
                continue;
            };
            if supervise::due_notice(order.state, order.light(today, warn)) != Some(notice)
                || order.deadline != Some(deadline)
            {
                continue;
            }
            let claimed = sqlx::query(
                "INSERT INTO supervision_notices (order_id, notice, deadline, at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(order.id)
            .bind(notice.code())
            .bind(deadline.to_string())
            .bind(now.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed != 1 {
                continue;
            }
            let body = crate::messages::notices::order_due(
                &deadline.human(gaoxin_core::text::Lang::Zh),
                notice == Notice::Overdue,
            );
            if notice == Notice::Overdue {
                insert_step(
                    &mut tx,
                    StepRow {
                        order: order.id,
                        action: Action::Escalate,
                        from: Some(order.state),
                        to: order.state,
                        account: None,
                        note: &body,
                        assignee: order.assignee.as_deref(),
                        deadline: order.deadline,
                    },
                    now,
                )
                .await?;
                report.escalated += 1;
            } else {
                report.reminded += 1;
            }
            report.messages += notify(&mut tx, &order, notice, &body, now).await?;
            tx.commit().await?;
        }
        Ok(report)
    }

    /// Loads the sample orders (示例数据) once: each opened and taken through its steps by the
    /// rules, as the dispatch office and the assigned unit would, on the days the sample says.
    /// Returns how many orders were written; none when any order exists already.
    pub async fn load_sample_orders(
        &self,
        plan: &Plan,
        samples: &[supervise::sample::SampleOrder],
        now: Timestamp,
    ) -> Result<usize, SupervisionError> {
        let mut tx = self.begin_write().await?;
        let existing: i64 = sqlx::query("SELECT COUNT(*) FROM supervision_orders")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if existing > 0 {
            return Ok(0);
        }
        let dispatcher = sample_account(
            crate::messages::SAMPLE_DISPATCHER,
            "dispatch",
            RoleKind::Dispatcher,
        );
        for sample in samples {
            let opened = Timestamp(now.0 - sample.opened_days_ago * 86_400);
            let id = insert_opened(
                &mut tx,
                &sample.title,
                &sample.subject,
                &sample.basis,
                (&dispatcher.username, opened),
                true,
            )
            .await?;
            for s in &sample.steps {
                let order = read_order(&mut tx, id)
                    .await?
                    .ok_or(SupervisionError::NotFound)?;
                let unit = order
                    .assignee
                    .clone()
                    .or_else(|| s.request.assignee.clone())
                    .unwrap_or_default();
                let reporter = sample_account(
                    &crate::messages::sample_reporter(&unit),
                    &unit,
                    RoleKind::Reporter,
                );
                let account = if s.by_unit { &reporter } else { &dispatcher };
                let at = Timestamp(now.0 - s.days_ago * 86_400);
                step(&mut tx, plan, account, order, s.action, &s.request, at).await?;
            }
        }
        let change = Change::new("sample.orders", crate::messages::SAMPLE_MARK.to_string())
            .after(serde_json::json!({ "count": samples.len() }));
        self.seal(&mut tx, None, change, now).await?;
        tx.commit().await?;
        Ok(samples.len())
    }
}
