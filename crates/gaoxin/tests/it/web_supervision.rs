//! The 督办 pages in-process: opening (and refusing a bad hand-over with nothing written), each
//! side's steps and the status codes of refusals, another unit's 404, a forged request, the
//! light moving with the injected clock, the inbox, the cockpit's link, and English.

use crate::web::{App, T0, bare_app, link_of};
use axum::http::StatusCode;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::time::{Date, Timestamp};

const DAY: i64 = 86_400;

/// `days` after the app's clock started, as a date input sends it.
fn day(days: i64) -> String {
    Date::of(Timestamp(T0 + days * DAY)).to_string()
}

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

/// Opens an order on task 6 handed to 市科技局, due in `days`; returns its address.
pub(crate) async fn open(d: &App, days: i64) -> String {
    let deadline = day(days);
    let r = d
        .post_form(
            "/supervision/new",
            &[
                ("title", "对接活动场次不足"),
                ("task", "t6"),
                ("basis", "前三季度仅 4 场。"),
                ("assignee", "sci-tech"),
                ("deadline", &deadline),
                ("requirements", "请报送第四季度计划。"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().split('?').next().unwrap().to_string()
}

fn version(body: &str) -> String {
    let at = body.find("name=\"version\" value=\"").expect("a step form") + 22;
    body[at..].split('"').next().unwrap().to_string()
}

async fn act(app: &App, url: &str, action: &str, note: &str) -> crate::web::Reply {
    let page = app.get(url).await;
    let v = if page.body.contains("name=\"version\"") {
        version(&page.body)
    } else {
        "1".into()
    };
    app.post_form(
        url,
        &[("action", action), ("version", &v), ("note", note)],
        None,
    )
    .await
}

#[tokio::test]
async fn the_dispatcher_and_the_unit_take_their_steps() {
    let (d, u, other) = apps().await;
    let url = open(&d, 10).await;
    let page = d.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-state=\"assigned\""));
    assert!(page.body.contains("data-light=\"green\""));
    assert!(
        page.body.contains("加速科技成果转移转化"),
        "the task is named"
    );
    assert!(
        !page.body.contains("id=\"act-sign\""),
        "the dispatcher does not sign"
    );

    // Another bureau: 404 to read and to act.
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);
    let r = other
        .post_form(
            &url,
            &[("action", "sign"), ("version", "2"), ("note", "")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!other.get("/supervision").await.body.contains(&url));

    // A forged request (no CSRF token) is refused before anything happens.
    let r = u
        .post_form(
            &url,
            &[("action", "sign"), ("version", "2")],
            Some("forged"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(u.get(&url).await.body.contains("data-state=\"assigned\""));

    // The unit: the inbox names the order; it signs; it cannot skip to closing.
    let inbox = u.get("/inbox").await;
    assert!(inbox.body.contains("新交办督办单"), "{}", inbox.body);
    assert!(inbox.body.contains("id=\"inbox-unread\">1<"));
    assert_eq!(
        act(&u, &url, "sign", "").await.status,
        StatusCode::SEE_OTHER
    );
    let r = act(&u, &url, "close", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        r.body.contains("承办单位不能办结销号自己的督办单"),
        "{}",
        r.body
    );
    // An answer without what was done: 422, the page says why.
    let r = act(&u, &url, "answer", "  ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("办理反馈须写明办理情况"));
    assert_eq!(
        act(&u, &url, "answer", "已制定计划。").await.status,
        StatusCode::SEE_OTHER
    );
    // Now the unit cannot review its own answer.
    let r = act(&u, &url, "review", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains("承办单位不能复核自己的督办单"),
        "{}",
        r.body
    );

    // The dispatcher: a step out of order is a conflict; a stale form too.
    let r = act(&d, &url, "close", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("不能跳过步骤"), "{}", r.body);
    let r = d
        .post_form(
            &url,
            &[("action", "review"), ("version", "1"), ("note", "")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("已被他人处理"), "{}", r.body);
    // A bad date is named.
    let v = version(&d.get(&url).await.body);
    let r = d
        .post_form(
            &url,
            &[
                ("action", "return"),
                ("version", &v),
                ("note", "补充"),
                ("deadline", "2026-02-30"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("2026-02-30"));
    for (action, note) in [("return", "请附清单。")] {
        assert_eq!(
            act(&d, &url, action, note).await.status,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        act(&u, &url, "answer", "已附清单。").await.status,
        StatusCode::SEE_OTHER
    );
    for action in ["review", "close"] {
        assert_eq!(
            act(&d, &url, action, "").await.status,
            StatusCode::SEE_OTHER
        );
    }
    let page = d.get(&url).await;
    assert!(page.body.contains("data-state=\"closed\""));
    assert!(!page.body.contains("id=\"order-actions\""));
    for step in [
        "立项",
        "交办",
        "签收",
        "办理反馈",
        "退回",
        "复核",
        "办结销号",
        "请附清单。",
    ] {
        assert!(page.body.contains(step), "{step}");
    }
    // Lists and filters.
    let list = d.get("/supervision?state=closed").await.body;
    assert!(list.contains(&url));
    let list = d.get("/supervision?light=red").await.body;
    assert!(!list.contains(&url));
    let list = d.get("/supervision?task=t1").await.body;
    assert!(!list.contains(&url));
}

#[tokio::test]
async fn opening_checks_everything_and_only_the_dispatcher_opens() {
    let (d, u, _) = apps().await;
    assert_eq!(
        u.get("/supervision/new").await.status,
        StatusCode::FORBIDDEN
    );
    let r = u
        .post_form("/supervision/new", &[("title", "x")], None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let yesterday = day(-1);
    for (fields, says) in [
        (vec![("title", " ")], "督办事项须有标题"),
        (
            vec![
                ("title", "x"),
                ("assignee", "sci-tech"),
                ("deadline", &yesterday),
                ("requirements", "y"),
            ],
            "已过",
        ),
        (
            vec![
                ("title", "x"),
                ("assignee", "sci-tech"),
                ("requirements", "y"),
            ],
            "须填写办理期限",
        ),
        (
            vec![
                ("title", "x"),
                ("assignee", "dispatch"),
                ("deadline", "2030-01-01"),
                ("requirements", "y"),
            ],
            "不能作为承办单位",
        ),
        (vec![("title", "x"), ("task", "t99")], "不在当前方案中"),
    ] {
        let r = d.post_form("/supervision/new", &fields, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(r.body.contains(says), "{says}: {}", r.body);
        // The form keeps what was typed.
        assert!(r.body.contains(&format!("value=\"{}\"", fields[0].1)));
    }
    let list = d.get("/supervision").await.body;
    assert!(list.contains("没有符合条件的督办单"), "nothing was opened");
    // Opened without a unit: only 立项, handed over later on its page.
    let r = d
        .post_form(
            "/supervision/new",
            &[("title", "单独事项"), ("basis", "b")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let url = r.location().split('?').next().unwrap().to_string();
    let page = d.get(&url).await.body;
    assert!(page.contains("data-state=\"opened\""));
    assert!(page.contains("id=\"act-assign\""));
    let v = version(&page);
    let deadline = day(5);
    let r = d
        .post_form(
            &url,
            &[
                ("action", "assign"),
                ("version", &v),
                ("assignee", "sci-tech"),
                ("deadline", &deadline),
                ("note", "请办理。"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(u.get(&url).await.body.contains("data-state=\"assigned\""));
}

#[tokio::test]
async fn the_light_follows_the_clock_and_the_cockpit_links_to_a_new_order() {
    let (mut d, mut u, _) = apps().await;
    let mut leader = d.signed_in("boss", "dispatch", RoleKind::Leader).await;
    let url = open(&d, 5).await;
    assert!(d.get(&url).await.body.contains("data-light=\"green\""));
    // Days pass (sessions end meanwhile: sign in again).
    d.advance(2 * DAY);
    d.sign_in("disp").await;
    let page = d.get(&url).await.body;
    assert!(page.contains("data-light=\"yellow\""), "3 days before");
    assert!(page.contains("剩 3 天"));
    d.advance(4 * DAY);
    d.sign_in("disp").await;
    u.sign_in("keji").await;
    leader.sign_in("boss").await;
    let page = d.get(&url).await.body;
    assert!(page.contains("data-light=\"red\""));
    assert!(page.contains("逾期 1 天"));
    assert!(d.get("/supervision?light=red").await.body.contains(&url));
    // A leader reads it all and takes none of the order's steps: a leader urges (催办) and
    // writes an instruction (领导批示), which record without moving the order.
    let page = leader.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    let offered: Vec<&str> = page
        .body
        .match_indices("id=\"act-")
        .map(|(i, _)| {
            let rest = &page.body[i + 8..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    assert_eq!(offered, ["urge", "instruct"]);
    assert!(
        !leader
            .get("/supervision")
            .await
            .body
            .contains("id=\"order-new\"")
    );
    // The periodic check escalates; the unit's inbox says so, in English too.
    let plan = gaoxin_core::Plan::parse(crate::support::SEED_NAME, crate::support::SEED).unwrap();
    let now = Timestamp(d.clock.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(
        d.store
            .supervision_tick(&plan, now)
            .await
            .unwrap()
            .escalated,
        1
    );
    assert!(d.get(&url).await.body.contains("逾期提级督办"));
    let inbox = u.get("/inbox?lang=en").await.body;
    assert!(
        inbox.contains("an order is overdue and escalated"),
        "{inbox}"
    );
    let r = u
        .post_form(
            "/inbox",
            &[("id", "1"), ("open", "https://evil.example/")],
            None,
        )
        .await;
    assert_eq!(
        r.location(),
        "/inbox",
        "only an order's address is followed"
    );
    let page = d.get(&format!("{url}?lang=en")).await.body;
    assert!(page.contains("Next steps") || page.contains("History"));
    assert!(page.contains("overdue"));
    // The cockpit's lagging rows link to a new order for the dispatcher, prefilled.
    let (from, to) = (
        gaoxin_core::monitor::YearMonth::new(2024, 1).unwrap(),
        gaoxin_core::monitor::YearMonth::of(now),
    );
    let rows = gaoxin_core::monitor::sample::generate(&plan, from, to);
    d.store.load_sample_figures(&rows, now).await.unwrap();
    let cockpit = d.get("/monitor").await.body;
    let at = cockpit
        .find("/supervision/new?zone=")
        .expect("a lagging row links to a new order");
    let href = cockpit[at..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let form = d.get(&href).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("id=\"order-subject\""));
    assert!(form.body.contains("进度滞后"));
    // Its basis carries the numbers: the period, actual, expected, the gap with its unit and
    // the light in words.
    let basis = form
        .body
        .split("name=\"basis\"")
        .nth(1)
        .and_then(|s| s.split("</textarea>").next())
        .expect("the basis field");
    for part in ["实际值", "序时目标", "差距", "落后"] {
        assert!(basis.contains(part), "{part}: {basis}");
    }
    assert!(
        basis.contains("个百分点") || basis.contains(" 家") || basis.contains(" 亿元"),
        "{basis}"
    );
    // Asked with a basis of its own, the form keeps it.
    let own = d.get(&format!("{href}&basis=自拟")).await.body;
    assert!(own.contains(">自拟</textarea>"), "{own}");
    assert!(
        !leader
            .get("/monitor")
            .await
            .body
            .contains("/supervision/new?zone=")
    );
}

#[tokio::test]
async fn histories_name_the_people_who_acted() {
    let base = bare_app().await;
    let d = base
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let u = base.signed_in("keji", "sci-tech", RoleKind::Reporter).await;
    let mut admin = base.clone();
    admin
        .add_user("sysadm", "dispatch", &[RoleKind::SystemAdmin], false)
        .await;
    admin.sign_in("sysadm").await;
    // The system administrator fills in the dispatcher's name and phone; a bad phone is refused
    // with the reason and changes nothing.
    let r = admin
        .post_form(
            "/admin/accounts/disp",
            &[
                ("action", "profile"),
                ("full_name", "王调度"),
                ("phone", "x"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("电话须为 5 到 20 个字符"), "{}", r.body);
    let r = admin
        .post_form(
            "/admin/accounts/disp",
            &[
                ("action", "profile"),
                ("full_name", "王调度"),
                ("phone", "0311-87681234"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        admin
            .get("/admin/accounts")
            .await
            .body
            .contains("value=\"王调度\"")
    );
    // The bureau's clerk fills in their own on the account page.
    let r = u
        .post_form(
            "/account",
            &[("full_name", "李科"), ("phone", "13800000000")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = u.get("/account?saved=1").await.body;
    assert!(page.contains("value=\"李科\"") && page.contains("id=\"profile-notice\""));
    // The order's history names them.
    let url = open(&d, 5).await;
    act(&u, &url, "sign", "").await;
    let page = d.get(&url).await.body;
    assert!(page.contains("王调度（disp）"), "{page}");
    assert!(page.contains("李科（keji）"), "{page}");
}

#[tokio::test]
async fn an_order_prints_as_a_sheet_the_office_signs_and_sends() {
    use std::io::Read;
    let (d, u, other) = apps().await;
    let url = open(&d, 5).await;
    let leader = d.signed_in("boss", "dispatch", RoleKind::Leader).await;
    act(
        &leader,
        &url,
        "instruct",
        "请市科技局主要负责同志亲自调度。",
    )
    .await;
    // The unit and the dispatch office print it; another bureau does not see it.
    assert!(u.get(&url).await.body.contains("id=\"order-sheet\""));
    assert_eq!(
        other.get(&format!("{url}/docx")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = u.get(&format!("{url}/docx")).await;
    assert_eq!(r.status, StatusCode::OK);
    let disposition = r.headers[axum::http::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(".docx") && disposition.starts_with("attachment"),
        "{disposition}"
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.bytes.clone())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let text = gaoxin_docx::document_text(&xml).join("\n");
    let number = format!("督办〔2026〕{}号", url.rsplit('/').next().unwrap());
    let deadline = {
        let day = Date::of(Timestamp(T0)).add_days(5);
        day.human(gaoxin_core::text::Lang::Zh)
    };
    for want in [
        "督办通知单",
        number.as_str(),
        "市科技局：",
        "对接活动场次不足",
        "前三季度仅 4 场。",
        "请报送第四季度计划。",
        deadline.as_str(),
        "请市科技局主要负责同志亲自调度。",
        "签收回执",
    ] {
        assert!(text.contains(want), "the sheet lacks {want}:\n{text}");
    }

    if !crate::cli::libreoffice(crate::cli::Office::Writer) {
        return;
    }
    let dir = crate::support::TempDir::new();
    let path = dir.path().join("sheet.docx");
    std::fs::write(&path, &r.bytes).unwrap();
    let out = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let pdf = dir.path().join("sheet.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice did not convert: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("595.") && info.contains("841."), "A4: {info}");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
    for want in ["督办通知单", number.as_str(), "签收回执"] {
        assert!(text.contains(want), "the PDF lacks {want}");
    }
}

#[tokio::test]
async fn an_order_is_handed_out_with_co_handling_units() {
    let (d, u, other) = apps().await;
    let fin = d.signed_in("caizheng", "finance", RoleKind::Reporter).await;
    // The lead cannot also be a co-handling unit: refused, named, nothing opened.
    let deadline = day(5);
    let fields = |co: &'static str| {
        vec![
            ("title", "对接活动场次不足"),
            ("task", "t6"),
            ("basis", "前三季度仅 4 场。"),
            ("assignee", "sci-tech"),
            ("deadline", deadline.as_str()),
            ("requirements", "请报送第四季度计划。"),
            (co, "1"),
        ]
    };
    let r = d
        .post_form("/supervision/new", &fields("co_unit.sci-tech"), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不能同时作为协办单位"), "{}", r.body);
    let r = d
        .post_form("/supervision/new", &fields("co_unit.finance"), None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().split('?').next().unwrap().to_string();
    // The co-handling unit reads it, is named on it, and is offered no step.
    let page = fin.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"order-co-units\""));
    assert!(page.body.contains("市委金融办"), "{}", page.body);
    assert!(!page.body.contains("id=\"order-actions\""));
    assert!(fin.get("/supervision").await.body.contains(&url));
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);
    assert!(u.get(&url).await.body.contains("id=\"act-sign\""));
}

#[tokio::test]
async fn an_answer_carries_files_those_who_see_the_order_download() {
    let (d, u, other) = apps().await;
    let url = open(&d, 5).await;
    // Before signing there is nothing to attach to.
    let r = crate::web_work::upload(&u, &url, "纪要.pdf", b"%PDF-1.4 minutes").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    act(&u, &url, "sign", "").await;
    assert!(u.get(&url).await.body.contains("id=\"attach-form\""));
    let r = crate::web_work::upload(&u, &url, "纪要.pdf", b"MZ\x90\x00 program").await;
    assert!(r.body.contains("不是可接受的附件"), "{}", r.body);
    let r = crate::web_work::upload(&u, &url, "纪要.pdf", b"%PDF-1.4 minutes").await;
    assert_eq!(r.status, StatusCode::OK);
    let at = r.body.find("name=\"attachment.").expect("kept") + 17;
    let aid: String = r.body[at..].split('"').next().unwrap().to_string();
    let key = format!("attachment.{aid}");
    // Not filed yet: the dispatch office cannot read it.
    assert_eq!(
        d.get(&format!("/order-attachments/{aid}")).await.status,
        StatusCode::NOT_FOUND
    );
    let page = u.get(&url).await.body;
    let r = u
        .post_form(
            &url,
            &[
                ("action", "answer"),
                ("version", &version(&page)),
                ("note", "已召开专题会，纪要附后。"),
                (&key, &aid),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = d.get(&url).await.body;
    assert!(
        page.contains(&format!("/order-attachments/{aid}")),
        "{page}"
    );
    let file = d.get(&format!("/order-attachments/{aid}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, b"%PDF-1.4 minutes");
    assert_eq!(
        other.get(&format!("/order-attachments/{aid}")).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Writes `n` orders straight into the database (the list's own query is what is under test):
/// the first ten handed to 市科技局 and overdue, the rest closed.
async fn many_orders(app: &App, n: i64) {
    let overdue = day(-3);
    for i in 1..=n {
        let (state, deadline) = if i <= 10 {
            ("assigned", format!("'{overdue}'"))
        } else {
            ("closed", "NULL".to_string())
        };
        gaoxin_store::testing::execute(
            &app.store,
            &format!(
                "INSERT INTO supervision_orders (title, subject, task_id, basis, state, assignee, \
                 deadline, version, opened_by, opened_at, updated_at, updated_by) VALUES \
                 ('第 {i} 件', 'task', 't6', '事由', '{state}', 'sci-tech', {deadline}, 1, 'disp', \
                 {T0}, {T0}, 'disp')"
            ),
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn the_order_list_pages_with_the_overdue_first_and_keeps_its_filters() {
    let (d, u, _) = apps().await;
    many_orders(&d, 120).await;
    let first = d.get("/supervision").await;
    assert_eq!(first.status, StatusCode::OK);
    // 50 to a page, the ten overdue on top; the count and the lights cover all 120.
    assert_eq!(first.body.matches("<tr data-state=").count(), 50);
    let rows: Vec<&str> = first.body.split("<tr data-state=\"").skip(1).collect();
    assert!(rows[..10].iter().all(|r| r.starts_with("assigned")));
    assert!(rows[10..].iter().all(|r| r.starts_with("closed")));
    assert!(
        first.body.contains("共 120 件，第 1–50 件"),
        "{}",
        first.body
    );
    assert!(first.body.contains("1 / 3"));
    let next = link_of(&first.body, "order-next").unwrap();
    assert_eq!(next, "/supervision?page=2");
    let last = d.get("/supervision?page=3").await;
    assert_eq!(last.body.matches("<tr data-state=").count(), 20);
    assert!(last.body.contains("第 101–120 件"));
    assert!(!last.body.contains("id=\"order-next\""));
    // A filter stays in the page links; a page beyond the end shows none; nonsense is page 1.
    let closed = d.get("/supervision?light=done").await;
    assert!(closed.body.contains("共 110 件"));
    assert!(
        closed
            .body
            .contains("href=\"/supervision?light=done&#38;page=2\"")
    );
    let beyond = d.get("/supervision?light=done&page=99").await;
    assert_eq!(
        (beyond.status, beyond.location()),
        (StatusCode::SEE_OTHER, "/supervision?light=done&page=3")
    );
    let huge = d.get("/supervision?page=99999999999999999999").await;
    assert_eq!(huge.body.matches("<tr data-state=").count(), 50);
    // The unit sees its own, paged the same way.
    let own = u.get("/supervision?page=2").await;
    assert_eq!(own.body.matches("<tr data-state=").count(), 50);
}

#[tokio::test]
async fn the_inbox_pages_back_and_counts_every_unread_message() {
    let (d, u, _) = apps().await;
    // 130 orders handed out: 130 messages to the unit.
    let url = open(&d, 10).await;
    let account = u.store.account("keji").await.unwrap().unwrap();
    for i in 0..129 {
        gaoxin_store::testing::execute(
            &u.store,
            &format!(
                "INSERT INTO inbox_messages (account_id, at, notice, title, body, link) \
                 VALUES ({}, {T0}, 'assigned', '第 {i} 条', '', '{url}')",
                account.id
            ),
        )
        .await
        .unwrap();
    }
    let first = u.get("/inbox").await;
    assert_eq!(first.body.matches("<tr class=\"unread\">").count(), 100);
    // Marking all read is offered: 130 unread, more than the page shows.
    assert!(first.body.contains("id=\"inbox-read-all\""));
    let older = link_of(&first.body, "inbox-older").unwrap();
    assert!(older.starts_with("/inbox?before="));
    let second = u.get(&older).await;
    assert_eq!(second.body.matches("<tr class=\"unread\">").count(), 30);
    assert!(second.body.contains("id=\"inbox-newest\""));
    assert!(!second.body.contains("id=\"inbox-older\""));
}
