//! Accounts and the audit log in the store: every change audited in its own transaction, the
//! audit table append-only, and the chain's verification naming the first broken event.

use crate::support::{TestDb, each_backend};
use gaoxin_core::audit::BreakReason;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::time::Timestamp;
use gaoxin_store::testing::execute;
use gaoxin_store::{Actor, AuditFilter, AuditKey, NewAccount, Store, StoreError};

const T0: Timestamp = Timestamp(1_795_800_000);

fn key() -> AuditKey {
    AuditKey::from_bytes(b"test audit key, 32 bytes long!!!".to_vec())
}

fn new(username: &str, roles: &[RoleKind]) -> NewAccount {
    NewAccount {
        username: username.into(),
        unit: "sci-tech".into(),
        roles: roles.to_vec(),
        password_hash: gaoxin_core::auth::password::hash("Gx2025!ok", &[1; 16]).unwrap(),
        must_change_password: true,
        full_name: String::new(),
        phone: String::new(),
    }
}

#[tokio::test]
async fn creating_an_account_writes_one_audit_event_with_its_values() {
    each_backend(|store: Store, db: TestDb| async move {
        let actor = Actor::console();
        let a = store
            .create_account(&key(), &actor, &new("clerk", &[RoleKind::Reporter]), T0)
            .await
            .unwrap();
        assert_eq!(a.roles, vec![RoleKind::Reporter]);
        assert!(a.must_change_password && !a.disabled);
        let events = store.audit_events(&AuditFilter::default()).await.unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(
            (
                e.id,
                e.action.as_str(),
                e.target.as_str(),
                e.result.as_str()
            ),
            (1, "account.create", "account:clerk", "success")
        );
        assert_eq!(e.at, "2026-11-28T01:20:00+08:00");
        assert!(
            e.after
                .as_deref()
                .unwrap()
                .contains("\"roles\":[\"reporter\"]")
        );
        assert!(
            !e.after.as_deref().unwrap().contains("argon2"),
            "no secrets in the audit log"
        );
        assert_eq!(store.verify_audit(&key()).await.unwrap(), Ok(1));
        db
    })
    .await;
}

#[tokio::test]
async fn a_refused_change_writes_nothing() {
    each_backend(|store: Store, db: TestDb| async move {
        let actor = Actor::console();
        store
            .create_account(&key(), &actor, &new("clerk", &[RoleKind::Reporter]), T0)
            .await
            .unwrap();
        let dup = store
            .create_account(&key(), &actor, &new("clerk", &[RoleKind::Leader]), T0)
            .await;
        assert!(matches!(dup, Err(StoreError::AccountExists { .. })));
        let two_admins = store
            .create_account(
                &key(),
                &actor,
                &new("root", &[RoleKind::SystemAdmin, RoleKind::AuditAdmin]),
                T0,
            )
            .await;
        assert!(matches!(two_admins, Err(StoreError::InvalidRoles(_))));
        assert_eq!(store.accounts().await.unwrap().len(), 1);
        assert_eq!(
            store
                .audit_events(&AuditFilter::default())
                .await
                .unwrap()
                .len(),
            1
        );
        db
    })
    .await;
}

#[tokio::test]
async fn disabling_is_audited_with_before_and_after() {
    each_backend(|store: Store, db: TestDb| async move {
        let actor = Actor::console();
        store
            .create_account(&key(), &actor, &new("clerk", &[RoleKind::Reporter]), T0)
            .await
            .unwrap();
        let a = store
            .disable_account(&key(), &actor, "clerk", Timestamp(T0.0 + 60))
            .await
            .unwrap();
        assert!(a.disabled);
        let again = store.disable_account(&key(), &actor, "clerk", T0).await;
        assert!(matches!(again, Err(StoreError::AlreadyDisabled { .. })));
        let missing = store.disable_account(&key(), &actor, "nobody", T0).await;
        assert!(matches!(missing, Err(StoreError::NoSuchAccount { .. })));
        let filter = AuditFilter {
            action: Some("account.disable".into()),
            ..Default::default()
        };
        let events = store.audit_events(&filter).await.unwrap();
        assert_eq!(events.len(), 1);
        assert!(
            events[0]
                .before
                .as_deref()
                .unwrap()
                .contains("\"disabled\":false")
        );
        assert!(
            events[0]
                .after
                .as_deref()
                .unwrap()
                .contains("\"disabled\":true")
        );
        db
    })
    .await;
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_events() {
    each_backend(|store: Store, db: TestDb| async move {
        store
            .create_account(
                &key(),
                &Actor::console(),
                &new("clerk", &[RoleKind::Reporter]),
                T0,
            )
            .await
            .unwrap();
        let update = execute(
            &store,
            "UPDATE audit_events SET result = 'failure' WHERE id = 1",
        )
        .await;
        assert!(update.is_err(), "UPDATE must be refused");
        let delete = execute(&store, "DELETE FROM audit_events WHERE id = 1").await;
        assert!(delete.is_err(), "DELETE must be refused");
        assert_eq!(store.verify_audit(&key()).await.unwrap(), Ok(1));
        db
    })
    .await;
}

/// Drops the guarding triggers, as someone with the database's files or superuser rights could.
async fn drop_guards(store: &Store) {
    match store.backend() {
        gaoxin_store::Backend::Sqlite => {
            execute(store, "DROP TRIGGER audit_events_no_update")
                .await
                .unwrap();
            execute(store, "DROP TRIGGER audit_events_no_delete")
                .await
                .unwrap();
        }
        gaoxin_store::Backend::Postgres => {
            execute(store, "DROP TRIGGER audit_events_no_change ON audit_events")
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn verify_names_the_first_edited_or_deleted_event() {
    each_backend(|store: Store, db: TestDb| async move {
        let actor = Actor::console();
        for name in ["a1", "a2", "a3", "a4"] {
            store
                .create_account(&key(), &actor, &new(name, &[RoleKind::Reporter]), T0)
                .await
                .unwrap();
        }
        assert_eq!(store.verify_audit(&key()).await.unwrap(), Ok(4));
        let wrong_key = AuditKey::from_bytes(b"another key".to_vec());
        assert!(store.verify_audit(&wrong_key).await.unwrap().is_err());
        drop_guards(&store).await;
        execute(
            &store,
            "UPDATE audit_events SET account = 'someone-else' WHERE id = 3",
        )
        .await
        .unwrap();
        let broken = store.verify_audit(&key()).await.unwrap().unwrap_err();
        assert_eq!(
            (broken.event_id, broken.reason),
            (3, BreakReason::SealMismatch)
        );
        execute(&store, "DELETE FROM audit_events WHERE id = 2")
            .await
            .unwrap();
        let broken = store.verify_audit(&key()).await.unwrap().unwrap_err();
        assert_eq!((broken.event_id, broken.reason), (2, BreakReason::Missing));
        db
    })
    .await;
}

#[tokio::test]
async fn verify_streams_the_chain_page_by_page_and_still_finds_every_break() {
    each_backend(|store: Store, db: TestDb| async move {
        let actor = Actor::console();
        for n in 1..=7 {
            store
                .create_account(
                    &key(),
                    &actor,
                    &new(&format!("u{n}"), &[RoleKind::Reporter]),
                    T0,
                )
                .await
                .unwrap();
        }
        // Pages of 1, 2, 3 and one page of all: the same answer.
        for page in [1, 2, 3, 7, 100] {
            assert_eq!(
                store.verify_audit_in_pages(&key(), page).await.unwrap(),
                Ok(7),
                "page {page}"
            );
        }
        drop_guards(&store).await;
        let first_break = async || {
            store
                .verify_audit_in_pages(&key(), 2)
                .await
                .unwrap()
                .unwrap_err()
        };
        // An edit in the third page of two.
        execute(&store, "UPDATE audit_events SET target = 'x' WHERE id = 6")
            .await
            .unwrap();
        let broken = first_break().await;
        assert_eq!(
            (broken.event_id, broken.reason),
            (6, BreakReason::SealMismatch)
        );
        // The last event removed (the head still names it): the end is missing.
        execute(&store, "DELETE FROM audit_events WHERE id >= 6")
            .await
            .unwrap();
        let broken = first_break().await;
        assert_eq!(
            (broken.event_id, broken.reason),
            (6, BreakReason::HeadMismatch)
        );
        db
    })
    .await;
}

#[tokio::test]
async fn the_bench_s_generated_chain_verifies_and_real_events_continue_it() {
    each_backend(|store: Store, db: TestDb| async move {
        // More than one statement's and one page's worth, in two calls.
        assert_eq!(store.fill_audit_for_bench(&key(), 700).await.unwrap(), 700);
        assert_eq!(
            store.fill_audit_for_bench(&key(), 1_300).await.unwrap(),
            600
        );
        assert_eq!(store.fill_audit_for_bench(&key(), 1_000).await.unwrap(), 0);
        store
            .create_account(
                &key(),
                &Actor::console(),
                &new("after", &[RoleKind::Reporter]),
                T0,
            )
            .await
            .unwrap();
        assert_eq!(
            store.verify_audit_in_pages(&key(), 256).await.unwrap(),
            Ok(1_301)
        );
        db
    })
    .await;
}

#[tokio::test]
async fn a_persons_name_and_phone_are_kept_checked_and_audited() {
    each_backend(|store: Store, db: TestDb| async move {
        let actor = Actor::console();
        // Made with a name and phone (trimmed); a bad phone refuses the whole account.
        let mut n = new("keji", &[RoleKind::Reporter]);
        n.full_name = " 张三 ".into();
        n.phone = "0311-87681234".into();
        let a = store.create_account(&key(), &actor, &n, T0).await.unwrap();
        assert_eq!(
            (a.full_name.as_str(), a.phone.as_str()),
            ("张三", "0311-87681234")
        );
        assert_eq!(a.person(), "张三（keji）");
        let mut bad = new("touchu", &[RoleKind::Reporter]);
        bad.phone = "call me".into();
        assert!(matches!(
            store.create_account(&key(), &actor, &bad, T0).await,
            Err(StoreError::InvalidProfile(
                gaoxin_core::auth::ProfileError::Phone
            ))
        ));
        assert!(store.account("touchu").await.unwrap().is_none());
        // Changed, audited with before and after; a refused change writes nothing.
        let before = store
            .audit_events(&AuditFilter::default())
            .await
            .unwrap()
            .len();
        store
            .set_profile(&key(), &actor, "keji", "张三丰", "13800000000", T0)
            .await
            .unwrap();
        assert!(matches!(
            store
                .set_profile(&key(), &actor, "keji", &"名".repeat(41), "", T0)
                .await,
            Err(StoreError::InvalidProfile(
                gaoxin_core::auth::ProfileError::Name
            ))
        ));
        let events = store.audit_events(&AuditFilter::default()).await.unwrap();
        assert_eq!(events.len(), before + 1);
        let e = events
            .iter()
            .find(|e| e.action == "account.profile")
            .unwrap();
        assert!(e.before.as_deref().unwrap().contains("张三\""));
        assert!(e.after.as_deref().unwrap().contains("13800000000"));
        let a = store.account("keji").await.unwrap().unwrap();
        assert_eq!(
            (a.full_name.as_str(), a.phone.as_str()),
            ("张三丰", "13800000000")
        );
        // Histories read names by user name; accounts without one are not listed.
        store
            .create_account(&key(), &actor, &new("nobody", &[RoleKind::Reporter]), T0)
            .await
            .unwrap();
        let people = store.people().await.unwrap();
        assert_eq!(people.get("keji").map(String::as_str), Some("张三丰"));
        assert!(!people.contains_key("nobody"));
        db
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_is_filtered_and_paged_newest_first_in_sql() {
    each_backend(|store: Store, db: TestDb| async move {
        let key = key();
        let actors: Vec<Actor> = [("alice", "sci-tech"), ("bob", "drc"), ("carol", "sci-tech")]
            .into_iter()
            .map(|(account, unit)| Actor {
                account: account.into(),
                role: "reporter".into(),
                unit: unit.into(),
                ip: "10.0.0.1".into(),
            })
            .collect();
        // 2026-12-01 00:00 Beijing, then an event every 5 hours; every seventh written late
        // (its time before the one written just before it), as a slow request's would be.
        let start = Timestamp::from_civil(2026, 12, 1, 0).0;
        for i in 0..60_i64 {
            let at = start + i * 5 * 3600 - if i % 7 == 6 { 6 * 3600 } else { 0 };
            let actor = &actors[(i % 3) as usize];
            let action = if i % 4 == 0 {
                "login.failure"
            } else {
                "figure.save"
            };
            let rec = gaoxin_store::AuditRecord::new(actor, action, format!("t{i}"), "success");
            store.audit(&key, &rec, Timestamp(at)).await.unwrap();
        }
        let all = store
            .audit_events(&AuditFilter {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 60);
        // Newest first by time, the id breaking ties.
        for w in all.windows(2) {
            assert!((w[0].at.as_str(), w[0].id) > (w[1].at.as_str(), w[1].id));
        }
        let filters = [
            AuditFilter::default(),
            AuditFilter {
                account: Some("alice".into()),
                ..Default::default()
            },
            AuditFilter {
                unit: Some("sci-tech".into()),
                action: Some("figure.save".into()),
                ..Default::default()
            },
            AuditFilter {
                from: Some("2026-12-03T00:00:00+08:00".into()),
                to: Some("2026-12-07T23:59:59+08:00".into()),
                ..Default::default()
            },
            AuditFilter {
                from: Some("2026-12-05T00:00:00+08:00".into()),
                account: Some("bob".into()),
                ..Default::default()
            },
        ];
        for filter in filters {
            let expected: Vec<i64> = all
                .iter()
                .filter(|e| {
                    filter.from.as_deref().is_none_or(|f| e.at.as_str() >= f)
                        && filter.to.as_deref().is_none_or(|t| e.at.as_str() <= t)
                        && filter.account.as_deref().is_none_or(|a| e.account == a)
                        && filter.action.as_deref().is_none_or(|a| e.action == a)
                        && filter.unit.as_deref().is_none_or(|u| e.unit == u)
                })
                .map(|e| e.id)
                .collect();
            assert!(!expected.is_empty(), "{filter:?}");
            // Pages of 4, each after the last event of the one before.
            let mut paged = Vec::new();
            let mut before = None;
            loop {
                let page = store
                    .audit_events(&AuditFilter {
                        limit: 4,
                        before,
                        ..filter.clone()
                    })
                    .await
                    .unwrap();
                paged.extend(page.iter().map(|e| e.id));
                if page.len() < 4 {
                    break;
                }
                before = page.last().map(|e| e.id);
            }
            assert_eq!(paged, expected, "{filter:?}");
        }
        db
    })
    .await;
}
