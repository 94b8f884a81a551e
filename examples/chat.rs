//! A chat room: two users, each with one subscription to the room and its
//! presence (chat lines and joins/leaves in one stream) and a publish sink;
//! one joins, they talk, one leaves.
//!
//! ```sh
//! cargo run --example chat
//! ```
//!
//! Runs against an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`).

use std::error::Error;
use std::time::Duration;

use futures::stream::BoxStream;
use futures::{SinkExt, StreamExt};
use pubnub_stream::{Event, PresenceAction, PubNub};
use serde::{Deserialize, Serialize};

mod support;

const ROOM: &str = "room-1";

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    from: String,
    text: String,
}

/// What a user's screen shows: chat lines and who came and went, from one
/// subscription to the room and its presence channel.
async fn screen(pubnub: &PubNub) -> Result<BoxStream<'static, String>, Box<dyn Error>> {
    let sub = pubnub
        .subscribe()
        .channels(ROOM)
        .with_presence()
        .with_statuses()
        .await?;
    let lines = sub.filter_map(|event| async move {
        match event {
            Event::Message(m) => Some(match m.decode::<Line>() {
                Ok(line) => format!("{}: {}", line.from, line.text),
                Err(e) => format!("(undecodable message: {e})"),
            }),
            Event::Presence(p) => match p.action {
                PresenceAction::Join { uuid, .. } => Some(format!("* {uuid} joined")),
                PresenceAction::Leave { uuid } => Some(format!("* {uuid} left")),
                PresenceAction::Timeout { uuid } => Some(format!("* {uuid} timed out")),
                _ => None,
            },
            Event::Status(status) => Some(format!("(status: {})", status.category())),
            _ => None,
        }
    });
    Ok(lines.boxed())
}

async fn expect(
    screen: &mut BoxStream<'static, String>,
    who: &str,
    want: &str,
) -> Result<(), Box<dyn Error>> {
    let wait = async {
        while let Some(line) = screen.next().await {
            println!("[{who}'s screen] {line}");
            if line.contains(want) {
                return Ok(());
            }
        }
        Err(format!("{who}'s subscription ended").into())
    };
    tokio::time::timeout(Duration::from_secs(10), wait).await?
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let backend = support::Backend::from_env().await?;
    let [alice, bob] = backend.clients(["alice", "bob"])?;

    let mut alice_screen = screen(&alice).await?;
    let mut bob_screen = screen(&bob).await?;
    expect(&mut alice_screen, "alice", "bob joined").await?;

    let mut alice_says = alice.publisher(ROOM).sink::<Line>();
    let mut bob_says = bob.publisher(ROOM).sink::<Line>();
    let line = |from: &str, text: &str| Line {
        from: from.into(),
        text: text.into(),
    };
    alice_says.send(line("alice", "hi bob")).await?;
    expect(&mut bob_screen, "bob", "hi bob").await?;
    bob_says.send(line("bob", "hi alice, gotta go")).await?;
    expect(&mut alice_screen, "alice", "gotta go").await?;
    bob_says.close().await?;

    // Bob leaves: unsubscribing sends a leave, and alice sees it.
    bob.unsubscribe().channels([ROOM]).await?;
    drop(bob_screen);
    expect(&mut alice_screen, "alice", "bob left").await?;
    alice_says.close().await?;
    Ok(())
}
