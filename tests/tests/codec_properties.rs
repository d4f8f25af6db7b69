//! Property tests of the derived codec over a message that holds every field
//! kind: for every version, decode(encode(x)) == x, `encoded_len` equals the
//! bytes written, and every truncation is an error (never a panic).

use bytes::{Bytes, BytesMut};
use krafka_core::codec::{
    Ctx, DecodeError, Encode, EncodeError, Message, Records, TaggedFields, UnsignedVarint, Uuid,
    VarInt, VarLong,
};
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0-3", flexible = "2+")]
pub struct Sample {
    pub i8_field: i8,
    pub i16_field: i16,
    pub i32_field: i32,
    pub i64_field: i64,
    #[kafka(versions = "1+")]
    pub u16_field: u16,
    pub u32_field: u32,
    pub f64_field: f64,
    pub flag: bool,
    pub id: Uuid,
    pub varint: VarInt,
    pub varlong: VarLong,
    pub uvarint: UnsignedVarint,
    pub text: String,
    #[kafka(nullable_versions = "1+")]
    pub maybe_text: Option<String>,
    pub data: Bytes,
    #[kafka(nullable_versions = "0+")]
    pub maybe_data: Option<Bytes>,
    #[kafka(nullable_versions = "0+")]
    pub records: Option<Records>,
    pub numbers: Vec<i32>,
    #[kafka(nullable_versions = "0+")]
    pub maybe_names: Option<Vec<String>>,
    pub children: Vec<Child>,
    #[kafka(versions = "1+", nullable_versions = "2+")]
    pub maybe_child: Option<Child>,
    #[kafka(versions = "2+", tag = 0, tagged_versions = "2+")]
    pub tagged_number: i32,
    #[kafka(versions = "2+", tag = 1, tagged_versions = "2+")]
    pub tagged_children: Vec<Child>,
    #[kafka(
        versions = "2+",
        nullable_versions = "2+",
        tag = 5,
        tagged_versions = "2+"
    )]
    pub tagged_text: Option<String>,
    #[kafka(versions = "0-1", default = -1, ignorable)]
    pub old_ignorable: i32,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
pub struct Child {
    pub index: i32,
    pub name: String,
    #[kafka(versions = "3+", tag = 0, tagged_versions = "3+", default = -1)]
    pub deep_tag: i64,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

const VERSIONS: std::ops::RangeInclusive<i16> = 0..=3;

fn child() -> impl Strategy<Value = Child> {
    (any::<i32>(), "[a-z]{0,8}", any::<i64>()).prop_map(|(index, name, deep_tag)| Child {
        index,
        name,
        deep_tag,
        ..Default::default()
    })
}

fn unknown_tags() -> impl Strategy<Value = TaggedFields> {
    prop::collection::vec(
        (10u32..10_000, prop::collection::vec(any::<u8>(), 0..6)),
        0..3,
    )
    .prop_map(|fields| {
        let mut tags = TaggedFields::new();
        for (tag, data) in fields {
            tags.insert(tag, Bytes::from(data));
        }
        tags
    })
}

prop_compose! {
    fn sample()(
        ints in (any::<i8>(), any::<i16>(), any::<i32>(), any::<i64>(), any::<u16>(), any::<u32>()),
        f64_field in -1e12f64..1e12,
        flag in any::<bool>(),
        id in any::<[u8; 16]>(),
        varints in (any::<i32>(), any::<i64>(), any::<u32>()),
        text in ".{0,12}",
        maybe_text in proptest::option::of("[a-z]{0,6}"),
        data in prop::collection::vec(any::<u8>(), 0..20),
        maybe_data in proptest::option::of(prop::collection::vec(any::<u8>(), 0..8)),
        records in proptest::option::of(prop::collection::vec(any::<u8>(), 0..30)),
        numbers in prop::collection::vec(any::<i32>(), 0..5),
        maybe_names in proptest::option::of(prop::collection::vec("[a-z]{0,4}", 0..3)),
        children in prop::collection::vec(child(), 0..3),
        maybe_child in proptest::option::of(child()),
        tagged in (any::<i32>(), prop::collection::vec(child(), 0..2), proptest::option::of("[a-z]{0,5}")),
        old_ignorable in any::<i32>(),
        unknown in unknown_tags(),
    ) -> Sample {
        Sample {
            i8_field: ints.0,
            i16_field: ints.1,
            i32_field: ints.2,
            i64_field: ints.3,
            u16_field: ints.4,
            u32_field: ints.5,
            f64_field,
            flag,
            id: Uuid(id),
            varint: VarInt(varints.0),
            varlong: VarLong(varints.1),
            uvarint: UnsignedVarint(varints.2),
            text,
            maybe_text,
            data: Bytes::from(data),
            maybe_data: maybe_data.map(Bytes::from),
            records: records.map(|r| Records(Bytes::from(r))),
            numbers,
            maybe_names,
            children,
            maybe_child,
            tagged_number: tagged.0,
            tagged_children: tagged.1,
            tagged_text: tagged.2,
            old_ignorable,
            unknown_tagged_fields: unknown,
        }
    }
}

/// What a value looks like after a trip through `version`: fields absent in
/// it hold their defaults, nulls only where allowed.
fn fit(mut s: Sample, version: i16) -> Sample {
    let d = Sample::default();
    let fit_child = |mut c: Child| {
        if version < 3 {
            c.deep_tag = -1;
        }
        if version < 2 {
            c.unknown_tagged_fields = TaggedFields::new();
        }
        c
    };
    s.children = s.children.into_iter().map(fit_child).collect();
    s.maybe_child = s.maybe_child.map(fit_child);
    s.tagged_children = s.tagged_children.into_iter().map(fit_child).collect();
    if version < 1 {
        s.u16_field = d.u16_field;
        s.maybe_text = s.maybe_text.or(Some(String::new()));
        s.maybe_child = None;
    }
    if version == 1 {
        s.maybe_child = s.maybe_child.or_else(|| Some(Child::default()));
    }
    if version < 2 {
        s.tagged_number = d.tagged_number;
        s.tagged_children = d.tagged_children;
        s.tagged_text = d.tagged_text;
        s.unknown_tagged_fields = TaggedFields::new();
    } else {
        s.old_ignorable = d.old_ignorable;
    }
    s
}

fn encode(s: &Sample, version: i16) -> Bytes {
    let mut buf = BytesMut::new();
    s.encode_version(&mut buf, version)
        .expect("a fitted value encodes");
    buf.freeze()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trips_in_every_version(s in sample()) {
        for version in VERSIONS {
            let s = fit(s.clone(), version);
            let bytes = encode(&s, version);
            let cx = Sample::context(version).expect("known version");
            prop_assert_eq!(s.encoded_len(cx), bytes.len());
            let back = Sample::decode_version(&mut bytes.clone(), version);
            prop_assert_eq!(back.as_ref(), Ok(&s));
        }
    }

    #[test]
    fn every_truncation_is_an_error(s in sample()) {
        for version in VERSIONS {
            let bytes = encode(&fit(s.clone(), version), version);
            for cut in 0..bytes.len() {
                let result = Sample::decode_version(&mut bytes.slice(..cut), version);
                prop_assert!(result.is_err(), "v{} cut at {} of {} decoded", version, cut, bytes.len());
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..256)) {
        for version in VERSIONS {
            let _ = Sample::decode_version(&mut Bytes::from(data.clone()), version);
        }
    }
}

#[test]
fn non_default_value_in_a_version_without_the_field_is_an_error() {
    let s = Sample {
        u16_field: 7,
        ..Default::default()
    };
    let err = s
        .encode_version(&mut BytesMut::new(), 0)
        .expect_err("u16_field needs v1");
    assert_eq!(
        err,
        EncodeError::FieldNotInVersion {
            message: "Sample",
            field: "u16_field",
            version: 0
        }
    );
    // An ignorable field is dropped silently instead.
    let s = Sample {
        old_ignorable: 5,
        ..Default::default()
    };
    assert!(s.encode_version(&mut BytesMut::new(), 3).is_ok());
}

#[test]
fn null_where_not_nullable_is_an_error() {
    let s = Sample {
        maybe_text: None,
        maybe_child: Some(Child::default()),
        ..Default::default()
    };
    let err = s
        .encode_version(&mut BytesMut::new(), 0)
        .expect_err("not nullable in v0");
    assert!(matches!(
        err,
        EncodeError::NullNotAllowed {
            field: "maybe_text",
            ..
        }
    ));
    assert!(s.encode_version(&mut BytesMut::new(), 1).is_ok());
    // `maybe_child` exists from v1 but may only be null from v2.
    let s = Sample::default();
    let err = s
        .encode_version(&mut BytesMut::new(), 1)
        .expect_err("not nullable in v1");
    assert!(matches!(
        err,
        EncodeError::NullNotAllowed {
            field: "maybe_child",
            ..
        }
    ));
    assert!(s.encode_version(&mut BytesMut::new(), 2).is_ok());
}

#[test]
fn decode_errors_name_message_and_field() {
    let bytes = encode(&Sample::default(), 3);
    // Cut inside `text` (after the fixed-width fields and the varints).
    let err = Sample::decode_version(&mut bytes.slice(..42), 3).expect_err("truncated");
    assert_eq!(err.message(), "Sample");
    assert!(err.field().is_some_and(|f| f != "?"), "{err}");
    let nested = Sample {
        children: vec![Child {
            name: "x".repeat(30),
            ..Default::default()
        }],
        ..Default::default()
    };
    let bytes = encode(&nested, 3);
    let err =
        Sample::decode_version(&mut bytes.slice(..bytes.len() - 20), 3).expect_err("truncated");
    assert_eq!(
        (err.message(), err.field()),
        ("Child", Some("name")),
        "{err}"
    );
}

#[test]
fn huge_array_length_is_refused_before_allocating() {
    // An int32 array count of 2^31-1 followed by four bytes.
    let mut input = Bytes::from_static(&[0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1]);
    let err = <Vec<i32> as krafka_core::codec::Decode>::decode(&mut input, Ctx::new(0, false))
        .expect_err("lying length");
    assert!(
        matches!(
            err,
            DecodeError::InvalidLength {
                length: 2_147_483_647,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn bytes_fields_are_slices_of_the_input() {
    let s = Sample {
        data: Bytes::from_static(b"zero-copy payload"),
        ..Default::default()
    };
    let bytes = encode(&s, 3);
    let back = Sample::decode_version(&mut bytes.clone(), 3).expect("decode");
    let input = bytes.as_ptr_range();
    let field = back.data.as_ptr_range();
    assert!(input.start <= field.start && field.end <= input.end);
}

#[test]
fn unknown_tags_are_kept_in_order_and_written_back() {
    let mut unknown = TaggedFields::new();
    unknown.insert(9, Bytes::from_static(b"b"));
    unknown.insert(3, Bytes::from_static(b"a"));
    let s = Sample {
        tagged_number: 1,
        tagged_text: Some("t".into()),
        unknown_tagged_fields: unknown,
        ..Default::default()
    };
    let bytes = encode(&s, 2);
    let back = Sample::decode_version(&mut bytes.clone(), 2).expect("decode");
    assert_eq!(back, s);
    let tags: Vec<u32> = back.unknown_tagged_fields.iter().map(|f| f.tag).collect();
    assert_eq!(tags, [3, 9]);
    assert_eq!(encode(&back, 2), bytes);
}
