//! [`parse_token`]: what an Access Manager v3 token holds, without a network call.
//!
//! The token is base64 (URL-safe alphabet, padding dropped) of a CBOR map:
//! `v` version, `t` issue time (Unix seconds), `ttl` (minutes), `res` and
//! `pat` (each `chan`/`grp`/`uuid` → name or pattern → permission bits),
//! `meta`, optionally `uuid` (the authorized user id), and `sig`. PubNub's
//! tokens spell the top-level keys as CBOR byte strings; text keys are
//! accepted too.

use std::collections::BTreeMap;

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use ciborium::value::Value as Cbor;
use serde_json::{Map, Number, Value as Json};

use super::Permissions;

/// The resources (or the patterns) of a token with their permissions,
/// sorted by name.
///
/// ```
/// use pubnub_stream::{Permissions, TokenResources};
///
/// let mut resources = TokenResources::default();
/// resources.channels.insert("chat".into(), Permissions::READ);
/// assert!(resources.groups.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenResources {
    /// Channels (or channel regular expressions).
    pub channels: BTreeMap<String, Permissions>,
    /// Channel groups (or their regular expressions).
    pub groups: BTreeMap<String, Permissions>,
    /// User ids (or their regular expressions).
    pub user_ids: BTreeMap<String, Permissions>,
}

impl TokenResources {
    /// Whether no resource is listed.
    ///
    /// ```
    /// assert!(pubnub_stream::TokenResources::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.groups.is_empty() && self.user_ids.is_empty()
    }
}

/// What a token holds: from [`parse_token`] or [`AccessToken::parse`](crate::AccessToken::parse).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().keyset("demo", "demo")
/// #     .secret_key("sec").access_manager(true).start().await?;
/// # let admin = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .secret_key("sec").user_id("admin").origin(server.origin()).secure(false).build()?;
/// use pubnub_stream::{parse_token, Permissions};
///
/// let token = admin.grant_token(60).channel("chat", Permissions::READ).await?;
/// let info = parse_token(token.as_str())?;
/// assert_eq!(info.ttl_minutes, 60);
/// assert_eq!(info.resources.channels["chat"], Permissions::READ);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The token format version (2 for Access Manager v3 tokens).
    pub version: u64,
    /// When the token was issued, in Unix seconds.
    pub issued_at: u64,
    /// Time to live in minutes, from `issued_at`.
    pub ttl_minutes: u64,
    /// The only user id that may use the token, when the grant named one.
    pub authorized_user_id: Option<String>,
    /// Permissions on resources named exactly.
    pub resources: TokenResources,
    /// Permissions on every resource whose name matches a regular expression.
    pub patterns: TokenResources,
    /// The grant's metadata (a JSON object).
    pub meta: Map<String, Json>,
}

/// Why a token could not be parsed. Never contains the token.
///
/// ```
/// let err = pubnub_stream::parse_token("%%%").unwrap_err();
/// assert_eq!(err.to_string(), "invalid token: not base64");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid token: {reason}")]
pub struct ParseTokenError {
    reason: String,
}

impl ParseTokenError {
    fn new(reason: impl Into<String>) -> Self {
        ParseTokenError {
            reason: reason.into(),
        }
    }

    /// What is wrong with the token.
    ///
    /// ```
    /// assert_eq!(pubnub_stream::parse_token("").unwrap_err().reason(), "it is empty");
    /// ```
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Reads an Access Manager v3 token: version, issue time, time to live,
/// authorized user id, resources and patterns with their permissions, and
/// metadata. No network call; the signature is not checked (only the server
/// holding the secret key can). Accepts the URL-safe and the standard
/// base64 alphabets, with or without padding.
///
/// ```
/// let err = pubnub_stream::parse_token("bm90IGNib3I").unwrap_err(); // base64 of "not cbor"
/// assert!(err.reason().starts_with("not CBOR") || err.reason().starts_with("not a map"));
/// ```
pub fn parse_token(token: &str) -> Result<TokenInfo, ParseTokenError> {
    let text = token.trim_end_matches('=');
    if text.is_empty() {
        return Err(ParseTokenError::new("it is empty"));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .or_else(|_| STANDARD_NO_PAD.decode(text))
        .map_err(|_| ParseTokenError::new("not base64"))?;
    let value: Cbor = ciborium::de::from_reader(bytes.as_slice())
        .map_err(|e| ParseTokenError::new(format!("not CBOR ({e})")))?;
    let Cbor::Map(map) = value else {
        return Err(ParseTokenError::new("not a map"));
    };
    let version = required_u64(&map, "v")?;
    let issued_at = required_u64(&map, "t")?;
    let ttl_minutes = required_u64(&map, "ttl")?;
    let authorized_user_id = match get(&map, "uuid") {
        None | Some(Cbor::Null) => None,
        Some(v) => Some(text_of(v).ok_or_else(|| ParseTokenError::new("uuid is not text"))?),
    };
    let resources = resources(get(&map, "res"), "res")?;
    let patterns = resources_or_empty(get(&map, "pat"))?;
    let meta = match get(&map, "meta") {
        None | Some(Cbor::Null) => Map::new(),
        Some(Cbor::Map(entries)) => json_map(entries)?,
        Some(_) => return Err(ParseTokenError::new("meta is not a map")),
    };
    Ok(TokenInfo {
        version,
        issued_at,
        ttl_minutes,
        authorized_user_id,
        resources,
        patterns,
        meta,
    })
}

/// The value under `key`, whether the key is CBOR text or bytes.
fn get<'a>(map: &'a [(Cbor, Cbor)], key: &str) -> Option<&'a Cbor> {
    map.iter()
        .find(|(k, _)| match k {
            Cbor::Text(t) => t == key,
            Cbor::Bytes(b) => b.as_slice() == key.as_bytes(),
            _ => false,
        })
        .map(|(_, v)| v)
}

fn text_of(value: &Cbor) -> Option<String> {
    match value {
        Cbor::Text(t) => Some(t.clone()),
        Cbor::Bytes(b) => String::from_utf8(b.clone()).ok(),
        _ => None,
    }
}

fn required_u64(map: &[(Cbor, Cbor)], key: &str) -> Result<u64, ParseTokenError> {
    get(map, key)
        .and_then(|v| v.as_integer())
        .and_then(|i| u64::try_from(i).ok())
        .ok_or_else(|| ParseTokenError::new(format!("{key} is missing or not a whole number")))
}

fn resources_or_empty(value: Option<&Cbor>) -> Result<TokenResources, ParseTokenError> {
    match value {
        None | Some(Cbor::Null) => Ok(TokenResources::default()),
        Some(v) => resources(Some(v), "pat"),
    }
}

fn resources(value: Option<&Cbor>, what: &str) -> Result<TokenResources, ParseTokenError> {
    let Some(Cbor::Map(map)) = value else {
        return Err(ParseTokenError::new(format!(
            "{what} is missing or not a map"
        )));
    };
    Ok(TokenResources {
        channels: permissions(get(map, "chan"), what)?,
        groups: permissions(get(map, "grp"), what)?,
        user_ids: permissions(get(map, "uuid"), what)?,
    })
}

fn permissions(
    value: Option<&Cbor>,
    what: &str,
) -> Result<BTreeMap<String, Permissions>, ParseTokenError> {
    let entries = match value {
        None | Some(Cbor::Null) => return Ok(BTreeMap::new()),
        Some(Cbor::Map(entries)) => entries,
        Some(_) => return Err(ParseTokenError::new(format!("{what} holds a non-map"))),
    };
    entries
        .iter()
        .map(|(name, bits)| {
            let name = text_of(name)
                .ok_or_else(|| ParseTokenError::new(format!("{what} has a non-text name")))?;
            let bits = bits
                .as_integer()
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| {
                    ParseTokenError::new(format!("{what} has permissions that are not bits"))
                })?;
            Ok((name, Permissions::from_bits(bits)))
        })
        .collect()
}

fn json_map(entries: &[(Cbor, Cbor)]) -> Result<Map<String, Json>, ParseTokenError> {
    entries
        .iter()
        .map(|(k, v)| {
            let key = text_of(k).ok_or_else(|| ParseTokenError::new("meta has a non-text key"))?;
            Ok((key, json(v)?))
        })
        .collect()
}

/// A CBOR value as JSON; values JSON cannot hold are an error, never dropped.
fn json(value: &Cbor) -> Result<Json, ParseTokenError> {
    let unsupported = || ParseTokenError::new("meta holds a value JSON cannot express");
    Ok(match value {
        Cbor::Null => Json::Null,
        Cbor::Bool(b) => Json::Bool(*b),
        Cbor::Text(t) => Json::String(t.clone()),
        Cbor::Integer(i) => {
            let i = i128::from(*i);
            if let Ok(u) = u64::try_from(i) {
                Json::from(u)
            } else {
                Json::from(i64::try_from(i).map_err(|_| unsupported())?)
            }
        }
        Cbor::Float(f) => Json::Number(Number::from_f64(*f).ok_or_else(unsupported)?),
        Cbor::Array(items) => Json::Array(items.iter().map(json).collect::<Result<_, _>>()?),
        Cbor::Map(entries) => Json::Object(json_map(entries)?),
        Cbor::Bytes(_) | Cbor::Tag(..) => return Err(unsupported()),
        _ => return Err(unsupported()),
    })
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
