//! URL and query building: `cargo bench --bench url`.
//!
//! `ours`: the URI the client really sends (validation, size rule, path
//! encoding, common parameters with a fresh `requestid`), through the
//! `__bench` hooks. Baseline: one `format!` of the same parts with the same
//! percent-encoding and a fresh uuid, i.e. the least work that yields an
//! equivalent URI.

#[path = "support/settings.rs"]
mod settings;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use pubnub_stream::{__bench, PubNub};

const SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

fn enc(s: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(s, SET)
}

fn baseline_publish(channel: &str, message: &str) -> String {
    format!(
        "http://127.0.0.1:8090/publish/pub-key/sub-key/0/{}/0/{}?uuid={}&pnsdk={}&requestid={}&seqn=1",
        enc(channel),
        enc(message),
        enc("user-1"),
        enc("PubNub-Rust-Stream/0.1.0"),
        uuid::Uuid::new_v4()
    )
}

fn baseline_subscribe(channels: &[&str], tt: u64) -> String {
    let mut sorted: Vec<String> = channels.iter().map(|c| enc(c).to_string()).collect();
    sorted.sort_unstable();
    format!(
        "http://127.0.0.1:8090/v2/subscribe/sub-key/{}/0?uuid={}&pnsdk={}&requestid={}&tt={tt}&tr=1&heartbeat=300",
        sorted.join(","),
        enc("user-1"),
        enc("PubNub-Rust-Stream/0.1.0"),
        uuid::Uuid::new_v4()
    )
}

fn url(c: &mut Criterion) {
    let pubnub = match PubNub::builder()
        .subscribe_key("sub-key")
        .publish_key("pub-key")
        .user_id("user-1")
        .origin("127.0.0.1:8090")
        .secure(false)
        .build()
    {
        Ok(p) => p,
        Err(e) => panic!("client: {e}"),
    };
    let small = r#"{"text":"hello","n":1}"#.to_owned();
    let kib = format!(
        r#"{{"text":"{}"}}"#,
        "lorem ipsum dolor sit amet ".repeat(38)
    );
    let mut group = c.benchmark_group("url");
    for (name, message) in [("small", &small), ("1KiB", &kib)] {
        group.bench_function(format!("publish_{name}/ours"), |b| {
            b.iter(|| __bench::publish_uri(&pubnub, black_box("chat room"), black_box(message)))
        });
        group.bench_function(format!("publish_{name}/format"), |b| {
            b.iter(|| baseline_publish(black_box("chat room"), black_box(message)))
        });
    }
    let one = ["chat"];
    let ten: Vec<String> = (0..10).map(|i| format!("channel-{i}")).collect();
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    for (name, channels) in [("1ch", &one[..]), ("10ch", &ten[..])] {
        group.bench_function(format!("subscribe_{name}/ours"), |b| {
            b.iter(|| {
                __bench::subscribe_uri(&pubnub, black_box(channels), &[], 17_000_000_000_000_000, 1)
            })
        });
        group.bench_function(format!("subscribe_{name}/format"), |b| {
            b.iter(|| baseline_subscribe(black_box(channels), 17_000_000_000_000_000))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = settings::criterion();
    targets = url
}
criterion_main!(benches);
