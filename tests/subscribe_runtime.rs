//! A subscription outliving the runtime its engine ran on.

mod common;

use common::*;
use pubnub_stream::Status;

/// The engine's runtime shut down after the subscription connected:
/// `connected()` says so instead of `Ok(())`, and the stream ends.
#[test]
fn connected_fails_once_the_engine_runtime_is_gone() {
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = server_rt.block_on(server());
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pubnub = subscriber(&server);
    let sub = client_rt.block_on(async {
        let sub = pubnub.subscribe().channels("c").execute();
        within(sub.connected()).await.unwrap();
        sub
    });
    drop(client_rt);
    let error = server_rt
        .block_on(within(sub.connected()))
        .expect_err("the engine is gone");
    assert!(
        matches!(error.status(), Status::Disconnected { error: Some(_) }),
        "{error:?}"
    );
    let mut sub = sub;
    let rest: Vec<_> = server_rt.block_on(within(futures::StreamExt::collect::<Vec<_>>(&mut sub)));
    assert!(
        rest.iter()
            .all(|e| matches!(e, pubnub_stream::Event::Status(_))),
        "{rest:?}"
    );
}
