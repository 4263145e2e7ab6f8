//! Blind indexes (truncated keyed hashes for equality search) and card
//! tokens (full keyed hashes of card UIDs).
//!
//! A blind index is deliberately lossy: with `L` stored bits and `R` rows,
//! each index value matches about `C = R / 2^L` rows. Keep
//! `2 <= C < sqrt(R)` (CipherSweet's rule): at least two rows per value, so
//! the index alone does not single out a resident, and few enough that the
//! candidates can be decrypted and compared exactly. For 10,000 rows that is
//! about 12 bits, the default. The bit count is a property of the store:
//! record it with the store (and reindex when changing it), since values
//! computed with different bit counts do not match.

use core::fmt;

use data_encoding::{HEXLOWER, HEXLOWER_PERMISSIVE};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{CryptoError, DataKey, KeyPurpose, SubKey};

/// Default number of index bits (about right for 10,000 rows).
pub const DEFAULT_INDEX_BITS: u8 = 12;
/// Fewest index bits accepted.
pub const MIN_INDEX_BITS: u8 = 1;
/// Most index bits accepted (the whole `u32`).
pub const MAX_INDEX_BITS: u8 = 32;

/// Longest accepted blind index name.
const MAX_NAME_LEN: usize = 32;

/// Checks that `bits` is in `1..=32`; use when loading a store's setting.
///
/// # Errors
/// [`CryptoError::InvalidEncoding`] outside that range.
pub fn check_index_bits(bits: u8) -> Result<u8, CryptoError> {
    if (MIN_INDEX_BITS..=MAX_INDEX_BITS).contains(&bits) {
        Ok(bits)
    } else {
        Err(CryptoError::InvalidEncoding)
    }
}

/// Suggests index bits `L` for an expected row count `R`: the largest `L`
/// with `C = R / 2^L >= 2`, which gives `2 <= C < 4`, and so `C < sqrt(R)`
/// once `R >= 16`. Below 4 rows it returns 1 (no setting satisfies the rule
/// there). Examples: 10,000 rows → 12; 1,000 → 8; 100,000 → 15.
pub fn suggested_index_bits(expected_rows: u64) -> u8 {
    let half = expected_rows / 2;
    if half < 2 {
        return MIN_INDEX_BITS;
    }
    // ilog2 of a u64 is at most 63; clamp into 1..=32.
    let bits = half
        .ilog2()
        .clamp(u32::from(MIN_INDEX_BITS), u32::from(MAX_INDEX_BITS));
    u8::try_from(bits).unwrap_or(MAX_INDEX_BITS)
}

/// Key for one named blind index (e.g. `"phone"`), derived from the data
/// key with the context `"tsudoi 2026 blind-index <name> v1"`.
///
/// Each index has its own key, so equal values in two indexes do not give
/// related index values.
pub struct BlindIndexKey {
    name: &'static str,
    key: SubKey,
}

impl BlindIndexKey {
    /// Derives the key for the index `name`.
    ///
    /// # Errors
    /// [`CryptoError::InvalidEncoding`] unless `name` is 1–32 characters of
    /// `a-z`, `0-9`, `_`, `-` (so it is safe inside the context string and
    /// in logs).
    pub fn new(data_key: &DataKey, name: &'static str) -> Result<BlindIndexKey, CryptoError> {
        Self::with_purpose(data_key, name, KeyPurpose::BlindIndex(name))
    }

    /// Version 2: the index key `name` of the personal key
    /// (`"tsudoi 2026 blind-index <name> v2"`).
    ///
    /// # Errors
    /// As [`BlindIndexKey::new`].
    pub fn new_v2(
        personal_key: &DataKey,
        name: &'static str,
    ) -> Result<BlindIndexKey, CryptoError> {
        Self::with_purpose(personal_key, name, KeyPurpose::BlindIndexV2(name))
    }

    fn with_purpose(
        data_key: &DataKey,
        name: &'static str,
        purpose: KeyPurpose,
    ) -> Result<BlindIndexKey, CryptoError> {
        let valid = !name.is_empty()
            && name.len() <= MAX_NAME_LEN
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !valid {
            return Err(CryptoError::InvalidEncoding);
        }
        Ok(BlindIndexKey {
            name,
            key: data_key.subkey(purpose),
        })
    }

    /// The index name this key was derived for.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The index value of an already normalized value (the caller
    /// normalizes: e.g. digits only for phone numbers, NFKC for names).
    ///
    /// `BLAKE3-keyed(subkey, u64_be(len(value)) || value)`, first 4 bytes
    /// read big-endian, shifted right to keep the top `bits` bits. The
    /// result is in `0..2^bits`. `bits` outside `1..=32` is clamped into
    /// that range (validate the store's setting with [`check_index_bits`]).
    pub fn index(&self, normalized_value: &[u8], bits: u8) -> u32 {
        let bits = bits.clamp(MIN_INDEX_BITS, MAX_INDEX_BITS);
        let mut hasher = blake3::Hasher::new_keyed(self.key.as_bytes());
        // usize always fits in u64 on the platforms we build for.
        let len = u64::try_from(normalized_value.len()).unwrap_or(u64::MAX);
        hasher.update(&len.to_be_bytes());
        hasher.update(normalized_value);
        let hash = hasher.finalize();
        // The keyed hasher's state is derived from the key: wipe it.
        hasher.zeroize();
        let mut first = [0u8; 4];
        for (dst, src) in first.iter_mut().zip(hash.as_bytes().iter()) {
            *dst = *src;
        }
        let full = u32::from_be_bytes(first);
        // `bits` is 1..=32, so the shift is 0..=31 and cannot overflow.
        full >> (32 - u32::from(bits))
    }
}

impl fmt::Debug for BlindIndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlindIndexKey")
            .field("name", &self.name)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// Key for card tokens, derived with the context
/// `"tsudoi 2026 card-token v1"`.
pub struct CardTokenKey {
    key: SubKey,
}

impl CardTokenKey {
    /// Derives the card token key from the data key.
    pub fn new(data_key: &DataKey) -> CardTokenKey {
        CardTokenKey {
            key: data_key.subkey(KeyPurpose::CardToken),
        }
    }

    /// Version 2: the card-token key `C` is used as it is (FORMAT.md 8.1).
    pub fn from_card_key(card_key: &DataKey) -> CardTokenKey {
        CardTokenKey {
            key: SubKey::from_bytes(*card_key.as_bytes()),
        }
    }

    /// The token for a card: the full 32-byte
    /// `BLAKE3-keyed(subkey, u64_be(len(tech)) || tech || u64_be(len(uid)) || uid)`.
    ///
    /// `technology` names the card type (e.g. `"felica-idm"`,
    /// `"iso14443a-uid"`), so equal UID bytes from two technologies give
    /// different tokens. Store and compare tokens; the raw UID need never
    /// be stored. Tokens change if the data key changes.
    pub fn token(&self, raw_uid: &[u8], technology: &str) -> CardToken {
        let mut hasher = blake3::Hasher::new_keyed(self.key.as_bytes());
        let tech_len = u64::try_from(technology.len()).unwrap_or(u64::MAX);
        let uid_len = u64::try_from(raw_uid.len()).unwrap_or(u64::MAX);
        hasher.update(&tech_len.to_be_bytes());
        hasher.update(technology.as_bytes());
        hasher.update(&uid_len.to_be_bytes());
        hasher.update(raw_uid);
        let token = CardToken(*hasher.finalize().as_bytes());
        hasher.zeroize();
        token
    }
}

impl fmt::Debug for CardTokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardTokenKey(<redacted>)")
    }
}

/// A 32-byte card token (see [`CardTokenKey::token`]).
///
/// Not a key, but it identifies a resident's card, so it is treated like
/// one: zeroized on drop, redacted in `Debug`, compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct CardToken(pub [u8; 32]);

impl CardToken {
    /// 64 lowercase hex characters, for storing in a TEXT column.
    pub fn to_hex(&self) -> String {
        HEXLOWER.encode(&self.0)
    }

    /// Parses 64 hex characters (either case).
    ///
    /// # Errors
    /// [`CryptoError::InvalidEncoding`] for any other input.
    pub fn from_hex(hex: &str) -> Result<CardToken, CryptoError> {
        if hex.len() != 64 {
            return Err(CryptoError::InvalidEncoding);
        }
        let mut token = CardToken([0u8; 32]);
        HEXLOWER_PERMISSIVE
            .decode_mut(hex.as_bytes(), &mut token.0)
            .map_err(|_| CryptoError::InvalidEncoding)?;
        Ok(token)
    }
}

impl PartialEq for CardToken {
    fn eq(&self, other: &CardToken) -> bool {
        // blake3::Hash compares in constant time.
        blake3::Hash::from_bytes(self.0) == blake3::Hash::from_bytes(other.0)
    }
}

impl Eq for CardToken {}

impl fmt::Debug for CardToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardToken(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn key() -> DataKey {
        DataKey::generate().unwrap()
    }

    #[test]
    fn index_is_deterministic() {
        let k = key();
        let a = BlindIndexKey::new(&k, "phone").unwrap();
        let b = BlindIndexKey::new(&k, "phone").unwrap();
        assert_eq!(a.index(b"0312345678", 12), b.index(b"0312345678", 12));
        assert_eq!(a.name(), "phone");
    }

    #[test]
    fn index_matches_spec() {
        let k = DataKey::from_bytes([9u8; 32]);
        let idx = BlindIndexKey::new(&k, "phone").unwrap();
        let subkey = blake3::derive_key("tsudoi 2026 blind-index phone v1", &[9u8; 32]);
        let mut input = 3u64.to_be_bytes().to_vec();
        input.extend_from_slice(b"abc");
        let hash = blake3::keyed_hash(&subkey, &input);
        let full = u32::from_be_bytes(hash.as_bytes()[..4].try_into().unwrap());
        assert_eq!(idx.index(b"abc", 32), full);
        assert_eq!(idx.index(b"abc", 12), full >> 20);
        assert_eq!(idx.index(b"abc", 1), full >> 31);
    }

    #[test]
    fn different_keys_and_names_differ() {
        // With 32 bits a collision between two keys is ~2^-32 per value;
        // checking several values makes a false failure negligible.
        let values: [&[u8]; 4] = [b"0312345678", b"09011112222", b"a", b""];
        let a = BlindIndexKey::new(&key(), "phone").unwrap();
        let b = BlindIndexKey::new(&key(), "phone").unwrap();
        let k = key();
        let c1 = BlindIndexKey::new(&k, "phone").unwrap();
        let c2 = BlindIndexKey::new(&k, "card").unwrap();
        let ab: Vec<u32> = values.iter().map(|v| a.index(v, 32)).collect();
        let bb: Vec<u32> = values.iter().map(|v| b.index(v, 32)).collect();
        let c1b: Vec<u32> = values.iter().map(|v| c1.index(v, 32)).collect();
        let c2b: Vec<u32> = values.iter().map(|v| c2.index(v, 32)).collect();
        assert_ne!(ab, bb);
        assert_ne!(c1b, c2b);
    }

    #[test]
    fn truncation_range() {
        let idx = BlindIndexKey::new(&key(), "phone").unwrap();
        for bits in 1..=32u8 {
            for i in 0..50u32 {
                let v = idx.index(&i.to_be_bytes(), bits);
                assert!(u64::from(v) < (1u64 << bits), "bits {bits}");
            }
        }
        // Clamping of out-of-range settings.
        assert_eq!(idx.index(b"x", 0), idx.index(b"x", 1));
        assert_eq!(idx.index(b"x", 40), idx.index(b"x", 32));
        // Smaller outputs are prefixes of the larger ones.
        assert_eq!(idx.index(b"x", 12), idx.index(b"x", 32) >> 20);
    }

    #[test]
    fn bits_validation_and_suggestion() {
        assert!(check_index_bits(0).is_err());
        assert!(check_index_bits(33).is_err());
        assert_eq!(check_index_bits(12), Ok(12));
        assert_eq!(suggested_index_bits(10_000), 12);
        assert_eq!(suggested_index_bits(1_000), 8);
        assert_eq!(suggested_index_bits(100_000), 15);
        assert_eq!(suggested_index_bits(0), 1);
        assert_eq!(suggested_index_bits(u64::MAX), 32);
        for rows in [16u64, 100, 10_000, 1_000_000] {
            let l = suggested_index_bits(rows);
            let c = rows as f64 / 2f64.powi(i32::from(l));
            assert!(c >= 2.0 && c < (rows as f64).sqrt(), "rows {rows}");
        }
    }

    #[test]
    fn names_are_validated() {
        let k = key();
        for bad in [
            "",
            "Phone",
            "phone v1",
            "電話",
            "a234567890123456789012345678901234",
        ] {
            assert!(BlindIndexKey::new(&k, bad).is_err(), "{bad}");
        }
        assert!(BlindIndexKey::new(&k, "card_uid-2").is_ok());
    }

    #[test]
    fn card_tokens() {
        let k = key();
        let tk = CardTokenKey::new(&k);
        let uid = [0x01, 0x2e, 0x4c, 0x11, 0x22, 0x33, 0x44, 0x55];
        let t1 = tk.token(&uid, "felica-idm");
        assert_eq!(t1, tk.token(&uid, "felica-idm"));
        assert_ne!(t1, tk.token(&uid, "iso14443a-uid"));
        assert_ne!(t1, CardTokenKey::new(&key()).token(&uid, "felica-idm"));
        // Length prefixes: moving bytes between technology and uid differs.
        assert_ne!(tk.token(b"ab", "x"), tk.token(b"b", "xa"));

        let hex = t1.to_hex();
        assert_eq!(hex.len(), 64);
        assert_eq!(CardToken::from_hex(&hex).unwrap(), t1);
        assert_eq!(CardToken::from_hex(&hex.to_uppercase()).unwrap(), t1);
        assert!(CardToken::from_hex("00").is_err());
        assert!(CardToken::from_hex(&"g".repeat(64)).is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let k = key();
        let t = CardTokenKey::new(&k).token(b"\x01\x02", "felica-idm");
        let debug = format!("{t:?}");
        assert!(!debug.contains(&t.to_hex()));
        assert!(!debug.contains(&format!("{:?}", t.0)));
        assert_eq!(debug, "CardToken(<redacted>)");
        let idx = BlindIndexKey::new(&k, "phone").unwrap();
        let debug = format!("{idx:?} {:?}", CardTokenKey::new(&k));
        assert!(!debug.contains(&HEXLOWER.encode(idx.key.as_bytes())));
        assert!(debug.contains("<redacted>"));
    }
}
