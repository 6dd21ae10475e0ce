//! Hand-computed cases for each kind of indicator, the status boundaries, the forecasts and the
//! workflow; property tests for direction-awareness and order-independence.

use super::workflow::{Context, Current, Outcome, Step, WorkflowError, apply};
use super::*;
use crate::auth::RoleKind;
use crate::auth::Who;
use crate::plan::Plan;
use crate::time::Timestamp;

const PLAN: &str = include_str!("../../../../plans/examples/monitoring.toml");

fn plan() -> Plan {
    match Plan::parse("monitoring.toml", PLAN) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn ym(y: i32, m: u32) -> YearMonth {
    YearMonth::new(y, m).unwrap_or(YearMonth { year: 0, month: 1 })
}

fn obs(value: f64) -> Observation {
    Observation {
        value,
        state: FigureState::Confirmed,
        revised: false,
        sample: false,
    }
}

fn eval(plan: &Plan, f: &Figures, indicator: &str, year: i32, at: YearMonth) -> Evaluation {
    let t = plan.target("zone", indicator, year);
    let Some(t) = t else {
        panic!("no target {indicator} {year}")
    };
    evaluate(plan, f, t, at)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn rate_from_cumulative_values() {
    let p = plan();
    let mut f = Figures::new();
    f.insert("zone", "revenue", ym(2024, 6), obs(50.0));
    for (this_year, rate, status) in [
        (56.0, 12.0, Status::Green),
        (55.0, 10.0, Status::Green),
        (54.75, 9.5, Status::Yellow),
        (54.5, 9.0, Status::Yellow),
        (54.4, 8.8, Status::Red),
    ] {
        f.insert("zone", "revenue", ym(2025, 6), obs(this_year));
        let e = eval(&p, &f, "revenue-growth", 2025, ym(2025, 7));
        assert!(close(e.actual, rate), "{this_year}: {:?}", e.actual);
        assert_eq!(e.status, status, "{this_year}");
        assert!(close(e.expected, 10.0));
        assert_eq!(e.expected_rule, Some(Expected::Target));
        assert_eq!(e.period, Some(ym(2025, 6)));
        assert!(e.stale, "July is due and not reported");
        assert_eq!(e.inputs.len(), 2);
        assert_eq!(
            e.forecast.map(|x| x.method),
            Some(ForecastMethod::HoldLatest)
        );
        assert!(close(e.forecast.map(|x| x.value), rate));
    }
    // No value a year before: no rate.
    let mut g = Figures::new();
    g.insert("zone", "revenue", ym(2025, 6), obs(56.0));
    assert_eq!(
        eval(&p, &g, "revenue-growth", 2025, ym(2025, 6)).status,
        Status::Gray
    );
}

#[test]
fn rate_entered_directly_and_quarterly() {
    let p = plan();
    let mut f = Figures::new();
    f.insert("zone", "fai-rate", ym(2025, 6), obs(7.5));
    let e = eval(&p, &f, "fai-growth", 2025, ym(2025, 8));
    assert!(close(e.actual, 7.5));
    assert!(close(e.gap, -0.5));
    assert_eq!(e.status, Status::Yellow);
    assert!(!e.stale, "the third quarter is not due before September");
    let e = eval(&p, &f, "fai-growth", 2025, ym(2025, 9));
    assert!(e.stale);
    assert_eq!(e.period, Some(ym(2025, 6)));
    f.insert("zone", "fai-rate", ym(2025, 9), obs(-2.0));
    let e = eval(&p, &f, "fai-growth", 2025, ym(2025, 9));
    assert!(close(e.actual, -2.0));
    assert_eq!(e.status, Status::Red);
}

#[test]
fn share_of_the_base_unit() {
    let p = plan();
    let mut f = Figures::new();
    f.insert("zone", "output", ym(2025, 3), obs(30.0));
    f.insert("city", "output", ym(2025, 3), obs(150.0));
    let e = eval(&p, &f, "output-share", 2025, ym(2025, 3));
    assert!(close(e.actual, 20.0));
    assert_eq!(e.status, Status::Green, "exactly on target is green");
    assert_eq!(e.inputs[1].unit, "city");
    f.insert("city", "output", ym(2025, 3), obs(160.0));
    let e = eval(&p, &f, "output-share", 2025, ym(2025, 3));
    assert!(close(e.actual, 18.75));
    assert_eq!(e.status, Status::Red);
    // Without the city's figure there is no share.
    let mut g = Figures::new();
    g.insert("zone", "output", ym(2025, 3), obs(30.0));
    assert_eq!(
        eval(&p, &g, "output-share", 2025, ym(2025, 3)).status,
        Status::Gray
    );
}

#[test]
fn stock_moves_linearly_from_last_years_close() {
    let p = plan();
    let mut f = Figures::new();
    f.insert("zone", "platforms-count", ym(2024, 12), obs(108.0));
    f.insert("zone", "platforms-count", ym(2025, 4), obs(112.0));
    let e = eval(&p, &f, "platforms", 2025, ym(2025, 4));
    // 108 + (120 − 108) × 4/12 = 112
    assert!(close(e.expected, 112.0));
    assert_eq!(e.status, Status::Green);
    assert!(close(e.tolerance, 5.6), "5% of 112");
    // 108 + (112 − 108) × 12/4 = 120
    assert!(close(e.forecast.map(|x| x.value), 120.0));
    assert_eq!(
        e.forecast.map(|x| x.method),
        Some(ForecastMethod::LinearFromClose)
    );
    for (v, s) in [
        (111.0, Status::Yellow),
        (106.4, Status::Yellow),
        (106.0, Status::Red),
    ] {
        f.insert("zone", "platforms-count", ym(2025, 4), obs(v));
        assert_eq!(
            eval(&p, &f, "platforms", 2025, ym(2025, 4)).status,
            s,
            "{v}"
        );
    }
    // Without last year's close the target itself is expected.
    let mut g = Figures::new();
    g.insert("zone", "platforms-count", ym(2025, 4), obs(112.0));
    let e = eval(&p, &g, "platforms", 2025, ym(2025, 4));
    assert_eq!(e.expected_rule, Some(Expected::TargetNoClose));
    assert!(close(e.expected, 120.0));
    assert_eq!(e.status, Status::Red);
    // The close is the last value of the year before, whichever month it is.
    let mut h = Figures::new();
    h.insert("zone", "platforms-count", ym(2025, 10), obs(119.0));
    h.insert("zone", "platforms-count", ym(2026, 6), obs(125.0));
    let e = eval(&p, &h, "platforms", 2026, ym(2026, 6));
    // 119 + (132 − 119) × 6/12 = 125.5
    assert!(close(e.expected, 125.5));
    assert_eq!(e.status, Status::Yellow);
}

#[test]
fn flow_is_prorated_and_forecast_by_last_years_pattern() {
    let p = plan();
    let mut f = Figures::new();
    f.insert("zone", "events", ym(2025, 3), obs(3.0));
    let e = eval(&p, &f, "events", 2025, ym(2025, 3));
    assert!(close(e.expected, 3.0), "12 × 3/12");
    assert_eq!(e.status, Status::Green);
    assert_eq!(e.expected_rule, Some(Expected::Prorated { months: 3 }));
    assert_eq!(e.forecast.map(|x| x.method), Some(ForecastMethod::Linear));
    assert!(close(e.forecast.map(|x| x.value), 12.0));
    f.insert("zone", "events", ym(2024, 3), obs(2.0));
    f.insert("zone", "events", ym(2024, 12), obs(10.0));
    let e = eval(&p, &f, "events", 2025, ym(2025, 3));
    assert_eq!(
        e.forecast.map(|x| x.method),
        Some(ForecastMethod::LastYearPattern)
    );
    assert!(close(e.forecast.map(|x| x.value), 15.0), "3 × 10/2");
    // The plan sets an absolute tolerance of 1 event.
    for (v, s) in [(2.0, Status::Yellow), (1.9, Status::Red)] {
        f.insert("zone", "events", ym(2025, 3), obs(v));
        assert_eq!(eval(&p, &f, "events", 2025, ym(2025, 3)).status, s, "{v}");
    }
}

#[test]
fn rank_smaller_is_better() {
    let p = plan();
    let mut f = Figures::new();
    let e = eval(&p, &f, "rank", 2025, ym(2025, 6));
    assert_eq!(e.status, Status::Gray, "not published before December");
    for (v, s) in [
        (18.0, Status::Green),
        (20.0, Status::Green),
        (21.0, Status::Yellow),
        (22.0, Status::Red),
    ] {
        f.insert("zone", "rank", ym(2025, 12), obs(v));
        let e = eval(&p, &f, "rank", 2025, ym(2026, 2));
        assert_eq!(e.status, s, "{v}");
        assert!(close(e.tolerance, 1.0), "5% of 20");
    }
}

#[test]
fn values_that_do_not_count_leave_the_light_gray() {
    let p = plan();
    let mut f = Figures::new();
    for state in [FigureState::Draft, FigureState::Returned] {
        f.insert(
            "zone",
            "events",
            ym(2025, 3),
            Observation { state, ..obs(3.0) },
        );
    }
    let e = eval(&p, &f, "events", 2025, ym(2025, 3));
    assert_eq!(e.status, Status::Gray);
    assert_eq!(e.period, None);
    f.insert(
        "zone",
        "events",
        ym(2025, 3),
        Observation {
            state: FigureState::Submitted,
            ..obs(3.0)
        },
    );
    let e = eval(&p, &f, "events", 2025, ym(2025, 3));
    assert_eq!(e.status, Status::Green);
    assert!(e.unconfirmed());
}

#[test]
fn swing_beyond_the_bound_needs_an_explanation() {
    assert!(close(
        swing(FigureKind::Cumulative, 130.0, Some(100.0)),
        30.0
    ));
    assert_eq!(swing(FigureKind::Rate, 130.0, Some(100.0)), None);
    assert_eq!(swing(FigureKind::Level, 130.0, None), None);
    assert_eq!(swing(FigureKind::Level, 130.0, Some(0.0)), None);
}

#[test]
fn trend_has_a_point_per_month() {
    let p = plan();
    let mut f = Figures::new();
    f.insert("zone", "events", ym(2025, 1), obs(1.0));
    f.insert("zone", "events", ym(2025, 3), obs(3.0));
    let Some(t) = p.target("zone", "events", 2025) else {
        return;
    };
    let points = trend(&p, &f, t, ym(2025, 4));
    assert_eq!(points.len(), 4);
    assert_eq!(points[1].actual, None);
    assert!(close(points[1].expected, 2.0));
    assert!(close(points[2].actual, 3.0));
    assert!(close(points[3].expected, 4.0));
}

// ───────────── properties ─────────────

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() % 1_000_000) as f64 / 1_000_000.0 * (hi - lo)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn status_is_direction_aware() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let (a1, a2) = (g.float(-50.0, 150.0), g.float(-50.0, 150.0));
        let (lo, hi) = if a1 <= a2 { (a1, a2) } else { (a2, a1) };
        let e = g.float(-50.0, 150.0);
        let t = g.float(0.0, 10.0);
        // More is never worse when more is better, and never better when less is better.
        assert!(judge(Comparator::AtLeast, hi, e, t) <= judge(Comparator::AtLeast, lo, e, t));
        assert!(judge(Comparator::AtMost, lo, e, t) <= judge(Comparator::AtMost, hi, e, t));
        // "At most e" is "at least −e" mirrored.
        assert_eq!(
            judge(Comparator::AtMost, a1, e, t),
            judge(Comparator::AtLeast, -a1, -e, t)
        );
        // A value at the expected one is always green.
        assert_eq!(judge(Comparator::AtLeast, e, e, t), Status::Green);
        assert_eq!(judge(Comparator::AtMost, e, e, t), Status::Green);
    }
}

#[test]
fn status_does_not_depend_on_entry_order() {
    let p = plan();
    let figs = [
        "revenue",
        "fai-rate",
        "output",
        "platforms-count",
        "events",
        "rank",
    ];
    let mut g = Gen(42);
    for round in 0..200 {
        let mut entries = Vec::new();
        for unit in ["zone", "city", "zone-b"] {
            for fig in figs {
                for year in [2024, 2025] {
                    for month in 1..=12 {
                        if g.below(3) == 0 {
                            let v = if fig == "rank" {
                                (1 + g.below(40)) as f64
                            } else {
                                g.float(0.0, 200.0)
                            };
                            entries.push((unit, fig, ym(year, month), obs(v)));
                        }
                    }
                }
            }
        }
        let mut shuffled = entries.clone();
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, g.below(i + 1));
        }
        let (mut a, mut b) = (Figures::new(), Figures::new());
        for (u, f, m, o) in &entries {
            a.insert(u, f, *m, *o);
        }
        for (u, f, m, o) in &shuffled {
            b.insert(u, f, *m, *o);
        }
        let at = ym(2025, 1 + (round % 12) as u32);
        assert_eq!(
            zone_status(&p, &a, "zone", at),
            zone_status(&p, &b, "zone", at),
            "round {round}"
        );
    }
}

// ───────────── workflow ─────────────

fn ctx<'a>(plan: &'a Plan, figure: &'a Figure, unit: &'a str, now: Timestamp) -> Context<'a> {
    let period = ym(2025, 6);
    Context {
        plan,
        figure,
        unit,
        period,
        now,
        deadline: period.default_deadline(plan.monitoring.deadline_day),
        last_year: Some(100.0),
    }
}

#[test]
fn workflow_runs_submit_review_confirm_with_returns() {
    let p = plan();
    let Some(fig) = p.figure("revenue") else {
        return;
    };
    let now = Timestamp::from_civil(2025, 7, 3, 36_000);
    let c = ctx(&p, fig, "zone", now);
    let reporter = Who {
        roles: &[RoleKind::Reporter],
        department: "zone-admin",
    };
    let other_zone = Who {
        roles: &[RoleKind::Reporter],
        department: "zone-b-admin",
    };
    let reviewer = Who {
        roles: &[RoleKind::Reviewer],
        department: "stats",
    };
    let wrong_reviewer = Who {
        roles: &[RoleKind::Reviewer],
        department: "sci-tech",
    };
    let dispatcher = Who {
        roles: &[RoleKind::Dispatcher],
        department: "dispatch",
    };
    let save = |v: f64, e: &str, r: &str| Step::Save {
        value: v,
        explanation: e.into(),
        reason: r.into(),
    };
    let cur = |o: Outcome| Current {
        value: o.value,
        state: o.state,
        revised: o.revised,
        explanation: o.explanation,
    };

    assert_eq!(
        apply(&c, other_zone, None, &save(110.0, "", "")),
        Err(WorkflowError::NotPermitted)
    );
    assert!(matches!(
        apply(&c, reporter, None, &save(140.0, "", "")),
        Err(WorkflowError::ExplanationRequired { .. })
    ));
    assert!(matches!(
        apply(&c, reporter, None, &save(-1.0, "", "")),
        Err(WorkflowError::BadValue { .. })
    ));
    let Ok(o) = apply(&c, reporter, None, &save(110.0, "", "")) else {
        panic!("save")
    };
    assert_eq!(o.state, FigureState::Draft);
    let draft = cur(o);
    assert!(matches!(
        apply(&c, reviewer, Some(&draft), &Step::Approve),
        Err(WorkflowError::WrongState { .. })
    ));
    let Ok(o) = apply(&c, reporter, Some(&draft), &Step::Submit) else {
        panic!("submit")
    };
    let submitted = cur(o);
    assert_eq!(submitted.state, FigureState::Submitted);
    assert!(matches!(
        apply(&c, reporter, Some(&submitted), &save(111.0, "", "")),
        Err(WorkflowError::WrongState { .. })
    ));
    assert_eq!(
        apply(&c, wrong_reviewer, Some(&submitted), &Step::Approve),
        Err(WorkflowError::NotPermitted)
    );
    assert_eq!(
        apply(&c, dispatcher, Some(&submitted), &Step::Confirm).map(|o| o.state),
        Err(WorkflowError::WrongState {
            state: Some(FigureState::Submitted),
            step: "确认",
            step_code: "confirm"
        })
    );
    assert_eq!(
        apply(
            &c,
            reviewer,
            Some(&submitted),
            &Step::Return { reason: " ".into() }
        ),
        Err(WorkflowError::ReasonRequired)
    );
    let Ok(o) = apply(
        &c,
        reviewer,
        Some(&submitted),
        &Step::Return {
            reason: "口径有误".into(),
        },
    ) else {
        panic!("return")
    };
    assert_eq!(
        (o.state, o.reason.as_str()),
        (FigureState::Returned, "口径有误")
    );
    let returned = cur(o);
    let Ok(o) = apply(&c, reporter, Some(&returned), &save(112.0, "", "")) else {
        panic!("fix")
    };
    let Ok(o) = apply(&c, reporter, Some(&cur(o)), &Step::Submit) else {
        panic!("resubmit")
    };
    let Ok(o) = apply(&c, reviewer, Some(&cur(o)), &Step::Approve) else {
        panic!("approve")
    };
    assert_eq!(o.state, FigureState::Reviewed);
    assert_eq!(
        apply(&c, reviewer, Some(&cur(o.clone())), &Step::Confirm),
        Err(WorkflowError::NotPermitted)
    );
    let Ok(o) = apply(&c, dispatcher, Some(&cur(o)), &Step::Confirm) else {
        panic!("confirm")
    };
    let confirmed = cur(o);
    assert_eq!(confirmed.state, FigureState::Confirmed);
    assert!(!confirmed.revised);

    // A change after confirmation needs a reason, goes back to review and is flagged.
    assert_eq!(
        apply(&c, reporter, Some(&confirmed), &save(113.0, "", "")),
        Err(WorkflowError::ReasonRequired)
    );
    let Ok(o) = apply(
        &c,
        reporter,
        Some(&confirmed),
        &save(113.0, "", "统计局修订"),
    ) else {
        panic!("change")
    };
    assert_eq!((o.state, o.revised), (FigureState::Submitted, true));

    // Importing over a confirmed value: the same value leaves it confirmed; another value is
    // refused to a reporter (a change needs a reason, given on the entry page) and flagged when
    // the dispatcher imports it.
    let import = |v: f64| Step::Import {
        value: v,
        explanation: String::new(),
    };
    assert_eq!(
        apply(&c, reporter, Some(&confirmed), &import(112.0)).map(|o| o.state),
        Ok(FigureState::Confirmed)
    );
    assert!(matches!(
        apply(&c, reporter, Some(&confirmed), &import(120.0)),
        Err(WorkflowError::WrongState { .. })
    ));
    assert_eq!(
        apply(&c, dispatcher, Some(&confirmed), &import(120.0)).map(|o| (o.state, o.revised)),
        Ok((FigureState::Confirmed, true))
    );

    // After the deadline only the dispatcher enters.
    let late = ctx(&p, fig, "zone", Timestamp::from_civil(2025, 7, 16, 0));
    assert!(matches!(
        apply(&late, reporter, Some(&draft), &Step::Submit),
        Err(WorkflowError::Closed { .. })
    ));
    assert!(apply(&late, dispatcher, Some(&draft), &Step::Submit).is_ok());
    // Review goes on after the deadline.
    assert!(apply(&late, reviewer, Some(&submitted), &Step::Approve).is_ok());
    // Nothing is entered for a month that has not come.
    let early = ctx(&p, fig, "zone", Timestamp::from_civil(2025, 5, 20, 0));
    assert!(matches!(
        apply(&early, dispatcher, None, &save(1.0, "", "")),
        Err(WorkflowError::Future { .. })
    ));
}

#[test]
fn entry_rights_follow_unit_and_source() {
    let p = plan();
    let (Some(revenue), Some(rank)) = (p.figure("revenue"), p.figure("rank")) else {
        return;
    };
    let stats_reporter = Who {
        roles: &[RoleKind::Reporter],
        department: "stats",
    };
    let zone_reporter = Who {
        roles: &[RoleKind::Reporter],
        department: "zone-admin",
    };
    let leader = Who {
        roles: &[RoleKind::Leader],
        department: "dispatch",
    };
    assert!(workflow::may_enter(&p, stats_reporter, "city", revenue));
    assert!(!workflow::may_enter(&p, zone_reporter, "city", revenue));
    assert!(workflow::may_enter(&p, zone_reporter, "zone", revenue));
    assert!(!workflow::may_enter(&p, zone_reporter, "zone-b", revenue));
    assert!(!workflow::may_enter(&p, stats_reporter, "zone", rank));
    assert!(!workflow::may_enter(&p, leader, "zone", revenue));
    assert!(workflow::may_see(&p, leader, "zone", revenue));
    // A quarterly figure is not due in May.
    let now = Timestamp::from_civil(2025, 7, 3, 0);
    let Some(fai) = p.figure("fai-rate") else {
        return;
    };
    let c = Context {
        period: ym(2025, 5),
        ..ctx(&p, fai, "zone", now)
    };
    assert!(matches!(
        apply(
            &c,
            zone_reporter,
            None,
            &Step::Save {
                value: 1.0,
                explanation: String::new(),
                reason: String::new()
            }
        ),
        Err(WorkflowError::NotDue { .. })
    ));
}

#[test]
fn each_unit_owes_the_figures_of_its_targets() {
    let p = plan();
    let due = owed(&p, ym(2025, 6));
    let has = |u: &str, f: &str| due.iter().any(|(a, b)| a == u && b == f);
    assert!(has("zone", "revenue"));
    assert!(has("zone", "fai-rate"), "quarterly, due in June");
    assert!(has("city", "output"), "the share's base");
    assert!(!has("city", "revenue"));
    assert!(!has("zone", "rank"), "yearly, due in December");
    assert!(has("zone-b", "revenue"));
    assert!(!has("zone-b", "events"));
    assert!(!owed(&p, ym(2025, 5)).iter().any(|(_, f)| f == "fai-rate"));
}

#[test]
fn the_summary_counts_lights_and_the_lagging_list_puts_the_furthest_behind_first() {
    let p = plan();
    let mut f = Figures::new();
    f.insert("zone", "revenue", ym(2024, 6), obs(50.0));
    f.insert("zone", "revenue", ym(2025, 6), obs(54.75)); // 9.5 %: half a tolerance behind
    f.insert("zone", "fai-rate", ym(2025, 6), obs(2.0)); // 6 points behind
    f.insert("zone", "events", ym(2025, 6), obs(6.0)); // on track
    let evals = zone_status(&p, &f, "zone", ym(2025, 6));
    let s = Summary::of(&evals);
    assert_eq!((s.green, s.yellow, s.red, s.gray), (1, 1, 1, 3));
    assert_eq!(s.count(Status::Gray), 3);
    let order: Vec<&str> = lagging(&evals)
        .iter()
        .map(|e| e.indicator.as_str())
        .collect();
    assert_eq!(order, ["fai-growth", "revenue-growth"]);
}
