//! `pn serve`: the dev server in the foreground, with `pubnub-devserver`'s knobs.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use pubnub_devserver::{DevServer, TlsPem};

use crate::failure::{Exit, Failure};
use crate::interrupt::Interrupt;
use crate::target::LOCAL_DEFAULT;

/// Run a local PubNub-compatible dev server until Ctrl-C.
#[derive(Debug, Args)]
#[command(after_help = "\
The same server and knobs as the `pubnub-devserver` binary; its --secret-key
is pn's own (--secret-key or PUBNUB_SECRET_KEY). Without keys or
an origin, every other pn command talks to 127.0.0.1:8090, where it listens
by default. It is for development and tests, never a production broker.

Examples:
  pn serve
  pn serve --port 9000 --long-poll-hold-secs 20
  pn serve --keyset pub-demo:sub-demo --no-store
  PUBNUB_SECRET_KEY=sec pn serve --keyset pub-k:sub-k --access-manager
  pn serve --tls-cert cert.pem --tls-key key.pem")]
pub(crate) struct ServeArgs {
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
    /// Enforce Access Manager v3 tokens on unsigned requests (needs the
    /// secret key: --secret-key or PUBNUB_SECRET_KEY, which also makes the
    /// server check signatures).
    #[arg(long)]
    access_manager: bool,
    /// Most bytes the request log keeps (oldest requests dropped first).
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    request_log_bytes: usize,
    /// Seconds a client may take to send a request's headers, and again its body.
    #[arg(long, default_value_t = 30)]
    request_read_timeout_secs: u64,
}

/// Runs `pn serve`.
///
/// `secret_key` (the global `--secret-key` / `PUBNUB_SECRET_KEY`) makes the
/// server check request signatures, as `pubnub-devserver --secret-key` does.
pub(crate) async fn run(args: ServeArgs, secret_key: Option<String>) -> Result<(), Failure> {
    let mut interrupt = Interrupt::install()
        .map_err(|e| Failure::new(Exit::Failed, format!("cannot listen for Ctrl-C: {e}")))?;
    let mut builder = DevServer::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .long_poll_hold(Duration::from_secs(args.long_poll_hold_secs))
        .queue_len(args.queue_len)
        .store_by_default(!args.no_store)
        .presence_announce_max(args.presence_announce_max)
        .presence_interval(Duration::from_secs(args.presence_interval_secs))
        .request_log_bytes(args.request_log_bytes)
        .request_read_timeout(Duration::from_secs(args.request_read_timeout_secs));
    for keyset in &args.keysets {
        let (publish, subscribe) = keyset
            .split_once(':')
            .ok_or_else(|| Failure::usage(format!("--keyset wants PUB:SUB, got {keyset:?}")))?;
        builder = builder.keyset(publish, subscribe);
    }
    match secret_key {
        Some(secret) => {
            builder = builder
                .secret_key(secret)
                .access_manager(args.access_manager);
        }
        None if args.access_manager => {
            return Err(Failure::usage(
                "--access-manager needs a secret key (--secret-key or PUBNUB_SECRET_KEY)",
            ))
        }
        None => {}
    }
    let scheme = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            builder = builder.tls(TlsPem::new(read(cert)?, read(key)?));
            "https"
        }
        _ => "http",
    };
    let server = builder.start().await.map_err(|e| {
        Failure::new(
            Exit::Failed,
            format!("cannot listen on {}:{}: {e}", args.host, args.port),
        )
    })?;
    println!("pn: dev server listening on {scheme}://{}", server.origin());
    let origin = server.origin();
    match scheme {
        "http" if origin == LOCAL_DEFAULT => {
            println!("pn: try `pn sub chat` (Ctrl-C stops the server)")
        }
        _ => println!(
            "pn: try `PUBNUB_ORIGIN={scheme}://{origin} pn sub chat` (Ctrl-C stops the server)"
        ),
    }
    interrupt.recv().await;
    server.shutdown().await;
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}
