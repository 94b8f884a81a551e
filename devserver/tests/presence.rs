//! Presence over HTTP (protocol.md §8): events on `<ch>-pnpres` from
//! subscribe, heartbeat, leave, state and timeouts; interval mode; the
//! here_now / where_now / state bodies.

mod common;

use std::time::Duration;

use common::{enc, finish, held_poll, server, start, tt_of, within, Http};
use pubnub_devserver::DevServer;
use serde_json::{json, Value};

const P: &str = "/v2/presence/sub-key/demo";

/// Presence events seen by a `-pnpres` subscriber, one long-poll at a time.
struct Watcher {
    channels: String,
    query: String,
    cursor: u64,
}

impl Watcher {
    async fn new(http: &Http, channels: &str, query: &str) -> Watcher {
        let r = http
            .subscribe(channels, &format!("tt=0&uuid=watcher&{query}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        Watcher {
            channels: channels.to_owned(),
            query: query.to_owned(),
            cursor: tt_of(&r.json()["t"]["t"]),
        }
    }

    /// The envelopes of the next non-empty long-poll answer.
    async fn next(&mut self, server: &DevServer, http: &Http) -> Vec<Value> {
        loop {
            let q = format!("tt={}&tr=1&uuid=watcher&{}", self.cursor, self.query);
            let r = finish(held_poll(server, http, &self.channels, &q).await).await;
            assert_eq!(r.status, 200, "{}", r.body);
            let json = r.json();
            self.cursor = tt_of(&json["t"]["t"]);
            let m = json["m"].as_array().cloned().unwrap_or_default();
            if !m.is_empty() {
                return m;
            }
        }
    }

    /// The payloads (`d`) of the next events, until `n` have arrived.
    async fn events(&mut self, server: &DevServer, http: &Http, n: usize) -> Vec<Value> {
        let mut out = Vec::new();
        while out.len() < n {
            out.extend(
                self.next(server, http)
                    .await
                    .into_iter()
                    .map(|e| e["d"].clone()),
            );
        }
        out
    }
}

fn without_timestamp(mut event: Value) -> Value {
    assert!(
        event["timestamp"].is_u64(),
        "timestamp is an integer: {event}"
    );
    event.as_object_mut().unwrap().remove("timestamp");
    event
}

#[tokio::test]
async fn subscribe_joins_with_state_and_leave_leaves() {
    let (server, http) = server().await;
    let mut watcher = Watcher::new(&http, "chat-pnpres", "").await;
    let state = enc(r#"{"chat":{"mood":"ok"}}"#);
    let r = http
        .subscribe(
            "chat",
            &format!("tt=0&uuid=alice&heartbeat=60&state={state}"),
        )
        .await;
    assert_eq!(r.status, 200);
    let envelopes = within(watcher.next(&server, &http)).await;
    assert_eq!(envelopes[0]["c"], "chat-pnpres");
    assert_eq!(envelopes[0]["b"], "chat-pnpres");
    assert!(envelopes[0].get("e").is_none() && envelopes[0].get("i").is_none());
    assert_eq!(
        without_timestamp(envelopes[0]["d"].clone()),
        json!({"action":"join","uuid":"alice","occupancy":1,"data":{"mood":"ok"}})
    );

    let r = http
        .get(&format!("{P}/channel/chat/leave?uuid=alice"))
        .await;
    assert_eq!(
        r.json(),
        json!({"status":200,"message":"OK","action":"leave","service":"Presence"})
    );
    let events = within(watcher.events(&server, &http, 1)).await;
    assert_eq!(
        without_timestamp(events[0].clone()),
        json!({"action":"leave","uuid":"alice","occupancy":0})
    );
}

#[tokio::test]
async fn a_silent_client_times_out() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_min_timeout(Duration::from_millis(50))
            .presence_default_timeout(Duration::from_millis(150)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "room-pnpres", "").await;
    let r = http
        .get(&format!("{P}/channel/room/heartbeat?uuid=bob"))
        .await;
    assert_eq!(
        r.json(),
        json!({"status":200,"message":"OK","service":"Presence"})
    );
    let events = within(watcher.events(&server, &http, 2)).await;
    let actions: Vec<_> = events.iter().map(|e| e["action"].clone()).collect();
    assert_eq!(actions, [json!("join"), json!("timeout")]);
    assert_eq!(events[1]["uuid"], "bob");
    assert_eq!(events[1]["occupancy"], 0);
    let here = http.get(&format!("{P}/channel/room")).await.json();
    assert_eq!(here["occupancy"], 0);
}

#[tokio::test]
async fn heartbeat_timeout_is_clamped_to_the_minimum() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_min_timeout(Duration::from_millis(100)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "c-pnpres", "").await;
    // heartbeat=0 is raised to the 100 ms minimum, so the uuid times out soon.
    http.get(&format!("{P}/channel/c/heartbeat?uuid=u&heartbeat=0"))
        .await;
    let events = within(watcher.events(&server, &http, 2)).await;
    assert_eq!(events[1]["action"], "timeout");
}

#[tokio::test]
async fn group_presence_reaches_group_pnpres_subscribers() {
    let (server, http) = server().await;
    let r = http
        .get("/v1/channel-registration/sub-key/demo/channel-group/cg?add=a,b")
        .await;
    assert_eq!(r.status, 200);
    let mut watcher = Watcher::new(&http, ",", "channel-group=cg-pnpres").await;
    http.subscribe(",", "tt=0&uuid=carol&channel-group=cg")
        .await;
    let mut envelopes = Vec::new();
    while envelopes.len() < 2 {
        envelopes.extend(within(watcher.next(&server, &http)).await);
    }
    let mut channels: Vec<_> = envelopes.iter().map(|e| e["c"].clone()).collect();
    channels.sort_by_key(|c| c.to_string());
    assert_eq!(channels, [json!("a-pnpres"), json!("b-pnpres")]);
    assert!(envelopes.iter().all(|e| e["b"] == "cg-pnpres"));
    assert!(envelopes.iter().all(|e| e["d"]["uuid"] == "carol"));
    let where_now = http.get(&format!("{P}/uuid/carol")).await.json();
    assert_eq!(where_now["payload"]["channels"], json!(["a", "b"]));
}

#[tokio::test]
async fn here_now_shapes() {
    let (_server, http) = server().await;
    for uuid in ["u1", "u2"] {
        http.get(&format!("{P}/channel/a,b/heartbeat?uuid={uuid}"))
            .await;
    }
    http.get(&format!("{P}/channel/c/heartbeat?uuid=u3")).await;
    http.get(&format!(
        "{P}/channel/c/uuid/u3/data?uuid=u3&state={}",
        enc(r#"{"k":1}"#)
    ))
    .await;

    let single = http.get(&format!("{P}/channel/a")).await;
    assert!(single.content_type.starts_with("text/javascript"));
    assert_eq!(
        single.json(),
        json!({"status":200,"message":"OK","service":"Presence","uuids":["u1","u2"],"occupancy":2})
    );
    let with_state = http.get(&format!("{P}/channel/c?state=1")).await.json();
    assert_eq!(with_state["uuids"], json!([{"uuid":"u3","state":{"k":1}}]));
    let hidden = http
        .get(&format!("{P}/channel/a?disable_uuids=1"))
        .await
        .json();
    assert!(hidden.get("uuids").is_none());
    assert_eq!(hidden["occupancy"], 2);

    let multi = http.get(&format!("{P}/channel/a,c")).await.json();
    assert_eq!(multi["payload"]["total_channels"], 2);
    assert_eq!(multi["payload"]["total_occupancy"], 3);
    assert_eq!(multi["payload"]["channels"]["c"]["uuids"], json!(["u3"]));

    let global = http.get(P).await.json();
    assert_eq!(global["payload"]["total_channels"], 3);
    assert_eq!(global["payload"]["total_occupancy"], 5);
    let global_underscore = http.get("/v2/presence/sub_key/demo").await.json();
    assert_eq!(global_underscore, global);

    http.get("/v1/channel-registration/sub-key/demo/channel-group/g?add=b")
        .await;
    let via_group = http
        .get(&format!("{P}/channel/,?channel-group=g"))
        .await
        .json();
    assert_eq!(via_group["payload"]["total_channels"], 1);
    assert_eq!(via_group["payload"]["channels"]["b"]["occupancy"], 2);
}

#[tokio::test]
async fn set_and_get_state_fire_state_change() {
    let (server, http) = server().await;
    let mut watcher = Watcher::new(&http, "s-pnpres", "").await;
    http.get(&format!("{P}/channel/s,t/heartbeat?uuid=dave"))
        .await;
    assert_eq!(
        within(watcher.events(&server, &http, 1)).await[0]["action"],
        "join"
    );

    let r = http
        .get(&format!(
            "{P}/channel/s,t/uuid/dave/data?uuid=dave&state={}",
            enc(r#"{"mood":"busy"}"#)
        ))
        .await;
    assert_eq!(
        r.json(),
        json!({"status":200,"message":"OK","payload":{"mood":"busy"},"service":"Presence"})
    );
    let events = within(watcher.events(&server, &http, 1)).await;
    assert_eq!(
        without_timestamp(events[0].clone()),
        json!({"action":"state-change","uuid":"dave","occupancy":1,"data":{"mood":"busy"}})
    );

    let one = http.get(&format!("{P}/channel/s/uuid/dave")).await.json();
    assert_eq!(
        one,
        json!({"status":200,"message":"OK","payload":{"mood":"busy"},"uuid":"dave","channel":"s","service":"Presence"})
    );
    let both = http.get(&format!("{P}/channel/s,t/uuid/dave")).await.json();
    assert_eq!(
        both["payload"],
        json!({"channels":{"s":{"mood":"busy"},"t":{"mood":"busy"}}})
    );

    let bad = http
        .get(&format!(
            "{P}/channel/s/uuid/dave/data?state={}",
            enc("[1]")
        ))
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json(),
        json!({"status":400,"error":1,"message":"Invalid JSON specified.","service":"Presence"})
    );
}

#[tokio::test]
async fn interval_mode_sends_deltas_then_here_now_refresh() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_announce_max(1)
            .presence_interval(Duration::from_millis(50)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "big-pnpres", "").await;
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u1"))
        .await;
    let first = within(watcher.events(&server, &http, 1)).await;
    assert_eq!(first[0]["action"], "join");
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u2"))
        .await;
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u3"))
        .await;
    // one interval event, or two if a tick fell between the heartbeats
    let mut joined = Vec::new();
    let mut last = Value::Null;
    while joined.len() < 2 {
        for event in within(watcher.events(&server, &http, 1)).await {
            assert_eq!(event["action"], "interval", "{event}");
            assert!(event.get("uuid").is_none(), "not announced one by one");
            joined.extend(event["join"].as_array().cloned().unwrap_or_default());
            last = event;
        }
    }
    assert_eq!(joined, [json!("u2"), json!("u3")]);
    assert_eq!(last["occupancy"], 3);

    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_announce_max(1)
            .presence_interval(Duration::from_millis(50))
            .presence_max_delta_bytes(8),
    )
    .await;
    let mut watcher = Watcher::new(&http, "big-pnpres", "").await;
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u1"))
        .await;
    within(watcher.events(&server, &http, 1)).await;
    // ["a-long-user-id"] is 18 bytes of deltas, over the 8-byte limit
    http.get(&format!("{P}/channel/big/heartbeat?uuid=a-long-user-id"))
        .await;
    let refresh = within(watcher.events(&server, &http, 1)).await;
    assert_eq!(
        without_timestamp(refresh[0].clone()),
        json!({"action":"interval","occupancy":2,"here_now_refresh":true})
    );
}

/// With paused time: a long-poll held 15 s by a client with a 20 s timeout
/// times it out 20 s after the poll *ended*, not after it started.
#[tokio::test(start_paused = true)]
async fn the_end_of_a_long_poll_counts_as_activity() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(15))
            .presence_min_timeout(Duration::from_secs(1)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "p-pnpres", "").await;
    let start = tokio::time::Instant::now();
    let poll = held_poll(
        &server,
        &http,
        "p",
        &format!("tt={}&tr=1&uuid=alice&heartbeat=20", watcher.cursor),
    )
    .await;
    let mut timed_out_at = None;
    while timed_out_at.is_none() {
        for event in watcher.events(&server, &http, 1).await {
            if event["action"] == "timeout" {
                assert_eq!(event["uuid"], "alice");
                timed_out_at = Some(tokio::time::Instant::now());
            }
        }
    }
    assert_eq!(finish(poll).await.status, 200);
    let after = timed_out_at.unwrap() - start;
    assert!(
        after >= Duration::from_secs(35) && after < Duration::from_secs(36),
        "timed out {after:?} after the poll started"
    );
}

#[tokio::test]
async fn bad_presence_requests() {
    let (_server, http) = server().await;
    assert_eq!(
        http.get(&format!("{P}/channel/c/heartbeat")).await.status,
        400
    );
    assert_eq!(
        http.get(&format!("{P}/channel/a%3Ab/heartbeat?uuid=u"))
            .await
            .status,
        400
    );
    assert_eq!(http.get(&format!("{P}/channel/c/nope")).await.status, 404);
    let wrong_key = http.get("/v2/presence/sub-key/wrong%20key/channel/c").await;
    assert_eq!(wrong_key.status, 200, "any key is accepted without keysets");
}
