//! 取扱責任者・取扱者の届出 (contract clause 13): `tsudoi report staff`
//! writes the roster the ward is told about, signed. Read back with Python's
//! csv module, `sha256sum` and `pdftotext`, not with our code.

mod common;

use std::process::Command;

use common::cli::{Env, code, text};
use common::{NEW_PASSWORD, PASSWORD};

fn add(env: &Env, id: &str, role: &str) {
    let mut c = env.cmd(&["staff", "add", id, "--role", role]);
    c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", PASSWORD);
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn the_roster_lists_every_account_with_who_added_and_removed_it_signed() {
    let env = Env::new();
    env.init();
    add(&env, "tori01", "handler");
    add(&env, "unei01", "operator");
    env.staff(&["staff", "deactivate", "tori01"]);
    let dir = env.path("roster");
    let out = env.staff(&["report", "staff", "--out", dir.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("tsudoi-staff-roster.csv"));

    let rows = Command::new("python3")
        .arg("-c")
        .arg(
            "import csv,sys\n\
             for r in csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')):\n\
             \x20   print('|'.join(r))",
        )
        .arg(dir.join("tsudoi-staff-roster.csv"))
        .output()
        .unwrap();
    assert!(rows.status.success(), "{}", text(&rows.stderr));
    let today = tsudoi::clock::Clock::today(&tsudoi::clock::SystemClock).to_string();
    let rows: Vec<String> = text(&rows.stdout).lines().map(str::to_owned).collect();
    assert_eq!(
        rows,
        [
            "スタッフID|役割|追加した日|追加した人|無効にした日|無効にした人".to_owned(),
            format!("kanri01|取扱責任者|{today}|（設置時）||"),
            format!("tori01|取扱者|{today}|kanri01|{today}|kanri01"),
            format!("unei01|運営者|{today}|kanri01||"),
        ]
    );

    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", text(&sums.stdout));
    let verified = env.run(&["report", "verify", dir.to_str().unwrap()], None);
    assert!(verified.status.success(), "{}", text(&verified.stderr));

    let pdf = Command::new("pdftotext")
        .args(["-layout"])
        .arg(dir.join("tsudoi-staff-roster.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let page = text(&pdf.stdout);
    for s in [
        "スタッフ名簿",
        "tori01",
        "unei01",
        "取扱者",
        "運営者",
        "第13条",
    ] {
        assert!(page.contains(s), "{s} in {page}");
    }
    // Audited as an export.
    let audit = text(&env.staff(&["audit", "show", "--last", "3"]).stdout);
    assert!(audit.contains("staff_roster"), "{audit}");
}

#[test]
fn only_a_manager_writes_it_and_a_changed_role_is_refused() {
    let env = Env::new();
    env.init();
    add(&env, "unei01", "operator");
    let mut c = env.cmd(&["staff", "passwd"]);
    c.env("TSUDOI_STAFF", "unei01")
        .env("TSUDOI_PASSWORD", PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD);
    assert!(c.output().unwrap().status.success());
    let dir = env.path("roster");
    let mut c = env.cmd(&["report", "staff", "--out", dir.to_str().unwrap()]);
    c.env("TSUDOI_STAFF", "unei01")
        .env("TSUDOI_PASSWORD", NEW_PASSWORD);
    let out = c.output().unwrap();
    assert_ne!(code(&out), 0);
    assert!(text(&out.stderr).contains("権限"), "{}", text(&out.stderr));
    assert!(!dir.exists());

    // The operator made a manager with sqlite3: the roster refuses to lie.
    let out = Command::new("sqlite3")
        .arg(env.store())
        .arg("UPDATE staff SET role = 'manager' WHERE id = 'unei01'")
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = env.run(
        &["report", "staff", "--out", dir.to_str().unwrap()],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 4, "damaged data");
    assert!(
        text(&out.stderr).contains("unei01"),
        "{}",
        text(&out.stderr)
    );
}
