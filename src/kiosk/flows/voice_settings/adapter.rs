//! 「音声案内の設定」's adapter: copies the flow's [`super::VoiceForm`] into
//! the `VoiceSettings` global (`ui/voice-settings.slint`) and forwards its
//! callbacks. No logic: the flow decides in `mod.rs`, the words are in
//! `wording.rs`.

use std::rc::Rc;

use slint::ComponentHandle;

use super::wording;
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::ui::generated::{AppWindow, VoiceSettingsWords};
/// The flow's global and its enums, for tests.
pub use crate::kiosk::ui::generated::{VoiceSettings, VoiceSettingsScreen, VoiceSettingsTone};
use crate::kiosk::ui::{Shared, wire};

/// Copies the state into the global; off the screen it shows nothing.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<VoiceSettings>();
    g.set_available(c.voice_available());
    match c.voice_form() {
        Some(f) => {
            g.set_screen(VoiceSettingsScreen::Settings);
            g.set_enabled(f.draft.enabled);
            g.set_quiet(f.draft.quiet);
            g.set_volume(wording::volume(f.draft.volume).into());
            g.set_volume_label(wording::volume_label(f.draft.volume).into());
            let (line, warns) = wording::notice(&f.notice);
            g.set_line(line.into());
            g.set_tone(if warns {
                VoiceSettingsTone::Warn
            } else {
                VoiceSettingsTone::Plain
            });
        }
        None => {
            g.set_screen(VoiceSettingsScreen::None);
            g.set_line(Default::default());
        }
    }
}

/// Sets the words and connects the global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<VoiceSettings>();
    g.set_words(VoiceSettingsWords {
        open: wording::OPEN.into(),
        open_label: wording::OPEN_LABEL.into(),
        voice: wording::VOICE.into(),
        on: wording::ON.into(),
        on_label: wording::ON_LABEL.into(),
        off: wording::OFF.into(),
        off_label: wording::OFF_LABEL.into(),
        volume: wording::VOLUME.into(),
        down: wording::DOWN.into(),
        down_label: wording::DOWN_LABEL.into(),
        up: wording::UP.into(),
        up_label: wording::UP_LABEL.into(),
        quiet: wording::QUIET.into(),
        quiet_on: wording::QUIET_ON.into(),
        quiet_on_label: wording::QUIET_ON_LABEL.into(),
        quiet_off: wording::QUIET_OFF.into(),
        quiet_off_label: wording::QUIET_OFF_LABEL.into(),
        back: wording::BACK.into(),
        try_it: wording::TRY.into(),
        save: wording::SAVE.into(),
        credit: wording::CREDIT.into(),
    });
    wire!(g, shared, on_open, |c| c.voice_open());
    wire!(g, shared, on_back, |c| c.voice_back());
    wire!(g, shared, on_set_enabled, |c, on| c.voice_enabled(on));
    wire!(g, shared, on_volume_step, |c, up| c.voice_volume(up));
    wire!(g, shared, on_set_quiet, |c, on| c.voice_quiet(on));
    wire!(g, shared, on_try_it, |c| c.voice_try());
    wire!(g, shared, on_save, |c| c.voice_save());
}

/// The registry's screen the window shows, when it is this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<VoiceSettings>().get_screen() {
        VoiceSettingsScreen::None => None,
        VoiceSettingsScreen::Settings => Some(Screen::StaffVoice),
    }
}
