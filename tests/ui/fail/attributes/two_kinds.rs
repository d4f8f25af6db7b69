use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, response, versions = "0-3")]
pub struct Req {
    pub a: i32,
}

fn main() {}
