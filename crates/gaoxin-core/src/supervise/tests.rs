use super::*;
use crate::plan::Plan;

fn plan() -> Plan {
    let src = include_str!("../../../../plans/shijiazhuang-2025-2027.toml");
    match Plan::parse("seed.toml", src) {
        Ok(p) => p,
        Err(e) => panic!("seed plan: {e:?}"),
    }
}

const DISPATCHER: &[RoleKind] = &[RoleKind::Dispatcher];
const REPORTER: &[RoleKind] = &[RoleKind::Reporter];
const REVIEWER: &[RoleKind] = &[RoleKind::Reviewer];
const LEADER: &[RoleKind] = &[RoleKind::Leader];

fn who<'a>(roles: &'a [RoleKind], department: &'a str) -> Who<'a> {
    Who { roles, department }
}

fn day(s: &str) -> Date {
    match Date::parse(s) {
        Some(d) => d,
        None => panic!("bad date {s}"),
    }
}

fn at(state: OrderState) -> Current {
    Current {
        state,
        assignee: (state != OrderState::Opened).then(|| "sci-tech".to_string()),
        deadline: (state != OrderState::Opened).then(|| day("2026-12-10")),
        extension: None,
        co_units: Vec::new(),
    }
}

fn note(text: &str) -> Request {
    Request {
        note: text.to_string(),
        ..Request::default()
    }
}

const TODAY: &str = "2026-12-01";

#[test]
fn the_whole_path_from_opening_to_closing() {
    let plan = plan();
    let today = day(TODAY);
    let d = who(DISPATCHER, "dispatch");
    let unit = who(REPORTER, "sci-tech");
    let mut current = at(OrderState::Opened);
    let steps: [(Who<'_>, Action, Request, OrderState); 5] = [
        (
            d,
            Action::Assign,
            Request {
                assignee: Some("sci-tech".into()),
                deadline: Some(day("2026-12-10")),
                note: "12月10日前报送对接活动计划".into(),
                co_units: Vec::new(),
            },
            OrderState::Assigned,
        ),
        (unit, Action::Sign, note(""), OrderState::Signed),
        (
            unit,
            Action::Answer,
            note("已组织3场"),
            OrderState::Answered,
        ),
        (d, Action::Review, note(""), OrderState::Reviewed),
        (d, Action::Close, note("同意销号"), OrderState::Closed),
    ];
    for (w, action, request, expect) in steps {
        assert!(offered(w, &current).contains(&action), "{action:?} offered");
        let out = apply(&plan, w, &current, action, &request, today).unwrap();
        assert_eq!(out.state, expect);
        current = Current {
            state: out.state,
            assignee: out.assignee,
            deadline: out.deadline,
            extension: out.extension,
            co_units: out.co_units,
        };
    }
    assert_eq!(current.assignee.as_deref(), Some("sci-tech"));
    assert_eq!(current.deadline, Some(day("2026-12-10")));
    assert!(offered(d, &current).is_empty());
    assert_eq!(
        apply(&plan, d, &current, Action::Return, &note("x"), today),
        Err(OrderError::Closed)
    );
}

#[test]
fn no_step_can_be_skipped() {
    let plan = plan();
    let today = day(TODAY);
    let d = who(DISPATCHER, "dispatch");
    let unit = who(REPORTER, "sci-tech");
    // Every (state, step) pair that is not on the path is refused with the state it needs.
    for state in OrderState::ALL {
        for (w, action) in [
            (d, Action::Assign),
            (unit, Action::Sign),
            (unit, Action::Answer),
            (d, Action::Review),
            (d, Action::Close),
        ] {
            let (from, _) = action.path().unwrap();
            let result = apply(
                &plan,
                w,
                &at(state),
                action,
                &Request {
                    assignee: Some("sci-tech".into()),
                    deadline: Some(day("2026-12-10")),
                    note: "x".into(),
                    co_units: Vec::new(),
                },
                today,
            );
            if state == OrderState::Closed {
                assert_eq!(result, Err(OrderError::Closed));
            } else if state == OrderState::Opened && matches!(action, Action::Sign | Action::Answer)
            {
                // Not handed to anyone yet: no unit may act on it.
                assert_eq!(result, Err(OrderError::AssigneeOnly(action)));
            } else if state == from {
                assert!(result.is_ok(), "{state:?} {action:?}: {result:?}");
            } else {
                assert_eq!(
                    result,
                    Err(OrderError::WrongState {
                        action,
                        state,
                        needs: from
                    }),
                    "{state:?} {action:?}"
                );
            }
        }
    }
    let e = apply(
        &plan,
        d,
        &at(OrderState::Assigned),
        Action::Close,
        &note(""),
        today,
    )
    .unwrap_err();
    assert!(e.zh().contains("不能跳过"), "{}", e.zh());
    assert!(e.en().contains("skipped"), "{}", e.en());
    for a in [Action::Open, Action::Escalate] {
        assert_eq!(
            apply(&plan, d, &at(OrderState::Signed), a, &note(""), today),
            Err(OrderError::NotAStep(a))
        );
    }
}

#[test]
fn who_takes_which_step() {
    let plan = plan();
    let today = day(TODAY);
    let full = Request {
        assignee: Some("sci-tech".into()),
        deadline: Some(day("2026-12-10")),
        note: "x".into(),
        co_units: Vec::new(),
    };
    let other_unit = who(REPORTER, "investment");
    let leader = who(LEADER, "dispatch");
    let unit_reviewer = who(REVIEWER, "sci-tech");
    // Only the dispatcher assigns.
    for w in [other_unit, leader, unit_reviewer] {
        assert_eq!(
            apply(
                &plan,
                w,
                &at(OrderState::Opened),
                Action::Assign,
                &full,
                today
            ),
            Err(OrderError::DispatcherOnly(Action::Assign))
        );
    }
    // Only the assigned unit signs and answers; its reviewers may too.
    for (state, action) in [
        (OrderState::Assigned, Action::Sign),
        (OrderState::Signed, Action::Answer),
    ] {
        assert_eq!(
            apply(&plan, other_unit, &at(state), action, &full, today),
            Err(OrderError::AssigneeOnly(action))
        );
        assert_eq!(
            apply(
                &plan,
                who(DISPATCHER, "dispatch"),
                &at(state),
                action,
                &full,
                today
            ),
            Err(OrderError::AssigneeOnly(action))
        );
        assert!(apply(&plan, unit_reviewer, &at(state), action, &full, today).is_ok());
    }
    // A unit cannot review, close or send back its own answered order.
    for (state, action) in [
        (OrderState::Answered, Action::Review),
        (OrderState::Reviewed, Action::Close),
        (OrderState::Answered, Action::Return),
    ] {
        let e = apply(&plan, unit_reviewer, &at(state), action, &full, today).unwrap_err();
        assert_eq!(e, OrderError::OwnOrder(action));
        assert!(e.is_forbidden());
        assert!(e.zh().contains("承办单位不能"), "{}", e.zh());
        assert_eq!(
            apply(&plan, other_unit, &at(state), action, &full, today),
            Err(OrderError::DispatcherOnly(action))
        );
    }
    // A dispatcher who is also a reporter of the assigned unit still cannot close its order.
    let both = [RoleKind::Dispatcher, RoleKind::Reporter];
    assert_eq!(
        apply(
            &plan,
            who(&both, "sci-tech"),
            &at(OrderState::Reviewed),
            Action::Close,
            &full,
            today
        ),
        Err(OrderError::OwnOrder(Action::Close))
    );
    // Seeing: dispatcher, leaders and the assigned unit.
    assert!(may_see(who(DISPATCHER, "dispatch"), Some("sci-tech"), &[]));
    assert!(may_see(leader, Some("sci-tech"), &[]));
    assert!(may_see(unit_reviewer, Some("sci-tech"), &[]));
    assert!(!may_see(other_unit, Some("sci-tech"), &[]));
    assert!(!may_see(who(REPORTER, "sci-tech"), None, &[]));
    assert!(may_open(who(DISPATCHER, "dispatch")));
    assert!(!may_open(leader) && !may_open(unit_reviewer));
}

#[test]
fn sending_back_goes_one_step_and_needs_a_reason() {
    let plan = plan();
    let today = day(TODAY);
    let d = who(DISPATCHER, "dispatch");
    let unit = who(REPORTER, "sci-tech");
    // The unit hands back an order that is not its own: back to 立项, unassigned.
    let out = apply(
        &plan,
        unit,
        &at(OrderState::Assigned),
        Action::Return,
        &note("非本单位职责"),
        today,
    )
    .unwrap();
    assert_eq!(out.state, OrderState::Opened);
    assert_eq!(out.assignee, None);
    // The dispatcher sends back an answer, optionally with a new deadline.
    let out = apply(
        &plan,
        d,
        &at(OrderState::Answered),
        Action::Return,
        &Request {
            deadline: Some(day("2026-12-20")),
            note: "请补充活动清单".into(),
            ..Request::default()
        },
        today,
    )
    .unwrap();
    assert_eq!(out.state, OrderState::Signed);
    assert_eq!(out.assignee.as_deref(), Some("sci-tech"));
    assert_eq!(out.deadline, Some(day("2026-12-20")));
    let out = apply(
        &plan,
        d,
        &at(OrderState::Reviewed),
        Action::Return,
        &note("复核有误"),
        today,
    )
    .unwrap();
    assert_eq!(out.state, OrderState::Answered);
    // No reason, no return; nor from 立项, 签收 or 办结.
    assert_eq!(
        apply(
            &plan,
            d,
            &at(OrderState::Answered),
            Action::Return,
            &note("  "),
            today
        ),
        Err(OrderError::NoteRequired(Action::Return))
    );
    for state in [OrderState::Opened, OrderState::Signed] {
        assert_eq!(
            apply(&plan, d, &at(state), Action::Return, &note("x"), today),
            Err(OrderError::CannotReturn(state))
        );
    }
    assert_eq!(returns_to(OrderState::Closed), None);
}

#[test]
fn what_each_step_needs() {
    let plan = plan();
    let today = day(TODAY);
    let d = who(DISPATCHER, "dispatch");
    let opened = at(OrderState::Opened);
    let base = Request {
        assignee: Some("sci-tech".into()),
        deadline: Some(day("2026-12-10")),
        note: "要求".into(),
        co_units: Vec::new(),
    };
    let with = |f: &dyn Fn(&mut Request)| {
        let mut r = base.clone();
        f(&mut r);
        apply(&plan, d, &opened, Action::Assign, &r, today)
    };
    assert_eq!(with(&|r| r.assignee = None), Err(OrderError::NoAssignee));
    assert_eq!(
        with(&|r| r.assignee = Some("nobody".into())),
        Err(OrderError::UnknownDepartment("nobody".into()))
    );
    assert_eq!(
        with(&|r| r.assignee = Some("dispatch".into())),
        Err(OrderError::NotAUnit("调度办".into()))
    );
    assert_eq!(with(&|r| r.deadline = None), Err(OrderError::NoDeadline));
    assert_eq!(
        with(&|r| r.deadline = Some(day("2026-11-30"))),
        Err(OrderError::DeadlinePassed(day("2026-11-30")))
    );
    // Today itself is a valid deadline.
    assert!(with(&|r| r.deadline = Some(today)).is_ok());
    assert_eq!(
        with(&|r| r.note = " ".into()),
        Err(OrderError::NoteRequired(Action::Assign))
    );
    let long = "字".repeat(NOTE_MAX_CHARS + 1);
    assert_eq!(
        with(&|r| r.note = long.clone()),
        Err(OrderError::NoteTooLong(NOTE_MAX_CHARS + 1))
    );
    // An answer needs what was done.
    assert_eq!(
        apply(
            &plan,
            who(REPORTER, "sci-tech"),
            &at(OrderState::Signed),
            Action::Answer,
            &note(""),
            today
        ),
        Err(OrderError::NoteRequired(Action::Answer))
    );
    // New orders: a title, and subjects that exist in the plan.
    assert_eq!(
        check_new(&plan, " ", &Subject::Matter),
        Err(OrderError::TitleRequired)
    );
    assert!(check_new(&plan, "对接活动不足", &Subject::Task { task: "t6".into() }).is_ok());
    assert_eq!(
        check_new(&plan, "x", &Subject::Task { task: "t99".into() }),
        Err(OrderError::UnknownTask("t99".into()))
    );
    assert!(
        check_new(
            &plan,
            "x",
            &Subject::Indicator {
                zone: "sjz-hz".into(),
                indicator: plan.indicators[0].id.clone()
            }
        )
        .is_ok()
    );
    assert!(matches!(
        check_new(
            &plan,
            "x",
            &Subject::Indicator {
                zone: "nowhere".into(),
                indicator: plan.indicators[0].id.clone()
            }
        ),
        Err(OrderError::UnknownIndicator(_))
    ));
    // Every error has both languages.
    for e in [
        OrderError::Stale,
        OrderError::TitleTooLong(300),
        OrderError::CannotReturn(OrderState::Signed),
    ] {
        assert!(!e.zh().is_empty() && !e.en().is_empty() && !e.code().is_empty());
    }
}

#[test]
fn lights_follow_the_clock() {
    let deadline = Some(day("2026-12-10"));
    let light_on = |state, today: &str| light(state, deadline, None, day(today), 3);
    for state in [OrderState::Assigned, OrderState::Signed] {
        assert_eq!(light_on(state, "2026-12-06"), Light::Green);
        assert_eq!(light_on(state, "2026-12-07"), Light::Yellow);
        assert_eq!(light_on(state, "2026-12-10"), Light::Yellow);
        assert_eq!(light_on(state, "2026-12-11"), Light::Red);
    }
    // The warning window is the plan's.
    assert_eq!(
        light(OrderState::Signed, deadline, None, day("2026-12-03"), 7),
        Light::Yellow
    );
    // Answered: by whether the answer came in time, however late the review is.
    let answered = |on: &str| {
        light(
            OrderState::Answered,
            deadline,
            Some(day(on)),
            day("2027-01-31"),
            3,
        )
    };
    assert_eq!(answered("2026-12-10"), Light::Green);
    assert_eq!(answered("2026-12-11"), Light::Red);
    assert_eq!(light_on(OrderState::Opened, "2027-01-01"), Light::None);
    assert_eq!(
        light(OrderState::Opened, None, None, day(TODAY), 3),
        Light::None
    );
    assert_eq!(light_on(OrderState::Closed, "2027-01-01"), Light::Done);
    // The periodic check: remind when yellow, escalate when red, only while the unit owes.
    assert_eq!(
        due_notice(OrderState::Signed, Light::Yellow),
        Some(Notice::DueSoon)
    );
    assert_eq!(
        due_notice(OrderState::Assigned, Light::Red),
        Some(Notice::Overdue)
    );
    assert_eq!(due_notice(OrderState::Answered, Light::Red), None);
    assert_eq!(due_notice(OrderState::Signed, Light::Green), None);
    let a = Notice::Overdue.audience();
    assert!(a.unit && a.unit_leadership && a.dispatchers);
    assert!(!Notice::DueSoon.audience().dispatchers);
}

#[test]
fn codes_round_trip() {
    for s in OrderState::ALL {
        assert_eq!(OrderState::parse(s.code()), Some(s));
    }
    for a in Action::ALL {
        assert_eq!(Action::parse(a.code()), Some(a));
    }
    for l in Light::ALL {
        assert_eq!(Light::parse(l.code()), Some(l));
    }
}

fn after(out: Outcome) -> Current {
    Current {
        state: out.state,
        assignee: out.assignee,
        deadline: out.deadline,
        extension: out.extension,
        co_units: out.co_units,
    }
}

fn dated(text: &str, d: &str) -> Request {
    Request {
        note: text.to_string(),
        deadline: Some(day(d)),
        ..Request::default()
    }
}

#[test]
fn a_unit_asks_for_more_time_and_the_dispatcher_grants_or_refuses() {
    let plan = plan();
    let today = day(TODAY);
    let d = who(DISPATCHER, "dispatch");
    let unit = who(REPORTER, "sci-tech");
    let other = who(REPORTER, "finance");
    let signed = at(OrderState::Signed);
    // Only the assigned unit asks; only while it owes its answer; with a reason and a later day.
    assert!(offered(unit, &signed).contains(&Action::RequestExtension));
    assert!(!offered(d, &signed).contains(&Action::RequestExtension));
    assert!(
        !offered(d, &signed).contains(&Action::GrantExtension),
        "nothing to decide yet"
    );
    let ask = Action::RequestExtension;
    assert_eq!(
        apply(&plan, d, &signed, ask, &dated("x", "2026-12-20"), today),
        Err(OrderError::AssigneeOnly(ask))
    );
    assert!(matches!(
        apply(&plan, other, &signed, ask, &dated("x", "2026-12-20"), today),
        Err(OrderError::AssigneeOnly(_))
    ));
    assert_eq!(
        apply(&plan, unit, &signed, ask, &dated("", "2026-12-20"), today),
        Err(OrderError::NoteRequired(ask))
    );
    assert_eq!(
        apply(&plan, unit, &signed, ask, &note("需要协调"), today),
        Err(OrderError::NoDeadline)
    );
    assert_eq!(
        apply(
            &plan,
            unit,
            &signed,
            ask,
            &dated("需要协调", "2026-12-10"),
            today
        ),
        Err(OrderError::ExtensionNotLater {
            asked: day("2026-12-10"),
            deadline: day("2026-12-10")
        })
    );
    assert_eq!(
        apply(
            &plan,
            unit,
            &at(OrderState::Answered),
            ask,
            &dated("x", "2026-12-20"),
            today
        ),
        Err(OrderError::NotAwaitingUnit(ask))
    );
    let asked = after(
        apply(
            &plan,
            unit,
            &signed,
            ask,
            &dated("需要省厅审批", "2026-12-20"),
            today,
        )
        .unwrap(),
    );
    assert_eq!(asked.state, OrderState::Signed, "asking keeps the state");
    assert_eq!(
        asked.deadline,
        Some(day("2026-12-10")),
        "and the deadline, until granted"
    );
    assert_eq!(asked.extension, Some(day("2026-12-20")));
    // One request at a time.
    assert_eq!(
        apply(
            &plan,
            unit,
            &asked,
            ask,
            &dated("再延", "2026-12-25"),
            today
        ),
        Err(OrderError::ExtensionPending)
    );
    // The unit cannot grant its own; the dispatcher may grant the day asked for, or another.
    assert_eq!(
        apply(
            &plan,
            unit,
            &asked,
            Action::GrantExtension,
            &note(""),
            today
        ),
        Err(OrderError::OwnOrder(Action::GrantExtension))
    );
    let granted = after(apply(&plan, d, &asked, Action::GrantExtension, &note(""), today).unwrap());
    assert_eq!(granted.deadline, Some(day("2026-12-20")));
    assert_eq!(granted.extension, None);
    assert_eq!(granted.state, OrderState::Signed);
    let shorter = after(
        apply(
            &plan,
            d,
            &asked,
            Action::GrantExtension,
            &dated("", "2026-12-15"),
            today,
        )
        .unwrap(),
    );
    assert_eq!(shorter.deadline, Some(day("2026-12-15")));
    assert_eq!(
        apply(
            &plan,
            d,
            &asked,
            Action::GrantExtension,
            &dated("", "2026-11-30"),
            today
        ),
        Err(OrderError::DeadlinePassed(day("2026-11-30")))
    );
    // Refusing needs a reason and keeps the deadline.
    assert_eq!(
        apply(&plan, d, &asked, Action::RefuseExtension, &note(""), today),
        Err(OrderError::NoteRequired(Action::RefuseExtension))
    );
    let refused = after(
        apply(
            &plan,
            d,
            &asked,
            Action::RefuseExtension,
            &note("按期完成"),
            today,
        )
        .unwrap(),
    );
    assert_eq!(refused.deadline, Some(day("2026-12-10")));
    assert_eq!(refused.extension, None);
    assert_eq!(
        apply(&plan, d, &refused, Action::GrantExtension, &note(""), today),
        Err(OrderError::NoExtensionPending)
    );
    // Answering lets a waiting request lapse.
    let answered =
        after(apply(&plan, unit, &asked, Action::Answer, &note("已办结"), today).unwrap());
    assert_eq!(answered.extension, None);
}

#[test]
fn urging_and_instructing_are_recorded_without_moving_the_order() {
    let plan = plan();
    let today = day(TODAY);
    let d = who(DISPATCHER, "dispatch");
    let leader = who(LEADER, "dispatch");
    let unit = who(REPORTER, "sci-tech");
    let assigned = at(OrderState::Assigned);
    // 催办: the dispatcher or a leader, while the unit owes its answer; a remark is optional.
    for w in [d, leader] {
        let out = apply(&plan, w, &assigned, Action::Urge, &note(""), today).unwrap();
        assert_eq!(after(out), assigned);
    }
    assert_eq!(
        apply(&plan, unit, &assigned, Action::Urge, &note(""), today),
        Err(OrderError::OwnOrder(Action::Urge))
    );
    assert_eq!(
        apply(
            &plan,
            d,
            &at(OrderState::Answered),
            Action::Urge,
            &note(""),
            today
        ),
        Err(OrderError::NotAwaitingUnit(Action::Urge))
    );
    // 领导批示: leaders only, with its text, on any order not closed.
    assert!(offered(leader, &at(OrderState::Opened)).contains(&Action::Instruct));
    assert!(!offered(d, &assigned).contains(&Action::Instruct));
    assert_eq!(
        apply(&plan, d, &assigned, Action::Instruct, &note("抓紧"), today),
        Err(OrderError::LeaderOnly(Action::Instruct))
    );
    assert_eq!(
        apply(&plan, leader, &assigned, Action::Instruct, &note(""), today),
        Err(OrderError::NoteRequired(Action::Instruct))
    );
    let out = apply(
        &plan,
        leader,
        &assigned,
        Action::Instruct,
        &note("请本周内办结"),
        today,
    );
    assert_eq!(out.map(after), Ok(assigned));
    assert_eq!(
        apply(
            &plan,
            leader,
            &at(OrderState::Closed),
            Action::Instruct,
            &note("x"),
            today
        ),
        Err(OrderError::Closed)
    );
    // Each records a notice for its audience.
    assert_eq!(Notice::of_step(Action::Urge), Some(Notice::Urged));
    assert!(Notice::Urged.audience().unit);
    assert!(Notice::ExtensionRequested.audience().dispatchers);
    assert!(!Notice::ExtensionRequested.audience().unit);
    assert!(Notice::Instructed.audience().unit && Notice::Instructed.audience().dispatchers);
}

#[test]
fn co_handling_units_are_checked_see_the_order_and_take_no_step() {
    let plan = plan();
    let today = day(TODAY);
    let d = who(DISPATCHER, "dispatch");
    let assign = |co: &[&str]| Request {
        assignee: Some("sci-tech".into()),
        deadline: Some(day("2026-12-10")),
        note: "请报送计划。".into(),
        co_units: co.iter().map(|s| s.to_string()).collect(),
    };
    let opened = at(OrderState::Opened);
    let asked = assign(&["finance", " investment", "finance"]);
    let out = apply(&plan, d, &opened, Action::Assign, &asked, today).unwrap();
    assert_eq!(
        out.co_units,
        ["finance", "investment"],
        "trimmed, duplicates dropped"
    );
    for (co, err) in [
        (&["sci-tech"][..], "co_unit_is_lead"),
        (&["dispatch"][..], "not_a_unit"),
        (&["nowhere"][..], "unknown_department"),
        (
            &[
                "finance",
                "investment",
                "drc",
                "tax",
                "data",
                "commerce",
                "ecology",
            ][..],
            "too_many_co_units",
        ),
    ] {
        assert_eq!(
            apply(&plan, d, &opened, Action::Assign, &assign(co), today).map_err(|e| e.code()),
            Err(err),
            "{co:?}"
        );
    }
    let assigned = after(out);
    // A co-handling unit sees the order but signs, answers and asks for nothing.
    let finance = who(REPORTER, "finance");
    assert!(may_see(finance, Some("sci-tech"), &assigned.co_units));
    assert!(!may_see(
        who(REPORTER, "tax"),
        Some("sci-tech"),
        &assigned.co_units
    ));
    assert!(offered(finance, &assigned).is_empty());
    // Handed back by the unit: the co-handling units go with it; later steps keep them.
    let unit = who(REPORTER, "sci-tech");
    let back = apply(
        &plan,
        unit,
        &assigned,
        Action::Return,
        &note("不是本单位职责"),
        today,
    );
    assert!(back.unwrap().co_units.is_empty());
    let signed = apply(&plan, unit, &assigned, Action::Sign, &note(""), today).unwrap();
    assert_eq!(signed.co_units, ["finance", "investment"]);
    // They hear of the order and its clock, not of the review between the unit and the office.
    assert!(Notice::Assigned.audience().co_units && Notice::Overdue.audience().co_units);
    assert!(!Notice::Answered.audience().co_units && !Notice::Returned.audience().co_units);
}
