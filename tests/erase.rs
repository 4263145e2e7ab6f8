//! The end of the contract (issue 14; contract clauses 11 and 12): a manager
//! with the recovery key erases the store after the last monthly report; the
//! certificate is checked by `tsudoi erase verify` and by tools no one here
//! wrote (`sha256sum`, Python's `cryptography` and `json`, `pdftotext`,
//! `sqlite3`, Go's `sumdb/note` and `sumdb/tlog`); no plaintext, ciphertext
//! or key material remains in any byte of any file, including the old file's
//! own inode as it was left before being replaced.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::cli::{Env, code, days_from_today, id_after, text};
use common::{NEW_PASSWORD, contains};

const PERSON: &str = r#"{"name": "消去 試験子", "kana": "しょうきょ しけんこ", "phone": "090-7777-3131",
  "birth": "昭和25年5月5日", "postal": "160-0022"}"#;
/// Bytes that must not survive the erasure anywhere.
const PLAINTEXT: [&str; 4] = ["試験子", "しけんこ", "090-7777-3131", "09077773131"];

struct Site {
    env: Env,
    id: String,
    recovery: String,
    public_key: String,
}

/// A store with its recovery key kept, one resident checked in today.
fn new_site() -> Site {
    let env = Env::new();
    let (out, recovery) = env.init_keeping_recovery_key();
    let public_key = text(&out.stdout)
        .lines()
        .skip_while(|l| !l.starts_with("端末の公開鍵"))
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        PERSON,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = id_after(&out, "登録番号: ");
    let session = env.salon_today();
    env.staff(&["checkin", "--participant", &id, "--session", &session]);
    Site {
        env,
        id,
        recovery,
        public_key,
    }
}

fn this_month() -> String {
    days_from_today(0)[..7].to_owned()
}

/// The monthly report for this month; returns the ward's checkpoint file.
fn monthly_report(site: &Site) -> PathBuf {
    let dir = site.env.path("report");
    site.env.staff(&[
        "report",
        "--month",
        &this_month(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    dir.join(format!("tsudoi-{}-audit-checkpoint.txt", this_month()))
}

fn erase(site: &Site, staff: &str, password: &str, recovery: &str, extra: &[&str]) -> Output {
    let cert = site.env.path("certificate");
    let mut args = vec!["erase", "--certificate-out", cert.to_str().unwrap()];
    args.extend_from_slice(extra);
    let mut c = site.env.cmd(&args);
    c.env("TSUDOI_STAFF", staff)
        .env("TSUDOI_PASSWORD", password)
        .env("TSUDOI_RECOVERY_KEY", recovery);
    c.output().unwrap()
}

fn verify(site: &Site, extra: &[&str]) -> Output {
    let cert = site.env.path("certificate");
    let store = site.env.store();
    let mut args = vec![
        "erase",
        "verify",
        "--store",
        store.to_str().unwrap(),
        "--certificate",
        cert.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    site.env.cmd(&args).output().unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

fn sqlite(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn python(script: &str, args: &[&Path]) -> Output {
    Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap()
}

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_contract_ends_with_everything_erased_and_a_certificate_the_wards_tools_check() {
    let site = new_site();
    let ward_checkpoint = monthly_report(&site);
    let db = site.env.store();

    // What an attacker would look for afterwards: the sealed name as it
    // sits in the file, every grant and keyslot.
    let mut planted: Vec<Vec<u8>> = Vec::new();
    for sql in [
        "SELECT hex(name) FROM participants",
        "SELECT hex(phone) FROM participants",
        "SELECT hex(sealed) FROM grants",
        "SELECT hex(slot) FROM keyslots",
    ] {
        for line in sqlite(&db, sql).lines() {
            let bytes = unhex(line);
            assert!(bytes.len() >= 48, "{sql}");
            // The tail: ciphertext and tag, never shared with another value.
            planted.push(bytes[bytes.len() - 32..].to_vec());
        }
    }
    assert!(planted.len() >= 5);
    // A second name for the store's inode: after the file is replaced, this
    // still shows the old file exactly as the erasure left it.
    let old_inode = site.env.path("old-inode.db");
    std::fs::hard_link(&db, &old_inode).unwrap();

    let out = erase(
        &site,
        "kanri01",
        NEW_PASSWORD,
        &site.recovery,
        &[
            "--yes",
            "--contract-from",
            "2026-04-01",
            "--contract-until",
            "2027-03-31",
        ],
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("参加者の記録: 1件"), "{stdout}");
    assert!(stdout.contains("受付（出席）の記録: 1件"), "{stdout}");
    assert!(stdout.contains("消去しました"), "{stdout}");

    // No byte of any file left in the data folder (the store, its WAL and
    // shared memory if any, the old inode) holds a personal value, a sealed
    // value or key material.
    let leftovers: Vec<PathBuf> = files_under(site.env.dir.path())
        .into_iter()
        .filter(|p| !p.starts_with(site.env.path("certificate")))
        .collect();
    assert!(leftovers.contains(&old_inode));
    for f in &leftovers {
        let bytes = std::fs::read(f).unwrap();
        for p in PLAINTEXT {
            assert!(!contains(&bytes, p.as_bytes()), "{p} in {f:?}");
        }
        for (i, c) in planted.iter().enumerate() {
            assert!(!contains(&bytes, c), "sealed value {i} in {f:?}");
        }
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(!site.env.path(&format!("tsudoi.db{suffix}")).exists());
    }
    // sqlite3 sees only the certificate.
    assert_eq!(sqlite(&db, ".tables").trim(), "erasure_certificate");
    assert_eq!(
        sqlite(&old_inode, "SELECT count(*) FROM participants").trim(),
        "0"
    );

    // tsudoi's own check, with the ward's checkpoint and the set-up sheet's key.
    let out = verify(
        &site,
        &[
            "--checkpoint",
            ward_checkpoint.to_str().unwrap(),
            "--public-key",
            &site.public_key,
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("結果: 合格"));
    assert!(!text(&out.stdout).contains("[不合格]"));

    // The ward's own tools: sha256sum, Python's cryptography for Ed25519.
    let cert = site.env.path("certificate");
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&cert)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", text(&sums.stdout));
    let script = r#"
import sys, json
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
d = sys.argv[1]
key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(sys.argv[2]))
key.verify(bytes.fromhex(open(d + "/SHA256SUMS.sig").read().strip()), open(d + "/SHA256SUMS", "rb").read())
c = json.load(open(d + "/tsudoi-erasure-certificate.json", encoding="utf-8"))
counts = {e["kind"]: e["count"] for e in c["erased"]}
assert counts["participants"] == 1 and counts["check_ins"] == 1, counts
assert counts["staff"] == 1 and counts["grants"] == 2, counts
assert len(c["method"]["keys_destroyed"]) == 5
assert c["verification"]["result"] == "passed"
assert c["contract"] == {"from": "2026-04-01", "until": "2027-03-31"}
assert c["performed_by"] == "kanri01"
assert len(c["last_state_sha256"]) == 64
print("ok")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&cert)
        .arg(&site.public_key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    // The PDF for paper, read by poppler.
    let pdf = Command::new("pdftotext")
        .arg("-layout")
        .arg(cert.join("tsudoi-erasure-certificate.pdf"))
        .arg("-")
        .output()
        .unwrap();
    assert!(pdf.status.success());
    let pdf = text(&pdf.stdout);
    for needle in [
        "消去証明書",
        "参加者の記録",
        "NIST SP 800-88",
        "区職員",
        "合格",
    ] {
        assert!(
            pdf.contains(needle),
            "{needle} missing from the PDF:\n{pdf}"
        );
    }
    for p in PLAINTEXT {
        assert!(!pdf.contains(p));
    }

    // The erased file refuses every command with one clear sentence, and
    // gives the certificate back.
    let out = site
        .env
        .run(&["participant", "show", &site.id], Some(NEW_PASSWORD));
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("消去されています"));
    let again = site.env.path("again");
    site.env
        .staff(&["erase", "certificate", "--out", again.to_str().unwrap()]);
    for name in ["tsudoi-erasure-certificate.json", "SHA256SUMS.sig"] {
        assert_eq!(
            std::fs::read(again.join(name)).unwrap(),
            std::fs::read(cert.join(name)).unwrap()
        );
    }

    go_checks_the_final_checkpoint(&site, &ward_checkpoint);
}

/// Go's sumdb/note opens the ward's checkpoint and the final one with the
/// vkey, and sumdb/tlog checks the certificate's consistency proof.
fn go_checks_the_final_checkpoint(site: &Site, ward_checkpoint: &Path) {
    if !Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("SKIPPED the Go check: Go is not installed (scripts/install-deps.sh)");
        return;
    }
    let cert = site.env.path("certificate");
    let case = site.env.path("go");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::copy(ward_checkpoint, case.join("checkpoint.old")).unwrap();
    std::fs::copy(
        cert.join("tsudoi-erasure-audit-checkpoint.txt"),
        case.join("checkpoint.new"),
    )
    .unwrap();
    let script = r#"
import sys, json
c = json.load(open(sys.argv[1], encoding="utf-8"))
old = int(open(sys.argv[2], encoding="utf-8").read().split("\n")[1])
p = [x for x in c["audit"]["consistency"] if x["old_size"] == old][0]
open(sys.argv[3] + "/proof.json", "w").write(json.dumps(p))
open(sys.argv[3] + "/vkey", "w").write(c["audit"]["vkey"] + "\n")
"#;
    let out = python(
        script,
        &[
            &cert.join("tsudoi-erasure-certificate.json"),
            ward_checkpoint,
            &case,
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bin_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("erase-go");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let bin = bin_dir.join(format!("tlogcheck-{}", std::process::id()));
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg("main.go")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tlog/tests/go"))
        .env("GOPATH", "/usr/share/gocode")
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOCACHE", bin_dir.join("cache"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new(&bin).arg(&case).output().unwrap();
    assert!(
        out.status.success(),
        "Go refused: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("consistency proof"));
}

#[test]
fn a_tampered_certificate_or_a_foreign_checkpoint_fails_the_check() {
    let site = new_site();
    let ward_checkpoint = monthly_report(&site);
    // The contract period from the configuration when no flag gives it.
    let config = site.env.path("config.toml");
    let mut text_config = std::fs::read_to_string(&config).unwrap();
    text_config.push_str("[contract]\nfrom = \"2025-04-01\"\nuntil = \"2026-03-31\"\n");
    std::fs::write(&config, text_config).unwrap();
    let out = erase(&site, "kanri01", NEW_PASSWORD, &site.recovery, &["--yes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let cert = site.env.path("certificate");
    let json = cert.join("tsudoi-erasure-certificate.json");
    let original = std::fs::read_to_string(&json).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&original).unwrap();
    assert_eq!(parsed["contract"]["from"], "2025-04-01");
    assert_eq!(parsed["contract"]["until"], "2026-03-31");

    let original_sums = std::fs::read(cert.join("SHA256SUMS")).unwrap();
    // A count changed: the sums no longer match.
    std::fs::write(&json, original.replace("\"count\": 1", "\"count\": 0")).unwrap();
    let out = verify(&site, &[]);
    assert_eq!(code(&out), 1, "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("[不合格] 証明書の署名"));

    // ... and the sums recomputed with sha256sum: the signature fails.
    let sums = Command::new("sh")
        .arg("-c")
        .arg("sha256sum tsudoi-erasure-certificate.json tsudoi-erasure-certificate.pdf tsudoi-erasure-audit-checkpoint.txt > SHA256SUMS")
        .current_dir(&cert)
        .status()
        .unwrap();
    assert!(sums.success());
    let out = verify(&site, &[]);
    assert_eq!(code(&out), 1);
    assert!(text(&out.stdout).contains("署名が一致しません"));
    std::fs::write(&json, &original).unwrap();
    std::fs::write(cert.join("SHA256SUMS"), &original_sums).unwrap();
    let out = verify(&site, &["--checkpoint", ward_checkpoint.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));

    // Another site's key, and another site's checkpoint.
    let other = new_site();
    let other_checkpoint = monthly_report(&other);
    let out = verify(&site, &["--public-key", &other.public_key]);
    assert_eq!(code(&out), 1);
    let out = verify(&site, &["--checkpoint", other_checkpoint.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(text(&out.stdout).contains("この端末の署名ではありません"));

    // A store file with a row put back: not the certificate's file.
    sqlite(
        &site.env.store(),
        "CREATE TABLE participants (id TEXT); INSERT INTO participants VALUES ('x')",
    );
    let out = verify(&site, &[]);
    assert_eq!(code(&out), 1);
    assert!(text(&out.stdout).contains("[不合格] 保存ファイルの表"));
}

#[test]
fn erasure_is_refused_without_the_recovery_key_the_last_report_a_manager_or_a_yes() {
    let site = new_site();
    let still_there = |site: &Site| {
        let out = site
            .env
            .run(&["participant", "show", &site.id], Some(NEW_PASSWORD));
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("試験子"),
            "{}",
            text(&out.stdout)
        );
    };

    // No monthly report since the last check-in.
    let out = erase(&site, "kanri01", NEW_PASSWORD, &site.recovery, &["--yes"]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("月次報告"),
        "{}",
        text(&out.stderr)
    );
    still_there(&site);
    monthly_report(&site);

    // Another site's recovery key.
    let other = new_site();
    let out = erase(&site, "kanri01", NEW_PASSWORD, &other.recovery, &["--yes"]);
    assert_ne!(code(&out), 0);
    assert!(text(&out.stderr).contains("回復キーが違います"));
    still_there(&site);

    // A handler and an operator, even with the recovery key.
    for (id, role) in [("tori01", "handler"), ("unei01", "operator")] {
        site.env.add_staff(id, role);
        let out = erase(&site, id, NEW_PASSWORD, &site.recovery, &["--yes"]);
        assert_ne!(code(&out), 0);
        assert!(text(&out.stderr).contains("権限"), "{}", text(&out.stderr));
        still_there(&site);
    }

    // Not confirmed: anything but 消去 on standard input.
    let cert = site.env.path("certificate");
    let mut c = site
        .env
        .cmd(&["erase", "--certificate-out", cert.to_str().unwrap()]);
    c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .env("TSUDOI_RECOVERY_KEY", &site.recovery)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all("いいえ\n".as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(text(&out.stdout).contains("消去しませんでした"));
    still_there(&site);

    // The refusals are in the audit log (who, what, never a value).
    let log = sqlite(
        &site.env.store(),
        "SELECT actor || ' ' || result FROM audit WHERE action = 'erase' AND record_id = 'store'",
    );
    assert!(log.contains("kanri01 refused_recovery_key"), "{log}");
}

/// The synthetic year (4,000 invented residents, about 60,000 check-ins,
/// classes, incidents, staff): the last report, then the erasure from the
/// command line, then the ward's checks with their own tools.
#[test]
fn the_synthetic_year_is_erased_and_the_ward_checks_it_with_its_own_tools() {
    use std::sync::Arc;
    use tsudoi::clock::{Clock, SystemClock};
    use tsudoi::demo::{DEMO_MANAGER, DEMO_PASSWORD, DemoSpec};

    let env = Env::new();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let today = clock.today();
    let (mut store, manager, summary, recovery) = tsudoi::demo::create(
        &env.store(),
        DEMO_PASSWORD,
        &DemoSpec::year_ending(today, 7),
        tsudoi::store::Policy::default(),
        clock,
    )
    .unwrap();
    assert!(summary.visits > 10_000, "{summary:?}");
    let month = tsudoi::report::Month {
        year: chrono::Datelike::year(&today),
        month: chrono::Datelike::month(&today),
    };
    let report = env.path("report");
    store
        .export_report(
            &manager,
            month,
            &report,
            tsudoi::report::csv::Encoding::Utf8Bom,
            tsudoi::report::Wording::default(),
        )
        .unwrap();
    drop(store);
    let ward_checkpoint = report.join(format!("tsudoi-{month}-audit-checkpoint.txt"));

    let cert = env.path("certificate");
    let mut c = env.cmd(&[
        "erase",
        "--certificate-out",
        cert.to_str().unwrap(),
        "--yes",
    ]);
    c.env("TSUDOI_STAFF", DEMO_MANAGER)
        .env("TSUDOI_PASSWORD", DEMO_PASSWORD)
        .env("TSUDOI_RECOVERY_KEY", recovery.to_display().as_str());
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    let out = env
        .cmd(&[
            "erase",
            "verify",
            "--certificate",
            cert.to_str().unwrap(),
            "--checkpoint",
            ward_checkpoint.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&cert)
        .output()
        .unwrap();
    assert!(sums.status.success());
    let script = r#"
import sys, json
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
d = sys.argv[1]
signer = open(d + "/SIGNER.txt", encoding="utf-8").read()
key_hex = [l.split(": ")[1].strip() for l in signer.splitlines() if "Ed25519" in l][0]
Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(
    bytes.fromhex(open(d + "/SHA256SUMS.sig").read().strip()), open(d + "/SHA256SUMS", "rb").read())
c = json.load(open(d + "/tsudoi-erasure-certificate.json", encoding="utf-8"))
counts = {e["kind"]: e["count"] for e in c["erased"]}
assert counts["participants"] == 4000, counts
assert counts["check_ins"] > 10000, counts
print(counts["check_ins"])
"#;
    let out = python(script, &[&cert]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim().parse::<u64>().unwrap(),
        summary.visits
    );
    assert_eq!(
        sqlite(&env.store(), ".tables").trim(),
        "erasure_certificate"
    );
}
