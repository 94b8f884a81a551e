//! Wire protocol: URL building, percent-encoding, wire types and response parsing.

pub(crate) mod channel;
pub(crate) mod encode;
pub mod envelope;
mod envelope_wire;
pub(crate) mod error_body;
pub(crate) mod publish;
pub(crate) mod signature;
pub mod timetoken;
pub(crate) mod url;
