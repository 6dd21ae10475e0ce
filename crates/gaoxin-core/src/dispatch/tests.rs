use super::*;
use crate::plan::Plan;

fn plan() -> Plan {
    match Plan::parse(
        "seed.toml",
        include_str!("../../../../plans/shijiazhuang-2025-2027.toml"),
    ) {
        Ok(p) => p,
        Err(e) => panic!("seed plan: {e:?}"),
    }
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn ms(items: &[(&str, &str)]) -> Vec<Milestone> {
    items
        .iter()
        .map(|(t, d)| Milestone {
            title: (*t).into(),
            due: (*d).into(),
        })
        .collect()
}

fn item() -> ItemDraft {
    ItemDraft {
        task: "t6".into(),
        title: "组织对接活动".into(),
        lead: "sci-tech".into(),
        partners: vec!["sjz-hz-admin".into(), "zd-hz-admin".into()],
        subtarget: Some("t6-matchmaking-events".into()),
        milestones: ms(&[("制定计划", "2026-03-31"), ("完成全年活动", "2026-12-20")]),
    }
}

const DISPATCHER: &[RoleKind] = &[RoleKind::Dispatcher];
const REPORTER: &[RoleKind] = &[RoleKind::Reporter];
const LEADER: &[RoleKind] = &[RoleKind::Leader];

#[test]
fn who_plans_reports_and_sees() {
    let plan = plan();
    let w = |roles, department| Who { roles, department };
    assert!(may_plan(&plan, w(DISPATCHER, "dispatch"), "t6"));
    // 市科技局 leads task 6; 市投促局 does not.
    assert!(may_plan(&plan, w(REPORTER, "sci-tech"), "t6"));
    assert!(!may_plan(&plan, w(REPORTER, "investment"), "t6"));
    assert!(!may_plan(&plan, w(LEADER, "sci-tech"), "t6"));
    let d = item();
    let units = responsible(&d.lead, &d.partners);
    assert_eq!(units, ["sci-tech", "sjz-hz-admin", "zd-hz-admin"]);
    assert!(may_report(
        w(REPORTER, "sjz-hz-admin"),
        &units,
        "sjz-hz-admin"
    ));
    assert!(
        !may_report(w(REPORTER, "sjz-hz-admin"), &units, "sci-tech"),
        "only for itself"
    );
    assert!(!may_report(w(REPORTER, "zd-gov"), &units, "zd-gov"));
    assert!(!may_report(w(DISPATCHER, "dispatch"), &units, "dispatch"));
    assert!(may_see(&plan, w(LEADER, "dispatch"), "t6", &units));
    assert!(may_see(&plan, w(REPORTER, "zd-hz-admin"), "t6", &units));
    assert!(!may_see(&plan, w(REPORTER, "zd-gov"), "t6", &units));
    assert!(!may_see(&plan, w(REPORTER, "investment"), "t6", &units));
}

#[test]
fn an_item_is_checked_field_by_field() {
    let plan = plan();
    assert_eq!(check_item(&plan, &item()), []);
    let mut bad = item();
    bad.task = "t99".into();
    bad.title = " ".into();
    bad.lead = "dispatch".into();
    bad.partners = vec!["nobody".into()];
    bad.subtarget = Some("t2-talent-enclaves".into());
    bad.milestones = ms(&[("", "2026-02-30"), ("x", "2031-01-01")]);
    let fields: Vec<String> = check_item(&plan, &bad)
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "task",
            "title",
            "lead",
            "partners",
            "subtarget",
            "milestone_1",
            "milestone_1",
            "milestone_2"
        ]
    );
    let mut none = item();
    none.milestones.clear();
    none.partners = vec!["sci-tech".into()];
    let e = check_item(&plan, &none);
    assert!(
        e.iter()
            .any(|e| e.field == "milestones" && e.zh.contains("至少"))
    );
    assert!(
        e.iter()
            .any(|e| e.field == "partners" && e.en.contains("not also"))
    );
}

#[test]
fn an_item_behind_needs_a_reason_and_next_steps() {
    let m = ms(&[("制定计划", "2026-03-31"), ("完成全年活动", "2026-12-20")]);
    // On the due day a milestone is not late yet; the day after it is.
    assert_eq!(behind(&m, 0, day("2026-03-31")), None);
    let b = behind(&m, 0, day("2026-04-01")).unwrap();
    assert_eq!((b.milestone, b.due.as_str()), (1, "2026-03-31"));
    assert_eq!(behind(&m, 1, day("2026-04-01")), None);
    assert_eq!(behind(&m, 1, day("2026-12-21")).unwrap().milestone, 2);
    let mut r = ReportDraft {
        done: "组织 2 场".into(),
        percent: Some(20),
        ..ReportDraft::default()
    };
    let e = check_report(&m, &r, day("2026-04-10"));
    let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["behind_reason", "next_steps"]);
    assert!(
        e[0].zh.contains("制定计划") && e[0].zh.contains("2026年3月31日"),
        "{}",
        e[0].zh
    );
    r.behind_reason = "计划审批延后".into();
    r.next_steps = "4 月底前印发".into();
    assert_eq!(check_report(&m, &r, day("2026-04-10")), []);
    // Not behind: no reason needed; but what was done always is.
    let ok = ReportDraft {
        done: " ".into(),
        reached: 1,
        percent: Some(101),
        ..ReportDraft::default()
    };
    let fields: Vec<String> = check_report(&m, &ok, day("2026-04-10"))
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["done", "percent"]);
    let too_many = ReportDraft {
        done: "x".into(),
        reached: 3,
        ..ReportDraft::default()
    };
    assert_eq!(
        check_report(&m, &too_many, day("2026-01-10"))[0].field,
        "reached"
    );
}

#[test]
fn cycles_and_due_dates() {
    let p = |y, m| YearMonth::new(y, m).unwrap();
    assert!(is_report_period(ReportCycle::Monthly, p(2026, 5)));
    assert!(!is_report_period(ReportCycle::Quarterly, p(2026, 5)));
    assert!(is_report_period(ReportCycle::Quarterly, p(2026, 6)));
    assert_eq!(period_of(ReportCycle::Quarterly, p(2026, 4)), p(2026, 6));
    assert_eq!(period_of(ReportCycle::Quarterly, p(2026, 12)), p(2026, 12));
    assert_eq!(period_of(ReportCycle::Monthly, p(2026, 4)), p(2026, 4));
    assert_eq!(due_date(p(2026, 11), 25).to_string(), "2026-11-25");
    assert!(!is_late(p(2026, 11), 25, day("2026-11-25")));
    assert!(is_late(p(2026, 11), 25, day("2026-11-26")));
}

#[test]
fn sample_items_are_valid_and_their_reports_too() {
    let plan = plan();
    let today = day("2026-11-28");
    let items = sample::generate(&plan, today, 25);
    assert_eq!(items.len(), 4);
    for s in &items {
        assert_eq!(check_item(&plan, &s.draft), [], "{}", s.draft.title);
        assert!(s.draft.title.contains("示例"));
        for r in &s.reports {
            let filed = due_date(r.period, 25).add_days(r.days_after_due);
            assert_eq!(
                check_report(&s.draft.milestones, &r.draft, filed),
                [],
                "{}",
                s.draft.title
            );
        }
    }
    assert!(
        items
            .iter()
            .any(|s| s.draft.subtarget.as_deref() == Some("t6-matchmaking-events"))
    );
    assert!(
        items
            .iter()
            .any(|s| s.reports.iter().any(|r| r.days_after_due > 0)),
        "a late one"
    );
}

#[test]
fn tasks_are_named_as_the_plan_numbers_them() {
    let plan = plan();
    assert_eq!(plan.task_heading("t6"), "6. 加速科技成果转移转化");
    // A safeguard measure is （一）, not "1.", which would read as key task 1.
    assert_eq!(plan.task_heading("s1"), "（一）加强组织领导");
    assert_eq!(plan.task_heading("t99"), "t99");
}

#[test]
fn the_first_report_decides_lateness_and_the_latest_the_state() {
    // (filing order, late, behind), in any order the caller holds them.
    let reports = [(3, false, false), (1, true, true), (2, false, true)];
    let (first, behind) = standing(reports.iter(), |r| r.0, |r| r.2).unwrap();
    assert_eq!(first.0, 1);
    assert!(first.1, "late by the first report");
    assert!(!behind, "not behind by the latest");
    assert!(standing([].iter(), |r: &(i64, bool, bool)| r.0, |r| r.2).is_none());
}

#[test]
fn a_units_report_state_for_a_period() {
    let due = day("2026-11-05");
    let (before, after) = (day("2026-11-04"), day("2026-11-06"));
    assert_eq!(
        report_state(Some((100, true)), true, due, after),
        ReportState::Late { at: 100 }
    );
    assert_eq!(
        report_state(Some((100, false)), true, due, after),
        ReportState::OnTime { at: 100 }
    );
    assert_eq!(report_state(None, false, due, after), ReportState::NotOwed);
    assert_eq!(report_state(None, true, due, after), ReportState::Missing);
    assert_eq!(report_state(None, true, due, due), ReportState::Due);
    assert_eq!(report_state(None, true, due, before).code(), "due");
}

#[test]
fn an_item_is_reported_for_this_period_and_a_few_before_never_before_its_own() {
    let ym = |y, m| YearMonth::new(y, m).unwrap();
    let monthly = reportable_periods(ReportCycle::Monthly, ym(2026, 3), ym(2026, 11), 3);
    assert_eq!(monthly, [ym(2026, 11), ym(2026, 10), ym(2026, 9)]);
    let new = reportable_periods(ReportCycle::Monthly, ym(2026, 11), ym(2026, 11), 3);
    assert_eq!(new, [ym(2026, 11)]);
    let quarterly = reportable_periods(ReportCycle::Quarterly, ym(2026, 5), ym(2026, 11), 3);
    assert_eq!(quarterly, [ym(2026, 12), ym(2026, 9), ym(2026, 6)]);
}

#[test]
fn the_period_before_a_quarter_is_the_quarter_before() {
    let ym = |y, m| YearMonth::new(y, m).unwrap();
    assert_eq!(
        previous_period(ReportCycle::Quarterly, ym(2026, 12)),
        ym(2026, 9)
    );
    assert_eq!(
        previous_period(ReportCycle::Quarterly, ym(2026, 11)),
        ym(2026, 9)
    );
    assert_eq!(
        previous_period(ReportCycle::Quarterly, ym(2026, 3)),
        ym(2025, 12)
    );
    assert_eq!(
        previous_period(ReportCycle::Monthly, ym(2026, 1)),
        ym(2025, 12)
    );
}
