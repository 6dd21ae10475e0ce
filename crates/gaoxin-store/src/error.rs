//! Storage errors. Messages name what failed in Chinese and English; database detail stays in
//! the source error for the log, and the web layer never shows it to users.

use gaoxin_core::PlanErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "不支持的数据库地址“{url}”：请使用 sqlite://路径 或 postgres://用户@主机/库名 / \
         unsupported database URL \"{url}\": use sqlite://PATH or postgres://USER@HOST/DB"
    )]
    UnsupportedUrl { url: String },

    #[error("无法创建数据库目录 {dir} / cannot create the database folder {dir}: {source}")]
    CreateDir { dir: String, source: std::io::Error },

    #[error("无法连接数据库 {url} / cannot connect to the database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },

    #[error("数据库迁移 {version}（{name}）失败 / migration {version} ({name}) failed: {source}")]
    Migrate {
        version: i64,
        name: &'static str,
        source: sqlx::Error,
    },

    #[error(
        "数据库的结构版本 {found} 比本程序认识的 {known} 新：请使用更新版本的 gaoxin / \
         the database schema version {found} is newer than this program's {known}: use a newer gaoxin"
    )]
    SchemaTooNew { found: i64, known: i64 },

    #[error("方案文件无效 / the plan file is not valid:\n{0}")]
    InvalidPlan(PlanErrors),

    #[error(
        "数据库中保存的方案版本 {version} 无法解析 / stored plan version {version} cannot be parsed:\n{errors}"
    )]
    CorruptPlan { version: i64, errors: PlanErrors },

    #[error("账号 {username} 已存在 / account {username} already exists")]
    AccountExists { username: String },

    #[error("没有账号 {username} / no account {username}")]
    NoSuchAccount { username: String },

    #[error("不能修改自己的角色 / no one may change their own roles")]
    OwnRoles,

    #[error("{} / {}", .0.zh(), .0.en())]
    AdminAtConsole(gaoxin_core::auth::AdminChangeRefused),

    #[error("账号 {username} 已是停用状态 / account {username} is already disabled")]
    AlreadyDisabled { username: String },

    #[error("{} / {}", .0.zh(), .0.en())]
    InvalidRoles(gaoxin_core::auth::RoleError),

    #[error("审计密钥文件 {path} 无法使用 / the audit key file {path} cannot be used: {why}")]
    AuditKey { path: String, why: String },

    #[error(
        "审计链头损坏：请运行 gaoxin audit verify / the audit chain head is corrupt: run gaoxin audit verify"
    )]
    AuditHeadCorrupt,

    #[error(
        "审计密钥未载入：业务数据的修改必须记入审计链 / the audit key is not loaded: business changes \
         must be sealed into the audit chain"
    )]
    NoAuditKey,

    #[error("审计锚点文件 {path} 无法使用 / the audit anchor file {path} cannot be used: {why}")]
    AuditAnchor { path: String, why: String },

    #[error("无法取得随机数 / no randomness from the system: {0}")]
    Random(String),

    #[error("{0}")]
    Backup(String),

    #[error("数据库操作失败 / database operation failed: {0}")]
    Database(#[from] sqlx::Error),
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
