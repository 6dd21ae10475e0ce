//! 数据大屏 — the meeting room's big screen: the city summary, each zone's lights, the lagging
//! indicators and sub-targets, the task board, the overdue 督办单, the 招商 funnel and the
//! enterprise pyramid, at the current period. Read as a leader reads the cockpit — every zone,
//! read-only — whoever shows it: a leader, the dispatch office, or an account holding only the
//! screen's role, which opens this and nothing else (the route table gives it no other right).

use crate::{Acting, Error, Refusal, dispatch, ledger, monitor};
use gaoxin_core::auth::{Capability, RoleKind, allows};
use gaoxin_core::monitor::subtarget::{self, SubEvaluation};
use gaoxin_core::monitor::{Evaluation, Summary, YearMonth, lagging};
use gaoxin_core::supervise::{Light, OrderState};
use gaoxin_core::time::Date;
use gaoxin_store::{Account, Closed, Order, OrderFilter};

/// One zone's lights.
#[derive(Debug, Clone)]
pub struct ZoneLights {
    pub zone: String,
    pub name: String,
    pub targets: Summary,
    pub subtargets: Summary,
}

/// What the big screen shows.
#[derive(Debug, Clone)]
pub struct Screen {
    pub at: YearMonth,
    /// The city: every zone's targets, and the sub-targets.
    pub targets: Summary,
    pub subtargets: Summary,
    pub zones: Vec<ZoneLights>,
    /// Most behind first.
    pub lagging: Vec<Evaluation>,
    pub subs_behind: Vec<SubEvaluation>,
    pub board: dispatch::Board,
    /// Open orders past their deadline, the longest overdue first.
    pub overdue: Vec<Order>,
    /// Open orders in all.
    pub open_orders: usize,
    pub dashboards: ledger::Dashboards,
}

/// The screen at the current period, for an account that may show it.
pub async fn screen(cx: &Acting<'_>) -> Result<Screen, Error> {
    let Some(account) = cx
        .account
        .filter(|a| allows(&a.roles, Capability::ReadScreen))
    else {
        return Err(cx
            .refuse(Refusal::Forbidden {
                target: "screen".into(),
            })
            .await);
    };
    // Everything below reads as a leader: every zone, nothing changed.
    let reader = Account {
        roles: vec![RoleKind::Leader],
        ..account.clone()
    };
    let view = Acting {
        account: Some(&reader),
        ..*cx
    };
    let at = YearMonth::current(cx.now);
    let status = monitor::status(&view, None, at).await?;
    let zones = status
        .zones
        .iter()
        .map(|z| ZoneLights {
            zone: z.zone.id.clone(),
            name: z.zone.name.clone(),
            targets: Summary::of(&z.evaluations),
            subtargets: Summary::of_lights(
                status
                    .subtargets
                    .iter()
                    .filter(|e| e.zone.as_deref() == Some(z.zone.id.as_str()))
                    .map(|e| e.status),
            ),
        })
        .collect();
    let lagging = lagging(status.evaluations()).into_iter().cloned().collect();
    let subs_behind = subtarget::urgent_first(&status.subtargets)
        .into_iter()
        .filter(|e| {
            matches!(
                e.status,
                gaoxin_core::monitor::Status::Red | gaoxin_core::monitor::Status::Yellow
            )
        })
        .cloned()
        .collect();
    let board = dispatch::board(&view).await?;
    let today = Date::of(cx.now);
    let warn = cx.plan.monitoring.warn_days;
    let open: Vec<Order> = cx
        .store
        .orders(
            &reader,
            &OrderFilter {
                closed: Closed::None,
                ..OrderFilter::default()
            },
        )
        .await?
        .into_iter()
        .filter(|o| o.state != OrderState::Closed)
        .collect();
    let open_orders = open.len();
    let mut overdue: Vec<Order> = open
        .into_iter()
        .filter(|o| o.light(today, warn) == Light::Red)
        .collect();
    overdue.sort_by_key(|o| (o.deadline, o.id));
    let Some(dashboards) = ledger::dashboards(&view, None).await? else {
        // A leader reads every unit: there is always a dashboard.
        return Err(cx
            .refuse(Refusal::Forbidden {
                target: "screen".into(),
            })
            .await);
    };
    Ok(Screen {
        at,
        targets: status.summary(),
        subtargets: status.subtarget_summary(),
        zones,
        lagging,
        subs_behind,
        board,
        overdue,
        open_orders,
        dashboards,
    })
}
