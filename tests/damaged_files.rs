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
        let what = if rng.below(4) == 0 {
            let len = rng.below(bytes.len() as u64) as usize;
            bytes.truncate(len);
            format!("cut at {len}")
        } else {
            let at = rng.below(bytes.len() as u64) as usize;
            let bit = rng.below(8) as u8;
            bytes[at] ^= 1 << bit;
            format!("bit {bit} of byte {at} flipped")
        };
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
    let env = Env::new();
    env.init();
    let config = env.path("config.toml");
    let original = std::fs::read(&config).unwrap();
    let mut rng = Rng(0xC0FF_1603);
    for _ in 0..30 {
        let mut bytes = original.clone();
        let at = rng.below(bytes.len() as u64) as usize;
        bytes[at] ^= 1 << rng.below(8);
        std::fs::write(&config, &bytes).unwrap();
        let out = env.run(&["session", "list"], None);
        no_panic(&out, "config");
        if !out.status.success() {
            assert_eq!(code(&out), 2, "{}", text(&out.stderr));
            assert!(
                text(&out.stderr).contains("設定ファイル"),
                "{}",
                text(&out.stderr)
            );
        }
    }
    std::fs::write(&config, &original).unwrap();
}
