//! The adapter of the training banner and guide (`ui/training.slint`):
//! copies the controller's training state into the `Training` global (words
//! from [`super::wording`]) and forwards its callbacks. No logic here.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, VecModel};

use super::wording;
use crate::kiosk::controller::KioskController;
/// The training global, for tests.
pub use crate::kiosk::ui::generated::Training;
use crate::kiosk::ui::generated::{AppWindow, ChapterRow, TrainingRow, TrainingWords};
use crate::kiosk::ui::{Shared, wire};
use crate::training::PRACTICE_PASSWORD;

/// Copies the training state into the global; off training it shows nothing.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Training>();
    let training = c.in_training();
    g.set_active(training);
    g.set_banner(c.training_banner().into());
    g.set_guide_open(c.guide_open() && training);
    let status = c.training_status();
    let rows: Vec<TrainingRow> = status
        .iter()
        .map(|(e, done)| TrainingRow {
            label: e.label().into(),
            done: *done,
            mark: wording::exercise_mark(*done).into(),
        })
        .collect();
    g.set_rows(ModelRc::new(VecModel::from(rows)));
    let done = status.iter().filter(|(_, d)| *d).count();
    g.set_banner_action(wording::banner_action(done, training).into());
    g.set_guide_title(wording::guide_title(c.trainee().unwrap_or_default(), done, training).into());
    let next = status.iter().find(|(_, d)| !*d).map(|(e, _)| *e);
    g.set_next(wording::next(next, training).into());
    g.set_password_line(wording::password(PRACTICE_PASSWORD).into());

    g.set_chapters_open(c.chapters_open());
    g.set_switch_text(
        if c.chapters_open() {
            wording::EXERCISES
        } else {
            wording::CHAPTERS
        }
        .into(),
    );
    let chapters: Vec<ChapterRow> = c
        .training_chapter_rows()
        .into_iter()
        .enumerate()
        .map(|(i, (ch, read))| ChapterRow {
            label: wording::chapter(&ch).into(),
            read,
            mark: wording::chapter_mark(read).into(),
            index: i32::try_from(i).unwrap_or(i32::MAX),
        })
        .collect();
    let read = chapters.iter().filter(|r| r.read).count();
    g.set_chapters_title(wording::chapters_title(read, chapters.len()).into());
    let half = chapters.len().div_ceil(2);
    let right = chapters[half..].to_vec();
    let mut left = chapters;
    left.truncate(half);
    g.set_chapters_left(ModelRc::new(VecModel::from(left)));
    g.set_chapters_right(ModelRc::new(VecModel::from(right)));
}

/// Sets the words and connects the global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Training>();
    g.set_words(TrainingWords {
        banner_label: wording::BANNER_LABEL.into(),
        guide_label: wording::GUIDE_LABEL.into(),
        next_label: wording::NEXT_LABEL.into(),
        back: wording::BACK.into(),
        finish: wording::FINISH.into(),
    });
    wire!(g, shared, on_open_guide, |c| c.training_guide());
    wire!(g, shared, on_close_guide, |c| c.training_guide_close());
    wire!(g, shared, on_start, |c| c.training_start());
    wire!(g, shared, on_show_chapters, |c, open: bool| c
        .training_chapters(open));
    wire!(g, shared, on_toggle_chapter, |c, i: i32| c
        .training_toggle_chapter(
            usize::try_from(i).unwrap_or(usize::MAX)
        ));
    wire!(g, shared, on_finish, |c| c.training_finish());
}
