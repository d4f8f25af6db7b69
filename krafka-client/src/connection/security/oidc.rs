//! OAUTHBEARER tokens from an OpenID Connect token endpoint with the
//! `client_credentials` grant (RFC 6749 section 4.4), as Java's default
//! OAUTHBEARER login does: one HTTP/1.1 POST over TCP (`http:`) or TLS
//! (`https:`, trusting the `ssl.truststore.*` certificates or else the
//! platform's roots), the client id and secret as Basic authentication.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use krafka_core::KrafkaError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::SecurityConfig;
use super::jaas::LoginModule;
use super::oauth::{OAuthBearerToken, OAuthBearerTokenProvider, TokenFuture};
use crate::connection::transport::BoxTransport;
use crate::settings::Password;

/// The largest token endpoint answer read.
const MAX_RESPONSE: usize = 1024 * 1024;

/// A token endpoint and the client's credentials for it. `Debug` hides the
/// secret.
#[derive(Debug)]
pub(crate) struct ClientCredentials {
    url: String,
    endpoint: Endpoint,
    client_id: String,
    client_secret: Password,
    scope: Option<String>,
    principal_claim: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    tls: Option<Arc<rustls::ClientConfig>>,
}

/// The parts of an `http:` or `https:` URL a request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    https: bool,
    /// `host:port`, to connect to.
    address: String,
    /// The host as the Host header and the certificate name it.
    host: String,
    /// The path and query.
    target: String,
}

impl Endpoint {
    fn parse(url: &str) -> Result<Endpoint, KrafkaError> {
        let bad = |what: &str| {
            KrafkaError::config(format!(
                "`sasl.oauthbearer.token.endpoint.url` {url}: {what}"
            ))
        };
        let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(bad("only http:, https: and file: URLs are supported"));
        };
        let (authority, target) = match rest.find(['/', '?']) {
            Some(at) if rest[at..].starts_with('/') => (&rest[..at], rest[at..].to_owned()),
            Some(at) => (&rest[..at], format!("/{}", &rest[at..])),
            None => (rest, "/".to_owned()),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(bad("it has no host (or has user information)"));
        }
        let default_port = if https { 443 } else { 80 };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (
                host,
                port.parse::<u16>()
                    .map_err(|_| bad("its port is not a number"))?,
            ),
            _ => (authority, default_port),
        };
        Ok(Endpoint {
            https,
            address: format!("{host}:{port}"),
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            target,
        })
    }
}

impl ClientCredentials {
    /// The endpoint `url`, with the client id, secret and scope from the
    /// settings (`sasl.oauthbearer.client.credentials.*`,
    /// `sasl.oauthbearer.scope`) or the login module's `clientId`,
    /// `clientSecret` and `scope`.
    pub(crate) fn new(
        config: &SecurityConfig,
        module: Option<&LoginModule>,
        url: &str,
    ) -> Result<ClientCredentials, KrafkaError> {
        let endpoint = Endpoint::parse(url)?;
        let option = |name: &str| module.and_then(|m| m.options.get(name)).cloned();
        let client_id = config
            .sasl_oauthbearer_client_id
            .clone()
            .or_else(|| option("clientId"))
            .ok_or_else(|| {
                KrafkaError::config(
                    "an OIDC token endpoint needs `sasl.oauthbearer.client.credentials.client.id` \
                     (or clientId=\"…\" in `sasl.jaas.config`)",
                )
            })?;
        let client_secret = config
            .sasl_oauthbearer_client_secret
            .clone()
            .or_else(|| option("clientSecret").map(Password::new))
            .ok_or_else(|| {
                KrafkaError::config(
                    "an OIDC token endpoint needs `sasl.oauthbearer.client.credentials.client.secret` \
                     (or clientSecret=\"…\" in `sasl.jaas.config`)",
                )
            })?;
        let tls = if endpoint.https {
            // Identity providers usually have public certificates: the
            // platform's roots, and the configured CAs for a private one.
            let mut roots = rustls::RootCertStore::empty();
            roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            if config.ssl_truststore_location.is_some()
                || config.ssl_truststore_certificates.is_some()
            {
                roots.roots.extend(super::tls::trust_anchors(config)?.roots);
            }
            let provider = super::tls::provider();
            let tls = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| KrafkaError::config(format!("TLS for the token endpoint: {e}")))?
                .with_root_certificates(roots)
                .with_no_client_auth();
            Some(Arc::new(tls))
        } else {
            None
        };
        Ok(ClientCredentials {
            url: url.to_owned(),
            endpoint,
            client_id,
            client_secret,
            scope: config
                .sasl_oauthbearer_scope
                .clone()
                .or_else(|| option("scope")),
            principal_claim: config.sasl_oauthbearer_sub_claim_name.clone(),
            connect_timeout: config.sasl_login_connect_timeout,
            read_timeout: config.sasl_login_read_timeout,
            tls,
        })
    }

    /// The POST request: Basic authentication with the form-encoded id and
    /// secret (RFC 6749 section 2.3.1), the grant and scope as a form.
    fn request(&self) -> Vec<u8> {
        let basic = BASE64.encode(format!(
            "{}:{}",
            form_encode(&self.client_id),
            form_encode(self.client_secret.expose())
        ));
        let mut body = "grant_type=client_credentials".to_owned();
        if let Some(scope) = self.scope.as_deref().filter(|s| !s.is_empty()) {
            body.push_str("&scope=");
            body.push_str(&form_encode(scope));
        }
        let host = if self.endpoint.host.contains(':') {
            format!("[{}]", self.endpoint.host)
        } else {
            self.endpoint.host.clone()
        };
        format!(
            "POST {} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {basic}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\nUser-Agent: krafka\r\n\r\n{body}",
            self.endpoint.target,
            body.len()
        )
        .into_bytes()
    }

    async fn fetch(&self) -> Result<OAuthBearerToken, KrafkaError> {
        let failed = |what: String| {
            KrafkaError::authentication(
                &self.endpoint.address,
                format!("OIDC token endpoint {}: {what}", self.url),
            )
        };
        let tcp = tokio::time::timeout(
            self.connect_timeout,
            tokio::net::TcpStream::connect(&self.endpoint.address),
        )
        .await
        .map_err(|_| failed(format!("no connection within {:?}", self.connect_timeout)))?
        .map_err(|e| failed(format!("cannot connect: {e}")))?;
        let mut stream: BoxTransport = match &self.tls {
            Some(tls) => {
                let name = rustls_pki_types::ServerName::try_from(self.endpoint.host.clone())
                    .map_err(|_| failed("the host is not a valid name".to_owned()))?;
                let connector = tokio_rustls::TlsConnector::from(Arc::clone(tls));
                let session =
                    tokio::time::timeout(self.connect_timeout, connector.connect(name, tcp))
                        .await
                        .map_err(|_| failed("the TLS handshake timed out".to_owned()))?
                        .map_err(|e| failed(format!("TLS: {e}")))?;
                Box::new(session)
            }
            None => Box::new(tcp),
        };
        let exchange = async {
            stream.write_all(&self.request()).await?;
            stream.flush().await?;
            let mut answer = Vec::new();
            let mut limited = (&mut stream).take(MAX_RESPONSE as u64 + 1);
            limited.read_to_end(&mut answer).await?;
            Ok::<_, std::io::Error>(answer)
        };
        let answer = tokio::time::timeout(self.read_timeout, exchange)
            .await
            .map_err(|_| failed(format!("no answer within {:?}", self.read_timeout)))?
            .map_err(|e| failed(format!("{e}")))?;
        if answer.len() > MAX_RESPONSE {
            return Err(failed("the answer is larger than 1 MiB".to_owned()));
        }
        let (status, body) = parse_response(&answer).map_err(|e| failed(e.to_owned()))?;
        let text = String::from_utf8_lossy(&body);
        if !(200..300).contains(&status) {
            let shown: String = text.chars().take(300).collect();
            return Err(failed(format!("HTTP {status}: {shown}")));
        }
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| failed("the answer is not JSON".to_owned()))?;
        let access_token = json
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| failed("the answer has no access_token".to_owned()))?;
        match OAuthBearerToken::from_jwt(access_token, &self.principal_claim) {
            Ok(token) => Ok(token),
            // An opaque token: its lifetime is what the endpoint says.
            Err(_) => {
                let seconds = json
                    .get("expires_in")
                    .and_then(serde_json::Value::as_u64)
                    .ok_or_else(|| {
                        failed("the access_token is not a JWT and has no expires_in".to_owned())
                    })?;
                Ok(OAuthBearerToken::new(
                    access_token,
                    self.client_id.clone(),
                    SystemTime::now() + Duration::from_secs(seconds),
                ))
            }
        }
    }
}

impl OAuthBearerTokenProvider for ClientCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The status and body of an HTTP/1.1 response read to its end (the
/// request asked the server to close): the body as Content-Length or
/// chunked transfer coding say, or everything after the headers.
fn parse_response(answer: &[u8]) -> Result<(u16, Vec<u8>), &'static str> {
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the answer is not HTTP (no end of headers)")?;
    let head = std::str::from_utf8(&answer[..end]).map_err(|_| "the HTTP headers are not text")?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| {
            let mut parts = line.split(' ');
            let version = parts.next()?;
            version.starts_with("HTTP/").then_some(())?;
            parts.next()?.parse::<u16>().ok()
        })
        .ok_or("the answer is not HTTP (bad status line)")?;
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().map_err(|_| "a bad Content-Length")?);
        }
    }
    let rest = &answer[end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else if let Some(length) = length {
        rest.get(..length)
            .ok_or("the answer ends before its Content-Length")?
            .to_vec()
    } else {
        rest.to_vec()
    };
    Ok((status, body))
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk has no size line")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).map_err(|_| "a bad chunk size")?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| "a bad chunk size")?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(rest.get(..size).ok_or("a chunk is cut short")?);
        rest = rest.get(size + 2..).ok_or("a chunk is cut short")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_address_host_and_target() {
        let e = Endpoint::parse("http://127.0.0.1:8080/oauth2/token?x=1").unwrap();
        assert_eq!(
            (
                e.https,
                e.address.as_str(),
                e.host.as_str(),
                e.target.as_str()
            ),
            (false, "127.0.0.1:8080", "127.0.0.1", "/oauth2/token?x=1")
        );
        let e = Endpoint::parse("https://idp.example.com").unwrap();
        assert_eq!(
            (e.address.as_str(), e.target.as_str()),
            ("idp.example.com:443", "/")
        );
        let e = Endpoint::parse("https://[::1]:8443/t").unwrap();
        assert_eq!((e.address.as_str(), e.host.as_str()), ("[::1]:8443", "::1"));
        assert!(Endpoint::parse("ftp://x/y").is_err());
        assert!(Endpoint::parse("http://u:p@x/y").is_err());
    }

    #[test]
    fn responses_with_length_chunks_or_neither() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}trailing";
        assert_eq!(parse_response(plain).unwrap(), (200, b"{}".to_vec()));
        let chunked =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n2;x=y\r\n\":\r\n1\r\n1\r\n1\r\n}\r\n0\r\n\r\n";
        assert_eq!(
            parse_response(chunked).unwrap(),
            (200, b"{\"a\":1}".to_vec())
        );
        let closed = b"HTTP/1.0 401 Unauthorized\r\n\r\nno";
        assert_eq!(parse_response(closed).unwrap(), (401, b"no".to_vec()));
        assert!(parse_response(b"garbage").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}").is_err());
    }

    #[test]
    fn form_encoding() {
        assert_eq!(form_encode("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }
}
