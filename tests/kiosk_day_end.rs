//! The keys leave memory when the day ends: at closing time, and at the
//! latest 12 hours after the day's first sign-in. A kiosk left on overnight
//! in an empty room then takes no tap and holds no key. Driven through the
//! screens with Slint's mock time and a clock the test sets.

mod common;

use std::time::Duration;

use chrono::NaiveTime;
use i_slint_backend_testing::{init_no_event_loop, mock_elapsed_time};
use slint::ComponentHandle;
use tsudoi::clock::jst;
use tsudoi::kiosk::controller::WAITING_TICK;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Screen, Signal};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::{CardId, Technology};

use common::ui::{labelled, press, sign_in};
use common::*;

const CARD: &str = "04665544332211";
const TODAY: (i32, u32, u32) = (2026, 12, 2);

fn card() -> Result<CardId, tsudoi_hw::CardIdError> {
    CardId::from_hex(Technology::Iso14443A, CARD)
}

/// A store unlocked at 10:00 (the manager's sign-in), an activity from 9:00
/// to 23:30 so that a late tap would find one, and one resident with a card.
fn kiosk(closing: Option<(u32, u32)>) -> (KioskUi, Fixture) {
    init_no_event_loop();
    let mut f = fixture_on(date(TODAY.0, TODAY.1, TODAY.2));
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: date(TODAY.0, TODAY.1, TODAY.2),
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(23, 30, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let id = f
        .store
        .register(
            &f.manager,
            resident(
                "試験 冬子",
                "しけん ふゆこ",
                "03-5555-0101",
                date(1951, 1, 5),
            ),
        )
        .unwrap();
    f.store
        .link_card(&f.manager, &id, &card().unwrap())
        .unwrap();
    f.store.sign_out(&f.manager).unwrap();
    // The kiosk takes the store; the fixture keeps its directory and clock.
    let store = std::mem::replace(&mut f.store, reopen(&f.path, f.clock.clone()));
    let config = KioskConfig {
        closing_time: closing.map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap()),
        ..KioskConfig::default()
    };
    let ui = KioskUi::new(KioskController::new(store, config)).unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    (ui, f)
}

fn at(f: &Fixture, hour: u32, minute: u32) {
    f.clock
        .set(jst(date(TODAY.0, TODAY.1, TODAY.2), hour, minute));
    // One tick of the waiting screen's clock.
    mock_elapsed_time(WAITING_TICK);
}

fn attendance(ui: &KioskUi) -> u64 {
    ui.with_controller(|c| c.store().attendance_count().unwrap())
}

fn audit_results(f: &Fixture, action: &str) -> Vec<String> {
    let out = std::process::Command::new("sqlite3")
        .arg(&f.path)
        .arg(format!(
            "SELECT result FROM audit WHERE action = '{action}' ORDER BY seq"
        ))
        .output()
        .expect("sqlite3 is installed by scripts/install-deps.sh");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn at_closing_time_the_keys_go_and_the_kiosk_shows_preparing_until_staff_sign_in() {
    let (ui, f) = kiosk(Some((21, 0)));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(ui.on_card(card()), Signal::Success);
    mock_elapsed_time(Duration::from_secs(10));
    assert_eq!(attendance(&ui), 1);

    // A minute before closing nothing changes.
    at(&f, 20, 59);
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert!(ui.with_controller(|c| c.store().is_unlocked()));

    at(&f, 21, 0);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    assert!(!labelled(&ui, "じゅんび中です").is_empty());
    assert!(!ui.with_controller(|c| c.store().is_unlocked()));
    assert_eq!(audit_results(&f, "keys_dropped"), ["closing_time"]);

    // A tap in the empty room checks nobody in.
    ui.on_card(card());
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    let checked_in = std::process::Command::new("sqlite3")
        .arg(&f.path)
        .arg("SELECT count(*) FROM attendance")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&checked_in.stdout).trim(), "1");

    // Staff working late sign in again: the kiosk takes taps until the
    // 12-hour cap (closing has passed for this unlock).
    sign_in(&ui, MANAGER, NEW_PASSWORD);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    press(&ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    at(&f, 23, 0);
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
}

#[test]
fn a_tap_after_closing_finds_the_kiosk_closed_before_the_tick_comes() {
    let (ui, f) = kiosk(Some((17, 30)));
    f.clock.set(jst(date(TODAY.0, TODAY.1, TODAY.2), 17, 31));
    // No tick has run since closing: the tap itself ends the day.
    assert_ne!(ui.on_card(card()), Signal::Success);
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    assert_eq!(attendance_rows(&f), "0");
}

fn attendance_rows(f: &Fixture) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(&f.path)
        .arg("SELECT count(*) FROM attendance")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn with_no_closing_time_the_keys_go_twelve_hours_after_the_first_sign_in() {
    let (ui, f) = kiosk(None);
    at(&f, 21, 59);
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    // Unlocked at 10:00 by the fixture's sign-in: 22:00 is 12 hours on.
    at(&f, 22, 0);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    assert_eq!(audit_results(&f, "keys_dropped"), ["max_hold"]);
}

#[test]
fn staff_on_a_staff_screen_at_closing_time_are_signed_out() {
    let (ui, f) = kiosk(Some((21, 0)));
    f.clock.set(jst(date(TODAY.0, TODAY.1, TODAY.2), 20, 50));
    sign_in(&ui, MANAGER, NEW_PASSWORD);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    at(&f, 21, 0);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    assert!(ui.with_controller(|c| c.staff_id().is_none()));
    // The sign-in at 20:50 did not restart the day: keys were already held.
    assert_eq!(audit_results(&f, "keys_dropped"), ["closing_time"]);
}

#[test]
fn an_operator_alone_does_not_open_the_kiosk_to_taps() {
    init_no_event_loop();
    let f = fixture_on(date(TODAY.0, TODAY.1, TODAY.2));
    let Fixture {
        dir: _dir,
        path,
        clock,
        mut store,
        manager,
    } = f;
    store
        .add_staff(&manager, "unei01", tsudoi::store::Role::Operator, PASSWORD)
        .unwrap();
    let id = store
        .register(
            &manager,
            resident(
                "試験 春男",
                "しけん はるお",
                "03-5555-0202",
                date(1952, 3, 3),
            ),
        )
        .unwrap();
    store.link_card(&manager, &id, &card().unwrap()).unwrap();
    drop(store);
    let mut first = reopen(&path, clock.clone());
    let mut op = first.sign_in("unei01", PASSWORD).unwrap();
    first.change_password(&mut op, NEW_PASSWORD).unwrap();
    drop(first);

    let ui = KioskUi::new(KioskController::new(
        reopen(&path, clock),
        KioskConfig::default(),
    ))
    .unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    sign_in(&ui, "unei01", NEW_PASSWORD);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    assert!(!labelled(&ui, "カードの受付を始めるには、取扱責任者か取扱者がサインインしてください（運営者の鍵では参加者を確かめられません）。").is_empty());
    press(&ui, "サインアウト");
    // Still 準備中: the operator's keys cannot match a card.
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    ui.on_card(card());
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    assert_eq!(
        ui.with_controller(|c| c.store().attendance_count().unwrap()),
        0
    );
    // A handler's or manager's sign-in opens it.
    sign_in(&ui, MANAGER, NEW_PASSWORD);
    press(&ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    // The card is recognised now (no activity is open in this store, so the
    // resident is told so rather than left on 準備中).
    ui.on_card(card());
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::NoSession));
}
