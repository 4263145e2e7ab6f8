//! Proofs between every pair of sizes of a small log, every leaf's
//! inclusion proof, and the rewrites an older checkpoint must catch.

use std::cell::Cell;

use tsudoi_tlog::{
    EMPTY_ROOT, Frontier, Hash, MemoryStore, MemoryStoreError, NodeId, NodeStore, ProofError, Tree,
    TreeError, leaf_hash, node_hash, root_of_leaves, verify_consistency, verify_inclusion,
};

const N: u64 = 33;

fn entry(i: u64) -> Vec<u8> {
    format!("audit entry {i}").into_bytes()
}

fn tree(n: u64) -> Tree<MemoryStore> {
    let mut t = Tree::new(MemoryStore::new());
    for i in 0..n {
        assert_eq!(t.append(&entry(i)).expect("append"), i);
    }
    t
}

fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&entry(i))).collect()
}

// RFC 6962 §2.1.1 and §2.1.2 written out recursively, as the RFC states
// them, to compare with the tree's stored-node computation.
fn k_of(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn path(m: usize, d: &[Hash]) -> Vec<Hash> {
    if d.len() <= 1 {
        return Vec::new();
    }
    let k = k_of(d.len());
    if m < k {
        let mut p = path(m, &d[..k]);
        p.push(root_of_leaves(&d[k..]));
        p
    } else {
        let mut p = path(m - k, &d[k..]);
        p.push(root_of_leaves(&d[..k]));
        p
    }
}

fn subproof(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b {
            Vec::new()
        } else {
            vec![root_of_leaves(d)]
        };
    }
    let k = k_of(n);
    if m <= k {
        let mut p = subproof(m, &d[..k], b);
        p.push(root_of_leaves(&d[k..]));
        p
    } else {
        let mut p = subproof(m - k, &d[k..], false);
        p.push(root_of_leaves(&d[..k]));
        p
    }
}

fn flip(h: &Hash) -> Hash {
    let mut x = *h;
    x.0[0] ^= 1;
    x
}

#[test]
fn consistency_between_every_pair_of_sizes() {
    let big = tree(N);
    let ls = leaves(N);
    for new in 0..=N {
        let small = tree(new);
        let new_root = root_of_leaves(&ls[..new as usize]);
        assert_eq!(small.root(), new_root);
        assert_eq!(big.root_at(new).expect("root_at"), new_root);
        for old in 0..=new {
            let old_root = root_of_leaves(&ls[..old as usize]);
            let proof = big.consistency_proof(old, new).expect("proof");
            assert_eq!(small.consistency_proof(old, new).expect("proof"), proof);
            if 0 < old && old < new {
                assert_eq!(
                    proof,
                    subproof(old as usize, &ls[..new as usize], true),
                    "{old} → {new}"
                );
            } else {
                assert!(proof.is_empty());
            }
            assert_eq!(
                verify_consistency(old, new, &old_root, &new_root, &proof),
                Ok(()),
                "{old} → {new}"
            );

            // Any change is caught.
            assert!(verify_consistency(old, new, &flip(&old_root), &new_root, &proof).is_err());
            if old > 0 {
                assert!(verify_consistency(old, new, &old_root, &flip(&new_root), &proof).is_err());
            }
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i] = flip(&bad[i]);
                assert!(
                    verify_consistency(old, new, &old_root, &new_root, &bad).is_err(),
                    "{old} → {new}, hash {i} changed"
                );
            }
            let mut longer = proof.clone();
            longer.push(new_root);
            assert!(verify_consistency(old, new, &old_root, &new_root, &longer).is_err());
            if !proof.is_empty() {
                assert!(
                    verify_consistency(old, new, &old_root, &new_root, &proof[..proof.len() - 1])
                        .is_err()
                );
                assert!(verify_consistency(old, new, &old_root, &new_root, &proof[1..]).is_err());
            }
            // The same proof claimed for other sizes.
            if old > 1 {
                let r = root_of_leaves(&ls[..old as usize - 1]);
                assert!(verify_consistency(old - 1, new, &r, &new_root, &proof).is_err());
            }
            if new < N && 0 < old && old < new {
                let r = root_of_leaves(&ls[..new as usize + 1]);
                assert!(
                    verify_consistency(old, new + 1, &old_root, &r, &proof).is_err(),
                    "{old} {new}"
                );
            }
        }
    }
}

#[test]
fn inclusion_of_every_leaf_at_every_size() {
    let big = tree(N);
    let ls = leaves(N);
    for size in 1..=N {
        let root = root_of_leaves(&ls[..size as usize]);
        for index in 0..size {
            let proof = big.inclusion_proof(index, size).expect("proof");
            assert_eq!(proof, path(index as usize, &ls[..size as usize]));
            let leaf = ls[index as usize];
            assert_eq!(big.leaf_hash(index).expect("leaf"), leaf);
            assert_eq!(verify_inclusion(&leaf, index, size, &proof, &root), Ok(()));
            // Another entry, another position, another head, a changed hash.
            assert!(verify_inclusion(&leaf_hash(b"forged"), index, size, &proof, &root).is_err());
            if size > 1 {
                let other = (index + 1) % size;
                assert!(verify_inclusion(&leaf, other, size, &proof, &root).is_err());
            }
            assert!(verify_inclusion(&leaf, index, size, &proof, &flip(&root)).is_err());
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i] = flip(&bad[i]);
                assert!(verify_inclusion(&leaf, index, size, &bad, &root).is_err());
            }
            let mut longer = proof.clone();
            longer.push(root);
            assert_eq!(
                verify_inclusion(&leaf, index, size, &longer, &root),
                Err(ProofError::TooLong)
            );
            if !proof.is_empty() {
                assert_eq!(
                    verify_inclusion(&leaf, index, size, &proof[..proof.len() - 1], &root),
                    Err(ProofError::TooShort)
                );
            }
        }
        assert_eq!(
            verify_inclusion(&ls[0], size, size, &[], &root),
            Err(ProofError::LeafOutOfRange { index: size, size })
        );
    }
}

#[test]
fn out_of_range_requests_are_errors_not_panics() {
    let t = tree(10);
    assert!(matches!(
        t.inclusion_proof(10, 10),
        Err(TreeError::LeafOutOfRange {
            index: 10,
            size: 10
        })
    ));
    assert!(matches!(
        t.inclusion_proof(0, 11),
        Err(TreeError::SizeOutOfRange {
            size: 11,
            tree_size: 10
        })
    ));
    assert!(matches!(
        t.consistency_proof(5, 11),
        Err(TreeError::SizeOutOfRange { .. })
    ));
    assert!(matches!(
        t.consistency_proof(6, 5),
        Err(TreeError::OldAfterNew { old: 6, new: 5 })
    ));
    assert!(matches!(
        t.root_at(u64::MAX),
        Err(TreeError::SizeOutOfRange { .. })
    ));
    assert!(matches!(
        t.leaf_hash(u64::MAX),
        Err(TreeError::LeafOutOfRange { .. })
    ));
    assert!(matches!(
        t.inclusion_proof(u64::MAX, u64::MAX),
        Err(TreeError::SizeOutOfRange { .. })
    ));
    let h = Hash([0; 32]);
    assert!(verify_inclusion(&h, u64::MAX, u64::MAX, &[h; 200], &h).is_err());
    assert!(verify_consistency(u64::MAX, u64::MAX, &h, &h, &[h; 200]).is_err());
    assert!(verify_consistency(u64::MAX - 1, u64::MAX, &h, &h, &[h; 200]).is_err());
    assert!(verify_consistency(1, u64::MAX, &h, &h, &[h; 200]).is_err());
    assert_eq!(
        verify_consistency(3, 2, &h, &h, &[]),
        Err(ProofError::OldAfterNew { old: 3, new: 2 })
    );
    assert_eq!(
        verify_consistency(2, 3, &h, &h, &[]),
        Err(ProofError::Empty)
    );
    assert_eq!(
        verify_consistency(0, 3, &h, &h, &[]),
        Err(ProofError::OldRootMismatch)
    );
    assert_eq!(verify_consistency(0, 3, &EMPTY_ROOT, &h, &[]), Ok(()));
}

/// Counts what the tree reads and writes.
#[derive(Default)]
struct Counting {
    inner: MemoryStore,
    reads: Cell<u64>,
    written: Vec<usize>,
}

impl NodeStore for Counting {
    type Error = MemoryStoreError;
    fn get(&self, id: NodeId) -> Result<Option<Hash>, MemoryStoreError> {
        self.reads.set(self.reads.get() + 1);
        self.inner.get(id)
    }
    fn put(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), MemoryStoreError> {
        self.written.push(nodes.len());
        self.inner.put(nodes)
    }
}

#[test]
fn appending_stores_log_n_nodes_and_reads_none() {
    let mut t = Tree::new(Counting::default());
    let n = 1000u64;
    for i in 0..n {
        t.append(&entry(i)).expect("append");
    }
    let s = t.store();
    assert_eq!(s.reads.get(), 0, "appending reads nothing back");
    for (i, written) in s.written.iter().enumerate() {
        // Leaf i completes one node per trailing 1 bit of i, plus itself.
        assert_eq!(
            *written as u32,
            (i as u64).trailing_ones() + 1,
            "append {i}"
        );
        assert!(*written <= 11);
    }
    assert_eq!(
        s.inner.len() as u64,
        2 * n - u64::from(n.count_ones()),
        "every complete subtree once"
    );
    // A proof reads O(log² n) nodes at most.
    s.reads.set(0);
    t.consistency_proof(377, n).expect("proof");
    t.root_at(377).expect("root");
    t.inclusion_proof(377, n).expect("proof");
    assert!(s.reads.get() < 100, "{} reads", s.reads.get());
}

#[test]
fn open_checks_the_size_and_the_frontier_matches() {
    let t = tree(N);
    let store = t.into_store();
    for size in 0..=N {
        let mut truncated = store.clone();
        truncated.truncate(size);
        let reopened = Tree::open(truncated.clone(), size).expect("open");
        assert_eq!(reopened.root(), root_of_leaves(&leaves(size)[..]));
        let f = Frontier::load(&truncated, size).expect("frontier");
        assert_eq!(f.root(), reopened.root());
        // The store holds `size` leaves, not one more or one fewer.
        if size < N {
            assert!(matches!(
                Tree::open(store.clone(), size),
                Err(TreeError::SizeMismatch { .. })
            ));
        }
        assert!(matches!(
            Tree::open(truncated.clone(), size + 1),
            Err(TreeError::SizeMismatch { .. })
        ));
    }
    // A frontier fed leaf by leaf agrees with the tree.
    let mut f = Frontier::new();
    for (i, l) in leaves(N).iter().enumerate() {
        f.push(*l).expect("push");
        assert_eq!(f.size(), i as u64 + 1);
        assert_eq!(f.root(), root_of_leaves(&leaves(i as u64 + 1)));
    }
}

#[test]
fn a_missing_node_is_named() {
    let t = tree(16);
    let mut s = t.into_store();
    // Drop the level-1 nodes from index 2 on: leaves 4.. are still there.
    let mut levels = MemoryStore::new();
    for i in 0..16 {
        levels
            .put(&[(
                NodeId::new(0, i),
                s.get(NodeId::new(0, i)).expect("get").expect("leaf"),
            )])
            .expect("put");
    }
    levels
        .put(&[(
            NodeId::new(1, 0),
            s.get(NodeId::new(1, 0)).expect("get").expect("node"),
        )])
        .expect("put");
    // 16 leaves: the frontier is the single level-4 node, which is missing.
    assert!(matches!(
        Tree::open(levels, 16),
        Err(TreeError::MissingNode(NodeId { level: 4, index: 0 }))
    ));
    // An edited node changes the tree head computed from it.
    let root = s.get(NodeId::new(4, 0)).expect("get").expect("root");
    assert!(s.overwrite(NodeId::new(3, 0), node_hash(&root, &root)));
    let t = Tree::open(s, 16).expect("open");
    assert_eq!(
        t.root(),
        root,
        "the head of a complete tree is one stored node"
    );
    assert_ne!(t.root_at(15).expect("root"), root_of_leaves(&leaves(15)));
}

/// The three ways a history can be changed, each caught by a checkpoint
/// of the older log.
#[test]
fn truncation_rollback_and_rewrite_are_caught_by_an_older_head() {
    let honest = tree(20);
    let (old_size, old_root) = (12u64, honest.root_at(12).expect("root"));

    // Truncated: the log now has fewer entries than the ward's checkpoint.
    let truncated = tree(9);
    assert!(matches!(
        truncated.consistency_proof(old_size, truncated.size()),
        Err(TreeError::OldAfterNew { .. })
    ));
    assert_eq!(
        verify_consistency(old_size, 9, &old_root, &truncated.root(), &[]),
        Err(ProofError::OldAfterNew { old: 12, new: 9 })
    );

    // Rolled back to an old copy, then extended past the checkpoint again
    // with different entries.
    let mut rolled = tree(10);
    for i in 0..10 {
        rolled
            .append(format!("after rollback {i}").as_bytes())
            .expect("append");
    }
    let proof = rolled.consistency_proof(old_size, 20).expect("proof");
    assert_eq!(
        verify_consistency(old_size, 20, &old_root, &rolled.root(), &proof),
        Err(ProofError::OldRootMismatch)
    );

    // Rewritten throughout by someone with the keys: entry 3 changed and
    // every node recomputed, so the log is self-consistent.
    let mut rewritten = Tree::new(MemoryStore::new());
    for i in 0..20u64 {
        let e = if i == 3 { b"edited".to_vec() } else { entry(i) };
        rewritten.append(&e).expect("append");
    }
    let proof = rewritten.consistency_proof(old_size, 20).expect("proof");
    assert_eq!(
        verify_consistency(
            old_size,
            20,
            &rewritten.root_at(old_size).expect("root"),
            &rewritten.root(),
            &proof
        ),
        Ok(()),
        "consistent with itself"
    );
    assert!(verify_consistency(old_size, 20, &old_root, &rewritten.root(), &proof).is_err());
    // The honest log still proves it.
    let proof = honest.consistency_proof(old_size, 20).expect("proof");
    assert_eq!(
        verify_consistency(old_size, 20, &old_root, &honest.root(), &proof),
        Ok(())
    );
}
