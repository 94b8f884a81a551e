//! Acknowledgments: which accepted message was published, where, and when.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::stream::{FusedStream, Stream};
use tokio::sync::mpsc;

use crate::protocol::timetoken::Timetoken;
use crate::sync::lock;

/// The server acknowledged one message accepted by a publish sink.
///
/// `seq` is the message's index among the items the sink accepted (0 for the
/// first; items rejected by `start_send` take no index), so an ack can be
/// matched to the item that produced it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("u").origin(server.origin()).secure(false).build()?;
/// use futures::{SinkExt, StreamExt};
///
/// let mut sink = pubnub.publisher("chat").sink::<&str>();
/// let mut acks = sink.acks();
/// sink.send("hello").await?;
/// let ack = acks.next().await.expect("one ack");
/// assert_eq!((ack.channel(), ack.seq()), ("chat", 0));
/// assert!(!ack.timetoken().is_zero());
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// fn log(ack: &pubnub_stream::Ack) -> String {
    ///     format!("published to {}", ack.channel())
    /// }
    /// ```
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The publish timetoken the server assigned.
    ///
    /// ```
    /// fn when(ack: &pubnub_stream::Ack) -> u64 {
    ///     ack.timetoken().unix_seconds()
    /// }
    /// ```
    pub fn timetoken(&self) -> Timetoken {
        self.timetoken
    }

    /// The index of the message among the items the sink accepted, from 0.
    ///
    /// ```
    /// fn item_for<'a, T>(ack: &pubnub_stream::Ack, sent: &'a [T]) -> Option<&'a T> {
    ///     sent.get(usize::try_from(ack.seq()).ok()?)
    /// }
    /// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("u").origin(server.origin()).secure(false).build()?;
/// use futures::{SinkExt, StreamExt};
///
/// let mut sink = pubnub.publisher("chat").sink::<u32>();
/// let acks = sink.acks();
/// sink.send_all(&mut futures::stream::iter([1, 2, 3]).map(Ok)).await?;
/// sink.close().await?; // the worker ends, and with it the stream
/// let seqs: Vec<u64> = acks.map(|ack| ack.seq()).collect().await;
/// assert_eq!(seqs, [0, 1, 2]);
/// # Ok(()) }
/// ```
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
        let mut inner = lock(&self.inner);
        if !inner.closed {
            inner.senders.push(tx);
        }
        Acks { rx, done: false }
    }

    /// Hands `ack` to every live stream, forgetting dropped ones.
    pub(crate) fn send(&self, ack: &Ack) {
        lock(&self.inner)
            .senders
            .retain(|tx| tx.send(ack.clone()).is_ok());
    }

    /// Ends every stream, present and future (the worker has finished).
    pub(crate) fn close(&self) {
        let mut inner = lock(&self.inner);
        inner.closed = true;
        inner.senders.clear();
    }
}
