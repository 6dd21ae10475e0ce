//! Ledgers in the store, on SQLite and PostgreSQL: all-or-nothing imports, refusal of a file
//! imported before, rights by unit, references between ledgers, optimistic concurrency, history,
//! the list's search, filters, sorting and paging, and the counts the figures take.

use crate::support::{SEED, SEED_NAME, TestDb, each_backend};
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::ledger::sheet::{ParsedRow, parse};
use gaoxin_core::ledger::value::{Cell, uscc_check_char};
use gaoxin_core::ledger::{Count, Ledger, Record, check};
use gaoxin_core::monitor::workflow::{Step, WorkflowError};
use gaoxin_core::monitor::{YearMonth, evaluate};
use gaoxin_core::time::Timestamp;
use gaoxin_store::testing::execute;
use gaoxin_store::{
    Account, COUNT_LIMIT, CountAt, Day, FigureError, LedgerError, ListQuery, Sort, Store,
};

fn now() -> Timestamp {
    Timestamp::from_civil(2025, 7, 3, 36_000)
}

pub async fn account(store: &Store, name: &str, unit: &str, role: RoleKind) -> Account {
    crate::support::account_at(store, name, unit, role, now()).await
}

pub async fn setup(store: &Store) -> Plan {
    store.load_plan(SEED_NAME, SEED, now()).await.unwrap();
    Plan::parse(SEED_NAME, SEED).unwrap()
}

fn ledger(id: &str) -> &'static Ledger {
    Ledger::find(id).unwrap()
}

/// A valid credit code for `n`.
pub fn uscc(n: usize) -> String {
    let first17 = format!("91130100MA{n:07}");
    format!("{first17}{}", uscc_check_char(&first17).unwrap())
}

/// A record of `l` from cells as typed, checked.
pub fn record(plan: &Plan, l: &Ledger, cells: &[&str]) -> Record {
    let cells: Vec<Cell> = cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(c.to_string())
            }
        })
        .collect();
    check(plan, l, &cells)
        .unwrap_or_else(|e| panic!("{cells:?}: {e:?}"))
        .0
}

pub fn enterprise(plan: &Plan, n: usize, unit: &str, amount: &str) -> Record {
    record(
        plan,
        ledger("enterprises"),
        &[
            &uscc(n),
            &format!("测试企业{n:03}有限公司"),
            unit,
            ["生物医药", "电子信息"][n % 2],
            amount,
            "是",
        ],
    )
}

fn rows(records: Vec<Record>) -> Vec<ParsedRow> {
    records
        .into_iter()
        .enumerate()
        .map(|(i, record)| ParsedRow {
            line: i + 2,
            record,
        })
        .collect()
}

async fn import(
    store: &Store,
    plan: &Plan,
    who: &Account,
    l: &str,
    hash: &str,
    records: Vec<Record>,
) -> gaoxin_store::LedgerImport {
    store
        .ledger_import(
            &gaoxin_store::Act::of(plan, who, now()),
            ledger(l),
            &gaoxin_store::ImportFile::new("test.xlsx", hash),
            &rows(records),
            false,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn an_import_is_checked_whole_and_written_all_or_nothing_and_never_twice() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let l = ledger("enterprises");
        let clerk = account(&store, "hz-clerk", "sjz-hz-admin", RoleKind::Reporter).await;
        // 40 rows of the clerk's zone, and one of the other zone near the end.
        let mut records: Vec<Record> = (0..40)
            .map(|n| enterprise(&plan, n, "石家庄高新区", "100"))
            .collect();
        records.insert(38, enterprise(&plan, 99, "正定高新区", "5"));
        let report = import(&store, &plan, &clerk, "enterprises", "h1", records.clone()).await;
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
        assert_eq!(
            (report.errors[0].line, report.errors[0].column.as_str()),
            (40, "所在区域")
        );
        assert_eq!(store.ledger_size(l).await.unwrap(), 0, "nothing written");

        records.remove(38);
        // A dry run writes nothing either.
        let dry = store
            .ledger_import(
                &gaoxin_store::Act::of(&plan, &clerk, now()),
                l,
                &gaoxin_store::ImportFile::new("test.xlsx", "h2"),
                &rows(records.clone()),
                true,
            )
            .await
            .unwrap();
        assert_eq!((dry.created, dry.errors.len()), (40, 0));
        assert_eq!(store.ledger_size(l).await.unwrap(), 0);
        let done = import(&store, &plan, &clerk, "enterprises", "h2", records.clone()).await;
        assert_eq!((done.created, done.updated, done.unchanged), (40, 0, 0));
        assert_eq!(store.ledger_size(l).await.unwrap(), 40);

        // The same file again is recognised, and nothing happens.
        let again = import(&store, &plan, &clerk, "enterprises", "h2", records.clone()).await;
        let prior = again.already.expect("recognised");
        assert_eq!((prior.account.as_str(), again.created), ("hz-clerk", 0));

        // Another file with one record changed: one update, the rest unchanged.
        records[5] = enterprise(&plan, 5, "石家庄高新区", "250.5");
        let next = import(&store, &plan, &clerk, "enterprises", "h3", records).await;
        assert_eq!((next.created, next.updated, next.unchanged), (0, 1, 39));
        let page = store
            .ledger_list(
                l,
                &ListQuery {
                    search: Some(uscc(5)),
                    limit: 10,
                    ..ListQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.rows[0].record.get(l, "rd_spending"), "250.5");
        assert_eq!(page.rows[0].version, 2);
        let history = store.ledger_history(l, page.rows[0].id).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["import", "import"]);
        assert_eq!(history[1].file_name.as_deref(), Some("test.xlsx"));
        // The history is append-only.
        assert!(execute(&store, "DELETE FROM ledger_events").await.is_err());
        assert!(
            execute(&store, "UPDATE ledger_events SET account = 'x'")
                .await
                .is_err()
        );
        db
    })
    .await;
}

#[tokio::test]
async fn qualifications_need_their_enterprise_and_follow_its_unit() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        let q = ledger("qualifications");
        let cert = |n: usize| {
            record(
                &plan,
                q,
                &[&uscc(n), "企业", "高新技术企业", "GR1", "2024-12-01"],
            )
        };
        let missing = import(
            &store,
            &plan,
            &keeper,
            "qualifications",
            "q1",
            vec![cert(1)],
        )
        .await;
        assert_eq!(missing.errors.len(), 1);
        assert!(
            missing.errors[0].zh.contains("企业台账中没有"),
            "{:?}",
            missing.errors
        );
        import(
            &store,
            &plan,
            &keeper,
            "enterprises",
            "e1",
            vec![enterprise(&plan, 1, "石家庄高新区", "")],
        )
        .await;
        let done = import(
            &store,
            &plan,
            &keeper,
            "qualifications",
            "q2",
            vec![cert(1)],
        )
        .await;
        assert_eq!((done.created, done.errors.len()), (1, 0));
        let unit_of_cert = |store: Store| async move {
            store
                .ledger_list(
                    ledger("qualifications"),
                    &ListQuery {
                        limit: 5,
                        ..ListQuery::default()
                    },
                )
                .await
                .unwrap()
                .rows[0]
                .unit
                .clone()
        };
        assert_eq!(unit_of_cert(store.clone()).await, "sjz-hz");
        // The enterprise moves to the county: its certificate goes with it.
        let e = store
            .ledger_list(
                ledger("enterprises"),
                &ListQuery {
                    limit: 5,
                    ..ListQuery::default()
                },
            )
            .await
            .unwrap()
            .rows
            .remove(0);
        store
            .ledger_save(
                &plan,
                &keeper,
                ledger("enterprises"),
                Some((e.id, e.version)),
                &enterprise(&plan, 1, "正定县", ""),
                now(),
            )
            .await
            .unwrap();
        assert_eq!(unit_of_cert(store.clone()).await, "zd");
        // Its code cannot change while a certificate refers to it.
        let mut other = enterprise(&plan, 2, "正定县", "");
        other.values[1] = "测试企业001有限公司".into();
        let refused = store
            .ledger_save(
                &plan,
                &keeper,
                ledger("enterprises"),
                Some((e.id, e.version + 1)),
                &other,
                now(),
            )
            .await;
        assert!(
            matches!(refused, Err(LedgerError::KeyInUse { count: 1 })),
            "{refused:?}"
        );
        db
    })
    .await;
}

#[tokio::test]
async fn two_people_editing_one_record_cannot_both_win() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let l = ledger("platforms");
        let a = account(&store, "clerk-a", "sjz-hz-admin", RoleKind::Reporter).await;
        let b = account(&store, "clerk-b", "sjz-hz-admin", RoleKind::Reporter).await;
        let other_zone = account(&store, "clerk-z", "zd-hz-admin", RoleKind::Reporter).await;
        let leader = account(&store, "boss", "dispatch", RoleKind::Leader).await;
        let platform = |level: &str, host: &str| {
            record(
                &plan,
                l,
                &[
                    "石家庄示例技术创新中心",
                    "技术创新中心",
                    level,
                    host,
                    "石家庄高新区",
                    "2024-05-01",
                ],
            )
        };
        let (id, v) = store
            .ledger_save(&plan, &a, l, None, &platform("市级", "甲公司"), now())
            .await
            .unwrap();
        assert_eq!(v, 1);
        // The same record again is a duplicate, not a second copy.
        assert!(matches!(
            store.ledger_save(&plan, &b, l, None, &platform("市级", "乙公司"), now()).await,
            Err(LedgerError::Duplicate { id: Some(d) }) if d == id
        ));
        // Another zone and a leader cannot change it.
        for who in [&other_zone, &leader] {
            assert!(matches!(
                store
                    .ledger_save(
                        &plan,
                        who,
                        l,
                        Some((id, 1)),
                        &platform("市级", "丙公司"),
                        now()
                    )
                    .await,
                Err(LedgerError::NotPermitted)
            ));
        }
        // Both opened version 1; at once, exactly one save wins.
        let (change_a, change_b) = (
            platform("市级", "甲公司（改）"),
            platform("市级", "乙公司（改）"),
        );
        let (ra, rb) = tokio::join!(
            store.ledger_save(&plan, &a, l, Some((id, 1)), &change_a, now()),
            store.ledger_save(&plan, &b, l, Some((id, 1)), &change_b, now()),
        );
        let wins = [ra.is_ok(), rb.is_ok()];
        assert_eq!(wins.iter().filter(|w| **w).count(), 1, "{ra:?} {rb:?}");
        let loser = if ra.is_ok() { rb } else { ra };
        match loser {
            Err(LedgerError::Stale { by, version }) => {
                assert!(by == "clerk-a" || by == "clerk-b");
                assert_eq!(version, 2);
            }
            other => panic!("expected a stale refusal, got {other:?}"),
        }
        let stored = store.ledger_record(l, id).await.unwrap().unwrap();
        assert_eq!(stored.version, 2);
        let history = store.ledger_history(l, id).await.unwrap();
        assert_eq!(history.len(), 2, "the refused save left no trace");
        db
    })
    .await;
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages_within_the_readers_units() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let l = ledger("enterprises");
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        let units = ["石家庄高新区", "正定高新区", "正定县"];
        let records: Vec<Record> = (0..120)
            .map(|n| enterprise(&plan, n, units[n % 3], &format!("{}", n * 10)))
            .collect();
        import(&store, &plan, &keeper, "enterprises", "all", records).await;
        let list = |q: ListQuery| {
            let store = store.clone();
            async move { store.ledger_list(l, &q).await.unwrap() }
        };
        let all = list(ListQuery {
            limit: 50,
            ..ListQuery::default()
        })
        .await;
        assert_eq!((all.total, all.rows.len()), (120, 50));
        assert_eq!(all.rows[0].record.get(l, "name"), "测试企业000有限公司");
        let page3 = list(ListQuery {
            limit: 50,
            offset: 100,
            ..ListQuery::default()
        })
        .await;
        assert_eq!(page3.rows.len(), 20);
        // A county reads the county and its zone.
        let county = gaoxin_core::ledger::subtree(&plan, "zd");
        let scoped = list(ListQuery {
            units: Some(county),
            limit: 200,
            ..ListQuery::default()
        })
        .await;
        assert_eq!(scoped.total, 80);
        assert!(
            scoped
                .rows
                .iter()
                .all(|r| r.unit == "zd" || r.unit == "zd-hz")
        );
        // Search by part of the name, and by the start of the code.
        let found = list(ListQuery {
            search: Some("企业07".into()),
            limit: 50,
            ..ListQuery::default()
        })
        .await;
        assert_eq!(found.total, 10);
        let by_code = list(ListQuery {
            search: Some(uscc(42)[..17].to_lowercase()),
            limit: 5,
            ..ListQuery::default()
        })
        .await;
        assert_eq!(by_code.rows[0].natural_key, uscc(42));
        // A search for LIKE's wildcards finds them literally, not everything.
        let literal = list(ListQuery {
            search: Some("%".into()),
            limit: 5,
            ..ListQuery::default()
        })
        .await;
        assert_eq!(literal.total, 0);
        let kind = list(ListQuery {
            kind: Some("电子信息".into()),
            limit: 200,
            ..ListQuery::default()
        })
        .await;
        assert_eq!(kind.total, 60);
        let rich = list(ListQuery {
            sort: Sort::Amount,
            descending: true,
            limit: 3,
            ..ListQuery::default()
        })
        .await;
        let amounts: Vec<&str> = rich
            .rows
            .iter()
            .map(|r| r.record.get(l, "rd_spending"))
            .collect();
        assert_eq!(amounts, ["1190", "1180", "1170"]);
        let export = store
            .ledger_all(
                l,
                &ListQuery {
                    kind: Some("生物医药".into()),
                    ..ListQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(export.len(), 60);
        db
    })
    .await;
}

/// Enterprises named as written, in 石家庄高新区.
fn named(plan: &Plan, names: &[&str]) -> Vec<Record> {
    names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            record(
                plan,
                ledger("enterprises"),
                &[&uscc(500 + n), name, "石家庄高新区", "生物医药", "1", "是"],
            )
        })
        .collect()
}

const NAMES: [&str; 8] = [
    "河北华药生物科技有限公司",
    "石家庄以岭药业股份有限公司",
    "ABC Tech 石家庄有限公司",
    "正定智能装备研究院",
    "安国药业集团",
    "藁城 Über 工厂",
    "13号工厂（正定）",
    "重庆西安先导科技",
];

/// The names a search lists, sorted.
async fn found(store: &Store, search: &str) -> Vec<String> {
    let l = ledger("enterprises");
    let page = store
        .ledger_list(
            l,
            &ListQuery {
                search: Some(search.into()),
                limit: 100,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, page.rows.len() as i64);
    let mut names: Vec<String> = page
        .rows
        .iter()
        .map(|r| r.record.get(l, "name").to_string())
        .collect();
    names.sort();
    names
}

/// The first 20 enterprises in the list's order (by name).
async fn by_name(store: &Store) -> Vec<gaoxin_store::StoredRecord> {
    let page = ListQuery {
        limit: 20,
        ..ListQuery::default()
    };
    store
        .ledger_list(ledger("enterprises"), &page)
        .await
        .unwrap()
        .rows
}

/// Every name's part of two or more characters finds exactly the names containing it (a name
/// index that missed a record, or found one without the part, fails here).
async fn every_part_is_found(store: &Store, names: &[&str]) {
    for name in names {
        let chars: Vec<char> = name.chars().collect();
        for i in 0..chars.len() {
            for j in i + 2..=chars.len() {
                let part: String = chars[i..j].iter().collect();
                if part.trim() != part || code_like(&part) {
                    continue;
                }
                let mut expected: Vec<String> = names
                    .iter()
                    .filter(|n| n.to_lowercase().contains(&part.to_lowercase()))
                    .map(|n| n.to_string())
                    .collect();
                expected.sort();
                assert_eq!(found(store, &part).await, expected, "searching {part:?}");
            }
        }
    }
}

/// A search the list takes for the start of a credit code.
fn code_like(s: &str) -> bool {
    s.len() >= 6 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[tokio::test]
async fn a_name_is_found_by_any_part_of_two_characters_and_names_sort_by_pinyin() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let l = ledger("enterprises");
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        import(
            &store,
            &plan,
            &keeper,
            "enterprises",
            "n",
            named(&plan, &NAMES),
        )
        .await;
        every_part_is_found(&store, &NAMES).await;
        // ASCII letters in either case (others as written: SQLite's lower() is ASCII's); one
        // character is tested on every name; nothing else matches.
        assert_eq!(found(&store, "abc tech").await, ["ABC Tech 石家庄有限公司"]);
        assert_eq!(found(&store, "Über").await, ["藁城 Über 工厂"]);
        assert_eq!(found(&store, "药").await.len(), 3);
        assert!(found(&store, "药华").await.is_empty());
        assert!(found(&store, "科技有限公司集团").await.is_empty());
        // A changed name is found by its new parts only.
        let page = store
            .ledger_list(
                l,
                &ListQuery {
                    search: Some("以岭".into()),
                    limit: 5,
                    ..ListQuery::default()
                },
            )
            .await
            .unwrap();
        let stored = &page.rows[0];
        let mut renamed = stored.record.clone();
        renamed.values[1] = "石家庄岭南制药有限公司".into();
        store
            .ledger_save(
                &plan,
                &keeper,
                l,
                Some((stored.id, stored.version)),
                &renamed,
                now(),
            )
            .await
            .unwrap();
        assert!(found(&store, "以岭").await.is_empty());
        assert_eq!(found(&store, "岭南制药").await, ["石家庄岭南制药有限公司"]);
        // Sorted by name is sorted by pinyin: 13号…, ABC…, 安国 an1, 藁城 gao3, 河北 he2,
        // 石家庄 shi2, 正定 zheng4, 重庆 zhong4.
        let sorted = by_name(&store).await;
        let names: Vec<&str> = sorted.iter().map(|r| r.record.get(l, "name")).collect();
        assert_eq!(
            names,
            [
                "13号工厂（正定）",
                "ABC Tech 石家庄有限公司",
                "安国药业集团",
                "藁城 Über 工厂",
                "河北华药生物科技有限公司",
                "石家庄岭南制药有限公司",
                "正定智能装备研究院",
                "重庆西安先导科技",
            ]
        );
        db
    })
    .await;
}

#[tokio::test]
async fn a_list_counts_up_to_its_limit_and_pages_on_past_it() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let l = ledger("enterprises");
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        let over = COUNT_LIMIT as usize + 5;
        let records: Vec<Record> = (0..over)
            .map(|n| enterprise(&plan, n, "石家庄高新区", "1"))
            .collect();
        import(&store, &plan, &keeper, "enterprises", "many", records).await;
        let list = |search: Option<&str>, offset: i64| {
            let store = store.clone();
            let search = search.map(str::to_string);
            async move {
                store
                    .ledger_list(
                        l,
                        &ListQuery {
                            search,
                            offset,
                            limit: 50,
                            ..ListQuery::default()
                        },
                    )
                    .await
                    .unwrap()
            }
        };
        // The whole ledger, a name search every record matches (on SQLite: counted through the
        // name index as it gives them) and the start of a code every record has (on SQLite: a
        // page walking the names, not the codes' range): counted to the limit, said to be more,
        // the same first page.
        let whole = list(None, 0).await;
        for search in [None, Some("测试企业"), Some("企业"), Some("91130100MA00")] {
            let page = list(search, 0).await;
            assert_eq!((page.total, page.capped), (COUNT_LIMIT, true), "{search:?}");
            assert_eq!(page.rows, whole.rows, "{search:?}");
        }
        assert_eq!(whole.rows.len(), 50);
        // Past the limit, the pages go on to the last record.
        let last = list(None, COUNT_LIMIT).await;
        assert_eq!(last.rows.len(), 5);
        assert!(last.capped);
        // Under the limit, the count is exact: 企业1000 is in 测试企业1000有限公司 and
        // 测试企业10000 … 10004有限公司.
        let some = list(Some("企业1000"), 0).await;
        assert_eq!((some.total, some.capped), (6, false));
        let exact = list(Some("企业10003"), 0).await;
        assert_eq!((exact.total, exact.capped, exact.rows.len()), (1, false, 1));
        db
    })
    .await;
}

#[tokio::test]
async fn a_search_decided_by_its_pieces_counts_its_own_ledgers_records_only() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        // 60 enterprises (测试企业N有限公司), and 10 qualifications whose title, 企业, holds
        // the same pair: on SQLite a count from the index alone must keep to its ledger.
        let records = (0..60)
            .map(|n| enterprise(&plan, n, "石家庄高新区", "1"))
            .collect();
        import(&store, &plan, &keeper, "enterprises", "e", records).await;
        let q = ledger("qualifications");
        let certs = (0..10)
            .map(|n| {
                record(
                    &plan,
                    q,
                    &[&uscc(n), "企业", "高新技术企业", "", "2024-01-01", ""],
                )
            })
            .collect();
        import(&store, &plan, &keeper, "qualifications", "q", certs).await;
        let list = |l: &'static Ledger, search: &str, unit: Option<&str>| {
            let store = store.clone();
            let search = Some(search.to_string());
            let units = unit.map(|u| vec![u.to_string()]);
            async move {
                store
                    .ledger_list(
                        l,
                        &ListQuery {
                            search,
                            units,
                            limit: 50,
                            ..ListQuery::default()
                        },
                    )
                    .await
                    .unwrap()
            }
        };
        let e = ledger("enterprises");
        assert_eq!(
            list(q, "企业", None).await.total,
            10,
            "the pair is theirs too"
        );
        for search in ["企业", "企", "测试"] {
            let page = list(e, search, None).await;
            assert_eq!((page.total, page.rows.len()), (60, 50), "{search}");
        }
        // Narrowed by a unit, or three characters (the pairs, not their order): the records
        // are read for the count, to the same answer.
        let page = list(e, "企业", Some("sjz-hz")).await;
        assert_eq!((page.total, page.rows.len()), (60, 50));
        let page = list(e, "测试企", None).await;
        assert_eq!((page.total, page.rows.len()), (60, 50));
        db
    })
    .await;
}

#[tokio::test]
async fn a_search_decided_by_its_piece_is_counted_right_through_renames_imports_and_tidying() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        let e = ledger("enterprises");
        let records: Vec<Record> = (0..60)
            .map(|n| enterprise(&plan, n, "石家庄高新区", "1"))
            .collect();
        import(&store, &plan, &keeper, "enterprises", "e1", records).await;
        // A page of one, so every list is counted. Narrowed by the unit every record is in, the
        // same search is counted by reading the records: the two counts must agree.
        let count = |search: &'static str, by_reading: bool| {
            let store = store.clone();
            async move {
                let page = store
                    .ledger_list(
                        e,
                        &ListQuery {
                            search: Some(search.into()),
                            units: by_reading.then(|| vec!["sjz-hz".to_string()]),
                            limit: 1,
                            ..ListQuery::default()
                        },
                    )
                    .await
                    .unwrap();
                page.total
            }
        };
        let counts = || async {
            let mut got = Vec::new();
            for search in ["企业", "企", "公司", "制药", "岭", "01", "新"] {
                let (fast, read) = (count(search, false).await, count(search, true).await);
                assert_eq!(fast, read, "{search}");
                got.push(fast);
            }
            got
        };
        // 01: 测试企业001 and 010–019.
        assert_eq!(counts().await, [60, 60, 60, 0, 0, 11, 0]);
        // Renamed on the form: 测试企业000有限公司 → 石家庄岭南制药有限公司.
        let first = store
            .ledger_list(
                e,
                &ListQuery {
                    search: Some("测试企业000".into()),
                    limit: 1,
                    ..ListQuery::default()
                },
            )
            .await
            .unwrap()
            .rows
            .remove(0);
        let mut renamed = first.record.clone();
        renamed.values[1] = "石家庄岭南制药有限公司".into();
        store
            .ledger_save(
                &plan,
                &keeper,
                e,
                Some((first.id, first.version)),
                &renamed,
                now(),
            )
            .await
            .unwrap();
        assert_eq!(counts().await, [59, 59, 60, 1, 1, 11, 0]);
        // A new record on the form, and an import renaming ten (测试企业050–059 → 新星…).
        let mut added = enterprise(&plan, 60, "石家庄高新区", "1");
        added.values[1] = "新企业有限公司".into();
        store
            .ledger_save(&plan, &keeper, e, None, &added, now())
            .await
            .unwrap();
        let again: Vec<Record> = (50..60)
            .map(|n| {
                let mut r = enterprise(&plan, n, "石家庄高新区", "1");
                r.values[1] = format!("新星{n}号有限公司");
                r
            })
            .collect();
        import(&store, &plan, &keeper, "enterprises", "e2", again).await;
        let before = counts().await;
        assert_eq!(before, [50, 50, 61, 1, 1, 11, 11]);
        // Tidying the counts (PostgreSQL folds each piece's rows into one) changes none.
        let folded = store.compact_name_counts().await.unwrap();
        assert_eq!(store.compact_name_counts().await.unwrap(), 0, "all folded");
        assert_eq!(counts().await, before);
        if matches!(db, TestDb::Postgres { .. }) {
            assert!(folded > 0, "the import and the form left rows to fold");
        }
        // A record removed (no page does; an administrator at the database might): 测试企业001.
        execute(
            &store,
            &format!(
                "DELETE FROM ledger_records WHERE ledger = 'enterprises' AND natural_key = '{}'",
                uscc(1)
            ),
        )
        .await
        .unwrap();
        assert_eq!(counts().await, [49, 49, 60, 1, 1, 10, 11]);
        db
    })
    .await;
}

#[tokio::test]
async fn records_stored_before_the_name_index_are_found_and_sorted_after_the_upgrade() {
    for backend in crate::support::backends() {
        let db = crate::support::create(backend).await;
        let url = db.url();
        // A database as release 18 left it, its records written then.
        let old = gaoxin_store::testing::open_at(&url, 18).await.unwrap();
        for (n, name) in NAMES.iter().enumerate() {
            execute(
                &old,
                &format!(
                    "INSERT INTO ledger_records (ledger, natural_key, unit_key, name, fields, \
                         version, created_at, updated_at, updated_by) \
                     VALUES ('enterprises', '{code}', 'sjz-hz', '{name}', '[\"{code}\", \"{name}\"]', \
                         1, 1, 1, 'kj')",
                    code = uscc(700 + n)
                ),
            )
            .await
            .unwrap();
        }
        old.close().await;
        let store = Store::open(&url).await.unwrap();
        every_part_is_found(&store, &NAMES).await;
        // Counted (a page of one) from what the upgrade made of the records already there.
        for (search, n) in [("科技", 2), ("药", 3), ("正定", 2)] {
            let page = store
                .ledger_list(
                    ledger("enterprises"),
                    &ListQuery {
                        search: Some(search.into()),
                        limit: 1,
                        ..ListQuery::default()
                    },
                )
                .await
                .unwrap();
            assert_eq!(page.total, n, "{search}");
        }
        let sorted = by_name(&store).await;
        assert_eq!(sorted[0].natural_key, uscc(706), "13号… first");
        assert_eq!(sorted[7].natural_key, uscc(707), "重庆… last");
        store.close().await;
        crate::support::drop_db(db).await;
    }
}

#[tokio::test]
async fn counted_figures_come_from_the_ledgers_and_are_not_typed() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        let dispatcher = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let june = YearMonth::new(2025, 6).unwrap();
        // An empty ledger is not kept in gaoxin yet: the figure is unreported, not zero.
        let figures = store.cockpit_figures(&plan, None, june).await.unwrap();
        assert_eq!(figures.get("sjz-hz", "hitech-count", june), None);

        // Enterprises: 4 in 石家庄高新区, 2 in the city outside it, 3 in 正定高新区, 1 in 正定县.
        let placed = [
            "石家庄高新区",
            "石家庄高新区",
            "石家庄高新区",
            "石家庄高新区",
            "石家庄市",
            "石家庄市",
            "正定高新区",
            "正定高新区",
            "正定高新区",
            "正定县",
        ];
        let enterprises = placed
            .iter()
            .enumerate()
            .map(|(n, u)| enterprise(&plan, n, u, ""))
            .collect();
        import(&store, &plan, &keeper, "enterprises", "e", enterprises).await;
        let q = ledger("qualifications");
        let cert = |n: usize, issued: &str, until: &str| {
            record(
                &plan,
                q,
                &[&uscc(n), "企业", "高新技术企业", "", issued, until],
            )
        };
        let certs = vec![
            cert(0, "2023-01-01", ""),
            cert(1, "2024-10-10", ""),
            cert(2, "2022-06-01", "2025-05-31"), // expired before the end of June
            cert(3, "2025-07-01", ""),           // not yet issued at the end of June
            cert(4, "2025-06-30", ""),           // issued on the last day: counts
            cert(5, "2021-01-01", "2025-06-30"), // valid through the last day: counts
            cert(6, "2024-01-01", ""),
            cert(7, "2024-01-01", ""),
            cert(9, "2024-01-01", ""),
            // Another qualification does not count as a high-tech certificate.
            record(&plan, q, &[&uscc(8), "企业", "瞪羚企业", "", "2024-01-01"]),
        ];
        import(&store, &plan, &keeper, "qualifications", "q", certs).await;
        let figures = store.cockpit_figures(&plan, None, june).await.unwrap();
        let value = |unit: &str| figures.get(unit, "hitech-count", june).map(|o| o.value);
        assert_eq!(value("sjz-hz"), Some(2.0));
        assert_eq!(value("zd-hz"), Some(2.0));
        assert_eq!(value("zd"), Some(3.0), "the county counts its zone");
        assert_eq!(value("sjz"), Some(7.0), "the city counts every unit in it");
        // Not a due period of a quarterly figure: no value of its own.
        let may = YearMonth::new(2025, 5).unwrap();
        assert_eq!(figures.get("sjz-hz", "hitech-count", may), None);
        // The share indicator takes zone ÷ city.
        let target = plan
            .targets
            .iter()
            .find(|t| t.zone == "sjz-hz" && t.indicator == "hitech-share-city" && t.year == 2025)
            .unwrap();
        let e = evaluate(&plan, &figures, target, june);
        assert_eq!(e.actual.map(|a| (a * 100.0).round() / 100.0), Some(28.57));
        // The list shows exactly the rows that make the number.
        let counted = store
            .ledger_list(
                q,
                &ListQuery {
                    units: Some(vec!["sjz-hz".into()]),
                    counted: Some(CountAt {
                        count: Count::find("hitech-valid").unwrap(),
                        end: Day::end_of(june),
                    }),
                    limit: 50,
                    ..ListQuery::default()
                },
            )
            .await
            .unwrap();
        let mut keys: Vec<String> = counted.rows.iter().map(|r| r.natural_key.clone()).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                format!("{}|高新技术企业|2023-01-01", uscc(0)),
                format!("{}|高新技术企业|2024-10-10", uscc(1))
            ]
        );

        // Platforms: city level and above, approved by the end, not revoked before it.
        let p = ledger("platforms");
        let platform = |name: &str, level: &str, approved: &str, revoked: &str| {
            record(
                &plan,
                p,
                &[
                    name,
                    "重点实验室",
                    level,
                    "某公司",
                    "石家庄高新区",
                    approved,
                    revoked,
                ],
            )
        };
        import(
            &store,
            &plan,
            &keeper,
            "platforms",
            "p",
            vec![
                platform("甲", "国家级", "2020-01-01", ""),
                platform("乙", "省级", "2024-01-01", ""),
                platform("丙", "市级", "2025-06-01", ""),
                platform("丁", "其他", "2020-01-01", ""),
                platform("戊", "市级", "2020-01-01", "2025-03-31"),
                platform("己", "省级", "2025-07-15", ""),
            ],
        )
        .await;
        let figures = store.cockpit_figures(&plan, None, june).await.unwrap();
        assert_eq!(
            figures
                .get("sjz-hz", "platforms-count", june)
                .map(|o| o.value),
            Some(3.0)
        );
        let march = YearMonth::new(2025, 3).unwrap();
        assert_eq!(
            figures
                .get("sjz-hz", "platforms-count", march)
                .map(|o| o.value),
            Some(3.0)
        );

        // Nobody types a counted figure, not even the dispatcher.
        let typed = store
            .figure_step(
                &gaoxin_store::Act::of(&plan, &dispatcher, now()),
                gaoxin_store::FigureAt::new("sjz-hz", "hitech-count", june),
                &Step::Save {
                    value: 500.0,
                    explanation: String::new(),
                    reason: String::new(),
                },
                Some(0),
            )
            .await;
        assert!(
            matches!(
                typed,
                Err(FigureError::Workflow(WorkflowError::Counted { .. }))
            ),
            "{typed:?}"
        );
        db
    })
    .await;
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn a_workbook_with_one_error_of_each_kind_is_reported_by_row_and_column() {
    let plan = Plan::parse(SEED_NAME, SEED).unwrap();
    let cells = gaoxin_excel::read_cells(
        &fixture("enterprises-one-error-of-each-kind.xlsx"),
        &gaoxin_excel::Limits::LEDGER,
    )
    .unwrap();
    let parsed = parse(&plan, ledger("enterprises"), &cells);
    let found: Vec<(usize, &str)> = parsed
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "企业名称*"),
            (4, "统一社会信用代码*"),
            (5, "统一社会信用代码*"),
            (6, "统一社会信用代码*"),
            (7, "所在区域*"),
            (8, "所属产业*"),
            (9, "上年研发费用（万元）"),
            (10, "上年研发费用（万元）"),
            (11, "建立研发准备金制度"),
            (12, "企业名称*"),
            (13, "统一社会信用代码*"),
        ]
    );
    let says = |line: usize, zh: &str| {
        assert!(
            parsed
                .errors
                .iter()
                .any(|e| e.line == line && e.zh.contains(zh) && !e.en.is_empty()),
            "row {line} should say {zh}: {:?}",
            parsed.errors
        )
    };
    says(3, "必须填写");
    says(4, "校验位");
    says(5, "18 位");
    says(6, "“I”");
    says(7, "不是方案中的区域");
    says(8, "生物医药");
    says(9, "负数");
    says(10, "无法识别");
    says(11, "“是”或“否”");
    says(12, "最多 100 个字");
    says(13, "与第 2 行重复");
}

#[tokio::test]
async fn a_workbook_saved_by_libreoffice_imports_with_what_was_normalised_shown() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let keeper = account(&store, "kj", "sci-tech", RoleKind::Reporter).await;
        let l = ledger("enterprises");
        let bytes = fixture("enterprises-saved-by-libreoffice.xlsx");
        let cells = gaoxin_excel::read_cells(&bytes, &gaoxin_excel::Limits::LEDGER).unwrap();
        let parsed = parse(&plan, l, &cells);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(
            (parsed.rows.len(), parsed.example_rows, parsed.blank_rows),
            (3, 1, 1)
        );
        let value = |row: usize, field: &str| parsed.rows[row].record.get(l, field).to_string();
        assert_eq!(value(0, "name"), "石家庄甲科技有限公司");
        assert_eq!(value(0, "rd_spending"), "1250.5");
        assert_eq!(value(1, "uscc"), uscc(2));
        assert_eq!(value(1, "rd_spending"), "300");
        assert_eq!(value(1, "rd_reserve"), "是");
        assert_eq!(value(2, "rd_spending"), "12000");
        assert_eq!(value(2, "unit"), "sjz");
        // Every change is in the notes, by row and column.
        let noted: Vec<(usize, &str)> = parsed
            .notes
            .iter()
            .map(|n| (n.line, n.column.as_str()))
            .collect();
        for expected in [
            (3, "企业名称*"),
            (4, "统一社会信用代码*"),
            (4, "上年研发费用（万元）"),
            (4, "建立研发准备金制度"),
            (6, "上年研发费用（万元）"),
        ] {
            assert!(noted.contains(&expected), "{expected:?} in {noted:?}");
        }
        let hash = gaoxin_store::content_hash(&bytes);
        let report = store
            .ledger_import(
                &gaoxin_store::Act::of(&plan, &keeper, now()),
                l,
                &gaoxin_store::ImportFile::new("lo.xlsx", &hash),
                &parsed.rows,
                false,
            )
            .await
            .unwrap();
        assert_eq!(report.created, 3);
        db
    })
    .await;
}

#[tokio::test]
async fn sub_targets_are_counted_from_the_ledgers_each_for_its_own_year() {
    use gaoxin_core::monitor::Status;
    use gaoxin_core::monitor::subtarget::{Unknown, evaluate};
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let disp = account(&store, "disp", "dispatch", RoleKind::Dispatcher).await;
        let nov = YearMonth::new(2026, 11).unwrap();
        let find = |evs: &[gaoxin_core::monitor::subtarget::SubEvaluation],
                    id: &str,
                    zone: Option<&str>| {
            evs.iter()
                .find(|e| e.subtarget == id && e.zone.as_deref() == zone)
                .cloned()
                .unwrap()
        };
        // Nothing kept yet: every sub-target is unknown, none is zero.
        let evs = evaluate(
            &plan,
            &store.subtarget_counts(&plan, nov).await.unwrap(),
            nov,
        );
        assert!(
            evs.iter().all(|e| e.unknown == Some(Unknown::NotKept)),
            "{evs:?}"
        );

        let t = ledger("talents");
        let talent = |name: &str, kind: &str, unit: &str, day: &str| {
            record(&plan, t, &[name, kind, "", unit, day])
        };
        let talents = vec![
            // 2025: 2 + 1 leaders across the zones; a third in the city outside them.
            talent("甲", "创新创业领军人才", "石家庄高新区", "2025-03-01"),
            talent("乙", "创新创业领军人才", "石家庄高新区", "2025-12-31"),
            talent("丙", "创新创业领军人才", "正定高新区", "2025-08-08"),
            talent("丁", "创新创业领军人才", "石家庄市", "2025-05-05"),
            // 2026: not the 2025 target's.
            talent("戊", "创新创业领军人才", "正定高新区", "2026-02-02"),
            talent("己", "创新创业领军人才", "正定高新区", "2026-03-03"),
            talent("庚", "科技领军人物", "石家庄高新区", "2025-06-06"),
        ];
        import(&store, &plan, &disp, "talents", "t", talents).await;
        let p = ledger("projects");
        let project = |name: &str, unit: &str, amount: &str, liaison: &str| {
            record(
                &plan,
                p,
                &[
                    name,
                    "投资方",
                    "生物医药",
                    unit,
                    "签约",
                    "2026-03-01",
                    amount,
                    "",
                    "责任人",
                    liaison,
                ],
            )
        };
        let projects = vec![
            project("大一", "石家庄高新区", "12亿元", "联络员"),
            project("大二", "石家庄高新区", "100000", "联络员"),
            project("大三", "石家庄高新区", "30亿元", ""),
            project("大四", "石家庄高新区", "15亿元", "联络员"),
            // Below 10 亿元: not in the share, liaison or not.
            project("小一", "石家庄高新区", "99999", ""),
            project("小二", "正定高新区", "5亿元", ""),
        ];
        import(&store, &plan, &disp, "projects", "p", projects).await;
        let l = ledger("land");
        let parcel = |code: &str, unit: &str, plan_text: &str| {
            record(
                &plan,
                l,
                &[
                    code,
                    "某路",
                    unit,
                    "10",
                    "2025",
                    "闲置",
                    plan_text,
                    "",
                    "未启动",
                ],
            )
        };
        let parcels = vec![
            parcel("A1", "正定高新区", "盘活"),
            parcel("A2", "正定高新区", ""),
            parcel("A3", "正定高新区", "收储"),
            parcel("A4", "正定高新区", "转让"),
        ];
        import(&store, &plan, &disp, "land", "l", parcels).await;

        let counts = store.subtarget_counts(&plan, nov).await.unwrap();
        let evs = evaluate(&plan, &counts, nov);
        // 2025's leaders, read in November 2026: the zones' 2025 records, 3 of 5, final.
        let leaders = find(&evs, "t2-talent-leaders", None);
        assert_eq!(
            (leaders.year, leaders.actual, leaders.closed, leaders.status),
            (2025, Some(3.0), true, Status::Red)
        );
        assert_eq!(find(&evs, "t2-tech-leaders", None).actual, Some(1.0));
        // Read in 2025 itself the same count is judged against the months gone.
        let jul = YearMonth::new(2025, 7).unwrap();
        let evs_jul = evaluate(
            &plan,
            &store.subtarget_counts(&plan, jul).await.unwrap(),
            jul,
        );
        let l_jul = find(&evs_jul, "t2-talent-leaders", None);
        assert_eq!((l_jul.actual, l_jul.closed), (Some(1.0), false));
        // Liaison coverage of the projects of 10 亿元 and more: 3 of 4 = 75 %; none in 正定.
        let cover = find(&evs, "t10-liaison-coverage", Some("sjz-hz"));
        assert_eq!((cover.actual, cover.status), (Some(75.0), Status::Red));
        let none = find(&evs, "t10-liaison-coverage", Some("zd-hz"));
        assert_eq!(none.unknown, Some(Unknown::NothingToShare));
        // Remediation plans: 3 of 4 parcels in 正定高新区; none found in 石家庄高新区.
        let plans = find(&evs, "t13-remediation-plans", Some("zd-hz"));
        assert_eq!(plans.actual, Some(75.0));
        // The events ledger holds nothing: surveys and events are not known yet.
        assert_eq!(
            find(&evs, "t13-land-survey", Some("sjz-hz")).unknown,
            Some(Unknown::NotKept)
        );
        // The list behind a share's link shows the records the count takes.
        let list = store
            .ledger_list(
                ledger("projects"),
                &ListQuery {
                    counted: Some(CountAt {
                        count: Count::find("big-project-liaison-coverage").unwrap(),
                        end: Day::end_of(nov),
                    }),
                    limit: 50,
                    ..ListQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(list.total, 4);
        assert_eq!(list.rows.iter().filter(|r| r.flagged).count(), 1);
        db
    })
    .await;
}

/// Imports `bytes` through the application as `who`, streamed as the console does.
async fn import_workbook(
    store: &Store,
    plan: &Plan,
    who: &Account,
    name: &str,
    bytes: &[u8],
) -> (gaoxin_app::ledger::Import, Vec<usize>) {
    let acting = gaoxin_app::Acting::account(store, plan, who, now());
    let mut seen = Vec::new();
    let outcome = gaoxin_app::ledger::import(
        &acting,
        ledger("enterprises"),
        gaoxin_app::ledger::Upload {
            name,
            bytes: bytes.to_vec(),
        },
        &gaoxin_excel::Limits::LEDGER_CONSOLE,
        gaoxin_app::ledger::ImportMode {
            dry_run: false,
            keep_rows: false,
        },
        &mut |records| seen.push(records),
    )
    .await
    .unwrap();
    (outcome, seen)
}

/// What an import left in the store: records, import rows (finished, pending), history rows.
async fn left(store: &Store) -> (i64, i64, i64, i64) {
    let l = ledger("enterprises");
    let one = |sql: &'static str| async move {
        gaoxin_store::testing::query_i64(store, sql).await.unwrap()
    };
    (
        store.ledger_size(l).await.unwrap(),
        one("SELECT COUNT(*) FROM ledger_imports WHERE pending = 0").await,
        one("SELECT COUNT(*) FROM ledger_imports WHERE pending <> 0").await,
        one("SELECT COUNT(*) FROM ledger_events").await,
    )
}

#[tokio::test]
async fn a_workbook_of_several_batches_streams_in_and_an_error_in_its_last_batch_writes_nothing() {
    use gaoxin_app::ledger::Import;
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let l = ledger("enterprises");
        let clerk = account(&store, "hz-clerk", "sjz-hz-admin", RoleKind::Reporter).await;
        // 12,000 rows: two full batches of 5,000 written before the third is read (batches
        // kept at 5,000, not sized by how long they hold SQLite's lock).
        let store = store.batching_imports(std::time::Duration::ZERO);
        let mut records: Vec<Record> = (0..12_000)
            .map(|n| enterprise(&plan, n, "石家庄高新区", "100"))
            .collect();
        let export =
            |records: &[Record]| gaoxin_excel::ledger_export(&plan, l, records, false).unwrap();

        // A wrong credit code in the last batch (sheet row 11,502): the file's own error.
        let mut wrong = records.clone();
        wrong[11_500].set(l, l.key[0], "91130100MA0000000X".into());
        let (outcome, seen) =
            import_workbook(&store, &plan, &clerk, "wrong.xlsx", &export(&wrong)).await;
        let Import::Invalid(parsed) = outcome else {
            panic!("{outcome:?}")
        };
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [11_502], "{:?}", parsed.errors);
        assert_eq!((parsed.records, parsed.rows.len()), (11_999, 0));
        assert_eq!(
            seen.last(),
            Some(&11_999),
            "progress told as the batches came"
        );
        assert_eq!(
            left(&store).await,
            (0, 0, 0, 0),
            "nothing kept of the batches written"
        );

        // A row of another zone in the last batch: the database's refusal, by row and column.
        let mut foreign = records.clone();
        foreign[11_000] = enterprise(&plan, 11_000, "正定高新区", "5");
        let (outcome, _) =
            import_workbook(&store, &plan, &clerk, "foreign.xlsx", &export(&foreign)).await;
        let Import::Checked { report, .. } = outcome else {
            panic!("{outcome:?}")
        };
        let refused: Vec<(usize, &str)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(refused, [(11_002, "所在区域")]);
        assert_eq!(left(&store).await, (0, 0, 0, 0));

        // The whole file: every record, one finished import, one history row each.
        let whole = export(&records);
        let (outcome, _) = import_workbook(&store, &plan, &clerk, "whole.xlsx", &whole).await;
        let Import::Checked { report, parsed, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(report.errors, []);
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (12_000, 0, 0)
        );
        assert_eq!(
            (parsed.records, parsed.rows.len()),
            (12_000, 0),
            "rows not kept"
        );
        assert_eq!(left(&store).await, (12_000, 1, 0, 12_000));
        let counted = gaoxin_store::testing::query_i64(
            &store,
            "SELECT created FROM ledger_imports WHERE pending = 0",
        )
        .await
        .unwrap();
        assert_eq!(counted, 12_000, "the import row's counts are the run's");
        // The same file again: recognised before a row is read.
        let (outcome, seen) = import_workbook(&store, &plan, &clerk, "again.xlsx", &whole).await;
        assert!(matches!(outcome, Import::Already(_)), "{outcome:?}");
        assert_eq!(seen, Vec::<usize>::new());

        // Changes in the first and last batches and one new record: the updates wait for the
        // last step; the rest are unchanged.
        records[3] = enterprise(&plan, 3, "石家庄高新区", "7");
        records[11_999] = enterprise(&plan, 11_999, "石家庄高新区", "8");
        records.push(enterprise(&plan, 12_000, "石家庄高新区", "9"));
        let (outcome, _) =
            import_workbook(&store, &plan, &clerk, "next.xlsx", &export(&records)).await;
        let Import::Checked { report, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (1, 2, 11_998)
        );
        assert_eq!(left(&store).await, (12_001, 2, 0, 12_003));
        db
    })
    .await;
}

#[tokio::test]
async fn a_key_taken_when_a_batch_is_written_refuses_the_import_and_later_rows_are_still_checked() {
    each_backend(|store: Store, db: TestDb| async move {
        let plan = setup(&store).await;
        let clerk = account(&store, "hz-clerk", "sjz-hz-admin", RoleKind::Reporter).await;
        let store = store.batching_imports(std::time::Duration::ZERO);
        // Three batches of 5,000 (the store's, kept at that size). The second batch holds one key twice, which
        // only its write can find (the file's reader would have refused it; the store is
        // given rows directly here): the database refuses the write, as it would a key
        // someone added since the batch was checked. The third batch holds a row of
        // another zone.
        let mut records: Vec<Record> = (0..12_000)
            .map(|n| enterprise(&plan, n, "石家庄高新区", "100"))
            .collect();
        records[6_000] = records[5_500].clone();
        records[11_000] = enterprise(&plan, 11_000, "正定高新区", "5");
        let report = import(&store, &plan, &clerk, "enterprises", "h1", records).await;
        let refused: Vec<(usize, &str)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.zh.as_str()))
            .collect();
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused[0].1.contains("相同代码"), "{refused:?}");
        // Named by the first row of what met it: on PostgreSQL the batch (record 5,000, sheet
        // row 5,002), on SQLite the statement of 1,000 records (here the repeated record's own,
        // 6,000: the first record of its statement).
        let named = match store.backend() {
            gaoxin_store::Backend::Sqlite => 6_002,
            gaoxin_store::Backend::Postgres => 5_002,
        };
        assert_eq!(refused[0].0, named, "{refused:?}");
        assert_eq!(
            refused[1].0, 11_002,
            "checked after the refusal: {refused:?}"
        );
        // Nothing kept: not the first batch, not the import.
        assert_eq!(left(&store).await, (0, 0, 0, 0));
        db
    })
    .await;
}
