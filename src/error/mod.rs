//! Error types: [`ConfigError`] for building a client, [`RequestError`] for every REST call.

mod config;
mod kind;
mod request;

pub use config::ConfigError;
pub use kind::RequestErrorKind;
pub use request::{PublishError, RequestError};
