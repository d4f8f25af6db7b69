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

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

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

/// What the consumer's calls and its membership task share.
#[derive(Debug)]
pub(crate) struct Group {
    pub(crate) group_id: String,
    pub(crate) instance_id: Option<String>,
    pub(crate) assignors: Vec<Arc<dyn Assignor>>,
    /// Cooperative when every assignor supports it (KIP-429).
    pub(crate) protocol: RebalanceProtocol,
    pub(crate) inner: Mutex<GroupState>,
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
    /// When the application last asked for records.
    pub(crate) last_poll: Instant,
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
                last_poll: Instant::now(),
                left_for_poll_timeout: false,
                fatal: None,
                running: false,
                joining: false,
                task: None,
            }),
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

    /// Notes that the application polls; the error that ended the
    /// membership, if one did.
    pub(crate) fn polled(&self) -> Result<(), KrafkaError> {
        let mut state = self.lock();
        state.last_poll = Instant::now();
        if let Some(error) = &state.fatal {
            return Err(error.clone());
        }
        if state.left_for_poll_timeout {
            state.left_for_poll_timeout = false;
            drop(state);
            self.rejoin.notify_one();
        }
        Ok(())
    }
}
