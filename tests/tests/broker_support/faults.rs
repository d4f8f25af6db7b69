//! A network that misbehaves, in the transport seam: a [`Connector`] whose
//! connections run over TCP through a pump that adds latency, caps the
//! bandwidth, resets a connection in the middle of a frame, or black-holes
//! it (nothing more is delivered either way, and nothing is closed).
//!
//! The client opens every broker connection through the connector, so the
//! faults reach every broker of the cluster at its advertised address.
//! Latency and bandwidth apply to every connection; the scheduled faults
//! ([`Fault`]) to the connections whose first request after the ApiVersions
//! handshake is of the target API (Produce for a producer's produce
//! connections, Fetch for a consumer's fetch connections), one fault per
//! such connection, in schedule order.
//!
//! A reset fails the client's reads and writes with `ConnectionReset` and
//! closes the broker's socket with an RST (zero linger); a black hole keeps
//! both sockets open and drops every byte until the client gives up.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use krafka_client::{BoxTransport, ConnectFuture, Connector};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// A fault for one connection of the target API. Frames count from 1 (the
/// ApiVersions request and its response); a reset lands in the middle of
/// the first frame at or after `frame` long enough to be cut inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Resets the connection half-way through a request.
    ResetRequest { frame: usize },
    /// Resets the connection half-way through a response.
    ResetResponse { frame: usize },
    /// From this request on, nothing is delivered either way and the
    /// connection stays open.
    BlackHole { frame: usize },
}

/// How the network behaves.
#[derive(Debug, Clone)]
pub struct NetworkConfig {
    /// Added to every chunk of bytes, each way.
    pub latency: Duration,
    /// Bytes per second, each way, per connection.
    pub bandwidth: Option<u64>,
    /// The API whose connections get the scheduled faults (its key).
    pub target_api: i16,
    /// One fault per target connection, in order.
    pub schedule: Vec<Fault>,
}

/// What happened so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetworkStats {
    pub connections: u64,
    pub target_connections: u64,
    pub request_resets: u64,
    pub response_resets: u64,
    pub black_holes: u64,
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// Scheduled faults not handed to a connection yet.
    pub faults_left: usize,
}

#[derive(Debug, Default)]
struct Counters {
    connections: AtomicU64,
    target_connections: AtomicU64,
    request_resets: AtomicU64,
    response_resets: AtomicU64,
    black_holes: AtomicU64,
    bytes_up: AtomicU64,
    bytes_down: AtomicU64,
}

#[derive(Debug)]
struct Network {
    latency: Duration,
    bandwidth: Option<u64>,
    target_api: i16,
    schedule: Mutex<VecDeque<Fault>>,
    counters: Counters,
}

/// The misbehaving network: hand [`FaultyNetwork::connector`] to
/// `Kafka::connect_with`, watch [`FaultyNetwork::stats`].
#[derive(Debug, Clone)]
pub struct FaultyNetwork(Arc<Network>);

impl FaultyNetwork {
    pub fn new(config: NetworkConfig) -> Self {
        FaultyNetwork(Arc::new(Network {
            latency: config.latency,
            bandwidth: config.bandwidth,
            target_api: config.target_api,
            schedule: Mutex::new(config.schedule.into()),
            counters: Counters::default(),
        }))
    }

    pub fn connector(&self) -> Arc<dyn Connector> {
        Arc::new(self.clone())
    }

    pub fn stats(&self) -> NetworkStats {
        let c = &self.0.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Acquire);
        NetworkStats {
            connections: load(&c.connections),
            target_connections: load(&c.target_connections),
            request_resets: load(&c.request_resets),
            response_resets: load(&c.response_resets),
            black_holes: load(&c.black_holes),
            bytes_up: load(&c.bytes_up),
            bytes_down: load(&c.bytes_down),
            faults_left: self.0.schedule.lock().expect("schedule").len(),
        }
    }
}

impl Connector for FaultyNetwork {
    fn connect<'a>(&'a self, address: &'a str) -> ConnectFuture<'a> {
        Box::pin(async move {
            let tcp = TcpStream::connect(address).await?;
            tcp.set_nodelay(true)?;
            // Every close of the broker's socket is an RST: what a reset
            // is, and harmless for connections the client closes itself.
            tcp.set_zero_linger()?;
            let (client, proxy) = tokio::io::duplex(64 * 1024);
            let state = Arc::new(ConnectionState::default());
            self.0.counters.connections.fetch_add(1, Ordering::AcqRel);
            tokio::spawn(pump(Arc::clone(&self.0), proxy, tcp, Arc::clone(&state)));
            Ok(Box::new(FaultStream {
                inner: client,
                state,
            }) as BoxTransport)
        })
    }
}

#[derive(Debug, Default)]
struct ConnectionState {
    reset: AtomicBool,
    black_hole: AtomicBool,
    fault: Mutex<Option<Fault>>,
}

impl ConnectionState {
    fn fault(&self) -> Option<Fault> {
        *self.fault.lock().expect("fault")
    }
}

/// The client's end of a connection: an in-memory pipe to the pump, whose
/// reads and writes fail with `ConnectionReset` once the pump reset it.
struct FaultStream {
    inner: DuplexStream,
    state: Arc<ConnectionState>,
}

fn reset_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionReset,
        "reset by the faulty network",
    )
}

impl FaultStream {
    fn is_reset(&self) -> bool {
        self.state.reset.load(Ordering::Acquire)
    }
}

impl AsyncRead for FaultStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(_) if self.is_reset() => Poll::Ready(Err(reset_error())),
            other => other,
        }
    }
}

impl AsyncWrite for FaultStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(Err(_)) if self.is_reset() => Poll::Ready(Err(reset_error())),
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Client to broker: requests.
    Up,
    /// Broker to client: responses.
    Down,
}

/// What a reader hands its writer.
enum Piece {
    Data {
        bytes: Vec<u8>,
        ready_at: Instant,
    },
    /// Reset the connection once everything before has been delivered.
    Cut {
        ready_at: Instant,
    },
}

/// How a pump task ended.
enum Ended {
    Reader,
    Writer,
    Reset,
}

/// Moves bytes both ways until a side closes or a fault resets the
/// connection; then drops everything (the broker's socket with an RST).
async fn pump(
    network: Arc<Network>,
    proxy: DuplexStream,
    tcp: TcpStream,
    state: Arc<ConnectionState>,
) {
    let (client_read, client_write) = tokio::io::split(proxy);
    let (broker_read, broker_write) = tcp.into_split();
    // 32 chunks of at most 16 KiB each way: what the network holds.
    let (up_tx, up_rx) = mpsc::channel(32);
    let (down_tx, down_rx) = mpsc::channel(32);
    let mut tasks = JoinSet::new();
    let (n, s) = (&network, &state);
    tasks.spawn(read_side(
        Direction::Up,
        client_read,
        up_tx,
        n.clone(),
        s.clone(),
    ));
    tasks.spawn(write_side(
        Direction::Up,
        up_rx,
        broker_write,
        n.clone(),
        s.clone(),
    ));
    tasks.spawn(read_side(
        Direction::Down,
        broker_read,
        down_tx,
        n.clone(),
        s.clone(),
    ));
    tasks.spawn(write_side(
        Direction::Down,
        down_rx,
        client_write,
        n.clone(),
        s.clone(),
    ));
    while let Some(ended) = tasks.join_next().await {
        match ended {
            // A reader's writer delivers what is left, then ends.
            Ok(Ended::Reader) => continue,
            Ok(Ended::Reset) => {
                state.reset.store(true, Ordering::Release);
                break;
            }
            Ok(Ended::Writer) | Err(_) => break,
        }
    }
    tasks.abort_all();
}

async fn read_side(
    direction: Direction,
    mut source: impl AsyncRead + Unpin,
    tx: mpsc::Sender<Piece>,
    network: Arc<Network>,
    state: Arc<ConnectionState>,
) -> Ended {
    let mut frames = FrameTracker::default();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match source.read(&mut buf).await {
            Ok(0) | Err(_) => return Ended::Reader,
            Ok(n) => n,
        };
        let ready_at = Instant::now() + network.latency;
        let mut chunk = &buf[..n];
        while !chunk.is_empty() {
            let (upto, event) = frames.scan(chunk, direction, &network, &state);
            if upto > 0 && !state.black_hole.load(Ordering::Acquire) {
                let piece = Piece::Data {
                    bytes: chunk[..upto].to_vec(),
                    ready_at,
                };
                if tx.send(piece).await.is_err() {
                    return Ended::Reader;
                }
            }
            chunk = &chunk[upto..];
            match event {
                None => {}
                Some(Event::BlackHole) => {
                    state.black_hole.store(true, Ordering::Release);
                    state.fault.lock().expect("fault").take();
                    network.counters.black_holes.fetch_add(1, Ordering::AcqRel);
                }
                Some(Event::Cut) => {
                    let counter = match direction {
                        Direction::Up => &network.counters.request_resets,
                        Direction::Down => &network.counters.response_resets,
                    };
                    counter.fetch_add(1, Ordering::AcqRel);
                    let _ = tx.send(Piece::Cut { ready_at }).await;
                    return Ended::Reader;
                }
            }
        }
    }
}

async fn write_side(
    direction: Direction,
    mut rx: mpsc::Receiver<Piece>,
    mut sink: impl AsyncWrite + Unpin,
    network: Arc<Network>,
    state: Arc<ConnectionState>,
) -> Ended {
    let mut next_free = Instant::now();
    let counter = match direction {
        Direction::Up => &network.counters.bytes_up,
        Direction::Down => &network.counters.bytes_down,
    };
    while let Some(piece) = rx.recv().await {
        match piece {
            Piece::Cut { ready_at } => {
                tokio::time::sleep_until(ready_at).await;
                return Ended::Reset;
            }
            Piece::Data { bytes, ready_at } => {
                tokio::time::sleep_until(ready_at).await;
                for part in bytes.chunks(4096) {
                    if state.black_hole.load(Ordering::Acquire) {
                        break;
                    }
                    if let Some(rate) = network.bandwidth {
                        tokio::time::sleep_until(next_free).await;
                        let cost = Duration::from_secs_f64(part.len() as f64 / rate as f64);
                        next_free = next_free.max(Instant::now()) + cost;
                    }
                    if sink.write_all(part).await.is_err() {
                        return Ended::Writer;
                    }
                    counter.fetch_add(part.len() as u64, Ordering::AcqRel);
                }
            }
        }
    }
    let _ = sink.shutdown().await;
    Ended::Writer
}

enum Event {
    /// Cut the connection here.
    Cut,
    /// Deliver nothing from here on.
    BlackHole,
}

/// Follows the frames of one direction (4-byte size, then the frame; a
/// request starts with its API key).
#[derive(Debug, Default)]
struct FrameTracker {
    /// Frames finished so far (the current one is `index + 1`).
    index: usize,
    /// Bytes of the current frame seen, size prefix included.
    at: usize,
    /// The current frame's length, size prefix included, once known.
    len: Option<usize>,
    head: [u8; 6],
}

impl FrameTracker {
    /// Moves over `chunk` up to the first fault point in it; returns how
    /// many bytes come before that point, and the fault.
    fn scan(
        &mut self,
        chunk: &[u8],
        direction: Direction,
        network: &Network,
        state: &ConnectionState,
    ) -> (usize, Option<Event>) {
        let mut i = 0;
        while i < chunk.len() {
            let frame = self.index + 1;
            if self.at == 0
                && direction == Direction::Up
                && matches!(state.fault(), Some(Fault::BlackHole { frame: f }) if frame >= f)
            {
                return (i, Some(Event::BlackHole));
            }
            if self.at < 6 {
                self.head[self.at] = chunk[i];
                self.at += 1;
                i += 1;
                if self.at == 4 {
                    let size = i32::from_be_bytes([
                        self.head[0],
                        self.head[1],
                        self.head[2],
                        self.head[3],
                    ]);
                    self.len = Some(4 + usize::try_from(size).unwrap_or(0));
                }
                if self.at == 6 && frame == 2 && direction == Direction::Up {
                    let api = i16::from_be_bytes([self.head[4], self.head[5]]);
                    if api == network.target_api {
                        network
                            .counters
                            .target_connections
                            .fetch_add(1, Ordering::AcqRel);
                        let next = network.schedule.lock().expect("schedule").pop_front();
                        *state.fault.lock().expect("fault") = next;
                    }
                }
            } else {
                let len = self.len.unwrap_or(self.at);
                let take = len.saturating_sub(self.at).min(chunk.len() - i);
                let cut_here = match (direction, state.fault()) {
                    (Direction::Up, Some(Fault::ResetRequest { frame: f }))
                    | (Direction::Down, Some(Fault::ResetResponse { frame: f })) => frame >= f,
                    _ => false,
                };
                if cut_here && len >= 8 {
                    let cut = (len / 2).max(6);
                    if cut >= self.at && cut - self.at < take {
                        return (i + (cut - self.at), Some(Event::Cut));
                    }
                }
                i += take;
                self.at += take;
            }
            if self.len.is_some_and(|len| self.at >= len) {
                self.index += 1;
                self.at = 0;
                self.len = None;
            }
        }
        (i, None)
    }
}
