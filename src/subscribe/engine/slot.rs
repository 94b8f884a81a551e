//! The bounded buffer between the engine and one receiver, with the
//! overflow policy: drop for that receiver only, count, and report
//! [`Status::Lagged`] at the gap.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::sync::watch;

use super::dedupe::Dedupe;
use super::interest::Interest;
use crate::subscribe::{Event, Status};

/// Where a receiver stands with respect to the connection.
#[derive(Debug, Clone)]
pub(crate) enum Connection {
    /// Not connected yet, or reconnecting.
    Pending,
    /// An attempt failed (with this outage status); the engine is retrying.
    Retrying(Status),
    /// Connected with this receiver's names in the request.
    Connected,
    /// The loop stopped (terminal error, gave up, disconnected) before connecting.
    Failed(Status),
}

/// The engine's side of one receiver.
#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) interest: Interest,
    /// Boxed: tokio's channel allocates its first block of 32 slots up
    /// front, which for an unboxed `Event` made most of the ~6 KB that
    /// every `Subscription` cost while idle.
    tx: mpsc::Sender<Box<Event>>,
    missed: Arc<AtomicU64>,
    dedupe: Option<Dedupe>,
    pub(crate) connection: watch::Sender<Connection>,
    /// Whether connection statuses (Connected, NetworkIssues, …) reach this
    /// receiver: always for listeners and the status stream, on request for
    /// subscriptions. Statuses about its own data (Lagged, PossibleGap, its
    /// end) always do.
    pub(crate) statuses: bool,
    /// Fill possible gaps of this receiver's channels from history
    /// (`SubscribeBuilder::gap_free`).
    pub(crate) gap_free: bool,
}

/// The consumer's side of one receiver.
#[derive(Debug)]
pub(crate) struct SlotReceiver {
    rx: mpsc::Receiver<Box<Event>>,
    missed: Arc<AtomicU64>,
    pub(crate) connection: watch::Receiver<Connection>,
    done: bool,
}

/// A slot and its receiver, with a buffer of `capacity` events (at least 1).
pub(crate) fn slot(
    interest: Interest,
    capacity: usize,
    dedupe: Option<usize>,
) -> (Slot, SlotReceiver) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let missed = Arc::new(AtomicU64::new(0));
    let (connection, connection_rx) = watch::channel(Connection::Pending);
    (
        Slot {
            interest,
            tx,
            missed: missed.clone(),
            dedupe: dedupe.map(Dedupe::new),
            connection,
            statuses: true,
            gap_free: false,
        },
        SlotReceiver {
            rx,
            missed,
            connection: connection_rx,
            done: false,
        },
    )
}

/// Whether the receiver is still there after a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    Alive,
    Closed,
}

impl Slot {
    /// Offers `event` without waiting: a full buffer drops it and counts it;
    /// the count is delivered as `Lagged` before the next event that fits.
    pub(crate) fn deliver(&mut self, event: Event) -> Delivery {
        if let Some(dedupe) = &mut self.dedupe {
            if dedupe.is_repeat(&event) {
                return Delivery::Alive;
            }
        }
        let pending = self.missed.swap(0, Ordering::AcqRel);
        if pending > 0 {
            match self
                .tx
                .try_send(Box::new(Event::Status(Status::Lagged { missed: pending })))
            {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => {
                    self.missed.fetch_add(pending + 1, Ordering::AcqRel);
                    return Delivery::Alive;
                }
                Err(TrySendError::Closed(_)) => return Delivery::Closed,
            }
        }
        match self.tx.try_send(Box::new(event)) {
            Ok(()) => Delivery::Alive,
            Err(TrySendError::Full(_)) => {
                self.missed.fetch_add(1, Ordering::AcqRel);
                Delivery::Alive
            }
            Err(TrySendError::Closed(_)) => Delivery::Closed,
        }
    }

    /// Updates the connection state seen by `connected()`.
    pub(crate) fn set_connection(&self, state: Connection) {
        self.connection.send_replace(state);
    }
}

impl SlotReceiver {
    /// The next event; a pending `Lagged` count is reported once the buffer
    /// has been drained, so it sits where the gap is.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        if self.done {
            return Poll::Ready(None);
        }
        let polled = self.rx.poll_recv(cx);
        if let Poll::Ready(Some(event)) = polled {
            return Poll::Ready(Some(*event));
        }
        let missed = self.missed.swap(0, Ordering::AcqRel);
        if missed > 0 {
            return Poll::Ready(Some(Event::Status(Status::Lagged { missed })));
        }
        if polled.is_ready() {
            self.done = true;
            return Poll::Ready(None);
        }
        Poll::Pending
    }

    /// Whether the stream has ended.
    pub(crate) fn is_terminated(&self) -> bool {
        self.done
    }

    /// A receiver that yields `status` and ends (used when there is no runtime).
    pub(crate) fn failed(status: Status) -> Self {
        let (mut slot, receiver) = slot(Interest::Statuses, 1, None);
        slot.deliver(Event::Status(status.clone()));
        slot.set_connection(Connection::Failed(status));
        receiver
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;
    use futures::task::noop_waker_ref;

    fn next(rx: &mut SlotReceiver) -> Poll<Option<Event>> {
        rx.poll_next(&mut Context::from_waker(noop_waker_ref()))
    }

    fn msg(n: u64) -> Event {
        Event::Message(Message::new("c", n.into()))
    }

    fn payload(p: Poll<Option<Event>>) -> String {
        match p {
            Poll::Ready(Some(Event::Message(m))) => m.payload.to_string(),
            Poll::Ready(Some(Event::Status(Status::Lagged { missed }))) => {
                format!("lagged {missed}")
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn overflow_is_counted_and_reported_at_the_gap() {
        let (mut slot, mut rx) = slot(Interest::Everything, 2, None);
        for n in 1..=5 {
            assert_eq!(slot.deliver(msg(n)), Delivery::Alive);
        }
        assert_eq!(payload(next(&mut rx)), "1");
        // room for one: the engine writes the lag marker, then drops 6 again
        slot.deliver(msg(6));
        assert_eq!(payload(next(&mut rx)), "2");
        assert_eq!(payload(next(&mut rx)), "lagged 3");
        assert_eq!(payload(next(&mut rx)), "lagged 1");
        slot.deliver(msg(7));
        assert_eq!(payload(next(&mut rx)), "7");
        assert!(next(&mut rx).is_pending());
    }

    #[test]
    fn end_of_stream_reports_what_was_missed_first() {
        let (mut slot, mut rx) = slot(Interest::Everything, 1, None);
        slot.deliver(msg(1));
        slot.deliver(msg(2));
        drop(slot);
        assert_eq!(payload(next(&mut rx)), "1");
        assert_eq!(payload(next(&mut rx)), "lagged 1");
        assert!(matches!(next(&mut rx), Poll::Ready(None)));
        assert!(rx.is_terminated());
        assert!(matches!(next(&mut rx), Poll::Ready(None)));
    }

    #[test]
    fn a_dropped_receiver_closes_the_slot() {
        let (mut slot, rx) = slot(Interest::Everything, 1, Some(8));
        drop(rx);
        assert_eq!(slot.deliver(msg(1)), Delivery::Closed);
    }
}
