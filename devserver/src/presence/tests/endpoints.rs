//! Here-now, where-now and state bodies.

use serde_json::json;

use super::{names, Fixture};
use crate::presence::{
    get_state_multi_body, get_state_single_body, where_now_body, PresenceConfig,
};

fn populated() -> Fixture {
    let mut f = Fixture::new(PresenceConfig::default());
    let state = json!({"a": {"role": "admin"}});
    f.reg
        .touch(f.now, "u1", &names(&["a", "b"]), None, state.as_object());
    f.touch("u2", &["a"], None);
    f
}

#[test]
fn here_now_single_channel_shapes() {
    let f = populated();
    let ch = names(&["a"]);
    assert_eq!(
        f.reg.here_now(&ch, true, false).single_channel_body("a"),
        json!({
            "status": 200, "message": "OK", "service": "Presence", "uuids": ["u1", "u2"], "occupancy": 2
        })
    );
    assert_eq!(
        f.reg.here_now(&ch, true, true).single_channel_body("a"),
        json!({
            "status": 200, "message": "OK", "service": "Presence", "occupancy": 2,
            "uuids": [{"uuid": "u1", "state": {"role": "admin"}}, {"uuid": "u2"}]
        })
    );
    assert_eq!(
        f.reg.here_now(&ch, false, true).single_channel_body("a"),
        json!({
            "status": 200, "message": "OK", "service": "Presence", "occupancy": 2
        })
    );
    assert_eq!(
        f.reg
            .here_now(&names(&["empty"]), true, false)
            .single_channel_body("empty"),
        json!({
            "status": 200, "message": "OK", "service": "Presence", "uuids": [], "occupancy": 0
        })
    );
}

#[test]
fn here_now_multi_and_global() {
    let f = populated();
    let expected = json!({
        "status": 200, "message": "OK", "service": "Presence",
        "payload": {
            "channels": {"a": {"uuids": ["u1", "u2"], "occupancy": 2}, "b": {"uuids": ["u1"], "occupancy": 1}},
            "total_channels": 2, "total_occupancy": 3
        }
    });
    assert_eq!(
        f.reg
            .here_now(&names(&["a", "b", "empty"]), true, false)
            .multi_channel_body(),
        expected
    );
    assert_eq!(
        f.reg.global_here_now(true, false).multi_channel_body(),
        expected
    );
    let hidden = f.reg.global_here_now(false, false).multi_channel_body();
    assert_eq!(hidden["payload"]["channels"]["a"], json!({"occupancy": 2}));
}

#[test]
fn where_now_and_its_body() {
    let f = populated();
    assert_eq!(f.reg.where_now("u1"), names(&["a", "b"]));
    assert_eq!(
        where_now_body(&f.reg.where_now("u1")),
        json!({
            "status": 200, "message": "OK", "payload": {"channels": ["a", "b"]}, "service": "Presence"
        })
    );
    assert_eq!(
        where_now_body(&f.reg.where_now("nobody"))["payload"]["channels"],
        json!([])
    );
}

#[test]
fn get_state_bodies() {
    let f = populated();
    let one = f.reg.get_state("u1", &names(&["a"]));
    assert_eq!(
        get_state_single_body("u1", "a", one.get("a")),
        json!({
            "status": 200, "message": "OK", "payload": {"role": "admin"}, "uuid": "u1", "channel": "a", "service": "Presence"
        })
    );
    let many = f.reg.get_state("u1", &names(&["a", "b"]));
    assert_eq!(
        get_state_multi_body("u1", &many),
        json!({
            "status": 200, "message": "OK", "payload": {"channels": {"a": {"role": "admin"}}}, "uuid": "u1", "service": "Presence"
        })
    );
}

#[test]
fn public_types_are_send_sync_unpin() {
    fn assert_auto<T: Send + Sync + Unpin>() {}
    assert_auto::<crate::presence::PresenceRegistry>();
    assert_auto::<crate::presence::PresenceOutput>();
    assert_auto::<crate::presence::HereNow>();
    assert_auto::<crate::presence::PresenceError>();
    assert_auto::<crate::presence::Now>();
}
