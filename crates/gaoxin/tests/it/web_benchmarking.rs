//! 对标分析 in-process, on SQLite (and PostgreSQL when configured): the peer template, an upload's
//! dry run with errors by row and heading, the all-or-nothing confirmation, the page and the API
//! reading what was written, who may see and enter what, the cockpit's estimate line, and a real
//! workbook refused into a sample peer set.

use crate::web::{App, bare_app};
use axum::http::StatusCode;
use gaoxin_core::auth::RoleKind;
use gaoxin_excel::{PeerTemplate, PeerTemplateRow};

const NATIONAL_2024: &str = include_str!("../../../../plans/evaluations/national-2024.toml");
const NATIONAL_2021: &str = include_str!("../../../../plans/evaluations/national-2021.toml");
const PROVINCE: &str = include_str!("../../../../plans/evaluations/hebei-provincial.toml");

async fn with_frameworks() -> App {
    let app = bare_app().await;
    for (name, src) in [
        ("n21", NATIONAL_2021),
        ("n24", NATIONAL_2024),
        ("p", PROVINCE),
    ] {
        app.store
            .load_framework(name, src, None, gaoxin_store::now())
            .await
            .unwrap();
    }
    app
}

/// A workbook of national-2024 values (four indicators) for 2025.
fn workbook(rows: &[(&str, &str, Option<u32>, [&str; 4])]) -> Vec<u8> {
    // The plan's zone also has its dimension rank from its result letter.
    let framework = gaoxin_core::benchmarking::Framework::parse("n24", NATIONAL_2024).unwrap();
    let headings = gaoxin_core::benchmarking::sheet::headings(&framework, 2026);
    let template = PeerTemplate {
        title: "test".into(),
        headings,
        rows: rows
            .iter()
            .map(|(zone, source, rank, values)| PeerTemplateRow {
                zone: zone.to_string(),
                source: source.to_string(),
                rank: *rank,
                dimension_ranks: vec![(*zone == "石家庄高新区").then_some(4)],
                item_ranks: (0..6)
                    .map(|i| (i == 0 && *zone == "石家庄高新区").then_some(12))
                    .collect(),
                values: values.iter().map(|v| v.parse().ok()).collect(),
            })
            .collect(),
        instructions: Vec::new(),
        sample: false,
    };
    gaoxin_excel::peer_template(&template).unwrap()
}

fn token_of(body: &str) -> String {
    let at = body.find("name=\"token\" value=\"").expect("a token") + 20;
    body[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn the_dispatch_office_enters_peers_and_everyone_reads_the_estimate_they_may() {
    let app = with_frameworks().await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let boss = app.signed_in("boss", "dispatch", RoleKind::Leader).await;
    let clerk = app.signed_in("clerk", "sci-tech", RoleKind::Reporter).await;

    let list = disp.get("/benchmarking").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("/benchmarking/sjz-hz") && list.body.contains("bm-enter-peers"));
    assert!(
        !boss
            .get("/benchmarking")
            .await
            .body
            .contains("bm-enter-peers")
    );
    let none = disp
        .get("/benchmarking/sjz-hz?framework=national-2024")
        .await;
    assert!(none.body.contains("还没有对标数据"), "{}", none.body);

    // The template: headings and the plan's zone, nothing else yet.
    let t = disp
        .get("/benchmarking/peers/template?framework=national-2024&year=2025")
        .await;
    assert_eq!(t.status, StatusCode::OK);
    let rows = gaoxin_excel::read_rows(&t.bytes, &gaoxin_excel::Limits::PEERS).unwrap();
    assert_eq!(rows[1].1[0], "高新区");
    assert!(rows[1].1[2].contains("2026 年评价"));
    assert_eq!(rows[2].1[0], "石家庄高新区");
    assert_eq!(rows.len(), 3);

    // A workbook with a heading that is no indicator of the framework, and values without a
    // source: the dry run names the heading, nothing is kept. (Bad numbers and the other row
    // errors are covered cell by cell in core's sheet tests.)
    let bad_bytes = {
        let framework = gaoxin_core::benchmarking::Framework::parse("n24", NATIONAL_2024).unwrap();
        let mut headings = gaoxin_core::benchmarking::sheet::headings(&framework, 2026);
        headings.push("9.9 不存在的指标".into());
        gaoxin_excel::peer_template(&PeerTemplate {
            title: "bad".into(),
            headings,
            rows: vec![PeerTemplateRow {
                zone: "石家庄高新区".into(),
                source: String::new(),
                rank: None,
                dimension_ranks: vec![None],
                item_ranks: vec![None; 6],
                values: vec![Some(1.0); 5],
            }],
            instructions: Vec::new(),
            sample: false,
        })
        .unwrap()
    };
    let dry = disp
        .upload(
            "/benchmarking/peers/upload?framework=national-2024&year=2025",
            "bad.xlsx",
            bad_bytes,
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK);
    assert!(dry.body.contains("upload-errors"), "{}", dry.body);
    assert!(dry.body.contains("9.9 不存在的指标"));
    assert!(!dry.body.contains("name=\"token\""));

    // A good one: dry run, then confirmation.
    let good = workbook(&[
        (
            "石家庄高新区",
            "《中国火炬统计年鉴 2025》",
            Some(2),
            ["20", "60", "25", "100"],
        ),
        (
            "甲高新区",
            "《中国火炬统计年鉴 2025》",
            Some(3),
            ["10", "50", "20", "50"],
        ),
        (
            "乙高新区",
            "《中国火炬统计年鉴 2025》",
            Some(1),
            ["30", "70", "30", "150"],
        ),
    ]);
    let dry = disp
        .upload(
            "/benchmarking/peers/upload?framework=national-2024&year=2025",
            "peers.xlsx",
            good,
        )
        .await;
    assert!(
        dry.body
            .contains("试导入通过，尚未写入：3 个高新区、12 个数值、3 个公布名次"),
        "{}",
        dry.body
    );
    let token = token_of(&dry.body);
    assert!(
        app.store
            .peer_values("national", "national-2024", 2025)
            .await
            .unwrap()
            .is_empty(),
        "nothing written by a dry run"
    );
    let done = disp
        .post_form(
            "/benchmarking/peers/confirm",
            &[
                ("token", &token),
                ("framework", "national-2024"),
                ("year", "2025"),
            ],
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(
        done.body
            .contains("已导入：3 个高新区（新增 3 个）、12 个数值、3 个公布名次"),
        "{}",
        done.body
    );
    // The same token twice: gone.
    let again = disp
        .post_form(
            "/benchmarking/peers/confirm",
            &[
                ("token", &token),
                ("framework", "national-2024"),
                ("year", "2025"),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);

    // The page and the API read it: the plan's zone in the middle on everything.
    let page = boss
        .get("/benchmarking/sjz-hz?framework=national-2024")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("第 2 名（共 3 个高新区）"),
        "{}",
        page.body
    );
    assert!(page.body.contains("来源：《中国火炬统计年鉴 2025》"));
    assert!(
        page.body.contains("公布的 2026 年评价结果：第 2 名"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("公布第 4 名"),
        "the dimension rank of the result letter"
    );
    assert!(
        page.body.contains("平均差 0.0 名"),
        "calibrated against the published ranks"
    );
    let what_if = boss
        .get("/benchmarking/sjz-hz?framework=national-2024&v.value-added-city-share=99&v.manufacturing-services-share=99&v.manufacturing-va-rate=99&v.revenue-net-increase=999")
        .await;
    assert!(what_if.body.contains("第 1 名（共 3 个高新区）"));
    assert!(what_if.body.contains("bm-what-if"));
    let api = boss
        .get("/api/v1/benchmark/sjz-hz?framework=national-2024")
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(
        (json["rank"].as_u64(), json["estimate"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(
        (json["data_year"].as_i64(), json["result_year"].as_i64()),
        (Some(2025), Some(2026))
    );
    assert!((json["composite"].as_f64().unwrap() - 50.0).abs() < 1e-9);
    let bad_method = boss.get("/api/v1/benchmark/sjz-hz?method=best").await;
    assert_eq!(bad_method.status, StatusCode::BAD_REQUEST);
    let province = boss.get("/api/v1/benchmark/zd-hz").await;
    assert_eq!(province.status, StatusCode::NOT_FOUND);
    assert!(province.body.contains("not_available"));

    // The report, as Word and as Excel, says what the page says; LibreOffice opens both.
    let docx = boss
        .get("/benchmarking/sjz-hz/docx?framework=national-2024")
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    let paragraphs = {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx.bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        gaoxin_docx::document_text(&xml).join("\n")
    };
    for p in [
        "石家庄高新区对标分析报告",
        "一、总体情况",
        "居第 2 名",
        "三、补强重点",
        "四、各指标位置",
        "平均相差 0.0 名",
    ] {
        assert!(paragraphs.contains(p), "{p} not in: {paragraphs}");
    }
    let xlsx = boss
        .get("/benchmarking/sjz-hz/xlsx?framework=national-2024")
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let first = gaoxin_excel::read_rows(&xlsx.bytes, &gaoxin_excel::Limits::PEERS).unwrap();
    assert_eq!(first[0].1[0], "石家庄高新区对标分析报告");
    assert!(first.iter().any(|(_, r)| r[0].contains("居第 2 名")));
    assert_eq!(
        clerk.get("/benchmarking/sjz-hz/docx").await.status,
        StatusCode::NOT_FOUND
    );
    if crate::cli::libreoffice(crate::cli::Office::Writer)
        && crate::cli::libreoffice(crate::cli::Office::Calc)
    {
        let dir = crate::support::TempDir::new();
        for (name, bytes, to) in [
            ("report.docx", &docx.bytes, "pdf"),
            ("sheet.xlsx", &xlsx.bytes, "pdf"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let out = std::process::Command::new("soffice")
                .args(["--headless", "--convert-to", to, "--outdir"])
                .arg(dir.path())
                .arg(&path)
                .env("HOME", dir.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let text = std::process::Command::new("pdftotext")
            .arg(dir.path().join("report.pdf"))
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
        assert!(text.contains("石家庄高新区对标分析报告"), "{text}");
        assert!(text.contains("—1—"), "page numbers");
        assert!(
            dir.path().join("sheet.pdf").exists(),
            "the workbook opens in Calc"
        );
        if let Some(keep) = std::env::var_os("GAOXIN_KEEP_REPORT") {
            std::fs::copy(
                dir.path().join("report.pdf"),
                std::path::Path::new(&keep).join("report.pdf"),
            )
            .unwrap();
        }
    }

    // The cockpit shows the estimate of the framework the plan names (national-2021: no values
    // yet, so no line) — and once the plan's framework has values it would; the 2024 revision's
    // estimate is on its own page.
    let cockpit = boss.get("/monitor?period=2026-11").await;
    assert_eq!(cockpit.status, StatusCode::OK);
    assert!(!cockpit.body.contains("estimate-sjz-hz"));

    // Rights: another unit's reporter sees no zone's analysis and enters nothing; a leader reads
    // but does not enter.
    assert!(
        !clerk
            .get("/benchmarking")
            .await
            .body
            .contains("/benchmarking/sjz-hz")
    );
    assert_eq!(
        clerk.get("/benchmarking/sjz-hz").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        clerk.get("/api/v1/benchmark/sjz-hz").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        boss.get("/benchmarking/peers").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        boss.get("/benchmarking/peers/template?framework=national-2024&year=2025")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The template now holds what was written.
    let t = disp
        .get("/benchmarking/peers/template?framework=national-2024&year=2025")
        .await;
    let rows = gaoxin_excel::read_rows(&t.bytes, &gaoxin_excel::Limits::PEERS).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[2].1[..3],
        [
            "石家庄高新区".to_string(),
            "《中国火炬统计年鉴 2025》".into(),
            "2".into()
        ]
    );
}

#[tokio::test]
async fn the_cockpit_shows_the_estimate_and_a_real_workbook_is_refused_into_sample_peers() {
    let app = with_frameworks().await;
    let disp = app
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    // A generated national set (示例数据) for the framework the plan names.
    let framework = gaoxin_core::benchmarking::Framework::parse("n21", NATIONAL_2021).unwrap();
    crate::support::load_sample_peers(&app.store, &framework, 40, 7).await;
    let cockpit = disp.get("/monitor?period=2026-11").await;
    assert!(
        cockpit.body.contains("id=\"estimate-sjz-hz\""),
        "{}",
        cockpit.body
    );
    assert!(
        cockpit
            .body
            .contains("2025 年数据、2026 年评价；目标：2027 年前 20 名")
    );
    assert!(!cockpit.body.contains("id=\"estimate-zd-hz\""));
    let zone = disp.get("/monitor/sjz-hz?period=2026-11").await;
    assert!(zone.body.contains("id=\"estimate-sjz-hz\""));

    let good = workbook(&[("石家庄高新区", "年鉴", None, ["20", "60", "25", "100"])]);
    let dry = disp
        .upload(
            "/benchmarking/peers/upload?framework=national-2024&year=2025",
            "peers.xlsx",
            good,
        )
        .await;
    assert!(dry.body.contains("示例数据"), "{}", dry.body);
    assert!(!dry.body.contains("name=\"token\""));
}
