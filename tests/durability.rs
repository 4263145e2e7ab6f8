//! Power-loss safety: a writer killed with SIGKILL at random moments never
//! loses an acknowledged check-in and never leaves a damaged file.
//!
//! The test re-runs its own binary as the writer (`writer_child`, active only
//! when `TSUDOI_DURABILITY_STORE` is set), reads its acknowledgements, kills it
//! mid-stream, then reopens the store.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use tsudoi::demo::{self, DemoSpec};
use tsudoi::store::Actor;
use tsudoi::store::audit::ChainVerdict;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};

const SEED: u64 = 11;
const RESIDENTS: usize = 150;

#[test]
fn writer_child() {
    let Ok(path) = std::env::var("TSUDOI_DURABILITY_STORE") else {
        return;
    };
    let clock = Arc::new(tsudoi::clock::SystemClock);
    let mut store = tsudoi::store::Store::open(
        std::path::Path::new(&path),
        policy(),
        tsudoi::eligibility::PostalTable::shinjuku(),
        clock,
    )
    .unwrap();
    let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    if store.clock_behind().is_some() {
        // The store was made with a fixed clock at 10:00 today, ahead of this
        // machine's clock before 10:00 JST: staff confirm the time, as at a kiosk.
        let now = tsudoi::clock::Clock::now(&tsudoi::clock::SystemClock).naive_local();
        store.confirm_clock(&staff, now).unwrap();
    }
    let sessions: Vec<String> = std::env::var("TSUDOI_DURABILITY_SESSIONS")
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    for s in &sessions {
        for i in 2..RESIDENTS {
            let Some(card) = demo::card(SEED, i) else {
                continue;
            };
            if let Some(tsudoi::store::attendance::CheckInOutcome::CheckedIn { .. }) =
                store.check_in_card(&card, s).unwrap()
            {
                // Only after the commit returned: this check-in is acknowledged.
                println!("ack {s} {i}");
            }
        }
    }
    println!("done");
}

#[test]
fn killed_writer_loses_no_acknowledged_check_in() {
    let today = tsudoi::clock::Clock::today(&tsudoi::clock::SystemClock);
    let mut f = fixture_on(today);
    demo::generate(
        &mut f.store,
        &f.manager,
        &DemoSpec {
            seed: SEED,
            residents: RESIDENTS,
            target_visits: 0,
            end: today,
        },
    )
    .unwrap();
    let mut sessions = Vec::new();
    for n in 0..6 {
        sessions.push(
            f.store
                .add_session(
                    &f.manager,
                    NewSession {
                        program: Program::Koryu,
                        date: today,
                        start: chrono::NaiveTime::from_hms_opt(0, 0, 0).unwrap(),
                        end: chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap(),
                        title: format!("耐久試験{n}"),
                        capacity: None,
                        mode: SessionMode::Open,
                    },
                )
                .unwrap(),
        );
    }
    let before = f.store.attendance_count().unwrap();
    drop(f.store);

    let exe = std::env::current_exe().unwrap();
    let mut acked: Vec<(String, usize)> = Vec::new();
    // Kill at a different moment each round; every round resumes where the last stopped.
    for (round, kill_after) in [40u64, 7, 90, 15, 60].into_iter().enumerate() {
        let mut child = Command::new(&exe)
            .args(["--exact", "writer_child", "--nocapture", "--test-threads=1"])
            .env("TSUDOI_DURABILITY_STORE", &f.path)
            .env("TSUDOI_DURABILITY_SESSIONS", sessions.join(","))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the first acknowledgement, then let it run a little and kill it.
        let start = Instant::now();
        let mut got_first = false;
        while !got_first && start.elapsed() < Duration::from_secs(60) {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
                got_first = line.starts_with("ack") || line == "done";
                record(&line, &mut acked);
            }
        }
        std::thread::sleep(Duration::from_millis(kill_after));
        let _ = child.kill();
        let _ = child.wait();
        // Lines already written before the kill are acknowledgements too.
        while let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            record(&line, &mut acked);
        }
        assert!(
            got_first,
            "round {round}: the writer never acknowledged a check-in"
        );

        let mut store = reopen(&f.path, f.clock.clone());
        assert!(
            store.integrity_ok().unwrap(),
            "round {round}: integrity_check failed"
        );
        let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let count = store.attendance_count().unwrap();
        assert!(
            count >= before + acked.len() as u64,
            "round {round}: {} acknowledged, only {} stored",
            acked.len(),
            count - before
        );
        let raw = rusqlite::Connection::open(&f.path).unwrap();
        for (session, i) in &acked {
            let card = demo::card(SEED, *i).unwrap();
            let pid = store.participant_by_card(&card).unwrap().unwrap();
            let n: i64 = raw
                .query_row(
                    "SELECT count(*) FROM attendance WHERE participant_id = ?1 AND session_id = ?2",
                    [&pid, session],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "round {round}: an acknowledged check-in is missing");
        }
        assert!(matches!(
            store.verify_audit(&Actor::Staff(staff)).unwrap(),
            ChainVerdict::Intact { .. }
        ));
    }
    assert!(acked.len() > 5);
    // The writer was really interrupted: not everything it meant to do was done.
    assert!(
        acked.len() < 6 * (RESIDENTS - 2),
        "the writer was never cut off"
    );
}

fn record(line: &str, acked: &mut Vec<(String, usize)>) {
    let mut parts = line.split_whitespace();
    if parts.next() == Some("ack")
        && let (Some(s), Some(i)) = (parts.next(), parts.next())
        && let Ok(i) = i.parse()
    {
        acked.push((s.to_owned(), i));
    }
}

/// Where a committed check-in lives while the kiosk keeps the store open:
/// in the write-ahead log until the kiosk's next clock tick folds it into the
/// main file (`Store::fold_wal`, every 8 s), after which the WAL is empty and
/// a damaged `tsudoi.db-wal` (SQLite silently drops a frame that fails its
/// checksum and every later one) holds nothing to lose. While another process
/// reads, the fold gives up at once rather than hold up a tap, and the next
/// tick after that reader has gone does it. The main file alone is read by
/// `sqlite3`, with no WAL beside it.
#[test]
fn a_committed_check_in_reaches_the_main_file_at_the_next_fold() {
    let today = common::date(2026, 6, 2);
    let mut f = fixture_on(today);
    let session = f
        .store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: today,
                start: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let born = common::date(1950, 5, 5);
    let people: Vec<String> = [
        ("折込 一子", "オリコミ イチコ", "03-5555-0201"),
        ("折込 二郎", "オリコミ ジロウ", "03-5555-0202"),
        ("折込 三子", "オリコミ ミツコ", "03-5555-0203"),
    ]
    .iter()
    .map(|(name, kana, phone)| {
        f.store
            .register(&f.manager, resident(name, kana, phone, born))
            .unwrap()
    })
    .collect();
    assert!(f.store.fold_wal().unwrap());
    let wal = f.dir.path().join("tsudoi.db-wal");
    let wal_len = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    // The main file alone, as a copy without its WAL: what survives if the
    // WAL is damaged. Copied by `cp`, another process: opening and closing
    // the file in this process would drop SQLite's POSIX locks on it, and
    // another process closing the store would then take itself for the last
    // one and remove the WAL under the open store.
    let main_file_count = |name: &str| -> String {
        let copy = f.dir.path().join(name);
        assert!(
            Command::new("cp")
                .arg(&f.path)
                .arg(&copy)
                .status()
                .unwrap()
                .success()
        );
        let out = Command::new("sqlite3")
            .arg(&copy)
            .arg("SELECT count(*) FROM attendance")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let check_in = |store: &mut tsudoi::store::Store, pid: &str| {
        store
            .check_in(
                &Actor::Kiosk,
                pid,
                &session,
                tsudoi::store::attendance::CheckInMethod::Card,
            )
            .unwrap()
    };

    check_in(&mut f.store, &people[0]);
    assert!(wal_len() > 0, "the commit is in the WAL first");
    assert_eq!(main_file_count("copy0.db"), "0");
    assert!(f.store.fold_wal().unwrap());
    assert_eq!(wal_len(), 0, "the fold left the WAL");
    assert_eq!(main_file_count("copy1.db"), "1");

    // Another process (sqlite3) holds a read transaction: the fold gives up
    // at once, and the check-in waits in the WAL.
    let mut reader = Command::new("sqlite3")
        .arg(&f.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let stdin = reader.stdin.as_mut().unwrap();
        writeln!(stdin, "BEGIN; SELECT count(*) FROM attendance;").unwrap();
        stdin.flush().unwrap();
    }
    let mut line = String::new();
    BufReader::new(reader.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "1");
    check_in(&mut f.store, &people[1]);
    let started = Instant::now();
    let folded = f.store.fold_wal().unwrap();
    let held = started.elapsed();
    assert!(!folded, "folded under a reader");
    assert!(wal_len() > 0);
    assert_eq!(main_file_count("copy2.db"), "1");
    drop(reader.stdin.take());
    reader.wait().unwrap();

    // The reader has gone: the next fold takes both.
    check_in(&mut f.store, &people[2]);
    assert!(f.store.fold_wal().unwrap());
    assert_eq!(wal_len(), 0);
    assert_eq!(main_file_count("copy3.db"), "3");
    println!("a fold beside a reading process gave up after {held:?}");
    assert!(
        held < Duration::from_secs(2),
        "the fold waited {held:?} for the reader"
    );
}
