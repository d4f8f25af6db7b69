//! `roundrobin`: every partition of every subscribed topic (topics by
//! name, partitions by index) dealt in turn to the members (static members
//! first, by instance id, then by member id), skipping members that do not
//! subscribe to the partition's topic.

use std::collections::BTreeMap;

use krafka_core::KrafkaError;

use super::input::{Group, Tp};
use super::{Assignor, GroupAssignmentInput};
use crate::consumer::group::protocol::MemberAssignment;

/// Java's `RoundRobinAssignor`.
#[derive(Debug, Default, Clone, Copy)]
pub struct RoundRobinAssignor;

impl Assignor for RoundRobinAssignor {
    fn name(&self) -> &str {
        "roundrobin"
    }

    fn assign(
        &self,
        group: &GroupAssignmentInput,
    ) -> Result<BTreeMap<String, MemberAssignment>, KrafkaError> {
        let group = Group::new(group);
        let mut assigned: Vec<Vec<Tp>> = vec![Vec::new(); group.members.len()];
        let mut order: Vec<usize> = (0..group.members.len()).collect();
        order.sort_by(|&a, &b| group.member_info_cmp(a, b));
        let mut next = 0;
        for (tp, _) in group.all_partitions() {
            let name = group.topic_of(tp).name;
            // Some member subscribes to every known topic, so this ends
            // within one turn.
            for _ in 0..order.len() {
                if group.members[order[next]].subscribes(name) {
                    break;
                }
                next = (next + 1) % order.len();
            }
            assigned[order[next]].push(tp);
            next = (next + 1) % order.len();
        }
        Ok(group.output(assigned))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assignment, group, member, topics};
    use super::*;

    #[test]
    fn deals_partitions_in_turn() {
        let input = group(
            vec![member("c1", &["t0", "t1"]), member("c0", &["t0", "t1"])],
            topics(&[("t0", 3), ("t1", 3)]),
        );
        let result = RoundRobinAssignor.assign(&input).unwrap();
        assert_eq!(assignment(&result, "c0"), ["t0-0", "t0-2", "t1-1"]);
        assert_eq!(assignment(&result, "c1"), ["t0-1", "t1-0", "t1-2"]);
    }

    #[test]
    fn skips_members_not_subscribed() {
        let input = group(
            vec![
                member("c0", &["t0"]),
                member("c1", &["t0", "t1"]),
                member("c2", &["t0", "t1", "t2"]),
            ],
            topics(&[("t0", 1), ("t1", 2), ("t2", 3)]),
        );
        let result = RoundRobinAssignor.assign(&input).unwrap();
        assert_eq!(assignment(&result, "c0"), ["t0-0"]);
        assert_eq!(assignment(&result, "c1"), ["t1-0"]);
        assert_eq!(assignment(&result, "c2"), ["t1-1", "t2-0", "t2-1", "t2-2"]);
    }

    #[test]
    fn no_members_or_partitions() {
        assert!(
            RoundRobinAssignor
                .assign(&GroupAssignmentInput::default())
                .unwrap()
                .is_empty()
        );
        let result = RoundRobinAssignor
            .assign(&group(vec![member("a", &["gone"])], topics(&[])))
            .unwrap();
        assert!(assignment(&result, "a").is_empty());
    }
}
