//! Excel 导入 — the template of what an account enters, the upload with its dry run, and the confirmation.

use super::cockpit::period_of;
use super::entry::*;
use crate::error::{PageError, WebError};
use crate::extract::Query;
use crate::i18n::{Lang, Tr, fill};
use crate::pages::{PageCtx, RowMessage, respond, row_messages, session_of, unit_name, with_unit};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use gaoxin_app::monitor::{FiguresFile, FiguresImport};
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::monitor::workflow::entry_figures;
use gaoxin_core::text::Message;
use serde::Deserialize;
use std::collections::HashMap;

/// `GET /figures/template?unit=&period=`: the Excel template of what this account enters for
/// the unit and period: names, units and last period's values filled in.
pub async fn template(cx: PageCtx, Query(q): Query<EntryQuery>) -> Result<Response, PageError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let plan = &cx.stored.plan;
    let t = cx.t;
    let session = session_of(&cx)?;
    let w = session.account.who();
    let period = period_of(q.period.as_deref(), cx.state.now()).map_err(|e| cx.fail(e))?;
    let unit = q.unit.unwrap_or_default();
    let figures = entry_figures(plan, w, &unit, period);
    if figures.is_empty() {
        return Err(cx.fail(WebError::NotFound));
    }
    let store = &cx.state.store;
    let mut rows = Vec::new();
    for f in figures {
        let Around {
            current, previous, ..
        } = values_around(store, &unit, f, period)
            .await
            .map_err(|e| cx.fail(e))?;
        rows.push(gaoxin_excel::TemplateRow {
            zone: unit.clone(),
            zone_name: unit_name(plan, &unit),
            figure: f.id.clone(),
            figure_name: f.name.clone(),
            unit: f.unit.clone(),
            period: period.to_string(),
            previous: previous.map(|v| v.value),
            value: current.as_ref().map(|v| v.value),
            explanation: current.map(|v| v.explanation).unwrap_or_default(),
        });
    }
    let workbook = gaoxin_excel::figures_template(&gaoxin_excel::FiguresTemplate {
        title: format!("{} {period} {}", unit_name(plan, &unit), t.figures_title()),
        rows,
        instructions: crate::i18n::TEMPLATE_INSTRUCTIONS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        sample: cx.sample,
    })
    .map_err(|e| {
        tracing::error!(error = %e, "template failed");
        cx.fail(WebError::BadRequest(crate::i18n::Msg::template_failed()))
    })?;
    let name = format!("gaoxin-figures-{unit}-{period}.xlsx");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        workbook,
    )
        .into_response())
}

pub(super) struct UploadRow {
    line: usize,
    unit: String,
    figure: String,
    period: String,
    value: String,
}

#[derive(Template)]
#[template(path = "figures_upload.html")]
pub(super) struct UploadReport {
    t: Tr,
    csrf: String,
    /// The refusal of the file as a whole.
    refused: Option<String>,
    errors: Vec<RowMessage>,
    rows: Vec<UploadRow>,
    /// The dry run's rows wait on the server under this token for the confirmation, where
    /// everything is checked again.
    token: String,
}

pub(super) fn upload_report(cx: &PageCtx, csrf: String) -> UploadReport {
    UploadReport {
        t: cx.t,
        csrf,
        refused: None,
        errors: Vec::new(),
        rows: Vec::new(),
        token: String::new(),
    }
}

/// `POST /figures/upload` (multipart, `file`): reads the workbook and does a dry run — every
/// error by row and column, or the rows that would be imported, with a button to import them.
pub async fn upload(
    cx: PageCtx,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let session = session_of(&cx)?;
    let mut report = upload_report(&cx, session.csrf_token.clone());
    let (file_name, bytes) = match crate::pages::excel_upload(cx.t, &mut multipart).await {
        Ok((name, bytes)) => (crate::pages::short_name(name), bytes),
        Err(why) => {
            report.refused = Some(why.to_string());
            return Ok(respond(cx.lang, StatusCode::OK, &report));
        }
    };
    let acting = cx.acting(&session.account);
    let file = FiguresFile::Workbook {
        bytes: &bytes,
        limits: &gaoxin_excel::Limits::FIGURES,
    };
    let outcome = gaoxin_app::monitor::import_figures(&acting, file, true)
        .await
        .map_err(|e| cx.fail(e))?;
    match outcome {
        FiguresImport::Refused(e) => report.refused = Some(e.say(cx.lang.into())),
        FiguresImport::Invalid(errors) => report.errors = row_messages(cx.lang, &errors),
        FiguresImport::Empty => report.refused = Some(cx.t.upload_nothing().to_string()),
        FiguresImport::Checked {
            rows,
            report: result,
        } => {
            report.errors = row_messages(cx.lang, &result.errors);
            if report.errors.is_empty() {
                for r in &rows {
                    let (u, f) = gaoxin_core::monitor::workflow::resolve(plan, &r.unit, &r.figure)
                        .map(|(u, f)| (u.name.clone(), f))
                        .map_err(|_| cx.fail(WebError::NotFound))?;
                    report.rows.push(UploadRow {
                        line: r.line,
                        unit: u,
                        figure: f.name.clone(),
                        period: r.period.to_string(),
                        value: with_unit(r.value, &f.unit),
                    });
                }
                report.token =
                    gaoxin_app::monitor::keep_figures(&acting, &file_name, &bytes, &rows)
                        .await
                        .map_err(|e| cx.fail(e))?;
            }
        }
    }
    Ok(respond(cx.lang, StatusCode::OK, &report))
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    token: String,
}

/// `POST /figures/upload/confirm`: imports the rows of a dry run, all or none, checked again.
pub async fn upload_confirm(
    cx: PageCtx,
    crate::extract::Form(f): crate::extract::Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let t = cx.t;
    let session = session_of(&cx)?;
    let acting = cx.acting(&session.account);
    let Some((rows, result)) = gaoxin_app::monitor::confirm_figures(&acting, &f.token)
        .await
        .map_err(|e| cx.fail(e))?
    else {
        return Err(cx.fail(crate::pages::UPLOAD_GONE));
    };
    let first = rows.first();
    let unit = first.map(|r| r.unit.clone());
    let period = first.map_or_else(|| YearMonth::current(cx.state.now()), |r| r.period);
    let failed = !result.errors.is_empty();
    let error = failed.then(|| {
        let mut msg = t.upload_refused_now().to_string();
        for e in &result.errors {
            msg.push_str(&format!(
                " {}",
                fill(
                    t.upload_row_error(),
                    &[
                        &e.line,
                        &e.column,
                        &if cx.lang == Lang::Zh { &e.zh } else { &e.en }
                    ]
                )
            ));
        }
        msg
    });
    entry_page(
        &cx,
        EntryInput {
            unit,
            period,
            notice: (!failed).then(|| fill(t.upload_imported(), &[&result.applied])),
            error,
            row_errors: HashMap::new(),
            typed: HashMap::new(),
            status: if failed {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            },
        },
    )
    .await
}
