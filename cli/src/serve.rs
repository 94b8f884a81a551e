//! `pn serve`: the dev server in the foreground, with `pubnub-devserver`'s knobs.

use clap::Args;
use pubnub_devserver::DevServerBuilder;

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
    #[command(flatten)]
    server: pubnub_devserver::Args,
    /// Enforce Access Manager v3 tokens on unsigned requests (needs the
    /// secret key: --secret-key or PUBNUB_SECRET_KEY, which also makes the
    /// server check signatures).
    #[arg(long)]
    access_manager: bool,
}

/// Runs `pn serve`.
///
/// `secret_key` (the global `--secret-key` / `PUBNUB_SECRET_KEY`) makes the
/// server check request signatures, as `pubnub-devserver --secret-key` does.
pub(crate) async fn run(args: ServeArgs, secret_key: Option<String>) -> Result<(), Failure> {
    let mut interrupt = Interrupt::install()
        .map_err(|e| Failure::new(Exit::Failed, format!("cannot listen for Ctrl-C: {e}")))?;
    let builder = builder(&args, secret_key)?;
    let scheme = if builder.config().tls.is_some() {
        "https"
    } else {
        "http"
    };
    let bind = builder.config().bind;
    let server = builder.start().await.map_err(|e| {
        Failure::new(
            Exit::Failed,
            format!("cannot listen on {}:{}: {e}", bind.ip(), bind.port()),
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

/// The server `args` describe; `secret_key` turns on signature checks and
/// lets `--access-manager` through.
fn builder(args: &ServeArgs, secret_key: Option<String>) -> Result<DevServerBuilder, Failure> {
    let builder = args
        .server
        .builder()
        .map_err(|e| Failure::usage(e.to_string()))?;
    match secret_key {
        Some(secret) => Ok(builder
            .secret_key(secret)
            .access_manager(args.access_manager)),
        None if args.access_manager => Err(Failure::usage(
            "--access-manager needs a secret key (--secret-key or PUBNUB_SECRET_KEY)",
        )),
        None => Ok(builder),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use pubnub_devserver::{Config, DevServer};
    use std::net::SocketAddr;

    fn config_of(argv: &[&str], secret_key: Option<&str>) -> Result<Config, Failure> {
        let cli =
            crate::Cli::try_parse_from(["pn", "serve"].into_iter().chain(argv.iter().copied()))
                .expect("arguments parse");
        let crate::Command::Serve(args) = cli.command else {
            panic!("not pn serve: {:?}", cli.command)
        };
        Ok(builder(&args, secret_key.map(str::to_owned))?
            .config()
            .clone())
    }

    #[test]
    fn serve_flags_reach_the_config() {
        let c = config_of(
            &[
                "--port",
                "0",
                "--queue-len",
                "3",
                "--keyset",
                "p:s",
                "--access-manager",
            ],
            Some("sec"),
        )
        .expect("builds");
        assert_eq!(c.bind.port(), 0);
        assert_eq!(c.queue_len, 3);
        assert_eq!(c.keysets.len(), 1);
        assert!(c.has_secret_key() && c.access_manager());
        let no_secret = config_of(&["--access-manager"], None).map(|_| ());
        assert!(no_secret.is_err(), "--access-manager needs a secret key");
        let bad_keyset = config_of(&["--keyset", "pk"], None).map(|_| ());
        assert!(bad_keyset.is_err(), "--keyset wants PUB:SUB");
    }

    #[test]
    fn serve_defaults_are_the_library_defaults() {
        let c = config_of(&[], None).expect("builds");
        let lib = DevServer::builder().config().clone();
        assert_eq!(c.bind, SocketAddr::from(([127, 0, 0, 1], 8090)));
        assert_eq!(c.long_poll_hold, lib.long_poll_hold);
        assert_eq!(c.queue_len, lib.queue_len);
        assert_eq!(c.request_log_bytes, lib.request_log_bytes);
        assert!(!c.has_secret_key() && !c.access_manager() && c.tls.is_none());
    }
}
