use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{FusedStream, Stream};
use pin_project::pin_project;
use serde::de::DeserializeOwned;

use crate::message::{DecodeError, Message, TypedMessage};

/// Stream for [`EventStreamExt::typed`](crate::EventStreamExt::typed): each
/// message's payload decoded into `T`.
///
/// A payload that does not decode yields `Err(DecodeError)` (holding the whole
/// message) and the stream goes on: a bad message is visible, not fatal.
///
/// ```
/// use futures::{stream, StreamExt};
/// use pubnub_stream::{Event, EventStreamExt, Message};
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Chat { text: String }
///
/// # futures::executor::block_on(async {
/// let events = stream::iter(vec![
///     Event::Message(Message::new("chat", serde_json::json!({"text": "hi"}))),
///     Event::Message(Message::new("chat", serde_json::json!(42))),
/// ]);
/// let decoded: Vec<_> = events.messages().typed::<Chat>().collect().await;
/// assert_eq!(decoded[0].as_ref().unwrap().payload.text, "hi");
/// assert_eq!(decoded[1].as_ref().unwrap_err().message().payload, 42);
/// # });
/// ```
/// Into a publish sink: `PublishSinkError` converts from `DecodeError`, so
/// the pipeline is `typed`, `map`, `err_into`, `forward`. A payload that does
/// not decode ends `forward` with [`PublishSinkError::Decode`](crate::PublishSinkError::Decode),
/// which holds the whole message: the pipeline stops visibly rather than skip
/// it (what was forwarded before is still published). To go on past such
/// payloads instead, drop them yourself, e.g. with `inspect_err` and
/// `filter_map` before `forward`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("u").origin(server.origin()).secure(false).build()?;
/// use futures::{StreamExt, TryStreamExt};
/// use pubnub_stream::EventStreamExt;
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Order { id: u32 }
///
/// let subscription = pubnub.subscribe().channels(["in"]).execute();
/// let sink = pubnub.publisher("out").sink::<Order>();
/// let pipeline = subscription
///     .messages()
///     .on_channel("in")
///     .typed::<Order>()
///     .map(|r| r.map(|m| Order { id: m.payload.id + 1 }))
///     .err_into()
///     .forward(sink);
/// # drop(pipeline);
/// # Ok(()) }
/// ```
#[pin_project]
#[must_use = "streams do nothing unless polled"]
pub struct Typed<S, T> {
    #[pin]
    stream: S,
    _payload: PhantomData<fn() -> T>,
}

impl<S, T> Typed<S, T> {
    pub(crate) fn new(stream: S) -> Self {
        Typed {
            stream,
            _payload: PhantomData,
        }
    }

    super::inner_accessors!(S);
}

impl<S: fmt::Debug, T> fmt::Debug for Typed<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Typed")
            .field("stream", &self.stream)
            .field("payload", &std::any::type_name::<T>())
            .finish()
    }
}

impl<S: Clone, T> Clone for Typed<S, T> {
    fn clone(&self) -> Self {
        Typed::new(self.stream.clone())
    }
}

impl<S, T> Stream for Typed<S, T>
where
    S: Stream<Item = Message>,
    T: DeserializeOwned,
{
    type Item = Result<TypedMessage<T>, DecodeError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.project()
            .stream
            .poll_next(cx)
            .map(|message| message.map(Message::into_typed))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.stream.size_hint()
    }
}

impl<S, T> FusedStream for Typed<S, T>
where
    S: FusedStream<Item = Message>,
    T: DeserializeOwned,
{
    fn is_terminated(&self) -> bool {
        self.stream.is_terminated()
    }
}
