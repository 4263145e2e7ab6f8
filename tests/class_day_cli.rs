//! The class day and lost cards from the command line, on a store made in
//! a past year (so the system clock is always after it): check-in by hand
//! to a lottery class with and without confirmation, the attendance sheet
//! read back by Python's csv module, listing, replacing and unlinking cards.
//! All people and cards are invented.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::class_day::{CLASS, class_day};
use common::cli::text;
use common::*;

fn day() -> chrono::NaiveDate {
    date(2025, 12, 9)
}

/// The `tsudoi` binary on the fixture's store, signed in as the manager.
fn tsudoi(dir: &Path, args: &[&str]) -> Output {
    let config = dir.join("config.toml");
    if !config.exists() {
        std::fs::write(
            &config,
            "[security]\nkdf_memory_kib = 19456\nkdf_iterations = 2\nkdf_parallelism = 1\n",
        )
        .unwrap();
    }
    Command::new(env!("CARGO_BIN_EXE_tsudoi"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TSUDOI_STORE", dir.join("tsudoi.db"))
        .env("TSUDOI_CONFIG", &config)
        .env("TSUDOI_STAFF", MANAGER)
        .env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .env("HOME", dir)
        .output()
        .unwrap()
}

fn sqlite(dir: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3")
        .arg(dir.join("tsudoi.db"))
        .arg(sql)
        .output()
        .expect("sqlite3 is installed by scripts/install-deps.sh");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn check_in_by_hand_to_a_lottery_class_needs_a_seat_or_a_confirmation() {
    let d = class_day(day(), (9, 17));
    let dir = d.f.dir.path();
    let session = &d.sessions[1][..8];

    let out = tsudoi(
        dir,
        &[
            "checkin",
            "--participant",
            &d.never_id[..8],
            "--session",
            session,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("申し込んで当選した方の教室です"));
    assert!(text(&out.stderr).contains("--confirm-without-seat"));
    assert_eq!(
        sqlite(
            dir,
            &format!(
                "SELECT count(*) FROM attendance WHERE session_id = '{}'",
                d.sessions[1]
            )
        )
        .trim(),
        "0"
    );

    let out = tsudoi(
        dir,
        &[
            "checkin",
            "--participant",
            &d.never_id[..8],
            "--session",
            session,
            "--confirm-without-seat",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("受付ができました"));
    assert_eq!(
        sqlite(
            dir,
            "SELECT result FROM audit WHERE action = 'check_in' ORDER BY seq DESC LIMIT 1"
        )
        .trim(),
        "checked_in_without_seat"
    );
    let out = tsudoi(dir, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

#[test]
fn the_attendance_sheet_csv_matches_the_raw_rows() {
    let mut d = class_day(day(), (9, 17));
    // First session: both seat holders; second: the winner only; third: no one.
    for (when, cards) in [
        (
            day() - chrono::Duration::days(7),
            vec![d.winner, d.moved_up],
        ),
        (day(), vec![d.winner]),
    ] {
        d.f.clock.set(tsudoi::clock::jst(when, 10, 5));
        for hex in cards {
            d.f.store
                .check_in_by_card(&card(hex), chrono::Duration::minutes(30))
                .unwrap();
        }
    }
    let dir = d.f.dir.path().to_owned();
    let csv = dir.join("sheet.csv");
    let out = tsudoi(
        &dir,
        &[
            "lottery",
            "attendance",
            &d.class[..8],
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains(&format!("{CLASS} 出席簿")), "{shown}");
    // 3 of 6 possible: all three sessions are over by now.
    assert!(shown.contains("出席率 50.0%（延べ 3 / 6）"), "{shown}");
    assert!(shown.contains("続けて2回以上休んでいる方"), "{shown}");

    // Python reads the CSV; the marks are compared with SQL over the file.
    let py = Command::new("python3")
        .arg("-c")
        .arg(
            "import csv,sys\n\
             rows=list(csv.reader(open(sys.argv[1],encoding='utf-8-sig')))\n\
             for r in rows[1:]: print(r[0]+':'+''.join('o' if c=='出席' else 'x' for c in r[2:5]))",
        )
        .arg(&csv)
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", text(&py.stderr));
    let from_csv = text(&py.stdout);
    let raw = sqlite(
        &dir,
        &format!(
            "SELECT a.entry_number, s.date, t.id IS NOT NULL
             FROM lottery_applications a
             JOIN lottery_class_sessions l ON l.class_id = a.class_id
             JOIN sessions s ON s.id = l.session_id
             LEFT JOIN attendance t ON t.session_id = s.id AND t.participant_id = a.participant_id
             WHERE a.class_id = '{}' AND a.status IN ('won', 'moved_up')
             ORDER BY a.entry_number, s.date, s.start_time",
            d.class
        ),
    );
    let mut from_sql = String::new();
    let mut last = String::new();
    for line in raw.lines() {
        let cols: Vec<&str> = line.split('|').collect();
        if cols[0] != last {
            if !last.is_empty() {
                from_sql.push('\n');
            }
            from_sql.push_str(&format!("{}:", cols[0]));
            last = cols[0].to_owned();
        }
        from_sql.push(if cols[2] == "1" { 'o' } else { 'x' });
    }
    from_sql.push('\n');
    assert_eq!(from_csv, from_sql);
    assert_eq!(from_csv.lines().count(), 2);
}

#[test]
fn cards_are_listed_replaced_and_unlinked_without_showing_their_numbers() {
    let d = class_day(day(), (9, 17));
    let dir = d.f.dir.path().to_owned();
    let id = &d.never_id[..8];
    drop(d.f.store);

    let out = tsudoi(&dir, &["participant", "cards", id]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains(&format!("{MANAGER} が登録")), "{listed}");
    assert!(!listed.to_uppercase().contains(&d.never[2..]), "{listed}");
    let link = listed.split_whitespace().next().unwrap().to_owned();

    // Someone else's card cannot be taken over.
    let out = tsudoi(
        &dir,
        &[
            "participant",
            "replace-card",
            id,
            "--card",
            &link,
            "--uid",
            d.winner,
            "--tech",
            "iso14443a",
        ],
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("すでに別の方に登録"),
        "{}",
        text(&out.stderr)
    );

    let out = tsudoi(
        &dir,
        &[
            "participant",
            "replace-card",
            id,
            "--card",
            &link,
            "--uid",
            "04ABCDEF012345",
            "--tech",
            "iso14443a",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&tsudoi(&dir, &["participant", "cards", id]).stdout);
    let new_link = listed.split_whitespace().next().unwrap().to_owned();
    assert_ne!(new_link, link);

    // A link that is not this person's is not found.
    let out = tsudoi(&dir, &["participant", "unlink-card", id, "--card", &link]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("カード"),
        "{}",
        text(&out.stderr)
    );

    let out = tsudoi(
        &dir,
        &["participant", "unlink-card", id, "--card", &new_link],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&tsudoi(&dir, &["participant", "cards", id]).stdout);
    assert!(listed.contains("カードは登録されていません"), "{listed}");

    // Both cards are unknown now; the audit log has the steps, no numbers.
    let store = reopen(&dir.join("tsudoi.db"), d.f.clock.clone());
    let mut store = store;
    let _staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    assert!(store.participant_by_card(&card(d.never)).unwrap().is_none());
    assert!(
        store
            .participant_by_card(&card("04ABCDEF012345"))
            .unwrap()
            .is_none()
    );
    let actions = sqlite(
        &dir,
        "SELECT action FROM audit WHERE action LIKE 'card_%' ORDER BY seq",
    );
    assert!(
        actions.ends_with("card_replace\ncard_unlink\n"),
        "{actions}"
    );
    let dump = sqlite(&dir, "SELECT * FROM audit");
    assert!(!dump.to_uppercase().contains("ABCDEF012345"));
}
