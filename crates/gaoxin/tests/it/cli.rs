//! The command line, run as a user runs it: the built binary, its output and exit status.

use crate::support::TempDir;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn gaoxin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gaoxin"))
        .args(args)
        .env_remove("GAOXIN_DATABASE")
        .env_remove("GAOXIN_LISTEN")
        .output()
        .expect("run gaoxin")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

#[test]
fn plan_targets_lists_every_goal_with_the_seed_values() {
    let out = gaoxin(&["plan", "targets", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "zone,indicator,year,comparator,value,unit");
    let expected = [
        "石家庄高新区,营业收入增速,2025,>=,7,%",
        "石家庄高新区,GDP增速,2025,>=,8,%",
        "石家庄高新区,固定资产投资增速,2025,>=,10,%",
        "石家庄高新区,规模以上工业增加值占全市比重,2025,>=,20,%",
        "石家庄高新区,高新技术企业占全市比重,2025,>=,31,%",
        "石家庄高新区,市级以上创新平台,2025,>=,320,家",
        "石家庄高新区,营业收入增速,2026,>=,9,%",
        "石家庄高新区,GDP增速,2026,>=,10,%",
        "石家庄高新区,固定资产投资增速,2026,>=,11,%",
        "石家庄高新区,规模以上工业增加值占全市比重,2026,>=,21,%",
        "石家庄高新区,高新技术企业占全市比重,2026,>=,32,%",
        "石家庄高新区,市级以上创新平台,2026,>=,330,家",
        "石家庄高新区,全国高新区综合评价排名,2027,<=,20,名次",
        "石家庄高新区,营业收入增速,2027,>=,10,%",
        "石家庄高新区,GDP增速,2027,>=,10,%",
        "石家庄高新区,固定资产投资增速,2027,>=,12,%",
        "石家庄高新区,规模以上工业增加值占全市比重,2027,>=,25,%",
        "石家庄高新区,高新技术企业占全市比重,2027,>=,33,%",
        "石家庄高新区,市级以上创新平台,2027,>=,340,家",
        "正定高新区,营业收入增速,2025,>=,11,%",
        "正定高新区,税收收入占全县比,2025,>=,46,%",
        "正定高新区,工业总产值占全县比,2025,>=,65,%",
        "正定高新区,高新技术企业数量占全县比,2025,>=,65,%",
        "正定高新区,市级以上创新平台占比,2025,>=,70,%",
        "正定高新区,营业收入增速,2026,>=,12,%",
        "正定高新区,税收收入占全县比,2026,>=,48,%",
        "正定高新区,工业总产值占全县比,2026,>=,67,%",
        "正定高新区,高新技术企业数量占全县比,2026,>=,67,%",
        "正定高新区,市级以上创新平台占比,2026,>=,72,%",
        "正定高新区,全省同类排名,2027,<=,1,名次",
        "正定高新区,营业收入增速,2027,>=,13,%",
        "正定高新区,税收收入占全县比,2027,>=,50,%",
        "正定高新区,工业总产值占全县比,2027,>=,70,%",
        "正定高新区,高新技术企业数量占全县比,2027,>=,70,%",
        "正定高新区,市级以上创新平台占比,2027,>=,75,%",
    ];
    assert_eq!(&lines[1..], &expected[..]);
}

#[test]
fn plan_targets_as_json_carries_basis_and_source() {
    let out = gaoxin(&["plan", "targets", "--format", "json"]);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 35);
    let platforms = rows
        .iter()
        .find(|r| r["indicator_id"] == "platforms" && r["year"] == 2027)
        .expect("platforms 2027");
    assert_eq!(platforms["value"], 340.0);
    assert_eq!(platforms["comparator"], ">=");
    assert_eq!(platforms["quote"], "市级以上创新平台达到 340 家");
    assert!(platforms["basis"].as_str().unwrap().contains("创新平台"));
}

#[test]
fn plan_tasks_lists_thirteen_tasks_with_their_lead_departments() {
    let out = gaoxin(&["plan", "tasks", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "group,no,task,lead_departments,implementing_units"
    );
    assert_eq!(lines.len(), 14);
    let units = "石家庄高新区管委会|正定县人民政府|正定高新区管委会";
    let leads: Vec<(&str, &str)> = vec![
        ("建设创新研发机构", "市科技局|市发改委|市工信局"),
        ("加强科技人才引育", "市科技局|市人社局"),
        ("培育优质创新主体", "市科技局|市发改委|市工信局|市委金融办"),
        ("加强关键核心技术攻关", "市科技局"),
        ("打造创新服务平台", "市科技局|市投促局|市市场监督管理局"),
        ("加速科技成果转移转化", "市科技局"),
        ("加强协同创新", "市科技局|市投促局|市委金融办"),
        ("做大做强优势产业", "市发改委|市工信局|市数据局|市科技局"),
        ("强化招商引资", "市投促局"),
        ("加大项目建设落地", "市投促局"),
        ("推进体制机制改革", "市行政审批局|市税务局"),
        ("加大科技金融支撑", "市发改委|市委金融办|市科技局"),
        (
            "加快园区智能化绿色化转型",
            "市发改委|市生态环境局|市数据局|市商务局",
        ),
    ];
    for (i, (task, lead)) in leads.iter().enumerate() {
        let fields: Vec<&str> = lines[i + 1].split(',').collect();
        assert_eq!(fields[1], (i + 1).to_string());
        assert_eq!(fields[2], *task);
        assert_eq!(fields[3], *lead, "task {}", i + 1);
        assert_eq!(fields[4], units);
    }
    assert!(lines[1].starts_with("（一）突出企业创新能力提升，培育发展新动能,1,"));
    assert!(lines[13].starts_with("（四）突出营商环境优化，聚集发展新要素,13,"));
}

#[test]
fn plan_tasks_can_include_the_safeguard_measures() {
    let out = gaoxin(&["plan", "tasks", "--include-safeguards"]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 17);
    assert!(text.contains("三、保障措施,（三）,强化运行调度,,"));
}

#[test]
fn plan_check_accepts_the_seed_and_the_example() {
    for f in [
        "plans/shijiazhuang-2025-2027.toml",
        "plans/examples/minimal.toml",
    ] {
        let out = gaoxin(&["plan", "check", repo(f).to_str().unwrap()]);
        assert!(out.status.success(), "{f}: {}", stderr(&out));
        assert!(stdout(&out).contains("校验通过"));
    }
}

/// Each committed broken file, the line and column its error must be reported at, and words
/// both the Chinese and the English message must contain.
const BROKEN: &[(&str, usize, usize, &str, &str)] = &[
    (
        "syntax-error.toml",
        5,
        19,
        "格式错误",
        "malformed plan file",
    ),
    (
        "unknown-department.toml",
        61,
        9,
        "未知的部门“sci-tec”",
        "unknown department \"sci-tec\"",
    ),
    (
        "duplicate-id.toml",
        35,
        6,
        "部门 id“sci-tech”重复，第 24 行",
        "duplicate department id \"sci-tech\"",
    ),
    (
        "year-outside-period.toml",
        45,
        8,
        "年份 2028 不在方案期 2025–2027",
        "year 2028 is outside",
    ),
    (
        "share-above-100.toml",
        46,
        9,
        "占比目标 310% 超过了 100%",
        "share target 310% is above 100%",
    ),
    (
        "unknown-zone.toml",
        43,
        8,
        "未知的区域“zone-x”",
        "unknown unit \"zone-x\"",
    ),
    (
        "quote-not-in-text.toml",
        62,
        9,
        "原文中找不到",
        "quote is not in the plan text",
    ),
    (
        "figure-kind.toml",
        143,
        10,
        "基础数据“revenue”的类别不适用于这个指标",
        "figure \"revenue\" is of a kind this indicator cannot be computed from",
    ),
    (
        "unknown-field.toml",
        13,
        1,
        "unknown field `nmae`",
        "unknown field `nmae`",
    ),
];

#[test]
fn plan_check_places_each_broken_file_error_at_its_line_and_column() {
    for (file, line, col, zh, en) in BROKEN {
        let path = repo(&format!("plans/broken/{file}"));
        let out = gaoxin(&["plan", "check", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{file} must fail");
        let err = stderr(&out);
        let at = format!("{}:{line}:{col}: ", path.display());
        let zh_line = err
            .lines()
            .find(|l| l.starts_with(&format!("{at}错误：")))
            .unwrap_or_else(|| panic!("{file}: no Chinese error at {line}:{col} in:\n{err}"));
        let en_line = err
            .lines()
            .find(|l| l.starts_with(&format!("{at}error: ")))
            .unwrap_or_else(|| panic!("{file}: no English error at {line}:{col} in:\n{err}"));
        assert!(zh_line.contains(zh), "{file}: {zh_line}");
        assert!(en_line.contains(en), "{file}: {en_line}");
        assert!(
            err.contains("共 1 处错误"),
            "{file}: exactly one error expected:\n{err}"
        );
    }
}

#[test]
fn plan_check_reports_every_error_of_a_file_in_one_run() {
    let dir = TempDir::new();
    let source = std::fs::read_to_string(repo("plans/examples/minimal.toml")).unwrap();
    let broken = source
        .replacen("year = 2025", "year = 2031", 1)
        .replacen("value = 31", "value = 131", 1)
        .replacen("lead = [\"sci-tech\"]", "lead = [\"nobody\"]", 1);
    let path = dir.path().join("many.toml");
    std::fs::write(&path, broken).unwrap();
    let out = gaoxin(&["plan", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("共 3 处错误"), "{err}");
}

#[test]
fn plan_check_refuses_a_file_that_is_not_utf8_or_missing() {
    let dir = TempDir::new();
    let path = dir.path().join("gbk.toml");
    std::fs::write(&path, [0xd6, 0xd0, 0xce, 0xc4]).unwrap();
    let out = gaoxin(&["plan", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("不是 UTF-8"));
    let out = gaoxin(&["plan", "check", "/no/such/plan.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("无法读取文件"));
}

#[test]
fn plan_load_adds_a_version_once_and_versions_lists_it() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let seed = repo("plans/shijiazhuang-2025-2027.toml");
    let first = gaoxin(&[
        "plan",
        "load",
        seed.to_str().unwrap(),
        "--database",
        &db,
        "--create",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("已加载为新版本 shijiazhuang-htz-2025-2027 #1"));
    let again = gaoxin(&["plan", "load", seed.to_str().unwrap(), "--database", &db]);
    assert!(stdout(&again).contains("方案未变化"));
    let versions = gaoxin(&["plan", "versions", "--database", &db]);
    let text = stdout(&versions);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().nth(1).unwrap().ends_with(",35,16"));
    let broken = repo("plans/broken/unknown-department.toml");
    let refused = gaoxin(&["plan", "load", broken.to_str().unwrap(), "--database", &db]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("sci-tec"));
}

#[test]
fn an_unsupported_database_url_is_refused_clearly() {
    let out = gaoxin(&["plan", "versions", "--database", "mysql://root@localhost/x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("不支持的数据库地址") && err.contains("unsupported database URL"),
        "{err}"
    );
}

/// Runs gaoxin with `stdin` piped in.
fn gaoxin_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gaoxin"))
        .args(args)
        .env_remove("GAOXIN_DATABASE")
        .env_remove("GAOXIN_AUDIT_KEY")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run gaoxin");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub(crate) fn sqlite3(db: &Path, sql: &str) {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .unwrap_or_else(|e| {
            panic!("the sqlite3 tool is needed for this test (apt-get install sqlite3): {e}")
        });
    assert!(
        out.status.success(),
        "sqlite3 {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn user_commands_create_list_and_disable_accounts_with_an_intact_audit_chain() {
    let dir = TempDir::new();
    let db_path = dir.path().join("g.db");
    let db = format!("sqlite://{}", db_path.display());
    let key = dir.path().join("keys/audit.key");
    let data = [
        "--database",
        db.as_str(),
        "--audit-key",
        key.to_str().unwrap(),
    ];
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .chain(data.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: &[&str]| {
        let v = with(args);
        gaoxin(&v.iter().map(String::as_str).collect::<Vec<_>>())
    };

    // A path that is not there is refused, not made into an empty installation: --create says
    // to make it.
    let refused = run(&[
        "user",
        "add",
        "clerk",
        "--unit",
        "市科技局",
        "--role",
        "reporter,reviewer",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("不存在。要新建一个数据库，请加 --create"),
        "{}",
        stderr(&refused)
    );
    assert!(!db_path.exists(), "nothing made");
    for cmd in [
        &["user", "list"][..],
        &["audit", "verify"][..],
        &["plan", "versions"][..],
    ] {
        assert_eq!(run(cmd).status.code(), Some(1), "{cmd:?}");
        assert!(!db_path.exists(), "{cmd:?} made nothing");
    }
    let added = run(&[
        "user",
        "add",
        "clerk",
        "--unit",
        "市科技局",
        "--role",
        "reporter,reviewer",
        "--create",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let text = stdout(&added);
    let otp = text.lines().last().unwrap();
    assert!(
        gaoxin_core::auth::password::PasswordPolicy::default()
            .check(otp, "clerk")
            .is_empty(),
        "{otp}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the audit key is readable by its owner only");
    }

    let v = with(&[
        "user",
        "add",
        "boss",
        "--unit",
        "dispatch",
        "--role",
        "领导",
        "--password-stdin",
    ]);
    let boss = gaoxin_with_stdin(
        &v.iter().map(String::as_str).collect::<Vec<_>>(),
        "Str0ng!pass\n",
    );
    assert!(boss.status.success(), "{}", stderr(&boss));
    assert!(!stdout(&boss).contains("一次性口令"));

    // The OWASP ASVS profile: no composition rule, so a long passphrase is enough.
    let v = with(&[
        "user",
        "add",
        "phrase",
        "--unit",
        "dispatch",
        "--role",
        "leader",
        "--password-stdin",
        "--password-no-composition",
        "--password-min-length",
        "15",
    ]);
    let phrase = gaoxin_with_stdin(
        &v.iter().map(String::as_str).collect::<Vec<_>>(),
        "correct horse battery staple\n",
    );
    assert!(phrase.status.success(), "{}", stderr(&phrase));

    let v = with(&[
        "user",
        "add",
        "weak",
        "--unit",
        "dispatch",
        "--role",
        "leader",
        "--password-stdin",
    ]);
    let weak = gaoxin_with_stdin(
        &v.iter().map(String::as_str).collect::<Vec<_>>(),
        "password\n",
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(stderr(&weak).contains("口令须同时包含字母、数字和符号"));

    for (args, message) in [
        (
            vec![
                "user",
                "add",
                "root",
                "--unit",
                "dispatch",
                "--role",
                "system-admin,audit-admin",
            ],
            "三员分立",
        ),
        (
            vec!["user", "add", "x1", "--unit", "nowhere", "--role", "leader"],
            "未知的单位“nowhere”",
        ),
        (
            vec!["user", "add", "x2", "--unit", "dispatch", "--role", "root"],
            "未知的角色“root”",
        ),
        (
            vec![
                "user", "add", "clerk", "--unit", "dispatch", "--role", "leader",
            ],
            "账号 clerk 已存在",
        ),
        (
            vec![
                "user", "add", "bad name", "--unit", "dispatch", "--role", "leader",
            ],
            "用户名须为",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }

    // A forgotten password: a one-time password printed once, audited.
    let reset = run(&["user", "reset-password", "boss"]);
    assert!(reset.status.success(), "{}", stderr(&reset));
    let otp = stdout(&reset)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_string();
    assert!(otp.len() >= 12, "{}", stdout(&reset));
    assert_eq!(
        run(&["user", "reset-password", "nobody"]).status.code(),
        Some(1)
    );
    let reset = run(&["user", "reset-totp", "boss"]);
    assert!(reset.status.success(), "{}", stderr(&reset));
    assert_eq!(
        run(&["user", "reset-totp", "nobody"]).status.code(),
        Some(1)
    );
    assert!(run(&["user", "disable", "clerk"]).status.success());
    let again = run(&["user", "disable", "clerk"]);
    assert_eq!(again.status.code(), Some(1));
    let list = stdout(&run(&["user", "list"]));
    assert_eq!(
        list.lines()
            .take(4)
            .map(|l| l.split(',').take(5).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>(),
        [
            "username,unit,roles,disabled,must_change_password",
            // boss's password was reset: it must be changed.
            "boss,dispatch,leader,false,true",
            "clerk,sci-tech,reporter|reviewer,true,true",
            "phrase,dispatch,leader,false,false",
        ]
    );

    let verified = run(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    // Six account changes (a password reset among them), the seed plan's load and the three
    // bundled evaluation frameworks'.
    assert!(
        stdout(&verified).contains("共 10 个事件"),
        "{}",
        stdout(&verified)
    );
}

#[test]
fn audit_verify_catches_a_row_edited_or_deleted_with_the_sqlite3_tool() {
    let dir = TempDir::new();
    let db_path = dir.path().join("g.db");
    let db = format!("sqlite://{}", db_path.display());
    let key = dir.path().join("audit.key");
    let data = [
        "--database",
        db.as_str(),
        "--audit-key",
        key.to_str().unwrap(),
    ];
    for name in ["u1", "u2", "u3", "u4"] {
        let mut args = vec![
            "user", "add", name, "--unit", "dispatch", "--role", "leader", "--create",
        ];
        args.extend(data);
        assert!(gaoxin(&args).status.success());
    }
    let verify = || {
        let mut args = vec!["audit", "verify"];
        args.extend(data);
        gaoxin(&args)
    };
    assert!(verify().status.success());

    // The triggers guard the table against gaoxin's own SQL and against mistakes …
    let refused = Command::new("sqlite3")
        .arg(&db_path)
        .arg("DELETE FROM audit_events WHERE id = 2")
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "the trigger must refuse the delete"
    );
    // … and someone who drops them is still caught.
    sqlite3(
        &db_path,
        "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;",
    );
    sqlite3(
        &db_path,
        "UPDATE audit_events SET target = 'account:someone' WHERE id = 3;",
    );
    let edited = verify();
    assert_eq!(edited.status.code(), Some(1));
    assert!(
        stderr(&edited).contains("审计事件 #3 的内容或签名被改动过"),
        "{}",
        stderr(&edited)
    );

    sqlite3(&db_path, "DELETE FROM audit_events WHERE id = 2;");
    let deleted = verify();
    assert_eq!(deleted.status.code(), Some(1));
    assert!(
        stderr(&deleted).contains("审计事件 #2 缺失"),
        "{}",
        stderr(&deleted)
    );

    // Without its key, nothing verifies, and no new key is made.
    std::fs::remove_file(&key).unwrap();
    let keyless = verify();
    assert_eq!(keyless.status.code(), Some(1));
    assert!(!key.exists());
}

/// Starts `gaoxin serve` on a free port with `args`, reads its output until it serves (or exits),
/// stops it; returns what it printed on stdout and on stderr.
pub(crate) fn serve(args: &[&str]) -> (Vec<String>, String) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_gaoxin"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.contains("serving on");
        lines.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    (lines, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn serve_on_a_fresh_database_creates_the_three_administrators_once() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let key = dir.path().join("audit.key");
    let start = || {
        serve(&[
            "--database",
            &db,
            "--audit-key",
            key.to_str().unwrap(),
            "--create",
        ])
        .0
    };
    let first = start();
    let admins: Vec<&String> = first.iter().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(admins.len(), 3, "{first:?}");
    for (line, name) in admins.iter().zip(["sysadmin", "secadmin", "auditadmin"]) {
        assert!(line.trim_start().starts_with(name), "{line}");
        let password = line.split_whitespace().last().unwrap();
        assert!(
            gaoxin_core::auth::password::PasswordPolicy::default()
                .check(password, name)
                .is_empty()
        );
    }
    // The second start creates nothing and prints no password.
    let second = start();
    assert!(!second.iter().any(|l| l.starts_with("  ")), "{second:?}");
    let list = gaoxin(&["user", "list", "--database", &db]);
    let text = stdout(&list);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("sysadmin,dispatch,system-admin,false,true"));
    assert!(text.contains("secadmin,dispatch,security-admin,false,true"));
    assert!(text.contains("auditadmin,dispatch,audit-admin,false,true"));
}

#[test]
fn figures_import_back_fills_history_all_or_nothing_and_status_reports_it() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let key = dir.path().join("audit.key");
    let plan = repo("plans/examples/monitoring.toml");
    let loaded = gaoxin(&[
        "plan",
        "load",
        plan.to_str().unwrap(),
        "--database",
        &db,
        "--create",
    ]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    add_user(&db, &key, "disp", "dispatch", "dispatcher");
    let status = |period: &str| {
        let out = gaoxin(&[
            "status",
            "--zone",
            "甲高新区",
            "--period",
            period,
            "--database",
            &db,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };

    let import = |file: &str, dry_run: bool| {
        let mut args = vec!["figures", "import", file, "--as", "disp", "--database", &db];
        if dry_run {
            args.push("--dry-run");
        }
        gaoxin(&args)
    };
    // A bad row near the end: nothing is imported, every error is named by line and column.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "zone,figure,period,value\nzone,revenue,2024-06,50\nzone,revenue,2025-06,56\nzone,revenue,2025-13,1\nzone,nope,2025-06,1\n",
    )
    .unwrap();
    let out = import(bad.to_str().unwrap(), false);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("bad.csv:4: 第 4 行 period 列"), "{err}");
    assert!(err.contains("没有导入任何数据"), "{err}");
    assert!(status("2025-06").contains("revenue-growth,,,10,gray"));
    let bad_figure = dir.path().join("bad2.csv");
    std::fs::write(
        &bad_figure,
        "zone,figure,period,value\nzone,revenue,2024-06,50\nzone,nope,2025-06,1\n",
    )
    .unwrap();
    let out = import(bad_figure.to_str().unwrap(), false);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("第 3 行 figure 列：方案中没有基础数据“nope”"),
        "{}",
        stderr(&out)
    );
    assert!(status("2025-06").contains("revenue-growth,,,10,gray"));

    // A workbook saved by LibreOffice (from gaoxin's template) imports too: last June's revenue
    // 50 and this June's 56; nothing else, so a later CSV adds the rest.
    let saved = repo("crates/gaoxin/tests/fixtures/figures-saved-by-libreoffice.xlsx");
    let xlsx_dry = import(saved.to_str().unwrap(), true);
    assert!(
        stdout(&xlsx_dry).contains("2 行均可导入"),
        "{}",
        stderr(&xlsx_dry)
    );
    let not_a_workbook = dir.path().join("fake.xlsx");
    std::fs::write(&not_a_workbook, b"zone,figure,period,value\n").unwrap();
    let refused = import(not_a_workbook.to_str().unwrap(), false);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("不是 .xlsx 工作簿"),
        "{}",
        stderr(&refused)
    );

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "zone,figure,period,value\nzone,revenue,2024-06,50\nzone,revenue,2025-06,56\nzone,events,2025-03,2\nzone,platforms-count,2024-12,108\nzone,platforms-count,2025-06,113\n",
    )
    .unwrap();
    let dry = import(good.to_str().unwrap(), true);
    assert!(stdout(&dry).contains("5 行均可导入"), "{}", stderr(&dry));
    assert!(status("2025-06").contains("revenue-growth,,,10,gray"));
    let ok = import(good.to_str().unwrap(), false);
    assert!(stdout(&ok).contains("已导入 5 行"), "{}", stderr(&ok));

    let text = status("2025-06");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "indicator,actual,expected,target,status,forecast,period,flags"
    );
    // (56 / 50 − 1) × 100 = 12 against 10: green.
    assert!(
        lines.contains(&"revenue-growth,12,10,10,green,12,2025-06,"),
        "{text}"
    );
    // 108 + (120 − 108) × 6/12 = 114; 113 is within 5 %: yellow; 108 + 5 × 2 = 118 forecast.
    assert!(
        lines.contains(&"platforms,113,114,120,yellow,118,2025-06,"),
        "{text}"
    );
    // Events: March's 2 against 12 × 3/12 = 3, one event of tolerance: yellow; June not reported.
    assert!(
        lines.contains(&"events,2,3,12,yellow,8,2025-03,数据滞后"),
        "{text}"
    );
    let json = gaoxin(&[
        "status",
        "--zone",
        "zone",
        "--period",
        "2025-06",
        "--format",
        "json",
        "--database",
        &db,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v[0]["indicator"], "revenue-growth");
    assert_eq!(v[0]["status"], "green");
    let unknown = gaoxin(&[
        "status",
        "--zone",
        "nowhere",
        "--period",
        "2025-06",
        "--database",
        &db,
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("没有高新区“nowhere”"));
}

#[test]
fn serve_demo_loads_marked_sample_figures_once_and_never_into_real_data() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let key = dir.path().join("audit.key");
    let serve_demo = |db: &str| {
        let (lines, err) = serve(&[
            "--demo",
            "--database",
            db,
            "--audit-key",
            key.to_str().unwrap(),
            "--create",
        ]);
        (lines.iter().any(|l| l.contains("serving on")), err)
    };
    let (started, _) = serve_demo(&db);
    assert!(started);
    let last_month = {
        let now = gaoxin_store::now();
        gaoxin_core::monitor::YearMonth::of(now)
            .previous()
            .to_string()
    };
    let status = gaoxin(&[
        "status",
        "--zone",
        "sjz-hz",
        "--period",
        &last_month,
        "--database",
        &db,
    ]);
    let text = stdout(&status);
    assert!(
        text.lines().skip(1).any(|l| l.ends_with(",示例数据")),
        "{text}"
    );
    // The sample ledgers make the sub-targets look like a real month: 2025's five leaders across
    // the zones are met and final; 石家庄高新区 has its ten events on the way.
    let subs = gaoxin(&[
        "status",
        "--zone",
        "sjz-hz",
        "--period",
        &last_month,
        "--subtargets",
        "--database",
        &db,
    ]);
    let sub_text = stdout(&subs);
    let sub_lines: Vec<&str> = sub_text.lines().collect();
    assert_eq!(
        sub_lines[0],
        "subtarget,scope,year,actual,expected,target,status,forecast,period,flags"
    );
    assert!(
        sub_lines.contains(&"t2-talent-leaders,all,2025,5,5,5,green,,2025-12,示例数据;已结束"),
        "{sub_text}"
    );
    assert!(
        sub_lines
            .iter()
            .any(|l| l.starts_with("t6-matchmaking-events,sjz-hz,")),
        "{sub_text}"
    );
    assert!(
        !sub_text.contains("zd-hz"),
        "only the zone asked and the zones together"
    );
    assert!(
        text.contains(",green,") || text.contains(",yellow,") || text.contains(",red,"),
        "{text}"
    );
    // The high-tech share is counted from the sample ledgers, and marked as sample.
    assert!(
        text.lines().any(|l| l.starts_with("hitech-share-city,")
            && !l.starts_with("hitech-share-city,,")
            && l.ends_with(",示例数据")),
        "{text}"
    );
    let out = dir.path().join("sample.xlsx");
    let exported = gaoxin(&[
        "export",
        "enterprises",
        "--out",
        out.to_str().unwrap(),
        "--database",
        &db,
    ]);
    assert!(
        stdout(&exported).contains("已导出 320 条记录"),
        "{}",
        stdout(&exported)
    );
    // A second start loads nothing more.
    let (again, _) = serve_demo(&db);
    assert!(again);

    // A database with real figures refuses sample data.
    let real = format!("sqlite://{}", dir.path().join("real.db").display());
    add_user(&real, &key, "disp", "dispatch", "dispatcher");
    let csv = dir.path().join("real.csv");
    std::fs::write(
        &csv,
        "zone,figure,period,value\nsjz-hz,fai-rate,2025-06,9\n",
    )
    .unwrap();
    let imported = gaoxin(&[
        "figures",
        "import",
        csv.to_str().unwrap(),
        "--as",
        "disp",
        "--database",
        &real,
    ]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let (started, err) = serve_demo(&real);
    assert!(!started);
    assert!(err.contains("不能再载入示例数据"), "{err}");
}

#[test]
fn ledger_import_and_export_at_the_console() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let key = dir.path().join("audit.key");
    add_user(&db, &key, "kj", "sci-tech", "reporter");
    let fixture = |name: &str| repo(&format!("crates/gaoxin/tests/fixtures/{name}"));
    let import = |file: &Path, dry_run: bool| {
        let mut args = vec![
            "import",
            "enterprises",
            file.to_str().unwrap(),
            "--as",
            "kj",
            "--database",
            &db,
        ];
        if dry_run {
            args.push("--dry-run");
        }
        gaoxin(&args)
    };
    // Every error by row and column; nothing imported.
    let out = import(&fixture("enterprises-one-error-of-each-kind.xlsx"), false);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("enterprises-one-error-of-each-kind.xlsx:4: 第 4 行 统一社会信用代码* 列"),
        "{err}"
    );
    assert!(err.contains("11 处错误，没有导入任何数据"), "{err}");
    let good = fixture("enterprises-saved-by-libreoffice.xlsx");
    let dry = import(&good, true);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("试导入通过"), "{}", stdout(&dry));
    // What was normalised is said, by row and column.
    assert!(
        stderr(&dry)
            .contains("上年研发费用（万元）: “上年研发费用（万元）”“1.2亿元”读作 12000 万元"),
        "{}",
        stderr(&dry)
    );
    let done = import(&good, false);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(stdout(&done).contains("新增 3"), "{}", stdout(&done));
    let again = import(&good, false);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("导入过"), "{}", stderr(&again));
    // An unknown ledger names the ones there are.
    let unknown = gaoxin(&[
        "import",
        "companies",
        good.to_str().unwrap(),
        "--as",
        "kj",
        "--database",
        &db,
    ]);
    assert!(
        stderr(&unknown).contains("enterprises（企业）"),
        "{}",
        stderr(&unknown)
    );

    let out = dir.path().join("zd.xlsx");
    let exported = gaoxin(&[
        "export",
        "enterprises",
        "--unit",
        "正定县",
        "--out",
        out.to_str().unwrap(),
        "--database",
        &db,
    ]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(
        stdout(&exported).contains("已导出 1 条记录"),
        "{}",
        stdout(&exported)
    );
    let all = dir.path().join("all.xlsx");
    let exported = gaoxin(&[
        "export",
        "enterprises",
        "--out",
        all.to_str().unwrap(),
        "--database",
        &db,
    ]);
    assert!(exported.status.success());
    // LibreOffice opens the export with the same content. CI installs LibreOffice and sets
    // GAOXIN_TEST_LIBREOFFICE=1, so there the check cannot be skipped.
    if libreoffice(Office::Calc) {
        convert(dir.path(), &all, "csv:Text - txt - csv (StarCalc):44,34,76");
        let csv = std::fs::read_to_string(dir.path().join("all.csv")).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert!(
            lines[0].starts_with("统一社会信用代码*,企业名称*,所在区域*,所属产业*"),
            "{csv}"
        );
        assert!(
            csv.contains("石家庄丙装备有限公司,石家庄市,高端装备制造,12000,否"),
            "{csv}"
        );
    }
}

/// Converts `file` with LibreOffice into `dir` (`to`: `pdf`, a CSV filter …), with its own
/// profile in `dir`; the conversion must succeed.
pub fn convert(dir: &std::path::Path, file: &std::path::Path, to: &str) {
    let converted = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
}

/// A part of LibreOffice a check needs.
#[derive(Debug, Clone, Copy)]
pub enum Office {
    /// Workbooks (.xlsx → .csv).
    Calc,
    /// Documents (.docx → .pdf).
    Writer,
}

/// Whether LibreOffice, with the part `what` needs, is here to check files with; required when
/// GAOXIN_TEST_LIBREOFFICE is set. A machine with Writer but not Calc (or the other way) skips
/// the checks of the missing part, saying so, instead of failing on a file never written.
pub fn libreoffice(what: Office) -> bool {
    let required = std::env::var_os("GAOXIN_TEST_LIBREOFFICE").is_some();
    let soffice = Command::new("soffice").arg("--version").output().is_ok();
    let (library, package) = match what {
        Office::Calc => ("libsclo.so", "libreoffice-calc-nogui"),
        Office::Writer => ("libswlo.so", "libreoffice-writer-nogui"),
    };
    // The part's library sits beside the soffice program.
    let part = soffice
        && std::fs::canonicalize("/usr/bin/soffice")
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(library)))
            .is_some_and(|p| p.exists());
    let missing = if !soffice {
        Some("soffice is not installed".to_string())
    } else if !part {
        Some(format!(
            "LibreOffice {what:?} is missing (apt-get install {package})"
        ))
    } else {
        None
    };
    match missing {
        Some(why) if required => panic!("GAOXIN_TEST_LIBREOFFICE is set but {why}"),
        Some(why) => {
            eprintln!("skipped the LibreOffice check: {why}");
            false
        }
        None => true,
    }
}

/// Creates an account at the console, for a test's setup.
pub(crate) fn add_user(db: &str, key: &Path, name: &str, unit: &str, role: &str) {
    let added = gaoxin(&[
        "user",
        "add",
        name,
        "--unit",
        unit,
        "--role",
        role,
        "--database",
        db,
        "--audit-key",
        key.to_str().unwrap(),
        "--create",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
}

#[test]
fn evaluation_files_are_checked_loaded_and_a_zone_benchmarked_at_the_console() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    // Check: the bundled files pass; a broken one names its line, column and fix, exit 1.
    let bundled = repo("plans/evaluations/national-2021.toml");
    let ok = gaoxin(&["evaluation", "check", bundled.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("41 个指标"));
    let broken = dir.path().join("broken.toml");
    let text =
        std::fs::read_to_string(&bundled)
            .unwrap()
            .replacen("weight = 0.8", "weight = -1", 1);
    std::fs::write(&broken, text).unwrap();
    let bad = gaoxin(&["evaluation", "check", broken.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("broken.toml:"), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("指标相对权重 -1 无效"));

    // A fresh database has the bundled frameworks; a changed file is the next version.
    let list = gaoxin(&["evaluation", "list", "--database", &db, "--create"]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert_eq!(stdout(&list).lines().count(), 4, "{}", stdout(&list));
    let revised = dir.path().join("n24.toml");
    let text = std::fs::read_to_string(repo("plans/evaluations/national-2024.toml"))
        .unwrap()
        .replace(
            "complete = false",
            "complete = false\nnote = \"按本区结果通知书补全\"",
        )
        .replacen("note = \"仅第一个", "# note = \"仅第一个", 1);
    std::fs::write(&revised, text).unwrap();
    let load = gaoxin(&[
        "evaluation",
        "load",
        revised.to_str().unwrap(),
        "--database",
        &db,
    ]);
    assert!(load.status.success(), "{}", stderr(&load));
    assert!(stdout(&load).contains("第 2 版"), "{}", stdout(&load));

    // Nothing entered yet: the benchmark says so, exit 1; an unknown method or zone likewise.
    let none = gaoxin(&["benchmark", "--zone", "sjz-hz", "--database", &db]);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        stderr(&none).contains("还没有对标数据"),
        "{}",
        stderr(&none)
    );
    let method = gaoxin(&[
        "benchmark",
        "--zone",
        "sjz-hz",
        "--method",
        "best",
        "--database",
        &db,
    ]);
    assert!(stderr(&method).contains("min-max"));
    let zone = gaoxin(&["benchmark", "--zone", "nowhere", "--database", &db]);
    assert!(stderr(&zone).contains("sjz-hz"));
    let province = gaoxin(&["benchmark", "--zone", "正定高新区", "--database", &db]);
    assert!(
        stderr(&province).contains("还没有列出任何指标"),
        "{}",
        stderr(&province)
    );
}
