//! [`Permissions`]: the Access Manager permission bits of one resource.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// A set of Access Manager permissions on one channel, channel group or user
/// id (or on every name a pattern matches), as the bit mask PubNub's tokens
/// carry: read 1, write 2, manage 4, delete 8, create 16, get 32, update 64,
/// join 128. Combine them with `|`.
///
/// What each one allows on PubNub: channels take read (subscribe, presence,
/// history), write (publish, signal), get, update, join, manage and delete
/// (delete history); channel groups take read (subscribe) and manage (add,
/// remove, delete); user ids take get, update and delete (their metadata).
///
/// ```
/// use pubnub_stream::Permissions;
///
/// let p = Permissions::READ | Permissions::WRITE;
/// assert!(p.contains(Permissions::READ));
/// assert!(!p.contains(Permissions::MANAGE));
/// assert_eq!(p.bits(), 3);
/// assert_eq!(format!("{p:?}"), "Permissions(READ | WRITE)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Permissions(u32);

/// The names of the bits, in order.
const NAMES: [(Permissions, &str); 8] = [
    (Permissions::READ, "READ"),
    (Permissions::WRITE, "WRITE"),
    (Permissions::MANAGE, "MANAGE"),
    (Permissions::DELETE, "DELETE"),
    (Permissions::CREATE, "CREATE"),
    (Permissions::GET, "GET"),
    (Permissions::UPDATE, "UPDATE"),
    (Permissions::JOIN, "JOIN"),
];

impl Permissions {
    /// No permission.
    pub const NONE: Permissions = Permissions(0);
    /// Read: subscribe, presence, history (channels); subscribe (groups).
    pub const READ: Permissions = Permissions(1);
    /// Write: publish and signal (channels).
    pub const WRITE: Permissions = Permissions(2);
    /// Manage: add to, remove from and delete channel groups.
    pub const MANAGE: Permissions = Permissions(4);
    /// Delete: delete history (channels), delete metadata (user ids).
    pub const DELETE: Permissions = Permissions(8);
    /// Create (legacy objects API).
    pub const CREATE: Permissions = Permissions(16);
    /// Get: read metadata and memberships.
    pub const GET: Permissions = Permissions(32);
    /// Update: change metadata and memberships.
    pub const UPDATE: Permissions = Permissions(64);
    /// Join: join a channel as a member.
    pub const JOIN: Permissions = Permissions(128);

    /// The permissions of a bit mask; bits PubNub does not define are kept
    /// (so a token parses back to exactly what it holds).
    ///
    /// ```
    /// use pubnub_stream::Permissions;
    /// assert_eq!(Permissions::from_bits(5), Permissions::READ | Permissions::MANAGE);
    /// ```
    pub const fn from_bits(bits: u32) -> Self {
        Permissions(bits)
    }

    /// The bit mask.
    ///
    /// ```
    /// assert_eq!(pubnub_stream::Permissions::JOIN.bits(), 128);
    /// ```
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every permission of `other` is in `self`.
    ///
    /// ```
    /// use pubnub_stream::Permissions;
    /// assert!((Permissions::READ | Permissions::GET).contains(Permissions::GET));
    /// assert!(Permissions::READ.contains(Permissions::NONE));
    /// ```
    pub const fn contains(self, other: Permissions) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no permission is set.
    ///
    /// ```
    /// assert!(pubnub_stream::Permissions::NONE.is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl BitOr for Permissions {
    type Output = Permissions;

    fn bitor(self, rhs: Permissions) -> Permissions {
        Permissions(self.0 | rhs.0)
    }
}

impl BitOrAssign for Permissions {
    fn bitor_assign(&mut self, rhs: Permissions) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Permissions(")?;
        let mut rest = self.0;
        let mut first = true;
        for (flag, name) in NAMES {
            if self.contains(flag) {
                if !first {
                    f.write_str(" | ")?;
                }
                f.write_str(name)?;
                first = false;
                rest &= !flag.0;
            }
        }
        if rest != 0 {
            if !first {
                f.write_str(" | ")?;
            }
            write!(f, "{rest:#x}")?;
            first = false;
        }
        if first {
            f.write_str("NONE")?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_pubnubs() {
        let all = NAMES.iter().fold(Permissions::NONE, |acc, (p, _)| acc | *p);
        assert_eq!(all.bits(), 255);
        assert_eq!(format!("{:?}", Permissions::NONE), "Permissions(NONE)");
        assert_eq!(
            format!("{:?}", Permissions::from_bits(0x101)),
            "Permissions(READ | 0x100)"
        );
    }
}
