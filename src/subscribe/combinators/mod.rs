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
        }

        impl<S> futures::Stream for $name<S>
        where
            S: futures::Stream,
            S::Item: crate::HasChannel,
        {
            type Item = S::Item;

            fn poll_next(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<S::Item>> {
                let this = self.project();
                let name: &str = this.name;
                super::poll_pick(this.stream, cx, |item| {
                    (crate::HasChannel::$accessor(&item) == Some(name)).then_some(item)
                })
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                super::filtered_size_hint(self.stream.size_hint())
            }
        }

        impl<S> futures::stream::FusedStream for $name<S>
        where
            S: futures::stream::FusedStream,
            S::Item: crate::HasChannel,
        {
            fn is_terminated(&self) -> bool {
                self.stream.is_terminated()
            }
        }
    };
}
use name_filter;
