//! With every file descriptor taken, `accept` fails (`EMFILE`) while the
//! listener stays readable: the server must back off and warn rarely, not
//! spin and log a warning per try, and it must serve again once descriptors
//! are free.
//!
//! The server runs in a child process (this test binary, re-run with
//! [`CHILD`] set) whose `RLIMIT_NOFILE` is lowered, so the limit touches
//! nothing else. The parent holds the connections and reads the child's log.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Set in the child's environment.
const CHILD: &str = "PUBNUB_DEVSERVER_FD_CHILD";
/// Safety net for every wait on the child; never used to synchronise.
const SAFETY: Duration = Duration::from_secs(20);
/// Descriptors the child may open beyond those it has when it lowers the limit.
const SPARE_FDS: u64 = 8;
/// Connections the parent opens: far more than the child can accept.
const CONNECTIONS: usize = 64;
/// Accept failures observed before judging.
const FAILURES: usize = 8;

/// The child: lower the descriptor limit, start a server, print its port,
/// serve until killed. Logs go to stderr, one line per event.
fn child() {
    tracing_subscriber::fmt()
        .with_env_filter("pubnub_devserver=debug")
        .with_ansi(false)
        .with_writer(std::io::stderr)
        .init();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = pubnub_devserver::DevServer::builder()
            .start()
            .await
            .expect("server starts");
        let open = std::fs::read_dir("/proc/self/fd").expect("fd list").count() as u64;
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: plain libc calls on a local, valid struct.
        unsafe {
            assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
            limit.rlim_cur = open + SPARE_FDS;
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
        println!("PORT {}", server.addr().port());
        std::future::pending::<()>().await;
    });
}

/// Kills the child when the test ends, however it ends.
struct Reap(Child);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_child() -> (Reap, u16, mpsc::Receiver<(Instant, String)>) {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "accept_errors_back_off_and_the_server_recovers",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("child starts");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let reap = Reap(child);
    let (port_tx, port_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // The test harness may have printed the test's name on this line.
            if let Some((_, port)) = line.split_once("PORT ") {
                let _ = port_tx.send(port.parse::<u16>().expect("port"));
            }
        }
    });
    let (log_tx, log_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if log_tx.send((Instant::now(), line)).is_err() {
                return;
            }
        }
    });
    let port = port_rx
        .recv_timeout(SAFETY)
        .expect("child reports its port");
    (reap, port, log_rx)
}

fn time_request(port: u16) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(SAFETY)).expect("timeout");
    s.write_all(b"GET /time/0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn accept_errors_back_off_and_the_server_recovers() {
    if std::env::var_os(CHILD).is_some() {
        child();
        return;
    }
    let (_child, port, log) = spawn_child();
    // Connections the kernel completes into the listen backlog: the child
    // accepts a few, then every accept fails with EMFILE.
    let held: Vec<TcpStream> = (0..CONNECTIONS)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    let mut failures: Vec<(Instant, bool)> = Vec::new();
    let deadline = Instant::now() + SAFETY;
    while failures.len() < FAILURES {
        let wait = deadline.saturating_duration_since(Instant::now());
        let (at, line) = log.recv_timeout(wait).expect("accept failures are logged");
        if line.contains("accept failed") {
            failures.push((at, line.contains("WARN")));
        }
    }
    let (first, last) = (failures[0].0, failures[FAILURES - 1].0);
    let warnings = failures.iter().filter(|(_, warn)| *warn).count();
    // Pauses of 1, 2, 4, ... 64 ms lie between the first and the eighth try.
    assert!(
        last - first >= Duration::from_millis(100),
        "{FAILURES} accept failures within {:?}: no backoff",
        last - first
    );
    assert!(warnings <= 1, "{warnings} warnings for {FAILURES} failures");
    drop(held);
    let reply = time_request(port);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}
