//! Command-line parsing and the subcommands.

use crate::data::{
    DataArgs, Format, SEED_PLAN, SEED_PLAN_NAME, csv_line, current_plan, database_url, open,
    open_seeded,
};
use crate::{
    bench, bench_audit, bench_ledgers, bench_lists, bench_load, benchmark, ledger, monitor, users,
};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use gaoxin_core::plan::{Plan, format_value, target_rows, task_rows};
use gaoxin_store::{PlanLoad, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "gaoxin",
    version,
    about = "高新区三年提升调度平台 / runs a city's high-tech-zone improvement plan"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum EvaluationCommand {
    /// 校验评价框架文件：每处错误给出文件、行、列和改法 / validate framework files: every error
    /// with file, line, column and a fix
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 载入评价框架文件为其框架的新版本（同一文件再载入不变）/ load a framework file as the next
    /// version of its framework (the same file twice changes nothing)
    Load {
        file: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 列出数据库中各评价框架的各个版本 / the framework versions in the database
    List {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 启动网页服务 / serve the web application
    Serve {
        /// 监听地址 / address to listen on
        #[arg(long, env = "GAOXIN_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        data: DataArgs,
        /// 经 HTTPS 提供服务（直接或经反向代理）：Cookie 加 Secure 与 __Host- 前缀 /
        /// served over HTTPS (directly or behind a proxy): cookies get Secure and __Host-
        #[arg(long, env = "GAOXIN_HTTPS")]
        https: bool,
        #[command(flatten)]
        password: PasswordArgs,
        /// 连续登录失败多少次锁定账号 / failed logins in a row that lock an account
        #[arg(long, env = "GAOXIN_LOCKOUT_FAILURES", default_value_t = 5)]
        lockout_failures: i64,
        /// 锁定多少分钟 / minutes a locked account stays locked
        #[arg(long, env = "GAOXIN_LOCKOUT_MINUTES", default_value_t = 30)]
        lockout_minutes: i64,
        /// 载入 2024-01 至本月的示例数据（页面和导出均标明“示例数据”）/
        /// load sample figures from 2024-01 to this month, marked 示例数据 everywhere
        #[arg(long)]
        demo: bool,
        /// 发送提醒邮件的邮件服务器（内网中继，明文 SMTP）/ the mail relay for reminders
        /// (plain SMTP), host:port
        #[arg(long, env = "GAOXIN_SMTP")]
        smtp: Option<String>,
        /// 提醒邮件的发件地址 / the reminders' sender address
        #[arg(
            long,
            env = "GAOXIN_SMTP_FROM",
            default_value = "gaoxin@localhost.localdomain"
        )]
        smtp_from: String,
        /// 用户打开 gaoxin 的地址，写在提醒的链接前 / the address people open gaoxin at, put before
        /// reminders' links (e.g. http://gaoxin.intranet)
        #[arg(long, env = "GAOXIN_BASE_URL")]
        base_url: Option<String>,
    },
    /// 站外提醒：账号的电子邮箱、单位工作群机器人 / reminders beyond the app: accounts' e-mail,
    /// units' group robots
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// 性能基准：在生成的全国规模数据库上测量驾驶舱接口 / benchmark the cockpit on a generated
    /// national-scale database (see BENCHMARKS.md)
    Bench {
        /// 基准数据库所在目录（生成一次，之后复用）/ folder of the bench database (generated once)
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// 改用此数据库（如 PostgreSQL）/ use this database instead (e.g. PostgreSQL)
        #[arg(long)]
        database: Option<String>,
        /// 高新区个数 / number of zones
        #[arg(long, default_value_t = 600)]
        zones: usize,
        /// 基础数据起始年份 / first year of figures
        #[arg(long, default_value_t = 2015)]
        since: i32,
        /// 测量的报告期 / the period measured
        #[arg(long, default_value = "2026-06")]
        period: String,
        /// 单区驾驶舱请求次数 / cockpit requests
        #[arg(long, default_value_t = 1000)]
        requests: usize,
    },
    /// 从 Excel 导入台账：边读边检查边写入，任何一行出错则全部不写 /
    /// import a ledger from an .xlsx file: read, checked and written as it streams, all rows or none
    Import {
        /// 台账：enterprises、qualifications、platforms、incubators、talents、liaisons、events、
        /// targets、projects、land、energy-audits、funds / the ledger
        ledger: String,
        file: PathBuf,
        #[command(flatten)]
        import: ImportArgs,
    },
    /// 把台账导出为 Excel / export a ledger to an .xlsx file
    Export {
        /// 台账 / the ledger
        ledger: String,
        /// 输出文件，默认 LEDGER.xlsx / output file
        #[arg(long)]
        out: Option<PathBuf>,
        /// 只导出此区域（及其下属区域）/ only this unit and the units under it
        #[arg(long)]
        unit: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 台账性能基准：导入 10 万行企业台账（与 Python 对照）、30 万条记录的列表页 /
    /// benchmark ledger import (against a Python peer) and the list page (see BENCHMARKS.md)
    BenchLedgers {
        /// 基准文件与数据库所在目录 / folder of the bench files and databases
        #[arg(long, default_value = "target/bench-ledgers")]
        dir: PathBuf,
        /// 导入工作簿的行数 / rows of the imported workbook
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// 列表页测量时的记录数 / records when measuring the list page
        #[arg(long, default_value_t = 300_000)]
        list_rows: usize,
        /// 每种列表请求的次数 / requests per kind of list request
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// 对照脚本所用的 Python / the Python that runs the peer script
        #[arg(long, default_value = "python3")]
        python: String,
        /// 只测列表页（不导入、不跑对照脚本）/ only the list page (no import, no peer)
        #[arg(long)]
        list_only: bool,
        /// 列表页改用这个数据库（如 PostgreSQL）/ the list page on this database instead (PostgreSQL, say)
        #[arg(long)]
        list_database: Option<String>,
        /// 导入改到这个 PostgreSQL 基准库（先删除重建）/ the import into this PostgreSQL bench
        /// database (dropped and made anew first)
        #[arg(long)]
        import_database: Option<String>,
        /// 不跑 Python 对照脚本 / no Python peer
        #[arg(long)]
        skip_peer: bool,
    },
    /// 审计链校验基准：生成数百万条审计事件，测量 gaoxin audit verify 的速度和峰值内存 / benchmark
    /// `gaoxin audit verify` on a generated chain of millions of events (see BENCHMARKS.md)
    BenchAudit {
        /// 基准数据库所在目录 / folder of the bench database
        #[arg(long, default_value = "target/bench-audit")]
        dir: PathBuf,
        /// 审计事件数 / events in the chain
        #[arg(long, default_value_t = 10_000_000)]
        events: i64,
        /// 改用这个数据库（如 PostgreSQL）/ use this database instead (PostgreSQL, say)
        #[arg(long)]
        database: Option<String>,
    },
    /// 列表性能基准：10 万件督办单、100 万条审计事件时的各列表页 / benchmark the list pages
    /// (督办单, audit log, inbox, work items) on 100,000 orders and 1,000,000 audit events
    /// (see BENCHMARKS.md)
    BenchLists {
        /// 基准数据库所在目录 / folder of the bench database
        #[arg(long, default_value = "target/bench-lists")]
        dir: PathBuf,
        /// 督办单件数 / supervision orders
        #[arg(long, default_value_t = 100_000)]
        orders: i64,
        /// 审计事件数 / audit events
        #[arg(long, default_value_t = 1_000_000)]
        events: i64,
        /// 一个账号的消息数 / messages of one account
        #[arg(long, default_value_t = 20_000)]
        messages: i64,
        /// 工作事项数 / work items
        #[arg(long, default_value_t = 5_000)]
        items: i64,
        /// 每种请求的次数 / requests per kind
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// 改用这个数据库（如 PostgreSQL）/ use this database instead (PostgreSQL, say)
        #[arg(long)]
        database: Option<String>,
    },
    /// 负载基准：wrk 模拟 200 个已登录用户并发访问 gaoxin serve（与裸 axum 上限对照）/ load test:
    /// wrk plays 200 signed-in users against `gaoxin serve`, beside a bare axum ceiling
    /// (see BENCHMARKS.md; needs wrk: apt-get install wrk)
    BenchLoad {
        /// 基准数据库所在目录 / folder of the bench database
        #[arg(long, default_value = "target/bench-load")]
        dir: PathBuf,
        /// 并发用户数 / concurrent users
        #[arg(long, default_value_t = 200)]
        users: usize,
        /// 企业台账记录数 / enterprise records
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// 每轮秒数 / seconds per run
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// wrk 程序 / the wrk program
        #[arg(long, default_value = "wrk")]
        wrk: String,
        /// 改用这个数据库（如 PostgreSQL）/ use this database instead (PostgreSQL, say)
        #[arg(long)]
        database: Option<String>,
    },
    /// 基础数据 / figures
    Figures {
        #[command(subcommand)]
        command: FiguresCommand,
    },
    /// 某高新区某期各指标的实际值、序时目标、目标、状态与预计全年 /
    /// every target of a zone at a period: actual, expected, target, status, forecast
    Status {
        /// 高新区 id 或名称 / zone id or name
        #[arg(long)]
        zone: String,
        /// 报告期 YYYY-MM / period
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// 改为列出该区及全市合计的任务量化子目标（各按其目标年度）/ list the zone's (and the
        /// zones' joint) quantified sub-targets instead, each judged for its own year
        #[arg(long)]
        subtargets: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 方案文件 / plan files
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// 评价框架文件（对标分析）/ evaluation framework files (benchmarking)
    Evaluation {
        #[command(subcommand)]
        command: EvaluationCommand,
    },
    /// 对标分析：某高新区在其评价框架下各指标的位置、估算得分与排名 /
    /// benchmarking: a zone's position on every indicator of its evaluation, estimated score and rank
    Benchmark {
        /// 高新区 id 或名称 / zone id or name
        #[arg(long)]
        zone: String,
        /// 评价框架 id，缺省为方案指定的 / framework id; the plan's if omitted
        #[arg(long)]
        framework: Option<String>,
        /// 数据年度（评价年度的上一年），缺省为最新 / data year (the year before the evaluation's);
        /// the newest if omitted
        #[arg(long)]
        year: Option<i32>,
        /// 打分方法 / scoring method: min-max, benchmark, z-score
        #[arg(long, default_value = "min-max")]
        method: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 账号 / accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// 备份：整个数据库（一致的在线副本，服务运行时也可做）、审计密钥、锚点和清单，写入新目录 /
    /// back up the whole database (a consistent online copy, while gaoxin serves), the audit key,
    /// the anchor and a manifest into a new folder
    Backup {
        /// 备份目录（不存在或为空）/ the backup folder (new or empty)
        dest: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 从备份恢复（先停止 gaoxin）：覆盖已有数据须加 --force；恢复后校验审计链 / restore from
    /// a backup (stop gaoxin first): replacing data needs --force; the audit chain is verified after
    Restore {
        /// gaoxin backup 写出的目录 / a folder gaoxin backup wrote
        src: PathBuf,
        /// 覆盖已有的数据库和不同的审计密钥 / replace an existing database and a different audit key
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 审计日志 / the audit log
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

/// The password policy. The defaults are the 等保 profile; see docs/security.md for the
/// OWASP ASVS 5.0 profile (`--password-no-composition --password-max-age-days 0`).
#[derive(Debug, clap::Args)]
pub struct PasswordArgs {
    /// 口令最短长度 / minimum password length
    #[arg(long, env = "GAOXIN_PASSWORD_MIN_LENGTH", default_value_t = 8)]
    password_min_length: usize,
    /// 不要求口令同时含字母、数字和符号 / do not require letters, digits and symbols
    #[arg(long, env = "GAOXIN_PASSWORD_NO_COMPOSITION")]
    password_no_composition: bool,
    /// 口令最长使用天数，0 表示不强制更换 / days before a password must be changed; 0: never
    #[arg(long, env = "GAOXIN_PASSWORD_MAX_AGE_DAYS", default_value_t = 90)]
    password_max_age_days: u32,
}

impl PasswordArgs {
    pub fn policy(&self) -> gaoxin_core::auth::password::PasswordPolicy {
        gaoxin_core::auth::password::PasswordPolicy {
            min_length: self.password_min_length,
            require_mix: !self.password_no_composition,
            max_age_days: (self.password_max_age_days > 0).then_some(self.password_max_age_days),
        }
    }
}

#[derive(Debug, Subcommand)]
enum NotifyCommand {
    /// 设置账号接收提醒的电子邮箱（--clear 清除）/ set an account's e-mail for reminders
    Email {
        name: String,
        address: Option<String>,
        #[arg(long, conflicts_with = "address")]
        clear: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 设置单位工作群机器人的 webhook（http://，--clear 清除）/ set a unit's group-robot webhook
    Webhook {
        /// 方案中的部门 id / a department id of the plan
        unit: String,
        url: Option<String>,
        #[arg(long, conflicts_with = "url")]
        clear: bool,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// 新建账号 / create an account
    Add {
        name: String,
        /// 所属单位：方案中的部门 id 或名称 / the unit: a department id or name from the plan
        #[arg(long)]
        unit: String,
        /// 角色，可多次给出或用逗号分隔 / role(s), repeated or comma-separated
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        /// 从标准输入读口令，而不是生成一次性口令 / read the password from stdin instead of generating a one-time one
        #[arg(long)]
        password_stdin: bool,
        /// 姓名（办理记录中显示）/ the person's real name, shown in histories
        #[arg(long, default_value = "")]
        full_name: String,
        /// 电话 / the person's phone
        #[arg(long, default_value = "")]
        phone: String,
        #[command(flatten)]
        password: PasswordArgs,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 设置账号对应的人的姓名和电话 / set the real name and phone of an account's person
    Profile {
        name: String,
        #[arg(long, default_value = "")]
        full_name: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 列出账号 / list accounts
    List {
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 设置账号的角色（管理员角色只能在这里授予或收回）并结束其会话 / set an account's roles (the
    /// administrator roles are given and taken here only) and end its sessions
    Roles {
        name: String,
        /// 角色，可多次给出或用逗号分隔 / role(s), repeated or comma-separated
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 停用账号并结束其会话 / disable an account and end its sessions
    Disable {
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 重置忘记的口令：生成一次性口令，下次登录必须修改，会话结束，解除登录锁定 / reset a
    /// forgotten password: a one-time password, changed at the next sign-in; sessions end and the
    /// sign-in lock is lifted
    ResetPassword {
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 清除管理员的动态口令（手机丢失时），下次登录重新绑定 / clear an account's TOTP (a lost phone); it enrols again at the next sign-in
    ResetTotp {
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Subcommand)]
enum FiguresCommand {
    /// 补录历史数据：CSV（UTF-8）列 zone,figure,period,value[,explanation]，全部成功或全部不写 /
    /// back-fill figures from a CSV file; all rows or none
    Import {
        file: PathBuf,
        #[command(flatten)]
        import: ImportArgs,
    },
}

/// Who imports, whether for real, and where.
#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// 以哪个账号的权限导入（调度员导入的基础数据直接确认）/ the account whose rights apply (a
    /// dispatcher's figures are confirmed on import)
    #[arg(long = "as", value_name = "ACCOUNT")]
    account: String,
    /// 只检查，不写入 / check only, write nothing
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// 校验审计日志的哈希链 / verify the audit log's hash chain
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Subcommand)]
enum PlanCommand {
    /// 校验方案文件 / validate plan files
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 列出全部发展目标 / list every target
    Targets {
        /// 方案文件，缺省为内置方案 / plan file; the bundled plan if omitted
        file: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// 列出全部任务 / list every task
    Tasks {
        file: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// 同时列出三项保障措施 / also list the three safeguard measures
        #[arg(long)]
        include_safeguards: bool,
    },
    /// 把方案文件加载为一个方案版本 / load a plan file as a plan version
    Load {
        file: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 列出数据库中的方案版本 / list the plan versions in the database
    Versions {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let level = match std::env::var("GAOXIN_LOG").as_deref() {
        Ok("debug") => tracing::Level::DEBUG,
        Ok("warn") => tracing::Level::WARN,
        Ok("error") => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve {
            listen,
            data,
            https,
            password,
            lockout_failures,
            lockout_minutes,
            demo,
            smtp,
            smtp_from,
            base_url,
        } => {
            if !gaoxin_notify::valid_email(&smtp_from) {
                anyhow::bail!(
                    "--smtp-from “{smtp_from}”不是电子邮箱地址 / is not an e-mail address"
                );
            }
            let notify = gaoxin_notify::Config {
                smtp: smtp.map(|addr| gaoxin_notify::Smtp {
                    addr,
                    from: smtp_from,
                }),
                base_url,
            };
            let config = gaoxin_web::Config {
                https,
                password: password.policy(),
                login: gaoxin_store::LoginPolicy {
                    max_failures: lockout_failures.max(1),
                    lock_secs: lockout_minutes.max(1) * 60,
                    ..Default::default()
                },
                ..Default::default()
            };
            // `gaoxin serve` with no database named starts one at the default path, as the
            // README's first command does; a path given must be there, or --create said.
            let mut data = data;
            data.create |= data.database.is_none();
            runtime()?.block_on(serve(&listen, &data, config, notify, demo))
        }
        Command::Notify(c) => runtime()?.block_on(notify(c)),
        Command::Bench {
            dir,
            database,
            zones,
            since,
            period,
            requests,
        } => {
            let period = gaoxin_core::monitor::YearMonth::parse(&period)
                .context("--period 应写成 YYYY-MM / --period is YYYY-MM")?;
            runtime()?.block_on(bench::run(bench::BenchArgs {
                dir: &dir,
                database: database.as_deref(),
                zones: zones.max(1),
                since,
                period,
                requests: requests.max(1),
            }))
        }
        Command::Import {
            ledger,
            file,
            import,
        } => runtime()?.block_on(ledger::import(
            &import.data,
            &ledger,
            &file,
            &import.account,
            import.dry_run,
        )),
        Command::Export {
            ledger,
            out,
            unit,
            data,
        } => runtime()?.block_on(ledger::export(
            &data,
            &ledger,
            out.as_deref(),
            unit.as_deref(),
        )),
        Command::BenchAudit {
            dir,
            events,
            database,
        } => runtime()?.block_on(bench_audit::run(bench_audit::Args {
            dir: &dir,
            events,
            database: database.as_deref(),
        })),
        Command::BenchLoad {
            dir,
            users,
            records,
            seconds,
            wrk,
            database,
        } => runtime()?.block_on(bench_load::run(bench_load::Args {
            dir: &dir,
            users,
            records,
            seconds,
            wrk: &wrk,
            database: database.as_deref(),
        })),
        Command::BenchLists {
            dir,
            orders,
            events,
            messages,
            items,
            requests,
            database,
        } => runtime()?.block_on(bench_lists::run(bench_lists::Args {
            dir: &dir,
            orders,
            events,
            messages,
            items,
            requests,
            database: database.as_deref(),
        })),
        Command::BenchLedgers {
            dir,
            rows,
            list_rows,
            requests,
            python,
            list_only,
            list_database,
            import_database,
            skip_peer,
        } => runtime()?.block_on(bench_ledgers::run(bench_ledgers::Args {
            dir: &dir,
            rows,
            list_rows,
            requests,
            python: &python,
            list_only,
            list_database: list_database.as_deref(),
            import_database: import_database.as_deref(),
            skip_peer,
        })),
        Command::Figures { command } => match command {
            FiguresCommand::Import { file, import } => runtime()?.block_on(monitor::import(
                &import.data,
                &file,
                &import.account,
                import.dry_run,
            )),
        },
        Command::Status {
            zone,
            period,
            format,
            subtargets: false,
            data,
        } => runtime()?.block_on(monitor::status(&data, &zone, &period, format)),
        Command::Status {
            zone,
            period,
            format,
            subtargets: true,
            data,
        } => runtime()?.block_on(monitor::subtargets(&data, &zone, &period, format)),
        Command::Evaluation { command } => match command {
            EvaluationCommand::Check { files } => benchmark::check(&files),
            EvaluationCommand::Load { file, data } => {
                runtime()?.block_on(benchmark::load(&file, &data))
            }
            EvaluationCommand::List { data } => runtime()?.block_on(benchmark::list(&data)),
        },
        Command::Benchmark {
            zone,
            framework,
            year,
            method,
            format,
            data,
        } => runtime()?.block_on(benchmark::report(
            &data, &zone, framework, year, &method, format,
        )),
        Command::Plan { command } => match command {
            PlanCommand::Check { files } => Ok(check(&files)),
            PlanCommand::Targets { file, format } => {
                let plan = read_plan(file.as_deref())?;
                print_targets(&plan, format)?;
                Ok(ExitCode::SUCCESS)
            }
            PlanCommand::Tasks {
                file,
                format,
                include_safeguards,
            } => {
                let plan = read_plan(file.as_deref())?;
                print_tasks(&plan, format, include_safeguards)?;
                Ok(ExitCode::SUCCESS)
            }
            PlanCommand::Load { file, data } => runtime()?.block_on(load(&file, &data)),
            PlanCommand::Versions { data, format } => runtime()?.block_on(versions(&data, format)),
        },
        Command::User { command } => match command {
            UserCommand::Add {
                name,
                unit,
                roles,
                password_stdin,
                full_name,
                phone,
                password,
                data,
            } => {
                let input = password_stdin.then(|| password.policy());
                let person = (full_name.as_str(), phone.as_str());
                runtime()?.block_on(users::add(&data, &name, &unit, &roles, person, input))
            }
            UserCommand::Profile {
                name,
                full_name,
                phone,
                data,
            } => runtime()?.block_on(users::profile(&data, &name, &full_name, &phone)),
            UserCommand::List { format, data } => {
                runtime()?.block_on(users::list(&data, format == Format::Json))
            }
            UserCommand::Roles { name, roles, data } => {
                runtime()?.block_on(users::set_roles(&data, &name, &roles))
            }
            UserCommand::Disable { name, data } => {
                runtime()?.block_on(users::disable(&data, &name))
            }
            UserCommand::ResetPassword { name, data } => {
                runtime()?.block_on(users::reset_password(&data, &name))
            }
            UserCommand::ResetTotp { name, data } => {
                runtime()?.block_on(users::reset_totp(&data, &name))
            }
        },
        Command::Backup { dest, data } => runtime()?.block_on(crate::backup::backup(&dest, &data)),
        Command::Restore { src, force, data } => {
            runtime()?.block_on(crate::backup::restore(&src, &data, force))
        }
        Command::Audit { command } => match command {
            AuditCommand::Verify { data } => runtime()?.block_on(users::verify(&data)),
        },
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时 / cannot start the runtime")
}

fn read_source(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "无法读取文件 {} / cannot read {}",
            path.display(),
            path.display()
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}：文件不是 UTF-8 编码（第 {} 个字节起），请用 UTF-8 保存 / {}: not UTF-8 (from byte {}); save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to() + 1,
            path.display(),
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// A plan file, or the bundled seed plan.
fn read_plan(file: Option<&Path>) -> Result<Plan> {
    let (name, source) = match file {
        Some(p) => (p.display().to_string(), read_source(p)?),
        None => (SEED_PLAN_NAME.to_string(), SEED_PLAN.to_string()),
    };
    Plan::parse(&name, &source).map_err(|e| anyhow::anyhow!("{e}"))
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for f in files {
        match read_plan(Some(f)) {
            Ok(plan) => println!(
                "{}：校验通过（{} 项目标，{} 项任务，{} 项子目标）/ valid ({} targets, {} tasks, {} sub-targets)",
                f.display(),
                plan.targets.len(),
                plan.tasks.len(),
                plan.subtargets.len(),
                plan.targets.len(),
                plan.tasks.len(),
                plan.subtargets.len()
            ),
            Err(e) => {
                ok = false;
                eprintln!("{e}");
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_targets(plan: &Plan, format: Format) -> Result<()> {
    let rows = target_rows(plan);
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        Format::Csv => {
            writeln!(out, "zone,indicator,year,comparator,value,unit")?;
            for r in rows {
                let year = r.year.to_string();
                let value = format_value(r.value);
                writeln!(
                    out,
                    "{}",
                    csv_line(&[
                        &r.zone,
                        &r.indicator,
                        &year,
                        r.comparator.as_ascii(),
                        &value,
                        &r.unit
                    ])
                )?;
            }
        }
    }
    Ok(())
}

fn print_tasks(plan: &Plan, format: Format, include_safeguards: bool) -> Result<()> {
    let rows = task_rows(plan, include_safeguards);
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        Format::Csv => {
            writeln!(out, "group,no,task,lead_departments,implementing_units")?;
            for r in rows {
                let lead = r.lead_departments.join("|");
                let implementing = r.implementing_units.join("|");
                writeln!(
                    out,
                    "{}",
                    csv_line(&[&r.group, &r.no, &r.task, &lead, &implementing])
                )?;
            }
        }
    }
    Ok(())
}

async fn load(file: &Path, data: &DataArgs) -> Result<ExitCode> {
    let source = read_source(file)?;
    let name = file.display().to_string();
    let outcome = open_seeded(data, false)
        .await?
        .run(async |store| Ok(store.load_plan(&name, &source, gaoxin_store::now()).await?))
        .await;
    match outcome? {
        PlanLoad::Unchanged(v) => println!(
            "方案未变化：与已有版本 {} #{} 内容相同，未新增版本 / unchanged: same as version {} #{}; nothing added",
            v.plan_key, v.version_no, v.plan_key, v.version_no
        ),
        PlanLoad::Added(v) => println!(
            "已加载为新版本 {} #{}（{}）/ loaded as new version {} #{} ({})",
            v.plan_key, v.version_no, v.edition, v.plan_key, v.version_no, v.edition
        ),
    }
    Ok(ExitCode::SUCCESS)
}

async fn versions(data: &DataArgs, format: Format) -> Result<ExitCode> {
    let versions = open_seeded(data, false)
        .await?
        .run(async |store| Ok(store.plan_versions().await?))
        .await?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&versions)?)?,
        Format::Csv => {
            writeln!(
                out,
                "plan,version,edition,title,source,loaded_at,sha256,targets,tasks"
            )?;
            for v in versions {
                let (no, targets, tasks) = (
                    v.version_no.to_string(),
                    v.target_count.to_string(),
                    v.task_count.to_string(),
                );
                writeln!(
                    out,
                    "{}",
                    csv_line(&[
                        &v.plan_key,
                        &no,
                        &v.edition,
                        &v.title,
                        &v.source_name,
                        &v.loaded_at,
                        &v.content_sha256,
                        &targets,
                        &tasks
                    ])
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(
    listen: &str,
    data: &DataArgs,
    config: gaoxin_web::Config,
    notify: gaoxin_notify::Config,
    demo: bool,
) -> Result<ExitCode> {
    let url = database_url(data.database.as_deref())?;
    let opened = open(data).await?;
    let (store, key) = (opened.store.clone(), opened.key.clone());
    if demo {
        monitor::load_demo(&store).await?;
        benchmark::load_demo(&store).await?;
    }
    if store.accounts().await?.is_empty() {
        users::bootstrap_administrators(&store, &key).await?;
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("无法监听 {listen}：端口可能已被占用 / cannot listen on {listen}: the port may be in use"))?;
    let addr = listener.local_addr()?;
    tracing::info!(database = %url, "gaoxin serving on http://{addr}/");
    // Print the address where a person (or a test) starting it can find it.
    println!("gaoxin 已启动 / serving on http://{addr}/");
    let ticks = tokio::spawn(deadline_ticks(store.clone(), key.clone(), config.login));
    let sender = tokio::spawn(send_reminders(store.clone(), notify));
    let anchors = tokio::spawn(anchor_ticks(store.clone(), key.clone(), data.anchor()));
    let touches = tokio::spawn(touch_ticks(store.clone()));
    let served = gaoxin_web::serve(
        listener,
        gaoxin_web::AppState::new(store.clone(), key, config),
    )
    .await;
    ticks.abort();
    sender.abort();
    anchors.abort();
    touches.abort();
    if let Err(e) = store.flush_session_touches().await {
        tracing::warn!(error = %e, "could not write the sessions' last-seen times");
    }
    served?;
    // The last events of the run are anchored as the database closes.
    opened.close().await?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the sessions' last-seen times every 30 seconds (reading a page writes nothing).
async fn touch_ticks(store: Store) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = store.flush_session_touches().await {
            tracing::warn!(error = %e, "could not write the sessions' last-seen times; kept for the next try");
        }
    }
}

/// How often a running server anchors the audit chain's head outside the database: events
/// newer than the last anchor are the only ones whose removal could go unseen.
const ANCHOR_TICK: std::time::Duration = std::time::Duration::from_secs(5);

/// Writes the audit chain's head to the anchor file whenever it has moved, every few seconds.
async fn anchor_ticks(store: Store, key: gaoxin_store::AuditKey, path: PathBuf) {
    let mut every = tokio::time::interval(ANCHOR_TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut anchored = -1;
    loop {
        every.tick().await;
        match store.audit_head_id().await {
            Ok(head) if head == anchored => {}
            Ok(_) => match store.anchor_audit(&key, &path, gaoxin_store::now()).await {
                Ok(id) => anchored = id,
                Err(e) => tracing::error!(error = %e, "could not anchor the audit chain"),
            },
            Err(e) => tracing::error!(error = %e, "could not read the audit chain's head"),
        }
    }
}

/// The periodic bookkeeping: sign-in counts and locks that no longer matter forgotten, the
/// summaries of ended windows of unsigned refusals written, ended sessions removed, imports a
/// crash left half-written removed, and (PostgreSQL) the name counts' rows folded.
async fn sign_in_housekeeping(
    store: &Store,
    key: &gaoxin_store::AuditKey,
    login: &gaoxin_store::LoginPolicy,
) -> Result<()> {
    let now = gaoxin_store::now();
    store.prune_login_records(login, now).await?;
    store.close_unsigned_windows(key, now).await?;
    store.end_expired_sessions(login, now).await?;
    store.remove_stale_imports(now).await?;
    store.compact_name_counts().await?;
    Ok(())
}

/// One check of 督办单 deadlines, of progress reports owed and of the current period's figures.
async fn check_deadlines(store: &Store) -> Result<()> {
    let plan = current_plan(store).await?;
    let now = gaoxin_store::now();
    let o = store.supervision_tick(&plan, now).await?;
    let r = store.report_tick(&plan, now).await?;
    let f = store.figure_tick(&plan, now).await?;
    if o.reminded + o.escalated + r.reminded + r.overdue + f.reminded + f.missed > 0 {
        tracing::info!(
            orders_reminded = o.reminded,
            orders_escalated = o.escalated,
            reports_reminded = r.reminded,
            reports_overdue = r.overdue,
            figures_reminded = f.reminded,
            figures_missed = f.missed,
            messages = o.messages + r.messages + f.messages,
            "deadlines checked"
        );
    }
    Ok(())
}

/// Sends queued reminders (e-mail, group robots) every 30 seconds while serving.
async fn send_reminders(store: Store, cfg: gaoxin_notify::Config) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match gaoxin_notify::deliver(&store, &cfg, gaoxin_store::now()).await {
            Ok(r) if r.sent + r.failed > 0 => {
                tracing::info!(sent = r.sent, failed = r.failed, "reminders sent")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "reminder sending failed"),
        }
    }
}

/// `gaoxin notify email|webhook`.
async fn notify(c: NotifyCommand) -> Result<ExitCode> {
    match c {
        NotifyCommand::Email {
            name,
            address,
            clear,
            data,
        } => {
            let address = match (address, clear) {
                (Some(a), _) if gaoxin_notify::valid_email(&a) => Some(a),
                (Some(a), _) => {
                    anyhow::bail!("“{a}”不是电子邮箱地址 / \"{a}\" is not an e-mail address")
                }
                (None, true) => None,
                (None, false) => anyhow::bail!(
                    "请给出电子邮箱，或用 --clear 清除 / give the address, or --clear"
                ),
            };
            open(&data)
                .await?
                .run(async |store| Ok(store.set_account_email(&name, address.as_deref()).await?))
                .await?;
            println!("{name}: {}", address.as_deref().unwrap_or("—"));
        }
        NotifyCommand::Webhook {
            unit,
            url,
            clear,
            data,
        } => {
            let url = match (url, clear) {
                (Some(u), _) if gaoxin_notify::valid_webhook(&u) => Some(u),
                (Some(u), _) => anyhow::bail!(
                    "“{u}”不是 http:// 地址：gaoxin 不直接连接 https，请经内网网关转发 / \"{u}\" is not \
                     an http:// address: gaoxin does not speak https itself; post through the intranet's gateway"
                ),
                (None, true) => None,
                (None, false) => anyhow::bail!(
                    "请给出 webhook 地址，或用 --clear 清除 / give the URL, or --clear"
                ),
            };
            open(&data)
                .await?
                .run(async |store| {
                    let plan = current_plan(store).await?;
                    if plan.department(&unit).is_none() {
                        anyhow::bail!(
                            "方案中没有部门“{unit}” / the plan has no department \"{unit}\""
                        );
                    }
                    Ok(store.set_unit_webhook(&unit, url.as_deref()).await?)
                })
                .await?;
            println!("{unit}: {}", url.as_deref().unwrap_or("—"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How often the server checks deadlines: 督办单 (reminders when near, escalation when passed)
/// and progress reports (reminders before the due day, notices after it).
const DEADLINE_TICK: std::time::Duration = std::time::Duration::from_secs(600);

/// Checks deadlines, and keeps the sign-in records, at start and every ten minutes while
/// serving; a failure is logged and the next check tries again.
async fn deadline_ticks(
    store: Store,
    key: gaoxin_store::AuditKey,
    login: gaoxin_store::LoginPolicy,
) {
    let mut every = tokio::time::interval(DEADLINE_TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = check_deadlines(&store).await {
            tracing::error!(error = %e, "deadline check failed");
        }
        if let Err(e) = sign_in_housekeeping(&store, &key, &login).await {
            tracing::error!(error = %e, "sign-in housekeeping failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
