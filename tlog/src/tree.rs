//! The Merkle tree over a [`NodeStore`]: appending, tree heads, and the
//! inclusion and consistency proofs of RFC 9162 §2.1.3 and §2.1.4.

use crate::hash::{EMPTY_ROOT, Hash, leaf_hash, node_hash};
use crate::store::{NodeId, NodeStore};

/// The largest number of leaves a tree may hold: 2^62. Node positions then
/// fit a signed 64-bit integer (an SQLite `INTEGER`) at every level.
pub const MAX_SIZE: u64 = 1 << 62;

/// The deepest level a complete subtree can have in a tree of at most
/// [`MAX_SIZE`] leaves.
pub const MAX_LEVEL: u8 = 62;

/// What went wrong computing with a tree.
#[derive(Debug, thiserror::Error)]
pub enum TreeError<E: std::error::Error + 'static> {
    /// The node storage failed.
    #[error("node storage: {0}")]
    Store(#[source] E),
    /// A node the tree needs is not in the storage: the node table was cut
    /// short or edited, or does not belong to this tree size.
    #[error("node at level {}, index {} is missing from the storage", .0.level, .0.index)]
    MissingNode(NodeId),
    /// The storage does not hold exactly the leaves of the size the tree
    /// was opened with.
    #[error("the storage does not hold a tree of {size} leaves")]
    SizeMismatch {
        /// The size the tree was opened with.
        size: u64,
    },
    /// A leaf index at or past the tree size.
    #[error("leaf {index} is not in a tree of {size} leaves")]
    LeafOutOfRange {
        /// The leaf asked for.
        index: u64,
        /// The size of the tree it was looked for in.
        size: u64,
    },
    /// A tree size larger than the tree.
    #[error("a tree of {size} leaves was asked for, the log has {tree_size}")]
    SizeOutOfRange {
        /// The size asked for.
        size: u64,
        /// The size of the log.
        tree_size: u64,
    },
    /// A consistency proof from a larger tree to a smaller one.
    #[error("no consistency proof from {old} leaves to fewer ({new})")]
    OldAfterNew {
        /// The older (first) size.
        old: u64,
        /// The newer (second) size.
        new: u64,
    },
    /// The tree holds [`MAX_SIZE`] leaves and takes no more.
    #[error("the log is full")]
    Full,
}

/// A tree of [`MAX_SIZE`] leaves takes no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the log is full")]
pub struct LogFull;

/// The largest power of two strictly less than `n` (`n` ≥ 2).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// The hashes of the complete subtrees along a tree's right edge, largest
/// (leftmost) first: all that is needed to append a leaf and to compute the
/// tree head. O(log n) hashes.
///
/// On its own it also computes the tree head of a stream of leaves without
/// storing anything, for checking a log from its entries alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// One hash per set bit of `size`, highest bit first.
    hashes: Vec<Hash>,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Frontier {
        Frontier::default()
    }

    /// The number of leaves appended so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Reads the frontier of a tree of `size` leaves from stored nodes
    /// (one read per set bit of `size`).
    pub fn load<S: NodeStore>(store: &S, size: u64) -> Result<Frontier, TreeError<S::Error>> {
        if size > MAX_SIZE {
            return Err(TreeError::SizeOutOfRange {
                size,
                tree_size: MAX_SIZE,
            });
        }
        let mut hashes = Vec::new();
        let mut start = 0u64;
        for level in (0..=MAX_LEVEL).rev() {
            if size & (1 << level) != 0 {
                let id = NodeId::new(level, start >> level);
                hashes.push(get(store, id)?);
                start += 1 << level;
            }
        }
        Ok(Frontier { size, hashes })
    }

    /// Appends a leaf hash and returns the nodes completed by it: the leaf
    /// itself at level 0, then each new ancestor.
    pub fn push(&mut self, leaf: Hash) -> Result<Vec<(NodeId, Hash)>, LogFull> {
        if self.size >= MAX_SIZE {
            return Err(LogFull);
        }
        let mut index = self.size;
        let mut level = 0u8;
        let mut hash = leaf;
        let mut completed = vec![(NodeId::new(0, index), hash)];
        while index & 1 == 1 {
            // A right child: its left sibling is the smallest subtree of the
            // frontier, and the pair completes their parent.
            let Some(left) = self.hashes.pop() else {
                break;
            };
            hash = node_hash(&left, &hash);
            index >>= 1;
            level += 1;
            completed.push((NodeId::new(level, index), hash));
        }
        self.hashes.push(hash);
        self.size += 1;
        Ok(completed)
    }

    /// The tree head (root hash) of the leaves pushed so far.
    pub fn root(&self) -> Hash {
        let mut iter = self.hashes.iter().rev();
        match iter.next() {
            None => EMPTY_ROOT,
            Some(last) => iter.fold(*last, |right, left| node_hash(left, &right)),
        }
    }
}

fn get<S: NodeStore>(store: &S, id: NodeId) -> Result<Hash, TreeError<S::Error>> {
    store
        .get(id)
        .map_err(TreeError::Store)?
        .ok_or(TreeError::MissingNode(id))
}

/// An append-only Merkle tree whose complete-subtree hashes are kept in a
/// [`NodeStore`].
///
/// The tree remembers its size and right edge ([`Frontier`]); if a write to
/// the store fails, the tree is unchanged. If the caller rolls back a
/// storage transaction after a successful append, it must open the tree
/// again.
#[derive(Debug)]
pub struct Tree<S> {
    store: S,
    frontier: Frontier,
}

impl<S: NodeStore> Tree<S> {
    /// A new empty tree over an empty store.
    pub fn new(store: S) -> Tree<S> {
        Tree {
            store,
            frontier: Frontier::new(),
        }
    }

    /// Opens the tree of `size` leaves kept in `store`. Checks that the store
    /// holds leaf `size - 1` and not leaf `size`, and reads the right edge.
    pub fn open(store: S, size: u64) -> Result<Tree<S>, TreeError<S::Error>> {
        if size > MAX_SIZE {
            return Err(TreeError::SizeMismatch { size });
        }
        let has = |index: u64| store.get(NodeId::new(0, index)).map_err(TreeError::Store);
        if has(size)?.is_some() || (size > 0 && has(size - 1)?.is_none()) {
            return Err(TreeError::SizeMismatch { size });
        }
        let frontier = Frontier::load(&store, size)?;
        Ok(Tree { store, frontier })
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.frontier.size
    }

    /// The node storage.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Gives the node storage back.
    pub fn into_store(self) -> S {
        self.store
    }

    /// Appends an entry (hashed as a leaf) and returns its index.
    pub fn append(&mut self, entry: &[u8]) -> Result<u64, TreeError<S::Error>> {
        self.append_leaf_hash(leaf_hash(entry))
    }

    /// Appends a leaf by its hash and returns its index. Stores at most
    /// ⌊log₂ n⌋ + 1 nodes and reads none.
    pub fn append_leaf_hash(&mut self, leaf: Hash) -> Result<u64, TreeError<S::Error>> {
        let index = self.frontier.size;
        let mut next = self.frontier.clone();
        let nodes = next.push(leaf).map_err(|_| TreeError::Full)?;
        self.store.put(&nodes).map_err(TreeError::Store)?;
        self.frontier = next;
        Ok(index)
    }

    /// The hash of leaf `index`.
    pub fn leaf_hash(&self, index: u64) -> Result<Hash, TreeError<S::Error>> {
        if index >= self.size() {
            return Err(TreeError::LeafOutOfRange {
                index,
                size: self.size(),
            });
        }
        get(&self.store, NodeId::new(0, index))
    }

    /// The tree head of the whole tree (no reads).
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The tree head the tree had when it held `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, TreeError<S::Error>> {
        self.check_size(size)?;
        if size == 0 {
            return Ok(EMPTY_ROOT);
        }
        self.subtree(0, size)
    }

    /// The inclusion proof (audit path) of leaf `index` in the tree of
    /// `size` leaves, in RFC 6962 order (the leaf's sibling first).
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, TreeError<S::Error>> {
        self.check_size(size)?;
        if index >= size {
            return Err(TreeError::LeafOutOfRange { index, size });
        }
        // RFC 6962 §2.1.1 PATH(m, D[lo:hi]), unrolled: descend towards the
        // leaf, collecting the sibling subtree at each step; the proof lists
        // them from the bottom up.
        let (mut lo, mut hi) = (0, size);
        let mut path = Vec::new();
        while hi - lo > 1 {
            let k = split_point(hi - lo);
            if index < lo + k {
                path.push(self.subtree(lo + k, hi)?);
                hi = lo + k;
            } else {
                path.push(self.subtree(lo, lo + k)?);
                lo += k;
            }
        }
        path.reverse();
        Ok(path)
    }

    /// The consistency proof from the tree of `old` leaves to the tree of
    /// `new` leaves, in RFC 6962 order. Empty when `old` is 0 or equal to
    /// `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, TreeError<S::Error>> {
        self.check_size(new)?;
        if old > new {
            return Err(TreeError::OldAfterNew { old, new });
        }
        if old == 0 || old == new {
            return Ok(Vec::new());
        }
        // RFC 6962 §2.1.2 SUBPROOF(m, D[lo:hi], b), unrolled.
        let (mut lo, mut hi) = (0, new);
        let mut whole_old_tree = true;
        let mut proof = Vec::new();
        loop {
            if old == hi {
                // The old tree's subtree: its hash is needed unless it is the
                // whole old tree, which the verifier already holds.
                if !whole_old_tree {
                    proof.push(self.subtree(lo, hi)?);
                }
                break;
            }
            let k = split_point(hi - lo);
            if old - lo <= k {
                proof.push(self.subtree(lo + k, hi)?);
                hi = lo + k;
            } else {
                proof.push(self.subtree(lo, lo + k)?);
                lo += k;
                whole_old_tree = false;
            }
        }
        proof.reverse();
        Ok(proof)
    }

    fn check_size(&self, size: u64) -> Result<(), TreeError<S::Error>> {
        if size > self.size() {
            return Err(TreeError::SizeOutOfRange {
                size,
                tree_size: self.size(),
            });
        }
        Ok(())
    }

    /// MTH(D[lo:hi]) for `lo < hi ≤ size`: one read if the range is a stored
    /// complete subtree, otherwise its complete left part joined with the
    /// hash of the rest (O(log n) reads in all).
    fn subtree(&self, lo: u64, hi: u64) -> Result<Hash, TreeError<S::Error>> {
        debug_assert!(lo < hi && hi <= self.size());
        // Collect the complete subtrees of [lo, hi) left to right (MTH's
        // split, applied down the right side), then fold from the right.
        let mut parts = Vec::new();
        let mut start = lo;
        while start < hi {
            let n = hi - start;
            let width = if n.is_power_of_two() {
                n
            } else {
                split_point(n)
            };
            if start.is_multiple_of(width) {
                let level = width.trailing_zeros() as u8;
                parts.push(get(&self.store, NodeId::new(level, start >> level))?);
                start += width;
            } else {
                // Not aligned (never the case for the ranges the proofs above
                // ask for): follow the definition of MTH literally.
                let left = self.subtree(start, start + width)?;
                let right = self.subtree(start + width, hi)?;
                parts.push(node_hash(&left, &right));
                start = hi;
            }
        }
        let mut iter = parts.into_iter().rev();
        let last = iter.next().ok_or(TreeError::SizeMismatch { size: hi })?;
        Ok(iter.fold(last, |right, left| node_hash(&left, &right)))
    }
}

/// The tree head of a list of entries, computed directly from RFC 6962's
/// definition (MTH), with no stored nodes: for tests and for checking a log
/// from its entries alone.
pub fn root_of_entries<T: AsRef<[u8]>>(entries: &[T]) -> Hash {
    let leaves: Vec<Hash> = entries.iter().map(|e| leaf_hash(e.as_ref())).collect();
    root_of_leaves(&leaves)
}

/// MTH over leaf hashes, by RFC 6962's recursive definition.
pub fn root_of_leaves(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let k = split_point(n as u64) as usize;
            node_hash(&root_of_leaves(&leaves[..k]), &root_of_leaves(&leaves[k..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point_is_largest_power_of_two_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(8), 4);
        assert_eq!(split_point(9), 8);
        assert_eq!(split_point(u64::MAX), 1 << 63);
    }
}
