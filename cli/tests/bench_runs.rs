//! `pn bench` in a tiny configuration against its embedded dev server.

mod common;

use common::{output, pn_bare};

#[tokio::test]
async fn bench_pub_reports_throughput_and_ack_latency() {
    let run = output(&mut pn_bare([
        "bench",
        "pub",
        "--msgs",
        "40",
        "--channels",
        "2",
        "--pubs",
        "2",
    ]))
    .await;
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("40 msgs of 128 B over 2 channel(s), 2 publisher(s)")
            && run.stdout.contains("against an embedded dev server"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("publish: 40 msgs in "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("publish→ack latency: p50 "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("(40 samples)"),
        "one sample per ack: {}",
        run.stdout
    );
}

#[tokio::test]
async fn bench_latency_counts_every_message_once() {
    let run = output(&mut pn_bare([
        "bench", "latency", "--msgs", "20", "--subs", "2",
    ]))
    .await;
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("lost 0, duplicated 0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("(40 samples)"),
        "two subscribers x 20: {}",
        run.stdout
    );
}

#[tokio::test]
async fn bench_sub_counts_what_each_subscriber_received() {
    let run = output(&mut pn_bare([
        "bench", "sub", "--msgs", "30", "--subs", "2",
    ]))
    .await;
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    for n in 0..2 {
        assert!(
            run.stdout
                .contains(&format!("receive: sub {n}: 30 msgs in ")),
            "{}",
            run.stdout
        );
    }
    assert_eq!(
        run.stdout.matches("lost 0, duplicated 0").count(),
        2,
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn bench_refuses_a_size_it_cannot_publish() {
    let run = output(&mut pn_bare(["bench", "pub", "--size", "40000"])).await;
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr.contains("--size must be between"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn bench_runs_against_the_origin_it_is_given() {
    let server = common::server().await;
    let run = output(&mut common::pn(&server, ["bench", "pub", "--msgs", "12"])).await;
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("against http://{}", server.origin())),
        "{}",
        run.stdout
    );
    let publishes = server
        .requests()
        .iter()
        .filter(|r| r.class == Some(pubnub_devserver::RouteClass::Publish))
        .count();
    assert_eq!(publishes, 12, "every message went to this server");
}
