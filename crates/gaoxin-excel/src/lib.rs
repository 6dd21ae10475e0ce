//! Excel workbooks: the templates gaoxin hands out, and the uploads it reads back.
//!
//! An upload is checked before it is parsed, so a hostile file costs nothing: its size, that it
//! is a zip package at all, the number of entries, their total uncompressed size and each
//! entry's compression ratio (all read from the zip's central directory, nothing inflated), and
//! that it carries no macros (`.xlsm`, `vbaProject.bin`). Only then does calamine read the first
//! worksheet, and only up to a row cap.

mod benchmarking;
mod bulletin;
mod ledger;
mod messages;

pub use benchmarking::{PeerTemplate, PeerTemplateRow, peer_template, report_workbook};
pub use bulletin::bulletin_workbook;
pub use ledger::{ledger_export, ledger_template, read_cells, stream_cells};

use calamine::{Data, Reader, Xlsx};
use gaoxin_core::time::Timestamp;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::io::Cursor;
use std::ops::ControlFlow;

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_entries: usize,
    pub max_uncompressed: u64,
    /// Uncompressed over compressed size, per entry.
    pub max_ratio: u64,
    pub max_rows: usize,
    /// Cells kept from the first worksheet, counting each row from column A to its last value.
    pub max_cells: usize,
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
        max_cells: 2_000 * 16,
    };

    /// For a peer workbook (对标数据): a row per zone (fewer than 200 national zones, a few
    /// thousand at most for any peer set), a column per indicator.
    pub const PEERS: Limits = Limits {
        max_bytes: 5 * 1024 * 1024,
        max_entries: 100,
        max_uncompressed: 50 * 1024 * 1024,
        max_ratio: 150,
        max_rows: 3_000,
        max_cells: 3_000 * 80,
    };

    /// For back-filling history at the console (`gaoxin figures import`).
    pub const BACKFILL: Limits = Limits {
        max_bytes: 100 * 1024 * 1024,
        max_entries: 100,
        max_uncompressed: 1024 * 1024 * 1024,
        max_ratio: 150,
        max_rows: 1_048_576,
        max_cells: 1_048_576 * 8,
    };
}

/// Why an upload was refused. Messages in Chinese and English say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum ExcelError {
    TooLarge {
        size: usize,
        max: usize,
    },
    NotXlsx,
    Macros,
    TooManyEntries {
        count: usize,
        max: usize,
    },
    TooLargeUncompressed {
        size: u64,
        max: u64,
    },
    Ratio {
        entry: String,
        ratio: u64,
        max: u64,
    },
    TooManyRows {
        cell: String,
        max: usize,
    },
    TooManyColumns {
        cell: String,
        max: u32,
    },
    TooManyCells {
        max: usize,
    },
    TooManyStrings {
        claimed: u64,
        max: usize,
    },
    /// A row listed after a row below it (`cell` is the first cell out of place).
    RowsOutOfOrder {
        cell: String,
        after: usize,
    },
    NoSheet,
    /// The reader gave up on the file's structure (it panicked on it).
    Damaged,
    Unreadable(String),
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
    let mut tables = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| ExcelError::NotXlsx)?;
        let name = entry.name().map_err(|_| ExcelError::NotXlsx)?.to_string();
        let lower = name.to_ascii_lowercase();
        if lower.contains("vbaproject") || lower.contains("vbadata") {
            return Err(ExcelError::Macros);
        }
        if lower.ends_with("sharedstrings.xml") {
            tables.push(i);
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
    // The shared-string table says how many strings it holds, and calamine reserves room for
    // that many before reading one: the claim is checked here first.
    for i in tables {
        let mut head = Vec::new();
        if let Ok(part) = zip.by_index(i) {
            // The count is in the table's first tag; its size was checked above.
            let _ =
                std::io::Read::read_to_end(&mut std::io::Read::take(part, 64 * 1024), &mut head);
        }
        if let Some(claimed) = unique_count(&head).filter(|n| *n > limits.max_cells as u64) {
            return Err(ExcelError::TooManyStrings {
                claimed,
                max: limits.max_cells,
            });
        }
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

/// The `uniqueCount` a shared-string table's `<sst>` tag claims, read from the start of the part.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let start = text.find("sst ")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let at = tag.find("uniqueCount")? + "uniqueCount".len();
    let value = tag[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    let digits = &value[..value.find(quote)?];
    // calamine reads digits only; anything else it ignores, and so can this.
    Some(digits.trim().parse::<u64>().unwrap_or(0))
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
/// [`check`]. Rows without a value are left out.
pub fn read_rows(bytes: &[u8], limits: &Limits) -> Result<Vec<(usize, Vec<String>)>, ExcelError> {
    sheet_rows(bytes, limits, |d| cell_text(&d))
}

/// The columns a worksheet may use: a figures template has 9, the widest ledger a few dozen.
pub const MAX_COLUMNS: u32 = 256;

/// The first worksheet's non-empty cells, row by row, each row as wide as its last value.
///
/// The cells are streamed from the sheet's XML: nothing is allocated from what the file
/// claims (its `dimension`, a far-away cell's reference), only for the values it holds, so
/// a sheet with values in `A1` and `XFD1048576` costs two cells. Every cell is checked against
/// the row and column caps before it is kept, and the rows' widths together against
/// `limits.max_cells`.
pub(crate) fn sheet_rows<T: Clone + Default>(
    bytes: &[u8],
    limits: &Limits,
    convert: impl Fn(Data) -> T,
) -> Result<Vec<(usize, Vec<T>)>, ExcelError> {
    guarded(bytes, limits, || read_sheet(bytes, limits, &convert))
}

/// `read` after the package checks, a panic inside it refused as damage: calamine is a large
/// parser of hostile input, and fuzzing found it panicking on a malformed cell reference (an
/// arithmetic overflow): whatever it does, an upload is refused as unreadable, not a request
/// (or a console import) brought down.
fn guarded<R>(
    bytes: &[u8],
    limits: &Limits,
    read: impl FnOnce() -> Result<R, ExcelError>,
) -> Result<R, ExcelError> {
    check(bytes, limits)?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or(Err(ExcelError::Damaged))
}

/// The first worksheet's cells in the order the sheet lists them, each checked against the row
/// and column caps before `each(row, column, value)` sees it (0-based; empty cells left out);
/// `each` returning `Break` ends the reading there.
fn each_cell(
    bytes: &[u8],
    limits: &Limits,
    mut each: impl FnMut(u32, u32, Data) -> Result<ControlFlow<()>, ExcelError>,
) -> Result<(), ExcelError> {
    let unreadable = |e: calamine::XlsxError| ExcelError::Unreadable(e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(ExcelError::NoSheet)?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        if col >= MAX_COLUMNS {
            return Err(ExcelError::TooManyColumns {
                cell: cell_name(row, col),
                max: MAX_COLUMNS,
            });
        }
        if row as usize > limits.max_rows {
            return Err(ExcelError::TooManyRows {
                cell: cell_name(row, col),
                max: limits.max_rows,
            });
        }
        let value: Data = cell.get_value().clone().into();
        if value != Data::Empty && each(row, col, value)?.is_break() {
            break;
        }
    }
    Ok(())
}

/// [`sheet_rows`] after the package checks.
fn read_sheet<T: Clone + Default>(
    bytes: &[u8],
    limits: &Limits,
    convert: &impl Fn(Data) -> T,
) -> Result<Vec<(usize, Vec<T>)>, ExcelError> {
    let mut cells: Vec<(u32, u32, T)> = Vec::new();
    each_cell(bytes, limits, |row, col, value| {
        if cells.len() >= limits.max_cells {
            return Err(ExcelError::TooManyCells {
                max: limits.max_cells,
            });
        }
        cells.push((row, col, convert(value)));
        Ok(ControlFlow::Continue(()))
    })?;
    // Sheets list their rows in order; a hand-made one may not.
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut rows: Vec<(usize, Vec<T>)> = Vec::new();
    let mut width = 0usize;
    for (r, c, value) in cells {
        let number = r as usize + 1;
        if rows.last().is_none_or(|(n, _)| *n != number) {
            rows.push((number, Vec::new()));
        }
        if let Some((_, row)) = rows.last_mut() {
            width += place(row, c, value);
            if width > limits.max_cells {
                return Err(ExcelError::TooManyCells {
                    max: limits.max_cells,
                });
            }
        }
    }
    Ok(rows)
}

/// Puts `value` in column `c` of `row`, widening it; returns by how many cells.
fn place<T: Clone + Default>(row: &mut Vec<T>, c: u32, value: T) -> usize {
    let grow = (c as usize + 1).saturating_sub(row.len());
    row.resize(row.len() + grow, T::default());
    row[c as usize] = value;
    grow
}

/// The first worksheet's non-empty rows handed to `each(row number, cells)` one at a time, as
/// the sheet's XML is read — memory holds one row, not the sheet — after [`check`], within the
/// same caps as [`sheet_rows`]. `each` returning `false` stops the reading (`Ok`). A sheet
/// whose rows are not in ascending order (Excel writes them so and refuses a file that does
/// not) is refused at the first row out of place.
pub(crate) fn stream_rows<T: Clone + Default>(
    bytes: &[u8],
    limits: &Limits,
    convert: impl Fn(Data) -> T,
    mut each: impl FnMut(usize, Vec<T>) -> bool,
) -> Result<(), ExcelError> {
    guarded(bytes, limits, || {
        let mut current: Option<(u32, Vec<T>)> = None;
        let mut width = 0usize;
        let mut stopped = false;
        each_cell(bytes, limits, |row, col, value| {
            match &mut current {
                Some((r, _)) if *r == row => {}
                Some((r, _)) if *r > row => {
                    return Err(ExcelError::RowsOutOfOrder {
                        cell: cell_name(row, col),
                        after: *r as usize + 1,
                    });
                }
                _ => {
                    if let Some((r, cells)) = current.take()
                        && !each(r as usize + 1, cells)
                    {
                        stopped = true;
                        return Ok(ControlFlow::Break(()));
                    }
                    current = Some((row, Vec::new()));
                }
            }
            if let Some((_, cells)) = &mut current {
                width += place(cells, col, convert(value));
                if width > limits.max_cells {
                    return Err(ExcelError::TooManyCells {
                        max: limits.max_cells,
                    });
                }
            }
            Ok(ControlFlow::Continue(()))
        })?;
        if !stopped && let Some((r, cells)) = current {
            each(r as usize + 1, cells);
        }
        Ok(())
    })
}

/// A cell's name as a spreadsheet shows it: `XFD1048576` for (1048575, 16383).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
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
    notes_sheet(&mut book, &t.title, t.sample, &t.instructions)?;
    Ok(book.save_to_buffer()?)
}

/// A template's 填写说明 sheet: its title, the 示例数据 mark when sample data is loaded, then the
/// instructions line by line.
pub(crate) fn notes_sheet(
    book: &mut Workbook,
    title: &str,
    sample: bool,
    instructions: &[String],
) -> Result<(), ExcelError> {
    let notes = book.add_worksheet();
    notes.set_name("填写说明")?;
    notes.set_column_width(0, 110)?;
    let bold = Format::new().set_bold();
    notes.write_string_with_format(0, 0, title, &bold)?;
    let mut row = 1;
    if sample {
        notes.write_string_with_format(
            row,
            0,
            "示例数据：本系统当前载入了示例数据，表中已有数值不是官方统计。",
            &bold,
        )?;
        row += 1;
    }
    for line in instructions {
        notes.write_string(row, 0, line)?;
        row += 1;
    }
    Ok(())
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
        let upper = zip_of(
            &[
                ("xl/workbook.xml", vec![b'<']),
                ("XL/VBAPROJECT.BIN", vec![0u8; 10]),
            ],
            zip::CompressionMethod::Stored,
        );
        assert_eq!(check(&upper, &limits), Err(ExcelError::Macros));
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

    /// A workbook with a value in each of `cells` (row, column; 0-based) of its first sheet.
    fn sparse(cells: &[(u32, u16)]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (r, c) in cells {
            sheet.write_string(*r, *c, "x").unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// The same package with one part's content replaced.
    fn with_part(bytes: &[u8], part: &str, content: &[u8]) -> Vec<u8> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
            w.start_file(
                name.as_str(),
                zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated),
            )
            .unwrap();
            w.write_all(if name == part { content } else { &data })
                .unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// This process's peak resident memory (VmHWM), in kB.
    pub(crate) fn peak_kb() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    #[test]
    fn a_sheet_claiming_the_whole_grid_costs_only_its_cells() {
        // A1 and XFD1048576: a dense range would be 17 billion cells (549 GB).
        let corners = sparse(&[(0, 0), (1_048_575, 16_383)]);
        assert!(corners.len() < 8 * 1024, "{} bytes", corners.len());
        // A1 and XFD2001: within the row cap of an upload, 1.9 GB dense.
        let wide = sparse(&[(0, 0), (2_000, 16_383)]);
        let before = peak_kb();
        for limits in [Limits::FIGURES, Limits::BACKFILL] {
            for bytes in [&corners, &wide] {
                let refused = read_rows(bytes, &limits);
                assert!(
                    matches!(
                        refused,
                        Err(ExcelError::TooManyRows { .. } | ExcelError::TooManyColumns { .. })
                    ),
                    "{refused:?}"
                );
            }
        }
        assert_eq!(
            read_rows(&corners, &Limits::BACKFILL)
                .unwrap_err()
                .to_string(),
            ExcelError::TooManyColumns {
                cell: "XFD1048576".into(),
                max: MAX_COLUMNS
            }
            .to_string()
        );
        let grown = peak_kb().saturating_sub(before);
        assert!(grown < 64 * 1024, "peak memory grew by {grown} kB");
    }

    #[test]
    fn rows_stream_one_at_a_time_in_order_and_a_sheet_out_of_order_is_refused_by_its_cell() {
        let bytes = sparse(&[(0, 0), (0, 2), (4, 1), (9, 0)]);
        let mut seen = Vec::new();
        stream_rows(
            &bytes,
            &Limits::FIGURES,
            |d| cell_text(&d),
            |n, cells| {
                seen.push((n, cells));
                true
            },
        )
        .unwrap();
        let whole = read_rows(&bytes, &Limits::FIGURES).unwrap();
        assert_eq!(seen, whole);
        assert_eq!(seen.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 5, 10]);
        assert_eq!(seen[0].1, ["x", "", "x"]);
        // Stopped after the second row: the third is never read.
        let mut count = 0;
        stream_rows(
            &bytes,
            &Limits::FIGURES,
            |d| cell_text(&d),
            |_, _| {
                count += 1;
                count < 2
            },
        )
        .unwrap();
        assert_eq!(count, 2);
        // The same caps as the whole read.
        let over = sparse(&[(0, 0), (2_001, 0)]);
        assert_eq!(
            stream_rows(&over, &Limits::FIGURES, |d| cell_text(&d), |_, _| true),
            Err(ExcelError::TooManyRows {
                cell: "A2002".into(),
                max: 2_000
            })
        );
        // A sheet rewritten with row 3 after row 7: refused at B3, nothing of it taken for a
        // row of its own.
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>
<row r="7"><c r="A7" t="inlineStr"><is><t>b</t></is></c></row>
<row r="3"><c r="B3" t="inlineStr"><is><t>c</t></is></c></row>
</sheetData></worksheet>"#;
        let shuffled = with_part(&bytes, "xl/worksheets/sheet1.xml", xml.as_bytes());
        let mut rows = Vec::new();
        let refused = stream_rows(
            &shuffled,
            &Limits::FIGURES,
            |d| cell_text(&d),
            |n, _| {
                rows.push(n);
                true
            },
        );
        assert_eq!(
            refused,
            Err(ExcelError::RowsOutOfOrder {
                cell: "B3".into(),
                after: 7
            })
        );
        assert_eq!(rows, [1]);
        // The whole read sorts such a sheet (figures tolerate it, as before).
        let sorted = read_rows(&shuffled, &Limits::FIGURES).unwrap();
        assert_eq!(
            sorted.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [1, 3, 7]
        );
    }

    #[test]
    fn far_apart_cells_within_the_caps_read_as_two_rows() {
        // A1 and Z2001: rows 2 to 2000 and columns B to Y hold nothing and cost nothing.
        let bytes = sparse(&[(0, 0), (2_000, 25)]);
        let rows = read_rows(&bytes, &Limits::FIGURES).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].0, rows[0].1.len()), (1, 1));
        assert_eq!((rows[1].0, rows[1].1.len()), (2_001, 26));
        assert_eq!(rows[1].1[25], "x");
        // One row more than the cap is refused, by its number, before anything is kept.
        let over = sparse(&[(0, 0), (2_001, 0)]);
        assert_eq!(
            read_rows(&over, &Limits::FIGURES),
            Err(ExcelError::TooManyRows {
                cell: "A2002".into(),
                max: 2_000
            })
        );
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 26), "AA10");
    }

    #[test]
    fn many_wide_rows_are_refused_by_their_cell_count() {
        // 2,000 rows each with a value in column CV (100): 200,000 cells counting the gaps.
        let cells: Vec<(u32, u16)> = (1..=2_000).map(|r| (r, 99)).collect();
        let bytes = sparse(&cells);
        assert_eq!(
            read_rows(&bytes, &Limits::FIGURES),
            Err(ExcelError::TooManyCells {
                max: Limits::FIGURES.max_cells
            })
        );
    }

    #[test]
    fn a_shared_string_table_claiming_billions_is_refused_before_it_is_read() {
        let bytes = sparse(&[(0, 0)]);
        let forged = with_part(
            &bytes,
            "xl/sharedStrings.xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="99999999999999"><si><t>x</t></si></sst>"#,
        );
        assert_eq!(
            read_rows(&forged, &Limits::FIGURES),
            Err(ExcelError::TooManyStrings {
                claimed: 99_999_999_999_999,
                max: Limits::FIGURES.max_cells
            })
        );
        // The honest table reads.
        assert_eq!(read_rows(&bytes, &Limits::FIGURES).unwrap()[0].1, ["x"]);
    }

    #[test]
    fn a_workbook_that_made_the_reader_panic_is_refused_as_damaged() {
        // Found by the fuzz target `workbook`: a cell reference with a column of many letters
        // overflowed inside calamine.
        let bytes =
            include_bytes!("../../../fuzz/seeds/workbook/regression-cell-reference-overflow.xlsx");
        for limits in [Limits::FIGURES, Limits::BACKFILL] {
            assert!(read_rows(bytes, &limits).is_err());
        }
    }
}
