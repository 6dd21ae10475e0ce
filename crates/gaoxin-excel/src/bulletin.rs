//! The monthly 调度通报 as a workbook: a sheet per table of the bulletin, the same rows the page
//! and the `.docx` show, numbers as numbers, text never read as a formula.

use crate::ExcelError;
use gaoxin_core::bulletin::{Bulletin, SAMPLE_NOTICE, Tally};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

struct Formats {
    head: Format,
    text: Format,
    quoted: Format,
    title: Format,
    warn: Format,
}

fn formats() -> Formats {
    Formats {
        head: Format::new()
            .set_bold()
            .set_background_color("#EDEFF2")
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center),
        text: Format::new().set_text_wrap(),
        quoted: Format::new().set_quote_prefix().set_text_wrap(),
        title: Format::new().set_bold().set_font_size(14),
        warn: Format::new().set_bold().set_font_color("#C00000"),
    }
}

/// Writes text that never becomes a formula in Excel or WPS.
fn text(sheet: &mut Worksheet, row: u32, col: u16, v: &str, f: &Formats) -> Result<(), ExcelError> {
    let format = if gaoxin_core::ledger::value::looks_like_formula(v) {
        &f.quoted
    } else {
        &f.text
    };
    sheet.write_string_with_format(row, col, v, format)?;
    Ok(())
}

/// A sheet: the bulletin's title, cut-off and sample marks on top, then the table.
fn table(
    book: &mut Workbook,
    name: &str,
    b: &Bulletin,
    headers: &[&str],
    widths: &[f64],
    rows: &[Vec<Cell>],
    f: &Formats,
) -> Result<(), ExcelError> {
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let title = match &b.issued {
        Some(i) => format!("{}{}", b.title, i.line()),
        None => format!("{}（草稿）", b.title),
    };
    sheet.write_string_with_format(0, 0, &title, &f.title)?;
    sheet.write_string(1, 0, format!("数据截至 {}", b.cutoff))?;
    let mut top = 3;
    if b.sample {
        sheet.write_string_with_format(2, 0, SAMPLE_NOTICE, &f.warn)?;
        top = 4;
    }
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(top, c, *h, &f.head)?;
        sheet.set_column_width(c, *w)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = top + 1 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(v) => text(sheet, r, c, v, f)?,
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Value(Some(v), unit) => {
                    sheet.write_number_with_format(r, c, *v, &unit_format(unit))?;
                }
                Cell::Value(None, _) => text(sheet, r, c, "—", f)?,
            }
        }
    }
    sheet.set_freeze_panes(top + 1, 0)?;
    Ok(())
}

enum Cell {
    Text(String),
    Number(usize),
    /// A computed value, a number in the sheet shown with its unit (`8.5%`, `324 家`); "—"
    /// when there is none.
    Value(Option<f64>, String),
}

/// The number format that shows a value with its unit, as the page writes it.
fn unit_format(unit: &str) -> Format {
    let unit = unit.replace('"', "");
    let suffix = match unit.as_str() {
        "" => String::new(),
        "%" => "\"%\"".to_string(),
        u => format!("\" {u}\""),
    };
    Format::new().set_num_format(format!("General{suffix}"))
}

fn tally_rows(rows: &[Tally]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|t| {
            vec![
                Cell::Text(t.label.clone()),
                Cell::Number(t.owed),
                Cell::Number(t.on_time),
                Cell::Number(t.late),
                Cell::Number(t.missing),
                Cell::Value(t.rate_value(), "%".into()),
                Cell::Number(t.behind),
            ]
        })
        .collect()
}

/// The bulletin as an `.xlsx` file.
pub fn bulletin_workbook(b: &Bulletin) -> Result<Vec<u8>, ExcelError> {
    let f = formats();
    let mut book = Workbook::new();
    let summary: Vec<Vec<Cell>> = b
        .summary
        .iter()
        .map(|p| vec![Cell::Text(p.clone())])
        .collect();
    table(
        &mut book,
        "总体情况",
        b,
        &["总体情况"],
        &[120.0],
        &summary,
        &f,
    )?;
    let tally = [
        "应报",
        "按期报送",
        "逾期报送",
        "未报送",
        "报送率",
        "进度滞后",
    ];
    let widths = [36.0, 8.0, 10.0, 10.0, 8.0, 10.0, 10.0];
    let mut h = vec!["任务"];
    h.extend(tally);
    table(
        &mut book,
        "按任务",
        b,
        &h,
        &widths,
        &tally_rows(&b.by_task),
        &f,
    )?;
    h[0] = "单位";
    table(
        &mut book,
        "按单位",
        b,
        &h,
        &widths,
        &tally_rows(&b.by_unit),
        &f,
    )?;
    let rows: Vec<Vec<Cell>> = b
        .shortfalls
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.unit.clone()),
                Cell::Text(s.item.clone()),
                Cell::Text(s.task.clone()),
                Cell::Text(s.state.to_string()),
            ]
        })
        .collect();
    table(
        &mut book,
        "逾期和未报送",
        b,
        &["单位", "工作事项", "任务", "情况"],
        &[22.0, 36.0, 30.0, 12.0],
        &rows,
        &f,
    )?;
    let rows: Vec<Vec<Cell>> = b
        .orders
        .iter()
        .map(|o| {
            vec![
                Cell::Text(o.number.clone()),
                Cell::Text(o.title.clone()),
                Cell::Text(o.assignee.clone()),
                Cell::Text(o.deadline.clone()),
                Cell::Text(o.state.to_string()),
                Cell::Text(o.light.to_string()),
            ]
        })
        .collect();
    table(
        &mut book,
        "督办单",
        b,
        &["编号", "督办事项", "承办单位", "办理期限", "状态", "灯"],
        &[18.0, 40.0, 20.0, 12.0, 12.0, 8.0],
        &rows,
        &f,
    )?;
    let rows: Vec<Vec<Cell>> = b
        .lagging
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.zone.clone()),
                Cell::Text(l.indicator.clone()),
                Cell::Value(l.values.actual, l.values.unit.clone()),
                Cell::Value(l.values.expected, l.values.unit.clone()),
                Cell::Text(l.target.clone()),
                Cell::Text(l.status.to_string()),
            ]
        })
        .collect();
    table(
        &mut book,
        "滞后指标",
        b,
        &["高新区", "指标", "实际", "序时进度", "年度目标", "灯"],
        &[16.0, 36.0, 14.0, 14.0, 14.0, 8.0],
        &rows,
        &f,
    )?;
    let rows: Vec<Vec<Cell>> = b
        .subtargets
        .iter()
        .map(|l| {
            let mut row: Vec<Cell> = l.cells().into_iter().map(Cell::Text).collect();
            // 实际 and 序时进度 as numbers.
            row[4] = Cell::Value(l.values.actual, l.values.unit.clone());
            row[5] = Cell::Value(l.values.expected, l.values.unit.clone());
            row
        })
        .collect();
    table(
        &mut book,
        "量化子目标",
        b,
        &gaoxin_core::bulletin::SUB_HEADINGS,
        &[8.0, 34.0, 16.0, 10.0, 12.0, 12.0, 12.0, 10.0],
        &rows,
        &f,
    )?;
    Ok(book.save_to_buffer()?)
}
