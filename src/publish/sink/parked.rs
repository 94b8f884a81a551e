//! The shared shape of the sink's two hand-off queues ([`mailbox`](super::mailbox)
//! and [`job_queue`](super::job_queue)): state behind a mutex, one parked
//! waker, and wake-ups made after the lock is released.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::Waker;

/// Locks `state`. Every critical section of the queues leaves their state
/// consistent, so a panic elsewhere while it was held changes nothing.
pub(crate) fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `update` under the lock, then wakes the waker it returned, if any,
/// once the lock is released (a woken task may run at once on another
/// thread and want the lock).
pub(crate) fn update_then_wake<T, R>(
    state: &Mutex<T>,
    update: impl FnOnce(&mut T) -> (R, Option<Waker>),
) -> R {
    let (result, waker) = update(&mut lock(state));
    if let Some(waker) = waker {
        waker.wake();
    }
    result
}

/// Parks `waker` in `slot`, keeping the one there if it wakes the same task.
pub(crate) fn park(slot: &mut Option<Waker>, waker: &Waker) {
    match slot {
        Some(parked) if parked.will_wake(waker) => {}
        _ => *slot = Some(waker.clone()),
    }
}

/// A waker that counts its wake-ups, for the queues' tests.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct CountWakes(pub(crate) std::sync::atomic::AtomicUsize);

#[cfg(test)]
impl std::task::Wake for CountWakes {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn wakes_after_the_update_and_keeps_an_equivalent_parked_waker() {
        let count = Arc::new(CountWakes::default());
        let waker = Waker::from(Arc::clone(&count));
        let state = Mutex::new(None::<Waker>);
        park(&mut lock(&state), &waker);
        park(&mut lock(&state), &waker.clone());
        let taken = update_then_wake(&state, |slot| {
            assert_eq!(
                count.0.load(Ordering::SeqCst),
                0,
                "not woken under the lock"
            );
            (7, slot.take())
        });
        assert_eq!(taken, 7);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(lock(&state).is_none());
    }
}
