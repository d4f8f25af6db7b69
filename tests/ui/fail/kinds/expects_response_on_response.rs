use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, response, versions = "0-2", expects_response = self.a != 0)]
pub struct Resp {
    pub a: i32,
}

fn main() {}
