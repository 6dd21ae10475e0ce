//! Timestamps as gaoxin shows and stores them: ISO 8601 in China Standard Time (+08:00).
//!
//! The clock is read by the caller (the binary or a test) and passed in, so the domain stays
//! free of I/O and tests can inject any time.

use std::fmt;

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
