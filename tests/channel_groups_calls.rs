//! Channel-group calls against the dev server (protocol.md §9).

mod common;

use common::{builder, client, server};
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::RequestErrorKind;

fn registry_requests(server: &DevServer) -> Vec<pubnub_devserver::RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.class == Some(RouteClass::ChannelGroups))
        .collect()
}

#[tokio::test]
async fn add_list_remove_and_delete_a_group() {
    let server = server().await;
    let pubnub = client(&server);

    pubnub
        .add_channels_to_channel_group()
        .channel_group("friends")
        .channels(["news", "chat", "news"])
        .channels(["sport"])
        .await
        .unwrap();
    let add = &registry_requests(&server)[0];
    assert_eq!(
        add.path,
        "/v1/channel-registration/sub-key/sub-c-test/channel-group/friends"
    );
    assert_eq!(add.query_value("add"), Some("chat,news,sport"));
    assert_eq!(add.query_value("uuid"), Some("tester"));

    let channels = pubnub
        .list_channels_in_channel_group()
        .channel_group("friends")
        .await
        .unwrap();
    assert_eq!(channels, ["chat", "news", "sport"]);
    assert_eq!(pubnub.list_channel_groups().await.unwrap(), ["friends"]);

    pubnub
        .remove_channels_from_channel_group()
        .channel_group("friends")
        .channels(["news", "sport"])
        .await
        .unwrap();
    let remove = registry_requests(&server)
        .into_iter()
        .find(|r| r.query_value("remove").is_some())
        .unwrap();
    assert_eq!(remove.query_value("remove"), Some("news,sport"));
    assert_eq!(
        pubnub
            .list_channels_in_channel_group()
            .channel_group("friends")
            .await
            .unwrap(),
        ["chat"]
    );

    pubnub
        .delete_channel_group()
        .channel_group("friends")
        .await
        .unwrap();
    assert!(registry_requests(&server)
        .iter()
        .any(|r| r.path.ends_with("/channel-group/friends/remove")));
    assert!(pubnub.list_channel_groups().await.unwrap().is_empty());
    assert!(pubnub
        .list_channels_in_channel_group()
        .channel_group("friends")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn several_groups_are_listed_and_awkward_names_round_trip() {
    let server = server().await;
    let pubnub = client(&server);
    for (group, channel) in [("g-b", "x"), ("g_a", "ü-ch"), ("g.c", "a&b")] {
        pubnub
            .add_channels_to_channel_group()
            .channel_group(group)
            .channels([channel])
            .await
            .unwrap();
    }
    let mut groups = pubnub.list_channel_groups().await.unwrap();
    groups.sort();
    assert_eq!(groups, ["g-b", "g.c", "g_a"]);
    let channels = pubnub
        .list_channels_in_channel_group()
        .channel_group("g_a")
        .await
        .unwrap();
    assert_eq!(channels, ["ü-ch"]);
    let channels = pubnub
        .list_channels_in_channel_group()
        .channel_group("g.c")
        .await
        .unwrap();
    assert_eq!(channels, ["a&b"]);
}

#[tokio::test]
async fn invalid_calls_fail_before_any_request() {
    let server = server().await;
    let pubnub = client(&server);
    fn kind<T: std::fmt::Debug>(r: Result<T, pubnub_stream::RequestError>) -> RequestErrorKind {
        r.unwrap_err().into_kind()
    }

    let no_group = pubnub.add_channels_to_channel_group().channels(["a"]).await;
    assert!(matches!(
        kind(no_group),
        RequestErrorKind::InvalidArgument { .. }
    ));
    let no_channels = pubnub
        .add_channels_to_channel_group()
        .channel_group("g")
        .await;
    assert!(matches!(
        kind(no_channels),
        RequestErrorKind::InvalidArgument { .. }
    ));
    let empty_channel = pubnub
        .remove_channels_from_channel_group()
        .channel_group("g")
        .channels([""])
        .await;
    assert!(matches!(
        kind(empty_channel),
        RequestErrorKind::InvalidChannel { .. }
    ));
    let long_group = pubnub
        .delete_channel_group()
        .channel_group("g".repeat(93))
        .await;
    assert!(matches!(
        kind(long_group),
        RequestErrorKind::InvalidArgument { .. }
    ));
    let no_group = pubnub.list_channels_in_channel_group().await;
    assert!(matches!(
        kind(no_group),
        RequestErrorKind::InvalidArgument { .. }
    ));

    assert!(registry_requests(&server).is_empty());
}

#[tokio::test]
async fn server_errors_are_typed() {
    let server = server().await;
    let wrong_key = builder(&server)
        .subscribe_key("sub-c-wrong")
        .build()
        .unwrap();
    let err = wrong_key.list_channel_groups().await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::InvalidKey { .. }),
        "{err:?}"
    );

    let pubnub = client(&server);
    server.faults().fail_next(
        RouteClass::ChannelGroups,
        1,
        400,
        r#"{"status":400,"message":"Maximum channel group count exceeded.","service":"channel-registry","error":true}"#,
    );
    let err = pubnub
        .add_channels_to_channel_group()
        .channel_group("g")
        .channels(["a"])
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::BadRequest {
            message: "Maximum channel group count exceeded.".into()
        }
    );

    server
        .faults()
        .fail_next(RouteClass::ChannelGroups, 1, 503, "");
    let err = pubnub
        .list_channels_in_channel_group()
        .channel_group("g")
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.status(), Some(503));

    server
        .faults()
        .fail_next(RouteClass::ChannelGroups, 1, 200, "not json");
    let err = pubnub.list_channel_groups().await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::InvalidResponse { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn group_channels_take_one_name_or_many() {
    let server = server().await;
    let pubnub = client(&server);
    let owned = vec![String::from("b"), String::from("c")];
    pubnub
        .add_channels_to_channel_group()
        .channel_group("g")
        .channels("a")
        .channels(&owned)
        .await
        .unwrap();
    let add = &registry_requests(&server)[0];
    assert_eq!(add.query_value("add"), Some("a,b,c"));
    pubnub
        .remove_channels_from_channel_group()
        .channel_group("g")
        .channels(owned)
        .await
        .unwrap();
    let channels = pubnub
        .list_channels_in_channel_group()
        .channel_group("g")
        .await
        .unwrap();
    assert_eq!(channels, ["a"]);
}
