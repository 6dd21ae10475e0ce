//! Figure values in the store, on SQLite and PostgreSQL: the workflow (submit, return with a
//! reason, resubmit, review, confirm), the deadline and reopening, a change after confirmation,
//! unit rights, optimistic concurrency, history, and all-or-nothing imports.

use crate::support::{TestDb, each_backend};
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::monitor::import::parse_csv;
use gaoxin_core::monitor::workflow::{Step, WorkflowError};
use gaoxin_core::monitor::{FigureState, Status, YearMonth, evaluate};
use gaoxin_core::time::Timestamp;
use gaoxin_store::testing::execute;
use gaoxin_store::{Account, Actor, AuditKey, FigureError, Store, ValueFilter};

pub const PLAN: &str = include_str!("../../../../plans/examples/monitoring.toml");

/// 2025-07-03 10:00 Beijing time: June's figures are due, entry open until 15 July.
fn july_3() -> Timestamp {
    Timestamp::from_civil(2025, 7, 3, 36_000)
}

fn june() -> YearMonth {
    YearMonth::new(2025, 6).unwrap()
}

fn key() -> AuditKey {
    crate::support::audit_key()
}

async fn account(store: &Store, name: &str, unit: &str, role: RoleKind) -> Account {
    crate::support::account_at(store, name, unit, role, july_3()).await
}

async fn setup(store: &Store) -> Plan {
    store
        .load_plan("monitoring.toml", PLAN, july_3())
        .await
        .unwrap();
    Plan::parse("monitoring.toml", PLAN).unwrap()
}

fn save(value: f64, reason: &str) -> Step {
    Step::Save {
        value,
        explanation: String::new(),
        reason: reason.into(),
    }
}

fn workflow_error(r: Result<gaoxin_store::FigureValue, FigureError>) -> WorkflowError {
    match r {
        Err(FigureError::Workflow(e)) => e,
        other => panic!("expected a workflow refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_figure_goes_through_submit_return_resubmit_review_and_confirm() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let reporter = account(&store, "zone-clerk", "zone-admin", RoleKind::Reporter).await;
        let other = account(&store, "b-clerk", "zone-b-admin", RoleKind::Reporter).await;
        let reviewer = account(&store, "stats-rev", "stats", RoleKind::Reviewer).await;
        let dispatcher = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let now = july_3();
        let step = |a: &Account, s: Step, v: Option<i64>| {
            let (store, plan, a) = (store.clone(), plan.clone(), a.clone());
            async move {
                store
                    .figure_step(
                        &gaoxin_store::Act::of(&plan, &a, now),
                        gaoxin_store::FigureAt::new("zone", "revenue", june()),
                        &s,
                        v,
                    )
                    .await
            }
        };

        // Another zone's reporter cannot touch this zone's figures.
        assert_eq!(
            workflow_error(step(&other, save(100.0, ""), None).await),
            WorkflowError::NotPermitted
        );
        let v = step(&reporter, save(100.0, ""), Some(0)).await.unwrap();
        assert_eq!((v.state, v.version), (FigureState::Draft, 1));
        // A form opened before that save is refused, not silently applied.
        assert_eq!(
            workflow_error(step(&reporter, save(101.0, ""), Some(0)).await),
            WorkflowError::Stale
        );
        let v = step(&reporter, Step::Submit, Some(1)).await.unwrap();
        assert_eq!(v.state, FigureState::Submitted);
        let v = step(
            &reviewer,
            Step::Return {
                reason: "与统计快报不一致".into(),
            },
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            (v.state, v.note.as_str()),
            (FigureState::Returned, "与统计快报不一致")
        );
        step(&reporter, save(104.0, ""), None).await.unwrap();
        step(&reporter, Step::Submit, None).await.unwrap();
        // The dispatcher cannot skip the review.
        assert!(matches!(
            workflow_error(step(&dispatcher, Step::Confirm, None).await),
            WorkflowError::WrongState { .. }
        ));
        step(&reviewer, Step::Approve, None).await.unwrap();
        let v = step(&dispatcher, Step::Confirm, None).await.unwrap();
        assert_eq!(
            (v.state, v.value, v.revised),
            (FigureState::Confirmed, 104.0, false)
        );

        // A change after confirmation needs a reason and is flagged.
        let v = step(&reporter, save(105.0, "统计局修订快报"), None)
            .await
            .unwrap();
        assert_eq!((v.state, v.revised), (FigureState::Submitted, true));

        let history = store
            .figure_history("zone", "revenue", june())
            .await
            .unwrap();
        let steps: Vec<(&str, &str, Option<f64>, f64)> = history
            .iter()
            .map(|e| {
                (
                    e.step.as_str(),
                    e.account.as_str(),
                    e.old_value,
                    e.new_value,
                )
            })
            .collect();
        assert_eq!(
            steps,
            vec![
                ("save", "zone-clerk", None, 100.0),
                ("submit", "zone-clerk", Some(100.0), 100.0),
                ("return", "stats-rev", Some(100.0), 100.0),
                ("save", "zone-clerk", Some(100.0), 104.0),
                ("submit", "zone-clerk", Some(104.0), 104.0),
                ("approve", "stats-rev", Some(104.0), 104.0),
                ("confirm", "disp", Some(104.0), 104.0),
                ("save", "zone-clerk", Some(104.0), 105.0),
            ]
        );
        assert_eq!(history[2].reason, "与统计快报不一致");
        assert_eq!(history[7].reason, "统计局修订快报");
        assert_eq!(history[6].to_state, FigureState::Confirmed);

        // History cannot be rewritten.
        assert!(
            execute(&store, "UPDATE figure_events SET new_value = 1")
                .await
                .is_err()
        );
        assert!(execute(&store, "DELETE FROM figure_events").await.is_err());
        db
    })
    .await;
}

#[tokio::test]
async fn entry_closes_at_the_deadline_until_the_dispatcher_reopens_the_period() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let reporter = account(&store, "zone-clerk", "zone-admin", RoleKind::Reporter).await;
        let dispatcher = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let late = Timestamp::from_civil(2025, 7, 16, 9 * 3600);
        assert_eq!(
            store
                .period_deadline(&plan, june())
                .await
                .unwrap()
                .to_string(),
            "2025-07-15T23:59:59+08:00"
        );
        let refused = store
            .figure_step(
                &gaoxin_store::Act::of(&plan, &reporter, late),
                gaoxin_store::FigureAt::new("zone", "events", june()),
                &save(5.0, ""),
                None,
            )
            .await;
        assert!(matches!(
            workflow_error(refused),
            WorkflowError::Closed { .. }
        ));
        // Only the dispatcher reopens.
        let reopen_until = Timestamp::from_civil(2025, 7, 20, 86_399);
        assert!(matches!(
            store
                .set_period_deadline(
                    &gaoxin_store::Act::of(&plan, &reporter, late),
                    &Actor::console(),
                    &key(),
                    june(),
                    reopen_until
                )
                .await,
            Err(FigureError::Workflow(WorkflowError::NotPermitted))
        ));
        store
            .set_period_deadline(
                &gaoxin_store::Act::of(&plan, &dispatcher, late),
                &Actor::console(),
                &key(),
                june(),
                reopen_until,
            )
            .await
            .unwrap();
        let v = store
            .figure_step(
                &gaoxin_store::Act::of(&plan, &reporter, late),
                gaoxin_store::FigureAt::new("zone", "events", june()),
                &save(5.0, ""),
                None,
            )
            .await
            .unwrap();
        assert_eq!(v.state, FigureState::Draft);
        let events = store
            .audit_events(&gaoxin_store::AuditFilter::default())
            .await
            .unwrap();
        assert!(events.iter().any(|e| e.action == "figures.period_deadline"
            && e.after.as_deref() == Some("2025-07-20T23:59:59+08:00")));
        db
    })
    .await;
}

#[tokio::test]
async fn the_cockpit_counts_submitted_values_and_marks_them_unconfirmed() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let dispatcher = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let reporter = account(&store, "zone-clerk", "zone-admin", RoleKind::Reporter).await;
        // History back-filled by the dispatcher is confirmed on import.
        let rows = parse_csv("zone,figure,period,value\nzone,revenue,2024-06,50\n").unwrap();
        let r = store
            .import_figures(&plan, &dispatcher, &rows, false, july_3())
            .await
            .unwrap();
        assert_eq!((r.applied, r.errors.len()), (1, 0));
        for s in [save(54.0, ""), Step::Submit] {
            store
                .figure_step(
                    &gaoxin_store::Act::of(&plan, &reporter, july_3()),
                    gaoxin_store::FigureAt::new("zone", "revenue", june()),
                    &s,
                    None,
                )
                .await
                .unwrap();
        }
        let filter = ValueFilter {
            units: Some(vec!["zone".into(), "city".into()]),
            from: YearMonth::new(2024, 1).unwrap(),
            to: june(),
        };
        let figures = store.counted_figures(&filter).await.unwrap();
        // Values read back exactly, however many digits they have.
        let exact = 1_234.567_890_123_456_7_f64;
        store
            .figure_step(
                &gaoxin_store::Act::of(&plan, &dispatcher, july_3()),
                gaoxin_store::FigureAt::new("city", "output", june()),
                &save(exact, ""),
                None,
            )
            .await
            .unwrap();
        store
            .figure_step(
                &gaoxin_store::Act::of(&plan, &dispatcher, july_3()),
                gaoxin_store::FigureAt::new("city", "output", june()),
                &Step::Submit,
                None,
            )
            .await
            .unwrap();
        let city = store
            .counted_figures(&ValueFilter {
                units: Some(vec!["city".into()]),
                from: june(),
                to: june(),
            })
            .await
            .unwrap();
        assert_eq!(
            city.get("city", "output", june()).map(|o| o.value),
            Some(exact)
        );
        assert_eq!(
            city.get("city", "output", june()).map(|o| o.state),
            Some(FigureState::Submitted)
        );
        let target = plan.target("zone", "revenue-growth", 2025).unwrap();
        let e = evaluate(&plan, &figures, target, june());
        assert_eq!(e.status, Status::Red, "8% against 10%");
        assert!(e.unconfirmed());
        assert!((e.actual.unwrap() - 8.0).abs() < 1e-9);
        db
    })
    .await;
}

#[tokio::test]
async fn an_import_with_a_bad_row_near_the_end_writes_nothing() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let reporter = account(&store, "zone-clerk", "zone-admin", RoleKind::Reporter).await;
        let mut csv = String::from("zone,figure,period,value\n");
        for m in 1..=6 {
            csv.push_str(&format!("zone,events,2025-{m:02},{m}\n"));
        }
        csv.push_str("zone-b,events,2025-06,3\n");
        csv.push_str("zone,nope,2025-06,3\n");
        let rows = parse_csv(&csv).unwrap();
        // Months before June closed long ago for a reporter; zone-b is not theirs.
        let r = store
            .import_figures(&plan, &reporter, &rows, false, july_3())
            .await
            .unwrap();
        let at: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(
            at,
            vec![
                (2, "period"),
                (3, "period"),
                (4, "period"),
                (5, "period"),
                (6, "period"),
                (8, "zone"),
                (9, "figure")
            ]
        );
        let all = ValueFilter {
            units: None,
            from: YearMonth::new(2000, 1).unwrap(),
            to: YearMonth::new(2100, 1).unwrap(),
        };
        assert!(store.figure_values(&all).await.unwrap().is_empty());
        // Only June, the reporter's own zone: a dry run writes nothing, the real run all.
        let rows = parse_csv(
            "zone,figure,period,value\nzone,events,2025-06,6\nzone,platforms-count,2025-06,118\n",
        )
        .unwrap();
        let dry = store
            .import_figures(&plan, &reporter, &rows, true, july_3())
            .await
            .unwrap();
        assert_eq!((dry.applied, dry.errors.len()), (2, 0));
        assert!(store.figure_values(&all).await.unwrap().is_empty());
        store
            .import_figures(&plan, &reporter, &rows, false, july_3())
            .await
            .unwrap();
        let values = store.figure_values(&all).await.unwrap();
        assert_eq!(values.len(), 2);
        assert!(values.iter().all(|v| v.state == FigureState::Submitted));
        db
    })
    .await;
}

#[tokio::test]
async fn two_people_saving_the_same_value_at_once_cannot_both_win() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let disp = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let clerk = account(&store, "zone-clerk", "zone-admin", RoleKind::Reporter).await;
        for round in 0..10 {
            // Both opened the form on the same version and save different values together.
            let version = store
                .figure_value("zone", "events", june())
                .await
                .unwrap()
                .map_or(0, |v| v.version);
            let go = |a: Account, v: f64| {
                let (store, plan) = (store.clone(), plan.clone());
                tokio::spawn(async move {
                    store
                        .figure_step(
                            &gaoxin_store::Act::of(&plan, &a, july_3()),
                            gaoxin_store::FigureAt::new("zone", "events", june()),
                            &save(v, ""),
                            Some(version),
                        )
                        .await
                })
            };
            let (a, b) = (
                go(disp.clone(), 100.0 + f64::from(round)),
                go(clerk.clone(), 200.0 + f64::from(round)),
            );
            let (a, b) = (a.await.unwrap(), b.await.unwrap());
            let won = [&a, &b].iter().filter(|r| r.is_ok()).count();
            assert_eq!(won, 1, "round {round}: {a:?} {b:?}");
            let lost = if a.is_ok() { b } else { a };
            assert_eq!(workflow_error(lost), WorkflowError::Stale);
            let stored = store
                .figure_value("zone", "events", june())
                .await
                .unwrap()
                .unwrap();
            assert_eq!(stored.version, version + 1);
            let history = store
                .figure_history("zone", "events", june())
                .await
                .unwrap();
            assert_eq!(
                history.len() as i64,
                version + 1,
                "one history row per accepted step"
            );
        }
        db
    })
    .await;
}

/// The inbox notices of `account`, newest first: (notice, title, body, link).
async fn notices(store: &Store, account: &Account) -> Vec<(String, String, String, String)> {
    store
        .inbox(account.id, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.notice, m.title, m.body, m.link))
        .collect()
}

#[tokio::test]
async fn each_step_tells_who_acts_next_and_an_import_tells_them_once() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let clerk = account(&store, "zone-clerk", "zone-admin", RoleKind::Reporter).await;
        let other = account(&store, "b-clerk", "zone-b-admin", RoleKind::Reporter).await;
        let reviewer = account(&store, "stats-rev", "stats", RoleKind::Reviewer).await;
        let dispatcher = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let leader = account(&store, "boss", "dispatch", RoleKind::Leader).await;
        let now = july_3();
        let step = |a: &Account, s: Step| {
            let (store, plan, a) = (store.clone(), plan.clone(), a.clone());
            async move {
                store
                    .figure_step(
                        &gaoxin_store::Act::of(&plan, &a, now),
                        gaoxin_store::FigureAt::new("zone", "revenue", june()),
                        &s,
                        None,
                    )
                    .await
                    .unwrap()
            }
        };
        // Saving tells nobody.
        step(&clerk, save(100.0, "")).await;
        for a in [&clerk, &other, &reviewer, &dispatcher, &leader] {
            assert!(notices(&store, a).await.is_empty(), "{}", a.username);
        }
        // Submitted: the figure's reviewer, no one else (not the clerk who did it).
        step(&clerk, Step::Submit).await;
        let got = notices(&store, &reviewer).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "figure_submitted");
        assert!(got[0].1.contains("2025年6月"), "{:?}", got[0]);
        assert!(got[0].2.contains("zone-clerk 已提交"), "{:?}", got[0]);
        assert_eq!(got[0].3, "/figures/review");
        for a in [&clerk, &other, &dispatcher, &leader] {
            assert!(notices(&store, a).await.is_empty(), "{}", a.username);
        }
        // Returned: back to the zone's clerk, with the reason and a link to the form.
        step(
            &reviewer,
            Step::Return {
                reason: "与统计快报不一致".into(),
            },
        )
        .await;
        let got = notices(&store, &clerk).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "figure_returned");
        assert!(got[0].2.contains("与统计快报不一致"), "{:?}", got[0]);
        assert_eq!(got[0].3, "/figures?unit=zone&period=2025-06");
        assert!(notices(&store, &other).await.is_empty());
        // Resubmitted and approved: the dispatch office is told to confirm.
        step(&clerk, Step::Submit).await;
        step(&reviewer, Step::Approve).await;
        let got = notices(&store, &dispatcher).await;
        assert_eq!(
            got.iter().map(|n| n.0.as_str()).collect::<Vec<_>>(),
            ["figure_reviewed"]
        );
        assert!(notices(&store, &leader).await.is_empty());
        // Confirmed: the clerk learns it.
        step(&dispatcher, Step::Confirm).await;
        let got = notices(&store, &clerk).await;
        assert_eq!(
            got.iter().map(|n| n.0.as_str()).collect::<Vec<_>>(),
            ["figure_confirmed", "figure_returned"]
        );
        assert_eq!(notices(&store, &reviewer).await.len(), 2);

        // An import of two rows of figures nobody reviews (sci-tech has no reviewer): one
        // message to the dispatch office for both, not one per row; the stats reviewer is not
        // told.
        let rows = parse_csv(
            "zone,figure,period,value\nzone,events,2025-06,6\nzone,platforms-count,2025-06,118\n",
        )
        .unwrap();
        store
            .import_figures(&plan, &clerk, &rows, false, now)
            .await
            .unwrap();
        let got = notices(&store, &dispatcher).await;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "figure_submitted");
        assert!(got[0].1.contains("等 2 项"), "{:?}", got[0]);
        assert!(got[0].2.contains("118"), "{:?}", got[0]);
        assert_eq!(notices(&store, &reviewer).await.len(), 2);
        // A dry run tells nobody.
        let before =
            notices(&store, &reviewer).await.len() + notices(&store, &dispatcher).await.len();
        store
            .import_figures(&plan, &clerk, &rows, true, now)
            .await
            .unwrap();
        let after =
            notices(&store, &reviewer).await.len() + notices(&store, &dispatcher).await.len();
        assert_eq!(before, after);
        db
    })
    .await;
}

#[tokio::test]
async fn units_with_figures_missing_are_told_once_as_the_deadline_nears_and_once_after() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let clerk = account(&store, "zone-clerk", "zone-admin", RoleKind::Reporter).await;
        let b_clerk = account(&store, "b-clerk", "zone-b-admin", RoleKind::Reporter).await;
        let dispatcher = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        // June's deadline is 15 July, 23:59:59; the plan warns 3 days before.
        let day = |d: u32| Timestamp::from_civil(2025, 7, d, 36_000);
        assert_eq!(
            store.figure_tick(&plan, day(3)).await.unwrap(),
            gaoxin_store::FigureTick::default(),
            "too early"
        );
        // zone-b submits everything it owes for June; zone does not.
        let owed: Vec<String> = gaoxin_core::monitor::owed(&plan, june())
            .into_iter()
            .filter(|(u, _)| u == "zone-b")
            .map(|(_, f)| f)
            .collect();
        assert!(!owed.is_empty());
        for f in &owed {
            for s in [save(1.0, ""), Step::Submit] {
                store
                    .figure_step(
                        &gaoxin_store::Act::of(&plan, &b_clerk, day(3)),
                        gaoxin_store::FigureAt::new("zone-b", f, june()),
                        &s,
                        None,
                    )
                    .await
                    .unwrap();
            }
        }
        // Every other unit that owes June's figures (zone, and the city's share bases).
        let mut others: Vec<String> = gaoxin_core::monitor::owed(&plan, june())
            .into_iter()
            .map(|(u, _)| u)
            .filter(|u| u != "zone-b")
            .collect();
        others.sort();
        others.dedup();
        assert!(others.contains(&"zone".to_string()));
        let soon = store.figure_tick(&plan, day(13)).await.unwrap();
        assert_eq!((soon.reminded, soon.missed), (others.len(), 0));
        let got = notices(&store, &clerk).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "figures_due");
        assert!(got[0].2.contains("2025年7月15日 23:59"), "{:?}", got[0]);
        assert!(
            got[0].2.contains("营业收入"),
            "names what is missing: {:?}",
            got[0]
        );
        assert_eq!(got[0].3, "/figures?unit=zone&period=2025-06");
        let kinds = |n: Vec<(String, String, String, String)>| {
            n.into_iter().map(|m| m.0).collect::<Vec<_>>()
        };
        assert!(notices(&store, &b_clerk).await.is_empty(), "zone-b is in");
        // The dispatch office heard of zone-b's submissions (nobody reviews those figures),
        // not of a deadline yet.
        assert!(
            !kinds(notices(&store, &dispatcher).await)
                .iter()
                .any(|k| k.starts_with("figures_"))
        );
        // Once only, whoever checks again.
        let again = store.figure_tick(&plan, day(14)).await.unwrap();
        assert_eq!((again.reminded, again.missed), (0, 0));
        // Past the deadline: the clerk and the dispatch office, once.
        let missed = store.figure_tick(&plan, day(16)).await.unwrap();
        assert_eq!((missed.reminded, missed.missed), (0, others.len()));
        let got = notices(&store, &clerk).await;
        assert_eq!(got[0].0, "figures_missed");
        let got = kinds(notices(&store, &dispatcher).await);
        assert_eq!(
            got.iter().filter(|k| k.starts_with("figures_")).count(),
            others.len(),
            "{got:?}"
        );
        assert_eq!(got[0], "figures_missed");
        assert_eq!(store.figure_tick(&plan, day(17)).await.unwrap().missed, 0);
        db
    })
    .await;
}
