//! `pubnub.publish()…await`: one message, one request.

use std::future::IntoFuture;

use futures::future::BoxFuture;
use serde::Serialize;

use super::draft::Draft;
use super::options::{publish_option_setters, PublishOptions};
use super::prepared::{send_prepared, PreparedPublish};
use super::PublishResult;
use crate::client::PubNub;
use crate::error::RequestError;

/// A publish being configured; `.await` it to send. Start with [`PubNub::publish`].
///
/// The message (and `meta`) are serialized when given; serialization, the
/// channel, the publish key and the size limit are all checked before any I/O.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
/// #[derive(serde::Serialize)]
/// struct Chat { text: String }
///
/// let result = pubnub
///     .publish()
///     .channel("chat")
///     .message(&Chat { text: "hi".into() })
///     .meta(&serde_json::json!({ "lang": "en" }))
///     .should_store(true)
///     .ttl(24)
///     .await?;
/// println!("{}", result.timetoken);
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a publish does nothing until awaited"]
pub struct PublishBuilder {
    pubnub: PubNub,
    draft: Draft,
    options: PublishOptions,
}

impl PubNub {
    /// Starts a publish; set at least [`channel`](PublishBuilder::channel) and
    /// [`message`](PublishBuilder::message), then `.await` it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
    /// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
    /// pubnub.publish().channel("chat").message(&"hello").await?;
    /// # Ok(()) }
    /// ```
    pub fn publish(&self) -> PublishBuilder {
        PublishBuilder {
            pubnub: self.clone(),
            draft: Draft::default(),
            options: PublishOptions::default(),
        }
    }
}

impl PublishBuilder {
    /// The channel to publish to (required).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let publish = pubnub.publish().channel("chat");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.draft.set_channel(channel.into());
        self
    }

    /// The message (required): any `Serialize` value, serialized to JSON now.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let publish = pubnub.publish().channel("chat").message(&serde_json::json!({"text": "hi"}));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn message<T: Serialize + ?Sized>(mut self, message: &T) -> Self {
        self.draft
            .set_message(message, self.pubnub.config().max_publish_bytes);
        self
    }

    /// Checks and serializes everything without sending.
    fn prepare(self) -> Result<(PubNub, PreparedPublish), RequestError> {
        let (channel, message) = self.draft.into_parts("publish")?;
        let prepared =
            PreparedPublish::from_json(self.pubnub.inner(), channel, message, self.options)?;
        Ok((self.pubnub, prepared))
    }
}

publish_option_setters!(PublishBuilder, "publish().channel(\"c\").message(&1)");

impl IntoFuture for PublishBuilder {
    type Output = Result<PublishResult, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let prepared = self.prepare();
        Box::pin(async move {
            let (pubnub, prepared) = prepared?;
            send_prepared(pubnub.inner(), &prepared).await
        })
    }
}
