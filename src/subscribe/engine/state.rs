//! Where the long-poll loop stands: connecting, connected, retrying in an
//! outage, or stopped (by `disconnect()`, or for good). One enum, so that
//! "connected while stopped" or "retrying but connected" cannot be written.

use tokio::time::Instant;

use crate::subscribe::Status;

/// The long-poll loop's state.
///
/// `ever_connected` (in every variant but `Connected`, where it is implied)
/// says whether the next success is a reconnection: it survives outages,
/// `disconnect()` and `reconnect()`, and only `unsubscribe_all()` clears it.
#[derive(Debug, Clone)]
pub(super) enum LoopState {
    /// Long-polling; no request has succeeded since the (re)start.
    Connecting { ever_connected: bool },
    /// Long-polling; the last request succeeded.
    Connected,
    /// Long-polling through an outage: `attempt` retries made so far, the
    /// next request not before `retry_at` (backoff).
    Retrying {
        attempt: u32,
        retry_at: Instant,
        ever_connected: bool,
    },
    /// Stopped by `disconnect()`: subscriptions stay, `reconnect()` resumes.
    Disconnected { ever_connected: bool },
    /// Stopped for good (a terminal error, or the reconnection policy gave
    /// up) with this status: subscriptions made before `reconnect()` end at
    /// once with it.
    Terminated {
        status: Status,
        ever_connected: bool,
    },
}

impl LoopState {
    /// A new engine: connecting, never connected.
    pub(super) fn new() -> Self {
        LoopState::Connecting {
            ever_connected: false,
        }
    }

    /// Whether the loop long-polls (not stopped).
    pub(super) fn is_running(&self) -> bool {
        matches!(
            self,
            LoopState::Connecting { .. } | LoopState::Connected | LoopState::Retrying { .. }
        )
    }

    /// Whether the last request succeeded (and the loop runs).
    pub(super) fn is_connected(&self) -> bool {
        matches!(self, LoopState::Connected)
    }

    /// Whether a request succeeded before (the next success is a reconnection).
    pub(super) fn ever_connected(&self) -> bool {
        match self {
            LoopState::Connected => true,
            LoopState::Connecting { ever_connected }
            | LoopState::Retrying { ever_connected, .. }
            | LoopState::Disconnected { ever_connected }
            | LoopState::Terminated { ever_connected, .. } => *ever_connected,
        }
    }

    /// Retries made in the current outage (`None` outside one).
    pub(super) fn outage_attempts(&self) -> Option<u32> {
        match self {
            LoopState::Retrying { attempt, .. } => Some(*attempt),
            _ => None,
        }
    }

    /// The backoff instant before which no request is sent.
    pub(super) fn retry_at(&self) -> Option<Instant> {
        match self {
            LoopState::Retrying { retry_at, .. } => Some(*retry_at),
            _ => None,
        }
    }

    /// Why the loop stopped, `None` while it runs.
    pub(super) fn stopped_with(&self) -> Option<Status> {
        match self {
            LoopState::Disconnected { .. } => Some(Status::Disconnected { error: None }),
            LoopState::Terminated { status, .. } => Some(status.clone()),
            _ => None,
        }
    }

    /// The loop (re)starts: connecting again, remembering whether it ever
    /// connected.
    pub(super) fn restart(&mut self) {
        *self = LoopState::Connecting {
            ever_connected: self.ever_connected(),
        };
    }

    /// A request succeeded.
    pub(super) fn connect(&mut self) {
        *self = LoopState::Connected;
    }

    /// A retryable failure: retry number `attempt` not before `retry_at`.
    pub(super) fn retry(&mut self, attempt: u32, retry_at: Instant) {
        *self = LoopState::Retrying {
            attempt,
            retry_at,
            ever_connected: self.ever_connected(),
        };
    }

    /// `disconnect()`.
    pub(super) fn disconnect(&mut self) {
        *self = LoopState::Disconnected {
            ever_connected: self.ever_connected(),
        };
    }

    /// Stopped for good with `status`.
    pub(super) fn terminate(&mut self, status: Status) {
        *self = LoopState::Terminated {
            status,
            ever_connected: self.ever_connected(),
        };
    }

    /// `unsubscribe_all()`: the next success is a first connection again. A
    /// connected loop goes back to connecting; an outage or a stop stays.
    pub(super) fn forget_connection(&mut self) {
        match self {
            LoopState::Connected => {
                *self = LoopState::Connecting {
                    ever_connected: false,
                }
            }
            LoopState::Connecting { ever_connected }
            | LoopState::Retrying { ever_connected, .. }
            | LoopState::Disconnected { ever_connected }
            | LoopState::Terminated { ever_connected, .. } => *ever_connected = false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ever_connected_survives_outages_and_stops_until_unsubscribe_all() {
        let mut s = LoopState::new();
        assert!(s.is_running() && !s.is_connected() && !s.ever_connected());
        s.connect();
        assert!(s.is_connected() && s.ever_connected());
        s.retry(1, Instant::now());
        assert_eq!(s.outage_attempts(), Some(1));
        assert!(s.is_running() && !s.is_connected() && s.ever_connected());
        s.disconnect();
        assert!(!s.is_running() && s.ever_connected());
        assert_eq!(s.stopped_with().map(|s| s.category()), Some("Disconnected"));
        s.restart();
        assert!(s.is_running() && s.ever_connected() && s.retry_at().is_none());
        s.forget_connection();
        assert!(s.is_running() && !s.ever_connected());
        s.connect();
        s.forget_connection();
        assert!(s.is_running() && !s.is_connected() && !s.ever_connected());
        s.terminate(Status::Disconnected { error: None });
        assert!(!s.is_running() && s.stopped_with().is_some() && s.outage_attempts().is_none());
    }
}
