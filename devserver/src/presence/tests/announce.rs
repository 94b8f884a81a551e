//! Announce mode: join, leave, timeout, state-change.

use serde_json::json;

use super::{actions, events, names, small, Fixture};
use crate::presence::{PresenceConfig, PresenceError};

#[test]
fn join_event_shape_and_occupancy() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.at(1.5);
    let out = f.touch("u1", &["a"], None);
    assert_eq!(
        events(&out),
        vec![json!({"action": "join", "timestamp": f.ts(), "uuid": "u1", "occupancy": 1})]
    );
    assert!(
        out[0].event["timestamp"].is_u64(),
        "timestamp is an integer"
    );
    let out = f.touch("u2", &["a", "b"], None);
    assert_eq!(
        actions(&out),
        vec![("a".into(), "join".into()), ("b".into(), "join".into())]
    );
    assert_eq!(out[0].event["occupancy"], 2);
    assert_eq!(out[1].event["occupancy"], 1);
}

#[test]
fn same_uuid_counts_once() {
    let mut f = Fixture::new(PresenceConfig::default());
    assert_eq!(
        f.touch("u1", &["a", "a"], None).len(),
        1,
        "duplicate names in one call"
    );
    assert!(
        f.touch("u1", &["a"], None).is_empty(),
        "second device, same uuid"
    );
    assert_eq!(
        f.reg
            .here_now(&names(&["a"]), true, false)
            .total_occupancy(),
        1
    );
}

#[test]
fn presence_and_empty_names_are_ignored() {
    let mut f = Fixture::new(PresenceConfig::default());
    assert!(f.touch("u1", &["a-pnpres", ""], None).is_empty());
    assert!(f.reg.active_channels().is_empty());
}

#[test]
fn join_carries_state_without_state_change() {
    let mut f = Fixture::new(PresenceConfig::default());
    let state = json!({"a": {"mood": "happy"}, "b": "not an object"});
    let out = f
        .reg
        .touch(f.now, "u1", &names(&["a", "b"]), None, state.as_object());
    assert_eq!(out[0].event["data"], json!({"mood": "happy"}));
    assert!(
        out[1].event.get("data").is_none(),
        "non-object state is ignored"
    );
    assert_eq!(
        actions(&out)
            .iter()
            .filter(|(_, a)| a == "state-change")
            .count(),
        0
    );
    // A heartbeat with new state updates it silently.
    let state = json!({"a": {"mood": "sleepy"}});
    assert!(f
        .reg
        .touch(f.now, "u1", &names(&["a"]), None, state.as_object())
        .is_empty());
    assert_eq!(
        f.reg.get_state("u1", &names(&["a", "b"])),
        *json!({"a": {"mood": "sleepy"}})
            .as_object()
            .unwrap_or(&Default::default())
    );
}

#[test]
fn leave_then_channel_is_dropped() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.touch("u1", &["a"], None);
    f.touch("u2", &["a"], None);
    f.at(2.0);
    let out = f.leave("u1", &["a", "zzz"]);
    assert_eq!(
        events(&out),
        vec![json!({"action": "leave", "timestamp": f.ts(), "uuid": "u1", "occupancy": 1})]
    );
    assert!(f.leave("u1", &["a"]).is_empty(), "not a member any more");
    f.leave("u2", &["a"]);
    assert!(f.reg.active_channels().is_empty());
    assert_eq!(f.reg.next_deadline(), None);
    assert!(f.reg.where_now("u2").is_empty());
}

#[test]
fn timeout_is_clamped_to_the_minimum() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.touch("u1", &["a"], Some(5));
    assert_eq!(
        f.reg.next_deadline(),
        Some(f.start + std::time::Duration::from_secs(20))
    );
    f.at(19.999);
    assert!(f.sweep().is_empty());
    f.at(20.0);
    let out = f.sweep();
    assert_eq!(
        events(&out),
        vec![json!({"action": "timeout", "timestamp": f.ts(), "uuid": "u1", "occupancy": 0})]
    );
    assert!(f.reg.active_channels().is_empty());
}

#[test]
fn default_and_explicit_timeouts() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.touch("dflt", &["a"], None);
    f.touch("sixty", &["a"], Some(60));
    f.at(59.0);
    assert!(f.sweep().is_empty());
    f.at(60.0);
    assert_eq!(f.sweep()[0].event["uuid"], "sixty");
    f.at(299.0);
    assert!(f.sweep().is_empty());
    f.at(300.0);
    assert_eq!(f.sweep()[0].event["uuid"], "dflt");
}

#[test]
fn activity_extends_the_deadline_and_keeps_the_timeout() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.touch("u1", &["a"], Some(30));
    f.at(25.0);
    assert!(f.touch("u1", &["a"], None).is_empty());
    f.at(54.0);
    assert!(
        f.sweep().is_empty(),
        "refreshed at 25 s, timeout still 30 s"
    );
    f.at(55.0);
    assert_eq!(actions(&f.sweep()), vec![("a".into(), "timeout".into())]);
}

#[test]
fn timeouts_come_in_deadline_order() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.touch("late", &["a"], Some(40));
    f.touch("early", &["a"], Some(30));
    f.touch("other", &["b"], Some(30));
    f.at(100.0);
    let out = f.sweep();
    let uuids: Vec<_> = out
        .iter()
        .filter(|o| o.channel == "a")
        .map(|o| (o.event["uuid"].clone(), o.event["occupancy"].clone()))
        .collect();
    assert_eq!(
        uuids,
        vec![(json!("early"), json!(1)), (json!("late"), json!(0))]
    );
    assert_eq!(out.len(), 3);
}

#[test]
fn set_state_fires_state_change_with_occupancy() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.touch("u1", &["a"], None);
    f.touch("u2", &["a"], None);
    let out = f
        .reg
        .set_state(f.now, "u1", &names(&["a"]), &json!({"state": "cool"}));
    let out = out.unwrap_or_default();
    assert_eq!(
        events(&out),
        vec![
            json!({"action": "state-change", "timestamp": f.ts(), "uuid": "u1", "occupancy": 2, "data": {"state": "cool"}})
        ]
    );
    assert_eq!(
        f.reg.get_state("u1", &names(&["a"]))["a"],
        json!({"state": "cool"})
    );
    // `{}` clears the state.
    let out = f
        .reg
        .set_state(f.now, "u1", &names(&["a"]), &json!({}))
        .unwrap_or_default();
    assert_eq!(out[0].event["data"], json!({}));
    assert!(f.reg.get_state("u1", &names(&["a"])).is_empty());
}

#[test]
fn set_state_requires_an_object() {
    let mut f = Fixture::new(PresenceConfig::default());
    for bad in [json!([1]), json!("s"), json!(1), json!(null)] {
        assert_eq!(
            f.reg.set_state(f.now, "u1", &names(&["a"]), &bad),
            Err(PresenceError::StateNotObject)
        );
    }
    assert!(
        f.reg.active_channels().is_empty(),
        "a refused call changes nothing"
    );
}

#[test]
fn set_state_on_a_new_channel_joins_with_data() {
    let mut f = Fixture::new(small(20));
    f.touch("u1", &["a"], Some(40));
    let out = f
        .reg
        .set_state(f.now, "u1", &names(&["b"]), &json!({"k": 1}))
        .unwrap_or_default();
    assert_eq!(
        events(&out),
        vec![
            json!({"action": "join", "timestamp": f.ts(), "uuid": "u1", "occupancy": 1, "data": {"k": 1}})
        ]
    );
    // The new membership inherits the uuid's timeout (40 s).
    f.at(40.0);
    assert_eq!(f.sweep().len(), 2);
}

#[test]
fn a_new_channel_inherits_the_uuid_timeout() {
    let mut f = Fixture::new(PresenceConfig::default());
    f.touch("u1", &["a"], Some(60));
    f.at(10.0);
    f.touch("u1", &["b"], None);
    f.at(69.0);
    assert_eq!(actions(&f.sweep()), vec![("a".into(), "timeout".into())]);
    f.at(70.0);
    assert_eq!(actions(&f.sweep()), vec![("b".into(), "timeout".into())]);
}
