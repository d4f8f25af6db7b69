//! `krafka consume -o …`: where to start reading each partition.

use std::fmt;
use std::str::FromStr;

/// A start position, as `-o` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetSpec {
    /// `beginning`: the log start offset.
    Beginning,
    /// `end`: only records produced from now on.
    End,
    /// `stored`: no seek; the consumer's own start (a committed offset once
    /// groups exist, until then `auto.offset.reset`).
    Stored,
    /// `<offset>`: this offset in every partition.
    Absolute(i64),
    /// `-<N>`: the last N records of every partition.
    FromEnd(i64),
    /// `s@<unix ms>`: the first record at or after this timestamp.
    Timestamp(i64),
}

/// One `-o`: where to start, or (`e@<unix ms>`, as in kcat) where to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetArg {
    /// A start position.
    Start(OffsetSpec),
    /// `e@<unix ms>`: each partition stops before its first record at or
    /// after this timestamp.
    StopAt(i64),
}

impl FromStr for OffsetArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.strip_prefix("e@") {
            Some(ms) if !ms.is_empty() && ms.bytes().all(|b| b.is_ascii_digit()) => ms
                .parse()
                .map(OffsetArg::StopAt)
                .map_err(|_| format!("invalid stop timestamp `{text}`")),
            Some(_) => Err(format!(
                "invalid offset `{text}`: e@ takes a timestamp in Unix ms"
            )),
            None => text.parse().map(OffsetArg::Start),
        }
    }
}

impl OffsetSpec {
    /// For [`OffsetSpec::FromEnd`]: `n` before the end, but not before the
    /// beginning.
    pub fn from_end(beginning: i64, end: i64, n: i64) -> i64 {
        end.saturating_sub(n).max(beginning)
    }
}

impl FromStr for OffsetSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "invalid offset `{text}`: expected beginning, end, stored, <offset>, \
                 -<count from end> or s@<unix ms>"
            )
        };
        let number = |digits: &str| -> Result<i64, String> {
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            digits.parse::<i64>().map_err(|_| bad())
        };
        match text {
            "beginning" => Ok(OffsetSpec::Beginning),
            "end" => Ok(OffsetSpec::End),
            "stored" => Ok(OffsetSpec::Stored),
            _ => {
                if let Some(count) = text.strip_prefix('-') {
                    Ok(OffsetSpec::FromEnd(number(count)?))
                } else if let Some(ms) = text.strip_prefix("s@") {
                    Ok(OffsetSpec::Timestamp(number(ms)?))
                } else {
                    Ok(OffsetSpec::Absolute(number(text)?))
                }
            }
        }
    }
}

impl fmt::Display for OffsetSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OffsetSpec::Beginning => f.write_str("beginning"),
            OffsetSpec::End => f.write_str("end"),
            OffsetSpec::Stored => f.write_str("stored"),
            OffsetSpec::Absolute(offset) => write!(f, "{offset}"),
            OffsetSpec::FromEnd(n) => write!(f, "-{n}"),
            OffsetSpec::Timestamp(ms) => write!(f, "s@{ms}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let parse = |s: &str| s.parse::<OffsetSpec>();
        assert_eq!(parse("beginning"), Ok(OffsetSpec::Beginning));
        assert_eq!(parse("end"), Ok(OffsetSpec::End));
        assert_eq!(parse("stored"), Ok(OffsetSpec::Stored));
        assert_eq!(parse("0"), Ok(OffsetSpec::Absolute(0)));
        assert_eq!(parse("1234"), Ok(OffsetSpec::Absolute(1234)));
        assert_eq!(parse("-10"), Ok(OffsetSpec::FromEnd(10)));
        assert_eq!(
            parse("s@1700000000000"),
            Ok(OffsetSpec::Timestamp(1_700_000_000_000))
        );
    }

    #[test]
    fn rejects_the_rest() {
        for bad in [
            "",
            "begin",
            "-",
            "--3",
            "+5",
            "1.5",
            "s@",
            "s@-1",
            "s@x",
            "12a",
            " 1",
            "99999999999999999999",
        ] {
            let error = bad.parse::<OffsetSpec>().unwrap_err();
            assert!(error.contains("invalid offset"), "{bad}: {error}");
        }
    }

    #[test]
    fn round_trips_through_display() {
        for text in ["beginning", "end", "stored", "7", "-3", "s@5"] {
            assert_eq!(text.parse::<OffsetSpec>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn stop_timestamps_are_told_apart() {
        assert_eq!("e@5".parse(), Ok(OffsetArg::StopAt(5)));
        assert_eq!(
            "s@5".parse(),
            Ok(OffsetArg::Start(OffsetSpec::Timestamp(5)))
        );
        assert!("e@".parse::<OffsetArg>().is_err());
        assert!("e@-1".parse::<OffsetArg>().is_err());
    }

    #[test]
    fn from_end_stops_at_the_beginning() {
        assert_eq!(OffsetSpec::from_end(0, 100, 10), 90);
        assert_eq!(OffsetSpec::from_end(95, 100, 10), 95);
        assert_eq!(OffsetSpec::from_end(0, 100, 0), 100);
        assert_eq!(OffsetSpec::from_end(0, 5, i64::MAX), 0);
    }
}
