//! The algorithm `sticky` and `cooperative-sticky` share (Java's
//! `AbstractStickyAssignor`): a balanced assignment that keeps as many
//! partitions as it can with the members that owned them.
//!
//! When every member subscribes to the same topics, a quota-based pass
//! ([`constrained`]) keeps each member's owned partitions up to its quota
//! and deals out the rest; otherwise a general pass ([`general`]) keeps the
//! owned partitions, assigns the rest to the least loaded members, then
//! moves partitions until no move improves the balance. Both are rack-aware
//! (KIP-881) when members and replicas have racks.
//!
//! Who owned what comes from each member's [`MemberData`], which the two
//! assignors read differently from the subscription.

mod constrained;
mod general;
mod racks;

use std::collections::{HashMap, HashSet};

use krafka_core::KrafkaError;

use super::input::{Group, Tp};
use crate::consumer::group::protocol::Subscription;
use crate::consumer::record::TopicPartition;
use racks::RackInfo;

/// The generation of a member that never had an assignment.
pub(crate) const DEFAULT_GENERATION: i32 = -1;

/// What a member owned, and in which generation, as its assignor reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct MemberData {
    pub(crate) partitions: Vec<TopicPartition>,
    pub(crate) generation: Option<i32>,
}

/// The result: each member's partitions (in [`Group::members`] order) and,
/// from the quota-based pass, the partitions given to a member other than
/// the one that still owns them (`None` after the general pass: the caller
/// works it out from the subscriptions).
pub(crate) struct StickyAssignment {
    pub(crate) assigned: Vec<Vec<Tp>>,
    pub(crate) transferring: Option<HashMap<Tp, usize>>,
}

/// Runs the shared algorithm over `group`, reading owned partitions with
/// `member_data`.
pub(crate) fn assign(
    group: &Group<'_>,
    member_data: &dyn Fn(&Subscription) -> MemberData,
) -> Result<StickyAssignment, KrafkaError> {
    if group.members.is_empty() {
        return Ok(StickyAssignment {
            assigned: Vec::new(),
            transferring: Some(HashMap::new()),
        });
    }
    let racks = RackInfo::new(group);
    let data: Vec<MemberData> = group
        .members
        .iter()
        .map(|m| member_data(m.subscription))
        .collect();
    let owners = previous_owners(group, &data);
    if owners.all_subscriptions_equal {
        constrained::assign(
            group,
            &racks,
            owners.owned,
            &owners.multiple_previous_owners,
        )
    } else {
        let assigned = general::assign(group, &racks, owners.owned, &data, owners.max_generation)?;
        Ok(StickyAssignment {
            assigned,
            transferring: None,
        })
    }
}

/// The owned partitions that survive conflicting claims.
struct PreviousOwners {
    all_subscriptions_equal: bool,
    /// Per member: its owned partitions of known topics, minus those another
    /// member of a newer generation claims, or one of the same generation.
    owned: Vec<Vec<Tp>>,
    multiple_previous_owners: HashSet<Tp>,
    max_generation: i32,
}

/// Walks the members in Java's order: whether they all subscribe to the
/// same topics, and who keeps a partition two members claim. A claim is
/// compared with the generation in the earlier claimant's *subscription*
/// (not its member data), as Java does.
fn previous_owners(group: &Group<'_>, data: &[MemberData]) -> PreviousOwners {
    let mut subscribed: HashSet<&str> = HashSet::new();
    let mut all_equal = true;
    let mut max_generation = DEFAULT_GENERATION;
    let mut owned: Vec<Vec<Tp>> = vec![Vec::new(); group.members.len()];
    let mut owner_of: HashMap<Tp, usize> = HashMap::new();
    let mut multiple = HashSet::new();
    for (index, member) in group.members.iter().enumerate() {
        let topics = &member.subscription.topics;
        if subscribed.is_empty() {
            subscribed.extend(topics.iter().map(String::as_str));
        } else if all_equal
            && !(topics.len() == subscribed.len()
                && topics.iter().all(|t| subscribed.contains(t.as_str())))
        {
            all_equal = false;
        }
        let generation = data[index].generation.unwrap_or(DEFAULT_GENERATION);
        max_generation = max_generation.max(generation);
        for tp in data[index].partitions.iter().filter_map(|tp| group.tp(tp)) {
            let Some(&other) = owner_of.get(&tp) else {
                owned[index].push(tp);
                owner_of.insert(tp, index);
                continue;
            };
            let other_generation = group.members[other]
                .subscription
                .generation_id
                .unwrap_or(DEFAULT_GENERATION);
            if generation == other_generation {
                multiple.insert(tp);
                remove_first(&mut owned[other], tp);
                owner_of.insert(tp, index);
            } else if generation > other_generation {
                owned[index].push(tp);
                remove_first(&mut owned[other], tp);
                owner_of.insert(tp, index);
            }
        }
    }
    PreviousOwners {
        all_subscriptions_equal: all_equal,
        owned,
        multiple_previous_owners: multiple,
        max_generation,
    }
}

/// `List.remove(Object)`.
pub(crate) fn remove_first(list: &mut Vec<Tp>, tp: Tp) -> bool {
    match list.iter().position(|&p| p == tp) {
        Some(at) => {
            list.remove(at);
            true
        }
        None => false,
    }
}

/// The partitions of `all` (in its order) that are not in `assigned`
/// (sorted in the same order), by Java's two-cursor walk, which assumes
/// every assigned partition is one of `all`.
pub(crate) fn unassigned(all: &[Tp], assigned: &[Tp]) -> Vec<Tp> {
    let mut cursor = assigned.iter();
    let Some(mut next) = cursor.next() else {
        return all.to_vec();
    };
    let mut rest_unassigned = false;
    let mut out = Vec::with_capacity(all.len().saturating_sub(assigned.len()));
    for tp in all {
        if rest_unassigned || tp != next {
            out.push(*tp);
        } else {
            match cursor.next() {
                Some(n) => next = n,
                None => rest_unassigned = true,
            }
        }
    }
    out
}
