//! Where a publish sink's items go: [`OneChannel`] (the sink's channel) or
//! [`AnyChannel`] (each [`Outgoing`] item's own).

use serde::Serialize;

use super::outgoing::Outgoing;

/// Target marker of a [`Publisher`](super::Publisher) and a
/// [`PublishSink`](super::PublishSink) for one channel (from
/// [`PubNub::publisher`](crate::PubNub::publisher)).
#[derive(Debug, Clone)]
pub struct OneChannel(pub(super) String);

/// Target marker of a [`Publisher`](super::Publisher) and a
/// [`PublishSink`](super::PublishSink) whose items name their channel (from
/// [`PubNub::multi_publisher`](crate::PubNub::multi_publisher)).
#[derive(Debug, Clone, Copy)]
pub struct AnyChannel;

/// How a [`PublishSink`](super::PublishSink) with target `Self` routes an
/// item of type `I`: [`OneChannel`] sends any `T: Serialize` to its channel,
/// [`AnyChannel`] sends an [`Outgoing<T>`] to the item's channel. Sealed: the
/// two markers are the only targets.
///
/// ```
/// use pubnub_stream::publish::sink::{AnyChannel, OneChannel, Outgoing, SinkTarget};
///
/// fn routes<I, K: SinkTarget<I>>() {}
/// routes::<u32, OneChannel>();
/// routes::<Outgoing<u32>, AnyChannel>();
/// ```
pub trait SinkTarget<I>: sealed::Route<I> {}

impl<I, K: sealed::Route<I>> SinkTarget<I> for K {}

pub(super) mod sealed {
    use serde::Serialize;

    /// The channel and the message of an item (crate-private: seals [`SinkTarget`](super::SinkTarget)).
    pub trait Route<I> {
        /// What is serialized and published.
        type Message: Serialize;

        /// The channel `item` goes to, and its message.
        fn route<'a>(&'a self, item: &'a I) -> (&'a str, &'a Self::Message);
    }
}

impl<T: Serialize> sealed::Route<T> for OneChannel {
    type Message = T;

    fn route<'a>(&'a self, item: &'a T) -> (&'a str, &'a T) {
        (&self.0, item)
    }
}

impl<T: Serialize> sealed::Route<Outgoing<T>> for AnyChannel {
    type Message = T;

    fn route<'a>(&'a self, item: &'a Outgoing<T>) -> (&'a str, &'a T) {
        (&item.channel, &item.message)
    }
}
