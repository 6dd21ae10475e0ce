//! The schema as the database reports it, in terms both backends share: tables, their columns
//! (a storage class and whether NULL is allowed), primary keys, foreign keys, unique keys and
//! the number of CHECK constraints. The two migration sets are written by hand for each
//! backend; the schema-parity test opens one database of each and compares these.

use crate::{Backend, Store, StoreError};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// What a column stores, whichever backend's word for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Integer,
    Real,
    Text,
    Blob,
    /// A type neither backend's migrations should use: named so a test shows it.
    Other,
}

impl Kind {
    fn of(declared: &str) -> Kind {
        let t = declared.to_ascii_lowercase();
        match t.as_str() {
            "integer" | "bigint" | "int" | "smallint" | "int8" | "int4" => Kind::Integer,
            "real" | "double precision" | "double" | "float8" | "float4" => Kind::Real,
            "text" | "character varying" | "varchar" => Kind::Text,
            "blob" | "bytea" => Kind::Blob,
            _ => Kind::Other,
        }
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub kind: Kind,
    /// NULL allowed (a primary key column never is, whatever SQLite's pragma says).
    pub nullable: bool,
}

/// A foreign key: these columns refer to those of another table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub refers_to: Vec<String>,
}

/// One table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    pub primary_key: Vec<String>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    /// Unique keys other than the primary key (constraints and unique indexes alike), each its
    /// columns in order and whether it is partial (`WHERE …`).
    pub unique: BTreeSet<(Vec<String>, bool)>,
    pub checks: usize,
}

/// Every table of gaoxin's schema (the migrations' own bookkeeping table included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

impl Store {
    /// The schema as this database reports it.
    pub async fn schema(&self) -> Result<Schema, StoreError> {
        match self.backend {
            Backend::Sqlite => self.sqlite_schema().await,
            Backend::Postgres => self.postgres_schema().await,
        }
    }

    async fn sqlite_schema(&self) -> Result<Schema, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let tables = sqlx::query(
            // Tables proper: not a full-text index (virtual) nor the tables it keeps (shadow),
            // which are SQLite's way to an index PostgreSQL keeps as an index.
            "SELECT m.name, m.sql FROM sqlite_master m \
             JOIN pragma_table_list t ON t.name = m.name AND t.schema = 'main' \
             WHERE m.type = 'table' AND t.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             ORDER BY m.name",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut schema = Schema::default();
        for t in tables {
            let name: String = t.try_get(0)?;
            let sql: String = t.try_get(1)?;
            let mut table = Table {
                checks: check_clauses(&sql),
                ..Table::default()
            };
            let columns = sqlx::query(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
            )
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
            let mut pk: Vec<(i64, String)> = Vec::new();
            for c in columns {
                let column: String = c.try_get(0)?;
                let declared: String = c.try_get(1)?;
                let not_null: i64 = c.try_get(2)?;
                let pk_at: i64 = c.try_get(3)?;
                if pk_at > 0 {
                    pk.push((pk_at, column.clone()));
                }
                table.columns.insert(
                    column,
                    Column {
                        kind: Kind::of(&declared),
                        nullable: not_null == 0 && pk_at == 0,
                    },
                );
            }
            pk.sort();
            table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
            let fks = sqlx::query(
                "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1) \
                 ORDER BY id, seq",
            )
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
            let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
            for f in fks {
                let id: i64 = f.try_get(0)?;
                let to_table: String = f.try_get(1)?;
                let from: String = f.try_get(2)?;
                // A reference without columns means the other table's primary key.
                let to: Option<String> = f.try_get(3)?;
                let fk = by_id.entry(id).or_insert_with(|| ForeignKey {
                    columns: Vec::new(),
                    table: to_table,
                    refers_to: Vec::new(),
                });
                fk.columns.push(from);
                fk.refers_to.push(to.unwrap_or_default());
            }
            table.foreign_keys = by_id.into_values().collect();
            let indexes = sqlx::query(
                "SELECT name, partial FROM pragma_index_list($1) \
                 WHERE \"unique\" = 1 AND origin <> 'pk' ORDER BY name",
            )
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
            for i in indexes {
                let index: String = i.try_get(0)?;
                let partial: i64 = i.try_get(1)?;
                let cols = sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut *conn)
                    .await?;
                let cols = cols
                    .iter()
                    .map(|c| c.try_get::<String, _>(0))
                    .collect::<Result<Vec<_>, _>>()?;
                table.unique.insert((cols, partial != 0));
            }
            schema.tables.insert(name, table);
        }
        // References written without columns name the referred table's primary key.
        let keys: BTreeMap<String, Vec<String>> = schema
            .tables
            .iter()
            .map(|(n, t)| (n.clone(), t.primary_key.clone()))
            .collect();
        for table in schema.tables.values_mut() {
            table.foreign_keys = std::mem::take(&mut table.foreign_keys)
                .into_iter()
                .map(|mut fk| {
                    if fk.refers_to.iter().all(String::is_empty) {
                        fk.refers_to = keys.get(&fk.table).cloned().unwrap_or_default();
                    }
                    fk
                })
                .collect();
        }
        Ok(schema)
    }

    async fn postgres_schema(&self) -> Result<Schema, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut schema = Schema::default();
        let columns = sqlx::query(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text, \
                    CASE WHEN c.is_nullable = 'YES' THEN 1 ELSE 0 END::int8 \
             FROM information_schema.columns c \
             JOIN information_schema.tables t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             ORDER BY c.table_name, c.ordinal_position",
        )
        .fetch_all(&mut *conn)
        .await?;
        for c in columns {
            let table: String = c.try_get(0)?;
            // The name counts are PostgreSQL's part of the name index, which SQLite keeps in
            // FTS5 (left out above, on its side).
            if crate::backup::DERIVED.contains(&table.as_str()) {
                continue;
            }
            let column: String = c.try_get(1)?;
            let declared: String = c.try_get(2)?;
            let nullable: i64 = c.try_get(3)?;
            schema.tables.entry(table).or_default().columns.insert(
                column,
                Column {
                    kind: Kind::of(&declared),
                    nullable: nullable != 0,
                },
            );
        }
        // Constraints with their columns in key order: p(rimary), f(oreign), u(nique), c(heck).
        let constraints = sqlx::query(
            "SELECT rel.relname::text, con.conname::text, con.contype::text, \
                    COALESCE(ref.relname::text, ''), \
                    COALESCE((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                       FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), ''), \
                    COALESCE((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                       FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) \
                       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum), '') \
             FROM pg_constraint con \
             JOIN pg_class rel ON rel.oid = con.conrelid \
             JOIN pg_namespace ns ON ns.oid = rel.relnamespace \
             LEFT JOIN pg_class ref ON ref.oid = con.confrelid \
             WHERE ns.nspname = current_schema() AND con.contype IN ('p', 'f', 'u', 'c') \
             ORDER BY rel.relname, con.conname",
        )
        .fetch_all(&mut *conn)
        .await?;
        let split = |s: String| -> Vec<String> {
            s.split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        };
        for c in constraints {
            let table: String = c.try_get(0)?;
            if crate::backup::DERIVED.contains(&table.as_str()) {
                continue;
            }
            let kind: String = c.try_get(2)?;
            let refers: String = c.try_get(3)?;
            let columns = split(c.try_get(4)?);
            let to = split(c.try_get(5)?);
            let t = schema.tables.entry(table).or_default();
            match kind.as_str() {
                "p" => {
                    for col in &columns {
                        if let Some(column) = t.columns.get_mut(col) {
                            column.nullable = false;
                        }
                    }
                    t.primary_key = columns;
                }
                "f" => {
                    t.foreign_keys.insert(ForeignKey {
                        columns,
                        table: refers,
                        refers_to: to,
                    });
                }
                "u" => {
                    t.unique.insert((columns, false));
                }
                _ => t.checks += 1,
            }
        }
        // Unique indexes that are not constraints (partial ones among them).
        let indexes = sqlx::query(
            "SELECT tbl.relname::text, \
                    (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                       FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                       JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum), \
                    CASE WHEN ix.indpred IS NOT NULL THEN 1 ELSE 0 END::int8 \
             FROM pg_index ix \
             JOIN pg_class tbl ON tbl.oid = ix.indrelid \
             JOIN pg_class idx ON idx.oid = ix.indexrelid \
             JOIN pg_namespace ns ON ns.oid = tbl.relnamespace \
             WHERE ns.nspname = current_schema() AND ix.indisunique AND NOT ix.indisprimary \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)",
        )
        .fetch_all(&mut *conn)
        .await?;
        for i in indexes {
            let table: String = i.try_get(0)?;
            let columns: Option<String> = i.try_get(1)?;
            let partial: i64 = i.try_get(2)?;
            schema
                .tables
                .entry(table)
                .or_default()
                .unique
                .insert((split(columns.unwrap_or_default()), partial != 0));
        }
        Ok(schema)
    }
}

/// The CHECK clauses in a table's SQL: the word on its own (not inside `checked_at`), then `(`.
fn check_clauses(sql: &str) -> usize {
    let upper = sql.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    upper
        .match_indices("CHECK")
        .filter(|(at, _)| {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = upper[at + 5..].trim_start();
            !before.is_some_and(ident) && after.starts_with('(')
        })
        .count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_clauses_are_counted_not_words_containing_check() {
        let sql =
            "CREATE TABLE t (a INTEGER CHECK (a = 1), checked_at INTEGER, b TEXT check(b <> ''))";
        assert_eq!(super::check_clauses(sql), 2);
    }
}
