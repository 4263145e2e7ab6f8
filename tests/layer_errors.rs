//! Errors by layer (issue 17): each typed error of the configuration and
//! report layers driven through the command line, as a script meets it.
//! The exit code follows from the variant (2 invalid input, 3 not allowed,
//! 4 damaged data, 5 I/O), and the message on stderr is Japanese and says
//! what to do. Where an attacker's or a faulty device's edit is the cause,
//! the test makes the edit.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::cli::{Env, code, text};
use ed25519_dalek::{Signer, SigningKey};
use tsudoi::report::sign;

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

/// A folder signed by `key`, as an export writes it (a site's device that
/// is faulty, or not the one registered, signs what it sends).
fn signed_folder(dir: &Path, files: &[(&str, Vec<u8>)], key: &SigningKey) {
    std::fs::create_dir_all(dir).unwrap();
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.clone()))
        .collect();
    for (name, bytes) in files
        .iter()
        .cloned()
        .chain(sign::signature_files(&files, key, "試験会場"))
    {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// `age -r RECIPIENT`, the tool itself.
fn age_encrypt(recipient: &str, plain: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("age")
        .args(["-r", recipient])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(plain).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// `age -d -i IDENTITY FILE`, the tool itself.
fn age_decrypt(identity: &Path, file: &Path) -> Vec<u8> {
    let out = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    out.stdout
}

/// A store, the ward's key in the configuration, and November's report
/// exported by the command line into `site-a`. Returns the ward's public key.
fn exported_site(env: &Env) -> String {
    let out = env.run(
        &[
            "report",
            "ward-key",
            "--out",
            env.path("ward.key").to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let public = text(&out.stdout)
        .split_whitespace()
        .find(|w| w.starts_with("age1"))
        .unwrap()
        .to_owned();
    config(env, &format!("[report]\nward_public_key = \"{public}\"\n"));
    env.init();
    env.staff(&[
        "report",
        "--month",
        "2026-11",
        "--out",
        env.path("site-a").to_str().unwrap(),
    ]);
    public
}

#[test]
fn a_signed_report_folder_changed_by_one_byte_is_damaged_data() {
    let env = Env::new();
    exported_site(&env);
    let site = env.path("site-a");
    let verify = |dir: &Path, extra: &[&str]| {
        let mut args = vec!["report", "verify", dir.to_str().unwrap()];
        args.extend_from_slice(extra);
        env.run(&args, None)
    };
    assert_eq!(code(&verify(&site, &[])), 0);
    let copy = |name: &str| {
        let dir = env.path(name);
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(&site).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
        dir
    };
    let csv = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("-programs.csv"))
        .unwrap();

    // VerifyError::FileChanged: one byte of a CSV changed (2 before this
    // issue, now 4: damaged data).
    let dir = copy("changed");
    let mut bytes = std::fs::read(dir.join(&csv)).unwrap();
    let at = bytes.len() - 3;
    bytes[at] ^= 1;
    std::fs::write(dir.join(&csv), bytes).unwrap();
    refused(
        &verify(&dir, &[]),
        4,
        "の内容が署名のときと違います（改変または破損）",
    );

    // VerifyError::FileMissing, UnsignedFile, NoSignature, SignatureFormat.
    let dir = copy("missing");
    std::fs::remove_file(dir.join(&csv)).unwrap();
    refused(&verify(&dir, &[]), 4, "がありません。");
    let dir = copy("extra");
    std::fs::write(dir.join("note.txt"), "追記").unwrap();
    refused(
        &verify(&dir, &[]),
        4,
        "署名されていないファイルがあります: note.txt",
    );
    let dir = copy("nosig");
    std::fs::remove_file(dir.join(sign::SIGNATURE)).unwrap();
    refused(&verify(&dir, &[]), 4, "SHA256SUMS.sig がありません");
    let dir = copy("sigform");
    let sig = std::fs::read_to_string(dir.join(sign::SIGNATURE)).unwrap();
    std::fs::write(dir.join(sign::SIGNATURE), sig.to_uppercase()).unwrap();
    refused(&verify(&dir, &[]), 4, "署名の形式が正しくありません");

    // VerifyError::SignatureMismatch: one byte of the list changed.
    let dir = copy("listed");
    let mut list = std::fs::read(dir.join(sign::MANIFEST)).unwrap();
    list[0] = if list[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(dir.join(sign::MANIFEST), list).unwrap();
    refused(&verify(&dir, &[]), 4, "署名が一致しません");

    // VerifyError::SignerKey: the key in SIGNER.txt made unreadable.
    let dir = copy("signer");
    let signer = std::fs::read_to_string(dir.join(sign::SIGNER)).unwrap();
    std::fs::write(
        dir.join(sign::SIGNER),
        signer.replacen("（Ed25519）: ", "（Ed25519）: zz", 1),
    )
    .unwrap();
    refused(&verify(&dir, &[]), 4, "公開鍵は64文字の16進数で");

    // Input to correct, 2: no SIGNER.txt and no key given, a key typed
    // wrong, a folder that is not a signed report.
    let dir = copy("nosigner");
    std::fs::remove_file(dir.join(sign::SIGNER)).unwrap();
    refused(&verify(&dir, &[]), 2, "--public-key で指定してください");
    refused(
        &verify(&site, &["--public-key", "zz"]),
        2,
        "公開鍵は64文字の16進数で入力してください",
    );
    let empty = env.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    refused(&verify(&empty, &[]), 2, "SHA256SUMS がありません");

    // A faulty device's signed list: not text, a line without two
    // spaces, a name outside the folder.
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = sign::public_key_text(&key.verifying_key());
    for (name, list, says) in [
        (
            "nottext",
            vec![0xff, 0xfe, b'\n'],
            "一覧の文字が壊れています",
        ),
        (
            "badline",
            b"abc\n".to_vec(),
            "一覧の行の形式が正しくありません",
        ),
        (
            "badname",
            format!("{}  ../x\n", "0".repeat(64)).into_bytes(),
            "一覧に不正なファイル名があります",
        ),
    ] {
        let dir = env.path(name);
        std::fs::create_dir_all(&dir).unwrap();
        let sig = key.sign(&list);
        std::fs::write(dir.join(sign::MANIFEST), &list).unwrap();
        let hex: String = sig.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(dir.join(sign::SIGNATURE), format!("{hex}\n")).unwrap();
        refused(&verify(&dir, &["--public-key", public.as_str()]), 4, says);
    }
}

#[test]
fn merge_refusals_exit_by_kind() {
    let env = Env::new();
    let ward = exported_site(&env);
    let a = env.path("site-a");
    let sealed_name = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("-counts.json.age"))
        .unwrap();
    // The counts as the ward's own `age` reads them.
    let counts: serde_json::Value =
        serde_json::from_slice(&age_decrypt(&env.path("ward.key"), &a.join(&sealed_name))).unwrap();
    assert_eq!(counts["month"]["month"], 11);

    // A second site's folder holding `json` sealed to the ward, signed by
    // its own device.
    let device = SigningKey::from_bytes(&[9; 32]);
    let site_b = |name: &str, json: &[u8]| {
        let dir = env.path(name);
        signed_folder(
            &dir,
            &[(sealed_name.as_str(), age_encrypt(&ward, json))],
            &device,
        );
        dir
    };
    let mut b = counts.clone();
    b["site"] = "試験会場B".into();
    let good = site_b("site-b", b.to_string().as_bytes());
    let merge = |dirs: &[&Path], out: &str, extra: &[&str]| {
        let mut args = vec!["report", "merge"];
        args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
        let identity = env.path("ward.key");
        let out = env.path(out);
        args.extend([
            "--identity",
            identity.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        args.extend_from_slice(extra);
        env.run(&args, None)
    };
    let out = merge(&[&a, &good], "merged", &[]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));

    // MergeError::CountTooLarge: a count above 10^9, edited into the
    // counts, sealed and signed by the site's (faulty) device: 4.
    let mut big = b.clone();
    big["month_counts"]["distinct_total"] = 2_000_000_000u64.into();
    let dir = site_b("site-big", big.to_string().as_bytes());
    refused(
        &merge(&[&a, &dir], "x1", &[]),
        4,
        "人数データに大きすぎる値があります",
    );

    // MergeError::CountsFormat: 4. MergeError::CountsVersion: 1.
    let dir = site_b("site-format", b"{\"format\": 1}");
    refused(
        &merge(&[&a, &dir], "x2", &[]),
        4,
        "人数データの形式が正しくありません",
    );
    let mut newer = b.clone();
    newer["format"] = "tsudoi-counts-v99".into();
    let dir = site_b("site-newer", newer.to_string().as_bytes());
    refused(
        &merge(&[&a, &dir], "x3", &[]),
        1,
        "tsudoiを更新してください",
    );

    // Input to correct, 2.
    let mut other_month = b.clone();
    other_month["month"]["month"] = 10.into();
    let dir = site_b("site-month", other_month.to_string().as_bytes());
    refused(
        &merge(&[&a, &dir], "x4", &[]),
        2,
        "違う月の報告が混ざっています",
    );
    let dir = env.path("site-nocounts");
    signed_folder(&dir, &[("readme.txt", b"x".to_vec())], &device);
    refused(
        &merge(&[&a, &dir], "x5", &[]),
        2,
        "には人数データ（区の公開鍵で暗号化したもの）がありません",
    );
    refused(
        &merge(&[&a, &a], "x6", &[]),
        2,
        "同じ施設の報告が2回指定されています",
    );
    refused(
        &merge(&[&a], "x7", &[]),
        2,
        "2つ以上の報告フォルダを指定してください",
    );
    let only_b = sign::public_key_text(&device.verifying_key());
    refused(
        &merge(&[&a, &good], "x8", &["--public-key", only_b.as_str()]),
        2,
        "は登録された端末の署名ではありません",
    );
    std::fs::create_dir_all(env.path("full")).unwrap();
    std::fs::write(env.path("full").join("old.csv"), "x").unwrap();
    refused(&merge(&[&a, &good], "full", &[]), 2, "は空ではありません");
    let mut args = vec![
        "report",
        "merge",
        a.to_str().unwrap(),
        good.to_str().unwrap(),
    ];
    let nowhere = env.path("nowhere.key");
    let x9 = env.path("x9");
    args.extend([
        "--identity",
        nowhere.to_str().unwrap(),
        "--out",
        x9.to_str().unwrap(),
    ]);
    refused(&env.run(&args, None), 2, "区の秘密鍵のファイル");
    std::fs::write(env.path("ward.key"), "これは鍵ではありません\n").unwrap();
    refused(
        &merge(&[&a, &good], "x10", &[]),
        2,
        "区の秘密鍵のファイルの形式が正しくありません",
    );
    // Another ward's identity: the counts do not open.
    let out = env.run(
        &[
            "report",
            "ward-key",
            "--out",
            env.path("other.key").to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    std::fs::copy(env.path("other.key"), env.path("ward.key")).unwrap();
    refused(
        &merge(&[&a, &good], "x11", &[]),
        2,
        "人数データを開けません。区の秘密鍵が違うか",
    );

    // MergeError::WardKey: the configuration's key is not an age key.
    config(&env, "[report]\nward_public_key = \"age2xyz\"\n");
    let out = env.run(
        &[
            "report",
            "--month",
            "2026-11",
            "--out",
            env.path("x12").to_str().unwrap(),
        ],
        None,
    );
    refused(&out, 2, "区の公開鍵は age1 で始まる文字列です");
}

#[test]
fn report_layer_refusals_exit_by_kind() {
    let env = Env::new();
    env.init();
    let out_dir = env.path("out");
    let out = out_dir.to_str().unwrap();
    // ReportError::BadMonth, BadEncoding: before anything is read.
    refused(
        &env.run(&["report", "--month", "2026-13", "--out", out], None),
        2,
        "月は 2026-10 のように入力してください",
    );
    refused(
        &env.run(
            &[
                "report",
                "--month",
                "2026-11",
                "--out",
                out,
                "--encoding",
                "latin1",
            ],
            None,
        ),
        2,
        "--encoding は utf8-bom（標準）か cp932",
    );
    // ReportError::OutDirNotEmpty.
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("old.csv"), "x").unwrap();
    refused(
        &env.run(
            &["report", "--month", "2026-11", "--out", out],
            Some(common::NEW_PASSWORD),
        ),
        2,
        "空のフォルダを指定してください",
    );
    // ReportError::BadPeriod.
    refused(
        &env.run(
            &[
                "report",
                "handling",
                "--from",
                "2026-11-30",
                "--to",
                "2026-11-01",
                "--out",
                env.path("h").to_str().unwrap(),
            ],
            Some(common::NEW_PASSWORD),
        ),
        2,
        "期間の終わり（--to）が始め（--from）より前です",
    );
    // ReportError::NotCp932: a session title with a character CP932 lacks.
    let date = common::cli::days_from_today(0);
    let month = &date[..7];
    env.staff(&[
        "session",
        "add",
        "--program",
        "ikigai",
        "--date",
        &date,
        "--start",
        "10:00",
        "--end",
        "11:00",
        "--title",
        "𠮷野家の会",
    ]);
    refused(
        &env.run(
            &[
                "report",
                "--month",
                month,
                "--out",
                env.path("cp").to_str().unwrap(),
                "--encoding",
                "cp932",
            ],
            Some(common::NEW_PASSWORD),
        ),
        2,
        "CP932（Shift_JIS）で表せません",
    );
    // ReportError::DamagedSession: the store's activity date edited by
    // hand (an attack on the file, below tsudoi): 4, nothing exported.
    common::sqlite3(
        &env.store(),
        &format!("UPDATE sessions SET date = '{month}-0x'"),
    );
    let out = env.run(
        &[
            "report",
            "--month",
            month,
            "--out",
            env.path("dmg").to_str().unwrap(),
        ],
        Some(common::NEW_PASSWORD),
    );
    let err = text(&out.stderr);
    assert_eq!(code(&out), 4, "{err}");
    assert!(
        err.contains("壊れて") || err.contains("書き換えられて"),
        "{err}"
    );
}

/// The store's typed refusals (`store::errors`): a resident's record typed
/// wrong is input (2); a date of a record, or a staff member's role,
/// rewritten with `sqlite3` by someone holding the file is damaged data (4),
/// not "fix your typing".
#[test]
fn store_errors_exit_by_kind() {
    let env = Env::new();
    env.init();
    let add = ["participant", "add", "--json", "-"];
    let person = |kana: &str| {
        format!(
            r#"{{"name": "試験 一郎", "kana": "{kana}", "phone": "090-7777-0002",
                "birth": "昭和24年4月4日", "postal": "160-0022"}}"#
        )
    };
    let out = env.run_with_input(&add, Some(common::NEW_PASSWORD), &person("Shiken Ichiro"));
    refused(&out, 2, "ふりがなは、ひらがなかカタカナ");
    let out = env.run_with_input(&add, Some(common::NEW_PASSWORD), &person("しけん いちろう"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = text(&out.stdout).split("登録番号: ").nth(1).unwrap()[..8].to_owned();
    // A staff id that is a name (ids appear in the audit log).
    let mut add = env.cmd(&["staff", "add", "yamada taro", "--role", "handler"]);
    add.env("TSUDOI_PASSWORD", common::NEW_PASSWORD)
        .env("TSUDOI_NEW_PASSWORD", "Hajimete-2026-pass");
    refused(&add.output().unwrap(), 2, "スタッフIDは半角の英数字");

    let db = env.store();
    common::sqlite3(&db, "UPDATE participants SET consent_on = '令和八年'");
    let out = env.run(&["participant", "show", &id], Some(common::NEW_PASSWORD));
    assert_eq!(code(&out), 4, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("保存された日付が壊れています"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).contains("試験"), "{}", text(&out.stdout));
}

/// Classes by application (`LotteryError`): a class typed wrong is input
/// (2); the closed list of applicants, or a class's session date, rewritten
/// with `sqlite3` by someone holding the file is damaged data (4, was 2),
/// and nothing of the applicant is printed.
#[test]
fn lottery_errors_exit_by_kind() {
    let env = Env::new();
    env.init();
    // LotteryError::NumberForm, before any store is opened.
    refused(
        &env.run(
            &[
                "draw",
                "--pool-size",
                "十人",
                "--count",
                "1",
                "--source",
                "1 2 3",
            ],
            None,
        ),
        2,
        "--pool-size（対象の人数）は0以上の整数で入力してください",
    );
    // LotteryError::DateOrder and ProgramChoice.
    let add = |until: &str, program: &str| {
        let mut args = common::cli::lottery_add("0000", "2026-11-01", until, "2026-11-20");
        args.extend(["--program", program]);
        env.run(&args, Some(common::NEW_PASSWORD))
    };
    refused(
        &add("2026-11-25", "kaigo"),
        2,
        "日付は 受付開始 ≦ 受付締切 < 抽選日 の順にしてください",
    );
    refused(
        &add("2026-11-15", "yoga"),
        2,
        "--program は ikigai、koryu、kaigo のどれか",
    );

    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(common::NEW_PASSWORD),
        r#"{"name": "試験 花子", "kana": "しけん はなこ", "phone": "090-7777-0003",
            "birth": "昭和24年4月4日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pid = common::cli::id_after(&out, "登録番号: ");
    let cid = env.lottery_class(-10, 0, 1);
    let out = env.apply_with_address(&cid, &pid);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let db = env.store();
    // The application period over (as if a day had passed), then closed.
    common::sqlite3(
        &db,
        &format!(
            "UPDATE lottery_classes SET apply_until = '{}'",
            common::cli::days_from_today(-1)
        ),
    );
    env.staff(&[
        "lottery",
        "close",
        &cid,
        "--source-name",
        "ロト6 第2100回の本数字",
    ]);
    let personal = ["試験", "花子", "しけん", "090-7777-0003", "西新宿"];
    let damaged = |out: &Output, fragment: &str| {
        let (err, stdout) = (text(&out.stderr), text(&out.stdout));
        assert_eq!(code(out), 4, "{err}");
        assert!(err.contains(fragment), "{fragment:?} not in {err}");
        assert!(err.contains("取扱責任者に連絡してください"), "{err}");
        for p in personal {
            assert!(
                !err.contains(p) && !stdout.contains(p),
                "{p} shown: {err}{stdout}"
            );
        }
    };
    // LotteryError::Damaged: the closed list of applicants edited by hand.
    common::sqlite3(
        &db,
        "UPDATE lottery_classes SET pool_listing = '{\"pool\": 壊'",
    );
    let out = env.run(&["lottery", "notice", &cid], Some(common::NEW_PASSWORD));
    damaged(&out, "保存された対象者一覧が壊れています");
    // ... and a session's date: every list of classes refuses.
    common::sqlite3(&db, "UPDATE sessions SET date = '2026-1x-01'");
    let out = env.run(&["lottery", "list"], Some(common::NEW_PASSWORD));
    damaged(&out, "保存された日付が壊れています");
    // ... and a class's program (it counted silently as 介護予防 before).
    common::sqlite3(&db, "UPDATE sessions SET date = '2026-11-01'");
    common::sqlite3(&db, "UPDATE lottery_classes SET program_id = 'yoga'");
    let out = env.run(&["lottery", "list"], Some(common::NEW_PASSWORD));
    damaged(&out, "保存された教室の種類が壊れています");
}

/// The store file's own setting (`StoreError::DamagedSetting`): the blind
/// index length in `meta` rewritten with `sqlite3` is damaged data (4, was
/// 2) for every command that opens the store, and no resident's data is
/// printed; a site name typed wrong at `init` stays input (2).
#[test]
fn a_damaged_store_setting_exits_4() {
    let out = Env::new().run(
        &["init", "--site", " ", "--manager", "kanri01"],
        Some(common::PASSWORD),
    );
    refused(&out, 2, "施設名を1〜100文字で入力してください");
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(common::NEW_PASSWORD),
        r#"{"name": "試験 次郎", "kana": "しけん じろう", "phone": "090-7777-0004",
            "birth": "昭和24年4月4日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    common::sqlite3(
        &env.store(),
        "UPDATE meta SET value = '99' WHERE key = 'blind_index_bits'",
    );
    for args in [&["lottery", "list"][..], &["group", "list"][..]] {
        let out = env.run(args, Some(common::NEW_PASSWORD));
        let (err, stdout) = (text(&out.stderr), text(&out.stdout));
        assert_eq!(code(&out), 4, "{args:?}: {err}");
        assert!(err.contains("索引の長さ）が壊れています"), "{err}");
        assert!(err.contains("設置業者に見せてください"), "{err}");
        for p in ["試験", "次郎", "しけん", "090-7777-0004"] {
            assert!(
                !err.contains(p) && !stdout.contains(p),
                "{p}: {err}{stdout}"
            );
        }
    }
}

/// The command line's own refusals (`CliError`): a checkpoint file named on
/// the command line that does not exist is input (2); one that exists but
/// does not read (here a folder, EISDIR) is the disk's failure (5, was 2).
#[test]
fn a_file_named_on_the_command_line_exits_by_why_it_does_not_read() {
    let env = Env::new();
    let folder = env.path("cert");
    std::fs::create_dir_all(&folder).unwrap();
    let verify = |checkpoint: &Path| {
        env.run(
            &[
                "erase",
                "verify",
                "--certificate",
                folder.to_str().unwrap(),
                "--checkpoint",
                checkpoint.to_str().unwrap(),
            ],
            None,
        )
    };
    refused(
        &verify(&env.path("no-such-checkpoint")),
        2,
        "チェックポイントのファイル",
    );
    let out = verify(&folder);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 5, "{err}");
    assert!(err.contains("チェックポイントのファイル"), "{err}");
    assert!(err.contains("確かめてください"), "{err}");

    // The same for the ward's old checkpoint given to `audit prove --from`
    // (was 2 whatever the cause), and a file too large to be one is input.
    env.init();
    let prove = |from: &Path| {
        env.run(
            &[
                "audit",
                "prove",
                "--from",
                from.to_str().unwrap(),
                "--out",
                env.path("proof").to_str().unwrap(),
            ],
            Some(common::NEW_PASSWORD),
        )
    };
    refused(
        &prove(&env.path("no-such-checkpoint")),
        2,
        "チェックポイントのファイル",
    );
    let out = prove(&folder);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 5, "{err}");
    assert!(err.contains("確かめてください"), "{err}");
    let big = env.path("big-checkpoint");
    std::fs::write(&big, vec![b'x'; 65 * 1024]).unwrap();
    refused(
        &prove(&big),
        2,
        "64 KiB までの、正しいファイルを指定してください",
    );
}

/// Rows the store reads inside SQLite's row mappers (an activity, a hobby
/// group's schedule, a date the 見守り list reads), rewritten with `sqlite3`
/// by someone holding the file: damaged data (4; was 1, as if the disk had
/// failed), with the layer's own sentence, and nothing of the resident is
/// printed.
#[test]
fn damaged_rows_read_by_the_store_exit_4() {
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(common::NEW_PASSWORD),
        r#"{"name": "試験 三郎", "kana": "しけん さぶろう", "phone": "090-7777-0005",
            "birth": "昭和24年4月4日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let personal = ["試験", "三郎", "しけん", "090-7777-0005"];
    let damaged = |args: &[&str], fragment: &str| {
        let out = env.run(args, Some(common::NEW_PASSWORD));
        let (err, stdout) = (text(&out.stderr), text(&out.stdout));
        assert_eq!(code(&out), 4, "{args:?}: {err}");
        assert!(err.contains(fragment), "{fragment:?} not in {err}");
        assert!(err.contains("取扱責任者に連絡してください"), "{err}");
        assert!(!err.contains("ディスク"), "not a disk failure: {err}");
        for p in personal {
            assert!(
                !err.contains(p) && !stdout.contains(p),
                "{p} shown: {err}{stdout}"
            );
        }
    };
    let db = env.store();

    // SessionError::Damaged: an activity's start time edited by hand.
    let today = common::cli::days_from_today(0);
    env.salon_today();
    let list = ["session", "list", "--date", today.as_str()];
    assert_eq!(code(&env.run(&list, Some(common::NEW_PASSWORD))), 0);
    common::sqlite3(&db, "UPDATE sessions SET start_time = '0x:00'");
    damaged(&list, "保存された活動の時刻が壊れています");
    common::sqlite3(&db, "UPDATE sessions SET start_time = '00:00'");

    // GroupError::DamagedSchedule: a group's schedule edited by hand.
    env.add_group("囲碁クラブ", "毎週金曜 10:00-12:00", "和室");
    assert_eq!(
        code(&env.run(&["group", "list"], Some(common::NEW_PASSWORD))),
        0
    );
    common::sqlite3(&db, "UPDATE hobby_groups SET start_time = '0x:00'");
    damaged(&["group", "list"], "保存されたグループの予定が壊れています");
    common::sqlite3(&db, "UPDATE hobby_groups SET start_time = '10:00'");

    // StoreError::DamagedDate: an activity's date in the 見守り window edited
    // by hand (yesterday with a letter after it still sorts in the window).
    assert_eq!(code(&env.run(&["mimamori"], Some(common::NEW_PASSWORD))), 0);
    let yesterday = common::cli::days_from_today(-1);
    common::sqlite3(
        &db,
        &format!("UPDATE sessions SET date = '{yesterday}x' WHERE title = '交流サロン'"),
    );
    damaged(&["mimamori"], "保存された活動の日付が壊れています");
}

/// Standard input that fails to read for the system's reason (here a
/// folder, EISDIR) is an I/O failure (5, was 2); input that is not UTF-8
/// stays the user's to correct (2). Nothing is stored either way.
#[test]
fn standard_input_exits_by_why_it_does_not_read() {
    let env = Env::new();
    env.init();
    let folder = env.path("not-a-file");
    std::fs::create_dir_all(&folder).unwrap();
    let mut c = env.cmd(&["participant", "add", "--json", "-"]);
    c.env("TSUDOI_PASSWORD", common::NEW_PASSWORD)
        .stdin(std::fs::File::open(&folder).unwrap());
    let out = c.output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(code(&out), 5, "{err}");
    assert!(err.contains("標準入力を読めません"), "{err}");

    let mut c = env.cmd(&["participant", "add", "--json", "-"]);
    c.env("TSUDOI_PASSWORD", common::NEW_PASSWORD);
    let out = common::cli::output_with_input(c, b"{\"name\": \"\xff\xfe\"}");
    refused(&out, 2, "UTF-8 の文字で渡してください");
    assert_eq!(
        common::sqlite3(&env.store(), "SELECT count(*) FROM participants").trim(),
        "0"
    );
}

/// A keyslot row as `sqlite3` sees it.
fn slot_bytes(db: &Path, id: &str) -> Vec<u8> {
    let hex = common::sqlite3(
        db,
        &format!("SELECT hex(slot) FROM keyslots WHERE id = '{id}'"),
    );
    let hex = hex.trim();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Writes `slot` over the row `id`; with `fix_checksum` the row's checksum
/// is made to match, as an attacker who read the source would (`b3sum`
/// over the fixed prefix and the bytes, FORMAT: keyslot rows).
fn write_slot(db: &Path, id: &str, slot: &[u8], fix_checksum: bool) {
    let mut set = format!("slot = X'{}'", hex(slot));
    if fix_checksum {
        use std::io::Write;
        let mut child = Command::new("b3sum")
            .args(["--no-names", "--raw"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("b3sum is installed by scripts/install-deps.sh");
        let mut input = b"tsudoi keyslot checksum v1".to_vec();
        input.extend_from_slice(slot);
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let sum = child.wait_with_output().unwrap().stdout;
        assert_eq!(sum.len(), 32);
        set.push_str(&format!(", checksum = X'{}'", hex(&sum)));
    }
    common::sqlite3(db, &format!("UPDATE keyslots SET {set} WHERE id = '{id}'"));
}

/// The key hierarchy's errors (`KeyslotError`, `RecoveryKeyError`) through
/// the command line: a recovery key typed wrong is the typist's to correct
/// (2); a wrong password is not allowed (3); a keyslot damaged on the card
/// (a byte changed, its checksum no longer matching, or its layout broken)
/// is damaged data (4). A wrapped key altered by someone who also fixed
/// the checksum answers exactly like a wrong password (3, the same bytes on
/// stderr): the AEAD cannot tell them apart, and the answer must not tell
/// either. Nothing printed holds the password, the recovery key or the
/// slot's bytes. No exit code changed here; the test fixes them.
#[test]
fn crypto_errors_exit_by_kind_and_tell_nothing_more() {
    let env = Env::new();
    let (_, recovery) = env.init_keeping_recovery_key();
    let db = env.store();
    let slot_id = "password:kanri01";
    let original = slot_bytes(&db, slot_id);
    let secrets = [
        common::NEW_PASSWORD.to_owned(),
        recovery.clone(),
        recovery.replace('-', ""),
        hex(&original),
    ];
    let tells_nothing = |out: &Output| {
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        for s in &secrets {
            assert!(!all.contains(s.as_str()), "a secret printed: {all}");
        }
        assert!(!all.contains("panicked"), "{all}");
    };

    // RecoveryKeyError: too short, a character not in base32, a typo the
    // checksum catches. 2, before any key is tried.
    let recover = |key: &str| {
        let mut c = env.cmd(&["staff", "recover", "kanri01"]);
        c.env("TSUDOI_RECOVERY_KEY", key)
            .env("TSUDOI_NEW_PASSWORD", "Recovered-pass-77");
        c.output().unwrap()
    };
    let out = recover(&recovery[..recovery.len() - 5]);
    refused(&out, 2, "回復キーの文字数");
    tells_nothing(&out);
    let mut bad = recovery.clone();
    bad.replace_range(0..1, "8");
    let out = recover(&bad);
    refused(&out, 2, "回復キーに使えない文字");
    tells_nothing(&out);
    let first = recovery.chars().next().unwrap();
    let typo = if first == 'A' { "B" } else { "A" };
    let mut bad = recovery.clone();
    bad.replace_range(0..1, typo);
    let out = recover(&bad);
    refused(&out, 2, "回復キーの入力に誤り");
    tells_nothing(&out);

    // A wrong password: 3.
    let wrong = env.run(&["staff", "list"], Some("Not-the-pass-2026"));
    assert_eq!(code(&wrong), 3, "{}", text(&wrong.stderr));
    assert!(
        text(&wrong.stderr).contains("スタッフIDまたはパスワードが違います"),
        "{}",
        text(&wrong.stderr)
    );
    assert!(!text(&wrong.stderr).contains("Not-the-pass-2026"));
    tells_nothing(&wrong);

    // One byte of the wrapped key changed, the checksum left as it was:
    // damage the row's checksum finds before the password is used. 4.
    let mut flipped = original.clone();
    flipped[60] ^= 0x01;
    write_slot(&db, slot_id, &flipped, false);
    let out = env.run(&["staff", "list"], Some(common::NEW_PASSWORD));
    refused(&out, 4, "鍵の情報が壊れています");
    assert!(
        text(&out.stderr).contains("回復キー"),
        "{}",
        text(&out.stderr)
    );
    tells_nothing(&out);

    // The same change with the checksum made to match: the right password
    // now gets the wrong password's answer, byte for byte (3).
    write_slot(&db, slot_id, &flipped, true);
    let out = env.run(&["staff", "list"], Some(common::NEW_PASSWORD));
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), text(&wrong.stderr));
    tells_nothing(&out);

    // The slot's layout broken (an unknown format version), checksum
    // matching: the structure is checked without the secret, so saying
    // "damaged" tells only what the file's holder can see. 4.
    let mut version = original.clone();
    version[0] = 0x7f;
    write_slot(&db, slot_id, &version, true);
    let out = env.run(&["staff", "list"], Some(common::NEW_PASSWORD));
    refused(&out, 4, "鍵の情報が壊れています");
    tells_nothing(&out);

    // Put back, the account opens again (the failed attempts above did not
    // reach the lockout).
    write_slot(&db, slot_id, &original, true);
    let out = env.run(&["staff", "list"], Some(common::NEW_PASSWORD));
    assert!(out.status.success(), "{}", text(&out.stderr));
}
