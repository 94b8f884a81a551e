//! [`PubNubBuilder`]: every client setting with its documented default.

use std::time::Duration;

use super::proxy::{self, ProxyEnv, ProxyOptions};
use super::{validate, Config, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_ORIGIN};
use crate::client::PubNub;
use crate::crypto::CryptoModule;
use crate::error::ConfigError;
use crate::retry::RetryPolicy;

/// Builds a [`PubNub`] client; start with [`PubNub::builder`].
///
/// `subscribe_key` and `user_id` are required; everything else has a default,
/// listed on each method.
///
/// ```
/// use std::time::Duration;
/// use pubnub_stream::{PubNub, RetryPolicy};
///
/// let pubnub = PubNub::builder()
///     .subscribe_key("demo")
///     .publish_key("demo")
///     .user_id("alice")
///     .origin("127.0.0.1:8090")
///     .secure(false)
///     .request_timeout(Duration::from_secs(5))
///     .reconnection(RetryPolicy::linear(Duration::from_secs(2)).max_retries(10))
///     .build()?;
/// assert_eq!(pubnub.config().user_id(), "alice");
/// # Ok::<(), pubnub_stream::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until build() is called"]
pub struct PubNubBuilder {
    subscribe_key: Option<String>,
    user_id: Option<String>,
    proxy: ProxyOptions,
    config: Config,
}

/// The smallest presence timeout the service accepts.
const MIN_PRESENCE_TIMEOUT: Duration = Duration::from_secs(20);

impl Default for PubNubBuilder {
    fn default() -> Self {
        PubNubBuilder {
            subscribe_key: None,
            user_id: None,
            proxy: ProxyOptions::default(),
            config: Config {
                subscribe_key: String::new(),
                publish_key: None,
                user_id: String::new(),
                origin: DEFAULT_ORIGIN.to_owned(),
                secure: true,
                auth_key: None,
                secret_key: None,
                filter_expression: None,
                presence_timeout: Duration::from_secs(300),
                heartbeat_interval: None,
                suppress_leave_events: false,
                reconnection: RetryPolicy::default_reconnection(),
                subscribe_timeout: Duration::from_secs(310),
                request_timeout: Duration::from_secs(10),
                connect_timeout: Duration::from_secs(10),
                subscribe_connect_timeout: Duration::from_secs(10),
                root_certificates: Vec::new(),
                pnsdk_suffix: None,
                max_publish_bytes: 32_768,
                max_signal_bytes: 64,
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
                proxy: None,
                crypto: None,
            },
        }
    }
}

macro_rules! doc_example {
    ($call:expr) => {
        concat!(
            "```\n",
            "let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"demo\").user_id(\"u\")\n",
            "    ",
            $call,
            "\n    .build()?;\n",
            "# Ok::<(), pubnub_stream::ConfigError>(())\n",
            "```"
        )
    };
}

impl PubNubBuilder {
    /// A builder with every default (same as [`PubNub::builder`]).
    ///
    /// ```
    /// let builder = pubnub_stream::PubNubBuilder::new();
    /// assert!(builder.build().is_err()); // keys and user id are still missing
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The subscribe key (required).
    #[doc = doc_example!(".subscribe_key(\"sub-c-123\")")]
    pub fn subscribe_key(mut self, key: impl Into<String>) -> Self {
        self.subscribe_key = Some(key.into());
        self
    }

    /// The publish key. Default: none, and then publish and signal fail with
    /// [`RequestErrorKind::MissingPublishKey`](crate::RequestErrorKind::MissingPublishKey) before any I/O.
    #[doc = doc_example!(".publish_key(\"pub-c-456\")")]
    pub fn publish_key(mut self, key: impl Into<String>) -> Self {
        self.config.publish_key = Some(key.into());
        self
    }

    /// The user id, sent as `uuid` (required): non-empty, at most 92 characters, no control characters.
    #[doc = doc_example!(".user_id(\"bob\")")]
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// The server as `host` or `host:port`. Default: `ps.pndsn.com`.
    #[doc = doc_example!(".origin(\"127.0.0.1:8090\")")]
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.config.origin = origin.into();
        self
    }

    /// Use HTTPS (TLS via the platform's native TLS). Default: `true`.
    #[doc = doc_example!(".secure(false)")]
    pub fn secure(mut self, secure: bool) -> Self {
        self.config.secure = secure;
        self
    }

    /// An Access Manager token or legacy auth key, sent as `auth`. Default: none.
    #[doc = doc_example!(".auth_key(\"p0F2AkF0Gm\")")]
    pub fn auth_key(mut self, auth: impl Into<String>) -> Self {
        self.config.auth_key = Some(auth.into());
        self
    }

    /// The secret key; when set, every request is signed (protocol §14.1, v2). Default: none.
    /// Only servers should hold the secret key.
    #[doc = doc_example!(".secret_key(\"sec-c-789\").publish_key(\"pub-c-456\")")]
    pub fn secret_key(mut self, secret: impl Into<String>) -> Self {
        self.config.secret_key = Some(secret.into());
        self
    }

    /// A subscribe filter expression (protocol §13). Default: none.
    /// `build()` fails with [`ConfigError::InvalidOption`] when it is empty,
    /// over 4096 bytes, has an unclosed quote or unbalanced parentheses or
    /// brackets; the server judges the rest.
    #[doc = doc_example!(".filter_expression(\"uuid != 'u'\")")]
    pub fn filter_expression(mut self, expression: impl Into<String>) -> Self {
        self.config.filter_expression = Some(expression.into());
        self
    }

    /// How long the server keeps this user present without activity. Default: 300 s;
    /// values under 20 s become 20 s.
    #[doc = doc_example!(".presence_timeout(std::time::Duration::from_secs(60))")]
    pub fn presence_timeout(mut self, timeout: Duration) -> Self {
        self.config.presence_timeout = timeout.max(MIN_PRESENCE_TIMEOUT);
        self
    }

    /// Send explicit heartbeats at this interval. Default: none (subscribe requests
    /// act as heartbeats).
    #[doc = doc_example!(".heartbeat_interval(std::time::Duration::from_secs(30))")]
    pub fn heartbeat_interval(mut self, interval: Duration) -> Self {
        self.config.heartbeat_interval = Some(interval);
        self
    }

    /// Skip the `/leave` call when unsubscribing. Default: `false`.
    #[doc = doc_example!(".suppress_leave_events(true)")]
    pub fn suppress_leave_events(mut self, suppress: bool) -> Self {
        self.config.suppress_leave_events = suppress;
        self
    }

    /// How the subscribe loop reconnects. Default: [`RetryPolicy::default_reconnection`]
    /// (1 s doubling to 30 s, 1 s jitter, never gives up: subscriptions survive
    /// any outage). With a finite policy, subscriptions end when it gives up. A server's `Retry-After` (HTTP 429)
    /// is honoured up to the policy's [`max_delay`](RetryPolicy::max_delay), never longer.
    #[doc = doc_example!(".reconnection(pubnub_stream::RetryPolicy::none())")]
    pub fn reconnection(mut self, policy: RetryPolicy) -> Self {
        self.config.reconnection = policy;
        self
    }

    /// Timeout of one subscribe long-poll. Default: 310 s.
    #[doc = doc_example!(".subscribe_timeout(std::time::Duration::from_secs(60))")]
    pub fn subscribe_timeout(mut self, timeout: Duration) -> Self {
        self.config.subscribe_timeout = timeout;
        self
    }

    /// Timeout of every non-subscribe request, from sending to the full body. Default: 10 s.
    #[doc = doc_example!(".request_timeout(std::time::Duration::from_secs(5))")]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// TCP connect timeout (through a proxy: the connection to the proxy and
    /// its `CONNECT` answer). The TLS handshake that follows counts against
    /// the request's own timeout. Default: 10 s.
    #[doc = doc_example!(".connect_timeout(std::time::Duration::from_secs(3))")]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How long `pubnub.subscribe()...await` waits for the first successful
    /// subscribe request before it fails with a timeout (a subscription can
    /// override it with `.connect_timeout(..)`). Default: 10 s. This bound is
    /// independent of the reconnection policy.
    #[doc = doc_example!(".subscribe_connect_timeout(std::time::Duration::from_secs(5))")]
    pub fn subscribe_connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.subscribe_connect_timeout = timeout;
        self
    }

    /// Also trust this PEM root certificate for TLS (a private CA, a TLS
    /// proxy, or a dev server with its own certificate), beside the
    /// platform's roots. May be called more than once. Default: the
    /// platform's roots only. A PEM that does not load makes
    /// [`build`](Self::build) fail with [`ConfigError::Tls`](crate::ConfigError::Tls).
    ///
    /// ```
    /// let built = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    ///     .add_root_certificate(b"not a certificate".to_vec())
    ///     .build();
    /// assert!(matches!(built, Err(pubnub_stream::ConfigError::Tls(_))));
    /// ```
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.config.root_certificates.push(pem.into());
        self
    }

    /// Appended to `pnsdk` as `PubNub-Rust-Stream/<version>/<suffix>`. Default: none.
    #[doc = doc_example!(".pnsdk_suffix(\"my-app/1.0\")")]
    pub fn pnsdk_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.config.pnsdk_suffix = Some(suffix.into());
        self
    }

    /// Local publish limit in escaped bytes (channel + message + 100 bytes overhead).
    /// Default: 32768, the service limit.
    #[doc = doc_example!(".max_publish_bytes(16 * 1024)")]
    pub fn max_publish_bytes(mut self, limit: usize) -> Self {
        self.config.max_publish_bytes = limit;
        self
    }

    /// Local signal payload limit in bytes. Default: 64, the service limit.
    #[doc = doc_example!(".max_signal_bytes(32)")]
    pub fn max_signal_bytes(mut self, limit: usize) -> Self {
        self.config.max_signal_bytes = limit;
        self
    }

    /// The limit on one response body, in bytes. Default:
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::config::DEFAULT_MAX_RESPONSE_BYTES)
    /// (8 MiB, over twice PubNub's largest real response).
    ///
    /// A longer response fails with
    /// [`RequestErrorKind::ResponseTooLarge`](crate::RequestErrorKind::ResponseTooLarge)
    /// as soon as its `Content-Length` (or, without one, its body so far)
    /// passes the limit, and its connection is closed. The limit bounds the
    /// memory a broken or hostile server can make the client take per request.
    /// Zero makes [`build`](Self::build) fail with
    /// [`ConfigError::InvalidOption`](crate::ConfigError::InvalidOption).
    #[doc = doc_example!(".max_response_bytes(16 * 1024 * 1024)")]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// Send every request through this HTTP proxy:
    /// `http://[user[:password]@]host[:port]` (port 80 by default; a bare
    /// `host:port` means `http://`). Default: none set here, and then the
    /// environment decides (see [`proxy_from_env`](Self::proxy_from_env)).
    ///
    /// Requests to an HTTPS origin go through a `CONNECT` tunnel, so TLS runs
    /// end to end between the client and PubNub and the proxy sees only the
    /// host name; requests to a plain HTTP origin use a `CONNECT` tunnel too.
    /// A user and password in the URL (percent-encoded) are sent as
    /// `Proxy-Authorization: Basic` in the `CONNECT` request; they never
    /// appear in errors, logs or `Debug` output. The proxy itself is spoken
    /// to in plain HTTP (`https://` proxies are refused).
    ///
    /// A URL that is not of that form makes [`build`](Self::build) fail
    /// with [`ConfigError::InvalidOption`](crate::ConfigError::InvalidOption)
    /// (option `"proxy"`). A proxy that cannot be reached makes requests fail
    /// with [`RequestErrorKind::Network`](crate::RequestErrorKind::Network),
    /// whose message names the proxy's address.
    ///
    /// ```
    /// let pubnub = pubnub_stream::PubNub::builder()
    ///     .subscribe_key("demo")
    ///     .user_id("alice")
    ///     .proxy("http://alice:s3cret@proxy.corp.example:3128")
    ///     .no_proxy("localhost, 10.0.0.0/8")
    ///     .build()?;
    /// assert_eq!(pubnub.config().proxy().as_deref(), Some("http://proxy.corp.example:3128/"));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy.url = Some(proxy::Secret(url.into()));
        self
    }

    /// Hosts reached directly, not through the proxy, in `NO_PROXY` syntax:
    /// comma-separated domain names (each also matching its subdomains; a
    /// leading dot is allowed), IP addresses, IP ranges (`10.0.0.0/8`), or
    /// `*` for every host. Applies to a proxy set with [`proxy`](Self::proxy)
    /// or found in the environment, and replaces the environment's
    /// `NO_PROXY`. Default: none here, and then `NO_PROXY`/`no_proxy`.
    #[doc = doc_example!(".proxy(\"http://proxy:3128\").no_proxy(\"internal.example, 192.168.0.0/16\")")]
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.proxy.no_proxy = Some(hosts.into());
        self
    }

    /// Whether [`build`](Self::build) reads the proxy from the environment
    /// when no [`proxy`](Self::proxy) was set. Default: `true`.
    ///
    /// The variables, read once at `build()` time, as curl reads them: for
    /// an HTTPS origin `HTTPS_PROXY` then `https_proxy`, for a plain HTTP
    /// origin `HTTP_PROXY` then `http_proxy` (only the lower-case one when
    /// `REQUEST_METHOD` is set, as in a CGI script), then `ALL_PROXY` /
    /// `all_proxy`; `NO_PROXY` / `no_proxy` lists the exceptions. Empty
    /// values count as unset. A value that is not an `http://` proxy URL
    /// makes `build()` fail with
    /// [`ConfigError::InvalidOption`](crate::ConfigError::InvalidOption)
    /// naming the variable.
    #[doc = doc_example!(".proxy_from_env(false)")]
    pub fn proxy_from_env(mut self, read: bool) -> Self {
        self.proxy.from_env = read;
        self
    }

    /// Encrypt published messages and decrypt received ones with this
    /// [`CryptoModule`] (end-to-end encryption with a cipher key shared by
    /// the clients). Default: none, messages travel as plain JSON.
    ///
    /// With a module, [`publish`](crate::PubNub::publish) and the publish
    /// sinks send each message as a base64 JSON string (encrypted once, when
    /// the message is prepared: a retry sends the same bytes); the size limit
    /// applies to the encrypted form. Signals, `meta` (so filter expressions
    /// keep working) and presence are never encrypted. Received messages, and
    /// messages read back from history ([`fetch_messages`](crate::PubNub::fetch_messages),
    /// [`history`](crate::PubNub::history)), are decrypted before anyone
    /// sees them; one that does not decrypt is still delivered, with its raw
    /// payload and [`Message::decrypt_error`](crate::Message::decrypt_error)
    /// set, and `typed::<T>()` yields it as an error.
    ///
    /// An empty cipher key makes [`build`](Self::build) fail with
    /// [`ConfigError::InvalidOption`](crate::ConfigError::InvalidOption) (option `"crypto"`).
    ///
    /// ```
    /// use pubnub_stream::{ConfigError, CryptoModule, PubNub};
    ///
    /// let pubnub = PubNub::builder().subscribe_key("demo").user_id("u")
    ///     .crypto(CryptoModule::aes_cbc("my-cipher-key"))
    ///     .build()?;
    /// let empty_key = PubNub::builder().subscribe_key("demo").user_id("u")
    ///     .crypto(CryptoModule::legacy("", true))
    ///     .build();
    /// assert!(matches!(empty_key, Err(ConfigError::InvalidOption { option: "crypto", .. })));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn crypto(mut self, module: CryptoModule) -> Self {
        self.config.crypto = Some(module);
        self
    }

    /// Validates the settings and builds the client (no I/O happens here).
    ///
    /// ```
    /// use pubnub_stream::{ConfigError, PubNub};
    ///
    /// let err = PubNub::builder().subscribe_key("demo").user_id("").build().unwrap_err();
    /// assert!(matches!(err, ConfigError::InvalidUserId { .. }));
    /// ```
    pub fn build(self) -> Result<PubNub, ConfigError> {
        let mut config = self.config;
        config.subscribe_key = self.subscribe_key.ok_or(ConfigError::MissingSubscribeKey)?;
        config.user_id = self.user_id.ok_or(ConfigError::MissingUserId)?;
        validate::key("subscribe_key", &config.subscribe_key)?;
        validate::user_id(&config.user_id)?;
        validate::origin(&config.origin)?;
        for (option, value) in [
            ("publish_key", &config.publish_key),
            ("auth_key", &config.auth_key),
            ("secret_key", &config.secret_key),
        ] {
            if let Some(value) = value {
                validate::key(option, value)?;
            }
        }
        for (option, value) in [
            ("subscribe_timeout", config.subscribe_timeout),
            ("request_timeout", config.request_timeout),
            ("connect_timeout", config.connect_timeout),
            (
                "subscribe_connect_timeout",
                config.subscribe_connect_timeout,
            ),
        ] {
            validate::timeout(option, value)?;
        }
        if let Some(reason) = config.crypto.as_ref().and_then(CryptoModule::problem) {
            return Err(ConfigError::InvalidOption {
                option: "crypto",
                reason,
            });
        }
        if let Some(filter) = &config.filter_expression {
            validate::filter_expression(filter)?;
        }
        if config.max_response_bytes == 0 {
            return Err(ConfigError::InvalidOption {
                option: "max_response_bytes",
                reason: "it is zero: no response would fit",
            });
        }
        config.proxy = proxy::resolve(
            &self.proxy,
            || ProxyEnv::from_vars(|name| std::env::var(name).ok()),
            &config.origin,
            config.secure,
        )?;
        PubNub::from_config(config)
    }
}
