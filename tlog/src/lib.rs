//! An append-only log the ward can check from outside.
//!
//! The kiosk's audit entries are the leaves of an RFC 6962 / RFC 9162
//! Merkle tree. Its tree head, signed with the device key as a C2SP
//! `tlog-checkpoint`, goes to the ward with each monthly report; later, a
//! consistency proof shows that the newer log extends the older one, so
//! that a log cut short, rolled back or rewritten is caught by any
//! checkpoint the ward kept. Everything here can be checked with tools not
//! written for tsudoi (Go's `golang.org/x/mod/sumdb/note` and
//! `sumdb/tlog`).
//!
//! - [`hash`]: leaf and node hashing;
//! - [`NodeStore`], [`MemoryStore`]: where the complete-subtree hashes are
//!   kept, keyed by (level, index);
//! - [`Tree`]: appending (O(log n) stored nodes), tree heads, inclusion and
//!   consistency proofs for any earlier size; [`Frontier`] for the tree head
//!   of a stream of entries with nothing stored;
//! - [`verify_inclusion`], [`verify_consistency`]: RFC 9162's checks;
//! - [`note`]: C2SP signed notes with Ed25519, verifier key text (`vkey`);
//! - [`Checkpoint`]: C2SP `tlog-checkpoint` bodies, signed and opened;
//! - [`ConsistencyProofFile`]: `{"old_size": n, "new_size": m, "proof": [...]}`.
//!
//! Every parser here takes hostile input without panicking and says what is
//! wrong with it through an error type of its own.
//!
//! ```
//! use tsudoi_tlog::{Checkpoint, ConsistencyProofFile, MemoryStore, Tree, note::Signer};
//! use tsudoi_tlog::ed25519_dalek::SigningKey;
//!
//! let signer = Signer::new("tsudoi.example/shinjuku", SigningKey::from_bytes(&[7; 32])).unwrap();
//! let mut tree = Tree::new(MemoryStore::new());
//! for entry in [&b"entry 1"[..], b"entry 2", b"entry 3"] {
//!     tree.append(entry).unwrap();
//! }
//! let old = Checkpoint::new(signer.name(), tree.size(), tree.root()).unwrap();
//! let old_signed = old.sign(&signer).unwrap(); // the ward keeps this
//!
//! tree.append(b"entry 4").unwrap();
//! let new = Checkpoint::new(signer.name(), tree.size(), tree.root()).unwrap();
//! let proof = ConsistencyProofFile {
//!     old_size: old.size(),
//!     new_size: new.size(),
//!     proof: tree.consistency_proof(old.size(), new.size()).unwrap(),
//! };
//!
//! // The ward's side: the verifier key text, two checkpoints, one proof.
//! let verifier = tsudoi_tlog::note::Verifier::from_vkey(&signer.verifier().vkey()).unwrap();
//! let old = Checkpoint::open(old_signed.as_bytes(), &verifier).unwrap();
//! let new = Checkpoint::open(new.sign(&signer).unwrap().as_bytes(), &verifier).unwrap();
//! let proof = ConsistencyProofFile::from_json(proof.to_json().as_bytes()).unwrap();
//! assert!(proof.verify(&old, &new).is_ok());
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod checkpoint;
pub mod hash;
pub mod note;
pub mod proof_file;
pub mod store;
pub mod tree;
pub mod verify;

pub use checkpoint::{Checkpoint, CheckpointError, OpenCheckpointError, SignCheckpointError};
pub use ed25519_dalek;
pub use hash::{EMPTY_ROOT, Hash, HashDecodeError, leaf_hash, node_hash};
pub use proof_file::{ConsistencyProofFile, LinkError, ProofFileError};
pub use store::{MemoryStore, MemoryStoreError, NodeId, NodeStore};
pub use tree::{Frontier, LogFull, MAX_SIZE, Tree, TreeError, root_of_entries, root_of_leaves};
pub use verify::{ProofError, verify_consistency, verify_inclusion};
