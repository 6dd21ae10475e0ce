//! 登录与会话 — login bookkeeping (failed attempts, lockout, per-address throttling) and
//! server-side sessions, shared by every gaoxin instance on the same database.
//!
//! The cookie holds a random token; the database only its SHA-256. Every login, failure,
//! lockout, logout and password change is audited in the transaction that records it.

use crate::accounts::{Account, end_sessions, find_by_id};
use crate::audit::{Actor, AuditKey, AuditRecord, append};
use crate::{Store, StoreError, random};
use gaoxin_core::time::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::{Any, Transaction};

/// The login rules (defaults: the 等保 profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Failed sign-ins in a row, from one address to one user name, that lock that address out
    /// of that name. Another address — the owner at their desk — is not locked out.
    pub max_failures: i64,
    /// How long such a lock lasts.
    pub lock_secs: i64,
    /// Failed sign-ins one address may make per window, whatever the names.
    pub max_failures_per_ip: i64,
    pub ip_window_secs: i64,
    /// Failed sign-ins to one user name from every address together per window; beyond it only
    /// addresses the account has signed in from before may try, until the window ends.
    pub max_failures_per_account: i64,
    /// Wrong TOTP codes a session may give before it ends (and counts as a failed sign-in).
    pub max_totp_failures: i64,
    /// Sessions an account may hold at once; signing in again ends the oldest.
    pub max_sessions: i64,
    /// A session ends after this long without a request …
    pub idle_secs: i64,
    /// … and after this long in any case.
    pub absolute_secs: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lock_secs: 30 * 60,
            max_failures_per_ip: 20,
            ip_window_secs: 15 * 60,
            max_failures_per_account: 20,
            max_totp_failures: 5,
            max_sessions: 5,
            idle_secs: 30 * 60,
            absolute_secs: 12 * 3600,
        }
    }
}

/// The longest user name a sign-in counts or audits as typed; longer ones are cut (no account
/// has one: names are at most 64 characters).
pub const NAME_KEPT: usize = 64;

/// A user name as typed before sign-in, made safe to count and to store: control characters
/// dropped, cut to [`NAME_KEPT`] characters (marked with `…`), lower-cased like account names.
pub fn typed_name(name: &str) -> String {
    let clean: String = name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    if clean.chars().count() > NAME_KEPT {
        clean.chars().take(NAME_KEPT).chain(['…']).collect()
    } else {
        clean
    }
}

/// Whether a password may be checked now (a check reserved), or why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// One check is reserved for this name and address.
    Open,
    /// This address may not try this name now (its own failures, or the name is under attack
    /// from elsewhere and this address has not signed in to it before).
    Locked,
    /// This address has used up its failures for the window.
    Throttled,
}

/// What the login form needs about an account.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub account: Account,
    pub password_hash: String,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub account: Account,
    pub csrf_token: String,
    pub created_at: i64,
    /// An administrator has also given a TOTP code (always true for other accounts).
    pub second_factor_done: bool,
    /// A TOTP secret (base32) shown for enrolment and not yet confirmed.
    pub totp_pending: Option<String>,
}

/// A new session: the token goes in the cookie, the CSRF token in forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

/// The SHA-256 of a session token, as stored.
pub fn token_hash(token: &str) -> String {
    gaoxin_core::audit::to_hex(&Sha256::digest(token.as_bytes()))
}

/// What a failed login did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureOutcome {
    /// Counted; this address may go on trying this name.
    Counted,
    /// This failure locked this address out of this name.
    Locked,
}

/// The user name or address of a row that counts every one: (name, `*`) counts a name's
/// failures from every address, (`*`, address) an address's for every name.
const EVERY: &str = "*";

impl Store {
    /// The account and its hash, for checking a password.
    /// User names are matched whatever their case: `Clerk` signs in as `clerk`. (Two old
    /// accounts differing only by case match neither: new names cannot be made so.)
    pub async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, password_hash FROM accounts WHERE lower(username) = $1 LIMIT 2",
        )
        .bind(username.to_lowercase())
        .fetch_all(&self.pool)
        .await?;
        let [row] = rows.as_slice() else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let password_hash: String = row.try_get("password_hash")?;
        let mut tx = self.pool.begin().await?;
        let account = find_by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(account.map(|account| LoginRecord {
            account,
            password_hash,
        }))
    }

    /// Reserves one password check for `name` (as [`typed_name`] makes it) from `ip`, or says
    /// why none may be made. Each counter moves by one atomic statement, and a check counts as
    /// pending until it is settled, so concurrent attempts cannot exceed a limit: at most
    /// `max_failures` checks per name and address, `max_failures_per_ip` per address and
    /// window, and `max_failures_per_account` per name and window from addresses it has not
    /// signed in from. Settle with [`Store::record_login_failure`] or [`Store::open_session`]
    /// (or [`Store::release_login`] when neither could be written).
    pub async fn login_gate(
        &self,
        name: &str,
        ip: &str,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<Gate, StoreError> {
        let mut tx = self.begin_write().await?;
        let by_address = reserve(&mut tx, EVERY, ip, now, policy.ip_window_secs).await?;
        if by_address.tried() > policy.max_failures_per_ip {
            settle(&mut tx, EVERY, ip, false, now).await?;
            tx.commit().await?;
            return Ok(Gate::Throttled);
        }
        let own = reserve(&mut tx, name, ip, now, policy.lock_secs).await?;
        let everywhere = reserve(&mut tx, name, EVERY, now, policy.ip_window_secs).await?;
        let locked = own.locked_until.is_some_and(|t| t > now.0)
            || own.tried() > policy.max_failures
            || (everywhere.tried() > policy.max_failures_per_account
                && !known_address(&mut tx, name, ip, now).await?);
        if locked {
            for (n, i) in [(EVERY, ip), (name, ip), (name, EVERY)] {
                settle(&mut tx, n, i, false, now).await?;
            }
            tx.commit().await?;
            return Ok(Gate::Locked);
        }
        tx.commit().await?;
        Ok(Gate::Open)
    }

    /// Records a failed sign-in whose check [`Store::login_gate`] reserved: at the limit this
    /// address is locked out of this name for `lock_secs`. Audited, within the bounds on
    /// events from people not signed in ([`Store::audit_unsigned`]).
    pub async fn record_login_failure(
        &self,
        key: &AuditKey,
        name: &str,
        ip: &str,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<FailureOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        for (n, i) in [(EVERY, ip), (name, ip), (name, EVERY)] {
            settle(&mut tx, n, i, true, now).await?;
        }
        let locked = lock_at_limit(&mut tx, name, ip, policy, now).await?;
        let (outcome, action) = if locked {
            (FailureOutcome::Locked, "login.lockout")
        } else {
            (FailureOutcome::Counted, "login.failure")
        };
        let actor = Actor::unsigned(name, ip);
        let rec = AuditRecord::new(&actor, action, format!("account:{name}"), "failure");
        crate::audit::append_unsigned(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Gives back a reserved check that neither failed nor opened a session (the database
    /// failed in between), so a fault on the server's side locks no one out.
    pub async fn release_login(
        &self,
        name: &str,
        ip: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (n, i) in [(EVERY, ip), (name, ip), (name, EVERY)] {
            settle(&mut tx, n, i, false, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Forgets failed-sign-in counts, locks and known addresses that can no longer matter. Run
    /// periodically.
    pub async fn prune_login_records(
        &self,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let stale = now.0 - policy.ip_window_secs.max(policy.lock_secs);
        let mut gone = sqlx::query(
            "DELETE FROM login_attempts WHERE window_start < $1 AND pending_at < $1 \
             AND (locked_until IS NULL OR locked_until < $2)",
        )
        .bind(stale)
        .bind(now.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        gone += sqlx::query("DELETE FROM login_known WHERE last_success < $1")
            .bind(now.0 - KNOWN_FOR_SECS)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(gone)
    }

    /// Opens a session after a successful login: a fresh token; the reservations the check
    /// took are given back and the address remembered as one the account signs in from; the
    /// oldest sessions beyond `max_sessions` end. Audited.
    pub async fn open_session(
        &self,
        key: &AuditKey,
        account: &Account,
        ip: &str,
        second_factor_done: bool,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<NewSession, StoreError> {
        let token = random::token().map_err(|e| StoreError::Random(e.to_string()))?;
        let csrf_token = random::token().map_err(|e| StoreError::Random(e.to_string()))?;
        let name = typed_name(&account.username);
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, second_factor_done, ip) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash(&token))
        .bind(account.id)
        .bind(&csrf_token)
        .bind(now.0)
        .bind(now.0)
        .bind(i64::from(second_factor_done))
        .bind(ip)
        .execute(&mut *tx)
        .await?;
        // The check succeeded: the name and address start afresh, the other counters give
        // the reservation back.
        sqlx::query("DELETE FROM login_attempts WHERE username = $1 AND ip = $2")
            .bind(&name)
            .bind(ip)
            .execute(&mut *tx)
            .await?;
        settle(&mut tx, EVERY, ip, false, now).await?;
        settle(&mut tx, &name, EVERY, false, now).await?;
        sqlx::query(
            "INSERT INTO login_known (username, ip, last_success) VALUES ($1, $2, $3) \
             ON CONFLICT (username, ip) DO UPDATE SET last_success = $3",
        )
        .bind(&name)
        .bind(ip)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        let actor = Actor::of(account, ip);
        // The new session stays; of the others, the most recently used are kept.
        let evicted = sqlx::query(
            "SELECT token_hash FROM sessions WHERE account_id = $1 AND token_hash <> $2 \
             ORDER BY last_seen_at DESC, created_at DESC LIMIT 1000000 OFFSET $3",
        )
        .bind(account.id)
        .bind(token_hash(&token))
        .bind(policy.max_sessions.max(1) - 1)
        .fetch_all(&mut *tx)
        .await?;
        for row in &evicted {
            let hash: String = row.try_get("token_hash")?;
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
        }
        if !evicted.is_empty() {
            let rec = AuditRecord::new(
                &actor,
                "session.evict",
                format!("account:{}", account.username),
                "success",
            )
            .change(
                None,
                Some(serde_json::json!({ "ended_sessions": evicted.len(), "limit": policy.max_sessions }).to_string()),
            );
            append(&mut tx, self.backend, key, &rec, now).await?;
        }
        let rec = AuditRecord::new(
            &actor,
            "login.success",
            format!("account:{}", account.username),
            "success",
        );
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(NewSession { token, csrf_token })
    }

    /// Counts a wrong TOTP code given in `session`. At `max_totp_failures` the session ends
    /// and the attempt counts as a failed sign-in of its name from `ip`; returns whether the
    /// session ended. Audited.
    pub async fn record_totp_failure(
        &self,
        key: &AuditKey,
        session: &Session,
        ip: &str,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let failures: i64 = sqlx::query(
            "UPDATE sessions SET totp_failures = totp_failures + 1 WHERE token_hash = $1 \
             RETURNING totp_failures",
        )
        .bind(&session.token_hash)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.try_get("totp_failures"))
        .transpose()?
        .unwrap_or(policy.max_totp_failures);
        let ended = failures >= policy.max_totp_failures;
        let actor = Actor::of(&session.account, ip);
        let target = format!("account:{}", session.account.username);
        if ended {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&session.token_hash)
                .execute(&mut *tx)
                .await?;
            let name = typed_name(&session.account.username);
            // The failure counts against the name and address, as a wrong password does.
            reserve(&mut tx, &name, ip, now, policy.lock_secs).await?;
            settle(&mut tx, &name, ip, true, now).await?;
            lock_at_limit(&mut tx, &name, ip, policy, now).await?;
        }
        let rec = AuditRecord::new(
            &actor,
            if ended {
                "login.2fa.ended"
            } else {
                "login.2fa"
            },
            target,
            "denied",
        );
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// The live session for a cookie token, if any. Reading it writes nothing: when it was
    /// last seen is noted in memory and written in batches ([`Store::flush_session_touches`]),
    /// and expired sessions are removed by [`Store::end_expired_sessions`], so a page loads
    /// while another process holds SQLite's write lock (a long import).
    pub async fn session(
        &self,
        token: &str,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<Option<Session>, StoreError> {
        let hash = token_hash(token);
        let row = sqlx::query("SELECT account_id, csrf_token, created_at, last_seen_at, second_factor_done, totp_pending \
             FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let created_at: i64 = row.try_get("created_at")?;
        let stored_seen: i64 = row.try_get("last_seen_at")?;
        let last_seen = self
            .touches
            .seen(&hash)
            .map_or(stored_seen, |t| t.max(stored_seen));
        let account_id: i64 = row.try_get("account_id")?;
        let expired =
            now.0 - last_seen >= policy.idle_secs || now.0 - created_at >= policy.absolute_secs;
        let mut tx = self.pool.begin().await?;
        let account = find_by_id(&mut tx, account_id).await?;
        tx.commit().await?;
        let account = match account {
            Some(a) if !expired && !a.disabled => a,
            _ => return Ok(None),
        };
        if now.0 - last_seen >= 60 {
            self.touches.touch(&hash, now.0);
        }
        Ok(Some(Session {
            token_hash: hash,
            account,
            csrf_token: row.try_get("csrf_token")?,
            created_at,
            second_factor_done: row.try_get::<i64, _>("second_factor_done")? != 0,
            totp_pending: row.try_get("totp_pending")?,
        }))
    }

    /// Writes the sessions' last-seen times noted since the last flush, in one transaction;
    /// if the database is busy they are kept for the next one. Returns how many were written.
    pub async fn flush_session_touches(&self) -> Result<usize, StoreError> {
        let pending = self.touches.take();
        if pending.is_empty() {
            return Ok(0);
        }
        let written = async {
            let mut tx = self.begin_write().await?;
            for (hash, seen) in &pending {
                sqlx::query(
                    "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1",
                )
                .bind(seen)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(pending.len())
        }
        .await;
        if written.is_err() {
            self.touches.restore(pending);
        }
        written
    }

    /// Removes the sessions that have ended (idle or too old) or whose account is disabled.
    pub async fn end_expired_sessions(
        &self,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        self.flush_session_touches().await?;
        let mut tx = self.begin_write().await?;
        let gone = sqlx::query(
            "DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2 \
             OR account_id IN (SELECT id FROM accounts WHERE disabled <> 0)",
        )
        .bind(now.0 - policy.idle_secs)
        .bind(now.0 - policy.absolute_secs)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(gone)
    }

    /// Ends one session (logout), audited.
    pub async fn close_session(
        &self,
        key: &AuditKey,
        session: &Session,
        ip: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&session.token_hash)
            .execute(&mut *tx)
            .await?;
        let actor = Actor::of(&session.account, ip);
        let rec = AuditRecord::new(
            &actor,
            "logout",
            format!("account:{}", session.account.username),
            "success",
        );
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets an account's own new password: clears the must-change flag and ends every session
    /// of the account, audited.
    pub async fn change_password(
        &self,
        key: &AuditKey,
        account: &Account,
        new_hash: &str,
        ip: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, password_changed_at = $2, must_change_password = 0 WHERE id = $3",
        )
        .bind(new_hash)
        .bind(now.0)
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
        end_sessions(&mut tx, account.id).await?;
        let actor = Actor::of(account, ip);
        let before = serde_json::json!({ "must_change_password": account.must_change_password });
        let after = serde_json::json!({ "must_change_password": false });
        let rec = AuditRecord::new(
            &actor,
            "password.change",
            format!("account:{}", account.username),
            "success",
        )
        .change(Some(before.to_string()), Some(after.to_string()));
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Remembers a TOTP secret shown for enrolment, until the account confirms it with a code.
    pub async fn set_totp_pending(
        &self,
        session: &Session,
        secret_base32: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET totp_pending = $1 WHERE token_hash = $2")
            .bind(secret_base32)
            .bind(&session.token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account's confirmed TOTP secret (base32) and the last time step it accepted.
    pub async fn totp_secret(
        &self,
        account: &Account,
    ) -> Result<Option<(String, Option<i64>)>, StoreError> {
        let row = sqlx::query("SELECT totp_secret, totp_last_counter FROM accounts WHERE id = $1")
            .bind(account.id)
            .fetch_one(&self.pool)
            .await?;
        let secret: Option<String> = row.try_get("totp_secret")?;
        Ok(secret.map(|s| (s, row.try_get("totp_last_counter").ok().flatten())))
    }

    /// Completes the second factor of a session with a code that matched time step `counter`:
    /// stores the secret if this confirms an enrolment, refuses a step already used (a replayed
    /// code), marks the session done, and audits it. Returns false for a replay.
    pub async fn complete_second_factor(
        &self,
        key: &AuditKey,
        session: &Session,
        enrol_secret: Option<&str>,
        counter: i64,
        ip: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let last: Option<i64> = sqlx::query("SELECT totp_last_counter FROM accounts WHERE id = $1")
            .bind(session.account.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("totp_last_counter")?;
        if enrol_secret.is_none() && last.is_some_and(|l| counter <= l) {
            return Ok(false);
        }
        if let Some(secret) = enrol_secret {
            sqlx::query("UPDATE accounts SET totp_secret = $1 WHERE id = $2")
                .bind(secret)
                .bind(session.account.id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE accounts SET totp_last_counter = $1 WHERE id = $2")
            .bind(counter)
            .bind(session.account.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE sessions SET second_factor_done = 1, totp_pending = NULL WHERE token_hash = $1",
        )
        .bind(&session.token_hash)
        .execute(&mut *tx)
        .await?;
        let actor = Actor::of(&session.account, ip);
        let action = if enrol_secret.is_some() {
            "2fa.enable"
        } else {
            "login.2fa"
        };
        let target = format!("account:{}", session.account.username);
        let rec = AuditRecord::new(&actor, action, target, "success").change(
            enrol_secret.map(|_| serde_json::json!({ "totp": false }).to_string()),
            enrol_secret.map(|_| serde_json::json!({ "totp": true }).to_string()),
        );
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// How long an address an account signed in from stays known.
const KNOWN_FOR_SECS: i64 = 90 * 86_400;

/// A reservation a request never settled (it crashed, or the database failed under it) stops
/// counting after this long.
const PENDING_SECS: i64 = 60;

/// A counter row as a reservation left it.
#[derive(Debug, Clone, Copy)]
struct Count {
    failures: i64,
    pending: i64,
    locked_until: Option<i64>,
}

impl Count {
    /// Failures so far and checks under way, this one included.
    fn tried(&self) -> i64 {
        self.failures + self.pending
    }
}

/// Reserves one check on the (name, address) row in one statement. A lock that has run out
/// starts the count afresh, and so does a window of `fresh_secs` without a failure.
async fn reserve(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    ip: &str,
    now: Timestamp,
    fresh_secs: i64,
) -> Result<Count, StoreError> {
    let row = sqlx::query(
        "INSERT INTO login_attempts (username, ip, window_start, failures, pending, pending_at, locked_until) \
         VALUES ($1, $2, $3, 0, 1, $3, NULL) \
         ON CONFLICT (username, ip) DO UPDATE SET \
           failures = CASE \
             WHEN login_attempts.locked_until > $3 THEN login_attempts.failures \
             WHEN login_attempts.locked_until IS NOT NULL \
               OR $3 - login_attempts.window_start >= $4 THEN 0 \
             ELSE login_attempts.failures END, \
           window_start = CASE \
             WHEN login_attempts.locked_until > $3 THEN login_attempts.window_start \
             WHEN login_attempts.locked_until IS NOT NULL \
               OR $3 - login_attempts.window_start >= $4 THEN $3 \
             ELSE login_attempts.window_start END, \
           locked_until = CASE \
             WHEN login_attempts.locked_until > $3 THEN login_attempts.locked_until \
             ELSE NULL END, \
           pending = CASE WHEN $3 - login_attempts.pending_at >= $5 THEN 1 \
             ELSE login_attempts.pending + 1 END, \
           pending_at = $3 \
         RETURNING failures, pending, locked_until",
    )
    .bind(name)
    .bind(ip)
    .bind(now.0)
    .bind(fresh_secs)
    .bind(PENDING_SECS)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Count {
        failures: row.try_get("failures")?,
        pending: row.try_get("pending")?,
        locked_until: row.try_get("locked_until")?,
    })
}

/// Settles one reserved check: no longer pending, and a failure if it `failed`.
async fn settle(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    ip: &str,
    failed: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE login_attempts SET \
           pending = CASE WHEN pending > 0 AND $4 - pending_at < $5 THEN pending - 1 ELSE 0 END, \
           failures = failures + $3 \
         WHERE username = $1 AND ip = $2",
    )
    .bind(name)
    .bind(ip)
    .bind(i64::from(failed))
    .bind(now.0)
    .bind(PENDING_SECS)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether `ip` is an address the account `name` has signed in from.
async fn known_address(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    ip: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "SELECT 1 AS known FROM login_known WHERE username = $1 AND ip = $2 AND last_success > $3",
    )
    .bind(name)
    .bind(ip)
    .bind(now.0 - KNOWN_FOR_SECS)
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// Locks `ip` out of `name` for `lock_secs` if its failures have reached the limit; returns
/// whether it did.
async fn lock_at_limit(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    ip: &str,
    policy: &LoginPolicy,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let locked = sqlx::query(
        "UPDATE login_attempts SET locked_until = $1, failures = 0 \
         WHERE username = $2 AND ip = $3 AND failures >= $4 \
         AND (locked_until IS NULL OR locked_until <= $5)",
    )
    .bind(now.0 + policy.lock_secs)
    .bind(name)
    .bind(ip)
    .bind(policy.max_failures)
    .bind(now.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(locked > 0)
}

/// When sessions were last seen, noted in memory between flushes (shared by every clone of
/// the store).
#[derive(Debug, Clone, Default)]
pub(crate) struct Touches(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, i64>>>);

impl Touches {
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, i64>> {
        // A panic while holding this lock loses at most some last-seen times.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn seen(&self, hash: &str) -> Option<i64> {
        self.lock().get(hash).copied()
    }

    fn touch(&self, hash: &str, at: i64) {
        let mut map = self.lock();
        let t = map.entry(hash.to_string()).or_insert(at);
        *t = (*t).max(at);
    }

    fn take(&self) -> std::collections::HashMap<String, i64> {
        std::mem::take(&mut *self.lock())
    }

    fn restore(&self, pending: std::collections::HashMap<String, i64>) {
        let mut map = self.lock();
        for (hash, at) in pending {
            let t = map.entry(hash).or_insert(at);
            *t = (*t).max(at);
        }
    }
}
