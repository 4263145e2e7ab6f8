//! 「事故・点検」 at the kiosk (issue 13): an incident recorded by tapping
//! through fixed lists, the inspection summary, and the ward's reports
//! written to a (fake) USB stick — through Slint's testing backend, as
//! staff would tap. The written folders are checked with `sha256sum`, the
//! store with `sqlite3`. All people and numbers are invented.

mod common;

use std::process::Command;
use std::time::Duration;

use i_slint_backend_testing::mock_elapsed_time;
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::flows::oversight::adapter::{Oversight, OversightStep};
use tsudoi::kiosk::{KioskUi, Screen};
use tsudoi::store::Role;
use tsudoi::store::incidents::{IncidentKind, Measure};

use common::media::{fake_system, stick};
use common::ui::{labelled, on_panel, press, sign_in, with_sticks};
use common::*;

const TODAY: (i32, u32, u32) = (2026, 11, 10);
const HANDLER: &str = "tori01";
const OPERATOR: &str = "unei01";
const FIRST: &str = "Hajime-2026-pass";
const SECOND: &str = "Tsugi-2026-pass!";
const NEEDLES: [&str; 3] = ["試験 夏子", "シケン ナツコ", "03-5550-7788"];

struct Kiosk {
    ui: KioskUi,
    root: std::path::PathBuf,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// A site with a registered resident, a handler and an operator (first
/// passwords already changed), one stick, and the kiosk on 800×480.
fn kiosk() -> Kiosk {
    let mut f = fixture_on(date(TODAY.0, TODAY.1, TODAY.2));
    f.store
        .register(
            &f.manager,
            resident(NEEDLES[0], NEEDLES[1], NEEDLES[2], date(1950, 7, 7)),
        )
        .unwrap();
    add_ready_staff(
        &mut f.store,
        &f.manager,
        &[(HANDLER, Role::Handler), (OPERATOR, Role::Operator)],
        FIRST,
        SECOND,
    );
    let root = f.dir.path().join("system");
    fake_system(&root, &[("sdb", "TSUDOI")]);
    let Fixture {
        dir,
        path,
        mut store,
        manager,
        ..
    } = f;
    store.sign_out(&manager).unwrap();
    let ui = on_panel(store, with_sticks(&root, None));
    Kiosk {
        ui,
        root,
        path,
        _dir: dir,
    }
}

fn step(ui: &KioskUi) -> OversightStep {
    ui.window().global::<Oversight>().get_step()
}

fn lines(ui: &KioskUi) -> Vec<String> {
    ui.window()
        .global::<Oversight>()
        .get_lines()
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn sqlite(path: &std::path::Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(path).arg(sql).output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Finishes an export that the report screen opened on the stick step.
fn write_to_stick(ui: &KioskUi) -> Vec<String> {
    press(ui, "次へ");
    press(ui, "書き出す");
    mock_elapsed_time(Duration::from_millis(200));
    assert!(
        !labelled(ui, "書き出して、読み戻しを確かめました").is_empty(),
        "{:?}",
        ui.with_controller(|c| c.month_report().map(|r| r.message.clone()))
    );
    ui.window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>()
        .get_result()
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn a_handler_records_an_incident_by_tapping_and_the_manager_sends_the_report() {
    let k = kiosk();
    let ui = &k.ui;
    sign_in(ui, HANDLER, SECOND);
    press(ui, "事故・点検");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffOversight);
    // A handler records, but neither reads the summary nor writes reports.
    assert!(labelled(ui, "点検用のまとめ").is_empty());
    assert!(labelled(ui, "取扱状況報告 先月").is_empty());
    press(ui, "事故を記録する");
    assert_eq!(step(ui), OversightStep::Kind);
    press(ui, IncidentKind::ShownToWrongPerson.label());
    assert_eq!(step(ui), OversightStep::Details);
    press(ui, "起きた日 前の日");
    // The day it happened cannot pass the day it was noticed.
    press(ui, "気づいた日 次の日");
    press(ui, "参加者の人数 1人ふやす");
    press(ui, "参加者の人数 1人ふやす");
    press(ui, "次へ");
    assert_eq!(step(ui), OversightStep::Measures);
    press(ui, Measure::WardInformed.short());
    press(ui, Measure::PoliceInformed.short());
    // Tapped again (now read out as chosen): off again.
    press(ui, &format!("{} 選択中", Measure::PoliceInformed.short()));
    assert!(!labelled(ui, "区に第一報 選択中").is_empty());
    press(ui, "次へ");
    assert_eq!(step(ui), OversightStep::Confirm);
    let confirm = lines(ui);
    assert!(
        confirm.contains(&"影響を受けた参加者：2人".to_owned()),
        "{confirm:?}"
    );
    assert!(
        confirm
            .iter()
            .any(|l| l.starts_with("起きた日：昨日 11月9日")),
        "{confirm:?}"
    );
    assert!(
        confirm
            .iter()
            .any(|l| l.starts_with("気づいた日：今日 11月10日")),
        "{confirm:?}"
    );
    press(ui, "記録する");
    assert_eq!(step(ui), OversightStep::Done);
    assert!(
        lines(ui).contains(&"事故の番号：2026-001".to_owned()),
        "{:?}",
        lines(ui)
    );

    // In the store, as chosen, and in the audit log by the handler.
    let row = sqlite(
        &k.path,
        "SELECT kind, occurred_on, found_on, people, records, measures, recorded_by FROM incident",
    );
    assert_eq!(
        row,
        "shown-to-wrong-person|2026-11-09|2026-11-10|2||ward-informed|tori01"
    );
    assert_eq!(
        sqlite(&k.path, "SELECT actor FROM audit WHERE action = 'incident'"),
        HANDLER
    );
    press(ui, "事故・点検にもどる");
    assert_eq!(step(ui), OversightStep::Menu);
    press(ui, "もどる");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffToday);
    press(ui, "サインアウト");

    // The manager writes the incident report to the stick from the list.
    sign_in(ui, MANAGER, NEW_PASSWORD);
    press(ui, "事故・点検");
    press(ui, "事故報告書 2026-001 別の人への個人情報の表示");
    let result = write_to_stick(ui);
    assert!(
        result.contains(&"フォルダ：tsudoi-incident-2026-001".to_owned()),
        "{result:?}"
    );
    let dir = stick(&k.root, "TSUDOI").join("tsudoi-incident-2026-001");
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success());
    for (path, bytes) in all_bytes(&dir) {
        for n in NEEDLES {
            assert!(!contains(&bytes, n.as_bytes()), "{n} in {path:?}");
        }
    }
    let ledger = ui.with_controller(|c| c.store().media_ledger().unwrap());
    assert_eq!(ledger.len(), 1);
    assert!(ledger[0].verified);
    assert_eq!(ledger[0].purpose, "区への事故報告");
    // Back to 「事故・点検」, not to the monthly report.
    press(ui, "事故・点検にもどる");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffOversight);
}

#[test]
fn the_operator_reads_the_inspection_summary_and_sends_the_handling_report() {
    let k = kiosk();
    let ui = &k.ui;
    sign_in(ui, OPERATOR, SECOND);
    press(ui, "事故・点検");
    // Operators do not write the roster or incident reports.
    assert!(labelled(ui, "スタッフ名簿 届出").is_empty());
    press(ui, "点検用のまとめ");
    assert_eq!(step(ui), OversightStep::Summary);
    let mut summary = Vec::new();
    let pages: usize = ui
        .window()
        .global::<Oversight>()
        .get_page_info()
        .split('/')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    for _ in 0..pages {
        summary.extend(lines(ui));
        press(ui, "次のページ");
    }
    let text = summary.join("\n");
    for s in [
        "施設：テスト施設",
        "スタッフ：取扱責任者1人・取扱者1人・運営者1人",
        "登録されている参加者：1人",
        "監査ログは改ざんされていません。",
        "事故の記録：なし",
    ] {
        assert!(text.contains(s), "{s} in {text}");
    }
    for n in NEEDLES {
        assert!(!text.contains(n));
    }
    press(ui, "もどる");
    assert_eq!(step(ui), OversightStep::Menu);
    press(ui, "取扱状況報告 先月");
    let summary: Vec<String> = ui
        .window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>()
        .get_summary()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        summary.contains(&"個人情報の取扱状況報告：2026年10月1日〜2026年10月31日".to_owned()),
        "{summary:?}"
    );
    let result = write_to_stick(ui);
    assert!(
        result.contains(&"フォルダ：tsudoi-handling-2026-10-01-2026-10-31".to_owned()),
        "{result:?}"
    );
    let dir = stick(&k.root, "TSUDOI").join("tsudoi-handling-2026-10-01-2026-10-31");
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success());
    assert!(
        dir.join("tsudoi-handling-2026-10-01-2026-10-31.pdf")
            .exists()
    );
    for (path, bytes) in all_bytes(&dir) {
        for n in NEEDLES {
            assert!(!contains(&bytes, n.as_bytes()), "{n} in {path:?}");
        }
    }
    // Refused where the screen hides them, even when called anyway.
    press(ui, "事故・点検にもどる");
    ui.with_controller(|c| c.oversight_roster());
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffOversight);
}

#[test]
fn nothing_of_the_oversight_screens_stays_after_sign_out() {
    let k = kiosk();
    let ui = &k.ui;
    sign_in(ui, MANAGER, NEW_PASSWORD);
    press(ui, "事故・点検");
    press(ui, "点検用のまとめ");
    assert!(!lines(ui).is_empty());
    ui.with_controller(|c| c.sign_out());
    mock_elapsed_time(Duration::ZERO);
    assert!(lines(ui).is_empty());
    assert!(ui.with_controller(|c| c.oversight().is_none() && c.incident_form().is_none()));
}
