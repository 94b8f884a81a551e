//! Wire protocol: URL building, percent-encoding, wire types and response parsing.

pub mod envelope;
pub mod timetoken;
