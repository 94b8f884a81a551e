//! Live connections, so they can be closed on demand (faults, stop, drop).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

use crate::faults::RouteClass;

#[derive(Debug)]
struct Entry {
    kill: Arc<Notify>,
    /// `Some(class)` while a request is being handled (`Some(None)` = unknown route).
    in_flight: Option<Option<RouteClass>>,
}

/// Registry of open connections and their kill switches.
#[derive(Debug, Default)]
pub(crate) struct Connections {
    next: AtomicU64,
    map: Mutex<HashMap<u64, Entry>>,
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Entry>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Register a new connection; returns its id and kill switch.
    pub(crate) fn register(&self) -> (u64, Arc<Notify>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let kill = Arc::new(Notify::new());
        self.lock().insert(
            id,
            Entry {
                kill: Arc::clone(&kill),
                in_flight: None,
            },
        );
        (id, kill)
    }

    /// Forget a closed connection.
    pub(crate) fn unregister(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Mark the request being handled on `id` (or none).
    pub(crate) fn set_in_flight(&self, id: u64, class: Option<Option<RouteClass>>) {
        if let Some(e) = self.lock().get_mut(&id) {
            e.in_flight = class;
        }
    }

    /// Close every connection with an in-flight request covered by `class`.
    pub(crate) fn kill_in_flight(&self, class: RouteClass) -> usize {
        let map = self.lock();
        let mut n = 0;
        for e in map.values() {
            if e.in_flight.is_some_and(|c| class.covers(c)) {
                e.kill.notify_one();
                n += 1;
            }
        }
        n
    }

    /// Close every connection.
    pub(crate) fn kill_all(&self) {
        for e in self.lock().values() {
            e.kill.notify_one();
        }
    }
}
