//! 基础数据 — figure values, their workflow steps and history, the periods' deadlines, and the
//! sample-data marker. The rules live in `gaoxin_core::monitor::workflow`; this module reads the
//! current state, asks the rules, and writes the value with its history row in one transaction.

use crate::audit::{Actor, AuditKey, AuditRecord, Change, append};
use crate::error::FigureError;
use crate::{Account, Act, Backend, Store, StoreError};
use gaoxin_core::Plan;
use gaoxin_core::auth::Who;
use gaoxin_core::monitor::import::{ImportRow, RowError};
use gaoxin_core::monitor::workflow::{self, Context, Current, Outcome, Step, WorkflowError};
use gaoxin_core::monitor::{FigureState, Figures, Observation, YearMonth};
use gaoxin_core::text::Message;
use gaoxin_core::time::Timestamp;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row, Transaction};
use std::collections::HashMap;

/// Which value: a unit's figure at a period.
#[derive(Debug, Clone, Copy)]
pub struct FigureAt<'a> {
    pub unit: &'a str,
    pub figure: &'a str,
    pub period: YearMonth,
}

impl<'a> FigureAt<'a> {
    pub fn new(unit: &'a str, figure: &'a str, period: YearMonth) -> FigureAt<'a> {
        FigureAt {
            unit,
            figure,
            period,
        }
    }
}

/// A stored figure value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureValue {
    pub unit: String,
    pub figure: String,
    pub period: YearMonth,
    pub value: f64,
    pub state: FigureState,
    pub revised: bool,
    pub explanation: String,
    /// The reason given with the last return or change.
    pub note: String,
    pub sample: bool,
    /// Increases with every change: a form sends the version it showed.
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One step in a value's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureEvent {
    pub id: i64,
    pub unit: String,
    pub figure: String,
    pub period: YearMonth,
    pub step: String,
    pub from_state: Option<FigureState>,
    pub to_state: FigureState,
    pub old_value: Option<f64>,
    pub new_value: f64,
    pub reason: String,
    pub account: String,
    pub at: i64,
}

/// What an import did, or would do.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Rows that were (or in a dry run, would be) applied.
    pub applied: usize,
    /// Every refused row; when there is any, nothing was written.
    pub errors: Vec<RowError>,
}

/// Which values to read.
#[derive(Debug, Clone)]
pub struct ValueFilter {
    /// `None`: every unit.
    pub units: Option<Vec<String>>,
    pub from: YearMonth,
    pub to: YearMonth,
}

const VALUE_COLUMNS: &str = "unit_key, figure, period, value, state, revised, explanation, note, \
     sample, version, updated_by, updated_at";

fn value_from_row(row: &AnyRow) -> Result<FigureValue, sqlx::Error> {
    let period: i64 = row.try_get("period")?;
    let state: String = row.try_get("state")?;
    let bad = |what: &str| sqlx::Error::Decode(format!("bad {what} in figure_values").into());
    Ok(FigureValue {
        unit: row.try_get("unit_key")?,
        figure: row.try_get("figure")?,
        period: YearMonth::from_key(period).ok_or_else(|| bad("period"))?,
        value: row.try_get("value")?,
        state: FigureState::parse(&state).ok_or_else(|| bad("state"))?,
        revised: row.try_get::<i64, _>("revised")? != 0,
        explanation: row.try_get("explanation")?,
        note: row.try_get("note")?,
        sample: row.try_get::<i64, _>("sample")? != 0,
        version: row.try_get("version")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn packed_error(point: &str) -> StoreError {
    StoreError::from(sqlx::Error::Decode(
        format!("malformed packed figure value {point:?}").into(),
    ))
}

impl FigureValue {
    pub fn observation(&self) -> Observation {
        Observation {
            value: self.value,
            state: self.state,
            revised: self.revised,
            sample: self.sample,
        }
    }
}

/// One value, in any state, read through the pool or inside a transaction.
async fn value_at<'e>(
    db: impl Executor<'e, Database = Any>,
    unit: &str,
    figure: &str,
    period: YearMonth,
) -> Result<Option<FigureValue>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {VALUE_COLUMNS} FROM figure_values WHERE unit_key = $1 AND figure = $2 AND period = $3"
    ))
    .bind(unit)
    .bind(figure)
    .bind(period.key())
    .fetch_optional(db)
    .await?;
    row.as_ref().map(value_from_row).transpose()
}

/// When entry for `period` closes: the dispatcher's setting, or the plan's default.
async fn deadline_of<'e>(
    db: impl Executor<'e, Database = Any>,
    plan: &Plan,
    period: YearMonth,
) -> Result<Timestamp, sqlx::Error> {
    let row = sqlx::query("SELECT deadline FROM figure_periods WHERE period = $1")
        .bind(period.key())
        .fetch_optional(db)
        .await?;
    Ok(match row {
        Some(r) => Timestamp(r.try_get("deadline")?),
        None => period.default_deadline(plan.monitoring.deadline_day),
    })
}

/// Values a dry run would have written, by unit, figure and period: later rows of the same
/// file read them as if they had been.
type Overlay = HashMap<(String, String, YearMonth), FigureValue>;

/// One step, decided: the value before it and after.
struct Decision {
    current: Option<FigureValue>,
    after: FigureValue,
}

/// Decides one step without writing anything: reads the value, last year's value and the
/// period's deadline (through `overlay` first), and asks the rules.
async fn decide(
    conn: &mut AnyConnection,
    overlay: &Overlay,
    act: &Act<'_>,
    at: FigureAt<'_>,
    step: &Step,
    expected_version: Option<i64>,
) -> Result<Decision, FigureError> {
    let Act { plan, account, now } = *act;
    let FigureAt {
        unit,
        figure,
        period,
    } = at;
    let (u, f) = workflow::resolve(plan, unit, figure).map_err(FigureError::Workflow)?;
    let at = |p: YearMonth| (u.id.clone(), f.id.clone(), p);
    let current = match overlay.get(&at(period)) {
        Some(v) => Some(v.clone()),
        None => value_at(&mut *conn, &u.id, &f.id, period).await?,
    };
    if let Some(v) = expected_version
        && current.as_ref().map_or(0, |c| c.version) != v
    {
        return Err(FigureError::Workflow(WorkflowError::Stale));
    }
    let last_year = match overlay.get(&at(period.last_year())) {
        Some(v) => Some(v.clone()),
        None => value_at(&mut *conn, &u.id, &f.id, period.last_year()).await?,
    }
    .filter(|v| v.state.counts())
    .map(|v| v.value);
    let ctx = Context {
        plan,
        figure: f,
        unit: &u.id,
        period,
        now,
        deadline: deadline_of(&mut *conn, plan, period).await?,
        last_year,
    };
    let who = Who {
        roles: &account.roles,
        department: &account.unit,
    };
    let cur = current.as_ref().map(|c| Current {
        value: c.value,
        state: c.state,
        revised: c.revised,
        explanation: c.explanation.clone(),
    });
    let Outcome {
        value,
        state,
        revised,
        explanation,
        reason,
    } = workflow::apply(&ctx, who, cur.as_ref(), step).map_err(FigureError::Workflow)?;
    let version = current.as_ref().map_or(0, |c| c.version) + 1;
    // A value a person enters is no longer sample data.
    let sample = current.as_ref().is_some_and(|c| c.sample)
        && matches!(step, Step::Approve | Step::Return { .. } | Step::Confirm);
    let after = FigureValue {
        unit: u.id.clone(),
        figure: f.id.clone(),
        period,
        value,
        state,
        revised,
        explanation,
        note: reason,
        sample,
        version,
        updated_by: account.username.clone(),
        updated_at: now.0,
    };
    Ok(Decision { current, after })
}

/// Writes a decided step inside a write transaction: the value and its history row.
async fn write(
    tx: &mut Transaction<'static, Any>,
    d: &Decision,
    step: &Step,
) -> Result<(), FigureError> {
    let v = &d.after;
    // Written only if the row is still the version read: on PostgreSQL two transactions can
    // read the same version (or both find no row) at once, and the second must be refused, not
    // overwrite the first. (SQLite's BEGIN IMMEDIATE already serialises them.)
    let written = sqlx::query(
        "INSERT INTO figure_values (unit_key, figure, period, value, state, revised, explanation, \
             note, sample, version, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (unit_key, figure, period) DO UPDATE SET value = excluded.value, \
             state = excluded.state, revised = excluded.revised, \
             explanation = excluded.explanation, note = excluded.note, sample = excluded.sample, \
             version = excluded.version, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at \
         WHERE figure_values.version = $13",
    )
    .bind(&v.unit)
    .bind(&v.figure)
    .bind(v.period.key())
    .bind(v.value)
    .bind(v.state.code())
    .bind(i64::from(v.revised))
    .bind(&v.explanation)
    .bind(&v.note)
    .bind(i64::from(v.sample))
    .bind(v.version)
    .bind(&v.updated_by)
    .bind(v.updated_at)
    .bind(v.version - 1)
    .execute(&mut **tx)
    .await?;
    if written.rows_affected() != 1 {
        return Err(FigureError::Workflow(WorkflowError::Stale));
    }
    sqlx::query(
        "INSERT INTO figure_events (unit_key, figure, period, step, from_state, to_state, \
             old_value, new_value, reason, account, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    // See plan.rs: a NULL f64 through the Any driver must not be a cached statement.
    .persistent(false)
    .bind(&v.unit)
    .bind(&v.figure)
    .bind(v.period.key())
    .bind(step.code())
    .bind(d.current.as_ref().map(|c| c.state.code()))
    .bind(v.state.code())
    .bind(d.current.as_ref().map(|c| c.value))
    .bind(v.value)
    .bind(&v.note)
    .bind(&v.updated_by)
    .bind(v.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The rows of an import so far, by the value they set: two rows for one zone, figure and
/// period are an error, not a silent "the last one wins".
#[derive(Default)]
struct Seen(HashMap<(String, String, YearMonth), usize>);

impl Seen {
    /// `None` the first time row `r` names its value (or when it names no known one: the rules
    /// say why); else the error for `r`, before anything else is said of it.
    fn first(&mut self, plan: &Plan, r: &ImportRow) -> Option<RowError> {
        let (u, f) = workflow::resolve(plan, &r.unit, &r.figure).ok()?;
        let key = (u.id.clone(), f.id.clone(), r.period);
        match self.0.get(&key) {
            Some(&line) => Some(RowError::new(
                r.line,
                "period",
                &crate::messages::ImportRefusal::RepeatedFigure { first: line },
            )),
            None => {
                self.0.insert(key, r.line);
                None
            }
        }
    }
}

/// The step an imported row takes.
fn import_step(r: &ImportRow) -> Step {
    Step::Import {
        value: r.value,
        explanation: r.explanation.clone(),
    }
}

/// A refused import row, by the column the refusal is about; a store failure is returned as
/// itself.
fn row_error(r: &ImportRow, e: FigureError) -> Result<RowError, StoreError> {
    let e = match e {
        FigureError::Workflow(e) => e,
        FigureError::Store(e) => return Err(e),
    };
    let column = match e {
        WorkflowError::UnknownUnit { .. } | WorkflowError::NotPermitted => "zone",
        WorkflowError::UnknownFigure { .. } => "figure",
        WorkflowError::Closed { .. }
        | WorkflowError::NotDue { .. }
        | WorkflowError::Future { .. } => "period",
        _ => "value",
    };
    Ok(RowError {
        line: r.line,
        column: column.to_string(),
        zh: e.text().zh,
        en: e.text().en,
    })
}

/// A value as the audit log records it.
fn sealed_value(v: &FigureValue) -> serde_json::Value {
    serde_json::json!({
        "value": v.value,
        "state": v.state.code(),
        "version": v.version,
        "explanation": v.explanation,
        "note": v.note,
    })
}

/// The audit action of a workflow step.
fn step_action(step: &Step) -> &'static str {
    match step {
        Step::Save { .. } => "figure.save",
        Step::Submit => "figure.submit",
        Step::Approve => "figure.approve",
        Step::Return { .. } => "figure.return",
        Step::Confirm => "figure.confirm",
        Step::Import { .. } => "figure.import",
    }
}

/// Puts a notice about `values` (one step, or the rows of one import) in the inboxes of its
/// audience, but not the acting account's own, and queues it for their channels: one message
/// per account. A notice to the reviewers of a figure nobody reviews goes to the dispatch office.
async fn notify(
    tx: &mut Transaction<'static, Any>,
    act: &Act<'_>,
    notice: workflow::Notice,
    values: &[&FigureValue],
    reason: &str,
) -> Result<(), StoreError> {
    let plan = act.plan;
    let accounts = crate::accounts::active_accounts(tx).await?;
    // Each account's share of the values, in their order.
    let mut share: std::collections::BTreeMap<i64, Vec<&FigureValue>> = Default::default();
    for v in values {
        let Some(f) = plan.figure(&v.figure) else {
            continue;
        };
        let reached = |notice: workflow::Notice| -> Vec<i64> {
            accounts
                .iter()
                .filter(|(id, unit, roles)| {
                    *id != act.account.id
                        && notice.reaches(
                            plan,
                            Who {
                                roles,
                                department: unit,
                            },
                            &v.unit,
                            f,
                        )
                })
                .map(|a| a.0)
                .collect()
        };
        let mut ids = reached(notice);
        if ids.is_empty() && notice == workflow::Notice::Submitted {
            ids = reached(workflow::Notice::Reviewed);
        }
        for id in ids {
            share.entry(id).or_default().push(v);
        }
    }
    for (id, of) in share {
        let text =
            crate::messages::notices::figures(plan, notice, &of, reason, &act.account.username);
        let ids = std::collections::BTreeSet::from([id]);
        crate::inbox::post(
            tx,
            &ids,
            &crate::inbox::Message {
                notice: notice.code(),
                title: &text.title,
                body: &text.body,
                link: &text.link,
            },
            act.now,
        )
        .await?;
    }
    Ok(())
}

/// What one periodic check of the figures' deadline did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FigureTick {
    /// Units told their figures are due soon.
    pub reminded: usize,
    /// Units told their figures missed the deadline (the dispatch office told too).
    pub missed: usize,
    pub messages: usize,
}

impl Store {
    /// The periodic check of the current period's figures: each unit with figures not in is
    /// told once when the deadline is `warn_days` or fewer away, and once (with the dispatch
    /// office) when it has passed. Safe to run at any time and on several servers: a unit's
    /// notice is claimed in `figure_notices` in the transaction that sends it.
    pub async fn figure_tick(&self, plan: &Plan, now: Timestamp) -> Result<FigureTick, StoreError> {
        let period = YearMonth::current(now);
        let deadline = self.period_deadline(plan, period).await?;
        let mut report = FigureTick::default();
        let Some(notice) = workflow::Notice::at_deadline(now, deadline, plan.monitoring.warn_days)
        else {
            return Ok(report);
        };
        let values = self
            .figure_values(&ValueFilter {
                units: None,
                from: period,
                to: period,
            })
            .await?;
        let mut owing: Vec<(String, Vec<&gaoxin_core::plan::Figure>)> = Vec::new();
        for (unit, figure) in gaoxin_core::monitor::owed(plan, period) {
            let done = values
                .iter()
                .any(|v| v.unit == unit && v.figure == figure && v.state.counts());
            let Some(f) = plan.figure(&figure).filter(|_| !done) else {
                continue;
            };
            match owing.iter_mut().find(|(u, _)| *u == unit) {
                Some((_, fs)) => fs.push(f),
                None => owing.push((unit, vec![f])),
            }
        }
        let lang = gaoxin_core::text::Lang::Zh;
        for (unit, figures) in owing {
            let mut tx = self.begin_write().await?;
            let claimed = sqlx::query(
                "INSERT INTO figure_notices (unit_key, period, notice, at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&unit)
            .bind(period.key())
            .bind(notice.code())
            .bind(now.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed != 1 {
                continue;
            }
            let accounts = crate::accounts::active_accounts(&mut tx).await?;
            let ids: std::collections::BTreeSet<i64> = accounts
                .iter()
                .filter(|(_, dept, roles)| {
                    let who = Who {
                        roles,
                        department: dept,
                    };
                    figures.iter().any(|f| notice.reaches(plan, who, &unit, f))
                })
                .map(|a| a.0)
                .collect();
            let names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
            let unit_name = plan.unit(&unit).map_or(unit.as_str(), |u| u.name.as_str());
            let (title, body) = crate::messages::notices::figures_deadline(
                unit_name,
                &period.human(lang),
                &deadline.human(lang),
                &names,
                notice == workflow::Notice::Missed,
            );
            crate::inbox::post(
                &mut tx,
                &ids,
                &crate::inbox::Message {
                    notice: notice.code(),
                    title: &title,
                    body: &body,
                    link: &format!("/figures?unit={unit}&period={period}"),
                },
                now,
            )
            .await?;
            tx.commit().await?;
            report.messages += ids.len();
            if notice == workflow::Notice::Missed {
                report.missed += 1;
            } else {
                report.reminded += 1;
            }
        }
        Ok(report)
    }

    /// Does one workflow step on one value (填报, 提交, 审核, 退回, 确认). `expected_version` is
    /// the version the form showed (0: no value yet); a different one refuses the step.
    pub async fn figure_step(
        &self,
        act: &Act<'_>,
        at: FigureAt<'_>,
        step: &Step,
        expected_version: Option<i64>,
    ) -> Result<FigureValue, FigureError> {
        let Act { account, now, .. } = *act;
        let mut tx = self.begin_write().await?;
        let d = decide(&mut tx, &Overlay::new(), act, at, step, expected_version).await?;
        write(&mut tx, &d, step).await?;
        let Decision {
            current: before,
            after: v,
        } = d;
        let change = Change::new(
            step_action(step),
            format!("figure:{}/{}/{}", v.unit, v.figure, v.period),
        )
        .after(sealed_value(&v));
        let change = match &before {
            Some(b) => change.before(sealed_value(b)),
            None => change,
        };
        self.seal(&mut tx, Some(account), change, now).await?;
        if let Some(notice) = workflow::Notice::of_step(step) {
            let reason = match step {
                Step::Return { reason } => reason.as_str(),
                _ => "",
            };
            notify(&mut tx, act, notice, &[&v], reason).await?;
        }
        tx.commit().await?;
        Ok(v)
    }

    /// Imports rows in one transaction: every row is checked as if entered and submitted by
    /// `account` (a dispatcher's rows are confirmed); any refused row leaves nothing written.
    /// With `dry_run`, nothing is written either way.
    pub async fn import_figures(
        &self,
        plan: &Plan,
        account: &Account,
        rows: &[ImportRow],
        dry_run: bool,
        now: Timestamp,
    ) -> Result<ImportReport, StoreError> {
        let mut report = ImportReport::default();
        let mut seen = Seen::default();
        if dry_run {
            // A dry run writes nothing and so takes no write lock: it reads in a transaction of
            // its own, and each row sees the rows before it through the overlay.
            let mut tx = self.pool.begin().await?;
            let mut overlay = Overlay::new();
            for r in rows {
                if let Some(e) = seen.first(plan, r) {
                    report.errors.push(e);
                    continue;
                }
                let step = import_step(r);
                match decide(
                    &mut tx,
                    &overlay,
                    &Act::of(plan, account, now),
                    FigureAt::new(&r.unit, &r.figure, r.period),
                    &step,
                    None,
                )
                .await
                {
                    Ok(d) => {
                        report.applied += 1;
                        let v = d.after;
                        overlay.insert((v.unit.clone(), v.figure.clone(), v.period), v);
                    }
                    Err(e) => report.errors.push(row_error(r, e)?),
                }
            }
            tx.rollback().await?;
            return Ok(report);
        }
        let mut tx = self.begin_write().await?;
        // The values as written, for the notices.
        let mut written: Vec<FigureValue> = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(e) = seen.first(plan, r) {
                report.errors.push(e);
                continue;
            }
            let step = import_step(r);
            let decided = decide(
                &mut tx,
                &Overlay::new(),
                &Act::of(plan, account, now),
                FigureAt::new(&r.unit, &r.figure, r.period),
                &step,
                None,
            )
            .await;
            let outcome = match decided {
                Ok(d) => write(&mut tx, &d, &step).await.map(|()| d.after),
                Err(e) => Err(e),
            };
            match outcome {
                Ok(v) => {
                    report.applied += 1;
                    written.push(v);
                }
                Err(e) => report.errors.push(row_error(r, e)?),
            }
        }
        if !report.errors.is_empty() {
            tx.rollback().await?;
        } else {
            // One event for the import; each value's steps are in figure_events.
            let units: std::collections::BTreeSet<&str> =
                rows.iter().map(|r| r.unit.as_str()).collect();
            let periods: std::collections::BTreeSet<String> =
                rows.iter().map(|r| r.period.to_string()).collect();
            let change = Change::new("figures.import", format!("figures:{} rows", rows.len()))
                .after(serde_json::json!({
                    "rows": report.applied,
                    "units": units,
                    "periods": periods,
                }));
            self.seal(&mut tx, Some(account), change, now).await?;
            // The rows as imported: submitted (or confirmed, by the dispatch office), one
            // notice per audience for the lot.
            let act = Act::of(plan, account, now);
            for notice in workflow::Notice::ALL {
                let of: Vec<&FigureValue> = written
                    .iter()
                    .filter(|v| workflow::Notice::of_state(v.state) == Some(notice))
                    .collect();
                if !of.is_empty() {
                    notify(&mut tx, &act, notice, &of, "").await?;
                }
            }
            tx.commit().await?;
        }
        Ok(report)
    }

    /// One value, in any state.
    pub async fn figure_value(
        &self,
        unit: &str,
        figure: &str,
        period: YearMonth,
    ) -> Result<Option<FigureValue>, StoreError> {
        Ok(value_at(&self.pool, unit, figure, period).await?)
    }

    /// Values in any state, for the periods `from..=to`, ordered by unit, figure and period.
    pub async fn figure_values(
        &self,
        filter: &ValueFilter,
    ) -> Result<Vec<FigureValue>, StoreError> {
        let rows = match &filter.units {
            None => {
                sqlx::query(&format!(
                    "SELECT {VALUE_COLUMNS} FROM figure_values WHERE period BETWEEN $1 AND $2 \
                     ORDER BY unit_key, figure, period"
                ))
                .bind(filter.from.key())
                .bind(filter.to.key())
                .fetch_all(&self.pool)
                .await?
            }
            Some(units) => {
                let mut out = Vec::new();
                for u in units {
                    out.extend(
                        sqlx::query(&format!(
                            "SELECT {VALUE_COLUMNS} FROM figure_values WHERE unit_key = $1 \
                             AND period BETWEEN $2 AND $3 ORDER BY figure, period"
                        ))
                        .bind(u)
                        .bind(filter.from.key())
                        .bind(filter.to.key())
                        .fetch_all(&self.pool)
                        .await?,
                    );
                }
                out
            }
        };
        Ok(rows
            .iter()
            .map(value_from_row)
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// The values that count (submitted, reviewed, confirmed), ready for the arithmetic.
    ///
    /// One row per unit and figure comes back, its values packed as
    /// `period:value:state:revised:sample;…` by the database: the all-zones status reads tens of
    /// thousands of values, and rows, not bytes, are what cost through the driver. Values are
    /// written with 17 significant digits (PostgreSQL's shortest exact form), so they read back
    /// exactly.
    pub async fn counted_figures(&self, filter: &ValueFilter) -> Result<Figures, StoreError> {
        let units_clause = if filter.units.is_some() {
            "unit_key = $3 AND "
        } else {
            ""
        };
        let packed = match self.backend {
            Backend::Sqlite => {
                "group_concat(period || ':' || printf('%!.17g', value) || ':' || state || ':' || \
                 revised || ':' || sample, ';')"
            }
            Backend::Postgres => {
                "string_agg(period::text || ':' || value::text || ':' || state || ':' || \
                 revised::text || ':' || sample::text, ';')"
            }
        };
        let sql = format!(
            "SELECT unit_key, figure, {packed} AS points FROM figure_values \
             WHERE {units_clause}period BETWEEN $1 AND $2 \
             AND state IN ('submitted', 'reviewed', 'confirmed') GROUP BY unit_key, figure"
        );
        let mut figures = Figures::new();
        let units: Vec<Option<&String>> = match &filter.units {
            None => vec![None],
            Some(us) => us.iter().map(Some).collect(),
        };
        for unit in units {
            let mut q = sqlx::query(&sql)
                .bind(filter.from.key())
                .bind(filter.to.key());
            if let Some(u) = unit {
                q = q.bind(u);
            }
            for row in q.fetch_all(&self.pool).await? {
                let unit: String = row.try_get(0)?;
                let figure: String = row.try_get(1)?;
                let points: String = row.try_get(2)?;
                for point in points.split(';') {
                    let mut f = point.split(':');
                    let (Some(period), Some(value), Some(state), Some(revised), Some(sample)) =
                        (f.next(), f.next(), f.next(), f.next(), f.next())
                    else {
                        return Err(packed_error(point));
                    };
                    let (Some(period), Ok(value), Some(state)) = (
                        period.parse().ok().and_then(YearMonth::from_key),
                        value.parse::<f64>(),
                        FigureState::parse(state),
                    ) else {
                        return Err(packed_error(point));
                    };
                    figures.insert(
                        &unit,
                        &figure,
                        period,
                        Observation {
                            value,
                            state,
                            revised: revised != "0",
                            sample: sample != "0",
                        },
                    );
                }
            }
        }
        Ok(figures)
    }

    /// The counted figures the cockpit needs at `at` for `zones` (and their share bases), or
    /// for every unit: from January of the year before (last year's values and closes) to `at`.
    pub async fn cockpit_figures(
        &self,
        plan: &Plan,
        zones: Option<&[&str]>,
        at: YearMonth,
    ) -> Result<Figures, StoreError> {
        let units = zones.map(|zs| {
            let mut units: Vec<String> = Vec::new();
            for z in zs {
                let base = plan.unit(z).and_then(|u| u.share_base.clone());
                for u in std::iter::once(z.to_string()).chain(base) {
                    if !units.contains(&u) {
                        units.push(u);
                    }
                }
            }
            units
        });
        let from = YearMonth::first_of(at.year - 1);
        let mut figures = self
            .counted_figures(&ValueFilter {
                units,
                from,
                to: at,
            })
            .await?;
        self.add_ledger_counts(plan, &mut figures, from, at).await?;
        Ok(figures)
    }

    /// Values waiting in `state` (for the review and confirmation queues), oldest first.
    pub async fn figures_in_state(
        &self,
        state: FigureState,
    ) -> Result<Vec<FigureValue>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VALUE_COLUMNS} FROM figure_values WHERE state = $1 \
             ORDER BY updated_at, unit_key, figure, period"
        ))
        .bind(state.code())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(value_from_row)
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// A value's history, oldest first.
    pub async fn figure_history(
        &self,
        unit: &str,
        figure: &str,
        period: YearMonth,
    ) -> Result<Vec<FigureEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, unit_key, figure, period, step, from_state, to_state, old_value, \
                 new_value, reason, account, at FROM figure_events \
             WHERE unit_key = $1 AND figure = $2 AND period = $3 ORDER BY id",
        )
        .bind(unit)
        .bind(figure)
        .bind(period.key())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let from: Option<String> = r.try_get("from_state")?;
            let to: String = r.try_get("to_state")?;
            out.push(FigureEvent {
                id: r.try_get("id")?,
                unit: r.try_get("unit_key")?,
                figure: r.try_get("figure")?,
                period,
                step: r.try_get("step")?,
                from_state: from.as_deref().and_then(FigureState::parse),
                to_state: FigureState::parse(&to).unwrap_or(FigureState::Draft),
                old_value: r.try_get("old_value")?,
                new_value: r.try_get("new_value")?,
                reason: r.try_get("reason")?,
                account: r.try_get("account")?,
                at: r.try_get("at")?,
            });
        }
        Ok(out)
    }

    /// When entry for `period` closes: the dispatcher's setting, or the plan's default.
    pub async fn period_deadline(
        &self,
        plan: &Plan,
        period: YearMonth,
    ) -> Result<Timestamp, StoreError> {
        Ok(deadline_of(&self.pool, plan, period).await?)
    }

    /// Sets when entry for `period` closes (reopening a closed period is setting a later
    /// deadline). Only the dispatcher may; audited.
    pub async fn set_period_deadline(
        &self,
        act: &Act<'_>,
        actor: &Actor,
        key: &AuditKey,
        period: YearMonth,
        deadline: Timestamp,
    ) -> Result<(), FigureError> {
        let Act { plan, account, now } = *act;
        if !account.who().is_dispatcher() {
            return Err(FigureError::Workflow(WorkflowError::NotPermitted));
        }
        let mut tx = self.begin_write().await?;
        let before = deadline_of(&mut *tx, plan, period).await?;
        sqlx::query(
            "INSERT INTO figure_periods (period, deadline, set_by, set_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (period) DO UPDATE SET deadline = excluded.deadline, \
                 set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(period.key())
        .bind(deadline.0)
        .bind(&account.username)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            self.backend,
            key,
            &AuditRecord::new(actor, "figures.period_deadline", period.to_string(), "ok")
                .change(Some(before.to_iso8601()), Some(deadline.to_iso8601())),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes generated sample figures (confirmed, marked sample) and the sample-data marker, in
    /// one transaction. Existing values are left alone.
    pub async fn load_sample_figures(
        &self,
        rows: &[(String, String, YearMonth, f64)],
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        self.load_sample_figures_as(rows, |_| FigureState::Confirmed, now)
            .await
    }

    /// Stores sample figures (示例数据), each in the state `state` gives it.
    pub async fn load_sample_figures_as(
        &self,
        rows: &[(String, String, YearMonth, f64)],
        state: impl Fn(&(String, String, YearMonth, f64)) -> FigureState,
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut written = 0;
        for chunk in rows.chunks(200) {
            let mut sql = String::from(
                "INSERT INTO figure_values (unit_key, figure, period, value, state, revised, \
                     explanation, note, sample, version, updated_by, updated_at) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 6;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, 0, '', '', 1, 1, 'sample', ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                ));
            }
            sql.push_str(" ON CONFLICT (unit_key, figure, period) DO NOTHING");
            let mut q = sqlx::query(&sql);
            for row in chunk {
                let (unit, figure, period, value) = row;
                q = q
                    .bind(unit)
                    .bind(figure)
                    .bind(period.key())
                    .bind(*value)
                    .bind(state(row).code())
                    .bind(now.0);
            }
            written += q.execute(&mut *tx).await?.rows_affected() as usize;
        }
        sqlx::query(
            "INSERT INTO sample_data (kind, loaded_at) VALUES ('figures', $1) \
             ON CONFLICT (kind) DO NOTHING",
        )
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        let change = Change::new("sample.figures", crate::messages::SAMPLE_MARK.to_string())
            .after(serde_json::json!({ "count": written }));
        self.seal(&mut tx, None, change, now).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Whether any figure was entered by a person (not sample data).
    pub async fn has_real_figures(&self) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM figure_values WHERE sample = 0 LIMIT 1) t",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Whether sample data was ever loaded: then every page and export says 示例数据.
    pub async fn has_sample_data(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM sample_data")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }
}
