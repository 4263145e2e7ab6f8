//! The end of a record at the kiosk (issue 14): 「事故・点検」 →
//! 「保存期間を過ぎた記録」 lists the records with no visit for three whole
//! fiscal years by 登録番号 and date, and deletes them after a confirmation
//! — and a record's disclosure PDF is written to a (fake) USB stick
//! from 「直す・消す」 → 「開示用PDF」 — through Slint's testing backend,
//! as staff would tap. The store is checked with `sqlite3`, the stick with
//! `sha256sum` and `pdftotext`. 「契約終了の消去」 erases the store with the
//! recovery key typed on screen and writes the certificate to the stick.
//! All people and numbers are invented.

mod common;

use std::process::Command;
use std::time::Duration;

use chrono::NaiveTime;
use i_slint_backend_testing::mock_elapsed_time;
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::flows::oversight::adapter::{Oversight, OversightStep};
use tsudoi::kiosk::{KioskUi, Screen};
use tsudoi::store::Role;
use tsudoi::store::participants::short_id;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};

use common::media::{fake_system, stick};
use common::ui::{labelled, on_panel, open_record, press, sign_in, with_sticks};
use common::*;
use tsudoi::kiosk::flows::disclosure::adapter::{DiscloseStep, Disclosure};
use tsudoi::kiosk::flows::erasure::adapter::{Erasure, ErasureStep};

const HANDLER: &str = "tori01";
const OPERATOR: &str = "unei01";
const FIRST: &str = "Hajime-2026-pass";
const SECOND: &str = "Tsugi-2026-pass!";
/// Records registered in 2022 and never seen again: due in fiscal 2026.
const OLD: u32 = 7;

struct Kiosk {
    ui: KioskUi,
    root: std::path::PathBuf,
    path: std::path::PathBuf,
    /// The ids of the records due, oldest first, and the one kept.
    due: Vec<String>,
    kept: String,
    _dir: tempfile::TempDir,
}

const GIVEN: [(&str, &str); 8] = [
    ("一郎", "いちろう"),
    ("二郎", "じろう"),
    ("三郎", "さぶろう"),
    ("四郎", "しろう"),
    ("五郎", "ごろう"),
    ("六郎", "ろくろう"),
    ("七郎", "しちろう"),
    ("八郎", "はちろう"),
];

fn someone(n: u32) -> tsudoi::store::participants::NewParticipant {
    let (name, kana) = GIVEN[n as usize];
    resident(
        &format!("森 {name}"),
        &format!("もり {kana}"),
        &format!("090-5555-{:04}", 2000 + n),
        date(1950, 5, 5),
    )
}

/// Seven records registered on 1 June 2022, one of which came on
/// 1 April 2023 (kept); then fiscal 2026 (10 November), a handler and an
/// operator, and the kiosk on 800×480.
fn kiosk() -> Kiosk {
    let mut f = fixture_on(date(2022, 6, 1));
    let m = f.manager.clone();
    let mut due = Vec::new();
    for n in 0..OLD {
        due.push(f.store.register(&m, someone(n)).unwrap());
    }
    let kept = f.store.register(&m, someone(OLD)).unwrap();
    let day = date(2023, 4, 1);
    f.clock.set(tsudoi::clock::jst(day, 10, 0));
    let session = f
        .store
        .add_session(
            &m,
            NewSession {
                program: Program::Koryu,
                date: day,
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    f.store.check_in_by_staff(&m, &kept, &session).unwrap();
    f.store.sign_out(&m).unwrap();

    f.clock.set(tsudoi::clock::jst(date(2026, 11, 10), 10, 0));
    let m = f.store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    add_ready_staff(
        &mut f.store,
        &m,
        &[(HANDLER, Role::Handler), (OPERATOR, Role::Operator)],
        FIRST,
        SECOND,
    );
    f.store.sign_out(&m).unwrap();
    let root = f.dir.path().join("system");
    fake_system(&root, &[("sdb", "TSUDOI")]);
    let Fixture {
        dir, path, store, ..
    } = f;
    let ui = on_panel(store, with_sticks(&root, None));
    Kiosk {
        ui,
        root,
        path,
        due,
        kept,
        _dir: dir,
    }
}

fn step(ui: &KioskUi) -> OversightStep {
    ui.window().global::<Oversight>().get_step()
}

fn strings(m: slint::ModelRc<slint::SharedString>) -> Vec<String> {
    m.iter().map(|s| s.to_string()).collect()
}

fn lines(ui: &KioskUi) -> Vec<String> {
    strings(ui.window().global::<Oversight>().get_lines())
}

fn rows(ui: &KioskUi) -> Vec<String> {
    strings(ui.window().global::<Oversight>().get_rows())
}

fn sqlite(path: &std::path::Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(path).arg(sql).output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn a_handler_deletes_the_records_past_the_retention_period_after_a_confirmation() {
    let k = kiosk();
    let ui = &k.ui;
    sign_in(ui, HANDLER, SECOND);
    press(ui, "事故・点検");
    press(ui, "保存期間を過ぎた記録");
    assert_eq!(step(ui), OversightStep::Retention);
    assert_eq!(
        lines(ui),
        [
            "保存期間を過ぎた記録：7件（来所のない年度が3年度）",
            "最後の来所（または登録）が2023年4月1日より前の記録です。"
        ]
    );
    // 登録番号 and the date only, five to a page.
    let mut listed = rows(ui);
    assert_eq!(listed.len(), 5);
    let first = k.due.iter().map(|id| short_id(id)).min().unwrap();
    // Same day for all: in the order of their ids.
    assert_eq!(
        listed[0],
        format!("登録番号 {first}　最後の来所（登録） 2022年6月1日")
    );
    assert_eq!(ui.window().global::<Oversight>().get_page_info(), "1/2");
    press(ui, "次のページ");
    listed.extend(rows(ui));
    assert_eq!(listed.len(), OLD as usize);
    for id in &k.due {
        assert!(listed.iter().any(|r| r.contains(&short_id(id))), "{id}");
    }
    assert!(!listed.iter().any(|r| r.contains(&short_id(&k.kept))));
    assert!(
        !listed
            .iter()
            .any(|r| r.contains("森 ") || r.contains("モリ"))
    );

    // 「削除する」 asks first; 「もどる」 deletes nothing.
    press(ui, "削除する");
    assert_eq!(step(ui), OversightStep::RetentionConfirm);
    assert_eq!(lines(ui)[0], "7件の記録を削除します。元にはもどせません。");
    press(ui, "もどる");
    assert_eq!(step(ui), OversightStep::Retention);
    assert_eq!(sqlite(&k.path, "SELECT count(*) FROM participants"), "8");

    press(ui, "削除する");
    press(ui, "削除を確定する");
    assert_eq!(step(ui), OversightStep::RetentionDone);
    assert_eq!(lines(ui)[0], "7件の記録を削除しました。");
    assert_eq!(sqlite(&k.path, "SELECT id FROM participants"), k.kept);
    assert_eq!(
        sqlite(
            &k.path,
            "SELECT DISTINCT actor FROM audit WHERE action = 'delete' AND result = 'retention'"
        ),
        HANDLER
    );
    assert_eq!(
        sqlite(
            &k.path,
            "SELECT count(*) FROM audit WHERE action = 'delete' AND result = 'retention'"
        ),
        "7"
    );

    press(ui, "事故・点検にもどる");
    assert_eq!(step(ui), OversightStep::Menu);
    press(ui, "保存期間を過ぎた記録");
    assert_eq!(
        lines(ui),
        ["保存期間（来所のない年度が3年度）を過ぎた記録はありません。"]
    );
    // Nothing to delete: no 「削除する」.
    assert!(labelled(ui, "削除する").is_empty());
    press(ui, "もどる");
    assert_eq!(step(ui), OversightStep::Menu);
}

#[test]
fn an_operator_neither_sees_nor_reaches_the_retention_screen() {
    let k = kiosk();
    let ui = &k.ui;
    sign_in(ui, OPERATOR, SECOND);
    press(ui, "事故・点検");
    assert!(labelled(ui, "保存期間を過ぎた記録").is_empty());
    // Refused where the screen hides it, even when called anyway.
    ui.with_controller(|c| {
        c.oversight_retention();
        c.retention_delete();
        c.retention_confirm();
    });
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(step(ui), OversightStep::Menu);
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffOversight);
    assert!(ui.with_controller(|c| c.oversight().is_some_and(|o| o.retention.is_none())));
    assert_eq!(sqlite(&k.path, "SELECT count(*) FROM participants"), "8");
}

#[test]
fn nothing_of_the_retention_screen_stays_after_sign_out() {
    let k = kiosk();
    let ui = &k.ui;
    sign_in(ui, MANAGER, NEW_PASSWORD);
    press(ui, "事故・点検");
    press(ui, "保存期間を過ぎた記録");
    assert!(!rows(ui).is_empty());
    ui.with_controller(|c| c.sign_out());
    mock_elapsed_time(Duration::ZERO);
    assert!(rows(ui).is_empty());
    assert!(lines(ui).is_empty());
    assert!(ui.with_controller(|c| c.oversight().is_none()));
}

fn disclose_step(ui: &KioskUi) -> DiscloseStep {
    ui.window().global::<Disclosure>().get_step()
}

fn disclose_lines(ui: &KioskUi) -> Vec<String> {
    strings(ui.window().global::<Disclosure>().get_lines())
}

#[test]
fn a_handler_writes_a_residents_disclosure_pdf_to_the_stick_for_printing() {
    let k = kiosk();
    let ui = &k.ui;
    sign_in(ui, HANDLER, SECOND);
    open_record(ui, &["ハ", "チ"], "モリ ハチロウ（1950年生まれ）");
    press(ui, "直す・消す");
    // No stick yet: the screen says so, and looks again when asked.
    fake_system(&k.root, &[]);
    press(ui, "開示用PDFをUSBメモリに");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffDisclose);
    assert_eq!(disclose_step(ui), DiscloseStep::Insert);
    assert!(disclose_lines(ui)[0].starts_with("USBメモリが見つかりません。"));
    assert!(labelled(ui, "開示用PDFを書き出す").is_empty());
    fake_system(&k.root, &[("sdb", "TSUDOI")]);
    press(ui, "もう一度さがす");
    assert_eq!(disclose_step(ui), DiscloseStep::Ready);
    assert_eq!(disclose_lines(ui)[0], "USBメモリ：TSUDOI（/dev/sdb1）");

    press(ui, "開示用PDFを書き出す");
    assert_eq!(
        disclose_step(ui),
        DiscloseStep::Done,
        "{:?}",
        disclose_lines(ui)
    );
    let folder = format!("tsudoi-disclosure-{}", short_id(&k.kept));
    let file = format!("{folder}.pdf");
    let shown = disclose_lines(ui);
    assert!(shown.contains(&format!("フォルダ：{folder}")), "{shown:?}");
    assert!(shown.contains(&format!("ファイル：{file}")), "{shown:?}");

    // On the stick: the PDF and its sum, which sha256sum accepts.
    let dir = stick(&k.root, "TSUDOI").join(&folder);
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success());
    let text = Command::new("pdftotext")
        .args([dir.join(&file).as_os_str(), std::ffi::OsStr::new("-")])
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("保有個人情報の開示"), "{text}");
    assert!(text.contains(&short_id(&k.kept)), "{text}");
    assert!(text.contains("090-5555-2007"), "{text}");

    // The ledger has the file and its SHA-256, for the resident, by the
    // handler; the audit log has the disclosure.
    let sum = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let sum = sum.split_whitespace().next().unwrap();
    assert_eq!(
        sqlite(
            &k.path,
            "SELECT staff_id, purpose, verified FROM media_ledger"
        ),
        format!("{HANDLER}|本人への開示|1")
    );
    let files = sqlite(&k.path, "SELECT files FROM media_ledger");
    assert!(files.contains(&file) && files.contains(sum), "{files}");
    assert_eq!(
        sqlite(
            &k.path,
            &format!(
                "SELECT actor FROM audit WHERE action = 'export' AND record_id = '{}' AND fields = 'disclosure'",
                k.kept
            )
        ),
        HANDLER
    );

    press(ui, "もどる");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffEditMenu);
    assert!(ui.with_controller(|c| c.disclosure().is_none()));
    assert!(disclose_lines(ui).is_empty());
}

fn erasure_step(ui: &KioskUi) -> ErasureStep {
    ui.window().global::<Erasure>().get_step()
}

fn erasure_lines(ui: &KioskUi) -> Vec<String> {
    strings(ui.window().global::<Erasure>().get_lines())
}

#[test]
fn erasure_waits_for_the_last_monthly_report() {
    let k = kiosk();
    let ui = &k.ui;
    // Handlers do not see it.
    sign_in(ui, HANDLER, SECOND);
    press(ui, "事故・点検");
    assert!(labelled(ui, "契約終了の消去").is_empty());
    ui.with_controller(|c| c.erasure_open());
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffOversight);
    press(ui, "もどる");
    press(ui, "サインアウト");

    sign_in(ui, MANAGER, NEW_PASSWORD);
    press(ui, "事故・点検");
    press(ui, "契約終了の消去");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffErasure);
    assert_eq!(erasure_step(ui), ErasureStep::ReportDue);
    assert_eq!(
        erasure_lines(ui)[0],
        "2023年4月の受付の記録が、まだ区への月次報告に出ていません。"
    );
    assert!(labelled(ui, "次へ（回復キー）").is_empty());
    press(ui, "やめる（消去しない）");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffOversight);
    assert_eq!(sqlite(&k.path, "SELECT count(*) FROM participants"), "8");
}

#[test]
fn a_manager_erases_the_store_with_the_recovery_key_and_the_certificate_goes_to_the_stick() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tsudoi.db");
    let clock = std::sync::Arc::new(tsudoi::clock::FixedClock::jst(date(2026, 11, 10), 10, 0));
    let (mut store, mut manager, recovery) = tsudoi::store::Store::create(
        &path,
        "テスト施設",
        MANAGER,
        PASSWORD,
        policy(),
        tsudoi::eligibility::PostalTable::shinjuku(),
        clock,
    )
    .unwrap();
    store.change_password(&mut manager, NEW_PASSWORD).unwrap();
    store.register(&manager, someone(0)).unwrap();
    store.sign_out(&manager).unwrap();
    let key: String = recovery
        .to_display()
        .chars()
        .filter(|c| *c != '-')
        .collect();
    drop(recovery);
    let root = dir.path().join("system");
    fake_system(&root, &[]);
    let ui = &on_panel(store, with_sticks(&root, None));

    sign_in(ui, MANAGER, NEW_PASSWORD);
    press(ui, "事故・点検");
    press(ui, "契約終了の消去");
    assert_eq!(erasure_step(ui), ErasureStep::Plan);
    let plan = erasure_lines(ui);
    assert!(
        plan.iter().any(|l| l.starts_with("参加者の記録：1件　")),
        "{plan:?}"
    );
    press(ui, "次へ（回復キー）");
    assert_eq!(erasure_step(ui), ErasureStep::Key);
    // A short key is refused and cleared.
    for c in key.chars().take(3) {
        press(ui, &c.to_string());
    }
    assert!(erasure_lines(ui).contains(&"入力した文字数：3／55".to_owned()));
    press(ui, "回復キーを確かめる");
    assert_eq!(erasure_step(ui), ErasureStep::Key);
    let message = ui.window().global::<Erasure>().get_message();
    assert!(message.contains("文字数が正しくありません"), "{message}");
    assert!(erasure_lines(ui).contains(&"入力した文字数：0／55".to_owned()));
    for c in key.chars() {
        press(ui, &c.to_string());
    }
    // Only the count reaches the screen, never the key.
    let shown = erasure_lines(ui).join("\n");
    assert!(shown.contains("入力した文字数：55／55"), "{shown}");
    assert!(!shown.contains(&key[..8]));
    press(ui, "回復キーを確かめる");
    assert_eq!(erasure_step(ui), ErasureStep::Confirm);
    press(ui, "消去する");
    assert_eq!(erasure_step(ui), ErasureStep::ConfirmAgain);
    press(ui, "本当に消去する");
    assert_eq!(erasure_step(ui), ErasureStep::Stick);
    assert!(labelled(ui, "消去して証明書を書き出す").is_empty());
    fake_system(&root, &[("sdb", "TSUDOI")]);
    press(ui, "もう一度さがす");
    assert_eq!(erasure_lines(ui)[0], "USBメモリ：TSUDOI（/dev/sdb1）");
    press(ui, "消去して証明書を書き出す");

    assert_eq!(ui.with_controller(|c| c.screen()), Screen::Erased);
    let erased = strings(ui.window().global::<Erasure>().get_erased());
    assert_eq!(erased[0], "この端末の個人情報と鍵をすべて消去しました。");
    assert!(
        erased[1].contains("tsudoi-erasure-certificate"),
        "{erased:?}"
    );
    // The certificate folder on the stick checks with sha256sum, and its
    // files are the ones the erased store holds.
    let cert = stick(&root, "TSUDOI").join("tsudoi-erasure-certificate");
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&cert)
        .output()
        .unwrap();
    assert!(sums.status.success());
    let mut on_stick: Vec<String> = std::fs::read_dir(&cert)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_stick.sort();
    let held = sqlite(&path, "SELECT name FROM erasure_certificate ORDER BY name");
    assert_eq!(held, on_stick.join("\n"));
    assert_eq!(
        sqlite(
            &path,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ),
        "1"
    );

    // Nothing else runs: a card, the staff button, the idle timer.
    ui.on_card(Ok(tsudoi_hw::CardId::new(
        tsudoi_hw::Technology::Felica,
        &[1, 2, 3, 4, 5, 6, 7, 8],
    )
    .unwrap()));
    mock_elapsed_time(Duration::ZERO);
    assert!(labelled(ui, "スタッフのサインイン").is_empty());
    ui.with_controller(|c| {
        c.staff_start();
        c.back();
        c.on_timeout();
        c.tick();
    });
    mock_elapsed_time(Duration::from_secs(120));
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::Erased);
}

/// The ward's roster must go back before the erasure (contract clause 11):
/// the kiosk says so instead of the counts, and goes on once it has.
#[test]
fn erasure_waits_for_the_wards_roster_to_be_returned() {
    use tsudoi::report::merge::{WardRecipient, generate_ward_key};
    use tsudoi::store::groups::{NewGroup, Schedule};
    use tsudoi::store::ward_roster::ImportSource;
    let mut f = fixture_on(date(2026, 11, 10));
    let m = f.manager.clone();
    f.store
        .add_group(
            &m,
            NewGroup {
                name: "ローズ会".into(),
                schedule: Schedule::parse("第1・第3火曜 13:30-15:30").unwrap(),
                room: "多目的室".into(),
                from: date(2026, 11, 10),
                until: date(2026, 12, 31),
            },
        )
        .unwrap();
    let r = f
        .store
        .import_roster(
            &m,
            "グループ名,氏名,ふりがな,電話番号\nローズ会,森 一郎,もり いちろう,090-5555-3001\n"
                .as_bytes(),
            &ImportSource {
                file_name: "roster.csv".into(),
                medium: "test".into(),
                sha256: "0".repeat(64),
            },
            false,
        )
        .unwrap();
    assert!(r.problems.is_empty());
    f.store.sign_out(&m).unwrap();
    let Fixture {
        dir, path, store, ..
    } = f;
    let (identity, public) = generate_ward_key();
    let root = dir.path().join("system");
    fake_system(&root, &[]);
    let ui = &on_panel(
        store,
        with_sticks(&root, Some(WardRecipient::parse(&public).unwrap())),
    );
    sign_in(ui, MANAGER, NEW_PASSWORD);
    press(ui, "事故・点検");
    press(ui, "契約終了の消去");
    assert_eq!(erasure_step(ui), ErasureStep::ReportDue);
    let lines = erasure_lines(ui);
    assert!(
        lines[0].contains("会員名簿が、最後に変わってから区に返還されていません"),
        "{lines:?}"
    );
    assert!(lines[1].contains("tsudoi group return"), "{lines:?}");
    assert!(labelled(ui, "次へ（回復キー）").is_empty());

    // Returned from the kiosk: no stick, a clear sentence and nothing written.
    press(ui, "名簿を区に返す（USBメモリへ）");
    assert_eq!(erasure_step(ui), ErasureStep::ReportDue);
    let message = ui.window().global::<Erasure>().get_message().to_string();
    assert!(message.contains("USBメモリが見つかりません"), "{message}");
    assert_eq!(sqlite(&path, "SELECT count(*) FROM media_ledger"), "1");
    // With one stick: the roster goes to it, encrypted to the ward, signed,
    // in the ledger and the audit log, and the erasure shows its counts.
    fake_system(&root, &[("sdb", "TSUDOI")]);
    press(ui, "名簿を区に返す（USBメモリへ）");
    assert_eq!(erasure_step(ui), ErasureStep::Plan);
    let message = ui.window().global::<Erasure>().get_message().to_string();
    assert!(message.contains("tsudoi-ward-roster"), "{message}");
    let folder = stick(&root, "TSUDOI").join("tsudoi-ward-roster");
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&folder)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    let sealed: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "age"))
        .collect();
    assert_eq!(sealed.len(), 1);
    let bytes = std::fs::read(&sealed[0]).unwrap();
    assert!(!common::contains(&bytes, "森".as_bytes()));
    // Opened by the ward with the age command (Debian's age), not our code.
    let key_file = dir.path().join("ward.key");
    std::fs::write(&key_file, identity.as_bytes()).unwrap();
    let opened = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_file)
        .arg(&sealed[0])
        .output()
        .unwrap();
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    assert!(String::from_utf8_lossy(&opened.stdout).contains("ローズ会,森 一郎"));
    assert_eq!(
        sqlite(
            &path,
            "SELECT count(*) FROM media_ledger WHERE destination LIKE '区へ返還%'"
        ),
        "1"
    );
    assert_eq!(
        sqlite(
            &path,
            "SELECT count(*) FROM audit WHERE action = 'export' AND record_id LIKE 'roster_return:%' AND actor = 'kanri01'"
        ),
        "1"
    );
    press(ui, "やめる（消去しない）");
    press(ui, "契約終了の消去");
    assert_eq!(erasure_step(ui), ErasureStep::Plan);
    assert_eq!(sqlite(&path, "SELECT count(*) FROM participants"), "1");
}
