//! 安全策略 — the password and sign-in policy the security administrator sets, stored in the
//! database so every instance applies the same one. Unset values fall back to the defaults the
//! server was started with.

use crate::audit::{Actor, AuditKey, AuditRecord, append};
use crate::sessions::LoginPolicy;
use crate::{Store, StoreError};
use gaoxin_core::auth::password::PasswordPolicy;
use gaoxin_core::time::Timestamp;
use sqlx::Row;

/// The policy in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityPolicy {
    pub password_min_length: usize,
    pub password_require_mix: bool,
    /// 0: passwords never expire.
    pub password_max_age_days: u32,
    pub lockout_failures: i64,
    pub lockout_minutes: i64,
}

impl SecurityPolicy {
    pub fn from_parts(password: &PasswordPolicy, login: &LoginPolicy) -> SecurityPolicy {
        SecurityPolicy {
            password_min_length: password.min_length,
            password_require_mix: password.require_mix,
            password_max_age_days: password.max_age_days.unwrap_or(0),
            lockout_failures: login.max_failures,
            lockout_minutes: login.lock_secs / 60,
        }
    }

    pub fn password(&self) -> PasswordPolicy {
        PasswordPolicy {
            min_length: self.password_min_length,
            require_mix: self.password_require_mix,
            max_age_days: (self.password_max_age_days > 0).then_some(self.password_max_age_days),
        }
    }

    /// The sign-in rules, with the session and throttling settings of `base`.
    pub fn login(&self, base: &LoginPolicy) -> LoginPolicy {
        LoginPolicy {
            max_failures: self.lockout_failures,
            lock_secs: self.lockout_minutes * 60,
            ..*base
        }
    }

    fn pairs(&self) -> [(&'static str, String); 5] {
        [
            ("password.min_length", self.password_min_length.to_string()),
            (
                "password.require_mix",
                self.password_require_mix.to_string(),
            ),
            (
                "password.max_age_days",
                self.password_max_age_days.to_string(),
            ),
            ("login.max_failures", self.lockout_failures.to_string()),
            ("login.lock_minutes", self.lockout_minutes.to_string()),
        ]
    }

    fn json(&self) -> String {
        let map: serde_json::Map<String, serde_json::Value> = self
            .pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
            .collect();
        serde_json::Value::Object(map).to_string()
    }
}

impl Store {
    /// The policy in force: stored values over `defaults`.
    pub async fn security_policy(
        &self,
        defaults: SecurityPolicy,
    ) -> Result<SecurityPolicy, StoreError> {
        let rows = sqlx::query("SELECT key, value FROM security_policy")
            .fetch_all(&self.pool)
            .await?;
        let mut p = defaults;
        for row in rows {
            let key: String = row.try_get("key")?;
            let value: String = row.try_get("value")?;
            match key.as_str() {
                "password.min_length" => {
                    p.password_min_length = value.parse().unwrap_or(p.password_min_length)
                }
                "password.require_mix" => {
                    p.password_require_mix = value.parse().unwrap_or(p.password_require_mix)
                }
                "password.max_age_days" => {
                    p.password_max_age_days = value.parse().unwrap_or(p.password_max_age_days)
                }
                "login.max_failures" => {
                    p.lockout_failures = value.parse().unwrap_or(p.lockout_failures)
                }
                "login.lock_minutes" => {
                    p.lockout_minutes = value.parse().unwrap_or(p.lockout_minutes)
                }
                _ => {}
            }
        }
        Ok(p)
    }

    /// Stores a new policy, audited with the old and new values.
    pub async fn set_security_policy(
        &self,
        key: &AuditKey,
        actor: &Actor,
        before: &SecurityPolicy,
        after: &SecurityPolicy,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (k, v) in after.pairs() {
            let updated = sqlx::query("UPDATE security_policy SET value = $1 WHERE key = $2")
                .bind(&v)
                .bind(k)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                sqlx::query("INSERT INTO security_policy (key, value) VALUES ($1, $2)")
                    .bind(k)
                    .bind(&v)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let rec = AuditRecord::new(
            actor,
            "policy.change",
            "security_policy".to_string(),
            "success",
        )
        .change(Some(before.json()), Some(after.json()));
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
