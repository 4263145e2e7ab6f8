//! The kiosk's logic, with no UI: which screen shows, what it says, what a
//! card tap or a button does. The Slint adapter (`super::ui`) only copies the
//! [`View`] into the screen's globals and forwards callbacks here.

use std::time::Duration;

mod address_entry;
mod cards;
mod classes;
mod clock;
mod disclosure;
mod erasure;
mod keys;
mod name_entry;
mod oversight;
mod register;
mod report;
mod retention;
mod search;
mod setup;
mod sheet;
mod training;
pub use address_entry::{AddressEntry, AddressStep, NumberField};
pub use cards::CardRow;
pub use classes::{CLASS_ITEMS_PER_PAGE, ClassPage, ClassRow, ResultRow};
pub use disclosure::{Disclose, DiscloseStep};
pub use erasure::{Erasure, ErasureStep, RECOVERY_KEY_CHARS};
pub use name_entry::{CANDIDATES_PER_PAGE, NameEntry};
pub use oversight::{INCIDENT_BUTTONS, IncidentForm, IncidentStep, Oversight, SUMMARY_LINES};
pub use register::{RegStep, Registration};
pub use report::{
    CellKind, ChartBar, ChartWeek, LedgerRow, MonthReport, PreviewCell, PreviewColumn,
    PreviewTable, ReportConfig, ReportStep, Transfer, Written,
};
pub use report::{LEDGER_PURPOSE, LEDGER_ROWS, PURPOSES, TABLE_ROWS};
pub use retention::{DUE_ROWS, Retention, RetentionStep};
pub use search::{CardWait, Edit, EditField, Hit, Search};
pub use setup::{
    CreateJob, Created, SITE_MAX_CHARS, SetupController, SetupStep, StoreCreator, StoreMaker,
};
pub use sheet::{SHEET_ROWS, SheetLine, SheetView};
pub use training::TrainingResult;

use chrono::{NaiveTime, Timelike};
use zeroize::Zeroizing;

use crate::error::Error;
use crate::store::attendance::{CheckInMethod, CheckInOutcome};
use crate::store::class_day::CardCheckIn;
use crate::store::participants::PURPOSE_STATEMENT;
use crate::store::sessions::{NewSession, Program, SessionInfo, SessionMode};
use crate::store::{Actor, StaffSession, Store};

/// Every screen of the kiosk. Resident screens need no sign-in; staff screens do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The store is locked: a staff member must sign in to start the day.
    Locked,
    Waiting,
    Purpose,
    CheckedIn,
    AlreadyCheckedIn,
    UnknownCard,
    ReverificationDue,
    NotEligible,
    SessionFull,
    NoSession,
    CardError,
    /// The store failed during a resident's tap (a disk or database error):
    /// 「係の者をお呼びください」, the attention light, a log line.
    KioskFault,
    /// The clock was found behind the store's latest time at start-up: no
    /// check-in is recorded until staff confirm the time (`tsudoi clock confirm`).
    ClockUnconfirmed,
    ChooseSession,
    /// Class mode: asks for the card whose classes and results to show.
    ClassCard,
    /// The card holder's lottery results and the open classes.
    Classes,
    /// An application was recorded: the entry number in big type.
    ClassApplied,
    /// The first application needs the address: staff take it at the desk.
    ClassNeedsAddress,
    /// An application was refused (duplicate, not eligible, closed, other class).
    ClassRefused,
    /// A lottery class is running and the card holder holds no seat in it.
    NoSeat,
    StaffSignIn,
    StaffChangePassword,
    StaffToday,
    StaffAddSession,
    StaffRegister,
    StaffSearch,
    StaffRecord,
    StaffCorrect,
    /// 「直す・消す」 on a record: which field to correct, or delete.
    StaffEditMenu,
    /// The classes taking applications, to apply on the person's behalf.
    StaffClasses,
    /// 「記録を消す」: asks before deleting.
    StaffConfirmDelete,
    /// The monthly report: preview, chart, USB export, media ledger.
    StaffReport,
    /// A record's cards: take one off, replace one, add one.
    StaffCards,
    /// A lottery class's attendance sheet (出席簿).
    StaffSheet,
    /// 「事故・点検」: record an incident, the inspection summary, the
    /// ward's reports.
    StaffOversight,
    /// Recording an incident, step by step.
    StaffIncident,
    /// A record's disclosure PDF written to a USB stick (開示).
    StaffDisclose,
    /// 「契約終了の消去」, step by step (managers).
    StaffErasure,
    /// The store has been erased: the kiosk does nothing else.
    Erased,
}

impl Screen {
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Screen::StaffSignIn
                | Screen::StaffChangePassword
                | Screen::StaffToday
                | Screen::StaffAddSession
                | Screen::StaffRegister
                | Screen::StaffSearch
                | Screen::StaffRecord
                | Screen::StaffCorrect
                | Screen::StaffEditMenu
                | Screen::StaffClasses
                | Screen::StaffConfirmDelete
                | Screen::StaffReport
                | Screen::StaffCards
                | Screen::StaffSheet
                | Screen::StaffOversight
                | Screen::StaffIncident
                | Screen::StaffDisclose
                | Screen::StaffErasure
        )
    }
}

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
    /// Where the monthly report finds USB sticks, and the ward's key.
    pub report: ReportConfig,
    /// When the space closes: the keys leave memory then (and at the latest
    /// 12 hours after the day's first sign-in, [`crate::store::MAX_KEY_HOLD`]).
    pub closing_time: Option<NaiveTime>,
    /// Whole fiscal years without a visit after which a record is due for
    /// deletion (`[retention] fiscal_years`; the store refuses outside 1–10).
    pub retention_years: u32,
    /// The contract period for the certificate of erasure (`[contract]`).
    pub contract: crate::store::erase::EraseRequest,
}

impl Default for KioskConfig {
    fn default() -> Self {
        Self {
            resident_idle: Duration::from_secs(20),
            result_return: Duration::from_secs(5),
            staff_idle: Duration::from_secs(5 * 60),
            early_check_in: chrono::Duration::minutes(30),
            report: ReportConfig::default(),
            closing_time: NaiveTime::from_hms_opt(21, 0, 0),
            retention_years: 3,
            contract: crate::store::erase::EraseRequest::default(),
        }
    }
}

impl KioskConfig {
    pub const MAX_RESIDENT_IDLE: Duration = Duration::from_secs(30);
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
            report: self.report,
            closing_time: self.closing_time,
            retention_years: self.retention_years,
            contract: self.contract,
        }
    }
}

/// A session as a row on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id: String,
    pub time: String,
    pub title: String,
    pub program: String,
    /// Head count, shown on staff screens only.
    pub count: u32,
    /// Kana names of those checked in, on the staff "Today" screen only.
    pub names: String,
    /// The lottery class the session belongs to (its attendance sheet opens
    /// from the Today screen), or empty.
    pub class_id: String,
}

/// Rows of the waiting screen's list per page: what fits under the big
/// "touch your card" panel at 800×480 (1280×800 scales the same layout).
pub const WAITING_ROWS: usize = 3;

/// How often the waiting screen turns its page and catches up with the clock.
pub const WAITING_TICK: Duration = Duration::from_secs(8);

/// The waiting screen's list of activities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingList {
    /// The activities on the current page.
    pub rows: Vec<SessionRow>,
    /// "1/2" when there is more than one page, else empty.
    pub page: String,
    /// What to say when there is nothing to list.
    pub empty: &'static str,
}

/// Which sign-in field the on-screen keyboard types into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    First,
    Second,
}

/// Titles staff can pick for a new session (no Japanese typing needed).
pub const SESSION_TITLES: [&str; 6] = [
    "交流サロン",
    "体操教室",
    "健康講座",
    "趣味の会",
    "うたごえ広場",
    "相談会",
];

/// The new-session form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionForm {
    pub program: Program,
    pub title: usize,
    pub start: NaiveTime,
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

/// The kiosk.
pub struct KioskController {
    store: Store,
    config: KioskConfig,
    screen: Screen,
    reader_connected: bool,
    staff: Option<StaffSession>,
    /// The card holder while they choose between sessions (nothing else is kept).
    pending: Option<String>,
    choices: Vec<SessionRow>,
    result_name: Zeroizing<String>,
    result_title: String,
    result_message: String,
    first: Zeroizing<String>,
    second: Zeroizing<String>,
    field: Field,
    shifted: bool,
    /// The sign-in keyboard shows symbols instead of letters.
    symbols: bool,
    staff_message: String,
    today: Vec<SessionRow>,
    form: SessionForm,
    reg: Option<Registration>,
    search: Option<Search>,
    /// The card shown on the class list, until it applies or the screen resets.
    class_holder: Option<tsudoi_hw::CardId>,
    classes: Vec<ClassRow>,
    class_results: Vec<ResultRow>,
    /// The page of the class list (results first, then the open classes).
    class_page: usize,
    entry_number: String,
    /// The page of the waiting screen's activity list.
    waiting_page: usize,
    /// The monthly report screen's state (counts only).
    report: Option<MonthReport>,
    /// The open attendance sheet.
    sheet: Option<SheetView>,
    /// The 「事故・点検」 screen's state (counts and incident numbers).
    oversight: Option<Oversight>,
    /// The incident being recorded.
    incident: Option<IncidentForm>,
    /// 「契約終了の消去」 while it is open.
    erasure: Option<Erasure>,
    /// Once the store is erased, what every screen says (empty before).
    erased: Vec<String>,
    /// 研修モード: the practice under way (after `store`, so the practice
    /// store closes before its folder is removed).
    training: Option<crate::training::Practice>,
    /// The real store while training runs on a practice store at this kiosk.
    parked: Option<Store>,
    /// The sign-in form was opened by 「研修モード」.
    training_request: bool,
    /// The training guide is shown over the current screen.
    guide_open: bool,
    /// The guide shows the staff manual's chapters (to mark those read)
    /// instead of the exercises.
    chapters_open: bool,
    /// A training that ended at this kiosk, to record at the trainee's sign-in.
    training_pending: Option<TrainingResult>,
    /// A training that ended under `tsudoi training`.
    training_result: Option<TrainingResult>,
}

fn time_range(s: &SessionInfo) -> String {
    format!("{}〜{}", s.start.format("%-H:%M"), s.end.format("%-H:%M"))
}

fn row(s: &SessionInfo) -> SessionRow {
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

const MAX_FIELD: usize = 64;

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
            pending: None,
            choices: Vec::new(),
            result_name: Zeroizing::new(String::new()),
            result_title: String::new(),
            result_message: String::new(),
            first: Zeroizing::new(String::new()),
            second: Zeroizing::new(String::new()),
            field: Field::First,
            shifted: false,
            symbols: false,
            staff_message: String::new(),
            today: Vec::new(),
            form: SessionForm::default(),
            reg: None,
            search: None,
            class_holder: None,
            classes: Vec::new(),
            class_results: Vec::new(),
            class_page: 0,
            entry_number: String::new(),
            waiting_page: 0,
            report: None,
            sheet: None,
            oversight: None,
            incident: None,
            erasure: None,
            erased: Vec::new(),
            training: None,
            parked: None,
            training_request: false,
            guide_open: false,
            chapters_open: false,
            training_pending: None,
            training_result: None,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn config(&self) -> &KioskConfig {
        &self.config
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn reader_connected(&self) -> bool {
        self.reader_connected
    }

    /// The red banner while the reader is away (the reader's own wording
    /// from `tsudoi_hw`), or empty: not on the staff sign-in screens, which
    /// need the whole height for the keyboard.
    pub fn reader_banner(&self) -> String {
        if self.reader_connected
            || matches!(
                self.screen,
                Screen::StaffSignIn | Screen::StaffChangePassword
            )
        {
            return String::new();
        }
        let state = tsudoi_hw::ReaderState::NotConnected {
            reason: String::new(),
        };
        format!("{state}。受付にお声がけください。")
    }

    /// The waiting screen's big line: the reader's state in its own words.
    pub fn waiting_prompt(&self) -> &'static str {
        if self.reader_connected {
            "カードをタッチしてください"
        } else {
            "いまはカードが使えません"
        }
    }

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

    pub fn result_name(&self) -> &str {
        &self.result_name
    }

    pub fn result_title(&self) -> &str {
        &self.result_title
    }

    pub fn result_message(&self) -> &str {
        &self.result_message
    }

    pub fn choices(&self) -> &[SessionRow] {
        &self.choices
    }

    pub fn purpose_text(&self) -> &'static str {
        PURPOSE_STATEMENT
    }

    pub fn staff_message(&self) -> &str {
        &self.staff_message
    }

    pub fn first_field(&self) -> &str {
        &self.first
    }

    /// The second field as dots: passwords never reach the screen.
    pub fn second_masked(&self) -> String {
        "●".repeat(self.second.chars().count())
    }

    /// The first field as typed (staff id), or as dots on the password-change screen.
    pub fn first_shown(&self) -> String {
        if self.screen == Screen::StaffChangePassword {
            "●".repeat(self.first.chars().count())
        } else {
            self.first.to_string()
        }
    }

    pub fn field(&self) -> Field {
        self.field
    }

    pub fn shifted(&self) -> bool {
        self.shifted
    }

    pub fn symbols(&self) -> bool {
        self.symbols
    }

    pub fn today_rows(&self) -> &[SessionRow] {
        &self.today
    }

    pub fn form(&self) -> &SessionForm {
        &self.form
    }

    /// The date line of the waiting screen, e.g. "11月23日（月）".
    pub fn date_label(&self) -> String {
        crate::jp_date::md_weekday(self.store.clock().today())
    }

    /// Today's activities not yet over, for the waiting screen (titles and
    /// times only, no counts), one page at a time: [`Self::tick`] turns the
    /// pages when they do not all fit.
    pub fn waiting_list(&self) -> WaitingList {
        let now = self.store.clock().now();
        let all = self.store.sessions_on(now.date_naive()).unwrap_or_default();
        let upcoming: Vec<SessionRow> = all
            .iter()
            .filter(|s| s.end > now.time())
            .map(|s| SessionRow { count: 0, ..row(s) })
            .collect();
        let pages = upcoming.len().div_ceil(WAITING_ROWS).max(1);
        let page = self.waiting_page % pages;
        let empty = if !upcoming.is_empty() {
            ""
        } else if all.is_empty() {
            "今日の活動はありません。"
        } else {
            "今日の活動は終わりました。"
        };
        WaitingList {
            rows: upcoming
                .into_iter()
                .skip(page * WAITING_ROWS)
                .take(WAITING_ROWS)
                .collect(),
            page: if pages > 1 {
                format!("{}/{}", page + 1, pages)
            } else {
                String::new()
            },
            empty,
        }
    }

    /// The waiting screen's clock tick (every [`WAITING_TICK`]): the next page
    /// of activities. Returns whether the screen shows something that changed
    /// with time (the waiting or locked screen), so the adapter redraws only then.
    pub fn tick(&mut self) -> bool {
        if self.end_of_day() {
            return true;
        }
        if matches!(self.screen, Screen::Waiting | Screen::Locked) {
            self.waiting_page = self.waiting_page.wrapping_add(1);
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
    fn end_of_day(&mut self) -> bool {
        if let Some(real) = self.parked.as_mut() {
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
        if self.guide_open {
            return Some(self.config.staff_idle);
        }
        match self.screen {
            // Training left running at the kiosk ends by itself, so that the
            // residents' card taps reach the real store again.
            Screen::Locked | Screen::Waiting if self.parked.is_some() => {
                Some(self.config.staff_idle)
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
        let guide_was_open = self.guide_open;
        self.guide_open = false;
        self.chapters_open = false;
        if !guide_was_open
            && self.parked.is_some()
            && matches!(self.screen, Screen::Locked | Screen::Waiting)
        {
            self.training_end_idle();
        } else if self.screen.is_staff() {
            self.sign_out();
        } else if self.screen != Screen::Locked {
            self.go_waiting();
        }
    }

    fn go_waiting(&mut self) {
        self.clear_result();
        if !self.erased.is_empty() {
            // Nothing runs on an erased store.
            self.screen = Screen::Erased;
            return;
        }
        self.waiting_page = 0;
        // Keys that cannot match a card (an operator's alone) leave the
        // kiosk closed to taps: 準備中 until a handler or manager signs in.
        self.screen = if self.store.can_check_in_by_card() {
            Screen::Waiting
        } else {
            Screen::Locked
        };
    }

    fn clear_result(&mut self) {
        self.pending = None;
        self.choices.clear();
        self.result_name = Zeroizing::new(String::new());
        self.result_title.clear();
        self.result_message.clear();
        self.class_holder = None;
        self.classes.clear();
        self.class_results.clear();
        self.class_page = 0;
        self.entry_number.clear();
    }

    fn clear_form(&mut self) {
        self.first = Zeroizing::new(String::new());
        self.second = Zeroizing::new(String::new());
        self.field = Field::First;
        self.shifted = false;
        self.symbols = false;
        self.staff_message.clear();
    }

    pub fn on_reader_state(&mut self, connected: bool) {
        self.reader_connected = connected;
    }

    /// The purpose of the data collection, one tap from waiting.
    pub fn show_purpose(&mut self) {
        if matches!(self.screen, Screen::Waiting) {
            self.screen = Screen::Purpose;
        }
    }

    /// "もどる" on any resident screen.
    pub fn back(&mut self) {
        if !self.screen.is_staff() {
            self.go_waiting();
        }
    }

    /// A card was read (or could not be read).
    pub fn on_card(&mut self, card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>) -> Signal {
        if !self.erased.is_empty() {
            return Signal::Attention;
        }
        // A tap after closing time finds the kiosk closed, even if the
        // clock tick has not come round yet.
        self.end_of_day();
        if self.screen == Screen::StaffRegister {
            return self.reg_card(card);
        }
        if self.screen == Screen::StaffCards {
            return self.cards_tap(card);
        }
        if self.screen.is_staff() || self.screen == Screen::Locked {
            // Staff are at the screen, or the day has not started.
            return Signal::Attention;
        }
        if self.in_class_mode() {
            return self.class_card(card);
        }
        self.clear_result();
        let card = match card {
            Ok(c) => c,
            Err(e) => return self.card_unreadable(e),
        };
        match self
            .store
            .check_in_by_card(&card, self.config.early_check_in)
        {
            Ok(CardCheckIn::UnknownCard) => {
                self.note_unknown_card();
                self.show(Screen::UnknownCard, Signal::Attention)
            }
            Ok(CardCheckIn::NoSession) => self.show(Screen::NoSession, Signal::Attention),
            Ok(CardCheckIn::Decided(outcome)) => self.apply_outcome(outcome),
            Ok(CardCheckIn::Choose {
                participant_id,
                sessions,
                notice,
            }) => {
                self.choices = sessions.iter().map(row).collect();
                self.pending = Some(participant_id);
                if let Some(notice) = notice {
                    self.result_message = format!(
                        "{}ほかの活動に参加するときは、選んでください。",
                        notice.message()
                    );
                }
                self.show(Screen::ChooseSession, Signal::Attention)
            }
            Err(Error::ClockBehind { .. }) => {
                self.show(Screen::ClockUnconfirmed, Signal::Attention)
            }
            Err(e) => self.fault("a card tap could not be checked in", &e),
        }
    }

    /// A card the reader could not use: the reason the resident can act on
    /// (a phone or watch is named as such).
    pub(super) fn card_unreadable(&mut self, e: tsudoi_hw::CardIdError) -> Signal {
        let signal = self.show(Screen::CardError, Signal::Error);
        if e == tsudoi_hw::CardIdError::RandomIdentifier {
            self.result_message = e.to_string();
        }
        signal
    }

    /// The store failed during a resident's action: a calm screen asking for
    /// staff, the attention light, and one log line (journald on the device)
    /// with what failed and the error's kind; error texts carry no personal
    /// value, so neither does the line.
    pub(super) fn fault(&mut self, what: &str, e: &Error) -> Signal {
        eprintln!("tsudoi kiosk: {what}: {e} ({:?})", e.kind());
        self.show_fault()
    }

    /// The fault screen alone (also used by the screenshots).
    pub fn show_fault(&mut self) -> Signal {
        self.show(Screen::KioskFault, Signal::Attention)
    }

    /// The resident picked one of several sessions.
    pub fn choose(&mut self, session_id: &str) -> Signal {
        if self.screen == Screen::StaffRecord {
            self.check_in_by_hand(session_id);
            return Signal::Success;
        }
        if self.screen != Screen::ChooseSession {
            return Signal::Attention;
        }
        let Some(pid) = self.pending.take() else {
            self.go_waiting();
            return Signal::Attention;
        };
        if !self.choices.iter().any(|c| c.id == session_id) {
            self.go_waiting();
            return Signal::Attention;
        }
        self.choices.clear();
        self.check_in(&pid, session_id)
    }

    fn check_in(&mut self, pid: &str, session_id: &str) -> Signal {
        match self
            .store
            .check_in(&Actor::Kiosk, pid, session_id, CheckInMethod::Card)
        {
            Ok(outcome) => self.apply_outcome(outcome),
            Err(Error::ClockBehind { .. }) => {
                self.show(Screen::ClockUnconfirmed, Signal::Attention)
            }
            Err(e) => self.fault("a chosen session could not be checked in", &e),
        }
    }

    /// Shows the screen for a check-in outcome (also used by the screenshots).
    pub fn apply_outcome(&mut self, outcome: CheckInOutcome) -> Signal {
        self.result_message = outcome.message();
        match outcome {
            CheckInOutcome::CheckedIn {
                kana,
                session_title,
            } => {
                self.result_name = Zeroizing::new(format!("{} さん", kana.as_str()));
                self.result_title = session_title;
                self.result_message = "ようこそ。受付ができました。".into();
                self.show(Screen::CheckedIn, Signal::Success)
            }
            CheckInOutcome::AlreadyCheckedIn {
                kana,
                session_title,
            } => {
                self.result_name = Zeroizing::new(format!("{} さん", kana.as_str()));
                self.result_title = session_title;
                self.result_message =
                    "今日の受付はもう済んでいます。そのままお入りください。".into();
                self.show(Screen::AlreadyCheckedIn, Signal::AlreadyCheckedIn)
            }
            CheckInOutcome::NotEligible { .. } => self.show(Screen::NotEligible, Signal::Error),
            CheckInOutcome::ReverificationDue { .. } => {
                self.show(Screen::ReverificationDue, Signal::Attention)
            }
            CheckInOutcome::SessionFull => self.show(Screen::SessionFull, Signal::Error),
            CheckInOutcome::NoSeat {
                ref class_title, ..
            } => {
                self.result_title = class_title.clone();
                self.show(Screen::NoSeat, Signal::Attention)
            }
        }
    }

    fn show(&mut self, screen: Screen, signal: Signal) -> Signal {
        if self.result_message.is_empty() || !matches!(screen, Screen::NotEligible | Screen::NoSeat)
        {
            let fixed = match screen {
                Screen::UnknownCard => Some("受付にお声がけください。カードの登録をします。"),
                Screen::CardError => Some(
                    "カードが読み取れませんでした。もう一度ゆっくりタッチしてください。うまくいかないときは受付にお声がけください。",
                ),
                Screen::NoSession => Some(
                    "いまの時間に受付できる活動はありません。時間を確かめるか、受付にお声がけください。",
                ),
                Screen::ReverificationDue => {
                    Some("ご本人確認の時期です。受付で保険証などを見せてください。")
                }
                Screen::SessionFull => Some("この活動は定員に達しました。受付にお声がけください。"),
                Screen::KioskFault => Some(
                    "受付を記録できませんでした。係の者が確かめますので、このままお声がけください。",
                ),
                Screen::ClockUnconfirmed => Some(
                    "この端末の時計が正しいか確かめるまで、受付を記録できません。受付にお声がけください。",
                ),
                _ => None,
            };
            if let Some(m) = fixed {
                self.result_message = m.to_owned();
            }
        }
        self.screen = screen;
        signal
    }

    // ---- staff ----

    /// The staff button on the waiting or locked screen.
    pub fn staff_start(&mut self) {
        if matches!(self.screen, Screen::Waiting | Screen::Locked) {
            self.clear_result();
            self.clear_form();
            self.training_request = false;
            self.screen = Screen::StaffSignIn;
        }
    }

    /// The sign-in with `id` already typed, for the manager just made by
    /// the first-start wizard (`setup`): only the first password is left.
    pub fn staff_start_as(&mut self, id: &str) {
        self.staff_start();
        if self.screen == Screen::StaffSignIn {
            self.first = Zeroizing::new(id.to_owned());
            self.field = Field::Second;
            self.staff_message =
                "取扱責任者の最初のパスワードを入力して「サインイン」を押してください。".into();
        }
    }

    pub fn focus(&mut self, field: Field) {
        self.field = field;
    }

    pub fn toggle_shift(&mut self) {
        self.shifted = !self.shifted;
    }

    /// 「記号」: the letter rows become the ASCII symbols, and back.
    pub fn toggle_symbols(&mut self) {
        self.symbols = !self.symbols;
    }

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
        if !matches!(
            self.screen,
            Screen::StaffSignIn | Screen::StaffChangePassword
        ) {
            return;
        }
        // Staff ids and passwords are printable ASCII, one key at a time.
        let mut chars = text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return;
        };
        if !c.is_ascii_graphic() {
            return;
        }
        let text = if self.shifted {
            c.to_ascii_uppercase()
        } else {
            c
        }
        .to_string();
        let target = match self.field {
            Field::First => &mut self.first,
            Field::Second => &mut self.second,
        };
        if target.chars().count() + text.chars().count() <= MAX_FIELD {
            target.push_str(&text);
        }
    }

    pub fn backspace(&mut self) {
        if self.screen == Screen::StaffRegister {
            self.reg_backspace();
            return;
        }
        if matches!(self.screen, Screen::StaffSearch | Screen::StaffCorrect) {
            self.search_backspace();
            return;
        }
        let target = match self.field {
            Field::First => &mut self.first,
            Field::Second => &mut self.second,
        };
        target.pop();
    }

    /// "サインイン" / "変更する".
    pub fn submit(&mut self) {
        match self.screen {
            Screen::StaffSignIn => self.sign_in(),
            Screen::StaffChangePassword => self.change_password(),
            Screen::StaffAddSession => self.add_session(),
            Screen::StaffRegister => self.reg_next(),
            Screen::StaffSearch => self.search_run(),
            Screen::StaffCorrect => self.edit_save(),
            _ => {}
        }
    }

    fn sign_in(&mut self) {
        let id = self.first.trim().to_owned();
        let password = std::mem::replace(&mut self.second, Zeroizing::new(String::new()));
        if id.is_empty() || password.is_empty() {
            self.staff_message = "スタッフIDとパスワードを入力してください。".into();
            return;
        }
        // The upgrade to format 2 makes a new recovery key that must be shown
        // once: it runs at a manager's sign-in on the command line, not here.
        if self.store.needs_format_upgrade().unwrap_or(false) {
            self.staff_message = "保存ファイルの更新が必要です。取扱責任者がコマンド（tsudoi staff list など）で一度サインインしてください。".into();
            return;
        }
        if self.training_request {
            self.training_sign_in(&id, &password);
            return;
        }
        match self.store.sign_in(&id, &password) {
            Ok(session) => {
                let must_change = session.must_change_password();
                self.staff = Some(session);
                self.clear_form();
                if must_change {
                    self.staff_message =
                        "初めてのサインインです。新しいパスワードを2回入力してください。".into();
                    self.screen = Screen::StaffChangePassword;
                } else {
                    self.open_today();
                    if let Some(m) = self
                        .staff
                        .clone()
                        .and_then(|s| self.record_pending_training(&s))
                    {
                        self.staff_message = m;
                    } else if !self.store.can_check_in_by_card() {
                        self.staff_message = "カードの受付を始めるには、取扱責任者か取扱者がサインインしてください（運営者の鍵では参加者を確かめられません）。".into();
                    }
                }
            }
            Err(e) => {
                self.field = Field::Second;
                self.staff_message = training::sign_in_failure(e);
            }
        }
    }

    fn change_password(&mut self) {
        if *self.first != *self.second {
            self.second = Zeroizing::new(String::new());
            self.field = Field::Second;
            self.staff_message =
                "2回入力したパスワードが一致しません。もう一度入力してください。".into();
            return;
        }
        let Some(mut session) = self.staff.take() else {
            self.go_waiting();
            return;
        };
        let result = self.store.change_password(&mut session, &self.first);
        self.staff = Some(session);
        match result {
            Ok(()) => {
                self.clear_form();
                self.open_today();
            }
            Err(e) => {
                self.first = Zeroizing::new(String::new());
                self.second = Zeroizing::new(String::new());
                self.field = Field::First;
                self.staff_message = match e {
                    Error::WeakPassword(m) => m,
                    _ => "パスワードを変更できませんでした。".into(),
                };
            }
        }
    }

    /// The staff "Today" screen: the sessions, head counts and who is checked in.
    pub fn open_today(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        self.screen = Screen::StaffToday;
        let today = self.store.clock().today();
        let sessions = self.store.sessions_on(today).unwrap_or_default();
        let roster = if staff.role().handles_personal_data() {
            self.store.roster_on(&staff, today).unwrap_or_default()
        } else {
            Vec::new()
        };
        self.today = sessions
            .iter()
            .map(|s| {
                let names: Vec<&str> = roster
                    .iter()
                    .filter(|r| r.session_id == s.id)
                    .map(|r| r.kana.as_str())
                    .collect();
                let class_id = if s.mode == SessionMode::Lottery {
                    self.store
                        .class_of_session(&s.id)
                        .ok()
                        .flatten()
                        .map(|c| c.class_id)
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                SessionRow {
                    names: names.join("、"),
                    class_id,
                    ..row(s)
                }
            })
            .collect();
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
    fn leave_staff_screens(&mut self) {
        self.clear_form();
        self.today.clear();
        self.reg = None;
        self.search = None;
        self.report = None;
        self.sheet = None;
        self.oversight = None;
        self.incident = None;
        self.erasure = None;
        self.go_waiting();
    }

    /// Leaves the sign-in screen without signing in.
    pub fn cancel(&mut self) {
        match self.screen {
            Screen::StaffSignIn => {
                self.clear_form();
                self.training_request = false;
                // A training that just ended is not recorded without the sign-in.
                self.training_pending = None;
                self.go_waiting();
            }
            Screen::StaffChangePassword => self.sign_out(),
            Screen::StaffAddSession => self.open_today(),
            Screen::StaffSheet => {
                self.sheet = None;
                self.open_today();
            }
            Screen::StaffRegister => self.reg_back(),
            Screen::StaffOversight => self.oversight_back(),
            Screen::StaffIncident => self.incident_back(),
            Screen::StaffErasure => self.erasure_back(),
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

    pub fn add_session_start(&mut self) {
        if self.screen == Screen::StaffToday {
            self.form = SessionForm::default();
            self.staff_message.clear();
            self.screen = Screen::StaffAddSession;
        }
    }

    pub fn form_program(&mut self, index: usize) {
        if let Some(p) = Program::ALL.get(index) {
            self.form.program = *p;
        }
    }

    pub fn form_title(&mut self, index: usize) {
        if index < SESSION_TITLES.len() {
            self.form.title = index;
        }
    }

    /// Moves the start by whole half hours, between 8:00 and 20:00.
    pub fn form_start(&mut self, half_hours: i32) {
        let minutes = (self.form.start.hour() * 60 + self.form.start.minute()) as i32;
        let next = (minutes + half_hours * 30).clamp(8 * 60, 20 * 60) as u32;
        if let Some(t) = NaiveTime::from_hms_opt(next / 60, next % 60, 0) {
            self.form.start = t;
        }
    }

    /// Changes the length by half hours, 30 minutes to 8 hours.
    pub fn form_length(&mut self, half_hours: i32) {
        let next = (self.form.minutes as i32 + half_hours * 30).clamp(30, 480);
        self.form.minutes = next as u32;
    }

    pub fn form_end(&self) -> NaiveTime {
        self.form
            .start
            .overflowing_add_signed(chrono::Duration::minutes(i64::from(self.form.minutes)))
            .0
    }

    /// The title bar of the current staff screen; empty where there is none
    /// (keyboard screens need the room, resident screens have their own).
    pub fn staff_header(&self) -> String {
        match self.screen {
            Screen::StaffToday => {
                format!(
                    "今日の受付（スタッフ {}）",
                    self.staff_id().unwrap_or_default()
                )
            }
            Screen::StaffAddSession => "活動を追加".into(),
            Screen::StaffRecord => "記録".into(),
            Screen::StaffEditMenu => "記録を直す・消す".into(),
            Screen::StaffDisclose => "開示用のPDFをUSBメモリに書き出す".into(),
            Screen::StaffErasure => "契約終了の消去（取扱責任者）".into(),
            Screen::Erased => "消去しました".into(),
            Screen::StaffCards => "カードの登録".into(),
            Screen::StaffSheet => match &self.sheet {
                Some(v) => format!("出席簿　{}", v.sheet.title),
                None => String::new(),
            },
            Screen::StaffClasses => "教室に申し込む（ご本人に代わって）".into(),
            Screen::StaffOversight => match &self.oversight {
                Some(o) if o.retention.is_some() => "保存期間を過ぎた記録".into(),
                Some(o) if o.summary_page.is_some() => "点検用のまとめ（立入検査用）".into(),
                _ => "事故・点検（区への届出と報告）".into(),
            },
            Screen::StaffIncident => match &self.incident {
                Some(f) => format!("事故の記録　{}", f.step_title()),
                None => String::new(),
            },
            Screen::StaffSearch if self.search.as_ref().is_some_and(|s| s.searched) => {
                "さがした結果".into()
            }
            Screen::StaffRegister => match &self.reg {
                Some(r) if r.step == RegStep::Name => String::new(),
                Some(r) if r.reverify.is_some() => "本人確認のやり直し".into(),
                Some(r) => format!("新しい方の登録（{}/7）", r.step.number()),
                None => String::new(),
            },
            _ => String::new(),
        }
    }

    /// The name being entered on the current screen: the registration
    /// wizard's name step or the name correction.
    pub fn name_entry(&self) -> Option<&NameEntry> {
        match self.screen {
            Screen::StaffRegister => self
                .reg
                .as_ref()
                .filter(|r| r.step == RegStep::Name)
                .map(|r| &r.names),
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
                .filter(|r| r.step == RegStep::Name)
                .map(|r| &mut r.names),
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

    pub fn name_page(&mut self, delta: i32) {
        self.with_name_entry(|e| e.page_step(delta));
    }

    /// 「1つもどす」: takes back the last pick.
    pub fn name_undo(&mut self) {
        self.with_name_entry(NameEntry::undo);
    }

    fn add_session(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let end = self.form_end();
        if end <= self.form.start {
            self.staff_message = "終わりの時刻が日付をまたいでいます。".into();
            return;
        }
        let new = NewSession {
            program: self.form.program,
            date: self.store.clock().today(),
            start: self.form.start,
            end,
            title: SESSION_TITLES[self.form.title.min(SESSION_TITLES.len() - 1)].to_owned(),
            capacity: None,
            mode: SessionMode::Open,
        };
        match self.store.add_session(&staff, new) {
            Ok(_) => self.open_today(),
            Err(e) => self.staff_message = e.to_string(),
        }
    }
}
