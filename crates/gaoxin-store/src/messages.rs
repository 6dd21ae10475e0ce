//! The store's wording: every error the store gives, in Chinese and English, parameters filled
//! in (see `gaoxin_core::text`). Each error type's `Display` is this text with both languages,
//! for logs and the console; a page shows the reader's language. Database detail (the source
//! error) goes to the log only.

use crate::error::{Backup, DispatchError, FigureError, LedgerError, StoreError, SupervisionError};
use gaoxin_core::text::{Message, Text};

impl Message for StoreError {
    fn text(&self) -> Text {
        match self {
            StoreError::UnsupportedUrl { url } => Text::new(
                format!(
                    "不支持的数据库地址“{url}”：请使用 sqlite://路径 或 postgres://用户@主机/库名"
                ),
                format!(
                    "unsupported database URL \"{url}\": use sqlite://PATH or postgres://USER@HOST/DB"
                ),
            ),
            StoreError::CreateDir { dir, source } => Text::new(
                format!("无法创建数据库目录 {dir}：{source}"),
                format!("cannot create the database folder {dir}: {source}"),
            ),
            StoreError::Connect { url, source } => Text::new(
                format!("无法连接数据库 {url}：{source}"),
                format!("cannot connect to the database {url}: {source}"),
            ),
            StoreError::Migrate {
                version,
                name,
                source,
            } => Text::new(
                format!("数据库迁移 {version}（{name}）失败：{source}"),
                format!("migration {version} ({name}) failed: {source}"),
            ),
            StoreError::SchemaTooNew { found, known } => Text::new(
                format!(
                    "数据库的结构版本 {found} 比本程序认识的 {known} 新：请使用更新版本的 gaoxin"
                ),
                format!(
                    "the database schema version {found} is newer than this program's {known}: \
                     use a newer gaoxin"
                ),
            ),
            StoreError::InvalidPlan(errors) => {
                let t = errors.text();
                Text::new(
                    format!("方案文件无效：\n{}", t.zh),
                    format!("the plan file is not valid:\n{}", t.en),
                )
            }
            StoreError::CorruptPlan { version, errors } => {
                let t = errors.text();
                Text::new(
                    format!("数据库中保存的方案版本 {version} 无法解析：\n{}", t.zh),
                    format!("stored plan version {version} cannot be parsed:\n{}", t.en),
                )
            }
            StoreError::InvalidFramework(errors) => {
                let t = errors.text();
                Text::new(
                    format!("评价框架文件无效：\n{}", t.zh),
                    format!("the evaluation framework file is not valid:\n{}", t.en),
                )
            }
            StoreError::SamplePeerSet { peer_set } => Text::new(
                format!(
                    "对标集合“{peer_set}”中是示例数据：真实数据不与示例数据混在一起。\
                     请在单独的数据库（不带 --demo）中导入。"
                ),
                format!(
                    "peer set \"{peer_set}\" holds sample data: real data is not mixed with it. \
                     Import into a database of its own (started without --demo)."
                ),
            ),
            StoreError::CorruptFramework { version, errors } => {
                let t = errors.text();
                Text::new(
                    format!("数据库中保存的评价框架版本 {version} 无法解析：\n{}", t.zh),
                    format!(
                        "stored evaluation framework version {version} cannot be parsed:\n{}",
                        t.en
                    ),
                )
            }
            StoreError::AccountExists { username } => Text::new(
                format!("账号 {username} 已存在"),
                format!("account {username} already exists"),
            ),
            StoreError::NoSuchAccount { username } => Text::new(
                format!("没有账号 {username}"),
                format!("no account {username}"),
            ),
            StoreError::OwnRoles => {
                Text::new("不能修改自己的角色", "no one may change their own roles")
            }
            StoreError::AdminAtConsole(e) => e.text(),
            StoreError::AlreadyDisabled { username } => Text::new(
                format!("账号 {username} 已是停用状态"),
                format!("account {username} is already disabled"),
            ),
            StoreError::InvalidRoles(e) => e.text(),
            StoreError::InvalidProfile(e) => e.text(),
            StoreError::InvalidEmail { address } => Text::new(
                format!(
                    "电子邮箱“{address}”无效：须为 name@example.gov.cn 这样的地址，不含空格和分隔符"
                ),
                format!(
                    "\"{address}\" is not an address we send to: name@example.gov.cn, no spaces or separators"
                ),
            ),
            StoreError::AuditKey { path, why } => Text::new(
                format!("审计密钥文件 {path} 无法使用：{why}"),
                format!("the audit key file {path} cannot be used: {why}"),
            ),
            StoreError::AuditKeyMalformed { path } => Text::new(
                format!("审计密钥文件 {path} 无法使用：不是 64 位十六进制数"),
                format!("the audit key file {path} cannot be used: not 64 hex digits"),
            ),
            StoreError::AuditAnchorForeign { path } => Text::new(
                format!("审计锚点文件 {path} 无法使用：不是用此审计密钥签署的锚点"),
                format!(
                    "the audit anchor file {path} cannot be used: not an anchor sealed with this \
                     audit key"
                ),
            ),
            StoreError::AuditHeadCorrupt => Text::new(
                "审计链头损坏：请运行 gaoxin audit verify",
                "the audit chain head is corrupt: run gaoxin audit verify",
            ),
            StoreError::NoAuditKey => Text::new(
                "审计密钥未载入：业务数据的修改必须记入审计链",
                "the audit key is not loaded: business changes must be sealed into the audit chain",
            ),
            StoreError::AuditAnchor { path, why } => Text::new(
                format!("审计锚点文件 {path} 无法使用：{why}"),
                format!("the audit anchor file {path} cannot be used: {why}"),
            ),
            StoreError::Random(why) => Text::new(
                format!("无法取得随机数：{why}"),
                format!("no randomness from the system: {why}"),
            ),
            StoreError::AuditRead(why) => Text::new(
                format!("无法读取审计日志以校验：{why}"),
                format!("the audit log could not be read for its check: {why}"),
            ),
            StoreError::ImportWrite(why) => Text::new(
                format!("写入导入的记录失败：{why}"),
                format!("writing the import's records failed: {why}"),
            ),
            StoreError::Backup(b) => b.text(),
            StoreError::Database(e) => Text::new(
                format!("数据库操作失败：{e}"),
                format!("database operation failed: {e}"),
            ),
        }
    }
}

impl Message for DispatchError {
    fn text(&self) -> Text {
        match self {
            DispatchError::Fields(_) => {
                Text::new("有的内容需要改正", "some fields need correcting")
            }
            DispatchError::NotPermitted => Text::new("无权进行此操作", "not permitted"),
            DispatchError::NotFound => Text::new("工作事项不存在", "no such work item"),
            DispatchError::Stale { by } => Text::new(
                format!("该工作事项已被 {by} 修改，您的修改没有保存：请刷新后重新修改"),
                format!("{by} changed this item since you opened it; your change was not saved"),
            ),
            DispatchError::Period { period } => Text::new(
                format!("报送期 {period} 无效：只能报送本期或以前各期，且不早于事项建立的时间"),
                format!(
                    "period {period} cannot be reported: only this period or earlier ones since \
                     the item was set up"
                ),
            ),
            DispatchError::Attachment(e) => e.text(),
            DispatchError::AttachmentGone => Text::new(
                "附件已失效，请重新上传",
                "an attachment is gone; upload it again",
            ),
            DispatchError::NotStanding => Text::new(
                "这份报告已被退回，或此后已有新的报告：只能退回承办单位本期最新的一份报告",
                "this report was returned already, or a later one was filed: only the unit's \
                 latest report for the period can be returned",
            ),
            DispatchError::Store(e) => e.text(),
        }
    }
}

impl Message for LedgerError {
    fn text(&self) -> Text {
        match self {
            LedgerError::NotPermitted => Text::new(
                "无权修改该区域的台账记录",
                "not permitted to change records of this unit",
            ),
            LedgerError::NotFound => Text::new("记录不存在", "no such record"),
            LedgerError::Stale { by, version } => Text::new(
                format!(
                    "该记录已被 {by} 修改（版本 {version}），您的修改没有保存：请查看最新内容后重新修改"
                ),
                format!(
                    "{by} changed this record (version {version}) since you opened it; your \
                     change was not saved"
                ),
            ),
            LedgerError::Duplicate { id: Some(id) } => Text::new(
                format!("已有相同的记录（编号 {id}）"),
                format!("the same record already exists (no. {id})"),
            ),
            LedgerError::Duplicate { id: None } => Text::new(
                "已有相同代码的记录，属于您无权查看的单位：请联系调度员",
                "a record with the same code exists in a unit you cannot see: ask the dispatch office",
            ),
            LedgerError::Importing => Text::new(
                "该代码的记录正由一次导入写入，请稍后再试",
                "a record with this code is being imported right now; try again shortly",
            ),
            LedgerError::MissingRef { ledger, key } => Text::new(
                format!("{ledger}台账中没有“{key}”"),
                format!("\"{key}\" is not in the {ledger} ledger"),
            ),
            LedgerError::KeyInUse { count } => Text::new(
                format!("{count} 条其他台账记录引用了该记录的代码，不能修改代码"),
                format!(
                    "{count} records of other ledgers refer to this record's code, which \
                     therefore cannot change"
                ),
            ),
            LedgerError::Store(e) => e.text(),
        }
    }
}

impl Message for SupervisionError {
    fn text(&self) -> Text {
        match self {
            SupervisionError::Rule(e) => e.text(),
            SupervisionError::NotFound => Text::new("督办单不存在", "no such order"),
            SupervisionError::Attachment(e) => e.text(),
            SupervisionError::AttachmentGone => Text::new(
                "附件已失效，请重新上传",
                "an attachment is gone; upload it again",
            ),
            SupervisionError::Store(e) => e.text(),
        }
    }
}

impl Message for FigureError {
    fn text(&self) -> Text {
        match self {
            FigureError::Workflow(e) => e.text(),
            FigureError::Store(e) => e.text(),
        }
    }
}

/// Why the store refuses a row of an import (the checks that need the database).
#[derive(Debug, Clone)]
pub(crate) enum ImportRefusal<'a> {
    /// A referenced record (an enterprise) is not in its ledger.
    MissingReference {
        ledger_zh: &'a str,
        ledger_en: &'a str,
        key: &'a str,
    },
    /// The account may not enter or change records of the row's unit.
    NotPermitted,
    /// Another file is being imported into the ledger.
    AnotherImport { other: &'a str, minutes: i64 },
    /// A record with the same code was added while the import ran.
    AddedMeanwhile,
    /// A record was changed while the import ran.
    ChangedMeanwhile,
    /// Two rows of a figures import for one zone, figure and period.
    RepeatedFigure { first: usize },
}

impl Message for ImportRefusal<'_> {
    fn text(&self) -> Text {
        match self {
            ImportRefusal::MissingReference {
                ledger_zh,
                ledger_en,
                key,
            } => Text::new(
                format!("{ledger_zh}台账中没有“{key}”：请先导入该企业。"),
                format!("\"{key}\" is not in the {ledger_en} ledger: import it first."),
            ),
            ImportRefusal::NotPermitted => Text::new(
                "无权录入或修改该区域的记录。",
                "not permitted to enter or change records of this unit.",
            ),
            ImportRefusal::AnotherImport { other, minutes } => Text::new(
                format!(
                    "该台账正在导入另一个文件（{other}），请等它完成后再试；若那次导入已中断，{minutes} 分钟后自动清除。"
                ),
                format!(
                    "another file ({other}) is being imported into this ledger: try again when it \
                     is done; an interrupted import is cleared after {minutes} minutes."
                ),
            ),
            ImportRefusal::AddedMeanwhile => Text::new(
                "导入期间有人新增了相同代码的记录，整个文件没有导入：请重新上传。",
                "someone added a record with the same code during the import; nothing was \
                 imported: upload again.",
            ),
            ImportRefusal::ChangedMeanwhile => Text::new(
                "导入期间该记录被他人修改，整个文件没有导入：请重新上传。",
                "someone changed this record during the import; nothing was imported: upload again.",
            ),
            ImportRefusal::RepeatedFigure { first } => Text::new(
                format!(
                    "与第 {first} 行重复：同一区域、同一数据项、同一报告期只能有一行，请删去其中一行。"
                ),
                format!(
                    "repeats line {first}: one zone, figure and period may have one row only; \
                     delete one of them."
                ),
            ),
        }
    }
}

/// The notices the store posts to inboxes and sends out. They are written in Chinese, the
/// office's language, and stored as written.
pub(crate) mod notices {
    /// A progress report is due (or overdue) for a period.
    pub(crate) fn report_due(period: &str, due: &str, overdue: bool) -> String {
        if overdue {
            format!("{period} 的进展报告应于 {due} 前报送，尚未报送。")
        } else {
            format!("{period} 的进展报告请于 {due} 前报送。")
        }
    }

    /// A progress report was returned to the unit.
    /// A bulletin published (the office's words; the link opens it).
    pub(crate) fn bulletin_published(line: &str, month: &str, office: &str) -> String {
        format!("{office}印发《高新区三年提升工作调度通报》{line}（{month}），请查阅并抓好落实。")
    }

    pub(crate) fn report_returned(period: &str, reason: &str) -> String {
        format!("{period} 的进展报告被调度办退回，请修改后重新报送。\n退回原因：{reason}")
    }

    /// An order's deadline is near, or passed (and the order escalated).
    pub(crate) fn order_due(deadline: &str, overdue: bool) -> String {
        if overdue {
            format!("办理期限 {deadline} 已过，尚未反馈；已提级督办。")
        } else {
            format!("办理期限 {deadline}，请按期反馈。")
        }
    }

    /// What a 督办 step that records without moving the order tells its audience: 延期申请 and
    /// its decision, 催办, 领导批示. `deadline` is the order's deadline after the step, `asked`
    /// the day the unit asked for, both as people read them.
    pub(crate) fn order_record(
        action: gaoxin_core::supervise::Action,
        deadline: &str,
        asked: &str,
        note: &str,
    ) -> String {
        use gaoxin_core::supervise::Action;
        let with = |head: String| {
            if note.is_empty() {
                head
            } else {
                format!("{head}\n{note}")
            }
        };
        match action {
            Action::RequestExtension => with(format!(
                "承办单位申请将办理期限由 {deadline} 延至 {asked}，请审批。理由："
            )),
            Action::GrantExtension => with(format!("同意延期，办理期限改为 {deadline}。")),
            Action::RefuseExtension => with(format!("不同意延期，办理期限仍为 {deadline}。理由：")),
            Action::Urge => with(format!("请抓紧办理，办理期限 {deadline}。")),
            Action::Instruct => with("领导批示：".to_string()),
            _ => note.to_string(),
        }
    }

    /// A figure notice's title, body and link.
    pub(crate) struct FigureText {
        pub title: String,
        pub body: String,
        pub link: String,
    }

    /// The notice of a step on figures (`values`: one step's, or one import's for this account).
    pub(crate) fn figures(
        plan: &gaoxin_core::Plan,
        notice: gaoxin_core::monitor::workflow::Notice,
        values: &[&crate::FigureValue],
        reason: &str,
        by: &str,
    ) -> FigureText {
        use gaoxin_core::monitor::workflow::Notice;
        use gaoxin_core::text::Lang::Zh;
        let unit = |u: &str| {
            plan.unit(u)
                .map_or_else(|| u.to_string(), |x| x.name.clone())
        };
        let line = |v: &crate::FigureValue| {
            let (name, measure) = plan.figure(&v.figure).map_or((v.figure.as_str(), ""), |f| {
                (f.name.as_str(), f.unit.as_str())
            });
            let n = gaoxin_core::plan::format_rounded(v.value);
            let value = if measure == "%" {
                format!("{n}%")
            } else {
                format!("{n} {measure}")
            };
            format!(
                "{} · {} · {}：{value}",
                unit(&v.unit),
                v.period.human(Zh),
                name
            )
        };
        let first = values.first();
        let title = match (first, values.len()) {
            (None, _) => String::new(),
            (Some(v), 1) => line(v),
            (Some(v), n) => format!("{} · {} 等 {n} 项", unit(&v.unit), v.period.human(Zh)),
        };
        let lines: Vec<String> = values.iter().take(20).map(|v| line(v)).collect();
        let more = if values.len() > 20 {
            format!("\n……共 {} 项", values.len())
        } else {
            String::new()
        };
        let what = match notice {
            Notice::Submitted => format!("{by} 已提交，请审核。"),
            Notice::Reviewed => format!("{by} 已审核通过，请确认。"),
            Notice::Returned => format!("{by} 退回，原因：{reason}。请修改后重新提交。"),
            Notice::Confirmed => format!("{by} 已确认。"),
            // The periodic check's notices are written by `figures_deadline`.
            Notice::DueSoon | Notice::Missed => String::new(),
        };
        let link = match (notice, first) {
            (Notice::Submitted | Notice::Reviewed, _) | (_, None) => "/figures/review".to_string(),
            (Notice::Returned | Notice::Confirmed | Notice::DueSoon | Notice::Missed, Some(v)) => {
                format!("/figures?unit={}&period={}", v.unit, v.period)
            }
        };
        FigureText {
            title,
            body: format!("{what}\n{}{more}", lines.join("\n")),
            link,
        }
    }

    /// A unit's figures of a period not in yet, as the deadline nears or after it passed: the
    /// title and the body.
    pub(crate) fn figures_deadline(
        unit: &str,
        period: &str,
        deadline: &str,
        missing: &[&str],
        missed: bool,
    ) -> (String, String) {
        let list = missing.join("、");
        let n = missing.len();
        if missed {
            (
                format!("{unit} · {period} 基础数据逾期未报"),
                format!(
                    "{period} 的基础数据已于 {deadline} 截止，尚有 {n} 项未提交：{list}。请尽快报送，或联系调度员重新开放该期。"
                ),
            )
        } else {
            (
                format!("{unit} · {period} 基础数据临近截止"),
                format!("{period} 的基础数据请于 {deadline} 前提交，尚有 {n} 项未提交：{list}。"),
            )
        }
    }

    /// An order's number, as the office writes it: 督办〔2026〕12号.
    pub(crate) fn order_number(year: i64, id: i64) -> String {
        format!("督办〔{year}〕{id}号")
    }
}

impl Message for Backup {
    fn text(&self) -> Text {
        match self {
            Backup::DestinationExists { path } => Text::new(
                format!("{path} 已存在，备份不覆盖文件"),
                format!("{path} exists; a backup overwrites nothing"),
            ),
            Backup::DanglingRows { table } => Text::new(
                format!("备份中的 {table} 表引用了不存在的记录"),
                format!("table {table} of the backup refers to rows that are not there"),
            ),
            Backup::Unreadable { path, why } => Text::new(
                format!("无法读取备份 {path}：{why}"),
                format!("cannot read the backup {path}: {why}"),
            ),
            Backup::TargetExists { path } => Text::new(
                format!("{path} 已存在：恢复会覆盖它，确认请加 --force（先停止 gaoxin）"),
                format!(
                    "{path} exists: restoring replaces it; add --force to confirm (stop gaoxin first)"
                ),
            ),
            Backup::TargetHoldsTables => Text::new(
                "目标 PostgreSQL 数据库中已有 gaoxin 的数据表：恢复会删除它们，确认请加 --force（先停止 gaoxin）",
                "the target PostgreSQL database holds gaoxin's tables: restoring drops them; add \
                 --force to confirm (stop gaoxin first)",
            ),
            Backup::Io { why } => Text::new(
                format!("恢复时文件操作失败：{why}"),
                format!("a file operation of the restore failed: {why}"),
            ),
        }
    }
}

/// 示例数据: what marks sample data wherever it shows (the audit log, the imports list).
pub(crate) const SAMPLE_MARK: &str = "示例数据";
/// The dispatcher sample data is entered by.
pub(crate) const SAMPLE_DISPATCHER: &str = "示例·调度员";

/// The reporter of `unit` sample data is entered by.
pub(crate) fn sample_reporter(unit: &str) -> String {
    format!("示例·{unit}")
}
