//! Fault injection for tests: fail, delay or drop requests by route class.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::conns::Connections;
use crate::sync::lock;

/// Which routes a fault applies to.
///
/// ```
/// use pubnub_devserver::RouteClass;
/// assert_ne!(RouteClass::Publish, RouteClass::Signal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteClass {
    /// `/publish/...`
    Publish,
    /// `/signal/...`
    Signal,
    /// `/v2/subscribe/...`
    Subscribe,
    /// `/v2/presence/...`
    Presence,
    /// `/v1/channel-registration/...`
    ChannelGroups,
    /// `/v2/history/...` and `/v3/history/...`
    History,
    /// `/time/0`
    Time,
    /// Every request, including unknown routes.
    Any,
}

impl RouteClass {
    /// Whether a fault registered for `self` applies to a request of `class`
    /// (`None` = an unknown route).
    ///
    /// ```
    /// use pubnub_devserver::RouteClass;
    /// assert!(RouteClass::Any.covers(None));
    /// assert!(RouteClass::Time.covers(Some(RouteClass::Time)));
    /// assert!(!RouteClass::Time.covers(Some(RouteClass::Publish)));
    /// ```
    pub fn covers(self, class: Option<RouteClass>) -> bool {
        self == RouteClass::Any || Some(self) == class
    }
}

/// What the server does with one request after faults are consulted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Normal,
    Fail {
        status: u16,
        body: String,
        retry_after: Option<u64>,
    },
    Drop,
    DropMidResponse,
}

#[derive(Debug)]
struct Counted<T> {
    class: RouteClass,
    remaining: usize,
    what: T,
}

#[derive(Debug, Default)]
struct FaultState {
    fails: Vec<Counted<Outcome>>,
    delays: HashMap<RouteClass, Duration>,
}

/// A cheap, cloneable handle that injects faults into a running [`crate::DevServer`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use pubnub_devserver::{DevServer, RouteClass};
/// let server = DevServer::builder().start().await?;
/// server.faults().fail_next(RouteClass::Publish, 2, 500, r#"{"status":500}"#);
/// server.faults().clear();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Faults {
    state: Arc<Mutex<FaultState>>,
    conns: Arc<Connections>,
}

impl Faults {
    pub(crate) fn new(conns: Arc<Connections>) -> Self {
        Faults {
            state: Arc::default(),
            conns,
        }
    }

    fn push(&self, class: RouteClass, n: usize, what: Outcome) {
        if n > 0 {
            lock(&self.state).fails.push(Counted {
                class,
                remaining: n,
                what,
            });
        }
    }

    /// Answer the next `n` requests of `class` with `status` and `body`
    /// (content type `text/javascript`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.faults().fail_next(pubnub_devserver::RouteClass::Time, 1, 503, "busy");
    /// # Ok(()) }
    /// ```
    pub fn fail_next(&self, class: RouteClass, n: usize, status: u16, body: impl Into<String>) {
        let body = body.into();
        self.push(
            class,
            n,
            Outcome::Fail {
                status,
                body,
                retry_after: None,
            },
        );
    }

    /// Answer the next `n` requests of `class` with HTTP 429, a `Retry-After: secs`
    /// header and the body `{"status":429,"error":true,"message":"Too many requests."}`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.faults().rate_limit_next(pubnub_devserver::RouteClass::Publish, 1, 2);
    /// # Ok(()) }
    /// ```
    pub fn rate_limit_next(&self, class: RouteClass, n: usize, secs: u64) {
        let body = r#"{"status":429,"error":true,"message":"Too many requests."}"#.to_owned();
        self.push(
            class,
            n,
            Outcome::Fail {
                status: 429,
                body,
                retry_after: Some(secs),
            },
        );
    }

    /// Close the connection of the next `n` requests of `class` without any response.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.faults().drop_next(pubnub_devserver::RouteClass::Subscribe, 1);
    /// # Ok(()) }
    /// ```
    pub fn drop_next(&self, class: RouteClass, n: usize) {
        self.push(class, n, Outcome::Drop);
    }

    /// For the next `n` requests of `class`: send the status line, headers and part of
    /// the body, then close the connection.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.faults().drop_mid_response(pubnub_devserver::RouteClass::Publish, 1);
    /// # Ok(()) }
    /// ```
    pub fn drop_mid_response(&self, class: RouteClass, n: usize) {
        self.push(class, n, Outcome::DropMidResponse);
    }

    /// Delay every request of `class` by `delay` before it is handled.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// use std::time::Duration;
    /// server.faults().delay(pubnub_devserver::RouteClass::Time, Duration::from_millis(50));
    /// server.faults().clear_delay(pubnub_devserver::RouteClass::Time);
    /// # Ok(()) }
    /// ```
    pub fn delay(&self, class: RouteClass, delay: Duration) {
        lock(&self.state).delays.insert(class, delay);
    }

    /// Remove the delay set for `class` (not delays set for other classes).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.faults().clear_delay(pubnub_devserver::RouteClass::Any);
    /// # Ok(()) }
    /// ```
    pub fn clear_delay(&self, class: RouteClass) {
        lock(&self.state).delays.remove(&class);
    }

    /// Close every connection whose request of `class` is in flight right now
    /// (e.g. held long-polls); the clients see a broken connection. Returns how many.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// let closed = server.faults().drop_in_flight(pubnub_devserver::RouteClass::Subscribe);
    /// assert_eq!(closed, 0);
    /// # Ok(()) }
    /// ```
    pub fn drop_in_flight(&self, class: RouteClass) -> usize {
        self.conns.kill_in_flight(class)
    }

    /// Remove every pending fault and delay.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// server.faults().clear();
    /// # Ok(()) }
    /// ```
    pub fn clear(&self) {
        let mut s = lock(&self.state);
        s.fails.clear();
        s.delays.clear();
    }

    /// The delay and the outcome for one arriving request; consumes one count.
    pub(crate) fn take(&self, class: Option<RouteClass>) -> (Option<Duration>, Outcome) {
        let mut s = lock(&self.state);
        let delay = s
            .delays
            .iter()
            .filter(|(c, _)| c.covers(class))
            .map(|(_, d)| *d)
            .max();
        let outcome = match s.fails.iter_mut().find(|f| f.class.covers(class)) {
            Some(f) => {
                f.remaining = f.remaining.saturating_sub(1);
                f.what.clone()
            }
            None => Outcome::Normal,
        };
        s.fails.retain(|f| f.remaining > 0);
        (delay, outcome)
    }
}
