//! A chat room with a memory: bob loads the last lines from history, then
//! follows the room live from exactly where history ended, and survives a
//! long pause (250 lines while his client sent no request, more than the
//! server's catch-up queue keeps) without missing or repeating a line.
//!
//! ```sh
//! cargo run --example history
//! ```
//!
//! Runs against an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`).

use std::error::Error;
use std::time::Duration;

use futures::{SinkExt, StreamExt, TryStreamExt};
use pubnub_stream::{Event, PubNub, Status, Subscription};
use serde::{Deserialize, Serialize};

mod support;

/// How many past lines bob's screen starts with.
const LAST_N: u64 = 10;

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    from: String,
    n: u64,
    text: String,
}

/// Alice says lines `range` in `room`, in order, each acknowledged.
async fn alice_says(
    alice: &PubNub,
    room: &str,
    range: std::ops::Range<u64>,
) -> Result<(), Box<dyn Error>> {
    let mut sink = alice.publisher(room).max_pending(32).sink::<Line>();
    for n in range {
        let text = format!("line {n}");
        sink.feed(Line {
            from: "alice".into(),
            n,
            text,
        })
        .await?;
    }
    sink.close().await?; // every line acknowledged
    Ok(())
}

/// Reads bob's screen until line `last`; returns the line numbers shown.
async fn bob_reads(room: &mut Subscription, last: u64) -> Result<Vec<u64>, Box<dyn Error>> {
    let mut shown = Vec::new();
    let read = async {
        while let Some(event) = room.next().await {
            match event {
                Event::Message(m) => {
                    let line: Line = m.decode()?;
                    if shown.len() < 3 || line.n + 2 > last {
                        println!("[bob] {}: {}", line.from, line.text);
                    } else if shown.len() == 3 {
                        println!("[bob] ...");
                    }
                    shown.push(line.n);
                    if line.n == last {
                        return Ok::<(), Box<dyn Error>>(());
                    }
                }
                Event::Status(Status::GapFilled {
                    from,
                    to,
                    recovered,
                    ..
                }) => println!(
                    "[bob] (read {recovered} lines back from history between {from} and {to}; \
                     lines sent without storage there would be missing)"
                ),
                Event::Status(status) => println!("[bob] (status: {})", status.category()),
                _ => {}
            }
        }
        Err("bob's subscription ended".into())
    };
    tokio::time::timeout(Duration::from_secs(30), read).await??;
    Ok(shown)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let backend = support::Backend::from_env().await?;
    let [alice, bob] = backend.clients(["alice", "bob"])?;
    // A fresh room per run (a standalone server keeps history between runs).
    let room = format!("history-room-{}", alice.time().await?);

    // Before bob arrives, alice has talked for a while (stored in history).
    alice_says(&alice, &room, 0..30).await?;

    // Bob loads the last lines: newest first from history, shown oldest first.
    let mut last: Vec<_> = bob.history(&room).limit(LAST_N).try_collect().await?;
    last.reverse();
    for stored in &last {
        let line: Line = stored.decode()?;
        println!("[bob, from history] {}: {}", line.from, line.text);
    }
    let newest = last.last().ok_or("no history")?.message.timetoken;

    // Then he follows the room live from exactly there (nothing missed in
    // between, nothing twice), gap-free: what the server drops while he is
    // away is read back from history.
    let mut screen = bob
        .subscribe()
        .channels(&room)
        .with_timetoken(newest)
        .gap_free()
        .await?;
    alice_says(&alice, &room, 30..35).await?;
    let live = bob_reads(&mut screen, 34).await?;
    assert_eq!(live, (30..35).collect::<Vec<_>>());

    // Bob's laptop sleeps: his client sends no request while alice says 250
    // lines, more than the 100 the server keeps for catching up.
    bob.disconnect();
    alice_says(&alice, &room, 35..285).await?;
    bob.reconnect();
    let caught_up = bob_reads(&mut screen, 284).await?;
    assert_eq!(
        caught_up,
        (35..285).collect::<Vec<_>>(),
        "every line, once, in order"
    );
    println!(
        "[bob] caught up on {} lines after the pause",
        caught_up.len()
    );
    Ok(())
}
