//! Setting a connection up, stage by stage: the transport, TLS (for
//! `security.protocol` SSL and SASL_SSL), the ApiVersions handshake, then
//! SASL (SASL_PLAINTEXT and SASL_SSL). A failure is a
//! [`KrafkaError::Setup`] naming its stage.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use krafka_core::codec::Message;
use krafka_core::messages::{ApiVersionsRequest, ApiVersionsResponse};
use krafka_core::{ApiKey, ErrorCode, KrafkaError, SetupStage};
use tokio::sync::{Notify, mpsc};

use super::io::IoTask;
use super::security::{Security, tls};
use super::transport::{Connector, Transport};
use super::versions::ApiVersionRanges;
use super::{Connection, ConnectionConfig, Shared};

impl Connection {
    /// Opens a transport to `addr` with `connector` (it and the TLS
    /// handshake each bounded by the connection timeout) and sets the
    /// connection up over it, secured as `config.security` says (its files
    /// are read for this connection alone; a client reads them once).
    pub async fn establish(
        connector: &dyn Connector,
        addr: &str,
        config: &ConnectionConfig,
    ) -> Result<Connection, KrafkaError> {
        let security = Security::new(&config.security)?;
        let start = krafka_core::versions::API_VERSIONS_MAX;
        Self::establish_secured(connector, &security, addr, config, start).await
    }

    /// [`Connection::establish`] with the security settings already read,
    /// the ApiVersions handshake starting at `api_versions_start` (the
    /// version this broker accepted before: a broker that speaks less than
    /// krafka is not asked again at a version it refused).
    pub(crate) async fn establish_secured(
        connector: &dyn Connector,
        security: &Security,
        addr: &str,
        config: &ConnectionConfig,
        api_versions_start: i16,
    ) -> Result<Connection, KrafkaError> {
        let limit = config.connect_timeout;
        let stream = tokio::time::timeout(limit, connector.connect(addr))
            .await
            .map_err(|_| KrafkaError::timeout(format!("connecting to {addr}"), limit))
            .and_then(|opened| opened.map_err(|e| KrafkaError::network(addr, e)))
            .map_err(|e| e.at_stage(addr, SetupStage::Transport))?;
        let stream = match &security.tls {
            Some(setup) => tokio::time::timeout(limit, setup.handshake(stream, addr))
                .await
                .map_err(|_| KrafkaError::timeout(format!("TLS handshake with {addr}"), limit))
                .and_then(|done| done)
                .map_err(|e| e.at_stage(addr, SetupStage::Tls))?,
            None => stream,
        };
        let connection = Self::over_from(stream, addr, config, api_versions_start).await?;
        if let Some(login) = &security.sasl {
            let started = Instant::now();
            match connection.authenticate(login).await {
                Ok(Some(lifetime)) if security.reauthenticate => {
                    connection.reauthenticate_before(started, lifetime, login.clone());
                }
                Ok(_) => {}
                Err(error) => {
                    connection.close();
                    return Err(security_failure(addr, error).at_stage(addr, SetupStage::Sasl));
                }
            }
        }
        Ok(connection)
    }

    /// Sets a connection up over an open transport to `peer`: starts its I/O
    /// task and runs the ApiVersions handshake.
    pub async fn over<S: Transport>(
        stream: S,
        peer: &str,
        config: &ConnectionConfig,
    ) -> Result<Connection, KrafkaError> {
        let start = krafka_core::versions::API_VERSIONS_MAX;
        Self::over_from(stream, peer, config, start).await
    }

    /// [`Connection::over`], the handshake starting at ApiVersions
    /// `api_versions_start`.
    async fn over_from<S: Transport>(
        stream: S,
        peer: &str,
        config: &ConnectionConfig,
        api_versions_start: i16,
    ) -> Result<Connection, KrafkaError> {
        if config.max_frame_size < 4 {
            return Err(KrafkaError::config(
                "max frame size must be at least 4 bytes",
            ));
        }
        let (exclusive_requests, exclusive_rx) = mpsc::channel(1);
        let shared = Arc::new(Shared {
            peer: peer.to_owned(),
            client_id: config.client_id.clone(),
            request_timeout: config.request_timeout,
            max_frame_size: config.max_frame_size,
            next_correlation_id: AtomicI32::new(0),
            api_versions: OnceLock::new(),
            api_versions_version: OnceLock::new(),
            failure: OnceLock::new(),
            shutdown: Notify::new(),
            closing: AtomicBool::new(false),
            exclusive_requests,
            reauthentications: AtomicU64::new(0),
        });
        let (tx, rx) = mpsc::channel(config.queue_size.max(1));
        let task = IoTask::new(Arc::clone(&shared), rx, exclusive_rx, config.max_in_flight);
        tokio::spawn(task.run(stream));
        let conn = Connection {
            shared,
            commands: tx,
        };
        match conn.handshake(api_versions_start).await {
            Ok(()) => Ok(conn),
            Err(error) => {
                conn.close();
                Err(security_failure(peer, error).at_stage(peer, SetupStage::ApiVersions))
            }
        }
    }

    /// ApiVersions at `start` (the newest version krafka speaks, or the one
    /// this broker accepted last time); when the broker answers
    /// UNSUPPORTED_VERSION it lists (in the v0 layout) what it speaks, and
    /// the request is repeated at the highest version both sides know.
    async fn handshake(&self, start: i16) -> Result<(), KrafkaError> {
        use krafka_core::versions::{API_VERSIONS_FALLBACK, API_VERSIONS_MAX, API_VERSIONS_MIN};
        let request = ApiVersionsRequest {
            client_software_name: "krafka".to_owned(),
            client_software_version: env!("CARGO_PKG_VERSION").to_owned(),
            ..Default::default()
        };
        let mut version = start.clamp(API_VERSIONS_MIN, API_VERSIONS_MAX);
        let limits = self.default_limits();
        loop {
            let frame = self.queue_raw(&request, version, limits).await?;
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
            if tracing::enabled!(target: super::PROTOCOL_TRACE, tracing::Level::DEBUG) {
                self.trace_negotiated(version);
            }
            return Ok(());
        }
    }
}

impl Connection {
    /// The versions this connection will use, one debug event (only built
    /// when someone listens).
    fn trace_negotiated(&self, api_versions: i16) {
        let versions = self.api_versions();
        let negotiated: Vec<String> = ApiKey::ALL
            .iter()
            .filter_map(|api| {
                versions
                    .negotiate_supported(*api)
                    .map(|v| format!("{api}:v{v}"))
            })
            .collect();
        tracing::debug!(
            target: super::PROTOCOL_TRACE,
            peer = %self.shared.peer,
            "ApiVersions v{api_versions} answered; negotiated {}",
            negotiated.join(" "),
        );
    }
}

/// A failure of the first requests that is really about security: the
/// broker ended the TLS session (with TLS 1.3 a refused client certificate
/// shows only when the first answer is read), or a plaintext client got a
/// TLS record back (its header read as a huge frame size). Both become
/// authentication errors, which are not retried.
fn security_failure(peer: &str, error: KrafkaError) -> KrafkaError {
    match &error {
        KrafkaError::Network { source, .. } => match tls::tls_failure(source) {
            Some(reason) => KrafkaError::authentication(peer, reason),
            None => error,
        },
        // A TLS record starts with its type (0x15 alert, 0x16 handshake)
        // and the major version 3.
        KrafkaError::FrameTooLarge { size, .. } if matches!(size >> 16, 0x1503 | 0x1603) => {
            KrafkaError::authentication(
                peer,
                "the broker answered with TLS: this listener needs security.protocol SSL or SASL_SSL",
            )
        }
        _ => error,
    }
}
