//! 台账 pages: the ledgers, each ledger's list (search, filters, sorting, paging, export), a
//! record with its history and edit form, a new record, and the Excel template, upload (dry
//! run) and confirmation.

use super::{PageCtx, RowMessage, row_messages, session_of, unit_name, xlsx_response};
use crate::error::{PageError, WebError};
use crate::extract::{Path, Query};
use crate::i18n::{Lang, Tr, fill};
use crate::pages::Nav;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gaoxin_app::ledger::{Confirmed, Import, ImportMode, Upload};
use gaoxin_core::Plan;
use gaoxin_core::auth::Who;
use gaoxin_core::ledger::value::{Cell, expected};
use gaoxin_core::ledger::{
    self, Count, FieldError, FieldKind, LEDGERS, Ledger, Record, readable_units, subtree,
};
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::text::Message;
use gaoxin_store::{CountAt, Day, LedgerError, ListQuery, Session, Sort, StoredRecord};
use serde::Deserialize;
use std::collections::HashMap;

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes, upload_limit};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/ledgers", business, index)
        .get("/ledgers/{id}", business, list)
        .get("/ledgers/{id}/export", business, export)
        .get("/ledgers/{id}/template", business, template)
        .get("/ledgers/{id}/new", business, new_form)
        .post("/ledgers/{id}/new", business, new_post)
        .method(
            "POST",
            "/ledgers/{id}/upload",
            business,
            axum::routing::post(upload).layer(upload_limit(gaoxin_excel::Limits::LEDGER.max_bytes)),
        )
        .post("/ledgers/{id}/upload/confirm", business, upload_confirm)
        .get("/ledgers/{id}/{record}", business, record)
        .post("/ledgers/{id}/{record}", business, record_post)
}

const PAGE_SIZE: i64 = 50;

/// Why a record needs attention: its ledger's flag, and a stage it has stalled at.
fn record_flags(cx: &PageCtx, l: &Ledger, r: &Record) -> Vec<String> {
    let stage_days = cx.stored.plan.monitoring.stage_days;
    let stalled = ledger::stalled_days(l, r, &today(cx), stage_days).map(|n| {
        fill(
            cx.t.ledger_stalled(),
            &[&l.slot(l.slots.kind, r).unwrap_or(""), &n],
        )
    });
    l.flag_of(r)
        .map(String::from)
        .into_iter()
        .chain(stalled)
        .collect()
}

/// Today in Beijing, `YYYY-MM-DD`.
fn today(cx: &PageCtx) -> String {
    let (y, m, d) = cx.state.now().civil_date();
    format!("{y:04}-{m:02}-{d:02}")
}

fn ledger_of(cx: &PageCtx, id: &str) -> Result<&'static Ledger, PageError> {
    Ledger::find(id).ok_or_else(|| cx.fail(WebError::NotFound))
}

/// A fixed name in the reader's language (a ledger's, a field's).
pub(crate) fn name_of(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

/// A record's value as shown: a unit by name, everything else as stored.
fn shown(plan: &Plan, kind: FieldKind, v: &str) -> String {
    match kind {
        FieldKind::Unit => unit_name(plan, v),
        _ => v.to_string(),
    }
}

// ───────────────────────── index ─────────────────────────

struct LedgerCard {
    id: &'static str,
    name: &'static str,
    about: &'static str,
    /// How many records, `10000+` past the count's limit.
    count: String,
}

#[derive(Template)]
#[template(path = "ledgers.html")]
struct IndexPage {
    c: super::Chrome,
    t: Tr,
    ledgers: Vec<LedgerCard>,
}

/// `GET /ledgers`: every ledger, with how many records the reader sees.
pub async fn index(cx: PageCtx) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let units = readable_units(plan, session.account.who());
    let mut ledgers = Vec::new();
    for l in LEDGERS {
        let page = cx
            .state
            .store
            .ledger_list(
                l,
                &ListQuery {
                    units: units.clone(),
                    limit: 0,
                    ..ListQuery::default()
                },
            )
            .await
            .map_err(|e| cx.fail(e))?;
        ledgers.push(LedgerCard {
            id: l.id,
            name: name_of(cx.lang, l.zh, l.en),
            about: l.about,
            count: format!("{}{}", page.total, if page.capped { "+" } else { "" }),
        });
    }
    cx.render(&IndexPage {
        c: cx.chrome(Nav::Ledgers),
        t: cx.t,
        ledgers,
    })
}

// ───────────────────────── list ─────────────────────────

#[derive(Debug, Deserialize, Default, Clone)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    flagged: String,
    /// `1`: only records stalled at a stage.
    #[serde(default)]
    stalled: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    page: Option<i64>,
    /// Only the rows a count takes (`hitech-valid` …) at the end of `period`.
    #[serde(default)]
    counted: String,
    #[serde(default)]
    period: String,
    /// Only records in force at the end of this period (`YYYY-MM`): the 台账看板's pyramid.
    #[serde(default)]
    valid: String,
    /// What an import just did (the notice after it).
    #[serde(default)]
    created: Option<usize>,
    #[serde(default)]
    updated: Option<usize>,
}

impl ListParams {
    /// The query string of these filters (without the page), for sort, page and export links.
    fn filters(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("unit", &self.unit),
            ("kind", &self.kind),
            ("grade", &self.grade),
            ("flagged", &self.flagged),
            ("stalled", &self.stalled),
            ("counted", &self.counted),
            ("period", &self.period),
            ("valid", &self.valid),
        ] {
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

struct Column {
    label: &'static str,
    /// The sort this column's heading sets, if it sorts.
    sort: Option<&'static str>,
    numeric: bool,
}

struct ListRow {
    id: i64,
    cells: Vec<String>,
    /// Why the record needs attention (a flag of its ledger, a stalled stage).
    flags: Vec<String>,
    sample: bool,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct FilterSelect {
    name: &'static str,
    label: &'static str,
    options: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "ledger_list.html")]
struct ListPageView {
    c: super::Chrome,
    t: Tr,
    id: &'static str,
    name: &'static str,
    about: &'static str,
    q: String,
    selects: Vec<FilterSelect>,
    has_flag: bool,
    flagged: bool,
    /// The ledger has stages that can stall, and how many days make a stall.
    stall_days: Option<u32>,
    stalled: bool,
    columns: Vec<Column>,
    rows: Vec<ListRow>,
    total: i64,
    /// More match than `total` (the count's limit).
    capped: bool,
    page: i64,
    pages: i64,
    filters: String,
    sort: &'static str,
    desc: bool,
    /// What a `counted` filter shows.
    counted: Option<String>,
    notice: Option<String>,
    may_edit: bool,
    csrf: String,
}

impl ListPageView {
    fn capped_note(&self) -> String {
        fill(self.t.ledger_capped(), &[&self.total])
    }

    fn stalled_label(&self, days: &u32) -> String {
        fill(self.t.ledger_stalled_only(), &[days])
    }

    /// Where the Excel upload form posts.
    fn upload_action(&self) -> String {
        format!("/ledgers/{}/upload", self.id)
    }

    fn sort_link(&self, sort: &str) -> String {
        let desc = if self.sort == sort && !self.desc {
            "&desc=1"
        } else {
            ""
        };
        format!("?{}&sort={sort}{desc}", self.filters)
    }

    fn page_link(&self, page: i64) -> String {
        let desc = if self.desc { "&desc=1" } else { "" };
        format!("?{}&sort={}{desc}&page={page}", self.filters, self.sort)
    }
}

/// The list query of the params, within what `who` may read.
fn list_query(
    cx: &PageCtx,
    l: &'static Ledger,
    w: Who<'_>,
    p: &ListParams,
) -> Result<(ListQuery, Option<String>), PageError> {
    let plan = &cx.stored.plan;
    let scope = readable_units(plan, w);
    let units = match (scope, p.unit.trim()) {
        (scope, "") => scope,
        (scope, unit) => {
            let tree = subtree(plan, unit);
            Some(match scope {
                None => tree,
                Some(s) => tree.into_iter().filter(|u| s.contains(u)).collect(),
            })
        }
    };
    let mut counted = None;
    let mut counted_text = None;
    if !p.counted.is_empty() {
        let count = Count::find(&p.counted)
            .filter(|c| c.ledger == l.id)
            .ok_or_else(|| cx.fail(WebError::NotFound))?;
        let period = if p.period.is_empty() {
            YearMonth::of(cx.state.now())
        } else {
            YearMonth::parse(&p.period).ok_or_else(|| {
                cx.fail(WebError::BadRequest(crate::i18n::Msg::ledger_bad_period()))
            })?
        };
        counted = Some(CountAt {
            count,
            end: Day::end_of(period),
        });
        counted_text = Some(fill(
            cx.t.ledger_counted_lead(),
            &[&count.zh, &Day::end_of(period).iso()],
        ));
    }
    let mut in_force = None;
    if !p.valid.is_empty() {
        let period = YearMonth::parse(&p.valid)
            .ok_or_else(|| cx.fail(WebError::BadRequest(crate::i18n::Msg::ledger_bad_period())))?;
        let day = Day::end_of(period);
        in_force = Some(day);
        let shown = gaoxin_core::time::Date::parse(&day.iso())
            .map_or(day.iso(), |d| d.human(cx.t.lang.into()));
        counted_text = Some(fill(cx.t.ledger_valid_lead(), &[&shown]));
    }
    let page = p.page.unwrap_or(1).max(1);
    let stalled = match (l.stalls_except, p.stalled == "1") {
        (Some(except), true) => {
            ledger::stall_cutoff(&today(cx), plan.monitoring.stage_days).map(|c| (c, except))
        }
        _ => None,
    };
    Ok((
        ListQuery {
            stalled,
            units,
            kind: Some(p.kind.clone()).filter(|s| !s.is_empty()),
            grade: Some(p.grade.clone()).filter(|s| !s.is_empty()),
            flagged: p.flagged == "1",
            search: Some(p.q.clone()).filter(|s| !s.trim().is_empty()),
            reference: None,
            mentions: None,
            counted,
            in_force,
            sort: Sort::parse(&p.sort).unwrap_or_default(),
            descending: p.desc == "1",
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        },
        counted_text,
    ))
}

/// The columns a list shows: name, key (when it is not the name), unit, and the slots.
fn list_fields(l: &Ledger) -> Vec<(&'static str, Option<&'static str>)> {
    let mut out: Vec<(&'static str, Option<&'static str>)> = vec![(l.slots.name, Some("name"))];
    for k in l.key {
        if *k != l.slots.name && !out.iter().any(|(f, _)| f == k) {
            out.push((k, None));
        }
    }
    for (slot, sort) in [
        (l.slots.kind, None),
        (l.slots.grade, None),
        (l.slots.date, Some("date")),
        (l.slots.amount, Some("amount")),
    ] {
        if let Some(f) = slot
            && !out.iter().any(|(x, _)| *x == f)
        {
            out.push((f, sort));
        }
    }
    out.extend(l.listed.iter().map(|f| (*f, None)));
    out
}

/// A coded slot's field names and the values it offers (for a filter's drop-down).
fn code_options(
    plan: &Plan,
    l: &Ledger,
    slot: Option<&str>,
) -> Option<(&'static str, &'static str, Vec<String>)> {
    let f = l.field(slot?)?;
    match f.kind {
        FieldKind::Unit => None,
        kind => Some((f.zh, f.en, ledger::choices(plan, kind)?)),
    }
}

/// `GET /ledgers/{id}`: one page of a ledger.
pub async fn list(
    cx: PageCtx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let l = ledger_of(&cx, &id)?;
    let session = session_of(&cx)?;
    let w = session.account.who();
    let (query, counted) = list_query(&cx, l, w, &p)?;
    let result = cx
        .state
        .store
        .ledger_list(l, &query)
        .await
        .map_err(|e| cx.fail(e))?;
    let fields = list_fields(l);
    let mut columns: Vec<Column> = fields
        .iter()
        .map(|(f, sort)| {
            let field = l.field(f);
            Column {
                label: field.map_or("", |x| name_of(cx.lang, x.zh, x.en)),
                sort: *sort,
                numeric: field.is_some_and(|x| {
                    matches!(x.kind, FieldKind::Amount { .. } | FieldKind::Signed { .. })
                }),
            }
        })
        .collect();
    columns.insert(
        1.min(columns.len()),
        Column {
            label: t.zone_or_unit(),
            sort: None,
            numeric: false,
        },
    );
    columns.push(Column {
        label: t.ledger_updated(),
        sort: Some("updated"),
        numeric: false,
    });
    let rows = result
        .rows
        .iter()
        .map(|r| {
            let mut cells: Vec<String> = fields
                .iter()
                .map(|(f, _)| {
                    let kind = l.field(f).map_or(FieldKind::Text { max: 0 }, |x| x.kind);
                    shown(plan, kind, r.record.get(l, f))
                })
                .collect();
            cells.insert(1.min(cells.len()), unit_name(plan, &r.unit));
            cells.push(
                gaoxin_core::time::Date::of(gaoxin_core::time::Timestamp(r.updated_at))
                    .human(cx.lang.into()),
            );
            ListRow {
                id: r.id,
                cells,
                flags: record_flags(&cx, l, &r.record),
                sample: r.sample,
            }
        })
        .collect();
    let scope = readable_units(plan, w);
    let mut selects = vec![FilterSelect {
        name: "unit",
        label: t.zone_or_unit(),
        options: plan
            .units
            .iter()
            .filter(|u| scope.as_ref().is_none_or(|s| s.contains(&u.id)))
            .map(|u| Choice {
                value: u.id.clone(),
                label: u.name.clone(),
                selected: p.unit == u.id,
            })
            .collect(),
    }];
    for (name, slot, current) in [
        ("kind", l.slots.kind, &p.kind),
        ("grade", l.slots.grade, &p.grade),
    ] {
        if let Some((zh, en, options)) = code_options(plan, l, slot) {
            selects.push(FilterSelect {
                name,
                label: name_of(cx.lang, zh, en),
                options: options
                    .into_iter()
                    .map(|o| Choice {
                        selected: *current == o,
                        value: o.clone(),
                        label: o,
                    })
                    .collect(),
            });
        }
    }
    let notice = match (p.created, p.updated) {
        (Some(c), Some(u)) => Some(fill(t.ledger_imported(), &[&c, &u])),
        _ => None,
    };
    let view = ListPageView {
        c: cx.chrome(Nav::Ledgers),
        t,
        id: l.id,
        name: name_of(cx.lang, l.zh, l.en),
        about: l.about,
        q: p.q.clone(),
        selects,
        has_flag: l.flag.is_some(),
        flagged: p.flagged == "1",
        stall_days: l.stalls_except.map(|_| plan.monitoring.stage_days),
        stalled: p.stalled == "1",
        columns,
        rows,
        total: result.total,
        capped: result.capped,
        page: query.offset / PAGE_SIZE + 1,
        // Past the count's limit, pages go on beyond the last one counted.
        pages: ((result.total + PAGE_SIZE - 1) / PAGE_SIZE)
            .max(1)
            .max(query.offset / PAGE_SIZE + 1),
        filters: p.filters(),
        sort: query.sort.code(),
        desc: query.descending,
        counted,
        notice,
        may_edit: ledger::may_edit_any(plan, w, l),
        csrf: session.csrf_token.clone(),
    };
    cx.render(&view)
}

/// `GET /ledgers/{id}/export`: the filtered list as `.xlsx` (every matching row).
pub async fn export(
    cx: PageCtx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    let l = ledger_of(&cx, &id)?;
    let session = session_of(&cx)?;
    let (query, _) = list_query(&cx, l, session.account.who(), &p)?;
    let records: Vec<Record> = cx
        .state
        .store
        .ledger_all(l, &query)
        .await
        .map_err(|e| cx.fail(e))?
        .into_iter()
        .map(|r| r.record)
        .collect();
    let bytes = gaoxin_excel::ledger_export(&cx.stored.plan, l, &records, cx.sample)
        .map_err(|e| cx.fail(excel_failed(e)))?;
    Ok(xlsx_response(&format!("gaoxin-{}.xlsx", l.id), bytes))
}

fn excel_failed(e: gaoxin_excel::ExcelError) -> WebError {
    tracing::error!(error = %e, "workbook failed");
    WebError::BadRequest(crate::i18n::Msg::workbook_failed())
}

/// `GET /ledgers/{id}/template`: the ledger's Excel template.
pub async fn template(cx: PageCtx, Path(id): Path<String>) -> Result<Response, PageError> {
    let l = ledger_of(&cx, &id)?;
    let bytes = gaoxin_excel::ledger_template(&cx.stored.plan, l, cx.sample)
        .map_err(|e| cx.fail(excel_failed(e)))?;
    Ok(xlsx_response(
        &format!("gaoxin-{}-template.xlsx", l.id),
        bytes,
    ))
}

// ───────────────────────── one record ─────────────────────────

struct FormField {
    id: &'static str,
    label: &'static str,
    required: bool,
    hint: String,
    /// `text`, `date`, `select`.
    input: &'static str,
    value: String,
    options: Vec<Choice>,
    error: Option<String>,
    /// The stored value, shown beside a refused change.
    stored: Option<String>,
}

struct HistoryEntry {
    at: String,
    account: String,
    action: &'static str,
    version: i64,
    file: String,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "ledger_record.html")]
struct RecordPage {
    c: super::Chrome,
    t: Tr,
    id: &'static str,
    name: &'static str,
    /// `None` for a new record.
    record_id: Option<i64>,
    title: String,
    unit: String,
    version: i64,
    fields: Vec<FormField>,
    may_edit: bool,
    csrf: String,
    error: Option<String>,
    notice: Option<String>,
    flags: Vec<String>,
    sample: bool,
    history: Vec<HistoryEntry>,
    /// The credit code of the enterprise the record is (or is about): its 一企一档.
    profile: Option<String>,
}

fn form_fields(
    plan: &Plan,
    lang: Lang,
    l: &Ledger,
    values: &[String],
    errors: &[FieldError],
) -> Vec<FormField> {
    l.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let value = values.get(i).cloned().unwrap_or_default();
            let options: Vec<(String, String)> = match f.kind {
                FieldKind::Unit => plan
                    .units
                    .iter()
                    .map(|u| (u.id.clone(), u.name.clone()))
                    .collect(),
                kind => ledger::choices(plan, kind)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|o| (o.clone(), o))
                    .collect(),
            };
            let (zh, en) = expected(f.kind);
            let hint = if lang == Lang::Zh {
                if f.hint.is_empty() {
                    zh
                } else {
                    format!("{zh}。{}", f.hint)
                }
            } else {
                en
            };
            FormField {
                id: f.id,
                label: name_of(lang, f.zh, f.en),
                required: f.required,
                hint,
                input: if !options.is_empty() {
                    "select"
                } else if f.kind == FieldKind::Date {
                    "date"
                } else {
                    "text"
                },
                options: options
                    .into_iter()
                    .map(|(v, label)| Choice {
                        selected: v == value,
                        value: v,
                        label,
                    })
                    .collect(),
                value,
                error: errors.iter().find(|e| e.field == f.id).map(|e| {
                    if lang == Lang::Zh {
                        e.zh.clone()
                    } else {
                        e.en.clone()
                    }
                }),
                stored: None,
            }
        })
        .collect()
}

fn history_of(
    plan: &Plan,
    t: Tr,
    l: &Ledger,
    events: &[gaoxin_store::LedgerEvent],
    people: &super::People,
) -> Vec<HistoryEntry> {
    let mut out = Vec::new();
    let mut before: Option<&Record> = None;
    for e in events {
        let changes = l
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let new = e.record.values.get(i).map_or("", String::as_str);
                let old = before
                    .and_then(|b| b.values.get(i))
                    .map_or("", String::as_str);
                (before.is_some() && new != old).then(|| {
                    format!(
                        "{}：{} → {}",
                        name_of(t.lang, f.zh, f.en),
                        if old.is_empty() {
                            "—".to_string()
                        } else {
                            shown(plan, f.kind, old)
                        },
                        if new.is_empty() {
                            "—".to_string()
                        } else {
                            shown(plan, f.kind, new)
                        }
                    )
                })
            })
            .collect();
        out.push(HistoryEntry {
            at: gaoxin_core::time::Timestamp(e.at).human(t.lang.into()),
            account: people.show(&e.account),
            action: match e.action.as_str() {
                "create" => t.ledger_action_create(),
                "import" => t.ledger_action_import(),
                _ => t.ledger_action_update(),
            },
            version: e.version,
            file: e.file_name.clone().unwrap_or_default(),
            changes,
        });
        before = Some(&e.record);
    }
    out.reverse();
    out
}

/// Loads a record the reader may see.
async fn readable_record(
    cx: &PageCtx,
    l: &'static Ledger,
    rid: i64,
) -> Result<StoredRecord, PageError> {
    let session = session_of(cx)?;
    let record = cx
        .state
        .store
        .ledger_record(l, rid)
        .await
        .map_err(|e| cx.fail(e))?
        .ok_or_else(|| cx.fail(WebError::NotFound))?;
    let scope = readable_units(&cx.stored.plan, session.account.who());
    if scope.is_some_and(|s| !s.contains(&record.unit)) {
        return Err(cx.hidden(format!("ledger:{}/{rid}", l.id)).await);
    }
    Ok(record)
}

async fn record_page(
    cx: &PageCtx,
    l: &'static Ledger,
    stored: &StoredRecord,
    typed: Option<(&[String], &[FieldError])>,
    error: Option<String>,
    notice: Option<String>,
) -> Result<RecordPage, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(cx)?;
    let events = cx
        .state
        .store
        .ledger_history(l, stored.id)
        .await
        .map_err(|e| cx.fail(e))?;
    let (values, errors) = typed.unwrap_or((&stored.record.values, &[]));
    let mut fields = form_fields(plan, cx.lang, l, values, errors);
    if typed.is_some() {
        for (i, f) in fields.iter_mut().enumerate() {
            let s = stored.record.values.get(i).cloned().unwrap_or_default();
            if s != f.value {
                f.stored = Some(shown(plan, l.fields[i].kind, &s));
            }
        }
    }
    Ok(RecordPage {
        c: cx.chrome(Nav::Ledgers),
        t: cx.t,
        id: l.id,
        name: name_of(cx.lang, l.zh, l.en),
        record_id: Some(stored.id),
        title: l.title(&stored.record).to_string(),
        unit: unit_name(plan, &stored.unit),
        version: stored.version,
        fields,
        may_edit: ledger::may_edit(plan, session.account.who(), l, &stored.unit),
        csrf: session.csrf_token.clone(),
        error,
        notice,
        flags: record_flags(cx, l, &stored.record),
        sample: stored.sample,
        history: history_of(plan, cx.t, l, &events, &cx.people().await?),
        profile: if l.id == "enterprises" {
            Some(stored.natural_key.clone())
        } else if l.referenced().is_some_and(|r| r.id == "enterprises") {
            l.slot(l.slots.reference, &stored.record)
                .map(str::to_string)
        } else {
            None
        },
    })
}

/// `GET /ledgers/{id}/{record}`: a record, its history, and (for those who may) its edit form.
pub async fn record(
    cx: PageCtx,
    Path((id, rid)): Path<(String, i64)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let l = ledger_of(&cx, &id)?;
    let stored = readable_record(&cx, l, rid).await?;
    let notice = q
        .contains_key("saved")
        .then(|| cx.t.ledger_saved().to_string());
    let page = record_page(&cx, l, &stored, None, None, notice).await?;
    cx.render(&page)
}

/// The form's values as cells, in field order.
fn typed_cells(l: &Ledger, form: &HashMap<String, String>) -> (Vec<Cell>, Vec<String>) {
    let typed: Vec<String> = l
        .fields
        .iter()
        .map(|f| {
            form.get(&format!("f_{}", f.id))
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let cells = typed
        .iter()
        .map(|v| {
            if v.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(v.clone())
            }
        })
        .collect();
    (cells, typed)
}

/// Why a save was refused, in the reader's language; a database failure is an error page.
fn save_refusal(cx: &PageCtx, e: LedgerError) -> Result<String, PageError> {
    match e {
        LedgerError::Store(s) => Err(cx.fail(WebError::Store(s))),
        e => Ok(e.say(cx.lang.into())),
    }
}

/// `POST /ledgers/{id}/{record}`: saves a change over the version the form showed.
pub async fn record_post(
    cx: PageCtx,
    Path((id, rid)): Path<(String, i64)>,
    crate::extract::Form(form): crate::extract::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let l = ledger_of(&cx, &id)?;
    let session = session_of(&cx)?;
    let stored = readable_record(&cx, l, rid).await?;
    if !ledger::may_edit(plan, session.account.who(), l, &stored.unit) {
        return Err(cx.fail(WebError::Forbidden));
    }
    let version = super::form_version(&cx, &form)?;
    let (cells, typed) = typed_cells(l, &form);
    let record = match ledger::check(plan, l, &cells) {
        Ok((r, _)) => r,
        Err(errors) => {
            let message = Some(cx.t.ledger_form_errors().to_string());
            let page = record_page(&cx, l, &stored, Some((&typed, &errors)), message, None).await?;
            return Ok(super::respond(
                cx.lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                &page,
            ));
        }
    };
    match cx
        .state
        .store
        .ledger_save(
            plan,
            &session.account,
            l,
            Some((rid, version)),
            &record,
            cx.state.now(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/ledgers/{}/{rid}?saved=1", l.id)).into_response()),
        Err(e) => {
            let msg = save_refusal(&cx, e)?;
            // The stored record may have moved on: show its current values beside the form.
            let stored = readable_record(&cx, l, rid).await?;
            let page = record_page(&cx, l, &stored, Some((&typed, &[])), Some(msg), None).await?;
            Ok(super::respond(cx.lang, StatusCode::CONFLICT, &page))
        }
    }
}

fn new_page(
    cx: &PageCtx,
    l: &'static Ledger,
    session: &Session,
    values: &[String],
    errors: &[FieldError],
    error: Option<String>,
) -> RecordPage {
    RecordPage {
        c: cx.chrome(Nav::Ledgers),
        t: cx.t,
        id: l.id,
        name: name_of(cx.lang, l.zh, l.en),
        record_id: None,
        title: cx.t.ledger_new().to_string(),
        unit: String::new(),
        version: 0,
        fields: form_fields(&cx.stored.plan, cx.lang, l, values, errors),
        may_edit: true,
        csrf: session.csrf_token.clone(),
        error,
        notice: None,
        flags: Vec::new(),
        sample: false,
        history: Vec::new(),
        profile: None,
    }
}

/// `GET /ledgers/{id}/new`: an empty form.
pub async fn new_form(cx: PageCtx, Path(id): Path<String>) -> Result<Response, PageError> {
    let l = ledger_of(&cx, &id)?;
    let session = session_of(&cx)?;
    if !ledger::may_edit_any(&cx.stored.plan, session.account.who(), l) {
        return Err(cx.fail(WebError::Forbidden));
    }
    cx.render(&new_page(&cx, l, session, &[], &[], None))
}

/// `POST /ledgers/{id}/new`: creates a record.
pub async fn new_post(
    cx: PageCtx,
    Path(id): Path<String>,
    crate::extract::Form(form): crate::extract::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let l = ledger_of(&cx, &id)?;
    let session = session_of(&cx)?;
    if !ledger::may_edit_any(plan, session.account.who(), l) {
        return Err(cx.fail(WebError::Forbidden));
    }
    let (cells, typed) = typed_cells(l, &form);
    let refuse = |errors: &[FieldError], msg: String| {
        let page = new_page(&cx, l, session, &typed, errors, Some(msg));
        Ok(super::respond(
            cx.lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            &page,
        ))
    };
    let record = match ledger::check(plan, l, &cells) {
        Ok((r, _)) => r,
        Err(errors) => return refuse(&errors, cx.t.ledger_form_errors().to_string()),
    };
    match cx
        .state
        .store
        .ledger_save(plan, &session.account, l, None, &record, cx.state.now())
        .await
    {
        Ok((rid, _)) => {
            Ok(Redirect::to(&format!("/ledgers/{}/{rid}?saved=1", l.id)).into_response())
        }
        Err(e) => refuse(&[], save_refusal(&cx, e)?),
    }
}

// ───────────────────────── upload ─────────────────────────

#[derive(Template)]
#[template(path = "ledger_upload.html")]
struct UploadView {
    t: Tr,
    id: &'static str,
    csrf: String,
    refused: Option<String>,
    errors: Vec<RowMessage>,
    notes: Vec<RowMessage>,
    notes_total: usize,
    summary: String,
    token: String,
}

/// How many normalisation notes the dry run lists (the rest are counted).
const NOTES_SHOWN: usize = 200;

/// `POST /ledgers/{id}/upload` (multipart `file`): the dry run — every error by row and column,
/// or what the import would do and what was normalised, with a button to confirm.
pub async fn upload(
    cx: PageCtx,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let t = cx.t;
    let l = ledger_of(&cx, &id)?;
    let session = session_of(&cx)?;
    let mut view = UploadView {
        t,
        id: l.id,
        csrf: session.csrf_token.clone(),
        refused: None,
        errors: Vec::new(),
        notes: Vec::new(),
        notes_total: 0,
        summary: String::new(),
        token: String::new(),
    };
    let respond = |view: &UploadView| Ok(super::respond(cx.lang, StatusCode::OK, view));
    let (file_name, bytes) = match super::excel_upload(t, &mut multipart).await {
        Ok((name, bytes)) => (name.unwrap_or_else(|| "upload.xlsx".into()), bytes),
        Err(why) => {
            view.refused = Some(why.to_string());
            return respond(&view);
        }
    };
    let acting = cx.acting(&session.account);
    let upload = Upload {
        name: &file_name,
        bytes: bytes.into(),
    };
    let limits = &gaoxin_excel::Limits::LEDGER;
    let mode = ImportMode {
        dry_run: true,
        keep_rows: true,
    };
    let outcome = gaoxin_app::ledger::import(&acting, l, upload, limits, mode, &mut |_| {})
        .await
        .map_err(|e| cx.fail(e))?;
    let (parsed, report, hash) = match outcome {
        Import::Refused(e) => {
            view.refused = Some(e.say(cx.lang.into()));
            return respond(&view);
        }
        Import::Already(prior) => {
            view.refused = Some(fill(
                t.ledger_already_imported(),
                &[
                    &prior.file_name,
                    &gaoxin_core::time::Timestamp(prior.at).human(cx.lang.into()),
                    &prior.account,
                ],
            ));
            return respond(&view);
        }
        Import::Invalid(parsed) => {
            view.errors = row_messages(cx.lang, &parsed.errors);
            view.notes_total = parsed.notes.len();
            view.notes = row_messages(
                cx.lang,
                &parsed.notes[..parsed.notes.len().min(NOTES_SHOWN)],
            );
            if view.errors.is_empty() {
                view.refused = Some(t.ledger_upload_nothing().to_string());
            }
            return respond(&view);
        }
        Import::Checked {
            parsed,
            report,
            hash,
            ..
        } => (parsed, report, hash),
    };
    view.notes_total = parsed.notes.len();
    view.notes = row_messages(
        cx.lang,
        &parsed.notes[..parsed.notes.len().min(NOTES_SHOWN)],
    );
    view.errors = row_messages(cx.lang, &report.errors);
    if !view.errors.is_empty() {
        return respond(&view);
    }
    view.summary = fill(
        t.ledger_dry_run_summary(),
        &[
            &parsed.rows.len(),
            &report.created,
            &report.updated,
            &report.unchanged,
            &parsed.blank_rows,
            &parsed.example_rows,
        ],
    );
    view.token = gaoxin_app::ledger::keep(&acting, l, (&file_name, &hash), &parsed.rows)
        .await
        .map_err(|e| cx.fail(e))?;
    respond(&view)
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    token: String,
}

/// `POST /ledgers/{id}/upload/confirm`: imports a dry run's rows, all or none, checked again.
pub async fn upload_confirm(
    cx: PageCtx,
    Path(id): Path<String>,
    crate::extract::Form(f): crate::extract::Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let l = ledger_of(&cx, &id)?;
    let session = session_of(&cx)?;
    let acting = cx.acting(&session.account);
    match gaoxin_app::ledger::confirm(&acting, l, &f.token)
        .await
        .map_err(|e| cx.fail(e))?
    {
        Confirmed::Gone => Err(cx.fail(crate::pages::UPLOAD_GONE)),
        Confirmed::Refused(_) => Err(cx.fail(WebError::BadRequest(
            crate::i18n::Msg::ledger_recheck_failed(),
        ))),
        Confirmed::Imported(report) => Ok(Redirect::to(&format!(
            "/ledgers/{}?created={}&updated={}",
            l.id, report.created, report.updated
        ))
        .into_response()),
    }
}
