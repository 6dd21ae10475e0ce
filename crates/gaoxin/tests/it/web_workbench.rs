//! The workbench (工作台, `/`) in-process: a zone clerk's figures to enter, overdue, one click
//! from the form; the reviewer told of what the clerk submitted; the dispatch office's figures
//! to confirm and the city's three questions; a leader's questions without a clerk's to-dos.

use crate::web::bare_app;
use axum::http::StatusCode;
use gaoxin_core::auth::RoleKind;

/// The to-do of `kind` on a workbench page, from its `<li>` to the next.
fn todo<'a>(body: &'a str, kind: &str) -> Option<&'a str> {
    let at = body.find(&format!("data-kind=\"{kind}\""))?;
    let rest = &body[at..];
    Some(&rest[..rest.find("</li>\n").unwrap_or(rest.len())])
}

#[tokio::test]
async fn each_role_lands_on_its_own_work() {
    // The test clock is 2026-11-28: the current period is October, whose figures closed on
    // 15 November; November's are open until 15 December.
    let app = bare_app().await;
    let clerk = app
        .signed_in("clerk", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    let rev = app.signed_in("rev", "stats", RoleKind::Reviewer).await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let boss = app.signed_in("boss", "dispatch", RoleKind::Leader).await;

    let home = clerk.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("我的工作台"), "{}", home.body);
    assert!(home.body.contains("本期（2026年10月）"), "{}", home.body);
    let enter = todo(&home.body, "figures-to-enter").expect("figures to enter");
    assert!(
        enter.contains("href=\"/figures?unit=sjz-hz&#38;period=2026-10\""),
        "{enter}"
    );
    assert!(
        enter.contains("已逾期") && enter.contains("截止 2026年11月15日 23:59"),
        "{enter}"
    );
    assert!(enter.contains("营业收入"), "{enter}");
    // A clerk is not shown the city's questions, nor another zone's figures.
    assert!(!home.body.contains("id=\"city\""));
    assert!(!home.body.contains("zd-hz"));
    // The link opens the form it names.
    assert_eq!(
        clerk
            .get("/figures?unit=sjz-hz&period=2026-10")
            .await
            .status,
        StatusCode::OK
    );

    // The reviewer has nothing to review until the clerk submits November's revenue.
    let before = rev.get("/").await;
    assert!(todo(&before.body, "figures-to-review").is_none());
    let sent = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", "2026-11"),
                ("action", "submit"),
                ("v.fai-rate", "12"),
            ],
            None,
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let after = rev.get("/").await;
    let review = todo(&after.body, "figures-to-review").expect("figures to review");
    assert!(
        review.contains("1 项") && review.contains("href=\"/figures/review\""),
        "{review}"
    );
    assert!(
        review.contains("石家庄高新区 · 固定资产投资增速"),
        "{review}"
    );
    let en = rev.get("/?lang=en").await.body;
    let review = todo(&en, "figures-to-review").expect("figures to review, in English");
    assert!(review.contains(">1 item<"), "{review}");
    // …and the notice of it is unread in the inbox, also a to-do.
    let unread = todo(&after.body, "unread").expect("unread messages");
    assert!(unread.contains("href=\"/inbox\""), "{unread}");
    let inbox = rev.get("/inbox").await;
    assert!(
        inbox.body.contains("基础数据已提交，待审核"),
        "{}",
        inbox.body
    );

    // The dispatch office: nothing to confirm before the review, then one; and the city.
    let d = disp.get("/").await;
    assert!(todo(&d.body, "figures-to-confirm").is_none());
    for part in [
        "id=\"city\"",
        "落后的目标",
        "未报送",
        "逾期督办单",
        "id=\"unreported\"",
    ] {
        assert!(d.body.contains(part), "{part}: {}", d.body);
    }
    // October's figures are all missing: both zones owe them.
    assert!(d.body.contains("石家庄高新区") && d.body.contains("正定高新区"));
    let version_on_review_form = || async {
        rev.get("/figures/review")
            .await
            .body
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a version on the review form")
            .to_string()
    };
    // Returned: the clerk's workbench says so, with November's form (not the current
    // period's), and the clerk submits again.
    let version = version_on_review_form().await;
    let returned = rev
        .post_form(
            "/figures/review",
            &[
                ("unit", "sjz-hz"),
                ("figure", "fai-rate"),
                ("period", "2026-11"),
                ("version", version.as_str()),
                ("action", "return"),
                ("reason", "与统计快报不一致"),
            ],
            None,
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    let home = clerk.get("/").await;
    let back = todo(&home.body, "figures-returned").expect("figures returned");
    assert!(
        back.contains("href=\"/figures?unit=sjz-hz&#38;period=2026-11\"")
            && back.contains("固定资产投资增速"),
        "{back}"
    );
    let again = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", "2026-11"),
                ("action", "submit"),
                ("v.fai-rate", "12.5"),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(todo(&clerk.get("/").await.body, "figures-returned").is_none());
    let version = version_on_review_form().await;
    let approved = rev
        .post_form(
            "/figures/review",
            &[
                ("unit", "sjz-hz"),
                ("figure", "fai-rate"),
                ("period", "2026-11"),
                ("version", version.as_str()),
                ("action", "approve"),
            ],
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let d = disp.get("/").await;
    let confirm = todo(&d.body, "figures-to-confirm").expect("figures to confirm");
    assert!(confirm.contains("1 项"), "{confirm}");

    // A leader reads the city, and has no figures of their own to enter.
    let b = boss.get("/").await;
    assert!(b.body.contains("id=\"city\""));
    assert!(todo(&b.body, "figures-to-enter").is_none());
    assert!(todo(&b.body, "figures-to-confirm").is_none());

    // The overview moved to /overview, one click away in the navigation.
    assert!(b.body.contains("href=\"/overview\""));
    assert_eq!(boss.get("/overview").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_person_chooses_the_notices_that_follow_them_by_e_mail() {
    let base = crate::web::bare_app().await;
    let u = base
        .signed_in("keji", "sci-tech", gaoxin_core::auth::RoleKind::Reporter)
        .await;
    let page = u.get("/account").await.body;
    assert!(
        page.contains("name=\"email_notices\" value=\"all\" checked"),
        "{page}"
    );
    let r = u
        .post_form(
            "/account/notices",
            &[("email", "keji at sjz"), ("email_notices", "urgent")],
            None,
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("电子邮箱“keji at sjz”无效"), "{}", r.body);
    let r = u
        .post_form(
            "/account/notices",
            &[("email", "keji@sjz.gov.cn"), ("email_notices", "urgent")],
            None,
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    let page = u.get("/account?notices=1").await.body;
    assert!(page.contains("value=\"keji@sjz.gov.cn\""));
    assert!(page.contains("name=\"email_notices\" value=\"urgent\" checked"));
    let account = u.store.account("keji").await.unwrap().unwrap();
    assert_eq!(
        account.email_notices,
        gaoxin_core::notices::EmailChoice::Urgent
    );
}
