//! Client configuration: [`Config`] (read-only, from [`PubNub::config`](crate::PubNub::config))
//! and its builder [`PubNubBuilder`].

mod builder;
pub(crate) mod proxy;
mod redact;
pub(crate) mod validate;

use std::fmt;
use std::time::Duration;

pub use builder::PubNubBuilder;

use crate::crypto::CryptoModule;
use crate::retry::RetryPolicy;
use redact::{Redacted, Secret};

/// The default origin, `ps.pndsn.com`.
pub const DEFAULT_ORIGIN: &str = "ps.pndsn.com";

/// The default limit on one response body: 8 MiB.
///
/// The largest responses PubNub sends are a subscribe response and a history
/// page, each at most 100 messages of at most 32 KiB (3.2 MiB), plus per
/// message envelope fields (channel, timetokens, publisher, meta) that add
/// well under 1 MiB for 100 messages. 8 MiB is over twice that, so no real
/// response comes near it, while a broken or hostile server can make the
/// client hold no more than 8 MiB per request in flight.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// A client's settings, fixed when the client is built.
///
/// `Debug` shows only the well-known prefix of keys (`sub-c-…`) and hides
/// auth tokens and the secret key entirely.
///
/// ```
/// use pubnub_stream::PubNub;
///
/// let pubnub = PubNub::builder()
///     .subscribe_key("sub-c-123").publish_key("pub-c-456").user_id("alice")
///     .build()?;
/// let config = pubnub.config();
/// assert_eq!(config.origin(), "ps.pndsn.com");
/// assert!(!format!("{config:?}").contains("456"));
/// # Ok::<(), pubnub_stream::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) subscribe_key: String,
    pub(crate) publish_key: Option<String>,
    pub(crate) user_id: String,
    pub(crate) origin: String,
    pub(crate) secure: bool,
    pub(crate) auth_key: Option<String>,
    pub(crate) secret_key: Option<String>,
    pub(crate) filter_expression: Option<String>,
    pub(crate) presence_timeout: Duration,
    pub(crate) heartbeat_interval: Option<Duration>,
    pub(crate) suppress_leave_events: bool,
    pub(crate) reconnection: RetryPolicy,
    pub(crate) subscribe_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    /// How long an awaited `subscribe()` waits for its first connection.
    pub(crate) subscribe_connect_timeout: Duration,
    /// Extra PEM root certificates trusted for TLS, beside the platform's.
    pub(crate) root_certificates: Vec<Vec<u8>>,
    pub(crate) pnsdk_suffix: Option<String>,
    pub(crate) max_publish_bytes: usize,
    pub(crate) max_signal_bytes: usize,
    pub(crate) max_response_bytes: usize,
    /// Encrypts published messages and decrypts received ones.
    pub(crate) crypto: Option<CryptoModule>,
    /// The proxy for the origin, resolved at build time.
    pub(crate) proxy: Option<hyper_util::client::proxy::matcher::Intercept>,
}

impl Config {
    /// The subscribe key.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().subscribe_key(), "demo");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn subscribe_key(&self) -> &str {
        &self.subscribe_key
    }

    /// The publish key, if one was configured.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().publish_key(), None);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn publish_key(&self) -> Option<&str> {
        self.publish_key.as_deref()
    }

    /// The user id (sent as `uuid`).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice").build()?;
    /// assert_eq!(pubnub.config().user_id(), "alice");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The origin, `host` or `host:port`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    /// #     .origin("127.0.0.1:8090").build()?;
    /// assert_eq!(pubnub.config().origin(), "127.0.0.1:8090");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether requests use HTTPS.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert!(pubnub.config().secure());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Whether an auth key / token is configured (its value is never exposed).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    /// #     .auth_key("token").build()?;
    /// assert!(pubnub.config().has_auth_key());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn has_auth_key(&self) -> bool {
        self.auth_key.is_some()
    }

    /// Whether a secret key is configured (requests are then signed).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert!(!pubnub.config().has_secret_key());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn has_secret_key(&self) -> bool {
        self.secret_key.is_some()
    }

    /// The subscribe filter expression, if any.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    /// #     .filter_expression("uuid != 'u'").build()?;
    /// assert_eq!(pubnub.config().filter_expression(), Some("uuid != 'u'"));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn filter_expression(&self) -> Option<&str> {
        self.filter_expression.as_deref()
    }

    /// The presence timeout (`heartbeat=` on subscribe); at least 20 s.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().presence_timeout().as_secs(), 300);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn presence_timeout(&self) -> Duration {
        self.presence_timeout
    }

    /// The interval of explicit heartbeats, if enabled.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().heartbeat_interval(), None);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn heartbeat_interval(&self) -> Option<Duration> {
        self.heartbeat_interval
    }

    /// Whether unsubscribing skips the `/leave` call.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert!(!pubnub.config().suppress_leave_events());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn suppress_leave_events(&self) -> bool {
        self.suppress_leave_events
    }

    /// The subscribe reconnection policy.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().reconnection(), &pubnub_stream::RetryPolicy::default_reconnection());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn reconnection(&self) -> &RetryPolicy {
        &self.reconnection
    }

    /// The timeout of one subscribe long-poll.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().subscribe_timeout().as_secs(), 310);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn subscribe_timeout(&self) -> Duration {
        self.subscribe_timeout
    }

    /// The timeout of every other request.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().request_timeout().as_secs(), 10);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// The TCP connect timeout.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().connect_timeout().as_secs(), 10);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How long an awaited `subscribe()` waits for its first connection
    /// (default 10 s; see [`SubscribeBuilder::connect_timeout`](crate::subscribe::SubscribeBuilder::connect_timeout)).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().subscribe_connect_timeout().as_secs(), 10);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn subscribe_connect_timeout(&self) -> Duration {
        self.subscribe_connect_timeout
    }

    /// The `pnsdk` value sent with every request: `PubNub-Rust-Stream/<version>[/<suffix>]`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    /// #     .pnsdk_suffix("my-app").build()?;
    /// assert!(pubnub.config().pnsdk().starts_with("PubNub-Rust-Stream/"));
    /// assert!(pubnub.config().pnsdk().ends_with("/my-app"));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn pnsdk(&self) -> String {
        let base = concat!("PubNub-Rust-Stream/", env!("CARGO_PKG_VERSION"));
        match &self.pnsdk_suffix {
            Some(suffix) => format!("{base}/{suffix}"),
            None => base.to_owned(),
        }
    }

    /// The publish size limit in escaped bytes (channel + message + 100).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().max_publish_bytes(), 32_768);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_publish_bytes(&self) -> usize {
        self.max_publish_bytes
    }

    /// The signal payload limit in bytes.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().max_signal_bytes(), 64);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_signal_bytes(&self) -> usize {
        self.max_signal_bytes
    }
}

impl Config {
    /// The limit on one response body in bytes.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u").build()?;
    /// assert_eq!(pubnub.config().max_response_bytes(), pubnub_stream::config::DEFAULT_MAX_RESPONSE_BYTES);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// The HTTP proxy requests go through, as `http://host:port/` (never
    /// its credentials), or `None` for direct connections. See
    /// [`PubNubBuilder::proxy`].
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    /// #     .proxy("http://user:password@proxy.example:3128").build()?;
    /// assert_eq!(pubnub.config().proxy().as_deref(), Some("http://proxy.example:3128/"));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn proxy(&self) -> Option<String> {
        self.proxy.as_ref().map(proxy::display)
    }

    /// The crypto module messages are encrypted and decrypted with, if any
    /// (see [`PubNubBuilder::crypto`]). Its `Debug` shows the cryptor only.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    /// #     .crypto(pubnub_stream::CryptoModule::aes_cbc("my-cipher-key")).build()?;
    /// assert!(pubnub.config().crypto().is_some());
    /// assert!(!format!("{:?}", pubnub.config()).contains("my-cipher-key"));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn crypto(&self) -> Option<&CryptoModule> {
        self.crypto.as_ref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("subscribe_key", &Redacted(&self.subscribe_key))
            .field("publish_key", &self.publish_key.as_deref().map(Redacted))
            .field("user_id", &self.user_id)
            .field("origin", &self.origin)
            .field("secure", &self.secure)
            .field("auth_key", &self.auth_key.as_ref().map(|_| Secret))
            .field("secret_key", &self.secret_key.as_ref().map(|_| Secret))
            .field("filter_expression", &self.filter_expression)
            .field("presence_timeout", &self.presence_timeout)
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("suppress_leave_events", &self.suppress_leave_events)
            .field("reconnection", &self.reconnection)
            .field("subscribe_timeout", &self.subscribe_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("subscribe_connect_timeout", &self.subscribe_connect_timeout)
            .field("root_certificates", &self.root_certificates.len())
            .field("pnsdk_suffix", &self.pnsdk_suffix)
            .field("max_publish_bytes", &self.max_publish_bytes)
            .field("max_signal_bytes", &self.max_signal_bytes)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("proxy", &self.proxy())
            .field("crypto", &self.crypto)
            .finish()
    }
}
