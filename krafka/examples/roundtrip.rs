//! Encodes a derived Kafka message at every version it has, decodes it back
//! and prints what went over the wire.
//!
//! Run with `cargo run -p krafka --example roundtrip`.

use bytes::BytesMut;
use krafka::KrafkaError;
use krafka::protocol::{ApiVersionsResponse, Message, Response};

fn main() -> Result<(), KrafkaError> {
    let response = ApiVersionsResponse {
        error_code: 0,
        api_keys: vec![
            api_version(0, 3, 13),
            api_version(1, 4, 18),
            api_version(18, 0, 5),
        ],
        throttle_time_ms: 0,
        finalized_features_epoch: 7,
        ..Default::default()
    };
    println!(
        "{} (API key {}, {}), versions {}, flexible from {}",
        ApiVersionsResponse::NAME,
        ApiVersionsResponse::API_KEY.key(),
        ApiVersionsResponse::API_KEY,
        ApiVersionsResponse::VERSIONS,
        ApiVersionsResponse::FLEXIBLE_VERSIONS,
    );
    for version in ApiVersionsResponse::VERSIONS.min..=ApiVersionsResponse::VERSIONS.max {
        // Fields a version lacks must hold their defaults; this one is
        // ignorable, so older versions simply drop it.
        let mut buf = BytesMut::new();
        response.encode_version(&mut buf, version)?;
        let wire = buf.freeze();
        let decoded = ApiVersionsResponse::decode_version(&mut wire.clone(), version)?;
        println!("v{version}: {:>3} bytes  {}", wire.len(), hex(&wire));
        println!(
            "     decoded: {} api keys, finalized epoch {}",
            decoded.api_keys.len(),
            decoded.finalized_features_epoch
        );
    }
    println!("\nschema:\n{}", ApiVersionsResponse::schema().to_json());
    Ok(())
}

fn api_version(
    api_key: i16,
    min_version: i16,
    max_version: i16,
) -> krafka::protocol::api_versions::ApiVersion {
    krafka::protocol::api_versions::ApiVersion {
        api_key,
        min_version,
        max_version,
        ..Default::default()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
