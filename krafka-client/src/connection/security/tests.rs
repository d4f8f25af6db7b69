use super::*;
use crate::ClientConfig;

fn security(properties: &[(&str, &str)]) -> Result<SecurityConfig, KrafkaError> {
    SecurityConfig::from_properties(properties.iter().copied())
}

#[test]
fn both_naming_styles_set_the_same_fields() {
    let java = security(&[
        ("security.protocol", "SSL"),
        ("ssl.truststore.location", "/ca.pem"),
        ("ssl.keystore.certificate.chain", "chain"),
        ("ssl.keystore.key", "key"),
        ("sasl.mechanism", "PLAIN"),
    ])
    .unwrap();
    let librdkafka = security(&[
        ("security.protocol", "ssl"),
        ("ssl.ca.location", "/ca.pem"),
        ("ssl.certificate.pem", "chain"),
        ("ssl.key.pem", "key"),
        ("sasl.mechanisms", "PLAIN"),
    ])
    .unwrap();
    assert_eq!(java, librdkafka);
    assert_eq!(java.security_protocol, SecurityProtocol::Ssl);
}

#[test]
fn sasl_needs_a_mechanism_and_credentials() {
    let missing = security(&[("security.protocol", "SASL_SSL")]).unwrap_err();
    assert!(missing.to_string().contains("sasl.mechanism"), "{missing}");
    let no_password = security(&[
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "SCRAM-SHA-256"),
        ("sasl.username", "alice"),
    ])
    .unwrap_err();
    assert!(
        no_password.to_string().contains("sasl.password"),
        "{no_password}"
    );
    let both = security(&[
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "PLAIN"),
        ("sasl.username", "alice"),
        ("sasl.password", "pw"),
        (
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\" password=\"pw\";",
        ),
    ])
    .unwrap_err();
    assert!(both.to_string().contains("not both"), "{both}");
    let unknown = security(&[("sasl.mechanism", "NTLM")]).unwrap_err();
    assert!(unknown.to_string().contains("SCRAM-SHA-512"), "{unknown}");
}

#[test]
fn credentials_come_from_either_style() {
    let jaas = security(&[
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanism", "SCRAM-SHA-512"),
        (
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"s3cret\";",
        ),
    ])
    .unwrap();
    let plain = security(&[
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanism", "SCRAM-SHA-512"),
        ("sasl.username", "alice"),
        ("sasl.password", "s3cret"),
    ])
    .unwrap();
    assert_eq!(
        sasl::Credentials::from_config(&jaas).unwrap(),
        sasl::Credentials::from_config(&plain).unwrap()
    );
}

/// Neither the settings nor what is read from them show a secret in
/// `Debug`, and errors about them do not quote it.
#[test]
fn secrets_never_show() {
    let config = ClientConfig::from_properties([
        ("bootstrap.servers", "b:9093"),
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "PLAIN"),
        ("sasl.username", "alice"),
        ("sasl.password", "s3cret-password"),
        ("ssl.key.password", "s3cret-key-password"),
        ("ssl.keystore.key", "s3cret-key"),
        ("ssl.keystore.certificate.chain", "chain"),
    ])
    .unwrap();
    let security = Security::new(&config.connection.security).unwrap();
    for text in [format!("{config:?}"), format!("{security:?}")] {
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("alice"), "{text}");
    }
    let jaas_error = SecurityConfig::from_properties([
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanism", "PLAIN"),
        (
            "sasl.jaas.config",
            "PlainLoginModule required password=\"s3cret\"",
        ),
    ])
    .unwrap_err();
    assert!(!jaas_error.to_string().contains("s3cret"), "{jaas_error}");
}

#[test]
fn only_pem_stores_and_one_client_certificate() {
    let jks = security(&[("ssl.truststore.type", "JKS")]).unwrap_err();
    assert!(jks.to_string().contains("PEM only"), "{jks}");
    let twice = security(&[
        ("ssl.keystore.location", "/k.pem"),
        ("ssl.certificate.location", "/c.pem"),
        ("ssl.key.location", "/k.pem"),
    ])
    .unwrap_err();
    assert!(twice.to_string().contains("set twice"), "{twice}");
    let half = security(&[("ssl.certificate.location", "/c.pem")]).unwrap_err();
    assert!(half.to_string().contains("needs both"), "{half}");
    let algorithm = security(&[("ssl.endpoint.identification.algorithm", "ldap")]).unwrap_err();
    assert!(algorithm.to_string().contains("https"), "{algorithm}");
    for off in ["", "none", "NONE"] {
        let config = security(&[("ssl.endpoint.identification.algorithm", off)]).unwrap();
        assert_eq!(config.verify_hostname().ok(), Some(false));
    }
}

#[test]
fn missing_files_are_config_errors_naming_the_setting() {
    let config = security(&[
        ("security.protocol", "SSL"),
        ("ssl.ca.location", "/nonexistent/ca.pem"),
    ])
    .unwrap();
    let error = Security::new(&config).unwrap_err();
    assert!(matches!(error, KrafkaError::Config(_)), "{error:?}");
    assert!(
        error.to_string().contains("ssl.truststore.location"),
        "{error}"
    );
    let not_pem = security(&[
        ("security.protocol", "SSL"),
        ("ssl.truststore.certificates", "not a certificate"),
    ])
    .unwrap();
    let error = Security::new(&not_pem).unwrap_err();
    assert!(
        error.to_string().contains("holds no certificate"),
        "{error}"
    );
}
