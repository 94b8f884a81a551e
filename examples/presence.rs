//! Presence with the REST calls: who is here, where is someone, what state
//! they set, and channel groups.
//!
//! ```text
//! cargo run --example presence
//! ```
//!
//! Runs against an embedded dev server unless `PUBNUB_SUBSCRIBE_KEY` is set
//! (then against the real PubNub network, which needs presence enabled).

use std::error::Error;

use pubnub_devserver::DevServer;
use pubnub_stream::{HereNowResult, PubNub};
use serde::Serialize;

#[derive(Serialize)]
struct Status {
    mood: &'static str,
    typing: bool,
}

/// Two clients (alice and bob) for the real network when a key is set, else
/// for an embedded dev server (kept alive by the returned handle).
async fn connect() -> Result<(Option<DevServer>, PubNub, PubNub), Box<dyn Error>> {
    let (server, origin, key) = match std::env::var("PUBNUB_SUBSCRIBE_KEY") {
        Ok(key) => (None, None, key),
        Err(_) => {
            let server = DevServer::builder().start().await?;
            println!("using an embedded dev server at {}", server.origin());
            let origin = server.origin();
            (Some(server), Some(origin), "demo".to_owned())
        }
    };
    let client = |user: &str| {
        let builder = PubNub::builder().subscribe_key(key.clone()).user_id(user);
        match &origin {
            Some(origin) => builder.origin(origin.clone()).secure(false).build(),
            None => builder.build(),
        }
    };
    Ok((server, client("alice")?, client("bob")?))
}

fn show(title: &str, result: &HereNowResult) {
    println!(
        "{title}: {} channel(s), {} occupant(s)",
        result.total_channels, result.total_occupancy
    );
    for (channel, occupancy) in &result.channels {
        for occupant in &occupancy.occupants {
            match &occupant.state {
                Some(state) => println!("  {channel}: {} {state}", occupant.uuid),
                None => println!("  {channel}: {}", occupant.uuid),
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (_server, alice, bob) = connect().await?;

    // Setting state makes alice present on the channel and announces it.
    let state = Status {
        mood: "curious",
        typing: false,
    };
    let stored = alice.set_state().channels(["lobby"]).state(&state).await?;
    println!("alice's state on lobby: {stored}");

    // Bob announces himself with an explicit heartbeat on two channels.
    bob.heartbeat().channels(["lobby", "games"]).await?;

    let lobby = alice
        .here_now()
        .channels(["lobby"])
        .include_state(true)
        .await?;
    show("here now on lobby", &lobby);
    println!("bob is on {:?}", alice.where_now().user_id("bob").await?);
    let states = bob.get_state().channels(["lobby"]).user_id("alice").await?;
    for (channel, state) in &states {
        println!("alice's state on {channel}, read by bob: {state}");
    }

    // A channel group answers here_now for all its channels at once.
    alice
        .add_channels_to_channel_group()
        .channel_group("everything")
        .channels(["lobby", "games"])
        .await?;
    let everywhere = alice.here_now().channel_groups(["everything"]).await?;
    show("here now via the group", &everywhere);

    // Bob leaves; a global here_now (no channels, no groups) sees the rest.
    bob.leave().channels(["lobby", "games"]).await?;
    show("global here now after bob left", &alice.here_now().await?);
    alice
        .delete_channel_group()
        .channel_group("everything")
        .await?;
    println!("groups left: {:?}", alice.list_channel_groups().await?);
    Ok(())
}
