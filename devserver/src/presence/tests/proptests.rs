//! Random operation sequences: invariants hold and a client replaying the
//! events reconstructs the membership whenever a channel is in announce mode.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::{names, Fixture};
use crate::presence::{Occupants, PresenceConfig, PresenceOutput};

const UUIDS: [&str; 5] = ["u0", "u1", "u2", "u3", "u4"];
const CHANNELS: [&str; 3] = ["a", "b", "c-pnpres"];

#[derive(Debug, Clone)]
enum Op {
    Touch(usize, Vec<usize>, Option<u64>),
    Leave(usize, Vec<usize>),
    SetState(usize, Vec<usize>, bool),
    Advance(u64),
    Sweep,
}

fn op() -> impl Strategy<Value = Op> {
    let chans = prop::collection::vec(0..CHANNELS.len(), 0..4);
    prop_oneof![
        3 => (0..UUIDS.len(), chans.clone(), prop::option::of(0u64..50)).prop_map(|(u, c, t)| Op::Touch(u, c, t)),
        1 => (0..UUIDS.len(), chans.clone()).prop_map(|(u, c)| Op::Leave(u, c)),
        1 => (0..UUIDS.len(), chans, any::<bool>()).prop_map(|(u, c, obj)| Op::SetState(u, c, obj)),
        2 => (0u64..15_000).prop_map(Op::Advance),
        2 => Just(Op::Sweep),
    ]
}

/// What a client learns from the event stream.
#[derive(Default)]
struct Model {
    members: BTreeMap<String, BTreeSet<String>>,
}

impl Model {
    fn apply(&mut self, f: &Fixture, out: &[PresenceOutput]) -> Result<(), TestCaseError> {
        let mut refreshed = false;
        for o in out {
            prop_assert!(!o.channel.ends_with("-pnpres"));
            prop_assert_eq!(&o.event["timestamp"], &json!(f.ts()));
            let set = self.members.entry(o.channel.clone()).or_default();
            let uuid = o.event["uuid"].as_str().unwrap_or_default().to_owned();
            let list = |key: &str| -> Vec<String> {
                o.event[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            };
            match o.action() {
                Some("join") => {
                    set.insert(uuid);
                }
                Some("leave" | "timeout") => {
                    set.remove(&uuid);
                }
                Some("state-change") => {}
                Some("interval") => {
                    if o.event.get("here_now_refresh").is_some() {
                        refreshed = true;
                        let h = f
                            .reg
                            .here_now(std::slice::from_ref(&o.channel), true, false);
                        *set = match h.channels.get(&o.channel).map(|c| &c.occupants) {
                            Some(Occupants::Uuids(u)) => u.iter().cloned().collect(),
                            _ => BTreeSet::new(),
                        };
                    }
                    set.extend(list("join"));
                    for gone in list("leave").into_iter().chain(list("timeout")) {
                        set.remove(&gone);
                    }
                }
                other => prop_assert!(false, "unknown action {:?}", other),
            }
            if !refreshed && o.action() != Some("state-change") {
                prop_assert_eq!(
                    o.event["occupancy"].as_u64(),
                    Some(set.len() as u64),
                    "event {}",
                    o.event
                );
            }
        }
        Ok(())
    }
}

fn check(f: &Fixture, model: &Model, announce_max: usize) -> Result<(), TestCaseError> {
    let h = f.reg.global_here_now(true, false);
    let mut total = 0;
    for (name, c) in &h.channels {
        let Occupants::Uuids(uuids) = &c.occupants else {
            return Err(TestCaseError::fail("uuids requested"));
        };
        let distinct: BTreeSet<_> = uuids.iter().collect();
        prop_assert!(c.occupancy > 0, "empty channel {} kept", name);
        prop_assert_eq!(c.occupancy, uuids.len());
        prop_assert_eq!(c.occupancy, distinct.len());
        total += c.occupancy;
        let interval = f.reg.channel(name).is_some_and(|ch| ch.in_interval_mode());
        prop_assert_eq!(interval, c.occupancy > announce_max);
        if !interval {
            let known = model.members.get(name).cloned().unwrap_or_default();
            let actual: BTreeSet<String> = uuids.iter().cloned().collect();
            prop_assert_eq!(known, actual, "client view of {} diverged", name);
        }
    }
    prop_assert_eq!(h.total_occupancy(), total);
    for (name, known) in &model.members {
        if !h.channels.contains_key(name) {
            prop_assert!(
                known.is_empty(),
                "client still sees members on dropped {}",
                name
            );
        }
    }
    for uuid in UUIDS {
        let here: Vec<String> = h
            .channels
            .iter()
            .filter(
                |(_, c)| matches!(&c.occupants, Occupants::Uuids(u) if u.iter().any(|x| x == uuid)),
            )
            .map(|(n, _)| n.clone())
            .collect();
        prop_assert_eq!(f.reg.where_now(uuid), here);
    }
    Ok(())
}

proptest! {
    #[test]
    fn random_sequences_keep_invariants(
        announce_max in 0usize..4,
        max_delta_bytes in 0usize..40,
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let cfg = PresenceConfig {
            announce_max,
            interval: Duration::from_secs(5),
            max_delta_bytes,
            ..PresenceConfig::default()
        };
        let mut f = Fixture::new(cfg);
        let mut model = Model::default();
        let mut elapsed_ms = 0u64;
        for op in ops {
            let pick = |idx: &[usize]| names(&idx.iter().map(|i| CHANNELS[*i]).collect::<Vec<_>>());
            let out = match op {
                Op::Touch(u, c, t) => f.reg.touch(f.now, UUIDS[u], &pick(&c), t, None),
                Op::Leave(u, c) => f.reg.leave(f.now, UUIDS[u], &pick(&c)),
                Op::SetState(u, c, obj) => {
                    let state = if obj { json!({"n": u}) } else { json!([u]) };
                    let res = f.reg.set_state(f.now, UUIDS[u], &pick(&c), &state);
                    prop_assert_eq!(res.is_ok(), obj);
                    res.unwrap_or_default()
                }
                Op::Advance(ms) => {
                    elapsed_ms += ms;
                    f.at(elapsed_ms as f64 / 1000.0);
                    Vec::new()
                }
                Op::Sweep => {
                    let out = f.reg.sweep(f.now);
                    prop_assert!(f.reg.next_deadline().is_none_or(|d| d > f.now.instant));
                    out
                }
            };
            model.apply(&f, &out)?;
            check(&f, &model, announce_max)?;
        }
    }
}
