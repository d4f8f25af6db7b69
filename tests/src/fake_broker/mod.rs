//! A scriptable fake Kafka broker, for the faults a real broker cannot be
//! made to produce: lying counts and indexes, dropped partitions, error codes
//! on demand, delays, truncated or oversized frames, silence.
//!
//! It listens on `127.0.0.1:0`, answers ApiVersions with the versions krafka
//! speaks (or the ranges a [`Script`] sets; an ApiVersions request above the
//! advertised range gets UNSUPPORTED_VERSION and the ranges in the v0
//! layout, as Kafka answers), and hands every other request to the handler
//! the script has for its API, which returns a [`Reply`]. It counts the
//! connections it accepted and the requests of each API it received (and
//! at which versions).
//!
//! ```no_run
//! # async fn demo() {
//! use krafka_core::ApiKey;
//! use krafka_core::messages::MetadataResponse;
//! use krafka_tests::fake_broker::{FakeBroker, FakeCluster, Reply};
//!
//! let cluster = FakeCluster::new().topic("events", 3);
//! let lying = cluster.clone();
//! let fake = FakeBroker::start(cluster.script().on(ApiKey::Metadata, move |request| {
//!     let mut metadata: MetadataResponse = lying.metadata(request);
//!     metadata.topics[0].partitions[0].partition_index = 2_000_000_000;
//!     Reply::message(metadata)
//! }))
//! .await;
//! // … point a client at `fake.addr` …
//! assert!(fake.requests(ApiKey::Metadata) > 0);
//! # }
//! ```

mod cluster;
pub mod crafted;
pub mod presets;
mod reply;
mod request;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use krafka_core::ApiKey;
use krafka_core::messages::ApiVersionsResponse;
use krafka_core::messages::api_versions::ApiVersion;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub use cluster::{FakeCluster, FakeRecord, NODE_ID, PRODUCER_ID};
pub use reply::Reply;
pub use request::Request;

/// What answers one API: given the request, the reply.
pub type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// The largest request frame the fake reads (a client bug, not a test's
/// intent, would send more).
const MAX_REQUEST: usize = 64 * 1024 * 1024;

/// How the fake answers: a handler per API and the version ranges it
/// advertises. APIs without a handler get no answer (ApiVersions excepted,
/// which is answered with the advertised ranges unless a handler is set).
#[derive(Clone, Default)]
pub struct Script {
    handlers: HashMap<ApiKey, Handler>,
    /// Advertised ranges that differ from krafka's (`None`: not offered).
    ranges: HashMap<ApiKey, Option<(i16, i16)>>,
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Script")
            .field("handlers", &self.handlers.keys().collect::<Vec<_>>())
            .field("ranges", &self.ranges)
            .finish()
    }
}

impl Script {
    /// Answers ApiVersions and nothing else.
    pub fn new() -> Script {
        Script::default()
    }

    /// Answers `api` with `handler` (replacing an earlier one).
    pub fn on(
        mut self,
        api: ApiKey,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Script {
        self.handlers.insert(api, Arc::new(handler));
        self
    }

    /// Advertises `min..=max` for `api` instead of krafka's range.
    pub fn versions(mut self, api: ApiKey, min: i16, max: i16) -> Script {
        self.ranges.insert(api, Some((min, max)));
        self
    }

    /// Does not advertise `api` at all.
    pub fn without(mut self, api: ApiKey) -> Script {
        self.ranges.insert(api, None);
        self
    }

    /// The ApiVersions answer: krafka's ranges with this script's changes.
    pub fn api_versions(&self) -> ApiVersionsResponse {
        ApiVersionsResponse {
            api_keys: ApiKey::ALL
                .iter()
                .filter_map(|api| {
                    let range = match self.ranges.get(api) {
                        Some(range) => *range,
                        None => krafka_core::versions::supported(*api),
                    };
                    range.map(|(min, max)| ApiVersion {
                        api_key: api.key(),
                        min_version: min,
                        max_version: max,
                        ..Default::default()
                    })
                })
                .collect(),
            ..Default::default()
        }
    }

    fn reply(&self, request: &Request) -> Reply {
        match (self.handlers.get(&request.api), request.api) {
            (Some(handler), _) => handler(request),
            (None, ApiKey::ApiVersions) => {
                let versions = self.api_versions();
                let max = versions
                    .api_keys
                    .iter()
                    .find(|k| k.api_key == ApiKey::ApiVersions.key())
                    .map_or(0, |k| k.max_version);
                if request.version > max {
                    Reply::unsupported_api_versions(versions)
                } else {
                    Reply::message(versions)
                }
            }
            (None, _) => Reply::silence(),
        }
    }
}

/// A running fake broker; it stops accepting when dropped (connections
/// already open are served until the client closes them).
#[derive(Debug)]
pub struct FakeBroker {
    /// `127.0.0.1:<port>`.
    pub addr: String,
    counts: Arc<Mutex<HashMap<ApiKey, u64>>>,
    /// Every request's `(api, version)`, in arrival order.
    log: Arc<Mutex<Vec<(ApiKey, i16)>>>,
    accepted: Arc<std::sync::atomic::AtomicU64>,
    accept: tokio::task::AbortHandle,
}

impl Drop for FakeBroker {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl FakeBroker {
    /// Starts listening; each connection is served by `script`.
    pub async fn start(script: Script) -> FakeBroker {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake broker");
        let addr = listener.local_addr().expect("fake addr").to_string();
        let counts = Arc::new(Mutex::new(HashMap::new()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let script = Arc::new(script);
        let served = Stats {
            counts: Arc::clone(&counts),
            log: Arc::clone(&log),
        };
        let accepting = Arc::clone(&accepted);
        let broker = addr.clone();
        let accept = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                accepting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tokio::spawn(serve(
                    socket,
                    Arc::clone(&script),
                    served.clone(),
                    broker.clone(),
                ));
            }
        })
        .abort_handle();
        FakeBroker {
            addr,
            counts,
            log,
            accepted,
            accept,
        }
    }

    /// How many connections it accepted.
    pub fn connections(&self) -> u64 {
        self.accepted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The versions of the `api` requests it received, in arrival order.
    pub fn versions_of(&self, api: ApiKey) -> Vec<i16> {
        lock(&self.log)
            .iter()
            .filter(|(a, _)| *a == api)
            .map(|(_, v)| *v)
            .collect()
    }

    /// How many requests of `api` it received (answered or not).
    pub fn requests(&self, api: ApiKey) -> u64 {
        lock(&self.counts).get(&api).copied().unwrap_or(0)
    }

    /// How many Metadata requests it received.
    pub fn metadata_requests(&self) -> u64 {
        self.requests(ApiKey::Metadata)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn read_frame(socket: &mut TcpStream) -> Option<Bytes> {
    let size = usize::try_from(socket.read_i32().await.ok()?).ok()?;
    if size > MAX_REQUEST {
        return None;
    }
    let mut buf = vec![0u8; size];
    socket.read_exact(&mut buf).await.ok()?;
    Some(Bytes::from(buf))
}

/// What the connections count, shared with the [`FakeBroker`].
#[derive(Clone)]
struct Stats {
    counts: Arc<Mutex<HashMap<ApiKey, u64>>>,
    log: Arc<Mutex<Vec<(ApiKey, i16)>>>,
}

async fn serve(mut socket: TcpStream, script: Arc<Script>, stats: Stats, broker: String) {
    while let Some(frame) = read_frame(&mut socket).await {
        let Some(mut request) = Request::parse(frame, &broker) else {
            return;
        };
        {
            let mut counts = lock(&stats.counts);
            let count = counts.entry(request.api).or_default();
            request.seen = *count;
            *count += 1;
        }
        lock(&stats.log).push((request.api, request.version));
        let reply = script.reply(&request);
        if !reply.send(&mut socket, &request).await {
            return;
        }
    }
}

/// Writes `bytes` to the socket; `false` once the peer is gone.
pub(crate) async fn write(socket: &mut TcpStream, bytes: &[u8]) -> bool {
    socket.write_all(bytes).await.is_ok()
}
