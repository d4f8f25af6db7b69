//! The "consumer" embedded protocol of the classic group protocol: what a
//! member puts in JoinGroup's metadata ([`Subscription`]) and what the leader
//! hands each member through SyncGroup ([`MemberAssignment`]), byte for byte
//! as Java's `ConsumerProtocol` writes them: a big-endian `int16` version,
//! then `ConsumerProtocolSubscription` / `ConsumerProtocolAssignment` of that
//! version. A version above the newest known one is read as the newest
//! (later versions only add fields at the end), as Java does.

use bytes::{Buf, Bytes, BytesMut};
use krafka_core::KrafkaError;
use krafka_core::codec::{Message, TaggedFields};
use krafka_core::messages::data::consumer_protocol_assignment::TopicPartition as WireAssigned;
use krafka_core::messages::data::consumer_protocol_subscription::TopicPartition as WireOwned;
use krafka_core::messages::data::{ConsumerProtocolAssignment, ConsumerProtocolSubscription};

use super::assignor::java::java_cmp;
use crate::consumer::record::TopicPartition;

/// The `protocol_type` of consumer groups in JoinGroup.
#[allow(dead_code)]
pub(crate) const CONSUMER_PROTOCOL_TYPE: &str = "consumer";

/// The newest subscription/assignment version, the one Krafka writes.
#[allow(dead_code)]
pub(crate) const CONSUMER_PROTOCOL_VERSION: i16 = ConsumerProtocolSubscription::VERSIONS.max;

/// What a member asks for when it joins: its topics, what it owns from the
/// previous generation (for sticky and cooperative assignors), its rack, and
/// assignor-specific user data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscription {
    /// The topics the member consumes.
    pub topics: Vec<String>,
    /// Data the member's assignor passes to the leader's (`None`: none).
    pub user_data: Option<Bytes>,
    /// The partitions the member held in `generation_id` (version 1+).
    pub owned_partitions: Vec<TopicPartition>,
    /// The generation the owned partitions come from (version 2+; `None`
    /// when unknown, -1 on the wire).
    pub generation_id: Option<i32>,
    /// The member's `client.rack` (version 3+).
    pub rack_id: Option<String>,
}

/// The partitions the leader gives one member, and its assignor's data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberAssignment {
    /// The partitions the member consumes in this generation.
    pub partitions: Vec<TopicPartition>,
    /// Data the leader's assignor passes to the member (`None`: none).
    pub user_data: Option<Bytes>,
}

impl Subscription {
    /// The bytes of JoinGroup's protocol metadata, in `version` (0–3), as
    /// Java writes them: topics sorted, owned partitions sorted by topic
    /// then partition.
    pub fn encode(&self, version: i16) -> Result<Bytes, KrafkaError> {
        let mut topics = self.topics.clone();
        topics.sort_by(|a, b| java_cmp(a, b));
        let mut owned: Vec<&TopicPartition> = self.owned_partitions.iter().collect();
        owned.sort_by(|a, b| java_cmp(&a.topic, &b.topic).then(a.partition.cmp(&b.partition)));
        let wire = ConsumerProtocolSubscription {
            topics,
            user_data: self.user_data.clone(),
            owned_partitions: in_topic_runs(owned.into_iter(), |topic, partitions| WireOwned {
                topic,
                partitions,
                unknown_tagged_fields: TaggedFields::default(),
            }),
            generation_id: self.generation_id.unwrap_or(-1),
            rack_id: self.rack_id.clone(),
            unknown_tagged_fields: TaggedFields::default(),
        };
        with_version(version, |buf| wire.encode_version(buf, version))
    }

    /// Reads JoinGroup metadata written by any consumer-protocol member.
    pub fn decode(bytes: &[u8]) -> Result<Subscription, KrafkaError> {
        let (version, mut body) = split_version::<ConsumerProtocolSubscription>(bytes)?;
        let wire = ConsumerProtocolSubscription::decode_version(&mut body, version)?;
        Ok(Subscription {
            topics: wire.topics,
            user_data: wire.user_data,
            owned_partitions: flatten(
                wire.owned_partitions
                    .into_iter()
                    .map(|t| (t.topic, t.partitions)),
            ),
            generation_id: (wire.generation_id >= 0).then_some(wire.generation_id),
            rack_id: wire.rack_id.filter(|rack| !rack.is_empty()),
        })
    }
}

impl MemberAssignment {
    /// The bytes of SyncGroup's assignment, in `version` (0–3), as Java
    /// writes them: one entry per topic in the order topics first appear,
    /// partitions in the order given.
    pub fn encode(&self, version: i16) -> Result<Bytes, KrafkaError> {
        let mut topics: Vec<WireAssigned> = Vec::new();
        for tp in &self.partitions {
            match topics.iter_mut().find(|t| t.topic == tp.topic) {
                Some(topic) => topic.partitions.push(tp.partition),
                None => topics.push(WireAssigned {
                    topic: tp.topic.clone(),
                    partitions: vec![tp.partition],
                    unknown_tagged_fields: TaggedFields::default(),
                }),
            }
        }
        let wire = ConsumerProtocolAssignment {
            assigned_partitions: topics,
            user_data: self.user_data.clone(),
            unknown_tagged_fields: TaggedFields::default(),
        };
        with_version(version, |buf| wire.encode_version(buf, version))
    }

    /// Reads an assignment written by any consumer-protocol leader. An empty
    /// assignment (a member the leader left out, or a failed SyncGroup's
    /// empty bytes) is no partitions.
    pub fn decode(bytes: &[u8]) -> Result<MemberAssignment, KrafkaError> {
        if bytes.is_empty() {
            return Ok(MemberAssignment::default());
        }
        let (version, mut body) = split_version::<ConsumerProtocolAssignment>(bytes)?;
        let wire = ConsumerProtocolAssignment::decode_version(&mut body, version)?;
        Ok(MemberAssignment {
            partitions: flatten(
                wire.assigned_partitions
                    .into_iter()
                    .map(|t| (t.topic, t.partitions)),
            ),
            user_data: wire.user_data,
        })
    }
}

fn with_version(
    version: i16,
    encode: impl FnOnce(&mut BytesMut) -> Result<(), krafka_core::codec::EncodeError>,
) -> Result<Bytes, KrafkaError> {
    let mut buf = BytesMut::with_capacity(64);
    buf.extend_from_slice(&version.to_be_bytes());
    encode(&mut buf)?;
    Ok(buf.freeze())
}

/// The version prefix (capped at the newest version `M` knows) and the rest.
fn split_version<M: Message>(bytes: &[u8]) -> Result<(i16, &[u8]), KrafkaError> {
    let mut body = bytes;
    if body.remaining() < 2 {
        return Err(KrafkaError::protocol(
            M::NAME,
            "the consumer protocol data has no version",
        ));
    }
    let version = body.get_i16();
    if version < M::VERSIONS.min {
        return Err(KrafkaError::protocol(
            M::NAME,
            format!("unknown consumer protocol version {version}"),
        ));
    }
    Ok((version.min(M::VERSIONS.max), body))
}

/// Consecutive partitions of the same topic as one entry each.
fn in_topic_runs<'a, T>(
    partitions: impl Iterator<Item = &'a TopicPartition>,
    mut entry: impl FnMut(String, Vec<i32>) -> T,
) -> Vec<T> {
    let mut runs: Vec<(String, Vec<i32>)> = Vec::new();
    for tp in partitions {
        match runs.last_mut() {
            Some((topic, indices)) if *topic == tp.topic => indices.push(tp.partition),
            _ => runs.push((tp.topic.clone(), vec![tp.partition])),
        }
    }
    runs.into_iter()
        .map(|(topic, indices)| entry(topic, indices))
        .collect()
}

fn flatten(topics: impl Iterator<Item = (String, Vec<i32>)>) -> Vec<TopicPartition> {
    topics
        .flat_map(|(topic, partitions)| {
            partitions
                .into_iter()
                .map(move |p| TopicPartition::new(topic.clone(), p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscription() -> Subscription {
        Subscription {
            topics: vec!["a".into(), "b".into()],
            user_data: Some(Bytes::from_static(b"\x01\x02")),
            owned_partitions: vec![TopicPartition::new("a", 0), TopicPartition::new("b", 3)],
            generation_id: Some(7),
            rack_id: Some("r1".into()),
        }
    }

    #[test]
    fn a_subscription_reads_back_in_every_version() {
        let full = subscription();
        for version in 0..=CONSUMER_PROTOCOL_VERSION {
            let bytes = full.encode(version).unwrap();
            assert_eq!(i16::from_be_bytes([bytes[0], bytes[1]]), version);
            let back = Subscription::decode(&bytes).unwrap();
            let mut expected = full.clone();
            if version < 1 {
                expected.owned_partitions.clear();
            }
            if version < 2 {
                expected.generation_id = None;
            }
            if version < 3 {
                expected.rack_id = None;
            }
            assert_eq!(back, expected, "version {version}");
        }
    }

    #[test]
    fn a_newer_version_reads_as_the_newest_known() {
        let mut bytes = BytesMut::from(&subscription().encode(3).unwrap()[..]);
        bytes[0..2].copy_from_slice(&9i16.to_be_bytes());
        // A field a later version might add, after the known ones.
        bytes.extend_from_slice(b"\x00\x00\x00\x2a");
        assert_eq!(Subscription::decode(&bytes).unwrap(), subscription());
    }

    #[test]
    fn short_or_negative_versions_are_protocol_errors() {
        assert!(Subscription::decode(b"\x00").is_err());
        assert!(Subscription::decode(b"\xff\xff\x00\x00\x00\x00").is_err());
        assert!(MemberAssignment::decode(b"\x00\x00\x00\x00\x00\x05").is_err());
    }

    #[test]
    fn an_assignment_reads_back_and_empty_bytes_assign_nothing() {
        let assignment = MemberAssignment {
            partitions: vec![TopicPartition::new("a", 1), TopicPartition::new("a", 2)],
            user_data: None,
        };
        for version in 0..=CONSUMER_PROTOCOL_VERSION {
            let bytes = assignment.encode(version).unwrap();
            assert_eq!(MemberAssignment::decode(&bytes).unwrap(), assignment);
        }
        assert_eq!(
            MemberAssignment::decode(&[]).unwrap(),
            MemberAssignment::default()
        );
    }

    #[test]
    fn bytes_follow_javas_order() {
        let mut unsorted = subscription();
        unsorted.topics = vec!["b".into(), "a".into()];
        unsorted.owned_partitions = vec![
            TopicPartition::new("b", 3),
            TopicPartition::new("a", 2),
            TopicPartition::new("a", 0),
        ];
        let mut sorted = unsorted.clone();
        sorted.topics.sort();
        sorted.owned_partitions.sort();
        assert_eq!(unsorted.encode(3).unwrap(), sorted.encode(3).unwrap());

        // An assignment keeps the leader's order: topics as they first appear.
        let assignment = MemberAssignment {
            partitions: vec![
                TopicPartition::new("b", 1),
                TopicPartition::new("a", 0),
                TopicPartition::new("b", 0),
            ],
            user_data: None,
        };
        let back = MemberAssignment::decode(&assignment.encode(0).unwrap()).unwrap();
        let order: Vec<String> = back.partitions.iter().map(ToString::to_string).collect();
        assert_eq!(order, ["b-1", "b-0", "a-0"]);
    }

    #[test]
    fn an_empty_rack_is_no_rack() {
        let mut s = subscription();
        s.rack_id = Some(String::new());
        assert_eq!(
            Subscription::decode(&s.encode(3).unwrap()).unwrap().rack_id,
            None
        );
    }
}
