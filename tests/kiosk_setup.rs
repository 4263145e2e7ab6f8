//! 「はじめての設定」 (issue 11): with no store, the kiosk's first-start
//! wizard is driven through Slint's testing backend as an installer would
//! tap it — the site in katakana and digits, the manager's id and password
//! on the kiosk's keyboards, the recovery key read off the screen and its
//! last group typed back, the device keys — and then goes on, in the same
//! window, into the kiosk's staff sign-in, where the manager must choose a
//! new password. The store is checked with `sqlite3`, and with the `tsudoi`
//! command line: the first password alone opens nothing, the audit log is
//! intact, and the recovery key shown on screen resets the password.
//! A wizard left before 「作成する」, or cut short while the recovery key is
//! on screen, leaves no store. All names and passwords are invented.

mod common;

use std::cell::RefCell;
use std::path::Path;
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use i_slint_backend_testing::{ElementHandle, mock_elapsed_time};
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::controller::{SetupController, StoreCreator};
use tsudoi::kiosk::flows::setup::adapter::{Setup, SetupStep, SetupUi};
use tsudoi::kiosk::ui::AppWindow;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Screen};
use tsudoi::store::Store;

use common::cli::{Env, code, text};

const FIRST: &str = "Hajimete-2026-pass";
const CHOSEN: &str = "Kimeta-2026-pass!";
const RECOVERED: &str = "Kaifuku-2026-pass";

fn labelled(window: &AppWindow, label: &str) -> Vec<ElementHandle> {
    ElementHandle::find_by_accessible_label(window, label).collect()
}

fn press(window: &AppWindow, label: &str) {
    let found = labelled(window, label);
    assert!(!found.is_empty(), "no control labelled {label:?}");
    found[0].invoke_accessible_default_action();
    mock_elapsed_time(Duration::ZERO);
}

/// Types on the letter keyboard as `common::ui::type_text` does.
fn type_text(window: &AppWindow, text: &str) {
    for ch in text.chars() {
        if !ch.is_ascii_alphanumeric() && !"-._@".contains(ch) {
            press(window, "記号を出す");
            press(window, &ch.to_string());
            press(window, "英字にもどす");
            continue;
        }
        let upper = ch.is_ascii_uppercase();
        if upper {
            press(window, "大文字と小文字の切り替え");
        }
        press(window, &ch.to_ascii_lowercase().to_string());
        if upper {
            press(window, "大文字と小文字の切り替え");
        }
    }
}

fn step(ui: &SetupUi) -> SetupStep {
    ui.window().global::<Setup>().get_step()
}

/// The wizard on the 800×480 panel, making the store of `env` with its
/// configuration's (small) Argon2 parameters.
/// The testing platform is installed once per test (thread) beforehand.
fn wizard(env: &Env) -> SetupUi {
    let config = tsudoi::config::Config::load(&env.path("config.toml")).unwrap();
    let maker = StoreCreator {
        path: env.store(),
        policy: config.policy().unwrap(),
        postal: config.postal_table().unwrap(),
        clock: Arc::new(tsudoi::clock::SystemClock),
    };
    let ui = SetupUi::new(SetupController::new(Arc::new(maker), None)).unwrap();
    ui.window().show().unwrap();
    ui.window()
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    mock_elapsed_time(Duration::ZERO);
    ui
}

/// From the welcome step to the confirmation, as tapped.
fn fill_in(ui: &SetupUi) {
    let w = ui.window();
    assert_eq!(step(ui), SetupStep::Welcome);
    press(w, "はじめる");
    for k in ["テ", "ス", "ト", "空白"] {
        press(w, k);
    }
    press(w, "英数字のキーボード");
    type_text(w, "A1");
    press(w, "次へ");
    assert_eq!(step(ui), SetupStep::Manager);
    type_text(w, common::MANAGER);
    press(w, "次へ");
    assert_eq!(step(ui), SetupStep::Password);
    type_text(w, FIRST);
    press(w, "もう一度");
    type_text(w, FIRST);
    press(w, "次へ");
    assert_eq!(
        step(ui),
        SetupStep::Confirm,
        "{}",
        ui.window().global::<Setup>().get_message()
    );
}

/// Waits for the creating thread (Argon2), letting the UI's timer run.
fn wait_created(ui: &SetupUi) {
    let start = Instant::now();
    while step(ui) == SetupStep::Creating {
        assert!(start.elapsed() < Duration::from_secs(120), "still creating");
        std::thread::sleep(Duration::from_millis(20));
        mock_elapsed_time(Duration::from_millis(60));
    }
}

/// The recovery key as the screen shows it, group by group.
fn key_on_screen(ui: &SetupUi) -> String {
    let groups: Vec<String> = labelled(ui.window(), "回復キーのまとまり")
        .iter()
        .map(|g| g.accessible_value().unwrap_or_default().to_string())
        .collect();
    assert_eq!(groups.len(), 14, "{groups:?}");
    groups.join("-")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sqlite3(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

#[test]
fn the_wizard_makes_a_store_and_the_kiosk_goes_on_to_the_sign_in() {
    let env = Env::new();
    i_slint_backend_testing::init_no_event_loop();
    let ui = wizard(&env);
    fill_in(&ui);
    let w = ui.window();
    let lines: Vec<String> = w
        .global::<Setup>()
        .get_lines()
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(lines.contains(&"施設名：テスト A1".to_owned()), "{lines:?}");
    press(w, "作成する");
    wait_created(&ui);
    assert_eq!(
        step(&ui),
        SetupStep::RecoveryKey,
        "{}",
        w.global::<Setup>().get_message()
    );
    let key = key_on_screen(&ui);
    assert!(
        !env.store().exists(),
        "no store where the kiosk looks until the key is written down"
    );

    press(w, "書き写しました");
    assert_eq!(step(&ui), SetupStep::RecoveryCheck);
    assert!(
        labelled(w, "回復キーのまとまり").is_empty(),
        "the key is hidden now"
    );
    // The keys show capitals on this step; their labels stay lowercase.
    let last = key.rsplit('-').next().unwrap().to_ascii_lowercase();
    for ch in last.chars() {
        press(w, &ch.to_string());
    }
    press(w, "確かめる");
    assert_eq!(
        step(&ui),
        SetupStep::DeviceKeys,
        "{}",
        w.global::<Setup>().get_message()
    );
    assert_eq!(files_in(env.dir.path()), ["config.toml", "tsudoi.db"]);
    let lines: Vec<String> = w
        .global::<Setup>()
        .get_lines()
        .iter()
        .map(|l| l.to_string())
        .collect();
    let vkey = text(&env.run(&["audit", "vkey"], None).stdout);
    assert!(
        lines.contains(&vkey.trim().to_owned()),
        "{lines:?} / {vkey}"
    );

    press(w, "写しました");
    assert_eq!(step(&ui), SetupStep::Done);

    // The command line, before the kiosk: the first password opens nothing.
    assert_eq!(
        sqlite3(
            &env.store(),
            "PRAGMA integrity_check; SELECT id || ' ' || role || ' ' || must_change_password FROM staff; SELECT value FROM meta WHERE key = 'site';"
        ),
        "ok\nkanri01 manager 1\nテスト A1"
    );
    let refused = env.run(&["staff", "list"], Some(FIRST));
    assert_eq!(code(&refused), 3, "{}", text(&refused.stderr));

    // 「サインインへ」: the same window becomes the kiosk's.
    let kiosk: Rc<RefCell<Option<KioskUi>>> = Rc::default();
    {
        let kiosk = kiosk.clone();
        let path = env.store();
        let config = tsudoi::config::Config::load(&env.path("config.toml")).unwrap();
        ui.on_finished(move |window, manager| {
            let store = Store::open(
                &path,
                config.policy().unwrap(),
                config.postal_table().unwrap(),
                Arc::new(tsudoi::clock::SystemClock),
            )
            .unwrap();
            let k =
                KioskUi::with_window(window, KioskController::new(store, KioskConfig::default()))
                    .unwrap();
            k.with_controller(|c| c.staff_start_as(&manager));
            *kiosk.borrow_mut() = Some(k);
        });
    }
    press(w, "サインインへ");
    let borrowed = kiosk.borrow();
    let k = borrowed.as_ref().expect("the kiosk took the window");
    assert_eq!(k.ui_screen(), Some(Screen::StaffSignIn));
    let g = k
        .window()
        .global::<tsudoi::kiosk::flows::sign_in::adapter::SignIn>();
    assert_eq!(g.get_first_text(), common::MANAGER, "the id is typed in");
    type_text(k.window(), FIRST);
    press(k.window(), "サインイン");
    assert_eq!(
        k.ui_screen(),
        Some(Screen::StaffChangePassword),
        "{}",
        g.get_guide()
    );
    type_text(k.window(), CHOSEN);
    press(k.window(), "もう一度");
    type_text(k.window(), CHOSEN);
    press(k.window(), "変更する");
    assert_eq!(k.ui_screen(), Some(Screen::StaffToday), "{}", g.get_guide());

    // Now the command line opens the store with the chosen password.
    let list = env.run(&["staff", "list"], Some(CHOSEN));
    assert!(list.status.success(), "{}", text(&list.stderr));
    assert!(
        text(&list.stdout).contains("kanri01"),
        "{}",
        text(&list.stdout)
    );
    let verify = env.run(&["audit", "verify"], Some(CHOSEN));
    assert!(
        verify.status.success(),
        "{}{}",
        text(&verify.stdout),
        text(&verify.stderr)
    );
    assert_eq!(
        sqlite3(
            &env.store(),
            "SELECT must_change_password FROM staff WHERE id = 'kanri01';"
        ),
        "0"
    );

    // The recovery key read off the screen resets the manager's password.
    let mut c = env.cmd(&["staff", "recover", "kanri01"]);
    c.env("TSUDOI_RECOVERY_KEY", &key)
        .env("TSUDOI_NEW_PASSWORD", RECOVERED);
    let recovered = c.output().unwrap();
    assert!(recovered.status.success(), "{}", text(&recovered.stderr));
    let mut c = env.cmd(&["staff", "passwd"]);
    c.env("TSUDOI_PASSWORD", RECOVERED)
        .env("TSUDOI_NEW_PASSWORD", FIRST);
    let changed = c.output().unwrap();
    assert!(changed.status.success(), "{}", text(&changed.stderr));
}

#[test]
fn a_wizard_left_before_it_ends_leaves_no_store() {
    let env = Env::new();
    i_slint_backend_testing::init_no_event_loop();
    let ui = wizard(&env);
    fill_in(&ui);
    for _ in 0..4 {
        press(ui.window(), "もどる");
    }
    assert_eq!(step(&ui), SetupStep::Welcome);
    drop(ui);
    assert_eq!(
        files_in(env.dir.path()),
        ["config.toml"],
        "nothing made before 作成する"
    );

    // Cut short while the recovery key is on screen (a power cut): the
    // store waits under its temporary name, and `tsudoi run` would open
    // the wizard again, which starts afresh.
    let ui = wizard(&env);
    fill_in(&ui);
    press(ui.window(), "作成する");
    wait_created(&ui);
    assert_eq!(step(&ui), SetupStep::RecoveryKey);
    drop(ui);
    assert_eq!(files_in(env.dir.path()), ["config.toml", "tsudoi.db.setup"]);
    assert!(!env.store().exists());
    let again = wizard(&env);
    fill_in(&again);
    press(again.window(), "作成する");
    wait_created(&again);
    let key = key_on_screen(&again);
    press(again.window(), "書き写しました");
    for ch in key.rsplit('-').next().unwrap().to_ascii_lowercase().chars() {
        press(again.window(), &ch.to_string());
    }
    press(again.window(), "確かめる");
    assert_eq!(step(&again), SetupStep::DeviceKeys);
    assert_eq!(files_in(env.dir.path()), ["config.toml", "tsudoi.db"]);
}
