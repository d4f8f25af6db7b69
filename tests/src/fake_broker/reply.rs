//! What the fake broker does with one request.

use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use krafka_core::codec::Message;
use krafka_core::messages::{ApiVersionsResponse, ResponseHeader};
use tokio::net::TcpStream;

use super::{Request, write};

type Encoder = Box<dyn FnOnce(i16) -> Result<(i16, BytesMut), String> + Send>;

/// The fake broker's answer to one request.
pub struct Reply(Kind);

enum Kind {
    /// A response header with the request's correlation id, then a body
    /// written for the request's version.
    Body(Encoder),
    /// Bytes written as they are (size prefix included, or not).
    Frame(Bytes),
    /// No answer; the connection stays open.
    Silence,
    /// The connection is closed.
    Close,
    /// The reply, after a pause.
    Delayed(Duration, Box<Reply>),
    /// The reply's body cut to this many bytes (the size prefix says so).
    Truncated(usize, Box<Reply>),
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Kind::Body(_) => f.write_str("Reply::Body"),
            Kind::Frame(bytes) => write!(f, "Reply::Frame({} bytes)", bytes.len()),
            Kind::Silence => f.write_str("Reply::Silence"),
            Kind::Close => f.write_str("Reply::Close"),
            Kind::Delayed(by, reply) => write!(f, "Reply::Delayed({by:?}, {reply:?})"),
            Kind::Truncated(keep, reply) => write!(f, "Reply::Truncated({keep}, {reply:?})"),
        }
    }
}

impl Reply {
    /// `message`, encoded at the request's version.
    pub fn message<M: Message + Send + 'static>(message: M) -> Reply {
        Reply(Kind::Body(Box::new(move |version| {
            let mut body = BytesMut::new();
            message
                .encode_version(&mut body, version)
                .map_err(|e| format!("{} v{version}: {e}", M::NAME))?;
            Ok((response_header_version::<M>(version), body))
        })))
    }

    /// `body` as the body of an `M` (raw bytes: counts that lie, fields
    /// that do not exist), after a response header of `M`'s version.
    pub fn raw<M: Message>(body: Bytes) -> Reply {
        Reply(Kind::Body(Box::new(move |version| {
            Ok((
                response_header_version::<M>(version),
                BytesMut::from(&body[..]),
            ))
        })))
    }

    /// These bytes, as they are: the whole frame, size prefix included.
    pub fn frame(bytes: impl Into<Bytes>) -> Reply {
        Reply(Kind::Frame(bytes.into()))
    }

    /// A frame announcing `size` bytes, followed by 64 zero bytes.
    pub fn oversized(size: i32) -> Reply {
        let mut frame = BytesMut::new();
        frame.put_i32(size);
        frame.put_slice(&[0u8; 64]);
        Reply::frame(frame.freeze())
    }

    /// Kafka's answer to an ApiVersions request above the versions it
    /// speaks: UNSUPPORTED_VERSION with `versions`' ranges, in the v0 layout
    /// whatever the request's version.
    pub fn unsupported_api_versions(mut versions: ApiVersionsResponse) -> Reply {
        versions.error_code = krafka_core::ErrorCode::UnsupportedVersion.code();
        Reply(Kind::Body(Box::new(move |_| {
            let mut body = BytesMut::new();
            versions
                .encode_version(&mut body, 0)
                .map_err(|e| format!("ApiVersionsResponse v0: {e}"))?;
            Ok((0, body))
        })))
    }

    /// No answer; the connection stays open.
    pub fn silence() -> Reply {
        Reply(Kind::Silence)
    }

    /// Closes the connection instead of answering.
    pub fn close() -> Reply {
        Reply(Kind::Close)
    }

    /// This reply, `by` later (the connection reads nothing meanwhile).
    pub fn delayed(self, by: Duration) -> Reply {
        Reply(Kind::Delayed(by, Box::new(self)))
    }

    /// This reply with its header and body cut to `keep` bytes, and a size
    /// prefix that says so: a response that ends early.
    pub fn truncated(self, keep: usize) -> Reply {
        Reply(Kind::Truncated(keep, Box::new(self)))
    }

    /// Writes the reply; `false` when the connection is to be dropped.
    pub(crate) async fn send(self, socket: &mut TcpStream, request: &Request) -> bool {
        let mut reply = self;
        let mut keep = usize::MAX;
        loop {
            match reply.0 {
                Kind::Delayed(by, inner) => {
                    tokio::time::sleep(by).await;
                    reply = *inner;
                }
                Kind::Truncated(cut, inner) => {
                    keep = keep.min(cut);
                    reply = *inner;
                }
                Kind::Silence => return true,
                Kind::Close => return false,
                Kind::Frame(bytes) => return write(socket, &bytes).await,
                Kind::Body(encode) => {
                    let (header_version, body) = match encode(request.version) {
                        Ok(encoded) => encoded,
                        Err(error) => panic!("fake broker cannot encode its reply: {error}"),
                    };
                    let mut payload = BytesMut::new();
                    ResponseHeader {
                        correlation_id: request.correlation_id,
                        ..Default::default()
                    }
                    .encode_version(&mut payload, header_version)
                    .expect("response header");
                    payload.put_slice(&body);
                    payload.truncate(keep);
                    let mut frame = BytesMut::with_capacity(payload.len() + 4);
                    frame.put_i32(i32::try_from(payload.len()).expect("frame size"));
                    frame.put_slice(&payload);
                    return write(socket, &frame).await;
                }
            }
        }
    }
}

/// The response header version of `M` at `version`: ApiVersions answers
/// always use version 0, so that any client can read them.
fn response_header_version<M: Message>(version: i16) -> i16 {
    if M::NAME == "ApiVersionsResponse" {
        0
    } else {
        M::header_version(version).unwrap_or(0)
    }
}
