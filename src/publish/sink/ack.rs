//! Acknowledgments: which accepted message was published, where, and when.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::stream::{FusedStream, Stream};
use tokio::sync::mpsc;

use crate::Timetoken;

/// The server acknowledged one message accepted by a publish sink.
///
/// `seq` is the message's index among the items the sink accepted (0 for the
/// first; items rejected by `start_send` take no index), so an ack can be
/// matched to the item that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ack {
    channel: Arc<str>,
    timetoken: Timetoken,
    seq: u64,
}

impl Ack {
    pub(crate) fn new(channel: Arc<str>, timetoken: Timetoken, seq: u64) -> Self {
        Ack {
            channel,
            timetoken,
            seq,
        }
    }

    /// The channel the message was published to.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The publish timetoken the server assigned.
    pub fn timetoken(&self) -> Timetoken {
        self.timetoken
    }

    /// The index of the message among the items the sink accepted, from 0.
    pub fn seq(&self) -> u64 {
        self.seq
    }
}

/// A [`Stream`] of [`Ack`]s, from a publish sink's `acks()`.
///
/// Per channel, acks arrive in the order the messages were accepted. The
/// stream ends when the sink's background worker has finished (after the sink
/// was closed or dropped and everything accepted was sent, or after a final
/// failure). Acks are buffered without bound until read: keep reading the
/// stream, or drop it.
#[must_use = "streams do nothing unless polled"]
#[derive(Debug)]
pub struct Acks {
    rx: mpsc::UnboundedReceiver<Ack>,
    done: bool,
}

impl Stream for Acks {
    type Item = Ack;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Ack>> {
        if self.done {
            return Poll::Ready(None);
        }
        let next = self.rx.poll_recv(cx);
        if let Poll::Ready(None) = next {
            self.done = true;
        }
        next
    }
}

impl FusedStream for Acks {
    fn is_terminated(&self) -> bool {
        self.done
    }
}

/// Where the worker delivers acks: every live [`Acks`] stream gets each ack.
#[derive(Debug, Clone, Default)]
pub(crate) struct AckSlot {
    inner: Arc<Mutex<Subscribers>>,
}

#[derive(Debug, Default)]
struct Subscribers {
    senders: Vec<mpsc::UnboundedSender<Ack>>,
    closed: bool,
}

impl AckSlot {
    /// A new stream that sees every ack from now on (an ended stream once the
    /// worker has finished).
    pub(crate) fn subscribe(&self) -> Acks {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut inner = self.lock();
        if !inner.closed {
            inner.senders.push(tx);
        }
        Acks { rx, done: false }
    }

    /// Hands `ack` to every live stream, forgetting dropped ones.
    pub(crate) fn send(&self, ack: &Ack) {
        self.lock()
            .senders
            .retain(|tx| tx.send(ack.clone()).is_ok());
    }

    /// Ends every stream, present and future (the worker has finished).
    pub(crate) fn close(&self) {
        let mut inner = self.lock();
        inner.closed = true;
        inner.senders.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Subscribers> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
