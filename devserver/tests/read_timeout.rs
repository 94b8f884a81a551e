//! A client that sends its request headers or body too slowly (say a byte a
//! second) is cut off after `request_read_timeout`, not served forever.

mod common;

use std::time::Duration;

use common::{within, SAFETY};
use pubnub_devserver::DevServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT: Duration = Duration::from_millis(300);

/// Sends `head`, then one byte of `trickle` every 50 ms (a slow client, not
/// synchronisation) while reading; returns what the server sent before it
/// closed the connection.
async fn slow_request(server: &DevServer, head: &str, trickle: u8) -> String {
    let stream = TcpStream::connect(server.addr()).await.expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    wr.write_all(head.as_bytes()).await.expect("write head");
    let writer = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if wr.write_all(&[trickle]).await.is_err() {
                return;
            }
        }
    });
    let mut out = Vec::new();
    let read = tokio::time::timeout(SAFETY, rd.read_to_end(&mut out)).await;
    writer.abort();
    assert!(read.is_ok(), "still connected after {SAFETY:?}");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn a_trickled_body_gets_408_and_the_connection_closes() {
    let server = within(DevServer::builder().request_read_timeout(TIMEOUT).start())
        .await
        .expect("server starts");
    let head =
        "POST /publish/demo/demo/0/c/0 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n1";
    let reply = slow_request(&server, head, b'1').await;
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(server
        .requests()
        .iter()
        .any(|r| r.path.starts_with("/publish/")));
}

#[tokio::test]
async fn trickled_headers_close_the_connection() {
    let server = within(DevServer::builder().request_read_timeout(TIMEOUT).start())
        .await
        .expect("server starts");
    let reply = slow_request(&server, "GET /time/0 HTTP/1.1\r\nHost: x\r\nX-Slow: ", b'a').await;
    assert!(!reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(server.requests().is_empty());
}

#[test]
fn the_default_is_30_seconds() {
    let b = DevServer::builder();
    assert_eq!(b.config().request_read_timeout, Duration::from_secs(30));
}
