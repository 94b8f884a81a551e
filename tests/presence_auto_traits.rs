//! Presence and channel-group types can cross threads and tasks.

use std::future::IntoFuture;

use pubnub_stream::{
    ChannelOccupancy, DeleteChannelGroupBuilder, EditChannelGroupBuilder, GetStateBuilder,
    HeartbeatBuilder, HereNowBuilder, HereNowResult, LeaveBuilder, ListChannelGroupsBuilder,
    ListChannelsBuilder, Occupant, PubNub, SetStateBuilder, WhereNowBuilder,
};

fn send_sync<T: Send + Sync>() {}
fn send_unpin<T: Send + Unpin>() {}
fn spawnable<F: IntoFuture>(_: F)
where
    F::IntoFuture: Send + 'static,
{
}

#[test]
fn results_are_send_and_sync_and_builders_send_and_unpin() {
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
fn awaited_calls_can_be_spawned() {
    let pubnub = PubNub::builder()
        .subscribe_key("demo")
        .user_id("u")
        .build()
        .unwrap();
    spawnable(pubnub.here_now().channels(["c"]));
    spawnable(pubnub.where_now());
    spawnable(
        pubnub
            .set_state()
            .channels(["c"])
            .state(&serde_json::json!({})),
    );
    spawnable(pubnub.get_state().channels(["c"]));
    spawnable(pubnub.heartbeat().channels(["c"]));
    spawnable(pubnub.leave().channels(["c"]));
    spawnable(pubnub.add_channels_to_channel_group().channel_group("g"));
    spawnable(
        pubnub
            .remove_channels_from_channel_group()
            .channel_group("g"),
    );
    spawnable(pubnub.list_channels_in_channel_group().channel_group("g"));
    spawnable(pubnub.delete_channel_group().channel_group("g"));
    spawnable(pubnub.list_channel_groups());
}
