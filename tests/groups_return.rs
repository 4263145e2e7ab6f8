//! The ward's roster goes back at the end of the contract (issue 15;
//! contract clause 11), through the command line: `tsudoi group return`
//! writes it encrypted to the ward's age key; the `age` CLI opens it with
//! the ward's identity, Python's csv module reads it, and `tsudoi group
//! import --dry-run` of it into a fresh store adds everyone again;
//! `sha256sum -c` passes and no name or phone is in any byte of the folder.
//! `tsudoi erase` waits for the return (and for a new one after the roster
//! changed), or proceeds on the ward's instruction; the certificate says
//! which. Every name and number is invented.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::NEW_PASSWORD;
use common::cli::{Env, code, text};

/// The sample roster and a member whose name looks like a formula.
const ROSTER_EXTRA: &str =
    "ローズ会,\"=HYPERLINK(\"\"http://example.invalid\"\")\",けいさん しき,090-5555-0199\r\n";

const SECRETS: &[&str] = &[
    "試験 花子",
    "見本 一郎",
    "架空 さくら",
    "例題 二郎",
    "試作",
    "HYPERLINK",
    "シケン",
    "しけん",
    "ミホン",
    "0355550101",
    "5555-0101",
    "5555-0199",
    "09055550199",
];

struct Site {
    env: Env,
    recovery: String,
    ward_key: PathBuf,
}

/// A store with two groups and the sample roster imported, the ward's key
/// in the configuration, the recovery key kept.
fn site() -> Site {
    let env = Env::new();
    let (_, recovery) = env.init_keeping_recovery_key();
    add_groups(&env);
    // The ward's key, made the way the ward makes it.
    let ward_key = env.path("ward.key");
    let out = env.run(
        &["report", "ward-key", "--out", ward_key.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let public = text(&out.stdout)
        .split_whitespace()
        .find(|w| w.starts_with("age1"))
        .unwrap()
        .to_owned();
    let config = env.path("config.toml");
    let mut c = std::fs::read_to_string(&config).unwrap();
    c.push_str(&format!("\n[report]\nward_public_key = \"{public}\"\n"));
    std::fs::write(&config, c).unwrap();
    Site {
        env,
        recovery,
        ward_key,
    }
}

fn add_groups(env: &Env) {
    for (name, schedule, room) in [
        ("ローズ会", "第1・第3火曜 13:30–15:30", "多目的室"),
        ("囲碁クラブ", "毎週金曜 10:00-12:00", "和室"),
    ] {
        env.add_group(name, schedule, room);
    }
}

fn sample_with_extra(dir: &Path) -> PathBuf {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ward-roster.csv");
    let mut bytes = std::fs::read(sample).unwrap();
    if !bytes.ends_with(b"\n") {
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(ROSTER_EXTRA.as_bytes());
    let p = dir.join("roster-in.csv");
    std::fs::write(&p, bytes).unwrap();
    p
}

fn import(env: &Env, file: &Path, dry_run: bool) -> Output {
    let mut args = vec!["group", "import", file.to_str().unwrap()];
    if dry_run {
        args.push("--dry-run");
    }
    env.run(&args, Some(NEW_PASSWORD))
}

fn erase(site: &Site, extra: &[&str]) -> Output {
    let cert = site.env.path("certificate");
    let mut args = vec![
        "erase",
        "--certificate-out",
        cert.to_str().unwrap(),
        "--yes",
    ];
    args.extend_from_slice(extra);
    let mut c = site.env.cmd(&args);
    c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .env("TSUDOI_RECOVERY_KEY", &site.recovery);
    c.output().unwrap()
}

fn sqlite3(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

/// Reads the decrypted roster with Python's csv module: the header and the
/// rows as JSON.
fn python_rows(file: &Path) -> Vec<Vec<String>> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import csv, json, sys\n\
             raw = open(sys.argv[1], 'rb').read()\n\
             assert raw.startswith(b'\\xef\\xbb\\xbf'), 'no BOM'\n\
             assert b'\\r\\n' in raw\n\
             print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))",
        )
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_roster_goes_back_encrypted_and_erasure_waits_for_it() {
    let site = site();
    let env = &site.env;
    let files = tempfile::tempdir().unwrap();
    let roster = sample_with_extra(files.path());
    let out = import(env, &roster, false);
    assert_eq!(code(&out), 0, "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        text(&out.stdout).contains("追加 7人"),
        "{}",
        text(&out.stdout)
    );

    // Before the return, the erasure is refused and says what to do.
    let out = erase(&site, &[]);
    assert_eq!(code(&out), 2, "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains("会員名簿が、最後に変わってから区に返還されていません"),
        "{err}"
    );
    assert!(err.contains("tsudoi group return --out"), "{err}");
    assert!(err.contains("--roster-not-returned"), "{err}");
    assert_eq!(
        sqlite3(
            &env.store(),
            "SELECT count(*) FROM audit WHERE action = 'erase' AND result = 'refused_roster_not_returned'"
        ),
        "1"
    );

    // A handler may not return the roster.
    env.add_staff("tori01", "handler");
    let out_dir = files.path().join("stick/返還");
    std::fs::create_dir_all(out_dir.parent().unwrap()).unwrap();
    let out = env.run_as(
        "tori01",
        &["group", "return", "--out", out_dir.to_str().unwrap()],
    );
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    assert!(!out_dir.exists());

    // The return.
    let out = env.staff(&["group", "return", "--out", out_dir.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("6人、7行"), "{stdout}");
    for s in SECRETS {
        assert!(!stdout.contains(s) && !text(&out.stderr).contains(s), "{s}");
    }
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let sealed = names
        .iter()
        .find(|n| n.ends_with(".csv.age"))
        .unwrap()
        .clone();
    assert_eq!(names.len(), 4, "{names:?}");
    for n in ["SHA256SUMS", "SHA256SUMS.sig", "SIGNER.txt"] {
        assert!(names.contains(&n.to_owned()), "{names:?}");
    }
    // sha256sum checks the folder.
    let check = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&out_dir)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));
    // No name or phone in any byte of the folder.
    for n in &names {
        let bytes = std::fs::read(out_dir.join(n)).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        for secret in SECRETS {
            assert!(!s.contains(secret), "{n} holds {secret}");
        }
        assert!(!s.contains("グループ名"), "{n} holds the CSV header");
    }
    // The ward opens it with its identity and the age command.
    let plain = files.path().join("opened.csv");
    let age = Command::new("age")
        .args(["-d", "-i"])
        .arg(&site.ward_key)
        .arg("-o")
        .arg(&plain)
        .arg(out_dir.join(&sealed))
        .output()
        .expect("the age command (Debian package age)");
    assert!(age.status.success(), "{}", text(&age.stderr));
    // Another key does not open it.
    let other = files.path().join("other.key");
    assert!(
        Command::new("age-keygen")
            .arg("-o")
            .arg(&other)
            .output()
            .unwrap()
            .status
            .success()
    );
    let refused = Command::new("age")
        .args(["-d", "-i"])
        .arg(&other)
        .arg(out_dir.join(&sealed))
        .output()
        .unwrap();
    assert!(!refused.status.success());

    let rows = python_rows(&plain);
    assert_eq!(rows[0], ["グループ名", "氏名", "ふりがな", "電話番号"]);
    assert_eq!(rows.len(), 8);
    let has = |g: &str, name: &str, phone: &str| {
        rows.iter()
            .any(|r| r[0] == g && r[1] == name && r[3] == phone)
    };
    assert!(has("ローズ会", "試験 花子", "03-5555-0101"));
    assert!(has("囲碁クラブ", "試験 花子", "03-5555-0101"));
    assert!(has("囲碁クラブ", "試作, 三郎", "03-5555-0105"));
    assert!(has("ローズ会", "見本 一郎", "090-5555-0102"));
    // The formula-looking name is defused for Excel.
    assert!(
        has(
            "ローズ会",
            "'=HYPERLINK(\"http://example.invalid\")",
            "090-5555-0199"
        ),
        "{rows:?}"
    );

    // Imported into a fresh store with the same groups: all added again,
    // the formula-looking name as it was sent.
    let fresh = Env::new();
    fresh.init();
    add_groups(&fresh);
    let out = import(&fresh, &plain, true);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("追加 7人、変更 0人、削除 0人"), "{s}");
    assert!(
        s.contains("=HYPERLINK") && !s.contains("'=HYPERLINK"),
        "{s}"
    );
    // And into the first store itself: nothing changes.
    let out = import(env, &plain, true);
    assert!(
        text(&out.stdout).contains("追加 0人、変更 0人、削除 0人"),
        "{}",
        text(&out.stdout)
    );

    // The media ledger and the audit log.
    let ledger = env.staff(&["report", "ledger"]);
    assert!(
        text(&ledger.stdout).contains("会員名簿の返還（契約書第11条）"),
        "{}",
        text(&ledger.stdout)
    );
    assert_eq!(
        sqlite3(
            &env.store(),
            "SELECT count(*) FROM media_ledger WHERE destination LIKE '区へ返還%'"
        ),
        "1"
    );
    assert_eq!(
        sqlite3(
            &env.store(),
            "SELECT count(*) FROM audit WHERE action = 'export' AND record_id LIKE 'roster_return:%' AND result = 'ok'"
        ),
        "1"
    );

    // The roster changes (a member removed): the erasure waits for a new return.
    let smaller = files.path().join("smaller.csv");
    let text_in = std::fs::read_to_string(&roster).unwrap();
    std::fs::write(
        &smaller,
        text_in
            .lines()
            .filter(|l| !l.contains("例題"))
            .collect::<Vec<_>>()
            .join("\r\n"),
    )
    .unwrap();
    let out = import(env, &smaller, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = erase(&site, &[]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let again = files.path().join("stick/返還2");
    env.staff(&["group", "return", "--out", again.to_str().unwrap()]);

    // Now the erasure runs, and the certificate counts the return since the
    // last import.
    let out = erase(&site, &[]);
    assert_eq!(code(&out), 0, "{}{}", text(&out.stdout), text(&out.stderr));
    let cert = site.env.path("certificate");
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(cert.join("tsudoi-erasure-certificate.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["returned"]["ward_rosters"], 1, "{}", json["returned"]);
    assert!(
        json["returned"]["note"]
            .as_str()
            .unwrap()
            .starts_with("返還済み（1回")
    );
    let pdf = Command::new("pdftotext")
        .arg(cert.join("tsudoi-erasure-certificate.pdf"))
        .arg("-")
        .output()
        .unwrap();
    assert!(
        text(&pdf.stdout).contains("返還済み（1回"),
        "{}",
        text(&pdf.stdout)
    );
}

#[test]
fn on_the_wards_instruction_the_erasure_proceeds_without_a_return() {
    let site = site();
    let files = tempfile::tempdir().unwrap();
    let roster = sample_with_extra(files.path());
    assert_eq!(code(&import(&site.env, &roster, false)), 0);
    let out = erase(&site, &["--roster-not-returned"]);
    assert_eq!(code(&out), 0, "{}{}", text(&out.stdout), text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.env.path("certificate/tsudoi-erasure-certificate.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["returned"]["ward_rosters"], 0);
    let note = json["returned"]["note"].as_str().unwrap();
    assert!(note.contains("区の指示により返還せずに消去"), "{note}");
    assert!(note.contains("グループの会員 7件"), "{note}");
}
