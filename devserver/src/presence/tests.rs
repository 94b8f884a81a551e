//! Behaviour tests for the presence registry, all on a fake clock.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Now, PresenceConfig, PresenceOutput, PresenceRegistry};

mod announce;
mod endpoints;
mod examples;
mod interval;
mod proptests;

/// Unix time of the fake clock's start, in seconds.
const T0_SECS: u64 = 1_700_000_000;

/// A registry plus a fake clock that tests move by hand.
struct Fixture {
    reg: PresenceRegistry,
    start: Instant,
    now: Now,
}

impl Fixture {
    fn new(cfg: PresenceConfig) -> Self {
        let start = Instant::now();
        Fixture {
            reg: PresenceRegistry::new(cfg),
            start,
            now: Now::at(start, T0_SECS * 1000),
        }
    }

    /// Moves the clock to `secs` seconds after the start.
    fn at(&mut self, secs: f64) -> Now {
        let d = Duration::from_secs_f64(secs);
        self.now = Now::at(self.start + d, T0_SECS * 1000 + d.as_millis() as u64);
        self.now
    }

    fn touch(
        &mut self,
        uuid: &str,
        channels: &[&str],
        timeout: Option<u64>,
    ) -> Vec<PresenceOutput> {
        self.reg
            .touch(self.now, uuid, &names(channels), timeout, None)
    }

    fn leave(&mut self, uuid: &str, channels: &[&str]) -> Vec<PresenceOutput> {
        self.reg.leave(self.now, uuid, &names(channels))
    }

    fn sweep(&mut self) -> Vec<PresenceOutput> {
        self.reg.sweep(self.now)
    }

    /// The clock's current Unix seconds, as events carry them.
    fn ts(&self) -> u64 {
        self.now.unix_secs()
    }
}

fn names(channels: &[&str]) -> Vec<String> {
    channels.iter().map(|c| (*c).to_owned()).collect()
}

/// `(channel, action)` pairs, for compact assertions on ordering.
fn actions(out: &[PresenceOutput]) -> Vec<(String, String)> {
    out.iter()
        .map(|o| (o.channel.clone(), o.action().unwrap_or_default().to_owned()))
        .collect()
}

/// Just the event bodies.
fn events(out: &[PresenceOutput]) -> Vec<Value> {
    out.iter().map(|o| o.event.clone()).collect()
}

fn small(announce_max: usize) -> PresenceConfig {
    PresenceConfig {
        announce_max,
        interval: Duration::from_secs(10),
        ..PresenceConfig::default()
    }
}
