//! Presence over HTTP (protocol.md §8): events on `<ch>-pnpres` from
//! subscribe, heartbeat, leave and state; the here_now / where_now / state bodies.

mod common;
mod presence_support;

use common::{enc, server, within};
use presence_support::{without_timestamp, Watcher};
use serde_json::json;

const P: &str = "/v2/presence/sub-key/demo";

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

#[tokio::test]
async fn state_keyed_by_group_applies_to_the_group_channels() {
    let (server, http) = server().await;
    http.get("/v1/channel-registration/sub-key/demo/channel-group/fam?add=x,y")
        .await;
    let mut watcher = Watcher::new(&http, "x-pnpres", "").await;
    let state = enc(r#"{"fam":{"home":true},"y":{"home":false}}"#);
    let r = http
        .subscribe(
            ",",
            &format!("tt=0&uuid=erin&channel-group=fam&state={state}"),
        )
        .await;
    assert_eq!(r.status, 200);
    let join = within(watcher.events(&server, &http, 1)).await;
    assert_eq!(join[0]["data"], json!({"home": true}));
    let states = http
        .get(&format!("{P}/channel/,/uuid/erin?channel-group=fam"))
        .await
        .json();
    assert_eq!(
        states["payload"]["channels"],
        json!({"x": {"home": true}, "y": {"home": false}})
    );
}
