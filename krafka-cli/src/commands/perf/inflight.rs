//! The delivery futures of a fixed-rate run, each polled only when its own
//! waker fired, so that every record's acknowledgement is seen when it
//! happens whatever order the partitions' batches complete in (awaiting
//! them in send order would charge a record for the slower batches sent
//! before it). One slot, and one waker made once, per record in flight.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

/// The slots whose futures were woken, and the task to wake for them.
#[derive(Default)]
struct Woken {
    slots: Mutex<(Vec<usize>, Option<Waker>)>,
}

impl Woken {
    fn push(&self, slot: usize) {
        let task = {
            let mut woken = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            woken.0.push(slot);
            woken.1.take()
        };
        if let Some(task) = task {
            task.wake();
        }
    }
}

struct SlotWaker {
    slot: usize,
    woken: Arc<Woken>,
}

impl Wake for SlotWaker {
    fn wake(self: Arc<Self>) {
        self.woken.push(self.slot);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.push(self.slot);
    }
}

/// Futures in flight, each with a tag (its due time).
pub struct Inflight<T, F> {
    slots: Vec<Option<(T, F)>>,
    wakers: Vec<Waker>,
    free: Vec<usize>,
    woken: Arc<Woken>,
    /// Woken slots taken from `woken`, not polled yet.
    to_poll: Vec<usize>,
    len: usize,
}

impl<T, F: Future + Unpin> Inflight<T, F> {
    /// None in flight.
    pub fn new() -> Self {
        Inflight {
            slots: Vec::new(),
            wakers: Vec::new(),
            free: Vec::new(),
            woken: Arc::default(),
            to_poll: Vec::new(),
            len: 0,
        }
    }

    /// Futures not settled yet.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Adds a future; it is polled on the next [`Inflight::poll_settled`].
    pub fn push(&mut self, tag: T, future: F) {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                let slot = self.slots.len() - 1;
                self.wakers.push(Waker::from(Arc::new(SlotWaker {
                    slot,
                    woken: Arc::clone(&self.woken),
                })));
                slot
            }
        };
        self.slots[slot] = Some((tag, future));
        self.len += 1;
        self.to_poll.push(slot);
    }

    /// Polls the futures woken since the last call, passing each one that
    /// settled to `settled`; how many did. The task is woken when one of
    /// the others may have settled.
    pub fn poll_settled(
        &mut self,
        cx: &mut Context<'_>,
        mut settled: impl FnMut(T, F::Output),
    ) -> usize {
        {
            let mut woken = self
                .woken
                .slots
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            self.to_poll.append(&mut woken.0);
            // Registered before the polls below, so a wake during them is
            // not lost.
            woken.1 = Some(cx.waker().clone());
        }
        let mut done = 0;
        for slot in std::mem::take(&mut self.to_poll) {
            let Some(Some((_, future))) = self.slots.get_mut(slot) else {
                continue;
            };
            let mut slot_cx = Context::from_waker(&self.wakers[slot]);
            if let Poll::Ready(output) = Pin::new(future).poll(&mut slot_cx) {
                if let Some((tag, _)) = self.slots[slot].take() {
                    settled(tag, output);
                }
                self.free.push(slot);
                self.len -= 1;
                done += 1;
            }
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;

    /// What settles in one poll.
    async fn settle(inflight: &mut Inflight<u32, oneshot::Receiver<u32>>) -> Vec<(u32, u32)> {
        std::future::poll_fn(|cx| {
            let mut out = Vec::new();
            inflight.poll_settled(cx, |tag, value| out.push((tag, value.unwrap())));
            Poll::Ready(out)
        })
        .await
    }

    #[tokio::test]
    async fn settles_each_future_when_it_completes_in_any_order() {
        let mut inflight = Inflight::new();
        let mut senders = Vec::new();
        for tag in 0..5u32 {
            let (tx, rx) = oneshot::channel::<u32>();
            senders.push(tx);
            inflight.push(tag, rx);
        }
        let mut got = Vec::new();
        assert!(settle(&mut inflight).await.is_empty());
        assert_eq!(inflight.len(), 5);
        // Complete 3 then 1: only those settle, in any order.
        let mut senders: Vec<Option<_>> = senders.into_iter().map(Some).collect();
        senders[3].take().unwrap().send(30).unwrap();
        senders[1].take().unwrap().send(10).unwrap();
        let mut first = settle(&mut inflight).await;
        first.sort_unstable();
        assert_eq!(first, vec![(1, 10), (3, 30)]);
        assert_eq!(inflight.len(), 3);
        // A new future reuses a freed slot.
        let (tx, rx) = oneshot::channel();
        inflight.push(7, rx);
        assert_eq!(inflight.slots.len(), 5);
        tx.send(70).unwrap();
        for (i, sender) in senders.iter_mut().enumerate() {
            if let Some(sender) = sender.take() {
                sender.send(i as u32 * 10).unwrap();
            }
        }
        got.extend(settle(&mut inflight).await);
        got.sort_unstable();
        assert_eq!(got, vec![(0, 0), (2, 20), (4, 40), (7, 70)]);
        assert_eq!(inflight.len(), 0);
    }
}
