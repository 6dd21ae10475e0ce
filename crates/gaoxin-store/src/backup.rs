//! 备份与恢复 — a consistent copy of the whole database, taken while the server writes, and
//! putting one back.
//!
//! A backup is always a SQLite file, whatever the database it was taken from: on SQLite it is
//! `VACUUM INTO` (one read transaction, so writers go on and every committed write up to its
//! start is in it — unlike a copy of the live file, which can miss what is still in the WAL);
//! on PostgreSQL every table is read in one `REPEATABLE READ` snapshot and written into a new
//! SQLite file with the same schema. Restoring copies the file back (SQLite) or its rows into an
//! empty PostgreSQL database, so a backup also moves a deployment from one to the other. The
//! audit key and the anchor go beside the file; the command (`gaoxin backup`, `gaoxin restore`)
//! handles them and the manifest.

use crate::error::Backup;
use crate::{Backend, DatabaseUrl, Store, StoreError};
use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Connection, Executor, Row, TypeInfo, ValueRef};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// What a backup holds, for its manifest and for the check after a restore.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackupContents {
    /// The schema version (the last migration) the file is at.
    pub schema_version: i64,
    /// The audit chain's last event in it (0: none).
    pub audit_head: i64,
    /// Rows per table.
    pub tables: BTreeMap<String, i64>,
}

/// Tables only PostgreSQL keeps, derived from others by triggers (the name counts of migration
/// 24): no backup holds them, and a restore makes them anew from the rows it writes.
pub(crate) const DERIVED: [&str; 1] = ["ledger_name_counts"];

/// A value as it travels from one database to the other.
#[derive(Debug, Clone)]
enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

fn value_of(row: &AnyRow, i: usize) -> Result<Value, StoreError> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_ascii_uppercase();
    Ok(match kind.as_str() {
        "BOOLEAN" => Value::Int(i64::from(row.try_get::<bool, _>(i)?)),
        "SMALLINT" | "INT2" | "INTEGER" | "INT4" | "BIGINT" | "INT8" => {
            Value::Int(row.try_get::<i64, _>(i)?)
        }
        "REAL" | "FLOAT4" | "DOUBLE" | "FLOAT8" | "DOUBLE PRECISION" => {
            Value::Real(row.try_get::<f64, _>(i)?)
        }
        "BLOB" | "BYTEA" => Value::Bytes(row.try_get::<Vec<u8>, _>(i)?),
        _ => Value::Text(row.try_get::<String, _>(i)?),
    })
}

/// A table's columns in the SQLite schema, with the type each is declared with.
async fn sqlite_columns(
    conn: &mut AnyConnection,
    table: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query(&format!("PRAGMA table_info({table})"))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>("name")?,
                r.try_get::<String, _>("type")?.to_ascii_uppercase(),
            ))
        })
        .collect()
}

/// gaoxin's tables in a SQLite file, each after the tables its foreign keys point at.
async fn sqlite_tables(conn: &mut AnyConnection) -> Result<Vec<String>, StoreError> {
    let names: Vec<String> = sqlx::query(
        // Tables proper: the name index (virtual, and its shadow tables) follows its table.
        "SELECT m.name FROM sqlite_master m \
         JOIN pragma_table_list t ON t.name = m.name AND t.schema = 'main' \
         WHERE m.type = 'table' AND t.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name <> 'schema_migrations' ORDER BY m.name",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>(0))
    .collect::<Result<_, _>>()?;
    let mut needs: HashMap<String, Vec<String>> = HashMap::new();
    for t in &names {
        let refs = sqlx::query(&format!("PRAGMA foreign_key_list({t})"))
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("table"))
            .collect::<Result<Vec<_>, _>>()?;
        needs.insert(t.clone(), refs);
    }
    let mut ordered: Vec<String> = Vec::new();
    while ordered.len() < names.len() {
        let before = ordered.len();
        for t in &names {
            if !ordered.contains(t)
                && needs[t]
                    .iter()
                    .all(|r| r == t || ordered.contains(r) || !names.contains(r))
            {
                ordered.push(t.clone());
            }
        }
        if ordered.len() == before {
            // A cycle (none in gaoxin's schema): the rest in name order.
            let rest: Vec<String> = names
                .iter()
                .filter(|t| !ordered.contains(t))
                .cloned()
                .collect();
            ordered.extend(rest);
        }
    }
    Ok(ordered)
}

/// The SQLite file at `path`, on a connection of its own, its foreign keys checked only after a
/// copy (inside one, rows arrive in table order).
async fn sqlite_connection(path: &Path) -> Result<AnyConnection, StoreError> {
    let mut conn = AnyConnection::connect(&format!("sqlite://{}?mode=rw", path.display())).await?;
    conn.execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = OFF")
        .await?;
    Ok(conn)
}

/// Copies every row of `tables` from `from` to `to` (whose tables are empty), in batches.
async fn copy_rows(
    from: &mut AnyConnection,
    to: &mut AnyConnection,
    to_backend: Backend,
    tables: &[(String, Vec<(String, String)>)],
) -> Result<BTreeMap<String, i64>, StoreError> {
    let mut counts = BTreeMap::new();
    for (table, columns) in tables {
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        let list = names.join(", ");
        // Streamed: a table of attachments may be larger than memory.
        let select = format!("SELECT {list} FROM {table}");
        let mut rows = sqlx::query(&select).fetch(&mut *from);
        let overriding = match to_backend {
            Backend::Postgres if names.contains(&"id") => " OVERRIDING SYSTEM VALUE",
            _ => "",
        };
        let casts: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, (_, ty))| match to_backend {
                Backend::Postgres => format!("${}::{}", i + 1, pg_type(ty)),
                Backend::Sqlite => format!("${}", i + 1),
            })
            .collect();
        let insert = format!(
            "INSERT INTO {table} ({list}){overriding} VALUES ({})",
            casts.join(", ")
        );
        let mut n = 0;
        while let Some(row) = rows.try_next().await? {
            let row = &row;
            n += 1;
            let mut q = sqlx::query(&insert).persistent(false);
            for (i, (_, ty)) in columns.iter().enumerate() {
                q = match (value_of(row, i)?, pg_type(ty)) {
                    (Value::Null, "bigint") => q.bind(None::<i64>),
                    (Value::Null, "double precision") => q.bind(None::<f64>),
                    (Value::Null, "bytea") => q.bind(None::<Vec<u8>>),
                    (Value::Null, _) => q.bind(None::<String>),
                    (Value::Int(v), "double precision") => q.bind(v as f64),
                    (Value::Int(v), "text") => q.bind(v.to_string()),
                    (Value::Int(v), _) => q.bind(v),
                    (Value::Real(v), _) => q.bind(v),
                    (Value::Text(v), _) => q.bind(v),
                    (Value::Bytes(v), _) => q.bind(v),
                };
            }
            q.execute(&mut *to).await?;
        }
        drop(rows);
        counts.insert(table.clone(), n);
    }
    Ok(counts)
}

/// The PostgreSQL type of a column declared `ty` in the SQLite schema.
fn pg_type(ty: &str) -> &'static str {
    match ty {
        "INTEGER" | "BIGINT" => "bigint",
        "REAL" | "DOUBLE" | "DOUBLE PRECISION" => "double precision",
        "BLOB" => "bytea",
        _ => "text",
    }
}

/// What a SQLite file holds: its schema version, audit head and rows per table.
pub async fn contents_of(path: &Path) -> Result<BackupContents, StoreError> {
    let mut conn = sqlite_connection(path).await?;
    let schema_version: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .fetch_one(&mut conn)
            .await?
            .try_get(0)?;
    let audit_head: i64 = sqlx::query("SELECT COALESCE(MAX(last_id), 0) FROM audit_head")
        .fetch_one(&mut conn)
        .await?
        .try_get(0)?;
    let mut tables = BTreeMap::new();
    for t in sqlite_tables(&mut conn).await? {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut conn)
            .await?
            .try_get(0)?;
        tables.insert(t, n);
    }
    conn.close().await?;
    Ok(BackupContents {
        schema_version,
        audit_head,
        tables,
    })
}

impl Store {
    /// Writes a consistent copy of the whole database to a new SQLite file at `dest` (which
    /// must not exist), while the server goes on writing.
    pub async fn backup_to(&self, dest: &Path) -> Result<BackupContents, StoreError> {
        if dest.exists() {
            return Err(StoreError::Backup(Backup::DestinationExists {
                path: dest.display().to_string(),
            }));
        }
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                sqlx::query("VACUUM INTO $1")
                    .bind(dest.display().to_string())
                    .execute(&mut *conn)
                    .await?;
            }
            Backend::Postgres => self.backup_postgres(dest).await?,
        }
        contents_of(dest).await
    }

    /// PostgreSQL: every table in one snapshot, into a new SQLite file made by the SQLite
    /// migrations.
    async fn backup_postgres(&self, dest: &Path) -> Result<(), StoreError> {
        let url = DatabaseUrl::parse(&format!("sqlite://{}", dest.display()))?;
        Store::open(&url).await?.close().await;
        let mut to = sqlite_connection(dest).await?;
        let mut from = self.pool.acquire().await?;
        from.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let copied = async {
            let mut tables = Vec::new();
            for t in sqlite_tables(&mut to).await? {
                let columns = sqlite_columns(&mut to, &t).await?;
                tables.push((t, columns));
            }
            to.execute("BEGIN").await?;
            for (t, _) in &tables {
                // Rows the migrations put in (the probe, the id mark) come with the copy.
                sqlx::query(&format!("DELETE FROM {t}"))
                    .execute(&mut to)
                    .await?;
            }
            copy_rows(&mut from, &mut to, Backend::Sqlite, &tables).await?;
            to.execute("COMMIT").await?;
            Ok::<_, StoreError>(())
        }
        .await;
        let _ = from.execute("ROLLBACK").await;
        copied?;
        check_foreign_keys(&mut to).await?;
        to.close().await?;
        Ok(())
    }
}

async fn check_foreign_keys(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await?;
    if let Some(row) = broken.first() {
        let table: String = row.try_get(0).unwrap_or_default();
        return Err(StoreError::Backup(Backup::DanglingRows {
            table: table.to_string(),
        }));
    }
    Ok(())
}

/// Restores the backup file `backup` into the database at `target`: a SQLite file is copied
/// into place (its schema brought up to this version of gaoxin), a PostgreSQL database, which
/// must hold no gaoxin tables unless `force` (then they are dropped), gets every row. Returns
/// what the restored database holds. Stop gaoxin first.
pub async fn restore(
    backup: &Path,
    target: &DatabaseUrl,
    force: bool,
) -> Result<BackupContents, StoreError> {
    // Work on a copy: bringing an older backup's schema up to date changes the file.
    let work = backup.with_extension("restoring");
    let _ = std::fs::remove_file(&work);
    std::fs::copy(backup, &work).map_err(|e| {
        StoreError::Backup(Backup::Unreadable {
            path: backup.display().to_string(),
            why: e.to_string(),
        })
    })?;
    let work_url = DatabaseUrl::parse(&format!("sqlite://{}", work.display()))?;
    Store::open(&work_url).await?.close().await;
    let restored = match target.sqlite_file() {
        Some(file) => restore_sqlite(&work, &file, force).await,
        None => restore_postgres(&work, target, force).await,
    };
    let _ = std::fs::remove_file(&work);
    restored
}

async fn restore_sqlite(
    work: &Path,
    file: &Path,
    force: bool,
) -> Result<BackupContents, StoreError> {
    if file.exists() && !force {
        return Err(StoreError::Backup(Backup::TargetExists {
            path: file.display().to_string(),
        }));
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Backup(Backup::Io { why: e.to_string() }))?;
    }
    // Into place whole: a copy beside the target, then renamed over it, its WAL gone with it.
    let staged = file.with_extension("restored");
    std::fs::copy(work, &staged)
        .map_err(|e| StoreError::Backup(Backup::Io { why: e.to_string() }))?;
    std::fs::File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Backup(Backup::Io { why: e.to_string() }))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    std::fs::rename(&staged, file)
        .map_err(|e| StoreError::Backup(Backup::Io { why: e.to_string() }))?;
    contents_of(file).await
}

async fn restore_postgres(
    work: &Path,
    target: &DatabaseUrl,
    force: bool,
) -> Result<BackupContents, StoreError> {
    let mut to = AnyConnection::connect(&target.connect_string()).await?;
    to.execute("SET client_min_messages TO WARNING").await?;
    let existing: Vec<String> = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut to)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>(0))
    .collect::<Result<_, _>>()?;
    let mut from = sqlite_connection(work).await?;
    let mut tables = Vec::new();
    for t in sqlite_tables(&mut from).await? {
        let columns = sqlite_columns(&mut from, &t).await?;
        tables.push((t, columns));
    }
    let ours: Vec<&String> = existing
        .iter()
        .filter(|t| {
            *t == "schema_migrations"
                || DERIVED.contains(&t.as_str())
                || tables.iter().any(|(n, _)| n == *t)
        })
        .collect();
    if !ours.is_empty() {
        if !force {
            return Err(StoreError::Backup(Backup::TargetHoldsTables));
        }
        for t in &ours {
            to.execute(format!("DROP TABLE IF EXISTS {t} CASCADE").as_str())
                .await?;
        }
        to.execute(
            "DO $$ DECLARE f record; BEGIN FOR f IN SELECT oid::regprocedure AS p FROM pg_proc \
             WHERE proname LIKE 'gaoxin\\_%' AND pronamespace = current_schema()::regnamespace \
             LOOP EXECUTE 'DROP FUNCTION ' || f.p || ' CASCADE'; END LOOP; END $$",
        )
        .await?;
    }
    to.close().await?;
    // The schema, by gaoxin's own PostgreSQL migrations.
    Store::open(target).await?.close().await;
    let mut to = AnyConnection::connect(&target.connect_string()).await?;
    to.execute("BEGIN").await?;
    let copied = async {
        for (t, _) in &tables {
            // Only the rows the migrations put in (the probe, the id mark); an empty table is
            // left alone, as the audit tables' statement triggers refuse any DELETE.
            let has_rows = sqlx::query(&format!("SELECT 1 FROM {t} LIMIT 1"))
                .fetch_optional(&mut to)
                .await?
                .is_some();
            if has_rows {
                sqlx::query(&format!("DELETE FROM {t}"))
                    .execute(&mut to)
                    .await?;
            }
        }
        copy_rows(&mut from, &mut to, Backend::Postgres, &tables).await?;
        // Identity columns continue after the ids restored.
        for (t, columns) in &tables {
            if columns.iter().any(|(n, _)| n == "id") {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), \
                     GREATEST((SELECT COALESCE(MAX(id), 0) FROM {t}), 1)) \
                     WHERE pg_get_serial_sequence('{t}', 'id') IS NOT NULL"
                ))
                .execute(&mut to)
                .await?;
            }
        }
        Ok::<_, StoreError>(())
    }
    .await;
    match copied {
        Ok(()) => to.execute("COMMIT").await?,
        Err(e) => {
            let _ = to.execute("ROLLBACK").await;
            return Err(e);
        }
    };
    to.close().await?;
    from.close().await?;
    let store = Store::open(target).await?;
    let contents = store.contents().await;
    store.close().await;
    contents
}

impl Store {
    /// What this database holds, as [`contents_of`] says of a backup file.
    pub async fn contents(&self) -> Result<BackupContents, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let schema_version: i64 =
            sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
        let audit_head: i64 = sqlx::query("SELECT COALESCE(MAX(last_id), 0) FROM audit_head")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let names: Vec<String> = match self.backend {
            Backend::Sqlite => sqlite_tables(&mut conn).await?,
            Backend::Postgres => sqlx::query(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> 'schema_migrations' ORDER BY table_name",
            )
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?,
        };
        let mut tables = BTreeMap::new();
        for t in names.into_iter().filter(|t| !DERIVED.contains(&t.as_str())) {
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            tables.insert(t, n);
        }
        Ok(BackupContents {
            schema_version,
            audit_head,
            tables,
        })
    }
}
