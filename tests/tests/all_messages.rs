//! Every message of the catalogue at every version: random valid wire bytes
//! (built from the schema alone, see `wire_gen`) decode, consume all input,
//! and encode back to the very same bytes with `encoded_len` agreeing;
//! every truncation is an error and bit flips never panic.

use krafka_core::codec::{CatalogueEntry, Message};
use krafka_core::messages;
use krafka_tests::wire_gen::{Rng, WireGen};

const SAMPLES_PER_VERSION: u64 = 40;

fn catalogue() -> Vec<CatalogueEntry> {
    messages::catalogue()
}

#[test]
fn random_wire_bytes_round_trip_exactly() {
    let mut pairs = 0;
    let mut failures = Vec::new();
    for entry in catalogue() {
        let schema = (entry.schema)();
        for version in schema.valid_versions.min..=schema.valid_versions.max {
            pairs += 1;
            for sample in 0..SAMPLES_PER_VERSION {
                let seed = sample * 7919 + version as u64;
                let bytes = WireGen::new(&mut Rng::new(seed)).message(&schema, version);
                match (entry.transcode)(&bytes, version) {
                    Ok(t) if t.consumed == bytes.len() && t.encoded[..] == bytes[..] && t.encoded_len == bytes.len() => {}
                    Ok(t) => failures.push(format!(
                        "{} v{version} seed {seed}: consumed {} of {}, re-encoded {} bytes (len says {}):\n  in  {:02x?}\n  out {:02x?}",
                        schema.name, t.consumed, bytes.len(), t.encoded.len(), t.encoded_len, bytes, &t.encoded[..]
                    )),
                    Err(e) => failures.push(format!("{} v{version} seed {seed}: {e}\n  in {:02x?}", schema.name, bytes)),
                }
                if failures.len() > 20 {
                    break;
                }
            }
        }
    }
    println!("(message, version) pairs checked: {pairs}, {SAMPLES_PER_VERSION} samples each");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn truncated_and_bit_flipped_input_gives_errors_not_panics() {
    for entry in catalogue() {
        let schema = (entry.schema)();
        for version in schema.valid_versions.min..=schema.valid_versions.max {
            let mut rng = Rng::new(version as u64 + 99);
            let bytes = WireGen::new(&mut rng).message(&schema, version);
            for cut in 0..bytes.len() {
                assert!(
                    (entry.decode)(&bytes[..cut], version).is_err(),
                    "{} v{version}: a cut at {cut} of {} decoded",
                    schema.name,
                    bytes.len()
                );
            }
            for _ in 0..64 {
                let mut flipped = bytes.clone();
                if flipped.is_empty() {
                    break;
                }
                let bit = rng.below(flipped.len() as u64 * 8) as usize;
                flipped[bit / 8] ^= 1 << (bit % 8);
                let _ = (entry.decode)(&flipped, version);
            }
        }
    }
}

#[test]
fn fetch_and_api_versions_are_in_the_catalogue() {
    let names: Vec<_> = catalogue().iter().map(|e| (e.schema)().name).collect();
    for name in [
        "FetchRequest",
        "FetchResponse",
        "ApiVersionsRequest",
        "ApiVersionsResponse",
    ] {
        assert!(names.contains(&name), "{name} missing");
    }
    assert_eq!(
        messages::FetchRequest::VERSIONS.max,
        krafka_core::versions::FETCH_MAX
    );
}

#[test]
fn header_versions_follow_flexibility_with_the_api_versions_exception() {
    use krafka_core::messages::{
        ApiVersionsRequest, ApiVersionsResponse, FetchRequest, FetchResponse,
    };
    assert_eq!(FetchRequest::header_version(11), Some(1));
    assert_eq!(FetchRequest::header_version(12), Some(2));
    assert_eq!(FetchResponse::header_version(11), Some(0));
    assert_eq!(FetchResponse::header_version(12), Some(1));
    assert_eq!(ApiVersionsRequest::header_version(3), Some(2));
    // Clients read this response before they know the broker's versions.
    assert_eq!(ApiVersionsResponse::header_version(3), Some(0));
    for entry in catalogue() {
        let schema = (entry.schema)();
        for version in schema.valid_versions.min..=schema.valid_versions.max {
            let flexible = schema.flexible_versions.contains(version);
            let expected = match schema.kind {
                krafka_core::codec::MessageKind::Request => Some(if flexible { 2 } else { 1 }),
                krafka_core::codec::MessageKind::Response
                    if schema.name == "ApiVersionsResponse" =>
                {
                    Some(0)
                }
                krafka_core::codec::MessageKind::Response => Some(if flexible { 1 } else { 0 }),
                _ => None,
            };
            assert_eq!(
                (entry.header_version)(version),
                expected,
                "{} v{version}",
                schema.name
            );
        }
    }
}

#[test]
fn defaults_encode_and_round_trip_in_every_version() {
    let mut failures = Vec::new();
    for entry in catalogue() {
        let schema = (entry.schema)();
        for version in schema.valid_versions.min..=schema.valid_versions.max {
            let bytes = match (entry.encode_default)(version) {
                Ok(bytes) => bytes,
                Err(e) => {
                    failures.push(format!("{} v{version}: encode default: {e}", schema.name));
                    continue;
                }
            };
            match (entry.transcode)(&bytes, version) {
                Ok(t)
                    if t.consumed == bytes.len()
                        && t.encoded == bytes
                        && t.encoded_len == bytes.len() => {}
                Ok(t) => failures.push(format!(
                    "{} v{version}: default consumed {} of {}, re-encoded {} (len says {})",
                    schema.name,
                    t.consumed,
                    bytes.len(),
                    t.encoded.len(),
                    t.encoded_len
                )),
                Err(e) => failures.push(format!("{} v{version}: default: {e}", schema.name)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
