//! Kafka's own transactional producer and read_committed consumer, for the
//! transaction tests: a Java producer whose transactions run interleaved
//! with Krafka's, stay open for the admin tests, or get fenced; and the
//! records a Java read_committed consumer sees.
//!
//! - [`JavaTxnSession`] (`run.sh txn-session`): one transactional
//!   `KafkaProducer` in its own JVM, driven a step at a time
//!   ([`begin`](JavaTxnSession::begin), [`send`](JavaTxnSession::send),
//!   [`commit`](JavaTxnSession::commit), [`abort`](JavaTxnSession::abort),
//!   [`run_pattern`](JavaTxnSession::run_pattern),
//!   [`hang`](JavaTxnSession::hang), [`close`](JavaTxnSession::close)). A
//!   failed step comes back as a [`JavaTxnError`] naming Java's exception
//!   and its causes (`ProducerFencedException`, …), and the session goes on.
//! - [`spawn_txn_pattern`]: a session in a thread of its own, committing and
//!   aborting transactions per a pattern while the test does something else.
//! - [`java_read_committed`] (`run.sh read-committed`): every record a
//!   read_committed `KafkaConsumer` reads of a topic up to the last stable
//!   offsets, and those offsets.
//!
//! The calls block (a JVM answers each step within milliseconds, its start
//! takes a second or two): from an async test call them through
//! `tokio::task::spawn_blocking` or in a multi-threaded runtime. Like the
//! other Java helpers they return `None` when Java or Maven is missing
//! outside CI (the test then skips); under `CI=true` that fails, and so
//! does any other failure of the Java side.
//!
//! ```no_run
//! use std::time::Duration;
//! use krafka_tests::java_txn::{JavaTxnSession, java_read_committed};
//!
//! let Some(mut java) = JavaTxnSession::start("127.0.0.1:9092", "my-txn", Duration::from_secs(60))
//! else {
//!     return; // no JDK here
//! };
//! java.begin().expect("begin");
//! let sent = java.send("events", 0, 3).expect("send");
//! java.commit().expect("commit");
//! java.close();
//! let seen = java_read_committed("127.0.0.1:9092", "events", Duration::from_secs(30)).expect("java");
//! assert_eq!(seen.records, sent);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::java::{run_java_io, spawn_java_piped, wait_java};
use crate::json::{self, Value};

/// How long a step may take before the test gives up on the JVM (its start
/// and `initTransactions` included).
pub const PATIENCE: Duration = Duration::from_secs(90);

/// A record a Java client wrote or read. Keys and values are text (the
/// harness writes ASCII); `None` for a null key or value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct JavaRecord {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset the broker gave it.
    pub offset: i64,
    /// The key.
    pub key: Option<String>,
    /// The value.
    pub value: Option<String>,
}

/// A record of [`JavaTxnSession::run_pattern`] with its transaction's fate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxnRecord {
    /// Whether its transaction was committed (else aborted).
    pub committed: bool,
    /// The record.
    pub record: JavaRecord,
}

/// A step of a [`JavaTxnSession`] that Java's producer refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JavaTxnError {
    /// The step (`init`, `begin`, `send`, `commit`, `abort`).
    pub op: String,
    /// The simple class name of the exception (`ProducerFencedException`,
    /// `KafkaException`, …; a send's `ExecutionException` is unwrapped).
    pub exception: String,
    /// Its message.
    pub message: String,
    /// The exception and its causes, outermost first.
    pub causes: Vec<String>,
}

impl JavaTxnError {
    /// Whether the exception or one of its causes is of class
    /// `simple_name` (`"ProducerFencedException"`).
    pub fn caused_by(&self, simple_name: &str) -> bool {
        self.causes.iter().any(|c| c == simple_name)
    }
}

impl fmt::Display for JavaTxnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Java {} failed with {}: {} (causes: {})",
            self.op,
            self.exception,
            self.message,
            self.causes.join(" <- ")
        )
    }
}

impl std::error::Error for JavaTxnError {}

/// One transactional `KafkaProducer` (`run.sh txn-session`) in its own
/// JVM, driven one step at a time. Dropping it kills the JVM, which leaves
/// an open transaction open (as [`hang`](Self::hang) does).
pub struct JavaTxnSession {
    transactional_id: String,
    args: Vec<String>,
    child: Child,
    stdin: Option<ChildStdin>,
    answers: mpsc::Receiver<String>,
}

impl JavaTxnSession {
    /// Starts a producer with `transactional.id = transactional_id` and
    /// `transaction.timeout.ms = transaction_timeout` on `bootstrap`, and
    /// waits for its `initTransactions` (which fences an earlier producer
    /// of the same id). `None` when Java is missing (outside CI); panics
    /// when `initTransactions` fails.
    pub fn start(
        bootstrap: &str,
        transactional_id: &str,
        transaction_timeout: Duration,
    ) -> Option<JavaTxnSession> {
        let args: Vec<String> = [
            "txn-session",
            bootstrap,
            transactional_id,
            &transaction_timeout.as_millis().to_string(),
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = spawn_java_piped(&argv);
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut session = JavaTxnSession {
            transactional_id: transactional_id.to_owned(),
            args,
            child,
            stdin,
            answers,
        };
        match session.answers.recv_timeout(PATIENCE) {
            Ok(line) => {
                if let Err(error) = parse_answer(&line, "init") {
                    panic!("Java initTransactions for {transactional_id}: {error}");
                }
                Some(session)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The JVM exited before answering: a missing tool (None) or a
                // failure (a panic in wait_java).
                session.wait()?;
                panic!("txn-session {transactional_id} exited without initialising");
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("txn-session {transactional_id}: no answer to init in {PATIENCE:?}")
            }
        }
    }

    /// The producer's `transactional.id`.
    pub fn transactional_id(&self) -> &str {
        &self.transactional_id
    }

    /// `beginTransaction`.
    pub fn begin(&mut self) -> Result<(), JavaTxnError> {
        self.step("begin", "begin").map(drop)
    }

    /// Sends `count` records to `topic`/`partition` with keys
    /// `<transactional id>-<n>` (`n` counts this session's records from 0)
    /// and values `value-of-<key>`, and waits until the broker acknowledged
    /// them: the records with their offsets, in the order sent.
    pub fn send(
        &mut self,
        topic: &str,
        partition: i32,
        count: usize,
    ) -> Result<Vec<JavaRecord>, JavaTxnError> {
        let prefix = self.transactional_id.clone();
        self.send_keyed(topic, partition, count, &prefix)
    }

    /// [`send`](Self::send) with keys `<key_prefix>-<n>` (no spaces).
    pub fn send_keyed(
        &mut self,
        topic: &str,
        partition: i32,
        count: usize,
        key_prefix: &str,
    ) -> Result<Vec<JavaRecord>, JavaTxnError> {
        let answer = self.step(
            "send",
            &format!("send {topic} {partition} {count} {key_prefix}"),
        )?;
        let records = answer
            .get("records")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("txn-session send answered without records: {answer:?}"));
        Ok(records.iter().map(record).collect())
    }

    /// `commitTransaction`.
    pub fn commit(&mut self) -> Result<(), JavaTxnError> {
        self.step("commit", "commit").map(drop)
    }

    /// `abortTransaction`.
    pub fn abort(&mut self) -> Result<(), JavaTxnError> {
        self.step("abort", "abort").map(drop)
    }

    /// One transaction per character of `pattern` (`c`: commit, `a`:
    /// abort), each of `per_txn` records to `topic`/`partition`; with a
    /// `pause`, the records are sent one at a time with the pause before
    /// each, so that another producer's records land among them. Returns
    /// every record with its transaction's fate, in the order sent.
    pub fn run_pattern(
        &mut self,
        topic: &str,
        partition: i32,
        per_txn: usize,
        pattern: &str,
        pause: Duration,
    ) -> Result<Vec<TxnRecord>, JavaTxnError> {
        let mut out = Vec::new();
        for fate in pattern.chars() {
            let committed = match fate {
                'c' => true,
                'a' => false,
                other => panic!("pattern {pattern:?}: {other:?} is neither c nor a"),
            };
            self.begin()?;
            let mut sent = Vec::new();
            if pause.is_zero() {
                sent = self.send(topic, partition, per_txn)?;
            } else {
                for _ in 0..per_txn {
                    std::thread::sleep(pause);
                    sent.extend(self.send(topic, partition, 1)?);
                }
            }
            if committed {
                self.commit()?;
            } else {
                self.abort()?;
            }
            out.extend(
                sent.into_iter()
                    .map(|record| TxnRecord { committed, record }),
            );
        }
        Ok(out)
    }

    /// Halts the JVM without closing the producer, so that its open
    /// transaction stays open on the brokers (until the transaction
    /// timeout, or an admin aborts it), and waits for it to exit.
    pub fn hang(mut self) {
        self.step("hang", "hang")
            .unwrap_or_else(|e| panic!("txn-session hang: {e}"));
        self.wait();
    }

    /// Closes the producer gracefully (an open transaction is aborted) and
    /// waits for the JVM to exit. `None` when Java is missing (outside CI).
    pub fn close(mut self) -> Option<()> {
        if let Err(error) = self.step("close", "close") {
            panic!("txn-session close: {error}");
        }
        self.wait()
    }

    /// Writes one command and reads its answer: the JSON object when it
    /// says `ok`, else the error it names.
    fn step(&mut self, op: &str, command: &str) -> Result<Value, JavaTxnError> {
        let stdin = self
            .stdin
            .as_mut()
            .unwrap_or_else(|| panic!("txn-session {}: already closed", self.transactional_id));
        stdin
            .write_all(format!("{command}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("writing {command:?} to txn-session: {e}"));
        let line = self.answers.recv_timeout(PATIENCE).unwrap_or_else(|e| {
            panic!(
                "txn-session {}: no answer to {command:?} ({e})",
                self.transactional_id
            )
        });
        parse_answer(&line, op)
    }

    fn wait(&mut self) -> Option<()> {
        self.stdin = None;
        let argv: Vec<&str> = self.args.iter().map(String::as_str).collect();
        wait_java(&self.transactional_id, &argv, &mut self.child)
    }
}

impl Drop for JavaTxnSession {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs [`JavaTxnSession::run_pattern`] on a session of its own in a
/// thread, so that it runs while the test does something else (Krafka's
/// transactions on the same partition, say). The thread's result is `None`
/// when Java is missing (outside CI); it panics (so `join` is an `Err`) when
/// a step fails. The session closes at the end.
pub fn spawn_txn_pattern(
    bootstrap: &str,
    transactional_id: &str,
    topic: &str,
    partition: i32,
    per_txn: usize,
    pattern: &str,
    pause: Duration,
) -> JoinHandle<Option<Vec<TxnRecord>>> {
    let (bootstrap, id, topic, pattern) = (
        bootstrap.to_owned(),
        transactional_id.to_owned(),
        topic.to_owned(),
        pattern.to_owned(),
    );
    std::thread::spawn(move || {
        let mut session = JavaTxnSession::start(&bootstrap, &id, Duration::from_secs(60))?;
        let records = session
            .run_pattern(&topic, partition, per_txn, &pattern, pause)
            .unwrap_or_else(|e| panic!("Java transactions {id} ({pattern}): {e}"));
        session.close()?;
        Some(records)
    })
}

/// What a Java read_committed consumer read ([`java_read_committed`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadCommitted {
    /// Every record, in the order read (offset order within a partition).
    pub records: Vec<JavaRecord>,
    /// The end offset of each partition when it started: the last stable
    /// offset, below any transaction still open.
    pub ends: BTreeMap<i32, i64>,
}

/// Reads every partition of `topic` from the beginning with a Java
/// `KafkaConsumer` (`isolation.level=read_committed`, no group) up to the
/// end offsets it saw at the start (the last stable offsets). `None` when
/// Java is missing (outside CI); panics when the ends are not reached
/// within `timeout` or Java fails otherwise.
pub fn java_read_committed(
    bootstrap: &str,
    topic: &str,
    timeout: Duration,
) -> Option<ReadCommitted> {
    let timeout_ms = timeout.as_millis().to_string();
    let out = run_java_io(
        "read-committed",
        &["read-committed", bootstrap, topic, &timeout_ms],
        b"",
    )?;
    let mut records = Vec::new();
    for line in out.lines() {
        let value =
            json::parse(line).unwrap_or_else(|e| panic!("read-committed printed {line:?}: {e}"));
        if let Some(count) = value.get("done").and_then(Value::as_i64) {
            assert_eq!(
                usize::try_from(count).ok(),
                Some(records.len()),
                "read-committed counted {count} records, printed {}",
                records.len()
            );
            let ends = match value.get("ends") {
                Some(Value::Object(fields)) => fields
                    .iter()
                    .map(|(p, end)| {
                        let partition = p.parse().expect("a partition number");
                        (partition, end.as_i64().expect("an end offset"))
                    })
                    .collect(),
                other => panic!("read-committed ends {other:?}"),
            };
            return Some(ReadCommitted { records, ends });
        }
        let mut read = record(&value);
        read.topic = topic.to_owned();
        records.push(read);
    }
    panic!("read-committed output ended without its done line:\n{out}");
}

/// The answer to `op`: its JSON object when `ok`, else its error.
fn parse_answer(line: &str, op: &str) -> Result<Value, JavaTxnError> {
    let value = json::parse(line).unwrap_or_else(|e| panic!("txn-session printed {line:?}: {e}"));
    let answered = value.get("op").and_then(Value::as_str).unwrap_or_default();
    assert_eq!(answered, op, "txn-session answered {line:?} to {op}");
    if value.get("ok").and_then(Value::as_bool) == Some(true) {
        return Ok(value);
    }
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Err(JavaTxnError {
        op: op.to_owned(),
        exception: text("exception"),
        message: text("message"),
        causes: value
            .get("causes")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect(),
    })
}

/// A record object the Java side printed (`topic` may be absent).
fn record(value: &Value) -> JavaRecord {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let number = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_i64)
            .unwrap_or_else(|| panic!("Java record without {key}: {value:?}"))
    };
    JavaRecord {
        topic: text("topic").unwrap_or_default(),
        partition: i32::try_from(number("partition")).expect("a partition number"),
        offset: number("offset"),
        key: text("key"),
        value: text("value"),
    }
}
