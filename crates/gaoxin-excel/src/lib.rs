//! Excel workbooks: the templates gaoxin hands out, and the uploads it reads back.
//!
//! An upload is checked before it is parsed, so a hostile file costs nothing: its size, that it
//! is a zip package at all, the number of entries, their total uncompressed size and each
//! entry's compression ratio (all read from the zip's central directory, nothing inflated), and
//! that it carries no macros (`.xlsm`, `vbaProject.bin`). Only then does calamine read the first
//! worksheet, and only up to a row cap.

mod bulletin;
mod ledger;

pub use bulletin::bulletin_workbook;
pub use ledger::{ledger_export, ledger_template, read_cells};

use calamine::{Data, Reader, Xlsx};
use gaoxin_core::time::Timestamp;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::io::Cursor;

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_entries: usize,
    pub max_uncompressed: u64,
    /// Uncompressed over compressed size, per entry.
    pub max_ratio: u64,
    pub max_rows: usize,
}

impl Limits {
    /// For a figures workbook uploaded in the browser: a unit's figures for a period are a few
    /// dozen rows.
    pub const FIGURES: Limits = Limits {
        max_bytes: 5 * 1024 * 1024,
        max_entries: 100,
        max_uncompressed: 50 * 1024 * 1024,
        max_ratio: 150,
        max_rows: 2_000,
    };

    /// For back-filling history at the console (`gaoxin figures import`).
    pub const BACKFILL: Limits = Limits {
        max_bytes: 100 * 1024 * 1024,
        max_entries: 100,
        max_uncompressed: 1024 * 1024 * 1024,
        max_ratio: 150,
        max_rows: 1_048_576,
    };
}

/// Why an upload was refused. Messages in Chinese and English say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExcelError {
    #[error(
        "文件太大：{size} 字节，上限 {max} 字节 / the file is too large: {size} bytes, at most {max}"
    )]
    TooLarge { size: usize, max: usize },
    #[error(
        "不是 .xlsx 工作簿：请在 Excel 或 WPS 中“另存为 Excel 工作簿（*.xlsx）” / not an .xlsx workbook: \
         save it as \"Excel Workbook (*.xlsx)\""
    )]
    NotXlsx,
    #[error(
        "工作簿含有宏（.xlsm），出于安全原因不接受：请另存为不含宏的 .xlsx / the workbook contains macros \
         (.xlsm) and is refused: save it as an .xlsx without macros"
    )]
    Macros,
    #[error(
        "工作簿的内部文件过多（{count} 个，上限 {max}）/ the workbook has too many parts ({count}, at most {max})"
    )]
    TooManyEntries { count: usize, max: usize },
    #[error(
        "工作簿解压后过大（{size} 字节，上限 {max}）/ the workbook is too large uncompressed ({size} bytes, at most {max})"
    )]
    TooLargeUncompressed { size: u64, max: u64 },
    #[error(
        "工作簿中的 {entry} 压缩比异常（{ratio} 倍，上限 {max} 倍），疑似压缩炸弹 / part {entry} is compressed \
         {ratio} times (at most {max}): a zip bomb?"
    )]
    Ratio { entry: String, ratio: u64, max: u64 },
    #[error("工作表超过 {max} 行 / the worksheet has more than {max} rows")]
    TooManyRows { max: usize },
    #[error("工作簿中没有工作表 / the workbook has no worksheet")]
    NoSheet,
    #[error("无法读取工作簿：{0} / the workbook cannot be read: {0}")]
    Unreadable(String),
    #[error("无法生成工作簿：{0} / the workbook cannot be written: {0}")]
    Write(String),
}

impl From<XlsxError> for ExcelError {
    fn from(e: XlsxError) -> Self {
        ExcelError::Write(e.to_string())
    }
}

/// Checks a package without inflating anything.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), ExcelError> {
    if bytes.len() > limits.max_bytes {
        return Err(ExcelError::TooLarge {
            size: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ExcelError::NotXlsx)?;
    if zip.len() > limits.max_entries {
        return Err(ExcelError::TooManyEntries {
            count: zip.len(),
            max: limits.max_entries,
        });
    }
    let mut total: u64 = 0;
    let mut workbook = false;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| ExcelError::NotXlsx)?;
        let name = entry.name().map_err(|_| ExcelError::NotXlsx)?.to_string();
        if name.eq_ignore_ascii_case("xl/vbaProject.bin")
            || name.ends_with(".bin") && name.contains("vba")
        {
            return Err(ExcelError::Macros);
        }
        workbook |= name == "xl/workbook.xml";
        let size = entry.size();
        total = total.saturating_add(size);
        if total > limits.max_uncompressed {
            return Err(ExcelError::TooLargeUncompressed {
                size: total,
                max: limits.max_uncompressed,
            });
        }
        let ratio = size / entry.compressed_size().max(1);
        if size > 64 * 1024 && ratio > limits.max_ratio {
            return Err(ExcelError::Ratio {
                entry: name,
                ratio,
                max: limits.max_ratio,
            });
        }
    }
    if !workbook {
        return Err(ExcelError::NotXlsx);
    }
    // A macro-enabled workbook says so in its content types, even without the macro part.
    if let Ok(mut ct) = zip.by_name("[Content_Types].xml") {
        let mut text = String::new();
        // The size was checked above; a content-types part is a few kilobytes.
        if std::io::Read::read_to_string(&mut ct, &mut text).is_ok()
            && text.contains("macroEnabled")
        {
            return Err(ExcelError::Macros);
        }
    }
    Ok(())
}

/// A cell as text, the way a clerk reads it: whole numbers without `.0`, dates as `YYYY-MM`
/// (the first of a month, as Excel turns a typed `2026-11` into) or `YYYY-MM-DD`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => gaoxin_core::plan::format_value(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            // Excel's day 0 is 1899-12-30; 25,569 days later is 1970-01-01.
            let days = dt.as_f64().floor() as i64 - 25_569;
            let (y, m, d) = Timestamp(days * 86_400).civil_date();
            if d == 1 {
                format!("{y:04}-{m:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}")
            }
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The first worksheet's rows as text, each with its row number in the sheet (1-based), after
/// [`check`].
pub fn read_rows(bytes: &[u8], limits: &Limits) -> Result<Vec<(usize, Vec<String>)>, ExcelError> {
    check(bytes, limits)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ExcelError::Unreadable(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ExcelError::NoSheet)?
        .map_err(|e| ExcelError::Unreadable(e.to_string()))?;
    if range.height() > limits.max_rows + 1 {
        return Err(ExcelError::TooManyRows {
            max: limits.max_rows,
        });
    }
    let first = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![String::new(); first_col];
            cells.extend(row.iter().map(cell_text));
            (first + i + 1, cells)
        })
        .collect())
}

/// One row of a figures template.
#[derive(Debug, Clone)]
pub struct TemplateRow {
    pub zone: String,
    pub zone_name: String,
    pub figure: String,
    pub figure_name: String,
    pub unit: String,
    pub period: String,
    pub previous: Option<f64>,
    pub value: Option<f64>,
    pub explanation: String,
}

/// A figures template: the rows to fill, and what the instructions sheet says.
#[derive(Debug, Clone)]
pub struct FiguresTemplate {
    pub title: String,
    pub rows: Vec<TemplateRow>,
    pub instructions: Vec<String>,
    /// 示例数据 is loaded: the workbook says so on both sheets.
    pub sample: bool,
}

/// The headings of a figures template; an upload finds its columns by them.
pub const FIGURE_HEADINGS: [&str; 9] = [
    "区域代码",
    "区域",
    "数据代码",
    "基础数据",
    "单位",
    "报告期",
    "上期值",
    "本期值",
    "说明",
];

/// Writes a figures template: sheet 填报 (pre-filled names, units, last period's values; 本期值
/// and 说明 to fill) and sheet 填写说明.
pub fn figures_template(t: &FiguresTemplate) -> Result<Vec<u8>, ExcelError> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color("#E6EEF8")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let fixed = Format::new()
        .set_background_color("#F4F6F9")
        .set_border(FormatBorder::Thin);
    let text_fixed = Format::new()
        .set_background_color("#F4F6F9")
        .set_border(FormatBorder::Thin)
        .set_num_format("@");
    let input = Format::new()
        .set_border(FormatBorder::Thin)
        .set_background_color("#FFF8E1");
    let sheet = book.add_worksheet();
    sheet.set_name("填报")?;
    for (c, h) in FIGURE_HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (c, w) in [10, 14, 18, 30, 8, 10, 12, 12, 30].into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    for (i, r) in t.rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, &r.zone, &text_fixed)?;
        sheet.write_string_with_format(row, 1, &r.zone_name, &fixed)?;
        sheet.write_string_with_format(row, 2, &r.figure, &text_fixed)?;
        sheet.write_string_with_format(row, 3, &r.figure_name, &fixed)?;
        sheet.write_string_with_format(row, 4, &r.unit, &fixed)?;
        // Text, so Excel does not turn 2026-11 into a date.
        sheet.write_string_with_format(row, 5, &r.period, &text_fixed)?;
        match r.previous {
            Some(v) => sheet.write_number_with_format(row, 6, v, &fixed)?,
            None => sheet.write_blank(row, 6, &fixed)?,
        };
        match r.value {
            Some(v) => sheet.write_number_with_format(row, 7, v, &input)?,
            None => sheet.write_blank(row, 7, &input)?,
        };
        sheet.write_string_with_format(row, 8, &r.explanation, &input)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet();
    notes.set_name("填写说明")?;
    notes.set_column_width(0, 100)?;
    let bold = Format::new().set_bold();
    notes.write_string_with_format(0, 0, &t.title, &bold)?;
    let mut row = 1;
    if t.sample {
        notes.write_string_with_format(
            row,
            0,
            "示例数据：本系统当前载入了示例数据，表中已有数值不是官方统计。",
            &bold,
        )?;
        row += 1;
    }
    for line in &t.instructions {
        notes.write_string(row, 0, line)?;
        row += 1;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use std::io::Write;

    fn template() -> FiguresTemplate {
        FiguresTemplate {
            title: "石家庄高新区 2026-11 基础数据".into(),
            rows: vec![TemplateRow {
                zone: "sjz-hz".into(),
                zone_name: "石家庄高新区".into(),
                figure: "fai-rate".into(),
                figure_name: "固定资产投资增速（本年累计）".into(),
                unit: "%".into(),
                period: "2026-11".into(),
                previous: Some(10.5),
                value: None,
                explanation: String::new(),
            }],
            instructions: vec!["在“本期值”列填写。".into()],
            sample: true,
        }
    }

    #[test]
    fn a_template_reads_back() {
        let bytes = figures_template(&template()).unwrap();
        let rows = read_rows(&bytes, &Limits::FIGURES).unwrap();
        assert_eq!(rows[0].0, 1);
        assert_eq!(rows[0].1, FIGURE_HEADINGS.map(String::from).to_vec());
        assert_eq!(rows[1].0, 2);
        assert_eq!(
            &rows[1].1[..7],
            [
                "sjz-hz",
                "石家庄高新区",
                "fai-rate",
                "固定资产投资增速（本年累计）",
                "%",
                "2026-11",
                "10.5"
            ]
        );
    }

    fn zip_of(entries: &[(&str, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(
                *name,
                zip::write::SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn hostile_packages_are_refused_before_parsing() {
        let limits = Limits::FIGURES;
        assert_eq!(
            check(b"not a zip at all", &limits),
            Err(ExcelError::NotXlsx)
        );
        let big = vec![0u8; limits.max_bytes + 1];
        assert!(matches!(
            check(&big, &limits),
            Err(ExcelError::TooLarge { .. })
        ));
        // 40 MB of zeros deflate to a few kilobytes: refused by its ratio, never inflated.
        let bomb = zip_of(
            &[
                ("xl/workbook.xml", vec![b'<'; 10]),
                ("xl/worksheets/sheet1.xml", vec![0u8; 40 * 1024 * 1024]),
            ],
            zip::CompressionMethod::Deflated,
        );
        assert!(bomb.len() < 100_000);
        assert!(
            matches!(check(&bomb, &limits), Err(ExcelError::Ratio { .. })),
            "{:?}",
            check(&bomb, &limits)
        );
        let many: Vec<(String, Vec<u8>)> = (0..150)
            .map(|i| (format!("x/{i}.xml"), vec![1u8]))
            .collect();
        let refs: Vec<(&str, Vec<u8>)> =
            many.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
        assert!(matches!(
            check(&zip_of(&refs, zip::CompressionMethod::Stored), &limits),
            Err(ExcelError::TooManyEntries { .. })
        ));
        let macros = zip_of(
            &[
                ("xl/workbook.xml", vec![b'<']),
                ("xl/vbaProject.bin", vec![0u8; 10]),
            ],
            zip::CompressionMethod::Stored,
        );
        assert_eq!(check(&macros, &limits), Err(ExcelError::Macros));
        let typed = zip_of(
            &[
                ("xl/workbook.xml", vec![b'<']),
                (
                    "[Content_Types].xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml".to_vec(),
                ),
            ],
            zip::CompressionMethod::Stored,
        );
        assert_eq!(check(&typed, &limits), Err(ExcelError::Macros));
        let not_a_workbook = zip_of(
            &[("word/document.xml", vec![b'<'])],
            zip::CompressionMethod::Stored,
        );
        assert_eq!(check(&not_a_workbook, &limits), Err(ExcelError::NotXlsx));
    }
}
