//! What a publish cannot carry is refused before any I/O, with a typed
//! error: a request over the server's URI limit, NaN and infinities, values
//! nested too deep (without overflowing the stack); and every attempt of one
//! message carries the same `seqn`.

mod common;

use std::time::Duration;

use common::*;
use futures::SinkExt;
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::{PubNub, RequestErrorKind, RetryPolicy};
use serde::ser::{Serialize, SerializeSeq, Serializer};

fn publishes(server: &DevServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.class == Some(RouteClass::Publish))
        .count()
}

/// Publishes a string of `n` letters by GET: `Ok(true)` if the server took
/// it, `Ok(false)` if the client refused it as too large before any I/O.
/// Anything else (a 414 from the server above all) is an error.
async fn fits(pubnub: &PubNub, server: &DevServer, n: usize) -> Result<bool, String> {
    let before = publishes(server);
    match within(pubnub.publish().channel("limits").message(&"a".repeat(n))).await {
        Ok(_) => Ok(true),
        Err(e) if matches!(e.kind(), RequestErrorKind::MessageTooLarge { .. }) => {
            if publishes(server) == before {
                Ok(false)
            } else {
                Err(format!("{n} letters: refused after I/O: {e}"))
            }
        }
        Err(e) => Err(format!("{n} letters: {e} (status {:?})", e.status())),
    }
}

#[tokio::test]
async fn a_get_publish_at_the_limit_goes_out_and_one_byte_more_is_refused_before_io() {
    let server = server().await;
    let pubnub = client(&server);
    let limit = pubnub.config().max_publish_bytes();
    assert_eq!(limit, 32_768, "the server's URI and message limits");

    // The largest message the old size rule let through:
    // len("limits") + len("%22" + n letters + "%22") + 100 == limit.
    let size_rule_max = limit - 100 - "limits".len() - 6;
    let at_size_rule = fits(&pubnub, &server, size_rule_max).await;
    assert!(at_size_rule.is_ok(), "{at_size_rule:?}");

    // Every message either goes out or is refused locally: find the edge.
    let (mut low, mut high) = (0, limit);
    while high - low > 1 {
        let mid = (low + high) / 2;
        if fits(&pubnub, &server, mid).await.expect("no 414") {
            low = mid;
        } else {
            high = mid;
        }
    }
    assert!(
        fits(&pubnub, &server, low).await.expect("no 414"),
        "{low} fits"
    );
    assert!(
        !fits(&pubnub, &server, low + 1).await.expect("no 414"),
        "one byte more is refused locally"
    );
    // The edge is the URI limit, not a margin below it: the URI of the
    // largest message that fits is within the widest seqn of the limit.
    let uri =
        pubnub_stream::__bench::publish_uri(&pubnub, "limits", &format!("\"{}\"", "a".repeat(low)))
            .expect("fits");
    let origin_form = uri.len() - format!("http://{}", server.origin()).len();
    assert!(
        (limit - 4..=limit).contains(&origin_form),
        "{origin_form} bytes"
    );
}

#[tokio::test]
async fn nan_and_infinities_are_serialization_errors_not_null() {
    let server = server().await;
    let pubnub = client(&server);
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let error = within(pubnub.publish().channel("nums").message(&vec![1.0, value]))
            .await
            .expect_err("not valid JSON");
        assert_eq!(error.kind(), &RequestErrorKind::Serialization, "{value}");
        let error = within(
            pubnub
                .publish()
                .channel("nums")
                .message(&1)
                .meta(&serde_json::json!({ "ok": 1 }).as_object().map(|_| [value])),
        )
        .await
        .expect_err("not valid JSON");
        assert_eq!(
            error.kind(),
            &RequestErrorKind::Serialization,
            "meta {value}"
        );
    }
    let mut sink = pubnub.publisher("nums").stop_on_reject().sink::<f32>();
    let error = within(sink.send(f32::NAN)).await.expect_err("rejected");
    assert_eq!(
        error.error().map(|e| e.kind()),
        Some(&RequestErrorKind::Serialization)
    );
    assert_eq!(publishes(&server), 0, "nothing was sent");
}

/// `0` inside `n` nested arrays, without a nested data structure (so that
/// building and dropping it costs no stack).
struct Deep(usize);

impl Serialize for Deep {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 == 0 {
            return serializer.serialize_u8(0);
        }
        let mut seq = serializer.serialize_seq(Some(1))?;
        seq.serialize_element(&Deep(self.0 - 1))?;
        seq.end()
    }
}

#[tokio::test]
async fn a_100_000_deep_value_is_refused_without_overflowing_a_2_mib_stack() {
    let server = server().await;
    let origin = server.origin().to_string();
    let outcome = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let pubnub = PubNub::builder()
                    .subscribe_key(SUB_KEY)
                    .publish_key(PUB_KEY)
                    .user_id("deep")
                    .origin(origin)
                    .secure(false)
                    .build()
                    .expect("valid config");
                let publish = pubnub.publish().channel("deep").message(&Deep(100_000));
                let builder = publish.await.map(|_| ()).map_err(|e| e.kind().clone());
                let mut sink = pubnub.publisher("deep").stop_on_reject().sink::<Deep>();
                let sink = sink
                    .send(Deep(100_000))
                    .await
                    .map_err(|e| e.error().map(|e| e.kind().clone()));
                (builder, sink)
            })
        })
        .expect("thread starts")
        .join()
        .expect("no stack overflow, no panic");
    assert_eq!(outcome.0, Err(RequestErrorKind::Serialization));
    assert_eq!(outcome.1, Err(Some(RequestErrorKind::Serialization)));
    // The deepest value the server parses still goes out.
    within(
        client(&server)
            .publish()
            .channel("deep")
            .message(&Deep(127)),
    )
    .await
    .expect("127 levels are accepted");
    assert_eq!(publishes(&server), 1);
}

#[tokio::test]
async fn a_retried_message_keeps_its_seqn() {
    let server = sink_server().await;
    let pubnub = client(&server);
    server
        .faults()
        .fail_next(RouteClass::Publish, 2, 500, "{\"error\":true}");
    let mut sink = pubnub
        .publisher("retried")
        .retry(RetryPolicy::linear(Duration::from_millis(1)).max_retries(5))
        .sink::<u32>();
    within(sink.send(1))
        .await
        .expect("published on the third attempt");
    within(sink.send(2)).await.expect("published");
    let seqns: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.class == Some(RouteClass::Publish))
        .filter_map(|r| r.query_value("seqn").map(str::to_owned))
        .collect();
    assert_eq!(seqns.len(), 4, "three attempts, then the second message");
    assert_eq!(seqns[0], seqns[1]);
    assert_eq!(seqns[1], seqns[2]);
    assert_ne!(seqns[2], seqns[3], "the next message has its own");
}
