//! The request log tests inspect and wait on.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use tokio::sync::Notify;

use crate::faults::RouteClass;

/// Most requests kept; older ones are dropped.
const MAX_LOGGED: usize = 100_000;

/// One request as the server received it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let server = pubnub_devserver::DevServer::builder().start().await?;
/// assert!(server.requests().is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: http::Method,
    /// The percent-decoded path.
    pub path: String,
    /// Decoded query pairs in order (`+` decoded as a space).
    pub query: Vec<(String, String)>,
    /// The route class, `None` for an unknown route.
    pub class: Option<RouteClass>,
    /// When it arrived.
    pub at: SystemTime,
}

impl RecordedRequest {
    /// The first value of query parameter `key`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// for r in server.requests() {
    ///     let _tt = r.query_value("tt");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Append-only log with a notifier for waiters.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Mutex<VecDeque<RecordedRequest>>,
    notify: Notify,
}

impl RequestLog {
    fn lock(&self) -> MutexGuard<'_, VecDeque<RecordedRequest>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn record(&self, r: RecordedRequest) {
        {
            let mut v = self.lock();
            if v.len() >= MAX_LOGGED {
                v.pop_front();
            }
            v.push_back(r);
        }
        self.notify.notify_waiters();
    }

    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        self.lock().iter().cloned().collect()
    }

    /// The first logged request (past or future) matching `pred`.
    pub(crate) async fn wait_for(
        &self,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(r) = self.lock().iter().find(|r| pred(r)) {
                return r.clone();
            }
            notified.await;
        }
    }
}
