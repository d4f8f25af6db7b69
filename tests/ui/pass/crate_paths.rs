// The derive finds its runtime through `krafka` by default (a crate that
// depends on `krafka` alone), or through `#[kafka(crate = path)]`: another
// path to `krafka`, a re-export of it, or `krafka_core` itself.
use bytes::BytesMut;
use krafka::protocol::{Message, Request, TaggedFields};

mod reexports {
    pub use krafka as kafka_client;
}

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 0, request, versions = "3-4", response = ByDefaultResponse)]
#[kafka(expects_response = self.acks != 0)]
pub struct ByDefault {
    pub acks: i16,
    #[kafka(versions = "4+", nullable_versions = "4+")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 0, response, versions = "3-4", crate = ::krafka)]
pub struct ByDefaultResponse {
    pub error_code: i16,
}

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(crate = reexports::kafka_client, data, versions = "0-1", flexible = "1+")]
pub struct ThroughReexport {
    pub items: Vec<Item>,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(crate = krafka_core)]
pub struct Item {
    #[kafka(versions = "1+")]
    pub weight: i64,
}

fn round_trip<M: Message + PartialEq + std::fmt::Debug>(m: &M, version: i16) {
    let mut buf = BytesMut::new();
    m.encode_version(&mut buf, version).expect("encode");
    let back = M::decode_version(&mut buf.freeze(), version).expect("decode");
    assert_eq!(&back, m);
}

fn main() {
    let quiet = ByDefault {
        acks: 0,
        note: None,
    };
    assert!(!quiet.expects_response());
    assert!(ByDefault { acks: 1, ..quiet.clone() }.expects_response());
    round_trip(&quiet, 3);
    round_trip(&ByDefaultResponse { error_code: 7 }, 4);
    round_trip(
        &ThroughReexport {
            items: vec![Item { weight: 9 }],
            ..Default::default()
        },
        1,
    );
    assert_eq!(Item::WEIGHT_VERSIONS.min, 1);
    assert_eq!(ByDefault::NOTE_VERSIONS.min, 4);
}
