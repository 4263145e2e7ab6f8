//! The kiosk's lottery screens driven through Slint's testing backend (mock
//! time, no display): class mode, applying, the entry number, refusals and
//! results after a draw. All people, cards and addresses are invented.

mod common;

use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use i_slint_backend_testing::mock_elapsed_time;
use slint::{ComponentHandle, Model};
use tsudoi::clock::jst;
use tsudoi::kiosk::flows::classes::adapter::{Classes, ClassesRow};
use tsudoi::kiosk::flows::record::adapter::{Record, RecordAddressStep};
use tsudoi::kiosk::flows::registration::adapter::Names;
use tsudoi::kiosk::{KioskUi, Screen, Signal};
use tsudoi::store::lottery::ApplyOutcome;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};

use common::ui::{Running, labelled, open_record, press, sign_in, start_day};
use common::*;

/// Has an address on file (applied once before, at the desk).
const KNOWN: &str = "04112233445566";
/// Registered, but never applied: no address on file.
const NO_ADDRESS: &str = "04223344556677";
const UNKNOWN: &str = "04AABBCCDDEEFF";

fn today() -> NaiveDate {
    date(2026, 11, 2)
}

fn person(f: &mut Fixture, name: &str, kana: &str, phone: &str, hex: &str) -> String {
    let id = f
        .store
        .register(&f.manager, resident(name, kana, phone, date(1950, 4, 1)))
        .unwrap();
    f.store.link_card(&f.manager, &id, &card(hex)).unwrap();
    id
}

struct Lottery {
    f: Fixture,
    /// Open at the kiosk.
    class: String,
    /// The class the known resident applied to at the desk.
    earlier: String,
}

/// Two classes open on 2 Nov 2026; two residents, one with an address on file.
fn lottery_fixture() -> Lottery {
    let mut f = fixture_on(today());
    let earlier = lottery_class(&mut f, "脳トレ教室", &[date(2026, 12, 4)], 10, None);
    let class = lottery_class(
        &mut f,
        "転倒予防教室",
        &[date(2026, 12, 3), date(2026, 12, 10)],
        1,
        None,
    );
    let known = person(&mut f, "山田 花子", "ヤマダ ハナコ", "03-1234-5678", KNOWN);
    person(
        &mut f,
        "鈴木 一郎",
        "スズキ イチロウ",
        "03-2345-6789",
        NO_ADDRESS,
    );
    let outcome = f
        .store
        .apply_on_behalf(
            &f.manager,
            &known,
            &earlier,
            Some("新宿区架空町一丁目二番三号".into()),
        )
        .unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }));
    Lottery { f, class, earlier }
}

fn start(f: Fixture) -> Running {
    start_day(f)
}

fn tap(ui: &KioskUi, hex: &str) -> Signal {
    let s = ui.on_card(Ok(card(hex)));
    mock_elapsed_time(Duration::ZERO);
    s
}

/// Class mode, then the card: the class list.
fn open_classes(ui: &KioskUi, hex: &str) {
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    press(ui, "教室のもうしこみ・ちゅうせんの結果");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassCard));
    tap(ui, hex);
}

/// Presses an open class's button, turning the class list's pages to find it.
fn press_class(ui: &KioskUi, title: &str) {
    let g = ui.window().global::<Classes>();
    while labelled(ui, title).is_empty() && g.get_has_next() {
        press(ui, "つぎのページ");
    }
    press(ui, title);
}

/// Every open class on the list, page by page, back on the first page after.
fn all_classes(ui: &KioskUi) -> Vec<ClassesRow> {
    let g = ui.window().global::<Classes>();
    let mut all: Vec<_> = g.get_classes().iter().collect();
    let mut pages = 1;
    while g.get_has_next() {
        press(ui, "つぎのページ");
        all.extend(g.get_classes().iter());
        pages += 1;
    }
    for _ in 1..pages {
        press(ui, "まえのページ");
    }
    all
}

fn result_labels(ui: &KioskUi) -> Vec<String> {
    let g = ui.window().global::<Classes>();
    g.get_results()
        .iter()
        .map(|r| r.label.to_string())
        .collect()
}

fn applications(ui: &KioskUi, class: &str) -> u32 {
    ui.with_controller(|c| c.store().lottery_class(class).unwrap().applications)
}

#[test]
fn class_mode_and_a_known_card_show_the_open_classes() {
    let l = lottery_fixture();
    let r = start(l.f);
    let ui = &r.ui;
    open_classes(ui, KNOWN);
    assert_eq!(ui.ui_screen(), Some(Screen::Classes));
    // The resident's own result and the classes, two to a page (no hidden
    // scrolling): the second page is said in words and turned with a button.
    let g = ui.window().global::<Classes>();
    assert_eq!(g.get_page(), "1/2");
    assert!(!labelled(ui, "脳トレ教室").is_empty());
    assert!(labelled(ui, "転倒予防教室").is_empty());
    press(ui, "つぎのページ");
    assert_eq!(g.get_page(), "2/2");
    assert!(!labelled(ui, "転倒予防教室").is_empty());
    assert!(!g.get_has_next());
    press(ui, "まえのページ");
    assert_eq!(g.get_page(), "1/2");
    // Both classes as big buttons, with their dates, capacity and period.
    let classes = all_classes(ui);
    assert_eq!(classes.len(), 2);
    let fall = classes.iter().find(|c| c.title == "転倒予防教室").unwrap();
    assert_eq!(fall.dates, "12月3日（木）から 全2回");
    assert_eq!(fall.capacity, "定員 1人");
    assert!(fall.period.contains("しめきり 11月15日（日）"));
    assert!(fall.period.contains("ちゅうせん 11月20日（金）"));
    // The resident's own pending application to the other class.
    assert_eq!(result_labels(ui), vec!["ちゅうせん待ち"]);
}

#[test]
fn a_card_tap_outside_class_mode_still_checks_in() {
    let mut l = lottery_fixture();
    l.f.store
        .add_session(
            &l.f.manager,
            NewSession {
                program: Program::Koryu,
                date: today(),
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let r = start(l.f);
    assert_eq!(tap(&r.ui, KNOWN), Signal::Success);
    assert_eq!(r.ui.ui_screen(), Some(Screen::CheckedIn));
}

#[test]
fn applying_shows_the_entry_number_and_a_second_try_is_a_duplicate() {
    let l = lottery_fixture();
    let r = start(l.f);
    let ui = &r.ui;
    let heard = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let h = heard.clone();
    ui.set_feedback(Box::new(move |s| h.borrow_mut().push(s)));
    assert_eq!(applications(ui, &l.class), 0);
    open_classes(ui, KNOWN);
    press_class(ui, "転倒予防教室");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassApplied));
    // The tap and the application each sound.
    assert_eq!(*heard.borrow(), [Signal::Success, Signal::Success]);
    let g = ui.window().global::<Classes>();
    assert_eq!(g.get_entry_number(), "1");
    assert_eq!(g.get_entry(), "受付番号 1番");
    assert_eq!(g.get_headline(), "もうしこみました　転倒予防教室");
    assert!(g.get_message().contains("11月20日（金）"));
    let number = labelled(ui, "受付番号");
    assert_eq!(number.len(), 1);
    assert_eq!(number[0].accessible_value().unwrap_or_default(), "1");
    assert_eq!(applications(ui, &l.class), 1, "recorded in the store");

    press(ui, "もどる");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(g.get_entry_number(), "");
    open_classes(ui, KNOWN);
    press_class(ui, "転倒予防教室");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassRefused));
    assert_eq!(heard.borrow().last(), Some(&Signal::Attention));
    let expected = ApplyOutcome::Duplicate { entry_number: 1 }.message();
    assert_eq!(g.get_message(), expected.as_str());
    assert_eq!(g.get_detail(), "転倒予防教室");
    assert!(!labelled(ui, "もうしこみできませんでした").is_empty());
    assert_eq!(applications(ui, &l.class), 1, "nothing added");
}

#[test]
fn no_address_on_file_asks_for_staff_and_records_nothing() {
    let l = lottery_fixture();
    let r = start(l.f);
    let ui = &r.ui;
    open_classes(ui, NO_ADDRESS);
    assert_eq!(ui.ui_screen(), Some(Screen::Classes));
    assert!(result_labels(ui).is_empty(), "no one else's applications");
    press(ui, "転倒予防教室");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassNeedsAddress));
    let g = ui.window().global::<Classes>();
    assert!(g.get_message().contains("スタッフ"));
    assert!(!labelled(ui, "ご住所の登録がいります").is_empty());
    assert_eq!(applications(ui, &l.class), 0);
    assert_eq!(applications(ui, &l.earlier), 1);
}

#[test]
fn an_unknown_card_in_class_mode_gets_the_unknown_card_screen() {
    let l = lottery_fixture();
    let r = start(l.f);
    open_classes(&r.ui, UNKNOWN);
    assert_eq!(r.ui.ui_screen(), Some(Screen::UnknownCard));
    let g = r.ui.window().global::<Classes>();
    assert_eq!(g.get_classes().row_count(), 0);
}

#[test]
fn after_the_draw_the_card_shows_won_waiting_or_not_selected() {
    let l = lottery_fixture();
    let mut f = l.f;
    // Three more residents with addresses apply: capacity 1, waiting list, not selected.
    let mut extra = Vec::new();
    for i in 0..3u8 {
        let hex = format!("043344556677{i:02}");
        let id = person(
            &mut f,
            &format!("試験 太郎{i}"),
            "シケン タロウ",
            &format!("03-3456-78{i:02}"),
            &hex,
        );
        let o = f
            .store
            .apply_on_behalf(&f.manager, &id, &l.class, Some("新宿区架空町二丁目".into()))
            .unwrap();
        assert!(matches!(o, ApplyOutcome::Applied { .. }));
        extra.push(hex);
    }
    f.store
        .apply_by_card(&card(KNOWN), &l.class, None)
        .unwrap()
        .unwrap();
    f.clock.set(jst(date(2026, 11, 16), 10, 0));
    for c in [&l.class, &l.earlier] {
        f.store
            .close_lottery_class(
                &f.manager,
                c,
                vec!["ロト7 第600回 本数字".into(), "国債残高（末尾8桁）".into()],
            )
            .unwrap();
    }
    f.clock.set(jst(date(2026, 11, 20), 10, 0));
    for c in [&l.class, &l.earlier] {
        f.store
            .draw_lottery_class(
                &f.manager,
                c,
                vec!["7 8 11 17 19 25 46".into(), "08285182".into()],
            )
            .unwrap();
    }
    let r = start(f);
    let ui = &r.ui;
    let mut seen = Vec::new();
    for hex in std::iter::once(KNOWN.to_owned()).chain(extra) {
        open_classes(ui, &hex);
        assert_eq!(ui.ui_screen(), Some(Screen::Classes));
        let labels = result_labels(ui);
        assert!(!labels.is_empty());
        for label in &labels {
            assert!(
                label == "当選"
                    || label == "今回は選ばれませんでした"
                    || (label.starts_with("ほけつ ") && label.ends_with('番')),
                "{label}"
            );
            assert!(!labelled(ui, label).is_empty(), "{label} on screen");
        }
        // Only this card's own applications: the known resident has two.
        let own = if hex == KNOWN { 2 } else { 1 };
        assert_eq!(labels.len(), own);
        seen.extend(labels);
        // Nothing open any more.
        assert!(all_classes(ui).is_empty());
        assert!(!labelled(ui, "いまもうしこめる教室はありません。").is_empty());
        press(ui, "もどる");
    }
    assert_eq!(seen.iter().filter(|l| *l == "当選").count(), 2);
    assert!(seen.iter().any(|l| l.starts_with("ほけつ ")));
}

#[test]
fn class_screens_reset_to_waiting_when_idle_and_forget_the_card() {
    let l = lottery_fixture();
    let r = start(l.f);
    let ui = &r.ui;
    // The card prompt itself times out.
    press(ui, "教室のもうしこみ・ちゅうせんの結果");
    mock_elapsed_time(Duration::from_secs(21));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    // The class list.
    open_classes(ui, KNOWN);
    assert_eq!(ui.ui_screen(), Some(Screen::Classes));
    mock_elapsed_time(Duration::from_secs(19));
    assert_eq!(ui.ui_screen(), Some(Screen::Classes));
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(
        ui.ui_screen(),
        Some(Screen::Waiting),
        "idle reset within 30 s"
    );
    let g = ui.window().global::<Classes>();
    assert_eq!(g.get_classes().row_count(), 0);
    assert_eq!(g.get_results().row_count(), 0);
    // The entry number screen.
    open_classes(ui, KNOWN);
    press_class(ui, "転倒予防教室");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassApplied));
    mock_elapsed_time(Duration::from_secs(21));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(g.get_entry_number(), "");
    assert_eq!(g.get_headline(), "");
    // Back in normal mode: a tap is a check-in again (no session now).
    tap(ui, KNOWN);
    assert_eq!(ui.ui_screen(), Some(Screen::NoSession));
}

#[test]
fn every_control_on_the_class_screens_has_a_role_label_and_action() {
    use i_slint_backend_testing::{AccessibleRole, ElementQuery};
    let l = lottery_fixture();
    let r = start(l.f);
    let ui = &r.ui;
    let check = |ui: &KioskUi, at_least: usize| {
        let buttons = ElementQuery::from_root(ui.window())
            .match_descendants()
            .match_accessible_role(AccessibleRole::Button)
            .find_all();
        assert!(buttons.len() >= at_least);
        for b in buttons {
            assert!(b.accessible_label().is_some_and(|l| !l.is_empty()));
            assert!(b.size().height >= 72.0, "buttons at least 72 px");
        }
    };
    press(ui, "教室のもうしこみ・ちゅうせんの結果");
    check(ui, 1);
    tap(ui, KNOWN);
    // A class, back, the two page buttons.
    check(ui, 4);
    press_class(ui, "転倒予防教室");
    check(ui, 1);
}

fn sign_in_manager(ui: &KioskUi) {
    sign_in(ui, MANAGER, NEW_PASSWORD);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
}

#[test]
fn the_desk_applies_for_a_resident_and_takes_the_first_address_on_screen() {
    let l = lottery_fixture();
    let r = start(l.f);
    let ui = &r.ui;
    // At the kiosk the resident is sent to the desk for the address.
    open_classes(ui, NO_ADDRESS);
    press(ui, "転倒予防教室");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassNeedsAddress));
    press(ui, "もどる");

    // At the desk: find the person, apply on their behalf.
    sign_in_manager(ui);
    press(ui, "さがす");
    press(ui, "探し方の切り替え");
    for d in "0323456789".chars() {
        press(ui, &d.to_string());
    }
    press(ui, "この内容でさがす");
    press(ui, "スズキ イチロウ（1950年生まれ）");
    press(ui, "教室に申し込む");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffClasses));
    press(ui, "転倒予防教室");
    // First application: the address, town from the postal code on record.
    assert_eq!(ui.ui_screen(), Some(Screen::StaffCorrect));
    let rec = ui.window().global::<Record>();
    assert_eq!(rec.get_block_caption(), "番地（新宿区新宿）");
    // The building step's button applies to the class (not 「保存する」).
    assert_eq!(rec.get_building_action(), "申し込む");
    press(ui, "建物名へ");
    assert!(
        rec.get_message().contains("番地を入力"),
        "the block number is needed"
    );
    for d in "3-2-1".chars() {
        press(ui, &d.to_string());
    }
    press(ui, "部屋番号");
    for d in "101".chars() {
        press(ui, &d.to_string());
    }
    press(ui, "建物名へ");
    assert_eq!(rec.get_address_step(), RecordAddressStep::Building);
    // The building: its reading, then 大久保 picked and ハイツ left in katakana.
    for k in ["オ", "オ", "ク", "ホ", "゛", "空白", "ハ", "イ", "ツ"] {
        press(ui, k);
    }
    press(ui, "建物名");
    press(ui, "大久保");
    press(ui, "カタカナのまま");
    assert_eq!(ui.window().global::<Names>().get_written(), "大久保 ハイツ");
    press(ui, "申し込む");

    assert_eq!(ui.ui_screen(), Some(Screen::StaffRecord));
    assert!(
        rec.get_message()
            .contains("「転倒予防教室」に申し込みました。受付番号 1番"),
        "{}",
        rec.get_message()
    );
    assert!(
        rec.get_record_text()
            .contains("住所: 新宿区新宿3-2-1 大久保ハイツ 101"),
        "{}",
        rec.get_record_text()
    );
    assert_eq!(applications(ui, &l.class), 1);

    // The resident sees the application at the kiosk afterwards.
    press(ui, "もどる");
    press(ui, "もどる");
    press(ui, "もどる");
    press(ui, "サインアウト");
    open_classes(ui, NO_ADDRESS);
    assert_eq!(result_labels(ui), ["ちゅうせん待ち"]);
}

#[test]
fn a_second_application_at_the_desk_needs_no_address_and_refusals_are_said() {
    let l = lottery_fixture();
    let r = start(l.f);
    let ui = &r.ui;
    sign_in_manager(ui);
    open_record(
        ui,
        &["ヤ", "マ", "タ", "゛"],
        "ヤマダ ハナコ（1950年生まれ）",
    );
    press(ui, "教室に申し込む");
    // Already applied to 脳トレ教室: refused with the reason, nothing changes.
    let before = applications(ui, &l.earlier);
    press(ui, "脳トレ教室");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffClasses));
    let rec = ui.window().global::<Record>();
    assert!(
        rec.get_message().contains("もうしこん"),
        "{}",
        rec.get_message()
    );
    assert_eq!(applications(ui, &l.earlier), before);
    // The other class: the address is on file, so it is applied at once.
    press(ui, "転倒予防教室");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRecord));
    assert!(
        rec.get_message().contains("受付番号 1番"),
        "{}",
        rec.get_message()
    );
}
