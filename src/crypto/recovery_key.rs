//! The printed recovery key: 256 random bits kept sealed by the ward.

use core::fmt;

use data_encoding::BASE32_NOPAD;
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::ErrorKind;

/// BLAKE3 `derive_key` context for the 2-byte checksum.
const CHECKSUM_CONTEXT: &str = "tsudoi 2026 recovery-checksum v1";
const KEY_LEN: usize = 32;
const CHECKSUM_LEN: usize = 2;
/// key (32) || checksum (2)
const PAYLOAD_LEN: usize = KEY_LEN + CHECKSUM_LEN;
/// ceil(34 * 8 / 5) = 55 base32 characters (272 bits = 54 * 5 + 2).
const ENCODED_LEN: usize = 55;
const GROUP_LEN: usize = 4;
/// 55 characters in 14 groups (13 of 4, the last of 3) with 13 hyphens.
const DISPLAY_LEN: usize = ENCODED_LEN + ENCODED_LEN.div_ceil(GROUP_LEN) - 1;

/// Errors from [`RecoveryKey::parse`] and [`RecoveryKey::generate`].
/// `Display` is a short Japanese message for staff; no variant says which
/// character or where, since those are part of the secret, and none
/// carries the text typed, so `Debug` holds nothing of the key either.
/// A malformed key is the typist's to correct; it says nothing about the
/// store's key (the checksum is inside the printed text). A well-formed
/// key that is not this store's is the caller's answer, not this type's.
/// Its kind ([`RecoveryKeyError::kind`]) is the command line's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RecoveryKeyError {
    /// A character outside the base32 alphabet (after the tolerated
    /// mappings) was typed. Invalid input (exit 2).
    #[error("回復キーに使えない文字が含まれています。A〜Z と 2〜7 で入力してください。")]
    InvalidCharacter,
    /// Not exactly 55 base32 characters. Invalid input (exit 2).
    #[error("回復キーの文字数が正しくありません。もう一度確認してください。")]
    InvalidLength,
    /// The checksum does not match: a typo. Invalid input (exit 2).
    #[error("回復キーの入力に誤りがあります。もう一度確認してください。")]
    Checksum,
    /// The operating system could not provide random bytes (making a new
    /// key). Other (exit 1).
    #[error("乱数を生成できませんでした。端末を再起動してください。")]
    Random,
}

impl RecoveryKeyError {
    /// A key typed wrong is [`ErrorKind::InvalidInput`] (exit 2); no
    /// randomness is [`ErrorKind::Other`] (exit 1).
    pub fn kind(&self) -> ErrorKind {
        match self {
            RecoveryKeyError::InvalidCharacter
            | RecoveryKeyError::InvalidLength
            | RecoveryKeyError::Checksum => ErrorKind::InvalidInput,
            RecoveryKeyError::Random => ErrorKind::Other,
        }
    }
}

/// A 256-bit recovery key, printed once as base32 with a checksum.
/// Zeroized on drop; `Debug` is redacted.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct RecoveryKey {
    bytes: [u8; KEY_LEN],
}

impl RecoveryKey {
    /// Generates a new random recovery key.
    ///
    /// # Errors
    /// [`RecoveryKeyError::Random`] if the operating system has no randomness.
    pub fn generate() -> Result<RecoveryKey, RecoveryKeyError> {
        let mut key = RecoveryKey {
            bytes: [0u8; KEY_LEN],
        };
        getrandom::fill(&mut key.bytes).map_err(|_| RecoveryKeyError::Random)?;
        Ok(key)
    }

    /// The raw key bytes, for the recovery keyslot. Crate-internal only.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    fn checksum(key: &[u8; KEY_LEN]) -> [u8; CHECKSUM_LEN] {
        let mut derived = blake3::derive_key(CHECKSUM_CONTEXT, key);
        let checksum = [derived[0], derived[1]];
        derived.zeroize();
        checksum
    }

    /// The text to print: base32 (RFC 4648 alphabet `A-Z2-7`, no padding)
    /// of `key || checksum`, in groups of 4 joined by `-`; 14 groups, the
    /// last of 3 characters, 68 characters in all.
    pub fn to_display(&self) -> Zeroizing<String> {
        let mut payload = Zeroizing::new([0u8; PAYLOAD_LEN]);
        let (key_part, checksum_part) = payload.split_at_mut(KEY_LEN);
        key_part.copy_from_slice(&self.bytes);
        checksum_part.copy_from_slice(&Self::checksum(&self.bytes));

        let mut encoded = Zeroizing::new([0u8; ENCODED_LEN]);
        BASE32_NOPAD.encode_mut(&payload[..], &mut encoded[..]);

        // Exact capacity: pushing never reallocates, so no copy of the key
        // text is left in freed memory.
        let mut text = Zeroizing::new(String::with_capacity(DISPLAY_LEN));
        for (i, &c) in encoded.iter().enumerate() {
            if i > 0 && i % GROUP_LEN == 0 {
                text.push('-');
            }
            text.push(char::from(c));
        }
        text
    }

    /// Parses a typed recovery key.
    ///
    /// Tolerated: lowercase; spaces (also the ideographic space) and
    /// hyphens anywhere or missing (also `‐ ‑ ‒ – — ― − ー ｰ`);
    /// full-width letters and digits (`ＡＢ２３`); and the digits `0` and
    /// `1`, which are not in the base32 alphabet and are read as the letters
    /// `O` and `I` they are mistaken for. The checksum then catches any
    /// wrong guess.
    ///
    /// # Errors
    /// [`RecoveryKeyError::InvalidCharacter`], [`RecoveryKeyError::InvalidLength`],
    /// or [`RecoveryKeyError::Checksum`] for a typo.
    pub fn parse(text: &str) -> Result<RecoveryKey, RecoveryKeyError> {
        let mut encoded = Zeroizing::new([0u8; ENCODED_LEN]);
        let mut count = 0usize;
        for c in text.chars() {
            let Some(c) = normalize_char(c)? else {
                continue;
            };
            // Keep counting past 55 to report a wrong length, but store
            // only what fits.
            if let Some(slot) = encoded.get_mut(count) {
                *slot = c;
            }
            count = count.saturating_add(1);
        }
        if count != ENCODED_LEN {
            return Err(RecoveryKeyError::InvalidLength);
        }

        let mut payload = Zeroizing::new([0u8; PAYLOAD_LEN]);
        // Fails only if the unused low bits of the last character are not
        // zero, i.e. the last character was mistyped.
        BASE32_NOPAD
            .decode_mut(&encoded[..], &mut payload[..])
            .map_err(|_| RecoveryKeyError::Checksum)?;

        let mut key = RecoveryKey {
            bytes: [0u8; KEY_LEN],
        };
        let (key_part, checksum_part) = payload.split_at(KEY_LEN);
        key.bytes.copy_from_slice(key_part);
        if Self::checksum(&key.bytes) != checksum_part {
            return Err(RecoveryKeyError::Checksum);
        }
        Ok(key)
    }
}

/// Maps one typed character to a base32 alphabet byte, `None` for a
/// separator to skip, or an error.
fn normalize_char(c: char) -> Result<Option<u8>, RecoveryKeyError> {
    // Full-width ASCII (U+FF01..U+FF5E) to ASCII, as a Japanese IME types it.
    let c = match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_whitespace() {
        return Ok(None);
    }
    match c {
        // Hyphen-minus and the dashes an IME may produce instead.
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => Ok(None),
        '0' => Ok(Some(b'O')),
        '1' => Ok(Some(b'I')),
        'A'..='Z' | '2'..='7' => Ok(Some(c as u8)),
        'a'..='z' => Ok(Some(c.to_ascii_uppercase() as u8)),
        _ => Err(RecoveryKeyError::InvalidCharacter),
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use data_encoding::HEXLOWER;

    #[test]
    fn display_shape() {
        let key = RecoveryKey::generate().unwrap();
        let text = key.to_display();
        assert_eq!(text.len(), DISPLAY_LEN);
        assert_eq!(DISPLAY_LEN, 68);
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(groups.len(), 14);
        assert!(groups[..13].iter().all(|g| g.len() == 4));
        assert_eq!(groups[13].len(), 3);
        assert!(
            text.chars()
                .all(|c| c == '-' || c.is_ascii_uppercase() || ('2'..='7').contains(&c))
        );
    }

    #[test]
    fn round_trip() {
        for _ in 0..20 {
            let key = RecoveryKey::generate().unwrap();
            let parsed = RecoveryKey::parse(&key.to_display()).unwrap();
            assert_eq!(parsed.as_bytes(), key.as_bytes());
        }
    }

    #[test]
    fn tolerant_input() {
        let key = RecoveryKey::generate().unwrap();
        let text = key.to_display();
        let plain: String = text.chars().filter(|&c| c != '-').collect();
        let fullwidth: String = text
            .chars()
            .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap())
            .collect();
        let variants = [
            text.to_lowercase(),
            plain.clone(),
            text.replace('-', " "),
            text.replace('-', "--"),
            format!("  {}  ", text.replace('-', "　")),
            plain
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 7 == 6 {
                        format!("{c}-")
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
            fullwidth,
            text.replace('-', "ー"),
        ];
        for v in &variants {
            let parsed = RecoveryKey::parse(v).unwrap_or_else(|e| panic!("{v}: {e}"));
            assert_eq!(parsed.as_bytes(), key.as_bytes());
        }
    }

    #[test]
    fn zero_and_one_read_as_o_and_i() {
        // Find a key whose text has an O or I, then type it as 0 or 1.
        loop {
            let key = RecoveryKey::generate().unwrap();
            let text = key.to_display();
            if text.contains('O') || text.contains('I') {
                let typed = text.replace('O', "0").replace('I', "1");
                assert_eq!(
                    RecoveryKey::parse(&typed).unwrap().as_bytes(),
                    key.as_bytes()
                );
                break;
            }
        }
    }

    #[test]
    fn typos_are_detected() {
        let key = RecoveryKey::generate().unwrap();
        let text = key.to_display();
        let chars: Vec<char> = text.chars().collect();
        let mut detected = 0;
        let mut tried = 0;
        for i in 0..chars.len() {
            if chars[i] == '-' {
                continue;
            }
            let mut typo = chars.clone();
            typo[i] = if chars[i] == 'A' { 'B' } else { 'A' };
            let typo: String = typo.into_iter().collect();
            tried += 1;
            match RecoveryKey::parse(&typo) {
                Err(RecoveryKeyError::Checksum) => detected += 1,
                Err(other) => panic!("unexpected {other:?}"),
                Ok(_) => {}
            }
        }
        // A 16-bit checksum misses a random typo with probability 2^-16.
        assert!(detected >= tried - 1, "{detected}/{tried}");

        let swapped = {
            let mut c = chars.clone();
            let (a, b) = (0, 1);
            if c[a] != c[b] {
                c.swap(a, b);
            } else {
                c[a] = if c[a] == 'Z' { 'Y' } else { 'Z' };
            }
            c.into_iter().collect::<String>()
        };
        assert_eq!(
            RecoveryKey::parse(&swapped).unwrap_err(),
            RecoveryKeyError::Checksum
        );
        assert_eq!(
            RecoveryKeyError::Checksum.to_string(),
            "回復キーの入力に誤りがあります。もう一度確認してください。"
        );
    }

    #[test]
    fn wrong_length_and_characters() {
        let key = RecoveryKey::generate().unwrap();
        let text = key.to_display();
        assert_eq!(
            RecoveryKey::parse(&text[..text.len() - 1]).unwrap_err(),
            RecoveryKeyError::InvalidLength
        );
        assert_eq!(
            RecoveryKey::parse(&format!("{}A", &*text)).unwrap_err(),
            RecoveryKeyError::InvalidLength
        );
        assert_eq!(
            RecoveryKey::parse("").unwrap_err(),
            RecoveryKeyError::InvalidLength
        );
        let mut bad = text.to_string();
        bad.replace_range(0..1, "8");
        assert_eq!(
            RecoveryKey::parse(&bad).unwrap_err(),
            RecoveryKeyError::InvalidCharacter
        );
        bad.replace_range(0..1, "あ");
        assert_eq!(
            RecoveryKey::parse(&bad).unwrap_err(),
            RecoveryKeyError::InvalidCharacter
        );
    }

    /// Test vector printed in FORMAT.md (key bytes 0x00, 0x01, …, 0x1f).
    #[test]
    fn format_md_vector() {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::try_from(i).unwrap();
        }
        let key = RecoveryKey { bytes };
        let text = "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYPQ-RUA";
        assert_eq!(key.to_display().as_str(), text);
        assert_eq!(RecoveryKey::parse(text).unwrap().as_bytes(), &bytes);
    }

    #[test]
    fn debug_is_redacted() {
        let key = RecoveryKey::generate().unwrap();
        let debug = format!("{key:?}");
        assert_eq!(debug, "RecoveryKey(<redacted>)");
        assert!(!debug.contains(&HEXLOWER.encode(key.as_bytes())));
        let display = key.to_display();
        assert!(!debug.contains(&display[..9]));
    }
}
