use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "5-2")]
pub struct Req {
    pub a: i32,
}

fn main() {}
