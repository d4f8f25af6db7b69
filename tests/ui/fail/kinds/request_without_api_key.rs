use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(request, versions = "0-5")]
pub struct Req {
    pub a: i32,
}

fn main() {}
