//! Accounting of the fetched data the consumer holds for records it has not
//! handed out yet.
//!
//! Two things are counted, each from when it is made until it goes:
//!
//! - every Fetch response whole (its `records` fields), from when it is
//!   buffered until the last of its partitions' chunks is done, as records
//!   of uncompressed batches are slices of it;
//! - the decompressed chunk each open compressed batch reads its next
//!   records from (one batch at a time per partition, as the application
//!   reaches it; a chunk is 256 KiB, or one record when that is larger),
//!   until the next chunk replaces it or the batch's last record is handed
//!   out.
//!
//! Decoded records are not counted: they are made one at a time as the
//! application takes them, and their headers are read from the batch's bytes
//! when asked for. The fetch tasks send no Fetch, and no chunk is
//! decompressed ahead of the application, while the count is at the budget
//! (`fetch.max.bytes`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of fetched data held for records not handed out yet.
#[derive(Debug, Default, Clone)]
pub(crate) struct BufferedMemory(Arc<Counts>);

#[derive(Debug, Default)]
pub(crate) struct Counts {
    now: AtomicUsize,
    /// The most counted at once.
    peak: AtomicUsize,
}

impl BufferedMemory {
    /// The bytes counted now.
    pub(crate) fn bytes(&self) -> usize {
        self.0.now.load(Ordering::Acquire)
    }

    /// The most bytes counted at once so far.
    pub(crate) fn peak(&self) -> usize {
        self.0.peak.load(Ordering::Acquire)
    }

    /// Counts `bytes` until the returned charge is dropped.
    pub(crate) fn charge(&self, bytes: usize) -> Charge {
        let now = self.0.now.fetch_add(bytes, Ordering::AcqRel) + bytes;
        self.0.peak.fetch_max(now, Ordering::AcqRel);
        Charge {
            bytes,
            memory: Arc::clone(&self.0),
        }
    }
}

/// Some bytes counted in [`BufferedMemory`] while this lives.
#[derive(Debug)]
pub(crate) struct Charge {
    bytes: usize,
    memory: Arc<Counts>,
}

impl Charge {
    /// The bytes this charge counts.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.memory.now.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_charge_counts_until_its_last_holder_goes() {
        let memory = BufferedMemory::default();
        let charge = Arc::new(memory.charge(1000));
        let first_chunk = Arc::clone(&charge);
        let second_chunk = Arc::clone(&charge);
        drop(charge);
        let batch = memory.charge(24);
        assert_eq!(memory.bytes(), 1024);
        drop(first_chunk);
        assert_eq!(memory.bytes(), 1024);
        drop(second_chunk);
        assert_eq!(memory.bytes(), 24);
        assert_eq!(batch.bytes(), 24);
        drop(batch);
        assert_eq!(memory.bytes(), 0);
        assert_eq!(memory.peak(), 1024, "the most at once, not the sum");
    }
}
