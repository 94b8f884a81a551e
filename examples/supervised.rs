//! A supervised pipeline: a long-running forwarder that subscribes to an input
//! channel, decodes each reading, transforms it, and publishes the result to an
//! output channel through a publish sink. It prints every status, survives the
//! server going away and coming back (no message lost or duplicated: the
//! subscription resumes from its cursor, the sink retries in place), and ends
//! cleanly on Ctrl-C: the input stops, and everything already accepted by the
//! sink is published before the program exits.
//!
//! ```sh
//! cargo run --example supervised                           # runs until Ctrl-C
//! SUPERVISED_MESSAGES=10 cargo run --example supervised    # ends after 10 forwarded
//! ```
//!
//! A built-in sensor publishes one reading to the input channel every 200 ms
//! (and, first, one malformed reading, to show that it is reported, not lost).
//! With the embedded dev server (the default), the example stops the server
//! after the third forwarded message and restarts it a second later, to show
//! the recovery. Against another server (`PUBNUB_ORIGIN`, keys: see
//! `examples/support/mod.rs`), restart that server yourself to see the same.

use std::error::Error;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use pubnub_devserver::DevServer;
use pubnub_stream::{EventStreamExt, PubNub, RetryPolicy, Status};
use serde::{Deserialize, Serialize};

mod support;

const INPUT: &str = "sensors.raw";
const OUTPUT: &str = "sensors.fahrenheit";
/// With the embedded server: stop and restart it after this many forwarded messages.
const RESTART_AFTER: u64 = 3;

/// What arrives on the input channel.
#[derive(Debug, Serialize, Deserialize)]
struct Reading {
    sensor: String,
    seq: u64,
    celsius: f64,
}

/// What the forwarder publishes on the output channel.
#[derive(Debug, Serialize, Deserialize)]
struct Converted {
    sensor: String,
    seq: u64,
    fahrenheit: f64,
    too_hot: bool,
}

/// The transformation step.
fn convert(reading: Reading) -> Converted {
    let fahrenheit = reading.celsius * 9.0 / 5.0 + 32.0;
    Converted {
        sensor: reading.sensor,
        seq: reading.seq,
        fahrenheit,
        too_hot: fahrenheit > 100.0,
    }
}

fn describe(status: &Status) -> String {
    match status.error() {
        Some(error) => format!("{}: {error}", status.category()),
        None => status.category().to_owned(),
    }
}

/// `SUPERVISED_MESSAGES=N`: forward N messages, then stop.
fn message_limit() -> Result<Option<usize>, Box<dyn Error>> {
    match std::env::var("SUPERVISED_MESSAGES") {
        Ok(n) => match n.trim().parse::<usize>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(format!("SUPERVISED_MESSAGES={n}: expected a number").into()),
        },
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(e) => Err(format!("SUPERVISED_MESSAGES: {e}").into()),
    }
}

/// Stands in for a real sensor: one malformed reading, then `count` readings
/// (or readings forever), one every 200 ms. Its sink retries in place while the
/// server is away, so no reading is lost.
async fn sensor(pubnub: PubNub, count: Option<usize>) -> Result<(), Box<dyn Error + Send + Sync>> {
    pubnub
        .publish()
        .channel(INPUT)
        .message(&serde_json::json!({ "sensor": "garden", "celsius": "warm" }))
        .await?;
    let mut sink = pubnub
        .publisher(INPUT)
        .retry(RetryPolicy::exponential(
            Duration::from_millis(100),
            Duration::from_secs(2),
        ))
        .sink::<Reading>();
    let mut ticks = tokio::time::interval(Duration::from_millis(200));
    for seq in 0..count.map_or(u64::MAX, |n| n as u64) {
        ticks.tick().await;
        let celsius = 20.0 + (seq % 25) as f64;
        let reading = Reading {
            sensor: "garden".into(),
            seq,
            celsius,
        };
        // `feed` queues without waiting for the ack: readings keep coming
        // while earlier ones are retried.
        sink.feed(reading).await?;
    }
    sink.close().await?;
    Ok(())
}

/// Stops the embedded dev server and starts it again on the same port.
async fn outage(server: &DevServer) -> std::io::Result<()> {
    println!("-- stopping the dev server for a second --");
    server.stop().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    server.restart().await?;
    println!("-- dev server back --");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let limit = message_limit()?;
    let backend = support::Backend::from_env().await?;
    // Supervised: reconnect forever, backing off up to 5 s.
    let forwarder = backend
        .builder("forwarder")
        .reconnection(RetryPolicy::exponential(
            Duration::from_millis(250),
            Duration::from_secs(5),
        ))
        .build()?;

    // Connection statuses, once for the whole client.
    let mut statuses = forwarder.status_stream();
    tokio::spawn(async move {
        while let Some(status) = statuses.next().await {
            println!("status: {}", describe(&status));
        }
    });

    // Resolves once connected: no reading published after this is missed.
    let input = forwarder.subscribe().channels(INPUT).await?;
    let ended = input.termination();
    println!("forwarding {INPUT} -> {OUTPUT}; Ctrl-C to stop");

    // The output sink retries forever too (order kept), so an outage only delays.
    let output = forwarder
        .publisher(OUTPUT)
        .max_pending(32)
        .retry(RetryPolicy::exponential(
            Duration::from_millis(100),
            Duration::from_secs(5),
        ))
        .sink::<Converted>();
    let mut acks = output.acks();

    let sensor_client = backend.client("sensor")?;
    let sensor = tokio::spawn(async move {
        if let Err(error) = sensor(sensor_client, limit).await {
            eprintln!("the sensor stopped: {error}");
        }
    });

    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_ok() {
            println!("-- Ctrl-C: finishing what was accepted --");
        }
    };
    // subscribe -> decode -> transform -> forward into the sink. A reading that
    // does not decode is reported and skipped here, so one bad payload does not
    // stop a long-running forwarder (without this step, `forward` would stop
    // with an error that holds it).
    let pipeline = input
        .take_until(ctrl_c)
        .messages()
        .typed::<Reading>()
        .filter_map(|decoded| async move {
            match decoded {
                Ok(reading) => Some(Ok(convert(reading.payload))),
                Err(error) => {
                    let message = error.message();
                    eprintln!(
                        "skipped a malformed reading at {}: {error} (payload {})",
                        message.timetoken, message.payload
                    );
                    None
                }
            }
        })
        .take(limit.unwrap_or(usize::MAX));
    // `forward` closes the sink when the input ends: every message accepted is
    // published (or the error hands back the ones that were not).
    let forwarding = pipeline.forward(output);

    let server = backend.dev_server();
    let watching = async {
        let mut forwarded = 0u64;
        while let Some(ack) = acks.next().await {
            forwarded += 1;
            println!(
                "forwarded #{} to {} at {}",
                ack.seq(),
                ack.channel(),
                ack.timetoken()
            );
            if forwarded == RESTART_AFTER {
                if let Some(server) = server {
                    outage(server).await?;
                }
            }
        }
        Ok::<_, std::io::Error>(forwarded)
    };

    let (forwarded, watched) = tokio::join!(forwarding, watching);
    sensor.abort();
    if let Some(reason) = ended.reason() {
        eprintln!("the subscription ended: {}", describe(&reason));
    }
    let count = watched?;
    if let Err(error) = forwarded {
        eprintln!("the forwarder stopped: {error}");
        let unsent = error.into_items().len();
        return Err(format!("{count} message(s) forwarded, {unsent} not").into());
    }
    println!("done: {count} message(s) forwarded");
    Ok(())
}
