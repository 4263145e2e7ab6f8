//! 研修モード at the kiosk (issue 19). The kiosk runs on a practice store of
//! invented residents ([`crate::training::Practice`]); the banner
//! 「研修中（架空のデータ）」 is on every screen, and the guide lists the
//! exercises and whether the practice store shows them done.
//!
//! Two ways in: `tsudoi training` starts the kiosk in training (the command
//! line writes the record after the window closes), or 「研修モード」 on the
//! 準備中 screen, where the staff member signs in with their real id and
//! password. The real store is then parked, out of the screens' reach, until
//! 「研修を終わる」 puts it back; the staff member signs in once more to write
//! the record there.
//!
//! A flow of its own (issue 17): the state (`TrainingState`, inside the
//! controller) and the actions here, every sentence in [`wording`], and
//! [`adapter`] copies the state into the `Training` global of
//! `ui/training.slint` (the banner and the guide over whichever screen
//! shows; its line in the registry's `ADAPTERS`). The guide's pages
//! ([`Guide`]) and the writing of the record at the trainee's sign-in
//! ([`record`], over the small [`TrainingRecorder`] trait) are decided
//! without Slint or a database, so `tests/training_flow.rs` drives them
//! with a fake.

pub mod adapter;
pub mod wording;

use zeroize::Zeroizing;

use crate::error::Result;
use crate::kiosk::controller::{Field, KioskConfig, KioskController, Screen};
use crate::store::{StaffSession, Store};
use crate::training::{BANNER, Chapter, Exercise, Manual, Practice};

/// The training's state inside the controller: the practice under way, the
/// real store parked behind it, the guide, and the record waiting to be
/// written.
#[derive(Default)]
pub(in crate::kiosk) struct TrainingState {
    /// The practice under way (dropped after the controller's `store`, the
    /// practice store, so that store closes before its folder is removed).
    pub(in crate::kiosk) practice: Option<Practice>,
    /// The real store while training runs on a practice store at this kiosk.
    pub(in crate::kiosk) parked: Option<Store>,
    /// The sign-in form was opened by 「研修モード」.
    pub(in crate::kiosk) request: bool,
    /// The guide over the current screen.
    pub(in crate::kiosk) guide: Guide,
    /// A training that ended at this kiosk, to record at the trainee's sign-in.
    pub(in crate::kiosk) pending: Option<TrainingResult>,
    /// A training that ended under `tsudoi training`.
    pub(in crate::kiosk) result: Option<TrainingResult>,
}

/// The guide over the current screen: closed, the exercises, or the staff
/// manual's chapters (to mark those read).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Guide {
    open: bool,
    chapters: bool,
}

impl Guide {
    /// Whether the guide covers the screen.
    pub fn is_open(self) -> bool {
        self.open
    }

    /// Whether the guide shows the manual's chapters instead of the
    /// exercises (never while it is closed).
    pub fn shows_chapters(self) -> bool {
        self.open && self.chapters
    }

    /// Opens the guide on its exercises (the banner was tapped, or training
    /// just began).
    pub fn open(&mut self) {
        self.open = true;
        self.chapters = false;
    }

    /// Closes the guide (「画面にもどる」, the idle timeout, the end).
    pub fn close(&mut self) {
        *self = Guide::default();
    }

    /// 「読んだ章」 (`true`) or 「課題を見る」 (`false`) on the open guide;
    /// nothing while it is closed.
    pub fn chapters(&mut self, show: bool) {
        if self.open {
            self.chapters = show;
        }
    }
}

/// What the flow needs from the real store to keep a training's record.
pub trait TrainingRecorder {
    /// Records the exercises done and the chapters read for the signed-in
    /// trainee; how many new lines the record got.
    fn record(&mut self, done: &[Exercise], chapters: &[Chapter]) -> Result<usize>;
}

/// The real store with the trainee signed in.
pub struct StaffRecorder<'a> {
    /// The real store.
    pub store: &'a mut Store,
    /// The trainee's own sign-in.
    pub session: &'a StaffSession,
}

impl TrainingRecorder for StaffRecorder<'_> {
    fn record(&mut self, done: &[Exercise], chapters: &[Chapter]) -> Result<usize> {
        self.store
            .record_training_and_chapters(self.session, done, chapters)
    }
}

/// What a sign-in did with a training that ended at this kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// Someone else signed in, or the training left nothing to record: the
    /// sign-in goes on as usual.
    Nothing,
    /// Written: how many new lines, and what was recorded.
    Written {
        /// New lines in the record (lines already there are not repeated).
        new: usize,
        /// The training that was recorded.
        result: TrainingResult,
    },
    /// The store refused; the trainee is told to tell a manager.
    Failed,
}

/// Keeps `pending`'s record if `staff_id` is its trainee and it holds
/// something; the pending training is used up either way.
pub fn record(
    pending: TrainingResult,
    staff_id: &str,
    store: &mut dyn TrainingRecorder,
) -> Recorded {
    if pending.trainee != staff_id || pending.is_empty() {
        return Recorded::Nothing;
    }
    match store.record(&pending.done, &pending.chapters) {
        Ok(new) => Recorded::Written {
            new,
            result: pending,
        },
        Err(_) => Recorded::Failed,
    }
}

/// The exercises a training ended with, and the manual chapters the
/// trainee marked as read, for whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingResult {
    /// The trainee's real staff id.
    pub trainee: String,
    /// The exercises the practice store shows done.
    pub done: Vec<Exercise>,
    /// The staff manual's chapters marked as read.
    pub chapters: Vec<Chapter>,
}

impl TrainingResult {
    /// Nothing to record.
    pub fn is_empty(&self) -> bool {
        self.done.is_empty() && self.chapters.is_empty()
    }

    /// 「課題 4/6・読んだ章 3」 ([`wording::summary`]).
    pub fn summary(&self) -> String {
        wording::summary(self)
    }
}

impl KioskController {
    /// A kiosk in training from the start (`tsudoi training`): `store` is
    /// the practice store `practice` made.
    pub fn new_training(
        store: crate::store::Store,
        practice: Practice,
        config: KioskConfig,
    ) -> Self {
        let mut c = Self::new(store, config);
        c.training.practice = Some(practice);
        c.training.guide.open();
        c
    }

    /// Whether the kiosk runs on a practice store (the banner shows, the
    /// real store is out of reach).
    pub fn in_training(&self) -> bool {
        self.training.practice.is_some()
    }

    /// 「研修中（架空のデータ）」 while training, else empty.
    pub fn training_banner(&self) -> &'static str {
        if self.in_training() { BANNER } else { "" }
    }

    /// The real staff member who is training.
    pub fn trainee(&self) -> Option<&str> {
        self.training.practice.as_ref().map(Practice::trainee)
    }

    /// Each exercise and whether the practice store shows it done.
    pub fn training_status(&self) -> Vec<(Exercise, bool)> {
        match &self.training.practice {
            Some(p) => p.status(&self.store),
            None => Vec::new(),
        }
    }

    /// Whether the training guide covers the screen.
    pub fn guide_open(&self) -> bool {
        self.training.guide.is_open()
    }

    /// The banner was tapped: the exercises over the current screen.
    pub fn training_guide(&mut self) {
        if self.in_training() {
            self.training.guide.open();
        }
    }

    /// 「画面にもどる」 on the guide.
    pub fn training_guide_close(&mut self) {
        self.training.guide.close();
    }

    /// Whether the guide shows the manual's chapters (「読んだ章」).
    pub fn chapters_open(&self) -> bool {
        self.training.guide.shows_chapters()
    }

    /// 「読んだ章」 on the guide: the staff manual's chapters, to mark those
    /// read; 「課題を見る」 goes back to the exercises.
    pub fn training_chapters(&mut self, open: bool) {
        if self.in_training() {
            self.training.guide.chapters(open);
        }
    }

    /// The staff manual's chapters (受付スタッフ用 操作マニュアル, the one
    /// the desk learns from) and whether each is marked as read.
    pub fn training_chapter_rows(&self) -> Vec<(Chapter, bool)> {
        let read = self
            .training
            .practice
            .as_ref()
            .map(Practice::chapters_read)
            .unwrap_or_default();
        Manual::Staff
            .chapters()
            .into_iter()
            .map(|c| {
                let r = read.contains(&c);
                (c, r)
            })
            .collect()
    }

    /// A chapter's row was tapped: marks it read, or unmarks it.
    pub fn training_toggle_chapter(&mut self, index: usize) {
        let Some(chapter) = Manual::Staff.chapters().get(index).copied() else {
            return;
        };
        if let Some(p) = self.training.practice.as_mut() {
            p.toggle_chapter(chapter);
        }
    }

    /// 「研修モード」 on the 準備中 screen: the sign-in form, whose
    /// 「サインイン」 then starts training for the staff member who signs in.
    ///
    /// Also from 「事故・点検」 → 「研修モード」 during the day: the staff
    /// member signed in there is signed out first (the trainee signs in
    /// again, with their own id), and the real store stays unlocked, parked.
    pub fn training_start(&mut self) {
        if self.in_training() {
            return;
        }
        match self.screen {
            Screen::Locked | Screen::Waiting => {}
            Screen::StaffOversight => self.sign_out(),
            _ => return,
        }
        self.clear_result();
        self.clear_form();
        self.training.request = true;
        self.screen = Screen::StaffSignIn;
        self.sign_in.message = wording::START.into();
    }

    /// 「サインイン」 after 「研修モード」: checks the staff member's real
    /// sign-in (audited in the real store), signs out again at once, parks
    /// the real store and starts the kiosk on a new practice store.
    pub(in crate::kiosk) fn training_sign_in(&mut self, id: &str, password: &str) {
        let was_locked = !self.store.is_unlocked();
        let session = match self.store.sign_in(id, password) {
            Ok(s) => s,
            Err(e) => {
                self.sign_in_refused(e);
                return;
            }
        };
        let must_change = session.must_change_password();
        // The sign-in only says who is training: nothing else is done as
        // them in the real store. A best-effort sign-out, like the screens'.
        let _ = self.store.sign_out(&session);
        if was_locked {
            // Starting training does not start the day.
            self.store.lock();
        }
        if must_change {
            self.sign_in.message = wording::FIRST_SIGN_IN.into();
            return;
        }
        let today = self.store.clock().today();
        let real_path = self.store.path().to_owned();
        match Practice::create(id, today, None, &real_path) {
            Ok((practice_store, practice)) => {
                let real = std::mem::replace(&mut self.store, practice_store);
                self.training.parked = Some(real);
                self.training.practice = Some(practice);
                self.training.request = false;
                self.clear_form();
                self.go_waiting();
                self.training.guide.open();
            }
            Err(e) => {
                self.sign_in.message = wording::not_made(&e);
            }
        }
    }

    /// 「研修を終わる」. From the kiosk: the practice store is closed and
    /// deleted, the real store comes back, and the sign-in form asks the
    /// trainee's password to write the record. From `tsudoi training`: the
    /// result waits for [`Self::take_training_result`] and the window closes.
    pub fn training_finish(&mut self) {
        let Some(practice) = &self.training.practice else {
            return;
        };
        let result = TrainingResult {
            trainee: practice.trainee().to_owned(),
            done: practice.done(&self.store),
            chapters: practice.chapters_read().to_vec(),
        };
        if let Some(s) = self.staff.take() {
            let _ = self.store.sign_out(&s);
        }
        self.leave_staff_screens();
        self.training.guide.close();
        let Some(real) = self.training.parked.take() else {
            // `tsudoi training`: the practice store stays open until the
            // controller is dropped (the store first, then its folder).
            self.training.result = Some(result);
            return;
        };
        let practice_store = std::mem::replace(&mut self.store, real);
        // The store's file closes before its folder is removed.
        drop(practice_store);
        self.training.practice = None;
        self.go_waiting();
        self.screen = Screen::StaffSignIn;
        self.sign_in.first = Zeroizing::new(result.trainee.clone());
        self.sign_in.field = Field::Second;
        self.sign_in.message = wording::finished(&result);
        self.training.pending = Some(result);
    }

    /// Training at the kiosk was left idle on the waiting screen: it ends
    /// as if 「研修を終わる」 had been pressed, and the kiosk waits for
    /// residents on the real store. What was done stays pending: it is
    /// recorded when the trainee next signs in at this kiosk.
    pub(in crate::kiosk) fn training_end_idle(&mut self) {
        if self.training.parked.is_none() {
            return;
        }
        self.training_finish();
        self.clear_form();
        self.go_waiting();
    }

    /// What `tsudoi training` ended with, once 「研修を終わる」 was pressed.
    pub fn take_training_result(&mut self) -> Option<TrainingResult> {
        self.training.result.take()
    }

    /// Whether the window should close (`tsudoi training` has ended).
    pub fn wants_quit(&self) -> bool {
        self.training.result.is_some()
    }

    /// A card no one has registered was tapped.
    pub(in crate::kiosk) fn note_unknown_card(&mut self) {
        if let Some(p) = self.training.practice.as_mut() {
            p.unknown_card_tapped(&self.store);
        }
    }

    /// After a successful sign-in: the record of a training that just ended
    /// at this kiosk, if this is the trainee. Returns the message to show.
    pub(in crate::kiosk) fn record_pending_training(
        &mut self,
        session: &StaffSession,
    ) -> Option<String> {
        let pending = self.training.pending.take()?;
        let mut recorder = StaffRecorder {
            store: &mut self.store,
            session,
        };
        wording::recorded(&record(pending, session.staff_id(), &mut recorder))
    }
}
