//! `pn pub` reading JSON lines into `pn sub`: order, bad lines, acks.

mod common;

use std::process::Stdio;

use common::{output, pn, InputFile, Running};
use pubnub_devserver::{DevServer, RouteClass};
use serde_json::Value;

/// `pn sub CHANNEL --count N` started and subscribed.
async fn subscriber(server: &DevServer, channel: &str, count: usize) -> Running {
    let count = count.to_string();
    let mut sub = Running::start(&mut pn(server, ["sub", channel, "--count", &count]));
    sub.stderr_until("pn: subscribed").await;
    sub
}

/// The payloads of `sub`'s stdout lines until it ends.
async fn payloads(sub: &mut Running) -> Vec<Value> {
    let mut payloads = Vec::new();
    while let Some(line) = sub.stdout_line().await {
        let event: Value = serde_json::from_str(&line).expect("each line is JSON");
        assert_eq!(event["kind"], "message", "{line}");
        payloads.push(event["payload"].clone());
    }
    payloads
}

#[tokio::test]
async fn sub_count_receives_in_order_the_thousand_lines_pub_reads_from_a_file() {
    // The catch-up queue is raised from the service's 100 per channel: this
    // test is about pn's order and completeness, not about a subscriber on a
    // loaded machine falling more than 100 messages behind.
    let server = DevServer::builder()
        .queue_len(2_000)
        .start()
        .await
        .expect("dev server starts");
    let mut sub = subscriber(&server, "chat", 1000).await;
    let lines: Vec<String> = (0..1000)
        .map(|n| format!(r#"{{"n":{n},"text":"line {n}"}}"#))
        .collect();
    let input = InputFile::new("thousand", &lines);

    let published = output(pn(&server, ["pub", "chat"]).stdin(input.stdin())).await;
    assert_eq!(published.code(), Some(0), "{}", published.stderr);
    assert!(
        published.stderr.contains("published 1000 of 1000 line(s)"),
        "{}",
        published.stderr
    );
    assert_eq!(
        published.stderr.lines().count(),
        1,
        "only the summary: no progress line when stderr is not a terminal: {:?}",
        published.stderr
    );

    let received = payloads(&mut sub).await;
    let numbers: Vec<u64> = received.iter().filter_map(|p| p["n"].as_u64()).collect();
    assert_eq!(numbers, (0..1000).collect::<Vec<u64>>());
    let (status, stderr) = sub.finish().await;
    assert_eq!(status.code(), Some(0), "{stderr:?}");
}

#[tokio::test]
async fn a_bad_line_is_reported_with_its_number_and_the_rest_arrives() {
    let server = common::server().await;
    let mut sub = subscriber(&server, "chat", 3).await;
    let lines = [r#"{"n":1}"#, "{not json", "", r#""three""#, "4"].map(String::from);
    let input = InputFile::new("bad-line", &lines);

    let published = output(pn(&server, ["pub", "chat"]).stdin(input.stdin())).await;
    assert_eq!(published.code(), Some(5), "partial: {}", published.stderr);
    assert!(
        published.stderr.contains("pn: line 2: not JSON"),
        "{}",
        published.stderr
    );
    assert!(
        published.stderr.contains("published 3 of 4 line(s)")
            && published.stderr.contains("1 not JSON"),
        "the summary counts it: {}",
        published.stderr
    );
    assert_eq!(
        payloads(&mut sub).await,
        [serde_json::json!({"n":1}), "three".into(), 4.into()]
    );
}

#[tokio::test]
async fn strict_stops_at_the_first_bad_line() {
    let server = common::server().await;
    let lines = ["1", "2", "oops", "4"].map(String::from);
    let input = InputFile::new("strict", &lines);
    let published =
        output(pn(&server, ["pub", "chat", "--strict", "--acks"]).stdin(input.stdin())).await;
    assert_eq!(published.code(), Some(5), "{}", published.stderr);
    assert!(
        published.stderr.contains("line 3: not JSON"),
        "{}",
        published.stderr
    );
    assert_eq!(
        published.stdout.lines().count(),
        2,
        "two acks: {}",
        published.stdout
    );
}

#[tokio::test]
async fn acks_name_the_line_each_message_came_from() {
    let server = common::server().await;
    let big = format!("\"{}\"", "x".repeat(40_000));
    let lines = ["\"a\"".to_owned(), big, "\"c\"".to_owned()];
    let input = InputFile::new("acks", &lines);
    let published = output(pn(&server, ["pub", "chat", "--acks"]).stdin(input.stdin())).await;
    assert_eq!(
        published.code(),
        Some(5),
        "one line too large: {}",
        published.stderr
    );
    assert!(
        published
            .stderr
            .contains("line 2: not published (message too large"),
        "{}",
        published.stderr
    );
    let acks: Vec<Value> = published
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("an ack is JSON"))
        .collect();
    let lines: Vec<_> = acks
        .iter()
        .map(|a| (a["line"].clone(), a["seq"].clone()))
        .collect();
    assert_eq!(lines, [(1.into(), 0.into()), (3.into(), 1.into())]);
    assert!(acks
        .iter()
        .all(|a| a["timetoken"].as_str().is_some_and(|t| t.len() >= 17)));
}

#[tokio::test]
async fn meta_and_plain_text_reach_the_subscriber() {
    let server = common::server().await;
    let mut sub = subscriber(&server, "chat", 1).await;
    let published = output(&mut pn(
        &server,
        ["pub", "chat", "hello there", "--meta", r#"{"lang":"en"}"#],
    ))
    .await;
    assert_eq!(published.code(), Some(0), "{}", published.stderr);
    assert!(
        published.stdout.trim().parse::<u64>().is_ok(),
        "a timetoken: {}",
        published.stdout
    );
    let line = sub.stdout_line().await.expect("one message");
    let event: Value = serde_json::from_str(&line).expect("JSON");
    assert_eq!(
        event["payload"], "hello there",
        "text that is not JSON is a string"
    );
    assert_eq!(event["meta"], serde_json::json!({"lang":"en"}));
    assert_eq!(event["timetoken"].as_str(), Some(published.stdout.trim()));
}

#[cfg(unix)]
#[tokio::test]
async fn a_progress_line_is_drawn_when_stderr_is_a_terminal() {
    let server = common::server().await;
    let lines: Vec<String> = (0..300).map(|n| n.to_string()).collect();
    let input = InputFile::new("progress", &lines);
    // `script` runs pn on a pseudo-terminal and copies what it draws to stdout.
    let inner = format!(
        "'{}' pub chat < '{}'",
        env!("CARGO_BIN_EXE_pn"),
        input.path().display()
    );
    let mut command = tokio::process::Command::new("script");
    common::without_settings(&mut command)
        .args(["-qec", &inner, "/dev/null"])
        .env("PUBNUB_ORIGIN", format!("http://{}", server.origin()))
        .stdin(Stdio::null());
    let run = output(&mut command).await;
    assert_eq!(run.code(), Some(0), "{}", run.stdout);
    assert!(
        run.stdout.contains(" published, ") && run.stdout.contains(" pending"),
        "a progress line (count, rate, pending): {:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains("published 300 of 300 line(s)"),
        "{:?}",
        run.stdout
    );
}

#[cfg(unix)]
#[tokio::test]
async fn sigint_publishes_what_was_read_and_says_it_stopped() {
    let server = common::server().await;
    let mut command = pn(&server, ["pub", "chat", "--acks"]);
    command.stdin(Stdio::piped());
    let mut publisher = Running::start(&mut command);
    let mut stdin = publisher.child.stdin.take().expect("stdin piped");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, b"1\n2\n")
        .await
        .expect("write stdin");
    for _ in 0..2 {
        publisher.stdout_line().await.expect("an ack");
    }
    let pid = publisher.child.id().expect("pn is running");
    // SAFETY: kill(2) with a child's pid and a valid signal number.
    assert_eq!(
        unsafe { libc::kill(libc::pid_t::try_from(pid).expect("a pid"), libc::SIGINT) },
        0
    );
    let (status, stderr) = publisher.finish().await;
    drop(stdin); // open until pn exited: it stopped for Ctrl-C, not at the end of input
    assert_eq!(
        status.code(),
        Some(5),
        "not every line was read: {stderr:?}"
    );
    let last = stderr.last().expect("a summary");
    assert!(
        last.contains("published 2 of 2 line(s)")
            && last.ends_with("interrupted: stdin not read further"),
        "{stderr:?}"
    );
}

/// `--retries N`: a publish that fails N + 1 times stops the pipe, naming the
/// line from which nothing was acknowledged; one that fails N times gets
/// through.
#[tokio::test]
async fn retries_bounds_how_often_a_failed_publish_is_retried() {
    let server = common::server().await;
    let lines: Vec<String> = (1..=3).map(|n| n.to_string()).collect();
    let input = InputFile::new("retries", &lines);
    let busy = r#"{"status":503,"error":true,"message":"busy"}"#;

    server.faults().fail_next(RouteClass::Publish, 2, 503, busy);
    let mut command = pn(&server, ["pub", "chat", "--retries", "1"]);
    let stopped = output(command.stdin(input.stdin())).await;
    assert_eq!(stopped.code(), Some(1), "{}", stopped.stderr);
    assert!(
        stopped
            .stderr
            .contains("message(s) from line 1 on not acknowledged"),
        "{}",
        stopped.stderr
    );

    server.faults().fail_next(RouteClass::Publish, 2, 503, busy);
    let mut command = pn(&server, ["pub", "chat", "--retries", "2"]);
    let through = output(command.stdin(input.stdin())).await;
    assert_eq!(through.code(), Some(0), "{}", through.stderr);
    assert!(
        through.stderr.contains("published 3 of 3 line(s)"),
        "{}",
        through.stderr
    );
}
