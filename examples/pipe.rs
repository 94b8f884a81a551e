//! Pipe JSON lines from stdin into a PubNub channel through a publish sink,
//! printing each acknowledgment with its publish timetoken.
//!
//! ```text
//! printf '{"n":1}\n{"n":2}\n' | cargo run --example pipe -- my-channel
//! ```
//!
//! Publishes to an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`). Lines that
//! are not JSON are reported on stderr and skipped.

use std::error::Error;

use futures::StreamExt;
use pubnub_stream::PublishSinkError;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

mod support;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let channel = std::env::args().nth(1).unwrap_or_else(|| "pipe".into());
    let backend = support::Backend::from_env().await?;
    let pubnub = backend.client("pipe-example")?;

    let mut sink = pubnub.publisher(&channel).max_pending(32).sink::<Value>();
    let acks = sink.acks();
    // Lines the sink cannot publish (over 32 KiB) come back here; the rest go on.
    let rejected = tokio::spawn(sink.rejected().for_each(|rejection| async move {
        eprintln!("not published ({}): {}", rejection.error, rejection.item);
    }));
    let printer = tokio::spawn(acks.for_each(|ack| async move {
        println!("#{} {} {}", ack.seq(), ack.channel(), ack.timetoken());
    }));

    let stdin = BufReader::new(tokio::io::stdin()).lines();
    let lines = futures::stream::unfold(stdin, |mut lines| async move {
        match lines.next_line().await {
            Ok(Some(line)) => Some((line, lines)),
            Ok(None) => None,
            Err(error) => {
                eprintln!("stdin: {error}");
                None
            }
        }
    });
    let messages = lines.filter_map(|line| async move {
        if line.trim().is_empty() {
            return None;
        }
        match serde_json::from_str::<Value>(&line) {
            Ok(value) => Some(Ok::<_, PublishSinkError<Value>>(value)),
            Err(error) => {
                eprintln!("skipping a line that is not JSON ({error}): {line}");
                None
            }
        }
    });

    // `forward` closes the sink at the end: every message is acknowledged
    // (or the error hands back what was not sent).
    if let Err(error) = messages.forward(sink).await {
        eprintln!("stopped: {error}");
        eprintln!("{} message(s) not acknowledged", error.into_items().len());
        std::process::exit(1);
    }
    printer.await?;
    rejected.await?;
    Ok(())
}
