//! The first-start wizard's screens for `tsudoi screenshot` (110 upward),
//! with an invented site, staff id, recovery key and device keys: the store
//! is not really made, so the pictures are the same on every run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::Shots;
use crate::dev::DevError;
use crate::error::Result;
use crate::kiosk::controller::{Created, Field, SetupController, StoreMaker};
use crate::kiosk::flows::setup::adapter::SetupUi;

/// Invented: never a real key.
const RECOVERY_KEY: &str = "K7QM-3TXA-RB5H-WN2C-Z6PE-GJ4D-YV7S-LF3U-QA6K-MX2R-T5BW-HC4N-E7ZJ-P3V";
const PUBLIC_KEY: &str = "3f9a6c1e8b2d47f05a9c3e61b8d2f47a0c5e9b13d6f8a2c47e1b09d5f3a8c6e2";
const SITE: &str = "ツドイ コウリュウ スペース";
const MANAGER: &str = "kanri01";
const PASSWORD: &str = "Hajimete-2026-pass";

/// Hands back the invented keys; makes nothing.
struct Invented;

impl StoreMaker for Invented {
    fn create(&self, site: &str, _manager: &str, _password: &str) -> Result<Created> {
        Ok(Created {
            recovery_key: Zeroizing::new(RECOVERY_KEY.into()),
            public_key: PUBLIC_KEY.into(),
            audit_vkey: format!(
                "{}+5c1e9a07+AT+aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdEfG",
                crate::store::transparency::origin_for_site(site)
            ),
        })
    }

    fn keep(&self) -> Result<()> {
        Ok(())
    }
}

fn typed(c: &mut SetupController, text: &str) {
    for ch in text.chars() {
        let upper = ch.is_ascii_uppercase();
        if upper {
            c.toggle_shift();
        }
        c.key(&ch.to_ascii_lowercase().to_string());
        if upper {
            c.toggle_shift();
        }
    }
}

/// Renders the wizard's steps at `width`×`height` into `out`; returns the
/// files written. The headless platform must be installed.
pub fn render(out: &Path, width: u32, height: u32) -> Result<Vec<PathBuf>> {
    let ui = SetupUi::new(SetupController::new(Arc::new(Invented), None)).map_err(DevError::ui)?;
    let mut shots = Shots::show(ui.window(), out, width, height)?;
    shots.take("110-setup-welcome")?;
    ui.with_controller(|c| {
        c.next();
        for k in SITE.chars() {
            let k = k.to_string();
            c.key(if k == " " { "空白" } else { &k });
        }
    });
    shots.take("111-setup-site")?;
    ui.with_controller(|c| {
        c.next();
        typed(c, MANAGER);
    });
    shots.take("112-setup-manager")?;
    ui.with_controller(|c| {
        c.next();
        typed(c, PASSWORD);
        c.focus(Field::Second);
        typed(c, "Hajimete-2026");
        c.next();
    });
    shots.take("113-setup-password-mismatch")?;
    ui.with_controller(|c| {
        typed(c, PASSWORD);
        c.next();
    });
    shots.take("114-setup-confirm")?;
    let job = ui.with_controller(|c| c.create());
    shots.take("115-setup-creating")?;
    ui.with_controller(|c| {
        if let Some(job) = job {
            c.created(job.run());
        }
    });
    shots.take("116-setup-recovery-key")?;
    ui.with_controller(|c| {
        c.next();
        c.key("P");
    });
    shots.take("117-setup-recovery-check")?;
    ui.with_controller(|c| {
        c.key("3");
        c.key("V");
        c.next();
    });
    shots.take("118-setup-device-keys")?;
    ui.with_controller(|c| c.next());
    shots.take("119-setup-done")?;
    Ok(shots.into_files())
}
