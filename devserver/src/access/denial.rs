//! Access Manager error replies, in PubNub's shapes (protocol.md §4).

use http::StatusCode;
use serde_json::json;

use crate::routes::Reply;

/// 403 with the PAM error object: `{"error":{"message":…,"source":…,"details":[…]},…}`
/// (signature and token errors).
pub(crate) fn pam_error(status: StatusCode, message: &str, detail: &str, location: &str) -> Reply {
    let body = json!({
        "error": {
            "message": message,
            "source": "authz",
            "details": [{"message": detail, "location": location, "locationType": "query"}],
        },
        "service": "Access Manager",
        "status": status.as_u16(),
    });
    Reply::js(status, body.to_string())
}

/// 403 `Invalid signature`: a wrong, missing or stale signature.
pub(crate) fn invalid_signature(detail: &str) -> Reply {
    pam_error(
        StatusCode::FORBIDDEN,
        "Invalid signature",
        detail,
        "signature",
    )
}

/// 403 `Invalid token`: not base64/CBOR, not signed with this secret key,
/// or authorized for another user id.
pub(crate) fn invalid_token(detail: &str) -> Reply {
    pam_error(StatusCode::FORBIDDEN, "Invalid token", detail, "auth")
}

/// 403 `Token is expired.`.
pub(crate) fn expired_token() -> Reply {
    pam_error(
        StatusCode::FORBIDDEN,
        "Token is expired.",
        "The token's time to live has passed.",
        "auth",
    )
}

/// 403 `Token is revoked` (the observed flat shape).
pub(crate) fn revoked_token() -> Reply {
    let body = json!({
        "error": true,
        "status": 403,
        "service": "Access Manager",
        "message": "Token is revoked",
    });
    Reply::js(StatusCode::FORBIDDEN, body.to_string())
}

/// 403 `Forbidden` listing what was denied.
pub(crate) fn forbidden(channels: &[String], groups: &[String]) -> Reply {
    let mut payload = serde_json::Map::new();
    if !channels.is_empty() {
        payload.insert("channels".into(), json!(channels));
    }
    if !groups.is_empty() {
        payload.insert("channel-groups".into(), json!(groups));
    }
    let body = json!({
        "message": "Forbidden",
        "payload": payload,
        "error": true,
        "service": "Access Manager",
        "status": 403,
    });
    Reply::js(StatusCode::FORBIDDEN, body.to_string())
}

/// 400 for a malformed grant or revoke (`Invalid ttl`, …).
pub(crate) fn bad_grant(message: &str, detail: &str, location: &str) -> Reply {
    pam_error(StatusCode::BAD_REQUEST, message, detail, location)
}
