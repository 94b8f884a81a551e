//! Stream adapters returned by [`EventStreamExt`](crate::EventStreamExt), one per file.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures::Stream;

mod messages;
mod on_channel;
mod on_subscription;
mod presence;
mod signals;
mod statuses;
mod typed;

pub use messages::Messages;
pub use on_channel::OnChannel;
pub use on_subscription::OnSubscription;
pub use presence::Presence;
pub use signals::Signals;
pub use statuses::Statuses;
pub use typed::Typed;

/// Polls `stream` until `pick` accepts an item (or the stream ends).
fn poll_pick<S: Stream, T>(
    mut stream: Pin<&mut S>,
    cx: &mut Context<'_>,
    mut pick: impl FnMut(S::Item) -> Option<T>,
) -> Poll<Option<T>> {
    loop {
        match ready!(stream.as_mut().poll_next(cx)) {
            Some(item) => {
                if let Some(out) = pick(item) {
                    return Poll::Ready(Some(out));
                }
            }
            None => return Poll::Ready(None),
        }
    }
}

/// A filter keeps at most as many items as its source.
fn filtered_size_hint(inner: (usize, Option<usize>)) -> (usize, Option<usize>) {
    (0, inner.1)
}

/// The `get_ref` / `get_mut` / `get_pin_mut` / `into_inner` accessors every
/// adapter has, as futures-util's adapters do (the adapter's stream field is
/// `stream`), e.g.:
///
/// ```
/// use futures::{stream, Stream};
/// use pubnub_stream::{Event, EventStreamExt, Message};
///
/// let events = stream::iter(vec![Event::Message(Message::new("chat", "hi".into()))]);
/// let chat = events.messages().on_channel("chat");
/// assert_eq!(chat.get_ref().get_ref().size_hint(), (1, Some(1)));
/// let messages = chat.into_inner(); // the `messages()` adapter again
/// let _events = messages.into_inner();
/// ```
macro_rules! inner_accessors {
    ($stream:ty) => {
        /// The stream this adapter reads from.
        pub fn get_ref(&self) -> &$stream {
            &self.stream
        }

        /// The stream this adapter reads from, mutably. Items taken from it
        /// directly bypass this adapter.
        pub fn get_mut(&mut self) -> &mut $stream {
            &mut self.stream
        }

        /// The stream this adapter reads from, pinned.
        pub fn get_pin_mut(self: std::pin::Pin<&mut Self>) -> std::pin::Pin<&mut $stream> {
            self.project().stream
        }

        /// Gives back the stream this adapter reads from.
        pub fn into_inner(self) -> $stream {
            self.stream
        }
    };
}
use inner_accessors;

/// Defines an adapter that keeps one variant of [`Event`](crate::Event), unwrapped.
macro_rules! variant_filter {
    ($(#[$doc:meta])* $name:ident => $item:ty, $($variant:ident)::+) => {
        $(#[$doc])*
        #[pin_project::pin_project]
        #[derive(Debug, Clone)]
        #[must_use = "streams do nothing unless polled"]
        pub struct $name<S> {
            #[pin]
            stream: S,
        }

        impl<S> $name<S> {
            pub(crate) fn new(stream: S) -> Self {
                $name { stream }
            }

            super::inner_accessors!(S);
        }

        impl<S: futures::Stream<Item = Event>> futures::Stream for $name<S> {
            type Item = $item;

            fn poll_next(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<$item>> {
                super::poll_pick(self.project().stream, cx, |event| match event {
                    $($variant)::+(item) => Some(item),
                    _ => None,
                })
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                super::filtered_size_hint(self.stream.size_hint())
            }
        }

        impl<S: futures::stream::FusedStream<Item = Event>> futures::stream::FusedStream
            for $name<S>
        {
            fn is_terminated(&self) -> bool {
                self.stream.is_terminated()
            }
        }
    };
}
use variant_filter;

/// Defines an adapter that keeps the items whose `$accessor` equals a name.
macro_rules! name_filter {
    ($(#[$doc:meta])* $name:ident, $accessor:ident) => {
        $(#[$doc])*
        #[pin_project::pin_project]
        #[derive(Debug, Clone)]
        #[must_use = "streams do nothing unless polled"]
        pub struct $name<S> {
            #[pin]
            stream: S,
            name: String,
        }

        impl<S> $name<S> {
            pub(crate) fn new(stream: S, name: String) -> Self {
                $name { stream, name }
            }

            super::inner_accessors!(S);
        }

        impl<S> futures::Stream for $name<S>
        where
            S: futures::Stream,
            S::Item: crate::subscribe::HasChannel,
        {
            type Item = S::Item;

            fn poll_next(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<S::Item>> {
                let this = self.project();
                let name: &str = this.name;
                super::poll_pick(this.stream, cx, |item| {
                    (crate::subscribe::HasChannel::$accessor(&item) == Some(name)).then_some(item)
                })
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                super::filtered_size_hint(self.stream.size_hint())
            }
        }

        impl<S> futures::stream::FusedStream for $name<S>
        where
            S: futures::stream::FusedStream,
            S::Item: crate::subscribe::HasChannel,
        {
            fn is_terminated(&self) -> bool {
                self.stream.is_terminated()
            }
        }
    };
}
use name_filter;
