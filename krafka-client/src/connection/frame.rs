//! Kafka's framing: every request and response is a 4-byte big-endian size
//! followed by that many bytes.

use bytes::{Buf, Bytes, BytesMut};
use krafka_core::KrafkaError;

/// The most a single read grows the buffer by, so that a frame that
/// announces a large size is only allocated as its bytes actually arrive.
pub(crate) const READ_CHUNK: usize = 1024 * 1024;

/// Takes the next complete frame (without its size prefix) off `buf`.
///
/// `Ok(None)` means more bytes are needed; the buffer then has room reserved
/// for (part of) the rest of the frame. A size above `max` (or negative) is
/// refused before anything of that size is allocated.
pub(crate) fn next_frame(
    buf: &mut BytesMut,
    max: usize,
    peer: &str,
) -> Result<Option<Bytes>, KrafkaError> {
    let Some(prefix) = buf.get(..4) else {
        buf.reserve(4);
        return Ok(None);
    };
    let size = i32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
    let size = match usize::try_from(size) {
        Ok(size) if size <= max => size,
        _ => {
            return Err(KrafkaError::FrameTooLarge {
                peer: peer.to_owned(),
                size: i64::from(size),
                max,
            });
        }
    };
    let total = 4 + size;
    if buf.len() < total {
        buf.reserve((total - buf.len()).min(READ_CHUNK));
        return Ok(None);
    }
    buf.advance(4);
    Ok(Some(buf.split_to(size).freeze()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BufMut;

    #[test]
    fn splits_frames_and_waits_for_more() {
        let mut buf = BytesMut::new();
        buf.put_i32(3);
        buf.put_slice(b"abc");
        buf.put_i32(2);
        buf.put_slice(b"d");
        assert_eq!(next_frame(&mut buf, 10, "p").unwrap().unwrap(), &b"abc"[..]);
        assert!(next_frame(&mut buf, 10, "p").unwrap().is_none());
        buf.put_slice(b"e");
        assert_eq!(next_frame(&mut buf, 10, "p").unwrap().unwrap(), &b"de"[..]);
        assert!(buf.is_empty());
    }

    #[test]
    fn refuses_large_and_negative_sizes_without_allocating() {
        let mut buf = BytesMut::new();
        buf.put_i32(i32::MAX);
        let before = buf.capacity();
        let err = next_frame(&mut buf, 1024, "p").unwrap_err();
        assert!(
            matches!(err, KrafkaError::FrameTooLarge { size, max: 1024, .. } if size == i64::from(i32::MAX))
        );
        assert_eq!(buf.capacity(), before);
        let mut buf = BytesMut::new();
        buf.put_i32(-1);
        assert!(matches!(
            next_frame(&mut buf, 1024, "p"),
            Err(KrafkaError::FrameTooLarge { size: -1, .. })
        ));
    }

    #[test]
    fn grows_in_chunks() {
        let mut buf = BytesMut::new();
        buf.put_i32(100 * 1024 * 1024);
        assert!(next_frame(&mut buf, usize::MAX, "p").unwrap().is_none());
        assert!(buf.capacity() <= READ_CHUNK + 4096);
    }
}
