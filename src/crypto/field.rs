//! Randomized XChaCha20-Poly1305 encryption of single database cells.

use core::fmt;

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

use super::{CryptoError, DataKey, KeyId, KeyPurpose, SubKey, push_length_prefixed, random_bytes};

/// First byte of every field blob produced by this code.
pub const FIELD_FORMAT_VERSION: u8 = 0x01;

const KEY_ID_LEN: usize = 8;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// version (1) || key id (8) || nonce (24)
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;

/// Where a value lives; bound into its ciphertext as associated data.
///
/// Moving a blob to another table, column or row makes decryption fail.
/// `row_id` must be the row's stable UUID text (not SQLite's rowid, which
/// `VACUUM` may renumber), always in the same spelling (lowercase,
/// hyphenated): it is compared byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldAad<'a> {
    /// Table name, e.g. `"residents"`.
    pub table: &'a str,
    /// Column name, e.g. `"phone"`.
    pub column: &'a str,
    /// The row's UUID as text.
    pub row_id: &'a str,
}

impl FieldAad<'_> {
    /// The canonical AAD bytes (FORMAT.md, "Field AAD"):
    /// five items, each `u32 BE length || bytes`:
    /// version byte, table, column, row id, key id.
    fn encode(&self, key_id: &KeyId) -> Result<Vec<u8>, CryptoError> {
        // An empty name means the caller forgot to fill it in; refuse rather
        // than bind the value to "nothing".
        if self.table.is_empty() || self.column.is_empty() || self.row_id.is_empty() {
            return Err(CryptoError::InvalidAad);
        }
        let mut out = Vec::with_capacity(
            5 * 4 + 1 + self.table.len() + self.column.len() + self.row_id.len() + KEY_ID_LEN,
        );
        push_length_prefixed(&mut out, &[FIELD_FORMAT_VERSION])?;
        push_length_prefixed(&mut out, self.table.as_bytes())?;
        push_length_prefixed(&mut out, self.column.as_bytes())?;
        push_length_prefixed(&mut out, self.row_id.as_bytes())?;
        push_length_prefixed(&mut out, &key_id.0)?;
        Ok(out)
    }
}

/// Encrypts and decrypts cell values under the field subkey of a
/// [`DataKey`].
///
/// Each value gets a fresh random 192-bit nonce, so encrypting the same
/// plaintext twice gives different blobs (searching goes through blind
/// indexes instead).
pub struct FieldCipher {
    key: SubKey,
    key_id: KeyId,
}

impl FieldCipher {
    /// Derives the field subkey (`"tsudoi 2026 field-encryption v1"`) and
    /// remembers the data key's id.
    pub fn new(data_key: &DataKey) -> FieldCipher {
        FieldCipher {
            key: data_key.subkey(KeyPurpose::FieldEncryption),
            key_id: data_key.key_id(),
        }
    }

    /// The id of the data key this cipher was built from.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    fn aead(&self) -> XChaCha20Poly1305 {
        // The AEAD copies the key and wipes its copy on drop
        // (chacha20poly1305's `zeroize` feature).
        XChaCha20Poly1305::new(self.key.as_bytes().into())
    }

    /// Encrypts `plaintext` for the cell `aad`.
    ///
    /// Output: `0x01 || key_id (8) || nonce (24) || ciphertext || tag (16)`.
    ///
    /// # Errors
    /// [`CryptoError::InvalidAad`] for an empty table/column/row id,
    /// [`CryptoError::Random`] if no nonce can be drawn,
    /// [`CryptoError::TooLarge`] beyond XChaCha20's message limit.
    pub fn encrypt(&self, aad: &FieldAad<'_>, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let aad_bytes = aad.encode(&self.key_id)?;
        let nonce_bytes: [u8; NONCE_LEN] = random_bytes()?;
        let nonce = XNonce::from(nonce_bytes);

        let total_len = HEADER_LEN
            .checked_add(plaintext.len())
            .and_then(|n| n.checked_add(TAG_LEN))
            .ok_or(CryptoError::TooLarge)?;
        // The plaintext is copied into `out` and encrypted in place. `out`
        // is `Zeroizing` so an error path cannot leave plaintext on the
        // heap, and its capacity is exact so no reallocation leaves a copy
        // behind either.
        let mut out = Zeroizing::new(Vec::with_capacity(total_len));
        out.push(FIELD_FORMAT_VERSION);
        out.extend_from_slice(&self.key_id.0);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(plaintext);
        let body = out.get_mut(HEADER_LEN..).ok_or(CryptoError::TooLarge)?;
        let tag = self
            .aead()
            .encrypt_inout_detached(&nonce, &aad_bytes, body.into())
            .map_err(|_| CryptoError::TooLarge)?;
        out.extend_from_slice(&tag);
        // Success: `out` now holds only ciphertext. Move the vector out; the
        // empty one left behind is what `Zeroizing` wipes.
        Ok(core::mem::take(&mut *out))
    }

    /// Encrypts UTF-8 text; see [`FieldCipher::encrypt`].
    ///
    /// # Errors
    /// As [`FieldCipher::encrypt`].
    pub fn encrypt_str(&self, aad: &FieldAad<'_>, plaintext: &str) -> Result<Vec<u8>, CryptoError> {
        self.encrypt(aad, plaintext.as_bytes())
    }

    /// Decrypts a blob made by [`FieldCipher::encrypt`] for the same cell.
    ///
    /// # Errors
    /// - [`CryptoError::Truncated`]: shorter than header + tag (or empty);
    /// - [`CryptoError::UnsupportedVersion`]: first byte is not `0x01`;
    /// - [`CryptoError::WrongKey`]: sealed under another data key;
    /// - [`CryptoError::Authentication`]: tampered, or moved from another
    ///   table/column/row;
    /// - [`CryptoError::InvalidAad`]: empty table/column/row id.
    pub fn decrypt(
        &self,
        aad: &FieldAad<'_>,
        blob: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let (&version, rest) = blob.split_first().ok_or(CryptoError::Truncated)?;
        if version != FIELD_FORMAT_VERSION {
            return Err(CryptoError::UnsupportedVersion);
        }
        let (key_id, rest) = rest
            .split_first_chunk::<KEY_ID_LEN>()
            .ok_or(CryptoError::Truncated)?;
        let (nonce_bytes, rest) = rest
            .split_first_chunk::<NONCE_LEN>()
            .ok_or(CryptoError::Truncated)?;
        let (ciphertext, tag_bytes) = rest
            .split_last_chunk::<TAG_LEN>()
            .ok_or(CryptoError::Truncated)?;
        // The key id is public, so an ordinary comparison is fine. Checking
        // it first turns "sealed under another key" into a clear error
        // instead of a generic authentication failure.
        if *key_id != self.key_id.0 {
            return Err(CryptoError::WrongKey);
        }

        let aad_bytes = aad.encode(&self.key_id)?;
        let nonce = XNonce::from(*nonce_bytes);
        let tag = Tag::from(*tag_bytes);
        // Decrypt in a zeroizing buffer: on success it holds the plaintext.
        // (The tag is checked before anything is decrypted, so on failure
        // it still holds only ciphertext.)
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        self.aead()
            .decrypt_inout_detached(&nonce, &aad_bytes, buffer.as_mut_slice().into(), &tag)
            .map_err(|_| CryptoError::Authentication)?;
        Ok(buffer)
    }

    /// Decrypts a value that was encrypted with [`FieldCipher::encrypt_str`].
    ///
    /// # Errors
    /// As [`FieldCipher::decrypt`], plus [`CryptoError::NotText`] if the
    /// plaintext is not UTF-8.
    pub fn decrypt_string(
        &self,
        aad: &FieldAad<'_>,
        blob: &[u8],
    ) -> Result<Zeroizing<String>, CryptoError> {
        let mut bytes = self.decrypt(aad, blob)?;
        // Move (not copy) the bytes into the String.
        match String::from_utf8(core::mem::take(&mut *bytes)) {
            Ok(text) => Ok(Zeroizing::new(text)),
            Err(error) => {
                let mut bytes = error.into_bytes();
                bytes.zeroize();
                Err(CryptoError::NotText)
            }
        }
    }
}

impl fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldCipher")
            .field("key_id", &self.key_id)
            .field("key", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const ROW: &str = "3f2b8c1e-6d4a-4b7e-9a1c-2e5f8d0b7c64";
    const OTHER_ROW: &str = "9b7c2d4e-1f3a-4c5b-8d6e-7f0a1b2c3d4e";

    fn aad<'a>(table: &'a str, column: &'a str, row_id: &'a str) -> FieldAad<'a> {
        FieldAad {
            table,
            column,
            row_id,
        }
    }

    fn cipher() -> FieldCipher {
        FieldCipher::new(&DataKey::generate().unwrap())
    }

    #[test]
    fn round_trip_bytes_and_text() {
        let c = cipher();
        let a = aad("residents", "name", ROW);
        let blob = c.encrypt(&a, b"\x00\x01binary").unwrap();
        assert_eq!(c.decrypt(&a, &blob).unwrap().as_slice(), b"\x00\x01binary");

        let blob = c.encrypt_str(&a, "山田 花子").unwrap();
        assert_eq!(c.decrypt_string(&a, &blob).unwrap().as_str(), "山田 花子");

        let empty = c.encrypt(&a, b"").unwrap();
        assert_eq!(empty.len(), HEADER_LEN + TAG_LEN);
        assert!(c.decrypt(&a, &empty).unwrap().is_empty());
    }

    #[test]
    fn blob_layout() {
        let key = DataKey::generate().unwrap();
        let c = FieldCipher::new(&key);
        let blob = c.encrypt(&aad("t", "c", ROW), b"hello").unwrap();
        assert_eq!(blob.len(), 1 + 8 + 24 + 5 + 16);
        assert_eq!(blob[0], 0x01);
        assert_eq!(&blob[1..9], &key.key_id().0);
        assert!(!blob.windows(5).any(|w| w == b"hello"));
    }

    #[test]
    fn nonces_are_fresh() {
        let c = cipher();
        let a = aad("t", "c", ROW);
        assert_ne!(
            c.encrypt(&a, b"same").unwrap(),
            c.encrypt(&a, b"same").unwrap()
        );
    }

    #[test]
    fn any_single_byte_change_fails() {
        let c = cipher();
        let a = aad("residents", "phone", ROW);
        let blob = c.encrypt(&a, b"090-1234-5678").unwrap();
        for i in 0..blob.len() {
            for flip in [0x01u8, 0x80] {
                let mut bad = blob.clone();
                bad[i] ^= flip;
                let err = c.decrypt(&a, &bad).unwrap_err();
                let expected = match i {
                    0 => CryptoError::UnsupportedVersion,
                    1..=8 => CryptoError::WrongKey,
                    _ => CryptoError::Authentication,
                };
                assert_eq!(err, expected, "byte {i}");
            }
        }
    }

    #[test]
    fn truncation_and_version() {
        let c = cipher();
        let a = aad("t", "c", ROW);
        let blob = c.encrypt(&a, b"x").unwrap();
        assert_eq!(c.decrypt(&a, &[]), Err(CryptoError::Truncated));
        assert_eq!(c.decrypt(&a, &blob[..1]), Err(CryptoError::Truncated));
        assert_eq!(
            c.decrypt(&a, &blob[..HEADER_LEN + TAG_LEN - 1]),
            Err(CryptoError::Truncated)
        );
        // Dropping the last ciphertext byte keeps enough length but fails
        // authentication.
        assert_eq!(
            c.decrypt(&a, &blob[..blob.len() - 1]),
            Err(CryptoError::Authentication)
        );
        let mut v2 = blob.clone();
        v2[0] = 0x02;
        assert_eq!(c.decrypt(&a, &v2), Err(CryptoError::UnsupportedVersion));
    }

    #[test]
    fn moving_a_value_fails() {
        let c = cipher();
        let blob = c
            .encrypt(&aad("residents", "phone", ROW), b"03-1234-5678")
            .unwrap();
        for moved in [
            aad("residents", "phone", OTHER_ROW),
            aad("residents", "address", ROW),
            aad("staff", "phone", ROW),
            // Uppercase UUID is a different row id byte for byte.
            aad("residents", "phone", "3F2B8C1E-6D4A-4B7E-9A1C-2E5F8D0B7C64"),
            // Length prefixes: shifting a character between items differs.
            aad("residentsp", "hone", ROW),
        ] {
            assert_eq!(c.decrypt(&moved, &blob), Err(CryptoError::Authentication));
        }
    }

    #[test]
    fn other_data_key_is_reported() {
        let a = aad("t", "c", ROW);
        let blob = cipher().encrypt(&a, b"secret").unwrap();
        assert_eq!(cipher().decrypt(&a, &blob), Err(CryptoError::WrongKey));
    }

    #[test]
    fn same_key_bytes_reopen() {
        let bytes = [42u8; 32];
        let a = aad("t", "c", ROW);
        let blob = FieldCipher::new(&DataKey::from_bytes(bytes))
            .encrypt(&a, b"v")
            .unwrap();
        let again = FieldCipher::new(&DataKey::from_bytes(bytes));
        assert_eq!(again.decrypt(&a, &blob).unwrap().as_slice(), b"v");
    }

    #[test]
    fn empty_aad_parts_are_rejected() {
        let c = cipher();
        for bad in [aad("", "c", ROW), aad("t", "", ROW), aad("t", "c", "")] {
            assert_eq!(c.encrypt(&bad, b"x"), Err(CryptoError::InvalidAad));
        }
    }

    #[test]
    fn aad_encoding_matches_spec() {
        let key_id = KeyId([1, 2, 3, 4, 5, 6, 7, 8]);
        let bytes = aad("ab", "c", "r").encode(&key_id).unwrap();
        let expected: Vec<u8> = [
            &[0, 0, 0, 1, 0x01][..],
            &[0, 0, 0, 2, b'a', b'b'],
            &[0, 0, 0, 1, b'c'],
            &[0, 0, 0, 1, b'r'],
            &[0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8],
        ]
        .concat();
        assert_eq!(bytes, expected);
    }

    #[test]
    fn non_utf8_is_not_text() {
        let c = cipher();
        let a = aad("t", "c", ROW);
        let blob = c.encrypt(&a, &[0xff, 0xfe]).unwrap();
        assert_eq!(c.decrypt_string(&a, &blob), Err(CryptoError::NotText));
    }

    #[test]
    fn errors_are_japanese_and_carry_no_data() {
        let c = cipher();
        let a = aad("residents", "phone", ROW);
        let blob = c.encrypt(&a, b"090-1234-5678").unwrap();
        let mut bad = blob.clone();
        bad[40] ^= 1;
        let err = c.decrypt(&a, &bad).unwrap_err();
        let text = format!("{err} {err:?}");
        assert_eq!(
            err.to_string(),
            "暗号化されたデータが壊れているか、改ざんされています。"
        );
        assert!(!text.contains("090"));
        assert!(!text.contains(ROW));
        let debug = format!("{c:?}");
        assert!(debug.contains("<redacted>"));
    }
}
