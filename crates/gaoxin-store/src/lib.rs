//! Persistence for gaoxin: one storage API, SQLite (embedded, the default) and PostgreSQL behind
//! it, chosen at start-up from the database URL. This crate is the only place with SQL.
//!
//! Both backends run the same statements (sqlx's `Any` driver, `$N` placeholders, types both
//! understand: 64-bit integers, doubles, text). Each backend has its own migration files.
//! Writes run in one transaction each — `BEGIN IMMEDIATE` on SQLite, so a writer takes the
//! write lock up front instead of failing half-way when another writer commits first.

mod accounts;
mod audit;
mod dispatch;
mod error;
mod figures;
mod ledgers;
mod migrate;
mod outbox;
mod plan;
mod policy;
pub mod random;
mod sessions;
mod supervise;
mod url;

pub use accounts::{Account, NewAccount};
pub use audit::{Actor, AuditFilter, AuditKey, AuditRecord};
pub use dispatch::{AttachmentMeta, DispatchError, Report, ReportTick, WorkItem};
pub use error::StoreError;
pub use figures::{FigureError, FigureEvent, FigureValue, ImportReport, ValueFilter};
pub use ledgers::{
    CountAt, Day, LedgerError, LedgerEvent, LedgerImport, ListPage, ListQuery, PriorImport, Sort,
    StoredRecord, content_hash,
};
pub use outbox::{MAX_ATTEMPTS, Outgoing};
pub use plan::{PlanLoad, PlanVersion, StoredPlan};
pub use policy::SecurityPolicy;
pub use sessions::{FailureOutcome, LoginPolicy, LoginRecord, NewSession, Session, token_hash};
pub use supervise::{
    InboxMessage, NewOrder, Order, OrderFilter, OrderStep, SupervisionError, TickReport,
};
pub use url::{Backend, DatabaseUrl};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// The database, opened and migrated.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens the database at `url`, creating a SQLite file (and its folder) if needed, and
    /// applies any migrations not yet applied.
    pub async fn open(url: &DatabaseUrl) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = url.backend();
        if let Some(dir) = url.sqlite_dir() {
            std::fs::create_dir_all(&dir).map_err(|source| StoreError::CreateDir {
                dir: dir.display().to_string(),
                source,
            })?;
        }
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        // WAL for concurrent readers, FULL so a committed write survives a power
                        // cut, foreign keys because SQLite leaves them off by default.
                        // A 32 MB page cache: a 100,000-row import touches every index.
                        Backend::Sqlite => conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                             PRAGMA cache_size = -32768;",
                        ),
                        // NOTICEs ("relation already exists, skipping") are not worth a log line.
                        Backend::Postgres => conn.execute("SET client_min_messages TO WARNING"),
                    }
                    .await?;
                    Ok(())
                })
            });
        let pool = options
            .connect(&url.connect_string())
            .await
            .map_err(|source| StoreError::Connect {
                url: url.redacted(),
                source,
            })?;
        let store = Store { pool, backend };
        migrate::apply(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A SQLite pragma's value, for checking how the embedded database is set up.
    pub async fn sqlite_pragma(&self, name: SqlitePragma) -> Result<Option<String>, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let sql = match name {
            SqlitePragma::JournalMode => "PRAGMA journal_mode",
            SqlitePragma::Synchronous => "PRAGMA synchronous",
            SqlitePragma::ForeignKeys => "PRAGMA foreign_keys",
        };
        let row = sqlx::query(sql).fetch_one(&self.pool).await?;
        use sqlx::Row;
        let value = row
            .try_get::<String, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|v| v.to_string()))?;
        Ok(Some(value))
    }

    /// Closes every connection; pending writes are finished first.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// SQLite settings that can be read back.
#[derive(Debug, Clone, Copy)]
pub enum SqlitePragma {
    JournalMode,
    Synchronous,
    ForeignKeys,
}

/// The system clock, as a [`Timestamp`](gaoxin_core::time::Timestamp).
pub fn now() -> gaoxin_core::time::Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    gaoxin_core::time::Timestamp(secs)
}

/// Raw access for the integration tests that check the schema's own rules (foreign keys,
/// checks). Built only with the `testing` feature, which only the tests turn on.
#[cfg(feature = "testing")]
pub mod testing {
    use crate::{Store, StoreError};

    /// Runs one statement in a write transaction of its own.
    pub async fn execute(store: &Store, sql: &str) -> Result<u64, StoreError> {
        let mut tx = store.begin_write().await?;
        let n = sqlx::query(sql).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    /// The one integer a query returns (a count).
    pub async fn query_i64(store: &Store, sql: &str) -> Result<i64, StoreError> {
        use sqlx::Row;
        Ok(sqlx::query(sql).fetch_one(&store.pool).await?.try_get(0)?)
    }
}

/// The store's futures must be `Send`, so handlers and spawned tasks can await them.
#[allow(dead_code)]
fn futures_are_send(store: &Store, url: &DatabaseUrl) {
    fn send<T: Send>(_: T) {}
    send(Store::open(url));
    send(store.load_plan("", "", gaoxin_core::time::Timestamp(0)));
    send(store.current_plan());
    send(store.plan_versions());
    send(migrate::apply(store));
    let (key, actor) = (AuditKey::from_bytes(vec![]), Actor::console());
    let t = gaoxin_core::time::Timestamp(0);
    send(store.disable_account(&key, &actor, "", t));
    send(store.verify_audit(&key));
    send(store.audit_events(&AuditFilter::default()));
}
