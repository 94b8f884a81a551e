//! One element of a subscribe response's `m`, read in a single pass.
//!
//! Parsing each envelope into a `serde_json::Value` first allocates a map
//! and a key string per field only to take the fields out again. Here the
//! well-known keys go straight into slots; messages and signals are built
//! from them with no copy, and everything else (presence, unknown shapes)
//! is handed to [`parse_envelope`] as the exact object it would have seen.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{as_u64, message_event, parse_envelope};
use crate::message::Message;
use crate::protocol::channel::PRESENCE_SUFFIX;
use crate::protocol::timetoken::Timetoken;
use crate::subscribe::Event;

/// The keys that get a slot (protocol.md §7.3), in slot order.
const KEYS: [&str; 13] = [
    "a", "b", "c", "d", "e", "f", "i", "k", "o", "p", "s", "u", "cmt",
];
const B: usize = 1;
const C: usize = 2;
const D: usize = 3;
const E: usize = 4;
const I: usize = 6;
const P: usize = 9;
const S: usize = 10;
const U: usize = 11;
const CMT: usize = 12;

/// An element of `m`: an object sorted into slots, or any other JSON value.
pub(super) enum WireEnvelope {
    Object(Box<Slots>),
    Other(Value),
}

/// The fields of one envelope object.
#[derive(Default)]
pub(super) struct Slots {
    known: [Option<Value>; KEYS.len()],
    /// Keys without a slot, in wire order.
    rest: Vec<(String, Value)>,
}

impl WireEnvelope {
    /// The event, exactly as [`parse_envelope`] makes it from the same JSON.
    pub(super) fn into_event(self) -> Event {
        match self {
            WireEnvelope::Object(slots) => slots.into_event(),
            WireEnvelope::Other(value) => parse_envelope(value),
        }
    }
}

fn as_string(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str)
}

fn take_string(slot: &mut Option<Value>) -> Option<String> {
    match slot.take() {
        Some(Value::String(s)) => Some(s),
        other => {
            *slot = other;
            None
        }
    }
}

impl Slots {
    fn into_event(self) -> Event {
        match self.message_kind() {
            Some((kind, timetoken)) => self.into_message(kind, timetoken),
            None => parse_envelope(Value::Object(self.into_map())),
        }
    }

    /// `Some(kind)` when the envelope is a message-like event (`e` absent,
    /// null or 0..=4, not on a presence channel) with channel and timetoken:
    /// the cases `parse_envelope` turns into a [`Message`].
    fn message_kind(&self) -> Option<(u64, Timetoken)> {
        let channel = as_string(self.known[C].as_ref())?;
        let timetoken = Timetoken::deserialize(self.known[P].as_ref()?.get("t")?).ok()?;
        let kind = match &self.known[E] {
            None | Some(Value::Null) if channel.ends_with(PRESENCE_SUFFIX) => None,
            None | Some(Value::Null) => Some(0),
            Some(e) => as_u64(e).filter(|kind| *kind <= 4),
        }?;
        Some((kind, timetoken))
    }

    fn into_message(mut self, kind: u64, timetoken: Timetoken) -> Event {
        let region = self.known[P]
            .as_ref()
            .and_then(|p| p.get("r"))
            .and_then(as_u64)
            .and_then(|r| u32::try_from(r).ok())
            .unwrap_or(0);
        let channel = take_string(&mut self.known[C]).unwrap_or_default();
        let subscription = take_string(&mut self.known[B]).unwrap_or_else(|| channel.clone());
        let message = Message {
            channel,
            subscription,
            timetoken,
            region,
            publisher: take_string(&mut self.known[I]),
            payload: self.known[D].take().unwrap_or(Value::Null),
            user_metadata: self.known[U].take().filter(|u| !u.is_null()),
            custom_message_type: take_string(&mut self.known[CMT]),
            sequence: self.known[S].as_ref().and_then(as_u64),
            decrypt_error: None,
        };
        message_event(kind, message)
    }

    /// The object as it was on the wire (a later duplicate key wins, as in a `Map`).
    fn into_map(self) -> Map<String, Value> {
        let mut map = Map::new();
        for (key, value) in KEYS.iter().zip(self.known) {
            if let Some(value) = value {
                map.insert((*key).to_owned(), value);
            }
        }
        for (key, value) in self.rest {
            map.insert(key, value);
        }
        map
    }
}

impl<'de> serde::Deserialize<'de> for WireEnvelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

/// Values other than objects are kept whole, as `serde_json::Value` would.
macro_rules! other {
    ($($method:ident($ty:ty) => $make:expr;)*) => {
        $(fn $method<E: serde::de::Error>(self, v: $ty) -> Result<WireEnvelope, E> {
            Ok(WireEnvelope::Other($make(v)))
        })*
    };
}

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = WireEnvelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    other! {
        visit_bool(bool) => Value::Bool;
        visit_i64(i64) => Value::from;
        visit_u64(u64) => Value::from;
        visit_f64(f64) => Value::from;
        visit_str(&str) => Value::from;
        visit_string(String) => Value::String;
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<WireEnvelope, E> {
        Ok(WireEnvelope::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WireEnvelope, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(WireEnvelope::Other(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireEnvelope, A::Error> {
        let mut slots = Box::<Slots>::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value::<Value>()?;
            match key {
                Key::Known(slot) => slots.known[slot] = Some(value),
                Key::Other(name) => slots.rest.push((name, value)),
            }
        }
        Ok(WireEnvelope::Object(slots))
    }
}

enum Key {
    Known(usize),
    Other(String),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match KEYS.iter().position(|k| *k == key) {
            Some(slot) => Key::Known(slot),
            None => Key::Other(key.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn via_slots(value: &Value) -> Event {
        let envelope: WireEnvelope = serde_json::from_str(&value.to_string()).unwrap();
        envelope.into_event()
    }

    fn same(value: Value) {
        let fast = format!("{:?}", via_slots(&value));
        let slow = format!("{:?}", parse_envelope(value.clone()));
        assert_eq!(fast, slow, "for {value}");
    }

    #[test]
    fn messages_signals_presence_and_unknowns_match_parse_envelope() {
        let p = json!({"t": "17379929965457610", "r": 42});
        for value in [
            json!({"a":"3","f":0,"i":"u","s":1,"p":p,"k":"k","c":"ch","d":"hey","b":"grp"}),
            json!({"p":p,"c":"ch","d":{"x":[1,2]},"u":{"m":1},"cmt":"chat-v1","e":"1"}),
            json!({"p":p,"c":"ch","e":4,"u":null,"s":"7","extra":true}),
            json!({"p":p,"c":"ch-pnpres","d":{"action":"join","uuid":"u","timestamp":1,"occupancy":2}}),
            json!({"p":p,"c":"ch-pnpres","e":0,"d":1}),
            json!({"p":p,"c":"ch","e":9}),
            json!({"p":p,"c":"ch","e":"x"}),
            json!({"p":{"t":"nope"},"c":"ch"}),
            json!({"p":p,"c":5}),
            json!({"p":p,"c":"ch","b":7,"i":8,"cmt":9}),
            json!({"c":"ch"}),
            json!([1, 2]),
            json!("text"),
            json!(null),
            json!(-1.5),
        ] {
            same(value);
        }
    }

    #[test]
    fn a_later_duplicate_key_wins_as_in_a_map() {
        let text = r#"{"p":{"t":"1"},"c":"a","c":"b","zz":1,"zz":2}"#;
        let envelope: WireEnvelope = serde_json::from_str(text).unwrap();
        let slow = parse_envelope(serde_json::from_str(text).unwrap());
        assert_eq!(format!("{:?}", envelope.into_event()), format!("{slow:?}"));
    }

    fn arb_scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (0u64..10).prop_map(Value::from),
            "[a-z0-9-]{0,8}".prop_map(Value::from),
            Just(json!("ch-pnpres")),
            Just(json!("17")),
        ]
    }

    fn arb_field() -> impl Strategy<Value = Value> {
        prop_oneof![
            3 => arb_scalar(),
            1 => prop::collection::vec(arb_scalar(), 0..3).prop_map(Value::from),
            1 => prop::collection::btree_map("[a-z]{1,2}|t|r|action|uuid", arb_scalar(), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    }

    proptest! {
        #[test]
        fn slots_agree_with_parse_envelope(
            fields in prop::collection::vec(
                ("a|b|c|d|e|f|i|k|o|p|s|u|cmt|x|t", arb_field()), 0..10)
        ) {
            let value = Value::Object(fields.into_iter().collect());
            let fast = format!("{:?}", via_slots(&value));
            let slow = format!("{:?}", parse_envelope(value));
            prop_assert_eq!(fast, slow);
        }
    }
}
