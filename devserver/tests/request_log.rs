//! The request log: bounded in bytes, oldest dropped first, and only
//! requests that passed validation are kept.

mod common;

use common::{server, start};
use pubnub_devserver::DevServer;

/// The bytes of path and query the log holds (a lower bound of what it counts).
fn logged_bytes(server: &DevServer) -> usize {
    server
        .requests()
        .iter()
        .map(|r| {
            r.path.len()
                + r.query
                    .iter()
                    .map(|(k, v)| k.len() + v.len())
                    .sum::<usize>()
        })
        .sum()
}

#[tokio::test]
async fn default_bound_is_16_mib_and_the_oldest_go_first() {
    let (server, http) = server().await;
    // 600 × ~30 KB of URI: about 18 MB, over the default 16 MiB bound.
    let pad = "x".repeat(30_000);
    for i in 0..600 {
        let r = http.get(&format!("/time/0?n={i}&pad={pad}")).await;
        assert_eq!(r.status, 200);
    }
    let bound = 16 * 1024 * 1024;
    let kept = logged_bytes(&server);
    assert!(kept <= bound, "{kept} bytes logged, bound {bound}");
    // Each entry counts its text twice (raw and decoded), so about half is kept.
    assert!(kept > bound / 3, "only {kept} bytes kept");
    let requests = server.requests();
    assert_eq!(
        requests.last().and_then(|r| r.query_value("n")),
        Some("599")
    );
    assert_ne!(requests.first().and_then(|r| r.query_value("n")), Some("0"));
}

#[tokio::test]
async fn the_bound_is_configurable() {
    let builder = DevServer::builder().request_log_bytes(64 * 1024);
    assert_eq!(builder.config().request_log_bytes, 64 * 1024);
    let (server, http) = start(builder).await;
    let pad = "y".repeat(1_000);
    for i in 0..200 {
        http.get(&format!("/time/0?n={i}&pad={pad}")).await;
        assert!(logged_bytes(&server) <= 64 * 1024);
    }
    let requests = server.requests();
    assert!(requests.len() > 10, "{} kept", requests.len());
    assert_eq!(
        requests.last().and_then(|r| r.query_value("n")),
        Some("199")
    );
}

#[tokio::test]
async fn rejected_over_long_uris_are_not_logged() {
    let (server, http) = start(DevServer::builder().max_uri_bytes(200)).await;
    let r = http.subscribe(&"c,".repeat(100), "tt=0").await;
    assert_eq!(r.status, 414);
    let r = http.get("/time/0").await;
    assert_eq!(r.status, 200);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/time/0"]);
}
