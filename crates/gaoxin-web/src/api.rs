//! The JSON API under `/api/v1/`: what the pages show, for other systems. Described by
//! `openapi.rs`; the rows come from the domain's tables, as the CLI's do.

use crate::auth::{Access, ConnectInfoOr, SignedIn};
use crate::extract::{Path, Query};
use crate::routes::Routes;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::State;
use gaoxin_core::plan::{
    Department, Plan, Role, SubTarget, TargetRow, TaskRow, target_rows, task_rows,
};
use gaoxin_store::PlanVersion;
use serde::{Deserialize, Serialize};

pub(crate) fn routes() -> Routes {
    let business = Access::Needs(gaoxin_core::auth::Capability::ReadBusiness);
    Routes::new()
        .method(
            "POST",
            "/session",
            Access::Public,
            axum::routing::post(crate::account::signin::api_login).layer(
                axum::extract::DefaultBodyLimit::max(crate::account::signin::LOGIN_BODY_MAX),
            ),
        )
        .delete(
            "/session",
            Access::SignedIn,
            crate::account::signin::api_logout,
        )
        .get("/plan", business, plan)
        .get("/plan/versions", business, versions)
        .get("/targets", business, targets)
        .get("/tasks", business, tasks)
        .get("/subtargets", business, subtargets)
        .get("/departments", business, departments)
        .get("/departments/{id}", business, department)
        .get("/cockpit/{zone}", business, cockpit)
        .get("/status", business, status)
        .get("/benchmark/{zone}", business, benchmark)
        .fallback(|| async { WebError::NotFound })
}

#[derive(Serialize)]
struct PlanSummary {
    id: String,
    title: String,
    edition: String,
    period: gaoxin_core::plan::Period,
    version: PlanVersion,
    zones: Vec<ZoneSummary>,
    counts: Counts,
}

#[derive(Serialize)]
struct ZoneSummary {
    id: String,
    name: String,
    share_base: Option<String>,
}

#[derive(Serialize)]
struct Counts {
    targets: usize,
    tasks: usize,
    subtargets: usize,
    departments: usize,
}

async fn plan(State(state): State<AppState>) -> Result<Json<PlanSummary>, WebError> {
    let stored = state.plan().await?;
    let p = &stored.plan;
    Ok(Json(PlanSummary {
        id: p.id.clone(),
        title: p.title.clone(),
        edition: p.edition.clone(),
        period: p.period,
        version: stored.version.clone(),
        zones: p
            .zones()
            .map(|z| ZoneSummary {
                id: z.id.clone(),
                name: z.name.clone(),
                share_base: z.share_base.clone(),
            })
            .collect(),
        counts: Counts {
            targets: p.targets.len(),
            tasks: p.tasks.len(),
            subtargets: p.subtargets.len(),
            departments: p.departments.len(),
        },
    }))
}

async fn versions(State(state): State<AppState>) -> Result<Json<Vec<PlanVersion>>, WebError> {
    Ok(Json(state.store.plan_versions().await?))
}

async fn targets(State(state): State<AppState>) -> Result<Json<Vec<TargetRow>>, WebError> {
    Ok(Json(target_rows(&state.plan().await?.plan)))
}

#[derive(Deserialize)]
struct TasksQuery {
    #[serde(default)]
    include_safeguards: bool,
}

async fn tasks(
    State(state): State<AppState>,
    Query(q): Query<TasksQuery>,
) -> Result<Json<Vec<TaskRow>>, WebError> {
    Ok(Json(task_rows(
        &state.plan().await?.plan,
        q.include_safeguards,
    )))
}

async fn subtargets(State(state): State<AppState>) -> Result<Json<Vec<SubTarget>>, WebError> {
    Ok(Json(state.plan().await?.plan.subtargets.clone()))
}

#[derive(Serialize)]
struct DepartmentDuties {
    #[serde(flatten)]
    department: Department,
    lead_tasks: Vec<String>,
    implementing_tasks: Vec<String>,
}

fn duties(plan: &Plan, d: &Department) -> DepartmentDuties {
    let tasks = plan.tasks_of_department(&d.id);
    let of = |role| {
        tasks
            .iter()
            .filter(|(_, r)| *r == role)
            .map(|(k, _)| k.id.clone())
            .collect()
    };
    DepartmentDuties {
        department: d.clone(),
        lead_tasks: of(Role::Lead),
        implementing_tasks: of(Role::Implementing),
    }
}

/// The departments in the caller's scope.
async fn departments(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
) -> Result<Json<Vec<DepartmentDuties>>, WebError> {
    let stored = state.plan().await?;
    let scope = crate::auth::scope(&session);
    Ok(Json(
        stored
            .plan
            .departments
            .iter()
            .filter(|d| scope.covers(&d.id))
            .map(|d| duties(&stored.plan, d))
            .collect(),
    ))
}

async fn department(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    ConnectInfoOr(ip): ConnectInfoOr,
    Path(id): Path<String>,
) -> Result<Json<DepartmentDuties>, WebError> {
    if !crate::auth::scope(&session).covers(&id) {
        return Err(
            crate::auth::out_of_scope(&state, &session, &ip, format!("department:{id}")).await,
        );
    }
    let stored = state.plan().await?;
    let d = stored.plan.department(&id).ok_or(WebError::NotFound)?;
    Ok(Json(duties(&stored.plan, d)))
}

#[derive(Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

/// One target's standing, as the cockpit shows it.
#[derive(Serialize)]
struct IndicatorStatus {
    indicator: String,
    name: String,
    unit: String,
    comparator: gaoxin_core::plan::Comparator,
    target: f64,
    status: gaoxin_core::monitor::Status,
    period: Option<gaoxin_core::monitor::YearMonth>,
    actual: Option<f64>,
    expected: Option<f64>,
    expected_rule: Option<gaoxin_core::monitor::Expected>,
    gap: Option<f64>,
    tolerance: Option<f64>,
    forecast: Option<gaoxin_core::monitor::Forecast>,
    flags: Vec<gaoxin_core::monitor::Flag>,
    inputs: Vec<gaoxin_core::monitor::Input>,
}

#[derive(Serialize)]
struct ZoneStatus {
    zone: String,
    name: String,
    period: gaoxin_core::monitor::YearMonth,
    /// Sample data (示例数据) is loaded: the figures are not official statistics.
    sample_data: bool,
    indicators: Vec<IndicatorStatus>,
}

#[derive(Serialize)]
struct CityStatus {
    period: gaoxin_core::monitor::YearMonth,
    sample_data: bool,
    summary: gaoxin_core::monitor::Summary,
    zones: Vec<ZoneStatus>,
    subtarget_summary: gaoxin_core::monitor::Summary,
    subtargets: Vec<SubTargetStatus>,
}

/// A quantified sub-target of a task for a zone (or the zones together), judged for its year.
#[derive(Serialize)]
struct SubTargetStatus {
    name: String,
    unit: String,
    #[serde(flatten)]
    evaluation: gaoxin_core::monitor::subtarget::SubEvaluation,
}

fn subtarget_status(
    plan: &Plan,
    e: gaoxin_core::monitor::subtarget::SubEvaluation,
) -> SubTargetStatus {
    let s = plan.subtargets.iter().find(|s| s.id == e.subtarget);
    SubTargetStatus {
        name: s.map_or_else(|| e.subtarget.clone(), |s| s.name.clone()),
        unit: s.map_or_else(String::new, |s| s.unit.clone()),
        evaluation: e,
    }
}

fn indicator_status(plan: &Plan, e: gaoxin_core::monitor::Evaluation) -> IndicatorStatus {
    let ind = plan.indicator(&e.indicator);
    IndicatorStatus {
        name: ind.map_or_else(|| e.indicator.clone(), |i| i.name.clone()),
        unit: ind.map_or_else(String::new, |i| i.unit.clone()),
        flags: e.flags(),
        indicator: e.indicator,
        comparator: e.comparator,
        target: e.target,
        status: e.status,
        period: e.period,
        actual: e.actual,
        expected: e.expected,
        expected_rule: e.expected_rule,
        gap: e.gap,
        tolerance: e.tolerance,
        forecast: e.forecast,
        inputs: e.inputs,
    }
}

fn zone_status_of(
    plan: &Plan,
    zone: &gaoxin_core::plan::Unit,
    at: gaoxin_core::monitor::YearMonth,
    sample_data: bool,
    evaluations: Vec<gaoxin_core::monitor::Evaluation>,
) -> ZoneStatus {
    ZoneStatus {
        zone: zone.id.clone(),
        name: zone.name.clone(),
        period: at,
        sample_data,
        indicators: evaluations
            .into_iter()
            .map(|e| indicator_status(plan, e))
            .collect(),
    }
}

/// `GET /api/v1/cockpit/{zone}?period=YYYY-MM`: one zone's targets at a period.
async fn cockpit(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path(zone): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<ZoneStatus>, WebError> {
    let stored = state.plan().await?;
    let plan = &stored.plan;
    let z = plan
        .zones()
        .find(|z| z.id == zone)
        .ok_or(WebError::NotFound)?;
    let at = crate::pages::monitor::period_of(q.period.as_deref(), state.now())?;
    let acting = gaoxin_app::Acting::account(&state.store, plan, &session.account, state.now());
    let status = gaoxin_app::monitor::status(&acting, Some(&[&z.id]), at).await?;
    let sample = state.store.has_sample_data().await?;
    let evaluations = status.evaluations().cloned().collect();
    Ok(Json(zone_status_of(plan, z, at, sample, evaluations)))
}

/// `GET /api/v1/status?period=YYYY-MM`: every zone's targets at a period, with the city summary,
/// and the tasks' sub-targets, each judged for its own year.
async fn status(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<CityStatus>, WebError> {
    let stored = state.plan().await?;
    let plan = &stored.plan;
    let at = crate::pages::monitor::period_of(q.period.as_deref(), state.now())?;
    let acting = gaoxin_app::Acting::account(&state.store, plan, &session.account, state.now());
    let status = gaoxin_app::monitor::status(&acting, None, at).await?;
    let sample = state.store.has_sample_data().await?;
    let summary = status.summary();
    let subtarget_summary = status.subtarget_summary();
    let zones = status
        .zones
        .into_iter()
        .map(|z| zone_status_of(plan, z.zone, at, sample, z.evaluations))
        .collect();
    Ok(Json(CityStatus {
        period: at,
        sample_data: sample,
        summary,
        zones,
        subtarget_summary,
        subtargets: status
            .subtargets
            .into_iter()
            .map(|e| subtarget_status(plan, e))
            .collect(),
    }))
}

#[derive(Deserialize)]
struct BenchmarkQuery {
    framework: Option<String>,
    year: Option<i32>,
    method: Option<String>,
}

/// `GET /api/v1/benchmark/{zone}?framework=&year=&method=`: the zone's standing under its
/// evaluation, estimated (what the 对标分析 page shows, without what-if values).
async fn benchmark(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path(zone): Path<String>,
    Query(q): Query<BenchmarkQuery>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    use gaoxin_core::text::Message;
    let stored = state.plan().await?;
    let plan = &stored.plan;
    let z = plan
        .zones()
        .find(|z| z.id == zone)
        .ok_or(WebError::NotFound)?;
    let method = match q.method.as_deref() {
        None | Some("") => gaoxin_core::benchmarking::Method::MinMax,
        Some(m) => gaoxin_core::benchmarking::Method::from_id(m)
            .ok_or(WebError::BadRequest(crate::i18n::Msg::bm_bad_method()))?,
    };
    let acting = gaoxin_app::Acting::account(&state.store, plan, &session.account, state.now());
    let query = gaoxin_app::benchmarking::Query {
        zone: z.id.clone(),
        framework: q.framework.filter(|f| !f.is_empty()),
        data_year: q.year,
        method,
        what_if: Vec::new(),
    };
    Ok(
        match gaoxin_app::benchmarking::analyse(&acting, &query).await? {
            Ok(analysis) => Json(analysis.json()).into_response(),
            Err(missing) => {
                let text = missing.text();
                (
                    axum::http::StatusCode::NOT_FOUND,
                    Json(crate::error::error_json(
                        "not_available",
                        &text.zh,
                        &text.en,
                    )),
                )
                    .into_response()
            }
        },
    )
}
