use std::fmt;

/// An inclusive range of versions, as Kafka writes them: `"none"`, `"3"`,
/// `"3+"`, `"0-11"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionRange {
    /// Lowest version in the range.
    pub min: i16,
    /// Highest version in the range (`i16::MAX` for open-ended ranges).
    pub max: i16,
}

impl VersionRange {
    /// The empty range (`"none"`).
    pub const NONE: VersionRange = VersionRange { min: 0, max: -1 };
    /// Every version (`"0+"`).
    pub const ALL: VersionRange = VersionRange {
        min: 0,
        max: i16::MAX,
    };

    /// `min..=max`.
    pub const fn new(min: i16, max: i16) -> Self {
        VersionRange { min, max }
    }

    /// Whether `version` lies in the range.
    #[inline]
    pub const fn contains(&self, version: i16) -> bool {
        self.min <= version && version <= self.max
    }

    /// Whether the range holds no version.
    pub const fn is_empty(&self) -> bool {
        self.min > self.max
    }

    /// Whether the range has no upper bound.
    pub const fn is_open(&self) -> bool {
        self.max == i16::MAX
    }

    /// The versions in both ranges.
    pub fn intersect(&self, other: VersionRange) -> VersionRange {
        let r = VersionRange::new(self.min.max(other.min), self.max.min(other.max));
        if r.is_empty() { VersionRange::NONE } else { r }
    }

    /// Parses Kafka's syntax; `None` when malformed.
    pub fn parse(spec: &str) -> Option<VersionRange> {
        let spec = spec.trim();
        if spec == "none" {
            return Some(VersionRange::NONE);
        }
        if let Some(min) = spec.strip_suffix('+') {
            return Some(VersionRange::new(min.parse().ok()?, i16::MAX));
        }
        if let Some((min, max)) = spec.split_once('-') {
            return Some(VersionRange::new(min.parse().ok()?, max.parse().ok()?));
        }
        let v = spec.parse().ok()?;
        Some(VersionRange::new(v, v))
    }
}

impl fmt::Display for VersionRange {
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
    fn parse_and_display_round_trip() {
        for spec in ["none", "0+", "3+", "5", "0-11"] {
            let r = VersionRange::parse(spec);
            assert_eq!(r.map(|r| r.to_string()).as_deref(), Some(spec));
        }
        assert_eq!(VersionRange::parse("x"), None);
        assert_eq!(VersionRange::parse("1-"), None);
    }

    #[test]
    fn contains_and_intersect() {
        let r = VersionRange::parse("3-7").unwrap_or(VersionRange::NONE);
        assert!(r.contains(3) && r.contains(7) && !r.contains(8) && !r.contains(2));
        assert!(!VersionRange::NONE.contains(0));
        assert_eq!(
            r.intersect(VersionRange::new(5, 100)),
            VersionRange::new(5, 7)
        );
        assert!(r.intersect(VersionRange::new(8, 9)).is_empty());
    }
}
