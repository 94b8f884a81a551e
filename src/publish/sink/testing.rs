//! A scripted fake sending step and a `Sink` over the generic core, for the
//! unit and property tests.

use std::collections::{HashMap, VecDeque};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::Sink;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::core::SinkCore;
use super::error::PublishSinkError;
use super::rate_limit::RateLimit;
use super::send::{Classify, PublishSend};
use super::worker::WorkerConfig;
use crate::protocol::timetoken::Timetoken;
use crate::retry::RetryPolicy;
use crate::sync::lock;

/// Test items: (channel, id). Ids from `UNSERIALIZABLE` up cannot be "serialized".
pub(crate) type Item = (String, u32);
pub(crate) const UNSERIALIZABLE: u32 = 1 << 31;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Retry(Option<Duration>),
    Fatal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FakeError {
    Retryable(Option<Duration>),
    Fatal,
    Unserializable,
}

impl std::fmt::Display for FakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for FakeError {}

impl Classify for FakeError {
    fn is_retryable(&self) -> bool {
        matches!(self, FakeError::Retryable(_))
    }
    fn retry_after(&self) -> Option<Duration> {
        match self {
            FakeError::Retryable(after) => *after,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attempt {
    pub(crate) channel: String,
    pub(crate) id: u32,
    pub(crate) at: Instant,
    pub(crate) ok: bool,
}

#[derive(Default)]
pub(crate) struct FakeState {
    /// Failures to produce, per id, before succeeding.
    pub(crate) scripts: HashMap<u32, VecDeque<Step>>,
    pub(crate) attempts: Vec<Attempt>,
    pub(crate) in_flight: usize,
    pub(crate) max_in_flight: usize,
    pub(crate) per_channel: HashMap<String, usize>,
    /// Times a channel had two attempts in flight at once.
    pub(crate) overlaps: usize,
    next_tt: u64,
}

/// Sends by consulting the script; each attempt takes `latency` and, if a
/// gate is set, one permit from it.
#[derive(Clone, Default)]
pub(crate) struct FakeSend {
    pub(crate) state: Arc<Mutex<FakeState>>,
    pub(crate) latency: Duration,
    pub(crate) gate: Option<Arc<Semaphore>>,
}

impl FakeSend {
    pub(crate) fn script(&self, id: u32, steps: impl IntoIterator<Item = Step>) {
        self.lock().scripts.insert(id, steps.into_iter().collect());
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        lock(&self.state)
    }

    /// Ids published successfully, in order.
    pub(crate) fn delivered(&self) -> Vec<(String, u32)> {
        let state = self.lock();
        let ok = state.attempts.iter().filter(|a| a.ok);
        ok.map(|a| (a.channel.clone(), a.id)).collect()
    }
}

impl PublishSend for FakeSend {
    type Msg = (Arc<str>, u32);
    type Error = FakeError;

    fn send(&self, msg: Arc<Self::Msg>) -> BoxFuture<'static, Result<Timetoken, FakeError>> {
        let this = self.clone();
        Box::pin(async move {
            let channel = msg.0.to_string();
            {
                let mut state = this.lock();
                state.in_flight += 1;
                state.max_in_flight = state.max_in_flight.max(state.in_flight);
                let on_channel = state.per_channel.entry(channel.clone()).or_default();
                *on_channel += 1;
                if *on_channel > 1 {
                    state.overlaps += 1;
                }
            }
            let at = Instant::now();
            tokio::time::sleep(this.latency).await;
            if let Some(gate) = &this.gate {
                if let Ok(permit) = gate.acquire().await {
                    permit.forget();
                }
            }
            let mut state = this.lock();
            state.in_flight -= 1;
            *state.per_channel.entry(channel.clone()).or_default() -= 1;
            let step = state.scripts.get_mut(&msg.1).and_then(VecDeque::pop_front);
            let result = match step {
                None => {
                    state.next_tt += 10;
                    Ok(Timetoken::new(state.next_tt))
                }
                Some(Step::Retry(after)) => Err(FakeError::Retryable(after)),
                Some(Step::Fatal) => Err(FakeError::Fatal),
            };
            let ok = result.is_ok();
            state.attempts.push(Attempt {
                channel,
                id: msg.1,
                at,
                ok,
            });
            result
        })
    }
}

pub(crate) fn config(retry: RetryPolicy, max_channels_in_flight: usize) -> WorkerConfig {
    WorkerConfig {
        retry,
        rate_limit: RateLimit::unlimited(),
        max_channels_in_flight,
        one_channel: false,
    }
}

/// A `Sink<Item>` over the core, shaped like the public sinks, that returns
/// rejected items from `start_send` (`stop_on_reject`).
pub(crate) struct TestSink(pub(crate) SinkCore<Item, FakeSend>);

impl TestSink {
    pub(crate) fn new(fake: &FakeSend, config: WorkerConfig, max_pending: usize) -> Self {
        TestSink(SinkCore::new(
            Arc::new(fake.clone()),
            config,
            max_pending,
            true,
        ))
    }
}

pub(crate) type TestError = PublishSinkError<Item, FakeError>;

impl Sink<Item> for TestSink {
    type Error = TestError;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), TestError>> {
        self.get_mut().0.poll_ready(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: Item) -> Result<(), TestError> {
        self.get_mut().0.start_send_with(item, |(channel, id)| {
            if *id >= UNSERIALIZABLE {
                return Err(FakeError::Unserializable);
            }
            let channel: Arc<str> = Arc::from(channel.as_str());
            Ok((Arc::clone(&channel), (channel, *id)))
        })
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), TestError>> {
        self.get_mut().0.poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), TestError>> {
        self.get_mut().0.poll_close(cx)
    }
}

pub(crate) fn items(channel: &str, ids: std::ops::Range<u32>) -> Vec<Item> {
    ids.map(|id| (channel.to_string(), id)).collect()
}

pub(crate) fn linear(ms: u64) -> RetryPolicy {
    RetryPolicy::linear(Duration::from_millis(ms)).without_jitter()
}

/// A waker that counts its wake-ups.
#[derive(Debug, Default)]
pub(crate) struct CountWakes(std::sync::atomic::AtomicUsize);

impl CountWakes {
    /// Wake-ups so far.
    pub(crate) fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl std::task::Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// With tokio's clock paused, returns once every task is idle: the runtime
/// moves the clock on (to this timer) only when no task can run.
pub(crate) async fn until_idle() {
    tokio::time::sleep(Duration::from_secs(3600)).await;
}
