//! Known answers published elsewhere: the eight-leaf RFC 6962 tree used by
//! the Certificate Transparency implementations (tree heads, inclusion and
//! consistency proofs), and the signed-note example of Go's
//! `golang.org/x/mod/sumdb/note` documentation.

use tsudoi_tlog::ed25519_dalek::SigningKey;
use tsudoi_tlog::note::{self, OpenError, Signer, Verifier};
use tsudoi_tlog::{
    EMPTY_ROOT, Hash, MemoryStore, Tree, leaf_hash, root_of_entries, verify_consistency,
    verify_inclusion,
};

/// The leaves (hex) of the reference tree.
const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Tree heads for sizes 0 to 8.
const ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (leaf index, tree size, audit path).
const INCLUSION: [(u64, u64, &[&str]); 4] = [
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (old size, new size, consistency proof).
const CONSISTENCY: [(u64, u64, &[&str]); 4] = [
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

fn h(hex: &str) -> Hash {
    Hash::from_hex(hex).expect("a hash in hex")
}

fn hashes(hex: &[&str]) -> Vec<Hash> {
    hex.iter().map(|x| h(x)).collect()
}

fn entries() -> Vec<Vec<u8>> {
    LEAVES
        .iter()
        .map(|x| data_encoding::HEXLOWER.decode(x.as_bytes()).expect("hex"))
        .collect()
}

fn reference_tree() -> Tree<MemoryStore> {
    let mut tree = Tree::new(MemoryStore::new());
    for e in entries() {
        tree.append(&e).expect("append");
    }
    tree
}

#[test]
fn tree_heads_match_the_reference_at_every_size() {
    assert_eq!(EMPTY_ROOT, h(ROOTS[0]));
    let es = entries();
    let mut tree = Tree::new(MemoryStore::new());
    assert_eq!(tree.root(), h(ROOTS[0]));
    for (n, e) in es.iter().enumerate() {
        tree.append(e).expect("append");
        assert_eq!(
            tree.root(),
            h(ROOTS[n + 1]),
            "incremental head at size {}",
            n + 1
        );
        assert_eq!(
            root_of_entries(&es[..=n]),
            h(ROOTS[n + 1]),
            "MTH at size {}",
            n + 1
        );
    }
    for (size, root) in ROOTS.iter().enumerate() {
        assert_eq!(
            tree.root_at(size as u64).expect("root_at"),
            h(root),
            "size {size}"
        );
    }
    // The first leaf is the empty entry: its leaf hash is SHA-256(0x00).
    assert_eq!(leaf_hash(b""), h(ROOTS[1]));
}

#[test]
fn inclusion_proofs_match_the_reference() {
    let tree = reference_tree();
    for (index, size, path) in INCLUSION {
        let want = hashes(path);
        assert_eq!(
            tree.inclusion_proof(index, size).expect("proof"),
            want,
            "leaf {index} in {size}"
        );
        let leaf = tree.leaf_hash(index).expect("leaf");
        let root = h(ROOTS[size as usize]);
        assert_eq!(verify_inclusion(&leaf, index, size, &want, &root), Ok(()));
        assert!(verify_inclusion(&leaf, index, size, &want, &h(ROOTS[size as usize - 1])).is_err());
    }
}

#[test]
fn consistency_proofs_match_the_reference() {
    let tree = reference_tree();
    for (old, new, path) in CONSISTENCY {
        let want = hashes(path);
        assert_eq!(
            tree.consistency_proof(old, new).expect("proof"),
            want,
            "{old} → {new}"
        );
        let (r1, r2) = (h(ROOTS[old as usize]), h(ROOTS[new as usize]));
        assert_eq!(verify_consistency(old, new, &r1, &r2, &want), Ok(()));
    }
}

// The example of Go's golang.org/x/mod/sumdb/note documentation: its
// signer key (base64 of 0x01 ‖ Ed25519 seed), verifier key, text and
// signed note.
const GO_SKEY_SEED: &str = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG_LINE: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

fn go_signer() -> Signer {
    let raw = data_encoding::BASE64
        .decode(GO_SKEY_SEED.as_bytes())
        .expect("base64");
    assert_eq!(raw[0], 0x01);
    let seed: [u8; 32] = raw[1..].try_into().expect("32 bytes");
    Signer::new("PeterNeumann", SigningKey::from_bytes(&seed)).expect("name")
}

#[test]
fn the_go_note_example_signs_and_opens_identically() {
    let signer = go_signer();
    assert_eq!(signer.key_id(), 0xc74f20a3);
    assert_eq!(signer.verifier().vkey(), GO_VKEY);
    let signed = signer.sign(GO_TEXT).expect("sign");
    assert_eq!(signed, format!("{GO_TEXT}\n{GO_SIG_LINE}"));

    let verifier = Verifier::from_vkey(GO_VKEY).expect("vkey");
    let note = note::open(signed.as_bytes(), std::slice::from_ref(&verifier)).expect("open");
    assert_eq!(note.text, GO_TEXT);
    assert_eq!(note.verified.len(), 1);
    assert_eq!(note.verified[0].name, "PeterNeumann");

    // One letter of the text changed: the known key's signature fails.
    let forged = signed.replacen("cryptography", "cryptographY", 1);
    assert_eq!(
        note::open(forged.as_bytes(), &[verifier]),
        Err(OpenError::InvalidSignature {
            name: "PeterNeumann".into(),
            key_id: 0xc74f20a3
        })
    );
}
