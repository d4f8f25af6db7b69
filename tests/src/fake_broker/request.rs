//! One request as the fake broker received it.

use bytes::{Buf, Bytes};
use krafka_core::ApiKey;
use krafka_core::codec::Message;
use krafka_core::messages::RequestHeader;

/// A request frame, with what its header says.
#[derive(Debug, Clone)]
pub struct Request {
    /// The API.
    pub api: ApiKey,
    /// The version the client sent.
    pub version: i16,
    /// The correlation id the answer must carry.
    pub correlation_id: i32,
    /// The fake's own `host:port` (to name itself in Metadata).
    pub broker: String,
    /// How many requests of this API the fake received before this one.
    pub seen: u64,
    /// The frame after its size: header and body.
    frame: Bytes,
}

impl Request {
    /// The request in `frame`, `None` when it is too short or names an API
    /// this Kafka release does not have.
    pub(crate) fn parse(frame: Bytes, broker: &str) -> Option<Request> {
        let mut head = frame.clone();
        if head.remaining() < 8 {
            return None;
        }
        let api = ApiKey::from_key(head.get_i16())?;
        let version = head.get_i16();
        let correlation_id = head.get_i32();
        Some(Request {
            api,
            version,
            correlation_id,
            broker: broker.to_owned(),
            seen: 0,
            frame,
        })
    }

    /// The body, decoded as `M` at the request's version (panics when it
    /// does not decode: the client sent something broken).
    pub fn decode<M: Message>(&self) -> M {
        let mut buf = self.frame.clone();
        let header_version = M::header_version(self.version)
            .unwrap_or_else(|| panic!("{} has no header version", M::NAME));
        RequestHeader::decode_version(&mut buf, header_version)
            .unwrap_or_else(|e| panic!("{} header: {e}", M::NAME));
        M::decode_version(&mut buf, self.version)
            .unwrap_or_else(|e| panic!("{} v{}: {e}", M::NAME, self.version))
    }

    /// The fake's host and port.
    pub fn broker_host_port(&self) -> (String, i32) {
        let (host, port) = self.broker.rsplit_once(':').unwrap_or(("127.0.0.1", "0"));
        (host.to_owned(), port.parse().unwrap_or(0))
    }
}
