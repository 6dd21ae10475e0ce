//! The monthly 调度通报 in-process: who reads it, and that the page, the `.docx` and the `.xlsx`
//! say the same; with LibreOffice, that the `.docx` opens, renders to A4 PDF pages and PNG, and
//! reads the same there.

use crate::web::{App, bare_app};
use axum::http::{StatusCode, header};
use calamine::{Reader, Xlsx};
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::time::{Date, Timestamp};
use std::io::{Cursor, Read};
use std::process::Command;

/// A dispatcher and a bureau on an app loaded with every kind of sample data.
async fn apps() -> (App, App) {
    let base = bare_app().await;
    let d = base
        .signed_in("disp", "dispatch", RoleKind::Dispatcher)
        .await;
    let u = base.signed_in("keji", "sci-tech", RoleKind::Reporter).await;
    let plan = Plan::parse(crate::support::SEED_NAME, crate::support::SEED).unwrap();
    let now = Timestamp(d.clock.load(std::sync::atomic::Ordering::SeqCst));
    let figures = gaoxin_core::monitor::sample::generate(
        &plan,
        YearMonth::new(2024, 1).unwrap(),
        YearMonth::of(now),
    );
    d.store.load_sample_figures(&figures, now).await.unwrap();
    let today = Date::of(now);
    let orders = gaoxin_core::supervise::sample::generate(&plan, today);
    d.store
        .load_sample_orders(&plan, &orders, now)
        .await
        .unwrap();
    let items = gaoxin_core::dispatch::sample::generate(&plan, today, 25);
    d.store.load_sample_items(&plan, &items, now).await.unwrap();
    (d, u)
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    gaoxin_docx::document_text(&xml)
}

#[tokio::test]
async fn the_page_the_docx_and_the_xlsx_say_the_same() {
    let (d, u) = apps().await;
    // Only the dispatch office and leaders read it.
    assert_eq!(u.get("/bulletin").await.status, StatusCode::FORBIDDEN);
    assert_eq!(u.get("/bulletin/docx").await.status, StatusCode::FORBIDDEN);
    // …and each refusal is in the audit log, made by the use case that refused.
    let denied = u
        .store
        .audit_events(&gaoxin_store::AuditFilter {
            action: Some("authz.denied".into()),
            account: Some("keji".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // Asked for no month, the bulletin is the current period's: the month just ended.
    let month = YearMonth::current(Timestamp(u.clock.load(std::sync::atomic::Ordering::SeqCst)));
    assert_eq!(
        denied
            .iter()
            .filter(|e| e.target == format!("bulletin:{month}"))
            .count(),
        2,
        "{denied:?}"
    );
    assert!(!u.get("/work").await.body.contains("href=\"/bulletin\""));
    assert_eq!(
        d.get("/bulletin?period=2099-01").await.status,
        StatusCode::BAD_REQUEST
    );

    let page = d.get("/bulletin?period=2026-11").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.body;
    assert!(
        body.contains("id=\"bulletin-sample\""),
        "sample data is marked"
    );
    assert!(body.contains("高新区三年提升工作调度通报") && body.contains("（2026年11月）"));
    assert!(body.contains("数据截至 2026年11月28日 "));
    for section in [
        "bulletin-tasks",
        "bulletin-units",
        "bulletin-shortfalls",
        "bulletin-orders",
        "bulletin-lagging",
        "bulletin-subtargets",
    ] {
        assert!(body.contains(&format!("id=\"{section}\"")), "{section}");
    }
    assert!(body.contains("未报送") && body.contains("逾期报送"));
    assert!(body.contains("逾期"), "an overdue order");
    // Days as the document writes them, not ISO.
    assert!(body.contains("本期报送截止日为 2026年11月25日。"), "{body}");
    assert!(!body.contains("2026-11-25"), "{body}");

    let docx = d.get("/bulletin/docx?period=2026-11").await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(
        docx.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let paragraphs = docx_paragraphs(&docx.bytes);
    assert_eq!(paragraphs[0], gaoxin_core::bulletin::SAMPLE_NOTICE);
    assert_eq!(paragraphs[1], "高新区三年提升工作调度通报");
    assert_eq!(paragraphs[2], "（草稿）", "not published yet");
    assert_eq!(paragraphs[3], "（2026年11月）");
    // Every paragraph and table cell of the document is on the page.
    for p in &paragraphs {
        assert!(body.contains(&html(p)), "the page lacks {p:?}");
    }
    assert!(paragraphs.len() > 40, "{}", paragraphs.len());

    let xlsx = d.get("/bulletin/xlsx?period=2026-11").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.bytes.clone())).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "总体情况",
            "按任务",
            "按单位",
            "逾期和未报送",
            "督办单",
            "滞后指标",
            "量化子目标"
        ]
    );
    for name in names {
        let range = book.worksheet_range(&name).unwrap();
        let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(
            cells.iter().any(|c| c.contains("示例数据")),
            "{name} is marked"
        );
        // Every text cell below the heading rows is in the document too.
        for c in cells
            .iter()
            .skip(4)
            .filter(|c| c.parse::<f64>().is_err() && !c.is_empty())
        {
            if c.starts_with("数据截至") || c.starts_with("示例数据") || *c == "总体情况"
            {
                continue;
            }
            assert!(
                paragraphs.iter().any(|p| p.contains(c.as_str())),
                "{name}: {c:?} not in the docx"
            );
        }
    }

    // Rates and values are numbers in the workbook (shown with their unit), not text.
    let number_in = |book: &mut Xlsx<_>, sheet: &str, col: usize| {
        book.worksheet_range(sheet)
            .unwrap()
            .rows()
            .any(|r| matches!(r.get(col), Some(calamine::Data::Float(_))))
    };
    assert!(number_in(&mut book, "按任务", 5), "报送率 as a number");
    assert!(number_in(&mut book, "滞后指标", 2), "实际 as a number");
    // The first section names who did not report and which orders are overdue.
    assert!(body.contains("未报送的单位："), "{body}");
    assert!(body.contains("逾期的是："), "{body}");

    if !crate::cli::libreoffice(crate::cli::Office::Writer) {
        return;
    }
    let dir = crate::support::TempDir::new();
    let path = dir.path().join("bulletin.docx");
    std::fs::write(&path, &docx.bytes).unwrap();
    let out = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let pdf = dir.path().join("bulletin.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice did not convert: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("595.") && info.contains("841."), "A4: {info}");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
    for p in [
        "高新区三年提升工作调度通报",
        "（2026年11月）",
        "一、总体情况",
        "三、督办情况",
        "四、指标滞后情况",
    ] {
        assert!(text.contains(p), "the PDF lacks {p}");
    }
    assert!(text.contains("—1—"), "page numbers");
    let png = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(png.status.success());
    let first = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .expect("a rendered page");
    assert!(
        std::fs::metadata(first.path()).unwrap().len() > 10_000,
        "the page has content"
    );
    if let Some(keep) = std::env::var_os("GAOXIN_KEEP_BULLETIN") {
        std::fs::copy(&pdf, std::path::Path::new(&keep).join("bulletin.pdf")).unwrap();
        std::fs::copy(
            first.path(),
            std::path::Path::new(&keep).join("bulletin-page1.png"),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn a_published_bulletin_is_numbered_frozen_sent_and_read_by_every_unit() {
    let (d, u) = apps().await;
    // A draft: the bureau may not read it, nor publish it; the office sees the publish button.
    assert_eq!(
        u.get("/bulletin?period=2026-11").await.status,
        StatusCode::FORBIDDEN
    );
    let draft = d.get("/bulletin?period=2026-11").await.body;
    assert!(draft.contains("id=\"bulletin-draft\"") && draft.contains("id=\"bulletin-publish\""));
    let forged = u
        .post_form("/bulletin/publish", &[("period", "2026-11")], None)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // The office publishes: 第 1 期 of 2026, its office and day, the distribution list.
    let r = d
        .post_form("/bulletin/publish", &[("period", "2026-11")], None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/bulletin?period=2026-11&published=1");
    let issued = d.get(r.location()).await.body;
    assert!(issued.contains("已发布：〔2026〕第1期"), "{issued}");
    assert!(!issued.contains("id=\"bulletin-draft\""));
    assert!(issued.contains("id=\"bulletin-number\">〔2026〕第1期<"));
    assert!(issued.contains("分送："), "{issued}");
    // Every unit is told, and now reads it.
    let inbox = u.get("/inbox").await.body;
    assert!(inbox.contains("调度通报已印发"), "{inbox}");
    assert!(inbox.contains("/bulletin?period=2026-11"));
    let read = u.get("/bulletin?period=2026-11").await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains("〔2026〕第1期"));
    let docx = u.get("/bulletin/docx?period=2026-11").await;
    assert_eq!(docx.status, StatusCode::OK);
    let paragraphs = docx_paragraphs(&docx.bytes);
    assert_eq!(paragraphs[2], "〔2026〕第1期");
    assert_eq!(
        paragraphs[3], "调度办　2026年11月28日",
        "the issuing office and day"
    );
    assert!(paragraphs.iter().any(|p| p.starts_with("分送：")));

    // The data changes after publication: 正定县, which had not reported, files its report. The
    // published bulletin does not change; the page and the document read as issued.
    let before = read.body.clone();
    let items = d
        .store
        .work_items(
            &Plan::parse(crate::support::SEED_NAME, crate::support::SEED).unwrap(),
            &d.store.account("disp").await.unwrap().unwrap(),
            None,
            None,
        )
        .await
        .unwrap();
    let item = items
        .iter()
        .find(|i| i.responsible().contains(&"zd-gov".to_string()))
        .expect("a sample item of 正定县");
    let county = d.signed_in("zdx", "zd-gov", RoleKind::Reporter).await;
    let filed = county
        .post_form(
            &format!("/work/{}/report", item.id),
            &[
                ("period", "2026-11"),
                ("done", "补报本月进展"),
                ("reached", "1"),
                ("behind_reason", "设备到货推迟"),
                ("next_steps", "下月初启动建设"),
            ],
            None,
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    // Built now, the month's bulletin would read differently (the bureau's report is in);
    // the issue, stored as it stood, does not.
    let plan = Plan::parse(crate::support::SEED_NAME, crate::support::SEED).unwrap();
    let disp = d.store.account("disp").await.unwrap().unwrap();
    let now = Timestamp(d.clock.load(std::sync::atomic::Ordering::SeqCst));
    let nov = YearMonth::new(2026, 11).unwrap();
    let live = gaoxin_app::bulletin::assemble(
        &gaoxin_app::Acting::account(&d.store, &plan, &disp, now),
        nov,
        true,
    )
    .await
    .unwrap();
    let stored = d.store.bulletin_issue(nov).await.unwrap().unwrap();
    assert_ne!(live.by_unit, stored.by_unit, "the data did change");
    assert_eq!(stored.issued.as_ref().map(|i| i.number), Some(1));
    let after = u.get("/bulletin?period=2026-11").await.body;
    let strip = |s: &str| {
        s.split("<article")
            .nth(1)
            .and_then(|a| a.split("</article>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        strip(&before),
        strip(&after),
        "the issued bulletin is frozen"
    );
    assert_eq!(
        u.get("/bulletin/docx?period=2026-11").await.bytes,
        docx.bytes
    );
    // Published once: a second publication is refused with its number; the row cannot change.
    let again = d
        .post_form("/bulletin/publish", &[("period", "2026-11")], None)
        .await;
    assert_eq!(again.location(), "/bulletin?period=2026-11&already=1");
    assert!(
        d.get(again.location())
            .await
            .body
            .contains("此前已发布（第 1 期）")
    );
    let changed =
        gaoxin_store::testing::execute(&d.store, "UPDATE bulletin_issues SET content = '{}'").await;
    assert!(changed.is_err(), "append-only");
    // October is the year's second.
    let r = d
        .post_form("/bulletin/publish", &[("period", "2026-10")], None)
        .await;
    assert_eq!(r.location(), "/bulletin?period=2026-10&published=1");
    assert!(d.get(r.location()).await.body.contains("〔2026〕第2期"));
    // The issue as PDF, for leaders who print or forward it — where LibreOffice is installed
    // (CI installs it); elsewhere there is no link and no PDF.
    if crate::cli::libreoffice(crate::cli::Office::Writer) {
        assert!(read.body.contains("id=\"bulletin-pdf\""));
        let pdf = u.get("/bulletin/pdf?period=2026-11").await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
        let dir = crate::support::TempDir::new();
        let path = dir.path().join("issue.pdf");
        std::fs::write(&path, &pdf.bytes).unwrap();
        let info = Command::new("pdfinfo").arg(&path).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("595.") && info.contains("841."), "A4: {info}");
        let text = Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
        for p in [
            "高新区三年提升工作调度通报",
            "〔2026〕第1期",
            "调度办2026年11月28日",
            "分送：",
        ] {
            assert!(text.contains(p), "{p} not in the PDF: {text}");
        }
    } else {
        assert!(!read.body.contains("id=\"bulletin-pdf\""));
    }
    // The publication is audited.
    let events = d
        .store
        .audit_events(&gaoxin_store::AuditFilter {
            action: Some("bulletin.publish".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
}

/// Laid out by LibreOffice (the PDF), a number in a Chinese paragraph is never split across two
/// lines, wherever along a line it falls: each paragraph below puts the same numbers one
/// character further on, and every run of digits on the page is one of them, whole; and an
/// order number stays on one line of the orders table.
#[test]
fn numbers_and_order_numbers_stay_whole_in_the_laid_out_document() {
    if !crate::cli::libreoffice(crate::cli::Office::Writer) {
        return;
    }
    const N: usize = 30;
    let b = gaoxin_core::bulletin::Bulletin {
        title: "通报".into(),
        heading: "通报".into(),
        issue: String::new(),
        plan_title: "方案".into(),
        period: "2026-11".into(),
        cutoff: String::new(),
        sample: false,
        summary: (0..N)
            .map(|k| {
                format!(
                    "{}督办〔2026〕12号涉及 315 家企业，截至2026年12月31日，占 45.75%。",
                    "测".repeat(k)
                )
            })
            .collect(),
        by_task: Vec::new(),
        by_unit: Vec::new(),
        shortfalls: Vec::new(),
        // An order number of three digits in the orders table: its column holds it whole.
        orders: vec![gaoxin_core::bulletin::OrderLine {
            number: "督办〔2026〕128号".into(),
            title: "对接活动场次不足，请报送第四季度计划".into(),
            assignee: "市科技局".into(),
            deadline: "2026年12月31日".into(),
            state: "办理中".into(),
            light: "红".into(),
            light_code: "red".into(),
        }],
        lagging: Vec::new(),
        subtargets: Vec::new(),
        issued: None,
    };
    let dir = crate::support::TempDir::new();
    let docx = dir.path().join("numbers.docx");
    std::fs::write(&docx, gaoxin_docx::bulletin_docx(&b).unwrap()).unwrap();
    crate::cli::convert(dir.path(), &docx, "pdf");
    let text = Command::new("pdftotext")
        .arg(dir.path().join("numbers.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.lines()
            .any(|l| l.replace(' ', "").contains("督办〔2026〕128号")),
        "the order number on one line of its cell: {text}"
    );
    // The paragraphs, line by line (not the page numbers — —1— — nor the headings).
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("总体情况"))
        .skip(1)
        .take_while(|l| !l.contains("督办情况"))
        .filter(|l| !l.trim().is_empty() && !l.contains('—'))
        .collect();
    assert!(lines.len() > N, "the paragraphs wrap: {text}");
    let mut runs: Vec<String> = Vec::new();
    for l in &lines {
        let mut run = String::new();
        for c in l.chars().chain([' ']) {
            if c.is_ascii_digit() || (c == '.' && !run.is_empty()) {
                run.push(c);
            } else if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
    }
    for r in &runs {
        assert!(
            ["2026", "12", "315", "31", "45.75"].contains(&r.as_str()),
            "a number split across lines: {r}\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(runs.len(), N * 7, "{}", lines.join("\n"));
}
