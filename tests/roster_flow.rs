//! 「名簿の取り込み」: the flow's decisions and words over a fake store and
//! fake USB sticks (folders; no database, no Slint). All data invented.

mod common;

use std::path::Path;

use tsudoi::kiosk::flows::roster::{
    Failure, Kind, Line, ROWS, Roster, RosterStore, Step, csv_files, wording as w,
};
use tsudoi::report::sign::sha256_hex;
use tsudoi::store::ward_roster::{
    DiffEntry, ImportReport, ImportSource, MAX_BYTES, Problem, RosterDiff, RosterEncoding,
};
use zeroize::Zeroizing;

use common::media::{fake_system, stick};

/// Records every call; answers with `problems` or a clean diff.
#[derive(Default)]
struct Fake {
    calls: Vec<(Vec<u8>, ImportSource, bool)>,
    problems: Vec<Problem>,
    added: usize,
    linked: usize,
}

fn entry(line: usize, name: &str, kana: &str, changed: Vec<&'static str>) -> DiffEntry {
    DiffEntry {
        line: Some(line),
        group: "ローズ会".into(),
        participant_id: None,
        name: Zeroizing::new(name.into()),
        kana: Zeroizing::new(kana.into()),
        changed,
    }
}

impl RosterStore for Fake {
    fn import_roster(
        &mut self,
        bytes: &[u8],
        source: &ImportSource,
        dry_run: bool,
    ) -> tsudoi::Result<ImportReport> {
        self.calls.push((bytes.to_vec(), source.clone(), dry_run));
        let mut diff = RosterDiff::default();
        for i in 0..self.added {
            diff.added
                .push(entry(i + 2, "試験 花子", "しけん はなこ", vec![]));
        }
        // As the store does: a desk-registered match is added and linked.
        for i in 0..self.linked {
            diff.added
                .push(entry(i + 20, "見本 一郎", "みほん いちろう", vec![]));
            diff.linked
                .push(entry(i + 20, "見本 一郎", "みほん いちろう", vec![]));
        }
        diff.changed.push(entry(
            30,
            "架空 さくら",
            "かくう さくら",
            vec!["kana", "phone"],
        ));
        diff.unchanged = 4;
        Ok(ImportReport {
            encoding: RosterEncoding::Utf8Bom,
            members: 9,
            problems: self.problems.clone(),
            applied: !dry_run && self.problems.is_empty(),
            diff,
        })
    }
}

fn root() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("system");
    fake_system(&root, &[]);
    (dir, root)
}

const CSV: &[u8] =
    "グループ名,氏名,ふりがな,電話番号\nローズ会,試験 花子,しけん はなこ,03-5555-0101\n".as_bytes();

fn with_file(root: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    fake_system(root, &[("sdb", "TSUDOI")]);
    let path = stick(root, "TSUDOI").join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn no_stick_then_no_file_then_only_regular_csv_files_are_offered() {
    let (_d, root) = root();
    let mut r = Roster::default();
    r.scan(&root);
    assert_eq!(r.step(), Step::Insert);
    fake_system(&root, &[("sdb", "TSUDOI")]);
    let s = stick(&root, "TSUDOI");
    std::fs::write(s.join("memo.txt"), "x").unwrap();
    r.scan(&root);
    assert_eq!(r.step(), Step::NoFiles);
    std::fs::write(s.join("meibo.CSV"), CSV).unwrap();
    std::fs::write(s.join("._meibo.csv"), "x").unwrap();
    // A link pointing off the stick is never followed.
    let outside = root.join("secret.csv");
    std::fs::write(&outside, CSV).unwrap();
    std::os::unix::fs::symlink(&outside, s.join("link.csv")).unwrap();
    std::fs::create_dir(s.join("folder.csv")).unwrap();
    r.scan(&root);
    assert_eq!(r.step(), Step::Choose);
    let names: Vec<&str> = r.files().iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(names, ["meibo.CSV"]);
    assert_eq!(
        w::file_label(&r.files()[0]),
        "meibo.CSV　（TSUDOI（/dev/sdb1））"
    );
    assert_eq!(csv_files(&root).1.len(), 1);
}

#[test]
fn a_file_with_problems_shows_them_by_line_and_cannot_be_imported() {
    let (_d, root) = root();
    with_file(&root, "meibo.csv", CSV);
    let mut fake = Fake {
        problems: (0..4)
            .map(|i| Problem {
                line: i + 3,
                reason: "電話番号の形が正しくありません。".into(),
            })
            .collect(),
        ..Fake::default()
    };
    let mut r = Roster::default();
    r.scan(&root);
    r.choose(&mut fake, &root, 0);
    assert_eq!(r.step(), Step::Problems);
    assert!(!r.can_import());
    assert!(!r.holds_bytes(), "the bytes are wiped once checked");
    let c = r.counts().unwrap();
    assert_eq!(
        w::problems_summary(c),
        "名簿に問題が4件あります（文字コード: UTF-8（BOM付き））。"
    );
    assert_eq!(r.page_lines().len(), ROWS);
    assert_eq!(
        w::row(&r.page_lines()[0]).head,
        "3行目: 電話番号の形が正しくありません。"
    );
    r.page_step(1);
    assert_eq!(r.page_lines().len(), 1);
    assert_eq!(
        w::row(&r.page_lines()[0]).head,
        "6行目: 電話番号の形が正しくありません。"
    );
    r.import(&mut fake, &root);
    assert_eq!(fake.calls.len(), 1);
    assert!(fake.calls[0].2, "only the dry run");
}

#[test]
fn a_clean_file_shows_differences_then_imports_the_same_bytes() {
    let (_d, root) = root();
    with_file(&root, "meibo.csv", CSV);
    let mut fake = Fake {
        added: 2,
        linked: 1,
        ..Fake::default()
    };
    let mut r = Roster::default();
    r.scan(&root);
    r.choose(&mut fake, &root, 0);
    assert_eq!(r.step(), Step::Differences);
    assert!(r.can_import());
    // The desk-registered match comes first, as a warning.
    match &r.lines()[0] {
        Line::Entry(Kind::Linked, _) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(r.lines().len(), 4, "the match shows once: {:?}", r.lines());
    let first = w::row(&r.lines()[0]);
    assert_eq!(first.head, "20行目　ローズ会");
    assert!(first.warns);
    assert_eq!(first.tag, "注意");
    let changed = w::row(&r.lines()[3]);
    assert_eq!(changed.tag, "変更");
    assert_eq!(changed.detail, "変わる所: ふりがな・電話番号");
    assert_eq!(changed.head, "30行目　ローズ会");
    let c = r.counts().unwrap();
    assert!(w::differences_summary(c).starts_with("追加 3人　変更 1人　削除 0人　変わらない 4人"));
    assert!(w::differences_guide(c).contains("窓口で登録済み"));
    assert_eq!(r.pages(), 2);
    r.import(&mut fake, &root);
    assert_eq!(r.step(), Step::Imported);
    assert!(!r.holds_bytes());
    assert_eq!(fake.calls.len(), 2);
    let (check, import) = (&fake.calls[0], &fake.calls[1]);
    assert!(check.2 && !import.2);
    assert_eq!(import.0, CSV, "the bytes checked are the bytes imported");
    assert_eq!(import.1.sha256, sha256_hex(CSV));
    assert_eq!(import.1.medium, "TSUDOI（/dev/sdb1）");
    assert_eq!(import.1.file_name, "meibo.csv");
    assert!(w::imported_summary(r.counts().unwrap()).starts_with("名簿を取り込みました。"));
}

#[test]
fn a_file_changed_after_the_check_is_refused() {
    let (_d, root) = root();
    let path = with_file(&root, "meibo.csv", CSV);
    let mut fake = Fake::default();
    let mut r = Roster::default();
    r.scan(&root);
    r.choose(&mut fake, &root, 0);
    assert_eq!(r.step(), Step::Differences);
    let mut other = CSV.to_vec();
    other.extend_from_slice("ローズ会,見本 一郎,みほん いちろう,090-5555-0102\n".as_bytes());
    std::fs::write(&path, &other).unwrap();
    r.import(&mut fake, &root);
    assert_eq!(r.step(), Step::Failed);
    assert_eq!(r.failure(), Some(&Failure::FileChanged));
    assert!(w::failure(r.failure().unwrap()).contains("確かめ直して"));
    assert!(!r.holds_bytes());
    assert!(fake.calls.iter().all(|c| c.2), "nothing but the dry run");
}

#[test]
fn a_stick_pulled_out_before_the_import_is_refused() {
    let (_d, root) = root();
    with_file(&root, "meibo.csv", CSV);
    let mut fake = Fake::default();
    let mut r = Roster::default();
    r.scan(&root);
    r.choose(&mut fake, &root, 0);
    fake_system(&root, &[]);
    r.import(&mut fake, &root);
    assert_eq!(r.failure(), Some(&Failure::StickGone));
    assert!(fake.calls.iter().all(|c| c.2));
}

#[test]
fn a_file_over_the_limit_is_not_read() {
    let (_d, root) = root();
    let path = with_file(&root, "big.csv", CSV);
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(MAX_BYTES as u64 + 1).unwrap();
    let mut fake = Fake::default();
    let mut r = Roster::default();
    r.scan(&root);
    r.choose(&mut fake, &root, 0);
    assert_eq!(r.failure(), Some(&Failure::TooBig));
    assert!(fake.calls.is_empty());
    assert!(w::failure(r.failure().unwrap()).contains("16 MB"));
}
