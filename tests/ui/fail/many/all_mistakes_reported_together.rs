use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(api_key = 1, request, versions = "0-5", flexible = "3+", colour = "red")]
pub struct Req {
    #[kafka(versions = "9+")]
    pub a: i32,
    #[kafka(nullable_versions = "0+")]
    pub b: String,
    #[kafka(tag = 0, tagged_versions = "1+")]
    pub c: i32,
    #[kafka(tag = 0, tagged_versions = "3+")]
    pub d: i32,
}

fn uses_the_stub(r: &Req) -> usize {
    krafka_core::codec::Encode::encoded_len(r, krafka_core::codec::Ctx::new(0, false))
}

fn main() {
    let _ = uses_the_stub;
}
