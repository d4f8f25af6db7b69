//! Helpers shared by the cross-crate tests (the tests themselves live in
//! `tests/tests/` and `tests/ui/`).

pub mod fake_broker;
pub mod fuzz;
pub mod group;
pub mod java;
pub mod java_group;
pub mod java_txn;
pub mod json;
pub mod rss;
pub mod secure;
pub mod wire_gen;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A topic name no other test run uses: `krafka-<prefix>-<pid>-<ns>-<n>`.
pub fn unique_topic(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "krafka-{prefix}-{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
