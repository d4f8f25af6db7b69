//! Choosing a record's partition, as the Java producer does.
//!
//! - A keyed record goes to `toPositive(murmur2(key)) % partitions`, over all
//!   partitions of the topic (available or not), so the same key lands on the
//!   same partition whichever Kafka client wrote it.
//! - A record without a key (or with `partitioner.ignore.keys`) uses the
//!   uniform sticky strategy of KIP-794: every record of a topic goes to one
//!   partition until at least `batch.size` bytes were produced to it, then a
//!   new partition is drawn at random among those that have a leader; with
//!   `partitioner.adaptive.partitioning.enable` (the default) partitions
//!   with fewer batches queued are more likely, and with
//!   `partitioner.availability.timeout.ms` a partition whose leader has not
//!   drained for that long is not drawn.
//! - A [`Partitioner`] set on the producer is asked first.

use std::collections::HashMap;
use std::fmt::Debug;

use crate::cluster::TopicMetadata;

/// Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`): the
/// 32-bit MurmurHash2 with seed `0x9747b28c`, reading 4-byte little-endian
/// words.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    // Java hashes an int length; keys above 2 GiB cannot reach a producer.
    let length = data.len() as u32;
    let mut h = SEED ^ length;
    let mut words = data.chunks_exact(4);
    for word in words.by_ref() {
        let mut k = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = words.remainder();
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if let Some(&first) = tail.first() {
        h ^= u32::from(first);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (not `abs`, which
/// overflows on `i32::MIN`).
pub fn to_positive(number: i32) -> i32 {
    number & i32::MAX
}

/// The partition of a keyed record among `partitions` partitions, as Java's
/// `BuiltInPartitioner.partitionForKey` computes it. `partitions` must be
/// positive; zero gives partition 0.
pub fn partition_for_key(key: &[u8], partitions: i32) -> i32 {
    if partitions <= 0 {
        return 0;
    }
    to_positive(murmur2(key)) % partitions
}

/// A user-supplied partitioner (Java's `partitioner.class`).
///
/// Return `Some(partition)` to place the record, or `None` to let the
/// built-in strategy decide (murmur2 of the key, or sticky for keyless
/// records). A partition outside the topic fails the send.
pub trait Partitioner: Send + Sync + Debug {
    /// The partition of one record of `topic`.
    fn partition(
        &self,
        topic: &TopicMetadata,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
    ) -> Option<i32>;
}

/// What the adaptive partitioner knows of a topic's partitions.
pub(crate) trait PartitionLoad {
    /// The size of the partition's queue (in batches), or `None` when its
    /// leader is taken to be unavailable.
    fn queued(&self, partition: i32) -> Option<u32>;
}

/// Every partition equally loaded (the non-adaptive draw).
#[cfg(test)]
pub(crate) struct NoLoad;

#[cfg(test)]
impl PartitionLoad for NoLoad {
    fn queued(&self, _partition: i32) -> Option<u32> {
        Some(0)
    }
}

/// The sticky partition state of every topic (KIP-794).
#[derive(Debug, Default)]
pub(crate) struct StickyPartitions {
    /// Draws weigh partitions by their queues (KIP-794 adaptive).
    adaptive: bool,
    /// Every topic's state but the most recent one's.
    topics: HashMap<String, Sticky>,
    /// The topic used last and its state (looked up twice per keyless
    /// record: a string comparison instead of two hashes).
    recent: Option<(String, Sticky)>,
    rng: Rng,
    /// Scratch space of draws: candidates and their cumulative weights.
    candidates: Vec<i32>,
    weights: Vec<u64>,
}

#[derive(Debug, Clone, Copy)]
struct Sticky {
    partition: i32,
    produced: usize,
}

impl StickyPartitions {
    /// Sticky state, drawing adaptively when `adaptive`.
    pub(crate) fn new(adaptive: bool) -> Self {
        StickyPartitions {
            adaptive,
            ..StickyPartitions::default()
        }
    }

    /// The state of `name`, made the most recent.
    fn entry(&mut self, name: &str) -> Option<&mut Sticky> {
        if self
            .recent
            .as_ref()
            .is_none_or(|(recent, _)| recent != name)
        {
            let found = self.topics.remove_entry(name)?;
            if let Some((recent, sticky)) = self.recent.replace(found) {
                self.topics.insert(recent, sticky);
            }
        }
        self.recent.as_mut().map(|(_, sticky)| sticky)
    }

    fn set(&mut self, name: &str, state: Sticky) {
        match self.entry(name) {
            Some(sticky) => *sticky = state,
            None => {
                if let Some((recent, sticky)) = self.recent.replace((name.to_owned(), state)) {
                    self.topics.insert(recent, sticky);
                }
            }
        }
    }

    /// The partition for the next keyless record of `topic`.
    pub(crate) fn partition(&mut self, topic: &TopicMetadata, loads: &dyn PartitionLoad) -> i32 {
        let count = partition_count(topic);
        if let Some(sticky) = self.entry(&topic.name) {
            if sticky.partition < count {
                return sticky.partition;
            }
        }
        let partition = self.draw(topic, None, loads);
        self.set(
            &topic.name,
            Sticky {
                partition,
                produced: 0,
            },
        );
        partition
    }

    /// Counts `bytes` produced to `partition` of `topic`; once the sticky
    /// partition got `batch_size` bytes and its open batch is full
    /// (`batch_full`), or got twice that, the next record draws a new one.
    /// Waiting for a full batch leaves no half-empty batch behind to linger
    /// on a partition the records may not come back to for a long time.
    /// Returns whether it moved on.
    pub(crate) fn produced(
        &mut self,
        topic: &TopicMetadata,
        partition: i32,
        bytes: usize,
        batch_size: usize,
        batch_full: bool,
        loads: &dyn PartitionLoad,
    ) -> bool {
        let Some(sticky) = self.entry(&topic.name) else {
            return false;
        };
        if sticky.partition != partition {
            return false;
        }
        sticky.produced = sticky.produced.saturating_add(bytes);
        if (sticky.produced >= batch_size && batch_full)
            || sticky.produced >= batch_size.saturating_mul(2)
        {
            let current = sticky.partition;
            let next = self.draw(topic, Some(current), loads);
            self.set(
                &topic.name,
                Sticky {
                    partition: next,
                    produced: 0,
                },
            );
            return true;
        }
        false
    }

    /// A random partition with a leader (any partition when none has one),
    /// other than `avoid` when there is a choice. Adaptive, as Java's
    /// `BuiltInPartitioner`: partitions whose leader is unavailable are left
    /// out (unless that leaves none), and each of the others weighs
    /// `longest queue + 1 - its queue`, so a partition with an empty queue
    /// is drawn `longest + 1` times as often as one with the longest.
    fn draw(
        &mut self,
        topic: &TopicMetadata,
        avoid: Option<i32>,
        loads: &dyn PartitionLoad,
    ) -> i32 {
        let mut candidates = std::mem::take(&mut self.candidates);
        let mut weights = std::mem::take(&mut self.weights);
        candidates.clear();
        weights.clear();
        candidates.extend(
            topic
                .partitions
                .iter()
                .filter(|p| p.leader.is_some())
                .map(|p| p.partition),
        );
        if candidates.is_empty() {
            candidates.extend(0..partition_count(topic));
        }
        if candidates.len() > 1 {
            if let Some(avoid) = avoid {
                candidates.retain(|&p| p != avoid);
            }
        }
        if self.adaptive && candidates.len() > 1 {
            weights.extend(
                candidates
                    .iter()
                    .map(|&p| loads.queued(p).map_or(u64::MAX, u64::from)),
            );
            if weights.iter().any(|&w| w != u64::MAX) {
                let mut available = weights.iter();
                candidates.retain(|_| available.next().is_some_and(|&w| w != u64::MAX));
                weights.retain(|&w| w != u64::MAX);
            } else {
                weights.clear();
            }
        }
        let partition = match weights.iter().copied().max() {
            Some(longest) if weights.iter().any(|&w| w != longest) => {
                let mut total = 0u64;
                for weight in &mut weights {
                    total += longest + 1 - *weight;
                    *weight = total;
                }
                let pick = self.rng.next() % total.max(1);
                let index = weights.partition_point(|&cumulative| cumulative <= pick);
                candidates.get(index).copied()
            }
            _ if candidates.is_empty() => None,
            _ => {
                let index = (self.rng.next() % candidates.len() as u64) as usize;
                candidates.get(index).copied()
            }
        };
        self.candidates = candidates;
        self.weights = weights;
        partition.unwrap_or(0)
    }
}

/// Number of partitions of a topic, as an `i32`.
pub(crate) fn partition_count(topic: &TopicMetadata) -> i32 {
    i32::try_from(topic.partitions.len()).unwrap_or(i32::MAX)
}

/// xorshift64*, seeded from the standard library's random hasher keys.
#[derive(Debug)]
struct Rng(u64);

impl Default for Rng {
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(0x6b72_6166_6b61);
        Rng(hasher.finish() | 1)
    }
}

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::PartitionMetadata;
    use krafka_core::codec::Uuid;

    fn topic(partitions: i32, with_leader: &[i32]) -> TopicMetadata {
        TopicMetadata {
            name: "t".into(),
            topic_id: Uuid::ZERO,
            is_internal: false,
            partitions: (0..partitions)
                .map(|p| PartitionMetadata {
                    partition: p,
                    leader: with_leader.contains(&p).then_some(1),
                    leader_epoch: 0,
                    replicas: vec![1],
                    isr: vec![1],
                    offline_replicas: vec![],
                    error: None,
                })
                .collect(),
        }
    }

    #[test]
    fn murmur2_known_values() {
        // Printed by kafka-clients' Utils.murmur2 (tests/java/conformance
        // `partitioner-vectors`; tests/tests/producer_partitioner.rs checks
        // hundreds more).
        let cases: [(&[u8], i32); 6] = [
            (b"", 275_646_681),
            (b"a", -1_563_381_124),
            (b"key", -1_079_937_367),
            (b"user-42", 1_459_644_460),
            (b"order:1234567890", -216_730_125),
            (&[0x84, 0x95, 0xa6, 0xb7], 730_158_922),
        ];
        for (key, hash) in cases {
            assert_eq!(murmur2(key), hash, "{:?}", String::from_utf8_lossy(key));
        }
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-1), i32::MAX);
    }

    #[test]
    fn sticky_state_is_kept_per_topic_across_topic_switches() {
        let mut a = topic(8, &[0, 1, 2, 3, 4, 5, 6, 7]);
        let mut b = a.clone();
        a.name = "a".into();
        b.name = "b".into();
        let mut sticky = StickyPartitions::default();
        let first_a = sticky.partition(&a, &NoLoad);
        sticky.produced(&a, first_a, 600, 1000, true, &NoLoad);
        let first_b = sticky.partition(&b, &NoLoad);
        sticky.produced(&b, first_b, 10, 1000, true, &NoLoad);
        // Back to a: same partition, and its 600 bytes still count.
        assert_eq!(sticky.partition(&a, &NoLoad), first_a);
        sticky.produced(&a, first_a, 300, 1000, true, &NoLoad);
        assert_eq!(sticky.partition(&a, &NoLoad), first_a);
        sticky.produced(&a, first_a, 100, 1000, true, &NoLoad);
        assert_ne!(sticky.partition(&a, &NoLoad), first_a);
        assert_eq!(sticky.partition(&b, &NoLoad), first_b);
    }

    #[test]
    fn sticky_switches_after_batch_size_and_only_to_partitions_with_leaders() {
        let t = topic(4, &[1, 3]);
        let mut sticky = StickyPartitions::default();
        let first = sticky.partition(&t, &NoLoad);
        assert!(first == 1 || first == 3);
        for _ in 0..10 {
            assert_eq!(sticky.partition(&t, &NoLoad), first);
            sticky.produced(&t, first, 10, 1000, true, &NoLoad);
        }
        sticky.produced(&t, first, 900, 1000, true, &NoLoad);
        let second = sticky.partition(&t, &NoLoad);
        assert_ne!(second, first);
        assert!(second == 1 || second == 3);
    }

    #[test]
    fn sticky_stays_until_the_open_batch_is_full_or_twice_batch_size() {
        let t = topic(1000, &(0..1000).collect::<Vec<_>>());
        let mut sticky = StickyPartitions::default();
        let first = sticky.partition(&t, &NoLoad);
        // batch.size reached but the batch still has room: stay.
        sticky.produced(&t, first, 1000, 1000, false, &NoLoad);
        assert_eq!(sticky.partition(&t, &NoLoad), first);
        // The batch filled up: move on.
        sticky.produced(&t, first, 10, 1000, true, &NoLoad);
        let second = sticky.partition(&t, &NoLoad);
        assert_ne!(second, first);
        // A batch never reported full: move on at twice batch.size.
        sticky.produced(&t, second, 1999, 1000, false, &NoLoad);
        assert_eq!(sticky.partition(&t, &NoLoad), second);
        sticky.produced(&t, second, 1, 1000, false, &NoLoad);
        assert_ne!(sticky.partition(&t, &NoLoad), second);
    }

    /// Fixed queue sizes; `None`: the leader is unavailable.
    struct Queued(Vec<Option<u32>>);

    impl PartitionLoad for Queued {
        fn queued(&self, partition: i32) -> Option<u32> {
            self.0[usize::try_from(partition).unwrap()]
        }
    }

    fn tally(sticky: &mut StickyPartitions, t: &TopicMetadata, loads: &Queued) -> Vec<u32> {
        let mut seen = vec![0; t.partitions.len()];
        for _ in 0..14_000 {
            seen[usize::try_from(sticky.draw(t, None, loads)).unwrap()] += 1;
        }
        seen
    }

    #[test]
    fn adaptive_draws_favour_short_queues_as_java_weighs_them() {
        let t = topic(4, &[0, 1, 2, 3]);
        // Longest 3: weights 4, 1, 1, 1 (4/7 of the draws to partition 0).
        let loads = Queued(vec![Some(0), Some(3), Some(3), Some(3)]);
        let seen = tally(&mut StickyPartitions::new(true), &t, &loads);
        assert!((7_400..8_600).contains(&seen[0]), "{seen:?}");
        for &other in &seen[1..] {
            assert!((1_600..2_400).contains(&other), "{seen:?}");
        }
        // Equal queues, or adaptive off: uniform.
        let even = Queued(vec![Some(2); 4]);
        for (adaptive, loads) in [(true, &even), (false, &loads)] {
            let seen = tally(&mut StickyPartitions::new(adaptive), &t, loads);
            for &count in &seen {
                assert!((3_100..3_900).contains(&count), "{adaptive} {seen:?}");
            }
        }
    }

    #[test]
    fn adaptive_draws_skip_unavailable_leaders_unless_all_are() {
        let t = topic(4, &[0, 1, 2, 3]);
        let loads = Queued(vec![Some(5), None, Some(0), None]);
        let seen = tally(&mut StickyPartitions::new(true), &t, &loads);
        assert_eq!((seen[1], seen[3]), (0, 0), "{seen:?}");
        // Weights 1 and 6.
        assert!((1_500..2_500).contains(&seen[0]), "{seen:?}");
        let none = Queued(vec![None; 4]);
        let seen = tally(&mut StickyPartitions::new(true), &t, &none);
        assert!(seen.iter().all(|&count| count > 3_000), "{seen:?}");
        // Without adaptive partitioning, availability is not looked at.
        let seen = tally(&mut StickyPartitions::new(false), &t, &loads);
        assert!(seen.iter().all(|&count| count > 3_000), "{seen:?}");
    }
}
