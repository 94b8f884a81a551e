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
/// [`into_items`](Self::into_items)).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo").user_id("u").build()?;
/// use futures::SinkExt;
/// use pubnub_stream::{PublishSinkError, RequestErrorKind};
///
/// let mut sink = pubnub.publisher("chat").sink::<String>();
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
pub enum PublishSinkError<T, E = crate::RequestError> {
    /// `start_send` could not prepare the item (it does not serialize to JSON,
    /// or it is over the 32 KiB limit). The sink stays open.
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
        /// The message that failed.
        failed: T,
        /// Every accepted message that was not published, in accepted order
        /// (on every channel: a failure stops the whole sink).
        unsent: Vec<T>,
    },
    /// The background worker ended without finishing (its tokio runtime shut
    /// down, or there was no runtime to start it in).
    WorkerGone {
        /// Every accepted message that was not published, in accepted order.
        unsent: Vec<T>,
    },
    /// The sink already returned its terminal error or was closed.
    Terminated,
}

impl<T, E> PublishSinkError<T, E> {
    /// Every item this error hands back, in accepted order (the failed message
    /// first, then the unsent ones).
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
            PublishSinkError::Failed { failed, unsent, .. } => {
                let mut items = Vec::with_capacity(unsent.len() + 1);
                items.push(failed);
                items.extend(unsent);
                items
            }
            PublishSinkError::WorkerGone { unsent } => unsent,
            PublishSinkError::Terminated => Vec::new(),
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

    /// Whether the sink has stopped (everything but `Rejected` and `NotAccepted`).
    ///
    /// ```
    /// let error = pubnub_stream::PublishSinkError::<u8>::Terminated;
    /// assert!(error.is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        !matches!(
            self,
            PublishSinkError::Rejected { .. } | PublishSinkError::NotAccepted { .. }
        )
    }
}

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
                unsent,
                ..
            } => write!(
                f,
                "publishing to channel {channel:?} failed ({error}); {} more message(s) unsent",
                unsent.len()
            ),
            PublishSinkError::WorkerGone { unsent } => write!(
                f,
                "publish sink worker is not running (no tokio runtime?); {} message(s) unsent",
                unsent.len()
            ),
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
                unsent,
                ..
            } => f
                .debug_struct("Failed")
                .field("channel", channel)
                .field("error", error)
                .field("unsent", &unsent.len())
                .finish_non_exhaustive(),
            PublishSinkError::WorkerGone { unsent } => f
                .debug_struct("WorkerGone")
                .field("unsent", &unsent.len())
                .finish(),
            PublishSinkError::Terminated => f.write_str("Terminated"),
        }
    }
}

impl<T, E> std::error::Error for PublishSinkError<T, E>
where
    E: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
