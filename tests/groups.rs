//! Hobby groups and the ward's roster (issue 15), through the command line:
//! good, bad and hostile roster files, no partial import ever (counted with
//! `sqlite3`), members sealed against someone holding the file and
//! `sqlite3`, roles, and no member data on stderr or in the audit log.
//! Every name and number is invented.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::cli::{Env, code, days_from_today, id_after, text};
use common::{Rng, contains};

const HEADER: &str = "グループ名,氏名,ふりがな,電話番号\n";

fn sqlite3(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the sqlite3 command (Debian package sqlite3)");
    assert!(out.status.success(), "sqlite3: {}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

fn count(db: &Path, table: &str) -> u64 {
    sqlite3(db, &format!("SELECT count(*) FROM {table}"))
        .parse()
        .unwrap()
}

/// Rows of the tables an import writes: participants, memberships, ledger.
fn counts(env: &Env) -> (u64, u64, u64) {
    let db = env.store();
    (
        count(&db, "participants"),
        count(&db, "group_members"),
        count(&db, "media_ledger"),
    )
}

/// A store with two groups, ローズ会 and 囲碁クラブ.
fn env_with_groups() -> Env {
    let env = Env::new();
    env.init();
    env.add_group("ローズ会", "第1・第3火曜 13:30–15:30", "多目的室");
    env.add_group("囲碁クラブ", "毎週金曜 10:00-12:00", "和室");
    env
}

/// Writes a roster outside the store's folder (so the raw-bytes checks of
/// the folder see only the store) and returns its path.
fn roster(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn import(env: &Env, file: &Path, dry_run: bool) -> Output {
    let f = file.to_str().unwrap();
    let mut args = vec!["group", "import", f];
    if dry_run {
        args.push("--dry-run");
    }
    env.run(&args, Some(common::NEW_PASSWORD))
}

/// The synthetic values of the sample file that must never show outside
/// the sealed cells.
const SAMPLE_SECRETS: &[&str] = &[
    "試験 花子",
    "見本 一郎",
    "架空 さくら",
    "例題 二郎",
    "試作",
    "シケン ハナコ",
    "ミホン",
    "カクウ",
    "レイダイ",
    "しけん",
    "0355550101",
    "09055550102",
    "0355550103",
    "08055550104",
    "0355550105",
    "5555-0101",
    "5555-0105",
];

fn assert_no_member_data(what: &str, s: &str) {
    for secret in SAMPLE_SECRETS {
        assert!(!s.contains(secret), "{what} shows {secret}: {s}");
    }
}

#[test]
fn the_sample_roster_is_checked_then_imported_then_a_new_one_shows_its_differences() {
    let env = env_with_groups();
    let files = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ward-roster.csv");

    // A dry run shows who would be added and stores nothing.
    let out = import(&env, &sample, true);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("UTF-8（BOM付き）"), "{stdout}");
    assert!(stdout.contains("追加 6人、変更 0人、削除 0人"), "{stdout}");
    assert!(stdout.contains("何も保存していません"), "{stdout}");
    assert_eq!(counts(&env), (0, 0, 0));
    assert_no_member_data("stderr", &text(&out.stderr));

    // The import: 5 people (試験 花子 is in both groups), 6 memberships, one ledger row.
    let out = import(&env, &sample, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_no_member_data("stderr", &text(&out.stderr));
    assert_eq!(counts(&env), (5, 6, 1));
    let db = env.store();
    assert_eq!(
        sqlite3(&db, "SELECT DISTINCT basis FROM participants"),
        "ward"
    );
    // Only name, furigana and phone: no birth date, address, postal code, document.
    assert_eq!(
        sqlite3(
            &db,
            "SELECT count(*) FROM participants WHERE birth_date IS NOT NULL OR address IS NOT NULL
               OR postal_code IS NOT NULL OR town IS NOT NULL OR document IS NOT NULL
               OR verified_on IS NOT NULL"
        ),
        "0"
    );
    let ledger = sqlite3(&db, "SELECT destination, purpose, files FROM media_ledger");
    assert!(ledger.contains("区から提供された会員名簿"), "{ledger}");
    assert!(ledger.contains("ward-roster.csv"), "{ledger}");
    let sha = common::cli::text(
        &Command::new("sha256sum")
            .arg(&sample)
            .output()
            .unwrap()
            .stdout,
    );
    assert!(
        ledger.contains(sha.split_whitespace().next().unwrap()),
        "{ledger}"
    );
    let audit = sqlite3(
        &db,
        "SELECT action || ':' || result FROM audit WHERE action IN ('roster_import', 'create', 'group_join')",
    );
    assert_eq!(audit.matches("create:ward_roster").count(), 5, "{audit}");
    assert_eq!(audit.matches("group_join:").count(), 6, "{audit}");
    assert!(audit.contains("roster_import:dry_run_added_6"), "{audit}");
    assert!(audit.contains("roster_import:applied_added_6"), "{audit}");

    // Members in furigana order, with phones, for staff.
    let out = env.staff(&["group", "members", "ローズ会"]);
    let list = text(&out.stdout);
    let rows: Vec<&str> = list.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{list}");
    assert!(
        rows[0].contains("カクウ サクラ") && rows[0].contains("03-5555-0103"),
        "{list}"
    );
    assert!(rows[1].contains("シケン ハナコ"), "{list}");
    assert!(rows[2].contains("ミホン イチロウ"), "{list}");
    assert!(list.contains("区から提供"), "{list}");
    // Each member shown is audited as a view of their record.
    assert_eq!(
        sqlite3(
            &db,
            "SELECT count(*) FROM audit WHERE action = 'view' AND result LIKE 'group_%'"
        ),
        "3"
    );

    // The same file again: nothing to do.
    let out = import(&env, &sample, true);
    assert!(
        text(&out.stdout).contains("追加 0人、変更 0人、削除 0人、変わらない方 6人"),
        "{}",
        text(&out.stdout)
    );

    // The ward's update: 見本 一郎 leaves, 架空 さくら's phone changes,
    // 新規 四郎 joins, 試験 花子 leaves 囲碁クラブ but stays in ローズ会.
    let update = format!(
        "{HEADER}ローズ会,試験 花子,しけん はなこ,03-5555-0101\nローズ会,架空 さくら,カクウ サクラ,03-5555-0199\n囲碁クラブ,例題 二郎,れいだい じろう,080-5555-0104\n囲碁クラブ,\"試作, 三郎\",しさく さぶろう,(03)5555-0105\n囲碁クラブ,新規 四郎,しんき しろう,090-5555-0106\n"
    );
    let update = roster(&files, "roster-2.csv", update.as_bytes());
    let out = import(&env, &update, true);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("追加 1人、変更 1人、削除 2人"), "{stdout}");
    assert!(
        stdout.contains("追加: 6行目  囲碁クラブ  新規 四郎"),
        "{stdout}"
    );
    assert!(
        stdout.contains("変更: 3行目  ローズ会  架空 さくら"),
        "{stdout}"
    );
    assert!(stdout.contains("（電話番号）"), "{stdout}");
    assert!(stdout.contains("削除: ローズ会  見本 一郎"), "{stdout}");
    assert!(stdout.contains("削除: 囲碁クラブ  試験 花子"), "{stdout}");
    assert!(stdout.contains("記録 1件"), "{stdout}");
    assert_eq!(counts(&env), (5, 6, 1), "a dry run changes nothing");
    let out = import(&env, &update, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // 見本 一郎's record is gone (in no group any more), 新規 四郎 added.
    assert_eq!(counts(&env), (5, 5, 2));
    let out = env.staff(&["group", "members", "ローズ会"]);
    assert!(text(&out.stdout).contains("03-5555-0199"));
    assert!(!text(&out.stdout).contains("ミホン"));
    assert_eq!(
        sqlite3(
            &db,
            "SELECT count(*) FROM audit WHERE result = 'ward_roster_removed'"
        ),
        "1"
    );

    // One group's roster alone leaves the other group as it is.
    let one = format!("{HEADER}ローズ会,試験 花子,しけん はなこ,03-5555-0101\n");
    let one = roster(&files, "roster-3.csv", one.as_bytes());
    let out = import(&env, &one, false);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("追加 0人、変更 0人、削除 1人、変わらない方 1人"),
        "{stdout}"
    );
    assert_eq!(counts(&env), (4, 4, 3));

    // A file with a header and blank lines only is refused, not read as
    // "everyone removed".
    let blank = roster(&files, "blank.csv", format!("{HEADER}\n,,,\n\n").as_bytes());
    let out = import(&env, &blank, false);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("会員の行がありません"));
    assert_eq!(counts(&env), (4, 4, 3));
}

#[test]
fn every_problem_is_reported_by_line_and_nothing_is_stored() {
    let env = env_with_groups();
    let files = tempfile::tempdir().unwrap();
    let mut b = HEADER.as_bytes().to_vec();
    let lines: &[&[u8]] = &[
        "ローズ会,試験 花子,しけん はなこ,03-5555-0101\n".as_bytes(), // 2 fine
        "手芸の会,見本 一郎,みほん いちろう,090-5555-0102\n".as_bytes(), // 3 unknown group
        "ローズ会,架空 さくら,カクウ サクラ,03-5555-01\n".as_bytes(), // 4 bad phone
        "ローズ会,例題 二郎,,080-5555-0104\n".as_bytes(),             // 5 no furigana
        "ローズ会,試験 花子,シケン ハナコ,0355550101\n".as_bytes(),   // 6 duplicate of 2
        b"\xe8\xa9\xa6\xff\xfe,x,y,z\n",                              // 7 undecodable
        b"\xef\xbb\xbf",                                              // 8 a BOM in the middle …
        "ローズ会,試作 三郎,しさく さぶろう,03-5555-0105\n".as_bytes(), // … of this line
        "ローズ会,\"架空 五郎,かくう ごろう,03-5555-0107".as_bytes(), // 9 cut short in a quote
    ];
    for l in lines {
        b.extend_from_slice(l);
    }
    let file = roster(&files, "bad.csv", &b);
    let out = import(&env, &file, false);
    assert_eq!(code(&out), 2, "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("問題が7件"), "{stderr}");
    assert!(stderr.contains("何も取り込んでいません"), "{stderr}");
    for (line, reason) in [
        (
            3,
            "グループ名が、登録されているどのグループとも一致しません",
        ),
        (4, "電話番号の形が正しくありません"),
        (5, "ふりがながありません"),
        (6, "2行目と同じ方です"),
        (7, "文字として読めないバイト"),
        (8, "BOM"),
        (9, "ファイルが途中で切れています"),
    ] {
        let l = stderr
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{line}行目:")))
            .unwrap_or_else(|| panic!("no line {line} in {stderr}"));
        assert!(l.contains(reason), "line {line}: {l}");
    }
    assert!(!stderr.contains("2行目:"), "{stderr}");
    assert_no_member_data("stderr", &stderr);
    assert!(
        !stderr.contains("手芸の会") && !stderr.contains("五郎"),
        "{stderr}"
    );
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
    assert_eq!(counts(&env), (0, 0, 0));
    // The refusal itself is audited, without values.
    let db = env.store();
    assert_eq!(
        sqlite3(
            &db,
            "SELECT result FROM audit WHERE action = 'roster_import'"
        ),
        "refused_7_problems"
    );

    // A dry run of a bad file is refused the same way (exit 2).
    let out = import(&env, &file, true);
    assert_eq!(code(&out), 2);
    assert_eq!(counts(&env), (0, 0, 0));

    // No header, an empty file, a header only.
    for (name, bytes, reason) in [
        (
            "noheader.csv",
            "ローズ会,試験 花子,しけん はなこ,03-5555-0101\n".as_bytes(),
            "見出し",
        ),
        ("empty.csv", b"".as_slice(), "空です"),
        ("headeronly.csv", HEADER.as_bytes(), "会員の行がありません"),
    ] {
        let file = roster(&files, name, bytes);
        let out = import(&env, &file, false);
        assert_eq!(code(&out), 2, "{name}");
        assert!(
            text(&out.stderr).contains(reason),
            "{name}: {}",
            text(&out.stderr)
        );
        assert_no_member_data(name, &text(&out.stderr));
    }
    // A missing file is input to correct (exit 2), naming the path only.
    let out = import(&env, &files.path().join("missing.csv"), false);
    assert_eq!(code(&out), 2);
    assert_eq!(counts(&env), (0, 0, 0));
}

#[test]
fn a_file_cut_short_anywhere_inside_a_line_is_refused_whole() {
    let env = env_with_groups();
    let files = tempfile::tempdir().unwrap();
    let sample =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ward-roster.csv"))
            .unwrap();
    // Every cut strictly inside a member line, before its last character
    // (a cut just before a line's end leaves a complete, shorter roster).
    let mut cuts = Vec::new();
    let mut start = None;
    for (i, b) in sample.iter().enumerate() {
        if *b == b'\n' {
            if let Some(s) = start {
                cuts.push((s, i - 2)); // before "\r" and the last digit
            }
            start = Some(i + 1);
        }
    }
    let mut rng = Rng(0x15_2026);
    let mut tried = 0;
    for (s, e) in cuts {
        for _ in 0..4 {
            let at = s + 1 + rng.below((e - s - 1) as u64) as usize;
            let file = roster(&files, "cut.csv", &sample[..at]);
            let out = import(&env, &file, false);
            assert_eq!(code(&out), 2, "cut at {at}: {}", text(&out.stdout));
            let stderr = text(&out.stderr);
            assert!(
                stderr.contains("途中で切れて") || stderr.contains("電話番号"),
                "cut at {at}: {stderr}"
            );
            assert_eq!(counts(&env), (0, 0, 0), "cut at {at}");
            tried += 1;
        }
    }
    assert!(tried >= 20);
}

#[test]
fn cp932_files_read_like_utf8_ones_including_ibm_extension_kanji() {
    let env = env_with_groups();
    let files = tempfile::tempdir().unwrap();
    // 髙 and 﨑 are outside JIS X 0208 (CP932's IBM extensions); ① is an
    // NEC special character. Full-width digits and a hiragana furigana.
    let text_roster = format!(
        "{HEADER}ローズ会,髙木 試子,たかぎ ためこ,０３－５５５５－０２０１\r\nローズ会,山﨑 ① 見郎,やまざき みろう,090-5555-0202\r\n"
    );
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text_roster);
    assert!(!unmappable);
    let file = roster(&files, "cp932.csv", &bytes);
    let out = import(&env, &file, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("CP932"), "{}", text(&out.stdout));
    let out = env.staff(&["group", "members", "ローズ会"]);
    let list = text(&out.stdout);
    assert!(
        list.contains("髙木 試子") && list.contains("タカギ タメコ"),
        "{list}"
    );
    assert!(list.contains("03-5555-0201"), "{list}");
    assert!(list.contains("山﨑 ① 見郎"), "{list}");

    // UTF-8 without BOM holding a character CP932 cannot (𠮷) is fine too.
    let utf8 = format!("{HEADER}囲碁クラブ,𠮷田 試美,よしだ ためみ,03-5555-0203\n");
    let file = roster(&files, "utf8.csv", utf8.as_bytes());
    let out = import(&env, &file, true);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("文字コード: UTF-8、"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains("𠮷田 試美"));

    // A CP932 line pasted into a UTF-8 file is undecodable at its line.
    let mut mixed =
        format!("{HEADER}囲碁クラブ,𠮷田 試美,よしだ ためみ,03-5555-0203\n").into_bytes();
    let (sjis_line, _, _) =
        encoding_rs::SHIFT_JIS.encode("囲碁クラブ,試験 次子,しけん つぎこ,03-5555-0204\n");
    mixed.extend_from_slice(&sjis_line);
    let file = roster(&files, "mixed.csv", &mixed);
    let out = import(&env, &file, false);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("3行目: 文字として読めないバイト"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn formula_cells_are_kept_as_text_and_defused_in_csv_exports() {
    let env = env_with_groups();
    let files = tempfile::tempdir().unwrap();
    let roster_text = format!(
        "{HEADER}ローズ会,\"=HYPERLINK(\"\"http://example.invalid/\"\",\"\"x\"\")\",しけん いち,03-5555-0301\nローズ会,@SUM(1+1),しけん に,03-5555-0302\nローズ会,+試験 三,しけん さん,03-5555-0303\nローズ会,-試験 四,しけん よん,03-5555-0304\n"
    );
    // The file's own name looks like a formula too: it goes into the ledger.
    let file = roster(&files, "=cmd|' calc'!A1.csv", roster_text.as_bytes());
    let out = import(&env, &file, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = env.staff(&["group", "members", "ローズ会"]);
    let list = text(&out.stdout);
    assert!(
        list.contains("=HYPERLINK(\"http://example.invalid/\",\"x\")"),
        "{list}"
    );
    assert!(
        list.contains("@SUM(1+1)") && list.contains("+試験 三"),
        "{list}"
    );

    // The media ledger's CSV: the file name cell is defused.
    let csv = files.path().join("ledger.csv");
    env.staff(&["report", "ledger", "--csv", csv.to_str().unwrap()]);
    let ledger = std::fs::read_to_string(&csv).unwrap();
    assert!(ledger.contains("'=cmd|' calc'!A1.csv"), "{ledger}");
    for line in ledger.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "a formula left live in the ledger CSV: {line}"
            );
        }
    }
}

#[test]
fn members_are_sealed_against_the_file_and_sqlite3() {
    let env = env_with_groups();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ward-roster.csv");
    let out = import(&env, &sample, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    env.staff(&["group", "members", "ローズ会"]);
    // The attacker: every byte of the store's folder (database, WAL, shared
    // memory), in UTF-8 and CP932, and sqlite3's dump of the database.
    let files = common::all_bytes(env.dir.path());
    let dump = sqlite3(&env.store(), ".dump");
    for secret in SAMPLE_SECRETS {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(secret);
        for (path, bytes) in &files {
            assert!(
                !contains(bytes, secret.as_bytes()) && !contains(bytes, &sjis),
                "{secret} in {}",
                path.display()
            );
        }
        assert!(!dump.contains(secret), "{secret} in the dump");
    }
    // The phones' digits appear nowhere in the clear either.
    for digits in ["55550101", "55550102", "55550104"] {
        assert!(!dump.contains(digits));
    }
    // The audit log holds record ids and column names only.
    let out = env.staff(&["audit", "show", "--last", "200"]);
    assert_no_member_data("audit show", &text(&out.stdout));
}

#[test]
fn roles_operators_may_manage_groups_but_not_see_or_import_members() {
    let env = env_with_groups();
    env.add_staff("unei01", "operator");
    env.add_staff("tanto01", "handler");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ward-roster.csv");
    let s = sample.to_str().unwrap();

    let out = env.run_as("unei01", &["group", "import", s]);
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    assert_eq!(counts(&env), (0, 0, 0));
    let out = env.run_as("tanto01", &["group", "import", s]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));

    let out = env.run_as("unei01", &["group", "members", "ローズ会"]);
    assert_eq!(code(&out), 3);
    assert_no_member_data("operator", &text(&out.stdout));
    let out = env.run_as("unei01", &["mimamori"]);
    assert_eq!(code(&out), 3);
    let out = env.run_as("unei01", &["mimamori", "--json"]);
    assert_eq!(code(&out), 3);
    assert!(text(&out.stdout).is_empty());
    // Group names, schedules and meetings are not personal.
    let out = env.run_as("unei01", &["group", "list"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ローズ会"));
    assert!(
        text(&out.stdout).contains("会員 3人"),
        "{}",
        text(&out.stdout)
    );
    let out = env.run_as(
        "unei01",
        &[
            "group",
            "add",
            "--name",
            "書道の会",
            "--schedule",
            "第2木曜 10:00-12:00",
            "--room",
            "和室",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = env.run_as("tanto01", &["group", "members", "ローズ会"]);
    assert_eq!(code(&out), 0);
    assert!(text(&out.stdout).contains("シケン ハナコ"));
    let out = env.run_as("tanto01", &["mimamori"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
}

#[test]
fn meetings_are_generated_cancelled_and_moved() {
    let env = Env::new();
    env.init();
    let from = days_from_today(0);
    let until = days_from_today(62);
    let out = env.staff(&[
        "group",
        "add",
        "--name",
        "ローズ会",
        "--schedule",
        "毎週火曜 13:30-15:30",
        "--room",
        "多目的室",
        "--from",
        &from,
        "--until",
        &until,
    ]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("毎週火曜 13:30–15:30"), "{stdout}");
    let db = env.store();
    let n = count(&db, "group_sessions");
    assert!((8..=10).contains(&n), "{n}");
    assert_eq!(count(&db, "sessions"), n);
    assert_eq!(
        sqlite3(
            &db,
            "SELECT DISTINCT program_id || ' ' || title || ' ' || start_time FROM sessions"
        ),
        "ikigai ローズ会 13:30"
    );
    let first = sqlite3(&db, "SELECT min(planned_date) FROM group_sessions");
    let second = sqlite3(
        &db,
        "SELECT planned_date FROM group_sessions ORDER BY planned_date LIMIT 1 OFFSET 1",
    );
    env.staff(&["group", "cancel", "ローズ会", "--date", &first]);
    assert_eq!(count(&db, "sessions"), n - 1);
    env.staff(&[
        "group",
        "move",
        "ローズ会",
        "--date",
        &second,
        "--to",
        &days_from_today(70),
        "--start",
        "10:00",
    ]);
    assert_eq!(
        sqlite3(
            &db,
            &format!(
                "SELECT s.date || ' ' || s.start_time || ' ' || s.end_time || ' ' || gs.status
                 FROM group_sessions gs JOIN sessions s ON s.id = gs.session_id
                 WHERE gs.planned_date = '{second}'"
            )
        ),
        format!("{} 10:00 15:30 moved", days_from_today(70))
    );
    // Generating again does not bring the cancelled meeting back.
    let out = env.staff(&[
        "group",
        "generate",
        "ローズ会",
        "--until",
        &until,
        "--from",
        &from,
    ]);
    assert!(text(&out.stdout).contains("0回"), "{}", text(&out.stdout));
    let out = env.staff(&["group", "sessions", "ローズ会", "--from", &from]);
    let list = text(&out.stdout);
    assert!(list.contains("中止") && list.contains("変更 →"), "{list}");
    // A cancelled meeting cannot be cancelled twice; a bad schedule is input.
    let out = env.run(
        &["group", "cancel", "ローズ会", "--date", &first],
        Some(common::NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    let out = env.run(
        &[
            "group",
            "add",
            "--name",
            "x",
            "--schedule",
            "火曜の午後",
            "--room",
            "和室",
        ],
        Some(common::NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("第1・第3火曜"));
    let audit = sqlite3(
        &db,
        "SELECT group_concat(action || ':' || result) FROM audit WHERE action LIKE 'group_%'",
    );
    assert!(audit.contains("group_create:ok"), "{audit}");
    assert!(audit.contains("group_sessions:cancelled"), "{audit}");
    assert!(audit.contains("group_sessions:moved"), "{audit}");
}

/// The attack: someone with the file and `sqlite3` rewrites a meeting's
/// planned date. The list is refused as damaged data (exit 4, not 2, which
/// would tell staff to fix their typing), names what is damaged, and shows
/// no row.
#[test]
fn a_meeting_date_edited_with_sqlite3_is_refused_as_damaged() {
    let env = Env::new();
    env.init();
    let from = days_from_today(0);
    env.staff(&[
        "group",
        "add",
        "--name",
        "ローズ会",
        "--schedule",
        "毎週火曜 13:30-15:30",
        "--room",
        "多目的室",
        "--from",
        &from,
        "--until",
        &days_from_today(30),
    ]);
    let db = env.store();
    sqlite3(
        &db,
        "UPDATE group_sessions SET planned_date = '9999-99-99'
         WHERE planned_date = (SELECT max(planned_date) FROM group_sessions)",
    );
    let out = env.run(
        &["group", "sessions", "ローズ会", "--from", &from],
        Some(common::NEW_PASSWORD),
    );
    assert_eq!(code(&out), 4, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("集まりの日付が壊れています"), "{err}");
    assert_eq!(text(&out.stdout), "", "nothing listed");
}

#[test]
fn a_member_registered_at_the_desk_is_linked_not_duplicated() {
    let env = env_with_groups();
    // Registered at the desk after an ID check (kanji variant 高 in the name).
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(common::NEW_PASSWORD),
        r#"{"name": "試験 高子", "kana": "しけん たかこ", "phone": "03-5555-0401", "birth": "1950-05-05", "postal": "160-0022"}"#,
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let desk = id_after(&out, "登録番号: ");
    let files = tempfile::tempdir().unwrap();
    let file = roster(
        &files,
        "r.csv",
        format!("{HEADER}ローズ会,試験 髙子,シケン タカコ,0355550401\n").as_bytes(),
    );
    let out = import(&env, &file, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("注意: 窓口で登録済みの方"), "{stdout}");
    assert!(stdout.contains(&desk), "{stdout}");
    assert_eq!(counts(&env), (1, 1, 1));
    // The desk record is unchanged (name from the person, basis self).
    let db = env.store();
    assert_eq!(sqlite3(&db, "SELECT basis FROM participants"), "self");
    let out = env.staff(&["participant", "show", &desk]);
    assert!(text(&out.stdout).contains("試験 高子"));
    // Removed from the roster later: the desk record stays.
    let file = roster(
        &files,
        "r2.csv",
        format!("{HEADER}ローズ会,例題 二郎,れいだい じろう,080-5555-0104\n").as_bytes(),
    );
    let out = import(&env, &file, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(counts(&env), (2, 1, 2));
    assert_eq!(
        sqlite3(
            &db,
            &format!("SELECT basis FROM participants WHERE id LIKE '{desk}%'")
        ),
        "self"
    );
}

#[test]
fn members_check_in_by_hand_to_todays_meeting() {
    let env = Env::new();
    env.init();
    let today = days_from_today(0);
    // A group meeting every day of the week today falls on.
    let weekday = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d")
        .map(|d| {
            ["月", "火", "水", "木", "金", "土", "日"]
                [chrono::Datelike::weekday(&d).num_days_from_monday() as usize]
        })
        .unwrap();
    env.staff(&[
        "group",
        "add",
        "--name",
        "ローズ会",
        "--schedule",
        &format!("毎週{weekday}曜 00:00-23:59"),
        "--room",
        "多目的室",
        "--from",
        &today,
        "--until",
        &today,
    ]);
    let files = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ward-roster.csv");
    let kept = std::fs::read_to_string(&sample)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("囲碁"))
        .collect::<Vec<_>>()
        .join("\n");
    let file = roster(&files, "r.csv", kept.as_bytes());
    let out = import(&env, &file, false);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = env.staff(&["group", "members", "ローズ会"]);
    let member: String = text(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .chars()
        .take(8)
        .collect();
    let out = env.staff(&["group", "checkin", "ローズ会", "--member", &member]);
    assert!(
        text(&out.stdout).contains("受付ができました"),
        "{}",
        text(&out.stdout)
    );
    let out = env.run(
        &["group", "checkin", "ローズ会", "--member", &member],
        Some(common::NEW_PASSWORD),
    );
    assert_eq!(code(&out), 0);
    assert!(text(&out.stdout).contains("もう済んでいます"));
    assert_eq!(count(&env.store(), "attendance"), 1);
    assert_eq!(
        sqlite3(&env.store(), "SELECT method FROM attendance"),
        "staff"
    );
}

#[test]
fn ten_thousand_members_import_in_one_transaction() {
    let env = Env::new();
    env.init();
    let groups = 20;
    for g in 0..groups {
        env.staff(&[
            "group",
            "add",
            "--name",
            &format!("試験グループ{g:02}"),
            "--schedule",
            "第1・第3火曜 13:30-15:30",
            "--room",
            "多目的室",
            "--until",
            &days_from_today(30),
        ]);
    }
    let kana = ["ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ"];
    let mut roster_text = String::from(HEADER);
    for i in 0..10_000u32 {
        let k: String = format!("{i:05}")
            .chars()
            .map(|c| kana[c.to_digit(10).unwrap() as usize])
            .collect();
        roster_text.push_str(&format!(
            "試験グループ{:02},試験 {i:05},シケン {k},090{:08}\n",
            i % groups,
            50_000_000 + i
        ));
    }
    let files = tempfile::tempdir().unwrap();
    let file = roster(&files, "big.csv", roster_text.as_bytes());
    // One bad line at the end refuses all 10,000.
    let mut bad = roster_text.clone();
    bad.push_str("試験グループ00,試験 末尾,シケン マツビ,090-1\n");
    let bad_file = roster(&files, "big-bad.csv", bad.as_bytes());
    let out = import(&env, &bad_file, false);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("10002行目: 電話番号"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(counts(&env), (0, 0, 0));

    let started = std::time::Instant::now();
    let out = import(&env, &file, false);
    let took = started.elapsed();
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    eprintln!("10,000 members imported by the debug binary in {took:?}");
    assert_eq!(counts(&env), (10_000, 10_000, 1));
    let db = env.store();
    assert_eq!(sqlite3(&db, "PRAGMA integrity_check"), "ok");
    let out = env.staff(&["audit", "verify"]);
    assert_eq!(code(&out), 0);
}
