//! A request on its way: queued on a connection, waiting for its answer.

use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use krafka_core::KrafkaError;
use krafka_core::codec::Message;
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::{Connection, decode_response};

/// What the I/O task will report.
pub(crate) enum Waiting {
    /// The response frame.
    Response(oneshot::Receiver<Result<Bytes, KrafkaError>>),
    /// That the request was written (Kafka does not answer it).
    Written(oneshot::Receiver<Result<(), KrafkaError>>),
}

/// A request queued by [`Connection::queue`]: its answer, once it comes.
///
/// Dropping it leaves the request on the connection (its answer is then
/// read and thrown away).
pub struct Pending<T> {
    connection: Connection,
    waiting: Waiting,
    deadline: Instant,
    /// The limit the deadline came from, and the request's name, for the
    /// timeout error.
    timeout: Duration,
    request: &'static str,
    version: i16,
    correlation_id: i32,
    response: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("peer", &self.connection.peer())
            .field("correlation_id", &self.correlation_id)
            .finish_non_exhaustive()
    }
}

impl<T: Message> Pending<T> {
    pub(crate) fn new(
        connection: Connection,
        waiting: Waiting,
        timeout: Duration,
        request: &'static str,
        version: i16,
        correlation_id: i32,
    ) -> Self {
        Pending {
            connection,
            waiting,
            deadline: Instant::now() + timeout,
            timeout,
            request,
            version,
            correlation_id,
            response: PhantomData,
        }
    }

    /// The response (`None` for a request Kafka does not answer, once it is
    /// written). Past the deadline the connection is closed, as in the Java
    /// client: its state is unknown and the request holds an in-flight slot.
    ///
    /// Cancel-safe: waiting again after a cancelled wait picks up where it
    /// left off.
    pub async fn wait(&mut self) -> Result<Option<T>, KrafkaError> {
        match self.wait_frame().await? {
            Some(frame) => {
                decode_response::<T>(self.connection.peer(), frame, self.version).map(Some)
            }
            None => Ok(None),
        }
    }

    /// [`Pending::wait`] without decoding: the response frame, header
    /// included.
    pub(crate) async fn wait_frame(&mut self) -> Result<Option<Bytes>, KrafkaError> {
        let outcome = match &mut self.waiting {
            Waiting::Response(rx) => {
                tokio::time::timeout_at(self.deadline, rx)
                    .await
                    .map(|frame| match frame {
                        Ok(frame) => frame.map(Some),
                        Err(_) => Err(self.connection.failure()),
                    })
            }
            Waiting::Written(rx) => {
                tokio::time::timeout_at(self.deadline, rx)
                    .await
                    .map(|written| match written {
                        Ok(written) => written.map(|()| None),
                        Err(_) => Err(self.connection.failure()),
                    })
            }
        };
        let outcome = outcome.unwrap_or_else(|_| Err(self.timed_out()));
        if let Ok(Some(frame)) = &outcome {
            tracing::debug!(
                target: super::PROTOCOL_TRACE,
                peer = %self.connection.peer(),
                correlation_id = self.correlation_id,
                size = frame.len(),
                latency = ?self
                    .timeout
                    .saturating_sub(self.deadline.saturating_duration_since(Instant::now())),
                "response to {} v{}",
                self.request,
                self.version,
            );
        }
        outcome
    }

    /// When the request times out.
    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }

    /// The error of a request whose deadline passed; closes the connection.
    pub(crate) fn timed_out(&self) -> KrafkaError {
        self.connection.close();
        KrafkaError::timeout(
            format!(
                "{} v{} to {} (correlation id {})",
                self.request,
                self.version,
                self.connection.peer(),
                self.correlation_id
            ),
            self.timeout,
        )
    }
}
