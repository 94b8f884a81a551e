//! Server configuration and its builder.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use crate::server::DevServer;

/// One publish/subscribe key pair the server accepts.
///
/// `Debug` never prints the keys.
///
/// ```
/// let k = pubnub_devserver::Keyset::new("pub-c-1", "sub-c-1");
/// assert_eq!(k.subscribe_key(), "sub-c-1");
/// assert!(!format!("{k:?}").contains("sub-c-1"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Keyset {
    publish_key: String,
    subscribe_key: String,
}

impl Keyset {
    /// A key pair.
    ///
    /// ```
    /// let k = pubnub_devserver::Keyset::new("p", "s");
    /// assert_eq!(k.publish_key(), "p");
    /// ```
    pub fn new(publish_key: impl Into<String>, subscribe_key: impl Into<String>) -> Self {
        Keyset {
            publish_key: publish_key.into(),
            subscribe_key: subscribe_key.into(),
        }
    }

    /// The publish key.
    ///
    /// ```
    /// assert_eq!(pubnub_devserver::Keyset::new("p", "s").publish_key(), "p");
    /// ```
    pub fn publish_key(&self) -> &str {
        &self.publish_key
    }

    /// The subscribe key.
    ///
    /// ```
    /// assert_eq!(pubnub_devserver::Keyset::new("p", "s").subscribe_key(), "s");
    /// ```
    pub fn subscribe_key(&self) -> &str {
        &self.subscribe_key
    }
}

impl fmt::Debug for Keyset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyset")
            .field("publish_key", &"<redacted>")
            .field("subscribe_key", &"<redacted>")
            .finish()
    }
}

/// Every knob of the dev server. Build it with [`DevServer::builder`].
///
/// ```
/// let c = pubnub_devserver::Config::default();
/// assert_eq!(c.queue_len, 100);
/// assert_eq!(c.long_poll_hold, std::time::Duration::from_secs(280));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Listen address. Default `127.0.0.1:0` (an ephemeral port).
    pub bind: SocketAddr,
    /// How long a subscribe long-poll is held open with nothing to deliver. Default 280 s.
    pub long_poll_hold: Duration,
    /// Per-channel catch-up queue length. Default 100.
    pub queue_len: usize,
    /// Most messages in one subscribe response. Default 100.
    pub max_response_messages: usize,
    /// Publish size limit: escaped channel + escaped message + 100 must not exceed it. Default 32768.
    pub max_message_bytes: usize,
    /// Signal payload limit in bytes. Default 64.
    pub max_signal_bytes: usize,
    /// Longest accepted request URI (path and query) in bytes. Default 32768.
    pub max_uri_bytes: usize,
    /// How long a client may take to send a request's headers, and again to
    /// send its body; a slower one gets 408 (body) or its connection closed
    /// (headers). Default 30 s.
    pub request_read_timeout: Duration,
    /// Most bytes the request log ([`DevServer::requests`]) keeps: each
    /// request counts its path and query twice (raw and decoded) plus about
    /// 200 bytes; the oldest are dropped first. Requests rejected before
    /// routing (URI over [`max_uri_bytes`](Self::max_uri_bytes)) are not
    /// logged. Default 16 MiB.
    pub request_log_bytes: usize,
    /// Accepted key pairs. Empty (the default) accepts any key.
    pub keysets: Vec<Keyset>,
    /// Store published messages in history when the request has no `store` parameter. Default true.
    pub store_by_default: bool,
    /// Most messages kept in history per channel (oldest dropped first). Default 10000.
    pub history_len: usize,
    /// Presence knobs: announce max 20, interval 10 s, timeouts clamped to at
    /// least 20 s, default timeout 300 s, deltas on, 32 KiB of deltas at most.
    pub presence: crate::PresenceConfig,
    /// Serve HTTPS with this certificate and key instead of plain HTTP.
    /// Default none.
    pub tls: Option<TlsPem>,
    /// The secret key and whether Access Manager is on; set with
    /// [`DevServerBuilder::secret_key`] and [`DevServerBuilder::access_manager`].
    pub(crate) access: crate::access::AccessConfig,
}

impl Config {
    /// Whether a secret key is set (signatures are then checked).
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().secret_key("sec");
    /// assert!(b.config().has_secret_key());
    /// assert!(!format!("{:?}", b.config()).contains("sec\""));
    /// ```
    pub fn has_secret_key(&self) -> bool {
        self.access.secret_key.is_some()
    }

    /// Whether Access Manager checks every request's token.
    ///
    /// ```
    /// assert!(!pubnub_devserver::Config::default().access_manager());
    /// ```
    pub fn access_manager(&self) -> bool {
        self.access.access_manager
    }

    /// Settings that cannot work together, as the error `start` returns.
    fn check(&self) -> std::io::Result<()> {
        let invalid = |m: &str| Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, m));
        if self.access.access_manager && self.access.secret_key.is_none() {
            return invalid("access_manager needs a secret_key: tokens are signed with it");
        }
        if self.access.secret_key.is_some() && self.keysets.is_empty() {
            return invalid(
                "secret_key needs at least one keyset: the publish key is part of every signature",
            );
        }
        if self.access.secret_key.as_deref() == Some("") {
            return invalid("secret_key is empty");
        }
        Ok(())
    }
}

/// A PEM certificate (chain) and its PKCS#8 PEM private key, for HTTPS.
///
/// `Debug` never prints the key.
///
/// ```
/// let tls = pubnub_devserver::TlsPem::new(b"-----BEGIN CERTIFICATE-----...".to_vec(), b"...".to_vec());
/// assert!(!format!("{tls:?}").contains("..."));
/// ```
#[derive(Clone)]
pub struct TlsPem {
    pub(crate) cert: Vec<u8>,
    pub(crate) key: Vec<u8>,
}

impl TlsPem {
    /// `cert`: PEM certificate(s), leaf first; `key`: the leaf's private key as PKCS#8 PEM.
    ///
    /// ```
    /// let _ = pubnub_devserver::TlsPem::new(Vec::new(), Vec::new());
    /// ```
    pub fn new(cert: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        TlsPem {
            cert: cert.into(),
            key: key.into(),
        }
    }
}

impl std::fmt::Debug for TlsPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsPem")
            .field("cert_bytes", &self.cert.len())
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            long_poll_hold: Duration::from_secs(280),
            queue_len: 100,
            max_response_messages: 100,
            max_message_bytes: 32768,
            max_signal_bytes: 64,
            max_uri_bytes: 32768,
            request_log_bytes: 16 * 1024 * 1024,
            request_read_timeout: Duration::from_secs(30),
            keysets: Vec::new(),
            store_by_default: true,
            history_len: 10_000,
            presence: crate::presence::PresenceConfig::default(),
            tls: None,
            access: crate::access::AccessConfig::default(),
        }
    }
}

/// Builder for [`DevServer`]; every method documents its default.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let server = pubnub_devserver::DevServer::builder()
///     .long_poll_hold(std::time::Duration::from_millis(500))
///     .start()
///     .await?;
/// assert!(server.origin().starts_with("127.0.0.1:"));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until `start` is awaited"]
pub struct DevServerBuilder {
    pub(crate) config: Config,
}

impl DevServerBuilder {
    /// A builder with [`Config::default`].
    ///
    /// ```
    /// let b = pubnub_devserver::DevServerBuilder::new();
    /// assert_eq!(b.config().queue_len, 100);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder starting from `config`.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServerBuilder::from_config(Default::default());
    /// assert_eq!(b.config().max_signal_bytes, 64);
    /// ```
    pub fn from_config(config: Config) -> Self {
        DevServerBuilder { config }
    }

    /// The configuration built so far.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().queue_len(5);
    /// assert_eq!(b.config().queue_len, 5);
    /// ```
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Listen address. Default `127.0.0.1:0`.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().bind(([127, 0, 0, 1], 0).into());
    /// assert_eq!(b.config().bind.port(), 0);
    /// ```
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.config.bind = addr;
        self
    }

    /// Serve HTTPS with `tls` (clients then use `secure(true)` and must trust
    /// the certificate). Default: plain HTTP. A certificate or key that does
    /// not load makes [`start`](Self::start) fail with `InvalidInput`.
    ///
    /// ```
    /// # let (cert, key) = (Vec::new(), Vec::new());
    /// let b = pubnub_devserver::DevServer::builder()
    ///     .tls(pubnub_devserver::TlsPem::new(cert, key));
    /// assert!(b.config().tls.is_some());
    /// ```
    pub fn tls(mut self, tls: TlsPem) -> Self {
        self.config.tls = Some(tls);
        self
    }

    /// Long-poll hold time. Default 280 s.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = pubnub_devserver::DevServer::builder().long_poll_hold(Duration::from_millis(200));
    /// assert_eq!(b.config().long_poll_hold, Duration::from_millis(200));
    /// ```
    pub fn long_poll_hold(mut self, hold: Duration) -> Self {
        self.config.long_poll_hold = hold;
        self
    }

    /// Per-channel catch-up queue length. Default 100.
    ///
    /// ```
    /// assert_eq!(pubnub_devserver::DevServer::builder().queue_len(7).config().queue_len, 7);
    /// ```
    pub fn queue_len(mut self, len: usize) -> Self {
        self.config.queue_len = len;
        self
    }

    /// Most messages per subscribe response. Default 100.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().max_response_messages(3);
    /// assert_eq!(b.config().max_response_messages, 3);
    /// ```
    pub fn max_response_messages(mut self, max: usize) -> Self {
        self.config.max_response_messages = max;
        self
    }

    /// Publish size limit in bytes. Default 32768.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().max_message_bytes(1000);
    /// assert_eq!(b.config().max_message_bytes, 1000);
    /// ```
    pub fn max_message_bytes(mut self, max: usize) -> Self {
        self.config.max_message_bytes = max;
        self
    }

    /// Signal payload limit in bytes. Default 64.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().max_signal_bytes(10);
    /// assert_eq!(b.config().max_signal_bytes, 10);
    /// ```
    pub fn max_signal_bytes(mut self, max: usize) -> Self {
        self.config.max_signal_bytes = max;
        self
    }

    /// Longest accepted request URI in bytes (longer → 414). Default 32768.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().max_uri_bytes(2048);
    /// assert_eq!(b.config().max_uri_bytes, 2048);
    /// ```
    pub fn max_uri_bytes(mut self, max: usize) -> Self {
        self.config.max_uri_bytes = max;
        self
    }

    /// Most bytes the request log keeps (oldest dropped first; see
    /// [`Config::request_log_bytes`]). Default 16 MiB.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().request_log_bytes(1 << 20);
    /// assert_eq!(b.config().request_log_bytes, 1 << 20);
    /// ```
    pub fn request_log_bytes(mut self, max: usize) -> Self {
        self.config.request_log_bytes = max;
        self
    }

    /// How long a client may take to send a request's headers, and again its
    /// body (a slower one gets 408 or its connection closed). Default 30 s.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = pubnub_devserver::DevServer::builder().request_read_timeout(Duration::from_secs(5));
    /// assert_eq!(b.config().request_read_timeout, Duration::from_secs(5));
    /// ```
    pub fn request_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_read_timeout = timeout;
        self
    }

    /// Accept this key pair (repeatable). With none, any key is accepted.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().keyset("pub", "sub").keyset("p2", "s2");
    /// assert_eq!(b.config().keysets.len(), 2);
    /// ```
    pub fn keyset(
        mut self,
        publish_key: impl Into<String>,
        subscribe_key: impl Into<String>,
    ) -> Self {
        self.config
            .keysets
            .push(Keyset::new(publish_key, subscribe_key));
        self
    }

    /// Store messages when a publish has no `store` parameter. Default true.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().store_by_default(false);
    /// assert!(!b.config().store_by_default);
    /// ```
    pub fn store_by_default(mut self, store: bool) -> Self {
        self.config.store_by_default = store;
        self
    }

    /// Most messages kept in history per channel. Default 10000.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().history_len(50);
    /// assert_eq!(b.config().history_len, 50);
    /// ```
    pub fn history_len(mut self, len: usize) -> Self {
        self.config.history_len = len;
        self
    }

    /// Check request signatures with this secret key (needs a
    /// [`keyset`](Self::keyset): v2 signatures cover the publish key).
    /// Default: none, and signatures are not checked.
    ///
    /// A request with a `signature` must be signed with this key (v2; for
    /// POST publish also v1) and its `timestamp` be within 60 s of the
    /// server clock, else 403 `Invalid signature`. Such requests are the
    /// server side: they skip token checks and may grant and revoke tokens.
    /// Without [`access_manager`](Self::access_manager), every request but
    /// `/time/0` must be signed. `Debug` never prints the key.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().keyset("demo", "demo").secret_key("sec-c-1");
    /// assert!(b.config().has_secret_key());
    /// ```
    pub fn secret_key(mut self, secret: impl Into<String>) -> Self {
        self.config.access.secret_key = Some(secret.into());
        self
    }

    /// Enforce Access Manager v3 tokens (needs [`secret_key`](Self::secret_key)).
    /// Default: off.
    ///
    /// Every unsigned request's `auth` token must have been granted here
    /// (`POST /v3/pam/{sub}/grant`), be neither expired nor revoked, match
    /// the request's `uuid` when it names an authorized user id, and grant
    /// what the request needs: read to subscribe to channels and groups and
    /// for presence calls, write to publish and signal, manage to edit a
    /// channel group, read for history and delete to delete it. Otherwise
    /// 403 with PubNub's body (`Forbidden` listing the denied channels and
    /// groups, `Token is expired.`, `Token is revoked`, `Invalid token`).
    /// Token expiry follows the server clock, which tests move with
    /// [`DevServer::advance_clock`].
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder()
    ///     .keyset("demo", "demo").secret_key("sec").access_manager(true);
    /// assert!(b.config().access_manager());
    /// ```
    pub fn access_manager(mut self, on: bool) -> Self {
        self.config.access.access_manager = on;
        self
    }

    /// Bind the listener and start serving.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = pubnub_devserver::DevServer::builder().start().await?;
    /// assert_ne!(server.addr().port(), 0);
    /// server.shutdown().await;
    /// # Ok(()) }
    /// ```
    ///
    /// Fails with `InvalidInput` for settings that cannot work together:
    /// [`access_manager`](Self::access_manager) without a secret key, or a
    /// secret key without a keyset.
    pub async fn start(self) -> std::io::Result<DevServer> {
        self.config.check()?;
        DevServer::start(self.config).await
    }
}
