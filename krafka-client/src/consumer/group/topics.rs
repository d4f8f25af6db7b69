//! What a member subscribes to: topics by name, or every topic whose whole
//! name a regular expression matches (Java's `subscribe(Pattern)`).

use krafka_core::KrafkaError;
use regex::Regex;

/// A subscription's topics.
#[derive(Clone, Debug)]
pub(crate) enum TopicSelection {
    /// These topics (sorted, no duplicates).
    Names(Vec<String>),
    /// The topics whose whole name matches.
    Pattern(Regex),
}

impl TopicSelection {
    /// Named topics; none is empty or twice.
    pub(crate) fn names<S: Into<String>>(
        topics: impl IntoIterator<Item = S>,
    ) -> Result<TopicSelection, KrafkaError> {
        let mut names: Vec<String> = topics.into_iter().map(Into::into).collect();
        if names.iter().any(|t| t.trim().is_empty()) {
            return Err(KrafkaError::config(
                "cannot subscribe to an empty topic name",
            ));
        }
        names.sort_unstable();
        names.dedup();
        Ok(TopicSelection::Names(names))
    }

    /// Topics matching `pattern` in full (anchored at both ends, as Java's
    /// `Pattern.matcher(topic).matches()`).
    pub(crate) fn pattern(pattern: &str) -> Result<TopicSelection, KrafkaError> {
        let anchored = format!("^(?:{pattern})$");
        Regex::new(&anchored)
            .map(TopicSelection::Pattern)
            .map_err(|e| KrafkaError::config(format!("bad topic pattern `{pattern}`: {e}")))
    }

    /// Whether the cluster's whole topic list is needed to resolve it.
    pub(crate) fn needs_topic_list(&self) -> bool {
        matches!(self, TopicSelection::Pattern(_))
    }

    /// The subscribed topics among `known`, the cluster's topics with
    /// whether each is internal (only a pattern looks at them). Internal
    /// topics (`__consumer_offsets`, …) never match a pattern, as with
    /// Java's default `exclude.internal.topics`.
    pub(crate) fn resolve<'a>(
        &self,
        known: impl IntoIterator<Item = (&'a str, bool)>,
    ) -> Vec<String> {
        match self {
            TopicSelection::Names(names) => names.clone(),
            TopicSelection::Pattern(regex) => {
                let mut topics: Vec<String> = known
                    .into_iter()
                    .filter(|(t, internal)| !internal && regex.is_match(t))
                    .map(|(t, _)| t.to_owned())
                    .collect();
                topics.sort_unstable();
                topics.dedup();
                topics
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_whole_names_only() {
        let selection = TopicSelection::pattern("orders-.*").unwrap();
        let known = [
            ("orders-eu", false),
            ("orders-us", false),
            ("old-orders-eu", false),
            ("orders", false),
            ("orders-internal", true),
        ];
        assert_eq!(selection.resolve(known), ["orders-eu", "orders-us"]);
        let alternation = TopicSelection::pattern("a|b").unwrap();
        let known = [("a", false), ("b", false), ("ab", false), ("xa", false)];
        assert_eq!(alternation.resolve(known), ["a", "b"]);
    }

    #[test]
    fn bad_input_is_a_config_error() {
        assert!(TopicSelection::pattern("orders-(").is_err());
        assert!(TopicSelection::names(["a", " "]).is_err());
        let names = TopicSelection::names(["b", "a", "b"]).unwrap();
        assert_eq!(names.resolve([]), ["a", "b"]);
    }
}
