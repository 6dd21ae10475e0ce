//! 台账 — importing a ledger workbook, from a page or the console: the workbook read within its
//! limits, every row checked (`ledger::sheet`), the store's checks (rights per row, references,
//! the same file twice) and, unless a dry run, the write; a page's dry run kept for its
//! confirmation, and the confirmation; 一企一档 — an enterprise found by name or credit code, and
//! every ledger's records about it with a timeline (`enterprise_profile`).

use crate::{Acting, Error, Refusal};
use gaoxin_core::ledger::sheet::{Parsed, ParsedRow, SheetReader};
use gaoxin_core::ledger::{self, Ledger, dashboard};
use gaoxin_excel::{ExcelError, Limits};
use gaoxin_store::{ImportFile, LedgerImport, ListQuery, PriorImport, content_hash};
use std::time::Instant;

/// A workbook as uploaded or read from disk (given to the import, whose reading thread holds
/// it: a 1,000,000-row workbook is not copied).
#[derive(Debug, Clone)]
pub struct Upload<'a> {
    pub name: &'a str,
    pub bytes: Vec<u8>,
}

/// How long each part of an import took (the console and the benchmark show them). Reading
/// and checking go on in a thread of their own while the rows before are written, so the three
/// add up to more than the import took.
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    pub reading: std::time::Duration,
    pub checking: std::time::Duration,
    pub writing: std::time::Duration,
}

/// What an import came to.
#[derive(Debug)]
pub enum Import {
    /// The workbook as a whole is refused (size, macros, damage …); nothing written.
    Refused(ExcelError),
    /// Rows are wrong (`parsed.errors`), or there is no record besides the header and the
    /// example row (`parsed.records` is 0); nothing written.
    Invalid(Parsed),
    /// This very file was imported before; nothing written.
    Already(PriorImport),
    /// Checked against the database (`report.errors` says what it refused, and then nothing
    /// was written); written unless it was a dry run.
    Checked {
        /// `rows` holds the records only when they were asked to be kept.
        parsed: Parsed,
        report: LedgerImport,
        phases: Phases,
        /// The file's SHA-256, which recognises it again ([`keep`] stores it with the rows).
        hash: String,
    },
}

/// What an import does besides checking.
#[derive(Debug, Clone, Copy)]
pub struct ImportMode {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Keep the records read in `Parsed::rows` (a page's dry run keeps them for its
    /// confirmation); otherwise memory holds a few batches of them, not the file.
    pub keep_rows: bool,
}

/// Rows handed from the reading thread to the writer at a time.
const BATCH: usize = 5_000;

/// A batch of checked records, and how many errors the file had by then.
struct Batch {
    rows: Vec<ParsedRow>,
    errors: usize,
}

/// What the reading thread came to.
struct Read {
    read: Result<(), ExcelError>,
    parsed: Parsed,
    reading: std::time::Duration,
    checking: std::time::Duration,
}

/// Reads, checks and (unless a dry run) imports `upload` into `l`, as `cx`'s account, within
/// `limits`; `progress(records read)` as it goes. An account that may change no record of the
/// ledger is refused (and the refusal audited).
///
/// The workbook is streamed: a thread reads the sheet and checks each row as it comes, handing
/// batches of records to the store's [`ImportRun`](gaoxin_store::ImportRun), which checks them
/// against the database and writes them while the next are read — reading and writing
/// overlapped, memory bounded by a few batches. An error anywhere stops the writing (the rest
/// is still read, so every error is reported) and nothing is kept.
pub async fn import(
    cx: &Acting<'_>,
    l: &'static Ledger,
    upload: Upload<'_>,
    limits: &Limits,
    mode: ImportMode,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<Import, Error> {
    let act = writer(cx, l).await?;
    let hash = content_hash(&upload.bytes);
    let file = ImportFile::new(upload.name, &hash);
    let mut run = cx
        .store
        .ledger_import_start(&act, l, &file, mode.dry_run)
        .await?;
    if run.is_over() {
        let report = run.finish().await?;
        return Ok(checked(Parsed::default(), report, Phases::default(), hash));
    }
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Batch>(4);
    let bytes = upload.bytes;
    let (plan, limits) = (cx.plan.clone(), *limits);
    let reader =
        tokio::task::spawn_blocking(move || read_and_check(&plan, l, &bytes, &limits, sender));
    let mut kept = Vec::new();
    let mut writing = std::time::Duration::ZERO;
    let mut records = 0;
    let fed = async {
        // The reader's batches gathered up to what the store takes at once (it sizes its
        // batches by how long they hold SQLite's write lock).
        let mut gathered: Vec<ParsedRow> = Vec::new();
        let mut file_wrong = false;
        loop {
            let batch = batches.recv().await;
            let end = batch.is_none();
            if let Some(batch) = batch {
                records += batch.rows.len();
                progress(records);
                if batch.errors > 0 {
                    // The file is wrong: nothing is written, and the database's checks would
                    // not be shown.
                    file_wrong = true;
                    run.stop();
                }
                gathered.extend(batch.rows);
            }
            if !gathered.is_empty() && (end || gathered.len() >= run.batch_rows()) {
                if !file_wrong {
                    let t = Instant::now();
                    run.rows(&gathered).await?;
                    writing += t.elapsed();
                }
                if mode.keep_rows {
                    kept.append(&mut gathered);
                } else {
                    gathered.clear();
                }
            }
            if end {
                return Ok::<_, Error>(());
            }
        }
    }
    .await;
    // A failed write closes the channel: the reader stops at its next batch.
    drop(batches);
    let read = reader.await;
    let read = match (fed, read) {
        (Ok(()), Ok(read)) => read,
        (Err(e), _) => {
            run.abandon().await;
            return Err(e);
        }
        (Ok(()), Err(panicked)) => {
            run.abandon().await;
            tracing::error!(error = %panicked, ledger = l.id, "the import's reading thread failed");
            return Ok(Import::Refused(ExcelError::Damaged));
        }
    };
    let mut parsed = read.parsed;
    parsed.rows = kept;
    if let Err(e) = read.read {
        run.abandon().await;
        return Ok(Import::Refused(e));
    }
    if !parsed.errors.is_empty() || parsed.records == 0 {
        run.abandon().await;
        return Ok(Import::Invalid(parsed));
    }
    let t = Instant::now();
    let report = run.finish().await?;
    writing += t.elapsed();
    let phases = Phases {
        reading: read.reading,
        checking: read.checking,
        writing,
    };
    Ok(checked(parsed, report, phases, hash))
}

/// What the store's report comes to: the file imported before (found as the import began or
/// ended), or checked.
fn checked(parsed: Parsed, report: LedgerImport, phases: Phases, hash: String) -> Import {
    match report.already.clone() {
        Some(prior) => Import::Already(prior),
        None => Import::Checked {
            parsed,
            report,
            phases,
            hash,
        },
    }
}

/// The reading thread: the sheet streamed row by row through the checks, the records sent on
/// in batches (waiting while the writer is four behind); stops early when the writer has gone.
fn read_and_check(
    plan: &gaoxin_core::Plan,
    l: &'static Ledger,
    bytes: &[u8],
    limits: &Limits,
    sender: tokio::sync::mpsc::Sender<Batch>,
) -> Read {
    let started = Instant::now();
    let mut checking = std::time::Duration::ZERO;
    let mut waiting = std::time::Duration::ZERO;
    let mut sheet = SheetReader::new(plan, l);
    let mut rows = Vec::with_capacity(BATCH);
    let mut gone = false;
    let read = gaoxin_excel::stream_cells(bytes, limits, |line, cells| {
        let t = Instant::now();
        rows.extend(sheet.row(line, &cells));
        checking += t.elapsed();
        if rows.len() >= BATCH {
            let batch = Batch {
                rows: std::mem::replace(&mut rows, Vec::with_capacity(BATCH)),
                errors: sheet.errors(),
            };
            let t = Instant::now();
            gone = sender.blocking_send(batch).is_err();
            waiting += t.elapsed();
        }
        !gone && sheet.going()
    });
    if read.is_ok() && !gone && !rows.is_empty() {
        let _ = sender.blocking_send(Batch {
            rows,
            errors: sheet.errors(),
        });
    }
    Read {
        read,
        parsed: sheet.finish(),
        reading: started.elapsed().saturating_sub(checking + waiting),
        checking,
    }
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

/// The ledgers that name an enterprise by the value of a field (not by its credit code): a
/// platform's host, a project's investor, a talent's employer.
const MENTIONED_IN: &[(&str, &str)] = &[
    ("platforms", "host"),
    ("projects", "investor"),
    ("talents", "employer"),
];

/// Records of one ledger about the enterprise.
#[derive(Debug, Clone)]
pub struct Section {
    pub ledger: &'static Ledger,
    pub records: Vec<gaoxin_store::StoredRecord>,
    /// How many there are (`records` holds at most [`PROFILE_ROWS`]).
    pub total: i64,
}

/// A dated record on the enterprise's timeline.
#[derive(Debug, Clone)]
pub struct Moment {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub ledger: &'static Ledger,
    pub record: i64,
    pub title: String,
    /// Its kind or grade (高新技术企业, 签约 …), if the ledger has one.
    pub what: String,
}

/// 一企一档: one enterprise and every ledger's records about it.
#[derive(Debug, Clone)]
pub struct Profile {
    pub enterprise: gaoxin_store::StoredRecord,
    pub sections: Vec<Section>,
    /// Latest first.
    pub timeline: Vec<Moment>,
}

/// At most this many records of one ledger on a profile (the ledger's list has the rest).
pub const PROFILE_ROWS: i64 = 200;

fn scope(cx: &Acting<'_>) -> Option<Vec<String>> {
    cx.who()
        .and_then(|w| gaoxin_core::ledger::readable_units(cx.plan, w))
}

/// Enterprises by part of their name or the start of their credit code, within the reader's
/// units, at most `limit`.
pub async fn find_enterprises(
    cx: &Acting<'_>,
    q: &str,
    limit: i64,
) -> Result<Vec<gaoxin_store::StoredRecord>, Error> {
    let Some(l) = Ledger::find("enterprises") else {
        return Ok(Vec::new());
    };
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let page = cx
        .store
        .ledger_list(
            l,
            &ListQuery {
                units: scope(cx),
                search: Some(q.to_string()),
                limit,
                ..ListQuery::default()
            },
        )
        .await?;
    Ok(page.rows)
}

/// The profile of the enterprise with credit code `code`, as far as the reader's units go
/// (`None`: no such enterprise the reader may see).
pub async fn enterprise_profile(cx: &Acting<'_>, code: &str) -> Result<Option<Profile>, Error> {
    let Some(enterprises) = Ledger::find("enterprises") else {
        return Ok(None);
    };
    let units = scope(cx);
    let found = cx
        .store
        .ledger_list(
            enterprises,
            &ListQuery {
                units: units.clone(),
                search: Some(code.to_string()),
                limit: 2,
                ..ListQuery::default()
            },
        )
        .await?;
    let Some(enterprise) = found.rows.into_iter().find(|r| r.natural_key == code) else {
        return Ok(None);
    };
    let name = enterprises.title(&enterprise.record).to_string();
    let mut sections = Vec::new();
    for l in gaoxin_core::ledger::LEDGERS.iter().copied() {
        let by_code = l.referenced().is_some_and(|r| r.id == enterprises.id);
        let by_name = MENTIONED_IN
            .iter()
            .any(|(id, field)| *id == l.id && l.field(field).is_some());
        if !by_code && !by_name {
            continue;
        }
        let page = cx
            .store
            .ledger_list(
                l,
                &ListQuery {
                    units: units.clone(),
                    reference: by_code.then(|| code.to_string()),
                    mentions: (!by_code).then(|| name.clone()),
                    limit: PROFILE_ROWS,
                    ..ListQuery::default()
                },
            )
            .await?;
        if page.rows.is_empty() {
            continue;
        }
        sections.push(Section {
            ledger: l,
            total: page.total,
            records: page.rows,
        });
    }
    let mut timeline: Vec<Moment> = sections
        .iter()
        .flat_map(|s| {
            let l = s.ledger;
            s.records.iter().filter_map(move |r| {
                let day = l.slot(l.slots.date, &r.record)?;
                Some(Moment {
                    day: day.to_string(),
                    ledger: l,
                    record: r.id,
                    title: l.title(&r.record).to_string(),
                    what: l
                        .slot(l.slots.kind, &r.record)
                        .or_else(|| l.slot(l.slots.grade, &r.record))
                        .unwrap_or("")
                        .to_string(),
                })
            })
        })
        .collect();
    timeline.sort_by(|a, b| b.day.cmp(&a.day));
    Ok(Some(Profile {
        enterprise,
        sections,
        timeline,
    }))
}

/// 台账看板: the 招商 funnel, the enterprise pyramid, land and funds, as far as the reader's
/// units go (narrowed to `unit` when asked), at the end of the current period.
#[derive(Debug, Clone)]
pub struct Dashboards {
    /// The period the pyramid is read at (its last day), and the same month a year before.
    pub at: gaoxin_core::monitor::YearMonth,
    pub year_before: gaoxin_core::monitor::YearMonth,
    /// The day before which a project at a stage other than 投产 counts as stalled.
    pub stall_cutoff: Option<String>,
    pub funnel: dashboard::Funnel,
    pub pyramid: Option<(Vec<dashboard::Level>, bool)>,
    pub land: Option<dashboard::Land>,
    pub funds: Option<(Vec<dashboard::Fund>, bool)>,
    /// The listing pipeline by stage (its last stage is the register of listed enterprises).
    pub listings: Option<(Vec<dashboard::Step>, bool)>,
}

/// The dashboards for the reader (`unit`: one unit of its scope; another unit is `None`).
pub async fn dashboards(cx: &Acting<'_>, unit: Option<&str>) -> Result<Option<Dashboards>, Error> {
    let mut units = scope(cx);
    if let Some(u) = unit {
        if units.as_ref().is_some_and(|us| !us.iter().any(|x| x == u)) {
            return Ok(None);
        }
        units = Some(vec![u.to_string()]);
    }
    let q = ListQuery {
        units,
        ..ListQuery::default()
    };
    let at = gaoxin_core::monitor::YearMonth::current(cx.now);
    let year_before = gaoxin_core::monitor::YearMonth {
        year: at.year - 1,
        ..at
    };
    let (y, m, d) = cx.now.civil_date();
    let stall_cutoff = ledger::stall_cutoff(
        &format!("{y:04}-{m:02}-{d:02}"),
        cx.plan.monitoring.stage_days,
    );
    let store = cx.store;
    let groups = |id: &'static str, in_force: Option<gaoxin_store::Day>| {
        let q = &q;
        let cutoff = stall_cutoff.clone();
        async move {
            let Some(l) = Ledger::find(id) else {
                return Ok::<_, Error>(Vec::new());
            };
            let stall = cutoff.as_deref().zip(l.stalls_except);
            let q = ListQuery {
                in_force,
                ..q.clone()
            };
            Ok(store.ledger_groups(l, &q, stall).await?)
        }
    };
    let funnel = dashboard::funnel(
        &groups("targets", None).await?,
        &groups("projects", None).await?,
    );
    let pyramid = dashboard::pyramid(
        &groups("qualifications", Some(gaoxin_store::Day::end_of(at))).await?,
        &groups(
            "qualifications",
            Some(gaoxin_store::Day::end_of(year_before)),
        )
        .await?,
    );
    let land = dashboard::land(&groups("land", None).await?);
    let invested = match Ledger::find("funds") {
        Some(l) => {
            store
                .ledger_field_sums(l, &q, &["invested", "investees"])
                .await?
        }
        None => Vec::new(),
    };
    let funds = dashboard::funds(&groups("funds", None).await?, &invested);
    let listings = dashboard::listings(&groups("listings", None).await?);
    Ok(Some(Dashboards {
        at,
        year_before,
        stall_cutoff,
        funnel,
        pyramid,
        land,
        funds,
        listings,
    }))
}
