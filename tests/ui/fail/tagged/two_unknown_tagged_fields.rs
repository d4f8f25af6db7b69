use krafka_core::codec::Message;
use krafka_core::codec::TaggedFields;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-5", flexible = "3+")]
pub struct Req {
    pub a: i32,
    #[kafka(unknown_tagged)]
    pub unknown: TaggedFields,
    #[kafka(unknown_tagged)]
    pub more_unknown: TaggedFields,
}

fn main() {}
