//! One broker's connections: one per purpose, each reopened with
//! exponential backoff and jitter when it dies.

use std::sync::atomic::{AtomicI16, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use krafka_core::KrafkaError;
use krafka_core::codec::Request;
use tokio::sync::Notify;

use crate::backoff::ExponentialBackoff;
use crate::connection::{Connection, ConnectionConfig, Connector, Security};

/// What a connection is for. A broker keeps one connection per purpose, so
/// that a fetch long poll never waits behind produce traffic, and a group's
/// heartbeat or commit never waits behind either. Connections are opened on
/// first use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// Metadata, admin requests, offset lookups, producer ids: short
    /// requests of every kind.
    General,
    /// Produce requests.
    Produce,
    /// Fetch requests (long polls).
    Fetch,
    /// Group and transaction coordination.
    Coordination,
}

impl Purpose {
    const COUNT: usize = 4;

    fn index(self) -> usize {
        match self {
            Purpose::General => 0,
            Purpose::Produce => 1,
            Purpose::Fetch => 2,
            Purpose::Coordination => 3,
        }
    }
}

/// One broker (by address): its connections, shared by every producer,
/// consumer and admin of a client.
///
/// A connection carries many requests at once (they are pipelined). When one
/// dies, the next caller for that purpose starts a reconnect, after
/// `reconnect.backoff.ms` doubled per consecutive failure up to
/// `reconnect.backoff.max.ms`, ±20 % jitter. The attempt runs in a task of
/// its own: callers wait for its outcome without holding a lock, so a
/// reconnect delays nobody but those who need that very connection (and they
/// may give up waiting).
#[derive(Debug)]
pub struct Broker {
    address: String,
    connector: Arc<dyn Connector>,
    /// The TLS and SASL material, read once for the whole client; without
    /// it each connection reads `config.security` itself.
    security: Option<Arc<Security>>,
    config: ConnectionConfig,
    backoff: ExponentialBackoff,
    /// The ApiVersions version this broker accepted last: the next
    /// connection's handshake starts there, so a broker that speaks less
    /// than krafka refuses krafka's newest version once, not on every
    /// connection. (Each connection still reads the broker's ranges.)
    api_versions_start: AtomicI16,
    slots: [Slot; Purpose::COUNT],
}

#[derive(Debug, Default)]
struct Slot {
    state: Mutex<SlotState>,
    /// Signalled when an attempt ends.
    settled: Notify,
}

#[derive(Debug, Default)]
struct SlotState {
    connection: Option<Connection>,
    /// Number of the attempt under way, if one is.
    connecting: Option<u64>,
    attempts: u64,
    /// The last finished attempt's number and its error, if it failed.
    last_failure: Option<(u64, KrafkaError)>,
    failures: u32,
    retry_at: Option<Instant>,
}

impl Broker {
    /// A broker at `address` (`host:port`), reached through `connector`;
    /// nothing is opened yet.
    pub fn new(
        address: impl Into<String>,
        connector: Arc<dyn Connector>,
        config: ConnectionConfig,
        backoff: ExponentialBackoff,
    ) -> Self {
        Broker {
            address: address.into(),
            connector,
            security: None,
            config,
            backoff,
            api_versions_start: AtomicI16::new(krafka_core::versions::API_VERSIONS_MAX),
            slots: Default::default(),
        }
    }

    /// Connects with `security` instead of reading `config.security` for
    /// every connection.
    pub(crate) fn with_security(mut self, security: Arc<Security>) -> Self {
        self.security = Some(security);
        self
    }

    /// The broker address.
    pub fn address(&self) -> &str {
        &self.address
    }

    fn slot(&self, purpose: Purpose) -> &Slot {
        &self.slots[purpose.index()]
    }

    /// The live connection for `purpose`, opening one (after the backoff, if
    /// the previous attempts failed or the last connection died) when there
    /// is none.
    pub async fn connection(self: &Arc<Self>, purpose: Purpose) -> Result<Connection, KrafkaError> {
        let slot = self.slot(purpose);
        // The common case, on every request: a live connection, no waiting
        // to register for.
        if let Some(connection) = lock(&slot.state)
            .connection
            .as_ref()
            .filter(|c| !c.is_closed())
        {
            return Ok(connection.clone());
        }
        loop {
            let settled = slot.settled.notified();
            let mut settled = std::pin::pin!(settled);
            // Registered before the state is read, so an attempt that ends
            // in between still wakes this caller.
            settled.as_mut().enable();
            let attempt = {
                let mut state = lock(&slot.state);
                if let Some(connection) = &state.connection {
                    if !connection.is_closed() {
                        return Ok(connection.clone());
                    }
                    // It died: back off before the next attempt, like after a
                    // failed one.
                    state.connection = None;
                    self.note_failure(&mut state);
                }
                match state.connecting {
                    Some(attempt) => attempt,
                    None => self.start_attempt(purpose, &mut state),
                }
            };
            settled.await;
            let state = lock(&slot.state);
            if let Some((failed, error)) = &state.last_failure {
                if *failed == attempt {
                    return Err(error.clone());
                }
            }
        }
    }

    /// A new connection with the full handshake.
    async fn open(&self) -> Result<Connection, KrafkaError> {
        let connector = self.connector.as_ref();
        let read;
        let security = match &self.security {
            Some(security) => security.as_ref(),
            None => {
                read = Security::new(&self.config.security)?;
                &read
            }
        };
        let start = self.api_versions_start.load(Ordering::Relaxed);
        let connection =
            Connection::establish_secured(connector, security, &self.address, &self.config, start)
                .await?;
        if let Some(accepted) = connection.api_versions_version() {
            self.api_versions_start.store(accepted, Ordering::Relaxed);
        }
        Ok(connection)
    }

    /// A connection of its own for one user, outside the purposes: for a
    /// group member's JoinGroup and SyncGroup, which the coordinator may
    /// hold for a whole rebalance (a broker answers a connection's requests
    /// one at a time, so they must not hold up other members' requests).
    pub(crate) async fn open_dedicated(&self) -> Result<Connection, KrafkaError> {
        self.open().await
    }

    fn start_attempt(self: &Arc<Self>, purpose: Purpose, state: &mut SlotState) -> u64 {
        state.attempts += 1;
        let attempt = state.attempts;
        state.connecting = Some(attempt);
        let retry_at = state.retry_at;
        let broker = Arc::clone(self);
        tokio::spawn(async move {
            if let Some(at) = retry_at {
                tokio::time::sleep_until(at.into()).await;
            }
            let opened = broker.open().await;
            let slot = broker.slot(purpose);
            {
                let mut state = lock(&slot.state);
                state.connecting = None;
                match opened {
                    Ok(connection) => {
                        state.failures = 0;
                        state.retry_at = None;
                        state.last_failure = None;
                        state.connection = Some(connection);
                    }
                    Err(error) => {
                        broker.note_failure(&mut state);
                        tracing::debug!(address = %broker.address, ?purpose, %error, "connect failed");
                        state.last_failure = Some((attempt, error));
                    }
                }
            }
            slot.settled.notify_waiters();
        });
        attempt
    }

    fn note_failure(&self, state: &mut SlotState) {
        let delay = self.backoff.delay(state.failures);
        state.failures = state.failures.saturating_add(1);
        state.retry_at = Instant::now().checked_add(delay);
    }

    /// How long the next connection attempt for `purpose` would wait, if it
    /// would.
    pub fn backoff_remaining(&self, purpose: Purpose) -> Option<Duration> {
        lock(&self.slot(purpose).state)
            .retry_at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// Closes the connection for `purpose` (after a timeout: a broker that
    /// stops answering is treated like a dead one). The next call reconnects.
    pub fn reset(&self, purpose: Purpose) {
        if let Some(connection) = &lock(&self.slot(purpose).state).connection {
            connection.close();
        }
    }

    /// The live connections of this broker, by purpose.
    pub fn open_connections(&self) -> usize {
        self.slots
            .iter()
            .filter(|slot| {
                lock(&slot.state)
                    .connection
                    .as_ref()
                    .is_some_and(|c| !c.is_closed())
            })
            .count()
    }

    /// Sends `request` at the negotiated version on the connection for
    /// `purpose`. A timeout closes the connection, so the next call starts
    /// afresh.
    pub async fn send<R: Request>(
        self: &Arc<Self>,
        purpose: Purpose,
        request: &R,
    ) -> Result<R::Response, KrafkaError> {
        self.connection(purpose)
            .await?
            .send_negotiated(request)
            .await
    }
}

/// Locks a slot, recovering from poisoning (the state is plain data).
fn lock(mutex: &Mutex<SlotState>) -> MutexGuard<'_, SlotState> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
