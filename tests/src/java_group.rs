//! Kafka's own Java consumers as members of a consumer group
//! (`run.sh group-member`: a KafkaConsumer on the classic protocol that
//! prints JSON events and commits after each poll), and what they printed.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::java::{spawn_java_piped, wait_java};
use crate::json::{self, Value};

/// How long the helpers wait for a member to print what they wait for.
pub const PATIENCE: Duration = Duration::from_secs(90);

/// One line a member printed, when the test read it; `Value::Null` when
/// its output ended.
#[derive(Debug)]
pub struct JavaEvent {
    /// The member's name in the test.
    pub member: String,
    /// When the test read the line.
    pub at: Instant,
    /// The parsed line.
    pub value: Value,
}

/// One running `group-member` (its own JVM); its events arrive on the
/// channel given to [`JavaMember::start`].
pub struct JavaMember {
    name: String,
    args: Vec<String>,
    child: Child,
    stdin: Option<ChildStdin>,
    /// When the process was started.
    pub spawned: Instant,
}

impl JavaMember {
    /// Starts a member of `group` on `bootstrap` subscribed to `topic`,
    /// assigning with `assignor` (a protocol name the harness knows, or a
    /// Java class name).
    pub fn start(
        name: &str,
        bootstrap: &str,
        group: &str,
        assignor: &str,
        topic: &str,
        events: &mpsc::Sender<JavaEvent>,
    ) -> JavaMember {
        Self::spawn(
            name,
            &["group-member", bootstrap, group, assignor, topic],
            events,
        )
    }

    /// [`start`](Self::start) for a member that subscribes only when told
    /// to [`go`](Self::go) (after it printed "started"), so that a join can
    /// be timed without the JVM's start.
    pub fn start_held(
        name: &str,
        bootstrap: &str,
        group: &str,
        assignor: &str,
        topic: &str,
        events: &mpsc::Sender<JavaEvent>,
    ) -> JavaMember {
        let args = ["group-member", bootstrap, group, assignor, topic, "--held"];
        Self::spawn(name, &args, events)
    }

    fn spawn(name: &str, args: &[&str], events: &mpsc::Sender<JavaEvent>) -> JavaMember {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let spawned = Instant::now();
        let mut child = spawn_java_piped(&arg_refs);
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let events = events.clone();
        let member = name.to_owned();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value = json::parse(&line)
                    .unwrap_or_else(|e| panic!("{member} printed non-JSON {line:?}: {e}"));
                let event = JavaEvent {
                    member: member.clone(),
                    at: Instant::now(),
                    value,
                };
                if events.send(event).is_err() {
                    return;
                }
            }
            let _ = events.send(JavaEvent {
                member,
                at: Instant::now(),
                value: Value::Null,
            });
        });
        JavaMember {
            name: name.to_owned(),
            args,
            child,
            stdin,
            spawned,
        }
    }

    /// The member's name in the test.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Tells a [held](Self::start_held) member to subscribe.
    pub fn go(&mut self) {
        if let Some(stdin) = &mut self.stdin {
            stdin
                .write_all(b"go\n")
                .expect("telling the Java member to go");
        }
    }

    /// Tells it to stop (it closes its consumer and leaves the group).
    pub fn stop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"stop\n");
        }
    }

    /// Stops it and waits for it to exit: `None` when Java is missing
    /// (outside CI).
    pub fn wait(&mut self) -> Option<()> {
        self.stop();
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        wait_java(&self.name, &args, &mut self.child)
    }
}

impl Drop for JavaMember {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Who read a record, and its key in base64.
pub type Reading = (String, Option<String>);

/// What the members printed so far.
#[derive(Default, Debug)]
pub struct Seen {
    /// Each member's current partitions (`topic-partition`): what it was
    /// assigned less what it gave up. Cooperative rebalances name only the
    /// partitions that change, eager ones revoke everything first, so
    /// adding and taking away follows both.
    pub assigned: BTreeMap<String, BTreeSet<String>>,
    /// Every record event: (partition, offset) -> (member, key).
    pub records: BTreeMap<(i32, i64), Vec<Reading>>,
    /// When each member said it started (its JVM up, before subscribing).
    pub started: BTreeMap<String, Instant>,
    /// When each member's first record came.
    pub first_record: BTreeMap<String, Instant>,
    /// Each member's revocations and losses, in order.
    pub revoked: BTreeMap<String, Vec<BTreeSet<String>>>,
    /// Members whose output ended.
    pub ended: BTreeSet<String>,
}

impl Seen {
    /// Takes one event into account.
    pub fn take(&mut self, event: JavaEvent) {
        let JavaEvent { member, at, value } = event;
        if value.is_null() {
            self.assigned.remove(&member);
            self.ended.insert(member);
            return;
        }
        let partitions = || -> BTreeSet<String> {
            value
                .get("partitions")
                .and_then(Value::as_array)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        };
        match value.get("event").and_then(Value::as_str) {
            Some("started") => {
                self.started.insert(member, at);
            }
            Some("assigned") => {
                self.assigned
                    .entry(member)
                    .or_default()
                    .extend(partitions());
            }
            Some("revoked" | "lost") => {
                let gone = partitions();
                if let Some(owned) = self.assigned.get_mut(&member) {
                    owned.retain(|p| !gone.contains(p));
                }
                self.revoked.entry(member).or_default().push(gone);
            }
            Some("closed") => {
                self.assigned.remove(&member);
            }
            Some("record") => {
                let partition = value
                    .get("partition")
                    .and_then(Value::as_i64)
                    .expect("partition");
                let offset = value.get("offset").and_then(Value::as_i64).expect("offset");
                let key = value.get("key").and_then(Value::as_str).map(str::to_owned);
                self.first_record.entry(member.clone()).or_insert(at);
                self.records
                    .entry((i32::try_from(partition).expect("partition"), offset))
                    .or_default()
                    .push((member, key));
            }
            _ => {}
        }
    }

    /// Takes every event that has come, without waiting.
    pub fn drain(&mut self, events: &mpsc::Receiver<JavaEvent>) {
        while let Ok(event) = events.try_recv() {
            self.take(event);
        }
    }

    /// Waits (blocking the thread) until `done` holds, taking events
    /// meanwhile; `false` when a member's output ended first.
    pub fn until(
        &mut self,
        events: &mpsc::Receiver<JavaEvent>,
        what: &str,
        done: impl Fn(&Seen) -> bool,
    ) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "{what}: not within {PATIENCE:?}: {self:?}");
            match events.recv_timeout(left.min(Duration::from_millis(500))) {
                Ok(event) => self.take(event),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return false,
            }
            if !self.ended.is_empty() && !done(self) {
                return false;
            }
        }
        true
    }
}
