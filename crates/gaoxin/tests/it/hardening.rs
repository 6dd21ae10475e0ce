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
