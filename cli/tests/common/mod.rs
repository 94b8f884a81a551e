//! Running the built `pn` against a dev server, and reading what it prints.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use pubnub_devserver::DevServer;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, ChildStdout, Command};

/// How long a test waits for one line or one exit before it fails: a guard
/// against a hang, never a way to let something happen.
pub(crate) const GUARD: Duration = Duration::from_secs(60);

/// The settings `pn` reads (its own and the proxy variables the library
/// honours), cleared so that the caller's environment does not leak in.
const SETTINGS: [&str; 17] = [
    "PUBNUB_ORIGIN",
    "PUBNUB_SECURE",
    "PUBNUB_SUBSCRIBE_KEY",
    "PUBNUB_PUBLISH_KEY",
    "PUBNUB_SECRET_KEY",
    "PUBNUB_AUTH",
    "PUBNUB_USER_ID",
    "PUBNUB_CIPHER_KEY",
    "RUST_LOG",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// `command` without any of the settings `pn` reads from the environment.
pub(crate) fn without_settings(command: &mut Command) -> &mut Command {
    for name in SETTINGS {
        command.env_remove(name);
    }
    command
}

/// `pn ARGS` with a clean environment (no settings at all).
pub(crate) fn pn_bare<const N: usize>(args: [&str; N]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pn"));
    without_settings(&mut command)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// `pn ARGS` pointed at `server` (plain HTTP).
pub(crate) fn pn<const N: usize>(server: &DevServer, args: [&str; N]) -> Command {
    let mut command = pn_bare(args);
    command.env("PUBNUB_ORIGIN", format!("http://{}", server.origin()));
    command
}

/// A running `pn` whose stdout and stderr are read line by line.
pub(crate) struct Running {
    pub(crate) child: Child,
    stdout: Lines<BufReader<ChildStdout>>,
    stderr: Lines<BufReader<ChildStderr>>,
    /// Every stderr line read so far.
    pub(crate) stderr_seen: Vec<String>,
}

impl Running {
    /// Starts `command` (its stdout and stderr piped).
    pub(crate) fn start(command: &mut Command) -> Running {
        let mut child = command.spawn().expect("pn starts");
        let stdout = BufReader::new(child.stdout.take().expect("stdout piped")).lines();
        let stderr = BufReader::new(child.stderr.take().expect("stderr piped")).lines();
        Running {
            child,
            stdout,
            stderr,
            stderr_seen: Vec::new(),
        }
    }

    /// The next stdout line, `None` at its end.
    pub(crate) async fn stdout_line(&mut self) -> Option<String> {
        tokio::time::timeout(GUARD, self.stdout.next_line())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no stdout line within {GUARD:?}; stderr: {:?}",
                    self.stderr_seen
                )
            })
            .expect("reading stdout")
    }

    /// Reads stderr until a line contains `needle`, and returns that line.
    pub(crate) async fn stderr_until(&mut self, needle: &str) -> String {
        loop {
            let line = tokio::time::timeout(GUARD, self.stderr.next_line())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "no {needle:?} on stderr within {GUARD:?}: {:?}",
                        self.stderr_seen
                    )
                })
                .expect("reading stderr");
            let Some(line) = line else {
                panic!("stderr ended without {needle:?}: {:?}", self.stderr_seen);
            };
            self.stderr_seen.push(line.clone());
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Reads the rest of stderr and waits for the exit.
    pub(crate) async fn finish(mut self) -> (ExitStatus, Vec<String>) {
        let rest = async {
            while let Some(line) = self.stderr.next_line().await.expect("reading stderr") {
                self.stderr_seen.push(line);
            }
            self.child.wait().await.expect("pn exits")
        };
        let status = tokio::time::timeout(GUARD, rest)
            .await
            .unwrap_or_else(|_| panic!("pn did not exit within {GUARD:?}"));
        (status, self.stderr_seen)
    }
}

/// What a finished `pn` printed.
pub(crate) struct Output {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Output {
    /// The exit code (`None` when killed by a signal).
    pub(crate) fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

/// Runs `command` to its end.
pub(crate) async fn output(command: &mut Command) -> Output {
    let output = tokio::time::timeout(GUARD, command.output())
        .await
        .unwrap_or_else(|_| panic!("pn did not exit within {GUARD:?}"))
        .expect("pn runs");
    Output {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A dev server on a free loopback port.
pub(crate) async fn server() -> DevServer {
    DevServer::builder()
        .start()
        .await
        .expect("dev server starts")
}

/// A loopback port with nothing listening (bound, then released).
pub(crate) fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("its address").port()
}

/// A file of `lines` for `pn pub`'s stdin, removed when dropped.
pub(crate) struct InputFile(PathBuf);

impl InputFile {
    pub(crate) fn new(name: &str, lines: &[String]) -> InputFile {
        let path =
            std::env::temp_dir().join(format!("pn-test-{}-{name}.jsonl", std::process::id()));
        std::fs::write(&path, lines.join("\n") + "\n").expect("write the input file");
        InputFile(path)
    }

    /// Where the file is.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.0
    }

    pub(crate) fn stdin(&self) -> Stdio {
        Stdio::from(std::fs::File::open(&self.0).expect("open the input file"))
    }
}

impl Drop for InputFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
