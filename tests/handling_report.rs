//! 個人情報の取扱状況報告 (contract clauses 14–17): `tsudoi report handling`
//! counts from the audit log. The counts are recomputed here by a separate
//! Python program straight from the store's `audit` table (Python's sqlite3
//! and csv modules), and no personal value is in any byte of the output.

mod common;

use std::process::Command;

use common::cli::{Env, code, text};
use common::{NEW_PASSWORD, PASSWORD};

const PERSON: &str = r#"{"name": "試験 千秋", "kana": "しけん ちあき", "phone": "090-4321-8765",
  "birth": "昭和23年8月8日", "postal": "160-0022"}"#;

/// Recomputes the kinds table from the raw audit rows, in Python, with the
/// report's own definitions restated (not imported).
const RECOUNT: &str = r#"
import csv, sqlite3, sys
db, day, kinds_csv = sys.argv[1], sys.argv[2], sys.argv[3]
rows = sqlite3.connect(db).execute(
    "SELECT actor, action, result, record_id FROM audit WHERE substr(at, 1, 10) = ? ORDER BY seq", (day,)
).fetchall()
# The report's own export entry comes after it was written.
rows = [r for r in rows if not (r[1] == 'export' and r[3].startswith('handling:'))]
def n(p): return sum(1 for r in rows if p(*r[:3]))
expected = {
    '記録の閲覧': n(lambda a, x, res: x == 'view' and not res.startswith('call_list')),
    '検索': n(lambda a, x, res: x == 'search'),
    '登録': n(lambda a, x, res: x == 'create'),
    'スタッフによる手入力の受付': n(lambda a, x, res: x == 'check_in' and a != 'kiosk'),
    'サインイン': n(lambda a, x, res: x == 'sign_in'),
    'サインインの失敗': n(lambda a, x, res: x == 'sign_in_failed'),
    'セキュリティ設定の変更': n(lambda a, x, res: x == 'policy_change'),
    'スタッフの追加・無効化': n(lambda a, x, res: x in ('staff_create', 'staff_deactivate')),
}
got = {r[0]: int(r[1]) for r in list(csv.reader(open(kinds_csv, encoding='utf-8-sig', newline='')))[1:]}
bad = [(k, v, got.get(k)) for k, v in expected.items() if got.get(k) != v]
print(expected)
sys.exit(1 if bad else 0)
"#;

#[test]
fn the_handling_report_counts_what_the_audit_log_holds_and_nothing_personal() {
    let env = Env::new();
    env.init();
    let mut c = env.cmd(&["staff", "add", "tori01", "--role", "handler"]);
    c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", PASSWORD);
    assert!(c.output().unwrap().status.success());
    let mut c = env.cmd(&["staff", "passwd"]);
    c.env("TSUDOI_STAFF", "tori01")
        .env("TSUDOI_PASSWORD", PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD);
    assert!(c.output().unwrap().status.success());
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        PERSON,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = common::cli::id_after(&out, "登録番号: ");
    env.run_with_input(
        &["participant", "find"],
        Some(NEW_PASSWORD),
        "090-4321-8765\n",
    );
    env.staff(&["participant", "show", &id]);
    let today = common::cli::days_from_today(0);
    let session = env.salon_today();
    env.staff(&["checkin", "--participant", &id, "--session", &session]);
    for _ in 0..2 {
        env.run(&["staff", "policy", "show"], Some("Wrong-password-99"));
    }
    env.staff(&["staff", "policy", "set", "--lockout-minutes", "20"]);

    // A handler may not make it.
    let dir = env.path("handling");
    let mut c = env.cmd(&[
        "report",
        "handling",
        "--from",
        &today,
        "--to",
        &today,
        "--out",
        dir.to_str().unwrap(),
    ]);
    c.env("TSUDOI_STAFF", "tori01")
        .env("TSUDOI_PASSWORD", NEW_PASSWORD);
    let out = c.output().unwrap();
    assert_ne!(code(&out), 0);
    assert!(!dir.exists());

    let out = env.staff(&[
        "report",
        "handling",
        "--from",
        &today,
        "--to",
        &today,
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(text(&out.stdout).contains("取扱状況報告"));
    let stem = format!("tsudoi-handling-{today}-{today}");
    let recount = Command::new("python3")
        .arg("-c")
        .arg(RECOUNT)
        .arg(env.store())
        .arg(&today)
        .arg(dir.join(format!("{stem}-kinds.csv")))
        .output()
        .unwrap();
    assert!(
        recount.status.success(),
        "{}{}",
        text(&recount.stdout),
        text(&recount.stderr)
    );
    // Some of each happened, so the comparison is not of zeros.
    let expected = text(&recount.stdout);
    for k in [
        "'登録': 1",
        "'スタッフによる手入力の受付': 1",
        "'サインインの失敗': 2",
        "'セキュリティ設定の変更': 1",
    ] {
        assert!(expected.contains(k), "{k} in {expected}");
    }

    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", text(&sums.stdout));
    let pdf = Command::new("pdftotext")
        .arg(dir.join(format!("{stem}.pdf")))
        .arg("-")
        .output()
        .unwrap();
    let page = text(&pdf.stdout);
    assert!(
        page.contains("個人情報の取扱状況報告")
            && page.contains("監査ログは改ざんされていません。"),
        "{page}"
    );
    assert!(
        page.contains("tori01") || page.contains("kanri01"),
        "{page}"
    );

    // No personal value and no record id in any byte, nor in the PDF's text.
    // Values of six bytes or more are looked for in every byte. The short
    // digit runs of the phone and the birth year are looked for in the text
    // (the PDF's text, and the other files with their digests and signatures
    // taken out), because four digits turn up by chance in a hex digest or a
    // compressed stream about once in a few hundred reports.
    let mut all = Vec::new();
    let mut words = page.clone();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if path.extension().is_none_or(|x| x != "pdf") {
            words.push('\n');
            words.push_str(&without_hex_runs(&String::from_utf8_lossy(&bytes)));
        }
        all.extend(bytes);
    }
    all.extend(page.as_bytes());
    for v in [
        "千秋",
        "ちあき",
        "チアキ",
        "090-4321-8765",
        "09043218765",
        "昭和23年",
        "1948-08-08",
        id.as_str(),
    ] {
        assert!(v.len() >= 6, "{v} is long enough to look for in bytes");
        assert!(
            !all.windows(v.len()).any(|w| w == v.as_bytes()),
            "{v} in the handling report"
        );
    }
    for v in ["4321", "8765", "1948"] {
        assert!(!words.contains(v), "{v} in the handling report's text");
    }
}

/// `s` with every run of 16 or more hex digits (a digest, a key, a
/// signature) replaced by a space.
fn without_hex_runs(s: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for ch in s.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_hexdigit() {
            run.push(ch);
            continue;
        }
        if run.len() < 16 {
            out.push_str(&run);
        } else {
            out.push(' ');
        }
        run.clear();
        out.push(ch);
    }
    out.pop();
    out
}
