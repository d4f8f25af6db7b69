//! One connection to one broker: framing, correlation, pipelining, version
//! negotiation.
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use krafka_client::{Connection, ConnectionConfig};
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
//! A [`Connection`] is a cheap, cloneable handle. One task owns the
//! transport (TCP, or any [`Transport`]); callers encode their request
//! themselves, hand the frame over a bounded channel and wait on a oneshot,
//! so many requests are in flight at once (Kafka answers them in order).
//! Setting a connection up is a pipeline of stages, each failure naming its
//! stage ([`KrafkaError::Setup`]): the [`Connector`] opens the transport,
//! TLS runs over it when `security.protocol` asks for it, then the
//! ApiVersions handshake, then SASL authentication when asked for
//! ([`SecurityConfig`]); all finish before [`Connection::connect`] returns.

pub(crate) mod frame;
mod io;
mod pending;
mod reauth;
pub(crate) mod security;
mod setup;
mod transport;
mod versions;

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use krafka_core::codec::{Chunks, DecodeError, Encode, EncodeBuf, Message, Request, VersionRange};
use krafka_core::messages::{RequestHeader, ResponseHeader};
use krafka_core::{ApiKey, KrafkaError};
use tokio::sync::{Notify, mpsc, oneshot};

pub use pending::Pending;
pub(crate) use security::Security;
pub use security::{
    OAuthBearerToken, OAuthBearerTokenProvider, SaslMechanism, SecurityConfig,
    SecurityConfigBuilder, SecurityProtocol, StaticToken, TokenFuture, TokenProvider,
};
pub use transport::{BoxTransport, ConnectFuture, Connector, Tcp, Transport};
pub use versions::ApiVersionRanges;

use io::{Command, Frame, Reply};

/// Room first made for the copied part of a request: its record batches of
/// 4 KiB or more are not copied, so a Produce request's size says little.
const COPIED_CAPACITY: usize = 64 * 1024;

/// The tracing target of the protocol summaries: one debug event per
/// request and per response, and the versions negotiated with each
/// broker (`krafka -d protocol` shows them).
pub const PROTOCOL_TRACE: &str = "krafka::protocol";

crate::settings::settings_table! {
    /// Settings of one connection.
    pub struct ConnectionConfig, builder ConnectionConfigBuilder;
    /// TLS and SASL: `security.protocol`, `ssl.*`, `sasl.*`.
    nested security: SecurityConfig;
    properties {
        /// The client id sent in every request header.
        client_id: Option<String> = Some("krafka".to_owned()), "client.id";
        /// How long a request may wait for its response.
        request_timeout: Duration = Duration::from_secs(30), "request.timeout.ms",
            min Duration::from_millis(1);
        /// How long opening the TCP connection may take.
        connect_timeout: Duration = Duration::from_secs(10), "socket.connection.setup.timeout.ms";
        /// The largest response frame accepted; larger ones tear the
        /// connection down with [`KrafkaError::FrameTooLarge`].
        max_frame_size: usize = 100 * 1024 * 1024, min 4;
        /// How many requests may await their response at once.
        max_in_flight: usize = 512;
        /// How many encoded requests may wait for the I/O task (the bound of
        /// its channel; senders wait when it is full).
        queue_size: usize = 256;
    }
}

/// State shared by the handles and the I/O task.
pub(crate) struct Shared {
    pub(crate) peer: String,
    client_id: Option<String>,
    request_timeout: Duration,
    max_frame_size: usize,
    next_correlation_id: AtomicI32,
    api_versions: OnceLock<ApiVersionRanges>,
    api_versions_version: OnceLock<i16>,
    /// The error the connection died of.
    pub(crate) failure: OnceLock<KrafkaError>,
    pub(crate) shutdown: Notify,
    /// Set by `close()` at once, before the I/O task has noticed, so that a
    /// pool never hands out a connection that is being shut.
    pub(crate) closing: AtomicBool,
    /// Gives the I/O task a channel whose commands alone it takes until the
    /// channel closes (re-authentication must not interleave with others).
    exclusive_requests: mpsc::Sender<mpsc::Receiver<Command>>,
    /// Completed SASL re-authentications (KIP-368).
    reauthentications: AtomicU64,
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
    /// Opens a TCP connection to `addr` (`host:port`) and runs the
    /// ApiVersions handshake.
    pub async fn connect(addr: &str, config: &ConnectionConfig) -> Result<Connection, KrafkaError> {
        Self::establish(&Tcp, addr, config).await
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
        let client_min = client_min.max(versions::client_floor(api));
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

    /// The limits a request gets unless it asks for others: the
    /// connection's `request.timeout.ms` and largest response frame.
    pub fn default_limits(&self) -> Limits {
        Limits {
            timeout: self.shared.request_timeout,
            max_response_size: self.shared.max_frame_size,
        }
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
    /// A Produce request with `acks = 0` gets no response from Kafka: queue it
    /// with [`Connection::queue`], whose [`Pending`] resolves once it is
    /// written.
    pub async fn send<R: Request>(
        &self,
        request: &R,
        version: i16,
    ) -> Result<R::Response, KrafkaError> {
        self.send_with(request, version, self.default_limits())
            .await
    }

    /// [`Connection::send`] with other limits (a fetch long poll waits
    /// longer and takes larger responses).
    pub async fn send_with<R: Request>(
        &self,
        request: &R,
        version: i16,
        limits: Limits,
    ) -> Result<R::Response, KrafkaError> {
        if !request.expects_response() {
            return Err(KrafkaError::state(
                "a Produce request with acks=0 gets no response: use queue",
            ));
        }
        let mut pending = self.queue(request, version, limits).await?;
        pending
            .wait()
            .await?
            .ok_or_else(|| KrafkaError::state(format!("{} was answered with nothing", R::NAME)))
    }

    /// Queues `request` as `version` on the connection and returns once it
    /// has its place in the write order: requests queued one after another
    /// are written, and answered, in that order. The returned [`Pending`]
    /// waits for the response (or, for a request Kafka does not answer, for
    /// the write), at most `limits.timeout` after this call began.
    pub async fn queue<R: Request>(
        &self,
        request: &R,
        version: i16,
        limits: Limits,
    ) -> Result<Pending<R::Response>, KrafkaError> {
        let (correlation_id, frame) = self.encode(request, version)?;
        tracing::debug!(
            target: PROTOCOL_TRACE,
            peer = %self.shared.peer,
            correlation_id,
            size = frame.len(),
            "request {} v{version}",
            R::NAME,
        );
        let (reply, waiting) = if request.expects_response() {
            let (tx, rx) = oneshot::channel();
            (Reply::Response(tx), pending::Waiting::Response(rx))
        } else {
            let (tx, rx) = oneshot::channel();
            (Reply::Written(tx), pending::Waiting::Written(rx))
        };
        let command = Command {
            frame,
            correlation_id,
            max_response_size: limits.max_response_size,
            reply,
        };
        let pending = Pending::new(
            self.clone(),
            waiting,
            limits.timeout,
            R::NAME,
            version,
            correlation_id,
        );
        match tokio::time::timeout_at(pending.deadline(), self.enqueue(command)).await {
            Ok(queued) => queued.map(|()| pending),
            Err(_) => Err(pending.timed_out()),
        }
    }

    /// Sends `request` and returns its raw response frame (header included).
    async fn queue_raw<R: Request>(
        &self,
        request: &R,
        version: i16,
        limits: Limits,
    ) -> Result<Bytes, KrafkaError> {
        let mut pending = self.queue(request, version, limits).await?;
        pending
            .wait_frame()
            .await?
            .ok_or_else(|| KrafkaError::state(format!("{} was answered with nothing", R::NAME)))
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
    fn encode<R: Request>(&self, request: &R, version: i16) -> Result<(i32, Frame), KrafkaError> {
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
        let size = RequestHeader::context(header_version).map_or(0, |cx| header.encoded_len(cx))
            + R::context(version).map_or(0, |cx| request.encoded_len(cx));
        let prefix = i32::try_from(size)
            .map_err(|_| KrafkaError::state(format!("{} is larger than 2 GiB", R::NAME)))?;
        // Record batches are kept by reference, not copied into the frame:
        // the I/O task writes the chunks with one vectored write.
        let mut buf = Chunks::with_capacity((4 + size).min(COPIED_CAPACITY));
        buf.put_i32(prefix);
        header.encode_version(&mut buf, header_version)?;
        request.encode_version(&mut buf, version)?;
        if buf.len() != 4 + size {
            return Err(KrafkaError::state(format!(
                "{} encoded to {} bytes, not the {size} its encoded_len said",
                R::NAME,
                buf.len() - 4
            )));
        }
        Ok((correlation_id, Frame(buf.into_chunks())))
    }

    fn next_correlation_id(&self) -> i32 {
        // Wraps around; only the order matters to the connection.
        self.shared
            .next_correlation_id
            .fetch_add(1, Ordering::Relaxed)
            & i32::MAX
    }

    /// The error the connection died of (while it is still closing,
    /// `ConnectionClosed`: a request refused then was never sent, so it may
    /// be retried on a new connection).
    fn failure(&self) -> KrafkaError {
        self.shared
            .failure
            .get()
            .cloned()
            .unwrap_or_else(|| KrafkaError::ConnectionClosed {
                peer: self.shared.peer.clone(),
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
    /// [`KrafkaError::ConnectionClosed`], the transport is shut.
    pub fn close(&self) {
        self.shared.closing.store(true, Ordering::Release);
        self.shared.shutdown.notify_one();
    }
}

/// How long a request may wait for its answer, and how large the answer may
/// be (a larger size prefix tears the connection down before anything of
/// that size is allocated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From queueing to the response (`request.timeout.ms` by default).
    pub timeout: Duration,
    /// The largest response frame accepted, in bytes.
    pub max_response_size: usize,
}

/// Decodes a response frame: the header version comes from the response type
/// (ApiVersions always uses v0), then the body.
pub(crate) fn decode_response<M: Message>(
    peer: &str,
    frame: Bytes,
    version: i16,
) -> Result<M, KrafkaError> {
    decode_response_with(
        peer,
        frame,
        M::NAME,
        M::header_version(version),
        version,
        |body| M::decode_version(body, version),
    )
}

/// [`decode_response`] for a response type known only at run time: `body`
/// decodes what follows the header (version `version`).
pub(crate) fn decode_response_with<T>(
    peer: &str,
    mut frame: Bytes,
    name: &str,
    header_version: Option<i16>,
    version: i16,
    body: impl FnOnce(&mut Bytes) -> Result<T, DecodeError>,
) -> Result<T, KrafkaError> {
    let header_version = header_version.ok_or_else(|| {
        KrafkaError::protocol(peer, format!("{name} has no response header version"))
    })?;
    ResponseHeader::decode_version(&mut frame, header_version)?;
    let body = body(&mut frame)?;
    if !frame.is_empty() {
        tracing::debug!(
            peer,
            message = name,
            version,
            extra = frame.len(),
            "trailing bytes after response"
        );
    }
    Ok(body)
}

#[cfg(test)]
mod tests;
