//! 方案 — the plan: zones, departments, indicators and their yearly targets, tasks with their
//! lead and implementing units, quantified sub-targets, and the plan text they all quote.
//!
//! A plan is read from a plan file (TOML, see `plans/`) by [`Plan::parse`], which validates
//! everything and reports every problem with its line and column. Once parsed, a `Plan` is
//! consistent: every id it refers to exists, every quote is found in the text.

mod error;
mod messages;
mod parse;
mod tables;
mod text;

pub(crate) use error::line_column;
pub use error::{PlanError, PlanErrorKind, PlanErrors};
pub(crate) use parse::is_id;
pub use tables::{TargetRow, TaskRow, format_rounded, format_value, target_rows, task_rows};
pub use text::{PlanText, Quote, TextSegment};

use serde::Serialize;

/// A whole plan, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: String,
    pub title: String,
    /// 稿次, e.g. 征求意见稿 or 正式稿.
    pub edition: String,
    pub period: Period,
    /// The implementing units every key task has unless it names its own.
    pub implementing_units: Vec<String>,
    pub implementing_quote: Quote,
    /// 主导产业 the ledgers' industry fields offer (with 其他), in the plan's order.
    pub industries: Vec<String>,
    pub industries_quote: Option<Quote>,
    pub units: Vec<Unit>,
    pub departments: Vec<Department>,
    pub indicators: Vec<Indicator>,
    /// The base figures indicators are computed from.
    pub figures: Vec<Figure>,
    pub monitoring: Monitoring,
    pub targets: Vec<Target>,
    pub groups: Vec<TaskGroup>,
    pub tasks: Vec<Task>,
    pub subtargets: Vec<SubTarget>,
    /// Ledger id → the department that keeps it for the whole city (`[ledgers]`).
    pub ledger_keepers: Vec<(String, String)>,
    pub text: PlanText,
}

/// The plan's years, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: i32,
    pub end: i32,
}

impl Period {
    pub fn contains(self, year: i32) -> bool {
        (self.start..=self.end).contains(&year)
    }

    pub fn years(self) -> impl Iterator<Item = i32> {
        self.start..=self.end
    }
}

/// 区域 — an org unit: the city, a county, or a high-tech zone.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<String>,
    /// For a zone: the unit its share indicators are a share of (全市 or 全县).
    pub share_base: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    City,
    County,
    Zone,
}

/// 部门 — a city department that leads tasks, or a unit that implements them.
#[derive(Debug, Clone, Serialize)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub kind: DepartmentKind,
    /// For an implementing unit: the org unit it belongs to.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    /// 牵头部门, named in a task's parentheses.
    Lead,
    /// 实施单位, responsible for carrying the tasks out.
    Implementing,
    /// 调度办, the office that runs the plan: it leads no task; dispatchers belong to it.
    Dispatch,
    /// 数据来源部门: reports and reviews base figures (e.g. 市统计局) but leads no task.
    Source,
}

/// 指标 — what a target measures, with its 口径.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub kind: IndicatorKind,
    pub unit: String,
    pub comparator: Comparator,
    /// 口径: what is measured, against which base.
    pub basis: String,
    /// The base figure it is computed from; `None`: not monitored yet.
    pub figure: Option<String>,
    /// How far behind the expected value still counts as yellow; `None`: the default for its kind.
    pub tolerance: Option<Tolerance>,
    /// For a rank: the evaluation and the peers it is judged by (对标分析 estimates it).
    pub judged_by: Option<JudgedBy>,
}

/// The evaluation framework (`plans/evaluations/<id>.toml`) and peer set a rank is judged by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JudgedBy {
    pub framework: String,
    /// The peer set: `national`, or a province's class.
    pub peers: String,
}

/// How far behind the expected value an indicator may be and still be yellow rather than red.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tolerance {
    /// In the indicator's own unit (percentage points for rates and shares).
    Absolute(f64),
    /// A percentage of the expected value.
    Percent(f64),
}

/// 基础数据 — a figure statistics offices report, which indicators are computed from.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub kind: FigureKind,
    pub frequency: Frequency,
    /// The department that reports it and reviews what the zones enter (数据来源部门).
    pub source: String,
    /// Year-on-year swing (%) beyond which a value needs a written explanation; `None`: the plan's.
    pub swing_percent: Option<f64>,
    /// The ledger count ([`crate::ledger::Count`]) the figure is computed from instead of typed.
    pub counted: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// 本年 1–N 月累计值 (revenue, output, events so far this year).
    Cumulative,
    /// 期末数: a count or amount at the end of the period.
    Level,
    /// A growth rate (%) as published, where only the rate is.
    Rate,
    /// A rank as published.
    Rank,
}

impl FigureKind {
    /// Whether a year-on-year swing of this figure means anything.
    pub fn has_swing(self) -> bool {
        matches!(self, FigureKind::Cumulative | FigureKind::Level)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    /// Whether a figure of this frequency is reported for `month` (quarters end in 3, 6, 9, 12;
    /// yearly figures are reported for December).
    pub fn is_due(self, month: u32) -> bool {
        match self {
            Frequency::Monthly => (1..=12).contains(&month),
            Frequency::Quarterly => matches!(month, 3 | 6 | 9 | 12),
            Frequency::Yearly => month == 12,
        }
    }
}

/// Plan-wide monitoring settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Monitoring {
    /// Entry for a month closes at the end of this day of the following month (Beijing time).
    pub deadline_day: u32,
    /// Year-on-year swing (%) beyond which a value needs a written explanation.
    pub swing_percent: f64,
    /// Days a record may stay at one stage (an investment project 在谈, 签约 or 开工) before it is
    /// flagged as stalled.
    pub stage_days: u32,
    /// A 督办单's light turns yellow this many days before its deadline; reminders of a
    /// progress report go out as many days before it is due.
    pub warn_days: u32,
    /// How often the units report progress on their work items.
    pub report_cycle: ReportCycle,
    /// The day of the cycle's last month by which its progress report is due.
    pub report_day: u32,
}

/// How often work items are reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportCycle {
    Monthly,
    Quarterly,
}

impl Default for Monitoring {
    fn default() -> Self {
        Monitoring {
            deadline_day: 15,
            swing_percent: 30.0,
            stage_days: 90,
            warn_days: 3,
            report_cycle: ReportCycle::Monthly,
            report_day: 25,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// 增速: year-to-date growth over the same period of the previous year.
    Rate,
    /// 占比: a zone's figure over its share base's.
    Share,
    /// 存量: a count at the end of the period.
    Stock,
    /// 流量: a count within the year (events held, talents brought in).
    Flow,
    /// 排名: a rank, smaller is better.
    Rank,
}

/// How an actual value is compared with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparator {
    /// 不低于 / 达到.
    #[serde(rename = ">=")]
    AtLeast,
    /// 不高于 (ranks: 前二十 is ≤ 20).
    #[serde(rename = "<=")]
    AtMost,
    /// 区间: from `value` to `max`.
    #[serde(rename = "between")]
    Between,
}

impl Comparator {
    /// The ASCII form used in plan files and CSV.
    pub fn as_ascii(self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Between => "between",
        }
    }

    /// The form shown to people.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
            Comparator::Between => "",
        }
    }
}

/// 目标 — one zone's target for one indicator in one year.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub zone: String,
    pub indicator: String,
    pub year: i32,
    pub value: f64,
    pub quote: Quote,
}

/// A group of tasks: the four groups (一)–(四) of 二、重点任务, or 三、保障措施.
#[derive(Debug, Clone, Serialize)]
pub struct TaskGroup {
    pub id: String,
    pub label: String,
    pub title: String,
    pub kind: TaskKind,
    pub quote: Quote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// 重点任务.
    Key,
    /// 保障措施.
    Safeguard,
}

/// 任务 — a key task or a safeguard measure.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: String,
    pub group: String,
    pub no: u32,
    pub title: String,
    /// 牵头部门, in the order the plan lists them.
    pub lead: Vec<String>,
    /// The plan lists the leads with 等: there may be others.
    pub lead_and_others: bool,
    /// 实施单位 (the plan's default ones unless the task names its own).
    pub implementing: Vec<String>,
    pub quote: Quote,
}

/// How a department is responsible for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 牵头.
    Lead,
    /// 实施 / 负责落实.
    Implementing,
}

/// 子目标 — a quantified target inside a task.
#[derive(Debug, Clone, Serialize)]
pub struct SubTarget {
    pub id: String,
    pub task: String,
    pub name: String,
    pub scope: Scope,
    pub cadence: Cadence,
    /// For `Cadence::Once`: the year.
    pub year: Option<i32>,
    pub comparator: Comparator,
    pub value: f64,
    /// For `Comparator::Between`: the upper bound.
    pub max: Option<f64>,
    pub unit: String,
    pub quote: Quote,
    /// Counted from a ledger (`ledger::COUNTS`): its progress is never typed.
    pub counted: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// 全市高新区合计.
    AllZones,
    /// 每个高新区各自.
    EachZone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Within one year.
    Once,
    /// Every year of the plan.
    Yearly,
    /// Held throughout the plan's period.
    Standing,
}

impl Plan {
    /// Parses and validates a plan file. `file` names it in error messages.
    pub fn parse(file: &str, source: &str) -> Result<Plan, PlanErrors> {
        parse::parse(file, source)
    }

    /// The SHA-256 of a plan file's bytes, in hex: loading the same file twice is recognised by it.
    pub fn digest(source: &str) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(source.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// The department keeping `ledger` for the whole city, if the plan names one.
    pub fn ledger_keeper(&self, ledger: &str) -> Option<&str> {
        self.ledger_keepers
            .iter()
            .find(|(l, _)| l == ledger)
            .map(|(_, d)| d.as_str())
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// The plan's dispatch office (统筹调度机构), if it names one.
    pub fn dispatch_office(&self) -> Option<&Department> {
        self.departments
            .iter()
            .find(|d| d.kind == DepartmentKind::Dispatch)
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&TaskGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The high-tech zones, in plan order.
    pub fn zones(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.kind == UnitKind::Zone)
    }

    /// A zone's targets, in plan order.
    pub fn targets_of<'a>(&'a self, zone: &'a str) -> impl Iterator<Item = &'a Target> + 'a {
        self.targets.iter().filter(move |t| t.zone == zone)
    }

    /// The indicators a zone has targets for, in the order they first appear.
    pub fn indicators_of(&self, zone: &str) -> Vec<&Indicator> {
        let mut seen: Vec<&Indicator> = Vec::new();
        for t in self.targets_of(zone) {
            if !seen.iter().any(|i| i.id == t.indicator)
                && let Some(ind) = self.indicator(&t.indicator)
            {
                seen.push(ind);
            }
        }
        seen
    }

    /// The target for a zone, indicator and year, if the plan sets one.
    pub fn target(&self, zone: &str, indicator: &str, year: i32) -> Option<&Target> {
        self.targets
            .iter()
            .find(|t| t.zone == zone && t.indicator == indicator && t.year == year)
    }

    /// The tasks of a group, in plan order.
    pub fn tasks_in<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
        self.tasks.iter().filter(move |t| t.group == group)
    }

    pub fn subtargets_of<'a>(&'a self, task: &'a str) -> impl Iterator<Item = &'a SubTarget> + 'a {
        self.subtargets.iter().filter(move |s| s.task == task)
    }

    /// A department's role in a task, if it has one. Leading takes precedence.
    pub fn role(&self, task: &Task, department: &str) -> Option<Role> {
        if task.lead.iter().any(|d| d == department) {
            Some(Role::Lead)
        } else if task.implementing.iter().any(|d| d == department) {
            Some(Role::Implementing)
        } else {
            None
        }
    }

    /// Every task a department answers for, with its role, in plan order.
    pub fn tasks_of_department(&self, department: &str) -> Vec<(&Task, Role)> {
        self.tasks
            .iter()
            .filter_map(|t| self.role(t, department).map(|r| (t, r)))
            .collect()
    }

    /// A task's number as the plan writes it: `6` for key tasks, `三、（一）`-style for safeguards.
    pub fn task_label(&self, task: &Task) -> String {
        match self.group(&task.group).map(|g| g.kind) {
            Some(TaskKind::Safeguard) => format!("（{}）", chinese_ordinal(task.no)),
            _ => task.no.to_string(),
        }
    }

    /// A task as lists and documents name it: `6. 加速科技成果转移转化` for a key task,
    /// `（二）确保政策落实` for a safeguard measure; the id itself when the plan has no such task.
    pub fn task_heading(&self, id: &str) -> String {
        match self.tasks.iter().find(|t| t.id == id) {
            Some(t) if self.group(&t.group).map(|g| g.kind) == Some(TaskKind::Safeguard) => {
                format!("{}{}", self.task_label(t), t.title)
            }
            Some(t) => format!("{}. {}", self.task_label(t), t.title),
            None => id.to_string(),
        }
    }
}

/// 一, 二, 三 … for the small numbers plans use in headings.
pub fn chinese_ordinal(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[(n - 10) as usize]),
        20..=99 => {
            let tens = DIGITS[(n / 10) as usize];
            let ones = if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            };
            format!("{tens}十{ones}")
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../../../plans/shijiazhuang-2025-2027.toml");

    fn seed() -> Plan {
        match Plan::parse("seed", SEED) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_rank_names_the_evaluation_it_is_judged_by() {
        let plan = seed();
        let judged = |id: &str| plan.indicator(id).and_then(|i| i.judged_by.clone());
        assert_eq!(
            judged("national-rank"),
            Some(JudgedBy {
                framework: "national-2021".into(),
                peers: "national".into()
            })
        );
        assert_eq!(judged("revenue-growth"), None);
        let kinds = |src: String| match Plan::parse("x", &src) {
            Ok(_) => Vec::new(),
            Err(e) => e.errors.into_iter().map(|e| e.kind).collect(),
        };
        // On an indicator that is not a rank, and one of the two alone.
        let on_rate = SEED.replacen(
            "figure = \"revenue\"\n",
            "figure = \"revenue\"\nframework = \"national-2021\"\npeers = \"national\"\n",
            1,
        );
        assert_eq!(kinds(on_rate), vec![PlanErrorKind::JudgedNotRank]);
        let alone = SEED.replacen("peers = \"national\"\n", "", 1);
        assert_eq!(kinds(alone), vec![PlanErrorKind::JudgedIncomplete]);
    }

    #[test]
    fn a_plan_saved_with_old_mac_or_windows_line_breaks_reads_the_same() {
        let lf = seed();
        for (name, text) in [
            ("cr", SEED.replace('\n', "\r")),
            ("crlf", SEED.replace('\n', "\r\n")),
        ] {
            match Plan::parse(name, &text) {
                Ok(p) => {
                    assert_eq!(p.targets.len(), lf.targets.len(), "{name}");
                    assert_eq!(p.tasks.len(), lf.tasks.len(), "{name}");
                }
                Err(e) => panic!("{name}: {e}"),
            }
        }
        // An error in such a file still names its line.
        let broken = "[plan\rid = 1\r";
        let e = Plan::parse("broken", broken).err().map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|e| e.contains("broken:1:")),
            "{e:?}"
        );
    }

    #[test]
    fn seed_plan_has_every_target_of_the_goals() {
        let p = seed();
        assert_eq!(
            p.period,
            Period {
                start: 2025,
                end: 2027
            }
        );
        let sjz = p.targets_of("sjz-hz").count();
        let zd = p.targets_of("zd-hz").count();
        assert_eq!(sjz, 6 * 3 + 1);
        assert_eq!(zd, 5 * 3 + 1);
        let t = p.target("sjz-hz", "platforms", 2026).map(|t| t.value);
        assert_eq!(t, Some(330.0));
        let rank = p.target("sjz-hz", "national-rank", 2027).map(|t| t.value);
        assert_eq!(rank, Some(20.0));
        assert_eq!(
            p.indicator("national-rank").map(|i| i.comparator),
            Some(Comparator::AtMost)
        );
    }

    #[test]
    fn seed_plan_has_thirteen_key_tasks_and_three_safeguards() {
        let p = seed();
        let key: Vec<&Task> = p
            .tasks
            .iter()
            .filter(|t| p.group(&t.group).map(|g| g.kind) == Some(TaskKind::Key))
            .collect();
        assert_eq!(key.len(), 13);
        assert_eq!(p.tasks.len(), 16);
        for t in &key {
            assert_eq!(
                t.implementing,
                vec!["sjz-hz-admin", "zd-gov", "zd-hz-admin"],
                "{}",
                t.id
            );
        }
        let t13 = p.task("t13").map(|t| t.lead.clone());
        assert_eq!(
            t13,
            Some(vec![
                "drc".into(),
                "ecology".into(),
                "data".into(),
                "commerce".into()
            ])
        );
        let lead_depts = p
            .departments
            .iter()
            .filter(|d| d.kind == DepartmentKind::Lead)
            .count();
        assert_eq!(lead_depts, 12);
    }

    #[test]
    fn every_quote_points_into_the_text() {
        let p = seed();
        for t in &p.targets {
            let quoted = &p.text.body[t.quote.span.clone()];
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(squeeze(quoted), squeeze(&t.quote.text));
        }
    }

    #[test]
    fn department_sees_its_tasks_with_roles() {
        let p = seed();
        let tech = p.tasks_of_department("sci-tech");
        assert!(tech.iter().any(|(t, r)| t.id == "t4" && *r == Role::Lead));
        assert!(!tech.iter().any(|(t, _)| t.id == "t9"));
        let zone = p.tasks_of_department("zd-hz-admin");
        assert!(
            zone.iter()
                .filter(|(_, r)| *r == Role::Implementing)
                .count()
                >= 13
        );
    }

    #[test]
    fn ordinals_read_as_chinese() {
        assert_eq!(chinese_ordinal(3), "三");
        assert_eq!(chinese_ordinal(13), "十三");
        assert_eq!(chinese_ordinal(20), "二十");
    }
}
