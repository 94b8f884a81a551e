//! The request log tests inspect and wait on.

use std::collections::VecDeque;
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use tokio::sync::Notify;

use crate::decode::{lossy_path, Query};
use crate::faults::RouteClass;
use crate::sync::lock;

/// What one entry costs besides its text: the entry itself and a decoded
/// record's fixed part.
const ENTRY_OVERHEAD: usize = std::mem::size_of::<Entry>() + std::mem::size_of::<RecordedRequest>();

/// One request as the server received it. `Debug` hides the values of
/// `auth` and `signature` and a revoked token in the path (the fields hold
/// them as received, for tests to read).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let server = pubnub_devserver::DevServer::builder().start().await?;
/// assert!(server.requests().is_empty());
/// # Ok(()) }
/// ```
#[derive(Clone)]
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

impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| match k.as_str() {
                "auth" | "signature" => (k.as_str(), "<redacted>"),
                _ => (k.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &crate::access::redact_path(&self.path))
            .field("query", &query)
            .field("class", &self.class)
            .field("at", &self.at)
            .finish()
    }
}

/// A request as it arrived: raw path and query, decoded only when someone
/// reads the log. Decoding every request up front (percent-decoding the
/// path and every query pair) was ~7k instructions per request, about 7% of
/// an end-to-end benchmark run, for a log most runs never read.
#[derive(Debug)]
pub(crate) struct RawRequest {
    pub(crate) method: http::Method,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) class: Option<RouteClass>,
    pub(crate) at: SystemTime,
}

#[derive(Debug)]
struct Entry {
    raw: RawRequest,
    decoded: OnceLock<RecordedRequest>,
}

impl Entry {
    /// Bytes this entry holds, counted against the log's bound: the raw path
    /// and query, their decoded copy (made when the log is read) and the
    /// fixed parts.
    fn cost(raw: &RawRequest) -> usize {
        raw.path
            .len()
            .saturating_add(raw.query.len())
            .saturating_mul(2)
            .saturating_add(ENTRY_OVERHEAD)
    }

    fn get(&self) -> &RecordedRequest {
        self.decoded.get_or_init(|| {
            let raw = &self.raw;
            let query = Query::parse(&raw.query)
                .map(Query::into_pairs)
                .unwrap_or_else(|_| vec![(raw.query.clone(), String::new())]);
            RecordedRequest {
                method: raw.method.clone(),
                path: lossy_path(&raw.path),
                query,
                class: raw.class,
                at: raw.at,
            }
        })
    }
}

#[derive(Debug, Default)]
struct Entries {
    queue: VecDeque<Entry>,
    /// Sum of [`Entry::cost`] over `queue`.
    bytes: usize,
}

/// Append-only log with a notifier for waiters, bounded in bytes: the oldest
/// entries are dropped first to make room. `Debug` shows only its size (the
/// requests carry tokens and signatures).
pub(crate) struct RequestLog {
    entries: Mutex<Entries>,
    max_bytes: usize,
    notify: Notify,
}

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = lock(&self.entries);
        f.debug_struct("RequestLog")
            .field("requests", &entries.queue.len())
            .field("bytes", &entries.bytes)
            .field("max_bytes", &self.max_bytes)
            .finish_non_exhaustive()
    }
}

impl RequestLog {
    /// An empty log that holds at most `max_bytes` (see [`Entry::cost`]).
    pub(crate) fn new(max_bytes: usize) -> Self {
        RequestLog {
            entries: Mutex::default(),
            max_bytes,
            notify: Notify::new(),
        }
    }

    /// Append `raw`, dropping the oldest entries to stay within the bound.
    /// An entry larger than the whole bound is not kept.
    pub(crate) fn record(&self, raw: RawRequest) {
        let cost = Entry::cost(&raw);
        if cost > self.max_bytes {
            tracing::debug!(
                cost,
                max = self.max_bytes,
                "request too large for the request log"
            );
            return;
        }
        {
            let mut e = lock(&self.entries);
            while e.bytes.saturating_add(cost) > self.max_bytes {
                let Some(old) = e.queue.pop_front() else {
                    break;
                };
                e.bytes = e.bytes.saturating_sub(Entry::cost(&old.raw));
            }
            e.bytes = e.bytes.saturating_add(cost);
            e.queue.push_back(Entry {
                raw,
                decoded: OnceLock::new(),
            });
        }
        self.notify.notify_waiters();
    }

    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        lock(&self.entries)
            .queue
            .iter()
            .map(|e| e.get().clone())
            .collect()
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
            if let Some(r) = lock(&self.entries)
                .queue
                .iter()
                .map(Entry::get)
                .find(|r| pred(r))
            {
                return r.clone();
            }
            notified.await;
        }
    }
}
