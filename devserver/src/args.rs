//! [`Args`]: the dev server's command-line flags (the `cli` feature), shared
//! by the `pubnub-devserver` binary and `pn serve`.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::{DevServerBuilder, TlsPem};
use crate::server::DevServer;

/// The dev server's flags, to `#[command(flatten)]` into a `clap` command;
/// [`builder`](Args::builder) turns them into a [`DevServerBuilder`]. The
/// defaults are the library's.
///
/// Signature checks and Access Manager (`--secret-key`, `--access-manager`)
/// are left to the command: `pubnub-devserver` takes the secret key as a
/// flag, `pn serve` from its own global options. Those flags are listed
/// before `--request-log-bytes` and `--request-read-timeout-secs`, which sort
/// last.
///
/// ```
/// use clap::Parser;
///
/// /// My test server.
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     server: pubnub_devserver::Args,
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let cli = Cli::try_parse_from(["my-server", "--port", "0", "--keyset", "pub-k:sub-k"])?;
/// let server = cli.server.builder()?.start().await?;
/// assert_eq!(server.config().keysets.len(), 1);
/// println!("listening on http://{}", server.origin());
/// server.shutdown().await;
/// # Ok(()) }
/// ```
/// `Debug` never prints the keys.
#[derive(Clone, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 8090)]
    port: u16,
    /// Long-poll hold in seconds.
    #[arg(long, default_value_t = 280)]
    long_poll_hold_secs: u64,
    /// Per-channel catch-up queue length.
    #[arg(long, default_value_t = 100)]
    queue_len: usize,
    /// Accepted key pair `pub:sub` (repeatable; none = accept any key).
    #[arg(long = "keyset", value_name = "PUB:SUB")]
    keysets: Vec<String>,
    /// Do not store messages unless a publish says `store=1`.
    #[arg(long)]
    no_store: bool,
    /// Above this occupancy a channel sends `interval` presence events.
    #[arg(long, default_value_t = 20)]
    presence_announce_max: usize,
    /// Seconds between `interval` presence events.
    #[arg(long, default_value_t = 10)]
    presence_interval_secs: u64,
    /// Serve HTTPS with this PEM certificate (chain, leaf first); needs --tls-key.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key, PKCS#8 PEM; needs --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    // The last two sort after the command's own flags (see the type's docs);
    // clap lists its `--help` and `--version` at 999.
    /// Most bytes the request log keeps (oldest requests dropped first).
    #[arg(long, default_value_t = 16 * 1024 * 1024, display_order = 100)]
    request_log_bytes: usize,
    /// Seconds a client may take to send a request's headers, and again its body.
    #[arg(long, default_value_t = 30, display_order = 101)]
    request_read_timeout_secs: u64,
}

impl fmt::Debug for Args {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Args")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("long_poll_hold_secs", &self.long_poll_hold_secs)
            .field("queue_len", &self.queue_len)
            .field("keysets", &format_args!("[{} keysets]", self.keysets.len()))
            .field("no_store", &self.no_store)
            .field("presence_announce_max", &self.presence_announce_max)
            .field("presence_interval_secs", &self.presence_interval_secs)
            .field("tls_cert", &self.tls_cert)
            .field("tls_key", &self.tls_key)
            .field("request_log_bytes", &self.request_log_bytes)
            .field("request_read_timeout_secs", &self.request_read_timeout_secs)
            .finish()
    }
}

/// A flag value [`Args::builder`] cannot use.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArgsError {
    /// A `--keyset` without the `:` between the two keys.
    #[error("--keyset wants PUB:SUB, got {0:?}")]
    Keyset(String),
    /// The `--tls-cert` or `--tls-key` file cannot be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why it cannot be read.
        source: std::io::Error,
    },
}

impl Args {
    /// The server these flags describe (TLS when both `--tls-cert` and
    /// `--tls-key` are given); the PEM files are read now.
    ///
    /// ```
    /// use clap::Parser;
    ///
    /// #[derive(Parser)]
    /// struct Cli {
    ///     #[command(flatten)]
    ///     server: pubnub_devserver::Args,
    /// }
    ///
    /// let cli = Cli::try_parse_from(["my-server", "--keyset", "no-colon"])?;
    /// assert!(cli.server.builder().is_err());
    /// # Ok::<(), clap::Error>(())
    /// ```
    pub fn builder(&self) -> Result<DevServerBuilder, ArgsError> {
        let mut builder = DevServer::builder()
            .bind(SocketAddr::new(self.host, self.port))
            .long_poll_hold(Duration::from_secs(self.long_poll_hold_secs))
            .queue_len(self.queue_len)
            .store_by_default(!self.no_store)
            .presence_announce_max(self.presence_announce_max)
            .presence_interval(Duration::from_secs(self.presence_interval_secs))
            .request_log_bytes(self.request_log_bytes)
            .request_read_timeout(Duration::from_secs(self.request_read_timeout_secs));
        for keyset in &self.keysets {
            let (publish, subscribe) = keyset
                .split_once(':')
                .ok_or_else(|| ArgsError::Keyset(keyset.clone()))?;
            builder = builder.keyset(publish, subscribe);
        }
        if let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) {
            builder = builder.tls(TlsPem::new(read(cert)?, read(key)?));
        }
        Ok(builder)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ArgsError> {
    std::fs::read(path).map_err(|source| ArgsError::Read {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        server: Args,
    }

    fn config_of(argv: &[&str]) -> crate::Config {
        let cli = Cli::try_parse_from(std::iter::once("server").chain(argv.iter().copied()))
            .expect("arguments parse");
        cli.server.builder().expect("builder").config().clone()
    }

    #[test]
    fn flags_reach_the_config() {
        let c = config_of(&[
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--long-poll-hold-secs",
            "7",
            "--queue-len",
            "3",
            "--keyset",
            "p:s",
            "--keyset",
            "p2:s2",
            "--no-store",
            "--presence-announce-max",
            "4",
            "--presence-interval-secs",
            "6",
            "--request-log-bytes",
            "4096",
            "--request-read-timeout-secs",
            "5",
        ]);
        assert_eq!(c.bind, SocketAddr::from(([0, 0, 0, 0], 9000)));
        assert_eq!(c.long_poll_hold, Duration::from_secs(7));
        assert_eq!(c.queue_len, 3);
        assert_eq!(
            c.keysets,
            [crate::Keyset::new("p", "s"), crate::Keyset::new("p2", "s2")]
        );
        assert!(!c.store_by_default);
        assert_eq!(c.presence.announce_max, 4);
        assert_eq!(c.presence.interval, Duration::from_secs(6));
        assert_eq!(c.request_log_bytes, 4096);
        assert_eq!(c.request_read_timeout, Duration::from_secs(5));
        assert!(c.tls.is_none());
    }

    #[test]
    fn flag_defaults_are_the_library_defaults() {
        let c = config_of(&[]);
        let lib = DevServer::builder().config().clone();
        assert_eq!(c.request_log_bytes, lib.request_log_bytes);
        assert_eq!(c.request_read_timeout, lib.request_read_timeout);
        assert_eq!(c.long_poll_hold, lib.long_poll_hold);
        assert_eq!(c.queue_len, lib.queue_len);
        assert_eq!(c.store_by_default, lib.store_by_default);
        assert_eq!(c.presence.announce_max, lib.presence.announce_max);
        assert_eq!(c.presence.interval, lib.presence.interval);
        assert_eq!(c.keysets, lib.keysets);
    }

    #[test]
    fn debug_hides_the_keys() {
        let cli = Cli::try_parse_from(["server", "--keyset", "pub-SECRET:sub-SECRET"]).unwrap();
        let shown = format!("{:?}", cli.server);
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("[1 keysets]"), "{shown}");
    }

    #[test]
    fn bad_values_are_typed_errors() {
        let parse = |argv: &[&str]| {
            Cli::try_parse_from(std::iter::once("server").chain(argv.iter().copied()))
        };
        let no_colon = parse(&["--keyset", "pk"]).unwrap().server.builder();
        assert!(matches!(no_colon, Err(ArgsError::Keyset(k)) if k == "pk"));
        let missing = parse(&[
            "--tls-cert",
            "/nonexistent/c.pem",
            "--tls-key",
            "/nonexistent/k.pem",
        ])
        .unwrap()
        .server
        .builder();
        match missing {
            Err(e @ ArgsError::Read { .. }) => {
                assert!(
                    e.to_string()
                        .starts_with("cannot read /nonexistent/c.pem: "),
                    "{e}"
                )
            }
            other => panic!("expected a read error, got {other:?}"),
        }
        assert!(
            parse(&["--tls-cert", "c.pem"]).is_err(),
            "--tls-cert needs --tls-key"
        );
        assert!(
            parse(&["--tls-key", "k.pem"]).is_err(),
            "--tls-key needs --tls-cert"
        );
    }
}
