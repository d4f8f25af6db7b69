use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(versions = "0-2")]
pub struct Nested {
    pub a: i32,
}

fn main() {}
