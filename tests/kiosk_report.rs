//! The operator's monthly report at the kiosk: the controller on its own and
//! the screens through Slint's testing backend (mock time, no display). The
//! USB sticks are fake system trees (`proc/mounts`, `sys/block`, a folder as
//! the mount point). All people and numbers are invented.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Datelike, NaiveDate, NaiveTime};
use i_slint_backend_testing::{
    AccessibleRole, ElementQuery, init_no_event_loop, mock_elapsed_time,
};
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::controller::{
    CellKind, LEDGER_PURPOSE, ReportStep, TABLE_ROWS, Transfer, UsbExport,
};
use tsudoi::kiosk::flows::today::adapter::Today;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Screen};
use tsudoi::report::csv::Encoding;
use tsudoi::report::sign;
use tsudoi::store::attendance::{CheckInMethod, CheckInOutcome};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi::store::{Actor, Role};

use common::media::{fake_system, stick};
use common::ui::{labelled, press, type_text};
use common::*;

const TODAY: (i32, u32, u32) = (2026, 11, 10);
const OPERATOR: &str = "unei01";
const OPERATOR_FIRST: &str = "Unei-first-2026";
const OPERATOR_PASSWORD: &str = "Unei-second-2026";
const HANDLER: &str = "uketsuke01";
const HANDLER_PASSWORD: &str = "Uketsuke-2026-pw";

/// Invented residents: (name, kana, phone).
fn people() -> Vec<(String, String, String)> {
    let surnames = [
        ("青木", "アオキ"),
        ("石田", "イシダ"),
        ("上野", "ウエノ"),
        ("江口", "エグチ"),
        ("大森", "オオモリ"),
    ];
    let given = [
        ("一郎", "イチロウ"),
        ("花子", "ハナコ"),
        ("次郎", "ジロウ"),
        ("幸子", "サチコ"),
    ];
    let mut out = Vec::new();
    for (i, (s, sk)) in surnames.iter().enumerate() {
        for (j, (g, gk)) in given.iter().enumerate() {
            out.push((
                format!("{s} {g}"),
                format!("{sk} {gk}"),
                format!("03-5550-0{i}{j}{}", i + j),
            ));
        }
    }
    out
}

struct ReportFixture {
    f: Fixture,
    /// Personal values that must never reach the report screens.
    needles: Vec<String>,
    /// (week label, program label) → visits, computed from the raw database.
    chart: BTreeMap<(String, &'static str), u64>,
    /// The fake system root and its sticks' mount points.
    root: PathBuf,
}

/// October 2026 at an invented site: a weekly exercise class (介護予防), a
/// salon (地域交流支援) and two small go afternoons (いきがいつくり支援, 5
/// visits: `<10`, so 介護予防's visits are hidden too, `秘匿`). Today is
/// 10 November, with one salon today. An operator exists on its first
/// password, and a handler with a changed one.
fn report_fixture(extra_title: Option<&str>) -> ReportFixture {
    let today = date(TODAY.0, TODAY.1, TODAY.2);
    let mut f = fixture_on(today);
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let mut ids = Vec::new();
    let mut needles = Vec::new();
    for (n, (name, kana, phone)) in people().into_iter().enumerate() {
        let birth = date(1946 + (n as i32 % 8), 1 + (n as u32 % 12), 3);
        ids.push(
            f.store
                .register(&f.manager, resident(&name, &kana, &phone, birth))
                .unwrap(),
        );
        needles.push(name);
        needles.push(kana);
        needles.push(phone.replace('-', ""));
        needles.push(phone);
        needles.push(birth.to_string());
    }
    let oct = |d| date(2026, 10, d);
    let mut plan: Vec<(Program, String, NaiveDate, usize)> = vec![
        (Program::Koryu, "交流サロン".into(), oct(1), 11),
        (Program::Kaigo, "体操教室".into(), oct(2), 12),
        (Program::Koryu, "交流サロン".into(), oct(5), 15),
        (Program::Ikigai, "囲碁の会".into(), oct(7), 3),
        (Program::Kaigo, "体操教室".into(), oct(9), 13),
        (Program::Koryu, "交流サロン".into(), oct(12), 16),
        (Program::Kaigo, "体操教室".into(), oct(16), 11),
        (Program::Koryu, "交流サロン".into(), oct(19), 10),
        (Program::Ikigai, "囲碁の会".into(), oct(21), 2),
        (Program::Kaigo, "体操教室".into(), oct(23), 14),
        (Program::Koryu, "交流サロン".into(), oct(26), 12),
        (Program::Kaigo, "体操教室".into(), oct(30), 12),
        (Program::Koryu, "交流サロン".into(), today, 1),
    ];
    if let Some(title) = extra_title {
        plan.push((Program::Koryu, title.into(), oct(28), 12));
    }
    for (program, title, day, n) in plan {
        let session = f
            .store
            .add_session(
                &f.manager,
                NewSession {
                    program,
                    date: day,
                    start: t(10, 0),
                    end: t(11, 30),
                    title,
                    capacity: None,
                    mode: SessionMode::Open,
                },
            )
            .unwrap();
        for pid in ids.iter().take(n) {
            let outcome = f
                .store
                .check_in(
                    &Actor::Staff(f.manager.clone()),
                    pid,
                    &session,
                    CheckInMethod::Staff,
                )
                .unwrap();
            assert!(matches!(outcome, CheckInOutcome::CheckedIn { .. }));
        }
    }
    f.store
        .add_staff(&f.manager, OPERATOR, Role::Operator, OPERATOR_FIRST)
        .unwrap();
    f.store
        .add_staff(&f.manager, HANDLER, Role::Handler, "Uketsuke-first-26")
        .unwrap();
    let mut h = f.store.sign_in(HANDLER, "Uketsuke-first-26").unwrap();
    f.store.change_password(&mut h, HANDLER_PASSWORD).unwrap();
    f.store.sign_out(&h).unwrap();

    // The chart's values, independently: every October visit from the raw
    // file, by the Monday of its week (the first week starts on the 1st).
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let visits: Vec<(String, String)> = conn
        .prepare(
            "SELECT s.date, s.program_id FROM attendance a JOIN sessions s ON s.id = a.session_id
             WHERE s.date LIKE '2026-10-%'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut chart = BTreeMap::new();
    for monday in [1, 5, 12, 19, 26] {
        for p in Program::ALL {
            chart.insert((format!("10/{monday}〜"), p.label()), 0);
        }
    }
    for (day, program) in visits {
        let d = NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap();
        let monday = (d.day0() as i64 - d.weekday().num_days_from_monday() as i64).max(0) + 1;
        let p = Program::parse(&program).unwrap();
        *chart
            .get_mut(&(format!("10/{monday}〜"), p.label()))
            .unwrap() += 1;
    }
    let root = f.dir.path().join("system");
    fake_system(&root, &[("sdb", "TSUDOI")]);
    ReportFixture {
        f,
        needles,
        chart,
        root,
    }
}

fn config(root: &Path, ward: Option<tsudoi::report::merge::WardRecipient>) -> KioskConfig {
    KioskConfig {
        usb: UsbExport {
            media_root: root.to_owned(),
            ward,
        },
        ..KioskConfig::default()
    }
}

/// What stays with the test once the store is in the kiosk.
struct Rest {
    dir: tempfile::TempDir,
    path: PathBuf,
    clock: std::sync::Arc<tsudoi::clock::FixedClock>,
    needles: Vec<String>,
    chart: BTreeMap<(String, &'static str), u64>,
    root: PathBuf,
}

fn split(r: ReportFixture) -> (tsudoi::store::Store, Rest) {
    let ReportFixture {
        f,
        needles,
        chart,
        root,
    } = r;
    let Fixture {
        dir,
        path,
        clock,
        mut store,
        manager,
    } = f;
    store.sign_out(&manager).unwrap();
    (
        store,
        Rest {
            dir,
            path,
            clock,
            needles,
            chart,
            root,
        },
    )
}

// ---- the controller on its own ----

/// A kiosk whose operator (first password already changed) is signed in on
/// the Today screen.
fn operator_kiosk(
    r: ReportFixture,
    ward: Option<tsudoi::report::merge::WardRecipient>,
) -> (KioskController, Rest) {
    let (mut store, rest) = split(r);
    let mut o = store.sign_in(OPERATOR, OPERATOR_FIRST).unwrap();
    store.change_password(&mut o, OPERATOR_PASSWORD).unwrap();
    store.sign_out(&o).unwrap();
    let mut c = KioskController::new(store, config(&rest.root, ward));
    sign_in(&mut c, OPERATOR, OPERATOR_PASSWORD);
    (c, rest)
}

fn sign_in(c: &mut KioskController, id: &str, password: &str) {
    c.staff_start();
    for k in id.chars() {
        c.key(&k.to_string());
    }
    c.focus(tsudoi::kiosk::Field::Second);
    for k in password.chars() {
        c.key(&k.to_string());
    }
    c.submit();
    assert_eq!(c.screen(), Screen::StaffToday, "{}", c.staff_message());
}

fn step(c: &KioskController) -> Option<ReportStep> {
    c.month_report().map(|r| r.step)
}

#[test]
fn month_chooser_starts_on_last_month_and_never_passes_the_current_one() {
    let (mut c, _rest) = operator_kiosk(report_fixture(None), None);
    assert!(c.report_available());
    c.report_start();
    assert_eq!(c.screen(), Screen::StaffReport);
    let month = |c: &KioskController| c.month_report().unwrap().step_title();
    assert_eq!(month(&c), "2026年10月");
    let r = c.month_report().unwrap();
    assert!(r.can_go_forward() && r.can_go_back());
    assert_eq!(r.tab_labels().last(), Some(&"グラフ"));
    let programs = r.table().unwrap();
    assert_eq!(programs.id, "programs");
    assert_eq!(programs.rows[0][2].text, "<10");
    assert_eq!(programs.rows[0][2].kind, CellKind::Small);
    assert_eq!(programs.rows[2][2].kind, CellKind::Secondary);
    c.report_month(1);
    assert_eq!(month(&c), "2026年11月");
    assert!(!c.month_report().unwrap().can_go_forward());
    c.report_month(1);
    assert_eq!(month(&c), "2026年11月", "never beyond the current month");
    for _ in 0..11 {
        c.report_month(-1);
    }
    assert_eq!(month(&c), "2025年12月", "across the year");
    c.report_back();
    assert_eq!(c.screen(), Screen::StaffToday);
    assert!(c.month_report().is_none(), "leaving drops the report");
}

#[test]
fn long_tables_are_paged_by_rows_with_their_position_shown() {
    let (mut c, _rest) = operator_kiosk(report_fixture(None), None);
    c.report_start();
    let sessions = c
        .month_report()
        .unwrap()
        .tables
        .iter()
        .position(|t| t.id == "sessions")
        .unwrap();
    c.report_tab(sessions);
    let r = c.month_report().unwrap();
    // 12 October sessions: two pages of six.
    assert_eq!(r.table().unwrap().rows.len(), 12);
    assert_eq!(r.visible_rows().len(), TABLE_ROWS);
    assert_eq!(r.rows_info(), "1〜6行目／全12行");
    // Grouped by program, as published: the go afternoons first.
    assert_eq!(r.visible_rows()[0][0].text, "2026-10-07");
    assert_eq!(r.visible_rows()[0][1].text, "いきがいつくり支援");
    c.report_rows(1);
    let r = c.month_report().unwrap();
    assert_eq!(r.rows_info(), "7〜12行目／全12行");
    assert_eq!(r.visible_rows()[0][0].text, "2026-10-26");
    c.report_rows(1);
    assert_eq!(
        c.month_report().unwrap().row_page,
        1,
        "stops at the last page"
    );
    // The programs table fits on one page: no row buttons.
    c.report_tab(0);
    assert_eq!(c.month_report().unwrap().rows_info(), "");
}

#[test]
fn export_writes_a_verifiable_folder_on_the_stick_and_enters_it_in_the_ledger() {
    let (mut c, rest) = operator_kiosk(report_fixture(None), None);
    c.report_start();
    c.report_export_start();
    let r = c.month_report().unwrap();
    assert_eq!(r.step, ReportStep::Media);
    assert_eq!(r.media.len(), 1);
    assert_eq!(r.medium, Some(0), "a single stick is chosen for you");
    c.report_next();
    assert_eq!(step(&c), Some(ReportStep::Options));
    c.report_next();
    assert_eq!(step(&c), Some(ReportStep::Confirm));
    let summary = c.month_report().unwrap().summary(false).join("\n");
    assert!(summary.contains("2026年10月") && summary.contains("TSUDOI（/dev/sdb1）"));
    assert!(summary.contains("区への月次報告"), "{summary}");
    c.report_confirm();
    assert_eq!(step(&c), Some(ReportStep::Writing));
    c.report_write();
    assert_eq!(
        step(&c),
        Some(ReportStep::Done),
        "{}",
        c.month_report().unwrap().message
    );

    let dir = stick(&rest.root, "TSUDOI").join("tsudoi-report-2026-10");
    let key = c.store().device_public_key().unwrap().unwrap();
    let verified = sign::verify_dir(&dir, Some(&sign::parse_public_key(&key).unwrap())).unwrap();
    assert_eq!(verified.files.len(), 10);
    let lines = c.month_report().unwrap().result_lines().join("\n");
    assert!(lines.contains("tsudoi-report-2026-10"), "{lines}");
    assert!(lines.contains("10件（ほかに署名のファイル3件）"), "{lines}");
    assert!(
        lines.contains(&key[..16]) && !lines.contains(&key[..17]),
        "{lines}"
    );
    assert!(lines.contains("管理簿に記録しました"), "{lines}");

    let ledger = c.store().media_ledger().unwrap();
    assert_eq!(ledger.len(), 1);
    assert!(ledger[0].verified);
    assert_eq!(ledger[0].staff_id, OPERATOR);
    assert_eq!(ledger[0].purpose, "区への月次報告");
    assert_eq!(ledger[0].files.len(), 11, "the ten files and SIGNER.txt");
    let verdict = c.store_mut().verify_audit(&Actor::Kiosk).unwrap();
    assert!(matches!(
        verdict,
        tsudoi::store::audit::ChainVerdict::Intact { .. }
    ));
    let log = c.store().audit_entries(1000).unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "export" && e.record_id == "report:2026-10")
    );
    assert!(
        log.iter()
            .any(|e| e.action == "export" && e.result == "media_ledger")
    );
    drop(rest);
}

#[test]
fn exports_carry_the_counts_for_the_ward_when_its_key_is_configured() {
    let (_, public) = tsudoi::report::merge::generate_ward_key();
    let ward = tsudoi::report::merge::WardRecipient::parse(&public).unwrap();
    let (mut c, rest) = operator_kiosk(report_fixture(None), Some(ward));
    c.report_start();
    c.report_export_start();
    c.report_next();
    c.report_next();
    assert!(
        c.month_report()
            .unwrap()
            .summary(true)
            .join("\n")
            .contains("区の集計用（暗号化）1")
    );
    c.report_export();
    assert_eq!(step(&c), Some(ReportStep::Done));
    let dir = stick(&rest.root, "TSUDOI").join("tsudoi-report-2026-10");
    assert!(dir.join("tsudoi-2026-10-counts.json.age").is_file());
}

#[test]
fn cp932_refusal_names_the_character_and_writes_nothing() {
    let (mut c, rest) = operator_kiosk(report_fixture(Some("𠮷祥寺さんぽ")), None);
    c.report_start();
    c.report_export_start();
    c.report_next();
    c.report_encoding(Encoding::Cp932);
    assert!(
        c.month_report()
            .unwrap()
            .encoding_note()
            .contains("Shift_JIS")
    );
    c.report_next();
    c.report_export();
    let r = c.month_report().unwrap();
    assert_eq!(r.step, ReportStep::Failed);
    assert!(r.message.contains("𠮷"), "{}", r.message);
    assert!(r.message.contains("UTF-8（標準）"), "{}", r.message);
    assert!(!r.message.contains("--encoding"), "{}", r.message);
    let on_stick: Vec<_> = std::fs::read_dir(stick(&rest.root, "TSUDOI"))
        .unwrap()
        .collect();
    assert!(on_stick.is_empty(), "nothing written");
    assert!(c.store().media_ledger().unwrap().is_empty());
    // Back to the stick; UTF-8 works.
    c.report_retry();
    assert_eq!(step(&c), Some(ReportStep::Media));
    c.report_next();
    c.report_encoding(Encoding::Utf8Bom);
    c.report_next();
    c.report_export();
    assert_eq!(step(&c), Some(ReportStep::Done));
}

#[test]
fn a_stick_pulled_out_before_writing_is_reported_and_nothing_lands_on_the_card() {
    let (mut c, rest) = operator_kiosk(report_fixture(None), None);
    c.report_start();
    c.report_export_start();
    c.report_next();
    c.report_next();
    // Unplugged: no longer in the mount table, its empty mount point remains.
    fake_system(&rest.root, &[]);
    c.report_export();
    let r = c.month_report().unwrap();
    assert_eq!(r.step, ReportStep::Failed);
    assert!(
        r.message.contains("USBメモリが見つかりません"),
        "{}",
        r.message
    );
    let left: Vec<_> = std::fs::read_dir(stick(&rest.root, "TSUDOI"))
        .unwrap()
        .collect();
    assert!(
        left.is_empty(),
        "nothing written into the empty mount point"
    );
    assert!(c.store().media_ledger().unwrap().is_empty());
}

#[test]
fn the_ledger_pages_newest_first_and_its_csv_goes_onto_the_stick_and_into_the_ledger() {
    let (mut c, rest) = operator_kiosk(report_fixture(None), None);
    c.report_start();
    for _ in 0..4 {
        c.report_export_start();
        c.report_next();
        c.report_next();
        c.report_export();
        assert_eq!(step(&c), Some(ReportStep::Done));
        c.report_back();
    }
    c.report_ledger();
    let r = c.month_report().unwrap();
    assert_eq!(r.step, ReportStep::Ledger);
    assert_eq!(r.ledger.len(), 4);
    assert_eq!(r.ledger_pages(), 2);
    assert_eq!(r.visible_ledger().len(), 3);
    assert!(
        r.ledger
            .iter()
            .all(|e| e.verified && e.files == 11 && e.staff_id == OPERATOR)
    );
    assert!(
        r.ledger[0].when.starts_with("2026年11月10日"),
        "{}",
        r.ledger[0].when
    );
    c.report_ledger_page(1);
    assert_eq!(c.month_report().unwrap().visible_ledger().len(), 1);

    c.report_ledger_export();
    assert_eq!(step(&c), Some(ReportStep::Media));
    assert_eq!(c.month_report().unwrap().transfer, Transfer::Ledger);
    c.report_next();
    assert_eq!(
        step(&c),
        Some(ReportStep::Confirm),
        "no settings for the ledger"
    );
    c.report_export();
    assert_eq!(
        step(&c),
        Some(ReportStep::Done),
        "{}",
        c.month_report().unwrap().message
    );
    let csv = std::fs::read(
        stick(&rest.root, "TSUDOI").join("tsudoi-ledger-2026-11-10/tsudoi-media-ledger.csv"),
    )
    .unwrap();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF], "opens in Excel");
    let text = String::from_utf8_lossy(&csv);
    assert_eq!(text.matches("tsudoi-2026-10-summary.pdf").count(), 4);
    // The ledger's own trip is in the ledger.
    let ledger = c.store().media_ledger().unwrap();
    assert_eq!(ledger.len(), 5);
    let last = ledger.last().unwrap();
    assert_eq!(last.purpose, LEDGER_PURPOSE);
    assert!(last.verified);
    assert_eq!(last.files[0].name, "tsudoi-media-ledger.csv");
    c.report_back();
    assert_eq!(step(&c), Some(ReportStep::Ledger), "back to the ledger");
    assert_eq!(c.month_report().unwrap().ledger.len(), 5, "read again");
}

#[test]
fn handlers_cannot_open_the_report_and_sign_out_drops_it() {
    let (mut store, rest) = split(report_fixture(None));
    let _ = &mut store;
    let mut c = KioskController::new(store, config(&rest.root, None));
    sign_in(&mut c, HANDLER, HANDLER_PASSWORD);
    assert!(!c.report_available());
    c.report_start();
    assert_eq!(c.screen(), Screen::StaffToday);
    assert!(c.month_report().is_none());
    assert!(
        c.staff_message().contains("運営者と取扱責任者"),
        "{}",
        c.staff_message()
    );
    c.sign_out();

    sign_in(&mut c, MANAGER, NEW_PASSWORD);
    assert!(c.report_available(), "managers may");
    c.report_start();
    assert_eq!(c.screen(), Screen::StaffReport);
    c.sign_out();
    assert!(c.month_report().is_none());
    assert!(!c.report_available());
    // Nothing works without a signed-in staff member.
    c.report_export_start();
    c.report_ledger();
    assert!(c.month_report().is_none());
}

// ---- the screens ----

fn value(ui: &KioskUi, label: &str) -> String {
    let found = labelled(ui, label);
    assert_eq!(found.len(), 1, "one element labelled {label:?}");
    found[0].accessible_value().unwrap_or_default().to_string()
}

fn start_ui(r: ReportFixture) -> (KioskUi, Rest) {
    init_no_event_loop();
    let (store, rest) = split(r);
    let ui = KioskUi::new(KioskController::new(store, config(&rest.root, None))).unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    (ui, rest)
}

/// The operator's first sign-in on screen, with the forced password change.
fn operator_signs_in(ui: &KioskUi) {
    press(ui, "スタッフのサインイン");
    type_text(ui, OPERATOR);
    press(ui, "パスワード");
    type_text(ui, OPERATOR_FIRST);
    press(ui, "サインイン");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffChangePassword));
    press(ui, "新しいパスワード");
    type_text(ui, OPERATOR_PASSWORD);
    press(ui, "もう一度");
    type_text(ui, OPERATOR_PASSWORD);
    press(ui, "変更する");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
}

/// Every text the screen shows or tells a screen reader, and every string
/// of the report's global.
fn everything_on_screen(ui: &KioskUi) -> String {
    let mut out = String::new();
    for e in ElementQuery::from_root(ui.window())
        .match_descendants()
        .find_all()
    {
        for s in [e.accessible_label(), e.accessible_value()]
            .into_iter()
            .flatten()
        {
            out.push_str(&s);
            out.push('\n');
        }
    }
    let g = ui
        .window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>();
    for s in [
        g.get_heading(),
        g.get_caption(),
        g.get_message(),
        g.get_rows_info(),
    ] {
        out.push_str(&s);
        out.push('\n');
    }
    for row in g.get_rows().iter() {
        for cell in row.cells.iter() {
            out.push_str(&format!("{} {}\n", cell.label, cell.text));
        }
    }
    for w in g.get_weeks().iter() {
        for b in w.bars.iter() {
            out.push_str(&format!("{} {}\n", b.label, b.value));
        }
    }
    for list in [g.get_summary(), g.get_result()] {
        for s in list.iter() {
            out.push_str(&s);
            out.push('\n');
        }
    }
    for e in g.get_ledger().iter() {
        out.push_str(&format!(
            "{} {} {} {}\n",
            e.when, e.staff, e.detail, e.summary
        ));
    }
    for t in ui.window().global::<Today>().get_rows().iter() {
        out.push_str(&format!("{} {}\n", t.title, t.names));
    }
    out
}

fn assert_nothing_personal(ui: &KioskUi, needles: &[String]) {
    let text = everything_on_screen(ui);
    assert!(!text.is_empty());
    for n in needles {
        assert!(
            !text.contains(n.as_str()),
            "a personal value is on the report screens"
        );
    }
}

fn report_step(ui: &KioskUi) -> tsudoi::kiosk::flows::report::adapter::ReportStep {
    ui.window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>()
        .get_step()
}

#[test]
fn operator_sees_the_month_with_hidden_cells_marked_and_the_chart_by_week_and_program() {
    let r = report_fixture(None);
    let (ui, rest) = start_ui(r);
    operator_signs_in(&ui);
    // Operators see head counts on Today, never names, and no way into
    // residents' records.
    assert!(
        ui.window()
            .global::<Today>()
            .get_rows()
            .iter()
            .all(|s| s.names.is_empty())
    );
    assert!(labelled(&ui, "さがす").is_empty());
    assert!(labelled(&ui, "新しい方の登録").is_empty());
    press(&ui, "月の報告");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffReport));
    assert_eq!(value(&ui, "対象の月"), "2026年10月");
    assert_eq!(value(&ui, "表の名前"), "2026年10月 事業別の利用状況");

    // The programs table as published: 5 go visits are <10, which hides the
    // exercise class's visits too; the salon's are shown.
    assert_eq!(value(&ui, "いきがいつくり支援 延べ参加者数"), "<10");
    assert_eq!(value(&ui, "介護予防 延べ参加者数"), "秘匿");
    assert_eq!(value(&ui, "地域交流支援 延べ参加者数"), "64");
    assert_eq!(value(&ui, "合計 延べ参加者数"), "131");
    let g = ui
        .window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>();
    let kinds: Vec<_> = g
        .get_rows()
        .iter()
        .map(|row| row.cells.row_data(2).unwrap().kind)
        .collect();
    use tsudoi::kiosk::flows::report::adapter::ReportCellKind as K;
    assert_eq!(kinds[..3], [K::Small, K::Number, K::Hidden]);
    assert!(value(&ui, "表の見かた").contains("1〜9人"));
    assert_nothing_personal(&ui, &rest.needles);

    // The chart: three bars a week, each readable with its value.
    press(&ui, "グラフ");
    assert!(g.get_chart_shown());
    assert_eq!(rest.chart.len(), 15);
    for ((week, program), visits) in &rest.chart {
        assert_eq!(
            value(&ui, &format!("{week} {program}")),
            visits.to_string(),
            "{week} {program}"
        );
    }
    assert_eq!(rest.chart[&("10/5〜".to_owned(), "地域交流支援")], 15);
    assert_eq!(rest.chart[&("10/19〜".to_owned(), "いきがいつくり支援")], 2);
    let weeks: Vec<String> = labelled(&ui, "週")
        .iter()
        .map(|w| w.accessible_value().unwrap().to_string())
        .collect();
    assert_eq!(weeks, ["10/1〜", "10/5〜", "10/12〜", "10/19〜", "10/26〜"]);
    assert_nothing_personal(&ui, &rest.needles);

    // Months: forward to the current one, not beyond.
    press(&ui, "次の月");
    assert_eq!(value(&ui, "対象の月"), "2026年11月");
    let next = labelled(&ui, "次の月");
    assert_eq!(
        next[0].accessible_enabled(),
        Some(false),
        "says it is unavailable"
    );
    press(&ui, "次の月");
    assert_eq!(value(&ui, "対象の月"), "2026年11月");
    press(&ui, "前の月");
    assert_eq!(value(&ui, "対象の月"), "2026年10月");

    // The long table pages by rows with visible buttons.
    press(&ui, "開催回");
    assert_eq!(value(&ui, "表示している行"), "1〜6行目／全12行");
    press(&ui, "次の行");
    assert_eq!(value(&ui, "表示している行"), "7〜12行目／全12行");
    assert_nothing_personal(&ui, &rest.needles);
    drop(rest.dir);
}

#[test]
fn operator_exports_to_the_stick_from_the_screen_and_the_ward_can_verify_it() {
    let r = report_fixture(None);
    let (ui, rest) = start_ui(r);
    operator_signs_in(&ui);
    press(&ui, "月の報告");
    press(&ui, "USBメモリに書き出す");
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Media
    );
    let g = ui
        .window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>();
    assert!(g.get_media().row_data(0).unwrap().selected);
    press(&ui, "次へ");
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Options
    );
    assert!(!labelled(&ui, "UTF-8（標準）").is_empty());
    assert!(!labelled(&ui, "CP932（Shift_JIS）").is_empty());
    assert!(!labelled(&ui, "区への月次報告").is_empty());
    press(&ui, "次へ");
    assert_nothing_personal(&ui, &rest.needles);
    press(&ui, "書き出す");
    // 「書き出しています…」 is drawn before the work starts.
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Writing
    );
    assert!(!labelled(&ui, "書き出しています…").is_empty());
    mock_elapsed_time(Duration::from_millis(200));
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Done
    );
    assert!(!labelled(&ui, "書き出して、読み戻しを確かめました").is_empty());
    let result: Vec<String> = g.get_result().iter().map(|s| s.to_string()).collect();
    assert!(
        result
            .iter()
            .any(|l| l == "フォルダ：tsudoi-report-2026-10"),
        "{result:?}"
    );
    assert!(
        result.iter().any(|l| l == "管理簿に記録しました。"),
        "{result:?}"
    );
    assert_nothing_personal(&ui, &rest.needles);

    let dir = stick(&rest.root, "TSUDOI").join("tsudoi-report-2026-10");
    let (key, ledger) = ui.with_controller(|c| {
        (
            c.store().device_public_key().unwrap().unwrap(),
            c.store().media_ledger().unwrap(),
        )
    });
    assert!(result.iter().any(|l| l.contains(&key[..16])), "{result:?}");
    sign::verify_dir(&dir, Some(&sign::parse_public_key(&key).unwrap())).unwrap();
    assert_eq!(ledger.len(), 1);
    assert!(ledger[0].verified && ledger[0].staff_id == OPERATOR);
    // The ward opens it in Excel: the program CSV starts with a BOM.
    let csv = std::fs::read(dir.join("tsudoi-2026-10-programs.csv")).unwrap();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    assert!(String::from_utf8_lossy(&csv).contains("いきがいつくり支援,"));

    // The ledger on screen shows the verified transfer.
    press(&ui, "管理簿を見る");
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Ledger
    );
    let entry = value(&ui, "管理簿の記録");
    assert!(
        entry.contains(OPERATOR) && entry.contains("読み戻し確認済"),
        "{entry}"
    );
    assert!(
        entry.contains("TSUDOI") && entry.contains("区への月次報告"),
        "{entry}"
    );
    assert_nothing_personal(&ui, &rest.needles);
    let (verdict, log) = ui.with_controller(|c| {
        (
            c.store_mut().verify_audit(&Actor::Kiosk).unwrap(),
            c.store().audit_entries(1000).unwrap(),
        )
    });
    assert!(matches!(
        verdict,
        tsudoi::store::audit::ChainVerdict::Intact { .. }
    ));
    assert!(
        log.iter()
            .any(|e| e.record_id == "report:2026-10" && e.actor == OPERATOR)
    );
    drop(rest.dir);
}

#[test]
fn no_stick_asks_for_one_and_a_second_look_finds_it() {
    let r = report_fixture(None);
    let (ui, rest) = start_ui(r);
    fake_system(&rest.root, &[]);
    operator_signs_in(&ui);
    press(&ui, "月の報告");
    press(&ui, "USBメモリに書き出す");
    assert!(!labelled(&ui, "USBメモリを差し込んでください").is_empty());
    assert!(labelled(&ui, "次へ").is_empty(), "nothing to go on with");
    press(&ui, "もう一度さがす");
    assert!(!labelled(&ui, "USBメモリを差し込んでください").is_empty());
    fake_system(&rest.root, &[("sdb", "TSUDOI")]);
    press(&ui, "もう一度さがす");
    assert!(labelled(&ui, "USBメモリを差し込んでください").is_empty());
    assert!(!labelled(&ui, "TSUDOI（/dev/sdb1）").is_empty());
    press(&ui, "もどる");
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Preview
    );
    drop(rest.dir);
}

#[test]
fn two_sticks_offer_a_choice_and_the_chosen_one_is_written() {
    let r = report_fixture(None);
    let (ui, rest) = start_ui(r);
    fake_system(&rest.root, &[("sdb", "TSUDOI"), ("sdc", "KUYAKUSHO")]);
    operator_signs_in(&ui);
    press(&ui, "月の報告");
    press(&ui, "USBメモリに書き出す");
    let g = ui
        .window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>();
    assert_eq!(g.get_media().row_count(), 2);
    press(&ui, "次へ");
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Media,
        "choose first"
    );
    assert!(g.get_message().contains("選んでください"));
    let choice = labelled(&ui, "KUYAKUSHO（/dev/sdc1）");
    assert!(choice[0].size().height >= 72.0);
    press(&ui, "KUYAKUSHO（/dev/sdc1）");
    assert!(g.get_media().row_data(1).unwrap().selected);
    press(&ui, "次へ");
    press(&ui, "次へ");
    press(&ui, "書き出す");
    mock_elapsed_time(Duration::from_millis(200));
    assert_eq!(
        report_step(&ui),
        tsudoi::kiosk::flows::report::adapter::ReportStep::Done
    );
    assert!(
        stick(&rest.root, "KUYAKUSHO")
            .join("tsudoi-report-2026-10")
            .is_dir()
    );
    assert!(
        !stick(&rest.root, "TSUDOI")
            .join("tsudoi-report-2026-10")
            .exists()
    );
    drop(rest.dir);
}

#[test]
fn handlers_get_no_report_button() {
    let r = report_fixture(None);
    let (ui, rest) = start_ui(r);
    press(&ui, "スタッフのサインイン");
    type_text(&ui, HANDLER);
    press(&ui, "パスワード");
    type_text(&ui, HANDLER_PASSWORD);
    press(&ui, "サインイン");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    assert!(labelled(&ui, "月の報告").is_empty());
    assert!(!labelled(&ui, "さがす").is_empty(), "handlers do search");
    ui.with_controller(|c| c.report_start());
    assert_eq!(
        ui.ui_screen(),
        Some(Screen::StaffToday),
        "the controller refuses too"
    );
    drop(rest.dir);
}

#[test]
fn the_staff_lock_clears_the_report_from_the_screen() {
    let r = report_fixture(None);
    let (ui, rest) = start_ui(r);
    operator_signs_in(&ui);
    press(&ui, "月の報告");
    press(&ui, "グラフ");
    let g = ui
        .window()
        .global::<tsudoi::kiosk::flows::report::adapter::Report>();
    assert!(g.get_weeks().row_count() > 0);
    mock_elapsed_time(Duration::from_secs(5 * 60 + 1));
    assert_eq!(
        ui.ui_screen(),
        Some(Screen::Waiting),
        "locked after 5 minutes"
    );
    assert_eq!(g.get_weeks().row_count(), 0);
    assert_eq!(g.get_rows().row_count(), 0);
    assert_eq!(g.get_heading(), "");
    assert!(!g.get_available());
    assert!(ui.with_controller(|c| c.month_report().is_none()));
    drop(rest.dir);
}

#[test]
fn every_report_control_has_a_label_and_is_big_enough() {
    let r = report_fixture(None);
    let (ui, rest) = start_ui(r);
    fake_system(&rest.root, &[("sdb", "TSUDOI"), ("sdc", "KUYAKUSHO")]);
    operator_signs_in(&ui);
    let check = |ui: &KioskUi, at_least: usize| {
        let buttons = ElementQuery::from_root(ui.window())
            .match_descendants()
            .match_accessible_role(AccessibleRole::Button)
            .find_all();
        assert!(buttons.len() >= at_least, "{} buttons", buttons.len());
        for b in buttons {
            let label = b.accessible_label().unwrap_or_default();
            assert!(!label.is_empty());
            assert!(b.size().height >= 72.0, "{label}: at least 72 px high");
            assert!(b.size().width >= 72.0, "{label}: at least 72 px wide");
        }
    };
    press(&ui, "月の報告");
    check(&ui, 13);
    press(&ui, "開催回");
    check(&ui, 15);
    press(&ui, "USBメモリに書き出す");
    check(&ui, 4);
    press(&ui, "TSUDOI（/dev/sdb1）");
    press(&ui, "次へ");
    check(&ui, 6);
    press(&ui, "次へ");
    check(&ui, 2);
    press(&ui, "書き出す");
    mock_elapsed_time(Duration::from_millis(200));
    check(&ui, 2);
    press(&ui, "管理簿を見る");
    check(&ui, 2);
    press(&ui, "管理簿をUSBメモリに書き出す");
    check(&ui, 3);
    drop(rest.dir);
    let _ = rest.clock;
    let _ = rest.path;
}
