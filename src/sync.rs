//! Poison-tolerant locking, the one way this crate takes a `std` mutex.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`. A lock poisoned by a panic on another thread is used as it
/// is: every critical section here leaves the data consistent at each step,
/// and library code must not panic because user code did.
pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
