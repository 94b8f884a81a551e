//! The one error type of REST calls.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{Chain, RequestErrorKind};

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A cause, shared by every clone of the error.
type SharedError = Arc<dyn StdError + Send + Sync + 'static>;

/// The error of every request/response call (publish, signal, time, …).
///
/// Inspect it with [`kind`](Self::kind) or the helpers; the cause (I/O error,
/// serde error) is kept as [`source()`](std::error::Error::source).
///
/// `Display` is the kind followed by the whole cause chain on one line, e.g.
/// `network error: client error (Connect): tcp connect error: Connection
/// refused (os error 111)`, so a log line says why. `Debug` shows the kind,
/// the kept body and the cause chain as text (never a TLS library's raw
/// structures). Neither prints keys, tokens or signatures: requests are never
/// part of an error, and proxy credentials are left out of proxy errors.
///
/// It is `Clone` (a clone shares the kind, body and cause), so one failure can
/// reach every receiver: a subscribe [`Status`](crate::Status) carries it as is.
///
/// ```
/// use pubnub_stream::{RequestError, RequestErrorKind};
///
/// let err = RequestError::from_kind(RequestErrorKind::Server { status: 503, message: None });
/// assert!(err.is_retryable());
/// assert_eq!(err.status(), Some(503));
/// ```
#[derive(Clone)]
pub struct RequestError(Arc<Inner>);

/// Behind one pointer so that `Result<T, RequestError>` (and errors that carry
/// one, such as the publish sink's) stay small, and shared so that a clone
/// costs a reference count.
#[derive(Clone)]
struct Inner {
    kind: RequestErrorKind,
    body: Option<String>,
    source: Option<SharedError>,
}

impl RequestError {
    /// An error of the given kind, without a source.
    ///
    /// ```
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// let err = RequestError::from_kind(RequestErrorKind::MissingPublishKey);
    /// assert_eq!(err.kind(), &RequestErrorKind::MissingPublishKey);
    /// ```
    pub fn from_kind(kind: RequestErrorKind) -> Self {
        RequestError(Arc::new(Inner {
            kind,
            body: None,
            source: None,
        }))
    }

    pub(crate) fn with_source(kind: RequestErrorKind, source: impl Into<BoxError>) -> Self {
        RequestError(Arc::new(Inner {
            kind,
            body: None,
            source: Some(Arc::from(source.into())),
        }))
    }

    pub(crate) fn with_body(mut self, body: Option<String>) -> Self {
        Arc::make_mut(&mut self.0).body = body;
        self
    }

    pub(crate) fn network(source: impl Into<BoxError>) -> Self {
        Self::with_source(RequestErrorKind::Network, source)
    }

    pub(crate) fn serialization(source: serde_json::Error) -> Self {
        Self::with_source(RequestErrorKind::Serialization, source)
    }

    pub(crate) fn invalid_response(reason: impl Into<String>) -> Self {
        Self::from_kind(RequestErrorKind::InvalidResponse {
            reason: reason.into(),
        })
    }

    pub(crate) fn invalid_argument(reason: impl Into<String>) -> Self {
        Self::from_kind(RequestErrorKind::InvalidArgument {
            reason: reason.into(),
        })
    }

    /// What went wrong.
    ///
    /// ```
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// let err = RequestError::from_kind(RequestErrorKind::Timeout { after: std::time::Duration::from_secs(10) });
    /// assert!(matches!(err.kind(), RequestErrorKind::Timeout { .. }));
    /// ```
    pub fn kind(&self) -> &RequestErrorKind {
        &self.0.kind
    }

    /// Consumes the error, returning its kind.
    ///
    /// ```
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// let kind = RequestError::from_kind(RequestErrorKind::MissingPublishKey).into_kind();
    /// assert_eq!(kind, RequestErrorKind::MissingPublishKey);
    /// ```
    pub fn into_kind(self) -> RequestErrorKind {
        Arc::try_unwrap(self.0)
            .map(|inner| inner.kind)
            .unwrap_or_else(|shared| shared.kind.clone())
    }

    /// Whether trying again may succeed: network errors, timeouts, HTTP 429,
    /// 5xx and redirects (see [`RequestErrorKind::Redirect`]).
    ///
    /// ```
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// assert!(!RequestError::from_kind(RequestErrorKind::BadRequest { message: "Invalid JSON".into() }).is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.0.kind,
            RequestErrorKind::Network
                | RequestErrorKind::Timeout { .. }
                | RequestErrorKind::RateLimited { .. }
                | RequestErrorKind::Server { .. }
                | RequestErrorKind::Redirect { .. }
        )
    }

    /// The server's `Retry-After` on HTTP 429.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// let err = RequestError::from_kind(RequestErrorKind::RateLimited {
    ///     retry_after: Some(Duration::from_secs(3)), message: "Too many requests.".into() });
    /// assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self.0.kind {
            RequestErrorKind::RateLimited { retry_after, .. } => retry_after,
            _ => None,
        }
    }

    /// The HTTP status of a server error (`None` for local and network errors).
    ///
    /// ```
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// let err = RequestError::from_kind(RequestErrorKind::InvalidKey { message: "Invalid Key".into() });
    /// assert_eq!(err.status(), Some(400));
    /// assert_eq!(RequestError::from_kind(RequestErrorKind::Network).status(), None);
    /// ```
    pub fn status(&self) -> Option<u16> {
        use RequestErrorKind::*;
        match &self.0.kind {
            AccessDenied { .. } => Some(403),
            InvalidKey { .. } | BadRequest { .. } => Some(400),
            RateLimited { .. } => Some(429),
            PayloadTooLarge { status, .. }
            | Server { status, .. }
            | Http { status, .. }
            | Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's own error message, when it sent one.
    ///
    /// ```
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// let err = RequestError::from_kind(RequestErrorKind::BadRequest { message: "Invalid JSON".into() });
    /// assert_eq!(err.server_message(), Some("Invalid JSON"));
    /// ```
    pub fn server_message(&self) -> Option<&str> {
        use RequestErrorKind::*;
        match &self.0.kind {
            AccessDenied { message, .. }
            | InvalidKey { message }
            | BadRequest { message }
            | PayloadTooLarge { message, .. }
            | RateLimited { message, .. } => Some(message),
            Server { message, .. } | Http { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// The raw response body of a server error, when there was one.
    ///
    /// ```
    /// use pubnub_stream::{RequestError, RequestErrorKind};
    /// assert_eq!(RequestError::from_kind(RequestErrorKind::Network).body(), None);
    /// ```
    pub fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
}

impl fmt::Debug for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RequestError");
        d.field("kind", &self.0.kind);
        if let Some(body) = &self.0.body {
            d.field("body", body);
        }
        if let Some(source) = &self.0.source {
            d.field("source", &Chain(&**source));
        }
        d.finish()
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.kind, f)?;
        if let Some(source) = &self.0.source {
            write!(f, ": {}", Chain(&**source))?;
        }
        Ok(())
    }
}

impl StdError for RequestError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<RequestErrorKind> for RequestError {
    fn from(kind: RequestErrorKind) -> Self {
        RequestError::from_kind(kind)
    }
}

#[cfg(test)]
mod size_tests {
    /// Users `forward` streams into the publish sink; a large error type makes
    /// every `Result` they write trip clippy's `result_large_err`.
    #[test]
    fn request_error_is_one_pointer() {
        assert_eq!(
            std::mem::size_of::<super::RequestError>(),
            std::mem::size_of::<usize>()
        );
    }
}
