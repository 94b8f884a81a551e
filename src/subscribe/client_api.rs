//! The subscribe entry points on [`PubNub`].

use futures::StreamExt;

use super::builder::{send_with_reply, DEFAULT_BUFFER_SIZE};
use super::engine::interest::Interest;
use super::engine::Command;
use super::registration::{Options, Registration};
use super::{
    Event, ListenerId, StatusStream, SubscribeBuilder, SubscribeCallback, UnsubscribeBuilder,
};
use crate::client::PubNub;
use crate::error::RequestError;

impl PubNub {
    /// Starts building a subscription; finish with `.execute()`.
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub) {
    /// let sub = pubnub.subscribe().channels(["chat", "news"]).with_presence().execute();
    /// # }
    /// ```
    pub fn subscribe(&self) -> SubscribeBuilder {
        SubscribeBuilder::new(self.clone())
    }

    /// Removes channels and groups from every subscription (await it).
    ///
    /// Sends one leave for the removed names (not for `-pnpres` ones) unless
    /// `suppress_leave_events` is set, and forgets the presence state this
    /// client set on them. The call returns once that leave has been answered;
    /// its error, if any, is the result.
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::RequestError> {
    /// pubnub.unsubscribe().channels("chat").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn unsubscribe(&self) -> UnsubscribeBuilder {
        UnsubscribeBuilder::new(self.clone())
    }

    /// Ends every subscription, sends a leave for everything, and **resets
    /// the cursor**: the next subscribe starts from "now" (`tt=0`), so
    /// messages published in between are not caught up.
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::RequestError> {
    /// pubnub.unsubscribe_all().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn unsubscribe_all(&self) -> Result<(), RequestError> {
        send_with_reply(self, |reply| Command::UnsubscribeAll { reply }).await
    }

    /// Stops long-polling (subscriptions stay, nothing is left); a
    /// `Disconnected` status is sent. Resume with [`reconnect`](Self::reconnect).
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// pubnub.disconnect();
    /// pubnub.reconnect();
    /// # }
    /// ```
    pub fn disconnect(&self) {
        if let Some(engine) = self.engine().get() {
            engine.send(Command::Disconnect);
        }
    }

    /// Resumes long-polling from the last cursor, after
    /// [`disconnect`](Self::disconnect), a terminal error or exhausted
    /// retries; restarts the retry count. A `Reconnected` status follows
    /// success.
    ///
    /// Catch-up is bounded by the server: it keeps about the last 100
    /// messages per channel (for about 20 minutes) and sends at most 100 in
    /// one response. When the catch-up response is full, messages may have
    /// been lost; the subscriptions concerned get a
    /// [`Status::PossibleGap`](crate::Status::PossibleGap) (fill it from
    /// history if it matters).
    ///
    /// ```no_run
    /// # fn f(pubnub: pubnub_stream::PubNub) {
    /// pubnub.reconnect();
    /// # }
    /// ```
    pub fn reconnect(&self) {
        if let Some(engine) = self.engine().get() {
            engine.send(Command::Reconnect);
        }
    }

    /// Every status of the subscribe loop, client-wide.
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub) {
    /// let statuses = pubnub.status_stream();
    /// # }
    /// ```
    pub fn status_stream(&self) -> StatusStream {
        StatusStream::new(Registration::new(self, options(Interest::Statuses)))
    }

    /// Calls `listener` for every event the client receives, on a task of its
    /// own, until [`remove_listener`](Self::remove_listener) (or the client is
    /// dropped). Must be called inside a tokio runtime; outside one the
    /// listener is dropped.
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub) {
    /// struct Log;
    /// impl pubnub_stream::subscribe::SubscribeCallback for Log {
    ///     fn message(&mut self, m: &pubnub_stream::Message) { println!("{}", m.payload); }
    /// }
    /// let id = pubnub.add_listener(Log);
    /// # }
    /// ```
    pub fn add_listener(&self, mut listener: impl SubscribeCallback) -> ListenerId {
        let mut registration = Registration::new(self, options(Interest::Everything));
        registration.detach_client();
        let id = registration.id();
        let (Ok(runtime), Some(engine)) =
            (tokio::runtime::Handle::try_current(), self.engine().get())
        else {
            return ListenerId(id);
        };
        let mut events = futures::stream::poll_fn(move |cx| registration.poll_next(cx));
        let task = runtime.spawn(async move {
            while let Some(event) = events.next().await {
                match &event {
                    Event::Message(m) => listener.message(m),
                    Event::Signal(s) => listener.signal(s),
                    Event::Presence(p) => listener.presence(p),
                    Event::Status(s) => listener.status(s),
                    _ => {}
                }
            }
        });
        engine.listeners().insert(id, task.abort_handle());
        ListenerId(id)
    }

    /// Stops and removes a listener; `false` if it was not registered.
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub, id: pubnub_stream::subscribe::ListenerId) {
    /// pubnub.remove_listener(id);
    /// # }
    /// ```
    pub fn remove_listener(&self, id: ListenerId) -> bool {
        let Some(engine) = self.engine().get() else {
            return false;
        };
        let task = engine.listeners().remove(&id.0);
        task.map(|task| task.abort()).is_some()
    }
}

fn options(interest: Interest) -> Options {
    Options {
        interest,
        buffer: DEFAULT_BUFFER_SIZE,
        dedupe: None,
        timetoken: None,
        statuses: true, // listeners and the status stream hear every status
        gap_free: false,
    }
}
