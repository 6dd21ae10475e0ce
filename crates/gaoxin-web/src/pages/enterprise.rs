//! 一企一档: `/enterprises?q=` finds an enterprise by part of its name or the start of its credit
//! code; `/enterprises/{code}` shows it with every ledger's records about it (qualifications,
//! annual statistics, energy audits by code; platforms it hosts, projects it invests in, talents
//! it employs by name) and a timeline, within the reader's units (another unit's enterprise is
//! 404). From `gaoxin_app::ledger::enterprise_profile`.

use super::ledger::name_of;
use super::{Chrome, Nav, PageCtx, session_of, unit_name};
use crate::error::{PageError, WebError};
use crate::extract::{Path, Query};
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::Response;
use std::collections::HashMap;

pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new().get("/enterprises", business, search).get(
        "/enterprises/{code}",
        business,
        profile,
    )
}

struct Found {
    code: String,
    name: String,
    unit: String,
    sample: bool,
}

#[derive(Template)]
#[template(path = "enterprise_search.html")]
struct SearchPage {
    c: Chrome,
    t: Tr,
    q: String,
    found: Vec<Found>,
}

/// `GET /enterprises?q=`.
pub async fn search(
    cx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let text: String = q
        .get("q")
        .map(|s| s.trim().chars().take(100).collect())
        .unwrap_or_default();
    let rows = gaoxin_app::ledger::find_enterprises(&cx.acting(&session.account), &text, 50)
        .await
        .map_err(|e| cx.fail(e))?;
    let l = gaoxin_core::ledger::Ledger::find("enterprises");
    let page = SearchPage {
        c: cx.chrome(Nav::Ledgers),
        t: cx.t,
        q: text,
        found: rows
            .iter()
            .map(|r| Found {
                code: r.natural_key.clone(),
                name: l.map_or("", |l| l.title(&r.record)).to_string(),
                unit: unit_name(plan, &r.unit),
                sample: r.sample,
            })
            .collect(),
    };
    cx.render(&page)
}

struct Row {
    href: String,
    title: String,
    cells: Vec<String>,
}

struct SectionView {
    id: &'static str,
    name: &'static str,
    headings: Vec<&'static str>,
    rows: Vec<Row>,
    more: Option<String>,
}

struct MomentView {
    day: String,
    ledger: &'static str,
    href: String,
    title: String,
    what: String,
}

/// What the enterprise does to its zone's 对标分析.
struct BenchmarkingView {
    lead: String,
    href: Option<String>,
    lines: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "enterprise.html")]
struct ProfilePage {
    c: Chrome,
    t: Tr,
    name: String,
    code: String,
    unit: String,
    sample: bool,
    facts: Vec<(&'static str, String)>,
    sections: Vec<SectionView>,
    timeline: Vec<MomentView>,
    benchmarking: Option<BenchmarkingView>,
}

/// `GET /enterprises/{code}`.
pub async fn profile(cx: PageCtx, Path(code): Path<String>) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let code = code.trim().to_uppercase();
    let Some(p) = gaoxin_app::ledger::enterprise_profile(&cx.acting(&session.account), &code)
        .await
        .map_err(|e| cx.fail(e))?
    else {
        return Err(cx.fail(WebError::NotFound));
    };
    let Some(el) = gaoxin_core::ledger::Ledger::find("enterprises") else {
        return Err(cx.fail(WebError::NotFound));
    };
    let lang = cx.lang;
    let facts = el
        .fields
        .iter()
        .zip(&p.enterprise.record.values)
        .filter(|(f, v)| !v.is_empty() && f.id != "uscc" && f.id != "name" && f.id != "unit")
        .map(|(f, v)| (name_of(lang, f.zh, f.en), v.clone()))
        .collect();
    let sections = p
        .sections
        .iter()
        .map(|s| {
            let l = s.ledger;
            // The ledger's fields but the enterprise's own (its code and name) and its notes.
            let shown: Vec<usize> = l
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    !matches!(f.id, "uscc" | "enterprise" | "remark" | "note")
                        && Some(f.id) != l.slots.reference
                        && f.id != l.slots.name
                })
                .map(|(i, _)| i)
                .take(6)
                .collect();
            SectionView {
                id: l.id,
                name: name_of(lang, l.zh, l.en),
                headings: shown
                    .iter()
                    .map(|i| name_of(lang, l.fields[*i].zh, l.fields[*i].en))
                    .collect(),
                rows: s
                    .records
                    .iter()
                    .map(|r| Row {
                        href: format!("/ledgers/{}/{}", l.id, r.id),
                        title: l.title(&r.record).to_string(),
                        cells: shown
                            .iter()
                            .map(|i| {
                                let v = r.record.values.get(*i).cloned().unwrap_or_default();
                                match l.fields[*i].kind {
                                    gaoxin_core::ledger::FieldKind::Unit => unit_name(plan, &v),
                                    // Days as people write them.
                                    gaoxin_core::ledger::FieldKind::Date => {
                                        gaoxin_core::time::Date::parse(&v)
                                            .map_or(v, |d| d.human(lang.into()))
                                    }
                                    _ => v,
                                }
                            })
                            .collect(),
                    })
                    .collect(),
                more: (s.total > s.records.len() as i64)
                    .then(|| fill(t.profile_more(), &[&s.total, &s.records.len()])),
            }
        })
        .collect();
    let timeline = p
        .timeline
        .iter()
        .map(|m| MomentView {
            day: gaoxin_core::time::Date::parse(&m.day)
                .map_or_else(|| m.day.clone(), |d| d.human(lang.into())),
            ledger: name_of(lang, m.ledger.zh, m.ledger.en),
            href: format!("/ledgers/{}/{}", m.ledger.id, m.record),
            title: m.title.clone(),
            what: m.what.clone(),
        })
        .collect();
    let acting = cx.acting(&session.account);
    let benchmarking = gaoxin_app::benchmarking::contribution(
        &acting,
        &p.enterprise.natural_key,
        &p.enterprise.unit,
    )
    .await
    .map_err(|e| cx.fail(e))?
    .map(|b| BenchmarkingView {
        lead: fill(t.profile_bm_lead(), &[&b.framework, &b.data_year]),
        href: b.zone_href,
        lines: b
            .lines
            .iter()
            .map(|(i, l)| (i.clone(), l.get(lang.into()).to_string()))
            .collect(),
    });
    let page = ProfilePage {
        benchmarking,
        c: cx.chrome(Nav::Ledgers),
        t,
        name: el.title(&p.enterprise.record).to_string(),
        code: p.enterprise.natural_key.clone(),
        unit: unit_name(plan, &p.enterprise.unit),
        sample: p.enterprise.sample,
        facts,
        sections,
        timeline,
    };
    cx.render(&page)
}
