//! `pn group add|remove|list|delete`: channel groups.

use clap::Subcommand;
use serde_json::Value;

use crate::failure::Failure;
use crate::target::Target;

/// Manage channel groups (subscribe to one with `pn sub --group G`).
#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// Add channels to a group (created on first use).
    #[command(after_help = "Example:\n  pn group add sensors temp humidity")]
    Add {
        /// The group.
        group: String,
        /// The channels to add.
        #[arg(required = true)]
        channels: Vec<String>,
    },
    /// Remove channels from a group.
    #[command(after_help = "Example:\n  pn group remove sensors humidity")]
    Remove {
        /// The group.
        group: String,
        /// The channels to remove.
        #[arg(required = true)]
        channels: Vec<String>,
    },
    /// Print a group's channels, or every group of the keyset without GROUP (JSON array).
    #[command(after_help = "Examples:\n  pn group list sensors\n  pn group list")]
    List {
        /// The group.
        group: Option<String>,
    },
    /// Delete a group.
    #[command(after_help = "Example:\n  pn group delete sensors")]
    Delete {
        /// The group.
        group: String,
    },
}

/// Runs `pn group ...`.
pub(crate) async fn run(command: GroupCommand, target: &Target) -> Result<(), Failure> {
    let pubnub = target.client()?;
    let failed = |what: &str, e| Failure::request(target, what, &e);
    match command {
        GroupCommand::Add { group, channels } => {
            let what = format!("adding channels to group {group:?}");
            pubnub
                .add_channels_to_channel_group()
                .channel_group(group)
                .channels(channels)
                .await
                .map_err(|e| failed(&what, e))?;
        }
        GroupCommand::Remove { group, channels } => {
            let what = format!("removing channels from group {group:?}");
            pubnub
                .remove_channels_from_channel_group()
                .channel_group(group)
                .channels(channels)
                .await
                .map_err(|e| failed(&what, e))?;
        }
        GroupCommand::List { group: Some(group) } => {
            let what = format!("listing group {group:?}");
            let channels = pubnub
                .list_channels_in_channel_group()
                .channel_group(group)
                .await
                .map_err(|e| failed(&what, e))?;
            println!("{}", Value::from(channels));
        }
        GroupCommand::List { group: None } => {
            let groups = pubnub
                .list_channel_groups()
                .await
                .map_err(|e| failed("listing groups", e))?;
            println!("{}", Value::from(groups));
        }
        GroupCommand::Delete { group } => {
            let what = format!("deleting group {group:?}");
            pubnub
                .delete_channel_group()
                .channel_group(group)
                .await
                .map_err(|e| failed(&what, e))?;
        }
    }
    Ok(())
}
