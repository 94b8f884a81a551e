//! The JSON text of a message or `meta`, checked while it is written.
//!
//! `serde_json::to_string` alone writes NaN and ±Infinity as `null` (a value
//! the user did not send), recurses once per nesting level with no bound (a
//! 100,000-deep value overflows the stack), and writes the whole value
//! before anyone can say it is too large. [`to_json`] serializes through a
//! wrapper that refuses non-finite floats and nesting deeper than the server
//! parses ([`MAX_DEPTH`]), into a writer that stops at a size cap.

use std::fmt::Display;
use std::io;
use std::sync::Arc;

use serde::ser::{
    self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant,
    SerializeTuple, SerializeTupleStruct, SerializeTupleVariant, Serializer,
};

use crate::error::{RequestError, RequestErrorKind};

/// The deepest nesting of arrays and objects a message may have: the dev
/// server (like `serde_json`'s parser) refuses a 128th level as invalid JSON.
pub(crate) const MAX_DEPTH: usize = 127;

/// The buffer a message's text starts in (what `serde_json::to_vec` starts with).
const INITIAL_CAPACITY: usize = 128;

/// Why a value has no JSON text to publish. Cheap to clone, so that an
/// option serialized once (`meta`) can report it for every message.
#[derive(Debug, Clone)]
pub(crate) enum JsonError {
    /// The text would be over the cap: `size` bytes when it was stopped.
    TooLarge { size: usize, limit: usize },
    /// `serde` could not write it, or it holds a NaN or infinite float, or it
    /// is nested too deep.
    Invalid(Arc<serde_json::Error>),
}

impl From<JsonError> for RequestError {
    fn from(error: JsonError) -> Self {
        match error {
            JsonError::TooLarge { size, limit } => {
                RequestErrorKind::MessageTooLarge { size, limit }.into()
            }
            JsonError::Invalid(source) => {
                RequestError::with_source(RequestErrorKind::Serialization, source)
            }
        }
    }
}

/// `value` as JSON text of at most `cap` bytes.
///
/// Errors ([`JsonError`], which becomes a `RequestError`): `Serialization`
/// for a value `serde` cannot write, a NaN or infinite float, or nesting
/// deeper than [`MAX_DEPTH`]; `MessageTooLarge` (with the bytes written when
/// it stopped, over `cap`, and `cap` as the limit) as soon as the text would
/// exceed `cap`. Never writes more than `cap` bytes and never recurses deeper
/// than [`MAX_DEPTH`] levels.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T, cap: usize) -> Result<String, JsonError> {
    let mut writer = Capped {
        // As `serde_json::to_string` does: a small message is written without
        // growing the buffer three times (callgrind: ~700 instructions a
        // publish).
        buf: Vec::with_capacity(INITIAL_CAPACITY.min(cap)),
        cap,
        over: None,
    };
    let result = {
        let mut serializer = serde_json::Serializer::new(&mut writer);
        value.serialize(Checked {
            inner: &mut serializer,
            depth: 0,
        })
    };
    if let Some(size) = writer.over {
        return Err(JsonError::TooLarge { size, limit: cap });
    }
    let invalid = |error: serde_json::Error| JsonError::Invalid(Arc::new(error));
    result.map_err(invalid)?;
    String::from_utf8(writer.buf)
        .map_err(|e| invalid(ser::Error::custom(format_args!("not UTF-8 JSON: {e}"))))
}

/// A writer that refuses to grow past `cap` bytes.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
    /// The size the text would have reached when it was stopped.
    over: Option<usize>,
}

impl io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let wanted = self.buf.len().saturating_add(data.len());
        if wanted > self.cap {
            self.over = Some(wanted);
            return Err(io::Error::other("the message is over the size limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn too_deep<E: ser::Error>() -> E {
    E::custom(format_args!(
        "the value is nested deeper than {MAX_DEPTH} levels"
    ))
}

fn non_finite<E: ser::Error>(value: impl Display) -> E {
    E::custom(format_args!(
        "{value} is not a JSON number (NaN and infinities would be sent as null)"
    ))
}

/// A serializer that checks floats and depth, then hands every call to `inner`.
struct Checked<S> {
    inner: S,
    /// Arrays and objects open around the value being serialized.
    depth: usize,
}

impl<S: Serializer> Checked<S> {
    /// The depth inside a new array or object, or the error past [`MAX_DEPTH`].
    fn nest(&self) -> Result<usize, S::Error> {
        let depth = self.depth.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        Ok(depth)
    }
}

/// A value serialized through [`Checked`] at `depth`.
struct Nested<'a, T: ?Sized> {
    value: &'a T,
    depth: usize,
}

impl<T: Serialize + ?Sized> Serialize for Nested<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Checked {
            inner: serializer,
            depth: self.depth,
        })
    }
}

/// Any of `inner`'s compound serializers, whose elements go through [`Checked`].
struct Compound<C> {
    inner: C,
    /// The depth of the compound's elements.
    depth: usize,
}

impl<C> Compound<C> {
    fn wrap<'a, T: ?Sized>(&self, value: &'a T) -> Nested<'a, T> {
        Nested {
            value,
            depth: self.depth,
        }
    }
}

macro_rules! forward_scalars {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method(self, value: $ty) -> Result<S::Ok, S::Error> {
            self.inner.$method(value)
        }
    )*};
}

impl<S: Serializer> Serializer for Checked<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<S::SerializeSeq>;
    type SerializeTuple = Compound<S::SerializeTuple>;
    type SerializeTupleStruct = Compound<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<S::SerializeTupleVariant>;
    type SerializeMap = Compound<S::SerializeMap>;
    type SerializeStruct = Compound<S::SerializeStruct>;
    type SerializeStructVariant = Compound<S::SerializeStructVariant>;

    forward_scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn serialize_f32(self, value: f32) -> Result<S::Ok, S::Error> {
        if !value.is_finite() {
            return Err(non_finite(value));
        }
        self.inner.serialize_f32(value)
    }

    fn serialize_f64(self, value: f64) -> Result<S::Ok, S::Error> {
        if !value.is_finite() {
            return Err(non_finite(value));
        }
        self.inner.serialize_f64(value)
    }

    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        let depth = self.depth;
        self.inner.serialize_some(&Nested { value, depth })
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let depth = self.depth;
        self.inner
            .serialize_newtype_struct(name, &Nested { value, depth })
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        // `{"variant": value}`: one object level.
        let depth = self.nest()?;
        self.inner
            .serialize_newtype_variant(name, index, variant, &Nested { value, depth })
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        let depth = self.nest()?;
        let inner = self.inner.serialize_seq(len)?;
        Ok(Compound { inner, depth })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        let depth = self.nest()?;
        let inner = self.inner.serialize_tuple(len)?;
        Ok(Compound { inner, depth })
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let depth = self.nest()?;
        let inner = self.inner.serialize_tuple_struct(name, len)?;
        Ok(Compound { inner, depth })
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        // `{"variant": [..]}`: two levels.
        let depth = self.nest()?.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        let inner = self
            .inner
            .serialize_tuple_variant(name, index, variant, len)?;
        Ok(Compound { inner, depth })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let depth = self.nest()?;
        let inner = self.inner.serialize_map(len)?;
        Ok(Compound { inner, depth })
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let depth = self.nest()?;
        let inner = self.inner.serialize_struct(name, len)?;
        Ok(Compound { inner, depth })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        // `{"variant": {..}}`: two levels.
        let depth = self.nest()?.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        let inner = self
            .inner
            .serialize_struct_variant(name, index, variant, len)?;
        Ok(Compound { inner, depth })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

impl<C: SerializeSeq> SerializeSeq for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let value = self.wrap(value);
        self.inner.serialize_element(&value)
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: SerializeTuple> SerializeTuple for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let value = self.wrap(value);
        self.inner.serialize_element(&value)
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: SerializeTupleStruct> SerializeTupleStruct for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let value = self.wrap(value);
        self.inner.serialize_field(&value)
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: SerializeTupleVariant> SerializeTupleVariant for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let value = self.wrap(value);
        self.inner.serialize_field(&value)
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: SerializeMap> SerializeMap for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), C::Error> {
        let key = self.wrap(key);
        self.inner.serialize_key(&key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let value = self.wrap(value);
        self.inner.serialize_value(&value)
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: SerializeStruct> SerializeStruct for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), C::Error> {
        let value = self.wrap(value);
        self.inner.serialize_field(key, &value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
        self.inner.skip_field(key)
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: SerializeStructVariant> SerializeStructVariant for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), C::Error> {
        let value = self.wrap(value);
        self.inner.serialize_field(key, &value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
        self.inner.skip_field(key)
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `n` nested arrays around `0`, without a nested data structure.
    struct Deep(usize);

    impl Serialize for Deep {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            if self.0 == 0 {
                return serializer.serialize_u8(0);
            }
            let mut seq = serializer.serialize_seq(Some(1))?;
            seq.serialize_element(&Deep(self.0 - 1))?;
            seq.end()
        }
    }

    fn kind(result: Result<String, JsonError>) -> RequestErrorKind {
        RequestError::from(result.expect_err("refused"))
            .kind()
            .clone()
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let value = json!({"a": [1, 2.5, null, "x"], "b": {"c": true}});
        assert_eq!(
            to_json(&value, 1000).expect("fits"),
            serde_json::to_string(&value).expect("serializes")
        );
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, u8),
            Struct { a: Option<f32> },
        }
        let all = (
            E::Unit,
            E::New(1),
            E::Tuple(1, 2),
            E::Struct { a: Some(1.5) },
        );
        assert_eq!(
            to_json(&all, 1000).expect("fits"),
            serde_json::to_string(&all).expect("serializes")
        );
    }

    #[test]
    fn non_finite_floats_are_serialization_errors() {
        for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(kind(to_json(&value, 100)), RequestErrorKind::Serialization);
            assert_eq!(
                kind(to_json(
                    &json!({"v": [1]}).as_object().map(|_| vec![value]),
                    100
                )),
                RequestErrorKind::Serialization
            );
        }
        assert_eq!(
            kind(to_json(&[f32::NAN], 100)),
            RequestErrorKind::Serialization
        );
        let error = RequestError::from(to_json(&f64::NAN, 100).expect_err("refused"));
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert!(
            source.is_some_and(|s| s.contains("NaN is not a JSON number")),
            "{error:?}"
        );
    }

    #[test]
    fn nesting_is_capped_at_the_parsers_depth() {
        let ok = to_json(&Deep(MAX_DEPTH), 10_000).expect("127 levels are fine");
        assert!(serde_json::from_str::<serde_json::Value>(&ok).is_ok());
        let text = format!(
            "{}0{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_err(),
            "the parser refuses one more level"
        );
        assert_eq!(
            kind(to_json(&Deep(MAX_DEPTH + 1), 10_000)),
            RequestErrorKind::Serialization
        );
        assert_eq!(
            kind(to_json(&Deep(100_000), usize::MAX)),
            RequestErrorKind::Serialization
        );
    }

    #[test]
    fn stops_writing_at_the_cap() {
        assert_eq!(to_json(&"abc", 5).expect("fits"), "\"abc\"");
        match kind(to_json(&"abcd", 5)) {
            RequestErrorKind::MessageTooLarge { size, limit } => {
                assert!(size > 5);
                assert_eq!(limit, 5);
            }
            other => panic!("{other:?}"),
        }
        let big = vec!["x".repeat(1000); 1000];
        match kind(to_json(&big, 4096)) {
            RequestErrorKind::MessageTooLarge { size, .. } => {
                assert!(size < 8192, "stopped early, at {size}")
            }
            other => panic!("{other:?}"),
        }
    }
}
