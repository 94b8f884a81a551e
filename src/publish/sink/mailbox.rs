//! Worker → sink events that wake the sink only when it can act on them.
//!
//! An unbounded channel wakes its receiver on every message. For a sink fed
//! by `forward`, that is one wake-up of the caller's task per ack, and each
//! woken caller then hands one new job to the worker: two task switches per
//! message that the raw request loop we are measured against does not pay.
//! Here the sink says how many events it needs before it can make progress
//! (enough acks to reach its low-water mark, or all of them when flushing);
//! the worker wakes it when that many have arrived, at once for a final
//! failure, and when the worker ends.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::Waker;

use super::parked::{lock, park, update_then_wake};
use super::worker::Event;

struct Slot<E> {
    events: VecDeque<Event<E>>,
    waker: Option<Waker>,
    /// Wake the parked sink once `events` holds this many.
    wake_at: usize,
    worker_gone: bool,
    sink_gone: bool,
}

/// A new mailbox: the worker's end and the sink's end.
pub(crate) fn mailbox<E>() -> (EventSender<E>, EventReceiver<E>) {
    let slot = Arc::new(Mutex::new(Slot {
        events: VecDeque::new(),
        waker: None,
        wake_at: 1,
        worker_gone: false,
        sink_gone: false,
    }));
    (EventSender(Arc::clone(&slot)), EventReceiver(slot))
}

/// The worker's end. Dropping it tells the sink the worker has ended.
pub(crate) struct EventSender<E>(Arc<Mutex<Slot<E>>>);

impl<E> EventSender<E> {
    /// Posts `event`; hands it back if the sink is gone.
    pub(crate) fn send(&self, event: Event<E>) -> Result<(), Event<E>> {
        update_then_wake(&self.0, |slot| {
            if slot.sink_gone {
                return (Err(event), None);
            }
            let urgent = matches!(event, Event::Failed { .. });
            slot.events.push_back(event);
            let wake = urgent || slot.events.len() >= slot.wake_at;
            (Ok(()), if wake { slot.waker.take() } else { None })
        })
    }
}

impl<E> Drop for EventSender<E> {
    fn drop(&mut self) {
        update_then_wake(&self.0, |slot| {
            slot.worker_gone = true;
            ((), slot.waker.take())
        });
    }
}

/// The sink's end.
pub(crate) struct EventReceiver<E>(Arc<Mutex<Slot<E>>>);

/// What [`EventReceiver::take`] found.
pub(crate) struct Taken<E> {
    /// Every event posted since the last take, in order.
    pub(crate) events: VecDeque<Event<E>>,
    /// The worker has ended: no event will follow these.
    pub(crate) worker_gone: bool,
}

impl<E> EventReceiver<E> {
    /// Takes every event posted so far, without registering for more.
    pub(crate) fn take(&mut self) -> Taken<E> {
        let mut slot = lock(&self.0);
        Taken {
            events: std::mem::take(&mut slot.events),
            worker_gone: slot.worker_gone,
        }
    }

    /// Asks to be woken through `waker` once `want` (at least 1) events are
    /// waiting, or a final failure, or the worker's end. Returns `false`
    /// without parking when that already holds: take again instead.
    pub(crate) fn park(&mut self, waker: &Waker, want: usize) -> bool {
        let mut slot = lock(&self.0);
        let want = want.max(1);
        let ready = slot.worker_gone
            || slot.events.len() >= want
            || slot
                .events
                .iter()
                .any(|event| matches!(event, Event::Failed { .. }));
        if ready {
            return false;
        }
        slot.wake_at = want;
        park(&mut slot.waker, waker);
        true
    }
}

impl<E> Drop for EventReceiver<E> {
    fn drop(&mut self) {
        let mut slot = lock(&self.0);
        slot.sink_gone = true;
        slot.waker = None;
        slot.events.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::publish::sink::parked::CountWakes;

    fn acked(seq: u64) -> Event<()> {
        Event::Acked { seq }
    }

    #[test]
    fn wakes_once_when_the_wanted_number_of_events_arrived() {
        let (tx, mut rx) = mailbox::<()>();
        let count = Arc::new(CountWakes::default());
        let waker = Waker::from(Arc::clone(&count));
        assert!(rx.park(&waker, 3));
        tx.send(acked(0)).ok();
        tx.send(acked(1)).ok();
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        tx.send(acked(2)).ok();
        tx.send(acked(3)).ok();
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        let taken = rx.take();
        let seqs: Vec<u64> = taken
            .events
            .iter()
            .map(|event| match event {
                Event::Acked { seq } => *seq,
                Event::Failed { seq, .. } => *seq,
            })
            .collect();
        assert_eq!(seqs, [0, 1, 2, 3]);
        assert!(!taken.worker_gone);
    }

    #[test]
    fn a_failure_and_the_workers_end_wake_at_once() {
        let (tx, mut rx) = mailbox::<()>();
        let count = Arc::new(CountWakes::default());
        let waker = Waker::from(Arc::clone(&count));
        assert!(rx.park(&waker, 100));
        tx.send(Event::Failed {
            seq: 0,
            channel: Arc::from("ch"),
            error: (),
            in_doubt: Vec::new(),
        })
        .ok();
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(!rx.park(&waker, 100), "a failure is waiting: take it");
        rx.take();
        assert!(rx.park(&waker, 100));
        drop(tx);
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
        assert!(rx.take().worker_gone);
        assert!(!rx.park(&waker, 1));
    }

    #[test]
    fn does_not_park_when_enough_events_wait_and_refuses_events_after_the_sink_is_gone() {
        let (tx, mut rx) = mailbox::<()>();
        let waker = Waker::from(Arc::new(CountWakes::default()));
        tx.send(acked(0)).ok();
        assert!(!rx.park(&waker, 1));
        assert!(rx.park(&waker, 2));
        drop(rx);
        assert!(tx.send(acked(1)).is_err());
    }
}
