//! Issue 16, "Load", the short version for CI: a busy few minutes in
//! fast-forward (`tsudoi bench load`): cards tapped on the simulated reader
//! into the real kiosk and its Slint window while other processes search and
//! register in the same store. Only behaviour is asserted (every tap answered,
//! no resident shown the fault screen, no busy error, every check-in stored
//! exactly once, every registration there), checked again with `sqlite3`;
//! the timings are the benchmark's (docs/dev/benchmarks.md), not a test's.
//! All data is invented.

mod common;

use common::cli::Env;
use common::sqlite3;

#[test]
fn a_busy_morning_loses_no_tap_and_shows_no_busy_error() {
    let env = Env::new();
    let dir = env.path("load");
    let out = env.run(
        &[
            "bench",
            "load",
            "--taps",
            "24",
            "--minutes",
            "4",
            "--speed",
            "12",
            "--residents",
            "200",
            "--searchers",
            "2",
            "--registrars",
            "1",
            "--json",
            "--dir",
            dir.to_str().unwrap(),
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let n = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}"));

    // Every tap got its own screen, and none was the fault screen.
    assert_eq!(n("taps_without_screen"), 0, "{r}");
    assert_eq!(n("fault_screens"), 0, "{r}");
    assert_eq!(n("locked_screens"), 0, "{r}");
    let shown: u64 = r["screens"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(shown + n("unshown_screens"), 24, "{r}");
    assert!(r["screens"]["CheckedIn"].as_u64().unwrap_or(0) > 0, "{r}");
    assert!(r["screens"].get("KioskFault").is_none(), "{r}");
    // Staff worked at the same time, without a busy error.
    assert_eq!(n("busy_errors"), 0, "{r}");
    assert_eq!(n("staff_errors"), 0, "{r}");
    let staff = r["staff"].as_array().unwrap();
    assert_eq!(staff.len(), 3);
    assert!(
        staff
            .iter()
            .all(|s| s["actions"].as_u64().unwrap() > 0 && s["busy_errors"] == 0)
    );
    assert!(n("registered") > 0, "{r}");
    assert_eq!(n("recorded_mismatches"), 0, "{r}");

    // The store, read by sqlite3: each "checked in" the residents saw is one
    // card check-in of the day, no person twice in a session, every
    // registration stored, and the file sound.
    let db = dir.join("load.db");
    let day = r["day"].as_str().unwrap();
    let stored = sqlite3(
        &db,
        &format!(
            "SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id \
             WHERE s.date = '{day}' AND a.method = 'card'"
        ),
    );
    assert_eq!(stored, n("checked_in").to_string(), "{r}");
    assert_eq!(
        sqlite3(
            &db,
            "SELECT count(*) FROM (SELECT 1 FROM attendance GROUP BY participant_id, session_id HAVING count(*) > 1)"
        ),
        "0"
    );
    assert_eq!(
        sqlite3(&db, "SELECT count(*) FROM participants"),
        (n("participants_before") + n("registered")).to_string()
    );
    assert_eq!(
        sqlite3(
            &db,
            &format!("SELECT count(*) FROM cards WHERE linked_at >= '{day}T08:50'")
        ),
        n("registered").to_string(),
        "each newcomer's card linked once"
    );
    assert_eq!(sqlite3(&db, "PRAGMA integrity_check"), "ok");
    assert_eq!(r["audit_intact"], true);
}
