//! 调度通报 — the monthly dispatch bulletin the leadership reads: work items' reporting by task
//! and by unit, who reported late or not at all, open and overdue 督办单, the lagging
//! indicators of the cockpit and the tasks' quantified sub-targets. Built once here from plain inputs; the page, the `.docx` and the
//! `.xlsx` only lay it out. The bulletin is a Chinese official document: its text is Chinese.

use crate::monitor::subtarget::{SubEvaluation, urgent_first};
use crate::monitor::{Evaluation, Status, YearMonth};
use crate::plan::{Plan, format_rounded};
use crate::supervise::{Light, OrderState};
use crate::time::Timestamp;

/// A work item as the bulletin needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemIn {
    pub id: i64,
    pub task: String,
    pub title: String,
    pub responsible: Vec<String>,
    /// The item owed a report for the period (it existed before the due day).
    pub owes: bool,
}

/// A report of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportIn {
    /// Filing order.
    pub id: i64,
    pub item: i64,
    pub unit: String,
    pub late: bool,
    pub behind: bool,
}

/// A 督办单 as the bulletin needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderIn {
    pub number: String,
    pub title: String,
    pub assignee: Option<String>,
    pub deadline: Option<String>,
    pub state: OrderState,
    pub light: Light,
    /// Closed within the period.
    pub closed_in_period: bool,
}

/// What the bulletin is built from.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    pub plan: &'a Plan,
    pub period: YearMonth,
    /// The moment the data was read (数据截至).
    pub cutoff: Timestamp,
    /// The period's report was due (so a missing one is overdue).
    pub due_passed: bool,
    pub due: String,
    pub items: Vec<ItemIn>,
    pub reports: Vec<ReportIn>,
    pub orders: Vec<OrderIn>,
    pub evaluations: Vec<Evaluation>,
    /// The tasks' quantified sub-targets, each judged for its own year.
    pub subtargets: Vec<SubEvaluation>,
    /// Sample data is loaded (示例数据).
    pub sample: bool,
}

/// A row of counts: owed, filed on time, filed late, not filed, behind schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub label: String,
    pub owed: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub behind: usize,
}

impl Tally {
    pub fn filed(&self) -> usize {
        self.on_time + self.late
    }

    /// 报送率 in %, `None` when nothing was owed.
    pub fn rate_value(&self) -> Option<f64> {
        (self.owed > 0).then(|| self.filed() as f64 * 100.0 / self.owed as f64)
    }

    /// 报送率, as text: `83.3%`.
    pub fn rate(&self) -> String {
        if self.owed == 0 {
            "—".into()
        } else {
            format!(
                "{}%",
                format_rounded(self.filed() as f64 * 100.0 / self.owed as f64)
            )
        }
    }
}

/// A unit that reported late or not at all on an item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shortfall {
    pub unit: String,
    pub item: String,
    pub task: String,
    /// 逾期报送 / 未报送.
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderLine {
    pub number: String,
    pub title: String,
    pub assignee: String,
    pub deadline: String,
    pub state: String,
    pub light: String,
    pub light_code: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LagLine {
    pub zone: String,
    pub indicator: String,
    pub actual: String,
    pub expected: String,
    pub target: String,
    pub status: String,
    /// The numbers behind the texts, for the workbook (numbers there, not text).
    #[serde(default)]
    pub values: Values,
}

/// A line's actual, expected and target values and their unit, as numbers.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Values {
    pub actual: Option<f64>,
    pub expected: Option<f64>,
    pub target: Option<f64>,
    pub unit: String,
}

/// A quantified sub-target of a task, for one zone or the zones together.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SubLine {
    /// 任务6.
    pub task: String,
    pub name: String,
    /// The zone, or 全市高新区合计.
    pub scope: String,
    /// 2025年.
    pub year: String,
    pub actual: String,
    pub expected: String,
    pub target: String,
    pub status: String,
    /// The numbers behind the texts, for the workbook.
    #[serde(default)]
    pub values: Values,
}

/// The headings of the sub-target table, in the order of [`SubLine::cells`].
pub const SUB_HEADINGS: [&str; 8] = [
    "任务",
    "子目标",
    "范围",
    "目标年度",
    "实际",
    "序时进度",
    "目标",
    "灯",
];

impl SubLine {
    /// The line's cells under [`SUB_HEADINGS`]: what the document and the workbook both lay out.
    pub fn cells(&self) -> [String; 8] {
        [
            self.task.clone(),
            self.name.clone(),
            self.scope.clone(),
            self.year.clone(),
            self.actual.clone(),
            self.expected.clone(),
            self.target.clone(),
            self.status.clone(),
        ]
    }
}

/// The bulletin, ready to lay out.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bulletin {
    /// The whole title, `heading（issue）`.
    pub title: String,
    /// 高新区三年提升工作调度通报.
    pub heading: String,
    /// 2026年11月.
    pub issue: String,
    /// The plan the bulletin reports on.
    pub plan_title: String,
    pub period: String,
    pub cutoff: String,
    pub sample: bool,
    /// 一、总体情况: one paragraph each.
    pub summary: Vec<String>,
    pub by_task: Vec<Tally>,
    pub by_unit: Vec<Tally>,
    pub shortfalls: Vec<Shortfall>,
    /// Open orders (overdue first) and those closed in the period.
    pub orders: Vec<OrderLine>,
    pub lagging: Vec<LagLine>,
    /// Every sub-target, red and yellow first.
    pub subtargets: Vec<SubLine>,
    /// Set when the dispatch office publishes the bulletin (发布): until then it is a draft.
    pub issued: Option<Issued>,
}

/// What publishing adds to a bulletin: it is then an issued document, frozen as it stood.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Issued {
    /// 第 N 期, counted within the year of publication.
    pub number: u32,
    pub year: i32,
    /// 发文机关: the dispatch office.
    pub office: String,
    /// 成文日期, as the document writes it (2026年12月5日).
    pub date: String,
    /// 分送: every unit of the plan but the issuing office.
    pub distribution: Vec<String>,
}

impl Issued {
    /// `issue` is the `number`th bulletin of the year `at` falls in, published at `at`.
    pub fn new(plan: &Plan, number: u32, at: Timestamp) -> Issued {
        let office = plan.dispatch_office();
        Issued {
            number,
            year: i32::try_from(at.year()).unwrap_or_default(),
            office: office.map_or_else(String::new, |d| d.name.clone()),
            date: crate::time::Date::of(at).human(crate::text::Lang::Zh),
            distribution: plan
                .departments
                .iter()
                .filter(|d| office.is_none_or(|o| o.id != d.id))
                .map(|d| d.name.clone())
                .collect(),
        }
    }

    /// 〔2026〕第3期.
    pub fn line(&self) -> String {
        format!("〔{}〕第{}期", self.year, self.number)
    }
}

/// Whether an account publishes the bulletin: the dispatch office.
pub fn may_publish(who: crate::auth::Who<'_>) -> bool {
    who.is(crate::auth::RoleKind::Dispatcher)
}

const HEADING: &str = "高新区三年提升工作调度通报";

/// 示例数据 notice every layout carries when sample data is loaded.
pub const SAMPLE_NOTICE: &str = "示例数据：本通报由演示数据生成，不是官方统计，不得作为工作依据。";

fn dept(plan: &Plan, id: &str) -> String {
    plan.department(id)
        .map_or_else(|| id.to_string(), |d| d.name.clone())
}

fn tally_into(rows: &mut Vec<Tally>, label: &str, state: Option<(bool, bool)>) {
    let at = match rows.iter().position(|r| r.label == label) {
        Some(i) => i,
        None => {
            rows.push(Tally {
                label: label.to_string(),
                ..Tally::default()
            });
            rows.len() - 1
        }
    };
    let r = &mut rows[at];
    r.owed += 1;
    match state {
        Some((late, behind)) => {
            if late {
                r.late += 1;
            } else {
                r.on_time += 1;
            }
            if behind {
                r.behind += 1;
            }
        }
        None => r.missing += 1,
    }
}

fn with_unit(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".into(),
        Some(x) if unit == "%" => format!("{}%", format_rounded(x)),
        Some(x) => format!("{} {unit}", format_rounded(x)),
    }
}

/// Builds the bulletin.
/// Whether an account reads the bulletin: the dispatch office and leaders (it covers every unit).
pub fn may_read(who: crate::auth::Who<'_>) -> bool {
    who.is(crate::auth::RoleKind::Dispatcher) || who.is(crate::auth::RoleKind::Leader)
}

pub fn build(i: &Inputs<'_>) -> Bulletin {
    let plan = i.plan;
    let mut by_task: Vec<Tally> = Vec::new();
    let mut by_unit: Vec<Tally> = Vec::new();
    let mut shortfalls = Vec::new();
    for item in i.items.iter().filter(|it| it.owes) {
        let task = plan.task_heading(&item.task);
        for unit in &item.responsible {
            let state = crate::dispatch::standing(
                i.reports
                    .iter()
                    .filter(|r| r.item == item.id && &r.unit == unit),
                |r| r.id,
                |r| r.behind,
            )
            .map(|(first, behind)| (first.late, behind));
            // Before the due day, a report not yet filed is not missing.
            if state.is_none() && !i.due_passed {
                continue;
            }
            tally_into(&mut by_task, &task, state);
            tally_into(&mut by_unit, &dept(plan, unit), state);
            let shortfall = match state {
                None => Some("未报送"),
                Some((true, _)) => Some("逾期报送"),
                Some((false, _)) => None,
            };
            if let Some(state) = shortfall {
                shortfalls.push(Shortfall {
                    unit: dept(plan, unit),
                    item: item.title.clone(),
                    task: task.clone(),
                    state: state.to_string(),
                });
            }
        }
    }
    shortfalls.sort_by_key(|s| (s.state != "未报送", s.unit.clone()));
    let total = by_task.iter().fold(Tally::default(), |mut acc, t| {
        acc.owed += t.owed;
        acc.on_time += t.on_time;
        acc.late += t.late;
        acc.missing += t.missing;
        acc.behind += t.behind;
        acc
    });

    let open: Vec<&OrderIn> = i
        .orders
        .iter()
        .filter(|o| o.state != OrderState::Closed && o.state != OrderState::Opened)
        .collect();
    let overdue = open.iter().filter(|o| o.light == Light::Red).count();
    let closed = i.orders.iter().filter(|o| o.closed_in_period).count();
    let mut orders: Vec<&OrderIn> = open
        .iter()
        .copied()
        .chain(i.orders.iter().filter(|o| o.closed_in_period))
        .collect();
    let rank = |l: Light| match l {
        Light::Red => 0,
        Light::Yellow => 1,
        Light::Green => 2,
        Light::None => 3,
        Light::Done => 4,
    };
    orders.sort_by_key(|o| rank(o.light));
    let orders = orders
        .into_iter()
        .map(|o| OrderLine {
            number: o.number.clone(),
            title: o.title.clone(),
            assignee: o
                .assignee
                .as_deref()
                .map(|a| dept(plan, a))
                .unwrap_or_default(),
            deadline: o.deadline.clone().unwrap_or_default(),
            state: o.state.zh().to_string(),
            light: o.light.zh().to_string(),
            light_code: o.light.code().to_string(),
        })
        .collect();

    let lagging: Vec<LagLine> = crate::monitor::lagging(i.evaluations.iter())
        .into_iter()
        .map(|e| {
            let ind = plan.indicator(&e.indicator);
            let unit = ind.map_or("", |x| x.unit.as_str());
            LagLine {
                zone: plan
                    .unit(&e.zone)
                    .map_or_else(|| e.zone.clone(), |u| u.name.clone()),
                indicator: ind.map_or_else(|| e.indicator.clone(), |x| x.name.clone()),
                actual: with_unit(e.actual, unit),
                expected: with_unit(e.expected, unit),
                target: format!(
                    "{}{}",
                    e.comparator.symbol(),
                    with_unit(Some(e.target), unit)
                ),
                status: match e.status {
                    Status::Red => "红灯",
                    Status::Yellow => "黄灯",
                    Status::Green => "绿灯",
                    Status::Gray => "未报",
                }
                .to_string(),
                values: Values {
                    actual: e.actual,
                    expected: e.expected,
                    target: Some(e.target),
                    unit: unit.to_string(),
                },
            }
        })
        .collect();
    let reds = lagging.iter().filter(|l| l.status == "红灯").count();
    let subtargets = sub_lines(plan, &i.subtargets);

    let p = i.period;
    // Who: the units that did not report, then those that reported late, each named once.
    let units_in = |state: &str| {
        let mut units: Vec<&str> = Vec::new();
        for s in shortfalls.iter().filter(|s| s.state == state) {
            if !units.contains(&s.unit.as_str()) {
                units.push(&s.unit);
            }
        }
        units.join("、")
    };
    let mut who = String::new();
    for (state, label) in [("未报送", "未报送的单位"), ("逾期报送", "逾期报送的单位")]
    {
        let units = units_in(state);
        if !units.is_empty() {
            who.push_str(&format!("{label}：{units}。"));
        }
    }
    let mut summary = vec![format!(
        "本期（{}年{}月）共有工作事项 {} 项，应报送进展 {} 份，已报送 {} 份（其中逾期 {} 份），未报送 {} 份，报送率 {}；{} 份报告反映进度滞后。{}{who}",
        p.year,
        p.month,
        i.items.iter().filter(|it| it.owes).count(),
        total.owed,
        total.filed(),
        total.late,
        total.missing,
        total.rate(),
        total.behind,
        if i.due_passed {
            format!("本期报送截止日为 {}。", i.due)
        } else {
            format!("本期报送截止日为 {}，尚未到期，未计未报送。", i.due)
        }
    )];
    let overdue_numbers: Vec<&str> = open
        .iter()
        .filter(|o| o.light == Light::Red)
        .map(|o| o.number.as_str())
        .collect();
    summary.push(format!(
        "督办单在办 {} 件，其中逾期 {} 件；本月办结销号 {} 件。{}",
        open.len(),
        overdue,
        closed,
        if overdue_numbers.is_empty() {
            String::new()
        } else {
            format!("逾期的是：{}。", overdue_numbers.join("、"))
        }
    ));
    summary.push(if lagging.is_empty() {
        "监测指标均达到序时进度，或尚无可评价的数据。".to_string()
    } else {
        // The three most behind, by name, with their numbers (the table has them all).
        let named: Vec<String> = lagging
            .iter()
            .take(3)
            .map(|l| {
                format!(
                    "{}{}（实际 {}，序时进度 {}）",
                    l.zone, l.indicator, l.actual, l.expected
                )
            })
            .collect();
        format!(
            "监测指标中 {} 项低于序时进度，其中红灯 {} 项，需重点调度；落后最多的是{}。",
            lagging.len(),
            reds,
            named.join("、")
        )
    });
    if !i.subtargets.is_empty() {
        let n = |s: Status| i.subtargets.iter().filter(|e| e.status == s).count();
        summary.push(format!(
            "任务量化子目标按区计 {} 个：达到序时进度 {} 个，落后 {} 个（其中红灯 {} 个）{}。",
            i.subtargets.len(),
            n(Status::Green),
            n(Status::Yellow) + n(Status::Red),
            n(Status::Red),
            match n(Status::Gray) {
                0 => String::new(),
                g => format!("，{g} 个尚无法计算"),
            }
        ));
        // The lines come red first: name the first three behind or missed.
        let named: Vec<String> = subtargets
            .iter()
            .filter(|l| ["红灯", "未完成", "黄灯"].contains(&l.status.as_str()))
            .take(3)
            .map(|l| {
                format!(
                    "{}（{}，{} {}，目标 {}）",
                    l.name, l.scope, l.year, l.actual, l.target
                )
            })
            .collect();
        if let Some(last) = summary.last_mut()
            && !named.is_empty()
        {
            last.push_str(&format!("需关注：{}。", named.join("、")));
        }
    }
    Bulletin {
        title: format!("{HEADING}（{}年{}月）", p.year, p.month),
        heading: HEADING.to_string(),
        issue: format!("{}年{}月", p.year, p.month),
        plan_title: plan.title.clone(),
        period: p.to_string(),
        // `2026年11月28日 10:00` (Beijing time), as official documents write a moment.
        cutoff: i.cutoff.human(crate::text::Lang::Zh),
        sample: i.sample,
        summary,
        by_task,
        by_unit,
        shortfalls,
        orders,
        lagging,
        subtargets,
        issued: None,
    }
}

/// The sub-targets as lines, red first, then yellow (most behind first), gray, green.
fn sub_lines(plan: &Plan, evals: &[SubEvaluation]) -> Vec<SubLine> {
    urgent_first(evals)
        .into_iter()
        .filter_map(|e| {
            let s = plan.subtargets.iter().find(|s| s.id == e.subtarget)?;
            let task = plan.task(&s.task)?;
            let target = match (s.comparator, s.max) {
                (crate::plan::Comparator::Between, Some(max)) => format!(
                    "{}–{}",
                    format_rounded(s.value),
                    with_unit(Some(max), &s.unit)
                ),
                (c, _) => format!("{}{}", c.symbol(), with_unit(Some(s.value), &s.unit)),
            };
            Some(SubLine {
                task: format!("任务{}", plan.task_label(task)),
                name: s.name.clone(),
                scope: e.zone.as_deref().map_or_else(
                    || "全市高新区合计".to_string(),
                    |z| {
                        plan.unit(z)
                            .map_or_else(|| z.to_string(), |u| u.name.clone())
                    },
                ),
                year: format!("{}年", e.year),
                actual: with_unit(e.actual, &s.unit),
                expected: with_unit(e.expected, &s.unit),
                target,
                status: match (e.status, e.closed) {
                    (Status::Red, true) => "未完成",
                    (Status::Green, true) => "已完成",
                    (Status::Red, false) => "红灯",
                    (Status::Yellow, _) => "黄灯",
                    (Status::Green, false) => "绿灯",
                    (Status::Gray, _) => "无法计算",
                }
                .to_string(),
                values: Values {
                    actual: e.actual,
                    expected: e.expected,
                    // A range's lower end: what "at least" asks.
                    target: Some(s.value),
                    unit: s.unit.clone(),
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        match Plan::parse(
            "seed.toml",
            include_str!("../../../plans/shijiazhuang-2025-2027.toml"),
        ) {
            Ok(p) => p,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn item(id: i64, task: &str, units: &[&str]) -> ItemIn {
        ItemIn {
            id,
            task: task.into(),
            title: format!("事项{id}"),
            responsible: units.iter().map(|u| u.to_string()).collect(),
            owes: true,
        }
    }

    fn report(id: i64, item: i64, unit: &str, late: bool, behind: bool) -> ReportIn {
        ReportIn {
            id,
            item,
            unit: unit.into(),
            late,
            behind,
        }
    }

    fn order(n: &str, state: OrderState, light: Light, closed: bool) -> OrderIn {
        OrderIn {
            number: n.into(),
            title: format!("督办{n}"),
            assignee: Some("sci-tech".into()),
            deadline: Some("2026-11-30".into()),
            state,
            light,
            closed_in_period: closed,
        }
    }

    fn inputs(plan: &Plan, due_passed: bool) -> Inputs<'_> {
        Inputs {
            plan,
            period: YearMonth::new(2026, 11).unwrap(),
            cutoff: Timestamp::from_civil(2026, 11, 28, 36_000),
            due_passed,
            due: "2026-11-25".into(),
            items: vec![
                item(1, "t6", &["sci-tech", "sjz-hz-admin"]),
                item(2, "t1", &["sci-tech", "zd-hz-admin"]),
                ItemIn {
                    owes: false,
                    ..item(3, "t1", &["drc"])
                },
            ],
            reports: vec![
                report(1, 1, "sci-tech", false, false),
                report(2, 1, "sjz-hz-admin", true, false),
                report(3, 1, "sjz-hz-admin", false, true),
                report(4, 2, "sci-tech", false, true),
            ],
            orders: vec![
                order("A", OrderState::Signed, Light::Green, false),
                order("B", OrderState::Assigned, Light::Red, false),
                order("C", OrderState::Closed, Light::Done, true),
                order("D", OrderState::Closed, Light::Done, false),
                order("E", OrderState::Opened, Light::None, false),
            ],
            evaluations: Vec::new(),
            subtargets: Vec::new(),
            sample: true,
        }
    }

    #[test]
    fn sub_targets_are_summed_up_and_listed_red_first() {
        use crate::known::Count;
        use crate::monitor::subtarget::{Counts, Taken, evaluate};
        let plan = plan();
        let at = YearMonth::new(2026, 11).unwrap();
        let mut c = Counts::new();
        let taken = |records| Taken {
            records,
            flagged: 0,
            sample: false,
        };
        let end_2025 = YearMonth::new(2025, 12).unwrap();
        for (id, n) in [
            ("new-talent-leaders", 6),
            ("new-tech-leaders", 2),
            ("new-innovation-teams", 5),
            ("new-enclaves", 3),
        ] {
            c.insert(Count::find(id).unwrap(), end_2025, "sjz-hz", taken(n));
        }
        c.not_kept("land");
        let mut i = inputs(&plan, true);
        i.subtargets = evaluate(&plan, &c, at);
        let b = build(&i);
        // 16 rows: 4 of the zones together, 6 × 2 zones. Met: the three 2025 ones at or over
        // target. Nothing counted for the events and projects: the yearly and standing counts
        // are at zero (red); coverage of no project and the land plans are not known.
        assert_eq!(b.subtargets.len(), 16);
        let statuses: Vec<&str> = b.subtargets.iter().map(|l| l.status.as_str()).collect();
        assert!(statuses[..9].iter().all(|s| ["红灯", "未完成"].contains(s)));
        assert!(statuses[9..13].iter().all(|s| *s == "无法计算"));
        assert!(statuses[13..].iter().all(|s| *s == "已完成"));
        // Most behind first: 0 of 10 events (9.2 records behind) before 2 of 5 leaders.
        assert_eq!(b.subtargets[0].name, "企业与高校、科研院所对接活动");
        let tech = b
            .subtargets
            .iter()
            .find(|l| l.name == "认定科技领军人物")
            .unwrap();
        assert_eq!(
            (
                tech.status.as_str(),
                tech.year.as_str(),
                tech.actual.as_str(),
                tech.target.as_str()
            ),
            ("未完成", "2025年", "2 个", "≥5 个")
        );
        assert_eq!(tech.task, "任务2");
        assert_eq!(tech.scope, "全市高新区合计");
        let last = b.summary.last().cloned().unwrap_or_default();
        assert_eq!(
            last,
            "任务量化子目标按区计 16 个：达到序时进度 3 个，落后 9 个（其中红灯 9 个），4 个尚无法计算。\
             需关注：企业与高校、科研院所对接活动（石家庄高新区，2026年 0 场，目标 ≥10 场）、\
             企业与高校、科研院所对接活动（正定高新区，2026年 0 场，目标 ≥10 场）、\
             认定科技领军人物（全市高新区合计，2025年 2 个，目标 ≥5 个）。"
        );
    }

    #[test]
    fn counts_by_task_and_unit_with_late_and_missing() {
        let plan = plan();
        let b = build(&inputs(&plan, true));
        assert_eq!(b.title, "高新区三年提升工作调度通报（2026年11月）");
        // Task 1 before task 6: the order items come in.
        let t6 = b
            .by_task
            .iter()
            .find(|t| t.label.starts_with("6."))
            .unwrap();
        assert_eq!(
            (t6.owed, t6.on_time, t6.late, t6.missing, t6.behind),
            (2, 1, 1, 0, 1)
        );
        let t1 = b
            .by_task
            .iter()
            .find(|t| t.label.starts_with("1."))
            .unwrap();
        assert_eq!((t1.owed, t1.on_time, t1.missing, t1.behind), (2, 1, 1, 1));
        assert_eq!(t1.rate(), "50%");
        let keji = b.by_unit.iter().find(|u| u.label == "市科技局").unwrap();
        assert_eq!((keji.owed, keji.on_time), (2, 2));
        // The unit that owed nothing (item 3) is not listed.
        assert!(b.by_unit.iter().all(|u| u.label != "市发改委"));
        assert_eq!(b.shortfalls.len(), 2);
        assert_eq!(b.shortfalls[0].state, "未报送");
        assert_eq!(b.shortfalls[0].unit, "正定高新区管委会");
        assert_eq!(b.shortfalls[1].state, "逾期报送");
        assert!(
            b.summary[0]
                .contains("应报送进展 4 份，已报送 3 份（其中逾期 1 份），未报送 1 份，报送率 75%"),
            "{}",
            b.summary[0]
        );
        // Orders: open (not 立项 only), overdue first; closed this period; not older closings.
        let numbers: Vec<&str> = b.orders.iter().map(|o| o.number.as_str()).collect();
        assert_eq!(numbers, ["B", "A", "C"]);
        assert!(
            b.summary[1].contains("在办 2 件，其中逾期 1 件；本月办结销号 1 件。逾期的是：B。"),
            "{}",
            b.summary[1]
        );
        // Who did not report and who reported late, by name.
        assert!(
            b.summary[0]
                .ends_with("未报送的单位：正定高新区管委会。逾期报送的单位：石家庄高新区管委会。"),
            "{}",
            b.summary[0]
        );
        assert!(b.sample);
        assert_eq!(b.cutoff, "2026年11月28日 10:00");
    }

    #[test]
    fn before_the_due_day_nothing_is_missing() {
        let plan = plan();
        let b = build(&inputs(&plan, false));
        assert!(b.shortfalls.iter().all(|s| s.state != "未报送"));
        assert!(b.summary[0].contains("尚未到期"));
        assert_eq!(b.by_task.iter().map(|t| t.missing).sum::<usize>(), 0);
    }
}
