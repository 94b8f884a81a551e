//! The HTTP server: accept loop, per-connection tasks, the [`DevServer`] handle.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::backoff::AcceptBackoff;
use crate::config::{Config, DevServerBuilder};
use crate::conns::Connections;
use crate::faults::Faults;
use crate::log::{RecordedRequest, RequestLog};
use crate::service;
use crate::state::AppState;
use crate::sync::lock;

/// Everything the connection tasks share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) state: AppState,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
    pub(crate) conns: Arc<Connections>,
    /// Set when the server speaks HTTPS.
    pub(crate) tls: Option<crate::tls::Acceptor>,
}

#[derive(Debug)]
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// A running PubNub-compatible dev server. Dropping it stops it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let server = pubnub_devserver::DevServer::builder().start().await?;
/// let origin = server.origin(); // e.g. "127.0.0.1:40123", for a client's `origin`
/// assert!(origin.starts_with("127.0.0.1:"));
/// server.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DevServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    running: Mutex<Option<Running>>,
    /// Presence timeouts and interval events; runs until the server is dropped.
    sweeper: JoinHandle<()>,
}

fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stop: oneshot::Receiver<()>) {
    let mut backoff = AcceptBackoff::default();
    loop {
        let pause = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    backoff.succeeded();
                    serve(&shared, stream, peer);
                    None
                }
                Err(e) => {
                    let failure = backoff.failed(std::time::Instant::now());
                    match failure.warn {
                        Some(suppressed) => tracing::warn!(
                            error = %e, pause = ?failure.pause, suppressed,
                            "accept failed; backing off (up to 1 s, warned once a second)"
                        ),
                        None => tracing::debug!(error = %e, pause = ?failure.pause, "accept failed"),
                    }
                    Some(failure.pause)
                }
            },
        };
        if let Some(pause) = pause {
            tokio::select! {
                _ = &mut stop => break,
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }
}

/// Spawn the task that serves one accepted connection.
fn serve(shared: &Arc<Shared>, stream: tokio::net::TcpStream, peer: SocketAddr) {
    let (id, kill) = shared.conns.register();
    tracing::trace!(%peer, id, "connection accepted");
    let shared = Arc::clone(shared);
    match shared.tls.clone() {
        None => {
            tokio::spawn(service::serve_connection(shared, stream, id, kill));
        }
        Some(tls) => {
            tokio::spawn(async move {
                match tls.accept(stream).await {
                    Ok(stream) => service::serve_connection(shared, stream, id, kill).await,
                    Err(e) => {
                        tracing::debug!(error = %e, %peer, id, "TLS handshake failed");
                        shared.conns.unregister(id);
                    }
                }
            });
        }
    }
}

impl DevServer {
    /// A builder with every default (see [`Config`]).
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder();
    /// assert_eq!(b.config().max_message_bytes, 32768);
    /// ```
    pub fn builder() -> DevServerBuilder {
        DevServerBuilder::new()
    }

    pub(crate) async fn start(config: Config) -> std::io::Result<DevServer> {
        let tls = config
            .tls
            .as_ref()
            .map(crate::tls::Acceptor::new)
            .transpose()?;
        let listener = bind(config.bind)?;
        let addr = listener.local_addr()?;
        let conns = Arc::new(Connections::default());
        let log = RequestLog::new(config.request_log_bytes);
        let shared = Arc::new(Shared {
            state: AppState::new(config),
            faults: Faults::new(Arc::clone(&conns)),
            log,
            conns,
            tls,
        });
        let sweeper = tokio::spawn(crate::state::presence::sweeper(Arc::downgrade(&shared)));
        let server = DevServer {
            shared,
            addr,
            running: Mutex::new(None),
            sweeper,
        };
        server.spawn(listener);
        tracing::info!(%addr, "pubnub-devserver listening");
        Ok(server)
    }

    fn spawn(&self, listener: TcpListener) {
        let (stop, stop_rx) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&self.shared), stop_rx));
        *lock(&self.running) = Some(Running { stop, task });
    }

    /// The bound address.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// assert!(server.addr().ip().is_loopback());
    /// # Ok(()) }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `host:port`, what a client's `origin` setting takes (plain HTTP).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// assert_eq!(server.origin(), server.addr().to_string());
    /// # Ok(()) }
    /// ```
    pub fn origin(&self) -> String {
        self.addr.to_string()
    }

    /// The configuration the server runs with.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().queue_len(10).start().await?;
    /// assert_eq!(server.config().queue_len, 10);
    /// # Ok(()) }
    /// ```
    pub fn config(&self) -> &Config {
        &self.shared.state.config
    }

    /// The fault-injection handle (cheap to clone).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// let faults = server.faults();
    /// faults.drop_next(pubnub_devserver::RouteClass::Any, 1);
    /// # Ok(()) }
    /// ```
    pub fn faults(&self) -> Faults {
        self.shared.faults.clone()
    }

    /// The requests received so far, oldest first: those that passed the URI
    /// size check, as many as fit in
    /// [`request_log_bytes`](crate::DevServerBuilder::request_log_bytes).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// assert_eq!(server.requests().len(), 0);
    /// # Ok(()) }
    /// ```
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.all()
    }

    /// Wait until a request matching `pred` has been received (earlier ones count).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use pubnub_devserver::RouteClass;
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// let wait = server.wait_for_request(|r| r.class == Some(RouteClass::Time));
    /// let _ = tokio::time::timeout(std::time::Duration::from_millis(10), wait).await;
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_request(
        &self,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        self.shared.log.wait_for(pred).await
    }

    /// Publish a presence event (protocol.md §8.1 JSON) on `<channel>-pnpres` and return
    /// its timetoken. It is delivered like a message, with no `e` and no `i`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// let event = serde_json::json!({"action":"join","timestamp":1,"uuid":"u","occupancy":1});
    /// assert!(server.publish_presence("demo", "chat", &event) > 0);
    /// # Ok(()) }
    /// ```
    pub fn publish_presence(&self, sub_key: &str, channel: &str, event: &serde_json::Value) -> u64 {
        self.shared.state.publish_presence(sub_key, channel, event)
    }

    /// Moves the server clock `by` forward: timetokens, token expiry and the
    /// signature timestamp window all see the later time (tests of expiry
    /// without sleeping). Clients signing with the real time are refused
    /// once the clock is more than 60 s ahead of them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.advance_clock(std::time::Duration::from_secs(120)); // a 1-minute token is now expired
    /// # Ok(()) }
    /// ```
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.shared.state.clock.advance(by);
    }

    /// Stop listening and close every connection; the state is kept for [`restart`](Self::restart).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.stop().await;
    /// server.restart().await?;
    /// # Ok(()) }
    /// ```
    pub async fn stop(&self) {
        let running = lock(&self.running).take();
        if let Some(Running { stop, task }) = running {
            let _ = stop.send(());
            let _ = task.await;
        }
        self.shared.conns.kill_all();
    }

    /// Listen again on the same address, keeping all state. A no-op when running.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.restart().await?; // already running: nothing happens
    /// # Ok(()) }
    /// ```
    pub async fn restart(&self) -> std::io::Result<()> {
        if lock(&self.running).is_some() {
            return Ok(());
        }
        let listener = bind(self.addr)?;
        self.spawn(listener);
        Ok(())
    }

    /// Stop the server and release it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// pubnub_devserver::DevServer::builder().start().await?.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub async fn shutdown(self) {
        self.stop().await;
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.sweeper.abort();
        if let Some(Running { stop, task }) = lock(&self.running).take() {
            let _ = stop.send(());
            task.abort();
        }
        self.shared.conns.kill_all();
    }
}
