//! The group as the built-in assignors see it, prepared once the way Java's
//! leader prepares it: members in the order Java's leader walks its
//! member-id → subscription `HashMap`, and the subscribed topics that have
//! partitions, each topic known by a small index whose order is Java's
//! order of topic names.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use super::java::{JavaHashOrder, java_cmp, partition_hash, string_hash};
use super::{GroupAssignmentInput, GroupMember, PartitionRacks};
use crate::consumer::group::protocol::{MemberAssignment, Subscription};
use crate::consumer::record::TopicPartition;

/// A partition of a known topic: the topic's index in [`Group::topics`] and
/// the partition index. Ordered as Java orders `TopicPartition`s by topic
/// name, then partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Tp {
    pub(crate) topic: u32,
    pub(crate) partition: i32,
}

/// A subscribed topic that has partitions.
#[derive(Debug)]
pub(crate) struct Topic<'a> {
    pub(crate) name: &'a str,
    /// `String.hashCode` of the name.
    pub(crate) hash: i32,
    /// Its partitions, by index.
    pub(crate) partitions: Vec<&'a PartitionRacks>,
}

/// A member, with its rank among the members by member id (Java's
/// `String.compareTo`).
#[derive(Debug)]
pub(crate) struct Member<'a> {
    pub(crate) id: &'a str,
    pub(crate) instance_id: Option<&'a str>,
    pub(crate) subscription: &'a Subscription,
    pub(crate) rank: usize,
}

impl Member<'_> {
    /// `client.rack` when set and not empty.
    pub(crate) fn rack(&self) -> Option<&str> {
        self.subscription
            .rack_id
            .as_deref()
            .filter(|r| !r.is_empty())
    }

    pub(crate) fn subscribes(&self, topic: &str) -> bool {
        self.subscription.topics.iter().any(|t| t == topic)
    }
}

/// The prepared group.
#[derive(Debug)]
pub(crate) struct Group<'a> {
    /// In the iteration order of Java's subscription map.
    pub(crate) members: Vec<Member<'a>>,
    /// Sorted by name (Java order); a [`Tp`]'s `topic` indexes it.
    pub(crate) topics: Vec<Topic<'a>>,
    by_name: HashMap<&'a str, u32>,
}

impl<'a> Group<'a> {
    pub(crate) fn new(input: &'a GroupAssignmentInput) -> Group<'a> {
        // A member id listed twice keeps its first place and its last
        // subscription, as a `HashMap.put` would.
        let mut last: HashMap<&str, &GroupMember> = HashMap::new();
        let mut order = JavaHashOrder::new();
        for member in &input.members {
            last.insert(&member.member_id, member);
            order.insert(member.member_id.as_str(), string_hash(&member.member_id));
        }
        let mut members: Vec<Member<'a>> = order
            .iter()
            .filter_map(|id| last.get(id))
            .map(|m| Member {
                id: &m.member_id,
                instance_id: m.group_instance_id.as_deref(),
                subscription: &m.subscription,
                rank: 0,
            })
            .collect();
        let mut by_id: Vec<usize> = (0..members.len()).collect();
        by_id.sort_by(|&a, &b| java_cmp(members[a].id, members[b].id));
        for (rank, index) in by_id.into_iter().enumerate() {
            members[index].rank = rank;
        }

        let mut names: Vec<&'a str> = Vec::new();
        for member in &members {
            for topic in &member.subscription.topics {
                if input.topics.get(topic).is_some_and(|p| !p.is_empty()) {
                    names.push(topic);
                }
            }
        }
        names.sort_by(|a, b| java_cmp(a, b));
        names.dedup();
        let topics: Vec<Topic<'a>> = names
            .iter()
            .filter_map(|&name| {
                let (name, partitions) = input.topics.get_key_value(name)?;
                let mut partitions: Vec<&PartitionRacks> = partitions.iter().collect();
                partitions.sort_by_key(|p| p.partition);
                Some(Topic {
                    name,
                    hash: string_hash(name),
                    partitions,
                })
            })
            .collect();
        let by_name = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name, i as u32))
            .collect();
        Group {
            members,
            topics,
            by_name,
        }
    }

    /// The index of a known topic.
    pub(crate) fn topic(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// `tp` when its topic is known.
    pub(crate) fn tp(&self, tp: &TopicPartition) -> Option<Tp> {
        Some(Tp {
            topic: self.topic(&tp.topic)?,
            partition: tp.partition,
        })
    }

    pub(crate) fn topic_of(&self, tp: Tp) -> &Topic<'a> {
        &self.topics[tp.topic as usize]
    }

    /// `TopicPartition.hashCode`.
    pub(crate) fn hash(&self, tp: Tp) -> i32 {
        partition_hash(self.topic_of(tp).hash, tp.partition)
    }

    /// How many partitions a known topic has.
    pub(crate) fn partition_count(&self, topic: u32) -> usize {
        self.topics[topic as usize].partitions.len()
    }

    /// Every partition of every known topic, by topic name then index.
    pub(crate) fn all_partitions(&self) -> impl Iterator<Item = (Tp, &'a PartitionRacks)> + '_ {
        self.topics.iter().enumerate().flat_map(|(topic, t)| {
            t.partitions.iter().map(move |p| {
                (
                    Tp {
                        topic: topic as u32,
                        partition: p.partition,
                    },
                    *p,
                )
            })
        })
    }

    /// The known topics `member` subscribes to, in its subscription's order
    /// (a topic listed twice counts twice, as in Java).
    pub(crate) fn subscribed_topics(&self, member: usize) -> Vec<u32> {
        self.members[member]
            .subscription
            .topics
            .iter()
            .filter_map(|t| self.topic(t))
            .collect()
    }

    /// Java's `MemberInfo` order: static members first by instance id, then
    /// the others by member id.
    pub(crate) fn member_info_cmp(&self, a: usize, b: usize) -> Ordering {
        let (a, b) = (&self.members[a], &self.members[b]);
        match (a.instance_id, b.instance_id) {
            (Some(x), Some(y)) => java_cmp(x, y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => java_cmp(a.id, b.id),
        }
    }

    /// The assignment of every member, each sorted by topic and partition.
    pub(crate) fn output(&self, assigned: Vec<Vec<Tp>>) -> BTreeMap<String, MemberAssignment> {
        self.members
            .iter()
            .zip(assigned)
            .map(|(member, mut partitions)| {
                partitions.sort();
                let partitions = partitions
                    .into_iter()
                    .map(|tp| TopicPartition::new(self.topic_of(tp).name, tp.partition))
                    .collect();
                (
                    member.id.to_owned(),
                    MemberAssignment {
                        partitions,
                        user_data: None,
                    },
                )
            })
            .collect()
    }
}
