//! 报告期 — a month, the period figures are reported for (`YYYY-MM`; quarterly figures use the
//! quarter's last month, yearly ones December).

use crate::time::Timestamp;
use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1..=12).contains(&month) && (1000..=9999).contains(&year))
            .then_some(YearMonth { year, month })
    }

    /// `2026-03`; also `2026-3`.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        if !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        YearMonth::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// The month a timestamp falls in, in Beijing time.
    pub fn of(t: Timestamp) -> YearMonth {
        let (y, m, _) = t.civil_date();
        YearMonth {
            year: y as i32,
            month: m,
        }
    }

    /// The current period — the one rule every page opens on: the latest month whose reports
    /// are due, which is the month just ended (on 3 December, November). A month is reported
    /// once it is over, until its deadline and after; the month still running is not due yet.
    pub fn current(now: Timestamp) -> YearMonth {
        YearMonth::of(now).previous()
    }

    /// The month as people read it: `2026年11月`, `Nov 2026`.
    pub fn human(self, lang: crate::text::Lang) -> String {
        crate::time::month_text(lang, i64::from(self.year), self.month)
    }

    /// The integer stored in the database: `202603`.
    pub fn key(self) -> i64 {
        i64::from(self.year) * 100 + i64::from(self.month)
    }

    pub fn from_key(key: i64) -> Option<YearMonth> {
        YearMonth::new(
            i32::try_from(key / 100).ok()?,
            u32::try_from(key % 100).ok()?,
        )
    }

    pub fn first_of(year: i32) -> YearMonth {
        YearMonth { year, month: 1 }
    }

    pub fn last_of(year: i32) -> YearMonth {
        YearMonth { year, month: 12 }
    }

    /// The same month a year before.
    pub fn last_year(self) -> YearMonth {
        YearMonth {
            year: self.year - 1,
            month: self.month,
        }
    }

    pub fn previous(self) -> YearMonth {
        if self.month == 1 {
            YearMonth::last_of(self.year - 1)
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth::first_of(self.year + 1)
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// When entry for this month closes by default: the end of `day` of the following month,
    /// Beijing time.
    pub fn default_deadline(self, day: u32) -> Timestamp {
        let n = self.next();
        Timestamp::from_civil(i64::from(n.year), n.month, day, 86_400 - 1)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_months() {
        let m = YearMonth::parse("2026-03");
        assert_eq!(m, YearMonth::new(2026, 3));
        assert_eq!(YearMonth::parse("2026-3"), m);
        for bad in [
            "2026-13", "2026-00", "26-03", "2026/03", "2026-3a", "", "2026-", "+026-03",
        ] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
        let Some(m) = m else { return };
        assert_eq!(m.to_string(), "2026-03");
        assert_eq!(m.key(), 202_603);
        assert_eq!(YearMonth::from_key(202_603), Some(m));
        assert_eq!(YearMonth::from_key(202_613), None);
        assert_eq!(m.previous().previous().previous().to_string(), "2025-12");
        assert_eq!(YearMonth::last_of(2025).next().to_string(), "2026-01");
        assert!(YearMonth::last_of(2025) < YearMonth::first_of(2026));
    }

    #[test]
    fn entry_closes_on_the_deadline_day_of_the_next_month() {
        let Some(dec) = YearMonth::new(2025, 12) else {
            return;
        };
        assert_eq!(
            dec.default_deadline(15).to_string(),
            "2026-01-15T23:59:59+08:00"
        );
        assert_eq!(
            YearMonth::of(dec.default_deadline(15)).to_string(),
            "2026-01"
        );
    }
}
