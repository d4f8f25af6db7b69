//! Where encoders write: [`EncodeBuf`], which every [`BufMut`] is, and
//! [`Chunks`], which keeps large shared byte strings by reference.

use bytes::{BufMut, Bytes, BytesMut};

/// What [`Encode`](super::Encode) writes to. Every [`BufMut`] (`BytesMut`,
/// `Vec<u8>`, ...) is one and copies everything; [`Chunks`] keeps a large
/// [`Bytes`] value (a Produce request's record batches) by reference
/// instead of copying it.
pub trait EncodeBuf {
    /// Writes `src`.
    fn put_slice(&mut self, src: &[u8]);

    /// Writes `bytes`, which the caller already holds as shared bytes: a
    /// buffer that can keep a reference to it instead of a copy does.
    fn put_shared(&mut self, bytes: &Bytes) {
        self.put_slice(bytes);
    }

    /// Writes one byte.
    fn put_u8(&mut self, n: u8) {
        self.put_slice(&[n]);
    }
    /// Writes an `i8`.
    fn put_i8(&mut self, n: i8) {
        self.put_slice(&n.to_be_bytes());
    }
    /// Writes a big-endian `i16`.
    fn put_i16(&mut self, n: i16) {
        self.put_slice(&n.to_be_bytes());
    }
    /// Writes a big-endian `i32`.
    fn put_i32(&mut self, n: i32) {
        self.put_slice(&n.to_be_bytes());
    }
    /// Writes a big-endian `i64`.
    fn put_i64(&mut self, n: i64) {
        self.put_slice(&n.to_be_bytes());
    }
    /// Writes a big-endian `u16`.
    fn put_u16(&mut self, n: u16) {
        self.put_slice(&n.to_be_bytes());
    }
    /// Writes a big-endian `u32`.
    fn put_u32(&mut self, n: u32) {
        self.put_slice(&n.to_be_bytes());
    }
    /// Writes a big-endian IEEE 754 `f64`.
    fn put_f64(&mut self, n: f64) {
        self.put_slice(&n.to_be_bytes());
    }
}

impl<B: BufMut> EncodeBuf for B {
    #[inline]
    fn put_slice(&mut self, src: &[u8]) {
        BufMut::put_slice(self, src);
    }
}

/// An encoding buffer that keeps every [`Bytes`] value of at least
/// [`Chunks::SHARE_FROM`] bytes written with
/// [`put_shared`](EncodeBuf::put_shared) as a chunk of its own, by
/// reference, and copies the rest: the encoded message is its
/// [`chunks`](Chunks::into_chunks) in order (for a vectored write).
///
/// ```
/// use bytes::Bytes;
/// use krafka_core::codec::{Chunks, EncodeBuf};
///
/// let batch = Bytes::from(vec![7u8; 8192]);
/// let mut buf = Chunks::with_capacity(16);
/// buf.put_i32(8192);
/// buf.put_shared(&batch);
/// buf.put_u8(0);
/// assert_eq!(buf.len(), 4 + 8192 + 1);
/// let chunks = buf.into_chunks();
/// assert_eq!(chunks.len(), 3);
/// // The batch was not copied.
/// assert_eq!(chunks[1].as_ptr(), batch.as_ptr());
/// ```
#[derive(Debug, Default)]
pub struct Chunks {
    /// What was copied since the last shared chunk.
    head: BytesMut,
    chunks: Vec<Bytes>,
    len: usize,
}

impl Chunks {
    /// Shared values shorter than this are copied: a chunk costs an
    /// allocation-free reference but one more slice in the write.
    pub const SHARE_FROM: usize = 4096;

    /// An empty buffer with room for `capacity` copied bytes.
    pub fn with_capacity(capacity: usize) -> Chunks {
        Chunks {
            head: BytesMut::with_capacity(capacity),
            chunks: Vec::new(),
            len: 0,
        }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes written, in order, as chunks.
    pub fn into_chunks(mut self) -> Vec<Bytes> {
        if !self.head.is_empty() {
            self.chunks.push(self.head.freeze());
        }
        self.chunks
    }
}

impl EncodeBuf for Chunks {
    #[inline]
    fn put_slice(&mut self, src: &[u8]) {
        self.head.extend_from_slice(src);
        self.len += src.len();
    }

    fn put_shared(&mut self, bytes: &Bytes) {
        if bytes.len() < Chunks::SHARE_FROM {
            self.put_slice(bytes);
            return;
        }
        if !self.head.is_empty() {
            self.chunks.push(self.head.split().freeze());
        }
        self.chunks.push(bytes.clone());
        self.len += bytes.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_hold_what_a_copying_buffer_holds() {
        let small = Bytes::from_static(b"small");
        let large = Bytes::from(vec![3u8; Chunks::SHARE_FROM]);
        let mut chunks = Chunks::with_capacity(0);
        let mut copied = BytesMut::new();
        for value in [&small, &large, &large, &small] {
            chunks.put_i16(-2);
            chunks.put_shared(value);
            EncodeBuf::put_i16(&mut copied, -2);
            EncodeBuf::put_shared(&mut copied, value);
        }
        assert_eq!(chunks.len(), copied.len());
        let parts = chunks.into_chunks();
        // Copied head, large, copied i16, large, copied rest.
        assert_eq!(parts.len(), 5);
        assert_eq!(parts[1].as_ptr(), large.as_ptr());
        assert_eq!(parts[3].as_ptr(), large.as_ptr());
        assert_eq!(parts.concat(), copied.to_vec());
    }
}
