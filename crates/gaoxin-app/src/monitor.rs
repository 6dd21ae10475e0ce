//! 指标监测 — the state of the targets at a month: the figures the actor may read, evaluated
//! for each zone, and the plan's quantified sub-targets counted from the ledgers, each for its
//! own year (the cockpit page, a zone's page, the API's cockpit and status, the bulletin and
//! `gaoxin figures status` all read it here); and importing figures from a file, from the
//! figures page (a workbook, dry run, confirmation) or the console (CSV or a workbook).

use crate::{Acting, Error, Refusal};
use gaoxin_core::monitor::import::{ImportRow, RowError, heading_for, parse_csv, parse_table};
use gaoxin_core::monitor::subtarget::{self, SubEvaluation};
use gaoxin_core::monitor::{Evaluation, Figures, Summary, YearMonth, zone_status};
use gaoxin_core::plan::Unit;
use gaoxin_excel::{ExcelError, Limits};
use gaoxin_store::{ImportFile, ImportReport, content_hash};

/// One zone's targets at a month.
#[derive(Debug, Clone)]
pub struct ZoneStatus<'p> {
    pub zone: &'p Unit,
    pub evaluations: Vec<Evaluation>,
}

/// The zones' targets at a month, and the figures they were computed from (for trends).
#[derive(Debug, Clone)]
pub struct Status<'p> {
    pub at: YearMonth,
    pub zones: Vec<ZoneStatus<'p>>,
    pub figures: Figures,
    /// The sub-targets of the zones asked for and of the zones together, in plan order.
    pub subtargets: Vec<SubEvaluation>,
}

impl Status<'_> {
    /// The city summary over the zones' evaluations.
    pub fn summary(&self) -> Summary {
        Summary::of(self.evaluations())
    }

    /// Every zone's evaluations, zone by zone.
    pub fn evaluations(&self) -> impl Iterator<Item = &Evaluation> {
        self.zones.iter().flat_map(|z| &z.evaluations)
    }

    /// How many sub-targets show each light.
    pub fn subtarget_summary(&self) -> Summary {
        Summary::of_lights(self.subtargets.iter().map(|e| e.status))
    }
}

/// Every zone asked for (all when `zones` is `None`), evaluated at `at` from the figures the
/// actor may read: values still waiting for review are left out for an account that may not
/// read them yet; the console reads everything.
pub async fn status<'p>(
    cx: &Acting<'p>,
    zones: Option<&[&str]>,
    at: YearMonth,
) -> Result<Status<'p>, Error> {
    let plan = cx.plan;
    let zones_asked = zones;
    let mut figures = cx.store.cockpit_figures(plan, zones, at).await?;
    if let Some(who) = cx.who() {
        figures.hide_unreviewed(plan, who);
    }
    let zones = plan
        .zones()
        .filter(|z| zones.is_none_or(|zs| zs.contains(&z.id.as_str())))
        .map(|zone| ZoneStatus {
            zone,
            evaluations: zone_status(plan, &figures, &zone.id, at),
        })
        .collect();
    let subtargets = subtargets(cx, at)
        .await?
        .into_iter()
        .filter(|e| {
            e.zone
                .as_deref()
                .is_none_or(|z| zones_asked.is_none_or(|zs| zs.contains(&z)))
        })
        .collect();
    Ok(Status {
        at,
        zones,
        figures,
        subtargets,
    })
}

/// The plan's sub-targets judged at `at`, each for its own year, counted from the ledgers (the
/// counts are of every unit: the cockpit shows every zone to whoever reads it).
pub async fn subtargets(cx: &Acting<'_>, at: YearMonth) -> Result<Vec<SubEvaluation>, Error> {
    let counts = cx.store.subtarget_counts(cx.plan, at).await?;
    Ok(subtarget::evaluate(cx.plan, &counts, at))
}

/// A file of figures: `zone,figure,period,value[,explanation]` rows.
#[derive(Debug, Clone, Copy)]
pub enum FiguresFile<'a> {
    /// CSV text (UTF-8).
    Csv(&'a str),
    /// An .xlsx workbook (the template gaoxin writes, filled), read within `limits`.
    Workbook { bytes: &'a [u8], limits: &'a Limits },
}

/// What a figures import came to.
#[derive(Debug)]
pub enum FiguresImport {
    /// The workbook as a whole is refused; nothing was read.
    Refused(ExcelError),
    /// Rows are wrong: by line and the column as the file heads it; nothing written.
    Invalid(Vec<RowError>),
    /// No row holds a value.
    Empty,
    /// Every row checked as if entered and submitted by the account (`report.errors`: what the
    /// workflow refused, by the file's headings, and then nothing was written); written unless
    /// a dry run.
    Checked {
        rows: Vec<ImportRow>,
        report: ImportReport,
    },
}

/// Reads `file` and imports its rows as `cx`'s account would enter and submit them, all or
/// none (a dispatcher's rows are confirmed).
pub async fn import_figures(
    cx: &Acting<'_>,
    file: FiguresFile<'_>,
    dry_run: bool,
) -> Result<FiguresImport, Error> {
    let account = importer(cx).await?;
    let (parsed, header) = match file {
        FiguresFile::Csv(text) => (parse_csv(text), Vec::new()),
        FiguresFile::Workbook { bytes, limits } => match gaoxin_excel::read_rows(bytes, limits) {
            Ok(table) => (
                parse_table(&table),
                table.first().map(|(_, h)| h.clone()).unwrap_or_default(),
            ),
            Err(e) => return Ok(FiguresImport::Refused(e)),
        },
    };
    let rows = match parsed {
        Ok(rows) if rows.is_empty() => return Ok(FiguresImport::Empty),
        Ok(rows) => rows,
        Err(errors) => return Ok(FiguresImport::Invalid(errors)),
    };
    let mut report = cx
        .store
        .import_figures(cx.plan, account, &rows, dry_run, cx.now)
        .await?;
    // Errors name the column as the file heads it.
    for e in &mut report.errors {
        if let Some(h) = heading_for(&header, &e.column) {
            e.column = h;
        }
    }
    Ok(FiguresImport::Checked { rows, report })
}

/// Keeps the rows of a figures dry run that passed for their confirmation (an hour, this
/// account only, once); returns the token naming them.
pub async fn keep_figures(
    cx: &Acting<'_>,
    name: &str,
    bytes: &[u8],
    rows: &[ImportRow],
) -> Result<String, Error> {
    let account = importer(cx).await?;
    let mut csv = String::from("zone,figure,period,value,explanation\n");
    for r in rows {
        csv.push_str(&gaoxin_core::csv::line(&[
            &r.unit,
            &r.figure,
            &r.period.to_string(),
            &r.value.to_string(),
            &r.explanation,
        ]));
        csv.push('\n');
    }
    let hash = content_hash(bytes);
    Ok(cx
        .store
        .stash_upload(
            account,
            FIGURES,
            &ImportFile::new(name, &hash),
            &csv,
            cx.now,
        )
        .await?)
}

/// Imports the rows a figures dry run kept under `token`, checked again, all or none; `None`
/// when no dry run waits under it (confirmed already, expired, another account's).
pub async fn confirm_figures(
    cx: &Acting<'_>,
    token: &str,
) -> Result<Option<(Vec<ImportRow>, ImportReport)>, Error> {
    let account = importer(cx).await?;
    let kept: Option<(String, String, String)> = cx
        .store
        .take_upload(account, FIGURES, token, cx.now)
        .await?;
    let Some(rows) = kept.and_then(|(_, _, csv)| parse_csv(&csv).ok()) else {
        return Ok(None);
    };
    let report = cx
        .store
        .import_figures(cx.plan, account, &rows, false, cx.now)
        .await?;
    Ok(Some((rows, report)))
}

/// The kind a figures dry run is kept under.
const FIGURES: &str = "figures";

/// The account importing: the console imports as a named account too.
async fn importer<'a>(cx: &Acting<'a>) -> Result<&'a gaoxin_store::Account, Error> {
    match cx.account {
        Some(a) => Ok(a),
        None => Err(cx
            .refuse(Refusal::Forbidden {
                target: "figures/import".into(),
            })
            .await),
    }
}
