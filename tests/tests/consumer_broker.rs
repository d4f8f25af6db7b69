//! The consumer against the real single broker: records produced by
//! krafka's producer (keys, values, null values, headers, explicit
//! timestamps) over several partitions come back exactly once, in order per
//! partition, with the same content; seeks to offsets, the beginning, the
//! end and timestamps; pause/resume; position and lag; every
//! `auto.offset.reset`; fetch sessions in use; `recv` and `stream`.

mod broker_support;

use std::collections::BTreeMap;
use std::time::Duration;

use broker_support::{connect, consume_exactly, consumer, create_topic, single, unique_topic};
use bytes::Bytes;
use krafka_client::{ConsumerRecord, KrafkaError, TopicPartition};
use krafka_client::{Producer, ProducerRecord};
use krafka_core::records::Header;

const WAIT: Duration = Duration::from_secs(30);

async fn producer() -> Producer {
    broker_support::producer(&single(), &[("linger.ms", "5"), ("batch.size", "4096")]).await
}

/// A fresh topic with `partitions` partitions.
async fn topic(prefix: &str, partitions: i32) -> String {
    let conn = connect(&single()).await;
    let name = unique_topic(prefix);
    create_topic(&conn, &name, partitions, 1).await;
    name
}

/// What a record looked like when it was produced.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    offset: i64,
    timestamp: i64,
    key: Option<Bytes>,
    value: Option<Bytes>,
    headers: Vec<Header>,
}

impl Sent {
    fn of(record: &ConsumerRecord) -> Sent {
        Sent {
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key.clone(),
            value: record.value.clone(),
            headers: record.headers.to_vec(),
        }
    }
}

/// Produces `records`, returning them by partition in offset order.
async fn produce(producer: &Producer, records: Vec<ProducerRecord>) -> BTreeMap<i32, Vec<Sent>> {
    let mut pending = Vec::new();
    for record in records {
        let delivery = producer.send(record.clone()).await.expect("send");
        pending.push((record, delivery));
    }
    let mut sent: BTreeMap<i32, Vec<Sent>> = BTreeMap::new();
    for (record, delivery) in pending {
        let meta = delivery.await.expect("delivered");
        sent.entry(meta.partition).or_default().push(Sent {
            offset: meta.offset,
            timestamp: meta.timestamp,
            key: record.key,
            value: record.value,
            headers: record.headers,
        });
    }
    for records in sent.values_mut() {
        records.sort_by_key(|r| r.offset);
    }
    sent
}

/// Simple values `prefix-i` for partition `partition`.
async fn produce_values(producer: &Producer, topic: &str, partition: i32, prefix: &str, n: usize) {
    let records = (0..n)
        .map(|i| {
            ProducerRecord::new(topic)
                .partition(partition)
                .value(format!("{prefix}-{i}"))
        })
        .collect();
    produce(producer, records).await;
}

fn by_partition(records: &[ConsumerRecord]) -> BTreeMap<i32, Vec<Sent>> {
    let mut out: BTreeMap<i32, Vec<Sent>> = BTreeMap::new();
    for record in records {
        out.entry(record.partition)
            .or_default()
            .push(Sent::of(record));
    }
    out
}

/// Asserts nothing more comes for `for_how_long`.
async fn assert_quiet(consumer: &krafka_client::Consumer, for_how_long: Duration) {
    let extra = consumer.poll(for_how_long).await.expect("poll");
    assert!(
        extra.is_empty(),
        "unexpected extra records: {:?}",
        extra
            .iter()
            .map(|r| (r.partition, r.offset))
            .collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn produced_records_are_consumed_exactly_once_in_order_with_the_same_content() {
    let topic = topic("consumer-roundtrip", 4).await;
    let producer = producer().await;
    let mut records = Vec::new();
    for i in 0..2_000u32 {
        let mut record = ProducerRecord::new(&topic);
        match i % 5 {
            0 => {
                record = record
                    .key(format!("key-{}", i % 17))
                    .value(format!("value-{i}"))
            }
            1 => record = record.value(vec![i as u8; (i % 300) as usize]),
            2 => {
                record = record
                    .key(format!("k{i}"))
                    .header("h1", Some(format!("v{i}")))
                    .header("null-header", None::<Bytes>)
                    .header("h1", Some("again"))
                    .value(format!("with-headers-{i}"))
            }
            3 => record = record.key(format!("tombstone-{i}")),
            _ => {
                record = record
                    .partition(3)
                    .timestamp(1_700_000_000_000 + i64::from(i))
                    .value(Bytes::new())
            }
        }
        records.push(record);
    }
    let sent = produce(&producer, records).await;
    assert_eq!(sent.len(), 4, "every partition got records");

    let consumer = consumer(&single(), &[("auto.offset.reset", "earliest")]).await;
    let tps: Vec<TopicPartition> = (0..4).map(|p| TopicPartition::new(&topic, p)).collect();
    consumer.assign(tps.clone()).await.expect("assign");
    let got = consume_exactly(&consumer, 2_000, WAIT).await;
    assert_quiet(&consumer, Duration::from_millis(700)).await;

    assert!(got.iter().all(|r| &*r.topic == topic.as_str()));
    let got = by_partition(&got);
    for (partition, expected) in &sent {
        let received = got.get(partition).expect("records of the partition");
        assert_eq!(received.len(), expected.len(), "partition {partition}");
        for (r, e) in received.iter().zip(expected) {
            assert_eq!(r, e, "partition {partition}");
        }
    }
    for tp in &tps {
        let end = sent[&tp.partition].last().map_or(0, |r| r.offset + 1);
        assert_eq!(consumer.position(tp).await.expect("position"), end);
        assert_eq!(consumer.lag(tp), Some(0), "{tp}");
    }
    let ends = consumer.end_offsets(&tps).await.expect("end offsets");
    for (tp, end) in ends {
        assert_eq!(end, sent[&tp.partition].len() as i64, "{tp}");
    }
    let starts = consumer
        .beginning_offsets(&tps)
        .await
        .expect("beginning offsets");
    assert!(starts.iter().all(|(_, offset)| *offset == 0));
    consumer.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeks_to_an_offset_the_beginning_and_the_end() {
    let topic = topic("consumer-seek", 1).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "a", 50).await;
    let tp = TopicPartition::new(&topic, 0);
    let consumer = consumer(&single(), &[("auto.offset.reset", "earliest")]).await;
    consumer.assign([tp.clone()]).await.expect("assign");
    assert_eq!(consumer.assignment(), std::slice::from_ref(&tp));

    consumer.seek(&tp, 20).await.expect("seek");
    assert_eq!(consumer.position(&tp).await.expect("position"), 20);
    let first = consumer.recv().await.expect("recv");
    assert_eq!(first.offset, 20);
    assert_eq!(first.value.as_deref(), Some(&b"a-20"[..]));

    // A seek while records are buffered drops them: the next one is the sought one.
    let _ = consume_exactly(&consumer, 3, WAIT).await;
    consumer.seek(&tp, 7).await.expect("seek back");
    let next = consume_exactly(&consumer, 1, WAIT).await;
    assert_eq!(next[0].offset, 7);

    consumer
        .seek_to_beginning(std::slice::from_ref(&tp))
        .await
        .expect("beginning");
    assert_eq!(consumer.position(&tp).await.expect("position"), 0);
    let all = consume_exactly(&consumer, 50, WAIT).await;
    assert_eq!(
        all.iter().map(|r| r.offset).collect::<Vec<_>>(),
        (0..50).collect::<Vec<_>>()
    );

    consumer.seek(&tp, 10).await.expect("seek");
    consumer
        .seek_to_end(std::slice::from_ref(&tp))
        .await
        .expect("end");
    assert_eq!(consumer.position(&tp).await.expect("position"), 50);
    assert_quiet(&consumer, Duration::from_millis(500)).await;
    produce_values(&producer, &topic, 0, "b", 1).await;
    let new = consumer.recv().await.expect("recv");
    assert_eq!((new.offset, new.value.as_deref()), (50, Some(&b"b-0"[..])));

    let stranger = TopicPartition::new(&topic, 9);
    assert!(matches!(
        consumer.seek(&stranger, 0).await,
        Err(KrafkaError::State(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_for_times_and_seek_to_timestamp() {
    let topic = topic("consumer-times", 1).await;
    let producer = producer().await;
    let base = 1_600_000_000_000i64;
    let records = (0..20)
        .map(|i| {
            ProducerRecord::new(&topic)
                .partition(0)
                .timestamp(base + i * 10)
                .value(format!("t{i}"))
        })
        .collect();
    produce(&producer, records).await;
    let tp = TopicPartition::new(&topic, 0);
    let consumer = consumer(&single(), &[("auto.offset.reset", "latest")]).await;
    consumer.assign([tp.clone()]).await.expect("assign");

    let found = consumer
        .offsets_for_times(&[
            (tp.clone(), base + 55),
            (tp.clone(), base),
            (tp.clone(), base + 10_000),
        ])
        .await
        .expect("offsets for times");
    let at = |i: usize| found[i].1.map(|o| (o.offset, o.timestamp));
    assert_eq!(at(0), Some((6, base + 60)));
    assert_eq!(at(1), Some((0, base)));
    assert_eq!(at(2), None, "no record that late");
    assert!(found[0].1.and_then(|o| o.leader_epoch).is_some());

    consumer
        .seek_to_timestamp(std::slice::from_ref(&tp), base + 55)
        .await
        .expect("seek to timestamp");
    let record = consumer.recv().await.expect("recv");
    assert_eq!((record.offset, record.timestamp), (6, base + 60));
    assert_eq!(record.value.as_deref(), Some(&b"t6"[..]));

    consumer
        .seek_to_timestamp(std::slice::from_ref(&tp), base + 10_000)
        .await
        .expect("seek past the last timestamp");
    assert_eq!(consumer.position(&tp).await.expect("position"), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paused_partitions_deliver_nothing_until_resumed() {
    let topic = topic("consumer-pause", 2).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "zero", 30).await;
    produce_values(&producer, &topic, 1, "one", 30).await;
    let tps = [
        TopicPartition::new(&topic, 0),
        TopicPartition::new(&topic, 1),
    ];
    let consumer = consumer(&single(), &[("auto.offset.reset", "earliest")]).await;
    consumer.assign(tps.clone()).await.expect("assign");
    consumer.pause(&tps[..1]);
    assert_eq!(consumer.paused(), tps[..1]);

    let got = consume_exactly(&consumer, 30, WAIT).await;
    assert!(got.iter().all(|r| r.partition == 1));
    assert_quiet(&consumer, Duration::from_millis(700)).await;
    assert_eq!(consumer.position(&tps[0]).await.expect("position"), 0);

    consumer.resume(&tps[..1]);
    assert!(consumer.paused().is_empty());
    let got = consume_exactly(&consumer, 30, WAIT).await;
    assert!(got.iter().all(|r| r.partition == 0));
    assert_eq!(
        got.iter().map(|r| r.offset).collect::<Vec<_>>(),
        (0..30).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn position_and_lag_follow_delivery() {
    let topic = topic("consumer-lag", 1).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "v", 100).await;
    let tp = TopicPartition::new(&topic, 0);
    let consumer = consumer(
        &single(),
        &[
            ("auto.offset.reset", "earliest"),
            ("max.poll.records", "10"),
        ],
    )
    .await;
    consumer.assign([tp.clone()]).await.expect("assign");
    assert_eq!(consumer.position(&tp).await.expect("position"), 0);

    let first = consumer.poll(WAIT).await.expect("poll");
    assert_eq!(first.len(), 10, "max.poll.records");
    assert_eq!(consumer.position(&tp).await.expect("position"), 10);
    assert_eq!(consumer.lag(&tp), Some(90));
    let _ = consume_exactly(&consumer, 90, WAIT).await;
    assert_eq!(consumer.position(&tp).await.expect("position"), 100);
    assert_eq!(consumer.lag(&tp), Some(0));

    // New records raise the lag once a fetch has seen them.
    produce_values(&producer, &topic, 0, "w", 5).await;
    let more = consume_exactly(&consumer, 5, WAIT).await;
    assert_eq!(more.last().map(|r| r.offset), Some(104));
    assert_eq!(consumer.lag(&tp), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lag_is_known_after_seeking_to_where_the_consumer_already_was() {
    // The first (full) fetch's answer is dropped by the seek; the fetch
    // session's later answers leave the unchanged partition out, so the
    // high watermark must be kept from the dropped answer.
    let topic = topic("consumer-lag-seek", 1).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "v", 10).await;
    let tp = TopicPartition::new(&topic, 0);
    let consumer = consumer(&single(), &[("auto.offset.reset", "latest")]).await;
    consumer.assign([tp.clone()]).await.expect("assign");
    consumer.seek(&tp, 10).await.expect("seek");
    let deadline = tokio::time::Instant::now() + WAIT;
    while consumer.lag(&tp).is_none() && tokio::time::Instant::now() < deadline {
        let records = consumer
            .poll(Duration::from_millis(200))
            .await
            .expect("poll");
        assert!(records.is_empty(), "nothing after the end: {records:?}");
    }
    assert_eq!(consumer.lag(&tp), Some(0));
    assert_eq!(consumer.position(&tp).await.expect("position"), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_offset_reset_earliest_latest_and_none() {
    let topic = topic("consumer-reset", 1).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "old", 10).await;
    let tp = TopicPartition::new(&topic, 0);

    let earliest = consumer(&single(), &[("auto.offset.reset", "earliest")]).await;
    earliest.assign([tp.clone()]).await.expect("assign");
    assert_eq!(earliest.position(&tp).await.expect("position"), 0);
    // Out of range: back to the beginning.
    earliest.seek(&tp, 1_000).await.expect("seek");
    let record = earliest.recv().await.expect("recv after reset");
    assert_eq!(record.offset, 0);

    let latest = consumer(&single(), &[("auto.offset.reset", "latest")]).await;
    latest.assign([tp.clone()]).await.expect("assign");
    assert_eq!(latest.position(&tp).await.expect("position"), 10);
    latest.seek(&tp, 1_000).await.expect("seek");
    // The fetch at 1000 is out of range and the reset moves back to the end.
    let deadline = tokio::time::Instant::now() + WAIT;
    while latest.position(&tp).await.expect("position") != 10 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no reset to the end"
        );
        assert!(
            latest
                .poll(Duration::from_millis(50))
                .await
                .expect("poll")
                .is_empty()
        );
    }
    produce_values(&producer, &topic, 0, "new", 1).await;
    let record = latest.recv().await.expect("recv after reset");
    assert_eq!(
        (record.offset, record.value.as_deref()),
        (10, Some(&b"new-0"[..]))
    );

    let none = consumer(&single(), &[("auto.offset.reset", "none")]).await;
    none.assign([tp.clone()]).await.expect("assign");
    let error = tokio::time::timeout(WAIT, none.recv())
        .await
        .expect("an error, not a wait")
        .expect_err("no position and no reset");
    assert!(
        matches!(&error, KrafkaError::NoOffsetForPartition { topic: t, partition: 0 } if *t == topic),
        "{error}"
    );
    assert!(none.position(&tp).await.is_err());
    none.seek(&tp, 1_000).await.expect("seek");
    let error = tokio::time::timeout(WAIT, none.recv())
        .await
        .expect("an error, not a wait")
        .expect_err("out of range");
    assert!(
        matches!(
            &error,
            KrafkaError::OffsetOutOfRange { topic: t, partition: 0, offset: 1_000 } if *t == topic
        ),
        "{error}"
    );
    none.seek(&tp, 3).await.expect("seek");
    let record = none.recv().await.expect("recv");
    assert_eq!(record.offset, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_run_in_incremental_sessions() {
    let topic = topic("consumer-session", 3).await;
    let producer = producer().await;
    for p in 0..3 {
        produce_values(&producer, &topic, p, "s", 20).await;
    }
    let tps: Vec<TopicPartition> = (0..3).map(|p| TopicPartition::new(&topic, p)).collect();
    let consumer = consumer(&single(), &[("auto.offset.reset", "earliest")]).await;
    consumer.assign(tps).await.expect("assign");
    let _ = consume_exactly(&consumer, 60, WAIT).await;
    // Keep fetching (incrementally) for a while; new records still arrive.
    produce_values(&producer, &topic, 1, "later", 5).await;
    let later = consume_exactly(&consumer, 5, WAIT).await;
    assert!(later.iter().all(|r| r.partition == 1));
    let sessions = consumer.fetch_session_ids();
    assert_eq!(sessions.len(), 1, "one broker: {sessions:?}");
    assert_ne!(
        sessions[0].1, 0,
        "the broker gave a fetch session: {sessions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recv_and_stream_hand_out_records_one_by_one() {
    use std::future::poll_fn;
    use std::pin::pin;

    use krafka_client::Stream;

    let topic = topic("consumer-stream", 1).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "x", 10).await;
    let tp = TopicPartition::new(&topic, 0);
    let consumer = consumer(&single(), &[("auto.offset.reset", "earliest")]).await;
    consumer.assign([tp.clone()]).await.expect("assign");
    let first = consumer.recv().await.expect("recv");
    assert_eq!(first.offset, 0);
    let mut stream = pin!(consumer.stream());
    let mut offsets = Vec::new();
    while offsets.len() < 9 {
        let next = tokio::time::timeout(WAIT, poll_fn(|cx| stream.as_mut().poll_next(cx)))
            .await
            .expect("a record in time")
            .expect("stream open")
            .expect("record");
        offsets.push(next.offset);
    }
    assert_eq!(offsets, (1..10).collect::<Vec<_>>());
}

/// KIP-392 on the 3-broker cluster, whose nodes `kafka.sh` puts in racks
/// `rack-<node>` with the rack-aware replica selector: a consumer in a
/// follower's rack is sent to that follower by the leader and reads
/// everything from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_rack_fetches_from_the_replica_in_the_same_rack() {
    let addr = broker_support::cluster();
    let conn = connect(&addr).await;
    let topic = unique_topic("consumer-rack");
    create_topic(&conn, &topic, 1, 3).await;
    drop(conn);

    let producer = broker_support::producer(&addr, &[]).await;
    let records = (0..200)
        .map(|i| {
            ProducerRecord::new(&topic)
                .partition(0)
                .value(format!("r{i}"))
        })
        .collect();
    produce(&producer, records).await;

    // Every replica in sync, so the follower can serve everything.
    let (leader, follower, rack) = loop {
        producer
            .cluster()
            .refresh_metadata()
            .await
            .expect("metadata");
        let metadata = producer.cluster().metadata();
        let p = metadata
            .topic(&topic)
            .and_then(|t| t.partition(0))
            .expect("partition 0")
            .clone();
        let racks: Vec<Option<String>> =
            metadata.brokers.values().map(|b| b.rack.clone()).collect();
        assert!(
            racks.iter().all(Option::is_some),
            "the cluster's brokers have no broker.rack ({racks:?}): restart it with \
             `scripts/kafka/kafka.sh stop cluster && scripts/kafka/kafka.sh start cluster` so \
             the rack settings kafka.sh writes apply"
        );
        if p.isr.len() == 3 {
            let leader = p.leader.expect("leader");
            let follower = *p
                .replicas
                .iter()
                .find(|&&r| r != leader)
                .expect("a follower");
            let rack = metadata.brokers[&follower].rack.clone().expect("rack");
            break (leader, follower, rack);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    let consumer = consumer(
        &addr,
        &[("auto.offset.reset", "earliest"), ("client.rack", &rack)],
    )
    .await;
    let tp = TopicPartition::new(&topic, 0);
    consumer.assign([tp.clone()]).await.expect("assign");
    let got = consume_exactly(&consumer, 200, WAIT).await;
    assert_eq!(
        got.iter().map(|r| r.offset).collect::<Vec<_>>(),
        (0..200).collect::<Vec<_>>()
    );
    // New records keep coming, from the follower.
    let more = (0..20)
        .map(|i| {
            ProducerRecord::new(&topic)
                .partition(0)
                .value(format!("s{i}"))
        })
        .collect();
    produce(&producer, more).await;
    let got = consume_exactly(&consumer, 20, WAIT).await;
    assert_eq!(got[0].offset, 200);
    let nodes: Vec<i32> = consumer
        .fetch_session_ids()
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert!(
        nodes.contains(&follower),
        "fetched from {nodes:?}, not from follower {follower} in {rack} (leader {leader})"
    );
}

/// `read_committed` on records outside transactions: all of them come, up to
/// the last stable offset, which `end_offsets` and the lag use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_committed_reads_plain_records_up_to_the_lso() {
    let topic = topic("consumer-committed", 2).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "a", 40).await;
    produce_values(&producer, &topic, 1, "b", 10).await;
    let tps = [
        TopicPartition::new(&topic, 0),
        TopicPartition::new(&topic, 1),
    ];
    let consumer = consumer(
        &single(),
        &[
            ("auto.offset.reset", "earliest"),
            ("isolation.level", "read_committed"),
        ],
    )
    .await;
    consumer.assign(tps.clone()).await.expect("assign");
    let got = consume_exactly(&consumer, 50, WAIT).await;
    assert_quiet(&consumer, Duration::from_millis(500)).await;
    let got = by_partition(&got);
    assert_eq!(got[&0].len(), 40);
    assert_eq!(got[&1].len(), 10);
    let ends = consumer.end_offsets(&tps).await.expect("end offsets");
    assert_eq!(ends, [(tps[0].clone(), 40), (tps[1].clone(), 10)]);
    assert_eq!(consumer.lag(&tps[0]), Some(0));
    assert_eq!(consumer.lag(&tps[1]), Some(0));
}

/// A seek while a long poll is in flight does not wait for it: with
/// `fetch.max.wait.ms` = 60 s and the partition at its end, the consumer
/// sought back to the beginning gets its records long before the broker
/// would answer the old Fetch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seek_does_not_wait_for_the_long_poll_in_flight() {
    let topic = topic("consumer-longpoll", 1).await;
    let producer = producer().await;
    produce_values(&producer, &topic, 0, "p", 5).await;
    let tp = TopicPartition::new(&topic, 0);
    let consumer = consumer(
        &single(),
        &[
            ("auto.offset.reset", "latest"),
            ("fetch.max.wait.ms", "60000"),
        ],
    )
    .await;
    consumer.assign([tp.clone()]).await.expect("assign");
    // Let the Fetch at the end of the log reach the broker and wait there.
    assert!(
        consumer
            .poll(Duration::from_millis(500))
            .await
            .expect("poll")
            .is_empty()
    );
    consumer
        .seek_to_beginning(std::slice::from_ref(&tp))
        .await
        .expect("seek");
    let records = tokio::time::timeout(Duration::from_secs(20), async {
        consume_exactly(&consumer, 5, WAIT).await
    })
    .await
    .expect("records well before the 60 s long poll ends");
    assert_eq!(records[0].offset, 0);
}
