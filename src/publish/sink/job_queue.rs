//! Sink → worker jobs that wake the worker only when it can act on them.
//!
//! The counterpart of [`mailbox`](super::mailbox): an unbounded channel
//! would wake the worker for every accepted message, even while it cannot
//! start one (a single-channel sink whose one message is in flight). Each
//! such wake-up puts the worker on the caller's thread for a poll that does
//! nothing, and on a two-worker runtime it moved the worker away from the
//! connection it was driving. Here the worker says whether it wants to hear
//! of new jobs; when it does not, they wait until it next looks, which it
//! does as soon as its delivery in flight ends.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::Waker;

use super::channel_queue::Job;
use super::parked::{lock, park, update_then_wake};

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
    use crate::publish::sink::parked::CountWakes;

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
