//! The SASL stage: SaslHandshake names the mechanism, then SaslAuthenticate
//! carries its messages (PLAIN: one; SCRAM: two, the broker's signature
//! checked). Runs after ApiVersions, before the connection is handed out.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use krafka_core::messages::{SaslAuthenticateRequest, SaslHandshakeRequest};
use krafka_core::{ErrorCode, KrafkaError};

use super::gssapi::Kerberos;
use super::jaas::LoginModule;
use super::oauth::OAuthBearer;
use super::scram::{ClientFirst, ScramError, ScramHash};
use super::{SaslMechanism, SecurityConfig};
use crate::connection::Connection;
use crate::settings::Password;

/// A SASL mechanism with the user name and password it proves. `Debug`
/// hides the password.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub(crate) mechanism: SaslMechanism,
    pub(crate) username: String,
    password: Password,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("mechanism", &self.mechanism)
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

/// How a client authenticates: a user name and password (PLAIN, SCRAM),
/// OAUTHBEARER tokens (shared by the client's connections), or Kerberos
/// (GSSAPI).
#[derive(Debug, Clone)]
pub(crate) enum SaslLogin {
    Password(Credentials),
    OAuthBearer(Arc<OAuthBearer>),
    Kerberos(Kerberos),
}

impl SaslLogin {
    /// What `sasl.mechanism` needs, read from the settings.
    pub(crate) fn from_config(config: &SecurityConfig) -> Result<SaslLogin, KrafkaError> {
        match config.sasl_mechanism {
            Some(SaslMechanism::OAuthBearer) => Ok(SaslLogin::OAuthBearer(Arc::new(
                OAuthBearer::from_config(config)?,
            ))),
            Some(SaslMechanism::Gssapi) => Kerberos::from_config(config).map(SaslLogin::Kerberos),
            _ => Credentials::from_config(config).map(SaslLogin::Password),
        }
    }
}

impl Credentials {
    /// The mechanism and the user name and password, from `sasl.username`
    /// and `sasl.password` or from `sasl.jaas.config`.
    pub(crate) fn from_config(config: &SecurityConfig) -> Result<Credentials, KrafkaError> {
        let mechanism = config.sasl_mechanism.ok_or_else(|| {
            KrafkaError::config(
                "SASL needs `sasl.mechanism`: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER \
                 or GSSAPI",
            )
        })?;
        let (username, password) = match (
            &config.sasl_jaas_config,
            &config.sasl_username,
            &config.sasl_password,
        ) {
            (Some(jaas), None, None) => LoginModule::parse(jaas.expose())?.user_and_password()?,
            (None, Some(user), Some(password)) => (user.clone(), password.expose().to_owned()),
            (Some(_), _, _) => {
                return Err(KrafkaError::config(
                    "set either `sasl.jaas.config` or `sasl.username` and `sasl.password`, not both",
                ));
            }
            _ => {
                return Err(KrafkaError::config(format!(
                    "SASL {} needs `sasl.username` and `sasl.password` (or `sasl.jaas.config`)",
                    mechanism.name()
                )));
            }
        };
        Ok(Credentials {
            mechanism,
            username,
            password: Password::new(password),
        })
    }
}

impl Connection {
    /// Authenticates the connection (again, when `reauthenticating`: KIP-368
    /// runs the same exchange on an authenticated connection). Every refusal
    /// is a [`KrafkaError::Authentication`] (not retriable). Returns the
    /// session lifetime the broker set, if any.
    pub(crate) async fn authenticate(
        &self,
        login: &SaslLogin,
    ) -> Result<Option<Duration>, KrafkaError> {
        let mechanism = match login {
            SaslLogin::Password(credentials) => credentials.mechanism,
            SaslLogin::OAuthBearer(_) => SaslMechanism::OAuthBearer,
            SaslLogin::Kerberos(_) => SaslMechanism::Gssapi,
        }
        .name();
        let handshake = SaslHandshakeRequest {
            mechanism: mechanism.to_owned(),
            ..Default::default()
        };
        let version = self.version_for::<SaslHandshakeRequest>()?;
        if version < 1 {
            // v0 sends the SASL tokens as bare frames, which Kafka 1.0 replaced.
            return Err(KrafkaError::authentication(
                self.peer(),
                "the broker speaks SaslHandshake v0 only (Kafka before 1.0), which krafka does not",
            ));
        }
        let answer = self.send(&handshake, version).await?;
        match ErrorCode::check(answer.error_code) {
            Ok(()) => {}
            Err(ErrorCode::UnsupportedSaslMechanism) => {
                return Err(KrafkaError::authentication(
                    self.peer(),
                    format!(
                        "the listener does not enable SASL {mechanism} (it enables {})",
                        answer.mechanisms.join(", ")
                    ),
                ));
            }
            Err(_) => KrafkaError::check_code(answer.error_code, None)?,
        }
        let (user, lifetime) = match login {
            SaslLogin::Password(credentials) => (
                credentials.username.clone(),
                self.password_exchange(credentials).await?,
            ),
            SaslLogin::OAuthBearer(oauth) => self.oauth_exchange(oauth).await?,
            SaslLogin::Kerberos(kerberos) => (
                kerberos.principal.clone().unwrap_or_default(),
                self.authenticate_gssapi(kerberos).await?,
            ),
        };
        tracing::debug!(peer = %self.peer(), mechanism, user = %user, ?lifetime, "SASL authenticated");
        Ok(lifetime)
    }

    /// PLAIN or SCRAM, once the handshake named the mechanism.
    async fn password_exchange(
        &self,
        credentials: &Credentials,
    ) -> Result<Option<Duration>, KrafkaError> {
        let mechanism = credentials.mechanism.name();
        let refused = |e: ScramError| {
            KrafkaError::authentication(self.peer(), format!("SASL {mechanism}: {}", e.0))
        };
        let user = &credentials.username;
        let password = credentials.password.expose();
        match credentials.mechanism {
            SaslMechanism::ScramSha256 | SaslMechanism::ScramSha512 => {
                let hash = if credentials.mechanism == SaslMechanism::ScramSha256 {
                    ScramHash::Sha256
                } else {
                    ScramHash::Sha512
                };
                let nonce = ClientFirst::random_nonce().map_err(refused)?;
                let (first, message) = ClientFirst::new(hash, user, password, nonce);
                let (server_first, _) = self
                    .sasl_step(mechanism, user, message.into_bytes())
                    .await?;
                let (last, message) = first.answer(&server_first).map_err(refused)?;
                let (server_final, lifetime) = self
                    .sasl_step(mechanism, user, message.into_bytes())
                    .await?;
                last.verify(&server_final).map_err(refused)?;
                Ok(lifetime)
            }
            _ => {
                // PLAIN (RFC 4616): no authorization id, the user, the password.
                let mut token = Vec::with_capacity(user.len() + password.len() + 2);
                token.push(0);
                token.extend_from_slice(user.as_bytes());
                token.push(0);
                token.extend_from_slice(password.as_bytes());
                Ok(self.sasl_step(mechanism, user, token).await?.1)
            }
        }
    }

    /// OAUTHBEARER: the token in one message. A broker that rejects it
    /// answers with a JSON error (RFC 7628 section 3.2.2) and waits for the
    /// client's `^A` before failing the exchange.
    async fn oauth_exchange(
        &self,
        oauth: &OAuthBearer,
    ) -> Result<(String, Option<Duration>), KrafkaError> {
        let mechanism = SaslMechanism::OAuthBearer.name();
        let token = oauth.token().await?;
        let user = token.principal().to_owned();
        // The token must not leak through whatever the broker echoes.
        let scrub = |error: KrafkaError| match error {
            KrafkaError::Authentication { peer, reason } if reason.contains(token.value()) => {
                KrafkaError::Authentication {
                    peer,
                    reason: reason.replace(token.value(), "[hidden]"),
                }
            }
            other => other,
        };
        let (challenge, lifetime) = self
            .sasl_step(mechanism, &user, oauth.initial_response(&token))
            .await
            .map_err(scrub)?;
        if challenge.is_empty() {
            return Ok((user, lifetime));
        }
        let status = String::from_utf8_lossy(&challenge).replace(token.value(), "[hidden]");
        let refused = KrafkaError::authentication(
            self.peer(),
            format!("SASL {mechanism} as {user}: the broker rejected the token: {status}"),
        );
        match self.sasl_step(mechanism, &user, vec![0x01]).await {
            Err(KrafkaError::Authentication { .. }) | Ok(_) => Err(refused),
            Err(other) => Err(scrub(other)),
        }
    }

    /// One SaslAuthenticate round: sends `token`, returns the broker's and
    /// the session lifetime it set (KIP-368; none when it sets none).
    pub(super) async fn sasl_step(
        &self,
        mechanism: &str,
        user: &str,
        token: Vec<u8>,
    ) -> Result<(Bytes, Option<Duration>), KrafkaError> {
        let request = SaslAuthenticateRequest {
            auth_bytes: Bytes::from(token),
            ..Default::default()
        };
        let answer = self.send_negotiated(&request).await?;
        let lifetime = u64::try_from(answer.session_lifetime_ms)
            .ok()
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis);
        match ErrorCode::check(answer.error_code) {
            Ok(()) => Ok((answer.auth_bytes, lifetime)),
            Err(ErrorCode::SaslAuthenticationFailed | ErrorCode::IllegalSaslState) => {
                Err(KrafkaError::authentication(
                    self.peer(),
                    format!(
                        "SASL {mechanism} as {user}: {}",
                        answer
                            .error_message
                            .as_deref()
                            .filter(|m| !m.is_empty())
                            .unwrap_or("the broker refused the credentials")
                    ),
                ))
            }
            Err(_) => {
                KrafkaError::check_code(answer.error_code, answer.error_message.as_deref())?;
                Ok((answer.auth_bytes, lifetime))
            }
        }
    }
}
