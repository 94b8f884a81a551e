//! Public types can cross threads and tasks.

use std::future::IntoFuture;

use pubnub_stream::{
    ChannelOccupancy, Config, ConfigError, DeleteChannelGroupBuilder, EditChannelGroupBuilder,
    GetStateBuilder, HeartbeatBuilder, HereNowBuilder, HereNowResult, LeaveBuilder,
    ListChannelGroupsBuilder, ListChannelsBuilder, Occupant, PubNub, PubNubBuilder, PublishBuilder,
    PublishResult, RequestError, SetStateBuilder, SignalBuilder, WhereNowBuilder,
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

#[test]
fn presence_and_group_results_are_send_and_sync_and_builders_send_and_unpin() {
    send_sync::<HereNowResult>();
    send_sync::<ChannelOccupancy>();
    send_sync::<Occupant>();
    send_unpin::<HereNowBuilder>();
    send_unpin::<WhereNowBuilder>();
    send_unpin::<SetStateBuilder>();
    send_unpin::<GetStateBuilder>();
    send_unpin::<HeartbeatBuilder>();
    send_unpin::<LeaveBuilder>();
    send_unpin::<EditChannelGroupBuilder>();
    send_unpin::<ListChannelsBuilder>();
    send_unpin::<DeleteChannelGroupBuilder>();
    send_unpin::<ListChannelGroupsBuilder>();
}

#[test]
fn awaited_presence_and_group_calls_can_be_spawned() {
    let pubnub = PubNub::builder()
        .subscribe_key("demo")
        .user_id("u")
        .build()
        .unwrap();
    send_future(pubnub.here_now().channels(["c"]));
    send_future(pubnub.where_now());
    send_future(
        pubnub
            .set_state()
            .channels(["c"])
            .state(&serde_json::json!({})),
    );
    send_future(pubnub.get_state().channels(["c"]));
    send_future(pubnub.heartbeat().channels(["c"]));
    send_future(pubnub.leave().channels(["c"]));
    send_future(pubnub.add_channels_to_channel_group().channel_group("g"));
    send_future(
        pubnub
            .remove_channels_from_channel_group()
            .channel_group("g"),
    );
    send_future(pubnub.list_channels_in_channel_group().channel_group("g"));
    send_future(pubnub.delete_channel_group().channel_group("g"));
    send_future(pubnub.list_channel_groups());
}

#[test]
fn crypto_types_are_send_sync_unpin_clone_and_debug() {
    fn all<T: Send + Sync + Unpin + Clone + std::fmt::Debug>() {}
    all::<pubnub_stream::CryptoModule>();
    all::<pubnub_stream::CryptoError>();
}
