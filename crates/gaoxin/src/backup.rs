//! `gaoxin backup DEST` and `gaoxin restore SRC`: the whole database as a consistent online copy
//! (a SQLite file, from either backend), with the audit key, an anchor of the copy's audit
//! chain and a manifest; and putting it back, into SQLite or PostgreSQL, checked after.

use crate::data::{DataArgs, database_url};
use anyhow::{Context, Result, bail};
use gaoxin_core::text::Message;
use gaoxin_store::backup::BackupContents;
use gaoxin_store::{Actor, AuditKey, AuditRecord, DatabaseUrl, Store};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::ExitCode;

/// The manifest beside a backup's files.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: String,
    made_at: String,
    gaoxin: String,
    /// The database it was taken from (password hidden).
    source: String,
    contents: BackupContents,
    /// SHA-256 of `gaoxin.db`.
    database_sha256: String,
}

const FORMAT: &str = "gaoxin-backup/1";

fn sha256_of(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path)
        .with_context(|| format!("无法读取 / cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut f, &mut hasher)?;
    Ok(gaoxin_core::audit::to_hex(&hasher.finalize()))
}

fn tables_line(c: &BackupContents) -> String {
    let rows: i64 = c.tables.values().sum();
    format!(
        "{} 张表 {} 行，审计事件至 #{} / {} tables, {} rows, audit events to #{}",
        c.tables.len(),
        rows,
        c.audit_head,
        c.tables.len(),
        rows,
        c.audit_head
    )
}

/// `gaoxin backup DEST`.
pub async fn backup(dest: &Path, data: &DataArgs) -> Result<ExitCode> {
    if dest.exists() && std::fs::read_dir(dest)?.next().is_some() {
        bail!(
            "{} 不是空目录：备份写入一个新目录 / {} is not empty: a backup goes into a new folder",
            dest.display(),
            dest.display()
        );
    }
    data.refuse_missing()?;
    let url = database_url(data.database.as_deref())?;
    let store = Store::open(&url).await?;
    // A backup never makes a key: without the one its chain is sealed with it is worthless.
    let key = AuditKey::read(&data.key())?;
    std::fs::create_dir_all(dest)?;
    let file = dest.join("gaoxin.db");
    let taken = store.backup_to(&file).await;
    store.close().await;
    let contents = taken?;
    // The copy's own chain, checked, and anchored beside it.
    let copy = Store::open(&DatabaseUrl::parse(&format!(
        "sqlite://{}",
        file.display()
    ))?)
    .await?;
    let checked = copy.verify_audit(&key).await;
    let anchored = copy
        .anchor_audit(&key, &dest.join("audit.anchor"), gaoxin_store::now())
        .await;
    copy.close().await;
    if let Err(broken) = checked? {
        bail!(
            "备份中的审计链不完整：{} / the backup's audit chain is broken: {}",
            broken.text().zh,
            broken.text().en
        );
    }
    anchored?;
    key.save(&dest.join("audit.key"))?;
    let manifest = Manifest {
        format: FORMAT.into(),
        made_at: gaoxin_store::now().to_iso8601(),
        gaoxin: env!("CARGO_PKG_VERSION").into(),
        source: url.redacted(),
        contents: contents.clone(),
        database_sha256: sha256_of(&file)?,
    };
    std::fs::write(
        dest.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    println!(
        "已备份到 {}：{} / backed up to {}",
        dest.display(),
        tables_line(&contents),
        dest.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `gaoxin restore SRC`.
pub async fn restore(src: &Path, data: &DataArgs, force: bool) -> Result<ExitCode> {
    let manifest: Manifest = serde_json::from_str(
        &std::fs::read_to_string(src.join("manifest.json")).with_context(|| {
            format!(
                "{} 中没有 manifest.json / no manifest.json in {}",
                src.display(),
                src.display()
            )
        })?,
    )?;
    if manifest.format != FORMAT {
        bail!(
            "不认识的备份格式 {} / unknown backup format {}",
            manifest.format,
            manifest.format
        );
    }
    let file = src.join("gaoxin.db");
    if sha256_of(&file)? != manifest.database_sha256 {
        bail!(
            "{} 与清单记录的 SHA-256 不符：备份已损坏或被改动 / {} does not match the manifest's \
             SHA-256: the backup is damaged or was altered",
            file.display(),
            file.display()
        );
    }
    let key = AuditKey::read(&src.join("audit.key"))?;
    let key_path = data.key();
    if key_path.exists() && !AuditKey::read(&key_path)?.same_as(&key) && !force {
        bail!(
            "{} 是另一个审计密钥：恢复会替换它，确认请加 --force / {} holds another audit key: \
             restoring replaces it; add --force to confirm",
            key_path.display(),
            key_path.display()
        );
    }
    let target = database_url(data.database.as_deref())?;
    let restored = gaoxin_store::backup::restore(&file, &target, force).await?;
    key.save(&key_path)?;
    let store = Store::open(&target).await?;
    let checked = async {
        if let Err(broken) = store.verify_audit(&key).await? {
            bail!(
                "恢复后的审计链不完整：{} / the restored audit chain is broken: {}",
                broken.text().zh,
                broken.text().en
            );
        }
        if restored.tables != manifest.contents.tables
            || restored.audit_head != manifest.contents.audit_head
        {
            bail!(
                "恢复后的数据与备份清单不符 / what was restored differs from the backup's manifest: \
                 {restored:?} ≠ {:?}",
                manifest.contents
            );
        }
        // The restore itself goes into the chain, and the anchor moves to the restored head:
        // the old anchor, newer than the backup, would call the restored log cut.
        let actor = Actor::console();
        let rec = AuditRecord::new(&actor, "backup.restore", format!("backup:{}", src.display()), "success")
            .change(
                None,
                Some(
                    serde_json::json!({
                        "made_at": manifest.made_at,
                        "source": manifest.source,
                        "audit_head": manifest.contents.audit_head,
                    })
                    .to_string(),
                ),
            );
        store.audit(&key, &rec, gaoxin_store::now()).await?;
        store.anchor_audit(&key, &data.anchor(), gaoxin_store::now()).await?;
        Ok(())
    }
    .await;
    store.close().await;
    checked?;
    println!(
        "已从 {} 恢复到 {}（备份于 {}）：{}；审计链完整 / restored {} into {} (backed up at {}); the \
         audit chain is intact",
        src.display(),
        target.redacted(),
        manifest.made_at,
        tables_line(&restored),
        src.display(),
        target.redacted(),
        manifest.made_at
    );
    Ok(ExitCode::SUCCESS)
}
