//! Personal values reach the command line only from a prompt or standard
//! input, never from its arguments, which every user of the machine can
//! read in `/proc/PID/cmdline` (and `ps`) and which stay in shell history.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::NEW_PASSWORD;
use common::cli::{Env, code, id_after, text};

const PERSON: &str = r#"{"name": "試験 梅子", "kana": "しけん うめこ", "phone": "090-6543-2109",
  "birth": "昭和22年2月22日", "postal": "160-0022", "document": "マイナンバーカード"}"#;
const VALUES: &[&str] = &[
    "試験",
    "梅子",
    "うめこ",
    "6543",
    "昭和22",
    "160-0022",
    "マイナンバー",
];

fn sqlite3_count(env: &Env, table: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(env.store())
        .arg(format!("SELECT count(*) FROM {table}"))
        .output()
        .expect("sqlite3 is installed by scripts/install-deps.sh");
    text(&out.stdout).trim().to_owned()
}

#[test]
fn personal_values_never_appear_in_the_process_arguments() {
    let env = Env::new();
    env.init();
    let mut c = env.cmd(&["participant", "add", "--json", "-"]);
    c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    // While the command waits for its input, look at what every other user
    // of the machine can see of it.
    // (The kernel lets the parent go on before the new program's arguments
    // are in place, so read until they are.)
    let mut cmdline = String::new();
    for _ in 0..500 {
        let raw = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap();
        cmdline = String::from_utf8_lossy(&raw).replace('\0', " ");
        if !cmdline.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(cmdline.contains("participant add --json -"), "{cmdline}");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(PERSON.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for v in VALUES {
        assert!(!cmdline.contains(v), "{v} in {cmdline}");
    }
    assert_eq!(sqlite3_count(&env, "participants"), "1");

    // Searching takes the phone number (a plain line) or the kana (JSON).
    let found = env.run_with_input(
        &["participant", "find"],
        Some(NEW_PASSWORD),
        "090-6543-2109\n",
    );
    assert!(found.status.success(), "{}", text(&found.stderr));
    assert!(text(&found.stdout).contains("試験 梅子"));
    let found = env.run_with_input(
        &["participant", "find", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"kana": "しけん"}"#,
    );
    assert!(text(&found.stdout).contains("試験 梅子"));
    let id = text(&found.stdout)[..8].to_owned();

    // Corrections and re-verification come the same way.
    let out = env.run_with_input(
        &["participant", "update", &id, "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"phone": "03-3209-0001"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = env.run_with_input(
        &["participant", "reverify", &id, "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"birth": "1947-02-22", "postal": "1600022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&env.staff(&["participant", "show", &id]).stdout);
    assert!(
        shown.contains("03-3209-0001") && shown.contains("昭和22年2月22日"),
        "{shown}"
    );
}

#[test]
fn the_old_flags_are_refused_and_nothing_is_stored() {
    let env = Env::new();
    env.init();
    let attempts: &[&[&str]] = &[
        &[
            "participant",
            "add",
            "--name",
            "試験 梅子",
            "--kana",
            "しけん うめこ",
            "--phone",
            "090-6543-2109",
            "--birth",
            "1947-02-22",
            "--postal",
            "160-0022",
        ],
        &["participant", "find", "--phone", "090-6543-2109"],
        &["participant", "find", "--kana", "しけん"],
        &[
            "participant",
            "update",
            "00000000",
            "--phone",
            "090-6543-2109",
        ],
        &[
            "participant",
            "reverify",
            "00000000",
            "--birth",
            "1947-02-22",
            "--postal",
            "160-0022",
        ],
        &[
            "lottery",
            "apply",
            "00000000",
            "--participant",
            "00000000",
            "--address",
            "新宿区西新宿二丁目8番1号",
        ],
    ];
    let audit_before = sqlite3_count(&env, "audit");
    for args in attempts {
        let out = env.run(args, Some(NEW_PASSWORD));
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(
            err.contains("コマンドラインでは受け付けません") && err.contains("--json -"),
            "{args:?}: {err}"
        );
        // The refusal names the flags, never their values.
        for v in ["梅子", "6543", "1947", "西新宿"] {
            assert!(!err.contains(v), "{args:?}: {err}");
        }
    }
    assert_eq!(sqlite3_count(&env, "participants"), "0");
    // Refused before any sign-in: nothing was even logged.
    assert_eq!(sqlite3_count(&env, "audit"), audit_before);
}

#[test]
fn without_a_terminal_or_json_the_command_says_how_to_give_the_values() {
    let env = Env::new();
    env.init();
    let out = env.run_with_input(&["participant", "add"], Some(NEW_PASSWORD), "");
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("--json -"),
        "{}",
        text(&out.stderr)
    );
    // A typo in a key is named; the values are not repeated.
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"nmae": "試験 梅子", "kana": "しけん うめこ", "phone": "090-6543-2109"}"#,
    );
    assert_eq!(code(&out), 2);
    let err = text(&out.stderr);
    assert!(err.contains("nmae") && !err.contains("梅子"), "{err}");
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        "{\"name\": \"試験 梅子\"",
    );
    assert_eq!(code(&out), 2);
    assert!(!text(&out.stderr).contains("梅子"));
    assert_eq!(sqlite3_count(&env, "participants"), "0");
}

#[test]
fn check_reads_the_birth_date_and_postal_code_from_standard_input() {
    let env = Env::new();
    let out = env.run_with_input(
        &["check", "--input", "-", "--on", "2026-12-02"],
        None,
        r#"{"birth": "昭和41年4月1日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("参加できます"));
    // The flags still work for a person not yet registered.
    let out = env.run(
        &[
            "check",
            "--birth",
            "昭和41年4月2日",
            "--postal",
            "160-0022",
            "--on",
            "2026-03-31",
        ],
        None,
    );
    assert_eq!(code(&out), 1);
    assert!(text(&out.stdout).contains("対象外です"));
}

#[test]
fn a_first_lottery_application_reads_the_address_from_standard_input() {
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        PERSON,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pid = id_after(&out, "登録番号: ");
    let cid = env.lottery_class(-1, 5, 6);
    // No address given and none on standard input: asked for, nothing applied.
    let out = env.run_with_input(
        &["lottery", "apply", &cid, "--participant", &pid],
        Some(NEW_PASSWORD),
        "",
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert_eq!(sqlite3_count(&env, "lottery_applications"), "0");
    let out = env.apply_with_address(&cid, &pid);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(sqlite3_count(&env, "lottery_applications"), "1");
}
