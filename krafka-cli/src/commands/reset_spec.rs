//! `krafka group offsets --reset-to …`: where to move a group's committed
//! offsets.

use std::fmt;
use std::str::FromStr;

/// A reset target, as `--reset-to` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetSpec {
    /// `earliest`: the log start offset.
    Earliest,
    /// `latest`: the log end offset.
    Latest,
    /// `<offset>`: this offset in every partition (kept within the log).
    Offset(i64),
    /// `s@<unix ms>` or an ISO 8601 date: the first record at or after it
    /// (the log end where there is none).
    Timestamp(i64),
}

impl FromStr for ResetSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "invalid reset target `{text}`: expected earliest, latest, <offset>, \
                 s@<unix ms> or an ISO 8601 date (2024-05-01, 2024-05-01T12:30:00Z, \
                 2024-05-01T12:30:00.250+02:00)"
            )
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match text {
            "earliest" => Ok(ResetSpec::Earliest),
            "latest" => Ok(ResetSpec::Latest),
            _ if digits(text) => text.parse().map(ResetSpec::Offset).map_err(|_| bad()),
            _ => match text.strip_prefix("s@") {
                Some(ms) if digits(ms) => ms.parse().map(ResetSpec::Timestamp).map_err(|_| bad()),
                Some(_) => Err(bad()),
                None => iso_millis(text).map(ResetSpec::Timestamp).ok_or_else(bad),
            },
        }
    }
}

impl fmt::Display for ResetSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResetSpec::Earliest => f.write_str("earliest"),
            ResetSpec::Latest => f.write_str("latest"),
            ResetSpec::Offset(offset) => write!(f, "{offset}"),
            ResetSpec::Timestamp(ms) => write!(f, "s@{ms}"),
        }
    }
}

/// Milliseconds since the epoch of `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]`
/// (UTC without a zone); `None` when it is not such a date or is before
/// 1970.
fn iso_millis(text: &str) -> Option<i64> {
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year = fixed(parts.next()?, 4)?;
    let month = fixed(parts.next()?, 2)?;
    let day = fixed(parts.next()?, 2)?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day < 1 || day > days_in(year, month)
    {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    if let Some(time) = time {
        let (clock, zone_ms) = split_zone(time)?;
        let (hms, fraction) = match clock.split_once('.') {
            Some((hms, fraction)) => (hms, Some(fraction)),
            None => (clock, None),
        };
        let mut fields = hms.split(':');
        let hour = fixed(fields.next()?, 2)?;
        let minute = fixed(fields.next()?, 2)?;
        let second = fields.next().map_or(Some(0), |s| fixed(s, 2))?;
        if fields.next().is_some() || hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let fraction_ms = match fraction {
            None => 0,
            Some(f) if (1..=3).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
                f.parse::<i64>().ok()? * 10_i64.pow(3 - u32::try_from(f.len()).ok()?)
            }
            Some(_) => return None,
        };
        millis += ((hour * 60 + minute) * 60 + second) * 1000 + fraction_ms - zone_ms;
    }
    (millis >= 0).then_some(millis)
}

/// The clock part and the zone's offset from UTC in milliseconds.
fn split_zone(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock, 0));
    }
    match time.rfind(['+', '-']) {
        Some(at) => {
            let (clock, zone) = time.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (hours, minutes) = zone[1..].split_once(':')?;
            let (hours, minutes) = (fixed(hours, 2)?, fixed(minutes, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            Some((clock, sign * (hours * 60 + minutes) * 60_000))
        }
        None => Some((time, 0)),
    }
}

/// A number of exactly `width` ASCII digits.
fn fixed(text: &str, width: usize) -> Option<i64> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let parse = |s: &str| s.parse::<ResetSpec>();
        assert_eq!(parse("earliest"), Ok(ResetSpec::Earliest));
        assert_eq!(parse("latest"), Ok(ResetSpec::Latest));
        assert_eq!(parse("42"), Ok(ResetSpec::Offset(42)));
        assert_eq!(
            parse("s@1700000000000"),
            Ok(ResetSpec::Timestamp(1_700_000_000_000))
        );
        assert_eq!(parse("1970-01-01"), Ok(ResetSpec::Timestamp(0)));
        assert_eq!(
            parse("2023-11-14T22:13:20Z"),
            Ok(ResetSpec::Timestamp(1_700_000_000_000))
        );
        assert_eq!(
            parse("2023-11-14T22:13:20"),
            Ok(ResetSpec::Timestamp(1_700_000_000_000))
        );
        assert_eq!(
            parse("2023-11-14T22:13:20.5Z"),
            Ok(ResetSpec::Timestamp(1_700_000_000_500))
        );
        assert_eq!(
            parse("2023-11-15T00:13:20.250+02:00"),
            Ok(ResetSpec::Timestamp(1_700_000_000_250))
        );
        assert_eq!(
            parse("2023-11-14T21:13-01:00"),
            Ok(ResetSpec::Timestamp(1_699_999_980_000))
        );
        assert_eq!(
            parse("2024-02-29"),
            Ok(ResetSpec::Timestamp(1_709_164_800_000))
        );
    }

    #[test]
    fn rejects_the_rest() {
        for bad in [
            "",
            "begin",
            "-1",
            "1.5",
            "s@",
            "s@-1",
            "s@x",
            "2023-13-01",
            "2023-02-29",
            "2023-1-01",
            "2023-01-01T25:00",
            "2023-01-01T10:00:00.1234",
            "2023-01-01T10:00+2",
            "1969-12-31",
            "99999999999999999999",
        ] {
            let error = bad.parse::<ResetSpec>().unwrap_err();
            assert!(error.contains("invalid reset target"), "{bad}: {error}");
        }
    }

    #[test]
    fn round_trips_through_display() {
        for text in ["earliest", "latest", "7", "s@5"] {
            assert_eq!(text.parse::<ResetSpec>().unwrap().to_string(), text);
        }
    }
}
