//! 数据大屏 in-process: an account holding only the screen's role signs in to the screen, sees
//! the city (every zone) on it and can open nothing else; leaders and the dispatch office see it
//! too, a unit's clerk does not; the screen links to nothing its account could not open; the
//! role stands alone.

use crate::web::{HOST, PASSWORD, bare_app, section};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gaoxin_core::auth::RoleKind;

const DAY: i64 = 86_400;

#[tokio::test]
async fn the_screen_account_sees_the_screen_and_nothing_else() {
    let base = bare_app().await;
    let mut d = base
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    // An order handed to 市科技局, due tomorrow; three days later it is overdue.
    crate::web_supervision::open(&d, 1).await;
    d.advance(3 * DAY);
    d.sign_in("disp").await;

    // Signing in on the form, the screen's account lands on the screen.
    base.add_user("wall", "dispatch", &[RoleKind::Screen], false)
        .await;
    let login = Request::post("/login")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "username=wall&password={}&next=%2F",
            PASSWORD.replace('!', "%21")
        )))
        .unwrap();
    let r = d.send_from(login, "10.0.0.9").await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/screen"));

    let mut wall = d.clone();
    wall.sign_in("wall").await;
    let page = wall.get("/screen").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    for id in [
        "scr-summary",
        "scr-zones",
        "scr-lagging",
        "scr-orders",
        "scr-board",
        "scr-funnel-projects",
        "scr-pyramid",
    ] {
        assert!(body.contains(&format!("id=\"{id}\"")), "{id}: {body}");
    }
    // Every zone, read as a leader reads the cockpit.
    let zones = section(body, "scr-zones");
    assert!(
        zones.contains("石家庄高新区") && zones.contains("正定高新区"),
        "{zones}"
    );
    // The overdue order, by its number and its unit, and how late.
    let orders = section(body, "scr-orders");
    assert!(orders.contains("<b class=\"s-red\">1</b>"), "{orders}");
    assert!(orders.contains("在办督办单共 1 件"), "{orders}");
    assert!(
        orders.contains("市科技局") && orders.contains("逾期 2 天"),
        "{orders}"
    );
    // The task board names every task, the overdue order's task red.
    let board = section(body, "scr-board");
    assert_eq!(
        board.matches("<li class=\"scr-tile ").count(),
        16,
        "{board}"
    );
    assert!(
        board.contains("data-status=\"red\" title=\"6. 加速科技成果转移转化\""),
        "{board}"
    );
    // The ledgers hold nothing yet: said, not drawn as zeros.
    assert!(section(body, "scr-pyramid").contains("该台账还没有记录"));
    // It refreshes itself, and links to nothing the account could not open.
    assert!(body.contains("data-refresh=\"60\""));
    let screen = body.split("id=\"screen\"").nth(1).unwrap();
    assert!(!screen.contains("<a "), "no link on the screen: {screen}");

    // Nothing else opens: the workbench, the cockpit, a ledger, the API.
    for path in [
        "/",
        "/monitor",
        "/ledgers/enterprises",
        "/work/board",
        "/bulletin",
        "/api/v1/status",
    ] {
        let r = wall.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        assert!(
            !r.body.contains("石家庄高新区"),
            "{path}: a refusal carries no data"
        );
    }

    // Leaders and the dispatch office see it; a unit's clerk does not.
    let leader = base.signed_in("boss", "dispatch", RoleKind::Leader).await;
    assert_eq!(leader.get("/screen").await.status, StatusCode::OK);
    assert_eq!(d.get("/screen").await.status, StatusCode::OK);
    let clerk = base.signed_in("keji", "sci-tech", RoleKind::Reporter).await;
    assert_eq!(clerk.get("/screen").await.status, StatusCode::FORBIDDEN);
    // The cockpit links to it for those who may show it.
    assert!(d.get("/monitor").await.body.contains("href=\"/screen\""));
    assert!(
        !clerk
            .get("/monitor")
            .await
            .body
            .contains("href=\"/screen\"")
    );
}

#[tokio::test]
async fn the_screen_role_stands_alone() {
    let app = bare_app().await;
    let admin = app
        .signed_in("sec", "dispatch", RoleKind::SecurityAdmin)
        .await;
    app.add_user("wall", "dispatch", &[RoleKind::Screen], false)
        .await;
    // Given a business role as well, it is refused with the reason.
    let r = admin
        .post_form(
            "/admin/roles/wall",
            &[("role", "screen"), ("role", "leader")],
            None,
        )
        .await;
    assert_ne!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.body.contains("大屏展示不能与领导由同一账号兼任"),
        "{}",
        r.body
    );
    assert!(
        gaoxin_core::auth::check_roles(&[RoleKind::Screen]).is_ok()
            && gaoxin_core::auth::check_roles(&[RoleKind::Dispatcher, RoleKind::Screen]).is_err()
    );
}
