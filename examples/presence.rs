//! Presence: alice watches the lobby (subscribed `with_presence`) while bob
//! joins, sets his state and leaves; the typed events are printed as they
//! arrive. Then the REST side: here_now, where_now, get_state, a channel group.
//!
//! ```text
//! cargo run --example presence
//! ```
//!
//! Runs against an embedded dev server unless `PUBNUB_SUBSCRIBE_KEY` is set
//! (then against the real PubNub network, which needs presence enabled).

use std::error::Error;
use std::time::Duration;

use futures::{Stream, StreamExt};
use pubnub_devserver::DevServer;
use pubnub_stream::{EventStreamExt, HereNowResult, PresenceAction, PresenceEvent, PubNub};
use serde::Serialize;

#[derive(Serialize)]
struct Mood {
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

fn describe(event: &PresenceEvent) -> String {
    let what = match &event.action {
        PresenceAction::Join { uuid, state: None } => format!("{uuid} joined"),
        PresenceAction::Join {
            uuid,
            state: Some(state),
        } => format!("{uuid} joined with {state}"),
        PresenceAction::Leave { uuid } => format!("{uuid} left"),
        PresenceAction::Timeout { uuid } => format!("{uuid} timed out"),
        PresenceAction::StateChange { uuid, state } => format!("{uuid} is now {state}"),
        PresenceAction::Interval { joined, left, .. } => {
            format!("interval: +{joined:?} -{left:?}")
        }
        other => format!("{} event", other.name()),
    };
    format!(
        "[{}] {what} (occupancy {}, at {})",
        event.channel, event.occupancy, event.timestamp
    )
}

/// Prints presence events until one by `uuid` with `action` arrives.
async fn print_until(
    events: &mut (impl Stream<Item = PresenceEvent> + Unpin),
    uuid: &str,
    action: &str,
) -> Result<(), Box<dyn Error>> {
    let wait = async {
        while let Some(event) = events.next().await {
            println!("  alice sees: {}", describe(&event));
            if event.uuid() == Some(uuid) && event.action.name() == action {
                return Ok(());
            }
        }
        Err("the subscription ended".into())
    };
    tokio::time::timeout(Duration::from_secs(10), wait).await?
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

    // Alice watches the lobby: messages and presence of `lobby`.
    let watching = alice
        .subscribe()
        .channels("lobby")
        .with_presence()
        .execute();
    watching.connected().await?;
    let mut events = watching.presence();

    // Bob subscribes (a join), sets his state (a state-change), ...
    let bob_in_lobby = bob.subscribe().channels(["lobby", "games"]).execute();
    bob_in_lobby.connected().await?;
    print_until(&mut events, "bob", "join").await?;
    let mood = Mood {
        mood: "curious",
        typing: false,
    };
    bob.set_state().channels(["lobby"]).state(&mood).await?;
    print_until(&mut events, "bob", "state-change").await?;

    // ... while the REST calls see him there.
    let lobby = alice
        .here_now()
        .channels(["lobby"])
        .include_state(true)
        .await?;
    show("here now on lobby", &lobby);
    println!("bob is on {:?}", alice.where_now().user_id("bob").await?);
    let states = alice.get_state().channels(["lobby"]).user_id("bob").await?;
    for (channel, state) in &states {
        println!("bob's state on {channel}, read by alice: {state}");
    }

    // A channel group answers here_now for all its channels at once.
    alice
        .add_channels_to_channel_group()
        .channel_group("everything")
        .channels(["lobby", "games"])
        .await?;
    show(
        "here now via the group",
        &alice.here_now().channel_groups(["everything"]).await?,
    );
    alice
        .delete_channel_group()
        .channel_group("everything")
        .await?;

    // Dropping bob's last subscription of the lobby sends a leave.
    drop(bob_in_lobby);
    print_until(&mut events, "bob", "leave").await?;
    show("global here now after bob left", &alice.here_now().await?);
    Ok(())
}
