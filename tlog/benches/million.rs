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

/// Drops the file's pages from the OS page cache (this file only, not the
/// machine's whole cache).
fn evict(path: &std::path::Path) {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(path).expect("open the database file");
    file.sync_all().expect("sync");
    // SAFETY: a valid open descriptor; the call only gives advice.
    let rc = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    assert_eq!(rc, 0, "posix_fadvise");
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

    // Warm: one connection, its pages cached, as in a long-running kiosk.
    let open_tree = || {
        let conn = rusqlite::Connection::open(&path).expect("open sqlite");
        let store = Counting {
            inner: SqliteStore::new(conn).expect("schema"),
            reads: Cell::new(0),
        };
        Tree::open(store, n).expect("open tree")
    };
    let sql = open_tree();
    assert_eq!(sql.root(), mem.root(), "both stores hold the same tree");

    // Warm first (each twice, the second timed), then cold: evicting the
    // file would also cool the long-lived connection.
    let mut worst_warm = Duration::ZERO;
    let mut proofs = Vec::new();
    for old in old_sizes(n) {
        let t = Instant::now();
        let p_mem = mem.consistency_proof(old, n).expect("proof");
        let d_mem = t.elapsed();
        let mut d_warm = Duration::ZERO;
        let mut found = None;
        for _ in 0..2 {
            // The old tree head (to compare with the ward's checkpoint), the
            // proof, a signed checkpoint.
            sql.store().reads.set(0);
            let t = Instant::now();
            let old_root = sql.root_at(old).expect("old root");
            let p_sql = sql.consistency_proof(old, n).expect("proof");
            let signed = Checkpoint::new(signer.name(), sql.size(), sql.root())
                .expect("checkpoint")
                .sign(&signer)
                .expect("sign");
            d_warm = t.elapsed();
            found = Some((old_root, p_sql, signed.len()));
        }
        let Some((old_root, p_sql, signed_len)) = found else {
            unreachable!("the loop ran")
        };
        let reads = sql.store().reads.get();
        assert_eq!(p_mem, p_sql);
        let t = Instant::now();
        verify_consistency(old, n, &old_root, &sql.root(), &p_sql).expect("the proof verifies");
        let d_verify = t.elapsed();
        println!(
            "  {old} → {n}: {} hashes, {reads} node reads with the old head; memory {}; \
             sqlite warm: checkpoint + proof {}; verify {}; checkpoint {signed_len} bytes",
            p_sql.len(),
            ms(d_mem),
            ms(d_warm),
            ms(d_verify),
        );
        worst_warm = worst_warm.max(d_warm);
        proofs.push((old, old_root, p_sql));
    }
    drop(sql);

    // Cold: the file dropped from the OS page cache, a new connection, the
    // tree opened, then the same work, as `tsudoi audit prove` just after a
    // reboot.
    let mut worst_cold = Duration::ZERO;
    for (old, old_root, p_sql) in proofs {
        evict(&path);
        let t = Instant::now();
        let cold = open_tree();
        let _ = Checkpoint::new(signer.name(), cold.size(), cold.root())
            .expect("checkpoint")
            .sign(&signer)
            .expect("sign");
        let cold_root = cold.root_at(old).expect("old root");
        let p_cold = cold.consistency_proof(old, n).expect("proof");
        let d_cold = t.elapsed();
        assert_eq!((cold_root, &p_cold), (old_root, &p_sql));
        println!(
            "  {old} → {n}: sqlite cold (open + checkpoint + proof): {} ({} node reads)",
            ms(d_cold),
            cold.store().reads.get()
        );
        worst_cold = worst_cold.max(d_cold);
    }
    println!(
        "  worst checkpoint + proof over SQLite: warm {}, cold {} — goal {}: {}",
        ms(worst_warm),
        ms(worst_cold),
        ms(GOAL),
        if worst_cold <= GOAL { "met" } else { "NOT met" }
    );
    if worst_cold > GOAL {
        std::process::exit(1);
    }
}
