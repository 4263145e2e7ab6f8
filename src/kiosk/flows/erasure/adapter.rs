//! 「契約終了の消去」's adapter: copies the flow's [`super::Erasure`]
//! (never the recovery key, only how many characters) and, once erased, its
//! lines into the `Erasure` global (`ui/erasure.slint`), and forwards its
//! callbacks. No logic: the flow decides in `mod.rs`, the words are in
//! `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString};

use super::ErasureStep as Step;
use super::wording::{self, WORDS};
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::ui::generated::{AppWindow, ErasureWords};
/// The flow's global and its step enum, for tests.
pub use crate::kiosk::ui::generated::{Erasure, ErasureStep};
use crate::kiosk::ui::{Shared, strings, wire};

/// Copies the state into the global; off the erasure's screen it is
/// emptied (the erased lines stay: nothing else shows after them).
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Erasure>();
    g.set_erased(strings(c.erased_lines()));
    g.set_shows_erased(c.screen() == Screen::Erased);
    match c.erasure().filter(|_| c.screen() == Screen::StaffErasure) {
        Some(e) => {
            g.set_step(match e.step {
                Step::Plan => ErasureStep::Plan,
                Step::ReportDue => ErasureStep::ReportDue,
                Step::Key => ErasureStep::Key,
                Step::Confirm => ErasureStep::Confirm,
                Step::ConfirmAgain => ErasureStep::ConfirmAgain,
                Step::Stick => ErasureStep::Stick,
            });
            g.set_lines(strings(&e.lines()));
            g.set_message(e.message.as_str().into());
            g.set_back_text(wording::back(e.step).into());
            g.set_danger(!matches!(e.step, Step::Plan | Step::ReportDue));
            g.set_can_go_on(e.can_go_on());
            g.set_stick_found(e.medium.is_some());
            g.set_can_return_roster(e.step == Step::ReportDue && e.roster_due);
        }
        None => {
            g.set_step(ErasureStep::None);
            g.set_back_text(SharedString::new());
            g.set_danger(false);
            g.set_lines(ModelRc::default());
            g.set_message(SharedString::new());
            g.set_can_go_on(false);
            g.set_stick_found(false);
            g.set_can_return_roster(false);
        }
    }
}

/// Connects the global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Erasure>();
    let w = &WORDS;
    g.set_words(ErasureWords {
        cancel_label: w.cancel_label.into(),
        return_roster: w.return_roster.into(),
        return_roster_label: w.return_roster_label.into(),
        next: w.next.into(),
        backspace: w.backspace.into(),
        backspace_label: w.backspace_label.into(),
        check_key: w.check_key.into(),
        check_key_label: w.check_key_label.into(),
        erase: w.erase.into(),
        erase_again: w.erase_again.into(),
        scan: w.scan.into(),
        run: w.run.into(),
    });
    wire!(g, shared, on_back, |c| c.erasure_back());
    wire!(g, shared, on_next, |c| c.erasure_next());
    wire!(g, shared, on_key, |c, k: SharedString| c.erasure_key(&k));
    wire!(g, shared, on_backspace, |c| c.erasure_backspace());
    wire!(g, shared, on_check_key, |c| c.erasure_check_key());
    wire!(g, shared, on_scan, |c| c.erasure_scan());
    wire!(g, shared, on_run, |c| c.erasure_run());
    wire!(g, shared, on_return_roster, |c| c.erasure_return_roster());
}

/// The registry's screen the window shows, when it is one of this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    let g = window.global::<Erasure>();
    if g.get_shows_erased() {
        return Some(Screen::Erased);
    }
    match g.get_step() {
        ErasureStep::None => None,
        _ => Some(Screen::StaffErasure),
    }
}
