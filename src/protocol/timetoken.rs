//! The PubNub timetoken: a point in time in 100-nanosecond units since the Unix epoch.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A PubNub timetoken: Unix time in 100-nanosecond units (17 decimal digits today).
///
/// On the wire a timetoken travels as a JSON string in publish and subscribe
/// responses and as a JSON number in `/time/0`; [`Deserialize`] accepts both,
/// [`Serialize`] writes a string.
///
/// ```
/// use pubnub_stream::Timetoken;
///
/// let tt: Timetoken = "14818963707386265".parse().unwrap();
/// assert_eq!(tt.as_u64(), 14818963707386265);
/// assert_eq!(tt.to_string(), "14818963707386265");
/// assert_eq!(tt.unix_seconds(), 1481896370);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timetoken(u64);

impl Timetoken {
    /// The zero timetoken, which means "now" (a handshake) in a subscribe request.
    ///
    /// ```
    /// assert!(pubnub_stream::Timetoken::ZERO.is_zero());
    /// ```
    pub const ZERO: Timetoken = Timetoken(0);

    /// Wraps a raw value in 100-nanosecond units.
    ///
    /// ```
    /// let tt = pubnub_stream::Timetoken::new(17000000000000000);
    /// assert_eq!(tt.as_u64(), 17000000000000000);
    /// ```
    pub const fn new(value: u64) -> Self {
        Timetoken(value)
    }

    /// The raw value in 100-nanosecond units.
    ///
    /// ```
    /// assert_eq!(pubnub_stream::Timetoken::new(5).as_u64(), 5);
    /// ```
    pub const fn as_u64(self) -> u64 {
        self.0
    }

    /// Whether this is the zero timetoken.
    ///
    /// ```
    /// assert!(!pubnub_stream::Timetoken::new(1).is_zero());
    /// ```
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whole Unix seconds of this timetoken.
    ///
    /// ```
    /// assert_eq!(pubnub_stream::Timetoken::new(17_000_000_000_000_000).unix_seconds(), 1_700_000_000);
    /// ```
    pub const fn unix_seconds(self) -> u64 {
        self.0 / 10_000_000
    }

    /// The timetoken for a [`std::time::SystemTime`] (saturating; times before the epoch give zero).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let tt = pubnub_stream::Timetoken::from_system_time(UNIX_EPOCH + Duration::from_secs(2));
    /// assert_eq!(tt.as_u64(), 20_000_000);
    /// ```
    pub fn from_system_time(time: std::time::SystemTime) -> Self {
        let nanos = time
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() / 100)
            .unwrap_or(0);
        Timetoken(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

impl From<u64> for Timetoken {
    fn from(value: u64) -> Self {
        Timetoken(value)
    }
}

impl From<Timetoken> for u64 {
    fn from(value: Timetoken) -> Self {
        value.0
    }
}

impl fmt::Display for Timetoken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The error returned when a string is not a valid timetoken.
///
/// ```
/// assert!("12ab".parse::<pubnub_stream::Timetoken>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid timetoken {input:?}: expected a decimal integer")]
pub struct ParseTimetokenError {
    input: String,
}

impl FromStr for Timetoken {
    type Err = ParseTimetokenError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseTimetokenError {
                input: s.chars().take(64).collect(),
            });
        }
        s.parse::<u64>()
            .map(Timetoken)
            .map_err(|_| ParseTimetokenError {
                input: s.chars().take(64).collect(),
            })
    }
}

impl Serialize for Timetoken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timetoken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimetokenVisitor;

        impl Visitor<'_> for TimetokenVisitor {
            type Value = Timetoken;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timetoken as a string or an unsigned integer")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timetoken, E> {
                Ok(Timetoken(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timetoken, E> {
                u64::try_from(v)
                    .map(Timetoken)
                    .map_err(|_| E::custom("negative timetoken"))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timetoken, E> {
                if v.is_finite() && v >= 0.0 && v < u64::MAX as f64 {
                    Ok(Timetoken(v as u64))
                } else {
                    Err(E::custom("timetoken out of range"))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timetoken, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_any(TimetokenVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_accepts_string_and_number_and_writes_string() {
        let a: Timetoken = serde_json::from_str("\"17334108327846111\"").unwrap();
        let b: Timetoken = serde_json::from_str("17334108327846111").unwrap();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"17334108327846111\"");
    }

    #[test]
    fn rejects_garbage() {
        assert!("".parse::<Timetoken>().is_err());
        assert!("-1".parse::<Timetoken>().is_err());
        assert!("99999999999999999999999".parse::<Timetoken>().is_err());
        assert!(serde_json::from_str::<Timetoken>("-5").is_err());
        assert!(serde_json::from_str::<Timetoken>("true").is_err());
    }
}
