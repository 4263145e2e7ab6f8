//! C2SP `signed-note` with Ed25519 keys: signing, opening (verifying) and
//! the verifier key text (`vkey`).
//!
//! A signed note is a text ending in a newline, a blank line, and one or more
//! signature lines `— <key name> <base64(key id ‖ signature)>`. The key id of
//! an Ed25519 key is the first four bytes (big-endian) of
//! SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key), and its verifier key text is
//! `<name>+<key id as 8 hex digits>+<base64(0x01 ‖ public key)>`.

use std::fmt;
use std::str::FromStr;

use data_encoding::BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The signature type byte of Ed25519 in C2SP `signed-note`.
pub const ALG_ED25519: u8 = 0x01;

/// The largest note [`open`] reads. A checkpoint is a few hundred bytes.
pub const MAX_NOTE_LEN: usize = 1 << 16;

/// The most signature lines [`open`] reads (the specification asks
/// verifiers to accept at least 16).
pub const MAX_SIGNATURES: usize = 100;

const SIG_PREFIX: &str = "— ";

/// Whether `name` may name a key: non-empty, with no Unicode space and no
/// `+` (C2SP `signed-note`).
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// The key id of an Ed25519 key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[..4],
/// big-endian.
pub fn key_id(name: &str, key: &VerifyingKey) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ALG_ED25519]);
    h.update(key.as_bytes());
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A key name that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a key name must be non-empty, without spaces or '+'")]
pub struct KeyNameError;

/// Signs notes with an Ed25519 key under a key name.
#[derive(Clone)]
pub struct Signer {
    name: String,
    id: u32,
    key: SigningKey,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret key.
        f.debug_struct("Signer")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.id))
            .finish_non_exhaustive()
    }
}

/// Why a text could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The text does not end with a newline.
    #[error("a note's text must end with a newline")]
    NoFinalNewline,
    /// The text holds an ASCII control character other than newline.
    #[error("a note's text must not hold control characters other than newline")]
    ControlCharacter,
    /// The text is longer than [`MAX_NOTE_LEN`] allows.
    #[error("the note is too long")]
    TooLong,
}

impl Signer {
    /// A signer for `key` under `name`.
    pub fn new(name: &str, key: SigningKey) -> Result<Signer, KeyNameError> {
        if !is_valid_key_name(name) {
            return Err(KeyNameError);
        }
        let id = key_id(name, &key.verifying_key());
        Ok(Signer {
            name: name.to_owned(),
            id,
            key,
        })
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id.
    pub fn key_id(&self) -> u32 {
        self.id
    }

    /// The verifier for this signer's signatures.
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// The signature line for `text`, with its final newline.
    pub fn signature_line(&self, text: &str) -> Result<String, SignError> {
        check_text(text)?;
        let sig: Signature = self.key.sign(text.as_bytes());
        let mut raw = Vec::with_capacity(4 + 64);
        raw.extend_from_slice(&self.id.to_be_bytes());
        raw.extend_from_slice(&sig.to_bytes());
        Ok(format!(
            "{SIG_PREFIX}{} {}\n",
            self.name,
            BASE64.encode(&raw)
        ))
    }

    /// The signed note: `text`, a blank line, and this signer's signature
    /// line.
    pub fn sign(&self, text: &str) -> Result<String, SignError> {
        let line = self.signature_line(text)?;
        Ok(format!("{text}\n{line}"))
    }
}

fn check_text(text: &str) -> Result<(), SignError> {
    if text.len() > MAX_NOTE_LEN {
        return Err(SignError::TooLong);
    }
    if !text.ends_with('\n') {
        return Err(SignError::NoFinalNewline);
    }
    if has_control(text) {
        return Err(SignError::ControlCharacter);
    }
    Ok(())
}

fn has_control(text: &str) -> bool {
    text.bytes().any(|b| b < 0x20 && b != b'\n')
}

/// Checks signatures made by one Ed25519 key under one key name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

/// Why a verifier key text (`vkey`) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VkeyError {
    /// The text is not `name+keyid+key`.
    #[error("a verifier key is written name+keyid+key")]
    Format,
    /// The name is empty or holds a space.
    #[error("the verifier key's name is not a valid key name")]
    Name,
    /// The key id is not 8 hexadecimal digits.
    #[error("the verifier key's id is not 8 hexadecimal digits")]
    KeyId,
    /// The key is not standard base64.
    #[error("the verifier key's key is not standard base64")]
    Base64,
    /// The key is not of the Ed25519 type (its first byte, 0x01).
    #[error("the verifier key is of signature type {0:#04x}, not Ed25519 (0x01)")]
    Algorithm(u8),
    /// The key is not 1 + 32 bytes long.
    #[error("an Ed25519 verifier key is 33 bytes, this is {0}")]
    KeyLength(usize),
    /// The key id does not match the name and key.
    #[error("the verifier key's id does not match its name and key")]
    KeyIdMismatch,
    /// The 32 bytes are not an Ed25519 public key.
    #[error("the verifier key is not a valid Ed25519 public key")]
    InvalidKey,
}

impl Verifier {
    /// The verifier for Ed25519 `key` under `name`.
    pub fn new(name: &str, key: VerifyingKey) -> Result<Verifier, KeyNameError> {
        if !is_valid_key_name(name) {
            return Err(KeyNameError);
        }
        Ok(Verifier {
            name: name.to_owned(),
            id: key_id(name, &key),
            key,
        })
    }

    /// Reads a verifier key text, `name+keyid+base64(0x01 ‖ key)`. The text
    /// must be exactly that: no surrounding spaces or newline.
    pub fn from_vkey(vkey: &str) -> Result<Verifier, VkeyError> {
        if vkey.len() > 1024 {
            return Err(VkeyError::Format);
        }
        let (name, rest) = vkey.split_once('+').ok_or(VkeyError::Format)?;
        let (hex, key64) = rest.split_once('+').ok_or(VkeyError::Format)?;
        if !is_valid_key_name(name) {
            return Err(VkeyError::Name);
        }
        if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VkeyError::KeyId);
        }
        let id = u32::from_str_radix(hex, 16).map_err(|_| VkeyError::KeyId)?;
        let raw = BASE64
            .decode(key64.as_bytes())
            .map_err(|_| VkeyError::Base64)?;
        let (&alg, key) = raw.split_first().ok_or(VkeyError::KeyLength(0))?;
        if alg != ALG_ED25519 {
            return Err(VkeyError::Algorithm(alg));
        }
        let key: [u8; 32] = key
            .try_into()
            .map_err(|_| VkeyError::KeyLength(raw.len()))?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| VkeyError::InvalidKey)?;
        if key_id(name, &key) != id {
            return Err(VkeyError::KeyIdMismatch);
        }
        Ok(Verifier {
            name: name.to_owned(),
            id,
            key,
        })
    }

    /// The verifier key text: `name+keyid+base64(0x01 ‖ key)`.
    pub fn vkey(&self) -> String {
        let mut raw = Vec::with_capacity(33);
        raw.push(ALG_ED25519);
        raw.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.id, BASE64.encode(&raw))
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id.
    pub fn key_id(&self) -> u32 {
        self.id
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &VerifyingKey {
        &self.key
    }

    fn verify(&self, text: &[u8], sig: &[u8]) -> bool {
        let Ok(sig) = Signature::from_slice(sig) else {
            return false;
        };
        self.key.verify_strict(text, &sig).is_ok()
    }
}

impl fmt::Display for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.vkey())
    }
}

impl FromStr for Verifier {
    type Err = VkeyError;

    fn from_str(s: &str) -> Result<Verifier, VkeyError> {
        Verifier::from_vkey(s)
    }
}

/// A signature line of a note: who signed (not the signature itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name.
    pub name: String,
    /// The key id.
    pub key_id: u32,
}

/// A note whose signatures were checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The text, with its final newline.
    pub text: String,
    /// The known keys whose signatures verified.
    pub verified: Vec<NoteSignature>,
    /// Signatures by keys not among the known ones (ignored, as the
    /// specification requires).
    pub unknown: Vec<NoteSignature>,
}

/// Why a signed note was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// The note is longer than [`MAX_NOTE_LEN`].
    #[error("the note is too long")]
    TooLong,
    /// The note is not valid UTF-8.
    #[error("the note is not UTF-8 text")]
    NotUtf8,
    /// The note holds an ASCII control character other than newline.
    #[error("the note holds a control character")]
    ControlCharacter,
    /// There is no blank line followed by signature lines ending in a
    /// newline.
    #[error("the note has no signature block")]
    NoSignatures,
    /// A signature line is not `— <name> <base64 of at least 5 bytes>`.
    #[error("signature line {0} is malformed")]
    MalformedSignature(usize),
    /// More than [`MAX_SIGNATURES`] signature lines.
    #[error("the note has too many signatures")]
    TooManySignatures,
    /// A known key's signature does not verify: the text was changed or the
    /// signature forged. The whole note is refused.
    #[error("the signature of key {name}+{key_id:08x} does not verify")]
    InvalidSignature {
        /// The key name.
        name: String,
        /// The key id.
        key_id: u32,
    },
    /// None of the known keys signed the note.
    #[error("the note is not signed by any known key")]
    NotSignedByKnownKey,
}

/// Opens a signed note: checks its form, and the signature of each known
/// key that signed it. Signatures by unknown keys (name and key id not
/// both matching a known verifier) are ignored; a known key's signature
/// that fails refuses the whole note; at least one known key must have
/// signed. Never panics, whatever the input.
pub fn open(msg: &[u8], known: &[Verifier]) -> Result<Note, OpenError> {
    if msg.len() > MAX_NOTE_LEN {
        return Err(OpenError::TooLong);
    }
    let msg = std::str::from_utf8(msg).map_err(|_| OpenError::NotUtf8)?;
    if has_control(msg) {
        return Err(OpenError::ControlCharacter);
    }
    let split = msg.rfind("\n\n").ok_or(OpenError::NoSignatures)?;
    let (text, sigs) = (&msg[..split + 1], &msg[split + 2..]);
    if sigs.is_empty() || !sigs.ends_with('\n') {
        return Err(OpenError::NoSignatures);
    }
    let mut note = Note {
        text: text.to_owned(),
        verified: Vec::new(),
        unknown: Vec::new(),
    };
    let lines: Vec<&str> = sigs[..sigs.len() - 1].split('\n').collect();
    if lines.len() > MAX_SIGNATURES {
        return Err(OpenError::TooManySignatures);
    }
    for (i, line) in lines.iter().enumerate() {
        let number = i + 1;
        let rest = line
            .strip_prefix(SIG_PREFIX)
            .ok_or(OpenError::MalformedSignature(number))?;
        let (name, b64) = rest
            .split_once(' ')
            .ok_or(OpenError::MalformedSignature(number))?;
        let raw = BASE64
            .decode(b64.as_bytes())
            .map_err(|_| OpenError::MalformedSignature(number))?;
        if !is_valid_key_name(name) || raw.len() < 5 {
            return Err(OpenError::MalformedSignature(number));
        }
        let key_id = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
        let who = NoteSignature {
            name: name.to_owned(),
            key_id,
        };
        match known.iter().find(|v| v.name == name && v.id == key_id) {
            None => {
                if !note.unknown.contains(&who) {
                    note.unknown.push(who);
                }
            }
            Some(v) => {
                if !v.verify(text.as_bytes(), &raw[4..]) {
                    return Err(OpenError::InvalidSignature {
                        name: who.name,
                        key_id,
                    });
                }
                if !note.verified.contains(&who) {
                    note.verified.push(who);
                }
            }
        }
    }
    if note.verified.is_empty() {
        return Err(OpenError::NotSignedByKnownKey);
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(name: &str, seed: u8) -> Signer {
        Signer::new(name, SigningKey::from_bytes(&[seed; 32])).expect("a valid name")
    }

    #[test]
    fn key_names() {
        assert!(is_valid_key_name("tsudoi.example/shinjuku-1"));
        assert!(is_valid_key_name("新宿"));
        for bad in ["", "a b", "a+b", "a\tb", "a\u{3000}b", "a\u{a0}b", "a\nb"] {
            assert!(!is_valid_key_name(bad), "{bad:?}");
        }
        assert_eq!(
            Signer::new("a b", SigningKey::from_bytes(&[1; 32])).err(),
            Some(KeyNameError)
        );
    }

    #[test]
    fn vkey_round_trip() {
        let v = signer("example.com/a", 7).verifier();
        let text = v.vkey();
        assert!(text.starts_with(&format!("example.com/a+{:08x}+", v.key_id())));
        assert_eq!(Verifier::from_vkey(&text), Ok(v.clone()));
        assert_eq!(text.parse::<Verifier>(), Ok(v));
    }

    #[test]
    fn sign_refuses_bad_text() {
        let s = signer("a", 1);
        assert_eq!(s.sign("no newline"), Err(SignError::NoFinalNewline));
        assert_eq!(s.sign("bell\u{7}\n"), Err(SignError::ControlCharacter));
        assert_eq!(s.sign("cr\r\n"), Err(SignError::ControlCharacter));
        assert_eq!(
            s.sign(&format!("{}\n", "x".repeat(MAX_NOTE_LEN))),
            Err(SignError::TooLong)
        );
    }

    #[test]
    fn debug_hides_the_secret_key() {
        let s = signer("a", 9);
        let debug = format!("{s:?}");
        assert!(!debug.contains(&format!("{:?}", [9u8; 32])));
        assert!(!debug.contains("0909"));
    }
}
