//! RFC 6962 / RFC 9162 hashing: SHA-256 with a one-byte prefix that keeps
//! leaves and interior nodes apart.

use std::fmt;

use data_encoding::{BASE64, HEXLOWER};
use sha2::{Digest, Sha256};

/// A SHA-256 hash: a leaf hash, an interior node hash or a tree's root.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; 32]);

/// The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).
pub const EMPTY_ROOT: Hash = Hash([
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
]);

/// Why a text could not be read as a [`Hash`](struct@Hash).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashDecodeError {
    /// The text is not canonical standard base64 (RFC 4648 §4, with padding).
    #[error("not canonical standard base64")]
    Base64,
    /// The text is not lowercase or uppercase hexadecimal.
    #[error("not hexadecimal")]
    Hex,
    /// The text decodes, but not to 32 bytes.
    #[error("a hash is 32 bytes, this is {0}")]
    Length(usize),
}

impl Hash {
    /// The length of a hash in bytes.
    pub const LEN: usize = 32;

    /// The bytes of the hash.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A hash from a slice, which must be exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Hash, HashDecodeError> {
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| HashDecodeError::Length(bytes.len()))?;
        Ok(Hash(array))
    }

    /// Standard base64 with padding (44 characters), as in checkpoints and
    /// proof files.
    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.0)
    }

    /// Reads standard padded base64. Non-canonical encodings (stray bits in
    /// the last character), line breaks and spaces are refused.
    pub fn from_base64(text: &str) -> Result<Hash, HashDecodeError> {
        // 32 bytes are 44 characters; refuse anything far longer before
        // decoding it.
        if text.len() > 64 {
            return Err(HashDecodeError::Length(text.len() / 4 * 3));
        }
        let bytes = BASE64
            .decode(text.as_bytes())
            .map_err(|_| HashDecodeError::Base64)?;
        Hash::from_slice(&bytes)
    }

    /// Lowercase hexadecimal (64 characters).
    pub fn to_hex(&self) -> String {
        HEXLOWER.encode(&self.0)
    }

    /// Reads 64 hexadecimal digits, either case.
    pub fn from_hex(text: &str) -> Result<Hash, HashDecodeError> {
        if text.len() != 64 {
            return Err(HashDecodeError::Length(text.len() / 2));
        }
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(text.as_bytes())
            .map_err(|_| HashDecodeError::Hex)?;
        Hash::from_slice(&bytes)
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The hash of a log entry as a leaf: SHA-256(0x00 ‖ entry).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(entry);
    Hash(h.finalize().into())
}

/// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left.0);
    h.update(right.0);
    Hash(h.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(EMPTY_ROOT.0, <[u8; 32]>::from(Sha256::digest(b"")));
    }

    #[test]
    fn base64_round_trip_and_strictness() {
        let h = leaf_hash(b"x");
        let b = h.to_base64();
        assert_eq!(b.len(), 44);
        assert_eq!(Hash::from_base64(&b), Ok(h));
        // Without padding, with a line break, URL-safe alphabet: refused.
        assert_eq!(
            Hash::from_base64(b.trim_end_matches('=')),
            Err(HashDecodeError::Base64)
        );
        assert_eq!(
            Hash::from_base64(&format!("{b}\n")),
            Err(HashDecodeError::Base64)
        );
        // Stray bits in the last significant character: not canonical.
        let mut chars: Vec<char> = b.chars().collect();
        let last = chars[42];
        let idx = BASE64
            .specification()
            .symbols
            .find(last)
            .expect("a base64 symbol");
        chars[42] = BASE64
            .specification()
            .symbols
            .chars()
            .nth(idx ^ 1)
            .expect("a base64 symbol");
        let stray: String = chars.into_iter().collect();
        assert_eq!(Hash::from_base64(&stray), Err(HashDecodeError::Base64));
        assert_eq!(Hash::from_base64("AAAA"), Err(HashDecodeError::Length(3)));
        assert!(Hash::from_base64(&"A".repeat(10_000)).is_err());
    }

    #[test]
    fn hex_round_trip() {
        let h = node_hash(&leaf_hash(b"a"), &leaf_hash(b"b"));
        assert_eq!(Hash::from_hex(&h.to_hex()), Ok(h));
        assert_eq!(Hash::from_hex(&h.to_hex().to_uppercase()), Ok(h));
        assert_eq!(Hash::from_hex("zz"), Err(HashDecodeError::Length(1)));
        assert_eq!(Hash::from_hex(&"g".repeat(64)), Err(HashDecodeError::Hex));
    }
}
