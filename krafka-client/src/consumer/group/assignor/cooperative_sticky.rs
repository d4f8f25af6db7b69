//! `cooperative-sticky`: the `sticky` assignment for incremental
//! cooperative rebalancing (KIP-429). Members keep their partitions while
//! they rejoin; a partition that moves is left out of its new owner's
//! assignment in this rebalance, so the old owner gives it up first and a
//! second rebalance hands it over.
//!
//! Owned partitions come from the subscription itself; the user data is
//! only the member's generation (an `int32`), for subscriptions older than
//! the generation field.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicI32, Ordering};

use bytes::Bytes;
use krafka_core::KrafkaError;

use super::input::{Group, Tp};
use super::sticky_core::{self, DEFAULT_GENERATION, MemberData, remove_first};
use super::{Assignor, GroupAssignmentInput, RebalanceProtocol};
use crate::consumer::group::protocol::{MemberAssignment, Subscription};

/// Java's `CooperativeStickyAssignor`.
#[derive(Debug)]
pub struct CooperativeStickyAssignor {
    generation: AtomicI32,
}

impl CooperativeStickyAssignor {
    /// An assignor for a member that has no assignment yet.
    pub fn new() -> Self {
        CooperativeStickyAssignor {
            generation: AtomicI32::new(DEFAULT_GENERATION),
        }
    }
}

impl Default for CooperativeStickyAssignor {
    fn default() -> Self {
        Self::new()
    }
}

impl Assignor for CooperativeStickyAssignor {
    fn name(&self) -> &str {
        "cooperative-sticky"
    }

    fn rebalance_protocols(&self) -> Vec<RebalanceProtocol> {
        vec![RebalanceProtocol::Cooperative, RebalanceProtocol::Eager]
    }

    fn user_data(&self, _topics: &[String]) -> Option<Bytes> {
        let generation = self.generation.load(Ordering::Relaxed);
        Some(Bytes::copy_from_slice(&generation.to_be_bytes()))
    }

    fn assign(
        &self,
        group: &GroupAssignmentInput,
    ) -> Result<BTreeMap<String, MemberAssignment>, KrafkaError> {
        let group = Group::new(group);
        let result = sticky_core::assign(&group, &member_data)?;
        let mut assigned = result.assigned;
        let transferring = match result.transferring {
            Some(transferring) => transferring,
            None => transferring_ownership(&group, &assigned),
        };
        for (tp, member) in transferring {
            remove_first(&mut assigned[member], tp);
        }
        Ok(group.output(assigned))
    }

    fn on_assignment(&self, _assignment: &MemberAssignment, generation_id: i32) {
        self.generation.store(generation_id, Ordering::Relaxed);
    }
}

/// Owned partitions and their generation: from the subscription's fields
/// when it has a generation, else with the generation of the user data
/// (unreadable user data counts as the default generation).
fn member_data(subscription: &Subscription) -> MemberData {
    let generation = match (subscription.generation_id, &subscription.user_data) {
        (Some(generation), _) => Some(generation),
        (None, None) => None,
        (None, Some(data)) => Some(match data.get(..4) {
            Some(&[a, b, c, d]) => i32::from_be_bytes([a, b, c, d]),
            _ => DEFAULT_GENERATION,
        }),
    };
    MemberData {
        partitions: subscription.owned_partitions.clone(),
        generation,
    }
}

/// The partitions assigned to a member that does not own them while
/// another member that owns them loses them.
fn transferring_ownership(group: &Group<'_>, assigned: &[Vec<Tp>]) -> HashMap<Tp, usize> {
    let mut added: HashMap<Tp, usize> = HashMap::new();
    let mut revoked: HashSet<Tp> = HashSet::new();
    for (member, partitions) in assigned.iter().enumerate() {
        let owned: HashSet<Tp> = group.members[member]
            .subscription
            .owned_partitions
            .iter()
            .filter_map(|tp| group.tp(tp))
            .collect();
        for &tp in partitions {
            if !owned.contains(&tp) {
                added.insert(tp, member);
            }
        }
        let assigned: HashSet<Tp> = partitions.iter().copied().collect();
        revoked.extend(owned.into_iter().filter(|tp| !assigned.contains(tp)));
    }
    added.retain(|tp, _| revoked.contains(tp));
    added
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assignment, group, member, topics};
    use super::*;
    use crate::consumer::record::TopicPartition;

    fn owning(
        id: &str,
        subscribed: &[&str],
        owned: &[(&str, i32)],
        generation: i32,
    ) -> super::super::GroupMember {
        let mut m = member(id, subscribed);
        m.subscription.owned_partitions = owned
            .iter()
            .map(|(t, p)| TopicPartition::new(*t, *p))
            .collect();
        m.subscription.generation_id = Some(generation);
        m
    }

    #[test]
    fn a_joining_member_gets_moved_partitions_only_after_they_are_revoked() {
        let t = topics(&[("t", 4)]);
        let first = group(
            vec![
                owning("a", &["t"], &[("t", 0), ("t", 1)], 1),
                owning("b", &["t"], &[("t", 2), ("t", 3)], 1),
                owning("c", &["t"], &[], -1),
            ],
            t.clone(),
        );
        let assignor = CooperativeStickyAssignor::new();
        let round1 = assignor.assign(&first).unwrap();
        // Nobody gives anything yet: c gets a partition only next round.
        let a1 = assignment(&round1, "a");
        let b1 = assignment(&round1, "b");
        assert!(assignment(&round1, "c").is_empty());
        assert_eq!(a1.len() + b1.len(), 3, "{a1:?} {b1:?}");

        // The revoked partition is owned by nobody in the second round.
        let rejoin = |id: &str, owned: &[String]| {
            let mut m = owning(id, &["t"], &[], 2);
            m.subscription.owned_partitions = owned
                .iter()
                .map(|s| {
                    let (t, p) = s.rsplit_once('-').unwrap();
                    TopicPartition::new(t, p.parse().unwrap())
                })
                .collect();
            m
        };
        let second = group(
            vec![rejoin("a", &a1), rejoin("b", &b1), rejoin("c", &[])],
            t,
        );
        let round2 = assignor.assign(&second).unwrap();
        assert_eq!(assignment(&round2, "a"), a1);
        assert_eq!(assignment(&round2, "b"), b1);
        assert_eq!(assignment(&round2, "c").len(), 1);
    }

    #[test]
    fn different_subscriptions_also_withhold_moving_partitions() {
        let input = group(
            vec![
                owning(
                    "a",
                    &["t", "u"],
                    &[("t", 0), ("t", 1), ("u", 0), ("u", 1)],
                    3,
                ),
                owning("b", &["t"], &[], 3),
            ],
            topics(&[("t", 2), ("u", 2)]),
        );
        let result = CooperativeStickyAssignor::new().assign(&input).unwrap();
        // b takes both of t's partitions, in the next round: a gives them up.
        assert_eq!(assignment(&result, "a"), ["u-0", "u-1"]);
        assert!(assignment(&result, "b").is_empty());
    }

    #[test]
    fn user_data_is_the_generation() {
        let assignor = CooperativeStickyAssignor::new();
        assert_eq!(
            assignor.user_data(&[]).unwrap(),
            Bytes::from_static(b"\xff\xff\xff\xff")
        );
        assignor.on_assignment(&MemberAssignment::default(), 9);
        assert_eq!(
            assignor.user_data(&[]).unwrap(),
            Bytes::from_static(b"\x00\x00\x00\x09")
        );
        let mut old = Subscription {
            user_data: Some(Bytes::from_static(b"\x00\x00\x00\x05")),
            ..Subscription::default()
        };
        assert_eq!(member_data(&old).generation, Some(5));
        old.user_data = Some(Bytes::from_static(b"\x01"));
        assert_eq!(member_data(&old).generation, Some(-1));
    }
}
