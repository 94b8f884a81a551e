//! `pubnub.delete_messages()`: removes stored messages of a channel in a
//! time range. The service allows it only to clients with the secret key.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use crate::client::PubNub;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::channel;
use crate::protocol::encode::encode;
use crate::protocol::timetoken::Timetoken;
use crate::transport::{check_status, Request};

/// A delete of stored messages; `.await` it. Start with [`PubNub::delete_messages`].
///
/// Deletes the messages of one channel between two timetokens: of the
/// bounds `start` and `end`, in whichever order, the later one is inclusive
/// and the earlier one exclusive. So the message with timetoken `t` goes with
/// `start(t).end(t - 1)`, which [`message`](Self::message) writes for you.
/// Without bounds the whole channel goes.
///
/// Needs a client built with a secret key (requests are then signed): without
/// one it fails with [`RequestErrorKind::MissingSecretKey`] before any I/O.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// let admin = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
///     .secret_key("my-secret").user_id("admin")
/// #   .origin(server.origin()).secure(false)
///     .build()?;
/// let sent = admin.publish().channel("chat").message("oops").await?;
/// admin.delete_messages().channel("chat").message(sent.timetoken).await?;
/// assert!(admin.fetch_messages().channels("chat").await?.messages("chat").is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a delete does nothing until awaited"]
pub struct DeleteMessagesBuilder {
    pubnub: PubNub,
    channel: Option<String>,
    start: Option<Timetoken>,
    end: Option<Timetoken>,
}

impl PubNub {
    /// Starts a delete of stored messages (needs the secret key).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let delete = pubnub.delete_messages().channel("chat");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn delete_messages(&self) -> DeleteMessagesBuilder {
        DeleteMessagesBuilder {
            pubnub: self.clone(),
            channel: None,
            start: None,
            end: None,
        }
    }
}

impl DeleteMessagesBuilder {
    /// The channel whose messages go (required).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let delete = pubnub.delete_messages().channel("chat");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.channel = Some(channel.into());
        self
    }

    /// One bound of the range (PubNub's `start`).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// use pubnub_stream::Timetoken;
    /// let delete = pubnub.delete_messages().channel("c").start(Timetoken::new(20)).end(Timetoken::new(10));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn start(mut self, start: Timetoken) -> Self {
        self.start = Some(start);
        self
    }

    /// The other bound of the range (PubNub's `end`).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let delete = pubnub.delete_messages().channel("c").end(pubnub_stream::Timetoken::new(10));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn end(mut self, end: Timetoken) -> Self {
        self.end = Some(end);
        self
    }

    /// Just the message published at `timetoken` (`start = t`, `end = t - 1`).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let delete = pubnub.delete_messages().channel("c").message(pubnub_stream::Timetoken::new(10));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn message(mut self, timetoken: Timetoken) -> Self {
        let t = timetoken.as_u64();
        self.start = Some(timetoken);
        self.end = Some(Timetoken::new(t.saturating_sub(1)));
        self
    }

    /// The request, checked before any I/O.
    fn request(&self) -> Result<Request, RequestError> {
        let inner = self.pubnub.inner();
        if !inner.config.has_secret_key() {
            return Err(RequestErrorKind::MissingSecretKey.into());
        }
        let channel = self
            .channel
            .as_deref()
            .ok_or_else(|| RequestError::invalid_argument("delete_messages needs a channel"))?;
        channel::validate(channel)?;
        let path = format!(
            "/v3/history/sub-key/{}/channel/{}",
            encode(inner.config.subscribe_key()),
            encode(channel)
        );
        let mut req = Request::get(path, inner.config.request_timeout());
        req.method = http::Method::DELETE;
        if let Some(start) = self.start {
            req = req.param("start", start.to_string());
        }
        if let Some(end) = self.end {
            req = req.param("end", end.to_string());
        }
        Ok(req)
    }
}

impl IntoFuture for DeleteMessagesBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let req = self.request()?;
            let resp = self.pubnub.inner().transport.send(req).await?;
            check_status(&resp)
        })
    }
}
