//! 账号 — accounts and their roles. Every change is audited in its own transaction: if the
//! audit event cannot be written, the change is not made.

use crate::audit::{Actor, AuditKey, AuditRecord, append};
use crate::{Store, StoreError};
use gaoxin_core::auth::{RoleKind, check_roles, may_change_account};
use gaoxin_core::time::Timestamp;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// An account, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    /// The plan department (or dispatch office) the account belongs to.
    pub unit: String,
    pub roles: Vec<RoleKind>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub password_changed_at: i64,
    pub totp_enabled: bool,
    pub created_at: i64,
    /// 姓名 (empty until filled in).
    pub full_name: String,
    pub phone: String,
    /// Where e-mail copies of notices go, and which.
    pub email: Option<String>,
    pub email_notices: gaoxin_core::notices::EmailChoice,
}

impl Account {
    /// The account as people read it in a history: `张三（zhangsan）`.
    pub fn person(&self) -> String {
        gaoxin_core::auth::person(&self.username, &self.full_name)
    }

    /// The account as core's rules see it: its roles and its department.
    pub fn who(&self) -> gaoxin_core::auth::Who<'_> {
        gaoxin_core::auth::Who {
            roles: &self.roles,
            department: &self.unit,
        }
    }
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub unit: String,
    pub roles: Vec<RoleKind>,
    /// Argon2id PHC string; the password itself never reaches the store.
    pub password_hash: String,
    pub must_change_password: bool,
    /// 姓名 and phone, checked by `gaoxin_core::auth::check_profile` (both may be empty).
    pub full_name: String,
    pub phone: String,
}

const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.unit_key, a.disabled, a.must_change_password, \
     a.password_changed_at, a.totp_secret, a.created_at, a.full_name, a.phone, a.email, \
     a.email_notices";

async fn roles_of(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Vec<RoleKind>, sqlx::Error> {
    let rows = sqlx::query("SELECT role FROM account_roles WHERE account_id = $1 ORDER BY role")
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>("role").ok())
        .filter_map(|r| RoleKind::parse(&r))
        .collect())
}

fn account_from_row(row: &AnyRow, roles: Vec<RoleKind>) -> Result<Account, sqlx::Error> {
    Ok(Account {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        unit: row.try_get("unit_key")?,
        roles,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        password_changed_at: row.try_get("password_changed_at")?,
        totp_enabled: row.try_get::<Option<String>, _>("totp_secret")?.is_some(),
        created_at: row.try_get("created_at")?,
        full_name: row.try_get("full_name")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        email_notices: gaoxin_core::notices::EmailChoice::parse(
            &row.try_get::<String, _>("email_notices")?,
        )
        .unwrap_or_default(),
    })
}

/// JSON of an account for the audit log's before/after.
fn snapshot(a: &Account) -> String {
    serde_json::json!({
        "username": a.username,
        "unit": a.unit,
        "roles": a.roles.iter().map(|r| r.code()).collect::<Vec<_>>(),
        "disabled": a.disabled,
        "must_change_password": a.must_change_password,
        "full_name": a.full_name,
        "phone": a.phone,
    })
    .to_string()
}

async fn find(
    tx: &mut Transaction<'static, Any>,
    username: &str,
) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.username = $1"
    ))
    .bind(username)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(row) => {
            let id: i64 = row.try_get("id")?;
            let roles = roles_of(tx, id).await?;
            Ok(Some(account_from_row(&row, roles)?))
        }
        None => Ok(None),
    }
}

/// One account by id, inside a transaction.
pub(crate) async fn find_by_id(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(row) => {
            let roles = roles_of(tx, id).await?;
            Ok(Some(account_from_row(&row, roles)?))
        }
        None => Ok(None),
    }
}

/// Ends every session of an account (disabled, deleted, new roles, new password, TOTP reset).
pub(crate) async fn end_sessions(
    tx: &mut Transaction<'static, Any>,
    account_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Gives an account roles (its existing ones are left as they are).
async fn insert_roles(
    tx: &mut Transaction<'static, Any>,
    account_id: i64,
    roles: &[RoleKind],
) -> Result<(), sqlx::Error> {
    for role in roles {
        sqlx::query("INSERT INTO account_roles (account_id, role) VALUES ($1, $2)")
            .bind(account_id)
            .bind(role.code())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// An account that must exist.
async fn existing(
    tx: &mut Transaction<'static, Any>,
    username: &str,
) -> Result<Account, StoreError> {
    find(tx, username)
        .await?
        .ok_or_else(|| StoreError::NoSuchAccount {
            username: username.to_string(),
        })
}

impl Store {
    /// Creates an account with its roles, audited.
    pub async fn create_account(
        &self,
        key: &AuditKey,
        actor: &Actor,
        new: &NewAccount,
        now: Timestamp,
    ) -> Result<Account, StoreError> {
        let mut tx = self.begin_write().await?;
        let account = self.create_in(&mut tx, key, actor, new, now).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Creates the first accounts of a database, all in one transaction, if it has none yet:
    /// two servers starting at once on a new database make them once. Returns whether it did.
    pub async fn create_first_accounts(
        &self,
        key: &AuditKey,
        actor: &Actor,
        accounts: &[NewAccount],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        if self.backend == crate::Backend::Postgres {
            // Serialise first starts, as BEGIN IMMEDIATE does on SQLite.
            sqlx::query("LOCK TABLE accounts IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM accounts")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if n > 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        for new in accounts {
            self.create_in(&mut tx, key, actor, new, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Creates an account inside `tx`, audited.
    async fn create_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        key: &AuditKey,
        actor: &Actor,
        new: &NewAccount,
        now: Timestamp,
    ) -> Result<Account, StoreError> {
        // An account may be created without roles (by the system administrator); the security
        // administrator assigns them.
        if !new.roles.is_empty() {
            check_roles(&new.roles).map_err(StoreError::InvalidRoles)?;
        }
        may_change_account(actor.changer(), &[], Some(&new.roles))
            .map_err(StoreError::AdminAtConsole)?;
        let (full_name, phone) = gaoxin_core::auth::check_profile(&new.full_name, &new.phone)
            .map_err(StoreError::InvalidProfile)?;
        // Whatever the case: an older account named `Clerk` makes `clerk` taken.
        let taken = sqlx::query("SELECT 1 AS taken FROM accounts WHERE lower(username) = $1")
            .bind(new.username.to_lowercase())
            .fetch_optional(&mut **tx)
            .await?
            .is_some();
        if taken {
            return Err(StoreError::AccountExists {
                username: new.username.clone(),
            });
        }
        let id: i64 = match self.backend {
            // Past every id ever given, not only past the highest one left.
            crate::Backend::Sqlite => {
                let id: i64 = sqlx::query(
                    "UPDATE account_ids SET last_id = \
                       MAX(last_id, (SELECT COALESCE(MAX(id), 0) FROM accounts)) + 1 \
                     WHERE singleton = 1 RETURNING last_id",
                )
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
                sqlx::query(
                    "INSERT INTO accounts (id, username, unit_key, password_hash, \
                     password_changed_at, must_change_password, created_at, full_name, phone) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(&new.username)
                .bind(&new.unit)
                .bind(&new.password_hash)
                .bind(now.0)
                .bind(i64::from(new.must_change_password))
                .bind(now.0)
                .bind(&full_name)
                .bind(&phone)
                .execute(&mut **tx)
                .await?;
                id
            }
            crate::Backend::Postgres => sqlx::query(
                "INSERT INTO accounts (username, unit_key, password_hash, password_changed_at, \
                 must_change_password, created_at, full_name, phone) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&new.username)
            .bind(&new.unit)
            .bind(&new.password_hash)
            .bind(now.0)
            .bind(i64::from(new.must_change_password))
            .bind(now.0)
            .bind(&full_name)
            .bind(&phone)
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?,
        };
        insert_roles(tx, id, &new.roles).await?;
        let account = find(tx, &new.username)
            .await?
            .ok_or(StoreError::NoSuchAccount {
                username: new.username.clone(),
            })?;
        let rec = AuditRecord::new(
            actor,
            "account.create",
            format!("account:{}", new.username),
            "success",
        )
        .change(None, Some(snapshot(&account)));
        append(tx, self.backend, key, &rec, now).await?;
        Ok(account)
    }

    /// Every account, by user name.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.username"
        ))
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let roles = roles_of(&mut tx, row.try_get("id")?).await?;
            out.push(account_from_row(row, roles)?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// How many accounts there are.
    pub async fn account_count(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// One account by user name.
    pub async fn account(&self, username: &str) -> Result<Option<Account>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let found = find(&mut tx, username).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Disables an account and ends its sessions, audited.
    pub async fn disable_account(
        &self,
        key: &AuditKey,
        actor: &Actor,
        username: &str,
        now: Timestamp,
    ) -> Result<Account, StoreError> {
        let mut tx = self.begin_write().await?;
        let before = existing(&mut tx, username).await?;
        may_change_account(actor.changer(), &before.roles, None)
            .map_err(StoreError::AdminAtConsole)?;
        if before.disabled {
            return Err(StoreError::AlreadyDisabled {
                username: username.to_string(),
            });
        }
        sqlx::query("UPDATE accounts SET disabled = 1 WHERE id = $1")
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, before.id).await?;
        let after = Account {
            disabled: true,
            ..before.clone()
        };
        let rec = AuditRecord::new(
            actor,
            "account.disable",
            format!("account:{username}"),
            "success",
        )
        .change(Some(snapshot(&before)), Some(snapshot(&after)));
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes an account (its roles and sessions go with it); its audit events stay. Audited.
    pub async fn delete_account(
        &self,
        key: &AuditKey,
        actor: &Actor,
        username: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let before = existing(&mut tx, username).await?;
        may_change_account(actor.changer(), &before.roles, None)
            .map_err(StoreError::AdminAtConsole)?;
        sqlx::query("DELETE FROM account_roles WHERE account_id = $1")
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, before.id).await?;
        sqlx::query("DELETE FROM accounts WHERE id = $1")
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        let rec = AuditRecord::new(
            actor,
            "account.delete",
            format!("account:{username}"),
            "success",
        )
        .change(Some(snapshot(&before)), None);
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an account's roles (the security administrator's job), ending its sessions so
    /// the new roles apply at once. No one changes their own roles. Audited.
    pub async fn set_roles(
        &self,
        key: &AuditKey,
        actor: &Actor,
        username: &str,
        roles: &[RoleKind],
        now: Timestamp,
    ) -> Result<Account, StoreError> {
        if actor.account == username {
            return Err(StoreError::OwnRoles);
        }
        if !roles.is_empty() {
            check_roles(roles).map_err(StoreError::InvalidRoles)?;
        }
        let mut tx = self.begin_write().await?;
        let before = existing(&mut tx, username).await?;
        may_change_account(actor.changer(), &before.roles, Some(roles))
            .map_err(StoreError::AdminAtConsole)?;
        sqlx::query("DELETE FROM account_roles WHERE account_id = $1")
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        insert_roles(&mut tx, before.id, roles).await?;
        end_sessions(&mut tx, before.id).await?;
        let mut sorted = roles.to_vec();
        sorted.sort();
        sorted.dedup();
        let after = Account {
            roles: sorted,
            ..before.clone()
        };
        let rec = AuditRecord::new(
            actor,
            "account.roles",
            format!("account:{username}"),
            "success",
        )
        .change(Some(snapshot(&before)), Some(snapshot(&after)));
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Resets a forgotten password: `password_hash` (of a one-time password the administrator
    /// hands over) replaces it, the account must change it at its next sign-in, the lock on its
    /// name from failed sign-ins is lifted, and its sessions end. An administrator's account is
    /// reset at the console only. Audited (the hash is not).
    pub async fn reset_password(
        &self,
        key: &AuditKey,
        actor: &Actor,
        username: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let before = existing(&mut tx, username).await?;
        may_change_account(actor.changer(), &before.roles, None)
            .map_err(StoreError::AdminAtConsole)?;
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, password_changed_at = $2, \
             must_change_password = 1 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(now.0)
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE login_attempts SET failures = 0, locked_until = NULL WHERE username = $1",
        )
        .bind(username)
        .execute(&mut *tx)
        .await?;
        end_sessions(&mut tx, before.id).await?;
        let rec = AuditRecord::new(
            actor,
            "account.password_reset",
            format!("account:{username}"),
            "success",
        )
        .change(
            Some(
                serde_json::json!({ "must_change_password": before.must_change_password })
                    .to_string(),
            ),
            Some(serde_json::json!({ "must_change_password": true }).to_string()),
        );
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the 姓名 and phone of an account (the system administrator, or the person on their
    /// own account page), checked first, audited. Sessions stay.
    pub async fn set_profile(
        &self,
        key: &AuditKey,
        actor: &Actor,
        username: &str,
        full_name: &str,
        phone: &str,
        now: Timestamp,
    ) -> Result<Account, StoreError> {
        let (full_name, phone) = gaoxin_core::auth::check_profile(full_name, phone)
            .map_err(StoreError::InvalidProfile)?;
        let mut tx = self.begin_write().await?;
        let before = existing(&mut tx, username).await?;
        sqlx::query("UPDATE accounts SET full_name = $1, phone = $2 WHERE id = $3")
            .bind(&full_name)
            .bind(&phone)
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        let rec = AuditRecord::new(
            actor,
            "account.profile",
            format!("account:{username}"),
            "success",
        )
        .change(
            Some(
                serde_json::json!({ "full_name": before.full_name, "phone": before.phone })
                    .to_string(),
            ),
            Some(serde_json::json!({ "full_name": full_name, "phone": phone }).to_string()),
        );
        append(&mut tx, self.backend, key, &rec, now).await?;
        let after = existing(&mut tx, username).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets where and which notices go by e-mail for an account (the person, on their account
    /// page): an address (checked) or none, and all, urgent or no notices. Audited.
    pub async fn set_email_notices(
        &self,
        key: &AuditKey,
        actor: &Actor,
        username: &str,
        email: Option<&str>,
        choice: gaoxin_core::notices::EmailChoice,
        now: Timestamp,
    ) -> Result<Account, StoreError> {
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email
            && !gaoxin_core::notices::valid_email(e)
        {
            return Err(StoreError::InvalidEmail {
                address: e.to_string(),
            });
        }
        let mut tx = self.begin_write().await?;
        let before = existing(&mut tx, username).await?;
        sqlx::query("UPDATE accounts SET email = $1, email_notices = $2 WHERE id = $3")
            .bind(email)
            .bind(choice.code())
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        let rec = AuditRecord::new(
            actor,
            "account.notices",
            format!("account:{username}"),
            "success",
        )
        .change(
            Some(
                serde_json::json!({
                    "email": before.email,
                    "email_notices": before.email_notices.code(),
                })
                .to_string(),
            ),
            Some(serde_json::json!({ "email": email, "email_notices": choice.code() }).to_string()),
        );
        append(&mut tx, self.backend, key, &rec, now).await?;
        let after = existing(&mut tx, username).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every account's 姓名 by user name, for showing histories (accounts without one are left
    /// out).
    pub async fn people(&self) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let rows = sqlx::query("SELECT username, full_name FROM accounts WHERE full_name <> ''")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("username")?, r.try_get("full_name")?)))
            .collect()
    }

    /// Clears an account's TOTP secret (a lost phone): the next sign-in enrols a new one. Ends
    /// the account's sessions. Audited.
    pub async fn reset_totp(
        &self,
        key: &AuditKey,
        actor: &Actor,
        username: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let before = existing(&mut tx, username).await?;
        may_change_account(actor.changer(), &before.roles, None)
            .map_err(StoreError::AdminAtConsole)?;
        sqlx::query(
            "UPDATE accounts SET totp_secret = NULL, totp_last_counter = NULL WHERE id = $1",
        )
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
        end_sessions(&mut tx, before.id).await?;
        let rec = AuditRecord::new(actor, "2fa.reset", format!("account:{username}"), "success")
            .change(
                Some(serde_json::json!({ "totp": before.totp_enabled }).to_string()),
                Some(serde_json::json!({ "totp": false }).to_string()),
            );
        append(&mut tx, self.backend, key, &rec, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Every active account: its id, its unit and its roles — whom the notices (figures, orders,
/// reports) choose their audience from.
pub(crate) async fn active_accounts(
    tx: &mut Transaction<'static, Any>,
) -> Result<Vec<(i64, String, Vec<gaoxin_core::auth::RoleKind>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.id, a.unit_key, r.role FROM accounts a \
         JOIN account_roles r ON r.account_id = a.id WHERE a.disabled = 0 ORDER BY a.id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut accounts: Vec<(i64, String, Vec<gaoxin_core::auth::RoleKind>)> = Vec::new();
    for row in rows {
        let id: i64 = row.try_get(0)?;
        let Some(role) = gaoxin_core::auth::RoleKind::parse(&row.try_get::<String, _>(2)?) else {
            continue;
        };
        match accounts.last_mut() {
            Some(a) if a.0 == id => a.2.push(role),
            _ => accounts.push((id, row.try_get(1)?, vec![role])),
        }
    }
    Ok(accounts)
}
