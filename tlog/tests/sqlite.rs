//! The node layout in an SQLite table (tests/common/sqlite_store.rs, as the
//! README describes it): proofs from the table equal proofs from memory,
//! the tree reopens from the file, and Python's own sqlite3 and hashlib
//! find every node to be what RFC 6962 says it is.

mod common {
    pub mod sqlite_store;
}

use std::process::Command;

use common::sqlite_store::{SqliteStore, SqliteStoreError};
use tsudoi_tlog::{MemoryStore, Tree, TreeError};

fn entry(i: u64) -> Vec<u8> {
    format!("entry {i}").into_bytes()
}

#[test]
fn a_tree_in_sqlite_reopens_and_proves_like_one_in_memory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("tlog.sqlite");
    let n = 77u64;
    let mut mem = Tree::new(MemoryStore::new());
    {
        let store =
            SqliteStore::new(rusqlite::Connection::open(&path).expect("open")).expect("schema");
        let mut sql = Tree::new(store);
        for i in 0..n {
            sql.append(&entry(i)).expect("append");
            mem.append(&entry(i)).expect("append");
        }
        assert_eq!(sql.root(), mem.root());
    }
    let store =
        SqliteStore::new(rusqlite::Connection::open(&path).expect("reopen")).expect("schema");
    let mut sql = Tree::open(store, n).expect("open the tree");
    assert_eq!(sql.root(), mem.root());
    for old in 0..=n {
        assert_eq!(
            sql.root_at(old).expect("root"),
            mem.root_at(old).expect("root")
        );
        assert_eq!(
            sql.consistency_proof(old, n).expect("proof"),
            mem.consistency_proof(old, n).expect("proof")
        );
    }
    for i in 0..n {
        assert_eq!(
            sql.inclusion_proof(i, n).expect("proof"),
            mem.inclusion_proof(i, n).expect("proof")
        );
    }
    // The wrong size is noticed on opening.
    let store =
        SqliteStore::new(rusqlite::Connection::open(&path).expect("reopen")).expect("schema");
    assert!(matches!(
        Tree::open(store, n - 1),
        Err(TreeError::SizeMismatch { .. })
    ));

    // A refused write leaves the tree as it was: a conflicting leaf is
    // already in the table (the primary key refuses the append).
    sql.store()
        .conn
        .execute(
            "INSERT INTO tlog_node (level, idx, hash) VALUES (0, ?1, zeroblob(32))",
            [n as i64],
        )
        .expect("plant a conflicting row");
    let root = sql.root();
    assert!(matches!(
        sql.append(b"one more"),
        Err(TreeError::Store(SqliteStoreError::Sql(_)))
    ));
    assert_eq!((sql.size(), sql.root()), (n, root));
    sql.store()
        .conn
        .execute(
            "DELETE FROM tlog_node WHERE level = 0 AND idx = ?1",
            [n as i64],
        )
        .expect("remove it");
    drop(sql);

    // Python reads the file on its own.
    let script = r#"
import hashlib, sqlite3, sys
path, n = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
rows = {(l, i): bytes(h) for l, i, h in db.execute("SELECT level, idx, hash FROM tlog_node")}
assert len(rows) == 2 * n - bin(n).count("1"), ("node count", len(rows))
for i in range(n):
    want = hashlib.sha256(b"\x00" + ("entry %d" % i).encode()).digest()
    assert rows[(0, i)] == want, ("leaf", i)
for (l, i), h in rows.items():
    assert len(h) == 32
    assert (i + 1) << l <= n, ("node past the end", l, i)
    if l > 0:
        want = hashlib.sha256(b"\x01" + rows[(l - 1, 2 * i)] + rows[(l - 1, 2 * i + 1)]).digest()
        assert h == want, ("node", l, i)
print("python: %d nodes checked" % len(rows))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .arg(n.to_string())
        .output()
        .expect("python3 (scripts/install-deps.sh installs it)");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        text.trim(),
        format!(
            "python: {} nodes checked",
            2 * n - u64::from(n.count_ones())
        )
    );
}
