//! Live connections, so they can be closed on demand (faults, stop, drop).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::faults::RouteClass;
use crate::sync::lock;

/// What a connection is doing right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handling {
    /// Between requests.
    Idle,
    /// Handling a request whose path matches no route class.
    UnknownRoute,
    /// Handling a request of this class.
    Route(RouteClass),
}

impl Handling {
    /// A request of `class` ([`classify`](crate::routes::classify)'s answer: `None` for an unknown route).
    pub(crate) fn request(class: Option<RouteClass>) -> Self {
        class.map_or(Handling::UnknownRoute, Handling::Route)
    }

    /// Whether fault class `class` covers what is being handled.
    fn covered_by(self, class: RouteClass) -> bool {
        match self {
            Handling::Idle => false,
            Handling::UnknownRoute => class.covers(None),
            Handling::Route(c) => class.covers(Some(c)),
        }
    }
}

#[derive(Debug)]
struct Entry {
    kill: Arc<Notify>,
    handling: Handling,
}

/// Registry of open connections and their kill switches.
#[derive(Debug, Default)]
pub(crate) struct Connections {
    next: AtomicU64,
    map: Mutex<HashMap<u64, Entry>>,
}

impl Connections {
    /// Register a new connection; returns its id and kill switch.
    pub(crate) fn register(&self) -> (u64, Arc<Notify>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let kill = Arc::new(Notify::new());
        lock(&self.map).insert(
            id,
            Entry {
                kill: Arc::clone(&kill),
                handling: Handling::Idle,
            },
        );
        (id, kill)
    }

    /// Forget a closed connection.
    pub(crate) fn unregister(&self, id: u64) {
        lock(&self.map).remove(&id);
    }

    /// Mark what connection `id` is handling.
    pub(crate) fn set_handling(&self, id: u64, handling: Handling) {
        if let Some(e) = lock(&self.map).get_mut(&id) {
            e.handling = handling;
        }
    }

    /// Close every connection with an in-flight request covered by `class`.
    pub(crate) fn kill_in_flight(&self, class: RouteClass) -> usize {
        let map = lock(&self.map);
        let mut n = 0;
        for e in map.values() {
            if e.handling.covered_by(class) {
                e.kill.notify_one();
                n += 1;
            }
        }
        n
    }

    /// Close every connection.
    pub(crate) fn kill_all(&self) {
        for e in lock(&self.map).values() {
            e.kill.notify_one();
        }
    }
}
