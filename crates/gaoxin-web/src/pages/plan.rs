//! 方案 — the plan's structure, each part linked to its sentence; and the plan text in full.

use super::{Chrome, DeptLink, Nav, PageCtx, SourceLink, dept_links, target_text};
use crate::error::PageError;
use crate::i18n::{Tr, fill};
use askama::Template;
use axum::response::Response;
use gaoxin_core::plan::{Cadence, Plan, Quote, Scope, SubTarget, TaskKind, TextSegment};

/// The routes of these pages, each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, Routes};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    Routes::new()
        .get("/plan", business, page)
        .get("/plan/text", business, text)
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    t: Tr,
    goals: Vec<GoalView>,
    key_groups: Vec<GroupView>,
    safeguards: Vec<GroupView>,
    implementing: Vec<DeptLink>,
    implementing_source: SourceLink,
    versions: Vec<VersionRow>,
}

struct VersionRow {
    plan_key: String,
    version_no: i64,
    current: bool,
    edition: String,
    title: String,
    source_name: String,
    target_count: i64,
    task_count: i64,
    loaded_at: String,
    content_sha256: String,
    short_digest: String,
}

struct GoalView {
    zone: String,
    summary: String,
    years: Vec<(i32, usize)>,
}

pub(crate) struct GroupView {
    pub label: String,
    pub title: String,
    pub source: SourceLink,
    pub tasks: Vec<TaskView>,
}

pub(crate) struct TaskView {
    pub id: String,
    pub label: String,
    pub title: String,
    pub lead: Vec<DeptLink>,
    pub lead_and_others: bool,
    pub implementing: Vec<DeptLink>,
    pub source: SourceLink,
    pub subtargets: Vec<SubTargetView>,
}

pub(crate) struct SubTargetView {
    pub name: String,
    pub target: String,
    pub scope: &'static str,
    pub cadence: String,
    pub source: SourceLink,
}

pub(crate) fn subtarget_view(s: &SubTarget, t: Tr) -> SubTargetView {
    SubTargetView {
        name: s.name.clone(),
        target: target_text(s.comparator, s.value, s.max, &s.unit),
        scope: match s.scope {
            Scope::AllZones => t.scope_all_zones(),
            Scope::EachZone => t.scope_each_zone(),
        },
        cadence: match s.cadence {
            Cadence::Once => fill(
                t.cadence_once(),
                &[&s.year.map_or(String::new(), |y| y.to_string())],
            ),
            Cadence::Yearly => t.cadence_yearly().to_string(),
            Cadence::Standing => t.cadence_standing().to_string(),
        },
        source: SourceLink::of(&s.quote),
    }
}

pub(crate) fn group_views(plan: &Plan, kind: TaskKind, t: Tr) -> Vec<GroupView> {
    plan.groups
        .iter()
        .filter(|g| g.kind == kind)
        .map(|g| GroupView {
            label: g.label.clone(),
            title: g.title.clone(),
            source: SourceLink::of(&g.quote),
            tasks: plan
                .tasks_in(&g.id)
                .map(|k| TaskView {
                    id: k.id.clone(),
                    label: plan.task_label(k),
                    title: k.title.clone(),
                    lead: dept_links(plan, &k.lead),
                    lead_and_others: k.lead_and_others,
                    implementing: dept_links(plan, &k.implementing),
                    source: SourceLink::of(&k.quote),
                    subtargets: plan
                        .subtargets_of(&k.id)
                        .map(|s| subtarget_view(s, t))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

pub async fn page(cx: PageCtx) -> Result<Response, PageError> {
    let versions = cx
        .state
        .store
        .plan_versions()
        .await
        .map_err(|e| cx.fail(e))?;
    let plan = &cx.stored.plan;
    let t = cx.t;
    let goals = plan
        .zones()
        .map(|z| {
            let count = plan.targets_of(&z.id).count();
            GoalView {
                zone: z.name.clone(),
                summary: fill(t.goals_summary(), &[&count]),
                years: plan
                    .period
                    .years()
                    .map(|y| (y, plan.targets_of(&z.id).filter(|x| x.year == y).count()))
                    .collect(),
            }
        })
        .collect();
    let page = PlanPage {
        c: cx.chrome(Nav::Plan),
        t,
        goals,
        key_groups: group_views(plan, TaskKind::Key, t),
        safeguards: group_views(plan, TaskKind::Safeguard, t),
        implementing: dept_links(plan, &plan.implementing_units),
        implementing_source: SourceLink::of(&plan.implementing_quote),
        versions: versions
            .into_iter()
            .rev()
            .map(|v| VersionRow {
                current: v.id == cx.stored.version.id,
                short_digest: v.content_sha256.chars().take(12).collect(),
                plan_key: v.plan_key,
                version_no: v.version_no,
                edition: v.edition,
                title: v.title,
                source_name: v.source_name,
                target_count: v.target_count,
                task_count: v.task_count,
                loaded_at: v.loaded_at,
                content_sha256: v.content_sha256,
            })
            .collect(),
    };
    cx.render(&page)
}

#[derive(Template)]
#[template(path = "plan_text.html")]
struct TextPage {
    c: Chrome,
    t: Tr,
    paragraphs: Vec<Vec<TextSegment>>,
}

pub async fn text(cx: PageCtx) -> Result<Response, PageError> {
    let plan = &cx.stored.plan;
    let quotes: Vec<&Quote> = std::iter::once(&plan.implementing_quote)
        .chain(plan.targets.iter().map(|x| &x.quote))
        .chain(plan.groups.iter().map(|x| &x.quote))
        .chain(plan.tasks.iter().map(|x| &x.quote))
        .chain(plan.subtargets.iter().map(|x| &x.quote))
        .collect();
    let page = TextPage {
        c: cx.chrome(Nav::Text),
        t: cx.t,
        paragraphs: plan.text.paragraphs(&quotes),
    };
    cx.render(&page)
}
