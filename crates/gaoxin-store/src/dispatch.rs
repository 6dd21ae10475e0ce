//! Work items, progress reports and their attachments, and the reminders to report. The rules
//! (who plans, who reports, what a report needs, when it is late) are
//! `gaoxin_core::dispatch`; this module reads, asks them, and writes in one transaction.

use crate::accounts::Account;
use crate::audit::Change;
use crate::error::DispatchError;
use crate::error::StoreError;
use crate::inbox::{Message, post};
use crate::sql::{given, lists_id};
use crate::supervise::{audience, sample_account};
use crate::{Act, Store};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::dispatch::attachment::{self, AttachmentError, FileKind};
use gaoxin_core::dispatch::{self, ItemDraft, Milestone, ReportDraft};
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::plan::Plan;
use gaoxin_core::supervise::Audience;
use gaoxin_core::time::{Date, Timestamp};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A work item as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    pub id: i64,
    pub task: String,
    pub title: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub subtarget: Option<String>,
    pub milestones: Vec<Milestone>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub sample: bool,
}

impl WorkItem {
    /// The units that report on it: the lead, then the partners.
    pub fn responsible(&self) -> Vec<String> {
        dispatch::responsible(&self.lead, &self.partners)
    }

    /// Whether the item owes a report for `p`: it existed before that report was due.
    pub fn owes(&self, p: YearMonth, report_day: u32) -> bool {
        Date::of(Timestamp(self.created_at)) <= dispatch::due_date(p, report_day)
    }
}

/// A stored attachment, without its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentMeta {
    pub id: i64,
    pub item_id: i64,
    pub report_id: Option<i64>,
    pub account_id: i64,
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    pub sha256: String,
    pub at: i64,
}

/// A progress report as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: i64,
    pub item_id: i64,
    pub unit: String,
    pub period: YearMonth,
    pub draft: ReportDraft,
    /// Behind its milestones when filed (and so with a reason and next steps).
    pub behind: bool,
    /// Filed after the period's due day.
    pub late: bool,
    pub account: String,
    pub at: i64,
    pub sample: bool,
    pub attachments: Vec<AttachmentMeta>,
    /// Returned by the dispatch office: why, by whom, when.
    pub returned: Option<Returned>,
    /// It, or a later report of the same unit on the same item and period, was returned: it no
    /// longer counts as filed.
    pub withdrawn: bool,
}

/// A report's return to its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Returned {
    pub reason: String,
    pub account: String,
    pub at: i64,
}

/// What one reminder check did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportTick {
    /// (item, unit) pairs reminded that a report is due soon.
    pub reminded: usize,
    /// (item, unit) pairs told their report is overdue.
    pub overdue: usize,
    pub messages: usize,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::from(sqlx::Error::Decode(
        format!("dispatch: unexpected {what} {value:?}").into(),
    ))
}

const ITEM_COLUMNS: &str = "id, task_id, title, lead, partners, subtarget, milestones, version, \
     created_by, created_at, updated_by, updated_at, sample";

fn item_of(row: &AnyRow) -> Result<WorkItem, StoreError> {
    let partners: String = row.try_get("partners")?;
    let milestones: String = row.try_get("milestones")?;
    Ok(WorkItem {
        id: row.try_get("id")?,
        task: row.try_get("task_id")?,
        title: row.try_get("title")?,
        lead: row.try_get("lead")?,
        partners: partners
            .split(',')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect(),
        subtarget: row.try_get("subtarget")?,
        milestones: serde_json::from_str(&milestones)
            .map_err(|_| corrupt("milestones", &milestones))?,
        version: row.try_get("version")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
        sample: row.try_get::<i64, _>("sample")? != 0,
    })
}

const REPORT_COLUMNS: &str = "r.id, r.item_id, r.unit, r.period, r.done, r.percent, r.reached, \
     r.problems, r.help, r.behind_reason, r.next_steps, r.behind, r.late, r.account, r.at, \
     r.sample, x.reason AS returned_reason, x.account AS returned_by, x.at AS returned_at, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM report_returns y \
         JOIN progress_reports q ON q.id = y.report_id \
         WHERE q.item_id = r.item_id AND q.unit = r.unit AND q.period = r.period \
           AND q.id >= r.id) THEN 1 ELSE 0 END AS BIGINT) AS withdrawn";

/// Reports (`r`) with their return, if any (`x`).
const REPORT_FROM: &str = "progress_reports r LEFT JOIN report_returns x ON x.report_id = r.id";

fn report_of(row: &AnyRow) -> Result<Report, StoreError> {
    let period: i64 = row.try_get("period")?;
    Ok(Report {
        id: row.try_get("id")?,
        item_id: row.try_get("item_id")?,
        unit: row.try_get("unit")?,
        period: YearMonth::from_key(period)
            .ok_or_else(|| corrupt("period", &period.to_string()))?,
        draft: ReportDraft {
            done: row.try_get("done")?,
            percent: row
                .try_get::<Option<i64>, _>("percent")?
                .and_then(|p| u32::try_from(p).ok()),
            reached: usize::try_from(row.try_get::<i64, _>("reached")?).unwrap_or(0),
            problems: row.try_get("problems")?,
            help: row.try_get("help")?,
            behind_reason: row.try_get("behind_reason")?,
            next_steps: row.try_get("next_steps")?,
        },
        behind: row.try_get::<i64, _>("behind")? != 0,
        late: row.try_get::<i64, _>("late")? != 0,
        account: row.try_get("account")?,
        at: row.try_get("at")?,
        sample: row.try_get::<i64, _>("sample")? != 0,
        attachments: Vec::new(),
        returned: match row.try_get::<Option<String>, _>("returned_reason")? {
            Some(reason) => Some(Returned {
                reason,
                account: row.try_get("returned_by")?,
                at: row.try_get("returned_at")?,
            }),
            None => None,
        },
        withdrawn: row.try_get::<i64, _>("withdrawn")? != 0,
    })
}

const ATTACHMENT_COLUMNS: &str =
    "id, item_id, report_id, account_id, file_name, kind, size, sha256, at";

fn attachment_of(row: &AnyRow) -> Result<AttachmentMeta, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(AttachmentMeta {
        id: row.try_get("id")?,
        item_id: row.try_get("item_id")?,
        report_id: row.try_get("report_id")?,
        account_id: row.try_get("account_id")?,
        file_name: row.try_get("file_name")?,
        kind: FileKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        at: row.try_get("at")?,
    })
}

async fn read_item(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<WorkItem>, StoreError> {
    sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM work_items WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| item_of(&row))
    .transpose()
}

fn milestones_json(m: &[Milestone]) -> String {
    serde_json::to_string(m).unwrap_or_else(|_| "[]".into())
}

/// The periods a report may be filed for on `today`: report periods from the item's first up to
/// the current one.
fn may_file_for(plan: &Plan, item: &WorkItem, p: YearMonth, now: Timestamp) -> bool {
    let cycle = plan.monitoring.report_cycle;
    let current = dispatch::period_of(cycle, YearMonth::of(now));
    let first = dispatch::period_of(cycle, YearMonth::of(Timestamp(item.created_at)));
    dispatch::is_report_period(cycle, p) && p <= current && p >= first
}

/// Writes a report (checked) and attaches the account's pending files; returns its id.
async fn insert_report(
    tx: &mut Transaction<'static, Any>,
    act: &Act<'_>,
    item: &WorkItem,
    unit: &str,
    period: YearMonth,
    draft: &ReportDraft,
    sample: bool,
) -> Result<i64, DispatchError> {
    let Act { plan, account, now } = *act;
    let today = Date::of(now);
    let errors = dispatch::check_report(&item.milestones, draft, today);
    if !errors.is_empty() {
        return Err(DispatchError::Fields(errors));
    }
    let behind = dispatch::behind(&item.milestones, draft.reached, today).is_some();
    // Late only where a report was owed: an item set up after a period's due day owes none.
    let late = item.owes(period, plan.monitoring.report_day)
        && dispatch::is_late(period, plan.monitoring.report_day, today);
    let id: i64 = sqlx::query(
        "INSERT INTO progress_reports (item_id, unit, period, done, percent, reached, problems, \
             help, behind_reason, next_steps, behind, late, account, at, sample) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(item.id)
    .bind(unit)
    .bind(period.key())
    .bind(draft.done.trim())
    .bind(draft.percent.map(i64::from))
    .bind(draft.reached as i64)
    .bind(draft.problems.trim())
    .bind(draft.help.trim())
    .bind(draft.behind_reason.trim())
    .bind(draft.next_steps.trim())
    .bind(i64::from(behind))
    .bind(i64::from(late))
    .bind(&account.username)
    .bind(now.0)
    .bind(i64::from(sample))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(id)
}

impl Store {
    /// Creates (`target` `None`) or changes the item `(id, version read)`; returns its id.
    pub async fn item_save(
        &self,
        plan: &Plan,
        account: &Account,
        target: Option<(i64, i64)>,
        draft: &ItemDraft,
        now: Timestamp,
    ) -> Result<i64, DispatchError> {
        if !dispatch::may_plan(plan, account.who(), &draft.task) {
            return Err(DispatchError::NotPermitted);
        }
        let errors = dispatch::check_item(plan, draft);
        if !errors.is_empty() {
            return Err(DispatchError::Fields(errors));
        }
        let partners = draft.partners.join(",");
        let milestones = milestones_json(&draft.milestones);
        let mut tx = self.begin_write().await?;
        let id = match target {
            None => sqlx::query(
                "INSERT INTO work_items (task_id, title, lead, partners, subtarget, milestones, \
                     version, created_by, created_at, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
            )
            .bind(&draft.task)
            .bind(draft.title.trim())
            .bind(&draft.lead)
            .bind(&partners)
            .bind(draft.subtarget.as_deref())
            .bind(&milestones)
            .bind(&account.username)
            .bind(now.0)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?,
            Some((id, version)) => {
                let current = read_item(&mut tx, id)
                    .await?
                    .ok_or(DispatchError::NotFound)?;
                // Moving an item to another task needs the right to plan both.
                if !dispatch::may_plan(plan, account.who(), &current.task) {
                    return Err(DispatchError::NotPermitted);
                }
                if current.version != version {
                    return Err(DispatchError::Stale {
                        by: current.updated_by,
                    });
                }
                let n = sqlx::query(
                    "UPDATE work_items SET task_id = $1, title = $2, lead = $3, partners = $4, \
                         subtarget = $5, milestones = $6, version = version + 1, updated_by = $7, \
                         updated_at = $8 \
                     WHERE id = $9 AND version = $10",
                )
                .bind(&draft.task)
                .bind(draft.title.trim())
                .bind(&draft.lead)
                .bind(&partners)
                .bind(draft.subtarget.as_deref())
                .bind(&milestones)
                .bind(&account.username)
                .bind(now.0)
                .bind(id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n != 1 {
                    return Err(DispatchError::Stale {
                        by: current.updated_by,
                    });
                }
                id
            }
        };
        let change = Change::new(
            if target.is_none() {
                "work.create"
            } else {
                "work.update"
            },
            format!("work:{id}"),
        )
        .after(serde_json::json!({
            "task": draft.task,
            "title": draft.title.trim(),
            "lead": draft.lead,
            "partners": draft.partners,
            "subtarget": draft.subtarget,
            "milestones": serde_json::from_str::<serde_json::Value>(&milestones)
                .unwrap_or(serde_json::Value::Null),
        }));
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn work_item(&self, id: i64) -> Result<Option<WorkItem>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM work_items WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(|row| item_of(&row))
        .transpose()
    }

    /// The items `account` may see, by task order then id; `task` and `unit` (responsible)
    /// narrow them.
    pub async fn work_items(
        &self,
        plan: &Plan,
        account: &Account,
        task: Option<&str>,
        unit: Option<&str>,
    ) -> Result<Vec<WorkItem>, StoreError> {
        Ok(self
            .work_item_page(plan, account, task, unit, 0, i64::MAX)
            .await?
            .0)
    }

    /// A page of [`Store::work_items`] (`limit` items from `offset`), and how many there are:
    /// filtered, ordered and paged in SQL.
    pub async fn work_item_page(
        &self,
        plan: &Plan,
        account: &Account,
        task: Option<&str>,
        unit: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<WorkItem>, i64), StoreError> {
        let w = account.who();
        let mut sql = String::from(" FROM work_items WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        // The item's lead, or one of its partners, is `unit`.
        let responsible = |binds: &mut Vec<String>, unit: &str| {
            binds.push(unit.to_string());
            let lead = binds.len();
            let (partner, pattern) = lists_id("partners", lead + 1, unit);
            binds.push(pattern);
            format!("(lead = ${lead} OR {partner})")
        };
        if !(w.is_dispatcher() || w.roles.contains(&RoleKind::Leader)) {
            if !w
                .roles
                .iter()
                .any(|r| matches!(r, RoleKind::Reporter | RoleKind::Reviewer))
            {
                return Ok((Vec::new(), 0));
            }
            // The unit's own items, and every item of a task it leads.
            let own = responsible(&mut binds, &account.unit);
            let led: Vec<String> = plan
                .tasks
                .iter()
                .filter(|t| t.lead.contains(&account.unit))
                .map(|t| {
                    binds.push(t.id.clone());
                    format!("${}", binds.len())
                })
                .collect();
            if led.is_empty() {
                sql.push_str(&format!(" AND {own}"));
            } else {
                sql.push_str(&format!(" AND ({own} OR task_id IN ({}))", led.join(", ")));
            }
        }
        if let Some(t) = task {
            binds.push(t.to_string());
            sql.push_str(&format!(" AND task_id = ${}", binds.len()));
        }
        if let Some(u) = unit {
            let of = responsible(&mut binds, u);
            sql.push_str(&format!(" AND {of}"));
        }
        let total: i64 = given(sqlx::query(&format!("SELECT COUNT(*){sql}")), &binds)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        // The plan's order of tasks (ids are the plan's: bound, not written into the SQL).
        let order = if plan.tasks.is_empty() {
            "0".to_string()
        } else {
            let mut order = String::from("CASE task_id");
            for (i, t) in plan.tasks.iter().enumerate() {
                binds.push(t.id.clone());
                order.push_str(&format!(" WHEN ${} THEN {i}", binds.len()));
            }
            order.push_str(&format!(" ELSE {} END", plan.tasks.len()));
            order
        };
        let rows = given(
            sqlx::query(&format!(
                "SELECT {ITEM_COLUMNS}{sql} ORDER BY {order}, id LIMIT {} OFFSET {}",
                limit.max(0),
                offset.max(0)
            )),
            &binds,
        )
        .fetch_all(&self.pool)
        .await?;
        let items = rows.iter().map(item_of).collect::<Result<Vec<_>, _>>()?;
        Ok((items, total))
    }

    /// Files a report on `item_id` for `unit` and `period`, with the account's pending
    /// `attachments`; returns its id.
    pub async fn report_file(
        &self,
        act: &Act<'_>,
        item_id: i64,
        unit: &str,
        period: YearMonth,
        draft: &ReportDraft,
        attachments: &[i64],
    ) -> Result<i64, DispatchError> {
        let Act { plan, account, now } = *act;
        let mut tx = self.begin_write().await?;
        let item = read_item(&mut tx, item_id)
            .await?
            .ok_or(DispatchError::NotFound)?;
        if !dispatch::may_report(account.who(), &item.responsible(), unit) {
            return Err(DispatchError::NotPermitted);
        }
        if !may_file_for(plan, &item, period, now) {
            return Err(DispatchError::Period {
                period: period.to_string(),
            });
        }
        if attachments.len() > attachment::MAX_PER_REPORT {
            return Err(DispatchError::Attachment(AttachmentError::TooMany));
        }
        let id = insert_report(&mut tx, act, &item, unit, period, draft, false).await?;
        for a in attachments {
            let n = sqlx::query(
                "UPDATE report_attachments SET report_id = $1 \
                 WHERE id = $2 AND item_id = $3 AND account_id = $4 AND report_id IS NULL",
            )
            .bind(id)
            .bind(a)
            .bind(item_id)
            .bind(account.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(DispatchError::AttachmentGone);
            }
        }
        let change = Change::new("work.report", format!("work:{item_id}/report:{id}")).after(
            serde_json::json!({
                "unit": unit,
                "period": period.to_string(),
                "done": draft.done,
                "percent": draft.percent,
                "reached": draft.reached,
                "problems": draft.problems,
                "help": draft.help,
                "behind_reason": draft.behind_reason,
                "next_steps": draft.next_steps,
                "attachments": attachments,
            }),
        );
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An item's reports, newest first, with their attachments.
    pub async fn reports_of(&self, item_id: i64) -> Result<Vec<Report>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE r.item_id = $1 ORDER BY r.id DESC"
        ))
        .bind(item_id)
        .fetch_all(&self.pool)
        .await?;
        let mut reports = rows.iter().map(report_of).collect::<Result<Vec<_>, _>>()?;
        let files = sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM report_attachments \
             WHERE item_id = $1 AND report_id IS NOT NULL ORDER BY id"
        ))
        .bind(item_id)
        .fetch_all(&self.pool)
        .await?;
        for f in files {
            let f = attachment_of(&f)?;
            if let Some(r) = reports.iter_mut().find(|r| Some(r.id) == f.report_id) {
                r.attachments.push(f);
            }
        }
        Ok(reports)
    }

    /// Every report filed for `period` that still counts (without attachments): a returned
    /// report, and those it replaced, are left out.
    pub async fn period_reports(&self, period: YearMonth) -> Result<Vec<Report>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE r.period = $1 ORDER BY r.id"
        ))
        .bind(period.key())
        .fetch_all(&self.pool)
        .await?;
        let reports = rows.iter().map(report_of).collect::<Result<Vec<_>, _>>()?;
        Ok(reports.into_iter().filter(|r| !r.withdrawn).collect())
    }

    /// The reports of `period` on the items `ids` (one page of the list), as
    /// [`Store::period_reports`] gives them.
    pub async fn period_reports_of(
        &self,
        period: YearMonth,
        ids: &[i64],
    ) -> Result<Vec<Report>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are numbers: written into the SQL, not bound.
        let list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} \
             WHERE r.period = $1 AND r.item_id IN ({list}) ORDER BY r.id"
        ))
        .bind(period.key())
        .fetch_all(&self.pool)
        .await?;
        let reports = rows.iter().map(report_of).collect::<Result<Vec<_>, _>>()?;
        Ok(reports.into_iter().filter(|r| !r.withdrawn).collect())
    }

    /// Returns a filed report to its unit with `reason` (the dispatch office): the unit is told
    /// and owes the period's report again. Only the unit's latest report for the period, once.
    pub async fn report_return(
        &self,
        act: &Act<'_>,
        report_id: i64,
        reason: &str,
    ) -> Result<(), DispatchError> {
        let Act { plan, account, now } = *act;
        if !dispatch::may_return_report(account.who()) {
            return Err(DispatchError::NotPermitted);
        }
        let errors = dispatch::check_return(reason);
        if !errors.is_empty() {
            return Err(DispatchError::Fields(errors));
        }
        let reason = reason.trim();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE r.id = $1"
        ))
        .bind(report_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DispatchError::NotFound)?;
        let report = report_of(&row)?;
        let latest: i64 = sqlx::query(
            "SELECT MAX(id) AS m FROM progress_reports WHERE item_id = $1 AND unit = $2 \
             AND period = $3",
        )
        .bind(report.item_id)
        .bind(&report.unit)
        .bind(report.period.key())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if report.withdrawn || latest != report.id {
            return Err(DispatchError::NotStanding);
        }
        let item = read_item(&mut tx, report.item_id)
            .await?
            .ok_or(DispatchError::NotFound)?;
        sqlx::query(
            "INSERT INTO report_returns (report_id, reason, account, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(report.id)
        .bind(reason)
        .bind(&account.username)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        let who = Audience {
            unit: true,
            unit_leadership: false,
            dispatchers: false,
            co_units: false,
        };
        let ids = audience(&mut tx, who, Some(&report.unit), &[]).await?;
        let body = crate::messages::notices::report_returned(
            &report.period.human(gaoxin_core::text::Lang::Zh),
            reason,
        );
        let title = format!(
            "{}（{}）",
            item.title,
            plan.department(&report.unit)
                .map_or(report.unit.as_str(), |d| d.name.as_str())
        );
        post(
            &mut tx,
            &ids,
            &Message {
                notice: "report_returned",
                title: &title,
                body: &body,
                link: &format!("/work/{}", item.id),
            },
            now,
        )
        .await?;
        let change = Change::new(
            "work.report_return",
            format!("work:{}/report:{}", item.id, report.id),
        )
        .after(serde_json::json!({
            "unit": report.unit,
            "period": report.period.to_string(),
            "reason": reason,
        }));
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps an uploaded file for a report `account` is writing on `item_id`: checked by
    /// content, size and macros first; nothing is kept when it is refused.
    pub async fn attachment_stash(
        &self,
        account: &Account,
        item: &WorkItem,
        name: &str,
        bytes: &[u8],
        now: Timestamp,
    ) -> Result<AttachmentMeta, DispatchError> {
        if !dispatch::may_report(account.who(), &item.responsible(), &account.unit) {
            return Err(DispatchError::NotPermitted);
        }
        let attachment::Accepted {
            kind,
            file_name,
            sha256: sha,
        } = attachment::accept(name, bytes).map_err(DispatchError::Attachment)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO report_attachments (item_id, account_id, file_name, kind, size, sha256, \
                 bytes, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(item.id)
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
        let change =
            Change::new("attachment.upload", format!("attachment:{id}")).after(serde_json::json!({
                "item": item.id,
                "name": file_name,
                "kind": kind.code(),
                "size": bytes.len(),
                "sha256": sha,
            }));
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(AttachmentMeta {
            id,
            item_id: item.id,
            report_id: None,
            account_id: account.id,
            file_name,
            kind,
            size: bytes.len() as i64,
            sha256: sha,
            at: now.0,
        })
    }

    /// An attachment and its bytes.
    pub async fn attachment(
        &self,
        id: i64,
    ) -> Result<Option<(AttachmentMeta, Vec<u8>)>, StoreError> {
        let Some(row) = sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLUMNS}, bytes FROM report_attachments WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((attachment_of(&row)?, row.try_get("bytes")?)))
    }

    /// Reminds each unit that owes a report on an item: once when the current period's report is
    /// `warn_days` or fewer from due, once (with the dispatchers told) when the last period's
    /// passed unreported.
    pub async fn report_tick(&self, plan: &Plan, now: Timestamp) -> Result<ReportTick, StoreError> {
        let m = plan.monitoring;
        let today = Date::of(now);
        let current = dispatch::period_of(m.report_cycle, YearMonth::of(now));
        let due = dispatch::due_date(current, m.report_day);
        // The period whose due day passed most recently.
        let mut past = current;
        while dispatch::due_date(past, m.report_day) >= today {
            past = dispatch::previous_period(m.report_cycle, past);
        }
        let mut checks = vec![(past, "report_overdue")];
        if today <= due && today >= due.add_days(-i64::from(m.warn_days)) {
            checks.push((current, "report_due"));
        }
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM work_items ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let items = rows.iter().map(item_of).collect::<Result<Vec<_>, _>>()?;
        let mut report = ReportTick::default();
        for (period, notice) in checks {
            let filed = self.period_reports(period).await?;
            for item in items.iter().filter(|i| i.owes(period, m.report_day)) {
                for unit in item.responsible() {
                    if filed.iter().any(|r| r.item_id == item.id && r.unit == unit) {
                        continue;
                    }
                    let mut tx = self.begin_write().await?;
                    let claimed = sqlx::query(
                        "INSERT INTO report_notices (item_id, unit, period, notice, at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    )
                    .bind(item.id)
                    .bind(&unit)
                    .bind(period.key())
                    .bind(notice)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if claimed != 1 {
                        continue;
                    }
                    let overdue = notice == "report_overdue";
                    let who = Audience {
                        unit: true,
                        unit_leadership: false,
                        dispatchers: overdue,
                        co_units: false,
                    };
                    let ids = audience(&mut tx, who, Some(&unit), &[]).await?;
                    let due = dispatch::due_date(period, m.report_day);
                    let body = crate::messages::notices::report_due(
                        &period.human(gaoxin_core::text::Lang::Zh),
                        &due.human(gaoxin_core::text::Lang::Zh),
                        overdue,
                    );
                    let title = format!(
                        "{}（{}）",
                        item.title,
                        plan.department(&unit)
                            .map_or(unit.as_str(), |d| d.name.as_str())
                    );
                    post(
                        &mut tx,
                        &ids,
                        &Message {
                            notice,
                            title: &title,
                            body: &body,
                            link: &format!("/work/{}", item.id),
                        },
                        now,
                    )
                    .await?;
                    tx.commit().await?;
                    report.messages += ids.len();
                    if overdue {
                        report.overdue += 1;
                    } else {
                        report.reminded += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Loads sample items and reports (示例数据) once; none when any item exists.
    pub async fn load_sample_items(
        &self,
        plan: &Plan,
        samples: &[dispatch::sample::SampleItem],
        now: Timestamp,
    ) -> Result<usize, DispatchError> {
        let mut tx = self.begin_write().await?;
        let existing: i64 = sqlx::query("SELECT COUNT(*) FROM work_items")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if existing > 0 {
            return Ok(0);
        }
        let day = plan.monitoring.report_day;
        for s in samples {
            let errors = dispatch::check_item(plan, &s.draft);
            if !errors.is_empty() {
                return Err(DispatchError::Fields(errors));
            }
            // Set up before the first sample report was due.
            let first = s.reports.iter().map(|r| r.period).min();
            let created = first.map_or(now, |p| {
                Timestamp::from_civil(i64::from(p.year), p.month, 1, 9 * 3600)
            });
            let id: i64 = sqlx::query(
                "INSERT INTO work_items (task_id, title, lead, partners, subtarget, milestones, \
                     version, created_by, created_at, updated_by, updated_at, sample) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8, 1) RETURNING id",
            )
            .bind(&s.draft.task)
            .bind(&s.draft.title)
            .bind(&s.draft.lead)
            .bind(s.draft.partners.join(","))
            .bind(s.draft.subtarget.as_deref())
            .bind(milestones_json(&s.draft.milestones))
            .bind(crate::messages::SAMPLE_DISPATCHER)
            .bind(created.0)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            let item = read_item(&mut tx, id)
                .await?
                .ok_or(DispatchError::NotFound)?;
            let units = item.responsible();
            for r in &s.reports {
                let Some(unit) = units.get(r.unit) else {
                    continue;
                };
                let account = sample_account(
                    &crate::messages::sample_reporter(unit),
                    unit,
                    RoleKind::Reporter,
                );
                let filed = dispatch::due_date(r.period, day).add_days(r.days_after_due);
                let (y, mo, d) = gaoxin_core::time::civil_from_days(filed.0);
                let at = Timestamp::from_civil(y, mo, d, 10 * 3600);
                insert_report(
                    &mut tx,
                    &Act::of(plan, &account, at),
                    &item,
                    unit,
                    r.period,
                    &r.draft,
                    true,
                )
                .await?;
            }
        }
        let change = Change::new("sample.work", crate::messages::SAMPLE_MARK.to_string())
            .after(serde_json::json!({ "count": samples.len() }));
        self.seal(&mut tx, None, change, now).await?;
        tx.commit().await?;
        Ok(samples.len())
    }
}
