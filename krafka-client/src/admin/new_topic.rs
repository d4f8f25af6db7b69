//! [`NewTopic`]: what [`Admin::create_topics`](super::Admin::create_topics)
//! creates.

use krafka_core::messages::create_topics::{CreatableTopic, CreatableTopicConfig};

/// A topic to create: its name, partition count, replication factor and
/// topic-level settings under Kafka's names (`cleanup.policy`,
/// `retention.ms`, …).
///
/// ```
/// use krafka_client::NewTopic;
///
/// let topic = NewTopic::new("events", 6, 1).config("retention.ms", "3600000");
/// assert_eq!(topic.partitions, 6);
/// assert_eq!(topic.configs, vec![("retention.ms".to_owned(), "3600000".to_owned())]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTopic {
    /// The topic name.
    pub name: String,
    /// Number of partitions (-1: the broker's `num.partitions`).
    pub partitions: i32,
    /// Replication factor (-1: the broker's `default.replication.factor`).
    pub replication_factor: i16,
    /// Topic settings, in order.
    pub configs: Vec<(String, String)>,
}

impl NewTopic {
    /// A topic with `partitions` partitions replicated `replication_factor`
    /// times and no settings of its own.
    pub fn new(name: impl Into<String>, partitions: i32, replication_factor: i16) -> Self {
        NewTopic {
            name: name.into(),
            partitions,
            replication_factor,
            configs: Vec::new(),
        }
    }

    /// Adds a topic setting.
    pub fn config(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.configs.push((key.into(), value.into()));
        self
    }

    /// The CreateTopics request entry.
    pub(crate) fn to_creatable(&self) -> CreatableTopic {
        CreatableTopic {
            name: self.name.clone(),
            num_partitions: self.partitions,
            replication_factor: self.replication_factor,
            configs: self
                .configs
                .iter()
                .map(|(name, value)| CreatableTopicConfig {
                    name: name.clone(),
                    value: Some(value.clone()),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn becomes_a_request_entry() {
        let entry = NewTopic::new("t", 3, 2)
            .config("cleanup.policy", "compact")
            .to_creatable();
        assert_eq!(entry.name, "t");
        assert_eq!(entry.num_partitions, 3);
        assert_eq!(entry.replication_factor, 2);
        assert_eq!(entry.configs.len(), 1);
        assert_eq!(entry.configs[0].name, "cleanup.policy");
        assert_eq!(entry.configs[0].value.as_deref(), Some("compact"));
        assert!(entry.assignments.is_empty());
    }
}
