//! C2SP `tlog-checkpoint`: a log's tree head as a signed note.
//!
//! ```text
//! tsudoi.example/shinjuku
//! 20852
//! CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
//!
//! — tsudoi.example/shinjuku Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeO…
//! ```
//!
//! The body is the origin (the log's name), the tree size in decimal, the
//! base64 tree head, and optional non-empty extension lines, each ending in
//! a newline. The log's key signs it under the origin's name.

use crate::hash::{Hash, HashDecodeError};
use crate::note::{self, OpenError, SignError, Signer, Verifier, is_valid_key_name};

/// A tree head: which log, how many entries, and the root hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    origin: String,
    size: u64,
    root: Hash,
    extensions: Vec<String>,
}

/// Why a checkpoint body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The body is longer than [`note::MAX_NOTE_LEN`].
    #[error("the checkpoint is too long")]
    TooLong,
    /// The body does not end with a newline.
    #[error("the checkpoint does not end with a newline")]
    NoFinalNewline,
    /// The body holds an ASCII control character other than newline.
    #[error("the checkpoint holds a control character")]
    ControlCharacter,
    /// Fewer than three lines (origin, size, root hash).
    #[error("the checkpoint lacks the origin, size or root hash line")]
    TooFewLines,
    /// The origin line is empty.
    #[error("the checkpoint's origin is empty")]
    EmptyOrigin,
    /// An origin to sign under is not a valid key name (it has a space or
    /// a `+`).
    #[error("the origin must be a valid key name (no spaces, no '+')")]
    OriginNotKeyName,
    /// The size line is not a decimal number without leading zeros that
    /// fits 64 bits.
    #[error("the checkpoint's tree size is not a canonical decimal number")]
    Size,
    /// The root hash line is not the base64 of 32 bytes.
    #[error("the checkpoint's root hash: {0}")]
    Root(#[source] HashDecodeError),
    /// An extension line is empty.
    #[error("extension line {0} is empty")]
    EmptyExtension(usize),
    /// An extension line to write holds a newline or control character.
    #[error("extension line {0} holds a newline or control character")]
    ExtensionNotOneLine(usize),
}

/// Why a signed checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenCheckpointError {
    /// The signed note is malformed or its signature does not verify.
    #[error("signed note: {0}")]
    Note(#[source] OpenError),
    /// The signature verifies but the body is not a checkpoint.
    #[error("checkpoint body: {0}")]
    Body(#[source] CheckpointError),
    /// The checkpoint is signed by the expected key but names another log.
    #[error("the checkpoint is for log {found:?}, the key is {expected:?}'s")]
    OriginMismatch {
        /// The key name (the expected origin).
        expected: String,
        /// The origin in the checkpoint.
        found: String,
    },
}

/// Why a checkpoint could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignCheckpointError {
    /// The signer's key name is not the checkpoint's origin.
    #[error("the signer's key name is not the checkpoint's origin")]
    OriginMismatch,
    /// The note could not be signed.
    #[error("{0}")]
    Sign(#[source] SignError),
}

fn parse_size(line: &str) -> Result<u64, CheckpointError> {
    let canonical = !line.is_empty()
        && line.bytes().all(|b| b.is_ascii_digit())
        && (line == "0" || !line.starts_with('0'));
    if !canonical {
        return Err(CheckpointError::Size);
    }
    line.parse().map_err(|_| CheckpointError::Size)
}

impl Checkpoint {
    /// The checkpoint of log `origin` at `size` entries with tree head
    /// `root`. The origin must be a valid key name, since the log signs
    /// under it.
    pub fn new(origin: &str, size: u64, root: Hash) -> Result<Checkpoint, CheckpointError> {
        if origin.is_empty() {
            return Err(CheckpointError::EmptyOrigin);
        }
        if !is_valid_key_name(origin) {
            return Err(CheckpointError::OriginNotKeyName);
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        })
    }

    /// Adds an extension line (without its newline). Not recommended by the
    /// specification: monitors cannot audit them.
    pub fn with_extension(mut self, line: &str) -> Result<Checkpoint, CheckpointError> {
        let number = self.extensions.len() + 1;
        if line.is_empty() {
            return Err(CheckpointError::EmptyExtension(number));
        }
        if line.bytes().any(|b| b < 0x20) {
            return Err(CheckpointError::ExtensionNotOneLine(number));
        }
        self.extensions.push(line.to_owned());
        Ok(self)
    }

    /// The log's name.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The number of entries.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The tree head.
    pub fn root(&self) -> &Hash {
        &self.root
    }

    /// The extension lines, without their newlines.
    pub fn extensions(&self) -> &[String] {
        &self.extensions
    }

    /// The note text: origin, size, base64 root and extension lines, each
    /// followed by a newline.
    pub fn body(&self) -> String {
        let mut body = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        );
        for line in &self.extensions {
            body.push_str(line);
            body.push('\n');
        }
        body
    }

    /// Reads a checkpoint body (a note's text). Strict: exactly the form
    /// [`Checkpoint::body`] writes, for any non-empty origin.
    pub fn parse(body: &str) -> Result<Checkpoint, CheckpointError> {
        if body.len() > note::MAX_NOTE_LEN {
            return Err(CheckpointError::TooLong);
        }
        let Some(body) = body.strip_suffix('\n') else {
            return Err(CheckpointError::NoFinalNewline);
        };
        if body.bytes().any(|b| b < 0x20 && b != b'\n') {
            return Err(CheckpointError::ControlCharacter);
        }
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::TooFewLines);
        };
        if origin.is_empty() {
            return Err(CheckpointError::EmptyOrigin);
        }
        let size = parse_size(size)?;
        let root = Hash::from_base64(root).map_err(CheckpointError::Root)?;
        let mut extensions = Vec::new();
        for (i, line) in lines.enumerate() {
            if line.is_empty() {
                return Err(CheckpointError::EmptyExtension(i + 1));
            }
            extensions.push(line.to_owned());
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// The signed checkpoint (a signed note). The signer's key name must be
    /// the origin.
    pub fn sign(&self, signer: &Signer) -> Result<String, SignCheckpointError> {
        if signer.name() != self.origin {
            return Err(SignCheckpointError::OriginMismatch);
        }
        signer.sign(&self.body()).map_err(SignCheckpointError::Sign)
    }

    /// Opens a signed checkpoint: the log's key (`verifier`) must have
    /// signed it, and the origin must be the key's name. Signatures by other
    /// keys (witnesses) are ignored.
    pub fn open(signed: &[u8], verifier: &Verifier) -> Result<Checkpoint, OpenCheckpointError> {
        let note = note::open(signed, std::slice::from_ref(verifier))
            .map_err(OpenCheckpointError::Note)?;
        let checkpoint = Checkpoint::parse(&note.text).map_err(OpenCheckpointError::Body)?;
        if checkpoint.origin != verifier.name() {
            return Err(OpenCheckpointError::OriginMismatch {
                expected: verifier.name().to_owned(),
                found: checkpoint.origin,
            });
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_canonical() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("20852163"), Ok(20852163));
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
        for bad in [
            "",
            "00",
            "01",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1e3",
            "18446744073709551616",
            "١",
        ] {
            assert_eq!(parse_size(bad), Err(CheckpointError::Size), "{bad:?}");
        }
    }

    #[test]
    fn the_specification_example_parses() {
        let body =
            "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        let c = Checkpoint::parse(body).expect("the C2SP example");
        assert_eq!(c.origin(), "example.com/behind-the-sofa");
        assert_eq!(c.size(), 20852163);
        assert_eq!(c.body(), body);
    }
}
