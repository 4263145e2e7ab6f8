//! Version 2 of the store format (FORMAT.md, section 8): one key per kind of
//! data, X25519 identities, grants that give each role only its keys, cells
//! bound to their row's revision and links, and MACs over staff rows and
//! application links.

use core::fmt;

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

use super::{
    CryptoError, DataKey, KEY_LEN, KeyId, KeyPurpose, RecoveryKey, SubKey, push_length_prefixed,
    random_bytes,
};

/// First byte of every version-2 cell and grant, first item of every v2 AAD.
pub const FORMAT_V2: u8 = 0x02;

const KEY_ID_LEN: usize = 8;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const CELL_HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;
const GRANT_HEADER_LEN: usize = 1 + 1 + 32 + NONCE_LEN;
const GRANT_CONTEXT: &str = "tsudoi 2026 grant v2";
const RECOVERY_IDENTITY_CONTEXT: &str = "tsudoi 2026 recovery-identity v2";

/// The kinds of key (FORMAT.md 8.1), in bit order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `P`: names, kana, phones, postal codes, addresses, document kinds,
    /// card token cells, blind indexes, application links.
    Personal,
    /// `S`: birth dates and towns.
    Statistics,
    /// `A`: the audit chain and staff-row MACs.
    Audit,
    /// `C`: card tokens.
    Card,
    /// `D`: the device's Ed25519 signing seed.
    Device,
}

impl KeyKind {
    /// Every kind, in increasing bit order (the order keys are wrapped in).
    pub const ALL: [KeyKind; 5] = [
        KeyKind::Personal,
        KeyKind::Statistics,
        KeyKind::Audit,
        KeyKind::Card,
        KeyKind::Device,
    ];

    /// The kind's bit in a mask.
    pub fn bit(self) -> u8 {
        match self {
            KeyKind::Personal => 0x01,
            KeyKind::Statistics => 0x02,
            KeyKind::Audit => 0x04,
            KeyKind::Card => 0x08,
            KeyKind::Device => 0x10,
        }
    }

    /// The `meta` key holding this kind's current key id.
    pub fn meta_key(self) -> &'static str {
        match self {
            KeyKind::Personal => "key_id_personal",
            KeyKind::Statistics => "key_id_statistics",
            KeyKind::Audit => "key_id_audit",
            KeyKind::Card => "key_id_card",
            KeyKind::Device => "key_id_device",
        }
    }

    fn index(self) -> usize {
        match self {
            KeyKind::Personal => 0,
            KeyKind::Statistics => 1,
            KeyKind::Audit => 2,
            KeyKind::Card => 3,
            KeyKind::Device => 4,
        }
    }
}

/// Every bit a mask may have.
pub const ALL_KEYS: u8 = 0x1f;

/// The keys a role receives (FORMAT.md 8.1): `manager` and `recovery` all,
/// `handler` all but the device key, `operator` statistics, audit and device.
pub fn role_mask(role: &str) -> Option<u8> {
    match role {
        "manager" | "recovery" => Some(ALL_KEYS),
        "handler" => Some(0x0f),
        "operator" => Some(0x16),
        _ => None,
    }
}

/// Some or all of the five keys. Zeroized on drop (each [`DataKey`] is).
#[derive(Default)]
pub struct KeyBundle {
    keys: [Option<DataKey>; 5],
}

impl KeyBundle {
    /// Five fresh random keys.
    ///
    /// # Errors
    /// [`CryptoError::Random`].
    pub fn generate() -> Result<KeyBundle, CryptoError> {
        let mut bundle = KeyBundle::default();
        for kind in KeyKind::ALL {
            bundle.set(kind, DataKey::generate()?);
        }
        Ok(bundle)
    }

    /// Puts (or replaces) one key.
    pub fn set(&mut self, kind: KeyKind, key: DataKey) {
        if let Some(slot) = self.keys.get_mut(kind.index()) {
            *slot = Some(key);
        }
    }

    /// One key, if held.
    pub fn get(&self, kind: KeyKind) -> Option<&DataKey> {
        self.keys.get(kind.index()).and_then(Option::as_ref)
    }

    /// The bits of the keys held.
    pub fn mask(&self) -> u8 {
        KeyKind::ALL
            .iter()
            .filter(|k| self.get(**k).is_some())
            .fold(0, |m, k| m | k.bit())
    }

    /// A copy holding only the kinds in `mask`.
    ///
    /// # Errors
    /// [`CryptoError::InvalidEncoding`] if a kind in `mask` is not held.
    pub fn restrict(&self, mask: u8) -> Result<KeyBundle, CryptoError> {
        if mask & !ALL_KEYS != 0 {
            return Err(CryptoError::InvalidEncoding);
        }
        let mut out = KeyBundle::default();
        for kind in KeyKind::ALL.into_iter().filter(|k| mask & k.bit() != 0) {
            let key = self.get(kind).ok_or(CryptoError::InvalidEncoding)?;
            out.set(kind, DataKey::from_bytes(*key.as_bytes()));
        }
        Ok(out)
    }

    /// Adds the keys `other` holds and this bundle does not.
    pub fn merge_missing(&mut self, other: &KeyBundle) {
        for kind in KeyKind::ALL {
            if self.get(kind).is_none()
                && let Some(key) = other.get(kind)
            {
                self.set(kind, DataKey::from_bytes(*key.as_bytes()));
            }
        }
    }

    /// The key ids of the keys held, indexed like [`KeyKind::ALL`].
    pub fn key_ids(&self) -> [Option<KeyId>; 5] {
        let mut ids = [None; 5];
        for kind in KeyKind::ALL {
            if let Some(slot) = ids.get_mut(kind.index()) {
                *slot = self.get(kind).map(DataKey::key_id);
            }
        }
        ids
    }
}

impl fmt::Debug for KeyBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyBundle(mask {:#04x}, <redacted>)", self.mask())
    }
}

/// An X25519 identity: a staff member's (wrapped in their password slot) or
/// the recovery key's (derived from it).
pub struct Identity {
    secret: DataKey,
}

impl Identity {
    /// A fresh random identity.
    ///
    /// # Errors
    /// [`CryptoError::Random`].
    pub fn generate() -> Result<Identity, CryptoError> {
        Ok(Identity {
            secret: DataKey::generate()?,
        })
    }

    /// The identity a password slot wrapped (the slot holds it as a 32-byte key).
    pub fn from_slot_key(key: DataKey) -> Identity {
        Identity { secret: key }
    }

    /// The recovery identity: `BLAKE3-derive_key("tsudoi 2026 recovery-identity v2", R)`.
    pub fn from_recovery(recovery: &RecoveryKey) -> Identity {
        Identity {
            secret: DataKey::from_bytes(blake3::derive_key(
                RECOVERY_IDENTITY_CONTEXT,
                recovery.as_bytes(),
            )),
        }
    }

    /// The secret as a key, for sealing into a password slot.
    pub fn slot_key(&self) -> &DataKey {
        &self.secret
    }

    /// `X25519(I, 9)`.
    pub fn public(&self) -> [u8; 32] {
        x25519_dalek::x25519(
            *self.secret.as_bytes(),
            x25519_dalek::X25519_BASEPOINT_BYTES,
        )
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Identity(<redacted>)")
    }
}

/// The keys of one mask, sealed to one recipient's public key (FORMAT.md 8.3).
#[derive(Clone, PartialEq, Eq)]
pub struct Grant {
    /// Which keys are inside.
    pub mask: u8,
    /// The ephemeral public key `E`.
    pub ephemeral: [u8; 32],
    /// XChaCha20-Poly1305 nonce.
    pub nonce: [u8; NONCE_LEN],
    /// Wrapped keys and tag.
    pub wrapped: Vec<u8>,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grant(mask {:#04x}, <redacted>)", self.mask)
    }
}

fn grant_kek(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut hasher = blake3::Hasher::new_derive_key(GRANT_CONTEXT);
    hasher.update(shared);
    hasher.update(ephemeral);
    hasher.update(recipient);
    let kek = Zeroizing::new(*hasher.finalize().as_bytes());
    hasher.zeroize();
    kek
}

fn grant_aad(
    label: &str,
    role: &str,
    mask: u8,
    recipient: &[u8; 32],
    ids: &[KeyId],
) -> Result<Vec<u8>, CryptoError> {
    let id_bytes: Vec<u8> = ids.iter().flat_map(|id| id.0).collect();
    let mut out = Vec::new();
    push_length_prefixed(&mut out, &[FORMAT_V2])?;
    push_length_prefixed(&mut out, label.as_bytes())?;
    push_length_prefixed(&mut out, role.as_bytes())?;
    push_length_prefixed(&mut out, &[mask])?;
    push_length_prefixed(&mut out, recipient)?;
    push_length_prefixed(&mut out, &id_bytes)?;
    Ok(out)
}

fn kinds_in(mask: u8) -> impl Iterator<Item = KeyKind> {
    KeyKind::ALL
        .into_iter()
        .filter(move |k| mask & k.bit() != 0)
}

impl Grant {
    /// Seals the keys of `mask` from `bundle` to `recipient`.
    ///
    /// # Errors
    /// [`CryptoError::InvalidEncoding`] for an empty mask or a key not held;
    /// [`CryptoError::InvalidAad`] for an empty label or role;
    /// [`CryptoError::Random`]; [`CryptoError::Authentication`] for a
    /// low-order recipient key.
    pub fn seal(
        bundle: &KeyBundle,
        mask: u8,
        label: &str,
        role: &str,
        recipient: &[u8; 32],
    ) -> Result<Grant, CryptoError> {
        if mask == 0 || mask & !ALL_KEYS != 0 {
            return Err(CryptoError::InvalidEncoding);
        }
        if label.is_empty() || role.is_empty() {
            return Err(CryptoError::InvalidAad);
        }
        let mut plain = Zeroizing::new(Vec::with_capacity(5 * KEY_LEN));
        let mut ids = Vec::new();
        for kind in kinds_in(mask) {
            let key = bundle.get(kind).ok_or(CryptoError::InvalidEncoding)?;
            plain.extend_from_slice(key.as_bytes());
            ids.push(key.key_id());
        }
        let ephemeral_secret = Zeroizing::new(random_bytes::<32>()?);
        let ephemeral =
            x25519_dalek::x25519(*ephemeral_secret, x25519_dalek::X25519_BASEPOINT_BYTES);
        let shared = Zeroizing::new(x25519_dalek::x25519(*ephemeral_secret, *recipient));
        if shared.iter().all(|b| *b == 0) {
            return Err(CryptoError::Authentication);
        }
        let kek = grant_kek(&shared, &ephemeral, recipient);
        let nonce: [u8; NONCE_LEN] = random_bytes()?;
        let aad = grant_aad(label, role, mask, recipient, &ids)?;
        let tag = XChaCha20Poly1305::new((&*kek).into())
            .encrypt_inout_detached(&XNonce::from(nonce), &aad, plain.as_mut_slice().into())
            .map_err(|_| CryptoError::TooLarge)?;
        let mut wrapped = Vec::with_capacity(plain.len() + TAG_LEN);
        wrapped.extend_from_slice(&plain);
        wrapped.extend_from_slice(&tag);
        Ok(Grant {
            mask,
            ephemeral,
            nonce,
            wrapped,
        })
    }

    /// Opens the grant as `label` with `role`, expecting `expected_mask` and
    /// the current key ids (`expected_ids`, indexed like [`KeyKind::ALL`]).
    ///
    /// # Errors
    /// [`CryptoError::Authentication`] if the mask is not the expected one,
    /// the grant was made for another label, role, recipient or key
    /// generation, or was altered; [`CryptoError::WrongKey`] if an expected
    /// key id is missing; [`CryptoError::Truncated`] for a bad length.
    pub fn open(
        &self,
        identity: &Identity,
        label: &str,
        role: &str,
        expected_mask: u8,
        expected_ids: &[Option<KeyId>; 5],
    ) -> Result<KeyBundle, CryptoError> {
        if self.mask != expected_mask {
            return Err(CryptoError::Authentication);
        }
        let n = kinds_in(self.mask).count();
        if self.wrapped.len() != n * KEY_LEN + TAG_LEN {
            return Err(CryptoError::Truncated);
        }
        let mut ids = Vec::new();
        for kind in kinds_in(self.mask) {
            let id = expected_ids
                .get(kind.index())
                .copied()
                .flatten()
                .ok_or(CryptoError::WrongKey)?;
            ids.push(id);
        }
        let recipient = identity.public();
        let shared = Zeroizing::new(x25519_dalek::x25519(
            *identity.secret.as_bytes(),
            self.ephemeral,
        ));
        if shared.iter().all(|b| *b == 0) {
            return Err(CryptoError::Authentication);
        }
        let kek = grant_kek(&shared, &self.ephemeral, &recipient);
        let aad = grant_aad(label, role, self.mask, &recipient, &ids)?;
        let (ciphertext, tag) = self
            .wrapped
            .split_last_chunk::<TAG_LEN>()
            .ok_or(CryptoError::Truncated)?;
        let mut plain = Zeroizing::new(ciphertext.to_vec());
        XChaCha20Poly1305::new((&*kek).into())
            .decrypt_inout_detached(
                &XNonce::from(self.nonce),
                &aad,
                plain.as_mut_slice().into(),
                &Tag::from(*tag),
            )
            .map_err(|_| CryptoError::Authentication)?;
        let mut bundle = KeyBundle::default();
        for (kind, (chunk, id)) in kinds_in(self.mask).zip(plain.chunks_exact(KEY_LEN).zip(&ids)) {
            let bytes: [u8; KEY_LEN] = chunk.try_into().map_err(|_| CryptoError::Truncated)?;
            let key = DataKey::from_bytes(bytes);
            if key.key_id() != *id {
                return Err(CryptoError::WrongKey);
            }
            bundle.set(kind, key);
        }
        Ok(bundle)
    }

    /// `0x02 || mask || E || nonce || wrapped` (FORMAT.md 8.3).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(GRANT_HEADER_LEN + self.wrapped.len());
        out.push(FORMAT_V2);
        out.push(self.mask);
        out.extend_from_slice(&self.ephemeral);
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.wrapped);
        out
    }

    /// Parses [`Grant::to_bytes`].
    ///
    /// # Errors
    /// [`CryptoError::UnsupportedVersion`], [`CryptoError::Truncated`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Grant, CryptoError> {
        let (&version, rest) = bytes.split_first().ok_or(CryptoError::Truncated)?;
        if version != FORMAT_V2 {
            return Err(CryptoError::UnsupportedVersion);
        }
        let (&mask, rest) = rest.split_first().ok_or(CryptoError::Truncated)?;
        let (ephemeral, rest) = rest
            .split_first_chunk::<32>()
            .ok_or(CryptoError::Truncated)?;
        let (nonce, rest) = rest
            .split_first_chunk::<NONCE_LEN>()
            .ok_or(CryptoError::Truncated)?;
        if mask == 0
            || mask & !ALL_KEYS != 0
            || rest.len() != kinds_in(mask).count() * KEY_LEN + TAG_LEN
        {
            return Err(CryptoError::Truncated);
        }
        Ok(Grant {
            mask,
            ephemeral: *ephemeral,
            nonce: *nonce,
            wrapped: rest.to_vec(),
        })
    }
}

/// Where a version-2 cell lives (FORMAT.md 8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellAad<'a> {
    /// Table name.
    pub table: &'a str,
    /// Column name.
    pub column: &'a str,
    /// The row's UUID text.
    pub row_id: &'a str,
    /// The row's revision (0 for rows that are never changed).
    pub rev: u64,
    /// A link bound into the cell (the card's participant id), or empty.
    pub bound: &'a str,
}

impl CellAad<'_> {
    fn encode(&self, key_id: &KeyId) -> Result<Vec<u8>, CryptoError> {
        if self.table.is_empty() || self.column.is_empty() || self.row_id.is_empty() {
            return Err(CryptoError::InvalidAad);
        }
        let mut out = Vec::new();
        push_length_prefixed(&mut out, &[FORMAT_V2])?;
        push_length_prefixed(&mut out, self.table.as_bytes())?;
        push_length_prefixed(&mut out, self.column.as_bytes())?;
        push_length_prefixed(&mut out, self.row_id.as_bytes())?;
        push_length_prefixed(&mut out, &key_id.0)?;
        push_length_prefixed(&mut out, &self.rev.to_be_bytes())?;
        push_length_prefixed(&mut out, self.bound.as_bytes())?;
        Ok(out)
    }
}

/// Seals and opens version-2 cells under the personal or statistics key.
pub struct CellCipher {
    key: SubKey,
    key_id: KeyId,
}

impl fmt::Debug for CellCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CellCipher")
            .field("key_id", &self.key_id)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl CellCipher {
    /// The cipher for personal cells (`tsudoi 2026 personal cells v2` of `P`).
    pub fn personal(personal_key: &DataKey) -> CellCipher {
        CellCipher {
            key: personal_key.subkey(KeyPurpose::PersonalCells),
            key_id: personal_key.key_id(),
        }
    }

    /// The cipher for statistics cells (`tsudoi 2026 statistics cells v2` of `S`).
    pub fn statistics(statistics_key: &DataKey) -> CellCipher {
        CellCipher {
            key: statistics_key.subkey(KeyPurpose::StatisticsCells),
            key_id: statistics_key.key_id(),
        }
    }

    /// The id of the key this cipher seals under.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// Seals `plaintext` for the cell `aad`:
    /// `0x02 || key id || nonce || ciphertext || tag`.
    ///
    /// # Errors
    /// [`CryptoError::InvalidAad`], [`CryptoError::Random`], [`CryptoError::TooLarge`].
    pub fn encrypt(&self, aad: &CellAad<'_>, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let aad_bytes = aad.encode(&self.key_id)?;
        let nonce: [u8; NONCE_LEN] = random_bytes()?;
        let mut out = Zeroizing::new(Vec::with_capacity(
            CELL_HEADER_LEN + plaintext.len() + TAG_LEN,
        ));
        out.push(FORMAT_V2);
        out.extend_from_slice(&self.key_id.0);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let body = out
            .get_mut(CELL_HEADER_LEN..)
            .ok_or(CryptoError::TooLarge)?;
        let tag = XChaCha20Poly1305::new(self.key.as_bytes().into())
            .encrypt_inout_detached(&XNonce::from(nonce), &aad_bytes, body.into())
            .map_err(|_| CryptoError::TooLarge)?;
        out.extend_from_slice(&tag);
        Ok(core::mem::take(&mut *out))
    }

    /// [`CellCipher::encrypt`] of UTF-8 text.
    ///
    /// # Errors
    /// As [`CellCipher::encrypt`].
    pub fn encrypt_str(&self, aad: &CellAad<'_>, plaintext: &str) -> Result<Vec<u8>, CryptoError> {
        self.encrypt(aad, plaintext.as_bytes())
    }

    /// Opens a cell sealed for `aad`; the tag is checked before anything is
    /// decrypted.
    ///
    /// # Errors
    /// [`CryptoError::Truncated`], [`CryptoError::UnsupportedVersion`],
    /// [`CryptoError::WrongKey`] (sealed under another key: another kind, or
    /// before a re-keying), [`CryptoError::Authentication`] (altered, moved,
    /// an older revision, or a changed link).
    pub fn decrypt(
        &self,
        aad: &CellAad<'_>,
        blob: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let (&version, rest) = blob.split_first().ok_or(CryptoError::Truncated)?;
        if version != FORMAT_V2 {
            return Err(CryptoError::UnsupportedVersion);
        }
        let (key_id, rest) = rest
            .split_first_chunk::<KEY_ID_LEN>()
            .ok_or(CryptoError::Truncated)?;
        let (nonce, rest) = rest
            .split_first_chunk::<NONCE_LEN>()
            .ok_or(CryptoError::Truncated)?;
        let (ciphertext, tag) = rest
            .split_last_chunk::<TAG_LEN>()
            .ok_or(CryptoError::Truncated)?;
        if *key_id != self.key_id.0 {
            return Err(CryptoError::WrongKey);
        }
        let aad_bytes = aad.encode(&self.key_id)?;
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        XChaCha20Poly1305::new(self.key.as_bytes().into())
            .decrypt_inout_detached(
                &XNonce::from(*nonce),
                &aad_bytes,
                buffer.as_mut_slice().into(),
                &Tag::from(*tag),
            )
            .map_err(|_| CryptoError::Authentication)?;
        Ok(buffer)
    }

    /// [`CellCipher::decrypt`] to text.
    ///
    /// # Errors
    /// As [`CellCipher::decrypt`], plus [`CryptoError::NotText`].
    pub fn decrypt_string(
        &self,
        aad: &CellAad<'_>,
        blob: &[u8],
    ) -> Result<Zeroizing<String>, CryptoError> {
        let mut bytes = self.decrypt(aad, blob)?;
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

fn keyed_mac(key: &SubKey, items: &[&[u8]]) -> Result<[u8; 32], CryptoError> {
    let mut input = Zeroizing::new(Vec::new());
    push_length_prefixed(&mut input, &[FORMAT_V2])?;
    for item in items {
        push_length_prefixed(&mut input, item)?;
    }
    let mut hasher = blake3::Hasher::new_keyed(key.as_bytes());
    hasher.update(&input);
    let mac = *hasher.finalize().as_bytes();
    hasher.zeroize();
    Ok(mac)
}

/// Compares two MACs in constant time.
pub fn mac_equal(a: &[u8], b: &[u8; 32]) -> bool {
    <[u8; 32]>::try_from(a).is_ok_and(|a| blake3::Hash::from(a) == blake3::Hash::from(*b))
}

/// The staff-row MAC key (`tsudoi 2026 staff-row v2` of `A`).
pub struct StaffRowKey(SubKey);

impl StaffRowKey {
    /// Derives it from the audit key.
    pub fn new(audit_key: &DataKey) -> StaffRowKey {
        StaffRowKey(audit_key.subkey(KeyPurpose::StaffRow))
    }

    /// The MAC over a staff row's authenticated columns (FORMAT.md 8.6).
    ///
    /// # Errors
    /// [`CryptoError::InvalidAad`] for an absurdly long item.
    pub fn mac(
        &self,
        id: &str,
        role: &str,
        active: bool,
        must_change: bool,
        public_key: Option<&[u8; 32]>,
    ) -> Result<[u8; 32], CryptoError> {
        let flag = |b: bool| if b { &b"1"[..] } else { &b"0"[..] };
        keyed_mac(
            &self.0,
            &[
                id.as_bytes(),
                role.as_bytes(),
                flag(active),
                flag(must_change),
                public_key.map_or(&[][..], |k| &k[..]),
            ],
        )
    }
}

impl fmt::Debug for StaffRowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaffRowKey(<redacted>)")
    }
}

/// The security-policy MAC key (`tsudoi 2026 security-policy v2` of `A`):
/// every role holds `A`, so every sign-in can check the stored policy.
pub struct PolicyKey(SubKey);

impl PolicyKey {
    /// Derives it from the audit key.
    pub fn new(audit_key: &DataKey) -> PolicyKey {
        PolicyKey(audit_key.subkey(KeyPurpose::SecurityPolicy))
    }

    /// The MAC over the policy's canonical text (FORMAT.md 8.10).
    ///
    /// # Errors
    /// [`CryptoError::InvalidAad`] for an absurdly long text.
    pub fn mac(&self, canonical: &str) -> Result<[u8; 32], CryptoError> {
        keyed_mac(&self.0, &[b"security-policy", canonical.as_bytes()])
    }
}

impl fmt::Debug for PolicyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PolicyKey(<redacted>)")
    }
}

/// The application-link MAC key (`tsudoi 2026 application-link v2` of `P`).
pub struct LinkKey(SubKey);

impl LinkKey {
    /// Derives it from the personal key.
    pub fn new(personal_key: &DataKey) -> LinkKey {
        LinkKey(personal_key.subkey(KeyPurpose::ApplicationLink))
    }

    /// The MAC binding an application to its class, participant and entry
    /// number (FORMAT.md 8.5).
    ///
    /// # Errors
    /// [`CryptoError::InvalidAad`] for an absurdly long item.
    pub fn application_mac(
        &self,
        id: &str,
        class_id: &str,
        participant_id: &str,
        entry_number: u64,
    ) -> Result<[u8; 32], CryptoError> {
        keyed_mac(
            &self.0,
            &[
                id.as_bytes(),
                class_id.as_bytes(),
                participant_id.as_bytes(),
                &entry_number.to_be_bytes(),
            ],
        )
    }
}

impl fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkKey(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use data_encoding::HEXLOWER;

    fn counting_key() -> DataKey {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::try_from(i).unwrap();
        }
        DataKey::from_bytes(bytes)
    }

    fn cell<'a>(row_id: &'a str, rev: u64, bound: &'a str) -> CellAad<'a> {
        CellAad {
            table: "participants",
            column: "name",
            row_id,
            rev,
            bound,
        }
    }

    #[test]
    fn role_masks_match_format_md() {
        assert_eq!(role_mask("manager"), Some(0x1f));
        assert_eq!(role_mask("recovery"), Some(0x1f));
        assert_eq!(role_mask("handler"), Some(0x0f));
        assert_eq!(role_mask("operator"), Some(0x16));
        assert_eq!(role_mask("guest"), None);
        // Operators: no personal key, no card key.
        let op = role_mask("operator").unwrap();
        assert_eq!(op & KeyKind::Personal.bit(), 0);
        assert_eq!(op & KeyKind::Card.bit(), 0);
    }

    #[test]
    fn grant_round_trip_and_restriction() {
        let all = KeyBundle::generate().unwrap();
        let who = Identity::generate().unwrap();
        let ids = all.key_ids();
        let g = Grant::seal(&all, 0x16, "unei01", "operator", &who.public()).unwrap();
        let back = Grant::from_bytes(&g.to_bytes()).unwrap();
        assert_eq!(back, g);
        let opened = back.open(&who, "unei01", "operator", 0x16, &ids).unwrap();
        assert_eq!(opened.mask(), 0x16);
        assert!(opened.get(KeyKind::Personal).is_none());
        assert_eq!(
            opened.get(KeyKind::Statistics).unwrap().as_bytes(),
            all.get(KeyKind::Statistics).unwrap().as_bytes()
        );
    }

    #[test]
    fn grant_refuses_other_label_role_recipient_mask_or_generation() {
        let all = KeyBundle::generate().unwrap();
        let who = Identity::generate().unwrap();
        let ids = all.key_ids();
        let g = Grant::seal(&all, 0x0f, "tanto01", "handler", &who.public()).unwrap();
        let auth = Err(CryptoError::Authentication);
        assert_eq!(
            g.open(&who, "kanri01", "handler", 0x0f, &ids).map(|_| ()),
            auth
        );
        assert_eq!(
            g.open(&who, "tanto01", "manager", 0x0f, &ids).map(|_| ()),
            auth
        );
        assert_eq!(
            g.open(&who, "tanto01", "handler", 0x1f, &ids).map(|_| ()),
            auth
        );
        let other = Identity::generate().unwrap();
        assert_eq!(
            g.open(&other, "tanto01", "handler", 0x0f, &ids).map(|_| ()),
            auth
        );
        let newer = KeyBundle::generate().unwrap().key_ids();
        assert_eq!(
            g.open(&who, "tanto01", "handler", 0x0f, &newer).map(|_| ()),
            auth
        );
        let mut bad = g.clone();
        bad.wrapped[3] ^= 1;
        assert_eq!(
            bad.open(&who, "tanto01", "handler", 0x0f, &ids).map(|_| ()),
            auth
        );
        // A mask changed in the bytes no longer parses to the same length, or fails.
        let mut bytes = g.to_bytes();
        bytes[1] = 0x1f;
        assert!(Grant::from_bytes(&bytes).is_err());
    }

    #[test]
    fn recovery_identity_is_derived_from_the_recovery_key() {
        let r = RecoveryKey::generate().unwrap();
        let a = Identity::from_recovery(&r);
        let b = Identity::from_recovery(&r);
        assert_eq!(a.public(), b.public());
        assert_ne!(a.public(), Identity::generate().unwrap().public());
    }

    #[test]
    fn cells_bind_revision_and_link() {
        let p = DataKey::generate().unwrap();
        let c = CellCipher::personal(&p);
        let row = "3f2b8c1e-6d4a-4b7e-9a1c-2e5f8d0b7c64";
        let blob = c.encrypt_str(&cell(row, 3, "pid-a"), "試験 花子").unwrap();
        assert_eq!(
            c.decrypt_string(&cell(row, 3, "pid-a"), &blob)
                .unwrap()
                .as_str(),
            "試験 花子"
        );
        for other in [
            cell(row, 2, "pid-a"),
            cell(row, 4, "pid-a"),
            cell(row, 3, "pid-b"),
            cell(row, 3, ""),
        ] {
            assert_eq!(c.decrypt(&other, &blob), Err(CryptoError::Authentication));
        }
        // The statistics cipher of another key cannot open it.
        let s = CellCipher::statistics(&DataKey::generate().unwrap());
        assert_eq!(
            s.decrypt(&cell(row, 3, "pid-a"), &blob),
            Err(CryptoError::WrongKey)
        );
        // Same key bytes, other kind of subkey: still not the same cipher.
        let s_same = CellCipher::statistics(&p);
        assert_eq!(
            s_same.decrypt(&cell(row, 3, "pid-a"), &blob),
            Err(CryptoError::Authentication)
        );
        assert_eq!(blob[0], 0x02);
        assert_eq!(&blob[1..9], &p.key_id().0);
    }

    #[test]
    fn macs_cover_every_item() {
        let a = DataKey::generate().unwrap();
        let k = StaffRowKey::new(&a);
        let pk = [7u8; 32];
        let base = k.mac("kanri01", "manager", true, false, Some(&pk)).unwrap();
        for other in [
            k.mac("kanri02", "manager", true, false, Some(&pk)).unwrap(),
            k.mac("kanri01", "operator", true, false, Some(&pk))
                .unwrap(),
            k.mac("kanri01", "manager", false, false, Some(&pk))
                .unwrap(),
            k.mac("kanri01", "manager", true, true, Some(&pk)).unwrap(),
            k.mac("kanri01", "manager", true, false, None).unwrap(),
        ] {
            assert_ne!(base, other);
        }
        assert!(mac_equal(&base, &base));
        assert!(!mac_equal(&base[..31], &base));
        let l = LinkKey::new(&a);
        let m = l.application_mac("app", "class", "pid", 1).unwrap();
        assert_ne!(m, l.application_mac("app", "class", "pid2", 1).unwrap());
        assert_ne!(m, l.application_mac("app", "class", "pid", 2).unwrap());
    }

    /// Prints the vectors of FORMAT.md 8.9 (run with `--nocapture` to regenerate).
    fn vectors() -> Vec<(&'static str, String)> {
        let x = counting_key();
        let sub = |p: KeyPurpose| HEXLOWER.encode(x.subkey(p).as_bytes());
        let aad = CellAad {
            table: "participants",
            column: "name",
            row_id: "r",
            rev: 1,
            bound: "",
        }
        .encode(&KeyId([1, 2, 3, 4, 5, 6, 7, 8]))
        .unwrap();
        let staff = StaffRowKey::new(&x)
            .mac("kanri01", "manager", true, false, Some(&[9u8; 32]))
            .unwrap();
        let link = LinkKey::new(&x)
            .application_mac("app-1", "class-1", "pid-1", 1)
            .unwrap();
        let identity = Identity::from_slot_key(counting_key());
        vec![
            ("personal cell key", sub(KeyPurpose::PersonalCells)),
            ("statistics cell key", sub(KeyPurpose::StatisticsCells)),
            ("phone index key", sub(KeyPurpose::BlindIndexV2("phone"))),
            ("application-link key", sub(KeyPurpose::ApplicationLink)),
            ("staff-row key", sub(KeyPurpose::StaffRow)),
            ("cell aad", HEXLOWER.encode(&aad)),
            (
                "staff mac (kanri01, manager, 1, 0, 09…09)",
                HEXLOWER.encode(&staff),
            ),
            (
                "application mac (app-1, class-1, pid-1, 1)",
                HEXLOWER.encode(&link),
            ),
            ("X25519 public of X", HEXLOWER.encode(&identity.public())),
        ]
    }

    #[test]
    fn format_md_member_vector() {
        // FORMAT.md section 11: a hobby-group member's phone cell.
        let aad = CellAad {
            table: "participants",
            column: "phone",
            row_id: "m",
            rev: 2,
            bound: "",
        }
        .encode(&KeyId([1, 2, 3, 4, 5, 6, 7, 8]))
        .unwrap();
        let line = format!(
            "{:<44} = {}",
            "member phone cell aad (m, rev 2)",
            HEXLOWER.encode(&aad)
        );
        assert!(include_str!("FORMAT.md").contains(&line), "{line}");
    }

    #[test]
    fn format_md_policy_vector() {
        let text = "v1 lockout_attempts=5 lockout_minutes=15 kdf_m=47104 kdf_t=4 kdf_p=1 reverify_months=12";
        let mac = HEXLOWER.encode(&PolicyKey::new(&counting_key()).mac(text).unwrap());
        println!("policy mac  = {mac}");
        let doc = include_str!("FORMAT.md");
        assert!(doc.contains(&format!("policy text = {text}")));
        assert!(doc.contains(&format!("policy mac  = {mac}")), "{mac}");
        // Another text gives another MAC.
        assert_ne!(
            PolicyKey::new(&counting_key())
                .mac("v1 lockout_attempts=9")
                .unwrap(),
            PolicyKey::new(&counting_key()).mac(text).unwrap()
        );
    }

    #[test]
    fn format_md_vectors() {
        let doc = include_str!("FORMAT.md");
        let missing: Vec<String> = vectors()
            .into_iter()
            .map(|(name, value)| format!("{name:<44} = {value}"))
            .inspect(|line| println!("{line}"))
            .filter(|line| !doc.contains(line.as_str()))
            .collect();
        assert!(missing.is_empty(), "FORMAT.md lacks: {missing:#?}");
    }
}
