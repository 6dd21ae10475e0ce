use super::sheet::{EXAMPLE_HEADING, EXAMPLE_MARK, example, heading, parse};
use super::value::{Cell, looks_like_formula, normalise, uscc_check_char, uscc_valid};
use super::*;
use crate::auth::RoleKind;
use crate::plan::Plan;

const SEED: &str = include_str!("../../../../plans/shijiazhuang-2025-2027.toml");

fn plan() -> Plan {
    match Plan::parse("seed.toml", SEED) {
        Ok(p) => p,
        Err(e) => unreachable!("the seed plan parses: {e}"),
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn field(ledger: &Ledger, id: &str) -> Field {
    *ledger.field(id).unwrap()
}

fn norm(ledger: &Ledger, id: &str, cell: Cell) -> Result<(String, bool), String> {
    normalise(&plan(), &field(ledger, id), &cell)
        .map(|(v, note)| (v, note.is_some()))
        .map_err(|(zh, _)| zh)
}

#[test]
fn every_ledger_is_well_formed_and_its_example_row_is_valid() {
    let plan = plan();
    let mut ids = Vec::new();
    for l in LEDGERS {
        assert!(!ids.contains(&l.id), "ledger {} twice", l.id);
        ids.push(l.id);
        for slot in [Some(l.slots.name)]
            .into_iter()
            .chain([
                l.slots.unit,
                l.slots.kind,
                l.slots.grade,
                l.slots.date,
                l.slots.until,
                l.slots.amount,
                l.slots.reference,
            ])
            .flatten()
            .chain(l.key.iter().copied())
        {
            assert!(l.field(slot).is_some(), "{}: slot {slot}", l.id);
        }
        // A record gets its unit from a field or from the record it refers to.
        assert!(
            l.slots.unit.is_some() != l.slots.reference.is_some(),
            "{}",
            l.id
        );
        let (record, _) = check(&plan, l, &example(&plan, l))
            .unwrap_or_else(|e| panic!("{}: example invalid: {e:?}", l.id));
        assert!(!l.title(&record).is_empty());
        // Every required field missing: one error each, named by field.
        let errors = check(&plan, l, &[]).unwrap_err();
        let required: Vec<&str> = l
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.id)
            .collect();
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, required, "{}", l.id);
    }
    for c in COUNTS {
        let l = Ledger::find(c.ledger).unwrap();
        for k in c.kinds {
            let FieldKind::Code(options) = l.field(l.slots.kind.unwrap()).unwrap().kind else {
                panic!("{}: kind is not a code", c.id)
            };
            assert!(options.contains(k), "{}: {k}", c.id);
        }
        if c.flagged || c.tally == crate::known::Tally::Unflagged {
            assert!(l.flag.is_some(), "{}", c.id);
        }
    }
}

#[test]
fn credit_codes_are_checked_to_the_last_digit() {
    assert!(uscc_valid("91130101MA0A1B2C3F"));
    assert!(uscc_valid("12130100MB1234567X"));
    assert!(!uscc_valid("91130101MA0A1B2C3G"), "wrong check digit");
    assert!(!uscc_valid("91130101MA0A1B2C3"), "17 characters");
    assert!(!uscc_valid("91130101MA0A1B2CIF"), "I is never used");
    assert_eq!(uscc_check_char("91130101MA0A1B2C3"), Some('F'));
    // A code typed with a full-width letter, spaces and lower case is the same code, noted.
    assert_eq!(
        norm(&ENTERPRISES_REF, "uscc", text(" 91130101ma0a1b2c3ｆ ")),
        Ok(("91130101MA0A1B2C3F".into(), true))
    );
    let err = norm(&ENTERPRISES_REF, "uscc", text("91130101MA0A1B2C3G")).unwrap_err();
    assert!(err.contains("校验位"), "{err}");
    let err = norm(&ENTERPRISES_REF, "uscc", text("9113")).unwrap_err();
    assert!(err.contains("18 位"), "{err}");
}

use super::defs::{ENTERPRISES as ENTERPRISES_REF, EVENTS, LAND, PROJECTS, QUALIFICATIONS_LEDGER};

#[test]
fn numbers_are_read_as_a_clerk_wrote_them() {
    let l = &ENTERPRISES_REF;
    for (typed, stored, noted) in [
        ("1250.5", "1250.5", false),
        ("1,250.5", "1250.5", true),
        ("１２５０．５", "1250.5", true),
        ("1，250.5万元", "1250.5", true),
        ("3万", "3", true),
        ("1.2亿元", "12000", true),
        ("500000元", "50", true),
        ("12.345678", "12.3457", true),
    ] {
        assert_eq!(
            norm(l, "rd_spending", text(typed)),
            Ok((stored.into(), noted)),
            "{typed}"
        );
    }
    assert_eq!(
        norm(l, "rd_spending", Cell::Number(88.0)),
        Ok(("88".into(), false))
    );
    assert!(
        norm(l, "rd_spending", text("-3"))
            .unwrap_err()
            .contains("负数")
    );
    assert!(
        norm(l, "rd_spending", text("约3万"))
            .unwrap_err()
            .contains("无法识别")
    );
    assert_eq!(
        norm(&LAND, "area", text("35.6亩")),
        Ok(("35.6".into(), true))
    );
    assert_eq!(
        norm(&EVENTS, "people", text("120人")),
        Ok(("120".into(), true))
    );
    assert!(
        norm(&EVENTS, "people", text("1.5"))
            .unwrap_err()
            .contains("整数")
    );
    assert_eq!(
        norm(&LAND, "survey_year", text("2025年")),
        Ok(("2025".into(), false))
    );
    assert!(norm(&LAND, "survey_year", text("1899")).is_err());
}

#[test]
fn dates_in_every_form_a_clerk_types_them() {
    let l = &EVENTS;
    for (cell, stored, noted) in [
        (text("2025-04-18"), "2025-04-18", false),
        (text("2025/4/18"), "2025-04-18", true),
        (text("2025.4.18"), "2025-04-18", true),
        (text("2025年4月18日"), "2025-04-18", true),
        (text("２０２５年４月１８日"), "2025-04-18", true),
        (text("20250418"), "2025-04-18", true),
        (Cell::Number(20250418.0), "2025-04-18", true),
        // Excel's serial for 2025-04-18, from a date-formatted cell and from a plain number.
        (Cell::Date(45765.0), "2025-04-18", false),
        (Cell::Number(45765.0), "2025-04-18", true),
        (text("2024-02-29"), "2024-02-29", false),
    ] {
        assert_eq!(
            norm(l, "held", cell.clone()),
            Ok((stored.into(), noted)),
            "{cell:?}"
        );
    }
    for bad in ["2025-02-29", "2025-13-01", "明年三月", "2025-04"] {
        assert!(norm(l, "held", text(bad)).is_err(), "{bad}");
    }
}

#[test]
fn codes_flags_units_and_text() {
    let q = &QUALIFICATIONS_LEDGER;
    // 专精特新“小巨人” typed with Chinese quotes, or none, is the listed value.
    for typed in [
        "专精特新“小巨人”企业",
        "专精特新小巨人企业",
        "专精特新\"小巨人\"企业",
    ] {
        assert_eq!(
            norm(q, "kind", text(typed)).map(|(v, _)| v),
            Ok("专精特新\"小巨人\"企业".into())
        );
    }
    let err = norm(q, "kind", text("独角兽企业")).unwrap_err();
    assert!(
        err.contains("高新技术企业"),
        "lists the allowed values: {err}"
    );
    assert_eq!(
        norm(&ENTERPRISES_REF, "rd_reserve", text("有")),
        Ok(("是".into(), true))
    );
    assert_eq!(
        norm(&ENTERPRISES_REF, "rd_reserve", text("否")),
        Ok(("否".into(), false))
    );
    assert_eq!(
        norm(&ENTERPRISES_REF, "unit", text("正定高新区")),
        Ok(("zd-hz".into(), false))
    );
    assert_eq!(
        norm(&ENTERPRISES_REF, "unit", text("sjz-hz")),
        Ok(("sjz-hz".into(), false))
    );
    assert!(
        norm(&ENTERPRISES_REF, "unit", text("鹿泉区"))
            .unwrap_err()
            .contains("正定县")
    );
    assert_eq!(
        norm(&ENTERPRISES_REF, "name", text("  示例公司\u{3000}")),
        Ok(("示例公司".into(), true))
    );
    assert!(norm(&ENTERPRISES_REF, "name", text(&"长".repeat(101))).is_err());
    assert!(norm(&ENTERPRISES_REF, "name", text("a\u{0}b")).is_err());
    // The industries are the plan's, and 其他.
    assert_eq!(
        norm(&ENTERPRISES_REF, "industry", text("数字经济")),
        Ok(("数字经济".into(), false))
    );
    assert_eq!(
        norm(&ENTERPRISES_REF, "industry", text("其他")),
        Ok(("其他".into(), false))
    );
    let err = norm(&ENTERPRISES_REF, "industry", text("新能源")).unwrap_err();
    assert!(
        err.contains("方案所列的产业") && err.contains("化工新材料"),
        "{err}"
    );
    let bare = Plan::parse(
        "bare.toml",
        &SEED.replacen("industries = [", "industries_unused = [", 1),
    );
    assert!(bare.is_err(), "an unknown key is refused");
    let twice = SEED.replacen(
        "industries = [\"生物医药\"",
        "industries = [\"生物医药\", \"生物医药\"",
        1,
    );
    let errors = Plan::parse("twice.toml", &twice).unwrap_err().to_string();
    assert!(errors.contains("产业“生物医药”重复"), "{errors}");
    assert!(looks_like_formula("=HYPERLINK(\"x\")"));
    assert!(looks_like_formula("@SUM(A1)"));
    assert!(looks_like_formula("\tx"));
    assert!(!looks_like_formula("正常文字"));
}

#[test]
fn a_hitech_certificate_is_valid_for_three_years_unless_the_row_says_otherwise() {
    let plan = plan();
    let q = &QUALIFICATIONS_LEDGER;
    let row = |kind: &str, issued: &str, until: &str| {
        let mut cells = example(&plan, q);
        cells[2] = text(kind);
        cells[4] = text(issued);
        cells[5] = if until.is_empty() {
            Cell::Empty
        } else {
            text(until)
        };
        check(&plan, q, &cells)
    };
    let (r, notes) = row("高新技术企业", "2024-02-29", "").unwrap();
    assert_eq!(r.get(q, "valid_until"), "2027-02-28");
    assert_eq!(notes.len(), 1);
    let (r, _) = row("高新技术企业", "2025-03-01", "").unwrap();
    assert_eq!(r.get(q, "valid_until"), "2028-02-29");
    let (r, notes) = row("高新技术企业", "2025-03-01", "2027-12-31").unwrap();
    assert_eq!((r.get(q, "valid_until"), notes.len()), ("2027-12-31", 0));
    let (r, _) = row("瞪羚企业", "2025-03-01", "").unwrap();
    assert_eq!(r.get(q, "valid_until"), "");
    let e = row("高新技术企业", "2025-03-01", "2024-12-31").unwrap_err();
    assert_eq!(e[0].field, "valid_until");
}

#[test]
fn a_big_project_without_a_liaison_is_flagged_and_noted() {
    let plan = plan();
    let p = &PROJECTS;
    let mut cells = example(&plan, p);
    let liaison = |notes: &[Note]| notes.iter().any(|n| n.field == "liaison");
    let (r, notes) = check(&plan, p, &cells).unwrap();
    assert_eq!(
        (r.get(p, "amount"), p.flag_of(&r), liaison(&notes)),
        ("120000", None, false)
    );
    // "12亿元" was read as 120000 万元, and the dry run says so.
    assert!(notes.iter().any(|n| n.field == "amount"));
    cells[9] = Cell::Empty;
    let (r, notes) = check(&plan, p, &cells).unwrap();
    assert!(p.flag_of(&r).is_some());
    assert!(liaison(&notes));
    cells[6] = text("9.99亿元");
    let (r, _) = check(&plan, p, &cells).unwrap();
    assert_eq!(p.flag_of(&r), None);
}

fn sheet(rows: &[&[Cell]]) -> Vec<(usize, Vec<Cell>)> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r.to_vec()))
        .collect()
}

#[test]
fn a_sheet_is_read_by_its_headings_with_every_error_by_row_and_column() {
    let plan = plan();
    let l = &EVENTS;
    let mut header: Vec<Cell> = l.fields.iter().map(|f| text(&heading(f))).collect();
    header.reverse(); // columns in any order
    header.push(text(EXAMPLE_HEADING));
    let row = |name: &str, kind: &str, held: Cell, people: &str, mark: &str| -> Vec<Cell> {
        let mut r = vec![
            text(people),
            text(""),
            text(""),
            text("石家庄高新区"),
            held,
            text(kind),
            text(name),
        ];
        r.push(text(mark));
        r
    };
    let rows = sheet(&[
        &[],
        &header,
        &row("示例活动", "路演", text("2025-01-01"), "", EXAMPLE_MARK),
        &row(
            "对接会一",
            "企业与高校院所对接",
            Cell::Date(45765.0),
            "1,200",
            "",
        ),
        &[text("  "), Cell::Empty],
        &row("对接会二", "对接会", text("2025-02-30"), "x", ""),
        &row("对接会一", "企业与高校院所对接", text("2025-04-18"), "", ""),
    ]);
    let parsed = parse(&plan, l, &rows);
    assert_eq!((parsed.example_rows, parsed.blank_rows), (1, 1));
    // The repeated record is an error, not a record.
    assert_eq!((parsed.rows.len(), parsed.records), (1, 1));
    assert_eq!(parsed.rows[0].line, 4);
    assert_eq!(parsed.rows[0].record.get(l, "people"), "1200");
    let errors: Vec<(usize, &str)> = parsed
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (6, "活动类型*"),
            (6, "举办日期*"),
            (6, "参与人数"),
            (7, "活动名称*、举办日期*、所在区域*")
        ]
    );
    assert!(parsed.errors[3].zh.contains("第 4 行"));
    assert_eq!(parsed.notes[0].line, 4);

    // A file of another ledger is refused at the header, not half-read.
    let other: Vec<Cell> = ENTERPRISES_REF.fields.iter().map(|f| text(f.zh)).collect();
    let parsed = parse(&plan, l, &sheet(&[&other]));
    assert!(parsed.rows.is_empty());
    assert!(
        parsed
            .errors
            .iter()
            .any(|e| e.zh.contains("不是“活动”台账的列"))
    );
    assert!(
        parsed
            .errors
            .iter()
            .any(|e| e.zh.contains("缺少必填列“活动名称”"))
    );
    assert!(!parse(&plan, l, &[]).errors.is_empty());
}

#[test]
fn who_may_edit_and_read_which_units() {
    let plan = plan();
    let who = |roles: &'static [RoleKind], dept: &'static str| Who {
        roles,
        department: dept,
    };
    const REP: &[RoleKind] = &[RoleKind::Reporter];
    const LEAD: &[RoleKind] = &[RoleKind::Leader];
    const DISP: &[RoleKind] = &[RoleKind::Dispatcher];
    let e = &ENTERPRISES_REF;
    // A zone's committee edits its own zone's records only.
    assert!(may_edit(&plan, who(REP, "sjz-hz-admin"), e, "sjz-hz"));
    assert!(!may_edit(&plan, who(REP, "sjz-hz-admin"), e, "zd-hz"));
    // The county government edits the county and the zone in it.
    assert!(may_edit(&plan, who(REP, "zd-gov"), e, "zd-hz"));
    assert!(!may_edit(&plan, who(REP, "zd-gov"), e, "sjz"));
    // The keeper of the ledger (市科技局 for enterprises) edits every unit.
    assert!(may_edit(&plan, who(REP, "sci-tech"), e, "sjz"));
    assert!(!may_edit(&plan, who(REP, "drc"), e, "sjz-hz"));
    assert!(may_edit(&plan, who(DISP, "dispatch"), e, "zd"));
    assert!(!may_edit(&plan, who(LEAD, "dispatch"), e, "zd"));
    assert_eq!(readable_units(&plan, who(LEAD, "dispatch")), None);
    assert_eq!(readable_units(&plan, who(REP, "sci-tech")), None);
    assert_eq!(
        readable_units(&plan, who(REP, "zd-gov")),
        Some(vec!["zd".to_string(), "zd-hz".to_string()])
    );
}

#[test]
fn the_seed_plan_counts_its_ledger_figures() {
    let plan = plan();
    let counted: Vec<(&str, &str)> = plan
        .figures
        .iter()
        .filter_map(|f| Some((f.id.as_str(), f.counted.as_deref()?)))
        .collect();
    assert!(counted.contains(&("hitech-count", "hitech-valid")));
    assert!(counted.contains(&("platforms-count", "platforms-city-up")));
    assert_eq!(plan.ledger_keeper("enterprises"), Some("sci-tech"));
    // A count in force cannot feed a cumulative figure.
    let bad = SEED.replacen(
        "kind = \"level\"\nfrequency = \"quarterly\"\nsource = \"sci-tech\"\ncounted = \"hitech-valid\"",
        "kind = \"cumulative\"\nfrequency = \"quarterly\"\nsource = \"sci-tech\"\ncounted = \"hitech-valid\"",
        1,
    );
    assert_ne!(bad, SEED);
    let errors = Plan::parse("bad.toml", &bad).unwrap_err().to_string();
    assert!(errors.contains("kind 应为 level"), "{errors}");
    let bad = SEED.replacen("enterprises = \"sci-tech\"", "companies = \"sci-tech\"", 1);
    let errors = Plan::parse("bad.toml", &bad).unwrap_err().to_string();
    assert!(errors.contains("没有名为“companies”的台账"), "{errors}");
}

#[test]
fn a_counted_sub_target_takes_what_its_count_gives() {
    // A share counted into a target of 场: refused, with the line and the fix.
    let bad = SEED.replacen(
        "counted = \"matchmaking-events\"",
        "counted = \"big-project-liaison-coverage\"",
        1,
    );
    assert_ne!(bad, SEED);
    let errors = Plan::parse("bad.toml", &bad).unwrap_err().to_string();
    assert!(
        errors.contains("得到的是比例，子目标的 unit 应为 \"%\""),
        "{errors}"
    );
    assert!(errors.contains("gives a share"), "{errors}");
    // A year's count cannot hold a standing target (2-3 liaison universities all the time).
    let bad = SEED.replacen(
        "counted = \"liaison-institutes\"",
        "counted = \"new-enclaves\"",
        1,
    );
    assert_ne!(bad, SEED);
    let errors = Plan::parse("bad.toml", &bad).unwrap_err().to_string();
    assert!(errors.contains("不能用于方案期内持续满足"), "{errors}");
    // A number counted into a % target.
    let bad = SEED.replacen(
        "counted = \"remediation-plan-coverage\"",
        "counted = \"land-surveys\"",
        1,
    );
    let errors = Plan::parse("bad.toml", &bad).unwrap_err().to_string();
    assert!(errors.contains("得到的是个数"), "{errors}");
}

#[test]
fn a_parcel_without_a_remediation_plan_is_flagged() {
    let plan = plan();
    let l = Ledger::find("land").unwrap();
    let mut cells = example(&plan, l);
    let (r, _) = check(&plan, l, &cells).unwrap();
    assert_eq!(l.flag_of(&r), None, "the example has a plan");
    let i = l.field_index("plan").unwrap();
    cells[i] = Cell::Empty;
    let (r, _) = check(&plan, l, &cells).unwrap();
    assert_eq!(l.flag_of(&r), Some("未制定整治提升方案"));
}

#[test]
fn a_project_stalls_after_the_plans_stage_days_unless_it_is_in_production() {
    let plan = plan();
    assert_eq!(plan.monitoring.stage_days, 90);
    let p = &PROJECTS;
    let at = |stage: &str, since: &str| {
        let mut cells = example(&plan, p);
        cells[4] = text(stage);
        cells[5] = text(since);
        check(&plan, p, &cells).unwrap().0
    };
    // 2026-06-30 to 2026-11-28 is 151 days.
    assert_eq!(
        stalled_days(p, &at("签约", "2026-06-30"), "2026-11-28", 90),
        Some(151)
    );
    assert_eq!(
        stalled_days(p, &at("签约", "2026-08-30"), "2026-11-28", 90),
        None,
        "90 days"
    );
    assert_eq!(
        stalled_days(p, &at("签约", "2026-08-29"), "2026-11-28", 90),
        Some(91)
    );
    assert_eq!(
        stalled_days(p, &at("投产", "2020-01-01"), "2026-11-28", 90),
        None
    );
    assert_eq!(
        stall_cutoff("2026-11-28", 90).as_deref(),
        Some("2026-08-29")
    );
    assert_eq!(
        stalled_days(&ENTERPRISES_REF, &example_record(&plan), "2026-11-28", 1),
        None
    );
    let bad = SEED.replacen("stage_days = 90", "stage_days = 0", 1);
    let errors = Plan::parse("bad.toml", &bad).unwrap_err().to_string();
    assert!(errors.contains("天数 0 无效"), "{errors}");
}

fn example_record(plan: &Plan) -> Record {
    check(plan, &ENTERPRISES_REF, &example(plan, &ENTERPRISES_REF))
        .unwrap()
        .0
}
