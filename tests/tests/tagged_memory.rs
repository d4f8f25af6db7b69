//! Unknown tagged fields cost a small multiple of the frame they came in,
//! however many there are: a response carrying millions of empty unknown
//! tags (two to four bytes each on the wire) once cost about forty bytes of
//! memory per tag while decoding.
//!
//! Measured as the growth of the process's peak RSS (VmHWM, reset through
//! `/proc/self/clear_refs` before each case), so this file holds one test
//! that runs by default and the process is its own; `cli_figures` (ignored)
//! measures `krafka metadata` against a broker whose ApiVersions answer is
//! about 100 MB of unknown tags.

use bytes::{BufMut, Bytes};
use krafka_core::codec::varint::put_unsigned_varint;
use krafka_core::codec::{Encode, Message};
use krafka_core::messages::ApiVersionsResponse;
use krafka_tests::rss::{peak_kib, reset_peak};

/// Unknown tags per frame: about 16 MiB of three-byte tags with empty values.
const TAGS: u32 = 4 * 1024 * 1024;
const VERSION: i16 = 3;

/// An ApiVersions response whose top-level tagged section holds `TAGS`
/// empty fields (none of them known to Krafka), in that order.
fn frame(tags: impl Iterator<Item = u32>) -> Bytes {
    tagged_body(&ApiVersionsResponse::default(), VERSION, TAGS, tags).expect("a flexible version")
}

/// `response` at `version` with `count` empty fields of `tags` in its
/// top-level tagged section; `None` for a version without tagged fields.
fn tagged_body(
    response: &ApiVersionsResponse,
    version: i16,
    count: u32,
    tags: impl Iterator<Item = u32>,
) -> Option<Bytes> {
    if version < 3 {
        return None;
    }
    let mut body = Vec::new();
    response.encode_version(&mut body, version).expect("encode");
    assert_eq!(body.pop(), Some(0), "an empty tagged section ends the body");
    body.reserve(count as usize * 4 + 5);
    put_unsigned_varint(&mut body, count);
    for tag in tags {
        put_unsigned_varint(&mut body, tag);
        body.put_u8(0);
    }
    Some(Bytes::from(body))
}

/// Decodes `input` and returns the peak RSS growth in KiB while doing so.
fn decode_growth(input: &Bytes) -> (ApiVersionsResponse, u64) {
    reset_peak();
    let before = peak_kib();
    let decoded = ApiVersionsResponse::decode_version(&mut input.clone(), VERSION).expect("decode");
    let growth = peak_kib().saturating_sub(before);
    (decoded, growth)
}

#[test]
fn millions_of_unknown_tags_cost_a_small_multiple_of_the_frame() {
    // Tags 4.. are unknown (0-3 are the known ones), written in order.
    let ascending = frame(4..4 + TAGS);
    let frame_kib = ascending.len() as u64 / 1024;
    let (decoded, growth) = decode_growth(&ascending);
    eprintln!("ascending: {TAGS} tags in {frame_kib} KiB, peak RSS +{growth} KiB");
    assert_eq!(decoded.unknown_tagged_fields.len(), TAGS as usize);
    assert!(
        growth < frame_kib / 4,
        "decoding {frame_kib} KiB of in-order tags grew the peak RSS by {growth} KiB"
    );
    let mut again = Vec::new();
    decoded
        .encode(
            &mut again,
            ApiVersionsResponse::context(VERSION).expect("v3"),
        )
        .expect("encode");
    assert!(again == ascending, "written back byte for byte");
    drop((decoded, again, ascending));

    // Out of order: kept sorted, so copied once; still a few frames at most.
    let descending = frame((4..4 + TAGS).rev());
    let (decoded, growth) = decode_growth(&descending);
    eprintln!("descending: {TAGS} tags in {frame_kib} KiB, peak RSS +{growth} KiB");
    assert_eq!(decoded.unknown_tagged_fields.len(), TAGS as usize);
    assert!(
        growth < frame_kib * 5,
        "decoding {frame_kib} KiB of out-of-order tags grew the peak RSS by {growth} KiB"
    );
    let first = decoded.unknown_tagged_fields.iter().next().map(|f| f.tag);
    assert_eq!(first, Some(4), "kept in tag order");
}

/// Peak RSS of `krafka metadata` (the binary in `KRAFKA_CLI`) against a
/// fake broker whose ApiVersions answer carries about 100 MB of empty
/// unknown tags (within the 100 MiB frame limit): 20 million distinct ones
/// in order, then 50 million two-byte ones repeating tags 16 to 127.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures a CLI binary: KRAFKA_CLI=target/release/krafka"]
async fn cli_figures() {
    use krafka_core::ApiKey;
    use krafka_tests::fake_broker::{FakeBroker, FakeCluster, Reply};
    use krafka_tests::rss::cli_peak_kib;

    for (count, repeat, what) in [
        (20_000_000, u32::MAX, "20M distinct tags in order, 98 MB"),
        (50_000_000, 112, "50M repeated two-byte tags, 100 MB"),
    ] {
        let script = FakeCluster::new().script();
        let versions = script.api_versions();
        let broker = FakeBroker::start(script.on(ApiKey::ApiVersions, move |request| {
            let tags = (0..count).map(|i| 16 + i % repeat);
            match tagged_body(&versions, request.version, count, tags) {
                Some(body) => Reply::raw::<ApiVersionsResponse>(body),
                None => Reply::message(versions.clone()),
            }
        }))
        .await;
        let args: Vec<String> = ["metadata", "-b", &broker.addr]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (peak, ok, took) = cli_peak_kib(&args).await;
        eprintln!(
            "FIGURE finding 4: krafka metadata, ApiVersions answer of {what}: \
             peak RSS {:.1} MiB, ok {ok}, {:.1} s",
            peak as f64 / 1024.0,
            took.as_secs_f64()
        );
    }
}
