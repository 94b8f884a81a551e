//! Slice 1: time, publish, signal, subscribe handshake and long-poll.

mod common;

use std::time::Duration;

use common::{enc, finish, held_poll, server, start, tt_of, within};
use pubnub_devserver::DevServer;

const JS: &str = "text/javascript; charset=\"UTF-8\"";

#[tokio::test]
async fn time_is_a_17_digit_number_in_an_array() {
    let (_s, http) = server().await;
    let r = http.get("/time/0").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, JS);
    let v = r.json();
    assert!(v[0].is_u64(), "{v}");
    assert_eq!(v[0].to_string().len(), 17);
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn publish_get_and_post_answer_sent_with_string_timetoken() {
    let (_s, http) = server().await;
    let r = http.publish("chat", r#"{"text":"hi"}"#, "uuid=alice").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, JS);
    let v = r.json();
    assert_eq!(v[0], 1);
    assert_eq!(v[1], "Sent");
    assert!(v[2].is_string());
    let t1 = tt_of(&v[2]);
    let r = http
        .post("/publish/demo/demo/0/chat/0?uuid=alice", r#"[1,2]"#)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(tt_of(&r.json()[2]) > t1);
}

#[tokio::test]
async fn handshake_returns_at_once_with_empty_m() {
    let (_s, http) = server().await;
    for query in ["tt=0", "", "tt=0&tr=1&ee=&requestid=x&pnsdk=PubNub-JS%2F1"] {
        let r = http.subscribe("a,b-pnpres", query).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.content_type, JS);
        let v = r.json();
        assert_eq!(v["m"], serde_json::json!([]));
        assert!(v["t"]["t"].is_string());
        assert_eq!(v["t"]["t"].as_str().map(str::len), Some(17));
        assert_eq!(v["t"]["r"], 1);
    }
}

#[tokio::test]
async fn publish_wakes_a_waiting_long_poll_with_the_exact_envelope() {
    let (server, http) = server().await;
    let cursor = http.handshake("chat").await;
    let poll = held_poll(
        &server,
        &http,
        "chat",
        &format!("tt={cursor}&tr=1&uuid=sub-1"),
    )
    .await;
    let meta = enc(r#"{"lvl":5}"#);
    let r = http
        .publish(
            "chat",
            r#"{"text":"hi"}"#,
            &format!("uuid=alice&meta={meta}&seqn=7&custom_message_type=chat-msg"),
        )
        .await;
    let tt = r.json()[2].clone();
    let resp = finish(poll).await;
    assert_eq!(resp.status, 200);
    let v = resp.json();
    assert_eq!(v["t"]["t"], tt);
    assert_eq!(v["t"]["r"], 1);
    let expected = serde_json::json!({
        "a": "1", "f": 0, "i": "alice", "s": 7,
        "p": {"t": tt, "r": 1}, "k": "demo", "c": "chat",
        "d": {"text": "hi"}, "u": {"lvl": 5}, "cmt": "chat-msg"
    });
    assert_eq!(v["m"], serde_json::json!([expected]));
}

#[tokio::test]
async fn signal_has_e_1_and_plain_message_has_no_optional_fields() {
    let (_s, http) = server().await;
    let cursor = http.handshake("x").await;
    let r = http
        .get(&format!(
            "/signal/demo/demo/0/x/0/{}?uuid=bob",
            enc("\"typing\"")
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()[1], "Sent");
    http.publish("x", "42", "").await;
    let v = http.subscribe("x", &format!("tt={cursor}")).await.json();
    let m = v["m"].as_array().expect("m array");
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["e"], 1);
    assert_eq!(m[0]["d"], "typing");
    assert_eq!(m[0]["i"], "bob");
    let plain = m[1].as_object().expect("object");
    let mut keys: Vec<&str> = plain.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["a", "c", "d", "f", "k", "p"]);
}

#[tokio::test]
async fn hold_expires_with_empty_m_and_request_cursor() {
    let (_s, http) = start(DevServer::builder().long_poll_hold(Duration::from_millis(200))).await;
    let cursor = http.handshake("quiet").await;
    let v = http
        .subscribe("quiet", &format!("tt={cursor}&tr=1"))
        .await
        .json();
    assert_eq!(v["m"], serde_json::json!([]));
    assert_eq!(tt_of(&v["t"]["t"]), cursor);
}

#[tokio::test]
async fn multiplexed_channels_deliver_in_timetoken_order_strictly_after_cursor() {
    let (_s, http) = server().await;
    let before = http.publish_tt("a", "0").await;
    let t1 = http.publish_tt("a", "1").await;
    let t2 = http.publish_tt("b", "2").await;
    http.publish_tt("c", "3").await;
    let t4 = http.publish_tt("a", "4").await;
    let v = http.subscribe("a,b", &format!("tt={before}")).await.json();
    let got: Vec<(u64, String)> = v["m"]
        .as_array()
        .expect("m")
        .iter()
        .map(|m| (tt_of(&m["p"]["t"]), m["d"].to_string()))
        .collect();
    assert_eq!(
        got,
        vec![(t1, "1".into()), (t2, "2".into()), (t4, "4".into())]
    );
    assert_eq!(tt_of(&v["t"]["t"]), t4);
}

#[tokio::test]
async fn timetokens_strictly_increase_across_concurrent_publishes() {
    let (_s, http) = server().await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let h = http.clone();
        tasks.push(tokio::spawn(async move {
            h.publish_tt("m", &i.to_string()).await
        }));
    }
    let mut tts = Vec::new();
    for t in tasks {
        tts.push(within(t).await.expect("task"));
    }
    tts.sort_unstable();
    tts.dedup();
    assert_eq!(tts.len(), 20, "two publishes shared a timetoken");
    assert!(tts.iter().all(|t| t.to_string().len() == 17));
}

#[tokio::test]
async fn queue_keeps_last_100_and_response_caps_at_100() {
    let (_s, http) = server().await;
    let cursor = http.handshake("q").await;
    let mut tts = Vec::new();
    for i in 0..120 {
        tts.push(http.publish_tt("q", &i.to_string()).await);
    }
    let v = http.subscribe("q", &format!("tt={cursor}")).await.json();
    let m = v["m"].as_array().expect("m");
    assert_eq!(m.len(), 100);
    assert_eq!(m[0]["d"], 20, "the 20 oldest were dropped from the queue");
    assert_eq!(tt_of(&v["t"]["t"]), tts[119]);

    // Across channels one response is capped at 100; the rest comes next poll.
    let cursor = http.handshake("r1,r2").await;
    for i in 0..60 {
        http.publish_tt("r1", &i.to_string()).await;
        http.publish_tt("r2", &i.to_string()).await;
    }
    let v = http
        .subscribe("r1,r2", &format!("tt={cursor}"))
        .await
        .json();
    assert_eq!(v["m"].as_array().map(Vec::len), Some(100));
    let next = tt_of(&v["t"]["t"]);
    let v = http.subscribe("r1,r2", &format!("tt={next}")).await.json();
    assert_eq!(v["m"].as_array().map(Vec::len), Some(20));
}

#[tokio::test]
async fn presence_channels_are_accepted_and_get_b() {
    let (server, http) = server().await;
    let cursor = http.handshake("room,room-pnpres").await;
    let event = serde_json::json!({"action":"join","timestamp":1,"uuid":"u1","occupancy":1});
    server.publish_presence("demo", "room", &event);
    let v = http
        .subscribe("room,room-pnpres", &format!("tt={cursor}"))
        .await
        .json();
    let m = &v["m"][0];
    assert_eq!(m["c"], "room-pnpres");
    assert_eq!(m["b"], "room-pnpres");
    assert_eq!(m["d"], event);
    assert!(m.get("e").is_none() && m.get("i").is_none());
}

#[tokio::test]
async fn percent_decoding_splits_lists_before_decoding() {
    let (_s, http) = server().await;
    let name = enc("grüße-(1)");
    let cursor = http.handshake(&format!("{name},b")).await;
    http.publish(&name, "\"x+y\"", "").await;
    // A raw `+` in the path stays a plus.
    http.get(&format!("/publish/demo/demo/0/{name}/0/%22a+b%22"))
        .await;
    let v = http
        .subscribe(&format!("{name},b"), &format!("tt={cursor}"))
        .await
        .json();
    assert_eq!(v["m"][0]["c"], "grüße-(1)");
    assert_eq!(v["m"][0]["d"], "x+y");
    assert_eq!(v["m"][1]["d"], "a+b");
    let meta = "%7B%22b%22%3A+%22q+w%22%7D"; // old Python: + for space
    let cursor = http.handshake("p").await;
    http.publish("p", "1", &format!("meta={meta}")).await;
    let v = http.subscribe("p", &format!("tt={cursor}")).await.json();
    assert_eq!(v["m"][0]["u"], serde_json::json!({"b": "q w"}));
}
