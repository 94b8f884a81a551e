//! The publish sink's error: it always hands back the items it did not publish.

use std::fmt;

/// Why a publish sink refused an item or stopped, with every item it did not
/// publish handed back, in the order they were accepted.
///
/// A [`Rejected`](Self::Rejected) or [`NotAccepted`](Self::NotAccepted) error
/// concerns one item and leaves the sink usable. [`Failed`](Self::Failed) and
/// [`WorkerGone`](Self::WorkerGone) are terminal: the sink returns one of them
/// once, from `poll_ready`, `poll_flush` or `poll_close`, and
/// [`Terminated`](Self::Terminated) afterwards. Nothing accepted is lost: each
/// item is either acknowledged or handed back in one of these errors (use
/// [`into_items`](Self::into_items)). An item handed back was not
/// acknowledged; that is not the same as not published: those that were on
/// the wire when the sink stopped are counted in `in_doubt`.
///
/// Delivery is at least once: a retry after a timeout may publish a message
/// the server had already taken. Every attempt of one message carries the
/// same `seqn`, which subscribers see as
/// [`Message::sequence`](crate::Message); with the publisher
/// (`Message::publisher`) it identifies the message, so a subscriber can
/// drop a repeated one (the sequence wraps after 65,535 messages of one
/// client).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo").user_id("u").build()?;
/// use futures::SinkExt;
/// use pubnub_stream::{PublishSinkError, RequestErrorKind};
///
/// let mut sink = pubnub.publisher("chat").stop_on_reject().sink::<String>();
/// let huge = "x".repeat(40_000); // over the 32 KiB limit: refused before any I/O
/// match sink.send(huge).await {
///     Err(PublishSinkError::Rejected { item, error }) => {
///         assert_eq!(item.len(), 40_000); // handed back
///         assert!(matches!(error.kind(), RequestErrorKind::MessageTooLarge { .. }));
///     }
///     other => panic!("{other:?}"),
/// }
/// # Ok(()) }
/// ```
#[non_exhaustive]
pub enum PublishSinkError<T, E = crate::error::RequestError> {
    /// `start_send` could not prepare the item (it does not serialize to JSON,
    /// or it is over the 32 KiB limit), and the sink was made with
    /// [`Publisher::stop_on_reject`](super::Publisher::stop_on_reject)
    /// (by default such items go to [`PublishSink::rejected`](super::PublishSink::rejected)
    /// instead). The sink stays open.
    Rejected {
        /// The item, unchanged.
        item: T,
        /// Why it cannot be published.
        error: E,
    },
    /// `start_send` was called without room (`poll_ready` had not returned
    /// `Ready(Ok)`), or after the sink was closed or stopped.
    NotAccepted {
        /// The item, unchanged.
        item: T,
    },
    /// A message failed for good: a non-retryable error, or the retry policy
    /// gave up. The sink has stopped.
    Failed {
        /// The channel of the failed message.
        channel: String,
        /// The last attempt's error.
        error: E,
        /// The message that failed. It was not acknowledged, but if the
        /// last error is a timeout or a network error (the retry policy gave
        /// up), it may have been published.
        failed: T,
        /// Every other accepted message not acknowledged, on every channel
        /// (a failure stops the whole sink). The first `in_doubt` of them
        /// were sent (on other channels, while the sink stopped) and may have
        /// been published; the rest were never sent. Each channel's messages
        /// are in accepted order.
        unacknowledged: Vec<T>,
        /// How many of `unacknowledged`, from the front, may have been published.
        in_doubt: usize,
    },
    /// The background worker ended without finishing (its tokio runtime shut
    /// down, or there was no runtime to start it in).
    WorkerGone {
        /// Every accepted message not acknowledged. The first `in_doubt` of
        /// them (the first of each channel) may have been on the wire when the
        /// worker ended, so they may have been published; the rest were never
        /// sent. Each channel's messages are in accepted order.
        unacknowledged: Vec<T>,
        /// How many of `unacknowledged`, from the front, may have been published.
        in_doubt: usize,
    },
    /// An item of the stream fed to the sink did not decode (from
    /// [`DecodeError`](crate::DecodeError), so that a pipeline of
    /// [`typed`](crate::EventStreamExt::typed) messages can `.err_into()`
    /// and `forward` into the sink). It holds the whole message. `forward`
    /// returns it and stops reading; the sink itself is unaffected and what
    /// it accepted before still goes out.
    Decode(crate::message::DecodeError),
    /// The sink already returned its terminal error or was closed.
    Terminated,
}

impl<T, E> From<crate::message::DecodeError> for PublishSinkError<T, E> {
    fn from(error: crate::message::DecodeError) -> Self {
        PublishSinkError::Decode(error)
    }
}

impl<T, E> PublishSinkError<T, E> {
    /// Every item this error hands back: the failed message first, then the
    /// unacknowledged ones (those that may have been published first). Each
    /// channel's items keep their accepted order.
    ///
    /// ```
    /// fn resend_later<T>(error: pubnub_stream::PublishSinkError<T>, backlog: &mut Vec<T>) {
    ///     backlog.extend(error.into_items());
    /// }
    /// ```
    pub fn into_items(self) -> Vec<T> {
        match self {
            PublishSinkError::Rejected { item, .. } | PublishSinkError::NotAccepted { item } => {
                vec![item]
            }
            PublishSinkError::Failed {
                failed,
                unacknowledged,
                ..
            } => {
                let mut items = Vec::with_capacity(unacknowledged.len() + 1);
                items.push(failed);
                items.extend(unacknowledged);
                items
            }
            PublishSinkError::WorkerGone { unacknowledged, .. } => unacknowledged,
            PublishSinkError::Decode(_) | PublishSinkError::Terminated => Vec::new(),
        }
    }

    /// The underlying request or preparation error, if there is one.
    ///
    /// ```
    /// fn status<T>(error: &pubnub_stream::PublishSinkError<T>) -> Option<u16> {
    ///     error.error()?.status()
    /// }
    /// ```
    pub fn error(&self) -> Option<&E> {
        match self {
            PublishSinkError::Rejected { error, .. } | PublishSinkError::Failed { error, .. } => {
                Some(error)
            }
            _ => None,
        }
    }

    /// Whether the sink has stopped (everything but `Rejected`, `NotAccepted`
    /// and `Decode`).
    ///
    /// ```
    /// let error = pubnub_stream::PublishSinkError::<u8>::Terminated;
    /// assert!(error.is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        !matches!(
            self,
            PublishSinkError::Rejected { .. }
                | PublishSinkError::NotAccepted { .. }
                | PublishSinkError::Decode(_)
        )
    }
}

/// One line, the cause included: the error's own `Display` (which carries
/// its causes), e.g. `publish to channel "chat" failed (3 other message(s)
/// not acknowledged): network error: connection refused (os error 111)`.
impl<T, E: fmt::Display> fmt::Display for PublishSinkError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishSinkError::Rejected { error, .. } => {
                write!(f, "publish sink rejected an item: {error}")
            }
            PublishSinkError::NotAccepted { .. } => f.write_str(
                "publish sink not ready: start_send without poll_ready, or after close or failure",
            ),
            PublishSinkError::Failed {
                channel,
                error,
                unacknowledged,
                in_doubt,
                ..
            } => write!(
                f,
                "publish to channel {channel:?} failed ({} other message(s) not acknowledged, \
                 {in_doubt} of them maybe published): {error}",
                unacknowledged.len(),
            ),
            PublishSinkError::WorkerGone {
                unacknowledged,
                in_doubt,
            } => write!(
                f,
                "publish sink worker is not running (its tokio runtime shut down, or none); \
                 {} message(s) not acknowledged, {in_doubt} of them maybe published",
                unacknowledged.len(),
            ),
            PublishSinkError::Decode(error) => write!(f, "pipeline input did not decode: {error}"),
            PublishSinkError::Terminated => f.write_str("publish sink already stopped or closed"),
        }
    }
}

/// Shows the error and item counts, never the items themselves (they may hold secrets).
impl<T, E: fmt::Debug> fmt::Debug for PublishSinkError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishSinkError::Rejected { error, .. } => f
                .debug_struct("Rejected")
                .field("error", error)
                .finish_non_exhaustive(),
            PublishSinkError::NotAccepted { .. } => {
                f.debug_struct("NotAccepted").finish_non_exhaustive()
            }
            PublishSinkError::Failed {
                channel,
                error,
                unacknowledged,
                in_doubt,
                ..
            } => f
                .debug_struct("Failed")
                .field("channel", channel)
                .field("error", error)
                .field("unacknowledged", &unacknowledged.len())
                .field("in_doubt", in_doubt)
                .finish_non_exhaustive(),
            PublishSinkError::WorkerGone {
                unacknowledged,
                in_doubt,
            } => f
                .debug_struct("WorkerGone")
                .field("unacknowledged", &unacknowledged.len())
                .field("in_doubt", in_doubt)
                .finish(),
            PublishSinkError::Decode(error) => f
                .debug_struct("Decode")
                .field("channel", &error.message().channel)
                .field("timetoken", &error.message().timetoken)
                .finish_non_exhaustive(),
            PublishSinkError::Terminated => f.write_str("Terminated"),
        }
    }
}

/// The source is the request error (or the [`DecodeError`](crate::DecodeError)),
/// for `downcast_ref`; `Display` already includes its text, so print either
/// this error alone or its chain without the first link's text, not both.
impl<T, E> std::error::Error for PublishSinkError<T, E>
where
    E: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PublishSinkError::Decode(error) => Some(error),
            _ => self
                .error()
                .map(|e| e as &(dyn std::error::Error + 'static)),
        }
    }
}
