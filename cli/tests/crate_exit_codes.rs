//! Each exit code `pn --help` documents, produced, with its one line on stderr.

mod common;

use common::{closed_port, output, pn, pn_bare};
use pubnub_devserver::{DevServer, RouteClass};

/// stderr is exactly one line, starting with `pn: `.
fn one_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {stderr:?}");
    assert!(lines[0].starts_with("pn: "), "{stderr:?}");
    lines[0]
}

#[tokio::test]
async fn zero_when_the_call_succeeds() {
    let server = common::server().await;
    let time = output(&mut pn(&server, ["time"])).await;
    assert_eq!(time.code(), Some(0), "{}", time.stderr);
    let timetoken: u64 = time.stdout.trim().parse().expect("a timetoken");
    assert!(timetoken > 0);
}

#[tokio::test]
async fn one_when_the_message_is_too_large() {
    let server = common::server().await;
    let big = "x".repeat(40_000);
    let published = output(&mut pn(&server, ["pub", "chat", &big])).await;
    assert_eq!(published.code(), Some(1));
    let line = one_line(&published.stderr);
    assert!(
        line.starts_with(r#"pn: publish to "chat" failed: message too large: "#)
            && line.ends_with("bytes escaped, limit 32768"),
        "{line}"
    );
}

#[tokio::test]
async fn two_for_bad_arguments_and_settings() {
    let server = common::server().await;
    let no_channel = output(&mut pn(&server, ["pub"])).await;
    assert_eq!(no_channel.code(), Some(2), "{}", no_channel.stderr);

    let bad_meta = output(&mut pn(&server, ["pub", "chat", "hi", "--meta", "{nope"])).await;
    assert_eq!(bad_meta.code(), Some(2));
    assert!(one_line(&bad_meta.stderr).contains("--meta is not JSON"));

    let bad_secure = output(
        pn_bare(["time"])
            .env("PUBNUB_ORIGIN", server.origin())
            .env("PUBNUB_SECURE", "maybe"),
    )
    .await;
    assert_eq!(bad_secure.code(), Some(2));
    assert!(one_line(&bad_secure.stderr).contains("PUBNUB_SECURE=maybe"));

    let nothing_to_subscribe = output(&mut pn(&server, ["sub"])).await;
    assert_eq!(nothing_to_subscribe.code(), Some(2));
    assert!(server.requests().is_empty(), "no request for a usage error");
}

#[tokio::test]
async fn three_with_the_start_command_when_no_server_answers() {
    let port = closed_port();
    for args in [vec!["time"], vec!["pub", "chat", "hi"], vec!["sub", "chat"]] {
        let mut command = pn_bare([]);
        command
            .args(&args)
            .env("PUBNUB_ORIGIN", format!("http://127.0.0.1:{port}"));
        let failed = output(&mut command).await;
        assert_eq!(failed.code(), Some(3), "{args:?}: {}", failed.stderr);
        let line = one_line(&failed.stderr);
        assert!(
            line.starts_with(&format!(
                "pn: no PubNub server answers at http://127.0.0.1:{port} ("
            )) && line.ends_with(&format!("; start one with: pn serve --port {port}")),
            "{args:?}: {line}"
        );
    }
}

/// A pipe into `pn pub` with no server says so before reading stdin, rather
/// than after the sink's ~30 s of retries with the lines handed back.
#[tokio::test]
async fn three_for_a_pipe_before_any_line_when_no_server_answers() {
    let port = closed_port();
    let input = common::InputFile::new("exit-three-pipe", &["1".into(), "2".into()]);
    let mut command = pn_bare(["pub", "chat"]);
    command
        .env("PUBNUB_ORIGIN", format!("http://127.0.0.1:{port}"))
        .stdin(input.stdin());
    let failed = output(&mut command).await;
    assert_eq!(failed.code(), Some(3), "{}", failed.stderr);
    let line = one_line(&failed.stderr);
    assert!(
        line.starts_with(&format!(
            "pn: no PubNub server answers at http://127.0.0.1:{port} ("
        )) && line.ends_with(&format!("; start one with: pn serve --port {port}")),
        "{line}"
    );
}

#[tokio::test]
async fn four_when_access_is_denied() {
    let server = common::server().await;
    server.faults().fail_next(
        RouteClass::Publish,
        1,
        403,
        r#"{"message":"Forbidden","payload":{"channels":["chat"]},"error":true,"service":"Access Manager","status":403}"#,
    );
    let denied = output(&mut pn(&server, ["pub", "chat", "hi"])).await;
    assert_eq!(denied.code(), Some(4));
    assert!(one_line(&denied.stderr).contains("access denied (403): Forbidden"));

    let keyed = DevServer::builder()
        .keyset("pub-right", "sub-right")
        .start()
        .await
        .expect("dev server starts");
    let wrong_key =
        output(pn(&keyed, ["sub", "chat"]).env("PUBNUB_SUBSCRIBE_KEY", "sub-wrong")).await;
    assert_eq!(wrong_key.code(), Some(4), "{}", wrong_key.stderr);
}

#[tokio::test]
async fn five_when_a_pipe_skips_a_line() {
    let server = common::server().await;
    let mut command = pn(&server, ["pub", "chat"]);
    command.stdin(std::process::Stdio::piped());
    let mut child = command.spawn().expect("pn starts");
    let mut stdin = child.stdin.take().expect("stdin piped");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, b"1\n{\n3\n")
        .await
        .expect("write stdin");
    drop(stdin);
    let done = tokio::time::timeout(common::GUARD, child.wait_with_output())
        .await
        .expect("pn exits")
        .expect("pn runs");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("line 2: not JSON"), "{stderr}");
    assert!(
        stderr
            .lines()
            .last()
            .is_some_and(|l| l.contains("published 2 of 3 line(s)")),
        "{stderr}"
    );
}

#[tokio::test]
async fn completions_for_a_shell() {
    let script = output(&mut pn_bare(["completions", "bash"])).await;
    assert_eq!(script.code(), Some(0), "{}", script.stderr);
    assert!(script.stdout.contains("_pn()"), "a bash function");
    assert!(script.stdout.contains("here-now"), "every command");
}
