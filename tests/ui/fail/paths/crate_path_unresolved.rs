use krafka::protocol::Message;

#[derive(Message)]
#[kafka(crate = not_krafka, data, versions = "0-1")]
pub struct Nowhere {
    pub a: i32,
}

fn main() {}
