//! The consumer's group side: subscribing (the group assigns the
//! partitions), committing offsets, and the member's standing.

use std::collections::BTreeMap;
use std::sync::Arc;

use krafka_core::KrafkaError;

use super::group::listener::RebalanceListener;
use super::group::topics::TopicSelection;
use super::group::{self, Group, GroupMetadata};
use super::{Consumer, IsolationLevel};
use crate::consumer::record::{OffsetAndMetadata, TopicPartition};

impl Consumer {
    /// Joins the consumer group (`group.id`) for `topics`: the group spreads
    /// their partitions over its members, and this consumer hands out the
    /// records of the partitions it is given, from the group's committed
    /// offsets (else `auto.offset.reset`). Calling it again changes the
    /// topics (the group rebalances).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), krafka_core::KrafkaError> {
    /// use std::time::Duration;
    /// use krafka_client::{Consumer, ConsumerConfig};
    ///
    /// let consumer = Consumer::new(ConsumerConfig::from_properties([
    ///     ("bootstrap.servers", "127.0.0.1:9092"),
    ///     ("group.id", "billing"),
    ///     ("enable.auto.commit", "false"),
    ///     ("auto.offset.reset", "earliest"),
    /// ])?)
    /// .await?;
    /// consumer.subscribe(["invoices"]).await?;
    /// loop {
    ///     let records = consumer.poll(Duration::from_secs(1)).await?;
    ///     for record in &records {
    ///         println!("{}-{}@{}", record.topic, record.partition, record.offset);
    ///     }
    ///     // At least once: commit what was processed.
    ///     consumer.commit().await?;
    /// #   break;
    /// }
    /// consumer.close().await?; // commits nothing more (auto-commit is off), leaves the group
    /// # Ok(())
    /// # }
    /// ```
    pub async fn subscribe<S: Into<String>>(
        &self,
        topics: impl IntoIterator<Item = S>,
    ) -> Result<(), KrafkaError> {
        self.subscribe_to(TopicSelection::names(topics)?)
    }

    /// Joins the group for every topic whose whole name matches the regular
    /// expression `pattern` (internal topics excluded); topics created later
    /// join the subscription within `metadata.max.age.ms`.
    pub async fn subscribe_pattern(&self, pattern: &str) -> Result<(), KrafkaError> {
        self.subscribe_to(TopicSelection::pattern(pattern)?)
    }

    fn subscribe_to(&self, selection: TopicSelection) -> Result<(), KrafkaError> {
        let group = self.group()?;
        if !self.shared.lock().partitions().is_empty() && !group.lock().running {
            return Err(KrafkaError::state(
                "the consumer has partitions assigned by hand: subscribe or assign, not both",
            ));
        }
        let start = {
            let mut state = group.lock();
            if let Some(error) = &state.fatal {
                return Err(error.clone());
            }
            state.selection = Some(selection);
            group.note_poll();
            !std::mem::replace(&mut state.running, true)
        };
        if start {
            let task = tokio::spawn(group::run_membership(
                Arc::clone(&self.shared),
                Arc::clone(group),
            ));
            self.shared.add_task(task.abort_handle());
            group.lock().task = Some(task.abort_handle());
        } else {
            group.rejoin.notify_one();
        }
        Ok(())
    }

    /// Sets what hears of rebalances (before [`subscribe`](Self::subscribe)
    /// or between rebalances).
    pub fn set_rebalance_listener(&self, listener: impl RebalanceListener + 'static) {
        if let Some(group) = &self.shared.group {
            group.lock().listener = Some(Arc::new(listener));
        }
    }

    /// The topics of the subscription (a pattern's as last resolved: the
    /// assigned ones); empty when not subscribed.
    pub fn subscription(&self) -> Vec<String> {
        let Some(group) = &self.shared.group else {
            return Vec::new();
        };
        let selection = group.lock().selection.clone();
        match selection {
            None => Vec::new(),
            Some(TopicSelection::Names(names)) => names,
            Some(TopicSelection::Pattern(_)) => {
                let mut topics: Vec<String> = self
                    .shared
                    .lock()
                    .partitions()
                    .iter()
                    .map(|tp| tp.topic.clone())
                    .collect();
                topics.sort_unstable();
                topics.dedup();
                topics
            }
        }
    }

    /// Leaves the group (committing first with `enable.auto.commit`) and
    /// drops every partition; the consumer may subscribe or assign again.
    pub async fn unsubscribe(&self) -> Result<(), KrafkaError> {
        self.end_membership("the consumer unsubscribed").await;
        Ok(())
    }

    /// Commits the positions of every assigned partition (the offset after
    /// the last record handed out, with its leader epoch), waiting for the
    /// coordinator's answer. A member evicted from the group meanwhile gets
    /// `ILLEGAL_GENERATION` or `UNKNOWN_MEMBER_ID` (`FENCED_INSTANCE_ID` for
    /// a static member replaced by another instance); while the member
    /// rejoins in a rebalance, `REBALANCE_IN_PROGRESS` at once (as Java's
    /// consumer: the partitions it keeps can be polled meanwhile, and
    /// committed again once the group has its new assignment).
    pub async fn commit(&self) -> Result<(), KrafkaError> {
        let group = self.group()?;
        group::commit_positions(&self.shared, group, None).await
    }

    /// Commits `offsets` (each the offset of the next record to read).
    pub async fn commit_offsets(
        &self,
        offsets: &[(TopicPartition, OffsetAndMetadata)],
    ) -> Result<(), KrafkaError> {
        let group = self.group()?;
        if let Some((tp, o)) = offsets.iter().find(|(_, o)| o.offset < 0) {
            return Err(KrafkaError::config(format!(
                "cannot commit the negative offset {} for {tp}",
                o.offset
            )));
        }
        group::commit_offsets(&self.shared, group, offsets).await
    }

    /// [`commit`](Self::commit) in the background: the positions are taken
    /// now, the returned future (which need not be awaited) tells the
    /// outcome.
    pub fn commit_async(
        &self,
    ) -> impl std::future::Future<Output = Result<(), KrafkaError>> + Send + 'static {
        let shared = Arc::clone(&self.shared);
        let task = tokio::spawn(async move {
            match &shared.group {
                Some(group) => group::commit_positions(&shared, group, None).await,
                None => Err(no_group()),
            }
        });
        async move {
            task.await
                .map_err(|e| KrafkaError::state(format!("the commit task failed: {e}")))?
        }
    }

    /// The group's committed offsets of `tps` (`None`: nothing committed).
    pub async fn committed(
        &self,
        tps: &[TopicPartition],
    ) -> Result<Vec<(TopicPartition, Option<OffsetAndMetadata>)>, KrafkaError> {
        let group = self.group()?;
        let require_stable = self.shared.config.isolation_level == IsolationLevel::ReadCommitted;
        let mut found: BTreeMap<TopicPartition, OffsetAndMetadata> =
            group::committed::fetch_committed(
                &self.shared.cluster,
                &group.group_id,
                Some(tps),
                require_stable,
            )
            .await?;
        Ok(tps
            .iter()
            .map(|tp| (tp.clone(), found.remove(tp)))
            .collect())
    }

    /// The member's standing in the group (for
    /// `send_offsets_to_transaction`); `None` without a `group.id`.
    pub fn group_metadata(&self) -> Option<GroupMetadata> {
        self.shared.group.as_ref().map(|g| g.metadata())
    }

    pub(super) fn check_not_subscribed(&self) -> Result<(), KrafkaError> {
        match &self.shared.group {
            Some(group) if group.lock().running => Err(KrafkaError::state(
                "the consumer is subscribed: the group assigns its partitions",
            )),
            _ => Ok(()),
        }
    }

    /// Stops the membership task, commits, revokes and leaves.
    pub(super) async fn end_membership(&self, reason: &str) {
        let Some(group) = &self.shared.group else {
            return;
        };
        let was_running = std::mem::replace(&mut group.lock().running, false);
        if !was_running {
            return;
        }
        group.stop_task();
        group.lock().selection = None;
        group::close_membership(self, group, reason).await;
    }

    fn group(&self) -> Result<&Arc<Group>, KrafkaError> {
        self.shared.group.as_ref().ok_or_else(no_group)
    }
}

fn no_group() -> KrafkaError {
    KrafkaError::config("the consumer has no `group.id`")
}
