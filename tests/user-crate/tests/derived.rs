//! The derived codec of the user's messages, byte for byte, at two versions
//! each, and the protocol facts the derive exposes.

use krafka::protocol::{
    ApiKey, EncodeError, Message, Request, Response, TaggedFields, VersionRange,
};
use krafka_user_crate::sdk::Assignment;
use krafka_user_crate::{Group, GroupsRequest, GroupsResponse};

fn encode<M: Message>(message: &M, version: i16) -> Vec<u8> {
    let mut wire = Vec::new();
    message.encode_version(&mut wire, version).expect("encodes");
    assert_eq!(wire.len(), message_len(message, version), "encoded_len");
    wire
}

fn message_len<M: Message>(message: &M, version: i16) -> usize {
    let cx = M::context(version).expect("a version of the message");
    message.encoded_len(cx)
}

fn decode<M: Message>(mut wire: &[u8], version: i16) -> M {
    let message = M::decode_version(&mut wire, version).expect("decodes");
    assert!(wire.is_empty(), "{} bytes left over", wire.len());
    message
}

fn group() -> Group {
    Group {
        group_id: "g".into(),
        protocol_type: "consumer".into(),
        ..Default::default()
    }
}

#[test]
fn request_bytes_at_a_classic_and_a_flexible_version() {
    let request = GroupsRequest {
        states_filter: vec!["Stable".into()],
        ..Default::default()
    };
    // v2 has no filter (ignorable: dropped) and no tagged section.
    assert_eq!(encode(&request, 2), b"");
    // v4: compact array (length + 1), compact string, empty tagged section.
    let v4 = encode(&request, 4);
    assert_eq!(v4, b"\x02\x07Stable\x00");
    assert_eq!(decode::<GroupsRequest>(&v4, 4), request);
    assert_eq!(
        decode::<GroupsRequest>(&[], 2),
        GroupsRequest::default(),
        "v2 decodes to the defaults"
    );
}

#[test]
fn response_with_nested_groups_at_two_versions() {
    let response = GroupsResponse {
        throttle_time_ms: 5,
        groups: vec![group()],
        ..Default::default()
    };
    let v2 = encode(&response, 2);
    let mut expected = vec![0, 0, 0, 5, 0, 0, 0, 0, 0, 1, 0, 1, b'g', 0, 8];
    expected.extend_from_slice(b"consumer");
    assert_eq!(v2, expected);
    assert_eq!(decode::<GroupsResponse>(&v2, 2), response);

    let flexible = GroupsResponse {
        groups: vec![Group {
            group_state: "Stable".into(),
            member_count: 3,
            ..group()
        }],
        ..response
    };
    let v4 = encode(&flexible, 4);
    let mut expected = vec![0, 0, 0, 5, 0, 0, 2, 2, b'g', 9];
    expected.extend_from_slice(b"consumer");
    expected.push(7);
    expected.extend_from_slice(b"Stable");
    // The group's tagged section: one field, tag 0, 4 bytes: 3.
    expected.extend_from_slice(&[1, 0, 4, 0, 0, 0, 3]);
    // The response's empty tagged section.
    expected.push(0);
    assert_eq!(v4, expected);
    assert_eq!(decode::<GroupsResponse>(&v4, 4), flexible);
}

#[test]
fn unknown_tagged_fields_survive_a_round_trip() {
    let mut unknown = TaggedFields::new();
    unknown.insert(9, vec![0xAB].into());
    let response = GroupsResponse {
        groups: vec![group()],
        unknown_tagged_fields: unknown,
        ..Default::default()
    };
    let wire = encode(&response, 3);
    assert_eq!(decode::<GroupsResponse>(&wire, 3), response);
}

#[test]
fn a_field_missing_from_a_version_is_an_error_unless_ignorable() {
    let response = GroupsResponse {
        groups: vec![Group {
            group_state: "Empty".into(),
            ..group()
        }],
        ..Default::default()
    };
    let mut wire = Vec::new();
    let error = response
        .encode_version(&mut wire, 3)
        .expect_err("group_state exists from v4");
    assert!(
        matches!(
            error,
            EncodeError::FieldNotInVersion {
                field: "group_state",
                version: 3,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn the_derive_exposes_protocol_facts() {
    assert_eq!(<GroupsRequest as Request>::API_KEY, ApiKey::ListGroups);
    assert_eq!(<GroupsResponse as Response>::API_KEY, ApiKey::ListGroups);
    assert_eq!(GroupsRequest::VERSIONS, VersionRange::new(2, 4));
    assert_eq!(GroupsRequest::STATES_FILTER_VERSIONS.min, 4);
    assert_eq!(Group::MEMBER_COUNT_VERSIONS, VersionRange::new(3, i16::MAX));
    assert_eq!(Group::GROUP_ID_VERSIONS, VersionRange::ALL);
    assert!(GroupsRequest::default().expects_response());
    assert_eq!(GroupsRequest::header_version(2), Some(1));
    assert_eq!(GroupsRequest::header_version(3), Some(2));
    assert_eq!(GroupsResponse::header_version(3), Some(1));
}

#[test]
fn a_reexported_krafka_serves_the_derive_too() {
    let assignment = Assignment {
        partitions: vec![0, 2],
        user_data: None,
    };
    let v1 = encode(&assignment, 1);
    assert_eq!(v1, [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0xFF, 0xFF]);
    assert_eq!(decode::<Assignment>(&v1, 1), assignment);
    let v0 = encode(&assignment, 0);
    assert_eq!(v0, [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2]);
    assert_eq!(decode::<Assignment>(&v0, 0), assignment);
}
