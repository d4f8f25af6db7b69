//! SASL OAUTHBEARER (RFC 7628, KIP-255): the client sends a bearer token
//! (with KIP-342 extensions) that the broker validates; tokens come from an
//! [`OAuthBearerTokenProvider`] and are cached until they near expiry.
//!
//! Providers: an unsecured JWS built from Java's `OAuthBearerLoginModule`
//! options (`unsecuredLoginStringClaim_sub="alice"`, for brokers with the
//! unsecured validator), a token file (`sasl.oauthbearer.token.endpoint.url=
//! file:…`), an OIDC `client_credentials` grant (feature `oauthbearer-oidc`)
//! and any application type.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL;
use krafka_core::KrafkaError;

use super::SecurityConfig;
use super::jaas::LoginModule;
use crate::settings::{IntoSetting, Password, SettingValue};

/// The login module class Java's OAUTHBEARER `sasl.jaas.config` names.
pub(crate) const OAUTH_MODULE: &str =
    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

/// The part of a token's lifetime after which a new one is fetched (Java's
/// `sasl.login.refresh.window.factor` default).
const REFRESH_WINDOW: f64 = 0.8;

/// A bearer token, the principal it names and when it expires. `Debug`
/// hides the token.
#[derive(Clone)]
pub struct OAuthBearerToken {
    value: Password,
    principal: String,
    expires_at: SystemTime,
}

impl fmt::Debug for OAuthBearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthBearerToken")
            .field("value", &self.value)
            .field("principal", &self.principal)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl OAuthBearerToken {
    /// A token given as it is: its text, the principal (for logs and
    /// errors) and its expiry.
    pub fn new(
        value: impl Into<String>,
        principal: impl Into<String>,
        expires_at: SystemTime,
    ) -> Self {
        OAuthBearerToken {
            value: Password::new(value),
            principal: principal.into(),
            expires_at,
        }
    }

    /// A JWT (compact form, signed or not): the principal is its
    /// `principal_claim` (`sub` by default), the expiry its `exp`. The
    /// signature is the broker's to check.
    pub fn from_jwt(value: impl Into<String>, principal_claim: &str) -> Result<Self, KrafkaError> {
        let value = value.into();
        let claims = jwt_claims(&value)?;
        let expires = claims
            .get("exp")
            .and_then(serde_json::Value::as_f64)
            .filter(|exp| exp.is_finite() && *exp >= 0.0)
            .ok_or_else(|| KrafkaError::config("the OAUTHBEARER token has no `exp` claim"))?;
        let principal = claims
            .get(principal_claim)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                KrafkaError::config(format!(
                    "the OAUTHBEARER token has no `{principal_claim}` claim (the principal)"
                ))
            })?;
        Ok(OAuthBearerToken {
            principal: principal.to_owned(),
            expires_at: UNIX_EPOCH + Duration::from_secs_f64(expires),
            value: Password::new(value),
        })
    }

    /// The token itself.
    pub fn value(&self) -> &str {
        self.value.expose()
    }

    /// Whom the token names.
    pub fn principal(&self) -> &str {
        &self.principal
    }

    /// When the token stops being valid.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }
}

/// The claims of a JWT: its second part, base64url JSON. Errors never
/// quote the token.
fn jwt_claims(token: &str) -> Result<serde_json::Map<String, serde_json::Value>, KrafkaError> {
    let bad =
        |what: &str| KrafkaError::config(format!("the OAUTHBEARER token is not a JWT: {what}"));
    let mut parts = token.trim().split('.');
    let payload = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(payload), Some(_), None) => payload,
        _ => return Err(bad("it does not have three dot-separated parts")),
    };
    let json = BASE64URL
        .decode(payload.trim_end_matches('='))
        .map_err(|_| bad("its claims are not base64url"))?;
    match serde_json::from_slice(&json) {
        Ok(serde_json::Value::Object(claims)) => Ok(claims),
        _ => Err(bad("its claims are not a JSON object")),
    }
}

/// What [`OAuthBearerTokenProvider::token`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<OAuthBearerToken, KrafkaError>> + Send + 'a>>;

/// Where OAUTHBEARER tokens come from. Krafka asks for a token when it has
/// none and once the last one has run through 80 % of its lifetime, so a
/// provider may fetch a fresh one on every call; the client shares one
/// token between its connections.
pub trait OAuthBearerTokenProvider: fmt::Debug + Send + Sync + 'static {
    /// A valid token.
    fn token(&self) -> TokenFuture<'_>;
}

/// A token that never changes (for tokens minted elsewhere with a long
/// life).
#[derive(Debug, Clone)]
pub struct StaticToken(pub OAuthBearerToken);

impl OAuthBearerTokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// The `sasl.oauthbearer.token.provider` setting (code only): an
/// application's [`OAuthBearerTokenProvider`]. Two are equal when they are
/// the same provider.
#[derive(Clone)]
pub struct TokenProvider(pub Arc<dyn OAuthBearerTokenProvider>);

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialEq for TokenProvider {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A provider that has no token: the placeholder the settings table needs.
#[derive(Debug)]
struct NoToken;

impl OAuthBearerTokenProvider for NoToken {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async { Err(KrafkaError::config("no OAUTHBEARER token provider is set")) })
    }
}

impl Default for TokenProvider {
    fn default() -> Self {
        TokenProvider(Arc::new(NoToken))
    }
}

impl SettingValue for TokenProvider {
    const TYPE: &'static str = "token provider";

    fn parse(key: &str, _value: &str) -> Result<Self, KrafkaError> {
        Err(KrafkaError::config(format!(
            "`{key}` is set in code (SecurityConfig::builder), not by name"
        )))
    }

    fn text(&self) -> String {
        format!("{:?}", self.0)
    }

    #[cfg(test)]
    fn other(&self) -> Self {
        TokenProvider(Arc::new(NoToken))
    }
}

impl<P: OAuthBearerTokenProvider> IntoSetting<Option<TokenProvider>> for Arc<P> {
    fn into_setting(self) -> Option<TokenProvider> {
        Some(TokenProvider(self))
    }
}

impl IntoSetting<Option<TokenProvider>> for Arc<dyn OAuthBearerTokenProvider> {
    fn into_setting(self) -> Option<TokenProvider> {
        Some(TokenProvider(self))
    }
}

impl IntoSetting<Option<TokenProvider>> for TokenProvider {
    fn into_setting(self) -> Option<TokenProvider> {
        Some(self)
    }
}

/// Java's unsecured login (`OAuthBearerUnsecuredLoginCallbackHandler`): a
/// JWS with `"alg":"none"` and the claims the login module options give,
/// made anew for every token. Only brokers with the unsecured validator
/// (tests, development) accept it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnsecuredJws {
    principal_claim: String,
    principal: String,
    lifetime: Duration,
    /// Claims other than `iat` and `exp`, JSON values, in option order.
    claims: Vec<(String, serde_json::Value)>,
}

impl UnsecuredJws {
    /// From the `unsecuredLogin*` options of an OAuthBearerLoginModule.
    pub(crate) fn from_login(module: &LoginModule) -> Result<Option<UnsecuredJws>, KrafkaError> {
        let options = &module.options;
        if !options.keys().any(|k| k.starts_with("unsecuredLogin")) {
            return Ok(None);
        }
        let bad = |what: String| KrafkaError::config(format!("`sasl.jaas.config`: {what}"));
        let principal_claim = options
            .get("unsecuredLoginPrincipalClaimName")
            .cloned()
            .unwrap_or_else(|| "sub".to_owned());
        let lifetime = match options.get("unsecuredLoginLifetimeSeconds") {
            Some(seconds) => Duration::from_secs(seconds.trim().parse().map_err(|_| {
                bad(format!(
                    "unsecuredLoginLifetimeSeconds must be whole seconds, got `{seconds}`"
                ))
            })?),
            None => Duration::from_secs(3600),
        };
        let mut names: Vec<&String> = options.keys().collect();
        names.sort();
        let mut claims = Vec::new();
        for name in names {
            let value = &options[name];
            let claim = if let Some(claim) = name.strip_prefix("unsecuredLoginStringClaim_") {
                (claim, serde_json::Value::String(value.clone()))
            } else if let Some(claim) = name.strip_prefix("unsecuredLoginNumberClaim_") {
                let number: serde_json::Number = value
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("{name} must be a number, got `{value}`")))?;
                (claim, serde_json::Value::Number(number))
            } else if let Some(claim) = name.strip_prefix("unsecuredLoginListClaim_") {
                // The first character separates the entries.
                let mut chars = value.chars();
                let list = match chars.next() {
                    Some(separator) => chars
                        .as_str()
                        .split(separator)
                        .filter(|s| !s.is_empty())
                        .map(|s| serde_json::Value::String(s.to_owned()))
                        .collect(),
                    None => Vec::new(),
                };
                (claim, serde_json::Value::Array(list))
            } else {
                continue;
            };
            if matches!(claim.0, "iat" | "exp") {
                return Err(bad(format!("{name}: `{}` is set by krafka", claim.0)));
            }
            claims.push((claim.0.to_owned(), claim.1));
        }
        let principal = claims
            .iter()
            .find(|(name, _)| *name == principal_claim)
            .and_then(|(_, value)| value.as_str())
            .ok_or_else(|| {
                bad(format!(
                    "an unsecured OAUTHBEARER login needs unsecuredLoginStringClaim_{principal_claim}=\"…\" (the principal)"
                ))
            })?
            .to_owned();
        Ok(Some(UnsecuredJws {
            principal_claim,
            principal,
            lifetime,
            claims,
        }))
    }

    /// A token issued `now`.
    fn mint(&self, now: SystemTime) -> OAuthBearerToken {
        let issued = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        let expires = issued + self.lifetime;
        let mut claims = serde_json::Map::new();
        claims.insert("iat".to_owned(), issued.as_secs().into());
        claims.insert("exp".to_owned(), expires.as_secs().into());
        for (name, value) in &self.claims {
            claims.insert(name.clone(), value.clone());
        }
        let header = BASE64URL.encode(br#"{"alg":"none"}"#);
        let payload = BASE64URL.encode(serde_json::Value::Object(claims).to_string());
        OAuthBearerToken {
            value: Password::new(format!("{header}.{payload}.")),
            principal: self.principal.clone(),
            expires_at: UNIX_EPOCH + Duration::from_secs(expires.as_secs()),
        }
    }
}

impl OAuthBearerTokenProvider for UnsecuredJws {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move { Ok(self.mint(SystemTime::now())) })
    }
}

/// A JWT in a file, read again for every new token (Java's
/// `sasl.oauthbearer.token.endpoint.url=file:…`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TokenFile {
    path: String,
    principal_claim: String,
}

impl OAuthBearerTokenProvider for TokenFile {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let text = tokio::fs::read_to_string(&self.path).await.map_err(|e| {
                KrafkaError::config(format!(
                    "the OAUTHBEARER token file {} cannot be read: {e}",
                    self.path
                ))
            })?;
            OAuthBearerToken::from_jwt(text.trim(), &self.principal_claim)
        })
    }
}

/// The OAUTHBEARER settings of a client: where tokens come from, the
/// current one, and the extensions sent with it.
pub(crate) struct OAuthBearer {
    provider: Arc<dyn OAuthBearerTokenProvider>,
    extensions: Vec<(String, String)>,
    current: tokio::sync::Mutex<Option<Cached>>,
}

struct Cached {
    token: OAuthBearerToken,
    refresh_at: Instant,
    expires_at: Instant,
}

impl fmt::Debug for OAuthBearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.extensions.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("OAuthBearer")
            .field("provider", &self.provider)
            .field("extensions", &names)
            .finish_non_exhaustive()
    }
}

impl OAuthBearer {
    /// The provider the settings name: the application's, a token file or
    /// an OIDC token endpoint (`sasl.oauthbearer.token.endpoint.url`), or
    /// Java's unsecured login (`sasl.jaas.config`).
    pub(crate) fn from_config(config: &SecurityConfig) -> Result<OAuthBearer, KrafkaError> {
        let module = match &config.sasl_jaas_config {
            Some(line) => {
                let module = LoginModule::parse(line.expose())?;
                if module.class != OAUTH_MODULE {
                    return Err(KrafkaError::config(format!(
                        "`sasl.jaas.config` names {}, but OAUTHBEARER takes the {OAUTH_MODULE}",
                        module.class
                    )));
                }
                Some(module)
            }
            None if config.enable_sasl_oauthbearer_unsecure_jwt => {
                Some(librdkafka_unsecured(config)?)
            }
            None => None,
        };
        if config.sasl_oauthbearer_method.eq_ignore_ascii_case("oidc")
            && config.sasl_oauthbearer_token_endpoint_url.is_none()
        {
            return Err(KrafkaError::config(
                "`sasl.oauthbearer.method=oidc` needs `sasl.oauthbearer.token.endpoint.url`",
            ));
        } else if !["oidc", "default"]
            .iter()
            .any(|m| config.sasl_oauthbearer_method.eq_ignore_ascii_case(m))
        {
            return Err(KrafkaError::config(format!(
                "`sasl.oauthbearer.method` is `default` or `oidc`, got `{}`",
                config.sasl_oauthbearer_method
            )));
        }
        let principal_claim = config.sasl_oauthbearer_sub_claim_name.clone();
        let provider: Arc<dyn OAuthBearerTokenProvider> = if let Some(provider) =
            &config.sasl_oauthbearer_token_provider
        {
            Arc::clone(&provider.0)
        } else if let Some(url) = &config.sasl_oauthbearer_token_endpoint_url {
            if let Some(path) = url.strip_prefix("file:") {
                // file:/p, file:///p and file://localhost/p all name /p.
                let path = path
                    .strip_prefix("//localhost")
                    .or_else(|| path.strip_prefix("//"))
                    .unwrap_or(path);
                Arc::new(TokenFile {
                    path: path.to_owned(),
                    principal_claim,
                })
            } else {
                client_credentials(config, module.as_ref(), url)?
            }
        } else if let Some(unsecured) = module
            .as_ref()
            .map(UnsecuredJws::from_login)
            .transpose()?
            .flatten()
        {
            Arc::new(unsecured)
        } else {
            return Err(KrafkaError::config(
                "SASL OAUTHBEARER needs a token: `sasl.oauthbearer.token.endpoint.url` (an OIDC \
                 token endpoint or a file: URL), a token provider set in code, or an unsecured \
                 login (`sasl.jaas.config` with unsecuredLoginStringClaim_sub=\"…\")",
            ));
        };
        Ok(OAuthBearer {
            provider,
            extensions: extensions(config, module.as_ref())?,
            current: tokio::sync::Mutex::new(None),
        })
    }

    /// The current token, or a new one when there is none or it has run
    /// through its refresh window; if refreshing fails while the old token
    /// is still valid, the old one is used.
    pub(crate) async fn token(&self) -> Result<OAuthBearerToken, KrafkaError> {
        let mut current = self.current.lock().await;
        let now = Instant::now();
        if let Some(cached) = current.as_ref().filter(|c| now < c.refresh_at) {
            return Ok(cached.token.clone());
        }
        match self.provider.token().await {
            Ok(token) => {
                let left = token
                    .expires_at
                    .duration_since(SystemTime::now())
                    .unwrap_or_default();
                if left.is_zero() {
                    return Err(KrafkaError::config(format!(
                        "the OAUTHBEARER token for {} has already expired",
                        token.principal
                    )));
                }
                *current = Some(Cached {
                    token: token.clone(),
                    refresh_at: now + left.mul_f64(REFRESH_WINDOW),
                    expires_at: now + left,
                });
                Ok(token)
            }
            Err(error) => match current.as_ref().filter(|c| now < c.expires_at) {
                Some(cached) => {
                    tracing::warn!(
                        error = %error,
                        principal = %cached.token.principal,
                        "refreshing the OAUTHBEARER token failed; the current one is still valid"
                    );
                    Ok(cached.token.clone())
                }
                None => Err(error),
            },
        }
    }

    /// The client's first (and only) message, RFC 7628 section 3.1 as Kafka
    /// reads it: `n,,^Aauth=Bearer <token>^A<extensions, each key=value^A>^A`.
    pub(crate) fn initial_response(&self, token: &OAuthBearerToken) -> Vec<u8> {
        let mut message = format!("n,,\x01auth=Bearer {}", token.value());
        for (key, value) in &self.extensions {
            message.push('\x01');
            message.push_str(key);
            message.push('=');
            message.push_str(value);
        }
        message.push_str("\x01\x01");
        message.into_bytes()
    }
}

/// librdkafka's unsecured JWT (`enable.sasl.oauthbearer.unsecure.jwt=true`,
/// `sasl.oauthbearer.config="principal=alice scope=a,b lifeSeconds=600
/// extension_k=v"`) as the Java login options that mean the same.
fn librdkafka_unsecured(config: &SecurityConfig) -> Result<LoginModule, KrafkaError> {
    let text = config
        .sasl_oauthbearer_config
        .as_ref()
        .map(|c| c.expose().to_owned())
        .unwrap_or_default();
    let mut given = std::collections::HashMap::new();
    for pair in text.split_whitespace() {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            KrafkaError::config(
                "`sasl.oauthbearer.config` entries are key=value, separated by spaces",
            )
        })?;
        given.insert(key.to_owned(), value.to_owned());
    }
    let principal_claim = given
        .remove("principalClaimName")
        .unwrap_or_else(|| "sub".to_owned());
    let scope_claim = given
        .remove("scopeClaimName")
        .unwrap_or_else(|| "scope".to_owned());
    let mut options = std::collections::HashMap::new();
    options.insert(
        "unsecuredLoginPrincipalClaimName".to_owned(),
        principal_claim.clone(),
    );
    for (key, value) in given {
        let option = match key.as_str() {
            "principal" => format!("unsecuredLoginStringClaim_{principal_claim}"),
            "lifeSeconds" => "unsecuredLoginLifetimeSeconds".to_owned(),
            "scope" => {
                options.insert(
                    format!("unsecuredLoginListClaim_{scope_claim}"),
                    format!(",{value}"),
                );
                continue;
            }
            other if other.starts_with("extension_") => other.to_owned(),
            other => {
                return Err(KrafkaError::config(format!(
                    "`sasl.oauthbearer.config` has `{other}`; it takes principal, \
                     principalClaimName, scope, scopeClaimName, lifeSeconds and extension_<name>"
                )));
            }
        };
        options.insert(option, value);
    }
    Ok(LoginModule {
        class: OAUTH_MODULE.to_owned(),
        options,
    })
}

/// The extensions (KIP-342): Java's `unsecuredLoginExtension_<key>` and
/// `extension_<key>` login options, librdkafka's `sasl.oauthbearer.extensions`.
fn extensions(
    config: &SecurityConfig,
    module: Option<&LoginModule>,
) -> Result<Vec<(String, String)>, KrafkaError> {
    let mut extensions = Vec::new();
    if let Some(module) = module {
        let mut names: Vec<&String> = module.options.keys().collect();
        names.sort();
        for name in names {
            let key = name
                .strip_prefix("unsecuredLoginExtension_")
                .or_else(|| name.strip_prefix("extension_"));
            if let Some(key) = key {
                extensions.push((key.to_owned(), module.options[name].clone()));
            }
        }
    }
    for entry in &config.sasl_oauthbearer_extensions {
        let (key, value) = entry.split_once('=').ok_or_else(|| {
            KrafkaError::config(format!(
                "`sasl.oauthbearer.extensions` entries are key=value, got `{entry}`"
            ))
        })?;
        extensions.push((key.trim().to_owned(), value.trim().to_owned()));
    }
    for (key, value) in &extensions {
        // RFC 7628: keys are letters; values printable ASCII, spaces and
        // line breaks; `auth` is the token's.
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphabetic()) || key == "auth" {
            return Err(KrafkaError::config(format!(
                "the OAUTHBEARER extension name `{key}` must be letters only, and not `auth`"
            )));
        }
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) || matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            return Err(KrafkaError::config(format!(
                "the value of the OAUTHBEARER extension `{key}` must be printable ASCII"
            )));
        }
    }
    Ok(extensions)
}

#[cfg(feature = "oauthbearer-oidc")]
fn client_credentials(
    config: &SecurityConfig,
    module: Option<&LoginModule>,
    url: &str,
) -> Result<Arc<dyn OAuthBearerTokenProvider>, KrafkaError> {
    Ok(Arc::new(super::oidc::ClientCredentials::new(
        config, module, url,
    )?))
}

#[cfg(not(feature = "oauthbearer-oidc"))]
fn client_credentials(
    _config: &SecurityConfig,
    _module: Option<&LoginModule>,
    url: &str,
) -> Result<Arc<dyn OAuthBearerTokenProvider>, KrafkaError> {
    Err(KrafkaError::config(format!(
        "`sasl.oauthbearer.token.endpoint.url` {url}: an OIDC token endpoint needs krafka's \
         `oauthbearer-oidc` feature (a file: URL works without it)"
    )))
}

#[cfg(test)]
mod tests;
