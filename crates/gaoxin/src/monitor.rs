//! `gaoxin figures import`, `gaoxin status` (targets, or with `--subtargets` the tasks'
//! quantified sub-targets), and the sample figures of `gaoxin serve --demo`.

use crate::data::{DataArgs, Format, current_plan, importer, open, read_file};
use anyhow::{Context, Result, bail};
use gaoxin_app::monitor::{FiguresFile, FiguresImport};
use gaoxin_core::csv::line as csv_line;
use gaoxin_core::monitor::subtarget::SubEvaluation;
use gaoxin_core::monitor::{Evaluation, YearMonth, sample};
use gaoxin_core::plan::{format_rounded, format_value};
use gaoxin_core::text::{Lang, Name};
use gaoxin_store::Store;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Reads a CSV or .xlsx file of `zone,figure,period,value` rows and imports it as `username` would
/// enter and submit it: all rows or none.
pub async fn import(
    data: &DataArgs,
    file: &Path,
    username: &str,
    dry_run: bool,
) -> Result<ExitCode> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = read_file(file)?;
    let text;
    let source = match ext.as_deref() {
        Some("csv") => {
            text = String::from_utf8(bytes).map_err(|_| {
                anyhow::anyhow!(
                    "{} 不是 UTF-8 编码：请在 Excel/WPS 中另存为“CSV UTF-8” / {} is not UTF-8: save it as \"CSV UTF-8\"",
                    file.display(),
                    file.display()
                )
            })?;
            FiguresFile::Csv(&text)
        }
        Some("xlsx") => FiguresFile::Workbook {
            bytes: &bytes,
            limits: &gaoxin_excel::Limits::BACKFILL,
        },
        _ => bail!(
            "只支持 CSV（UTF-8）和 .xlsx 文件，列为 zone,figure,period,value：{} / only CSV (UTF-8) and .xlsx \
             files with columns zone,figure,period,value are supported: {}",
            file.display(),
            file.display()
        ),
    };
    let outcome = open(data)
        .await?
        .run(async |store| {
            let (plan, account) = importer(store, username).await?;
            let acting = gaoxin_app::Acting::account(store, &plan, &account, gaoxin_store::now());
            Ok(gaoxin_app::monitor::import_figures(&acting, source, dry_run).await?)
        })
        .await?;
    let report = match outcome {
        FiguresImport::Refused(e) => bail!("{}: {e}", file.display()),
        FiguresImport::Invalid(errors) => return Ok(crate::data::report_errors(file, &errors)),
        FiguresImport::Empty => bail!(
            "{} 中没有填写数值的行，没有可导入的数据 / {} has no row with a value; nothing to import",
            file.display(),
            file.display()
        ),
        FiguresImport::Checked { report, .. } => report,
    };
    if !report.errors.is_empty() {
        return Ok(crate::data::report_errors(file, &report.errors));
    }
    if dry_run {
        println!(
            "试导入：{} 行均可导入，未写入任何数据 / dry run: all {} rows can be imported; nothing was written",
            report.applied, report.applied
        );
    } else {
        println!(
            "已导入 {} 行 / imported {} rows",
            report.applied, report.applied
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A zone's targets and sub-targets (its own and the zones' joint ones) at `period`, read at
/// the console, with the plan they were judged by.
async fn zone_status(
    data: &DataArgs,
    zone: &str,
    period: &str,
) -> Result<(gaoxin_core::Plan, Vec<Evaluation>, Vec<SubEvaluation>)> {
    let at = YearMonth::parse(period).with_context(|| {
        format!("“{period}”不是报告期，请写成 YYYY-MM / \"{period}\" is not a period: use YYYY-MM")
    })?;
    open(data)
        .await?
        .run(async |store| {
            let plan = current_plan(store).await?;
            let z = crate::data::zone_id(&plan, zone)?;
            let console = gaoxin_app::Acting::console(store, &plan, gaoxin_store::now());
            let status = gaoxin_app::monitor::status(&console, Some(&[&z]), at).await?;
            let evaluations = status.evaluations().cloned().collect();
            let subtargets = status.subtargets;
            Ok((plan, evaluations, subtargets))
        })
        .await
}

/// Prints every target of a zone at a period: `indicator,actual,expected,target,status,forecast`
/// (and the data's period and marks).
pub async fn status(data: &DataArgs, zone: &str, period: &str, format: Format) -> Result<ExitCode> {
    let (_, rows, _) = zone_status(data, zone, period).await?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Csv => {
            writeln!(
                out,
                "{}",
                csv_line(&[
                    "indicator",
                    "actual",
                    "expected",
                    "target",
                    "status",
                    "forecast",
                    "period",
                    "flags"
                ])
            )?;
            for e in &rows {
                let row = csv_row(e);
                let fields: Vec<&str> = row.iter().map(String::as_str).collect();
                writeln!(out, "{}", csv_line(&fields))?;
            }
        }
        Format::Json => {
            let json: Vec<serde_json::Value> = rows.iter().map(json_row).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the quantified sub-targets of a zone and of the zones together at a period, each judged
/// for its own year: `subtarget,scope,year,actual,expected,target,status,forecast,period,flags`.
pub async fn subtargets(
    data: &DataArgs,
    zone: &str,
    period: &str,
    format: Format,
) -> Result<ExitCode> {
    let (plan, _, rows) = zone_status(data, zone, period).await?;
    let target = |id: &str| {
        plan.subtargets
            .iter()
            .find(|s| s.id == id)
            .map(|s| match s.max {
                Some(max) => format!("{}-{}", format_value(s.value), format_value(max)),
                None => format_value(s.value),
            })
            .unwrap_or_default()
    };
    let flags = |e: &SubEvaluation| {
        let mut f = Vec::new();
        if e.sample {
            f.push("示例数据");
        }
        if e.closed {
            f.push("已结束");
        }
        f.join(";")
    };
    let mut out = std::io::stdout().lock();
    match format {
        Format::Csv => {
            writeln!(
                out,
                "subtarget,scope,year,actual,expected,target,status,forecast,period,flags"
            )?;
            for e in &rows {
                let fields = [
                    e.subtarget.clone(),
                    e.zone.clone().unwrap_or_else(|| "all".into()),
                    e.year.to_string(),
                    num(e.actual),
                    num(e.expected),
                    target(&e.subtarget),
                    e.status.code().to_string(),
                    num(e.forecast),
                    e.period.map(|p| p.to_string()).unwrap_or_default(),
                    flags(e),
                ];
                let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
                writeln!(out, "{}", csv_line(&fields))?;
            }
        }
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn num(v: Option<f64>) -> String {
    v.map(format_rounded).unwrap_or_default()
}

fn csv_row(e: &Evaluation) -> Vec<String> {
    vec![
        e.indicator.clone(),
        num(e.actual),
        num(e.expected),
        format_value(e.target),
        e.status.code().to_string(),
        num(e.forecast.map(|f| f.value)),
        e.period.map(|p| p.to_string()).unwrap_or_default(),
        e.flags()
            .iter()
            .map(|f| f.name(Lang::Zh))
            .collect::<Vec<_>>()
            .join(";"),
    ]
}

fn json_row(e: &Evaluation) -> serde_json::Value {
    serde_json::json!({
        "indicator": e.indicator,
        "actual": e.actual,
        "expected": e.expected,
        "target": e.target,
        "status": e.status.code(),
        "forecast": e.forecast.map(|f| f.value),
        "forecast_method": e.forecast.map(|f| f.method.code()),
        "period": e.period.map(|p| p.to_string()),
        "flags": e.flags(),
        "sample": e.sample(),
    })
}

/// Loads sample figures from January 2024 up to this month, once (示例数据).
pub async fn load_demo(store: &Store) -> Result<()> {
    if store.has_sample_data().await? {
        return Ok(());
    }
    if store.has_real_figures().await? || store.has_real_ledger_records().await? {
        bail!(
            "数据库中已有填报的真实数据，不能再载入示例数据：请用一个单独的数据库演示（--database） / \
             the database holds real figures; sample data is not mixed in: demonstrate on a separate \
             database (--database)"
        );
    }
    let plan = current_plan(store).await?;
    let now = gaoxin_store::now();
    // Up to the current period, the month just ended, which is partly reported; nothing for the
    // month running, whose figures are not due.
    let (Some(from), to) = (YearMonth::new(2024, 1), YearMonth::current(now)) else {
        return Ok(());
    };
    let mut rows = sample::generate(&plan, from, to);
    rows.retain(|(u, f, p, _)| sample::state_at(u, f, *p, to).is_some());
    let written = store
        .load_sample_figures_as(
            &rows,
            |(u, f, p, _)| {
                sample::state_at(u, f, *p, to)
                    .unwrap_or(gaoxin_core::monitor::FigureState::Confirmed)
            },
            now,
        )
        .await?;
    tracing::info!(
        rows = written,
        "loaded sample figures (示例数据) from {from} to {to}"
    );
    let records = store
        .load_sample_ledgers(&plan, &gaoxin_core::ledger::sample::generate(&plan), now)
        .await?;
    tracing::info!(records, "loaded sample ledger records (示例数据)");
    let orders = store
        .load_sample_orders(
            &plan,
            &gaoxin_core::supervise::sample::generate(&plan, gaoxin_core::time::Date::of(now)),
            now,
        )
        .await?;
    tracing::info!(orders, "loaded sample supervision orders (示例数据)");
    let items = store
        .load_sample_items(
            &plan,
            &gaoxin_core::dispatch::sample::generate(
                &plan,
                gaoxin_core::time::Date::of(now),
                plan.monitoring.report_day,
            ),
            now,
        )
        .await?;
    tracing::info!(items, "loaded sample work items and reports (示例数据)");
    Ok(())
}
