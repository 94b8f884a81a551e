//! Channel groups (protocol.md §9) and wildcard subscribe (§12).

mod common;

use common::{finish, held_poll, server, Http};
use serde_json::json;

const CG: &str = "/v1/channel-registration/sub-key/demo/channel-group";

async fn ok(http: &Http, path: &str) {
    let r = http.get(path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    assert_eq!(r.content_type, "application/json");
    assert_eq!(
        r.json(),
        json!({"status":200,"message":"OK","service":"channel-registry","error":false})
    );
}

#[tokio::test]
async fn add_list_remove_delete_groups() {
    let (_s, http) = server().await;
    ok(&http, &format!("{CG}/g1?add=b,a")).await;
    ok(&http, &format!("{CG}/g1?add=c%2Cd")).await;
    ok(&http, &format!("{CG}/g2?add=x&uuid=u")).await;
    let r = http.get(&format!("{CG}/g1")).await;
    assert_eq!(r.content_type, "application/json");
    assert_eq!(
        r.json(),
        json!({"status":200,"payload":{"channels":["a","b","c","d"],"group":"g1"},"service":"channel-registry","error":false})
    );
    ok(&http, &format!("{CG}/g1?remove=a%2Cc")).await;
    assert_eq!(
        http.get(&format!("{CG}/g1")).await.json()["payload"]["channels"],
        json!(["b", "d"])
    );
    let r = http.get(CG).await;
    assert_eq!(
        r.json(),
        json!({"status":200,"payload":{"groups":["g1","g2"],"sub_key":"demo"},"service":"channel-registry","error":false})
    );
    ok(&http, &format!("{CG}/g1/remove")).await;
    assert_eq!(
        http.get(CG).await.json()["payload"]["groups"],
        json!(["g2"])
    );
    assert_eq!(
        http.get(&format!("{CG}/unknown")).await.json()["payload"]["channels"],
        json!([])
    );
}

#[tokio::test]
async fn subscribe_via_group_sets_b_to_the_group_and_wakes_on_publish() {
    let (server, http) = server().await;
    ok(&http, &format!("{CG}/cg?add=m1,m2")).await;
    let r = http.subscribe(",", "tt=0&channel-group=cg").await;
    let cursor = common::tt_of(&r.json()["t"]["t"]);
    let poll = held_poll(
        &server,
        &http,
        ",",
        &format!("tt={cursor}&tr=1&channel-group=cg"),
    )
    .await;
    http.publish_tt("other", "0").await;
    http.publish_tt("m2", "\"hello\"").await;
    let v = finish(poll).await.json();
    let m = v["m"].as_array().expect("m");
    assert_eq!(m.len(), 1, "{v}");
    assert_eq!(m[0]["c"], "m2");
    assert_eq!(m[0]["b"], "cg");
    assert_eq!(m[0]["d"], "hello");
}

#[tokio::test]
async fn group_presence_delivers_member_presence_with_b_cg_pnpres() {
    let (server, http) = server().await;
    ok(&http, &format!("{CG}/cg?add=room")).await;
    let r = http.subscribe(",", "tt=0&channel-group=cg,cg-pnpres").await;
    let cursor = common::tt_of(&r.json()["t"]["t"]);
    let event = json!({"action":"leave","timestamp":2,"uuid":"u","occupancy":0});
    server.publish_presence("demo", "room", &event);
    server.publish_presence("demo", "elsewhere", &event);
    http.publish_tt("room", "1").await;
    let v = http
        .subscribe(",", &format!("tt={cursor}&channel-group=cg,cg-pnpres"))
        .await
        .json();
    let m = v["m"].as_array().expect("m");
    assert_eq!(m.len(), 2, "{v}");
    assert_eq!(
        (m[0]["c"].as_str(), m[0]["b"].as_str()),
        (Some("room-pnpres"), Some("cg-pnpres"))
    );
    assert_eq!(m[0]["d"], event);
    assert_eq!(
        (m[1]["c"].as_str(), m[1]["b"].as_str()),
        (Some("room"), Some("cg"))
    );
}

#[tokio::test]
async fn wildcard_subscribe_matches_deeper_channels_with_b_pattern() {
    let (_s, http) = server().await;
    let cursor = http.handshake("news.*,sport.uk.*").await;
    for ch in [
        "news.uk",
        "news.uk.london",
        "newsx",
        "news",
        "sport.uk.football",
        "sport.us.nba",
    ] {
        http.publish_tt(ch, &format!("\"{ch}\"")).await;
    }
    let v = http
        .subscribe("news.*,sport.uk.*", &format!("tt={cursor}"))
        .await
        .json();
    let got: Vec<(String, String)> = v["m"]
        .as_array()
        .expect("m")
        .iter()
        .map(|m| {
            (
                m["c"].as_str().unwrap_or("").to_owned(),
                m["b"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("news.uk".into(), "news.*".into()),
            ("news.uk.london".into(), "news.*".into()),
            ("sport.uk.football".into(), "sport.uk.*".into()),
        ]
    );
}

#[tokio::test]
async fn direct_match_wins_over_group_and_has_no_b() {
    let (_s, http) = server().await;
    ok(&http, &format!("{CG}/cg?add=both")).await;
    let r = http.subscribe("both", "tt=0&channel-group=cg").await;
    let cursor = common::tt_of(&r.json()["t"]["t"]);
    http.publish_tt("both", "1").await;
    let v = http
        .subscribe("both", &format!("tt={cursor}&channel-group=cg"))
        .await
        .json();
    assert_eq!(v["m"].as_array().map(Vec::len), Some(1));
    assert!(v["m"][0].get("b").is_none());
}
