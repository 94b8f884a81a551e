//! Requests through an HTTP proxy: a small `CONNECT` proxy written here (on
//! loopback), in front of the dev server.

mod common;

use std::time::Duration;

use common::{builder, server, ConnectProxy, Tunnel};
use pubnub_devserver::RouteClass;
use pubnub_stream::RequestErrorKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::test]
async fn requests_go_through_the_proxy_tunnel() {
    let server = server().await;
    let proxy = ConnectProxy::start().await;
    let pubnub = builder(&server)
        .proxy(format!("http://{}", proxy.addr))
        .build()
        .unwrap();
    assert_eq!(
        pubnub.config().proxy(),
        Some(format!("http://{}/", proxy.addr))
    );
    pubnub.time().await.unwrap();
    pubnub.publish().channel("c").message(&1).await.unwrap();
    server
        .wait_for_request(|r| r.class == Some(RouteClass::Publish))
        .await;
    let tunnels = proxy.tunnels();
    assert_eq!(
        tunnels,
        [Tunnel {
            target: server.origin().to_owned(),
            authorization: None
        }],
        "one tunnel, kept alive for both requests"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn no_proxy_bypasses_the_proxy() {
    let server = server().await;
    let proxy = ConnectProxy::start().await;
    let pubnub = builder(&server)
        .proxy(format!("http://{}", proxy.addr))
        .no_proxy("example.com, 127.0.0.0/8")
        .build()
        .unwrap();
    assert_eq!(pubnub.config().proxy(), None);
    pubnub.time().await.unwrap();
    assert_eq!(server.requests().len(), 1);
    assert!(proxy.tunnels().is_empty(), "{:?}", proxy.tunnels());
}

#[tokio::test]
async fn proxy_credentials_are_sent_as_basic_auth() {
    let server = server().await;
    let proxy = ConnectProxy::start().await;
    let pubnub = builder(&server)
        .proxy(format!("http://alice:s3cret@{}", proxy.addr))
        .build()
        .unwrap();
    pubnub.time().await.unwrap();
    let tunnels = proxy.tunnels();
    assert_eq!(tunnels.len(), 1);
    // base64("alice:s3cret")
    assert_eq!(
        tunnels[0].authorization.as_deref(),
        Some("Basic YWxpY2U6czNjcmV0")
    );
    let config = format!("{:?}", pubnub.config());
    assert!(!config.contains("s3cret"), "{config}");
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_network_error_naming_it_without_credentials() {
    let server = server().await;
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let pubnub = builder(&server)
        .proxy(format!("http://alice:hunter2@{addr}"))
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = pubnub.time().await.unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::Network, "{err:?}");
    assert!(err.is_retryable());
    let (text, debug) = (err.to_string(), format!("{err:?}"));
    assert!(text.contains(&format!("proxy http://{addr}/")), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection refused"),
        "{text}"
    );
    for shown in [&text, &debug] {
        assert!(
            !shown.contains("hunter2") && !shown.contains("alice"),
            "{shown}"
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_proxy_that_refuses_the_tunnel_is_a_network_error() {
    let server = server().await;
    // A proxy that answers every CONNECT with 407.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket
                .write_all(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n",
                )
                .await;
        }
    });
    let pubnub = builder(&server)
        .proxy(format!("http://{addr}"))
        .build()
        .unwrap();
    let err = pubnub.time().await.unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::Network, "{err:?}");
    let text = err.to_string();
    assert!(text.contains("proxy authorization required"), "{text}");
}

#[tokio::test]
async fn a_bad_proxy_url_fails_the_build() {
    let server = server().await;
    let err = builder(&server)
        .proxy("socks5://user:hunter2@127.0.0.1:1080")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            pubnub_stream::ConfigError::InvalidOption {
                option: "proxy",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("hunter2"));
}
