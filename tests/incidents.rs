//! 事故報告 (contract clause 19): staff record an incident from fixed lists,
//! the manager writes the signed report for the ward, the incident is in the
//! audit log and the handling report, and a row changed, deleted or forged
//! with `sqlite3` is caught. Outputs are read with Python's csv module,
//! `sha256sum`, `pdftotext` and `sqlite3`, not with our code.

mod common;

use std::process::Command;

use common::NEW_PASSWORD;
use common::cli::{Env, code, days_from_today, id_after, text};

const PERSON: &str = r#"{"name": "架空 春子", "kana": "かくう はるこ", "phone": "090-1111-2222",
  "birth": "昭和22年4月4日", "postal": "160-0022"}"#;
const PERSONAL: [&str; 3] = ["架空", "かくう", "090-1111-2222"];

fn register(env: &Env) -> String {
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        PERSON,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    id_after(&out, "登録番号: ")
}

fn sqlite(env: &Env, sql: &str) -> String {
    let out = Command::new("sqlite3")
        .arg(env.store())
        .arg(sql)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    text(&out.stdout)
}

fn no_personal_bytes(dir: &std::path::Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for p in PERSONAL {
            assert!(
                !bytes.windows(p.len()).any(|w| w == p.as_bytes()),
                "{p} found in {dir:?}"
            );
        }
    }
}

#[test]
fn an_incident_is_recorded_reported_signed_and_counted_without_personal_data() {
    let env = Env::new();
    env.init();
    env.add_staff("tori01", "handler");
    let person = register(&env);
    let yesterday = days_from_today(-1);
    let out = env.run_as(
        "tori01",
        &[
            "incident",
            "add",
            "--kind",
            "wrong-check-in",
            "--occurred",
            &yesterday,
            "--people",
            "1",
            "--record",
            &person,
            "--measure",
            "record-corrected",
            "--measure",
            "person-informed",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("事故の番号: "));
    let year = &days_from_today(0)[..4];
    let id = format!("{year}-001");
    assert!(text(&out.stdout).contains(&id), "{}", text(&out.stdout));

    // In the audit log, by whom, naming the fields and never a value.
    let audit = sqlite(
        &env,
        &format!(
            "SELECT actor, fields, result FROM audit WHERE action = 'incident' AND record_id = '{id}'"
        ),
    );
    assert!(audit.starts_with("tori01|"), "{audit}");
    assert!(audit.contains("sha256:"), "{audit}");

    // A handler may not write the report; the manager does.
    let dir = env.path("incident");
    let out = env.run_as(
        "tori01",
        &["incident", "report", &id, "--out", dir.to_str().unwrap()],
    );
    assert_eq!(code(&out), 3, "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("権限"), "{}", text(&out.stderr));
    assert!(!dir.exists());
    let out = env.staff(&["incident", "report", &id, "--out", dir.to_str().unwrap()]);
    assert!(text(&out.stdout).contains(&format!("tsudoi-incident-{id}.pdf")));

    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", text(&sums.stdout));
    let rows = Command::new("python3")
        .arg("-c")
        .arg(
            "import csv,sys\n\
             for r in csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')):\n\
             \x20   print('|'.join(r))",
        )
        .arg(dir.join(format!("tsudoi-incident-{id}.csv")))
        .output()
        .unwrap();
    let rows = text(&rows.stdout);
    for line in [
        format!("事故の番号|{id}"),
        "種類|別の人の受付".to_owned(),
        "影響を受けた参加者の人数|1人".to_owned(),
        format!("対象の記録（登録番号）|{person}"),
        "講じた措置|本人に説明しておわびした".to_owned(),
        "講じた措置|誤った受付・記録を訂正した".to_owned(),
        "続報の対象|（第一報）".to_owned(),
    ] {
        assert!(rows.lines().any(|l| l == line), "{line} in {rows}");
    }
    let page = pdf_text(&dir.join(format!("tsudoi-incident-{id}.pdf")));
    for s in [
        "事故報告書",
        "第19条",
        "別の人の受付",
        id.as_str(),
        "テスト施設",
    ] {
        assert!(page.contains(s), "{s} in {page}");
    }
    no_personal_bytes(&dir);

    // In the handling report: counted, and listed by number and kind.
    let today = days_from_today(0);
    let handling = env.path("handling");
    env.staff(&[
        "report",
        "handling",
        "--from",
        &yesterday,
        "--to",
        &today,
        "--out",
        handling.to_str().unwrap(),
    ]);
    let kinds = std::fs::read_to_string(
        handling.join(format!("tsudoi-handling-{yesterday}-{today}-kinds.csv")),
    )
    .unwrap();
    assert!(kinds.contains("事故の記録（事故報告）,1"), "{kinds}");
    let page = pdf_text(&handling.join(format!("tsudoi-handling-{yesterday}-{today}.pdf")));
    assert!(
        page.lines()
            .any(|l| l.contains(&id) && l.contains("別の人の受付") && l.contains("1人")),
        "{page}"
    );
    no_personal_bytes(&handling);
}

#[test]
fn only_fixed_choices_and_sensible_dates_are_taken() {
    let env = Env::new();
    env.init();
    let today = days_from_today(0);
    // A kind not on the list, free text in a measure: refused by the parser.
    for args in [
        vec![
            "incident",
            "add",
            "--kind",
            "名前を見せた",
            "--occurred",
            &today,
        ],
        vec![
            "incident",
            "add",
            "--kind",
            "other",
            "--occurred",
            &today,
            "--measure",
            "架空さんに電話",
        ],
    ] {
        let out = env.run(&args, Some(NEW_PASSWORD));
        assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    }
    let tomorrow = days_from_today(1);
    let out = env.run(
        &[
            "incident",
            "add",
            "--kind",
            "other",
            "--occurred",
            &tomorrow,
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("未来"), "{}", text(&out.stderr));
    let out = env.run(
        &[
            "incident",
            "add",
            "--kind",
            "other",
            "--occurred",
            &today,
            "--found",
            &days_from_today(-3),
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("気づいた日"),
        "{}",
        text(&out.stderr)
    );
    let out = env.run(
        &[
            "incident",
            "add",
            "--kind",
            "other",
            "--occurred",
            &today,
            "--record",
            "ffffffff",
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    // Nothing was recorded by any of these.
    assert_eq!(sqlite(&env, "SELECT count(*) FROM incident").trim(), "0");
    assert_eq!(
        sqlite(&env, "SELECT count(*) FROM audit WHERE action = 'incident'").trim(),
        "0"
    );
}

#[test]
fn an_operator_records_a_lost_stick_but_sees_and_names_no_records() {
    let env = Env::new();
    env.init();
    env.add_staff("unei01", "operator");
    let person = register(&env);
    let today = days_from_today(0);
    let out = env.run_as(
        "unei01",
        &[
            "incident",
            "add",
            "--kind",
            "medium-lost",
            "--occurred",
            &today,
            "--record",
            &person,
        ],
    );
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("権限"));
    let out = env.run_as(
        "unei01",
        &[
            "incident",
            "add",
            "--kind",
            "medium-lost",
            "--occurred",
            &today,
            "--people",
            "12",
            "--measure",
            "ward-informed",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A manager's incident naming a record: the operator sees only how many.
    env.staff(&[
        "incident",
        "add",
        "--kind",
        "shown-to-wrong-person",
        "--occurred",
        &today,
        "--record",
        &person,
        "--follows",
        &format!("{}-001", &today[..4]),
    ]);
    let out = env.run_as(
        "unei01",
        &["incident", "show", &format!("{}-002", &today[..4])],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(!shown.contains(&person), "{shown}");
    assert!(shown.contains("対象の記録: 1件"), "{shown}");
    assert!(
        shown.contains(&format!("続報の対象: {}-001", &today[..4])),
        "{shown}"
    );
    let out = env.run_as("unei01", &["incident", "list"]);
    assert!(text(&out.stdout).contains("媒体（USBメモリ・紙）の紛失・盗難"));
}

#[test]
fn a_row_changed_deleted_or_forged_with_sqlite3_is_caught() {
    let env = Env::new();
    env.init();
    let today = days_from_today(0);
    let year = &today[..4];
    for people in ["3", "5"] {
        env.staff(&[
            "incident",
            "add",
            "--kind",
            "medium-lost",
            "--occurred",
            &today,
            "--people",
            people,
        ]);
    }
    // Someone with sqlite3 makes the first one look smaller.
    sqlite(
        &env,
        &format!("UPDATE incident SET people = 1 WHERE id = '{year}-001'"),
    );
    let out = env.run(
        &["incident", "show", &format!("{year}-001")],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 4, "damaged data");
    assert!(
        text(&out.stderr).contains("書き換えられています"),
        "{}",
        text(&out.stderr)
    );
    let dir = env.path("report");
    let out = env.run(
        &[
            "incident",
            "report",
            &format!("{year}-001"),
            "--out",
            dir.to_str().unwrap(),
        ],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 4);
    assert!(!dir.exists());
    // The handling report says so rather than leaving it out.
    let handling = env.path("handling");
    env.staff(&[
        "report",
        "handling",
        "--from",
        &today,
        "--to",
        &today,
        "--out",
        handling.to_str().unwrap(),
    ]);
    let page = pdf_text(&handling.join(format!("tsudoi-handling-{today}-{today}.pdf")));
    assert!(page.contains("書き換えられています"), "{page}");

    // Put back, then delete the second: the list notices the gap.
    sqlite(
        &env,
        &format!("UPDATE incident SET people = 3 WHERE id = '{year}-001'"),
    );
    assert!(
        env.run(
            &["incident", "show", &format!("{year}-001")],
            Some(NEW_PASSWORD)
        )
        .status
        .success()
    );
    sqlite(
        &env,
        &format!("DELETE FROM incident WHERE id = '{year}-002'"),
    );
    let out = env.run(&["incident", "list"], Some(NEW_PASSWORD));
    assert_eq!(code(&out), 4);
    assert!(
        text(&out.stderr).contains(&format!("{year}-002")),
        "{}",
        text(&out.stderr)
    );

    // A forged row with no audit entry behind it.
    sqlite(
        &env,
        &format!(
            "INSERT INTO incident SELECT '{year}-002', kind, occurred_on, found_on, recorded_at,
             recorded_by, 0, records, measures, follows FROM incident WHERE id = '{year}-001'"
        ),
    );
    let out = env.run(
        &["incident", "show", &format!("{year}-002")],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 4);
    assert!(text(&out.stderr).contains("書き換えられています"));
}

#[test]
fn the_handling_report_checks_the_log_against_the_wards_checkpoint() {
    let env = Env::new();
    env.init();
    let today = days_from_today(0);
    let held = env.path("ward-held.txt");
    env.staff(&["audit", "checkpoint", "--out", held.to_str().unwrap()]);
    let report = |name: &str| -> String {
        let dir = env.path(name);
        env.staff(&[
            "report",
            "handling",
            "--from",
            &today,
            "--to",
            &today,
            "--out",
            dir.to_str().unwrap(),
            "--checkpoint",
            held.to_str().unwrap(),
        ]);
        std::fs::read_to_string(dir.join(format!("tsudoi-handling-{today}-{today}-kinds.csv")))
            .unwrap()
    };
    let kinds = report("first");
    assert!(
        kinds.contains("区の控え（チェックポイント）との照合,1"),
        "{kinds}"
    );
    assert!(kinds.contains("うち一致,1"), "{kinds}");
    assert!(
        kinds.contains("監査ログの改ざん（見つかった＝1）,0"),
        "{kinds}"
    );

    // The store rolled back to a copy older than the ward's checkpoint.
    let old = env.path("old.db");
    std::fs::remove_file(&held).unwrap();
    sqlite(&env, "PRAGMA wal_checkpoint(TRUNCATE)");
    std::fs::copy(env.store(), &old).unwrap();
    env.staff(&["incident", "add", "--kind", "other", "--occurred", &today]);
    env.staff(&["audit", "checkpoint", "--out", held.to_str().unwrap()]);
    sqlite(&env, "PRAGMA wal_checkpoint(TRUNCATE)");
    std::fs::copy(&old, env.store()).unwrap();
    let kinds = report("second");
    assert!(kinds.contains("うち一致,0"), "{kinds}");
    assert!(
        kinds.contains("監査ログの改ざん（見つかった＝1）,1"),
        "{kinds}"
    );
    let page = pdf_text(
        &env.path("second")
            .join(format!("tsudoi-handling-{today}-{today}.pdf")),
    );
    assert!(page.contains("区の控え"), "{page}");
}
