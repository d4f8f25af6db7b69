use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 3, header, versions = "0-2")]
pub struct Header {
    pub a: i32,
}

fn main() {}
