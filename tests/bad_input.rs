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
