use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-5")]
pub struct Req {
    #[kafka(versions = "2+", nullable_versions = "1+")]
    pub a: Option<String>,
}

fn main() {}
