//! The TLS stage, with rustls: the trust anchors and the client's identity
//! read from PEM once per client, the handshake per connection, and its
//! failures turned into one clear, non-retriable error.

use std::fmt;
use std::io;
use std::sync::Arc;

use krafka_core::KrafkaError;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};

use super::SecurityConfig;
use crate::connection::transport::BoxTransport;

/// The rustls settings every TLS connection of a client shares.
#[derive(Clone)]
pub(crate) struct TlsSetup {
    config: Arc<rustls::ClientConfig>,
}

impl fmt::Debug for TlsSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsSetup")
            .field(
                "client_certificate",
                &self.config.client_auth_cert_resolver.has_certs(),
            )
            .finish_non_exhaustive()
    }
}

/// The cryptography under rustls: ring, or aws-lc-rs with the `aws-lc-rs`
/// feature.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    return Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    // rustls deprecated its ring provider for lacking post-quantum key
    // exchange; it stays the default because it builds without cmake, and
    // the brokers' JVMs offer no post-quantum groups anyway.
    #[cfg(not(feature = "aws-lc-rs"))]
    #[allow(deprecated)]
    Arc::new(rustls::crypto::ring::default_provider())
}

impl TlsSetup {
    /// Reads the trust anchors and the client's key and certificates.
    pub(crate) fn new(config: &SecurityConfig) -> Result<TlsSetup, KrafkaError> {
        let mut provider = provider();
        if let Some(suites) = cipher_suites(config, &provider)? {
            provider = Arc::new(CryptoProvider {
                cipher_suites: suites,
                ..(*provider).clone()
            });
        }
        let tls_error = |e: rustls::Error| {
            KrafkaError::config(format!(
                "TLS settings (`ssl.enabled.protocols`, `ssl.cipher.suites`): {e}"
            ))
        };
        let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_protocol_versions(&protocol_versions(config)?)
            .map_err(tls_error)?;
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(trust_anchors(config)?), provider)
                .build()
                .map_err(|e| KrafkaError::config(format!("the trusted certificates: {e}")))?;
        let builder = if config.verify_hostname()? {
            builder.with_webpki_verifier(verifier)
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyHostName(verifier)))
        };
        let config = match ClientIdentity::load(config)? {
            Some(identity) => builder
                .with_client_auth_cert(identity.chain, identity.key)
                .map_err(|e| KrafkaError::config(format!("the client certificate and key: {e}")))?,
            None => builder.with_no_client_auth(),
        };
        Ok(TlsSetup {
            config: Arc::new(config),
        })
    }

    /// Runs the TLS handshake over `stream` with the broker at `peer`
    /// (`host:port`; the host is the name the certificate must be for).
    pub(crate) async fn handshake(
        &self,
        stream: BoxTransport,
        peer: &str,
    ) -> Result<BoxTransport, KrafkaError> {
        let host = host_of(peer);
        let name = ServerName::try_from(host.to_owned()).map_err(|_| {
            KrafkaError::config(format!("`{host}` is neither a host name nor an IP address"))
        })?;
        let connector = tokio_rustls::TlsConnector::from(Arc::clone(&self.config));
        match connector.connect(name, stream).await {
            Ok(tls) => Ok(Box::new(tls)),
            Err(error) => Err(handshake_error(peer, error)),
        }
    }
}

/// The TLS versions `ssl.enabled.protocols` names.
pub(crate) fn protocol_versions(
    config: &SecurityConfig,
) -> Result<Vec<&'static rustls::SupportedProtocolVersion>, KrafkaError> {
    let mut versions = Vec::new();
    for name in &config.ssl_enabled_protocols {
        let version = if name.eq_ignore_ascii_case("TLSv1.3") {
            &rustls::version::TLS13
        } else if name.eq_ignore_ascii_case("TLSv1.2") {
            &rustls::version::TLS12
        } else {
            return Err(KrafkaError::config(format!(
                "`ssl.enabled.protocols` names `{name}`; krafka speaks TLSv1.2 and TLSv1.3"
            )));
        };
        if !versions.contains(&version) {
            versions.push(version);
        }
    }
    if versions.is_empty() {
        return Err(KrafkaError::config(
            "`ssl.enabled.protocols` is empty: name TLSv1.2, TLSv1.3 or both",
        ));
    }
    Ok(versions)
}

/// The IANA name of a suite (rustls calls the TLS 1.3 ones `TLS13_…`).
fn suite_name(suite: &rustls::SupportedCipherSuite) -> String {
    let name = format!("{:?}", suite.suite());
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name,
    }
}

/// The suites `ssl.cipher.suites` names, in its order (none set: `None`,
/// the provider's own).
pub(crate) fn cipher_suites(
    config: &SecurityConfig,
    provider: &CryptoProvider,
) -> Result<Option<Vec<rustls::SupportedCipherSuite>>, KrafkaError> {
    if config.ssl_cipher_suites.is_empty() {
        return Ok(None);
    }
    let mut chosen = Vec::new();
    for name in &config.ssl_cipher_suites {
        let suite = provider
            .cipher_suites
            .iter()
            .find(|s| suite_name(s).eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let known: Vec<String> = provider.cipher_suites.iter().map(suite_name).collect();
                KrafkaError::config(format!(
                    "`ssl.cipher.suites` names `{name}`, which krafka does not offer (IANA names: {})",
                    known.join(", ")
                ))
            })?;
        chosen.push(*suite);
    }
    Ok(Some(chosen))
}

/// The host part of `host:port` (`[v6]:port` too).
pub(super) fn host_of(address: &str) -> &str {
    let host = address.rsplit_once(':').map_or(address, |(host, _)| host);
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}

/// A failed handshake: what rustls refused (a certificate, an alert from the
/// broker), or a broker that hung up because it does not speak TLS on this
/// port. Other I/O failures stay network errors (retriable).
fn handshake_error(peer: &str, error: io::Error) -> KrafkaError {
    if let Some(reason) = tls_failure(&error) {
        return KrafkaError::authentication(peer, reason);
    }
    match error.kind() {
        io::ErrorKind::UnexpectedEof
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted => KrafkaError::authentication(
            peer,
            "the broker closed the connection during the TLS handshake: is this a TLS \
             listener? (a plaintext listener needs security.protocol PLAINTEXT or SASL_PLAINTEXT)",
        ),
        _ => KrafkaError::network(peer, error),
    }
}

/// The text of a TLS failure inside an I/O error, if it is one.
pub(crate) fn tls_failure(error: &io::Error) -> Option<String> {
    let tls = error.get_ref()?.downcast_ref::<rustls::Error>()?;
    let hint = match tls {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            ": the broker's certificate is not signed by a trusted CA (ssl.truststore.location / ssl.ca.location)"
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => {
            ": the broker's certificate is not for this host \
             (ssl.endpoint.identification.algorithm= turns the check off)"
        }
        rustls::Error::AlertReceived(
            rustls::AlertDescription::HandshakeFailure
            | rustls::AlertDescription::ProtocolVersion
            | rustls::AlertDescription::InsufficientSecurity,
        ) => {
            ": the broker accepts none of the TLS versions or cipher suites offered \
             (ssl.enabled.protocols, ssl.cipher.suites), or refused our client certificate"
        }
        rustls::Error::AlertReceived(_) => {
            ": the broker refused the TLS session (with client certificates: is ours trusted and valid?)"
        }
        _ => "",
    };
    Some(format!("TLS: {tls}{hint}"))
}

/// Verifies the broker's certificate chain but not that it is for the host
/// connected to (`ssl.endpoint.identification.algorithm` empty).
#[derive(Debug)]
struct AnyHostName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyHostName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // webpki checks the name last, after the chain, expiry and usage.
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The certificates that may sign the broker's: the configured PEM file
/// and text, or else the platform's roots.
pub(crate) fn trust_anchors(config: &SecurityConfig) -> Result<RootCertStore, KrafkaError> {
    let mut roots = RootCertStore::empty();
    let mut configured = false;
    if let Some(path) = &config.ssl_truststore_location {
        configured = true;
        let pem = read_file("ssl.truststore.location", path)?;
        add_certificates(
            &mut roots,
            &pem,
            &format!("`ssl.truststore.location` ({path})"),
        )?;
    }
    if let Some(pem) = &config.ssl_truststore_certificates {
        configured = true;
        add_certificates(&mut roots, pem.as_bytes(), "`ssl.truststore.certificates`")?;
    }
    if !configured {
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        if roots.is_empty() {
            return Err(KrafkaError::config(
                "TLS needs trusted certificates: the platform has none, set \
                 `ssl.truststore.location` (or `ssl.ca.location`) to a PEM file",
            ));
        }
    }
    Ok(roots)
}

fn add_certificates(roots: &mut RootCertStore, pem: &[u8], what: &str) -> Result<(), KrafkaError> {
    let certificates = certificates(pem, what)?;
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|e| KrafkaError::config(format!("{what}: {e}")))?;
    }
    Ok(())
}

/// Every certificate of a PEM text; none is an error.
fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, KrafkaError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| KrafkaError::config(format!("{what} is not valid PEM: {e}")))?;
    if certificates.is_empty() {
        return Err(KrafkaError::config(format!("{what} holds no certificate")));
    }
    Ok(certificates)
}

fn read_file(setting: &str, path: &str) -> Result<Vec<u8>, KrafkaError> {
    std::fs::read(path)
        .map_err(|e| KrafkaError::config(format!("`{setting}` {path} cannot be read: {e}")))
}

/// The client's certificate chain and private key, for brokers that
/// require client certificates (mutual TLS).
pub(crate) struct ClientIdentity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl ClientIdentity {
    /// The key and chain must come from one place: the key store file,
    /// librdkafka's two files, or PEM text; each source whole.
    pub(crate) fn check_sources(config: &SecurityConfig) -> Result<(), KrafkaError> {
        let sources = [
            (
                config.ssl_keystore_location.is_some(),
                config.ssl_keystore_location.is_some(),
                "ssl.keystore.location",
            ),
            (
                config.ssl_certificate_location.is_some(),
                config.ssl_key_location.is_some(),
                "ssl.certificate.location and ssl.key.location",
            ),
            (
                config.ssl_keystore_certificate_chain.is_some(),
                config.ssl_keystore_key.is_some(),
                "ssl.keystore.certificate.chain and ssl.keystore.key",
            ),
        ];
        let mut set = sources.iter().filter(|(a, b, _)| *a || *b);
        if let (Some(first), Some(second)) = (set.next(), set.next()) {
            return Err(KrafkaError::config(format!(
                "the client certificate is set twice: by {} and by {}",
                first.2, second.2
            )));
        }
        for (a, b, names) in sources {
            if a != b {
                return Err(KrafkaError::config(format!(
                    "a client certificate needs both {names}"
                )));
            }
        }
        Ok(())
    }

    fn load(config: &SecurityConfig) -> Result<Option<ClientIdentity>, KrafkaError> {
        let password = config.ssl_key_password.as_ref().map(|p| p.expose());
        let (chain, key) = if let Some(path) = &config.ssl_keystore_location {
            let pem = read_file("ssl.keystore.location", path)?;
            let what = format!("`ssl.keystore.location` ({path})");
            (
                certificates(&pem, &what)?,
                private_key(&pem, password, &what)?,
            )
        } else if let (Some(cert), Some(key)) =
            (&config.ssl_certificate_location, &config.ssl_key_location)
        {
            let what = format!("`ssl.certificate.location` ({cert})");
            let chain = certificates(&read_file("ssl.certificate.location", cert)?, &what)?;
            let what = format!("`ssl.key.location` ({key})");
            let key = private_key(&read_file("ssl.key.location", key)?, password, &what)?;
            (chain, key)
        } else if let (Some(chain), Some(key)) = (
            &config.ssl_keystore_certificate_chain,
            &config.ssl_keystore_key,
        ) {
            (
                certificates(chain.as_bytes(), "`ssl.keystore.certificate.chain`")?,
                private_key(key.expose().as_bytes(), password, "`ssl.keystore.key`")?,
            )
        } else {
            return Ok(None);
        };
        Ok(Some(ClientIdentity { chain, key }))
    }
}

const ENCRYPTED_BEGIN: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
const ENCRYPTED_END: &str = "-----END ENCRYPTED PRIVATE KEY-----";

/// The first private key of a PEM text: PKCS#8, PKCS#1 (RSA) or SEC1 (EC),
/// or encrypted PKCS#8 decrypted with `password`. Errors name the source,
/// never the key.
pub(crate) fn private_key(
    pem: &[u8],
    password: Option<&str>,
    what: &str,
) -> Result<PrivateKeyDer<'static>, KrafkaError> {
    let text = String::from_utf8_lossy(pem);
    if let Some(start) = text.find(ENCRYPTED_BEGIN) {
        let section = text[start..]
            .find(ENCRYPTED_END)
            .map(|end| &text[start..start + end + ENCRYPTED_END.len()])
            .ok_or_else(|| {
                KrafkaError::config(format!("{what}: the encrypted key does not end"))
            })?;
        let password = password.ok_or_else(|| {
            KrafkaError::config(format!(
                "{what}: the private key is encrypted, set `ssl.key.password`"
            ))
        })?;
        let (_, document) = pkcs8::der::Document::from_pem(section).map_err(|e| {
            KrafkaError::config(format!("{what}: the encrypted key is not valid PEM: {e}"))
        })?;
        let encrypted =
            pkcs8::EncryptedPrivateKeyInfo::try_from(document.as_bytes()).map_err(|e| {
                KrafkaError::config(format!("{what}: the encrypted key is malformed: {e}"))
            })?;
        let decrypted = encrypted.decrypt(password).map_err(|e| {
            KrafkaError::config(format!(
                "{what}: the private key cannot be decrypted (is `ssl.key.password` right? \
                 PBES2 with AES and PBKDF2 or scrypt is supported): {e}"
            ))
        })?;
        return Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            decrypted.as_bytes().to_vec(),
        )));
    }
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| match e {
        rustls_pki_types::pem::Error::NoItemsFound => KrafkaError::config(format!(
            "{what} holds no private key (PKCS#8, PKCS#1 or SEC1 PEM)"
        )),
        other => KrafkaError::config(format!("{what}: the private key is not valid PEM: {other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_what_the_certificate_must_name() {
        assert_eq!(host_of("127.0.0.1:9093"), "127.0.0.1");
        assert_eq!(host_of("broker.example.com:9093"), "broker.example.com");
        assert_eq!(host_of("[::1]:9093"), "::1");
    }

    #[test]
    fn a_broker_hanging_up_in_the_handshake_is_an_authentication_error() {
        let error = handshake_error("b:9093", io::Error::from(io::ErrorKind::UnexpectedEof));
        assert!(
            matches!(error, KrafkaError::Authentication { .. }),
            "{error:?}"
        );
        assert!(!error.is_retriable());
        let refused = handshake_error("b:9093", io::Error::from(io::ErrorKind::TimedOut));
        assert!(refused.is_retriable());
        let unknown = handshake_error(
            "b:9093",
            io::Error::new(
                io::ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            ),
        );
        assert!(
            unknown.to_string().contains("not signed by a trusted CA"),
            "{unknown}"
        );
    }

    #[test]
    fn keys_in_every_pem_form() {
        let missing = private_key(b"nothing here", None, "`x`").unwrap_err();
        assert!(
            missing.to_string().contains("holds no private key"),
            "{missing}"
        );
        let encrypted = format!("{ENCRYPTED_BEGIN}\nMIIB\n{ENCRYPTED_END}\n");
        let no_password = private_key(encrypted.as_bytes(), None, "`x`").unwrap_err();
        assert!(
            no_password.to_string().contains("ssl.key.password"),
            "{no_password}"
        );
    }
}
