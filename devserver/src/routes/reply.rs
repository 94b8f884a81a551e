//! Route replies and the error body shapes of protocol.md §4.

use http::StatusCode;
use serde_json::json;

/// The two content types the SDKs parse (protocol.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentType {
    /// `text/javascript; charset="UTF-8"`: publish, subscribe, presence, history.
    JavaScript,
    /// `application/json`: channel groups.
    Json,
}

impl ContentType {
    pub(crate) fn header_value(self) -> &'static str {
        match self {
            ContentType::JavaScript => "text/javascript; charset=\"UTF-8\"",
            ContentType::Json => "application/json",
        }
    }
}

/// A complete response from a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: ContentType,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn js(status: StatusCode, body: impl Into<String>) -> Self {
        Reply {
            status,
            content_type: ContentType::JavaScript,
            body: body.into(),
        }
    }

    pub(crate) fn json(status: StatusCode, body: impl Into<String>) -> Self {
        Reply {
            status,
            content_type: ContentType::Json,
            body: body.into(),
        }
    }

    /// `[0,"<message>","<tt>"]` (publish and signal errors).
    pub(crate) fn publish_error(status: StatusCode, message: &str, tt: u64) -> Self {
        Reply::js(status, json!([0, message, tt.to_string()]).to_string())
    }

    /// `{"status":N,"error":true,"service":S,"message":M}`.
    pub(crate) fn service(status: StatusCode, service: &str, message: &str) -> Self {
        let body = json!({
            "status": status.as_u16(),
            "error": true,
            "service": service,
            "message": message,
        });
        Reply::js(status, body.to_string())
    }

    /// 400, the observed bad-subscribe-key object.
    pub(crate) fn invalid_sub_key() -> Self {
        Reply::service(
            StatusCode::BAD_REQUEST,
            "Access Manager",
            "Invalid Subscribe Key",
        )
    }

    /// 400 `Invalid Arguments` (bad channel or group names, missing parts).
    pub(crate) fn invalid_arguments() -> Self {
        Reply::service(StatusCode::BAD_REQUEST, "Balancer", "Invalid Arguments")
    }

    /// 400 for malformed percent-encoding.
    pub(crate) fn bad_encoding() -> Self {
        Reply::service(StatusCode::BAD_REQUEST, "Balancer", "Invalid Encoding")
    }

    /// 404 for an unknown route.
    pub(crate) fn not_found() -> Self {
        Reply::service(StatusCode::NOT_FOUND, "Balancer", "Not Found")
    }

    /// 414 for an over-long URI.
    pub(crate) fn uri_too_long() -> Self {
        Reply::service(StatusCode::URI_TOO_LONG, "Balancer", "Request URI Too Long")
    }

    /// 408 for a request body that did not arrive in time.
    pub(crate) fn request_timeout() -> Self {
        Reply::service(StatusCode::REQUEST_TIMEOUT, "Balancer", "Request Timeout")
    }

    /// 413 for an over-large body.
    pub(crate) fn body_too_large() -> Self {
        Reply::service(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Balancer",
            "Request Entity Too Large.",
        )
    }
}
