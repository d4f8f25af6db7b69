//! One connection to one broker: framing, correlation, pipelining, version
//! negotiation.
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use krafka_client::connection::{Connection, ConnectionConfig};
//! use krafka_core::messages::MetadataRequest;
//! use krafka_core::{ApiKey, versions};
//!
//! let conn = Connection::connect("127.0.0.1:9092", &ConnectionConfig::default()).await?;
//! let fetch = conn
//!     .negotiate_api_version(ApiKey::Fetch, versions::FETCH_MAX, versions::FETCH_MIN)
//!     .await;
//! let produce = conn
//!     .negotiate_api_version_max(ApiKey::Produce, versions::PRODUCE_MAX)
//!     .await;
//! let metadata = conn.send_negotiated(&MetadataRequest::default()).await?;
//! # let _ = (fetch, produce, metadata);
//! # Ok(())
//! # }
//! ```
//!
//! A [`Connection`] is a cheap, cloneable handle. One task owns the socket;
//! callers encode their request themselves, hand the frame over a bounded
//! channel and wait on a oneshot, so many requests are in flight at once
//! (Kafka answers them in order). The ApiVersions handshake finishes before
//! [`Connection::connect`] returns.

mod frame;
mod io;
mod versions;

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use krafka_core::codec::{Encode, Message, Request, VersionRange};
use krafka_core::messages::{
    ApiVersionsRequest, ApiVersionsResponse, RequestHeader, ResponseHeader,
};
use krafka_core::{ApiKey, ErrorCode, KrafkaError};
use tokio::net::TcpStream;
use tokio::sync::{Notify, mpsc, oneshot};

pub use versions::ApiVersionRanges;

use io::{Command, IoTask, Reply};

/// Settings of one connection.
#[derive(Debug, Clone)]
pub struct ConnectionConfig {
    /// The client id sent in every request header (`client.id`).
    pub client_id: Option<String>,
    /// How long a request may wait for its response (`request.timeout.ms`).
    pub request_timeout: Duration,
    /// How long opening the TCP connection may take
    /// (`socket.connection.setup.timeout.ms`).
    pub connect_timeout: Duration,
    /// The largest response frame accepted; larger ones tear the connection
    /// down with [`KrafkaError::FrameTooLarge`].
    pub max_frame_size: usize,
    /// How many requests may await their response at once.
    pub max_in_flight: usize,
    /// How many encoded requests may wait for the I/O task (the bound of its
    /// channel; senders wait when it is full).
    pub queue_size: usize,
}

impl Default for ConnectionConfig {
    fn default() -> Self {
        ConnectionConfig {
            client_id: Some("krafka".to_owned()),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_frame_size: 100 * 1024 * 1024,
            max_in_flight: 512,
            queue_size: 256,
        }
    }
}

/// State shared by the handles and the I/O task.
pub(crate) struct Shared {
    pub(crate) peer: String,
    client_id: Option<String>,
    request_timeout: Duration,
    next_correlation_id: AtomicI32,
    api_versions: OnceLock<ApiVersionRanges>,
    api_versions_version: OnceLock<i16>,
    /// The error the connection died of.
    pub(crate) failure: OnceLock<KrafkaError>,
    pub(crate) shutdown: Notify,
    /// Set by `close()` at once, before the I/O task has noticed, so that a
    /// pool never hands out a connection that is being shut.
    pub(crate) closing: AtomicBool,
}

/// A handle to one broker connection. Clones share the connection.
#[derive(Clone)]
pub struct Connection {
    shared: Arc<Shared>,
    commands: mpsc::Sender<Command>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("peer", &self.shared.peer)
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl Connection {
    /// Opens a connection to `addr` (`host:port`) and runs the ApiVersions
    /// handshake.
    pub async fn connect(addr: &str, config: &ConnectionConfig) -> Result<Connection, KrafkaError> {
        let stream = tokio::time::timeout(config.connect_timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| {
                KrafkaError::timeout(format!("connecting to {addr}"), config.connect_timeout)
            })?
            .map_err(|e| KrafkaError::network(addr, e))?;
        Self::from_stream(stream, addr, config).await
    }

    /// Runs the handshake on an already open stream.
    pub async fn from_stream(
        stream: TcpStream,
        peer: &str,
        config: &ConnectionConfig,
    ) -> Result<Connection, KrafkaError> {
        if config.max_frame_size < 4 {
            return Err(KrafkaError::config(
                "max frame size must be at least 4 bytes",
            ));
        }
        let _ = stream.set_nodelay(true);
        let shared = Arc::new(Shared {
            peer: peer.to_owned(),
            client_id: config.client_id.clone(),
            request_timeout: config.request_timeout,
            next_correlation_id: AtomicI32::new(0),
            api_versions: OnceLock::new(),
            api_versions_version: OnceLock::new(),
            failure: OnceLock::new(),
            shutdown: Notify::new(),
            closing: AtomicBool::new(false),
        });
        let (tx, rx) = mpsc::channel(config.queue_size.max(1));
        let task = IoTask::new(
            Arc::clone(&shared),
            rx,
            config.max_frame_size,
            config.max_in_flight,
        );
        tokio::spawn(task.run(stream));
        let conn = Connection {
            shared,
            commands: tx,
        };
        match conn.handshake().await {
            Ok(()) => Ok(conn),
            Err(error) => {
                conn.close();
                Err(error)
            }
        }
    }

    /// ApiVersions at the newest version krafka speaks; when the broker
    /// answers UNSUPPORTED_VERSION it lists (in the v0 layout) what it speaks,
    /// and the request is repeated at the highest version both sides know.
    async fn handshake(&self) -> Result<(), KrafkaError> {
        use krafka_core::versions::{API_VERSIONS_FALLBACK, API_VERSIONS_MAX, API_VERSIONS_MIN};
        let request = ApiVersionsRequest {
            client_software_name: "krafka".to_owned(),
            client_software_version: env!("CARGO_PKG_VERSION").to_owned(),
            ..Default::default()
        };
        let mut version = API_VERSIONS_MAX;
        loop {
            let frame = self
                .roundtrip(&request, version, self.shared.request_timeout, || ())
                .await?;
            // ApiVersions responses always use header v0: just the correlation id.
            let mut body = frame.slice(4.min(frame.len())..);
            let error_code = body.get(..2).map(|b| i16::from_be_bytes([b[0], b[1]]));
            if error_code == Some(ErrorCode::UnsupportedVersion.code())
                && version > API_VERSIONS_MIN
            {
                let fallback =
                    ApiVersionsResponse::decode_version(&mut body, API_VERSIONS_FALLBACK)?;
                let broker_max = fallback
                    .api_keys
                    .iter()
                    .find(|k| k.api_key == ApiKey::ApiVersions.key())
                    .map_or(API_VERSIONS_FALLBACK, |k| k.max_version);
                let next = broker_max.min(API_VERSIONS_MAX);
                if next >= version || next < API_VERSIONS_MIN {
                    return Err(KrafkaError::UnsupportedVersion {
                        api: ApiKey::ApiVersions,
                        client_min: API_VERSIONS_MIN,
                        client_max: API_VERSIONS_MAX,
                        broker: format!("up to {broker_max}"),
                    });
                }
                tracing::debug!(peer = %self.shared.peer, version, next, "ApiVersions downgrade");
                version = next;
                continue;
            }
            let response = ApiVersionsResponse::decode_version(&mut body, version)?;
            KrafkaError::check_code(response.error_code, None)?;
            let _ = self
                .shared
                .api_versions
                .set(ApiVersionRanges::from_response(&response));
            let _ = self.shared.api_versions_version.set(version);
            return Ok(());
        }
    }

    /// The broker address this connection talks to.
    pub fn peer(&self) -> &str {
        &self.shared.peer
    }

    /// The version ranges the broker advertised in the handshake.
    pub fn api_versions(&self) -> &ApiVersionRanges {
        static EMPTY: OnceLock<ApiVersionRanges> = OnceLock::new();
        self.shared
            .api_versions
            .get()
            .unwrap_or_else(|| EMPTY.get_or_init(ApiVersionRanges::default))
    }

    /// The ApiVersions version the handshake settled on.
    pub fn api_versions_version(&self) -> Option<i16> {
        self.shared.api_versions_version.get().copied()
    }

    /// The highest version of `api` in `[min, max]` the broker supports
    /// (`None` when there is none). Produce never goes below
    /// [`krafka_core::versions::PRODUCE_MIN`], whatever the broker advertises.
    pub async fn negotiate_api_version(&self, api: ApiKey, max: i16, min: i16) -> Option<i16> {
        self.api_versions().negotiate(api, max, min)
    }

    /// [`Connection::negotiate_api_version`] with no lower bound.
    pub async fn negotiate_api_version_max(&self, api: ApiKey, max: i16) -> Option<i16> {
        self.api_versions()
            .negotiate(api, max, VersionRange::ALL.min)
    }

    /// The version [`Connection::send_negotiated`] uses for `R`: the highest
    /// one krafka, the message type and the broker all support.
    pub fn version_for<R: Request>(&self) -> Result<i16, KrafkaError> {
        let api = R::API_KEY;
        let (client_min, client_max) = krafka_core::versions::supported(api)
            .map(|(min, max)| (min.max(R::VERSIONS.min), max.min(R::VERSIONS.max)))
            .unwrap_or((R::VERSIONS.min, R::VERSIONS.max));
        self.api_versions()
            .negotiate(api, client_max, client_min)
            .ok_or_else(|| KrafkaError::UnsupportedVersion {
                api,
                client_min,
                client_max,
                broker: self
                    .api_versions()
                    .broker_range(api)
                    .map_or_else(|| "nothing".to_owned(), |(min, max)| format!("{min}-{max}")),
            })
    }

    /// Sends `request` at the highest version both sides support.
    pub async fn send_negotiated<R: Request>(
        &self,
        request: &R,
    ) -> Result<R::Response, KrafkaError> {
        let version = self.version_for::<R>()?;
        self.send(request, version).await
    }

    /// Sends `request` as `version` and waits (at most `request.timeout.ms`)
    /// for its response.
    ///
    /// A Produce request with `acks = 0` gets no response from Kafka; send it
    /// with [`Connection::send_without_response`].
    pub async fn send<R: Request>(
        &self,
        request: &R,
        version: i16,
    ) -> Result<R::Response, KrafkaError> {
        self.send_with_timeout(request, version, self.shared.request_timeout)
            .await
    }

    /// [`Connection::send`] with its own timeout (long polls).
    pub async fn send_with_timeout<R: Request>(
        &self,
        request: &R,
        version: i16,
        timeout: Duration,
    ) -> Result<R::Response, KrafkaError> {
        self.exchange(request, version, timeout, || ()).await
    }

    /// [`Connection::send`] that calls `queued` as soon as the request has
    /// its place in the connection's write order (and drops it when the
    /// request fails before that). Requests queued one after another are
    /// written in that order, so a caller can let the next request go
    /// without waiting for this one's response.
    pub async fn send_in_order<R: Request>(
        &self,
        request: &R,
        version: i16,
        queued: impl FnOnce(),
    ) -> Result<R::Response, KrafkaError> {
        self.exchange(request, version, self.shared.request_timeout, queued)
            .await
    }

    async fn exchange<R: Request>(
        &self,
        request: &R,
        version: i16,
        timeout: Duration,
        queued: impl FnOnce(),
    ) -> Result<R::Response, KrafkaError> {
        if !request.expects_response() {
            return Err(KrafkaError::state(format!(
                "this {} gets no response (Produce with acks=0): use send_without_response",
                R::NAME
            )));
        }
        let frame = self.roundtrip(request, version, timeout, queued).await?;
        decode_response::<R::Response>(&self.shared.peer, frame, version)
    }

    /// Writes `request` and returns once it is on the socket, without waiting
    /// for a response (Produce with `acks = 0`, which Kafka never answers).
    pub async fn send_without_response<R: Request>(
        &self,
        request: &R,
        version: i16,
    ) -> Result<(), KrafkaError> {
        // Anything else is answered, and an answer nobody waits for would
        // break the in-order bookkeeping and tear the connection down.
        if request.expects_response() {
            return Err(KrafkaError::state(format!(
                "this {} is answered; only requests that expect no response (Produce with acks=0) \
                 go without",
                R::NAME
            )));
        }
        let (correlation_id, frame) = self.encode(request, version)?;
        let (tx, rx) = oneshot::channel();
        let command = Command {
            frame,
            correlation_id,
            reply: Reply::Written(tx),
        };
        let timeout = self.shared.request_timeout;
        let peer = &self.shared.peer;
        tokio::time::timeout(timeout, async {
            self.enqueue(command).await?;
            rx.await.map_err(|_| self.failure())?
        })
        .await
        .map_err(|_| KrafkaError::timeout(format!("writing {} to {peer}", R::NAME), timeout))?
    }

    /// Sends and returns the raw response frame (header included);
    /// `queued` runs once the request is in the write queue, and is dropped
    /// unrun when it never gets there.
    async fn roundtrip<R: Request>(
        &self,
        request: &R,
        version: i16,
        timeout: Duration,
        queued: impl FnOnce(),
    ) -> Result<Bytes, KrafkaError> {
        let (correlation_id, frame) = self.encode(request, version)?;
        let (tx, rx) = oneshot::channel();
        let command = Command {
            frame,
            correlation_id,
            reply: Reply::Response(tx),
        };
        let peer = &self.shared.peer;
        tokio::time::timeout(timeout, async {
            let enqueued = self.enqueue(command).await;
            queued();
            enqueued?;
            rx.await.map_err(|_| self.failure())?
        })
        .await
        .map_err(|_| {
            // Like the Java client: a request that timed out leaves the
            // connection in an unknown state (and holds an in-flight slot),
            // so drop it; the pool reconnects.
            self.close();
            KrafkaError::timeout(
                format!(
                    "{} v{version} to {peer} (correlation id {correlation_id})",
                    R::NAME
                ),
                timeout,
            )
        })?
    }

    async fn enqueue(&self, command: Command) -> Result<(), KrafkaError> {
        if let Some(error) = self.shared.failure.get() {
            return Err(error.clone());
        }
        if self.shared.closing.load(Ordering::Acquire) {
            return Err(self.failure());
        }
        self.commands
            .send(command)
            .await
            .map_err(|_| self.failure())
    }

    /// Encodes header and body into one frame, size prefix included.
    fn encode<R: Request>(&self, request: &R, version: i16) -> Result<(i32, Bytes), KrafkaError> {
        let header_version = R::header_version(version).ok_or_else(|| {
            KrafkaError::state(format!("{} has no request header version", R::NAME))
        })?;
        let correlation_id = self.next_correlation_id();
        let header = RequestHeader {
            request_api_key: R::API_KEY.key(),
            request_api_version: version,
            correlation_id,
            client_id: self.shared.client_id.clone(),
            ..Default::default()
        };
        let capacity = 4
            + RequestHeader::context(header_version).map_or(0, |cx| header.encoded_len(cx))
            + R::context(version).map_or(0, |cx| request.encoded_len(cx));
        let mut buf = BytesMut::with_capacity(capacity);
        buf.put_i32(0);
        header.encode_version(&mut buf, header_version)?;
        request.encode_version(&mut buf, version)?;
        let size = i32::try_from(buf.len() - 4)
            .map_err(|_| KrafkaError::state(format!("{} is larger than 2 GiB", R::NAME)))?;
        buf[..4].copy_from_slice(&size.to_be_bytes());
        Ok((correlation_id, buf.freeze()))
    }

    fn next_correlation_id(&self) -> i32 {
        // Wraps around; only the order matters to the connection.
        self.shared
            .next_correlation_id
            .fetch_add(1, Ordering::Relaxed)
            & i32::MAX
    }

    /// The error the connection died of (while it is still closing, a
    /// network error: a request refused then was never sent, so it may be
    /// retried on a new connection).
    fn failure(&self) -> KrafkaError {
        self.shared.failure.get().cloned().unwrap_or_else(|| {
            KrafkaError::network(
                self.shared.peer.clone(),
                std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "the connection is closing",
                ),
            )
        })
    }

    /// The error the connection died of, once it has.
    pub fn error(&self) -> Option<KrafkaError> {
        self.shared.failure.get().cloned()
    }

    /// Whether the connection is dead (every further request fails).
    pub fn is_closed(&self) -> bool {
        self.shared.failure.get().is_some()
            || self.shared.closing.load(Ordering::Acquire)
            || self.commands.is_closed()
    }

    /// Closes the connection: pending requests fail with a (retriable)
    /// network error, the socket is shut.
    pub fn close(&self) {
        self.shared.closing.store(true, Ordering::Release);
        self.shared.shutdown.notify_one();
    }
}

/// Decodes a response frame: the header version comes from the response type
/// (ApiVersions always uses v0), then the body.
fn decode_response<M: Message>(
    peer: &str,
    mut frame: Bytes,
    version: i16,
) -> Result<M, KrafkaError> {
    let header_version = M::header_version(version).ok_or_else(|| {
        KrafkaError::protocol(peer, format!("{} has no response header version", M::NAME))
    })?;
    ResponseHeader::decode_version(&mut frame, header_version)?;
    let body = M::decode_version(&mut frame, version)?;
    if !frame.is_empty() {
        tracing::debug!(
            peer,
            message = M::NAME,
            version,
            extra = frame.len(),
            "trailing bytes after response"
        );
    }
    Ok(body)
}

#[cfg(test)]
mod tests;
