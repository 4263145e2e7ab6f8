//! 「音声案内の設定」 for `tsudoi screenshot` (120–124), on its own small
//! store (a manager only): the button on 「事故・点検」, the screen as it
//! opens, a lower volume with quiet mode tried before saving, saved, and
//! the voice turned off with 「ためしに聞く」 pressed. The speaker plays into
//! nothing (`NoopOut`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use tsudoi_hw::voice::{Library, NoopOut, Speaker, VoiceConfig};

use super::Shots;
use crate::clock::FixedClock;
use crate::demo;
use crate::dev::DevError;
use crate::eligibility::PostalTable;
use crate::error::Result;
use crate::kiosk::KioskUi;
use crate::kiosk::controller::{KioskConfig, KioskController};
use crate::store::Store;

const MANAGER: &str = "kanri01";
const FIRST_PASSWORD: &str = "Voice-first-2026";
const PASSWORD: &str = "Voice-screens-2026";

/// Renders the screens at `width`×`height` into `out` on `day`; returns
/// the files written.
pub fn render(out: &Path, width: u32, height: u32, day: NaiveDate) -> Result<Vec<PathBuf>> {
    let scratch = tempfile::Builder::new()
        .prefix("tsudoi-voice-screens-")
        .tempdir()?;
    let clock = Arc::new(FixedClock::jst(day, 10, 30));
    let policy = demo::throwaway_policy();
    let (mut store, mut manager, _recovery) = Store::create(
        &scratch.path().join("voice.db"),
        "デモ施設",
        MANAGER,
        FIRST_PASSWORD,
        policy,
        PostalTable::shinjuku(),
        clock,
    )?;
    store.change_password(&mut manager, PASSWORD)?;
    store.sign_out(&manager)?;
    let config = VoiceConfig::default();
    let library = Library::open(config.dir()).map_err(|e| DevError::Clips {
        detail: e.to_string(),
    })?;
    let ui =
        KioskUi::new(KioskController::new(store, KioskConfig::default())).map_err(DevError::ui)?;
    ui.with_controller(|c| c.set_speaker(Speaker::new(Box::new(NoopOut), library, config)));
    let mut shots = Shots::show(ui.window(), out, width, height)?;
    ui.with_controller(|c| {
        super::sign_in(c, MANAGER, PASSWORD);
        c.oversight_open();
    });
    shots.take("120-oversight-menu-voice")?;
    ui.with_controller(|c| c.voice_open());
    shots.take("121-voice-settings")?;
    ui.with_controller(|c| {
        for _ in 0..3 {
            c.voice_volume(false);
        }
        c.voice_quiet(true);
        c.voice_try();
    });
    shots.take("122-voice-tried")?;
    ui.with_controller(|c| c.voice_save());
    shots.take("123-voice-saved")?;
    ui.with_controller(|c| {
        c.voice_enabled(false);
        c.voice_try();
    });
    shots.take("124-voice-off-tried")?;
    ui.with_controller(|c| c.sign_out());
    Ok(shots.into_files())
}
