//! 「今日の受付」: the staff home screen (today's sessions, their head
//! counts and, for the roles that handle personal data, who is checked in;
//! the row of buttons to the other staff flows; the clock guard's question)
//! and 「活動を追加」 (a session added for today from fixed titles).
//!
//! The decisions are the pure functions [`rows`] and [`add`] and the
//! [`SessionForm`]'s steps, over the small [`TodayStore`] trait: the
//! controller calls them with the real store, `tests/today_flow.rs` with a
//! fake.
//!
//! Screens: the `=> Today` lines of the registry; words in [`wording`].

pub mod adapter;
pub mod wording;

use chrono::{NaiveDate, NaiveTime, Timelike};

use crate::error::Result;
use crate::kiosk::controller::{KioskController, Screen, SessionRow, row};
use crate::store::roster::RosterEntry;
use crate::store::sessions::{NewSession, Program, SessionInfo, SessionMode};
use crate::store::{StaffSession, Store};

pub use wording::SESSION_TITLES;

/// What the flow needs from the store (`tests/today_flow.rs` fakes it).
pub trait TodayStore {
    /// Today in Japan.
    fn today(&self) -> NaiveDate;
    /// Today's sessions with their head counts, by start time.
    fn sessions_today(&self) -> Result<Vec<SessionInfo>>;
    /// Who is checked in today (kana only). Empty for a role that does not
    /// handle personal data: the operator sees head counts alone.
    fn checked_in_today(&mut self) -> Result<Vec<RosterEntry>>;
    /// The lottery class a session belongs to, if any.
    fn class_of_session(&self, session_id: &str) -> Option<String>;
    /// Adds a session (audited by the store); its id.
    fn add_session(&mut self, new: NewSession) -> Result<String>;
}

/// The store with the signed-in staff member.
pub struct StaffToday<'a> {
    /// The store the flow's decisions are written to.
    pub store: &'a mut Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
}

impl TodayStore for StaffToday<'_> {
    fn today(&self) -> NaiveDate {
        self.store.clock().today()
    }

    fn sessions_today(&self) -> Result<Vec<SessionInfo>> {
        self.store.sessions_on(self.today())
    }

    fn checked_in_today(&mut self) -> Result<Vec<RosterEntry>> {
        if !self.staff.role().handles_personal_data() {
            return Ok(Vec::new());
        }
        let today = self.today();
        self.store.roster_on(self.staff, today)
    }

    fn class_of_session(&self, session_id: &str) -> Option<String> {
        self.store
            .class_of_session(session_id)
            .ok()
            .flatten()
            .map(|c| c.class_id)
    }

    fn add_session(&mut self, new: NewSession) -> Result<String> {
        self.store.add_session(self.staff, new)
    }
}

/// Today's sessions as rows: the kana of those checked in joined per
/// session, a lottery class session's class (its attendance sheet). A store
/// that cannot answer shows an empty list, as before.
pub fn rows(store: &mut impl TodayStore) -> Vec<SessionRow> {
    let sessions = store.sessions_today().unwrap_or_default();
    let roster = store.checked_in_today().unwrap_or_default();
    sessions
        .iter()
        .map(|s| {
            let names: Vec<&str> = roster
                .iter()
                .filter(|r| r.session_id == s.id)
                .map(|r| r.kana.as_str())
                .collect();
            let class_id = if s.mode == SessionMode::Lottery {
                store.class_of_session(&s.id).unwrap_or_default()
            } else {
                String::new()
            };
            SessionRow {
                names: names.join(wording::NAME_SEPARATOR),
                class_id,
                ..row(s)
            }
        })
        .collect()
}

/// The new-session form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionForm {
    /// The session's program (地域交流支援, 介護予防 …), which the monthly
    /// report counts by.
    pub program: Program,
    /// Index into [`SESSION_TITLES`].
    pub title: usize,
    /// When it starts (8:00 to 20:00, by half hours).
    pub start: NaiveTime,
    /// How long it runs (30 minutes to 8 hours).
    pub minutes: u32,
}

impl Default for SessionForm {
    fn default() -> Self {
        Self {
            program: Program::Koryu,
            title: 0,
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
            minutes: 90,
        }
    }
}

impl SessionForm {
    /// A program was chosen (its position in [`Program::ALL`]).
    pub fn set_program(&mut self, index: usize) {
        if let Some(p) = Program::ALL.get(index) {
            self.program = *p;
        }
    }

    /// A title was chosen (its position in [`SESSION_TITLES`]).
    pub fn set_title(&mut self, index: usize) {
        if index < SESSION_TITLES.len() {
            self.title = index;
        }
    }

    /// Moves the start by whole half hours, between 8:00 and 20:00.
    pub fn start_step(&mut self, half_hours: i32) {
        let minutes = (self.start.hour() * 60 + self.start.minute()) as i32;
        let next = (minutes + half_hours * 30).clamp(8 * 60, 20 * 60) as u32;
        if let Some(t) = NaiveTime::from_hms_opt(next / 60, next % 60, 0) {
            self.start = t;
        }
    }

    /// Changes the length by half hours, 30 minutes to 8 hours.
    pub fn length_step(&mut self, half_hours: i32) {
        let next = (self.minutes as i32 + half_hours * 30).clamp(30, 480);
        self.minutes = next as u32;
    }

    /// When it ends: the start plus its length.
    pub fn end(&self) -> NaiveTime {
        self.start
            .overflowing_add_signed(chrono::Duration::minutes(i64::from(self.minutes)))
            .0
    }

    /// The chosen title as written.
    pub fn title_text(&self) -> &'static str {
        SESSION_TITLES[self.title.min(SESSION_TITLES.len() - 1)]
    }
}

/// Why a session was not added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddProblem {
    /// The end would fall on the next day.
    CrossesMidnight,
    /// The store refused: its Japanese message.
    Refused(String),
}

/// 「この活動を追加する」: the form as an open session today.
pub fn add(form: &SessionForm, store: &mut impl TodayStore) -> std::result::Result<(), AddProblem> {
    let end = form.end();
    if end <= form.start {
        return Err(AddProblem::CrossesMidnight);
    }
    let new = NewSession {
        program: form.program,
        date: store.today(),
        start: form.start,
        end,
        title: form.title_text().to_owned(),
        capacity: None,
        mode: SessionMode::Open,
    };
    store
        .add_session(new)
        .map(|_| ())
        .map_err(|e| AddProblem::Refused(e.to_string()))
}

/// The flow's state.
#[derive(Debug, Default)]
pub struct Today {
    /// Today's sessions, as last read.
    pub(in crate::kiosk) rows: Vec<SessionRow>,
    pub(in crate::kiosk) form: SessionForm,
}

impl Today {
    /// Forgets the list (names included) when staff leave.
    pub fn clear(&mut self) {
        self.rows.clear();
    }
}

impl KioskController {
    /// The staff "Today" screen: the sessions, head counts and who is checked in.
    pub fn open_today(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        self.screen = Screen::StaffToday;
        self.today.rows = rows(&mut StaffToday {
            store: &mut self.store,
            staff: &staff,
        });
    }

    /// Today's sessions as 「今日の受付」 lists them, with their counts.
    pub fn today_rows(&self) -> &[SessionRow] {
        &self.today.rows
    }

    /// The new session being set up on 「活動を追加」.
    pub fn form(&self) -> &SessionForm {
        &self.today.form
    }

    /// When the new session would end.
    pub fn form_end(&self) -> NaiveTime {
        self.today.form.end()
    }

    /// 「活動を追加」 on Today.
    pub fn add_session_start(&mut self) {
        if self.screen == Screen::StaffToday {
            self.today.form = SessionForm::default();
            self.staff_message.clear();
            self.screen = Screen::StaffAddSession;
        }
    }

    /// A program button on 「活動を追加」.
    pub fn form_program(&mut self, index: usize) {
        self.today.form.set_program(index);
    }

    /// A title button on 「活動を追加」.
    pub fn form_title(&mut self, index: usize) {
        self.today.form.set_title(index);
    }

    /// Moves the start by whole half hours, between 8:00 and 20:00.
    pub fn form_start(&mut self, half_hours: i32) {
        self.today.form.start_step(half_hours);
    }

    /// Changes the length by half hours, 30 minutes to 8 hours.
    pub fn form_length(&mut self, half_hours: i32) {
        self.today.form.length_step(half_hours);
    }

    /// 「この活動を追加する」: back to Today with the new session, or the
    /// reason on the form.
    pub(in crate::kiosk) fn add_session(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let form = self.today.form.clone();
        let result = add(
            &form,
            &mut StaffToday {
                store: &mut self.store,
                staff: &staff,
            },
        );
        match result {
            Ok(()) => self.open_today(),
            Err(AddProblem::CrossesMidnight) => {
                self.staff_message = wording::CROSSES_MIDNIGHT.into()
            }
            Err(AddProblem::Refused(m)) => self.staff_message = m,
        }
    }

    /// The question shown on Today while check-ins are stopped by the clock
    /// guard (`crate::store::clock_guard`); empty otherwise.
    pub fn clock_question(&self) -> String {
        match (self.screen, self.store.clock_behind()) {
            (Screen::StaffToday, Some(b)) => {
                wording::clock_question(&b.latest_seen, &self.store.clock().now())
            }
            _ => String::new(),
        }
    }

    /// 「時計は正しい」 on Today: the signed-in staff member confirms the
    /// device's time (audited as `clock_confirm`); check-ins are recorded again.
    pub fn clock_confirm(&mut self) {
        if self.screen != Screen::StaffToday || self.store.clock_behind().is_none() {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let now = self.store.clock().now().naive_local();
        self.staff_message = match self.store.confirm_clock(&staff, now) {
            Ok(()) => wording::CLOCK_CONFIRMED.into(),
            Err(e) => e.to_string(),
        };
    }

    /// The flow's title bar, on its screens.
    pub(in crate::kiosk) fn today_header(&self) -> Option<String> {
        match self.screen {
            Screen::StaffToday => Some(wording::header(self.staff_id().unwrap_or_default())),
            Screen::StaffAddSession => Some(wording::ADD_HEADER.into()),
            _ => None,
        }
    }
}
