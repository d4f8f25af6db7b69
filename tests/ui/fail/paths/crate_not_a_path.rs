use krafka::protocol::Message;

#[derive(Message)]
#[kafka(crate = 7, data, versions = "0-1")]
pub struct NotAPath {
    pub a: i32,
}

fn main() {}
