//! Soak (ignored by default; minutes): one client, a publish sink over 8
//! channels and a subscription to them, `SOAK_MESSAGES` messages (default
//! 1,000,000) through the dev server. Every message arrives once, in order
//! per channel;
//! resident memory and open descriptors, sampled every tenth of the run,
//! stay flat. Run it with
//! `nice -n 19 cargo test --release --test crate_soak -- --ignored --nocapture`
//! (docs/guarantees.md has a recorded series).

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures::{SinkExt, StreamExt};
use pubnub_stream::{EventStreamExt, Outgoing};

/// Channels the sink publishes over (one sink: messages of different
/// channels go out concurrently, each channel in order).
const CHANNELS: u64 = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a soak of minutes: run with --ignored"]
async fn a_million_messages_through_one_sink_and_one_subscription_with_flat_memory() {
    let total: u64 = std::env::var("SOAK_MESSAGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let server = server_builder()
        // The dev server runs in this process: keep its own buffers small.
        .queue_len(2000)
        .max_response_messages(1000)
        .history_len(100)
        .request_log_bytes(256 * 1024)
        .start()
        .await
        .expect("dev server starts");
    let pubnub = subscriber(&server);
    let channels: Vec<String> = (0..CHANNELS).map(|c| format!("soak-{c}")).collect();
    let sub = within(
        pubnub
            .subscribe()
            .channels(channels.clone())
            .buffer_size(20_000),
    )
    .await
    .expect("connects");
    let mut messages = sub.messages();
    let mut sink = pubnub.multi_publisher().max_pending(256).sink::<u64>();
    let publishing = tokio::spawn(async move {
        let mut items = futures::stream::iter(
            (0..total)
                .map(move |i| Ok(Outgoing::new(channels[(i % CHANNELS) as usize].clone(), i))),
        );
        sink.send_all(&mut items).await.expect("all published");
        sink.close().await.expect("all acknowledged");
    });

    let started = Instant::now();
    let step = (total / 10).max(1);
    let mut samples = vec![(0u64, rss_kib(), open_fds(), Duration::ZERO)];
    // The next index expected on each channel (channel c carries c, c + 8, ...).
    let mut next_on: Vec<u64> = (0..CHANNELS).collect();
    let mut next = 0u64;
    while next < total {
        let m = tokio::time::timeout(Duration::from_secs(60), messages.next())
            .await
            .expect("a message within a minute")
            .expect("stream open");
        let i = m.payload.as_u64().expect("an index");
        let expected = &mut next_on[(i % CHANNELS) as usize];
        assert_eq!(i, *expected, "lost or repeated on {}", m.channel);
        *expected += CHANNELS;
        next += 1;
        if next.is_multiple_of(step) {
            samples.push((next, rss_kib(), open_fds(), started.elapsed()));
        }
    }
    within(publishing).await.expect("publisher task");
    eprintln!("messages | RSS KiB | open fds | elapsed");
    for (n, rss, fds, at) in &samples {
        eprintln!("{n} | {rss} | {fds} | {at:.1?}");
    }
    // Flat: after warm-up (the first tenth), RSS grows by less than 16 MiB
    // and the descriptor count by at most 2 (a pooled connection replaced).
    let warm = samples.get(1).copied().expect("a warm sample");
    let last = samples.last().copied().expect("a last sample");
    assert!(
        last.1 < warm.1 + 16 * 1024,
        "RSS grew from {} to {} KiB",
        warm.1,
        last.1
    );
    assert!(
        last.2 <= warm.2 + 2,
        "fds grew from {} to {}",
        warm.2,
        last.2
    );
}
