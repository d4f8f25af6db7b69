//! Kafka version specs: `"none"`, `"3"`, `"3+"`, `"0-11"`.

/// An inclusive version range; `max == i16::MAX` is open-ended, `min > max`
/// is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Versions {
    pub min: i16,
    pub max: i16,
}

impl Versions {
    pub const NONE: Versions = Versions { min: 0, max: -1 };
    pub const ALL: Versions = Versions {
        min: 0,
        max: i16::MAX,
    };

    pub fn is_empty(self) -> bool {
        self.min > self.max
    }

    pub fn is_open(self) -> bool {
        self.max == i16::MAX
    }

    /// Whether every version of `self` is in `outer` (the empty range is in
    /// everything).
    pub fn within(self, outer: Versions) -> bool {
        self.is_empty() || (!outer.is_empty() && self.min >= outer.min && self.max <= outer.max)
    }
}

impl std::fmt::Display for Versions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

/// Why a spec did not parse.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SpecError {
    Malformed,
    Reversed { min: i16, max: i16 },
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpecError::Malformed => f.write_str(
                "malformed version spec: expected \"none\", \"N\", \"N+\" or \"N-M\" with 0 <= N <= 32767",
            ),
            SpecError::Reversed { min, max } => {
                write!(f, "reversed version range: {min} is greater than {max}")
            }
        }
    }
}

fn number(s: &str) -> Result<i16, SpecError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SpecError::Malformed);
    }
    s.parse().map_err(|_| SpecError::Malformed)
}

pub(crate) fn parse(spec: &str) -> Result<Versions, SpecError> {
    if spec == "none" {
        return Ok(Versions::NONE);
    }
    if let Some(min) = spec.strip_suffix('+') {
        return Ok(Versions {
            min: number(min)?,
            max: i16::MAX,
        });
    }
    if let Some((min, max)) = spec.split_once('-') {
        let (min, max) = (number(min)?, number(max)?);
        if min > max {
            return Err(SpecError::Reversed { min, max });
        }
        return Ok(Versions { min, max });
    }
    let v = number(spec)?;
    Ok(Versions { min: v, max: v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kafka_specs() {
        assert_eq!(parse("none"), Ok(Versions::NONE));
        assert_eq!(
            parse("3+"),
            Ok(Versions {
                min: 3,
                max: i16::MAX
            })
        );
        assert_eq!(parse("0-11"), Ok(Versions { min: 0, max: 11 }));
        assert_eq!(parse("5"), Ok(Versions { min: 5, max: 5 }));
    }

    #[test]
    fn rejects_bad_specs() {
        for bad in ["", "+", "-1", "1-", "a", "3 +", "1-2-3", "40000", "+3"] {
            assert_eq!(parse(bad), Err(SpecError::Malformed), "{bad}");
        }
        assert_eq!(parse("7-3"), Err(SpecError::Reversed { min: 7, max: 3 }));
    }

    #[test]
    fn display_round_trips() {
        for spec in ["none", "0+", "4-18", "5"] {
            assert_eq!(parse(spec).map(|v| v.to_string()).as_deref(), Ok(spec));
        }
    }

    #[test]
    fn within() {
        let msg = Versions { min: 4, max: 18 };
        assert!(Versions { min: 12, max: 18 }.within(msg));
        assert!(
            !Versions {
                min: 12,
                max: i16::MAX
            }
            .within(msg)
        );
        assert!(Versions::NONE.within(msg));
    }
}
