//! Presence: alice watches the lobby (subscribed `with_presence`) while bob
//! joins, sets his state and leaves; the typed events are printed as they
//! arrive. Then the REST side: here_now, where_now, get_state, a channel group.
//!
//! ```text
//! cargo run --example presence
//! ```
//!
//! Runs against an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`); the real
//! PubNub network needs presence enabled on the keyset.

use std::error::Error;
use std::time::Duration;

use futures::{Stream, StreamExt};
use pubnub_stream::{EventStreamExt, HereNowResult, PresenceAction, PresenceEvent};
use serde::Serialize;

mod support;

#[derive(Serialize)]
struct Mood {
    mood: &'static str,
    typing: bool,
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
    let backend = support::Backend::from_env().await?;
    let [alice, bob] = backend.clients(["alice", "bob"])?;
    let bob_id = bob.config().user_id().to_owned();

    // Alice watches the lobby: messages and presence of `lobby`.
    let watching = alice.subscribe().channels("lobby").with_presence().await?;
    let mut events = watching.presence();

    // Bob subscribes (a join), sets his state (a state-change), ...
    let bob_in_lobby = bob.subscribe().channels(["lobby", "games"]).await?;
    print_until(&mut events, &bob_id, "join").await?;
    let mood = Mood {
        mood: "curious",
        typing: false,
    };
    bob.set_state().channels(["lobby"]).state(&mood).await?;
    print_until(&mut events, &bob_id, "state-change").await?;

    // ... while the REST calls see him there.
    let lobby = alice
        .here_now()
        .channels(["lobby"])
        .include_state(true)
        .await?;
    show("here now on lobby", &lobby);
    println!("bob is on {:?}", alice.where_now().user_id(&bob_id).await?);
    let states = alice
        .get_state()
        .channels(["lobby"])
        .user_id(&bob_id)
        .await?;
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
    print_until(&mut events, &bob_id, "leave").await?;
    show("global here now after bob left", &alice.here_now().await?);
    Ok(())
}
