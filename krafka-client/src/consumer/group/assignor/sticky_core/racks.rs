//! The sticky assignors' view of racks (KIP-881): used only when members
//! have racks, some replica racks match them, and not every partition has
//! replicas in every rack.

use std::collections::{HashMap, HashSet};

use super::super::input::{Group, Tp};

pub(crate) struct RackInfo {
    /// Each member's rack, when rack-aware assignment is on.
    pub(crate) consumer_racks: HashMap<usize, String>,
    /// Each partition's replica racks, when rack-aware assignment is on.
    pub(crate) partition_racks: HashMap<Tp, HashSet<String>>,
    /// For each partition, how many members are in one of its replicas'
    /// racks. Known whenever some member has a rack, even when rack-aware
    /// assignment is off, so partitions are dealt in this order then too.
    consumers_per_partition: HashMap<Tp, usize>,
}

impl RackInfo {
    pub(crate) fn new(group: &Group<'_>) -> RackInfo {
        let mut consumers_by_rack: HashMap<&str, usize> = HashMap::new();
        for member in &group.members {
            if let Some(rack) = member.rack() {
                *consumers_by_rack.entry(rack).or_default() += 1;
            }
        }
        let mut partition_racks: HashMap<Tp, HashSet<String>> = HashMap::new();
        let mut all_partition_racks: HashSet<&str> = HashSet::new();
        if !consumers_by_rack.is_empty() {
            for (tp, info) in group.all_partitions() {
                let racks: HashSet<String> = info.replica_racks.iter().cloned().collect();
                all_partition_racks.extend(info.replica_racks.iter().map(String::as_str));
                partition_racks.insert(tp, racks);
            }
        }
        let consumers_per_partition = partition_racks
            .iter()
            .map(|(tp, racks)| {
                let count = racks
                    .iter()
                    .map(|r| consumers_by_rack.get(r.as_str()).copied().unwrap_or(0))
                    .sum();
                (*tp, count)
            })
            .collect();
        let rack_aware = consumers_by_rack
            .keys()
            .any(|r| all_partition_racks.contains(r))
            && !partition_racks.values().all(|racks| {
                racks.len() == all_partition_racks.len()
                    && racks
                        .iter()
                        .all(|r| all_partition_racks.contains(r.as_str()))
            });
        if !rack_aware {
            return RackInfo {
                consumer_racks: HashMap::new(),
                partition_racks: HashMap::new(),
                consumers_per_partition,
            };
        }
        let consumer_racks = group
            .members
            .iter()
            .enumerate()
            .filter_map(|(i, m)| Some((i, m.rack()?.to_owned())))
            .collect();
        RackInfo {
            consumer_racks,
            partition_racks,
            consumers_per_partition,
        }
    }

    /// Whether `member` is in a rack and `tp` has no replica there.
    pub(crate) fn racks_mismatch(&self, member: usize, tp: Tp) -> bool {
        match self.consumer_racks.get(&member) {
            None => false,
            Some(rack) => !self
                .partition_racks
                .get(&tp)
                .is_some_and(|racks| racks.contains(rack)),
        }
    }

    /// `partitions` with those the fewest members are close to first (a
    /// stable sort).
    pub(crate) fn sort_by_rack_consumers(&self, partitions: &mut [Tp]) {
        if !self.consumers_per_partition.is_empty() {
            partitions.sort_by_key(|tp| self.consumers_per_partition.get(tp).copied().unwrap_or(0));
        }
    }

    /// The index in `members` (searched from `first`, wrapping around) of
    /// the first member in a rack of one of `tp`'s replicas.
    pub(crate) fn next_rack_consumer(
        &self,
        tp: Tp,
        members: &[usize],
        first: usize,
    ) -> Option<usize> {
        let racks = self.partition_racks.get(&tp).filter(|r| !r.is_empty())?;
        (0..members.len())
            .map(|i| (first + i) % members.len())
            .find(|&index| {
                self.consumer_racks
                    .get(&members[index])
                    .is_some_and(|rack| racks.contains(rack))
            })
    }
}
