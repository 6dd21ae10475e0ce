//! Ledger workbooks: the template for each ledger (drop-downs for coded fields, an instructions
//! sheet, an example row marked 示例), the export of a filtered list, and reading an upload's
//! cells with their types (a date stays a date, a number a number) for normalisation in core.

use crate::{ExcelError, Limits};
use calamine::Data;
use gaoxin_core::Plan;
use gaoxin_core::ledger::sheet::{EXAMPLE_HEADING, EXAMPLE_MARK, example, heading};
use gaoxin_core::ledger::value::{Cell, expected, looks_like_formula};
use gaoxin_core::ledger::{FieldKind, Ledger, Record, choices};
use rust_xlsxwriter::{
    DataValidation, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

impl Limits {
    /// A ledger workbook uploaded in the browser.
    pub const LEDGER: Limits = Limits {
        max_bytes: 20 * 1024 * 1024,
        max_entries: 100,
        max_uncompressed: 400 * 1024 * 1024,
        max_ratio: 150,
        max_rows: 50_000,
        max_cells: 50_000 * 40,
    };

    /// A ledger workbook imported at the console (`gaoxin import`).
    pub const LEDGER_CONSOLE: Limits = Limits {
        max_bytes: 200 * 1024 * 1024,
        max_entries: 100,
        max_uncompressed: 2 * 1024 * 1024 * 1024,
        max_ratio: 150,
        max_rows: 1_048_575,
        max_cells: 1_048_575 * 40,
    };
}

/// The rows the template's drop-downs cover.
const TEMPLATE_ROWS: u32 = 20_000;

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_string()),
        Data::DateTime(dt) => Cell::Date(dt.as_f64()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// The first worksheet's cells, each row with its number in the sheet (1-based), after
/// [`check`]; rows without a value are left out.
pub fn read_cells(bytes: &[u8], limits: &Limits) -> Result<Vec<(usize, Vec<Cell>)>, ExcelError> {
    crate::sheet_rows(bytes, limits, |d| cell_of(&d))
}

/// [`read_cells`] one row at a time, as the sheet is read (`each` returning `false` stops it):
/// memory holds a row, not the sheet. Rows out of order are refused (`RowsOutOfOrder`).
pub fn stream_cells(
    bytes: &[u8],
    limits: &Limits,
    each: impl FnMut(usize, Vec<Cell>) -> bool,
) -> Result<(), ExcelError> {
    crate::stream_rows(bytes, limits, |d| cell_of(&d), each)
}

struct Formats {
    head: Format,
    text: Format,
    date: Format,
    number: Format,
    example: Format,
    /// Text a spreadsheet would otherwise take for a formula (`=…`, `+…`, `-…`, `@…`).
    quoted: Format,
}

fn formats() -> Formats {
    Formats {
        head: Format::new()
            .set_bold()
            .set_background_color("#E6EEF8")
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center),
        text: Format::new().set_num_format("@"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        number: Format::new(),
        example: Format::new()
            .set_italic()
            .set_font_color("#7A869A")
            .set_background_color("#F4F6F9")
            .set_num_format("@"),
        quoted: Format::new().set_quote_prefix(),
    }
}

fn sheet_name(l: &Ledger) -> String {
    l.zh.chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

fn column_width(kind: FieldKind) -> f64 {
    match kind {
        FieldKind::Uscc | FieldKind::Ref(_) => 22.0,
        FieldKind::Text { max } if max > 60 => 30.0,
        FieldKind::Date => 12.0,
        FieldKind::Flag | FieldKind::Year | FieldKind::Count => 10.0,
        _ => 16.0,
    }
}

fn headings(sheet: &mut Worksheet, l: &Ledger, f: &Formats) -> Result<(), ExcelError> {
    for (c, field) in l.fields.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, heading(field), &f.head)?;
        sheet.set_column_width(c, column_width(field.kind))?;
        match field.kind {
            FieldKind::Uscc | FieldKind::Ref(_) | FieldKind::Text { .. } => {
                sheet.set_column_format(c, &f.text)?;
            }
            FieldKind::Date => {
                sheet.set_column_format(c, &f.date)?;
            }
            _ => {}
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A ledger's template: sheet one to fill (headings, drop-downs, the example row), sheet two the
/// instructions.
pub fn ledger_template(plan: &Plan, l: &Ledger, sample: bool) -> Result<Vec<u8>, ExcelError> {
    let mut book = Workbook::new();
    let f = formats();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(l))?;
    headings(sheet, l, &f)?;
    let mark_col = l.fields.len() as u16;
    sheet.write_string_with_format(0, mark_col, EXAMPLE_HEADING, &f.head)?;
    sheet.set_column_width(mark_col, 8)?;
    for (c, cell) in example(plan, l).iter().enumerate() {
        if let Cell::Text(s) = cell {
            sheet.write_string_with_format(1, c as u16, s, &f.example)?;
        }
    }
    sheet.write_string_with_format(1, mark_col, EXAMPLE_MARK, &f.example)?;
    for (c, field) in l.fields.iter().enumerate() {
        if let Some(list) = choices(plan, field.kind) {
            let v = DataValidation::new()
                .allow_list_strings(&list)?
                .set_error_title("请从下拉列表中选择")?
                .set_error_message(format!("“{}”应为：{}", field.zh, list.join("、")))?;
            sheet.add_data_validation(1, c as u16, TEMPLATE_ROWS, c as u16, &v)?;
        }
    }

    let notes = book.add_worksheet();
    notes.set_name("填写说明")?;
    notes.set_column_width(0, 24)?;
    notes.set_column_width(1, 8)?;
    notes.set_column_width(2, 90)?;
    let bold = Format::new().set_bold();
    notes.write_string_with_format(0, 0, format!("{}台账 填写说明", l.zh), &bold)?;
    notes.write_string(1, 0, l.about)?;
    let mut row = 2;
    if sample {
        notes.write_string_with_format(
            row,
            0,
            "示例数据：本系统当前载入了示例数据，页面上的记录不是真实台账。",
            &bold,
        )?;
        row += 1;
    }
    for line in [
        "第一张表第 2 行是示例（最后一列写着“示例”），导入时跳过：可以删除，也可以保留。",
        "带 * 的列必须填写。列的顺序可以调整，表头文字不能改。",
        "数字可以带千位分隔符或全角数字；金额可写“万元”“亿元”；日期可写 2025-03-01、2025/3/1、2025年3月1日或 Excel 日期。导入前的检查会列出每一处换算。",
        "同一记录（按下列关键列判断）再次导入时更新原记录；完全相同的记录不变；同一个文件不能导入两次。",
    ] {
        notes.write_string(row, 0, line)?;
        row += 1;
    }
    let keys: Vec<&str> = l
        .key
        .iter()
        .filter_map(|k| l.field(k).map(|f| f.zh))
        .collect();
    notes.write_string(row, 0, format!("关键列：{}", keys.join("、")))?;
    row += 2;
    for (c, h) in ["列", "必填", "填写要求"].iter().enumerate() {
        notes.write_string_with_format(row, c as u16, *h, &f.head)?;
    }
    row += 1;
    for field in l.fields {
        notes.write_string(row, 0, field.zh)?;
        notes.write_string(row, 1, if field.required { "是" } else { "否" })?;
        let (what, _) = expected(field.kind);
        let text = if field.hint.is_empty() {
            what
        } else {
            format!("{what}。{}", field.hint)
        };
        notes.write_string(row, 2, text)?;
        row += 1;
    }
    Ok(book.save_to_buffer()?)
}

/// A filtered list as a workbook with the template's headings, so an export edited and uploaded
/// again updates the same records. Numbers stay numbers, dates dates; text that a spreadsheet
/// would run as a formula is stored with a quote prefix, so Excel and WPS show it as text and
/// keep it text when the cell is edited.
pub fn ledger_export(
    plan: &Plan,
    l: &Ledger,
    records: &[Record],
    sample: bool,
) -> Result<Vec<u8>, ExcelError> {
    let mut book = Workbook::new();
    let f = formats();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(l))?;
    headings(sheet, l, &f)?;
    for (i, record) in records.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, field) in l.fields.iter().enumerate() {
            let c = c as u16;
            let Some(v) = record.values.get(c as usize).filter(|v| !v.is_empty()) else {
                continue;
            };
            match field.kind {
                FieldKind::Amount { .. }
                | FieldKind::Signed { .. }
                | FieldKind::Count
                | FieldKind::Year => {
                    match v.parse::<f64>() {
                        Ok(n) => sheet.write_number_with_format(row, c, n, &f.number)?,
                        Err(_) => sheet.write_string_with_format(row, c, v, &f.text)?,
                    };
                }
                FieldKind::Date => match ExcelDateTime::parse_from_str(v) {
                    Ok(d) => {
                        sheet.write_datetime_with_format(row, c, &d, &f.date)?;
                    }
                    Err(_) => {
                        sheet.write_string_with_format(row, c, v, &f.text)?;
                    }
                },
                FieldKind::Unit => {
                    let name = plan.unit(v).map_or(v.as_str(), |u| u.name.as_str());
                    sheet.write_string(row, c, name)?;
                }
                _ if looks_like_formula(v) => {
                    sheet.write_string_with_format(row, c, v, &f.quoted)?;
                }
                _ => {
                    sheet.write_string_with_format(row, c, v, &f.text)?;
                }
            }
        }
    }
    if sample {
        let notes = book.add_worksheet();
        notes.set_name("说明")?;
        notes.write_string(
            0,
            0,
            "示例数据：本系统当前载入了示例数据，表中记录不是真实台账。",
        )?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use gaoxin_core::ledger::sheet::parse;
    use gaoxin_core::ledger::{LEDGERS, check};
    use std::io::{Cursor, Read};

    fn plan() -> Plan {
        Plan::parse(
            "seed.toml",
            include_str!("../../../plans/shijiazhuang-2025-2027.toml"),
        )
        .unwrap()
    }

    /// One part of a workbook package, as text.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn every_template_reads_back_as_its_own_ledger_with_only_the_example_row() {
        let plan = plan();
        for l in LEDGERS {
            let bytes = ledger_template(&plan, l, false).unwrap();
            let cells = read_cells(&bytes, &Limits::LEDGER).unwrap();
            let parsed = parse(&plan, l, &cells);
            assert!(parsed.errors.is_empty(), "{}: {:?}", l.id, parsed.errors);
            assert_eq!((parsed.rows.len(), parsed.example_rows), (0, 1), "{}", l.id);
            // The template's drop-downs and instructions are there.
            let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
            let coded = l
                .fields
                .iter()
                .filter(|f| choices(&plan, f.kind).is_some())
                .count();
            assert_eq!(sheet.matches("<dataValidation ").count(), coded, "{}", l.id);
        }
    }

    #[test]
    fn an_export_keeps_numbers_dates_and_escapes_formulas_and_reads_back_the_same() {
        let plan = plan();
        let l = Ledger::find("projects").unwrap();
        let mut cells = example(&plan, l);
        cells[0] = Cell::Text("=HYPERLINK(\"http://evil\",\"点我\")".into());
        cells[1] = Cell::Text("@SUM(1+1)".into());
        let (record, _) = check(&plan, l, &cells).unwrap();
        let bytes = ledger_export(&plan, l, std::slice::from_ref(&record), false).unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(!sheet.contains("<f>"), "no cell is a formula");
        assert!(part(&bytes, "xl/styles.xml").contains("quotePrefix=\"1\""));
        let read = read_cells(&bytes, &Limits::LEDGER).unwrap();
        assert_eq!(
            read[1].1[0],
            Cell::Text("=HYPERLINK(\"http://evil\",\"点我\")".into())
        );
        // The amount is a number, the date a date.
        assert_eq!(read[1].1[6], Cell::Number(120_000.0));
        assert!(matches!(read[1].1[5], Cell::Date(_)));
        let parsed = parse(&plan, l, &read);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows[0].record, record);
    }
}

#[cfg(test)]
mod libreoffice {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// LibreOffice opens every template with its headings and example row. Skipped where
    /// LibreOffice is not installed, unless GAOXIN_TEST_LIBREOFFICE is set (as CI does).
    #[test]
    fn libreoffice_opens_every_template_with_the_same_content() {
        let soffice = std::process::Command::new("soffice")
            .arg("--version")
            .output()
            .is_ok();
        // Calc's library sits beside the soffice program; Writer alone cannot open a workbook.
        let calc = soffice
            && std::fs::canonicalize("/usr/bin/soffice")
                .ok()
                .and_then(|p| p.parent().map(|d| d.join("libsclo.so")))
                .is_some_and(|p| p.exists());
        if std::env::var_os("GAOXIN_TEST_LIBREOFFICE").is_some() {
            assert!(
                calc,
                "GAOXIN_TEST_LIBREOFFICE is set but LibreOffice Calc is not installed \
                 (apt-get install libreoffice-calc-nogui)"
            );
        }
        if !calc {
            eprintln!("skipped: LibreOffice Calc is not installed");
            return;
        }
        let plan = Plan::parse(
            "seed.toml",
            include_str!("../../../plans/shijiazhuang-2025-2027.toml"),
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("gaoxin-lo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Vec::new();
        for l in gaoxin_core::ledger::LEDGERS {
            let path = dir.join(format!("{}.xlsx", l.id));
            std::fs::write(&path, ledger_template(&plan, l, false).unwrap()).unwrap();
            files.push(path);
        }
        let out = std::process::Command::new("soffice")
            // A profile of its own, so parallel runs do not wait on each other's.
            .arg(format!(
                "-env:UserInstallation=file://{}/profile",
                dir.display()
            ))
            .args([
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
            ])
            .arg(&dir)
            .args(&files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for l in gaoxin_core::ledger::LEDGERS {
            let csv = std::fs::read_to_string(dir.join(format!("{}.csv", l.id))).unwrap();
            let mut lines = csv.lines();
            let head: Vec<String> = l.fields.iter().map(heading).collect();
            assert_eq!(
                lines.next().unwrap(),
                format!("{},{EXAMPLE_HEADING}", head.join(",")),
                "{}",
                l.id
            );
            assert!(
                lines.next().unwrap().ends_with(&format!(",{EXAMPLE_MARK}")),
                "{}",
                l.id
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod bomb {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::tests::peak_kb;
    use std::io::{Cursor, Write};

    /// A 300 MB worksheet of zeros, deflated to a few hundred kilobytes, written without ever
    /// holding it in memory.
    fn bomb() -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/workbook.xml", deflated).unwrap();
        w.write_all(b"<workbook/>").unwrap();
        w.start_file("xl/worksheets/sheet1.xml", deflated.large_file(false))
            .unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..300 {
            w.write_all(&zeros).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_inflated_at_bounded_memory() {
        let bytes = bomb();
        assert!(bytes.len() < 2 * 1024 * 1024, "{} bytes", bytes.len());
        let before = peak_kb();
        // Within both size limits uncompressed: its compression ratio is what refuses it.
        for limits in [Limits::LEDGER, Limits::LEDGER_CONSOLE] {
            let refused = read_cells(&bytes, &limits);
            assert!(
                matches!(refused, Err(ExcelError::Ratio { .. })),
                "{refused:?}"
            );
        }
        let grown = peak_kb().saturating_sub(before);
        assert!(grown < 64 * 1024, "peak memory grew by {grown} kB");
    }
}
