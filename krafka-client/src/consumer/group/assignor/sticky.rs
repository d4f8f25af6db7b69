//! `sticky`: a balanced assignment that keeps partitions with their
//! previous owners (eager rebalancing). Each member reports what it owned
//! in its subscription's user data, in the format of Java's
//! `StickyAssignor`, which older members (before owned partitions joined
//! the subscription) rely on:
//!
//! ```text
//! previous_assignment: [topic: string (int16 length), partitions: [int32]]
//! generation: int32            (absent in the first version of the format)
//! ```
//!
//! Arrays have an `int32` count; integers are big-endian.

use std::collections::BTreeMap;
use std::sync::Mutex;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use krafka_core::KrafkaError;

use super::input::Group;
use super::java::{JavaHashOrder, string_hash};
use super::sticky_core::{self, DEFAULT_GENERATION, MemberData};
use super::{Assignor, GroupAssignmentInput};
use crate::consumer::group::protocol::{MemberAssignment, Subscription};
use crate::consumer::record::TopicPartition;

/// Java's `StickyAssignor`.
#[derive(Debug, Default)]
pub struct StickyAssignor {
    /// This member's partitions and generation after its last SyncGroup.
    last: Mutex<Option<(Vec<TopicPartition>, i32)>>,
}

impl StickyAssignor {
    /// An assignor for a member that has no assignment yet.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Assignor for StickyAssignor {
    fn name(&self) -> &str {
        "sticky"
    }

    fn user_data(&self, _topics: &[String]) -> Option<Bytes> {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let (partitions, generation) = last.as_ref()?;
        Some(encode_user_data(partitions, Some(*generation)))
    }

    fn assign(
        &self,
        group: &GroupAssignmentInput,
    ) -> Result<BTreeMap<String, MemberAssignment>, KrafkaError> {
        let group = Group::new(group);
        let result = sticky_core::assign(&group, &member_data)?;
        Ok(group.output(result.assigned))
    }

    fn on_assignment(&self, assignment: &MemberAssignment, generation_id: i32) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        *last = Some((assignment.partitions.clone(), generation_id));
    }
}

/// What a `sticky` member owned: from its user data only (eager members
/// give up everything before joining, so the subscription's own fields
/// say nothing).
fn member_data(subscription: &Subscription) -> MemberData {
    match &subscription.user_data {
        Some(data) if !data.is_empty() => decode_user_data(data),
        _ => MemberData::default(),
    }
}

/// The user data a `sticky` member sends: topics in the order Java's
/// `HashMap` groups them (with `computeIfAbsent`), each with its partitions in assignment order.
pub(crate) fn encode_user_data(partitions: &[TopicPartition], generation: Option<i32>) -> Bytes {
    let mut topics: JavaHashOrder<&str> = JavaHashOrder::new();
    let mut by_topic: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for tp in partitions {
        topics.insert_if_absent(&tp.topic, string_hash(&tp.topic));
        by_topic.entry(&tp.topic).or_default().push(tp.partition);
    }
    let mut buf = BytesMut::new();
    buf.put_i32(by_topic.len() as i32);
    for topic in topics.iter() {
        buf.put_i16(topic.len() as i16);
        buf.put_slice(topic.as_bytes());
        let indices = by_topic.get(topic).map(Vec::as_slice).unwrap_or_default();
        buf.put_i32(indices.len() as i32);
        for &p in indices {
            buf.put_i32(p);
        }
    }
    if let Some(generation) = generation {
        buf.put_i32(generation);
    }
    buf.freeze()
}

/// Reads a `sticky` member's user data with a generation, else without;
/// data neither can read counts as no partitions at the default
/// generation, as in Java.
pub(crate) fn decode_user_data(data: &[u8]) -> MemberData {
    let mut buf = data;
    if let Some(partitions) = read_assignment(&mut buf) {
        if buf.remaining() >= 4 {
            return MemberData {
                partitions,
                generation: Some(buf.get_i32()),
            };
        }
        return MemberData {
            partitions,
            generation: None,
        };
    }
    MemberData {
        partitions: Vec::new(),
        generation: Some(DEFAULT_GENERATION),
    }
}

fn read_assignment(buf: &mut &[u8]) -> Option<Vec<TopicPartition>> {
    let topics = read_count(buf)?;
    let mut partitions = Vec::new();
    for _ in 0..topics {
        if buf.remaining() < 2 {
            return None;
        }
        let length = usize::try_from(buf.get_i16()).ok()?;
        if length > buf.remaining() {
            return None;
        }
        let topic = String::from_utf8_lossy(&buf[..length]).into_owned();
        buf.advance(length);
        let count = read_count(buf)?;
        for _ in 0..count {
            if buf.remaining() < 4 {
                return None;
            }
            partitions.push(TopicPartition::new(topic.clone(), buf.get_i32()));
        }
    }
    Some(partitions)
}

/// An array's count: not negative and not more than the bytes left.
fn read_count(buf: &mut &[u8]) -> Option<usize> {
    if buf.remaining() < 4 {
        return None;
    }
    let count = usize::try_from(buf.get_i32()).ok()?;
    (count <= buf.remaining()).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assignment, group, member, topics};
    use super::*;

    #[test]
    fn user_data_reads_back_and_matches_java_bytes() {
        let partitions = vec![TopicPartition::new("b", 2), TopicPartition::new("a", 0)];
        let bytes = encode_user_data(&partitions, Some(7));
        // "a" (97) hashes to an earlier bucket than "b" (98).
        assert_eq!(
            &bytes[..],
            b"\x00\x00\x00\x02\x00\x01a\x00\x00\x00\x01\x00\x00\x00\x00\
              \x00\x01b\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x07"
        );
        let back = decode_user_data(&bytes);
        assert_eq!(back.generation, Some(7));
        assert_eq!(
            back.partitions,
            [TopicPartition::new("a", 0), TopicPartition::new("b", 2)]
        );
        // The first version of the format has no generation.
        let v0 = decode_user_data(&bytes[..bytes.len() - 4]);
        assert_eq!((v0.partitions.len(), v0.generation), (2, None));
        let garbage = decode_user_data(b"\xff\xff\xff\xff");
        assert_eq!(
            (garbage.partitions.len(), garbage.generation),
            (0, Some(-1))
        );
    }

    #[test]
    fn the_member_reports_its_last_assignment() {
        let assignor = StickyAssignor::new();
        assert_eq!(assignor.user_data(&[]), None);
        let assignment = MemberAssignment {
            partitions: vec![TopicPartition::new("t", 1)],
            user_data: None,
        };
        assignor.on_assignment(&assignment, 3);
        let data = assignor.user_data(&[]).unwrap();
        let back = decode_user_data(&data);
        assert_eq!(
            (back.partitions, back.generation),
            (assignment.partitions, Some(3))
        );
    }

    #[test]
    fn partitions_stay_with_their_owners_when_a_member_leaves() {
        let owners = [
            ("c0", vec![("t0", 0), ("t1", 1), ("t3", 0)]),
            ("c2", vec![("t1", 0), ("t2", 1)]),
        ];
        let members = owners
            .iter()
            .map(|(id, owned)| {
                let owned: Vec<TopicPartition> = owned
                    .iter()
                    .map(|(t, p)| TopicPartition::new(*t, *p))
                    .collect();
                let mut m = member(id, &["t0", "t1", "t2", "t3"]);
                m.subscription.user_data = Some(encode_user_data(&owned, Some(1)));
                m
            })
            .collect();
        let input = group(
            members,
            topics(&[("t0", 2), ("t1", 2), ("t2", 2), ("t3", 2)]),
        );
        let result = StickyAssignor::new().assign(&input).unwrap();
        let c0 = assignment(&result, "c0");
        let c2 = assignment(&result, "c2");
        for kept in ["t0-0", "t1-1", "t3-0"] {
            assert!(c0.contains(&kept.to_owned()), "{c0:?}");
        }
        for kept in ["t1-0", "t2-1"] {
            assert!(c2.contains(&kept.to_owned()), "{c2:?}");
        }
        assert_eq!((c0.len(), c2.len()), (4, 4));
    }

    #[test]
    fn different_subscriptions_balance_what_can_be_balanced() {
        let input = group(
            vec![
                member("c0", &["t0"]),
                member("c1", &["t0", "t1"]),
                member("c2", &["t0", "t1", "t2"]),
            ],
            topics(&[("t0", 1), ("t1", 2), ("t2", 3)]),
        );
        let result = StickyAssignor::new().assign(&input).unwrap();
        assert_eq!(assignment(&result, "c0"), ["t0-0"]);
        assert_eq!(assignment(&result, "c1"), ["t1-0", "t1-1"]);
        assert_eq!(assignment(&result, "c2"), ["t2-0", "t2-1", "t2-2"]);
    }
}
