//! The disclosure's adapter: copies the flow's [`super::Disclose`] into the
//! `Disclosure` global (`ui/disclose.slint`) and forwards its callbacks.
//! No logic: the flow decides in `mod.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc};

use super::DiscloseStep as Step;
use super::wording;
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::ui::generated::{AppWindow, DisclosureWords};
/// The flow's global and its step enum, for tests.
pub use crate::kiosk::ui::generated::{DiscloseStep, Disclosure};
use crate::kiosk::ui::{Shared, strings, wire};

/// Copies the state into the global; off the screen it is emptied, so
/// nothing stays on screen after sign-out or the staff lock.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Disclosure>();
    match c
        .disclosure()
        .filter(|_| c.screen() == Screen::StaffDisclose)
    {
        Some(d) => {
            g.set_step(match d.step {
                Step::Insert => DiscloseStep::Insert,
                Step::Ready => DiscloseStep::Ready,
                Step::Done => DiscloseStep::Done,
                Step::Failed => DiscloseStep::Failed,
            });
            g.set_lines(strings(&d.lines()));
        }
        None => {
            g.set_step(DiscloseStep::None);
            g.set_lines(ModelRc::default());
        }
    }
}

/// Connects the global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Disclosure>();
    g.set_words(DisclosureWords {
        back: wording::BACK.into(),
        scan: wording::SCAN.into(),
        write: wording::WRITE.into(),
        write_label: wording::WRITE_LABEL.into(),
    });
    wire!(g, shared, on_start, |c| c.disclose_start());
    wire!(g, shared, on_back, |c| c.cancel());
    wire!(g, shared, on_scan, |c| c.disclose_scan());
    wire!(g, shared, on_write, |c| c.disclose_write());
}

/// The registry's screen the window shows, when it is this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Disclosure>().get_step() {
        DiscloseStep::None => None,
        _ => Some(Screen::StaffDisclose),
    }
}
