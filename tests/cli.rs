//! The `tsudoi` command line as staff and scripts use it.

mod common;

use std::path::Path;
use std::process::Output;

use common::cli::{Env, code, text};
use common::{NEW_PASSWORD, PASSWORD};

fn check(env: &Env, birth: &str, postal: &str, on: &str) -> (i32, serde_json::Value, String) {
    let out = env.run(
        &[
            "check", "--birth", birth, "--postal", postal, "--on", on, "--json",
        ],
        None,
    );
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (code(&out), json, text(&out.stderr))
}

#[test]
fn check_decides_with_the_law_and_wareki_dates() {
    let env = Env::new();
    // Born 昭和41年4月1日 (1966-04-01): 60 from 2026-03-31.
    let (c, j, _) = check(&env, "昭和41年4月1日", "160-0022", "2026-03-31");
    assert_eq!(c, 0);
    assert_eq!(j["eligible"], true);
    assert_eq!(j["birth_date"], "1966-04-01");
    assert_eq!(j["age"], 60);
    assert_eq!(j["reaches_60_on"], "2026-03-31");
    assert_eq!(j["in_ward"], true);
    assert_eq!(j["town"], "新宿");

    // The day before: 59, exit 1, with a reason that gives the date.
    let (c, j, _) = check(&env, "S41.4.1", "1600022", "2026-03-30");
    assert_eq!(c, 1);
    assert_eq!(j["eligible"], false);
    assert_eq!(j["age"], 59);
    let reasons = j["reasons"].as_array().unwrap();
    assert!(
        reasons
            .iter()
            .any(|r| r.as_str().unwrap().contains("2026年3月31日")),
        "{reasons:?}"
    );

    // Full-width forms as copied from a card; 29 February.
    let (c, j, _) = check(&env, "昭３９・２・２９", "１６９－００７５", "2024-02-28");
    assert_eq!(c, 0, "{j}");
    assert_eq!(j["birth_date"], "1964-02-29");
    let (c, _, _) = check(&env, "1964/2/29", "169-0075", "2024-02-27");
    assert_eq!(c, 1);
    let (c, j, _) = check(&env, "平成元年1月8日", "160-0022", "2026-11-23");
    assert_eq!(c, 1);
    assert_eq!(j["birth_date"], "1989-01-08");

    // Another ward's code: a decision, not an input error.
    let (c, j, _) = check(&env, "1950-01-01", "164-0001", "2026-11-23");
    assert_eq!(c, 1);
    assert_eq!(j["in_ward"], false);
}

#[test]
fn check_rejects_impossible_input_with_a_message_naming_the_problem() {
    let env = Env::new();
    for (birth, postal, words) in [
        ("昭和65年1月1日", "160-0022", "64年"),
        ("平成31年5月1日", "160-0022", "4月30日"),
        ("1950年2月30日", "160-0022", "2月30日"),
        ("そのうち", "160-0022", "昭和41年4月1日"),
        ("1950-01-01", "160-00", "7桁"),
    ] {
        let (c, j, err) = check(&env, birth, postal, "2026-11-23");
        assert_eq!(c, 2, "{birth} {postal}");
        assert!(err.contains(words), "{birth}: {err}");
        assert!(j["error"].as_str().unwrap().contains(words));
    }
}

#[test]
fn staff_workflow_from_the_terminal() {
    let env = Env::new();
    let out = env.run(
        &["init", "--site", "テスト施設", "--manager", "kanri01"],
        Some(PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("回復キー"), "{shown}");
    // A second init refuses to overwrite.
    let again = env.run(
        &["init", "--site", "x", "--manager", "kanri01"],
        Some(PASSWORD),
    );
    assert_eq!(code(&again), 2);
    assert!(text(&again.stderr).contains("すでにあります"));

    // The first password must be changed before anything else.
    let add = ["participant", "add", "--json", "-"];
    let person = r#"{"name": "試験 花子", "kana": "しけん はなこ", "phone": "090-7777-0001",
                     "birth": "昭和25年5月5日", "postal": "160-0022"}"#;
    let out = env.run_with_input(&add, Some(PASSWORD), person);
    assert_ne!(code(&out), 0);
    assert!(
        text(&out.stderr).contains("パスワードを変更"),
        "{}",
        text(&out.stderr)
    );
    let mut c = env.cmd(&["staff", "passwd"]);
    c.env("TSUDOI_PASSWORD", PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", "short");
    let out = c.output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("13文字以上"));
    let mut c = env.cmd(&["staff", "passwd"]);
    c.env("TSUDOI_PASSWORD", PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD);
    assert!(c.output().unwrap().status.success());

    let out = env.run_with_input(&add, Some(NEW_PASSWORD), person);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out_text = text(&out.stdout);
    let id = out_text.split("登録番号: ").nth(1).unwrap()[..8].to_owned();

    let out = env.run_with_input(
        &["participant", "find"],
        Some(NEW_PASSWORD),
        "０９０（７７７７）０００１\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&id));
    let out = env.run_with_input(
        &["participant", "find", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"kana": "シケン"}"#,
    );
    assert!(text(&out.stdout).contains("試験 花子"));
    let out = env.run(&["participant", "show", &id], Some(NEW_PASSWORD));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("昭和25年5月5日")
            && shown.contains("090-7777-0001")
            && shown.contains("新宿"),
        "{shown}"
    );

    let today = tsudoi::clock::Clock::today(&tsudoi::clock::SystemClock).to_string();
    let out = env.run(
        &[
            "session",
            "add",
            "--program",
            "kaigo",
            "--date",
            &today,
            "--start",
            "10:00",
            "--end",
            "11:30",
            "--title",
            "転倒予防体操",
            "--capacity",
            "20",
            "--mode",
            "first_come",
        ],
        Some(NEW_PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sid = text(&out.stdout).split("活動番号: ").nth(1).unwrap()[..8].to_owned();
    let out = env.run(
        &["checkin", "--participant", &id, "--session", &sid],
        Some(NEW_PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("受付ができました"));
    let out = env.run(
        &["checkin", "--participant", &id, "--session", &sid],
        Some(NEW_PASSWORD),
    );
    assert!(text(&out.stdout).contains("もう済んで"));
    let out = env.run(&["session", "list", "--date", &today], None);
    assert!(
        text(&out.stdout).contains("1/20人"),
        "{}",
        text(&out.stdout)
    );

    // Wrong password: clear message, non-zero.
    let out = env.run(&["participant", "show", &id], Some("Wrong-pass-20261"));
    assert_eq!(code(&out), 3, "wrong password: not allowed");
    assert!(text(&out.stderr).contains("パスワードが違います"));

    // The audit log verifies, then a changed row is found.
    let out = env.run(&["audit", "verify"], Some(NEW_PASSWORD));
    assert!(out.status.success(), "{}", text(&out.stdout));
    let conn = rusqlite::Connection::open(env.store()).unwrap();
    conn.execute("UPDATE audit SET action = 'view' WHERE seq = 3", [])
        .unwrap();
    let out = env.run(&["audit", "verify"], Some(NEW_PASSWORD));
    assert_eq!(code(&out), 1);
    assert!(text(&out.stdout).contains("3番目"), "{}", text(&out.stdout));
}

#[test]
fn input_errors_do_not_echo_personal_values() {
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"name": "試験 太郎", "kana": "しけん たろう", "phone": "090-12345",
            "birth": "1950-01-01", "postal": "160-0022"}"#,
    );
    assert_eq!(code(&out), 2);
    let err = text(&out.stderr);
    assert!(err.contains("桁"), "{err}");
    assert!(!err.contains("12345") && !err.contains("試験"), "{err}");
}

#[test]
fn recovery_key_can_be_written_to_a_new_private_file() {
    let env = Env::new();
    let key_path = env.dir.path().join("recovery.txt");
    let out = env.run(
        &[
            "init",
            "--site",
            "テスト施設",
            "--manager",
            "kanri01",
            "--recovery-key-out",
            key_path.to_str().unwrap(),
        ],
        Some(PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let key_text = std::fs::read_to_string(&key_path).unwrap();
    let key_line = key_text.lines().nth(1).unwrap().trim().to_owned();
    assert!(
        !text(&out.stdout).contains(&key_line),
        "the key must not also be printed"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // The key resets the manager's password.
    let mut c = env.cmd(&["staff", "recover", "kanri01"]);
    c.env("TSUDOI_RECOVERY_KEY", &key_line)
        .env("TSUDOI_NEW_PASSWORD", "Recovered-pass-77");
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = env.run(&["staff", "list"], Some("Recovered-pass-77"));
    assert!(
        text(&out.stderr).contains("パスワードを変更"),
        "first use after recovery must change it again"
    );
}

fn demo(env: &Env, store: &Path, seed: &str, password: Option<&str>) -> Output {
    let mut c = env.cmd(&[
        "demo",
        "--no-ui",
        "--seed",
        seed,
        "--store",
        store.to_str().unwrap(),
    ]);
    if let Some(p) = password {
        c.env("TSUDOI_PASSWORD", p);
    }
    c.output().unwrap()
}

#[test]
fn demo_creates_a_reproducible_synthetic_year_once() {
    let env = Env::new();
    let a = env.dir.path().join("a.db");
    let b = env.dir.path().join("b.db");
    let out_a = demo(&env, &a, "7", None);
    assert!(out_a.status.success(), "{}", text(&out_a.stderr));
    let out_b = demo(&env, &b, "7", Some("Own-demo-pass-2026"));
    assert!(out_b.status.success(), "{}", text(&out_b.stderr));
    let summary = |o: &Output| text(&o.stdout).lines().nth(1).unwrap().to_owned();
    assert_eq!(summary(&out_a), summary(&out_b), "same seed, same data");
    let counts = summary(&out_a);
    let number = |label: &str| -> u64 {
        let s = counts.split(label).nth(1).unwrap();
        s.chars()
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .unwrap()
    };
    assert_eq!(number("架空の参加者 "), 4000);
    let visits = number("受付 ");
    assert!((50_000..=65_000).contains(&visits), "{visits}");
    assert!(number("活動 ") > 500);

    // Opening again reuses the file; the passwords are the documented one and TSUDOI_PASSWORD.
    let again = demo(&env, &a, "7", None);
    assert!(
        text(&again.stdout).contains("開きました"),
        "{}",
        text(&again.stdout)
    );
    assert!(
        demo(&env, &b, "7", Some("Own-demo-pass-2026"))
            .status
            .success()
    );
    assert!(!demo(&env, &b, "7", None).status.success());

    // The demo data is checked in under the same rules: every visit is by someone 60+.
    let conn = rusqlite::Connection::open(&a).unwrap();
    let audit: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'check_in'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit as u64, visits);
}

#[test]
fn run_refuses_a_wrong_reader_setting_before_opening_a_window() {
    let env = Env::new();
    std::fs::write(
        env.dir.path().join("config.toml"),
        "[hardware]\nreader = \"bogus_driver:/dev/x\"\n",
    )
    .unwrap();
    let out = env.run(&["run"], None);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("カードリーダーの設定"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_media_ledger_is_for_operators_and_managers_not_handlers() {
    let env = Env::new();
    env.init();
    let mut add = env.cmd(&["staff", "add", "uketsuke01", "--role", "handler"]);
    add.env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", "Hajimete-2026-pass");
    assert!(add.output().unwrap().status.success());
    let mut passwd = env.cmd(&["staff", "passwd"]);
    passwd
        .env("TSUDOI_STAFF", "uketsuke01")
        .env("TSUDOI_PASSWORD", "Hajimete-2026-pass")
        .env("TSUDOI_NEW_PASSWORD", "Uketsuke-2026-pass");
    assert!(passwd.output().unwrap().status.success());

    let mut ledger = env.cmd(&["report", "ledger"]);
    ledger
        .env("TSUDOI_STAFF", "uketsuke01")
        .env("TSUDOI_PASSWORD", "Uketsuke-2026-pass");
    let out = ledger.output().unwrap();
    assert_ne!(code(&out), 0);
    assert!(
        text(&out.stderr).contains("取扱者"),
        "{}",
        text(&out.stderr)
    );
    env.staff(&["report", "ledger"]);
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    // `tsudoi training chapters | head -n 1`, with the reader already gone:
    // the first write meets a closed pipe.
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = env
        .cmd(&["training", "chapters"])
        .stdout(writer)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGPIPE),
        "{:?} {err}",
        out.status
    );
}

#[test]
fn exit_codes_follow_the_kind_of_failure() {
    let env = Env::new();
    env.init();
    // 2: input to correct.
    let out = env.run(
        &["check", "--birth", "昭和99年1月1日", "--postal", "160-0022"],
        None,
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    // 3: not allowed.
    let out = env.run(&["staff", "list"], Some("Wrong-pass-20261"));
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    // 5: the disk refuses (a folder inside a character device).
    let out = env.run(
        &["audit", "checkpoint", "--out", "/dev/null/checkpoint.txt"],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 5, "{}", text(&out.stderr));
    // The table is in the help (and so in the man page).
    let help = text(&env.run(&["--help"], None).stdout);
    for line in [
        "2  入力の誤り",
        "3  権限がない",
        "4  保存されたデータが壊れている",
        "5  ディスク",
    ] {
        assert!(help.contains(line), "{line} missing from --help:\n{help}");
    }
}

#[test]
fn with_no_screen_the_kiosk_says_so_in_one_sentence() {
    let env = Env::new();
    env.init();
    std::fs::write(
        env.dir.path().join("config.toml"),
        "[hardware]\nreader = \"simulated\"\n[hardware.gpio]\nenabled = false\n",
    )
    .unwrap();
    // Env::cmd clears the environment: no DISPLAY, no WAYLAND_DISPLAY.
    let run = |verbose: bool| {
        let mut c = env.cmd(&["run"]);
        if verbose {
            c.arg("--verbose");
        }
        c.env("SLINT_BACKEND", "winit").output().unwrap()
    };
    let out = run(false);
    assert_eq!(code(&out), 5, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    for hint in ["画面が見つかりません", "--no-ui", "SLINT_BACKEND"] {
        assert!(err.contains(hint), "{hint} missing: {err}");
    }
    // `tsudoi screenshot` is named only where it exists: the development
    // build (feature `dev`); a device build does not suggest it.
    assert_eq!(
        err.contains("tsudoi screenshot"),
        cfg!(feature = "dev"),
        "{err}"
    );
    // The backends' own report only under --verbose.
    let out = run(true);
    assert_eq!(code(&out), 5);
    assert!(
        text(&out.stderr).lines().count() > 1,
        "{}",
        text(&out.stderr)
    );
}
