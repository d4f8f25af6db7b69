//! A consumer's handling of a Fetch response: session, decode, positions.
//!
//! Input: the Fetch version (1 byte, over the versions krafka speaks), the
//! settings (1 byte: bit 0 `read_committed`, bit 1 `check.crcs`, bit 2
//! `auto.offset.reset=none`), how many partitions were fetched (1 byte,
//! 1-4), per partition its topic (1 byte, one of [`TOPICS`]), index (1
//! byte, 0-3) and fetch offset (8 bytes), then the response frame after its
//! size prefix (header and body).
//!
//! The response goes through the consumer's own code
//! (`krafka_client::fuzzing::fetch_response`). Each partition hands out its
//! records in strictly increasing offsets, none below its fetch offset,
//! and ends positioned after the last; every pending error is handed out
//! once; the buffered-memory count never exceeds the response's record
//! bytes and is back to zero once everything is handed out.

use bytes::Bytes;
use krafka_client::OffsetReset;
use krafka_client::fuzzing::{FetchSettings, FetchedPartition, fetch_response};
use krafka_core::codec::Uuid;
use krafka_core::versions::{FETCH_MAX, FETCH_MIN};

use super::Input;

/// The topics a fetch may ask for, with their ids.
pub(crate) const TOPICS: [(&str, Uuid); 3] = [
    ("orders", Uuid([1; 16])),
    ("payments", Uuid([2; 16])),
    ("t", Uuid([3; 16])),
];

/// The Fetch version a version byte picks.
pub(crate) fn version_of(byte: u8) -> i16 {
    let span = (FETCH_MAX - FETCH_MIN + 1) as u8;
    FETCH_MIN + i16::from(byte % span)
}

/// The target; returns how many records were handed out.
pub fn run(data: &[u8]) -> usize {
    let mut input = Input::new(data);
    let version = version_of(input.u8());
    let flags = input.u8();
    let settings = FetchSettings {
        read_committed: flags & 1 != 0,
        check_crcs: flags & 2 != 0,
        auto_offset_reset: if flags & 4 != 0 {
            OffsetReset::None
        } else {
            OffsetReset::Earliest
        },
    };
    let count = 1 + usize::from(input.u8() % 4);
    let partitions: Vec<FetchedPartition> = (0..count)
        .map(|_| {
            let (topic, topic_id) = TOPICS[usize::from(input.u8()) % TOPICS.len()];
            FetchedPartition {
                topic: topic.to_owned(),
                topic_id,
                partition: i32::from(input.u8() % 4),
                fetch_offset: input.i64(),
                current_leader_epoch: 0,
            }
        })
        .collect();
    let frame = input.rest();
    let Ok(outcome) = fetch_response(
        Bytes::copy_from_slice(frame),
        version,
        &partitions,
        settings,
    ) else {
        return 0;
    };
    assert!(outcome.records_bytes <= frame.len());
    assert!(
        outcome.buffered <= outcome.records_bytes,
        "{} bytes buffered from a response of {} record bytes",
        outcome.buffered,
        outcome.records_bytes
    );
    assert_eq!(
        outcome.buffered_after, 0,
        "memory still counted once every record was handed out"
    );
    let pending_errors = outcome
        .partitions
        .iter()
        .filter(|p| p.error.is_some())
        .count();
    // Errors found while digesting come out once each; a batch that fails
    // only when it is opened (decompressed) as records are taken adds its
    // own, at most one per partition.
    assert!(
        outcome.errors_handed_out >= pending_errors
            && outcome.errors_handed_out <= outcome.partitions.len(),
        "{} errors handed out, {} pending before, {} partitions",
        outcome.errors_handed_out,
        pending_errors,
        outcome.partitions.len()
    );
    for partition in &outcome.partitions {
        let mut last = None;
        for record in &partition.records {
            assert_eq!(record.partition, partition.tp.partition);
            assert_eq!(&*record.topic, partition.tp.topic.as_str());
            assert!(
                record.offset >= partition.fetch_offset,
                "{}: offset {} below the fetch offset {}",
                partition.tp,
                record.offset,
                partition.fetch_offset
            );
            if let Some(last) = last {
                assert!(
                    record.offset > last,
                    "{}: offset {} after {last}",
                    partition.tp,
                    record.offset
                );
            }
            last = Some(record.offset);
        }
        if let Some(last) = last {
            assert!(
                partition.position.is_some_and(|p| p > last),
                "{}: position {:?} after handing out offset {last}",
                partition.tp,
                partition.position
            );
        }
    }
    outcome.partitions.iter().map(|p| p.records.len()).sum()
}
