//! The engine's presence duties: `state=` on subscribe requests, the
//! explicit heartbeat loop, and leaves on unsubscribe. The REST calls
//! themselves live in [`crate::presence`]; this file only wires them in.

use std::sync::Arc;

use tokio::sync::mpsc::WeakUnboundedSender;
use tokio::sync::watch;

use super::run::Engine;
use super::{Command, Reply};
use crate::error::RequestError;
use crate::presence::announce;
use crate::presence::heartbeat_loop::{HeartbeatLoop, HeartbeatReport, HeartbeatTargets};
use crate::shared::Shared;
use crate::subscribe::Status;

/// The heartbeat loop of one engine and the `watch` channel feeding it.
#[derive(Debug)]
pub(crate) struct Heartbeats {
    /// The names to announce (never `-pnpres`); read by the loop at each tick.
    targets: watch::Sender<HeartbeatTargets>,
    /// The running loop, while there is something to announce.
    task: Option<HeartbeatLoop>,
    /// Where failures go: the engine's own command channel (weak, so the
    /// loop never keeps the engine alive).
    commands: WeakUnboundedSender<Command>,
}

impl Heartbeats {
    pub(crate) fn new(commands: WeakUnboundedSender<Command>) -> Self {
        Heartbeats {
            targets: watch::Sender::new((Vec::new(), Vec::new())),
            task: None,
            commands,
        }
    }

    /// Points the loop at `targets`: starts it when `heartbeat_interval` is
    /// configured and there is something to announce, stops it when not.
    fn sync(&mut self, inner: &Arc<Shared>, targets: HeartbeatTargets) {
        let enabled = inner
            .config
            .heartbeat_interval()
            .is_some_and(|interval| !interval.is_zero());
        if !enabled || (targets.0.is_empty() && targets.1.is_empty()) {
            self.task = None;
            self.targets.send_replace((Vec::new(), Vec::new()));
            return;
        }
        self.targets.send_if_modified(|current| {
            let changed = *current != targets;
            if changed {
                *current = targets;
            }
            changed
        });
        if self.task.is_none() {
            let commands = self.commands.clone();
            let report = move |report: HeartbeatReport| {
                let Err(error) = report.result else {
                    return;
                };
                if let Some(commands) = commands.upgrade() {
                    let _ = commands.send(Command::HeartbeatFailed {
                        channels: report.channels,
                        groups: report.groups,
                        error,
                    });
                }
            };
            self.task = HeartbeatLoop::spawn(inner, self.targets.subscribe(), report);
        }
    }
}

/// The `state=` value of a subscribe request for `wire`: the state this
/// client set on its (non-`-pnpres`) channels and groups, if any.
pub(super) fn subscribe_state(inner: &Shared, announced: &HeartbeatTargets) -> Option<String> {
    let (channels, groups) = announced;
    inner.presence_state.json_for(channels.iter().chain(groups))
}

impl Engine {
    /// Feeds the heartbeat loop the names this client is present on, or
    /// stops it when there are none or the loop is not running.
    ///
    /// Does nothing when neither the names nor `running` changed since the
    /// last call (it runs before every long-poll).
    pub(super) fn sync_heartbeats(&mut self) {
        let current = self.current();
        if let Some((synced, running)) = &self.heartbeats_synced {
            if Arc::ptr_eq(synced, &current) && *running == self.state.is_running() {
                return;
            }
        }
        let Some(inner) = self.inner.upgrade() else {
            return;
        };
        let targets = if self.state.is_running() {
            current.announced.clone()
        } else {
            (Vec::new(), Vec::new())
        };
        self.heartbeats.sync(&inner, targets);
        self.heartbeats_synced = Some((current, self.state.is_running()));
    }

    /// A heartbeat failed: tell everyone, keep subscribing.
    pub(super) fn heartbeat_failed(
        &mut self,
        channels: Vec<String>,
        groups: Vec<String>,
        error: RequestError,
    ) {
        self.broadcast(Status::HeartbeatFailed {
            channels,
            groups,
            error,
        });
    }

    /// Leaves `channels` and `groups` in the background through
    /// [`announce::leave`] (unless leave events are suppressed; the state set
    /// on them is forgotten either way), then answers `reply`.
    pub(super) fn leave(&self, channels: Vec<String>, groups: Vec<String>, reply: Option<Reply>) {
        let answer = |reply: Option<Reply>, result| {
            if let Some(reply) = reply {
                let _ = reply.send(result);
            }
        };
        let Some(inner) = self.inner.upgrade() else {
            return answer(reply, Ok(()));
        };
        if channels.is_empty() && groups.is_empty() {
            return answer(reply, Ok(()));
        }
        if inner.config.suppress_leave_events {
            inner.presence_state.forget(&channels);
            inner.presence_state.forget(&groups);
            return answer(reply, Ok(()));
        }
        tokio::spawn(async move {
            let result = announce::leave(&inner, &channels, &groups).await;
            if let Err(error) = &result {
                tracing::debug!(%error, "pubnub leave failed");
            }
            answer(reply, result);
        });
    }
}
