//! `gaoxin bench-lists`: the lists people page through — 督办单, the audit log, the inbox, work
//! items — and the 工作台 that reads the open orders, through the real router on a database of
//! 100,000 orders and 1,000,000 audit events (by default; SQLite beside the bench files, or
//! `--database`). The data is generated once and reused (extended when more is asked).
//!
//! Target (issue 16): every list page under 50 ms at the 99th percentile. The command exits 1
//! when it is missed.

use crate::bench::{get_ok, ms, percentile};
use crate::bench_ledgers::{
    bench_account, bench_database, bench_person, bench_store, key, signed_in_app,
};
use anyhow::Result;
use gaoxin_core::auth::RoleKind;
use gaoxin_store::{AuditFilter, BenchLists};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const LIST_P99_TARGET: Duration = Duration::from_millis(50);

#[derive(Debug)]
pub struct Args<'a> {
    pub dir: &'a Path,
    pub orders: i64,
    pub events: i64,
    pub messages: i64,
    pub items: i64,
    pub requests: usize,
    /// A PostgreSQL (or SQLite) URL; by default `DIR/lists.db`.
    pub database: Option<&'a str>,
}

pub async fn run(args: Args<'_>) -> Result<ExitCode> {
    let url = bench_database(args.dir, args.database, "lists.db")?;
    let store = bench_store(&url).await?;
    let backend = store.backend().name();
    let plan = crate::data::current_plan(&store).await?;
    let dispatcher = bench_account(&store, &key()).await?;
    let unit = bench_person(&store, &key(), "bench-keji", "sci-tech", RoleKind::Reporter).await?;
    let auditor = bench_person(
        &store,
        &key(),
        "bench-auditor",
        "dispatch",
        RoleKind::AuditAdmin,
    )
    .await?;

    let t = Instant::now();
    let added = store
        .fill_lists_for_bench(
            &plan,
            &BenchLists {
                orders: args.orders,
                items: args.items,
                messages: args.messages,
                messages_for: unit.id,
                now: gaoxin_store::now(),
            },
        )
        .await?;
    let events = store.fill_audit_for_bench(&key(), args.events).await?;
    if added + events > 0 {
        store.settle().await?;
        eprintln!(
            "生成 / generated {added} rows and {events} audit events in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }

    // Where the deep pages start: an event and a message half-way back.
    let middle_event = store.audit_head_id().await? / 2;
    let middle_message = store
        .inbox(unit.id, args.messages / 2)
        .await?
        .last()
        .map_or(0, |m| m.id);
    let old_day = {
        let e = store
            .audit_events(&AuditFilter {
                limit: 1,
                before: Some(middle_event),
                ..AuditFilter::default()
            })
            .await?;
        e.first()
            .map(|e| e.at[..10].to_string())
            .unwrap_or_default()
    };

    let (as_dispatcher, d) = signed_in_app(&store, &dispatcher).await?;
    let (as_unit, u) = signed_in_app(&store, &unit).await?;
    let (as_auditor, a) = signed_in_app(&store, &auditor).await?;
    let requests: Vec<(&str, &axum::Router, &str, String)> = vec![
        (
            "督办单：第一页 / orders: first page",
            &as_dispatcher,
            &d,
            "/supervision".into(),
        ),
        (
            "督办单：一半处 / half-way back",
            &as_dispatcher,
            &d,
            format!("/supervision?page={}", (args.orders / 50 / 2).max(1)),
        ),
        (
            "督办单：红灯 / red light",
            &as_dispatcher,
            &d,
            "/supervision?light=red".into(),
        ),
        (
            "督办单：一个单位、已办结 / one unit, closed",
            &as_dispatcher,
            &d,
            "/supervision?unit=sci-tech&state=closed".into(),
        ),
        (
            "督办单：单位账号 / as a unit",
            &as_unit,
            &u,
            "/supervision".into(),
        ),
        (
            "工作台：单位账号 / the unit's 工作台",
            &as_unit,
            &u,
            "/".into(),
        ),
        (
            "审计日志：第一页 / audit log: first page",
            &as_auditor,
            &a,
            "/audit".into(),
        ),
        (
            "审计日志：一半处 / half-way back",
            &as_auditor,
            &a,
            format!("/audit?before={middle_event}"),
        ),
        (
            "审计日志：一个账号 / one account",
            &as_auditor,
            &a,
            "/audit?account=bench-007".into(),
        ),
        (
            "审计日志：一个单位的登录失败 / one unit's failed sign-ins",
            &as_auditor,
            &a,
            "/audit?unit=bench-unit-07&action=login.failure.bench".into(),
        ),
        (
            "审计日志：一天（一半处）/ one day, half-way back",
            &as_auditor,
            &a,
            format!("/audit?from={old_day}&to={old_day}"),
        ),
        (
            "消息：第一页 / inbox: first page",
            &as_unit,
            &u,
            "/inbox".into(),
        ),
        (
            "消息：一半处 / half-way back",
            &as_unit,
            &u,
            format!("/inbox?before={middle_message}"),
        ),
        (
            "工作事项：第一页 / work items: first page",
            &as_dispatcher,
            &d,
            "/work".into(),
        ),
        (
            "工作事项：一半处 / half-way back",
            &as_dispatcher,
            &d,
            format!("/work?page={}", (args.items / 100 / 2).max(1)),
        ),
        (
            "工作事项：单位账号 / as a unit",
            &as_unit,
            &u,
            "/work".into(),
        ),
    ];
    let mut all = Vec::new();
    let mut lines = Vec::new();
    for (label, app, cookie, uri) in &requests {
        get_ok(app, cookie, uri.clone()).await?;
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let t = Instant::now();
            get_ok(app, cookie, uri.clone()).await?;
            times.push(t.elapsed());
        }
        times.sort();
        lines.push(format!(
            "| {label} | `{uri}` | p50 {} · p99 {} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        ));
        all.extend(times);
    }
    all.sort();

    // The whole log as CSV, streamed.
    let t = Instant::now();
    let bytes = get_ok(&as_auditor, &a, "/audit/export".into()).await?;
    let export = t.elapsed();
    let head = store.audit_head_id().await?;
    store.close().await;

    let p99 = percentile(&all, 0.99);
    let met = p99 < LIST_P99_TARGET;
    println!(
        "{backend}: {} 件督办单 / orders, {head} 条审计事件 / audit events, {} 条消息 / messages, {} 个工作事项 / work items; {} 次请求每种 / requests each",
        args.orders, args.messages, args.items, args.requests
    );
    println!("| 请求 / request | URL | 耗时 / time |");
    println!("|---|---|---|");
    for l in &lines {
        println!("{l}");
    }
    println!();
    println!("| measure | result | target | met |");
    println!("|---|---|---|---|");
    println!(
        "| 全部列表请求 / every list request ({backend}) | p99 {} | < 50 ms | {} |",
        ms(p99),
        if met { "yes" } else { "no" }
    );
    println!(
        "| 审计日志导出 / audit export, {head} events | {:.1} s, {:.0} MB, {:.0} events/s | — | — |",
        export.as_secs_f64(),
        bytes as f64 / 1_048_576.0,
        head as f64 / export.as_secs_f64()
    );
    Ok(if met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
