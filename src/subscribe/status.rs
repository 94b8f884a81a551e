//! Connection statuses delivered to subscriptions and the client-wide status stream.

use crate::error::RequestError;

/// What happened to the subscribe connection (or to this subscription's buffer).
///
/// Statuses arrive in the event stream as [`Event::Status`](crate::Event::Status)
/// of every live subscription, and on the client-wide status stream. A status
/// that reports a failure carries it as a [`RequestError`]: match on its
/// [`kind`](RequestError::kind).
///
/// ```
/// use pubnub_stream::Status;
/// let status = Status::Lagged { missed: 3 };
/// assert!(status.error().is_none());
/// assert_eq!(status.category(), "Lagged");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Status {
    /// The subscribe loop is connected with this mix of channels and groups
    /// (sent after the handshake and again on every change of the mix).
    Connected {
        /// All channels of the client's subscribe request (sorted, with `-pnpres` ones).
        channels: Vec<String>,
        /// All channel groups of the request (sorted, with `-pnpres` ones).
        groups: Vec<String>,
    },
    /// The connection came back after a failure; delivery resumed from the
    /// last cursor. The server keeps only about the last 100 messages per
    /// channel: after a long outage some may be gone, which a
    /// [`Status::PossibleGap`] reports.
    Reconnected {
        /// Channels of the resumed request.
        channels: Vec<String>,
        /// Channel groups of the resumed request.
        groups: Vec<String>,
    },
    /// The server failed (5xx, 429) or dropped the connection; reconnecting.
    UnexpectedDisconnect {
        /// The failure.
        error: RequestError,
    },
    /// The subscribe request timed out; reconnecting.
    Timeout {
        /// The failure.
        error: RequestError,
    },
    /// The server could not be reached; reconnecting.
    NetworkIssues {
        /// The failure.
        error: RequestError,
    },
    /// The server rejected the request (HTTP 400). Terminal until `reconnect()`.
    BadRequest {
        /// The failure, with the server's message.
        error: RequestError,
    },
    /// Access Manager denied the request (HTTP 403). Terminal until `reconnect()`.
    AccessDenied {
        /// The failure, with the server's message.
        error: RequestError,
    },
    /// A failure that fits no other category. Terminal until `reconnect()`.
    Unknown {
        /// The failure.
        error: RequestError,
    },
    /// An unsubscribe took effect (for these channels and groups).
    Acknowledgment {
        /// Channels that were removed.
        channels: Vec<String>,
        /// Channel groups that were removed.
        groups: Vec<String>,
    },
    /// The subscribe loop stopped: by `disconnect()` (`error` is `None`) or
    /// because retries were exhausted (`error` is the last failure).
    Disconnected {
        /// The last failure, when the loop gave up.
        error: Option<RequestError>,
    },
    /// This subscription's buffer was full and `missed` events were dropped
    /// for it (other subscriptions were not affected).
    Lagged {
        /// How many events were dropped.
        missed: u64,
    },
    /// A response held the server's maximum of 100 events: the server keeps
    /// only the last 100 messages per channel, so messages published between
    /// `from` and `to` on these channels may have been dropped before they
    /// could be delivered (typically after a long disconnect or a reconnect).
    /// Sent to the subscriptions concerned, before the events of that
    /// response. Fetch history for the range if every message matters.
    ///
    /// ```
    /// use pubnub_stream::{Status, Timetoken};
    /// let gap = Status::PossibleGap {
    ///     channels: vec!["chat".into()],
    ///     from: Timetoken::new(10),
    ///     to: Timetoken::new(20),
    /// };
    /// assert_eq!(gap.category(), "PossibleGap");
    /// ```
    PossibleGap {
        /// The channels of the full response that this subscription receives.
        channels: Vec<String>,
        /// The cursor the request continued from (exclusive).
        from: crate::protocol::timetoken::Timetoken,
        /// The timetoken of the first event delivered on these channels.
        to: crate::protocol::timetoken::Timetoken,
    },
    /// A gap-free subscription
    /// ([`SubscribeBuilder::gap_free`](crate::SubscribeBuilder::gap_free))
    /// read back from history what the live stream may have lost between
    /// `from` and `to` on these channels; the events that follow are the
    /// live ones and the `recovered` stored ones, merged in timetoken order,
    /// each once. Messages published without storage (`store=false`) in
    /// that range cannot be read back and may be missing.
    ///
    /// ```
    /// use pubnub_stream::{Status, Timetoken};
    /// let filled = Status::GapFilled {
    ///     channels: vec!["chat".into()],
    ///     from: Timetoken::new(10),
    ///     to: Timetoken::new(20),
    ///     recovered: 3,
    /// };
    /// assert_eq!(filled.category(), "GapFilled");
    /// ```
    GapFilled {
        /// The channels read back.
        channels: Vec<String>,
        /// The cursor the request continued from (exclusive).
        from: crate::Timetoken,
        /// The newest event of the response (inclusive).
        to: crate::Timetoken,
        /// How many stored messages were added to the live ones.
        recovered: usize,
    },
    /// An explicit heartbeat (sent every `heartbeat_interval`) failed. The
    /// subscription goes on; the next interval tries again.
    HeartbeatFailed {
        /// The channels the heartbeat was for.
        channels: Vec<String>,
        /// The channel groups the heartbeat was for.
        groups: Vec<String>,
        /// The failure.
        error: RequestError,
    },
}

impl Status {
    /// The error behind the status, if any.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pubnub_stream::{RequestError, RequestErrorKind, Status};
    ///
    /// let after = Duration::from_secs(10);
    /// let status = Status::Timeout { error: RequestError::from_kind(RequestErrorKind::Timeout { after }) };
    /// assert_eq!(status.error().map(|e| e.kind()), Some(&RequestErrorKind::Timeout { after }));
    /// ```
    pub fn error(&self) -> Option<&RequestError> {
        match self {
            Status::UnexpectedDisconnect { error }
            | Status::Timeout { error }
            | Status::NetworkIssues { error }
            | Status::BadRequest { error }
            | Status::AccessDenied { error }
            | Status::Unknown { error }
            | Status::HeartbeatFailed { error, .. } => Some(error),
            Status::Disconnected { error } => error.as_ref(),
            _ => None,
        }
    }

    /// The category name (the variant name), handy for logs and metrics.
    ///
    /// ```
    /// let s = pubnub_stream::Status::Disconnected { error: None };
    /// assert_eq!(s.category(), "Disconnected");
    /// ```
    pub fn category(&self) -> &'static str {
        match self {
            Status::Connected { .. } => "Connected",
            Status::Reconnected { .. } => "Reconnected",
            Status::UnexpectedDisconnect { .. } => "UnexpectedDisconnect",
            Status::Timeout { .. } => "Timeout",
            Status::NetworkIssues { .. } => "NetworkIssues",
            Status::BadRequest { .. } => "BadRequest",
            Status::AccessDenied { .. } => "AccessDenied",
            Status::Unknown { .. } => "Unknown",
            Status::Acknowledgment { .. } => "Acknowledgment",
            Status::Disconnected { .. } => "Disconnected",
            Status::Lagged { .. } => "Lagged",
            Status::PossibleGap { .. } => "PossibleGap",
            Status::GapFilled { .. } => "GapFilled",
            Status::HeartbeatFailed { .. } => "HeartbeatFailed",
        }
    }
}
