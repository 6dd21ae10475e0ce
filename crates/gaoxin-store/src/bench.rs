//! Generated lists for `gaoxin bench-lists`: 督办单, work items and one account's messages by the
//! hundred thousand, shaped as years of a city's work look (most orders long closed, the open
//! ones near their deadlines, every department and task). Not for a real database: every row is
//! marked sample data (示例数据) where the table has the mark, and the titles say 压测.

use crate::Store;
use crate::error::StoreError;
use gaoxin_core::plan::{DepartmentKind, Plan};
use gaoxin_core::time::{Date, Timestamp};
use sqlx::Row;

/// How many of each list [`Store::fill_lists_for_bench`] makes.
#[derive(Debug, Clone, Copy)]
pub struct BenchLists {
    pub orders: i64,
    pub items: i64,
    /// Messages in the inbox of the account `messages_for`.
    pub messages: i64,
    pub messages_for: i64,
    /// The day the lists end on: the newest orders are open around it.
    pub now: Timestamp,
}

/// Rows written in one statement; rows in one transaction.
const ROWS: i64 = 500;
const PER_TX: i64 = 20_000;

/// A text as an SQL literal (the values are generated here, never typed by anyone).
fn text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// How many rows `table` holds.
async fn rows_in(store: &Store, table: &str, condition: &str) -> Result<i64, StoreError> {
    Ok(
        sqlx::query(&format!("SELECT COUNT(*) FROM {table} WHERE {condition}"))
            .fetch_one(&store.pool)
            .await?
            .try_get(0)?,
    )
}

/// Generated rows as INSERT statements, grouped by transaction.
struct Generated {
    transactions: Vec<Vec<String>>,
    rows: i64,
}

/// Rows `have + 1 ..= want` of `into` (a table and its columns), each made by `row`, as
/// statements of [`ROWS`] rows, [`PER_TX`] rows to a transaction. Made before anything is
/// written: an async function generic over the row maker would not be `Send`.
fn generated(into: &str, have: i64, want: i64, row: impl Fn(i64) -> String) -> Generated {
    let mut transactions = Vec::new();
    let mut n = have;
    while n < want {
        let until = (n + PER_TX).min(want);
        let mut statements = Vec::new();
        while n < until {
            let last = (n + ROWS).min(until);
            let values: Vec<String> = (n + 1..=last).map(&row).collect();
            statements.push(format!("INSERT INTO {into} VALUES {}", values.join(", ")));
            n = last;
        }
        transactions.push(statements);
    }
    Generated {
        transactions,
        rows: (want - have).max(0),
    }
}

impl Store {
    /// Adds generated orders, work items and messages until each list holds what `to` asks
    /// (a list already that long is left as it is). Returns how many rows it added.
    pub async fn fill_lists_for_bench(
        &self,
        plan: &Plan,
        to: &BenchLists,
    ) -> Result<i64, StoreError> {
        // Owned, and the rows made by `move` closures: a closure holding a borrow across the
        // inserts' awaits would make the future not `Send`.
        let to = *to;
        let units: Vec<String> = plan
            .departments
            .iter()
            .filter(|d| d.kind != DepartmentKind::Dispatch)
            .map(|d| d.id.clone())
            .collect();
        let tasks: Vec<String> = plan.tasks.iter().map(|t| t.id.clone()).collect();
        if units.len() < 2 || tasks.is_empty() {
            return Ok(0);
        }
        let now = to.now.0;
        let mut added = 0;

        // 督办单 over three years, the newest first open: three in a hundred still open, in
        // every state, due from two weeks ago to a month ahead; the older closed after an answer
        // that came in time, or (one in three) a few days late.
        let have = rows_in(self, "supervision_orders", "1 = 1").await?;
        let span = 3 * 365 * 86_400;
        let (u, t) = (units.clone(), tasks.clone());
        let order = move |n: i64| {
            let (units, tasks) = (&u, &t);
            let age = to.orders - n; // 0: the newest
            let opened = now - span * age / to.orders.max(1) - 40 * 86_400;
            let open = age < to.orders * 3 / 100;
            let state = if open {
                [
                    "opened", "assigned", "signed", "answered", "reviewed", "signed",
                ][(n % 6) as usize]
            } else {
                "closed"
            };
            let deadline_at = if open {
                now + (n % 45 - 14) * 86_400
            } else {
                opened + 30 * 86_400
            };
            let deadline = Date::of(Timestamp(deadline_at)).to_string();
            let late = if n % 3 == 0 { 4 * 86_400 } else { -3 * 86_400 };
            let answered = match state {
                "answered" | "reviewed" | "closed" => (deadline_at + late).to_string(),
                _ => "NULL".into(),
            };
            let closed = if state == "closed" {
                (deadline_at + late + 5 * 86_400).to_string()
            } else {
                "NULL".into()
            };
            let unit = units[(n as usize) % units.len()].as_str();
            let co = if n % 5 == 0 {
                units[(n as usize + 3) % units.len()].as_str()
            } else {
                ""
            };
            format!(
                "({title}, 'task', {task}, {basis}, '{state}', {unit}, {deadline}, {req}, {answered}, \
                 1, 'bench', {opened}, {opened}, 'bench', {closed}, 1, {co})",
                title = text(&format!("压测督办事项 {n}")),
                task = text(&tasks[(n as usize) % tasks.len()]),
                basis = text("进度滞后于序时进度"),
                unit = if state == "opened" {
                    "NULL".into()
                } else {
                    text(unit)
                },
                deadline = if state == "opened" {
                    "NULL".into()
                } else {
                    text(&deadline)
                },
                req = text("按期报送整改情况"),
                co = text(co),
            )
        };
        added += self
            .insert_all(generated(
                "supervision_orders (title, subject, task_id, basis, state, assignee, deadline, \
                 requirements, answered_at, version, opened_by, opened_at, updated_at, updated_by, \
                 closed_at, sample, co_units)",
                have,
                to.orders,
                order,
            ))
            .await?;

        // Their 协办单位 (one each here), one row each as order steps write them.
        sqlx::raw_sql(
            "INSERT INTO supervision_co_units (order_id, unit) \
             SELECT id, co_units FROM supervision_orders \
             WHERE co_units <> '' AND id NOT IN (SELECT order_id FROM supervision_co_units)",
        )
        .execute(&self.pool)
        .await?;

        // Work items: each task split among its departments, with two milestones.
        let have = rows_in(self, "work_items", "1 = 1").await?;
        let milestones = text(&serde_json::json!([
            { "title": "制定年度计划", "due": Date::of(Timestamp(now - 60 * 86_400)).to_string() },
            { "title": "完成年度任务", "due": Date::of(Timestamp(now + 30 * 86_400)).to_string() },
        ])
        .to_string());
        let item = move |n: i64| {
            format!(
                "({task}, {title}, {lead}, {partners}, {milestones}, 1, 'bench', {t}, 'bench', {t}, 1)",
                task = text(&tasks[(n as usize) % tasks.len()]),
                title = text(&format!("压测工作事项 {n}")),
                lead = text(&units[(n as usize) % units.len()]),
                partners = text(&units[(n as usize + 1) % units.len()]),
                t = now - 90 * 86_400,
            )
        };
        added += self
            .insert_all(generated(
                "work_items (task_id, title, lead, partners, milestones, version, created_by, \
                 created_at, updated_by, updated_at, sample)",
                have,
                to.items,
                item,
            ))
            .await?;

        // One account's messages, a few an hour, the newest unread.
        let have = rows_in(
            self,
            "inbox_messages",
            &format!("account_id = {}", to.messages_for),
        )
        .await?;
        let notices = [
            "assigned", "due_soon", "overdue", "answered", "returned", "closed",
        ];
        let message = move |n: i64| {
            let at = now - (to.messages - n) * 1_200;
            format!(
                "({account}, {at}, '{notice}', {title}, {body}, '/supervision/{n}', {read})",
                account = to.messages_for,
                notice = notices[(n as usize) % notices.len()],
                title = text(&format!("压测消息 {n}")),
                body = text("请按期办理。"),
                read = if to.messages - n < 30 {
                    "NULL".into()
                } else {
                    (at + 600).to_string()
                },
            )
        };
        added += self
            .insert_all(generated(
                "inbox_messages (account_id, at, notice, title, body, link, read_at)",
                have,
                to.messages,
                message,
            ))
            .await?;
        Ok(added)
    }

    /// Runs each transaction's statements, one transaction after another; returns the rows
    /// they add.
    async fn insert_all(&self, generated: Generated) -> Result<i64, StoreError> {
        for statements in &generated.transactions {
            let mut tx = self.begin_write().await?;
            for sql in statements {
                // Each statement once: not kept prepared.
                sqlx::query(sql).persistent(false).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
        Ok(generated.rows)
    }
}

/// Drops and creates the PostgreSQL database `url` names, through the server's `postgres`
/// database, so a bench starts on an empty one. Only a plain name (`a-z`, `0-9`, `_`) is
/// accepted: this is for a bench's own database, never a real one.
pub async fn fresh_postgres(url: &crate::DatabaseUrl) -> Result<(), StoreError> {
    use sqlx::Connection;
    let target = url.connect_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let (server, name) = path
        .rsplit_once('/')
        .filter(|(s, _)| s.contains("://") && url.backend() == crate::Backend::Postgres)
        .ok_or_else(|| StoreError::UnsupportedUrl {
            url: url.redacted(),
        })?;
    if name.is_empty()
        || name == "postgres"
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(StoreError::UnsupportedUrl {
            url: url.redacted(),
        });
    }
    let maintenance = if query.is_empty() {
        format!("{server}/postgres")
    } else {
        format!("{server}/postgres?{query}")
    };
    let mut conn = sqlx::postgres::PgConnection::connect(&maintenance).await?;
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}
