// A user's own message, defined outside krafka-core, round-trips through
// every version of its range with the derived codec. Requests and responses
// carry one of Kafka's API keys (typed as `ApiKey`, checked at compile time).
use bytes::BytesMut;
use krafka_core::ApiKey;
use krafka_core::codec::{Message, Request, Response, TaggedFields, VersionRange};

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 18, request, versions = "0-3", flexible = "2+", response = EchoResponse)]
pub struct EchoRequest {
    pub text: String,
    #[kafka(versions = "1+", default = 3)]
    pub repeat: i32,
    #[kafka(versions = "2+", tag = 0, tagged_versions = "2+")]
    pub trace_id: i64,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 18, response, versions = "0-3", flexible = "2+")]
pub struct EchoResponse {
    pub error_code: i16,
    pub lines: Vec<String>,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

fn round_trip<M: Message + PartialEq + std::fmt::Debug>(m: &M, version: i16) {
    let mut buf = BytesMut::new();
    m.encode_version(&mut buf, version).expect("encode");
    let back = M::decode_version(&mut buf.freeze(), version).expect("decode");
    assert_eq!(&back, m);
}

fn response_of<R: Request>(_: &R) -> &'static str {
    R::Response::NAME
}

fn main() {
    for version in 0..=3 {
        let request = EchoRequest {
            text: "hello".into(),
            repeat: if version >= 1 { 2 } else { 3 },
            trace_id: if version >= 2 { 42 } else { 0 },
            ..Default::default()
        };
        round_trip(&request, version);
        let response = EchoResponse {
            lines: vec!["hello".into(), "hello".into()],
            ..Default::default()
        };
        round_trip(&response, version);
    }
    assert_eq!(EchoRequest::default().repeat, 3);
    assert_eq!(response_of(&EchoRequest::default()), "EchoResponse");
    assert_eq!(<EchoRequest as Request>::API_KEY, ApiKey::ApiVersions);
    assert_eq!(<EchoResponse as Response>::API_KEY, ApiKey::ApiVersions);
    assert!(EchoRequest::default().expects_response());
    assert_eq!(EchoRequest::REPEAT_VERSIONS, VersionRange::new(1, i16::MAX));
    assert_eq!(EchoRequest::TEXT_VERSIONS, VersionRange::ALL);
    assert_eq!(EchoRequest::header_version(1), Some(1));
    assert_eq!(EchoRequest::header_version(2), Some(2));
    assert_eq!(EchoResponse::header_version(2), Some(1));
}
