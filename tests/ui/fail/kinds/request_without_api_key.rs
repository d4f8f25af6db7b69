use krafka_core::Message;

#[derive(Message)]
#[kafka(request, versions = "0-5")]
pub struct Req {
    pub a: i32,
}

fn main() {}
