//! 上传暂存 — one upload → dry run → confirm flow for every Excel upload: what a dry run
//! accepted waits here, on the server, bound to the account that uploaded it, for an hour; the
//! confirmation names it by a token and takes it once. Nothing of the upload travels back
//! through the browser. `kind` says what it is for: `figures`, or `ledger:<id>`.
//!
//! On SQLite (one server process) a dry run waits in the process's memory, so checking a file
//! never needs the single write lock — a clerk can check a file while a long import writes;
//! the memory is bounded ([`STASH_MAX_BYTES`], [`STASH_MAX_ENTRIES`], oldest dropped first).
//! On PostgreSQL, where several servers may share the database, it waits in `uploads`.

use crate::{Account, Backend, ImportFile, Store, StoreError};
use gaoxin_core::time::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// How long a dry run waits for its confirmation.
pub const UPLOAD_KEPT_SECS: i64 = 3600;

/// At most this many bytes of dry runs wait in memory (SQLite), the oldest dropped first.
pub const STASH_MAX_BYTES: usize = 256 * 1024 * 1024;
/// At most this many dry runs wait in memory (SQLite).
pub const STASH_MAX_ENTRIES: usize = 64;

#[derive(Debug)]
struct Waiting {
    token: String,
    account_id: i64,
    kind: String,
    file_name: String,
    file_hash: String,
    rows: String,
    created_at: i64,
}

/// The dry runs waiting in this process (SQLite).
#[derive(Debug, Clone, Default)]
pub(crate) struct Stash(Arc<Mutex<VecDeque<Waiting>>>);

impl Stash {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Waiting>> {
        // A panic while holding this lock loses at most some waiting dry runs.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn put(&self, w: Waiting, now: i64) {
        let mut q = self.lock();
        q.retain(|x| x.created_at >= now - UPLOAD_KEPT_SECS);
        let mut size: usize = q.iter().map(|x| x.rows.len()).sum();
        while !q.is_empty()
            && (q.len() >= STASH_MAX_ENTRIES || size + w.rows.len() > STASH_MAX_BYTES)
        {
            if let Some(dropped) = q.pop_front() {
                size -= dropped.rows.len();
            }
        }
        q.push_back(w);
    }

    fn take(&self, account_id: i64, kind: &str, token: &str, now: i64) -> Option<Waiting> {
        let mut q = self.lock();
        let at = q
            .iter()
            .position(|x| x.token == token && x.account_id == account_id && x.kind == kind)?;
        q.remove(at)
            .filter(|w| w.created_at >= now - UPLOAD_KEPT_SECS)
    }
}

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
        if self.backend == Backend::Sqlite {
            self.uploads.put(
                Waiting {
                    token: token.clone(),
                    account_id: account.id,
                    kind: kind.to_string(),
                    file_name: file.name.to_string(),
                    file_hash: file.hash.to_string(),
                    rows,
                    created_at: now.0,
                },
                now.0,
            );
            return Ok(token);
        }
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
        if self.backend == Backend::Sqlite {
            let Some(w) = self.uploads.take(account.id, kind, token, now.0) else {
                return Ok(None);
            };
            let rows: T = serde_json::from_str(&w.rows).map_err(decode_error)?;
            return Ok(Some((w.file_name, w.file_hash, rows)));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(token: &str, bytes: usize, at: i64) -> Waiting {
        Waiting {
            token: token.into(),
            account_id: 1,
            kind: "figures".into(),
            file_name: String::new(),
            file_hash: String::new(),
            rows: "x".repeat(bytes),
            created_at: at,
        }
    }

    #[test]
    fn the_memory_stash_is_bounded_and_taken_once() {
        let s = Stash::default();
        for i in 0..STASH_MAX_ENTRIES + 5 {
            s.put(waiting(&format!("t{i}"), 10, 100), 100);
        }
        assert_eq!(s.lock().len(), STASH_MAX_ENTRIES);
        assert!(
            s.take(1, "figures", "t0", 100).is_none(),
            "the oldest went first"
        );
        assert!(
            s.take(2, "figures", "t9", 100).is_none(),
            "another account's"
        );
        assert!(
            s.take(1, "ledger:land", "t9", 100).is_none(),
            "another kind's"
        );
        assert!(s.take(1, "figures", "t9", 100).is_some());
        assert!(s.take(1, "figures", "t9", 100).is_none(), "taken once");
        assert!(
            s.take(1, "figures", "t10", 100 + UPLOAD_KEPT_SECS + 1)
                .is_none(),
            "expired"
        );
        // One upload as large as the bound pushes out everything else.
        s.put(waiting("big", STASH_MAX_BYTES, 100), 100);
        assert_eq!(s.lock().len(), 1);
    }
}
