//! Wire protocol: URL building, percent-encoding, error bodies, timetokens,
//! request signing and channel-name rules.

pub(crate) mod channel;
pub(crate) mod encode;
pub(crate) mod error_body;
pub(crate) mod publish;
pub(crate) mod signature;
pub(crate) mod timetoken;
pub(crate) mod url;
