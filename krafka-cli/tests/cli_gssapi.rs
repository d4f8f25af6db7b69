//! `krafka metadata` over SASL GSSAPI with librdkafka's Kerberos flags,
//! against the secure node's GSSAPI listener (the SSL port + 9, as
//! `localhost`) and the KDC of `scripts/kerberos/kdc.sh`, whose environment
//! (`KRB5_CONFIG`, `KRB5CCNAME`) the binary inherits. The binary has GSSAPI
//! here because krafka-tests, a dev-dependency, turns the feature on.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn gssapi_listener() -> String {
    let address = std::env::var("KRAFKA_SECURE_BOOTSTRAP")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "127.0.0.1:9492".to_owned());
    let port: u16 = address
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or_else(|| panic!("KRAFKA_SECURE_BOOTSTRAP `{address}` is not host:port"));
    format!("localhost:{}", port + 9)
}

fn keytab(name: &str) -> String {
    assert!(
        std::env::var_os("KRB5_CONFIG").is_some(),
        "KRB5_CONFIG is not set: `eval \"$(scripts/kerberos/kdc.sh start)\"` (scripts/test.sh does)"
    );
    let dir = std::env::var("KRAFKA_KERBEROS_DIR")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/kerberos"));
    dir.join(name).display().to_string()
}

fn metadata_as(principal: &str, keytab: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(["metadata", "-b", &gssapi_listener()])
        .args([
            "-X",
            "security.protocol=SASL_PLAINTEXT",
            "-X",
            "sasl.mechanism=GSSAPI",
        ])
        .args(["-X", &format!("sasl.kerberos.keytab={keytab}")])
        .args(["-X", &format!("sasl.kerberos.principal={principal}")])
        .stdin(Stdio::null())
        .output()
        .expect("cannot run the krafka binary")
}

#[test]
fn metadata_over_gssapi_as_alice_and_a_stale_key_refused() {
    let out = metadata_as("alice", &keytab("alice.keytab"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "krafka metadata failed: {stderr}");
    assert!(
        stdout.contains(&format!("at {}", gssapi_listener())),
        "no broker at the GSSAPI listener in:\n{stdout}"
    );
    let out = metadata_as("mallory", &keytab("mallory.keytab"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "mallory's stale key was accepted");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("SASL GSSAPI as mallory"), "{stderr}");
}
