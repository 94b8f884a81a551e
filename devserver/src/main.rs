//! `pubnub-devserver`: run the local PubNub-compatible server.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Parser;
use pubnub_devserver::{DevServer, DevServerBuilder, TlsPem};
use tracing_subscriber::EnvFilter;

/// A local PubNub-compatible server for offline development and tests.
#[derive(Debug, Parser)]
#[command(name = "pubnub-devserver", version, about)]
struct Args {
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
    tls_cert: Option<std::path::PathBuf>,
    /// The certificate's private key, PKCS#8 PEM; needs --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
    /// Check request signatures with this secret key (needs --keyset).
    #[arg(long, value_name = "SECRET")]
    secret_key: Option<String>,
    /// Enforce Access Manager v3 tokens on unsigned requests (needs --secret-key).
    #[arg(long, requires = "secret_key")]
    access_manager: bool,
    /// Most bytes the request log keeps (oldest requests dropped first).
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    request_log_bytes: usize,
    /// Seconds a client may take to send a request's headers, and again its body.
    #[arg(long, default_value_t = 30)]
    request_read_timeout_secs: u64,
}

/// The server `args` describe, and the scheme it will serve.
fn builder(args: &Args) -> Result<(DevServerBuilder, &'static str), String> {
    let mut builder = DevServer::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .long_poll_hold(Duration::from_secs(args.long_poll_hold_secs))
        .queue_len(args.queue_len)
        .store_by_default(!args.no_store)
        .presence_announce_max(args.presence_announce_max)
        .presence_interval(Duration::from_secs(args.presence_interval_secs))
        .request_log_bytes(args.request_log_bytes)
        .request_read_timeout(Duration::from_secs(args.request_read_timeout_secs));
    for k in &args.keysets {
        let (publish, subscribe) = k
            .split_once(':')
            .ok_or_else(|| format!("--keyset wants PUB:SUB, got {k:?}"))?;
        builder = builder.keyset(publish, subscribe);
    }
    if let Some(secret) = &args.secret_key {
        builder = builder
            .secret_key(secret.clone())
            .access_manager(args.access_manager);
    }
    let scheme = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            let read = |path: &std::path::Path| {
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
            };
            builder = builder.tls(TlsPem::new(read(cert)?, read(key)?));
            "https"
        }
        _ => "http",
    };
    Ok((builder, scheme))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let (builder, scheme) = builder(&Args::parse())?;
    let server = builder.start().await?;
    println!(
        "pubnub-devserver listening on {scheme}://{}",
        server.origin()
    );
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_of(argv: &[&str]) -> pubnub_devserver::Config {
        let args =
            Args::try_parse_from(std::iter::once("pubnub-devserver").chain(argv.iter().copied()))
                .expect("arguments parse");
        builder(&args).expect("builder").0.config().clone()
    }

    #[test]
    fn access_flags_reach_the_config() {
        let c = config_of(&["--keyset", "p:s", "--secret-key", "sec", "--access-manager"]);
        assert!(c.has_secret_key() && c.access_manager());
        assert!(!config_of(&[]).has_secret_key());
        let without_secret = Args::try_parse_from(["pubnub-devserver", "--access-manager"]);
        assert!(
            without_secret.is_err(),
            "--access-manager needs --secret-key"
        );
    }

    #[test]
    fn request_log_and_read_timeout_flags_reach_the_config() {
        let c = config_of(&[
            "--request-log-bytes",
            "4096",
            "--request-read-timeout-secs",
            "5",
        ]);
        assert_eq!(c.request_log_bytes, 4096);
        assert_eq!(c.request_read_timeout, Duration::from_secs(5));
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
    }
}
