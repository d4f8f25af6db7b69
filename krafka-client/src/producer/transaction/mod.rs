//! Transactions: the producer's records to many partitions, and a consumer
//! group's offsets, become visible to `read_committed` consumers all
//! together or not at all, following the Java producer.
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use krafka_client::{Producer, ProducerConfig, ProducerRecord};
//!
//! let producer = Producer::new(
//!     ProducerConfig::builder()
//!         .bootstrap_servers(["127.0.0.1:9092"])
//!         .set("transactional.id", "orders-pipeline-1")?
//!         .build()?,
//! )
//! .await?;
//! // Fences any older producer with this transactional.id and finishes
//! // what it left open.
//! producer.init_transactions().await?;
//! producer.begin_transaction()?;
//! producer.send(ProducerRecord::new("orders").value("a")).await?;
//! producer.send(ProducerRecord::new("audit").value("b")).await?;
//! match producer.commit_transaction().await {
//!     Ok(()) => {}
//!     // A send failed or the group moved on: nothing of it is visible.
//!     Err(error) if error.is_abortable_transaction_error() => {
//!         producer.abort_transaction().await?
//!     }
//!     // Fenced by a newer incarnation: this producer is done.
//!     Err(error) => return Err(error),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - Both transaction protocols: under the cluster's finalized
//!   `transaction.version` 2 (KIP-890, Kafka 4.0+) Produce v12+ and
//!   TxnOffsetCommit v5+ add partitions and offsets to the transaction
//!   themselves and every EndTxn starts a new producer epoch; below it,
//!   AddPartitionsToTxn goes first (a partition's batches wait for it) and
//!   AddOffsetsToTxn precedes the offsets.
//! - Errors come as [`KrafkaError::Transaction`]: abortable ones fail the
//!   open transaction (every later send and the commit return them until
//!   [`Producer::abort_transaction`]); fatal ones (fencing, a transactional
//!   id the producer may not use) end the producer. Coordinator moves and
//!   busy coordinators are retried, each call within `max.block.ms`.

mod coordinator;
mod state;

pub(crate) use coordinator::add_partitions;
pub(crate) use state::TxnState;

use krafka_core::KrafkaError;

use super::Producer;
use super::batch::ProducerId;
use crate::consumer::{GroupMetadata, OffsetAndMetadata, TopicPartition};

impl Producer {
    /// Registers the producer's `transactional.id` with its coordinator:
    /// gets the producer id and epoch, fences any older producer with the
    /// same id, and lets the coordinator finish (abort or complete) the
    /// transaction that one left open. Call once, before the first
    /// [`Producer::begin_transaction`]; a timeout may be retried.
    pub async fn init_transactions(&self) -> Result<(), KrafkaError> {
        let shared = &self.handle.shared;
        let id = self.transactional_id()?;
        with_txn(&mut shared.lock(), |txn| txn.check_init())?;
        let timeout_ms =
            i32::try_from(shared.config.transaction_timeout.as_millis()).unwrap_or(i32::MAX);
        let result = self
            .within_max_block(
                "init_transactions",
                coordinator::init_producer_id(&shared.cluster, id, timeout_ms, ProducerId::NONE),
            )
            .await;
        let mut state = shared.lock();
        match result {
            Ok((producer, v2)) => {
                tracing::debug!(
                    transactional_id = id,
                    producer_id = producer.id,
                    epoch = producer.epoch,
                    v2,
                    "transactions initialized"
                );
                state.set_producer_id(producer);
                with_txn(&mut state, |txn| {
                    txn.initialized(v2);
                    Ok(())
                })
            }
            Err(error) => Err(with_txn(&mut state, |txn| Ok(txn.fail(error)))?),
        }
    }

    /// Opens a transaction: the records sent until the commit or abort
    /// belong to it. No request goes out until the first send.
    pub fn begin_transaction(&self) -> Result<(), KrafkaError> {
        self.transactional_id()?;
        with_txn(&mut self.handle.shared.lock(), |txn| txn.begin())
    }

    /// Adds a consumer group's offsets to the open transaction: they are
    /// committed if and only if the transaction is. `group` is the
    /// consumer's [`Consumer::group_metadata`](crate::Consumer::group_metadata)
    /// (its generation lets the coordinator refuse a member the group has
    /// moved on from: an abortable error), or [`GroupMetadata::new`] for a
    /// consumer in assign mode.
    pub async fn send_offsets_to_transaction(
        &self,
        offsets: &[(TopicPartition, OffsetAndMetadata)],
        group: &GroupMetadata,
    ) -> Result<(), KrafkaError> {
        let shared = &self.handle.shared;
        let id = self.transactional_id()?;
        if let Some((tp, offset)) = offsets.iter().find(|(_, o)| o.offset < 0) {
            return Err(KrafkaError::config(format!(
                "offset {} of {}-{} is negative",
                offset.offset, tp.topic, tp.partition
            )));
        }
        let (producer, v2) = {
            let mut state = shared.lock();
            let v2 = with_txn(&mut state, |txn| {
                txn.check_offsets()?;
                if txn.v2 {
                    // The TxnOffsetCommit adds the group itself: whatever
                    // becomes of it, the coordinator may know the
                    // transaction from now on.
                    txn.started = true;
                }
                Ok(txn.v2)
            })?;
            (state.producer_id, v2)
        };
        let cluster = &shared.cluster;
        let result = self
            .within_max_block("send_offsets_to_transaction", async {
                if !v2 {
                    coordinator::add_offsets(cluster, id, producer, &group.group_id).await?;
                    with_txn(&mut shared.lock(), |txn| {
                        txn.started = true;
                        Ok(())
                    })?;
                }
                coordinator::commit_offsets(cluster, id, producer, v2, group, offsets).await
            })
            .await;
        result.map_err(|error| self.fail(error))
    }

    /// Commits the open transaction: sends what is queued, waits for every
    /// record of it, then asks the coordinator to commit. Fails, committing
    /// nothing, when a record of the transaction failed (an abortable
    /// error: call [`Producer::abort_transaction`]). A timeout may be
    /// retried by calling it again.
    pub async fn commit_transaction(&self) -> Result<(), KrafkaError> {
        let shared = &self.handle.shared;
        let id = self.transactional_id()?;
        with_txn(&mut shared.lock(), |txn| txn.begin_commit())?;
        self.flush().await;
        let (producer, started, v2) = {
            let mut state = shared.lock();
            let (started, v2) = with_txn(&mut state, |txn| {
                // A record that failed while flushing fails the commit.
                txn.begin_commit()?;
                Ok((txn.started, txn.v2))
            })?;
            (state.producer_id, started, v2)
        };
        if started {
            self.end_transaction(id, producer, true, v2).await?;
        }
        shared.lock().transaction_ended();
        Ok(())
    }

    /// Aborts the open transaction: records not sent yet fail at once,
    /// those in flight are waited for, then the coordinator aborts it all
    /// (`read_committed` consumers skip it). Clears an abortable error.
    pub async fn abort_transaction(&self) -> Result<(), KrafkaError> {
        let shared = &self.handle.shared;
        let id = self.transactional_id()?;
        {
            let mut state = shared.lock();
            with_txn(&mut state, |txn| txn.begin_abort())?;
            state.abort_queued(&KrafkaError::state("the transaction was aborted"));
        }
        shared.completed.notify_waiters();
        shared.wake.notify_one();
        self.settled().await;
        let (producer, started, bump, v2) = {
            let mut state = shared.lock();
            let (started, bump, v2) = with_txn(&mut state, |txn| {
                txn.check_abort_continues()?;
                Ok((txn.started, txn.bump_on_abort, txn.v2))
            })?;
            (state.producer_id, started, bump, v2)
        };
        if started {
            self.end_transaction(id, producer, false, v2).await?;
        }
        if bump && !v2 {
            // Unresolved sequences: a new epoch (KIP-360) before the next
            // transaction. Under version 2 the EndTxn started one already.
            let current = shared.lock().producer_id;
            let timeout_ms =
                i32::try_from(shared.config.transaction_timeout.as_millis()).unwrap_or(i32::MAX);
            let result = self
                .within_max_block(
                    "abort_transaction",
                    coordinator::init_producer_id(&shared.cluster, id, timeout_ms, current),
                )
                .await;
            match result {
                Ok((next, _)) => shared.lock().set_producer_id(next),
                Err(error) => return Err(self.fail(error)),
            }
        }
        shared.lock().transaction_ended();
        Ok(())
    }

    /// EndTxn, taking the next epoch the coordinator answers (version 2).
    async fn end_transaction(
        &self,
        id: &str,
        producer: ProducerId,
        commit: bool,
        v2: bool,
    ) -> Result<(), KrafkaError> {
        let shared = &self.handle.shared;
        let operation = if commit {
            "commit_transaction"
        } else {
            "abort_transaction"
        };
        let result = self
            .within_max_block(
                operation,
                coordinator::end_transaction(&shared.cluster, id, producer, commit, v2),
            )
            .await;
        match result {
            Ok(next) => {
                if let Some(next) = next.filter(|_| v2) {
                    shared.lock().set_producer_id(next);
                }
                Ok(())
            }
            Err(error) => Err(self.fail(error)),
        }
    }

    /// `transactional.id`, or the error of calling a transaction method
    /// on a producer without one.
    fn transactional_id(&self) -> Result<&str, KrafkaError> {
        self.handle
            .shared
            .config
            .transactional_id
            .as_deref()
            .ok_or_else(|| KrafkaError::state("the producer has no `transactional.id`"))
    }

    /// Records `error` in the transaction by its class (fatal errors also
    /// fail whatever is queued) and returns it as the caller sees it.
    fn fail(&self, error: KrafkaError) -> KrafkaError {
        let shared = &self.handle.shared;
        let error = {
            let mut state = shared.lock();
            let error = match state.txn.as_mut() {
                Some(txn) => txn.fail(error),
                None => error,
            };
            if error.is_fatal_transaction_error() {
                state.abort_queued(&error);
            }
            error
        };
        shared.completed.notify_waiters();
        error
    }

    /// Runs `operation` for at most `max.block.ms` (Java's bound on every
    /// transactional call).
    async fn within_max_block<T>(
        &self,
        what: &str,
        operation: impl Future<Output = Result<T, KrafkaError>>,
    ) -> Result<T, KrafkaError> {
        let max_block = self.handle.shared.config.max_block;
        tokio::time::timeout(max_block, operation)
            .await
            .map_err(|_| KrafkaError::timeout(what, max_block))?
    }
}

/// Runs `f` on the transaction state (every producer with a
/// `transactional.id` has one).
fn with_txn<T>(
    state: &mut super::accumulator::Accumulator,
    f: impl FnOnce(&mut TxnState) -> Result<T, KrafkaError>,
) -> Result<T, KrafkaError> {
    match state.txn.as_mut() {
        Some(txn) => f(txn),
        None => Err(KrafkaError::state("the producer has no `transactional.id`")),
    }
}
