//! Rows of the bad-input table (docs/guarantees.md) that no other test file
//! covers: each bad value gets a typed error before any request.

mod common;

use common::*;
use pubnub_stream::ConfigError;

#[tokio::test]
async fn a_syntactically_broken_filter_fails_build_with_a_typed_error() {
    let server = server().await;
    for bad in ["((((", "(uuid == 'a'", "uuid == 'a", "meta.a[0) == 1", "  "] {
        match builder(&server).filter_expression(bad).build() {
            Err(ConfigError::InvalidOption { option, reason }) => {
                assert_eq!(option, "filter_expression", "{bad:?}");
                assert!(!reason.is_empty());
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    // A valid one builds, and nothing was sent for the refused ones.
    let ok = builder(&server)
        .filter_expression("(uuid != 'me') && meta.level > 5")
        .build();
    assert!(ok.is_ok());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn bad_publish_channels_and_values_are_typed_errors() {
    use pubnub_stream::RequestErrorKind as K;
    let server = server().await;
    let pubnub = client(&server);
    let publishes = || {
        server
            .requests()
            .iter()
            .filter(|r| r.class == Some(pubnub_devserver::RouteClass::Publish))
            .count()
    };
    // Refused before any I/O.
    for channel in [String::new(), "x".repeat(93), "x".repeat(100_000)] {
        let err = within(pubnub.publish().channel(channel.as_str()).message("hi"))
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), K::InvalidChannel { .. }), "{err}");
    }
    let mut keyed = std::collections::BTreeMap::new();
    keyed.insert((1, 2), "a map whose keys are not strings");
    let err = within(pubnub.publish().channel("c").message(&keyed))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), K::Serialization), "{err}");
    assert_eq!(publishes(), 0, "nothing was sent");
    // Names the server judges: a wildcard and a comma are refused by it.
    for channel in ["chat.*", "a,b"] {
        let err = within(pubnub.publish().channel(channel).message("hi"))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), K::BadRequest { .. }),
            "{channel}: {err}"
        );
    }
    // Unicode up to 92 characters is a valid name.
    within(pubnub.publish().channel("ü".repeat(92)).message("hi"))
        .await
        .expect("published");
}

#[test]
fn bad_user_ids_and_missing_keys_fail_build() {
    let base = || {
        pubnub_stream::PubNub::builder()
            .subscribe_key("sub")
            .publish_key("pub")
    };
    for user in [String::new(), "u".repeat(93), "a\nb".to_owned()] {
        let err = base().user_id(user.as_str()).build().unwrap_err();
        assert!(matches!(err, ConfigError::InvalidUserId { .. }), "{err:?}");
    }
    let err = base().build().unwrap_err();
    assert!(matches!(err, ConfigError::MissingUserId), "{err:?}");
    let err = pubnub_stream::PubNub::builder()
        .user_id("u")
        .build()
        .unwrap_err();
    assert!(matches!(err, ConfigError::MissingSubscribeKey), "{err:?}");
    for key in ["", " pub", "pub\n"] {
        let err = base().publish_key(key).user_id("u").build().unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::InvalidOption {
                    option: "publish_key",
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_filter_the_server_refuses_ends_the_subscription_with_bad_request() {
    let server = server().await;
    // Balanced and quoted: the client's syntax check passes it; `~` is no operator.
    let pubnub = builder(&server)
        .filter_expression("uuid ~ 'a'")
        .build()
        .expect("syntax check passes");
    let sub = pubnub.subscribe().channels("c").execute();
    let ended = sub.termination();
    let mut sub = sub;
    within(async { while futures::StreamExt::next(&mut sub).await.is_some() {} }).await;
    let reason = ended.reason().expect("ended with a reason");
    assert_eq!(reason.category(), "BadRequest", "{reason:?}");
}
