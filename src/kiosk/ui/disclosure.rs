//! The adapter of the disclosure screen (`ui/disclose.slint`): copies the
//! controller's [`ctl::Disclose`] into the `Disclosure` global and forwards
//! its callbacks. No logic: everything is decided in
//! `controller::disclosure`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::Shared;
use super::generated::AppWindow;
/// The global and its step enum, for tests.
pub use super::generated::{DiscloseStep, Disclosure};
use crate::kiosk::controller::{self as ctl, KioskController};

/// Copies the state into the global; with none open, empties it so
/// nothing stays on screen after sign-out or the staff lock.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Disclosure>();
    match c.disclosure() {
        Some(d) => {
            g.set_step(match d.step {
                ctl::DiscloseStep::Insert => DiscloseStep::Insert,
                ctl::DiscloseStep::Ready => DiscloseStep::Ready,
                ctl::DiscloseStep::Done => DiscloseStep::Done,
                ctl::DiscloseStep::Failed => DiscloseStep::Failed,
            });
            g.set_lines(ModelRc::new(VecModel::from(
                d.lines()
                    .into_iter()
                    .map(SharedString::from)
                    .collect::<Vec<_>>(),
            )));
        }
        None => {
            g.set_step(DiscloseStep::Insert);
            g.set_lines(ModelRc::default());
        }
    }
}

/// Connects the global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Disclosure>();
    macro_rules! wire {
        ($on:ident, |$c:ident| $body:expr) => {{
            let weak = Rc::downgrade(shared);
            g.$on(move || {
                if let Some(s) = weak.upgrade() {
                    s.act(|$c| {
                        $body;
                    });
                }
            });
        }};
    }
    wire!(on_start, |c| c.disclose_start());
    wire!(on_back, |c| c.cancel());
    wire!(on_scan, |c| c.disclose_scan());
    wire!(on_write, |c| c.disclose_write());
}
