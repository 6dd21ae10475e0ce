//! 台账 — ledger records, their history, file imports and the counts the figures take.
//!
//! A record's values live in `fields` (a JSON array in the ledger's field order); the fields a
//! list is searched, filtered and sorted by are copied into indexed columns when it is written
//! (see [`Slots`](gaoxin_core::ledger::Slots)). Every write checks the version it read, so of two
//! people editing one record the second is refused, and appends the record as written to
//! `ledger_events`. An import ([`ImportRun`]) is checked and written a batch at a time as its
//! workbook is read; one refused row leaves nothing of it written.

use crate::audit::Change;
use crate::error::LedgerError;
use crate::messages::ImportRefusal;
use crate::{Account, Act, Backend, Store, StoreError};
use gaoxin_core::Plan;
use gaoxin_core::ledger::dashboard::Group;
use gaoxin_core::ledger::sheet::ParsedRow;
use gaoxin_core::ledger::{self, Count, LEDGERS, Ledger, Record, Window};
use gaoxin_core::monitor::import::RowError;
use gaoxin_core::monitor::subtarget::{self, Counts, Taken};
use gaoxin_core::monitor::{FigureState, Figures, Observation, YearMonth};
use gaoxin_core::time::{Timestamp, civil_from_days, days_from_civil};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};
use std::collections::HashMap;

/// The SHA-256 of a file, hex: how an import recognises a file it has seen.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A stored record.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub id: i64,
    pub natural_key: String,
    pub unit: String,
    pub record: Record,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub updated_by: String,
    pub sample: bool,
    pub flagged: bool,
}

/// One entry of a record's history.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEvent {
    pub action: String,
    pub version: i64,
    pub record: Record,
    pub account: String,
    pub at: i64,
    /// The file an import came from.
    pub file_name: Option<String>,
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerImport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    /// The same file was imported before: when and by whom.
    pub already: Option<PriorImport>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriorImport {
    pub file_name: String,
    pub account: String,
    pub at: i64,
}

/// How a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Date,
    Amount,
    Updated,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "name" => Some(Sort::Name),
            "date" => Some(Sort::Date),
            "amount" => Some(Sort::Amount),
            "updated" => Some(Sort::Updated),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Date => "date",
            Sort::Amount => "amount",
            Sort::Updated => "updated",
        }
    }

    fn column(self) -> &'static str {
        match self {
            Sort::Name => "name_sort",
            Sort::Date => "on_date",
            Sort::Amount => "amount",
            Sort::Updated => "updated_at",
        }
    }
}

/// The rows a count takes at the end of a period.
#[derive(Debug, Clone, Copy)]
pub struct CountAt {
    pub count: &'static Count,
    /// The period's last day, `YYYY-MM-DD`.
    pub end: Day,
}

/// A day as `YYYY-MM-DD` text (what the date columns hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// The last day of a month.
    pub fn end_of(p: YearMonth) -> Day {
        let next = p.next();
        let last = days_from_civil(i64::from(next.year), next.month, 1) - 1;
        let (_, _, day) = civil_from_days(last);
        Day {
            year: p.year,
            month: p.month,
            day,
        }
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A list request: filters, order, page.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only these units (the reader's scope, narrowed by a filter); `None`: all.
    pub units: Option<Vec<String>>,
    pub kind: Option<String>,
    pub grade: Option<String>,
    pub flagged: bool,
    /// Part of the name, or the start of the key (a credit code).
    pub search: Option<String>,
    /// Only records referring to this record of the referenced ledger (a credit code).
    pub reference: Option<String>,
    /// Only records holding this exact value in some field (an enterprise's name as a platform's
    /// host, a project's investor, a talent's employer).
    pub mentions: Option<String>,
    /// Only the rows a count takes.
    pub counted: Option<CountAt>,
    /// Only records in force at the end of this day (begun by then, not ended before).
    pub in_force: Option<Day>,
    /// Only records stalled at a stage: dated on or before this day (`YYYY-MM-DD`), at a stage
    /// other than these.
    pub stalled: Option<(String, &'static [&'static str])>,
    pub sort: Sort,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

/// A list counts its matches up to this many: past it, counting costs as much as reading every
/// match (a second on 3,000,000 records) and tells a reader only to narrow the list.
pub const COUNT_LIMIT: i64 = 10_000;

/// One page of a list, and how many rows the filters match.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub rows: Vec<StoredRecord>,
    /// The matches, counted up to [`COUNT_LIMIT`].
    pub total: i64,
    /// More than [`COUNT_LIMIT`] match (`total` is the limit).
    pub capped: bool,
}

/// A value bound to a built statement.
#[derive(Clone)]
enum Bind {
    Text(String),
}

/// A `WHERE` clause built up with `$N` placeholders.
#[derive(Clone)]
struct Clause {
    sql: String,
    binds: Vec<Bind>,
    /// On SQLite, the name index's part of the clause (see [`Clause::for_page`]).
    names: Option<Names>,
    /// On SQLite, the range of credit codes a search asks (see [`Clause::for_page`]).
    code: Option<CodeRange>,
    /// A name search decided by its piece (see [`Clause::index_count`]).
    decided: Option<Decided>,
}

/// A name search decided by its one piece ([`ledger::name::decided_by_pieces`]: one or two
/// Chinese characters or digits, whose records are exactly those holding the piece).
#[derive(Clone)]
struct Decided {
    backend: Backend,
    piece: String,
    /// The clause's sql when the search is all that narrows the list.
    alone: String,
}

/// The single number a counting statement gives.
async fn given(conn: &mut AnyConnection, sql: &str, binds: &[&str]) -> Result<i64, StoreError> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    Ok(q.fetch_one(&mut *conn).await?.try_get(0)?)
}

/// The start of a credit code as a range of the key's index, and the condition the clause holds.
#[derive(Clone)]
struct CodeRange {
    from: String,
    to: String,
    condition: String,
}

/// A name search on SQLite: the index's query, bound as `placeholder`, and the condition the
/// clause holds (`id IN (… MATCH placeholder)`).
#[derive(Clone)]
struct Names {
    query: String,
    placeholder: String,
    condition: String,
}

impl Names {
    /// The clause's `sql` without the condition: for a statement that reads the index itself,
    /// or tests the names alone.
    fn left_out_of(&self, sql: &str) -> String {
        sql.replacen(&format!(" AND {}", self.condition), "", 1)
    }
}

/// Up to this many records from the name index, a page looks each up and sorts them; more, and
/// walking the list's own order (stopping at a page) is cheaper.
const FEW_FOR_A_PAGE: i64 = 4_000;
/// Past this many, so many names match that the walk finds a page soon by testing names alone:
/// collecting the index's records to check against costs more than it saves. Measured on
/// 300,000 records: 科技 (30,002, a tenth) collected 4 ms, walked 1 ms; 华 (10,310, a
/// thirtieth) collected 4 ms, walked 6–8 ms. (It was 50,000 while every such search was also
/// counted by reading its records; asking the index up to 50,001 cost more than the walk.)
const MANY_FOR_A_PAGE: i64 = 20_000;

/// An arbitrary constant: the key of the PostgreSQL advisory lock [`Store::compact_name_counts`]
/// takes.
const NAME_COUNTS_LOCK: i64 = 0x6761_6f78_6e63;

impl Clause {
    fn new(ledger: &str) -> Clause {
        Clause {
            sql: "ledger = $1".into(),
            binds: vec![Bind::Text(ledger.to_string())],
            names: None,
            code: None,
            decided: None,
        }
    }

    /// The clause a page reads with. SQLite cannot tell how many records a name search's index
    /// or a credit code's range gives (it has no statistics), so it is asked, up to
    /// [`FEW_FOR_A_PAGE`] + 1:
    /// - the name index gives few: the page is led by it — each record looked up by its id and
    ///   the few sorted — instead of walking an index of the whole ledger (`+ledger` keeps the
    ///   ledger's indexes out of SQLite's choice); it gives very many ([`MANY_FOR_A_PAGE`]): the
    ///   walk tests the names alone, without first collecting what the index gives;
    /// - the code range holds many (the first six characters of a code: every enterprise of a
    ///   city): the page walks the list's own order and stops at a page, instead of reading and
    ///   sorting the whole range (`+natural_key` keeps the key's index out).
    async fn for_page(&self, conn: &mut AnyConnection, ledger: &str) -> Result<Clause, StoreError> {
        if let Some(names) = &self.names {
            let n = given(
                conn,
                &format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM ledger_names WHERE ledger_names MATCH $1 \
                     LIMIT {}) AS given",
                    MANY_FOR_A_PAGE + 1
                ),
                &[&names.query],
            )
            .await?;
            if n <= FEW_FOR_A_PAGE {
                return Ok(Clause {
                    sql: format!("+{}", self.sql),
                    ..self.clone()
                });
            }
            if n > MANY_FOR_A_PAGE {
                return Ok(Clause {
                    sql: names.left_out_of(&self.sql),
                    ..self.clone()
                });
            }
        }
        if let Some(code) = &self.code {
            let n = given(
                conn,
                &format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM ledger_records WHERE ledger = $1 \
                     AND natural_key >= $2 AND natural_key < $3 LIMIT {}) AS given",
                    FEW_FOR_A_PAGE + 1
                ),
                &[ledger, &code.from, &code.to],
            )
            .await?;
            if n > FEW_FOR_A_PAGE {
                let unindexed = code.condition.replace("natural_key", "+natural_key");
                return Ok(Clause {
                    sql: self.sql.replacen(&code.condition, &unindexed, 1),
                    ..self.clone()
                });
            }
        }
        Ok(self.clone())
    }

    /// A name search decided by its piece, with nothing else narrowing the list (no other
    /// filter, no import hidden): its matches counted up to `upto` without reading a record. The
    /// statement and its bound values.
    /// - SQLite: by FTS5 alone, the ledger's token among the pieces asked (科技, a tenth of
    ///   300,000 records: 5 ms → 1 ms).
    /// - PostgreSQL: the sum of the piece's rows in `ledger_name_counts` (migration 24), which
    ///   triggers keep with every write (科技: 11 ms fetching 10,001 rows → an index lookup).
    fn index_count(&self, upto: i64) -> Option<(String, Vec<String>)> {
        let d = self.decided.as_ref()?;
        let Some(Bind::Text(ledger)) = self.binds.first() else {
            return None;
        };
        if self.sql != d.alone {
            return None;
        }
        Some(match d.backend {
            Backend::Sqlite => (
                format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM ledger_names \
                     WHERE ledger_names MATCH $1 LIMIT {upto}) AS matches"
                ),
                vec![format!(
                    "\"{}\" {}",
                    d.piece,
                    ledger::name::ledger_token(ledger)
                )],
            ),
            Backend::Postgres => (
                format!(
                    "SELECT CAST(LEAST(COALESCE(SUM(n), 0), {upto}) AS BIGINT) \
                     FROM ledger_name_counts WHERE ledger = $1 AND piece = $2"
                ),
                vec![ledger.clone(), d.piece.clone()],
            ),
        })
    }

    /// Counts the matches up to `upto`. A name search on SQLite reads the name index's records
    /// one by one as it gives them (a join the index leads), so the count stops at `upto`
    /// without first collecting every record the index gives (`id IN (…)` would).
    fn count_sql(&self, upto: i64) -> String {
        match &self.names {
            Some(n) => format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM ledger_names CROSS JOIN ledger_records \
                 ON ledger_records.id = ledger_names.rowid \
                 WHERE ledger_names MATCH {} AND {} LIMIT {upto}) AS matches",
                n.placeholder,
                n.left_out_of(&self.sql)
            ),
            None => format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM ledger_records WHERE {} LIMIT {upto}) AS matches",
                self.sql
            ),
        }
    }

    fn next(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    fn and(&mut self, sql: &str) {
        self.sql.push_str(" AND ");
        self.sql.push_str(sql);
    }

    fn any_of(&mut self, column: &str, values: &[String]) {
        if values.is_empty() {
            self.and("1 = 0");
            return;
        }
        let ps: Vec<String> = values
            .iter()
            .map(|v| self.next(Bind::Text(v.clone())))
            .collect();
        self.and(&format!("{column} IN ({})", ps.join(", ")));
    }

    /// Leaves out the records of imports still being written (see [`Unfinished`]).
    fn hide(&mut self, unfinished: &Unfinished) {
        if let Some(sql) = unfinished.filter() {
            self.and(&sql);
        }
    }

    fn count(&mut self, at: &CountAt) {
        let c = at.count;
        let strs = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        if !c.kinds.is_empty() {
            self.any_of("kind", &strs(c.kinds));
        }
        if !c.grades.is_empty() {
            self.any_of("grade", &strs(c.grades));
        }
        if c.flagged {
            self.and("flagged = 1");
        }
        if let Some(min) = c.min_amount {
            // A constant of the code (an integer), not input: written into the statement.
            self.and(&format!("amount >= {min}"));
        }
        if c.window == Window::All {
            return;
        }
        let end = self.next(Bind::Text(at.end.iso()));
        match c.window {
            Window::InForce => self.in_force_at(&end),
            Window::YearToDate => {
                let start = self.next(Bind::Text(format!("{:04}-01-01", at.end.year)));
                self.and(&format!("on_date >= {start} AND on_date <= {end}"))
            }
            Window::All => {}
        }
    }

    /// Records in force on the day bound as `end`: begun by then, not ended before.
    fn in_force_at(&mut self, end: &str) {
        self.and(&format!(
            "(on_date IS NULL OR on_date <= {end}) AND (until_date IS NULL OR until_date >= {end})"
        ))
    }

    fn apply<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}

/// The imports whose records are still being written in chunks (SQLite): until an import is
/// done, no read sees its records. Read in the same transaction as what it filters, so both
/// see one snapshot. On PostgreSQL an import is one transaction and this is always empty.
#[derive(Debug, Default)]
struct Unfinished(Vec<i64>);

impl Unfinished {
    async fn read(conn: &mut AnyConnection, backend: Backend) -> Result<Unfinished, StoreError> {
        if backend == Backend::Postgres {
            return Ok(Unfinished::default());
        }
        let ids = sqlx::query("SELECT id FROM ledger_imports WHERE pending <> 0")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Unfinished(ids))
    }

    /// The condition that leaves their records out (`None`: nothing to leave out, which is
    /// nearly always, so the common query stays as it is).
    fn filter(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let ids: Vec<String> = self.0.iter().map(i64::to_string).collect();
        Some(format!(
            "(import_id IS NULL OR import_id NOT IN ({}))",
            ids.join(", ")
        ))
    }

    /// `sql` with the filter appended as ` AND …`.
    fn and(&self, sql: &str) -> String {
        match self.filter() {
            Some(f) => format!("{sql} AND {f}"),
            None => sql.to_string(),
        }
    }
}

const RECORD_COLUMNS: &str = "id, natural_key, unit_key, fields, version, created_at, updated_at, updated_by, sample, flagged";

fn record_of(row: &AnyRow) -> Result<StoredRecord, StoreError> {
    let fields: String = row.try_get(3)?;
    Ok(StoredRecord {
        id: row.try_get(0)?,
        natural_key: row.try_get(1)?,
        unit: row.try_get(2)?,
        record: parse_fields(&fields)?,
        version: row.try_get(4)?,
        created_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
        updated_by: row.try_get(7)?,
        sample: row.try_get::<i64, _>(8)? != 0,
        flagged: row.try_get::<i64, _>(9)? != 0,
    })
}

fn parse_fields(json: &str) -> Result<Record, StoreError> {
    serde_json::from_str::<Vec<String>>(json)
        .map(|values| Record { values })
        .map_err(|e| decode_error(format!("malformed ledger fields: {e}")))
}

fn fields_json(record: &Record) -> String {
    // A Vec<String> always serialises.
    serde_json::to_string(&record.values).unwrap_or_else(|_| "[]".into())
}

/// The indexed columns of a record.
struct Columns {
    natural_key: String,
    unit: String,
    name: String,
    kind: Option<String>,
    grade: Option<String>,
    on_date: Option<String>,
    until_date: Option<String>,
    amount: Option<f64>,
    ref_key: Option<String>,
    flagged: i64,
    /// The name's pairs and its pinyin key ([`gaoxin_core::ledger::name`]).
    name_grams: String,
    name_sort: String,
}

/// A record's pieces in the name index: its name's, then its ledger's token
/// ([`ledger::name::ledger_token`]).
fn name_grams(l: &Ledger, name: &str) -> String {
    let mut grams = ledger::name::grams_text(name);
    if !grams.is_empty() {
        grams.push(' ');
    }
    grams.push_str(&ledger::name::ledger_token(l.id));
    grams
}

fn columns(l: &Ledger, r: &Record, unit: String) -> Columns {
    let own = |slot: Option<&str>| l.slot(slot, r).map(str::to_string);
    let name = l.title(r);
    Columns {
        natural_key: l.natural_key(r),
        unit,
        name_grams: name_grams(l, name),
        name_sort: ledger::name::sort_key(name),
        name: name.to_string(),
        kind: own(l.slots.kind),
        grade: own(l.slots.grade),
        on_date: own(l.slots.date),
        until_date: own(l.slots.until),
        amount: l.slot(l.slots.amount, r).and_then(|a| a.parse().ok()),
        ref_key: own(l.slots.reference),
        flagged: i64::from(l.flag_of(r).is_some()),
    }
}

impl Columns {
    /// Binds the columns as `$1` … `$12`, in the order natural_key, unit_key, name, kind, grade,
    /// on_date, until_date, amount, ref_key, flagged, name_grams, name_sort.
    fn bind<'q>(
        &'q self,
        q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
        q.bind(&self.natural_key)
            .bind(&self.unit)
            .bind(&self.name)
            .bind(self.kind.as_deref())
            .bind(self.grade.as_deref())
            .bind(self.on_date.as_deref())
            .bind(self.until_date.as_deref())
            .bind(self.amount)
            .bind(self.ref_key.as_deref())
            .bind(self.flagged)
            .bind(&self.name_grams)
            .bind(&self.name_sort)
    }
}

/// Writes a record over the version read: false when that is no longer the stored version.
/// `import_id` says which import wrote it (`None`: a person, on the form).
async fn update(
    tx: &mut Transaction<'static, Any>,
    l: &Ledger,
    (id, read_version): (i64, i64),
    c: &Columns,
    fields: &str,
    (now, by): (Timestamp, &str),
    import_id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = c
        .bind(sqlx::query(
            "UPDATE ledger_records SET natural_key = $1, unit_key = $2, name = $3, kind = $4, \
                 grade = $5, on_date = $6, until_date = $7, amount = $8, ref_key = $9, \
                 flagged = $10, name_grams = $11, name_sort = $12, fields = $13, \
                 version = version + 1, updated_at = $14, updated_by = $15, import_id = $16, \
                 sample = 0 \
             WHERE ledger = $17 AND id = $18 AND version = $19",
        ))
        .bind(fields)
        .bind(now.0)
        .bind(by)
        .bind(import_id)
        .bind(l.id)
        .bind(id)
        .bind(read_version)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ledgers whose records refer to `l`'s (qualifications refer to enterprises).
fn dependents(l: &Ledger) -> Vec<&'static Ledger> {
    LEDGERS
        .iter()
        .copied()
        .filter(|d| d.referenced().is_some_and(|r| r.id == l.id))
        .collect()
}

/// The unit a record belongs to: its own field, or the referenced record's.
async fn unit_of(
    tx: &mut Transaction<'static, Any>,
    l: &Ledger,
    r: &Record,
) -> Result<String, LedgerError> {
    if let Some(u) = l.slot(l.slots.unit, r) {
        return Ok(u.to_string());
    }
    let (Some(target), Some(key)) = (l.referenced(), l.slot(l.slots.reference, r)) else {
        return Err(LedgerError::NotFound);
    };
    let row =
        sqlx::query("SELECT unit_key FROM ledger_records WHERE ledger = $1 AND natural_key = $2")
            .bind(target.id)
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some(row) => Ok(row.try_get(0)?),
        None => Err(LedgerError::MissingRef {
            ledger: target.zh,
            key: key.to_string(),
        }),
    }
}

/// Gives dependents' records the unit of the record they refer to.
async fn follow_units(tx: &mut Transaction<'static, Any>, l: &Ledger) -> Result<(), StoreError> {
    for d in dependents(l) {
        sqlx::query(
            "UPDATE ledger_records SET unit_key = (SELECT t.unit_key FROM ledger_records t \
                 WHERE t.ledger = $2 AND t.natural_key = ledger_records.ref_key) \
             WHERE ledger = $1 AND unit_key <> (SELECT t.unit_key FROM ledger_records t \
                 WHERE t.ledger = $2 AND t.natural_key = ledger_records.ref_key)",
        )
        .bind(d.id)
        .bind(l.id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Store {
    /// Creates (`target` `None`) or changes the record `(id, version read)`. Returns the record's
    /// id and new version.
    pub async fn ledger_save(
        &self,
        plan: &Plan,
        account: &Account,
        l: &Ledger,
        target: Option<(i64, i64)>,
        record: &Record,
        now: Timestamp,
    ) -> Result<(i64, i64), LedgerError> {
        let mut tx = self.begin_write().await?;
        let unit = unit_of(&mut tx, l, record).await?;
        if !ledger::may_edit(plan, account.who(), l, &unit) {
            return Err(LedgerError::NotPermitted);
        }
        let c = columns(l, record, unit);
        let fields = fields_json(record);
        let clash = sqlx::query(
            "SELECT id, unit_key, import_id FROM ledger_records WHERE ledger = $1 AND natural_key = $2",
        )
        .bind(l.id)
        .bind(&c.natural_key)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| {
            Ok::<_, sqlx::Error>((
                row.try_get::<i64, _>(0)?,
                row.try_get::<String, _>(1)?,
                row.try_get::<Option<i64>, _>(2)?,
            ))
        })
        .transpose()?;
        // A record an unfinished import is writing is nobody's to see yet.
        let unfinished = Unfinished::read(&mut tx, self.backend).await?;
        if clash
            .as_ref()
            .is_some_and(|(_, _, import)| import.is_some_and(|i| unfinished.0.contains(&i)))
        {
            return Err(LedgerError::Importing);
        }
        let clash = clash.map(|(id, unit, _)| (id, unit));
        // A clash is named by its number only to someone who may read it.
        let readable = ledger::readable_units(plan, account.who());
        let shown = |(id, unit): &(i64, String)| {
            readable
                .as_ref()
                .is_none_or(|units| units.contains(unit))
                .then_some(*id)
        };
        let clash = clash.map(|c| (c.0, shown(&c)));
        let mut previous: Option<String> = None;
        let (id, version, action) = match target {
            None => {
                if let Some((_, id)) = clash {
                    return Err(LedgerError::Duplicate { id });
                }
                let row = c
                    .bind(sqlx::query(
                        "INSERT INTO ledger_records (natural_key, unit_key, name, kind, grade, \
                             on_date, until_date, amount, ref_key, flagged, name_grams, name_sort, \
                             ledger, fields, version, created_at, updated_at, updated_by) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, \
                             $15, $15, $16) \
                         RETURNING id",
                    ))
                    .bind(l.id)
                    .bind(&fields)
                    .bind(now.0)
                    .bind(&account.username)
                    .fetch_one(&mut *tx)
                    .await?;
                (row.try_get::<i64, _>(0)?, 1, "create")
            }
            Some((id, read_version)) => {
                let current = sqlx::query(&format!(
                    "SELECT {RECORD_COLUMNS} FROM ledger_records WHERE ledger = $1 AND id = $2"
                ))
                .bind(l.id)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| record_of(&row))
                .transpose()?
                .ok_or(LedgerError::NotFound)?;
                if !ledger::may_edit(plan, account.who(), l, &current.unit) {
                    return Err(LedgerError::NotPermitted);
                }
                if current.version != read_version {
                    return Err(LedgerError::Stale {
                        by: current.updated_by,
                        version: current.version,
                    });
                }
                if let Some((_, other)) = clash.filter(|(other, _)| *other != id) {
                    return Err(LedgerError::Duplicate { id: other });
                }
                previous = Some(fields_json(&current.record));
                if current.natural_key != c.natural_key {
                    for d in dependents(l) {
                        let n: i64 = sqlx::query(
                            "SELECT COUNT(*) FROM ledger_records WHERE ledger = $1 AND ref_key = $2",
                        )
                        .bind(d.id)
                        .bind(&current.natural_key)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get(0)?;
                        if n > 0 {
                            return Err(LedgerError::KeyInUse { count: n });
                        }
                    }
                }
                let written = update(
                    &mut tx,
                    l,
                    (id, read_version),
                    &c,
                    &fields,
                    (now, &account.username),
                    None,
                )
                .await?;
                if !written {
                    // Another save committed between our read and our write (PostgreSQL): say
                    // whose, as it stands now.
                    let row = sqlx::query(
                        "SELECT updated_by, version FROM ledger_records WHERE ledger = $1 AND id = $2",
                    )
                    .bind(l.id)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    return Err(match row {
                        Some(row) => LedgerError::Stale {
                            by: row.try_get(0)?,
                            version: row.try_get(1)?,
                        },
                        None => LedgerError::NotFound,
                    });
                }
                (id, read_version + 1, "update")
            }
        };
        sqlx::query(
            "INSERT INTO ledger_events (ledger, record_id, action, version, fields, account, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(l.id)
        .bind(id)
        .bind(action)
        .bind(version)
        .bind(&fields)
        .bind(&account.username)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        follow_units(&mut tx, l).await?;
        let as_json = |f: &str| serde_json::from_str(f).unwrap_or(serde_json::Value::Null);
        let mut change = Change::new(
            if action == "create" {
                "ledger.create"
            } else {
                "ledger.update"
            },
            format!("ledger:{}/{id}", l.id),
        )
        .after(serde_json::json!({ "version": version, "fields": as_json(&fields) }));
        if let Some(before) = previous {
            change = change.before(serde_json::json!({
                "version": version - 1,
                "fields": as_json(&before),
            }));
        }
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok((id, version))
    }

    /// Imports checked rows: a row whose key is new is created, one whose key exists updates
    /// that record, an identical one is left alone; any error, a file imported before, or
    /// `dry_run` writes nothing. All rows or none are ever seen. The rows are handed to an
    /// [`ImportRun`] a batch at a time.
    pub async fn ledger_import(
        &self,
        act: &Act<'_>,
        l: &Ledger,
        file: &ImportFile<'_>,
        rows: &[ParsedRow],
        dry_run: bool,
    ) -> Result<LedgerImport, StoreError> {
        let mut run = self.ledger_import_start(act, l, file, dry_run).await?;
        let fed = async {
            let mut rest = rows;
            while !rest.is_empty() && !run.is_over() {
                let (batch, after) = rest.split_at(run.batch_rows().min(rest.len()));
                run.rows(batch).await?;
                rest = after;
            }
            Ok::<_, StoreError>(())
        }
        .await;
        match fed {
            Ok(()) => run.finish().await,
            Err(e) => {
                run.abandon().await;
                Err(e)
            }
        }
    }

    /// Starts an import of `file` into `l` (see [`ImportRun`]): the same file imported before,
    /// or (SQLite) another import of the ledger under way, ends it at once ([`ImportRun::is_over`]).
    pub async fn ledger_import_start<'a>(
        &'a self,
        act: &Act<'a>,
        l: &'a Ledger,
        file: &ImportFile<'_>,
        dry_run: bool,
    ) -> Result<ImportRun<'a>, StoreError> {
        let Act { plan, account, now } = *act;
        if self.backend == Backend::Sqlite && !dry_run {
            // An import a crash left behind holds its keys (and its file) until removed.
            self.remove_stale_imports(now).await?;
        }
        let mut run = ImportRun {
            store: self,
            plan,
            account,
            now,
            l,
            file_name: file.name.to_string(),
            file_hash: file.hash.to_string(),
            report: LedgerImport::default(),
            hidden: Unfinished::default(),
            target: Target::DryRun,
            conn: None,
            updates: Vec::new(),
            writer: None,
            stopped: false,
            batch_rows: IMPORT_BATCH,
        };
        if dry_run {
            let mut conn = self.pool.acquire().await?;
            run.report.already = prior_import(&mut conn, l, file.hash).await?;
            run.hidden = Unfinished::read(&mut conn, self.backend).await?;
            run.stopped = run.report.already.is_some();
            return Ok(run);
        }
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Sqlite {
            // One import of a ledger at a time: another one's batches would meet this one's keys.
            let running: Option<String> = sqlx::query(
                "SELECT file_name FROM ledger_imports WHERE ledger = $1 AND pending <> 0",
            )
            .bind(l.id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
            if let Some(other) = running {
                run.refuse(RowError::new(
                    0,
                    String::new(),
                    &ImportRefusal::AnotherImport {
                        other: &other,
                        minutes: STALE_IMPORT_SECS / 60,
                    },
                ));
                return Ok(run);
            }
        }
        let batches = self.backend == Backend::Sqlite;
        let import_id = match start_import(&mut tx, l, file, account, batches, now).await? {
            Ok(id) => id,
            Err(prior) => {
                run.report.already = Some(prior);
                run.stopped = true;
                return Ok(run);
            }
        };
        run.hidden = Unfinished::read(&mut tx, self.backend).await?;
        run.target = if batches {
            tx.commit().await?;
            Target::Batches { import_id }
        } else {
            Target::Once { tx, import_id }
        };
        Ok(run)
    }

    /// The last step of an import, inside its last transaction: one history row per record it
    /// wrote, dependents following their records' units, and the sealed audit event.
    async fn finish_import(
        &self,
        tx: &mut Transaction<'static, Any>,
        (account, now): (&Account, Timestamp),
        l: &Ledger,
        file: &ImportFile<'_>,
        import_id: i64,
        report: &LedgerImport,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO ledger_events (ledger, record_id, action, version, fields, import_id, \
                 account, at) \
             SELECT $1, id, 'import', version, fields, import_id, $3, $4 FROM ledger_records \
             WHERE import_id = $2",
        )
        .bind(l.id)
        .bind(import_id)
        .bind(&account.username)
        .bind(now.0)
        .execute(&mut **tx)
        .await?;
        follow_units(tx, l).await?;
        // One event for the file; each record's change is in ledger_events.
        let change =
            Change::new("ledger.import", format!("ledger:{}", l.id)).after(serde_json::json!({
                "file": file.name,
                "sha256": file.hash,
                "import": import_id,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }));
        self.seal(tx, Some(account), change, now).await
    }

    /// Removes what an unfinished import wrote: its invisible records and its row — checked
    /// again inside the transaction that removes them, so an import that finished meanwhile
    /// (or, with `idle_since`, one touched since) is left alone. Returns whether it removed.
    async fn remove_import(
        &self,
        import_id: i64,
        idle_since: Option<i64>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let still = sqlx::query(
            "SELECT 1 FROM ledger_imports WHERE id = $1 AND pending <> 0 \
             AND ($2 IS NULL OR COALESCE(touched_at, at) < $2)",
        )
        .bind(import_id)
        .bind(idle_since)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
        if still {
            sqlx::query("DELETE FROM ledger_records WHERE import_id = $1")
                .bind(import_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM ledger_imports WHERE id = $1")
                .bind(import_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(still)
    }

    /// Removes imports a crash left half-written: unfinished, and untouched for two minutes.
    /// Returns how many.
    pub async fn remove_stale_imports(&self, now: Timestamp) -> Result<usize, StoreError> {
        // Candidates; each is checked again in the transaction that removes it.
        let stale: Vec<i64> = sqlx::query(
            "SELECT id FROM ledger_imports WHERE pending <> 0 AND COALESCE(touched_at, at) < $1",
        )
        .bind(now.0 - STALE_IMPORT_SECS)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
        let mut removed = 0;
        for id in stale {
            if self
                .remove_import(id, Some(now.0 - STALE_IMPORT_SECS))
                .await?
            {
                tracing::warn!(
                    import_id = id,
                    "removed an import a crash left half-written"
                );
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Folds each piece's rows of `ledger_name_counts` (PostgreSQL) into one: every statement
    /// writing records appends rows of changes, so a piece held by many records gathers a row per
    /// import batch and per renamed record. Run by `gaoxin serve`'s periodic housekeeping, and by
    /// [`Store::settle`]. Returns how many pieces it folded; SQLite keeps no such table.
    pub async fn compact_name_counts(&self) -> Result<u64, StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        // Two instances serving one database fold one after the other (the second finds little).
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(NAME_COUNTS_LOCK)
            .execute(&mut *tx)
            .await?;
        // A piece's rows as this statement sees them are deleted and their sum written: rows
        // committed meanwhile stay as they are, and a deleted row is counted once.
        let done = sqlx::query(
            "WITH many AS (SELECT ledger, piece FROM ledger_name_counts \
                 GROUP BY ledger, piece HAVING count(*) > 1), \
             gone AS (DELETE FROM ledger_name_counts c USING many \
                 WHERE c.ledger = many.ledger AND c.piece = many.piece \
                 RETURNING c.ledger, c.piece, c.n) \
             INSERT INTO ledger_name_counts (ledger, piece, n) \
             SELECT ledger, piece, sum(n) FROM gone GROUP BY ledger, piece HAVING sum(n) <> 0",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// One page of a ledger's records and how many match. A first page shorter than a page is
    /// all there is, so it is not counted again: a search for a rare name costs one pass over
    /// the index instead of two.
    pub async fn ledger_list(&self, l: &Ledger, q: &ListQuery) -> Result<ListPage, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut clause = list_clause(self.backend, l, q);
        clause.hide(&Unfinished::read(&mut tx, self.backend).await?);
        let page = clause.for_page(&mut tx, l.id).await?;
        let rows = ledger_rows(&mut tx, q, &page).await?;
        if q.offset == 0 && (rows.len() as i64) < q.limit {
            tx.commit().await?;
            return Ok(ListPage {
                total: rows.len() as i64,
                rows,
                capped: false,
            });
        }
        let counted: i64 = match clause.index_count(COUNT_LIMIT + 1) {
            Some((sql, binds)) => {
                let binds: Vec<&str> = binds.iter().map(String::as_str).collect();
                given(&mut tx, &sql, &binds).await?
            }
            None => clause
                .apply(sqlx::query(&clause.count_sql(COUNT_LIMIT + 1)))
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?,
        };
        tx.commit().await?;
        Ok(ListPage {
            rows,
            total: counted.min(COUNT_LIMIT),
            capped: counted > COUNT_LIMIT,
        })
    }

    /// Every record a list's filters match, in its order (for export).
    pub async fn ledger_all(
        &self,
        l: &Ledger,
        q: &ListQuery,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let q = ListQuery {
            offset: 0,
            limit: i64::MAX,
            ..q.clone()
        };
        let mut tx = self.pool.begin().await?;
        let mut clause = list_clause(self.backend, l, &q);
        clause.hide(&Unfinished::read(&mut tx, self.backend).await?);
        let page = clause.for_page(&mut tx, l.id).await?;
        let rows = ledger_rows(&mut tx, &q, &page).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// One record.
    pub async fn ledger_record(
        &self,
        l: &Ledger,
        id: i64,
    ) -> Result<Option<StoredRecord>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let hidden = Unfinished::read(&mut tx, self.backend).await?;
        let record = sqlx::query(&hidden.and(&format!(
            "SELECT {RECORD_COLUMNS} FROM ledger_records WHERE ledger = $1 AND id = $2"
        )))
        .bind(l.id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| record_of(&row))
        .transpose()?;
        tx.commit().await?;
        Ok(record)
    }

    /// A record's history, oldest first.
    pub async fn ledger_history(
        &self,
        l: &Ledger,
        id: i64,
    ) -> Result<Vec<LedgerEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.action, e.version, e.fields, e.account, e.at, i.file_name \
             FROM ledger_events e LEFT JOIN ledger_imports i ON i.id = e.import_id \
             WHERE e.ledger = $1 AND e.record_id = $2 ORDER BY e.id",
        )
        .bind(l.id)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let fields: String = row.try_get(2)?;
                Ok(LedgerEvent {
                    action: row.try_get(0)?,
                    version: row.try_get(1)?,
                    record: parse_fields(&fields)?,
                    account: row.try_get(3)?,
                    at: row.try_get(4)?,
                    file_name: row.try_get(5)?,
                })
            })
            .collect()
    }

    /// A ledger's records that `q`'s filters take, counted per kind (stage, status,
    /// qualification) — for the 台账看板. `stall`: records dated on or before the cutoff at a
    /// stage other than these count as stalled (`q.stalled` is not a filter here).
    pub async fn ledger_groups(
        &self,
        l: &Ledger,
        q: &ListQuery,
        stall: Option<(&str, &[&str])>,
    ) -> Result<Vec<Group>, StoreError> {
        let (mut tx, mut clause) = self.grouped(l, q).await?;
        let stalled = match stall {
            Some((cutoff, except)) => {
                let mut when = format!("on_date <= {}", clause.next(Bind::Text(cutoff.into())));
                if !except.is_empty() {
                    let ps: Vec<String> = except
                        .iter()
                        .map(|k| clause.next(Bind::Text(k.to_string())))
                        .collect();
                    when.push_str(&format!(" AND kind NOT IN ({})", ps.join(", ")));
                }
                when
            }
            None => "1 = 0".into(),
        };
        // BIG_PROJECT is a constant of the code, not input: written into the statement.
        let sql = format!(
            "SELECT COALESCE(kind, ''), COUNT(*), COALESCE(SUM(amount), 0.0), \
                    COUNT(CASE WHEN flagged <> 0 THEN 1 END), COUNT(CASE WHEN {stalled} THEN 1 END), \
                    COUNT(CASE WHEN amount >= {big} THEN 1 END), COUNT(DISTINCT ref_key), MAX(sample) \
             FROM ledger_records WHERE {} GROUP BY kind ORDER BY kind",
            clause.sql,
            big = gaoxin_core::known::BIG_PROJECT,
        );
        let rows = clause.apply(sqlx::query(&sql)).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                Ok(Group {
                    kind: row.try_get(0)?,
                    records: row.try_get(1)?,
                    amount: row.try_get(2)?,
                    flagged: row.try_get(3)?,
                    stalled: row.try_get(4)?,
                    big: row.try_get(5)?,
                    subjects: row.try_get(6)?,
                    sample: row.try_get::<i64, _>(7)? != 0,
                })
            })
            .collect()
    }

    /// The sums of some amount or count fields of a list's records, per kind: what is not in an
    /// indexed column (a fund's invested amount), read from the stored values (a small ledger's
    /// few rows). Each field is summed as a number; an empty value counts as nothing.
    pub async fn ledger_field_sums(
        &self,
        l: &Ledger,
        q: &ListQuery,
        fields: &[&str],
    ) -> Result<Vec<(String, Vec<f64>)>, StoreError> {
        let sums: Vec<String> = fields
            .iter()
            .filter_map(|f| l.field_index(f))
            // An index of the code's own field list, not input: written into the statement.
            .map(|i| match self.backend {
                Backend::Sqlite => format!(
                    "COALESCE(SUM(CAST(NULLIF(json_extract(fields, '$[{i}]'), '') AS REAL)), 0.0)"
                ),
                Backend::Postgres => {
                    format!("COALESCE(SUM(NULLIF(fields::json ->> {i}, '')::float8), 0.0)")
                }
            })
            .collect();
        if sums.len() != fields.len() {
            return Err(decode_error(format!(
                "{}: no such field among {fields:?}",
                l.id
            )));
        }
        let (mut tx, clause) = self.grouped(l, q).await?;
        let sql = format!(
            "SELECT COALESCE(kind, ''), {} FROM ledger_records WHERE {} GROUP BY kind ORDER BY kind",
            sums.join(", "),
            clause.sql
        );
        let rows = clause.apply(sqlx::query(&sql)).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                let values = (1..=fields.len())
                    .map(|i| row.try_get::<f64, _>(i))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((row.try_get(0)?, values))
            })
            .collect()
    }

    /// A read transaction and the WHERE clause of `q`'s filters for counting per kind (a stage
    /// filter is not one: stalled records are counted, not picked).
    async fn grouped(
        &self,
        l: &Ledger,
        q: &ListQuery,
    ) -> Result<(Transaction<'static, Any>, Clause), StoreError> {
        let q = ListQuery {
            stalled: None,
            ..q.clone()
        };
        let mut tx = self.pool.begin().await?;
        let mut clause = list_clause(self.backend, l, &q);
        clause.hide(&Unfinished::read(&mut tx, self.backend).await?);
        Ok((tx, clause))
    }

    /// How many records a ledger holds (0: not kept in gaoxin yet).
    pub async fn ledger_size(&self, l: &Ledger) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let hidden = Unfinished::read(&mut tx, self.backend).await?;
        let n = sqlx::query(&hidden.and("SELECT COUNT(*) FROM ledger_records WHERE ledger = $1"))
            .bind(l.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        tx.commit().await?;
        Ok(n)
    }

    /// A count at the end of a period, per unit the records belong to: how many, how many of
    /// them the ledger flags, whether any is sample data.
    pub async fn ledger_count(&self, at: &CountAt) -> Result<Vec<(String, Taken)>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut clause = Clause::new(at.count.ledger);
        clause.count(at);
        clause.hide(&Unfinished::read(&mut tx, self.backend).await?);
        let sql = format!(
            "SELECT unit_key, COUNT(*), COUNT(CASE WHEN flagged <> 0 THEN 1 END), MAX(sample) \
             FROM ledger_records WHERE {} GROUP BY unit_key",
            clause.sql
        );
        let rows = clause.apply(sqlx::query(&sql)).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get(0)?,
                    Taken {
                        records: row.try_get(1)?,
                        flagged: row.try_get(2)?,
                        sample: row.try_get::<i64, _>(3)? != 0,
                    },
                ))
            })
            .collect()
    }

    /// What the ledgers count for the plan's sub-targets judged at `at` (each at its own
    /// year's period), and which of their ledgers hold no record yet.
    pub async fn subtarget_counts(&self, plan: &Plan, at: YearMonth) -> Result<Counts, StoreError> {
        let mut counts = Counts::new();
        // Each ledger's size is asked once: whether it is kept at all.
        let mut kept: Vec<(&'static str, bool)> = Vec::new();
        for (count, period) in subtarget::wanted(plan, at) {
            let Some(l) = Ledger::find(count.ledger) else {
                continue;
            };
            let is_kept = match kept.iter().find(|(id, _)| *id == l.id) {
                Some((_, k)) => *k,
                None => {
                    let k = self.ledger_size(l).await? > 0;
                    kept.push((l.id, k));
                    if !k {
                        counts.not_kept(l.id);
                    }
                    k
                }
            };
            if !is_kept {
                continue;
            }
            for (unit, taken) in self
                .ledger_count(&CountAt {
                    count,
                    end: Day::end_of(period),
                })
                .await?
            {
                counts.insert(count, period, &unit, taken);
            }
        }
        Ok(counts)
    }

    /// Puts the ledger counts of `plan`'s counted figures into `figures`, for every due period
    /// from `from` to `to` and every unit (a unit's count takes the units under it), in place
    /// of any typed values. A ledger with no record at all is not kept in gaoxin yet: its
    /// figures stay unreported rather than read as zero.
    pub(crate) async fn add_ledger_counts(
        &self,
        plan: &Plan,
        figures: &mut Figures,
        from: YearMonth,
        to: YearMonth,
    ) -> Result<(), StoreError> {
        for f in &plan.figures {
            let Some(count) = f.counted.as_deref().and_then(Count::find) else {
                continue;
            };
            figures.forget(&f.id);
            let Some(l) = Ledger::find(count.ledger) else {
                continue;
            };
            if self.ledger_size(l).await? == 0 {
                continue;
            }
            let trees: Vec<(String, Vec<String>)> = plan
                .units
                .iter()
                .map(|u| (u.id.clone(), ledger::subtree(plan, &u.id)))
                .collect();
            let mut p = from;
            while p <= to {
                if f.frequency.is_due(p.month) {
                    let counted = self
                        .ledger_count(&CountAt {
                            count,
                            end: Day::end_of(p),
                        })
                        .await?;
                    for (unit, tree) in &trees {
                        let (n, flagged, sample) = counted
                            .iter()
                            .filter(|(u, _)| tree.contains(u))
                            .fold((0, 0, false), |(n, f, s), (_, t)| {
                                (n + t.records, f + t.flagged, s || t.sample)
                            });
                        let Some(value) = count.tally.value(n, flagged) else {
                            continue;
                        };
                        figures.insert(
                            unit,
                            &f.id,
                            p,
                            Observation {
                                value,
                                state: FigureState::Confirmed,
                                revised: false,
                                sample,
                            },
                        );
                    }
                }
                p = p.next();
            }
        }
        Ok(())
    }

    /// Whether any ledger holds a record that is not sample data.
    pub async fn has_real_ledger_records(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM ledger_records WHERE sample = 0")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>(0)? > 0)
    }

    /// Loads sample records (示例数据) into empty ledgers, marked as sample everywhere they show.
    /// Ledgers that hold records already are left alone.
    pub async fn load_sample_ledgers(
        &self,
        plan: &Plan,
        sets: &[(&'static Ledger, Vec<Record>)],
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let loader = Account {
            id: 0,
            username: crate::messages::SAMPLE_MARK.into(),
            unit: "dispatch".into(),
            roles: vec![gaoxin_core::auth::RoleKind::Dispatcher],
            disabled: false,
            must_change_password: false,
            password_changed_at: 0,
            totp_enabled: false,
            created_at: 0,
            full_name: String::new(),
            phone: String::new(),
            email: None,
            email_notices: gaoxin_core::notices::EmailChoice::None,
        };
        let mut loaded = 0;
        for (l, records) in sets {
            if self.ledger_size(l).await? > 0 {
                continue;
            }
            let rows: Vec<ParsedRow> = records
                .iter()
                .enumerate()
                .map(|(i, r)| ParsedRow {
                    line: i + 2,
                    record: r.clone(),
                })
                .collect();
            let hash = format!("sample:{}", l.id);
            let report = self
                .ledger_import(
                    &Act::of(plan, &loader, now),
                    l,
                    &ImportFile::new(crate::messages::SAMPLE_MARK, &hash),
                    &rows,
                    false,
                )
                .await?;
            if let Some(e) = report.errors.first() {
                return Err(decode_error(format!("sample {}: {e}", l.id)));
            }
            loaded += report.created;
            let mut tx = self.begin_write().await?;
            sqlx::query(
                "UPDATE ledger_records SET sample = 1 WHERE import_id = \
                     (SELECT id FROM ledger_imports WHERE ledger = $1 AND file_hash = $2)",
            )
            .bind(l.id)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO sample_data (kind, loaded_at) VALUES ('ledgers', $1) \
                 ON CONFLICT (kind) DO NOTHING",
            )
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Ok(loaded)
    }
}

/// Records checked and written per batch: on SQLite the first batch's (the next are sized by
/// [`next_batch`]), on PostgreSQL every batch's (one statement, one JSON array).
const IMPORT_BATCH: usize = 5_000;

/// SQLite: how long a batch should hold the one write lock. The next batch is sized by the last
/// one's pace to take about this long — larger while the ledger is small and a batch is quick
/// (each commit rewrites every index page its rows touched, so 5,000-row commits wrote the name
/// indexes over and over: 100,000 rows into the same schema took the `sqlite3` shell 2.7 s in
/// 5,000-row transactions, 1.6 s in 25,000-row ones), smaller as it grows — so a sign-in or a
/// saved form waits for at most about this long behind an import.
pub(crate) const BATCH_HOLD: std::time::Duration = std::time::Duration::from_millis(250);

/// SQLite: the most records one batch takes (memory: the batch's rows).
const MAX_IMPORT_BATCH: usize = 50_000;

/// The next SQLite batch's size: what fits in `hold` ([`BATCH_HOLD`] unless set otherwise) at
/// the pace of the last, `rows` records written in `took` — at most twice the last, within
/// [`IMPORT_BATCH`] and [`MAX_IMPORT_BATCH`].
fn next_batch(rows: usize, took: std::time::Duration, hold: std::time::Duration) -> usize {
    let fits = rows as u128 * hold.as_nanos() / took.as_nanos().max(1);
    let fits = usize::try_from(fits).unwrap_or(usize::MAX);
    fits.min(rows.saturating_mul(2))
        .clamp(IMPORT_BATCH, MAX_IMPORT_BATCH)
}

/// An unfinished import untouched for this long was left by a crash (a live one touches its
/// row with every batch, a fraction of a second apart, and as its last step begins).
const STALE_IMPORT_SECS: i64 = 120;

/// The file an import comes from.
/// The file an import comes from: its name, and the SHA-256 that recognises it again.
#[derive(Debug, Clone, Copy)]
pub struct ImportFile<'a> {
    pub name: &'a str,
    pub hash: &'a str,
}

impl<'a> ImportFile<'a> {
    pub fn new(name: &'a str, hash: &'a str) -> ImportFile<'a> {
        ImportFile { name, hash }
    }
}

/// A new record to write: its line, its columns, its fields as JSON.
type Insert = (usize, Columns, String);
/// An update: its line, the record's id and the version read, its columns, its fields.
type Update = (usize, i64, i64, Columns, String);

/// Where an import's records go.
enum Target {
    /// Nowhere: a dry run (or an import that ended before it began).
    DryRun,
    /// SQLite: each batch checked by a read, then its new records written in a short
    /// transaction of their own (sized to hold the write lock about [`BATCH_HOLD`]), invisible
    /// (`pending`) to every read until the last transaction (the updates, the history, the import made
    /// visible) — so a 1,000,000-row import never holds SQLite's one write lock for more than
    /// a moment and the web application's writes go on between its batches.
    Batches { import_id: i64 },
    /// PostgreSQL: one transaction (an import blocks no other writer there).
    Once {
        tx: Transaction<'static, Any>,
        import_id: i64,
    },
}

/// An import under way, fed its checked rows a batch at a time as the workbook is read: each
/// batch is checked against the database (the unit is the account's to edit, a referenced
/// record exists; new, changed or the same as stored — only the batch's keys are looked up)
/// and its new records written at once, while nothing has been refused. Memory holds one batch
/// and the updates (applied in the last step, over the versions read), not the file.
///
/// A refused row — the database's ([`ImportRun::rows`]) or the file's ([`ImportRun::refuse`])
/// — stops the writing; later rows are still checked, so every error is reported, and
/// [`ImportRun::finish`] then removes what was written (SQLite) or rolls back (PostgreSQL).
/// A run dropped without `finish` or `abandon` (a crash) leaves a pending import that the next
/// import or [`Store::remove_stale_imports`] removes.
pub struct ImportRun<'a> {
    store: &'a Store,
    plan: &'a Plan,
    account: &'a Account,
    now: Timestamp,
    l: &'a Ledger,
    file_name: String,
    file_hash: String,
    report: LedgerImport,
    hidden: Unfinished,
    target: Target,
    /// SQLite: the one connection the batches are checked and written on, so that one page
    /// cache (kept warm from batch to batch) holds the ledger's indexes, not one per pooled
    /// connection.
    conn: Option<sqlx::pool::PoolConnection<Any>>,
    updates: Vec<Update>,
    /// SQLite: the connection the batches' new records are written on (rusqlite, the SQLite
    /// sqlx builds), opened at the first batch: every value bound in place. Through sqlx a
    /// batch went as one JSON array the database unpacked: 7 µs a record of the 20–25 the
    /// writing took.
    writer: Option<rusqlite::Connection>,
    /// Something was refused (or the file imported before): nothing more is written.
    stopped: bool,
    /// The rows the next batch should take ([`ImportRun::batch_rows`]).
    batch_rows: usize,
}

impl std::fmt::Debug for ImportRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportRun")
            .field("ledger", &self.l.id)
            .field("file_name", &self.file_name)
            .field("report", &self.report)
            .field("updates", &self.updates.len())
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

impl ImportRun<'_> {
    /// The import ended before its rows: the file was imported before, or another import of
    /// the ledger is under way (the report says which).
    pub fn is_over(&self) -> bool {
        self.report.already.is_some()
            || (self.stopped && self.report.errors.iter().any(|e| e.line == 0))
    }

    /// How many rows to hand to the next [`ImportRun::rows`]: on SQLite, as many as the last
    /// batch's pace writes while holding the write lock about a quarter of a second (5,000 to
    /// 50,000); otherwise 5,000.
    pub fn batch_rows(&self) -> usize {
        self.batch_rows
    }

    /// The file holds an error of its own: nothing more is written, and nothing is kept.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    fn refuse(&mut self, e: RowError) {
        self.report.errors.push(e);
        self.stopped = true;
    }

    /// Checks `rows` against the database and, while nothing has been refused and this is no
    /// dry run, writes the new ones.
    pub async fn rows(&mut self, rows: &[ParsedRow]) -> Result<(), StoreError> {
        if self.is_over() || rows.is_empty() {
            return Ok(());
        }
        let mut target = std::mem::replace(&mut self.target, Target::DryRun);
        let done = self.batch(&mut target, rows).await;
        self.target = target;
        if self.stopped || matches!(self.target, Target::DryRun) {
            // Never applied: no need to hold them.
            self.updates.clear();
        }
        done
    }

    async fn batch(&mut self, target: &mut Target, rows: &[ParsedRow]) -> Result<(), StoreError> {
        match target {
            Target::Once { tx, import_id } => {
                let inserts = self.check(tx, rows).await?;
                if self.stopped {
                    return Ok(());
                }
                let (l, account, now) = (self.l, self.account, self.now);
                if let Some(e) = insert_batch(tx, l, *import_id, &inserts, account, now).await? {
                    self.refuse(e);
                    // The failed statement ended the transaction: rolled back now, the rest
                    // of the rows are checked by reads.
                    if let Target::Once { tx, .. } = std::mem::replace(target, Target::DryRun) {
                        tx.rollback().await?;
                    }
                }
            }
            Target::Batches { import_id } if !self.stopped => {
                let mut conn = self.held().await?;
                // Checked in a read transaction, without the write lock: between two batches
                // another writer (a sign-in, a saved form) gets in while this one is checked.
                // What the check read may change before the write: a key taken meanwhile is
                // refused by the write itself, a changed record by its version in the last step.
                let mut read = sqlx::Connection::begin(&mut *conn).await?;
                let inserts = self.check(&mut read, rows).await?;
                read.rollback().await?;
                self.conn = Some(conn);
                if !self.stopped {
                    let (refused, held) = self.write_batch(*import_id, inserts).await?;
                    match refused {
                        Some(e) => self.refuse(e),
                        None => {
                            self.batch_rows = next_batch(rows.len(), held, self.store.batch_hold);
                            tracing::debug!(
                                import_id = *import_id,
                                rows = rows.len(),
                                held_ms = held.as_millis() as u64,
                                next = self.batch_rows,
                                "import batch written"
                            );
                        }
                    }
                }
            }
            // A dry run, or an import that will write nothing more: a read (a deferred
            // transaction takes no write lock), for the rows' errors.
            _ => {
                let mut conn = self.held().await?;
                let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                self.check(&mut tx, rows).await?;
                tx.rollback().await?;
                self.conn = Some(conn);
            }
        }
        Ok(())
    }

    /// The connection the run holds (SQLite), taken out while in use.
    async fn held(&mut self) -> Result<sqlx::pool::PoolConnection<Any>, StoreError> {
        Ok(match self.conn.take() {
            Some(conn) => conn,
            None => self.store.pool.acquire().await?,
        })
    }

    /// Checks a batch against what `conn` reads (errors into the report, updates kept for the
    /// last step); returns its new records.
    async fn check(
        &mut self,
        conn: &mut AnyConnection,
        rows: &[ParsedRow],
    ) -> Result<Vec<Insert>, StoreError> {
        let inserts = check_batch(
            conn,
            self.store.backend,
            &self.hidden,
            (self.plan, self.account, self.l),
            rows,
            (&mut self.report, &mut self.updates),
        )
        .await?;
        self.stopped |= !self.report.errors.is_empty();
        Ok(inserts)
    }

    /// SQLite: writes a batch's new records in a transaction of their own on the run's writing
    /// connection, on a blocking thread; returns the refusal of that write (a key taken
    /// meanwhile) and how long it held the write lock.
    async fn write_batch(
        &mut self,
        import_id: i64,
        inserts: Vec<Insert>,
    ) -> Result<(Option<RowError>, std::time::Duration), StoreError> {
        let failed = |e: rusqlite::Error| StoreError::ImportWrite(e.to_string());
        let mut writer = match self.writer.take() {
            Some(writer) => writer,
            None => {
                let file =
                    self.store.url.sqlite_file().ok_or_else(|| {
                        StoreError::ImportWrite("not a SQLite database file".into())
                    })?;
                open_writer(&file).map_err(failed)?
            }
        };
        let by = BatchBy {
            ledger: self.l.id.to_string(),
            import_id,
            account: self.account.username.clone(),
            now: self.now.0,
            touched: self.now.0.max(crate::now().0),
        };
        let (writer, written) = tokio::task::spawn_blocking(move || {
            let written = write_sqlite_batch(&mut writer, &by, &inserts);
            (writer, written)
        })
        .await
        .map_err(|_| StoreError::ImportWrite("the writing thread failed".into()))?;
        self.writer = Some(writer);
        written.map_err(failed)
    }

    /// Ends the import: unless something was refused (or it is a dry run), the updates, one
    /// history row per record, the import made visible and its audit event, in one transaction;
    /// otherwise what was written is removed. Returns what it came to.
    pub async fn finish(mut self) -> Result<LedgerImport, StoreError> {
        let store = self.store;
        // Back to the pool: the last transaction may well take it again.
        drop(self.conn.take());
        drop(self.writer.take());
        let target = std::mem::replace(&mut self.target, Target::DryRun);
        if self.stopped || !self.report.errors.is_empty() {
            discard(store, target).await?;
            return Ok(self.report);
        }
        let (mut tx, import_id) = match target {
            Target::DryRun => return Ok(self.report),
            Target::Once { tx, import_id } => (tx, import_id),
            Target::Batches { import_id } => {
                let mut tx = store.begin_write().await?;
                touch(&mut tx, import_id, self.now).await?;
                (tx, import_id)
            }
        };
        let written = async {
            if let Some(e) = apply_updates(
                &mut tx,
                self.l,
                import_id,
                &self.updates,
                self.account,
                self.now,
            )
            .await?
            {
                return Ok(Some(e));
            }
            sqlx::query(
                "UPDATE ledger_imports SET pending = 0, created = $1, updated = $2, \
                 unchanged = $3 WHERE id = $4",
            )
            .bind(self.report.created as i64)
            .bind(self.report.updated as i64)
            .bind(self.report.unchanged as i64)
            .bind(import_id)
            .execute(&mut *tx)
            .await?;
            let file = ImportFile::new(&self.file_name, &self.file_hash);
            store
                .finish_import(
                    &mut tx,
                    (self.account, self.now),
                    self.l,
                    &file,
                    import_id,
                    &self.report,
                )
                .await?;
            Ok::<_, StoreError>(None)
        }
        .await;
        let batches = store.backend == Backend::Sqlite;
        match written {
            Ok(None) => {
                tx.commit().await?;
                Ok(self.report)
            }
            Ok(Some(refused)) => {
                tx.rollback().await?;
                if batches {
                    store.remove_import(import_id, None).await?;
                }
                self.report.errors.push(refused);
                Ok(self.report)
            }
            Err(e) => {
                drop(tx);
                if batches && let Err(again) = store.remove_import(import_id, None).await {
                    tracing::error!(error = %again, import_id, "could not remove a failed import; it is removed later");
                }
                Err(e)
            }
        }
    }

    /// Gives up after a failure: what was written is removed (or, if even that fails, left to
    /// [`Store::remove_stale_imports`]).
    pub async fn abandon(mut self) {
        drop(self.conn.take());
        drop(self.writer.take());
        let target = std::mem::replace(&mut self.target, Target::DryRun);
        if let Err(e) = discard(self.store, target).await {
            tracing::error!(error = %e, "could not remove a failed import; it is removed later");
        }
    }
}

/// Removes what a run wrote.
async fn discard(store: &Store, target: Target) -> Result<(), StoreError> {
    match target {
        Target::DryRun => Ok(()),
        Target::Once { tx, .. } => Ok(tx.rollback().await?),
        Target::Batches { import_id } => store.remove_import(import_id, None).await.map(|_| ()),
    }
}

/// Marks a batched import as alive (an import untouched for two minutes is taken for one a
/// crash left behind).
async fn touch(conn: &mut AnyConnection, import_id: i64, now: Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE ledger_imports SET touched_at = $1 WHERE id = $2")
        .bind(now.0.max(crate::now().0))
        .bind(import_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The stored records of `ledger` under `keys` (their `columns`), read inside `conn`'s
/// transaction.
async fn by_keys(
    conn: &mut AnyConnection,
    backend: Backend,
    hidden: &Unfinished,
    (ledger, columns): (&str, &str),
    keys: &[&str],
) -> Result<Vec<AnyRow>, StoreError> {
    let keys =
        serde_json::to_string(keys).map_err(|e| decode_error(format!("import keys: {e}")))?;
    let listed = match backend {
        Backend::Sqlite => "natural_key IN (SELECT value FROM json_each($2))",
        Backend::Postgres => "natural_key IN (SELECT json_array_elements_text($2::json))",
    };
    let sql = hidden.and(&format!(
        "SELECT {columns} FROM ledger_records WHERE ledger = $1 AND {listed}"
    ));
    Ok(sqlx::query(&sql)
        .bind(ledger)
        .bind(keys)
        .fetch_all(&mut *conn)
        .await?)
}

/// Checks one batch of rows against what is stored now: the rows to create (returned), the
/// updates (appended), the unchanged and refused rows (counted and reported).
async fn check_batch(
    conn: &mut AnyConnection,
    backend: Backend,
    hidden: &Unfinished,
    (plan, account, l): (&Plan, &Account, &Ledger),
    rows: &[ParsedRow],
    (report, updates): (&mut LedgerImport, &mut Vec<Update>),
) -> Result<Vec<Insert>, StoreError> {
    let keys: Vec<String> = rows.iter().map(|r| l.natural_key(&r.record)).collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    // What is there now: key → (id, version, unit, fields).
    let mut existing: HashMap<String, (i64, i64, String, String)> = HashMap::new();
    for row in by_keys(
        conn,
        backend,
        hidden,
        (l.id, "natural_key, id, version, unit_key, fields"),
        &key_refs,
    )
    .await?
    {
        existing.insert(
            row.try_get(0)?,
            (
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
            ),
        );
    }
    // The records the rows refer to: key → unit.
    let mut targets: HashMap<String, String> = HashMap::new();
    if let Some(t) = l.referenced() {
        let refs: Vec<&str> = rows
            .iter()
            .filter_map(|r| l.slot(l.slots.reference, &r.record))
            .collect();
        for row in by_keys(
            conn,
            backend,
            hidden,
            (t.id, "natural_key, unit_key"),
            &refs,
        )
        .await?
        {
            targets.insert(row.try_get(0)?, row.try_get(1)?);
        }
    }
    let who = account.who();
    let column_of = |field: &str| {
        l.field(field)
            .map_or_else(|| field.to_string(), |f| f.zh.to_string())
    };
    let mut inserts = Vec::new();
    for row in rows {
        let unit = match (l.slot(l.slots.unit, &row.record), l.referenced()) {
            (Some(u), _) => u.to_string(),
            (None, Some(t)) => {
                let key = l.slot(l.slots.reference, &row.record).unwrap_or("");
                match targets.get(key) {
                    Some(u) => u.clone(),
                    None => {
                        report.errors.push(RowError::new(
                            row.line,
                            column_of(l.slots.reference.unwrap_or("")),
                            &ImportRefusal::MissingReference {
                                ledger_zh: t.zh,
                                ledger_en: t.en,
                                key,
                            },
                        ));
                        continue;
                    }
                }
            }
            (None, None) => String::new(),
        };
        let fields = fields_json(&row.record);
        let c = columns(l, &row.record, unit);
        let old = existing.get(&c.natural_key);
        let permitted = ledger::may_edit(plan, who, l, &c.unit)
            && old.is_none_or(|(_, _, u, _)| ledger::may_edit(plan, who, l, u));
        if !permitted {
            report.errors.push(RowError::new(
                row.line,
                column_of(l.slots.unit.or(l.slots.reference).unwrap_or("")),
                &ImportRefusal::NotPermitted,
            ));
            continue;
        }
        match old {
            None => {
                report.created += 1;
                inserts.push((row.line, c, fields));
            }
            Some((_, _, _, f)) if *f == fields => report.unchanged += 1,
            Some((id, version, _, _)) => {
                report.updated += 1;
                updates.push((row.line, *id, *version, c, fields));
            }
        }
    }
    Ok(inserts)
}

/// The import of the same file, if there was one.
async fn prior_import(
    conn: &mut AnyConnection,
    l: &Ledger,
    file_hash: &str,
) -> Result<Option<PriorImport>, StoreError> {
    // An unfinished import is not an import yet (it is finished or removed).
    let row = sqlx::query(
        "SELECT file_name, account, at FROM ledger_imports \
         WHERE ledger = $1 AND file_hash = $2 AND pending = 0",
    )
    .bind(l.id)
    .bind(file_hash)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(row) => Some(PriorImport {
            file_name: row.try_get(0)?,
            account: row.try_get(1)?,
            at: row.try_get(2)?,
        }),
        None => None,
    })
}

/// Records the import (`pending` until its last step, for batches): its id, or the import of
/// the same file that got there first.
async fn start_import(
    tx: &mut Transaction<'static, Any>,
    l: &Ledger,
    file: &ImportFile<'_>,
    account: &Account,
    pending: bool,
    now: Timestamp,
) -> Result<Result<i64, PriorImport>, StoreError> {
    if let Some(prior) = prior_import(tx, l, file.hash).await? {
        return Ok(Err(prior));
    }
    let id = sqlx::query(
        "INSERT INTO ledger_imports (ledger, file_hash, file_name, account, at, created, \
             updated, unchanged, pending, touched_at) \
         VALUES ($1, $2, $3, $4, $5, 0, 0, 0, $6, $5) RETURNING id",
    )
    .bind(l.id)
    .bind(file.hash)
    .bind(file.name)
    .bind(&account.username)
    .bind(now.0)
    .bind(i64::from(pending))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(Ok(id))
}

/// The columns an import's new record is written in, in the order both writers give them.
const INSERT_COLUMNS: &str = "ledger, natural_key, unit_key, name, kind, grade, on_date, \
     until_date, amount, ref_key, flagged, fields, name_grams, name_sort, version, created_at, \
     updated_at, updated_by, import_id";

/// PostgreSQL: writes new records as one JSON array the database unpacks — one bound value per
/// statement instead of thirteen per row (sqlx's per-value cost is what dominates a
/// 100,000-row import). Unpacked as `jsonb`, parsed once: `->>` on a `json` element scans its
/// text again for every field (5,000 records: 170 ms as `json`, 29 ms as `jsonb`). A key someone
/// else took since the check refuses the import.
async fn insert_batch(
    conn: &mut AnyConnection,
    l: &Ledger,
    import_id: i64,
    batch: &[(usize, Columns, String)],
    account: &Account,
    now: Timestamp,
) -> Result<Option<RowError>, StoreError> {
    let unpack = "SELECT $1, e->>0, e->>1, e->>2, e->>3, e->>4, e->>5, e->>6, \
             (e->>7)::double precision, e->>8, (e->>9)::bigint, e->>10, e->>11, e->>12, 1, \
             $2, $2, $3, $4 \
         FROM jsonb_array_elements($5::jsonb) AS e";
    let insert = format!("INSERT INTO ledger_records ({INSERT_COLUMNS}) {unpack}");
    let rows: Vec<_> = batch
        .iter()
        .map(|(_, c, fields)| {
            (
                &c.natural_key,
                &c.unit,
                &c.name,
                &c.kind,
                &c.grade,
                &c.on_date,
                &c.until_date,
                c.amount,
                &c.ref_key,
                c.flagged,
                fields,
                &c.name_grams,
                &c.name_sort,
            )
        })
        .collect();
    let json =
        serde_json::to_string(&rows).map_err(|e| decode_error(format!("import rows: {e}")))?;
    let done = sqlx::query(&insert)
        .bind(l.id)
        .bind(now.0)
        .bind(&account.username)
        .bind(import_id)
        .bind(json)
        .execute(&mut *conn)
        .await;
    match done {
        Ok(_) => Ok(None),
        Err(sqlx::Error::Database(e)) if e.kind() == sqlx::error::ErrorKind::UniqueViolation => {
            Ok(Some(RowError::new(
                batch.first().map_or(0, |(line, _, _)| *line),
                String::new(),
                &ImportRefusal::AddedMeanwhile,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// Who and what a SQLite batch is written for.
struct BatchBy {
    ledger: String,
    import_id: i64,
    account: String,
    now: i64,
    /// When the import is marked alive ([`touch`]).
    touched: i64,
}

/// Opens the connection an import's SQLite batches are written on, set up as the pool's are
/// (the file is in WAL mode already).
fn open_writer(file: &std::path::Path) -> Result<rusqlite::Connection, rusqlite::Error> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;",
    )?;
    Ok(conn)
}

/// Records written per `INSERT` statement on SQLite (18 values each, within SQLite's 32,766).
/// Not one statement per record: the name index (FTS5) writes what it holds at the end of
/// every statement, so one record a statement cost 60 µs a record, against 20 for a statement
/// of a whole batch.
const INSERT_ROWS: usize = 1_000;

/// Writes a batch's new records, and marks the import alive, in one transaction on `conn`;
/// returns the refusal of a key someone else took since the check (named by the first row of
/// the statement that met it; the transaction then rolls back) and how long the write lock
/// was held.
fn write_sqlite_batch(
    conn: &mut rusqlite::Connection,
    by: &BatchBy,
    batch: &[(usize, Columns, String)],
) -> Result<(Option<RowError>, std::time::Duration), rusqlite::Error> {
    use rusqlite::ToSql;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Timed from when the lock is held (not while waiting for it).
    let began = std::time::Instant::now();
    for chunk in batch.chunks(INSERT_ROWS) {
        let mut insert = tx.prepare_cached(&insert_sql(chunk.len()))?;
        let mut at = 0;
        for (_, c, fields) in chunk {
            let values: [&dyn ToSql; 18] = [
                &by.ledger,
                &c.natural_key,
                &c.unit,
                &c.name,
                &c.kind,
                &c.grade,
                &c.on_date,
                &c.until_date,
                &c.amount,
                &c.ref_key,
                &c.flagged,
                fields,
                &c.name_grams,
                &c.name_sort,
                &by.now,
                &by.now,
                &by.account,
                &by.import_id,
            ];
            for value in values {
                at += 1;
                insert.raw_bind_parameter(at, value)?;
            }
        }
        match insert.raw_execute() {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                let line = chunk.first().map_or(0, |(line, _, _)| *line);
                let refused = RowError::new(line, String::new(), &ImportRefusal::AddedMeanwhile);
                return Ok((Some(refused), began.elapsed()));
            }
            Err(e) => return Err(e),
        }
    }
    tx.execute(
        "UPDATE ledger_imports SET touched_at = ?1 WHERE id = ?2",
        rusqlite::params![by.touched, by.import_id],
    )?;
    tx.commit()?;
    Ok((None, began.elapsed()))
}

/// The `INSERT` of `rows` new records, 18 values each, for [`write_sqlite_batch`].
fn insert_sql(rows: usize) -> String {
    let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)";
    let mut sql = format!("INSERT INTO ledger_records ({INSERT_COLUMNS}) VALUES ");
    sql.push_str(&vec![row; rows].join(", "));
    sql
}

/// Applies an import's updates over the versions its check read; the first record changed
/// since refuses the import.
async fn apply_updates(
    tx: &mut Transaction<'static, Any>,
    l: &Ledger,
    import_id: i64,
    updates: &[(usize, i64, i64, Columns, String)],
    account: &Account,
    now: Timestamp,
) -> Result<Option<RowError>, StoreError> {
    for (line, id, version, c, fields) in updates {
        let written = update(
            tx,
            l,
            (*id, *version),
            c,
            fields,
            (now, &account.username),
            Some(import_id),
        )
        .await?;
        if !written {
            return Ok(Some(RowError::new(
                *line,
                String::new(),
                &ImportRefusal::ChangedMeanwhile,
            )));
        }
    }
    Ok(None)
}

/// The rows of a list query, in its order.
async fn ledger_rows(
    conn: &mut AnyConnection,
    q: &ListQuery,
    clause: &Clause,
) -> Result<Vec<StoredRecord>, StoreError> {
    let dir = if q.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM ledger_records WHERE {} ORDER BY {} {dir}, id {dir} \
         LIMIT {} OFFSET {}",
        clause.sql,
        q.sort.column(),
        q.limit.max(0),
        q.offset.max(0)
    );
    clause
        .apply(sqlx::query(&sql))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(record_of)
        .collect()
}

/// Gives the records stored before migration 19 their name pairs and pinyin key, 5,000 at a
/// time (the indexes over them are made after).
pub(crate) async fn fill_name_keys(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
) -> Result<(), sqlx::Error> {
    let fill = match backend {
        Backend::Sqlite => {
            "UPDATE ledger_records SET name_grams = json_extract(j.value, '$[1]'), \
                 name_sort = json_extract(j.value, '$[2]') \
             FROM json_each($1) AS j WHERE ledger_records.id = json_extract(j.value, '$[0]')"
        }
        Backend::Postgres => {
            "UPDATE ledger_records SET name_grams = e->>1, name_sort = e->>2 \
             FROM jsonb_array_elements($1::jsonb) AS e WHERE ledger_records.id = (e->>0)::bigint"
        }
    };
    let mut last = 0_i64;
    loop {
        let rows =
            sqlx::query("SELECT id, name FROM ledger_records WHERE id > $1 ORDER BY id LIMIT 5000")
                .bind(last)
                .fetch_all(&mut **tx)
                .await?;
        let Some(row) = rows.last() else { break };
        last = row.try_get(0)?;
        let mut keys = Vec::with_capacity(rows.len());
        for row in &rows {
            let name: String = row.try_get(1)?;
            keys.push((
                row.try_get::<i64, _>(0)?,
                ledger::name::grams_text(&name),
                ledger::name::sort_key(&name),
            ));
        }
        let json = serde_json::to_string(&keys)
            .map_err(|e| sqlx::Error::Decode(format!("name keys: {e}").into()))?;
        sqlx::query(fill).bind(json).execute(&mut **tx).await?;
    }
    Ok(())
}

/// A Chinese character (CJK unified ideographs and their extensions): no case.
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A search that looks like the start of a credit code (six or more of its characters).
fn code_prefix(s: &str) -> Option<String> {
    let code: String = gaoxin_core::ledger::value::half_width(s)
        .trim()
        .to_uppercase();
    (code.len() >= 6
        && code
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))
    .then_some(code)
}

fn list_clause(backend: Backend, l: &Ledger, q: &ListQuery) -> Clause {
    let mut c = Clause::new(l.id);
    if let Some(units) = &q.units {
        c.any_of("unit_key", units);
    }
    if let Some(k) = &q.kind {
        let p = c.next(Bind::Text(k.clone()));
        c.and(&format!("kind = {p}"));
    }
    if let Some(g) = &q.grade {
        let p = c.next(Bind::Text(g.clone()));
        c.and(&format!("grade = {p}"));
    }
    if q.flagged {
        c.and("flagged = 1");
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        match (code_prefix(s), backend) {
            // The start of a code: a range of the unique key index (both databases compare keys
            // as bytes: PostgreSQL since migration 25). SQLite, which keeps no statistics, is
            // told how to read it (`Clause::for_page`); PostgreSQL's planner knows.
            (Some(code), backend) => {
                let end = format!("{code}\u{10FFFF}");
                let from = c.next(Bind::Text(code.clone()));
                let to = c.next(Bind::Text(end.clone()));
                let condition = format!("natural_key >= {from} AND natural_key < {to}");
                c.and(&condition);
                if backend == Backend::Sqlite {
                    c.code = Some(CodeRange {
                        from: code,
                        to: end,
                        condition,
                    });
                }
            }
            // Part of a name: the records holding all its pairs, from the index, then a plain
            // substring test on those (no wildcards to escape). One character has no pair: the
            // test alone, over the ledger.
            (None, backend) => {
                let p = c.next(Bind::Text(s.to_string()));
                // Letters in either case; lower() costs a copy of every name it tests, so a
                // search without a Latin letter (most: 药业, 正定) compares as written.
                let cased = s.chars().any(|c| c.is_alphabetic() && !is_han(c));
                let test = match (backend, cased) {
                    (Backend::Sqlite, true) => format!("instr(lower(name), lower({p})) > 0"),
                    (Backend::Sqlite, false) => format!("instr(name, {p}) > 0"),
                    (Backend::Postgres, true) => format!("strpos(lower(name), lower({p})) > 0"),
                    (Backend::Postgres, false) => format!("strpos(name, {p}) > 0"),
                };
                // Nothing narrows the list before the search (filters after it are seen by
                // the clause's sql growing past the search's own).
                let decided = c.sql == "ledger = $1" && ledger::name::decided_by_pieces(s);
                c.and(&test);
                let grams = ledger::name::search_grams(s);
                if !grams.is_empty() {
                    let index = match backend {
                        Backend::Sqlite => {
                            // Each pair quoted: an FTS5 string, never its query syntax.
                            let all: Vec<String> =
                                grams.iter().map(|g| format!("\"{g}\"")).collect();
                            let m = c.next(Bind::Text(all.join(" ")));
                            let condition = format!(
                                "id IN (SELECT rowid FROM ledger_names WHERE ledger_names MATCH {m})"
                            );
                            c.names = Some(Names {
                                query: all.join(" "),
                                placeholder: m,
                                condition: condition.clone(),
                            });
                            condition
                        }
                        Backend::Postgres => {
                            let m = c.next(Bind::Text(grams.join(" ")));
                            format!("string_to_array(name_grams, ' ') @> string_to_array({m}, ' ')")
                        }
                    };
                    c.and(&index);
                }
                if let ([piece], true) = (grams.as_slice(), decided) {
                    c.decided = Some(Decided {
                        backend,
                        piece: piece.clone(),
                        alone: c.sql.clone(),
                    });
                }
            }
        }
    }
    if let Some(r) = &q.reference {
        let p = c.next(Bind::Text(r.clone()));
        c.and(&format!("ref_key = {p}"));
    }
    if let Some(m) = q.mentions.as_deref().filter(|m| !m.is_empty()) {
        // The value as the JSON array of fields holds it: quoted, whole.
        let quoted = serde_json::to_string(m).unwrap_or_default();
        let p = c.next(Bind::Text(quoted));
        c.and(&match backend {
            Backend::Sqlite => format!("instr(fields, {p}) > 0"),
            Backend::Postgres => format!("strpos(fields, {p}) > 0"),
        });
    }
    if let Some(at) = &q.counted {
        c.count(at);
    }
    if let Some(day) = q.in_force {
        let end = c.next(Bind::Text(day.iso()));
        c.in_force_at(&end);
    }
    if let Some((cutoff, except)) = &q.stalled {
        let p = c.next(Bind::Text(cutoff.clone()));
        c.and(&format!("on_date <= {p}"));
        if !except.is_empty() {
            let ps: Vec<String> = except
                .iter()
                .map(|k| c.next(Bind::Text(k.to_string())))
                .collect();
            c.and(&format!(
                "(kind IS NULL OR kind NOT IN ({}))",
                ps.join(", ")
            ));
        }
    }
    c
}

fn decode_error(why: String) -> StoreError {
    StoreError::from(sqlx::Error::Decode(why.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_batch_is_sized_by_the_last_ones_pace_within_its_bounds() {
        // Quick: at most twice the last.
        assert_eq!(
            next_batch(5_000, Duration::from_millis(25), BATCH_HOLD),
            10_000
        );
        assert_eq!(
            next_batch(40_000, Duration::from_millis(20), BATCH_HOLD),
            MAX_IMPORT_BATCH
        );
        // No measurable time at all: still at most twice, still bounded.
        assert_eq!(next_batch(5_000, Duration::ZERO, BATCH_HOLD), 10_000);
        assert_eq!(
            next_batch(usize::MAX, Duration::ZERO, BATCH_HOLD),
            MAX_IMPORT_BATCH
        );
        // What fits in a quarter of a second at the last pace.
        assert_eq!(
            next_batch(20_000, Duration::from_millis(200), BATCH_HOLD),
            25_000
        );
        assert_eq!(
            next_batch(40_000, Duration::from_millis(1_000), BATCH_HOLD),
            10_000
        );
        // Slow: never below the first batch's size.
        assert_eq!(
            next_batch(5_000, Duration::from_secs(5), BATCH_HOLD),
            IMPORT_BATCH
        );
        assert_eq!(
            next_batch(0, Duration::from_secs(1), BATCH_HOLD),
            IMPORT_BATCH
        );
        // No time to hold the lock: every batch the first one's size.
        assert_eq!(
            next_batch(5_000, Duration::from_nanos(1), Duration::ZERO),
            IMPORT_BATCH
        );
    }
}
