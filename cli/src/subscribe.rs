//! `pn sub`: a subscription printed as JSON lines on stdout, statuses on
//! stderr, a clean unsubscribe (with its leave) on Ctrl-C or after `--count`.

use std::io::{self, Write};

use clap::Args;
use futures::StreamExt;
use pubnub_stream::Timetoken;

use crate::event_json::{event_json, is_message, is_typed, status_line};
use crate::failure::{Exit, Failure};
use crate::interrupt::Interrupt;
use crate::target::{self, Target};

/// Subscribe and print one JSON object per event on stdout.
#[derive(Debug, Args)]
#[command(after_help = "\
Each line has kind, channel, subscription, timetoken (a string) and, for
messages and signals, publisher, payload, meta, type and sequence; presence
lines have action, uuid, occupancy, timestamp and state. Statuses (Connected,
NetworkIssues, Reconnected, ...) go to stderr. Ctrl-C unsubscribes (sending a
leave) and exits 0.

Examples:
  pn sub chat
  pn sub chat news --presence
  pn sub --group sensors --filter 'region == \"eu\"'
  pn sub chat --count 10 | jq -c .payload
  pn sub 'sport.*' --since 17000000000000000")]
pub(crate) struct SubArgs {
    /// Channels to subscribe to (wildcards like `sport.*` too).
    #[arg(value_name = "CHANNEL")]
    channels: Vec<String>,
    /// A channel group to subscribe to (repeatable).
    #[arg(long = "group", short = 'g', value_name = "GROUP")]
    groups: Vec<String>,
    /// Also receive the channels' presence events (joins, leaves, timeouts, state changes).
    #[arg(long)]
    presence: bool,
    /// A filter expression on the publisher's meta, e.g. `lang == "en"`.
    #[arg(long, value_name = "EXPR")]
    filter: Option<String>,
    /// Start from this timetoken (catch up on what was published since, within the server's window).
    #[arg(long, value_name = "TT")]
    since: Option<Timetoken>,
    /// Exit 0 after this many messages (and signals).
    #[arg(long, short = 'n', value_name = "N")]
    count: Option<u64>,
    /// Print only the kinds pn knows (no `unknown` or `malformed` lines:
    /// those are reported on stderr instead).
    #[arg(long)]
    typed_only: bool,
}

/// Runs `pn sub`.
pub(crate) async fn run(args: SubArgs, target: &Target) -> Result<(), Failure> {
    if args.channels.is_empty() && args.groups.is_empty() {
        return Err(Failure::usage(
            "pn sub needs a CHANNEL or a --group (see pn sub --help)",
        ));
    }
    if args.count == Some(0) {
        return Ok(());
    }
    let mut interrupt = Interrupt::install()
        .map_err(|e| Failure::new(Exit::Failed, format!("cannot listen for Ctrl-C: {e}")))?;
    let mut builder = target.builder();
    if let Some(filter) = &args.filter {
        builder = builder.filter_expression(filter.clone());
    }
    let pubnub = target::build(builder)?;
    let what = describe(&args);
    let mut subscribe = pubnub
        .subscribe()
        .channels(args.channels.clone())
        .channel_groups(args.groups.clone())
        .with_statuses();
    if args.presence {
        subscribe = subscribe.with_presence();
    }
    if let Some(since) = args.since {
        subscribe = subscribe.with_timetoken(since);
    }
    let subscription = tokio::select! {
        connected = subscribe => connected.map_err(|e| Failure::connect(target, &what, &e))?,
        _ = interrupt.recv() => return Ok(()),
    };
    let ended = subscription.termination();
    eprintln!(
        "pn: subscribed to {what} as {} (Ctrl-C to stop)",
        target.user_id()
    );

    let mut events = subscription;
    let mut stdout = io::stdout().lock();
    let mut messages = 0u64;
    let outcome = loop {
        let event = tokio::select! {
            event = events.next() => event,
            _ = interrupt.recv() => break Ok(()),
        };
        let Some(event) = event else {
            break match ended.reason() {
                Some(status) => Err(Failure::status(target, &what, &status)),
                None => Ok(()),
            };
        };
        let Some(line) = event_json(&event) else {
            if let pubnub_stream::Event::Status(status) = &event {
                eprintln!("pn: {}", status_line(status));
            }
            continue;
        };
        if args.typed_only && !is_typed(&event) {
            eprintln!("pn: skipped an event pn cannot type: {line}");
            continue;
        }
        if writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            // The reader went away (`pn sub chat | head -3`): stop quietly.
            break Ok(());
        }
        if is_message(&event) {
            messages += 1;
            if args.count.is_some_and(|count| messages >= count) {
                break Ok(());
            }
        }
    };
    // The leave is sent and answered before `pn` exits (while the
    // subscription is alive: dropping it first would leave nothing to leave).
    if let Err(error) = pubnub.unsubscribe_all().await {
        eprintln!("pn: leave failed: {error}");
    }
    drop(events);
    outcome
}

/// `"chat", "news" and group "g"` for messages.
fn describe(args: &SubArgs) -> String {
    let mut names: Vec<String> = args.channels.iter().map(|c| format!("{c:?}")).collect();
    names.extend(args.groups.iter().map(|g| format!("group {g:?}")));
    names.join(", ")
}
