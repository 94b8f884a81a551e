//! [`Subscription`]: the stream of events of one `subscribe()` call.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{FusedStream, Stream};

use tokio::sync::watch;

use super::engine::slot::Connection;
use super::registration::Registration;
use super::{Event, Status};

/// A live subscription: a [`Stream`] of [`Event`]s for the channels and
/// groups it was created with. Made by
/// [`PubNub::subscribe`](crate::PubNub::subscribe)`()...execute()`.
///
/// All subscriptions of a client share one long-poll: creating or dropping
/// one changes the request's channel mix without losing or repeating
/// messages. Every subscription also receives every [`Status`] of the
/// connection (`Connected`, `Reconnected`, `NetworkIssues`, …).
///
/// # Slow consumers
///
/// Each subscription has its own bounded buffer (default 1024 events, see
/// [`buffer_size`](crate::subscribe::SubscribeBuilder::buffer_size)). When a
/// subscription is not read fast enough and its buffer is full, new events
/// **for that subscription only** are dropped and counted; the other
/// subscriptions are not slowed down and memory does not grow. The count is
/// delivered as [`Status::Lagged { missed }`](Status::Lagged) at the place of
/// the gap: after the events that were buffered before it, before the first
/// event that arrived after it (or when the buffer has been drained). Loss is
/// never silent. Use history to fill the gap if you need every message.
///
/// # End of the stream
///
/// The stream ends when all of its channels and groups have been removed by
/// [`unsubscribe`](crate::PubNub::unsubscribe) or
/// [`unsubscribe_all`](crate::PubNub::unsubscribe_all) (after the
/// `Acknowledgment` status), or when the client's engine shuts down. A
/// failure of the connection does not end it; it reports a status and the
/// client reconnects according to its policy.
///
/// Dropping a subscription removes its channels from the client's request
/// (sending a leave for channels nobody else subscribes to); `Drop` does only
/// synchronous work and is safe outside a runtime.
///
/// ```no_run
/// use futures::StreamExt;
/// use pubnub_stream::{Event, PubNub};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let pubnub = PubNub::builder().subscribe_key("demo").user_id("alice").build()?;
/// let mut sub = pubnub.subscribe().channels(["chat", "news"]).execute();
/// sub.connected().await?;
/// while let Some(event) = sub.next().await {
///     if let Event::Message(m) = event {
///         println!("{}: {}", m.channel, m.payload);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a subscription does nothing unless polled, and unsubscribes when dropped"]
pub struct Subscription {
    registration: Registration,
}

impl Subscription {
    pub(crate) fn new(registration: Registration) -> Self {
        Subscription { registration }
    }

    /// Waits until the client's subscribe loop is connected with this
    /// subscription's channels in its request: messages published after this
    /// returns are delivered. Fails with the status that stopped the loop
    /// (e.g. `AccessDenied`, or `Disconnected` after exhausted retries).
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("chat").execute();
    /// if let Err(e) = sub.connected().await {
    ///     eprintln!("could not subscribe: {e}");
    /// }
    /// # }
    /// ```
    pub async fn connected(&self) -> Result<(), ConnectError> {
        self.registration
            .connected()
            .await
            .map_err(|status| ConnectError { status })
    }
}

impl Subscription {
    /// A handle that tells why this subscription ended, to keep before the
    /// subscription is consumed by combinators (`messages()`, `typed()`, …).
    ///
    /// A subscription ends when the client stops for good (a terminal 400 or
    /// 403, the reconnection policy gave up), when its names are
    /// unsubscribed (or `unsubscribe_all()`), or when it was invalid; every
    /// stream built on it then ends after yielding what it already holds.
    /// `disconnect()` is a pause, not an end. After the client stopped for
    /// good, `reconnect()` restarts it from the last cursor: the ended
    /// streams stay ended and the program subscribes again (nothing published
    /// in between is skipped, within the server's 100-message window).
    ///
    /// ```no_run
    /// # async fn f(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::ConnectError> {
    /// use futures::StreamExt;
    /// use pubnub_stream::EventStreamExt;
    /// let sub = pubnub.subscribe().channels("chat").await?;
    /// let ended = sub.termination();
    /// let mut texts = sub.messages().on_channel("chat").typed::<String>();
    /// while let Some(text) = texts.next().await {
    ///     println!("{text:?}");
    /// }
    /// if let Some(status) = ended.reason() {
    ///     eprintln!("subscription ended: {} {:?}", status.category(), status.error());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn termination(&self) -> Termination {
        Termination {
            connection: self.registration.connection(),
        }
    }
}

/// Why a [`Subscription`] ended; from [`Subscription::termination`]. Cheap
/// to clone, and it outlives the subscription.
///
/// ```no_run
/// # fn f(sub: &pubnub_stream::Subscription) {
/// let ended = sub.termination();
/// assert!(ended.reason().is_none()); // still running (or ended by unsubscribe)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Termination {
    connection: watch::Receiver<Connection>,
}

impl Termination {
    /// The status that ended the subscription (`AccessDenied`, `BadRequest`,
    /// `Disconnected` with the last error when the reconnection policy gave
    /// up, …); `None` while it runs, or when it ended because its names were
    /// unsubscribed.
    ///
    /// ```no_run
    /// # fn f(sub: pubnub_stream::Subscription) {
    /// let ended = sub.termination();
    /// drop(sub);
    /// println!("{:?}", ended.reason());
    /// # }
    /// ```
    pub fn reason(&self) -> Option<Status> {
        Registration::failure(&self.connection)
    }
}

impl Stream for Subscription {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.get_mut().registration.poll_next(cx)
    }
}

impl FusedStream for Subscription {
    fn is_terminated(&self) -> bool {
        self.registration.is_terminated()
    }
}

/// The subscribe loop stopped before this subscription was connected.
///
/// ```
/// use pubnub_stream::{subscribe::ConnectError, Status};
/// # fn show(e: ConnectError) {
/// match e.status() {
///     Status::AccessDenied { error } => eprintln!("denied: {error}"),
///     other => eprintln!("stopped: {}", other.category()),
/// }
/// # }
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[error("the subscription did not connect ({}){}", .status.category(), why(.status))]
pub struct ConnectError {
    status: Status,
}

/// The cause after the category: the request error, or for a client paused
/// by `disconnect()` (the one `Disconnected` without an error) what resumes it.
fn why(status: &Status) -> String {
    match (status, status.error()) {
        (_, Some(error)) => format!(": {error}"),
        (Status::Disconnected { error: None }, None) => {
            ": the client is disconnected (disconnect() was called); reconnect() resumes it".into()
        }
        _ => String::new(),
    }
}

impl ConnectError {
    pub(crate) fn new(status: Status) -> Self {
        ConnectError { status }
    }

    pub(crate) async fn first_attempt(subscription: &Subscription) -> Result<(), ConnectError> {
        subscription
            .registration
            .first_attempt()
            .await
            .map_err(ConnectError::new)
    }

    /// The status that stopped the subscribe loop.
    ///
    /// ```
    /// # fn f(e: pubnub_stream::subscribe::ConnectError) {
    /// println!("{}", e.status().category());
    /// # }
    /// ```
    pub fn status(&self) -> &Status {
        &self.status
    }
}
