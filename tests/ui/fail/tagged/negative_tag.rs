use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-5", flexible = "3+")]
pub struct Req {
    #[kafka(tag = -1, tagged_versions = "3+")]
    pub a: i32,
}

fn main() {}
