//! Golden fixtures: every error body shape of protocol §4.

use super::*;
use proptest::prelude::*;

fn msg(body: &str) -> Option<String> {
    parse(body.as_bytes()).message
}

#[test]
fn publish_array() {
    let e = parse(br#"[0,"Invalid Key","14820999375199241"]"#);
    assert_eq!(e.message.as_deref(), Some("Invalid Key"));
    assert_eq!(e.status, None);
}

#[test]
fn short_arrays() {
    assert_eq!(msg(r#"[0,"Forbidden"]"#).as_deref(), Some("Forbidden"));
    assert_eq!(
        msg(r#"[0,"Request Entity Too Large"]"#).as_deref(),
        Some("Request Entity Too Large")
    );
}

#[test]
fn service_object() {
    let e = parse(
        br#"{"message":"Invalid Subscribe Key","error":true,"service":"Access Manager","status":400}"#,
    );
    assert_eq!(e.status, Some(400));
    assert_eq!(e.message.as_deref(), Some("Invalid Subscribe Key"));
}

#[test]
fn pam_403_with_payload() {
    let e = parse(
        br#"{"message":"Forbidden","payload":{"channels":["ch"],"channel-groups":["cg"]},"error":true,"service":"Access Manager","status":403}"#,
    );
    assert_eq!(e.status, Some(403));
    assert_eq!(e.message.as_deref(), Some("Forbidden"));
    assert_eq!(e.channels, ["ch"]);
    assert_eq!(e.channel_groups, ["cg"]);
}

#[test]
fn pam_error_object() {
    let e = parse(
        br#"{"error":{"message":"Invalid signature","source":"grant","details":[{"message":"Signature mismatch","location":"signature","locationType":"query"}]},"service":"Access Manager","status":403}"#,
    );
    assert_eq!(e.status, Some(403));
    assert_eq!(
        e.message.as_deref(),
        Some("Invalid signature: Signature mismatch")
    );
    let ttl = parse(
        br#"{"error":{"message":"Invalid ttl","source":"grant","details":[{"message":"Range should be 1 to 43200 minute(s).","location":"ttl","locationType":"body"}]},"service":"Access Manager","status":400}"#,
    );
    assert_eq!(ttl.status, Some(400));
    assert_eq!(
        ttl.message.as_deref(),
        Some("Invalid ttl: Range should be 1 to 43200 minute(s).")
    );
}

#[test]
fn token_revoked() {
    let e = parse(
        br#"{"error":true,"status":403,"service":"Access Manager","message":"Token is revoked"}"#,
    );
    assert_eq!(
        (e.status, e.message.as_deref()),
        (Some(403), Some("Token is revoked"))
    );
}

#[test]
fn rate_limit() {
    let e = parse(br#"{"status":429,"error":true,"message":"Too many requests."}"#);
    assert_eq!(
        (e.status, e.message.as_deref()),
        (Some(429), Some("Too many requests."))
    );
}

#[test]
fn balancer() {
    let e = parse(
        br#"{"status":413,"error":true,"service":"Balancer","message":"Request Entity Too Large."}"#,
    );
    assert_eq!(
        (e.status, e.message.as_deref()),
        (Some(413), Some("Request Entity Too Large."))
    );
}

#[test]
fn history_style() {
    let e = parse(br#"{"status":403,"error":true,"error_message":"Forbidden","channels":{}}"#);
    assert_eq!(
        (e.status, e.message.as_deref()),
        (Some(403), Some("Forbidden"))
    );
}

#[test]
fn objects_style() {
    let e =
        parse(br#"{"status":409,"error":{"source":"actions","message":"Action Already Added"}}"#);
    assert_eq!(
        (e.status, e.message.as_deref()),
        (Some(409), Some("Action Already Added"))
    );
}

#[test]
fn presence_error_with_numeric_error_flag() {
    let e = parse(
        br#"{"status":400,"error":1,"message":"Invalid JSON specified.","service":"Presence"}"#,
    );
    assert_eq!(
        (e.status, e.message.as_deref()),
        (Some(400), Some("Invalid JSON specified."))
    );
}

#[test]
fn plain_text_html_and_empty_bodies() {
    assert_eq!(msg("Bad Gateway\n").as_deref(), Some("Bad Gateway"));
    assert_eq!(msg("<html><body>502</body></html>"), None);
    assert_eq!(msg(""), None);
    assert_eq!(parse(b"\xff\xfe"), ErrorBody::default());
}

#[test]
fn success_bodies_are_not_errors() {
    assert_eq!(
        error_in_success_body(br#"[1,"Sent","17334108327846111"]"#),
        None
    );
    assert_eq!(
        error_in_success_body(br#"{"t":{"t":"1","r":1},"m":[]}"#),
        None
    );
    assert_eq!(
        error_in_success_body(br#"{"status":200,"message":"OK","service":"Presence"}"#),
        None
    );
}

#[test]
fn status_over_400_in_a_200_body_is_an_error() {
    let e =
        error_in_success_body(br#" {"status":403,"error":true,"message":"Forbidden"}"#).unwrap();
    assert_eq!(
        (e.status, e.message.as_deref()),
        (Some(403), Some("Forbidden"))
    );
}

#[test]
fn the_status_key_is_found_however_it_is_spelled() {
    let spaced = error_in_success_body(br#"{"m":[], "status" : 429}"#).unwrap();
    assert_eq!(spaced.status, Some(429));
    let escaped = error_in_success_body(br#"{"st\u0061tus":403}"#).unwrap();
    assert_eq!(escaped.status, Some(403));
    let status_in_a_payload = br#"{"t":{"t":"1","r":1},"m":[{"d":{"status":500}}]}"#;
    assert_eq!(error_in_success_body(status_in_a_payload), None);
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse(&bytes);
        let _ = error_in_success_body(&bytes);
    }

    #[test]
    fn never_panics_on_json_like_text(s in r#"[\[\]{}",:0-9a-z\- ]{0,200}"#) {
        let _ = parse(s.as_bytes());
        let _ = error_in_success_body(s.as_bytes());
    }
}
