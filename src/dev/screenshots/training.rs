//! The training mode's screens for `tsudoi screenshot` (80 upward): a kiosk
//! on a small invented "real" store starts 研修モード from 準備中, practises,
//! ends, and the staff member signs in to record it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Shots;
use crate::clock::FixedClock;
use crate::demo;
use crate::dev::DevError;
use crate::error::Result;
use crate::kiosk::KioskUi;
use crate::kiosk::controller::{KioskConfig, KioskController};

/// Renders the training screens at `width`×`height` into `out`, with `day`
/// as today; returns the files written.
pub fn render(out: &Path, width: u32, height: u32, day: chrono::NaiveDate) -> Result<Vec<PathBuf>> {
    // Removed on drop, also when a screen fails to render.
    let scratch = tempfile::Builder::new()
        .prefix("tsudoi-training-screens-")
        .tempdir()?;
    render_in(scratch.path(), out, width, height, day)
}

fn render_in(
    scratch: &Path,
    out: &Path,
    width: u32,
    height: u32,
    day: chrono::NaiveDate,
) -> Result<Vec<PathBuf>> {
    let clock = Arc::new(FixedClock::jst(day, 10, 30));
    let policy = demo::throwaway_policy();
    let spec = demo::DemoSpec {
        residents: 20,
        target_visits: 50,
        ..demo::DemoSpec::year_ending(day, 7)
    };
    let (mut store, manager, _) = demo::open_or_create(
        &scratch.join("real.db"),
        demo::DEMO_PASSWORD,
        &spec,
        policy,
        clock,
    )?;
    store.sign_out(&manager)?;
    store.lock();
    let ui =
        KioskUi::new(KioskController::new(store, KioskConfig::default())).map_err(DevError::ui)?;
    let mut shots = Shots::show(ui.window(), out, width, height)?;
    let type_in = |c: &mut KioskController, id: &str, password: &str| {
        for k in id.split("") {
            c.key(k);
        }
        c.focus(crate::kiosk::Field::Second);
        for k in password.split("") {
            c.key(k);
        }
    };
    // A handler of the invented store trains (the demo manager's id is
    // kept out of training).
    ui.with_controller(|c| {
        let manager = c
            .store_mut()
            .sign_in(demo::DEMO_MANAGER, demo::DEMO_PASSWORD);
        if let Ok(m) = manager {
            let _ = c.store_mut().add_staff(
                &m,
                TRAINEE,
                crate::store::Role::Handler,
                "Kenshu-first-2026",
            );
            let _ = c.store_mut().sign_out(&m);
            if let Ok(mut s) = c.store_mut().sign_in(TRAINEE, "Kenshu-first-2026") {
                let _ = c.store_mut().change_password(&mut s, TRAINEE_PASSWORD);
                let _ = c.store_mut().sign_out(&s);
            }
        }
        c.store_mut().lock();
        c.training_start();
        type_in(c, TRAINEE, "");
    });
    shots.take("80-training-start-sign-in")?;
    ui.with_controller(|c| {
        for k in TRAINEE_PASSWORD.split("") {
            c.key(k);
        }
        c.submit();
    });
    shots.take("81-training-guide")?;
    ui.with_controller(|c| c.training_guide_close());
    shots.take("82-training-waiting")?;
    ui.with_controller(|c| {
        c.staff_start();
        type_in(c, TRAINEE, crate::training::PRACTICE_PASSWORD);
        c.submit();
    });
    shots.take("83-training-today")?;
    ui.with_controller(|c| {
        c.sign_out();
        c.staff_start();
        type_in(c, TRAINEE, crate::training::PRACTICE_PASSWORD);
        c.submit();
        c.training_guide();
    });
    shots.take("84-training-guide-progress")?;
    ui.with_controller(|c| {
        c.training_chapters(true);
        for i in [0, 1, 2] {
            c.training_toggle_chapter(i);
        }
    });
    shots.take("87-training-chapters")?;
    ui.with_controller(|c| c.training_finish());
    shots.take("85-training-record-sign-in")?;
    ui.with_controller(|c| {
        for k in TRAINEE_PASSWORD.split("") {
            c.key(k);
        }
        c.submit();
    });
    shots.take("86-training-recorded")?;
    ui.with_controller(|c| c.sign_out());
    Ok(shots.into_files())
}

/// The invented staff member who trains in the screenshots.
const TRAINEE: &str = "uketsuke02";
const TRAINEE_PASSWORD: &str = "Uketsuke-2026-desk";
