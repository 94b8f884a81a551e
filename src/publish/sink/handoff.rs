//! The two hand-off queues between a sink and its worker: the mailbox
//! (worker → sink events) and the job queue (sink → worker jobs). Both keep
//! their state behind a mutex with one parked waker, and wake the other side
//! only when it can act, after the lock is released.
//!
//! Mailbox: worker → sink events that wake the sink only when it can act on them.
//!
//! An unbounded channel wakes its receiver on every message. For a sink fed
//! by `forward`, that is one wake-up of the caller's task per ack, and each
//! woken caller then hands one new job to the worker: two task switches per
//! message that the raw request loop we are measured against does not pay.
//! Here the sink says how many events it needs before it can make progress
//! (enough acks to reach its low-water mark, or all of them when flushing);
//! the worker wakes it when that many have arrived, at once for a final
//! failure, and when the worker ends.
//!
//! Job queue: sink → worker jobs that wake the worker only when it can act on them.
//!
//! The counterpart of the mailbox: an unbounded channel
//! would wake the worker for every accepted message, even while it cannot
//! start one (a single-channel sink whose one message is in flight). Each
//! such wake-up puts the worker on the caller's thread for a poll that does
//! nothing, and on a two-worker runtime it moved the worker away from the
//! connection it was driving. Here the worker says whether it wants to hear
//! of new jobs; when it does not, they wait until it next looks, which it
//! does as soon as its delivery in flight ends.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::Waker;

use super::channel_queue::Job;
use super::worker::Event;

/// Locks `state`. Every critical section of the queues leaves their state
/// consistent, so a panic elsewhere while it was held changes nothing.
fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `update` under the lock, then wakes the waker it returned, if any,
/// once the lock is released (a woken task may run at once on another
/// thread and want the lock).
fn update_then_wake<T, R>(
    state: &Mutex<T>,
    update: impl FnOnce(&mut T) -> (R, Option<Waker>),
) -> R {
    let (result, waker) = update(&mut lock(state));
    if let Some(waker) = waker {
        waker.wake();
    }
    result
}

/// Parks `waker` in `slot`, keeping the one there if it wakes the same task.
fn park(slot: &mut Option<Waker>, waker: &Waker) {
    match slot {
        Some(parked) if parked.will_wake(waker) => {}
        _ => *slot = Some(waker.clone()),
    }
}

/// A waker that counts its wake-ups, for the queues' tests.
#[cfg(test)]
#[derive(Default)]
struct CountWakes(pub(crate) std::sync::atomic::AtomicUsize);

#[cfg(test)]
impl std::task::Wake for CountWakes {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

// ---- Mailbox: worker → sink events.

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

// ---- Job queue: sink → worker jobs.

struct Queue<M> {
    jobs: VecDeque<Job<M>>,
    waker: Option<Waker>,
    /// Wake the worker for a new job.
    wants: bool,
    sink_gone: bool,
    worker_gone: bool,
}

/// A new queue: the sink's end and the worker's end.
pub(crate) fn job_queue<M>() -> (JobSender<M>, JobReceiver<M>) {
    let queue = Arc::new(Mutex::new(Queue {
        jobs: VecDeque::new(),
        waker: None,
        wants: true,
        sink_gone: false,
        worker_gone: false,
    }));
    (JobSender(Arc::clone(&queue)), JobReceiver(queue))
}

/// The sink's end. Dropping it tells the worker no job will follow.
pub(crate) struct JobSender<M>(Arc<Mutex<Queue<M>>>);

impl<M> JobSender<M> {
    /// Queues `job`; hands it back if the worker is gone.
    pub(crate) fn send(&self, job: Job<M>) -> Result<(), Job<M>> {
        update_then_wake(&self.0, |queue| {
            if queue.worker_gone {
                return (Err(job), None);
            }
            queue.jobs.push_back(job);
            let wake = std::mem::replace(&mut queue.wants, false);
            (Ok(()), if wake { queue.waker.take() } else { None })
        })
    }
}

impl<M> Drop for JobSender<M> {
    fn drop(&mut self) {
        update_then_wake(&self.0, |queue| {
            queue.sink_gone = true;
            ((), queue.waker.take())
        });
    }
}

/// The worker's end.
pub(crate) struct JobReceiver<M>(Arc<Mutex<Queue<M>>>);

/// What [`JobReceiver::take`] found.
pub(crate) struct Jobs<M> {
    /// Every job queued since the last take, in order.
    pub(crate) jobs: VecDeque<Job<M>>,
    /// The sink is closed or dropped: no job will follow these.
    pub(crate) closed: bool,
}

impl<M> JobReceiver<M> {
    /// Takes the queued jobs and registers `waker`: it is woken when the
    /// sink closes, and for the next job only if `wants` is set.
    pub(crate) fn take(&mut self, waker: &Waker, wants: bool) -> Jobs<M> {
        let mut queue = lock(&self.0);
        park(&mut queue.waker, waker);
        queue.wants = wants;
        Jobs {
            jobs: std::mem::take(&mut queue.jobs),
            closed: queue.sink_gone,
        }
    }

    /// Jobs queued and not yet taken.
    pub(crate) fn len(&self) -> usize {
        lock(&self.0).jobs.len()
    }
}

impl<M> Drop for JobReceiver<M> {
    fn drop(&mut self) {
        let mut queue = lock(&self.0);
        queue.worker_gone = true;
        queue.waker = None;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;

    #[test]
    fn wakes_after_the_update_and_keeps_an_equivalent_parked_waker() {
        let count = Arc::new(CountWakes::default());
        let waker = Waker::from(Arc::clone(&count));
        let state = Mutex::new(None::<Waker>);
        park(&mut lock(&state), &waker);
        park(&mut lock(&state), &waker.clone());
        let taken = update_then_wake(&state, |slot| {
            assert_eq!(
                count.0.load(Ordering::SeqCst),
                0,
                "not woken under the lock"
            );
            (7, slot.take())
        });
        assert_eq!(taken, 7);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(lock(&state).is_none());
    }

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

    fn job(seq: u64) -> Job<()> {
        Job {
            seq,
            channel: Arc::from("ch"),
            msg: Arc::new(()),
        }
    }

    #[test]
    fn wakes_for_a_job_only_when_the_worker_wants_one() {
        let (tx, mut rx) = job_queue::<()>();
        let count = Arc::new(CountWakes::default());
        let waker = Waker::from(Arc::clone(&count));
        assert!(rx.take(&waker, false).jobs.is_empty());
        tx.send(job(0)).ok();
        tx.send(job(1)).ok();
        assert_eq!(count.0.load(Ordering::SeqCst), 0, "busy: no wake-up");
        let taken = rx.take(&waker, true);
        assert_eq!(taken.jobs.iter().map(|j| j.seq).collect::<Vec<_>>(), [0, 1]);
        tx.send(job(2)).ok();
        tx.send(job(3)).ok();
        assert_eq!(
            count.0.load(Ordering::SeqCst),
            1,
            "one wake-up for the burst"
        );
        assert_eq!(rx.len(), 2);
    }

    #[test]
    fn closing_always_wakes_and_a_gone_worker_hands_jobs_back() {
        let (tx, mut rx) = job_queue::<()>();
        let count = Arc::new(CountWakes::default());
        let waker = Waker::from(Arc::clone(&count));
        rx.take(&waker, false);
        drop(tx);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(rx.take(&waker, false).closed);

        let (tx, rx) = job_queue::<()>();
        drop(rx);
        assert_eq!(tx.send(job(7)).map_err(|j| j.seq), Err(7));
    }
}
