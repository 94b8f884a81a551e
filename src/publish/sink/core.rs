//! The sink side of the machinery, generic over the item and the sending
//! step: backpressure accounting, the accepted-but-unacknowledged items, and
//! turning worker events into results.
//!
//! The sink and its worker talk over two unbounded `tokio::sync::mpsc`
//! channels: jobs go down, events (acks, the final failure) come back.
//! Neither needs a bound: the sink accepts at most `max_pending` items that
//! are not acknowledged, so at most that many jobs and events are queued.
//! `poll_ready` and `poll_flush` drain the events and, while they must
//! wait, leave their waker with the event channel, which wakes them on the
//! next event. That is one wake-up of the caller's task per ack while it
//! waits; an earlier hand-made queue woke it only at a low-water mark of a
//! quarter of `max_pending`. Measured in one session on the 10 000-message
//! `tests/crate_pipeline.rs` test (`strace -f -c -e trace=futex`): 17 000–18 800
//! futex calls with the hand-made queues, 34 400–35 200 with these
//! channels; context switches 8 200 → 23 000 at the same CPU time
//! (11.6 s → 11.5 s, `perf stat`). The end-to-end ratio of the ordered sink
//! looked lower (median 0.83 → 0.58) on a machine too loaded to tell it
//! from noise; the table is in `docs/benchmarks.md`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tokio::sync::mpsc;

use super::ack::{AckSlot, Acks};
use super::channel_queue::Job;
use super::error::PublishSinkError;
use super::rejected::{Rejection, Rejections};
use super::send::PublishSend;
use super::worker::{self, Event, WorkerConfig, WorkerIo};

type SinkResult<I, E> = Result<(), PublishSinkError<I, E>>;

enum State<I, E> {
    Open,
    /// A terminal error waiting to be returned.
    Errored(PublishSinkError<I, E>),
    /// Closed, or the terminal error was returned.
    Done,
}

/// Holds every accepted item until its ack arrives, so that on failure the
/// items can be handed back in accepted order.
pub(crate) struct SinkCore<I, X: PublishSend> {
    jobs: Option<mpsc::UnboundedSender<Job<X::Msg>>>,
    events: mpsc::UnboundedReceiver<Event<X::Error>>,
    /// The worker, until it is spawned (no runtime at construction). In a
    /// mutex only so that the sink is `Sync`.
    unspawned: Option<Mutex<BoxFuture<'static, ()>>>,
    worker_alive: bool,
    /// Accepted items by index, with their channel.
    pending: BTreeMap<u64, (Arc<str>, I)>,
    next_seq: u64,
    max_pending: usize,
    state: State<I, X::Error>,
    acks: AckSlot,
    /// `start_send` returns `Rejected` instead of handing the item to `rejections`.
    stop_on_reject: bool,
    rejections: mpsc::UnboundedSender<Rejection<I, X::Error>>,
    /// The other end, until [`rejected`](Self::rejected) takes it.
    rejections_unread: Option<mpsc::UnboundedReceiver<Rejection<I, X::Error>>>,
}

impl<I, X: PublishSend> SinkCore<I, X> {
    /// Creates the sink and spawns its worker on the current tokio runtime
    /// (or on the runtime of the first poll, when created outside one).
    ///
    /// With `stop_on_reject`, an item that cannot be published is returned
    /// by `start_send` in `Rejected`; else it goes to [`rejected`](Self::rejected).
    pub(crate) fn new(
        sender: Arc<X>,
        config: WorkerConfig,
        max_pending: usize,
        stop_on_reject: bool,
    ) -> Self {
        let (jobs_tx, jobs_rx) = mpsc::unbounded_channel();
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let acks = AckSlot::default();
        let (rejections, rejections_unread) = mpsc::unbounded_channel();
        let io = WorkerIo {
            jobs: jobs_rx,
            events: events_tx,
            acks: acks.clone(),
        };
        let mut core = SinkCore {
            jobs: Some(jobs_tx),
            events: events_rx,
            unspawned: Some(Mutex::new(Box::pin(worker::run(sender, config, io)))),
            worker_alive: true,
            pending: BTreeMap::new(),
            next_seq: 0,
            max_pending: max_pending.max(1),
            state: State::Open,
            acks,
            stop_on_reject,
            rejections,
            rejections_unread: Some(rejections_unread),
        };
        core.try_spawn();
        core
    }

    fn try_spawn(&mut self) -> bool {
        if self.unspawned.is_some() {
            let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                return false;
            };
            if let Some(worker) = self.unspawned.take() {
                runtime.spawn(worker.into_inner().unwrap_or_else(PoisonError::into_inner));
            }
        }
        true
    }

    /// A stream of acks for messages acknowledged from now on.
    pub(crate) fn acks(&self) -> Acks {
        self.acks.subscribe()
    }

    /// The items rejected so far and from now on; the first call takes them,
    /// later calls get a stream that ends at once.
    pub(crate) fn rejected(&mut self) -> Rejections<I, X::Error> {
        Rejections::new(self.rejections_unread.take())
    }

    /// Accepted messages not yet known to be acknowledged.
    pub(crate) fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The backpressure bound.
    pub(crate) fn max_pending(&self) -> usize {
        self.max_pending
    }

    /// Applies every event that has arrived. Unless the sink has come to an
    /// end (a terminal error, or the worker is gone), the task is then
    /// registered to be woken by the next event.
    fn drain(&mut self, cx: &mut Context<'_>) {
        if !self.try_spawn() {
            self.fail_worker_gone();
            return;
        }
        while self.worker_alive && matches!(self.state, State::Open) {
            match self.events.poll_recv(cx) {
                Poll::Ready(Some(event)) => self.apply(event),
                Poll::Ready(None) => {
                    self.worker_alive = false;
                    if !self.pending.is_empty() {
                        self.fail_worker_gone();
                    }
                }
                Poll::Pending => return,
            }
        }
    }

    /// Applies one event from the worker.
    fn apply(&mut self, event: Event<X::Error>) {
        match event {
            Event::Acked { seq } => {
                self.pending.remove(&seq);
            }
            Event::Failed {
                seq,
                channel,
                error,
                in_doubt: attempted,
            } => {
                // The worker sends nothing after a final failure.
                self.worker_alive = false;
                self.jobs = None;
                let Some((_, failed)) = self.pending.remove(&seq) else {
                    self.fail_worker_gone();
                    return;
                };
                let (unacknowledged, in_doubt) =
                    split_pending(std::mem::take(&mut self.pending), |seq, _| {
                        attempted.contains(&seq)
                    });
                self.state = State::Errored(PublishSinkError::Failed {
                    channel: channel.to_string(),
                    error,
                    failed,
                    unacknowledged,
                    in_doubt,
                });
            }
        }
    }

    /// The worker ended without a word (its runtime shut down): the first
    /// pending message of each channel may have been on the wire.
    fn fail_worker_gone(&mut self) {
        if matches!(self.state, State::Open) {
            self.jobs = None;
            let mut heads: Vec<Arc<str>> = Vec::new();
            let (unacknowledged, in_doubt) =
                split_pending(std::mem::take(&mut self.pending), |_, channel| {
                    let head = !heads.contains(channel);
                    if head {
                        heads.push(Arc::clone(channel));
                    }
                    head
                });
            self.state = State::Errored(PublishSinkError::WorkerGone {
                unacknowledged,
                in_doubt,
            });
        }
    }

    /// Returns the terminal error once, `Terminated` afterwards; `None` while open.
    fn take_error(&mut self) -> Option<PublishSinkError<I, X::Error>> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Open => {
                self.state = State::Open;
                None
            }
            State::Errored(error) => Some(error),
            State::Done => Some(PublishSinkError::Terminated),
        }
    }

    pub(crate) fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<SinkResult<I, X::Error>> {
        self.drain(cx);
        if let Some(error) = self.take_error() {
            return Poll::Ready(Err(error));
        }
        if !self.worker_alive {
            self.fail_worker_gone();
            return Poll::Ready(self.take_error().map_or(Ok(()), Err));
        }
        if self.pending.len() < self.max_pending {
            return Poll::Ready(Ok(()));
        }
        // Full: `drain` left the waker with the event channel.
        Poll::Pending
    }

    /// Accepts `item`: `prepare` serializes it and names its channel. Call
    /// only after `poll_ready` returned `Ready(Ok)`.
    pub(crate) fn start_send_with(
        &mut self,
        item: I,
        prepare: impl FnOnce(&I) -> Result<(Arc<str>, X::Msg), X::Error>,
    ) -> SinkResult<I, X::Error> {
        let open = matches!(self.state, State::Open) && self.jobs.is_some();
        if !open || self.pending.len() >= self.max_pending {
            return Err(PublishSinkError::NotAccepted { item });
        }
        let (channel, msg) = match prepare(&item) {
            Ok(prepared) => prepared,
            Err(error) if self.stop_on_reject => {
                return Err(PublishSinkError::Rejected { item, error })
            }
            Err(error) => {
                self.reject(Rejection { item, error });
                return Ok(());
            }
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.insert(seq, (Arc::clone(&channel), item));
        if let Some(jobs) = &self.jobs {
            // If the worker is gone the item stays pending and is handed
            // back by the next poll.
            let _ = jobs.send(Job {
                seq,
                channel,
                msg: Arc::new(msg),
            });
        }
        Ok(())
    }

    /// Hands `rejection` to the [`rejected`](Self::rejected) stream, with a
    /// warning when nobody has taken that stream (or it was dropped).
    fn reject(&mut self, rejection: Rejection<I, X::Error>) {
        let unread = self.rejections_unread.is_some();
        let sent = self.rejections.send(rejection);
        if unread || sent.is_err() {
            tracing::warn!(
                "a publish sink rejected an item (not serializable or too large); \
                 take PublishSink::rejected() before sending to get such items back"
            );
        }
    }

    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<SinkResult<I, X::Error>> {
        self.drain(cx);
        if self.pending.is_empty() {
            return match self.state {
                State::Errored(_) => Poll::Ready(self.take_error().map_or(Ok(()), Err)),
                State::Open | State::Done => Poll::Ready(Ok(())),
            };
        }
        if !self.worker_alive {
            self.fail_worker_gone();
        }
        if let Some(error) = self.take_error() {
            return Poll::Ready(Err(error));
        }
        // Acks are due: `drain` left the waker with the event channel.
        Poll::Pending
    }

    pub(crate) fn poll_close(&mut self, cx: &mut Context<'_>) -> Poll<SinkResult<I, X::Error>> {
        let flushed = self.poll_flush(cx);
        if let Poll::Ready(Ok(())) = flushed {
            self.jobs = None;
            self.state = State::Done;
        }
        flushed
    }
}

/// The pending items, those `in_doubt` says may have been published first,
/// each part in accepted order; and how many those are. Only the first
/// pending item of a channel can be in doubt, so each channel's items stay
/// in accepted order.
fn split_pending<I>(
    pending: BTreeMap<u64, (Arc<str>, I)>,
    mut in_doubt: impl FnMut(u64, &Arc<str>) -> bool,
) -> (Vec<I>, usize) {
    let mut items = Vec::with_capacity(pending.len());
    let mut unsent = Vec::new();
    for (seq, (channel, item)) in pending {
        if in_doubt(seq, &channel) {
            items.push(item);
        } else {
            unsent.push(item);
        }
    }
    let doubtful = items.len();
    items.extend(unsent);
    (items, doubtful)
}
