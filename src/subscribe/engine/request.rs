//! The subscribe request (protocol.md §7.1). Leaves go through
//! [`announce::leave`](crate::presence::announce::leave).

use crate::config::Config;
use crate::protocol::encode::encode;
use crate::protocol::url::channel_list;
use crate::subscribe::envelope::Cursor;
use crate::transport::Request;

use super::interest::WireSet;

/// `GET /v2/subscribe/{sub}/{channels|,}/0?tt=&tr=&channel-group=&filter-expr=&heartbeat=&state=`.
/// No cursor means a handshake (`tt=0`). `state` is this client's presence
/// state keyed by channel or group (see `StateStore::json_for`).
pub(crate) fn subscribe(
    config: &Config,
    wire: &WireSet,
    cursor: Option<Cursor>,
    state: Option<String>,
) -> Request {
    let path = format!(
        "/v2/subscribe/{}/{}/0",
        encode(&config.subscribe_key),
        channel_list(&wire.channels)
    );
    let mut request = Request::get(path, config.subscribe_timeout);
    match cursor {
        Some(cursor) if !cursor.timetoken.is_zero() => {
            request = request
                .param("tt", cursor.timetoken.to_string())
                .param("tr", cursor.region.to_string());
        }
        _ => request = request.param("tt", "0"),
    }
    if !wire.groups.is_empty() {
        request = request.param("channel-group", wire.group_list().join(","));
    }
    if let Some(filter) = config
        .filter_expression
        .as_deref()
        .filter(|f| !f.is_empty())
    {
        request = request.param("filter-expr", filter);
    }
    request = request.param("heartbeat", config.presence_timeout.as_secs().to_string());
    match state {
        Some(state) => request.param("state", state),
        None => request,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::timetoken::Timetoken;

    fn config(filter: Option<&str>) -> Config {
        let mut b = crate::client::PubNub::builder()
            .subscribe_key("sub c")
            .user_id("u");
        if let Some(f) = filter {
            b = b.filter_expression(f);
        }
        b.build().unwrap().config().clone()
    }

    fn wire(channels: &[&str], groups: &[&str]) -> WireSet {
        WireSet {
            channels: channels.iter().map(|s| s.to_string()).collect(),
            groups: groups.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn params(r: &Request) -> Vec<(String, String)> {
        r.query
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn handshake_then_receive_with_cursor() {
        let c = config(Some("uuid != 'me'"));
        let hs = subscribe(&c, &wire(&["b", "a b"], &["g"]), None, None);
        assert_eq!(hs.path, "/v2/subscribe/sub%20c/a%20b,b/0");
        let p = params(&hs);
        assert_eq!(p[0], ("tt".into(), "0".into()));
        assert!(p.contains(&("channel-group".into(), "g".into())));
        assert!(p.contains(&("filter-expr".into(), "uuid != 'me'".into())));
        assert!(p.contains(&("heartbeat".into(), "300".into())));
        assert!(p.iter().all(|(k, _)| k != "state"));
        let cursor = Cursor {
            timetoken: Timetoken::new(17),
            region: 4,
        };
        let state = Some(r#"{"g":{"k":1}}"#.to_owned());
        let rx = subscribe(&c, &wire(&[], &["g"]), Some(cursor), state);
        assert_eq!(rx.path, "/v2/subscribe/sub%20c/,/0");
        let p = params(&rx);
        assert_eq!(
            &p[..2],
            &[("tt".into(), "17".into()), ("tr".into(), "4".into())]
        );
        assert_eq!(
            p.last().unwrap(),
            &("state".into(), r#"{"g":{"k":1}}"#.into())
        );
    }
}
