//! A slow application does not make the consumer's memory grow: with
//! `fetch.max.bytes` = 1 MiB on a topic holding 48 MiB, an application that
//! takes one record and then sleeps keeps the process RSS within a few MiB
//! of where it started, because a partition is fetched again only once its
//! records are handed out and no fetch is sent while 1 MiB is buffered
//! (the budget is the lower of fetch.max.bytes and
//! krafka.fetch.buffer.max.bytes; bound: the budget plus one batch per
//! broker of fetched data).
//!
//! The only test in this file, so the process's RSS is its own.

mod broker_support;

use std::time::{Duration, Instant};

use broker_support::{connect, consumer, create_topic, single, unique_topic};
use krafka_client::ProducerRecord;
use krafka_client::TopicPartition;

const PARTITIONS: i32 = 4;
const RECORDS: usize = 48 * 1024;
const VALUE_SIZE: usize = 1024;
/// What the consumer may add to the RSS (2 MiB of fetched data at most,
/// its decoded records, allocator slack and the runtime's own growth).
const ALLOWED_GROWTH_KIB: u64 = 24 * 1024;

/// The process's resident set size, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_application_keeps_memory_bounded() {
    let conn = connect(&single()).await;
    let topic = unique_topic("consumer-memory");
    create_topic(&conn, &topic, PARTITIONS, 1).await;
    drop(conn);
    {
        // A small producer buffer, so producing leaves little behind.
        let producer = broker_support::producer(
            &single(),
            &[
                ("buffer.memory", "4194304"),
                ("batch.size", "65536"),
                ("linger.ms", "5"),
            ],
        )
        .await;
        let value = vec![b'x'; VALUE_SIZE];
        for i in 0..RECORDS {
            let record = ProducerRecord::new(&topic)
                .partition(i as i32 % PARTITIONS)
                .value(value.clone());
            // Delivery is checked by flush/close below; the futures are not kept.
            drop(producer.send(record).await.expect("send"));
        }
        producer.flush().await;
        producer.close().await.expect("close producer");
    }

    let consumer = consumer(
        &single(),
        &[
            ("auto.offset.reset", "earliest"),
            ("fetch.max.bytes", "1048576"),
            ("max.partition.fetch.bytes", "262144"),
        ],
    )
    .await;
    let tps: Vec<TopicPartition> = (0..PARTITIONS)
        .map(|p| TopicPartition::new(&topic, p))
        .collect();
    let ends = consumer.end_offsets(&tps).await.expect("end offsets");
    let total: i64 = ends.iter().map(|(_, end)| end).sum();
    assert_eq!(total, RECORDS as i64, "everything was produced");
    // Before anything is fetched: the growth counts the consumer's buffers.
    let baseline = rss_kib();
    consumer.assign(tps.clone()).await.expect("assign");

    let first = consumer.recv().await.expect("first record");
    assert_eq!(first.value.as_ref().map(|v| v.len()), Some(VALUE_SIZE));
    let mut peak = rss_kib();
    let mut received = 1usize;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(6) {
        let record = tokio::time::timeout(Duration::from_secs(10), consumer.recv())
            .await
            .expect("records keep coming")
            .expect("record");
        assert_eq!(record.value.map(|v| v.len()), Some(VALUE_SIZE));
        received += 1;
        tokio::time::sleep(Duration::from_millis(5)).await;
        peak = peak.max(rss_kib());
    }
    let growth = peak.saturating_sub(baseline);
    let lag: i64 = tps.iter().filter_map(|tp| consumer.lag(tp)).sum();
    let data_kib = (RECORDS * VALUE_SIZE / 1024) as u64;
    eprintln!(
        "slow consumer: {received} records in 6 s, RSS baseline {baseline} KiB, peak {peak} KiB \
         (+{growth} KiB), topic {data_kib} KiB, remaining lag {lag}"
    );
    assert!(received > 100, "the application made progress");
    assert!(
        growth < ALLOWED_GROWTH_KIB,
        "RSS grew by {growth} KiB (from {baseline} to {peak}) while the topic holds {data_kib} KiB"
    );
    // The application is far behind: an unbounded prefetch would have had
    // most of the topic in memory by now.
    assert!(lag > (RECORDS / 2) as i64, "lag {lag}");
}
