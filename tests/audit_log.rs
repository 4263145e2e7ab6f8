//! The audit log as a Merkle tree the ward can check from outside (issue 13):
//! checkpoints, consistency proofs and `audit verify --checkpoint` through
//! the command line; a log cut short, rolled back to an old copy, or
//! rewritten with the right keys, each caught by an older checkpoint; the
//! checkpoint and proof checked by Go's `sumdb/note` and `sumdb/tlog`; the
//! entries recorded while locked chained. Files are changed with `sqlite3`
//! (the tool) or rusqlite, as someone with the file would.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::cli::{Env, code, text};
use common::{NEW_PASSWORD, PASSWORD};
use rusqlite::Connection;
use tsudoi_tlog::{Hash, MemoryStore, Tree};

fn raw(path: &Path) -> Connection {
    Connection::open(path).unwrap()
}

fn sqlite3(db: &Path, sql: &str) {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the sqlite3 command (Debian package sqlite3)");
    assert!(out.status.success(), "sqlite3: {}", text(&out.stderr));
}

/// Some audited work: sessions added (each one entry besides the sign-in).
fn work(env: &Env, n: usize) {
    for i in 0..n {
        env.staff(&[
            "session",
            "add",
            "--program",
            "koryu",
            "--date",
            "2026-12-01",
            "--start",
            "10:00",
            "--end",
            "11:00",
            "--title",
            &format!("交流サロン{i}"),
        ]);
    }
}

fn rows(env: &Env) -> u64 {
    raw(&env.store())
        .query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0))
        .unwrap() as u64
}

fn checkpoint_to(env: &Env, name: &str) -> PathBuf {
    let p = env.path(name);
    env.staff(&["audit", "checkpoint", "--out", p.to_str().unwrap()]);
    p
}

fn size_of(checkpoint: &Path) -> u64 {
    let t = std::fs::read_to_string(checkpoint).unwrap();
    t.lines().nth(1).unwrap().parse().unwrap()
}

fn verify(env: &Env, checkpoints: &[&Path]) -> (i32, String) {
    let mut args = vec!["audit", "verify"];
    if !checkpoints.is_empty() {
        args.push("--checkpoint");
        for c in checkpoints {
            args.push(c.to_str().unwrap());
        }
    }
    let out = env.run(&args, Some(NEW_PASSWORD));
    (
        code(&out),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

/// Removes entries `from ..` (counted from 1) and every tree node covering
/// them, as someone truncating the log with care would (the chain and the
/// stored tree then agree with the shorter log).
fn truncate_log(db: &Path, keep: u64) {
    sqlite3(
        db,
        &format!(
            "DELETE FROM audit WHERE seq > {keep};
             DELETE FROM audit_node WHERE ((idx + 1) << level) > {keep};"
        ),
    );
}

#[test]
fn vkey_is_on_the_setup_sheet_and_checkpoints_open_with_it() {
    let env = Env::new();
    let out = env.run(
        &[
            "init",
            "--site",
            "新宿区 つどいの家",
            "--manager",
            "kanri01",
        ],
        Some(PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sheet = text(&out.stdout);
    // No sign-in needed for the public verifier key.
    let out = env.run(&["audit", "vkey"], None);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let vkey = text(&out.stdout).trim().to_owned();
    assert!(sheet.contains(&vkey), "init prints the vkey: {sheet}");
    let parts: Vec<&str> = vkey.splitn(3, '+').collect();
    assert_eq!(parts.len(), 3, "{vkey}");
    assert_eq!(parts[0], "tsudoi/新宿区_つどいの家");
    assert_eq!(parts[1].len(), 8);

    let mut c = env.cmd(&["staff", "passwd"]);
    c.env("TSUDOI_PASSWORD", PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD);
    assert!(c.output().unwrap().status.success());
    // To standard output by default.
    let out = env.staff(&["audit", "checkpoint"]);
    let cp = text(&out.stdout);
    let verifier = tsudoi_tlog::note::Verifier::from_vkey(&vkey).unwrap();
    let opened = tsudoi_tlog::Checkpoint::open(cp.as_bytes(), &verifier).unwrap();
    assert_eq!(opened.origin(), "tsudoi/新宿区_つどいの家");
    // The checkpoint covers every entry, its own included.
    assert_eq!(opened.size(), rows(&env));
    let last: String = raw(&env.store())
        .query_row(
            "SELECT action FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "checkpoint");
    // An existing file is never overwritten.
    let p = env.path("cp");
    std::fs::write(&p, "keep").unwrap();
    let out = env.run(
        &["audit", "checkpoint", "--out", p.to_str().unwrap()],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "keep");
}

#[test]
fn operators_make_checkpoints_and_proofs_handlers_do_not() {
    let env = Env::new();
    env.init();
    for (id, role) in [("unei01", "operator"), ("uketsuke01", "handler")] {
        let mut add = env.cmd(&["staff", "add", id, "--role", role]);
        add.env("TSUDOI_PASSWORD", NEW_PASSWORD)
            .env("TSUDOI_NEW_PASSWORD", "Hajimete-2026-pass");
        assert!(add.output().unwrap().status.success());
        let mut passwd = env.cmd(&["staff", "passwd"]);
        passwd
            .env("TSUDOI_STAFF", id)
            .env("TSUDOI_PASSWORD", "Hajimete-2026-pass")
            .env("TSUDOI_NEW_PASSWORD", "Shokuin-2026-pass");
        assert!(passwd.output().unwrap().status.success());
    }
    let old = checkpoint_to(&env, "old.checkpoint");
    let as_staff = |id: &str, args: &[&str]| {
        let mut c = env.cmd(args);
        c.env("TSUDOI_STAFF", id)
            .env("TSUDOI_PASSWORD", "Shokuin-2026-pass");
        c.output().unwrap()
    };
    let out = as_staff("unei01", &["audit", "checkpoint"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let dir = env.path("proof-op");
    let out = as_staff(
        "unei01",
        &[
            "audit",
            "prove",
            "--from",
            old.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(dir.join("checkpoint").exists() && dir.join("proof.json").exists());
    let out = as_staff(
        "unei01",
        &["audit", "verify", "--checkpoint", old.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}{}", text(&out.stdout), text(&out.stderr));

    for args in [
        &["audit", "checkpoint"][..],
        &[
            "audit",
            "prove",
            "--from",
            old.to_str().unwrap(),
            "--out",
            env.path("proof-h").to_str().unwrap(),
        ],
    ] {
        let out = as_staff("uketsuke01", args);
        assert_eq!(code(&out), 3, "{args:?}: not allowed");
        assert!(
            text(&out.stderr).contains("取扱者"),
            "{}",
            text(&out.stderr)
        );
    }
    assert!(!env.path("proof-h").exists());
    // A handler may still check the log.
    let out = as_staff(
        "uketsuke01",
        &["audit", "verify", "--checkpoint", old.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
}

#[test]
fn an_intact_log_matches_every_older_checkpoint_and_proves_consistency() {
    let env = Env::new();
    env.init();
    let a = checkpoint_to(&env, "a.checkpoint");
    work(&env, 3);
    let b = checkpoint_to(&env, "b.checkpoint");
    work(&env, 2);
    let (c, out) = verify(&env, &[&b, &a]);
    assert_eq!(c, 0, "{out}");
    assert!(out.contains("改ざんされていません"), "{out}");
    assert_eq!(out.matches("一致しています").count(), 3, "{out}");

    let dir = env.path("prove");
    env.staff(&[
        "audit",
        "prove",
        "--from",
        a.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    let proof: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("proof.json")).unwrap()).unwrap();
    let keys: Vec<&String> = proof.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3);
    assert_eq!(proof["old_size"].as_u64(), Some(size_of(&a)));
    let new_size = size_of(&dir.join("checkpoint"));
    assert_eq!(proof["new_size"].as_u64(), Some(new_size));
    assert_eq!(new_size, rows(&env));
    // Our own verifier accepts it (Go checks it in the test below).
    let vkey = text(&env.run(&["audit", "vkey"], None).stdout);
    let v = tsudoi_tlog::note::Verifier::from_vkey(vkey.trim()).unwrap();
    let old = tsudoi_tlog::Checkpoint::open(&std::fs::read(&a).unwrap(), &v).unwrap();
    let new =
        tsudoi_tlog::Checkpoint::open(&std::fs::read(dir.join("checkpoint")).unwrap(), &v).unwrap();
    let pf = tsudoi_tlog::ConsistencyProofFile::from_json(
        &std::fs::read(dir.join("proof.json")).unwrap(),
    )
    .unwrap();
    pf.verify(&old, &new).unwrap();
    // The output directory's files are never overwritten.
    let out = env.run(
        &[
            "audit",
            "prove",
            "--from",
            a.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
}

#[test]
fn a_log_cut_short_is_caught_by_an_older_checkpoint() {
    let env = Env::new();
    env.init();
    work(&env, 2);
    let early = checkpoint_to(&env, "early.checkpoint");
    work(&env, 4);
    let cp = checkpoint_to(&env, "ward.checkpoint");
    let n = size_of(&cp);
    let keep = size_of(&early) + 3;
    truncate_log(&env.store(), keep);
    // The keyed chain alone cannot see a tail cut off with care.
    let (c, out) = verify(&env, &[]);
    assert_eq!(c, 0, "{out}");
    // This check's own sign-in adds one entry.
    let m = rows(&env) + 1;
    let (c, out) = verify(&env, &[&cp, &early]);
    assert_eq!(c, 1, "{out}");
    let e = size_of(&early);
    assert!(
        out.contains(&format!(
            "監査ログが{m}件しかありません。少なくとも{}件目以降が削除されたか、古いファイルに戻されています（控えと一致が確かめられるのは{e}件目まで）",
            m + 1
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("監査ログの{}件目以降で改ざんを検出", e + 1)),
        "{out}"
    );
    assert!(out.contains(&format!("（{e}件）: 一致しています")), "{out}");
    assert!(n > keep);
    // `prove` refuses to extend the ward's checkpoint.
    let out = env.run(
        &[
            "audit",
            "prove",
            "--from",
            cp.to_str().unwrap(),
            "--out",
            env.path("p").to_str().unwrap(),
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 4, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("短くなっています"));
    assert!(!env.path("p").exists());

    // Cut without care (rows only): the stored tree names the first one.
    let env = Env::new();
    env.init();
    work(&env, 3);
    // The last entry (a session added) removed; this check's sign-in then
    // stands in its place and differs from the leaf stored for it.
    let m = rows(&env);
    sqlite3(&env.store(), &format!("DELETE FROM audit WHERE seq = {m}"));
    let (c, out) = verify(&env, &[]);
    assert_eq!(c, 1, "{out}");
    assert!(
        out.contains(&format!("監査ログの{m}件目で改ざんを検出")),
        "{out}"
    );
}

#[test]
fn a_rollback_to_an_old_copy_is_caught_by_an_older_checkpoint() {
    let env = Env::new();
    env.init();
    work(&env, 2);
    let first = checkpoint_to(&env, "first.checkpoint");
    work(&env, 1);
    // Someone keeps a copy of the file (the store is closed between commands).
    let copy = env.path("copy.db");
    std::fs::copy(env.store(), &copy).unwrap();
    let copy_size = rows(&env);
    work(&env, 3);
    let ward = checkpoint_to(&env, "ward.checkpoint");

    // Put the old copy back (its WAL was checkpointed when it closed).
    let _ = std::fs::remove_file(env.path("tsudoi.db-wal"));
    let _ = std::fs::remove_file(env.path("tsudoi.db-shm"));
    std::fs::copy(&copy, env.store()).unwrap();
    assert_eq!(rows(&env), copy_size);
    let (c, out) = verify(&env, &[&first, &ward]);
    assert_eq!(c, 1, "{out}");
    assert!(
        out.contains(&format!(
            "監査ログが{}件しかありません。少なくとも{}件目以降が削除されたか、古いファイルに戻されています",
            copy_size + 1,
            copy_size + 2
        )),
        "{out}"
    );

    // ... and go on working until it is longer than the ward's checkpoint:
    // the sizes no longer tell, the tree heads do.
    work(&env, 6);
    assert!(rows(&env) > size_of(&ward));
    let (c, out) = verify(&env, &[&first, &ward]);
    assert_eq!(c, 1, "{out}");
    let from = size_of(&first) + 1;
    assert!(
        out.contains(&format!(
            "{from}件目から{}件目までのどこかが書き換えられています",
            size_of(&ward)
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("監査ログの{from}件目以降で改ざんを検出")),
        "{out}"
    );
    // Alone, the chain and the stored tree find nothing: the copy is whole.
    let (c, out) = verify(&env, &[]);
    assert_eq!(c, 0, "{out}");
}

#[test]
fn a_history_rewritten_with_the_right_keys_is_caught_by_an_older_checkpoint() {
    let env = Env::new();
    env.init();
    work(&env, 3);
    let ward = checkpoint_to(&env, "ward.checkpoint");
    let n = size_of(&ward);
    // Someone holding the manager's password rewrites everything after the
    // first entry: rows and tree nodes removed, new history appended by the
    // program itself (valid MACs, valid nodes).
    truncate_log(&env.store(), 1);
    work(&env, n as usize);
    assert!(rows(&env) > n);
    let (c, out) = verify(&env, &[]);
    assert_eq!(c, 0, "the chain and the stored tree are consistent: {out}");
    let (c, out) = verify(&env, &[&ward]);
    assert_eq!(c, 1, "{out}");
    assert!(
        out.contains(&format!(
            "1件目から{n}件目までのどこかが書き換えられています"
        )),
        "{out}"
    );
    let out = env.run(
        &[
            "audit",
            "prove",
            "--from",
            ward.to_str().unwrap(),
            "--out",
            env.path("p").to_str().unwrap(),
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 4, "damaged data");
    assert!(
        text(&out.stderr).contains("一致しません"),
        "{}",
        text(&out.stderr)
    );

    // Editing one row in place (and nothing else) is named exactly.
    let env = Env::new();
    env.init();
    work(&env, 3);
    let ward = checkpoint_to(&env, "ward.checkpoint");
    sqlite3(
        &env.store(),
        "UPDATE audit SET actor = 'someone' WHERE seq = 3",
    );
    let (c, out) = verify(&env, &[&ward]);
    assert_eq!(c, 1, "{out}");
    assert!(out.contains("監査ログの3件目で改ざんを検出"), "{out}");
    assert!(out.contains("1件目から"), "{out}");
}

#[test]
fn a_checkpoint_from_another_key_or_edited_is_refused() {
    let env = Env::new();
    env.init();
    let cp = checkpoint_to(&env, "ward.checkpoint");
    let other = Env::new();
    other.init();
    let foreign = checkpoint_to(&other, "other.checkpoint");
    let edited = env.path("edited.checkpoint");
    let t = std::fs::read_to_string(&cp).unwrap();
    let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
    lines[1] = (size_of(&cp) - 1).to_string();
    std::fs::write(&edited, lines.join("\n") + "\n").unwrap();
    for bad in [&foreign, &edited] {
        let (c, out) = verify(&env, &[bad]);
        assert_eq!(c, 1, "{out}");
        assert!(out.contains("確認できません"), "{out}");
    }
    let out = env.run(
        &[
            "audit",
            "prove",
            "--from",
            foreign.to_str().unwrap(),
            "--out",
            env.path("p").to_str().unwrap(),
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
}

#[test]
fn every_entry_is_a_stored_leaf_written_in_the_same_transaction() {
    let env = Env::new();
    env.init();
    work(&env, 4);
    let conn = raw(&env.store());
    let n = rows(&env);
    let leaves: i64 = conn
        .query_row("SELECT count(*) FROM audit_node WHERE level = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(leaves as u64, n);
    // 2n − popcount(n) complete subtrees in all.
    let nodes: i64 = conn
        .query_row("SELECT count(*) FROM audit_node", [], |r| r.get(0))
        .unwrap();
    assert_eq!(nodes as u64, 2 * n - u64::from(n.count_ones()));
    // Python's hashlib recomputes every leaf from its row as FORMAT.md
    // section 9 specifies (not this program's code).
    let script = r#"
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
leaves = dict(db.execute("SELECT idx, hash FROM audit_node WHERE level = 0"))
bad = 0
for i, row in enumerate(db.execute("SELECT seq, at, actor, action, record_id, fields, result FROM audit ORDER BY seq")):
    data = struct.pack(">q", row[0])
    for part in row[1:]:
        b = part.encode("utf-8")
        data += struct.pack(">I", len(b)) + b
    if hashlib.sha256(b"\x00" + data).digest() != leaves[i]:
        bad += 1
print(len(leaves), bad)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(env.store())
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), format!("{n} 0"));
}

#[test]
fn failed_sign_ins_while_locked_are_chained_until_folded() {
    for tamper in ["none", "edit", "drop-first", "drop-middle"] {
        let env = Env::new();
        env.init();
        for _ in 0..3 {
            let out = env.run(&["staff", "list"], Some("Wrong-pass-2026-x"));
            assert_eq!(code(&out), 3, "wrong password: not allowed");
        }
        let db = env.store();
        let pending: i64 = raw(&db)
            .query_row(
                "SELECT count(*) FROM audit_pending WHERE hash IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(pending, 3);
        match tamper {
            "edit" => sqlite3(
                &db,
                "UPDATE audit_pending SET actor = 'other' WHERE id = (SELECT min(id) + 1 FROM audit_pending)",
            ),
            "drop-first" => sqlite3(
                &db,
                "DELETE FROM audit_pending WHERE id = (SELECT min(id) FROM audit_pending)",
            ),
            "drop-middle" => sqlite3(
                &db,
                "DELETE FROM audit_pending WHERE id = (SELECT min(id) + 1 FROM audit_pending)",
            ),
            _ => {}
        }
        // The next sign-in folds them into the log.
        let (c, out) = verify(&env, &[]);
        let checks: Vec<String> = raw(&db)
            .prepare("SELECT result FROM audit WHERE action = 'pending_check'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let folded: i64 = raw(&db)
            .query_row(
                "SELECT count(*) FROM audit WHERE result LIKE '%(recorded while locked)'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        match tamper {
            "none" => {
                assert!(checks.is_empty(), "{checks:?}");
                assert_eq!(folded, 3);
                assert_eq!(c, 0, "{out}");
            }
            "edit" => {
                assert_eq!(checks, ["broken_at_2_of_3"]);
                assert!(
                    out.contains("ロック中に記録されたサインインの失敗が書き換えられていました"),
                    "{out}"
                );
            }
            "drop-first" => assert_eq!(checks, ["broken_at_1_of_2"]),
            _ => assert_eq!(checks, ["broken_at_2_of_2"]),
        }
    }
}

// --- Go's sumdb/note and sumdb/tlog -----------------------------------------

fn go_available() -> bool {
    Command::new("go")
        .arg("version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn go_checker() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-go");
    std::fs::create_dir_all(&out).unwrap();
    let bin = out.join(format!("tlogcheck-{}", std::process::id()));
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tlog/tests/go");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg("main.go")
        .current_dir(&src)
        .env("GOPATH", "/usr/share/gocode")
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOCACHE", out.join("cache"))
        .status()
        .expect("go build");
    assert!(
        status.success(),
        "go build failed: is golang-golang-x-mod-dev installed (scripts/install-deps.sh)?"
    );
    bin
}

#[test]
fn go_sumdb_checks_the_checkpoints_proof_and_leaves() {
    if !go_available() {
        eprintln!(
            "SKIPPED go_sumdb_checks_the_checkpoints_proof_and_leaves: Go is not installed (apt-get install golang-go golang-golang-x-mod-dev)"
        );
        return;
    }
    let env = Env::new();
    env.init();
    work(&env, 3);
    let case = env.path("go");
    std::fs::create_dir_all(&case).unwrap();
    let old = case.join("checkpoint.old");
    env.staff(&["audit", "checkpoint", "--out", old.to_str().unwrap()]);
    work(&env, 5);
    let dir = env.path("prove");
    env.staff(&[
        "audit",
        "prove",
        "--from",
        old.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    std::fs::copy(dir.join("checkpoint"), case.join("checkpoint.new")).unwrap();
    std::fs::copy(dir.join("proof.json"), case.join("proof.json")).unwrap();
    let vkey = text(&env.run(&["audit", "vkey"], None).stdout);
    std::fs::write(case.join("vkey"), &vkey).unwrap();

    // The entries as FORMAT.md section 9 encodes them, by Python from the
    // rows; the leaves as stored; inclusion proofs from the stored leaves.
    let script = r#"
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("SELECT seq, at, actor, action, record_id, fields, result FROM audit ORDER BY seq"):
    data = struct.pack(">q", row[0])
    for part in row[1:]:
        b = part.encode("utf-8")
        data += struct.pack(">I", len(b)) + b
    print(data.hex())
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(env.store())
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::write(case.join("entries"), &out.stdout).unwrap();
    let conn = raw(&env.store());
    let leaves: Vec<Hash> = conn
        .prepare("SELECT hash FROM audit_node WHERE level = 0 ORDER BY idx")
        .unwrap()
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|b| Hash::from_slice(&b.unwrap()).unwrap())
        .collect();
    let mut tree = Tree::new(MemoryStore::new());
    let mut leaf_text = String::new();
    for l in &leaves {
        tree.append_leaf_hash(*l).unwrap();
        leaf_text.push_str(&l.to_base64());
        leaf_text.push('\n');
    }
    std::fs::write(case.join("leaves"), leaf_text).unwrap();
    let incl: Vec<String> = (0..tree.size())
        .map(|i| {
            let p: Vec<String> = tree
                .inclusion_proof(i, tree.size())
                .unwrap()
                .iter()
                .map(|h| format!("\"{}\"", h.to_base64()))
                .collect();
            format!("{{\"index\": {i}, \"proof\": [{}]}}", p.join(", "))
        })
        .collect();
    std::fs::write(
        case.join("inclusion.json"),
        format!("[{}]\n", incl.join(",\n")),
    )
    .unwrap();

    let bin = go_checker();
    let out = Command::new(&bin).arg(&case).output().unwrap();
    assert!(
        out.status.success(),
        "Go refused: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).starts_with("ok: tsudoi/テスト施設+"),
        "{}",
        text(&out.stdout)
    );

    // A rewritten history: the old checkpoint the ward holds against a new
    // one from the rewritten log and a proof from it; Go refuses.
    truncate_log(&env.store(), 2);
    work(&env, 8);
    let forged = env.path("forged");
    std::fs::create_dir_all(&forged).unwrap();
    for f in [
        "vkey",
        "checkpoint.old",
        "entries",
        "leaves",
        "inclusion.json",
    ] {
        std::fs::copy(case.join(f), forged.join(f)).unwrap();
    }
    env.staff(&[
        "audit",
        "checkpoint",
        "--out",
        forged.join("checkpoint.new").to_str().unwrap(),
    ]);
    // The honest proof of the old size within the rewritten tree.
    let old_size = size_of(&old);
    let new_size = size_of(&forged.join("checkpoint.new"));
    let store = tsudoi_tlog::MemoryStore::new();
    let mut t = Tree::new(store);
    for l in raw(&env.store())
        .prepare("SELECT hash FROM audit_node WHERE level = 0 ORDER BY idx")
        .unwrap()
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
    {
        t.append_leaf_hash(Hash::from_slice(&l.unwrap()).unwrap())
            .unwrap();
    }
    assert_eq!(t.size(), new_size);
    let pf = tsudoi_tlog::ConsistencyProofFile {
        old_size,
        new_size,
        proof: t.consistency_proof(old_size, new_size).unwrap(),
    };
    std::fs::write(forged.join("proof.json"), pf.to_json()).unwrap();
    let out = Command::new(&bin).arg(&forged).output().unwrap();
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("tlog.CheckTree"),
        "{}",
        text(&out.stderr)
    );
}
