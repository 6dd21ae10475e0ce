//! 对标分析 — evaluation framework versions, peer zones, their values per data year with the
//! source of each, and published results per result year.

use crate::audit::Change;
use crate::{Account, Store, StoreError};
use gaoxin_core::benchmarking::Framework;
use gaoxin_core::plan::Plan;
use gaoxin_core::time::Timestamp;
use sqlx::Row;

/// A stored version of a framework file.
#[derive(Debug, Clone)]
pub struct FrameworkVersion {
    pub id: i64,
    pub framework: String,
    pub version_no: i64,
    pub content_sha256: String,
    pub source_name: String,
    pub loaded_by: String,
    pub loaded_at: Timestamp,
}

/// The newest version of a framework, parsed.
#[derive(Debug, Clone)]
pub struct StoredFramework {
    pub version: FrameworkVersion,
    pub framework: Framework,
}

/// A zone benchmarked against: a national zone, or one of a province's class.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PeerZone {
    pub id: i64,
    pub peer_set: String,
    pub name: String,
    /// The plan's zone id when the peer is one of the plan's zones.
    pub zone: Option<String>,
    pub sample: bool,
}

/// One value of one zone, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerValue {
    pub peer_zone: i64,
    pub indicator: String,
    pub data_year: i32,
    pub value: f64,
    pub source: String,
    pub sample: bool,
    pub entered_by: String,
    pub entered_at: Timestamp,
}

/// A published rank: overall (`dimension` empty) or for one dimension.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OfficialRank {
    pub peer_zone: i64,
    pub result_year: i32,
    pub dimension: String,
    pub rank: u32,
    pub source: String,
    pub sample: bool,
}

/// A generated peer set's values, for `serve --demo`.
#[derive(Debug, Clone)]
pub struct SamplePeers {
    pub peer_set: String,
    /// (name, the plan's zone it stands for).
    pub zones: Vec<(String, Option<String>)>,
    /// (framework, data year, zone index, indicator, value).
    pub values: Vec<(String, i32, usize, String, f64)>,
    /// (framework, result year, zone index, overall rank): a sample "published" result.
    pub ranks: Vec<(String, i32, usize, u32)>,
    pub source: String,
}

const VERSION_COLUMNS: &str =
    "id, framework, version_no, content_sha256, source_name, loaded_by, loaded_at";

fn version_of(row: &sqlx::any::AnyRow) -> Result<FrameworkVersion, sqlx::Error> {
    Ok(FrameworkVersion {
        id: row.try_get("id")?,
        framework: row.try_get("framework")?,
        version_no: row.try_get("version_no")?,
        content_sha256: row.try_get("content_sha256")?,
        source_name: row.try_get("source_name")?,
        loaded_by: row.try_get("loaded_by")?,
        loaded_at: Timestamp(row.try_get("loaded_at")?),
    })
}

/// Rows per multi-row insert (8 parameters each: well under both backends' limits).
const BATCH: usize = 200;

impl Store {
    /// Loads a framework file as the next version of its framework; the same bytes again change
    /// nothing (`Ok(None)`). Invalid files are refused with every error placed.
    pub async fn load_framework(
        &self,
        source_name: &str,
        source: &str,
        by: Option<&Account>,
        now: Timestamp,
    ) -> Result<Option<FrameworkVersion>, StoreError> {
        let framework =
            Framework::parse(source_name, source).map_err(StoreError::InvalidFramework)?;
        let digest = Plan::digest(source);
        let mut tx = self.begin_write().await?;
        let same = sqlx::query(
            "SELECT id FROM evaluation_frameworks WHERE framework = $1 AND content_sha256 = $2",
        )
        .bind(&framework.id)
        .bind(&digest)
        .fetch_optional(&mut *tx)
        .await?;
        if same.is_some() {
            tx.rollback().await?;
            return Ok(None);
        }
        let next: i64 = sqlx::query(
            "SELECT COALESCE(MAX(version_no), 0) + 1 AS n FROM evaluation_frameworks WHERE framework = $1",
        )
        .bind(&framework.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        let loaded_by = self.actor_for(by).account;
        let row = sqlx::query(&format!(
            "INSERT INTO evaluation_frameworks (framework, version_no, name, content_sha256, \
             source_name, source, loaded_by, loaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING {VERSION_COLUMNS}"
        ))
        .bind(&framework.id)
        .bind(next)
        .bind(&framework.name)
        .bind(&digest)
        .bind(source_name)
        .bind(source)
        .bind(&loaded_by)
        .bind(now.0)
        .fetch_one(&mut *tx)
        .await?;
        let version = version_of(&row)?;
        let change = Change::new("evaluation.load", format!("evaluation:{}", framework.id))
            .after(serde_json::json!({"version": next, "sha256": digest, "file": source_name}));
        self.seal(&mut tx, by, change, now).await?;
        tx.commit().await?;
        Ok(Some(version))
    }

    /// The newest version of every framework, parsed, in id order.
    pub async fn frameworks(&self) -> Result<Vec<StoredFramework>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS}, source FROM evaluation_frameworks f \
             WHERE version_no = (SELECT MAX(version_no) FROM evaluation_frameworks g \
                                 WHERE g.framework = f.framework) \
             ORDER BY framework"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let version = version_of(row)?;
                let source: String = row.try_get("source")?;
                let framework = Framework::parse(&version.source_name, &source).map_err(|e| {
                    StoreError::CorruptFramework {
                        version: version.id,
                        errors: e,
                    }
                })?;
                Ok(StoredFramework { version, framework })
            })
            .collect()
    }

    /// Every version of every framework, newest first.
    pub async fn framework_versions(&self) -> Result<Vec<FrameworkVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM evaluation_frameworks ORDER BY framework, version_no DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(version_of).collect::<Result<_, _>>()?)
    }

    /// The zones of a peer set, by name.
    pub async fn peer_zones(&self, peer_set: &str) -> Result<Vec<PeerZone>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, peer_set, name, zone, sample FROM peer_zones WHERE peer_set = $1 ORDER BY name",
        )
        .bind(peer_set)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PeerZone {
                    id: r.try_get("id")?,
                    peer_set: r.try_get("peer_set")?,
                    name: r.try_get("name")?,
                    zone: r.try_get("zone")?,
                    sample: r.try_get::<i64, _>("sample")? != 0,
                })
            })
            .collect()
    }

    /// Every value of a peer set for a framework and data year.
    pub async fn peer_values(
        &self,
        peer_set: &str,
        framework: &str,
        data_year: i32,
    ) -> Result<Vec<PeerValue>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.peer_zone, v.indicator, v.data_year, v.value, v.source, v.sample, \
             v.entered_by, v.entered_at FROM peer_values v JOIN peer_zones z ON z.id = v.peer_zone \
             WHERE z.peer_set = $1 AND v.framework = $2 AND v.data_year = $3",
        )
        .bind(peer_set)
        .bind(framework)
        .bind(i64::from(data_year))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PeerValue {
                    peer_zone: r.try_get("peer_zone")?,
                    indicator: r.try_get("indicator")?,
                    data_year: i32::try_from(r.try_get::<i64, _>("data_year")?).unwrap_or(0),
                    value: r.try_get("value")?,
                    source: r.try_get("source")?,
                    sample: r.try_get::<i64, _>("sample")? != 0,
                    entered_by: r.try_get("entered_by")?,
                    entered_at: Timestamp(r.try_get("entered_at")?),
                })
            })
            .collect()
    }

    /// The data years a peer set has values for under a framework, newest first.
    pub async fn peer_years(
        &self,
        peer_set: &str,
        framework: &str,
    ) -> Result<Vec<i32>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT v.data_year FROM peer_values v JOIN peer_zones z ON z.id = v.peer_zone \
             WHERE z.peer_set = $1 AND v.framework = $2 ORDER BY v.data_year DESC",
        )
        .bind(peer_set)
        .bind(framework)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| r.try_get::<i64, _>(0).ok())
            .filter_map(|y| i32::try_from(y).ok())
            .collect())
    }

    /// Published ranks of a peer set under a framework for a result year.
    pub async fn official_ranks(
        &self,
        peer_set: &str,
        framework: &str,
        result_year: i32,
    ) -> Result<Vec<OfficialRank>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.peer_zone, r.result_year, r.dimension, r.rank, r.source, r.sample \
             FROM official_results r JOIN peer_zones z ON z.id = r.peer_zone \
             WHERE z.peer_set = $1 AND r.framework = $2 AND r.result_year = $3",
        )
        .bind(peer_set)
        .bind(framework)
        .bind(i64::from(result_year))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OfficialRank {
                    peer_zone: r.try_get("peer_zone")?,
                    result_year: i32::try_from(r.try_get::<i64, _>("result_year")?).unwrap_or(0),
                    dimension: r.try_get("dimension")?,
                    rank: u32::try_from(r.try_get::<i64, _>("rank")?).unwrap_or(u32::MAX),
                    source: r.try_get("source")?,
                    sample: r.try_get::<i64, _>("sample")? != 0,
                })
            })
            .collect()
    }

    /// Whether any peer set has been generated (示例数据).
    pub async fn has_sample_peers(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM peer_zones WHERE sample = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>(0)? > 0)
    }

    /// Writes a generated peer set, marked 示例数据, unless the set already has zones.
    pub async fn load_sample_peers(
        &self,
        sample: &SamplePeers,
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let existing: i64 = sqlx::query("SELECT COUNT(*) FROM peer_zones WHERE peer_set = $1")
            .bind(&sample.peer_set)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if existing > 0 {
            return Ok(0);
        }
        let mut ids = Vec::with_capacity(sample.zones.len());
        for (name, zone) in &sample.zones {
            let id: i64 = sqlx::query(
                "INSERT INTO peer_zones (peer_set, name, zone, sample) VALUES ($1, $2, $3, 1) RETURNING id",
            )
            .bind(&sample.peer_set)
            .bind(name)
            .bind(zone.as_deref())
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            ids.push(id);
        }
        let by = crate::messages::SAMPLE_DISPATCHER;
        let values: Vec<ValueRow<'_>> = sample
            .values
            .iter()
            .map(|(framework, year, zone, indicator, value)| ValueRow {
                peer_zone: ids.get(*zone).copied().unwrap_or(0),
                framework,
                indicator,
                data_year: *year,
                value: *value,
                source: &sample.source,
            })
            .collect();
        insert_values(&mut tx, &values, true, by, now).await?;
        for (framework, year, zone, rank) in &sample.ranks {
            let zone = ids.get(*zone).copied().unwrap_or(0);
            let rank = (
                zone,
                framework.as_str(),
                *year,
                *rank,
                sample.source.as_str(),
            );
            insert_rank(&mut tx, rank, "", true, by, now).await?;
        }
        tx.commit().await?;
        Ok(sample.values.len())
    }
}

/// One value to insert.
struct ValueRow<'a> {
    peer_zone: i64,
    framework: &'a str,
    indicator: &'a str,
    data_year: i32,
    value: f64,
    source: &'a str,
}

/// Inserts values in multi-row statements of [`BATCH`] rows.
async fn insert_values(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    values: &[ValueRow<'_>],
    sample: bool,
    by: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    for chunk in values.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO peer_values (peer_zone, framework, indicator, data_year, value, source, \
             sample, entered_by, entered_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let p = i * 9;
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(
                &(1..=9)
                    .map(|k| format!("${}", p + k))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q
                .bind(v.peer_zone)
                .bind(v.framework)
                .bind(v.indicator)
                .bind(i64::from(v.data_year))
                .bind(v.value)
                .bind(v.source)
                .bind(i64::from(sample))
                .bind(by)
                .bind(now.0);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Inserts (or replaces) a zone's published rank — overall (`dimension` empty) or of a
/// dimension: (zone, framework, result year, rank, source).
async fn insert_rank(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    (peer_zone, framework, result_year, rank, source): (i64, &str, i32, u32, &str),
    dimension: &str,
    sample: bool,
    by: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM official_results WHERE peer_zone = $1 AND framework = $2 AND result_year = $3 \
         AND dimension = $4",
    )
    .bind(peer_zone)
    .bind(framework)
    .bind(i64::from(result_year))
    .bind(dimension)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO official_results (peer_zone, framework, result_year, dimension, rank, \
         source, sample, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(peer_zone)
    .bind(framework)
    .bind(i64::from(result_year))
    .bind(dimension)
    .bind(i64::from(rank))
    .bind(source)
    .bind(i64::from(sample))
    .bind(by)
    .bind(now.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A peer workbook to write: each row replaces its zone's values of the framework and data
/// year, and its published rank of the next year's evaluation.
#[derive(Debug)]
pub struct PeerImport<'a> {
    pub framework: &'a str,
    pub peer_set: &'a str,
    pub data_year: i32,
    /// The plan's zones in this peer set: (name, id) — a row with that name is the plan's zone.
    pub plan_zones: &'a [(String, String)],
    pub rows: &'a [gaoxin_core::benchmarking::sheet::PeerRow],
    /// The file's name and SHA-256, for the audit record.
    pub file: (&'a str, &'a str),
}

/// What a peer import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerImported {
    /// Zones in the file.
    pub zones: usize,
    pub zones_added: usize,
    pub values: usize,
    pub ranks: usize,
}

impl Store {
    /// Writes a peer workbook, all or nothing, audited as one change. A peer set holding sample
    /// zones (示例数据) is refused: sample and real data are never mixed.
    pub async fn import_peers(
        &self,
        import: &PeerImport<'_>,
        by: Option<&Account>,
        now: Timestamp,
    ) -> Result<PeerImported, StoreError> {
        let mut tx = self.begin_write().await?;
        let samples: i64 =
            sqlx::query("SELECT COUNT(*) FROM peer_zones WHERE peer_set = $1 AND sample = 1")
                .bind(import.peer_set)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
        if samples > 0 {
            return Err(StoreError::SamplePeerSet {
                peer_set: import.peer_set.to_string(),
            });
        }
        let entered_by = self.actor_for(by).account;
        let result_year = gaoxin_core::benchmarking::result_year(import.data_year);
        let mut done = PeerImported {
            zones: import.rows.len(),
            zones_added: 0,
            values: 0,
            ranks: 0,
        };
        let mut values = Vec::new();
        for row in import.rows {
            let found = sqlx::query("SELECT id FROM peer_zones WHERE peer_set = $1 AND name = $2")
                .bind(import.peer_set)
                .bind(&row.zone)
                .fetch_optional(&mut *tx)
                .await?;
            let id: i64 = match found {
                Some(r) => r.try_get(0)?,
                None => {
                    let zone = import
                        .plan_zones
                        .iter()
                        .find(|(name, _)| *name == row.zone)
                        .map(|(_, id)| id.as_str());
                    done.zones_added += 1;
                    sqlx::query(
                        "INSERT INTO peer_zones (peer_set, name, zone, sample) VALUES ($1, $2, $3, 0) \
                         RETURNING id",
                    )
                    .bind(import.peer_set)
                    .bind(&row.zone)
                    .bind(zone)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?
                }
            };
            sqlx::query(
                "DELETE FROM peer_values WHERE peer_zone = $1 AND framework = $2 AND data_year = $3",
            )
            .bind(id)
            .bind(import.framework)
            .bind(i64::from(import.data_year))
            .execute(&mut *tx)
            .await?;
            for (indicator, value) in &row.values {
                values.push(ValueRow {
                    peer_zone: id,
                    framework: import.framework,
                    indicator,
                    data_year: import.data_year,
                    value: *value,
                    source: &row.source,
                });
            }
            if let Some(rank) = row.rank {
                let rank = (id, import.framework, result_year, rank, row.source.as_str());
                insert_rank(&mut tx, rank, "", false, &entered_by, now).await?;
                done.ranks += 1;
            }
            for (dimension, rank) in &row.dimension_ranks {
                let rank = (
                    id,
                    import.framework,
                    result_year,
                    *rank,
                    row.source.as_str(),
                );
                insert_rank(&mut tx, rank, dimension, false, &entered_by, now).await?;
            }
        }
        insert_values(&mut tx, &values, false, &entered_by, now).await?;
        done.values = values.len();
        let change = Change::new(
            "benchmark.import",
            format!("evaluation:{}", import.framework),
        )
        .after(serde_json::json!({
            "peer_set": import.peer_set, "data_year": import.data_year,
            "zones": import.rows.len(), "zones_added": done.zones_added,
            "values": done.values, "ranks": done.ranks,
            "file": import.file.0, "sha256": import.file.1,
        }));
        self.seal(&mut tx, by, change, now).await?;
        tx.commit().await?;
        Ok(done)
    }
}
