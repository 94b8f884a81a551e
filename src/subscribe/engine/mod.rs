//! The subscribe engine: one task per client owning the long-poll loop, the
//! cursor and the routing table. Handles talk to it through [`Command`]s.

mod classify;
mod commands;
mod dedupe;
mod gap_fill;
pub(crate) mod interest;
mod presence;
pub(crate) mod request;
mod run;
pub(crate) mod slot;
mod state;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{mpsc, oneshot};
use tokio::task::AbortHandle;

use crate::error::RequestError;
use crate::protocol::timetoken::Timetoken;
use crate::shared::Shared;
use crate::sync::lock;
use slot::Slot;

/// Replies to unsubscribe calls once the leave request (if any) is done.
pub(crate) type Reply = oneshot::Sender<Result<(), RequestError>>;

/// What handles ask of the engine.
#[derive(Debug)]
pub(crate) enum Command {
    /// Add a receiver; `timetoken` moves the cursor back for catch-up.
    Register {
        id: u64,
        slot: Slot,
        timetoken: Option<Timetoken>,
    },
    /// A receiver went away (dropped).
    Remove { id: u64 },
    /// Remove these names from every subscription.
    Unsubscribe {
        channels: Vec<String>,
        groups: Vec<String>,
        reply: Reply,
    },
    /// Remove every subscription and reset the cursor.
    UnsubscribeAll { reply: Reply },
    /// Stop long-polling (subscriptions stay registered).
    Disconnect,
    /// Start long-polling again from the last cursor.
    Reconnect,
    /// An explicit heartbeat failed (sent by the heartbeat loop).
    HeartbeatFailed {
        channels: Vec<String>,
        groups: Vec<String>,
        error: RequestError,
    },
}

/// The running engine of one client.
#[derive(Debug)]
pub(crate) struct EngineHandle {
    commands: mpsc::UnboundedSender<Command>,
    next_id: AtomicU64,
    task: AbortHandle,
    listeners: Mutex<HashMap<u64, AbortHandle>>,
}

impl EngineHandle {
    /// Sends a command; a stopped engine simply ignores it (synchronous, never panics).
    pub(crate) fn send(&self, command: Command) -> bool {
        self.commands.send(command).is_ok()
    }

    /// A fresh receiver id.
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The listener tasks, by id.
    pub(crate) fn listeners(&self) -> MutexGuard<'_, HashMap<u64, AbortHandle>> {
        lock(&self.listeners)
    }
}

impl Drop for EngineHandle {
    fn drop(&mut self) {
        self.task.abort();
        for (_, listener) in self.listeners().drain() {
            listener.abort();
        }
    }
}

/// Where a client keeps its engine, spawned on first use.
#[derive(Debug, Default)]
pub(crate) struct EngineCell(Mutex<Option<Arc<EngineHandle>>>);

impl EngineCell {
    /// The running engine, if one was started and is still alive.
    pub(crate) fn get(&self) -> Option<Arc<EngineHandle>> {
        let guard = lock(&self.0);
        guard.as_ref().filter(|h| !h.commands.is_closed()).cloned()
    }

    /// The running engine, spawning it on the current tokio runtime if needed;
    /// `None` outside a runtime.
    pub(crate) fn get_or_spawn(&self, inner: &Arc<Shared>) -> Option<Arc<EngineHandle>> {
        let mut guard = lock(&self.0);
        if let Some(handle) = guard.as_ref().filter(|h| !h.commands.is_closed()) {
            return Some(handle.clone());
        }
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let (commands, receiver) = mpsc::unbounded_channel();
        let engine = run::Engine::new(Arc::downgrade(inner), receiver, commands.downgrade());
        let task = runtime.spawn(engine.run()).abort_handle();
        let handle = Arc::new(EngineHandle {
            commands,
            next_id: AtomicU64::new(1),
            task,
            listeners: Mutex::new(HashMap::new()),
        });
        *guard = Some(handle.clone());
        Some(handle)
    }
}
