//! 台账 — importing a ledger workbook, from a page or the console: the workbook read within its
//! limits, every row checked (`ledger::sheet`), the store's checks (rights per row, references,
//! the same file twice) and, unless a dry run, the write; a page's dry run kept for its
//! confirmation, and the confirmation.

use crate::{Acting, Error, Refusal};
use gaoxin_core::ledger::sheet::{Parsed, ParsedRow, parse_with_progress};
use gaoxin_core::ledger::{self, Ledger};
use gaoxin_excel::{ExcelError, Limits};
use gaoxin_store::{ImportFile, LedgerImport, PriorImport, content_hash};
use std::time::Instant;

/// A workbook as uploaded or read from disk.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// How long each part of an import took (the console and the benchmark show them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    pub reading: std::time::Duration,
    pub checking: std::time::Duration,
    pub writing: std::time::Duration,
}

/// What an import came to.
#[derive(Debug)]
pub enum Import {
    /// The workbook as a whole is refused (size, macros, damage …); nothing was read.
    Refused(ExcelError),
    /// Rows are wrong (`parsed.errors`), or there is no record besides the header and the
    /// example row (`parsed.rows` empty); nothing written.
    Invalid(Parsed),
    /// This very file was imported before; nothing written.
    Already(PriorImport),
    /// Checked against the database (`report.errors` says what it refused, and then nothing
    /// was written); written unless it was a dry run.
    Checked {
        parsed: Parsed,
        report: LedgerImport,
        phases: Phases,
        /// The file's SHA-256, which recognises it again ([`keep`] stores it with the rows).
        hash: String,
    },
}

/// Reads, checks and (unless `dry_run`) imports `upload` into `l`, as `cx`'s account, within
/// `limits`; `progress(rows done, rows)` while checking. An account that may change no record
/// of the ledger is refused (and the refusal audited).
pub async fn import(
    cx: &Acting<'_>,
    l: &'static Ledger,
    upload: Upload<'_>,
    limits: &Limits,
    dry_run: bool,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Import, Error> {
    let act = writer(cx, l).await?;
    let mut phases = Phases::default();
    let t = Instant::now();
    let cells = match gaoxin_excel::read_cells(upload.bytes, limits) {
        Ok(c) => c,
        Err(e) => return Ok(Import::Refused(e)),
    };
    phases.reading = t.elapsed();
    let t = Instant::now();
    let parsed = parse_with_progress(cx.plan, l, &cells, progress);
    drop(cells);
    phases.checking = t.elapsed();
    if !parsed.errors.is_empty() || parsed.rows.is_empty() {
        return Ok(Import::Invalid(parsed));
    }
    let hash = content_hash(upload.bytes);
    let file = ImportFile::new(upload.name, &hash);
    let t = Instant::now();
    let report = cx
        .store
        .ledger_import(&act, l, &file, &parsed.rows, dry_run)
        .await?;
    phases.writing = t.elapsed();
    Ok(match report.already.clone() {
        Some(prior) => Import::Already(prior),
        None => Import::Checked {
            parsed,
            report,
            phases,
            hash,
        },
    })
}

/// Keeps the rows of a dry run that passed for their confirmation; returns the token naming
/// them (an hour, this account only, once); `name` and `hash` are the file's, as
/// [`Import::Checked`] had them.
pub async fn keep(
    cx: &Acting<'_>,
    l: &'static Ledger,
    (name, hash): (&str, &str),
    rows: &[ParsedRow],
) -> Result<String, Error> {
    let account = account_of(cx, l).await?;
    Ok(cx
        .store
        .stash_upload(
            account,
            &kind(l),
            &ImportFile::new(name, hash),
            &rows,
            cx.now,
        )
        .await?)
}

/// What a confirmation came to.
#[derive(Debug)]
pub enum Confirmed {
    /// No dry run waits under that token (confirmed already, expired, another account's).
    Gone,
    /// Checked again, something changed meanwhile (or the file was imported): nothing written.
    Refused(LedgerImport),
    Imported(LedgerImport),
}

/// Imports the rows a dry run kept under `token`, checked again, all or none.
pub async fn confirm(cx: &Acting<'_>, l: &'static Ledger, token: &str) -> Result<Confirmed, Error> {
    let act = writer(cx, l).await?;
    let kept: Option<(String, String, Vec<ParsedRow>)> = cx
        .store
        .take_upload(act.account, &kind(l), token, cx.now)
        .await?;
    let Some((name, hash, rows)) = kept else {
        return Ok(Confirmed::Gone);
    };
    let report = cx
        .store
        .ledger_import(&act, l, &ImportFile::new(&name, &hash), &rows, false)
        .await?;
    Ok(if report.already.is_some() || !report.errors.is_empty() {
        Confirmed::Refused(report)
    } else {
        Confirmed::Imported(report)
    })
}

/// The kind a ledger's dry runs are kept under.
fn kind(l: &Ledger) -> String {
    format!("ledger:{}", l.id)
}

/// The account importing, which must be one that may change some record of `l`.
async fn account_of<'a>(cx: &Acting<'a>, l: &Ledger) -> Result<&'a gaoxin_store::Account, Error> {
    match cx.account {
        Some(a) if ledger::may_edit_any(cx.plan, a.who(), l) => Ok(a),
        _ => Err(cx
            .refuse(Refusal::Forbidden {
                target: format!("ledger:{}/import", l.id),
            })
            .await),
    }
}

/// The store's context for a write by the importing account.
async fn writer<'a>(cx: &Acting<'a>, l: &Ledger) -> Result<gaoxin_store::Act<'a>, Error> {
    let account = account_of(cx, l).await?;
    Ok(gaoxin_store::Act::of(cx.plan, account, cx.now))
}
