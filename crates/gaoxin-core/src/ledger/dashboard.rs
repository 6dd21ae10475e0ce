//! 台账看板: the ledgers drawn where people would rather look than read — the 招商 funnel
//! (target enterprises by contact status, then projects by stage with their investment, the
//! stalled ones, the projects of 10 亿元 and more and those without a liaison), the enterprise
//! pyramid (qualifications in force, level by level, now and a year before), low-efficiency
//! land by remediation status, funds by kind, the listing pipeline and its register. Built from the store's per-kind [`Group`]s; every
//! step keeps its ledger's kind so a page can link it to the rows behind it.

pub use super::defs::{FUND_KINDS, LAND_STATUSES, LISTING_STAGES, PYRAMID, TARGET_STATUSES};
use super::defs::{PROJECT_STAGES, QUALIFICATIONS};

/// What the store counts of a ledger's records of one kind (stage, status, qualification).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub kind: String,
    pub records: i64,
    /// The sum of the amount slot (万元 for projects and funds, 亩 for land).
    pub amount: f64,
    /// How many the ledger flags (a big project without its liaison, a parcel without a plan).
    pub flagged: i64,
    /// How many have stayed at their stage longer than the plan allows.
    pub stalled: i64,
    /// How many have an amount of at least [`crate::known::BIG_PROJECT`].
    pub big: i64,
    /// How many different records of another ledger they are about (enterprises by credit code).
    pub subjects: i64,
    pub sample: bool,
}

/// One step of a funnel or a level of the pyramid: a kind of the ledger and its numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The ledger's kind value (the link's filter).
    pub kind: &'static str,
    pub records: i64,
    pub amount: f64,
    pub stalled: i64,
    pub flagged: i64,
}

fn steps(order: &[&'static str], groups: &[Group]) -> Vec<Step> {
    order
        .iter()
        .map(|&kind| {
            let g = groups.iter().find(|g| g.kind == kind);
            Step {
                kind,
                records: g.map_or(0, |g| g.records),
                amount: g.map_or(0.0, |g| g.amount),
                stalled: g.map_or(0, |g| g.stalled),
                flagged: g.map_or(0, |g| g.flagged),
            }
        })
        .collect()
}

/// Whether the ledger holds any record the groups count (none: not kept yet, never zeros).
fn kept(groups: &[Group]) -> bool {
    groups.iter().any(|g| g.records > 0)
}

fn sample(groups: &[&[Group]]) -> bool {
    groups.iter().any(|gs| gs.iter().any(|g| g.sample))
}

/// The 招商 funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    /// Target enterprises by contact status (`None`: the ledger holds none).
    pub targets: Option<Vec<Step>>,
    /// Projects by stage, with their investment (万元) and how many stalled.
    pub projects: Option<Vec<Step>>,
    /// Projects of [`crate::known::BIG_PROJECT`] and more, and how many of them have no liaison.
    pub big: i64,
    pub big_without_liaison: i64,
    pub sample: bool,
}

/// The funnel from the targets' and the projects' groups.
pub fn funnel(targets: &[Group], projects: &[Group]) -> Funnel {
    Funnel {
        targets: kept(targets).then(|| steps(TARGET_STATUSES, targets)),
        projects: kept(projects).then(|| steps(PROJECT_STAGES, projects)),
        big: projects.iter().map(|g| g.big).sum(),
        big_without_liaison: projects.iter().map(|g| g.flagged).sum(),
        sample: sample(&[targets, projects]),
    }
}

/// One level of the pyramid: enterprises holding the qualification in force at the end of the
/// period, and a year before.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub kind: &'static str,
    pub now: i64,
    pub year_before: i64,
}

impl Level {
    /// The net change over the year (new ones less those whose qualification lapsed).
    pub fn change(&self) -> i64 {
        self.now - self.year_before
    }
}

/// The enterprise pyramid, base first; `None` when the ledger holds no qualification.
pub fn pyramid(now: &[Group], year_before: &[Group]) -> Option<(Vec<Level>, bool)> {
    if !kept(now) && !kept(year_before) {
        return None;
    }
    let enterprises =
        |gs: &[Group], kind: &str| gs.iter().find(|g| g.kind == kind).map_or(0, |g| g.subjects);
    let levels = PYRAMID
        .iter()
        .filter(|k| QUALIFICATIONS.contains(k))
        .map(|&kind| Level {
            kind,
            now: enterprises(now, kind),
            year_before: enterprises(year_before, kind),
        })
        .collect();
    Some((levels, sample(&[now, year_before])))
}

/// Low-efficiency land by remediation status (parcels and 亩), and how many have no plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Land {
    pub statuses: Vec<Step>,
    pub without_plan: i64,
    /// The share of the area whose remediation is done, in %.
    pub done_share: Option<f64>,
    pub sample: bool,
}

pub fn land(groups: &[Group]) -> Option<Land> {
    let area: f64 = groups.iter().map(|g| g.amount).sum();
    if !kept(groups) {
        return None;
    }
    let statuses = steps(LAND_STATUSES, groups);
    let done = statuses.last().map_or(0.0, |s| s.amount);
    Some(Land {
        without_plan: groups.iter().map(|g| g.flagged).sum(),
        done_share: (area > 0.0).then(|| done / area * 100.0),
        statuses,
        sample: sample(&[groups]),
    })
}

/// One kind of fund: how many, their size, and what they have invested (万元) in how many
/// enterprises.
#[derive(Debug, Clone, PartialEq)]
pub struct Fund {
    pub kind: &'static str,
    pub records: i64,
    pub size: f64,
    pub invested: f64,
    pub investees: i64,
}

/// Funds by kind, with the sums of their invested amounts and investees per kind (the store's
/// `(kind, [invested, investees])`).
pub fn funds(groups: &[Group], invested: &[(String, Vec<f64>)]) -> Option<(Vec<Fund>, bool)> {
    if !kept(groups) {
        return None;
    }
    let funds = steps(FUND_KINDS, groups)
        .into_iter()
        .map(|s| {
            let sums = invested
                .iter()
                .find(|(k, _)| k == s.kind)
                .map(|(_, v)| v.as_slice())
                .unwrap_or_default();
            Fund {
                kind: s.kind,
                records: s.records,
                size: s.amount,
                invested: sums.first().copied().unwrap_or(0.0),
                investees: sums.get(1).copied().unwrap_or(0.0) as i64,
            }
        })
        .collect();
    Some((funds, sample(&[groups])))
}

/// The listing pipeline: enterprises at each stage (the last, 上市挂牌, is the register of listed
/// enterprises), and how many listed ones lack their security code.
pub fn listings(groups: &[Group]) -> Option<(Vec<Step>, bool)> {
    if !kept(groups) {
        return None;
    }
    Some((steps(LISTING_STAGES, groups), sample(&[groups])))
}

/// How wide a bar is, in % of the widest of its chart (at least 2 % for anything above zero,
/// so a small step stays visible; zero draws nothing).
pub fn width(value: f64, widest: f64) -> u32 {
    if value <= 0.0 || widest <= 0.0 {
        return 0;
    }
    ((value / widest * 100.0).round() as u32).clamp(2, 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(kind: &str, records: i64, amount: f64) -> Group {
        Group {
            kind: kind.into(),
            records,
            amount,
            ..Group::default()
        }
    }

    #[test]
    fn the_funnel_keeps_the_stages_order_and_says_what_is_not_kept() {
        let projects = vec![
            Group {
                stalled: 2,
                big: 1,
                flagged: 1,
                ..g("签约", 3, 150_000.0)
            },
            Group {
                big: 2,
                ..g("在谈", 5, 260_000.0)
            },
            g("投产", 1, 20_000.0),
        ];
        let f = funnel(&[], &projects);
        assert_eq!(f.targets, None, "no target enterprise: not kept, not zero");
        let p = f.projects.expect("projects are kept");
        let kinds: Vec<_> = p.iter().map(|s| (s.kind, s.records, s.stalled)).collect();
        assert_eq!(
            kinds,
            vec![
                ("在谈", 5, 0),
                ("签约", 3, 2),
                ("开工", 0, 0),
                ("投产", 1, 0)
            ]
        );
        assert_eq!(p[0].amount, 260_000.0);
        assert_eq!((f.big, f.big_without_liaison), (3, 1));
        assert!(!f.sample);
    }

    #[test]
    fn the_pyramid_counts_enterprises_not_certificates_and_the_years_change() {
        let now = vec![
            Group {
                subjects: 40,
                ..g("科技型中小企业", 45, 0.0)
            },
            Group {
                subjects: 12,
                ..g("高新技术企业", 12, 0.0)
            },
        ];
        let before = vec![Group {
            subjects: 15,
            sample: true,
            ..g("高新技术企业", 15, 0.0)
        }];
        let (levels, sample) = pyramid(&now, &before).expect("kept");
        assert!(sample);
        assert_eq!(levels[0].kind, "科技型中小企业");
        assert_eq!((levels[0].now, levels[0].change()), (40, 40));
        assert_eq!((levels[1].now, levels[1].year_before), (12, 15));
        assert_eq!(levels[1].change(), -3);
        assert_eq!(levels.len(), PYRAMID.len());
        assert_eq!(pyramid(&[], &[]), None);
    }

    #[test]
    fn land_is_shared_by_area_and_funds_by_kind() {
        let l = land(&[
            Group {
                flagged: 1,
                ..g("未启动", 2, 30.0)
            },
            g("已完成", 1, 10.0),
        ])
        .expect("kept");
        assert_eq!(l.without_plan, 1);
        assert_eq!(l.done_share, Some(25.0));
        assert_eq!(l.statuses[1].records, 0, "整治中: none");
        assert_eq!(land(&[]), None);
        let (f, _) = funds(
            &[g("创投基金", 2, 8_000.0)],
            &[("创投基金".into(), vec![3_000.0, 7.0])],
        )
        .expect("kept");
        assert_eq!(f[2].kind, "创投基金");
        assert_eq!((f[2].records, f[2].size), (2, 8_000.0));
        assert_eq!((f[2].invested, f[2].investees), (3_000.0, 7));
        assert_eq!((f[0].records, f[0].invested), (0, 0.0));
        assert_eq!(funds(&[], &[]), None);
    }

    #[test]
    fn the_listing_pipeline_ends_in_the_register() {
        let (steps, _) = listings(&[
            g("上市挂牌", 2, 0.0),
            Group {
                flagged: 0,
                ..g("辅导备案", 5, 0.0)
            },
        ])
        .expect("kept");
        let got: Vec<_> = steps.iter().map(|s| (s.kind, s.records)).collect();
        assert_eq!(
            got,
            vec![("辅导备案", 5), ("申报", 0), ("过会", 0), ("上市挂牌", 2)]
        );
        assert_eq!(listings(&[]), None);
    }

    #[test]
    fn bars_are_scaled_to_the_widest_and_a_small_one_stays_visible() {
        assert_eq!(width(50.0, 200.0), 25);
        assert_eq!(width(1.0, 1000.0), 2);
        assert_eq!(width(0.0, 10.0), 0);
        assert_eq!(width(5.0, 0.0), 0);
        assert_eq!(width(200.0, 200.0), 100);
    }
}
