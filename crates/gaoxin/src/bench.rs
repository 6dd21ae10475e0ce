//! `gaoxin bench`: the monitoring cockpit on a generated national-scale database — 600 zones
//! (each with its own share base), the seed plan's indicators and figures, monthly figures since
//! 2015 — measured through the real router (session check, handler, JSON), in process.
//!
//! Targets (issue 4): the cockpit API for one zone under 20 ms at the 99th percentile; the status
//! of all zones for one period under 1 s. The command exits 1 when a target is missed.

use crate::data::{SEED_PLAN, database_url};
use anyhow::{Context, Result, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::monitor::{YearMonth, sample};
use gaoxin_store::{Actor, AuditKey, NewAccount, Store};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const COCKPIT_P99_TARGET: Duration = Duration::from_millis(20);
/// 对标分析 (issue 12): scoring and ranking the peer set, and one what-if, p99 under 20 ms.
const SCORING_P99_TARGET: Duration = Duration::from_millis(20);
const SCORING_RUNS: usize = 200;
/// 对标分析 (issue 12): a zone's indicators from 20,000 enterprise annual reports under 1 s.
const REPORTS: usize = 20_000;
const REPORTS_TARGET: Duration = Duration::from_secs(1);
const STATUS_TARGET: Duration = Duration::from_secs(1);

/// Options of one run.
#[derive(Debug)]
pub struct BenchArgs<'a> {
    pub dir: &'a Path,
    pub database: Option<&'a str>,
    pub zones: usize,
    pub since: i32,
    pub period: YearMonth,
    pub requests: usize,
}

/// A plan file like the seed plan but with `zones` zones, each with its own city as share base
/// and the seed's targets (the two seed zones' target sets used alternately).
pub fn national_plan(zones: usize) -> Result<String> {
    let seed = Plan::parse("seed", SEED_PLAN).map_err(|e| anyhow::anyhow!("{e}"))?;
    let header = SEED_PLAN
        .split("\n[[unit]]")
        .next()
        .context("seed plan has no units")?;
    let mut out = String::from(header);
    // The seed's departments, figures and indicators, verbatim: everything between the units and
    // the targets.
    let body_start = SEED_PLAN
        .find("\n[[department]]")
        .context("seed plan has no departments")?;
    let body_end = SEED_PLAN
        .find("\n[[target]]")
        .context("seed plan has no targets")?;
    let mut text = String::new();
    for n in 0..zones {
        let _ = write!(
            out,
            "\n[[unit]]\nid = \"c{n:03}\"\nname = \"城市{n:03}\"\nkind = \"city\"\n\n\
             [[unit]]\nid = \"z{n:03}\"\nname = \"高新区{n:03}\"\nkind = \"zone\"\nparent = \"c{n:03}\"\nshare_base = \"c{n:03}\"\n"
        );
    }
    // The seed's departments refer to its own zones: keep those units too.
    for u in &seed.units {
        let _ = write!(
            out,
            "\n[[unit]]\nid = \"{}\"\nname = \"{}\"\nkind = \"{}\"\n{}{}",
            u.id,
            u.name,
            match u.kind {
                gaoxin_core::plan::UnitKind::City => "city",
                gaoxin_core::plan::UnitKind::County => "county",
                gaoxin_core::plan::UnitKind::Zone => "zone",
            },
            u.parent
                .as_ref()
                .map(|p| format!("parent = \"{p}\"\n"))
                .unwrap_or_default(),
            u.share_base
                .as_ref()
                .map(|p| format!("share_base = \"{p}\"\n"))
                .unwrap_or_default(),
        );
    }
    out.push_str(&SEED_PLAN[body_start..body_end]);
    let seed_zones: Vec<&str> = seed.zones().map(|z| z.id.as_str()).collect();
    for n in 0..zones {
        let model = seed_zones[n % seed_zones.len()];
        for t in seed.targets_of(model) {
            let quote = format!("〔z{n:03}-{}-{}〕", t.indicator, t.year);
            text.push_str(&quote);
            text.push('\n');
            let _ = write!(
                out,
                "\n[[target]]\nzone = \"z{n:03}\"\nindicator = \"{}\"\nyear = {}\nvalue = {}\nquote = \"{quote}\"\n",
                t.indicator, t.year, t.value
            );
        }
    }
    // The seed's groups, tasks and sub-targets quote its own text: keep them and their text.
    let tasks_start = SEED_PLAN
        .find("\n[[group]]")
        .context("seed plan has no groups")?;
    let text_start = SEED_PLAN
        .find("\n[text]")
        .context("seed plan has no text")?;
    // The seed's own targets are left out, so their quotes need not be in the text.
    out.push_str(&SEED_PLAN[tasks_start..text_start]);
    out.push_str("\n[text]\nbody = '''\n");
    out.push_str(&seed.text.body);
    out.push('\n');
    out.push_str(&text);
    out.push_str("'''\n");
    Ok(out)
}

/// A GET through the router in process, as the session of `cookie`; the body's length, or why
/// it was not 200.
pub(crate) async fn get_ok(app: &axum::Router, cookie: &str, uri: String) -> Result<usize> {
    let req = Request::get(&uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())?;
    let res = app.clone().oneshot(req).await?;
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
    if status != StatusCode::OK {
        bail!("{uri}: {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(body.len())
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A peak memory in kilobytes as megabytes with `decimals` places; `?` when unknown.
pub(crate) fn mb(kb: Option<u64>, decimals: usize) -> String {
    kb.map_or("?".to_string(), |k| {
        format!("{:.decimals$} MB", k as f64 / 1024.0)
    })
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn prepare(args: &BenchArgs<'_>, store: &Store, key: &AuditKey) -> Result<(Plan, String)> {
    let now = gaoxin_store::now();
    let plan = match store.current_plan().await? {
        Some(p)
            if p.plan.id == "shijiazhuang-htz-2025-2027"
                && p.plan.zones().count() >= args.zones =>
        {
            p.plan
        }
        Some(_) => bail!(
            "{} 中已有其他数据：请换一个 --dir 或删除它 / {} holds other data: use another --dir or remove it",
            args.dir.display(),
            args.dir.display()
        ),
        None => {
            let t = Instant::now();
            let source = national_plan(args.zones)?;
            let loaded = store.load_plan("bench-national.toml", &source, now).await?;
            eprintln!(
                "方案：{} 个高新区，{} 项目标，用时 {:.1} s / plan: {} zones, {} targets, {:.1} s",
                args.zones,
                loaded.version().target_count,
                t.elapsed().as_secs_f64(),
                args.zones,
                loaded.version().target_count,
                t.elapsed().as_secs_f64()
            );
            store
                .current_plan()
                .await?
                .context("the plan just loaded is missing")?
                .plan
        }
    };
    if !store.has_sample_data().await? {
        let t = Instant::now();
        let from = YearMonth::new(args.since, 1).context("--since is not a year")?;
        let rows = sample::generate(&plan, from, args.period);
        let written = store.load_sample_figures(&rows, now).await?;
        eprintln!(
            "示例数据：{written} 条（{from} 至 {}），用时 {:.1} s / sample figures: {written} rows, {:.1} s",
            args.period,
            t.elapsed().as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
    }
    let account = match store.account("bench-dispatcher").await? {
        Some(a) => a,
        None => {
            store
                .create_account(
                    key,
                    &Actor::console(),
                    &NewAccount {
                        username: "bench-dispatcher".into(),
                        unit: "dispatch".into(),
                        roles: vec![RoleKind::Dispatcher],
                        password_hash: "not a password hash: this account cannot sign in".into(),
                        must_change_password: false,
                        full_name: String::new(),
                        phone: String::new(),
                    },
                    now,
                )
                .await?
        }
    };
    let session = store
        .open_session(key, &account, "bench", true, &Default::default(), now)
        .await?;
    Ok((plan, session.token))
}

/// Runs the benchmark and prints its report (Markdown, for BENCHMARKS.md).
pub async fn run(args: BenchArgs<'_>) -> Result<ExitCode> {
    std::fs::create_dir_all(args.dir).with_context(|| {
        format!(
            "无法创建 {} / cannot create {}",
            args.dir.display(),
            args.dir.display()
        )
    })?;
    let url = match args.database {
        Some(u) => database_url(Some(u))?,
        None => database_url(Some(&format!(
            "sqlite://{}",
            args.dir.join("bench.db").display()
        )))?,
    };
    // The bench database's audit chain is sealed with a throwaway key: it is not a real log.
    let key = AuditKey::from_bytes(b"gaoxin bench: not a real audit key".to_vec());
    let store = Store::open(&url).await?.sealing(key.clone());
    let (plan, token) = prepare(&args, &store, &key).await?;
    let app = gaoxin_web::router(gaoxin_web::AppState::new(
        store.clone(),
        key,
        gaoxin_web::Config::default(),
    ));
    let cookie = format!("gaoxin_session={token}");
    let get = |uri: String| get_ok(&app, &cookie, uri);
    let zones: Vec<String> = plan
        .zones()
        .filter(|z| plan.targets_of(&z.id).next().is_some())
        .map(|z| z.id.clone())
        .collect();
    let period = args.period;
    // Warm up: the plan is parsed and cached on the first request.
    for z in zones.iter().take(20) {
        get(format!("/api/v1/cockpit/{z}?period={period}")).await?;
    }
    let mut times = Vec::with_capacity(args.requests);
    let mut bytes = 0;
    for i in 0..args.requests {
        let z = &zones[(i * 7919) % zones.len()];
        let t = Instant::now();
        bytes = get(format!("/api/v1/cockpit/{z}?period={period}")).await?;
        times.push(t.elapsed());
    }
    times.sort();
    let mut status_times = Vec::new();
    let mut status_bytes = 0;
    for _ in 0..5 {
        let t = Instant::now();
        status_bytes = get(format!("/api/v1/status?period={period}")).await?;
        status_times.push(t.elapsed());
    }
    status_times.sort();
    // Where the time of the all-zones status goes: reading the figures, and the arithmetic.
    let t = Instant::now();
    let figures = store.cockpit_figures(&plan, None, period).await?;
    let read = t.elapsed();
    let t = Instant::now();
    let evaluated: usize = zones
        .iter()
        .map(|z| gaoxin_core::monitor::zone_status(&plan, &figures, z, period).len())
        .sum();
    let arithmetic = t.elapsed();
    let p99 = percentile(&times, 0.99);
    let status_max = status_times.last().copied().unwrap_or_default();
    let cockpit_ok = p99 <= COCKPIT_P99_TARGET;
    let status_ok = status_max <= STATUS_TARGET;
    let verdict = |ok: bool| {
        if ok {
            "通过 / pass"
        } else {
            "未达标 / FAIL"
        }
    };
    println!("| 测量 / measure | 结果 / result | 目标 / target | |");
    println!("|---|---|---|---|");
    println!(
        "| `GET /api/v1/cockpit/{{zone}}` ×{} (≈{} bytes) | p50 {} · p95 {} · p99 {} · max {} | p99 < 20 ms | {} |",
        args.requests,
        bytes,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(p99),
        ms(times.last().copied().unwrap_or_default()),
        verdict(cockpit_ok)
    );
    println!(
        "| `GET /api/v1/status` ×5, {} zones (≈{} bytes) | median {} · max {} | < 1 s | {} |",
        zones.len(),
        status_bytes,
        ms(percentile(&status_times, 0.5)),
        ms(status_max),
        verdict(status_ok)
    );
    println!(
        "\n全部高新区状态的构成 / the all-zones status broken down: 读取基础数据 / reading figures {} · \
         计算 {evaluated} 项目标 / evaluating {evaluated} targets {}",
        ms(read),
        ms(arithmetic)
    );
    println!(
        "数据库 / database: {} · 报告期 / period {period} · 基础数据自 / figures since {}-01",
        url.redacted(),
        args.since
    );
    store.close().await;
    let scoring_ok = scoring(args.zones.max(2))?;
    let ledger_ok = from_enterprise_reports(args.dir).await?;
    Ok(if cockpit_ok && status_ok && scoring_ok && ledger_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// 对标分析's arithmetic on a generated peer set of `zones` zones × 45 indicators (the national
/// 2021 framework's 41 and the 2024 revision's first four): scoring and ranking every zone, and
/// one what-if (a value changed, the zone's rank and its 补强 steps recomputed) — each p99 under
/// 20 ms; the whole analysis the page shows (three methods, 补强, the path to the top 20) for
/// information. Prints its rows of the table; returns whether both targets are met.
fn scoring(zones: usize) -> Result<bool> {
    use gaoxin_core::benchmarking::{Framework, Method, Model, sample};
    let parse =
        |name: &str, src: &str| Framework::parse(name, src).map_err(|e| anyhow::anyhow!("{e}"));
    let mut framework = parse("national-2021", crate::data::BUNDLED_FRAMEWORKS[0].1)?;
    let revision = parse("national-2024", crate::data::BUNDLED_FRAMEWORKS[1].1)?;
    let quality = framework.dimensions.len() - 1;
    for mut i in revision.indicators {
        i.id = format!("r-{}", i.id);
        i.dimension = quality;
        framework.indicators.push(i);
    }
    let n = framework.indicators.len();
    let values = sample::peers(&framework, zones, 0x6265_6e63, 2025);
    let subject = 0;
    let mut score_times = Vec::with_capacity(SCORING_RUNS);
    let mut what_if_times = Vec::with_capacity(SCORING_RUNS);
    let mut analysis_times = Vec::with_capacity(SCORING_RUNS);
    let mut checksum = 0u64;
    for run in 0..SCORING_RUNS {
        let t = Instant::now();
        let model = Model::new(&framework, values.clone(), subject, Method::MinMax);
        checksum += u64::from(model.ranks()[subject]);
        score_times.push(t.elapsed());

        let j = (run * 7) % n;
        let x = model.value(subject, j).unwrap_or(1.0) * 1.3 + 1.0;
        let mut changed = model.clone();
        let t = Instant::now();
        changed.set(subject, j, Some(x));
        checksum += u64::from(changed.rank(subject));
        checksum += changed.strengthen().len() as u64;
        what_if_times.push(t.elapsed());

        let t = Instant::now();
        for m in Method::ALL {
            checksum += u64::from(Model::new(&framework, values.clone(), subject, m).rank(subject));
        }
        checksum += model.strengthen().len() as u64;
        checksum += u64::from(model.path_to(20).rank_after);
        analysis_times.push(t.elapsed());
    }
    score_times.sort();
    what_if_times.sort();
    analysis_times.sort();
    let score_p99 = percentile(&score_times, 0.99);
    let what_if_p99 = percentile(&what_if_times, 0.99);
    let ok = score_p99 <= SCORING_P99_TARGET && what_if_p99 <= SCORING_P99_TARGET;
    let verdict = |ok: bool| {
        if ok {
            "通过 / pass"
        } else {
            "未达标 / FAIL"
        }
    };
    println!(
        "\n| 对标分析 / benchmarking, {zones} zones × {n} indicators, ×{SCORING_RUNS} | 结果 / result | 目标 / target | |"
    );
    println!("|---|---|---|---|");
    println!(
        "| 打分与排名 / score and rank every zone | p50 {} · p99 {} · max {} | p99 < 20 ms | {} |",
        ms(percentile(&score_times, 0.5)),
        ms(score_p99),
        ms(score_times.last().copied().unwrap_or_default()),
        verdict(score_p99 <= SCORING_P99_TARGET)
    );
    println!(
        "| 一次假设分析 / one what-if (value changed, rank and 补强 recomputed) | p50 {} · p99 {} · max {} | p99 < 20 ms | {} |",
        ms(percentile(&what_if_times, 0.5)),
        ms(what_if_p99),
        ms(what_if_times.last().copied().unwrap_or_default()),
        verdict(what_if_p99 <= SCORING_P99_TARGET)
    );
    println!(
        "| 完整分析 / the whole analysis (3 methods, 补强, path to top 20) | p50 {} · p99 {} | — | (checksum {checksum}) |",
        ms(percentile(&analysis_times, 0.5)),
        ms(percentile(&analysis_times, 0.99)),
    );
    Ok(ok)
}

/// 对标分析's ledger side: a SQLite database with one zone holding 20,000 enterprises and their
/// annual reports for two years (generated once, beside the bench database), and the zone's
/// indicators computed from them through the use case — the records read, the formulas, the
/// high-tech certificates counted — timed five times; target under 1 s.
async fn from_enterprise_reports(dir: &Path) -> Result<bool> {
    use gaoxin_core::ledger::{Ledger, Record};
    let url = database_url(Some(&format!(
        "sqlite://{}",
        dir.join("bench-reports.db").display()
    )))?;
    let key = AuditKey::from_bytes(b"gaoxin bench: not a real audit key".to_vec());
    let store = Store::open(&url).await?.sealing(key);
    if store.current_plan_version_id().await?.is_none() {
        store
            .load_plan("seed", SEED_PLAN, gaoxin_store::now())
            .await?;
    }
    let plan = store.current_plan().await?.context("no plan")?.plan;
    let (Some(enterprises), Some(stats)) = (
        Ledger::find("enterprises"),
        Ledger::find("enterprise-stats"),
    ) else {
        bail!("the ledgers are not defined");
    };
    if store.ledger_size(stats).await? < (2 * REPORTS) as i64 {
        let t = Instant::now();
        let industry = gaoxin_core::ledger::industries(&plan)
            .first()
            .map(|s| s.to_string())
            .unwrap_or_default();
        let mut firms = Vec::with_capacity(REPORTS);
        let mut reports = Vec::with_capacity(2 * REPORTS);
        for n in 0..REPORTS {
            let first17 = format!("91130100BM{n:07}");
            let check = gaoxin_core::ledger::value::uscc_check_char(&first17).unwrap_or('0');
            let code = format!("{first17}{check}");
            let name = format!("基准企业{n:05}");
            firms.push(Record {
                values: vec![
                    code.clone(),
                    name.clone(),
                    "sjz-hz".into(),
                    industry.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            });
            for year in [2024, 2025] {
                let revenue = 1_000 + (n * 7_919 + year as usize) % 90_000;
                let employees = revenue / 60 + 20;
                let rd = revenue * (1 + n % 9) / 100;
                let v = |x: usize| x.to_string();
                reports.push(Record {
                    values: vec![
                        code.clone(),
                        name.clone(),
                        year.to_string(),
                        v(revenue),
                        v(revenue * 8 / 10),
                        v(revenue / 20),
                        v(revenue / 20),
                        v(revenue / 10),
                        if n % 3 == 0 { "是" } else { "否" }.into(),
                        v(employees),
                        v(employees / 2),
                        v(employees / 100),
                        v(employees / 10),
                        v(rd),
                        v(rd / 120),
                        v(rd / 360),
                        v(rd / 90),
                        v(revenue / 4_000 + 1),
                        v(revenue / 30),
                        String::new(),
                    ],
                });
            }
        }
        store
            .load_sample_ledgers(
                &plan,
                &[(enterprises, firms), (stats, reports)],
                gaoxin_store::now(),
            )
            .await?;
        eprintln!(
            "企业年报：{} 家企业、{} 条年报，用时 {:.1} s / enterprise reports: {} enterprises, {} reports, {:.1} s",
            REPORTS,
            2 * REPORTS,
            t.elapsed().as_secs_f64(),
            REPORTS,
            2 * REPORTS,
            t.elapsed().as_secs_f64()
        );
    }
    let framework = gaoxin_core::benchmarking::Framework::parse(
        "national-2021",
        crate::data::BUNDLED_FRAMEWORKS[0].1,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let act = gaoxin_app::Acting::console(&store, &plan, gaoxin_store::now());
    let mut times = Vec::new();
    let mut computed = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let got = gaoxin_app::benchmarking::from_ledgers(&act, &framework, "sjz-hz", 2025).await?;
        times.push(t.elapsed());
        computed = got.values.iter().flatten().count();
        if got.enterprises.len() != REPORTS {
            bail!("read {} reports, not {REPORTS}", got.enterprises.len());
        }
    }
    times.sort();
    let worst = times.last().copied().unwrap_or_default();
    let ok = worst <= REPORTS_TARGET;
    println!(
        "| 由 {REPORTS} 家企业年报计算本区 {computed} 个指标 / a zone's {computed} indicators from {REPORTS} enterprise reports (×5, SQLite) | median {} · max {} | < 1 s | {} |",
        ms(percentile(&times, 0.5)),
        ms(worst),
        if ok {
            "通过 / pass"
        } else {
            "未达标 / FAIL"
        }
    );
    store.close().await;
    Ok(ok)
}
