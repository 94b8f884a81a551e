//! Request timeouts that do not register a timer per request.
//!
//! `tokio::time::timeout` registers a timer for every request. When its
//! deadline is earlier than the one the runtime's parked thread sleeps
//! towards (a subscribe long-poll's 310 s, the pool reaper's 60 s), tokio
//! wakes that thread to re-arm, one eventfd write and one thread wake-up per
//! request (strace of a publish→receive loop: ~2 per round trip).
//!
//! Here every request of a transport shares one watchdog task with one
//! alarm. A request records its deadline and waker; the alarm is moved
//! earlier only when a new deadline comes before it, and never later until
//! it fires. Requests one after another (each deadline later than the last)
//! then re-arm nothing: the alarm fires about once per timeout period, looks
//! at the deadlines in flight, wakes the requests whose deadline passed, and
//! sets itself to the earliest one left. A request checks the clock on every
//! poll, so it fails at its own deadline however late the wake-up.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use pin_project::{pin_project, pinned_drop};
use tokio::task::JoinHandle;
use tokio::time::{Instant, Sleep};

/// The deadlines of one transport's requests in flight.
#[derive(Clone, Default)]
pub(crate) struct Deadlines {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: HashMap<u64, Entry>,
    next_id: u64,
    /// When the watchdog's alarm goes off; `None` while it sleeps without one.
    alarm: Option<Instant>,
    /// The watchdog's task, to move its alarm earlier.
    watchdog_waker: Option<Waker>,
    watchdog: Option<JoinHandle<()>>,
}

struct Entry {
    deadline: Instant,
    waker: Waker,
}

impl Drop for Shared {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        if let Some(waker) = state.watchdog_waker.take() {
            waker.wake(); // it finds the transport gone and ends
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Every critical section leaves the state consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The request took longer than its timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Elapsed;

impl Deadlines {
    /// Runs `future` for at most `timeout`.
    pub(crate) fn timeout<F: Future>(&self, timeout: Duration, future: F) -> Timeout<F> {
        // Saturates instead of panicking on an absurd timeout (a clamp far
        // beyond any request's life).
        let now = Instant::now();
        let deadline = now
            .checked_add(timeout)
            .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
            .unwrap_or(now);
        Timeout {
            future,
            deadline,
            id: None,
            deadlines: self.clone(),
        }
    }

    /// Records (or refreshes) the entry `id`; returns its id.
    fn register(&self, id: Option<u64>, deadline: Instant, waker: &Waker) -> u64 {
        let mut wake_watchdog = None;
        let id = {
            let mut state = self.shared.lock();
            let id = match id {
                Some(id) => id,
                None => {
                    let id = state.next_id;
                    state.next_id += 1;
                    id
                }
            };
            match state.entries.get_mut(&id) {
                Some(entry) if entry.waker.will_wake(waker) => {}
                Some(entry) => entry.waker = waker.clone(),
                None => {
                    state.entries.insert(
                        id,
                        Entry {
                            deadline,
                            waker: waker.clone(),
                        },
                    );
                    let alive = state
                        .watchdog
                        .as_ref()
                        .is_some_and(|task| !task.is_finished());
                    if !alive {
                        self.spawn_watchdog(&mut state);
                    } else if state.alarm.map_or(true, |alarm| deadline < alarm) {
                        // Earlier than the alarm: the watchdog re-arms.
                        state.alarm = Some(deadline);
                        wake_watchdog = state.watchdog_waker.take();
                    }
                }
            }
            id
        };
        if let Some(waker) = wake_watchdog {
            waker.wake();
        }
        id
    }

    fn spawn_watchdog(&self, state: &mut State) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // Outside a runtime nothing could time the request; it still
            // checks its deadline whenever it is polled.
            return;
        };
        state.alarm = None;
        state.watchdog_waker = None;
        let shared = Arc::downgrade(&self.shared);
        state.watchdog = Some(runtime.spawn(watchdog(shared)));
    }

    fn remove(&self, id: u64) {
        self.shared.lock().entries.remove(&id);
    }

    /// Requests whose deadline is recorded (in flight).
    #[cfg(test)]
    pub(crate) fn in_flight(&self) -> usize {
        self.shared.lock().entries.len()
    }
}

/// Wakes requests whose deadline passed; sleeps until the earliest one left.
async fn watchdog(shared: Weak<Shared>) {
    let mut sleep: Option<Pin<Box<Sleep>>> = None;
    std::future::poll_fn(move |cx| loop {
        let Some(shared) = shared.upgrade() else {
            return Poll::Ready(());
        };
        let now = Instant::now();
        let mut expired = Vec::new();
        let alarm = {
            let mut state = shared.lock();
            if state.alarm.map_or(true, |alarm| alarm <= now) {
                // The alarm went off (or was never set): look at every deadline.
                let mut earliest: Option<Instant> = None;
                for entry in state.entries.values() {
                    if entry.deadline <= now {
                        expired.push(entry.waker.clone());
                    } else if earliest.map_or(true, |e| entry.deadline < e) {
                        earliest = Some(entry.deadline);
                    }
                }
                state.alarm = earliest;
            }
            state.watchdog_waker = Some(cx.waker().clone());
            state.alarm
        };
        drop(shared);
        for waker in expired {
            waker.wake();
        }
        let Some(alarm) = alarm else {
            sleep = None;
            return Poll::Pending;
        };
        let timer = match &mut sleep {
            Some(timer) => {
                if timer.deadline() != alarm {
                    timer.as_mut().reset(alarm);
                }
                timer
            }
            None => sleep.insert(Box::pin(tokio::time::sleep_until(alarm))),
        };
        if timer.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        // The alarm went off: look again.
    })
    .await;
}

/// The future of [`Deadlines::timeout`].
#[pin_project(PinnedDrop)]
pub(crate) struct Timeout<F> {
    #[pin]
    future: F,
    deadline: Instant,
    id: Option<u64>,
    deadlines: Deadlines,
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if Instant::now() >= *this.deadline {
            forget(this.deadlines, this.id);
            return Poll::Ready(Err(Elapsed));
        }
        if let Poll::Ready(output) = this.future.poll(cx) {
            forget(this.deadlines, this.id);
            return Poll::Ready(Ok(output));
        }
        *this.id = Some(
            this.deadlines
                .register(*this.id, *this.deadline, cx.waker()),
        );
        Poll::Pending
    }
}

fn forget(deadlines: &Deadlines, id: &mut Option<u64>) {
    if let Some(id) = id.take() {
        deadlines.remove(id);
    }
}

#[pinned_drop]
impl<F> PinnedDrop for Timeout<F> {
    fn drop(self: Pin<&mut Self>) {
        let this = self.project();
        forget(this.deadlines, this.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_request_fails_at_its_deadline_and_not_before() {
        let deadlines = Deadlines::default();
        let start = Instant::now();
        let result = deadlines
            .timeout(Duration::from_secs(10), std::future::pending::<()>())
            .await;
        assert_eq!(result, Err(Elapsed));
        assert_eq!(start.elapsed(), Duration::from_secs(10));
        assert_eq!(deadlines.in_flight(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_finished_request_leaves_nothing_behind() {
        let deadlines = Deadlines::default();
        let value = deadlines
            .timeout(Duration::from_secs(10), async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                7
            })
            .await;
        assert_eq!(value, Ok(7));
        assert_eq!(deadlines.in_flight(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_shorter_deadline_after_a_longer_one_still_fires_on_time() {
        let deadlines = Deadlines::default();
        let long = tokio::spawn({
            let deadlines = deadlines.clone();
            async move {
                let start = Instant::now();
                let r = deadlines
                    .timeout(Duration::from_secs(310), std::future::pending::<()>())
                    .await;
                (r, start.elapsed())
            }
        });
        tokio::task::yield_now().await;
        let start = Instant::now();
        let short = deadlines
            .timeout(Duration::from_secs(5), std::future::pending::<()>())
            .await;
        assert_eq!(
            (short, start.elapsed()),
            (Err(Elapsed), Duration::from_secs(5))
        );
        let (long, took) = long.await.expect("no panic");
        assert_eq!(long, Err(Elapsed));
        assert!(took >= Duration::from_secs(310), "{took:?}");
        assert!(took < Duration::from_secs(311), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn sequential_requests_do_not_move_the_alarm() {
        let deadlines = Deadlines::default();
        for _ in 0..5 {
            deadlines
                .timeout(
                    Duration::from_secs(10),
                    tokio::time::sleep(Duration::from_millis(100)),
                )
                .await
                .expect("in time");
        }
        let alarm = deadlines.shared.lock().alarm;
        let first = alarm.expect("armed by the first request");
        // Set by the first request and not moved by the four after it.
        assert!(Instant::now() - (first - Duration::from_secs(10)) >= Duration::from_millis(500));
    }

    #[test]
    fn outside_a_runtime_the_deadline_is_still_checked_when_polled() {
        let deadlines = Deadlines::default();
        let mut fut = Box::pin(deadlines.timeout(Duration::ZERO, std::future::pending::<()>()));
        let waker = futures::task::noop_waker();
        let poll = fut.as_mut().poll(&mut Context::from_waker(&waker));
        assert_eq!(poll, Poll::Ready(Err(Elapsed)));
    }
}
