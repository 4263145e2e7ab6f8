//! 「おやすみが続いている方」 (見守り, issue 15): the list of regulars who
//! have stopped coming, with their phone for a call, and the call's outcome
//! recorded from the fixed list with the day of the call (today by
//! default, earlier allowed, never later). Managers and handlers only: the
//! store refuses other roles, and the controller does not open it for them.
//!
//! The list is read once when the screen opens (each person shown is
//! audited `watch_list` by the store); a recorded call updates the row in
//! memory, so recording does not list (and audit) everyone again. After a
//! second 連絡がつかない since the last visit the screen shows the
//! reminder naming the configured centre ([`mimamori::reminder`]); nothing
//! about the person leaves the device.
//!
//! Screens: the `=> Mimamori` lines of the registry; words in [`wording`].

pub mod adapter;
pub mod wording;

use chrono::{Duration, NaiveDate};

use crate::error::Result;
use crate::kiosk::controller::{KioskController, Screen};
use crate::store::groups::WatchRule;
use crate::store::mimamori::{self, CallRecorded, Outcome, WatchEntry};
use crate::store::{StaffSession, Store};

/// Rows of the list per page (three lines each at 800×480).
pub const WATCH_ROWS: usize = 3;

/// How far back the day of a call may be set.
pub const MAX_DAYS_BACK: i64 = 30;

/// The `[mimamori]` settings the kiosk needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchConfig {
    /// The rule for activities outside the groups.
    pub rule: WatchRule,
    /// The office the reminder names.
    pub center: String,
}

impl Default for WatchConfig {
    fn default() -> Self {
        Self {
            rule: WatchRule::default(),
            center: "区の高齢者総合相談センター".into(),
        }
    }
}

/// What the flow needs from the store (`tests/mimamori_flow.rs` fakes it).
pub trait WatchStore {
    /// Today in Japan (the call's day defaults to it, and never passes it).
    fn today(&self) -> NaiveDate;
    /// The list with names and phones (audited per person).
    fn watch_list(&mut self) -> Result<Vec<WatchEntry>>;
    /// A call's outcome on `on`.
    fn record_call(
        &mut self,
        participant_id: &str,
        outcome: Outcome,
        on: NaiveDate,
    ) -> Result<CallRecorded>;
}

/// The store with the signed-in staff member and the configured rule.
pub struct StaffWatch<'a> {
    /// The store the flow's decisions are written to.
    pub store: &'a mut Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
    /// The configured rule for who belongs on the list (`[mimamori]`).
    pub rule: WatchRule,
}

impl WatchStore for StaffWatch<'_> {
    fn today(&self) -> NaiveDate {
        self.store.clock().today()
    }

    fn watch_list(&mut self) -> Result<Vec<WatchEntry>> {
        self.store.watch_list(self.staff, self.rule)
    }

    fn record_call(
        &mut self,
        participant_id: &str,
        outcome: Outcome,
        on: NaiveDate,
    ) -> Result<CallRecorded> {
        self.store
            .record_watch_call(self.staff, participant_id, outcome, on)
    }
}

/// What the last recording came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallNotice {
    /// The call was recorded.
    Recorded {
        /// Its outcome.
        outcome: Outcome,
        /// The day of the call.
        on: NaiveDate,
        /// Whether staff are reminded to inform the centre (the person
        /// could not be reached twice since their last visit).
        remind: bool,
    },
    /// The store refused: its Japanese message.
    Failed(String),
    /// 「記録する」 without an outcome chosen.
    ChooseOutcome,
}

/// The flow's state; dropped when the flow closes.
#[derive(Default, Debug)]
pub struct Mimamori {
    pub(in crate::kiosk) entries: Vec<WatchEntry>,
    pub(in crate::kiosk) page: usize,
    /// The person being called (index into `entries`).
    pub(in crate::kiosk) chosen: Option<usize>,
    pub(in crate::kiosk) outcome: Option<Outcome>,
    /// The day of the call.
    pub(in crate::kiosk) day: Option<NaiveDate>,
    pub(in crate::kiosk) today: Option<NaiveDate>,
    pub(in crate::kiosk) notice: Option<CallNotice>,
}

impl Mimamori {
    /// Reads the list (each person audited by the store).
    pub fn load(&mut self, store: &mut impl WatchStore) -> Result<()> {
        let entries = store.watch_list()?;
        *self = Mimamori {
            entries,
            today: Some(store.today()),
            ..Mimamori::default()
        };
        Ok(())
    }

    /// A person chosen on the list: the call form, today as the day.
    pub fn choose(&mut self, participant_id: &str) -> bool {
        let Some(i) = self
            .entries
            .iter()
            .position(|e| e.candidate.participant_id == participant_id)
        else {
            return false;
        };
        self.chosen = Some(i);
        self.outcome = None;
        self.day = self.today;
        self.notice = None;
        true
    }

    /// A call's outcome was chosen on the call form (its position in
    /// [`Outcome::ALL`]).
    pub fn set_outcome(&mut self, index: usize) {
        if self.chosen.is_some()
            && let Some(o) = Outcome::ALL.get(index)
        {
            self.outcome = Some(*o);
            if self.notice == Some(CallNotice::ChooseOutcome) {
                self.notice = None;
            }
        }
    }

    /// Moves the day of the call by `delta` days: never after today, at
    /// most [`MAX_DAYS_BACK`] before.
    pub fn day_step(&mut self, delta: i64) {
        let (Some(today), Some(day)) = (self.today, self.day) else {
            return;
        };
        let next = day + Duration::days(delta);
        self.day = Some(next.clamp(today - Duration::days(MAX_DAYS_BACK), today));
    }

    /// Whether the call's day can move a day later (not after today).
    pub fn can_go_later(&self) -> bool {
        matches!((self.day, self.today), (Some(d), Some(t)) if d < t)
    }

    /// Whether the call's day can move a day earlier (at most
    /// [`MAX_DAYS_BACK`] back).
    pub fn can_go_earlier(&self) -> bool {
        matches!((self.day, self.today), (Some(d), Some(t)) if d > t - Duration::days(MAX_DAYS_BACK))
    }

    /// 「記録する」: the chosen outcome on the chosen day.
    pub fn record(&mut self, store: &mut impl WatchStore) {
        let Some(i) = self.chosen else {
            return;
        };
        let Some(outcome) = self.outcome else {
            self.notice = Some(CallNotice::ChooseOutcome);
            return;
        };
        let Some(day) = self.day else {
            return;
        };
        let Some(entry) = self.entries.get_mut(i) else {
            return;
        };
        match store.record_call(&entry.candidate.participant_id, outcome, day) {
            Ok(r) => {
                let later = entry.candidate.last_outcome.is_none_or(|(_, d)| d <= day);
                if later {
                    entry.candidate.last_outcome = Some((outcome, day));
                }
                entry.candidate.no_answer = r.no_answer;
                self.notice = Some(CallNotice::Recorded {
                    outcome,
                    on: day,
                    remind: r.remind,
                });
                self.outcome = None;
            }
            Err(e) => self.notice = Some(CallNotice::Failed(e.to_string())),
        }
    }

    /// Back from the call form to the list.
    pub fn close_call(&mut self) {
        self.chosen = None;
        self.outcome = None;
        self.day = None;
        self.notice = None;
    }

    /// 「前へ」 / 「次へ」 on the list.
    pub fn page_step(&mut self, delta: i32) {
        let pages = self.pages();
        let next = self.page as i64 + i64::from(delta);
        self.page = next.clamp(0, pages as i64 - 1) as usize;
    }

    /// How many pages the list takes (at least one).
    pub fn pages(&self) -> usize {
        self.entries.len().div_ceil(WATCH_ROWS).max(1)
    }

    /// The list's page on screen, from 0.
    pub fn page(&self) -> usize {
        self.page
    }

    /// The people on the current page.
    pub fn page_entries(&self) -> &[WatchEntry] {
        let start = (self.page * WATCH_ROWS).min(self.entries.len());
        let end = (start + WATCH_ROWS).min(self.entries.len());
        &self.entries[start..end]
    }

    /// Everyone on the list, longest absence first.
    pub fn entries(&self) -> &[WatchEntry] {
        &self.entries
    }

    /// The person whose call form is open.
    pub fn chosen(&self) -> Option<&WatchEntry> {
        self.chosen.and_then(|i| self.entries.get(i))
    }

    /// The outcome chosen on the call form, if one is.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    /// The call's day on the form (today unless moved back).
    pub fn day(&self) -> Option<NaiveDate> {
        self.day
    }

    /// What the last action came to, if anything is to be said.
    pub fn notice(&self) -> Option<&CallNotice> {
        self.notice.as_ref()
    }

    /// Whether the chosen person's calls call for the reminder.
    pub fn reminds(&self) -> bool {
        self.chosen()
            .is_some_and(|e| e.candidate.no_answer >= mimamori::NO_ANSWER_REMINDER)
    }
}

impl KioskController {
    /// The flow's state (for the adapter and tests).
    pub fn mimamori(&self) -> &Mimamori {
        &self.mimamori
    }

    /// 「おやすみが続いている方」 (from the groups menu): managers and
    /// handlers only.
    pub fn mimamori_open(&mut self) {
        if self.screen != Screen::StaffGroups || !self.staff_handles_people() {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let mut store = StaffWatch {
            store: &mut self.store,
            staff: &staff,
            rule: self.config.mimamori.rule,
        };
        match self.mimamori.load(&mut store) {
            Ok(()) => {
                self.groups = Default::default();
                self.screen = Screen::StaffWatch;
            }
            Err(e) => {
                self.groups.notice = Some(super::groups::Notice::Failed(e.to_string()));
            }
        }
    }

    /// A person on the list: the call form.
    pub fn mimamori_choose(&mut self, participant_id: &str) {
        if self.screen == Screen::StaffWatch && self.mimamori.choose(participant_id) {
            self.screen = Screen::StaffWatchCall;
        }
    }

    /// An outcome button on the call form.
    pub fn mimamori_outcome(&mut self, index: usize) {
        if self.screen == Screen::StaffWatchCall {
            self.mimamori.set_outcome(index);
        }
    }

    /// The call's day moved by `delta` days (−1 earlier, 1 later).
    pub fn mimamori_day(&mut self, delta: i64) {
        if self.screen == Screen::StaffWatchCall {
            self.mimamori.day_step(delta);
        }
    }

    /// 「記録する」.
    pub fn mimamori_record(&mut self) {
        if self.screen != Screen::StaffWatchCall {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let mut store = StaffWatch {
            store: &mut self.store,
            staff: &staff,
            rule: self.config.mimamori.rule,
        };
        self.mimamori.record(&mut store);
    }

    /// 「前へ」 / 「次へ」 on the 見守り list.
    pub fn mimamori_page(&mut self, delta: i32) {
        if self.screen == Screen::StaffWatch {
            self.mimamori.page_step(delta);
        }
    }

    /// 「もどる」: from the call to the list, from the list to the groups menu.
    pub fn mimamori_back(&mut self) {
        match self.screen {
            Screen::StaffWatchCall => {
                self.mimamori.close_call();
                self.screen = Screen::StaffWatch;
            }
            Screen::StaffWatch => {
                self.groups_open();
                if self.screen == Screen::StaffWatch {
                    // The menu could not be read: Today instead.
                    self.mimamori = Mimamori::default();
                    self.open_today();
                }
            }
            _ => {}
        }
    }

    /// The reminder naming the configured centre.
    pub fn mimamori_reminder(&self) -> String {
        mimamori::reminder(&self.config.mimamori.center)
    }

    pub(in crate::kiosk) fn mimamori_header(&self) -> Option<String> {
        match self.screen {
            Screen::StaffWatch => Some(wording::LIST_TITLE.into()),
            Screen::StaffWatchCall => Some(wording::CALL_TITLE.into()),
            _ => None,
        }
    }
}
