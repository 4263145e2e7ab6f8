//! One check-in costs one fsync: counted by `strace -c`, not by our code.
//!
//! The test runs its own binary twice under strace, as a child doing the
//! same set-up and then 10 or 60 card check-ins; the difference in
//! fsync + fdatasync calls, over 50 check-ins, is the cost of one: one
//! commit's sync, plus SQLite's periodic WAL checkpoint spread over them.

mod common;

use std::process::Command;

use chrono::NaiveTime;
use tsudoi::store::class_day::CardCheckIn;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::{CardId, Technology};

use common::*;

const RESIDENTS: usize = 60;

fn card(i: usize) -> CardId {
    CardId::from_hex(Technology::Iso14443A, &format!("04{:012X}", 0x1000 + i)).unwrap()
}

/// The child: a store with 60 residents and cards, then `TSUDOI_TAPS` check-ins.
#[test]
#[ignore = "run by the_check_in_path_costs_one_fsync_per_check_in under strace"]
fn check_in_probe() {
    let Ok(taps) = std::env::var("TSUDOI_TAPS") else {
        return;
    };
    let taps: usize = taps.parse().unwrap();
    let today = date(2026, 12, 2);
    let mut f = fixture_on(today);
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: today,
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    for i in 0..RESIDENTS {
        let id = f
            .store
            .register(
                &f.manager,
                resident(
                    &format!("試験 {i}"),
                    "しけん",
                    &format!("03-5555-{:04}", 1000 + i),
                    date(1950, 1, 1),
                ),
            )
            .unwrap();
        f.store.link_card(&f.manager, &id, &card(i)).unwrap();
    }
    f.store.sign_out(&f.manager).unwrap();
    println!("setup-done");
    for i in 0..taps {
        let r = f
            .store
            .check_in_by_card(&card(i), chrono::Duration::minutes(30))
            .unwrap();
        assert!(
            matches!(
                r,
                CardCheckIn::Decided(tsudoi::store::attendance::CheckInOutcome::CheckedIn { .. })
            ),
            "{r:?}"
        );
    }
}

/// fsync + fdatasync calls of the child with `taps` check-ins, or `None`
/// when strace cannot trace here.
fn syncs_with(taps: usize) -> Option<u64> {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("strace.txt");
    let out = Command::new("strace")
        .args(["-f", "-c", "-e", "trace=fsync,fdatasync", "-o"])
        .arg(&summary)
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", "check_in_probe", "--ignored", "--nocapture"])
        .env("TSUDOI_TAPS", taps.to_string())
        .output()
        .expect("strace is installed by scripts/install-deps.sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("Operation not permitted") || stderr.contains("ptrace") {
        println!("SKIPPED: strace cannot trace on this machine: {stderr}");
        return None;
    }
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("setup-done"));
    let text = std::fs::read_to_string(&summary).unwrap();
    // strace -c: "% time  seconds  usecs/call  calls  errors  syscall".
    let calls = text
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let name = *cols.last()?;
            if name == "fsync" || name == "fdatasync" {
                cols.get(3)?.parse::<u64>().ok()
            } else {
                None
            }
        })
        .sum();
    Some(calls)
}

#[test]
fn the_check_in_path_costs_one_fsync_per_check_in() {
    let (Some(few), Some(many)) = (syncs_with(10), syncs_with(60)) else {
        return;
    };
    let per_check_in = (many - few) as f64 / 50.0;
    println!(
        "fsync+fdatasync: 10 check-ins {few}, 60 check-ins {many}: {per_check_in} per check-in"
    );
    // Each check-in commits once (one fsync of the WAL); SQLite's automatic
    // checkpoint, every ~1000 WAL pages, adds its own few syncs now and
    // then, so the figure is 1 plus that checkpoint spread over the taps.
    assert!(
        (1.0..=1.1).contains(&per_check_in),
        "{per_check_in} syncs per check-in ({few} for 10, {many} for 60)"
    );
}
