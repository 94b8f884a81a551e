//! `pn pub`: one message from the command line, or JSON lines from stdin
//! through the publish sink (ordered, retried in place, backpressured).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use clap::Args;
use futures::{SinkExt, StreamExt};
use pubnub_stream::publish::sink::default_retry_policy;
use pubnub_stream::{PubNub, PublishSinkError, RequestError, RequestErrorKind};
use serde::{Serialize, Serializer};
use serde_json::{json, Value};
use tokio::io::BufReader;

use crate::failure::{exit_for, Exit, Failure};
use crate::interrupt::Interrupt;
use crate::json_lines::{JsonLines, Line};
use crate::progress::Progress;
use crate::target::Target;

/// Publish one message, or every JSON line of stdin.
#[derive(Debug, Args)]
#[command(after_help = "\
MESSAGE is JSON; plain text that is not JSON is sent as a JSON string
(`pn pub chat hello` sends \"hello\"). Without MESSAGE, each line of stdin must
be one JSON value: the lines go through the publish sink in order (retried in
place up to --retries times, at most --max-pending in flight); a line that is not JSON is reported
with its number and skipped (--strict: stops there). The end prints a summary
on stderr; --acks prints one JSON line per published message on stdout.

Examples:
  pn pub chat '{\"text\":\"hi\"}'
  pn pub chat hello --meta '{\"lang\":\"en\"}' --no-store
  pn pub typing '{\"on\":true}' --signal
  cat messages.jsonl | pn pub chat --acks")]
pub(crate) struct PubArgs {
    /// The channel.
    channel: String,
    /// The message (JSON, or text sent as a string); without it, stdin is read.
    message: Option<String>,
    /// Metadata sent with each message (a JSON object), for subscribers' filters.
    #[arg(long, value_name = "JSON")]
    meta: Option<String>,
    /// Store the messages in history.
    #[arg(long, overrides_with = "no_store")]
    store: bool,
    /// Do not store the messages in history.
    #[arg(long, overrides_with = "store")]
    no_store: bool,
    /// How long stored messages are kept, in hours.
    #[arg(long, value_name = "HOURS")]
    ttl: Option<u32>,
    /// Send signals (small, never stored) instead of messages.
    #[arg(long, conflicts_with_all = ["meta", "store", "no_store", "ttl", "post"])]
    signal: bool,
    /// Send messages in POST bodies instead of the URL.
    #[arg(long)]
    post: bool,
    /// With stdin: print one JSON line per published message (line, seq, channel, timetoken).
    #[arg(long)]
    acks: bool,
    /// With stdin: stop at the first line that is not JSON or cannot be published.
    #[arg(long)]
    strict: bool,
    /// With stdin: messages in flight (unacknowledged) at most.
    #[arg(long, default_value_t = 64, value_name = "N")]
    max_pending: usize,
    /// With stdin: retries of a failed publish (backing off from 100 ms to 5 s)
    /// before the pipe stops; the default 10 is about 30 s.
    #[arg(long, default_value_t = 10, value_name = "N")]
    retries: u32,
}

/// The publish options of `pn pub`, applied to a one-off publish and to a sink alike.
macro_rules! with_options {
    ($builder:expr, $options:expr) => {{
        let options: &Options = $options;
        let mut builder = $builder.use_post(options.post);
        if let Some(meta) = &options.meta {
            builder = builder.meta(meta);
        }
        if let Some(store) = options.store {
            builder = builder.should_store(store);
        }
        if let Some(ttl) = options.ttl {
            builder = builder.ttl(ttl);
        }
        builder
    }};
}

/// `--meta`, `--store/--no-store`, `--ttl`, `--post`, parsed.
#[derive(Debug)]
struct Options {
    meta: Option<Value>,
    store: Option<bool>,
    ttl: Option<u32>,
    post: bool,
}

impl Options {
    fn from_args(args: &PubArgs) -> Result<Options, Failure> {
        let meta = match &args.meta {
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(meta @ Value::Object(_)) => Some(meta),
                Ok(_) => return Err(Failure::usage("--meta must be a JSON object")),
                Err(e) => return Err(Failure::usage(format!("--meta is not JSON: {e}"))),
            },
            None => None,
        };
        let store = match (args.store, args.no_store) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        };
        Ok(Options {
            meta,
            store,
            ttl: args.ttl,
            post: args.post,
        })
    }
}

/// Runs `pn pub`.
pub(crate) async fn run(args: PubArgs, target: &Target) -> Result<(), Failure> {
    let options = Options::from_args(&args)?;
    if args.max_pending == 0 {
        return Err(Failure::usage("--max-pending must be at least 1"));
    }
    let pubnub = target.client()?;
    let what = format!("publish to {:?}", args.channel);
    match &args.message {
        Some(text) => {
            let message = message_value(text);
            let published = if args.signal {
                pubnub
                    .signal()
                    .channel(args.channel.clone())
                    .message(&message)
                    .await
            } else {
                with_options!(
                    pubnub
                        .publish()
                        .channel(args.channel.clone())
                        .message(&message),
                    &options
                )
                .await
            };
            let published = published.map_err(|e| Failure::request(target, &what, &e))?;
            println!("{}", published.timetoken);
            Ok(())
        }
        None => {
            let mut interrupt = Interrupt::install().map_err(|e| {
                Failure::new(Exit::Failed, format!("cannot listen for Ctrl-C: {e}"))
            })?;
            if args.signal {
                pipe_signals(&pubnub, &args, target, &what, &mut interrupt).await
            } else {
                pipe(&pubnub, &args, &options, target, &what, &mut interrupt).await
            }
        }
    }
}

/// JSON as given, or the text as a JSON string.
fn message_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// A line's value, published as is; the number stays with it for reports.
#[derive(Debug)]
struct Numbered {
    number: u64,
    value: Value,
}

impl Serialize for Numbered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// What a pipe did, for the summary and the exit code.
#[derive(Debug, Default)]
struct Tally {
    lines: u64,
    not_json: u64,
    rejected: u64,
    /// `--strict` stopped at this line.
    stopped_at: Option<u64>,
    /// Ctrl-C stopped the reading of stdin.
    interrupted: bool,
}

impl Tally {
    fn summary(&self, published: u64, channel: &str, started: Instant) -> String {
        let secs = started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            published as f64 / secs
        } else {
            0.0
        };
        let mut line = format!(
            "published {published} of {} line(s) to {channel:?} in {secs:.2} s ({rate:.0}/s)",
            self.lines
        );
        if self.not_json > 0 {
            line.push_str(&format!("; {} not JSON", self.not_json));
        }
        if self.rejected > 0 {
            line.push_str(&format!("; {} rejected", self.rejected));
        }
        if let Some(number) = self.stopped_at {
            line.push_str(&format!("; --strict stopped at line {number}"));
        }
        if self.interrupted {
            line.push_str("; interrupted: stdin not read further");
        }
        line
    }

    /// Reports line `number` as not published (`why`); true when `--strict`
    /// stops the pipe there.
    fn skip(&mut self, number: u64, why: &str, strict: bool) -> bool {
        let next = if strict { "stopping" } else { "skipped" };
        eprintln!("pn: line {number}: {why}; {next}");
        if strict {
            self.stopped_at = Some(number);
        }
        strict
    }

    /// The next line of stdin; `None` at its end or at Ctrl-C (then
    /// `interrupted` is set and what was read is still published).
    async fn next_line<R>(
        &mut self,
        lines: &mut JsonLines<R>,
        interrupt: &mut Interrupt,
    ) -> Result<Option<Line>, Failure>
    where
        R: tokio::io::AsyncBufRead + Unpin,
    {
        let next = tokio::select! {
            next = lines.next() => next,
            _ = interrupt.recv() => {
                eprintln!("pn: interrupted: publishing what was read (Ctrl-C again to stop at once)");
                self.interrupted = true;
                return Ok(None);
            }
        };
        let line = next.map_err(|e| {
            Failure::new(
                Exit::Failed,
                format!("reading stdin failed after line {}: {e}", self.lines),
            )
        })?;
        if line.is_some() {
            self.lines += 1;
        }
        Ok(line)
    }

    /// Exit 5 when a line was skipped or refused, or Ctrl-C stopped the pipe.
    fn outcome(&self, summary: String) -> Result<(), Failure> {
        if self.not_json > 0 || self.rejected > 0 || self.stopped_at.is_some() || self.interrupted {
            Err(Failure::new(Exit::Partial, summary))
        } else {
            eprintln!("pn: {summary}");
            Ok(())
        }
    }
}

/// Counts shared with the task printing acks.
#[derive(Debug, Default)]
struct Counts {
    fed: AtomicU64,
    acked: AtomicU64,
}

fn ack_line(line: Option<u64>, seq: u64, channel: &str, timetoken: impl ToString) -> Value {
    json!({ "line": line, "seq": seq, "channel": channel, "timetoken": timetoken.to_string() })
}

/// Stdin through the publish sink.
async fn pipe(
    pubnub: &PubNub,
    args: &PubArgs,
    options: &Options,
    target: &Target,
    what: &str,
    interrupt: &mut Interrupt,
) -> Result<(), Failure> {
    let started = Instant::now();
    // Nothing answers at all: say so now, not after the sink's retries.
    if let Err(error) = pubnub.time().await {
        if exit_for(error.kind()) == Exit::Connection {
            return Err(Failure::request(target, what, &error));
        }
    }
    let mut sink = with_options!(
        pubnub
            .publisher(args.channel.clone())
            .max_pending(args.max_pending)
            .retry(default_retry_policy().max_retries(args.retries))
            .stop_on_reject(),
        options
    )
    .sink::<Numbered>();
    // (seq, line number) of the messages not yet acknowledged: pushed before
    // a message is handed to the sink (so its ack always finds it), removed
    // by its ack; at most max_pending + 1 entries however long stdin is.
    let lines_by_seq = Arc::new(Mutex::new(VecDeque::<(u64, u64)>::new()));
    let counts = Arc::new(Counts::default());
    let progress = Arc::new(Progress::start());
    let printer = {
        let (lines_by_seq, counts, progress) =
            (lines_by_seq.clone(), counts.clone(), progress.clone());
        let print = args.acks;
        let mut acks = sink.acks();
        tokio::spawn(async move {
            while let Some(ack) = acks.next().await {
                let acked = counts.acked.fetch_add(1, Ordering::Relaxed) + 1;
                let line = {
                    let mut pending = lines_by_seq.lock().unwrap_or_else(PoisonError::into_inner);
                    let at = pending.iter().position(|(seq, _)| *seq == ack.seq());
                    at.and_then(|at| pending.remove(at)).map(|(_, line)| line)
                };
                if print {
                    println!(
                        "{}",
                        ack_line(line, ack.seq(), ack.channel(), ack.timetoken())
                    );
                }
                let fed = counts.fed.load(Ordering::Relaxed);
                progress.update(acked, fed.saturating_sub(acked));
            }
        })
    };

    let mut tally = Tally::default();
    let mut lines = JsonLines::new(BufReader::new(tokio::io::stdin()));
    let mut failure = None;
    loop {
        let line = match tally.next_line(&mut lines, interrupt).await {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(read_failed) => {
                failure = Some(read_failed);
                break;
            }
        };
        let value = match line.value {
            Ok(value) => value,
            Err(why) => {
                tally.not_json += 1;
                if tally.skip(line.number, &format!("not JSON ({why})"), args.strict) {
                    break;
                }
                continue;
            }
        };
        let seq = counts.fed.load(Ordering::Relaxed);
        lines_by_seq
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back((seq, line.number));
        let fed = sink
            .feed(Numbered {
                number: line.number,
                value,
            })
            .await;
        if fed.is_ok() {
            counts.fed.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        // Not accepted: it takes no seq.
        lines_by_seq
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_back();
        match fed {
            Err(PublishSinkError::Rejected { item, error }) => {
                tally.rejected += 1;
                if tally.skip(
                    item.number,
                    &format!("not published ({error})"),
                    args.strict,
                ) {
                    break;
                }
            }
            Err(error) => {
                failure = Some(sink_failure(target, what, error));
                break;
            }
            Ok(()) => {}
        }
    }
    if failure.is_none() {
        tokio::select! {
            closed = sink.close() => if let Err(error) = closed {
                failure = Some(sink_failure(target, what, error));
            },
            _ = interrupt.recv() => {
                let unacknowledged = counts.fed.load(Ordering::Relaxed)
                    .saturating_sub(counts.acked.load(Ordering::Relaxed));
                failure = Some(Failure::new(
                    Exit::Partial,
                    format!("interrupted again: {unacknowledged} message(s) not acknowledged"),
                ));
            }
        }
    }
    drop(sink);
    let _ = printer.await;
    progress.finish();
    if let Some(failure) = failure {
        return Err(failure);
    }
    let published = counts.acked.load(Ordering::Relaxed);
    tally.outcome(tally.summary(published, &args.channel, started))
}

/// The one line for a sink that stopped, with what was not acknowledged.
fn sink_failure(target: &Target, what: &str, error: PublishSinkError<Numbered>) -> Failure {
    let failure = match error.error() {
        Some(cause) => Failure::request(target, what, cause),
        None => Failure::new(Exit::Failed, format!("{what} failed: {error}")),
    };
    let items = error.into_items();
    match items.first() {
        Some(first) => Failure::new(
            failure.exit(),
            format!(
                "{failure}; {} message(s) from line {} on not acknowledged",
                items.len(),
                first.number
            ),
        ),
        None => failure,
    }
}

/// Stdin as signals, one at a time (signals have no sink).
async fn pipe_signals(
    pubnub: &PubNub,
    args: &PubArgs,
    target: &Target,
    what: &str,
    interrupt: &mut Interrupt,
) -> Result<(), Failure> {
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut published = 0u64;
    let mut lines = JsonLines::new(BufReader::new(tokio::io::stdin()));
    while let Some(line) = tally.next_line(&mut lines, interrupt).await? {
        let sent = match &line.value {
            Ok(value) => {
                pubnub
                    .signal()
                    .channel(args.channel.clone())
                    .message(value)
                    .await
            }
            Err(why) => {
                tally.not_json += 1;
                if tally.skip(line.number, &format!("not JSON ({why})"), args.strict) {
                    break;
                }
                continue;
            }
        };
        match sent {
            Ok(result) => {
                if args.acks {
                    println!(
                        "{}",
                        ack_line(
                            Some(line.number),
                            published,
                            &args.channel,
                            result.timetoken
                        )
                    );
                }
                published += 1;
            }
            Err(error) if is_refusal(&error) => {
                tally.rejected += 1;
                if tally.skip(
                    line.number,
                    &format!("not published ({error})"),
                    args.strict,
                ) {
                    break;
                }
            }
            Err(error) => {
                let failure = Failure::request(target, what, &error);
                return Err(Failure::new(
                    failure.exit(),
                    format!("{failure}; stopped at line {}", line.number),
                ));
            }
        }
    }
    tally.outcome(tally.summary(published, &args.channel, started))
}

/// An error about this one message (too large, refused), not about the connection.
fn is_refusal(error: &RequestError) -> bool {
    matches!(
        error.kind(),
        RequestErrorKind::MessageTooLarge { .. }
            | RequestErrorKind::PayloadTooLarge { .. }
            | RequestErrorKind::Serialization
    ) || (exit_for(error.kind()) == Exit::Failed
        && matches!(error.kind(), RequestErrorKind::BadRequest { .. }))
}
