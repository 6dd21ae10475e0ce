//! Persistence for gaoxin: one storage API, SQLite (embedded, the default) and PostgreSQL behind
//! it, chosen at start-up from the database URL. This crate is the only place with SQL.
//!
//! Both backends run the same statements (sqlx's `Any` driver, `$N` placeholders, types both
//! understand: 64-bit integers, doubles, text). Each backend has its own migration files.
//! Writes run in one transaction each — `BEGIN IMMEDIATE` on SQLite, so a writer takes the
//! write lock up front instead of failing half-way when another writer commits first.

mod accounts;
mod audit;
pub mod backup;
mod bench;
mod benchmarking;
mod bulletin;
mod dispatch;
mod error;
mod inbox;
mod ledger;
mod messages;
mod migrate;
mod monitor;
mod outbox;
mod plan;
mod policy;
pub mod random;
pub mod schema;
mod sessions;
mod sql;
mod supervise;
mod upload;
mod url;

pub use accounts::{Account, NewAccount};
pub use audit::{
    Actor, AnchorCheck, AuditFilter, AuditKey, AuditRecord, UNSIGNED_PER_SOURCE,
    UNSIGNED_PER_WINDOW, UNSIGNED_WINDOW_SECS,
};
pub use bench::{BenchLists, fresh_postgres};
pub use benchmarking::{
    FrameworkVersion, OfficialRank, PeerImport, PeerImported, PeerValue, PeerZone, SamplePeers,
    StoredFramework,
};
pub use bulletin::{IssueEntry, PublishError};
pub use dispatch::{AttachmentMeta, Report, ReportTick, WorkItem};
pub use error::{
    Availability, Backup, DispatchError, FigureError, LedgerError, StoreError, SupervisionError,
};
pub use inbox::InboxMessage;
pub use ledger::{
    COUNT_LIMIT, CountAt, Day, ImportFile, ImportRun, LedgerEvent, LedgerImport, ListPage,
    ListQuery, PriorImport, Sort, StoredRecord, content_hash,
};
pub use monitor::{FigureAt, FigureEvent, FigureTick, FigureValue, ImportReport, ValueFilter};
pub use outbox::{MAX_ATTEMPTS, Outgoing};
pub use plan::{PlanLoad, PlanVersion, REPORTING_TABLES, StoredPlan};
pub use policy::SecurityPolicy;
pub use sessions::{
    FailureOutcome, Gate, LoginPolicy, LoginRecord, NAME_KEPT, NewSession, Session, token_hash,
    typed_name,
};
pub use supervise::{
    Closed, NewOrder, Order, OrderAttachment, OrderFilter, OrderPage, OrderQuery, OrderStep,
    TickReport,
};
pub use upload::{STASH_MAX_BYTES, STASH_MAX_ENTRIES, UPLOAD_KEPT_SECS};
pub use url::{Backend, DatabaseUrl};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// Who acts, under which plan, and when: what every business change in the store is made by
/// (the web's and the console's use cases build it from their acting context).
#[derive(Debug, Clone, Copy)]
pub struct Act<'a> {
    pub plan: &'a gaoxin_core::Plan,
    pub account: &'a Account,
    pub now: gaoxin_core::time::Timestamp,
}

impl<'a> Act<'a> {
    pub fn of(
        plan: &'a gaoxin_core::Plan,
        account: &'a Account,
        now: gaoxin_core::time::Timestamp,
    ) -> Act<'a> {
        Act { plan, account, now }
    }
}

/// The database, opened and migrated.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: std::sync::Arc<DatabaseUrl>,
    /// The key business changes are sealed into the audit chain with ([`Store::sealing`]); a
    /// business write without it is refused rather than left out of the chain.
    key: Option<AuditKey>,
    /// Where the person acting is (their address), for the audit events ([`Store::acting_from`]).
    address: Option<std::sync::Arc<str>>,
    /// When each session was last seen, kept here and written in batches
    /// ([`Store::flush_session_touches`]) so that reading a page never writes.
    touches: sessions::Touches,
    /// Dry runs waiting for their confirmation, on SQLite ([`upload`]).
    uploads: upload::Stash,
    /// SQLite: how long an import's batch should hold the write lock ([`Store::batching_imports`]).
    batch_hold: Duration,
}

/// How long a request waits for a connection before it is told the database is unavailable.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Waiting for a pooled connection (and, for a new one, for the server to answer).
    pub acquire: Duration,
}

impl Timeouts {
    /// A PostgreSQL server that does not answer (down, or its packets dropped) is reported
    /// within seconds; SQLite connections are local and only ever wait for each other.
    pub fn for_backend(backend: Backend) -> Timeouts {
        Timeouts {
            acquire: match backend {
                Backend::Sqlite => Duration::from_secs(30),
                Backend::Postgres => Duration::from_secs(5),
            },
        }
    }
}

/// Whether the database takes writes, as `/healthz` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteHealth {
    /// A write went through.
    Writable,
    /// Another writer holds SQLite's write lock (a long import): writable, just not now.
    Busy,
}

impl Store {
    /// After a bulk load (the benches' generated data): PostgreSQL's name counts folded and its
    /// statistics and visibility brought up to date at once (`VACUUM ANALYZE`), as the
    /// housekeeping and autovacuum do a while later; SQLite keeps none.
    pub async fn settle(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            self.compact_name_counts().await?;
            sqlx::raw_sql("VACUUM ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Opens the database at `url`, creating a SQLite file (and its folder) if needed, and
    /// applies any migrations not yet applied.
    pub async fn open(url: &DatabaseUrl) -> Result<Store, StoreError> {
        Store::open_with(url, Timeouts::for_backend(url.backend())).await
    }

    /// [`Store::open`] with other waits (tests of an unreachable server).
    pub async fn open_with(url: &DatabaseUrl, timeouts: Timeouts) -> Result<Store, StoreError> {
        let store = Store::connect(url, timeouts).await?;
        migrate::apply(&store, None).await?;
        Ok(store)
    }

    /// The pool, before any migration.
    async fn connect(url: &DatabaseUrl, timeouts: Timeouts) -> Result<Store, StoreError> {
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
            .acquire_timeout(timeouts.acquire)
            // A connection whose transaction ended badly (SQLite rolls back by itself on a full
            // disk, and the ROLLBACK sqlx then sends fails) still counts itself inside it, and
            // every BEGIN on it would fail from then on. It is closed instead of reused; the
            // pool opens a fresh one.
            .before_acquire(|conn, _meta| {
                Box::pin(async move {
                    use sqlx::Connection;
                    let stuck = conn.is_in_transaction();
                    if stuck {
                        tracing::warn!(
                            "a database connection was left inside a failed transaction: closed"
                        );
                    }
                    Ok(!stuck)
                })
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        // WAL for concurrent readers, FULL so a committed write survives a power
                        // cut, foreign keys because SQLite leaves them off by default.
                        // A 32 MB page cache: a 100,000-row import touches every index.
                        // The busy timeout comes first: two processes starting on a new
                        // file both switch it to WAL, and the second must wait, not fail.
                        Backend::Sqlite => conn.execute(
                            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                             PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
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
        let store = Store {
            pool,
            backend,
            url: std::sync::Arc::new(url.clone()),
            key: None,
            address: None,
            touches: sessions::Touches::default(),
            uploads: upload::Stash::default(),
            batch_hold: ledger::BATCH_HOLD,
        };
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// This store, sealing every business change (figures, ledgers, 督办, work items, reports,
    /// plan versions) into the audit chain with `key`, in the transaction that makes it.
    pub fn sealing(&self, key: AuditKey) -> Store {
        Store {
            key: Some(key),
            ..self.clone()
        }
    }

    /// This store, recording `address` as where the person acting is.
    pub fn acting_from(&self, address: &str) -> Store {
        Store {
            address: Some(address.into()),
            ..self.clone()
        }
    }

    /// This store, sizing an import's SQLite batches to hold the write lock about `hold` each
    /// (the default is a quarter of a second; `Duration::ZERO` keeps every batch at 5,000
    /// records, which tests use to know where a batch ends).
    pub fn batching_imports(&self, hold: Duration) -> Store {
        Store {
            batch_hold: hold,
            ..self.clone()
        }
    }

    /// Seals one business change into the audit chain, inside the transaction that makes it.
    /// `by` is the account acting (`None`: gaoxin itself, or the console).
    pub(crate) async fn seal(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        by: Option<&Account>,
        change: audit::Change,
        now: gaoxin_core::time::Timestamp,
    ) -> Result<(), StoreError> {
        let key = self.key.as_ref().ok_or(StoreError::NoAuditKey)?;
        let actor = self.actor_for(by);
        let rec = AuditRecord::new(&actor, change.action, change.target, "success")
            .change(change.before, change.after);
        audit::append(tx, self.backend, key, &rec, now).await?;
        Ok(())
    }

    /// Who acts, as the audit log names them: the account from the address this store acts
    /// from, or the console.
    pub fn actor_for(&self, by: Option<&Account>) -> Actor {
        match by {
            Some(account) => Actor::of(account, self.address.as_deref().unwrap_or("local")),
            None => Actor::console(),
        }
    }

    /// The one way a refusal is recorded — the web's guard, its pages and the use cases all
    /// come here: `actor` asked for `target` and was refused (`action`: `authz.denied`, or
    /// `csrf.rejected`), a record outside their scope included, which they are told does not
    /// exist. Sealed with this store's key, in a transaction of its own.
    pub async fn audit_refusal(
        &self,
        actor: &Actor,
        action: &str,
        target: String,
        now: gaoxin_core::time::Timestamp,
    ) -> Result<(), StoreError> {
        let key = self.key.as_ref().ok_or(StoreError::NoAuditKey)?;
        let record = AuditRecord::new(actor, action, target, "denied");
        self.audit(key, &record, now).await?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Checks that the database takes a write: a one-row update, committed. On SQLite it runs
    /// on a connection of its own that waits at most a moment for the write lock, so a long
    /// import reads as [`WriteHealth::Busy`] rather than as a failure; a full disk, a read-only
    /// file or a PostgreSQL standby is an error.
    pub async fn probe_write(
        &self,
        now: gaoxin_core::time::Timestamp,
    ) -> Result<WriteHealth, StoreError> {
        use sqlx::Connection;
        const PROBE: &str = "UPDATE health_probe SET checked_at = $1 WHERE singleton = 1";
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::AnyConnection::connect(&self.url.connect_string()).await?;
                conn.execute("PRAGMA busy_timeout = 200").await?;
                let result = async {
                    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
                    sqlx::query(PROBE).bind(now.0).execute(&mut *tx).await?;
                    tx.commit().await
                }
                .await;
                let _ = conn.close().await;
                match result {
                    Ok(()) => Ok(WriteHealth::Writable),
                    Err(e) => {
                        let e = StoreError::from(e);
                        if e.is_busy() {
                            Ok(WriteHealth::Busy)
                        } else {
                            Err(e)
                        }
                    }
                }
            }
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query(PROBE).bind(now.0).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(WriteHealth::Writable)
            }
        }
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

    /// A store migrated up to `version` only: a database as an earlier release left it, for
    /// the tests of an upgrade. Opening it again with [`Store::open`] applies the rest.
    pub async fn open_at(url: &crate::DatabaseUrl, version: i64) -> Result<Store, StoreError> {
        let store = Store::connect(url, crate::Timeouts::for_backend(url.backend())).await?;
        crate::migrate::apply(&store, Some(version)).await?;
        Ok(store)
    }

    /// Runs one statement in a write transaction of its own.
    pub async fn execute(store: &Store, sql: &str) -> Result<u64, StoreError> {
        let mut tx = store.begin_write().await?;
        let n = sqlx::query(sql).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    /// Runs statements on a connection of their own, outside the pool: for a test that has
    /// left the pool's connections in a bad state and must not depend on them.
    pub async fn execute_alone(store: &Store, sql: &str) -> Result<(), StoreError> {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&store.url.connect_string()).await?;
        sqlx::raw_sql(sql).execute(&mut conn).await?;
        conn.close().await?;
        Ok(())
    }

    /// SQLite's write lock, held by a connection of its own until released: what a long
    /// import in another process looks like to the application.
    pub struct WriteLock(sqlx::AnyConnection);

    impl std::fmt::Debug for WriteLock {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("WriteLock")
        }
    }

    /// Takes SQLite's write lock (`BEGIN IMMEDIATE`) on a connection outside the pool.
    pub async fn hold_write_lock(store: &Store) -> Result<WriteLock, StoreError> {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&store.url.connect_string()).await?;
        sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut conn).await?;
        Ok(WriteLock(conn))
    }

    impl WriteLock {
        /// Ends the transaction and lets the lock go.
        pub async fn release(mut self) -> Result<(), StoreError> {
            use sqlx::Connection;
            sqlx::raw_sql("ROLLBACK").execute(&mut self.0).await?;
            self.0.close().await?;
            Ok(())
        }
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
    send(migrate::apply(store, None));
    let (key, actor) = (AuditKey::from_bytes(vec![]), Actor::console());
    let t = gaoxin_core::time::Timestamp(0);
    send(store.disable_account(&key, &actor, "", t));
    send(store.verify_audit(&key));
    send(store.audit_events(&AuditFilter::default()));
}
