//! Kafka's framing: every request and response is a 4-byte big-endian size
//! followed by that many bytes; a response starts with the correlation id
//! of the request it answers.

use std::collections::VecDeque;

use bytes::{Buf, Bytes, BytesMut};
use krafka_core::KrafkaError;

/// The most a single read grows the buffer by, so that a frame that
/// announces a large size is only allocated as its bytes actually arrive.
pub(crate) const READ_CHUNK: usize = 1024 * 1024;
/// Each read gets at least this much room (reading into a full buffer would
/// only grow it by a few bytes at a time)...
pub(crate) const MIN_READ_SPACE: usize = 8 * 1024;
/// ...by growing it this much.
pub(crate) const READ_SPACE: usize = 64 * 1024;

/// Makes room in the read buffer before a read.
pub(crate) fn make_read_space(read_buf: &mut BytesMut) {
    if read_buf.capacity() - read_buf.len() < MIN_READ_SPACE {
        reserve_exact(read_buf, READ_SPACE);
    }
}

/// Makes room for `additional` more bytes, and no more: `BytesMut::reserve`
/// at least doubles the capacity, so the 2 MiB Fetch responses of a busy
/// consumer grew its read buffer to 4 MiB allocations (the largest single
/// consumer of its heap). A unique buffer is grown in place (`realloc`).
fn reserve_exact(buf: &mut BytesMut, additional: usize) {
    if buf.capacity() - buf.len() >= additional {
        return;
    }
    let mut bytes = Vec::from(std::mem::take(buf));
    bytes.reserve_exact(additional);
    *buf = BytesMut::from(Bytes::from(bytes));
}

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
        reserve_exact(buf, 4 - buf.len());
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
        reserve_exact(buf, (total - buf.len()).min(READ_CHUNK));
        return Ok(None);
    }
    buf.advance(4);
    Ok(Some(buf.split_to(size).freeze()))
}

/// A request written and not answered yet; `R` is how its answer is
/// delivered.
#[derive(Debug)]
pub(crate) struct InFlight<R> {
    pub(crate) correlation_id: i32,
    /// The largest response frame accepted for it.
    pub(crate) max_response_size: usize,
    pub(crate) reply: R,
}

/// Takes every complete response off `read_buf` and hands each to the
/// request at the head of `in_flight` (Kafka answers in order).
///
/// The head request's size limit applies to the frame being read. Bytes with
/// no request pending, a frame too short for a correlation id, or one whose
/// correlation id is not the head request's are protocol errors that end the
/// connection; the mismatched request hears of it through `deliver` too.
pub(crate) fn read_responses<R>(
    read_buf: &mut BytesMut,
    in_flight: &mut VecDeque<InFlight<R>>,
    peer: &str,
    mut deliver: impl FnMut(R, Result<Bytes, KrafkaError>),
) -> Result<(), KrafkaError> {
    while !read_buf.is_empty() {
        let Some(limit) = in_flight.front().map(|p| p.max_response_size) else {
            return Err(KrafkaError::protocol(
                peer,
                format!("{} bytes arrived but no request is pending", read_buf.len()),
            ));
        };
        let Some(frame) = next_frame(read_buf, limit, peer)? else {
            return Ok(());
        };
        let Some(prefix) = frame.first_chunk::<4>() else {
            return Err(KrafkaError::protocol(
                peer,
                format!("response of {} bytes has no correlation id", frame.len()),
            ));
        };
        let correlation_id = i32::from_be_bytes(*prefix);
        let Some(pending) = in_flight.pop_front() else {
            return Err(KrafkaError::protocol(
                peer,
                format!("response with correlation id {correlation_id} but no request is pending"),
            ));
        };
        if pending.correlation_id != correlation_id {
            let error = KrafkaError::protocol(
                peer,
                format!(
                    "response with correlation id {correlation_id}, expected {}",
                    pending.correlation_id
                ),
            );
            deliver(pending.reply, Err(error.clone()));
            return Err(error);
        }
        deliver(pending.reply, Ok(frame));
    }
    Ok(())
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

    #[test]
    fn grows_to_the_frame_not_to_double_the_buffer() {
        // A 2 MiB frame arriving into a buffer read full: each step adds what
        // the frame still needs (at most READ_CHUNK), never a doubling.
        let size = 2 * 1024 * 1024;
        let mut buf = BytesMut::new();
        buf.put_i32(size as i32);
        while buf.len() < 4 + size {
            assert!(next_frame(&mut buf, usize::MAX, "p").unwrap().is_none());
            assert!(
                buf.capacity() <= 4 + size,
                "{} for a {size} B frame",
                buf.capacity()
            );
            let room = (buf.capacity() - buf.len()).min(4 + size - buf.len());
            buf.put_bytes(7, room);
            make_read_space(&mut buf);
            assert!(buf.capacity() <= 4 + size + READ_SPACE);
        }
        let frame = next_frame(&mut buf, usize::MAX, "p").unwrap().unwrap();
        assert_eq!(frame.len(), size);
    }
}
