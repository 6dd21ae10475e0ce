//! 收件箱 — each account's messages inside gaoxin (a 督办 notice, a reminder to report), written
//! in the transaction of the change they announce, and queued in the same transaction for the
//! outbox ([`crate::outbox`]) when the account or its unit has a channel beyond the app.

use crate::Store;
use crate::error::StoreError;
pub(crate) use crate::outbox::Message;
use gaoxin_core::time::Timestamp;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeSet;

/// A message in an account's inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxMessage {
    pub id: i64,
    pub at: i64,
    pub notice: String,
    /// The order's number and title.
    pub title: String,
    pub body: String,
    pub link: String,
    pub read_at: Option<i64>,
}

/// Puts `m` in each account's inbox, and queues it for the accounts' e-mail addresses and their
/// units' group webhooks (one webhook message per unit).
pub(crate) async fn post(
    tx: &mut Transaction<'static, Any>,
    ids: &BTreeSet<i64>,
    m: &Message<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    for id in ids {
        sqlx::query(
            "INSERT INTO inbox_messages (account_id, at, notice, title, body, link) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(now.0)
        .bind(m.notice)
        .bind(m.title)
        .bind(m.body)
        .bind(m.link)
        .execute(&mut **tx)
        .await?;
    }
    crate::outbox::enqueue(tx, ids, m, now).await
}

impl Store {
    /// The newest `limit` messages of an account.
    pub async fn inbox(
        &self,
        account_id: i64,
        limit: i64,
    ) -> Result<Vec<InboxMessage>, StoreError> {
        self.inbox_page(account_id, None, limit).await
    }

    /// The newest `limit` messages of an account older than message `before` (all: `None`),
    /// through the index by account and id.
    pub async fn inbox_page(
        &self,
        account_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<InboxMessage>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, notice, title, body, link, read_at FROM inbox_messages \
             WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(account_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(InboxMessage {
                    id: row.try_get(0)?,
                    at: row.try_get(1)?,
                    notice: row.try_get(2)?,
                    title: row.try_get(3)?,
                    body: row.try_get(4)?,
                    link: row.try_get(5)?,
                    read_at: row.try_get(6)?,
                })
            })
            .collect()
    }

    pub async fn inbox_unread(&self, account_id: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) FROM inbox_messages WHERE account_id = $1 AND read_at IS NULL",
        )
        .bind(account_id)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?)
    }

    /// Marks one message (or, with `None`, all) of the account as read.
    pub async fn inbox_mark_read(
        &self,
        account_id: i64,
        message: Option<i64>,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let q = match message {
            Some(id) => sqlx::query(
                "UPDATE inbox_messages SET read_at = $1 \
                 WHERE account_id = $2 AND read_at IS NULL AND id = $3",
            )
            .bind(now.0)
            .bind(account_id)
            .bind(id),
            None => sqlx::query(
                "UPDATE inbox_messages SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL",
            )
            .bind(now.0)
            .bind(account_id),
        };
        Ok(q.execute(&self.pool).await?.rows_affected())
    }
}
