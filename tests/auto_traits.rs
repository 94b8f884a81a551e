//! Public types can cross threads and tasks.

use std::future::IntoFuture;

use pubnub_stream::{
    Config, ConfigError, PubNub, PubNubBuilder, PublishBuilder, PublishResult, RequestError,
    SignalBuilder,
};

fn send_sync<T: Send + Sync>() {}
fn send_unpin<T: Send + Unpin>() {}
fn send_future<F: IntoFuture>(_: F)
where
    F::IntoFuture: Send + 'static,
{
}

#[test]
fn handles_and_errors_are_send_and_sync() {
    send_sync::<PubNub>();
    send_sync::<Config>();
    send_sync::<PubNubBuilder>();
    send_sync::<PublishResult>();
    send_sync::<RequestError>();
    send_sync::<ConfigError>();
    send_unpin::<PublishBuilder>();
    send_unpin::<SignalBuilder>();
}

#[test]
fn awaited_calls_can_be_spawned() {
    let pubnub = PubNub::builder()
        .subscribe_key("demo")
        .user_id("u")
        .build()
        .unwrap();
    send_future(pubnub.publish().channel("c").message(&1));
    send_future(pubnub.signal().channel("c").message(&1));
    fn is_send<T: Send>(_: &T) {}
    is_send(&pubnub.time());
}

#[test]
fn errors_box_into_std_error() {
    let err: Box<dyn std::error::Error + Send + Sync> =
        RequestError::from_kind(pubnub_stream::RequestErrorKind::MissingPublishKey).into();
    assert_eq!(err.to_string(), "no publish key configured");
}
