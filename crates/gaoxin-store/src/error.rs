//! Storage errors. Messages name what failed in Chinese and English; database detail stays in
//! the source error for the log, and the web layer never shows it to users.

use gaoxin_core::PlanErrors;
use gaoxin_core::dispatch::FieldError;
use gaoxin_core::dispatch::attachment::AttachmentError;
use gaoxin_core::monitor::workflow::WorkflowError;
use gaoxin_core::supervise::OrderError;

#[derive(Debug, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum StoreError {
    UnsupportedUrl {
        url: String,
    },
    CreateDir {
        dir: String,
        source: std::io::Error,
    },
    Connect {
        url: String,
        source: sqlx::Error,
    },
    Migrate {
        version: i64,
        name: &'static str,
        source: sqlx::Error,
    },
    SchemaTooNew {
        found: i64,
        known: i64,
    },
    InvalidPlan(PlanErrors),
    CorruptPlan {
        version: i64,
        errors: PlanErrors,
    },
    InvalidFramework(gaoxin_core::benchmarking::FrameworkErrors),
    /// A real peer workbook into a peer set holding sample zones.
    SamplePeerSet {
        peer_set: String,
    },
    CorruptFramework {
        version: i64,
        errors: gaoxin_core::benchmarking::FrameworkErrors,
    },
    AccountExists {
        username: String,
    },
    NoSuchAccount {
        username: String,
    },
    OwnRoles,
    AdminAtConsole(gaoxin_core::auth::AdminChangeRefused),
    AlreadyDisabled {
        username: String,
    },
    InvalidRoles(gaoxin_core::auth::RoleError),
    /// A 姓名 or phone refused.
    InvalidProfile(gaoxin_core::auth::ProfileError),
    /// An e-mail address we would not send to.
    InvalidEmail {
        address: String,
    },
    AuditKey {
        path: String,
        why: String,
    },
    AuditHeadCorrupt,
    NoAuditKey,
    AuditKeyMalformed {
        path: String,
    },
    AuditAnchorForeign {
        path: String,
    },
    AuditAnchor {
        path: String,
        why: String,
    },
    Random(String),
    /// Reading a SQLite audit chain for its check failed (the file, or a row).
    AuditRead(String),
    /// Writing an import's batch on its own SQLite connection failed.
    ImportWrite(String),
    Backup(Backup),
    Database(#[from] sqlx::Error),
}

/// Why a backup or a restore did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backup {
    /// A backup writes a new file only.
    DestinationExists {
        path: String,
    },
    /// The backup's rows refer to rows it does not hold.
    DanglingRows {
        table: String,
    },
    Unreadable {
        path: String,
        why: String,
    },
    /// Restoring over a SQLite file needs `--force`.
    TargetExists {
        path: String,
    },
    /// Restoring into a PostgreSQL database that holds gaoxin's tables needs `--force`.
    TargetHoldsTables,
    /// The file system refused (creating the folder, copying, syncing, renaming).
    Io {
        why: String,
    },
}

/// What a failed database operation means for the person waiting on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Another writer holds the lock (SQLite during a long import): try again shortly.
    Busy,
    /// The disk is full: nothing was saved until space is freed.
    Full,
    /// The database takes no writes (a read-only file, a PostgreSQL standby).
    ReadOnly,
    /// The server cannot be reached or did not answer in time.
    Unreachable,
    /// Anything else: a bug or a broken database, for the log.
    Other,
}

impl StoreError {
    /// What this error means for availability, from the database's own error codes.
    pub fn availability(&self) -> Availability {
        match self {
            StoreError::Database(e) | StoreError::Connect { source: e, .. } => classify(e),
            _ => Availability::Other,
        }
    }

    /// Another writer holds SQLite's lock.
    pub fn is_busy(&self) -> bool {
        self.availability() == Availability::Busy
    }
}

fn classify(e: &sqlx::Error) -> Availability {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => Availability::Unreachable,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            match code.as_ref() {
                // SQLite's (extended) result codes are numbers of at most four digits; its
                // primary codes are their low byte. PostgreSQL's SQLSTATEs have five characters,
                // sometimes all digits.
                c if c.len() < 5 && c.parse::<i32>().is_ok() => {
                    match c.parse::<i32>().unwrap_or(0) & 0xff {
                        5 | 6 => Availability::Busy,
                        13 => Availability::Full,
                        8 => Availability::ReadOnly,
                        10 | 14 => Availability::Unreachable,
                        _ => Availability::Other,
                    }
                }
                // PostgreSQL SQLSTATEs: disk_full, read-only transaction (a standby), the
                // server shutting down or starting, connection exceptions.
                "53100" => Availability::Full,
                "25006" => Availability::ReadOnly,
                "57P01" | "57P02" | "57P03" => Availability::Unreachable,
                c if c.starts_with("08") => Availability::Unreachable,
                _ => Availability::Other,
            }
        }
        _ => Availability::Other,
    }
}

/// Why a work item, report or attachment was not written.
#[derive(Debug, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum DispatchError {
    Fields(Vec<FieldError>),
    NotPermitted,
    NotFound,
    Stale {
        by: String,
    },
    Period {
        period: String,
    },
    Attachment(AttachmentError),
    AttachmentGone,
    /// The report was returned already, or a later one was filed since.
    NotStanding,
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for DispatchError {
    fn from(e: sqlx::Error) -> Self {
        DispatchError::Store(StoreError::from(e))
    }
}

/// Why a record was not written.
#[derive(Debug, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum LedgerError {
    NotPermitted,
    NotFound,
    Stale {
        by: String,
        version: i64,
    },
    Duplicate {
        /// The record that has this key, when the account may read it; `None` when it belongs
        /// to a unit the account does not see (its number would say that it exists).
        id: Option<i64>,
    },
    Importing,
    MissingRef {
        ledger: &'static str,
        key: String,
    },
    KeyInUse {
        count: i64,
    },
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LedgerError {
    fn from(e: sqlx::Error) -> Self {
        LedgerError::Store(StoreError::from(e))
    }
}

/// Why an order was not written.
#[derive(Debug, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum SupervisionError {
    Rule(OrderError),
    NotFound,
    /// An answer's attachment refused (type, size, macros, too many).
    Attachment(gaoxin_core::dispatch::attachment::AttachmentError),
    /// An attachment named with the answer is not the account's, or was filed already.
    AttachmentGone,
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SupervisionError {
    fn from(e: sqlx::Error) -> Self {
        SupervisionError::Store(StoreError::from(e))
    }
}

impl From<OrderError> for SupervisionError {
    fn from(e: OrderError) -> Self {
        SupervisionError::Rule(e)
    }
}

/// Why a step on a figure value was not done.
#[derive(Debug, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum FigureError {
    Workflow(WorkflowError),
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for FigureError {
    fn from(e: sqlx::Error) -> Self {
        FigureError::Store(StoreError::from(e))
    }
}
