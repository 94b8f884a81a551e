//! What every request carries, and how the client behaves when a call is dropped.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{builder, client, server};
use pubnub_devserver::RouteClass;

#[tokio::test]
async fn every_request_carries_uuid_pnsdk_auth_and_a_fresh_requestid() {
    let server = server().await;
    let pubnub = builder(&server).auth_key("my-token").build().unwrap();
    pubnub.time().await.unwrap();
    pubnub.publish().channel("c").message(&1).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.query_value("uuid"), Some("tester"));
        assert_eq!(r.query_value("auth"), Some("my-token"));
        let pnsdk = r.query_value("pnsdk").unwrap();
        assert!(pnsdk.starts_with("PubNub-Rust-Stream/"), "{pnsdk}");
    }
    let ids: HashSet<_> = requests
        .iter()
        .map(|r| r.query_value("requestid"))
        .collect();
    assert_eq!(ids.len(), 2);
}

#[tokio::test]
async fn publish_sends_an_increasing_seqn() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub.publish().channel("c").message(&1).await.unwrap();
    pubnub.publish().channel("c").message(&2).await.unwrap();
    let seqns: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.query_value("seqn").map(str::to_owned))
        .collect();
    assert_eq!(seqns, [Some("1".to_owned()), Some("2".to_owned())]);
}

#[tokio::test]
async fn dropping_a_call_aborts_it_and_the_client_keeps_working() {
    let server = server().await;
    let pubnub = client(&server);
    server
        .faults()
        .delay(RouteClass::Time, Duration::from_secs(60));
    let dropped = tokio::time::timeout(Duration::from_millis(100), pubnub.time()).await;
    assert!(dropped.is_err(), "the delayed call should still be pending");
    server.faults().clear_delay(RouteClass::Time);
    let now = tokio::time::timeout(Duration::from_secs(10), pubnub.time())
        .await
        .expect("a new call is not stuck behind the dropped one");
    assert!(now.is_ok());
}

#[tokio::test]
async fn a_secret_key_signs_every_request() {
    let server = server().await;
    let pubnub = builder(&server).secret_key("sec-c-test").build().unwrap();
    pubnub.time().await.unwrap();
    pubnub
        .publish()
        .channel("c")
        .message(&1)
        .use_post(true)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in requests {
        let timestamp: u64 = r.query_value("timestamp").unwrap().parse().unwrap();
        assert!(timestamp > 1_700_000_000);
        let signature = r.query_value("signature").unwrap();
        assert!(signature.starts_with("v2."), "{signature}");
        assert!(!signature.contains('=') && !signature.contains('+') && !signature.contains('/'));
    }
}

#[tokio::test]
async fn without_a_secret_key_nothing_is_signed() {
    let server = server().await;
    client(&server).time().await.unwrap();
    let r = server
        .wait_for_request(|r| r.class == Some(RouteClass::Time))
        .await;
    assert_eq!(r.query_value("signature"), None);
    assert_eq!(r.query_value("timestamp"), None);
}
