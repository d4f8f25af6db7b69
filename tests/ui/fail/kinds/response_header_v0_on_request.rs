use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 18, request, versions = "0-2", response_header_v0)]
pub struct Req {
    pub a: i32,
}

fn main() {}
