//! The kiosk screens driven through Slint's testing backend (mock time, no
//! display). All people and cards are invented.

mod common;

use std::time::Duration;

use chrono::NaiveTime;
use i_slint_backend_testing::{init_no_event_loop, mock_elapsed_time};
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::flows::checkin::adapter::CheckIn;
use tsudoi::kiosk::flows::record::adapter::Record;
use tsudoi::kiosk::flows::registration::adapter::{Names, Registration, RegistrationStep};
use tsudoi::kiosk::flows::sign_in::adapter::SignIn;
use tsudoi::kiosk::flows::today::adapter::Today;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Screen, Signal};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::{CardId, Technology};

use common::ui::{labelled, open_record, press, sign_in, type_text};
use common::*;

const CARD: &str = "04112233445566";
const TODAY: (i32, u32, u32) = (2026, 6, 2);

fn card(hex: &str) -> Result<CardId, tsudoi_hw::CardIdError> {
    CardId::from_hex(Technology::Iso14443A, hex)
}

fn session(f: &mut Fixture, title: &str, start: (u32, u32), end: (u32, u32)) -> String {
    let today = date(TODAY.0, TODAY.1, TODAY.2);
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: today,
                start: NaiveTime::from_hms_opt(start.0, start.1, 0).unwrap(),
                end: NaiveTime::from_hms_opt(end.0, end.1, 0).unwrap(),
                title: title.into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap()
}

/// A store at 10:00 with one session now and one resident (born 1950) whose card is linked.
fn kiosk_fixture() -> (Fixture, String) {
    let mut f = fixture_on(date(TODAY.0, TODAY.1, TODAY.2));
    session(&mut f, "交流サロン", (9, 0), (17, 0));
    let id = f
        .store
        .register(
            &f.manager,
            resident(
                "山田 花子",
                "ヤマダ ハナコ",
                "03-1234-5678",
                date(1950, 4, 1),
            ),
        )
        .unwrap();
    f.store
        .link_card(&f.manager, &id, &card(CARD).unwrap())
        .unwrap();
    (f, id)
}

fn start(f: Fixture) -> (KioskUi, tempfile::TempDir) {
    init_no_event_loop();
    let Fixture {
        dir,
        store,
        manager,
        ..
    } = f;
    let mut store = store;
    store.sign_out(&manager).unwrap();
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    (ui, dir)
}

fn attendance(ui: &KioskUi) -> u64 {
    ui.with_controller(|c| c.store().attendance_count().unwrap())
}

#[test]
fn known_card_checks_in_once_then_says_already_checked_in() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert!(!labelled(&ui, "カードをタッチしてください").is_empty());
    let before = attendance(&ui);

    assert_eq!(ui.on_card(card(CARD)), Signal::Success);
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    let g = ui.window().global::<CheckIn>();
    assert_eq!(g.get_name(), "ヤマダ ハナコ さん");
    assert_eq!(g.get_detail(), "交流サロン");
    assert!(!labelled(&ui, "受付しました").is_empty());
    assert_eq!(attendance(&ui), before + 1);

    assert_eq!(ui.on_card(card(CARD)), Signal::AlreadyCheckedIn);
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::AlreadyCheckedIn));
    assert!(!labelled(&ui, "受付はすんでいます").is_empty());
    assert_eq!(attendance(&ui), before + 1, "still one row");
}

#[test]
fn unknown_card_asks_for_staff_and_resets_when_idle() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    assert_eq!(ui.on_card(card("04AABBCCDDEEFF")), Signal::Attention);
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::UnknownCard));
    assert!(!labelled(&ui, "受付にお声がけください").is_empty());
    mock_elapsed_time(Duration::from_secs(19));
    assert_eq!(ui.ui_screen(), Some(Screen::UnknownCard));
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(
        ui.ui_screen(),
        Some(Screen::Waiting),
        "idle reset within 30 s"
    );
}

#[test]
fn checked_in_screen_returns_to_waiting_by_itself() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    ui.on_card(card(CARD));
    mock_elapsed_time(Duration::from_secs(4));
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    let g = ui.window().global::<CheckIn>();
    assert_eq!(g.get_name(), "", "the name is gone from the screen");
}

#[test]
fn several_sessions_now_offer_big_choices() {
    let (mut f, _) = kiosk_fixture();
    let class = session(&mut f, "体操教室", (10, 0), (11, 30));
    let (ui, _dir) = start(f);
    assert_eq!(ui.on_card(card(CARD)), Signal::Attention);
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::ChooseSession));
    let before = attendance(&ui);
    press(&ui, "体操教室");
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(ui.window().global::<CheckIn>().get_detail(), "体操教室");
    assert_eq!(attendance(&ui), before + 1);
    let _ = class;
}

#[test]
fn reader_disconnected_shows_a_banner() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    ui.on_reader_state(false);
    mock_elapsed_time(Duration::ZERO);
    const BANNER: &str = "カードリーダーがつながっていません。受付にお声がけください。";
    assert!(!labelled(&ui, BANNER).is_empty());
    assert!(!labelled(&ui, "いまはカードが使えません").is_empty());
    ui.on_reader_state(true);
    mock_elapsed_time(Duration::ZERO);
    assert!(labelled(&ui, BANNER).is_empty());
    assert!(!labelled(&ui, "カードをタッチしてください").is_empty());
}

#[test]
fn staff_sign_in_on_the_keyboard_shows_today_and_locks_when_idle() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    ui.on_card(card(CARD));
    mock_elapsed_time(Duration::from_secs(6));
    press(&ui, "スタッフのサインイン");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffSignIn));
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    assert!(
        !ui.window()
            .global::<SignIn>()
            .get_second_text()
            .contains('C'),
        "password is masked"
    );
    press(&ui, "サインイン");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    let today = ui.window().global::<Today>().get_rows();
    let row = today.row_data(0).unwrap();
    assert_eq!(row.count, 1);
    assert_eq!(row.names, "ヤマダ ハナコ");

    // A resident's tap while staff are at the screen changes nothing.
    assert_eq!(ui.on_card(card(CARD)), Signal::Attention);
    mock_elapsed_time(Duration::from_secs(4 * 60 + 59));
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(
        ui.ui_screen(),
        Some(Screen::Waiting),
        "locked after 5 minutes"
    );
    assert_eq!(
        ui.with_controller(|c| c.staff_id().map(str::to_owned)),
        None
    );
    // The store stays unlocked for check-ins.
    assert_eq!(ui.on_card(card(CARD)), Signal::AlreadyCheckedIn);
}

#[test]
fn sign_out_is_one_tap() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    press(&ui, "スタッフのサインイン");
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    press(&ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
}

#[test]
fn failed_sign_ins_lock_the_account_with_the_remaining_time() {
    let (f, _) = kiosk_fixture();
    let clock = f.clock.clone();
    let (ui, _dir) = start(f);
    press(&ui, "スタッフのサインイン");
    type_text(&ui, MANAGER);
    for _ in 0..5 {
        press(&ui, "パスワード");
        type_text(&ui, "wrong-pass");
        press(&ui, "サインイン");
    }
    let g = ui.window().global::<SignIn>();
    let msg = g.get_guide().to_string();
    assert!(msg.contains("ロックされています"), "{msg}");
    assert!(msg.contains("15分"), "{msg}");
    // Even the right password is refused while locked, with the time left.
    clock.advance(chrono::Duration::minutes(6));
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffSignIn));
    assert!(g.get_guide().contains("あと9分"), "{}", g.get_guide());
}

#[test]
fn first_sign_in_forces_a_password_change() {
    let (mut f, _) = kiosk_fixture();
    f.store
        .add_staff(
            &f.manager,
            "uketsuke01",
            tsudoi::store::Role::Handler,
            "Hajimete-2026-pass",
        )
        .unwrap();
    let (ui, _dir) = start(f);
    press(&ui, "スタッフのサインイン");
    type_text(&ui, "uketsuke01");
    press(&ui, "パスワード");
    type_text(&ui, "Hajimete-2026-pass");
    press(&ui, "サインイン");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffChangePassword));
    press(&ui, "新しいパスワード");
    // Symbols come from the 「記号」 keys (every one is checked in kiosk_controller).
    let password = r#"Ata{rashii}#2026\pw"#;
    type_text(&ui, password);
    press(&ui, "もう一度");
    type_text(&ui, password);
    press(&ui, "変更する");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    press(&ui, "サインアウト");
    press(&ui, "スタッフのサインイン");
    type_text(&ui, "uketsuke01");
    press(&ui, "パスワード");
    type_text(&ui, password);
    press(&ui, "サインイン");
    assert_eq!(
        ui.ui_screen(),
        Some(Screen::StaffToday),
        "the new password works"
    );
}

#[test]
fn locked_store_starts_locked_and_a_staff_sign_in_starts_the_day() {
    let (f, _) = kiosk_fixture();
    let Fixture {
        path, clock, dir, ..
    } = f;
    init_no_event_loop();
    let store = reopen(&path, clock);
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    assert_eq!(ui.on_card(card(CARD)), Signal::Attention);
    assert_eq!(ui.ui_screen(), Some(Screen::Locked));
    press(&ui, "スタッフのサインイン");
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    press(&ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(ui.on_card(card(CARD)), Signal::Success);
    drop(dir);
}

#[test]
fn add_a_session_from_today() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    press(&ui, "スタッフのサインイン");
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    press(&ui, "活動を追加");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffAddSession));
    press(&ui, "介護予防");
    press(&ui, "体操教室");
    press(&ui, "開始を30分遅く");
    press(&ui, "この活動を追加する");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    let sessions = ui.with_controller(|c| {
        let today = c.store().clock().today();
        c.store().sessions_on(today).unwrap()
    });
    let added = sessions.iter().find(|s| s.title == "体操教室").unwrap();
    assert_eq!(added.program, Program::Kaigo);
    assert_eq!(added.start, NaiveTime::from_hms_opt(10, 30, 0).unwrap());
    assert_eq!(added.end, NaiveTime::from_hms_opt(12, 0, 0).unwrap());
}

#[test]
fn every_control_has_a_role_label_and_action() {
    use i_slint_backend_testing::ElementQuery;
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    let buttons = ElementQuery::from_root(ui.window())
        .match_descendants()
        .match_accessible_role(i_slint_backend_testing::AccessibleRole::Button)
        .find_all();
    assert!(buttons.len() >= 2);
    for b in buttons {
        assert!(b.accessible_label().is_some_and(|l| !l.is_empty()));
    }
}

fn sign_in_manager(ui: &KioskUi) {
    sign_in(ui, MANAGER, NEW_PASSWORD);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
}

fn info(ui: &KioskUi) -> String {
    ui.window()
        .global::<Registration>()
        .get_confirmation()
        .to_string()
}

fn message(ui: &KioskUi) -> String {
    ui.window()
        .global::<Registration>()
        .get_notice()
        .to_string()
}

#[test]
fn registration_wizard_end_to_end_with_a_wareki_birth_date() {
    let (f, _) = kiosk_fixture();
    let path = f.path.clone();
    let (ui, _dir) = start(f);
    sign_in_manager(&ui);
    press(&ui, "新しい方の登録");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRegister));
    press(&ui, "後期高齢者医療被保険者証");
    // The furigana first, on the kana keyboard …
    for k in ["ス", "ス", "゛", "キ", "空白", "ハ", "ナ"] {
        press(&ui, k);
    }
    let g = ui.window().global::<Names>();
    let rg = ui.window().global::<Registration>();
    assert_eq!(g.get_kana(), "スズキ ハナ");
    press(&ui, "次へ");
    assert_eq!(
        rg.get_step(),
        RegistrationStep::Name,
        "no written name yet: stays"
    );
    // … then the written name, picked from the candidates: the family name,
    // then the given name, then the card's variant form of 鈴.
    press(&ui, "氏名");
    assert_eq!(g.get_row1().row_data(0).unwrap(), "鈴木");
    press(&ui, "鈴木");
    press(&ui, "花");
    assert_eq!(g.get_written(), "鈴木 花");
    press(&ui, "1つもどす");
    assert_eq!(g.get_written(), "鈴木");
    press(&ui, "華");
    assert_eq!(g.get_written(), "鈴木 華");
    press(&ui, "次へ");
    // 昭和22年2月3日 (1947-02-03) from the default 昭和30年1月1日.
    press(&ui, "昭和");
    press(&ui, "年を1減らす");
    press(&ui, "年を1減らす");
    press(&ui, "年を1減らす");
    press(&ui, "年を1減らす");
    press(&ui, "年を1減らす");
    press(&ui, "年を1減らす");
    press(&ui, "年を1減らす");
    press(&ui, "年を1減らす");
    press(&ui, "月を1増やす");
    press(&ui, "日を1増やす");
    press(&ui, "日を1増やす");
    assert!(info(&ui).starts_with("昭和22年2月3日"), "{}", info(&ui));
    assert!(info(&ui).contains("79歳"), "{}", info(&ui));
    assert!(message(&ui).contains("参加できる"));
    // 令和 would be too young: the wizard stops there, live.
    press(&ui, "令和");
    assert!(
        message(&ui).contains("から参加できます"),
        "{}",
        message(&ui)
    );
    press(&ui, "次へ");
    assert_eq!(
        rg.get_step(),
        RegistrationStep::Birth,
        "not eligible: stays"
    );
    press(&ui, "昭和");
    press(&ui, "次へ");

    // An out-of-ward postal code is stopped with the reason.
    for d in "1000001".chars() {
        press(&ui, &d.to_string());
    }
    assert!(message(&ui).contains("区外"), "{}", message(&ui));
    press(&ui, "次へ");
    assert_eq!(rg.get_step(), RegistrationStep::Postal);
    for _ in 0..7 {
        press(&ui, "一文字消す");
    }
    for d in "1600022".chars() {
        press(&ui, &d.to_string());
    }
    assert!(info(&ui).contains("新宿"), "{}", info(&ui));
    press(&ui, "次へ");
    for d in "0312345679".chars() {
        press(&ui, &d.to_string());
    }
    press(&ui, "次へ");
    assert_eq!(rg.get_step(), RegistrationStep::Consent);
    press(&ui, "同意を得て登録する");
    assert_eq!(rg.get_step(), RegistrationStep::Card);

    let new_card = "04DEADBEEF0102";
    assert_eq!(ui.on_card(card(new_card)), Signal::Success);
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    assert_eq!(g.get_kana(), "", "nothing typed stays on screen");
    assert_eq!(g.get_written(), "");

    // In the store: encrypted, findable by staff, the card linked.
    let (id, name, kana, birth, postal) = ui.with_controller(|c| {
        let staff = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let found = c.store_mut().find_by_kana(&staff, "スズキ").unwrap();
        let id = found[0].id.clone();
        let p = c.store_mut().participant(&staff, &id).unwrap();
        let card_owner = c
            .store()
            .participant_by_card(&card(new_card).unwrap())
            .unwrap();
        assert_eq!(card_owner.as_deref(), Some(id.as_str()));
        (
            id,
            p.name.to_string(),
            p.kana.to_string(),
            p.birth_date,
            p.postal_code.map(|z| z.to_string()),
        )
    });
    assert_eq!(name, "鈴木 華");
    assert_eq!(kana, "スズキ ハナ");
    assert_eq!(birth, Some(date(1947, 2, 3)));
    assert_eq!(postal.as_deref(), Some("1600022"));
    assert!(!id.is_empty());
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !contains(&bytes, "スズキ ハナ".as_bytes()),
        "kana is encrypted"
    );
    assert!(!contains(&bytes, "鈴木 華".as_bytes()), "name is encrypted");
    assert!(!contains(&bytes, b"0312345679"), "phone is encrypted");

    // The new card checks its holder in at once.
    press(&ui, "サインアウト");
    assert_eq!(ui.on_card(card(new_card)), Signal::Success);
}

#[test]
fn search_by_kana_and_phone_then_check_in_by_hand() {
    let (mut f, _) = kiosk_fixture();
    f.store
        .register(
            &f.manager,
            resident(
                "田中 一郎",
                "タナカ イチロウ",
                "090-1111-2222",
                date(1948, 8, 8),
            ),
        )
        .unwrap();
    let (ui, _dir) = start(f);
    sign_in_manager(&ui);
    press(&ui, "さがす");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffSearch));
    for k in ["タ", "ナ", "カ"] {
        press(&ui, k);
    }
    press(&ui, "この内容でさがす");
    let rec = ui.window().global::<Record>();
    let hits = rec.get_hits();
    assert_eq!(hits.row_count(), 1, "only the matching person");
    assert!(hits.row_data(0).unwrap().label.contains("タナカ イチロウ"));
    press(&ui, "タナカ イチロウ（1948年生まれ）");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRecord));
    assert!(rec.get_record_text().contains("昭和23年8月8日"));
    let before = attendance(&ui);
    press(&ui, "交流サロンに受付");
    assert!(rec.get_message().contains("受付ができました"));
    assert_eq!(attendance(&ui), before + 1);

    // By phone.
    press(&ui, "もどる");
    press(&ui, "もどる");
    press(&ui, "探し方の切り替え");
    for d in "03-1234-5678".chars() {
        press(&ui, &d.to_string());
    }
    press(&ui, "この内容でさがす");
    assert_eq!(rec.get_hits().row_count(), 1);
    assert!(
        rec.get_hits()
            .row_data(0)
            .unwrap()
            .label
            .contains("ヤマダ ハナコ")
    );
    // Leaving the staff screens clears what was shown.
    press(&ui, "もどる");
    press(&ui, "もどる");
    press(&ui, "サインアウト");
    assert_eq!(rec.get_hits().row_count(), 0);
    assert_eq!(rec.get_record_text(), "");
}

#[test]
fn correct_a_phone_and_re_verify_from_the_record() {
    let (f, id) = kiosk_fixture();
    let clock = f.clock.clone();
    let (ui, _dir) = start(f);
    // A year and more later: the resident is due for re-verification.
    clock.set(tsudoi::clock::jst(date(2027, 6, 10), 10, 0));
    ui.with_controller(|c| {
        let s = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        c.store_mut()
            .add_session(
                &s,
                NewSession {
                    program: Program::Koryu,
                    date: date(2027, 6, 10),
                    start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                    title: "交流サロン".into(),
                    capacity: None,
                    mode: SessionMode::Open,
                },
            )
            .unwrap();
        c.store_mut().sign_out(&s).unwrap();
    });
    assert_eq!(ui.on_card(card(CARD)), Signal::Attention);
    assert_eq!(ui.ui_screen(), Some(Screen::ReverificationDue));
    press(&ui, "もどる");

    sign_in_manager(&ui);
    open_record(
        &ui,
        &["ヤ", "マ", "タ", "゛"],
        "ヤマダ ハナコ（1950年生まれ）",
    );
    let rec = ui.window().global::<Record>();
    assert!(rec.get_record_text().contains("やり直しの時期"));

    press(&ui, "直す・消す");
    press(&ui, "電話を直す");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffCorrect));
    for d in "09012345678".chars() {
        press(&ui, &d.to_string());
    }
    press(&ui, "訂正する");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRecord));
    assert!(
        rec.get_record_text().contains("090"),
        "{}",
        rec.get_record_text()
    );

    press(&ui, "本人確認をやり直す");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRegister));
    press(&ui, "マイナンバーカード");
    // The birth date on record is filled in: 昭和25年4月1日.
    assert!(info(&ui).starts_with("昭和25年4月1日"), "{}", info(&ui));
    press(&ui, "次へ");
    assert!(info(&ui).contains("新宿"), "{}", info(&ui));
    press(&ui, "次へ");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRecord));
    assert!(rec.get_message().contains("本人確認を記録しました"));
    assert!(!rec.get_record_text().contains("やり直しの時期"));

    press(&ui, "もどる");
    press(&ui, "もどる");
    press(&ui, "もどる");
    press(&ui, "サインアウト");
    assert_eq!(ui.on_card(card(CARD)), Signal::Success);
    let p = ui.with_controller(|c| {
        let s = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let p = c.store_mut().participant(&s, &id).unwrap();
        (p.phone.to_string(), p.document, p.verified_on)
    });
    assert_eq!(p.0, "09012345678");
    assert_eq!(
        p.1,
        Some(tsudoi::store::participants::DocumentKind::MyNumberCard)
    );
    assert_eq!(p.2, Some(date(2027, 6, 10)));
}

#[test]
fn the_feedback_hook_hears_every_tap() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    let heard = Rc::new(RefCell::new(Vec::new()));
    let h = heard.clone();
    ui.set_feedback(Box::new(move |s| h.borrow_mut().push(s)));
    ui.on_card(card(CARD));
    ui.on_card(card(CARD));
    ui.on_card(card("04AABBCCDDEEFF"));
    ui.on_card(Err(tsudoi_hw::CardIdError::Empty));
    assert_eq!(
        *heard.borrow(),
        vec![
            Signal::Success,
            Signal::AlreadyCheckedIn,
            Signal::Attention,
            Signal::Error
        ]
    );
}

#[test]
fn choosing_a_session_sounds_like_a_tap_and_staff_buttons_stay_quiet() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let (mut f, _) = kiosk_fixture();
    session(&mut f, "囲碁の会", (9, 30), (12, 0));
    let (ui, _dir) = start(f);
    let heard = Rc::new(RefCell::new(Vec::new()));
    let h = heard.clone();
    ui.set_feedback(Box::new(move |s| h.borrow_mut().push(s)));
    // Two sessions now: the tap asks (attention), the choice checks in (success).
    ui.on_card(card(CARD));
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::ChooseSession));
    press(&ui, "囲碁の会");
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(*heard.borrow(), vec![Signal::Attention, Signal::Success]);
    // A check-in by hand on the staff screens plays nothing.
    press(&ui, "もどる");
    sign_in_manager(&ui);
    open_record(
        &ui,
        &["ヤ", "マ", "タ", "゛"],
        "ヤマダ ハナコ（1950年生まれ）",
    );
    press(&ui, "交流サロンに受付");
    assert_eq!(heard.borrow().len(), 2);
}

#[test]
fn the_demo_panel_taps_the_demo_cards() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    ui.set_demo_mode(true);
    mock_elapsed_time(Duration::ZERO);
    press(&ui, "デモ: 2 未登録カード");
    assert_eq!(ui.ui_screen(), Some(Screen::UnknownCard));
    press(&ui, "デモ: 4 スマホ・時計");
    assert_eq!(ui.ui_screen(), Some(Screen::CardError));
}

/// Lets real time pass for the reader thread while Slint's mock clock keeps
/// pace, until `done` holds (at most about five seconds).
fn wait_for(ui: &KioskUi, done: impl Fn(&KioskUi) -> bool) -> bool {
    for _ in 0..250 {
        mock_elapsed_time(Duration::from_millis(20));
        if done(ui) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn attach_simulated(
    ui: &KioskUi,
) -> (
    tsudoi_hw::SimulatedReaderControl,
    tsudoi_hw::RecordingFeedback,
) {
    let (reader, control) = tsudoi_hw::SimulatedReader::new();
    let settings = tsudoi_hw::ReaderSettings {
        poll_interval: Duration::from_millis(10),
        cooldown: Duration::from_millis(500),
        ..tsudoi_hw::ReaderSettings::default()
    };
    let handle = tsudoi_hw::spawn_reader(Box::new(reader), settings);
    let feedback = tsudoi_hw::RecordingFeedback::new();
    ui.attach_reader(handle, Some(control.clone()), Box::new(feedback.clone()));
    (control, feedback)
}

#[test]
fn taps_on_the_reader_thread_reach_the_screen_and_the_buzzer() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    let (control, feedback) = attach_simulated(&ui);
    let attendance = |ui: &KioskUi| ui.with_controller(|c| c.store().attendance_count().unwrap());

    // A card held on the reader checks in once, with the success tone.
    control.place(&card(CARD).unwrap());
    assert!(wait_for(&ui, |ui| ui.ui_screen() == Some(Screen::CheckedIn)));
    std::thread::sleep(Duration::from_millis(300));
    mock_elapsed_time(Duration::from_millis(20));
    assert_eq!(attendance(&ui), 1);
    assert_eq!(feedback.signals(), vec![Signal::Success]);
    control.remove();

    // Lifted and tapped again after the cooldown: already checked in, its own tone.
    std::thread::sleep(Duration::from_millis(700));
    control.place(&card(CARD).unwrap());
    assert!(wait_for(&ui, |ui| ui.ui_screen() == Some(Screen::AlreadyCheckedIn)));
    control.remove();
    assert_eq!(attendance(&ui), 1);
    assert_eq!(
        feedback.signals(),
        vec![Signal::Success, Signal::AlreadyCheckedIn]
    );

    // Unplugged: the banner; plugged back: gone, and taps work again.
    control.unplug();
    assert!(wait_for(&ui, |ui| !ui.with_controller(|c| c.reader_connected())));
    control.replug();
    assert!(wait_for(&ui, |ui| ui.with_controller(|c| c.reader_connected())));
}

#[test]
fn the_demo_panel_taps_through_the_simulated_reader() {
    let (f, _) = kiosk_fixture();
    let (ui, _dir) = start(f);
    ui.set_demo_mode(true);
    let (_control, feedback) = attach_simulated(&ui);
    press(&ui, "デモ: 2 未登録カード");
    assert!(wait_for(&ui, |ui| ui.ui_screen() == Some(Screen::UnknownCard)));
    press(&ui, "デモ: 4 スマホ・時計");
    assert!(wait_for(&ui, |ui| ui.ui_screen() == Some(Screen::CardError)));
    assert_eq!(feedback.signals(), vec![Signal::Attention, Signal::Error]);
}

#[test]
fn correct_the_written_name_with_a_variant_and_the_furigana_from_the_record() {
    let (mut f, id) = kiosk_fixture();
    let other = f
        .store
        .register(
            &f.manager,
            resident(
                "高橋 一郎",
                "タカハシ イチロウ",
                "090-3333-4444",
                date(1949, 9, 9),
            ),
        )
        .unwrap();
    let (ui, _dir) = start(f);
    sign_in_manager(&ui);
    press(&ui, "さがす");
    press(&ui, "探し方の切り替え");
    for d in "09033334444".chars() {
        press(&ui, &d.to_string());
    }
    press(&ui, "この内容でさがす");
    press(&ui, "タカハシ イチロウ（1949年生まれ）");
    press(&ui, "直す・消す");
    press(&ui, "氏名・ふりがなを直す");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffCorrect));
    let n = ui.window().global::<Names>();
    let rec = ui.window().global::<Record>();
    // The furigana on record is the starting point; the name on record is shown.
    assert_eq!(n.get_kana(), "タカハシ イチロウ");
    assert!(n.get_guide().contains("高橋 一郎"), "{}", n.get_guide());
    // Nothing changed yet: nothing to save.
    press(&ui, "訂正する");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffCorrect));
    assert!(n.get_guide().contains("変更がありません"));

    // The card says 髙橋 and the given name is read イチオ.
    for _ in 0..2 {
        press(&ui, "⌫");
    }
    press(&ui, "オ");
    press(&ui, "氏名");
    press(&ui, "高橋");
    press(&ui, "1字ずつ選ぶ");
    press(&ui, "一");
    assert!(
        n.get_written_line().ends_with("のこり「お」"),
        "{}",
        n.get_written_line()
    );
    press(&ui, "男");
    assert_eq!(n.get_written(), "高橋 一男");
    press(&ui, "異体字");
    press(&ui, "髙橋");
    assert_eq!(n.get_written(), "髙橋 一男");
    press(&ui, "訂正する");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRecord));
    assert!(rec.get_message().contains("訂正しました"));
    assert!(
        rec.get_record_text()
            .starts_with("髙橋 一男（タカハシ イチオ）"),
        "{}",
        rec.get_record_text()
    );
    // Leaving clears the name entry; the other resident is untouched.
    press(&ui, "もどる");
    assert_eq!(n.get_written(), "");
    ui.with_controller(|c| {
        let s = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let p = c.store_mut().participant(&s, &other).unwrap();
        assert_eq!(p.name.as_str(), "髙橋 一男");
        assert_eq!(p.kana.as_str(), "タカハシ イチオ");
        let q = c.store_mut().participant(&s, &id).unwrap();
        assert_eq!(q.name.as_str(), "山田 花子");
    });
}

#[test]
fn delete_a_record_at_the_persons_request_after_asking_once_more() {
    let (f, id) = kiosk_fixture();
    let (ui, _dir) = start(f);
    sign_in_manager(&ui);
    open_record(
        &ui,
        &["ヤ", "マ", "タ", "゛"],
        "ヤマダ ハナコ（1950年生まれ）",
    );
    press(&ui, "直す・消す");
    press(&ui, "記録を消す");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffConfirmDelete));
    let rec = ui.window().global::<Record>();
    assert_eq!(
        labelled(&ui, "記録を消しますか")[0]
            .accessible_value()
            .unwrap(),
        "山田 花子 さんの記録を消しますか"
    );
    // Changing one's mind deletes nothing.
    press(&ui, "やめる");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffEditMenu));
    press(&ui, "記録を消す");
    press(&ui, "記録を消す（元に戻せません）");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffSearch));
    assert_eq!(rec.get_message(), "記録を消しました。");
    assert_eq!(rec.get_delete_question(), "");
    assert_eq!(
        rec.get_record_text(),
        "",
        "nothing of the record stays on screen"
    );
    assert_eq!(rec.get_hits().row_count(), 0);
    let (count, found, intact, deleted) = ui.with_controller(|c| {
        let s = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let found = c.store_mut().find_by_kana(&s, "ヤマダ").unwrap().len();
        let deleted = c
            .store()
            .audit_entries(50)
            .unwrap()
            .iter()
            .any(|e| e.action == "delete" && e.record_id == id && e.actor == MANAGER);
        let verdict = c
            .store_mut()
            .verify_audit(&tsudoi::store::Actor::Staff(s))
            .unwrap();
        (
            c.store().participant_count().unwrap(),
            found,
            matches!(verdict, tsudoi::store::audit::ChainVerdict::Intact { .. }),
            deleted,
        )
    });
    assert_eq!((count, found), (0, 0));
    assert!(deleted, "the deletion is in the audit log, by whom");
    assert!(intact, "and the chain is intact");
    // The card no longer belongs to anyone.
    press(&ui, "もどる");
    press(&ui, "もどる");
    press(&ui, "サインアウト");
    assert_eq!(ui.on_card(card(CARD)), Signal::Attention);
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.ui_screen(), Some(Screen::UnknownCard));
}
