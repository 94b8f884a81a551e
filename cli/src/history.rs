//! `pn history CHANNEL`: a channel's stored messages as JSON lines, each
//! page requested as the previous one is printed.

use std::io::{self, Write};

use clap::Args;
use futures::StreamExt;
use pubnub_stream::history::{Direction, MessageType};
use pubnub_stream::Timetoken;

use crate::event_json::message_line;
use crate::failure::Failure;
use crate::target::Target;

/// Print a channel's stored messages as JSON lines.
#[derive(Debug, Args)]
#[command(after_help = "\
Lines have the fields of `pn sub`'s message lines (kind is `message`, or
`file` for file messages). Newest first unless --oldest-first; pages are
requested as the lines are printed, so `| head` stops the requests.

Examples:
  pn history chat --limit 20
  pn history chat --since 17000000000000000 --oldest-first
  pn history chat --until 17000000000000000 | jq -c .payload")]
pub(crate) struct HistoryArgs {
    /// The channel.
    channel: String,
    /// Only messages after this timetoken.
    #[arg(long, value_name = "TT")]
    since: Option<Timetoken>,
    /// Only messages before this timetoken.
    #[arg(long, value_name = "TT")]
    until: Option<Timetoken>,
    /// At most this many messages.
    #[arg(long, short = 'n', value_name = "N")]
    limit: Option<u64>,
    /// From the oldest message forward (publisher and type are then not reported).
    #[arg(long)]
    oldest_first: bool,
}

/// Runs `pn history`.
pub(crate) async fn run(args: HistoryArgs, target: &Target) -> Result<(), Failure> {
    let pubnub = target.client()?;
    let mut history = pubnub.history(args.channel.clone()).include_meta(true);
    if let Some(since) = args.since {
        history = history.after(since);
    }
    if let Some(until) = args.until {
        history = history.before(until);
    }
    if let Some(limit) = args.limit {
        history = history.limit(limit);
    }
    if args.oldest_first {
        history = history.direction(Direction::OldestFirst);
    }
    let what = format!("history of {:?}", args.channel);
    let mut stdout = io::stdout().lock();
    while let Some(stored) = history.next().await {
        let stored = stored.map_err(|e| Failure::request(target, &what, &e))?;
        let kind = match stored.message_type {
            MessageType::File => "file",
            _ => "message",
        };
        let line = message_line(kind, &stored.message);
        if writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break; // the reader went away (`| head`)
        }
    }
    Ok(())
}
