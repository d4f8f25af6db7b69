use krafka::protocol::Message;

#[derive(Message)]
#[kafka(crate = "krafka", data, versions = "0-1")]
pub struct Quoted {
    pub a: i32,
}

fn main() {}
