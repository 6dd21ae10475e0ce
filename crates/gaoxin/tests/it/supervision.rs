//! 督办单 in the store, on SQLite and PostgreSQL: every step and its history, refusals that
//! write nothing, two steps at once, the lights and escalation driven by an injected clock,
//! the inboxes, the append-only history, and the sample orders.

use crate::support::{SEED, SEED_NAME, each_backend};
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::supervise::{Action, Light, OrderError, OrderState, Request, Subject};
use gaoxin_core::time::{Date, Timestamp};
use gaoxin_store::testing::execute;
use gaoxin_store::{Account, NewOrder, OrderFilter, Store, SupervisionError};

/// 2026-12-01 10:00 in Beijing.
fn t0() -> Timestamp {
    Timestamp::from_civil(2026, 12, 1, 36_000)
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// `days` after t0.
fn at(days: i64) -> Timestamp {
    Timestamp(t0().0 + days * 86_400)
}

async fn account(store: &Store, name: &str, unit: &str, role: RoleKind) -> Account {
    crate::support::account_at(store, name, unit, role, t0()).await
}

async fn setup(store: &Store) -> Plan {
    store.load_plan(SEED_NAME, SEED, t0()).await.unwrap();
    Plan::parse(SEED_NAME, SEED).unwrap()
}

fn note(text: &str) -> Request {
    Request {
        note: text.to_string(),
        ..Request::default()
    }
}

fn assign_to(unit: &str, deadline: &str) -> Request {
    Request {
        assignee: Some(unit.into()),
        deadline: Some(day(deadline)),
        note: "请报送第四季度对接活动计划。".into(),
        co_units: Vec::new(),
    }
}

fn on_task(title: &str, assign: Option<Request>) -> NewOrder {
    NewOrder {
        title: title.into(),
        subject: Subject::Task { task: "t6".into() },
        basis: "前三季度对接活动仅 4 场。".into(),
        assign,
    }
}

/// `account` acting `days` after t0.
fn act<'a>(plan: &'a Plan, account: &'a Account, days: i64) -> gaoxin_store::Act<'a> {
    gaoxin_store::Act::of(plan, account, at(days))
}

fn rule(r: Result<i64, SupervisionError>) -> OrderError {
    match r {
        Err(SupervisionError::Rule(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn count(store: &Store, table: &str) -> i64 {
    gaoxin_store::testing::query_i64(store, &format!("SELECT COUNT(*) FROM {table}"))
        .await
        .unwrap()
}

async fn unread(store: &Store, a: &Account) -> Vec<String> {
    store
        .inbox(a.id, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.read_at.is_none())
        .map(|m| m.notice)
        .collect()
}

#[tokio::test]
async fn an_order_goes_through_every_step_and_keeps_its_history() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let u = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let boss = account(&store, "keji-boss", "sci-tech", RoleKind::Leader).await;
        let other = account(&store, "touchu", "investment", RoleKind::Reporter).await;
        let id = store
            .order_open(
                &plan,
                &d,
                &on_task("对接活动不足", Some(assign_to("sci-tech", "2026-12-10"))),
                t0(),
            )
            .await
            .unwrap();
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!(o.state, OrderState::Assigned);
        assert_eq!(o.version, 2);
        assert_eq!(o.deadline, Some(day("2026-12-10")));
        assert_eq!(
            o.requirements.as_deref(),
            Some("请报送第四季度对接活动计划。")
        );
        assert_eq!(o.number(), format!("督办〔2026〕{id}号"));
        assert_eq!(o.task(), Some("t6"));
        // The unit is told; the other bureau and the unit's leader are not (yet).
        assert_eq!(unread(&store, &u).await, ["assigned"]);
        assert!(unread(&store, &other).await.is_empty());
        assert!(unread(&store, &boss).await.is_empty());
        // Only the unit and the city-wide readers list it.
        assert_eq!(
            store
                .orders(&u, &OrderFilter::default())
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .orders(&other, &OrderFilter::default())
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .orders(&boss, &OrderFilter::default())
                .await
                .unwrap()
                .len(),
            1
        );

        let mut v = o.version;
        for (who, action, request, state) in [
            (&u, Action::Sign, note(""), OrderState::Signed),
            (
                &u,
                Action::Answer,
                note("已制定计划。"),
                OrderState::Answered,
            ),
            (
                &d,
                Action::Return,
                note("请附活动清单。"),
                OrderState::Signed,
            ),
            (
                &u,
                Action::Answer,
                note("已补充清单。"),
                OrderState::Answered,
            ),
            (&d, Action::Review, note("已核对。"), OrderState::Reviewed),
            (&d, Action::Close, note("同意销号。"), OrderState::Closed),
        ] {
            v = store
                .order_step(
                    &gaoxin_store::Act::of(&plan, who, at(1)),
                    id,
                    v,
                    action,
                    &request,
                )
                .await
                .unwrap_or_else(|e| panic!("{action:?}: {e}"));
            assert_eq!(
                store.order(id).await.unwrap().unwrap().state,
                state,
                "{action:?}"
            );
        }
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!(o.closed_at, Some(at(1).0));
        assert_eq!(o.light(day("2027-01-01"), 3), Light::Done);
        let steps = store.order_steps(id).await.unwrap();
        let actions: Vec<Action> = steps.iter().map(|s| s.action).collect();
        assert_eq!(
            actions,
            [
                Action::Open,
                Action::Assign,
                Action::Sign,
                Action::Answer,
                Action::Return,
                Action::Answer,
                Action::Review,
                Action::Close
            ]
        );
        assert_eq!(steps[4].note, "请附活动清单。");
        assert_eq!(steps[4].account.as_deref(), Some("disp"));
        assert_eq!(steps[4].from, Some(OrderState::Answered));
        assert_eq!(steps[4].to, OrderState::Signed);
        // The dispatcher heard of both answers and the return; the unit of the return and close.
        let mut dn = unread(&store, &d).await;
        dn.sort();
        assert_eq!(dn, ["answered", "answered", "returned"]);
        let mut un = unread(&store, &u).await;
        un.sort();
        assert_eq!(un, ["assigned", "closed", "returned"]);
        // Reading: one message, then all.
        let first = store.inbox(u.id, 1).await.unwrap()[0].id;
        assert_eq!(
            store
                .inbox_mark_read(u.id, Some(first), at(2))
                .await
                .unwrap(),
            1
        );
        assert_eq!(store.inbox_unread(u.id).await.unwrap(), 2);
        // Someone else's message is not theirs to mark.
        assert_eq!(
            store
                .inbox_mark_read(other.id, Some(first), at(2))
                .await
                .unwrap(),
            0
        );
        assert_eq!(store.inbox_mark_read(u.id, None, at(2)).await.unwrap(), 2);
        assert_eq!(store.inbox_unread(u.id).await.unwrap(), 0);
        // Filters.
        let f = |state| OrderFilter {
            state: Some(state),
            ..OrderFilter::default()
        };
        assert_eq!(
            store
                .orders(&d, &f(OrderState::Closed))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .orders(&d, &f(OrderState::Signed))
                .await
                .unwrap()
                .is_empty()
        );
        let by_task = OrderFilter {
            task: Some("t6".into()),
            assignee: Some("sci-tech".into()),
            ..OrderFilter::default()
        };
        assert_eq!(store.orders(&d, &by_task).await.unwrap().len(), 1);
        db
    })
    .await;
}

#[tokio::test]
async fn refused_steps_write_nothing() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let u = account(&store, "keji", "sci-tech", RoleKind::Reviewer).await;
        let other = account(&store, "touchu", "investment", RoleKind::Reporter).await;
        // An order whose hand-over is wrong is not opened at all.
        let bad = on_task("x", Some(assign_to("dispatch", "2026-12-10")));
        assert!(matches!(
            rule(store.order_open(&plan, &d, &bad, t0()).await),
            OrderError::NotAUnit(_)
        ));
        let late = on_task("x", Some(assign_to("sci-tech", "2026-11-30")));
        assert_eq!(
            rule(store.order_open(&plan, &d, &late, t0()).await),
            OrderError::DeadlinePassed(day("2026-11-30"))
        );
        assert_eq!(
            rule(store.order_open(&plan, &u, &on_task("x", None), t0()).await),
            OrderError::DispatcherOnly(Action::Open)
        );
        assert_eq!(count(&store, "supervision_orders").await, 0);
        assert_eq!(count(&store, "supervision_steps").await, 0);

        let id = store
            .order_open(
                &plan,
                &d,
                &on_task("对接活动不足", Some(assign_to("sci-tech", "2026-12-10"))),
                t0(),
            )
            .await
            .unwrap();
        let steps = count(&store, "supervision_steps").await;
        let messages = count(&store, "inbox_messages").await;
        // A step cannot be skipped.
        assert_eq!(
            rule(
                store
                    .order_step(
                        &gaoxin_store::Act::of(&plan, &d, t0()),
                        id,
                        2,
                        Action::Close,
                        &note("")
                    )
                    .await
            ),
            OrderError::WrongState {
                action: Action::Close,
                state: OrderState::Assigned,
                needs: OrderState::Reviewed
            }
        );
        // Another bureau does not find it.
        assert!(matches!(
            store
                .order_step(
                    &gaoxin_store::Act::of(&plan, &other, t0()),
                    id,
                    2,
                    Action::Sign,
                    &note("")
                )
                .await,
            Err(SupervisionError::NotFound)
        ));
        // The unit goes as far as it may, then cannot review or close its own order.
        let v = store
            .order_step(
                &gaoxin_store::Act::of(&plan, &u, t0()),
                id,
                2,
                Action::Sign,
                &note(""),
            )
            .await
            .unwrap();
        let v = store
            .order_step(
                &gaoxin_store::Act::of(&plan, &u, t0()),
                id,
                v,
                Action::Answer,
                &note("已办。"),
            )
            .await
            .unwrap();
        assert_eq!(
            rule(
                store
                    .order_step(
                        &gaoxin_store::Act::of(&plan, &u, t0()),
                        id,
                        v,
                        Action::Review,
                        &note("")
                    )
                    .await
            ),
            OrderError::OwnOrder(Action::Review)
        );
        // An answer without what was done, and a step over an old version, are refused.
        assert_eq!(
            rule(
                store
                    .order_step(
                        &gaoxin_store::Act::of(&plan, &d, t0()),
                        id,
                        v - 1,
                        Action::Review,
                        &note("")
                    )
                    .await
            ),
            OrderError::Stale
        );
        assert_eq!(
            rule(
                store
                    .order_step(
                        &gaoxin_store::Act::of(&plan, &d, t0()),
                        id,
                        v,
                        Action::Return,
                        &note(" ")
                    )
                    .await
            ),
            OrderError::NoteRequired(Action::Return)
        );
        assert_eq!(count(&store, "supervision_steps").await, steps + 2);
        assert_eq!(
            count(&store, "inbox_messages").await,
            messages + 1,
            "the answer only"
        );
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!((o.state, o.version), (OrderState::Answered, v));
        // The history is append-only.
        for sql in [
            "UPDATE supervision_steps SET note = 'x'",
            "DELETE FROM supervision_steps",
        ] {
            let e = execute(&store, sql).await.unwrap_err().to_string();
            assert!(e.contains("append-only"), "{sql}: {e}");
        }
        db
    })
    .await;
}

#[tokio::test]
async fn two_steps_at_once_one_wins() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let a = account(&store, "keji-a", "sci-tech", RoleKind::Reporter).await;
        let b = account(&store, "keji-b", "sci-tech", RoleKind::Reporter).await;
        let id = store
            .order_open(
                &plan,
                &d,
                &on_task("x", Some(assign_to("sci-tech", "2026-12-10"))),
                t0(),
            )
            .await
            .unwrap();
        let go = |who: Account| {
            let (store, plan) = (store.clone(), plan.clone());
            tokio::spawn(async move {
                store
                    .order_step(
                        &gaoxin_store::Act::of(&plan, &who, t0()),
                        id,
                        2,
                        Action::Sign,
                        &note(""),
                    )
                    .await
            })
        };
        let (ra, rb) = (go(a), go(b));
        let results = [ra.await.unwrap(), rb.await.unwrap()];
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "{results:?}");
        assert!(results.iter().any(|r| matches!(
            r,
            Err(SupervisionError::Rule(
                OrderError::Stale | OrderError::WrongState { .. }
            ))
        )));
        let signs = store
            .order_steps(id)
            .await
            .unwrap()
            .iter()
            .filter(|s| s.action == Action::Sign)
            .count();
        assert_eq!(signs, 1);
        db
    })
    .await;
}

#[tokio::test]
async fn lights_remind_and_escalate_by_the_clock() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        assert_eq!(plan.monitoring.warn_days, 3);
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let u = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let head = account(&store, "keji-head", "sci-tech", RoleKind::Reviewer).await;
        let boss = account(&store, "keji-boss", "sci-tech", RoleKind::Leader).await;
        let city = account(&store, "mayor", "dispatch", RoleKind::Leader).await;
        let other = account(&store, "touchu", "investment", RoleKind::Reporter).await;
        let gone = account(&store, "keji-old", "sci-tech", RoleKind::Reporter).await;
        execute(
            &store,
            &format!("UPDATE accounts SET disabled = 1 WHERE id = {}", gone.id),
        )
        .await
        .unwrap();
        // Deadline 2026-12-10; t0 is 12-01.
        let id = store
            .order_open(
                &plan,
                &d,
                &on_task("x", Some(assign_to("sci-tech", "2026-12-10"))),
                t0(),
            )
            .await
            .unwrap();
        store.inbox_mark_read(u.id, None, t0()).await.unwrap();
        store.inbox_mark_read(head.id, None, t0()).await.unwrap();
        let light = |days| {
            let store = store.clone();
            async move {
                store
                    .order(id)
                    .await
                    .unwrap()
                    .unwrap()
                    .light(Date::of(at(days)), 3)
            }
        };
        assert_eq!(light(5).await, Light::Green); // 12-06
        assert_eq!(light(6).await, Light::Yellow); // 12-07
        assert_eq!(light(9).await, Light::Yellow); // 12-10
        assert_eq!(light(10).await, Light::Red); // 12-11

        // Green: nothing. Yellow: the unit is reminded once.
        let r = store.supervision_tick(&plan, at(5)).await.unwrap();
        assert_eq!((r.reminded, r.escalated, r.messages), (0, 0, 0));
        let r = store.supervision_tick(&plan, at(6)).await.unwrap();
        assert_eq!((r.reminded, r.escalated), (1, 0));
        assert_eq!(unread(&store, &u).await, ["due_soon"]);
        assert_eq!(unread(&store, &head).await, ["due_soon"]);
        assert!(unread(&store, &d).await.is_empty());
        let r = store.supervision_tick(&plan, at(7)).await.unwrap();
        assert_eq!((r.reminded, r.escalated), (0, 0), "reminded once");

        // Overdue: escalated once — a system step, and the unit, its leadership and the
        // dispatch office told; not another bureau, a city leader, or a disabled account.
        let r = store.supervision_tick(&plan, at(10)).await.unwrap();
        assert_eq!((r.reminded, r.escalated), (0, 1));
        let steps = store.order_steps(id).await.unwrap();
        let last = steps.last().unwrap();
        assert_eq!(last.action, Action::Escalate);
        assert_eq!(last.account, None);
        assert!(last.note.contains("2026年12月10日"), "{}", last.note);
        for who in [&u, &head, &boss, &d] {
            assert!(
                unread(&store, who).await.contains(&"overdue".to_string()),
                "{}",
                who.username
            );
        }
        for who in [&other, &city, &gone] {
            assert!(
                !unread(&store, who).await.contains(&"overdue".to_string()),
                "{}",
                who.username
            );
        }
        assert_eq!(
            store
                .supervision_tick(&plan, at(11))
                .await
                .unwrap()
                .escalated,
            0
        );

        // Answered late: stays red however late the review is; no more reminders.
        let o = store.order(id).await.unwrap().unwrap();
        let v = store
            .order_step(
                &gaoxin_store::Act::of(&plan, &u, at(11)),
                id,
                o.version,
                Action::Sign,
                &note(""),
            )
            .await
            .unwrap();
        let v = store
            .order_step(
                &gaoxin_store::Act::of(&plan, &u, at(11)),
                id,
                v,
                Action::Answer,
                &note("已办。"),
            )
            .await
            .unwrap();
        assert_eq!(light(40).await, Light::Red);
        assert_eq!(
            store
                .supervision_tick(&plan, at(12))
                .await
                .unwrap()
                .escalated,
            0
        );
        // Sent back with a new deadline: the clock runs again, and warns and escalates again.
        let back = Request {
            deadline: Some(day("2026-12-20")),
            note: "请补充。".into(),
            ..Request::default()
        };
        store
            .order_step(
                &gaoxin_store::Act::of(&plan, &d, at(12)),
                id,
                v,
                Action::Return,
                &back,
            )
            .await
            .unwrap();
        assert_eq!(light(12).await, Light::Green); // 12-13
        assert_eq!(
            store
                .supervision_tick(&plan, at(16))
                .await
                .unwrap()
                .reminded,
            1
        );
        assert_eq!(
            store
                .supervision_tick(&plan, at(20))
                .await
                .unwrap()
                .escalated,
            1
        );
        db
    })
    .await;
}

#[tokio::test]
async fn sample_orders_stand_in_every_state() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let samples = gaoxin_core::supervise::sample::generate(&plan, Date::of(t0()));
        let n = store
            .load_sample_orders(&plan, &samples, t0())
            .await
            .unwrap();
        assert_eq!(n, samples.len());
        let orders = store.orders(&d, &OrderFilter::default()).await.unwrap();
        for state in OrderState::ALL {
            assert!(orders.iter().any(|o| o.state == state), "{state:?}");
        }
        assert!(orders.iter().all(|o| o.sample && o.title.contains("示例")));
        let today = Date::of(t0());
        let lights: Vec<Light> = orders.iter().map(|o| o.light(today, 3)).collect();
        for l in [
            Light::None,
            Light::Green,
            Light::Yellow,
            Light::Red,
            Light::Done,
        ] {
            assert!(lights.contains(&l), "{l:?} in {lights:?}");
        }
        assert!(
            orders
                .iter()
                .any(|o| matches!(o.subject, Subject::Indicator { .. }))
        );
        // Every sample step is one the rules allow: a returned and a handed-back order are there.
        let mut returns = 0;
        for o in &orders {
            returns += store
                .order_steps(o.id)
                .await
                .unwrap()
                .iter()
                .filter(|s| s.action == Action::Return)
                .count();
        }
        assert_eq!(returns, 2);
        // The overdue one is escalated by the first check; loading again adds nothing.
        assert_eq!(
            store.supervision_tick(&plan, t0()).await.unwrap().escalated,
            1
        );
        assert_eq!(
            store
                .load_sample_orders(&plan, &samples, t0())
                .await
                .unwrap(),
            0
        );
        db
    })
    .await;
}

#[tokio::test]
async fn more_time_is_asked_and_decided_and_nudges_and_instructions_are_recorded() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let u = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let boss = account(&store, "keji-boss", "sci-tech", RoleKind::Leader).await;
        let city = account(&store, "mayor", "dispatch", RoleKind::Leader).await;
        // Deadline 2026-12-10; t0 is 12-01.
        let id = store
            .order_open(
                &plan,
                &d,
                &on_task("x", Some(assign_to("sci-tech", "2026-12-10"))),
                t0(),
            )
            .await
            .unwrap();
        for a in [&u, &d, &boss, &city] {
            store.inbox_mark_read(a.id, None, t0()).await.unwrap();
        }
        let version = || {
            let store = store.clone();
            async move { store.order(id).await.unwrap().unwrap().version }
        };
        let ask = Request {
            deadline: Some(day("2026-12-20")),
            note: "需等待省厅批复。".into(),
            ..Request::default()
        };
        // Asked: the order keeps its state and deadline, the request waits on it, the
        // dispatch office is told, and the step records the day asked for.
        store
            .order_step(
                &act(&plan, &u, 1),
                id,
                version().await,
                Action::RequestExtension,
                &ask,
            )
            .await
            .unwrap();
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!(o.state, OrderState::Assigned);
        assert_eq!(o.deadline, Some(day("2026-12-10")));
        assert_eq!(o.extension, Some(day("2026-12-20")));
        assert_eq!(unread(&store, &d).await, ["extension_requested"]);
        assert!(unread(&store, &u).await.is_empty());
        let last = store.order_steps(id).await.unwrap().pop().unwrap();
        assert_eq!(last.action, Action::RequestExtension);
        assert_eq!(last.deadline, Some(day("2026-12-20")));
        assert_eq!(
            (last.from, last.to),
            (Some(OrderState::Assigned), OrderState::Assigned)
        );
        // A second request while one waits writes nothing.
        let before = count(&store, "supervision_steps").await;
        assert_eq!(
            rule(
                store
                    .order_step(
                        &act(&plan, &u, 1),
                        id,
                        version().await,
                        Action::RequestExtension,
                        &ask
                    )
                    .await
            ),
            OrderError::ExtensionPending
        );
        assert_eq!(count(&store, "supervision_steps").await, before);

        // Granted: the new deadline, the request gone, the unit told with the new day; the
        // clock runs to the new deadline (no escalation on the old one).
        store
            .order_step(
                &act(&plan, &d, 2),
                id,
                version().await,
                Action::GrantExtension,
                &note(""),
            )
            .await
            .unwrap();
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!(o.deadline, Some(day("2026-12-20")));
        assert_eq!(o.extension, None);
        let told = store.inbox(u.id, 10).await.unwrap();
        assert_eq!(told[0].notice, "extension_decided");
        assert!(told[0].body.contains("2026年12月20日"), "{}", told[0].body);
        assert_eq!(
            store
                .supervision_tick(&plan, at(10))
                .await
                .unwrap()
                .escalated,
            0,
            "12-11 is before the new deadline"
        );

        // Asked again and refused: the reason is required, the deadline stays.
        let again = Request {
            deadline: Some(day("2026-12-31")),
            note: "再延。".into(),
            ..Request::default()
        };
        store
            .order_step(
                &act(&plan, &u, 3),
                id,
                version().await,
                Action::RequestExtension,
                &again,
            )
            .await
            .unwrap();
        assert_eq!(
            rule(
                store
                    .order_step(
                        &act(&plan, &d, 3),
                        id,
                        version().await,
                        Action::RefuseExtension,
                        &note("")
                    )
                    .await
            ),
            OrderError::NoteRequired(Action::RefuseExtension)
        );
        store
            .order_step(
                &act(&plan, &d, 3),
                id,
                version().await,
                Action::RefuseExtension,
                &note("请按期完成。"),
            )
            .await
            .unwrap();
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!((o.deadline, o.extension), (Some(day("2026-12-20")), None));

        // 催办 reaches the unit and its leadership; 批示 the unit and the dispatch office.
        for a in [&u, &d, &boss] {
            store.inbox_mark_read(a.id, None, at(3)).await.unwrap();
        }
        store
            .order_step(
                &act(&plan, &d, 4),
                id,
                version().await,
                Action::Urge,
                &note(""),
            )
            .await
            .unwrap();
        assert_eq!(unread(&store, &u).await, ["urged"]);
        assert_eq!(unread(&store, &boss).await, ["urged"]);
        assert_eq!(
            rule(
                store
                    .order_step(
                        &act(&plan, &d, 4),
                        id,
                        version().await,
                        Action::Instruct,
                        &note("抓紧")
                    )
                    .await
            ),
            OrderError::LeaderOnly(Action::Instruct)
        );
        store
            .order_step(
                &act(&plan, &city, 4),
                id,
                version().await,
                Action::Instruct,
                &note("请月底前办结。"),
            )
            .await
            .unwrap();
        assert_eq!(unread(&store, &u).await, ["instructed", "urged"]);
        assert!(unread(&store, &d).await.contains(&"instructed".to_string()));
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!(
            o.state,
            OrderState::Assigned,
            "none of them moves the order"
        );
        let actions: Vec<Action> = store
            .order_steps(id)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.action)
            .collect();
        assert_eq!(
            actions,
            [
                Action::Open,
                Action::Assign,
                Action::RequestExtension,
                Action::GrantExtension,
                Action::RequestExtension,
                Action::RefuseExtension,
                Action::Urge,
                Action::Instruct
            ]
        );
        // The rebuilt history table is still append-only.
        assert!(
            execute(&store, "UPDATE supervision_steps SET note = 'x'")
                .await
                .is_err()
        );
        db
    })
    .await;
}

#[tokio::test]
async fn co_handling_units_see_the_order_and_hear_of_its_course() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let u = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let fin = account(&store, "caizheng", "finance", RoleKind::Reporter).await;
        let other = account(&store, "touchu", "investment", RoleKind::Reporter).await;
        let mut assign = assign_to("sci-tech", "2026-12-10");
        assign.co_units = vec!["finance".into()];
        let id = store
            .order_open(&plan, &d, &on_task("x", Some(assign)), t0())
            .await
            .unwrap();
        let o = store.order(id).await.unwrap().unwrap();
        assert_eq!(o.co_units, ["finance"]);
        // The co-handling unit lists it and is told; another bureau neither.
        let listed = |a: Account| {
            let store = store.clone();
            async move {
                store
                    .orders(&a, &OrderFilter::default())
                    .await
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(listed(fin.clone()).await, 1);
        assert_eq!(listed(other.clone()).await, 0);
        assert_eq!(unread(&store, &fin).await, ["assigned"]);
        assert!(unread(&store, &other).await.is_empty());
        // It takes no step: signing is the assigned unit's.
        assert!(matches!(
            rule(
                store
                    .order_step(&act(&plan, &fin, 1), id, o.version, Action::Sign, &note(""))
                    .await
            ),
            OrderError::AssigneeOnly(Action::Sign)
        ));
        // The answer's review is between the unit and the office; the closing reaches it.
        store.inbox_mark_read(fin.id, None, t0()).await.unwrap();
        let mut v = o.version;
        for (who, action, text) in [
            (&u, Action::Sign, ""),
            (&u, Action::Answer, "已办"),
            (&d, Action::Review, ""),
            (&d, Action::Close, ""),
        ] {
            v = store
                .order_step(&act(&plan, who, 1), id, v, action, &note(text))
                .await
                .unwrap();
        }
        assert_eq!(unread(&store, &fin).await, ["closed"]);
        db
    })
    .await;
}

#[tokio::test]
async fn an_answer_carries_its_files() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let u = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let u2 = account(&store, "keji2", "sci-tech", RoleKind::Reviewer).await;
        let id = store
            .order_open(
                &plan,
                &d,
                &on_task("x", Some(assign_to("sci-tech", "2026-12-10"))),
                t0(),
            )
            .await
            .unwrap();
        let pdf = b"%PDF-1.4 minutes of the meeting";
        let order = || {
            let store = store.clone();
            async move { store.order(id).await.unwrap().unwrap() }
        };
        // Not before signing for it, and never by the dispatch office.
        assert!(matches!(
            store
                .order_attachment_stash(&u, &order().await, "纪要.pdf", pdf, t0())
                .await,
            Err(SupervisionError::Rule(OrderError::AssigneeOnly(
                Action::Answer
            )))
        ));
        let v = store
            .order_step(
                &act(&plan, &u, 1),
                id,
                order().await.version,
                Action::Sign,
                &note(""),
            )
            .await
            .unwrap();
        assert!(
            store
                .order_attachment_stash(&d, &order().await, "纪要.pdf", pdf, t0())
                .await
                .is_err()
        );
        // A program passed off as a PDF is refused; the real one kept, the uploader's alone.
        assert!(matches!(
            store
                .order_attachment_stash(&u, &order().await, "纪要.pdf", b"MZ\x90\x00", t0())
                .await,
            Err(SupervisionError::Attachment(_))
        ));
        let mine = store
            .order_attachment_stash(&u, &order().await, "C:\\材料\\纪要.pdf", pdf, t0())
            .await
            .unwrap();
        assert_eq!(mine.file_name, "纪要.pdf");
        let theirs = store
            .order_attachment_stash(&u2, &order().await, "b.pdf", pdf, t0())
            .await
            .unwrap();
        assert!(store.order_attachments(id).await.unwrap().is_empty());
        // Someone else's file cannot ride on this answer: refused, nothing written.
        let answer = note("已召开专题会，纪要附后。");
        assert!(matches!(
            store
                .order_step_with(
                    &act(&plan, &u, 1),
                    id,
                    v,
                    Action::Answer,
                    &answer,
                    &[theirs.id]
                )
                .await,
            Err(SupervisionError::AttachmentGone)
        ));
        assert_eq!(order().await.state, OrderState::Signed);
        store
            .order_step_with(
                &act(&plan, &u, 1),
                id,
                v,
                Action::Answer,
                &answer,
                &[mine.id],
            )
            .await
            .unwrap();
        let filed = store.order_attachments(id).await.unwrap();
        assert_eq!(filed.len(), 1);
        let answer_step = store.order_steps(id).await.unwrap().pop().unwrap();
        assert_eq!(answer_step.action, Action::Answer);
        assert_eq!(filed[0].step_id, Some(answer_step.id));
        let (_, bytes) = store.order_attachment(mine.id).await.unwrap().unwrap();
        assert_eq!(bytes, pdf);
        db
    })
    .await;
}

/// Where an order stands in the list, as the list page put it before the list was paged in SQL
/// (the reference the SQL is checked against): owed and overdue, near the deadline, answered
/// late, on time, not handed out — each by the nearest deadline, then the newest — then the
/// closed, newest first.
fn reference_order(orders: &mut [gaoxin_store::Order], today: Date, warn: u32) {
    orders.sort_by_key(|o| {
        let rank = match o.light(today, warn) {
            Light::Red if o.state.awaits_unit() => 0,
            Light::Yellow => 1,
            Light::Red => 2,
            Light::Green => 3,
            Light::None => 4,
            Light::Done => 5,
        };
        if rank == 5 {
            (rank, false, None, std::cmp::Reverse(o.id))
        } else {
            (
                rank,
                o.deadline.is_none(),
                o.deadline,
                std::cmp::Reverse(o.id),
            )
        }
    });
}

#[tokio::test]
async fn the_order_list_is_ordered_counted_and_paged_in_sql_as_the_lights_say() {
    each_backend(|store, db| async move {
        setup(&store).await;
        let d = account(&store, "dispatcher", "dispatch", RoleKind::Dispatcher).await;
        let u = account(&store, "kejiju", "sci-tech", RoleKind::Reporter).await;
        let viewer = account(&store, "viewer", "sci-tech", RoleKind::Screen).await;
        let today = day("2026-12-10");
        let warn = 3;
        // Every state against deadlines before, on the edges of and after the yellow days, and
        // answers on, just after and well after the deadline's day.
        let states = [
            "opened", "assigned", "signed", "answered", "reviewed", "closed",
        ];
        let deadlines = [
            None,
            Some("2026-11-30"),
            Some("2026-12-09"),
            Some("2026-12-10"),
            Some("2026-12-13"),
            Some("2026-12-14"),
            Some("2027-01-05"),
        ];
        let mut n = 0;
        for state in states {
            for deadline in deadlines {
                n += 1;
                let (assignee, co_units) = match n % 4 {
                    0 => ("'sci-tech'", "''"),
                    1 => ("'drc'", "'finance,sci-tech'"),
                    2 => ("'drc'", "'sci-tech-x'"),
                    _ => ("'finance'", "''"),
                };
                let answered = match (state, deadline) {
                    ("answered" | "reviewed" | "closed", Some(dl)) => {
                        let edge = Date::parse(dl).unwrap().end().0;
                        // On the day (its last second), the next day's first second, later.
                        match n % 3 {
                            0 => edge.to_string(),
                            1 => (edge + 1).to_string(),
                            _ => (edge + 5 * 86_400).to_string(),
                        }
                    }
                    _ => "NULL".to_string(),
                };
                let deadline = deadline.map_or("NULL".to_string(), |d| format!("'{d}'"));
                execute(
                    &store,
                    &format!(
                        "INSERT INTO supervision_orders (title, subject, task_id, basis, state, \
                         assignee, deadline, answered_at, version, opened_by, opened_at, \
                         updated_at, updated_by, co_units) VALUES ('单 {n}', 'task', 't6', '事由', \
                         '{state}', {assignee}, {deadline}, {answered}, 1, 'dispatcher', {o}, {o}, \
                         'dispatcher', {co_units})",
                        o = t0().0
                    ),
                )
                .await
                .unwrap();
            }
        }
        // The 协办单位 one row each, as an order's steps write them.
        execute(
            &store,
            "INSERT INTO supervision_co_units (order_id, unit) \
             SELECT id, 'finance' FROM supervision_orders WHERE co_units = 'finance,sci-tech' \
             UNION ALL SELECT id, 'sci-tech' FROM supervision_orders WHERE co_units = 'finance,sci-tech' \
             UNION ALL SELECT id, 'sci-tech-x' FROM supervision_orders WHERE co_units = 'sci-tech-x'",
        )
        .await
        .unwrap();
        let query = |light: Option<Light>, offset: i64, limit: i64| gaoxin_store::OrderQuery {
            filter: OrderFilter::default(),
            light,
            today,
            warn_days: warn,
            offset,
            limit,
        };
        for who in [&d, &u] {
            let mut expected = store.orders(who, &OrderFilter::default()).await.unwrap();
            reference_order(&mut expected, today, warn);
            let want: Vec<i64> = expected.iter().map(|o| o.id).collect();
            let all = store.order_page(who, &query(None, 0, 1000)).await.unwrap();
            let got: Vec<i64> = all.orders.iter().map(|o| o.id).collect();
            assert_eq!(got, want, "{}", who.username);
            assert_eq!(all.total, want.len() as i64);
            // The counts by light are the lights the orders show.
            for (light, count) in &all.lights {
                let shown = expected
                    .iter()
                    .filter(|o| o.light(today, warn) == *light)
                    .count() as i64;
                assert_eq!(*count, shown, "{light:?} for {}", who.username);
            }
            // Pages of 5 put together are the whole list, across the open and closed parts.
            let mut paged = Vec::new();
            for page in 0.. {
                let p = store
                    .order_page(who, &query(None, page * 5, 5))
                    .await
                    .unwrap();
                if p.orders.is_empty() {
                    break;
                }
                assert!(p.orders.len() <= 5);
                paged.extend(p.orders.iter().map(|o| o.id));
            }
            assert_eq!(paged, want, "pages for {}", who.username);
            // One light: its orders in the same order, and the same counts beside them.
            for light in Light::ALL {
                let one = store
                    .order_page(who, &query(Some(light), 0, 1000))
                    .await
                    .unwrap();
                let of: Vec<i64> = expected
                    .iter()
                    .filter(|o| o.light(today, warn) == light)
                    .map(|o| o.id)
                    .collect();
                assert_eq!(
                    one.orders.iter().map(|o| o.id).collect::<Vec<_>>(),
                    of,
                    "{light:?}"
                );
                assert_eq!(one.total, of.len() as i64);
                assert_eq!(one.lights, all.lights);
            }
        }
        // The unit sees its own orders and those it works on as a 协办单位, not a unit whose id
        // merely begins with its own.
        let mine = store.order_page(&u, &query(None, 0, 1000)).await.unwrap();
        assert!(!mine.orders.is_empty());
        assert!(
            mine.orders
                .iter()
                .all(|o| o.assignee.as_deref() == Some("sci-tech")
                    || o.co_units.iter().any(|c| c == "sci-tech"))
        );
        assert_eq!(mine.total, 42 / 2);
        // A unit account that neither reports nor reviews sees none.
        let none = store
            .order_page(&viewer, &query(None, 0, 1000))
            .await
            .unwrap();
        assert!(none.orders.is_empty());
        assert_eq!(none.total, 0);
        // Open only, and open or closed since a time, for the readers that need no more.
        let open = store
            .orders(
                &d,
                &OrderFilter {
                    closed: gaoxin_store::Closed::None,
                    ..OrderFilter::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(open.len(), 35);
        assert!(open.iter().all(|o| o.state != OrderState::Closed));
        db
    })
    .await;
}

#[tokio::test]
async fn co_handling_units_stored_before_their_table_are_found_after_the_upgrade() {
    for backend in crate::support::backends() {
        let db = crate::support::create(backend).await;
        let url = db.url();
        // A database as release 19 left it, with orders handed to 协办单位 then.
        let old = gaoxin_store::testing::open_at(&url, 19).await.unwrap();
        for (n, co) in ["finance,sci-tech", "", "sci-tech", "drc,finance,drc"]
            .iter()
            .enumerate()
        {
            execute(
                &old,
                &format!(
                    "INSERT INTO supervision_orders (title, subject, task_id, basis, state, \
                     assignee, deadline, version, opened_by, opened_at, updated_at, updated_by, \
                     co_units) VALUES ('单 {n}', 'task', 't6', '事由', 'assigned', 'investment', \
                     '2026-12-20', 2, 'd', 1, 1, 'd', '{co}')"
                ),
            )
            .await
            .unwrap();
        }
        old.close().await;
        let store = Store::open(&url).await.unwrap();
        let u = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let f = account(&store, "caizheng", "finance", RoleKind::Reporter).await;
        let d = account(&store, "fagai", "drc", RoleKind::Reviewer).await;
        let titles = |orders: Vec<gaoxin_store::Order>| {
            let mut t: Vec<String> = orders.into_iter().map(|o| o.title).collect();
            t.sort();
            t
        };
        let all = OrderFilter::default();
        assert_eq!(
            titles(store.orders(&u, &all).await.unwrap()),
            ["单 0", "单 2"]
        );
        assert_eq!(
            titles(store.orders(&f, &all).await.unwrap()),
            ["单 0", "单 3"]
        );
        assert_eq!(titles(store.orders(&d, &all).await.unwrap()), ["单 3"]);
        store.close().await;
        crate::support::drop_db(db).await;
    }
}

#[tokio::test]
async fn the_bench_s_generated_lists_are_what_it_asked_for_and_read_like_real_ones() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let u = account(&store, "kejiju", "sci-tech", RoleKind::Reporter).await;
        let d = account(&store, "dispatcher", "dispatch", RoleKind::Dispatcher).await;
        let to = gaoxin_store::BenchLists {
            orders: 1_200,
            items: 150,
            messages: 40,
            messages_for: u.id,
            now: t0(),
        };
        let added = store.fill_lists_for_bench(&plan, &to).await.unwrap();
        assert_eq!(added, 1_200 + 150 + 40);
        // Asked again, nothing more.
        assert_eq!(store.fill_lists_for_bench(&plan, &to).await.unwrap(), 0);
        assert_eq!(count(&store, "supervision_orders").await, 1_200);
        assert_eq!(count(&store, "work_items").await, 150);
        assert_eq!(store.inbox(u.id, 100).await.unwrap().len(), 40);
        // Three in a hundred open, every one marked sample data; the 协办单位 one row each.
        let all = store.orders(&d, &OrderFilter::default()).await.unwrap();
        let open = all.iter().filter(|o| o.state != OrderState::Closed).count();
        assert_eq!(open, 36);
        assert!(all.iter().all(|o| o.sample));
        let co = all.iter().filter(|o| !o.co_units.is_empty()).count() as i64;
        assert_eq!(count(&store, "supervision_co_units").await, co);
        // The unit's list holds its own orders and those it helps with, read through the rows.
        let mine = store.orders(&u, &OrderFilter::default()).await.unwrap();
        let expected = all
            .iter()
            .filter(|o| {
                o.assignee.as_deref() == Some("sci-tech")
                    || o.co_units.iter().any(|c| c == "sci-tech")
            })
            .count();
        assert!(expected > 0);
        assert_eq!(mine.len(), expected);
        db
    })
    .await;
}
