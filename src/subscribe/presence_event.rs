//! Presence events delivered on `<channel>-pnpres`.

use serde_json::Value;

use crate::protocol::timetoken::Timetoken;

/// A presence event (someone joined, left, timed out or changed state, or an
/// interval summary) for a channel or channel group subscribed `with_presence`.
///
/// `channel` and `subscription` carry the names **without** the `-pnpres`
/// suffix, so `on_channel("chat")` sees the messages and the presence of `chat`.
///
/// ```
/// use pubnub_stream::{PresenceAction, PresenceEvent};
///
/// fn show(event: &PresenceEvent) -> String {
///     match &event.action {
///         PresenceAction::Join { uuid, .. } => format!("{uuid} joined {} ({} here)", event.channel, event.occupancy),
///         PresenceAction::Leave { uuid } | PresenceAction::Timeout { uuid } => format!("{uuid} left {}", event.channel),
///         other => format!("{} on {}", other.name(), event.channel),
///     }
/// }
///
/// let mut event = PresenceEvent::new("chat", PresenceAction::Join { uuid: "u1".into(), state: None });
/// event.occupancy = 1;
/// assert_eq!(show(&event), "u1 joined chat (1 here)");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PresenceEvent {
    /// The channel the event is about (without `-pnpres`).
    pub channel: String,
    /// What the subscription matched (channel or group, without `-pnpres`).
    pub subscription: String,
    /// The timetoken of the event (`p.t`).
    pub timetoken: Timetoken,
    /// Unix seconds at which the server produced the event.
    pub timestamp: u64,
    /// Occupancy of the channel after the event.
    pub occupancy: u64,
    /// What happened.
    pub action: PresenceAction,
}

/// What a [`PresenceEvent`] reports, dispatched on the wire `action` field.
///
/// ```
/// use pubnub_stream::PresenceAction;
/// let action = PresenceAction::Leave { uuid: "u1".into() };
/// assert_eq!(action.name(), "leave");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PresenceAction {
    /// `uuid` joined; `state` is the state it joined with, if any.
    Join {
        /// Who joined.
        uuid: String,
        /// The state sent with the join.
        state: Option<Value>,
    },
    /// `uuid` left explicitly.
    Leave {
        /// Who left.
        uuid: String,
    },
    /// `uuid` stopped sending heartbeats and timed out.
    Timeout {
        /// Who timed out.
        uuid: String,
    },
    /// `uuid` changed its state.
    StateChange {
        /// Whose state changed.
        uuid: String,
        /// The new state.
        state: Value,
    },
    /// Interval mode summary (large channels).
    Interval {
        /// Users who joined since the last interval.
        joined: Vec<String>,
        /// Users who left since the last interval.
        left: Vec<String>,
        /// Users who timed out since the last interval.
        timed_out: Vec<String>,
        /// The delta lists were too large: call here-now to refresh.
        here_now_refresh: bool,
    },
    /// An action this library does not know; the whole payload is kept.
    Other {
        /// The wire `action` value.
        action: String,
        /// The raw presence payload.
        raw: Value,
    },
}

impl PresenceAction {
    /// The wire name of the action (`join`, `leave`, `timeout`, `state-change`,
    /// `interval`, or the unknown value).
    ///
    /// ```
    /// use pubnub_stream::PresenceAction;
    /// assert_eq!(PresenceAction::Timeout { uuid: "u".into() }.name(), "timeout");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            PresenceAction::Join { .. } => "join",
            PresenceAction::Leave { .. } => "leave",
            PresenceAction::Timeout { .. } => "timeout",
            PresenceAction::StateChange { .. } => "state-change",
            PresenceAction::Interval { .. } => "interval",
            PresenceAction::Other { action, .. } => action,
        }
    }
}

impl PresenceEvent {
    /// An event on `channel` (matched directly, timetoken and timestamp zero).
    /// Handy for testing code that consumes presence; set the public fields to
    /// adjust it.
    ///
    /// ```
    /// use pubnub_stream::{PresenceAction, PresenceEvent};
    /// let mut e = PresenceEvent::new("chat", PresenceAction::Leave { uuid: "bob".into() });
    /// e.occupancy = 2;
    /// assert_eq!(e.uuid(), Some("bob"));
    /// ```
    pub fn new(channel: impl Into<String>, action: PresenceAction) -> Self {
        let channel = channel.into();
        PresenceEvent {
            subscription: channel.clone(),
            channel,
            timetoken: Timetoken::ZERO,
            timestamp: 0,
            occupancy: 0,
            action,
        }
    }

    /// The user the event is about (none for interval and unknown actions).
    ///
    /// ```
    /// use pubnub_stream::{PresenceAction, PresenceEvent};
    /// let leave = PresenceEvent::new("c", PresenceAction::Leave { uuid: "bob".into() });
    /// assert_eq!(leave.uuid(), Some("bob"));
    /// let interval = PresenceEvent::new("c", PresenceAction::Interval {
    ///     joined: vec![], left: vec![], timed_out: vec![], here_now_refresh: true,
    /// });
    /// assert_eq!(interval.uuid(), None);
    /// ```
    pub fn uuid(&self) -> Option<&str> {
        match &self.action {
            PresenceAction::Join { uuid, .. }
            | PresenceAction::Leave { uuid }
            | PresenceAction::Timeout { uuid }
            | PresenceAction::StateChange { uuid, .. } => Some(uuid),
            _ => None,
        }
    }

    /// The state carried by a join or a state change.
    ///
    /// ```
    /// use pubnub_stream::{PresenceAction, PresenceEvent};
    /// let state = serde_json::json!({"mood": "ok"});
    /// let event = PresenceEvent::new("c", PresenceAction::StateChange { uuid: "u".into(), state });
    /// assert_eq!(event.state().unwrap()["mood"], "ok");
    /// ```
    pub fn state(&self) -> Option<&Value> {
        match &self.action {
            PresenceAction::Join { state, .. } => state.as_ref(),
            PresenceAction::StateChange { state, .. } => Some(state),
            _ => None,
        }
    }
}
