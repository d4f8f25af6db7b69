//! Delivery futures of a producing loop, settled as they resolve.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use krafka::{DeliveryFuture, KrafkaError};
use tokio::task::Unconstrained;

/// Delivery futures not yet seen resolved, oldest first; resolved ones at
/// the front are dropped as the run goes (polled without waiting), so the
/// queue stays about as long as what `buffer.memory` holds.
#[derive(Default)]
pub struct Deliveries {
    queue: VecDeque<Unconstrained<DeliveryFuture>>,
    delivered: u64,
    errors: u64,
    first_error: Option<KrafkaError>,
}

impl Deliveries {
    /// Adds the future of one send.
    pub fn push(&mut self, delivery: DeliveryFuture) {
        // Unconstrained: the producing loop seldom yields, and a polled
        // oneshot would otherwise run out of tokio's cooperative budget and
        // report Pending for good, letting the queue grow without bound.
        self.queue.push_back(tokio::task::unconstrained(delivery));
        let mut cx = Context::from_waker(Waker::noop());
        while let Some(front) = self.queue.front_mut() {
            match Pin::new(front).poll(&mut cx) {
                Poll::Ready(result) => {
                    self.record(result.err());
                    self.queue.pop_front();
                }
                Poll::Pending => break,
            }
        }
    }

    /// Waits for every delivery still pending.
    pub async fn finish(&mut self) {
        while let Some(front) = self.queue.pop_front() {
            let error = front.await.err();
            self.record(error);
        }
    }

    /// [`finish`](Self::finish) until `deadline`: the deliveries still
    /// pending then count as failed, with `late`.
    pub async fn finish_by(&mut self, deadline: tokio::time::Instant, late: &KrafkaError) {
        while let Some(front) = self.queue.front_mut() {
            match tokio::time::timeout_at(deadline, front).await {
                Ok(result) => {
                    self.queue.pop_front();
                    self.record(result.err());
                }
                Err(_) => {
                    for _ in 0..self.queue.len() {
                        self.record(Some(late.clone()));
                    }
                    self.queue.clear();
                    return;
                }
            }
        }
    }

    /// Records acknowledged so far.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Records that failed so far.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// The first failure, if any.
    pub fn first_error(&self) -> Option<&KrafkaError> {
        self.first_error.as_ref()
    }

    /// Counts a record that failed before it got a delivery future.
    pub fn fail(&mut self, error: KrafkaError) {
        self.record(Some(error));
    }

    fn record(&mut self, error: Option<KrafkaError>) {
        match error {
            Some(error) => {
                self.errors += 1;
                self.first_error.get_or_insert(error);
            }
            None => self.delivered += 1,
        }
    }
}
