//! The monthly 调度通报 as a Word document (`.docx`, Office Open XML), laid out as GB/T 9704-2012
//! asks of Chinese official documents: A4; margins 37 mm top, 35 mm bottom, 28 mm left (订口),
//! 26 mm right; the title in 2号小标宋 (22 pt), centred; the body in 3号仿宋 (16 pt) at a fixed
//! 28.9 pt line pitch (22 lines a page), paragraphs indented two characters; first-level
//! headings in 黑体, second-level in 楷体; the page number in 4号宋体 as “— 1 —”.
//!
//! The document is written directly (a handful of XML parts in a zip): no template file, no
//! dependency beyond the zip writer. The 对标分析报告 (`report_docx`) and the 督办通知单
//! (`order_sheet_docx`) are written in the same layout. Fonts are named as government machines have them
//! (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312); a machine without them substitutes its own.

use gaoxin_core::benchmarking::report::{Block, Report, SAMPLE_NOTICE as REPORT_SAMPLE_NOTICE};
use gaoxin_core::bulletin::{Bulletin, SAMPLE_NOTICE, Tally};
use gaoxin_core::supervise::sheet::{
    SAMPLE_NOTICE as SHEET_SAMPLE_NOTICE, Sheet, TITLE as SHEET_TITLE,
};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

#[derive(Debug, thiserror::Error)]
#[error("{}", gaoxin_core::text::Message::text(self))]
pub enum DocxError {
    Zip(#[from] zip::result::ZipError),
    Io(#[from] std::io::Error),
}

/// Why the document could not be written, in Chinese and English.
impl gaoxin_core::text::Message for DocxError {
    fn text(&self) -> gaoxin_core::text::Text {
        let why = match self {
            DocxError::Zip(e) => e.to_string(),
            DocxError::Io(e) => e.to_string(),
        };
        gaoxin_core::text::Text::new(
            format!("无法生成 Word 文档：{why}"),
            format!("cannot write the Word document: {why}"),
        )
    }
}

/// Millimetres to twips (1/1440 inch), rounded.
const fn mm(v: u32) -> u32 {
    (v * 14400 + 127) / 254
}

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const H1_FONT: &str = "黑体";
const H2_FONT: &str = "楷体_GB2312";
const PAGE_FONT: &str = "宋体";
/// Half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小4号 12 pt.
const SIZE_TITLE: u32 = 44;
const SIZE_BODY: u32 = 32;
const SIZE_PAGE: u32 = 28;
const SIZE_TABLE: u32 = 24;
/// 28.9 pt in twips: 22 lines on the 225 mm type area.
const LINE: u32 = 578;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 refuses most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn run(text: &str, font: &str, size: u32, extra: &str) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\"/>{extra}\
         <w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        esc(text)
    )
}

/// The body being written.
#[derive(Default)]
struct Body(String);

impl Body {
    fn para(&mut self, ppr: &str, runs: &str) {
        self.0
            .push_str(&format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"));
    }

    fn spacing() -> String {
        format!("<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{LINE}\" w:lineRule=\"exact\"/>")
    }

    fn title(&mut self, text: &str) {
        self.para(
            &format!("{}<w:jc w:val=\"center\"/>", Body::spacing()),
            &run(text, TITLE_FONT, SIZE_TITLE, ""),
        );
    }

    fn centred(&mut self, text: &str, font: &str) {
        self.para(
            &format!("{}<w:jc w:val=\"center\"/>", Body::spacing()),
            &run(text, font, SIZE_BODY, ""),
        );
    }

    fn blank(&mut self) {
        self.para(&Body::spacing(), "");
    }

    /// A body paragraph, first line indented two characters.
    fn text(&mut self, text: &str) {
        self.para(
            &format!(
                "{}<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/>",
                Body::spacing()
            ),
            &run(text, BODY_FONT, SIZE_BODY, ""),
        );
    }

    fn heading(&mut self, text: &str, font: &str) {
        self.para(
            &format!(
                "{}<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:keepNext/>",
                Body::spacing()
            ),
            &run(text, font, SIZE_BODY, ""),
        );
    }

    fn notice(&mut self, text: &str) {
        self.para(
            &format!("{}<w:jc w:val=\"center\"/>", Body::spacing()),
            &run(
                text,
                H1_FONT,
                SIZE_BODY,
                "<w:b/><w:color w:val=\"C00000\"/>",
            ),
        );
    }

    /// A paragraph flush right (the issuing office and the day under a document).
    fn right(&mut self, text: &str) {
        self.para(
            &format!(
                "{}<w:ind w:right=\"640\"/><w:jc w:val=\"right\"/>",
                Body::spacing()
            ),
            &run(text, BODY_FONT, SIZE_BODY, ""),
        );
    }

    /// A paragraph with no indent (a salutation).
    fn flush(&mut self, text: &str) {
        self.para(&Body::spacing(), &run(text, BODY_FONT, SIZE_BODY, ""));
    }

    /// A two-column form without a header row: the label (shaded, centred) and its text, one
    /// paragraph per line of the text.
    fn form(&mut self, rows: &[(&str, String)]) {
        let total = mm(210 - 28 - 26);
        let label_w = total * 220 / 1000;
        let text_w = total - label_w;
        let para = |text: &str, bold: bool, centre: bool| {
            format!(
                "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"60\" w:after=\"60\" \
                 w:line=\"360\" w:lineRule=\"auto\"/><w:jc w:val=\"{}\"/></w:pPr>{}</w:p>",
                if centre { "center" } else { "both" },
                run(
                    text,
                    BODY_FONT,
                    SIZE_BODY - 4,
                    if bold { "<w:b/>" } else { "" }
                )
            )
        };
        let mut xml = format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:color=\"000000\"/>\
             <w:left w:val=\"single\" w:sz=\"8\" w:color=\"000000\"/>\
             <w:bottom w:val=\"single\" w:sz=\"8\" w:color=\"000000\"/>\
             <w:right w:val=\"single\" w:sz=\"8\" w:color=\"000000\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/>\
             <w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/></w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"{label_w}\"/>\
             <w:gridCol w:w=\"{text_w}\"/></w:tblGrid>"
        );
        for (label, text) in rows {
            let lines: String = if text.is_empty() {
                para("", false, false)
            } else {
                text.lines().map(|l| para(l, false, false)).collect()
            };
            xml.push_str(&format!(
                "<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val=\"560\"/></w:trPr>\
                 <w:tc><w:tcPr><w:tcW w:w=\"{label_w}\" w:type=\"dxa\"/>\
                 <w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EDEFF2\"/><w:vAlign w:val=\"center\"/></w:tcPr>{}</w:tc>\
                 <w:tc><w:tcPr><w:tcW w:w=\"{text_w}\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>{lines}</w:tc></w:tr>",
                para(label, true, true)
            ));
        }
        xml.push_str("</w:tbl>");
        self.0.push_str(&xml);
    }

    /// A table with a header row, full type-area width split by `widths` (per mille).
    fn table(&mut self, headers: &[&str], widths: &[u32], rows: &[Vec<String>]) {
        let total = mm(210 - 28 - 26);
        let cols: Vec<u32> = widths.iter().map(|w| total * w / 1000).collect();
        let cell = |text: &str, w: u32, header: bool| {
            let extra = if header { "<w:b/>" } else { "" };
            let shade = if header {
                "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EDEFF2\"/>"
            } else {
                ""
            };
            format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>{shade}<w:vAlign w:val=\"center\"/></w:tcPr>\
                 <w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"40\" w:after=\"40\" w:line=\"300\" w:lineRule=\"auto\"/>\
                 <w:jc w:val=\"{}\"/></w:pPr>{}</w:p></w:tc>",
                if header { "center" } else { "left" },
                run(text, BODY_FONT, SIZE_TABLE, extra)
            )
        };
        let mut xml = format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders><w:top w:val=\"single\" w:sz=\"6\" w:color=\"000000\"/>\
             <w:left w:val=\"single\" w:sz=\"6\" w:color=\"000000\"/>\
             <w:bottom w:val=\"single\" w:sz=\"6\" w:color=\"000000\"/>\
             <w:right w:val=\"single\" w:sz=\"6\" w:color=\"000000\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/>\
             <w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/></w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
        );
        for w in &cols {
            xml.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        xml.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
        for (h, w) in headers.iter().zip(&cols) {
            xml.push_str(&cell(h, *w, true));
        }
        xml.push_str("</w:tr>");
        for r in rows {
            xml.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (v, w) in r.iter().zip(&cols) {
                xml.push_str(&cell(v, *w, false));
            }
            xml.push_str("</w:tr>");
        }
        xml.push_str("</w:tbl>");
        self.0.push_str(&xml);
    }
}

fn tally_rows(rows: &[Tally]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|t| {
            vec![
                t.label.clone(),
                t.owed.to_string(),
                t.on_time.to_string(),
                t.late.to_string(),
                t.missing.to_string(),
                t.rate(),
                t.behind.to_string(),
            ]
        })
        .collect()
}

const TALLY_HEADERS: [&str; 7] = [
    "",
    "应报",
    "按期报送",
    "逾期报送",
    "未报送",
    "报送率",
    "进度滞后",
];
const TALLY_WIDTHS: [u32; 7] = [310, 90, 120, 120, 100, 140, 120];

fn body_xml(b: &Bulletin) -> String {
    let mut d = Body::default();
    if b.sample {
        d.notice(SAMPLE_NOTICE);
    }
    // The title on its own line; the month under it, so neither breaks mid-word.
    d.title(&b.heading);
    match &b.issued {
        // 期号, then the issuing office and the day: an issued document.
        Some(i) => {
            d.centred(&i.line(), H2_FONT);
            d.centred(&format!("{}　{}", i.office, i.date), H2_FONT);
        }
        None => d.centred("（草稿）", H2_FONT),
    }
    d.centred(&format!("（{}）", b.issue), H2_FONT);
    d.centred(&format!("数据截至 {}", b.cutoff), H2_FONT);
    d.blank();
    d.heading("一、总体情况", H1_FONT);
    for p in &b.summary {
        d.text(p);
    }
    d.heading("二、工作事项报送情况", H1_FONT);
    d.heading("（一）按任务", H2_FONT);
    if b.by_task.is_empty() {
        d.text("本期没有应报送的工作事项。");
    } else {
        let mut h = TALLY_HEADERS;
        h[0] = "任务";
        d.table(&h, &TALLY_WIDTHS, &tally_rows(&b.by_task));
    }
    d.heading("（二）按单位", H2_FONT);
    if b.by_unit.is_empty() {
        d.text("本期没有应报送的单位。");
    } else {
        let mut h = TALLY_HEADERS;
        h[0] = "单位";
        d.table(&h, &TALLY_WIDTHS, &tally_rows(&b.by_unit));
    }
    d.heading("（三）逾期报送和未报送", H2_FONT);
    if b.shortfalls.is_empty() {
        d.text("本期各单位均按期报送。");
    } else {
        let rows: Vec<Vec<String>> = b
            .shortfalls
            .iter()
            .map(|s| {
                vec![
                    s.unit.clone(),
                    s.item.clone(),
                    s.task.clone(),
                    s.state.to_string(),
                ]
            })
            .collect();
        d.table(
            &["单位", "工作事项", "任务", "情况"],
            &[230, 330, 290, 150],
            &rows,
        );
    }
    d.heading("三、督办情况", H1_FONT);
    if b.orders.is_empty() {
        d.text("本期没有在办或办结的督办单。");
    } else {
        let rows: Vec<Vec<String>> = b
            .orders
            .iter()
            .map(|o| {
                vec![
                    o.number.clone(),
                    o.title.clone(),
                    o.assignee.clone(),
                    o.deadline.clone(),
                    format!("{}（{}）", o.state, o.light),
                ]
            })
            .collect();
        d.table(
            &["编号", "督办事项", "承办单位", "办理期限", "状态"],
            &[290, 260, 160, 130, 160],
            &rows,
        );
    }
    d.heading("四、指标滞后情况", H1_FONT);
    if b.lagging.is_empty() {
        d.text("各监测指标均达到序时进度，或尚无可评价的数据。");
    } else {
        let rows: Vec<Vec<String>> = b
            .lagging
            .iter()
            .map(|l| {
                vec![
                    l.zone.clone(),
                    l.indicator.clone(),
                    l.actual.clone(),
                    l.expected.clone(),
                    l.target.clone(),
                    l.status.to_string(),
                ]
            })
            .collect();
        d.table(
            &["高新区", "指标", "实际", "序时进度", "年度目标", "灯"],
            &[150, 310, 130, 140, 150, 120],
            &rows,
        );
    }
    if !b.subtargets.is_empty() {
        d.heading("五、任务量化子目标完成情况", H1_FONT);
        let rows: Vec<Vec<String>> = b.subtargets.iter().map(|l| l.cells().to_vec()).collect();
        d.table(
            &gaoxin_core::bulletin::SUB_HEADINGS,
            &[80, 250, 140, 90, 100, 110, 110, 120],
            &rows,
        );
    }
    d.blank();
    d.text(&format!("本通报依据《{}》编制。", b.plan_title));
    if let Some(i) = &b.issued {
        d.text(&format!("分送：{}。", i.distribution.join("，")));
    }
    document_xml(&d.0, b.sample)
}

/// The document part around a body: A4, the GB/T 9704 margins, the page number footer, and the
/// 示例数据 header when `sample`.
fn document_xml(body: &str, sample: bool) -> String {
    let header_ref = if sample {
        "<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{body}\
         <w:sectPr>{header_ref}<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"{}\" w:h=\"{}\"/>\
         <w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
         <w:docGrid w:type=\"linesAndChars\" w:linePitch=\"{LINE}\" w:charSpace=\"0\"/></w:sectPr></w:body></w:document>",
        mm(210),
        mm(297),
        mm(37),
        mm(26),
        mm(35),
        mm(28),
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
</Relationships>";

/// The styles every document shares. Western text (digits and Latin letters) is `en-US`, as a
/// Chinese Word's own Normal template has it: with `zh-CN` there LibreOffice (and so the PDF)
/// breaks a line inside a number of a Chinese paragraph — `202` / `6`, `3` / `15`.
fn styles() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{BODY_FONT}\" w:hAnsi=\"{BODY_FONT}\" \
         w:eastAsia=\"{BODY_FONT}\" w:cs=\"Times New Roman\"/><w:sz w:val=\"{SIZE_BODY}\"/>\
         <w:szCs w:val=\"{SIZE_BODY}\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"{LINE}\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">\
         <w:name w:val=\"Normal\"/></w:style></w:styles>"
    )
}

/// The page number, “— 1 —”, centred (GB/T 9704 puts it outside on two-sided prints; a bulletin
/// printed one-sided has it centred).
fn footer() -> String {
    let r = |t: &str| run(t, PAGE_FONT, SIZE_PAGE, "");
    let field = |instr: &str| {
        format!(
            "<w:r><w:rPr><w:rFonts w:ascii=\"{PAGE_FONT}\" w:hAnsi=\"{PAGE_FONT}\" w:eastAsia=\"{PAGE_FONT}\"/>\
             <w:sz w:val=\"{SIZE_PAGE}\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> {instr} </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            r("1")
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{}{}{}</w:p></w:ftr>",
        r("— "),
        field("PAGE"),
        r(" —")
    )
}

fn header() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr>{}</w:p></w:hdr>",
        run(
            "示例数据",
            H1_FONT,
            SIZE_TABLE,
            "<w:color w:val=\"C00000\"/>"
        )
    )
}

fn core_props(title: &str, description: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>gaoxin</dc:creator>\
         <dc:description>{}</dc:description></cp:coreProperties>",
        esc(title),
        esc(description),
    )
}

/// The bulletin as a `.docx` file.
pub fn bulletin_docx(b: &Bulletin) -> Result<Vec<u8>, DocxError> {
    let description = format!(
        "数据截至 {}{}",
        b.cutoff,
        if b.sample { "；示例数据" } else { "" }
    );
    package(body_xml(b), core_props(&b.title, &description))
}

/// The 对标分析报告 as a `.docx` file, in the bulletin's layout.
pub fn report_docx(r: &Report) -> Result<Vec<u8>, DocxError> {
    let mut d = Body::default();
    if r.sample {
        d.notice(REPORT_SAMPLE_NOTICE);
    }
    d.title(&r.title);
    for line in &r.lines {
        d.centred(line, H2_FONT);
    }
    d.blank();
    for block in &r.blocks {
        match block {
            Block::H1(t) => d.heading(t, H1_FONT),
            Block::H2(t) => d.heading(t, H2_FONT),
            Block::Text(t) => d.text(t),
            Block::Table(t) => {
                let headers: Vec<&str> = t.headers.iter().map(String::as_str).collect();
                d.table(&headers, &t.widths, &t.rows);
            }
        }
    }
    let description = format!(
        "{}{}",
        r.lines.join(" "),
        if r.sample { "；示例数据" } else { "" }
    );
    package(
        document_xml(&d.0, r.sample),
        core_props(&r.title, &description),
    )
}

/// A 督办通知单 as a `.docx` file, in the bulletin's layout: the title, the number, the unit
/// addressed, the matter as a form, the issuing office and day, and a receipt to sign and return.
pub fn order_sheet_docx(s: &Sheet) -> Result<Vec<u8>, DocxError> {
    let mut d = Body::default();
    if s.sample {
        d.notice(SHEET_SAMPLE_NOTICE);
    }
    d.title(SHEET_TITLE);
    d.centred(&s.number, H2_FONT);
    d.blank();
    d.flush(&s.salutation());
    d.text(&s.lead());
    d.form(&s.rows());
    d.blank();
    d.right(&s.issuer);
    d.right(&s.issued);
    d.blank();
    d.centred(
        "------------------------------------------------",
        BODY_FONT,
    );
    d.heading(s.receipt_heading(), H1_FONT);
    d.form(&s.receipt());
    package(
        document_xml(&d.0, s.sample),
        core_props(&format!("{SHEET_TITLE} {}", s.number), &s.title),
    )
}

/// The zip of a document's parts.
fn package(document: String, core: String) -> Result<Vec<u8>, DocxError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("word/footer1.xml", footer()),
        ("word/header1.xml", header()),
        ("docProps/core.xml", core),
    ];
    for (name, xml) in parts {
        zip.start_file(name, opts)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The text of a `.docx` document part, paragraph by paragraph (for checks of what it says).
pub fn document_text(document_xml: &str) -> Vec<String> {
    document_xml
        .split("</w:p>")
        .map(|p| {
            let mut out = String::new();
            let mut rest = p;
            // A text run is `<w:t>` or `<w:t …>`, not `<w:tbl>`, `<w:tc>` or `<w:tr>`.
            while let Some(at) = [rest.find("<w:t>"), rest.find("<w:t ")]
                .into_iter()
                .flatten()
                .min()
            {
                let after = &rest[at..];
                let Some(open_end) = after.find('>') else {
                    break;
                };
                let body = &after[open_end + 1..];
                let Some(close) = body.find("</w:t>") else {
                    break;
                };
                out.push_str(&body[..close]);
                rest = &body[close..];
            }
            out.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_setup_follows_gb_t_9704() {
        assert_eq!(mm(210), 11906);
        assert_eq!(mm(297), 16838);
        assert_eq!(mm(37), 2098);
        let b = Bulletin {
            title: "通报 <测试> & 1（2026年11月）".into(),
            heading: "通报 <测试> & 1".into(),
            issue: "2026年11月".into(),
            plan_title: "方案".into(),
            period: "2026-11".into(),
            cutoff: "2026-11-28T10:00:00+08:00".into(),
            sample: true,
            summary: vec!["总体".into()],
            by_task: Vec::new(),
            by_unit: Vec::new(),
            shortfalls: Vec::new(),
            orders: Vec::new(),
            lagging: Vec::new(),
            subtargets: Vec::new(),
            issued: None,
        };
        let xml = body_xml(&b);
        assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        assert!(xml.contains("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""));
        assert!(xml.contains(&format!(
            "w:eastAsia=\"{TITLE_FONT}\"/><w:sz w:val=\"44\"/>"
        )));
        assert!(xml.contains("w:line=\"578\" w:lineRule=\"exact\""));
        let text = document_text(&xml);
        assert_eq!(text[0], SAMPLE_NOTICE);
        assert_eq!(text[1], "通报 <测试> & 1");
        assert_eq!(text[2], "（草稿）", "not published");
        assert_eq!(text[3], "（2026年11月）");
        assert_eq!(text[4], "数据截至 2026-11-28T10:00:00+08:00");
        assert!(esc("a\u{1}b").eq("ab"));
        let bytes = bulletin_docx(&b).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
