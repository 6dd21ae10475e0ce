//! 台账's wording: what is wrong with a worksheet or a record, and the notes on what a clerk
//! typed, in Chinese and English (see [`crate::text`]).

use super::{Field, FieldKind, Ledger};
use crate::text::{Message, Text};

/// What is wrong with a ledger worksheet as a whole, or a row against the others.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SheetProblem<'a> {
    Empty,
    HeadingTwice(&'a str),
    ForeignHeading {
        heading: &'a str,
        ledger: &'a Ledger,
    },
    MissingColumn(&'a Field),
    Repeated {
        first: usize,
        columns: &'a [String],
    },
}

impl Message for SheetProblem<'_> {
    fn text(&self) -> Text {
        match *self {
            SheetProblem::Empty => Text::new(
                "文件是空的：第一行应为表头。",
                "the file is empty: the first row must be the header.",
            ),
            SheetProblem::HeadingTwice(h) => Text::new(
                format!("表头“{h}”出现了两次。"),
                format!("the heading \"{h}\" appears twice."),
            ),
            SheetProblem::ForeignHeading { heading, ledger } => Text::new(
                format!(
                    "表头“{heading}”不是“{}”台账的列：请使用本台账的模板。",
                    ledger.zh
                ),
                format!(
                    "\"{heading}\" is not a column of the {} ledger: use this ledger's template.",
                    ledger.en
                ),
            ),
            SheetProblem::MissingColumn(f) => Text::new(
                format!("缺少必填列“{}”。", f.zh),
                format!("the required column \"{}\" is missing.", f.en),
            ),
            SheetProblem::Repeated { first, columns } => Text::new(
                format!("与第 {first} 行重复（{}相同）。", columns.join("、")),
                format!("repeats row {first} (same {}).", columns.join(", ")),
            ),
        }
    }
}

/// What is wrong with a record as a whole.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RecordProblem<'a> {
    Required(&'a Field),
    /// `(name, English name, value)` of the end and of the start.
    EndsBeforeStart {
        end: (&'a str, &'a str, &'a str),
        start: (&'a str, &'a str, &'a str),
    },
}

impl Message for RecordProblem<'_> {
    fn text(&self) -> Text {
        match *self {
            RecordProblem::Required(f) => Text::new(
                format!("“{}”必须填写。", f.zh),
                format!("\"{}\" is required.", f.en),
            ),
            RecordProblem::EndsBeforeStart {
                end: (end_zh, end_en, to),
                start: (start_zh, start_en, from),
            } => Text::new(
                format!("“{end_zh}”（{to}）早于“{start_zh}”（{from}）。"),
                format!("\"{end_en}\" ({to}) is before \"{start_en}\" ({from})."),
            ),
        }
    }
}

/// What the value normaliser says about what a clerk typed: an error, or a note of a change.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Says<'a> {
    ControlCharacters(&'a Field),
    Trimmed(&'a Field),
    TooLong {
        field: &'a Field,
        max: usize,
        n: usize,
    },
    NotAnIndustry {
        field: &'a Field,
        text: &'a str,
        options: &'a [&'a str],
    },
    NumberAsDate {
        field: &'a Field,
        number: &'a str,
        iso: &'a str,
    },
    Unrecognised {
        field: &'a Field,
        shown: &'a str,
    },
    /// What a kind of field expects (errors, and the template's instructions).
    Expected(FieldKind),
    ReadAsOption {
        field: &'a Field,
        text: &'a str,
        option: &'a str,
    },
    UsccLength {
        field: &'a Field,
        text: &'a str,
        n: usize,
    },
    UsccCharacter {
        field: &'a Field,
        bad: char,
    },
    UsccCheckDigit {
        field: &'a Field,
        code: &'a str,
    },
    /// Typed one way, written another (a code, a date).
    WrittenAs {
        field: &'a Field,
        text: &'a str,
        as_: &'a str,
        quoted: bool,
    },
    NotARealDate {
        field: &'a Field,
        text: &'a str,
    },
    Negative(&'a Field),
    NotWhole(&'a Field),
    NotAUnit {
        field: &'a Field,
        text: &'a str,
        names: &'a [&'a str],
    },
    /// Typed one way, read as a value (an amount with its unit, a count, yes or no).
    ReadAs {
        field: &'a Field,
        text: &'a str,
        as_: &'a str,
        unit: &'a str,
        quoted: bool,
    },
}

impl Says<'_> {
    /// `(zh, en)`, as the normaliser passes them on.
    pub(crate) fn pair(&self) -> (String, String) {
        let t = self.text();
        (t.zh, t.en)
    }
}

impl Message for Says<'_> {
    fn text(&self) -> Text {
        let (zh, en) = match *self {
            Says::ControlCharacters(f) => (
                format!("“{}”含有不可见的控制字符。", f.zh),
                format!("\"{}\" contains control characters.", f.en),
            ),
            Says::Trimmed(f) => (
                format!("“{}”去掉了首尾空格。", f.zh),
                format!("\"{}\": leading or trailing spaces removed.", f.en),
            ),
            Says::TooLong { field, max, n } => (
                format!("“{}”最多 {max} 个字，现有 {n} 个。", field.zh),
                format!("\"{}\" has {n} characters, at most {max}.", field.en),
            ),
            Says::NotAnIndustry {
                field,
                text,
                options,
            } => (
                format!(
                    "“{}”填写的“{text}”不是方案所列的产业：应为{}之一。",
                    field.zh,
                    options.join("、")
                ),
                format!(
                    "\"{}\": \"{text}\" is not one of the plan's industries ({}).",
                    field.en,
                    options.join(", ")
                ),
            ),
            Says::NumberAsDate { field, number, iso } => (
                format!("“{}”的数字 {number} 读作日期 {iso}。", field.zh),
                format!(
                    "\"{}\": the number {number} read as the date {iso}.",
                    field.en
                ),
            ),
            Says::Unrecognised { field, shown } => {
                let (zh, en) = expected_text(field.kind);
                (
                    format!("“{}”填写的“{shown}”无法识别：应为{zh}。", field.zh),
                    format!("\"{}\": \"{shown}\" is not {en}.", field.en),
                )
            }
            Says::Expected(kind) => expected_text(kind),
            Says::ReadAsOption {
                field,
                text,
                option,
            } => (
                format!("“{}”的“{text}”按“{option}”处理。", field.zh),
                format!("\"{}\": \"{text}\" read as \"{option}\".", field.en),
            ),
            Says::UsccLength { field, text, n } => (
                format!("“{}”应为 18 位，“{text}”是 {n} 位。", field.zh),
                format!("\"{}\" has 18 characters; \"{text}\" has {n}.", field.en),
            ),
            Says::UsccCharacter { field, bad } => (
                format!(
                    "“{}”中不能出现“{bad}”（代码不使用 I、O、Z、S、V）。",
                    field.zh
                ),
                format!(
                    "\"{}\" cannot contain \"{bad}\" (the code never uses I, O, Z, S, V).",
                    field.en
                ),
            ),
            Says::UsccCheckDigit { field, code } => (
                format!("“{}”的校验位不对：“{code}”，请核对。", field.zh),
                format!("\"{}\": the check digit of {code} is wrong.", field.en),
            ),
            Says::WrittenAs {
                field,
                text,
                as_,
                quoted,
            } => (
                if quoted {
                    format!("“{}”“{text}”写作“{as_}”。", field.zh)
                } else {
                    format!("“{}”“{text}”写作 {as_}。", field.zh)
                },
                format!("\"{}\": \"{text}\" written as {as_}.", field.en),
            ),
            Says::NotARealDate { field, text } => (
                format!("“{}”的“{text}”不是有效日期。", field.zh),
                format!("\"{}\": \"{text}\" is not a real date.", field.en),
            ),
            Says::Negative(f) => (
                format!("“{}”不能为负数。", f.zh),
                format!("\"{}\" cannot be negative.", f.en),
            ),
            Says::NotWhole(f) => (
                format!("“{}”应为整数。", f.zh),
                format!("\"{}\" must be a whole number.", f.en),
            ),
            Says::NotAUnit { field, text, names } => (
                format!(
                    "“{}”的“{text}”不是方案中的区域：应为 {}。",
                    field.zh,
                    names.join("、")
                ),
                format!(
                    "\"{}\": \"{text}\" is not a unit of the plan ({}).",
                    field.en,
                    names.join(", ")
                ),
            ),
            Says::ReadAs {
                field,
                text,
                as_,
                unit,
                quoted,
            } => {
                let with_unit = if unit.is_empty() {
                    as_.to_string()
                } else {
                    format!("{as_} {unit}")
                };
                (
                    if quoted {
                        format!("“{}”“{text}”读作“{with_unit}”。", field.zh)
                    } else {
                        format!("“{}”“{text}”读作 {with_unit}。", field.zh)
                    },
                    format!("\"{}\": \"{text}\" read as {with_unit}.", field.en),
                )
            }
        };
        Text::new(zh, en)
    }
}

/// What a kind of field expects (the wording, in the domain's messages).
fn expected_text(kind: FieldKind) -> (String, String) {
    match kind {
        FieldKind::Text { max } => (
            format!("文字，最多 {max} 个字"),
            format!("text of at most {max} characters"),
        ),
        FieldKind::Code(options) => (
            format!("下列之一：{}", options.join("、")),
            format!("one of: {}", options.join(", ")),
        ),
        FieldKind::Industry => (
            "方案所列的主导产业之一，或“其他”（见下拉列表）".into(),
            "one of the plan's leading industries, or other (see the drop-down)".into(),
        ),
        FieldKind::Uscc | FieldKind::Ref(_) => (
            "18 位统一社会信用代码".into(),
            "an 18-character unified social credit code".into(),
        ),
        FieldKind::Date => (
            "日期，如 2025-03-01、2025/3/1 或 2025年3月1日".into(),
            "a date such as 2025-03-01, 2025/3/1 or 2025年3月1日".into(),
        ),
        FieldKind::Year => ("年份，如 2025".into(), "a year such as 2025".into()),
        FieldKind::Amount { unit } => (
            format!("不小于 0 的数，单位{unit}"),
            format!("a number of {unit}, not negative"),
        ),
        FieldKind::Signed { unit } => (
            format!("数，亏损为负数，单位{unit}"),
            format!("a number of {unit}, negative for a loss"),
        ),
        FieldKind::Count => (
            "不小于 0 的整数".into(),
            "a whole number, not negative".into(),
        ),
        FieldKind::Unit => (
            "方案中的区域名称，如 石家庄高新区".into(),
            "a unit of the plan, such as 石家庄高新区".into(),
        ),
        FieldKind::Flag => ("“是”或“否”".into(), "是 (yes) or 否 (no)".into()),
    }
}
