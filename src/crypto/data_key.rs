//! The random data key, its public key id, and the purpose subkeys derived
//! from it.

use core::fmt;

use data_encoding::{HEXLOWER, HEXLOWER_PERMISSIVE};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::CryptoError;

/// Length in bytes of the data key and of every subkey.
pub const KEY_LEN: usize = 32;

/// BLAKE3 `derive_key` context for the key id (see FORMAT.md).
const KEY_ID_CONTEXT: &str = "tsudoi 2026 key-id v1";
/// BLAKE3 `derive_key` contexts for the subkeys. All share the prefix
/// "tsudoi 2026 " and then differ, so no two purposes can share a context.
const FIELD_ENCRYPTION_CONTEXT: &str = "tsudoi 2026 field-encryption v1";
const AUDIT_CHAIN_CONTEXT: &str = "tsudoi 2026 audit-chain v1";
const CARD_TOKEN_CONTEXT: &str = "tsudoi 2026 card-token v1";
const BLIND_INDEX_CONTEXT_PREFIX: &str = "tsudoi 2026 blind-index ";
const BLIND_INDEX_CONTEXT_SUFFIX: &str = " v1";
/// Version-2 contexts (FORMAT.md 8.1).
const PERSONAL_CELLS_CONTEXT: &str = "tsudoi 2026 personal cells v2";
const STATISTICS_CELLS_CONTEXT: &str = "tsudoi 2026 statistics cells v2";
const APPLICATION_LINK_CONTEXT: &str = "tsudoi 2026 application-link v2";
const STAFF_ROW_CONTEXT: &str = "tsudoi 2026 staff-row v2";
const SECURITY_POLICY_CONTEXT: &str = "tsudoi 2026 security-policy v2";
const BLIND_INDEX_V2_CONTEXT_SUFFIX: &str = " v2";

/// The store's 256-bit data key.
///
/// Generated once when the store is created and only ever stored wrapped in
/// keyslots. Zeroized on drop; `Debug` shows only the [`KeyId`].
/// Deliberately not `Clone`, so copies of the key do not multiply: share it
/// by reference (or `Arc`).
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    bytes: [u8; KEY_LEN],
}

impl DataKey {
    /// Generates a new random data key.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if the operating system has no randomness.
    pub fn generate() -> Result<DataKey, CryptoError> {
        // Fill the key's own storage, so no temporary copy is left behind.
        let mut key = DataKey {
            bytes: [0u8; KEY_LEN],
        };
        getrandom::fill(&mut key.bytes).map_err(|_| CryptoError::Random)?;
        Ok(key)
    }

    /// Wraps existing key bytes (for example, just unwrapped from a keyslot).
    ///
    /// The caller's array is moved in by copy: zeroize the source if it
    /// lives on in a variable.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> DataKey {
        DataKey { bytes }
    }

    /// The raw key bytes, for wrapping into a keyslot. Crate-internal only.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// The public fingerprint of this key: the first 8 bytes of
    /// `BLAKE3-derive_key("tsudoi 2026 key-id v1", key)`.
    ///
    /// Safe to store, print and log (erasure certificates list it); it
    /// reveals nothing about the key.
    pub fn key_id(&self) -> KeyId {
        let mut derived = blake3::derive_key(KEY_ID_CONTEXT, &self.bytes);
        let mut id = [0u8; 8];
        // Take the first 8 bytes (zip stops at the shorter side).
        for (dst, src) in id.iter_mut().zip(derived.iter()) {
            *dst = *src;
        }
        derived.zeroize();
        KeyId(id)
    }

    /// Derives the subkey for one purpose with
    /// `BLAKE3-derive_key(purpose.context(), key)`.
    pub fn subkey(&self, purpose: KeyPurpose) -> SubKey {
        SubKey {
            bytes: blake3::derive_key(&purpose.context(), &self.bytes),
        }
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataKey")
            .field("key_id", &self.key_id())
            .field("bytes", &"<redacted>")
            .finish()
    }
}

/// Public 8-byte fingerprint of a [`DataKey`], written as 16 lowercase hex
/// characters.
///
/// Stored in every field blob and keyslot, so a value sealed under another
/// key is reported as such instead of as tampering.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// Parses 16 hex characters (either case).
    ///
    /// # Errors
    /// [`CryptoError::InvalidEncoding`] for any other input.
    pub fn parse(hex: &str) -> Result<KeyId, CryptoError> {
        if hex.len() != 16 {
            return Err(CryptoError::InvalidEncoding);
        }
        let mut id = [0u8; 8];
        HEXLOWER_PERMISSIVE
            .decode_mut(hex.as_bytes(), &mut id)
            .map_err(|_| CryptoError::InvalidEncoding)?;
        Ok(KeyId(id))
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// What a subkey is for. Each purpose has its own BLAKE3 context string,
/// so subkeys for different purposes are independent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPurpose {
    /// XChaCha20-Poly1305 key for field values (`FieldCipher`).
    FieldEncryption,
    /// Keyed-hash key for one blind index, named by the index
    /// (for example `"phone"`, `"card"`). `BlindIndexKey::new` checks the
    /// name is 1–32 characters of `a-z 0-9 _ -`.
    BlindIndex(&'static str),
    /// MAC key for the audit-log hash chain.
    AuditChain,
    /// Keyed-hash key for card tokens (`CardTokenKey`).
    CardToken,
    /// Version 2, of the personal key: cell encryption.
    PersonalCells,
    /// Version 2, of the statistics key: cell encryption.
    StatisticsCells,
    /// Version 2, of the personal key: one blind index.
    BlindIndexV2(&'static str),
    /// Version 2, of the personal key: application-link MACs.
    ApplicationLink,
    /// Version 2, of the audit key: staff-row MACs.
    StaffRow,
    /// Version 2, of the audit key: the security policy's MAC.
    SecurityPolicy,
}

impl KeyPurpose {
    /// The BLAKE3 `derive_key` context string for this purpose, as listed
    /// in FORMAT.md. Not secret.
    pub fn context(&self) -> String {
        match self {
            KeyPurpose::FieldEncryption => FIELD_ENCRYPTION_CONTEXT.to_owned(),
            // The name sits between a fixed prefix and suffix, so distinct
            // names always give distinct contexts.
            KeyPurpose::BlindIndex(name) => {
                format!("{BLIND_INDEX_CONTEXT_PREFIX}{name}{BLIND_INDEX_CONTEXT_SUFFIX}")
            }
            KeyPurpose::AuditChain => AUDIT_CHAIN_CONTEXT.to_owned(),
            KeyPurpose::CardToken => CARD_TOKEN_CONTEXT.to_owned(),
            KeyPurpose::PersonalCells => PERSONAL_CELLS_CONTEXT.to_owned(),
            KeyPurpose::StatisticsCells => STATISTICS_CELLS_CONTEXT.to_owned(),
            KeyPurpose::BlindIndexV2(name) => {
                format!("{BLIND_INDEX_CONTEXT_PREFIX}{name}{BLIND_INDEX_V2_CONTEXT_SUFFIX}")
            }
            KeyPurpose::ApplicationLink => APPLICATION_LINK_CONTEXT.to_owned(),
            KeyPurpose::StaffRow => STAFF_ROW_CONTEXT.to_owned(),
            KeyPurpose::SecurityPolicy => SECURITY_POLICY_CONTEXT.to_owned(),
        }
    }
}

/// A 256-bit key derived from the [`DataKey`] for one [`KeyPurpose`].
/// Zeroized on drop; `Debug` is redacted.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SubKey {
    bytes: [u8; KEY_LEN],
}

impl SubKey {
    /// Uses a whole key as a subkey (version 2 uses `A` and `C` directly).
    pub(crate) fn from_bytes(bytes: [u8; KEY_LEN]) -> SubKey {
        SubKey { bytes }
    }

    /// The subkey as a key of its own (the v1 → v2 upgrade keeps the v1
    /// audit and card subkeys as `A` and `C`).
    pub fn to_data_key(&self) -> DataKey {
        DataKey::from_bytes(self.bytes)
    }

    /// The raw subkey bytes (for example, the audit chain's MAC key).
    /// Crate-visible only, so the bytes cannot leave the application.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }
}

impl fmt::Debug for SubKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubKey(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn generate_gives_distinct_keys() {
        let a = DataKey::generate().unwrap();
        let b = DataKey::generate().unwrap();
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert_ne!(a.key_id(), b.key_id());
    }

    #[test]
    fn key_id_matches_spec() {
        let key = DataKey::from_bytes([7u8; 32]);
        let full = blake3::derive_key("tsudoi 2026 key-id v1", &[7u8; 32]);
        assert_eq!(key.key_id().0, full[..8]);
        assert_eq!(key.key_id().to_string().len(), 16);
        assert_eq!(key.key_id().to_string(), HEXLOWER.encode(&full[..8]));
    }

    #[test]
    /// Test vector printed in FORMAT.md (key bytes 0x00, 0x01, …, 0x1f).
    fn format_md_key_id_vector() {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::try_from(i).unwrap();
        }
        let id = DataKey::from_bytes(bytes).key_id();
        assert_eq!(id.to_string(), "1fc573e29e9f7c0d");
        assert_eq!(format!("{id:?}"), "KeyId(1fc573e29e9f7c0d)");
    }

    #[test]
    fn key_id_parse_round_trip() {
        let id = DataKey::generate().unwrap().key_id();
        let text = id.to_string();
        assert_eq!(KeyId::parse(&text).unwrap(), id);
        assert_eq!(KeyId::parse(&text.to_uppercase()).unwrap(), id);
        assert_eq!(KeyId::parse("abc"), Err(CryptoError::InvalidEncoding));
        assert_eq!(
            KeyId::parse("zzzzzzzzzzzzzzzz"),
            Err(CryptoError::InvalidEncoding)
        );
    }

    #[test]
    fn subkeys_are_distinct_per_purpose() {
        let key = DataKey::from_bytes([1u8; 32]);
        let purposes = [
            KeyPurpose::FieldEncryption,
            KeyPurpose::BlindIndex("phone"),
            KeyPurpose::BlindIndex("card"),
            KeyPurpose::AuditChain,
            KeyPurpose::CardToken,
            KeyPurpose::PersonalCells,
            KeyPurpose::StatisticsCells,
            KeyPurpose::BlindIndexV2("phone"),
            KeyPurpose::ApplicationLink,
            KeyPurpose::StaffRow,
            KeyPurpose::SecurityPolicy,
        ];
        for (i, a) in purposes.iter().enumerate() {
            for b in &purposes[i + 1..] {
                assert_ne!(a.context(), b.context());
                assert_ne!(key.subkey(*a).as_bytes(), key.subkey(*b).as_bytes());
            }
            // Never the data key itself.
            assert_ne!(key.subkey(*a).as_bytes(), key.as_bytes());
        }
        assert_eq!(
            KeyPurpose::BlindIndex("phone").context(),
            "tsudoi 2026 blind-index phone v1"
        );
        assert_eq!(
            key.subkey(KeyPurpose::FieldEncryption).as_bytes(),
            &blake3::derive_key("tsudoi 2026 field-encryption v1", &[1u8; 32])
        );
    }

    #[test]
    fn debug_output_is_redacted() {
        let key = DataKey::generate().unwrap();
        let hex = HEXLOWER.encode(key.as_bytes());
        let debug = format!("{key:?} {:?}", key.subkey(KeyPurpose::AuditChain));
        assert!(!debug.contains(&hex));
        assert!(!debug.contains(&format!("{:?}", key.as_bytes())));
        assert!(debug.contains("<redacted>"));
        assert!(debug.contains(&key.key_id().to_string()));

        let sub = key.subkey(KeyPurpose::FieldEncryption);
        let sub_debug = format!("{sub:?}");
        assert!(!sub_debug.contains(&HEXLOWER.encode(sub.as_bytes())));
        assert!(!sub_debug.contains(&format!("{:?}", sub.as_bytes())));
        assert_eq!(sub_debug, "SubKey(<redacted>)");
    }
}
