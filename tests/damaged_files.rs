//! Damaged files (issue 16): copies of a real store with one random bit
//! flipped or cut short at a random length. For each, reading a resident's
//! record and `tsudoi doctor` must never panic, and a read that succeeds
//! must show exactly what the undamaged file shows: a damaged file is
//! refused, never silently used. A damaged configuration file is refused
//! with a message naming it. `TSUDOI_DAMAGE_TRIALS` sets the number of
//! damaged copies (CI: 40).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::cli::{Env, code, id_after, text};
use common::{NEW_PASSWORD, Rng};

fn run_on(store: &Path, env: &Env, args: &[&str]) -> Output {
    let mut c = env.cmd(args);
    c.env("TSUDOI_STORE", store)
        .env("TSUDOI_PASSWORD", NEW_PASSWORD);
    c.output().unwrap()
}

/// One in four: cut short at a random length; otherwise one random bit
/// flipped. Says which.
fn damage(bytes: &mut Vec<u8>, rng: &mut Rng) -> String {
    if rng.below(4) == 0 {
        let len = rng.below(bytes.len() as u64) as usize;
        bytes.truncate(len);
        format!("cut at {len}")
    } else {
        let at = rng.below(bytes.len() as u64) as usize;
        let bit = rng.below(8) as u8;
        bytes[at] ^= 1 << bit;
        format!("bit {bit} of byte {at} flipped")
    }
}

fn no_panic(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert!(
        out.status.code().is_some() && code(out) != 101 && !err.contains("panicked"),
        "{what}: crashed: {:?} {err}",
        out.status
    );
}

#[test]
fn a_damaged_store_is_refused_or_read_correctly_never_silently_misread() {
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"name": "破損 試子", "kana": "はそん ためこ", "phone": "090-2222-4444",
            "birth": "昭和26年6月6日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = id_after(&out, "登録番号: ");
    let session = env.salon_today();
    env.staff(&["checkin", "--participant", &id, "--session", &session]);
    // Fold the WAL in, so the whole store is one file to damage.
    let fold = Command::new("sqlite3")
        .arg(env.store())
        .arg("PRAGMA wal_checkpoint(TRUNCATE)")
        .output()
        .unwrap();
    assert!(fold.status.success());
    let original = std::fs::read(env.store()).unwrap();

    // The undamaged answers, on a copy (every run signs in, which writes).
    let copy = env.path("copy.db");
    std::fs::write(&copy, &original).unwrap();
    let good = run_on(&copy, &env, &["participant", "show", &id]);
    assert!(good.status.success(), "{}", text(&good.stderr));
    let good = text(&good.stdout);
    let doctor = run_on(&copy, &env, &["doctor"]);
    assert_eq!(code(&doctor), 0, "{}", text(&doctor.stdout));

    let trials: u64 = std::env::var("TSUDOI_DAMAGE_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let seed = 0xDA4A_6E00 ^ u64::from(std::process::id());
    println!("damaged files: seed {seed:#x}");
    let mut rng = Rng(seed);
    let (mut refused, mut same, mut doctor_found) = (0, 0, 0);
    for trial in 0..trials {
        let mut bytes = original.clone();
        let what = damage(&mut bytes, &mut rng);
        let path = env.path(&format!("damaged-{trial}.db"));
        std::fs::write(&path, &bytes).unwrap();

        let show = run_on(&path, &env, &["participant", "show", &id]);
        no_panic(&show, &what);
        if show.status.success() {
            assert_eq!(text(&show.stdout), good, "{what}: misread silently");
            same += 1;
        } else {
            assert!(
                !text(&show.stderr).trim().is_empty(),
                "{what}: refused without a word"
            );
            refused += 1;
        }
        let doctor = run_on(&path, &env, &["doctor"]);
        no_panic(&doctor, &what);
        assert!(
            matches!(code(&doctor), 0 | 4),
            "{what}: doctor exited {}: {}{}",
            code(&doctor),
            text(&doctor.stdout),
            text(&doctor.stderr)
        );
        if code(&doctor) == 4 {
            doctor_found += 1;
        }
        let _ = std::fs::remove_file(&path);
    }
    println!(
        "damaged files: {trials} copies, {refused} refused, {same} read exactly as undamaged, {doctor_found} found damaged by doctor, 0 misread, 0 panics"
    );
}

#[test]
fn a_damaged_configuration_is_refused_naming_the_file() {
    let trials: usize = std::env::var("TSUDOI_DAMAGE_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let env = Env::new();
    env.init();
    let config = env.path("config.toml");
    let original = std::fs::read(&config).unwrap();
    let mut rng = Rng(0xC0FF_1603);
    let (mut refused, mut in_comment, mut read) = (0, 0, 0);
    for _ in 0..trials {
        let mut bytes = original.clone();
        let at = rng.below(bytes.len() as u64) as usize;
        bytes[at] ^= 1 << rng.below(8);
        std::fs::write(&config, &bytes).unwrap();
        let out = env.run(&["session", "list"], None);
        no_panic(&out, "config");
        if out.status.success() {
            // The flipped byte's line in the original: a comment changes
            // nothing; anything else is a value that still reads (TOML has
            // no checksum; the postal table, which has, is refused).
            let line_start = original[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            if original[line_start..].trim_ascii_start().starts_with(b"#") {
                in_comment += 1;
            } else {
                read += 1;
            }
        } else {
            refused += 1;
            assert_eq!(code(&out), 2, "{}", text(&out.stderr));
            assert!(
                text(&out.stderr).contains("設定ファイル"),
                "{}",
                text(&out.stderr)
            );
        }
    }
    std::fs::write(&config, &original).unwrap();
    println!(
        "damaged configuration: {trials} copies, {refused} refused naming the file (exit 2), {in_comment} flips inside a comment, {read} elsewhere that still read, 0 panics"
    );
}

/// The write-ahead log holds a transaction only when another process read
/// the store at the moment it committed (otherwise each commit is folded
/// into the main file at once; `tests/durability.rs`), until the next commit. A damaged WAL frame fails SQLite's checksum, and SQLite
/// then ignores that frame and every later one: the store opens as it was
/// before them. Each damaged copy must be refused, read exactly as
/// undamaged, or read exactly as before the WAL's transactions; never
/// anything else, never a panic. How often the last transactions are
/// dropped is counted and printed (README, "Reliability").
#[test]
fn a_damaged_write_ahead_log_is_never_misread() {
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"name": "破損 記子", "kana": "はそん きこ", "phone": "090-2222-5555",
            "birth": "昭和27年7月7日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = id_after(&out, "登録番号: ");
    let session = env.salon_today();
    // Everything so far into the main file; the check-in stays in the WAL.
    let fold = Command::new("sqlite3")
        .arg(env.store())
        .arg("PRAGMA wal_checkpoint(TRUNCATE)")
        .output()
        .unwrap();
    assert!(fold.status.success());
    let main_file = std::fs::read(env.store()).unwrap();
    // A second connection keeps the WAL from being folded in when the
    // check-in's process closes the store.
    let mut holder = Command::new("sqlite3")
        .arg(env.store())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let stdin = holder.stdin.as_mut().unwrap();
        writeln!(stdin, "BEGIN; SELECT count(*) FROM meta;").unwrap();
        stdin.flush().unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    env.staff(&["checkin", "--participant", &id, "--session", &session]);
    let wal = std::fs::read(env.path("tsudoi.db-wal")).unwrap();
    drop(holder.stdin.take());
    let _ = holder.wait();
    assert!(!wal.is_empty(), "the check-in is not in the WAL");

    let show = |name: &str, wal: Option<&[u8]>| -> Output {
        let path = env.path(&format!("{name}.db"));
        std::fs::write(&path, &main_file).unwrap();
        let wal_path = env.path(&format!("{name}.db-wal"));
        let _ = std::fs::remove_file(env.path(&format!("{name}.db-shm")));
        match wal {
            Some(w) => std::fs::write(&wal_path, w).unwrap(),
            None => {
                let _ = std::fs::remove_file(&wal_path);
            }
        }
        let out = run_on(&path, &env, &["session", "list"]);
        for f in [
            format!("{name}.db"),
            format!("{name}.db-wal"),
            format!("{name}.db-shm"),
        ] {
            let _ = std::fs::remove_file(env.path(&f));
        }
        out
    };
    let with_log = text(&show("intact", Some(&wal)).stdout);
    let without_log = text(&show("before", None).stdout);
    assert_ne!(
        with_log, without_log,
        "session list does not show the check-in"
    );

    let trials: u64 = std::env::var("TSUDOI_DAMAGE_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let mut rng = Rng(0x0A1_DA4A ^ u64::from(std::process::id()));
    let (mut refused, mut same, mut dropped) = (0, 0, 0);
    for trial in 0..trials {
        let mut bytes = wal.clone();
        let what = format!("WAL {}", damage(&mut bytes, &mut rng));
        let out = show(&format!("wal-{trial}"), Some(&bytes));
        no_panic(&out, &what);
        if !out.status.success() {
            assert!(
                !text(&out.stderr).trim().is_empty(),
                "{what}: refused without a word"
            );
            refused += 1;
        } else if text(&out.stdout) == with_log {
            same += 1;
        } else {
            assert_eq!(text(&out.stdout), without_log, "{what}: misread");
            dropped += 1;
        }
    }
    println!(
        "damaged WAL: {trials} copies, {refused} refused, {same} read as undamaged, {dropped} read as before the WAL's transactions (dropped by SQLite), 0 misread, 0 panics"
    );
}

/// A signed report folder with one byte flipped or one file cut short in
/// any of its files never passes `tsudoi report verify`.
#[test]
fn a_damaged_report_folder_never_verifies() {
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"name": "報告 試子", "kana": "ほうこく ためこ", "phone": "090-2222-6666",
            "birth": "昭和25年5月5日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = id_after(&out, "登録番号: ");
    let session = env.salon_today();
    env.staff(&["checkin", "--participant", &id, "--session", &session]);
    let month = common::cli::days_from_today(0)[..7].to_owned();
    let dir = env.path("report");
    env.staff(&["report", "--month", &month, "--out", dir.to_str().unwrap()]);
    let good = env.run(&["report", "verify", dir.to_str().unwrap()], None);
    assert!(good.status.success(), "{}", text(&good.stderr));
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    let trials: u64 = std::env::var("TSUDOI_DAMAGE_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
        .max(files.len() as u64 * 2);
    let mut rng = Rng(0x004E_9047 ^ u64::from(std::process::id()));
    for trial in 0..trials {
        // Every file is damaged at least twice.
        let file = &files[trial as usize % files.len()];
        let original = std::fs::read(file).unwrap();
        let mut bytes = original.clone();
        let what = if bytes.is_empty() || rng.below(4) == 0 {
            bytes.push(b'\n');
            format!("{} grown by a byte", file.display())
        } else if rng.below(3) == 0 {
            let len = rng.below(bytes.len() as u64) as usize;
            bytes.truncate(len);
            format!("{} cut at {len}", file.display())
        } else {
            let at = rng.below(bytes.len() as u64) as usize;
            bytes[at] ^= 1 << rng.below(8);
            format!("{} byte {at} flipped", file.display())
        };
        std::fs::write(file, &bytes).unwrap();
        let out = env.run(&["report", "verify", dir.to_str().unwrap()], None);
        no_panic(&out, &what);
        assert!(!out.status.success(), "{what}: still verifies");
        assert!(
            !text(&out.stderr).trim().is_empty(),
            "{what}: refused without a word"
        );
        std::fs::write(file, &original).unwrap();
    }
    println!(
        "damaged report folder: {trials} copies over {} files, all refused by report verify, 0 panics",
        files.len()
    );
}

/// Another ward's postal table, named in the configuration with its
/// `sha256sum`: an intact table is used; a table with one bit flipped or cut
/// short is refused with exit 4 and a sentence naming the table (a flipped
/// digit would otherwise still parse and put a resident in the wrong town);
/// a table without its checksum in the configuration is refused (exit 2).
#[test]
fn a_damaged_postal_table_is_refused_never_used() {
    let env = Env::new();
    let table = env.path("postal.tsv");
    // A synthetic two-town ward (the codes are Shinjuku's format, not a real ward's table).
    std::fs::write(
        &table,
        "# ward: 試験区\npostal_code\ttown\tlabel\n1600000\t\t\n1600022\t試験町\t試験町\n1600023\t見本町\t見本町\n",
    )
    .unwrap();
    let sha = Command::new("sha256sum").arg(&table).output().unwrap();
    assert!(sha.status.success());
    let sha = text(&sha.stdout)[..64].to_owned();
    let base = std::fs::read_to_string(env.path("config.toml")).unwrap();
    let with = |extra: &str| {
        std::fs::write(
            env.path("config.toml"),
            format!(
                "{base}\n[eligibility]\npostal_table = \"{}\"\n{extra}",
                table.display()
            ),
        )
        .unwrap();
    };
    let check = || {
        env.run(
            &[
                "check",
                "--birth",
                "昭和30年1月1日",
                "--postal",
                "160-0022",
                "--on",
                "2026-12-02",
                "--json",
            ],
            None,
        )
    };

    with("");
    let out = check();
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("postal_table_sha256"));

    with(&format!("postal_table_sha256 = \"{sha}\"\n"));
    let out = check();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("試験町"),
        "{}",
        text(&out.stdout)
    );

    let original = std::fs::read(&table).unwrap();
    let mut rng = Rng(0x0090_57A1);
    for trial in 0..40 {
        let mut bytes = original.clone();
        let what = format!("postal table {}", damage(&mut bytes, &mut rng));
        std::fs::write(&table, &bytes).unwrap();
        let out = check();
        no_panic(&out, &what);
        assert_eq!(
            code(&out),
            4,
            "{what} (trial {trial}): {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("郵便番号表") && text(&out.stdout).is_empty(),
            "{what}: {}",
            text(&out.stderr)
        );
    }
}
