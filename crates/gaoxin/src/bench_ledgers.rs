//! `gaoxin bench-ledgers`: a 100,000-row enterprise workbook imported by `gaoxin import` (a child
//! process, so its peak memory is its own) and by the committed Python peer (pandas + openpyxl
//! into SQLite, `bench/peer_import.py`), in one run; then the ledger list page through the real
//! router on a database of 300,000 enterprises.
//!
//! Targets (issue 5): the import under 3 s and 500 MB, at least 10× faster than the peer; the
//! list page under 50 ms at the 99th percentile. The command exits 1 when a target is missed.

use crate::bench::{get_ok, mb, ms, percentile};
use crate::data::{SEED_PLAN, SEED_PLAN_NAME, database_url};
use anyhow::{Context, Result, bail};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::ledger::sheet::ParsedRow;
use gaoxin_core::ledger::value::uscc_check_char;
use gaoxin_core::ledger::{Ledger, Record};
use gaoxin_store::{Account, Actor, AuditKey, NewAccount, Store};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const IMPORT_TARGET: Duration = Duration::from_secs(3);
const MEMORY_TARGET_KB: u64 = 500 * 1024;
const SPEEDUP_TARGET: f64 = 10.0;
const LIST_P99_TARGET: Duration = Duration::from_millis(50);
/// While an import runs in another process, no page read or sign-in waits longer than this.
const MEANWHILE_MAX: Duration = Duration::from_secs(2);

/// The peer, committed at `bench/peer_import.py`, carried in the binary so the bench runs from
/// any folder.
const PEER: &str = include_str!("../../../bench/peer_import.py");

#[derive(Debug)]
pub struct Args<'a> {
    pub dir: &'a Path,
    pub rows: usize,
    pub list_rows: usize,
    pub requests: usize,
    pub python: &'a str,
}

const UNITS: [&str; 4] = ["sjz-hz", "zd-hz", "sjz", "zd"];

/// A valid credit code for enterprise `n`.
fn uscc(n: usize) -> String {
    let first17 = format!("91130100MA{n:07}");
    let check = uscc_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// Enterprise `n`, as a clerk's workbook would hold it: most amounts plain numbers, every tenth
/// with thousands separators and 万元, as typed.
fn enterprise(plan: &gaoxin_core::Plan, n: usize) -> Record {
    let industries = gaoxin_core::ledger::industries(plan);
    let amount = (n * 37 % 50_000) as f64 / 10.0;
    Record {
        values: vec![
            uscc(n),
            format!("石家庄第{n}号科技有限公司"),
            UNITS[n % UNITS.len()].to_string(),
            industries[n % industries.len()].to_string(),
            if n.is_multiple_of(10) {
                format!("{},{:03}.5万元", (n % 97) + 1, n % 1000)
            } else {
                format!("{amount}")
            },
            if n.is_multiple_of(3) { "是" } else { "否" }.to_string(),
            format!("联系人{}", n % 1000),
            format!("0311-{:08}", n),
            String::new(),
        ],
    }
}

fn enterprises() -> Result<&'static Ledger> {
    Ledger::find("enterprises").context("no enterprises ledger")
}

async fn bench_account(store: &Store, key: &AuditKey) -> Result<Account> {
    if let Some(a) = store.account("bench-importer").await? {
        return Ok(a);
    }
    Ok(store
        .create_account(
            key,
            &Actor::console(),
            &NewAccount {
                username: "bench-importer".into(),
                unit: "dispatch".into(),
                roles: vec![RoleKind::Dispatcher],
                password_hash: "not a password hash: this account cannot sign in".into(),
                must_change_password: false,
                full_name: String::new(),
                phone: String::new(),
            },
            gaoxin_store::now(),
        )
        .await?)
}

/// A bench database, sealing with the bench key, with the seed plan.
async fn bench_store(url: &str) -> Result<Store> {
    let store = Store::open(&database_url(Some(url))?).await?.sealing(key());
    if store.current_plan_version_id().await?.is_none() {
        store
            .load_plan(SEED_PLAN_NAME, SEED_PLAN, gaoxin_store::now())
            .await?;
    }
    Ok(store)
}

/// The bench databases' audit key: not a real log's. Its file is what `gaoxin import` (a child
/// process) is pointed at.
const KEY_BYTES: &[u8; 32] = b"gaoxin bench: not a real key ...";

fn key() -> AuditKey {
    AuditKey::from_bytes(KEY_BYTES.to_vec())
}

/// The bench key as a key file for `--audit-key`.
fn key_file(dir: &Path) -> Result<std::path::PathBuf> {
    let path = dir.join("bench-audit.key");
    std::fs::write(
        &path,
        format!("{}\n", gaoxin_core::audit::to_hex(KEY_BYTES)),
    )?;
    Ok(path)
}

/// The web application over `store` in process, and the session cookie of `account` signed in.
async fn signed_in_app(store: &Store, account: &Account) -> Result<(axum::Router, String)> {
    let session = store
        .open_session(
            &key(),
            account,
            "bench",
            true,
            &Default::default(),
            gaoxin_store::now(),
        )
        .await?;
    let app = gaoxin_web::router(gaoxin_web::AppState::new(
        store.clone(),
        key(),
        gaoxin_web::Config::default(),
    ));
    Ok((app, format!("gaoxin_session={}", session.token)))
}

/// The password of the account the web load signs in as while an import runs.
const SIGNER_PASSWORD: &str = "Bench!Signer-2026-gx";

/// What the web application met while an import ran in another process.
#[derive(Debug, Default)]
struct Meanwhile {
    /// The ledger list page, as the dispatcher.
    reads: Vec<Duration>,
    /// Sign-ins (each writes: a session, counters, an audit event).
    writes: Vec<Duration>,
    failures: usize,
    first_failure: Option<String>,
}

/// Reads a page and signs in, over and over, until `stop`: what people do while an import runs.
async fn use_meanwhile(
    store: Store,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<Meanwhile> {
    use axum::body::Body;
    use axum::http::{Request, header};
    use tower::ServiceExt;
    let account = bench_account(&store, &key()).await?;
    if store.account("bench-signer").await?.is_none() {
        let hash = gaoxin_core::auth::password::hash(SIGNER_PASSWORD, &[7; 16])?;
        store
            .create_account(
                &key(),
                &Actor::console(),
                &NewAccount {
                    username: "bench-signer".into(),
                    unit: "dispatch".into(),
                    roles: vec![RoleKind::Leader],
                    password_hash: hash,
                    must_change_password: false,
                    full_name: String::new(),
                    phone: String::new(),
                },
                gaoxin_store::now(),
            )
            .await?;
    }
    let (app, cookie) = signed_in_app(&store, &account).await?;
    let body =
        serde_json::json!({ "username": "bench-signer", "password": SIGNER_PASSWORD }).to_string();
    let mut m = Meanwhile::default();
    let fail = |m: &mut Meanwhile, what: String| {
        m.failures += 1;
        m.first_failure.get_or_insert(what);
    };
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        let t = Instant::now();
        match get_ok(&app, &cookie, "/ledgers/enterprises".to_string()).await {
            Ok(_) => m.reads.push(t.elapsed()),
            Err(e) => fail(&mut m, e.to_string()),
        }
        let req = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "bench")
            .body(Body::from(body.clone()))?;
        let t = Instant::now();
        let res = app.clone().oneshot(req).await?;
        let status = res.status();
        let took = t.elapsed();
        if status.is_success() {
            m.writes.push(took);
        } else {
            let text = axum::body::to_bytes(res.into_body(), 64 * 1024).await?;
            fail(
                &mut m,
                format!("sign-in {status}: {}", String::from_utf8_lossy(&text)),
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(m)
}

/// Runs a command, timing it; its stderr's `peak_memory_kb=` line is the peak it reports.
pub(crate) fn timed(cmd: &mut Command) -> Result<(Duration, Option<u64>, String)> {
    let t = Instant::now();
    let out = cmd
        .output()
        .with_context(|| format!("无法运行 / cannot run {cmd:?}"))?;
    let elapsed = t.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!("{cmd:?} 失败 / failed: {}\n{stdout}\n{stderr}", out.status);
    }
    let peak = stderr
        .lines()
        .chain(stdout.lines())
        .find_map(|l| l.trim().strip_prefix("peak_memory_kb="))
        .and_then(|v| v.trim().parse().ok());
    Ok((elapsed, peak, stdout))
}

pub async fn run(args: Args<'_>) -> Result<ExitCode> {
    let dir = args.dir;
    std::fs::create_dir_all(dir).with_context(|| {
        format!(
            "无法创建 {} / cannot create {}",
            dir.display(),
            dir.display()
        )
    })?;
    let l = enterprises()?;
    let seed = gaoxin_core::Plan::parse("seed", crate::data::SEED_PLAN)
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    // The workbook: made once, by the same writer as exports.
    let workbook = dir.join(format!("enterprises-{}.xlsx", args.rows));
    if !workbook.exists() {
        let t = Instant::now();
        let records: Vec<Record> = (0..args.rows).map(|n| enterprise(&seed, n)).collect();
        let bytes = gaoxin_excel::ledger_export(&seed, l, &records, false)?;
        std::fs::write(&workbook, bytes)?;
        eprintln!(
            "工作簿 / workbook: {} 行 / rows, {:.1} s",
            args.rows,
            t.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&workbook)?.len();

    // gaoxin: a fresh database with an account, then `gaoxin import` in a child process.
    let db = dir.join("import.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let url = format!("sqlite://{}", db.display());
    let key_path = key_file(dir)?;
    // While the import runs (another process, holding SQLite's write lock as it writes), the
    // web application on the same database is used: a page read and a sign-in, over and over.
    let serving = bench_store(&url).await?;
    bench_account(&serving, &key()).await?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let users = tokio::spawn(use_meanwhile(serving.clone(), stop.clone()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let exe = std::env::current_exe()?;
    let mut child = Command::new(&exe);
    child
        .args(["import", "enterprises"])
        .arg(&workbook)
        .args(["--as", "bench-importer", "--database", &url, "--audit-key"])
        .arg(&key_path)
        .env("GAOXIN_REPORT_PEAK_MEMORY", "1");
    let imported = tokio::task::spawn_blocking(move || timed(&mut child)).await?;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut meanwhile = users.await??;
    serving.close().await;
    let (ours, our_peak, _) = imported?;
    meanwhile.reads.sort();
    meanwhile.writes.sort();
    let store = bench_store(&url).await?;
    let imported = store.ledger_size(l).await?;
    store.close().await;
    if imported != args.rows as i64 {
        bail!(
            "导入了 {imported} 条，应为 {} / imported {imported}, expected {}",
            args.rows,
            args.rows
        );
    }

    // The peer.
    let peer = dir.join("peer_import.py");
    std::fs::write(&peer, PEER)?;
    let peer_db = dir.join("peer.db");
    let _ = std::fs::remove_file(&peer_db);
    let (theirs, their_peak, peer_out) = timed(
        Command::new(args.python)
            .arg(&peer)
            .arg(&workbook)
            .arg(&peer_db),
    )
    .context(
        "对照脚本需要 pandas 和 openpyxl：pip install -r bench/requirements.txt / the peer needs \
         pandas and openpyxl: pip install -r bench/requirements.txt",
    )?;
    let peer_rows = peer_out
        .lines()
        .find_map(|l| l.strip_prefix("rows="))
        .and_then(|v| v.trim().parse::<usize>().ok());
    if peer_rows != Some(args.rows) {
        bail!("对照脚本导入了 {peer_rows:?} 条 / the peer imported {peer_rows:?} rows");
    }

    // The list page on `list_rows` enterprises, through the router.
    let list_db = dir.join("list.db");
    let list_url = format!("sqlite://{}", list_db.display());
    let store = bench_store(&list_url).await?;
    let account = bench_account(&store, &key()).await?;
    let have = store.ledger_size(l).await? as usize;
    if have < args.list_rows {
        let t = Instant::now();
        let plan = crate::data::current_plan(&store).await?;
        let rows: Vec<ParsedRow> = (have..args.list_rows)
            .map(|n| {
                let mut record = enterprise(&plan, n);
                record.values[4] = format!("{}", (n * 37 % 50_000) as f64 / 10.0);
                ParsedRow {
                    line: n + 2,
                    record,
                }
            })
            .collect();
        let report = store
            .ledger_import(
                &gaoxin_store::Act::of(&plan, &account, gaoxin_store::now()),
                l,
                &gaoxin_store::ImportFile::new(
                    "bench",
                    &format!("bench-{have}-{}", args.list_rows),
                ),
                &rows,
                false,
            )
            .await?;
        if !report.errors.is_empty() {
            bail!("{:?}", report.errors.first());
        }
        eprintln!(
            "列表数据库 / list database: {} 条 / records, {:.1} s",
            args.list_rows,
            t.elapsed().as_secs_f64()
        );
    }
    let (app, cookie) = signed_in_app(&store, &account).await?;
    let get = |uri: String| get_ok(&app, &cookie, uri);
    let requests = [
        ("第一页 / first page", "/ledgers/enterprises".to_string()),
        (
            "按区域 / one zone",
            "/ledgers/enterprises?unit=sjz-hz".to_string(),
        ),
        (
            "按产业、金额倒序 / industry, by amount desc",
            "/ledgers/enterprises?kind=%E7%94%9F%E7%89%A9%E5%8C%BB%E8%8D%AF&sort=amount&desc=1"
                .to_string(),
        ),
        (
            "名称搜索 / name search",
            "/ledgers/enterprises?q=%E7%AC%AC12345%E5%8F%B7".to_string(),
        ),
        (
            "代码搜索 / code search",
            format!("/ledgers/enterprises?q={}", &uscc(4321)[..12]),
        ),
        (
            "第 100 页 / page 100",
            "/ledgers/enterprises?page=100".to_string(),
        ),
    ];
    get(requests[0].1.clone()).await?;
    let mut all = Vec::new();
    let mut lines = Vec::new();
    for (label, uri) in &requests {
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let t = Instant::now();
            get(uri.clone()).await?;
            times.push(t.elapsed());
        }
        times.sort();
        lines.push(format!(
            "| {label} | p50 {} · p99 {} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        ));
        all.extend(times);
    }
    all.sort();
    store.close().await;

    let meanwhile_ok = meanwhile.failures == 0
        && meanwhile.reads.last().is_none_or(|d| *d <= MEANWHILE_MAX)
        && meanwhile.writes.last().is_none_or(|d| *d <= MEANWHILE_MAX);
    let list_p99 = percentile(&all, 0.99);
    let speedup = theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9);
    let import_ok = ours <= IMPORT_TARGET;
    let memory_ok = our_peak.is_some_and(|kb| kb <= MEMORY_TARGET_KB);
    let speed_ok = speedup >= SPEEDUP_TARGET;
    let list_ok = list_p99 <= LIST_P99_TARGET;
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
        "| `gaoxin import enterprises`，{} 行（{:.1} MB） | {:.2} s | < 3 s | {} |",
        args.rows,
        size as f64 / 1_048_576.0,
        ours.as_secs_f64(),
        verdict(import_ok)
    );
    println!(
        "| 同上，峰值内存 / peak memory | {} | < 500 MB | {} |",
        mb(our_peak, 0),
        verdict(memory_ok)
    );
    println!(
        "| Python 对照（pandas + openpyxl → SQLite）/ Python peer | {:.2} s · {} | — | |",
        theirs.as_secs_f64(),
        mb(their_peak, 0)
    );
    println!(
        "| 速度比 / speed-up | {speedup:.1}× | ≥ 10× | {} |",
        verdict(speed_ok)
    );
    println!(
        "| 列表页 `GET /ledgers/enterprises`，{} 条记录，6 种请求各 ×{} | p50 {} · p99 {} · max {} | p99 < 50 ms | {} |",
        args.list_rows,
        args.requests,
        ms(percentile(&all, 0.5)),
        ms(list_p99),
        ms(all.last().copied().unwrap_or_default()),
        verdict(list_ok)
    );
    let spread = |v: &[Duration]| {
        format!(
            "{} × · p50 {} · p99 {} · max {}",
            v.len(),
            ms(percentile(v, 0.5)),
            ms(percentile(v, 0.99)),
            ms(v.last().copied().unwrap_or_default())
        )
    };
    println!(
        "| 导入期间的网页：列表页 / while importing: list page | {} | max < {} s, 0 failures | {} |",
        spread(&meanwhile.reads),
        MEANWHILE_MAX.as_secs(),
        verdict(meanwhile_ok)
    );
    println!(
        "| 导入期间的网页：登录（写入）/ while importing: sign-ins (writes) | {} · failures {}{} | | |",
        spread(&meanwhile.writes),
        meanwhile.failures,
        meanwhile
            .first_failure
            .as_deref()
            .map(|f| format!(" (first: {})", f.chars().take(120).collect::<String>()))
            .unwrap_or_default()
    );
    println!("\n| 列表请求 / list request | 时间 / time |\n|---|---|");
    for l in lines {
        println!("{l}");
    }
    Ok(
        if import_ok && memory_ok && speed_ok && list_ok && meanwhile_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}
