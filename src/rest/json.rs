//! Send a request, check its status, read its JSON body.

use serde_json::Value;

use crate::error::{RequestError, RequestErrorKind};
use crate::shared::Shared;
use crate::transport::{check_status, Request};

/// Sends `req`, maps error statuses and returns the body as JSON.
pub(crate) async fn send_json(inner: &Shared, req: Request) -> Result<Value, RequestError> {
    let resp = inner.transport.send(req).await?;
    check_status(&resp)?;
    serde_json::from_slice(&resp.body).map_err(|e| {
        RequestError::with_source(
            RequestErrorKind::InvalidResponse {
                reason: "the body is not JSON".to_owned(),
            },
            e,
        )
    })
}

/// `body.payload.<key>` as a list of strings.
pub(crate) fn payload_strings(body: &Value, key: &str) -> Result<Vec<String>, RequestError> {
    let list = body
        .get("payload")
        .and_then(|p| p.get(key))
        .and_then(Value::as_array)
        .ok_or_else(|| RequestError::invalid_response(format!("expected payload.{key}")))?;
    list.iter()
        .map(|v| {
            v.as_str().map(str::to_owned).ok_or_else(|| {
                RequestError::invalid_response(format!("payload.{key} holds a non-string"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_strings_are_checked() {
        let body: Value = serde_json::json!({"payload": {"channels": ["a", "b"]}});
        assert_eq!(payload_strings(&body, "channels").unwrap(), ["a", "b"]);
        assert!(payload_strings(&body, "groups").is_err());
        let bad: Value = serde_json::json!({"payload": {"channels": [1]}});
        assert!(payload_strings(&bad, "channels").is_err());
    }

    proptest::proptest! {
        #[test]
        fn payload_strings_never_panics(v in crate::presence::test_json::arb_json()) {
            let _ = payload_strings(&v, "channels");
            let _ = payload_strings(&serde_json::json!({"payload": v}), "groups");
        }
    }
}
