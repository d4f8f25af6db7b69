use krafka_core::codec::Message;

#[derive(Message)]
#[kafka(data, versions = "0-2")]
pub struct Settings {
    pub flexible: bool,
}

// Nested structs have no `Message::FLEXIBLE_VERSIONS` to shadow.
#[derive(Message)]
pub struct Nested {
    pub flexible: bool,
}

fn main() {}
