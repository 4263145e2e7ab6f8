//! The adapter of the training banner and guide (`ui/training.slint`):
//! copies the controller's training state into the `Training` global and
//! forwards its callbacks. No logic here.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

/// The training global, for tests.
pub use super::generated::Training;
use super::generated::{AppWindow, ChapterRow, TrainingRow};
use super::{Shared, wire};
use crate::kiosk::controller::KioskController;
use crate::training::{Exercise, Manual, PRACTICE_PASSWORD, SAMPLE_ID};

pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
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

    g.set_chapters_open(c.chapters_open());
    let chapters: Vec<ChapterRow> = c
        .training_chapter_rows()
        .into_iter()
        .enumerate()
        .map(|(i, (ch, read))| ChapterRow {
            label: format!("{}. {}", ch.number, ch.title).into(),
            read,
            index: i32::try_from(i).unwrap_or(i32::MAX),
        })
        .collect();
    let read = chapters.iter().filter(|r| r.read).count();
    g.set_chapters_title(
        format!(
            "{}：読んだ章を押してください（読んだ章 {read}/{}）。研修を終えるときに記録します。",
            Manual::Staff.title(),
            chapters.len()
        )
        .into(),
    );
    let half = chapters.len().div_ceil(2);
    let right = chapters[half..].to_vec();
    let mut left = chapters;
    left.truncate(half);
    g.set_chapters_left(ModelRc::new(VecModel::from(left)));
    g.set_chapters_right(ModelRc::new(VecModel::from(right)));
}

pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Training>();
    wire!(g, shared, on_open_guide, |c| c.training_guide());
    wire!(g, shared, on_close_guide, |c| c.training_guide_close());
    wire!(g, shared, on_start, |c| c.training_start());
    {
        let weak = Rc::downgrade(shared);
        g.on_show_chapters(move |open| {
            if let Some(s) = weak.upgrade() {
                s.act(|c| c.training_chapters(open));
            }
        });
    }
    {
        let weak = Rc::downgrade(shared);
        g.on_toggle_chapter(move |i| {
            if let Some(s) = weak.upgrade() {
                s.act(|c| c.training_toggle_chapter(usize::try_from(i).unwrap_or(usize::MAX)));
            }
        });
    }
    wire!(g, shared, on_finish, |c| c.training_finish());
}
