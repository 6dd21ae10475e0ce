//! Test databases: a fresh SQLite file or a fresh PostgreSQL database per test, removed after.

use gaoxin_store::{DatabaseUrl, Store};
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

pub const SEED: &str = include_str!("../../../../plans/shijiazhuang-2025-2027.toml");
pub const SEED_NAME: &str = "plans/shijiazhuang-2025-2027.toml";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name no other test (or test run) uses.
pub fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// A temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let dir = std::env::temp_dir().join(unique("gaoxin_test"));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where a test database lives.
pub enum TestDb {
    Sqlite(TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub fn url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url_string()).expect("test database url")
    }

    pub fn url_string(&self) -> String {
        match self {
            TestDb::Sqlite(dir) => format!("sqlite://{}", dir.path().join("gaoxin.db").display()),
            TestDb::Postgres { admin_url, name } => with_database(admin_url, name),
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            TestDb::Sqlite(_) => "sqlite",
            TestDb::Postgres { .. } => "postgres",
        }
    }
}

/// `postgres://user@host:port/db?opts` with `db` replaced.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}

async fn pg_admin(admin_url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!("GAOXIN_TEST_PG_URL={admin_url} is set but PostgreSQL cannot be reached: {e}")
        });
    sqlx::raw_sql(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

/// The backends the storage suite runs on: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<&'static str> {
    let mut b = vec!["sqlite"];
    if std::env::var("GAOXIN_TEST_PG_URL").is_ok_and(|u| !u.is_empty()) {
        b.push("postgres");
    }
    b
}

pub async fn create(backend: &str) -> TestDb {
    match backend {
        "sqlite" => TestDb::Sqlite(TempDir::new()),
        _ => {
            let admin_url = std::env::var("GAOXIN_TEST_PG_URL").expect("GAOXIN_TEST_PG_URL");
            let name = unique("gaoxin_test");
            pg_admin(&admin_url, &format!("CREATE DATABASE {name}")).await;
            TestDb::Postgres { admin_url, name }
        }
    }
}

pub async fn drop_db(db: TestDb) {
    if let TestDb::Postgres { admin_url, name } = db {
        pg_admin(
            &admin_url,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
    }
}

/// Runs `body` against a fresh, migrated store on every backend; each database is dropped
/// after, even when the body fails.
pub async fn each_backend<F, Fut>(body: F)
where
    F: Fn(Store, TestDb) -> Fut,
    Fut: Future<Output = TestDb> + Send + 'static,
{
    for backend in backends() {
        let db = create(backend).await;
        let url = db.url();
        let label = db.label();
        let store = Store::open(&url)
            .await
            .unwrap_or_else(|e| panic!("[{label}] open: {e}"))
            .sealing(audit_key());
        let pg = match &db {
            TestDb::Postgres { admin_url, name } => Some((admin_url.clone(), name.clone())),
            TestDb::Sqlite(_) => None,
        };
        // Run in its own task so a failing assertion still lets us drop the database.
        let outcome = tokio::spawn(body(store.clone(), db)).await;
        store.close().await;
        match outcome {
            Ok(db) => drop_db(db).await,
            Err(e) => {
                if let Some((admin_url, name)) = pg {
                    pg_admin(
                        &admin_url,
                        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    )
                    .await;
                }
                eprintln!("[{label}] failed");
                std::panic::resume_unwind(e.into_panic());
            }
        }
    }
}

#[test]
fn database_name_replaces_the_path_only() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u@h/postgres?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
}

/// A database for one test that removes itself when dropped, even after a failed assertion:
/// SQLite normally, PostgreSQL when `GAOXIN_TEST_PG_URL` is set (so a run with it set covers
/// the web tests on PostgreSQL too).
pub struct OwnedDb {
    db: Option<TestDb>,
}

impl OwnedDb {
    pub async fn new() -> OwnedDb {
        let backend = if backends().contains(&"postgres") {
            "postgres"
        } else {
            "sqlite"
        };
        OwnedDb {
            db: Some(create(backend).await),
        }
    }

    pub fn url(&self) -> DatabaseUrl {
        self.db.as_ref().map(TestDb::url).expect("database")
    }
}

impl Drop for OwnedDb {
    fn drop(&mut self) {
        if let Some(TestDb::Postgres { admin_url, name }) = self.db.take() {
            // Drop runs inside the test's runtime: use a thread with a runtime of its own.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(pg_admin(
                        &admin_url,
                        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    ));
                }
            })
            .join();
        }
    }
}

/// The audit key the store suites seal their audit chains with.
pub fn audit_key() -> gaoxin_store::AuditKey {
    gaoxin_store::AuditKey::from_bytes(b"test audit key, 32 bytes long!!!".to_vec())
}

/// An account with one role, made at the console at `at`.
pub async fn account_at(
    store: &Store,
    name: &str,
    unit: &str,
    role: gaoxin_core::auth::RoleKind,
    at: gaoxin_core::time::Timestamp,
) -> gaoxin_store::Account {
    store
        .create_account(
            &audit_key(),
            &gaoxin_store::Actor::console(),
            &gaoxin_store::NewAccount {
                username: name.into(),
                unit: unit.into(),
                roles: vec![role],
                password_hash: "unused".into(),
                must_change_password: false,
                full_name: String::new(),
                phone: String::new(),
            },
            at,
        )
        .await
        .unwrap()
}

/// Loads a generated national peer set of `zones` zones for `framework`, data year 2025, the
/// plan's 石家庄高新区 first (示例数据, as `serve --demo` does).
pub async fn load_sample_peers(
    store: &gaoxin_store::Store,
    framework: &gaoxin_core::benchmarking::Framework,
    zones: usize,
    seed: u64,
) {
    let table = gaoxin_core::benchmarking::sample::peers(framework, zones, seed, 2025);
    let mut values = Vec::new();
    for (z, row) in table.iter().enumerate() {
        for (i, v) in framework.indicators.iter().zip(row) {
            if let Some(v) = v {
                values.push((framework.id.clone(), 2025, z, i.id.clone(), *v));
            }
        }
    }
    let mut names = vec![("石家庄高新区".to_string(), Some("sjz-hz".to_string()))];
    names.extend((1..zones).map(|i| (gaoxin_core::benchmarking::sample::peer_name(i), None)));
    store
        .load_sample_peers(
            &gaoxin_store::SamplePeers {
                peer_set: "national".into(),
                zones: names,
                values,
                ranks: Vec::new(),
                source: "sample".into(),
            },
            gaoxin_store::now(),
        )
        .await
        .unwrap();
}
