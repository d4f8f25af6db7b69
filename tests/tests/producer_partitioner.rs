//! Keyed records land where the Java producer puts them: murmur2,
//! `toPositive`, and `BuiltInPartitioner.partitionForKey` for many partition
//! counts, compared with vectors printed by kafka-clients itself
//! (`tests/java/conformance/run.sh partitioner-vectors`, see
//! `PartitionerVectors.java`).

use krafka_client::{murmur2, partition_for_key, to_positive};
use krafka_tests::java::{out_dir, run_java};

/// Must match `PartitionerVectors.PARTITION_COUNTS`.
const PARTITION_COUNTS: [i32; 11] = [1, 2, 3, 5, 7, 10, 12, 16, 100, 1000, 2_147_483_647];
const RANDOM_KEYS: usize = 2000;

fn unhex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn keyed_partitioning_matches_kafka_clients() {
    let out = out_dir().join(format!("partitioner-{}.txt", std::process::id()));
    let keys = RANDOM_KEYS.to_string();
    let path = out.to_str().expect("utf-8 path");
    if run_java(
        "producer partitioner",
        &["partitioner-vectors", path, "794", &keys],
    )
    .is_none()
    {
        return;
    }
    let text = std::fs::read_to_string(&out).expect("read vectors");
    let _ = std::fs::remove_file(&out);
    let mut checked = 0;
    let mut lengths = std::collections::BTreeSet::new();
    for (line_no, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 4, "line {}: {line}", line_no + 1);
        let key = unhex(fields[0]);
        let hash: i32 = fields[1].parse().expect("murmur2");
        let positive: i32 = fields[2].parse().expect("toPositive");
        let partitions: Vec<i32> = fields[3]
            .split(',')
            .map(|p| p.parse().expect("partition"))
            .collect();
        assert_eq!(murmur2(&key), hash, "murmur2 of {}", fields[0]);
        assert_eq!(to_positive(hash), positive, "toPositive of {hash}");
        assert_eq!(partitions.len(), PARTITION_COUNTS.len());
        for (count, expected) in PARTITION_COUNTS.iter().zip(&partitions) {
            assert_eq!(
                partition_for_key(&key, *count),
                *expected,
                "partition of key {} among {count}",
                fields[0]
            );
        }
        lengths.insert(key.len() % 4);
        checked += 1;
    }
    assert!(checked > RANDOM_KEYS, "only {checked} vectors");
    // Every tail length of the hash (0-3 trailing bytes) was exercised.
    assert_eq!(lengths.len(), 4);
    eprintln!("producer partitioner: {checked} keys agree with kafka-clients");
}
