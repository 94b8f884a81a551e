//! `pn serve`: a dev server the other commands reach, stopped by Ctrl-C.

mod common;

use common::{output, pn_bare, Running};

#[cfg(unix)]
#[tokio::test]
async fn serve_answers_the_other_commands_and_stops_on_sigint() {
    let mut serve = Running::start(&mut pn_bare([
        "serve",
        "--port",
        "0",
        "--keyset",
        "pub-k:sub-k",
    ]));
    let listening = serve.stdout_line().await.expect("the address");
    let origin = listening
        .strip_prefix("pn: dev server listening on ")
        .unwrap_or_else(|| panic!("{listening}"))
        .to_owned();

    let mut publish = pn_bare(["pub", "chat", "hi"]);
    publish
        .env("PUBNUB_ORIGIN", &origin)
        .env("PUBNUB_PUBLISH_KEY", "pub-k")
        .env("PUBNUB_SUBSCRIBE_KEY", "sub-k");
    let published = output(&mut publish).await;
    assert_eq!(published.code(), Some(0), "{}", published.stderr);

    let mut wrong = pn_bare(["pub", "chat", "hi"]);
    wrong
        .env("PUBNUB_ORIGIN", &origin)
        .env("PUBNUB_SUBSCRIBE_KEY", "sub-other");
    assert_eq!(
        output(&mut wrong).await.code(),
        Some(4),
        "the keyset knob is applied"
    );

    let pid = serve.child.id().expect("pn serve is running");
    // SAFETY: kill(2) with a child's pid and a valid signal number.
    assert_eq!(
        unsafe { libc::kill(libc::pid_t::try_from(pid).expect("a pid"), libc::SIGINT) },
        0
    );
    let (status, stderr) = serve.finish().await;
    assert_eq!(status.code(), Some(0), "{stderr:?}");
}

#[tokio::test]
async fn serve_reports_a_port_it_cannot_listen_on() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = taken.local_addr().expect("its address").port().to_string();
    let run = output(&mut pn_bare(["serve", "--port", &port])).await;
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with(&format!("pn: cannot listen on 127.0.0.1:{port}: ")),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn access_manager_needs_a_secret_key() {
    let run = output(&mut pn_bare(["serve", "--port", "0", "--access-manager"])).await;
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr.contains("--access-manager needs a secret key"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[tokio::test]
async fn serve_checks_signatures_with_the_secret_key() {
    let mut serve = Running::start(
        pn_bare(["serve", "--port", "0", "--keyset", "pub-k:sub-k"])
            .env("PUBNUB_SECRET_KEY", "sec-k"),
    );
    let listening = serve.stdout_line().await.expect("the address");
    let origin = listening
        .strip_prefix("pn: dev server listening on ")
        .unwrap_or_else(|| panic!("{listening}"))
        .to_owned();
    let publish = |secret: &str| {
        let mut command = pn_bare(["pub", "chat", "hi"]);
        command
            .env("PUBNUB_ORIGIN", &origin)
            .env("PUBNUB_PUBLISH_KEY", "pub-k")
            .env("PUBNUB_SUBSCRIBE_KEY", "sub-k")
            .env("PUBNUB_SECRET_KEY", secret);
        command
    };
    let signed = output(&mut publish("sec-k")).await;
    assert_eq!(signed.code(), Some(0), "{}", signed.stderr);
    let badly_signed = output(&mut publish("not-the-secret")).await;
    assert_eq!(badly_signed.code(), Some(4), "{}", badly_signed.stderr);

    let pid = serve.child.id().expect("pn serve is running");
    // SAFETY: kill(2) with a child's pid and a valid signal number.
    assert_eq!(
        unsafe { libc::kill(libc::pid_t::try_from(pid).expect("a pid"), libc::SIGINT) },
        0
    );
    assert_eq!(serve.finish().await.0.code(), Some(0));
}
