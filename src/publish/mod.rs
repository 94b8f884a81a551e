//! Publishing: the [`PublishBuilder`] future, [`SignalBuilder`], and the
//! crate-internal prepared form shared with the publish sink.

mod builder;
mod draft;
mod json;
mod options;
pub(crate) mod prepared;
mod signal;
pub mod sink;

pub use builder::PublishBuilder;
pub use signal::SignalBuilder;

pub(crate) use options::{publish_option_setters, PublishOptions};
pub(crate) use prepared::{send_prepared, PreparedPublish};

use crate::protocol::timetoken::Timetoken;

/// A successful publish or signal.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
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
