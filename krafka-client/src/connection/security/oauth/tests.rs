use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

fn config(properties: &[(&str, &str)]) -> SecurityConfig {
    let mut all = vec![
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "OAUTHBEARER"),
    ];
    all.extend_from_slice(properties);
    SecurityConfig::from_properties(all).unwrap()
}

fn decode(part: &str) -> serde_json::Value {
    serde_json::from_slice(&BASE64URL.decode(part).unwrap()).unwrap()
}

/// Java's unsecured login: `{"alg":"none"}`, the claims, an empty
/// signature; `exp` one lifetime after `iat`.
#[test]
fn an_unsecured_login_makes_an_unsigned_jws() {
    let module = LoginModule::parse(
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required \
         unsecuredLoginStringClaim_sub=\"alice\" unsecuredLoginListClaim_scope=\",read,write\" \
         unsecuredLoginNumberClaim_n=\"7\" unsecuredLoginLifetimeSeconds=\"60\";",
    )
    .unwrap();
    let jws = UnsecuredJws::from_login(&module).unwrap().unwrap();
    let token = jws.mint(UNIX_EPOCH + Duration::from_secs(1_000));
    let parts: Vec<&str> = token.value().split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(decode(parts[0]), serde_json::json!({"alg": "none"}));
    assert_eq!(
        decode(parts[1]),
        serde_json::json!({"iat": 1000, "exp": 1060, "sub": "alice", "scope": ["read", "write"], "n": 7})
    );
    assert_eq!(parts[2], "");
    assert_eq!(token.principal(), "alice");
    assert_eq!(token.expires_at(), UNIX_EPOCH + Duration::from_secs(1060));
    let back = OAuthBearerToken::from_jwt(token.value(), "sub").unwrap();
    assert_eq!(
        (back.principal(), back.expires_at()),
        ("alice", token.expires_at())
    );

    let no_sub = LoginModule::parse(&format!(
        "{OAUTH_MODULE} required unsecuredLoginStringClaim_x=\"y\";"
    ))
    .unwrap();
    let error = UnsecuredJws::from_login(&no_sub).unwrap_err();
    assert!(
        error.to_string().contains("unsecuredLoginStringClaim_sub"),
        "{error}"
    );
}

/// RFC 7628's client message as Kafka reads it, with KIP-342 extensions.
#[test]
fn the_initial_response_carries_token_and_extensions() {
    let oauth = OAuthBearer::from_config(&config(&[
        (
            "sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required \
             unsecuredLoginStringClaim_sub=\"alice\" unsecuredLoginExtension_traceId=\"t1\";",
        ),
        ("sasl.oauthbearer.extensions", "cluster=lkc-1"),
    ]))
    .unwrap();
    let token = OAuthBearerToken::new("tok.en.", "alice", SystemTime::now());
    assert_eq!(
        oauth.initial_response(&token),
        b"n,,\x01auth=Bearer tok.en.\x01traceId=t1\x01cluster=lkc-1\x01\x01".to_vec()
    );
    for bad in ["auth=x", "a-b=x", "novalue"] {
        let error = SecurityConfig::from_properties([
            ("security.protocol", "SASL_PLAINTEXT"),
            ("sasl.mechanism", "OAUTHBEARER"),
            (
                "sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"a\";",
            ),
            ("sasl.oauthbearer.extensions", bad),
        ])
        .unwrap_err();
        assert!(matches!(error, KrafkaError::Config(_)), "{error:?}");
    }
}

#[test]
fn tokens_never_show() {
    let token = OAuthBearerToken::new("s3cret-token", "alice", SystemTime::now());
    let text = format!("{token:?} {:?}", StaticToken(token.clone()));
    assert!(!text.contains("s3cret") && text.contains("alice"), "{text}");
    let config = config(&[
        ("sasl.oauthbearer.token.endpoint.url", "file:/nonexistent"),
        ("sasl.oauthbearer.client.secret", "s3cret-client"),
    ]);
    let oauth = OAuthBearer::from_config(&config).unwrap();
    for text in [format!("{config:?}"), format!("{oauth:?}")] {
        assert!(!text.contains("s3cret"), "{text}");
    }
    let error = OAuthBearerToken::from_jwt("s3cret.bm90IGpzb24.x", "sub").unwrap_err();
    assert!(!error.to_string().contains("s3cret"), "{error}");
}

#[test]
fn oauthbearer_needs_a_token_source() {
    let error = SecurityConfig::from_properties([
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanism", "OAUTHBEARER"),
    ])
    .unwrap_err();
    assert!(error.to_string().contains("needs a token"), "{error}");
    let wrong_module = SecurityConfig::from_properties([
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanism", "OAUTHBEARER"),
        (
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\" password=\"s3cret\";",
        ),
    ])
    .unwrap_err();
    assert!(
        wrong_module.to_string().contains("OAuthBearerLoginModule"),
        "{wrong_module}"
    );
    assert!(!wrong_module.to_string().contains("s3cret"));
}

#[derive(Debug, Default)]
struct Counting {
    calls: AtomicUsize,
    lifetime_ms: u64,
    fail_after: Option<usize>,
}

impl OAuthBearerTokenProvider for Counting {
    fn token(&self) -> TokenFuture<'_> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let lifetime = Duration::from_millis(self.lifetime_ms);
        let fail = self.fail_after.is_some_and(|after| n >= after);
        Box::pin(async move {
            if fail {
                return Err(KrafkaError::config("the identity provider is down"));
            }
            Ok(OAuthBearerToken::new(
                format!("t{n}"),
                "alice",
                SystemTime::now() + lifetime,
            ))
        })
    }
}

/// One token until 80 % of its life has passed, then a new one; a failed
/// refresh keeps the still-valid token.
#[tokio::test]
async fn tokens_are_cached_and_refreshed_before_they_expire() {
    let provider = Arc::new(Counting {
        lifetime_ms: 500,
        fail_after: Some(2),
        ..Counting::default()
    });
    let config = SecurityConfig::builder()
        .security_protocol(crate::SecurityProtocol::SaslPlaintext)
        .sasl_mechanism(crate::SaslMechanism::OAuthBearer)
        .sasl_oauthbearer_token_provider(Arc::clone(&provider))
        .build()
        .unwrap();
    let oauth = OAuthBearer::from_config(&config).unwrap();
    assert_eq!(oauth.token().await.unwrap().value(), "t0");
    assert_eq!(oauth.token().await.unwrap().value(), "t0");
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(420)).await;
    assert_eq!(oauth.token().await.unwrap().value(), "t1");
    tokio::time::sleep(Duration::from_millis(420)).await;
    // The refresh fails, t1 is still valid for about 80 ms.
    assert_eq!(oauth.token().await.unwrap().value(), "t1");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let error = oauth.token().await.unwrap_err();
    assert!(
        error.to_string().contains("identity provider is down"),
        "{error}"
    );
}

/// librdkafka's unsecured JWT settings make the same token as Java's
/// login options.
#[test]
fn librdkafka_unsecured_jwt_settings() {
    let oauth = OAuthBearer::from_config(&config(&[
        ("enable.sasl.oauthbearer.unsecure.jwt", "true"),
        (
            "sasl.oauthbearer.config",
            "principal=alice scope=read,write lifeSeconds=60 extension_traceId=t1",
        ),
    ]))
    .unwrap();
    let token = OAuthBearerToken::new("x", "alice", SystemTime::now());
    assert_eq!(
        oauth.initial_response(&token),
        b"n,,\x01auth=Bearer x\x01traceId=t1\x01\x01".to_vec()
    );
    let module = librdkafka_unsecured(&config(&[
        ("enable.sasl.oauthbearer.unsecure.jwt", "true"),
        (
            "sasl.oauthbearer.config",
            "principal=alice scope=read,write lifeSeconds=60",
        ),
    ]))
    .unwrap();
    let jws = UnsecuredJws::from_login(&module).unwrap().unwrap();
    let minted = jws.mint(UNIX_EPOCH + Duration::from_secs(10));
    let payload = decode(minted.value().split('.').nth(1).unwrap());
    assert_eq!(
        payload,
        serde_json::json!({"iat": 10, "exp": 70, "sub": "alice", "scope": ["read", "write"]})
    );
    let unknown = SecurityConfig::from_properties([
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "OAUTHBEARER"),
        ("enable.sasl.oauthbearer.unsecure.jwt", "true"),
        ("sasl.oauthbearer.config", "principal=alice colour=blue"),
    ])
    .unwrap_err();
    assert!(unknown.to_string().contains("colour"), "{unknown}");
}
