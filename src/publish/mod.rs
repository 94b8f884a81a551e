//! Publishing: the [`PublishBuilder`] future, [`SignalBuilder`], and the
//! crate-internal prepared form shared with the publish sink.

mod builder;
mod prepared;
mod signal;
pub mod sink;

pub use builder::PublishBuilder;
pub use signal::SignalBuilder;

#[allow(unused_imports)] // used by the publish sink
pub(crate) use prepared::{send_prepared, PreparedPublish, PublishOptions};

use crate::Timetoken;

/// A successful publish or signal.
///
/// ```no_run
/// # async fn run(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::PublishError> {
/// let result = pubnub.publish().channel("chat").message(&"hi").await?;
/// println!("stored at {}", result.timetoken);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PublishResult {
    /// The timetoken the server gave the message.
    pub timetoken: Timetoken,
}

impl PublishResult {
    pub(crate) fn new(timetoken: Timetoken) -> Self {
        PublishResult { timetoken }
    }
}

#[cfg(test)]
mod tests;
