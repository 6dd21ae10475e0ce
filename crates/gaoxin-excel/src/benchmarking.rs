//! 对标分析 workbooks: the peer template (one row per zone, one column per indicator of a
//! framework, for one data year) that the dispatch office fills from the torch statistics
//! yearbook and published lists and uploads again.

use crate::ExcelError;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// One zone's row of the template, pre-filled from what is stored.
#[derive(Debug, Clone)]
pub struct PeerTemplateRow {
    pub zone: String,
    pub source: String,
    pub rank: Option<u32>,
    /// One per dimension column, in order (published dimension ranks).
    pub dimension_ranks: Vec<Option<u32>>,
    /// One per published single-item list column, in order.
    pub item_ranks: Vec<Option<u32>>,
    /// One per indicator column, in order.
    pub values: Vec<Option<f64>>,
}

/// A peer template.
#[derive(Debug, Clone)]
pub struct PeerTemplate {
    pub title: String,
    /// From `gaoxin_core::benchmarking::sheet::headings`: zone, source, rank, the indicators.
    pub headings: Vec<String>,
    pub rows: Vec<PeerTemplateRow>,
    pub instructions: Vec<String>,
    /// 示例数据 is loaded: the workbook says so.
    pub sample: bool,
}

/// Writes a peer template: sheet 对标数据 (title, headings, one row per zone) and 填写说明.
pub fn peer_template(t: &PeerTemplate) -> Result<Vec<u8>, ExcelError> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#E6EEF8")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let input = Format::new()
        .set_border(FormatBorder::Thin)
        .set_background_color("#FFF8E1");
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("对标数据")?;
    sheet.write_string_with_format(0, 0, &t.title, &bold)?;
    for (c, h) in t.headings.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(1, c, h, &head)?;
        sheet.set_column_width(c, if c < 3 { 20 } else { 16 })?;
    }
    sheet.set_row_height(1, 60)?;
    for (i, r) in t.rows.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(u32::MAX - 2) + 2;
        sheet.write_string_with_format(row, 0, &r.zone, &input)?;
        sheet.write_string_with_format(row, 1, &r.source, &input)?;
        match r.rank {
            Some(rank) => sheet.write_number_with_format(row, 2, f64::from(rank), &input)?,
            None => sheet.write_blank(row, 2, &input)?,
        };
        let ranks = r.dimension_ranks.len() + r.item_ranks.len();
        for (d, rank) in r.dimension_ranks.iter().chain(&r.item_ranks).enumerate() {
            let c = u16::try_from(d + 3).unwrap_or(u16::MAX);
            match rank {
                Some(rank) => sheet.write_number_with_format(row, c, f64::from(*rank), &input)?,
                None => sheet.write_blank(row, c, &input)?,
            };
        }
        for (j, v) in r.values.iter().enumerate() {
            let c = u16::try_from(j + 3 + ranks).unwrap_or(u16::MAX);
            match v {
                Some(v) => sheet.write_number_with_format(row, c, *v, &input)?,
                None => sheet.write_blank(row, c, &input)?,
            };
        }
    }
    sheet.set_freeze_panes(2, 1)?;
    crate::notes_sheet(&mut book, &t.title, t.sample, &t.instructions)?;
    Ok(book.save_to_buffer()?)
}

/// The 对标分析报告 as a workbook: sheet 概况 (the title, lines, the sample mark and the text in
/// order), then a sheet per table — numbers as numbers, text never read as a formula.
pub fn report_workbook(
    r: &gaoxin_core::benchmarking::report::Report,
) -> Result<Vec<u8>, ExcelError> {
    use gaoxin_core::benchmarking::report::{Block, SAMPLE_NOTICE};
    let mut book = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let warn = Format::new().set_bold().set_font_color("#C00000");
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#EDEFF2")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let text = Format::new().set_text_wrap();
    let quoted = Format::new().set_quote_prefix().set_text_wrap();
    let write_text = |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, v: &str| {
        let f = if gaoxin_core::ledger::value::looks_like_formula(v) {
            &quoted
        } else {
            &text
        };
        sheet.write_string_with_format(row, col, v, f).map(|_| ())
    };
    let top = |sheet: &mut rust_xlsxwriter::Worksheet| -> Result<u32, ExcelError> {
        sheet.write_string_with_format(0, 0, &r.title, &title)?;
        let mut row = 1;
        for line in &r.lines {
            sheet.write_string(row, 0, line)?;
            row += 1;
        }
        if r.sample {
            sheet.write_string_with_format(row, 0, SAMPLE_NOTICE, &warn)?;
            row += 1;
        }
        Ok(row + 1)
    };
    let summary = book.add_worksheet();
    summary.set_name("概况")?;
    summary.set_column_width(0, 110)?;
    let first = top(summary)?;
    for (row, block) in (first..).zip(&r.blocks) {
        match block {
            Block::H1(t) | Block::H2(t) => {
                summary.write_string_with_format(row, 0, t, &bold)?;
            }
            Block::Text(t) => write_text(summary, row, 0, t)?,
            Block::Table(t) => {
                summary.write_string(row, 0, format!("（见工作表“{}”）", t.name))?;
            }
        }
    }
    for block in &r.blocks {
        let Block::Table(t) = block else { continue };
        let sheet = book.add_worksheet();
        sheet.set_name(&t.name)?;
        let first = top(sheet)?;
        for (c, (h, w)) in t.headers.iter().zip(&t.widths).enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(first, c, h, &head)?;
            sheet.set_column_width(c, f64::from(*w) / 8.0 + 6.0)?;
        }
        for (i, cells) in t.rows.iter().enumerate() {
            let row = first + 1 + u32::try_from(i).unwrap_or(u32::MAX - first - 1);
            for (c, v) in cells.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                let numeric = t.numeric.get(usize::from(c)).copied().unwrap_or(false);
                match v.parse::<f64>() {
                    Ok(x) if numeric && x.is_finite() => {
                        sheet.write_number(row, c, x)?;
                    }
                    _ => write_text(sheet, row, c, v)?,
                }
            }
        }
        sheet.set_freeze_panes(first + 1, 0)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_peer_template_reads_back_cell_by_cell() {
        let t = PeerTemplate {
            title: "对标数据".into(),
            headings: vec![
                "高新区".into(),
                "来源".into(),
                "公布名次".into(),
                "1.1 甲（家）".into(),
            ],
            rows: vec![PeerTemplateRow {
                zone: "石家庄高新区".into(),
                source: "年鉴".into(),
                rank: Some(23),
                dimension_ranks: Vec::new(),
                item_ranks: Vec::new(),
                values: vec![Some(12.5)],
            }],
            instructions: vec!["说明".into()],
            sample: false,
        };
        let bytes = peer_template(&t).unwrap();
        let rows = crate::read_rows(&bytes, &crate::Limits::PEERS).unwrap();
        assert_eq!(rows[0], (1, vec!["对标数据".to_string()]));
        assert_eq!(
            rows[1].1,
            vec!["高新区", "来源", "公布名次", "1.1 甲（家）"]
        );
        assert_eq!(
            rows[2],
            (
                3,
                vec![
                    "石家庄高新区".into(),
                    "年鉴".into(),
                    "23".into(),
                    "12.5".into()
                ]
            )
        );
    }
}
