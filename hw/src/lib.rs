//! Card reader and GPIO feedback for the tsudoi kiosk.
//!
//! This crate is where the hardware lives: the NFC reader through libnfc, the
//! buzzer and LEDs through GPIO, and simulators for both. The application sees
//! only small types and traits from here; the raw card identifier is handed to
//! the store, which keeps nothing but a keyed hash of it.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
mod card;
pub mod config;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod feedback;
pub mod nfc;
pub mod reader;
pub mod simulated;
pub mod voice;

pub use card::{CardId, CardIdError, Technology};
pub use config::{ConfigError, GpioConfig, HardwareConfig, ReaderSource};
pub use feedback::{
    Feedback, GpioFeedback, NoopFeedback, RecordingFeedback, Signal, open_feedback,
};
pub use nfc::NfcReader;
pub use reader::{
    CardReader, RawTap, ReaderError, ReaderEvent, ReaderHandle, ReaderSettings, ReaderState,
    spawn_reader,
};
pub use simulated::{SimulatedReader, SimulatedReaderControl};
