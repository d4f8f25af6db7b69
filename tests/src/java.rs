//! Driving the Java side of the cross-checks (`tests/java/conformance/run.sh`):
//! Apache Kafka's own codec from the pinned `kafka-clients`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// `run.sh`'s exit status for "a tool (JDK, Maven) is missing".
const MISSING_TOOL: i32 = 3;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `target/conformance/`, where vectors are written on the fly.
pub fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("conformance");
    std::fs::create_dir_all(&dir).expect("create target/conformance");
    dir
}

/// Runs `run.sh` with `args` for the test called `what`. `None` when a tool
/// is missing outside CI (the test then says it skipped); under `CI=true` a
/// missing tool fails the test, and any other failure always does.
pub fn run_java(what: &str, args: &[&str]) -> Option<()> {
    let script = repo_root().join("tests/java/conformance/run.sh");
    let started = Instant::now();
    let status = Command::new("bash")
        .arg(&script)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    eprintln!(
        "{what}: run.sh {} took {:.1} s",
        args.first().copied().unwrap_or(""),
        started.elapsed().as_secs_f64()
    );
    if status.success() {
        return Some(());
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if status.code() == Some(MISSING_TOOL) {
        assert!(
            !ci,
            "{what}: Java 17+ (java, javac) or Maven is MISSING, and under CI this test must \
             run: install a JDK 17+ and Maven (see run.sh's message above)"
        );
        eprintln!(
            "{what}: SKIPPED — Java 17+ (java, javac) and Maven are needed to run Kafka's codec; \
             under CI=true this is a failure"
        );
        return None;
    }
    panic!("{} {} failed ({status})", script.display(), args.join(" "));
}
