//! 调度通报's publications: `bulletin_issues` holds each published month's bulletin as it stood
//! (JSON of `gaoxin_core::bulletin::Bulletin`, with its 期号), append-only; publishing numbers it
//! within the year, stores it, tells every business account and audits it in one transaction.

use crate::audit::Change;
use crate::inbox::{Message, post};
use crate::{Act, Store, StoreError};
use gaoxin_core::auth::{Capability, allows};
use gaoxin_core::bulletin::{Bulletin, Issued, may_publish};
use gaoxin_core::monitor::YearMonth;
use sqlx::Row;
use std::collections::BTreeSet;

/// A published bulletin's place in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEntry {
    pub period: YearMonth,
    pub year: i32,
    pub number: u32,
    pub at: i64,
}

/// Why a bulletin was not published.
#[derive(Debug)]
pub enum PublishError {
    /// Only the dispatch office publishes.
    NotPermitted,
    /// That month's bulletin is already out (its number).
    AlreadyPublished(u32),
    Store(StoreError),
}

impl From<StoreError> for PublishError {
    fn from(e: StoreError) -> Self {
        PublishError::Store(e)
    }
}

impl From<sqlx::Error> for PublishError {
    fn from(e: sqlx::Error) -> Self {
        PublishError::Store(e.into())
    }
}

fn decode_error(why: String) -> StoreError {
    StoreError::from(sqlx::Error::Decode(why.into()))
}

impl Store {
    /// Publishes `draft`, month `period`'s bulletin as just built: numbers it (the next of the
    /// year), freezes it, posts a notice to every business account and seals the event.
    pub async fn publish_bulletin(
        &self,
        act: &Act<'_>,
        period: YearMonth,
        draft: &Bulletin,
    ) -> Result<Bulletin, PublishError> {
        let Act { plan, account, now } = *act;
        if !may_publish(account.who()) {
            return Err(PublishError::NotPermitted);
        }
        let mut tx = self.begin_write().await?;
        if let Some(row) = sqlx::query("SELECT number FROM bulletin_issues WHERE period = $1")
            .bind(period.to_string())
            .fetch_optional(&mut *tx)
            .await?
        {
            let n: i64 = row.try_get(0)?;
            return Err(PublishError::AlreadyPublished(
                u32::try_from(n).unwrap_or_default(),
            ));
        }
        let year = now.year();
        let last: i64 = sqlx::query(
            "SELECT COALESCE(MAX(number), 0) AS n FROM bulletin_issues WHERE year = $1",
        )
        .bind(year)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let mut b = draft.clone();
        let issued = Issued::new(plan, u32::try_from(last + 1).unwrap_or(u32::MAX), now);
        b.issued = Some(issued.clone());
        let content =
            serde_json::to_string(&b).map_err(|e| decode_error(format!("bulletin: {e}")))?;
        sqlx::query(
            "INSERT INTO bulletin_issues (period, year, number, content, account, at, sample) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(period.to_string())
        .bind(year)
        .bind(i64::from(issued.number))
        .bind(&content)
        .bind(&account.username)
        .bind(now.0)
        .bind(i64::from(b.sample))
        .execute(&mut *tx)
        .await?;
        let ids: BTreeSet<i64> = crate::accounts::active_accounts(&mut tx)
            .await?
            .into_iter()
            .filter(|(_, _, roles)| allows(roles, Capability::ReadBusiness))
            .map(|(id, _, _)| id)
            .collect();
        let body =
            crate::messages::notices::bulletin_published(&issued.line(), &b.issue, &issued.office);
        post(
            &mut tx,
            &ids,
            &Message {
                notice: "bulletin_published",
                title: &format!("{}{}", b.heading, issued.line()),
                body: &body,
                link: &format!("/bulletin?period={period}"),
            },
            now,
        )
        .await?;
        let change = Change::new("bulletin.publish", format!("bulletin:{period}")).after(
            serde_json::json!({
                "year": year,
                "number": issued.number,
                "sha256": crate::ledger::content_hash(content.as_bytes()),
            }),
        );
        self.seal(&mut tx, Some(account), change, now).await?;
        tx.commit().await?;
        Ok(b)
    }

    /// Month `period`'s published bulletin, as it was published.
    pub async fn bulletin_issue(&self, period: YearMonth) -> Result<Option<Bulletin>, StoreError> {
        let Some(row) = sqlx::query("SELECT content FROM bulletin_issues WHERE period = $1")
            .bind(period.to_string())
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let content: String = row.try_get(0)?;
        serde_json::from_str(&content)
            .map(Some)
            .map_err(|e| decode_error(format!("bulletin {period}: {e}")))
    }

    /// Every published bulletin, the latest first.
    pub async fn bulletin_issues(&self) -> Result<Vec<IssueEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT period, year, number, at FROM bulletin_issues ORDER BY at DESC, id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let period: String = r.try_get(0)?;
                Ok(IssueEntry {
                    period: YearMonth::parse(&period)
                        .ok_or_else(|| decode_error(format!("period {period}")))?,
                    year: i32::try_from(r.try_get::<i64, _>(1)?).unwrap_or_default(),
                    number: u32::try_from(r.try_get::<i64, _>(2)?).unwrap_or_default(),
                    at: r.try_get(3)?,
                })
            })
            .collect()
    }
}
