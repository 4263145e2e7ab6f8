//! The adapter of the training banner and guide (`ui/training.slint`):
//! copies the controller's training state into the `Training` global and
//! forwards its callbacks. No logic here.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::Shared;
/// The training global, for tests.
pub use super::generated::Training;
use super::generated::{AppWindow, TrainingRow};
use crate::kiosk::controller::KioskController;
use crate::training::{Exercise, PRACTICE_PASSWORD, SAMPLE_ID};

pub(super) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Training>();
    g.set_banner(c.training_banner().into());
    g.set_guide_open(c.guide_open() && c.in_training());
    let status = c.training_status();
    let rows: Vec<TrainingRow> = status
        .iter()
        .map(|(e, done)| TrainingRow {
            label: e.label().into(),
            done: *done,
        })
        .collect();
    g.set_rows(ModelRc::new(VecModel::from(rows)));
    let done = status.iter().filter(|(_, d)| *d).count();
    g.set_summary(if c.in_training() {
        format!("終えた課題 {done}/{}", Exercise::ALL.len()).into()
    } else {
        SharedString::new()
    });
    g.set_trainee(c.trainee().unwrap_or_default().into());
    let next = status.iter().find(|(_, d)| !*d).map(|(e, _)| *e);
    g.set_next(
        match next {
            Some(Exercise::Register) => format!("つぎ: {}\n{SAMPLE_ID}", Exercise::Register.how()),
            Some(e) => format!("つぎ: {}", e.how()),
            None if c.in_training() => {
                "すべての課題を終えました。「研修を終わる」を押してください。".into()
            }
            None => String::new(),
        }
        .into(),
    );
    g.set_password(PRACTICE_PASSWORD.into());
}

pub(super) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Training>();
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
    wire!(on_open_guide, |c| c.training_guide());
    wire!(on_close_guide, |c| c.training_guide_close());
    wire!(on_start, |c| c.training_start());
    wire!(on_finish, |c| c.training_finish());
}
