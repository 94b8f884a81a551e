//! The examples that documented this module's items while it was public,
//! kept as tests now that it is private to the crate.

/// From `bodies.rs`.
#[test]
fn bodies_heartbeat_body() {
    assert_eq!(crate::presence::heartbeat_body()["service"], "Presence");
}

/// From `bodies.rs`.
#[test]
fn bodies_leave_body() {
    assert_eq!(crate::presence::leave_body()["action"], "leave");
}

/// From `bodies.rs`.
#[test]
fn bodies_where_now_body() {
    let body = crate::presence::where_now_body(&["ch1".to_owned()]);
    assert_eq!(body["payload"]["channels"], serde_json::json!(["ch1"]));
}

/// From `bodies.rs`.
#[test]
fn bodies_set_state_body() {
    use serde_json::json;
    let body = crate::presence::set_state_body(&json!({"mood": "ok"}));
    assert_eq!(
        body,
        json!({"status": 200, "message": "OK", "payload": {"mood": "ok"}, "service": "Presence"})
    );
}

/// From `bodies.rs`.
#[test]
fn bodies_get_state_single_body() {
    let body = crate::presence::get_state_single_body("u", "ch", None);
    assert_eq!(body["payload"], serde_json::json!({}));
    assert_eq!(body["channel"], "ch");
}

/// From `bodies.rs`.
#[test]
fn bodies_get_state_multi_body() {
    use serde_json::json;
    let states = json!({"a": {"x": 1}});
    let body = crate::presence::get_state_multi_body("u", states.as_object().unwrap());
    assert_eq!(body["payload"]["channels"]["a"]["x"], 1);
    assert_eq!(body["uuid"], "u");
}

/// From `bodies.rs`.
#[test]
fn bodies_error_body() {
    use crate::presence::{error_body, PresenceError};
    assert_eq!(error_body(&PresenceError::StateNotObject)["status"], 400);
}

/// From `clock.rs`.
#[test]
fn clock_now() {
    use crate::presence::Now;
    use std::time::{Duration, Instant};

    let t0 = Now::at(Instant::now(), 1_700_000_000_000);
    let t1 = t0.advance(Duration::from_millis(1500));
    assert_eq!(t1.unix_secs(), 1_700_000_001);
    assert_eq!(t1.instant - t0.instant, Duration::from_millis(1500));
}

/// From `clock.rs`.
#[test]
fn clock_system() {
    let now = crate::presence::Now::system();
    assert!(now.unix_secs() > 1_600_000_000);
}

/// From `clock.rs`.
#[test]
fn clock_at() {
    use std::time::Instant;
    let now = crate::presence::Now::at(Instant::now(), 5_000);
    assert_eq!(now.unix_secs(), 5);
}

/// From `clock.rs`.
#[test]
fn clock_advance() {
    use std::time::{Duration, Instant};
    let now = crate::presence::Now::at(Instant::now(), 0).advance(Duration::from_secs(3));
    assert_eq!(now.unix_secs(), 3);
}

/// From `clock.rs`.
#[test]
fn clock_unix_secs() {
    use std::time::Instant;
    assert_eq!(
        crate::presence::Now::at(Instant::now(), 1_999).unix_secs(),
        1
    );
}

/// From `config.rs`.
#[test]
fn config_presence_config() {
    use crate::presence::PresenceConfig;
    use std::time::Duration;

    let cfg = PresenceConfig {
        announce_max: 2,
        interval: Duration::from_millis(50),
        ..Default::default()
    };
    assert_eq!(cfg.default_timeout, Duration::from_secs(300));
}

/// From `config.rs`.
#[test]
fn config_default() {
    let cfg = crate::presence::PresenceConfig::default();
    assert_eq!(
        (
            cfg.announce_max,
            cfg.interval.as_secs(),
            cfg.min_timeout.as_secs()
        ),
        (20, 10, 20)
    );
}

/// From `error.rs`.
#[test]
fn error_presence_error() {
    use crate::presence::{Now, PresenceConfig, PresenceError, PresenceRegistry};
    use serde_json::json;

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let err = reg
        .set_state(Now::system(), "u1", &["ch".to_owned()], &json!([1]))
        .unwrap_err();
    assert_eq!(err, PresenceError::StateNotObject);
    assert_eq!(err.to_string(), "Invalid JSON specified.");
}

/// From `event.rs`.
#[test]
fn event_presence_output() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use serde_json::json;
    use std::time::Instant;

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let now = Now::at(Instant::now(), 1_481_896_367_000);
    let out = reg.touch(now, "u1", &["chat".to_owned()], None, None);
    assert_eq!(out[0].channel, "chat");
    assert_eq!(out[0].presence_channel(), "chat-pnpres");
    assert_eq!(
        out[0].event,
        json!({"action":"join","timestamp":1481896367,"uuid":"u1","occupancy":1})
    );
}

/// From `event.rs`.
#[test]
fn event_presence_channel() {
    use crate::presence::PresenceOutput;
    let out = PresenceOutput {
        channel: "a".into(),
        event: serde_json::json!({}),
    };
    assert_eq!(out.presence_channel(), "a-pnpres");
}

/// From `event.rs`.
#[test]
fn event_action() {
    use crate::presence::PresenceOutput;
    let out = PresenceOutput {
        channel: "a".into(),
        event: serde_json::json!({"action": "leave"}),
    };
    assert_eq!(out.action(), Some("leave"));
}

/// From `here_now.rs`.
#[test]
fn here_now() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use serde_json::json;
    use std::time::Instant;

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    reg.touch(
        Now::at(Instant::now(), 0),
        "u1",
        &["ch1".to_owned()],
        None,
        None,
    );
    let h = reg.here_now(&["ch1".to_owned(), "ch2".to_owned()], true, false);
    assert_eq!((h.total_channels(), h.total_occupancy()), (1, 1));
    assert_eq!(
        h.single_channel_body("ch1"),
        json!({
            "status": 200, "message": "OK", "service": "Presence", "uuids": ["u1"], "occupancy": 1
        })
    );
    assert_eq!(
        h.multi_channel_body(),
        json!({
            "status": 200, "message": "OK", "service": "Presence",
            "payload": {"channels": {"ch1": {"uuids": ["u1"], "occupancy": 1}},
                        "total_channels": 1, "total_occupancy": 1}
        })
    );
}

/// From `here_now.rs`.
#[test]
fn here_now_channel_presence() {
    use crate::presence::{ChannelPresence, Occupants};
    let empty = ChannelPresence {
        occupancy: 0,
        occupants: Occupants::Hidden,
    };
    assert_eq!(empty.to_json(), serde_json::json!({"occupancy": 0}));
}

/// From `here_now.rs`.
#[test]
fn here_now_occupants() {
    use crate::presence::{ChannelPresence, Occupant, Occupants};
    use serde_json::json;

    let c = ChannelPresence {
        occupancy: 2,
        occupants: Occupants::WithState(vec![
            Occupant {
                uuid: "a".into(),
                state: json!({"x": 1}).as_object().cloned(),
            },
            Occupant {
                uuid: "b".into(),
                state: None,
            },
        ]),
    };
    assert_eq!(
        c.to_json(),
        json!({"occupancy": 2, "uuids": [{"uuid": "a", "state": {"x": 1}}, {"uuid": "b"}]})
    );
}

/// From `here_now.rs`.
#[test]
fn here_now_occupant() {
    let o = crate::presence::Occupant {
        uuid: "a".into(),
        state: None,
    };
    assert_eq!(o.uuid, "a");
}

/// From `here_now.rs`.
#[test]
fn here_now_to_json() {
    use crate::presence::{ChannelPresence, Occupants};
    let c = ChannelPresence {
        occupancy: 1,
        occupants: Occupants::Uuids(vec!["u".into()]),
    };
    assert_eq!(
        c.to_json(),
        serde_json::json!({"uuids": ["u"], "occupancy": 1})
    );
}

/// From `here_now.rs`.
#[test]
fn here_now_paged() {
    use crate::presence::{Now, Occupants, PresenceConfig, PresenceRegistry};
    use std::time::Instant;

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let now = Now::at(Instant::now(), 0);
    for u in ["a", "b", "c"] {
        reg.touch(now, u, &["ch".to_owned()], None, None);
    }
    let h = reg.here_now(&["ch".to_owned()], true, false).paged(1, 1);
    assert_eq!(
        h.channels["ch"].occupants,
        Occupants::Uuids(vec!["b".to_owned()])
    );
    assert_eq!(h.channels["ch"].occupancy, 3);
}

/// From `here_now.rs`.
#[test]
fn here_now_total_channels() {
    let h = crate::presence::HereNow {
        channels: Default::default(),
    };
    assert_eq!(h.total_channels(), 0);
}

/// From `here_now.rs`.
#[test]
fn here_now_total_occupancy() {
    let h = crate::presence::HereNow {
        channels: Default::default(),
    };
    assert_eq!(h.total_occupancy(), 0);
}

/// From `here_now.rs`.
#[test]
fn here_now_single_channel_body() {
    let h = crate::presence::HereNow {
        channels: Default::default(),
    };
    assert_eq!(h.single_channel_body("x")["occupancy"], 0);
}

/// From `here_now.rs`.
#[test]
fn here_now_multi_channel_body() {
    let h = crate::presence::HereNow {
        channels: Default::default(),
    };
    assert_eq!(h.multi_channel_body()["payload"]["total_channels"], 0);
}

/// From `here_now.rs`.
#[test]
fn here_now_2() {
    use crate::presence::{Occupants, PresenceConfig, PresenceRegistry};
    let reg = PresenceRegistry::new(PresenceConfig::default());
    let h = reg.here_now(&["a".to_owned()], false, false);
    assert_eq!(h.channels["a"].occupants, Occupants::Hidden);
}

/// From `here_now.rs`.
#[test]
fn here_now_global_here_now() {
    use crate::presence::{PresenceConfig, PresenceRegistry};
    let reg = PresenceRegistry::new(PresenceConfig::default());
    assert_eq!(reg.global_here_now(true, false).total_occupancy(), 0);
}

/// From `mod.rs`.
#[test]
fn presence() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use serde_json::json;
    use std::time::{Duration, Instant};

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let now = Now::at(Instant::now(), 1_481_896_367_000);
    let ch = vec!["chat".to_owned()];
    let joined = reg.touch(now, "u1", &ch, Some(300), None);
    assert_eq!(
        joined[0].event,
        json!({"action":"join","timestamp":1481896367,"uuid":"u1","occupancy":1})
    );
    let left = reg.leave(now.advance(Duration::from_secs(1)), "u1", &ch);
    assert_eq!(
        left[0].event,
        json!({"action":"leave","timestamp":1481896368,"uuid":"u1","occupancy":0})
    );
}

/// From `registry.rs`.
#[test]
fn registry_presence_registry() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use std::time::{Duration, Instant};

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let t0 = Now::at(Instant::now(), 1_700_000_000_000);
    let chat = vec!["chat".to_owned()];
    assert_eq!(reg.touch(t0, "alice", &chat, Some(30), None).len(), 1); // join
    assert_eq!(reg.where_now("alice"), chat);
    assert_eq!(
        reg.next_deadline(),
        Some(t0.instant + Duration::from_secs(30))
    );
    let out = reg.sweep(t0.advance(Duration::from_secs(30)));
    assert_eq!(out[0].action(), Some("timeout"));
    assert!(reg.where_now("alice").is_empty());
}

/// From `registry.rs`.
#[test]
fn registry_new() {
    use crate::presence::{PresenceConfig, PresenceRegistry};
    let reg = PresenceRegistry::new(PresenceConfig::default());
    assert_eq!(reg.next_deadline(), None);
}

/// From `registry.rs`.
#[test]
fn registry_config() {
    use crate::presence::{PresenceConfig, PresenceRegistry};
    assert_eq!(
        PresenceRegistry::new(PresenceConfig::default())
            .config()
            .announce_max,
        20
    );
}

/// From `registry.rs`.
#[test]
fn registry_touch() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use serde_json::json;
    use std::time::Instant;

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let now = Now::at(Instant::now(), 0);
    let state = json!({"chat": {"mood": "ok"}});
    let out = reg.touch(now, "u1", &["chat".to_owned()], None, state.as_object());
    assert_eq!(out[0].event["data"], json!({"mood": "ok"}));
    assert!(reg
        .touch(now, "u1", &["chat".to_owned()], None, None)
        .is_empty());
}

/// From `registry.rs`.
#[test]
fn registry_leave() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use std::time::Instant;

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let now = Now::at(Instant::now(), 0);
    let ch = vec!["a".to_owned()];
    reg.touch(now, "u1", &ch, None, None);
    let out = reg.leave(now, "u1", &ch);
    assert_eq!(out[0].event["action"], "leave");
    assert_eq!(out[0].event["occupancy"], 0);
    assert!(reg.leave(now, "u1", &ch).is_empty());
}

/// From `registry.rs`.
#[test]
fn registry_sweep() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use std::time::Instant;
    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    assert!(reg.sweep(Now::at(Instant::now(), 0)).is_empty());
}

/// From `registry.rs`.
#[test]
fn registry_next_deadline() {
    use crate::presence::{PresenceConfig, PresenceRegistry};
    assert!(PresenceRegistry::new(PresenceConfig::default())
        .next_deadline()
        .is_none());
}

/// From `registry.rs`.
#[test]
fn registry_where_now() {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use std::time::Instant;
    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    reg.touch(
        Now::at(Instant::now(), 0),
        "u",
        &["b".into(), "a".into()],
        None,
        None,
    );
    assert_eq!(reg.where_now("u"), vec!["a".to_owned(), "b".to_owned()]);
}

/// From `registry.rs`.
#[test]
fn registry_active_channels() {
    use crate::presence::{PresenceConfig, PresenceRegistry};
    assert!(PresenceRegistry::new(PresenceConfig::default())
        .active_channels()
        .is_empty());
}

/// From `state.rs`.
#[test]
fn state_set_state() -> Result<(), Box<dyn std::error::Error>> {
    use crate::presence::{Now, PresenceConfig, PresenceRegistry};
    use serde_json::json;
    use std::time::Instant;

    let mut reg = PresenceRegistry::new(PresenceConfig::default());
    let now = Now::at(Instant::now(), 0);
    let ch = vec!["a".to_owned()];
    reg.touch(now, "u1", &ch, None, None);
    let out = reg.set_state(now, "u1", &ch, &json!({"state": "cool"}))?;
    assert_eq!(out[0].event["action"], "state-change");
    assert_eq!(reg.get_state("u1", &ch)["a"], json!({"state": "cool"}));
    Ok(())
}

/// From `state.rs`.
#[test]
fn state_get_state() {
    use crate::presence::{PresenceConfig, PresenceRegistry};
    let reg = PresenceRegistry::new(PresenceConfig::default());
    assert!(reg.get_state("nobody", &["a".to_owned()]).is_empty());
}
