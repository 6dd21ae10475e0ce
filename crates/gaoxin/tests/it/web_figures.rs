//! The monitoring pages in-process: entering figures through the form (a swing needing an
//! explanation, another zone refused), review and confirmation, the Excel template and upload
//! (dry run, errors by row and column, all-or-nothing confirmation, hostile files), the
//! cockpit with sample data marked, deadlines, and history visibility.

use crate::web::{App, HOST, bare_app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::monitor::{FigureState, YearMonth};

/// The test clock is 2026-11-28 (Beijing): November is open for entry until 15 December.
const PERIOD: &str = "2026-11";

fn nov() -> YearMonth {
    YearMonth::new(2026, 11).unwrap()
}

/// This November's stored value of one of 石家庄高新区's figures.
async fn stored(app: &App, figure: &str) -> gaoxin_store::FigureValue {
    app.store
        .figure_value("sjz-hz", figure, nov())
        .await
        .unwrap()
        .unwrap()
}

async fn signed_in(app: &App, name: &str, unit: &str, role: RoleKind) -> App {
    app.signed_in(name, unit, role).await
}

async fn upload(app: &App, bytes: Vec<u8>) -> crate::web::Reply {
    app.upload("/figures/upload", "f.xlsx", bytes).await
}

pub(crate) fn workbook(rows: &[(&str, &str, &str, Option<f64>)]) -> Vec<u8> {
    gaoxin_excel::figures_template(&gaoxin_excel::FiguresTemplate {
        title: "test".into(),
        rows: rows
            .iter()
            .map(|(zone, figure, period, value)| gaoxin_excel::TemplateRow {
                zone: zone.to_string(),
                zone_name: String::new(),
                figure: figure.to_string(),
                figure_name: String::new(),
                unit: String::new(),
                period: period.to_string(),
                previous: None,
                value: *value,
                explanation: String::new(),
            })
            .collect(),
        instructions: Vec::new(),
        sample: false,
    })
    .unwrap()
}

#[tokio::test]
async fn a_reporter_enters_figures_through_the_form_and_the_reviewer_and_dispatcher_finish() {
    let app = bare_app().await;
    let clerk = signed_in(&app, "clerk", "sjz-hz-admin", RoleKind::Reporter).await;
    let other = signed_in(&app, "zd-clerk", "zd-hz-admin", RoleKind::Reporter).await;
    let rev = signed_in(&app, "rev", "stats", RoleKind::Reviewer).await;
    let disp = signed_in(&app, "disp", "dispatch", RoleKind::Dispatcher).await;

    let page = clerk.get(&format!("/figures?period={PERIOD}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("石家庄高新区 · 2026-11"),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"v.fai-rate\""));
    assert!(
        !page.body.contains("name=\"v.tax-revenue\""),
        "正定's figure"
    );

    // Last November's revenue, confirmed by the dispatcher, makes this year's swing checkable.
    disp.post_form(
        "/figures",
        &[
            ("unit", "sjz-hz"),
            ("period", "2025-11"),
            ("action", "submit"),
            ("v.revenue", "100"),
        ],
        None,
    )
    .await;
    let swing = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", PERIOD),
                ("action", "submit"),
                ("v.revenue", "1,500"),
                ("v.fai-rate", "abc"),
            ],
            None,
        )
        .await;
    assert_eq!(swing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(swing.body.contains("超过 ±30% 的范围"), "{}", swing.body);
    assert!(swing.body.contains("“abc”不是数字"));
    assert!(
        swing.body.contains("value=\"1,500\""),
        "what was typed stays"
    );
    let ok = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", PERIOD),
                ("action", "submit"),
                ("v.revenue", "1,500"),
                ("e.revenue", "新增大项目投产"),
                ("v.fai-rate", "12"),
            ],
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("已保存 2 项，已提交 2 项"), "{}", ok.body);
    let v = stored(&app, "revenue").await;
    assert_eq!((v.value, v.state), (1500.0, FigureState::Submitted));

    // Another zone's reporter can neither post nor read this zone's figures.
    let refused = other
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", PERIOD),
                ("action", "save"),
                ("v.revenue", "1"),
            ],
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let history = other
        .get(&format!(
            "/figures/history?unit=sjz-hz&figure=revenue&period={PERIOD}"
        ))
        .await;
    assert_eq!(history.status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&app, "revenue").await.value, 1500.0);

    // The reviewer sees both, returns one with a reason; the dispatcher sees nothing to confirm yet.
    let queue = rev.get("/figures/review").await;
    assert!(queue.body.contains("data-figure=\"revenue\""));
    assert!(queue.body.contains("+1400.0%"), "the swing is shown");
    assert!(
        disp.get("/figures/review")
            .await
            .body
            .contains("name=\"action\" value=\"return\"")
    );
    let version = stored(&app, "revenue").await.version.to_string();
    let no_reason = rev
        .post_form(
            "/figures/review",
            &[
                ("unit", "sjz-hz"),
                ("figure", "revenue"),
                ("period", PERIOD),
                ("version", &version),
                ("action", "return"),
            ],
            None,
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("必须说明原因"));
    let approve = |figure: &'static str| {
        let (rev, app) = (rev.clone(), app.clone());
        async move {
            let version = stored(&app, figure).await.version.to_string();
            rev.post_form(
                "/figures/review",
                &[
                    ("unit", "sjz-hz"),
                    ("figure", figure),
                    ("period", PERIOD),
                    ("version", &version),
                    ("action", "approve"),
                ],
                None,
            )
            .await
        }
    };
    assert_eq!(approve("fai-rate").await.status, StatusCode::OK);
    // A stale version is refused, not applied.
    let stale = disp
        .post_form(
            "/figures/review",
            &[
                ("unit", "sjz-hz"),
                ("figure", "fai-rate"),
                ("period", PERIOD),
                ("version", "1"),
                ("action", "confirm"),
            ],
            None,
        )
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("已被他人修改"));
    let version = stored(&app, "fai-rate").await.version.to_string();
    let confirmed = disp
        .post_form(
            "/figures/review",
            &[
                ("unit", "sjz-hz"),
                ("figure", "fai-rate"),
                ("period", PERIOD),
                ("version", &version),
                ("action", "confirm"),
            ],
            None,
        )
        .await;
    assert!(confirmed.body.contains("已确认"), "{}", confirmed.body);

    // The cockpit: fixed-asset investment 12 % against 11 %: green, confirmed.
    let (_, cockpit) = disp
        .json(&format!("/api/v1/cockpit/sjz-hz?period={PERIOD}"))
        .await;
    let fai = cockpit["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator"] == "fai-growth")
        .unwrap()
        .clone();
    assert_eq!(fai["status"], "green");
    assert_eq!(fai["flags"], serde_json::json!([]));
    let page = disp.get(&format!("/monitor?period={PERIOD}")).await;
    assert!(
        page.body
            .contains("data-indicator=\"fai-growth\" data-status=\"green\"")
    );

    // The history names every step; the not-yet-reported list names what is missing.
    let history = disp
        .get(&format!(
            "/figures/history?unit=sjz-hz&figure=fai-rate&period={PERIOD}"
        ))
        .await;
    for s in ["clerk", "rev", "disp", "审核通过", "确认"] {
        assert!(history.body.contains(s), "{s}");
    }
    let missing = disp.get(&format!("/figures/missing?period={PERIOD}")).await;
    assert!(missing.body.contains("正定高新区"));
    assert!(missing.body.contains("税收收入（本年累计）"));
}

#[tokio::test]
async fn the_excel_template_round_trips_and_uploads_are_all_or_nothing() {
    let app = bare_app().await;
    let clerk = signed_in(&app, "clerk", "sjz-hz-admin", RoleKind::Reporter).await;

    let t = clerk
        .send(
            Request::get(format!("/figures/template?unit=sjz-hz&period={PERIOD}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(t.status, StatusCode::OK);
    assert_eq!(
        t.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        t.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("gaoxin-figures-sjz-hz-2026-11.xlsx")
    );
    // (The reply body was read as text; fetch the bytes through the router for parsing.)
    let req = Request::get(format!("/figures/template?unit=sjz-hz&period={PERIOD}"))
        .header(header::HOST, HOST)
        .header(header::COOKIE, clerk.session.as_ref().unwrap().0.clone())
        .body(Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(clerk.router.clone(), req)
        .await
        .unwrap();
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let rows = gaoxin_excel::read_rows(&bytes, &gaoxin_excel::Limits::FIGURES).unwrap();
    assert_eq!(
        rows[0].1,
        gaoxin_excel::FIGURE_HEADINGS.map(String::from).to_vec()
    );
    let figures: Vec<&str> = rows[1..].iter().map(|r| r.1[2].as_str()).collect();
    assert_eq!(figures, ["revenue", "fai-rate", "industry-va"]);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.1[5] == PERIOD && r.1[1] == "石家庄高新区")
    );

    // One error of each kind: every one reported by row and column, nothing written.
    let bad = workbook(&[
        ("sjz-hz", "revenue", PERIOD, Some(10.0)),
        ("sjz-hz", "nope", PERIOD, Some(1.0)),
        ("zd-hz", "revenue", PERIOD, Some(1.0)),
        ("sjz-hz", "fai-rate", "2026/11", Some(1.0)),
        ("sjz-hz", "industry-va", PERIOD, None), // no value: skipped, not an error
    ]);
    let r = upload(&clerk, bad).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"upload-errors\""), "{}", r.body);
    assert!(
        r.body.contains("<td class=\"num\">5</td><td>报告期</td>"),
        "{}",
        r.body
    );
    assert_eq!(
        r.body.matches("<tr><td class=\"num\">").count(),
        1,
        "{}",
        r.body
    );
    assert!(!r.body.contains("upload-confirm"));
    let bad = workbook(&[
        ("sjz-hz", "revenue", PERIOD, Some(10.0)),
        ("sjz-hz", "nope", PERIOD, Some(1.0)),
        ("zd-hz", "revenue", PERIOD, Some(1.0)),
    ]);
    let r = upload(&clerk, bad).await;
    assert!(
        r.body.contains("<td class=\"num\">3</td><td>数据代码</td>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<td class=\"num\">4</td><td>区域代码</td>"),
        "{}",
        r.body
    );
    assert!(
        app.store
            .figure_value("sjz-hz", "revenue", nov())
            .await
            .unwrap()
            .is_none()
    );

    // Hostile files are refused with a reason.
    let r = upload(&clerk, b"PK\x03\x04 not really".to_vec()).await;
    assert!(r.body.contains("不是 .xlsx 工作簿"), "{}", r.body);

    // A good workbook: the dry run lists the rows and writes nothing; confirming imports all.
    let good = workbook(&[
        ("sjz-hz", "revenue", PERIOD, Some(1234.5)),
        ("sjz-hz", "fai-rate", PERIOD, Some(9.5)),
    ]);
    let r = upload(&clerk, good).await;
    assert!(r.body.contains("试导入通过"), "{}", r.body);
    assert!(r.body.contains("1234.5 亿元"));
    assert!(
        app.store
            .figure_value("sjz-hz", "revenue", nov())
            .await
            .unwrap()
            .is_none()
    );
    // The rows wait on the server; the page carries only a token for them.
    assert!(!r.body.contains("textarea"), "{}", r.body);
    let at = r.body.find("name=\"token\" value=\"").unwrap() + "name=\"token\" value=\"".len();
    let token = r.body[at..].split('"').next().unwrap().to_string();
    // Another account cannot confirm it (nor learn whether it exists).
    let other = signed_in(&app, "other", "sjz-hz-admin", RoleKind::Reporter).await;
    let stolen = other
        .post_form("/figures/upload/confirm", &[("token", &token)], None)
        .await;
    assert_eq!(stolen.status, StatusCode::BAD_REQUEST);
    let done = clerk
        .post_form("/figures/upload/confirm", &[("token", &token)], None)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("已导入 2 行"), "{}", done.body);
    let v = stored(&app, "revenue").await;
    assert_eq!((v.value, v.state), (1234.5, FigureState::Submitted));
    // Confirmed once: the token is spent.
    let again = clerk
        .post_form("/figures/upload/confirm", &[("token", &token)], None)
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("已确认过或已过期"), "{}", again.body);
    // The same file again: now under review, so its dry run refuses it, and nothing changes.
    let r = upload(
        &clerk,
        workbook(&[
            ("sjz-hz", "revenue", PERIOD, Some(1234.5)),
            ("sjz-hz", "fai-rate", PERIOD, Some(9.5)),
        ]),
    )
    .await;
    assert!(!r.body.contains("name=\"token\""), "{}", r.body);
    let v = stored(&app, "revenue").await;
    assert_eq!((v.value, v.state), (1234.5, FigureState::Submitted));
}

#[tokio::test]
async fn the_dispatcher_alone_sets_deadlines_and_sample_data_is_marked_everywhere() {
    let app = bare_app().await;
    let clerk = signed_in(&app, "clerk", "sjz-hz-admin", RoleKind::Reporter).await;
    let disp = signed_in(&app, "disp", "dispatch", RoleKind::Dispatcher).await;
    assert_eq!(
        clerk.get("/figures/periods").await.status,
        StatusCode::FORBIDDEN
    );
    // October closed on 15 November; the clerk cannot enter it until the dispatcher reopens it.
    let closed = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", "2026-10"),
                ("action", "save"),
                ("v.revenue", "5"),
            ],
            None,
        )
        .await;
    assert!(
        closed.body.contains("的填报已于 2026年11月15日 23:59 截止"),
        "{}",
        closed.body
    );
    let set = disp
        .post_form(
            "/figures/periods",
            &[("period", "2026-10"), ("until", "2026-12-05")],
            None,
        )
        .await;
    assert!(
        set.body
            .contains("2026-10 的填报截止时间已设为 2026年12月5日 23:59"),
        "{}",
        set.body
    );
    let bad = disp
        .post_form(
            "/figures/periods",
            &[("period", "2026-10"), ("until", "2026-02-30")],
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let open = clerk
        .post_form(
            "/figures",
            &[
                ("unit", "sjz-hz"),
                ("period", "2026-10"),
                ("action", "save"),
                ("v.revenue", "5"),
            ],
            None,
        )
        .await;
    assert!(open.body.contains("已保存 1 项"), "{}", open.body);

    assert!(!disp.get("/monitor").await.body.contains("sample-banner"));
    let plan = app.store.current_plan().await.unwrap().unwrap().plan;
    let rows =
        gaoxin_core::monitor::sample::generate(&plan, YearMonth::new(2024, 1).unwrap(), nov());
    app.store
        .load_sample_figures(&rows, gaoxin_core::time::Timestamp(crate::web::T0))
        .await
        .unwrap();
    for page in [
        "/",
        "/monitor",
        "/monitor/sjz-hz",
        "/figures",
        "/duties",
        "/plan",
    ] {
        let r = disp.get(page).await;
        assert!(r.body.contains("id=\"sample-banner\""), "{page}");
    }
    let (_, status) = disp.json(&format!("/api/v1/status?period={PERIOD}")).await;
    assert_eq!(status["sample_data"], true);
    let s = &status["summary"];
    let total: u64 = ["green", "yellow", "red", "gray"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(total, 11, "6 + 5 targets for 2026");
    assert!(s["green"].as_u64().unwrap() > 0 && s["red"].as_u64().unwrap() > 0);
    let (code, err) = disp.json("/api/v1/status?period=2026-13").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"]["code"], "bad_request");
    let (code, _) = disp.json("/api/v1/cockpit/nowhere").await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    // The trend page draws one chart per target of the year.
    let zone = disp.get(&format!("/monitor/sjz-hz?period={PERIOD}")).await;
    assert_eq!(zone.body.matches("class=\"chart\"").count(), 6);
}

#[tokio::test]
async fn the_zones_are_ranked_and_compared_side_by_side() {
    let base = bare_app().await;
    let d = base
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    // Revenue year to date: 石家庄高新区 100 → 108 (8 % against 9 %: yellow); 正定高新区
    // 50 → 56 (12 % against 12 %: green). Nothing else is reported.
    let m = |y, mo| YearMonth::new(y, mo).unwrap();
    let rows = vec![
        (
            "sjz-hz".to_string(),
            "revenue".to_string(),
            m(2025, 11),
            100.0,
        ),
        (
            "sjz-hz".to_string(),
            "revenue".to_string(),
            m(2026, 11),
            108.0,
        ),
        (
            "zd-hz".to_string(),
            "revenue".to_string(),
            m(2025, 11),
            50.0,
        ),
        (
            "zd-hz".to_string(),
            "revenue".to_string(),
            m(2026, 11),
            56.0,
        ),
    ];
    d.store
        .load_sample_figures(&rows, gaoxin_store::now())
        .await
        .unwrap();
    let page = d.get("/monitor/compare?period=2026-11").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let row = |zone: &str| {
        body.split(&format!("data-zone=\"{zone}\""))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_else(|| panic!("{body}"))
            .to_string()
    };
    // 正定高新区 first: 1 of 1 judged on track (100 %); 石家庄高新区 0 of 1.
    let (zd, sjz) = (row("zd-hz"), row("sjz-hz"));
    assert!(
        zd.starts_with(" data-rank=\"1\"") && zd.contains("100%"),
        "{zd}"
    );
    assert!(
        sjz.starts_with(" data-rank=\"2\"") && sjz.contains(">0%<"),
        "{sjz}"
    );
    assert!(body.find("data-zone=\"zd-hz\"") < body.find("data-zone=\"sjz-hz\""));
    // Revenue growth side by side, each zone ranked by its value.
    let shared = body
        .split("id=\"shared-indicators\"")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .unwrap_or_else(|| panic!("{body}"));
    assert!(shared.contains("营业收入增速"), "{shared}");
    let cells: Vec<&str> = shared.split("<td ").skip(1).collect();
    assert_eq!(cells.len(), 2, "one cell per zone, in plan order");
    assert!(
        cells[0].contains("<b>8%</b>") && cells[0].contains("第2"),
        "{}",
        cells[0]
    );
    assert!(
        cells[1].contains("<b>12%</b>") && cells[1].contains("第1"),
        "{}",
        cells[1]
    );
    // No ledger is kept here: no sub-target has a value to compare.
    assert!(body.contains("各区没有共有且已有数据的项目"));
    assert_eq!(
        d.get("/monitor/compare?period=2026-13").await.status,
        StatusCode::BAD_REQUEST
    );
    assert!(
        d.get("/monitor?period=2026-11")
            .await
            .body
            .contains("/monitor/compare?period=2026-11")
    );
}
