//! Filter expressions on subscribe (protocol.md §13): parsed per request,
//! applied to messages and signals, never to presence events.

mod common;

use common::{enc, finish, held_poll, server, tt_of};
use serde_json::{json, Value};

/// The payloads delivered to a long-poll on `channels` from `cursor` with `filter`.
async fn delivered(
    server: &pubnub_devserver::DevServer,
    http: &common::Http,
    channels: &str,
    cursor: u64,
    filter: &str,
) -> Vec<Value> {
    let q = format!("tt={cursor}&tr=1&uuid=reader&filter-expr={}", enc(filter));
    let r = finish(held_poll(server, http, channels, &q).await).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["m"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["d"].clone())
        .collect()
}

#[tokio::test]
async fn meta_filter_drops_non_matching_messages() {
    let (server, http) = server().await;
    let cursor = http.handshake("news").await;
    for (text, priority, level) in [("a", "low", 9), ("b", "high", 3), ("c", "high", 7)] {
        let meta = enc(&json!({"priority": priority, "level": level}).to_string());
        let r = http
            .publish(
                "news",
                &json!(text).to_string(),
                &format!("uuid=p&meta={meta}"),
            )
            .await;
        assert_eq!(r.status, 200);
    }
    let got = delivered(
        &server,
        &http,
        "news",
        cursor,
        r#"meta.priority == "high" && meta.level > 5"#,
    )
    .await;
    assert_eq!(got, [json!("c")]);
}

#[tokio::test]
async fn uuid_filter_applies_to_signals_too() {
    let (server, http) = server().await;
    let cursor = http.handshake("chat").await;
    http.publish("chat", r#""mine""#, "uuid=me").await;
    http.publish("chat", r#""theirs""#, "uuid=other").await;
    let r = http
        .get(&format!(
            "/signal/demo/demo/0/chat/0/{}?uuid=me",
            enc(r#""sig-mine""#)
        ))
        .await;
    assert_eq!(r.status, 200);
    http.get(&format!(
        "/signal/demo/demo/0/chat/0/{}?uuid=other",
        enc(r#""sig-theirs""#)
    ))
    .await;
    let got = delivered(&server, &http, "chat", cursor, "uuid != 'me'").await;
    assert_eq!(got, [json!("theirs"), json!("sig-theirs")]);
}

#[tokio::test]
async fn presence_events_are_not_filtered() {
    let (server, http) = server().await;
    let r = http.subscribe("room-pnpres", "tt=0&uuid=reader").await;
    let cursor = tt_of(&r.json()["t"]["t"]);
    http.get("/v2/presence/sub-key/demo/channel/room/heartbeat?uuid=joiner")
        .await;
    let got = delivered(&server, &http, "room-pnpres", cursor, "uuid == 'nobody'").await;
    assert_eq!(got[0]["action"], "join");
    assert_eq!(got[0]["uuid"], "joiner");
}

#[tokio::test]
async fn an_invalid_filter_is_a_400() {
    let (_server, http) = server().await;
    for filter in ["meta.a == (1", "uuid ==", "&&"] {
        let r = http
            .subscribe("chat", &format!("tt=0&uuid=u&filter-expr={}", enc(filter)))
            .await;
        assert_eq!(r.status, 400, "{filter}: {}", r.body);
        assert!(
            r.json()["message"].as_str().unwrap().contains("filter"),
            "{}",
            r.body
        );
    }
    let ok = http
        .subscribe(
            "chat",
            &format!("tt=0&uuid=u&filter-expr={}", enc("uuid != 'u'")),
        )
        .await;
    assert_eq!(ok.status, 200);
}
