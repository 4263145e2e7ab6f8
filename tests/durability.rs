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
