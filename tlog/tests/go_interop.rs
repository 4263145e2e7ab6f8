//! Our checkpoints, verifier key, consistency proofs, leaf hashes and
//! inclusion proofs checked by Go's golang.org/x/mod/sumdb/note and
//! sumdb/tlog (tests/go/main.go), an implementation no one here wrote.
//!
//! Needs Debian's `golang-go` and `golang-golang-x-mod-dev` (installed by
//! scripts/install-deps.sh); skipped, saying so, only when Go is absent.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use tsudoi_tlog::ed25519_dalek::SigningKey;
use tsudoi_tlog::note::Signer;
use tsudoi_tlog::{Checkpoint, ConsistencyProofFile, MemoryStore, Tree};

const GOPATH: &str = "/usr/share/gocode";

fn go_available() -> bool {
    match Command::new("go").arg("version").output() {
        Ok(out) => out.status.success(),
        Err(_) => false,
    }
}

/// Builds tests/go/main.go once per test binary run.
fn checker() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tlog-go");
    std::fs::create_dir_all(&out).expect("build directory");
    let bin = out.join(format!("tlogcheck-{}", std::process::id()));
    if bin.exists() {
        return bin;
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg("main.go")
        .current_dir(&src)
        .env("GOPATH", GOPATH)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOCACHE", out.join("cache"))
        .status()
        .expect("run go build");
    assert!(
        status.success(),
        "go build failed: is golang-golang-x-mod-dev installed (scripts/install-deps.sh)?"
    );
    bin
}

/// Entries of every shape: empty, binary, with newlines, long.
fn entry(i: u64) -> Vec<u8> {
    match i % 5 {
        0 => Vec::new(),
        1 => vec![(i % 256) as u8, 0, 0xff, b'\n'],
        2 => format!("{{\"seq\":{i},\"action\":\"view\",\"record\":{}}}", i * 7).into_bytes(),
        3 => "記録".repeat((i % 40) as usize).into_bytes(),
        _ => (0..(i % 300)).map(|b| b as u8).collect(),
    }
}

struct Log {
    tree: Tree<MemoryStore>,
    entries: Vec<Vec<u8>>,
}

fn log(n: u64, edit: Option<u64>) -> Log {
    let mut tree = Tree::new(MemoryStore::new());
    let mut entries = Vec::new();
    for i in 0..n {
        let mut e = entry(i);
        if edit == Some(i) {
            e.push(b'!');
        }
        tree.append(&e).expect("append");
        entries.push(e);
    }
    Log { tree, entries }
}

fn signer(seed: u8) -> Signer {
    Signer::new(
        "tsudoi.example/shinjuku-1",
        SigningKey::from_bytes(&[seed; 32]),
    )
    .expect("signer")
}

/// Writes what the ward would hold into a fresh directory.
fn write_case(dir: &Path, vkey_of: &Signer, signed_by: &Signer, log: &Log, old: u64) {
    let t = &log.tree;
    let new = t.size();
    let cp = |size: u64, tree: &Tree<MemoryStore>| {
        Checkpoint::new(signed_by.name(), size, tree.root_at(size).expect("root"))
            .expect("checkpoint")
            .sign(signed_by)
            .expect("sign")
    };
    std::fs::create_dir_all(dir).expect("case directory");
    let w = |name: &str, text: String| std::fs::write(dir.join(name), text).expect("write");
    w("vkey", format!("{}\n", vkey_of.verifier().vkey()));
    w("checkpoint.old", cp(old, t));
    w("checkpoint.new", cp(new, t));
    let proof = ConsistencyProofFile {
        old_size: old,
        new_size: new,
        proof: t.consistency_proof(old, new).expect("proof"),
    };
    w("proof.json", proof.to_json());
    let mut entries = String::new();
    let mut leaves = String::new();
    for (i, e) in log.entries.iter().enumerate() {
        entries.push_str(&data_encoding::HEXLOWER.encode(e));
        entries.push('\n');
        leaves.push_str(&t.leaf_hash(i as u64).expect("leaf").to_base64());
        leaves.push('\n');
    }
    w("entries", entries);
    w("leaves", leaves);
    let incl: Vec<String> = (0..new)
        .map(|i| {
            let p: Vec<String> = t
                .inclusion_proof(i, new)
                .expect("inclusion proof")
                .iter()
                .map(|h| format!("\"{}\"", h.to_base64()))
                .collect();
            format!("{{\"index\": {i}, \"proof\": [{}]}}", p.join(", "))
        })
        .collect();
    w("inclusion.json", format!("[{}]\n", incl.join(",\n")));
}

fn run(bin: &Path, dir: &Path) -> (bool, String) {
    let out = Command::new(bin).arg(dir).output().expect("run tlogcheck");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn go_sumdb_accepts_our_checkpoints_proofs_and_leaves_and_refuses_changed_ones() {
    if !go_available() {
        // Straight to stderr, past the test harness's capture, so that the
        // skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED go_interop: Go is not installed (apt-get install golang-go \
             golang-golang-x-mod-dev); nothing was checked against golang.org/x/mod/sumdb"
        );
        return;
    }
    let bin = checker();
    let base = tempfile::tempdir().expect("temporary directory");
    let key = signer(1);
    let n = 333;
    let honest = log(n, None);

    // Every kind of older size: 1, powers of two, odd, one short, equal.
    for old in [1, 2, 3, 7, 8, 64, 100, 255, 256, 257, 331, 332, 333] {
        let dir = base.path().join(format!("ok-{old}"));
        write_case(&dir, &key, &key, &honest, old);
        let (ok, text) = run(&bin, &dir);
        assert!(ok, "old size {old}: {text}");
        assert!(text.starts_with("ok: tsudoi.example/shinjuku-1+"), "{text}");
        assert!(
            text.contains(&format!("checkpoints {old} and {n}")),
            "{text}"
        );
        if old == 100 {
            println!("Go's verdict: {text}");
        }
    }

    // A small log too: every pair of sizes up to 12.
    for new in 1..=12 {
        let small = log(new, None);
        for old in 1..=new {
            let dir = base.path().join(format!("small-{old}-{new}"));
            write_case(&dir, &key, &key, &small, old);
            let (ok, text) = run(&bin, &dir);
            assert!(ok, "{old} → {new}: {text}");
        }
    }

    // Signed by another key than the ward's vkey names.
    let dir = base.path().join("other-key");
    write_case(&dir, &key, &signer(2), &honest, 100);
    let (ok, text) = run(&bin, &dir);
    assert!(!ok && text.contains("note.Open"), "{text}");

    // A proof hash changed.
    let dir = base.path().join("changed-proof");
    write_case(&dir, &key, &key, &honest, 100);
    let path = dir.join("proof.json");
    let mut proof = ConsistencyProofFile::from_json(&std::fs::read(&path).expect("read"))
        .expect("our own proof file");
    proof.proof[1].0[0] ^= 1;
    std::fs::write(&path, proof.to_json()).expect("write");
    let (ok, text) = run(&bin, &dir);
    assert!(!ok && text.contains("tlog.CheckTree"), "{text}");

    // An entry before the old checkpoint rewritten and every hash
    // recomputed: the checkpoints signed before do not match Go's heads.
    // Everything the rewritten log produces is self-consistent; only the
    // checkpoint the ward kept from before catches it.
    let rewritten = log(n, Some(50));
    let dir = base.path().join("rewritten");
    write_case(&dir, &key, &key, &rewritten, 100);
    let (ok, text) = run(&bin, &dir);
    assert!(ok, "the rewritten log on its own: {text}");
    let kept = base.path().join("ok-100").join("checkpoint.old");
    std::fs::copy(kept, dir.join("checkpoint.old")).expect("copy");
    let (ok, text) = run(&bin, &dir);
    assert!(!ok && text.contains("tlog.CheckTree 100 → 333"), "{text}");

    // A checkpoint's signed body edited (size), signature kept.
    let dir = base.path().join("edited-checkpoint");
    write_case(&dir, &key, &key, &honest, 100);
    let path = dir.join("checkpoint.old");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("\n100\n", "\n101\n", 1)).expect("write");
    let (ok, text) = run(&bin, &dir);
    assert!(!ok && text.contains("invalid signature"), "{text}");
}
