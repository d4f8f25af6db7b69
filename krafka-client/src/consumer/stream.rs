//! [`Consumer::stream`](super::Consumer::stream): the records as a
//! `futures_core::Stream`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use futures_core::Stream;
use krafka_core::KrafkaError;
use tokio::sync::futures::Notified;

use super::Shared;
use super::record::ConsumerRecord;
use super::state::One;

/// A stream of records; it ends when the consumer is closed.
pub(crate) struct RecordStream<'a> {
    shared: &'a Shared,
    /// Registered for the next "records ready" wake-up while none is ready.
    waiting: Option<Pin<Box<Notified<'a>>>>,
}

impl<'a> RecordStream<'a> {
    pub(crate) fn new(shared: &'a Shared) -> Self {
        RecordStream {
            shared,
            waiting: None,
        }
    }

    fn try_next(&mut self) -> Option<Result<ConsumerRecord, KrafkaError>> {
        if self.shared.closed.load(Ordering::Acquire) {
            return None;
        }
        let mut one = One::default();
        match self.shared.take(1, &mut one) {
            Ok(()) => one.0.map(Ok),
            Err(error) => Some(Err(error)),
        }
    }
}

impl Stream for RecordStream<'_> {
    type Item = Result<ConsumerRecord, KrafkaError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(waiting) = this.waiting.as_mut() {
                if waiting.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.waiting = None;
            }
            if this.shared.closed.load(Ordering::Acquire) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.try_next() {
                return Poll::Ready(Some(item));
            }
            // Register before looking again, so a wake-up in between is not lost.
            let mut waiting = Box::pin(this.shared.records_ready.notified());
            waiting.as_mut().enable();
            if let Some(item) = this.try_next() {
                return Poll::Ready(Some(item));
            }
            if this.shared.closed.load(Ordering::Acquire) {
                return Poll::Ready(None);
            }
            this.waiting = Some(waiting);
        }
    }
}
