//! What the CLI tests against a real broker share: finding the broker
//! (skip outside CI, fail under it), running the `krafka` binary, and the
//! success / one-line-failure checks.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The broker, or `None` (the test then skips) when none answers outside CI.
pub fn broker() -> Option<String> {
    let configured = std::env::var("KRAFKA_BOOTSTRAP")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let address = configured
        .clone()
        .unwrap_or_else(|| "127.0.0.1:9092".to_owned());
    let first = address.split(',').next().unwrap_or_default().to_owned();
    let reachable = first
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).is_ok());
    if reachable {
        return Some(address);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci && configured.is_none(),
        "Kafka broker at {address} is unreachable: start it with `scripts/kafka/kafka.sh start \
         single` or point KRAFKA_BOOTSTRAP at one (scripts/test.sh starts it)"
    );
    eprintln!(
        "SKIPPED: no Kafka broker at {address} (set KRAFKA_BOOTSTRAP; under CI=true this fails)"
    );
    None
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap())
}

/// Runs `krafka args…` with `stdin`, against `bootstrap`.
pub fn krafka(bootstrap: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(args)
        .env("KRAFKA_BOOTSTRAP", bootstrap)
        .env_remove("KRAFKA_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run the krafka binary");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// [`krafka`] that must succeed; its stdout.
pub fn ok(bootstrap: &str, args: &[&str], stdin: &str) -> String {
    let out = krafka(bootstrap, args, stdin);
    assert!(
        out.status.success(),
        "krafka {args:?} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// [`krafka`] that must fail with one `krafka: …` line; that line.
pub fn fails(bootstrap: &str, args: &[&str]) -> String {
    let out = krafka(bootstrap, args, "");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "krafka {args:?} succeeded");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("krafka: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr.trim_end().to_owned()
}

pub fn create(bootstrap: &str, topic: &str, partitions: &str) {
    let out = ok(
        bootstrap,
        &["topic", "create", topic, "-p", partitions, "-r", "1"],
        "",
    );
    assert_eq!(out, format!("created topic {topic}\n"));
}
