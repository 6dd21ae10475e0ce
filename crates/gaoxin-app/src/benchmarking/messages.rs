//! 对标分析's wording in the use cases: why there is nothing to estimate, where a computed value
//! came from, what a 补强 step takes, and the enterprises that move an indicator.

use super::Missing;
use gaoxin_core::text::{Message, Text};

impl Message for Missing {
    fn text(&self) -> Text {
        match self {
            Missing::NotJudged => Text::new(
                "方案没有为该高新区的排名指定评价框架（指标的 framework 和 peers）。",
                "the plan names no evaluation for this zone's rank (the indicator's framework and peers).",
            ),
            Missing::NoFramework(id) => Text::new(
                format!("评价框架“{id}”尚未载入：请用 gaoxin evaluation load 载入。"),
                format!(
                    "evaluation framework \"{id}\" is not loaded: load it with gaoxin evaluation load."
                ),
            ),
            Missing::FrameworkEmpty(id) => Text::new(
                format!(
                    "评价框架“{id}”还没有列出任何指标，无法估算：请按考核文件补全后用 \
                     gaoxin evaluation load 载入新版本。"
                ),
                format!(
                    "evaluation framework \"{id}\" lists no indicator yet, so nothing can be \
                     estimated: complete it from the evaluation document and load the new version \
                     with gaoxin evaluation load."
                ),
            ),
            Missing::NoValues => Text::new(
                "还没有对标数据：本区和对标高新区在该评价框架下的指标数值尚未录入。",
                "no benchmarking data yet: neither this zone's nor its peers' values under this \
                 framework have been entered.",
            ),
        }
    }
}

/// An amount of 万元 as people say it: 亿元 from ten thousand up.
fn money(x: f64) -> (String, String) {
    let zh = if x.abs() >= 10_000.0 {
        format!("{:.2} 亿元", x / 10_000.0)
    } else {
        format!("{x:.0} 万元")
    };
    let en = format!("CNY {:.1} million", x / 100.0);
    (zh, en)
}

/// Where a value computed from the ledgers came from, for its lineage.
pub(crate) fn computed_source(formula: &str, enterprises: usize) -> String {
    if formula == "hitech-net-increase" {
        format!("由企业资质台账计算（期末有效高新技术企业 {enterprises} 家）")
    } else {
        format!("由企业年度统计台账计算（{enterprises} 家企业）")
    }
}

/// What raising an indicator means in the zone's own terms (`gaoxin_core::benchmarking::formula::own_terms`).
pub(crate) fn own_terms(amount: f64, what: &str) -> Option<Text> {
    let (m_zh, m_en) = money(amount);
    let (zh, en) = match what {
        "rd-spending" => (
            format!("R&D 经费内部支出增加约 {m_zh}"),
            format!("about {m_en} more internal R&D spending"),
        ),
        "rd-fte" => (
            format!("R&D 人员全时当量增加约 {amount:.0} 人年"),
            format!("about {amount:.0} more R&D person-years"),
        ),
        "graduates" => (
            format!("本科及以上学历从业人员增加约 {amount:.0} 人"),
            format!("about {amount:.0} more graduate employees"),
        ),
        "returnees" => (
            format!("留学归国和外籍常驻人员增加约 {amount:.0} 人"),
            format!("about {amount:.0} more returnees and foreign staff"),
        ),
        "inv-granted" => (
            format!("发明专利授权增加约 {amount:.0} 件"),
            format!("about {amount:.0} more invention patents granted"),
        ),
        "tech-contracts" => (
            format!("技术合同成交额增加约 {m_zh}"),
            format!("about {m_en} more technology contracts"),
        ),
        "profit" => (
            format!("净利润增加约 {m_zh}"),
            format!("about {m_en} more net profit"),
        ),
        "hitech-exports" => (
            format!("高新技术企业出口额增加约 {m_zh}"),
            format!("about {m_en} more high-tech exports"),
        ),
        "rd5-revenue" => (
            format!("研发投入强度达 5% 的企业营业收入增加约 {m_zh}"),
            format!("about {m_en} more revenue of enterprises at 5% R&D intensity"),
        ),
        _ => return None,
    };
    Some(Text::new(
        format!("{zh}（按当前基数）"),
        format!("{en} (at today's base)"),
    ))
}

/// An enterprise that moves an indicator, said in a line.
pub(crate) fn mover(m: &gaoxin_core::benchmarking::formula::Mover) -> Text {
    use gaoxin_core::benchmarking::formula::MoverKind;
    let (m_zh, m_en) = money(m.amount);
    match m.kind {
        MoverKind::NearThreshold => Text::new(
            format!(
                "{}：研发投入强度接近 5%，R&D 经费再增加约 {m_zh}即达到",
                m.name
            ),
            format!(
                "{}: R&D intensity just under 5%; about {m_en} more R&D spending reaches it",
                m.name
            ),
        ),
        MoverKind::Contributor => Text::new(
            format!("{}：贡献全区分子的 {:.1}%", m.name, m.amount),
            format!("{}: {:.1}% of the zone's numerator", m.name, m.amount),
        ),
        MoverKind::Drag => Text::new(
            format!(
                "{}：营业收入占全区 {:.1}%，比率低于全区水平",
                m.name, m.amount
            ),
            format!(
                "{}: {:.1}% of the zone's revenue, below the zone's ratio",
                m.name, m.amount
            ),
        ),
    }
}
