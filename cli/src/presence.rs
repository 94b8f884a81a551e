//! `pn here-now`, `pn where-now`, `pn state get|set`: presence calls,
//! answered with one JSON value on stdout.

use clap::{Args, Subcommand};
use pubnub_stream::HereNowResult;
use serde_json::{json, Map, Value};

use crate::failure::Failure;
use crate::target::Target;

/// Who is on channels or groups.
#[derive(Debug, Args)]
#[command(after_help = "\
Prints {\"total_channels\", \"total_occupancy\", \"channels\": {name:
{\"occupancy\", \"occupants\": [{\"uuid\", \"state\"}]}}}.

Examples:
  pn here-now chat
  pn here-now chat news --state
  pn here-now --group rooms --no-uuids")]
pub(crate) struct HereNowArgs {
    /// Channels to ask about (none and no group: every channel of the keyset).
    #[arg(value_name = "CHANNEL")]
    channels: Vec<String>,
    /// A channel group to ask about (repeatable).
    #[arg(long = "group", short = 'g', value_name = "GROUP")]
    groups: Vec<String>,
    /// Occupancy only, without the list of users.
    #[arg(long)]
    no_uuids: bool,
    /// Include each user's state.
    #[arg(long)]
    state: bool,
}

/// Which channels a user is on.
#[derive(Debug, Args)]
#[command(after_help = "\
Prints a JSON array of channel names.

Examples:
  pn where-now
  pn where-now bob")]
pub(crate) struct WhereNowArgs {
    /// The user id (default: this client's).
    #[arg(value_name = "USER")]
    user: Option<String>,
}

/// Read or set a user's presence state.
#[derive(Debug, Subcommand)]
pub(crate) enum StateCommand {
    /// Print a user's state on channels or groups: {channel: state}.
    #[command(after_help = "\
Examples:
  pn state get chat
  pn state get chat news --user bob")]
    Get {
        /// The channels.
        #[arg(value_name = "CHANNEL")]
        channels: Vec<String>,
        /// A channel group (repeatable).
        #[arg(long = "group", short = 'g', value_name = "GROUP")]
        groups: Vec<String>,
        /// The user id (default: this client's).
        #[arg(long, value_name = "USER")]
        user: Option<String>,
    },
    /// Set this client's state on channels or groups and print what the server stored.
    #[command(after_help = "\
The state lives as long as the user is present: set it with --user-id to the
id of the client that subscribes, or from that client.

Examples:
  pn state set chat '{\"mood\":\"happy\"}'
  pn --user-id bob state set chat news '{\"typing\":true}'")]
    Set {
        /// The channels, then the state (a JSON object) last.
        #[arg(value_name = "CHANNEL... STATE", num_args = 1.., required = true)]
        args: Vec<String>,
        /// A channel group (repeatable).
        #[arg(long = "group", short = 'g', value_name = "GROUP")]
        groups: Vec<String>,
    },
}

/// Runs `pn here-now`.
pub(crate) async fn here_now(args: HereNowArgs, target: &Target) -> Result<(), Failure> {
    let pubnub = target.client()?;
    let result = pubnub
        .here_now()
        .channels(args.channels)
        .channel_groups(args.groups)
        .include_uuids(!args.no_uuids)
        .include_state(args.state)
        .await
        .map_err(|e| Failure::request(target, "here-now", &e))?;
    println!("{}", here_now_json(&result));
    Ok(())
}

fn here_now_json(result: &HereNowResult) -> Value {
    let channels: Map<String, Value> = result
        .channels
        .iter()
        .map(|(name, channel)| {
            let occupants: Vec<Value> = channel
                .occupants
                .iter()
                .map(|o| json!({ "uuid": o.uuid, "state": o.state }))
                .collect();
            (
                name.clone(),
                json!({ "occupancy": channel.occupancy, "occupants": occupants }),
            )
        })
        .collect();
    json!({
        "total_channels": result.total_channels,
        "total_occupancy": result.total_occupancy,
        "channels": channels,
    })
}

/// Runs `pn where-now`.
pub(crate) async fn where_now(args: WhereNowArgs, target: &Target) -> Result<(), Failure> {
    let pubnub = target.client()?;
    let mut call = pubnub.where_now();
    if let Some(user) = args.user {
        call = call.user_id(user);
    }
    let channels = call
        .await
        .map_err(|e| Failure::request(target, "where-now", &e))?;
    println!("{}", Value::from(channels));
    Ok(())
}

/// Runs `pn state get|set`.
pub(crate) async fn state(command: StateCommand, target: &Target) -> Result<(), Failure> {
    let pubnub = target.client()?;
    match command {
        StateCommand::Get {
            channels,
            groups,
            user,
        } => {
            need_names(&channels, &groups)?;
            let mut call = pubnub.get_state().channels(channels).channel_groups(groups);
            if let Some(user) = user {
                call = call.user_id(user);
            }
            let states = call
                .await
                .map_err(|e| Failure::request(target, "state get", &e))?;
            println!("{}", Value::Object(states.into_iter().collect()));
        }
        StateCommand::Set { mut args, groups } => {
            let text = args.pop().unwrap_or_default();
            let state = match serde_json::from_str::<Value>(&text) {
                Ok(state @ Value::Object(_)) => state,
                _ => {
                    return Err(Failure::usage(format!(
                        "the state (the last argument) must be a JSON object, got {text:?}"
                    )))
                }
            };
            need_names(&args, &groups)?;
            let stored = pubnub
                .set_state()
                .channels(args)
                .channel_groups(groups)
                .state(&state)
                .await
                .map_err(|e| Failure::request(target, "state set", &e))?;
            println!("{stored}");
        }
    }
    Ok(())
}

fn need_names(channels: &[String], groups: &[String]) -> Result<(), Failure> {
    if channels.is_empty() && groups.is_empty() {
        return Err(Failure::usage("give a CHANNEL or a --group"));
    }
    Ok(())
}
