//! Security of a connection: TLS ([`tls`]) and SASL ([`sasl`]), set by
//! Kafka's property names (and librdkafka's, so kcat users can carry their
//! flags over).
//!
//! ```
//! use krafka_client::{ClientConfig, SaslMechanism, SecurityProtocol};
//!
//! let config = ClientConfig::from_properties([
//!     ("bootstrap.servers", "broker:9093"),
//!     ("security.protocol", "SASL_SSL"),
//!     ("sasl.mechanism", "SCRAM-SHA-512"),
//!     ("sasl.username", "alice"),
//!     ("sasl.password", "alice-secret"),
//!     ("ssl.ca.location", "/etc/kafka/ca.pem"),
//! ])?;
//! let security = &config.connection.security;
//! assert_eq!(security.security_protocol, SecurityProtocol::SaslSsl);
//! assert_eq!(security.sasl_mechanism, Some(SaslMechanism::ScramSha512));
//! // Secrets never show in Debug output.
//! assert!(!format!("{config:?}").contains("alice-secret"));
//! # Ok::<(), krafka_core::KrafkaError>(())
//! ```

pub(crate) mod gssapi;
pub(crate) mod jaas;
pub(crate) mod oauth;
#[cfg(feature = "oauthbearer-oidc")]
pub(crate) mod oidc;
pub(crate) mod sasl;
pub(crate) mod scram;
pub(crate) mod tls;

use std::sync::Arc;
use std::time::Duration;

use krafka_core::KrafkaError;

pub use oauth::{
    OAuthBearerToken, OAuthBearerTokenProvider, StaticToken, TokenFuture, TokenProvider,
};

use crate::settings::{IntoSetting, Password, choices, settings_table};

settings_table! {
    /// How a connection is secured: `security.protocol`, the TLS material
    /// (PEM files or PEM text) and the SASL mechanism and credentials.
    pub struct SecurityConfig, builder SecurityConfigBuilder;
    properties {
        /// PLAINTEXT, SSL (TLS), SASL_PLAINTEXT (SASL without TLS) or
        /// SASL_SSL (SASL over TLS).
        security_protocol: SecurityProtocol = SecurityProtocol::Plaintext, "security.protocol";
        /// A PEM file of the certificates (CAs) that may sign the brokers'
        /// certificates; neither it nor `ssl.truststore.certificates` set:
        /// the platform's trusted roots.
        ssl_truststore_location: Option<String> = None,
            "ssl.truststore.location" | "ssl.ca.location";
        /// The format of the trust store: only PEM.
        ssl_truststore_type: String = "PEM".to_owned(), "ssl.truststore.type";
        /// The trusted certificates as PEM text.
        ssl_truststore_certificates: Option<String> = None,
            "ssl.truststore.certificates" | "ssl.ca.pem";
        /// A PEM file with the client's private key and certificate chain
        /// (Java's PEM key store), for brokers that require client
        /// certificates.
        ssl_keystore_location: Option<String> = None, "ssl.keystore.location";
        /// The format of the key store: only PEM.
        ssl_keystore_type: String = "PEM".to_owned(), "ssl.keystore.type";
        /// The client's certificate chain as PEM text.
        ssl_keystore_certificate_chain: Option<String> = None,
            "ssl.keystore.certificate.chain" | "ssl.certificate.pem";
        /// The client's private key as PEM text (PKCS#8, PKCS#1 or SEC1;
        /// encrypted PKCS#8 with `ssl.key.password`).
        ssl_keystore_key: Option<Password> = None, "ssl.keystore.key" | "ssl.key.pem";
        /// A PEM file of the client's certificate chain (librdkafka's name).
        ssl_certificate_location: Option<String> = None, "ssl.certificate.location";
        /// A PEM file of the client's private key (librdkafka's name).
        ssl_key_location: Option<String> = None, "ssl.key.location";
        /// The password of an encrypted (PKCS#8) private key.
        ssl_key_password: Option<Password> = None, "ssl.key.password";
        /// `https` checks that the broker's certificate is for the host name
        /// (or IP address) connected to; empty (or librdkafka's `none`)
        /// turns the check off, the chain is still verified.
        ssl_endpoint_identification_algorithm: String = "https".to_owned(),
            "ssl.endpoint.identification.algorithm";
        /// The TLS versions offered: `TLSv1.2`, `TLSv1.3` or both.
        ssl_enabled_protocols: Vec<String> = vec!["TLSv1.2".to_owned(), "TLSv1.3".to_owned()],
            "ssl.enabled.protocols";
        /// The cipher suites offered, by their IANA names
        /// (`TLS_AES_128_GCM_SHA256`, `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`,
        /// …); empty: every suite rustls deems safe.
        ssl_cipher_suites: Vec<String> = Vec::new(), "ssl.cipher.suites";
        /// The SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512,
        /// OAUTHBEARER or GSSAPI.
        sasl_mechanism: Option<SaslMechanism> = None, "sasl.mechanism" | "sasl.mechanisms";
        /// The SASL user name (librdkafka's name; or `sasl.jaas.config`).
        sasl_username: Option<String> = None, "sasl.username";
        /// The SASL password (librdkafka's name; or `sasl.jaas.config`).
        sasl_password: Option<Password> = None, "sasl.password";
        /// Java's login line: `org.apache.kafka.common.security.plain.PlainLoginModule
        /// required username="…" password="…";` (or the `scram.ScramLoginModule`,
        /// or the `oauthbearer.OAuthBearerLoginModule` with
        /// `unsecuredLoginStringClaim_sub="…"` or `clientId`/`clientSecret`/`scope`;
        /// for GSSAPI `com.sun.security.auth.module.Krb5LoginModule required
        /// useKeyTab=true keyTab="…" principal="…";`).
        sasl_jaas_config: Option<Password> = None, "sasl.jaas.config";
        /// GSSAPI: the broker's Kerberos service name, the first part of its
        /// principal `<service>/<broker host>@REALM`.
        sasl_kerberos_service_name: String = "kafka".to_owned(), "sasl.kerberos.service.name";
        /// GSSAPI: the client's principal (librdkafka's name); unset, the
        /// default principal of the ticket cache.
        sasl_kerberos_principal: Option<String> = None, "sasl.kerberos.principal";
        /// GSSAPI: a keytab with the principal's key (librdkafka's name);
        /// krafka runs `kinit` with it when the ticket cache has no valid
        /// ticket for the principal.
        sasl_kerberos_keytab: Option<String> = None, "sasl.kerberos.keytab";
        /// OAUTHBEARER: an OIDC token endpoint (`https:`/`http:`, with the
        /// `oauthbearer-oidc` feature; the `client_credentials` grant) or a
        /// file holding a JWT (`file:`, read again for each new token).
        sasl_oauthbearer_token_endpoint_url: Option<String> = None,
            "sasl.oauthbearer.token.endpoint.url";
        /// OAUTHBEARER: the client id at the token endpoint.
        sasl_oauthbearer_client_id: Option<String> = None,
            "sasl.oauthbearer.client.credentials.client.id" | "sasl.oauthbearer.client.id";
        /// OAUTHBEARER: the client secret at the token endpoint.
        sasl_oauthbearer_client_secret: Option<Password> = None,
            "sasl.oauthbearer.client.credentials.client.secret" | "sasl.oauthbearer.client.secret";
        /// OAUTHBEARER: the scope asked of the token endpoint.
        sasl_oauthbearer_scope: Option<String> = None, "sasl.oauthbearer.scope";
        /// OAUTHBEARER: the claim of a JWT that names the principal.
        sasl_oauthbearer_sub_claim_name: String = "sub".to_owned(),
            "sasl.oauthbearer.sub.claim.name";
        /// OAUTHBEARER extensions (KIP-342) sent with the token, `key=value`
        /// entries (librdkafka's name; Java's are `extension_<key>` login
        /// options).
        sasl_oauthbearer_extensions: Vec<String> = Vec::new(), "sasl.oauthbearer.extensions";
        /// librdkafka's OAUTHBEARER method: `default` (a token from the
        /// other settings) or `oidc` (from the token endpoint).
        sasl_oauthbearer_method: String = "default".to_owned(), "sasl.oauthbearer.method";
        /// librdkafka's unsecured JWT: `true` makes one from
        /// `sasl.oauthbearer.config`.
        enable_sasl_oauthbearer_unsecure_jwt: bool = false,
            "enable.sasl.oauthbearer.unsecure.jwt";
        /// librdkafka's unsecured JWT settings: `principal=alice
        /// [scope=a,b] [lifeSeconds=3600] [extension_<name>=value]…`.
        sasl_oauthbearer_config: Option<Password> = None, "sasl.oauthbearer.config";
        /// How long connecting to the token endpoint may take.
        sasl_login_connect_timeout: Duration = Duration::from_secs(10),
            "sasl.login.connect.timeout.ms";
        /// How long the token endpoint may take to answer.
        sasl_login_read_timeout: Duration = Duration::from_secs(10),
            "sasl.login.read.timeout.ms";
        /// OAUTHBEARER: the application's token provider (set in code; it
        /// takes precedence over the other token settings).
        sasl_oauthbearer_token_provider: Option<TokenProvider> = None;
        /// Whether connections re-authenticate before the session lifetime
        /// the broker sets runs out (KIP-368); without it the broker closes
        /// them then. Off only to see that happen.
        sasl_reauthentication: bool = true;
    }
    checks check_consistency;
}

/// `security.protocol`: what a connection runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityProtocol {
    /// `PLAINTEXT`: TCP, no authentication.
    Plaintext,
    /// `SSL`: TLS (client certificates authenticate, when the broker asks).
    Ssl,
    /// `SASL_PLAINTEXT`: SASL authentication over plain TCP.
    SaslPlaintext,
    /// `SASL_SSL`: SASL authentication over TLS.
    SaslSsl,
}

choices!(SecurityProtocol: "security.protocol", ignore_case = true => [
    "PLAINTEXT" => SecurityProtocol::Plaintext,
    "SSL" => SecurityProtocol::Ssl,
    "SASL_PLAINTEXT" => SecurityProtocol::SaslPlaintext,
    "SASL_SSL" => SecurityProtocol::SaslSsl,
]);

impl SecurityProtocol {
    /// Whether the connection runs over TLS.
    pub fn uses_tls(self) -> bool {
        matches!(self, SecurityProtocol::Ssl | SecurityProtocol::SaslSsl)
    }

    /// Whether the connection authenticates with SASL.
    pub fn uses_sasl(self) -> bool {
        matches!(
            self,
            SecurityProtocol::SaslPlaintext | SecurityProtocol::SaslSsl
        )
    }
}

/// `sasl.mechanism`: how the client proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SaslMechanism {
    /// `PLAIN` (RFC 4616): user name and password as they are; use it over
    /// TLS only.
    #[default]
    Plain,
    /// `SCRAM-SHA-256` (RFC 5802, RFC 7677): the password never crosses the
    /// wire, and the broker proves it knows it too.
    ScramSha256,
    /// `SCRAM-SHA-512`: SCRAM with SHA-512.
    ScramSha512,
    /// `GSSAPI`: Kerberos V5 through the system's GSSAPI library (the
    /// `gssapi` feature).
    Gssapi,
    /// `OAUTHBEARER` (RFC 7628): a bearer token from an
    /// [`OAuthBearerTokenProvider`].
    OAuthBearer,
}

choices!(SaslMechanism: "sasl.mechanism" => [
    "PLAIN" => SaslMechanism::Plain,
    "SCRAM-SHA-256" => SaslMechanism::ScramSha256,
    "SCRAM-SHA-512" => SaslMechanism::ScramSha512,
    "GSSAPI" => SaslMechanism::Gssapi,
    "OAUTHBEARER" => SaslMechanism::OAuthBearer,
]);

impl SaslMechanism {
    /// The mechanism's name in SaslHandshake.
    pub fn name(self) -> &'static str {
        crate::settings::values::choice_name(self)
    }
}

impl IntoSetting<Option<SaslMechanism>> for SaslMechanism {
    fn into_setting(self) -> Option<SaslMechanism> {
        Some(self)
    }
}

impl SecurityConfig {
    /// The settings must describe one connection: PEM stores only, one
    /// source of client key and certificate, SASL credentials when SASL is
    /// on, a known host name check.
    fn check_consistency(&self) -> Result<(), KrafkaError> {
        for (name, value) in [
            ("ssl.truststore.type", &self.ssl_truststore_type),
            ("ssl.keystore.type", &self.ssl_keystore_type),
        ] {
            if !value.eq_ignore_ascii_case("PEM") {
                return Err(KrafkaError::config(format!(
                    "`{name}` is `{value}`, but krafka reads PEM only \
                     (convert a JKS or PKCS12 store with keytool or openssl)"
                )));
            }
        }
        self.verify_hostname()?;
        tls::ClientIdentity::check_sources(self)?;
        tls::protocol_versions(self)?;
        tls::cipher_suites(self, &tls::provider())?;
        if self.security_protocol.uses_sasl() {
            sasl::SaslLogin::from_config(self)?;
        }
        Ok(())
    }

    /// Whether the broker's certificate must be for the host connected to
    /// (`ssl.endpoint.identification.algorithm`).
    pub(crate) fn verify_hostname(&self) -> Result<bool, KrafkaError> {
        let algorithm = self.ssl_endpoint_identification_algorithm.trim();
        if algorithm.eq_ignore_ascii_case("https") {
            Ok(true)
        } else if algorithm.is_empty() || algorithm.eq_ignore_ascii_case("none") {
            Ok(false)
        } else {
            Err(KrafkaError::config(format!(
                "`ssl.endpoint.identification.algorithm` must be `https` or empty, got `{algorithm}`"
            )))
        }
    }
}

/// What a connection needs for its TLS and SASL stages, read from the
/// settings once (files loaded, keys parsed) and shared by every connection
/// of a client.
#[derive(Debug, Clone, Default)]
pub struct Security {
    pub(crate) tls: Option<tls::TlsSetup>,
    pub(crate) sasl: Option<sasl::SaslLogin>,
    pub(crate) reauthenticate: bool,
}

impl Security {
    /// Reads the TLS material and SASL credentials `config` names; a
    /// missing or malformed file is a config error.
    pub fn new(config: &SecurityConfig) -> Result<Arc<Security>, KrafkaError> {
        config.validate()?;
        let tls = if config.security_protocol.uses_tls() {
            Some(tls::TlsSetup::new(config)?)
        } else {
            None
        };
        let sasl = if config.security_protocol.uses_sasl() {
            Some(sasl::SaslLogin::from_config(config)?)
        } else {
            None
        };
        Ok(Arc::new(Security {
            tls,
            sasl,
            reauthenticate: config.sasl_reauthentication,
        }))
    }
}

#[cfg(test)]
mod tests;
