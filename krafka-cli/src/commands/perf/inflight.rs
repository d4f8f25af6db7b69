//! The delivery futures of a fixed-rate run, each polled only when its own
//! waker fired, so that every record's acknowledgement is seen when it
//! happens whatever order the partitions' batches complete in (awaiting
//! them in send order would charge a record for the slower batches sent
//! before it). One slot, and one waker made once, per record in flight.
//!
//! [`Inflight::push`] polls a future once, on the thread that sent it, so
//! that its waker is registered there: the collecting task is woken when a
//! future settles, once for all those that settle together, not once per
//! record sent (handing every future to the task through a channel woke it
//! for each record: at 10,000 records/s a tenth of the run's CPU went to
//! those wake-ups).

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

/// One future in flight, with its tag, or what it settled with.
enum Slot<T, F: Future> {
    Free,
    Pending(T, F),
    Settled(T, F::Output),
}

/// Futures in flight, each with a tag (its due time).
pub struct Inflight<T, F: Future> {
    slots: Vec<Slot<T, F>>,
    wakers: Vec<Waker>,
    free: Vec<usize>,
    woken: Arc<Woken>,
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
            len: 0,
        }
    }

    /// Futures not settled yet.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Adds a future and polls it once, here, with its slot's waker; the
    /// collecting task hears of it when it settles (at once, if it already
    /// has).
    pub fn push(&mut self, tag: T, mut future: F) {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(Slot::Free);
                let slot = self.slots.len() - 1;
                self.wakers.push(Waker::from(Arc::new(SlotWaker {
                    slot,
                    woken: Arc::clone(&self.woken),
                })));
                slot
            }
        };
        self.len += 1;
        let mut cx = Context::from_waker(&self.wakers[slot]);
        self.slots[slot] = match Pin::new(&mut future).poll(&mut cx) {
            Poll::Ready(output) => {
                self.woken.push(slot);
                Slot::Settled(tag, output)
            }
            Poll::Pending => Slot::Pending(tag, future),
        };
    }

    /// Polls the futures woken since the last call, passing each one that
    /// settled to `settled`; how many did. The task is woken when one of
    /// the others may have settled.
    pub fn poll_settled(
        &mut self,
        cx: &mut Context<'_>,
        mut settled: impl FnMut(T, F::Output),
    ) -> usize {
        let to_poll = {
            let mut woken = self
                .woken
                .slots
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // Registered before the polls below, so a wake during them is
            // not lost.
            woken.1 = Some(cx.waker().clone());
            std::mem::take(&mut woken.0)
        };
        let mut done = 0;
        for slot in to_poll {
            let Some(entry) = self.slots.get_mut(slot) else {
                continue;
            };
            let (tag, output) = match std::mem::replace(entry, Slot::Free) {
                Slot::Free => continue,
                Slot::Settled(tag, output) => (tag, output),
                Slot::Pending(tag, mut future) => {
                    let mut slot_cx = Context::from_waker(&self.wakers[slot]);
                    match Pin::new(&mut future).poll(&mut slot_cx) {
                        Poll::Ready(output) => (tag, output),
                        Poll::Pending => {
                            *entry = Slot::Pending(tag, future);
                            continue;
                        }
                    }
                }
            };
            settled(tag, output);
            self.free.push(slot);
            self.len -= 1;
            done += 1;
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

    /// Counts the wakes of the collecting task.
    #[derive(Default)]
    struct CountingWaker(std::sync::atomic::AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn the_collector_is_woken_by_settling_not_by_pushing() {
        let task = Arc::new(CountingWaker::default());
        let waker = Waker::from(Arc::clone(&task));
        let mut cx = Context::from_waker(&waker);
        let wakes = || task.0.load(std::sync::atomic::Ordering::SeqCst);
        let mut inflight = Inflight::new();
        let mut got = Vec::new();
        assert_eq!(inflight.poll_settled(&mut cx, |_, _: Result<u32, _>| ()), 0);
        // Pushed from "another thread": registered there, the task sleeps on.
        let mut senders = Vec::new();
        for tag in 0..3u32 {
            let (tx, rx) = oneshot::channel::<u32>();
            senders.push(tx);
            inflight.push(tag, rx);
        }
        assert_eq!(wakes(), 0);
        // Two settle: the task is woken once, and sees both.
        senders.remove(0).send(0).unwrap();
        senders.remove(0).send(10).unwrap();
        assert_eq!(wakes(), 1);
        inflight.poll_settled(&mut cx, |tag, value| got.push((tag, value.unwrap())));
        got.sort_unstable();
        assert_eq!(got, vec![(0, 0), (1, 10)]);
        // One that settled before it was pushed wakes the task at once.
        let (tx, rx) = oneshot::channel::<u32>();
        tx.send(50).unwrap();
        inflight.push(5, rx);
        assert_eq!(wakes(), 2);
        got.clear();
        inflight.poll_settled(&mut cx, |tag, value| got.push((tag, value.unwrap())));
        assert_eq!(got, vec![(5, 50)]);
        assert_eq!(inflight.len(), 1);
        drop(senders);
    }
}
