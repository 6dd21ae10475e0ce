//! 督办通知单 — an order as the paper the dispatch office prints, signs and sends: its number,
//! the unit it is handed to, what it is about and why, what is required, the deadline, any
//! leader's instruction, the issuing office and day, and a receipt the unit signs and returns.
//! This module says what the sheet holds, in the words an office writes; `gaoxin_docx` lays it
//! out as an official document.

/// Printed on a sheet made from sample data.
pub const SAMPLE_NOTICE: &str = "示例数据：本通知单由演示数据生成，不是正式督办文件。";

/// The sheet's title.
pub const TITLE: &str = "督办通知单";

/// An order as a 督办通知单. Every text is as people read it (dates as 2026年12月11日).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// 督办〔2026〕8号.
    pub number: String,
    pub title: String,
    /// The unit it is handed to (its name), empty before 交办.
    pub assignee: String,
    /// The 协办单位 by name (、-separated), empty when none.
    pub co_units: String,
    /// What it is about: a task, a lagging indicator, or a matter of its own.
    pub subject: String,
    /// 督办事由.
    pub basis: String,
    /// 督办要求 of the latest 交办.
    pub requirements: String,
    /// 办理期限, empty before 交办.
    pub deadline: String,
    /// 领导批示, oldest first: (who, when, what).
    pub instructions: Vec<(String, String, String)>,
    /// The office that issues it (the plan's dispatch office).
    pub issuer: String,
    /// The day it is printed.
    pub issued: String,
    pub sample: bool,
}

impl Sheet {
    /// The file a download is saved as: 督办通知单-督办〔2026〕8号.docx.
    pub fn file_name(&self) -> String {
        format!("{TITLE}-{}.docx", self.number)
    }

    /// The opening line, addressed to the unit.
    pub fn salutation(&self) -> String {
        if self.assignee.is_empty() {
            "（尚未交办承办单位）".to_string()
        } else {
            format!("{}：", self.assignee)
        }
    }

    /// The paragraph that hands the matter over.
    pub fn lead(&self) -> String {
        if self.deadline.is_empty() {
            "现将下列事项列入督办，交办后请承办单位按要求办理并反馈。".to_string()
        } else {
            format!(
                "现将下列事项交你单位办理，请于{}前办结，并通过高新区三年提升调度平台反馈办理情况；逾期未反馈的，将提级督办。",
                self.deadline
            )
        }
    }

    /// The form's rows: (label, text).
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let or_dash = |s: &str| {
            if s.trim().is_empty() {
                "—".to_string()
            } else {
                s.to_string()
            }
        };
        let mut rows: Vec<(&'static str, String)> = vec![
            ("督办编号", self.number.clone()),
            ("督办事项", self.title.clone()),
            ("承办单位", or_dash(&self.assignee)),
            ("督办对象", or_dash(&self.subject)),
            ("督办事由", or_dash(&self.basis)),
            ("督办要求", or_dash(&self.requirements)),
            ("办理期限", or_dash(&self.deadline)),
        ];
        if !self.co_units.is_empty() {
            rows.insert(3, ("协办单位", self.co_units.clone()));
        }
        if !self.instructions.is_empty() {
            let text = self
                .instructions
                .iter()
                .map(|(who, at, what)| format!("{what}（{who}，{at}）"))
                .collect::<Vec<_>>()
                .join("\n");
            rows.push(("领导批示", text));
        }
        rows
    }

    /// The receipt's rows, left blank for the unit to fill in by hand.
    pub fn receipt(&self) -> Vec<(&'static str, String)> {
        vec![
            ("督办编号", self.number.clone()),
            ("承办单位", self.assignee.clone()),
            ("签收人", String::new()),
            ("签收时间", String::new()),
            ("联系电话", String::new()),
        ]
    }

    /// The receipt's heading.
    pub fn receipt_heading(&self) -> &'static str {
        "签收回执（请签收后交回调度办）"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            number: "督办〔2026〕8号".into(),
            title: "营业收入增速进度滞后".into(),
            assignee: "石家庄高新区管委会".into(),
            co_units: "市科技局、市统计局".into(),
            subject: "石家庄高新区 · 营业收入增速".into(),
            basis: "11 月实际 6.2%，序时进度 9.1%。".into(),
            requirements: "请分析原因，报送下一步措施。".into(),
            deadline: "2026年12月11日".into(),
            instructions: vec![("李市长".into(), "2026年12月3日 09:00".into(), "抓紧".into())],
            issuer: "市高新区建设调度办公室".into(),
            issued: "2026年12月4日".into(),
            sample: false,
        }
    }

    #[test]
    fn a_sheet_says_what_an_office_writes() {
        let s = sheet();
        assert_eq!(s.file_name(), "督办通知单-督办〔2026〕8号.docx");
        assert_eq!(s.salutation(), "石家庄高新区管委会：");
        assert!(s.lead().contains("请于2026年12月11日前办结"));
        let rows = s.rows();
        assert_eq!(rows.len(), 9);
        assert_eq!(rows[3], ("协办单位", "市科技局、市统计局".into()));
        assert_eq!(
            rows[8],
            ("领导批示", "抓紧（李市长，2026年12月3日 09:00）".into())
        );
        // Before 交办: no unit, no deadline, dashes in the form.
        let opened = Sheet {
            assignee: String::new(),
            co_units: String::new(),
            deadline: String::new(),
            requirements: String::new(),
            instructions: Vec::new(),
            ..sheet()
        };
        assert_eq!(opened.rows()[2].1, "—");
        assert!(!opened.lead().contains("前办结"));
        assert_eq!(opened.rows().len(), 7);
    }
}
