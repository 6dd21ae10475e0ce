//! 示例数据 for the ledgers: generated enterprises, high-tech certificates, platforms and events
//! for every unit of a plan, and for each zone the talents, liaison universities, 招商 projects,
//! low-efficiency parcels and surveys its tasks' sub-targets count, target enterprises, funds, the
//! qualification ladder and listings, deterministic, every name marked （示例）. Loaded by
//! `gaoxin serve --demo` and marked 示例数据 wherever it shows.

use super::value::uscc_check_char;
use super::{Ledger, Record};
use crate::plan::{Plan, UnitKind};

fn uscc(n: usize) -> String {
    let first17 = format!("91130100XL{n:07}");
    let check = uscc_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn day(year: usize, n: usize) -> String {
    format!("{year:04}-{:02}-{:02}", 1 + n % 12, 1 + n % 28)
}

/// The sample records of each ledger, in the order they must be loaded (enterprises before the
/// certificates that refer to them).
pub fn generate(plan: &Plan) -> Vec<(&'static Ledger, Vec<Record>)> {
    let (Some(e), Some(q), Some(p), Some(ev), Some(st)) = (
        Ledger::find("enterprises"),
        Ledger::find("qualifications"),
        Ledger::find("platforms"),
        Ledger::find("events"),
        Ledger::find("enterprise-stats"),
    ) else {
        return Vec::new();
    };
    let industries = super::industries(plan);
    let types = [
        "重点实验室",
        "技术创新中心",
        "企业技术中心",
        "工程技术研究中心",
        "新型研发机构",
    ];
    let event_kinds = [
        "企业与高校院所对接",
        "企业与高校院所对接",
        "创新应用场景发布",
        "路演",
        "沙龙",
    ];
    let (mut enterprises, mut certs, mut platforms, mut events) = (vec![], vec![], vec![], vec![]);
    let mut stats = vec![];
    let mut listings = vec![];
    let mut n = 0;
    for (u, unit) in plan.units.iter().enumerate() {
        let count = match unit.kind {
            UnitKind::Zone => 60,
            UnitKind::County => 50,
            UnitKind::City => 150,
        };
        for i in 0..count {
            n += 1;
            let code = uscc(n);
            let name = format!("{}示例企业{i:03}（示例）", unit.name);
            enterprises.push(Record {
                values: vec![
                    code.clone(),
                    name.clone(),
                    unit.id.clone(),
                    industries[n % industries.len()].into(),
                    format!("{}", (n * 37) % 900 + 50),
                    if n % 3 == 0 { "是" } else { "否" }.into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            });
            // Most enterprises of a zone hold a high-tech certificate; fewer elsewhere.
            let holds = match unit.kind {
                UnitKind::Zone => i % 5 != 0,
                _ => i % 3 == 0,
            };
            if unit.kind == UnitKind::Zone {
                for year in [2024, 2025] {
                    stats.push(annual_report(&code, &name, n, year, holds));
                }
            }
            if unit.kind == UnitKind::Zone {
                certs.extend(ladder(&code, &name, i, n));
                let z = plan.units[..u]
                    .iter()
                    .filter(|x| x.kind == UnitKind::Zone)
                    .count();
                listings.extend(listing(&code, &name, i, z));
            }
            if holds {
                let issued = day(2021 + n % 6, n);
                certs.push(Record {
                    values: vec![
                        code,
                        name,
                        "高新技术企业".into(),
                        format!("GR{}{:06}", 2021 + n % 6, n),
                        issued.clone(),
                        super::value::last_day_after_years(&issued, 3).unwrap_or_default(),
                    ],
                });
            }
        }
        if unit.kind == UnitKind::Zone {
            for i in 0..platform_count(plan, &unit.id) {
                platforms.push(Record {
                    values: vec![
                        format!("{}示例{}{i:02}（示例）", unit.name, types[i % types.len()]),
                        types[i % types.len()].into(),
                        platform_level(i + u).into(),
                        format!("{}示例企业{:03}（示例）", unit.name, i),
                        unit.id.clone(),
                        platform_day(i, u),
                        String::new(),
                        String::new(),
                    ],
                });
            }
            for i in 0..22 {
                events.push(Record {
                    values: vec![
                        format!("{}示例活动{i:02}（示例）", unit.name),
                        event_kinds[i % event_kinds.len()].into(),
                        day(2025 + i % 2, i * 5 + u),
                        unit.id.clone(),
                        format!("{}", 10 + i),
                        String::new(),
                        format!("{}", 50 + i * 3),
                    ],
                });
            }
        }
    }
    let zones: Vec<&crate::plan::Unit> = plan.zones().collect();
    for (z, unit) in zones.iter().enumerate() {
        events.extend(task_events(unit, z));
    }
    let mut out = vec![
        (e, enterprises),
        (q, certs),
        (p, platforms),
        (ev, events),
        (st, stats),
    ];
    if let Some(li) = Ledger::find("listings") {
        out.push((li, listings));
    }
    if let (Some(t), Some(l), Some(pr), Some(la), Some(ta), Some(fu)) = (
        Ledger::find("talents"),
        Ledger::find("liaisons"),
        Ledger::find("projects"),
        Ledger::find("land"),
        Ledger::find("targets"),
        Ledger::find("funds"),
    ) {
        let (mut talents, mut liaisons, mut projects, mut land) = (vec![], vec![], vec![], vec![]);
        let (mut targets, mut funds) = (vec![], vec![]);
        for (z, unit) in zones.iter().enumerate() {
            talents.extend(zone_talents(unit, z));
            liaisons.extend(zone_liaisons(unit, z));
            projects.extend(zone_projects(plan, unit, z));
            land.extend(zone_land(unit, z));
            targets.extend(zone_targets(plan, unit, z));
            funds.extend(zone_funds(unit, z));
        }
        out.extend([
            (t, talents),
            (l, liaisons),
            (pr, projects),
            (la, land),
            (ta, targets),
            (fu, funds),
        ]);
    }
    out
}

/// The first zone (z = 0) is ahead of the second on every count, as a real pair often is: the
/// sub-targets the sample shows are met, near the path or behind, not all one colour.
fn lead(z: usize, first: usize, other: usize) -> usize {
    if z == 0 { first } else { other }
}

/// A zone's 2026 matchmaking events beyond the generic ones, and its yearly land surveys (the
/// first zone surveyed in 2025 and in April 2026; the second only in 2025).
fn task_events(unit: &crate::plan::Unit, z: usize) -> Vec<Record> {
    let event = |name: String, kind: &str, day: String| Record {
        values: vec![
            name,
            kind.into(),
            day,
            unit.id.clone(),
            String::new(),
            String::new(),
            String::new(),
        ],
    };
    let mut out: Vec<Record> = (0..lead(z, 5, 4))
        .map(|i| {
            event(
                format!("{}示例产学研对接会{i:02}（示例）", unit.name),
                "企业与高校院所对接",
                format!("2026-{:02}-{:02}", 2 + i * 2, 10 + z),
            )
        })
        .collect();
    out.push(event(
        format!("{}2025年低效用地摸底排查（示例）", unit.name),
        "低效用地摸底排查",
        format!("2025-0{}-15", 5 + z),
    ));
    if z == 0 {
        out.push(event(
            format!("{}2026年低效用地摸底排查（示例）", unit.name),
            "低效用地摸底排查",
            "2026-04-20".into(),
        ));
    }
    out
}

/// Talents recognised in 2025 (what the 2025 sub-targets count: 5 leaders, 4 of the 5 tech
/// leaders asked, 6 teams, 3 enclaves across the zones) and a few in 2026.
fn zone_talents(unit: &crate::plan::Unit, z: usize) -> Vec<Record> {
    let kinds = [
        ("创新创业领军人才", lead(z, 3, 2), 1),
        ("科技领军人物", lead(z, 3, 1), 1),
        ("科技创新团队", lead(z, 4, 2), 2),
        ("人才飞地", lead(z, 2, 1), 0),
    ];
    let mut out = Vec::new();
    for (k, (kind, in_2025, in_2026)) in kinds.iter().enumerate() {
        for i in 0..in_2025 + in_2026 {
            let year = if i < *in_2025 { 2025 } else { 2026 };
            out.push(Record {
                values: vec![
                    format!("{}示例{kind}{i:02}（示例）", unit.name),
                    (*kind).into(),
                    format!("{}示例企业{:03}（示例）", unit.name, k * 7 + i),
                    unit.id.clone(),
                    format!("{year}-{:02}-{:02}", 2 + (i * 3 + k) % 9, 5 + z + i),
                    String::new(),
                ],
            });
        }
    }
    out
}

/// The qualifications above and beside the high-tech certificate a zone's enterprise climbs
/// (task 3's 梯度培育): most are 科技型中小企业 (evaluated each year: in force to the year's
/// end), fewer 专精特新, a few 小巨人, 瞪羚 and 科技领军, one 单项冠军 — a pyramid, not a column.
fn ladder(code: &str, name: &str, i: usize, n: usize) -> Vec<Record> {
    let mut out = Vec::new();
    let mut add = |kind: &str, issued: String, until: String| {
        out.push(Record {
            values: vec![
                code.into(),
                name.into(),
                kind.into(),
                String::new(),
                issued,
                until,
            ],
        })
    };
    // 科技型中小企业: four in five this year, fewer the year before.
    if i % 5 != 4 {
        add("科技型中小企业", day(2026, n % 5), "2026-12-31".into());
    }
    if i % 4 != 3 {
        add("科技型中小企业", day(2025, n % 5), "2025-12-31".into());
    }
    let three_years =
        |issued: &str| super::value::last_day_after_years(issued, 3).unwrap_or_default();
    if i % 6 == 1 {
        let issued = day(2024 + i % 3, n);
        add("专精特新中小企业", issued.clone(), three_years(&issued));
    }
    if i % 20 == 7 {
        let issued = day(2025 + i % 2, n);
        add(
            "专精特新\"小巨人\"企业",
            issued.clone(),
            three_years(&issued),
        );
    }
    if i % 15 == 2 {
        add("瞪羚企业", day(2025 + i % 2, n), String::new());
    }
    if i % 30 == 11 {
        add("科技领军企业", day(2025, n), String::new());
    }
    if i == 0 {
        add("制造业单项冠军企业", day(2024, n), String::new());
    }
    out
}

/// The listing pipeline: the first zone has one listed on 北交所, one approved, one filed and
/// three in tutoring; the second one on 新三板 and two in tutoring.
fn listing(code: &str, name: &str, i: usize, z: usize) -> Option<Record> {
    let (board, stage, since, security) = match (z, i) {
        (0, 3) => ("北交所", "上市挂牌", "2025-11-20", "920123"),
        (0, 8) => ("创业板", "过会", "2026-09-18", ""),
        (0, 13) => ("科创板", "申报", "2026-06-30", ""),
        (0, 18 | 23 | 28) => ("北交所", "辅导备案", "2026-03-15", ""),
        (1, 3) => ("新三板", "上市挂牌", "2024-08-08", "874321"),
        (1, 8 | 13) => ("北交所", "辅导备案", "2026-05-20", ""),
        _ => return None,
    };
    Some(Record {
        values: vec![
            code.into(),
            name.into(),
            board.into(),
            stage.into(),
            since.into(),
            security.into(),
            "示例证券股份有限公司（示例）".into(),
            String::new(),
        ],
    })
}

/// Target enterprises from the industry lists, most contacted, some interested, a few turned
/// into projects: the top of the 招商 funnel.
fn zone_targets(plan: &Plan, unit: &crate::plan::Unit, z: usize) -> Vec<Record> {
    let industries = super::industries(plan);
    let lists = ["电子信息百强", "软件百强", "互联网百强", "其他榜单"];
    let statuses = [
        "未对接",
        "已对接",
        "已对接",
        "有意向",
        "已对接",
        "有意向",
        "已转为项目",
        "未对接",
    ];
    (0..lead(z, 16, 11))
        .map(|i| {
            let status = statuses[i % statuses.len()];
            Record {
                values: vec![
                    format!("{}示例目标企业{i:02}（示例）", unit.name),
                    industries[i % industries.len()].into(),
                    lists[i % lists.len()].into(),
                    "示例市".into(),
                    unit.id.clone(),
                    status.into(),
                    if status == "未对接" {
                        String::new()
                    } else {
                        format!("2026-{:02}-{:02}", 1 + (i * 5) % 11, 2 + i)
                    },
                    "示例责任人".into(),
                    String::new(),
                ],
            }
        })
        .collect()
}

/// Funds set up with the city's guidance fund: the first zone has one of each kind.
fn zone_funds(unit: &crate::plan::Unit, z: usize) -> Vec<Record> {
    let kinds = [
        ("产业基金", 200_000),
        ("创投基金", 50_000),
        ("并购基金", 100_000),
    ];
    kinds
        .iter()
        .take(lead(z, 3, 1))
        .enumerate()
        .map(|(i, (kind, size))| Record {
            values: vec![
                format!("{}示例{kind}（示例）", unit.name),
                (*kind).into(),
                format!("{}", size / (z + 1)),
                "示例资本管理有限公司（示例）".into(),
                unit.id.clone(),
                format!("{}-0{}-15", 2024 + i % 2, 3 + i),
                // Two fifths invested, in a few enterprises each.
                format!("{}", size / (z + 1) * 2 / 5),
                format!("{}", 3 + i * 2),
            ],
        })
        .collect()
}

/// Three liaison universities for the first zone, two for the second (the plan asks 2–3).
fn zone_liaisons(unit: &crate::plan::Unit, z: usize) -> Vec<Record> {
    (0..lead(z, 3, 2))
        .map(|i| Record {
            values: vec![
                format!("示例大学{}{i}（示例）", ["甲", "乙"][z % 2]),
                unit.id.clone(),
                format!("2025-0{}-1{z}", 1 + i),
                String::new(),
                String::new(),
            ],
        })
        .collect()
}

/// 招商 projects at every stage; of the big ones (≥ 10 亿元) the first zone names a liaison for
/// each, the second for three of four.
fn zone_projects(plan: &Plan, unit: &crate::plan::Unit, z: usize) -> Vec<Record> {
    let industries = super::industries(plan);
    // A funnel that narrows: more in talks than signed, started or producing.
    let stages = [
        "在谈", "签约", "在谈", "开工", "在谈", "签约", "投产", "开工",
    ];
    // Most moved to their stage in the last three months; two sit there since spring (停滞).
    let since = [
        (10, 12),
        (9, 20),
        (11, 5),
        (9, 28),
        (4, 16),
        (10, 3),
        (6, 30),
        (3, 9),
    ];
    (0..8)
        .map(|i| {
            let big = i % 2 == 0;
            let liaison = big && !(z == 1 && i == 6);
            Record {
                values: vec![
                    format!("{}示例项目{i:02}（示例）", unit.name),
                    format!("示例投资集团{i:02}有限公司（示例）"),
                    industries[i % industries.len()].into(),
                    unit.id.clone(),
                    stages[i].into(),
                    format!("2026-{:02}-{:02}", since[i].0, since[i].1 - z),
                    if big {
                        format!("{}", 100_000 + i * 25_000)
                    } else {
                        format!("{}", 20_000 + i * 5_000)
                    },
                    "示例分包领导".into(),
                    "示例责任人".into(),
                    if liaison {
                        "示例联络员".into()
                    } else {
                        String::new()
                    },
                ],
            }
        })
        .collect()
}

/// Low-efficiency parcels found by the surveys: the first zone has a plan for each, the second
/// for four of five.
fn zone_land(unit: &crate::plan::Unit, z: usize) -> Vec<Record> {
    let status = ["已完成", "整治中", "整治中", "未启动", "未启动"];
    (0..5)
        .map(|i| {
            let planned = !(z == 1 && i == 4);
            Record {
                values: vec![
                    format!("SL-{}-{:03}", z + 1, i + 1),
                    format!("{}示例地块{i:02}（示例）", unit.name),
                    unit.id.clone(),
                    format!("{}", 12 + i * 7),
                    if i < 3 { "2025" } else { "2026" }.into(),
                    "停产闲置".into(),
                    if planned {
                        "引入新项目盘活".into()
                    } else {
                        String::new()
                    },
                    if planned {
                        format!("2027-0{}-30", 3 + i)
                    } else {
                        String::new()
                    },
                    status[i].into(),
                ],
            }
        })
        .collect()
}

/// How many sample platforms a zone has: sized to the plan's target for its city-level-and-up
/// platforms (the latest year's up to 2026, 7 % over it), or 24 where the plan sets none. One in
/// ten is below city level and one in ten is set up in 2026, so the count in late 2026 lands a
/// little under the path, not on it.
fn platform_count(plan: &Plan, zone: &str) -> usize {
    let target = plan
        .indicators
        .iter()
        .filter(|i| {
            i.figure
                .as_deref()
                .and_then(|f| plan.figure(f))
                .is_some_and(|f| f.counted.as_deref() == Some("platforms-city-up"))
        })
        .filter_map(|i| {
            (2025..=2026)
                .rev()
                .find_map(|y| plan.target(zone, &i.id, y))
                .map(|t| t.value)
        })
        .next();
    match target {
        // Platforms are whole; the target is at most a few thousand.
        Some(v) if v > 0.0 && v < 10_000.0 => (v * 1.07).round() as usize,
        _ => 24,
    }
}

/// A sample platform's level: one in ten national, two provincial, six city, one below.
fn platform_level(n: usize) -> &'static str {
    match n % 10 {
        0 => "国家级",
        1 | 2 => "省级",
        9 => "其他",
        _ => "市级",
    }
}

/// When sample platform `i` of zone `u` was set up: most before 2024, the rest spread over 2024
/// to October 2026, so the count grows month by month as a real one does.
fn platform_day(i: usize, u: usize) -> String {
    let (year, month) = match i % 10 {
        0 => (2024, 1 + (i / 10) % 12),
        1 => (2025, 1 + (i / 10) % 12),
        2 => (2026, 1 + (i / 10) % 10),
        _ => (2012 + i % 12, 1 + i % 12),
    };
    format!("{year:04}-{month:02}-{:02}", 1 + (i + u) % 28)
}

/// A plausible torch-statistics annual report for sample enterprise `n`: revenue from 0.2 to
/// 15 亿元 (a few larger), R&D intensity 1.5–8.5 %, the year before about 8 % smaller.
fn annual_report(code: &str, name: &str, n: usize, year: i32, hitech: bool) -> Record {
    let grow = if year == 2025 { 1.0 } else { 0.92 };
    let big = if n.is_multiple_of(11) { 4.0 } else { 1.0 };
    let revenue = ((2_000 + (n * 7_919) % 150_000) as f64 * big * grow).round();
    let intensity = 1.5 + ((n * 37) % 70) as f64 / 10.0;
    let rd = (revenue * intensity / 100.0).round();
    let employees = (revenue / 60.0).round() + 30.0;
    let margin = ((n * 13) % 15) as f64 - 2.0;
    let whole = |x: f64| format!("{}", x.round().max(0.0) as i64);
    Record {
        values: vec![
            code.to_string(),
            name.to_string(),
            year.to_string(),
            whole(revenue),
            whole(revenue * 0.8),
            format!("{}", (revenue * margin / 100.0).round() as i64),
            whole(revenue * 0.05),
            whole(revenue * ((n * 7) % 20) as f64 / 100.0),
            if hitech { "是" } else { "否" }.into(),
            whole(employees),
            whole(employees * (0.45 + ((n * 3) % 25) as f64 / 100.0)),
            whole(employees * ((n % 4) as f64) / 100.0),
            whole(employees * (0.05 + ((n * 5) % 15) as f64 / 100.0)),
            whole(rd),
            whole(rd / 120.0),
            whole(rd / 360.0),
            whole(rd / 90.0),
            whole(revenue / 4_000.0 + 2.0),
            whole(revenue * 0.06),
            String::new(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_record_is_valid_and_marked() {
        let plan = Plan::parse(
            "seed.toml",
            include_str!("../../../../plans/shijiazhuang-2025-2027.toml"),
        )
        .unwrap();
        for (l, records) in generate(&plan) {
            assert!(!records.is_empty(), "{}", l.id);
            for r in &records {
                let cells: Vec<_> = r
                    .values
                    .iter()
                    .map(|v| {
                        if v.is_empty() {
                            super::super::value::Cell::Empty
                        } else {
                            super::super::value::Cell::Text(v.clone())
                        }
                    })
                    .collect();
                let (checked, _) = super::super::check(&plan, l, &cells)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", l.id));
                assert_eq!(&checked, r, "{} is stored as generated", l.id);
                assert!(l.title(r).contains("示例"), "{}", l.id);
            }
        }
    }
}
