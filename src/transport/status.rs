//! Mapping HTTP statuses and error bodies to [`RequestError`].

use std::time::{Duration, SystemTime};

use super::Response;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::error_body::{self, ErrorBody};

/// Stored error bodies are cut to this many bytes.
const MAX_KEPT_BODY: usize = 2048;

/// `Ok` for a success response; otherwise the typed error for its status and
/// body. A JSON object with a numeric `status >= 400` is an error even on HTTP 200,
/// and a status in the body wins over the HTTP status.
///
/// A redirect (3xx) is [`RequestErrorKind::Redirect`] naming the `Location`
/// without its query: PubNub never redirects, and the client never follows one.
pub(crate) fn check_status(resp: &Response) -> Result<(), RequestError> {
    if resp.status.is_redirection() {
        let location = resp
            .headers
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(location_without_query);
        return Err(RequestError::from_kind(RequestErrorKind::Redirect {
            status: resp.status.as_u16(),
            location,
        }));
    }
    let body = if resp.status.is_success() {
        match error_body::error_in_success_body(&resp.body) {
            Some(body) => body,
            None => return Ok(()),
        }
    } else {
        error_body::parse(&resp.body)
    };
    let status = body
        .status
        .filter(|s| *s >= 400)
        .unwrap_or(resp.status.as_u16());
    let retry_after = resp
        .headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    Err(RequestError::from_kind(classify(status, body, retry_after))
        .with_body(kept_body(&resp.body)))
}

/// A `Retry-After` value (RFC 9110 §10.2.3): delay-seconds, or an HTTP date,
/// read as the time from `now` until then (zero if it has passed).
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `scheme://host[:port]/path` of an absolute `Location`, or the path of a
/// relative one: user info, query and fragment may carry secrets (a portal
/// copies the original URL, auth token included, into its query).
fn location_without_query(value: &str) -> Option<String> {
    let uri: http::Uri = value.trim().parse().ok()?;
    let path = uri.path();
    match (uri.scheme_str(), uri.host()) {
        (Some(scheme), Some(host)) => Some(match uri.port_u16() {
            Some(port) => format!("{scheme}://{host}:{port}{path}"),
            None => format!("{scheme}://{host}{path}"),
        }),
        _ if value.trim().starts_with('/') => Some(path.to_owned()),
        _ => None,
    }
}

fn classify(status: u16, body: ErrorBody, retry_after: Option<Duration>) -> RequestErrorKind {
    let message = body.message;
    let text = |default: &str| message.clone().unwrap_or_else(|| default.to_owned());
    let says = |needle: &str| {
        message
            .as_deref()
            .is_some_and(|m| m.to_ascii_lowercase().contains(needle))
    };
    match status {
        403 => RequestErrorKind::AccessDenied {
            reason: crate::error::DenialReason::from_message(message.as_deref().unwrap_or("")),
            message: text("Forbidden"),
            channels: body.channels,
            channel_groups: body.channel_groups,
        },
        429 => RequestErrorKind::RateLimited {
            retry_after,
            message: text("Too Many Requests"),
        },
        413 => RequestErrorKind::PayloadTooLarge {
            status,
            message: text("Request Entity Too Large"),
        },
        400 if says("invalid key") || says("invalid subscribe key") || says("invalid subkey") => {
            RequestErrorKind::InvalidKey {
                message: text("Invalid Key"),
            }
        }
        400 if says("too large") => RequestErrorKind::PayloadTooLarge {
            status,
            message: text("Message Too Large"),
        },
        400 => RequestErrorKind::BadRequest {
            message: text("Bad Request"),
        },
        500..=599 => RequestErrorKind::Server { status, message },
        _ => RequestErrorKind::Http { status, message },
    }
}

fn kept_body(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let cut = &body[..body.len().min(MAX_KEPT_BODY)];
    Some(String::from_utf8_lossy(cut).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status: http::StatusCode::from_u16(status).unwrap(),
            headers: http::HeaderMap::new(),
            body: Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    fn kind(status: u16, body: &str) -> RequestErrorKind {
        check_status(&resp(status, body)).unwrap_err().into_kind()
    }

    #[test]
    fn success_is_ok() {
        assert!(check_status(&resp(200, r#"[1,"Sent","1"]"#)).is_ok());
    }

    #[test]
    fn each_status_class_has_its_own_kind() {
        assert!(matches!(
            kind(400, r#"[0,"Invalid Key","1"]"#),
            RequestErrorKind::InvalidKey { .. }
        ));
        assert!(matches!(
            kind(
                400,
                r#"{"message":"Invalid Subscribe Key","error":true,"status":400}"#
            ),
            RequestErrorKind::InvalidKey { .. }
        ));
        assert_eq!(
            kind(400, r#"[0,"Invalid JSON","1"]"#),
            RequestErrorKind::BadRequest {
                message: "Invalid JSON".into()
            }
        );
        assert_eq!(
            kind(413, r#"[0,"Message Too Large","1"]"#),
            RequestErrorKind::PayloadTooLarge {
                status: 413,
                message: "Message Too Large".into()
            }
        );
        assert!(matches!(
            kind(400, r#"[0,"Signal size too large","1"]"#),
            RequestErrorKind::PayloadTooLarge { status: 400, .. }
        ));
        assert_eq!(
            kind(502, ""),
            RequestErrorKind::Server {
                status: 502,
                message: None
            }
        );
        assert_eq!(
            kind(404, "Not Found"),
            RequestErrorKind::Http {
                status: 404,
                message: Some("Not Found".into())
            }
        );
    }

    #[test]
    fn access_denied_keeps_message_and_denied_resources() {
        let body = r#"{"message":"Forbidden","payload":{"channels":["ch"],"channel-groups":["cg"]},"error":true,"service":"Access Manager","status":403}"#;
        assert_eq!(
            kind(403, body),
            RequestErrorKind::AccessDenied {
                message: "Forbidden".into(),
                reason: crate::error::DenialReason::Permission,
                channels: vec!["ch".into()],
                channel_groups: vec!["cg".into()],
            }
        );
    }

    #[test]
    fn rate_limit_reads_retry_after() {
        let mut r = resp(
            429,
            r#"{"status":429,"error":true,"message":"Too many requests."}"#,
        );
        r.headers.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("7"),
        );
        let err = check_status(&r).unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(err.server_message(), Some("Too many requests."));
        assert!(err.is_retryable());
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        for later in [
            "Sun, 06 Nov 1994 08:50:07 GMT",  // IMF-fixdate
            "Sunday, 06-Nov-94 08:50:07 GMT", // obsolete RFC 850
            "Sun Nov  6 08:50:07 1994",       // obsolete asctime
        ] {
            assert_eq!(
                parse_retry_after(later, now),
                Some(Duration::from_secs(30)),
                "{later}"
            );
        }
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        for bad in ["", "soon", "-5", "1.5"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn a_redirect_names_its_location_without_secrets() {
        for status in [301, 302, 307] {
            let mut r = resp(status, "<html>login</html>");
            r.headers.insert(
                http::header::LOCATION,
                http::HeaderValue::from_static(
                    "http://user:pw@portal.example:8080/login?orig=https%3A%2F%2Fps.pndsn.com%2F%3Fauth%3Dtoken#x",
                ),
            );
            let err = check_status(&r).unwrap_err();
            assert_eq!(
                err.kind(),
                &RequestErrorKind::Redirect {
                    status,
                    location: Some("http://portal.example:8080/login".into())
                }
            );
            let text = err.to_string();
            assert!(text.contains("portal.example:8080/login"), "{text}");
            assert!(!text.contains("token") && !text.contains("pw"), "{text}");
            assert!(err.is_retryable());
            assert_eq!(err.status(), Some(status));
        }
        let mut relative = resp(302, "");
        relative.headers.insert(
            http::header::LOCATION,
            http::HeaderValue::from_static("/login?auth=token"),
        );
        assert_eq!(
            check_status(&relative).unwrap_err().into_kind(),
            RequestErrorKind::Redirect {
                status: 302,
                location: Some("/login".into())
            }
        );
        assert_eq!(
            kind(302, ""),
            RequestErrorKind::Redirect {
                status: 302,
                location: None
            }
        );
    }

    #[test]
    fn status_in_the_body_wins_even_on_http_200() {
        let err = check_status(&resp(
            200,
            r#"{"status":403,"error":true,"message":"Token is revoked"}"#,
        ))
        .unwrap_err();
        assert!(matches!(err.kind(), RequestErrorKind::AccessDenied { .. }));
        assert_eq!(err.server_message(), Some("Token is revoked"));
        assert_eq!(
            err.body(),
            Some(r#"{"status":403,"error":true,"message":"Token is revoked"}"#)
        );
    }
}
