//! Combinator chains per event: `cargo bench --bench combinators`.
//!
//! `ours`: `events.messages().on_channel("chat").typed::<Chat>()` drained.
//! Baseline: a hand-written loop doing the same work on the same events
//! (match the variant, compare the channel, deserialize the payload).
//! Half the events are on another channel, so the filter has work to do.

#[path = "support/fixtures.rs"]
mod fixtures;

#[path = "support/settings.rs"]
mod settings;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use futures::{stream, StreamExt};
use pubnub_stream::__bench::parse_subscribe_events;
use pubnub_stream::{Event, EventStreamExt};
use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)] // fields are read by deserialization only
struct Chat {
    text: String,
    n: u64,
}

fn events(n: usize) -> Vec<Event> {
    let mut events = Vec::with_capacity(n);
    for channel in ["chat", "news"] {
        let body = fixtures::subscribe_body(n / 2, fixtures::Payload::Small, channel);
        match parse_subscribe_events(&body) {
            Ok(parsed) => events.extend(parsed),
            Err(e) => panic!("fixture: {e}"),
        }
    }
    events
}

fn chain(events: Vec<Event>) -> usize {
    let typed = stream::iter(events)
        .messages()
        .on_channel("chat")
        .typed::<Chat>();
    futures::executor::block_on(typed.filter(|r| futures::future::ready(r.is_ok())).count())
}

fn by_hand(events: Vec<Event>) -> usize {
    let mut ok = 0;
    for event in events {
        if let Event::Message(m) = event {
            if m.channel == "chat" && m.decode::<Chat>().is_ok() {
                ok += 1;
            }
        }
    }
    ok
}

fn combinators(c: &mut Criterion) {
    let n = 100;
    let input = events(n);
    assert_eq!(chain(input.clone()), n / 2);
    assert_eq!(by_hand(input.clone()), n / 2);
    let mut group = c.benchmark_group("combinators");
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("messages_on_channel_typed/ours", |b| {
        b.iter_batched(
            || input.clone(),
            |e| black_box(chain(e)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("messages_on_channel_typed/hand_loop", |b| {
        b.iter_batched(
            || input.clone(),
            |e| black_box(by_hand(e)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = settings::criterion();
    targets = combinators
}
criterion_main!(benches);
