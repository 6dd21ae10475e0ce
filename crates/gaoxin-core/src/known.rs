//! What a plan file may name that the code defines: the ledgers (by id), the counts its figures
//! are `counted` from (which ledger's records, of which kinds and grades, in which window), and
//! the industry every list ends with. The plan parser checks the names against these; the
//! ledgers say what they mean. Neither the plan nor the ledgers own this table, so neither
//! depends on the other for it (tests keep it in step with the ledger definitions).

/// A count the indicators take from a ledger, for a unit and the end of a period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count {
    pub id: &'static str,
    pub zh: &'static str,
    pub ledger: &'static str,
    /// Records whose kind is one of these (all when empty).
    pub kinds: &'static [&'static str],
    /// Records whose grade is one of these (all when empty).
    pub grades: &'static [&'static str],
    pub window: Window,
    /// Only records the ledger flags.
    pub flagged: bool,
    /// Only records whose amount is at least this (in the ledger's unit: 万元 for projects).
    pub min_amount: Option<i64>,
    /// What is taken of the records: how many, or the share the ledger does not flag.
    pub tally: Tally,
}

/// What a count gives for the records it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    /// How many records (个, 场, 次 …).
    Records,
    /// The share (%) of the records the ledger does not flag: projects with their liaison,
    /// parcels with their remediation plan. Undefined when there are no records.
    Unflagged,
}

impl Tally {
    /// The value a count gives for `records` taken, `flagged` of them flagged: `None` for a
    /// share of nothing.
    pub fn value(self, records: i64, flagged: i64) -> Option<f64> {
        match self {
            Tally::Records => Some(records as f64),
            Tally::Unflagged if records > 0 => {
                Some((records - flagged) as f64 * 100.0 / records as f64)
            }
            Tally::Unflagged => None,
        }
    }
}

/// Which records a count takes at the end of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Those in force on the day: started on or before it, not ended before it (期末数).
    InForce,
    /// Those dated from 1 January of the period's year to its end (本年累计).
    YearToDate,
    /// Every record the ledger holds, whatever its dates (the ledger is the current state:
    /// low-efficiency parcels, whose date is a deadline).
    All,
}

/// The counts a plan's figures may be `counted` from.
pub const COUNTS: &[Count] = &[
    Count {
        id: "hitech-valid",
        zh: "有效期内高新技术企业（企业资质台账）",
        ledger: "qualifications",
        kinds: &["高新技术企业"],
        grades: &[],
        window: Window::InForce,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "platforms-city-up",
        zh: "市级以上创新平台（创新平台台账）",
        ledger: "platforms",
        kinds: &[],
        grades: &["国家级", "省级", "市级"],
        window: Window::InForce,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "matchmaking-events",
        zh: "企业与高校院所对接活动（活动台账，本年）",
        ledger: "events",
        kinds: &["企业与高校院所对接"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "scenario-releases",
        zh: "创新应用场景发布（活动台账，本年）",
        ledger: "events",
        kinds: &["创新应用场景发布"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "new-talents",
        zh: "新增领军人才、科技领军人物、科技创新团队（人才台账，本年）",
        ledger: "talents",
        kinds: &["创新创业领军人才", "科技领军人物", "科技创新团队"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "new-enclaves",
        zh: "新认定人才飞地（人才台账，本年）",
        ledger: "talents",
        kinds: &["人才飞地"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "liaison-institutes",
        zh: "重点联络高校院所（联络高校院所台账）",
        ledger: "liaisons",
        kinds: &[],
        grades: &[],
        window: Window::InForce,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "big-projects-without-liaison",
        zh: "10亿元以上未明确企业联络员的项目（招商项目台账）",
        ledger: "projects",
        kinds: &[],
        grades: &[],
        window: Window::InForce,
        flagged: true,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "new-talent-leaders",
        zh: "新增创新创业领军人才（人才台账，本年）",
        ledger: "talents",
        kinds: &["创新创业领军人才"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "new-tech-leaders",
        zh: "新认定科技领军人物（人才台账，本年）",
        ledger: "talents",
        kinds: &["科技领军人物"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "new-innovation-teams",
        zh: "新认定科技创新团队（人才台账，本年）",
        ledger: "talents",
        kinds: &["科技创新团队"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "big-project-liaison-coverage",
        zh: "10亿元以上项目明确企业联络员的比例（招商项目台账）",
        ledger: "projects",
        kinds: &[],
        grades: &[],
        window: Window::InForce,
        flagged: false,
        min_amount: Some(BIG_PROJECT),
        tally: Tally::Unflagged,
    },
    Count {
        id: "land-surveys",
        zh: "低效用地摸底排查（活动台账，本年）",
        ledger: "events",
        kinds: &["低效用地摸底排查"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
        min_amount: None,
        tally: Tally::Records,
    },
    Count {
        id: "remediation-plan-coverage",
        zh: "低效用地制定整治提升方案的比例（低效用地台账）",
        ledger: "land",
        kinds: &[],
        grades: &[],
        window: Window::All,
        flagged: false,
        min_amount: None,
        tally: Tally::Unflagged,
    },
];

impl Count {
    pub fn find(id: &str) -> Option<&'static Count> {
        COUNTS.iter().find(|c| c.id == id)
    }
}

/// The ids of [`COUNTS`], in order: what the plan file may name (a test keeps them equal).
pub const COUNT_IDS: &[&str] = &[
    "hitech-valid",
    "platforms-city-up",
    "matchmaking-events",
    "scenario-releases",
    "new-talents",
    "new-enclaves",
    "liaison-institutes",
    "big-projects-without-liaison",
    "new-talent-leaders",
    "new-tech-leaders",
    "new-innovation-teams",
    "big-project-liaison-coverage",
    "land-surveys",
    "remediation-plan-coverage",
];

/// A 招商 project of at least this much (万元: 10 亿元) is a big one: task 10's liaison rule.
pub const BIG_PROJECT: i64 = 100_000;

/// The ids of the ledgers (`ledger::LEDGERS`), in order.
pub const LEDGER_IDS: &[&str] = &[
    "enterprises",
    "qualifications",
    "platforms",
    "incubators",
    "talents",
    "liaisons",
    "events",
    "targets",
    "projects",
    "land",
    "energy-audits",
    "funds",
    "enterprise-stats",
    "listings",
];

/// The industry every plan's list ends with.
pub const OTHER_INDUSTRY: &str = "其他";

#[cfg(test)]
mod tests {
    #[test]
    fn the_ledger_ids_are_the_ledgers() {
        let ids: Vec<&str> = crate::ledger::LEDGERS.iter().map(|l| l.id).collect();
        assert_eq!(ids, super::LEDGER_IDS);
    }

    #[test]
    fn every_count_is_of_a_ledger() {
        for c in super::COUNTS {
            assert!(super::LEDGER_IDS.contains(&c.ledger), "{}", c.id);
        }
    }

    #[test]
    fn the_ids_are_the_counts_ids() {
        let ids: Vec<&str> = super::COUNTS.iter().map(|c| c.id).collect();
        assert_eq!(ids, super::COUNT_IDS);
    }
}
