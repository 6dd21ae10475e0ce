//! What every command works with: where the data is ([`DataArgs`]: the database, the audit key
//! and anchor beside it), the store opened sealing with that key ([`open`], [`Opened::run`]
//! anchoring the chain after), the plan in force, the account an import acts as, the bundled seed
//! plan, and the output formats. The subcommands' modules and `cli.rs` use these; none of them
//! uses `cli.rs`.

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use gaoxin_core::plan::Plan;
use gaoxin_store::AuditKey;
use gaoxin_store::{DatabaseUrl, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The bundled seed plan: 石家庄市高新技术产业开发区三年提升工作方案（2025-2027年）.
pub const SEED_PLAN_NAME: &str = "plans/shijiazhuang-2025-2027.toml";
pub const SEED_PLAN: &str = include_str!("../../../plans/shijiazhuang-2025-2027.toml");

/// The bundled evaluation frameworks (对标分析), loaded into a database that has none.
pub const BUNDLED_FRAMEWORKS: [(&str, &str); 3] = [
    (
        "plans/evaluations/national-2021.toml",
        include_str!("../../../plans/evaluations/national-2021.toml"),
    ),
    (
        "plans/evaluations/national-2024.toml",
        include_str!("../../../plans/evaluations/national-2024.toml"),
    ),
    (
        "plans/evaluations/hebei-provincial.toml",
        include_str!("../../../plans/evaluations/hebei-provincial.toml"),
    ),
];

/// Where the data is: the database, and the audit key and anchor kept outside it.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DataArgs {
    /// 数据库地址 / database URL; default: data/gaoxin.db
    #[arg(long, env = "GAOXIN_DATABASE")]
    pub(crate) database: Option<String>,
    /// 审计密钥文件（放在数据库之外），缺省为 SQLite 数据库所在目录的 audit.key（PostgreSQL：
    /// data/audit.key）/ the audit key file, kept outside the database; default: audit.key beside
    /// the SQLite file (PostgreSQL: data/audit.key)
    #[arg(long, env = "GAOXIN_AUDIT_KEY")]
    pub(crate) audit_key: Option<PathBuf>,
    /// 审计锚点文件：审计链末端的签名记录，缺省为密钥所在目录的 audit.anchor / the audit anchor
    /// file (the chain's sealed head); default: audit.anchor beside the key
    #[arg(long, env = "GAOXIN_AUDIT_ANCHOR")]
    pub(crate) audit_anchor: Option<PathBuf>,
    /// 数据库文件不存在时新建（不加此项则拒绝，以免路径写错时悄悄建出一个空库）/ make a new
    /// database where the file is not there (without it a missing file is refused, so a mistyped
    /// path never starts an empty installation)
    #[arg(long)]
    pub(crate) create: bool,
}

impl DataArgs {
    /// The key file: given, or `audit.key` beside the SQLite file, or `data/audit.key`.
    pub(crate) fn key(&self) -> PathBuf {
        if let Some(k) = &self.audit_key {
            return k.clone();
        }
        database_url(self.database.as_deref())
            .ok()
            .and_then(|u| u.sqlite_file())
            .map_or_else(
                || PathBuf::from("data/audit.key"),
                |f| f.with_file_name("audit.key"),
            )
    }

    /// Refuses a SQLite file that is not there unless `--create` says to make it: a mistyped
    /// path must not silently start an empty installation.
    pub(crate) fn refuse_missing(&self) -> Result<()> {
        let url = database_url(self.database.as_deref())?;
        match url.sqlite_file() {
            Some(file) if !self.create && !file.exists() => bail!(
                "数据库文件 {} 不存在。要新建一个数据库，请加 --create；要用已有的数据库，请检查 \
                 --database（或环境变量 GAOXIN_DATABASE）/ the database file {} is not there. Add \
                 --create to make a new database, or check --database (or GAOXIN_DATABASE)",
                file.display(),
                file.display()
            ),
            _ => Ok(()),
        }
    }

    /// The anchor file: given, or `audit.anchor` beside the key.
    pub(crate) fn anchor(&self) -> PathBuf {
        self.audit_anchor
            .clone()
            .unwrap_or_else(|| self.key().with_file_name("audit.anchor"))
    }
}

/// The database as a console command uses it: migrated, its audit key loaded (made anew only
/// on a database whose audit log is empty), business changes sealed with it, and the bundled
/// seed plan loaded into a fresh database.
pub(crate) struct Opened {
    pub(crate) store: Store,
    pub(crate) key: gaoxin_store::AuditKey,
    anchor: PathBuf,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("anchor", &self.anchor)
            .finish_non_exhaustive()
    }
}

/// Opens the database of `data` for a command; a fresh one gets the bundled seed plan.
pub(crate) async fn open(data: &DataArgs) -> Result<Opened> {
    open_seeded(data, true).await
}

/// [`open`], seeding a fresh database or not (`plan load` brings its own plan).
pub(crate) async fn open_seeded(data: &DataArgs, seed: bool) -> Result<Opened> {
    data.refuse_missing()?;
    let url = database_url(data.database.as_deref())?;
    let store = Store::open(&url).await?;
    let key = audit_key(&store, &data.key()).await?;
    let store = store.sealing(key.clone());
    if seed && store.current_plan_version_id().await?.is_none() {
        let loaded = store
            .load_plan(SEED_PLAN_NAME, SEED_PLAN, gaoxin_store::now())
            .await?;
        tracing::info!(
            version = loaded.version().version_no,
            "fresh database: loaded the bundled seed plan"
        );
    }
    if seed && store.framework_versions().await?.is_empty() {
        for (name, source) in BUNDLED_FRAMEWORKS {
            store
                .load_framework(name, source, None, gaoxin_store::now())
                .await?;
        }
        tracing::info!("loaded the bundled evaluation frameworks");
    }
    Ok(Opened {
        store,
        key,
        anchor: data.anchor(),
    })
}

impl Opened {
    /// Writes the audit chain's head to the anchor file (the command may have added events)
    /// and closes the database.
    pub(crate) async fn close(self) -> Result<()> {
        let anchored = self
            .store
            .anchor_audit(&self.key, &self.anchor, gaoxin_store::now())
            .await;
        self.store.close().await;
        anchored?;
        Ok(())
    }

    /// Runs `work` on the store, then closes it (anchoring the audit chain) whatever `work`
    /// returned.
    pub(crate) async fn run<T>(self, work: impl AsyncFnOnce(&Store) -> Result<T>) -> Result<T> {
        let result = work(&self.store).await;
        let closed = self.close().await;
        let value = result?;
        closed?;
        Ok(value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

pub use gaoxin_core::csv::line as csv_line;

pub fn database_url(database: Option<&str>) -> Result<DatabaseUrl> {
    Ok(match database {
        Some(url) => DatabaseUrl::parse(url)?,
        None => DatabaseUrl::default_sqlite(),
    })
}

/// The plan in force in the database.
pub async fn current_plan(store: &Store) -> Result<Plan> {
    Ok(store
        .current_plan()
        .await?
        .context("数据库中没有方案 / no plan in the database")?
        .plan)
}

/// What an import at the console works with: the store, its current plan, and the account
/// whose rights apply (which must exist and not be disabled).
pub async fn importer(store: &Store, username: &str) -> Result<(Plan, gaoxin_store::Account)> {
    let plan = current_plan(store).await?;
    let account = store
        .account(username)
        .await?
        .with_context(|| format!("没有账号 {username} / no account {username}"))?;
    if account.disabled {
        anyhow::bail!("账号 {username} 已停用 / account {username} is disabled");
    }
    Ok((plan, account))
}

/// A zone of the plan by its id or name, or an error listing the ids.
pub fn zone_id(plan: &Plan, zone: &str) -> Result<String> {
    if let Some(z) = plan.zones().find(|u| u.id == zone || u.name == zone) {
        return Ok(z.id.clone());
    }
    let known: Vec<&str> = plan.zones().map(|u| u.id.as_str()).collect();
    bail!(
        "没有高新区“{zone}”，可用：{} / no zone \"{zone}\"; use one of: {}",
        known.join("、"),
        known.join(", ")
    )
}

/// A text file's contents, or an error naming it.
pub fn read_text(file: &Path) -> Result<String> {
    std::fs::read_to_string(file).with_context(|| {
        format!(
            "无法读取 {} / cannot read {}",
            file.display(),
            file.display()
        )
    })
}

/// A file's bytes, or an error naming it.
pub fn read_file(file: &Path) -> Result<Vec<u8>> {
    std::fs::read(file).with_context(|| {
        format!(
            "无法读取 {} / cannot read {}",
            file.display(),
            file.display()
        )
    })
}

/// The audit key: read from its file; made anew only while the audit log is empty, so a lost
/// key is an error rather than a silently restarted chain.
pub async fn audit_key(store: &Store, path: &Path) -> Result<AuditKey> {
    // An empty file is what an older gaoxin killed during its first start left behind: with
    // no event sealed yet, it is replaced.
    let empty = std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
    if empty && store.audit_is_empty().await? {
        std::fs::remove_file(path).with_context(|| {
            format!(
                "无法替换空的审计密钥文件 / cannot replace the empty key file {}",
                path.display()
            )
        })?;
    }
    if path.exists() {
        return Ok(AuditKey::read(path)?);
    }
    if store.audit_is_empty().await? {
        // Another process starting at the same moment may make it first: then its is read.
        let key = AuditKey::create(path)?;
        tracing::info!(path = %path.display(), "the audit key file is there; back it up, apart from the database");
        return Ok(key);
    }
    if path.exists() {
        // Made by a process that started with this one, and already used.
        return Ok(AuditKey::read(path)?);
    }
    bail!(
        "审计密钥文件 {p} 不存在，而审计日志中已有事件：请恢复该文件（或用 --audit-key 指向它）/ \
         the audit key file {p} is missing but the audit log has events: restore it (or point --audit-key at it)",
        p = path.display()
    )
}

/// Every error of an import file by line and column, on stderr; nothing was imported.
pub(crate) fn report_errors(file: &Path, errors: &[gaoxin_core::rows::RowError]) -> ExitCode {
    for e in errors {
        eprintln!("{}:{}: {e}", file.display(), e.line);
    }
    eprintln!(
        "{} 处错误，没有导入任何数据 / {} error(s); nothing was imported",
        errors.len(),
        errors.len()
    );
    ExitCode::FAILURE
}
