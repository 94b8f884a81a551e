//! `pn bench pub|sub|latency`: N messages of S bytes over C channels from P
//! publishers to S subscribers, against the embedded dev server (default)
//! or any origin; prints throughput, latency percentiles and lost and
//! duplicated counts.

mod stats;

use std::cell::RefCell;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use futures::{SinkExt, StreamExt};
use pubnub_devserver::DevServer;
use pubnub_stream::{EventStreamExt, Outgoing, PubNub};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::failure::{Exit, Failure};
use crate::target::{self, Target};
use stats::{ms, rate, Latencies, Seen};

/// How long subscribers may stay silent, once publishing is over, before
/// the messages still missing are counted as lost.
const QUIET: Duration = Duration::from_secs(3);

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// Publish throughput through the publish sink, and publish→ack latency.
    Pub,
    /// Delivery to subscribers while publishers go flat out: throughput,
    /// publish→receive latency, lost and duplicated messages.
    Sub,
    /// Publish→receive latency, one message at a time.
    Latency,
}

/// Measure publish and delivery.
#[derive(Debug, Args)]
#[command(after_help = "\
Without an origin or keys (flags or PUBNUB_* variables), the bench starts its
own dev server in the process; otherwise it runs against that origin (mind
your keyset's quotas). Channels are named bench-<random>-<n>.

Examples:
  pn bench pub
  pn bench sub --msgs 20000 --channels 4 --pubs 2 --subs 3
  pn bench latency --msgs 500 --size 1024
  PUBNUB_ORIGIN=http://127.0.0.1:8090 pn bench pub --max-pending 256")]
pub(crate) struct BenchArgs {
    /// pub, sub or latency.
    #[arg(value_enum)]
    mode: Mode,
    /// Messages in all (default 10000; latency: 1000).
    #[arg(long, short = 'n', value_name = "N")]
    msgs: Option<u64>,
    /// Bytes of each message's JSON (at least 64, at most 30000).
    #[arg(long, default_value_t = 128, value_name = "BYTES")]
    size: usize,
    /// Channels the messages are spread over.
    #[arg(long, default_value_t = 1, value_name = "C")]
    channels: usize,
    /// Publishers, each its own client.
    #[arg(long, default_value_t = 1, value_name = "P")]
    pubs: usize,
    /// Subscribers (sub and latency), each its own client on every channel.
    #[arg(long, default_value_t = 1, value_name = "S")]
    subs: usize,
    /// Messages in flight per publisher (pub and sub).
    #[arg(long, default_value_t = 64, value_name = "N")]
    max_pending: usize,
}

/// The smallest message: the fields without padding.
const MIN_SIZE: usize = 64;
/// Room below the service's 32 KiB for the channel and escaping.
const MAX_SIZE: usize = 30_000;

/// Runs `pn bench`.
pub(crate) async fn run(args: BenchArgs, target: &Target) -> Result<(), Failure> {
    let msgs = args.msgs.unwrap_or(match args.mode {
        Mode::Latency => 1_000,
        _ => 10_000,
    });
    if !(MIN_SIZE..=MAX_SIZE).contains(&args.size) {
        return Err(Failure::usage(format!(
            "--size must be between {MIN_SIZE} and {MAX_SIZE} bytes"
        )));
    }
    if msgs == 0 || args.channels == 0 || args.pubs == 0 || args.max_pending == 0 {
        return Err(Failure::usage(
            "--msgs, --channels, --pubs and --max-pending must be at least 1",
        ));
    }
    if args.mode != Mode::Pub && args.subs == 0 {
        return Err(Failure::usage(
            "--subs must be at least 1 for sub and latency",
        ));
    }
    if args.mode == Mode::Latency && args.pubs != 1 {
        return Err(Failure::usage("latency runs with one publisher (--pubs 1)"));
    }
    // An embedded dev server unless the settings name a server.
    let (_server, target) = if target.is_local_default() {
        let server = DevServer::builder()
            .start()
            .await
            .map_err(|e| Failure::new(Exit::Failed, format!("cannot start a dev server: {e}")))?;
        let origin = server.origin();
        (Some(server), target.at_local(origin))
    } else {
        (None, target.clone())
    };
    let plan = Plan::new(&args, msgs);
    let where_ = match &_server {
        Some(_) => format!("an embedded dev server ({})", target.url()),
        None => target.url(),
    };
    println!(
        "pn bench {}: {} msgs of {} B over {} channel(s), {} publisher(s), {} subscriber(s), against {where_}",
        args.mode.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default(),
        plan.total(),
        args.size,
        args.channels,
        args.pubs,
        if args.mode == Mode::Pub { 0 } else { args.subs },
    );
    match args.mode {
        Mode::Pub => bench_pub(&plan, &target).await,
        Mode::Sub => bench_sub(&plan, &target).await,
        Mode::Latency => bench_latency(&plan, &target).await,
    }
}

/// The shape of a run.
#[derive(Debug)]
struct Plan {
    channels: Vec<String>,
    publishers: usize,
    per_publisher: u64,
    subscribers: usize,
    size: usize,
    max_pending: usize,
    /// The instant message timestamps count from.
    epoch: Instant,
}

impl Plan {
    fn new(args: &BenchArgs, msgs: u64) -> Plan {
        let run = uuid::Uuid::new_v4().simple().to_string();
        let run = run.get(..8).unwrap_or(&run).to_owned();
        let publishers = args.pubs;
        Plan {
            channels: (0..args.channels)
                .map(|n| format!("bench-{run}-{n}"))
                .collect(),
            publishers,
            per_publisher: (msgs / publishers as u64).max(1),
            subscribers: args.subs,
            size: args.size,
            max_pending: args.max_pending,
            epoch: Instant::now(),
        }
    }

    fn total(&self) -> u64 {
        self.per_publisher.saturating_mul(self.publishers as u64)
    }

    /// Message `seq` of publisher `publisher`: its channel and its JSON,
    /// padded to the planned size, stamped with the time since the epoch.
    fn message(&self, publisher: usize, seq: u64) -> Outgoing<Value> {
        let index = usize::try_from(seq).unwrap_or(0).wrapping_add(publisher);
        let channel = self
            .channels
            .get(index % self.channels.len().max(1))
            .cloned()
            .unwrap_or_default();
        let micros = u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX);
        let mut message = json!({ "p": publisher, "s": seq, "t": micros, "pad": "" });
        let used = message.to_string().len();
        message["pad"] = Value::String("x".repeat(self.size.saturating_sub(used)));
        Outgoing::new(channel, message)
    }

    fn client(&self, target: &Target, role: &str, n: usize) -> Result<PubNub, Failure> {
        target::build(target.builder_as(&format!("{}-{role}{n}", target.user_id())))
    }
}

/// `pn bench pub`: every publisher through its sink at once.
async fn bench_pub(plan: &Plan, target: &Target) -> Result<(), Failure> {
    let started = Instant::now();
    let runs = (0..plan.publishers).map(|p| publish_all(plan, target, p));
    let mut latencies = Latencies::default();
    for result in futures::future::join_all(runs).await {
        latencies.extend(result?);
    }
    let elapsed = started.elapsed();
    println!(
        "publish: {} msgs in {:.2} s: {}",
        plan.total(),
        elapsed.as_secs_f64(),
        rate(plan.total(), plan.size, elapsed)
    );
    println!("  publish→ack latency: {}", latencies.summary());
    Ok(())
}

/// One publisher's messages through one multi-channel sink; the publish→ack
/// latency of each.
async fn publish_all(plan: &Plan, target: &Target, publisher: usize) -> Result<Latencies, Failure> {
    let pubnub = plan.client(target, "pub", publisher)?;
    let mut sink = pubnub
        .multi_publisher()
        .max_pending(plan.max_pending)
        .max_channels_in_flight(plan.channels.len())
        .stop_on_reject()
        .sink::<Value>();
    let mut acks = sink.acks();
    // When each accepted message was handed to the sink, by its seq (pushed
    // before the hand-off, so an ack always finds its entry).
    let sent_at = RefCell::new(Vec::<Instant>::new());
    let collect = async {
        let mut latencies = Latencies::default();
        while let Some(ack) = acks.next().await {
            let sent = usize::try_from(ack.seq())
                .ok()
                .and_then(|i| sent_at.borrow().get(i).copied());
            if let Some(sent) = sent {
                latencies.push(sent.elapsed());
            }
        }
        latencies
    };
    let what = format!("bench publisher {publisher}");
    let feed = async {
        for seq in 0..plan.per_publisher {
            let message = plan.message(publisher, seq);
            sent_at.borrow_mut().push(Instant::now());
            sink.feed(message)
                .await
                .map_err(|e| sink_failure(target, &what, e))?;
        }
        sink.close()
            .await
            .map_err(|e| sink_failure(target, &what, e))?;
        drop(sink);
        Ok::<(), Failure>(())
    };
    let (fed, latencies) = futures::join!(feed, collect);
    fed?;
    Ok(latencies)
}

fn sink_failure(
    target: &Target,
    what: &str,
    error: pubnub_stream::PublishSinkError<Outgoing<Value>>,
) -> Failure {
    match error.error() {
        Some(cause) => Failure::request(target, what, cause),
        None => Failure::new(Exit::Failed, format!("{what} failed: {error}")),
    }
}

/// One arrival, from a subscriber task to the tally.
#[derive(Debug)]
struct Receipt {
    subscriber: usize,
    publisher: u64,
    seq: u64,
    latency: Duration,
    at: Instant,
}

/// Subscribes `plan.subscribers` clients to every channel; their receipts come on the returned channel.
async fn subscribe_all(
    plan: &Plan,
    target: &Target,
) -> Result<
    (
        mpsc::UnboundedReceiver<Receipt>,
        Vec<tokio::task::JoinHandle<()>>,
    ),
    Failure,
> {
    let (sender, receipts) = mpsc::unbounded_channel();
    let mut tasks = Vec::new();
    for n in 0..plan.subscribers {
        let pubnub = plan.client(target, "sub", n)?;
        let subscription = pubnub
            .subscribe()
            .channels(plan.channels.clone())
            .buffer_size(65_536)
            .await
            .map_err(|e| Failure::connect(target, "bench subscribe", &e))?;
        let (sender, epoch) = (sender.clone(), plan.epoch);
        tasks.push(tokio::spawn(async move {
            let _client = pubnub;
            let mut messages = subscription.messages();
            while let Some(message) = messages.next().await {
                let at = Instant::now();
                let field = |name: &str| message.payload.get(name).and_then(Value::as_u64);
                let (Some(publisher), Some(seq), Some(t)) = (field("p"), field("s"), field("t"))
                else {
                    continue;
                };
                let now = u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX);
                let receipt = Receipt {
                    subscriber: n,
                    publisher,
                    seq,
                    latency: Duration::from_micros(now.saturating_sub(t)),
                    at,
                };
                if sender.send(receipt).is_err() {
                    break;
                }
            }
        }));
    }
    Ok((receipts, tasks))
}

/// `pn bench sub`: publishers flat out, subscribers counting.
async fn bench_sub(plan: &Plan, target: &Target) -> Result<(), Failure> {
    let (mut receipts, tasks) = subscribe_all(plan, target).await?;
    let mut seen: Vec<Seen> = (0..plan.subscribers)
        .map(|_| Seen::new(plan.publishers, plan.per_publisher))
        .collect();
    let mut latencies = Latencies::default();
    let started = Instant::now();
    let publishing =
        futures::future::join_all((0..plan.publishers).map(|p| publish_all(plan, target, p)));
    tokio::pin!(publishing);
    let mut published = None;
    loop {
        let complete = seen.iter().all(Seen::complete);
        if complete && published.is_some() {
            break;
        }
        tokio::select! {
            done = &mut publishing, if published.is_none() => {
                for result in done {
                    result?;
                }
                published = Some(started.elapsed());
            }
            receipt = tokio::time::timeout(QUIET, receipts.recv()) => match receipt {
                Ok(Some(r)) => {
                    if let Some(s) = seen.get_mut(r.subscriber) {
                        if s.record(r.publisher, r.seq, r.at) {
                            latencies.push(r.latency);
                        }
                    }
                }
                // Quiet for too long after publishing: the rest is lost.
                Err(_) if published.is_some() => break,
                Err(_) => {}
                Ok(None) => break,
            },
        }
    }
    for task in tasks {
        task.abort();
    }
    let published = published.unwrap_or_else(|| started.elapsed());
    println!(
        "publish: {} msgs in {:.2} s: {}",
        plan.total(),
        published.as_secs_f64(),
        rate(plan.total(), plan.size, published)
    );
    for (n, s) in seen.iter().enumerate() {
        let elapsed = s
            .last
            .map_or(Duration::ZERO, |last| last.duration_since(started));
        println!(
            "receive: sub {n}: {} msgs in {:.2} s: {}; lost {}, duplicated {}",
            s.unique,
            elapsed.as_secs_f64(),
            rate(s.unique, plan.size, elapsed),
            s.lost(),
            s.duplicated
        );
    }
    println!("  publish→receive latency: {}", latencies.summary());
    Ok(())
}

/// `pn bench latency`: one message at a time, each awaited by every subscriber.
async fn bench_latency(plan: &Plan, target: &Target) -> Result<(), Failure> {
    let (mut receipts, tasks) = subscribe_all(plan, target).await?;
    let pubnub = plan.client(target, "pub", 0)?;
    let mut seen: Vec<Seen> = (0..plan.subscribers)
        .map(|_| Seen::new(1, plan.per_publisher))
        .collect();
    let mut latencies = Latencies::default();
    let started = Instant::now();
    for seq in 0..plan.per_publisher {
        let (channel, message) = plan.message(0, seq).into_parts();
        pubnub
            .publish()
            .channel(channel)
            .message(&message)
            .await
            .map_err(|e| Failure::request(target, "bench publish", &e))?;
        let mut arrived = 0;
        while arrived < plan.subscribers {
            match tokio::time::timeout(QUIET, receipts.recv()).await {
                Ok(Some(r)) => {
                    let Some(s) = seen.get_mut(r.subscriber) else {
                        continue;
                    };
                    if s.record(r.publisher, r.seq, r.at) {
                        latencies.push(r.latency);
                        if r.seq == seq {
                            arrived += 1;
                        }
                    }
                }
                // This message is lost for someone: go on with the next.
                Err(_) | Ok(None) => break,
            }
        }
    }
    let elapsed = started.elapsed();
    for task in tasks {
        task.abort();
    }
    let (lost, duplicated) = seen
        .iter()
        .fold((0, 0), |(l, d), s| (l + s.lost(), d + s.duplicated));
    println!(
        "latency: {} msgs one at a time in {:.2} s ({} per message); lost {lost}, duplicated {duplicated}",
        plan.per_publisher,
        elapsed.as_secs_f64(),
        ms(elapsed / u32::try_from(plan.per_publisher).unwrap_or(u32::MAX).max(1)),
    );
    println!("  publish→receive latency: {}", latencies.summary());
    Ok(())
}
