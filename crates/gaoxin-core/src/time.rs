//! Timestamps as gaoxin shows and stores them: ISO 8601 in China Standard Time (+08:00).
//!
//! The clock is read by the caller (the binary or a test) and passed in, so the domain stays
//! free of I/O and tests can inject any time.

use crate::text::Lang;
use std::fmt;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A day as people write it: `2026年12月15日`, `Dec 15, 2026`.
fn day_text(lang: Lang, (y, m, d): (i64, u32, u32)) -> String {
    match lang {
        Lang::Zh => format!("{y}年{m}月{d}日"),
        Lang::En => format!("{} {d}, {y}", MONTHS_EN[(m.clamp(1, 12) - 1) as usize]),
    }
}

/// A month as people write it: `2026年11月`, `Nov 2026`.
pub fn month_text(lang: Lang, year: i64, month: u32) -> String {
    match lang {
        Lang::Zh => format!("{year}年{month}月"),
        Lang::En => format!("{} {year}", MONTHS_EN[(month.clamp(1, 12) - 1) as usize]),
    }
}

/// Seconds since the Unix epoch, shown in +08:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub i64);

const CST_OFFSET_SECS: i64 = 8 * 3600;

impl Timestamp {
    /// The calendar year in China Standard Time.
    pub fn year(self) -> i64 {
        civil_from_days((self.0 + CST_OFFSET_SECS).div_euclid(86_400)).0
    }

    /// ISO 8601 with the +08:00 offset, e.g. `2026-11-27T21:30:00+08:00`.
    pub fn to_iso8601(self) -> String {
        self.to_string()
    }

    /// The moment as people read it, in Beijing time, to the minute: `2026年12月15日 23:59`,
    /// `Dec 15, 2026 23:59`. Pages and documents show this; APIs and exports keep ISO 8601.
    pub fn human(self, lang: Lang) -> String {
        let secs = (self.0 + CST_OFFSET_SECS).rem_euclid(86_400);
        format!(
            "{} {:02}:{:02}",
            day_text(lang, self.civil_date()),
            secs / 3600,
            secs % 3600 / 60
        )
    }

    /// Reads what [`Timestamp::to_iso8601`] writes (`2026-11-27T21:30:00+08:00`); `None` for
    /// anything else.
    pub fn parse_iso8601(s: &str) -> Option<Timestamp> {
        let (day, rest) = s.split_once('T')?;
        let time = rest.strip_suffix("+08:00")?;
        let b = time.as_bytes();
        if b.len() != 8 || b[2] != b':' || b[5] != b':' {
            return None;
        }
        let part = |r: std::ops::Range<usize>, max: i64| {
            time.get(r)?
                .parse::<i64>()
                .ok()
                .filter(|v| (0..max).contains(v))
        };
        let secs = part(0..2, 24)? * 3600 + part(3..5, 60)? * 60 + part(6..8, 60)?;
        let d = Date::parse(day)?;
        Some(Timestamp(d.0 * 86_400 + secs - CST_OFFSET_SECS))
    }

    /// (year, month, day) in China Standard Time.
    pub fn civil_date(self) -> (i64, u32, u32) {
        civil_from_days((self.0 + CST_OFFSET_SECS).div_euclid(86_400))
    }

    /// The instant a wall-clock time in China Standard Time names.
    pub fn from_civil(year: i64, month: u32, day: u32, seconds_of_day: i64) -> Timestamp {
        Timestamp(days_from_civil(year, month, day) * 86_400 + seconds_of_day - CST_OFFSET_SECS)
    }
}

/// (year, month, day) to days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.0 + CST_OFFSET_SECS;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

/// A calendar day (days since 1970-01-01), as deadlines are set: `2026-12-31` means to the end of
/// that day in Beijing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    /// Reads `YYYY-MM-DD` (what a date input sends); `None` for anything else or an impossible day.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y: i64 = s.get(0..4)?.parse().ok()?;
        let m: u32 = s.get(5..7)?.parse().ok()?;
        let d: u32 = s.get(8..10)?.parse().ok()?;
        if !(1..=12).contains(&m) || d == 0 {
            return None;
        }
        let date = Date(days_from_civil(y, m, d));
        (civil_from_days(date.0) == (y, m, d)).then_some(date)
    }

    /// The day `t` falls on in Beijing.
    pub fn of(t: Timestamp) -> Date {
        Date((t.0 + CST_OFFSET_SECS).div_euclid(86_400))
    }

    /// The day as people read it: `2026年12月25日`, `Dec 25, 2026`.
    pub fn human(self, lang: Lang) -> String {
        day_text(lang, civil_from_days(self.0))
    }

    /// The last second of the day in Beijing: a deadline of this day.
    pub fn end(self) -> Timestamp {
        Timestamp((self.0 + 1) * 86_400 - 1 - CST_OFFSET_SECS)
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_moments_days_and_months_for_people() {
        // 2026-12-15T23:59:59+08:00: the default deadline of November 2026.
        let t = Timestamp::from_civil(2026, 12, 15, 86_399);
        assert_eq!(t.human(Lang::Zh), "2026年12月15日 23:59");
        assert_eq!(t.human(Lang::En), "Dec 15, 2026 23:59");
        // Midnight UTC is 08:00 in Beijing, on the same day; 16:00 UTC is the next day.
        assert_eq!(Timestamp(0).human(Lang::En), "Jan 1, 1970 08:00");
        assert_eq!(Timestamp(16 * 3600).human(Lang::Zh), "1970年1月2日 00:00");
        let d = Date::parse("2027-03-05").map(|d| d.human(Lang::Zh));
        assert_eq!(d.as_deref(), Some("2027年3月5日"));
        let d = Date::parse("2027-03-05").map(|d| d.human(Lang::En));
        assert_eq!(d.as_deref(), Some("Mar 5, 2027"));
        assert_eq!(month_text(Lang::Zh, 2026, 11), "2026年11月");
        assert_eq!(month_text(Lang::En, 2026, 11), "Nov 2026");
        assert_eq!(Timestamp::parse_iso8601(&t.to_iso8601()), Some(t));
        assert_eq!(Date::of(t).end(), t);
        for bad in [
            "",
            "2026-12-15",
            "2026-12-15T23:59:59Z",
            "2026-12-15T24:00:00+08:00",
        ] {
            assert_eq!(Timestamp::parse_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_in_china_standard_time() {
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T08:00:00+08:00");
        // 2026-11-27T21:30:05Z
        assert_eq!(
            Timestamp(1_795_815_005).to_string(),
            "2026-11-28T05:30:05+08:00"
        );
        // leap day
        assert_eq!(
            Timestamp(951_782_400).to_string(),
            "2000-02-29T08:00:00+08:00"
        );
        // 2025-12-31T16:00:00Z is already 2026 in Beijing.
        assert_eq!(Timestamp(1_767_196_800).year(), 2026);
        assert_eq!(Timestamp(1_767_196_799).year(), 2025);
    }

    #[test]
    fn dates_parse_strictly_and_follow_beijing() {
        let d = Date::parse("2026-02-28").unwrap();
        assert_eq!(d.to_string(), "2026-02-28");
        assert_eq!(d.add_days(1).to_string(), "2026-03-01");
        assert_eq!(
            Date::parse(" 2024-02-29 ").unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "",
            "2026/01/01",
            "2026-04-31",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        // 2026-11-30T16:00:00Z is already 12-01 in Beijing.
        assert_eq!(
            Date::of(Timestamp::from_civil(2026, 12, 1, 0)).to_string(),
            "2026-12-01"
        );
        assert_eq!(
            Date::of(Timestamp::from_civil(2026, 11, 30, 86_399)).to_string(),
            "2026-11-30"
        );
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(Timestamp::from_civil(1970, 1, 1, 8 * 3600), Timestamp(0));
        let t = Timestamp::from_civil(2000, 2, 29, 8 * 3600);
        assert_eq!(t, Timestamp(951_782_400));
        assert_eq!(t.civil_date(), (2000, 2, 29));
        for day in (-800_000..800_000).step_by(997) {
            let t = Timestamp(day * 86_400);
            let (y, m, d) = t.civil_date();
            let back = Timestamp::from_civil(y, m, d, 0);
            assert_eq!(back.civil_date(), (y, m, d));
            assert!((t.0 - back.0).abs() < 86_400);
        }
    }
}
