use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 3, request, versions = "0-3", response = Resp)]
pub struct Req {
    pub a: i32,
}

#[derive(Message)]
#[kafka(api_key = 3, response, versions = "0-2")]
pub struct Resp {
    pub b: i32,
}

fn main() {}
