//! `range`: each topic on its own, its partitions cut into consecutive
//! ranges over the members subscribing to it (static members first, by
//! instance id, then by member id), the first members taking one more when
//! the count does not divide. With racks (KIP-881), partitions are first
//! matched to members in a rack holding one of their replicas within the
//! same per-member limits; topics with the same members and partition count
//! keep co-partitioning (partition `p` of each goes to the same member).

use std::collections::{BTreeMap, HashMap, HashSet};

use krafka_core::KrafkaError;

use super::input::{Group, Tp};
use super::{Assignor, GroupAssignmentInput};
use crate::consumer::group::protocol::MemberAssignment;

/// Java's `RangeAssignor`.
#[derive(Debug, Default, Clone, Copy)]
pub struct RangeAssignor;

impl Assignor for RangeAssignor {
    fn name(&self) -> &str {
        "range"
    }

    fn assign(
        &self,
        group: &GroupAssignmentInput,
    ) -> Result<BTreeMap<String, MemberAssignment>, KrafkaError> {
        let group = Group::new(group);
        let mut assigned = vec![Vec::new(); group.members.len()];
        let mut topics: Vec<TopicState> = (0..group.topics.len() as u32)
            .map(|topic| TopicState::new(&group, topic))
            .collect();
        if topics.iter().any(|t| t.needs_rack_matching) {
            match_racks(&mut topics, &mut assigned);
        }
        for topic in &mut topics {
            topic.assign_ranges(|_, _, _| true, &mut assigned);
        }
        Ok(group.output(assigned))
    }
}

/// One topic's assignment in progress.
struct TopicState {
    topic: u32,
    /// Its members in `MemberInfo` order, with their racks.
    consumers: Vec<(usize, Option<String>)>,
    /// The racks of each partition's replicas; empty when none of the
    /// topic's members has a rack.
    partition_racks: HashMap<i32, HashSet<String>>,
    needs_rack_matching: bool,
    unassigned: Vec<i32>,
    assigned_count: HashMap<usize, usize>,
    per_consumer: usize,
    remaining_with_extra: usize,
}

impl TopicState {
    fn new(group: &Group<'_>, topic: u32) -> TopicState {
        let name = group.topics[topic as usize].name;
        let mut members: Vec<usize> = (0..group.members.len())
            .filter(|&m| group.members[m].subscribes(name))
            .collect();
        members.sort_by(|&a, &b| group.member_info_cmp(a, b));
        let consumers: Vec<(usize, Option<String>)> = members
            .iter()
            .map(|&m| (m, group.members[m].rack().map(str::to_owned)))
            .collect();
        let partitions = &group.topics[topic as usize].partitions;
        let count = partitions.len();
        let consumer_racks: HashSet<&str> = consumers
            .iter()
            .filter_map(|(_, rack)| rack.as_deref())
            .collect();
        let mut partition_racks = HashMap::new();
        let mut all_partition_racks: HashSet<String> = HashSet::new();
        if !consumer_racks.is_empty() {
            for p in partitions {
                let racks: HashSet<String> = p.replica_racks.iter().cloned().collect();
                all_partition_racks.extend(racks.iter().cloned());
                partition_racks.insert(p.partition, racks);
            }
        }
        let needs_rack_matching = consumer_racks
            .iter()
            .any(|r| all_partition_racks.contains(*r))
            && !partition_racks.values().all(|r| *r == all_partition_racks);
        TopicState {
            topic,
            unassigned: partitions.iter().map(|p| p.partition).collect(),
            assigned_count: consumers.iter().map(|(m, _)| (*m, 0)).collect(),
            per_consumer: count.checked_div(consumers.len()).unwrap_or(0),
            remaining_with_extra: count.checked_rem(consumers.len()).unwrap_or(0),
            consumers,
            partition_racks,
            needs_rack_matching,
        }
    }

    fn rack_of(&self, member: usize) -> Option<&str> {
        self.consumers
            .iter()
            .find(|(m, _)| *m == member)
            .and_then(|(_, rack)| rack.as_deref())
    }

    fn racks_match(&self, member: usize, partition: i32) -> bool {
        match self.rack_of(member) {
            None => true,
            Some(rack) => self
                .partition_racks
                .get(&partition)
                .is_some_and(|racks| racks.contains(rack)),
        }
    }

    fn max_assignable(&self, member: usize) -> usize {
        let limit = self.per_consumer + usize::from(self.remaining_with_extra > 0);
        limit.saturating_sub(self.assigned_count.get(&member).copied().unwrap_or(0))
    }

    fn on_assigned(&mut self, member: usize, partitions: &[i32], assigned: &mut [Vec<Tp>]) {
        let count = self.assigned_count.entry(member).or_insert(0);
        *count += partitions.len();
        if *count > self.per_consumer {
            self.remaining_with_extra = self.remaining_with_extra.saturating_sub(1);
        }
        self.unassigned.retain(|p| !partitions.contains(p));
        assigned[member].extend(partitions.iter().map(|&partition| Tp {
            topic: self.topic,
            partition,
        }));
    }

    /// Each member in turn takes the first unassigned partitions it may
    /// have, up to its limit.
    fn assign_ranges(
        &mut self,
        may_assign: impl Fn(&TopicState, usize, i32) -> bool,
        assigned: &mut [Vec<Tp>],
    ) {
        let members: Vec<usize> = self.consumers.iter().map(|(m, _)| *m).collect();
        for member in members {
            if self.unassigned.is_empty() {
                break;
            }
            let take: Vec<i32> = self
                .unassigned
                .iter()
                .copied()
                .filter(|&p| may_assign(self, member, p))
                .take(self.max_assignable(member))
                .collect();
            if !take.is_empty() {
                self.on_assigned(member, &take, assigned);
            }
        }
    }
}

/// The rack-matching pass over the topics: topics with the same members and
/// the same number of partitions (with racks) together, the others alone.
fn match_racks(topics: &mut [TopicState], assigned: &mut [Vec<Tp>]) {
    let mut groups: Vec<(Vec<usize>, usize, Vec<usize>)> = Vec::new();
    for (index, topic) in topics.iter().enumerate() {
        let members: Vec<usize> = topic.consumers.iter().map(|(m, _)| *m).collect();
        let size = topic.partition_racks.len();
        match groups
            .iter_mut()
            .find(|(m, s, _)| *m == members && *s == size)
        {
            Some((_, _, states)) => states.push(index),
            None => groups.push((members, size, vec![index])),
        }
    }
    for (members, partition_count, states) in groups {
        if let [single] = states[..] {
            let topic = &mut topics[single];
            if topic.needs_rack_matching {
                topic.assign_ranges(|t, m, p| t.racks_match(m, p), assigned);
            }
        } else {
            assign_co_partitioned(topics, &members, partition_count, &states, assigned);
        }
    }
}

/// Partition `p` of every topic of `states` to the first member whose rack
/// matches all of them and that may still take one of each.
fn assign_co_partitioned(
    topics: &mut [TopicState],
    members: &[usize],
    partition_count: usize,
    states: &[usize],
    assigned: &mut [Vec<Tp>],
) {
    let mut remaining: Vec<usize> = members.to_vec();
    for p in 0..partition_count as i32 {
        let found = remaining.iter().copied().find(|&m| {
            states.iter().all(|&t| {
                let topic = &topics[t];
                topic.racks_match(m, p) && topic.max_assignable(m) > 0
            })
        });
        let Some(member) = found else { continue };
        for &t in states {
            topics[t].on_assigned(member, &[p], assigned);
        }
        if states
            .iter()
            .all(|&t| topics[t].max_assignable(member) == 0)
        {
            remaining.retain(|&m| m != member);
            if remaining.is_empty() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assignment, group, member, topics};
    use super::*;

    #[test]
    fn ranges_per_topic_with_the_first_members_taking_more() {
        let input = group(
            vec![member("c0", &["t0", "t1"]), member("c1", &["t0", "t1"])],
            topics(&[("t0", 3), ("t1", 3)]),
        );
        let result = RangeAssignor.assign(&input).unwrap();
        assert_eq!(assignment(&result, "c0"), ["t0-0", "t0-1", "t1-0", "t1-1"]);
        assert_eq!(assignment(&result, "c1"), ["t0-2", "t1-2"]);
    }

    #[test]
    fn static_members_come_first_by_instance_id() {
        let mut a = member("a", &["t"]);
        a.group_instance_id = Some("z".into());
        let mut b = member("b", &["t"]);
        b.group_instance_id = Some("y".into());
        let c = member("0", &["t"]);
        let result = RangeAssignor
            .assign(&group(vec![a, b, c], topics(&[("t", 5)])))
            .unwrap();
        assert_eq!(assignment(&result, "b"), ["t-0", "t-1"]);
        assert_eq!(assignment(&result, "a"), ["t-2", "t-3"]);
        assert_eq!(assignment(&result, "0"), ["t-4"]);
    }

    #[test]
    fn unknown_topics_and_idle_members() {
        let input = group(
            vec![member("a", &["t", "missing"]), member("b", &["missing"])],
            topics(&[("t", 2), ("empty", 0)]),
        );
        let result = RangeAssignor.assign(&input).unwrap();
        assert_eq!(assignment(&result, "a"), ["t-0", "t-1"]);
        assert!(assignment(&result, "b").is_empty());
        assert!(
            RangeAssignor
                .assign(&GroupAssignmentInput::default())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn racks_align_partitions_with_members_in_balance() {
        use super::super::tests::racked_topic;
        let mut a = member("a", &["t"]);
        a.subscription.rack_id = Some("r1".into());
        let mut b = member("b", &["t"]);
        b.subscription.rack_id = Some("r0".into());
        // Partition p has its only replica in rack r(p % 2).
        let input = group(
            vec![a, b],
            racked_topic("t", 4, |p| vec![format!("r{}", p % 2)]),
        );
        let result = RangeAssignor.assign(&input).unwrap();
        assert_eq!(assignment(&result, "a"), ["t-1", "t-3"]);
        assert_eq!(assignment(&result, "b"), ["t-0", "t-2"]);
    }
}
