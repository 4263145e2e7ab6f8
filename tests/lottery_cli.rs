//! `tsudoi draw` and `tsudoi lottery …` as anyone checking a draw, and staff,
//! use them.

mod common;

use common::cli::{Env, code, text};
use common::{NEW_PASSWORD, PASSWORD};
use std::process::Command;

#[test]
fn draw_prints_the_key_then_positions_like_the_reference_program() {
    let env = Env::new();
    let out = env.run(
        &[
            "draw",
            "--pool-size",
            "154",
            "--count",
            "12",
            "--source",
            "7 8 11 17 19 25 46",
            "--source",
            "08285182",
            "--source",
            "60115701",
            "--source",
            "2 3 18 26 32 33 42",
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "7.8.11.17.19.25.46./8285182./60115701./2.3.18.26.32.33.42./\n\
         138\n151\n89\n112\n117\n145\n118\n143\n144\n122\n95\n139\n"
    );

    // The RFC's own example, with the reference program's step table.
    let out = env.run(
        &[
            "draw",
            "--pool-size",
            "25",
            "--count",
            "10",
            "--source",
            "9319",
            "--source",
            "2 5 12 8 10",
            "--source",
            "9 18 26 34 41 45",
            "--steps",
        ],
        None,
    );
    let s = text(&out.stdout);
    assert!(s.starts_with("9319./2.5.8.10.12./9.18.26.34.41.45./\n"));
    assert!(s.contains(" 1  990DD0A5692A029A98B5E01AA28F3459  25  -> 17 <-\n"));
    assert!(s.contains("10  31CB111C4A4EBE9287CEAE16FE51B909  16  -> 13 <-\n"));
}

#[test]
fn draw_refuses_bad_input_with_exit_2() {
    let env = Env::new();
    for (args, needle) in [
        (
            vec!["--pool-size", "5", "--count", "6", "--source", "1"],
            "より多く",
        ),
        (
            vec!["--pool-size", "5", "--count", "0", "--source", "1"],
            "1人以上",
        ),
        (
            vec!["--pool-size", "0", "--count", "0", "--source", "1"],
            "対象の人数",
        ),
        (
            vec!["--pool-size", "5", "--count", "2", "--source", "1 2 x"],
            "読めません",
        ),
        (
            vec!["--pool-size", "5", "--count", "2", "--source", "-4"],
            "読めません",
        ),
        (
            vec!["--pool-size", "five", "--count", "2", "--source", "1"],
            "整数",
        ),
    ] {
        let mut full = vec!["draw"];
        full.extend(args.iter());
        let out = env.run(&full, None);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(text(&out.stderr).contains(needle), "{}", text(&out.stderr));
    }
}

#[test]
fn lottery_close_draw_and_verify_from_the_command_line() {
    let env = Env::new();
    let out = env.run(
        &["init", "--site", "テスト施設", "--manager", "kanri01"],
        Some(PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut c = Command::new(env!("CARGO_BIN_EXE_tsudoi"));
    let out = c
        .args(["staff", "passwd"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TSUDOI_STORE", env.path("tsudoi.db"))
        .env("TSUDOI_CONFIG", env.path("config.toml"))
        .env("TSUDOI_STAFF", "kanri01")
        .env("HOME", env.dir.path())
        .env("TSUDOI_PASSWORD", PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    // The application period ended yesterday; the draw is today (system clock).
    let cid = env.lottery_class(-10, -1, 0);

    // Drawing before closing is refused (exit 2).
    let out = env.run(
        &["lottery", "draw", &cid, "--source", "1 2 3"],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));

    let out = env.staff(&[
        "lottery",
        "close",
        &cid,
        "--source-name",
        "ロト6 第2100回の本数字",
    ]);
    let notice = text(&out.stdout);
    assert!(
        notice.contains("ロト6 第2100回の本数字") && notice.contains("BLAKE3"),
        "{notice}"
    );

    let transcript = env.path("transcript.json");
    env.staff(&[
        "lottery",
        "draw",
        &cid,
        "--source",
        "3 9 14 22 31 40",
        "--transcript-out",
        transcript.to_str().unwrap(),
    ]);
    // A second draw is refused.
    let out = env.run(
        &["lottery", "draw", &cid, "--source", "3 9 14 22 31 40"],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("すでに抽選"));

    // Anyone can verify the exported transcript without the store.
    let out = env.run(&["lottery", "verify", transcript.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("一致しました"));
    let mut bytes = std::fs::read(&transcript).unwrap();
    let at = text(&bytes).find("3 9 14").unwrap();
    bytes[at] = b'4';
    let altered = env.path("altered.json");
    std::fs::write(&altered, bytes).unwrap();
    let out = env.run(&["lottery", "verify", altered.to_str().unwrap()], None);
    assert_eq!(code(&out), 1);
    assert!(text(&out.stdout).contains("一致しません"));
}
