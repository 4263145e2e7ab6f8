//! Checking proofs without the tree: RFC 9162 §2.1.3.2 (inclusion) and
//! §2.1.4.2 (consistency), step by step.

use crate::hash::{EMPTY_ROOT, Hash, node_hash};

/// Why a proof was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not below the tree size.
    #[error("leaf {index} is not in a tree of {size} leaves")]
    LeafOutOfRange {
        /// The leaf index the proof is for.
        index: u64,
        /// The tree size the proof is for.
        size: u64,
    },
    /// The older tree is larger than the newer one.
    #[error("the old tree ({old} leaves) is larger than the new one ({new})")]
    OldAfterNew {
        /// The older tree's size.
        old: u64,
        /// The newer tree's size.
        new: u64,
    },
    /// The proof has more hashes than the tree sizes call for.
    #[error("the proof has more hashes than the tree sizes call for")]
    TooLong,
    /// The proof has fewer hashes than the tree sizes call for.
    #[error("the proof has fewer hashes than the tree sizes call for")]
    TooShort,
    /// A consistency proof between two different sizes has no hashes.
    #[error("the consistency proof is empty")]
    Empty,
    /// The proof leads to a different tree head than the one given for
    /// the (newer) tree: the log does not contain that leaf, or is not an
    /// extension of the older tree.
    #[error("the proof does not lead to the given tree head")]
    RootMismatch,
    /// The proof leads to a different tree head for the older tree than
    /// the one given: the older tree was not a prefix of the newer one.
    #[error("the proof does not lead to the given older tree head")]
    OldRootMismatch,
}

/// Checks that `proof` shows leaf `leaf` at `index` in the tree of `size`
/// leaves whose tree head is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::LeafOutOfRange { index, size });
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if sn == 0 {
            return Err(ProofError::TooLong);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::TooShort);
    }
    if r != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Checks that `proof` shows the tree of `old_size` leaves with head
/// `old_root` to be a prefix of the tree of `new_size` leaves with head
/// `new_root` (RFC 9162 §2.1.4.2).
///
/// Equal sizes take an empty proof and equal heads. Every tree extends the
/// empty one: from size 0 the proof must be empty and `old_root` must be
/// the empty tree's head.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::OldAfterNew {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == 0 {
        if !proof.is_empty() {
            return Err(ProofError::TooLong);
        }
        if *old_root != EMPTY_ROOT {
            return Err(ProofError::OldRootMismatch);
        }
        return Ok(());
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::TooLong);
        }
        if old_root != new_root {
            return Err(ProofError::RootMismatch);
        }
        return Ok(());
    }
    if proof.is_empty() {
        return Err(ProofError::Empty);
    }
    // Step 2: if the old size is a power of two, the old tree head is itself
    // the first node of the path.
    let (first, rest) = if old_size.is_power_of_two() {
        (*old_root, proof)
    } else {
        (proof[0], &proof[1..])
    };
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (first, first);
    for c in rest {
        if sn == 0 {
            return Err(ProofError::TooLong);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::TooShort);
    }
    if fr != *old_root {
        return Err(ProofError::OldRootMismatch);
    }
    if sr != *new_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}
