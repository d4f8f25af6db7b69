//! The task that owns a connection's socket.
//!
//! It `select!`s over the socket (reads and, when bytes are queued, writes)
//! and the command channel; every branch is cancel-safe and all state changes
//! happen in the branch bodies. Requests are written in the order they are
//! received and remembered in a FIFO; Kafka answers requests on a connection
//! in order, so each response must carry the correlation id at the head of
//! the FIFO. Anything else is a protocol error that tears the connection down.
//! When the connection dies, every pending request fails with the same error.

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::sync::Arc;

use bytes::{Buf, Bytes, BytesMut};
use krafka_core::KrafkaError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

use super::Shared;
use super::frame::{InFlight, make_read_space, read_responses};
use super::transport::Transport;

/// Stop taking new requests while this many bytes wait to be written.
const WRITE_HIGH_WATER: usize = 4 * 1024 * 1024;

/// Frames handed to one vectored write at most.
const MAX_WRITE_SLICES: usize = 64;

/// An encoded request, size prefix included: the chunks it was encoded
/// into (record batches by reference), written in order.
#[derive(Debug)]
pub(crate) struct Frame(pub(crate) Vec<Bytes>);

impl Frame {
    /// Its size in bytes.
    pub(crate) fn len(&self) -> usize {
        self.0.iter().map(Bytes::len).sum()
    }
}

/// One request for the I/O task.
pub(crate) struct Command {
    pub(crate) frame: Frame,
    pub(crate) correlation_id: i32,
    /// The largest response frame accepted for this request: a larger size
    /// prefix tears the connection down before anything is allocated.
    pub(crate) max_response_size: usize,
    pub(crate) reply: Reply,
}

/// What the caller waits for.
pub(crate) enum Reply {
    /// The response frame (without its size prefix).
    Response(oneshot::Sender<Result<Bytes, KrafkaError>>),
    /// Only that the request was written (acks=0 produce: no response comes).
    Written(oneshot::Sender<Result<(), KrafkaError>>),
}

type ResponseReply = oneshot::Sender<Result<Bytes, KrafkaError>>;

pub(crate) struct IoTask {
    pub(crate) shared: Arc<Shared>,
    pub(crate) commands: mpsc::Receiver<Command>,
    /// Hands over an exclusive command channel (re-authentication's).
    exclusive_requests: mpsc::Receiver<mpsc::Receiver<Command>>,
    /// While set, commands come from this channel only, until it closes.
    exclusive: Option<mpsc::Receiver<Command>>,
    pub(crate) max_in_flight: usize,
    in_flight: VecDeque<InFlight<ResponseReply>>,
    /// Frames (or what is left of the first) waiting to be written. They are
    /// written from where the caller encoded them, with vectored writes: a
    /// Produce request's megabyte is not copied again on its way out.
    write_queue: VecDeque<Bytes>,
    /// The bytes in `write_queue`.
    write_len: usize,
    queued_total: u64,
    written_total: u64,
    write_waiters: VecDeque<(u64, oneshot::Sender<Result<(), KrafkaError>>)>,
}

impl IoTask {
    pub(crate) fn new(
        shared: Arc<Shared>,
        commands: mpsc::Receiver<Command>,
        exclusive_requests: mpsc::Receiver<mpsc::Receiver<Command>>,
        max_in_flight: usize,
    ) -> Self {
        IoTask {
            shared,
            commands,
            exclusive_requests,
            exclusive: None,
            max_in_flight: max_in_flight.max(1),
            in_flight: VecDeque::new(),
            write_queue: VecDeque::new(),
            write_len: 0,
            queued_total: 0,
            written_total: 0,
            write_waiters: VecDeque::new(),
        }
    }

    /// Runs until the socket dies, the peer breaks the protocol, the
    /// connection is closed, or every handle is gone.
    pub(crate) async fn run<S: Transport>(mut self, stream: S) {
        let (mut reader, mut writer) = tokio::io::split(stream);
        let outcome = self.drive(&mut reader, &mut writer).await;
        let error = match outcome {
            // Closed by the client (after a timeout, or on purpose): requests
            // still waiting may be retried on a new connection.
            Ok(()) => KrafkaError::ConnectionClosed {
                peer: self.shared.peer.clone(),
            },
            Err(error) => {
                tracing::debug!(peer = %self.shared.peer, error = &error as &dyn std::error::Error, "connection failed");
                error
            }
        };
        // Publish the error before failing anyone, so callers that see their
        // channel closed find it.
        let _ = self.shared.failure.set(error.clone());
        self.commands.close();
        for pending in self.in_flight.drain(..) {
            let _ = pending.reply.send(Err(error.clone()));
        }
        for (_, waiter) in self.write_waiters.drain(..) {
            let _ = waiter.send(Err(error.clone()));
        }
        while let Ok(command) = self.commands.try_recv() {
            match command.reply {
                Reply::Response(tx) => {
                    let _ = tx.send(Err(error.clone()));
                }
                Reply::Written(tx) => {
                    let _ = tx.send(Err(error.clone()));
                }
            }
        }
        let _ = writer.shutdown().await;
    }

    async fn drive<S: Transport>(
        &mut self,
        reader: &mut tokio::io::ReadHalf<S>,
        writer: &mut tokio::io::WriteHalf<S>,
    ) -> Result<(), KrafkaError> {
        let mut read_buf = BytesMut::with_capacity(64 * 1024);
        let shared = Arc::clone(&self.shared);
        loop {
            let can_take =
                self.in_flight.len() < self.max_in_flight && self.write_len < WRITE_HIGH_WATER;
            let writing = self.write_len > 0;
            let shared_channel = self.exclusive.is_none();
            make_read_space(&mut read_buf);
            tokio::select! {
                biased;
                () = shared.shutdown.notified() => return Ok(()),
                read = reader.read_buf(&mut read_buf) => {
                    let n = read.map_err(|e| self.network(e))?;
                    if n == 0 {
                        return Err(self.network(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "connection closed by the broker",
                        )));
                    }
                    read_responses(&mut read_buf, &mut self.in_flight, &shared.peer, |reply, response| {
                        // The caller may have timed out and left; its response is dropped.
                        let _ = reply.send(response);
                    })?;
                }
                written = write_some(writer, &self.write_queue), if writing => {
                    let n = written.map_err(|e| self.network(e))?;
                    if n == 0 {
                        return Err(self.network(io::Error::from(io::ErrorKind::WriteZero)));
                    }
                    self.consume_written(n);
                    self.written_total += n as u64;
                    while self.write_waiters.front().is_some_and(|(end, _)| *end <= self.written_total) {
                        if let Some((_, waiter)) = self.write_waiters.pop_front() {
                            let _ = waiter.send(Ok(()));
                        }
                    }
                }
                exclusive = self.exclusive_requests.recv(), if shared_channel => {
                    self.exclusive = exclusive;
                }
                command = next_command(&mut self.commands, &mut self.exclusive), if can_take => {
                    match command {
                        Some(command) => self.queue(command),
                        // The exclusive user is done: back to everyone's requests.
                        None if self.exclusive.is_some() => self.exclusive = None,
                        // Every handle is gone: nobody waits for anything.
                        None => return Ok(()),
                    }
                }
            }
        }
    }

    fn queue(&mut self, command: Command) {
        let len = command.frame.len();
        match command.reply {
            Reply::Response(reply) => {
                if reply.is_closed() {
                    // The caller gave up before the request was written.
                    return;
                }
                self.in_flight.push_back(InFlight {
                    correlation_id: command.correlation_id,
                    max_response_size: command.max_response_size,
                    reply,
                });
            }
            Reply::Written(waiter) => {
                if waiter.is_closed() {
                    // Timed out before it was written: the caller may retry,
                    // so writing it now could produce a duplicate.
                    return;
                }
                let end = self.queued_total + len as u64;
                self.write_waiters.push_back((end, waiter));
            }
        }
        self.queued_total += len as u64;
        self.write_len += len;
        self.write_queue.extend(command.frame.0);
    }

    /// Drops the first `n` queued bytes (written).
    fn consume_written(&mut self, mut n: usize) {
        self.write_len -= n.min(self.write_len);
        while n > 0 {
            let Some(front) = self.write_queue.front_mut() else {
                return;
            };
            if front.len() > n {
                front.advance(n);
                return;
            }
            n -= front.len();
            self.write_queue.pop_front();
        }
    }

    fn network(&self, error: io::Error) -> KrafkaError {
        KrafkaError::network(self.shared.peer.clone(), error)
    }
}

/// One vectored write of the first [`MAX_WRITE_SLICES`] queued frames.
async fn write_some<W: tokio::io::AsyncWrite + Unpin>(
    writer: &mut W,
    queue: &VecDeque<Bytes>,
) -> io::Result<usize> {
    let mut slices = [IoSlice::new(&[]); MAX_WRITE_SLICES];
    let mut count = 0;
    for (slot, frame) in slices
        .iter_mut()
        .zip(queue.iter().filter(|f| !f.is_empty()))
    {
        *slot = IoSlice::new(frame);
        count += 1;
    }
    writer.write_vectored(&slices[..count]).await
}

/// The next command: from the exclusive channel while there is one (the
/// others wait in theirs), else from everyone's.
async fn next_command(
    commands: &mut mpsc::Receiver<Command>,
    exclusive: &mut Option<mpsc::Receiver<Command>>,
) -> Option<Command> {
    match exclusive {
        Some(exclusive) => exclusive.recv().await,
        None => commands.recv().await,
    }
}
