//! The baseline client: one raw hyper HTTP/1 keep-alive connection, no pool,
//! no retries, no URL building (URIs are built before timing starts).

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One connection; dropping it closes the connection.
pub(crate) struct Conn {
    tx: SendRequest<Empty<Bytes>>,
    driver: JoinHandle<()>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

impl Conn {
    pub(crate) async fn open(addr: SocketAddr) -> Result<Conn, BoxError> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (tx, conn) = http1::handshake(TokioIo::new(stream)).await?;
        let driver = tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn { tx, driver })
    }

    /// GET `uri` (absolute or path-and-query); the whole body.
    pub(crate) async fn get(&mut self, uri: &str) -> Result<Bytes, BoxError> {
        self.tx.ready().await?;
        let req = hyper::Request::get(uri)
            .header(hyper::header::HOST, "127.0.0.1")
            .body(Empty::new())?;
        let resp = self.tx.send_request(req).await?;
        if !resp.status().is_success() {
            return Err(format!("HTTP {} for {uri}", resp.status()).into());
        }
        Ok(resp.into_body().collect().await?.to_bytes())
    }
}

/// A raw long-poll loop's state: parse each response into `serde_json::Value`
/// and follow the cursor, as a minimal client would.
pub(crate) struct RawPoll {
    conn: Conn,
    path: String,
    tt: u64,
}

impl RawPoll {
    /// Starts at `tt` (0 = handshake for the current position).
    pub(crate) async fn open(
        addr: SocketAddr,
        channel: &str,
        tt: u64,
    ) -> Result<RawPoll, BoxError> {
        let conn = Conn::open(addr).await?;
        let path = format!("/v2/subscribe/demo/{channel}/0?uuid=raw&heartbeat=300");
        let mut poll = RawPoll { conn, path, tt };
        if tt == 0 {
            poll.next().await?;
        }
        Ok(poll)
    }

    pub(crate) fn cursor(&self) -> u64 {
        self.tt
    }

    /// One long-poll: the messages' payloads (`d`), parsed.
    pub(crate) async fn next(&mut self) -> Result<Vec<serde_json::Value>, BoxError> {
        let uri = format!("{}&tt={}&tr=1", self.path, self.tt);
        let body = self.conn.get(&uri).await?;
        let mut v: serde_json::Value = serde_json::from_slice(&body)?;
        self.tt = v
            .pointer("/t/t")
            .and_then(|t| t.as_str())
            .and_then(|t| t.parse().ok())
            .ok_or("no cursor")?;
        let messages = match v.get_mut("m").map(serde_json::Value::take) {
            Some(serde_json::Value::Array(m)) => m,
            _ => Vec::new(),
        };
        Ok(messages)
    }
}
