//! The security policy belongs to the store (FORMAT.md 8.10): a manager
//! sets it, the store keeps it under a MAC, a configuration file can only
//! tighten it, and an edit with `sqlite3` is refused. Through the real
//! binary; the store is read back with `sqlite3`.

mod common;

use common::NEW_PASSWORD;
use common::cli::{Env, code, text};

fn sqlite3(env: &Env, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(env.store())
        .arg(sql)
        .output()
        .expect("sqlite3 is installed by scripts/install-deps.sh");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

/// The Argon2 memory (KiB) recorded in a staff member's password slot,
/// read with sqlite3 at the offset FORMAT.md gives (100 + label length).
fn slot_memory_kib(env: &Env, id: &str) -> u32 {
    let hex = sqlite3(
        env,
        &format!(
            "SELECT hex(substr(slot, 101 + length(label), 4)) FROM keyslots WHERE id = 'password:{id}'"
        ),
    );
    u32::from_str_radix(&hex, 16).unwrap()
}

fn write_config(env: &Env, security: &str) {
    std::fs::write(env.path("config.toml"), format!("[security]\n{security}\n")).unwrap();
}

const FLOOR: &str = "kdf_memory_kib = 19456\nkdf_iterations = 2\nkdf_parallelism = 1";

#[test]
fn a_configuration_below_the_floor_is_refused() {
    let env = Env::new();
    env.init();
    let cases: [(String, &str); 3] = [
        (
            "kdf_memory_kib = 8\nkdf_iterations = 1\nkdf_parallelism = 1".into(),
            "Argon2id",
        ),
        (
            format!("{FLOOR}\nlockout_attempts = 20"),
            "lockout_attempts",
        ),
        (format!("{FLOOR}\nlockout_minutes = 1"), "lockout_minutes"),
    ];
    for (weak, says) in &cases {
        write_config(&env, weak);
        let out = env.run(&["staff", "policy", "show"], Some(NEW_PASSWORD));
        assert_eq!(code(&out), 2, "{weak}");
        assert!(text(&out.stderr).contains(*says), "{}", text(&out.stderr));
        // And a new store is not made with it either.
        let fresh = Env::new();
        write_config(&fresh, weak);
        let out = fresh.run(
            &["init", "--site", "テスト施設", "--manager", "kanri01"],
            Some(common::PASSWORD),
        );
        assert_eq!(code(&out), 2);
        assert!(!fresh.store().exists());
    }
}

#[test]
fn the_stored_policy_rules_and_a_configuration_cannot_loosen_it() {
    let env = Env::new();
    env.init();
    let out = env.staff(&["staff", "policy", "set", "--lockout-attempts", "3"]);
    assert!(
        text(&out.stdout).contains("lockout_attempts"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        sqlite3(
            &env,
            "SELECT fields FROM audit WHERE action = 'policy_change'"
        ),
        "lockout_attempts"
    );
    // Below the floor is refused, and nothing changes.
    let out = env.run(
        &["staff", "policy", "set", "--lockout-attempts", "11"],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    let out = env.run(
        &["staff", "policy", "set", "--kdf-memory-kib", "1024"],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    assert!(
        sqlite3(&env, "SELECT value FROM meta WHERE key = 'security_policy'")
            .contains("lockout_attempts=3 ")
    );

    // A configuration asking for 10 attempts: the store's 3 still apply.
    write_config(&env, &format!("{FLOOR}\nlockout_attempts = 10"));
    let shown = text(&env.staff(&["staff", "policy", "show"]).stdout);
    assert!(shown.contains("ロックまでの失敗回数: 3回"), "{shown}");
    for i in 0..3 {
        let out = env.run(&["staff", "policy", "show"], Some("Wrong-password-99"));
        assert_ne!(code(&out), 0);
        assert_eq!(text(&out.stderr).contains("ロックされています"), i == 2);
    }
    let out = env.run(&["staff", "policy", "show"], Some(NEW_PASSWORD));
    assert!(text(&out.stderr).contains("ロックされています"));

    // A configuration asking for more than the store: it tightens.
    let env = Env::new();
    env.init();
    write_config(&env, &format!("{FLOOR}\nlockout_attempts = 2"));
    for _ in 0..2 {
        env.run(&["staff", "policy", "show"], Some("Wrong-password-99"));
    }
    let out = env.run(&["staff", "policy", "show"], Some(NEW_PASSWORD));
    assert!(text(&out.stderr).contains("ロックされています"));
}

#[test]
fn a_policy_edited_with_sqlite3_is_refused_at_the_next_sign_in() {
    for attack in [
        "UPDATE meta SET value = replace(value, 'lockout_attempts=5', 'lockout_attempts=9') WHERE key = 'security_policy'",
        "DELETE FROM meta WHERE key = 'security_policy_mac'",
        "UPDATE meta SET value = replace(value, 'reverify_months=12', 'reverify_months=60') WHERE key = 'security_policy'",
    ] {
        let env = Env::new();
        env.init();
        let before = sqlite3(&env, "SELECT count(*) FROM audit");
        sqlite3(&env, attack);
        let out = env.run(&["staff", "policy", "show"], Some(NEW_PASSWORD));
        assert_eq!(code(&out), 4, "{attack}");
        let err = text(&out.stderr);
        assert!(
            err.contains("セキュリティ設定") && err.contains("書き換え"),
            "{err}"
        );
        // Nothing was written by the refused sign-in.
        assert_eq!(
            sqlite3(&env, "SELECT count(*) FROM audit"),
            before,
            "{attack}"
        );
    }
}

#[test]
fn removing_both_policy_rows_after_a_change_is_refused() {
    let env = Env::new();
    env.init();
    env.staff(&["staff", "policy", "set", "--lockout-attempts", "3"]);
    sqlite3(
        &env,
        "DELETE FROM meta WHERE key IN ('security_policy', 'security_policy_mac')",
    );
    let out = env.run(&["staff", "policy", "show"], Some(NEW_PASSWORD));
    assert_eq!(code(&out), 4, "damaged data");
    assert!(
        text(&out.stderr).contains("セキュリティ設定"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn password_slots_move_to_stronger_argon2_parameters_at_the_next_sign_in() {
    let env = Env::new();
    env.init();
    assert_eq!(slot_memory_kib(&env, "kanri01"), 19456);
    env.staff(&["staff", "policy", "set", "--kdf-memory-kib", "24576"]);
    // The slot is still the old one until its owner signs in again ...
    assert_eq!(slot_memory_kib(&env, "kanri01"), 19456);
    env.staff(&["staff", "policy", "show"]);
    assert_eq!(slot_memory_kib(&env, "kanri01"), 24576);
    let upgrades =
        "SELECT count(*) FROM audit WHERE action = 'key_change' AND result = 'kdf_upgraded'";
    assert_eq!(sqlite3(&env, upgrades), "1");
    // ... and only once.
    env.staff(&["staff", "policy", "show"]);
    assert_eq!(sqlite3(&env, upgrades), "1");
}
