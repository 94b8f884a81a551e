//! `pubnub-devserver`: run the local PubNub-compatible server.

use clap::Parser;
use pubnub_devserver::{Args, DevServerBuilder};
use tracing_subscriber::EnvFilter;

/// A local PubNub-compatible server for offline development and tests.
#[derive(Debug, Parser)]
#[command(name = "pubnub-devserver", version, about)]
struct Cli {
    #[command(flatten)]
    server: Args,
    /// Check request signatures with this secret key (needs --keyset).
    #[arg(long, value_name = "SECRET")]
    secret_key: Option<String>,
    /// Enforce Access Manager v3 tokens on unsigned requests (needs --secret-key).
    #[arg(long, requires = "secret_key")]
    access_manager: bool,
}

/// The server `cli` describes.
fn builder(cli: &Cli) -> Result<DevServerBuilder, pubnub_devserver::ArgsError> {
    let builder = cli.server.builder()?;
    Ok(match &cli.secret_key {
        Some(secret) => builder
            .secret_key(secret.clone())
            .access_manager(cli.access_manager),
        None => builder,
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    // As text: `main` shows an error with `Debug`.
    let builder = builder(&Cli::parse()).map_err(|e| e.to_string())?;
    let scheme = if builder.config().tls.is_some() {
        "https"
    } else {
        "http"
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config_of(argv: &[&str]) -> pubnub_devserver::Config {
        let cli =
            Cli::try_parse_from(std::iter::once("pubnub-devserver").chain(argv.iter().copied()))
                .expect("arguments parse");
        builder(&cli).expect("builder").config().clone()
    }

    #[test]
    fn access_flags_reach_the_config() {
        let c = config_of(&["--keyset", "p:s", "--secret-key", "sec", "--access-manager"]);
        assert!(c.has_secret_key() && c.access_manager());
        let plain = config_of(&[]);
        assert!(!plain.has_secret_key() && !plain.access_manager());
        let without_secret = Cli::try_parse_from(["pubnub-devserver", "--access-manager"]);
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
        assert_eq!(c.request_read_timeout, std::time::Duration::from_secs(5));
    }
}
