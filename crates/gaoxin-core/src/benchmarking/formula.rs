//! Indicators computed from the enterprise annual statistics ledger (企业年度统计): a framework
//! indicator names its formula (`formula = "rd-intensity"`), and a zone's value for a data year
//! is computed from its enterprises' reports of that year (and the year before, for increases).
//! Each formula also says what a change of the indicator means in the zone's own terms (an
//! R&D intensity 0.6 points higher is so much more R&D spending at this revenue) and which
//! enterprises move it most — contributions only: nothing here suggests leaving an enterprise
//! out of the statistics.

use crate::ledger::{Ledger, Record};

/// One enterprise's report for one year; a blank field is `None`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Enterprise {
    pub uscc: String,
    pub name: String,
    pub year: i32,
    pub revenue: Option<f64>,
    pub output: Option<f64>,
    pub profit: Option<f64>,
    pub exports: Option<f64>,
    pub hitech: bool,
    pub employees: Option<f64>,
    pub graduates: Option<f64>,
    pub returnees: Option<f64>,
    pub rd_fte: Option<f64>,
    pub rd_spending: Option<f64>,
    pub inv_applied: Option<f64>,
    pub inv_granted: Option<f64>,
    pub inv_valid: Option<f64>,
    pub trademarks: Option<f64>,
    pub tech_contracts: Option<f64>,
}

impl Enterprise {
    /// A record of the `enterprise-stats` ledger.
    pub fn of(ledger: &Ledger, r: &Record) -> Option<Enterprise> {
        let n = |f: &str| {
            r.get(ledger, f)
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
        };
        Some(Enterprise {
            uscc: r.get(ledger, "uscc").to_string(),
            name: r.get(ledger, "enterprise").to_string(),
            year: r.get(ledger, "year").parse().ok()?,
            revenue: n("revenue"),
            output: n("output"),
            profit: n("profit"),
            exports: n("exports"),
            hitech: r.get(ledger, "hitech") == crate::ledger::value::YES,
            employees: n("employees"),
            graduates: n("graduates"),
            returnees: n("returnees"),
            rd_fte: n("rd_fte"),
            rd_spending: n("rd_spending"),
            inv_applied: n("inv_applied"),
            inv_granted: n("inv_granted"),
            inv_valid: n("inv_valid"),
            trademarks: n("trademarks"),
            tech_contracts: n("tech_contracts"),
        })
    }

    /// R&D spending over revenue, %.
    pub fn rd_intensity(&self) -> Option<f64> {
        match (self.rd_spending, self.revenue) {
            (Some(rd), Some(rev)) if rev > 0.0 => Some(100.0 * rd / rev),
            _ => None,
        }
    }
}

/// The formulas a framework file may name.
pub const FORMULAS: &[&str] = &[
    "rd-staff-share",
    "rd-intensity",
    "invention-grants-per-10k",
    "invention-applications-per-rd",
    "graduates-share",
    "tech-contracts-per-capita",
    "revenue-net-increase",
    "profit-margin",
    "patents-trademarks-per-revenue",
    "employment-net-increase",
    "hitech-exports-share",
    "foreign-returnee-share",
    "rd5-revenue-share",
    "rd5-large",
    // From the certificates ledger's 高新技术企业 in force (computed where the store counts).
    "hitech-net-increase",
];

/// The R&D intensity (%) of 5.3 and 5.7, and the revenue (万元) above which 5.7 counts.
pub const RD5: f64 = 5.0;
pub const LARGE_REVENUE: f64 = 50_000.0;

/// A value computed for a zone and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub value: f64,
    /// Enterprises whose reports went into it.
    pub enterprises: usize,
    /// For a ratio: the denominator's total, in its own unit (万元, 人).
    pub base: Option<f64>,
}

fn sum(es: &[&Enterprise], f: impl Fn(&Enterprise) -> Option<f64>) -> (f64, usize) {
    es.iter()
        .filter_map(|e| f(e))
        .fold((0.0, 0), |(s, n), x| (s + x, n + 1))
}

/// A ratio of two sums over the enterprises that report both, times `scale`.
fn ratio(
    es: &[&Enterprise],
    num: impl Fn(&Enterprise) -> Option<f64>,
    den: impl Fn(&Enterprise) -> Option<f64>,
    scale: f64,
) -> Option<Computed> {
    let both: Vec<&Enterprise> = es
        .iter()
        .copied()
        .filter(|e| num(e).is_some() && den(e).is_some())
        .collect();
    let (n, _) = sum(&both, &num);
    let (d, count) = sum(&both, &den);
    (d > 0.0).then(|| Computed {
        value: scale * n / d,
        enterprises: count,
        base: Some(d),
    })
}

/// The value of `formula` over a zone's enterprises of the data year (`now`) and the year
/// before (`before`, for increases); `None` when the reports do not hold what it needs.
pub fn compute(formula: &str, now: &[Enterprise], before: &[Enterprise]) -> Option<Computed> {
    let es: Vec<&Enterprise> = now.iter().collect();
    let prior: Vec<&Enterprise> = before.iter().collect();
    match formula {
        "rd-staff-share" => ratio(&es, |e| e.rd_fte, |e| e.employees, 100.0),
        "rd-intensity" => ratio(&es, |e| e.rd_spending, |e| e.revenue, 100.0),
        "invention-grants-per-10k" => ratio(&es, |e| e.inv_granted, |e| e.employees, 10_000.0),
        // per 千万元 of R&D spending (万元 ÷ 1,000)
        "invention-applications-per-rd" => {
            ratio(&es, |e| e.inv_applied, |e| e.rd_spending, 1_000.0)
        }
        "graduates-share" => ratio(&es, |e| e.graduates, |e| e.employees, 100.0),
        "tech-contracts-per-capita" => ratio(&es, |e| e.tech_contracts, |e| e.employees, 1.0),
        "profit-margin" => ratio(&es, |e| e.profit, |e| e.revenue, 100.0),
        // per 100 亿元 of revenue (万元 ÷ 1,000,000)
        "patents-trademarks-per-revenue" => ratio(
            &es,
            |e| {
                Some(e.inv_valid.unwrap_or(0.0) + e.trademarks.unwrap_or(0.0))
                    .filter(|_| e.inv_valid.is_some() || e.trademarks.is_some())
            },
            |e| e.revenue,
            1_000_000.0,
        ),
        "hitech-exports-share" => ratio(
            &es,
            |e| e.exports.map(|x| if e.hitech { x } else { 0.0 }),
            |e| e.revenue,
            100.0,
        ),
        "foreign-returnee-share" => ratio(&es, |e| e.returnees, |e| e.employees, 100.0),
        "rd5-revenue-share" => ratio(
            &es,
            |e| {
                e.rd_intensity().map(|i| {
                    if i >= RD5 {
                        e.revenue.unwrap_or(0.0)
                    } else {
                        0.0
                    }
                })
            },
            |e| e.revenue,
            100.0,
        ),
        "rd5-large" => {
            let known: Vec<&&Enterprise> =
                es.iter().filter(|e| e.rd_intensity().is_some()).collect();
            (!known.is_empty()).then(|| Computed {
                value: known
                    .iter()
                    .filter(|e| {
                        e.rd_intensity().is_some_and(|i| i >= RD5)
                            && e.revenue.is_some_and(|r| r > LARGE_REVENUE)
                    })
                    .count() as f64,
                enterprises: known.len(),
                base: None,
            })
        }
        // 亿元 (万元 ÷ 10,000)
        "revenue-net-increase" => increase(&es, &prior, |e| e.revenue, 0.0001),
        "employment-net-increase" => increase(&es, &prior, |e| e.employees, 1.0),
        _ => None,
    }
}

fn increase(
    now: &[&Enterprise],
    before: &[&Enterprise],
    f: impl Fn(&Enterprise) -> Option<f64>,
    scale: f64,
) -> Option<Computed> {
    let (a, n) = sum(now, &f);
    let (b, m) = sum(before, &f);
    (n > 0 && m > 0).then_some(Computed {
        value: scale * (a - b),
        enterprises: n,
        base: None,
    })
}

/// What raising the indicator by `delta` (in its unit) means in the zone's own terms: the
/// numerator's change at today's base, in that numerator's unit. `None` where it has no such
/// reading.
pub fn own_terms(formula: &str, computed: &Computed, delta: f64) -> Option<(f64, &'static str)> {
    let base = computed.base?;
    // numerator = value × base ÷ scale
    let (scale, unit) = match formula {
        "rd-intensity" => (100.0, "rd-spending"),
        "rd-staff-share" => (100.0, "rd-fte"),
        "graduates-share" => (100.0, "graduates"),
        "foreign-returnee-share" => (100.0, "returnees"),
        "invention-grants-per-10k" => (10_000.0, "inv-granted"),
        "tech-contracts-per-capita" => (1.0, "tech-contracts"),
        "profit-margin" => (100.0, "profit"),
        "hitech-exports-share" => (100.0, "hitech-exports"),
        "rd5-revenue-share" => (100.0, "rd5-revenue"),
        _ => return None,
    };
    Some((delta * base / scale, unit))
}

/// An enterprise that moves an indicator, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Mover {
    pub name: String,
    pub uscc: String,
    pub kind: MoverKind,
    /// For `NearThreshold`: the R&D spending (万元) that would bring it to 5 %; for
    /// `Contributor`/`Drag`: its share of the numerator / of the base, %.
    pub amount: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoverKind {
    /// Just below a threshold (R&D intensity 4–5 %): the spending that lifts it over.
    NearThreshold,
    /// The largest contributors to the numerator.
    Contributor,
    /// Large in the base but below the zone's ratio: where the ratio is held down.
    Drag,
}

/// The enterprises that move `formula` most: for the 5 % indicators those just below it, for
/// ratios the three largest contributors and the three largest drags.
pub fn movers(formula: &str, now: &[Enterprise]) -> Vec<Mover> {
    let mover = |e: &Enterprise, kind, amount| Mover {
        name: e.name.clone(),
        uscc: e.uscc.clone(),
        kind,
        amount,
    };
    match formula {
        "rd5-revenue-share" | "rd5-large" => {
            let mut near: Vec<Mover> = now
                .iter()
                .filter_map(|e| {
                    let i = e.rd_intensity()?;
                    let rev = e.revenue?;
                    let large = formula != "rd5-large" || rev > LARGE_REVENUE;
                    (large && (RD5 - 1.0..RD5).contains(&i)).then(|| {
                        // Whole 万元, at least one: what a clerk can ask an enterprise for.
                        let needed = (RD5 / 100.0 * rev - e.rd_spending.unwrap_or(0.0))
                            .ceil()
                            .max(1.0);
                        mover(e, MoverKind::NearThreshold, needed)
                    })
                })
                .collect();
            near.sort_by(|a, b| a.amount.total_cmp(&b.amount));
            near.truncate(5);
            near
        }
        "rd-intensity" | "profit-margin" | "hitech-exports-share" => {
            let num = |e: &Enterprise| match formula {
                "rd-intensity" => e.rd_spending,
                "profit-margin" => e.profit,
                _ => e.exports.map(|x| if e.hitech { x } else { 0.0 }),
            };
            let both: Vec<&Enterprise> = now
                .iter()
                .filter(|e| num(e).is_some() && e.revenue.is_some_and(|r| r > 0.0))
                .collect();
            let (total_num, _) = sum(&both, num);
            let (total_rev, _) = sum(&both, |e| e.revenue);
            if total_num <= 0.0 || total_rev <= 0.0 {
                return Vec::new();
            }
            let zone_ratio = total_num / total_rev;
            let mut contributors: Vec<Mover> = both
                .iter()
                .map(|e| {
                    mover(
                        e,
                        MoverKind::Contributor,
                        100.0 * num(e).unwrap_or(0.0) / total_num,
                    )
                })
                .collect();
            contributors.sort_by(|a, b| b.amount.total_cmp(&a.amount));
            contributors.truncate(3);
            let mut drags: Vec<Mover> = both
                .iter()
                .filter(|e| {
                    let rev = e.revenue.unwrap_or(0.0);
                    num(e).unwrap_or(0.0) / rev < zone_ratio
                })
                .map(|e| {
                    mover(
                        e,
                        MoverKind::Drag,
                        100.0 * e.revenue.unwrap_or(0.0) / total_rev,
                    )
                })
                .collect();
            drags.sort_by(|a, b| b.amount.total_cmp(&a.amount));
            drags.truncate(3);
            contributors.extend(drags);
            contributors
        }
        _ => Vec::new(),
    }
}
