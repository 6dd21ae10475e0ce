//! Schema migrations, per backend, applied in order at start-up. Each runs in its own write
//! transaction together with its row in `schema_migrations`, so a failed migration leaves
//! nothing behind; on PostgreSQL an advisory lock keeps two starting instances from racing.

use crate::{Backend, Store, StoreError};
use sqlx::{Executor, Row};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "plan",
        sqlite: include_str!("../migrations/sqlite/0001_plan.sql"),
        postgres: include_str!("../migrations/postgres/0001_plan.sql"),
    },
    Migration {
        version: 2,
        name: "accounts_audit",
        sqlite: include_str!("../migrations/sqlite/0002_accounts_audit.sql"),
        postgres: include_str!("../migrations/postgres/0002_accounts_audit.sql"),
    },
    Migration {
        version: 3,
        name: "totp_pending",
        sqlite: include_str!("../migrations/sqlite/0003_totp_pending.sql"),
        postgres: include_str!("../migrations/postgres/0003_totp_pending.sql"),
    },
    Migration {
        version: 4,
        name: "figures",
        sqlite: include_str!("../migrations/sqlite/0004_figures.sql"),
        postgres: include_str!("../migrations/postgres/0004_figures.sql"),
    },
    Migration {
        version: 5,
        name: "ledgers",
        sqlite: include_str!("../migrations/sqlite/0005_ledgers.sql"),
        postgres: include_str!("../migrations/postgres/0005_ledgers.sql"),
    },
    Migration {
        version: 6,
        name: "supervision",
        sqlite: include_str!("../migrations/sqlite/0006_supervision.sql"),
        postgres: include_str!("../migrations/postgres/0006_supervision.sql"),
    },
    Migration {
        version: 7,
        name: "dispatch",
        sqlite: include_str!("../migrations/sqlite/0007_dispatch.sql"),
        postgres: include_str!("../migrations/postgres/0007_dispatch.sql"),
    },
    Migration {
        version: 8,
        name: "outbox",
        sqlite: include_str!("../migrations/sqlite/0008_outbox.sql"),
        postgres: include_str!("../migrations/postgres/0008_outbox.sql"),
    },
    Migration {
        version: 9,
        name: "hardening",
        sqlite: include_str!("../migrations/sqlite/0009_hardening.sql"),
        postgres: include_str!("../migrations/postgres/0009_hardening.sql"),
    },
    Migration {
        version: 10,
        name: "uploads",
        sqlite: include_str!("../migrations/sqlite/0010_uploads.sql"),
        postgres: include_str!("../migrations/postgres/0010_uploads.sql"),
    },
    Migration {
        version: 11,
        name: "benchmarking",
        sqlite: include_str!("../migrations/sqlite/0011_benchmarking.sql"),
        postgres: include_str!("../migrations/postgres/0011_benchmarking.sql"),
    },
    Migration {
        version: 12,
        name: "figure_notices",
        sqlite: include_str!("../migrations/sqlite/0012_figure_notices.sql"),
        postgres: include_str!("../migrations/postgres/0012_figure_notices.sql"),
    },
    Migration {
        version: 13,
        name: "supervision_records",
        sqlite: include_str!("../migrations/sqlite/0013_supervision_records.sql"),
        postgres: include_str!("../migrations/postgres/0013_supervision_records.sql"),
    },
    Migration {
        version: 14,
        name: "report_returns",
        sqlite: include_str!("../migrations/sqlite/0014_report_returns.sql"),
        postgres: include_str!("../migrations/postgres/0014_report_returns.sql"),
    },
    Migration {
        version: 15,
        name: "account_people",
        sqlite: include_str!("../migrations/sqlite/0015_account_people.sql"),
        postgres: include_str!("../migrations/postgres/0015_account_people.sql"),
    },
    Migration {
        version: 16,
        name: "land_flags",
        sqlite: include_str!("../migrations/sqlite/0016_land_flags.sql"),
        postgres: include_str!("../migrations/postgres/0016_land_flags.sql"),
    },
    Migration {
        version: 17,
        name: "bulletin_issues",
        sqlite: include_str!("../migrations/sqlite/0017_bulletin_issues.sql"),
        postgres: include_str!("../migrations/postgres/0017_bulletin_issues.sql"),
    },
    Migration {
        version: 18,
        name: "screen_role",
        sqlite: include_str!("../migrations/sqlite/0018_screen_role.sql"),
        postgres: include_str!("../migrations/postgres/0018_screen_role.sql"),
    },
    Migration {
        version: 19,
        name: "ledger_names",
        sqlite: include_str!("../migrations/sqlite/0019_ledger_names.sql"),
        postgres: include_str!("../migrations/postgres/0019_ledger_names.sql"),
    },
    Migration {
        version: 20,
        name: "list_indexes",
        sqlite: include_str!("../migrations/sqlite/0020_list_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0020_list_indexes.sql"),
    },
    Migration {
        version: 21,
        name: "import_hiding",
        sqlite: include_str!("../migrations/sqlite/0021_import_hiding.sql"),
        postgres: include_str!("../migrations/postgres/0021_import_hiding.sql"),
    },
    Migration {
        version: 22,
        name: "import_records",
        sqlite: include_str!("../migrations/sqlite/0022_import_records.sql"),
        postgres: include_str!("../migrations/postgres/0022_import_records.sql"),
    },
    Migration {
        version: 23,
        name: "ledger_in_names",
        sqlite: include_str!("../migrations/sqlite/0023_ledger_in_names.sql"),
        postgres: include_str!("../migrations/postgres/0023_ledger_in_names.sql"),
    },
    Migration {
        version: 24,
        name: "ledger_name_counts",
        sqlite: include_str!("../migrations/sqlite/0024_ledger_name_counts.sql"),
        postgres: include_str!("../migrations/postgres/0024_ledger_name_counts.sql"),
    },
    Migration {
        version: 25,
        name: "key_bytes",
        sqlite: include_str!("../migrations/sqlite/0025_key_bytes.sql"),
        postgres: include_str!("../migrations/postgres/0025_key_bytes.sql"),
    },
];

/// What a migration does after its SQL, in the same transaction: values only the application
/// computes, for the rows already there.
async fn step(
    version: i64,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
) -> Result<(), sqlx::Error> {
    match version {
        19 => {
            crate::ledger::fill_name_keys(tx, backend).await?;
            let index = match backend {
                Backend::Sqlite => include_str!("../migrations/sqlite/0019_ledger_names_index.sql"),
                Backend::Postgres => {
                    include_str!("../migrations/postgres/0019_ledger_names_index.sql")
                }
            };
            (&mut **tx).execute(index).await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// An arbitrary constant: the key of gaoxin's migration lock on PostgreSQL.
const PG_MIGRATION_LOCK: i64 = 0x6761_6f78_696e;

/// Applies the migrations not applied yet, up to `until` (all: `None`).
pub(crate) async fn apply(store: &Store, until: Option<i64>) -> Result<(), StoreError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )
    .execute(&store.pool)
    .await?;

    let known = MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
    for m in MIGRATIONS
        .iter()
        .filter(|m| until.is_none_or(|v| m.version <= v))
    {
        let fail = |source| StoreError::Migrate {
            version: m.version,
            name: m.name,
            source,
        };
        let mut tx = store.begin_write().await?;
        if store.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(PG_MIGRATION_LOCK)
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
        }
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
            .fetch_one(&mut *tx)
            .await
            .map_err(fail)?;
        let current: i64 = row.try_get("v").map_err(fail)?;
        if current > known {
            return Err(StoreError::SchemaTooNew {
                found: current,
                known,
            });
        }
        if current >= m.version {
            continue;
        }
        let sql = match store.backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        (&mut *tx).execute(sql).await.map_err(fail)?;
        step(m.version, &mut tx, store.backend)
            .await
            .map_err(fail)?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(crate::now().to_iso8601())
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
    }
    Ok(())
}
