//! The dispatch pages in-process: splitting a task through the form, reporting with an
//! attachment, a behind item's reason, a late report and the "who has not reported" view driven
//! by the injected clock, attachment refusals, and one unit not reading another's attachment.

use crate::web::{App, bare_app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gaoxin_core::auth::RoleKind;

const DAY: i64 = 86_400;

async fn apps() -> (App, App, App) {
    let base = bare_app().await;
    let d = base
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let u = base.signed_in("keji", "sci-tech", RoleKind::Reporter).await;
    let other = base
        .signed_in("touchu", "investment", RoleKind::Reporter)
        .await;
    (d, u, other)
}

/// T0 is 2026-11-28 in Beijing: November's reports were due on the 25th.
async fn new_item(app: &App) -> crate::web::Reply {
    app.post_form(
        "/work/new",
        &[
            ("version", "0"),
            ("task", "t6"),
            ("title", "组织对接活动"),
            ("lead", "sci-tech"),
            ("partner", "sjz-hz-admin"),
            ("subtarget", "t6-matchmaking-events"),
            ("m1_title", "制定年度计划"),
            ("m1_due", "2026-12-01"),
            ("m2_title", "完成全年活动"),
            ("m2_due", "2026-12-20"),
        ],
        None,
    )
    .await
}

pub(crate) async fn upload(app: &App, item: &str, name: &str, bytes: &[u8]) -> crate::web::Reply {
    let boundary = "gaoxin-attachment-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let csrf = app.session.as_ref().unwrap().1.clone();
    let req = Request::post(format!("{item}/attachments"))
        .header(header::ORIGIN, format!("http://{}", crate::web::HOST))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("x-csrf-token", csrf)
        .header("hx-request", "true")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn a_unit_reports_with_an_attachment_and_others_cannot_read_it() {
    let (d, u, other) = apps().await;
    // The form names every wrong field and keeps what was typed.
    let r = d
        .post_form(
            "/work/new",
            &[
                ("version", "0"),
                ("task", "t6"),
                ("title", "x"),
                ("lead", ""),
                ("m1_title", "a"),
                ("m1_due", "2026-02-30"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请选择牵头单位"), "{}", r.body);
    assert!(r.body.contains("2026-02-30"));
    assert!(d.get("/work").await.body.contains("id=\"work-none\""));
    // Another bureau may not split task 6.
    assert_eq!(new_item(&other).await.status, StatusCode::FORBIDDEN);
    let r = new_item(&d).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().split('?').next().unwrap().to_string();
    let page = d.get(&url).await.body;
    assert!(
        page.contains("id=\"work-counted\""),
        "the sub-target is counted from the ledgers"
    );
    // No event is recorded yet: the target is not known (not zero) and the page says where to
    // record them.
    assert!(
        page.contains("data-subtarget=\"t6-matchmaking-events\""),
        "{page}"
    );
    assert!(page.contains("href=\"/ledgers/events\""), "{page}");
    assert!(page.contains("台账中还没有记录"), "{page}");
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);

    // The bureau uploads: a disguised file and a program are refused; a PDF is kept.
    let r = upload(&u, &url, "进展.pdf", b"MZ\x90\x00 program").await;
    assert!(r.body.contains("不是可接受的附件"), "{}", r.body);
    let r = upload(&u, &url, "表.xlsx", b"%PDF-1.4 x").await;
    assert!(r.body.contains("与扩展名不符"), "{}", r.body);
    let big = {
        let mut b = b"%PDF-1.4".to_vec();
        b.resize(gaoxin_core::dispatch::attachment::MAX_BYTES + 1, b'0');
        b
    };
    let r = upload(&u, &url, "大.pdf", &big).await;
    assert!(r.body.contains("超过上限 20 MB"), "{}", r.body);
    assert_eq!(
        upload(&other, &url, "a.pdf", b"%PDF-1.4").await.status,
        StatusCode::NOT_FOUND
    );
    let r = upload(&u, &url, "C:\\材料\\进展.pdf", b"%PDF-1.4 real").await;
    assert_eq!(r.status, StatusCode::OK);
    let at = r.body.find("name=\"attachment\" value=\"").expect("kept") + 25;
    let aid: String = r.body[at..].split('"').next().unwrap().to_string();
    assert!(r.body.contains("进展.pdf"));
    // Not yet filed: only its uploader reads it.
    assert_eq!(
        d.get(&format!("/attachments/{aid}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        u.get(&format!("/attachments/{aid}")).await.status,
        StatusCode::OK
    );

    // Filed for November on the 28th: the item was set up after November's due day, so it owed
    // no report and this one is not late.
    let r = u
        .post_form(
            &format!("{url}/report"),
            &[
                ("period", "2026-11"),
                ("done", "已起草计划"),
                ("reached", "0"),
                ("percent", "30"),
                ("attachment", &aid),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = d.get(&url).await.body;
    assert!(page.contains("已起草计划"));
    assert!(!page.contains("逾期报送"));
    assert!(page.contains(&format!("/attachments/{aid}")));
    let file = d.get(&format!("/attachments/{aid}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    let cd = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        cd.starts_with("attachment;") && cd.contains("UTF-8''%E8%BF%9B%E5%B1%95.pdf"),
        "{cd}"
    );
    assert_eq!(file.bytes, b"%PDF-1.4 real");
    // Another bureau cannot read it, even knowing its number.
    assert_eq!(
        other.get(&format!("/attachments/{aid}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get("/attachments/999").await.status,
        StatusCode::NOT_FOUND
    );
    let (mut d, mut u) = (d, u);

    // December 26th: the bureau files late; the zone has not filed at all.
    d.advance(28 * DAY);
    d.sign_in("disp").await;
    u.sign_in("keji").await;
    let r = u
        .post_form(
            &format!("{url}/report"),
            &[
                ("period", "2026-12"),
                ("done", "全年活动已完成 10 场"),
                ("reached", "2"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(d.get(&url).await.body.contains("逾期报送"));
    // Who has not reported: the zone, which owes November's report and has not filed it.
    let missing = d.get("/work/missing?period=2026-12").await.body;
    assert!(missing.contains("data-state=\"missing\""), "{missing}");
    assert!(missing.contains("data-state=\"late\""));
    assert_eq!(
        d.get("/work/missing?period=2030-01").await.status,
        StatusCode::BAD_REQUEST
    );

    // The task board, reading December's reports on January 26th (本期 is the month just
    // ended): at 28 November the item was too new to owe November's. Task 6 needs attention —
    // the zone has not reported December — and says why, with the item one click away; a task
    // nothing tracks is on the board, gray, with a way to split it; the urgent come first.
    let board = d.get("/work/board").await;
    assert!(
        board
            .body
            .contains("data-task=\"t6\" data-status=\"green\"")
    );
    d.advance(31 * DAY);
    d.sign_in("disp").await;
    u.sign_in("keji").await;
    let board = d.get("/work/board").await;
    assert_eq!(board.status, StatusCode::OK);
    let body = &board.body;
    let t6 = body
        .split("id=\"task-t6\"")
        .nth(1)
        .and_then(|s| s.split("</li>\n").next())
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        body.contains("data-task=\"t6\" data-status=\"yellow\""),
        "{body}"
    );
    assert!(
        t6.contains("“组织对接活动”：石家庄高新区管委会 未报送本期进展"),
        "{t6}"
    );
    assert!(t6.contains(&format!("href=\"{url}\"")), "{t6}");
    assert!(body.contains("data-task=\"t1\" data-status=\"gray\""));
    assert!(
        body.contains("href=\"/work/new?task=t1\""),
        "the dispatcher may split it"
    );
    assert!(
        body.find("data-task=\"t6\"").unwrap() < body.find("data-task=\"t1\"").unwrap(),
        "the task needing attention first"
    );
    // A lead department's tasks only.
    let drc = d.get("/work/board?department=drc").await.body;
    assert!(drc.contains("data-task=\"t1\"") && drc.contains("data-task=\"t13\""));
    assert!(
        !drc.contains("data-task=\"t6\""),
        "task 6 is led by 市科技局 alone"
    );
    // The bureau sees the board of what it may see; it may not split task 1.
    let keji = u.get("/work/board").await.body;
    assert!(keji.contains("data-task=\"t6\""));
    assert!(!keji.contains("href=\"/work/new?task=t9\""), "{keji}");
}

#[tokio::test]
async fn a_behind_item_cannot_be_reported_without_why_and_next() {
    let (mut d, mut u, _) = apps().await;
    let url = new_item(&d)
        .await
        .location()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    // Days pass beyond the first milestone (12-01); sessions are renewed.
    d.advance(5 * DAY);
    d.sign_in("disp").await;
    u.sign_in("keji").await;
    // The form says so before anything is sent: behind, why, and both fields required.
    let form = u.get(&url).await.body;
    let note = form
        .split("id=\"behind-now\"")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .expect("the behind note");
    assert!(!note.contains("hidden"), "{note}");
    assert!(
        note.contains("制定年度计划") && note.contains("二者必填"),
        "{note}"
    );
    assert!(form.contains("name=\"behind_reason\" rows=\"2\" maxlength=\"4000\" required"));
    assert!(form.contains("name=\"next_steps\" rows=\"2\" maxlength=\"4000\" required"));
    // Each choice of milestones reached says whether the item would still be behind.
    assert!(form.contains("value=\"0\" data-behind=\"1\""), "{form}");
    let report = |fields: Vec<(&'static str, &'static str)>| {
        let u = u.clone();
        let url = url.clone();
        async move { u.post_form(&format!("{url}/report"), &fields, None).await }
    };
    let r = report(vec![
        ("period", "2026-12"),
        ("done", "计划待审批"),
        ("reached", "0"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"behind-reason-error\""));
    assert!(r.body.contains("制定年度计划"), "names the milestone");
    assert!(r.body.contains("计划待审批"), "keeps what was typed");
    let r = report(vec![
        ("period", "2026-12"),
        ("done", "x"),
        ("reached", "0"),
        ("percent", "abc"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不是整数"));
    let r = report(vec![
        ("period", "2026-12"),
        ("done", "计划待审批"),
        ("reached", "0"),
        ("behind_reason", "需局务会审议"),
        ("next_steps", "12 月 10 日前印发"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = d.get(&url).await.body;
    assert!(page.contains("需局务会审议") && page.contains("滞后"));
    // December's report, filed 12-03 before the 25th: on time.
    assert!(page.contains("已报送（2026年12月3日"), "{page}");
    let list = d.get("/work").await.body;
    assert!(list.contains(&url));
}

#[tokio::test]
async fn the_dispatch_office_returns_a_report_and_the_unit_is_told_why() {
    let (d, u, other) = apps().await;
    let r = new_item(&d).await;
    let url = r.location().split('?').next().unwrap().to_string();
    let r = u
        .post_form(
            &format!("{url}/report"),
            &[
                ("period", "2026-11"),
                ("done", "已起草计划"),
                ("reached", "0"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The unit sees no return button; the dispatch office does, on the unit's latest report.
    let page = u.get(&url).await.body;
    assert!(!page.contains("class=\"return-report\""));
    assert!(page.contains("data-unit=\"sci-tech\" data-state=\"on_time\""));
    let page = d.get(&url).await.body;
    let at = page.find("/reports/").expect("a return form") + 9;
    let report: String = page[at..].split('/').next().unwrap().to_string();
    let action = format!("{url}/reports/{report}/return");
    // Without a reason: refused, named, nothing written.
    let r = d.post_form(&action, &[("reason", " ")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("退回报告须写明原因"), "{}", r.body);
    // A unit may not return reports, nor another bureau read the item.
    assert_eq!(
        u.post_form(&action, &[("reason", "x")], None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        other
            .post_form(&action, &[("reason", "x")], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = d
        .post_form(&action, &[("reason", "请附活动时间表。")], None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("?done=returned"));
    let page = u.get(&url).await.body;
    assert!(page.contains("class=\"flag warn report-returned\""));
    assert!(page.contains("请附活动时间表。"));
    // The unit's state for November is owed again (not "reported").
    assert!(!page.contains("data-unit=\"sci-tech\" data-state=\"on_time\""));
    let inbox = u.get("/inbox").await.body;
    assert!(inbox.contains("进展报告被退回"), "{inbox}");
    assert!(inbox.contains("请附活动时间表。"));
    // Returned once only.
    let r = d.post_form(&action, &[("reason", "再退")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("只能退回承办单位本期最新的一份报告"),
        "{}",
        r.body
    );
}
