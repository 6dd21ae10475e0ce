//! `gaoxin bench-load`: the whole server under concurrent users. `gaoxin serve` runs as its own
//! process on loopback over a database with the sample data and 100,000 enterprises (SQLite
//! beside the bench files, or `--database`); `wrk` (a real HTTP load generator: `apt-get
//! install wrk`) plays 200 signed-in users — dispatchers, leaders and the units' reporters —
//! opening their 工作台, the enterprise ledger, searches in it and the 督办单 list, and the
//! reporters saving figures. Beside it, in the same run, a bare axum server answers every request
//! with the 工作台's bytes: the ceiling of this machine, wrk and the HTTP stack with no work done.
//!
//! Reported: requests a second, p50/p99, responses other than 2xx/3xx, socket errors and every
//! `database is locked` in the server's log. The command exits 1 when any request failed or the
//! log names a locked database.

use crate::bench_ledgers::{
    bench_account, bench_database, bench_person, bench_store, fill_enterprises, key, key_file,
    spawn_serve,
};
use anyhow::{Context, Result, bail};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::monitor::workflow::{entry_figures, entry_units};
use gaoxin_core::monitor::{FigureState, YearMonth};
use gaoxin_core::plan::DepartmentKind;
use gaoxin_store::Store;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode};

#[derive(Debug)]
pub struct Args<'a> {
    pub dir: &'a Path,
    pub users: usize,
    pub records: usize,
    pub seconds: u64,
    pub wrk: &'a str,
    /// A PostgreSQL (or SQLite) URL; by default `DIR/load.db`.
    pub database: Option<&'a str>,
}

/// One signed-in user of the load: the session cookie, its CSRF token, and for a reporter the
/// form fields of a figure it may save.
struct User {
    cookie: String,
    csrf: String,
    save: Option<String>,
}

/// What wrk measured.
#[derive(Debug, Default)]
struct Measured {
    requests_per_sec: f64,
    p50: String,
    p99: String,
    requests: u64,
    non_2xx_3xx: u64,
    /// 422s: a value saved twice at once, the second told to reload.
    conflicts: u64,
    /// Other responses at or over 400.
    failures: u64,
    socket_errors: String,
}

/// The users: one in ten a dispatcher, one in ten a leader, the rest reporters of the
/// departments that enter figures this month, each given a figure still open to saving.
async fn users(store: &Store, plan: &gaoxin_core::Plan, n: usize) -> Result<Vec<User>> {
    let period = YearMonth::current(gaoxin_store::now());
    // (department, unit, figure) a reporter of the department may save now.
    let mut open = Vec::new();
    for d in plan
        .departments
        .iter()
        .filter(|d| d.kind != DepartmentKind::Dispatch)
    {
        let who = gaoxin_core::auth::Who {
            roles: &[RoleKind::Reporter],
            department: &d.id,
        };
        for unit in entry_units(plan, who, period) {
            for f in entry_figures(plan, who, &unit, period) {
                let state = store
                    .figure_value(&unit, &f.id, period)
                    .await?
                    .map(|v| v.state);
                // Each value once, by the first department that may save it.
                let taken = open
                    .iter()
                    .any(|(_, u, x): &(String, String, String)| *u == unit && *x == f.id);
                if !taken
                    && matches!(
                        state,
                        None | Some(FigureState::Draft | FigureState::Returned)
                    )
                {
                    open.push((d.id.clone(), unit.clone(), f.id.clone()));
                }
            }
        }
    }
    if open.is_empty() {
        bail!("本月没有可填报的基础数据 / no figure is open to saving this month");
    }
    let mut out = Vec::with_capacity(n);
    let mut reporters = 0;
    for i in 0..n {
        let (account, save) = match i % 10 {
            0 => (
                bench_person(
                    store,
                    &key(),
                    &format!("load-{i:03}"),
                    "dispatch",
                    RoleKind::Dispatcher,
                )
                .await?,
                None,
            ),
            1 => (
                bench_person(
                    store,
                    &key(),
                    &format!("load-{i:03}"),
                    "dispatch",
                    RoleKind::Leader,
                )
                .await?,
                None,
            ),
            _ => {
                // Each value saved by one reporter only: two people saving the same value at
                // the same moment are told the other was first (on PostgreSQL), which is right
                // but not what this measures. Reporters beyond the open values only read.
                let k = reporters;
                reporters += 1;
                let (dept, unit, figure) = &open[k % open.len()];
                (
                    // Named by the department too: a later run may give user i another one.
                    bench_person(
                        store,
                        &key(),
                        &format!("load-{i:03}-{dept}"),
                        dept,
                        RoleKind::Reporter,
                    )
                    .await?,
                    (k < open.len()).then(|| {
                        format!(
                            "period={period}&unit={unit}&e.{figure}={}&v.{figure}=",
                            crate::bench_ledgers::encode("压测：数值为生成")
                        )
                    }),
                )
            }
        };
        let session = store
            .open_session(
                &key(),
                &account,
                "127.0.0.1",
                true,
                &Default::default(),
                gaoxin_store::now(),
            )
            .await?;
        out.push(User {
            cookie: format!("gaoxin_session={}", session.token),
            csrf: session.csrf_token,
            save,
        });
    }
    Ok(out)
}

/// The wrk script: each request a random user; 30 % the 工作台, 25 % the ledger (a random page
/// of the first fifty), 20 % a name search, 15 % the 督办单 list, 10 % a reporter saving a figure.
fn script(users: &[User], origin: &str) -> String {
    let mut s = String::from("local users = {\n");
    for u in users {
        let _ = writeln!(
            s,
            "  {{c = \"{}\", t = \"{}\", p = \"{}\"}},",
            u.cookie,
            u.csrf,
            u.save.as_deref().unwrap_or("")
        );
    }
    s.push_str("}\nlocal writers = {");
    for (i, u) in users.iter().enumerate() {
        if u.save.is_some() {
            let _ = write!(s, "{},", i + 1);
        }
    }
    let searches = ["科技", "河北", "正定", "智能制造", "华", "医药"]
        .iter()
        .map(|q| {
            format!(
                "\"/ledgers/enterprises?q={}\"",
                crate::bench_ledgers::encode(q)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let _ = write!(
        s,
        r#"}}
local searches = {{{searches}}}
local origin = "{origin}"
function init(args)
  math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16) % 100000)
end
function request()
  local r = math.random(100)
  if r > 90 and #writers > 0 then
    local u = users[writers[math.random(#writers)]]
    local body = "csrf=" .. u.t .. "&" .. u.p .. math.random(100, 999)
    return wrk.format("POST", "/figures", {{["Cookie"] = u.c, ["Origin"] = origin,
      ["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
  end
  local u = users[math.random(#users)]
  local path
  if r <= 30 then path = "/"
  elseif r <= 55 then path = "/ledgers/enterprises?page=" .. math.random(50)
  elseif r <= 75 then path = searches[math.random(#searches)]
  else path = "/supervision" end
  return wrk.format("GET", path, {{["Cookie"] = u.c}})
end
-- Refusals counted apart: 422, a value saved twice at the same moment (wrk's connections are
-- not people: one user's two saves can cross), and anything else at or over 400.
conflicts, failures = 0, 0
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  if status == 422 then conflicts = conflicts + 1
  elseif status >= 400 then failures = failures + 1 end
end
function done(summary, latency, requests)
  local c, f = 0, 0
  for _, t in ipairs(threads) do c = c + t:get("conflicts"); f = f + t:get("failures") end
  io.write("conflicts: ", c, "\nfailures: ", f, "\n")
end
"#
    );
    s
}

/// Runs wrk against `addr` with the script; parses what it prints.
fn run_wrk(args: &Args<'_>, script: &Path, addr: &str) -> Result<(Measured, String)> {
    let out = Command::new(args.wrk)
        .args(["-t2", &format!("-c{}", args.users), &format!("-d{}s", args.seconds)])
        .args(["--timeout", "10s", "--latency", "-s"])
        .arg(script)
        .arg(format!("http://{addr}"))
        .output()
        .with_context(|| {
            format!(
                "无法运行 {}：请先安装 wrk（apt-get install wrk）/ cannot run {}: install wrk (apt-get install wrk)",
                args.wrk, args.wrk
            )
        })?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!("wrk: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    }
    let mut m = Measured::default();
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("50%"), Some(v)) => m.p50 = v.into(),
            (Some("99%"), Some(v)) => m.p99 = v.into(),
            (Some("Requests/sec:"), Some(v)) => m.requests_per_sec = v.parse().unwrap_or(0.0),
            _ => {}
        }
        if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            m.non_2xx_3xx = rest.trim().parse().unwrap_or(0);
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            m.socket_errors = rest.trim().to_string();
        }
        if let Some(rest) = line.strip_prefix("conflicts:") {
            m.conflicts = rest.trim().parse().unwrap_or(0);
        }
        if let Some(rest) = line.strip_prefix("failures:") {
            m.failures = rest.trim().parse().unwrap_or(0);
        }
        if line.contains("requests in") {
            m.requests = line
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    Ok((m, text))
}

/// wrk's socket errors, or 0 when it printed none.
fn or_zero(errors: &str) -> &str {
    if errors.is_empty() { "0" } else { errors }
}

/// One plain HTTP/1.1 request; the status and the body.
fn http(addr: &str, method: &str, path: &str, headers: &str, body: &str) -> Result<(u16, String)> {
    let mut conn = std::net::TcpStream::connect(addr)?;
    write!(
        conn,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut reply = Vec::new();
    conn.read_to_end(&mut reply)?;
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .context("no HTTP status")?;
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// A page's main text, its tags and spaces dropped: what a refusal says.
fn text_of(page: &str) -> String {
    let main = page.split_once("<main").map_or(page, |(_, m)| m);
    let mut out = String::new();
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    words.join(" ").chars().take(1500).collect()
}

/// Requests of each kind timed one after another.
const ALONE: usize = 30;

/// Each kind of request of the mix on its own, [`ALONE`] times in a row: what one costs the
/// server with nothing else running, the share it has in the mix beside it.
fn one_at_a_time(addr: &str, users: &[User]) -> Result<Vec<String>> {
    let (dispatcher, leader) = (&users[0], &users[1]);
    let reporter = users
        .iter()
        .find(|u| u.save.is_some())
        .context("no reporter")?;
    let cookie = |u: &User| format!("Cookie: {}\r\n", u.cookie);
    let kinds: Vec<(&str, &str, &str, String, String, String)> = vec![
        (
            "工作台（调度员）/ 工作台, dispatcher",
            "3 %",
            "GET",
            "/".into(),
            cookie(dispatcher),
            String::new(),
        ),
        (
            "首页（领导）/ home, leader",
            "3 %",
            "GET",
            "/".into(),
            cookie(leader),
            String::new(),
        ),
        (
            "工作台（填报员）/ 工作台, reporter",
            "24 %",
            "GET",
            "/".into(),
            cookie(reporter),
            String::new(),
        ),
        (
            "台账第 25 页 / ledger page 25",
            "25 %",
            "GET",
            "/ledgers/enterprises?page=25".into(),
            cookie(dispatcher),
            String::new(),
        ),
        (
            "名称搜索“科技” / name search 科技",
            "20 % (one of six)",
            "GET",
            format!(
                "/ledgers/enterprises?q={}",
                crate::bench_ledgers::encode("科技")
            ),
            cookie(dispatcher),
            String::new(),
        ),
        (
            "督办单 / orders",
            "15 %",
            "GET",
            "/supervision".into(),
            cookie(dispatcher),
            String::new(),
        ),
        (
            "保存基础数据 / saving a figure",
            "10 %",
            "POST",
            "/figures".into(),
            format!(
                "{}Origin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                cookie(reporter)
            ),
            format!(
                "csrf={}&{}",
                reporter.csrf,
                reporter.save.as_deref().unwrap_or("")
            ),
        ),
    ];
    let mut lines = Vec::new();
    for (label, share, method, path, headers, body) in kinds {
        let mut times = Vec::with_capacity(ALONE);
        for i in 0..ALONE {
            let body = if method == "POST" {
                format!("{body}{}", 100 + i)
            } else {
                body.clone()
            };
            let t = std::time::Instant::now();
            let (status, _) = http(addr, method, &path, &headers, &body)?;
            times.push(t.elapsed());
            if status != 200 {
                bail!("{method} {path} → {status}");
            }
        }
        times.sort();
        lines.push(format!(
            "| {label} | {share} | {} | {} |",
            crate::bench::ms(crate::bench::percentile(&times, 0.5)),
            crate::bench::ms(crate::bench::percentile(&times, 0.99))
        ));
    }
    Ok(lines)
}

/// `gaoxin serve` on the database, its log in `log`; the address it serves on.
fn serve(dir: &Path, url: &str, log: &Path) -> Result<(Child, String)> {
    spawn_serve(
        &std::env::current_exe()?,
        url,
        &key_file(dir)?,
        &dir.join("load.anchor"),
        std::fs::File::create(log)?,
    )
}

/// Serves `page` for every GET and a 303 for every POST: the ceiling.
async fn bare_axum(page: String) -> Result<String> {
    use axum::response::{Html, Redirect};
    let page = std::sync::Arc::new(page);
    let app = axum::Router::new().fallback(move |method: axum::http::Method| {
        let page = page.clone();
        async move {
            use axum::response::IntoResponse;
            if method == axum::http::Method::POST {
                Redirect::to("/figures").into_response()
            } else {
                Html(page.as_str().to_string()).into_response()
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?.to_string();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

pub async fn run(args: Args<'_>) -> Result<ExitCode> {
    let url = bench_database(args.dir, args.database, "load.db")?;
    let store = bench_store(&url).await?;
    let backend = store.backend().name();
    // The sample month first (it is not mixed into real records), then the enterprises.
    crate::monitor::load_demo(&store).await?;
    crate::benchmark::load_demo(&store).await?;
    let plan = crate::data::current_plan(&store).await?;
    let importer = bench_account(&store, &key()).await?;
    let records = fill_enterprises(&store, &plan, &importer, args.records).await?;
    let users = users(&store, &plan, args.users).await?;
    store.close().await;

    let log = args.dir.join("serve.log");
    let (mut child, addr) = serve(args.dir, &url, &log)?;
    let result = (|| -> Result<(Measured, String, String, Vec<String>)> {
        // Each kind of request answers as it should before the load starts.
        let dispatcher = &users[0];
        let (status, page) = http(
            &addr,
            "GET",
            "/",
            &format!("Cookie: {}\r\n", dispatcher.cookie),
            "",
        )?;
        if status != 200 {
            bail!("GET / → {status}");
        }
        let writer = users
            .iter()
            .find(|u| u.save.is_some())
            .context("no reporter")?;
        let (status, body) = http(
            &addr,
            "POST",
            "/figures",
            &format!(
                "Cookie: {}\r\nOrigin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                writer.cookie
            ),
            &format!(
                "csrf={}&{}123",
                writer.csrf,
                writer.save.as_deref().unwrap_or("")
            ),
        )?;
        // Saved: the form again, saying so (a refusal is a 422).
        if status != 200 {
            bail!("POST /figures → {status}: {}", text_of(&body));
        }
        let alone = one_at_a_time(&addr, &users)?;
        let script_path = args.dir.join("load.lua");
        std::fs::write(&script_path, script(&users, &format!("http://{addr}")))?;
        let (m, text) = run_wrk(&args, &script_path, &addr)?;
        Ok((m, text, page, alone))
    })();
    let _ = child.kill();
    let _ = child.wait();
    let (served, text, page, alone) = result?;
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    let locked = log_text.matches("database is locked").count();
    let errors = log_text.lines().filter(|l| l.contains("ERROR")).count();

    // The ceiling, with the same script (its cookies mean nothing there).
    let bare = bare_axum(page.clone()).await?;
    let script_path = args.dir.join("load.lua");
    std::fs::write(&script_path, script(&users, &format!("http://{bare}")))?;
    let (ceiling, _) = run_wrk(&args, &script_path, &bare)?;

    println!("{}", text.trim());
    println!();
    println!(
        "{backend}: {} 个用户 / users ({} 个保存基础数据 / saving figures, each its own value), {records} 条企业记录 / enterprise records, {} s；工作台页面 / the 工作台 page {} KB",
        args.users,
        users.iter().filter(|u| u.save.is_some()).count(),
        args.seconds,
        page.len() / 1024
    );
    println!(
        "| 服务 / server | 请求/秒 / requests/s | p50 | p99 | 请求数 / requests | 非 2xx/3xx（其中 422）/ non-2xx/3xx (422 of them) | socket errors | database is locked | ERROR 日志行 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| gaoxin serve ({backend}) | {:.0} | {} | {} | {} | {} ({}) | {} | {locked} | {errors} |",
        served.requests_per_sec,
        served.p50,
        served.p99,
        served.requests,
        served.non_2xx_3xx,
        served.conflicts,
        or_zero(&served.socket_errors),
    );
    println!(
        "| 裸 axum（上限）/ bare axum (ceiling) | {:.0} | {} | {} | {} | {} | {} | — | — |",
        ceiling.requests_per_sec,
        ceiling.p50,
        ceiling.p99,
        ceiling.requests,
        ceiling.non_2xx_3xx,
        or_zero(&ceiling.socket_errors),
    );
    println!();
    println!("一次一个请求（无并发）/ one request at a time (no load), {ALONE} each:");
    println!("| 请求 / request | 份额 / share | p50 | p99 |");
    println!("|---|---|---|---|");
    for line in &alone {
        println!("{line}");
    }
    println!(
        "gaoxin / ceiling: {:.1} %",
        100.0 * served.requests_per_sec / ceiling.requests_per_sec.max(1.0)
    );
    // A conflict is the answer the person gets when it happens; anything else is a failure.
    let clean = served.failures == 0
        && served.non_2xx_3xx == served.conflicts
        && served.socket_errors.is_empty()
        && locked == 0
        && errors == 0;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
