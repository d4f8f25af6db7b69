use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-5", flexible = "3+")]
pub struct Req {
    #[kafka(tag = 0, tagged_versions = "2+")]
    pub a: i32,
}

fn main() {}
