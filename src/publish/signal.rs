//! `pubnub.signal()…await`: a small, unstored message.

use std::future::IntoFuture;

use futures::future::BoxFuture;
use serde::Serialize;

use super::draft::Draft;
use super::options::PublishOptions;
use super::prepared::{message_path, send_message_request};
use super::PublishResult;
use crate::client::PubNub;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::{channel, encode::encode, publish as wire};
use crate::transport::Request;

/// A signal being configured; `.await` it to send. Start with [`PubNub::signal`].
///
/// The payload is limited to 64 bytes of JSON by default
/// ([`max_signal_bytes`](crate::PubNubBuilder::max_signal_bytes)), checked before any I/O.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
/// pubnub.signal().channel("typing").message(&serde_json::json!({"typing": true})).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a signal does nothing until awaited"]
pub struct SignalBuilder {
    pubnub: PubNub,
    draft: Draft,
    /// Only the custom message type applies to signals.
    options: PublishOptions,
}

impl PubNub {
    /// Starts a signal; set [`channel`](SignalBuilder::channel) and
    /// [`message`](SignalBuilder::message), then `.await` it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
    /// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
    /// let sent = pubnub.signal().channel("typing").message(&1).await?;
    /// # Ok(()) }
    /// ```
    pub fn signal(&self) -> SignalBuilder {
        SignalBuilder {
            pubnub: self.clone(),
            draft: Draft::default(),
            options: PublishOptions::default(),
        }
    }
}

impl SignalBuilder {
    /// The channel (required).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let signal = pubnub.signal().channel("typing");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.draft.set_channel(channel.into());
        self
    }

    /// The payload (required), serialized to JSON now.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let signal = pubnub.signal().channel("typing").message(&true);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn message<T: Serialize + ?Sized>(mut self, message: &T) -> Self {
        self.draft
            .set_message(message, self.pubnub.config().max_publish_bytes);
        self
    }

    /// An application-defined type (3–50 characters of `A-Za-z0-9_-`). Default: none.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let signal = pubnub.signal().channel("c").message(&1).custom_message_type("typing");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn custom_message_type(mut self, message_type: impl Into<String>) -> Self {
        self.options.set_custom_message_type(message_type.into());
        self
    }

    fn request(self) -> Result<(PubNub, Request), RequestError> {
        let config = self.pubnub.config();
        let publish_key = config
            .publish_key()
            .ok_or(RequestErrorKind::MissingPublishKey)?;
        let (channel, message) = self.draft.into_parts("signal")?;
        channel::validate(&channel)?;
        self.options.check()?;
        wire::check_signal_size(&message, config.max_signal_bytes())?;
        let path = message_path("signal", config, publish_key, &channel);
        let path = format!("{path}/{}", encode(&message));
        let req = Request::get(path, config.request_timeout());
        Ok((self.pubnub, self.options.add_params(req)))
    }
}

impl IntoFuture for SignalBuilder {
    type Output = Result<PublishResult, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        Box::pin(async move {
            let (pubnub, req) = request?;
            send_message_request(pubnub.inner(), req).await
        })
    }
}
