//! Callback listeners (parity with the official SDKs), built on the
//! client-wide event stream.

use super::{PresenceEvent, Status};
use crate::message::Message;

/// Callbacks for every event the client receives, whatever the subscription.
/// Every method has a no-op default; implement the ones you need.
///
/// Callbacks run one at a time on a task of their own, in arrival order; a
/// slow callback only delays its own listener (which then sees
/// [`Status::Lagged`] like a slow subscription).
///
/// ```no_run
/// use pubnub_stream::{subscribe::SubscribeCallback, Message, Status};
///
/// struct Printer;
/// impl SubscribeCallback for Printer {
///     fn message(&mut self, message: &Message) {
///         println!("{}: {}", message.channel, message.payload);
///     }
///     fn status(&mut self, status: &Status) {
///         println!("status: {}", status.category());
///     }
/// }
///
/// # async fn run(pubnub: pubnub_stream::PubNub) {
/// let id = pubnub.add_listener(Printer);
/// let _sub = pubnub.subscribe().channels("chat").execute();
/// // ...
/// pubnub.remove_listener(id);
/// # }
/// ```
pub trait SubscribeCallback: Send + 'static {
    /// A status of the subscribe loop.
    ///
    /// ```
    /// # use pubnub_stream::{subscribe::SubscribeCallback, Status};
    /// struct Count(usize);
    /// impl SubscribeCallback for Count {
    ///     fn status(&mut self, _: &Status) { self.0 += 1; }
    /// }
    /// ```
    fn status(&mut self, status: &Status) {
        let _ = status;
    }

    /// A message on any subscribed channel.
    ///
    /// ```
    /// # use pubnub_stream::{subscribe::SubscribeCallback, Message};
    /// struct Last(Option<Message>);
    /// impl SubscribeCallback for Last {
    ///     fn message(&mut self, m: &Message) { self.0 = Some(m.clone()); }
    /// }
    /// ```
    fn message(&mut self, message: &Message) {
        let _ = message;
    }

    /// A presence event.
    ///
    /// ```
    /// # use pubnub_stream::{subscribe::SubscribeCallback, PresenceEvent};
    /// struct Occupancy(u64);
    /// impl SubscribeCallback for Occupancy {
    ///     fn presence(&mut self, p: &PresenceEvent) { self.0 = p.occupancy; }
    /// }
    /// ```
    fn presence(&mut self, presence: &PresenceEvent) {
        let _ = presence;
    }

    /// A signal.
    ///
    /// ```
    /// # use pubnub_stream::{subscribe::SubscribeCallback, Message};
    /// struct Typing(bool);
    /// impl SubscribeCallback for Typing {
    ///     fn signal(&mut self, s: &Message) { self.0 = s.payload == "typing"; }
    /// }
    /// ```
    fn signal(&mut self, signal: &Message) {
        let _ = signal;
    }
}

/// Identifies a listener added with [`PubNub::add_listener`](crate::PubNub::add_listener).
///
/// ```no_run
/// # async fn run(pubnub: pubnub_stream::PubNub) {
/// struct Nothing;
/// impl pubnub_stream::subscribe::SubscribeCallback for Nothing {}
/// let id = pubnub.add_listener(Nothing);
/// assert!(pubnub.remove_listener(id));
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListenerId(pub(crate) u64);
