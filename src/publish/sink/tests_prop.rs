//! Property test: random failure patterns on several channels never break
//! per-channel order, never lose or duplicate an accepted message, and never
//! let more than `max_pending` messages be outstanding.

use std::collections::HashSet;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use proptest::prelude::*;

use super::error::PublishSinkError;
use super::rate_limit::RateLimit;
use super::testing::*;
use crate::retry::RetryPolicy;

const MAX_RETRIES: u32 = 3;

#[derive(Debug, Clone, Copy)]
enum Script {
    Ok,
    /// Refused by `start_send` (does not serialize).
    Unserializable,
    Retry(u32),
    Fatal,
}

impl Script {
    fn fails(self) -> bool {
        match self {
            Script::Ok | Script::Unserializable => false,
            Script::Retry(k) => k > MAX_RETRIES,
            Script::Fatal => true,
        }
    }
}

fn script() -> impl Strategy<Value = Script> {
    prop_oneof![
        8 => Just(Script::Ok),
        3 => (1u32..=MAX_RETRIES + 1).prop_map(Script::Retry),
        1 => Just(Script::Fatal),
        1 => Just(Script::Unserializable),
    ]
}

/// Random knobs of one run.
#[derive(Debug, Clone)]
struct Knobs {
    max_pending: usize,
    max_channels: usize,
    latency_ms: u64,
    /// Per-channel rate limit, 0 = none.
    per_second: u32,
}

fn case() -> impl Strategy<Value = (Vec<(usize, Script)>, Knobs)> {
    (1usize..=3).prop_flat_map(|channels| {
        let knobs = (
            1usize..=6,
            1usize..=3,
            0u64..=3,
            prop_oneof![Just(0u32), 1u32..50],
        )
            .prop_map(
                |(max_pending, max_channels, latency_ms, per_second)| Knobs {
                    max_pending,
                    max_channels,
                    latency_ms,
                    per_second,
                },
            );
        (prop::collection::vec((0..channels, script()), 0..30), knobs)
    })
}

/// The id of message `index`: unserializable ones get an id the fake refuses.
fn id_of(index: u32, script: Script) -> u32 {
    match script {
        Script::Unserializable => UNSERIALIZABLE + index,
        _ => index,
    }
}

fn run_case(messages: &[(usize, Script)], knobs: &Knobs) {
    let Knobs {
        max_pending,
        max_channels,
        ..
    } = *knobs;
    let fake = FakeSend {
        latency: Duration::from_millis(knobs.latency_ms),
        ..FakeSend::default()
    };
    for (id, (_, script)) in (0u32..).zip(messages) {
        match *script {
            Script::Ok | Script::Unserializable => {}
            Script::Retry(k) => fake.script(id, (0..k).map(|_| Step::Retry(None))),
            Script::Fatal => fake.script(id, [Step::Fatal]),
        }
    }
    let policy = RetryPolicy::linear(Duration::from_millis(10))
        .max_retries(MAX_RETRIES)
        .without_jitter();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("runtime");
    let (accepted, acks, error) = runtime.block_on(async {
        let mut cfg = config(policy, max_channels);
        cfg.rate_limit = RateLimit::per_second(knobs.per_second);
        // All on one channel: run as a single-channel sink does (no job wake-ups while busy).
        cfg.one_channel = messages.iter().all(|(channel, _)| *channel == 0);
        let mut sink = TestSink::new(&fake, cfg, max_pending);
        let acks = sink.0.acks();
        let mut accepted: Vec<Item> = Vec::new();
        let mut error = None;
        for (index, (channel, script)) in (0u32..).zip(messages) {
            let item = (format!("ch{channel}"), id_of(index, *script));
            match sink.feed(item.clone()).await {
                Ok(()) => accepted.push(item),
                Err(PublishSinkError::Rejected { item: back, .. }) => {
                    assert_eq!(back, item, "a refused item comes back unchanged");
                    assert!(matches!(script, Script::Unserializable));
                }
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
            assert!(sink.0.pending() <= max_pending);
            let outstanding = accepted.len() - fake.delivered().len();
            assert!(outstanding <= max_pending, "{outstanding} outstanding");
        }
        if error.is_none() {
            error = sink.close().await.err();
        }
        let acks = tokio::time::timeout(Duration::from_secs(3600), acks.collect::<Vec<_>>())
            .await
            .expect("the acks stream ends when the worker does");
        (accepted, acks, error)
    });

    // Every accepted item is acked exactly once or handed back, never both.
    let mut seen = HashSet::new();
    let mut acked_per_channel: Vec<Vec<u32>> = vec![Vec::new(); 3];
    for ack in &acks {
        let item = accepted
            .get(ack.seq() as usize)
            .expect("ack of an accepted item");
        assert_eq!(ack.channel(), item.0);
        assert!(seen.insert(item.1), "acked twice: {item:?}");
        let channel: usize = item.0[2..].parse().expect("channel index");
        acked_per_channel[channel].push(item.1);
    }
    let any_failing = accepted
        .iter()
        .any(|(_, id)| messages[*id as usize].1.fails());
    let returned = match error {
        None => Vec::new(),
        Some(PublishSinkError::Failed {
            failed,
            unacknowledged,
            in_doubt,
            channel,
            ..
        }) => {
            assert_eq!(channel, failed.0);
            assert!(
                messages[failed.1 as usize].1.fails(),
                "{failed:?} should not fail"
            );
            let mut all = vec![failed.clone()];
            all.extend(unacknowledged.iter().cloned());
            let (doubtful, unsent) = unacknowledged.split_at(in_doubt);
            assert!(
                doubtful.iter().all(|item| item.0 != failed.0),
                "the failed channel's head is the failed message"
            );
            assert!(
                unsent.windows(2).all(|w| w[0].1 < w[1].1),
                "unsent in accepted order"
            );
            all
        }
        Some(other) => panic!("unexpected error {other:?}"),
    };
    assert_eq!(
        !returned.is_empty(),
        any_failing,
        "an error exactly when a reached message fails"
    );
    for item in &returned {
        assert!(
            seen.insert(item.1),
            "both acked and returned, or returned twice: {item:?}"
        );
    }
    assert_eq!(seen.len(), accepted.len(), "nothing lost");

    // Per channel, the acked messages are the channel's first ones, in order.
    for (channel, acked) in acked_per_channel.iter().enumerate() {
        let name = format!("ch{channel}");
        let on_channel: Vec<u32> = accepted
            .iter()
            .filter(|i| i.0 == name)
            .map(|i| i.1)
            .collect();
        assert_eq!(acked[..], on_channel[..acked.len()], "{name}: order");
    }

    // The fake published exactly the acked messages, once each.
    let mut delivered: Vec<u32> = fake.delivered().into_iter().map(|(_, id)| id).collect();
    let mut acked: Vec<u32> = acks.iter().map(|a| accepted[a.seq() as usize].1).collect();
    delivered.sort_unstable();
    acked.sort_unstable();
    assert_eq!(delivered, acked);
    let state = fake.lock();
    assert_eq!(state.overlaps, 0, "one message in flight per channel");
    assert!(state.max_in_flight <= max_channels);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn order_and_accounting_hold_under_random_failures(
        (messages, knobs) in case()
    ) {
        run_case(&messages, &knobs);
    }
}
