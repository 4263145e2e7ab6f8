//! Errors by layer (issue 17): each typed error of the configuration and
//! report layers driven through the command line, as a script meets it.
//! The exit code follows from the variant (2 invalid input, 3 not allowed,
//! 4 damaged data, 5 I/O), and the message on stderr is Japanese and says
//! what to do. Where an attacker's or a faulty device's edit is the cause,
//! the test makes the edit.

mod common;

use std::process::Output;

use common::cli::{Env, code, text};

/// The small Argon2 parameters every test store uses.
const BASE: &str = "[security]\nkdf_memory_kib = 19456\nkdf_iterations = 2\nkdf_parallelism = 1\n";

/// Asserts the exit code, a Japanese message naming what to do, and that
/// `fragment` is in it.
fn refused(out: &Output, exit: i32, fragment: &str) {
    let err = text(&out.stderr);
    assert_eq!(code(out), exit, "{err}");
    assert!(err.starts_with("エラー: "), "{err}");
    assert!(
        err.chars()
            .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)
                || ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not Japanese: {err}"
    );
    assert!(
        ["ください", "してください", "確かめて", "直して"]
            .iter()
            .any(|w| err.contains(w)),
        "says nothing to do: {err}"
    );
    assert!(err.contains(fragment), "{fragment:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn check(env: &Env) -> Output {
    env.run(
        &[
            "check",
            "--birth",
            "昭和30年1月1日",
            "--postal",
            "160-0022",
            "--on",
            "2026-12-02",
        ],
        None,
    )
}

/// The configuration file with `extra` after the test's `[security]` lines
/// (`extra` may start with its own `[section]`).
fn config(env: &Env, extra: &str) {
    std::fs::write(env.path("config.toml"), format!("{BASE}{extra}")).unwrap();
}

#[test]
fn configuration_errors_exit_by_kind() {
    let env = Env::new();

    // ConfigError::Read: the file given does not exist.
    let out = env.run(
        &[
            "--config",
            env.path("nowhere.toml").to_str().unwrap(),
            "check",
            "--birth",
            "1950-01-01",
            "--postal",
            "1600022",
        ],
        None,
    );
    refused(&out, 2, "設定ファイル");

    // ConfigError::Syntax: an unknown key.
    config(&env, "lockout = 3\n");
    refused(&check(&env), 2, "書き方に誤りがあります");

    // ConfigError::OutOfRange: values out of range, edited into the file.
    config(&env, "lockout_attempts = 0\n");
    refused(&check(&env), 2, "lockout_attempts は1〜20にしてください。");
    config(&env, "lockout_minutes = 100000\n");
    refused(&check(&env), 2, "設定ファイルの値が正しくありません: ");
    // Below the store's floor (its own sentence, the same prefix).
    std::fs::write(
        env.path("config.toml"),
        "[security]\nkdf_memory_kib = 8192\nkdf_iterations = 1\nkdf_parallelism = 1\n",
    )
    .unwrap();
    refused(&check(&env), 2, "設定ファイルの値が正しくありません: ");
    config(&env, "[eligibility]\nminimum_age = 500\n");
    refused(
        &check(&env),
        2,
        "minimum_age と reverify_after_months は1〜120",
    );

    // ConfigError::Mimamori: the 見守り rule out of range.
    config(&env, "[mimamori]\nvisits = 0\n");
    refused(
        &env.run(&["mimamori"], None),
        2,
        "設定ファイルの [mimamori]",
    );

    // ConfigError::ClosingTime: `tsudoi run` refuses before any window.
    config(&env, "[kiosk]\nclosing_time = \"25時\"\n");
    refused(&env.run(&["run"], None), 2, "closing_time");

    // ConfigError::ContractDate.
    config(&env, "[contract]\nfrom = \"令和8年4月1日\"\n");
    let out = env.run(
        &[
            "erase",
            "--certificate-out",
            env.path("cert").to_str().unwrap(),
        ],
        None,
    );
    refused(&out, 2, "[contract] の日付は 2026-04-01 のように");

    // ConfigError::PostalTableWithoutSha256 and Sha256WithoutPostalTable.
    let table = env.path("postal.tsv");
    std::fs::write(
        &table,
        "postal_code\ttown\tlabel\n1600022\t試験町\t試験町\n",
    )
    .unwrap();
    let path = table.to_str().unwrap().to_owned();
    config(&env, &format!("[eligibility]\npostal_table = \"{path}\"\n"));
    refused(&check(&env), 2, "postal_table_sha256 に書いてください");
    config(
        &env,
        &format!(
            "[eligibility]\npostal_table_sha256 = \"{}\"\n",
            "0".repeat(64)
        ),
    );
    refused(&check(&env), 2, "両方を書くか、両方を消してください");

    // ConfigError::PostalTable: a table whose SHA-256 no longer matches
    // (one byte changed after the ward checked it) is damaged data, 4.
    let sha = sha256sum(&table);
    config(
        &env,
        &format!("[eligibility]\npostal_table = \"{path}\"\npostal_table_sha256 = \"{sha}\"\n"),
    );
    assert_eq!(code(&check(&env)), 0, "{}", text(&check(&env).stderr));
    let mut bytes = std::fs::read(&table).unwrap();
    let at = bytes.len() - 2;
    bytes[at] ^= 1;
    std::fs::write(&table, &bytes).unwrap();
    refused(&check(&env), 4, "入れ直してください");
    // A checksum that is not one: input, 2.
    config(
        &env,
        &format!("[eligibility]\npostal_table = \"{path}\"\npostal_table_sha256 = \"xyz\"\n"),
    );
    refused(&check(&env), 2, "postal_table_sha256 は64桁の16進数で");

    // ConfigError::PostalTableRead: the table cannot be read, 5.
    std::fs::remove_file(&table).unwrap();
    config(
        &env,
        &format!("[eligibility]\npostal_table = \"{path}\"\npostal_table_sha256 = \"{sha}\"\n"),
    );
    let out = check(&env);
    assert_eq!(code(&out), 5, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("郵便番号表のファイル"));
}

/// `sha256sum FILE`'s first field, from the tool itself.
fn sha256sum(path: &std::path::Path) -> String {
    let out = std::process::Command::new("sha256sum")
        .arg(path)
        .output()
        .unwrap();
    text(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}
