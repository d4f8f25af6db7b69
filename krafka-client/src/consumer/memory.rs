//! Accounting of fetched data that undelivered records hold on to.
//!
//! Records are slices of their Fetch response, so a response stays in
//! memory until the last of its records is handed out (or dropped by a
//! seek). Each response is counted whole from when it is buffered until its
//! last buffered chunk goes, whichever partition that chunk belongs to; the
//! fetch tasks send no Fetch while the count is at `fetch.max.bytes`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of fetched responses pinned by buffered records.
#[derive(Debug, Default, Clone)]
pub(crate) struct BufferedMemory(Arc<Counters>);

#[derive(Debug, Default)]
struct Counters {
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

    /// Counts `bytes` of one response until every clone of the returned
    /// charge is dropped.
    pub(crate) fn charge(&self, bytes: usize) -> Arc<ResponseCharge> {
        let now = self.0.now.fetch_add(bytes, Ordering::AcqRel) + bytes;
        self.0.peak.fetch_max(now, Ordering::AcqRel);
        Arc::new(ResponseCharge {
            bytes,
            memory: Arc::clone(&self.0),
        })
    }
}

/// One response's share of [`BufferedMemory`]; each buffered chunk of the
/// response holds a clone.
#[derive(Debug)]
pub(crate) struct ResponseCharge {
    bytes: usize,
    memory: Arc<Counters>,
}

impl Drop for ResponseCharge {
    fn drop(&mut self) {
        self.memory.now.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_counts_until_its_last_chunk_goes() {
        let memory = BufferedMemory::default();
        let charge = memory.charge(1000);
        let first_chunk = Arc::clone(&charge);
        let second_chunk = Arc::clone(&charge);
        drop(charge);
        assert_eq!(memory.bytes(), 1000);
        drop(first_chunk);
        assert_eq!(memory.bytes(), 1000);
        drop(second_chunk);
        assert_eq!(memory.bytes(), 0);
        assert_eq!(memory.peak(), 1000);
        drop(memory.charge(300));
        assert_eq!(memory.peak(), 1000, "the most at once, not the sum");
    }
}
