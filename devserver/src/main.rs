//! `pubnub-devserver`: run the local PubNub-compatible server.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Parser;
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
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let mut builder = pubnub_devserver::DevServer::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .long_poll_hold(Duration::from_secs(args.long_poll_hold_secs))
        .queue_len(args.queue_len)
        .store_by_default(!args.no_store)
        .presence_announce_max(args.presence_announce_max)
        .presence_interval(Duration::from_secs(args.presence_interval_secs));
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
            builder = builder.tls(pubnub_devserver::TlsPem::new(read(cert)?, read(key)?));
            "https"
        }
        _ => "http",
    };
    let server = builder.start().await?;
    println!(
        "pubnub-devserver listening on {scheme}://{}",
        server.origin()
    );
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}
