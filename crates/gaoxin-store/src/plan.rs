//! Plan versions: a plan file loads as a version of its plan. Loading the same bytes again
//! changes nothing; loading changed bytes (the 征求意见稿 becoming the 正式稿) adds the next
//! version and keeps every earlier one. The newest version loaded is the current plan.

use crate::audit::Change;
use crate::{Store, StoreError};
use gaoxin_core::plan::{Plan, Role, TaskKind};
use gaoxin_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A stored version of a plan, without its content.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlanVersion {
    pub id: i64,
    pub plan_key: String,
    pub version_no: i64,
    pub title: String,
    pub edition: String,
    pub content_sha256: String,
    pub source_name: String,
    pub loaded_at: String,
    /// How many targets and tasks the version holds, counted in the database.
    pub target_count: i64,
    pub task_count: i64,
}

/// A stored version with its plan.
#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub version: PlanVersion,
    pub plan: Plan,
}

/// What loading a plan file did.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanLoad {
    /// The same file was loaded before: nothing changed.
    Unchanged(PlanVersion),
    /// A new version was added.
    Added(PlanVersion),
}

impl PlanLoad {
    pub fn version(&self) -> &PlanVersion {
        match self {
            PlanLoad::Unchanged(v) | PlanLoad::Added(v) => v,
        }
    }
}

/// The key of the PostgreSQL advisory lock taken while a plan loads.
const PG_PLAN_LOAD_LOCK: i64 = 0x6761_6f78_706c;

const VERSION_COLUMNS: &str = "v.id, v.plan_key, v.version_no, v.title, v.edition, v.content_sha256, \
     v.source_name, v.loaded_at, \
     (SELECT COUNT(*) FROM plan_targets t WHERE t.plan_version_id = v.id) AS target_count, \
     (SELECT COUNT(*) FROM plan_tasks k WHERE k.plan_version_id = v.id) AS task_count";

fn version_from_row(row: &AnyRow) -> Result<PlanVersion, sqlx::Error> {
    Ok(PlanVersion {
        id: row.try_get("id")?,
        plan_key: row.try_get("plan_key")?,
        version_no: row.try_get("version_no")?,
        title: row.try_get("title")?,
        edition: row.try_get("edition")?,
        content_sha256: row.try_get("content_sha256")?,
        source_name: row.try_get("source_name")?,
        loaded_at: row.try_get("loaded_at")?,
        target_count: row.try_get("target_count")?,
        task_count: row.try_get("task_count")?,
    })
}

impl Store {
    /// Validates a plan file and loads it as a version of its plan, in one transaction.
    pub async fn load_plan(
        &self,
        source_name: &str,
        source: &str,
        now: Timestamp,
    ) -> Result<PlanLoad, StoreError> {
        let plan = Plan::parse(source_name, source).map_err(StoreError::InvalidPlan)?;
        let digest = Plan::digest(source);
        let mut tx = self.begin_write().await?;
        if self.backend == crate::Backend::Postgres {
            // Serialise plan loads, as BEGIN IMMEDIATE does on SQLite: two loads of the same new
            // file must end as one version, not as a unique-key error for the second.
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(PG_PLAN_LOAD_LOCK)
                .execute(&mut *tx)
                .await?;
        }

        let existing = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM plan_versions v WHERE v.plan_key = $1 AND v.content_sha256 = $2"
        ))
        .bind(&plan.id)
        .bind(&digest)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            tx.rollback().await?;
            return Ok(PlanLoad::Unchanged(version_from_row(&row)?));
        }

        let next: i64 = sqlx::query(
            "SELECT COALESCE(MAX(version_no), 0) + 1 AS n FROM plan_versions WHERE plan_key = $1",
        )
        .bind(&plan.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        let id: i64 = sqlx::query(
            "INSERT INTO plan_versions (plan_key, version_no, title, edition, period_start, period_end, \
             content_sha256, source_name, source, loaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&plan.id)
        .bind(next)
        .bind(&plan.title)
        .bind(&plan.edition)
        .bind(i64::from(plan.period.start))
        .bind(i64::from(plan.period.end))
        .bind(&digest)
        .bind(source_name)
        .bind(source)
        .bind(now.to_iso8601())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;

        insert_contents(&mut tx, id, &plan).await?;

        let row = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM plan_versions v WHERE v.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let version = version_from_row(&row)?;
        let change = Change::new("plan.load", format!("plan:{} v{next}", plan.id)).after(
            serde_json::json!({
                "title": plan.title,
                "edition": plan.edition,
                "file": source_name,
                "sha256": digest,
            }),
        );
        self.seal(&mut tx, None, change, now).await?;
        tx.commit().await?;
        tracing::info!(plan = %plan.id, version = next, "loaded plan version");
        Ok(PlanLoad::Added(version))
    }

    /// Every version of every plan, oldest first.
    pub async fn plan_versions(&self) -> Result<Vec<PlanVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM plan_versions v ORDER BY v.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(version_from_row)
            .collect::<Result<_, _>>()?)
    }

    /// The id of the newest version loaded, if any: cheap, for caching the current plan.
    pub async fn current_plan_version_id(&self) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT MAX(id) AS id FROM plan_versions")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>("id")?)
    }

    /// The newest version loaded, with its plan.
    pub async fn current_plan(&self) -> Result<Option<StoredPlan>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS}, v.source FROM plan_versions v ORDER BY v.id DESC LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let version = version_from_row(&row)?;
        let source: String = row.try_get("source")?;
        let plan = Plan::parse(&version.source_name, &source).map_err(|errors| {
            StoreError::CorruptPlan {
                version: version.id,
                errors,
            }
        })?;
        Ok(Some(StoredPlan { version, plan }))
    }
}

/// Writes a plan's contents under its version id.
async fn insert_contents(
    tx: &mut Transaction<'static, Any>,
    v: i64,
    plan: &Plan,
) -> Result<(), sqlx::Error> {
    // Units first without their links, then the links: a unit may point at one written after it.
    for u in &plan.units {
        sqlx::query(
            "INSERT INTO plan_units (plan_version_id, key, name, kind) VALUES ($1, $2, $3, $4)",
        )
        .bind(v)
        .bind(&u.id)
        .bind(&u.name)
        .bind(enum_text(&u.kind))
        .execute(&mut **tx)
        .await?;
    }
    for u in &plan.units {
        sqlx::query(
            "UPDATE plan_units SET parent_key = $1, share_base_key = $2 WHERE plan_version_id = $3 AND key = $4",
        )
        .bind(u.parent.as_deref())
        .bind(u.share_base.as_deref())
        .bind(v)
        .bind(&u.id)
        .execute(&mut **tx)
        .await?;
    }
    for d in &plan.departments {
        sqlx::query(
            "INSERT INTO plan_departments (plan_version_id, key, name, kind, unit_key) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(v)
        .bind(&d.id)
        .bind(&d.name)
        .bind(enum_text(&d.kind))
        .bind(d.unit.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    for f in &plan.figures {
        sqlx::query(
            "INSERT INTO plan_figures (plan_version_id, key, name, unit, kind, frequency, source_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(v)
        .bind(&f.id)
        .bind(&f.name)
        .bind(&f.unit)
        .bind(enum_text(&f.kind))
        .bind(enum_text(&f.frequency))
        .bind(&f.source)
        .execute(&mut **tx)
        .await?;
    }
    for i in &plan.indicators {
        sqlx::query(
            "INSERT INTO plan_indicators (plan_version_id, key, name, kind, unit, comparator, basis, \
                 figure_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(v)
        .bind(&i.id)
        .bind(&i.name)
        .bind(enum_text(&i.kind))
        .bind(&i.unit)
        .bind(i.comparator.as_ascii())
        .bind(&i.basis)
        .bind(i.figure.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    for t in &plan.targets {
        sqlx::query(
            "INSERT INTO plan_targets (plan_version_id, zone_key, indicator_key, year, value, quote) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(v)
        .bind(&t.zone)
        .bind(&t.indicator)
        .bind(i64::from(t.year))
        .bind(t.value)
        .bind(&t.quote.text)
        .execute(&mut **tx)
        .await?;
    }
    for t in &plan.tasks {
        let group = plan.group(&t.group);
        sqlx::query(
            "INSERT INTO plan_tasks (plan_version_id, key, group_key, group_title, kind, no, title, \
             lead_and_others, quote) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(v)
        .bind(&t.id)
        .bind(&t.group)
        .bind(group.map(|g| format!("{}{}", g.label, g.title)).unwrap_or_default())
        .bind(enum_text(&group.map_or(TaskKind::Key, |g| g.kind)))
        .bind(i64::from(t.no))
        .bind(&t.title)
        .bind(i64::from(t.lead_and_others))
        .bind(&t.quote.text)
        .execute(&mut **tx)
        .await?;
        let lead = t.lead.iter().map(|d| (d, Role::Lead));
        let implementing = t.implementing.iter().map(|d| (d, Role::Implementing));
        for (position, (dept, role)) in lead.chain(implementing).enumerate() {
            sqlx::query(
                "INSERT INTO plan_task_departments (plan_version_id, task_key, department_key, role, position) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(v)
            .bind(&t.id)
            .bind(dept)
            .bind(enum_text(&role))
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
        }
    }
    for s in &plan.subtargets {
        sqlx::query(
            "INSERT INTO plan_subtargets (plan_version_id, key, task_key, name, scope, cadence, year, \
             comparator, value, max_value, unit, quote) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        // sqlx 0.8's Any driver sends a NULL f64 to PostgreSQL as float4; a statement cached
        // after such a row would then refuse a real f64. Not caching it keeps each row right.
        .persistent(false)
        .bind(v)
        .bind(&s.id)
        .bind(&s.task)
        .bind(&s.name)
        .bind(enum_text(&s.scope))
        .bind(enum_text(&s.cadence))
        .bind(s.year.map(i64::from))
        .bind(s.comparator.as_ascii())
        .bind(s.value)
        .bind(s.max)
        .bind(&s.unit)
        .bind(&s.quote.text)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The snake_case name an enum serialises to, as stored in text columns.
/// The reporting tables: each plan version's contents as plain rows, for the reporting tools a
/// city connects to the database (docs/reporting.md). gaoxin itself reads the plan from its
/// stored source; these tables are written with it in the same transaction, and
/// [`Store::plan_table`] reads them back for the contract test that keeps them equal to it.
pub const REPORTING_TABLES: &[(&str, &[&str])] = &[
    (
        "plan_units",
        &["key", "name", "kind", "parent_key", "share_base_key"],
    ),
    ("plan_departments", &["key", "name", "kind", "unit_key"]),
    (
        "plan_figures",
        &["key", "name", "unit", "kind", "frequency", "source_key"],
    ),
    (
        "plan_indicators",
        &[
            "key",
            "name",
            "kind",
            "unit",
            "comparator",
            "basis",
            "figure_key",
        ],
    ),
    (
        "plan_targets",
        &["zone_key", "indicator_key", "year", "value", "quote"],
    ),
    (
        "plan_tasks",
        &[
            "key",
            "group_key",
            "group_title",
            "kind",
            "no",
            "title",
            "lead_and_others",
            "quote",
        ],
    ),
    (
        "plan_task_departments",
        &["task_key", "department_key", "role", "position"],
    ),
    (
        "plan_subtargets",
        &[
            "key",
            "task_key",
            "name",
            "scope",
            "cadence",
            "year",
            "comparator",
            "value",
            "max_value",
            "unit",
            "quote",
        ],
    ),
];

impl Store {
    /// One reporting table's rows for a plan version, each value as text (`None`: NULL), in
    /// the order of the table's columns in [`REPORTING_TABLES`], sorted.
    pub async fn plan_table(
        &self,
        version: i64,
        table: &str,
    ) -> Result<Vec<Vec<Option<String>>>, StoreError> {
        let Some((name, columns)) = REPORTING_TABLES.iter().find(|(t, _)| *t == table) else {
            return Ok(Vec::new());
        };
        let select: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        let sql = format!(
            "SELECT {} FROM {name} WHERE plan_version_id = $1",
            select.join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(version)
            .fetch_all(&self.pool)
            .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                (0..columns.len())
                    .map(|i| r.try_get::<Option<String>, _>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.sort();
        Ok(out)
    }
}

fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
