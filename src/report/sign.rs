//! Authenticity of exported files: a manifest of SHA-256 sums (the format of
//! `sha256sum`, so anyone can check the files with standard tools) signed with
//! the kiosk's Ed25519 device key. The public key is printed on the set-up
//! sheet at `init`; the ward compares it with the one `verify` reports.
//!
//! The device's secret key is sealed in the store like a personal value, so it
//! exists in the clear only while the store is unlocked.

use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use super::VerifyError;
use crate::error::{Error, Result};
use crate::store::Store;

/// Name of the manifest in a signed folder: `sha256sum` format, one line per file.
pub const MANIFEST: &str = "SHA256SUMS";
/// Name of the Ed25519 signature over the manifest's bytes.
pub const SIGNATURE: &str = "SHA256SUMS.sig";
/// Name of the file that holds the site name, the signer's public key and how to check the folder
/// (itself listed in the manifest).
pub const SIGNER: &str = "SIGNER.txt";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes` in lowercase hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// The public key as printed on the set-up sheet: 64 hex characters.
pub fn public_key_text(key: &VerifyingKey) -> String {
    hex(key.as_bytes())
}

/// A public key as printed on the set-up sheet (64 hexadecimal digits).
///
/// # Errors
/// [`VerifyError::BadPublicKey`].
pub fn parse_public_key(s: &str) -> Result<VerifyingKey, VerifyError> {
    let bad = || VerifyError::BadPublicKey;
    let bytes: [u8; 32] = unhex(s).ok_or_else(bad)?.try_into().map_err(|_| bad())?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| bad())
}

impl Store {
    /// The device's signing key `D` (FORMAT.md 8.1): a key of its own in
    /// the grants of managers and operators, derived from no other key.
    pub(crate) fn device_signing_key(&mut self) -> Result<SigningKey> {
        let key = self
            .keys()?
            .bundle
            .get(crate::crypto::KeyKind::Device)
            .ok_or(Error::KeyNotHeld)?;
        let signing = SigningKey::from_bytes(key.as_bytes());
        if self.device_public_key()?.is_none() {
            let public = public_key_text(&signing.verifying_key());
            self.set_meta(&[("device_public_key", &public)])?;
        }
        Ok(signing)
    }

    /// The device's public key, if one was made (for the set-up sheet).
    pub fn device_public_key(&self) -> Result<Option<String>> {
        self.meta("device_public_key")
    }
}

/// Writes `SHA256SUMS`, its signature and `SIGNER.txt` for `files` in `dir`.
pub fn sign_dir(dir: &Path, files: &[String], key: &SigningKey, site: &str) -> Result<()> {
    let mut contents = Vec::with_capacity(files.len());
    for name in files {
        contents.push((name.clone(), std::fs::read(dir.join(name))?));
    }
    for (name, bytes) in signature_files(&contents, key, site) {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// `SHA256SUMS`, `SHA256SUMS.sig` and `SIGNER.txt` for files held in
/// memory (name, bytes), as [`sign_dir`] writes them.
pub fn signature_files(
    files: &[(String, Vec<u8>)],
    key: &SigningKey,
    site: &str,
) -> Vec<(String, Vec<u8>)> {
    let signer = format!(
        "施設: {site}\n公開鍵（Ed25519）: {}\n確認: tsudoi report verify <このフォルダ> --public-key <設置時の記録票の公開鍵>\n",
        public_key_text(&key.verifying_key())
    )
    .into_bytes();
    let mut manifest = String::new();
    for (name, bytes) in files {
        manifest.push_str(&format!("{}  {name}\n", sha256_hex(bytes)));
    }
    // SIGNER.txt is listed too: its site name is not otherwise signed.
    manifest.push_str(&format!("{}  {SIGNER}\n", sha256_hex(&signer)));
    let sig = key.sign(manifest.as_bytes());
    vec![
        (MANIFEST.to_owned(), manifest.into_bytes()),
        (
            SIGNATURE.to_owned(),
            format!("{}\n", hex(&sig.to_bytes())).into_bytes(),
        ),
        (SIGNER.to_owned(), signer),
    ]
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signer's Ed25519 public key in hex (as [`SIGNER`] gives it).
    pub public_key: String,
    /// The files the manifest lists, all present with matching digests.
    pub files: Vec<String>,
}

/// Checks the signature and every sum. With `expected`, the signer must be that key.
///
/// # Errors
/// A [`VerifyError`]: damaged or altered folders are
/// [`crate::error::ErrorKind::Damaged`], a folder that is not a signed
/// report or a missing key is input to correct.
pub fn verify_dir(dir: &Path, expected: Option<&VerifyingKey>) -> Result<Verified, VerifyError> {
    let manifest = std::fs::read(dir.join(MANIFEST)).map_err(|_| VerifyError::NoManifest)?;
    let sig_text =
        std::fs::read_to_string(dir.join(SIGNATURE)).map_err(|_| VerifyError::NoSignature)?;
    // Only the exact form `sign` writes: lowercase hex and one newline. A
    // lenient parse let a changed byte (an upper-case digit, other
    // whitespace) pass as the same signature.
    let sig_bytes: [u8; 64] = sig_text
        .strip_suffix('\n')
        .filter(|h| h.len() == 128 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .and_then(unhex)
        .and_then(|b| b.try_into().ok())
        .ok_or(VerifyError::SignatureFormat)?;
    let signer_text = std::fs::read_to_string(dir.join(SIGNER)).unwrap_or_default();
    let claimed = signer_text.lines().find_map(|l| {
        l.split_once("公開鍵（Ed25519）: ")
            .map(|(_, k)| k.trim().to_owned())
    });
    let key = match (expected, claimed) {
        (Some(k), _) => *k,
        (None, Some(k)) => parse_public_key(&k).map_err(|_| VerifyError::SignerKey)?,
        (None, None) => return Err(VerifyError::UnknownSigner),
    };
    key.verify(&manifest, &Signature::from_bytes(&sig_bytes))
        .map_err(|_| VerifyError::SignatureMismatch)?;
    let manifest = String::from_utf8(manifest).map_err(|_| VerifyError::ManifestNotText)?;
    let mut files = Vec::new();
    for line in manifest.lines() {
        let (sum, name) = line.split_once("  ").ok_or(VerifyError::ManifestLine)?;
        if name.contains('/') || name.contains('\\') || name.starts_with('.') {
            return Err(VerifyError::BadFileName {
                name: name.to_owned(),
            });
        }
        let bytes = std::fs::read(dir.join(name)).map_err(|_| VerifyError::FileMissing {
            name: name.to_owned(),
        })?;
        if hex(&Sha256::digest(&bytes)) != sum {
            return Err(VerifyError::FileChanged {
                name: name.to_owned(),
            });
        }
        if name != SIGNER {
            files.push(name.to_owned());
        }
    }
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if ![MANIFEST, SIGNATURE, SIGNER].contains(&name.as_str()) && !files.contains(&name) {
            return Err(VerifyError::UnsignedFile { name });
        }
    }
    Ok(Verified {
        public_key: public_key_text(&key),
        files,
    })
}
