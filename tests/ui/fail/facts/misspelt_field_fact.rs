// Field facts are associated consts: a misspelt field is a compile error,
// not a failed lookup at run time.
use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(data, versions = "0-2")]
pub struct Topic {
    #[kafka(versions = "1+")]
    pub topic_id: i32,
}

fn main() {
    let _ = Topic::TOPIC_IDS_VERSIONS;
}
