//! Driving the kiosk's screens through Slint's testing backend: controls are
//! found by their accessible label, pressed, and typed on as staff would.

use std::time::Duration;

use i_slint_backend_testing::{ElementHandle, mock_elapsed_time};
use tsudoi::kiosk::KioskUi;

/// Every element with this accessible label.
pub fn labelled(ui: &KioskUi, label: &str) -> Vec<ElementHandle> {
    ElementHandle::find_by_accessible_label(ui.window(), label).collect()
}

/// Presses the first control with this label (fails the test if there is none).
pub fn press(ui: &KioskUi, label: &str) {
    let found = labelled(ui, label);
    assert!(!found.is_empty(), "no control labelled {label:?}");
    found[0].invoke_accessible_default_action();
    mock_elapsed_time(Duration::ZERO);
}

/// Types on the sign-in keyboard: letters (with the shift key), digits and
/// - . _ @ on the letter keys, other symbols behind 「記号」.
pub fn type_text(ui: &KioskUi, text: &str) {
    for ch in text.chars() {
        if !ch.is_ascii_alphanumeric() && !"-._@".contains(ch) {
            press(ui, "記号を出す");
            press(ui, &ch.to_string());
            press(ui, "英字にもどす");
            continue;
        }
        let upper = ch.is_ascii_uppercase();
        if upper {
            press(ui, "大文字と小文字の切り替え");
        }
        press(ui, &ch.to_ascii_lowercase().to_string());
        if upper {
            press(ui, "大文字と小文字の切り替え");
        }
    }
}

/// From the waiting screen: the staff sign-in, the id and the password typed
/// on screen, 「サインイン」.
pub fn sign_in(ui: &KioskUi, id: &str, password: &str) {
    press(ui, "スタッフのサインイン");
    type_text(ui, id);
    press(ui, "パスワード");
    type_text(ui, password);
    press(ui, "サインイン");
}

/// From the Today screen: 「さがす」 by kana, typed as `keys` on the kana
/// keyboard, then the hit labelled `hit` (kana and birth year) opened.
pub fn open_record(ui: &KioskUi, keys: &[&str], hit: &str) {
    press(ui, "さがす");
    for k in keys {
        press(ui, k);
    }
    press(ui, "この内容でさがす");
    press(ui, hit);
}

/// A kiosk running on a fixture's store, and the store's folder.
pub struct Running {
    pub ui: KioskUi,
    pub dir: tempfile::TempDir,
}

/// Hands the fixture's store to a kiosk on the 7-inch panel (800×480: the
/// testing backend finds only controls in view). The day starts with a staff
/// sign-in, since the fixture's clock may have moved days since the store
/// was unlocked.
pub fn start_day(f: super::Fixture) -> Running {
    let super::Fixture {
        dir,
        mut store,
        manager,
        ..
    } = f;
    store.sign_out(&manager).unwrap();
    let day = store.sign_in(super::MANAGER, super::NEW_PASSWORD).unwrap();
    store.sign_out(&day).unwrap();
    let ui = on_panel(store, tsudoi::kiosk::KioskConfig::default());
    Running { ui, dir }
}

/// The kiosk over `store`, shown on the 7-inch panel (800×480: the testing
/// backend finds only controls in view), its clock at zero.
pub fn on_panel(store: tsudoi::store::Store, config: tsudoi::kiosk::KioskConfig) -> KioskUi {
    use slint::ComponentHandle;
    // The testing backend is installed once a thread; a test may open the
    // kiosk again (a restart) on the same thread.
    thread_local!(static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !STARTED.replace(true) {
        i_slint_backend_testing::init_no_event_loop();
    }
    let ui = KioskUi::new(tsudoi::kiosk::KioskController::new(store, config)).unwrap();
    ui.window().show().unwrap();
    ui.window()
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    mock_elapsed_time(Duration::ZERO);
    ui
}

/// A kiosk configuration whose USB sticks are found under `media_root` (a
/// `common::media::fake_system`), sealing reports to `ward` when given.
pub fn with_sticks(
    media_root: &std::path::Path,
    ward: Option<tsudoi::report::merge::WardRecipient>,
) -> tsudoi::kiosk::KioskConfig {
    tsudoi::kiosk::KioskConfig {
        usb: tsudoi::kiosk::controller::UsbExport {
            media_root: media_root.to_owned(),
            ward,
        },
        ..tsudoi::kiosk::KioskConfig::default()
    }
}
