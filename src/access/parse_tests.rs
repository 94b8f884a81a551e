//! `parse_token` against tokens built here from the documented format.

use super::*;

fn bytes_key(k: &str) -> Cbor {
    Cbor::Bytes(k.as_bytes().to_vec())
}

fn perms(entries: &[(&str, u32)]) -> Cbor {
    Cbor::Map(
        entries
            .iter()
            .map(|(name, bits)| (Cbor::Text((*name).into()), Cbor::Integer((*bits).into())))
            .collect(),
    )
}

fn resources_cbor(chan: &[(&str, u32)], grp: &[(&str, u32)], uuid: &[(&str, u32)]) -> Cbor {
    Cbor::Map(vec![
        (bytes_key("chan"), perms(chan)),
        (bytes_key("grp"), perms(grp)),
        (bytes_key("usr"), perms(&[])),
        (bytes_key("spc"), perms(&[])),
        (bytes_key("uuid"), perms(uuid)),
    ])
}

/// A token as PubNub lays it out: byte-string keys at the top, text names.
fn token(map: Vec<(Cbor, Cbor)>) -> String {
    let mut bytes = Vec::new();
    ciborium::ser::into_writer(&Cbor::Map(map), &mut bytes).unwrap();
    URL_SAFE_NO_PAD.encode(bytes)
}

fn full() -> Vec<(Cbor, Cbor)> {
    vec![
        (bytes_key("v"), Cbor::Integer(2.into())),
        (bytes_key("t"), Cbor::Integer(1_681_219_882u64.into())),
        (bytes_key("ttl"), Cbor::Integer(1337.into())),
        (
            bytes_key("res"),
            resources_cbor(&[("channelResource", 255)], &[("channelGroup", 1)], &[]),
        ),
        (
            bytes_key("pat"),
            resources_cbor(
                &[("channel.*", 2)],
                &[("channelGroup.*", 4)],
                &[("uuid.*", 104)],
            ),
        ),
        (
            bytes_key("meta"),
            Cbor::Map(vec![
                (Cbor::Text("meta".into()), Cbor::Text("data".into())),
                (Cbor::Text("other".into()), Cbor::Null),
                (Cbor::Text("integer".into()), Cbor::Integer(1337.into())),
                (Cbor::Text("float".into()), Cbor::Float(13.37)),
            ]),
        ),
        (bytes_key("uuid"), Cbor::Text("uuid".into())),
        (bytes_key("sig"), Cbor::Bytes(vec![7; 32])),
    ]
}

fn names(entries: &[(&str, u32)]) -> BTreeMap<String, Permissions> {
    entries
        .iter()
        .map(|(n, b)| ((*n).to_owned(), Permissions::from_bits(*b)))
        .collect()
}

#[test]
fn reads_every_field() {
    let info = parse_token(&token(full())).unwrap();
    assert_eq!(info.version, 2);
    assert_eq!(info.issued_at, 1_681_219_882);
    assert_eq!(info.ttl_minutes, 1337);
    assert_eq!(info.authorized_user_id.as_deref(), Some("uuid"));
    assert_eq!(info.resources.channels, names(&[("channelResource", 255)]));
    assert_eq!(info.resources.groups, names(&[("channelGroup", 1)]));
    assert!(info.resources.user_ids.is_empty());
    assert_eq!(info.patterns.channels, names(&[("channel.*", 2)]));
    assert_eq!(info.patterns.groups, names(&[("channelGroup.*", 4)]));
    assert_eq!(info.patterns.user_ids, names(&[("uuid.*", 104)]));
    let meta = serde_json::json!({"meta": "data", "other": null, "integer": 1337, "float": 13.37});
    assert_eq!(Json::Object(info.meta), meta);
}

#[test]
fn accepts_either_alphabet_and_padding_and_text_keys() {
    let url = token(full());
    let standard = url.replace('-', "+").replace('_', "/");
    let padded = format!("{standard}{}", "=".repeat((4 - standard.len() % 4) % 4));
    let expected = parse_token(&url).unwrap();
    assert_eq!(parse_token(&padded).unwrap(), expected);
    let text_keys = full()
        .into_iter()
        .map(|(k, v)| (Cbor::Text(text_of(&k).unwrap()), v))
        .collect();
    assert_eq!(parse_token(&token(text_keys)).unwrap(), expected);
}

#[test]
fn missing_or_odd_fields_are_typed_errors() {
    let without = |key: &str| {
        full()
            .into_iter()
            .filter(|(k, _)| text_of(k).as_deref() != Some(key))
            .collect::<Vec<_>>()
    };
    for key in ["v", "t", "ttl", "res"] {
        let err = parse_token(&token(without(key))).unwrap_err();
        assert!(err.reason().starts_with(key), "{key}: {err}");
    }
    // No patterns, meta or authorized user: all optional.
    let minimal = without("pat")
        .into_iter()
        .filter(|(k, _)| !matches!(text_of(k).as_deref(), Some("meta" | "uuid")));
    let info = parse_token(&token(minimal.collect())).unwrap();
    assert!(info.patterns.is_empty() && info.meta.is_empty());
    assert_eq!(info.authorized_user_id, None);
    let mut bytes_meta = full();
    bytes_meta.push((
        bytes_key("meta"),
        Cbor::Map(vec![(Cbor::Text("b".into()), Cbor::Bytes(vec![1]))]),
    ));
    bytes_meta.retain(|(k, v)| {
        text_of(k).as_deref() != Some("meta") || matches!(v, Cbor::Map(m) if m.len() == 1)
    });
    assert!(parse_token(&token(bytes_meta)).is_err());
    assert_eq!(parse_token("").unwrap_err().reason(), "it is empty");
    assert_eq!(parse_token("!!").unwrap_err().reason(), "not base64");
    let list = URL_SAFE_NO_PAD.encode([0x80]); // an empty CBOR array
    assert_eq!(parse_token(&list).unwrap_err().reason(), "not a map");
}

proptest::proptest! {
    #[test]
    fn never_panics(text in ".{0,200}") {
        let _ = parse_token(&text);
    }

    #[test]
    fn never_panics_on_cbor_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
        let _ = parse_token(&URL_SAFE_NO_PAD.encode(bytes));
    }
}
