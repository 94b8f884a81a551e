//! The parent side: starts a server process, holds long-polls against it over
//! raw hyper connections (one TCP connection per poll) and measures.

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How long any wait may take before the bench gives up (a safety net).
const PATIENCE: Duration = Duration::from_secs(120);

/// A server process (`devserver` or `bare`) and its control pipe.
pub(crate) struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
    pub addr: SocketAddr,
}

impl Server {
    pub(crate) async fn spawn(kind: &str) -> Result<Server, BoxError> {
        let mut child = Command::new(std::env::current_exe()?)
            .env(super::CHILD_ENV, kind)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stdin = child.stdin.take().ok_or("no child stdin")?;
        let stdout = child.stdout.take().ok_or("no child stdout")?;
        let mut stdout = BufReader::new(stdout).lines();
        let line = stdout.next_line().await?.ok_or("child exited")?;
        let addr = line
            .strip_prefix("addr ")
            .ok_or("bad child hello")?
            .parse()?;
        Ok(Server {
            child,
            stdin,
            stdout,
            addr,
        })
    }

    /// Requests the server has received so far.
    pub(crate) async fn count(&mut self) -> Result<usize, BoxError> {
        self.stdin.write_all(b"count\n").await?;
        let line = self.stdout.next_line().await?.ok_or("child exited")?;
        Ok(line.strip_prefix("count ").ok_or("bad count")?.parse()?)
    }

    /// Waits until the server has received at least `n` requests.
    pub(crate) async fn wait_count(&mut self, n: usize) -> Result<(), BoxError> {
        let deadline = Instant::now() + PATIENCE;
        while self.count().await? < n {
            if Instant::now() > deadline {
                return Err(format!("server did not see {n} requests").into());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(())
    }

    /// Resident set size of the server process, in bytes.
    pub(crate) fn rss(&self) -> Result<u64, BoxError> {
        let pid = self.child.id().ok_or("child gone")?;
        super::rss_of(&format!("/proc/{pid}/statm"))
    }
}

/// One keep-alive HTTP/1 connection; dropping it closes the connection.
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

    /// GET `path_and_query`, returning the whole body.
    pub(crate) async fn get(&mut self, path_and_query: &str) -> Result<Bytes, BoxError> {
        self.tx.ready().await?;
        let req = hyper::Request::get(path_and_query)
            .header(hyper::header::HOST, "127.0.0.1")
            .body(Empty::new())?;
        let resp = self.tx.send_request(req).await?;
        Ok(resp.into_body().collect().await?.to_bytes())
    }
}

/// The `t.t` of a subscribe response or the timetoken of a publish response.
pub(crate) fn timetoken(body: &[u8]) -> Result<u64, BoxError> {
    let v: serde_json::Value = serde_json::from_slice(body)?;
    let tt = v
        .pointer("/t/t")
        .or_else(|| v.get(2))
        .and_then(|t| t.as_str())
        .ok_or("no timetoken in response")?;
    Ok(tt.parse()?)
}

pub(crate) fn poll_path(channel: &str, uuid: usize, tt: u64) -> String {
    format!("/v2/subscribe/demo/{channel}/0?tt={tt}&tr=1&uuid=u{uuid}&heartbeat=300")
}

/// Opens `n` connections with one long-poll each on channel `idle-{i}`
/// (uuid `u{first_uuid + i}`), after cursor `tt`; the polls that got a connection.
async fn hold(addr: SocketAddr, n: usize, first_uuid: usize, tt: u64) -> Vec<JoinHandle<()>> {
    futures::stream::iter(0..n)
        .map(|i| async move {
            let mut conn = Conn::open(addr).await?;
            Ok::<_, BoxError>(tokio::spawn(async move {
                let path = poll_path(&format!("idle-{i}"), first_uuid + i, tt);
                let _ = conn.get(&path).await;
            }))
        })
        .buffer_unordered(128)
        .filter_map(|r| async move { r.ok() })
        .collect()
        .await
}

/// Idle long-polls held open: resident bytes of the server before and after.
pub(crate) struct IdleResult {
    pub held: usize,
    pub rss_before: u64,
    pub rss_after: u64,
}

/// Opens `n` connections, each with one long-poll on its own channel, and
/// measures the server's resident memory once all are held.
pub(crate) async fn idle(kind: &str, n: usize) -> Result<IdleResult, BoxError> {
    let mut server = Server::spawn(kind).await?;
    let addr = server.addr;
    let mut control = Conn::open(addr).await?;
    let tt = timetoken(&control.get(&poll_path("idle-0", 0, 0)).await?)?;
    server.wait_count(1).await?;
    let rss_before = server.rss()?;
    let polls = hold(addr, n, 0, tt).await;
    let held = polls.len();
    server.wait_count(1 + held).await?;
    let rss_after = server.rss()?;
    for p in &polls {
        p.abort();
    }
    Ok(IdleResult {
        held,
        rss_before,
        rss_after,
    })
}

/// Fan-out of one publish to `subscribers` waiting polls, `rounds` times.
pub(crate) struct FanoutResult {
    /// Per round: publish sent → last subscriber has the whole response.
    pub all: Vec<Duration>,
    /// Per round: publish sent → first subscriber has it.
    pub first: Vec<Duration>,
}

/// With `bystanders > 0`, that many polls wait on other channels (one each)
/// through every round: a publish on `fan` must not cost them anything.
pub(crate) async fn fanout(
    kind: &str,
    subscribers: usize,
    rounds: usize,
    bystanders: usize,
) -> Result<FanoutResult, BoxError> {
    let mut server = Server::spawn(kind).await?;
    let addr = server.addr;
    let mut control = Conn::open(addr).await?;
    let mut tt = timetoken(&control.get(&poll_path("fan", 0, 0)).await?)?;
    let idle = hold(addr, bystanders, subscribers, tt).await;
    server.wait_count(1 + idle.len()).await?;
    let (round_tx, round_rx) = watch::channel(0u64);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Instant>();
    let mut tasks = Vec::with_capacity(subscribers);
    for i in 0..subscribers {
        let mut conn = Conn::open(addr).await?;
        let mut round = round_rx.clone();
        let done = done_tx.clone();
        tasks.push(tokio::spawn(async move {
            while round.changed().await.is_ok() {
                let tt = *round.borrow_and_update();
                if conn.get(&poll_path("fan", i, tt)).await.is_err() {
                    return;
                }
                if done.send(Instant::now()).is_err() {
                    return;
                }
            }
        }));
    }
    let mut expected = 1 + idle.len();
    let message = "%7B%22text%22%3A%22hello%20fan-out%22%7D";
    let mut result = FanoutResult {
        all: Vec::new(),
        first: Vec::new(),
    };
    for _ in 0..rounds {
        round_tx.send(tt)?;
        expected += subscribers;
        server.wait_count(expected).await?;
        let start = Instant::now();
        let body = control
            .get(&format!("/publish/demo/demo/0/fan/0/{message}?uuid=pub"))
            .await?;
        expected += 1;
        tt = timetoken(&body)?;
        let mut times = Vec::with_capacity(subscribers);
        for _ in 0..subscribers {
            let at = tokio::time::timeout(PATIENCE, done_rx.recv())
                .await?
                .ok_or("subscribers gone")?;
            times.push(at.duration_since(start));
        }
        result
            .all
            .push(times.iter().copied().max().unwrap_or_default());
        result
            .first
            .push(times.iter().copied().min().unwrap_or_default());
    }
    for t in tasks.iter().chain(&idle) {
        t.abort();
    }
    Ok(result)
}
