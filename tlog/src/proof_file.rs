//! The consistency proof file handed to the ward next to a new checkpoint:
//!
//! ```json
//! {"old_size": 5, "new_size": 8, "proof": ["base64 hash", "…"]}
//! ```
//!
//! `proof` lists the hashes in RFC 6962 order (as [`Tree::consistency_proof`]
//! returns them and Go's `tlog.CheckTree` takes them).
//!
//! [`Tree::consistency_proof`]: crate::Tree::consistency_proof

use serde::Deserialize;

use crate::checkpoint::Checkpoint;
use crate::hash::{Hash, HashDecodeError};
use crate::verify::{ProofError, verify_consistency};

/// The largest proof file [`ConsistencyProofFile::from_json`] reads.
pub const MAX_PROOF_FILE_LEN: usize = 1 << 16;

/// The most hashes a consistency proof between trees of at most
/// [`crate::MAX_SIZE`] leaves can have (two per level).
pub const MAX_PROOF_HASHES: usize = 2 * 64;

/// A consistency proof between two tree sizes, as written to `proof.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsistencyProofFile {
    /// The size of the older tree (the ward's checkpoint).
    pub old_size: u64,
    /// The size of the newer tree (the new checkpoint).
    pub new_size: u64,
    /// The proof's hashes, RFC 6962 order.
    pub proof: Vec<Hash>,
}

/// Why a proof file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProofFileError {
    /// The file is longer than [`MAX_PROOF_FILE_LEN`].
    #[error("the proof file is too long")]
    TooLong,
    /// Not a JSON object with exactly `old_size`, `new_size` (unsigned
    /// integers) and `proof` (an array of strings).
    #[error("the proof file is not {{\"old_size\": n, \"new_size\": m, \"proof\": [...]}}: {0}")]
    Json(#[source] serde_json::Error),
    /// `old_size` is larger than `new_size`.
    #[error("old_size {old} is larger than new_size {new}")]
    OldAfterNew {
        /// `old_size`.
        old: u64,
        /// `new_size`.
        new: u64,
    },
    /// More hashes than any consistency proof has.
    #[error("the proof has too many hashes")]
    TooManyHashes,
    /// A proof entry is not the base64 of a 32-byte hash.
    #[error("proof hash {index}: {error}")]
    Hash {
        /// The entry's position in `proof`, from 0.
        index: usize,
        /// What is wrong with it.
        #[source]
        error: HashDecodeError,
    },
}

/// Why a proof file does not link two checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The checkpoints are of different logs.
    #[error("the checkpoints are of different logs")]
    OriginMismatch,
    /// `old_size` is not the older checkpoint's size.
    #[error("the proof starts at {proof} entries, the older checkpoint has {checkpoint}")]
    OldSizeMismatch {
        /// `old_size` in the proof.
        proof: u64,
        /// The older checkpoint's size.
        checkpoint: u64,
    },
    /// `new_size` is not the newer checkpoint's size.
    #[error("the proof ends at {proof} entries, the newer checkpoint has {checkpoint}")]
    NewSizeMismatch {
        /// `new_size` in the proof.
        proof: u64,
        /// The newer checkpoint's size.
        checkpoint: u64,
    },
    /// The proof does not verify: the newer log does not extend the older.
    #[error("{0}")]
    Proof(#[source] ProofError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    old_size: u64,
    new_size: u64,
    proof: Vec<String>,
}

impl ConsistencyProofFile {
    /// The file's text: one line, `{"old_size": n, "new_size": m, "proof":
    /// [...]}`, and a final newline.
    pub fn to_json(&self) -> String {
        // Base64 needs no JSON escaping.
        let hashes: Vec<String> = self
            .proof
            .iter()
            .map(|h| format!("\"{}\"", h.to_base64()))
            .collect();
        format!(
            "{{\"old_size\": {}, \"new_size\": {}, \"proof\": [{}]}}\n",
            self.old_size,
            self.new_size,
            hashes.join(", ")
        )
    }

    /// Reads a proof file. Strict: no other keys, no duplicate keys, sizes
    /// as unsigned integers, every hash canonical base64 of 32 bytes.
    pub fn from_json(text: &[u8]) -> Result<ConsistencyProofFile, ProofFileError> {
        if text.len() > MAX_PROOF_FILE_LEN {
            return Err(ProofFileError::TooLong);
        }
        let raw: Raw = serde_json::from_slice(text).map_err(ProofFileError::Json)?;
        if raw.old_size > raw.new_size {
            return Err(ProofFileError::OldAfterNew {
                old: raw.old_size,
                new: raw.new_size,
            });
        }
        if raw.proof.len() > MAX_PROOF_HASHES {
            return Err(ProofFileError::TooManyHashes);
        }
        let proof = raw
            .proof
            .iter()
            .enumerate()
            .map(|(index, s)| {
                Hash::from_base64(s).map_err(|error| ProofFileError::Hash { index, error })
            })
            .collect::<Result<Vec<Hash>, ProofFileError>>()?;
        Ok(ConsistencyProofFile {
            old_size: raw.old_size,
            new_size: raw.new_size,
            proof,
        })
    }

    /// Checks that this proof shows `new` (a checkpoint of the same log) to
    /// extend `old`.
    pub fn verify(&self, old: &Checkpoint, new: &Checkpoint) -> Result<(), LinkError> {
        if old.origin() != new.origin() {
            return Err(LinkError::OriginMismatch);
        }
        if self.old_size != old.size() {
            return Err(LinkError::OldSizeMismatch {
                proof: self.old_size,
                checkpoint: old.size(),
            });
        }
        if self.new_size != new.size() {
            return Err(LinkError::NewSizeMismatch {
                proof: self.new_size,
                checkpoint: new.size(),
            });
        }
        verify_consistency(
            self.old_size,
            self.new_size,
            old.root(),
            new.root(),
            &self.proof,
        )
        .map_err(LinkError::Proof)
    }
}
