//! 「音声案内の設定」 (issue 18, docs/dev/voice.md): staff turn the kiosk's
//! spoken guidance on or off, set its volume in steps of 10 and quiet mode
//! for events, and hear a sample (「ためしに聞く」) at the chosen volume
//! before saving. Reached from 「事故・点検」 when the kiosk has a voice.
//!
//! 「保存する」 stores the setting in the store ([`VoiceSetting`], which
//! overrides the configuration file's `[voice]` at the next start, too), is
//! audited (`voice_change`), and the running speaker takes it at once. Any
//! signed-in staff member may change it: nothing personal is involved.
//!
//! The form's steps and the save are [`VoiceForm`]'s, over the small
//! [`VoiceStore`] trait (`tests/voice_settings_flow.rs` drives them with a
//! fake). Screens: the `=> VoiceSettings` line of the registry; words in
//! [`wording`].

pub mod adapter;
pub mod wording;

use tsudoi_hw::voice::{Phrase, VoiceConfig};

use crate::error::Result;
use crate::kiosk::controller::{KioskController, Screen};
use crate::store::voice_setting::VoiceSetting;
use crate::store::{StaffSession, Store};

/// How much one press of −/＋ changes the volume.
pub const VOLUME_STEP: u8 = 10;

/// What 「ためしに聞く」 says: a sentence said in quiet mode too (at half
/// volume), so the sample is what residents would hear.
pub const SAMPLE: Phrase = Phrase::SeeStaff;

/// What the flow needs from the store.
pub trait VoiceStore {
    /// Stores `new` (audited, with the settings changed from `old`).
    fn save(&mut self, old: &VoiceSetting, new: VoiceSetting) -> Result<Vec<&'static str>>;
}

/// The store with the signed-in staff member.
pub struct StaffVoice<'a> {
    /// The store the flow's decisions are written to.
    pub store: &'a mut Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
}

impl VoiceStore for StaffVoice<'_> {
    fn save(&mut self, old: &VoiceSetting, new: VoiceSetting) -> Result<Vec<&'static str>> {
        self.store.set_voice_setting(self.staff, old, new)
    }
}

/// What the last action came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Nothing done yet: the guide line shows.
    None,
    /// Stored; the speaker runs with it now.
    Saved,
    /// 「保存する」 with nothing changed.
    Unchanged,
    /// The sample is playing; `unsaved`: with settings not yet saved.
    Sample {
        /// The settings played are not saved yet.
        unsaved: bool,
    },
    /// 「ためしに聞く」 with the voice off.
    SampleOff,
    /// 「ためしに聞く」 at volume 0.
    SampleSilent,
    /// The store refused (why, in Japanese).
    NotSaved(String),
}

/// The screen's state: what the kiosk runs with, and what is being chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceForm {
    /// The setting the kiosk runs with (the store's, or the configuration's).
    pub saved: VoiceSetting,
    /// The setting being chosen, not yet saved.
    pub draft: VoiceSetting,
    /// What the last action came to.
    pub notice: Notice,
}

impl VoiceForm {
    /// The form showing what the kiosk runs with.
    pub fn new(current: VoiceSetting) -> Self {
        Self {
            saved: current,
            draft: current,
            notice: Notice::None,
        }
    }

    /// 「入」 / 「切」.
    pub fn set_enabled(&mut self, on: bool) {
        self.draft.enabled = on;
        self.notice = Notice::None;
    }

    /// 「＋」 / 「−」: to the next multiple of [`VOLUME_STEP`] up or down,
    /// within 0–100 (a volume of 75 from the configuration goes to 80 or 70).
    pub fn step_volume(&mut self, up: bool) {
        let v = self.draft.volume.min(VoiceSetting::MAX_VOLUME);
        self.draft.volume = if up {
            (v / VOLUME_STEP + 1)
                .saturating_mul(VOLUME_STEP)
                .min(VoiceSetting::MAX_VOLUME)
        } else {
            v.saturating_sub(1) / VOLUME_STEP * VOLUME_STEP
        };
        self.notice = Notice::None;
    }

    /// 「使う」 / 「使わない」 for quiet mode.
    pub fn set_quiet(&mut self, on: bool) {
        self.draft.quiet = on;
        self.notice = Notice::None;
    }

    /// 「ためしに聞く」: the settings to play the sample with, or `None` when
    /// nothing would be heard (off, or volume 0; the notice says so).
    pub fn sample(&mut self) -> Option<VoiceSetting> {
        if !self.draft.enabled {
            self.notice = Notice::SampleOff;
            None
        } else if self.draft.volume == 0 {
            self.notice = Notice::SampleSilent;
            None
        } else {
            self.notice = Notice::Sample {
                unsaved: self.draft != self.saved,
            };
            Some(self.draft)
        }
    }

    /// 「保存する」: stores the setting; returns it when it was stored (for
    /// the speaker to take), `None` when nothing changed or it was refused.
    pub fn save(&mut self, store: &mut impl VoiceStore) -> Option<VoiceSetting> {
        if self.draft == self.saved {
            self.notice = Notice::Unchanged;
            return None;
        }
        match store.save(&self.saved, self.draft) {
            Ok(_) => {
                self.saved = self.draft;
                self.notice = Notice::Saved;
                Some(self.draft)
            }
            Err(e) => {
                self.notice = Notice::NotSaved(e.to_string());
                None
            }
        }
    }
}

/// The speaker's settings with staff's setting in place of the
/// configuration's on/off, volume and quiet mode.
pub fn with_setting(base: &VoiceConfig, s: &VoiceSetting) -> VoiceConfig {
    VoiceConfig {
        enabled: s.enabled,
        volume: s.volume.min(VoiceSetting::MAX_VOLUME),
        quiet: s.quiet,
        ..base.clone()
    }
}

/// The setting a speaker runs with.
pub fn setting_of(c: &VoiceConfig) -> VoiceSetting {
    VoiceSetting {
        enabled: c.enabled,
        volume: c.volume.min(VoiceSetting::MAX_VOLUME),
        quiet: c.quiet,
    }
}

impl KioskController {
    /// The screen's state while it is open.
    pub fn voice_form(&self) -> Option<&VoiceForm> {
        self.voice_settings
            .as_ref()
            .filter(|_| self.screen == Screen::StaffVoice)
    }

    /// Whether the kiosk has a voice to set (the 「音声案内」 button shows).
    pub fn voice_available(&self) -> bool {
        self.voice.is_some()
    }

    /// 「音声案内」 on 「事故・点検」: the form with what the kiosk runs with.
    pub fn voice_open(&mut self) {
        if self.staff.is_none() || self.screen != Screen::StaffOversight {
            return;
        }
        let Some(speaker) = self.voice.as_ref() else {
            return;
        };
        self.voice_settings = Some(VoiceForm::new(setting_of(speaker.config())));
        self.screen = Screen::StaffVoice;
    }

    fn with_voice_form(&mut self, f: impl FnOnce(&mut VoiceForm)) {
        if self.screen != Screen::StaffVoice {
            return;
        }
        if let Some(form) = self.voice_settings.as_mut() {
            f(form);
        }
    }

    /// 「入」 / 「切」.
    pub fn voice_enabled(&mut self, on: bool) {
        self.with_voice_form(|f| f.set_enabled(on));
    }

    /// 「＋」 / 「−」.
    pub fn voice_volume(&mut self, up: bool) {
        self.with_voice_form(|f| f.step_volume(up));
    }

    /// 「使う」 / 「使わない」.
    pub fn voice_quiet(&mut self, on: bool) {
        self.with_voice_form(|f| f.set_quiet(on));
    }

    /// 「ためしに聞く」: the sample at the chosen settings, saved or not.
    pub fn voice_try(&mut self) {
        let mut play = None;
        self.with_voice_form(|f| play = f.sample());
        if let (Some(s), Some(speaker)) = (play, self.voice.as_ref()) {
            speaker.say_with(SAMPLE, &with_setting(speaker.config(), &s));
        }
    }

    /// 「保存する」: stored and audited; the speaker takes it at once.
    pub fn voice_save(&mut self) {
        if self.screen != Screen::StaffVoice {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(form) = self.voice_settings.as_mut() else {
            return;
        };
        let mut store = StaffVoice {
            store: &mut self.store,
            staff: &staff,
        };
        if let (Some(s), Some(speaker)) = (form.save(&mut store), self.voice.as_mut()) {
            speaker.stop();
            speaker.adjust(s.enabled, s.volume, s.quiet);
        }
    }

    /// 「もどる」: back to 「事故・点検」; what was not saved is dropped.
    pub fn voice_back(&mut self) {
        if self.screen != Screen::StaffVoice {
            return;
        }
        self.voice_settings = None;
        self.hush();
        if self.oversight.is_some() {
            self.screen = Screen::StaffOversight;
        } else {
            self.open_today();
        }
    }

    /// The header of the flow's screen.
    pub(in crate::kiosk) fn voice_header(&self) -> Option<String> {
        (self.screen == Screen::StaffVoice).then(|| wording::TITLE.into())
    }
}
