//! [`HeartbeatLoop`]: explicit heartbeats every `heartbeat_interval` for the
//! channels and groups the subscribe engine currently holds.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::{interval_at, Instant, MissedTickBehavior};

use super::announce::{announce_names, Announcement};
use crate::error::RequestError;
use crate::protocol::channel::PRESENCE_SUFFIX;
use crate::shared::Shared;

/// The current `(channels, groups)` to heartbeat; `-pnpres` names are ignored.
pub(crate) type HeartbeatTargets = (Vec<String>, Vec<String>);

/// The outcome of one heartbeat, handed to the loop's report callback.
#[derive(Debug)]
pub(crate) struct HeartbeatReport {
    /// The channels it was sent for.
    pub(crate) channels: Vec<String>,
    /// The groups it was sent for.
    pub(crate) groups: Vec<String>,
    /// `Err` when it failed; the next tick tries again.
    pub(crate) result: Result<(), RequestError>,
}

/// A background task sending a heartbeat every interval. It reads the target
/// set from a `watch` channel at each tick (skipping ticks with nothing to
/// announce), reports every outcome to a callback and never stops on failure.
/// It ends when dropped, when the `watch` sender is dropped, or when the
/// client is gone (it holds only a weak reference to it).
#[derive(Debug)]
pub(crate) struct HeartbeatLoop {
    task: JoinHandle<()>,
}

impl Drop for HeartbeatLoop {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HeartbeatLoop {
    /// Starts the loop when the client has a `heartbeat_interval`; `None`
    /// otherwise, or when called outside a tokio runtime.
    pub(crate) fn spawn<R>(
        inner: &Arc<Shared>,
        targets: watch::Receiver<HeartbeatTargets>,
        report: R,
    ) -> Option<Self>
    where
        R: FnMut(HeartbeatReport) + Send + 'static,
    {
        let interval = inner.config.heartbeat_interval()?;
        let weak = Arc::downgrade(inner);
        let send = move |channels: Vec<String>, groups: Vec<String>| {
            let weak = weak.clone();
            async move {
                let inner = weak.upgrade()?;
                Some(announce_names(&inner, Announcement::Heartbeat, &channels, &groups).await)
            }
        };
        Self::spawn_with(interval, targets, send, report)
    }

    /// The loop with an injected sender; `send` returning `None` ends it.
    fn spawn_with<S, F, R>(
        interval: Duration,
        mut targets: watch::Receiver<HeartbeatTargets>,
        mut send: S,
        mut report: R,
    ) -> Option<Self>
    where
        S: FnMut(Vec<String>, Vec<String>) -> F + Send + 'static,
        F: Future<Output = Option<Result<(), RequestError>>> + Send,
        R: FnMut(HeartbeatReport) + Send + 'static,
    {
        if interval.is_zero() {
            tracing::warn!("heartbeat_interval is zero; explicit heartbeats are off");
            return None;
        }
        let runtime = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => runtime,
            Err(error) => {
                tracing::warn!(%error, "no tokio runtime; explicit heartbeats are off");
                return None;
            }
        };
        let task = runtime.spawn(async move {
            let mut ticks = interval_at(Instant::now() + interval, interval);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if targets.has_changed().is_err() {
                    break; // the engine is gone
                }
                let (channels, groups) = targets.borrow_and_update().clone();
                let announced =
                    |names: &[String]| names.iter().any(|n| !n.ends_with(PRESENCE_SUFFIX));
                if !announced(&channels) && !announced(&groups) {
                    continue;
                }
                let Some(result) = send(channels.clone(), groups.clone()).await else {
                    break; // the client is gone
                };
                if let Err(error) = &result {
                    tracing::debug!(%error, "pubnub heartbeat failed; retrying next interval");
                }
                report(HeartbeatReport {
                    channels,
                    groups,
                    result,
                });
            }
        });
        Some(HeartbeatLoop { task })
    }
}

#[cfg(test)]
#[path = "heartbeat_loop_tests.rs"]
mod tests;
