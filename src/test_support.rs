//! Helpers for unit tests.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Answers one request with `response` and reports the request head it saw.
pub(crate) async fn one_shot_server(response: &'static str) -> (String, oneshot::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = listener.local_addr().unwrap().to_string();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let mut seen = Vec::new();
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                return;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(String::from_utf8_lossy(&seen).into_owned());
        if !response.is_empty() {
            socket.write_all(response.as_bytes()).await.unwrap();
        }
        // keep the socket open until the client is done
        let _ = socket.read(&mut buf).await;
    });
    (origin, rx)
}

/// An offline client for request-building tests: built, never connected
/// (nothing is sent until a call is awaited).
pub(crate) fn offline_client(subscribe_key: &str, user_id: &str) -> crate::client::PubNub {
    crate::client::PubNub::builder()
        .subscribe_key(subscribe_key)
        .user_id(user_id)
        .build()
        .unwrap()
}
