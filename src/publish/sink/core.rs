//! The sink side of the machinery, generic over the item and the sending
//! step: backpressure accounting, the accepted-but-unacknowledged items, and
//! turning worker events into results.
//!
//! The sink and its worker talk over two unbounded `tokio::sync::mpsc`
//! channels: jobs go down, events (acks, the final failure) come back.
//! Neither needs a bound: the sink accepts at most `max_pending` items that
//! are not acknowledged, so at most that many jobs and events are queued.
//!
//! The sink reads the events without leaving a waker there (`try_recv`):
//! an unbounded channel wakes its receiver on every message, which for a
//! caller waiting in `poll_ready` is one wake-up per ack. It waits on the
//! room instead, a `tokio::sync::Semaphore` (through
//! `tokio_util::sync::PollSemaphore`) to which the worker adds one permit
//! per ack, after the ack's event. The sink counts its room itself
//! (`credit`, `max_pending` at the start, one less per accepted item) and,
//! when it is out of room, acquires three quarters of `max_pending` permits
//! at once (`poll_ready`: a `forward` refills in bursts), or every
//! outstanding one (`poll_flush`): one wake-up per burst, not per ack. The
//! worker closes the semaphore when it ends, which wakes a waiting sink to
//! read the final failure or the end of the event channel.
//!
//! Measured on the 10 000-message `tests/crate_pipeline.rs` test, waking
//! on every ack (the event channel's waker) cost about twice the futex calls
//! and three times the context switches of the hand-made low-water queue
//! this replaced; `docs/benchmarks.md` has the numbers of both and of this
//! semaphore.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tokio::sync::mpsc::{self, error::TryRecvError};
use tokio::sync::Semaphore;
use tokio_util::sync::PollSemaphore;

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
    /// One permit per acknowledged message, added by the worker; closed
    /// when the worker ends.
    room: PollSemaphore,
    /// Items that may still be accepted: `max_pending` minus the accepted
    /// items whose permit has not been taken back from `room`.
    credit: usize,
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
        let room = Arc::new(Semaphore::new(0));
        let io = WorkerIo {
            jobs: jobs_rx,
            events: events_tx,
            acks: acks.clone(),
            room: Arc::clone(&room),
        };
        let max_pending = max_pending.max(1);
        let mut core = SinkCore {
            jobs: Some(jobs_tx),
            events: events_rx,
            unspawned: Some(Mutex::new(Box::pin(worker::run(sender, config, io)))),
            worker_alive: true,
            room: PollSemaphore::new(room),
            credit: max_pending,
            pending: BTreeMap::new(),
            next_seq: 0,
            max_pending,
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

    /// Applies every event that has arrived, without registering for the
    /// next one (the task waits on the room instead: [`poll_acks`](Self::poll_acks)).
    fn drain(&mut self) {
        if !self.try_spawn() {
            self.fail_worker_gone();
            return;
        }
        while self.worker_alive && matches!(self.state, State::Open) {
            match self.events.try_recv() {
                Ok(event) => self.apply(event),
                Err(TryRecvError::Disconnected) => self.worker_gone(),
                Err(TryRecvError::Empty) => return,
            }
        }
    }

    /// The event channel ended.
    fn worker_gone(&mut self) {
        self.worker_alive = false;
        if !self.pending.is_empty() {
            self.fail_worker_gone();
        }
    }

    /// Waits until `n` more messages are acknowledged (their permits are
    /// taken back as credit), or until the worker has ended: then the event
    /// channel wakes the task for its last events and its end.
    fn poll_acks(&mut self, cx: &mut Context<'_>, n: usize) -> Poll<()> {
        let n = u32::try_from(n).unwrap_or(u32::MAX).max(1);
        match self.room.poll_acquire_many(cx, n) {
            Poll::Ready(Some(permits)) => {
                permits.forget();
                self.credit = self.credit.saturating_add(n as usize);
                Poll::Ready(())
            }
            Poll::Ready(None) => match self.events.poll_recv(cx) {
                Poll::Ready(Some(event)) => {
                    self.apply(event);
                    Poll::Ready(())
                }
                Poll::Ready(None) => {
                    self.worker_gone();
                    Poll::Ready(())
                }
                Poll::Pending => Poll::Pending,
            },
            Poll::Pending => Poll::Pending,
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
        loop {
            self.drain();
            if let Some(error) = self.take_error() {
                return Poll::Ready(Err(error));
            }
            if !self.worker_alive {
                self.fail_worker_gone();
                return Poll::Ready(self.take_error().map_or(Ok(()), Err));
            }
            if self.credit > 0 {
                return Poll::Ready(Ok(()));
            }
            // Full: wait until three quarters of the room are free, so that
            // a `forward` refills in bursts instead of one wake-up per ack.
            let burst = self.max_pending - self.max_pending / 4;
            std::task::ready!(self.poll_acks(cx, burst));
        }
    }

    /// Accepts `item`: `prepare` serializes it and names its channel. Call
    /// only after `poll_ready` returned `Ready(Ok)`.
    pub(crate) fn start_send_with(
        &mut self,
        item: I,
        prepare: impl FnOnce(&I) -> Result<(Arc<str>, X::Msg), X::Error>,
    ) -> SinkResult<I, X::Error> {
        let open = matches!(self.state, State::Open) && self.jobs.is_some();
        if !open || self.credit == 0 {
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
        self.credit -= 1;
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
        loop {
            self.drain();
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
            // Acks are due: wait for all of them at once. Each pending item
            // holds a unit of credit until its permit is back, so this is at
            // least one.
            let outstanding = self.max_pending.saturating_sub(self.credit);
            std::task::ready!(self.poll_acks(cx, outstanding));
        }
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
