//! Access Manager v3 tokens as the dev server issues and reads them
//! (protocol.md §14.2): base64 (URL-safe, no padding) of a CBOR map with
//! byte-string keys `v`, `t`, `ttl`, `res`, `pat`, `meta`, optional `uuid`,
//! and `sig`, the HMAC-SHA256 with the secret key of the CBOR encoding of
//! the same map without `sig`.

use std::collections::BTreeMap;

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use ciborium::value::Value as Cbor;
use regex::Regex;
use serde_json::Value as Json;

use super::signature::{hmac, same};

/// Permission bits (protocol.md §14.2).
pub(crate) const READ: u32 = 1;
pub(crate) const WRITE: u32 = 2;
pub(crate) const MANAGE: u32 = 4;
pub(crate) const DELETE: u32 = 8;

/// Names (or patterns) → permission bits, per resource kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Resources {
    pub(crate) channels: BTreeMap<String, u32>,
    pub(crate) groups: BTreeMap<String, u32>,
    pub(crate) uuids: BTreeMap<String, u32>,
}

/// What a token grants.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grant {
    /// Issue time, Unix seconds.
    pub(crate) issued: u64,
    /// Time to live, minutes.
    pub(crate) ttl: u64,
    pub(crate) resources: Resources,
    pub(crate) patterns: Resources,
    pub(crate) meta: serde_json::Map<String, Json>,
    pub(crate) authorized_uuid: Option<String>,
}

/// A token that decoded and whose signature is this server's.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    pub(crate) grant: Grant,
    /// The signature: identifies the token for revocation.
    pub(crate) sig: Vec<u8>,
}

fn key(k: &str) -> Cbor {
    Cbor::Bytes(k.as_bytes().to_vec())
}

fn bits_map(map: &BTreeMap<String, u32>) -> Cbor {
    Cbor::Map(
        map.iter()
            .map(|(name, bits)| (Cbor::Text(name.clone()), Cbor::Integer((*bits).into())))
            .collect(),
    )
}

fn resources_cbor(r: &Resources) -> Cbor {
    Cbor::Map(vec![
        (key("chan"), bits_map(&r.channels)),
        (key("grp"), bits_map(&r.groups)),
        (key("usr"), Cbor::Map(Vec::new())),
        (key("spc"), Cbor::Map(Vec::new())),
        (key("uuid"), bits_map(&r.uuids)),
    ])
}

fn json_to_cbor(v: &Json) -> Cbor {
    match v {
        Json::Null => Cbor::Null,
        Json::Bool(b) => Cbor::Bool(*b),
        Json::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Cbor::Integer(u.into()),
            (_, Some(i), _) => Cbor::Integer(i.into()),
            (_, _, Some(f)) => Cbor::Float(f),
            _ => Cbor::Null,
        },
        Json::String(s) => Cbor::Text(s.clone()),
        Json::Array(items) => Cbor::Array(items.iter().map(json_to_cbor).collect()),
        Json::Object(map) => Cbor::Map(
            map.iter()
                .map(|(k, v)| (Cbor::Text(k.clone()), json_to_cbor(v)))
                .collect(),
        ),
    }
}

fn cbor_to_json(v: &Cbor) -> Json {
    match v {
        Cbor::Bool(b) => Json::Bool(*b),
        Cbor::Text(t) => Json::String(t.clone()),
        Cbor::Integer(i) => {
            let i = i128::from(*i);
            u64::try_from(i)
                .map(Json::from)
                .or_else(|_| i64::try_from(i).map(Json::from))
                .unwrap_or(Json::Null)
        }
        Cbor::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Cbor::Array(items) => Json::Array(items.iter().map(cbor_to_json).collect()),
        Cbor::Map(entries) => Json::Object(
            entries
                .iter()
                .filter_map(|(k, v)| text(k).map(|k| (k, cbor_to_json(v))))
                .collect(),
        ),
        _ => Json::Null,
    }
}

fn encode_cbor(value: &Cbor) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = ciborium::ser::into_writer(value, &mut out);
    out
}

/// The token for `grant`, signed with `secret`.
pub(crate) fn issue(secret: &str, grant: &Grant) -> String {
    let mut entries = vec![
        (key("v"), Cbor::Integer(2.into())),
        (key("t"), Cbor::Integer(grant.issued.into())),
        (key("ttl"), Cbor::Integer(grant.ttl.into())),
        (key("res"), resources_cbor(&grant.resources)),
        (key("pat"), resources_cbor(&grant.patterns)),
        (key("meta"), json_to_cbor(&Json::Object(grant.meta.clone()))),
    ];
    if let Some(uuid) = &grant.authorized_uuid {
        entries.push((key("uuid"), Cbor::Text(uuid.clone())));
    }
    let sig = hmac(secret.as_bytes(), &encode_cbor(&Cbor::Map(entries.clone())));
    entries.push((key("sig"), Cbor::Bytes(sig)));
    URL_SAFE_NO_PAD.encode(encode_cbor(&Cbor::Map(entries)))
}

fn text(v: &Cbor) -> Option<String> {
    match v {
        Cbor::Text(t) => Some(t.clone()),
        Cbor::Bytes(b) => String::from_utf8(b.clone()).ok(),
        _ => None,
    }
}

fn is_key(k: &Cbor, name: &str) -> bool {
    text(k).as_deref() == Some(name)
}

fn get<'a>(map: &'a [(Cbor, Cbor)], name: &str) -> Option<&'a Cbor> {
    map.iter().find(|(k, _)| is_key(k, name)).map(|(_, v)| v)
}

fn uint(map: &[(Cbor, Cbor)], name: &str) -> Option<u64> {
    get(map, name)?
        .as_integer()
        .and_then(|i| u64::try_from(i).ok())
}

fn bits(value: Option<&Cbor>) -> Option<BTreeMap<String, u32>> {
    match value {
        None => Some(BTreeMap::new()),
        Some(Cbor::Map(entries)) => entries
            .iter()
            .map(|(k, v)| {
                let bits = v.as_integer().and_then(|i| u32::try_from(i).ok())?;
                Some((text(k)?, bits))
            })
            .collect(),
        Some(_) => None,
    }
}

fn resources(value: Option<&Cbor>) -> Option<Resources> {
    let Some(Cbor::Map(map)) = value else {
        return None;
    };
    Some(Resources {
        channels: bits(get(map, "chan"))?,
        groups: bits(get(map, "grp"))?,
        uuids: bits(get(map, "uuid"))?,
    })
}

/// Decodes `token` and checks that `secret` signed it; `None` for anything
/// else (not base64, not CBOR, wrong shape, another key's signature).
pub(crate) fn verify(secret: &str, token: &str) -> Option<Verified> {
    let text_token = token.trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD
        .decode(text_token)
        .or_else(|_| STANDARD_NO_PAD.decode(text_token))
        .ok()?;
    let Cbor::Map(mut entries) = ciborium::de::from_reader::<Cbor, _>(bytes.as_slice()).ok()?
    else {
        return None;
    };
    let at = entries.iter().position(|(k, _)| is_key(k, "sig"))?;
    let (_, sig) = entries.remove(at);
    let Cbor::Bytes(sig) = sig else {
        return None;
    };
    let expected = hmac(secret.as_bytes(), &encode_cbor(&Cbor::Map(entries.clone())));
    if !same(&sig, &expected) {
        return None;
    }
    let meta = match get(&entries, "meta").map(cbor_to_json) {
        Some(Json::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let grant = Grant {
        issued: uint(&entries, "t")?,
        ttl: uint(&entries, "ttl")?,
        resources: resources(get(&entries, "res"))?,
        patterns: resources(get(&entries, "pat")).unwrap_or_default(),
        meta,
        authorized_uuid: get(&entries, "uuid").and_then(text),
    };
    Some(Verified { grant, sig })
}

impl Grant {
    /// Whether the token has run out at `now` (Unix seconds).
    pub(crate) fn expired(&self, now: u64) -> bool {
        let end = self.issued.saturating_add(self.ttl.saturating_mul(60));
        now >= end
    }

    /// The permission bits this grant gives `name` among `kind` (exact
    /// resource, or every pattern that matches it).
    pub(crate) fn bits_for(&self, kind: Kind, name: &str) -> u32 {
        let (resources, patterns) = match kind {
            Kind::Channel => (&self.resources.channels, &self.patterns.channels),
            Kind::Group => (&self.resources.groups, &self.patterns.groups),
        };
        let exact = resources.get(name).copied().unwrap_or(0);
        patterns
            .iter()
            .filter(|(pattern, _)| Regex::new(pattern).is_ok_and(|re| re.is_match(name)))
            .fold(exact, |acc, (_, bits)| acc | bits)
    }
}

/// The kinds of resources a request may need permissions on (user ids
/// only matter to the objects API, which the dev server does not serve).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Channel,
    Group,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        let mut resources = Resources::default();
        resources.channels.insert("a".into(), READ);
        let mut patterns = Resources::default();
        patterns.channels.insert("^room-.*$".into(), WRITE);
        Grant {
            issued: 1_000,
            ttl: 1,
            resources,
            patterns,
            meta: serde_json::json!({"k": [1, "x", null]})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            authorized_uuid: Some("alice".into()),
        }
    }

    #[test]
    fn issued_tokens_verify_with_their_secret_only() {
        let token = issue("s", &grant());
        let verified = verify("s", &token).map(|v| v.grant);
        assert_eq!(verified, Some(grant()));
        assert!(verify("other", &token).is_none());
        assert!(verify("s", "not-a-token").is_none());
        assert!(verify("s", "").is_none());
        // A flipped character breaks the signature or the encoding.
        let mut tampered = token.into_bytes();
        if let Some(b) = tampered.get_mut(20) {
            *b = if *b == b'A' { b'B' } else { b'A' };
        }
        let tampered = String::from_utf8(tampered).unwrap_or_default();
        assert!(verify("s", &tampered).is_none());
    }

    #[test]
    fn permissions_come_from_names_and_patterns_and_expire() {
        let g = grant();
        assert_eq!(g.bits_for(Kind::Channel, "a"), READ);
        assert_eq!(g.bits_for(Kind::Channel, "room-1"), WRITE);
        assert_eq!(g.bits_for(Kind::Channel, "b"), 0);
        assert_eq!(g.bits_for(Kind::Group, "a"), 0);
        assert!(!g.expired(1_059));
        assert!(g.expired(1_060));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(token in ".{0,120}") {
            let _ = verify("s", &token);
        }
    }
}
