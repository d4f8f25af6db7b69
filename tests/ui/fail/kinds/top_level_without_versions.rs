use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, response)]
pub struct Resp {
    pub a: i32,
}

fn main() {}
