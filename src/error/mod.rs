//! Error types: [`ConfigError`] for building a client, [`RequestError`] for every REST call.
//!
//! `Display` of each shows its whole cause chain on one line, and `Debug`
//! shows causes by their messages; neither prints keys, tokens or signatures.

mod chain;
mod config;
mod denial;
mod kind;
mod request;

pub(crate) use chain::Chain;
pub use config::ConfigError;
pub use denial::DenialReason;
pub use kind::RequestErrorKind;
pub use request::RequestError;
