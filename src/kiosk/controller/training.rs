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

use zeroize::Zeroizing;

use super::{Field, KioskController, Screen};
use crate::store::StaffSession;
use crate::training::{BANNER, Chapter, Exercise, Manual, Practice};

/// The exercises a training ended with, and the manual chapters the
/// trainee marked as read, for whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingResult {
    pub trainee: String,
    pub done: Vec<Exercise>,
    pub chapters: Vec<Chapter>,
}

impl TrainingResult {
    /// Nothing to record.
    pub fn is_empty(&self) -> bool {
        self.done.is_empty() && self.chapters.is_empty()
    }

    /// 「課題 4/6・読んだ章 3」
    pub fn summary(&self) -> String {
        format!(
            "課題 {}/{}・読んだ章 {}",
            self.done.len(),
            Exercise::ALL.len(),
            self.chapters.len()
        )
    }
}

impl KioskController {
    /// A kiosk in training from the start (`tsudoi training`): `store` is
    /// the practice store `practice` made.
    pub fn new_training(
        store: crate::store::Store,
        practice: Practice,
        config: super::KioskConfig,
    ) -> Self {
        let mut c = Self::new(store, config);
        c.training = Some(practice);
        c.guide_open = true;
        c
    }

    pub fn in_training(&self) -> bool {
        self.training.is_some()
    }

    /// 「研修中（架空のデータ）」 while training, else empty.
    pub fn training_banner(&self) -> &'static str {
        if self.training.is_some() { BANNER } else { "" }
    }

    /// The real staff member who is training.
    pub fn trainee(&self) -> Option<&str> {
        self.training.as_ref().map(Practice::trainee)
    }

    /// Each exercise and whether the practice store shows it done.
    pub fn training_status(&self) -> Vec<(Exercise, bool)> {
        match &self.training {
            Some(p) => p.status(&self.store),
            None => Vec::new(),
        }
    }

    pub fn guide_open(&self) -> bool {
        self.guide_open
    }

    /// The banner was tapped: the exercises over the current screen.
    pub fn training_guide(&mut self) {
        if self.training.is_some() {
            self.guide_open = true;
            self.chapters_open = false;
        }
    }

    /// 「画面にもどる」 on the guide.
    pub fn training_guide_close(&mut self) {
        self.guide_open = false;
        self.chapters_open = false;
    }

    /// Whether the guide shows the manual's chapters (「読んだ章」).
    pub fn chapters_open(&self) -> bool {
        self.chapters_open && self.guide_open
    }

    /// 「読んだ章」 on the guide: the staff manual's chapters, to mark those
    /// read; 「課題にもどる」 goes back to the exercises.
    pub fn training_chapters(&mut self, open: bool) {
        if self.training.is_some() && self.guide_open {
            self.chapters_open = open;
        }
    }

    /// The staff manual's chapters (受付スタッフ用 操作マニュアル, the one
    /// the desk learns from) and whether each is marked as read.
    pub fn training_chapter_rows(&self) -> Vec<(Chapter, bool)> {
        let read = self
            .training
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
        if let Some(p) = self.training.as_mut() {
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
        if self.training.is_some() {
            return;
        }
        match self.screen {
            Screen::Locked | Screen::Waiting => {}
            Screen::StaffOversight => self.sign_out(),
            _ => return,
        }
        self.clear_result();
        self.clear_form();
        self.training_request = true;
        self.screen = Screen::StaffSignIn;
        self.sign_in.message = "研修モード: ご自分のスタッフIDとパスワードを入れてください。研修は架空のデータで行い、本番の記録は見えず、変わりません。".into();
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
            self.sign_in.message = "はじめてのサインインでは研修を始められません。先にふつうにサインインして、パスワードを決めてください。".into();
            return;
        }
        let today = self.store.clock().today();
        let real_path = self.store.path().to_owned();
        match Practice::create(id, today, None, &real_path) {
            Ok((practice_store, practice)) => {
                let real = std::mem::replace(&mut self.store, practice_store);
                self.parked = Some(real);
                self.training = Some(practice);
                self.training_request = false;
                self.clear_form();
                self.go_waiting();
                self.guide_open = true;
            }
            Err(e) => {
                self.sign_in.message = format!("研修用のデータを作れませんでした（{e}）。");
            }
        }
    }

    /// 「研修を終わる」. From the kiosk: the practice store is closed and
    /// deleted, the real store comes back, and the sign-in form asks the
    /// trainee's password to write the record. From `tsudoi training`: the
    /// result waits for [`Self::take_training_result`] and the window closes.
    pub fn training_finish(&mut self) {
        let Some(practice) = &self.training else {
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
        self.guide_open = false;
        self.chapters_open = false;
        let Some(real) = self.parked.take() else {
            // `tsudoi training`: the practice store stays open until the
            // controller is dropped (the store first, then its folder).
            self.training_result = Some(result);
            return;
        };
        let practice_store = std::mem::replace(&mut self.store, real);
        // The store's file closes before its folder is removed.
        drop(practice_store);
        self.training = None;
        self.go_waiting();
        self.screen = Screen::StaffSignIn;
        self.sign_in.first = Zeroizing::new(result.trainee.clone());
        self.sign_in.field = Field::Second;
        self.sign_in.message = if result.is_empty() {
            "研修を終えました。終えた課題も読んだ章もないので、記録はありません。「やめる」でもどります。"
                .into()
        } else {
            format!(
                "研修を終えました（{}）。{} のパスワードでサインインすると記録します。「やめる」と記録しません。",
                result.summary(),
                result.trainee
            )
        };
        self.training_pending = Some(result);
    }

    /// Training at the kiosk was left idle on the waiting screen: it ends
    /// as if 「研修を終わる」 had been pressed, and the kiosk waits for
    /// residents on the real store. What was done stays pending: it is
    /// recorded when the trainee next signs in at this kiosk.
    pub(in crate::kiosk) fn training_end_idle(&mut self) {
        if self.parked.is_none() {
            return;
        }
        self.training_finish();
        self.clear_form();
        self.go_waiting();
    }

    /// What `tsudoi training` ended with, once 「研修を終わる」 was pressed.
    pub fn take_training_result(&mut self) -> Option<TrainingResult> {
        self.training_result.take()
    }

    /// Whether the window should close (`tsudoi training` has ended).
    pub fn wants_quit(&self) -> bool {
        self.training_result.is_some()
    }

    /// A card no one has registered was tapped.
    pub(in crate::kiosk) fn note_unknown_card(&mut self) {
        if let Some(p) = self.training.as_mut() {
            p.unknown_card_tapped(&self.store);
        }
    }

    /// After a successful sign-in: the record of a training that just ended
    /// at this kiosk, if this is the trainee. Returns the message to show.
    pub(in crate::kiosk) fn record_pending_training(
        &mut self,
        session: &StaffSession,
    ) -> Option<String> {
        let pending = self.training_pending.take()?;
        if pending.trainee != session.staff_id() || pending.is_empty() {
            return None;
        }
        let written =
            self.store
                .record_training_and_chapters(session, &pending.done, &pending.chapters);
        Some(match written {
            Ok(n) => format!(
                "研修の記録を残しました（新しく {n} 件、{}）。",
                pending.summary()
            ),
            Err(_) => "研修の記録を残せませんでした。取扱責任者に連絡してください。".into(),
        })
    }
}
