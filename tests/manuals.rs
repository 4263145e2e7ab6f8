//! The Japanese manuals (docs/ja) against the product: the screenshots they
//! show are the ones `tsudoi screenshot` renders, and the commands the ward's
//! manual gives (sha256sum, python3 cryptography, openssl) accept a report
//! folder `tsudoi report` wrote and refuse a changed one. The PDFs themselves
//! are checked by scripts/check-manuals.py after scripts/build-manuals.sh.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::cli::{Env, text};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ja")
}

fn manual_sources() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(docs())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    v.sort();
    v
}

/// Every `ui/screenshots/NAME.png` a manual references, by manual.
fn referenced_screenshots() -> Vec<(String, String)> {
    let mut refs = Vec::new();
    for path in manual_sources() {
        let md = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (i, _) in md.match_indices("ui/screenshots/") {
            let rest = &md[i + "ui/screenshots/".len()..];
            let end = rest
                .find(".png")
                .expect("a screenshot reference ends in .png");
            refs.push((file.clone(), rest[..end].to_owned()));
        }
    }
    refs
}

fn png_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".png").map(str::to_owned)
        })
        .collect()
}

#[test]
fn manuals_show_only_screens_that_tsudoi_screenshot_renders() {
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_tsudoi"))
        .args(["screenshot", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let rendered = png_names(out.path());
    let committed = png_names(&Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/screenshots"));
    // The committed folder is exactly what the command renders, so a manual
    // pointing into it points at a screen that is regenerated.
    assert_eq!(
        committed, rendered,
        "ui/screenshots differs from `tsudoi screenshot`: regenerate it"
    );

    let refs = referenced_screenshots();
    let manuals: BTreeSet<&str> = refs.iter().map(|(m, _)| m.as_str()).collect();
    for m in ["staff.md", "manager.md", "operator.md", "staff-card.md"] {
        assert!(manuals.contains(m), "{m} shows no screen");
    }
    for (manual, name) in &refs {
        assert!(
            rendered.contains(name),
            "{manual} shows ui/screenshots/{name}.png, which `tsudoi screenshot` does not render"
        );
    }
}

/// The fenced block after each `<!-- test: NAME -->` line of a manual.
fn tested_blocks(md: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- test: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{name}: no code block after the marker"
        );
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        blocks.push((name.to_owned(), body.join("\n") + "\n"));
    }
    blocks
}

/// Runs one block of the manual in `dir` with `KEY` set, as the ward would.
fn run_block(script: &str, dir: &Path, key: &str) -> Output {
    Command::new("bash")
        .args(["-o", "pipefail", "-c", script])
        .current_dir(dir)
        .env("KEY", key)
        // Untranslated messages from sha256sum and openssl; UTF-8 for the rest.
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap()
}

fn passes(blocks: &[(String, String)], name: &str, dir: &Path, key: &str) -> (bool, String) {
    let script = &blocks.iter().find(|(n, _)| n == name).unwrap().1;
    let out = run_block(script, dir, key);
    (
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

/// The device's public key as `init` prints it for the set-up sheet.
fn setup_sheet_key(init_stdout: &str) -> String {
    let mut lines = init_stdout.lines();
    lines
        .find(|l| l.starts_with("端末の公開鍵"))
        .and_then(|_| lines.next())
        .map(|l| l.trim().to_owned())
        .expect("init prints the device's public key")
}

fn init_store(env: &Env) -> String {
    let out = env.run(
        &["init", "--site", "テスト施設", "--manager", "kanri01"],
        Some(common::PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let key = setup_sheet_key(&text(&out.stdout));
    let mut c = env.cmd(&["staff", "passwd"]);
    c.env("TSUDOI_PASSWORD", common::PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", common::NEW_PASSWORD);
    assert!(c.output().unwrap().status.success());
    assert_eq!(key.len(), 64, "{key}");
    key
}

/// The previous calendar month, so the report is never for a month to come.
fn last_month() -> (String, String) {
    use chrono::Datelike;
    let first = chrono::Local::now().date_naive().with_day(1).unwrap();
    let prev = first.pred_opt().unwrap();
    (
        format!("{:04}-{:02}", prev.year(), prev.month()),
        format!("{:04}-{:02}-15", prev.year(), prev.month()),
    )
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_ward_manuals_commands_check_a_real_report_and_catch_every_change() {
    let md = std::fs::read_to_string(docs().join("ward.md")).unwrap();
    let blocks = tested_blocks(&md);
    let names: Vec<&str> = blocks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["ward-sums", "ward-files", "ward-python", "ward-openssl"]
    );
    // The quick card repeats the manual's commands word for word.
    let card = std::fs::read_to_string(docs().join("ward-card.md")).unwrap();
    for (name, body) in &blocks {
        if name != "ward-python" {
            assert!(card.contains(body.as_str()), "ward-card.md lacks {name}");
        }
    }

    let env = Env::new();
    let key = init_store(&env);
    let (month, day) = last_month();
    env.staff(&[
        "session",
        "add",
        "--program",
        "kaigo",
        "--date",
        &day,
        "--start",
        "10:00",
        "--end",
        "11:30",
        "--title",
        "体操教室",
    ]);
    let folder = env.path("tsudoi-report");
    let out = env.staff(&[
        "report",
        "--month",
        &month,
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert!(
        text(&out.stdout).contains(&key),
        "the report names the same device key"
    );
    let csvs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    assert!(csvs.len() >= 5, "{csvs:?}");

    // As written: every block passes and says so.
    for (name, expect) in [
        ("ward-sums", ": OK"),
        ("ward-files", "一覧のとおりです"),
        ("ward-python", "署名は正しいです"),
        ("ward-openssl", "Signature Verified Successfully"),
    ] {
        let (ok, said) = passes(&blocks, name, &folder, &key);
        assert!(ok && said.contains(expect), "{name}: {said}");
    }

    // Another kiosk's key (a folder signed elsewhere): both signature checks refuse.
    let other = Env::new();
    let other_key = init_store(&other);
    assert_ne!(other_key, key);
    for name in ["ward-python", "ward-openssl"] {
        let (ok, said) = passes(&blocks, name, &folder, &other_key);
        assert!(!ok, "{name} accepted another device's key: {said}");
    }

    // One changed byte in a table: sha256sum names the file.
    let csv = &csvs[0];
    let original = std::fs::read(csv).unwrap();
    let mut changed = original.clone();
    let last = changed.len() - 2;
    changed[last] ^= 0x01;
    std::fs::write(csv, &changed).unwrap();
    let (ok, said) = passes(&blocks, "ward-sums", &folder, &key);
    let csv_name = csv.file_name().unwrap().to_string_lossy().into_owned();
    assert!(!ok && said.contains(&csv_name), "{said}");

    // The same change with the list of sums rewritten to match: the sums pass,
    // the signature over the list does not.
    let sums_path = folder.join("SHA256SUMS");
    let sums = std::fs::read_to_string(&sums_path).unwrap();
    let forged = sums.replace(&sha256_hex(&original), &sha256_hex(&changed));
    assert_ne!(forged, sums);
    std::fs::write(&sums_path, &forged).unwrap();
    assert!(passes(&blocks, "ward-sums", &folder, &key).0);
    for name in ["ward-python", "ward-openssl"] {
        let (ok, said) = passes(&blocks, name, &folder, &key);
        assert!(!ok, "{name} accepted a rewritten list: {said}");
    }
    std::fs::write(&sums_path, &sums).unwrap();
    std::fs::write(csv, &original).unwrap();

    // A file slipped into the folder: the listing check names it.
    std::fs::write(folder.join("memo.csv"), "a,b\n").unwrap();
    let (ok, said) = passes(&blocks, "ward-files", &folder, &key);
    assert!(!ok && said.contains("memo.csv"), "{said}");
    std::fs::remove_file(folder.join("memo.csv")).unwrap();

    // Restored: everything passes again, and tsudoi agrees with the tools.
    for name in ["ward-sums", "ward-files", "ward-python", "ward-openssl"] {
        assert!(passes(&blocks, name, &folder, &key).0, "{name}");
    }
    let verify = Command::new(env!("CARGO_BIN_EXE_tsudoi"))
        .args(["report", "verify"])
        .arg(&folder)
        .args(["--public-key", &key])
        .output()
        .unwrap();
    assert!(verify.status.success(), "{}", text(&verify.stderr));
}
