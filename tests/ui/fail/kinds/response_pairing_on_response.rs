use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, response, versions = "0-2", response = Other)]
pub struct Resp {
    pub a: i32,
}

#[derive(Message)]
pub struct Other {
    pub b: i32,
}

fn main() {}
