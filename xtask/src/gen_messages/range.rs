//! Kafka version specs (`"none"`, `"3"`, `"3+"`, `"0-11"`), as the derive
//! reads them.

use std::fmt;

/// An inclusive version range; `max == i16::MAX` is open-ended and
/// `min > max` is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min: i16,
    pub max: i16,
}

impl Range {
    pub const NONE: Range = Range { min: 0, max: -1 };
    pub const ALL: Range = Range {
        min: 0,
        max: i16::MAX,
    };

    pub fn parse(spec: &str) -> Result<Range, String> {
        let number = |s: &str| {
            s.parse::<i16>()
                .ok()
                .filter(|v| *v >= 0 && s.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("malformed version spec {spec:?}"))
        };
        let range = if spec == "none" {
            Range::NONE
        } else if let Some(min) = spec.strip_suffix('+') {
            Range {
                min: number(min)?,
                max: i16::MAX,
            }
        } else if let Some((min, max)) = spec.split_once('-') {
            let range = Range {
                min: number(min)?,
                max: number(max)?,
            };
            if range.is_empty() {
                return Err(format!("reversed version spec {spec:?}"));
            }
            range
        } else {
            let v = number(spec)?;
            Range { min: v, max: v }
        };
        Ok(range)
    }

    pub fn is_empty(self) -> bool {
        self.min > self.max
    }

    pub fn is_open(self) -> bool {
        self.max == i16::MAX
    }

    /// Whether every version of `self` is in `outer` (the empty range is in
    /// everything).
    pub fn within(self, outer: Range) -> bool {
        self.is_empty() || (!outer.is_empty() && self.min >= outer.min && self.max <= outer.max)
    }

    pub fn intersect(self, other: Range) -> Range {
        let r = Range {
            min: self.min.max(other.min),
            max: self.max.min(other.max),
        };
        if r.is_empty() { Range::NONE } else { r }
    }

    /// `self` with its upper end lowered to `max` when it is closed and
    /// ends later; open ranges stay open (Kafka's `"3+"` means "from 3 on,
    /// as far as the message goes").
    pub fn clamp_closed(self, max: i16) -> Range {
        if self.is_open() || self.max <= max {
            self
        } else {
            Range { min: self.min, max }.intersect(Range::ALL)
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            f.write_str("none")
        } else if self.is_open() {
            write!(f, "{}+", self.min)
        } else if self.min == self.max {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{}-{}", self.min, self.max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_kafka_specs() {
        for spec in ["none", "0+", "3+", "4-18", "5"] {
            assert_eq!(
                Range::parse(spec).map(|r| r.to_string()),
                Ok(spec.to_owned())
            );
        }
        for bad in ["", "+", "-1", "1-", "a", "7-3", "40000"] {
            assert!(Range::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn clamps_closed_ranges_only() {
        let r = |s| Range::parse(s).unwrap_or(Range::NONE);
        assert_eq!(r("0-6").clamp_closed(5), r("0-5"));
        assert_eq!(r("3+").clamp_closed(5), r("3+"));
        assert_eq!(r("6").clamp_closed(5), Range::NONE);
        assert_eq!(r("0+").intersect(r("2-7")), r("2-7"));
    }
}
