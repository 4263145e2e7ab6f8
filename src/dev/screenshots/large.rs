//! The resident screens in the large layout (issue 18, 「文字を大きく」) for
//! `tsudoi screenshot` (150 upward), on their own small invented store set
//! up like the main screenshots' (the same day, the same classes), so that
//! the normal screenshots do not change. Before each, the resident presses
//! 「文字を大きく」 on the waiting screen.

use std::path::{Path, PathBuf};

use super::Shots;
use super::{OPEN_CLASS, SCREENSHOT_DAY, ScreensStore};
use crate::dev::DevError;
use crate::error::Result;
use crate::kiosk::KioskUi;
use crate::kiosk::controller::{KioskConfig, KioskController};
use crate::store::attendance::CheckInOutcome;
use crate::store::lottery::ApplyOutcome;

/// Back to the waiting screen (the layout resets there), then
/// 「文字を大きく」.
fn large(c: &mut KioskController) {
    c.back();
    c.toggle_large_text();
}

/// Renders the large layout's screens at `width`×`height` into `out`;
/// returns the files written.
pub fn render(out: &Path, width: u32, height: u32) -> Result<Vec<PathBuf>> {
    let scratch = tempfile::Builder::new()
        .prefix("tsudoi-large-screens-")
        .tempdir()?;
    let today = SCREENSHOT_DAY;
    let ScreensStore {
        mut store,
        manager,
        clock,
        exercise,
        open_class,
        open_draw,
        ..
    } = ScreensStore::create(&scratch.path().join("large.db"))?;
    store.sign_out(&manager)?;
    let ui =
        KioskUi::new(KioskController::new(store, KioskConfig::default())).map_err(DevError::ui)?;
    let mut shots = Shots::show(ui.window(), out, width, height)?;
    let card = |n| crate::kiosk::demo_card(n).unwrap_or(Err(tsudoi_hw::CardIdError::Empty));

    ui.with_controller(large);
    shots.take("150-large-waiting")?;
    ui.with_controller(|c| c.show_purpose());
    shots.take("151-large-purpose")?;
    ui.with_controller(large);
    ui.on_card(card(1));
    shots.take("152-large-choose-session")?;
    ui.with_controller(|c| c.choose(&exercise));
    shots.take("153-large-checked-in")?;
    ui.with_controller(large);
    ui.on_card(card(1));
    ui.with_controller(|c| c.choose(&exercise));
    shots.take("154-large-already-checked-in")?;
    ui.with_controller(large);
    ui.on_card(card(2));
    shots.take("155-large-unknown-card")?;
    ui.with_controller(large);
    ui.on_card(card(3));
    shots.take("156-large-reverification-due")?;
    ui.with_controller(|c| {
        large(c);
        c.apply_outcome(CheckInOutcome::NotEligible {
            reaches_age_on: today + chrono::Duration::days(120),
        })
    });
    shots.take("157-large-not-eligible")?;
    ui.with_controller(|c| {
        large(c);
        c.apply_outcome(CheckInOutcome::SessionFull)
    });
    shots.take("158-large-session-full")?;
    ui.with_controller(large);
    ui.on_card(Err(tsudoi_hw::CardIdError::Empty));
    shots.take("159-large-card-error")?;
    ui.with_controller(large);
    ui.on_card(Err(tsudoi_hw::CardIdError::RandomIdentifier));
    shots.take("160-large-phone-card")?;
    ui.with_controller(|c| {
        large(c);
        c.show_fault()
    });
    shots.take("161-large-kiosk-fault")?;
    clock.set(crate::clock::jst(today, 20, 0));
    ui.with_controller(large);
    ui.on_card(card(1));
    shots.take("162-large-no-session")?;
    clock.set(crate::clock::jst(today, 10, 30));

    ui.with_controller(|c| {
        large(c);
        c.class_mode();
    });
    shots.take("163-large-class-card")?;
    ui.on_card(card(1));
    shots.take("164-large-classes")?;
    ui.with_controller(|c| c.class_page_step(1));
    shots.take("165-large-classes-page-2")?;
    ui.with_controller(|c| c.apply_class(&open_class));
    shots.take("166-large-class-applied")?;
    ui.with_controller(|c| {
        large(c);
        c.class_mode();
    });
    ui.on_card(card(1));
    ui.with_controller(|c| {
        c.class_page_step(1);
        c.apply_class(&open_class)
    });
    shots.take("167-large-class-duplicate")?;
    ui.with_controller(|c| {
        large(c);
        c.apply_class_outcome(OPEN_CLASS, open_draw, ApplyOutcome::NeedsAddress)
    });
    shots.take("168-large-class-needs-address")?;
    ui.with_controller(large);
    ui.on_card(card(5));
    shots.take("169-large-class-day-checked-in")?;
    ui.with_controller(|c| {
        large(c);
        c.apply_outcome(CheckInOutcome::NoSeat {
            class_title: "転倒予防体操".into(),
            waiting_rank: Some(3),
        })
    });
    shots.take("170-large-no-seat")?;
    // After the idle reset the next resident gets the normal layout.
    ui.with_controller(|c| c.on_timeout());
    shots.take("171-large-reset-waiting")?;
    Ok(shots.into_files())
}
