use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1000, request, versions = "0-2", response = Resp)]
pub struct Req {
    pub a: i32,
}

#[derive(Message)]
#[kafka(api_key = 1000, response, versions = "0-2")]
pub struct Resp {
    pub b: i32,
}

fn main() {}
