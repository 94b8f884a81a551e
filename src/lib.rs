//! # pubnub-stream
//!
//! A PubNub client for async Rust: a subscription is a [`futures::Stream`] of
//! typed events, publishing is a [`futures::Sink`] of serializable messages, so
//! a PubNub channel plugs into any `futures` pipeline.
//!
//! ## A pipeline
//!
//! Subscribe to an input channel, keep the messages, decode them, filter and
//! transform them, forward the results into another channel through the
//! publish sink, and print the connection's statuses on the way. When the
//! subscription ends for good (an access error, a finite reconnection policy
//! giving up), every stream made from it ends too, so `forward` returns and
//! [`Subscription::termination`] says why:
//!
//! ```
//! use futures::{future, StreamExt, TryStreamExt};
//! use pubnub_stream::{EventStreamExt, PubNub};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize)]
//! struct Reading { sensor: String, celsius: f64 }
//!
//! #[derive(Debug, Serialize)]
//! struct Alert { sensor: String, fahrenheit: f64 }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! #   let server = pubnub_devserver::DevServer::builder().start().await?;
//!     let pubnub = PubNub::builder()
//!         .subscribe_key("demo").publish_key("demo").user_id("forwarder")
//!         .origin("127.0.0.1:8090").secure(false)      // a local `pubnub-devserver --port 8090`
//! #       .origin(server.origin())
//!         .build()?;
//!
//!     // Connection statuses (Connected, NetworkIssues, Reconnected, ...), once per client.
//!     let mut statuses = pubnub.status_stream();
//!     tokio::spawn(async move {
//!         while let Some(status) = statuses.next().await {
//!             eprintln!("status: {}", status.category());
//!         }
//!     });
//!
//!     // Resolves once the subscription is connected: nothing published after it is missed.
//!     let readings = pubnub.subscribe().channels("readings").await?;
//!     let ended = readings.termination();
//! #   for payload in [r#"{"sensor":"a","celsius":12}"#, r#"{"sensor":"c","celsius":35}"#,
//! #                   r#"{"sensor":"d","celsius":41}"#] {
//! #       let payload: serde_json::Value = serde_json::from_str(payload)?;
//! #       pubnub.publish().channel("readings").message(&payload).await?;
//! #   }
//!
//!     let alerts = readings
//!         .messages()                                    // no presence, signals, ...
//!         .typed::<Reading>()                            // decode
//!         .try_filter(|r| future::ready(r.payload.celsius > 30.0))
//!         .map_ok(|r| Alert { sensor: r.payload.sensor, fahrenheit: r.payload.celsius * 1.8 + 32.0 })
//!         .err_into();                                   // a payload that does not decode stops
//!                                                        // `forward` with an error holding it
//! #   let alerts = alerts.take(2);
//!
//!     // Backpressure, per-channel order and retries in place. An alert the sink
//!     // cannot publish (too large, ...) comes back on `rejected()`; the sink goes on.
//!     let mut sink = pubnub.publisher("alerts").sink::<Alert>();
//!     let _rejected = sink.rejected();
//!     alerts.forward(sink).await?;                       // at the end every alert is acknowledged
//!     if let Some(reason) = ended.reason() {
//!         eprintln!("the subscription ended: {}", reason.category()); // e.g. AccessDenied
//!     }
//!     Ok(())
//! }
//! ```
//!
//! The examples in the repository (`cargo run --example quickstart`, `chat`,
//! `typed`, `presence`, `select`, `pipe`, `supervised`, `encryption`,
//! `history`) run against an embedded
//! dev server by default.
//!
//! ## Watching presence without being counted
//!
//! Subscribing to a channel's presence channel `<channel>-pnpres` alone
//! delivers its joins, leaves and timeouts without making this client present
//! on the channel: it is not in the occupancy and sends no joins or leaves.
//!
//! ```
//! # use futures::StreamExt;
//! # use pubnub_stream::{EventStreamExt, PubNub};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = pubnub_devserver::DevServer::builder().start().await?;
//! # let client = |user: &str| PubNub::builder().subscribe_key("demo").user_id(user)
//! #     .origin(server.origin()).secure(false).build();
//! # let pubnub = client("watcher")?;
//! let watch = pubnub.subscribe().channels("room-pnpres").await?;
//! let mut events = watch.presence();
//! # let bob = client("bob")?;
//! # let _bob_in_room = bob.subscribe().channels("room").await?;
//! while let Some(event) = events.next().await {
//!     println!("{} {:?} (occupancy {})", event.action.name(), event.uuid(), event.occupancy);
//! #   assert_eq!((event.action.name(), event.uuid()), ("join", Some("bob")));
//! #   break;
//! }
//! # let room = pubnub.here_now().channels(["room"]).await?;
//! # assert_eq!(room.total_occupancy, 1, "bob only: the watcher is not counted");
//! # Ok(())
//! # }
//! ```
//!
//! ## Encryption
//!
//! Give every client of your app the same cipher key in a [`CryptoModule`]:
//! messages are then encrypted before they leave (the server and anyone on
//! the way see base64 ciphertext) and decrypted before any stream sees them.
//! `CryptoModule::aes_cbc` is the scheme of current PubNub SDKs,
//! `CryptoModule::legacy` the older one; each reads the other's messages.
//! `meta` and signals stay plain. A message that does not decrypt (another
//! key, a publisher that did not encrypt) still arrives, raw, with
//! [`Message::decrypt_error`] set; `typed::<T>()` yields it as an error.
//!
//! ```
//! # use futures::StreamExt;
//! # use pubnub_stream::{EventStreamExt, PubNub};
//! use pubnub_stream::CryptoModule;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = pubnub_devserver::DevServer::builder().start().await?;
//!
//! let pubnub = PubNub::builder()
//!     .subscribe_key("demo").publish_key("demo").user_id("alice")
//! #   .origin(server.origin()).secure(false)
//!     .crypto(CryptoModule::aes_cbc("my-cipher-key"))
//!     .build()?;
//! let mut notes = pubnub.subscribe().channels("notes").await?.messages();
//! pubnub.publish().channel("notes").message(&"for your eyes only").await?;
//! if let Some(note) = notes.next().await {
//!     match &note.decrypt_error {
//!         None => println!("decrypted: {}", note.payload),
//!         Some(error) => println!("could not decrypt {}: {error}", note.payload),
//!     }
//! #   assert_eq!((note.payload.as_str(), note.decrypt_error), (Some("for your eyes only"), None));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## History, then live, with no hole
//!
//! Load the last messages of a room from history (a `Stream`: each page is
//! requested as it is read), then follow the room live from exactly where
//! history ended. A gap-free subscription reads back from history whatever
//! the server's catch-up queue (100 messages a channel) dropped while this
//! client was away, and merges it in: in order, each message once, after a
//! [`Status::GapFilled`] naming the range.
//!
//! ```
//! # use futures::{StreamExt, TryStreamExt};
//! # use pubnub_stream::{Event, PubNub};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = pubnub_devserver::DevServer::builder().start().await?;
//! # let pubnub = PubNub::builder().subscribe_key("demo").publish_key("demo").user_id("bob")
//! #     .origin(server.origin()).secure(false).build()?;
//! # for n in 0..30 { pubnub.publish().channel("room").message(&n).await?; }
//! let mut last: Vec<_> = pubnub.history("room").limit(10).try_collect().await?; // newest first
//! last.reverse();
//! let newest = last.last().ok_or("an empty room")?.message.timetoken;
//!
//! let mut room = pubnub.subscribe().channels("room").with_timetoken(newest).gap_free().await?;
//! # pubnub.publish().channel("room").message(&30).await?;
//! while let Some(event) = room.next().await {
//!     match event {
//!         Event::Message(m) => println!("{}: {}", m.timetoken, m.payload),
//!         Event::Status(status) => println!("status: {}", status.category()), // e.g. GapFilled
//!         _ => {}
//!     }
//! #   break;
//! }
//! # Ok(()) }
//! ```
//!
//! ## Access control
//!
//! With Access Manager, a server holding the keyset's secret key grants
//! tokens (every request it sends is signed); a user's client sends its token
//! with every request and can swap it at any time. A refusal says whether
//! the token or a permission is the problem, and names what was denied:
//!
//! ```
//! use pubnub_stream::{DenialReason, Permissions, PubNub, RequestErrorKind};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! #   let server = pubnub_devserver::DevServer::builder().keyset("demo", "demo")
//! #       .secret_key("my-secret").access_manager(true).start().await?;
//!     // `pubnub-devserver --keyset demo:demo --secret-key my-secret --access-manager`
//!     let origin = "127.0.0.1:8090";
//! #   let origin = server.origin();
//!     let client = |user: &str| PubNub::builder()
//!         .subscribe_key("demo").publish_key("demo").user_id(user)
//!         .origin(origin.to_string()).secure(false);
//!     let backend = client("backend").secret_key("my-secret").build()?;
//!     let token = backend.grant_token(15)                  // minutes
//!         .channel("chat", Permissions::READ)
//!         .authorized_user_id("alice")
//!         .await?;
//!
//!     let alice = client("alice").build()?;               // no secret key here
//!     alice.set_token(&token)?;
//!     let _chat = alice.subscribe().channels("chat").await?;
//!     let refused = alice.publish().channel("chat").message(&"hi").await.unwrap_err();
//!     assert!(matches!(refused.kind(), RequestErrorKind::AccessDenied {
//!         reason: DenialReason::Permission, channels, .. } if channels == &["chat"]));
//!
//!     // A new token applies from the next request on, subscription and sinks included.
//!     let writer = backend.grant_token(15)
//!         .channel("chat", Permissions::READ | Permissions::WRITE)
//!         .authorized_user_id("alice")
//!         .await?;
//!     alice.set_token(&writer)?;
//!     alice.publish().channel("chat").message(&"hi").await?;
//!     backend.revoke_token(&token).await?;               // refused from now on
//!     Ok(())
//! }
//! ```
//!
//! `cargo run --example access` runs the same story.
//!
//! ## The map
//!
//! - **Client**: [`PubNub::builder`] → [`PubNubBuilder`] (keys, user id, origin
//!   and TLS, extra root certificates, auth, secret-key signing, filter
//!   expression, presence timeout and heartbeats, reconnection
//!   [`RetryPolicy`], timeouts, message encryption with a [`CryptoModule`])
//!   → [`PubNub`], a cheap `Clone` handle.
//! - **Request/response calls** are builders you `.await`:
//!   [`PubNub::publish`] ([`PublishBuilder`]: meta, store, TTL, custom message
//!   type, GET or POST), [`PubNub::signal`], [`PubNub::time`]; sizes and
//!   serialization are checked before any I/O.
//! - **Subscribe**: `pubnub.subscribe().channels(..).await` → a connected
//!   [`Subscription`] (or a [`ConnectError`] within a connect timeout;
//!   `.execute()` is the synchronous form), a `Stream<Item = `[`Event`]`>` of
//!   [`Message`]s, signals, [`PresenceEvent`]s, envelopes that did not parse
//!   ([`MalformedEvent`], kept raw) and the statuses about its own data
//!   ([`Status::Lagged`], [`Status::PossibleGap`]). Connection statuses come
//!   once per client from [`PubNub::status_stream`] (or into each subscription
//!   with `.with_statuses()`). The default reconnection never gives up on
//!   network errors, timeouts, 5xx and 429; when a subscription does end (access
//!   denied, a finite [`RetryPolicy`] gave up, `unsubscribe_all`) its streams
//!   end and [`Subscription::termination`] tells why. Also
//!   [`PubNub::unsubscribe`], [`PubNub::unsubscribe_all`],
//!   [`PubNub::reconnect`], [`PubNub::disconnect`], callback-style
//!   [`PubNub::add_listener`].
//! - **Combinators**: [`EventStreamExt`] (`messages`, `signals`, `presence`,
//!   `status`, `on_channel`, `on_subscription`, `typed`); payloads decode into
//!   your types with [`Message::decode`] or `typed::<T>()`
//!   ([`TypedMessage`], [`DecodeError`] keeps the raw message).
//! - **Publish sink**: [`PubNub::publisher`] / [`PubNub::multi_publisher`] →
//!   [`Publisher`] (max pending, retry policy, rate limit) →
//!   [`PublishSink`] / [`MultiPublishSink`]; acknowledgments as a stream of
//!   [`Ack`]; an item it cannot publish (too large, not serializable) comes
//!   back on `rejected()` while the sink goes on; a final failure hands back
//!   every unacknowledged message ([`PublishSinkError`]).
//! - **Presence**: [`PubNub::here_now`], [`PubNub::where_now`],
//!   [`PubNub::set_state`], [`PubNub::get_state`], [`PubNub::heartbeat`],
//!   [`PubNub::leave`]. **Channel groups**: [`channel_groups`].
//! - **History** (Message Persistence): [`PubNub::fetch_messages`] (one page
//!   of one or several channels), [`PubNub::history`] (a channel's stored
//!   messages as a `Stream` across pages, each page requested as consumed),
//!   [`PubNub::message_counts`], [`PubNub::delete_messages`] (needs the
//!   secret key); see [`history`].
//! - **Access Manager**: [`PubNub::grant_token`] ([`GrantTokenBuilder`],
//!   [`Permissions`]) and [`PubNub::revoke_token`] with the secret key;
//!   [`PubNub::set_token`] at run time; [`parse_token`] → [`TokenInfo`];
//!   refusals carry a [`DenialReason`].
//! - **Errors**: [`ConfigError`] from the builder; [`RequestError`] with a
//!   [`RequestErrorKind`] for calls; the server's message and HTTP status are
//!   kept, keys and signatures never printed.
//! - **Wire level**: [`Timetoken`] (and [`ParseTimetokenError`]). The
//!   protocol itself is described in `docs/protocol.md` in the repository;
//!   comments citing "protocol.md §N" refer to its sections.
//!
//! The companion crate `pubnub-devserver` (in the same repository) is a local
//! PubNub-compatible server for development and tests; its `DevServer` starts
//! in-process on a free port. `cargo doc --workspace --no-deps --open` builds
//! the docs of both.
//!
//! ## Logs
//!
//! The client logs through [`tracing`]: at `debug`, every request (keys and
//! signatures redacted) and every response's status and size. Install a
//! subscriber once, e.g. `tracing-subscriber`, and run with
//! `RUST_LOG=pubnub_stream=debug`:
//!
//! ```
//! tracing_subscriber::fmt()
//!     .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
//!     .with_writer(std::io::stderr)
//!     .init();
//! ```
#![warn(missing_docs)]

#[cfg(feature = "bench-internals")]
#[doc(hidden)]
#[path = "bench_support.rs"]
pub mod __bench;
// Rustdoc lists `PubNub`'s methods in the order their modules are declared:
// the client and subscribe first, then publish, presence, channel groups, time.
// (Blank lines keep rustfmt from sorting these groups.)
mod client;

pub mod subscribe;

pub mod publish;

pub mod presence;

pub mod channel_groups;

pub mod history;

mod time;

pub mod access;
pub mod config;
pub mod crypto;
pub mod error;
mod message;
mod names;
mod protocol;
mod rest;
mod retry;
mod shared;
mod sync;
#[cfg(test)]
mod test_support;
pub(crate) mod transport;

pub use access::{
    parse_token, AccessToken, GrantTokenBuilder, ParseTokenError, Permissions, TokenInfo,
    TokenResources,
};
pub use channel_groups::{
    DeleteChannelGroupBuilder, EditChannelGroupBuilder, ListChannelGroupsBuilder,
    ListChannelsBuilder,
};
pub use client::PubNub;
pub use config::{Config, PubNubBuilder};
pub use crypto::{CryptoError, CryptoModule};
pub use error::{ConfigError, DenialReason, RequestError, RequestErrorKind};
pub use history::{
    DeleteMessagesBuilder, FetchMessagesBuilder, FetchedMessages, History, HistoryMessage,
    MessageCountsBuilder,
};
pub use names::IntoNames;
pub use presence::{
    ChannelOccupancy, GetStateBuilder, HeartbeatBuilder, HereNowBuilder, HereNowResult,
    LeaveBuilder, Occupant, PresenceBuilder, SetStateBuilder, WhereNowBuilder,
};
pub use protocol::timetoken::{ParseTimetokenError, Timetoken};
pub use publish::sink::{
    Ack, Acks, MultiPublishSink, Outgoing, PublishSink, PublishSinkError, Publisher, Rejection,
    Rejections,
};
pub use publish::{PublishBuilder, PublishResult, SignalBuilder};
pub use retry::RetryPolicy;
pub use subscribe::{
    ConnectError, DecodeError, Event, EventStreamExt, HasChannel, ListenerId, MalformedEvent,
    Message, PresenceAction, PresenceEvent, Status, StatusStream, SubscribeBuilder,
    SubscribeCallback, Subscription, Termination, TypedMessage, UnknownEvent, UnsubscribeBuilder,
};
