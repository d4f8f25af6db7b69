//! Driving the Java side of the cross-checks (`tests/java/conformance/run.sh`):
//! Apache Kafka's own codec from the pinned `kafka-clients`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
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
    let script = script();
    let started = Instant::now();
    let status = run_sh(&script, args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    eprintln!(
        "{what}: run.sh {} took {:.1} s",
        args.first().copied().unwrap_or(""),
        started.elapsed().as_secs_f64()
    );
    check_status(what, &script, args, status)
}

/// [`run_java`] for the modes that talk to a broker: `stdin` is written to
/// the Java side's standard input (closed after it), and its standard output
/// is returned (its standard error goes to the test's).
pub fn run_java_io(what: &str, args: &[&str], stdin: &[u8]) -> Option<String> {
    let script = script();
    let started = Instant::now();
    let mut child = run_sh(&script, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    // A separate writer: the child may fill its stdout pipe before it has
    // read all of its input.
    let writer = std::thread::spawn(move || input.write_all(&data));
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for {}: {e}", script.display()));
    let written = writer.join().expect("stdin writer");
    eprintln!(
        "{what}: run.sh {} took {:.1} s",
        args.first().copied().unwrap_or(""),
        started.elapsed().as_secs_f64()
    );
    check_status(what, &script, args, output.status)?;
    written.unwrap_or_else(|e| panic!("{what}: writing run.sh's stdin: {e}"));
    Some(String::from_utf8(output.stdout).expect("run.sh prints UTF-8"))
}

/// Starts `run.sh` with `args` as a child process, for the modes that keep
/// running while the test works (`txn-open`): its standard output is piped
/// to the test, its standard input is closed and its standard error goes to
/// the test's. Finish it with [`wait_java`] (or kill it).
pub fn spawn_java(args: &[&str]) -> Child {
    let script = script();
    run_sh(&script, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()))
}

/// [`spawn_java`] with its standard input piped to the test, for the modes
/// that the test tells when to stop (`group-member` stops on a line `stop`
/// or when its input closes).
pub fn spawn_java_piped(args: &[&str]) -> Child {
    let script = script();
    run_sh(&script, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()))
}

/// Waits for a child of [`spawn_java`] started with `args`, with
/// [`run_java`]'s verdict: `Some` when it succeeded, `None` when a tool is
/// missing outside CI, a panic otherwise.
pub fn wait_java(what: &str, args: &[&str], child: &mut Child) -> Option<()> {
    let script = script();
    let status = child
        .wait()
        .unwrap_or_else(|e| panic!("waiting for {}: {e}", script.display()));
    check_status(what, &script, args, status)
}

/// The Java side's entry point, `tests/java/conformance/run.sh`.
fn script() -> PathBuf {
    repo_root().join("tests/java/conformance/run.sh")
}

/// A command running `script` with `args`.
fn run_sh(script: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("bash");
    command.arg(script).args(args);
    command
}

/// `Some` on success; `None` when a tool is missing outside CI; panics
/// otherwise.
fn check_status(what: &str, script: &Path, args: &[&str], status: ExitStatus) -> Option<()> {
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
