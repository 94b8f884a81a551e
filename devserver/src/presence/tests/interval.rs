//! Interval mode: deltas, here_now_refresh, return to announce mode.

use std::time::Duration;

use serde_json::json;

use super::{actions, events, names, small, Fixture};
use crate::presence::PresenceConfig;

/// announce_max 2, interval 10 s, and u1..u3 joined on `a` at t=0 (u3 put the
/// channel into interval mode at t=0).
fn three_on_a() -> Fixture {
    let mut f = Fixture::new(small(2));
    assert_eq!(f.touch("u1", &["a"], None).len(), 1);
    assert_eq!(f.touch("u2", &["a"], None).len(), 1);
    assert!(
        f.touch("u3", &["a"], None).is_empty(),
        "the join above announce_max is not announced"
    );
    f
}

#[test]
fn joins_above_announce_max_go_into_the_next_interval() {
    let mut f = three_on_a();
    f.at(3.0);
    assert!(f.touch("u4", &["a"], None).is_empty());
    assert_eq!(
        f.reg.next_deadline(),
        Some(f.start + Duration::from_secs(10))
    );
    f.at(9.9);
    assert!(f.sweep().is_empty());
    f.at(10.0);
    let out = f.sweep();
    assert_eq!(
        events(&out),
        vec![
            json!({"action": "interval", "timestamp": f.ts(), "occupancy": 4, "join": ["u3", "u4"]})
        ]
    );
    assert_eq!(out[0].channel, "a");
}

#[test]
fn no_interval_event_when_nothing_changed() {
    let mut f = three_on_a();
    f.at(10.0);
    assert_eq!(f.sweep().len(), 1);
    f.at(20.0);
    assert!(f.sweep().is_empty());
    assert_eq!(
        f.reg.next_deadline(),
        Some(f.start + Duration::from_secs(30)),
        "ticks keep their cadence"
    );
}

#[test]
fn leave_and_timeout_deltas() {
    let mut f = three_on_a();
    f.touch("u4", &["a"], None);
    f.touch("t1", &["a"], Some(20));
    f.at(10.0);
    f.sweep();
    f.at(12.0);
    assert!(f.leave("u4", &["a"]).is_empty());
    f.at(19.0);
    f.touch("u1", &["a"], None); // activity only
    f.at(20.0);
    let out = f.sweep();
    assert_eq!(
        events(&out),
        vec![
            json!({"action": "interval", "timestamp": f.ts(), "occupancy": 3, "leave": ["u4"], "timeout": ["t1"]})
        ]
    );
}

#[test]
fn each_changed_uuid_appears_once_with_its_latest_change() {
    let mut f = three_on_a();
    f.touch("u4", &["a"], None);
    f.at(10.0);
    assert_eq!(f.sweep()[0].event["join"], json!(["u3", "u4"]));
    f.at(12.0);
    f.touch("brief", &["a"], None);
    f.leave("brief", &["a"]);
    f.leave("u1", &["a"]);
    f.touch("u1", &["a"], None);
    f.at(20.0);
    assert_eq!(
        events(&f.sweep()),
        vec![
            json!({"action": "interval", "timestamp": f.ts(), "occupancy": 4, "join": ["u1"], "leave": ["brief"]})
        ]
    );
    f.at(30.0);
    assert!(f.sweep().is_empty(), "nothing changed since");
}

#[test]
fn timeout_at_the_tick_counts_in_that_tick() {
    let mut f = three_on_a();
    f.touch("u4", &["a"], None);
    f.touch("t1", &["a"], Some(20));
    f.at(10.0);
    f.sweep();
    f.at(35.0); // tick due at 20 and t1's deadline at 20: the timeout counts in it
    let out = f.sweep();
    assert_eq!(
        events(&out),
        vec![json!({"action": "interval", "timestamp": f.ts(), "occupancy": 4, "timeout": ["t1"]})]
    );
    assert_eq!(
        f.reg.next_deadline(),
        Some(f.start + Duration::from_secs(45)),
        "a late sweep restarts the cadence from now"
    );
}

#[test]
fn here_now_refresh_replaces_large_deltas() {
    let mut f = Fixture::new(PresenceConfig {
        max_delta_bytes: 20,
        ..small(1)
    });
    f.touch("first", &["a"], None);
    for i in 0..5 {
        f.touch(&format!("user-{i}"), &["a"], None);
    }
    f.at(10.0);
    let out = f.sweep();
    assert_eq!(
        events(&out),
        vec![
            json!({"action": "interval", "timestamp": f.ts(), "occupancy": 6, "here_now_refresh": true})
        ]
    );
    // A small delta fits again.
    f.leave("user-0", &["a"]);
    f.at(20.0);
    assert_eq!(f.sweep()[0].event["leave"], json!(["user-0"]));
}

#[test]
fn without_deltas_only_occupancy() {
    let mut f = Fixture::new(PresenceConfig {
        deltas: false,
        ..small(2)
    });
    for u in ["u1", "u2", "u3"] {
        f.touch(u, &["a"], None);
    }
    f.at(10.0);
    assert_eq!(
        events(&f.sweep()),
        vec![json!({"action": "interval", "timestamp": f.ts(), "occupancy": 3})]
    );
}

#[test]
fn falling_back_to_announce_max_flushes_then_announces() {
    let mut f = three_on_a();
    f.at(4.0);
    f.touch("u4", &["a"], None);
    f.at(10.0);
    f.sweep();
    f.at(12.0);
    assert!(
        f.leave("u4", &["a"]).is_empty(),
        "4 -> 3: still interval mode"
    );
    let out = f.leave("u3", &["a"]);
    assert_eq!(
        events(&out),
        vec![
            json!({"action": "interval", "timestamp": f.ts(), "occupancy": 3, "leave": ["u4"]}),
            json!({"action": "leave", "timestamp": f.ts(), "uuid": "u3", "occupancy": 2}),
        ]
    );
    assert_eq!(
        f.reg.next_deadline(),
        Some(f.start + Duration::from_secs(300)),
        "no interval tick any more"
    );
    // Back in announce mode: a leave is announced; a third join switches again.
    assert_eq!(
        actions(&f.leave("u2", &["a"])),
        vec![("a".into(), "leave".into())]
    );
    assert_eq!(f.touch("u5", &["a"], None).len(), 1);
    assert!(f.touch("u6", &["a"], None).is_empty());
}

#[test]
fn state_change_is_announced_in_interval_mode() {
    let mut f = three_on_a();
    let out = f
        .reg
        .set_state(f.now, "u2", &names(&["a"]), &json!({"x": 1}))
        .unwrap_or_default();
    assert_eq!(
        events(&out),
        vec![
            json!({"action": "state-change", "timestamp": f.ts(), "uuid": "u2", "occupancy": 3, "data": {"x": 1}})
        ]
    );
}

#[test]
fn zero_interval_does_not_spin() {
    let mut f = Fixture::new(PresenceConfig {
        interval: Duration::ZERO,
        ..small(0)
    });
    f.touch("u1", &["a"], None);
    assert!(f.reg.next_deadline().is_some_and(|d| d > f.now.instant));
    f.at(1.0);
    assert_eq!(f.sweep()[0].event["join"], json!(["u1"]));
    assert!(f.reg.next_deadline().is_some_and(|d| d > f.now.instant));
}
