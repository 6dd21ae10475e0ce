//! Work items and progress reports in the store, on SQLite and PostgreSQL: splitting a task (who
//! may, every field checked, nothing half-written, stale edits), reporting (a late report, an
//! item behind schedule needing a reason, the periods a unit may report for), attachments that
//! stay their uploader's until filed, the append-only reports, and the reminders to report.

use crate::support::{SEED, SEED_NAME, each_backend};
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::dispatch::{ItemDraft, Milestone, ReportDraft};
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::time::Timestamp;
use gaoxin_store::testing::execute;
use gaoxin_store::{Account, DispatchError, Store};

/// 2026-11-10 10:00 in Beijing: before November's report is due on the 25th.
fn t0() -> Timestamp {
    Timestamp::from_civil(2026, 11, 10, 36_000)
}

fn at(days: i64) -> Timestamp {
    Timestamp(t0().0 + days * 86_400)
}

fn nov() -> YearMonth {
    YearMonth::new(2026, 11).unwrap()
}

async fn account(store: &Store, name: &str, unit: &str, role: RoleKind) -> Account {
    crate::support::account_at(store, name, unit, role, t0()).await
}

async fn setup(store: &Store) -> Plan {
    store.load_plan(SEED_NAME, SEED, t0()).await.unwrap();
    Plan::parse(SEED_NAME, SEED).unwrap()
}

pub fn item() -> ItemDraft {
    ItemDraft {
        task: "t6".into(),
        title: "组织企业与高校院所对接活动".into(),
        lead: "sci-tech".into(),
        partners: vec!["sjz-hz-admin".into()],
        subtarget: Some("t6-matchmaking-events".into()),
        milestones: vec![
            Milestone {
                title: "制定年度计划".into(),
                due: "2026-11-15".into(),
            },
            Milestone {
                title: "完成全年活动".into(),
                due: "2026-12-20".into(),
            },
        ],
    }
}

fn done(text: &str, reached: usize) -> ReportDraft {
    ReportDraft {
        done: text.into(),
        reached,
        ..ReportDraft::default()
    }
}

async fn count(store: &Store, table: &str) -> i64 {
    gaoxin_store::testing::query_i64(store, &format!("SELECT COUNT(*) FROM {table}"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_task_is_split_by_those_who_lead_it() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let keji = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let touchu = account(&store, "touchu", "investment", RoleKind::Reporter).await;
        // 市投促局 does not lead task 6; nothing is written.
        assert!(matches!(
            store.item_save(&plan, &touchu, None, &item(), t0()).await,
            Err(DispatchError::NotPermitted)
        ));
        let mut bad = item();
        bad.lead = "dispatch".into();
        bad.milestones[1].due = "2026-13-01".into();
        match store.item_save(&plan, &d, None, &bad, t0()).await {
            Err(DispatchError::Fields(e)) => {
                let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["lead", "milestone_2"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(count(&store, "work_items").await, 0);
        // The lead department splits its own task; the dispatcher edits it over its version.
        let id = store
            .item_save(&plan, &keji, None, &item(), t0())
            .await
            .unwrap();
        let stored = store.work_item(id).await.unwrap().unwrap();
        assert_eq!(stored.responsible(), ["sci-tech", "sjz-hz-admin"]);
        assert_eq!(stored.milestones, item().milestones);
        let mut changed = item();
        changed.partners.push("zd-hz-admin".into());
        store
            .item_save(&plan, &d, Some((id, 1)), &changed, at(1))
            .await
            .unwrap();
        assert!(matches!(
            store.item_save(&plan, &keji, Some((id, 1)), &item(), at(1)).await,
            Err(DispatchError::Stale { by }) if by == "disp"
        ));
        let stored = store.work_item(id).await.unwrap().unwrap();
        assert_eq!(stored.version, 2);
        assert_eq!(stored.partners, ["sjz-hz-admin", "zd-hz-admin"]);
        // Who sees it: the responsible units and the task's leads, not another bureau.
        let zone = account(&store, "gxq", "sjz-hz-admin", RoleKind::Reporter).await;
        assert_eq!(
            store
                .work_items(&plan, &zone, None, None)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .work_items(&plan, &touchu, None, None)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .work_items(&plan, &d, Some("t6"), Some("zd-hz-admin"))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .work_items(&plan, &d, Some("t1"), None)
                .await
                .unwrap()
                .is_empty()
        );
        db
    })
    .await;
}

#[tokio::test]
async fn reports_late_and_behind() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let keji = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let zone = account(&store, "gxq", "sjz-hz-admin", RoleKind::Reviewer).await;
        let other = account(&store, "zd", "zd-gov", RoleKind::Reporter).await;
        let id = store
            .item_save(&plan, &d, None, &item(), t0())
            .await
            .unwrap();
        // Before the first milestone's day: on time, not behind.
        let r = store
            .report_file(
                &gaoxin_store::Act::of(&plan, &keji, at(1)),
                id,
                "sci-tech",
                nov(),
                &done("已起草计划", 0),
                &[],
            )
            .await
            .unwrap();
        assert!(r > 0);
        // Only for one's own unit, and only units responsible for the item.
        assert!(matches!(
            store
                .report_file(
                    &gaoxin_store::Act::of(&plan, &keji, at(1)),
                    id,
                    "sjz-hz-admin",
                    nov(),
                    &done("x", 0),
                    &[]
                )
                .await,
            Err(DispatchError::NotPermitted)
        ));
        assert!(matches!(
            store
                .report_file(
                    &gaoxin_store::Act::of(&plan, &other, at(1)),
                    id,
                    "zd-gov",
                    nov(),
                    &done("x", 0),
                    &[]
                )
                .await,
            Err(DispatchError::NotPermitted)
        ));
        assert!(matches!(
            store
                .report_file(
                    &gaoxin_store::Act::of(&plan, &d, at(1)),
                    id,
                    "dispatch",
                    nov(),
                    &done("x", 0),
                    &[]
                )
                .await,
            Err(DispatchError::NotPermitted)
        ));
        // A future period, or one before the item existed, is refused.
        for p in [
            YearMonth::new(2026, 12).unwrap(),
            YearMonth::new(2026, 10).unwrap(),
        ] {
            assert!(matches!(
                store
                    .report_file(
                        &gaoxin_store::Act::of(&plan, &zone, at(1)),
                        id,
                        "sjz-hz-admin",
                        p,
                        &done("x", 0),
                        &[]
                    )
                    .await,
                Err(DispatchError::Period { .. })
            ));
        }
        // After 11-15 with the plan not reached: behind, so a reason and next steps are needed.
        let mut behind = done("计划待审批", 0);
        match store
            .report_file(
                &gaoxin_store::Act::of(&plan, &zone, at(16)),
                id,
                "sjz-hz-admin",
                nov(),
                &behind,
                &[],
            )
            .await
        {
            Err(DispatchError::Fields(e)) => {
                let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["behind_reason", "next_steps"]);
                assert!(e[0].zh.contains("制定年度计划"), "{}", e[0].zh);
            }
            other => panic!("{other:?}"),
        }
        behind.behind_reason = "计划需经局务会审议".into();
        behind.next_steps = "12 月 5 日前印发".into();
        // Filed on 11-26, after the 25th: late.
        store
            .report_file(
                &gaoxin_store::Act::of(&plan, &zone, at(16)),
                id,
                "sjz-hz-admin",
                nov(),
                &behind,
                &[],
            )
            .await
            .unwrap();
        let reports = store.period_reports(nov()).await.unwrap();
        assert_eq!(reports.len(), 2);
        let z = reports.iter().find(|r| r.unit == "sjz-hz-admin").unwrap();
        assert!(z.behind && z.late);
        let k = reports.iter().find(|r| r.unit == "sci-tech").unwrap();
        assert!(!k.behind && !k.late);
        // Reports are never changed or removed.
        for sql in [
            "UPDATE progress_reports SET done = 'x'",
            "DELETE FROM progress_reports",
        ] {
            let e = execute(&store, sql).await.unwrap_err().to_string();
            assert!(e.contains("append-only"), "{sql}: {e}");
        }
        db
    })
    .await;
}

#[tokio::test]
async fn attachments_stay_their_uploaders_until_filed() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let keji = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let keji2 = account(&store, "keji2", "sci-tech", RoleKind::Reporter).await;
        let touchu = account(&store, "touchu", "investment", RoleKind::Reporter).await;
        let id = store
            .item_save(&plan, &d, None, &item(), t0())
            .await
            .unwrap();
        let it = store.work_item(id).await.unwrap().unwrap();
        let pdf = b"%PDF-1.4 test".to_vec();
        // Refused files are not kept.
        for (name, bytes) in [("a.exe", b"MZ..".to_vec()), ("a.docx", pdf.clone())] {
            assert!(matches!(
                store.attachment_stash(&keji, &it, name, &bytes, t0()).await,
                Err(DispatchError::Attachment(_))
            ));
        }
        assert!(matches!(
            store
                .attachment_stash(&touchu, &it, "a.pdf", &pdf, t0())
                .await,
            Err(DispatchError::NotPermitted)
        ));
        assert_eq!(count(&store, "report_attachments").await, 0);
        let a = store
            .attachment_stash(&keji, &it, "../进展.pdf", &pdf, t0())
            .await
            .unwrap();
        assert_eq!(a.file_name, "进展.pdf");
        assert_eq!(a.size, pdf.len() as i64);
        // Another account of the same unit cannot file it with its own report: nothing written.
        let before = count(&store, "progress_reports").await;
        assert!(matches!(
            store
                .report_file(
                    &gaoxin_store::Act::of(&plan, &keji2, t0()),
                    id,
                    "sci-tech",
                    nov(),
                    &done("x", 0),
                    &[a.id]
                )
                .await,
            Err(DispatchError::AttachmentGone)
        ));
        assert_eq!(count(&store, "progress_reports").await, before);
        let r = store
            .report_file(
                &gaoxin_store::Act::of(&plan, &keji, t0()),
                id,
                "sci-tech",
                nov(),
                &done("附清单", 0),
                &[a.id],
            )
            .await
            .unwrap();
        let reports = store.reports_of(id).await.unwrap();
        assert_eq!(reports[0].attachments.len(), 1);
        let (meta, bytes) = store.attachment(a.id).await.unwrap().unwrap();
        assert_eq!((meta.report_id, bytes), (Some(r), pdf));
        // Filed once: it cannot go with a second report.
        assert!(matches!(
            store
                .report_file(
                    &gaoxin_store::Act::of(&plan, &keji, t0()),
                    id,
                    "sci-tech",
                    nov(),
                    &done("y", 0),
                    &[a.id]
                )
                .await,
            Err(DispatchError::AttachmentGone)
        ));
        db
    })
    .await;
}

#[tokio::test]
async fn units_are_reminded_to_report_once() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let keji = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let zone = account(&store, "gxq", "sjz-hz-admin", RoleKind::Reporter).await;
        let id = store
            .item_save(&plan, &d, None, &item(), t0())
            .await
            .unwrap();
        let notices = |a: Account| {
            let store = store.clone();
            async move {
                let mut n: Vec<String> = store
                    .inbox(a.id, 50)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|m| m.notice)
                    .collect();
                n.sort();
                n
            }
        };
        // 11-10: nothing yet (October was before the item).
        let r = store.report_tick(&plan, t0()).await.unwrap();
        assert_eq!((r.reminded, r.overdue), (0, 0));
        // 11-22, three days before the 25th: both units reminded, once.
        assert_eq!(store.report_tick(&plan, at(12)).await.unwrap().reminded, 2);
        assert_eq!(store.report_tick(&plan, at(13)).await.unwrap().reminded, 0);
        // 市科技局 reports; on 11-26 only the zone is overdue, and the dispatcher hears of it.
        store
            .report_file(
                &gaoxin_store::Act::of(&plan, &keji, at(14)),
                id,
                "sci-tech",
                nov(),
                &done("已起草", 1),
                &[],
            )
            .await
            .unwrap();
        let r = store.report_tick(&plan, at(16)).await.unwrap();
        assert_eq!((r.reminded, r.overdue), (0, 1));
        assert_eq!(store.report_tick(&plan, at(17)).await.unwrap().overdue, 0);
        assert_eq!(notices(keji.clone()).await, ["report_due"]);
        assert_eq!(
            notices(zone.clone()).await,
            ["report_due", "report_overdue"]
        );
        assert_eq!(notices(d.clone()).await, ["report_overdue"]);
        db
    })
    .await;
}

#[test]
fn the_reminder_check_of_a_quarterly_plan_finishes() {
    // It once stepped back from a quarter by one month, which is the same quarter: with the
    // quarter's report still due, the check never finished (the server's tick hung). It runs on
    // a thread of its own, so a check that never yields fails this test instead of hanging it.
    let quarterly = SEED.replace("report_cycle = \"monthly\"", "report_cycle = \"quarterly\"");
    assert_ne!(quarterly, SEED);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let overdue = rt.block_on(async {
            let dir = crate::support::TempDir::new();
            let url = gaoxin_store::DatabaseUrl::parse(&format!(
                "sqlite://{}",
                dir.path().join("q.db").display()
            ))
            .unwrap();
            let store = Store::open(&url)
                .await
                .unwrap()
                .sealing(crate::support::audit_key());
            store
                .load_plan("quarterly.toml", &quarterly, t0())
                .await
                .unwrap();
            let plan = Plan::parse("quarterly.toml", &quarterly).unwrap();
            let overdue = store.report_tick(&plan, t0()).await.unwrap().overdue;
            store.close().await;
            overdue
        });
        let _ = tx.send(overdue);
    });
    let overdue = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the check finishes");
    assert_eq!(overdue, 0);
}

#[tokio::test]
async fn a_returned_report_is_owed_again_and_the_unit_is_told() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        let d = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let keji = account(&store, "keji", "sci-tech", RoleKind::Reporter).await;
        let zone = account(&store, "gxq", "sjz-hz-admin", RoleKind::Reporter).await;
        let id = store
            .item_save(&plan, &d, None, &item(), t0())
            .await
            .unwrap();
        let file = |who: Account, text: &'static str| {
            let store = store.clone();
            let plan = plan.clone();
            async move {
                store
                    .report_file(
                        &gaoxin_store::Act::of(&plan, &who, at(1)),
                        id,
                        &who.unit.clone(),
                        nov(),
                        &done(text, 0),
                        &[],
                    )
                    .await
                    .unwrap()
            }
        };
        let first = file(keji.clone(), "已起草计划").await;
        let zone_report = file(zone.clone(), "已报名 3 家企业").await;
        store.inbox_mark_read(keji.id, None, at(1)).await.unwrap();
        let filed = |p| {
            let store = store.clone();
            async move {
                let mut units: Vec<String> = store
                    .period_reports(p)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|r| r.unit)
                    .collect();
                units.sort();
                units
            }
        };
        assert_eq!(filed(nov()).await, ["sci-tech", "sjz-hz-admin"]);

        // Only the dispatch office returns, with a reason; a refusal writes nothing.
        let act = |who| gaoxin_store::Act::of(&plan, who, at(2));
        assert!(matches!(
            store.report_return(&act(&keji), zone_report, "x").await,
            Err(DispatchError::NotPermitted)
        ));
        match store.report_return(&act(&d), first, "  ").await {
            Err(DispatchError::Fields(e)) => assert_eq!(e[0].field, "reason"),
            other => panic!("expected a missing reason, got {other:?}"),
        }
        assert_eq!(count(&store, "report_returns").await, 0);
        store
            .report_return(&act(&d), first, "请补充活动时间表。")
            .await
            .unwrap();
        // 市科技局 owes November's report again; the zone's still counts.
        assert_eq!(filed(nov()).await, ["sjz-hz-admin"]);
        let reports = store.reports_of(id).await.unwrap();
        let returned = reports.iter().find(|r| r.id == first).unwrap();
        assert!(returned.withdrawn);
        assert_eq!(
            returned.returned.as_ref().map(|x| x.reason.as_str()),
            Some("请补充活动时间表。")
        );
        // The unit is told, with the reason and a link to the item; the dispatch office is not.
        let told = store.inbox(keji.id, 10).await.unwrap();
        assert_eq!(told[0].notice, "report_returned");
        assert!(
            told[0].body.contains("请补充活动时间表。"),
            "{}",
            told[0].body
        );
        assert_eq!(told[0].link, format!("/work/{id}"));
        assert!(store.inbox(d.id, 10).await.unwrap().is_empty());
        // Once only.
        assert!(matches!(
            store.report_return(&act(&d), first, "再退").await,
            Err(DispatchError::NotStanding)
        ));
        // Filed again, it counts; the returned one cannot be returned over the new one.
        let again = file(keji.clone(), "已补充时间表").await;
        assert_eq!(filed(nov()).await, ["sci-tech", "sjz-hz-admin"]);
        assert!(matches!(
            store.report_return(&act(&d), first, "x").await,
            Err(DispatchError::NotStanding)
        ));
        assert!(again > first);
        // The record is append-only.
        assert!(execute(&store, "DELETE FROM report_returns").await.is_err());
        db
    })
    .await;
}

#[tokio::test]
async fn the_work_item_list_is_filtered_ordered_and_paged_in_sql() {
    each_backend(|store, db| async move {
        let plan = setup(&store).await;
        // Items on tasks out of the plan's order, led and partnered by different units.
        let tasks = ["t13", "t2", "t6", "t1", "t10", "t4"];
        let units = ["sci-tech", "drc", "finance", "sjz-hz-admin", "zd-hz-admin"];
        for i in 0..60_usize {
            let lead = units[i % units.len()];
            let partners = match i % 3 {
                0 => String::new(),
                1 => units[(i + 1) % units.len()].to_string(),
                _ => format!(
                    "{},{}",
                    units[(i + 2) % units.len()],
                    units[(i + 3) % units.len()]
                ),
            };
            execute(
                &store,
                &format!(
                    "INSERT INTO work_items (task_id, title, lead, partners, milestones, version, \
                     created_by, created_at, updated_by, updated_at) VALUES ('{}', '事项 {i}', \
                     '{lead}', '{partners}', '[]', 1, 'd', {t}, 'd', {t})",
                    tasks[i % tasks.len()],
                    t = t0().0
                ),
            )
            .await
            .unwrap();
        }
        let readers = [
            account(&store, "d", "dispatch", RoleKind::Dispatcher).await,
            account(&store, "boss", "dispatch", RoleKind::Leader).await,
            account(&store, "keji", "sci-tech", RoleKind::Reporter).await,
            account(&store, "fagai", "drc", RoleKind::Reviewer).await,
            account(&store, "zd", "zd-hz-admin", RoleKind::Reporter).await,
            account(&store, "screen", "sci-tech", RoleKind::Screen).await,
        ];
        let position = |t: &str| plan.tasks.iter().position(|x| x.id == t).unwrap();
        for who in &readers {
            for (task, unit) in [
                (None, None),
                (Some("t6"), None),
                (None, Some("finance")),
                (Some("t2"), Some("sci-tech")),
            ] {
                // What the rules say, in the plan's order of tasks.
                let mut expected: Vec<(usize, i64)> = store
                    .work_items(&plan, &readers[0], None, None)
                    .await
                    .unwrap()
                    .iter()
                    .filter(|i| {
                        gaoxin_core::dispatch::may_see(&plan, who.who(), &i.task, &i.responsible())
                            && task.is_none_or(|t| i.task == t)
                            && unit.is_none_or(|u| i.responsible().iter().any(|r| r == u))
                    })
                    .map(|i| (position(&i.task), i.id))
                    .collect();
                expected.sort_unstable();
                let want: Vec<i64> = expected.iter().map(|(_, id)| *id).collect();
                let mut paged = Vec::new();
                for page in 0.. {
                    let (items, total) = store
                        .work_item_page(&plan, who, task, unit, page * 7, 7)
                        .await
                        .unwrap();
                    assert_eq!(total, want.len() as i64);
                    if items.is_empty() {
                        break;
                    }
                    paged.extend(items.iter().map(|i| i.id));
                }
                assert_eq!(paged, want, "{} {task:?} {unit:?}", who.username);
            }
        }
        // The dispatcher's list is every item; the screen's, none.
        assert_eq!(
            store
                .work_items(&plan, &readers[0], None, None)
                .await
                .unwrap()
                .len(),
            60
        );
        assert!(
            store
                .work_items(&plan, &readers[5], None, None)
                .await
                .unwrap()
                .is_empty()
        );
        db
    })
    .await;
}
