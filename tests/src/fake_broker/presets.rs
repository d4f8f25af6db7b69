//! Ready-made scripts for connection-level faults.

use bytes::{BufMut, BytesMut};
use krafka_core::ApiKey;
use krafka_core::messages::MetadataResponse;
use krafka_core::messages::metadata::MetadataResponseBroker;

use super::{Reply, Script};

/// Accepts connections and never answers anything, not even ApiVersions.
pub fn silent_from_start() -> Script {
    Script::new().on(ApiKey::ApiVersions, |_| Reply::silence())
}

/// Answers the handshake, then nothing.
pub fn silent_after_handshake() -> Script {
    Script::new()
}

/// Answers the handshake, then every request with a frame announcing `size`
/// bytes.
pub fn oversized_frame(size: i32) -> Script {
    every_api(Script::new(), move || Reply::oversized(size))
}

/// Answers the handshake, then every request with a response for another
/// correlation id.
pub fn wrong_correlation_id() -> Script {
    ApiKey::ALL
        .iter()
        .filter(|api| **api != ApiKey::ApiVersions)
        .fold(Script::new(), |script, api| {
            script.on(*api, |request| {
                let mut frame = BytesMut::new();
                frame.put_i32(8);
                frame.put_i32(request.correlation_id.wrapping_add(1000));
                frame.put_i32(0);
                Reply::frame(frame.freeze())
            })
        })
}

/// Answers Metadata with one broker, node 1 at `address` (which need not be
/// the fake's), and no topics; nothing else.
pub fn metadata_naming(address: &str) -> Script {
    let (host, port) = address.rsplit_once(':').expect("host:port");
    let host = host.to_owned();
    let port: i32 = port.parse().expect("port");
    Script::new().on(ApiKey::Metadata, move |_| {
        Reply::message(MetadataResponse {
            brokers: vec![MetadataResponseBroker {
                node_id: 1,
                host: host.clone(),
                port,
                ..Default::default()
            }],
            cluster_id: Some("fake".to_owned()),
            controller_id: 1,
            ..Default::default()
        })
    })
}

fn every_api(script: Script, reply: impl Fn() -> Reply + Clone + Send + Sync + 'static) -> Script {
    ApiKey::ALL
        .iter()
        .filter(|api| **api != ApiKey::ApiVersions)
        .fold(script, |script, api| {
            let reply = reply.clone();
            script.on(*api, move |_| reply())
        })
}
