//! What a consumer hands out: [`ConsumerRecord`]s, named by
//! [`TopicPartition`], and what offset lookups return
//! ([`OffsetAndTimestamp`]); and the grouping of partitions by topic that
//! requests use.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use krafka_core::records::{RecordHeaders, TimestampType};

/// A partition of a topic.
///
/// ```
/// # use krafka_client::TopicPartition;
/// let tp = TopicPartition::new("events", 3);
/// assert_eq!(tp.to_string(), "events-3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicPartition {
    /// The topic name.
    pub topic: String,
    /// The partition index.
    pub partition: i32,
}

impl TopicPartition {
    /// `topic`-`partition`.
    pub fn new(topic: impl Into<String>, partition: i32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// A request's partition entries, each given with its topic's name, grouped
/// into one topic entry per topic (in name order), made by `topic(name,
/// partitions)`.
pub(crate) fn group_by_topic<'a, P, T>(
    partitions: impl IntoIterator<Item = (&'a str, P)>,
    mut topic: impl FnMut(String, Vec<P>) -> T,
) -> Vec<T> {
    let mut topics: BTreeMap<&str, Vec<P>> = BTreeMap::new();
    for (name, partition) in partitions {
        topics.entry(name).or_default().push(partition);
    }
    topics
        .into_iter()
        .map(|(name, partitions)| topic(name.to_owned(), partitions))
        .collect()
}

/// One record read from a partition.
///
/// Key, value and header bytes are slices of the fetched response (or of the
/// decompressed batch): no copy is made, and the buffer lives as long as any
/// record of it does. Headers are read from those bytes when iterated
/// ([`RecordHeaders`]), so a record costs about the same in memory however
/// many headers it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerRecord {
    /// The topic (shared by every record of the partition).
    pub topic: Arc<str>,
    /// The partition index.
    pub partition: i32,
    /// The record's offset.
    pub offset: i64,
    /// Milliseconds since the epoch; what it means is `timestamp_type`.
    pub timestamp: i64,
    /// Create time (set by the producer) or log-append time (set by the broker).
    pub timestamp_type: TimestampType,
    /// The key; `None` is a null key.
    pub key: Option<Bytes>,
    /// The value; `None` is a null value.
    pub value: Option<Bytes>,
    /// Headers in wire order; keys may repeat.
    pub headers: RecordHeaders,
    /// The leader epoch of the batch (`None` when the broker did not set one).
    pub leader_epoch: Option<i32>,
}

impl ConsumerRecord {
    /// The record's partition as a [`TopicPartition`] (allocates the name).
    pub fn topic_partition(&self) -> TopicPartition {
        TopicPartition::new(&*self.topic, self.partition)
    }
}

/// An offset found by timestamp ([`Consumer::offsets_for_times`](super::Consumer::offsets_for_times)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OffsetAndTimestamp {
    /// The first offset whose timestamp is at least the one asked for.
    pub offset: i64,
    /// That record's timestamp.
    pub timestamp: i64,
    /// The leader epoch of that record, when the broker sent one.
    pub leader_epoch: Option<i32>,
}

/// A committed offset: where a group resumes a partition (the offset of the
/// next record to read), with the leader epoch of the record before it
/// (KIP-320) and free-form metadata.
///
/// ```
/// # use krafka_client::OffsetAndMetadata;
/// let committed = OffsetAndMetadata::new(42).with_metadata("batch 7");
/// assert_eq!((committed.offset, committed.leader_epoch), (42, None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct OffsetAndMetadata {
    /// The offset of the next record to consume.
    pub offset: i64,
    /// The leader epoch of the last record consumed, when known.
    pub leader_epoch: Option<i32>,
    /// Metadata stored with the offset (empty: none).
    pub metadata: String,
}

impl OffsetAndMetadata {
    /// `offset` without a leader epoch or metadata.
    pub fn new(offset: i64) -> Self {
        OffsetAndMetadata {
            offset,
            leader_epoch: None,
            metadata: String::new(),
        }
    }

    /// With `leader_epoch`.
    pub fn with_leader_epoch(mut self, leader_epoch: i32) -> Self {
        self.leader_epoch = Some(leader_epoch);
        self
    }

    /// With `metadata`.
    pub fn with_metadata(mut self, metadata: impl Into<String>) -> Self {
        self.metadata = metadata.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_grouped_by_topic_in_name_order_keeping_their_order() {
        let grouped = group_by_topic([("b", 1), ("a", 7), ("b", 0), ("a", 2)], |name, p| {
            (name, p)
        });
        assert_eq!(
            grouped,
            [("a".to_owned(), vec![7, 2]), ("b".to_owned(), vec![1, 0])]
        );
        let none: Vec<(String, Vec<i32>)> = group_by_topic([], |name, p| (name, p));
        assert!(none.is_empty());
    }
}
