//! 工作方案's wording: every plan-file error, saying how to fix it, in Chinese and English.

use super::error::*;
use crate::text::{Message, Text};
use std::fmt;

impl super::error::PlanErrorKind {
    /// The message in Chinese, with how to fix it.
    pub(crate) fn zh(&self) -> String {
        match self {
            Self::Syntax { detail } if detail.is_empty() => {
                "方案文件格式错误：无法解析此处的内容（可能是不可见的控制字符）。请检查此处的 TOML 写法。"
                    .to_string()
            }
            Self::Syntax { detail } => format!(
                "方案文件格式错误：{detail}。请检查此处的 TOML 写法（引号、括号、逗号、字段名）。"
            ),
            Self::UnknownReference { what, id, known } => format!(
                "未知的{}“{id}”。请改为文件中已定义的{} id 之一：{}。",
                what.zh(),
                what.zh(),
                known.join("、")
            ),
            Self::DuplicateId {
                what,
                id,
                first_line,
            } => format!(
                "{} id“{id}”重复，第 {first_line} 行已经定义过。请改用一个不重复的 id。",
                what.zh()
            ),
            Self::DuplicateTarget {
                zone,
                indicator,
                year,
                first_line,
            } => format!(
                "高新区“{zone}”的指标“{indicator}”在 {year} 年已有目标（第 {first_line} 行）。\
                 每个高新区、指标、年份只能有一条目标，请删除或合并其中一条。"
            ),
            Self::YearOutsidePeriod { year, start, end } => format!(
                "年份 {year} 不在方案期 {start}–{end} 年之内。请改为 {start} 到 {end} 之间的年份，\
                 或修改 [plan] 中的 period。"
            ),
            Self::BadPeriod => "方案期 period 应写成 [起始年, 结束年]，且起始年不晚于结束年，\
                 例如 [2025, 2027]。"
                .to_string(),
            Self::ShareAbove100 { value } => format!(
                "占比目标 {}% 超过了 100%。占比不可能超过 100%，请检查数值是否多打了一位或单位是否写错。",
                super::format_value(*value)
            ),
            Self::BadValue { value, rule } => match rule {
                ValueRule::NotNegative => format!(
                    "数值 {} 无效：请填写不小于 0 的数（不能为负数、inf 或 nan）。",
                    super::format_value(*value)
                ),
                ValueRule::RankFromOne => format!(
                    "排名目标 {} 无效：名次应为从 1 开始的整数（“首位”写 1，“前二十”写 20）。",
                    super::format_value(*value)
                ),
                ValueRule::DayOfMonth => format!(
                    "截止日 {} 无效：请填写 1 到 28 之间的整数（次月几日截止填报）。",
                    super::format_value(*value)
                ),
                ValueRule::Days => format!(
                    "天数 {} 无效：请填写 1 到 3650 之间的整数。",
                    super::format_value(*value)
                ),
            },
            Self::BadChoice {
                field,
                value,
                allowed,
            } => format!(
                "字段 {field} 的值“{value}”无效。可选值：{}。",
                allowed.join("、")
            ),
            Self::BadId { id } => format!(
                "id“{id}”格式不对：只能用小写英文字母、数字和连字符（-），并以字母或数字开头，\
                 例如 sjz-hz。"
            ),
            Self::Empty { field } => format!("字段 {field} 不能为空，请填写。"),
            Self::QuoteNotFound => "摘录 quote 在文末 [text] 原文中找不到。请从原文中逐字复制\
                 （空白和换行可以不同，其他字符包括标点必须一致）。"
                .to_string(),
            Self::QuoteAmbiguous { count } => format!(
                "摘录 quote 在原文中出现了 {count} 次，无法确定对应哪一句。请加长摘录，使它在原文中只出现一次。"
            ),
            Self::NotAZone { id } => format!(
                "“{id}”不是高新区（[[unit]] 的 kind 不是 \"zone\"），发展目标只能设在高新区上。\
                 请改为一个高新区的 id。"
            ),
            Self::ShareWithoutBase { zone } => format!(
                "高新区“{zone}”没有写 share_base，无法设定占比类目标。请在该 [[unit]] 中写明\
                 占比的分母区域，例如 share_base = \"sjz\"（占全市）。"
            ),
            Self::WrongDepartmentKind { id, expected } => format!(
                "部门“{id}”的类别不是 {expected}，不能用在这里。牵头部门 lead 只能引用 kind = \"lead\" \
                 的部门，实施单位只能引用 kind = \"implementing\" 的单位。"
            ),
            Self::NoLead => {
                "重点任务必须写明至少一个牵头部门（lead）。请按原文括号中的部门填写。".to_string()
            }
            Self::BadRange => "区间写法不对：comparator = \"between\" 时必须同时写 value（下限）\
                 和 max（上限），且 max 不小于 value；其他比较符不写 max。"
                .to_string(),
            Self::BadYearForCadence => {
                "年份写法不对：cadence = \"once\"（某一年内）时必须写 year；\
                 yearly（每年）和 standing（持续）不写 year。"
                    .to_string()
            }
            Self::FigureKindMismatch { figure, allowed } => format!(
                "基础数据“{figure}”的类别不适用于这个指标：此类指标只能由 kind 为 {} 的基础数据计算。\
                 请换一个基础数据，或改正指标的 kind。",
                allowed.join("、")
            ),
            Self::TwoTolerances => {
                "tolerance（绝对值）和 tolerance_percent（百分比）只能写一个。".to_string()
            }
            Self::CountedKind { count, needs } => format!(
                "台账统计“{count}”得到的是{}，基础数据的 kind 应为 {needs}。",
                if *needs == "level" {
                    "期末数"
                } else {
                    "本年累计数"
                }
            ),
            Self::CountedUnit { count, share } => if *share {
                format!("台账统计“{count}”得到的是比例，子目标的 unit 应为 \"%\"。")
            } else {
                format!("台账统计“{count}”得到的是个数，子目标的 unit 不能是 \"%\"（写 个、场、次 等）。")
            },
            Self::CountedStanding { count } => format!(
                "台账统计“{count}”只计本年的记录，每年 1 月重新计数，不能用于方案期内持续满足（cadence = \"standing\"）的子目标：请改为 yearly 或 once。"
            ),
            Self::DuplicateIndustry { name } => {
                format!("产业“{name}”重复（“其他”无需列出，台账总会提供）。")
            }
            Self::JudgedNotRank => "framework 和 peers 只用于排名指标（kind = \"rank\"）：\
                 请删去，或把指标改为排名指标。"
                .to_string(),
            Self::JudgedIncomplete => "framework（评价框架）和 peers（对标的高新区集合）须一起填写，\
                 例如 framework = \"national-2021\"、peers = \"national\"。"
                .to_string(),
            Self::UnknownLedger { id, known } => {
                format!("没有名为“{id}”的台账。可用的台账：{}。", known.join("、"))
            }
        }
    }

    /// The message in English, with how to fix it.
    pub(crate) fn en(&self) -> String {
        match self {
            Self::Syntax { detail } if detail.is_empty() => {
                "malformed plan file: this cannot be read (an invisible control character?). Check \
                 the TOML here."
                    .to_string()
            }
            Self::Syntax { detail } => format!(
                "malformed plan file: {detail}. Check the TOML here (quotes, brackets, commas, field names)."
            ),
            Self::UnknownReference { what, id, known } => format!(
                "unknown {} \"{id}\". Use one of the {} ids defined in the file: {}.",
                what.en(),
                what.en(),
                known.join(", ")
            ),
            Self::DuplicateId { what, id, first_line } => format!(
                "duplicate {} id \"{id}\", already defined on line {first_line}. Choose an id that is not used yet.",
                what.en()
            ),
            Self::DuplicateTarget { zone, indicator, year, first_line } => format!(
                "zone \"{zone}\" already has a target for indicator \"{indicator}\" in {year} (line {first_line}). \
                 Keep one target per zone, indicator and year."
            ),
            Self::YearOutsidePeriod { year, start, end } => format!(
                "year {year} is outside the plan's period {start}-{end}. Use a year from {start} to {end}, \
                 or change period in [plan]."
            ),
            Self::BadPeriod => "period must be [first year, last year] with the first not after the last, \
                 e.g. [2025, 2027]."
                .to_string(),
            Self::ShareAbove100 { value } => format!(
                "share target {}% is above 100%. A share cannot exceed 100%: check for an extra digit or a wrong unit.",
                super::format_value(*value)
            ),
            Self::BadValue { value, rule } => match rule {
                ValueRule::NotNegative => format!(
                    "value {} is invalid: use a number of 0 or more (not negative, inf or nan).",
                    super::format_value(*value)
                ),
                ValueRule::RankFromOne => format!(
                    "rank target {} is invalid: a rank is a whole number from 1 (first place is 1, top twenty is 20).",
                    super::format_value(*value)
                ),
                ValueRule::DayOfMonth => format!(
                    "deadline day {} is invalid: use a whole number from 1 to 28 (the day of the following month entry closes).",
                    super::format_value(*value)
                ),
                ValueRule::Days => format!(
                    "{} days is invalid: use a whole number from 1 to 3650.",
                    super::format_value(*value)
                ),
            },
            Self::BadChoice { field, value, allowed } => format!(
                "\"{value}\" is not a valid value for {field}. Allowed: {}.",
                allowed.join(", ")
            ),
            Self::BadId { id } => format!(
                "id \"{id}\" is malformed: use lower-case letters, digits and hyphens, starting with a letter or digit, e.g. sjz-hz."
            ),
            Self::Empty { field } => format!("{field} must not be empty."),
            Self::QuoteNotFound => "quote is not in the plan text under [text]. Copy it word for word from the text \
                 (whitespace and line breaks may differ; every other character, punctuation included, must match)."
                .to_string(),
            Self::QuoteAmbiguous { count } => format!(
                "quote occurs {count} times in the plan text, so it cannot point at one sentence. Lengthen it until it occurs once."
            ),
            Self::NotAZone { id } => format!(
                "\"{id}\" is not a high-tech zone (its [[unit]] kind is not \"zone\"); targets belong to zones. Use a zone's id."
            ),
            Self::ShareWithoutBase { zone } => format!(
                "zone \"{zone}\" has no share_base, so it cannot have share targets. Add the unit its shares are of to its [[unit]], \
                 e.g. share_base = \"sjz\"."
            ),
            Self::WrongDepartmentKind { id, expected } => format!(
                "department \"{id}\" is not of kind {expected} and cannot be used here: lead takes departments of kind \"lead\", \
                 implementing takes units of kind \"implementing\"."
            ),
            Self::NoLead => "a key task needs at least one lead department (lead), as listed in the plan's parentheses."
                .to_string(),
            Self::BadRange => "range is malformed: comparator = \"between\" needs value (lower bound) and max (upper bound) \
                 with max not below value; other comparators take no max."
                .to_string(),
            Self::BadYearForCadence => "year is misplaced: cadence = \"once\" needs a year; yearly and standing take none."
                .to_string(),
            Self::FigureKindMismatch { figure, allowed } => format!(
                "figure \"{figure}\" is of a kind this indicator cannot be computed from: use a figure of kind {}, \
                 or correct the indicator's kind.",
                allowed.join(", ")
            ),
            Self::TwoTolerances => "give either tolerance (absolute) or tolerance_percent, not both.".to_string(),
            Self::CountedKind { count, needs } => format!(
                "the ledger count \"{count}\" gives {}, so the figure's kind must be {needs}.",
                if *needs == "level" { "a level at the period's end" } else { "a count of the year so far" }
            ),
            Self::CountedUnit { count, share } => if *share {
                format!("the ledger count \"{count}\" gives a share, so the sub-target's unit must be \"%\".")
            } else {
                format!("the ledger count \"{count}\" gives a number, so the sub-target's unit cannot be \"%\" (write 个, 场, 次 …).")
            },
            Self::CountedStanding { count } => format!(
                "the ledger count \"{count}\" takes the year's records only and starts again each January, so it cannot count a standing sub-target (cadence = \"standing\"): make it yearly or once."
            ),
            Self::DuplicateIndustry { name } => format!(
                "industry \"{name}\" is listed twice (\"other\" needs no listing: the ledgers always offer it)."
            ),
            Self::JudgedNotRank => "framework and peers belong to rank indicators (kind = \"rank\") \
                 only: remove them, or make the indicator a rank."
                .to_string(),
            Self::JudgedIncomplete => "framework (the evaluation) and peers (the peer set) go \
                 together, e.g. framework = \"national-2021\" and peers = \"national\"."
                .to_string(),
            Self::UnknownLedger { id, known } => format!(
                "there is no ledger \"{id}\". Ledgers: {}.",
                known.join(", ")
            ),
        }
    }
}

impl Message for super::error::PlanErrorKind {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

impl super::error::Entity {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Entity::Unit => "区域",
            Entity::Zone => "高新区",
            Entity::Department => "部门",
            Entity::Indicator => "指标",
            Entity::Group => "任务分组",
            Entity::Task => "任务",
            Entity::SubTarget => "子目标",
            Entity::Figure => "基础数据",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            Entity::Unit => "unit",
            Entity::Zone => "zone",
            Entity::Department => "department",
            Entity::Indicator => "indicator",
            Entity::Group => "task group",
            Entity::Task => "task",
            Entity::SubTarget => "sub-target",
            Entity::Figure => "figure",
        }
    }
}

/// The report the console prints: each error in Chinese, then in English, then the count.
impl fmt::Display for PlanErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.errors {
            writeln!(
                f,
                "{}:{}:{}: 错误：{}",
                self.file,
                e.line,
                e.column,
                e.kind.zh()
            )?;
            writeln!(
                f,
                "{}:{}:{}: error: {}",
                self.file,
                e.line,
                e.column,
                e.kind.en()
            )?;
        }
        write!(
            f,
            "{}：共 {n} 处错误，方案未通过校验。/ {}: {n} error(s); the plan is not valid.",
            self.file,
            self.file,
            n = self.errors.len()
        )
    }
}

/// Each error at its line and column in one language, then the count.
impl Message for PlanErrors {
    fn text(&self) -> Text {
        let mut zh = String::new();
        let mut en = String::new();
        for e in &self.errors {
            zh.push_str(&format!(
                "{}:{}:{}: 错误：{}\n",
                self.file,
                e.line,
                e.column,
                e.kind.zh()
            ));
            en.push_str(&format!(
                "{}:{}:{}: error: {}\n",
                self.file,
                e.line,
                e.column,
                e.kind.en()
            ));
        }
        let n = self.errors.len();
        zh.push_str(&format!("{}：共 {n} 处错误，方案未通过校验。", self.file));
        en.push_str(&format!(
            "{}: {n} error(s); the plan is not valid.",
            self.file
        ));
        Text::new(zh, en)
    }
}
