//! Valid, varied starting inputs for each target, generated (so nothing
//! large is committed): messages from their schema alone (`wire_gen`),
//! record batches from the builder in every codec, response frames, Fetch
//! responses with real batches, transactions, errors and cut-off tails.

use bytes::{Bytes, BytesMut};
use krafka_core::codec::{Message, Records};
use krafka_core::messages::fetch::{
    AbortedTransaction, EpochEndOffset, FetchableTopicResponse, PartitionData,
};
use krafka_core::messages::{FetchResponse, ResponseHeader};
use krafka_core::records::{Compression, ControlRecord, Header, RecordBatchBuilder, TimestampType};

use super::frame::{LIMITS, responses};
use super::records::{CODECS, options_byte};
use super::{InputWriter, catalogue, fetch};
use crate::wire_gen::{Rng, WireGen};

/// One input per message and version.
pub(super) fn message() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for (index, entry) in catalogue().iter().enumerate() {
        let schema = (entry.schema)();
        let range = schema.valid_versions;
        for version in range.min..=range.max {
            let seed = (index as u64) << 16 | version as u64;
            let body = WireGen::new(&mut Rng::new(seed)).message(&schema, version);
            seeds.push(
                InputWriter::default()
                    .u16(index as u16)
                    .u8((version - range.min + 1) as u8)
                    .bytes(&body)
                    .finish(),
            );
        }
    }
    seeds
}

/// A batch of `count` records with keys, values and headers.
fn batch(compression: Compression, base_offset: i64, count: usize) -> Bytes {
    let mut builder = RecordBatchBuilder::new()
        .compression(compression)
        .base_offset(base_offset)
        .partition_leader_epoch(3)
        .timestamp(1_700_000_000_000);
    for i in 0..count {
        let key = format!("key-{}", i % 3);
        let value = format!("value {i} {}", "x".repeat(i * 7 % 40));
        let headers = if i % 2 == 0 {
            vec![
                Header::new("trace", Some(key.as_bytes())),
                Header::new("null", None),
            ]
        } else {
            Vec::new()
        };
        let key = (i % 4 != 3).then_some(key.as_bytes());
        builder = builder.add_record_at(
            1_700_000_000_000 + i as i64 * 13,
            key,
            Some(value.as_bytes()),
            headers,
        );
    }
    built(builder)
}

fn built(builder: RecordBatchBuilder) -> Bytes {
    match builder.build() {
        Ok(bytes) => bytes,
        Err(error) => panic!("a seed batch does not build: {error}"),
    }
}

/// A transactional batch of producer `producer_id` at `base_offset`.
fn transactional(compression: Compression, producer_id: i64, base_offset: i64) -> Bytes {
    built(
        RecordBatchBuilder::new()
            .compression(compression)
            .base_offset(base_offset)
            .producer_id(producer_id)
            .producer_epoch(0)
            .base_sequence(0)
            .transactional(true)
            .timestamp(5)
            .add_record(Some(b"k"), Some(b"in a transaction"), vec![])
            .add_record(None, Some(b"also"), vec![]),
    )
}

/// A commit or abort marker of producer `producer_id` at `offset`.
fn marker(commit: bool, producer_id: i64, offset: i64) -> Bytes {
    let control = ControlRecord::transaction_marker(commit, 7);
    built(
        RecordBatchBuilder::new()
            .base_offset(offset)
            .producer_id(producer_id)
            .producer_epoch(0)
            .transactional(true)
            .control(true)
            .timestamp(6)
            .add_record(Some(&control.key()), control.value().as_deref(), vec![]),
    )
}

fn concat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Per codec: one batch, several with a cut-off tail, a transaction and
/// its marker, log-append time, and a batch of zeros decompressing past a
/// small cap.
pub(super) fn record_batch() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for compression in CODECS {
        let one = batch(compression, 0, 5);
        let second = batch(compression, 5, 3);
        seeds.push(concat(&[&[options_byte(true, 0)], &one]));
        seeds.push(concat(&[
            &[options_byte(true, 5)],
            &one,
            &second,
            &second[..30],
        ]));
        seeds.push(concat(&[
            &[options_byte(true, 0)],
            &transactional(compression, 42, 0),
            &marker(false, 42, 2),
        ]));
        seeds.push(concat(&[
            &[options_byte(false, 0)],
            &built(
                RecordBatchBuilder::new()
                    .compression(compression)
                    .timestamp_type(TimestampType::LogAppendTime)
                    .timestamp(9)
                    .add_record(Some(b"a"), None, vec![])
                    .add_record(Some(b""), Some(b""), vec![Header::new("", Some(b""))]),
            ),
        ]));
        if compression != Compression::None {
            let zeros = vec![0u8; 256 * 1024];
            let bomb = built(
                RecordBatchBuilder::new()
                    .compression(compression)
                    .timestamp(1)
                    .add_record(None, Some(&zeros), vec![]),
            );
            seeds.push(concat(&[&[options_byte(true, 4)], &bomb]));
        }
    }
    // Each also without CRC checks, so that mutations inside a batch reach
    // the record and codec parsers instead of failing the CRC.
    let unchecked: Vec<Vec<u8>> = seeds
        .iter()
        .map(|seed| {
            let mut seed = seed.clone();
            seed[0] &= !1;
            seed
        })
        .collect();
    seeds.extend(unchecked);
    seeds
}

/// A response frame's bytes after its size prefix: header and body.
fn response_bytes(correlation_id: i32, header_version: i16, body: &[u8]) -> Vec<u8> {
    let mut out = BytesMut::new();
    let header = ResponseHeader {
        correlation_id,
        ..Default::default()
    };
    if let Err(error) = header.encode_version(&mut out, header_version) {
        panic!("a seed header does not encode: {error}");
    }
    out.extend_from_slice(body);
    out.to_vec()
}

fn sized(frame: &[u8]) -> Vec<u8> {
    concat(&[&(frame.len() as i32).to_be_bytes(), frame])
}

/// Frames of every response type (at its newest version, a few at a time,
/// read in varied sizes), plus cut-off, oversized and misnumbered ones.
pub(super) fn response_frame() -> Vec<Vec<u8>> {
    let entries = responses();
    let mut seeds = Vec::new();
    let mut rng = Rng::new(0xF4A3E);
    let mut index = 0;
    let mut round = 0u8;
    while index < entries.len() {
        let count = (1 + round as usize % 4).min(entries.len() - index);
        let first_id = i32::from(round) * 100;
        let mut head = InputWriter::default();
        head.u8(count as u8 - 1)
            .u8(round.wrapping_mul(37))
            .i32(first_id);
        let mut stream = Vec::new();
        for i in 0..count {
            let entry = entries[index + i];
            let schema = (entry.schema)();
            let version = schema.valid_versions.max;
            let header_version = (entry.header_version)(version).unwrap_or(0);
            let body = WireGen::new(&mut rng).message(&schema, version);
            let frame = response_bytes(first_id + i as i32, header_version, &body);
            head.u16((index + i) as u16)
                .u8((version - schema.valid_versions.min + 1) as u8)
                .u8(6);
            stream.extend(sized(&frame));
        }
        let head = head.finish();
        seeds.push(concat(&[&head, &stream]));
        match round % 4 {
            // Cut off in the middle of the last frame.
            0 => seeds.push(concat(&[&head, &stream[..stream.len() - 3]])),
            // Misnumbered.
            1 => {
                let mut wrong = stream.clone();
                wrong[4] ^= 0x40;
                seeds.push(concat(&[&head, &wrong]));
            }
            _ => {}
        }
        index += count;
        round = round.wrapping_add(1);
    }
    // A size over the limit, and a negative one.
    let mut head = InputWriter::default();
    head.u8(0).u8(1).i32(0).u16(0).u8(1).u8(2);
    let head = head.finish();
    seeds.push(concat(&[
        &head,
        &(LIMITS[2] as i32 + 1).to_be_bytes(),
        &[0; 8],
    ]));
    seeds.push(concat(&[&head, &(-1i32).to_be_bytes()]));
    seeds
}

/// One partition's answer.
fn partition(index: i32, records: Option<Vec<u8>>) -> PartitionData {
    PartitionData {
        partition_index: index,
        high_watermark: 100,
        last_stable_offset: 90,
        log_start_offset: 0,
        records: records.map(|r| Records(Bytes::from(r))),
        ..Default::default()
    }
}

/// A Fetch response input: version, flags, the partitions asked for (topic
/// index, partition, offset), then the response.
fn fetch_input(
    version: i16,
    flags: u8,
    asked: &[(u8, u8, i64)],
    topics: Vec<FetchableTopicResponse>,
    error_code: i16,
) -> Vec<u8> {
    let response = FetchResponse {
        error_code: if version >= 7 { error_code } else { 0 },
        session_id: if version >= 7 { 77 } else { 0 },
        responses: topics,
        ..Default::default()
    };
    let mut body = BytesMut::new();
    if let Err(error) = response.encode_version(&mut body, version) {
        panic!("a seed Fetch v{version} does not encode: {error}");
    }
    let header_version = FetchResponse::header_version(version).unwrap_or(0);
    let mut input = InputWriter::default();
    input
        .u8((version - fetch::version_of(0)) as u8)
        .u8(flags)
        .u8(asked.len() as u8 - 1);
    for &(topic, partition, offset) in asked {
        input.u8(topic).u8(partition).i64(offset);
    }
    input.bytes(&response_bytes(1, header_version, &body));
    input.finish()
}

fn topic(index: usize, partitions: Vec<PartitionData>) -> FetchableTopicResponse {
    let (name, id) = fetch::TOPICS[index];
    FetchableTopicResponse {
        topic: name.to_owned(),
        topic_id: id,
        partitions,
        ..Default::default()
    }
}

/// Fetch responses at every version krafka speaks: records in every codec
/// from inside a batch, aborted transactions under `read_committed`,
/// partition errors, a diverging epoch, a cut-off tail, a session error.
pub(super) fn fetch_response() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for version in fetch::version_of(0)..=krafka_core::versions::FETCH_MAX {
        // CRCs checked at every other version: unchecked, mutations inside a
        // batch reach the record parser instead of failing the CRC.
        let crcs = if version % 2 == 0 { 2 } else { 0 };
        let compression = CODECS[version as usize % CODECS.len()];
        let first = batch(compression, 0, 5);
        let second = batch(compression, 5, 4);
        // Two partitions of one topic, one of another, fetched mid-batch.
        seeds.push(fetch_input(
            version,
            crcs,
            &[(0, 0, 2), (0, 1, 0), (1, 0, 5)],
            vec![
                topic(
                    0,
                    vec![
                        partition(0, Some(concat(&[&first, &second, &second[..20]]))),
                        partition(1, Some(first.to_vec())),
                    ],
                ),
                topic(1, vec![partition(0, Some(second.to_vec()))]),
            ],
            0,
        ));
        // read_committed: an aborted transaction, a committed one, markers.
        let mut aborted = partition(
            0,
            Some(concat(&[
                &transactional(compression, 1, 0),
                &transactional(compression, 2, 2),
                &marker(false, 1, 4),
                &marker(true, 2, 5),
                &batch(compression, 6, 2),
            ])),
        );
        aborted.aborted_transactions = Some(vec![AbortedTransaction {
            producer_id: 1,
            first_offset: 0,
            ..Default::default()
        }]);
        seeds.push(fetch_input(
            version,
            crcs | 1,
            &[(2, 0, 0)],
            vec![topic(2, vec![aborted])],
            0,
        ));
        // Errors: out of range (reset and none), not leader, a bad batch.
        let mut out_of_range = partition(0, None);
        out_of_range.error_code = 1;
        let mut not_leader = partition(1, None);
        not_leader.error_code = 6;
        let mut corrupt = first.to_vec();
        corrupt[70] ^= 0xff;
        seeds.push(fetch_input(
            version,
            crcs | 4,
            &[(0, 0, 50), (0, 1, 0), (0, 2, 0)],
            vec![topic(
                0,
                vec![out_of_range, not_leader, partition(2, Some(corrupt))],
            )],
            0,
        ));
        if version >= 12 {
            let mut diverged = partition(0, Some(first.to_vec()));
            diverged.diverging_epoch = EpochEndOffset {
                epoch: 2,
                end_offset: 3,
                ..Default::default()
            };
            seeds.push(fetch_input(
                version,
                crcs,
                &[(1, 0, 4)],
                vec![topic(1, vec![diverged])],
                0,
            ));
        }
    }
    // A session error at the top.
    seeds.push(fetch_input(12, 2, &[(0, 0, 0)], Vec::new(), 70));
    seeds
}
