//! The background task of one sink: per-channel order, bounded concurrency
//! across channels, acks, and the stop after a final failure.
//!
//! Jobs arrive on an unbounded `tokio::sync::mpsc` channel (the sink bounds
//! them by `max_pending`). The worker reads that channel only when it could
//! start a job: a one-channel sink whose message is in flight leaves new
//! jobs queued until the delivery ends, so it is woken at most once for them
//! (the channel's parked waker is used once), not for every job.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::stream::{FuturesUnordered, StreamExt};

use tokio::sync::{mpsc, watch, Semaphore};

use super::ack::{Ack, AckSlot};
use super::channel_queue::{Job, Lanes};
use super::deliver::{Delivery, Outcome};
use super::rate_limit::RateLimit;
use super::send::PublishSend;
use crate::retry::RetryPolicy;

/// How the worker delivers.
#[derive(Debug, Clone)]
pub(crate) struct WorkerConfig {
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: RateLimit,
    /// How many channels may have a message in flight at once (at least 1).
    pub(crate) max_channels_in_flight: usize,
    /// Every job is for the same channel: a new job cannot start while a
    /// delivery is in flight, so the worker is not woken for it.
    pub(crate) one_channel: bool,
}

/// What the worker tells its sink.
#[derive(Debug)]
pub(crate) enum Event<E> {
    /// Message `seq` was published.
    Acked { seq: u64 },
    /// Message `seq` failed for good. Sent last: every ack the worker will
    /// ever send precedes it, and the worker exits right after. `in_doubt`:
    /// the other messages that were sent at least once and not acknowledged
    /// (they may have been published); the rest were never sent.
    Failed {
        seq: u64,
        channel: Arc<str>,
        error: E,
        in_doubt: Vec<u64>,
    },
}

/// The worker's channels to the outside world.
pub(crate) struct WorkerIo<X: PublishSend> {
    pub(crate) jobs: mpsc::UnboundedReceiver<Job<X::Msg>>,
    pub(crate) events: mpsc::UnboundedSender<Event<X::Error>>,
    pub(crate) acks: AckSlot,
    /// The sink's room: one permit freed per ack, after its event is sent.
    pub(crate) room: Arc<Semaphore>,
}

/// Frees the sink's room as messages are acknowledged, and closes it when
/// the worker ends however it ends (returns, or is dropped with its
/// runtime), which wakes a sink waiting for room.
struct Room(Arc<Semaphore>);

impl Room {
    /// One more message acknowledged (its event already sent).
    fn free_one(&self) {
        self.0.add_permits(1);
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// What woke the worker.
enum Step<D> {
    /// Jobs were moved into the batch buffer; none when the sink is closed
    /// or dropped and every job was taken.
    Jobs(usize),
    Done(D),
}

/// How many jobs the worker takes from its channel at once.
const JOB_BATCH: usize = 256;

/// Runs until the sink is closed or dropped and every accepted job is done,
/// or until a final failure (after the deliveries in flight have finished).
pub(crate) async fn run<X: PublishSend>(sender: Arc<X>, config: WorkerConfig, io: WorkerIo<X>) {
    let WorkerIo {
        mut jobs,
        events,
        acks,
        room,
    } = io;
    let room = Room(room);
    let max_in_flight = config.max_channels_in_flight.max(1);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut lanes = Lanes::new(config.rate_limit);
    let mut in_flight = InFlight::new(config.one_channel);
    let mut failure: Option<(u64, Arc<str>, X::Error)> = None;
    let mut in_doubt = Vec::new();
    let mut jobs_open = true;
    let mut batch = Vec::new();

    loop {
        while failure.is_none() && in_flight.len() < max_in_flight {
            let Some((job, limit)) = lanes.start_next() else {
                break;
            };
            let delivery = Delivery {
                sender: Arc::clone(&sender),
                msg: job.msg,
                retry: config.retry.clone(),
                limit,
                stop: stop_rx.clone(),
            };
            let (seq, channel) = (job.seq, job.channel);
            in_flight.push(async move {
                let (outcome, limit) = delivery.run().await;
                (seq, channel, outcome, limit)
            });
        }
        if in_flight.is_empty() && (failure.is_some() || (!jobs_open && lanes.queued() == 0)) {
            break;
        }
        // A new job can start only with room in flight, and (one channel)
        // only once the delivery in flight has ended.
        let wants_jobs =
            in_flight.len() < max_in_flight && (!config.one_channel || in_flight.is_empty());
        let taking = jobs_open && failure.is_none() && wants_jobs;
        let step = std::future::poll_fn(|cx| {
            if let Poll::Ready(Some(done)) = in_flight.poll_next(cx) {
                return Poll::Ready(Step::Done(done));
            }
            if taking {
                if let Poll::Ready(taken) = jobs.poll_recv_many(cx, &mut batch, JOB_BATCH) {
                    return Poll::Ready(Step::Jobs(taken));
                }
            }
            Poll::Pending
        })
        .await;
        match step {
            Step::Jobs(0) => jobs_open = false,
            Step::Jobs(_) => {
                for job in batch.drain(..) {
                    lanes.push(job);
                }
            }
            Step::Done((seq, channel, outcome, limit)) => {
                lanes.finish(&channel, limit);
                match outcome {
                    Outcome::Acked(timetoken) => {
                        acks.send(&Ack::new(channel, timetoken, seq));
                        // The sink may be gone (dropped): the work goes on regardless.
                        let _ = events.send(Event::Acked { seq });
                        room.free_one();
                    }
                    Outcome::Failed(error) if failure.is_none() => {
                        stop_tx.send_replace(true);
                        failure = Some((seq, channel, error));
                    }
                    Outcome::Failed(_) => {
                        tracing::debug!(
                            seq,
                            "another message failed while the publish sink was stopping"
                        );
                        in_doubt.push(seq);
                    }
                    Outcome::Abandoned { attempted } => {
                        if attempted {
                            in_doubt.push(seq);
                        }
                    }
                }
            }
        }
    }

    acks.close();
    if let Some((seq, channel, error)) = failure {
        let unsent = lanes.queued() + jobs.len();
        tracing::warn!(%channel, seq, unsent, "publish sink stopped after a failed message");
        if events
            .send(Event::Failed {
                seq,
                channel,
                error,
                in_doubt,
            })
            .is_err()
        {
            tracing::warn!(
                "the publish sink was dropped: the failed message and {unsent} queued message(s) are lost"
            );
        }
    }
}

/// The deliveries in flight.
///
/// A multi-channel sink keeps them in a `FuturesUnordered`. A one-channel
/// sink has at most one, in a plain boxed future: `FuturesUnordered` wakes
/// its own task whenever one call has polled every future it holds, which
/// with a single future is every poll in which the delivery stays pending;
/// on tokio's multi-thread runtime each such yield also woke an idle worker
/// thread, and measured on two workers that made the ordered sink three
/// times slower than a loop of `publish().await`.
enum InFlight<F> {
    One(Option<Pin<Box<F>>>),
    Many(FuturesUnordered<Pin<Box<F>>>),
}

impl<F: Future> InFlight<F> {
    fn new(one_channel: bool) -> Self {
        if one_channel {
            InFlight::One(None)
        } else {
            InFlight::Many(FuturesUnordered::new())
        }
    }

    fn len(&self) -> usize {
        match self {
            InFlight::One(slot) => usize::from(slot.is_some()),
            InFlight::Many(set) => set.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `future`; it is polled on the next [`poll_next`](Self::poll_next).
    fn push(&mut self, future: F) {
        let future = Box::pin(future);
        match self {
            InFlight::One(slot @ None) => *slot = Some(future),
            InFlight::One(Some(_)) => {
                // Not reached (one channel, one delivery at a time); stay correct anyway.
                let held = std::mem::replace(self, InFlight::Many(FuturesUnordered::new()));
                if let (InFlight::One(Some(held)), InFlight::Many(set)) = (held, &mut *self) {
                    set.push(held);
                    set.push(future);
                }
            }
            InFlight::Many(set) => set.push(future),
        }
    }

    /// The output of a delivery that finished, `Pending` while none has,
    /// `Ready(None)` when none is in flight.
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        match self {
            InFlight::One(None) => Poll::Ready(None),
            InFlight::One(Some(future)) => {
                let output = std::task::ready!(future.as_mut().poll(cx));
                *self = InFlight::One(None);
                Poll::Ready(Some(output))
            }
            InFlight::Many(set) => set.poll_next_unpin(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::task::Waker;

    use tokio::sync::oneshot;

    use super::super::testing::CountWakes;
    use super::*;

    #[test]
    fn a_lone_pending_delivery_does_not_wake_the_worker() {
        let count = Arc::new(CountWakes::default());
        let waker = Waker::from(Arc::clone(&count));
        let mut cx = Context::from_waker(&waker);
        let mut set = InFlight::new(true);
        set.push(std::future::pending::<()>());
        for _ in 0..3 {
            assert!(set.poll_next(&mut cx).is_pending());
        }
        assert_eq!(count.count(), 0);
        assert_eq!(set.len(), 1);
    }

    #[tokio::test]
    async fn yields_outputs_in_completion_order_either_way() {
        for one_channel in [true, false] {
            let mut set = InFlight::new(one_channel);
            let (tx_a, rx_a) = oneshot::channel::<u32>();
            let (tx_b, rx_b) = oneshot::channel::<u32>();
            set.push(rx_a);
            set.push(rx_b); // a second one turns a one-slot set into a FuturesUnordered
            assert_eq!(set.len(), 2);
            tx_b.send(2).ok();
            let next = std::future::poll_fn(|cx| set.poll_next(cx)).await;
            assert_eq!(next, Some(Ok(2)));
            tx_a.send(1).ok();
            let next = std::future::poll_fn(|cx| set.poll_next(cx)).await;
            assert_eq!(next, Some(Ok(1)));
            assert!(set.is_empty());
            assert_eq!(std::future::poll_fn(|cx| set.poll_next(cx)).await, None);
        }
    }
}
