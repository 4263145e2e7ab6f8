//! The texts that cross the kiosk's boundary: signed checkpoints, the
//! verifier key and proof.json. Strict reading, a clear error for each
//! fault, and no panic on any input.

use tsudoi_tlog::ed25519_dalek::SigningKey;
use tsudoi_tlog::note::{self, OpenError, Signer, Verifier, VkeyError};
use tsudoi_tlog::{
    Checkpoint, CheckpointError, ConsistencyProofFile, Hash, HashDecodeError, LinkError,
    MemoryStore, OpenCheckpointError, ProofError, ProofFileError, SignCheckpointError, Tree,
};

const ORIGIN: &str = "tsudoi.example/shinjuku-1";

fn signer(seed: u8) -> Signer {
    Signer::new(ORIGIN, SigningKey::from_bytes(&[seed; 32])).expect("signer")
}

fn tree(n: u64) -> Tree<MemoryStore> {
    let mut t = Tree::new(MemoryStore::new());
    for i in 0..n {
        t.append(format!("entry {i}").as_bytes()).expect("append");
    }
    t
}

fn signed_checkpoint(size: u64) -> String {
    let t = tree(size);
    Checkpoint::new(ORIGIN, size, t.root())
        .expect("checkpoint")
        .sign(&signer(1))
        .expect("sign")
}

#[test]
fn a_signed_checkpoint_has_the_c2sp_form_and_opens() {
    let t = tree(5);
    let signed = signed_checkpoint(5);
    let lines: Vec<&str> = signed.split('\n').collect();
    assert_eq!(lines[0], ORIGIN);
    assert_eq!(lines[1], "5");
    assert_eq!(lines[2], t.root().to_base64());
    assert_eq!(lines[3], "");
    let sig = lines[4]
        .strip_prefix(&format!("— {ORIGIN} "))
        .expect("a signature line");
    let raw = data_encoding::BASE64
        .decode(sig.as_bytes())
        .expect("base64");
    assert_eq!(raw.len(), 4 + 64);
    assert_eq!(
        u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
        signer(1).key_id()
    );
    assert_eq!(lines[5], "");
    assert_eq!(lines.len(), 6);

    let v = signer(1).verifier();
    let c = Checkpoint::open(signed.as_bytes(), &v).expect("open");
    assert_eq!((c.origin(), c.size(), *c.root()), (ORIGIN, 5, t.root()));
}

#[test]
fn extension_lines_round_trip_and_are_signed() {
    let c = Checkpoint::new(ORIGIN, 3, tree(3).root())
        .expect("checkpoint")
        .with_extension("monthly report 2026-11")
        .expect("extension");
    assert!(c.body().ends_with("\nmonthly report 2026-11\n"));
    assert_eq!(Checkpoint::parse(&c.body()), Ok(c.clone()));
    let signed = c.sign(&signer(1)).expect("sign");
    let v = signer(1).verifier();
    assert_eq!(Checkpoint::open(signed.as_bytes(), &v), Ok(c.clone()));
    let edited = signed.replace("2026-11", "2026-12");
    assert!(matches!(
        Checkpoint::open(edited.as_bytes(), &v),
        Err(OpenCheckpointError::Note(
            OpenError::InvalidSignature { .. }
        ))
    ));
    assert_eq!(
        c.clone().with_extension(""),
        Err(CheckpointError::EmptyExtension(2))
    );
    assert_eq!(
        c.with_extension("two\nlines"),
        Err(CheckpointError::ExtensionNotOneLine(2))
    );
}

#[test]
fn checkpoints_are_refused_for_each_fault() {
    let root = tree(2).root().to_base64();
    let cases: Vec<(String, CheckpointError)> = vec![
        (
            format!("{ORIGIN}\n2\n{root}"),
            CheckpointError::NoFinalNewline,
        ),
        (format!("{ORIGIN}\n2\n"), CheckpointError::TooFewLines),
        (format!("\n2\n{root}\n"), CheckpointError::EmptyOrigin),
        (format!("{ORIGIN}\n02\n{root}\n"), CheckpointError::Size),
        (format!("{ORIGIN}\n-2\n{root}\n"), CheckpointError::Size),
        (format!("{ORIGIN}\n2 \n{root}\n"), CheckpointError::Size),
        (format!("{ORIGIN}\n\n{root}\n"), CheckpointError::Size),
        (
            format!("{ORIGIN}\n99999999999999999999\n{root}\n"),
            CheckpointError::Size,
        ),
        (
            format!("{ORIGIN}\n2\n{}\n", root.trim_end_matches('=')),
            CheckpointError::Root(HashDecodeError::Base64),
        ),
        (
            format!("{ORIGIN}\n2\nAAAA\n"),
            CheckpointError::Root(HashDecodeError::Length(3)),
        ),
        (
            format!("{ORIGIN}\n2\n{root}\n\n"),
            CheckpointError::EmptyExtension(1),
        ),
        (
            format!("{ORIGIN}\n2\n{root}\nx\n\ny\n"),
            CheckpointError::EmptyExtension(2),
        ),
        (
            format!("{ORIGIN}\r\n2\n{root}\n"),
            CheckpointError::ControlCharacter,
        ),
        (
            format!("{ORIGIN}\n2\n{root}\n{}\n", "x".repeat(70_000)),
            CheckpointError::TooLong,
        ),
    ];
    for (body, want) in cases {
        assert_eq!(Checkpoint::parse(&body), Err(want.clone()), "{body:?}");
        // Signed by the right key, the body is still refused.
        let signed = signer(1).sign(&body);
        if let Ok(signed) = signed {
            let got = Checkpoint::open(signed.as_bytes(), &signer(1).verifier());
            assert!(
                matches!(got, Err(OpenCheckpointError::Body(_))),
                "{body:?}: {got:?}"
            );
        }
    }
    assert_eq!(
        Checkpoint::new("", 1, Hash::default()),
        Err(CheckpointError::EmptyOrigin)
    );
    assert_eq!(
        Checkpoint::new("has space", 1, Hash::default()),
        Err(CheckpointError::OriginNotKeyName)
    );
    assert_eq!(
        Checkpoint::new("a+b", 1, Hash::default()),
        Err(CheckpointError::OriginNotKeyName)
    );
}

#[test]
fn a_checkpoint_must_come_from_the_log_key_under_its_own_name() {
    let v = signer(1).verifier();
    // Another key, same name: not signed by any known key.
    let other = Checkpoint::new(ORIGIN, 2, tree(2).root())
        .expect("checkpoint")
        .sign(&signer(2))
        .expect("sign");
    assert_eq!(
        Checkpoint::open(other.as_bytes(), &v),
        Err(OpenCheckpointError::Note(OpenError::NotSignedByKnownKey))
    );
    // The log key under another name cannot sign this origin.
    let elsewhere =
        Signer::new("tsudoi.example/elsewhere", SigningKey::from_bytes(&[1; 32])).expect("signer");
    assert_eq!(
        Checkpoint::new(ORIGIN, 2, tree(2).root())
            .expect("checkpoint")
            .sign(&elsewhere),
        Err(SignCheckpointError::OriginMismatch)
    );
    // A body naming another log, signed by the key as a plain note.
    let body = Checkpoint::new("tsudoi.example/elsewhere", 2, tree(2).root())
        .expect("checkpoint")
        .body();
    let signed = signer(1).sign(&body).expect("sign");
    assert!(matches!(
        Checkpoint::open(signed.as_bytes(), &v),
        Err(OpenCheckpointError::OriginMismatch { .. })
    ));
    // A witness's cosignature after ours is ignored; a second copy of ours
    // is harmless.
    let signed = signed_checkpoint(2);
    let witness = Signer::new("witness.example", SigningKey::from_bytes(&[3; 32])).expect("w");
    let body = Checkpoint::parse(
        &note::open(signed.as_bytes(), std::slice::from_ref(&v))
            .expect("open")
            .text,
    )
    .expect("body")
    .body();
    let cosigned = format!("{signed}{}", witness.signature_line(&body).expect("line"));
    let last_line = signed.lines().last().expect("a line");
    let twice = format!("{signed}{last_line}\n");
    for msg in [cosigned, twice] {
        let n = note::open(msg.as_bytes(), std::slice::from_ref(&v)).expect("open");
        assert_eq!(n.verified.len(), 1);
        assert!(Checkpoint::open(msg.as_bytes(), &v).is_ok());
    }
}

#[test]
fn notes_are_refused_for_each_fault() {
    let v = signer(1).verifier();
    let good = signed_checkpoint(3);
    let (text, sig) = good.split_once("\n\n").expect("two parts");
    let sig = sig.trim_end_matches('\n');
    let sig_b64 = sig.rsplit(' ').next().expect("base64");
    let cases: Vec<(Vec<u8>, OpenError)> = vec![
        (text.as_bytes().to_vec(), OpenError::NoSignatures),
        (format!("{text}\n\n").into_bytes(), OpenError::NoSignatures),
        (
            format!("{text}\n\n{sig}").into_bytes(),
            OpenError::NoSignatures,
        ),
        (
            format!("{text}\n\n- {ORIGIN} {sig_b64}\n").into_bytes(),
            OpenError::MalformedSignature(1),
        ),
        (
            format!("{text}\n\n— {ORIGIN}\n").into_bytes(),
            OpenError::MalformedSignature(1),
        ),
        (
            format!("{text}\n\n— {ORIGIN} AAAA\n").into_bytes(),
            OpenError::MalformedSignature(1),
        ),
        (
            format!("{text}\n\n— {ORIGIN} {sig_b64} \n").into_bytes(),
            OpenError::MalformedSignature(1),
        ),
        (
            format!("{text}\n\n{sig}\n— bad+name {sig_b64}\n").into_bytes(),
            OpenError::MalformedSignature(2),
        ),
        (
            format!("{text}\n\n—  {sig_b64}\n").into_bytes(),
            OpenError::MalformedSignature(1),
        ),
        (
            format!("{text}\u{1b}\n\n{sig}\n").into_bytes(),
            OpenError::ControlCharacter,
        ),
        (
            [text.as_bytes(), b"\xff\n\n", sig.as_bytes(), b"\n"].concat(),
            OpenError::NotUtf8,
        ),
        (
            format!("{text}\n\n{}", format!("{sig}\n").repeat(101)).into_bytes(),
            OpenError::TooManySignatures,
        ),
        (vec![b'a'; 70_000], OpenError::TooLong),
        (Vec::new(), OpenError::NoSignatures),
    ];
    for (msg, want) in cases {
        assert_eq!(
            note::open(&msg, std::slice::from_ref(&v)),
            Err(want),
            "{:?}",
            String::from_utf8_lossy(&msg)
        );
        assert!(Checkpoint::open(&msg, &v).is_err());
    }
    // No known keys at all.
    assert_eq!(
        note::open(good.as_bytes(), &[]),
        Err(OpenError::NotSignedByKnownKey)
    );
    // A truncated signature from the known key.
    let short = good.replace(sig_b64, &sig_b64[..sig_b64.len() - 8]);
    assert!(note::open(short.as_bytes(), std::slice::from_ref(&v)).is_err());
}

#[test]
fn hostile_bytes_never_panic() {
    // A deterministic stream of mutations of a good note: every byte
    // changed, removed or duplicated in turn, and random junk.
    let v = signer(1).verifier();
    let good = signed_checkpoint(7).into_bytes();
    let mut opened = 0;
    for i in 0..good.len() {
        for variant in 0..3 {
            let mut m = good.clone();
            match variant {
                0 => m[i] ^= 0x55,
                1 => {
                    m.remove(i);
                }
                _ => m.insert(i, m[i]),
            }
            // (Checkpoint::open opens the note first.)
            if Checkpoint::open(&m, &v).is_ok() {
                opened += 1;
            }
            let _ = ConsistencyProofFile::from_json(&m);
            if let Ok(s) = std::str::from_utf8(&m) {
                let _ = Checkpoint::parse(s);
                let _ = Verifier::from_vkey(s);
            }
        }
    }
    // Every change to the signed text, the blank line or the signature
    // line is refused.
    assert_eq!(opened, 0, "a changed checkpoint opened");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in 0..2000 {
        let junk: Vec<u8> = (0..len % 300)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let _ = note::open(&junk, std::slice::from_ref(&v));
        let _ = ConsistencyProofFile::from_json(&junk);
        if let Ok(s) = std::str::from_utf8(&junk) {
            let _ = Checkpoint::parse(s);
            let _ = Verifier::from_vkey(s);
        }
    }
}

#[test]
fn vkeys_are_refused_for_each_fault() {
    let v = signer(1).verifier();
    let good = v.vkey();
    let (name, rest) = good.split_once('+').expect("name");
    let (id, key) = rest.split_once('+').expect("id");
    let raw = data_encoding::BASE64
        .decode(key.as_bytes())
        .expect("base64");
    let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
    let mut alg2 = raw.clone();
    alg2[0] = 0x02;
    let cases: Vec<(String, VkeyError)> = vec![
        (String::new(), VkeyError::Format),
        (name.to_owned(), VkeyError::Format),
        (format!("{name}+{id}"), VkeyError::Format),
        (format!("+{id}+{key}"), VkeyError::Name),
        (format!("a b+{id}+{key}"), VkeyError::Name),
        (format!("{name}+{}+{key}", &id[..7]), VkeyError::KeyId),
        (format!("{name}+zzzzzzzz+{key}"), VkeyError::KeyId),
        (format!("{name}+-1234567+{key}"), VkeyError::KeyId),
        (format!("{name}+{id}+{key}\n"), VkeyError::Base64),
        (format!("{name}+{id}+{key} "), VkeyError::Base64),
        (format!("{name}+{id}+"), VkeyError::KeyLength(0)),
        (
            format!("{name}+{id}+{}", b64(&alg2)),
            VkeyError::Algorithm(2),
        ),
        (
            format!("{name}+{id}+{}", b64(&raw[..32])),
            VkeyError::KeyLength(32),
        ),
        (format!("other+{id}+{key}"), VkeyError::KeyIdMismatch),
        (format!("{name}+00000000+{key}"), VkeyError::KeyIdMismatch),
        (
            format!("{name}+{id}+{}", "A".repeat(2000)),
            VkeyError::Format,
        ),
    ];
    for (text, want) in cases {
        assert_eq!(Verifier::from_vkey(&text), Err(want), "{text:?}");
    }
    // Upper-case hex is the same key id.
    assert_eq!(
        Verifier::from_vkey(&format!("{name}+{}+{key}", id.to_uppercase())),
        Ok(v)
    );
}

#[test]
fn proof_files_have_the_issue_s_form_and_are_read_strictly() {
    let t = tree(8);
    let p = ConsistencyProofFile {
        old_size: 6,
        new_size: 8,
        proof: t.consistency_proof(6, 8).expect("proof"),
    };
    let json = p.to_json();
    assert_eq!(
        json,
        format!(
            "{{\"old_size\": 6, \"new_size\": 8, \"proof\": [\"{}\", \"{}\", \"{}\"]}}\n",
            p.proof[0].to_base64(),
            p.proof[1].to_base64(),
            p.proof[2].to_base64()
        )
    );
    assert_eq!(
        ConsistencyProofFile::from_json(json.as_bytes()).expect("read"),
        p
    );
    // Other whitespace and key order are JSON too.
    let reordered = format!(
        "{{\n  \"proof\": [\"{}\",\"{}\",\"{}\"],\n  \"new_size\": 8,\n  \"old_size\": 6\n}}",
        p.proof[0].to_base64(),
        p.proof[1].to_base64(),
        p.proof[2].to_base64()
    );
    assert_eq!(
        ConsistencyProofFile::from_json(reordered.as_bytes()).expect("read"),
        p
    );
    let empty = ConsistencyProofFile {
        old_size: 8,
        new_size: 8,
        proof: vec![],
    };
    assert_eq!(
        empty.to_json(),
        "{\"old_size\": 8, \"new_size\": 8, \"proof\": []}\n"
    );

    let h = p.proof[0].to_base64();
    let bad = |s: &str| ConsistencyProofFile::from_json(s.as_bytes());
    for s in [
        "",
        "[]",
        "{}",
        "{\"old_size\": 1, \"new_size\": 2}",
        "{\"old_size\": 1, \"proof\": []}",
        "{\"old_size\": -1, \"new_size\": 2, \"proof\": []}",
        "{\"old_size\": 1.5, \"new_size\": 2, \"proof\": []}",
        "{\"old_size\": \"1\", \"new_size\": 2, \"proof\": []}",
        "{\"old_size\": 1, \"new_size\": 18446744073709551616, \"proof\": []}",
        "{\"old_size\": 1, \"new_size\": 2, \"proof\": [], \"extra\": 0}",
        "{\"old_size\": 1, \"old_size\": 1, \"new_size\": 2, \"proof\": []}",
        "{\"old_size\": 1, \"new_size\": 2, \"proof\": [1]}",
        "{\"old_size\": 1, \"new_size\": 2, \"proof\": []} trailing",
    ] {
        assert!(
            matches!(bad(s), Err(ProofFileError::Json(_))),
            "{s:?}: {:?}",
            bad(s)
        );
    }
    assert!(matches!(
        bad("{\"old_size\": 3, \"new_size\": 2, \"proof\": []}"),
        Err(ProofFileError::OldAfterNew { old: 3, new: 2 })
    ));
    assert!(matches!(
        bad(&format!(
            "{{\"old_size\": 1, \"new_size\": 2, \"proof\": [\"{h}\", \"{}\"]}}",
            &h[..43]
        )),
        Err(ProofFileError::Hash {
            index: 1,
            error: HashDecodeError::Base64
        })
    ));
    assert!(matches!(
        bad(&format!(
            "{{\"old_size\": 1, \"new_size\": 2, \"proof\": [{}]}}",
            vec![format!("\"{h}\""); 129].join(",")
        )),
        Err(ProofFileError::TooManyHashes)
    ));
    assert!(matches!(
        bad(&" ".repeat(70_000)),
        Err(ProofFileError::TooLong)
    ));
}

#[test]
fn a_proof_file_links_two_checkpoints_or_says_why_not() {
    let t = tree(20);
    let cp = |n: u64| Checkpoint::new(ORIGIN, n, t.root_at(n).expect("root")).expect("cp");
    let (old, new) = (cp(7), cp(20));
    let p = ConsistencyProofFile {
        old_size: 7,
        new_size: 20,
        proof: t.consistency_proof(7, 20).expect("proof"),
    };
    assert_eq!(p.verify(&old, &new), Ok(()));
    assert_eq!(
        p.verify(&cp(8), &new),
        Err(LinkError::OldSizeMismatch {
            proof: 7,
            checkpoint: 8
        })
    );
    assert_eq!(
        p.verify(&old, &cp(19)),
        Err(LinkError::NewSizeMismatch {
            proof: 20,
            checkpoint: 19
        })
    );
    let elsewhere = Checkpoint::new("tsudoi.example/elsewhere", 20, *new.root()).expect("cp");
    assert_eq!(p.verify(&old, &elsewhere), Err(LinkError::OriginMismatch));
    // A checkpoint the ward holds from a log later rewritten.
    let forged_old = Checkpoint::new(ORIGIN, 7, tree(7).root_at(6).expect("root")).expect("cp");
    assert_eq!(
        p.verify(&forged_old, &new),
        Err(LinkError::Proof(ProofError::OldRootMismatch))
    );
}
