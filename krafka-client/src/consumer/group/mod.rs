//! Consumer groups (the classic protocol): the consumer protocol's data,
//! assignors, membership and committed offsets.
//!
//! A subscribed consumer runs one membership task ([`member`]) next to its
//! fetch tasks: it joins the group through the coordinator, runs the
//! assignor when it leads, applies each assignment to the consumer's
//! partitions ([`assignment`]), heartbeats, and commits ([`commit`]) on the
//! `auto.commit.interval.ms`. What the application's calls and the task
//! share is a [`Group`]; [`committed`] is OffsetFetch/OffsetCommit on the
//! wire, shared with the admin client.

mod assignment;
pub mod assignor;
mod commit;
pub(crate) mod committed;
pub(crate) mod listener;
mod member;
pub mod protocol;
pub(crate) mod topics;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use krafka_core::KrafkaError;
use tokio::sync::Notify;
use tokio::task::AbortHandle;

use assignor::{Assignor, RebalanceProtocol, assignors_from_strategy, rebalance_protocol};
use listener::RebalanceListener;
use topics::TopicSelection;

use super::config::ConsumerConfig;

pub(crate) use commit::{commit_offsets, commit_positions};
pub(crate) use member::{close_membership, run_membership};

/// The member's standing in the group, as the last JoinGroup/SyncGroup left
/// it: what commits are sent with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMetadata {
    /// `group.id`.
    pub group_id: String,
    /// The generation of the current assignment (-1: none).
    pub generation_id: i32,
    /// The member id the coordinator gave (empty: none yet).
    pub member_id: String,
    /// `group.instance.id`, if set.
    pub group_instance_id: Option<String>,
}

impl GroupMetadata {
    /// A group's metadata without a membership (generation -1, no member
    /// id): for committing offsets in a transaction from a consumer in
    /// assign mode, whose offsets the coordinator then takes unchecked
    /// (Java's `new ConsumerGroupMetadata(groupId)`).
    pub fn new(group_id: impl Into<String>) -> Self {
        GroupMetadata {
            group_id: group_id.into(),
            generation_id: -1,
            member_id: String::new(),
            group_instance_id: None,
        }
    }
}

/// What the consumer's calls and its membership task share.
#[derive(Debug)]
pub(crate) struct Group {
    pub(crate) group_id: String,
    pub(crate) instance_id: Option<String>,
    pub(crate) assignors: Vec<Arc<dyn Assignor>>,
    /// Cooperative when every assignor supports it (KIP-429).
    pub(crate) protocol: RebalanceProtocol,
    pub(crate) inner: Mutex<GroupState>,
    /// When the application last asked for records, in milliseconds since
    /// `created` (written on every take, so no lock).
    last_poll_ms: AtomicU64,
    created: Instant,
    /// `fatal` or `left_for_poll_timeout` is set: the next poll looks.
    attention: AtomicBool,
    /// A subscription change or a poll after the poll timeout: the task
    /// should (re)join.
    pub(crate) rejoin: Notify,
}

/// The mutable part of a [`Group`].
#[derive(Debug)]
pub(crate) struct GroupState {
    pub(crate) selection: Option<TopicSelection>,
    pub(crate) listener: Option<Arc<dyn RebalanceListener>>,
    pub(crate) generation_id: i32,
    pub(crate) member_id: String,
    /// The member left the group because the application stopped polling;
    /// the next poll rejoins.
    pub(crate) left_for_poll_timeout: bool,
    /// An error that ends the membership (FENCED_INSTANCE_ID, …), handed
    /// to every later poll.
    pub(crate) fatal: Option<KrafkaError>,
    /// The membership task is running (the consumer is subscribed).
    pub(crate) running: bool,
    /// A join round (JoinGroup, SyncGroup) is in flight.
    pub(crate) joining: bool,
    pub(crate) task: Option<AbortHandle>,
}

impl Group {
    /// The group of a consumer with a `group.id`; `None` without one.
    /// `assignors` replace those the settings name.
    pub(crate) fn from_config(
        config: &ConsumerConfig,
        assignors: Option<Vec<Arc<dyn Assignor>>>,
    ) -> Result<Option<Group>, KrafkaError> {
        if config.group_id.is_empty() {
            return Ok(None);
        }
        let assignors = match assignors {
            Some(assignors) if assignors.is_empty() => {
                return Err(KrafkaError::config(
                    "a consumer needs at least one assignor",
                ));
            }
            Some(assignors) => assignors,
            None => assignors_from_strategy(&config.partition_assignment_strategy)?,
        };
        let protocol = rebalance_protocol(&assignors)?;
        Ok(Some(Group {
            group_id: config.group_id.clone(),
            instance_id: config.group_instance_id.clone(),
            assignors,
            protocol,
            inner: Mutex::new(GroupState {
                selection: None,
                listener: None,
                generation_id: -1,
                member_id: String::new(),
                left_for_poll_timeout: false,
                fatal: None,
                running: false,
                joining: false,
                task: None,
            }),
            last_poll_ms: AtomicU64::new(0),
            created: Instant::now(),
            attention: AtomicBool::new(false),
            rejoin: Notify::new(),
        }))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, GroupState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The standing commits go with.
    pub(crate) fn metadata(&self) -> GroupMetadata {
        let state = self.lock();
        GroupMetadata {
            group_id: self.group_id.clone(),
            generation_id: state.generation_id,
            member_id: state.member_id.clone(),
            group_instance_id: self.instance_id.clone(),
        }
    }

    /// Stops the membership task (its partitions stay until revoked).
    pub(crate) fn stop_task(&self) {
        if let Some(task) = self.lock().task.take() {
            task.abort();
        }
    }

    /// Ends the membership with `error`, handed to every later poll.
    pub(crate) fn fail(&self, error: KrafkaError) {
        self.lock().fatal = Some(error);
        self.attention.store(true, Ordering::Release);
    }

    /// The member left for the poll timeout: the next poll rejoins.
    pub(crate) fn left_for_poll_timeout(&self) {
        self.lock().left_for_poll_timeout = true;
        self.attention.store(true, Ordering::Release);
    }

    /// How long ago the application last asked for records.
    pub(crate) fn since_last_poll(&self) -> Duration {
        let last = Duration::from_millis(self.last_poll_ms.load(Ordering::Relaxed));
        self.created.elapsed().saturating_sub(last)
    }

    /// Starts the poll clock now (a subscription counts as a poll).
    pub(crate) fn note_poll(&self) {
        let now = u64::try_from(self.created.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_poll_ms.store(now, Ordering::Relaxed);
    }

    /// Notes that the application polls; the error that ended the
    /// membership, if one did.
    pub(crate) fn polled(&self) -> Result<(), KrafkaError> {
        self.note_poll();
        if !self.attention.load(Ordering::Acquire) {
            return Ok(());
        }
        let mut state = self.lock();
        if let Some(error) = &state.fatal {
            return Err(error.clone());
        }
        if state.left_for_poll_timeout {
            state.left_for_poll_timeout = false;
            self.attention.store(false, Ordering::Release);
            drop(state);
            self.rejoin.notify_one();
        }
        Ok(())
    }
}
