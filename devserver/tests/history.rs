//! Storage and history fetch (protocol.md §11).

mod common;

use common::{enc, server, start, tt_of, within};
use pubnub_devserver::DevServer;
use serde_json::json;

const V3: &str = "/v3/history/sub-key/demo/channel";

#[tokio::test]
async fn v3_fetch_returns_stored_messages_with_requested_fields() {
    let (_s, http) = server().await;
    let meta = enc(r#"{"m":1}"#);
    let r = http
        .publish(
            "h",
            r#"{"n":1}"#,
            &format!("uuid=alice&meta={meta}&custom_message_type=txt"),
        )
        .await;
    let t1 = r.json()[2].clone();
    let t2 = http.publish_tt("h", "2").await;
    http.get(&format!("/signal/demo/demo/0/h/0/{}", enc("3")))
        .await;
    http.publish("h", "4", "store=0").await;
    let r = http
        .get(&format!("{V3}/h?include_meta=true&include_uuid=true&include_custom_message_type=true&include_message_type=true"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "text/javascript; charset=\"UTF-8\"");
    let expected = json!({"status":200,"error":false,"error_message":"","channels":{"h":[
        {"message":{"n":1},"timetoken":t1,"meta":{"m":1},"uuid":"alice","message_type":null,"custom_message_type":"txt"},
        {"message":2,"timetoken":t2.to_string(),"uuid":"pub-1","message_type":null}
    ]}});
    assert_eq!(r.json(), expected);
    let plain = http.get(&format!("{V3}/h")).await.json();
    assert_eq!(
        plain["channels"]["h"][0],
        json!({"message":{"n":1},"timetoken":t1})
    );
}

#[tokio::test]
async fn v3_range_max_and_multi_channel_defaults() {
    let (_s, http) = server().await;
    let mut tts = Vec::new();
    for i in 0..30 {
        tts.push(http.publish_tt("a", &i.to_string()).await);
        http.publish_tt("b", &i.to_string()).await;
    }
    let v = http.get(&format!("{V3}/a?max=3")).await.json();
    assert_eq!(v["channels"]["a"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        v["channels"]["a"][0]["message"], 27,
        "most recent, oldest first"
    );
    let (start, end) = (tts[10], tts[5]);
    let v = http
        .get(&format!("{V3}/a?start={start}&end={end}"))
        .await
        .json();
    let got: Vec<u64> = v["channels"]["a"]
        .as_array()
        .expect("a")
        .iter()
        .map(|m| tt_of(&m["timetoken"]))
        .collect();
    assert_eq!(got, tts[5..10].to_vec(), "start exclusive, end inclusive");
    let v = http.get(&format!("{V3}/a,b,empty")).await.json();
    assert_eq!(v["channels"]["a"].as_array().map(Vec::len), Some(25));
    assert_eq!(v["channels"]["b"].as_array().map(Vec::len), Some(25));
    assert!(v["channels"].get("empty").is_none());
    let v = http.get(&format!("{V3}/a?max=500")).await.json();
    assert_eq!(v["channels"]["a"].as_array().map(Vec::len), Some(30));
}

#[tokio::test]
async fn store_default_can_be_off_and_ttl_is_accepted() {
    let (_s, http) = start(DevServer::builder().store_by_default(false)).await;
    http.publish("s", "1", "").await;
    http.publish("s", "2", "store=1&ttl=1").await;
    http.publish("s", "3", "store=true&ttl=0.5").await;
    let v = http.get(&format!("{V3}/s")).await.json();
    let got: Vec<i64> = v["channels"]["s"]
        .as_array()
        .expect("s")
        .iter()
        .filter_map(|m| m["message"].as_i64())
        .collect();
    assert_eq!(got, vec![2, 3]);
}

#[tokio::test]
async fn v2_history_shape() {
    let (_s, http) = server().await;
    let t1 = http.publish_tt("v", "\"a\"").await;
    let t2 = http.publish_tt("v", "\"b\"").await;
    let v = http
        .get("/v2/history/sub-key/demo/channel/v?count=1")
        .await
        .json();
    assert_eq!(v, json!([["b"], t2, t2]));
    let v = http
        .get("/v2/history/sub-key/demo/channel/v?reverse=true&include_token=true")
        .await
        .json();
    assert_eq!(
        v,
        json!([[{"message":"a","timetoken":t1,"meta":null},{"message":"b","timetoken":t2,"meta":null}], t1, t2])
    );
}

#[tokio::test]
async fn delete_range_and_message_counts() {
    let (_s, http) = server().await;
    let t: Vec<u64> = {
        let mut v = Vec::new();
        for i in 0..4 {
            v.push(http.publish_tt("d", &i.to_string()).await);
        }
        v
    };
    http.publish_tt("e", "0").await;
    let r = http
        .get(&format!(
            "/v3/history/sub-key/demo/message-counts/d,e?channelsTimetoken={},1",
            t[2]
        ))
        .await;
    assert_eq!(
        r.json(),
        json!({"status":200,"error":false,"error_message":"","channels":{"d":2,"e":1}})
    );
    let r = http
        .get(&format!(
            "/v3/history/sub-key/demo/message-counts/d?timetoken={}",
            t[0]
        ))
        .await;
    assert_eq!(r.json()["channels"]["d"], 4);
    // Deleting needs the secret key: unsigned, it is refused.
    let r = within(http.try_send("DELETE", &format!("{V3}/d"), ""))
        .await
        .expect("delete");
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"]["message"], "Invalid signature");
    // Delete exactly t[1]: start = t[1] - 1 (exclusive), end = t[1] (inclusive).
    // (This server has no secret key to check a signature with: any will do.)
    let r = within(http.try_send(
        "DELETE",
        &format!("{V3}/d?start={}&end={}&signature=v2.x", t[1] - 1, t[1]),
        "",
    ))
    .await
    .expect("delete");
    assert_eq!(
        r.json(),
        json!({"status":200,"error":false,"error_message":""})
    );
    let v = http.get(&format!("{V3}/d")).await.json();
    let got: Vec<i64> = v["channels"]["d"]
        .as_array()
        .expect("d")
        .iter()
        .filter_map(|m| m["message"].as_i64())
        .collect();
    assert_eq!(got, vec![0, 2, 3]);
}

/// A message the server accepted is readable in history as the text it
/// stored, even when it is JSON no parser turns into a value (a lone UTF-16
/// surrogate): no panic, nothing lost.
#[tokio::test]
async fn history_returns_a_lone_surrogate_message_as_stored() {
    let (_s, http) = server().await;
    let lone = r#"{"t":"\ud83d"}"#;
    let meta = r#"{"m":"\udc00"}"#;
    let r = http
        .publish("raw", lone, &format!("meta={}", enc(meta)))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t1 = tt_of(&r.json()[2]);
    let t2 = http.publish_tt("raw", "2").await;
    let r = http.get(&format!("{V3}/raw?include_meta=true")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body,
        format!(
            r#"{{"status":200,"error":false,"error_message":"","channels":{{"raw":[{{"message":{lone},"timetoken":"{t1}","meta":{meta}}},{{"message":2,"timetoken":"{t2}"}}]}}}}"#
        )
    );
    let r = http.get("/v2/history/sub-key/demo/channel/raw").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, format!("[[{lone},2],{t1},{t2}]"));
    let r = http
        .get("/v2/history/sub-key/demo/channel/raw?include_meta=true")
        .await;
    assert_eq!(
        r.body,
        format!(
            r#"[[{{"message":{lone},"timetoken":{t1},"meta":{meta}}},{{"message":2,"timetoken":{t2},"meta":null}}],{t1},{t2}]"#
        )
    );
}

/// A single-channel fetch whose range holds more than `max` messages says
/// where the older rest starts (`more`), as the service does; following it
/// pages through the whole range, and the last page has no `more`.
#[tokio::test]
async fn v3_more_pages_through_a_range() {
    let (_s, http) = server().await;
    let mut tts = Vec::new();
    for i in 0..7 {
        tts.push(http.publish_tt("p", &i.to_string()).await);
    }
    let first = http
        .get(&format!("{V3}/p?max=3&end={}", tts[1]))
        .await
        .json();
    let page = |v: &serde_json::Value| -> Vec<u64> {
        v["channels"]["p"]
            .as_array()
            .expect("p")
            .iter()
            .map(|m| tt_of(&m["timetoken"]))
            .collect()
    };
    assert_eq!(page(&first), tts[4..7].to_vec());
    assert_eq!(first["more"]["start"], tts[4].to_string());
    assert_eq!(first["more"]["max"], 3);
    let url = first["more"]["url"].as_str().expect("more.url").to_owned();
    assert_eq!(url, format!("{V3}/p?start={}&max=3&end={}", tts[4], tts[1]));
    let second = http.get(&url).await.json();
    assert_eq!(page(&second), tts[1..4].to_vec());
    assert!(second.get("more").is_none(), "{second}");
    let several = http.get(&format!("{V3}/p,q?max=2")).await.json();
    assert!(
        several.get("more").is_none(),
        "only single-channel fetches page"
    );
}
