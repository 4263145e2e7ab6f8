//! Spoken guidance: fixed Japanese phrases, synthesised at build time and
//! played through the audio output (see docs/dev/voice.md).

pub mod phrases;

pub use phrases::{Clip, DayOfMonth, Digit, Month, Phrase, Piece, Utterance};
