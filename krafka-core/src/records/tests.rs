//! Tests across the record batch module: round trips, known bytes,
//! corruption, truncation and zero-copy.

use bytes::Bytes;
use proptest::prelude::*;

use super::*;
use crate::KrafkaError;

/// `none` and every codec this build compiles in.
fn codecs() -> Vec<Compression> {
    [
        Compression::None,
        Compression::Gzip,
        Compression::Snappy,
        Compression::Lz4,
        Compression::Zstd,
    ]
    .into_iter()
    .filter(|c| c.is_available())
    .collect()
}

fn records_of(batch: &RecordBatch) -> Vec<Record> {
    batch.records().collect::<Result<Vec<_>, _>>().unwrap()
}

fn view_to_record(view: &RecordView<'_>) -> Record {
    Record {
        offset: view.offset,
        timestamp: view.timestamp,
        key: view.key.map(Bytes::copy_from_slice),
        value: view.value.map(Bytes::copy_from_slice),
        headers: view
            .headers()
            .map(|header| Header {
                key: Bytes::copy_from_slice(header.key),
                value: header.value.map(Bytes::copy_from_slice),
            })
            .collect(),
        attributes: view.attributes,
    }
}

/// Owned records, borrowed views and `collect_records` see the same
/// records and fail at the same place, on any input.
fn assert_views_agree(batch: &RecordBatch) {
    let records: Vec<_> = batch.records().collect();
    let views: Vec<_> = batch.record_views().collect();
    assert_eq!(records.len(), views.len());
    for (record, view) in records.iter().zip(&views) {
        match (record, view) {
            (Ok(record), Ok(view)) => assert_eq!(*record, view_to_record(view)),
            (Err(_), Err(_)) => {}
            _ => panic!("records and views disagree"),
        }
    }
    let all_ok = records.iter().all(Result::is_ok);
    assert_eq!(batch.collect_records().is_ok(), all_ok);
}

/// Bit-at-a-time CRC-32C (Castagnoli, reflected), independent of the
/// `crc32c` crate the module uses.
fn reference_crc32c(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82f6_3b78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn reference_crc_matches_the_standard_check_value() {
    assert_eq!(reference_crc32c(b"123456789"), 0xe306_9283);
    assert_eq!(crc32c::crc32c(b"123456789"), 0xe306_9283);
}

/// One record, key "k", value "v", laid out by hand from the protocol docs;
/// byte-identical to what kafka-clients 4.4.0 builds for the same input.
#[test]
fn known_bytes_of_a_small_batch() {
    let built = RecordBatchBuilder::new()
        .timestamp(1_700_000_000_000)
        .add_record(Some(b"k"), Some(b"v"), vec![])
        .build()
        .unwrap();

    let mut expected: Vec<u8> = Vec::new();
    expected.extend_from_slice(&[0; 8]); // base offset 0
    expected.extend_from_slice(&[0, 0, 0, 58]); // batch length: 70 - 12
    expected.extend_from_slice(&[0xff; 4]); // partition leader epoch -1
    expected.push(2); // magic
    expected.extend_from_slice(&[0; 4]); // CRC, filled in below
    expected.extend_from_slice(&[0, 0]); // attributes: no compression, create time
    expected.extend_from_slice(&[0, 0, 0, 0]); // last offset delta 0
    expected.extend_from_slice(&[0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00]); // base timestamp
    expected.extend_from_slice(&[0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00]); // max timestamp
    expected.extend_from_slice(&[0xff; 8]); // producer id -1
    expected.extend_from_slice(&[0xff; 2]); // producer epoch -1
    expected.extend_from_slice(&[0xff; 4]); // base sequence -1
    expected.extend_from_slice(&[0, 0, 0, 1]); // record count 1
    expected.extend_from_slice(&[
        0x10, // record length 8 (zigzag varint)
        0x00, // record attributes
        0x00, // timestamp delta 0
        0x00, // offset delta 0
        0x02, b'k', // key length 1, key
        0x02, b'v', // value length 1, value
        0x00, // no headers
    ]);
    let crc = reference_crc32c(&expected[21..]);
    expected[17..21].copy_from_slice(&crc.to_be_bytes());

    assert_eq!(expected.len(), 70);
    assert_eq!(&built[..], &expected[..]);
    // Pinned: the CRC Kafka 4.4's Java client writes for this same batch
    // (MemoryRecordsBuilder, checked once by hand against kafka-clients).
    assert_eq!(crc, 0xe99b_8dd8, "crc {crc:#010x}");

    let batch = RecordBatch::decode(built).unwrap();
    assert_eq!(batch.header().crc, crc);
    assert_eq!(batch.header().batch_length, 58);
    let records = records_of(&batch);
    assert_eq!(
        records,
        [Record {
            offset: 0,
            timestamp: 1_700_000_000_000,
            key: Some(Bytes::from_static(b"k")),
            value: Some(Bytes::from_static(b"v")),
            headers: RecordHeaders::new(),
            attributes: 0,
        }]
    );
}

/// The example from the guide, verbatim apart from the imports.
#[cfg(feature = "snappy")]
#[test]
fn seed_guide_example() -> Result<(), KrafkaError> {
    let batch = RecordBatchBuilder::new()
        .compression(Compression::Snappy)
        .add_record(Some(b"key"), Some(b"value"), vec![])
        .add_record(None, Some(b"value-only"), vec![])
        .build()?;

    let batch = RecordBatch::decode(batch)?;
    assert_eq!(batch.compression(), Compression::Snappy);
    let records = records_of(&batch);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].key.as_deref(), Some(&b"key"[..]));
    assert_eq!(records[0].value.as_deref(), Some(&b"value"[..]));
    assert_eq!(records[1].key, None);
    assert_eq!(records[1].value.as_deref(), Some(&b"value-only"[..]));
    assert_eq!(records[1].offset, 1);
    Ok(())
}

#[cfg(feature = "zstd")]
#[test]
fn builder_settings_reach_the_header() {
    let built = RecordBatchBuilder::new()
        .base_offset(1000)
        .partition_leader_epoch(4)
        .producer_id(77)
        .producer_epoch(3)
        .base_sequence(500)
        .transactional(true)
        .compression(Compression::Zstd)
        .compression_level(10)
        .add_record_at(50, None, Some(b"b"), vec![])
        .add_record_at(20, Some(b""), None, vec![Header::new("h", None)])
        .add_record_at(90, None, None, vec![])
        .build()
        .unwrap();
    let batch = RecordBatch::decode(built).unwrap();
    let header = batch.header();
    assert_eq!(header.base_offset, 1000);
    assert_eq!(header.partition_leader_epoch, 4);
    assert_eq!(header.producer_id, 77);
    assert_eq!(header.producer_epoch, 3);
    assert_eq!(header.base_sequence, 500);
    assert!(batch.is_transactional());
    assert!(!batch.is_control());
    assert_eq!(batch.compression(), Compression::Zstd);
    assert_eq!(header.last_offset_delta, 2);
    assert_eq!(header.last_offset(), 1002);
    assert_eq!(header.base_timestamp, 50);
    assert_eq!(header.max_timestamp, 90);
    assert_eq!(header.record_count, 3);

    let records = records_of(&batch);
    assert_eq!(
        records
            .iter()
            .map(|r| (r.offset, r.timestamp))
            .collect::<Vec<_>>(),
        [(1000, 50), (1001, 20), (1002, 90)]
    );
    // Empty key and null value are kept apart from null key and empty value.
    assert_eq!(records[1].key, Some(Bytes::new()));
    assert_eq!(records[1].value, None);
    assert_eq!(records[1].headers, [Header::new("h", None)]);
}

#[test]
fn push_record_in_a_loop() {
    let mut builder = RecordBatchBuilder::with_capacity(4096).timestamp(7);
    for i in 0..100u32 {
        let value = i.to_be_bytes();
        builder.push_record(None, None, Some(&value), &[]).unwrap();
    }
    assert_eq!(builder.len(), 100);
    let batch = RecordBatch::decode(builder.build().unwrap()).unwrap();
    for (i, record) in batch.records().enumerate() {
        let record = record.unwrap();
        assert_eq!(record.offset, i as i64);
        assert_eq!(record.timestamp, 7);
        assert_eq!(record.value.as_deref(), Some(&(i as u32).to_be_bytes()[..]));
    }
}

#[test]
fn empty_builder_builds_nothing() {
    assert!(RecordBatchBuilder::new().build().unwrap().is_empty());
    let mut reader = RecordBatchReader::new(Bytes::new());
    assert!(reader.next().is_none());
    assert!(!reader.incomplete_tail());
}

#[cfg(feature = "gzip")]
#[test]
fn bad_level_is_reported_by_build() {
    let result = RecordBatchBuilder::new()
        .compression(Compression::Gzip)
        .compression_level(42)
        .add_record(None, Some(b"v"), vec![])
        .build();
    assert!(matches!(result, Err(KrafkaError::Compression(_))));
}

#[test]
fn default_timestamp_is_the_clock() {
    let batch = RecordBatch::decode(
        RecordBatchBuilder::new()
            .add_record(None, Some(b"v"), vec![])
            .add_record(None, Some(b"w"), vec![])
            .build()
            .unwrap(),
    )
    .unwrap();
    // 2020-01-01 in ms: any sane clock is past it.
    assert!(batch.header().base_timestamp > 1_577_836_800_000);
    assert_eq!(batch.header().base_timestamp, batch.header().max_timestamp);
}

#[test]
fn uncompressed_records_share_the_input_buffer() {
    let built = RecordBatchBuilder::new()
        .add_record(
            Some(b"key-1"),
            Some(b"value-1"),
            vec![Header::new("trace", Some(b"abc"))],
        )
        .add_record(Some(b"key-2"), Some(b"value-2"), vec![])
        .build()
        .unwrap();
    let input = built.as_ptr_range();
    let inside = |bytes: &Bytes| {
        let range = bytes.as_ptr_range();
        input.start <= range.start && range.end <= input.end
    };
    let batch = RecordBatch::decode(built.clone()).unwrap();
    assert!(inside(batch.raw()));
    for record in batch.records() {
        let record = record.unwrap();
        assert!(inside(record.key.as_ref().unwrap()));
        assert!(inside(record.value.as_ref().unwrap()));
        for header in &record.headers {
            assert!(inside(&header.key));
            assert!(inside(header.value.as_ref().unwrap()));
        }
    }
    // Views borrow the same bytes.
    for view in batch.record_views() {
        let view = view.unwrap();
        let value = view.value.unwrap().as_ptr_range();
        assert!(input.start <= value.start && value.end <= input.end);
    }
}

#[test]
fn control_batch_round_trip() {
    let marker = ControlRecord::transaction_marker(false, 12);
    let value = marker.value().unwrap();
    let built = RecordBatchBuilder::new()
        .producer_id(5)
        .producer_epoch(1)
        .transactional(true)
        .control(true)
        .add_record(Some(&marker.key()), Some(&value), vec![])
        .build()
        .unwrap();
    let batch = RecordBatch::decode(built).unwrap();
    assert!(batch.is_control());
    assert!(batch.is_transactional());
    let records = records_of(&batch);
    let parsed = ControlRecord::parse(&records[0]).unwrap();
    assert!(parsed.is_abort());
    assert_eq!(parsed.marker.unwrap().coordinator_epoch, 12);
}

#[test]
fn log_append_time_batches() {
    let mut built = RecordBatchBuilder::new()
        .timestamp_type(TimestampType::LogAppendTime)
        .add_record_at(10, None, Some(b"a"), vec![])
        .add_record_at(20, None, Some(b"b"), vec![])
        .build()
        .unwrap()
        .to_vec();
    // The broker stamps the max timestamp on append; do the same and re-seal.
    built[35..43].copy_from_slice(&99i64.to_be_bytes());
    batch::seal(&mut built).unwrap();
    let batch = RecordBatch::decode(Bytes::from(built)).unwrap();
    let timestamps: Vec<i64> = batch.records().map(|r| r.unwrap().timestamp).collect();
    assert_eq!(timestamps, [99, 99]);
}

#[test]
fn several_batches_then_a_partial_one() {
    let mut input = Vec::new();
    for (i, compression) in codecs().into_iter().enumerate() {
        let built = RecordBatchBuilder::new()
            .base_offset(i as i64 * 10)
            .compression(compression)
            .add_record(None, Some(compression.name().as_bytes()), vec![])
            .build()
            .unwrap();
        input.extend_from_slice(&built);
    }
    input.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 50, 0, 0, 0, 100, 0, 0]);
    let mut reader = RecordBatchReader::new(Bytes::from(input));
    let names: Vec<String> = (&mut reader)
        .map(|batch| {
            let batch = batch.unwrap();
            let record = batch.records().next().unwrap().unwrap();
            assert_eq!(record.offset, batch.header().base_offset);
            String::from_utf8(record.value.unwrap().to_vec()).unwrap()
        })
        .collect();
    let expected: Vec<&str> = codecs().into_iter().map(Compression::name).collect();
    assert_eq!(names, expected);
    assert!(reader.incomplete_tail());
    assert_eq!(reader.remaining().len(), 14);
}

#[test]
fn crc_mismatch_is_corrupt_record() {
    let mut built = RecordBatchBuilder::new()
        .add_record(Some(b"k"), Some(b"v"), vec![])
        .build()
        .unwrap()
        .to_vec();
    let last = built.len() - 1;
    built[last] ^= 0x40;
    let error = RecordBatch::decode(Bytes::from(built.clone())).unwrap_err();
    assert!(
        matches!(error, KrafkaError::CorruptRecord(ref m) if m.contains("CRC")),
        "{error}"
    );
    // With check_crcs off the damaged byte (inside the header-count varint) is
    // still caught structurally, or decoded, but never a panic.
    let options = DecodeOptions {
        check_crcs: false,
        ..DecodeOptions::default()
    };
    let mut buf = Bytes::from(built);
    if let Ok(NextBatch::Batch(batch)) = RecordBatch::decode_next(&mut buf, &options) {
        let _ = batch.records().count();
    }
}

#[test]
fn structural_errors() {
    let good = RecordBatchBuilder::new()
        .add_record(Some(b"k"), Some(b"v"), vec![])
        .build()
        .unwrap()
        .to_vec();
    let decode = |bytes: Vec<u8>| RecordBatch::decode(Bytes::from(bytes));

    // Wrong magic.
    let mut bad = good.clone();
    bad[16] = 1;
    assert!(matches!(decode(bad), Err(KrafkaError::CorruptRecord(_))));
    // Batch length below the header size.
    let mut bad = good.clone();
    bad[8..12].copy_from_slice(&10i32.to_be_bytes());
    assert!(matches!(decode(bad), Err(KrafkaError::CorruptRecord(_))));
    // Negative batch length.
    let mut bad = good.clone();
    bad[8..12].copy_from_slice(&(-1i32).to_be_bytes());
    assert!(matches!(decode(bad), Err(KrafkaError::CorruptRecord(_))));
    // Undefined compression code (CRC re-sealed so the code is what fails).
    let mut bad = good.clone();
    bad[22] = 6;
    batch::seal(&mut bad).unwrap();
    assert!(matches!(decode(bad), Err(KrafkaError::Compression(_))));
    // Negative record count.
    let mut bad = good.clone();
    bad[57..61].copy_from_slice(&(-1i32).to_be_bytes());
    batch::seal(&mut bad).unwrap();
    assert!(matches!(decode(bad), Err(KrafkaError::CorruptRecord(_))));
    // More records declared than present.
    let mut bad = good.clone();
    bad[57..61].copy_from_slice(&2i32.to_be_bytes());
    batch::seal(&mut bad).unwrap();
    let batch = decode(bad).unwrap();
    let results: Vec<_> = batch.records().collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(KrafkaError::CorruptRecord(_))));
    // Fewer records declared than present.
    let mut bad = good.clone();
    bad[57..61].copy_from_slice(&0i32.to_be_bytes());
    batch::seal(&mut bad).unwrap();
    let batch = decode(bad).unwrap();
    let results: Vec<_> = batch.records().collect();
    assert_eq!(results.len(), 1);
    assert!(results[0].is_err());
    // Trailing bytes after a single batch.
    let mut bad = good.clone();
    bad.push(0);
    assert!(decode(bad).is_err());
}

#[test]
fn decompression_cap_applies_to_batches() {
    let zeros = vec![0u8; 1 << 20];
    for compression in &codecs()[1..] {
        let built = RecordBatchBuilder::new()
            .compression(*compression)
            .add_record(None, Some(&zeros), vec![])
            .build()
            .unwrap();
        assert!(built.len() < 100_000, "{compression}");
        let options = DecodeOptions {
            max_decompressed_bytes: 64 * 1024,
            ..DecodeOptions::default()
        };
        let mut reader = RecordBatchReader::with_options(built.clone(), options);
        assert!(
            matches!(reader.next(), Some(Err(KrafkaError::Compression(_)))),
            "{compression}"
        );
        assert!(reader.next().is_none());
        // The default cap lets it through.
        let batch = RecordBatch::decode(built).unwrap();
        assert_eq!(records_of(&batch)[0].value.as_ref().unwrap().len(), 1 << 20);
    }
}

/// Truncating an uncompressed batch's records at every position (and fixing
/// up the length and CRC, so the batch itself passes) must make the record
/// iterator report an error, never panic or silently drop records.
#[test]
fn truncated_records_inside_a_sealed_batch() {
    let built = RecordBatchBuilder::new()
        .add_record_at(
            5,
            Some(b"key"),
            Some(b"value"),
            vec![Header::new("a", Some(b"1"))],
        )
        .add_record_at(6, None, Some(b"second"), vec![Header::new("b", None)])
        .build()
        .unwrap();
    for cut in BATCH_HEADER_LEN..built.len() {
        let mut bytes = built[..cut].to_vec();
        batch::seal(&mut bytes).unwrap();
        let batch = RecordBatch::decode(Bytes::from(bytes)).unwrap();
        let results: Vec<_> = batch.records().collect();
        assert!(results.iter().any(Result::is_err), "cut at {cut}");
        assert_views_agree(&batch);
    }
}

/// `collect_records` fills its vector a chunk of records at a time: across
/// chunk boundaries it must give what `records()` gives, and fail with the
/// same error at the same record.
#[test]
fn collect_records_across_chunks() {
    const COUNT: usize = 2_500;
    const DAMAGED: usize = 2_000;
    let mut builder = RecordBatchBuilder::new().timestamp(1_000);
    for i in 0..COUNT {
        let value: &[u8] = if i == DAMAGED { b"XXXXX" } else { b"value" };
        builder = builder.add_record(Some(&(i as u32).to_be_bytes()), Some(value), vec![]);
    }
    let built = builder.build().unwrap();
    let batch = RecordBatch::decode(built.clone()).unwrap();
    let collected = batch.collect_records().unwrap();
    assert_eq!(collected.len(), COUNT);
    assert_eq!(collected, records_of(&batch));
    assert_eq!(collected[COUNT - 1].offset, (COUNT - 1) as i64);

    // Record 2,000's value length (one byte before its value) now claims 60
    // bytes, more than the record holds.
    let mut bytes = built.to_vec();
    let at = bytes.windows(5).position(|w| w == b"XXXXX").unwrap();
    assert_eq!(bytes[at - 1], 10, "zigzag 5");
    bytes[at - 1] = 120;
    batch::seal(&mut bytes).unwrap();
    let batch = RecordBatch::decode(Bytes::from(bytes)).unwrap();
    let results: Vec<_> = batch.records().collect();
    assert_eq!(results.len(), DAMAGED + 1);
    assert!(results[..DAMAGED].iter().all(Result::is_ok));
    let Some(Err(expected)) = results.last() else {
        panic!("record {DAMAGED} should fail");
    };
    assert!(
        expected.to_string().contains("value: invalid length 60"),
        "{expected}"
    );
    let error = batch.collect_records().unwrap_err();
    assert_eq!(error.to_string(), expected.to_string());
    assert_views_agree(&batch);
}

// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct RecordModel {
    timestamp: Option<i64>,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<(String, Option<Vec<u8>>)>,
}

#[derive(Debug, Clone)]
struct BatchModel {
    compression: Compression,
    base_offset: i64,
    partition_leader_epoch: i32,
    producer_id: i64,
    producer_epoch: i16,
    base_sequence: i32,
    transactional: bool,
    default_timestamp: i64,
    records: Vec<RecordModel>,
}

fn bytes_strategy() -> impl Strategy<Value = Option<Vec<u8>>> {
    proptest::option::of(proptest::collection::vec(any::<u8>(), 0..48))
}

fn record_strategy() -> impl Strategy<Value = RecordModel> {
    (
        proptest::option::of(prop_oneof![
            any::<i64>(),
            1_600_000_000_000i64..1_800_000_000_000
        ]),
        bytes_strategy(),
        bytes_strategy(),
        proptest::collection::vec(("[a-z\\-é]{0,8}", bytes_strategy()), 0..4),
    )
        .prop_map(|(timestamp, key, value, headers)| RecordModel {
            timestamp,
            key,
            value,
            headers,
        })
}

fn batch_strategy() -> impl Strategy<Value = BatchModel> {
    (
        proptest::sample::select(codecs()),
        any::<i64>(),
        any::<i32>(),
        (any::<i64>(), any::<i16>(), any::<i32>()),
        any::<bool>(),
        any::<i64>(),
        proptest::collection::vec(record_strategy(), 1..24),
    )
        .prop_map(
            |(
                compression,
                base_offset,
                partition_leader_epoch,
                (producer_id, producer_epoch, base_sequence),
                transactional,
                default_timestamp,
                records,
            )| BatchModel {
                compression,
                base_offset,
                partition_leader_epoch,
                producer_id,
                producer_epoch,
                base_sequence,
                transactional,
                default_timestamp,
                records,
            },
        )
}

fn build(model: &BatchModel) -> Bytes {
    let mut builder = RecordBatchBuilder::new()
        .compression(model.compression)
        .base_offset(model.base_offset)
        .partition_leader_epoch(model.partition_leader_epoch)
        .producer_id(model.producer_id)
        .producer_epoch(model.producer_epoch)
        .base_sequence(model.base_sequence)
        .transactional(model.transactional)
        .timestamp(model.default_timestamp);
    for record in &model.records {
        let headers: Vec<Header> = record
            .headers
            .iter()
            .map(|(key, value)| Header::new(key, value.as_deref()))
            .collect();
        builder = match record.timestamp {
            Some(timestamp) => builder.add_record_at(
                timestamp,
                record.key.as_deref(),
                record.value.as_deref(),
                headers,
            ),
            None => builder.add_record(record.key.as_deref(), record.value.as_deref(), headers),
        };
    }
    builder.build().unwrap()
}

fn expected_records(model: &BatchModel) -> Vec<Record> {
    model
        .records
        .iter()
        .enumerate()
        .map(|(i, record)| Record {
            offset: model.base_offset.wrapping_add(i as i64),
            timestamp: record.timestamp.unwrap_or(model.default_timestamp),
            key: record.key.clone().map(Bytes::from),
            value: record.value.clone().map(Bytes::from),
            headers: record
                .headers
                .iter()
                .map(|(key, value)| Header::new(key, value.as_deref()))
                .collect(),
            attributes: 0,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn decode_of_encode_is_identity(model in batch_strategy()) {
        let built = build(&model);
        let batch = RecordBatch::decode(built.clone()).unwrap();
        let header = batch.header();
        prop_assert_eq!(header.base_offset, model.base_offset);
        prop_assert_eq!(header.batch_length as usize, built.len() - LOG_OVERHEAD);
        prop_assert_eq!(header.partition_leader_epoch, model.partition_leader_epoch);
        prop_assert_eq!(header.magic, MAGIC);
        prop_assert_eq!(header.producer_id, model.producer_id);
        prop_assert_eq!(header.producer_epoch, model.producer_epoch);
        prop_assert_eq!(header.base_sequence, model.base_sequence);
        prop_assert_eq!(header.record_count as usize, model.records.len());
        prop_assert_eq!(header.last_offset_delta as usize, model.records.len() - 1);
        prop_assert_eq!(batch.compression(), model.compression);
        prop_assert_eq!(batch.is_transactional(), model.transactional);
        prop_assert!(!batch.is_control());
        let expected = expected_records(&model);
        prop_assert_eq!(header.base_timestamp, expected[0].timestamp);
        prop_assert_eq!(header.max_timestamp, expected.iter().map(|r| r.timestamp).max().unwrap());
        prop_assert_eq!(&records_of(&batch), &expected);
        prop_assert_eq!(&batch.collect_records().unwrap(), &expected);
        let views: Vec<RecordView<'_>> = batch.record_views().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(views.len(), expected.len());
        for (view, record) in views.iter().zip(&expected) {
            prop_assert_eq!(view_to_record(view), record.clone());
        }
    }

    #[test]
    fn any_flipped_bit_under_the_crc_is_detected(
        model in batch_strategy(),
        position in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let mut bytes = build(&model).to_vec();
        // Everything from the CRC field itself to the end.
        let at = 17 + position.index(bytes.len() - 17);
        bytes[at] ^= 1 << bit;
        let result = RecordBatch::decode(Bytes::from(bytes));
        prop_assert!(matches!(result, Err(KrafkaError::CorruptRecord(_))), "{:?}", result.err());
    }

    #[test]
    fn every_truncation_is_incomplete_never_an_error(
        first in batch_strategy(),
        second in batch_strategy(),
    ) {
        let first = build(&first);
        let second = build(&second);
        let mut input = first.to_vec();
        input.extend_from_slice(&second);
        let input = Bytes::from(input);
        for cut in 0..=input.len() {
            let mut reader = RecordBatchReader::new(input.slice(..cut));
            let mut complete = 0;
            for batch in &mut reader {
                let batch = batch.unwrap();
                for record in batch.records() {
                    record.unwrap();
                }
                complete += 1;
            }
            let expected_complete = usize::from(cut >= first.len()) + usize::from(cut == input.len());
            prop_assert_eq!(complete, expected_complete, "cut at {}", cut);
            let at_boundary = cut == 0 || cut == first.len() || cut == input.len();
            prop_assert_eq!(reader.incomplete_tail(), !at_boundary, "cut at {}", cut);
        }
    }

    /// Random damage to the records of a batch whose CRC is then fixed up:
    /// decoding must end in records or errors, never a panic.
    #[test]
    fn damaged_records_with_a_valid_crc_never_panic(
        model in batch_strategy(),
        damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = build(&model).to_vec();
        for (position, byte) in damage {
            let at = BATCH_HEADER_LEN + position.index(bytes.len() - BATCH_HEADER_LEN);
            bytes[at] = byte;
        }
        let keep = BATCH_HEADER_LEN + cut.index(bytes.len() - BATCH_HEADER_LEN + 1);
        bytes.truncate(keep);
        batch::seal(&mut bytes).unwrap();
        if let Ok(batch) = RecordBatch::decode(Bytes::from(bytes)) {
            assert_views_agree(&batch);
        }
    }

    /// Arbitrary bytes, with and without CRC checks.
    #[test]
    fn arbitrary_input_never_panics(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
        check_crcs in any::<bool>(),
    ) {
        let mut bytes = bytes;
        // Make the interesting path likely: a plausible length and magic 2.
        if bytes.len() >= BATCH_HEADER_LEN {
            let length = (bytes.len() - LOG_OVERHEAD) as i32;
            bytes[8..12].copy_from_slice(&length.to_be_bytes());
            bytes[16] = 2;
        }
        let options = DecodeOptions { check_crcs, max_decompressed_bytes: 1 << 20 };
        // Errors end the reader; what decodes is iterated to its end.
        for batch in RecordBatchReader::with_options(Bytes::from(bytes), options).flatten() {
            assert_views_agree(&batch);
        }
    }
}
