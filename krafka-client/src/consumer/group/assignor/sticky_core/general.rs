//! The general pass, when members subscribe to different topics: keep what
//! each member owns and may still have, give every other partition to the
//! least loaded member that can take it (in rack first, when rack-aware),
//! then move partitions from members with two or more than another
//! candidate until the assignment is balanced, preferring to send a
//! partition back to its owner of an older generation. The moves are kept
//! only if they improve the balance score, unless the group starts empty.
//!
//! One deliberate difference: when a partition's older owner has been set
//! aside as unmovable (it kept only topics nobody else subscribes to), Java
//! fails the whole assignment with a `NullPointerException`; Krafka does not
//! send the partition back to it and finishes the assignment. Java's
//! sending a partition back to an older owner that no longer subscribes to
//! its topic is kept, so results stay equal.

use std::collections::{BTreeSet, HashMap};

use krafka_core::KrafkaError;

use super::super::input::{Group, Tp};
use super::super::java::JavaHashOrder;
use super::racks::RackInfo;
use super::{DEFAULT_GENERATION, MemberData, remove_first, unassigned};

pub(super) fn assign(
    group: &Group<'_>,
    racks: &RackInfo,
    owned: Vec<Vec<Tp>>,
    data: &[MemberData],
    max_generation: i32,
) -> Result<Vec<Vec<Tp>>, KrafkaError> {
    let mut pass = General::new(group, racks, owned);
    let previous = previous_assignment(group, data, max_generation);
    let kept = pass.keep_owned();
    let unassigned = if kept.is_empty() {
        pass.sorted_all.clone()
    } else {
        let mut kept = kept;
        kept.sort_by_key(|tp| {
            (
                pass.topic_consumers[tp.topic as usize].len(),
                tp.topic,
                tp.partition,
            )
        });
        unassigned(&pass.sorted_all, &kept)
    };
    for member in 0..group.members.len() {
        pass.sorted
            .insert((pass.len(member), group.members[member].rank));
    }
    pass.balance(&previous, unassigned)?;
    Ok(pass
        .current
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect())
}

/// For partitions some member owned in a generation older than the newest,
/// that member (the newest such generation wins; members in Java's order
/// break ties); members without a generation count as the default one when
/// any member has a generation.
fn previous_assignment(
    group: &Group<'_>,
    data: &[MemberData],
    max_generation: i32,
) -> HashMap<Tp, (usize, i32)> {
    let mut previous: HashMap<Tp, (usize, i32)> = HashMap::new();
    for (member, data) in data.iter().enumerate() {
        let generation = match data.generation {
            Some(g) if g < max_generation => g,
            None if max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
            _ => continue,
        };
        for tp in data.partitions.iter().filter_map(|tp| group.tp(tp)) {
            match previous.get(&tp) {
                Some(&(_, older)) if generation <= older => {}
                _ => {
                    previous.insert(tp, (member, generation));
                }
            }
        }
    }
    previous
}

struct General<'g, 'a> {
    group: &'g Group<'a>,
    racks: &'g RackInfo,
    /// Per topic, the members subscribing to it (a member listing a topic
    /// twice counts twice, as in Java).
    topic_consumers: Vec<Vec<usize>>,
    /// Per member, its known topics.
    member_topics: Vec<Vec<u32>>,
    /// Per member, its partitions; `None` while set aside as unmovable.
    current: Vec<Option<Vec<Tp>>>,
    owner: HashMap<Tp, usize>,
    /// The members by (partition count, member id rank).
    sorted: BTreeSet<(usize, usize)>,
    by_rank: Vec<usize>,
    /// Topics by member count then name, their partitions by index.
    sorted_all: Vec<Tp>,
    total: usize,
    revocation_required: bool,
    movements: Movements,
}

impl<'g, 'a> General<'g, 'a> {
    fn new(group: &'g Group<'a>, racks: &'g RackInfo, owned: Vec<Vec<Tp>>) -> Self {
        let mut topic_consumers = vec![Vec::new(); group.topics.len()];
        let mut member_topics = Vec::with_capacity(group.members.len());
        for member in 0..group.members.len() {
            let topics = group.subscribed_topics(member);
            for &t in &topics {
                topic_consumers[t as usize].push(member);
            }
            member_topics.push(topics);
        }
        let mut owner = HashMap::new();
        for (member, partitions) in owned.iter().enumerate() {
            for &tp in partitions {
                owner.insert(tp, member);
            }
        }
        let mut topics: Vec<u32> = (0..group.topics.len() as u32).collect();
        topics.sort_by_key(|&t| (topic_consumers[t as usize].len(), t));
        let sorted_all: Vec<Tp> = topics
            .iter()
            .flat_map(|&topic| {
                group.topics[topic as usize]
                    .partitions
                    .iter()
                    .map(move |p| Tp {
                        topic,
                        partition: p.partition,
                    })
            })
            .collect();
        let mut by_rank = vec![0; group.members.len()];
        for (index, member) in group.members.iter().enumerate() {
            by_rank[member.rank] = index;
        }
        General {
            group,
            racks,
            topic_consumers,
            member_topics,
            current: owned.into_iter().map(Some).collect(),
            owner,
            sorted: BTreeSet::new(),
            by_rank,
            total: sorted_all.len(),
            sorted_all,
            revocation_required: false,
            movements: Movements::default(),
        }
    }

    fn len(&self, member: usize) -> usize {
        self.current[member].as_ref().map_or(0, Vec::len)
    }

    fn lookup_len(&self, member: usize) -> Result<usize, KrafkaError> {
        self.current[member].as_ref().map(Vec::len).ok_or_else(|| {
            KrafkaError::state("sticky assignment: a member without an assignment was consulted")
        })
    }

    /// Drops owned partitions of topics the member left and, when
    /// rack-aware, those outside its rack; returns the partitions kept.
    fn keep_owned(&mut self) -> Vec<Tp> {
        let mut kept = Vec::new();
        for member in 0..self.current.len() {
            let Some(partitions) = self.current[member].as_mut() else {
                continue;
            };
            let info = &self.group.members[member];
            partitions.retain(|&tp| {
                let name = self.group.topic_of(tp).name;
                if !info.subscribes(name) || self.racks.racks_mismatch(member, tp) {
                    self.revocation_required = true;
                    false
                } else {
                    kept.push(tp);
                    true
                }
            });
        }
        kept
    }

    fn balance(
        &mut self,
        previous: &HashMap<Tp, (usize, i32)>,
        mut unassigned: Vec<Tp>,
    ) -> Result<(), KrafkaError> {
        let initializing = self
            .sorted
            .last()
            .is_none_or(|&(_, rank)| self.len(self.by_rank[rank]) == 0);

        let mut to_assign = unassigned.clone();
        if !self.racks.consumer_racks.is_empty() {
            self.assign_each(&mut to_assign, true, true);
        }
        self.assign_each(&mut to_assign, false, false);

        let fixed_topic = |t: u32, consumers: &[Vec<usize>]| consumers[t as usize].len() < 2;
        self.sorted_all
            .retain(|tp| !fixed_topic(tp.topic, &self.topic_consumers));
        unassigned.retain(|tp| !fixed_topic(tp.topic, &self.topic_consumers));

        let mut fixed = Vec::new();
        for member in 0..self.current.len() {
            if !self.can_move(member) {
                self.sorted
                    .remove(&(self.len(member), self.group.members[member].rank));
                fixed.push((member, self.current[member].take()));
            }
        }

        let before = self.current.clone();
        let owners_before = self.owner.clone();
        if !self.revocation_required {
            self.reassign_all(&unassigned, previous)?;
        }
        let sorted_all = std::mem::take(&mut self.sorted_all);
        let moved = self.reassign_all(&sorted_all, previous)?;
        if !initializing && moved && balance_score(&self.current) >= balance_score(&before) {
            self.current = before;
            self.owner = owners_before;
        }
        for (member, partitions) in fixed {
            self.current[member] = partitions;
        }
        Ok(())
    }

    /// Gives each partition of `partitions` whose topic has members to the
    /// least loaded member subscribing to it (in a replica's rack when
    /// `in_rack`); removes those placed when `remove`.
    fn assign_each(&mut self, partitions: &mut Vec<Tp>, in_rack: bool, remove: bool) {
        partitions.retain(|&tp| {
            if self.topic_consumers[tp.topic as usize].is_empty() {
                return true;
            }
            let placed = self.assign_to_least_loaded(tp, in_rack);
            !(placed && remove)
        });
    }

    fn assign_to_least_loaded(&mut self, tp: Tp, in_rack: bool) -> bool {
        let chosen = self.sorted.iter().copied().find(|&(_, rank)| {
            let member = self.by_rank[rank];
            self.member_topics[member].contains(&tp.topic)
                && !(in_rack && self.racks.racks_mismatch(member, tp))
        });
        let Some((count, rank)) = chosen else {
            return false;
        };
        let member = self.by_rank[rank];
        self.sorted.remove(&(count, rank));
        if let Some(partitions) = self.current[member].as_mut() {
            partitions.push(tp);
        }
        self.owner.insert(tp, member);
        self.sorted.insert((self.len(member), rank));
        true
    }

    /// The most partitions `member` could have: all of its topics'.
    fn max_size(&self, member: usize) -> usize {
        let topics = &self.member_topics[member];
        if topics.len() == self.group.topics.len() {
            self.total
        } else {
            topics.iter().map(|&t| self.group.partition_count(t)).sum()
        }
    }

    /// Whether moves may change `member`'s partitions: it could have more,
    /// or one of its topics has other members.
    fn can_move(&self, member: usize) -> bool {
        let Some(partitions) = &self.current[member] else {
            return false;
        };
        partitions.len() < self.max_size(member)
            || partitions
                .iter()
                .any(|tp| self.topic_consumers[tp.topic as usize].len() >= 2)
    }

    /// Balanced: counts differ by at most one, or no member could take a
    /// partition from one with two more than it.
    fn is_balanced(&self) -> Result<bool, KrafkaError> {
        let (Some(&(min, _)), Some(&(max, _))) = (self.sorted.first(), self.sorted.last()) else {
            return Ok(true);
        };
        if min + 1 >= max {
            return Ok(true);
        }
        let mut owners: HashMap<Tp, usize> = HashMap::new();
        for (member, partitions) in self.current.iter().enumerate() {
            for &tp in partitions.iter().flatten() {
                owners.insert(tp, member);
            }
        }
        for &(_, rank) in &self.sorted {
            let member = self.by_rank[rank];
            let Some(mine) = &self.current[member] else {
                continue;
            };
            let count = mine.len();
            if count == self.max_size(member) {
                continue;
            }
            for &topic in &self.member_topics[member] {
                for partition in 0..self.group.partition_count(topic) as i32 {
                    let tp = Tp { topic, partition };
                    if mine.contains(&tp) {
                        continue;
                    }
                    let other = owners.get(&tp).copied().ok_or_else(|| {
                        KrafkaError::state(
                            "sticky assignment: a subscribed partition has no member",
                        )
                    })?;
                    if count + 1 < self.lookup_len(other)? {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }

    /// Moves partitions of `partitions` (in order) while the assignment is
    /// not balanced, over and over until a round moves nothing; whether
    /// anything moved.
    fn reassign_all(
        &mut self,
        partitions: &[Tp],
        previous: &HashMap<Tp, (usize, i32)>,
    ) -> Result<bool, KrafkaError> {
        let mut moved_any = false;
        loop {
            let mut moved = false;
            for &tp in partitions {
                if self.is_balanced()? {
                    break;
                }
                let consumer = self.owner_of(tp)?;
                let count = self.lookup_len(consumer)?;
                // Java fails here (a NullPointerException) when the older
                // owner is set aside as unmovable; Krafka goes on without
                // sending the partition back.
                let before = previous
                    .get(&tp)
                    .and_then(|&(before, _)| Some((before, self.current[before].as_ref()?.len())));
                if let Some((before, before_count)) = before {
                    if count > before_count + 1 {
                        self.move_partition(tp, before)?;
                        moved = true;
                        continue;
                    }
                }
                if self.has_lighter_member(tp, consumer, count)? {
                    let lightest = self
                        .sorted
                        .iter()
                        .map(|&(_, rank)| self.by_rank[rank])
                        .find(|&m| self.member_topics[m].contains(&tp.topic));
                    if let Some(target) = lightest {
                        self.move_partition(tp, target)?;
                    }
                    moved = true;
                }
            }
            moved_any |= moved;
            if !moved {
                return Ok(moved_any);
            }
        }
    }

    /// Whether a member subscribing to `tp`'s topic has two fewer than its
    /// owner (looking in the owner's rack first when it matches `tp`).
    fn has_lighter_member(
        &self,
        tp: Tp,
        consumer: usize,
        count: usize,
    ) -> Result<bool, KrafkaError> {
        let candidates = &self.topic_consumers[tp.topic as usize];
        if let (Some(rack), Some(replicas)) = (
            self.racks.consumer_racks.get(&consumer),
            self.racks.partition_racks.get(&tp),
        ) {
            if replicas.contains(rack) {
                for &other in candidates {
                    let in_rack = self
                        .racks
                        .consumer_racks
                        .get(&other)
                        .is_some_and(|r| replicas.contains(r));
                    if in_rack && count > self.lookup_len(other)? + 1 {
                        return Ok(true);
                    }
                }
            }
        }
        for &other in candidates {
            if count > self.lookup_len(other)? + 1 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn owner_of(&self, tp: Tp) -> Result<usize, KrafkaError> {
        self.owner.get(&tp).copied().ok_or_else(|| {
            KrafkaError::state("sticky assignment: a partition to move has no member")
        })
    }

    /// Moves `tp` to `target`, or, when partitions of its topic moved the
    /// other way before, one of those back instead (keeps moves sticky).
    fn move_partition(&mut self, tp: Tp, target: usize) -> Result<(), KrafkaError> {
        let consumer = self.owner_of(tp)?;
        let tp = self.movements.partition_to_move(tp, consumer, target);
        let source = self.owner_of(tp)?;
        let rank = |m: usize| self.group.members[m].rank;
        self.sorted.remove(&(self.len(source), rank(source)));
        self.sorted.remove(&(self.len(target), rank(target)));
        self.movements
            .record(tp, self.group.hash(tp), source, target);
        if let Some(partitions) = self.current[source].as_mut() {
            remove_first(partitions, tp);
        }
        if let Some(partitions) = self.current[target].as_mut() {
            partitions.push(tp);
        }
        self.owner.insert(tp, target);
        self.sorted.insert((self.len(target), rank(target)));
        self.sorted.insert((self.len(source), rank(source)));
        Ok(())
    }
}

/// The sum over all pairs of members of the difference of their counts.
fn balance_score(assignment: &[Option<Vec<Tp>>]) -> usize {
    let sizes: Vec<usize> = assignment.iter().flatten().map(Vec::len).collect();
    let mut score = 0;
    for (i, a) in sizes.iter().enumerate() {
        for b in &sizes[i + 1..] {
            score += a.abs_diff(*b);
        }
    }
    score
}

/// The partitions moved so far, by (from, to) member pair per topic.
#[derive(Default)]
struct Movements {
    by_topic: HashMap<u32, HashMap<(usize, usize), JavaHashOrder<Tp>>>,
    moves: HashMap<Tp, (usize, usize)>,
}

impl Movements {
    /// When partitions of `tp`'s topic moved from `to` to `from` (where `tp`
    /// first came from), the first of them in Java's set order; else `tp`.
    fn partition_to_move(&self, tp: Tp, from: usize, to: usize) -> Tp {
        let Some(pairs) = self.by_topic.get(&tp.topic) else {
            return tp;
        };
        let from = self.moves.get(&tp).map_or(from, |&(source, _)| source);
        pairs
            .get(&(to, from))
            .and_then(JavaHashOrder::first)
            .copied()
            .unwrap_or(tp)
    }

    fn record(&mut self, tp: Tp, hash: i32, from: usize, to: usize) {
        match self.remove(tp, hash) {
            Some((source, _)) if source == to => {}
            Some((source, _)) => self.add(tp, hash, (source, to)),
            None => self.add(tp, hash, (from, to)),
        }
    }

    fn remove(&mut self, tp: Tp, hash: i32) -> Option<(usize, usize)> {
        let pair = self.moves.remove(&tp)?;
        if let Some(pairs) = self.by_topic.get_mut(&tp.topic) {
            if let Some(set) = pairs.get_mut(&pair) {
                set.remove(&tp, hash);
                if set.is_empty() {
                    pairs.remove(&pair);
                }
            }
            if pairs.is_empty() {
                self.by_topic.remove(&tp.topic);
            }
        }
        Some(pair)
    }

    fn add(&mut self, tp: Tp, hash: i32, pair: (usize, usize)) {
        self.moves.insert(tp, pair);
        self.by_topic
            .entry(tp.topic)
            .or_default()
            .entry(pair)
            .or_insert_with(JavaHashOrder::new)
            .insert(tp, hash);
    }
}
