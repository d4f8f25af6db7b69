//! Decoded records cost about what their bytes do: tiny records and
//! records with many small headers once cost 30-40 times their decompressed
//! size, as every record of a fetch was made up front with a 64-byte value
//! per header.
//!
//! A fake broker serves one zstd batch of 32 MiB of two-byte headers (64
//! records of 256 Ki headers) and one of two million empty records; with
//! `fetch.max.bytes` = 32 MiB the peak RSS growth while reading each stays
//! within twice that. The regression test is the only test that runs by
//! default, so the process's RSS is its own; `cli_figures` (ignored)
//! measures `krafka consume` on the same batches.

use bytes::Bytes;
use krafka_client::TopicPartition;
use krafka_core::records::Header;
use krafka_tests::fake_broker::crafted::zstd_batch;
use krafka_tests::fake_broker::{FakeBroker, FakeCluster};
use krafka_tests::rss::{budgeted_consumer, cli_peak_kib, peak_kib, poll_or_fail, reset_peak};

const MIB: usize = 1024 * 1024;
const BUDGET: usize = 32 * MIB;
const HEADER_RECORDS: usize = 64;
const HEADERS_PER_RECORD: usize = 256 * 1024;
const TINY_RECORDS: usize = 2_000_000;

/// A fake serving the two topics, `headers` and `tiny`, one batch each,
/// and the size of each batch.
async fn broker() -> (FakeBroker, [usize; 2]) {
    // An empty key and a null value: two bytes each on the wire.
    let headers = vec![Header::from_bytes(Bytes::new(), None); HEADERS_PER_RECORD];
    let with_headers = zstd_batch(HEADER_RECORDS, Some(b"v"), &headers);
    let tiny = zstd_batch(TINY_RECORDS, None, &[]);
    let sizes = [with_headers.len(), tiny.len()];
    let cluster = FakeCluster::new()
        .crafted_topic("headers", vec![with_headers])
        .crafted_topic("tiny", vec![tiny]);
    (FakeBroker::start(cluster.script()).await, sizes)
}

/// Reads `topic` to its end `max_poll_records` at a time, checking each
/// record with `check`; returns the peak RSS growth in KiB and the most the
/// consumer counted.
async fn read_all(
    broker: &FakeBroker,
    topic: &str,
    end: i64,
    max_poll_records: usize,
    check: impl Fn(&krafka_client::ConsumerRecord),
) -> (u64, usize) {
    let consumer = budgeted_consumer(&broker.addr, BUDGET, max_poll_records).await;
    reset_peak();
    let before = peak_kib();
    consumer
        .assign([TopicPartition::new(topic, 0)])
        .await
        .expect("assign");
    let mut next = 0i64;
    let mut most_buffered = 0usize;
    while next < end {
        let records = poll_or_fail(&consumer).await;
        most_buffered = most_buffered.max(consumer.buffered_bytes());
        for record in &records {
            assert_eq!(record.offset, next);
            check(record);
            next += 1;
        }
    }
    (peak_kib().saturating_sub(before), most_buffered)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_records_and_headers_cost_about_their_size() {
    let (broker, sizes) = broker().await;
    let budget_kib = (BUDGET / 1024) as u64;

    let (growth, counted) = read_all(&broker, "headers", HEADER_RECORDS as i64, 8, |record| {
        assert_eq!(record.headers.len(), HEADERS_PER_RECORD);
        assert!(
            record
                .headers
                .iter()
                .all(|h| h.key.is_empty() && h.value.is_none())
        );
    })
    .await;
    eprintln!(
        "{HEADER_RECORDS} records of {HEADERS_PER_RECORD} two-byte headers in a {}-byte zstd \
         batch: peak RSS +{growth} KiB, most counted {} KiB, budget {budget_kib} KiB",
        sizes[0],
        counted / 1024
    );
    assert!(
        growth <= 2 * budget_kib,
        "headers: peak RSS grew by {growth} KiB with a {budget_kib} KiB budget"
    );
    assert!(counted <= 2 * BUDGET, "headers: counted {counted} bytes");
    assert!(
        counted >= HEADERS_PER_RECORD * 2,
        "headers: the open batch's chunk, a record at least, is counted ({counted} bytes)"
    );

    let (growth, counted) = read_all(&broker, "tiny", TINY_RECORDS as i64, 500, |record| {
        assert!(record.value.is_none() && record.key.is_none());
    })
    .await;
    eprintln!(
        "{TINY_RECORDS} empty records in a {}-byte zstd batch: peak RSS +{growth} KiB, \
         most counted {} KiB, budget {budget_kib} KiB",
        sizes[1],
        counted / 1024
    );
    assert!(
        growth <= 2 * budget_kib,
        "tiny records: peak RSS grew by {growth} KiB with a {budget_kib} KiB budget"
    );
    assert!(
        counted <= 2 * BUDGET,
        "tiny records: counted {counted} bytes"
    );
}

/// Peak RSS of `krafka consume` (the binary in `KRAFKA_CLI`) reading the
/// two batches, with the default `fetch.max.bytes` and with 32 MiB, printing
/// headers (`%h`) or values.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures a CLI binary: KRAFKA_CLI=target/release/krafka"]
async fn cli_figures() {
    let (broker, sizes) = broker().await;
    for budget in [None, Some(BUDGET)] {
        for ((topic, format), size) in [("headers", "%h\\n"), ("tiny", "%o\\n")].iter().zip(&sizes)
        {
            let mut args: Vec<String> = [
                "consume",
                "-b",
                &broker.addr,
                "-t",
                topic,
                "-e",
                "-q",
                "-f",
                format,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            if let Some(budget) = budget {
                args.extend([
                    "-X".to_owned(),
                    format!("fetch.max.bytes={budget}"),
                    "-X".to_owned(),
                    format!("krafka.fetch.buffer.max.bytes={budget}"),
                ]);
            }
            let (peak, ok, took) = cli_peak_kib(&args).await;
            eprintln!(
                "FIGURE finding 3: {topic} ({size}-byte batch) budget {}: \
                 peak RSS {:.1} MiB, ok {ok}, {:.1} s",
                budget.map_or("default (2 MiB)".to_owned(), |b| format!("{} MiB", b / MIB)),
                peak as f64 / 1024.0,
                took.as_secs_f64()
            );
        }
    }
}
