//! The worker's deliveries in flight: an unordered set of futures that polls
//! only the ones that were woken.
//!
//! `futures::stream::FuturesUnordered` does the same, but it also yields to
//! the executor (waking its own task) whenever it has polled every future it
//! holds once in a call. With one delivery in flight, as in an ordered
//! single-channel sink, that is every poll in which the delivery stays
//! pending: each one re-queued the worker task as a yield, which on tokio's
//! multi-thread runtime also wakes an idle worker thread. Measured on two
//! workers, that made the sink three times slower than a plain loop of
//! `publish().await`. This set yields only if woken futures are still
//! waiting after it has polled as many futures as it holds.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use futures::task::AtomicWaker;

/// Slots woken since the set last looked, and the task polling the set.
#[derive(Default)]
struct Ready {
    woken: Mutex<Vec<usize>>,
    parent: AtomicWaker,
}

impl Ready {
    fn push(&self, index: usize) {
        self.woken
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(index);
    }

    fn take(&self, into: &mut Vec<usize>) {
        let mut woken = self.woken.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::swap(&mut *woken, into);
    }
}

/// The waker of one slot: queues the slot once and wakes the parent.
struct SlotWaker {
    index: usize,
    queued: AtomicBool,
    ready: Arc<Ready>,
}

impl Wake for SlotWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            self.ready.push(self.index);
        }
        self.ready.parent.wake();
    }
}

struct Slot<F> {
    future: Option<Pin<Box<F>>>,
    shared: Arc<SlotWaker>,
    /// `shared` as a `Waker`, made once per slot.
    waker: Waker,
}

/// An unordered set of futures, polled when woken.
pub(crate) struct InFlight<F> {
    slots: Vec<Slot<F>>,
    free: Vec<usize>,
    ready: Arc<Ready>,
    /// Reused buffer for the woken slots of one poll.
    batch: Vec<usize>,
    len: usize,
}

impl<F: Future> InFlight<F> {
    pub(crate) fn new() -> Self {
        InFlight {
            slots: Vec::new(),
            free: Vec::new(),
            ready: Arc::new(Ready::default()),
            batch: Vec::new(),
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `future`; it is polled on the next [`poll_next`](Self::poll_next).
    pub(crate) fn push(&mut self, future: F) {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                let index = self.slots.len();
                let shared = Arc::new(SlotWaker {
                    index,
                    queued: AtomicBool::new(false),
                    ready: Arc::clone(&self.ready),
                });
                self.slots.push(Slot {
                    future: None,
                    waker: Waker::from(Arc::clone(&shared)),
                    shared,
                });
                index
            }
        };
        let slot = &mut self.slots[index];
        slot.future = Some(Box::pin(future));
        slot.shared.queued.store(true, Ordering::Release);
        self.ready.push(index);
        self.len += 1;
    }

    /// The output of a future that finished, `Pending` while none has, or
    /// `Ready(None)` when the set is empty.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        if self.len == 0 {
            return Poll::Ready(None);
        }
        self.ready.parent.register(cx.waker());
        let mut polled = 0;
        loop {
            let mut batch = std::mem::take(&mut self.batch);
            self.ready.take(&mut batch);
            if batch.is_empty() {
                self.batch = batch;
                return Poll::Pending;
            }
            if polled >= self.len {
                // Woken again while being polled, as many times as there
                // are futures: they keep waking themselves. Let other tasks run.
                for &index in &batch {
                    self.ready.push(index);
                }
                batch.clear();
                self.batch = batch;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let mut finished = None;
            let mut rest = batch.drain(..);
            for index in rest.by_ref() {
                let Some(slot) = self.slots.get_mut(index) else {
                    continue;
                };
                slot.shared.queued.store(false, Ordering::Release);
                let Some(future) = slot.future.as_mut() else {
                    continue; // a stale wake of a finished future
                };
                polled += 1;
                let mut slot_cx = Context::from_waker(&slot.waker);
                if let Poll::Ready(output) = future.as_mut().poll(&mut slot_cx) {
                    slot.future = None;
                    self.free.push(index);
                    self.len -= 1;
                    finished = Some(output);
                    break;
                }
            }
            // Slots taken but not polled this time go back in the queue.
            for index in rest {
                self.ready.push(index);
            }
            self.batch = batch;
            if let Some(output) = finished {
                return Poll::Ready(Some(output));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;

    async fn next<F: Future>(set: &mut InFlight<F>) -> Option<F::Output> {
        std::future::poll_fn(|cx| set.poll_next(cx)).await
    }

    #[tokio::test]
    async fn yields_outputs_in_completion_order_and_reuses_slots() {
        let mut set = InFlight::new();
        let (tx_a, rx_a) = oneshot::channel::<u32>();
        let (tx_b, rx_b) = oneshot::channel::<u32>();
        let (tx_c, rx_c) = oneshot::channel::<u32>();
        set.push(rx_a);
        set.push(rx_b);
        assert_eq!(set.len(), 2);
        let waker = futures::task::noop_waker();
        assert!(set.poll_next(&mut Context::from_waker(&waker)).is_pending());
        tx_b.send(2).ok();
        assert_eq!(next(&mut set).await, Some(Ok(2)));
        tx_a.send(1).ok();
        assert_eq!(next(&mut set).await, Some(Ok(1)));
        assert!(set.is_empty());
        assert_eq!(next(&mut set).await, None);
        set.push(rx_c);
        tx_c.send(3).ok();
        assert_eq!(next(&mut set).await, Some(Ok(3)));
        assert_eq!(set.slots.len(), 2, "slots are reused");
    }

    #[test]
    fn a_lone_pending_future_does_not_wake_the_task() {
        use std::sync::atomic::AtomicUsize;

        #[derive(Default)]
        struct Count(AtomicUsize);
        impl Wake for Count {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let count = Arc::new(Count::default());
        let waker = Waker::from(Arc::clone(&count));
        let mut cx = Context::from_waker(&waker);
        let mut set = InFlight::new();
        set.push(std::future::pending::<()>());
        for _ in 0..3 {
            assert!(set.poll_next(&mut cx).is_pending());
        }
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_future_that_keeps_waking_itself_makes_the_set_yield() {
        let count = Arc::new(AtomicBool::new(false));
        struct Flag(Arc<AtomicBool>);
        impl Wake for Flag {
            fn wake(self: Arc<Self>) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let waker = Waker::from(Arc::new(Flag(Arc::clone(&count))));
        let mut cx = Context::from_waker(&waker);
        let mut set = InFlight::new();
        set.push(std::future::poll_fn(|cx: &mut Context<'_>| {
            cx.waker().wake_by_ref();
            Poll::<()>::Pending
        }));
        assert!(set.poll_next(&mut cx).is_pending());
        assert!(
            count.load(Ordering::SeqCst),
            "the parent was woken to yield"
        );
    }
}
