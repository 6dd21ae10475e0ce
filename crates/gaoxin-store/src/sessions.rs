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

/// The login rules (defaults: the 等保 profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Failed logins in a row that lock an account.
    pub max_failures: i64,
    /// How long a lock lasts.
    pub lock_secs: i64,
    /// Failed logins one address may make per window, whatever the accounts.
    pub max_failures_per_ip: i64,
    pub ip_window_secs: i64,
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
            idle_secs: 30 * 60,
            absolute_secs: 12 * 3600,
        }
    }
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

/// What a failed login did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureOutcome {
    /// Counted; the account is not locked.
    Counted,
    /// This failure locked the account.
    Locked,
    /// No such account (or disabled): only the address was counted.
    Unknown,
}

impl Store {
    /// The account and its hash, for checking a password.
    pub async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>, StoreError> {
        let row = sqlx::query("SELECT id, password_hash FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
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

    /// Whether `ip` has used up its failed logins for the current window.
    pub async fn ip_throttled(
        &self,
        ip: &str,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT window_start, attempts FROM login_throttle WHERE ip = $1")
            .bind(ip)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => {
                let start: i64 = row.try_get("window_start")?;
                let attempts: i64 = row.try_get("attempts")?;
                now.0 - start < policy.ip_window_secs && attempts >= policy.max_failures_per_ip
            }
            None => false,
        })
    }

    /// Records a failed login: counts it for the address and (if it exists) the account,
    /// locks the account at the limit, and audits it.
    pub async fn record_login_failure(
        &self,
        key: &AuditKey,
        username: &str,
        ip: &str,
        policy: &LoginPolicy,
        now: Timestamp,
    ) -> Result<FailureOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        let throttle =
            sqlx::query("SELECT window_start, attempts FROM login_throttle WHERE ip = $1")
                .bind(ip)
                .fetch_optional(&mut *tx)
                .await?;
        match throttle {
            Some(row) if now.0 - row.try_get::<i64, _>("window_start")? < policy.ip_window_secs => {
                sqlx::query("UPDATE login_throttle SET attempts = attempts + 1 WHERE ip = $1")
                    .bind(ip)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(_) => {
                sqlx::query(
                    "UPDATE login_throttle SET window_start = $1, attempts = 1 WHERE ip = $2",
                )
                .bind(now.0)
                .bind(ip)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO login_throttle (ip, window_start, attempts) VALUES ($1, $2, 1)",
                )
                .bind(ip)
                .bind(now.0)
                .execute(&mut *tx)
                .await?;
            }
        }
        let row =
            sqlx::query("SELECT id, failed_logins, disabled FROM accounts WHERE username = $1")
                .bind(username)
                .fetch_optional(&mut *tx)
                .await?;
        let outcome = match row {
            Some(row) if row.try_get::<i64, _>("disabled")? == 0 => {
                let id: i64 = row.try_get("id")?;
                let failures = row.try_get::<i64, _>("failed_logins")? + 1;
                let lock = (failures >= policy.max_failures).then_some(now.0 + policy.lock_secs);
                sqlx::query("UPDATE accounts SET failed_logins = $1, locked_until = COALESCE($2, locked_until) WHERE id = $3")
                    .bind(if lock.is_some() { 0 } else { failures })
                    .bind(lock)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if lock.is_some() {
                    FailureOutcome::Locked
                } else {
                    FailureOutcome::Counted
                }
            }
            _ => FailureOutcome::Unknown,
        };
        let actor = Actor {
            account: username.to_string(),
            role: String::new(),
            unit: String::new(),
            ip: ip.to_string(),
        };
        let action = if outcome == FailureOutcome::Locked {
            "login.lockout"
        } else {
            "login.failure"
        };
        let rec = AuditRecord::new(&actor, action, format!("account:{username}"), "failure");
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Opens a session after a successful login: a fresh token, failures reset, audited.
    pub async fn open_session(
        &self,
        key: &AuditKey,
        account: &Account,
        ip: &str,
        second_factor_done: bool,
        now: Timestamp,
    ) -> Result<NewSession, StoreError> {
        let token = random::token().map_err(|e| StoreError::Random(e.to_string()))?;
        let csrf_token = random::token().map_err(|e| StoreError::Random(e.to_string()))?;
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
        sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(account.id)
            .execute(&mut *tx)
            .await?;
        let actor = Actor::of(account, ip);
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

    /// The live session for a cookie token, if any. Expired sessions are removed; a session
    /// seen more than a minute ago is touched.
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
        let last_seen: i64 = row.try_get("last_seen_at")?;
        let account_id: i64 = row.try_get("account_id")?;
        let expired =
            now.0 - last_seen >= policy.idle_secs || now.0 - created_at >= policy.absolute_secs;
        let mut tx = self.pool.begin().await?;
        let account = find_by_id(&mut tx, account_id).await?;
        tx.commit().await?;
        let account = match account {
            Some(a) if !expired && !a.disabled => a,
            _ => {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(&hash)
                    .execute(&self.pool)
                    .await?;
                return Ok(None);
            }
        };
        if now.0 - last_seen >= 60 {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now.0)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
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
