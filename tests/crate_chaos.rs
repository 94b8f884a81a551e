//! Chaos: publish sinks forward messages over several channels while the dev
//! server, driven by a seeded random schedule, answers 5xx, 429 with
//! `Retry-After`, delays, drops connections before a request is handled,
//! in the middle of a response and in the middle of a long-poll, and stops
//! and restarts (it keeps its state across `restart()`).
//!
//! Checked at the end:
//! - each sink acknowledges every message once (no message is handed back:
//!   the sinks retry without limit);
//! - the subscriber, after dropping repeats by (publisher, `seqn`) as
//!   docs/guarantees.md tells users to, receives every acknowledged message
//!   exactly once and in publish order per channel, and nothing else; a
//!   repeat carries the same payload as the original (the `seqn` is stable
//!   across retries);
//! - every stop of the server shows on the status stream as an outage,
//!   followed by a recovery, and the stream ends connected.
//!
//! CI runs one short round with a random seed. Long mode:
//! `CHAOS_SEED=7 CHAOS_SECONDS=60 cargo test --release --test crate_chaos -- --nocapture`
//! runs rounds with seeds 7, 8, ... until the time is up. The seed is printed
//! on failure; `CHAOS_SEED=<seed>` replays that fault schedule.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use futures::{SinkExt, StreamExt};
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::{Event, PubNub, PublishSinkError, RetryPolicy, Status};
use serde_json::{json, Value};

/// Channels each round publishes on, one sink each.
const CHANNELS: [&str; 4] = ["chaos-a", "chaos-b", "chaos-c", "chaos-d"];
/// Messages per channel in one round.
const PER_CHANNEL: u64 = 150;
/// Longest a round may take before it counts as stuck.
const ROUND_LIMIT: Duration = Duration::from_secs(120);

/// What one round saw; summed over the rounds of a long run.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    published: u64,
    acknowledged: u64,
    received_raw: u64,
    repeats_dropped: u64,
    lost: u64,
    duplicates_after_dedupe: u64,
    order_violations: u64,
    faults: u64,
    restarts: u64,
    outage_statuses: u64,
    recoveries: u64,
    possible_gaps: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.published += o.published;
        self.acknowledged += o.acknowledged;
        self.received_raw += o.received_raw;
        self.repeats_dropped += o.repeats_dropped;
        self.lost += o.lost;
        self.duplicates_after_dedupe += o.duplicates_after_dedupe;
        self.order_violations += o.order_violations;
        self.faults += o.faults;
        self.restarts += o.restarts;
        self.outage_statuses += o.outage_statuses;
        self.recoveries += o.recoveries;
        self.possible_gaps += o.possible_gaps;
    }
}

fn is_outage(status: &Status) -> bool {
    matches!(
        status,
        Status::UnexpectedDisconnect { .. } | Status::Timeout { .. } | Status::NetworkIssues { .. }
    )
}

fn is_recovery(status: &Status) -> bool {
    matches!(
        status,
        Status::Reconnected { .. } | Status::Connected { .. }
    )
}

/// Whether the statuses so far end in an outage not yet followed by a recovery.
fn is_down(statuses: &[Status]) -> bool {
    statuses
        .iter()
        .rev()
        .find(|s| is_outage(s) || is_recovery(s))
        .is_some_and(is_outage)
}

/// Drops repeats by (publisher, seqn) within a bounded window, as a user
/// would; a repeat must carry the original's payload.
struct SeqnDedupe {
    window: VecDeque<(String, u64)>,
    seen: HashMap<(String, u64), Value>,
}

impl SeqnDedupe {
    const WINDOW: usize = 4096;

    fn new() -> Self {
        SeqnDedupe {
            window: VecDeque::new(),
            seen: HashMap::new(),
        }
    }

    /// Whether this message was seen before (panics if a repeat differs).
    fn is_repeat(&mut self, publisher: &str, seqn: u64, payload: &Value) -> bool {
        let key = (publisher.to_owned(), seqn);
        if let Some(first) = self.seen.get(&key) {
            assert_eq!(first, payload, "one seqn, two payloads: {key:?}");
            return true;
        }
        if self.window.len() == Self::WINDOW {
            if let Some(old) = self.window.pop_front() {
                self.seen.remove(&old);
            }
        }
        self.window.push_back(key.clone());
        self.seen.insert(key, payload.clone());
        false
    }
}

/// How far a round got, shared by its tasks: what a stuck round reports.
#[derive(Default)]
struct Progress {
    /// Acknowledgements per channel (indexed like `CHANNELS`).
    acked: [AtomicUsize; CHANNELS.len()],
    /// Every fault injected so far, in order.
    faults: Mutex<Vec<String>>,
}

impl Progress {
    fn acked(&self) -> usize {
        self.acked.iter().map(|a| a.load(Ordering::SeqCst)).sum()
    }

    fn fault(&self, what: String) {
        self.faults.lock().unwrap().push(what);
    }

    /// One line on how far the round got and what it was doing.
    fn report(&self, statuses: &Mutex<Vec<Status>>) -> String {
        let per_channel: Vec<String> = CHANNELS
            .iter()
            .zip(&self.acked)
            .map(|(c, a)| format!("{c} {}/{PER_CHANNEL}", a.load(Ordering::SeqCst)))
            .collect();
        let faults = self.faults.lock().unwrap();
        let last_faults = &faults[faults.len().saturating_sub(3)..];
        let statuses = statuses.lock().unwrap();
        let last_statuses = &statuses[statuses.len().saturating_sub(3)..];
        format!(
            "acknowledged {}; {} faults, the last {last_faults:?}; {} statuses, the last {last_statuses:?}",
            per_channel.join(", "),
            faults.len(),
            statuses.len(),
        )
    }
}

/// The seeded fault schedule: one random fault at a time, each after the
/// sinks made a random amount of progress.
async fn inject_faults(
    server: &DevServer,
    mut rng: fastrand::Rng,
    progress: &Progress,
    done: &AtomicBool,
    statuses: &Mutex<Vec<Status>>,
) -> (u64, u64, u64) {
    let (mut faults, mut restarts, mut unnoticed) = (0, 0, 0);
    let f = server.faults();
    while !done.load(Ordering::SeqCst) {
        // Wait for progress (or the end): faults land while messages flow.
        let target = progress.acked() + rng.usize(1..=12);
        while progress.acked() < target && !done.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        if done.load(Ordering::SeqCst) {
            break;
        }
        let class = *rng
            .choice(&[RouteClass::Publish, RouteClass::Subscribe, RouteClass::Any])
            .unwrap_or(&RouteClass::Any);
        faults += 1;
        match rng.u8(0..16) {
            0..=2 => {
                let status = *rng.choice(&[500u16, 502, 503, 504]).unwrap_or(&500);
                let times = rng.usize(1..=3);
                progress.fault(format!("{class:?}: {status} x{times}"));
                f.fail_next(class, times, status, r#"{"status":503,"error":true}"#);
            }
            3 => {
                // Mostly `Retry-After: 0`; sometimes a whole second.
                let secs = u64::from(rng.u8(0..8) == 0);
                progress.fault(format!("{class:?}: 429, Retry-After {secs}"));
                f.rate_limit_next(class, 1, secs);
            }
            4..=5 => {
                let delay = Duration::from_millis(rng.u64(1..40));
                progress.fault(format!("{class:?}: delay {delay:?}"));
                f.delay(class, delay);
            }
            6 => {
                progress.fault(format!("{class:?}: no delay"));
                f.clear_delay(class);
            }
            7..=8 => {
                let times = rng.usize(1..=2);
                progress.fault(format!("{class:?}: drop before the request x{times}"));
                f.drop_next(class, times);
            }
            9..=11 => {
                let times = rng.usize(1..=2);
                progress.fault(format!("{class:?}: drop mid-response x{times}"));
                f.drop_mid_response(class, times);
            }
            12..=13 => {
                // Mid long-poll: close the held subscribe connections, if any.
                let closed = f.drop_in_flight(RouteClass::Subscribe);
                progress.fault(format!("drop {closed:?} held long-polls"));
            }
            _ => {
                progress.fault("stopping the server".into());
                server.stop().await;
                restarts += 1;
                // Restart once the subscriber reports the outage (it may be
                // in one already, from an earlier fault).
                progress.fault("stopped; waiting for the outage status".into());
                let noticed = async {
                    while !is_down(&statuses.lock().unwrap()) {
                        tokio::time::sleep(Duration::from_millis(2)).await;
                    }
                };
                if tokio::time::timeout(Duration::from_secs(5), noticed)
                    .await
                    .is_err()
                {
                    unnoticed += 1;
                }
                server.restart().await.expect("restart on the same port");
                progress.fault("restarted".into());
            }
        }
    }
    f.clear();
    (faults, restarts, unnoticed)
}

async fn round(seed: u64) -> Counts {
    let cpu_at_start = cpu_time();
    let server = server_builder()
        .queue_len(1_000_000)
        .max_response_messages(1000)
        .history_len(1_000_000)
        .long_poll_hold(Duration::from_millis(300))
        .start()
        .await
        .expect("dev server starts");
    let fast = RetryPolicy::linear(Duration::from_millis(10))
        .without_jitter()
        .unlimited();

    let subscriber = builder(&server)
        .user_id("chaos-subscriber")
        .reconnection(fast.clone())
        .request_timeout(Duration::from_secs(2))
        .build()
        .expect("client builds");
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let mut status_stream = subscriber.status_stream();
    let status_task = tokio::spawn({
        let statuses = Arc::clone(&statuses);
        async move {
            while let Some(status) = status_stream.next().await {
                statuses.lock().unwrap().push(status);
            }
        }
    });
    let sub = within(
        subscriber
            .subscribe()
            .channels(CHANNELS)
            .buffer_size(100_000),
    )
    .await
    .expect("subscriber connects");

    let publisher: PubNub = builder(&server)
        .user_id("chaos-publisher")
        .request_timeout(Duration::from_secs(2))
        .build()
        .expect("client builds");
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let rng = fastrand::Rng::with_seed(seed);
    let chaos = {
        let (progress, done, statuses) = (
            Arc::clone(&progress),
            Arc::clone(&done),
            Arc::clone(&statuses),
        );
        let server = &server;
        async move { inject_faults(server, rng, &progress, &done, &statuses).await }
    };
    let sinks = futures::future::join_all(CHANNELS.iter().enumerate().map(|(n, &channel)| {
        let progress = Arc::clone(&progress);
        let mut sink = publisher
            .publisher(channel)
            .max_pending(8)
            .retry(fast.clone())
            .sink::<Value>();
        let acks = sink.acks();
        async move {
            let counter = acks.inspect(move |_| {
                progress.acked[n].fetch_add(1, Ordering::SeqCst);
            });
            let collect = tokio::spawn(counter.collect::<Vec<_>>());
            let mut items = futures::stream::iter(
                (0..PER_CHANNEL).map(|i| Ok(json!({ "c": channel, "i": i }))),
            );
            let sent = sink.send_all(&mut items).await;
            let closed = sink.close().await;
            let handed_back = match (sent, closed) {
                (Ok(()), Ok(())) => 0,
                (Err(e), _) | (_, Err(e)) => match e {
                    PublishSinkError::Failed { unacknowledged, .. } => unacknowledged.len() + 1,
                    other => panic!("{channel}: {other:?}"),
                },
            };
            (channel, collect.await.expect("acks"), handed_back)
        }
    }));
    let publishing = async {
        let out = sinks.await;
        done.store(true, Ordering::SeqCst);
        out
    };
    let (results, (faults, restarts, unnoticed)) =
        tokio::time::timeout(ROUND_LIMIT, futures::future::join(publishing, chaos))
            .await
            .unwrap_or_else(|_| {
                let cpu = match (cpu_at_start, cpu_time()) {
                    (Some(start), Some(now)) => format!("{:.1?}", now.saturating_sub(start)),
                    _ => "unknown".into(),
                };
                panic!(
                    "seed {seed}: round stuck after {ROUND_LIMIT:?}, in which the process got {cpu} of CPU: {}",
                    progress.report(&statuses)
                )
            });

    // Every acknowledged message, per channel: the indices in publish order.
    let mut counts = Counts {
        faults,
        restarts,
        ..Counts::default()
    };
    let mut expected: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for (channel, acks, handed_back) in &results {
        assert_eq!(
            *handed_back, 0,
            "seed {seed}: {channel} handed messages back"
        );
        assert_eq!(
            acks.len() as u64,
            PER_CHANNEL,
            "seed {seed}: {channel} acks"
        );
        let seqs: HashSet<u64> = acks.iter().map(|a| a.seq()).collect();
        assert_eq!(
            seqs.len(),
            acks.len(),
            "seed {seed}: {channel}: an ack twice"
        );
        counts.published += PER_CHANNEL;
        counts.acknowledged += acks.len() as u64;
        expected.insert(channel, (0..PER_CHANNEL).collect());
    }

    // Read until every acknowledged message arrived (repeats dropped).
    let mut dedupe = SeqnDedupe::new();
    let mut got: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let total = counts.acknowledged;
    let mut events = sub;
    let mut delivered = 0u64;
    let reading = async {
        while delivered < total {
            match events.next().await {
                Some(Event::Message(m)) => {
                    counts.received_raw += 1;
                    let publisher = m.publisher.clone().unwrap_or_default();
                    let seqn = m.sequence.expect("the sink sends a seqn");
                    if dedupe.is_repeat(&publisher, seqn, &m.payload) {
                        counts.repeats_dropped += 1;
                        continue;
                    }
                    let i = m.payload["i"].as_u64().expect("index");
                    got.entry(m.channel.clone()).or_default().push(i);
                    delivered += 1;
                }
                // A response of 100+ events: the dev server's queue is larger
                // than PubNub's, so here nothing was dropped (checked below).
                Some(Event::Status(Status::PossibleGap { .. })) => counts.possible_gaps += 1,
                Some(Event::Status(s)) => panic!("seed {seed}: subscription status {s:?}"),
                Some(_) => {}
                None => panic!("seed {seed}: subscription ended"),
            }
        }
    };
    if tokio::time::timeout(ROUND_LIMIT, reading).await.is_err() {
        eprintln!(
            "seed {seed}: timed out reading; got {delivered} of {total}: {}",
            progress.report(&statuses)
        );
    }
    for (channel, want) in &expected {
        let have = got.get(*channel).cloned().unwrap_or_default();
        let unique: HashSet<u64> = have.iter().copied().collect();
        counts.duplicates_after_dedupe += (have.len() - unique.len()) as u64;
        counts.lost += want.iter().filter(|i| !unique.contains(i)).count() as u64;
        counts.order_violations += have.windows(2).filter(|w| w[0] >= w[1]).count() as u64;
    }

    // Statuses: the subscription is caught up, so the loop is connected again:
    // the last outage is followed by a recovery (waited for: the status
    // stream is a channel of its own).
    let recovered = tokio::time::timeout(SAFETY, async {
        while is_down(&statuses.lock().unwrap()) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await;
    status_task.abort();
    let statuses = statuses.lock().unwrap().clone();
    assert!(
        recovered.is_ok(),
        "seed {seed}: the last outage has no recovery: {statuses:?}"
    );
    counts.outage_statuses = statuses.iter().filter(|s| is_outage(s)).count() as u64;
    counts.recoveries = statuses
        .iter()
        .filter(|s| matches!(s, Status::Reconnected { .. }))
        .count() as u64;
    assert_eq!(
        unnoticed, 0,
        "seed {seed}: {unnoticed} of {restarts} server stops showed no outage status"
    );
    counts
}

/// Runs one round, printing the seed if it fails.
async fn checked_round(seed: u64) -> Counts {
    struct PrintSeed(u64, bool);
    impl Drop for PrintSeed {
        fn drop(&mut self) {
            if !self.1 {
                eprintln!(
                    "chaos failed with seed {0}: rerun with CHAOS_SEED={0}",
                    self.0
                );
            }
        }
    }
    let mut guard = PrintSeed(seed, false);
    let counts = round(seed).await;
    let clean =
        counts.lost == 0 && counts.duplicates_after_dedupe == 0 && counts.order_violations == 0;
    assert!(clean, "seed {seed}: {counts:?}");
    guard.1 = true;
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_message_arrives_once_in_order_under_chaos() {
    // `RUST_LOG=pubnub_stream=debug` shows what the client did in a failing round.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    let budget = std::env::var("CHAOS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs);
    let started = Instant::now();
    let mut total = Counts::default();
    let mut seeds = Vec::new();
    loop {
        let s = seed.wrapping_add(seeds.len() as u64);
        let counts = checked_round(s).await;
        eprintln!("chaos seed {s}: {counts:?}");
        total.add(&counts);
        seeds.push(s);
        if budget.is_none_or(|b| started.elapsed() >= b) {
            break;
        }
    }
    eprintln!(
        "chaos total: {} rounds (seeds {}..={}) in {:.0?}: {total:?}",
        seeds.len(),
        seeds.first().copied().unwrap_or_default(),
        seeds.last().copied().unwrap_or_default(),
        started.elapsed()
    );
}
