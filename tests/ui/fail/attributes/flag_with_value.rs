use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-3")]
pub struct Req {
    #[kafka(versions = "1+", ignorable = true)]
    pub a: i32,
}

fn main() {}
