//! What a plan file may name that the code defines: the ledgers (by id), the counts its figures
//! are `counted` from (which ledger's records, of which kinds and grades, in which window), and
//! the industry every list ends with. The plan parser checks the names against these; the
//! ledgers say what they mean. Neither the plan nor the ledgers own this table, so neither
//! depends on the other for it (tests keep it in step with the ledger definitions).

/// A count the indicators take from a ledger, for a unit and the end of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

/// Which records a count takes at the end of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Those in force on the day: started on or before it, not ended before it (期末数).
    InForce,
    /// Those dated from 1 January of the period's year to its end (本年累计).
    YearToDate,
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
    },
    Count {
        id: "platforms-city-up",
        zh: "市级以上创新平台（创新平台台账）",
        ledger: "platforms",
        kinds: &[],
        grades: &["国家级", "省级", "市级"],
        window: Window::InForce,
        flagged: false,
    },
    Count {
        id: "matchmaking-events",
        zh: "企业与高校院所对接活动（活动台账，本年）",
        ledger: "events",
        kinds: &["企业与高校院所对接"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
    },
    Count {
        id: "scenario-releases",
        zh: "创新应用场景发布（活动台账，本年）",
        ledger: "events",
        kinds: &["创新应用场景发布"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
    },
    Count {
        id: "new-talents",
        zh: "新增领军人才、科技领军人物、科技创新团队（人才台账，本年）",
        ledger: "talents",
        kinds: &["创新创业领军人才", "科技领军人物", "科技创新团队"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
    },
    Count {
        id: "new-enclaves",
        zh: "新认定人才飞地（人才台账，本年）",
        ledger: "talents",
        kinds: &["人才飞地"],
        grades: &[],
        window: Window::YearToDate,
        flagged: false,
    },
    Count {
        id: "liaison-institutes",
        zh: "重点联络高校院所（联络高校院所台账）",
        ledger: "liaisons",
        kinds: &[],
        grades: &[],
        window: Window::InForce,
        flagged: false,
    },
    Count {
        id: "big-projects-without-liaison",
        zh: "10亿元以上未明确企业联络员的项目（招商项目台账）",
        ledger: "projects",
        kinds: &[],
        grades: &[],
        window: Window::InForce,
        flagged: true,
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
];

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
