//! Monthly reports: totals match the raw data, nothing personal leaves, the
//! CSV opens as the right table in an independent reader, signatures hold.

mod common;

use std::collections::HashSet;

use common::*;
use tsudoi::demo::{self, DemoSpec};
use tsudoi::report::csv::Encoding;
use tsudoi::report::suppress::Cell;
use tsudoi::report::{Month, Value, Wording, sign};
use tsudoi::store::sessions::Program;

fn demo_fixture() -> Fixture {
    let mut f = fixture_on(date(2026, 11, 23));
    demo::generate(
        &mut f.store,
        &f.manager,
        &DemoSpec {
            seed: 5,
            residents: 800,
            target_visits: 9_000,
            end: date(2026, 11, 23),
        },
    )
    .unwrap();
    f
}

#[test]
fn totals_equal_counts_computed_from_raw_attendance() {
    let f = demo_fixture();
    let month = Month::parse("2026-10").unwrap();
    let (mc, yc) = f.store.monthly_counts(&f.manager, month).unwrap();

    // Independently: every (participant, session date, program) from the raw file.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let mut stmt = conn
        .prepare("SELECT a.participant_id, s.date, s.program_id FROM attendance a JOIN sessions s ON s.id = a.session_id")
        .unwrap();
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let in_month = |d: &str| d.starts_with("2026-10");
    let in_fy = |d: &str| ("2026-04-01".."2026-11-01").contains(&d);
    for p in Program::ALL {
        let visits = rows
            .iter()
            .filter(|r| in_month(&r.1) && r.2 == p.code())
            .count() as u64;
        assert_eq!(mc.visits.get(&p).copied().unwrap_or(0), visits, "{p:?}");
        let people: HashSet<&String> = rows
            .iter()
            .filter(|r| in_month(&r.1) && r.2 == p.code())
            .map(|r| &r.0)
            .collect();
        assert_eq!(
            mc.distinct_by_program.get(&p).copied().unwrap_or(0),
            people.len() as u64
        );
        let fy_visits = rows
            .iter()
            .filter(|r| in_fy(&r.1) && r.2 == p.code())
            .count() as u64;
        assert_eq!(yc.visits.get(&p).copied().unwrap_or(0), fy_visits);
    }
    let people: HashSet<&String> = rows
        .iter()
        .filter(|r| in_month(&r.1))
        .map(|r| &r.0)
        .collect();
    assert_eq!(mc.distinct_total, people.len() as u64);
    assert_eq!(mc.by_age_band.iter().sum::<u64>(), people.len() as u64);
    assert_eq!(mc.by_town.values().sum::<u64>(), people.len() as u64);
    let fy_people: HashSet<&String> = rows.iter().filter(|r| in_fy(&r.1)).map(|r| &r.0).collect();
    assert_eq!(yc.distinct_total, fy_people.len() as u64);
    let sessions: i64 = conn
        .query_row(
            "SELECT count(*) FROM sessions WHERE date BETWEEN '2026-10-01' AND '2026-10-31'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mc.sessions_held.values().sum::<u64>(), sessions as u64);
    assert_eq!(mc.per_session.len() as u64, sessions as u64);
    // Ages are on the session date: nobody in the report is under 60.
    assert!(mc.by_age_band[6] <= mc.distinct_total);
}

#[test]
fn published_tables_hide_small_counts() {
    let f = demo_fixture();
    let report = f
        .store
        .monthly_report(
            &f.manager,
            Month::parse("2026-10").unwrap(),
            Wording::default(),
        )
        .unwrap();
    let mut hidden = 0;
    for table in report.tables() {
        for row in &table.rows {
            // Session counts (開催回数) are not about people; every other count is.
            for (v, column) in row.iter().zip(&table.columns) {
                if column == "開催回数" || column == "定員" {
                    continue;
                }
                if let Value::Count(c) = v {
                    match c {
                        Cell::Shown(n) => assert!(*n == 0 || *n > 9, "{}: {n} published", table.id),
                        _ => hidden += 1,
                    }
                }
            }
        }
    }
    assert!(hidden > 0, "the demo's town table has small cells");
}

#[test]
fn export_is_signed_contains_nothing_personal_and_opens_as_a_table() {
    let mut f = demo_fixture();
    let out = f.dir.path().join("report");
    let export = f
        .store
        .export_report(
            &f.manager,
            Month::parse("2026-10").unwrap(),
            &out,
            Encoding::Utf8Bom,
            Wording::default(),
        )
        .unwrap();
    assert_eq!(export.files.len(), 10, "nine files and the groups table");

    // No personal value of any participant in any byte of any file.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM participants")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let outputs: Vec<(String, String)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.display().to_string(),
                String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
            )
        })
        .collect();
    // The PDF's text as a reader extracts it (poppler's pdftotext).
    let pdf_text = std::process::Command::new("pdftotext")
        .args([
            out.join("tsudoi-2026-10-summary.pdf").to_str().unwrap(),
            "-",
        ])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(pdf_text.status.success());
    let pdf_text = String::from_utf8_lossy(&pdf_text.stdout).into_owned();
    assert!(
        pdf_text.contains("月次利用報告") && pdf_text.contains("2026年10月"),
        "{pdf_text}"
    );
    assert!(pdf_text.contains("地域交流支援"));
    // The audit log's checkpoint is in the folder, signed with the device
    // key (it opens with the verifier key of the set-up sheet), covers the
    // log up to its own entry, and its fingerprint is on the PDF.
    let cp_text = std::fs::read(out.join("tsudoi-2026-10-audit-checkpoint.txt")).unwrap();
    let verifier = tsudoi_tlog::note::Verifier::from_vkey(&f.store.audit_vkey().unwrap()).unwrap();
    let cp = tsudoi_tlog::Checkpoint::open(&cp_text, &verifier).unwrap();
    let (seq, action, record): (i64, String, String) = conn
        .query_row(
            "SELECT seq, action, record_id FROM audit WHERE action = 'checkpoint' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (action.as_str(), record.as_str()),
        ("checkpoint", "report:2026-10")
    );
    assert_eq!(cp.size(), seq as u64);
    let fingerprint = format!("{}件 {}", cp.size(), &cp.root().to_base64()[..16]);
    assert!(
        pdf_text.contains(&format!("監査ログのチェックポイント: {fingerprint}")),
        "{pdf_text}"
    );
    let mut outputs = outputs;
    outputs.push(("summary.pdf (text)".into(), pdf_text));
    for id in ids.iter().take(300) {
        let p = f.store.participant(&f.manager, id).unwrap();
        let mut needles = vec![
            p.name.to_string(),
            p.kana.to_string(),
            p.phone.to_string(),
            id.clone(),
        ];
        if let Some(b) = p.birth_date {
            needles.push(b.to_string());
            needles.push(tsudoi::eligibility::to_wareki(b));
        }
        for (name, text) in &outputs {
            for n in &needles {
                assert!(
                    !text.contains(n.as_str()),
                    "{name} contains a personal value"
                );
            }
        }
    }

    // Python's csv module reads the UTF-8-with-BOM file as the right table.
    let file = out.join("tsudoi-2026-10-programs.csv");
    let py = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding=sys.argv[2], newline='')))))",
            file.to_str().unwrap(),
            "utf-8-sig",
        ])
        .output()
        .expect("python3 runs");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let table: Vec<Vec<String>> = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(table[0], ["事業", "開催回数", "延べ参加者数", "実人数"]);
    assert_eq!(table[1][0], "いきがいつくり支援");
    assert_eq!(table[4][0], "合計");
    assert!(table.iter().all(|r| r.len() == 4));

    // verify: intact passes, with the right key; one changed byte fails; a wrong key fails.
    let key = sign::parse_public_key(&export.public_key).unwrap();
    assert_eq!(sign::verify_dir(&out, Some(&key)).unwrap().files.len(), 10);
    let other = sign::parse_public_key(&"ab".repeat(32));
    if let Ok(other) = other {
        assert!(sign::verify_dir(&out, Some(&other)).is_err());
    }
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x01;
    std::fs::write(&file, bytes).unwrap();
    let e = sign::verify_dir(&out, Some(&key)).unwrap_err().to_string();
    assert!(e.contains("tsudoi-2026-10-programs.csv"), "{e}");

    // The export is in the audit log, by file name only.
    let log = f.store.audit_entries(100_000).unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "export" && e.record_id == "report:2026-10")
    );
}

#[test]
fn cp932_export_reads_back_in_an_independent_reader() {
    let mut f = demo_fixture();
    let out = f.dir.path().join("sjis");
    f.store
        .export_report(
            &f.manager,
            Month::parse("2026-10").unwrap(),
            &out,
            Encoding::Cp932,
            Wording::default(),
        )
        .unwrap();
    let file = out.join("tsudoi-2026-10-age-bands.csv");
    let py = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='cp932', newline='')))))",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let table: Vec<Vec<String>> = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(table[0], ["年齢階級", "実人数"]);
    assert_eq!(table[1][0], "60～64歳");
    assert_eq!(table.last().unwrap()[0], "合計");
}

#[test]
fn export_refuses_a_non_empty_folder_and_needs_a_signed_in_staff() {
    let mut f = demo_fixture();
    let out = f.dir.path().join("busy");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("other.txt"), "x").unwrap();
    let e = f
        .store
        .export_report(
            &f.manager,
            Month::parse("2026-10").unwrap(),
            &out,
            Encoding::Utf8Bom,
            Wording::default(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("空ではありません"));
}

/// A system root with one USB stick mounted at `<root>/media/usb` and the
/// internal disk, as /proc and /sys show them.
fn fake_system_with_usb_stick(root: &std::path::Path) -> std::path::PathBuf {
    let usb = root.join("media/usb");
    std::fs::create_dir_all(&usb).unwrap();
    std::fs::create_dir_all(root.join("proc")).unwrap();
    std::fs::write(
        root.join("proc/mounts"),
        format!(
            "/dev/vda / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n/dev/sdb1 {} vfat rw,nosuid,nodev,noexec 0 0\n",
            usb.display()
        ),
    )
    .unwrap();
    let dev = root.join("sys/devices/platform/scb/usb2/2-1/2-1:1.0/host0/block/sdb");
    std::fs::create_dir_all(&dev).unwrap();
    std::fs::write(dev.join("removable"), "0\n").unwrap();
    std::fs::create_dir_all(root.join("sys/block/vda")).unwrap();
    std::fs::write(root.join("sys/block/vda/removable"), "0\n").unwrap();
    std::os::unix::fs::symlink(
        "../devices/platform/scb/usb2/2-1/2-1:1.0/host0/block/sdb",
        root.join("sys/block/sdb"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("dev/disk/by-label")).unwrap();
    std::os::unix::fs::symlink("../../sdb1", root.join("dev/disk/by-label/TSUDOI")).unwrap();
    usb
}

#[test]
fn export_to_a_usb_stick_is_read_back_and_entered_in_the_ledger() {
    let mut f = demo_fixture();
    let root = f.dir.path().join("root");
    let usb = fake_system_with_usb_stick(&root);
    let media = tsudoi::report::media::removable_media(&root);
    assert_eq!(media.len(), 1, "only the USB stick, not the internal disk");
    assert_eq!(media[0].mount_point, usb);
    assert_eq!(media[0].label.as_deref(), Some("TSUDOI"));

    let month = Month::parse("2026-10").unwrap();
    let export = f
        .store
        .export_report_to_medium(
            &f.manager,
            month,
            &media[0],
            "区への月次報告",
            Encoding::Utf8Bom,
            Wording::default(),
            None,
        )
        .unwrap();
    assert_eq!(export.dir, usb.join("tsudoi-report-2026-10"));
    // A second export the same month goes to a new folder, never over the first.
    let again = f
        .store
        .export_report_to_medium(
            &f.manager,
            month,
            &media[0],
            "再提出",
            Encoding::Utf8Bom,
            Wording::default(),
            None,
        )
        .unwrap();
    assert_eq!(again.dir, usb.join("tsudoi-report-2026-10-2"));

    let ledger = f.store.media_ledger().unwrap();
    assert_eq!(ledger.len(), 2);
    assert!(
        ledger
            .iter()
            .all(|e| e.verified && e.staff_id == MANAGER && e.medium.contains("TSUDOI"))
    );
    assert_eq!(ledger[0].purpose, "区への月次報告");
    assert_eq!(ledger[0].files.len(), 11, "the ten files and SIGNER.txt");
    let csv = tsudoi::report::media::ledger_csv(&ledger);
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8_lossy(&csv);
    assert!(text.contains("媒体") && text.contains("tsudoi-2026-10-summary.pdf"));
    let log = f.store.audit_entries(100).unwrap();
    assert_eq!(log.iter().filter(|e| e.result == "media_ledger").count(), 2);
}

#[test]
fn ward_merges_verified_sites_and_suppresses_the_sum() {
    use tsudoi::report::merge::{self, WardIdentity, WardRecipient};
    let work = tempfile::tempdir().unwrap();
    let (identity_text, public) = merge::generate_ward_key();
    let identity_path = work.path().join("ward.key");
    std::fs::write(&identity_path, identity_text.as_bytes()).unwrap();
    let ward = WardRecipient::parse(&public).unwrap();
    let month = Month::parse("2026-10").unwrap();

    let mut dirs = Vec::new();
    let mut visits = 0;
    let mut keys = Vec::new();
    for seed in [21u64, 22] {
        let mut f = fixture_on(date(2026, 11, 23));
        demo::generate(
            &mut f.store,
            &f.manager,
            &DemoSpec {
                seed,
                residents: 400,
                target_visits: 4_000,
                end: date(2026, 11, 23),
            },
        )
        .unwrap();
        let (mc, _) = f.store.monthly_counts(&f.manager, month).unwrap();
        visits += mc.visits.values().sum::<u64>();
        let dir = work.path().join(format!("site{seed}"));
        let export = f
            .store
            .export_report_for(
                &f.manager,
                month,
                &dir,
                Encoding::Utf8Bom,
                Wording::default(),
                Some(&ward),
            )
            .unwrap();
        assert!(export.files.iter().any(|n| n.ends_with("counts.json.age")));
        // The raw counts are not readable without the ward's key.
        let sealed = std::fs::read(dir.join("tsudoi-2026-10-counts.json.age")).unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("by_town"));
        keys.push(sign::parse_public_key(&export.public_key).unwrap());
        dirs.push(dir);
    }
    let identity = WardIdentity::from_file(&identity_path).unwrap();
    let out = work.path().join("ward");
    let merged = merge::merge_dirs(
        &dirs,
        &identity,
        &keys,
        &out,
        Encoding::Utf8Bom,
        Wording::default(),
        date(2026, 11, 24),
    )
    .unwrap();
    assert_eq!(merged.sites.len(), 2);
    let programs = std::fs::read_to_string(out.join("tsudoi-2026-10-ward-programs.csv")).unwrap();
    let total_row = programs.lines().find(|l| l.starts_with("合計")).unwrap();
    assert_eq!(
        total_row.split(',').nth(2).unwrap(),
        visits.to_string(),
        "{programs}"
    );

    // Refusals: the same site twice, an untrusted signer, a wrong key, a changed file.
    let twice = merge::merge_dirs(
        &[dirs[0].clone(), dirs[0].clone()],
        &identity,
        &[],
        &work.path().join("x1"),
        Encoding::Utf8Bom,
        Wording::default(),
        date(2026, 11, 24),
    );
    assert!(twice.unwrap_err().to_string().contains("2回"));
    let untrusted = merge::merge_dirs(
        &dirs,
        &identity,
        &keys[..1],
        &work.path().join("x2"),
        Encoding::Utf8Bom,
        Wording::default(),
        date(2026, 11, 24),
    );
    assert!(
        untrusted
            .unwrap_err()
            .to_string()
            .contains("登録された端末")
    );
    let (other_text, _) = merge::generate_ward_key();
    let other_path = work.path().join("other.key");
    std::fs::write(&other_path, other_text.as_bytes()).unwrap();
    let other = WardIdentity::from_file(&other_path).unwrap();
    let wrong = merge::merge_dirs(
        &dirs,
        &other,
        &[],
        &work.path().join("x3"),
        Encoding::Utf8Bom,
        Wording::default(),
        date(2026, 11, 24),
    );
    assert!(wrong.unwrap_err().to_string().contains("秘密鍵が違う"));
    let sealed = dirs[1].join("tsudoi-2026-10-counts.json.age");
    let mut bytes = std::fs::read(&sealed).unwrap();
    let n = bytes.len() - 1;
    bytes[n] ^= 1;
    std::fs::write(&sealed, bytes).unwrap();
    let changed = merge::merge_dirs(
        &dirs,
        &identity,
        &[],
        &work.path().join("x4"),
        Encoding::Utf8Bom,
        Wording::default(),
        date(2026, 11, 24),
    );
    assert!(changed.unwrap_err().to_string().contains("違います"));
}

#[test]
fn handlers_cannot_export_reports() {
    let mut f = fixture_on(date(2026, 11, 23));
    f.store
        .add_staff(
            &f.manager,
            "uketsuke2",
            tsudoi::store::Role::Handler,
            "Handler-first-22",
        )
        .unwrap();
    f.store
        .add_staff(
            &f.manager,
            "unei2",
            tsudoi::store::Role::Operator,
            "Operator-first-22",
        )
        .unwrap();
    let mut h = f.store.sign_in("uketsuke2", "Handler-first-22").unwrap();
    f.store
        .change_password(&mut h, "Handler-second-22")
        .unwrap();
    let month = Month::parse("2026-10").unwrap();
    assert!(matches!(
        f.store.monthly_counts(&h, month),
        Err(tsudoi::Error::NotPermitted { .. })
    ));
    let mut o = f.store.sign_in("unei2", "Operator-first-22").unwrap();
    f.store
        .change_password(&mut o, "Operator-second-22")
        .unwrap();
    assert!(f.store.monthly_counts(&o, month).is_ok());
}
