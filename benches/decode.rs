//! Subscribe envelope decoding: `cargo bench --bench decode`.
//!
//! `ours`: `parse_subscribe_response` (cursor + one [`Event`] per envelope,
//! payloads kept as `serde_json::Value`). Baseline: `serde_json::from_slice::<Value>`
//! of the same bytes, i.e. the cost of merely parsing the JSON. Target: ratio ≤ 1.0.

#[path = "support/fixtures.rs"]
mod fixtures;

#[path = "support/settings.rs"]
mod settings;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use fixtures::{subscribe_body, Payload};
use pubnub_stream::protocol::envelope::parse_subscribe_response;

fn decode(c: &mut Criterion) {
    for payload in [Payload::Small, Payload::Kib] {
        let mut group = c.benchmark_group(format!("decode/{}", payload.name()));
        for n in [1, 10, 100] {
            let body = subscribe_body(n, payload, "chat");
            match parse_subscribe_response(&body) {
                Ok(r) if r.events.len() == n => {}
                other => panic!("fixture does not decode to {n} events: {other:?}"),
            }
            group.throughput(Throughput::Bytes(body.len() as u64));
            group.bench_function(format!("{n}/ours"), |b| {
                b.iter(|| parse_subscribe_response(black_box(&body)))
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
