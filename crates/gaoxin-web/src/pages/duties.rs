//! 责任分工 — the responsibility matrix (tasks × departments) and a page per department.

use super::plan::{SubTargetView, subtarget_view};
use super::{Chrome, DeptLink, Nav, PageCtx, SourceLink, dept_links};
use crate::auth::ConnectInfoOr;
use crate::error::{PageError, WebError};
use crate::extract::Path;
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use gaoxin_core::plan::{Department, DepartmentKind, Plan, Role};

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/duties", business, page)
        .get("/departments/{id}", business, department)
}

#[derive(Template)]
#[template(path = "duties.html")]
struct DutiesPage {
    c: Chrome,
    t: Tr,
    departments: Vec<DeptColumn>,
    rows: Vec<MatrixRow>,
}

struct DeptColumn {
    id: String,
    name: String,
    implementing: bool,
    /// In the viewer's scope: its header links to its page.
    linkable: bool,
}

struct MatrixRow {
    label: String,
    title: String,
    group: Option<String>,
    /// The plan lists the leads with 等: others may share the lead.
    lead_and_others: bool,
    source: SourceLink,
    /// One per department column: None, or the role.
    cells: Vec<Option<Role>>,
}

pub async fn page(cx: PageCtx) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let scope = cx
        .session
        .as_ref()
        .map_or(gaoxin_core::auth::Scope::Nothing, crate::auth::scope);
    // The columns: every department that leads or carries out tasks (not the dispatch office,
    // not a department that only provides figures).
    let columns: Vec<&Department> = plan
        .departments
        .iter()
        .filter(|d| matches!(d.kind, DepartmentKind::Lead | DepartmentKind::Implementing))
        .collect();
    let departments: Vec<DeptColumn> = columns
        .iter()
        .map(|d| DeptColumn {
            id: d.id.clone(),
            name: d.name.clone(),
            implementing: d.kind == DepartmentKind::Implementing,
            linkable: scope.covers(&d.id),
        })
        .collect();
    let mut last_group = String::new();
    let rows = plan
        .tasks
        .iter()
        .map(|k| {
            let group = (k.group != last_group).then(|| {
                last_group = k.group.clone();
                plan.group(&k.group)
                    .map_or_else(String::new, |g| format!("{}{}", g.label, g.title))
            });
            MatrixRow {
                label: plan.task_label(k),
                title: k.title.clone(),
                group,
                lead_and_others: k.lead_and_others,
                source: SourceLink::of(&k.quote),
                cells: columns.iter().map(|d| plan.role(k, &d.id)).collect(),
            }
        })
        .collect();
    let page = DutiesPage {
        c: cx.chrome(Nav::Duties),
        t: cx.t,
        departments,
        rows,
    };
    cx.render(&page)
}

#[derive(Template)]
#[template(path = "department.html")]
struct DepartmentPage {
    c: Chrome,
    t: Tr,
    d: DepartmentView,
}

#[derive(Template)]
#[template(path = "department_panel.html")]
struct DepartmentPanel {
    t: Tr,
    d: DepartmentView,
}

struct DepartmentView {
    id: String,
    /// It leads a task: the task board filtered to its tasks is one link away.
    leads: bool,
    name: String,
    kind: &'static str,
    heading: String,
    counts: String,
    tasks: Vec<DeptTask>,
}

struct DeptTask {
    label: String,
    title: String,
    lead: bool,
    co_leads: Vec<DeptLink>,
    source: SourceLink,
    subtargets: Vec<SubTargetView>,
}

fn department_view(plan: &Plan, id: &str, t: Tr) -> Option<DepartmentView> {
    let d = plan.department(id)?;
    let tasks = plan.tasks_of_department(id);
    let leads = tasks.iter().filter(|(_, r)| *r == Role::Lead).count();
    Some(DepartmentView {
        id: d.id.clone(),
        leads: leads > 0,
        name: d.name.clone(),
        kind: match d.kind {
            DepartmentKind::Lead => t.department_kind_lead(),
            DepartmentKind::Implementing => t.department_kind_implementing(),
            DepartmentKind::Dispatch => t.department_kind_dispatch(),
            DepartmentKind::Source => t.department_kind_source(),
        },
        heading: fill(t.department_title(), &[&d.name]),
        counts: fill(t.department_counts(), &[&leads, &(tasks.len() - leads)]),
        tasks: tasks
            .into_iter()
            .map(|(k, role)| {
                let others: Vec<String> = k
                    .lead
                    .iter()
                    .filter(|x| x.as_str() != id)
                    .cloned()
                    .collect();
                DeptTask {
                    label: plan.task_label(k),
                    title: k.title.clone(),
                    lead: role == Role::Lead,
                    co_leads: dept_links(plan, &others),
                    source: SourceLink::of(&k.quote),
                    subtargets: plan
                        .subtargets_of(&k.id)
                        .map(|s| subtarget_view(s, t))
                        .collect(),
                }
            })
            .collect(),
    })
}

/// A department's tasks: the full page, or just the panel when htmx asks for it.
pub async fn department(
    cx: PageCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    ConnectInfoOr(ip): ConnectInfoOr,
) -> Result<Response, PageError> {
    let t = cx.t;
    // A department's page is its record: a unit sees its own, the dispatcher and leaders all.
    if let Some(session) = &cx.session
        && !crate::auth::scope(session).covers(&id)
    {
        return Err(cx.fail(
            crate::auth::out_of_scope(&cx.state, session, &ip, format!("department:{id}")).await,
        ));
    }
    let d = department_view(&cx.stored.plan, &id, t).ok_or_else(|| cx.fail(WebError::NotFound))?;
    let mut resp = if headers.contains_key("hx-request") {
        cx.render(&DepartmentPanel { t, d })?
    } else {
        cx.render(&DepartmentPage {
            c: cx.chrome(Nav::Duties),
            t,
            d,
        })?
    };
    // The same address answers with a panel or a page: caches must keep them apart.
    resp.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("HX-Request"));
    Ok(resp)
}
