//! Which failures the engine retries, and the status each one produces.

use crate::error::{RequestError, RequestErrorKind};
use crate::subscribe::Status;

/// Network errors, timeouts, 429 and 5xx are retried; so are a 408 (the
/// server or a proxy timed the request out), a body that is not a
/// subscribe response (a proxy page, a truncated answer) and a body over
/// the response size limit (no real subscribe response comes near it: a
/// broken proxy or server, which may be sane again on the next try).
pub(crate) fn is_retryable(error: &RequestError) -> bool {
    error.is_retryable()
        || matches!(
            error.kind(),
            RequestErrorKind::InvalidResponse { .. }
                | RequestErrorKind::ResponseTooLarge { .. }
                | RequestErrorKind::Http { status: 408, .. }
        )
}

/// The status announced when a retryable failure starts an outage.
pub(crate) fn outage_status(error: RequestError) -> Status {
    match error.kind() {
        RequestErrorKind::Timeout { .. } | RequestErrorKind::Http { status: 408, .. } => {
            Status::Timeout { error }
        }
        RequestErrorKind::Network => Status::NetworkIssues { error },
        _ => Status::UnexpectedDisconnect { error },
    }
}

/// The status for a failure that stops the loop (400, 403, anything unexpected).
pub(crate) fn terminal_status(error: RequestError) -> Status {
    match error.kind() {
        RequestErrorKind::AccessDenied { .. } => Status::AccessDenied { error },
        RequestErrorKind::BadRequest { .. }
        | RequestErrorKind::InvalidKey { .. }
        | RequestErrorKind::InvalidChannel { .. }
        | RequestErrorKind::InvalidArgument { .. } => Status::BadRequest { error },
        _ => Status::Unknown { error },
    }
}

/// Whether a terminal status may come from the names of the request: a 400
/// (bad request or invalid names) or a 414 (URI too long).
pub(crate) fn blames_the_names(status: &Status) -> bool {
    let Some(error) = status.error() else {
        return false;
    };
    matches!(
        error.kind(),
        RequestErrorKind::BadRequest { .. }
            | RequestErrorKind::InvalidChannel { .. }
            | RequestErrorKind::InvalidArgument { .. }
            | RequestErrorKind::Http { status: 414, .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn err(kind: RequestErrorKind) -> RequestError {
        RequestError::from_kind(kind)
    }

    #[test]
    fn categories() {
        let timeout = err(RequestErrorKind::Timeout {
            after: Duration::from_secs(1),
        });
        assert!(is_retryable(&timeout));
        assert_eq!(outage_status(timeout).category(), "Timeout");
        assert_eq!(
            outage_status(err(RequestErrorKind::Network)).category(),
            "NetworkIssues"
        );
        let server = err(RequestErrorKind::Server {
            status: 503,
            message: None,
        });
        assert_eq!(outage_status(server).category(), "UnexpectedDisconnect");
        let denied = err(RequestErrorKind::AccessDenied {
            message: "Forbidden".into(),
            reason: crate::error::DenialReason::Permission,
            channels: vec![],
            channel_groups: vec![],
        });
        assert!(!is_retryable(&denied));
        let status = terminal_status(denied);
        assert_eq!(status.category(), "AccessDenied");
        assert_eq!(status.error().and_then(RequestError::status), Some(403));
        let bad = err(RequestErrorKind::BadRequest {
            message: "Invalid Arguments".into(),
        });
        assert_eq!(terminal_status(bad).category(), "BadRequest");
        assert!(is_retryable(&RequestError::invalid_response("html")));
        let too_large = err(RequestErrorKind::ResponseTooLarge { limit: 1 });
        assert!(is_retryable(&too_large));
        assert_eq!(outage_status(too_large).category(), "UnexpectedDisconnect");
    }
}
