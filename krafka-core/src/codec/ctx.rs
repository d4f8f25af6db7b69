/// What a value needs to know to encode or decode itself: the message
/// version, and whether that version uses the flexible (compact) encoding.
///
/// Nested structs receive their parent's context unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ctx {
    /// The version of the enclosing message.
    pub version: i16,
    /// Whether `version` is one of the message's flexible versions.
    pub flexible: bool,
}

impl Ctx {
    /// A context for `version`, flexible or not.
    pub const fn new(version: i16, flexible: bool) -> Self {
        Ctx { version, flexible }
    }

    /// The same version with the classic (non-flexible) encoding; for the few
    /// fields Kafka pins to it (the request header's client id).
    pub const fn classic(self) -> Self {
        Ctx {
            version: self.version,
            flexible: false,
        }
    }
}
