//! Subscribe envelope decoding: `cargo bench --bench decode`.
//!
//! `ours`: the subscribe engine's response parser through
//! `__bench::parse_subscribe_events` (cursor + one [`Event`] per envelope,
//! payloads kept as `serde_json::Value`). Baseline: `serde_json::from_slice::<Value>`
//! of the same bytes, i.e. the cost of merely parsing the JSON. Target: ratio ≤ 1.0.

#[path = "support/fixtures.rs"]
mod fixtures;

#[path = "support/settings.rs"]
mod settings;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use fixtures::{subscribe_body, Payload};
use pubnub_stream::__bench::parse_subscribe_events;

fn decode(c: &mut Criterion) {
    for payload in [Payload::Small, Payload::Kib] {
        let mut group = c.benchmark_group(format!("decode/{}", payload.name()));
        for n in [1, 10, 100] {
            let body = subscribe_body(n, payload, "chat");
            match parse_subscribe_events(&body) {
                Ok(events) if events.len() == n => {}
                other => panic!("fixture does not decode to {n} events: {other:?}"),
            }
            group.throughput(Throughput::Bytes(body.len() as u64));
            group.bench_function(format!("{n}/ours"), |b| {
                b.iter(|| parse_subscribe_events(black_box(&body)))
            });
            group.bench_function(format!("{n}/serde_json_value"), |b| {
                b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)))
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = settings::criterion();
    targets = decode
}
criterion_main!(benches);
