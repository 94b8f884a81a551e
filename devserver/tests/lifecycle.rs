//! Stop/restart with state kept, drop, request log.

mod common;

use common::{held_poll, server, within, Http};
use pubnub_devserver::{DevServer, RouteClass};

#[tokio::test]
async fn stop_closes_everything_and_restart_keeps_state_on_the_same_port() {
    let (server, http) = server().await;
    let addr = server.addr();
    http.get("/v1/channel-registration/sub-key/demo/channel-group/g?add=a")
        .await;
    let cursor = http.handshake("a").await;
    let poll = held_poll(&server, &http, "a", &format!("tt={cursor}")).await;
    server.stop().await;
    assert!(
        within(poll).await.expect("task").is_err(),
        "held poll is broken"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "not listening"
    );
    server.restart().await.expect("restart");
    assert_eq!(server.addr(), addr);
    let http = Http::new(&server);
    http.publish_tt("a", "\"after\"").await;
    let v = http
        .subscribe(",", &format!("tt={cursor}&channel-group=g"))
        .await
        .json();
    assert_eq!(v["m"][0]["d"], "after");
    assert_eq!(v["m"][0]["b"], "g", "group registry survived");
}

#[tokio::test]
async fn drop_stops_the_server() {
    let (server, _http) = server().await;
    let addr = server.addr();
    drop(server);
    // The listener task is aborted; give the runtime a turn to run the abort.
    let refused = within(async {
        loop {
            if tokio::net::TcpStream::connect(addr).await.is_err() {
                break true;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(refused);
}

#[test]
fn dropping_outside_a_runtime_does_not_panic() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(DevServer::builder().start()).expect("start");
    drop(rt);
    drop(server);
}

#[tokio::test]
async fn request_log_records_decoded_path_query_and_class() {
    let (server, http) = server().await;
    http.get("/publish/demo/demo/0/gr%C3%BC%C3%9Fe/0/%22x%22?uuid=a+b&seqn=1")
        .await;
    http.get("/nope?x=1").await;
    let log = server.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, http::Method::GET);
    assert_eq!(log[0].path, "/publish/demo/demo/0/grüße/0/\"x\"");
    assert_eq!(
        log[0].query,
        vec![
            ("uuid".to_owned(), "a b".to_owned()),
            ("seqn".to_owned(), "1".to_owned())
        ]
    );
    assert_eq!(log[0].class, Some(RouteClass::Publish));
    assert_eq!(log[1].class, None);
    let found = server
        .wait_for_request(|r| r.query_value("x") == Some("1"))
        .await;
    assert_eq!(found.path, "/nope");
}

#[tokio::test]
async fn presence_routes_accept_both_sub_key_spellings() {
    let (_s, http) = server().await;
    for path in [
        "/v2/presence/sub-key/demo/channel/c/heartbeat?heartbeat=60&uuid=u",
        "/v2/presence/sub_key/demo/channel/c/leave?uuid=u",
        "/v2/presence/sub_key/demo/channel/c/heartbeat?heartbeat=60&uuid=u",
        "/v2/presence/sub-key/demo/channel/c/leave?uuid=u",
    ] {
        let r = http.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.json()["service"], "Presence");
    }
}
