//! Schema parity: the SQLite and the PostgreSQL migrations are written by hand, one set each;
//! applied to an empty database of each backend they must give the same tables, columns (storage
//! class and NULL), primary keys, foreign keys, unique keys and number of CHECK constraints.

use crate::support::{create, drop_db};
use gaoxin_store::Store;
use gaoxin_store::schema::Schema;

async fn schema_of(backend: &str) -> Schema {
    let db = create(backend).await;
    let store = Store::open(&db.url()).await.expect("open");
    let schema = store.schema().await.expect("schema");
    store.close().await;
    drop_db(db).await;
    schema
}

/// Every difference, named: a table on one side only, then per table each part that differs.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    // Each table once, whichever side has it.
    let names: std::collections::BTreeSet<&String> =
        sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for name in names {
        match (sqlite.tables.get(name), postgres.tables.get(name)) {
            (Some(_), None) => out.push(format!("{name}: only in the SQLite migrations")),
            (None, Some(_)) => out.push(format!("{name}: only in the PostgreSQL migrations")),
            (Some(s), Some(p)) => {
                if s.columns != p.columns {
                    out.push(format!(
                        "{name}: columns differ\n  sqlite:   {:?}\n  postgres: {:?}",
                        s.columns, p.columns
                    ));
                }
                if s.primary_key != p.primary_key {
                    out.push(format!(
                        "{name}: primary key {:?} vs {:?}",
                        s.primary_key, p.primary_key
                    ));
                }
                if s.foreign_keys != p.foreign_keys {
                    out.push(format!(
                        "{name}: foreign keys\n  sqlite:   {:?}\n  postgres: {:?}",
                        s.foreign_keys, p.foreign_keys
                    ));
                }
                if s.unique != p.unique {
                    out.push(format!(
                        "{name}: unique keys {:?} vs {:?}",
                        s.unique, p.unique
                    ));
                }
                if s.checks != p.checks {
                    out.push(format!(
                        "{name}: {} CHECK constraints vs {}",
                        s.checks, p.checks
                    ));
                }
            }
            (None, None) => {}
        }
    }
    out
}

#[tokio::test]
async fn both_migration_sets_give_the_same_schema() {
    let sqlite = schema_of("sqlite").await;
    // The SQLite side alone is checked everywhere: the comparison is only worth anything if
    // the introspection sees keys and checks at all.
    let accounts = &sqlite.tables["accounts"];
    assert_eq!(accounts.primary_key, ["id"]);
    assert!(!accounts.columns["username"].nullable);
    assert!(
        sqlite.tables.values().any(|t| !t.foreign_keys.is_empty())
            && sqlite.tables.values().any(|t| t.checks > 0)
            && sqlite.tables.values().any(|t| !t.unique.is_empty()),
        "{sqlite:?}"
    );
    if std::env::var("GAOXIN_TEST_PG_URL").is_err() {
        eprintln!("GAOXIN_TEST_PG_URL not set: the comparison with PostgreSQL runs in CI");
        return;
    }
    let postgres = schema_of("postgres").await;
    let diff = differences(&sqlite, &postgres);
    assert!(
        diff.is_empty(),
        "the migrations differ:\n{}",
        diff.join("\n")
    );
}

#[test]
fn a_difference_is_named() {
    use gaoxin_store::schema::{Column, Kind, Table};
    let mut a = Schema::default();
    let mut t = Table::default();
    t.columns.insert(
        "id".into(),
        Column {
            kind: Kind::Integer,
            nullable: false,
        },
    );
    a.tables.insert("x".into(), t.clone());
    let mut b = a.clone();
    b.tables.get_mut("x").unwrap().checks = 1;
    b.tables.insert("y".into(), t);
    let d = differences(&a, &b);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].contains("x: 0 CHECK constraints vs 1"));
    assert!(d[1].contains("y: only in the PostgreSQL"));
}
