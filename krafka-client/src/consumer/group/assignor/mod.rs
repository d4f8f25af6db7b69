//! Partition assignors: how the group leader spreads the subscribed
//! partitions over the members (`partition.assignment.strategy`).
//!
//! The built-in ones give the same assignments as Java's assignors of the
//! same name on the same input, so a group may mix Java and Krafka members.
//! [`Assignor`] is public: an application may bring its own.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use krafka_core::KrafkaError;

use super::protocol::{MemberAssignment, Subscription};

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

/// The built-in assignor called `name`: its protocol name (`range`,
/// `roundrobin`, `sticky`, `cooperative-sticky`, as librdkafka takes them) or
/// Java's class name (`org.apache.kafka.clients.consumer.RangeAssignor`, …).
pub fn assignor_by_name(name: &str) -> Result<Arc<dyn Assignor>, KrafkaError> {
    Err(KrafkaError::config(format!(
        "`partition.assignment.strategy`: no assignor is called `{name}`"
    )))
}

/// The assignors of a `partition.assignment.strategy` list, in preference
/// order (at least one, no name twice).
pub(crate) fn assignors_from_names(
    names: &[String],
) -> Result<Vec<Arc<dyn Assignor>>, KrafkaError> {
    if names.is_empty() {
        return Err(KrafkaError::config(
            "`partition.assignment.strategy` is empty",
        ));
    }
    let assignors = names
        .iter()
        .map(|name| assignor_by_name(name.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, assignor) in assignors.iter().enumerate() {
        if assignors[..i].iter().any(|a| a.name() == assignor.name()) {
            return Err(KrafkaError::config(format!(
                "`partition.assignment.strategy` names `{}` twice",
                assignor.name()
            )));
        }
    }
    Ok(assignors)
}

/// The rebalance protocol of a `partition.assignment.strategy` list: the
/// most capable one every assignor supports (cooperative only when all
/// support it), as Java chooses it.
pub(crate) fn common_protocol(assignors: &[Arc<dyn Assignor>]) -> RebalanceProtocol {
    let all = |protocol| {
        assignors
            .iter()
            .all(|a| a.rebalance_protocols().contains(&protocol))
    };
    if !assignors.is_empty() && all(RebalanceProtocol::Cooperative) {
        RebalanceProtocol::Cooperative
    } else {
        RebalanceProtocol::Eager
    }
}
