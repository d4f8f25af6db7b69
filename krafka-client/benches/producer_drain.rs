//! The producer's drain with many partitions: what the sender pays each
//! time it wakes, when 1,000 partitions have queues (keyless records
//! visited them all) and only a few hold batches, as under sticky
//! partitioning.
//!
//! - `lingering/N`: N partitions hold a batch still inside `linger.ms`;
//!   the drain finds nothing ready (the sender's wake-ups between batches).
//! - `ready/N`: N partitions get a record and the drain, past `linger.ms`,
//!   takes their N batches into one request (settled as written at once).
//!
//! Run with `cargo bench -p krafka-client --bench producer_drain`.

// A benchmark may stop at the first failure.
#![allow(clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use krafka_client::producer_benching::ProducerQueues;

const PARTITIONS: i32 = 1_000;
const VALUE: [u8; 100] = [b'v'; 100];

fn queues() -> ProducerQueues {
    ProducerQueues::new(PARTITIONS).unwrap_or_else(|e| panic!("accumulator: {e}"))
}

fn drain(c: &mut Criterion) {
    let mut group = c.benchmark_group("drain_1000_partitions");
    group.measurement_time(Duration::from_secs(3));
    for with_data in [1, 4, 16] {
        let mut lingering = queues();
        for partition in 0..with_data {
            lingering
                .append(partition * 61, &VALUE)
                .unwrap_or_else(|e| panic!("append: {e}"));
        }
        group.bench_with_input(
            BenchmarkId::new("lingering", with_data),
            &with_data,
            |b, _| b.iter(|| black_box(lingering.drain())),
        );
        let mut ready = queues();
        group.bench_with_input(BenchmarkId::new("ready", with_data), &with_data, |b, &n| {
            b.iter(|| {
                for partition in 0..n {
                    ready
                        .append(partition * 61, &VALUE)
                        .unwrap_or_else(|e| panic!("append: {e}"));
                }
                let drained = ready.drain_lingered();
                assert_eq!(drained, n as usize);
                black_box(drained)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, drain);
criterion_main!(benches);
