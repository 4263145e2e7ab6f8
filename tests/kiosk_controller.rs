//! The kiosk controller on its own, without any UI. All data is invented.

mod common;

use std::time::Duration;

use chrono::NaiveTime;
use tsudoi::kiosk::flows::checkin::wording::ResultText;
use tsudoi::kiosk::{Field, KioskConfig, KioskController, Screen, Signal};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::{CardId, CardIdError, Technology};

use common::*;

const CARD: &str = "04556677889900";

/// The result screen's words.
fn said(c: &KioskController) -> ResultText {
    c.check_in_text().expect("a result shows")
}

fn card(hex: &str) -> Result<CardId, CardIdError> {
    CardId::from_hex(Technology::Iso14443A, hex)
}

fn controller(with_session: bool) -> (KioskController, tempfile::TempDir) {
    let mut f = fixture_on(date(2026, 6, 2));
    if with_session {
        f.store
            .add_session(
                &f.manager,
                NewSession {
                    program: Program::Kaigo,
                    date: date(2026, 6, 2),
                    start: NaiveTime::from_hms_opt(10, 15, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                    title: "体操教室".into(),
                    capacity: Some(1),
                    mode: SessionMode::FirstCome,
                },
            )
            .unwrap();
    }
    let id = f
        .store
        .register(
            &f.manager,
            resident(
                "佐藤 一子",
                "サトウ カズコ",
                "03-5555-0000",
                date(1951, 1, 1),
            ),
        )
        .unwrap();
    f.store
        .link_card(&f.manager, &id, &card(CARD).unwrap())
        .unwrap();
    f.store.sign_out(&f.manager).unwrap();
    (KioskController::new(f.store, KioskConfig::default()), f.dir)
}

#[test]
fn timeouts_are_clamped_to_the_privacy_limits() {
    let c = KioskConfig {
        resident_idle: Duration::from_secs(300),
        staff_idle: Duration::from_secs(3600),
        result_return: Duration::from_secs(60),
        ..KioskConfig::default()
    }
    .clamped();
    assert_eq!(c.resident_idle, Duration::from_secs(30));
    assert_eq!(c.staff_idle, Duration::from_secs(15 * 60));
    assert!(c.result_return <= c.resident_idle);
    let d = KioskConfig::default();
    assert_eq!(d.staff_idle, Duration::from_secs(5 * 60));
    assert!(d.resident_idle <= Duration::from_secs(30));
}

#[test]
fn session_opens_for_check_in_half_an_hour_early_and_returns_to_waiting() {
    let (mut c, _dir) = controller(true);
    // 10:00, the class starts 10:15: check-in is open.
    assert_eq!(c.on_card(card(CARD)), Signal::Success);
    assert_eq!(c.screen(), Screen::CheckedIn);
    assert_eq!(said(&c).detail, "体操教室");
    assert_eq!(c.timeout(), Some(KioskConfig::default().result_return));
    c.on_timeout();
    assert_eq!(c.screen(), Screen::Waiting);
    assert!(c.check_in_text().is_none(), "the name is gone");
}

#[test]
fn no_session_now_and_unusable_cards_say_what_to_do() {
    let (mut c, _dir) = controller(false);
    assert_eq!(c.on_card(card(CARD)), Signal::Attention);
    assert_eq!(c.screen(), Screen::NoSession);
    assert!(said(&c).message.contains("受付にお声がけください"));
    assert_eq!(c.on_card(Err(CardIdError::RandomIdentifier)), Signal::Error);
    assert_eq!(c.screen(), Screen::CardError);
    assert_eq!(c.timeout(), Some(KioskConfig::default().resident_idle));
}

#[test]
fn purpose_is_one_tap_from_waiting() {
    let (mut c, _dir) = controller(true);
    c.show_purpose();
    assert_eq!(c.screen(), Screen::Purpose);
    assert!(c.purpose_text().contains("ほかの目的には使わず"));
    c.back();
    assert_eq!(c.screen(), Screen::Waiting);
}

#[test]
fn the_keyboard_masks_passwords_and_never_shows_them() {
    let (mut c, _dir) = controller(true);
    c.staff_start();
    assert_eq!(c.screen(), Screen::StaffSignIn);
    for k in ["k", "a", "n", "r", "i", "0", "1"] {
        c.key(k);
    }
    c.focus(Field::Second);
    c.toggle_shift();
    c.key("s");
    c.toggle_shift();
    c.key("e");
    assert_eq!(c.first_shown(), "kanri01");
    assert_eq!(c.second_masked(), "●●");
    c.backspace();
    assert_eq!(c.second_masked(), "●");
    c.submit();
    assert_eq!(c.screen(), Screen::StaffSignIn);
    assert_eq!(
        c.second_masked(),
        "",
        "a failed attempt clears the password"
    );
    assert!(c.sign_in_message().contains("違います"));
    c.cancel();
    assert_eq!(c.screen(), Screen::Waiting);
    assert_eq!(c.first_shown(), "", "nothing typed survives");
}

#[test]
fn staff_screens_lock_on_timeout() {
    let (mut c, _dir) = controller(true);
    c.staff_start();
    for k in MANAGER.split("") {
        c.key(k);
    }
    c.focus(Field::Second);
    for k in NEW_PASSWORD.split("") {
        c.key(k);
    }
    c.submit();
    assert_eq!(c.screen(), Screen::StaffToday);
    assert_eq!(c.timeout(), Some(Duration::from_secs(300)));
    c.on_timeout();
    assert_eq!(c.screen(), Screen::Waiting);
    assert_eq!(c.staff_id(), None);
    assert!(c.today_rows().is_empty());
}

/// The UI shows fixed Japanese literals: nothing is marked for translation,
/// so the system locale (LANG=en_GB on Raspberry Pi OS) cannot switch it.
#[test]
fn the_ui_language_does_not_follow_the_locale() {
    for f in [
        "ui/app.slint",
        "ui/checkin.slint",
        "ui/sign-in.slint",
        "ui/widgets.slint",
        "ui/theme.slint",
    ] {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!text.contains("@tr("), "{f} marks strings for translation");
    }
}

#[test]
fn class_mode_only_from_waiting_and_applying_needs_the_class_list() {
    let (mut c, _dir) = controller(true);
    // Applying without a card on the class list does nothing.
    assert_eq!(c.apply_class("nothing"), Signal::Attention);
    assert_eq!(c.screen(), Screen::Waiting);
    c.class_mode();
    assert_eq!(c.screen(), Screen::ClassCard);
    assert!(
        c.timeout()
            .is_some_and(|d| d <= KioskConfig::MAX_RESIDENT_IDLE)
    );
    // A card in class mode shows the class list (none open here), not a check-in.
    let before = c.store().attendance_count().unwrap();
    c.on_card(card(CARD));
    assert_eq!(c.screen(), Screen::Classes);
    assert!(c.class_rows().is_empty());
    assert!(c.class_results().is_empty());
    assert_eq!(c.store().attendance_count().unwrap(), before);
    // A class id that is not on the list goes back to waiting.
    assert_eq!(c.apply_class("not-listed"), Signal::Attention);
    assert_eq!(c.screen(), Screen::Waiting);
    // An unreadable card in class mode.
    c.class_mode();
    c.on_card(Err(CardIdError::RandomIdentifier));
    assert_eq!(c.screen(), Screen::CardError);
    // Class mode is not reachable from a result screen.
    c.class_mode();
    assert_eq!(c.screen(), Screen::CardError);
    c.on_timeout();
    assert_eq!(c.screen(), Screen::Waiting);
    // Back to normal mode: the card checks in.
    c.on_card(card(CARD));
    assert_eq!(c.screen(), Screen::CheckedIn);
}

#[test]
fn the_waiting_screen_lists_what_is_still_to_come_a_page_at_a_time() {
    let mut f = fixture_on(date(2026, 6, 2));
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    // 10:00 now: the 9:00–9:45 session is over; five are still to come.
    for (title, start, end) in [
        ("朝の体操", t(9, 0), t(9, 45)),
        ("交流サロン", t(9, 0), t(17, 0)),
        ("囲碁の会", t(10, 0), t(12, 0)),
        ("健康講座", t(13, 0), t(14, 0)),
        ("うたごえ広場", t(14, 0), t(15, 0)),
        ("相談会", t(15, 0), t(16, 0)),
    ] {
        f.store
            .add_session(
                &f.manager,
                NewSession {
                    program: Program::Koryu,
                    date: date(2026, 6, 2),
                    start,
                    end,
                    title: title.into(),
                    capacity: None,
                    mode: SessionMode::Open,
                },
            )
            .unwrap();
    }
    f.store.sign_out(&f.manager).unwrap();
    let clock = f.clock.clone();
    let mut c = KioskController::new(f.store, KioskConfig::default());
    assert_eq!(c.screen(), Screen::Waiting);
    let titles = |l: &tsudoi::kiosk::WaitingList| -> Vec<String> {
        l.rows.iter().map(|r| r.title.clone()).collect()
    };
    let first = c.waiting_list();
    assert_eq!(first.rows.len(), tsudoi::kiosk::WAITING_ROWS);
    assert_eq!(titles(&first), ["交流サロン", "囲碁の会", "健康講座"]);
    assert_eq!(first.page, "1/2");
    assert!(c.tick());
    let second = c.waiting_list();
    assert_eq!(titles(&second), ["うたごえ広場", "相談会"]);
    assert_eq!(second.page, "2/2");
    assert!(c.tick());
    assert_eq!(c.waiting_list(), first, "the pages go round");

    // Other screens are not redrawn by the tick (it would restart their idle timeout).
    c.show_purpose();
    assert!(!c.tick());
    c.back();

    // Late in the day, only what is left; after the last one, say so.
    clock.set(tsudoi::clock::jst(date(2026, 6, 2), 15, 30));
    let late = c.waiting_list();
    assert_eq!(titles(&late), ["交流サロン", "相談会"]);
    assert_eq!(late.page, "", "one page needs no page number");
    clock.set(tsudoi::clock::jst(date(2026, 6, 2), 17, 0));
    let over = c.waiting_list();
    assert!(over.rows.is_empty());
    assert_eq!(over.empty, "今日の活動は終わりました。");
}

#[test]
fn every_ascii_symbol_can_be_typed_into_a_password() {
    let (mut c, _dir) = controller(false);
    c.staff_start();
    c.focus(Field::Second);
    let symbols = r##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##;
    assert_eq!(symbols.len(), 32);
    c.toggle_symbols();
    assert!(c.symbols());
    for s in symbols.chars() {
        c.key(&s.to_string());
    }
    // Anything that is not one printable ASCII key is ignored.
    for junk in ["ab", "", "あ", "\n", " "] {
        c.key(junk);
    }
    assert_eq!(c.second_masked().chars().count(), 32);
    c.toggle_symbols();
    assert!(!c.symbols());
    c.cancel();
    c.staff_start();
    assert!(!c.symbols(), "a new sign-in starts on the letters");
}

#[test]
fn a_phone_is_named_and_a_store_failure_asks_for_staff_calmly() {
    let (mut c, dir) = controller(true);
    // A phone or watch: the resident is told what to use instead.
    assert_eq!(c.on_card(Err(CardIdError::RandomIdentifier)), Signal::Error);
    assert_eq!(c.screen(), Screen::CardError);
    assert!(
        said(&c).message.contains("スマホや時計は使えません"),
        "{}",
        said(&c).message
    );
    c.on_timeout();

    // The store breaks under the kiosk (here: the check-in table renamed
    // away with sqlite3's SQL, as a damaged file or a full disk would fail).
    let raw = rusqlite::Connection::open(dir.path().join("tsudoi.db")).unwrap();
    raw.execute_batch("ALTER TABLE attendance RENAME TO attendance_gone")
        .unwrap();
    assert_eq!(
        c.on_card(card(CARD)),
        Signal::Attention,
        "the attention light"
    );
    assert_eq!(c.screen(), Screen::KioskFault);
    assert!(said(&c).message.contains("係の者"), "{}", said(&c).message);
    assert!(!said(&c).message.contains("もう一度タッチ"));
    // Like every resident screen, it goes back to waiting by itself.
    assert_eq!(c.timeout(), Some(KioskConfig::default().resident_idle));
    c.on_timeout();
    assert_eq!(c.screen(), Screen::Waiting);
}

/// The kiosk's clock tick folds what was committed into the main file: after
/// a tap and one tick, the write-ahead log is empty and `sqlite3` finds the
/// check-in in the main file alone (a damaged WAL could no longer lose it).
#[test]
fn the_clock_tick_folds_a_check_in_into_the_main_file() {
    let (mut c, dir) = controller(true);
    assert_eq!(c.on_card(card(CARD)), Signal::Success);
    let wal = dir.path().join("tsudoi.db-wal");
    let wal_len = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(wal_len() > 0, "the check-in is in the WAL first");
    c.tick();
    assert_eq!(wal_len(), 0);
    // Copied by `cp` (another process): an open and close of the store file
    // in this process would drop SQLite's POSIX locks on it.
    let copy = dir.path().join("main-only.db");
    let cp = std::process::Command::new("cp")
        .arg(dir.path().join("tsudoi.db"))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(cp.success());
    let out = std::process::Command::new("sqlite3")
        .arg(&copy)
        .arg("SELECT count(*) FROM attendance")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
}
