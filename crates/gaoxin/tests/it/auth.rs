//! Sign-in, sessions and access control, through the router: the route × role table, lockout
//! and throttling on an injected clock, session expiry, password changes, CSRF.

use crate::web::{HOST, PASSWORD, bare_app, link_of};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gaoxin_core::auth::{RoleKind, allows};
use gaoxin_store::AuditFilter;
use gaoxin_web::Access;
use gaoxin_web::routes::RouteAccess;

/// Who asks, in the table below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Role(RoleKind),
}

/// A concrete address for a route's path: parameters filled with values that exist.
fn concrete(path: &str) -> String {
    if path == "/assets/{name}" {
        return "/assets/app.css".into();
    }
    let id = if path.starts_with("/ledgers/") {
        "enterprises"
    } else if path.contains("/departments/") {
        "sci-tech"
    } else {
        "1"
    };
    path.replace("{id}", id)
        .replace("{record}", "1")
        .replace("{zone}", "sjz-hz")
        .replace("{name}", "user2")
}

/// Whether `who` may pass the guard of a route that requires `access`.
fn allowed(who: Who, access: Access) -> bool {
    match (who, access) {
        (_, Access::Public) => true,
        (Who::Anonymous, _) => false,
        (Who::Role(_), Access::SignedIn) => true,
        (Who::Role(r), Access::Needs(c)) => allows(&[r], c),
    }
}

/// What the guard answers a request it refuses.
fn refusal(who: Who, method: &str, path: &str) -> StatusCode {
    match who {
        Who::Anonymous if path.starts_with("/api/") || !matches!(method, "GET" | "HEAD") => {
            StatusCode::UNAUTHORIZED
        }
        Who::Anonymous => StatusCode::SEE_OTHER,
        Who::Role(_) => StatusCode::FORBIDDEN,
    }
}

/// Every route and method the router has — GET routes with HEAD as well — asked by an anonymous
/// visitor and by each role: the guard lets through exactly whom the route table names, and
/// each refusal of a signed-in account is audited. The table is the router's own, so a new
/// route is covered the day it is added.
#[tokio::test]
async fn every_route_and_method_answers_every_role_as_the_table_says() {
    let table = gaoxin_web::route_table();
    // The table holds the routes this test once listed by hand, and more.
    for (method, path) in [
        ("GET", "/monitor"),
        ("POST", "/figures"),
        ("GET", "/ledgers/{id}"),
        ("POST", "/work/{id}/report"),
        ("POST", "/supervision/{id}"),
        ("GET", "/bulletin/docx"),
        ("GET", "/inbox"),
        ("GET", "/audit/export"),
        ("DELETE", "/api/v1/session"),
        ("GET", "/api/v1/cockpit/{zone}"),
    ] {
        assert!(
            table.iter().any(|r| r.method == method && r.path == path),
            "{method} {path} is in the table"
        );
    }
    let base = bare_app().await;
    let mut who: Vec<Who> = vec![Who::Anonymous];
    for (i, role) in RoleKind::ALL.iter().enumerate() {
        base.add_user(&format!("user{i}"), "sci-tech", &[*role], false)
            .await;
        who.push(Who::Role(*role));
    }
    let mut app = base;
    let mut forbidden = 0;
    let mut checked = 0;
    for w in who {
        match w {
            Who::Anonymous => app.session = None,
            Who::Role(r) => {
                let i = RoleKind::ALL.iter().position(|x| *x == r).unwrap();
                app.sign_in(&format!("user{i}")).await;
            }
        }
        let mut requests: Vec<(&str, &RouteAccess)> = Vec::new();
        for r in &table {
            // Ending the session is asked last, below.
            if matches!(r.path.as_str(), "/logout" | "/api/v1/session") && r.method != "GET" {
                continue;
            }
            requests.push((r.method, r));
            if r.method == "GET" {
                requests.push(("HEAD", r));
            }
        }
        for (method, r) in requests {
            let uri = concrete(&r.path);
            let reply = if method == "POST" {
                app.post_form(&uri, &[], None).await
            } else {
                let req = Request::builder()
                    .method(method)
                    .uri(&uri)
                    .header(header::ORIGIN, format!("http://{HOST}"))
                    .header(
                        "x-csrf-token",
                        app.session.as_ref().map_or("", |s| s.1.as_str()),
                    )
                    .body(Body::empty())
                    .unwrap();
                app.send(req).await
            };
            checked += 1;
            let refused = refusal(w, method, &r.path);
            if allowed(w, r.access) {
                let guard_refused = reply.status == refused
                    && (refused != StatusCode::SEE_OTHER
                        || reply.location().starts_with("/login?next="))
                    && (refused != StatusCode::FORBIDDEN
                        || reply.body.contains("无权访问")
                        || reply.body.contains("\"forbidden\""));
                assert!(
                    !guard_refused,
                    "{w:?} {method} {uri} ({:?}) was refused: {} {}",
                    r.access,
                    reply.status,
                    &reply.body[..reply.body.len().min(200)]
                );
            } else {
                assert_eq!(
                    reply.status,
                    refused,
                    "{w:?} {method} {uri} ({:?}): {}",
                    r.access,
                    &reply.body[..reply.body.len().min(200)]
                );
                assert!(
                    !reply.body.contains("石家庄高新区"),
                    "{w:?} {method} {uri}: a refusal carries no data"
                );
                if refused == StatusCode::SEE_OTHER {
                    assert!(reply.location().starts_with("/login?next="), "{uri}");
                }
                forbidden += usize::from(refused == StatusCode::FORBIDDEN);
            }
        }
        if w != Who::Anonymous {
            let out = app.post_form("/logout", &[], None).await;
            assert_eq!(out.status, StatusCode::SEE_OTHER, "{w:?} signs out");
        }
    }
    assert!(checked > 8 * 90, "{checked} requests");
    // Each refusal of a signed-in account was audited, as "METHOD /path".
    let denied = app
        .store
        .audit_events(&AuditFilter {
            action: Some("authz.denied".into()),
            limit: 100_000,
            ..Default::default()
        })
        .await
        .unwrap();
    let by_guard = denied
        .iter()
        .filter(|e| {
            ["GET ", "HEAD ", "POST ", "DELETE "]
                .iter()
                .any(|m| e.target.starts_with(m))
        })
        .count();
    assert_eq!(by_guard, forbidden, "one audit event per refusal");
    assert_eq!(
        app.store.verify_audit(&app.key).await.unwrap().map(|_| ()),
        Ok(())
    );
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = bare_app().await;
    app.add_user("clerk", "sci-tech", &[RoleKind::Reporter], false)
        .await;
    let wrong = app.login_json("clerk", "Wrong!pass1", "10.0.0.2").await;
    let unknown = app.login_json("nobody", "Wrong!pass1", "10.0.0.2").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    // The form says the same too.
    let form = |name: &str| {
        let body = format!("username={name}&password=Wrong%21pass1&next=%2F");
        Request::post("/login")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let a = app.send_from(form("clerk"), "10.0.0.3").await;
    let b = app.send_from(form("nobody"), "10.0.0.3").await;
    assert_eq!(a.status, b.status);
    assert_eq!(a.body.replace("clerk", "X"), b.body.replace("nobody", "X"));
    assert!(a.body.contains("用户名或口令错误"));
}

#[tokio::test]
async fn five_failures_lock_that_address_out_of_the_account_for_thirty_minutes() {
    let app = bare_app().await;
    app.add_user("clerk", "sci-tech", &[RoleKind::Reporter], false)
        .await;
    for i in 1..=4 {
        let r = app.login_json("clerk", "Wrong!pass1", "10.0.0.4").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }
    let fifth = app.login_json("clerk", "Wrong!pass1", "10.0.0.4").await;
    assert_eq!(fifth.status, StatusCode::LOCKED);
    // The right password does not open the account from that address …
    let right = app.login_json("clerk", PASSWORD, "10.0.0.4").await;
    assert_eq!(right.status, StatusCode::LOCKED);
    // … while its owner, at another address, is not locked out by someone else's guesses.
    assert_eq!(
        app.login_json("clerk", PASSWORD, "10.0.0.5").await.status,
        StatusCode::OK
    );
    app.advance(29 * 60);
    assert_eq!(
        app.login_json("clerk", PASSWORD, "10.0.0.4").await.status,
        StatusCode::LOCKED
    );
    // … until the lock expires.
    app.advance(61);
    assert_eq!(
        app.login_json("clerk", PASSWORD, "10.0.0.4").await.status,
        StatusCode::OK
    );
    let lockouts = app
        .store
        .audit_events(&AuditFilter {
            action: Some("login.lockout".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(lockouts.len(), 1);
}

#[tokio::test]
async fn one_address_cannot_lock_out_everyone() {
    let app = bare_app().await;
    app.add_user("clerk", "sci-tech", &[RoleKind::Reporter], false)
        .await;
    // An attacker tries many names from one address: after 20 failures it is throttled …
    for i in 0..20 {
        let r = app
            .login_json(&format!("guess{i}"), "Wrong!pass1", "10.9.9.9")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let throttled = app.login_json("clerk", "Wrong!pass1", "10.9.9.9").await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    // … and the real user, elsewhere, is not locked by it.
    assert_eq!(
        app.login_json("clerk", PASSWORD, "10.0.0.6").await.status,
        StatusCode::OK
    );
    // The window passes.
    app.advance(15 * 60);
    assert_eq!(
        app.login_json("guess0", "Wrong!pass1", "10.9.9.9")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_and_after_twelve_hours() {
    let mut app = bare_app().await;
    app.add_user("disp", "dispatch", &[RoleKind::Dispatcher], false)
        .await;
    app.sign_in("disp").await;
    app.advance(29 * 60);
    assert_eq!(app.get("/api/v1/plan").await.status, StatusCode::OK);
    app.advance(31 * 60);
    assert_eq!(
        app.get("/api/v1/plan").await.status,
        StatusCode::UNAUTHORIZED,
        "idle for 31 minutes"
    );

    app.sign_in("disp").await;
    for _ in 0..(12 * 60 / 20 - 1) {
        app.advance(20 * 60);
        assert_eq!(app.get("/api/v1/plan").await.status, StatusCode::OK);
    }
    app.advance(20 * 60);
    assert_eq!(
        app.get("/api/v1/plan").await.status,
        StatusCode::UNAUTHORIZED,
        "twelve hours old"
    );
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_and_changing_it_ends_every_session() {
    let mut app = bare_app().await;
    app.add_user("newbie", "sci-tech", &[RoleKind::Reporter], true)
        .await;
    app.sign_in("newbie").await;
    let r = app.get("/").await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/account/password")
    );
    assert_eq!(app.get("/api/v1/plan").await.status, StatusCode::FORBIDDEN);
    let mut other = app.clone();
    other.sign_in("newbie").await;

    let weak = app
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "short"),
                ("confirm", "short"),
            ],
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("口令至少 8 个字符"));
    let fine = "New!pass2026";
    let changed = app
        .post_form(
            "/account/password",
            &[("current", PASSWORD), ("new", fine), ("confirm", fine)],
            None,
        )
        .await;
    assert_eq!(
        (changed.status, changed.location()),
        (StatusCode::SEE_OTHER, "/login?changed=true")
    );
    // Both sessions ended.
    assert_eq!(
        app.get("/api/v1/plan").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        other.get("/api/v1/plan").await.status,
        StatusCode::UNAUTHORIZED
    );
    // The new password works and the pages open.
    assert_eq!(
        app.login_json("newbie", PASSWORD, "10.0.0.7").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app.login_json("newbie", fine, "10.0.0.7").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token_and_our_origin() {
    let mut app = bare_app().await;
    app.add_user("disp", "dispatch", &[RoleKind::Dispatcher], false)
        .await;
    app.sign_in("disp").await;
    // No token, a wrong token: refused, and the session lives on.
    assert_eq!(
        app.post_form("/logout", &[], Some("")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_form("/logout", &[], Some("forged")).await.status,
        StatusCode::FORBIDDEN
    );
    // The right token from another site: refused.
    let (_, csrf) = app.session.clone().unwrap();
    let foreign = Request::post("/logout")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    assert_eq!(app.send(foreign).await.status, StatusCode::FORBIDDEN);
    // A form with neither Origin nor Referer: refused.
    let bare = Request::post("/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    assert_eq!(app.send(bare).await.status, StatusCode::FORBIDDEN);
    // The JSON API's logout needs the token in a header.
    let no_header = Request::delete("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(no_header).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/plan").await.status,
        StatusCode::OK,
        "still signed in"
    );
    let rejected = app
        .store
        .audit_events(&AuditFilter {
            action: Some("csrf.rejected".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rejected.len(), 5);

    let with_header = Request::delete("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-csrf-token", csrf.as_str())
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(with_header).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/plan").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_form_login_sets_a_strict_http_only_cookie_and_logout_clears_it() {
    let app = bare_app().await;
    app.add_user("disp", "dispatch", &[RoleKind::Dispatcher], false)
        .await;
    let body = format!("username=disp&password={}&next=%2Fduties", "Gx2025%21ok");
    let req = Request::post("/login")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let r = app.send_from(req, "10.0.0.8").await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/duties"));
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.starts_with("gaoxin_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
    );
    let events = app
        .store
        .audit_events(&AuditFilter::default())
        .await
        .unwrap();
    // Newest first by time: the plan was loaded at the real time, the rest at the app's clock.
    let mut actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(actions, ["account.create", "login.success", "plan.load"]);
    let login = events.iter().find(|e| e.action == "login.success").unwrap();
    assert_eq!(login.ip, "10.0.0.8");
}

#[tokio::test]
async fn administrators_enrol_a_totp_and_need_a_code_at_every_sign_in() {
    let mut app = bare_app().await;
    app.add_user("sysadm", "dispatch", &[RoleKind::SystemAdmin], false)
        .await;
    let v = app.sign_in_password("sysadm").await;
    assert_eq!(v["second_factor_required"], true);

    // Until the code is given, the session opens nothing else.
    let r = app.get("/account").await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/account/2fa")
    );
    assert_eq!(
        app.get("/account/password").await.location(),
        "/account/2fa"
    );
    // The enrolment page shows a QR code served by gaoxin itself, and the secret as text.
    let page = app.get("/account/2fa").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("data-secret=\""));
    let secret = app.totp_secret_shown().await.unwrap();
    assert_eq!(
        app.totp_secret_shown().await.unwrap(),
        secret,
        "the same secret until confirmed"
    );

    let wrong = app
        .post_form("/account/2fa", &[("code", "000000")], None)
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = app.totp_code(&secret, 0);
    let ok = app
        .post_form("/account/2fa", &[("code", &code)], None)
        .await;
    assert_eq!(
        (ok.status, ok.location()),
        (StatusCode::SEE_OTHER, "/account")
    );
    let account = app.get("/account").await;
    assert!(account.body.contains("系统管理员") && account.body.contains("已启用"));
    assert_eq!(
        app.get("/").await.status,
        StatusCode::FORBIDDEN,
        "still no business data"
    );

    // The next sign-in asks for a code from the same secret, and refuses a replayed one.
    app.sign_in_password("sysadm").await;
    assert!(
        app.totp_secret_shown().await.is_none(),
        "no new QR code once enrolled"
    );
    let replay = app
        .post_form("/account/2fa", &[("code", &code)], None)
        .await;
    assert_eq!(
        replay.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a used code is refused"
    );
    app.advance(30);
    let fresh = app
        .post_form(
            "/account/2fa",
            &[("code", &app.totp_code(&secret, 0))],
            None,
        )
        .await;
    assert_eq!(fresh.status, StatusCode::SEE_OTHER);
    let actions: Vec<String> = app
        .store
        .audit_events(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"2fa.enable".to_string()) && actions.contains(&"login.2fa".to_string())
    );
}

#[tokio::test]
async fn the_three_administrators_bring_a_new_user_in_without_the_console() {
    let mut app = bare_app().await;
    app.add_user("sysadm", "dispatch", &[RoleKind::SystemAdmin], false)
        .await;
    app.add_user("secadm", "dispatch", &[RoleKind::SecurityAdmin], false)
        .await;
    app.add_user("auditor", "dispatch", &[RoleKind::AuditAdmin], false)
        .await;

    // 系统管理员 creates the account: no roles yet, a one-time password shown once.
    app.sign_in("sysadm").await;
    let created = app
        .post_form(
            "/admin/accounts",
            &[("username", "wang"), ("unit", "sci-tech")],
            None,
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let at =
        created.body.find("id=\"one-time-password\">").unwrap() + "id=\"one-time-password\">".len();
    let otp = created.body[at..].split('<').next().unwrap().to_string();
    assert_eq!(
        app.get("/admin/accounts").await.body.matches(&otp).count(),
        0,
        "shown only once"
    );
    let dup = app
        .post_form(
            "/admin/accounts",
            &[("username", "wang"), ("unit", "sci-tech")],
            None,
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let bad_unit = app
        .post_form(
            "/admin/accounts",
            &[("username", "li"), ("unit", "nowhere")],
            None,
        )
        .await;
    assert_eq!(bad_unit.status, StatusCode::UNPROCESSABLE_ENTITY);
    let own = app
        .post_form("/admin/accounts/sysadm", &[("action", "disable")], None)
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "not one's own account");
    // Deleting needs the account disabled first.
    let early = app
        .post_form("/admin/accounts/wang", &[("action", "delete")], None)
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("请先停用账号"));
    // … and may not assign roles.
    let r = app
        .post_form("/admin/roles/wang", &[("role", "dispatcher")], None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // 安全管理员 assigns the role; may not touch its own, nor combine administrator roles.
    app.sign_in("secadm").await;
    let own = app
        .post_form(
            "/admin/roles/secadm",
            &[("role", "security-admin"), ("role", "dispatcher")],
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let combined = app
        .post_form(
            "/admin/roles/wang",
            &[("role", "audit-admin"), ("role", "dispatcher")],
            None,
        )
        .await;
    assert_eq!(combined.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = app
        .post_form(
            "/admin/roles/wang",
            &[("role", "reporter"), ("role", "reviewer")],
            None,
        )
        .await;
    assert_eq!(
        (set.status, set.location()),
        (StatusCode::SEE_OTHER, "/admin/roles")
    );

    // The new user signs in with the one-time password, must change it, then reads the plan.
    app.session = None;
    let r = app.login_json("wang", &otp, "10.0.2.1").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["must_change_password"], true);
    assert_eq!(v["roles"], serde_json::json!(["reporter", "reviewer"]));

    // 审计管理员 reads and exports what happened; the export is audited too.
    app.sign_in("auditor").await;
    let page = app.get("/audit?action=account.roles").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("account:wang") && page.body.contains("reviewer"));
    assert!(!page.body.contains("account.create"), "filtered by action");
    let csv = app.get("/audit/export?account=sysadm").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.body.starts_with(
            "\u{feff}id,at,account,role,unit,ip,action,target,result,before,after\r\n"
        )
    );
    assert!(csv.body.contains("account.create") && csv.body.contains("account:wang"));
    assert!(
        csv.body.lines().skip(1).all(|l| l.contains(",sysadm,")),
        "only sysadm's events:\n{}",
        csv.body
    );
    let exports = app
        .store
        .audit_events(&AuditFilter {
            action: Some("audit.export".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0].account, "auditor");
    assert_eq!(
        app.store.verify_audit(&app.key).await.unwrap().map(|_| ()),
        Ok(())
    );
}

#[tokio::test]
async fn an_exported_audit_field_cannot_run_as_a_spreadsheet_formula() {
    let mut app = bare_app().await;
    app.add_user("auditor", "dispatch", &[RoleKind::AuditAdmin], false)
        .await;
    // A hostile user name tried at the login form lands in the audit log …
    let r = app
        .login_json("=HYPERLINK(\"http://x\")", "Wrong!pass1", "10.0.3.1")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    app.sign_in("auditor").await;
    let csv = app.get("/audit/export?action=login.failure").await;
    // … (as a user name is kept: lower-case) and is exported as text.
    assert!(
        csv.body.contains(",\"'=hyperlink(\"\"http://x\"\")\","),
        "{}",
        csv.body
    );
}

#[tokio::test]
async fn a_unit_gets_no_data_of_another_units_records() {
    let mut app = bare_app().await;
    app.add_user(
        "kj-clerk",
        "sci-tech",
        &[RoleKind::Reporter, RoleKind::Reviewer],
        false,
    )
    .await;
    app.add_user("boss", "dispatch", &[RoleKind::Leader], false)
        .await;
    app.sign_in("kj-clerk").await;
    // Its own department: there.
    assert_eq!(
        app.get("/departments/sci-tech").await.status,
        StatusCode::OK
    );
    let (status, own) = app.json("/api/v1/departments/sci-tech").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["id"], "sci-tech");
    // Another unit's: as if it did not exist, and nothing of it in the answer.
    for path in [
        "/departments/tax",
        "/api/v1/departments/tax",
        "/departments/investment",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !r.body.contains("市税务局") && !r.body.contains("推进体制机制改革"),
            "{path}: {}",
            r.body
        );
    }
    let (_, list) = app.json("/api/v1/departments").await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["sci-tech"]);
    // The matrix links only its own department.
    let duties = app.get("/duties").await;
    assert!(duties.body.contains("href=\"/departments/sci-tech\""));
    assert!(!duties.body.contains("href=\"/departments/tax\""));
    let denied = app
        .store
        .audit_events(&AuditFilter {
            action: Some("authz.denied".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(denied.len(), 3);
    assert!(denied.iter().any(|e| e.target == "department:tax"));

    // A leader sees every unit.
    app.sign_in("boss").await;
    assert_eq!(app.get("/departments/tax").await.status, StatusCode::OK);
    let (_, list) = app.json("/api/v1/departments").await;
    assert!(list.as_array().unwrap().len() >= 15);
}

#[tokio::test]
async fn the_security_administrator_sets_the_policy_every_sign_in_follows() {
    let mut app = bare_app().await;
    app.add_user("secadm", "dispatch", &[RoleKind::SecurityAdmin], false)
        .await;
    app.add_user("clerk", "sci-tech", &[RoleKind::Reporter], false)
        .await;
    app.sign_in("secadm").await;
    let page = app.get("/admin/policy").await;
    assert!(
        page.body.contains("value=\"8\"") && page.body.contains("value=\"90\""),
        "the 等保 defaults"
    );

    let bad = app
        .post_form(
            "/admin/policy",
            &[
                ("min_length", "4"),
                ("max_age_days", "0"),
                ("lockout_failures", "3"),
                ("lockout_minutes", "10"),
            ],
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("口令最短长度（8–64）：请填写 8 到 64 之间的整数")
    );
    // The ASVS profile, and a stricter lockout.
    let ok = app
        .post_form(
            "/admin/policy",
            &[
                ("min_length", "12"),
                ("max_age_days", "0"),
                ("lockout_failures", "3"),
                ("lockout_minutes", "10"),
            ],
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let changes = app
        .store
        .audit_events(&AuditFilter {
            action: Some("policy.change".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(changes.len(), 1, "the refused form stored nothing");
    assert!(
        changes[0]
            .before
            .as_deref()
            .unwrap()
            .contains("\"password.require_mix\":\"true\"")
    );
    assert!(
        changes[0]
            .after
            .as_deref()
            .unwrap()
            .contains("\"login.max_failures\":\"3\"")
    );

    // Three failures now lock, for ten minutes.
    for _ in 0..2 {
        assert_eq!(
            app.login_json("clerk", "Wrong!pass1", "10.0.4.1")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.login_json("clerk", "Wrong!pass1", "10.0.4.1")
            .await
            .status,
        StatusCode::LOCKED
    );
    app.advance(10 * 60 + 1);
    app.sign_in("clerk").await;
    // A long passphrase without digits or symbols is now enough; a short one is not.
    let short = app
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "tiny phrase"),
                ("confirm", "tiny phrase"),
            ],
            None,
        )
        .await;
    assert!(short.body.contains("口令至少 12 个字符"));
    let phrase = "correct horse battery staple";
    let r = app
        .post_form(
            "/account/password",
            &[("current", PASSWORD), ("new", phrase), ("confirm", phrase)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_the_system_administrator() {
    let mut app = bare_app().await;
    app.add_user("sysadm", "dispatch", &[RoleKind::SystemAdmin], false)
        .await;
    app.add_user("secadm", "dispatch", &[RoleKind::SecurityAdmin], false)
        .await;
    app.add_user("wang", "sci-tech", &[RoleKind::Reporter], false)
        .await;
    // wang is signed in somewhere, then forgets the password and locks the name out.
    let mut wang = app.clone();
    wang.sign_in("wang").await;
    assert_eq!(wang.get("/").await.status, StatusCode::OK);
    for _ in 0..12 {
        app.login_json("wang", "Forgotten!123", "10.0.9.9").await;
    }
    let locked = app
        .login_json("wang", crate::web::PASSWORD, "10.0.9.9")
        .await;
    assert_ne!(locked.status, StatusCode::OK, "locked out from there");

    app.sign_in("sysadm").await;
    let page = app.get("/admin/accounts").await;
    assert!(page.body.contains("id=\"reset-wang\""), "{}", page.body);
    // An administrator's password is reset at the console only.
    assert!(!page.body.contains("id=\"reset-secadm\""));
    let refused = app
        .post_form(
            "/admin/accounts/secadm",
            &[("action", "reset_password")],
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            "/admin/accounts/wang",
            &[("action", "reset_password")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("已重置口令"), "{}", r.body);
    let at = r.body.find("id=\"one-time-password\">").unwrap() + "id=\"one-time-password\">".len();
    let otp = r.body[at..].split('<').next().unwrap().to_string();
    assert_eq!(
        app.get("/admin/accounts").await.body.matches(&otp).count(),
        0,
        "shown only once"
    );

    // wang's old session is over; the old password no longer opens; the one-time one does,
    // from a new address too (the lock is lifted), and must be changed first.
    assert_ne!(wang.get("/").await.status, StatusCode::OK);
    let old = app
        .login_json("wang", crate::web::PASSWORD, "10.0.2.2")
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app.login_json("wang", &otp, "10.0.9.9").await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.body);
    let v: serde_json::Value = serde_json::from_str(&new.body).unwrap();
    assert_eq!(v["must_change_password"], true);

    // Audited, with who did it and to whom, and no secret in it.
    let events = app
        .store
        .audit_events(&AuditFilter {
            action: Some("account.password_reset".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].account.as_str(), events[0].target.as_str()),
        ("sysadm", "account:wang")
    );
    assert!(
        !events[0]
            .after
            .clone()
            .unwrap_or_default()
            .contains("argon2")
    );
}

#[tokio::test]
async fn the_audit_log_pages_back_through_thousands_of_events_and_the_export_has_them_all() {
    let base = bare_app().await;
    let auditor = base
        .signed_in("auditor", "dispatch", RoleKind::AuditAdmin)
        .await;
    // The chain filled up to 4,500 events with generated ones, more than two export reads.
    let added = base
        .store
        .fill_audit_for_bench(&base.key, 4_500)
        .await
        .unwrap();
    let total = base
        .store
        .audit_events(&AuditFilter {
            limit: 100_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    assert_eq!(total, 4_500);
    // 100 to a page, newest first; "older" goes on after the page's last event.
    let mut seen: Vec<i64> = Vec::new();
    let mut url = "/audit".to_string();
    for page in 0..3 {
        let r = auditor.get(&url).await;
        assert_eq!(r.status, StatusCode::OK);
        let ids: Vec<i64> = r
            .body
            .split("<tr><td class=\"num\">")
            .skip(1)
            .map(|row| row.split('<').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(ids.len(), 100, "page {page}");
        assert_eq!(r.body.contains("id=\"audit-newest\""), page > 0);
        seen.extend(ids);
        url = link_of(&r.body, "audit-older").expect("an older page");
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(sorted.len(), 300, "no event twice");
    // A filter stays in the links; the export is not cut at a page.
    let filtered = auditor.get("/audit?action=figure.save.bench").await;
    let older = link_of(&filtered.body, "audit-older").unwrap();
    assert!(
        older.starts_with("/audit?action=figure.save.bench&before="),
        "{older}"
    );
    assert_eq!(
        link_of(&filtered.body, "audit-export").unwrap(),
        "/audit/export?action=figure.save.bench"
    );
    let csv = auditor.get("/audit/export").await;
    assert_eq!(csv.status, StatusCode::OK);
    // Every event then, one line each, and the export's own event.
    assert_eq!(csv.body.lines().count(), 1 + total + 1);
    assert!(added > 4_000);
    // Three in ten generated events are saves.
    let saves = auditor.get("/audit/export?action=figure.save.bench").await;
    let lines = saves.body.lines().count() - 1;
    assert!(
        lines.abs_diff(added as usize * 3 / 10) <= 3
            && saves
                .body
                .lines()
                .skip(1)
                .all(|l| l.contains(",figure.save.bench,")),
        "{lines} saves of {added}"
    );
}
