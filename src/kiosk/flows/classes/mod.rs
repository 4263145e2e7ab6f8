//! The classes flow: lottery classes at the kiosk. From the waiting screen
//! 「教室のもうしこみ・ちゅうせんの結果」 opens class mode; a card tap shows that
//! resident's own results (当選 / 補欠 N番 / 落選 …) and the classes taking
//! applications; a tap on a class applies with the card. Only the card
//! holder's own data is shown, and everything is forgotten when the screen
//! returns to waiting. On the staff side, a class's attendance sheet (出席簿)
//! opens from the Today screen.
//!
//! The state keeps what an application came to as an [`Outcome`], and the
//! results as the store's [`ClassResult`] (status and rank), never as text:
//! [`wording`] turns both into sentences, in one place, and [`voice`] into
//! the sentence said aloud. The decisions go
//! through [`ClassStore`], so `tests/classes_flow.rs` drives them with a
//! fake. Screens of this flow are the `=> Classes` (resident) and
//! `=> ClassesStaff` (staff) lines of the registry
//! ([`crate::kiosk::flows::Screen`]).
//!
//! Applying on a person's behalf at the desk (`StaffClasses`) belongs to the
//! record flow it starts from ([`crate::kiosk::flows::record`]): it uses this
//! flow's [`ClassRow`], [`wording`] and the rows of [`adapter`].

pub mod adapter;
pub mod voice;
pub mod wording;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::kiosk::controller::{KioskController, Screen, Signal};
use crate::kiosk::flows::checkin::{self, ResidentLayout};
use crate::store::class_day::{ABSENCES_TO_CALL, AttendanceSheet, SheetRow};
use crate::store::lottery::{ApplyOutcome, ClassResult, LotteryClass};
use crate::store::{StaffSession, Store};
use tsudoi_hw::{CardId, CardIdError};

/// Results and classes per page of the class list: what fits at 800×480
/// (and 1280×800, which scales) without scrolling, which residents miss.
pub const ITEMS_PER_PAGE: usize = 2;

/// The same in the large layout (issue 18): one result or class a page,
/// in bigger rows.
pub const ITEMS_PER_PAGE_LARGE: usize = 1;

/// Rows of the attendance sheet per page at 800×480.
pub const SHEET_ROWS: usize = 5;

/// A class taking applications, as data (its words: [`wording::class_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRow {
    /// The class's id in the store (what an application names).
    pub id: String,
    /// The class's title as staff entered it.
    pub title: String,
    /// The session dates, earliest first.
    pub session_dates: Vec<NaiveDate>,
    /// How many seats the draw fills.
    pub capacity: u32,
    /// The last day to apply.
    pub apply_until: NaiveDate,
    /// The draw date, shown again after applying.
    pub draw_on: NaiveDate,
}

impl ClassRow {
    /// The row of a class the store holds.
    pub fn new(c: &LotteryClass) -> Self {
        ClassRow {
            id: c.id.clone(),
            title: c.title.clone(),
            session_dates: c.session_dates.clone(),
            capacity: c.capacity,
            apply_until: c.apply_until,
            draw_on: c.draw_on,
        }
    }
}

/// What an application came to, as the resident (or staff at the desk)
/// sees it: data, put into words by [`wording`] and said by [`voice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded: the entry number in big type and the draw date; the
    /// class's first date is said aloud (「受け付けました。…から。」).
    Applied {
        /// The entry number, shown big (it names the application at the draw).
        entry_number: u32,
        /// The draw's date.
        draw_on: NaiveDate,
        /// The class's first date, if it has one.
        starts_on: Option<NaiveDate>,
    },
    /// The first application needs the address: staff take it at the desk.
    NeedsAddress,
    /// Already applied to this class; nothing changed.
    Duplicate {
        /// The entry number of the application made before.
        entry_number: u32,
    },
    /// Under the minimum age on one of the session dates (`None`: the age
    /// is not known, the identity must be checked at the desk).
    NotEligible {
        /// The session date the person is too young on.
        session_date: NaiveDate,
        /// The day they reach the minimum age, if known.
        reaches_age_on: Option<NaiveDate>,
    },
    /// Not taking applications.
    Closed,
    /// One application per term among classes of this kind, and the person
    /// has applied to another.
    OtherClass {
        /// The class applied to already.
        other_title: String,
    },
}

impl Outcome {
    /// The store's outcome of an application to a class drawn on `draw_on`
    /// (its first date unknown: see [`Self::starting_on`]).
    pub fn from_apply(outcome: ApplyOutcome, draw_on: NaiveDate) -> Self {
        match outcome {
            ApplyOutcome::Applied { entry_number, .. } => Outcome::Applied {
                entry_number,
                draw_on,
                starts_on: None,
            },
            ApplyOutcome::NeedsAddress => Outcome::NeedsAddress,
            ApplyOutcome::Duplicate { entry_number } => Outcome::Duplicate { entry_number },
            ApplyOutcome::NotEligible {
                session_date,
                reaches_age_on,
            } => Outcome::NotEligible {
                session_date,
                reaches_age_on,
            },
            ApplyOutcome::Closed => Outcome::Closed,
            ApplyOutcome::OtherClassThisTerm { other_title } => Outcome::OtherClass { other_title },
        }
    }

    /// An application recorded for a class meeting first on `starts_on`
    /// (other outcomes stay as they are).
    pub fn starting_on(self, starts_on: Option<NaiveDate>) -> Self {
        match self {
            Outcome::Applied {
                entry_number,
                draw_on,
                ..
            } => Outcome::Applied {
                entry_number,
                draw_on,
                starts_on,
            },
            other => other,
        }
    }

    /// The screen that shows it at the kiosk.
    pub fn screen(&self) -> Screen {
        match self {
            Outcome::Applied { .. } => Screen::ClassApplied,
            Outcome::NeedsAddress => Screen::ClassNeedsAddress,
            _ => Screen::ClassRefused,
        }
    }

    /// What the buzzer and lights do.
    pub fn signal(&self) -> Signal {
        match self {
            Outcome::Applied { .. } => Signal::Success,
            _ => Signal::Attention,
        }
    }
}

/// What the classes flow needs from the store, so that its decisions can be
/// tested over a fake (`tests/classes_flow.rs`).
pub trait ClassStore {
    /// The card holder's applications and their results; `None`: an unknown card.
    fn results_for_card(&mut self, card: &CardId) -> Result<Option<Vec<ClassResult>>>;
    /// The classes taking applications on `today`.
    fn open_classes(&self, today: NaiveDate) -> Result<Vec<LotteryClass>>;
    /// An application with the card (no address at the kiosk); `None`: an
    /// unknown card.
    fn apply_by_card(&mut self, card: &CardId, class_id: &str) -> Result<Option<ApplyOutcome>>;
    /// A class's attendance sheet (audited; furigana only for roles that
    /// handle personal data).
    fn attendance_sheet(&mut self, staff: &StaffSession, class_id: &str)
    -> Result<AttendanceSheet>;
}

impl ClassStore for Store {
    fn results_for_card(&mut self, card: &CardId) -> Result<Option<Vec<ClassResult>>> {
        self.lottery_results_for_card(card)
    }

    fn open_classes(&self, today: NaiveDate) -> Result<Vec<LotteryClass>> {
        Store::open_classes(self, today)
    }

    fn apply_by_card(&mut self, card: &CardId, class_id: &str) -> Result<Option<ApplyOutcome>> {
        Store::apply_by_card(self, card, class_id, None)
    }

    fn attendance_sheet(
        &mut self,
        staff: &StaffSession,
        class_id: &str,
    ) -> Result<AttendanceSheet> {
        Store::attendance_sheet(self, staff, class_id)
    }
}

/// What a card tap in class mode, or an application, comes to.
pub enum Step {
    /// The card holder's results and the open classes: the class list.
    List {
        /// The card holder's results (当選, 補欠 …).
        results: Vec<ClassResult>,
        /// The classes taking applications.
        classes: Vec<ClassRow>,
    },
    /// An application's result screen.
    Applied(Outcome),
    /// One of the check-in flow's result screens (an unknown or unreadable
    /// card, the clock not confirmed).
    CheckIn(checkin::Outcome),
    /// The store failed: what failed (for the log) and the error. The
    /// resident sees the calm fault screen.
    Failed(&'static str, Error),
}

/// A card tapped in class mode, decided over `store`.
pub fn card_tap(
    store: &mut impl ClassStore,
    card: &std::result::Result<CardId, CardIdError>,
    today: NaiveDate,
) -> Step {
    let card = match card {
        Ok(c) => c,
        Err(e) => return Step::CheckIn(checkin::Outcome::CardError(e.clone())),
    };
    let results = match store.results_for_card(card) {
        Ok(Some(r)) => r,
        Ok(None) => return Step::CheckIn(checkin::Outcome::UnknownCard),
        Err(e) => return Step::Failed("a card's lottery results could not be read", e),
    };
    match store.open_classes(today) {
        Ok(open) => Step::List {
            results,
            classes: open.iter().map(ClassRow::new).collect(),
        },
        Err(e) => Step::Failed("the open classes could not be read", e),
    }
}

/// The card holder applies to `class`, decided over `store`.
pub fn apply(store: &mut impl ClassStore, card: &CardId, class: &ClassRow) -> Step {
    match store.apply_by_card(card, &class.id) {
        Ok(Some(o)) => Step::Applied(
            Outcome::from_apply(o, class.draw_on).starting_on(class.session_dates.first().copied()),
        ),
        Ok(None) => Step::CheckIn(checkin::Outcome::UnknownCard),
        Err(Error::ClockBehind { .. }) => Step::CheckIn(checkin::Outcome::ClockUnconfirmed),
        Err(e) => Step::Failed("an application could not be recorded", e),
    }
}

/// One page of the class list: the card holder's results first, then the
/// open classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassPage<'a> {
    /// The card holder's results on this page (当選, 補欠 …).
    pub results: &'a [ClassResult],
    /// The open classes on this page.
    pub classes: &'a [ClassRow],
    /// "1/2" when there is more than one page, else empty.
    pub page: String,
    /// Whether a page comes before this one (「前へ」 shows).
    pub has_prev: bool,
    /// Whether a page comes after this one (「次へ」 shows).
    pub has_next: bool,
    /// Whether the line about the classes ([`wording::list_prompt`])
    /// belongs on this page.
    pub says_classes: bool,
}

/// The open attendance sheet and its page. Dropped when staff leave it.
pub struct SheetView {
    /// The class's attendance sheet as the store made it.
    pub sheet: AttendanceSheet,
    /// The page on screen, from 0.
    pub page: usize,
}

impl SheetView {
    fn pages(&self) -> usize {
        self.sheet.rows.len().div_ceil(SHEET_ROWS).max(1)
    }

    /// The seat holders on the current page.
    pub fn rows(&self) -> &[SheetRow] {
        let n = self.sheet.rows.len();
        let from = (self.page * SHEET_ROWS).min(n);
        &self.sheet.rows[from..(from + SHEET_ROWS).min(n)]
    }

    /// Whether a seat holder is to be called (見守り): missed
    /// [`ABSENCES_TO_CALL`] or more in a row.
    pub fn to_call(row: &SheetRow) -> bool {
        row.absences_in_row >= ABSENCES_TO_CALL
    }

    /// "1/2" when there is more than one page.
    pub fn page_label(&self) -> String {
        if self.pages() > 1 {
            format!("{}/{}", self.page + 1, self.pages())
        } else {
            String::new()
        }
    }

    /// ▲ / ▼.
    pub fn step(&mut self, delta: i32) {
        self.page = crate::kiosk::controller::step_page(self.page, delta, self.pages());
    }
}

/// The flow's state inside [`KioskController`]; the resident side is
/// forgotten on the return to waiting, the sheet when staff leave it.
#[derive(Default)]
pub struct Classes {
    /// The card shown on the class list, until it applies or the screen resets.
    pub(in crate::kiosk) holder: Option<CardId>,
    /// The card holder's own applications and their results.
    pub(in crate::kiosk) results: Vec<ClassResult>,
    /// The classes taking applications.
    pub(in crate::kiosk) classes: Vec<ClassRow>,
    /// The page of the class list (results first, then the open classes).
    pub(in crate::kiosk) page: usize,
    /// The class applied to and what the application came to, while its
    /// screen shows.
    pub(in crate::kiosk) applied: Option<(String, Outcome)>,
    /// The open attendance sheet (staff).
    pub(in crate::kiosk) sheet: Option<SheetView>,
    /// The layout of the list: the large one has fewer items a page.
    pub(in crate::kiosk) layout: ResidentLayout,
}

impl Classes {
    /// Forgets the card holder, their results and the last application (the
    /// sheet stays: it belongs to the staff side).
    pub fn clear(&mut self) {
        self.holder = None;
        self.results.clear();
        self.classes.clear();
        self.page = 0;
        self.applied = None;
        self.layout = ResidentLayout::Normal;
    }

    /// The card holder's results and the open classes on the list.
    pub fn list(&mut self, holder: CardId, results: Vec<ClassResult>, classes: Vec<ClassRow>) {
        self.clear();
        self.holder = Some(holder);
        self.results = results;
        self.classes = classes;
    }

    /// The list in the large layout (one item a page), or the normal one.
    pub fn set_layout(&mut self, layout: ResidentLayout) {
        self.layout = layout;
    }

    fn per_page(&self) -> usize {
        match self.layout {
            ResidentLayout::Normal => ITEMS_PER_PAGE,
            ResidentLayout::Large => ITEMS_PER_PAGE_LARGE,
        }
    }

    /// The card holder's own results.
    pub fn results(&self) -> &[ClassResult] {
        &self.results
    }

    /// The classes taking applications.
    pub fn classes(&self) -> &[ClassRow] {
        &self.classes
    }

    /// The class applied to and what it came to, while its screen shows.
    pub fn applied(&self) -> Option<(&str, &Outcome)> {
        self.applied.as_ref().map(|(t, o)| (t.as_str(), o))
    }

    fn pages(&self) -> usize {
        (self.results.len() + self.classes.len())
            .div_ceil(self.per_page())
            .max(1)
    }

    /// The current page of the class list.
    pub fn page(&self) -> ClassPage<'_> {
        let pages = self.pages();
        let page = self.page.min(pages - 1);
        let per_page = self.per_page();
        let (from, to) = (page * per_page, (page + 1) * per_page);
        let n = self.results.len();
        let results = &self.results[from.min(n)..to.min(n)];
        let m = self.classes.len();
        let classes = &self.classes[from.saturating_sub(n).min(m)..to.saturating_sub(n).min(m)];
        ClassPage {
            results,
            classes,
            page: if pages > 1 {
                format!("{}/{}", page + 1, pages)
            } else {
                String::new()
            },
            has_prev: page > 0,
            has_next: page + 1 < pages,
            says_classes: !classes.is_empty() || (self.classes.is_empty() && page + 1 == pages),
        }
    }

    /// 「つぎ」 / 「まえ」.
    pub fn page_step(&mut self, delta: i32) {
        self.page = crate::kiosk::controller::step_page(self.page, delta, self.pages());
    }
}

impl KioskController {
    /// The classes flow's state.
    pub fn classes(&self) -> &Classes {
        &self.classes
    }

    /// The card holder's own results, shown on the class list.
    pub fn class_results(&self) -> &[ClassResult] {
        self.classes.results()
    }

    /// The open classes, shown on the class list.
    pub fn class_rows(&self) -> &[ClassRow] {
        self.classes.classes()
    }

    /// 「つぎ」 / 「まえ」 on the class list.
    pub fn class_page_step(&mut self, delta: i32) {
        if self.screen == Screen::Classes {
            self.classes.page_step(delta);
        }
    }

    /// 「教室のもうしこみ・ちゅうせんの結果」 on the waiting screen: the next card
    /// tap opens the classes instead of checking in.
    pub fn class_mode(&mut self) {
        if self.screen == Screen::Waiting {
            self.clear_result();
            self.screen = Screen::ClassCard;
            self.say(tsudoi_hw::voice::Phrase::PleaseTap);
        }
    }

    /// True on the screens where a card tap belongs to class mode.
    pub(in crate::kiosk) fn in_class_mode(&self) -> bool {
        matches!(self.screen, Screen::ClassCard | Screen::Classes)
    }

    /// A card tapped in class mode: that resident's results and the open classes.
    pub(in crate::kiosk) fn class_card(
        &mut self,
        card: std::result::Result<CardId, CardIdError>,
    ) -> Signal {
        self.clear_result();
        let today = self.store.clock().today();
        let step = card_tap(&mut self.store, &card, today);
        match (step, card) {
            (Step::List { results, classes }, Ok(card)) => {
                self.say_or_hush(voice::results(&results));
                self.classes.list(card, results, classes);
                self.classes.set_layout(self.check_in.layout);
                self.screen = Screen::Classes;
                Signal::Success
            }
            (step, _) => self.show_class_step("", step),
        }
    }

    /// The resident tapped an open class: apply with their card.
    pub fn apply_class(&mut self, class_id: &str) -> Signal {
        if self.screen != Screen::Classes {
            return Signal::Attention;
        }
        let Some(card) = self.classes.holder.take() else {
            self.go_waiting();
            return Signal::Attention;
        };
        let Some(class) = self
            .classes
            .classes
            .iter()
            .find(|c| c.id == class_id)
            .cloned()
        else {
            self.go_waiting();
            return Signal::Attention;
        };
        let step = apply(&mut self.store, &card, &class);
        self.clear_result();
        self.show_class_step(&class.title, step)
    }

    /// Shows the screen for an application outcome (also used by the screenshots).
    pub fn apply_class_outcome(
        &mut self,
        title: &str,
        draw_on: NaiveDate,
        outcome: ApplyOutcome,
    ) -> Signal {
        self.show_class_step(title, Step::Applied(Outcome::from_apply(outcome, draw_on)))
    }

    /// Shows what a card tap in class mode or an application came to.
    fn show_class_step(&mut self, title: &str, step: Step) -> Signal {
        match step {
            Step::List { .. } => Signal::Attention,
            Step::Applied(outcome) => {
                let signal = outcome.signal();
                self.say(voice::applied(&outcome));
                self.screen = outcome.screen();
                self.classes.applied = Some((title.to_owned(), outcome));
                signal
            }
            Step::CheckIn(outcome) => self.show_outcome(outcome),
            Step::Failed(what, e) => self.fault(what, &e),
        }
    }

    /// 「出席簿」 on a lottery class's row of the Today screen (audited).
    pub fn sheet_open(&mut self, class_id: &str) {
        if self.screen != Screen::StaffToday {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        match ClassStore::attendance_sheet(&mut self.store, &staff, class_id) {
            Ok(sheet) => {
                self.classes.sheet = Some(SheetView { sheet, page: 0 });
                self.screen = Screen::StaffSheet;
            }
            Err(e) => self.staff_message = e.to_string(),
        }
    }

    /// The open sheet, if any.
    pub fn sheet(&self) -> Option<&SheetView> {
        self.classes
            .sheet
            .as_ref()
            .filter(|_| self.screen == Screen::StaffSheet)
    }

    /// ▲ / ▼ on the sheet.
    pub fn sheet_page(&mut self, delta: i32) {
        if let Some(v) = self.classes.sheet.as_mut() {
            v.step(delta);
        }
    }

    /// 「もどる」 on the sheet: back to the Today screen.
    pub fn sheet_back(&mut self) {
        if self.screen == Screen::StaffSheet {
            self.classes.sheet = None;
            self.open_today();
        }
    }

    /// The sheet's title bar, on its screen.
    pub(in crate::kiosk) fn classes_header(&self) -> Option<String> {
        self.sheet().map(|v| wording::sheet_header(&v.sheet.title))
    }
}
