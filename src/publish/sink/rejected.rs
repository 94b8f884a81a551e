//! Items a publish sink could not publish at all (not serializable, too
//! large), handed back beside the sink so that `forward` goes on.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{FusedStream, Stream};
use tokio::sync::mpsc;

/// An item `start_send` could not publish, and why; from
/// [`PublishSink::rejected`](super::PublishSink::rejected).
///
/// ```
/// fn report(rejection: pubnub_stream::publish::sink::Rejection<String>) -> String {
///     let (item, error) = rejection.into_parts();
///     format!("{} bytes not published: {error}", item.len())
/// }
/// ```
#[non_exhaustive]
pub struct Rejection<T, E = crate::error::RequestError> {
    /// The item, unchanged.
    pub item: T,
    /// Why it cannot be published (`Serialization`, `MessageTooLarge`, …).
    pub error: E,
}

impl<T, E> Rejection<T, E> {
    /// The item and the error.
    ///
    /// ```
    /// fn item<T>(rejection: pubnub_stream::publish::sink::Rejection<T>) -> T {
    ///     rejection.into_parts().0
    /// }
    /// ```
    pub fn into_parts(self) -> (T, E) {
        (self.item, self.error)
    }
}

/// Shows the error, never the item (it may hold secrets).
impl<T, E: fmt::Debug> fmt::Debug for Rejection<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rejection")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<T, E: fmt::Display> fmt::Display for Rejection<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "item not published: {}", self.error)
    }
}

/// The stream of a sink's [`Rejection`]s, in the order the items were
/// given; it ends when the sink is dropped (or consumed by `forward` and
/// dropped at its end) and every rejection was read.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("u").origin(server.origin()).secure(false).build()?;
/// use futures::StreamExt;
///
/// let mut sink = pubnub.publisher("chat").sink::<String>();
/// let rejected = sink.rejected();
/// let lines = ["hi".to_string(), "x".repeat(40_000), "bye".to_string()];
/// futures::stream::iter(lines).map(Ok).forward(sink).await?; // goes on past the big one
/// let rejected: Vec<_> = rejected.collect().await;
/// assert_eq!(rejected.len(), 1);
/// assert_eq!(rejected[0].item.len(), 40_000);
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Rejections<T, E = crate::error::RequestError> {
    receiver: Option<mpsc::UnboundedReceiver<Rejection<T, E>>>,
}

impl<T, E> Rejections<T, E> {
    pub(crate) fn new(receiver: Option<mpsc::UnboundedReceiver<Rejection<T, E>>>) -> Self {
        Rejections { receiver }
    }
}

impl<T, E> fmt::Debug for Rejections<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rejections")
            .field("waiting", &self.receiver.as_ref().map_or(0, |r| r.len()))
            .finish()
    }
}

impl<T, E> Stream for Rejections<T, E> {
    type Item = Rejection<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let Some(receiver) = this.receiver.as_mut() else {
            return Poll::Ready(None);
        };
        let next = receiver.poll_recv(cx);
        if let Poll::Ready(None) = next {
            this.receiver = None;
        }
        next
    }
}

impl<T, E> FusedStream for Rejections<T, E> {
    fn is_terminated(&self) -> bool {
        self.receiver.is_none()
    }
}

// The receiver is not structurally pinned.
impl<T, E> Unpin for Rejections<T, E> {}
