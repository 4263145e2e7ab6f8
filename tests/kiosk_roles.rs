//! The staff screens × every kind of account: 取扱責任者, 取扱者, 運営者, a
//! deactivated account, a locked one. What each sees and may start, through
//! the screens (Slint's testing backend) and through the controller's
//! actions directly, as a hidden button pressed anyway would.

mod common;

use std::time::Duration;

use chrono::NaiveTime;
use i_slint_backend_testing::{init_no_event_loop, mock_elapsed_time};
use slint::ComponentHandle;
use tsudoi::kiosk::controller::Screen;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Signal};
use tsudoi::store::Role;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::{CardId, Technology};

use common::ui::{labelled, press, sign_in};
use common::*;

const TODAY: (i32, u32, u32) = (2026, 12, 2);
const CARD: &str = "04778899AABBCC";

fn card() -> Result<CardId, tsudoi_hw::CardIdError> {
    CardId::from_hex(Technology::Iso14443A, CARD)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Account {
    Manager,
    Handler,
    Operator,
    Deactivated,
    Locked,
}

impl Account {
    fn id(self) -> &'static str {
        match self {
            Account::Manager => MANAGER,
            Account::Handler => "tori01",
            Account::Operator => "unei01",
            Account::Deactivated => "taishoku01",
            Account::Locked => "lock01",
        }
    }
}

/// A store with the five accounts and a resident checked in today, opened
/// by a kiosk whose day a manager started (so taps work).
fn kiosk() -> KioskUi {
    init_no_event_loop();
    let today = date(TODAY.0, TODAY.1, TODAY.2);
    let Fixture {
        dir,
        path,
        clock,
        mut store,
        manager,
    } = fixture_on(today);
    add_ready_staff(
        &mut store,
        &manager,
        &[
            ("tori01", Role::Handler),
            ("unei01", Role::Operator),
            ("taishoku01", Role::Handler),
            ("lock01", Role::Handler),
        ],
        PASSWORD,
        NEW_PASSWORD,
    );
    store.deactivate_staff(&manager, "taishoku01").unwrap();
    {
        let mut other = reopen(&path, clock.clone());
        for _ in 0..5 {
            assert!(other.sign_in("lock01", "Wrong-password-99").is_err());
        }
    }
    store
        .add_session(
            &manager,
            NewSession {
                program: Program::Koryu,
                date: today,
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let id = store
        .register(
            &manager,
            resident(
                "試験 夏子",
                "しけん なつこ",
                "03-5555-0303",
                date(1953, 7, 7),
            ),
        )
        .unwrap();
    store.link_card(&manager, &id, &card().unwrap()).unwrap();
    store.sign_out(&manager).unwrap();
    // Keep the directory for the life of the test process.
    std::mem::forget(dir);
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(ui.on_card(card()), Signal::Success);
    mock_elapsed_time(Duration::from_secs(10));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    ui
}

fn shown(ui: &KioskUi, label: &str) -> bool {
    !labelled(ui, label).is_empty()
}

#[test]
fn each_account_sees_and_starts_only_its_roles_screens() {
    let ui = kiosk();
    for account in [
        Account::Manager,
        Account::Handler,
        Account::Operator,
        Account::Deactivated,
        Account::Locked,
    ] {
        sign_in(&ui, account.id(), NEW_PASSWORD);
        match account {
            Account::Deactivated => {
                assert_eq!(ui.ui_screen(), Some(Screen::StaffSignIn));
                let message = ui.with_controller(|c| c.sign_in_message().to_owned());
                assert!(message.contains("このアカウントは無効です"), "{message}");
                press(&ui, "やめる");
                continue;
            }
            Account::Locked => {
                assert_eq!(ui.ui_screen(), Some(Screen::StaffSignIn));
                let message = ui.with_controller(|c| c.sign_in_message().to_owned());
                assert!(message.contains("ロックされています"), "{message}");
                press(&ui, "やめる");
                continue;
            }
            _ => assert_eq!(ui.ui_screen(), Some(Screen::StaffToday), "{account:?}"),
        }
        let people = account != Account::Operator;
        let reports = account != Account::Handler;
        assert_eq!(shown(&ui, "さがす"), people, "{account:?}");
        assert_eq!(shown(&ui, "新しい方の登録"), people, "{account:?}");
        assert_eq!(shown(&ui, "月の報告"), reports, "{account:?}");
        assert!(shown(&ui, "活動を追加"), "{account:?}");
        // Who came today: names for those who handle people, a count for operators.
        let today = ui.with_controller(|c| c.today_rows().to_vec());
        assert_eq!(today[0].count, 1);
        let named = today[0].names.contains("ナツコ") || today[0].names.contains("なつこ");
        assert_eq!(named, people, "{account:?}: {:?}", today[0].names);

        // The hidden actions, started anyway, stay on Today.
        for (name, start) in [
            (
                "search",
                (|c: &mut KioskController| c.search_start()) as fn(&mut KioskController),
            ),
            ("register", |c: &mut KioskController| c.register_start()),
            ("report", |c: &mut KioskController| c.report_start()),
        ] {
            let screen = ui.with_controller(|c| {
                start(c);
                c.screen()
            });
            let allowed = match name {
                "report" => reports,
                _ => people,
            };
            assert_eq!(
                screen != Screen::StaffToday,
                allowed,
                "{account:?} {name}: {screen:?}"
            );
            ui.with_controller(|c| c.cancel());
            if ui.with_controller(|c| c.screen()) != Screen::StaffToday {
                ui.with_controller(|c| c.open_today());
            }
        }
        press(&ui, "サインアウト");
        assert_eq!(ui.ui_screen(), Some(Screen::Waiting), "{account:?}");
    }
}

/// 「音声案内の設定」 (issue 18): every active account may change the voice
/// (nothing personal is involved: the desk and the events are run by all
/// three roles); its actions do nothing without a sign-in or from
/// another screen than 「事故・点検」, and what is saved names who saved it.
#[test]
fn every_active_account_may_set_the_voice_and_no_one_signed_out() {
    use tsudoi_hw::voice::{Library, NoopOut, Speaker, VoiceConfig};
    let ui = kiosk();
    let library =
        Library::open(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/voice"))
            .unwrap();
    ui.with_controller(|c| {
        c.set_speaker(Speaker::new(
            Box::new(NoopOut),
            library,
            VoiceConfig::default(),
        ))
    });
    // Signed out, the actions started anyway change nothing.
    let untouched = ui.with_controller(|c| {
        c.voice_open();
        c.voice_enabled(false);
        c.voice_save();
        (c.screen(), c.store().voice_setting().unwrap())
    });
    assert_eq!(untouched, (Screen::Waiting, None));
    for (i, account) in [Account::Manager, Account::Handler, Account::Operator]
        .into_iter()
        .enumerate()
    {
        sign_in(&ui, account.id(), NEW_PASSWORD);
        // Not from Today: the button is on 「事故・点検」.
        assert_eq!(
            ui.with_controller(|c| {
                c.voice_open();
                c.screen()
            }),
            Screen::StaffToday
        );
        press(&ui, "事故・点検");
        assert!(shown(&ui, "音声案内の設定"), "{account:?}");
        press(&ui, "音声案内の設定");
        assert_eq!(ui.ui_screen(), Some(Screen::StaffVoice), "{account:?}");
        press(&ui, "音量を下げる");
        press(&ui, "保存する");
        let stored = ui.with_controller(|c| c.store().voice_setting().unwrap().unwrap());
        assert_eq!(usize::from(stored.volume), 70 - 10 * i, "{account:?}");
        press(&ui, "もどる");
        press(&ui, "もどる");
        press(&ui, "サインアウト");
        assert_eq!(ui.ui_screen(), Some(Screen::Waiting), "{account:?}");
    }
    let who = ui.with_controller(|c| {
        c.store()
            .audit_entries(1000)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "voice_change")
            .map(|e| e.actor)
            .collect::<Vec<_>>()
    });
    assert_eq!(who, ["kanri01", "tori01", "unei01"]);
}
