//! 上传暂存 — one upload → dry run → confirm flow for every Excel upload: what a dry run
//! accepted waits here, on the server, bound to the account that uploaded it, for an hour; the
//! confirmation names it by a token and takes it once. Nothing of the upload travels back
//! through the browser. `kind` says what it is for: `figures`, or `ledger:<id>`.

use crate::{Account, ImportFile, Store, StoreError};
use gaoxin_core::time::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;

/// How long a dry run waits for its confirmation.
pub const UPLOAD_KEPT_SECS: i64 = 3600;

fn decode_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::from(sqlx::Error::Decode(
        format!("malformed upload rows: {e}").into(),
    ))
}

impl Store {
    /// Keeps the rows of a checked upload until its confirmation; returns the token that names
    /// it. Uploads left unconfirmed for an hour are dropped.
    pub async fn stash_upload<T: Serialize>(
        &self,
        account: &Account,
        kind: &str,
        file: &ImportFile<'_>,
        rows: &T,
        now: Timestamp,
    ) -> Result<String, StoreError> {
        let token = crate::random::token().map_err(|e| StoreError::Random(e.to_string()))?;
        let rows = serde_json::to_string(rows).map_err(decode_error)?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM uploads WHERE created_at < $1")
            .bind(now.0 - UPLOAD_KEPT_SECS)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO uploads (token, account_id, kind, file_name, file_hash, rows, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&token)
        .bind(account.id)
        .bind(kind)
        .bind(file.name)
        .bind(file.hash)
        .bind(rows)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Takes back, once, a stashed upload of `account` for `kind`: `(file name, hash, rows)`;
    /// `None` when there is none (another account's, another kind's, expired, or taken).
    pub async fn take_upload<T: DeserializeOwned>(
        &self,
        account: &Account,
        kind: &str,
        token: &str,
        now: Timestamp,
    ) -> Result<Option<(String, String, T)>, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT file_name, file_hash, rows FROM uploads \
             WHERE token = $1 AND account_id = $2 AND kind = $3 AND created_at >= $4",
        )
        .bind(token)
        .bind(account.id)
        .bind(kind)
        .bind(now.0 - UPLOAD_KEPT_SECS)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM uploads WHERE token = $1 AND account_id = $2 AND kind = $3")
            .bind(token)
            .bind(account.id)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let Some(row) = row else { return Ok(None) };
        let rows: String = row.try_get(2)?;
        let rows: T = serde_json::from_str(&rows).map_err(decode_error)?;
        Ok(Some((row.try_get(0)?, row.try_get(1)?, rows)))
    }
}
