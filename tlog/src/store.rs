//! Where the tree's node hashes live.
//!
//! The tree keeps the hash of every *complete* subtree: the subtree at
//! `level` L and `index` i covers the leaves `i·2^L .. (i+1)·2^L`. Level 0
//! holds the leaf hashes themselves. Appending leaf n stores the leaf at
//! (0, n) and then one node per level for as long as the new node is a right
//! child, so a log of n leaves holds fewer than 2n hashes and an append
//! writes at most ⌊log₂ n⌋ + 1 of them (2 on average). Any tree head, inclusion
//! proof or consistency proof for any earlier size is then computed from
//! O(log² n) reads of these nodes, without reading the entries again.
//!
//! Nodes for the right edge of a tree whose size is not a power of two (the
//! *incomplete* subtrees) are never stored: they change with every append.
//! They are recomputed from complete ones when needed.
//!
//! A SQL table with this layout (see the crate README) is
//!
//! ```sql
//! CREATE TABLE tlog_node (
//!     level INTEGER NOT NULL,   -- 0 = leaf hash
//!     idx   INTEGER NOT NULL,   -- index within the level
//!     hash  BLOB    NOT NULL,   -- 32 bytes
//!     PRIMARY KEY (level, idx)
//! ) WITHOUT ROWID;
//! ```

use crate::hash::Hash;

/// The position of a complete subtree: it covers the leaves
/// `index·2^level .. (index+1)·2^level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// 0 for a leaf, 1 for the parent of two leaves, and so on (at most 62).
    pub level: u8,
    /// The subtree's position among the subtrees of its level, from 0.
    pub index: u64,
}

impl NodeId {
    /// The node at `level`, `index`.
    pub const fn new(level: u8, index: u64) -> NodeId {
        NodeId { level, index }
    }
}

/// Storage for the hashes of complete subtrees (see the module docs).
///
/// An implementation only stores and returns what it is given; the tree
/// decides what to store. A SQLite implementation would keep a table keyed
/// by (level, index) and write the nodes of an append in the same transaction
/// as the entry itself.
pub trait NodeStore {
    /// What can go wrong reading or writing the storage.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The hash stored for `id`, or `None` if there is none.
    fn get(&self, id: NodeId) -> Result<Option<Hash>, Self::Error>;

    /// Stores the hashes of newly completed subtrees. They come in the order
    /// they were computed: the leaf first, then its ancestors. The write
    /// should be all or nothing (a SQL store does it inside the transaction
    /// that records the entry). Storing a node that is already there with a
    /// different hash is a bug in the caller (or a rewritten history) and
    /// should be refused.
    fn put(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), Self::Error>;
}

impl<S: NodeStore + ?Sized> NodeStore for &mut S {
    type Error = S::Error;

    fn get(&self, id: NodeId) -> Result<Option<Hash>, Self::Error> {
        (**self).get(id)
    }

    fn put(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), Self::Error> {
        (**self).put(nodes)
    }
}

/// Why [`MemoryStore`] refused a write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemoryStoreError {
    /// The node would leave a gap in its level: nodes of a level are
    /// written in order of index.
    #[error("node at level {level}, index {index} would leave a gap (level has {len} nodes)")]
    Gap {
        /// Level of the refused node.
        level: u8,
        /// Index of the refused node.
        index: u64,
        /// How many nodes the level holds.
        len: u64,
    },
    /// A different hash is already stored at that position.
    #[error("node at level {level}, index {index} is already stored with another hash")]
    Overwrite {
        /// Level of the refused node.
        level: u8,
        /// Index of the refused node.
        index: u64,
    },
    /// The level is beyond the deepest a tree can have.
    #[error("level {0} is too deep")]
    Level(u8),
}

/// Node hashes in memory: one vector per level. A log of n leaves takes
/// about 64·n bytes.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    levels: Vec<Vec<Hash>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// How many hashes are stored, all levels together.
    pub fn len(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.levels.iter().all(Vec::is_empty)
    }

    /// Replaces a stored hash, bypassing the append-only rule: for tests
    /// that show what a rewritten history looks like.
    pub fn overwrite(&mut self, id: NodeId, hash: Hash) -> bool {
        match self
            .levels
            .get_mut(usize::from(id.level))
            .and_then(|l| usize::try_from(id.index).ok().and_then(|i| l.get_mut(i)))
        {
            Some(slot) => {
                *slot = hash;
                true
            }
            None => false,
        }
    }

    /// Drops every node covering a leaf at or after `size`: what a log cut
    /// short looks like.
    pub fn truncate(&mut self, size: u64) {
        for (level, nodes) in self.levels.iter_mut().enumerate() {
            let keep = size >> level;
            if let Ok(keep) = usize::try_from(keep) {
                nodes.truncate(keep);
            }
        }
    }
}

impl NodeStore for MemoryStore {
    type Error = MemoryStoreError;

    fn get(&self, id: NodeId) -> Result<Option<Hash>, MemoryStoreError> {
        Ok(self
            .levels
            .get(usize::from(id.level))
            .and_then(|l| usize::try_from(id.index).ok().and_then(|i| l.get(i)))
            .copied())
    }

    fn put(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), MemoryStoreError> {
        // Check everything first, so that a refused batch changes nothing.
        let mut lens: Vec<u64> = self.levels.iter().map(|l| l.len() as u64).collect();
        for (id, hash) in nodes {
            if id.level > crate::tree::MAX_LEVEL {
                return Err(MemoryStoreError::Level(id.level));
            }
            let level = usize::from(id.level);
            if lens.len() <= level {
                lens.resize(level + 1, 0);
            }
            let len = lens[level];
            if id.index < len {
                if self.get(*id)? != Some(*hash) {
                    return Err(MemoryStoreError::Overwrite {
                        level: id.level,
                        index: id.index,
                    });
                }
            } else if id.index == len {
                lens[level] += 1;
            } else {
                return Err(MemoryStoreError::Gap {
                    level: id.level,
                    index: id.index,
                    len,
                });
            }
        }
        for (id, hash) in nodes {
            let level = usize::from(id.level);
            if self.levels.len() <= level {
                self.levels.resize_with(level + 1, Vec::new);
            }
            if id.index == self.levels[level].len() as u64 {
                self.levels[level].push(*hash);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn memory_store_refuses_gaps_and_rewrites_without_partial_writes() {
        let mut s = MemoryStore::new();
        let a = leaf_hash(b"a");
        let b = leaf_hash(b"b");
        s.put(&[(NodeId::new(0, 0), a)]).expect("first leaf");
        assert_eq!(
            s.put(&[(NodeId::new(0, 1), b), (NodeId::new(0, 5), b)]),
            Err(MemoryStoreError::Gap {
                level: 0,
                index: 5,
                len: 2
            })
        );
        assert_eq!(s.len(), 1, "a refused batch writes nothing");
        assert_eq!(
            s.put(&[(NodeId::new(0, 0), b)]),
            Err(MemoryStoreError::Overwrite { level: 0, index: 0 })
        );
        s.put(&[(NodeId::new(0, 0), a)])
            .expect("the same hash again is harmless");
        assert_eq!(s.get(NodeId::new(0, 0)), Ok(Some(a)));
        assert_eq!(s.get(NodeId::new(0, 1)), Ok(None));
        assert_eq!(s.get(NodeId::new(40, u64::MAX)), Ok(None));
    }
}
