// Header and data schemas, a field with its own flexible versions, and
// attributes switched by `cfg_attr`.
use bytes::BytesMut;
use krafka_core::codec::{Message, MessageKind, TaggedFields};

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(header, versions = "1-2", flexible = "2+")]
pub struct MyRequestHeader {
    pub request_api_key: i16,
    pub request_api_version: i16,
    pub correlation_id: i32,
    #[kafka(nullable_versions = "1+", flexible = "none")]
    pub client_id: Option<String>,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data)]
#[cfg_attr(all(), kafka(versions = "0-1"))]
#[cfg_attr(any(), kafka(flexible = "1+"))]
pub struct Assignment {
    pub partitions: Vec<i32>,
    #[kafka(versions = "1+", nullable_versions = "1+")]
    pub user_data: Option<bytes::Bytes>,
}

fn main() {
    let header = MyRequestHeader {
        request_api_key: 18,
        request_api_version: 3,
        correlation_id: 7,
        client_id: Some("cli".into()),
        ..Default::default()
    };
    let mut buf = BytesMut::new();
    header.encode_version(&mut buf, 2).expect("encode");
    // The client id keeps its classic int16 length even in the flexible v2.
    assert_eq!(&buf[8..10], &[0, 3]);
    assert_eq!(MyRequestHeader::decode_version(&mut buf.freeze(), 2).expect("decode"), header);
    assert_eq!(MyRequestHeader::KIND, MessageKind::Header);
    assert_eq!(MyRequestHeader::header_version(2), None);
    assert!(Assignment::FLEXIBLE_VERSIONS.is_empty());
    assert_eq!(Assignment::VERSIONS, krafka_core::codec::VersionRange::new(0, 1));
    assert_eq!(Assignment::schema().fields.len(), 2);
}
