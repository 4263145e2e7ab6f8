//! The adapter of the erasure screens (`ui/erasure.slint`): copies the
//! controller's [`ctl::Erasure`] (never the recovery key, only how many
//! characters) and, once erased, its lines into the `Erasure` global, and
//! forwards its callbacks. No logic: everything is decided in
//! `controller::erasure`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString};

use super::Shared;
use super::generated::AppWindow;
/// The global and its step enum, for tests.
pub use super::generated::{Erasure, ErasureStep};
use crate::kiosk::controller::{self as ctl, KioskController};

use super::strings;

/// Copies the state into the global; with none open, empties it.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Erasure>();
    g.set_erased(strings(c.erased_lines()));
    match c.erasure() {
        Some(e) => {
            g.set_step(match e.step {
                ctl::ErasureStep::Plan => ErasureStep::Plan,
                ctl::ErasureStep::ReportDue => ErasureStep::ReportDue,
                ctl::ErasureStep::Key => ErasureStep::Key,
                ctl::ErasureStep::Confirm => ErasureStep::Confirm,
                ctl::ErasureStep::ConfirmAgain => ErasureStep::ConfirmAgain,
                ctl::ErasureStep::Stick => ErasureStep::Stick,
            });
            g.set_lines(strings(&e.lines()));
            g.set_message(e.message.as_str().into());
            g.set_can_go_on(!e.counts.is_empty());
            g.set_stick_found(e.medium.is_some());
            g.set_can_return_roster(e.step == ctl::ErasureStep::ReportDue && e.roster_due);
        }
        None => {
            g.set_step(ErasureStep::Plan);
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
    macro_rules! wire {
        ($on:ident, |$c:ident $(, $arg:ident: $t:ty)*| $body:expr) => {{
            let weak = Rc::downgrade(shared);
            g.$on(move |$($arg: $t),*| {
                if let Some(s) = weak.upgrade() {
                    s.act(|$c| {
                        $body;
                    });
                }
            });
        }};
    }
    wire!(on_back, |c| c.erasure_back());
    wire!(on_next, |c| c.erasure_next());
    wire!(on_key, |c, k: SharedString| c.erasure_key(&k));
    wire!(on_backspace, |c| c.erasure_backspace());
    wire!(on_check_key, |c| c.erasure_check_key());
    wire!(on_scan, |c| c.erasure_scan());
    wire!(on_run, |c| c.erasure_run());
    wire!(on_return_roster, |c| c.erasure_return_roster());
}
