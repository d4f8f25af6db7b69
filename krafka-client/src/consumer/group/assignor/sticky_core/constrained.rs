//! The quota-based pass, when every member subscribes to the same topics.
//! Every member ends with `min` or `max` partitions (`max` = `min` + 1 for
//! `total % members` of them): owned partitions are kept up to those quotas
//! (in rack, when rack-aware), then the rest are dealt to the members
//! still below their quota, first to members in a replica's rack.

use std::collections::{HashMap, HashSet};

use krafka_core::KrafkaError;

use super::super::input::{Group, Tp};
use super::racks::RackInfo;
use super::{StickyAssignment, remove_first, unassigned};

/// Each member's partitions and the partitions handed to a member while
/// another one still owns them.
pub(super) fn assign(
    group: &Group<'_>,
    racks: &RackInfo,
    owned: Vec<Vec<Tp>>,
    multiple_previous_owners: &HashSet<Tp>,
) -> Result<StickyAssignment, KrafkaError> {
    let members = group.members.len();
    let total: usize = (0..group.topics.len() as u32)
        .map(|t| group.partition_count(t))
        .sum();
    let mut pass = Quotas {
        min: total / members,
        max: total.div_ceil(members),
        expected_over_min: total % members,
        over_min: 0,
        assignment: vec![Vec::new(); members],
        under_min: Vec::new(),
        at_min: Vec::new(),
        maybe_revoked: HashMap::new(),
        multiple_previous_owners,
        transferring: HashMap::new(),
    };
    let kept = pass.keep_owned(racks, owned);

    let all: Vec<Tp> = if kept.is_empty() {
        group.all_partitions().map(|(tp, _)| tp).collect()
    } else {
        (0..group.topics.len() as u32)
            .flat_map(|topic| {
                (0..group.partition_count(topic) as i32)
                    .map(move |partition| Tp { topic, partition })
            })
            .collect()
    };
    let mut kept = kept;
    kept.sort();
    let mut rest = unassigned(&all, &kept);

    let rank = |m: &usize| group.members[*m].rank;
    pass.under_min.sort_by_key(rank);
    pass.at_min.sort_by_key(rank);
    racks.sort_by_rack_consumers(&mut rest);
    pass.deal_in_racks(racks, &mut rest);
    pass.deal(&rest)?;
    pass.verify()?;
    Ok(StickyAssignment {
        assigned: pass.assignment,
        transferring: Some(pass.transferring),
    })
}

struct Quotas<'s> {
    min: usize,
    max: usize,
    /// How many members get `max` when it is more than `min`.
    expected_over_min: usize,
    over_min: usize,
    assignment: Vec<Vec<Tp>>,
    /// Members below `min`.
    under_min: Vec<usize>,
    /// Members at `min` that may still take one more.
    at_min: Vec<usize>,
    /// Owned partitions not kept, by owner.
    maybe_revoked: HashMap<Tp, usize>,
    multiple_previous_owners: &'s HashSet<Tp>,
    transferring: HashMap<Tp, usize>,
}

impl Quotas<'_> {
    /// Keeps owned partitions (lowest partition index first) up to each
    /// member's quota, in Java's member order; returns those kept.
    fn keep_owned(&mut self, racks: &RackInfo, owned: Vec<Vec<Tp>>) -> Vec<Tp> {
        let mut kept = Vec::new();
        for (member, partitions) in owned.into_iter().enumerate() {
            let mut mine: Vec<Tp> = Vec::with_capacity(partitions.len());
            for tp in partitions {
                if racks.racks_mismatch(member, tp) {
                    self.maybe_revoked.insert(tp, member);
                } else {
                    mine.push(tp);
                }
            }
            mine.sort_by(|a, b| a.partition.cmp(&b.partition).then(a.topic.cmp(&b.topic)));
            for &claimed in self.multiple_previous_owners {
                remove_first(&mut mine, claimed);
            }
            let keep = if mine.len() < self.min {
                self.under_min.push(member);
                mine.len()
            } else if mine.len() >= self.max && self.over_min < self.expected_over_min {
                self.over_min += 1;
                if self.over_min == self.expected_over_min {
                    self.at_min.clear();
                }
                self.max
            } else {
                if self.over_min < self.expected_over_min {
                    self.at_min.push(member);
                }
                self.min
            };
            for &tp in &mine[keep..] {
                self.maybe_revoked.insert(tp, member);
            }
            mine.truncate(keep);
            kept.extend_from_slice(&mine);
            self.assignment[member] = mine;
        }
        kept
    }

    /// Deals partitions to members in one of their replicas' racks, round
    /// robin over the members below `min`, else to a member at `min`;
    /// leaves in `partitions` those it could not place.
    fn deal_in_racks(&mut self, racks: &RackInfo, partitions: &mut Vec<Tp>) {
        if racks.consumer_racks.is_empty() {
            return;
        }
        let mut next = 0;
        let mut left = Vec::new();
        for tp in partitions.drain(..) {
            let mut chosen = None;
            if let Some(mut index) = racks.next_rack_consumer(tp, &self.under_min, next) {
                let member = self.under_min[index];
                let count = self.assignment[member].len() + 1;
                if count >= self.min {
                    self.under_min.remove(index);
                    if count < self.max && self.over_min < self.expected_over_min {
                        self.at_min.push(member);
                    }
                } else {
                    index += 1;
                }
                next = if self.under_min.is_empty() {
                    0
                } else {
                    index % self.under_min.len()
                };
                chosen = Some(member);
            } else if let Some(index) = racks.next_rack_consumer(tp, &self.at_min, 0) {
                let member = self.at_min[index];
                if self.assignment[member].len() + 1 == self.max {
                    self.at_min.remove(index);
                    self.over_min += 1;
                    if self.over_min == self.expected_over_min {
                        self.at_min.clear();
                    }
                }
                chosen = Some(member);
            }
            match chosen {
                Some(member) => {
                    self.give(tp, member);
                }
                None => left.push(tp),
            }
        }
        *partitions = left;
    }

    /// Deals the remaining partitions round robin over the members below
    /// `min`, then one each to members at `min`.
    fn deal(&mut self, partitions: &[Tp]) -> Result<(), KrafkaError> {
        // A cursor into `under_min`, which Java walks with an iterator that
        // restarts at its end and removes members reaching `min`.
        let mut cursor = 0;
        for &tp in partitions {
            let member = if cursor < self.under_min.len() {
                cursor += 1;
                self.under_min[cursor - 1]
            } else if self.under_min.is_empty() {
                if self.at_min.is_empty() {
                    return Err(KrafkaError::state(
                        "sticky assignment: no member can take the remaining partitions",
                    ));
                }
                self.at_min.remove(0)
            } else {
                cursor = 1;
                self.under_min[0]
            };
            let count = self.give(tp, member);
            if count == self.min {
                if cursor > 0 && self.under_min.get(cursor - 1) == Some(&member) {
                    cursor -= 1;
                    self.under_min.remove(cursor);
                }
                self.at_min.push(member);
            } else if count == self.max {
                self.over_min += 1;
            }
        }
        Ok(())
    }

    fn give(&mut self, tp: Tp, member: usize) -> usize {
        self.assignment[member].push(tp);
        let moved = self
            .maybe_revoked
            .get(&tp)
            .is_some_and(|&owner| owner != member);
        if moved || self.multiple_previous_owners.contains(&tp) {
            self.transferring.insert(tp, member);
        }
        self.assignment[member].len()
    }

    fn verify(&self) -> Result<(), KrafkaError> {
        if self.under_min.is_empty() {
            return Ok(());
        }
        if self.over_min != self.expected_over_min {
            return Err(KrafkaError::state(format!(
                "sticky assignment: {} of {} members reached the larger quota and no partitions are left",
                self.over_min, self.expected_over_min
            )));
        }
        match self
            .under_min
            .iter()
            .find(|&&m| self.assignment[m].len() != self.min)
        {
            Some(_) => Err(KrafkaError::state(
                "sticky assignment: a member stays below its quota and no partitions are left",
            )),
            None => Ok(()),
        }
    }
}
