//! Partition assignors: how the group leader spreads the subscribed
//! partitions over the members (`partition.assignment.strategy`).
//!
//! The built-in ones give the same assignments as Java's assignors of the
//! same name on the same input, so a group may mix Java and Krafka members.
//! [`Assignor`] is public: an application may bring its own.

mod cooperative_sticky;
mod input;
pub(crate) mod java;
mod range;
mod roundrobin;
mod sticky;
mod sticky_core;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use krafka_core::KrafkaError;

use super::protocol::{MemberAssignment, Subscription};

pub use cooperative_sticky::CooperativeStickyAssignor;
pub use range::RangeAssignor;
pub use roundrobin::RoundRobinAssignor;
pub use sticky::StickyAssignor;

/// How a rebalance moves partitions (KIP-429).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RebalanceProtocol {
    /// Every member gives up all its partitions before the group is
    /// assigned again.
    Eager,
    /// Members keep the partitions that do not move; the ones that move are
    /// given up first and assigned in a second rebalance.
    Cooperative,
}

/// One partition of a subscribed topic, with the racks its replicas are in
/// (for rack-aware assignment, KIP-881; empty when unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionRacks {
    /// The partition index.
    pub partition: i32,
    /// The racks of the partition's replicas.
    pub replica_racks: Vec<String>,
}

/// A member of the group as the leader sees it in JoinGroup's response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMember {
    /// The member id the coordinator gave it.
    pub member_id: String,
    /// Its `group.instance.id` (static membership), if any.
    pub group_instance_id: Option<String>,
    /// What it asked for.
    pub subscription: Subscription,
}

/// What an assignor assigns: the members and the partitions of the topics
/// they subscribe to (topics the cluster does not know are absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupAssignmentInput {
    /// The members, in the order JoinGroup listed them.
    pub members: Vec<GroupMember>,
    /// Each subscribed topic's partitions.
    pub topics: BTreeMap<String, Vec<PartitionRacks>>,
}

/// A partition assignment strategy, run by the member the coordinator
/// chose as the leader.
pub trait Assignor: Send + Sync + fmt::Debug {
    /// The protocol name members agree on in JoinGroup (`range`, …).
    fn name(&self) -> &str;

    /// The rebalance protocols it supports; the group uses cooperative
    /// rebalancing only when every assignor in `partition.assignment.strategy`
    /// supports it (as in Java).
    fn rebalance_protocols(&self) -> Vec<RebalanceProtocol> {
        vec![RebalanceProtocol::Eager]
    }

    /// User data to put in this member's subscription for `topics`.
    fn user_data(&self, _topics: &[String]) -> Option<Bytes> {
        None
    }

    /// The assignment of every member, by member id. Members left out get
    /// nothing.
    fn assign(
        &self,
        group: &GroupAssignmentInput,
    ) -> Result<BTreeMap<String, MemberAssignment>, KrafkaError>;

    /// Told this member's assignment in `generation_id` after SyncGroup.
    fn on_assignment(&self, _assignment: &MemberAssignment, _generation_id: i32) {}
}

/// Java's package of the built-in assignors, for their class names.
const JAVA_PACKAGE: &str = "org.apache.kafka.clients.consumer.";

/// The built-in assignors: protocol name and Java class name.
const BUILT_IN: [(&str, &str); 4] = [
    ("range", "RangeAssignor"),
    ("roundrobin", "RoundRobinAssignor"),
    ("sticky", "StickyAssignor"),
    ("cooperative-sticky", "CooperativeStickyAssignor"),
];

/// The built-in assignor called `name`: its protocol name (`range`,
/// `roundrobin`, `sticky`, `cooperative-sticky`, as librdkafka takes them) or
/// Java's class name (`org.apache.kafka.clients.consumer.RangeAssignor`, …).
/// Each call makes a new assignor (the sticky ones remember the member's
/// last assignment).
pub fn assignor_by_name(name: &str) -> Result<Arc<dyn Assignor>, KrafkaError> {
    let name = name.trim();
    let protocol = BUILT_IN
        .iter()
        .find(|(protocol, class)| {
            name == *protocol || name.strip_prefix(JAVA_PACKAGE) == Some(*class)
        })
        .map(|(protocol, _)| *protocol);
    Ok(match protocol {
        Some("range") => Arc::new(RangeAssignor),
        Some("roundrobin") => Arc::new(RoundRobinAssignor),
        Some("sticky") => Arc::new(StickyAssignor::new()),
        Some("cooperative-sticky") => Arc::new(CooperativeStickyAssignor::new()),
        _ => {
            let known: Vec<String> = BUILT_IN
                .iter()
                .map(|(protocol, class)| format!("{protocol} ({JAVA_PACKAGE}{class})"))
                .collect();
            return Err(KrafkaError::config(format!(
                "`partition.assignment.strategy`: no assignor is called `{name}`; the known ones are {}",
                known.join(", ")
            )));
        }
    })
}

/// The assignors of a `partition.assignment.strategy` list, in preference
/// order. The list must name at least one, and none twice (a protocol name
/// and the matching Java class name are the same assignor).
#[allow(dead_code)]
pub(crate) fn assignors_from_strategy(
    names: &[String],
) -> Result<Vec<Arc<dyn Assignor>>, KrafkaError> {
    if names.is_empty() {
        return Err(KrafkaError::config(
            "`partition.assignment.strategy` names no assignor",
        ));
    }
    let mut assignors: Vec<Arc<dyn Assignor>> = Vec::with_capacity(names.len());
    for name in names {
        let assignor = assignor_by_name(name)?;
        if assignors.iter().any(|a| a.name() == assignor.name()) {
            return Err(KrafkaError::config(format!(
                "`partition.assignment.strategy` names the `{}` assignor twice",
                assignor.name()
            )));
        }
        assignors.push(assignor);
    }
    Ok(assignors)
}

/// The rebalance protocol of a group member using `assignors`: the most
/// advanced one every assignor supports (cooperative only when all do), as
/// Java's consumer picks it. An error when they have none in common.
#[allow(dead_code)]
pub(crate) fn rebalance_protocol(
    assignors: &[Arc<dyn Assignor>],
) -> Result<RebalanceProtocol, KrafkaError> {
    let mut common: Option<Vec<RebalanceProtocol>> = None;
    for assignor in assignors {
        let supported = assignor.rebalance_protocols();
        common = Some(match common {
            None => supported,
            Some(mut common) => {
                common.retain(|p| supported.contains(p));
                common
            }
        });
    }
    common
        .unwrap_or_default()
        .into_iter()
        .max()
        .ok_or_else(|| {
            let names: Vec<&str> = assignors.iter().map(|a| a.name()).collect();
            KrafkaError::config(format!(
                "the assignors {names:?} of `partition.assignment.strategy` support no rebalance protocol in common"
            ))
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::consumer::record::TopicPartition;

    pub(crate) fn member(id: &str, topics: &[&str]) -> GroupMember {
        GroupMember {
            member_id: id.to_owned(),
            group_instance_id: None,
            subscription: Subscription {
                topics: topics.iter().map(|t| (*t).to_owned()).collect(),
                ..Subscription::default()
            },
        }
    }

    pub(crate) fn topics(counts: &[(&str, i32)]) -> BTreeMap<String, Vec<PartitionRacks>> {
        counts
            .iter()
            .map(|(name, count)| {
                let partitions = (0..*count)
                    .map(|partition| PartitionRacks {
                        partition,
                        replica_racks: Vec::new(),
                    })
                    .collect();
                ((*name).to_owned(), partitions)
            })
            .collect()
    }

    pub(crate) fn racked_topic(
        name: &str,
        count: i32,
        racks: impl Fn(i32) -> Vec<String>,
    ) -> BTreeMap<String, Vec<PartitionRacks>> {
        let partitions = (0..count)
            .map(|partition| PartitionRacks {
                partition,
                replica_racks: racks(partition),
            })
            .collect();
        BTreeMap::from([(name.to_owned(), partitions)])
    }

    pub(crate) fn group(
        members: Vec<GroupMember>,
        topics: BTreeMap<String, Vec<PartitionRacks>>,
    ) -> GroupAssignmentInput {
        GroupAssignmentInput { members, topics }
    }

    /// A member's partitions as `topic-partition` strings.
    pub(crate) fn assignment(
        result: &BTreeMap<String, MemberAssignment>,
        member: &str,
    ) -> Vec<String> {
        result
            .get(member)
            .map(|a| a.partitions.iter().map(TopicPartition::to_string).collect())
            .unwrap_or_default()
    }

    #[test]
    fn assignors_by_protocol_and_java_class_name() {
        for (protocol, class) in BUILT_IN {
            assert_eq!(assignor_by_name(protocol).unwrap().name(), protocol);
            let java = format!("{JAVA_PACKAGE}{class}");
            assert_eq!(assignor_by_name(&java).unwrap().name(), protocol);
        }
        let err = assignor_by_name("org.apache.kafka.clients.consumer.Nope")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`org.apache.kafka.clients.consumer.Nope`"),
            "{err}"
        );
        assert!(
            err.contains("cooperative-sticky") && err.contains("RangeAssignor"),
            "{err}"
        );
        assert!(assignor_by_name("Range").is_err());
    }

    #[test]
    fn a_strategy_list_is_non_empty_without_duplicates() {
        let list = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        assert!(assignors_from_strategy(&[]).is_err());
        let err = assignors_from_strategy(&list(&[
            "range",
            "org.apache.kafka.clients.consumer.RangeAssignor",
        ]))
        .unwrap_err()
        .to_string();
        assert!(err.contains("twice"), "{err}");
        assert!(assignors_from_strategy(&list(&["range", "bogus"])).is_err());
        let assignors = assignors_from_strategy(&list(&["cooperative-sticky", "range"])).unwrap();
        let names: Vec<&str> = assignors.iter().map(|a| a.name()).collect();
        assert_eq!(names, ["cooperative-sticky", "range"]);
    }

    #[test]
    fn cooperative_only_when_every_assignor_supports_it() {
        let of = |names: &[&str]| {
            let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            rebalance_protocol(&assignors_from_strategy(&names).unwrap()).unwrap()
        };
        assert_eq!(of(&["cooperative-sticky"]), RebalanceProtocol::Cooperative);
        assert_eq!(
            of(&["cooperative-sticky", "range"]),
            RebalanceProtocol::Eager
        );
        assert_eq!(of(&["sticky"]), RebalanceProtocol::Eager);

        #[derive(Debug)]
        struct CooperativeOnly;
        impl Assignor for CooperativeOnly {
            fn name(&self) -> &str {
                "mine"
            }
            fn rebalance_protocols(&self) -> Vec<RebalanceProtocol> {
                vec![RebalanceProtocol::Cooperative]
            }
            fn assign(
                &self,
                _: &GroupAssignmentInput,
            ) -> Result<BTreeMap<String, MemberAssignment>, KrafkaError> {
                Ok(BTreeMap::new())
            }
        }
        let mixed: Vec<Arc<dyn Assignor>> =
            vec![Arc::new(CooperativeOnly), Arc::new(RangeAssignor)];
        assert!(rebalance_protocol(&mixed).is_err());
    }

    #[test]
    fn every_assignor_handles_an_empty_group_and_topics_without_partitions() {
        for (protocol, _) in BUILT_IN {
            let assignor = assignor_by_name(protocol).unwrap();
            assert!(
                assignor
                    .assign(&GroupAssignmentInput::default())
                    .unwrap()
                    .is_empty()
            );
            let input = group(
                vec![member("a", &["none", "zero"]), member("b", &["zero"])],
                topics(&[("zero", 0)]),
            );
            let result = assignor.assign(&input).unwrap();
            assert_eq!(result.len(), 2, "{protocol}");
            assert!(
                result.values().all(|a| a.partitions.is_empty()),
                "{protocol}"
            );
        }
    }
}
