//! 调度通报 — the monthly bulletin: everything it reports on (work items and this period's
//! reports, 督办 orders, the targets' state, the tasks' sub-targets) read for one month and built
//! by `gaoxin_core::bulletin::build` into the `Bulletin` the page, the `.docx` and the `.xlsx` lay
//! out; a draft until the dispatch office publishes it ([`publish`]), then frozen as it stood
//! and readable by every unit ([`read`]).

use crate::{Acting, Error, Refusal};
use gaoxin_core::bulletin::{self, Bulletin, Inputs, ItemIn, OrderIn, ReportIn};
use gaoxin_core::dispatch;
use gaoxin_core::monitor::YearMonth;
use gaoxin_core::time::{Date, Timestamp};
use gaoxin_store::{Closed, OrderFilter, PublishError};

/// A month's bulletin as a reader gets it.
#[derive(Debug, Clone)]
pub enum Read {
    /// Published: the issued document, as it stood when published.
    Published(Bulletin),
    /// Not published: built now from the data as it is (the dispatch office and leaders only).
    Draft(Bulletin),
}

impl Read {
    pub fn bulletin(&self) -> &Bulletin {
        match self {
            Read::Published(b) | Read::Draft(b) => b,
        }
    }
}

/// Month `p`'s bulletin: the published one for every reader, else the live draft for those
/// `bulletin::may_read` allows.
pub async fn read(cx: &Acting<'_>, p: YearMonth, sample: bool) -> Result<Read, Error> {
    if let Some(b) = cx.store.bulletin_issue(p).await? {
        return Ok(Read::Published(b));
    }
    assemble(cx, p, sample).await.map(Read::Draft)
}

/// What publishing came to.
#[derive(Debug, Clone)]
pub enum Publication {
    /// Published now, with its number.
    Issued(Box<Bulletin>),
    /// The month's bulletin was already published, as this number.
    AlreadyOut(u32),
}

/// Publishes month `p`'s bulletin (the dispatch office): built from the data as it is now,
/// numbered, frozen, sent to every unit's inbox.
pub async fn publish(cx: &Acting<'_>, p: YearMonth, sample: bool) -> Result<Publication, Error> {
    let Some(account) = cx.account.filter(|a| bulletin::may_publish(a.who())) else {
        return Err(cx
            .refuse(Refusal::Forbidden {
                target: format!("bulletin:{p}:publish"),
            })
            .await);
    };
    let draft = assemble(cx, p, sample).await?;
    let act = gaoxin_store::Act::of(cx.plan, account, cx.now);
    match cx.store.publish_bulletin(&act, p, &draft).await {
        Ok(b) => Ok(Publication::Issued(Box::new(b))),
        Err(PublishError::AlreadyPublished(n)) => Ok(Publication::AlreadyOut(n)),
        Err(PublishError::NotPermitted) => Err(cx
            .refuse(Refusal::Forbidden {
                target: format!("bulletin:{p}:publish"),
            })
            .await),
        Err(PublishError::Store(e)) => Err(e.into()),
    }
}

/// The bulletin of month `p` (`sample`: the database holds sample data, and the bulletin says
/// so). Only those `bulletin::may_read` allows read it; it covers every unit.
pub async fn assemble(cx: &Acting<'_>, p: YearMonth, sample: bool) -> Result<Bulletin, Error> {
    let Some(account) = cx.account.filter(|a| bulletin::may_read(a.who())) else {
        return Err(cx
            .refuse(Refusal::Forbidden {
                target: format!("bulletin:{p}"),
            })
            .await);
    };
    let plan = cx.plan;
    let m = plan.monitoring;
    // The reporting period the month belongs to (a quarter's last month when quarterly).
    let rp = dispatch::period_of(m.report_cycle, p);
    let now = cx.now;
    let today = Date::of(now);
    let store = cx.store;
    let items = store.work_items(plan, account, None, None).await?;
    let reports = store.period_reports(rp).await?;
    // Open orders, and those closed in the month (or after: a later bulletin's).
    let month_start = Timestamp::from_civil(i64::from(p.year), p.month, 1, 0);
    let orders = store
        .orders(
            account,
            &OrderFilter {
                closed: Closed::Since(month_start.0),
                ..OrderFilter::default()
            },
        )
        .await?;
    let status = crate::monitor::status(cx, None, p).await?;
    let subtargets = status.subtargets;
    let evaluations = status
        .zones
        .into_iter()
        .flat_map(|z| z.evaluations)
        .collect();
    let due = dispatch::due_date(rp, m.report_day);
    let in_period = |t: i64| YearMonth::of(Timestamp(t)) == p;
    let inputs = Inputs {
        plan,
        period: p,
        cutoff: now,
        due_passed: today > due,
        // The bulletin is a Chinese document: days as it writes them (2026年11月25日).
        due: due.human(gaoxin_core::text::Lang::Zh),
        items: items
            .iter()
            .map(|i| ItemIn {
                id: i.id,
                task: i.task.clone(),
                title: i.title.clone(),
                responsible: i.responsible(),
                owes: i.owes(rp, m.report_day),
            })
            .collect(),
        reports: reports
            .iter()
            .map(|r| ReportIn {
                id: r.id,
                item: r.item_id,
                unit: r.unit.clone(),
                late: r.late,
                behind: r.behind,
            })
            .collect(),
        orders: orders
            .iter()
            // Orders opened after the month are not in its bulletin.
            .filter(|o| YearMonth::of(Timestamp(o.opened_at)) <= p)
            .map(|o| OrderIn {
                number: o.number(),
                title: o.title.clone(),
                assignee: o.assignee.clone(),
                deadline: o.deadline.map(|d| d.human(gaoxin_core::text::Lang::Zh)),
                state: o.state,
                light: o.light(today, m.warn_days),
                closed_in_period: o.closed_at.is_some_and(in_period),
            })
            .collect(),
        evaluations,
        subtargets,
        sample,
    };
    Ok(bulletin::build(&inputs))
}
