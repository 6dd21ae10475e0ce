//! `gaoxin bench-audit`: `gaoxin audit verify` over a generated chain of millions of events (a
//! child process, so its peak memory is its own), on SQLite or on a PostgreSQL database named
//! with `--database`. The chain is made once and reused (extended when more events are asked).
//!
//! Targets (issue 16): 10,000,000 events verified in under 100 MB, at least 200,000 events a
//! second. The command exits 1 when a target is missed.

use crate::bench::mb;
use crate::bench_ledgers::{bench_database, timed};
use anyhow::Result;
use gaoxin_store::{AuditKey, DatabaseUrl, Store};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

const MEMORY_TARGET_KB: u64 = 100 * 1024;
const RATE_TARGET: f64 = 200_000.0;

#[derive(Debug)]
pub struct Args<'a> {
    pub dir: &'a Path,
    pub events: i64,
    /// A PostgreSQL (or SQLite) URL; by default `DIR/audit.db`.
    pub database: Option<&'a str>,
}

pub async fn run(args: Args<'_>) -> Result<ExitCode> {
    let url = bench_database(args.dir, args.database, "audit.db")?;
    let database = DatabaseUrl::parse(&url)?;
    let key_file = args.dir.join("audit.key");
    let key = if key_file.exists() {
        AuditKey::read(&key_file)?
    } else {
        AuditKey::create(&key_file)?
    };
    let store = Store::open(&database).await?;
    let t = Instant::now();
    let added = store.fill_audit_for_bench(&key, args.events).await?;
    store.close().await;
    if added > 0 {
        println!(
            "生成 / generated {added} events in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let exe = std::env::current_exe()?;
    let (elapsed, peak, out) = timed(
        Command::new(exe)
            .args(["audit", "verify", "--database", &url, "--audit-key"])
            .arg(&key_file)
            .arg("--audit-anchor")
            .arg(args.dir.join("audit.anchor"))
            .env("GAOXIN_REPORT_PEAK_MEMORY", "1"),
    )?;
    let rate = args.events as f64 / elapsed.as_secs_f64();
    let memory_ok = peak.is_some_and(|kb| kb <= MEMORY_TARGET_KB);
    let rate_ok = rate >= RATE_TARGET;
    println!("{}", out.trim());
    println!("| measure | result | target | met |");
    println!("|---|---|---|---|");
    println!(
        "| `gaoxin audit verify`, {} events ({}) | {:.2} s, {:.0} events/s | ≥ 200,000 events/s | {} |",
        args.events,
        database.backend().name(),
        elapsed.as_secs_f64(),
        rate,
        if rate_ok { "yes" } else { "no" }
    );
    println!(
        "| 同上，峰值内存 / peak memory | {} | < 100 MB | {} |",
        mb(peak, 1),
        if memory_ok { "yes" } else { "no" }
    );
    Ok(if memory_ok && rate_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
