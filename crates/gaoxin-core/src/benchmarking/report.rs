//! 对标分析报告 — the analysis of one zone as a document in Chinese, for the leadership: the
//! estimate and how sure it is, the dimensions, where to strengthen and the path to the target,
//! every indicator's position, the rank over the years. The page's numbers, laid out once here
//! and written as `.docx` (official layout, `gaoxin_docx::report_docx`) and `.xlsx`
//! (`gaoxin_excel::report_workbook`, a sheet per table).

use super::{Calibration, Framework, Method, Path, Position, Step, result_year};
use crate::plan::format_rounded;

/// The report: a title, lines under it, and blocks in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub lines: Vec<String>,
    pub sample: bool,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// 一、…
    H1(String),
    /// （一）…
    H2(String),
    Text(String),
    Table(Table),
}

/// A table; cells that are plain numbers are written as numbers in the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The workbook's sheet name.
    pub name: String,
    pub headers: Vec<String>,
    /// Column widths in the document, per mille of the type area.
    pub widths: Vec<u32>,
    /// Which columns hold numbers (written as numbers in the workbook; 编号 such as 1.10 and
    /// ranks such as 2/3 stay text).
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

/// What the report is made of (the use case's analysis, borrowed).
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub zone_name: &'a str,
    pub plan_title: &'a str,
    pub framework: &'a Framework,
    pub data_year: i32,
    pub method: Method,
    pub peers: usize,
    pub composite: f64,
    pub rank: u32,
    pub band: &'a [(Method, u32)],
    pub target: Option<u32>,
    pub dimensions: &'a [Option<f64>],
    pub positions: &'a [Position],
    /// The zone's values in the data year before (empty when none).
    pub previous: &'a [Option<f64>],
    pub strengthen: &'a [Step],
    /// What each step means in the zone's own terms (aligned with `strengthen`).
    pub step_terms: &'a [Option<String>],
    /// The enterprises that move the leading indicators: (indicator, lines).
    pub movers: &'a [(usize, Vec<String>)],
    pub path: Option<&'a Path>,
    pub calibration: Option<(i32, Calibration)>,
    pub trend: &'a [(i32, u32, f64)],
    pub sample: bool,
    /// When it was made, YYYY-MM-DD.
    pub date: &'a str,
}

/// The notice a report with sample data carries.
pub const SAMPLE_NOTICE: &str = "示例数据：本报告中的对标数据为演示生成，不是官方统计";

fn method_name(m: Method) -> &'static str {
    match m {
        Method::MinMax => "最小–最大归一",
        Method::Benchmark => "与最优值之比",
        Method::ZScore => "标准分",
    }
}

fn num(x: f64) -> String {
    format_rounded(x)
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_else(|| "—".into())
}

/// Builds the report.
pub fn build(i: &ReportInput<'_>) -> Report {
    let f = i.framework;
    let unit = |j: usize| f.indicators.get(j).map_or("", |x| x.unit.as_str());
    let name = |j: usize| f.indicators.get(j).map_or("", |x| x.name.as_str());
    let (low, high) = i
        .band
        .iter()
        .fold((u32::MAX, 0), |(l, h), (_, r)| (l.min(*r), h.max(*r)));
    let covered = i.positions.iter().filter(|p| p.covered).count();
    let mut b = Vec::new();

    b.push(Block::H1("一、总体情况".into()));
    let target = match i.target {
        Some(t) => format!("，目标为前 {t} 名"),
        None => String::new(),
    };
    b.push(Block::Text(format!(
        "按《{}》（{}），以 {} 年数据（{} 年评价）估算，{}在 {} 个高新区中居第 {} 名\
         （{}法；三种打分方法下为第 {}–{} 名），综合得分 {:.1} 分（满分 100 分）{target}。\
         官方打分方法未公开，本报告中的得分和名次均为估算。",
        f.name,
        f.document,
        i.data_year,
        result_year(i.data_year),
        i.zone_name,
        i.peers,
        i.rank,
        method_name(i.method),
        low,
        high,
        i.composite,
    )));
    b.push(Block::Text(format!(
        "估算覆盖 {covered} 个指标（共列出 {} 个）：本区有数值、且至少两个高新区有数值的指标计入，\
         未覆盖指标的权重按比例分给同维度的其他指标。",
        f.indicators.len()
    )));
    if !f.complete {
        b.push(Block::Text(format!(
            "该评价框架尚未列全官方指标：{}",
            f.note
        )));
    }
    b.push(Block::Text(match i.calibration {
        Some((year, c)) => format!(
            "检验：用同一方法估算 {year} 年评价，与公布的 {} 个名次相比，平均相差 {:.1} 名，\
             最大相差 {} 名，秩相关系数 {:.2}。",
            c.zones, c.mean_abs_error, c.max_abs_error, c.spearman
        ),
        None => "尚未录入公布的评价结果，估算误差无法检验。".into(),
    }));

    b.push(Block::H1("二、各维度得分".into()));
    b.push(Block::Table(Table {
        name: "维度".into(),
        headers: vec![
            "维度".into(),
            "权重（%）".into(),
            "权重依据".into(),
            "得分（0–100）".into(),
        ],
        widths: vec![440, 170, 190, 200],
        numeric: vec![false, true, false, true],
        rows: f
            .dimensions
            .iter()
            .zip(i.dimensions)
            .map(|(d, s)| {
                vec![
                    format!("{} {}", d.no, d.name),
                    num(d.weight),
                    basis(&d.weight_basis),
                    s.map(|x| format!("{x:.1}"))
                        .unwrap_or_else(|| "无数据".into()),
                ]
            })
            .collect(),
    }));

    b.push(Block::H1("三、补强重点".into()));
    b.push(Block::Text(
        "各指标提高一步（约 10%，计数至少 1）对综合得分的作用，从大到小列出前十项。".into(),
    ));
    b.push(Block::Table(Table {
        name: "补强重点".into(),
        headers: [
            "序号",
            "指标",
            "单位",
            "现值",
            "提高到",
            "综合得分增加",
            "估算名次",
            "相当于",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![60, 230, 80, 90, 90, 110, 100, 240],
        numeric: vec![false, false, false, true, true, true, true, false],
        rows: i
            .strengthen
            .iter()
            .take(10)
            .enumerate()
            .map(|(n, s)| {
                vec![
                    (n + 1).to_string(),
                    name(s.indicator).to_string(),
                    unit(s.indicator).to_string(),
                    num(s.from),
                    num(s.to),
                    format!("{:.2}", s.gain),
                    s.rank_after.to_string(),
                    i.step_terms
                        .get(n)
                        .cloned()
                        .flatten()
                        .unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    }));
    if !i.movers.is_empty() {
        b.push(Block::H2("（一）关键企业".into()));
        for (j, lines) in i.movers {
            b.push(Block::Text(format!("{}：{}", name(*j), lines.join("；"))));
        }
    }
    if let Some(p) = i.path {
        b.push(Block::H2(
            if i.movers.is_empty() {
                "（一）达到目标的最少改进"
            } else {
                "（二）达到目标的最少改进"
            }
            .into(),
        ));
        if p.reached && p.steps.is_empty() {
            b.push(Block::Text("估算名次已在目标之内。".into()));
        } else {
            b.push(Block::Text(if p.reached {
                format!(
                    "按每次取增益最大的一步（每个指标最多 5 步，约 50%）推算，以下改进合计可把估算名次\
                     从第 {} 名提到第 {} 名，进入前 {} 名：",
                    p.rank_before, p.rank_after, p.target
                )
            } else {
                format!(
                    "每个指标最多提高 5 步（约 50%）也只能把估算名次提到第 {} 名，达不到前 {} 名；\
                     以下为其中作用最大的改进：",
                    p.rank_after, p.target
                )
            }));
            for s in &p.steps {
                b.push(Block::Text(format!(
                    "{}：由 {} {u} 提高到 {} {u}（{} 步），综合得分增加 {:.2} 分。",
                    name(s.indicator),
                    num(s.from),
                    num(s.to),
                    s.steps,
                    s.gain,
                    u = unit(s.indicator),
                )));
            }
        }
    }

    b.push(Block::H1("四、各指标位置".into()));
    let target_rank = i.target.unwrap_or(1);
    b.push(Block::Table(Table {
        name: "各指标位置".into(),
        headers: vec![
            "编号".into(),
            "指标".into(),
            "单位".into(),
            "本区数值".into(),
            format!("{} 年", i.data_year - 1),
            "名次".into(),
            "百分位".into(),
            "失分".into(),
            format!("第 {target_rank} 名的值"),
            "差距".into(),
            "权重".into(),
        ],
        widths: vec![70, 220, 70, 80, 80, 70, 70, 70, 90, 80, 100],
        numeric: vec![
            false, false, false, true, true, false, true, true, true, true, false,
        ],
        rows: f
            .indicators
            .iter()
            .zip(i.positions)
            .map(|(ind, p)| {
                vec![
                    ind.no.clone(),
                    ind.name.clone(),
                    ind.unit.clone(),
                    opt(p.value),
                    opt(i.previous.get(p.indicator).copied().flatten()),
                    p.rank
                        .map(|r| format!("{r}/{}", p.of))
                        .unwrap_or_else(|| "—".into()),
                    p.percentile
                        .map(|x| format!("{x:.0}"))
                        .unwrap_or_else(|| "—".into()),
                    if p.covered {
                        format!("{:.2}", p.lost)
                    } else {
                        "—".into()
                    },
                    opt(p.target_value),
                    opt(p.gap),
                    format!(
                        "{}{}",
                        num(ind.weight),
                        if ind.weight_basis.is_confirmed() {
                            ""
                        } else {
                            "（推定）"
                        }
                    ),
                ]
            })
            .collect(),
    }));

    if i.trend.len() > 1 {
        b.push(Block::H1("五、估算名次走势".into()));
        b.push(Block::Table(Table {
            name: "名次走势".into(),
            headers: ["数据年度", "评价年度", "估算名次", "综合得分"]
                .map(String::from)
                .to_vec(),
            widths: vec![250, 250, 250, 250],
            numeric: vec![true; 4],
            rows: i
                .trend
                .iter()
                .map(|(y, r, c)| {
                    vec![
                        y.to_string(),
                        result_year(*y).to_string(),
                        r.to_string(),
                        format!("{c:.1}"),
                    ]
                })
                .collect(),
        }));
    }
    b.push(Block::Text(format!(
        "本报告依据《{}》和公开的评价指标资料编制；标“推定”的权重未经官方公布。",
        i.plan_title
    )));
    Report {
        title: format!("{}对标分析报告", i.zone_name),
        lines: vec![
            format!(
                "（{} 年数据 · {} 年评价 · 估算）",
                i.data_year,
                result_year(i.data_year)
            ),
            format!("生成于 {}", i.date),
        ],
        sample: i.sample,
        blocks: b,
    }
}

fn basis(b: &super::Basis) -> String {
    if b.is_confirmed() {
        "已公布"
    } else {
        "推定"
    }
    .to_string()
}
