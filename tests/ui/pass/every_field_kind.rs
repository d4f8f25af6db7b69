// Every field kind the protocol has, nested and tagged at several depths.
use bytes::{Bytes, BytesMut};
use krafka_core::codec::{Message, Records, TaggedFields, Uuid};

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0-2", flexible = "1+")]
pub struct Everything {
    pub i8_field: i8,
    pub i16_field: i16,
    pub i32_field: i32,
    pub i64_field: i64,
    pub u16_field: u16,
    pub u32_field: u32,
    pub f64_field: f64,
    pub flag: bool,
    pub id: Uuid,
    pub name: String,
    #[kafka(nullable_versions = "0+")]
    pub maybe_name: Option<String>,
    pub data: Bytes,
    #[kafka(nullable_versions = "0+")]
    pub maybe_data: Option<Bytes>,
    #[kafka(nullable_versions = "0+")]
    pub records: Option<Records>,
    pub numbers: Vec<i32>,
    #[kafka(nullable_versions = "1+")]
    pub maybe_numbers: Option<Vec<String>>,
    pub children: Vec<Child>,
    #[kafka(nullable_versions = "0+")]
    pub maybe_child: Option<Child>,
    #[kafka(versions = "1+", tag = 0, tagged_versions = "1+")]
    pub tagged_child: Child,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
pub struct Child {
    pub index: i32,
    #[kafka(versions = "1+", tag = 7, tagged_versions = "1+", default = -1)]
    pub deep_tag: i64,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

fn main() {
    for version in 0..=2 {
        let flexible = version >= 1;
        let child = Child {
            index: 7,
            deep_tag: if flexible { 99 } else { -1 },
            ..Default::default()
        };
        let value = Everything {
            i8_field: -8,
            i16_field: -16,
            i32_field: -32,
            i64_field: -64,
            u16_field: 16,
            u32_field: 32,
            f64_field: 1.5,
            flag: true,
            id: Uuid::from_u64_pair(1, 2),
            name: "name".into(),
            maybe_name: None,
            data: Bytes::from_static(b"data"),
            maybe_data: Some(Bytes::new()),
            records: Some(Records(Bytes::from_static(b"raw batches"))),
            numbers: vec![1, 2, 3],
            maybe_numbers: if flexible { None } else { Some(vec![]) },
            children: vec![child.clone(), child.clone()],
            maybe_child: Some(child.clone()),
            tagged_child: if flexible { child } else { Child::default() },
            ..Default::default()
        };
        let mut buf = BytesMut::new();
        value.encode_version(&mut buf, version).expect("encode");
        assert_eq!(buf.len(), krafka_core::codec::Encode::encoded_len(&value, Everything::context(version).expect("ctx")));
        let back = Everything::decode_version(&mut buf.freeze(), version).expect("decode");
        assert_eq!(back, value);
    }
}
