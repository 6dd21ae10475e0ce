//! The ledger pages in-process: lists within the reader's units, export, the template, upload
//! (dry run with errors by row and column, confirmation, a file imported twice), editing over a
//! stale version, field errors, forged requests, and the cockpit's link to the rows behind a
//! counted figure.

use crate::ledgers::{enterprise, uscc};
use crate::web::{App, bare_app};
use axum::http::StatusCode;
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::ledger::sheet::parse;
use gaoxin_core::ledger::{Ledger, Record};
use gaoxin_excel::{Limits, ledger_export, read_cells};

fn plan() -> Plan {
    Plan::parse(crate::support::SEED_NAME, crate::support::SEED).unwrap()
}

fn enterprises() -> &'static Ledger {
    Ledger::find("enterprises").unwrap()
}

/// A workbook of these enterprises, as the export (and a filled template) has them.
fn workbook(records: &[Record]) -> Vec<u8> {
    ledger_export(&plan(), enterprises(), records, false).unwrap()
}

/// The confirmation token in a dry run's page.
fn token(body: &str) -> String {
    let at = body
        .find("name=\"token\" value=\"")
        .expect("a confirm form")
        + 20;
    body[at..].split('"').next().unwrap().to_string()
}

/// Uploads a workbook to a ledger and confirms its dry run; the confirmation's reply.
async fn import_file(app: &App, ledger: &str, bytes: Vec<u8>) -> crate::web::Reply {
    let dry = app
        .upload(&format!("/ledgers/{ledger}/upload"), "f.xlsx", bytes)
        .await;
    app.post_form(
        &format!("/ledgers/{ledger}/upload/confirm"),
        &[("token", &token(&dry.body))],
        None,
    )
    .await
}

async fn keeper(app: &App) -> App {
    app.signed_in("kj", "sci-tech", RoleKind::Reporter).await
}

#[tokio::test]
async fn upload_dry_run_confirm_and_the_same_file_refused() {
    let app = bare_app().await;
    let kj = keeper(&app).await;
    let plan = plan();
    // The template is a workbook with this ledger's headings and only the example row.
    let t = kj.get("/ledgers/enterprises/template").await;
    assert_eq!(t.status, StatusCode::OK);
    assert!(
        t.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );

    let records: Vec<Record> = (0..3)
        .map(|n| enterprise(&plan, n, "石家庄高新区", "1,200万元"))
        .collect();
    let bytes = workbook(&records);
    let dry = kj
        .upload("/ledgers/enterprises/upload", "企业.xlsx", bytes.clone())
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("将新增 3 条"), "{}", dry.body);
    assert_eq!(
        app.store.ledger_size(enterprises()).await.unwrap(),
        0,
        "a dry run writes nothing"
    );
    // Another account cannot confirm this upload.
    let other = app.signed_in("kj2", "sci-tech", RoleKind::Reporter).await;
    let stolen = other
        .post_form(
            "/ledgers/enterprises/upload/confirm",
            &[("token", &token(&dry.body))],
            None,
        )
        .await;
    assert_eq!(stolen.status, StatusCode::BAD_REQUEST);
    // Its owner still can; the token then is spent.
    let confirm = |token: String| {
        let kj = kj.clone();
        async move {
            kj.post_form(
                "/ledgers/enterprises/upload/confirm",
                &[("token", &token)],
                None,
            )
            .await
        }
    };
    let done = confirm(token(&dry.body)).await;
    assert_eq!(
        confirm(token(&dry.body)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/ledgers/enterprises?created=3&updated=0");
    let list = kj.get(done.location()).await;
    assert!(list.body.contains("已导入：新增 3 条，更新 0 条。"));
    assert!(list.body.contains("测试企业002有限公司"));
    // The same file again is recognised at the dry run.
    let again = kj
        .upload("/ledgers/enterprises/upload", "企业（副本）.xlsx", bytes)
        .await;
    assert!(again.body.contains("已于"), "{}", again.body);
    assert!(!again.body.contains("upload-confirm"));

    // A workbook with errors: each by row and column, nothing to confirm.
    let bad = std::fs::read(format!(
        "{}/tests/fixtures/enterprises-one-error-of-each-kind.xlsx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let report = kj
        .upload("/ledgers/enterprises/upload", "bad.xlsx", bad)
        .await;
    assert!(
        report
            .body
            .contains("<td class=\"num\">4</td><td>统一社会信用代码*</td>"),
        "{}",
        report.body
    );
    assert!(!report.body.contains("upload-confirm"));
    // Not a workbook at all.
    let junk = kj
        .upload(
            "/ledgers/enterprises/upload",
            "x.xlsx",
            b"MZ\x90\x00 not a zip".to_vec(),
        )
        .await;
    assert!(junk.body.contains("不是 .xlsx 工作簿"), "{}", junk.body);
    // A zone's leader may read but not upload.
    let leader = app.signed_in("boss", "dispatch", RoleKind::Leader).await;
    let refused = leader
        .upload("/ledgers/enterprises/upload", "x.xlsx", workbook(&records))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_long_list_says_it_counted_up_to_its_limit_and_pages_on() {
    let app = bare_app().await;
    let kj = keeper(&app).await;
    let plan = plan();
    let over = gaoxin_store::COUNT_LIMIT as usize + 3;
    let records: Vec<Record> = (0..over)
        .map(|n| enterprise(&plan, n, "石家庄高新区", "1"))
        .collect();
    import_file(&kj, "enterprises", workbook(&records)).await;
    let list = kj.get("/ledgers/enterprises").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("共 10000+ 条"), "{}", list.body);
    assert!(list.body.contains("超过 10000 条，只数到这里"));
    assert!(list.body.contains("1 / 200+"));
    // The page past the last one counted holds the rest (three records).
    let past = kj.get("/ledgers/enterprises?page=201").await;
    assert_eq!(
        past.body
            .matches("<tr><td><a href=\"/ledgers/enterprises/")
            .count(),
        3,
        "{}",
        past.body
    );
    assert!(past.body.contains("201 / 201+"));
    let index = kj.get("/ledgers").await;
    assert!(index.body.contains("10000+ 条"), "{}", index.body);
    // A narrower list is counted exactly, without the note: 测试企业1000, 10000 … 10002.
    let few = kj
        .get("/ledgers/enterprises?q=%E4%BC%81%E4%B8%9A1000")
        .await;
    assert!(few.body.contains("共 4 条<"), "{}", few.body);
    assert!(!few.body.contains("只数到这里"));
}

#[tokio::test]
async fn lists_and_exports_stay_within_the_readers_units() {
    let app = bare_app().await;
    let kj = keeper(&app).await;
    let plan = plan();
    let records: Vec<Record> = (0..6)
        .map(|n| {
            enterprise(
                &plan,
                n,
                ["石家庄高新区", "正定高新区"][n % 2],
                &format!("{n}"),
            )
        })
        .collect();
    import_file(&kj, "enterprises", workbook(&records)).await;
    let zd = app
        .signed_in("zd-clerk", "zd-hz-admin", RoleKind::Reporter)
        .await;
    let list = zd.get("/ledgers/enterprises").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("测试企业001有限公司"));
    assert!(
        !list.body.contains("测试企业000有限公司"),
        "another zone's record"
    );
    let index = zd.get("/ledgers").await;
    assert!(index.body.contains("3 条"), "{}", index.body);
    // The export holds what the list holds, typed, and reads back as the same records.
    let export = zd
        .get("/ledgers/enterprises/export?q=%E6%B5%8B%E8%AF%95")
        .await;
    assert_eq!(export.status, StatusCode::OK);
    let bytes = zd.get("/ledgers/enterprises/export").await.bytes;
    let cells = read_cells(&bytes, &Limits::LEDGER).unwrap();
    let parsed = parse(&plan, enterprises(), &cells);
    assert!(parsed.errors.is_empty());
    let mut got: Vec<String> = parsed
        .rows
        .iter()
        .map(|r| r.record.values[0].clone())
        .collect();
    got.sort();
    assert_eq!(got, [uscc(1), uscc(3), uscc(5)]);
    // Another zone's record is not found, not forbidden: its existence is not told.
    let stored = app
        .store
        .ledger_list(
            enterprises(),
            &gaoxin_store::ListQuery {
                search: Some(uscc(0)),
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let other = zd
        .get(&format!("/ledgers/enterprises/{}", stored.rows[0].id))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(
        zd.get("/ledgers/no-such-ledger").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_record_is_created_and_edited_with_field_errors_and_stale_saves_refused() {
    let app = bare_app().await;
    let a = app
        .signed_in("clerk-a", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    let b = app
        .signed_in("clerk-b", "sjz-hz-admin", RoleKind::Reporter)
        .await;
    let form = |code: &str, name: &str, version: &str| -> Vec<(String, String)> {
        vec![
            ("version".into(), version.into()),
            ("f_uscc".into(), code.into()),
            ("f_name".into(), name.into()),
            ("f_unit".into(), "sjz-hz".into()),
            ("f_industry".into(), "数字经济".into()),
            ("f_rd_spending".into(), "1,000".into()),
        ]
    };
    let post = |app: &App, uri: String, fields: Vec<(String, String)>| {
        let app = app.clone();
        async move {
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.post_form(&uri, &refs, None).await
        }
    };
    // A wrong check digit: refused at the field, what was typed kept.
    let bad = post(
        &a,
        "/ledgers/enterprises/new".into(),
        form("91130100MA0000001Y", "数字公司", "0"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("校验位不对"), "{}", bad.body);
    assert!(bad.body.contains("value=\"数字公司\""));
    // Another zone's record cannot be created by a zone clerk.
    let mut elsewhere = form(&uscc(7), "数字公司", "0");
    elsewhere[3].1 = "zd-hz".into();
    let refused = post(&a, "/ledgers/enterprises/new".into(), elsewhere).await;
    assert!(refused.body.contains("无权修改该区域"), "{}", refused.body);
    let made = post(
        &a,
        "/ledgers/enterprises/new".into(),
        form(&uscc(7), "数字公司", "0"),
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = made.location().split('?').next().unwrap().to_string();
    // The same code again, read in English: the store's refusal in English alone (it once
    // showed both languages, its bilingual text split where it had no space before the slash).
    let twice = post(
        &a,
        "/ledgers/enterprises/new?lang=en".into(),
        form(&uscc(7), "数字公司", "0"),
    )
    .await;
    assert!(
        twice.body.contains("the same record already exists (no. "),
        "{}",
        twice.body
    );
    assert!(!twice.body.contains("已有相同"), "{}", twice.body);
    let shown = a.get(made.location()).await;
    assert!(shown.body.contains("已保存"));
    assert!(shown.body.contains("name=\"version\" value=\"1\""));
    // Both opened version 1: A saves, B's save is refused with the stored value beside B's.
    let saved = post(&a, page.clone(), form(&uscc(7), "数字公司（A改）", "1")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let stale = post(&b, page.clone(), form(&uscc(7), "数字公司（B改）", "1")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("该记录已被 clerk-a 修改"),
        "{}",
        stale.body
    );
    assert!(
        stale.body.contains("value=\"数字公司（B改）\""),
        "B's typing is kept"
    );
    assert!(
        stale.body.contains("数字公司（A改）"),
        "the stored value is shown"
    );
    // The history has both the creation and A's change.
    let history = a.get(&page).await;
    assert!(
        history.body.contains("数字公司 → 数字公司（A改）"),
        "{}",
        history.body
    );
    // A forged request (no CSRF token) changes nothing.
    let forged = a
        .post_form(
            &page,
            &[("version", "2"), ("f_name", "伪造")],
            Some("forged"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_cockpit_links_a_counted_figure_to_the_rows_that_make_it() {
    let app = bare_app().await;
    let kj = keeper(&app).await;
    let plan = plan();
    let enterprises = workbook(&[enterprise(&plan, 1, "石家庄高新区", "")]);
    import_file(&kj, "enterprises", enterprises).await;
    let q = Ledger::find("qualifications").unwrap();
    let cert = crate::ledgers::record(
        &plan,
        q,
        &[
            &uscc(1),
            "测试企业001有限公司",
            "高新技术企业",
            "",
            "2025-01-01",
        ],
    );
    let bytes = ledger_export(&plan, q, &[cert], false).unwrap();
    let done = import_file(&kj, "qualifications", bytes).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let cockpit = kj.get("/monitor/sjz-hz?period=2026-09").await;
    let link = "/ledgers/qualifications?counted=hitech-valid&#38;unit=sjz-hz&#38;period=2026-09";
    assert!(cockpit.body.contains(link), "{}", cockpit.body);
    // The platforms ledger holds nothing yet: its indicator says so and links to it.
    assert!(
        cockpit
            .body
            .contains("此项由“创新平台”台账统计，台账中还没有记录")
    );
    assert!(cockpit.body.contains("href=\"/ledgers/platforms\""));
    let rows = kj.get(&link.replace("&#38;", "&")).await;
    assert!(
        rows.body.contains("计入“有效期内高新技术企业"),
        "{}",
        rows.body
    );
    assert!(rows.body.contains("测试企业001有限公司"));
}

#[tokio::test]
async fn projects_stalled_at_a_stage_are_flagged_and_filtered() {
    let app = bare_app().await;
    let tz = app.signed_in("tz", "investment", RoleKind::Reporter).await;
    let plan = plan();
    let p = Ledger::find("projects").unwrap();
    let project = |name: &str, stage: &str, since: &str| {
        crate::ledgers::record(
            &plan,
            p,
            &[
                name,
                "某集团",
                "生物医药",
                "石家庄高新区",
                stage,
                since,
                "5000",
                "",
                "赵六",
            ],
        )
    };
    let records = [
        project("停滞的项目", "签约", "2026-06-30"),
        project("投产的项目", "投产", "2025-01-01"),
        project("新开工的项目", "开工", "2026-10-01"),
    ];
    let bytes = ledger_export(&plan, p, &records, false).unwrap();
    let done = import_file(&tz, "projects", bytes).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // The test clock is 2026-11-28: 151 days at 签约, beyond the plan's 90.
    let all = tz.get("/ledgers/projects").await;
    assert!(
        all.body.contains("已在“签约”阶段停留 151 天"),
        "{}",
        all.body
    );
    assert!(all.body.contains("只看停滞超过 90 天的"));
    let stalled = tz.get("/ledgers/projects?stalled=1").await;
    assert!(stalled.body.contains("停滞的项目"));
    assert!(!stalled.body.contains("投产的项目") && !stalled.body.contains("新开工的项目"));
}

#[tokio::test]
async fn an_account_that_may_change_no_record_cannot_upload_and_the_refusal_is_audited() {
    let app = bare_app().await;
    let leader = app.signed_in("boss", "dispatch", RoleKind::Leader).await;
    let r = leader
        .upload(
            "/ledgers/enterprises/upload",
            "f.xlsx",
            b"PK\x03\x04".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let confirm = leader
        .post_form(
            "/ledgers/enterprises/upload/confirm",
            &[("token", "whatever")],
            None,
        )
        .await;
    assert_eq!(confirm.status, StatusCode::FORBIDDEN);
    let denied = app
        .store
        .audit_events(&gaoxin_store::AuditFilter {
            action: Some("authz.denied".into()),
            account: Some("boss".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        denied
            .iter()
            .filter(|e| e.target == "ledger:enterprises/import")
            .count(),
        2,
        "{denied:?}"
    );
}

#[tokio::test]
async fn the_cockpit_api_and_bulletin_show_sub_targets_for_their_own_year() {
    let app = bare_app().await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let plan = plan();
    let t = Ledger::find("talents").unwrap();
    let talent = |name: &str, kind: &str, unit: &str, day: &str| {
        crate::ledgers::record(&plan, t, &[name, kind, "", unit, day])
    };
    let records = [
        talent("甲", "创新创业领军人才", "石家庄高新区", "2025-03-01"),
        talent("乙", "创新创业领军人才", "正定高新区", "2025-09-01"),
        talent("丙", "创新创业领军人才", "石家庄高新区", "2026-04-01"),
        talent("丁", "人才飞地", "石家庄高新区", "2025-04-01"),
        talent("戊", "人才飞地", "正定高新区", "2025-05-01"),
        talent("己", "人才飞地", "正定高新区", "2025-06-01"),
    ];
    let bytes = ledger_export(&plan, t, &records, false).unwrap();
    let done = import_file(&disp, "talents", bytes).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    let cockpit = disp.get("/monitor?period=2026-11").await;
    assert_eq!(cockpit.status, StatusCode::OK);
    let body = &cockpit.body;
    assert!(body.contains("id=\"subtargets\""), "{body}");
    // Red first: 2 of the 5 leaders asked in 2025, final; the enclaves (3 of 3) come after.
    let leaders = body.find("data-subtarget=\"t2-talent-leaders\"").unwrap();
    let enclaves = body.find("data-subtarget=\"t2-talent-enclaves\"").unwrap();
    assert!(leaders < enclaves, "the missed one first");
    let row = &body[leaders..leaders + 3000];
    assert!(row.contains("data-status=\"red\""), "{row}");
    assert!(row.contains("2025年") && row.contains("已结束"), "{row}");
    assert!(row.contains("2 个"), "{row}");
    assert!(
        row.contains("/ledgers/talents?counted=new-talent-leaders&#38;period=2025-12"),
        "{row}"
    );
    let row = &body[enclaves..enclaves + 1500];
    assert!(row.contains("data-status=\"green\""), "{row}");
    // A ledger with no record: not known, with the ledger to fill.
    assert!(body.contains("data-subtarget=\"t13-remediation-plans\""));
    assert!(body.contains("灰：无法计算"));
    // The rows behind the link are 2025's leaders of the zones.
    let rows = disp
        .get("/ledgers/talents?counted=new-talent-leaders&period=2025-12")
        .await;
    assert!(rows.body.contains("甲") && rows.body.contains("乙"));
    assert!(!rows.body.contains(">丙<"), "a 2026 record is not 2025's");

    let (code, status) = disp.json("/api/v1/status?period=2026-11").await;
    assert_eq!(code, StatusCode::OK);
    let subs = status["subtargets"].as_array().unwrap();
    assert_eq!(subs.len(), 16);
    let l = subs
        .iter()
        .find(|s| s["subtarget"] == "t2-talent-leaders")
        .unwrap();
    assert_eq!(l["year"], 2025);
    assert_eq!(l["actual"], 2.0);
    assert_eq!(l["closed"], true);
    assert_eq!(l["status"], "red");
    assert_eq!(l["zone"], serde_json::Value::Null);
    assert_eq!(l["name"], "新增创新创业领军人才");
    assert_eq!(status["subtarget_summary"]["green"], 1);

    let bulletin = disp.get("/bulletin?period=2026-11").await;
    assert!(bulletin.body.contains("五、任务量化子目标完成情况"));
    assert!(
        bulletin
            .body
            .contains("任务量化子目标按区计 16 个：达到序时进度 1 个"),
        "{}",
        bulletin.body
    );
}

/// A record of ledger `id`, from its cells as a clerk's sheet has them.
fn rec(id: &str, cells: &[&str]) -> Record {
    crate::ledgers::record(&plan(), Ledger::find(id).unwrap(), cells)
}

/// Imports `records` into ledger `id` as `app` does on the page; it must go through.
async fn put(app: &App, id: &str, records: Vec<Record>) {
    let bytes = ledger_export(&plan(), Ledger::find(id).unwrap(), &records, false).unwrap();
    let r = import_file(app, id, bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{id}: {}", r.body);
}

#[tokio::test]
async fn an_enterprise_profile_joins_every_ledger_within_the_readers_units() {
    let app = bare_app().await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let plan = plan();
    let name = "测试企业001有限公司";
    let enterprises = workbook(&[
        enterprise(&plan, 1, "石家庄高新区", ""),
        enterprise(&plan, 2, "正定高新区", ""),
    ]);
    assert_eq!(
        import_file(&disp, "enterprises", enterprises).await.status,
        StatusCode::SEE_OTHER
    );
    put(
        &disp,
        "qualifications",
        vec![rec(
            "qualifications",
            &[&uscc(1), name, "高新技术企业", "GR2024001", "2024-12-01"],
        )],
    )
    .await;
    put(
        &disp,
        "platforms",
        vec![rec(
            "platforms",
            &[
                "测试重点实验室",
                "重点实验室",
                "省级",
                name,
                "石家庄高新区",
                "2025-06-30",
            ],
        )],
    )
    .await;
    put(
        &disp,
        "projects",
        vec![
            rec(
                "projects",
                &[
                    "测试扩产项目",
                    name,
                    "生物医药",
                    "石家庄高新区",
                    "签约",
                    "2026-03-01",
                    "2亿元",
                    "",
                    "责任人",
                ],
            ),
            // Another investor whose name contains this one's is not this one's.
            rec(
                "projects",
                &[
                    "别家项目",
                    "测试企业001有限公司二期",
                    "生物医药",
                    "石家庄高新区",
                    "在谈",
                    "2026-04-01",
                    "1亿元",
                    "",
                    "责任人",
                ],
            ),
        ],
    )
    .await;

    // Found by part of its name and by its code.
    let found = disp.get("/enterprises?q=测试企业001").await.body;
    assert!(
        found.contains(&format!("href=\"/enterprises/{}\"", uscc(1))),
        "{found}"
    );
    let found = disp
        .get(&format!("/enterprises?q={}", &uscc(2)[..10]))
        .await
        .body;
    assert!(
        found.contains(&format!("/enterprises/{}", uscc(2))),
        "{found}"
    );

    let page = disp.get(&format!("/enterprises/{}", uscc(1))).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains(name));
    for section in [
        "profile-qualifications",
        "profile-platforms",
        "profile-projects",
    ] {
        assert!(
            body.contains(&format!("id=\"{section}\"")),
            "{section}: {body}"
        );
    }
    assert!(
        body.contains("测试扩产项目") && !body.contains("别家项目"),
        "{body}"
    );
    // The timeline, latest first: the project (2026-03), the laboratory (2025-06), the
    // certificate (2024-12).
    let timeline = body
        .split("id=\"timeline\"")
        .nth(1)
        .and_then(|s| s.split("</ol>").next())
        .unwrap();
    let at = |s: &str| {
        timeline
            .find(s)
            .unwrap_or_else(|| panic!("{s}: {timeline}"))
    };
    assert!(at("2026年3月1日") < at("2025年6月30日") && at("2025年6月30日") < at("2024年12月1日"));
    // The certificate's page leads back to the profile.
    let cert = body
        .split("href=\"/ledgers/qualifications/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let cert_page = disp
        .get(&format!("/ledgers/qualifications/{cert}"))
        .await
        .body;
    assert!(cert_page.contains(&format!("href=\"/enterprises/{}\"", uscc(1))));

    // 正定高新区's clerk does not see 石家庄高新区's enterprise at all, but sees its own.
    let zd = app
        .signed_in("zdgx", "zd-hz-admin", RoleKind::Reporter)
        .await;
    assert_eq!(
        zd.get(&format!("/enterprises/{}", uscc(1))).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !zd.get("/enterprises?q=测试企业")
            .await
            .body
            .contains(&uscc(1))
    );
    assert_eq!(
        zd.get(&format!("/enterprises/{}", uscc(2))).await.status,
        StatusCode::OK
    );
    assert_eq!(
        disp.get("/enterprises/NOSUCHCODE").await.status,
        StatusCode::NOT_FOUND
    );
}

/// The text of one chart of the 台账看板.
fn chart<'a>(body: &'a str, id: &str) -> &'a str {
    crate::web::section(body, &format!("dash-{id}"))
}

#[tokio::test]
async fn the_ledger_dashboards_count_the_rows_and_link_to_them_within_the_readers_units() {
    let app = bare_app().await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let plan = plan();
    let enterprises = workbook(&[
        enterprise(&plan, 1, "石家庄高新区", ""),
        enterprise(&plan, 2, "石家庄高新区", ""),
        enterprise(&plan, 3, "正定高新区", ""),
    ]);
    assert_eq!(
        import_file(&disp, "enterprises", enterprises).await.status,
        StatusCode::SEE_OTHER
    );
    let q = |n: usize, kind: &str, issued: &str, until: &str| {
        rec(
            "qualifications",
            &[
                &uscc(n),
                &format!("测试企业{n:03}有限公司"),
                kind,
                "",
                issued,
                until,
            ],
        )
    };
    put(
        &disp,
        "qualifications",
        vec![
            // Enterprise 1 holds two 科技型中小企业 records this year: one enterprise, counted once.
            q(1, "科技型中小企业", "2026-03-01", "2026-12-31"),
            q(1, "科技型中小企业", "2026-05-01", "2026-12-31"),
            q(2, "科技型中小企业", "2026-04-01", "2026-12-31"),
            // In force both years; the second since December 2025 only; 正定's third.
            q(1, "高新技术企业", "2024-12-01", ""),
            q(2, "高新技术企业", "2025-12-20", ""),
            q(3, "高新技术企业", "2025-01-10", ""),
            // Lapsed before the year before was read: in neither count.
            q(2, "瞪羚企业", "2020-01-01", "2021-12-31"),
        ],
    )
    .await;
    let project = |name: &str, stage: &str, since: &str, amount: &str, unit: &str| {
        rec(
            "projects",
            &[
                name,
                "某集团",
                "生物医药",
                unit,
                stage,
                since,
                amount,
                "",
                "赵六",
            ],
        )
    };
    put(
        &disp,
        "projects",
        vec![
            project(
                "停滞的在谈项目",
                "在谈",
                "2026-06-30",
                "5000",
                "石家庄高新区",
            ),
            project("新在谈项目", "在谈", "2026-11-01", "3000", "石家庄高新区"),
            project("十二亿项目", "签约", "2026-10-01", "12亿元", "石家庄高新区"),
            project("早已投产项目", "投产", "2025-01-01", "8000", "正定高新区"),
        ],
    )
    .await;

    let listing = |n: usize, board: &str, stage: &str, code: &str| {
        rec(
            "listings",
            &[
                &uscc(n),
                &format!("测试企业{n:03}有限公司"),
                board,
                stage,
                "2026-05-01",
                code,
            ],
        )
    };
    put(
        &disp,
        "listings",
        vec![
            listing(1, "北交所", "上市挂牌", ""),
            listing(1, "新三板", "上市挂牌", "870001"),
            listing(2, "创业板", "辅导备案", ""),
        ],
    )
    .await;

    let fund = |name: &str, kind: &str, size: &str, invested: &str, investees: &str| {
        rec(
            "funds",
            &[
                name,
                kind,
                size,
                "",
                "石家庄高新区",
                "",
                invested,
                investees,
            ],
        )
    };
    put(
        &disp,
        "funds",
        vec![
            fund("甲产业基金", "产业基金", "10亿元", "8000", "5"),
            fund("乙产业基金", "产业基金", "50000", "4000", "3"),
            // Nothing invested yet: counts as nothing, not as an error.
            fund("丙创投基金", "创投基金", "2000", "", ""),
        ],
    )
    .await;

    let page = disp.get("/ledgers/dashboard").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Funds: size and what they invested, per kind and in all.
    let funds = chart(&page.body, "funds");
    assert!(funds.contains("2 支 · 15.00 亿元"), "{funds}");
    assert!(funds.contains("已投 1.20 亿元，8 家企业"), "{funds}");
    assert!(funds.contains("已投 0 万元，0 家企业"), "{funds}");
    assert!(
        funds.contains("合计规模 15.20 亿元，累计已投 1.20 亿元，投资企业 8 家"),
        "{funds}"
    );
    // The listing pipeline and its register; a listed one without its code is pointed out.
    let listings = chart(&page.body, "listings");
    assert!(listings.contains("上市挂牌企业名册：2 家"), "{listings}");
    assert!(
        listings.contains("已上市挂牌但未填证券代码 1 家"),
        "{listings}"
    );
    let register = disp
        .get("/ledgers/listings?kind=%E4%B8%8A%E5%B8%82%E6%8C%82%E7%89%8C")
        .await
        .body;
    let rows = register.split("<tbody>").nth(1).unwrap();
    // The register shows each listed enterprise's security code; the one in tutoring is not in it.
    assert!(
        rows.contains("870001") && !rows.contains("创业板"),
        "{rows}"
    );
    assert_eq!(rows.matches("<tr>").count(), 2, "{rows}");
    // The enterprise's profile shows its listings.
    assert!(
        disp.get(&format!("/enterprises/{}", uscc(1)))
            .await
            .body
            .contains("id=\"profile-listings\"")
    );
    let body = &page.body;
    // The enterprise search is on every page of a business reader, the dashboards included.
    assert!(body.contains("id=\"top-search\""));
    assert!(
        disp.get("/work")
            .await
            .body
            .contains("action=\"/enterprises\" class=\"planbar-search\"")
    );
    // No target enterprise: the ledger is said not to be kept — never a row of zeros.
    assert!(
        chart(body, "funnel-targets").contains("该台账还没有记录"),
        "{body}"
    );
    assert!(chart(body, "land").contains("该台账还没有记录"));
    assert!(!chart(body, "funds").contains("该台账还没有记录"));
    let projects = chart(body, "funnel-projects");
    // Stages in their order, counts and investment (8000 万元 = 0.80 亿元 is shown in 万元).
    let at = |s: &str| {
        projects
            .find(s)
            .unwrap_or_else(|| panic!("{s}: {projects}"))
    };
    assert!(
        at(">在谈<") < at(">签约<") && at(">签约<") < at(">开工<") && at(">开工<") < at(">投产<")
    );
    assert!(projects.contains("2 个 · 8000 万元"), "{projects}");
    assert!(projects.contains("1 个 · 12.00 亿元"), "{projects}");
    assert!(projects.contains("10 亿元以上项目 1 个，其中未明确企业联络员 1 个"));
    // The stalled one (at 在谈 since June; the test clock is 2026-11-28) links to itself.
    let stalled_link = "/ledgers/projects?kind=%E5%9C%A8%E8%B0%88&#38;stalled=1";
    assert!(projects.contains("停滞 1 个"), "{projects}");
    assert!(projects.contains(stalled_link), "{projects}");
    let rows = disp.get(&stalled_link.replace("&#38;", "&")).await.body;
    assert!(
        rows.contains("停滞的在谈项目") && !rows.contains("新在谈项目"),
        "{rows}"
    );
    let flagged = disp.get("/ledgers/projects?flagged=1").await.body;
    assert!(flagged.contains("十二亿项目") && !flagged.contains("停滞的在谈项目"));

    // The pyramid counts enterprises in force, and the change on a year before.
    let pyramid = chart(body, "pyramid");
    let level = |kind: &str| {
        pyramid
            .split(&format!(">{kind}<"))
            .nth(1)
            .and_then(|s| s.split("</li>").next())
            .unwrap_or_else(|| panic!("{kind}: {pyramid}"))
            .to_string()
    };
    assert!(
        level("科技型中小企业").contains("2 家") && level("科技型中小企业").contains("较上年 +2")
    );
    assert!(level("高新技术企业").contains("3 家") && level("高新技术企业").contains("较上年 +1"));
    assert!(level("瞪羚企业").contains("0 家") && level("瞪羚企业").contains("较上年 0"));
    // A level's bar lists the qualifications in force at the period's end.
    let link = "/ledgers/qualifications?kind=%E7%A7%91%E6%8A%80%E5%9E%8B%E4%B8%AD%E5%B0%8F%E4%BC%81%E4%B8%9A&#38;valid=2026-10";
    assert!(pyramid.contains(link), "{pyramid}");
    let link = link.replace("&#38;", "&");
    let listed = disp.get(&link).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert!(
        listed.body.contains("仍在有效期内的记录"),
        "{}",
        listed.body
    );
    assert!(
        listed.body.contains("测试企业002有限公司"),
        "{}",
        listed.body
    );
    assert!(!listed.body.contains("测试企业003有限公司"));

    // A zone's clerk sees its own zone only; another zone is 404.
    let zd = app
        .signed_in("zdgx", "zd-hz-admin", RoleKind::Reporter)
        .await;
    let own = zd.get("/ledgers/dashboard").await.body;
    assert!(chart(&own, "pyramid").contains("1 家"), "{own}");
    assert!(!chart(&own, "funnel-projects").contains("12.00 亿元"));
    assert!(chart(&own, "funnel-projects").contains("1 个 · 8000 万元"));
    assert_eq!(
        zd.get("/ledgers/dashboard?unit=sjz-hz").await.status,
        StatusCode::NOT_FOUND
    );
    // The dispatcher narrows to one zone; the links carry it.
    let one = disp.get("/ledgers/dashboard?unit=zd-hz").await.body;
    assert!(chart(&one, "funnel-projects").contains("unit=zd-hz"));
    assert!(!chart(&one, "funnel-projects").contains("12.00 亿元"));
    assert_eq!(
        disp.get("/ledgers/dashboard?unit=nowhere").await.status,
        StatusCode::NOT_FOUND
    );
}
