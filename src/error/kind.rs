//! What went wrong in a REST call.

use std::fmt;
use std::time::Duration;

/// The class of a [`RequestError`](crate::RequestError).
///
/// Errors detected before any I/O ([`MessageTooLarge`](Self::MessageTooLarge),
/// [`Serialization`](Self::Serialization), [`Encryption`](Self::Encryption),
/// [`MissingPublishKey`](Self::MissingPublishKey),
/// [`InvalidChannel`](Self::InvalidChannel), [`InvalidArgument`](Self::InvalidArgument))
/// never reach the server. Server errors keep the server's own message.
///
/// ```
/// use pubnub_stream::RequestErrorKind;
///
/// let kind = RequestErrorKind::MessageTooLarge { size: 40_000, limit: 32_768 };
/// assert_eq!(kind.to_string(), "message too large: 40000 bytes escaped, limit 32768");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// The connection could not be made or broke (refused, reset, DNS, TLS); see `source()`.
    Network,
    /// No complete response arrived within the request timeout.
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
    },
    /// HTTP 403 (Access Manager): the key, token or signature does not grant access.
    AccessDenied {
        /// The server's message, e.g. `Forbidden`.
        message: String,
        /// Token problem (expired, revoked, invalid), bad signature, or a
        /// missing permission, as the server's message says.
        reason: crate::error::DenialReason,
        /// Channels the server listed as denied.
        channels: Vec<String>,
        /// Channel groups the server listed as denied.
        channel_groups: Vec<String>,
    },
    /// The publish or subscribe key is not known to the server (`Invalid Key`,
    /// `Invalid Subscribe Key`).
    InvalidKey {
        /// The server's message.
        message: String,
    },
    /// HTTP 400 for another reason (`Invalid JSON`, `Invalid Arguments`, …).
    BadRequest {
        /// The server's message.
        message: String,
    },
    /// The server rejected the payload as too large (HTTP 413, or `Message Too Large` /
    /// `Signal size too large`).
    PayloadTooLarge {
        /// HTTP status (413, or 400 for the array form).
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The message is over the client's limit; detected before any I/O.
    MessageTooLarge {
        /// The size that was measured (escaped bytes for publish, payload bytes for signal).
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// HTTP 429: too many requests.
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// The server's message.
        message: String,
    },
    /// HTTP 5xx.
    Server {
        /// HTTP status.
        status: u16,
        /// The server's message, when the body had one.
        message: Option<String>,
    },
    /// Any other HTTP error status (404, 414, …).
    Http {
        /// HTTP status.
        status: u16,
        /// The server's message, when the body had one.
        message: Option<String>,
    },
    /// The server answered with a redirect (3xx). PubNub never redirects: a
    /// redirect comes from something between the client and PubNub (a
    /// captive portal of a hotel or airport network, a login page of a
    /// proxy) or from an `origin` that points at the wrong server. The
    /// redirect is not followed. It counts as retryable (see
    /// [`RequestError::is_retryable`](crate::RequestError::is_retryable)):
    /// a captive portal goes away once the network lets the client through,
    /// and the retry policies are bounded.
    Redirect {
        /// HTTP status (301, 302, 303, 307, 308, …).
        status: u16,
        /// Where the server pointed, as `scheme://host[:port]/path` (or a
        /// relative path): the query, fragment and user info are left out,
        /// since a portal may copy the original request, with its auth
        /// token, into them. `None` without a usable `Location` header.
        location: Option<String>,
    },
    /// The response body was longer than the client's limit
    /// ([`PubNubBuilder::max_response_bytes`](crate::PubNubBuilder::max_response_bytes));
    /// the connection was closed, not reused. Detected from `Content-Length`
    /// before the body is read, or while reading a body without one.
    ResponseTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A value could not be serialized to JSON; see `source()`.
    Serialization,
    /// The client's [`CryptoModule`](crate::CryptoModule) could not encrypt
    /// the message (no random IV could be drawn); nothing was sent. The
    /// source is the [`CryptoError`](crate::CryptoError).
    Encryption,
    /// The response body did not have the expected shape.
    InvalidResponse {
        /// What was expected.
        reason: String,
    },
    /// A publish or signal was attempted on a client built without a publish key.
    MissingPublishKey,
    /// A call that needs the secret key (a token grant or revoke, which
    /// only a server holding it may make; deleting stored messages) was made
    /// on a client built without one; detected before any I/O.
    MissingSecretKey,
    /// The channel name is empty or longer than 92 characters.
    InvalidChannel {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A builder was awaited without a required value, or with an invalid one.
    InvalidArgument {
        /// What is wrong.
        reason: String,
    },
    /// A subscription was made outside a tokio runtime, so the subscribe loop
    /// could not start.
    NoRuntime,
    /// The subscribe loop no longer serves the subscription: it was
    /// unsubscribed, or the tokio runtime of the loop shut down.
    SubscriptionEnded,
}

impl fmt::Display for RequestErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RequestErrorKind::*;
        match self {
            Network => f.write_str("network error"),
            Timeout { after } => write!(f, "request timed out after {after:?}"),
            AccessDenied {
                message,
                channels,
                channel_groups,
                ..
            } => {
                write!(f, "access denied (403): {message}")?;
                if !channels.is_empty() {
                    write!(f, "; channels: {}", channels.join(", "))?;
                }
                if !channel_groups.is_empty() {
                    write!(f, "; channel groups: {}", channel_groups.join(", "))?;
                }
                Ok(())
            }
            InvalidKey { message } => write!(f, "invalid key: {message}"),
            BadRequest { message } => write!(f, "bad request (400): {message}"),
            PayloadTooLarge { status, message } => {
                write!(f, "payload too large ({status}): {message}")
            }
            MessageTooLarge { size, limit } => {
                write!(f, "message too large: {size} bytes escaped, limit {limit}")
            }
            RateLimited { message, .. } => write!(f, "rate limited (429): {message}"),
            Server { status, message } => match message {
                Some(m) => write!(f, "server error ({status}): {m}"),
                None => write!(f, "server error ({status})"),
            },
            Http { status, message } => match message {
                Some(m) => write!(f, "HTTP error ({status}): {m}"),
                None => write!(f, "HTTP error ({status})"),
            },
            Redirect { status, location } => {
                write!(f, "unexpected redirect ({status})")?;
                if let Some(location) = location {
                    write!(f, " to {location}")?;
                }
                f.write_str(
                    ": PubNub never redirects; check the origin, or log in to the network (captive portal)",
                )
            }
            ResponseTooLarge { limit } => {
                write!(f, "response body larger than the limit of {limit} bytes")
            }
            Serialization => f.write_str("could not serialize the value to JSON"),
            Encryption => f.write_str("could not encrypt the message"),
            InvalidResponse { reason } => write!(f, "invalid response: {reason}"),
            MissingPublishKey => f.write_str("no publish key configured"),
            MissingSecretKey => f.write_str(
                "no secret key configured: only a server holding the keyset's secret key can grant or revoke tokens or delete stored messages",
            ),
            InvalidChannel { reason } => write!(f, "invalid channel: {reason}"),
            InvalidArgument { reason } => write!(f, "invalid argument: {reason}"),
            NoRuntime => f.write_str(
                "no tokio runtime: subscriptions must be created inside a tokio runtime",
            ),
            SubscriptionEnded => f.write_str(
                "the subscription has ended: it was unsubscribed or the runtime of its engine shut down",
            ),
        }
    }
}
