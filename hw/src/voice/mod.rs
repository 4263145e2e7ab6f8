//! Spoken guidance: fixed Japanese phrases, synthesised at build time
//! (scripts/synth-voice.py) and played through the audio output on a thread
//! of their own. See docs/dev/voice.md.
//!
//! The kiosk holds one [`Speaker`] and calls [`Speaker::say`] with a
//! [`Phrase`] or a composed [`Utterance`] for each result:
//!
//! ```no_run
//! use tsudoi_hw::voice::{Phrase, Speaker, Utterance, VoiceConfig};
//! let (speaker, problem) = Speaker::open(&VoiceConfig::default());
//! if let Some(e) = problem {
//!     eprintln!("tsudoi: {e}");
//! }
//! speaker.say(Phrase::CheckedIn);
//! speaker.say(Utterance::waitlisted(12)); // 「補欠の十二番です。」
//! ```

mod out;
pub mod phrases;
mod speaker;
pub mod wav;

pub use out::{AplayOut, NoopOut, VoiceOut, WavFileOut, Written};
pub use phrases::{Clip, DayOfMonth, Digit, Month, Phrase, Piece, Utterance};
pub use speaker::{INSTALLED_DIR, Library, Played, Speaker, VoiceConfig, VoiceError};

/// The credit for the voice, for an about screen (CC BY 3.0 asks for it
/// wherever the audio is used). The full notices are in assets/voice/NOTICE,
/// installed as /usr/share/doc/tsudoi/NOTICE.voice.
pub const CREDITS: &str = "音声案内の声: HTS Voice \"Mei\"（MMDAgent Project Team / 名古屋工業大学、CC BY 3.0 https://creativecommons.org/licenses/by/3.0/）\n\
音声合成: Open JTalk（名古屋工業大学、修正BSDライセンス）\n\
辞書: NAIST Japanese Dictionary（奈良先端科学技術大学院大学、修正BSDライセンス）";
