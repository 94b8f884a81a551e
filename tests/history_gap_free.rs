//! Gap-free subscriptions: what the server's catch-up queue (100 messages a
//! channel) dropped while the subscriber was away is read back from history
//! and merged in, in order, once; what was never stored is reported, not
//! invented.

mod common;

use std::time::Duration;

use common::{client, server, subscriber_builder, within};
use futures::StreamExt;
use pubnub_stream::{Event, PubNub, RetryPolicy, Status, Subscription, Timetoken};

const ROOM: &str = "room";

async fn publish(pubnub: &PubNub, n: u64, store: bool) -> Timetoken {
    within(
        pubnub
            .publish()
            .channel(ROOM)
            .message(&n)
            .should_store(store),
    )
    .await
    .expect("publish")
    .timetoken
}

/// Events of `sub` up to the message with payload `last`: the message
/// payloads in order, and the statuses met on the way.
async fn until(sub: &mut Subscription, last: u64) -> (Vec<u64>, Vec<Status>) {
    let (mut payloads, mut statuses) = (Vec::new(), Vec::new());
    within(async {
        while let Some(event) = sub.next().await {
            match event {
                Event::Message(m) => {
                    let n: u64 = m.decode().expect("a number");
                    payloads.push(n);
                    if n == last {
                        return;
                    }
                }
                Event::Status(status) => statuses.push(status),
                _ => {}
            }
        }
        panic!("the subscription ended");
    })
    .await;
    (payloads, statuses)
}

/// A subscriber connected to [`ROOM`], then paused (`disconnect()`): its
/// client sends no subscribe request until `reconnect()`.
async fn paused_subscriber(pubnub: &PubNub, gap_free: bool) -> Subscription {
    let mut builder = pubnub.subscribe().channels(ROOM);
    if gap_free {
        builder = builder.gap_free();
    }
    let sub = within(builder).await.expect("connected");
    pubnub.disconnect();
    sub
}

/// A subscriber (gap-free or not) paused while 500 stored messages are
/// published, then resumed: the payloads up to the last and the statuses
/// met on the way, and the first message's timetoken.
async fn away_while_500_are_stored(gap_free: bool) -> (Vec<u64>, Vec<Status>, Timetoken) {
    let server = server().await;
    let publisher = client(&server);
    let pubnub = subscriber_builder(&server, "reader")
        .build()
        .expect("client");
    let mut sub = paused_subscriber(&pubnub, gap_free).await;
    let first = publish(&publisher, 0, true).await;
    for n in 1..500 {
        publish(&publisher, n, true).await;
    }
    pubnub.reconnect();
    let (payloads, statuses) = until(&mut sub, 499).await;
    (payloads, statuses, first)
}

#[tokio::test]
async fn a_paused_gap_free_subscriber_gets_all_500_once_in_order() {
    let (payloads, statuses, first) = away_while_500_are_stored(true).await;
    assert_eq!(
        payloads,
        (0..500).collect::<Vec<u64>>(),
        "all 500, in order, once"
    );
    let filled: Vec<&Status> = statuses
        .iter()
        .filter(|s| matches!(s, Status::GapFilled { .. }))
        .collect();
    assert_eq!(filled.len(), 1, "{statuses:?}");
    match filled[0] {
        Status::GapFilled {
            channels,
            from,
            recovered,
            ..
        } => {
            assert_eq!(channels, &[ROOM.to_owned()]);
            assert!(*from < first);
            assert_eq!(*recovered, 400, "the queue held the last 100");
        }
        _ => unreachable!(),
    }
    assert!(
        !statuses
            .iter()
            .any(|s| matches!(s, Status::PossibleGap { .. })),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_paused_plain_subscriber_is_told_of_the_possible_loss() {
    let (payloads, statuses, first) = away_while_500_are_stored(false).await;
    assert_eq!(
        payloads,
        (400..500).collect::<Vec<u64>>(),
        "what the queue held, nothing invented"
    );
    match statuses.as_slice() {
        [Status::PossibleGap { channels, from, .. }] => {
            assert_eq!(channels, &[ROOM.to_owned()]);
            assert!(*from < first);
        }
        other => panic!("expected one PossibleGap before the messages, got {other:?}"),
    }
}

#[tokio::test]
async fn three_hundred_messages_across_a_server_stop_and_restart_arrive_once_in_order() {
    let server = server().await;
    let publisher = client(&server);
    // After the first failure the subscriber waits (an hour): it comes back
    // when the test calls reconnect(), after the messages were published.
    let pubnub = subscriber_builder(&server, "reader")
        .reconnection(RetryPolicy::linear(Duration::from_secs(3600)).without_jitter())
        .build()
        .expect("client");
    let mut sub = within(pubnub.subscribe().channels(ROOM).gap_free().with_statuses())
        .await
        .expect("connected");
    for n in 0..100 {
        publish(&publisher, n, true).await;
    }
    let (before, _) = until(&mut sub, 99).await;
    assert_eq!(before, (0..100).collect::<Vec<u64>>());
    server.stop().await;
    // wait until the subscriber has seen the outage
    within(async {
        while let Some(event) = sub.next().await {
            if let Event::Status(
                Status::NetworkIssues { .. } | Status::UnexpectedDisconnect { .. },
            ) = event
            {
                return;
            }
        }
    })
    .await;
    server.restart().await.expect("restart");
    for n in 100..300 {
        publish(&publisher, n, true).await;
    }
    pubnub.reconnect();
    let (after, statuses) = until(&mut sub, 299).await;
    assert_eq!(after, (100..300).collect::<Vec<u64>>(), "once, in order");
    assert!(
        statuses
            .iter()
            .any(|s| matches!(s, Status::GapFilled { recovered: 100, .. })),
        "the queue held the last 100 of 200: {statuses:?}"
    );
}

#[tokio::test]
async fn unstored_messages_lost_in_a_gap_are_reported_not_invented() {
    let server = server().await;
    let publisher = client(&server);
    let pubnub = subscriber_builder(&server, "reader")
        .build()
        .expect("client");
    let mut sub = paused_subscriber(&pubnub, true).await;
    let unstored = [10, 20, 30, 120];
    let mut tts = Vec::new();
    for n in 0..150 {
        tts.push(publish(&publisher, n, !unstored.contains(&n)).await);
    }
    pubnub.reconnect();
    let (payloads, statuses) = until(&mut sub, 149).await;
    // 10, 20 and 30 fell out of the queue and were never stored: gone. 120
    // was still in the queue: delivered live.
    let expected: Vec<u64> = (0..150).filter(|n| ![10, 20, 30].contains(n)).collect();
    assert_eq!(payloads, expected, "in order, once, nothing invented");
    match statuses.as_slice() {
        [Status::GapFilled {
            from,
            to,
            recovered,
            ..
        }] => {
            assert!(
                *from < tts[10] && tts[30] <= *to,
                "the range covers what is missing"
            );
            assert_eq!(*to, tts[149]);
            assert_eq!(*recovered, 47, "the 50 that fell out, less the 3 unstored");
        }
        other => panic!("expected one GapFilled status, got {other:?}"),
    }
}
