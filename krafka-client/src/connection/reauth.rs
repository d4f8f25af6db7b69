//! KIP-368 re-authentication: when the broker sets a session lifetime in
//! its last SaslAuthenticate answer, the connection runs SaslHandshake and
//! SaslAuthenticate again on the same socket before the session ends (a
//! broker closes a connection whose session has ended at its next request).
//!
//! The exchange takes the connection's I/O task for itself: requests
//! already written keep their place and are answered first (a broker
//! answers in order), requests queued meanwhile wait in the shared channel
//! and are written once the exchange is done. So nothing in flight is lost
//! and no request lands between two SASL messages, which the broker would
//! take for a broken exchange.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use krafka_core::KrafkaError;
use tokio::sync::mpsc;

use super::Connection;
use super::security::sasl::SaslLogin;

/// Re-authenticate between 80 % and 90 % of the session lifetime: the
/// spread keeps a client's connections from doing it all at once, the
/// margin leaves time for a long poll still in flight before the exchange.
fn reauth_point(lifetime: Duration) -> Duration {
    let jitter = f64::from(getrandom::u32().unwrap_or(0) % 1000) / 10_000.0;
    lifetime.mul_f64(0.80 + jitter)
}

impl Connection {
    /// Starts re-authenticating this connection in the background, the
    /// first time shortly before `lifetime` (which began at `session_start`)
    /// runs out. The background task holds no strong handle while it
    /// sleeps, so it never keeps a connection open.
    pub(crate) fn reauthenticate_before(
        &self,
        session_start: Instant,
        lifetime: Duration,
        login: SaslLogin,
    ) {
        let commands = self.commands.downgrade();
        let shared = Arc::downgrade(&self.shared);
        tokio::spawn(async move {
            let mut session_start = session_start;
            let mut lifetime = lifetime;
            loop {
                tokio::time::sleep_until((session_start + reauth_point(lifetime)).into()).await;
                let (Some(commands), Some(shared)) = (commands.upgrade(), shared.upgrade()) else {
                    return;
                };
                let connection = Connection { shared, commands };
                if connection.is_closed() {
                    return;
                }
                session_start = Instant::now();
                match connection.reauthenticate(&login).await {
                    Ok(Some(next)) => lifetime = next,
                    Ok(None) => return,
                    Err(error) => {
                        // New connections authenticate from scratch; the
                        // requests in flight here fail as retriable.
                        tracing::warn!(
                            peer = %connection.peer(),
                            error = &error as &dyn std::error::Error,
                            "SASL re-authentication failed; closing the connection"
                        );
                        connection.close();
                        return;
                    }
                }
            }
        });
    }

    /// One re-authentication, on an exclusive hold of the I/O task.
    async fn reauthenticate(&self, login: &SaslLogin) -> Result<Option<Duration>, KrafkaError> {
        let exclusive = self.exclusive().await?;
        let lifetime = exclusive.authenticate(login).await?;
        // Dropping the exclusive handle closes its channel: the I/O task
        // goes back to everyone's requests.
        drop(exclusive);
        self.shared
            .reauthentications
            .fetch_add(1, Ordering::Relaxed);
        tracing::debug!(peer = %self.peer(), ?lifetime, "SASL re-authenticated");
        Ok(lifetime)
    }

    /// A handle whose requests alone the I/O task writes until the handle
    /// (every clone) is dropped; requests through other handles wait.
    pub(crate) async fn exclusive(&self) -> Result<Connection, KrafkaError> {
        let (tx, rx) = mpsc::channel(4);
        self.shared
            .exclusive_requests
            .send(rx)
            .await
            .map_err(|_| self.failure())?;
        Ok(Connection {
            shared: Arc::clone(&self.shared),
            commands: tx,
        })
    }

    /// How many times this connection has re-authenticated (KIP-368).
    pub fn reauthentications(&self) -> u64 {
        self.shared.reauthentications.load(Ordering::Relaxed)
    }
}
