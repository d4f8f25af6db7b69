use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-3", versions = "0-4")]
pub struct Req {
    pub a: i32,
}

fn main() {}
