//! Whatever the codec, an open compressed batch costs the consumer a
//! decompressed chunk at a time, not what the whole batch expands to: one
//! batch of each codec that decompresses to 120 MiB, read with
//! `fetch.max.bytes` = 8 MiB, keeps the consumer's count within twice that
//! (it once counted, and held, the whole 120 MiB at once).
//!
//! Alone in its file so that the peak RSS growth it prints is its own.

use krafka_client::TopicPartition;
use krafka_core::records::Compression;
use krafka_tests::fake_broker::crafted::{batch, zeros};
use krafka_tests::fake_broker::{FakeBroker, FakeCluster};
use krafka_tests::rss::{budgeted_consumer, peak_kib, poll_or_fail, reset_peak};

const MIB: usize = 1024 * 1024;
const RECORDS: usize = 120;
const VALUE: usize = MIB;
const BUDGET: usize = 8 * MIB;
const CODECS: [Compression; 4] = [
    Compression::Gzip,
    Compression::Snappy,
    Compression::Lz4,
    Compression::Zstd,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_batch_expanding_to_120_mib_is_counted_a_chunk_at_a_time() {
    let mut cluster = FakeCluster::new();
    let mut sizes = Vec::new();
    for codec in CODECS {
        let expanding = batch(codec, RECORDS, Some(&zeros(VALUE)), &[]);
        sizes.push(expanding.len());
        cluster = cluster.crafted_topic(codec.name(), vec![expanding]);
    }
    let broker = FakeBroker::start(cluster.script()).await;
    for (codec, size) in CODECS.into_iter().zip(sizes) {
        let consumer = budgeted_consumer(&broker.addr, BUDGET, 4).await;
        reset_peak();
        let before = peak_kib();
        consumer
            .assign([TopicPartition::new(codec.name(), 0)])
            .await
            .expect("assign");
        let mut received = 0usize;
        while received < RECORDS {
            let records = poll_or_fail(&consumer).await;
            for record in &records {
                assert_eq!(record.offset, received as i64, "{codec}");
                let value = record.value.as_deref().expect("a value");
                assert_eq!(value.len(), VALUE, "{codec}");
                assert_eq!((value[0], value[VALUE - 1]), (0, 0), "{codec}");
                received += 1;
            }
        }
        let counted = consumer.peak_buffered_bytes();
        let growth = peak_kib().saturating_sub(before);
        eprintln!(
            "{codec}: one {size}-byte batch expanding to {} MiB: most counted {} KiB, \
             peak RSS +{growth} KiB (the fake broker's copies of the response included), \
             budget {} KiB",
            RECORDS * VALUE / MIB,
            counted / 1024,
            BUDGET / 1024,
        );
        assert!(
            counted <= 2 * BUDGET,
            "{codec}: the consumer counted {counted} bytes with a {BUDGET}-byte budget"
        );
        assert!(
            counted >= VALUE,
            "{codec}: the open batch's chunk, a record at least, is counted ({counted} bytes)"
        );
        consumer.close().await.expect("close");
    }
}
