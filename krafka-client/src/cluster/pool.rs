//! The connection to one broker, reopened with exponential backoff and
//! jitter when it dies.

use std::time::{Duration, Instant};

use krafka_core::KrafkaError;
use krafka_core::codec::Request;
use tokio::sync::Mutex;

use crate::backoff::ExponentialBackoff;
use crate::connection::{Connection, ConnectionConfig};

/// One broker's connection, shared by everyone who talks to that broker.
///
/// A connection carries many requests at once (they are pipelined), so one
/// per broker is enough for metadata, produce and admin traffic. When it
/// dies, the next caller reconnects, after `reconnect.backoff.ms` doubled
/// per consecutive failure up to `reconnect.backoff.max.ms`, ±20 % jitter.
#[derive(Debug)]
pub struct BrokerPool {
    address: String,
    config: ConnectionConfig,
    backoff: ExponentialBackoff,
    state: Mutex<PoolState>,
}

#[derive(Debug, Default)]
struct PoolState {
    connection: Option<Connection>,
    failures: u32,
    retry_at: Option<Instant>,
}

impl BrokerPool {
    /// A pool for `address` (`host:port`); nothing is opened yet.
    pub fn new(
        address: impl Into<String>,
        config: ConnectionConfig,
        backoff: ExponentialBackoff,
    ) -> Self {
        BrokerPool {
            address: address.into(),
            config,
            backoff,
            state: Mutex::new(PoolState::default()),
        }
    }

    /// The broker address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The live connection, opening one (after the backoff, if the previous
    /// attempts failed or the last connection died) when there is none.
    pub async fn connection(&self) -> Result<Connection, KrafkaError> {
        let mut state = self.state.lock().await;
        if let Some(connection) = &state.connection {
            if !connection.is_closed() {
                return Ok(connection.clone());
            }
            // It died: back off before the next attempt, like after a failed one.
            let delay = self.backoff.delay(state.failures);
            state.failures = state.failures.saturating_add(1);
            state.retry_at = Instant::now().checked_add(delay);
            state.connection = None;
        }
        if let Some(at) = state.retry_at {
            tokio::time::sleep_until(at.into()).await;
        }
        match Connection::connect(&self.address, &self.config).await {
            Ok(connection) => {
                state.failures = 0;
                state.retry_at = None;
                state.connection = Some(connection.clone());
                Ok(connection)
            }
            Err(error) => {
                let delay = self.backoff.delay(state.failures);
                state.failures = state.failures.saturating_add(1);
                state.retry_at = Instant::now().checked_add(delay);
                tracing::debug!(address = %self.address, %error, ?delay, "connect failed");
                Err(error)
            }
        }
    }

    /// How long the next connection attempt would wait, if it would.
    pub async fn backoff_remaining(&self) -> Option<Duration> {
        let state = self.state.lock().await;
        state
            .retry_at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// Closes the current connection (after a timeout: a broker that stops
    /// answering is treated like a dead one). The next call reconnects.
    pub async fn reset(&self) {
        let state = self.state.lock().await;
        if let Some(connection) = &state.connection {
            connection.close();
        }
    }

    /// Sends `request` at the negotiated version on the current connection.
    /// A timeout closes the connection, so the next call starts afresh.
    pub async fn send<R: Request>(&self, request: &R) -> Result<R::Response, KrafkaError> {
        let connection = self.connection().await?;
        let result = connection.send_negotiated(request).await;
        if let Err(KrafkaError::Timeout { .. }) = &result {
            connection.close();
        }
        result
    }
}
