//! The kiosk's logic, with no UI: which screen shows, what it says, what a
//! card tap or a button does. [`KioskController`] holds every flow's state;
//! the flows moved into [`crate::kiosk::flows`] add their actions there, the
//! others are still in this folder. The Slint adapters (`super::ui`, and each
//! flow's `adapter.rs`) only copy the state into the screens' globals and
//! forward callbacks here.

use std::time::Duration;

mod address_entry;
pub(in crate::kiosk) mod keys;
// The name entry lives with the registration flow; the record's
// corrections use it from here too.
pub use crate::kiosk::flows::disclosure::{Disclose, DiscloseStep};
pub use crate::kiosk::flows::erasure::{Erasure, ErasureStep, RECOVERY_KEY_CHARS};
pub use crate::kiosk::flows::oversight::retention::{DUE_ROWS, Retention, RetentionStep};
pub use crate::kiosk::flows::oversight::{
    INCIDENT_BUTTONS, IncidentForm, IncidentStep, Oversight, SUMMARY_LINES,
};
pub(in crate::kiosk) use crate::kiosk::flows::registration::name_entry;
pub use crate::kiosk::flows::registration::{DatePart, Registration, Step as RegStep};
pub use crate::kiosk::flows::report::{
    CellKind, ChartBar, ChartWeek, LedgerRow, MonthReport, PreviewCell, PreviewColumn,
    PreviewTable, ReportStep, Transfer, UsbExport, Written,
};
pub use crate::kiosk::flows::report::{LEDGER_PURPOSE, LEDGER_ROWS, PURPOSES, TABLE_ROWS};
pub use crate::kiosk::flows::setup::{
    CreateJob, Created, SITE_MAX_CHARS, SetupController, SetupStep, StoreCreator, StoreMaker,
};
pub use crate::kiosk::flows::training::TrainingResult;
pub use address_entry::{AddressEntry, AddressStep, NumberField};
pub use name_entry::{CANDIDATES_PER_PAGE, NameEntry};

pub(in crate::kiosk) use keys::step_page;

pub use crate::kiosk::flows::checkin::{WAITING_ROWS, WAITING_TICK, WaitingList};
pub use crate::kiosk::flows::record::cards::CardRow;
pub use crate::kiosk::flows::record::{CardWait, Edit, EditField, Hit, RecordFlow};
pub use crate::kiosk::flows::sign_in::Field;
pub use crate::kiosk::flows::today::{SESSION_TITLES, SessionForm};
pub use crate::kiosk::flows::{Flow, Screen};

use chrono::NaiveTime;

use crate::kiosk::flows::checkin::{CheckIn, ResidentLayout};
use crate::kiosk::flows::sign_in::SignIn;
use crate::kiosk::flows::today::Today;
use crate::store::sessions::SessionInfo;
use crate::store::{StaffSession, Store};

/// What the buzzer and lights should do after a tap: the hardware layer's
/// signal, played by its `Feedback`.
pub use tsudoi_hw::Signal;

/// Timings; the limits of the privacy rules are enforced in [`KioskConfig::clamped`].
#[derive(Debug, Clone)]
pub struct KioskConfig {
    /// A resident screen other than waiting goes back to waiting after this (≤ 30 s).
    pub resident_idle: Duration,
    /// The checked-in and already-checked-in screens return sooner.
    pub result_return: Duration,
    /// Idle staff screens lock after this (≤ 15 min).
    pub staff_idle: Duration,
    /// A session can be checked in to from this long before its start.
    pub early_check_in: chrono::Duration,
    /// Where the exports find USB sticks, and the ward's key.
    pub usb: UsbExport,
    /// When the space closes: the keys leave memory then (and at the latest
    /// 12 hours after the day's first sign-in, [`crate::store::MAX_KEY_HOLD`]).
    pub closing_time: Option<NaiveTime>,
    /// Whole fiscal years without a visit after which a record is due for
    /// deletion (`[retention] fiscal_years`; the store refuses outside 1–10).
    pub retention_years: u32,
    /// The contract period for the certificate of erasure (`[contract]`).
    pub contract: crate::store::erase::EraseRequest,
    /// 見守り: the rule outside the groups and the centre the reminder
    /// names (`[mimamori]`).
    pub mimamori: crate::kiosk::flows::mimamori::WatchConfig,
}

impl Default for KioskConfig {
    fn default() -> Self {
        Self {
            resident_idle: Duration::from_secs(20),
            result_return: Duration::from_secs(5),
            staff_idle: Duration::from_secs(5 * 60),
            early_check_in: chrono::Duration::minutes(30),
            usb: UsbExport::default(),
            closing_time: NaiveTime::from_hms_opt(21, 0, 0),
            retention_years: 3,
            contract: crate::store::erase::EraseRequest::default(),
            mimamori: Default::default(),
        }
    }
}

impl KioskConfig {
    /// The longest a resident screen may wait untouched: the privacy rule
    /// that nobody's result stays for the next person to read.
    pub const MAX_RESIDENT_IDLE: Duration = Duration::from_secs(30);
    /// The longest a staff screen may stay signed in untouched (15 minutes):
    /// an unattended desk must lock.
    pub const MAX_STAFF_IDLE: Duration = Duration::from_secs(15 * 60);

    /// The configuration with every timeout inside its allowed range.
    pub fn clamped(self) -> Self {
        let resident_idle = self
            .resident_idle
            .clamp(Duration::from_secs(3), Self::MAX_RESIDENT_IDLE);
        Self {
            resident_idle,
            result_return: self
                .result_return
                .clamp(Duration::from_secs(2), resident_idle),
            staff_idle: self
                .staff_idle
                .clamp(Duration::from_secs(10), Self::MAX_STAFF_IDLE),
            early_check_in: self
                .early_check_in
                .clamp(chrono::Duration::zero(), chrono::Duration::hours(2)),
            usb: self.usb,
            closing_time: self.closing_time,
            retention_years: self.retention_years,
            contract: self.contract,
            mimamori: self.mimamori,
        }
    }
}

/// A session as a row on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The session's id in the store (what a check-in by hand records).
    pub id: String,
    /// Its time as shown: 「10:00〜11:30」.
    pub time: String,
    /// Its title as staff entered it.
    pub title: String,
    /// Its program's label (体操, 囲碁 …).
    pub program: String,
    /// Head count, shown on staff screens only.
    pub count: u32,
    /// Kana names of those checked in, on the staff "Today" screen only.
    pub names: String,
    /// The lottery class the session belongs to (its attendance sheet opens
    /// from the Today screen), or empty.
    pub class_id: String,
}

/// The kiosk.
pub struct KioskController {
    pub(in crate::kiosk) store: Store,
    pub(in crate::kiosk) config: KioskConfig,
    pub(in crate::kiosk) screen: Screen,
    pub(in crate::kiosk) reader_connected: bool,
    pub(crate) staff: Option<StaffSession>,
    /// The waiting and check-in flow ([`crate::kiosk::flows::checkin`]).
    pub(in crate::kiosk) check_in: CheckIn,
    /// The staff sign-in flow ([`crate::kiosk::flows::sign_in`]).
    pub(in crate::kiosk) sign_in: SignIn,
    /// 「グループの受付」 ([`crate::kiosk::flows::groups`]).
    pub(in crate::kiosk) groups: crate::kiosk::flows::groups::Groups,
    /// 「おやすみが続いている方」 ([`crate::kiosk::flows::mimamori`]).
    pub(in crate::kiosk) mimamori: crate::kiosk::flows::mimamori::Mimamori,
    /// 「名簿の取り込み」 ([`crate::kiosk::flows::roster`]).
    pub(in crate::kiosk) roster: crate::kiosk::flows::roster::Roster,
    /// A record's sessions, for a check-in by hand.
    pub(in crate::kiosk) choices: Vec<SessionRow>,
    pub(in crate::kiosk) staff_message: String,
    /// 「今日の受付」 ([`crate::kiosk::flows::today`]).
    pub(in crate::kiosk) today: Today,
    pub(in crate::kiosk) reg: Option<Registration>,
    /// A person's record at the desk ([`crate::kiosk::flows::record`]).
    pub(in crate::kiosk) search: Option<RecordFlow>,
    /// Lottery classes: class mode, the results, the attendance sheet
    /// ([`crate::kiosk::flows::classes`]).
    pub(in crate::kiosk) classes: crate::kiosk::flows::classes::Classes,
    /// The monthly report screen's state (counts only).
    pub(in crate::kiosk) report: Option<MonthReport>,
    /// The 「事故・点検」 screen's state (counts and incident numbers).
    pub(in crate::kiosk) oversight: Option<Oversight>,
    /// The incident being recorded.
    pub(in crate::kiosk) incident: Option<IncidentForm>,
    /// 「契約終了の消去」 while it is open.
    pub(in crate::kiosk) erasure: Option<Erasure>,
    /// Once the store is erased, what every screen says (empty before).
    pub(in crate::kiosk) erased: Vec<String>,
    /// 研修モード ([`crate::kiosk::flows::training`]; after `store`, so the
    /// practice store closes before its folder is removed).
    pub(in crate::kiosk) training: crate::kiosk::flows::training::TrainingState,
    /// Spoken guidance ([`crate::kiosk::voice`]); `None`: silent.
    pub(in crate::kiosk) voice: Option<tsudoi_hw::voice::Speaker>,
    /// 「音声案内の設定」 while it is open ([`crate::kiosk::flows::voice_settings`]).
    pub(in crate::kiosk) voice_settings: Option<crate::kiosk::flows::voice_settings::VoiceForm>,
}

fn time_range(s: &SessionInfo) -> String {
    format!("{}〜{}", s.start.format("%-H:%M"), s.end.format("%-H:%M"))
}

pub(in crate::kiosk) fn row(s: &SessionInfo) -> SessionRow {
    SessionRow {
        id: s.id.clone(),
        time: time_range(s),
        title: s.title.clone(),
        program: s.program.label().to_owned(),
        count: s.attendance,
        names: String::new(),
        class_id: String::new(),
    }
}

impl KioskController {
    /// A kiosk on `store`. A locked store starts on [`Screen::Locked`]: a staff
    /// sign-in unlocks it for the day's check-ins.
    pub fn new(store: Store, config: KioskConfig) -> Self {
        let screen = if store.can_check_in_by_card() {
            Screen::Waiting
        } else {
            Screen::Locked
        };
        Self {
            store,
            config: config.clamped(),
            screen,
            reader_connected: true,
            staff: None,
            check_in: CheckIn::default(),
            sign_in: SignIn::default(),
            groups: Default::default(),
            mimamori: Default::default(),
            roster: Default::default(),
            choices: Vec::new(),
            staff_message: String::new(),
            today: Today::default(),
            reg: None,
            search: None,
            classes: Default::default(),
            report: None,
            oversight: None,
            incident: None,
            erasure: None,
            erased: Vec::new(),
            training: Default::default(),
            voice: None,
            voice_settings: None,
        }
    }

    /// The store the kiosk runs on (the practice store while training).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, to change it directly (the tests and the screenshots'
    /// set-up; the screens go through the controller's actions).
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The timings and settings the kiosk runs with, already clamped.
    pub fn config(&self) -> &KioskConfig {
        &self.config
    }

    /// The screen on show; its flow says which adapter draws it.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// Whether the card reader answers (else every screen shows the
    /// reader banner).
    pub fn reader_connected(&self) -> bool {
        self.reader_connected
    }

    /// The signed-in staff member's id, if anyone is signed in.
    pub fn staff_id(&self) -> Option<&str> {
        self.staff.as_ref().map(|s| s.staff_id())
    }

    /// Whether the signed-in staff member may see and change residents'
    /// data (取扱責任者・取扱者, not 運営者).
    pub fn staff_handles_people(&self) -> bool {
        self.staff
            .as_ref()
            .is_some_and(|s| s.role().handles_personal_data())
    }

    /// A record's sessions, for a check-in by hand.
    pub fn record_choices(&self) -> &[SessionRow] {
        &self.choices
    }

    /// The line shown on 「今日の受付」 after something happened elsewhere
    /// (a training recorded, no card keys yet); empty if none.
    pub fn staff_message(&self) -> &str {
        &self.staff_message
    }

    /// The date line of the waiting screen, e.g. "11月23日（月）".
    pub fn date_label(&self) -> String {
        crate::jp_date::md_weekday(self.store.clock().today())
    }

    /// The waiting screen's clock tick (every [`WAITING_TICK`]): the next page
    /// of activities. Returns whether the screen shows something that changed
    /// with time (the waiting or locked screen), so the adapter redraws only then.
    pub fn tick(&mut self) -> bool {
        // Whatever was committed since the last tick goes into the main file,
        // out of reach of a damaged write-ahead log ([`Store::fold_wal`]);
        // a failure here is a disk fault the next write will report.
        let _ = self.store.fold_wal();
        if self.end_of_day() {
            return true;
        }
        if matches!(self.screen, Screen::Waiting | Screen::Locked) {
            self.check_in.waiting_page = self.check_in.waiting_page.wrapping_add(1);
            true
        } else {
            false
        }
    }

    /// At closing time, or [`crate::store::MAX_KEY_HOLD`] after the day's
    /// first sign-in, the store's keys are dropped: whoever is signed in is
    /// signed out, whatever is on screen is cleared, and the kiosk shows
    /// 準備中 until a staff member signs in again. Returns whether that
    /// happened now.
    pub(in crate::kiosk) fn end_of_day(&mut self) -> bool {
        if let Some(real) = self.training.parked.as_mut() {
            // The real store's keys leave at closing time even while it is
            // parked behind a training.
            let _ = real.drop_expired_keys(self.config.closing_time);
        }
        if !self.store.is_unlocked() {
            return false;
        }
        // An audit write that fails still leaves the keys dropped.
        let _ = self.store.drop_expired_keys(self.config.closing_time);
        if self.store.is_unlocked() {
            return false;
        }
        // The store is locked now, so the sign-out cannot be logged; the
        // keys_dropped entry written just before says why.
        self.staff = None;
        self.leave_staff_screens();
        true
    }

    /// How long the current screen may stay untouched, if it times out at all.
    pub fn timeout(&self) -> Option<Duration> {
        if self.training.guide.is_open() {
            return Some(self.config.staff_idle);
        }
        match self.screen {
            // Training left running at the kiosk ends by itself, so that the
            // residents' card taps reach the real store again.
            Screen::Locked | Screen::Waiting if self.training.parked.is_some() => {
                Some(self.config.staff_idle)
            }
            // 「文字を大きく」 pressed and no card came: the idle reset
            // puts the layout back for whoever comes next.
            Screen::Waiting if self.check_in.layout == ResidentLayout::Large => {
                Some(self.config.resident_idle)
            }
            Screen::Locked | Screen::Waiting | Screen::Erased => None,
            Screen::CheckedIn | Screen::AlreadyCheckedIn => Some(self.config.result_return),
            s if s.is_staff() => Some(self.config.staff_idle),
            _ => Some(self.config.resident_idle),
        }
    }

    /// The timeout of [`Self::timeout`] ran out: resident screens return to
    /// waiting, staff screens sign out and return to the resident screens.
    pub fn on_timeout(&mut self) {
        let guide_was_open = self.training.guide.is_open();
        self.training.guide.close();
        if !guide_was_open
            && self.training.parked.is_some()
            && matches!(self.screen, Screen::Locked | Screen::Waiting)
        {
            self.training_end_idle();
        } else if self.screen.is_staff() {
            self.sign_out();
        } else if self.screen != Screen::Locked {
            self.go_waiting();
        }
    }

    pub(crate) fn go_waiting(&mut self) {
        self.hush();
        self.clear_result();
        // The large layout was for the resident who is leaving.
        self.check_in.layout = ResidentLayout::Normal;
        if !self.erased.is_empty() {
            // Nothing runs on an erased store.
            self.screen = Screen::Erased;
            return;
        }
        self.check_in.waiting_page = 0;
        // Keys that cannot match a card (an operator's alone) leave the
        // kiosk closed to taps: 準備中 until a handler or manager signs in.
        self.screen = if self.store.can_check_in_by_card() {
            Screen::Waiting
        } else {
            Screen::Locked
        };
    }

    pub(in crate::kiosk) fn clear_result(&mut self) {
        self.check_in.clear();
        self.choices.clear();
        self.classes.clear();
    }

    pub(in crate::kiosk) fn clear_form(&mut self) {
        self.sign_in = SignIn::default();
        self.staff_message.clear();
    }

    /// The reader thread reported that the reader went away or came back.
    pub fn on_reader_state(&mut self, connected: bool) {
        self.reader_connected = connected;
    }

    // ---- staff ----

    /// A key of the on-screen keyboard.
    pub fn key(&mut self, text: &str) {
        if self.screen == Screen::StaffRegister {
            self.reg_key(text);
            return;
        }
        if matches!(self.screen, Screen::StaffSearch | Screen::StaffCorrect) {
            self.search_key(text);
            return;
        }
        if self.screen.flow() == Flow::SignIn {
            self.sign_in_key(text);
        }
    }

    /// 「一文字消す」 on the on-screen keyboard, for whichever flow types.
    pub fn backspace(&mut self) {
        if self.screen == Screen::StaffRegister {
            self.reg_backspace();
            return;
        }
        if matches!(self.screen, Screen::StaffSearch | Screen::StaffCorrect) {
            self.search_backspace();
            return;
        }
        if self.screen.flow() == Flow::SignIn {
            self.sign_in_backspace();
        }
    }

    /// The staff screens' submit button (「追加する」, 「次へ」, 「さがす」, 「保存する」).
    pub fn submit(&mut self) {
        match self.screen {
            Screen::StaffSignIn | Screen::StaffChangePassword | Screen::RepresentativeSignIn => {
                self.sign_in_submit()
            }
            Screen::StaffAddSession => self.add_session(),
            Screen::StaffRegister => self.reg_next(),
            Screen::StaffSearch => self.search_run(),
            Screen::StaffCorrect => self.edit_save(),
            _ => {}
        }
    }

    /// One tap: the staff member signs out; the store stays unlocked for check-ins.
    pub fn sign_out(&mut self) {
        if let Some(s) = self.staff.take() {
            // The audit entry is best effort: signing out must always work.
            let _ = self.store.sign_out(&s);
        }
        self.leave_staff_screens();
    }

    /// Forgets everything the staff screens held and shows the resident side.
    pub(in crate::kiosk) fn leave_staff_screens(&mut self) {
        self.clear_form();
        self.today.clear();
        self.reg = None;
        self.search = None;
        self.report = None;
        self.classes.sheet = None;
        self.oversight = None;
        self.incident = None;
        self.erasure = None;
        self.groups = Default::default();
        self.mimamori = Default::default();
        // Wipes a roster file's bytes.
        self.roster = Default::default();
        self.voice_settings = None;
        self.go_waiting();
    }

    /// 「やめる」 / 「もどる」 on a staff screen: one step back.
    pub fn cancel(&mut self) {
        match self.screen {
            Screen::StaffSignIn | Screen::StaffChangePassword => self.sign_in_cancel(),
            Screen::StaffAddSession => self.open_today(),
            Screen::StaffSheet => self.sheet_back(),
            Screen::StaffRegister => self.reg_back(),
            Screen::StaffOversight => self.oversight_back(),
            Screen::StaffIncident => self.incident_back(),
            Screen::StaffErasure => self.erasure_back(),
            Screen::RepresentativeSignIn => self.sign_in_cancel(),
            Screen::StaffGroups | Screen::StaffGroupMembers => self.groups_back(),
            Screen::StaffWatch | Screen::StaffWatchCall => self.mimamori_back(),
            Screen::StaffRoster => self.roster_back(),
            Screen::StaffVoice => self.voice_back(),
            // The representative's list has no way back but a staff sign-in.
            Screen::GroupRepresentative => {}
            Screen::StaffSearch
            | Screen::StaffRecord
            | Screen::StaffCorrect
            | Screen::StaffEditMenu
            | Screen::StaffClasses
            | Screen::StaffCards
            | Screen::StaffDisclose
            | Screen::StaffConfirmDelete => self.search_back(),
            _ => {}
        }
    }

    /// The title bar of the current staff screen; empty where there is none
    /// (keyboard screens need the room, resident screens have their own).
    pub fn staff_header(&self) -> String {
        self.today_header()
            .or_else(|| self.record_header())
            .or_else(|| self.groups_header())
            .or_else(|| self.mimamori_header())
            .or_else(|| self.roster_header())
            .or_else(|| self.classes_header())
            .or_else(|| self.oversight_header())
            .or_else(|| self.disclosure_header())
            .or_else(|| self.erasure_header())
            .or_else(|| self.registration_header())
            .or_else(|| self.voice_header())
            .unwrap_or_default()
    }

    /// The name being entered on the current screen: the registration
    /// wizard's name step or the name correction.
    pub fn name_entry(&self) -> Option<&NameEntry> {
        match self.screen {
            Screen::StaffRegister => self
                .reg
                .as_ref()
                .filter(|r| r.step() == RegStep::Name)
                .map(|r| r.names()),
            Screen::StaffCorrect => match self.search.as_ref().and_then(|s| s.edit.as_ref()) {
                Some(Edit::Name(n)) => Some(n),
                Some(Edit::Address(a)) if a.step == AddressStep::Building => Some(&a.building),
                _ => None,
            },
            _ => None,
        }
    }

    fn with_name_entry(&mut self, f: impl FnOnce(&mut NameEntry)) {
        let entry = match self.screen {
            Screen::StaffRegister => self
                .reg
                .as_mut()
                .filter(|r| r.step() == RegStep::Name)
                .map(|r| r.names_mut()),
            Screen::StaffCorrect => match self.search.as_mut().and_then(|s| s.edit.as_mut()) {
                Some(Edit::Name(n)) => Some(n),
                Some(Edit::Address(a)) if a.step == AddressStep::Building => Some(&mut a.building),
                _ => None,
            },
            _ => None,
        };
        if let Some(e) = entry {
            f(e);
            self.after_name_change();
        }
    }

    fn after_name_change(&mut self) {
        if self.screen == Screen::StaffRegister {
            self.validate_registration();
        } else if let Some(s) = self.search.as_mut() {
            s.message.clear();
        }
    }

    /// Typing the furigana (true) or picking the written name (false).
    pub fn name_focus_kana(&mut self, kana: bool) {
        self.with_name_entry(|e| e.focus_kana(kana));
    }

    /// The `index`th candidate on the page.
    pub fn name_choose(&mut self, index: usize) {
        self.with_name_entry(|e| e.choose(index));
    }

    /// 「ひらがなで」 / 「カタカナで」.
    pub fn name_kana(&mut self, katakana: bool) {
        self.with_name_entry(|e| e.choose_kana(katakana));
    }

    /// 「名前で」 / 「1字ずつ」 / 「異体字」.
    pub fn name_mode(&mut self, mode: tsudoi_kanji::Mode) {
        self.with_name_entry(|e| e.set_mode(mode));
    }

    /// 「1字ずつ」 / 「名前で」.
    pub fn name_toggle_one_by_one(&mut self) {
        self.with_name_entry(NameEntry::toggle_one_by_one);
    }

    /// 「異体字」 (again: whole names).
    pub fn name_toggle_variants(&mut self) {
        self.with_name_entry(NameEntry::toggle_variants);
    }

    /// The kanji candidates' next (`delta` 1) or previous (−1) page.
    pub fn name_page(&mut self, delta: i32) {
        self.with_name_entry(|e| e.page_step(delta));
    }

    /// 「1つもどす」: takes back the last pick.
    pub fn name_undo(&mut self) {
        self.with_name_entry(NameEntry::undo);
    }
}
