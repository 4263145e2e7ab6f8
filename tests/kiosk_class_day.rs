//! The day of a lottery class, through the screens at 800×480: seat holders
//! tap into their class while 交流サロン is open, everyone else is told why
//! and may still join the salon, staff confirm a check-in without a seat,
//! the attendance sheet and the monthly report's class attendance against
//! the raw attendance rows. Also a lost card taken off and replaced on the
//! record screen. All people and cards are invented.

mod common;

use std::time::Duration;

use chrono::NaiveDate;
use i_slint_backend_testing::mock_elapsed_time;
use slint::{ComponentHandle, Model};
use tsudoi::clock::jst;
use tsudoi::kiosk::flows::checkin::adapter::CheckIn;
use tsudoi::kiosk::flows::classes::adapter::Classes;
use tsudoi::kiosk::flows::record::adapter::Record;
use tsudoi::kiosk::{KioskUi, Screen, Signal};

use common::class_day::{CARDS, CLASS, ClassDay};
use common::ui::{Running, labelled, open_record, press, sign_in, start_day};
use common::*;

fn today() -> NaiveDate {
    date(2026, 12, 8)
}

fn class_day(salon: (u32, u32)) -> ClassDay {
    common::class_day::class_day(today(), salon)
}

fn start(f: Fixture) -> Running {
    start_day(f)
}

fn tap(ui: &KioskUi, hex: &str) -> Signal {
    let s = ui.on_card(Ok(card(hex)));
    mock_elapsed_time(Duration::ZERO);
    s
}

fn notice(ui: &KioskUi) -> String {
    labelled(ui, "お知らせ")
        .first()
        .and_then(|e| e.accessible_value())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// Check-ins per (session title, session date) straight from the file.
fn raw_attendance(dir: &std::path::Path, session: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(dir.join("tsudoi.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT participant_id FROM attendance WHERE session_id = ?1 ORDER BY 1")
        .unwrap();
    stmt.query_map([session], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn back_to_waiting(ui: &KioskUi) {
    ui.with_controller(|c| c.back());
    mock_elapsed_time(Duration::ZERO);
}

#[test]
fn seat_holders_tap_into_their_class_while_the_salon_is_open() {
    let d = class_day((9, 17));
    let (today_class, salon) = (d.sessions[1].clone(), d.salon.clone());
    let (winner, moved_up) = (d.winner, d.moved_up);
    let r = start(d.f);
    let ui = &r.ui;
    let g = ui.window().global::<CheckIn>();

    assert_eq!(tap(ui, winner), Signal::Success);
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(g.get_detail(), CLASS);
    back_to_waiting(ui);

    // Moved up from the waiting list: a seat like any other.
    assert_eq!(tap(ui, moved_up), Signal::Success);
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(g.get_detail(), CLASS);

    assert_eq!(raw_attendance(r.dir.path(), &today_class).len(), 2);
    assert!(raw_attendance(r.dir.path(), &salon).is_empty());
}

#[test]
fn residents_without_a_seat_are_told_why_and_may_join_the_salon() {
    let d = class_day((9, 17));
    let (today_class, salon) = (d.sessions[1].clone(), d.salon.clone());
    let (waiting, never, cancelled) = (d.waiting, d.never, d.cancelled);
    let r = start(d.f);
    let ui = &r.ui;
    let g = ui.window().global::<CheckIn>();

    // On the waiting list: told so, with the number, and offered the salon only.
    assert_eq!(tap(ui, waiting), Signal::Attention);
    assert_eq!(ui.ui_screen(), Some(Screen::ChooseSession));
    let n = notice(ui);
    assert!(n.contains("ちゅうせんで当選した方の教室です"), "{n}");
    assert!(n.contains("ほけつ 2番"), "{n}");
    let offered: Vec<String> = g
        .get_choices()
        .iter()
        .map(|c| c.title.to_string())
        .collect();
    assert_eq!(offered, ["交流サロン"]);
    assert!(labelled(ui, CLASS).is_empty());
    press(ui, "交流サロン");
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(g.get_detail(), "交流サロン");
    back_to_waiting(ui);

    // Never applied, and a winner who cancelled: the reason without a number.
    for hex in [never, cancelled] {
        assert_eq!(tap(ui, hex), Signal::Attention);
        assert_eq!(ui.ui_screen(), Some(Screen::ChooseSession));
        let n = notice(ui);
        assert!(n.contains("ちゅうせんで当選した方の教室です"), "{n}");
        assert!(!n.contains("ほけつ"), "{n}");
        back_to_waiting(ui);
    }

    assert!(raw_attendance(r.dir.path(), &today_class).is_empty());
    assert_eq!(raw_attendance(r.dir.path(), &salon).len(), 1);
}

#[test]
fn without_an_open_activity_the_class_is_refused_on_its_own_screen() {
    // The salon opens only in the afternoon.
    let d = class_day((13, 17));
    let (waiting, cancelled, winner) = (d.waiting, d.cancelled, d.winner);
    let r = start(d.f);
    let ui = &r.ui;
    let g = ui.window().global::<CheckIn>();

    assert_eq!(tap(ui, cancelled), Signal::Attention);
    assert_eq!(ui.ui_screen(), Some(Screen::NoSeat));
    assert_eq!(g.get_detail(), CLASS);
    assert!(g.get_message().contains("ちゅうせんで当選した方の教室です"));
    back_to_waiting(ui);

    assert_eq!(tap(ui, waiting), Signal::Attention);
    assert_eq!(ui.ui_screen(), Some(Screen::NoSeat));
    assert!(g.get_message().contains("ほけつ 2番"));
    back_to_waiting(ui);

    assert_eq!(tap(ui, winner), Signal::Success);
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
}

#[test]
fn staff_checking_in_by_hand_see_the_warning_and_may_confirm() {
    let d = class_day((9, 17));
    let today_class = d.sessions[1].clone();
    let never_id = d.never_id.clone();
    let r = start(d.f);
    let ui = &r.ui;
    let rec = ui.window().global::<Record>();

    sign_in(ui, MANAGER, NEW_PASSWORD);
    open_record(ui, &["オ", "オ", "タ"], "オオタ キヨシ（1950年生まれ）");
    // Declined first: nothing is recorded.
    press(ui, &format!("{CLASS}に受付"));
    assert!(rec.get_message().contains("申し込んで当選した方の教室です"));
    assert!(rec.get_confirm_seat());
    press(ui, "やめる");
    assert!(!rec.get_confirm_seat());
    assert!(raw_attendance(r.dir.path(), &today_class).is_empty());

    // Then confirmed (a seat holder's companion): recorded and audited as such.
    press(ui, &format!("{CLASS}に受付"));
    press(ui, "それでも受付する");
    assert!(
        rec.get_message().contains("受付ができました"),
        "{}",
        rec.get_message()
    );
    assert_eq!(
        raw_attendance(r.dir.path(), &today_class),
        std::slice::from_ref(&never_id)
    );
    let conn = rusqlite::Connection::open(r.dir.path().join("tsudoi.db")).unwrap();
    let (fields, result): (String, String) = conn
        .query_row(
            "SELECT fields, result FROM audit WHERE action = 'check_in' AND record_id = ?1
             ORDER BY seq DESC LIMIT 1",
            [&never_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(fields.contains("seat_confirmed_by_staff"), "{fields}");
    assert_eq!(result, "checked_in_without_seat");
    ui.with_controller(|c| {
        let v = c
            .store_mut()
            .verify_audit(&tsudoi::store::Actor::Kiosk)
            .unwrap();
        assert!(
            matches!(v, tsudoi::store::audit::ChainVerdict::Intact { .. }),
            "{v:?}"
        );
    });
}

/// Attendance per seat holder and session, computed from the raw rows:
/// (entry number, marks) for sessions on or before today (all over at 12:00).
fn raw_sheet(dir: &std::path::Path, class: &str) -> Vec<(u32, String)> {
    let conn = rusqlite::Connection::open(dir.join("tsudoi.db")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT a.entry_number, t.id IS NOT NULL
             FROM lottery_applications a
             JOIN lottery_class_sessions l ON l.class_id = a.class_id
             JOIN sessions s ON s.id = l.session_id AND s.date <= '2026-12-08'
             LEFT JOIN attendance t ON t.session_id = s.id AND t.participant_id = a.participant_id
             WHERE a.class_id = ?1 AND a.status IN ('won', 'moved_up')
             ORDER BY a.entry_number, s.date, s.start_time",
        )
        .unwrap();
    let mut out: Vec<(u32, String)> = Vec::new();
    for row in stmt
        .query_map([class], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, bool>(1)?)))
        .unwrap()
    {
        let (entry, came) = row.unwrap();
        if out.last().is_none_or(|l| l.0 != entry) {
            out.push((entry, String::new()));
        }
        if let Some(last) = out.last_mut() {
            last.1.push(if came { '○' } else { '×' });
        }
    }
    out
}

#[test]
fn the_attendance_sheet_and_the_report_agree_with_the_raw_rows() {
    let mut d = class_day((9, 17));
    // Last week: only the winner came (checked in by the kiosk at the time).
    d.f.clock.set(jst(date(2026, 12, 1), 10, 5));
    d.f.store
        .check_in_by_card(&card(d.winner), chrono::Duration::minutes(30))
        .unwrap();
    // Today: both seat holders came.
    d.f.clock.set(jst(today(), 10, 5));
    for hex in [d.winner, d.moved_up] {
        d.f.store
            .check_in_by_card(&card(hex), chrono::Duration::minutes(30))
            .unwrap();
    }
    d.f.clock.set(jst(today(), 12, 0));
    let class = d.class.clone();
    let r = start(d.f);
    let ui = &r.ui;
    let g = ui.window().global::<Classes>();

    sign_in(ui, MANAGER, NEW_PASSWORD);
    press(ui, &format!("{CLASS}の出席簿"));
    assert_eq!(ui.ui_screen(), Some(Screen::StaffSheet));
    let raw = raw_sheet(r.dir.path(), &class);
    assert_eq!(raw.len(), 2);
    let lines: Vec<(String, String)> = g
        .get_sheet_lines()
        .iter()
        .map(|l| (l.who.to_string(), l.marks.to_string()))
        .collect();
    assert_eq!(lines.len(), raw.len());
    for ((who, marks), (entry, raw_marks)) in lines.iter().zip(&raw) {
        assert!(who.starts_with(&format!("{entry}番 ")), "{who}");
        // The third session is still to come.
        assert!(
            marks.starts_with(&format!("{raw_marks}－")),
            "{marks} vs {raw_marks}"
        );
    }
    let attended: usize = raw.iter().map(|(_, m)| m.matches('○').count()).sum();
    let possible: usize = raw.iter().map(|(_, m)| m.chars().count()).sum();
    let summary = g.get_sheet_summary().to_string();
    assert!(
        summary.contains(&format!(
            "出席率 {:.1}%（延べ {attended} / {possible}）",
            attended as f64 * 100.0 / possible as f64
        )),
        "{summary}"
    );
    press(ui, "もどる");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));

    // The monthly report: 延べ出席者数 for December is the raw count; with
    // fewer than 10 it is hidden, and so is the rate.
    ui.with_controller(|c| {
        let staff = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let counts = c
            .store()
            .monthly_counts(&staff, tsudoi::report::Month::parse("2026-12").unwrap())
            .unwrap()
            .0;
        let row = counts
            .class_attendance
            .iter()
            .find(|a| a.title == CLASS)
            .unwrap();
        assert_eq!(row.visits as usize, attended);
        assert_eq!(row.holder_visits as usize, attended);
        assert_eq!(row.seat_holders, 2);
        assert_eq!(row.sessions, 3);
    });
}

#[test]
fn a_lost_card_is_taken_off_and_a_new_one_replaces_it_on_screen() {
    let d = class_day((9, 17));
    let never = d.never;
    let r = start(d.f);
    let ui = &r.ui;
    let rec = ui.window().global::<Record>();

    sign_in(ui, MANAGER, NEW_PASSWORD);
    open_record(ui, &["オ", "オ", "タ"], "オオタ キヨシ（1950年生まれ）");
    press(ui, "カード");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffCards));
    let cards = rec.get_cards();
    assert_eq!(cards.row_count(), 1);
    let label = cards.row_data(0).unwrap().label.to_string();
    assert!(
        label.contains(MANAGER) && label.contains("2026年11月10日"),
        "{label}"
    );
    // The card's identifier is never on screen.
    assert!(!label.contains(never) && !label.contains(&never[2..]));

    // A new phone: replace the card in one step.
    press(ui, "新しいカードに替える");
    assert!(rec.get_cards_waiting());
    assert_eq!(tap(ui, "04FFEEDDCCBBAA"), Signal::Success);
    assert!(!rec.get_cards_waiting());
    assert!(rec.get_message().contains("新しいカードに替えました"));
    assert_eq!(rec.get_cards().row_count(), 1);

    // A card already someone else's is refused, nothing changes.
    press(ui, "カードを追加");
    assert_eq!(tap(ui, CARDS[0]), Signal::Error);
    assert!(rec.get_message().contains("すでに別の方に登録"));
    press(ui, "もどる");
    assert!(!rec.get_cards_waiting());

    // The new card is lost too: taken off.
    press(ui, "カードの登録を解除");
    assert!(rec.get_message().contains("解除しました"));
    assert_eq!(rec.get_cards().row_count(), 0);
    press(ui, "もどる");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRecord));
    press(ui, "もどる");
    press(ui, "もどる");
    press(ui, "もどる");
    press(ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));

    // Both old cards are now unknown cards.
    for hex in [never, "04FFEEDDCCBBAA"] {
        assert_eq!(tap(ui, hex), Signal::Attention);
        assert_eq!(ui.ui_screen(), Some(Screen::UnknownCard));
        back_to_waiting(ui);
    }
    // The audit log names the unlink and the replacement, never the card.
    let conn = rusqlite::Connection::open(r.dir.path().join("tsudoi.db")).unwrap();
    let actions: Vec<String> = conn
        .prepare("SELECT action FROM audit WHERE action LIKE 'card_%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        &actions[actions.len() - 2..],
        ["card_replace", "card_unlink"]
    );
}

#[test]
fn an_application_pointed_at_someone_else_seats_nobody() {
    let d = class_day((13, 17));
    let today_class = d.sessions[1].clone();
    let (winner, never, never_id) = (d.winner, d.never, d.never_id.clone());
    let winner_id =
        d.f.store
            .participant_by_card(&card(winner))
            .unwrap()
            .unwrap();
    let r = start(d.f);
    // Someone with sqlite3 gives the winner's seat to a resident who never applied.
    let out = std::process::Command::new("sqlite3")
        .arg(r.dir.path().join("tsudoi.db"))
        .arg(format!(
            "UPDATE lottery_applications SET participant_id = '{never_id}' WHERE participant_id = '{winner_id}'"
        ))
        .output()
        .expect("sqlite3 is installed by scripts/install-deps.sh");
    assert!(out.status.success());
    let ui = &r.ui;
    // The edited application opens for no one: the tap is refused, nothing recorded.
    assert_ne!(tap(ui, never), Signal::Success);
    assert_ne!(ui.ui_screen(), Some(Screen::CheckedIn));
    back_to_waiting(ui);
    assert_ne!(tap(ui, winner), Signal::Success);
    assert!(raw_attendance(r.dir.path(), &today_class).is_empty());
}
