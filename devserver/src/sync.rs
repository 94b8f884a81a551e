//! Poison-tolerant locking, the one way the dev server takes a `std` mutex.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`. A lock poisoned by a panic on another thread is used as it
/// is: every critical section here leaves the data consistent at each step,
/// and a test that panicked must not take the server down with it.
pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
