//! The spoken guidance in the kiosk tests: the clips in the source tree and
//! a speaker that writes what it says into WAV files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tsudoi_hw::voice::{Library, Speaker, VoiceConfig, WavFileOut};

/// The clips as committed (`assets/voice`).
pub fn clips() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/voice")
}

/// On, the clips as recorded (volume 100 is no scaling), quiet mode off.
pub fn full_volume() -> VoiceConfig {
    VoiceConfig {
        volume: 100,
        ..VoiceConfig::default()
    }
}

/// A speaker over the committed clips that writes into `out`.
pub fn speaker_into(out: &WavFileOut, config: VoiceConfig) -> Speaker {
    Speaker::new(
        Box::new(out.clone()),
        Library::open(clips()).unwrap(),
        config,
    )
}

/// Waits until `out` holds `n` utterances (fails after 20 s).
pub fn wait_written(out: &WavFileOut, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while out.written().len() < n {
        assert!(Instant::now() < deadline, "nothing more was said");
        std::thread::sleep(Duration::from_millis(5));
    }
}
