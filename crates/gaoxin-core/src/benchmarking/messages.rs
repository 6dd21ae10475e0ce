//! 对标分析's wording: every framework-file error, saying how to fix it, in Chinese and English.

use super::framework::{FrameworkErrorKind as K, FrameworkErrors};
use crate::plan::format_value;
use crate::text::{Message, Text};
use std::fmt;

impl K {
    pub(crate) fn zh(&self) -> String {
        match self {
            K::Syntax { detail } => format!(
                "评价框架文件格式错误：{detail}。请检查此处的 TOML 写法（引号、括号、字段名），\
                 字段说明见 plans/evaluations/national-2021.toml 开头。"
            ),
            K::BadId { id } => format!(
                "id“{id}”格式不对：只能用小写英文字母、数字和连字符（-），例如 rd-intensity。"
            ),
            K::DuplicateId { id, first_line } => {
                format!("id“{id}”重复，第 {first_line} 行已经定义过。请改用一个不重复的 id。")
            }
            K::UnknownDimension { id, known } => format!(
                "未知的维度“{id}”。请改为文件中已定义的维度 id 之一：{}。",
                known.join("、")
            ),
            K::Empty { field } => format!("字段 {field} 不能为空，请填写。"),
            K::BadChoice {
                field,
                value,
                allowed,
            } => format!(
                "字段 {field} 的值“{value}”无效。可选值：{}。",
                allowed.join("、")
            ),
            K::BadDimensionWeight { value } => format!(
                "维度权重 {} 无效：请填写大于 0、不超过 100 的百分数（例如 20 表示 20%）。",
                format_value(*value)
            ),
            K::BadIndicatorWeight { value } => format!(
                "指标相对权重 {} 无效：请填写大于 0、不超过 10 的数（常见为 0.8、1、1.2）。",
                format_value(*value)
            ),
            K::WeightSum {
                sum,
                complete: true,
            } => format!(
                "各维度权重合计 {}%，不等于 100%。complete = true 的框架须列全所有维度、合计 100%；\
                 请核对权重，或在尚未列全时改为 complete = false。",
                format_value(*sum)
            ),
            K::WeightSum { sum, .. } => format!(
                "各维度权重合计 {}%，超过了 100%。请核对各维度的权重。",
                format_value(*sum)
            ),
            K::NoSource { field } => format!(
                "标为 confirmed（已证实）须写明依据的公开文件：请填写 {field}；\
                 没有公开依据时改为 assumed（推定）。"
            ),
            K::SourceOnAssumed { field } => format!(
                "标为 assumed（推定）的不应写 {field}。若已有公开文件为依据，请改为 confirmed；\
                 否则删去 {field}。"
            ),
            K::BadDate { value } => {
                format!("日期“{value}”格式不对：请写成 YYYY-MM-DD，例如 2021-04-22。")
            }
            K::NoDimensions => {
                "框架没有任何维度：请至少写一个 [[dimension]]（一级指标）。".to_string()
            }
        }
    }

    pub(crate) fn en(&self) -> String {
        match self {
            K::Syntax { detail } => format!(
                "the framework file is not well formed: {detail}. Check the TOML here (quotes, \
                 brackets, field names); the fields are described at the top of \
                 plans/evaluations/national-2021.toml."
            ),
            K::BadId { id } => format!(
                "id \"{id}\" is malformed: use lower-case letters, digits and hyphens only, e.g. \
                 rd-intensity."
            ),
            K::DuplicateId { id, first_line } => format!(
                "id \"{id}\" is defined twice; line {first_line} defines it first. Use an id that \
                 is not taken."
            ),
            K::UnknownDimension { id, known } => format!(
                "unknown dimension \"{id}\". Use one of the dimension ids the file defines: {}.",
                known.join(", ")
            ),
            K::Empty { field } => format!("field {field} must not be empty; fill it in."),
            K::BadChoice {
                field,
                value,
                allowed,
            } => format!(
                "field {field} has the value \"{value}\", which is not allowed. Allowed: {}.",
                allowed.join(", ")
            ),
            K::BadDimensionWeight { value } => format!(
                "dimension weight {} is not valid: give a percentage above 0 and at most 100 \
                 (20 means 20%).",
                format_value(*value)
            ),
            K::BadIndicatorWeight { value } => format!(
                "indicator weight {} is not valid: give a number above 0 and at most 10 \
                 (usually 0.8, 1 or 1.2).",
                format_value(*value)
            ),
            K::WeightSum {
                sum,
                complete: true,
            } => format!(
                "the dimension weights add up to {}%, not 100%. A framework with complete = true \
                 lists every dimension, adding up to 100%; check the weights, or set \
                 complete = false while the list is not complete.",
                format_value(*sum)
            ),
            K::WeightSum { sum, .. } => format!(
                "the dimension weights add up to {}%, more than 100%. Check the weights.",
                format_value(*sum)
            ),
            K::NoSource { field } => format!(
                "a confirmed name or weight names the public document it comes from: fill in \
                 {field}, or mark it assumed when there is none."
            ),
            K::SourceOnAssumed { field } => format!(
                "an assumed name or weight has no {field}. If a public document confirms it, mark \
                 it confirmed; otherwise remove {field}."
            ),
            K::BadDate { value } => {
                format!("date \"{value}\" is malformed: write YYYY-MM-DD, e.g. 2021-04-22.")
            }
            K::NoDimensions => {
                "the framework has no dimension: write at least one [[dimension]].".to_string()
            }
        }
    }
}

/// The report the console prints: each error in Chinese, then in English, then the count.
impl fmt::Display for FrameworkErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.text();
        write!(f, "{}\n{}", t.zh, t.en)
    }
}

impl Message for FrameworkErrors {
    fn text(&self) -> Text {
        let (mut zh, mut en) = (String::new(), String::new());
        for e in &self.errors {
            let place = format!("{}:{}:{}", self.file, e.line, e.column);
            zh.push_str(&format!("{place}: 错误：{}\n", e.kind.zh()));
            en.push_str(&format!("{place}: error: {}\n", e.kind.en()));
        }
        let n = self.errors.len();
        zh.push_str(&format!(
            "{}：共 {n} 处错误，评价框架未通过校验。",
            self.file
        ));
        en.push_str(&format!(
            "{}: {n} error(s); the evaluation framework is not valid.",
            self.file
        ));
        Text::new(zh, en)
    }
}

/// The peer workbook's fixed headings (Chinese: the workbook is read back by them).
pub(crate) fn heading_zone() -> &'static str {
    "高新区"
}

pub(crate) fn heading_source() -> &'static str {
    "来源"
}

pub(crate) const HEADING_RANK_PREFIX: &str = "公布名次";

pub(crate) fn heading_rank(result_year: i32) -> String {
    format!("{HEADING_RANK_PREFIX}（{result_year} 年评价，总排名）")
}

/// A dimension's published rank (from the zone's result letter): "公布名次·一 创新能力和创业活跃度".
pub(crate) const HEADING_DIMENSION_RANK: &str = "公布名次·";

pub(crate) fn heading_dimension_rank(no: &str, name: &str) -> String {
    format!("{HEADING_DIMENSION_RANK}{no} {name}")
}

/// A published single-item list's rank: "公布名次·单项 工业总产值".
pub(crate) const HEADING_ITEM_RANK: &str = "公布名次·单项 ";

/// The single-item top-20 lists published with the 2024 results (新华社, 2024-12-23).
pub(crate) const SINGLE_ITEMS: &[&str] = &[
    "工业总产值",
    "高技术产业营业收入",
    "企业研发经费投入强度",
    "人均技术合同成交额",
    "优质企业数量",
    "营商环境",
];

/// What is wrong with a peer workbook's cell or row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SheetProblem {
    NoHeadings,
    NoSourceColumn,
    UnknownHeading { framework: String },
    DuplicateColumn,
    NoHeading,
    BadRank { value: String },
    BadNumber { value: String },
    NoZone,
    TooLong { max: usize },
    DuplicateZone { first_line: usize },
    NoSource,
}

impl Message for SheetProblem {
    fn text(&self) -> Text {
        use SheetProblem as P;
        match self {
            P::NoHeadings => Text::new(
                "找不到标题行：第一列标题应为“高新区”。请用系统下载的对标数据模板填写。",
                "no heading row: the first column's heading is 高新区 (zone). Fill in the benchmarking template downloaded from gaoxin.",
            ),
            P::NoSourceColumn => Text::new(
                "缺少“来源”列：每个高新区的数据须注明来源（如统计年鉴、公布名单）。",
                "the 来源 (source) column is missing: every zone's values name where they come from (a yearbook, a published list).",
            ),
            P::UnknownHeading { framework } => Text::new(
                format!(
                    "该列标题不是评价框架“{framework}”的指标：请用“编号 指标名称（单位）”或模板中的标题。"
                ),
                format!(
                    "this heading is not an indicator of framework \"{framework}\": use \"number name (unit)\" or the template's heading."
                ),
            ),
            P::DuplicateColumn => Text::new(
                "该指标的列出现了两次：请删去其中一列。",
                "this indicator's column appears twice: remove one.",
            ),
            P::NoHeading => Text::new(
                "这一格有内容，但所在列没有标题：请补上指标标题或删去内容。",
                "this cell has a value but its column has no heading: add the indicator's heading or clear it.",
            ),
            P::BadRank { value } => Text::new(
                format!("名次“{value}”无效：请填写从 1 开始的整数，未公布的留空。"),
                format!(
                    "rank \"{value}\" is not valid: a whole number from 1; leave it empty when not published."
                ),
            ),
            P::BadNumber { value } => Text::new(
                format!(
                    "“{value}”不是数值：请填写数字（可带千分位逗号或 %），没有数据的留空或填“-”。"
                ),
                format!(
                    "\"{value}\" is not a number: write a number (thousands commas or % allowed); leave it empty or write - when there is none."
                ),
            ),
            P::NoZone => Text::new(
                "缺少高新区名称：请填写，或删除这一行。",
                "the zone's name is missing: fill it in or delete the row.",
            ),
            P::TooLong { max } => Text::new(
                format!("内容过长：最多 {max} 个字。"),
                format!("too long: at most {max} characters."),
            ),
            P::DuplicateZone { first_line } => Text::new(
                format!("这个高新区在第 {first_line} 行已经出现过：每个高新区一行，请合并。"),
                format!("this zone is already on row {first_line}: one row per zone; merge them."),
            ),
            P::NoSource => Text::new(
                "有数值但没有来源：请注明来源（如《中国火炬统计年鉴》2025、本区评价结果通知书）。",
                "values without a source: name where they come from (e.g. the torch statistics yearbook 2025, the zone's result letter).",
            ),
        }
    }
}
