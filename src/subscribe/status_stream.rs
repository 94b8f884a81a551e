//! [`StatusStream`]: the client-wide stream of connection statuses.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{FusedStream, Stream};

use super::registration::Registration;
use super::{Event, Status};

/// Every [`Status`] of the client's subscribe loop, whatever the
/// subscriptions; from [`PubNub::status_stream`](crate::PubNub::status_stream).
///
/// Buffered like a subscription (1024 statuses); overflow is reported as
/// [`Status::Lagged`].
///
/// ```no_run
/// use futures::StreamExt;
/// # async fn run(pubnub: pubnub_stream::PubNub) {
/// let mut statuses = pubnub.status_stream();
/// let _sub = pubnub.subscribe().channels("chat").execute();
/// while let Some(status) = statuses.next().await {
///     println!("subscribe status: {}", status.category());
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct StatusStream {
    registration: Registration,
}

impl StatusStream {
    pub(crate) fn new(registration: Registration) -> Self {
        StatusStream { registration }
    }

    /// The same statuses as [`Event::Status`] items, to merge with
    /// subscriptions: `select(sub, pubnub.status_stream().events())` is a
    /// `Stream<Item = Event>` with every connection status once, however many
    /// subscriptions are merged (subscriptions carry only their own data
    /// statuses unless made [`with_statuses`](crate::subscribe::SubscribeBuilder::with_statuses)).
    ///
    /// ```no_run
    /// # async fn f(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::ConnectError> {
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::Event;
    /// let chat = pubnub.subscribe().channels("chat").await?;
    /// let news = pubnub.subscribe().channels("news").await?;
    /// let mut all = stream::select(stream::select(chat, news), pubnub.status_stream().events());
    /// while let Some(event) = all.next().await {
    ///     if let Event::Status(status) = event {
    ///         println!("connection: {}", status.category());
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn events(self) -> futures::stream::Map<StatusStream, fn(Status) -> Event> {
        futures::StreamExt::map(self, Event::Status as fn(Status) -> Event)
    }
}

impl Stream for StatusStream {
    type Item = Status;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Status>> {
        let this = self.get_mut();
        loop {
            match this.registration.poll_next(cx) {
                Poll::Ready(Some(Event::Status(status))) => return Poll::Ready(Some(status)),
                Poll::Ready(Some(_)) => continue,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl FusedStream for StatusStream {
    fn is_terminated(&self) -> bool {
        self.registration.is_terminated()
    }
}
