//! The SASL stage: SaslHandshake names the mechanism, then SaslAuthenticate
//! carries its messages (PLAIN: one; SCRAM: two, the broker's signature
//! checked). Runs after ApiVersions, before the connection is handed out.

use std::fmt;

use bytes::Bytes;
use krafka_core::messages::{SaslAuthenticateRequest, SaslHandshakeRequest};
use krafka_core::{ErrorCode, KrafkaError};

use super::gssapi::Kerberos;
use super::jaas::LoginModule;
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
    /// GSSAPI's principal, keytab and service name.
    pub(crate) kerberos: Option<Kerberos>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("mechanism", &self.mechanism)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("kerberos", &self.kerberos)
            .finish()
    }
}

impl Credentials {
    /// The mechanism and the user name and password, from `sasl.username`
    /// and `sasl.password` or from `sasl.jaas.config`.
    pub(crate) fn from_config(config: &SecurityConfig) -> Result<Credentials, KrafkaError> {
        let mechanism = config.sasl_mechanism.ok_or_else(|| {
            KrafkaError::config(
                "SASL needs `sasl.mechanism`: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or GSSAPI \
                 (OAUTHBEARER is not supported yet)",
            )
        })?;
        if mechanism == SaslMechanism::Gssapi {
            let kerberos = Kerberos::from_config(config)?;
            return Ok(Credentials {
                mechanism,
                username: kerberos.principal.clone().unwrap_or_default(),
                password: Password::new(String::new()),
                kerberos: Some(kerberos),
            });
        }
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
            kerberos: None,
        })
    }
}

impl Connection {
    /// Authenticates the connection with `credentials`. Every refusal is a
    /// [`KrafkaError::Authentication`] (not retriable).
    pub(crate) async fn authenticate(&self, credentials: &Credentials) -> Result<(), KrafkaError> {
        let mechanism = credentials.mechanism.name();
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
        let refused = |e: ScramError| {
            KrafkaError::authentication(self.peer(), format!("SASL {mechanism}: {}", e.0))
        };
        let user = &credentials.username;
        let password = credentials.password.expose();
        match credentials.mechanism {
            SaslMechanism::Plain => {
                // RFC 4616: no authorization id, the user, the password.
                let mut token = Vec::with_capacity(user.len() + password.len() + 2);
                token.push(0);
                token.extend_from_slice(user.as_bytes());
                token.push(0);
                token.extend_from_slice(password.as_bytes());
                self.sasl_step(mechanism, user, token).await?;
            }
            SaslMechanism::ScramSha256 | SaslMechanism::ScramSha512 => {
                let hash = if credentials.mechanism == SaslMechanism::ScramSha256 {
                    ScramHash::Sha256
                } else {
                    ScramHash::Sha512
                };
                let nonce = ClientFirst::random_nonce().map_err(refused)?;
                let (first, message) = ClientFirst::new(hash, user, password, nonce);
                let server_first = self
                    .sasl_step(mechanism, user, message.into_bytes())
                    .await?;
                let (last, message) = first.answer(&server_first).map_err(refused)?;
                let server_final = self
                    .sasl_step(mechanism, user, message.into_bytes())
                    .await?;
                last.verify(&server_final).map_err(refused)?;
            }
            SaslMechanism::Gssapi => match &credentials.kerberos {
                Some(kerberos) => self.authenticate_gssapi(kerberos).await?,
                None => return Err(KrafkaError::config("GSSAPI without its Kerberos settings")),
            },
        }
        tracing::debug!(peer = %self.peer(), mechanism, user = %user, "SASL authenticated");
        Ok(())
    }

    /// One SaslAuthenticate round: sends `token`, returns the broker's.
    pub(super) async fn sasl_step(
        &self,
        mechanism: &str,
        user: &str,
        token: Vec<u8>,
    ) -> Result<Bytes, KrafkaError> {
        let request = SaslAuthenticateRequest {
            auth_bytes: Bytes::from(token),
            ..Default::default()
        };
        let answer = self.send_negotiated(&request).await?;
        match ErrorCode::check(answer.error_code) {
            Ok(()) => Ok(answer.auth_bytes),
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
                Ok(answer.auth_bytes)
            }
        }
    }
}
