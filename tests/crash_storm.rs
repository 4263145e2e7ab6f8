//! Crash storm (issue 16, the short version CI runs): several `tsudoi`
//! processes write at once — hand check-ins, a registration, a monthly
//! report export — and some are killed with SIGKILL at random moments.
//! After every trial the file must pass `PRAGMA integrity_check` (read by
//! the `sqlite3` command), the audit log must verify, and every check-in
//! whose process said 「受付ができました」 must be in the file exactly once.
//!
//! `TSUDOI_CRASH_TRIALS=1000 cargo test --release --test crash_storm -- --nocapture`
//! runs a longer campaign and prints the table row for the README.

mod common;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::cli::{Env, days_from_today, text};
use common::storm::{newcomer, residents, spawn};
use common::{NEW_PASSWORD, Rng};

fn sqlite(env: &Env, sql: &str) -> String {
    common::sqlite3(&env.store(), sql)
}

#[test]
fn acknowledged_check_ins_survive_processes_killed_at_random() {
    let trials: usize = std::env::var("TSUDOI_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    const WRITERS: usize = 4;
    let env = Env::new();
    env.init();
    let session = env.salon_today();
    let session_id = sqlite(
        &env,
        &format!("SELECT id FROM sessions WHERE id LIKE '{session}%'"),
    );
    let people = residents(&env, trials * WRITERS);
    let month = days_from_today(0)[..7].to_owned();
    let mut rng = Rng(0x5EED_2026_1203 ^ std::process::id() as u64);
    let (mut acknowledged, mut killed, mut lost) = (Vec::new(), 0usize, 0usize);
    let started = Instant::now();

    for trial in 0..trials {
        let mut children: Vec<(Option<String>, Child)> = Vec::new();
        for w in 0..WRITERS {
            let id = &people[trial * WRITERS + w];
            children.push((
                Some(id.clone()),
                spawn(
                    &env,
                    &["checkin", "--participant", id, "--session", &session],
                    None,
                    &[],
                ),
            ));
        }
        let person = newcomer(trial);
        children.push((
            None,
            spawn(
                &env,
                &["participant", "add", "--json", "-"],
                Some(&person),
                &[],
            ),
        ));
        let out = env.path(&format!("report-{trial}"));
        children.push((
            None,
            spawn(
                &env,
                &["report", "--month", &month, "--out", out.to_str().unwrap()],
                None,
                &[],
            ),
        ));
        // Kill about half of them at a random moment in their first 300 ms.
        std::thread::sleep(Duration::from_millis(rng.below(300)));
        for (_, child) in children.iter_mut() {
            if rng.below(2) == 0 {
                let _ = child.kill();
                killed += 1;
            }
        }
        for (id, child) in children {
            let out = child.wait_with_output().unwrap();
            if let Some(id) = id
                && out.status.success()
                && text(&out.stdout).contains("受付ができました")
            {
                acknowledged.push(id);
            }
        }

        // The file after the storm, read by sqlite3 (not our code).
        assert_eq!(
            sqlite(&env, "PRAGMA integrity_check"),
            "ok",
            "trial {trial}"
        );
        for id in &acknowledged {
            let n = sqlite(
                &env,
                &format!(
                    "SELECT count(*) FROM attendance WHERE participant_id = '{id}' AND session_id = '{session_id}'"
                ),
            );
            if n != "1" {
                lost += 1;
                eprintln!("trial {trial}: acknowledged check-in {id} found {n} times");
            }
        }
    }
    let verify = env.run(&["audit", "verify"], Some(NEW_PASSWORD));
    assert!(
        verify.status.success(),
        "{}{}",
        text(&verify.stdout),
        text(&verify.stderr)
    );
    println!(
        "crash storm: {trials} trials, {} processes, {killed} sent SIGKILL, {} check-ins acknowledged, {lost} lost, audit log intact, {:.0} s",
        trials * (WRITERS + 2),
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(lost, 0);
    assert!(
        !acknowledged.is_empty(),
        "no check-in survived to be acknowledged: the storm tested nothing"
    );
}

/// A disk that refuses to grow the files (here the file-size limit, set
/// with util-linux's `prlimit`, stops the WAL from growing): the check-in
/// is refused with a Japanese message and exit 5, nothing half-written
/// stays, what was recorded before is intact, and once the disk takes
/// writes again the same check-in goes through.
#[test]
fn a_full_disk_refuses_the_write_clearly_and_work_resumes_after() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("SKIPPED: prlimit (util-linux) is not installed");
        return;
    }
    let env = Env::new();
    env.init();
    let session = env.salon_today();
    let people = residents(&env, 2);
    env.staff(&[
        "checkin",
        "--participant",
        &people[0],
        "--session",
        &session,
    ]);
    // The WAL folded into the file, so the next write must grow the WAL.
    sqlite(&env, "PRAGMA wal_checkpoint(TRUNCATE)");
    let before = sqlite(&env, "SELECT count(*) FROM attendance");

    let mut c = Command::new("prlimit");
    c.arg("--fsize=4096")
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_tsudoi"))
        .args([
            "checkin",
            "--participant",
            &people[1],
            "--session",
            &session,
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TSUDOI_STORE", env.store())
        .env("TSUDOI_CONFIG", env.path("config.toml"))
        .env("TSUDOI_STAFF", "kanri01")
        .env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .env("HOME", env.dir.path());
    let out = c.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(5),
        "{:?} {}{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    let err = text(&out.stderr);
    assert!(err.contains("読み書きできません"), "{err}");
    assert!(!err.contains("panicked"));

    assert_eq!(sqlite(&env, "PRAGMA integrity_check"), "ok");
    assert_eq!(sqlite(&env, "SELECT count(*) FROM attendance"), before);
    // Space again: the same check-in is recorded, once.
    let out = env.staff(&[
        "checkin",
        "--participant",
        &people[1],
        "--session",
        &session,
    ]);
    assert!(text(&out.stdout).contains("受付ができました"));
    assert_eq!(
        sqlite(&env, "SELECT count(*) FROM attendance")
            .parse::<u64>()
            .unwrap(),
        before.parse::<u64>().unwrap() + 1
    );
    let verify = env.run(&["audit", "verify"], Some(NEW_PASSWORD));
    assert!(verify.status.success(), "{}", text(&verify.stdout));
}
