//! The partition queues that hold batches, so that a drain (and the expiry
//! check that runs with it) visits the partitions with data instead of
//! every partition the producer ever wrote to: with keyless records spread
//! over 1,000 partitions, nearly all queues are empty at any instant.

/// Queue indexes that may hold batches, each listed once. Every queue with
/// a batch is listed (the accumulator adds a queue whenever it queues a
/// batch); an emptied queue stays listed until the next [`retain`] drops
/// it.
///
/// [`retain`]: ActiveQueues::retain
#[derive(Debug, Default)]
pub(super) struct ActiveQueues {
    slots: Vec<usize>,
    /// Whether each queue index is in `slots`.
    listed: Vec<bool>,
}

impl ActiveQueues {
    /// Lists queue `slot` (once, however often it is added).
    pub(super) fn insert(&mut self, slot: usize) {
        if self.listed.len() <= slot {
            self.listed.resize(slot + 1, false);
        }
        if let Some(listed) = self.listed.get_mut(slot) {
            if !*listed {
                *listed = true;
                self.slots.push(slot);
            }
        }
    }

    /// How many queues are listed.
    pub(super) fn len(&self) -> usize {
        self.slots.len()
    }

    /// The queue index at `position` of the list.
    pub(super) fn get(&self, position: usize) -> Option<usize> {
        self.slots.get(position).copied()
    }

    /// The listed queue indexes, in list order.
    pub(super) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.slots.iter().copied()
    }

    /// Moves the first queue to the end: the next pass starts one further.
    pub(super) fn rotate(&mut self) {
        if !self.slots.is_empty() {
            self.slots.rotate_left(1);
        }
    }

    /// Keeps the queues for which `keep` says yes, in order.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let listed = &mut self.listed;
        self.slots.retain(|&slot| {
            let kept = keep(slot);
            if !kept {
                if let Some(listed) = listed.get_mut(slot) {
                    *listed = false;
                }
            }
            kept
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_queue_once_and_forgets_dropped_ones() {
        let mut active = ActiveQueues::default();
        active.insert(7);
        active.insert(2);
        active.insert(7);
        assert_eq!(active.iter().collect::<Vec<_>>(), vec![7, 2]);
        active.retain(|slot| slot != 7);
        assert_eq!(active.iter().collect::<Vec<_>>(), vec![2]);
        assert_eq!(active.len(), 1);
        // Dropped, it can be listed again (at the end).
        active.insert(7);
        assert_eq!(active.iter().collect::<Vec<_>>(), vec![2, 7]);
        assert_eq!(active.get(1), Some(7));
        assert_eq!(active.get(2), None);
        active.rotate();
        assert_eq!(active.iter().collect::<Vec<_>>(), vec![7, 2]);
    }
}
