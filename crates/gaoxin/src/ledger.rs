//! `gaoxin import LEDGER FILE` and `gaoxin export LEDGER`: ledgers in and out at the console.

use crate::data::{DataArgs, current_plan, importer, open, read_file};
use anyhow::{Context, Result, bail};
use gaoxin_app::ledger::{Import, ImportMode, Upload};
use gaoxin_core::ledger::{LEDGERS, Ledger};
use gaoxin_store::Store;
use gaoxin_store::{ListQuery, Sort};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

fn ledger(id: &str) -> Result<&'static Ledger> {
    Ledger::find(id).with_context(|| {
        let known: Vec<String> = LEDGERS
            .iter()
            .map(|l| format!("{}（{}）", l.id, l.zh))
            .collect();
        format!(
            "没有名为“{id}”的台账，可用：{} / no ledger \"{id}\"; ledgers: {}",
            known.join("、"),
            known.join(", ")
        )
    })
}

/// How far an import has read, on stderr: redrawn in place on a terminal, a line every
/// 100,000 records otherwise. (The number of rows is not known before the sheet is read: it is
/// streamed.)
struct Progress {
    tty: bool,
    shown: usize,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            tty: std::io::stderr().is_terminal(),
            shown: 0,
        }
    }

    fn show(&mut self, records: usize) {
        let mut err = std::io::stderr();
        if self.tty {
            let _ = write!(
                err,
                "\r读取、检查 / reading, checking: {records} 条 / records"
            );
        } else if records / 100_000 > self.shown / 100_000 {
            let _ = writeln!(
                err,
                "读取、检查 / reading, checking: {records} 条 / records"
            );
        } else {
            return;
        }
        self.shown = records;
    }

    fn done(&self) {
        if self.tty && self.shown > 0 {
            let _ = writeln!(std::io::stderr());
        }
    }
}

/// The peak resident memory of this process (`VmHWM`), in kilobytes, where the system says.
pub fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Imports an .xlsx file into a ledger as `username` would upload it: all rows or none.
pub async fn import(
    data: &DataArgs,
    id: &str,
    file: &Path,
    username: &str,
    dry_run: bool,
) -> Result<ExitCode> {
    let l = ledger(id)?;
    open(data)
        .await?
        .run(async |store| import_into(store, l, file, username, dry_run).await)
        .await
}

async fn import_into(
    store: &Store,
    l: &'static Ledger,
    file: &Path,
    username: &str,
    dry_run: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    let bytes = read_file(file)?;
    let (plan, account) = importer(store, username).await?;
    eprintln!("读取 / reading {} …", file.display());
    let file_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let acting = gaoxin_app::Acting::account(store, &plan, &account, gaoxin_store::now());
    let upload = Upload {
        name: &file_name,
        bytes,
    };
    let mut progress = Progress::new();
    let outcome = gaoxin_app::ledger::import(
        &acting,
        l,
        upload,
        &gaoxin_excel::Limits::LEDGER_CONSOLE,
        ImportMode {
            dry_run,
            keep_rows: false,
        },
        &mut |records| progress.show(records),
    )
    .await?;
    progress.done();
    let (parsed, report, phases) = match outcome {
        Import::Refused(e) => bail!("{}: {e}", file.display()),
        Import::Already(prior) => bail!(
            "{} 已于 {} 由 {} 导入过（{}），不再重复导入 / this file was imported on {} by {} ({})",
            file.display(),
            gaoxin_core::time::Timestamp(prior.at).to_iso8601(),
            prior.account,
            prior.file_name,
            gaoxin_core::time::Timestamp(prior.at).to_iso8601(),
            prior.account,
            prior.file_name
        ),
        Import::Invalid(parsed) if !parsed.errors.is_empty() => {
            show_notes(file, &parsed.notes);
            return Ok(crate::data::report_errors(file, &parsed.errors));
        }
        Import::Invalid(_) => bail!(
            "{} 中除表头和示例行外没有记录 / {} holds no record besides the header and the example row",
            file.display(),
            file.display()
        ),
        Import::Checked {
            parsed,
            report,
            phases,
            ..
        } => (parsed, report, phases),
    };
    show_notes(file, &parsed.notes);
    if !report.errors.is_empty() {
        return Ok(crate::data::report_errors(file, &report.errors));
    }
    let verb = if dry_run {
        "试导入通过，未写入 / dry run passed, nothing written"
    } else {
        "已导入 / imported"
    };
    println!(
        "{verb}：新增 {} · 更新 {} · 不变 {} / new {} · updated {} · unchanged {}",
        report.created,
        report.updated,
        report.unchanged,
        report.created,
        report.updated,
        report.unchanged,
    );
    println!(
        "用时 / time: {:.2} s（读取 / reading {:.2} · 检查 / checking {:.2} · 写入 / writing {:.2}）",
        started.elapsed().as_secs_f64(),
        phases.reading.as_secs_f64(),
        phases.checking.as_secs_f64(),
        phases.writing.as_secs_f64()
    );
    if std::env::var_os("GAOXIN_REPORT_PEAK_MEMORY").is_some()
        && let Some(kb) = peak_memory_kb()
    {
        eprintln!("peak_memory_kb={kb}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The first twenty values the check normalised, and how many more.
fn show_notes(file: &Path, notes: &[gaoxin_core::ledger::sheet::RowNote]) {
    for n in notes.iter().take(20) {
        eprintln!(
            "{}:{} {}: {} / {}",
            file.display(),
            n.line,
            n.column,
            n.zh,
            n.en
        );
    }
    if notes.len() > 20 {
        eprintln!(
            "……另有 {} 处换算 / … and {} more values normalised",
            notes.len() - 20,
            notes.len() - 20
        );
    }
}

/// Exports a ledger (optionally one unit and the units under it) to an .xlsx file.
pub async fn export(
    data: &DataArgs,
    id: &str,
    out: Option<&Path>,
    unit: Option<&str>,
) -> Result<ExitCode> {
    let l = ledger(id)?;
    open(data)
        .await?
        .run(async |store| export_from(store, l, out, unit).await)
        .await
}

async fn export_from(
    store: &Store,
    l: &'static Ledger,
    out: Option<&Path>,
    unit: Option<&str>,
) -> Result<ExitCode> {
    let plan = current_plan(store).await?;
    let units = match unit {
        None => None,
        Some(u) => {
            let unit = plan
                .units
                .iter()
                .find(|x| x.id == u || x.name == u)
                .with_context(|| format!("方案中没有区域“{u}” / the plan has no unit \"{u}\""))?;
            Some(gaoxin_core::ledger::subtree(&plan, &unit.id))
        }
    };
    let records: Vec<_> = store
        .ledger_all(
            l,
            &ListQuery {
                units,
                sort: Sort::Name,
                ..ListQuery::default()
            },
        )
        .await?
        .into_iter()
        .map(|r| r.record)
        .collect();
    let bytes = gaoxin_excel::ledger_export(&plan, l, &records, store.has_sample_data().await?)?;
    let default = format!("{}.xlsx", l.id);
    let out = out.unwrap_or(Path::new(&default));
    std::fs::write(out, bytes).with_context(|| {
        format!(
            "无法写入 {} / cannot write {}",
            out.display(),
            out.display()
        )
    })?;
    println!(
        "已导出 {} 条记录到 {} / exported {} records to {}",
        records.len(),
        out.display(),
        records.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
