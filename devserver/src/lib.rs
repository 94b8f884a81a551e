//! # pubnub-devserver
//!
//! A local PubNub-compatible server (the REST protocol of `protocol.md`) for
//! offline development and tests: publish, signal, subscribe long-poll,
//! channel groups, wildcard subscribe, storage, plus fault injection.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = pubnub_devserver::DevServer::builder()
//!     .long_poll_hold(std::time::Duration::from_secs(5))
//!     .keyset("demo", "demo")
//!     .start()
//!     .await?;
//! println!("point a client at http://{}", server.origin());
//! server.shutdown().await;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

#[cfg(feature = "bench-internals")]
#[doc(hidden)]
#[path = "bench_support.rs"]
pub mod __bench;
mod access;
#[cfg(feature = "cli")]
mod args;
mod backoff;
mod config;
mod config_presence;
mod conns;
mod decode;
mod faults;
#[cfg(feature = "bench-internals")]
#[doc(hidden)]
pub mod filter;
// Its items are `pub` for the benches; without the feature nothing outside
// the crate reaches them.
#[cfg(not(feature = "bench-internals"))]
#[allow(unreachable_pub)]
mod filter;
mod log;
mod presence;
mod routes;
mod server;
mod service;
mod state;
mod sync;
mod tls;

#[cfg(feature = "cli")]
pub use args::{Args, ArgsError};
pub use config::{Config, DevServerBuilder, Keyset, TlsPem};
pub use faults::{Faults, RouteClass};
pub use log::RecordedRequest;
pub use presence::PresenceConfig;
pub use server::DevServer;
