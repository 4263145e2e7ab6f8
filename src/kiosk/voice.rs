//! The kiosk's voice (issue 18, docs/dev/voice.md): one
//! [`Speaker`] held by [`KioskController`], opened from the configuration's
//! `[voice]` where the buzzer is, and given each resident result by the
//! flow that shows it. Which sentence belongs to which result is decided in
//! each flow's `voice.rs` (`flows/checkin/voice.rs`, `flows/classes/voice.rs`)
//! from the flow's typed outcome, never from the text on screen; only fixed
//! phrases and small numbers can be said ([`Utterance`] takes no string).
//!
//! Without a speaker (screenshots, most tests, the benchmarks) the kiosk is
//! silent; tests hand it one writing WAV files ([`tsudoi_hw::voice::WavFileOut`]).

use tsudoi_hw::voice::{Speaker, Utterance, VoiceConfig};

use crate::kiosk::controller::KioskController;

/// The configured speaker for the kiosk: `aplay` when the voice is on and
/// its clips are there; otherwise a silent one, with one log line saying why
/// (the setting or the missing file; nothing about any person).
pub fn open(config: &VoiceConfig) -> Speaker {
    let (speaker, problem) = Speaker::open(config);
    if let Some(e) = problem {
        eprintln!("tsudoi kiosk: 音声案内なしで続けます: {e}");
    }
    speaker
}

impl KioskController {
    /// Gives the kiosk its speaker (`tsudoi run`, `demo`, `training`: from
    /// [`open`]; tests: one writing WAV files). Without one it is silent.
    /// What staff set on 「音声案内の設定」 and the store keeps overrides the
    /// configuration's on/off, volume and quiet mode; a stored text that
    /// does not parse is logged and the configuration holds.
    pub fn set_speaker(&mut self, mut speaker: Speaker) {
        match self.store.voice_setting() {
            Ok(Some(s)) => speaker.adjust(s.enabled, s.volume, s.quiet),
            Ok(None) => {}
            Err(e) => eprintln!(
                "tsudoi kiosk: 音声案内の設定を読めません（設定ファイルの値で続けます）: {e}"
            ),
        }
        self.voice = Some(speaker);
    }

    /// The kiosk's speaker, if it has one (for tests: what was said).
    pub fn speaker(&self) -> Option<&Speaker> {
        self.voice.as_ref()
    }

    /// Says a result or a prompt, cutting off whatever is still being said.
    pub(in crate::kiosk) fn say(&self, u: impl Into<Utterance>) {
        if let Some(s) = &self.voice {
            s.say(u);
        }
    }

    /// Says `u`, or stops what is being said when there is nothing to say
    /// (a new tap makes the old sentence stale either way).
    pub(in crate::kiosk) fn say_or_hush(&self, u: Option<Utterance>) {
        match u {
            Some(u) => self.say(u),
            None => self.hush(),
        }
    }

    /// Stops what is being said: the idle reset, back to waiting, a staff
    /// sign-in.
    pub(in crate::kiosk) fn hush(&self) {
        if let Some(s) = &self.voice {
            s.stop();
        }
    }
}
