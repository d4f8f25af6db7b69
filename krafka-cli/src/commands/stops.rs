//! `krafka consume`: where each partition stops, apart from `-e` and the
//! total `-c`: at a timestamp (`-o e@<unix ms>`, kcat's meaning: the first
//! record at or after it is not written and its partition stops), before
//! an offset (`--stop-offset`), or after a number of records of its own
//! (`-c N --count-per-partition`; kcat's `-c` counts all partitions
//! together, as krafka's does without the flag).
//!
//! A stopped partition is paused; once every partition has stopped the
//! command ends.

use std::collections::{HashMap, HashSet};

use krafka::{Consumer, ConsumerRecord, TopicPartition};

/// The per-partition limits, and the partitions that reached one.
#[derive(Debug, Default)]
pub struct Stops {
    /// Records with a timestamp at or after this are not written.
    timestamp: Option<i64>,
    /// Records at or after this offset are not written.
    offset: Option<i64>,
    /// At most this many records per partition.
    per_partition: Option<u64>,
    written: HashMap<TopicPartition, u64>,
    stopped: HashSet<TopicPartition>,
}

/// What to do with one record.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Write it.
    Write,
    /// Leave it out: its partition has stopped.
    Skip,
}

impl Stops {
    /// Limits at a timestamp, an offset, a count per partition (each when
    /// given).
    pub fn new(timestamp: Option<i64>, offset: Option<i64>, per_partition: Option<u64>) -> Stops {
        Stops {
            timestamp,
            offset,
            per_partition,
            ..Stops::default()
        }
    }

    /// Whether any limit is set.
    pub fn any(&self) -> bool {
        self.timestamp.is_some() || self.offset.is_some() || self.per_partition.is_some()
    }

    /// Whether `record` is written; a record past a limit stops its
    /// partition.
    pub fn check(&mut self, record: &ConsumerRecord) -> Verdict {
        let tp = record.topic_partition();
        if self.stopped.contains(&tp) {
            return Verdict::Skip;
        }
        let past = self.timestamp.is_some_and(|ts| record.timestamp >= ts)
            || self.offset.is_some_and(|offset| record.offset >= offset);
        if past {
            self.stopped.insert(tp);
            return Verdict::Skip;
        }
        Verdict::Write
    }

    /// Notes that a record of `tp` was written; the partition stops when
    /// that was its last.
    pub fn written(&mut self, tp: TopicPartition) {
        let count = self.written.entry(tp.clone()).or_default();
        *count += 1;
        if self.per_partition.is_some_and(|limit| *count >= limit) {
            self.stopped.insert(tp);
        }
    }

    /// Stops the partitions whose position is already at the stop offset
    /// (no record would come to tell), and a partition allowed no record
    /// at all; pauses every stopped partition. Whether every one of
    /// `partitions` has stopped.
    pub fn settle(&mut self, consumer: &Consumer, partitions: &[TopicPartition]) -> bool {
        for tp in partitions {
            let at_stop = self.offset.is_some_and(|stop| {
                consumer
                    .current_position(tp)
                    .is_some_and(|position| position >= stop)
            });
            if at_stop || self.per_partition == Some(0) {
                self.stopped.insert(tp.clone());
            }
        }
        let newly: Vec<TopicPartition> = self
            .stopped
            .iter()
            .filter(|tp| !consumer.paused().contains(tp))
            .cloned()
            .collect();
        if !newly.is_empty() {
            consumer.pause(&newly);
        }
        !partitions.is_empty() && partitions.iter().all(|tp| self.stopped.contains(tp))
    }

    /// The partitions stopped so far.
    pub fn stopped(&self) -> impl Iterator<Item = &TopicPartition> {
        self.stopped.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(partition: i32, offset: i64, timestamp: i64) -> ConsumerRecord {
        ConsumerRecord {
            topic: "t".into(),
            partition,
            offset,
            timestamp,
            timestamp_type: krafka::protocol::TimestampType::CreateTime,
            key: None,
            value: None,
            headers: krafka::protocol::RecordHeaders::new(),
            leader_epoch: None,
        }
    }

    #[test]
    fn a_timestamp_or_offset_stops_its_partition_only() {
        let mut stops = Stops {
            timestamp: Some(100),
            ..Stops::default()
        };
        assert_eq!(stops.check(&record(0, 0, 99)), Verdict::Write);
        assert_eq!(stops.check(&record(0, 1, 100)), Verdict::Skip);
        // Later records of a stopped partition stay out, even older ones.
        assert_eq!(stops.check(&record(0, 2, 50)), Verdict::Skip);
        assert_eq!(stops.check(&record(1, 0, 10)), Verdict::Write);
        let mut stops = Stops {
            offset: Some(2),
            ..Stops::default()
        };
        assert_eq!(stops.check(&record(0, 1, 0)), Verdict::Write);
        assert_eq!(stops.check(&record(0, 2, 0)), Verdict::Skip);
    }

    #[test]
    fn a_count_per_partition_stops_each_after_its_own() {
        let mut stops = Stops {
            per_partition: Some(2),
            ..Stops::default()
        };
        for offset in 0..2 {
            assert_eq!(stops.check(&record(0, offset, 0)), Verdict::Write);
            stops.written(TopicPartition::new("t", 0));
        }
        assert_eq!(stops.check(&record(0, 2, 0)), Verdict::Skip);
        assert_eq!(stops.check(&record(1, 0, 0)), Verdict::Write);
    }
}
