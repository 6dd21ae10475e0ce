//! The storage suite: every test runs on SQLite, and on PostgreSQL when `GAOXIN_TEST_PG_URL`
//! is set, each in a database of its own.

use crate::support::{SEED, SEED_NAME, TestDb, each_backend};
use gaoxin_core::time::Timestamp;
use gaoxin_store::{Backend, PlanLoad, SqlitePragma, Store, StoreError};

const T0: Timestamp = Timestamp(1_795_800_000);

/// The seed plan as the 正式稿 (final edition) with one target changed.
fn final_edition() -> String {
    SEED.replacen("edition = \"征求意见稿\"", "edition = \"正式稿\"", 1)
        .replacen("year = 2025\nvalue = 7\n", "year = 2025\nvalue = 7.5\n", 1)
}

#[tokio::test]
async fn fresh_database_is_migrated_and_empty() {
    each_backend(|store: Store, db: TestDb| async move {
        assert_eq!(store.current_plan_version_id().await.unwrap(), None);
        assert!(store.current_plan().await.unwrap().is_none());
        assert!(store.plan_versions().await.unwrap().is_empty());
        store.ping().await.unwrap();
        // Opening again applies nothing twice.
        let again = Store::open(&db.url()).await.unwrap();
        again.close().await;
        db
    })
    .await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_full_sync_and_foreign_keys() {
    each_backend(|store: Store, db: TestDb| async move {
        if store.backend() == Backend::Sqlite {
            let mode = store
                .sqlite_pragma(SqlitePragma::JournalMode)
                .await
                .unwrap();
            assert_eq!(mode.as_deref(), Some("wal"));
            // 2 = FULL
            let sync = store
                .sqlite_pragma(SqlitePragma::Synchronous)
                .await
                .unwrap();
            assert_eq!(sync.as_deref(), Some("2"));
            let fk = store
                .sqlite_pragma(SqlitePragma::ForeignKeys)
                .await
                .unwrap();
            assert_eq!(fk.as_deref(), Some("1"));
        } else {
            assert_eq!(
                store
                    .sqlite_pragma(SqlitePragma::JournalMode)
                    .await
                    .unwrap(),
                None
            );
        }
        db
    })
    .await;
}

#[tokio::test]
async fn loading_the_seed_adds_version_one_with_every_row() {
    each_backend(|store: Store, db: TestDb| async move {
        let load = store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        let PlanLoad::Added(v) = load else {
            panic!("expected a new version, got {load:?}")
        };
        assert_eq!(v.version_no, 1);
        assert_eq!(v.edition, "征求意见稿");
        assert_eq!(
            v.target_count, 35,
            "19 targets for 石家庄高新区, 16 for 正定高新区"
        );
        assert_eq!(v.task_count, 16, "13 key tasks and 3 safeguard measures");
        assert_eq!(v.loaded_at, "2026-11-28T01:20:00+08:00");
        let current = store.current_plan().await.unwrap().expect("a current plan");
        assert_eq!(current.version, v);
        assert_eq!(current.plan.targets.len(), 35);
        assert_eq!(
            current
                .plan
                .target("zd-hz", "tax-share-county", 2026)
                .map(|t| t.value),
            Some(48.0)
        );
        db
    })
    .await;
}

#[tokio::test]
async fn loading_the_same_file_again_changes_nothing() {
    each_backend(|store: Store, db: TestDb| async move {
        let first = store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        let second = store
            .load_plan("elsewhere/copy.toml", SEED, Timestamp(T0.0 + 60))
            .await
            .unwrap();
        assert_eq!(second, PlanLoad::Unchanged(first.version().clone()));
        assert_eq!(store.plan_versions().await.unwrap().len(), 1);
        db
    })
    .await;
}

#[tokio::test]
async fn loading_a_changed_file_adds_a_version_and_keeps_the_old_one() {
    each_backend(|store: Store, db: TestDb| async move {
        let draft = store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        let final_ = store
            .load_plan(
                "plans/final.toml",
                &final_edition(),
                Timestamp(T0.0 + 86_400),
            )
            .await
            .unwrap();
        let PlanLoad::Added(v2) = final_ else {
            panic!("expected a new version")
        };
        assert_eq!(v2.version_no, 2);
        assert_eq!(v2.edition, "正式稿");
        let versions = store.plan_versions().await.unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(&versions[0], draft.version(), "the draft is kept as it was");
        let current = store.current_plan().await.unwrap().unwrap();
        assert_eq!(current.version.id, v2.id);
        assert_eq!(
            current
                .plan
                .target("sjz-hz", "revenue-growth", 2025)
                .map(|t| t.value),
            Some(7.5)
        );
        // Loading the draft again is recognised as version 1, not added a third time.
        let again = store
            .load_plan(SEED_NAME, SEED, Timestamp(T0.0 + 2 * 86_400))
            .await
            .unwrap();
        assert_eq!(again, PlanLoad::Unchanged(draft.version().clone()));
        db
    })
    .await;
}

#[tokio::test]
async fn an_invalid_plan_writes_nothing() {
    each_backend(|store: Store, db: TestDb| async move {
        let broken = SEED.replacen("lead = [\"sci-tech\"]", "lead = [\"no-such-dept\"]", 1);
        let err = store
            .load_plan("broken.toml", &broken, T0)
            .await
            .unwrap_err();
        let StoreError::InvalidPlan(errors) = err else {
            panic!("expected InvalidPlan, got {err}")
        };
        assert_eq!(errors.errors.len(), 1);
        assert!(store.plan_versions().await.unwrap().is_empty());
        db
    })
    .await;
}

#[tokio::test]
async fn concurrent_loads_of_one_new_file_make_one_version() {
    each_backend(|store: Store, db: TestDb| async move {
        let loads = (0..4).map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.load_plan(SEED_NAME, SEED, Timestamp(T0.0 + i)).await })
        });
        let mut added = 0;
        for h in loads {
            match h.await.unwrap().unwrap() {
                PlanLoad::Added(_) => added += 1,
                PlanLoad::Unchanged(_) => {}
            }
        }
        assert_eq!(added, 1);
        assert_eq!(store.plan_versions().await.unwrap().len(), 1);
        db
    })
    .await;
}

#[tokio::test]
async fn the_schema_refuses_rows_that_break_its_rules() {
    each_backend(|store: Store, db: TestDb| async move {
        store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        // Foreign keys hold on both backends: a target for a zone the version lacks is refused.
        let refused = gaoxin_store::testing::execute(
            &store,
            "INSERT INTO plan_targets (plan_version_id, zone_key, indicator_key, year, value, quote) \
             VALUES (1, 'no-such-zone', 'gdp-growth', 2025, 1, 'x')",
        )
        .await;
        assert!(refused.is_err(), "a dangling zone must be refused");
        db
    })
    .await;
}

/// The value as a reporting tool compares it: numbers by value (`3` and `3.0` alike).
fn cell(v: Option<String>) -> Option<String> {
    v.map(|s| s.parse::<f64>().map_or(s, |x| x.to_string()))
}

fn text<T: serde::Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
}

/// The reporting tables (docs/reporting.md) as the plan says they must read.
fn expected_tables(plan: &gaoxin_core::Plan) -> Vec<(&'static str, Vec<Vec<Option<String>>>)> {
    let s = |v: &str| Some(v.to_string());
    let n = |v: f64| Some(v.to_string());
    let o = |v: &Option<String>| v.clone();
    let mut tasks = Vec::new();
    let mut task_departments = Vec::new();
    for t in &plan.tasks {
        let group = plan.group(&t.group).unwrap();
        tasks.push(vec![
            s(&t.id),
            s(&t.group),
            Some(format!("{}{}", group.label, group.title)),
            text(&group.kind),
            n(f64::from(t.no)),
            s(&t.title),
            n(f64::from(u8::from(t.lead_and_others))),
            s(&t.quote.text),
        ]);
        let lead = t.lead.iter().map(|d| (d, "lead"));
        let implementing = t.implementing.iter().map(|d| (d, "implementing"));
        for (position, (d, role)) in lead.chain(implementing).enumerate() {
            task_departments.push(vec![s(&t.id), s(d), s(role), n(position as f64)]);
        }
    }
    let tables = vec![
        (
            "plan_units",
            plan.units
                .iter()
                .map(|u| {
                    vec![
                        s(&u.id),
                        s(&u.name),
                        text(&u.kind),
                        o(&u.parent),
                        o(&u.share_base),
                    ]
                })
                .collect(),
        ),
        (
            "plan_departments",
            plan.departments
                .iter()
                .map(|d| vec![s(&d.id), s(&d.name), text(&d.kind), o(&d.unit)])
                .collect(),
        ),
        (
            "plan_figures",
            plan.figures
                .iter()
                .map(|f| {
                    vec![
                        s(&f.id),
                        s(&f.name),
                        s(&f.unit),
                        text(&f.kind),
                        text(&f.frequency),
                        s(&f.source),
                    ]
                })
                .collect(),
        ),
        (
            "plan_indicators",
            plan.indicators
                .iter()
                .map(|i| {
                    vec![
                        s(&i.id),
                        s(&i.name),
                        text(&i.kind),
                        s(&i.unit),
                        s(i.comparator.as_ascii()),
                        s(&i.basis),
                        o(&i.figure),
                    ]
                })
                .collect(),
        ),
        (
            "plan_targets",
            plan.targets
                .iter()
                .map(|t| {
                    vec![
                        s(&t.zone),
                        s(&t.indicator),
                        n(f64::from(t.year)),
                        n(t.value),
                        s(&t.quote.text),
                    ]
                })
                .collect(),
        ),
        ("plan_tasks", tasks),
        ("plan_task_departments", task_departments),
        (
            "plan_subtargets",
            plan.subtargets
                .iter()
                .map(|x| {
                    vec![
                        s(&x.id),
                        s(&x.task),
                        s(&x.name),
                        text(&x.scope),
                        text(&x.cadence),
                        x.year.map(|y| y.to_string()),
                        s(x.comparator.as_ascii()),
                        n(x.value),
                        x.max.map(|m| m.to_string()),
                        s(&x.unit),
                        s(&x.quote.text),
                    ]
                })
                .collect(),
        ),
    ];
    tables
        .into_iter()
        .map(|(t, rows): (&str, Vec<Vec<Option<String>>>)| {
            let mut rows: Vec<Vec<Option<String>>> = rows
                .into_iter()
                .map(|r| r.into_iter().map(cell).collect())
                .collect();
            rows.sort();
            (t, rows)
        })
        .collect()
}

#[tokio::test]
async fn the_reporting_tables_hold_the_plan_as_loaded() {
    each_backend(|store: Store, db: TestDb| async move {
        let v = store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        let plan = store.current_plan().await.unwrap().unwrap().plan;
        let expected = expected_tables(&plan);
        // Every table the store calls a reporting table is checked here.
        let names: Vec<&str> = expected.iter().map(|(t, _)| *t).collect();
        let declared: Vec<&str> = gaoxin_store::REPORTING_TABLES
            .iter()
            .map(|(t, _)| *t)
            .collect();
        assert_eq!(names, declared);
        for (table, want) in expected {
            assert!(!want.is_empty(), "{table}: the seed plan has rows for it");
            let got: Vec<Vec<Option<String>>> = store
                .plan_table(v.version().id, table)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.into_iter().map(cell).collect())
                .collect();
            let mut got = got;
            got.sort();
            assert_eq!(got, want, "{table}");
        }
        db
    })
    .await;
}
