//! The store's SQLite locks survive the store reading its own file.
//!
//! POSIX drops every lock a process holds on a file when the process closes
//! any descriptor of that file. A `std::fs::read` of the open store therefore
//! made this process's connection invisible to other processes: the next
//! `sqlite3` (or `tsudoi` command) to close took itself for the last
//! connection, folded the WAL and deleted it, and this connection's next
//! commit went to the deleted file — acknowledged, and gone. The erasure
//! hashed the store file that way. The first test performs the attack
//! against the old way, so the second one is known to catch it.

mod common;

use common::sqlite3;

use std::process::Command;

use common::*;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};

fn time(h: u32, m: u32) -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// 交流サロン on the fixture's day, from `start` to `end` o'clock.
fn add_salon(f: &mut Fixture, title: &str, start: u32, end: u32) {
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                title: title.into(),
                date: date(2026, 12, 3),
                start: time(start, 0),
                end: time(end, 0),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
}

/// A store with something in its WAL, and the WAL's path.
fn store_with_wal() -> (Fixture, std::path::PathBuf) {
    let mut f = fixture_on(date(2026, 12, 3));
    add_salon(&mut f, "交流サロン", 9, 17);
    let wal = f.dir.path().join("tsudoi.db-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    (f, wal)
}

#[test]
fn reading_the_open_store_through_a_new_descriptor_lets_another_process_delete_its_wal() {
    let (f, wal) = store_with_wal();
    let _ = std::fs::read(&f.path).unwrap();
    sqlite3(&f.path, "SELECT count(*) FROM sessions");
    assert!(
        !wal.exists(),
        "the hazard this file guards against did not happen: the second test proves nothing"
    );
}

#[test]
fn hashing_the_open_store_keeps_its_locks_and_its_commits() {
    let (mut f, wal) = store_with_wal();
    let hash = f.store.file_sha256().unwrap();
    // The hash is of the file's bytes (sha256sum, not our code).
    let out = Command::new("sha256sum").arg(&f.path).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&hash));

    // Another process opens and closes the store: this one is still
    // connected, so the WAL stays.
    assert_eq!(sqlite3(&f.path, "SELECT count(*) FROM sessions"), "1");
    assert!(
        wal.exists(),
        "another process deleted the WAL under the open store"
    );
    // And the next commit is one other processes see.
    add_salon(&mut f, "交流サロン（午後）", 13, 16);
    assert_eq!(sqlite3(&f.path, "SELECT count(*) FROM sessions"), "2");
}

/// Two stores on one file in one process (the kiosk's and a test's, or the
/// training mode's switch): dropping one must not cost the other its locks.
/// A descriptor the store kept open and closed on drop did exactly that.
#[test]
fn dropping_one_store_keeps_the_other_stores_commits() {
    let (mut f, wal) = store_with_wal();
    let other = reopen(&f.path, f.clock.clone());
    drop(other);
    assert_eq!(sqlite3(&f.path, "SELECT count(*) FROM sessions"), "1");
    assert!(
        wal.exists(),
        "another process deleted the WAL under the open store"
    );
    add_salon(&mut f, "交流サロン（午後）", 13, 16);
    assert_eq!(sqlite3(&f.path, "SELECT count(*) FROM sessions"), "2");
}
