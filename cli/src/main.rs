//! `pn`: PubNub from the terminal and from shell pipelines, on the
//! `pubnub-stream` library's public API, with the dev server and a
//! benchmark one command away. `pn --help` lists the commands, the
//! settings and the exit codes.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use tracing_subscriber::EnvFilter;

mod bench;
mod event_json;
mod failure;
mod groups;
mod interrupt;
mod json_lines;
mod presence;
mod progress;
mod publish;
mod serve;
mod subscribe;
mod target;

use failure::Failure;
use target::{Target, TargetArgs};

/// Publish, subscribe, presence and benchmarks against PubNub or a local dev server.
#[derive(Debug, Parser)]
#[command(
    name = "pn",
    version,
    after_help = "\
Settings: flags first, then PUBNUB_ORIGIN, PUBNUB_SECURE, PUBNUB_SUBSCRIBE_KEY,
PUBNUB_PUBLISH_KEY, PUBNUB_SECRET_KEY, PUBNUB_AUTH, PUBNUB_USER_ID,
PUBNUB_CIPHER_KEY. With no keys
and no origin, pn talks to a local dev server at http://127.0.0.1:8090 (start
one with `pn serve`); with keys and no origin, to the PubNub network over HTTPS.
RUST_LOG=pubnub_stream=debug logs every request on stderr.

Exit codes:
  0  success (also after Ctrl-C on pn sub)
  1  the server refused the request (too large, bad request, server error),
     or another failure (pn serve cannot listen, stdin cannot be read)
  2  usage: bad flags, arguments or settings
  3  connection: no server answered (refused, network error, timeout)
  4  access denied (403) or a key the server does not know
  5  a pipe ran but not every line was published (not JSON, refused, --strict,
     or Ctrl-C: what was read is still published)

Examples:
  pn serve                                   # terminal 1: a dev server
  pn sub chat                                # terminal 2: JSON lines out
  cat messages.jsonl | pn pub chat           # terminal 3: JSON lines in"
)]
struct Cli {
    #[command(flatten)]
    target: TargetArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a local dev server (same knobs as pubnub-devserver).
    Serve(serve::ServeArgs),
    /// Publish a message, or JSON lines from stdin.
    Pub(publish::PubArgs),
    /// Subscribe and print events as JSON lines.
    Sub(subscribe::SubArgs),
    /// Who is on channels or groups.
    HereNow(presence::HereNowArgs),
    /// Which channels a user is on.
    WhereNow(presence::WhereNowArgs),
    /// Read or set presence state.
    #[command(subcommand)]
    State(presence::StateCommand),
    /// Manage channel groups.
    #[command(subcommand)]
    Group(groups::GroupCommand),
    /// Measure publish throughput, delivery and latency.
    Bench(bench::BenchArgs),
    /// Print the server's time as a timetoken.
    #[command(after_help = "Example:\n  pn time")]
    Time,
    /// Print a completion script for a shell.
    #[command(after_help = "\
Examples:
  pn completions bash > ~/.local/share/bash-completion/completions/pn
  pn completions zsh > ~/.zfunc/_pn
  pn completions fish > ~/.config/fish/completions/pn.fish")]
    Completions {
        /// The shell.
        shell: Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Only what the user asks for with RUST_LOG; errors are reported by pn itself.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    if let Command::Completions { shell } = cli.command {
        clap_complete::generate(shell, &mut Cli::command(), "pn", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return Failure::new(failure::Exit::Failed, format!("cannot start: {e}")).report()
        }
    };
    let outcome = runtime.block_on(run(cli));
    // Everything pn waits for is awaited inside `run`; what is left is at
    // most a blocked read of stdin (after Ctrl-C), which a normal shutdown
    // would wait for forever.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    if let Command::Serve(args) = cli.command {
        return serve::run(args, cli.target.secret_key()?).await;
    }
    let target = Target::resolve(&cli.target)?;
    match cli.command {
        Command::Pub(args) => publish::run(args, &target).await,
        Command::Sub(args) => subscribe::run(args, &target).await,
        Command::HereNow(args) => presence::here_now(args, &target).await,
        Command::WhereNow(args) => presence::where_now(args, &target).await,
        Command::State(command) => presence::state(command, &target).await,
        Command::Group(command) => groups::run(command, &target).await,
        Command::Bench(args) => bench::run(args, &target).await,
        Command::Time => {
            let pubnub = target.client()?;
            let now = pubnub
                .time()
                .await
                .map_err(|e| Failure::request(&target, "time", &e))?;
            println!("{now}");
            Ok(())
        }
        Command::Serve(_) | Command::Completions { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
