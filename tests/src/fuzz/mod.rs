//! The fuzz targets, written once: the cargo-fuzz targets in `fuzz/`
//! (nightly, libFuzzer) call [`Target::run`], and so does the stable runner
//! `tests/tests/fuzz_replay.rs`, which replays the corpus and a bounded
//! number of seeded random mutations under `cargo test`.
//!
//! Each target takes arbitrary bytes, must never panic, and checks what must
//! hold for any input (a decoded value re-encodes to a fixpoint, a codec
//! never decompresses past its cap, records come out in offset order, the
//! buffered-memory count returns to zero, …): a broken property panics.
//!
//! * [`message`]: every message decoder of the catalogue.
//! * [`records`]: record batches in every codec.
//! * [`frame`]: a connection's response framing, header and body decode.
//! * [`fetch`]: a consumer's handling of a Fetch response.

pub mod fetch;
pub mod frame;
pub mod message;
mod mutate;
pub mod records;
mod seeds;

use std::sync::OnceLock;

use krafka_core::codec::CatalogueEntry;

pub use mutate::Mutator;

/// One fuzz target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// [`message::run`].
    Message,
    /// [`records::run`].
    RecordBatch,
    /// [`frame::run`].
    ResponseFrame,
    /// [`fetch::run`].
    FetchResponse,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 4] = [
        Target::Message,
        Target::RecordBatch,
        Target::ResponseFrame,
        Target::FetchResponse,
    ];

    /// The cargo-fuzz target's name, also its corpus directory's.
    pub fn name(self) -> &'static str {
        match self {
            Target::Message => "message",
            Target::RecordBatch => "record_batch",
            Target::ResponseFrame => "response_frame",
            Target::FetchResponse => "fetch_response",
        }
    }

    /// Runs the target on one input; panics when a property breaks.
    /// Returns how far the input got: how many messages, records or
    /// responses decoded (0: it was refused early).
    pub fn run(self, data: &[u8]) -> usize {
        match self {
            Target::Message => message::run(data),
            Target::RecordBatch => records::run(data),
            Target::ResponseFrame => frame::run(data),
            Target::FetchResponse => fetch::run(data),
        }
    }

    /// Valid, varied inputs to start from (generated, deterministic).
    pub fn seeds(self) -> Vec<Vec<u8>> {
        match self {
            Target::Message => seeds::message(),
            Target::RecordBatch => seeds::record_batch(),
            Target::ResponseFrame => seeds::response_frame(),
            Target::FetchResponse => seeds::fetch_response(),
        }
    }
}

/// The message catalogue, built once.
pub(crate) fn catalogue() -> &'static [CatalogueEntry] {
    static CATALOGUE: OnceLock<Vec<CatalogueEntry>> = OnceLock::new();
    CATALOGUE.get_or_init(krafka_core::messages::catalogue)
}

/// Reads a target's parameters off the front of its input; past the end
/// every read gives zeros, so any input is valid.
pub(crate) struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Input { data }
    }

    pub(crate) fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&first, rest)) => {
                self.data = rest;
                first
            }
            None => 0,
        }
    }

    pub(crate) fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }

    pub(crate) fn i32(&mut self) -> i32 {
        i32::from_be_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    pub(crate) fn i64(&mut self) -> i64 {
        (i64::from(self.i32()) << 32) | i64::from(self.i32() as u32)
    }

    /// Everything not read yet.
    pub(crate) fn rest(self) -> &'a [u8] {
        self.data
    }
}

/// The bytes a target's input starts with, written the way [`Input`] reads
/// them (for the seeds).
#[derive(Default)]
pub(crate) struct InputWriter(pub(crate) Vec<u8>);

impl InputWriter {
    pub(crate) fn u8(&mut self, value: u8) -> &mut Self {
        self.0.push(value);
        self
    }

    pub(crate) fn u16(&mut self, value: u16) -> &mut Self {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub(crate) fn i32(&mut self, value: i32) -> &mut Self {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub(crate) fn i64(&mut self, value: i64) -> &mut Self {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.extend_from_slice(bytes);
        self
    }

    pub(crate) fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.0)
    }
}
