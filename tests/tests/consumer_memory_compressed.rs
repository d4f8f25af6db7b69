//! The consumer's memory is bounded by what batches expand to, not by the
//! compressed bytes that came: a fetch of a few small zstd batches that
//! each decompress to tens of MiB once took the process to the sum of all
//! of them at once, while the consumer counted a few KiB.
//!
//! A fake broker serves eight zstd batches of about 4 KiB, each expanding
//! to 24 MiB, in one Fetch response; with `fetch.max.bytes` = 32 MiB the
//! consumer's own count and the process's peak RSS growth stay within twice
//! that. The regression test is the only test that runs by default, so the
//! process's RSS is its own; `cli_figures` (ignored) measures `krafka
//! consume` on the cases of the original report.

use bytes::Bytes;
use krafka_client::TopicPartition;
use krafka_core::records::Compression;
use krafka_tests::fake_broker::crafted::{batch, copies, zeros, zstd_batch};
use krafka_tests::fake_broker::{FakeBroker, FakeCluster};
use krafka_tests::rss::{budgeted_consumer, cli_peak_kib, peak_kib, poll_or_fail, reset_peak};

const MIB: usize = 1024 * 1024;
const BATCHES: usize = 8;
const RECORDS_PER_BATCH: usize = 24;
const VALUE: usize = MIB;
const BUDGET: usize = 32 * MIB;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expanding_batches_stay_within_the_budget() {
    let batch = zstd_batch(RECORDS_PER_BATCH, Some(&zeros(VALUE)), &[]);
    let batches = copies(&batch, BATCHES);
    let (wire, end) = (size(&batches), BATCHES * RECORDS_PER_BATCH);
    let cluster = FakeCluster::new().crafted_topic("expanding", batches);
    let broker = FakeBroker::start(cluster.script()).await;
    let consumer = budgeted_consumer(&broker.addr, BUDGET, 4).await;
    let tp = TopicPartition::new("expanding", 0);

    reset_peak();
    let before = peak_kib();
    consumer.assign([tp.clone()]).await.expect("assign");
    let mut received = 0usize;
    let mut most_buffered = 0usize;
    while received < BATCHES * RECORDS_PER_BATCH {
        let records = poll_or_fail(&consumer).await;
        most_buffered = most_buffered.max(consumer.buffered_bytes());
        for record in &records {
            assert_eq!(record.offset, received as i64);
            assert_eq!(record.value.as_ref().map(|v| v.len()), Some(VALUE));
            received += 1;
        }
    }
    let growth = peak_kib().saturating_sub(before);
    let budget_kib = (BUDGET / 1024) as u64;
    eprintln!(
        "{BATCHES} zstd batches of {} bytes ({wire} in all, offsets to {end}) expanding to \
         {} MiB each: peak RSS +{growth} KiB, most counted {} KiB, budget {budget_kib} KiB",
        batch.len(),
        RECORDS_PER_BATCH * VALUE / MIB,
        most_buffered / 1024,
    );
    assert!(
        growth <= 2 * budget_kib,
        "peak RSS grew by {growth} KiB with a {budget_kib} KiB budget"
    );
    assert!(
        most_buffered <= 2 * BUDGET,
        "the consumer counted {most_buffered} bytes"
    );
    assert!(
        most_buffered >= VALUE,
        "an open batch's chunk, a record at least, is counted ({most_buffered} bytes)"
    );
}

/// Bytes of `batches` in all.
fn size(batches: &[Bytes]) -> usize {
    batches.iter().map(Bytes::len).sum()
}

/// Peak RSS of `krafka consume` (the binary in `KRAFKA_CLI`) reading 1, 4,
/// 8 and 24 zstd batches of about 4 KiB that each expand to 127 MiB, as
/// one record each (the original report's case: the record itself is
/// 127 MiB) and as 127 records of 1 MiB; and one batch of 120 records of
/// 1 MiB in each other codec. With the default `fetch.max.bytes` and with
/// 128 MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures a CLI binary: KRAFKA_CLI=target/release/krafka"]
async fn cli_figures() {
    let counts = [1usize, 4, 8, 24];
    let mut cluster = FakeCluster::new();
    let mut topics = Vec::new();
    for (shape, bomb) in [
        (
            "one 127 MiB record",
            zstd_batch(1, Some(&zeros(127 * MIB)), &[]),
        ),
        (
            "127 records of 1 MiB",
            zstd_batch(127, Some(&zeros(MIB)), &[]),
        ),
    ] {
        for n in counts {
            let batches = copies(&bomb, n);
            let name = format!("bombs-{}-{n}", topics.len());
            let what = format!("{n} zstd batches of {shape} ({} bytes)", size(&batches));
            cluster = cluster.crafted_topic(&name, batches);
            topics.push((name, what));
        }
    }
    for codec in [Compression::Gzip, Compression::Snappy, Compression::Lz4] {
        let expanding = batch(codec, 120, Some(&zeros(MIB)), &[]);
        let what = format!(
            "1 {codec} batch of 120 records of 1 MiB ({} bytes)",
            expanding.len()
        );
        cluster = cluster.crafted_topic(codec.name(), vec![expanding]);
        topics.push((codec.name().to_owned(), what));
    }
    let broker = FakeBroker::start(cluster.script()).await;
    for budget in [None, Some(128 * MIB)] {
        for (topic, what) in &topics {
            let mut args: Vec<String> = ["consume", "-b", &broker.addr, "-t", topic, "-e", "-q"]
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
                "FIGURE finding 2: {what} budget {}: \
                 peak RSS {:.1} MiB, ok {ok}, {:.1} s",
                budget.map_or("default (2 MiB)".to_owned(), |b| format!("{} MiB", b / MIB)),
                peak as f64 / 1024.0,
                took.as_secs_f64()
            );
        }
    }
}
