//! Hardening (issue 17): each finding of the security and fault tests, as the attacker or the
//! unlucky operator met it, through the router or the built binary.

use crate::cli::{add_user, gaoxin, stderr};
use crate::support::TempDir;
use crate::web::{App, bare_app};
use axum::http::StatusCode;
use gaoxin_core::auth::RoleKind;
use std::io::{Cursor, Write};

/// A minimal `.xlsx` as an attacker writes it by hand: one sheet whose `dimension` claims
/// `dimension` and which holds a text in each of `cells` (`A1`, `XFD1048576` …).
pub fn handmade_xlsx(dimension: &str, cells: &[&str]) -> Vec<u8> {
    let mut sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>"#
    );
    for cell in cells {
        let row: String = cell.chars().filter(char::is_ascii_digit).collect();
        sheet.push_str(&format!(
            r#"<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>"#
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts: [(&str, String); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        w.start_file(
            name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        w.write_all(content.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Finding 1: a 1.5 KB workbook with values in `A1` and `XFD1048576` aborted the whole process
/// from every upload and import; now each refuses it by the cell, and the server goes on.
#[tokio::test]
async fn a_workbook_claiming_the_whole_grid_is_refused_by_its_cell() {
    let corners = handmade_xlsx("A1:XFD1048576", &["A1", "XFD1048576"]);
    assert!(corners.len() < 2 * 1024, "{} bytes", corners.len());
    let wide = handmade_xlsx("A1:XFD2001", &["A1", "XFD2001"]);
    let app = bare_app().await;
    let kj: App = app.signed_in("kj", "sci-tech", RoleKind::Reporter).await;
    let clerk = app.signed_in("clerk", "sjz-hz", RoleKind::Reporter).await;
    for bytes in [&corners, &wide] {
        let ledger = kj
            .upload("/ledgers/enterprises/upload", "企业.xlsx", bytes.clone())
            .await;
        // The upload's result is an htmx fragment: the error is in it.
        assert_eq!(ledger.status, StatusCode::OK, "{}", ledger.body);
        assert!(ledger.body.contains("单元格 XFD"), "{}", ledger.body);
        assert!(ledger.body.contains("超出可读范围"), "{}", ledger.body);
        let figures = clerk
            .upload("/figures/upload", "figures.xlsx", bytes.clone())
            .await;
        assert!(figures.body.contains("超出可读范围"), "{}", figures.body);
    }
    // The server is still there.
    assert_eq!(kj.get("/ledgers").await.status, StatusCode::OK);

    // And at the console, both imports say the same.
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let key = dir.path().join("audit.key");
    add_user(&db, &key, "kj", "sci-tech", "reporter");
    add_user(&db, &key, "disp", "dispatch", "dispatcher");
    let file = dir.path().join("corners.xlsx");
    std::fs::write(&file, &corners).unwrap();
    let file = file.to_str().unwrap();
    for args in [
        vec!["import", "enterprises", file, "--as", "kj"],
        vec!["figures", "import", file, "--as", "disp"],
    ] {
        let mut args = args.clone();
        args.extend(["--database", &db]);
        let out = gaoxin(&args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("单元格 XFD1048576 超出可读范围"),
            "{}",
            stderr(&out)
        );
    }
}

/// Finding 3: after a write failed in a way that made SQLite roll its transaction back by
/// itself (as a full disk does), every pooled connection stayed "inside" it, and every write
/// and sign-in failed until a restart. Now the connection is discarded and writes recover;
/// `/healthz` says whether the database takes writes.
#[tokio::test]
async fn writes_recover_by_themselves_after_the_database_rolled_back_under_them() {
    use gaoxin_store::testing::execute_alone;
    let app = bare_app().await;
    app.add_user("clerk", "sjz-hz", &[RoleKind::Reporter], false)
        .await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    // Every audit append now ends its whole transaction, as SQLITE_FULL may (on PostgreSQL:
    // fails as a full disk does).
    let (full, space_returns) = match app.store.backend() {
        gaoxin_store::Backend::Sqlite => (
            "CREATE TRIGGER disk_full BEFORE INSERT ON audit_events \
             BEGIN SELECT RAISE(ROLLBACK, 'database or disk is full'); END; \
             CREATE TRIGGER probe_full BEFORE UPDATE ON health_probe \
             BEGIN SELECT RAISE(ROLLBACK, 'database or disk is full'); END;",
            "DROP TRIGGER disk_full; DROP TRIGGER probe_full;",
        ),
        gaoxin_store::Backend::Postgres => (
            "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$; \
             CREATE TRIGGER disk_full BEFORE INSERT ON audit_events \
             FOR EACH ROW EXECUTE FUNCTION disk_full(); \
             CREATE TRIGGER probe_full BEFORE UPDATE ON health_probe \
             FOR EACH ROW EXECUTE FUNCTION disk_full();",
            "DROP TRIGGER disk_full ON audit_events; DROP TRIGGER probe_full ON health_probe;",
        ),
    };
    execute_alone(&app.store, full).await.unwrap();
    for _ in 0..8 {
        let r = app
            .login_json("clerk", crate::web::PASSWORD, "10.0.0.1")
            .await;
        assert_ne!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains("transaction"), "no internals: {}", r.body);
    }
    app.advance(10);
    let health = app.get("/healthz").await;
    assert_eq!(
        health.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        health.body
    );
    assert!(
        health.body.starts_with("database cannot write"),
        "{}",
        health.body
    );
    // Space returns.
    execute_alone(&app.store, space_returns).await.unwrap();
    for i in 0..8 {
        let r = app
            .login_json("clerk", crate::web::PASSWORD, "10.0.0.1")
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "sign-in {i} after recovery: {}",
            r.body
        );
    }
    // The health check is tried again after a few seconds.
    app.advance(10);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert!(app.store.verify_audit(&app.key).await.unwrap().is_ok());
}

/// A TCP relay between the app and PostgreSQL that can stop relaying, as a dropped network
/// does (the sockets stay open, nothing arrives), and can send new connections to another
/// server, as a virtual address moved to a promoted standby does.
struct Relay {
    port: u16,
    paused: std::sync::Arc<std::sync::atomic::AtomicBool>,
    target: std::sync::Arc<std::sync::Mutex<std::net::SocketAddr>>,
}

/// Copies bytes one way, holding them while the relay is paused.
async fn pipe(
    mut from: impl tokio::io::AsyncRead + Unpin,
    mut to: impl tokio::io::AsyncWrite + Unpin,
    paused: std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let held = || async {
        while paused.load(std::sync::atomic::Ordering::SeqCst) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        held().await;
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        held().await;
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    // One side closed: so is the other, as a server that dies closes its connections.
    let _ = to.shutdown().await;
}

impl Relay {
    async fn to(target: std::net::SocketAddr) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let paused = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let target = std::sync::Arc::new(std::sync::Mutex::new(target));
        let p = paused.clone();
        let t = target.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let to = *t.lock().unwrap();
                let Ok(server) = tokio::net::TcpStream::connect(to).await else {
                    continue;
                };
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::spawn(pipe(cr, sw, p.clone()));
                tokio::spawn(pipe(sr, cw, p.clone()));
            }
        });
        Relay {
            port,
            paused,
            target,
        }
    }

    fn pause(&self, on: bool) {
        self.paused.store(on, std::sync::atomic::Ordering::SeqCst);
    }

    /// New connections go to `to` from now on.
    fn retarget(&self, to: std::net::SocketAddr) {
        *self.target.lock().unwrap() = to;
    }
}

/// The app on PostgreSQL at `url` (a relay's port), giving up on a connection after 2 s, with a
/// dispatcher signed in.
async fn dispatcher_through(url: &gaoxin_store::DatabaseUrl) -> App {
    let store = gaoxin_store::Store::open_with(
        url,
        gaoxin_store::Timeouts {
            acquire: std::time::Duration::from_secs(2),
        },
    )
    .await
    .unwrap();
    let mut app = crate::web::app_on(store).await;
    app.add_user("disp", "dispatch", &[RoleKind::Dispatcher], false)
        .await;
    app.sign_in("disp").await;
    app
}

/// "A blackholed PostgreSQL fails fast with a clear page": with the network to the database
/// silent, a page answers within seconds with 503 and says the database cannot be reached;
/// when the network returns, pages work again without a restart.
#[tokio::test]
async fn a_silent_postgresql_gets_a_clear_page_within_seconds() {
    let Ok(admin) = std::env::var("GAOXIN_TEST_PG_URL") else {
        eprintln!("GAOXIN_TEST_PG_URL not set: the PostgreSQL drill runs in CI");
        return;
    };
    let db = crate::support::create("postgres").await;
    let target: std::net::SocketAddr = "127.0.0.1:5432".parse().unwrap();
    assert!(
        admin.contains("127.0.0.1:5432"),
        "the relay assumes {admin}"
    );
    let relay = Relay::to(target).await;
    let url = gaoxin_store::DatabaseUrl::parse(
        &db.url_string()
            .replace("127.0.0.1:5432", &format!("127.0.0.1:{}", relay.port)),
    )
    .unwrap();
    let app = dispatcher_through(&url).await;
    assert_eq!(app.get("/plan").await.status, StatusCode::OK);

    relay.pause(true);
    let started = std::time::Instant::now();
    let page = app.get("/plan").await;
    let took = started.elapsed();
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(page.body.contains("数据库暂时无法连接"), "{}", page.body);
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    let api = app.get("/api/v1/plan").await;
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(api.body.contains("\"unavailable\""), "{}", api.body);

    relay.pause(false);
    let mut back = false;
    for _ in 0..20 {
        if app.get("/plan").await.status == StatusCode::OK {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(back, "pages work again once the network returns");
    app.store.close().await;
    crate::support::drop_db(db).await;
}

/// Finding 5: `next=` with a tab (which browsers drop, leaving `//host/`) redirected to
/// another site, from the language switch and from the sign-in form.
#[tokio::test]
async fn next_addresses_with_tabs_or_backslashes_stay_on_this_site() {
    let app = bare_app().await;
    app.add_user("clerk", "sjz-hz", &[RoleKind::Reporter], false)
        .await;
    for next in [
        "/%09/evil.example/",
        "/%0A/evil.example",
        "/%5Cevil.example",
        "//evil.example",
    ] {
        let r = app.get(&format!("/lang?to=en&next={next}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/", "{next}");
        let r = app
            .post_form(
                "/login",
                &[
                    ("username", "clerk"),
                    ("password", crate::web::PASSWORD),
                    (
                        "next",
                        &next
                            .replace("%09", "\t")
                            .replace("%0A", "\n")
                            .replace("%5C", "\\"),
                    ),
                ],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/", "{next:?}");
    }
    // A path on this site is kept.
    let r = app.get("/lang?to=en&next=/monitor?period=2026-11").await;
    assert_eq!(r.location(), "/monitor?period=2026-11");
}

/// Finding 6 (race): concurrent sign-ins checked 8–32 passwords against a limit of 5, and 150
/// from one address against 20. A check is now reserved in one atomic statement before it is
/// made: however many arrive together, at most the limit are let through.
#[tokio::test]
async fn concurrent_sign_ins_cannot_pass_the_limits() {
    crate::support::each_backend(|store: gaoxin_store::Store, db| async move {
        let policy = gaoxin_store::LoginPolicy::default();
        let now = gaoxin_core::time::Timestamp(crate::web::T0);
        let gates = |names: Vec<String>, ip: &'static str| {
            let store = store.clone();
            async move {
                let tasks: Vec<_> = names
                    .into_iter()
                    .map(|name| {
                        let store = store.clone();
                        tokio::spawn(async move {
                            store.login_gate(&name, ip, &policy, now).await.unwrap()
                        })
                    })
                    .collect();
                let mut open = 0;
                for t in tasks {
                    open += usize::from(t.await.unwrap() == gaoxin_store::Gate::Open);
                }
                open
            }
        };
        // 32 at once for one name from one address: 5 checks.
        let one_name = gates(vec!["clerk".to_string(); 32], "10.1.1.1").await;
        assert_eq!(one_name, 5, "[{}] checks for one name", db.label());
        // 150 at once for 150 names from one address: 20 checks.
        let names = (0..150).map(|i| format!("guess{i}")).collect();
        let one_address = gates(names, "10.2.2.2").await;
        assert_eq!(one_address, 20, "[{}] checks from one address", db.label());
        db
    })
    .await;
}

/// Finding 6 (lockout as a weapon, enumeration): anyone could lock any account, the
/// administrators' too, from anywhere, and a locked real account answered 423 where an unknown
/// name answered 401. Now a lock holds one address out of one name, unknown names run the same
/// course, and a name under attack from many addresses stays open to the addresses it has
/// signed in from.
#[tokio::test]
async fn a_lockout_holds_the_attacker_out_not_the_owner_and_says_nothing_of_who_exists() {
    let app = bare_app().await;
    app.add_user("clerk", "sjz-hz", &[RoleKind::Reporter], false)
        .await;
    app.add_user("sysadmin", "dispatch", &[RoleKind::SystemAdmin], false)
        .await;
    let mut real = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..7 {
        real.push(app.login_json("clerk", "Wrong!pass1", "10.6.6.6").await);
        unknown.push(app.login_json("nobody", "Wrong!pass1", "10.6.6.6").await);
    }
    let shape = |r: &crate::web::Reply| (r.status, r.body.clone());
    assert_eq!(
        real.iter().map(shape).collect::<Vec<_>>(),
        unknown.iter().map(shape).collect::<Vec<_>>(),
        "the same answers, in the same order"
    );
    assert_eq!(real[3].status, StatusCode::UNAUTHORIZED);
    assert_eq!(real[4].status, StatusCode::LOCKED);
    // The owner, and an administrator attacked the same way, sign in from their desks.
    for _ in 0..5 {
        app.login_json("sysadmin", "Wrong!pass1", "10.6.6.6").await;
    }
    assert_eq!(
        app.login_json("clerk", crate::web::PASSWORD, "10.0.0.1")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.login_json("sysadmin", crate::web::PASSWORD, "10.0.0.9")
            .await
            .status,
        StatusCode::OK
    );
    // A guess from each of 25 addresses: past 20, the name is open only to addresses it has
    // signed in from; the owner's desk still gets in, a new address does not.
    app.advance(31 * 60);
    for i in 0..25 {
        let r = app
            .login_json("clerk", "Wrong!pass1", &format!("10.7.0.{i}"))
            .await;
        let expected = if i < 20 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::LOCKED
        };
        assert_eq!(r.status, expected, "guess {i}");
    }
    assert_eq!(
        app.login_json("clerk", crate::web::PASSWORD, "10.0.0.1")
            .await
            .status,
        StatusCode::OK,
        "the owner's address"
    );
    assert_eq!(
        app.login_json("clerk", crate::web::PASSWORD, "10.8.0.1")
            .await
            .status,
        StatusCode::LOCKED,
        "an address the account never used"
    );
    app.advance(15 * 60);
    assert_eq!(
        app.login_json("clerk", crate::web::PASSWORD, "10.8.0.1")
            .await
            .status,
        StatusCode::OK,
        "after the window"
    );
}

/// Finding 6 (TOTP): 300 wrong codes were allowed before the right one. Now the fifth wrong
/// code ends the half-open session, and the right code on it opens nothing.
#[tokio::test]
async fn wrong_totp_codes_end_the_sign_in_after_five() {
    let mut app = bare_app().await;
    app.add_user("sysadmin", "dispatch", &[RoleKind::SystemAdmin], false)
        .await;
    app.sign_in("sysadmin").await; // enrols
    app.post_form("/logout", &[], None).await;
    app.advance(60);
    app.sign_in_password("sysadmin").await;
    for i in 1..=4 {
        let r = app
            .post_form("/account/2fa", &[("code", "000000")], None)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "wrong code {i}");
    }
    let fifth = app
        .post_form("/account/2fa", &[("code", "000000")], None)
        .await;
    assert_eq!(fifth.status, StatusCode::SEE_OTHER);
    assert_eq!(fifth.location(), "/login?totp_ended=true");
    let secret = app.totp_secrets.lock().unwrap()["sysadmin"].clone();
    let right = app
        .post_form(
            "/account/2fa",
            &[("code", &app.totp_code(&secret, 0))],
            None,
        )
        .await;
    assert!(
        right.status == StatusCode::UNAUTHORIZED || right.location().starts_with("/login"),
        "the session is gone: {} {}",
        right.status,
        right.location()
    );
    let login = app.get("/login?totp_ended=true").await;
    assert!(
        login.body.contains("动态口令错误次数过多"),
        "{}",
        login.body
    );
}

/// Finding 6 (weak passwords, sessions): common passwords were accepted and an account could
/// hold any number of sessions.
#[tokio::test]
async fn common_passwords_are_refused_and_sessions_are_capped() {
    let mut app = bare_app().await;
    app.add_user("clerk", "sjz-hz", &[RoleKind::Reporter], false)
        .await;
    app.sign_in("clerk").await;
    let r = app
        .post_form(
            "/account/password",
            &[
                ("current", crate::web::PASSWORD),
                ("new", "P@ssw0rd2025"),
                ("confirm", "P@ssw0rd2025"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("口令太常见或容易猜到"), "{}", r.body);
    // Six sign-ins: the first session ends.
    let first = app.session.clone();
    for _ in 0..5 {
        app.advance(60);
        app.sign_in("clerk").await;
    }
    let latest = app.session.clone();
    app.session = first;
    let old = app.get("/").await;
    assert_eq!(
        old.status,
        StatusCode::SEE_OTHER,
        "the oldest session ended"
    );
    app.session = latest;
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    let evicted = app
        .store
        .audit_events(&gaoxin_store::AuditFilter {
            action: Some("session.evict".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(evicted.len(), 1);
}

/// Finding 2: anyone, unsigned, grew the undeletable audit log without bound (a 1.5 MB user
/// name stored whole; one row per cross-site POST). Now a sign-in body is capped, names are
/// cut before they are stored, and refusals from people not signed in are audited one by one
/// only up to a budget per source and per window, the rest as one summary.
#[tokio::test]
async fn unsigned_refusals_grow_the_audit_log_by_a_bounded_amount() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use gaoxin_store::testing::query_i64;
    let app = bare_app().await;
    let events = || query_i64(&app.store, "SELECT COUNT(*) FROM audit_events");
    let before = events().await.unwrap();
    // A 1.5 MB name is refused before it is read.
    let huge = "x".repeat(1_500_000);
    let r = app.login_json(&huge, "Wrong!pass1", "10.3.3.3").await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // A 3,000-character name is cut to 64 characters.
    let long = "y".repeat(3_000);
    app.login_json(&long, "Wrong!pass1", "10.3.3.3").await;
    let longest = query_i64(&app.store, "SELECT MAX(LENGTH(account)) FROM audit_events")
        .await
        .unwrap();
    assert!(longest <= 65, "{longest}");
    // 200 cross-site POSTs from one address: five events now, a summary when the window ends.
    for _ in 0..200 {
        let req = Request::post("/login")
            .header(header::HOST, crate::web::HOST)
            .header(header::ORIGIN, "http://evil.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("username=a&password=b"))
            .unwrap();
        assert_eq!(
            app.send_from(req, "10.4.4.4").await.status,
            StatusCode::FORBIDDEN
        );
    }
    let csrf = query_i64(
        &app.store,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'csrf.rejected'",
    )
    .await
    .unwrap();
    assert_eq!(csrf, gaoxin_store::UNSIGNED_PER_SOURCE);
    // One from each of 400 addresses: the window's budget holds across sources.
    for i in 0..400 {
        let req = Request::post("/login")
            .header(header::HOST, crate::web::HOST)
            .header(header::ORIGIN, "http://evil.example")
            .body(Body::empty())
            .unwrap();
        app.send_from(req, &format!("10.5.{}.{}", i / 250, i % 250))
            .await;
    }
    let grown = events().await.unwrap() - before;
    assert!(
        grown <= gaoxin_store::UNSIGNED_PER_WINDOW,
        "{grown} events in one window"
    );
    // When the window ends, what was held is written as summaries, and the chain verifies.
    app.advance(gaoxin_store::UNSIGNED_WINDOW_SECS);
    app.store
        .close_unsigned_windows(
            &app.key,
            gaoxin_core::time::Timestamp(app.clock.load(std::sync::atomic::Ordering::SeqCst)),
        )
        .await
        .unwrap();
    let summaries = app
        .store
        .audit_events(&gaoxin_store::AuditFilter {
            action: Some("csrf.rejected.summary".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let one_source = summaries
        .iter()
        .find(|e| e.ip == "10.4.4.4")
        .expect("a summary for the busy source");
    assert!(
        one_source
            .after
            .as_deref()
            .unwrap_or("")
            .contains("\"count\":195"),
        "{:?}",
        one_source.after
    );
    let total = events().await.unwrap() - before;
    assert!(total <= gaoxin_store::UNSIGNED_PER_WINDOW + 1, "{total}");
    assert!(app.store.verify_audit(&app.key).await.unwrap().is_ok());
}

/// Finding 9: the security administrator re-roled the audit administrator into a dispatcher
/// (who then signed in without a second factor and read business data), and the system
/// administrator could disable or delete the security administrator. Now no administrator
/// changes another, or gives an administrator role, on the web; the console does.
#[tokio::test]
async fn no_administrator_changes_another_on_the_web() {
    let app = bare_app().await;
    for (name, role) in [
        ("sysadmin", RoleKind::SystemAdmin),
        ("secadmin", RoleKind::SecurityAdmin),
        ("auditadmin", RoleKind::AuditAdmin),
    ] {
        app.add_user(name, "dispatch", &[role], false).await;
    }
    app.add_user("clerk", "sjz-hz", &[RoleKind::Reporter], false)
        .await;
    let mut sec = app.clone();
    sec.sign_in("secadmin").await;
    let r = sec
        .post_form("/admin/roles/auditadmin", &[("role", "dispatcher")], None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("控制台"), "{}", r.body);
    let r = sec
        .post_form("/admin/roles/clerk", &[("role", "audit-admin")], None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "an administrator role is given at the console"
    );
    let page = sec.get("/admin/roles").await;
    assert!(!page.body.contains("value=\"audit-admin\""), "not offered");
    // A business account's roles are the security administrator's to set.
    let r = sec
        .post_form("/admin/roles/clerk", &[("role", "reviewer")], None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut sys = app.clone();
    sys.sign_in("sysadmin").await;
    for action in ["disable", "delete"] {
        let r = sys
            .post_form("/admin/accounts/secadmin", &[("action", action)], None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}: {}", r.body);
    }
    // A path that is no route is a 404 for an administrator as for anyone signed in, not a
    // refusal written to the audit log (browsers ask for /favicon.ico on their own).
    for path in ["/favicon.ico", "/no-such-page"] {
        assert_eq!(sys.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let audit = app.store.account("auditadmin").await.unwrap().unwrap();
    assert_eq!(audit.roles, vec![RoleKind::AuditAdmin]);
    assert!(
        !app.store
            .account("secadmin")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    // Each refusal is audited; the console can make the change.
    let denied = app
        .store
        .audit_events(&gaoxin_store::AuditFilter {
            action: Some("authz.denied".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        denied
            .iter()
            .filter(|e| e.target.starts_with("account:"))
            .count()
            >= 4
    );
    assert!(
        !denied
            .iter()
            .any(|e| e.target.contains("favicon") || e.target.contains("no-such")),
        "{denied:?}"
    );
    let moved = app
        .store
        .set_roles(
            &app.key,
            &gaoxin_store::Actor::console(),
            "auditadmin",
            &[RoleKind::Leader],
            gaoxin_core::time::Timestamp(crate::web::T0),
        )
        .await
        .unwrap();
    assert_eq!(moved.roles, vec![RoleKind::Leader]);
}

/// The console is where administrators' roles change: `gaoxin user roles`.
#[test]
fn the_console_sets_roles_an_administrator_may_not() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let key = dir.path().join("audit.key");
    add_user(&db, &key, "auditor2", "dispatch", "audit-admin");
    let key = key.to_str().unwrap();
    let out = gaoxin(&[
        "user",
        "roles",
        "auditor2",
        "--role",
        "leader",
        "--database",
        &db,
        "--audit-key",
        key,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = gaoxin(&["user", "list", "--database", &db]);
    let text = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(text.contains("auditor2,dispatch,leader,"), "{text}");
    // Roles that cannot go together are refused here too.
    let out = gaoxin(&[
        "user",
        "roles",
        "auditor2",
        "--role",
        "leader,audit-admin",
        "--database",
        &db,
        "--audit-key",
        key,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("三员分立"), "{}", stderr(&out));
}

/// Finding 8: a reporter of one zone read another zone's submitted, not yet reviewed figures
/// through the cockpit pages and the API (while its history answered 404). Now a value waiting
/// for review is read only by the unit that entered it, its reviewers, the dispatch office and
/// the leadership.
#[tokio::test]
async fn another_zone_does_not_read_figures_waiting_for_review() {
    let app = bare_app().await;
    let clerk = app
        .signed_in("clerk", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    let other = app
        .signed_in("zd-clerk", "zd-hz-admin", RoleKind::Reporter)
        .await;
    let reviewer = app.signed_in("rev", "stats", RoleKind::Reviewer).await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let leader = app.signed_in("boss", "dispatch", RoleKind::Leader).await;
    let r = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", "2026-11"),
                ("action", "submit"),
                ("v.fai-rate", "13.37"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("已提交 1 项"), "{}", r.body);
    let reads = |who: &App| {
        let who = who.clone();
        async move {
            let mut seen = Vec::new();
            for uri in [
                "/monitor?period=2026-11",
                "/monitor/sjz-hz?period=2026-11",
                "/api/v1/cockpit/sjz-hz?period=2026-11",
                "/api/v1/status?period=2026-11",
            ] {
                let r = who.get(uri).await;
                assert_eq!(r.status, StatusCode::OK, "{uri}");
                seen.push(r.body.contains("13.37"));
            }
            seen
        }
    };
    assert_eq!(reads(&other).await, [false; 4], "another zone's reporter");
    for (name, who) in [
        ("the unit that entered it", &clerk),
        ("its reviewer", &reviewer),
        ("the dispatch office", &disp),
        ("the leadership", &leader),
    ] {
        assert_eq!(reads(who).await, [true; 4], "{name}");
    }
    // Once reviewed, it is everyone's.
    let version = app
        .store
        .figure_value(
            "sjz-hz",
            "fai-rate",
            gaoxin_core::monitor::YearMonth::new(2026, 11).unwrap(),
        )
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    let r = reviewer
        .post_form(
            "/figures/review",
            &[
                ("unit", "sjz-hz"),
                ("figure", "fai-rate"),
                ("period", "2026-11"),
                ("version", &version),
                ("action", "approve"),
            ],
            None,
        )
        .await;
    assert!(
        r.status.is_redirection() || r.status.is_success(),
        "{}",
        r.body
    );
    assert_eq!(reads(&other).await, [true; 4], "reviewed");
}

/// Finding 7 (the tail): the last events could be deleted and the head row rewritten to match,
/// and `audit verify` passed. Now the head is anchored outside the database after every
/// command (and every few seconds while serving), and a chain that ends before its anchor, or
/// differs from it, is named.
#[test]
fn a_cut_tail_of_the_audit_log_is_found_by_its_anchor() {
    use crate::cli::sqlite3;
    let dir = TempDir::new();
    let db_path = dir.path().join("g.db");
    let db = format!("sqlite://{}", db_path.display());
    let key = dir.path().join("audit.key");
    for name in ["u1", "u2", "u3"] {
        add_user(&db, &key, name, "dispatch", "leader");
    }
    let verify = || gaoxin(&["audit", "verify", "--database", &db]);
    let ok = verify();
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        crate::cli::stdout(&ok).contains("与锚点一致"),
        "{}",
        crate::cli::stdout(&ok)
    );
    assert!(dir.path().join("audit.anchor").exists(), "beside the key");
    // An attacker with the database (not the key) cuts the last two events and rewrites the
    // head to the new last event: the chain alone is consistent again.
    sqlite3(
        &db_path,
        "DROP TRIGGER audit_events_no_delete; \
         DELETE FROM audit_events WHERE id > (SELECT MAX(id) - 2 FROM audit_events); \
         UPDATE audit_head SET last_id = (SELECT MAX(id) FROM audit_events), \
           last_seal = (SELECT seal FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events));",
    );
    let cut = verify();
    assert_eq!(cut.status.code(), Some(1), "{}", crate::cli::stdout(&cut));
    assert!(
        stderr(&cut).contains("审计链在锚点之前结束"),
        "{}",
        stderr(&cut)
    );
    // Without the anchor it could not have been seen, and verify says so.
    std::fs::remove_file(dir.path().join("audit.anchor")).unwrap();
    let blind = verify();
    assert!(blind.status.success());
    assert!(crate::cli::stdout(&blind).contains("没有锚点文件"));
}

/// Finding 7 (business changes): ledger edits, figure steps, 督办 steps, work items and
/// reports were outside the sealed chain. Each is now an event in it, with who, from where,
/// and what before and after, written in the transaction of the change.
#[tokio::test]
async fn business_changes_are_sealed_into_the_audit_chain() {
    use gaoxin_store::AuditFilter;
    let app = bare_app().await;
    let clerk = app
        .signed_in("clerk", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let r = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", "2026-11"),
                ("action", "submit"),
                ("v.fai-rate", "11.5"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = disp
        .post_form(
            "/supervision/new",
            &[
                ("title", "推进低效用地整治"),
                ("subject", "matter"),
                ("basis", "方案任务 13"),
            ],
            None,
        )
        .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let events = app
        .store
        .audit_events(&AuditFilter::default())
        .await
        .unwrap();
    let find = |action: &str| {
        events
            .iter()
            .find(|e| e.action == action)
            .unwrap_or_else(|| {
                panic!(
                    "{action} in {:?}",
                    events.iter().map(|e| &e.action).collect::<Vec<_>>()
                )
            })
    };
    let saved = find("figure.save");
    assert_eq!(saved.account, "clerk");
    assert_eq!(saved.ip, "10.0.0.1");
    assert_eq!(saved.target, "figure:sjz-hz/fai-rate/2026-11");
    assert!(saved.after.as_deref().unwrap().contains("\"value\":11.5"));
    let submitted = find("figure.submit");
    assert!(
        submitted
            .before
            .as_deref()
            .unwrap()
            .contains("\"state\":\"draft\"")
    );
    assert!(
        submitted
            .after
            .as_deref()
            .unwrap()
            .contains("\"state\":\"submitted\"")
    );
    let opened = find("supervision.open");
    assert_eq!(opened.account, "disp");
    assert!(
        opened
            .after
            .as_deref()
            .unwrap()
            .contains("推进低效用地整治")
    );
    assert!(app.store.verify_audit(&app.key).await.unwrap().is_ok());
}

/// Finding 10 (reads): while another process held SQLite's write lock (a 700,000-row import),
/// pages that touched the session waited 10 s and failed with "database is locked", and a
/// figures dry run (which writes nothing) did too. Now reading a page writes nothing, and a dry
/// run takes no write lock.
#[tokio::test]
async fn pages_and_dry_runs_answer_while_another_process_holds_the_write_lock() {
    use gaoxin_store::testing::hold_write_lock;
    let app = bare_app().await;
    if app.store.backend() != gaoxin_store::Backend::Sqlite {
        return; // PostgreSQL has no single writer.
    }
    let clerk = app
        .signed_in("clerk", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    assert_eq!(clerk.get("/").await.status, StatusCode::OK);
    // Long enough since the session was last seen that a read once wrote it down.
    app.advance(5 * 60);
    let lock = hold_write_lock(&app.store).await.unwrap();
    let started = std::time::Instant::now();
    for uri in [
        "/",
        "/monitor",
        "/ledgers/enterprises",
        "/figures?period=2026-11",
        "/work",
    ] {
        let r = clerk.get(uri).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{uri}: {}",
            &r.body[..r.body.len().min(300)]
        );
    }
    let filled = crate::web_figures::workbook(&[
        ("sjz-hz", "fai-rate", "2026-11", Some(12.0)),
        ("sjz-hz", "revenue", "2026-11", Some(1500.0)),
    ]);
    let dry = clerk
        .upload("/figures/upload", "figures.xlsx", filled)
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("试导入通过"), "{}", dry.body);
    assert!(
        dry.body.contains("1500 亿元"),
        "the dry run checked both rows: {}",
        dry.body
    );
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    // A write has to wait for the lock; when it cannot, it says so rather than failing blindly.
    lock.release().await.unwrap();
    // The last-seen time reaches the database in the next batch, not on the read.
    assert!(app.store.flush_session_touches().await.unwrap() >= 1);
}

/// Finding 10 (imports): an import's records are written in batches that nobody sees until its
/// last step; an import a crash left half-written is removed, and its records never appear.
#[tokio::test]
async fn a_half_written_import_is_seen_by_no_one_and_removed() {
    use gaoxin_store::testing::{execute, query_i64};
    let app = bare_app().await;
    if app.store.backend() != gaoxin_store::Backend::Sqlite {
        return; // PostgreSQL imports in one transaction.
    }
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    // What a crash between batches leaves: an unfinished import and some of its records.
    execute(
        &app.store,
        "INSERT INTO ledger_imports (id, ledger, file_hash, file_name, account, at, created, \
             updated, unchanged, pending, touched_at) \
         VALUES (900, 'enterprises', 'h', 'big.xlsx', 'kj', 1, 2, 0, 0, 1, 1)",
    )
    .await
    .unwrap();
    for (i, code) in ["91130100MA00000001", "91130100MA00000002"]
        .iter()
        .enumerate()
    {
        execute(
            &app.store,
            &format!(
                "INSERT INTO ledger_records (ledger, natural_key, unit_key, name, fields, version, \
                     created_at, updated_at, updated_by, import_id) \
                 VALUES ('enterprises', '{code}', 'sjz-hz', '半截导入{i}', '[]', 1, 1, 1, 'kj', 900)"
            ),
        )
        .await
        .unwrap();
    }
    let l = gaoxin_core::ledger::Ledger::find("enterprises").unwrap();
    assert_eq!(app.store.ledger_size(l).await.unwrap(), 0, "not counted");
    let list = disp.get("/ledgers/enterprises").await;
    assert!(!list.body.contains("半截导入"), "not listed");
    let id = query_i64(&app.store, "SELECT MIN(id) FROM ledger_records")
        .await
        .unwrap();
    assert_eq!(
        disp.get(&format!("/ledgers/enterprises/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "not readable"
    );
    assert_eq!(
        app.store
            .remove_stale_imports(gaoxin_core::time::Timestamp(crate::web::T0))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        query_i64(&app.store, "SELECT COUNT(*) FROM ledger_records")
            .await
            .unwrap(),
        0,
        "removed"
    );
}

/// Low findings, each as it was met: framework texts reaching users, NUL bytes (a 500 on
/// PostgreSQL), look-alike user names, account ids reused after a delete, an "already exists
/// (no. 261)" for a record the reader may not see, record-level refusals not audited, two rows
/// of one figure in an import (the last silently winning).
#[tokio::test]
async fn the_low_findings_get_clear_answers() {
    use gaoxin_store::AuditFilter;
    let app = bare_app().await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    // Framework texts: a path or query that does not parse gets our page, in Chinese.
    for (uri, status) in [
        ("/work/abc", StatusCode::NOT_FOUND),
        ("/supervision/1x", StatusCode::NOT_FOUND),
        ("/figures/history?unit=sjz-hz", StatusCode::BAD_REQUEST),
        ("/ledgers/enterprises?page=many", StatusCode::BAD_REQUEST),
    ] {
        let r = disp.get(uri).await;
        assert_eq!(r.status, status, "{uri}: {}", r.body);
        assert!(!r.body.contains("Cannot parse"), "{uri}: {}", r.body);
        assert!(
            !r.body.contains("Failed to deserialize"),
            "{uri}: {}",
            r.body
        );
        assert!(r.body.contains("<html lang=\"zh-CN\">"), "{uri}: a page");
    }
    let api = disp.get("/api/v1/departments/x%00y").await;
    assert!(api.body.starts_with("{\"error\""), "{}", api.body);
    // NUL bytes: refused with a reason, nothing stored, no 500 on either database.
    let r = disp
        .post_form(
            "/supervision/new",
            &[
                ("title", "含\u{0}空字符"),
                ("subject", "matter"),
                ("basis", "x"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("控制字符"), "{}", r.body);
    let r = disp.get("/monitor?period=2026-1%001").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let login = app.login_json("disp\u{0}", "x", "10.0.0.9").await;
    assert_eq!(login.status, StatusCode::BAD_REQUEST, "{}", login.body);

    // Look-alike names are refused by the administrators' page too.
    let mut sys = app.clone();
    app.add_user("sysadmin", "dispatch", &[RoleKind::SystemAdmin], false)
        .await;
    sys.sign_in("sysadmin").await;
    for name in ["ѕysadmin", "ｄｉｓｐ", "Disp"] {
        let r = sys
            .post_form(
                "/admin/accounts",
                &[("username", name), ("unit", "dispatch")],
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.body
        );
    }
    // Ids are not reused: a deleted account's id is not the next account's.
    let made = sys
        .post_form(
            "/admin/accounts",
            &[("username", "temp"), ("unit", "dispatch")],
            None,
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let temp_id = app.store.account("temp").await.unwrap().unwrap().id;
    for action in ["disable", "delete"] {
        let r = sys
            .post_form("/admin/accounts/temp", &[("action", action)], None)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
    }
    sys.post_form(
        "/admin/accounts",
        &[("username", "newcomer"), ("unit", "dispatch")],
        None,
    )
    .await;
    let newcomer = app.store.account("newcomer").await.unwrap().unwrap().id;
    assert!(newcomer > temp_id, "{newcomer} after {temp_id}");

    // Another unit's record: not named by its number, and looking at it is audited.
    let zd = app
        .signed_in("zd-kj", "zd-hz-admin", RoleKind::Reporter)
        .await;
    let sjz = app
        .signed_in("sjz-kj", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    let code = crate::ledgers::uscc(96);
    let fields = |unit: &'static str| {
        vec![
            ("version", "0".to_string()),
            ("f_uscc", code.clone()),
            ("f_name", "石家庄某某科技有限公司".to_string()),
            ("f_unit", unit.to_string()),
            ("f_industry", "数字经济".to_string()),
        ]
    };
    let sjz_fields = fields("sjz-hz");
    let refs: Vec<(&str, &str)> = sjz_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = sjz.post_form("/ledgers/enterprises/new", &refs, None).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created
        .location()
        .rsplit('/')
        .next()
        .and_then(|x| x.split('?').next())
        .unwrap()
        .parse()
        .unwrap();
    let zd_fields = fields("zd-hz");
    let refs: Vec<(&str, &str)> = zd_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let clash = zd.post_form("/ledgers/enterprises/new", &refs, None).await;
    assert_eq!(
        clash.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        clash.body
    );
    assert!(clash.body.contains("无权查看的单位"), "{}", clash.body);
    assert!(
        !clash.body.contains(&format!("编号 {id}")),
        "{}",
        clash.body
    );
    assert_eq!(
        zd.get(&format!("/ledgers/enterprises/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let denied = app
        .store
        .audit_events(&AuditFilter {
            action: Some("authz.denied".into()),
            account: Some("zd-kj".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        denied
            .iter()
            .any(|e| e.target == format!("ledger:enterprises/{id}")),
        "{denied:?}"
    );

    // Two rows for one zone, figure and period: refused by line, not "the last one wins".
    let twice = crate::web_figures::workbook(&[
        ("sjz-hz", "fai-rate", "2026-11", Some(12.0)),
        ("sjz-hz", "fai-rate", "2026-11", Some(13.0)),
    ]);
    let clerk = app
        .signed_in("clerk", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    let r = clerk.upload("/figures/upload", "f.xlsx", twice).await;
    assert!(r.body.contains("与第 2 行重复"), "{}", r.body);
}

/// Low finding: two servers started at once on a new database crashed (both made the audit
/// key, both made the administrators). Now the key and the administrators are made once, and
/// both servers start.
#[test]
fn servers_started_together_on_a_new_database_both_start() {
    for round in 0..3 {
        let dir = TempDir::new();
        let db = format!("sqlite://{}", dir.path().join("g.db").display());
        let starts: Vec<_> = (0..3)
            .map(|_| {
                let db = db.clone();
                std::thread::spawn(move || crate::cli::serve(&["--database", &db, "--create"]))
            })
            .collect();
        let mut made = 0;
        for s in starts {
            let (out, err) = s.join().unwrap();
            assert!(
                out.iter().any(|l| l.contains("serving on")),
                "round {round}: {out:?} {err}"
            );
            made += out
                .iter()
                .filter(|l| l.trim_start().starts_with("sysadmin"))
                .count();
        }
        assert_eq!(made, 1, "round {round}: the administrators are made once");
        let verified = gaoxin(&["audit", "verify", "--database", &db]);
        assert!(verified.status.success(), "{}", stderr(&verified));
    }
}

/// Finding 11: there was no backup procedure (a `cp` of the live database lost up to 28
/// commits and still passed every check), and a kill during the first start could leave an
/// empty key that blocked every start after. Now `gaoxin backup` takes a consistent copy while
/// the server writes, `gaoxin restore` refuses to replace data without `--force` and checks the
/// chain after, and an empty key left by a crash before any event is replaced.
#[tokio::test]
async fn a_backup_taken_while_writing_restores_whole() {
    let app = bare_app().await;
    if app.store.backend() != gaoxin_store::Backend::Sqlite {
        return; // The PostgreSQL round trip is the next test.
    }
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let dir = TempDir::new();
    // Writes go on while the backup is taken.
    let writing = {
        let disp = disp.clone();
        tokio::spawn(async move {
            let mut acknowledged = 0;
            for n in 0..60 {
                let r = disp
                    .post_form(
                        "/supervision/new",
                        &[
                            ("title", &format!("备份期间 {n}")),
                            ("subject", "matter"),
                            ("basis", "x"),
                        ],
                        None,
                    )
                    .await;
                acknowledged += usize::from(r.status == StatusCode::SEE_OTHER);
            }
            acknowledged
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let file = dir.path().join("copy.db");
    let contents = app.store.backup_to(&file).await.unwrap();
    assert!(writing.await.unwrap() > 0);
    // The copy is whole: its chain verifies to the head it holds.
    let copy = gaoxin_store::Store::open(
        &gaoxin_store::DatabaseUrl::parse(&format!("sqlite://{}", file.display())).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        copy.verify_audit(&app.key).await.unwrap(),
        Ok(contents.audit_head as u64)
    );
    assert_eq!(copy.contents().await.unwrap(), contents);
    copy.close().await;
    assert!(!file.with_extension("restoring").exists());
}

/// The same at the console: backup, restore refused over data, restore with --force, verify.
#[test]
fn backup_and_restore_at_the_console() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let key = dir.path().join("audit.key");
    add_user(&db, &key, "disp", "dispatch", "dispatcher");
    add_user(&db, &key, "boss", "dispatch", "leader");
    let backup_dir = dir.path().join("backup");
    let out = gaoxin(&["backup", backup_dir.to_str().unwrap(), "--database", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    for f in ["gaoxin.db", "audit.key", "audit.anchor", "manifest.json"] {
        assert!(backup_dir.join(f).exists(), "{f}");
    }
    // A second backup into the same folder is refused.
    let again = gaoxin(&["backup", backup_dir.to_str().unwrap(), "--database", &db]);
    assert_eq!(again.status.code(), Some(1));
    // Restoring over the live database needs --force.
    let refused = gaoxin(&["restore", backup_dir.to_str().unwrap(), "--database", &db]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    // Into a new place: the database, the key beside it, the chain checked.
    let elsewhere = dir.path().join("restored");
    let target = format!("sqlite://{}", elsewhere.join("g.db").display());
    let restored = gaoxin(&[
        "restore",
        backup_dir.to_str().unwrap(),
        "--database",
        &target,
    ]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(crate::cli::stdout(&restored).contains("审计链完整"));
    let verified = gaoxin(&["audit", "verify", "--database", &target]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(crate::cli::stdout(&verified).contains("与锚点一致"));
    let list = gaoxin(&["user", "list", "--database", &target]);
    assert!(crate::cli::stdout(&list).contains("boss,dispatch,leader"));
    // A damaged backup is refused before anything is replaced.
    let mut bytes = std::fs::read(backup_dir.join("gaoxin.db")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(backup_dir.join("gaoxin.db"), bytes).unwrap();
    let damaged = gaoxin(&[
        "restore",
        backup_dir.to_str().unwrap(),
        "--database",
        &target,
        "--force",
    ]);
    assert_eq!(damaged.status.code(), Some(1));
    assert!(stderr(&damaged).contains("SHA-256"), "{}", stderr(&damaged));
    // An empty key left by a crash before any event no longer blocks the start.
    let fresh = dir.path().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("audit.key"), b"").unwrap();
    let fresh_db = format!("sqlite://{}", fresh.join("g.db").display());
    let (out, err) = crate::cli::serve(&["--database", &fresh_db, "--create"]);
    assert!(
        out.iter().any(|l| l.contains("serving on")),
        "{out:?} {err}"
    );
}

/// A store on `db` sealing with the tests' key, with the seed plan and one account.
async fn seeded_with(
    db: &crate::support::TestDb,
    name: &str,
    unit: &str,
    role: RoleKind,
) -> gaoxin_store::Store {
    let store = gaoxin_store::Store::open(&db.url())
        .await
        .unwrap()
        .sealing(crate::support::audit_key());
    store
        .load_plan(
            crate::support::SEED_NAME,
            crate::support::SEED,
            gaoxin_store::now(),
        )
        .await
        .unwrap();
    crate::support::account_at(
        &store,
        name,
        unit,
        role,
        gaoxin_core::time::Timestamp(crate::web::T0),
    )
    .await;
    store
}

/// PostgreSQL: a backup of a PostgreSQL database restores into a new PostgreSQL database, and a
/// SQLite backup moves a deployment onto PostgreSQL.
#[tokio::test]
async fn backups_cross_between_postgresql_and_sqlite() {
    if std::env::var("GAOXIN_TEST_PG_URL").is_err() {
        eprintln!("GAOXIN_TEST_PG_URL not set: the PostgreSQL round trip runs in CI");
        return;
    }
    let source = crate::support::create("postgres").await;
    let store = seeded_with(&source, "disp", "dispatch", RoleKind::Dispatcher).await;
    let plan = gaoxin_core::Plan::parse(crate::support::SEED_NAME, crate::support::SEED).unwrap();
    let disp = store.account("disp").await.unwrap().unwrap();
    let rows = gaoxin_core::ledger::sample::generate(&plan);
    let (l, records) = &rows[0];
    let parsed: Vec<_> = records
        .iter()
        .enumerate()
        .map(|(i, r)| gaoxin_core::ledger::sheet::ParsedRow {
            line: i + 2,
            record: r.clone(),
        })
        .collect();
    store
        .ledger_import(
            &gaoxin_store::Act::of(&plan, &disp, gaoxin_store::now()),
            l,
            &gaoxin_store::ImportFile::new("pg.xlsx", "h1"),
            &parsed,
            false,
        )
        .await
        .unwrap();
    // A search decided by its one character: PostgreSQL counts it from the name counts its
    // triggers keep, which no backup holds — a restore must make them anew from the rows.
    let piece: String = l.title(&records[0]).chars().take(1).collect();
    let counted = |s: gaoxin_store::Store| {
        let piece = piece.clone();
        async move {
            let q = gaoxin_store::ListQuery {
                search: Some(piece),
                limit: 1,
                ..gaoxin_store::ListQuery::default()
            };
            s.ledger_list(l, &q).await.unwrap().total
        }
    };
    let on_source = counted(store.clone()).await;
    assert!(on_source > 1, "{piece}: {on_source}");
    let dir = TempDir::new();
    let file = dir.path().join("pg.db");
    let contents = store.backup_to(&file).await.unwrap();
    store.close().await;
    assert!(contents.tables["ledger_records"] > 0);
    // Into a new PostgreSQL database.
    let target = crate::support::create("postgres").await;
    let restored = gaoxin_store::backup::restore(&file, &target.url(), false)
        .await
        .unwrap();
    assert_eq!(restored.tables, contents.tables);
    let back = gaoxin_store::Store::open(&target.url()).await.unwrap();
    assert_eq!(counted(back.clone()).await, on_source);
    assert_eq!(
        back.verify_audit(&crate::support::audit_key())
            .await
            .unwrap(),
        Ok(contents.audit_head as u64)
    );
    // Identity columns continue after the restored ids.
    let sealed = back.sealing(crate::support::audit_key());
    crate::support::account_at(
        &sealed,
        "after",
        "dispatch",
        RoleKind::Leader,
        gaoxin_core::time::Timestamp(crate::web::T0),
    )
    .await;
    sealed.close().await;
    // Over it again: refused, then replaced with --force.
    assert!(
        gaoxin_store::backup::restore(&file, &target.url(), false)
            .await
            .is_err()
    );
    let again = gaoxin_store::backup::restore(&file, &target.url(), true)
        .await
        .unwrap();
    assert_eq!(again.tables, contents.tables);
    let back = gaoxin_store::Store::open(&target.url()).await.unwrap();
    assert_eq!(counted(back.clone()).await, on_source);
    back.close().await;
    // A SQLite deployment moves onto PostgreSQL the same way.
    let lite = crate::support::create("sqlite").await;
    let lite_store = seeded_with(&lite, "clerk", "sjz-hz-admin", RoleKind::Reporter).await;
    let lite_file = dir.path().join("lite.db");
    let lite_contents = lite_store.backup_to(&lite_file).await.unwrap();
    lite_store.close().await;
    let moved = gaoxin_store::backup::restore(&lite_file, &target.url(), true)
        .await
        .unwrap();
    assert_eq!(moved.tables, lite_contents.tables);
    let on_pg = gaoxin_store::Store::open(&target.url()).await.unwrap();
    assert!(on_pg.account("clerk").await.unwrap().is_some());
    assert!(
        on_pg
            .verify_audit(&crate::support::audit_key())
            .await
            .unwrap()
            .is_ok()
    );
    on_pg.close().await;
    crate::support::drop_db(source).await;
    crate::support::drop_db(target).await;
}

/// Two local PostgreSQL clusters, a primary and its streaming standby (synchronous: what the
/// primary acknowledged is on the standby), run as the `postgres` user.
struct Clusters {
    dir: TempDir,
    bin: std::path::PathBuf,
    primary: u16,
    standby: u16,
}

impl Clusters {
    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    /// Runs a PostgreSQL program as the `postgres` user.
    fn run(&self, program: &str, args: &[&str]) {
        let out = std::process::Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn start() -> Clusters {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .max()
            .unwrap();
        let c = Clusters {
            dir: TempDir::new(),
            bin,
            primary: Clusters::free_port(),
            standby: Clusters::free_port(),
        };
        std::process::Command::new("chown")
            .args([
                "-R",
                "postgres:postgres",
                &c.dir.path().display().to_string(),
            ])
            .status()
            .unwrap();
        let primary = c.path("primary");
        c.run(
            "initdb",
            &["-D", &primary, "-A", "trust", "-U", "postgres", "--no-sync"],
        );
        let conf = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             wal_level = replica\nmax_wal_senders = 4\nsynchronous_standby_names = '*'\n\
             fsync = off\n",
            c.primary,
            c.dir.path().display()
        );
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(format!("{primary}/postgresql.conf"))
            .unwrap();
        std::io::Write::write_all(&mut f, conf.as_bytes()).unwrap();
        c.run(
            "pg_ctl",
            &["-D", &primary, "-l", &c.path("primary.log"), "-w", "start"],
        );
        let standby = c.path("standby");
        c.run(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &c.primary.to_string(),
                "-U",
                "postgres",
                "-D",
                &standby,
                "-R",
                "-X",
                "stream",
            ],
        );
        c.run(
            "pg_ctl",
            // Once promoted it must not wait for a standby of its own (it has none): the
            // setting copied from the primary would hold every commit.
            &[
                "-D",
                &standby,
                "-l",
                &c.path("standby.log"),
                "-o",
                &format!("-p {} -c synchronous_standby_names=", c.standby),
                "-w",
                "start",
            ],
        );
        c
    }

    fn addr(port: u16) -> std::net::SocketAddr {
        format!("127.0.0.1:{port}").parse().unwrap()
    }

    fn crash_primary(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.path("primary"), "-m", "immediate", "stop"],
        );
    }

    fn promote_standby(&self) {
        self.run("pg_ctl", &["-D", &self.path("standby"), "-w", "promote"]);
    }
}

impl Drop for Clusters {
    fn drop(&mut self) {
        for c in ["primary", "standby"] {
            let _ = std::process::Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"))
                .args(["-D", &self.path(c), "-m", "immediate", "stop"])
                .output();
        }
    }
}

/// The failover drill, with two local clusters: gaoxin connects through an address that moves
/// (here a relay standing for the virtual IP or DNS name in front of the database). While the
/// address points at the standby before its promotion, writes are refused as read-only and
/// `/healthz` says so; once it is promoted, writes go through again — no restart of gaoxin —
/// and every write the old primary acknowledged is there.
#[tokio::test]
async fn gaoxin_reconnects_to_a_promoted_standby() {
    if std::env::var_os("GAOXIN_TEST_PG_FAILOVER").is_none() {
        eprintln!(
            "GAOXIN_TEST_PG_FAILOVER not set: the failover drill (root, two clusters) runs in CI"
        );
        return;
    }
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let clusters = Clusters::start();
    let relay = Relay::to(Clusters::addr(clusters.primary)).await;
    let admin = format!(
        "postgres://postgres@127.0.0.1:{}/postgres",
        clusters.primary
    );
    {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
        sqlx::raw_sql("CREATE DATABASE gaoxin")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let url = gaoxin_store::DatabaseUrl::parse(&format!(
        "postgres://postgres@127.0.0.1:{}/gaoxin",
        relay.port
    ))
    .unwrap();
    let app = dispatcher_through(&url).await;
    let open = |app: &App, n: String| {
        let app = app.clone();
        async move {
            app.post_form(
                "/supervision/new",
                &[
                    ("title", n.as_str()),
                    ("subject", "matter"),
                    ("basis", "failover"),
                ],
                None,
            )
            .await
        }
    };
    let mut acknowledged = Vec::new();
    for n in 0..10 {
        let r = open(&app, format!("before {n}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        acknowledged.push(r.location().to_string());
    }
    // The primary fails; the address moves to the standby before it is promoted.
    clusters.crash_primary();
    relay.retarget(Clusters::addr(clusters.standby));
    let mut read_only_said = false;
    for n in 0..20 {
        let r = open(&app, format!("during {n}")).await;
        assert_ne!(r.status, StatusCode::SEE_OTHER, "a standby takes no write");
        assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
        if r.body.contains("数据库当前只读") {
            read_only_said = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(read_only_said, "the page says the database is read-only");
    app.advance(10);
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(health.body.contains("read-only"), "{}", health.body);
    // Promoted: writes go through again, with the same gaoxin.
    clusters.promote_standby();
    let started = std::time::Instant::now();
    let mut back = None;
    while started.elapsed() < std::time::Duration::from_secs(30) {
        let r = open(&app, "after".to_string()).await;
        if r.status == StatusCode::SEE_OTHER {
            back = Some(started.elapsed());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let back = back.expect("writes recover after the promotion");
    eprintln!("writes back {back:?} after the promotion");
    for location in &acknowledged {
        let page = app.get(location.split('?').next().unwrap()).await;
        assert_eq!(page.status, StatusCode::OK, "{location}");
    }
    app.advance(10);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert!(app.store.verify_audit(&app.key).await.unwrap().is_ok());
    app.store.close().await;
}
