use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-5")]
pub struct Req;

fn main() {}
