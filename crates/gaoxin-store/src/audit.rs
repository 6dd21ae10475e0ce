//! 审计日志 — appending sealed events in the transaction of the change they record, reading
//! them back, and verifying the chain. The HMAC key lives in a file outside the database.

use crate::{Backend, Store, StoreError};
use gaoxin_core::audit::{
    Anchor, AuditEvent, ChainBreak, ChainCheck, GENESIS, SealedEvent, Sealer, from_hex, to_hex,
};
use gaoxin_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};
use std::fmt;
use std::path::Path;

/// The secret that seals the audit chain. Never printed.
#[derive(Clone)]
pub struct AuditKey(Vec<u8>);

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey(***)")
    }
}

impl AuditKey {
    /// A key from bytes (tests, or a key management system).
    pub fn from_bytes(bytes: Vec<u8>) -> AuditKey {
        AuditKey(bytes)
    }

    /// Reads a key file: 64 hex digits.
    pub fn read(path: &Path) -> Result<AuditKey, StoreError> {
        let text = std::fs::read_to_string(path).map_err(|source| StoreError::AuditKey {
            path: path.display().to_string(),
            why: source.to_string(),
        })?;
        from_hex(text.trim())
            .map(|k| AuditKey(k.to_vec()))
            .ok_or_else(|| StoreError::AuditKeyMalformed {
                path: path.display().to_string(),
            })
    }

    /// Writes a new random key file, readable by its owner only, and returns it; if another
    /// process made the file first, that one is read instead. The file appears whole or not at
    /// all: written and synced under a temporary name, then linked into place (which refuses to
    /// replace a file), and the folder synced — a crash never leaves an empty key behind.
    pub fn create(path: &Path) -> Result<AuditKey, StoreError> {
        let fail = |why: String| StoreError::AuditKey {
            path: path.display().to_string(),
            why,
        };
        let bytes = crate::random::bytes::<32>().map_err(|e| fail(e.to_string()))?;
        let written = write_durably(path, format!("{}\n", to_hex(&bytes)).as_bytes(), false);
        match written {
            Ok(()) => Ok(AuditKey(bytes.to_vec())),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => AuditKey::read(path),
            Err(e) => Err(fail(e.to_string())),
        }
    }
}

impl AuditKey {
    /// Writes this key to a key file, whole or not at all, readable by its owner only,
    /// replacing one that is there (restoring a backup).
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        write_durably(path, format!("{}\n", to_hex(&self.0)).as_bytes(), true).map_err(|e| {
            StoreError::AuditKey {
                path: path.display().to_string(),
                why: e.to_string(),
            }
        })
    }

    /// Whether two keys are the same key.
    pub fn same_as(&self, other: &AuditKey) -> bool {
        self.0 == other.0
    }
}

/// Writes `content` to `path` so that it is there whole or not at all, readable by its owner
/// only: a temporary file in the same folder, synced, then renamed over `path` (`replace`) or
/// hard-linked to it (refusing an existing file), and the folder synced.
pub(crate) fn write_durably(path: &Path, content: &[u8], replace: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let nonce = crate::random::token().map_err(std::io::Error::other)?;
    let tmp = dir.join(format!(".{name}.{}.tmp", &nonce[..12]));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut f = options.open(&tmp)?;
        f.write_all(content)?;
        f.sync_all()?;
        drop(f);
        if replace {
            std::fs::rename(&tmp, path)?;
        } else {
            std::fs::hard_link(&tmp, path)?;
        }
        // The folder's entry is what makes the new name durable.
        std::fs::File::open(&dir)?.sync_all()
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// What the anchor file says of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The chain reaches the anchored event, unchanged.
    Holds(Anchor),
    /// No anchor file yet (a new installation, or one never written): a cut tail could not be
    /// seen.
    Missing,
    /// The chain was cut or rewritten after the anchor was written.
    Broken(Anchor, ChainBreak),
}

/// A business change to seal into the chain.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub action: &'static str,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub(crate) fn new(action: &'static str, target: String) -> Change {
        Change {
            action,
            target,
            before: None,
            after: None,
        }
    }

    pub(crate) fn before(self, v: serde_json::Value) -> Change {
        Change {
            before: Some(v.to_string()),
            ..self
        }
    }

    pub(crate) fn after(self, v: serde_json::Value) -> Change {
        Change {
            after: Some(v.to_string()),
            ..self
        }
    }
}

/// Who did something, as the audit log records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account: String,
    pub role: String,
    pub unit: String,
    pub ip: String,
}

impl Actor {
    /// An account acting from an address.
    pub fn of(account: &crate::Account, ip: &str) -> Actor {
        Actor {
            account: account.username.clone(),
            role: account
                .roles
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join("|"),
            unit: account.unit.clone(),
            ip: ip.to_string(),
        }
    }

    /// Someone not signed in: the name they typed (already cut to size by
    /// [`typed_name`](crate::sessions::typed_name)) and their address.
    pub fn unsigned(name: &str, ip: &str) -> Actor {
        Actor {
            account: name.to_string(),
            role: String::new(),
            unit: String::new(),
            ip: ip.to_string(),
        }
    }

    /// Whether this is someone at the server's console ([`Actor::console`]); accounts never
    /// hold the role `console`.
    pub fn is_console(&self) -> bool {
        self.role == "console" && self.ip == "local"
    }

    /// Who changes an account, for [`gaoxin_core::auth::may_change_account`].
    pub fn changer(&self) -> gaoxin_core::auth::Changer {
        if self.is_console() {
            gaoxin_core::auth::Changer::Console
        } else {
            gaoxin_core::auth::Changer::Administrator
        }
    }

    /// Someone at the server's console, running the `gaoxin` command.
    pub fn console() -> Actor {
        let user = std::env::var("USER").unwrap_or_else(|_| "unknown".to_string());
        Actor {
            account: format!("console:{user}"),
            role: "console".into(),
            unit: String::new(),
            ip: "local".into(),
        }
    }
}

/// What happened, for one audit event.
#[derive(Debug, Clone)]
pub struct AuditRecord<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub target: String,
    pub result: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl<'a> AuditRecord<'a> {
    /// An event without before/after values.
    pub fn new(actor: &'a Actor, action: &'a str, target: String, result: &'a str) -> Self {
        AuditRecord {
            actor,
            action,
            target,
            result,
            before: None,
            after: None,
        }
    }

    /// The values before and after the change.
    pub fn change(self, before: Option<String>, after: Option<String>) -> Self {
        AuditRecord {
            before,
            after,
            ..self
        }
    }
}

/// Appends one sealed event inside `tx`. The chain head row is locked for the rest of the
/// transaction, so events are appended one at a time and the change they record commits with
/// them or not at all.
/// The chain's head as stored: the last event's id and its seal as written (hex); `None`
/// before the first event. `lock`: ` FOR UPDATE` to hold it on PostgreSQL, or nothing.
async fn read_head(
    conn: &mut AnyConnection,
    lock: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT last_id, last_seal FROM audit_head WHERE singleton = 1{lock}"
    ))
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get("last_id")?, r.try_get("last_seal")?)))
        .transpose()
}

/// Where the next event is chained from: the head's id and seal, or 0 and [`GENESIS`] before
/// the first event; an unreadable stored seal is a corrupt head.
fn chained_from(head: Option<(i64, String)>) -> Result<(i64, [u8; 32]), StoreError> {
    match head {
        Some((id, seal)) => Ok((id, from_hex(&seal).ok_or(StoreError::AuditHeadCorrupt)?)),
        None => Ok((0, GENESIS)),
    }
}

/// Moves the head to the event `id` sealed `seal` (made on the first event).
async fn move_head(conn: &mut AnyConnection, id: i64, seal: &str) -> Result<(), sqlx::Error> {
    let moved =
        sqlx::query("UPDATE audit_head SET last_id = $1, last_seal = $2 WHERE singleton = 1")
            .bind(id)
            .bind(seal)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if moved == 0 {
        sqlx::query("INSERT INTO audit_head (singleton, last_id, last_seal) VALUES (1, $1, $2)")
            .bind(id)
            .bind(seal)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The columns of `INSERT INTO audit_events`, in the order [`bind_event`] binds them.
const EVENT_COLUMNS: &str =
    "id, at, account, role, unit, ip, action, target, result, before_value, after_value, seal";

/// Binds an event's twelve values, in [`EVENT_COLUMNS`] order.
fn bind_event<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    e: &'q AuditEvent,
    seal: &'q str,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(e.id)
        .bind(&e.at)
        .bind(&e.account)
        .bind(&e.role)
        .bind(&e.unit)
        .bind(&e.ip)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.result)
        .bind(e.before.as_deref())
        .bind(e.after.as_deref())
        .bind(seal)
}

/// How many events `verify_audit` reads at a time.
const VERIFY_PAGE: i64 = 20_000;

pub(crate) async fn append(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    key: &AuditKey,
    rec: &AuditRecord<'_>,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let (last_id, previous) = chained_from(read_head(tx, lock).await?)?;
    let event = AuditEvent {
        id: last_id + 1,
        at: now.to_iso8601(),
        account: rec.actor.account.clone(),
        role: rec.actor.role.clone(),
        unit: rec.actor.unit.clone(),
        ip: rec.actor.ip.clone(),
        action: rec.action.to_string(),
        target: rec.target.clone(),
        result: rec.result.to_string(),
        before: rec.before.clone(),
        after: rec.after.clone(),
    };
    let seal = to_hex(&event.seal(&key.0, &previous));
    let insert = format!(
        "INSERT INTO audit_events ({EVENT_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    );
    bind_event(sqlx::query(&insert), &event, &seal)
        .execute(&mut **tx)
        .await?;
    move_head(tx, event.id, &seal).await?;
    Ok(event.id)
}

/// Events recorded for requests made before signing in are bounded: per source address and
/// kind of event, the first [`UNSIGNED_PER_SOURCE`] of a [`UNSIGNED_WINDOW_SECS`] window are
/// audited one by one and the rest counted into one summary event (`….summary`: how many,
/// first, last) written when the window ends; across every source at most
/// [`UNSIGNED_PER_WINDOW`] such events (one-by-one and summaries) per window, and the rest in
/// one summary for every other source (address `*`). So whatever arrives, the audit log grows
/// by at most `UNSIGNED_PER_WINDOW + 1` events per window from people who have not signed in.
pub const UNSIGNED_WINDOW_SECS: i64 = 15 * 60;
/// See [`UNSIGNED_WINDOW_SECS`].
pub const UNSIGNED_PER_SOURCE: i64 = 5;
/// See [`UNSIGNED_WINDOW_SECS`].
pub const UNSIGNED_PER_WINDOW: i64 = 200;

/// The row counting every source together.
const EVERY_SOURCE: &str = "*";

/// A bounded counter row of `audit_bursts`.
struct Burst {
    window_start: i64,
    logged: i64,
    held: i64,
    first_held: Option<i64>,
    last_held: Option<i64>,
    last_target: Option<String>,
}

async fn burst(
    tx: &mut Transaction<'static, Any>,
    ip: &str,
    action: &str,
) -> Result<Option<Burst>, StoreError> {
    let row = sqlx::query(
        "SELECT window_start, logged, held, first_held, last_held, last_target \
         FROM audit_bursts WHERE ip = $1 AND action = $2",
    )
    .bind(ip)
    .bind(action)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Burst {
        window_start: row.try_get("window_start")?,
        logged: row.try_get("logged")?,
        held: row.try_get("held")?,
        first_held: row.try_get("first_held")?,
        last_held: row.try_get("last_held")?,
        last_target: row.try_get("last_target")?,
    }))
}

/// Writes the summary of a burst's held events (if any) and removes the row.
async fn close_burst(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    key: &AuditKey,
    ip: &str,
    action: &str,
    b: &Burst,
    now: Timestamp,
) -> Result<(), StoreError> {
    if b.held > 0 {
        let actor = Actor::unsigned("", ip);
        let summary = format!("{action}.summary");
        let after = serde_json::json!({
            "count": b.held,
            "first": b.first_held.map(|t| Timestamp(t).to_iso8601()),
            "last": b.last_held.map(|t| Timestamp(t).to_iso8601()),
            "window_start": Timestamp(b.window_start).to_iso8601(),
            "last_target": b.last_target,
        });
        let rec = AuditRecord::new(
            &actor,
            &summary,
            b.last_target.clone().unwrap_or_default(),
            "denied",
        )
        .change(None, Some(after.to_string()));
        append(tx, backend, key, &rec, now).await?;
    }
    sqlx::query("DELETE FROM audit_bursts WHERE ip = $1 AND action = $2")
        .bind(ip)
        .bind(action)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends an event about a request made before signing in, within the bounds above.
pub(crate) async fn append_unsigned(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    key: &AuditKey,
    rec: &AuditRecord<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let ip = rec.actor.ip.as_str();
    let expired = |b: &Burst| now.0 - b.window_start >= UNSIGNED_WINDOW_SECS;
    let mut every = burst(tx, EVERY_SOURCE, "").await?;
    if let Some(b) = every.as_ref().filter(|b| expired(b)) {
        close_burst(tx, backend, key, EVERY_SOURCE, "", b, now).await?;
        every = None;
    }
    let every_logged = every.as_ref().map_or(0, |b| b.logged);
    let mut own = burst(tx, ip, rec.action).await?;
    if let Some(b) = own.as_ref().filter(|b| expired(b)) {
        close_burst(tx, backend, key, ip, rec.action, b, now).await?;
        own = None;
    }
    // What this event costs the window's budget: one event now, and for a new source the
    // summary it may write later.
    let (write, hold_in) = match &own {
        Some(b) if b.logged < UNSIGNED_PER_SOURCE && every_logged < UNSIGNED_PER_WINDOW => {
            (true, None)
        }
        Some(_) => (false, Some(ip)),
        None if every_logged + 2 <= UNSIGNED_PER_WINDOW => (true, None),
        None => (false, Some(EVERY_SOURCE)),
    };
    let new_source = own.is_none() && write;
    if write {
        append(tx, backend, key, rec, now).await?;
    }
    let target = rec.target.chars().take(200).collect::<String>();
    // The source's own row: counts one-by-one events and holds the rest.
    if hold_in != Some(EVERY_SOURCE) {
        let (logged, held) = (i64::from(write), i64::from(!write));
        sqlx::query(
            "INSERT INTO audit_bursts (ip, action, window_start, logged, held, first_held, last_held, last_target) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) \
             ON CONFLICT (ip, action) DO UPDATE SET \
               logged = audit_bursts.logged + $4, held = audit_bursts.held + $5, \
               first_held = COALESCE(audit_bursts.first_held, $6), \
               last_held = COALESCE($6, audit_bursts.last_held), last_target = $7",
        )
        .bind(ip)
        .bind(rec.action)
        .bind(now.0)
        .bind(logged)
        .bind(held)
        .bind((!write).then_some(now.0))
        .bind(&target)
        .execute(&mut **tx)
        .await?;
    }
    // Every source together: one-by-one events and the summaries they may bring, and what is
    // held because the window's budget is spent.
    let (logged, held) = match hold_in {
        Some(EVERY_SOURCE) => (0, 1),
        _ if write => (1 + i64::from(new_source), 0),
        _ => (0, 0),
    };
    sqlx::query(
        "INSERT INTO audit_bursts (ip, action, window_start, logged, held, first_held, last_held, last_target) \
         VALUES ($1, '', $2, $3, $4, $5, $5, $6) \
         ON CONFLICT (ip, action) DO UPDATE SET \
           logged = audit_bursts.logged + $3, held = audit_bursts.held + $4, \
           first_held = COALESCE(audit_bursts.first_held, $5), \
           last_held = COALESCE($5, audit_bursts.last_held), \
           last_target = CASE WHEN $4 > 0 THEN $6 ELSE audit_bursts.last_target END",
    )
    .bind(EVERY_SOURCE)
    .bind(now.0)
    .bind(logged)
    .bind(held)
    .bind((held > 0).then_some(now.0))
    .bind(format!("{} {target}", rec.action))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn event_from_row(row: &AnyRow) -> Result<(AuditEvent, String), sqlx::Error> {
    Ok((
        AuditEvent {
            id: row.try_get("id")?,
            at: row.try_get("at")?,
            account: row.try_get("account")?,
            role: row.try_get("role")?,
            unit: row.try_get("unit")?,
            ip: row.try_get("ip")?,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            result: row.try_get("result")?,
            before: row.try_get("before_value")?,
            after: row.try_get("after_value")?,
        },
        row.try_get("seal")?,
    ))
}

/// What the bench's generated events did (a tenth of them failed sign-ins). Each name ends in
/// `.bench`: no real event is one of them.
pub const BENCH_ACTIONS: [&str; 10] = [
    "login.success.bench",
    "figure.save.bench",
    "figure.save.bench",
    "ledger.save.bench",
    "login.success.bench",
    "order.step.bench",
    "figure.submit.bench",
    "login.failure.bench",
    "report.file.bench",
    "figure.save.bench",
];

/// Which audit events to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// ISO 8601 bounds, inclusive (`at` sorts as text, all in +08:00).
    pub from: Option<String>,
    pub to: Option<String>,
    pub account: Option<String>,
    pub action: Option<String>,
    pub unit: Option<String>,
    pub limit: i64,
    /// Only events after this one in the list (older): the next page.
    pub before: Option<i64>,
}

impl Store {
    /// Records one event on its own (a failed login, a denied request).
    pub async fn audit(
        &self,
        key: &AuditKey,
        rec: &AuditRecord<'_>,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = append(&mut tx, self.backend, key, rec, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records one event about a request made before signing in (a cross-site form, a
    /// throttled sign-in), within the bounds of [`UNSIGNED_WINDOW_SECS`].
    pub async fn audit_unsigned(
        &self,
        key: &AuditKey,
        rec: &AuditRecord<'_>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        append_unsigned(&mut tx, self.backend, key, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the summaries of the windows of unsigned events that have ended. Run
    /// periodically, so a burst is summarised even if its source never comes back.
    pub async fn close_unsigned_windows(
        &self,
        key: &AuditKey,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query("SELECT ip, action FROM audit_bursts WHERE window_start <= $1")
            .bind(now.0 - UNSIGNED_WINDOW_SECS)
            .fetch_all(&mut *tx)
            .await?;
        let mut closed = 0;
        for row in rows {
            let (ip, action): (String, String) = (row.try_get("ip")?, row.try_get("action")?);
            if let Some(b) = burst(&mut tx, &ip, &action).await? {
                close_burst(&mut tx, self.backend, key, &ip, &action, &b, now).await?;
                closed += 1;
            }
        }
        tx.commit().await?;
        Ok(closed)
    }

    /// Whether any event has been written: a missing key file is then an error, not a reason
    /// to make a new key.
    pub async fn audit_is_empty(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_events")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")? == 0)
    }

    /// Events matching `filter`, newest first (by time, then by id), `filter.limit` of them
    /// (1,000 if not set), older than `filter.before` if set. Each filter uses an index that
    /// keeps the time order, so a page costs the same on the millionth event as on the first.
    pub async fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>, StoreError> {
        let mut sql = String::from("SELECT * FROM audit_events WHERE 1 = 1");
        let mut binds: Vec<&str> = Vec::new();
        let conditions = [
            ("at >= ${}", filter.from.as_deref()),
            ("at <= ${}", filter.to.as_deref()),
            ("account = ${}", filter.account.as_deref()),
            ("action = ${}", filter.action.as_deref()),
            ("unit = ${}", filter.unit.as_deref()),
        ];
        for (condition, value) in conditions {
            if let Some(v) = value {
                binds.push(v);
                sql.push_str(" AND ");
                sql.push_str(&condition.replace("{}", &binds.len().to_string()));
            }
        }
        if let Some(before) = filter.before {
            // After the given event in the order: an earlier time, or the same time and a
            // smaller id.
            let at = format!("(SELECT at FROM audit_events WHERE id = {before})");
            sql.push_str(&format!(" AND at <= {at} AND (at < {at} OR id < {before})"));
        }
        let limit = if filter.limit > 0 { filter.limit } else { 1000 };
        sql.push_str(&format!(" ORDER BY at DESC, id DESC LIMIT {limit}"));
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| event_from_row(r).map(|(e, _)| e).map_err(StoreError::from))
            .collect()
    }

    /// The id of the chain's last event (0: none yet).
    pub async fn audit_head_id(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT last_id FROM audit_head WHERE singleton = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("last_id")?,
            None => 0,
        })
    }

    /// Writes the chain's head to the anchor file at `path`, sealed with `key` (see
    /// [`Anchor`]): atomically, synced. Returns the anchored event's id (0: no events yet, and
    /// nothing written).
    pub async fn anchor_audit(
        &self,
        key: &AuditKey,
        path: &Path,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let head = read_head(&mut *self.pool.acquire().await?, "").await?;
        if head.is_none() {
            return Ok(0);
        }
        let (last_id, last_seal) = chained_from(head)?;
        let anchor = Anchor {
            last_id,
            last_seal,
            at: now.to_iso8601(),
        };
        write_durably(path, anchor.to_line(&key.0).as_bytes(), true).map_err(|e| {
            StoreError::AuditAnchor {
                path: path.display().to_string(),
                why: e.to_string(),
            }
        })?;
        Ok(anchor.last_id)
    }

    /// Checks the chain against the anchor file at `path` (after [`Store::verify_audit`]
    /// found the chain itself intact up to `chain_last_id`).
    pub async fn check_anchor(
        &self,
        key: &AuditKey,
        path: &Path,
        chain_last_id: i64,
    ) -> Result<AnchorCheck, StoreError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AnchorCheck::Missing),
            Err(e) => {
                return Err(StoreError::AuditAnchor {
                    path: path.display().to_string(),
                    why: e.to_string(),
                });
            }
        };
        let anchor =
            Anchor::from_line(&text, &key.0).ok_or_else(|| StoreError::AuditAnchorForeign {
                path: path.display().to_string(),
            })?;
        let seal = sqlx::query("SELECT seal FROM audit_events WHERE id = $1")
            .bind(anchor.last_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|row| row.try_get::<String, _>("seal"))
            .transpose()?
            .and_then(|s| from_hex(&s));
        Ok(match anchor.check(chain_last_id, seal) {
            Ok(()) => AnchorCheck::Holds(anchor),
            Err(b) => AnchorCheck::Broken(anchor, b),
        })
    }

    /// Checks the whole chain against `key`: `Ok(Ok(n))` with the number of events when
    /// intact, `Ok(Err(break))` naming the first broken event.
    pub async fn verify_audit(
        &self,
        key: &AuditKey,
    ) -> Result<Result<u64, ChainBreak>, StoreError> {
        self.verify_audit_in_pages(key, VERIFY_PAGE).await
    }

    /// Appends sealed events until the chain holds `events` (for `gaoxin bench-audit` and
    /// `gaoxin bench-lists`: a
    /// generated chain of millions, written 500 to a statement, 50,000 to a transaction, each
    /// sealed over the one before as a real event is). Returns how many it added. Not for a
    /// real database: the events' actions end in `.bench` ([`BENCH_ACTIONS`]).
    pub async fn fill_audit_for_bench(
        &self,
        key: &AuditKey,
        events: i64,
    ) -> Result<i64, StoreError> {
        const ROWS: usize = 500;
        const PER_TX: i64 = 50_000;
        let (mut last, mut previous) =
            chained_from(read_head(&mut *self.pool.acquire().await?, "").await?)?;
        let start = last;
        let sealer = Sealer::new(&key.0);
        let placeholders: Vec<String> = (0..ROWS)
            .map(|r| {
                let b = r * 12;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11,
                    b + 12
                )
            })
            .collect();
        while last < events {
            let mut tx = self.begin_write().await?;
            let until = (last + PER_TX).min(events);
            while last < until {
                let n = ((until - last) as usize).min(ROWS);
                let mut batch = Vec::with_capacity(n);
                for _ in 0..n {
                    last += 1;
                    // Three years of a busy city's events for 1,000,000: 400 people in 40
                    // units, their sign-ins, saves and steps.
                    let event = AuditEvent {
                        id: last,
                        at: Timestamp(1_700_000_000 + last * 90).to_iso8601(),
                        account: format!("bench-{:03}", last % 400),
                        role: "reporter".into(),
                        unit: format!("bench-unit-{:02}", last % 400 % 40),
                        ip: "127.0.0.1".into(),
                        action: BENCH_ACTIONS[(last % BENCH_ACTIONS.len() as i64) as usize].into(),
                        target: format!("bench:{last}"),
                        result: "success".into(),
                        before: None,
                        after: Some(format!("{{\"n\":{last}}}")),
                    };
                    previous = sealer.seal(&event, &previous);
                    batch.push((event, to_hex(&previous)));
                }
                let sql = format!(
                    "INSERT INTO audit_events ({EVENT_COLUMNS}) VALUES {}",
                    placeholders[..n].join(", ")
                );
                let mut q = sqlx::query(&sql);
                for (e, seal) in &batch {
                    q = bind_event(q, e, seal);
                }
                q.execute(&mut *tx).await?;
            }
            move_head(&mut tx, last, &to_hex(&previous)).await?;
            tx.commit().await?;
        }
        Ok(last - start)
    }

    /// [`Store::verify_audit`], reading `page` events at a time.
    pub async fn verify_audit_in_pages(
        &self,
        key: &AuditKey,
        page: i64,
    ) -> Result<Result<u64, ChainBreak>, StoreError> {
        if let Some(file) = self.url.sqlite_file() {
            let sealer = Sealer::new(&key.0);
            return tokio::task::spawn_blocking(move || verify_sqlite(&file, &sealer, page))
                .await
                .map_err(|_| StoreError::from(sqlx::Error::WorkerCrashed))?;
        }
        // PostgreSQL. One snapshot for the pages and the head: events appended meanwhile are not
        // half seen.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        // An unreadable head seal cannot match: the check ends at the head, not here.
        let head = read_head(&mut tx, "")
            .await?
            .map(|(id, seal)| (id, from_hex(&seal).unwrap_or([0xff; 32])));
        // Page by page in id order (keyset on the primary key): memory holds two pages, however
        // long the chain. A page's seals are checked on a blocking thread while the next page
        // is read, so reading and hashing overlap on two cores.
        let sealer = std::sync::Arc::new(Sealer::new(&key.0));
        let mut pending: Option<Checking> = None;
        let mut after = 0_i64;
        let checked = loop {
            let events = sqlx::query(&format!(
                "SELECT {EVENT_COLUMNS} FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2"
            ))
            .bind(after)
            .bind(page)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| event_from_row(row).map(sealed))
            .collect::<Result<Vec<_>, _>>()?;
            if let Some(last) = events.last() {
                after = last.event.id;
            }
            let last_page = (events.len() as i64) < page;
            let mut c = match settled(pending.take()).await? {
                Ok(c) => c,
                Err(b) => break Err(b),
            };
            let sealer = sealer.clone();
            pending = Some(tokio::task::spawn_blocking(move || {
                for e in &events {
                    if let Err(b) = c.push(&sealer, e) {
                        return (c, Err(b));
                    }
                }
                (c, Ok(()))
            }));
            if last_page {
                break settled(pending.take()).await?;
            }
        };
        tx.commit().await?;
        Ok(checked.and_then(|c| c.finish(head)))
    }
}

/// An event and its stored seal, for the check; an unreadable seal cannot match: it is given
/// one that verifies nothing.
fn sealed((event, seal): (AuditEvent, String)) -> SealedEvent {
    SealedEvent {
        event,
        seal: from_hex(&seal).unwrap_or([0xff; 32]),
    }
}

/// The chain check of a SQLite database, on the blocking thread it runs on: a read-only
/// connection of its own (rusqlite, on the SQLite sqlx builds) in one read transaction for the
/// head and every event, the events stepped through in id order and checked as they come —
/// memory holds one page of them (`page`) for the hashing thread beside, not the chain. sqlx's
/// drivers cost 7–11 µs a row here (every value copied and sent across a channel); the
/// statement stepped in place costs about 1.
fn verify_sqlite(
    file: &Path,
    sealer: &Sealer,
    page: i64,
) -> Result<Result<u64, ChainBreak>, StoreError> {
    use rusqlite::{OpenFlags, OptionalExtension};
    let failed = |e: rusqlite::Error| StoreError::AuditRead(e.to_string());
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(failed)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(failed)?;
    // One snapshot for the head and the events: events appended meanwhile are not half seen.
    conn.execute_batch("BEGIN").map_err(failed)?;
    let head = conn
        .query_row(
            "SELECT last_id, last_seal FROM audit_head WHERE singleton = 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()
        .map_err(failed)?
        .map(|(id, seal)| (id, from_hex(&seal).unwrap_or([0xff; 32])));
    let mut statement = conn
        .prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events ORDER BY id"
        ))
        .map_err(failed)?;
    let mut rows = statement.query([]).map_err(failed)?;
    let page = usize::try_from(page.max(1)).unwrap_or(1);
    // Pages go to a hashing thread beside this one, one page ahead at most.
    let (to_check, pages) = std::sync::mpsc::sync_channel::<Vec<SealedEvent>>(1);
    let checked = std::thread::scope(|scope| {
        let checking = scope.spawn(move || {
            let mut c = ChainCheck::default();
            for events in pages {
                for e in &events {
                    c.push(sealer, e)?;
                }
            }
            Ok::<_, ChainBreak>(c)
        });
        let read = (|| {
            let mut events = Vec::with_capacity(page);
            while let Some(row) = rows.next().map_err(failed)? {
                let event = AuditEvent {
                    id: row.get(0).map_err(failed)?,
                    at: row.get(1).map_err(failed)?,
                    account: row.get(2).map_err(failed)?,
                    role: row.get(3).map_err(failed)?,
                    unit: row.get(4).map_err(failed)?,
                    ip: row.get(5).map_err(failed)?,
                    action: row.get(6).map_err(failed)?,
                    target: row.get(7).map_err(failed)?,
                    result: row.get(8).map_err(failed)?,
                    before: row.get(9).map_err(failed)?,
                    after: row.get(10).map_err(failed)?,
                };
                events.push(sealed((event, row.get(11).map_err(failed)?)));
                if events.len() == page {
                    let full = std::mem::replace(&mut events, Vec::with_capacity(page));
                    if to_check.send(full).is_err() {
                        // The check stopped at a break: nothing more to read.
                        return Ok(());
                    }
                }
            }
            let _ = to_check.send(events);
            Ok::<_, StoreError>(())
        })();
        drop(to_check);
        let checked = checking
            .join()
            .map_err(|_| StoreError::AuditRead("the check's thread failed".into()))?;
        read.map(|()| checked)
    })?;
    Ok(checked.and_then(|c| c.finish(head)))
}

/// A page's seals being checked on a blocking thread: the check as it stands after them, and the
/// break it found there, if any.
type Checking = tokio::task::JoinHandle<(ChainCheck, Result<(), ChainBreak>)>;

/// The check once its thread has finished its page (a fresh one before the first page), or the
/// break it found.
async fn settled(pending: Option<Checking>) -> Result<Result<ChainCheck, ChainBreak>, StoreError> {
    let Some(h) = pending else {
        return Ok(Ok(ChainCheck::default()));
    };
    let (c, done) = h
        .await
        .map_err(|_| StoreError::from(sqlx::Error::WorkerCrashed))?;
    Ok(done.map(|()| c))
}
