//! A checkpoint and consistency proofs over one million entries, with the
//! nodes in memory and in an SQLite table (the layout the README gives).
//!
//! `cargo bench -p tsudoi-tlog` (release build). The goal: a checkpoint and a
//! consistency proof over 1 000 000 entries in at most 50 ms.
//! `TLOG_BENCH_ENTRIES=N` changes the log's size.

use std::cell::Cell;
use std::time::{Duration, Instant};

use tsudoi_tlog::ed25519_dalek::SigningKey;
use tsudoi_tlog::note::Signer;
use tsudoi_tlog::{Checkpoint, Hash, MemoryStore, NodeId, NodeStore, Tree, verify_consistency};

#[path = "../tests/common/sqlite_store.rs"]
mod sqlite_store;
use sqlite_store::SqliteStore;

const GOAL: Duration = Duration::from_millis(50);

/// Counts reads, to tell what a proof costs in any storage.
struct Counting<S> {
    inner: S,
    reads: Cell<u64>,
}

impl<S: NodeStore> NodeStore for Counting<S> {
    type Error = S::Error;
    fn get(&self, id: NodeId) -> Result<Option<Hash>, S::Error> {
        self.reads.set(self.reads.get() + 1);
        self.inner.get(id)
    }
    fn put(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), S::Error> {
        self.inner.put(nodes)
    }
}

fn entry(i: u64) -> Vec<u8> {
    // About the size of an audit entry: who, what, which record, which fields.
    format!("{{\"seq\":{i},\"at\":\"2026-12-02T10:00:00+09:00\",\"staff\":\"S{:03}\",\"action\":\"view\",\"record\":{},\"fields\":[\"name\",\"phone\"]}}", i % 40, i * 7 % 5000).into_bytes()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Old sizes a ward might hold: a month ago, a year ago, one entry ago,
/// a power of two, an odd size.
fn old_sizes(n: u64) -> Vec<u64> {
    vec![
        n - 1,
        n - n / 12,
        n / 2 + 1,
        1 << (63 - n.leading_zeros()),
        (n / 3) | 1,
        1,
    ]
}

fn main() {
    let n: u64 = std::env::var("TLOG_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let signer = match Signer::new("tsudoi.example/bench", SigningKey::from_bytes(&[42; 32])) {
        Ok(s) => s,
        Err(e) => panic!("signer: {e}"),
    };
    println!("tsudoi-tlog benchmark: {n} entries");

    // In memory.
    let t = Instant::now();
    let mut tree = Tree::new(MemoryStore::new());
    for i in 0..n {
        tree.append(&entry(i)).expect("append");
    }
    let build = t.elapsed();
    println!(
        "  memory: append {n} entries: {} ({:.2} µs each), {} nodes stored",
        ms(build),
        build.as_secs_f64() * 1e6 / n as f64,
        tree.store().len()
    );
    let mem = tree;

    // In SQLite (a file, one transaction for the whole build).
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("tlog.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("open sqlite");
    let store = SqliteStore::new(conn).expect("schema");
    store.conn.execute_batch("BEGIN").expect("begin");
    let t = Instant::now();
    let mut tree = Tree::new(store);
    for i in 0..n {
        tree.append(&entry(i)).expect("append");
    }
    tree.store().conn.execute_batch("COMMIT").expect("commit");
    let build = t.elapsed();
    println!(
        "  sqlite: append {n} entries: {} ({:.2} µs each), file {} MB",
        ms(build),
        build.as_secs_f64() * 1e6 / n as f64,
        std::fs::metadata(&path)
            .map(|m| m.len() / 1_000_000)
            .unwrap_or(0)
    );
    drop(tree);

    // Cold: a fresh connection, as `tsudoi audit prove` would start.
    let t = Instant::now();
    let conn = rusqlite::Connection::open(&path).expect("open sqlite");
    let store = Counting {
        inner: SqliteStore::new(conn).expect("schema"),
        reads: Cell::new(0),
    };
    let sql = Tree::open(store, n).expect("open tree");
    let checkpoint = Checkpoint::new(signer.name(), sql.size(), sql.root()).expect("checkpoint");
    let signed = checkpoint.sign(&signer).expect("sign");
    let cold_checkpoint = t.elapsed();
    assert_eq!(sql.root(), mem.root(), "both stores hold the same tree");
    println!(
        "  sqlite, cold: open the tree and sign a checkpoint: {} ({} node reads, {} bytes)",
        ms(cold_checkpoint),
        sql.store().reads.get(),
        signed.len()
    );

    let mut worst = cold_checkpoint;
    for old in old_sizes(n) {
        // Memory.
        let t = Instant::now();
        let p_mem = mem.consistency_proof(old, n).expect("proof");
        let d_mem = t.elapsed();
        // SQLite: the old tree head (to compare with the ward's checkpoint)
        // and the proof.
        sql.store().reads.set(0);
        let t = Instant::now();
        let old_root = sql.root_at(old).expect("old root");
        let p_sql = sql.consistency_proof(old, n).expect("proof");
        let d_sql = t.elapsed();
        let reads = sql.store().reads.get();
        assert_eq!(p_mem, p_sql);
        verify_consistency(old, n, &old_root, &sql.root(), &p_sql).expect("the proof verifies");
        let t = Instant::now();
        verify_consistency(old, n, &old_root, &sql.root(), &p_sql).expect("the proof verifies");
        let d_verify = t.elapsed();
        println!(
            "  proof {old} → {n}: {} hashes; memory {}, sqlite {} ({reads} node reads, with the old tree head); verify {}",
            p_sql.len(),
            ms(d_mem),
            ms(d_sql),
            ms(d_verify)
        );
        worst = worst.max(d_sql + cold_checkpoint);
    }
    println!(
        "  worst checkpoint + proof (sqlite, cold): {} — goal {}: {}",
        ms(worst),
        ms(GOAL),
        if worst <= GOAL { "met" } else { "NOT met" }
    );
    if worst > GOAL {
        std::process::exit(1);
    }
}
