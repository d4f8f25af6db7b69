//! The sender: one task that drains ready batches into Produce requests
//! (one request per leader carrying many partitions) and hands each to its
//! broker's sink ([`super::sink`]), which sends them in drain order.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use krafka_core::KrafkaError;
use krafka_core::messages::InitProducerIdRequest;

use super::Shared;
use super::batch::ProducerId;
use super::sink::Sinks;

/// Runs until the producer is closed and every batch is settled.
pub(crate) async fn run(shared: Arc<Shared>) {
    let mut sinks = Sinks::new(Arc::clone(&shared));
    loop {
        let memory_low = shared.memory_waiters.load(Ordering::Acquire) > 0;
        if shared.config.transactional_id.is_some() {
            let to_add = shared.lock().partitions_to_add();
            if !to_add.is_empty() {
                add_partitions(&shared, &to_add).await;
            }
        }
        let (drained, next_wake, needs_metadata, needs_producer_id, done) = {
            let mut state = shared.lock();
            if state.closed && state.is_empty() {
                break;
            }
            let generation = shared.cluster.metadata_generation();
            let metadata = shared.cluster.metadata();
            let (drained, next_wake) = if state.needs_producer_id {
                // No batch can go out, but they still expire.
                state.expire(Instant::now());
                (Vec::new(), None)
            } else {
                state.drain(&metadata, generation, Instant::now(), memory_low)
            };
            let needs_metadata = std::mem::take(&mut state.needs_metadata);
            // Appends skip waking the sender for a batch lingering past this.
            state.sender_wake_at = next_wake;
            (
                drained,
                next_wake,
                needs_metadata,
                state.needs_producer_id,
                state.closed && state.is_empty(),
            )
        };
        if done {
            break;
        }
        shared.completed.notify_waiters();
        if needs_metadata {
            request_metadata(&shared);
        }
        if needs_producer_id {
            match init_producer_id(&shared).await {
                Ok(id) => shared.lock().set_producer_id(id),
                Err(error) => {
                    tracing::warn!(
                        error = &error as &dyn std::error::Error,
                        "InitProducerId failed"
                    );
                    tokio::time::sleep(shared.config.client.retry_backoff).await;
                }
            }
            continue;
        }
        for request in drained {
            sinks.dispatch(request);
        }
        let wake = shared.wake.notified();
        let mut next = next_wake;
        if needs_metadata {
            // A partition waits for its leader: look again after the backoff.
            let at = Instant::now() + shared.config.client.retry_backoff;
            next = Some(next.map_or(at, |n| n.min(at)));
        }
        match next {
            Some(at) => {
                tokio::select! {
                    () = wake => {}
                    () = tokio::time::sleep_until(at.into()) => {}
                }
            }
            None => wake.await,
        }
    }
    shared.completed.notify_waiters();
}

/// Adds partitions to the open transaction (transaction version 1) before
/// their batches go out. A failure that is not retried fails the
/// transaction and every batch still queued, as in Java.
async fn add_partitions(shared: &Arc<Shared>, partitions: &[(String, i32)]) {
    let Some(id) = shared.config.transactional_id.as_deref() else {
        return;
    };
    let producer = shared.lock().producer_id;
    let result = tokio::time::timeout(
        shared.config.max_block,
        super::transaction::add_partitions(&shared.cluster, id, producer, partitions),
    )
    .await
    .unwrap_or_else(|_| {
        Err(KrafkaError::timeout(
            "AddPartitionsToTxn",
            shared.config.max_block,
        ))
    });
    let mut state = shared.lock();
    match result {
        Ok(()) => state.added_to_transaction(partitions),
        Err(error) => {
            let error = match state.txn.as_mut() {
                Some(txn) => txn.batch_failed(&error, false),
                None => error,
            };
            tracing::debug!(
                error = &error as &dyn std::error::Error,
                "AddPartitionsToTxn failed"
            );
            state.abort_queued(&error);
        }
    }
    drop(state);
    shared.completed.notify_waiters();
}

/// Refreshes the metadata in the background (one refresh at a time).
fn request_metadata(shared: &Arc<Shared>) {
    if shared.refreshing.swap(true, Ordering::AcqRel) {
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        if let Err(error) = shared.cluster.refresh_metadata().await {
            tracing::debug!(
                error = &error as &dyn std::error::Error,
                "producer metadata refresh failed"
            );
        }
        shared.refreshing.store(false, Ordering::Release);
        shared.wake.notify_one();
    });
}

/// InitProducerId for an idempotent (non-transactional) producer, with
/// retries.
pub(crate) async fn init_producer_id(shared: &Shared) -> Result<ProducerId, KrafkaError> {
    let request = InitProducerIdRequest {
        transactional_id: None,
        transaction_timeout_ms: i32::MAX,
        producer_id: -1,
        producer_epoch: -1,
        ..Default::default()
    };
    let response = shared
        .cluster
        .retry(|| async {
            let response = shared.cluster.send_to_any(&request).await?;
            KrafkaError::check_code(response.error_code, None)?;
            Ok(response)
        })
        .await?;
    Ok(ProducerId {
        id: response.producer_id,
        epoch: response.producer_epoch,
    })
}
