//! [`SubscribeBuilder`] and [`UnsubscribeBuilder`].

use std::collections::BTreeSet;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use tokio::sync::oneshot;

use super::engine::interest::Interest;
use super::engine::Command;
use super::registration::{Options, Registration};
use super::validate::check_names;
use super::{ConnectError, Status, Subscription};
use crate::client::PubNub;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::timetoken::Timetoken;

/// The default per-subscription buffer, in events.
pub const DEFAULT_BUFFER_SIZE: usize = 1024;

/// Builds a [`Subscription`]; from [`PubNub::subscribe`].
///
/// Channels may be wildcard patterns (`sports.*`). Defaults: no channels, no
/// groups, no presence, continue from "now" (no timetoken), a buffer of
/// [`DEFAULT_BUFFER_SIZE`] events, no dedupe.
///
/// ```no_run
/// # async fn run(pubnub: pubnub_stream::PubNub) {
/// let sub = pubnub
///     .subscribe()
///     .channels(["chat", "sports.*"])
///     .channel_groups("rooms")
///     .with_presence()
///     .buffer_size(256)
///     .execute();
/// # }
/// ```
#[derive(Debug)]
#[must_use = "call .execute() or .await to subscribe"]
pub struct SubscribeBuilder {
    client: PubNub,
    channels: Vec<String>,
    groups: Vec<String>,
    presence: bool,
    timetoken: Option<Timetoken>,
    buffer: usize,
    dedupe: Option<usize>,
    connect_timeout: Option<Duration>,
    statuses: bool,
    gap_free: bool,
}

impl SubscribeBuilder {
    pub(crate) fn new(client: PubNub) -> Self {
        SubscribeBuilder {
            client,
            channels: Vec::new(),
            groups: Vec::new(),
            presence: false,
            timetoken: None,
            buffer: DEFAULT_BUFFER_SIZE,
            dedupe: None,
            connect_timeout: None,
            statuses: false,
            gap_free: false,
        }
    }

    crate::names::name_setters!(channels: channels, channel_groups: groups, start: "subscribe()");

    /// Also receive presence events (`-pnpres`) for every channel and group.
    ///
    /// A wildcard subscription (`a.*`) receives the presence events of the
    /// channels it matches even without this: the server sends the events
    /// of `a.x-pnpres` to it (that name matches the pattern, with `b` = `a.*`),
    /// and they are delivered as [`Event::Presence`](crate::Event::Presence)
    /// rather than dropped.
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("chat").with_presence().execute();
    /// # }
    /// ```
    pub fn with_presence(mut self) -> Self {
        self.presence = true;
        self
    }

    /// Catch up from `timetoken`: the client's cursor moves back to it, so
    /// messages still in the server's queue since then are delivered (to
    /// every subscription whose channels they match; enable
    /// [`dedupe`](Self::dedupe) on others to skip repeats).
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("chat").with_timetoken(17_000_000_000_000_000u64).execute();
    /// # }
    /// ```
    pub fn with_timetoken(mut self, timetoken: impl Into<Timetoken>) -> Self {
        self.timetoken = Some(timetoken.into()).filter(|t| !t.is_zero());
        self
    }

    /// The number of events buffered for this subscription before it starts
    /// losing them (reported as [`Status::Lagged`]). Default
    /// [`DEFAULT_BUFFER_SIZE`]; at least 1.
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("firehose").buffer_size(10_000).execute();
    /// # }
    /// ```
    pub fn buffer_size(mut self, events: usize) -> Self {
        self.buffer = events.max(1);
        self
    }

    /// Drop messages already delivered to this subscription, remembering the
    /// last `capacity` (timetoken, publisher, channel) triples. Off by default
    /// (the cursor already avoids repeats; this guards against catch-up and
    /// region changes).
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("chat").dedupe(1000).execute();
    /// # }
    /// ```
    pub fn dedupe(mut self, capacity: usize) -> Self {
        self.dedupe = Some(capacity.max(1));
        self
    }

    /// Never leave a silent hole for stored messages: when the live stream
    /// may have lost messages (a response as full as the server's catch-up
    /// queue, or the first response after an outage), read this
    /// subscription's channels back from history over that range and merge
    /// them in, in timetoken order, each message once, after a
    /// [`Status::GapFilled`](crate::Status::GapFilled) naming the range.
    /// Messages published without storage cannot be read back: the status
    /// says where they may be missing. Off by default.
    ///
    /// Only named channels are read back: for channel groups and wildcard
    /// patterns, and on a client with a filter expression (history does not
    /// apply it), a possible loss is reported as
    /// [`Status::PossibleGap`](crate::Status::PossibleGap), as without this
    /// option; so is a fill whose history request failed. While it reads,
    /// the client's subscribe loop waits (one history request per channel
    /// and 100 messages). This covers what the server dropped, not what this
    /// subscription's own buffer drops when its consumer falls behind: that
    /// is still reported as [`Status::Lagged`](crate::Status::Lagged) (see
    /// [`buffer_size`](Self::buffer_size)).
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("chat").gap_free().execute();
    /// # }
    /// ```
    pub fn gap_free(mut self) -> Self {
        self.gap_free = true;
        self
    }

    /// Also put the client's connection statuses (`Connected`, `Reconnected`,
    /// `NetworkIssues`, `Disconnected`, `Acknowledgment`, …) in this
    /// subscription's stream. By default they are read once per client from
    /// [`PubNub::status_stream`](crate::PubNub::status_stream), and a
    /// subscription only carries the statuses about its own data:
    /// `Lagged`, `PossibleGap`, and the status that ended it.
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("chat").with_statuses().execute();
    /// # }
    /// ```
    pub fn with_statuses(mut self) -> Self {
        self.statuses = true;
        self
    }

    /// How long awaiting this builder waits for the first connection
    /// (default: the client's
    /// [`subscribe_connect_timeout`](crate::PubNubBuilder::subscribe_connect_timeout),
    /// 10 s unless set). Only the awaited form uses it; `execute()` never times out.
    ///
    /// ```no_run
    /// # async fn f(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::ConnectError> {
    /// use std::time::Duration;
    /// let sub = pubnub.subscribe().channels("chat").connect_timeout(Duration::from_secs(3)).await?;
    /// # Ok(()) }
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Starts the subscription (spawning the client's engine on first use).
    ///
    /// Must be called inside a tokio runtime; outside one the subscription
    /// yields a `Status::Unknown` and ends. Invalid names yield a
    /// `Status::BadRequest` (its error a [`RequestError`](crate::RequestError)
    /// of kind `InvalidArgument` naming the problem) and end, without touching
    /// the client's other subscriptions. The rules: a channel or group name is
    /// 1 to 92 characters without `,` `:` `*` `/` `\`, space or control
    /// characters; a channel may end with `-pnpres`, or be a wildcard pattern
    /// `a.*` / `a.b.*`; all the names of the client's subscriptions must fit
    /// in one request URI (about 30 KiB encoded). A subscription whose names
    /// would push the client's union over that limit fails the same way.
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels("chat").execute();
    /// # }
    /// ```
    pub fn execute(self) -> Subscription {
        if let Err(error) = check_names(&self.channels, &self.groups) {
            let status = Status::BadRequest { error };
            return Subscription::new(Registration::failed(&self.client, status));
        }
        let interest = Interest::Names {
            channels: self.channels.into_iter().collect::<BTreeSet<_>>(),
            groups: self.groups.into_iter().collect(),
            presence: self.presence,
        };
        let options = Options {
            interest,
            buffer: self.buffer,
            dedupe: self.dedupe,
            timetoken: self.timetoken,
            statuses: self.statuses,
            gap_free: self.gap_free,
        };
        Subscription::new(Registration::new(&self.client, options))
    }
}

/// Awaiting the builder subscribes and resolves once the first subscribe
/// request that includes this subscription's names has succeeded: a message
/// published after it resolves is delivered. It fails fast with a
/// [`ConnectError`] when the subscription is invalid, when that first
/// request fails (its status says why: `NetworkIssues`, `BadRequest`,
/// `AccessDenied`, …; the reconnection policy is not waited out), or when
/// the [`connect_timeout`](SubscribeBuilder::connect_timeout) (10 s by
/// default) passes first (status `Timeout`). On a client that is already
/// connected, a subscription whose names are all subscribed already resolves
/// at once; new names cost one handshake request (answered at once), after
/// which the client goes on receiving from where it was, so nothing
/// published in between is skipped. A refusal of the new names (`400`, or a
/// `403` naming only them) fails this subscription alone; the others go on.
/// Use
/// [`execute`](SubscribeBuilder::execute) for the synchronous form, which
/// never fails and reports everything as statuses in the stream.
///
/// ```no_run
/// # async fn f(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::ConnectError> {
/// let sub = pubnub.subscribe().channels(["chat"]).await?;
/// // connected: what is published from now on arrives on `sub`
/// # Ok(()) }
/// ```
impl IntoFuture for SubscribeBuilder {
    type Output = Result<Subscription, ConnectError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let timeout = self
            .connect_timeout
            .unwrap_or_else(|| self.client.config().subscribe_connect_timeout());
        let subscription = self.execute();
        Box::pin(async move {
            match tokio::time::timeout(timeout, ConnectError::first_attempt(&subscription)).await {
                Ok(Ok(())) => Ok(subscription),
                Ok(Err(error)) => Err(error),
                Err(_) => {
                    let error =
                        RequestError::from_kind(RequestErrorKind::Timeout { after: timeout });
                    Err(ConnectError::new(Status::Timeout { error }))
                }
            }
        })
    }
}

/// Removes channels and groups from every subscription; from
/// [`PubNub::unsubscribe`]. Await it: it resolves once the leave request (if
/// any) is answered.
///
/// Subscriptions left with no channels and no groups end (after an
/// `Acknowledgment` status). The cursor is kept. A leave is sent for the
/// names no subscription uses any more, unless the client suppresses leave
/// events; an error is the leave's, the unsubscribe has taken effect anyway.
///
/// ```no_run
/// # async fn run(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::RequestError> {
/// pubnub.unsubscribe().channels("chat").channel_groups("rooms").await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "unsubscribe does nothing unless awaited"]
pub struct UnsubscribeBuilder {
    client: PubNub,
    channels: Vec<String>,
    groups: Vec<String>,
}

impl UnsubscribeBuilder {
    pub(crate) fn new(client: PubNub) -> Self {
        UnsubscribeBuilder {
            client,
            channels: Vec::new(),
            groups: Vec::new(),
        }
    }

    crate::names::name_setters!(channels: channels, channel_groups: groups, start: "unsubscribe()");
}

impl IntoFuture for UnsubscribeBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let UnsubscribeBuilder {
            client,
            channels,
            groups,
        } = self;
        Box::pin(async move {
            send_with_reply(&client, |reply| Command::Unsubscribe {
                channels,
                groups,
                reply,
            })
            .await
        })
    }
}

/// Sends a command carrying a reply and waits for it (`Ok` if there is no engine).
pub(crate) async fn send_with_reply(
    client: &PubNub,
    command: impl FnOnce(super::engine::Reply) -> Command,
) -> Result<(), RequestError> {
    let Some(engine) = client.engine().get() else {
        return Ok(());
    };
    let (reply, answer) = oneshot::channel();
    if !engine.send(command(reply)) {
        return Ok(());
    }
    answer.await.unwrap_or(Ok(()))
}
