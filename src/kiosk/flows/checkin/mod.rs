//! The waiting and check-in flow: the waiting screen and its list of the
//! day's activities, 準備中 (locked), the purpose of the records, a card tap
//! and its result, choosing among several open sessions.
//!
//! The state keeps what the last tap came to as an [`Outcome`], never as
//! text: [`wording`] turns it into the screen's sentences, in one place,
//! and [`voice`] into the sentence said aloud.
//! Screens of this flow are the `=> CheckIn` lines of the registry
//! ([`crate::kiosk::flows::Screen`]).

pub mod adapter;
pub mod voice;
pub mod wording;

use std::time::Duration;

use chrono::NaiveDate;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::kiosk::controller::{KioskController, Screen, SessionRow, Signal, row};
use crate::store::attendance::{CheckInMethod, CheckInOutcome};
use crate::store::class_day::CardCheckIn;
use crate::store::{Actor, Store};
use tsudoi_hw::{CardId, CardIdError};

/// Rows of the waiting screen's list per page: what fits under the big
/// "touch your card" panel at 800×480 (1280×800 scales the same layout).
pub const WAITING_ROWS: usize = 3;

/// The same list's rows per page in the large layout (bigger rows).
pub const WAITING_ROWS_LARGE: usize = 2;

/// How the resident screens are laid out (issue 18). 「文字を大きく」 on the
/// waiting screen switches to [`ResidentLayout::Large`] for the next
/// resident: body text of at least 36 px at 800×480, one short message a
/// screen (the `*_large` words of each flow's `wording.rs`), fewer rows a
/// page. It lasts until the kiosk returns to the waiting screen (the result
/// screen's timeout, 「もどる」, the idle reset; also the waiting screen's
/// own idle reset while it is on), or a staff sign-in starts; a second card
/// tap before that is the same resident's (「もう一度タッチしてください」).
/// Staff screens never use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResidentLayout {
    /// The usual type sizes.
    #[default]
    Normal,
    /// 「文字を大きく」: larger type, fewer words per screen.
    Large,
}

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

/// What a tap (or a choice among sessions) came to: the result screen's
/// whole content, before it is put into words. `Debug` shows the variant
/// alone: the kana is personal data and never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded: whose check-in, to which session.
    CheckedIn {
        /// The card holder's name in kana, shown to them alone.
        kana: Zeroizing<String>,
        /// The session they were checked in to.
        session_title: String,
    },
    /// The card was already checked in to the session today.
    AlreadyCheckedIn {
        /// The card holder's name in kana.
        kana: Zeroizing<String>,
        /// The session they are checked in to.
        session_title: String,
    },
    /// No one has registered the card.
    UnknownCard,
    /// The holder's ID must be checked again at the desk first.
    ReverificationDue,
    /// Too young for the space today.
    NotEligible {
        /// The day the holder reaches the minimum age.
        reaches_age_on: NaiveDate,
    },
    /// The session has no seat left.
    SessionFull,
    /// Nothing is open for check-in now.
    NoSession,
    /// The reader could not use the card; a phone or watch is named as such.
    CardError(tsudoi_hw::CardIdError),
    /// The store failed: 「係の者をお呼びください」.
    Fault,
    /// The clock guard stops check-ins until staff confirm the time.
    ClockUnconfirmed,
    /// A lottery class is running and the card holder holds no seat in it.
    NoSeat {
        /// The class that is running.
        class_title: String,
        /// The holder's place on its waiting list, if they have one.
        waiting_rank: Option<u32>,
    },
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::CheckedIn { .. } => "CheckedIn",
            Outcome::AlreadyCheckedIn { .. } => "AlreadyCheckedIn",
            Outcome::UnknownCard => "UnknownCard",
            Outcome::ReverificationDue => "ReverificationDue",
            Outcome::NotEligible { .. } => "NotEligible",
            Outcome::SessionFull => "SessionFull",
            Outcome::NoSession => "NoSession",
            Outcome::CardError(_) => "CardError",
            Outcome::Fault => "Fault",
            Outcome::ClockUnconfirmed => "ClockUnconfirmed",
            Outcome::NoSeat { .. } => "NoSeat",
        })
    }
}

impl Outcome {
    /// The store's outcome of a check-in, as the resident sees it.
    pub fn from_check_in(outcome: CheckInOutcome) -> Self {
        match outcome {
            CheckInOutcome::CheckedIn {
                kana,
                session_title,
            } => Outcome::CheckedIn {
                kana,
                session_title,
            },
            CheckInOutcome::AlreadyCheckedIn {
                kana,
                session_title,
            } => Outcome::AlreadyCheckedIn {
                kana,
                session_title,
            },
            CheckInOutcome::NotEligible { reaches_age_on } => {
                Outcome::NotEligible { reaches_age_on }
            }
            CheckInOutcome::ReverificationDue { .. } => Outcome::ReverificationDue,
            CheckInOutcome::SessionFull => Outcome::SessionFull,
            CheckInOutcome::NoSeat {
                class_title,
                waiting_rank,
            } => Outcome::NoSeat {
                class_title,
                waiting_rank,
            },
        }
    }

    /// The screen that shows it.
    pub fn screen(&self) -> Screen {
        match self {
            Outcome::CheckedIn { .. } => Screen::CheckedIn,
            Outcome::AlreadyCheckedIn { .. } => Screen::AlreadyCheckedIn,
            Outcome::UnknownCard => Screen::UnknownCard,
            Outcome::ReverificationDue => Screen::ReverificationDue,
            Outcome::NotEligible { .. } => Screen::NotEligible,
            Outcome::SessionFull => Screen::SessionFull,
            Outcome::NoSession => Screen::NoSession,
            Outcome::CardError(_) => Screen::CardError,
            Outcome::Fault => Screen::KioskFault,
            Outcome::ClockUnconfirmed => Screen::ClockUnconfirmed,
            Outcome::NoSeat { .. } => Screen::NoSeat,
        }
    }

    /// What the buzzer and lights do.
    pub fn signal(&self) -> Signal {
        match self {
            Outcome::CheckedIn { .. } => Signal::Success,
            Outcome::AlreadyCheckedIn { .. } => Signal::AlreadyCheckedIn,
            Outcome::NotEligible { .. } | Outcome::SessionFull | Outcome::CardError(_) => {
                Signal::Error
            }
            Outcome::UnknownCard
            | Outcome::ReverificationDue
            | Outcome::NoSession
            | Outcome::Fault
            | Outcome::ClockUnconfirmed
            | Outcome::NoSeat { .. } => Signal::Attention,
        }
    }

    /// The colours of the result screen.
    pub fn tone(&self) -> Tone {
        match self {
            Outcome::CheckedIn { .. } => Tone::Ok,
            Outcome::AlreadyCheckedIn { .. } => Tone::Again,
            Outcome::NotEligible { .. } | Outcome::SessionFull | Outcome::CardError(_) => {
                Tone::Stop
            }
            Outcome::UnknownCard
            | Outcome::ReverificationDue
            | Outcome::NoSession
            | Outcome::Fault
            | Outcome::ClockUnconfirmed
            | Outcome::NoSeat { .. } => Tone::Warn,
        }
    }
}

/// The result screen's colours: done, done before, see staff, refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Checked in: green.
    Ok,
    /// Already checked in: nothing new, nothing wrong.
    Again,
    /// See staff or try later (an unknown card, an ID to check again, no
    /// session, a fault, no seat).
    Warn,
    /// Refused (not eligible, full, a card that cannot be used).
    Stop,
}

/// What the check-in flow needs from the store: two calls, so that its
/// decisions can be tested over a fake (`tests/checkin_flow.rs`).
pub trait CheckInStore {
    /// A card tap now: the holder, the sessions open for check-in now (from
    /// `early` before their start), and the check-in where the rules say
    /// ([`Store::check_in_by_card`], the one place that decides it for the
    /// kiosk and the tests).
    fn check_in_by_card(&mut self, card: &CardId, early: chrono::Duration) -> Result<CardCheckIn>;
    /// The holder chose one of several sessions: a card check-in there.
    fn check_in_chosen(&mut self, participant_id: &str, session_id: &str)
    -> Result<CheckInOutcome>;
}

impl CheckInStore for Store {
    fn check_in_by_card(&mut self, card: &CardId, early: chrono::Duration) -> Result<CardCheckIn> {
        Store::check_in_by_card(self, card, early)
    }

    fn check_in_chosen(
        &mut self,
        participant_id: &str,
        session_id: &str,
    ) -> Result<CheckInOutcome> {
        self.check_in(
            &Actor::Kiosk,
            participant_id,
            session_id,
            CheckInMethod::Card,
        )
    }
}

/// What a tap or a choice comes to, before a screen shows it.
pub enum Tap {
    /// A result screen.
    Done(Outcome),
    /// Several sessions are open: the holder chooses. `notice` is the class
    /// running now that the holder has no seat in (its title and the
    /// holder's place on the waiting list).
    Choose {
        /// The card holder's record (checked in once they choose).
        participant_id: String,
        /// The open sessions to choose from.
        choices: Vec<SessionRow>,
        /// The class without a seat for the holder, if one is running.
        notice: Option<(String, Option<u32>)>,
    },
    /// The store failed: what failed (for the log) and the error. The
    /// resident sees the calm fault screen.
    Failed(&'static str, Error),
}

/// A card tap (or a card the reader could not use), decided over `store`.
pub fn tap(
    store: &mut impl CheckInStore,
    card: std::result::Result<CardId, CardIdError>,
    early: chrono::Duration,
) -> Tap {
    let card = match card {
        Ok(c) => c,
        Err(e) => return Tap::Done(Outcome::CardError(e)),
    };
    match store.check_in_by_card(&card, early) {
        Ok(CardCheckIn::UnknownCard) => Tap::Done(Outcome::UnknownCard),
        Ok(CardCheckIn::NoSession) => Tap::Done(Outcome::NoSession),
        Ok(CardCheckIn::Decided(outcome)) => Tap::Done(Outcome::from_check_in(outcome)),
        Ok(CardCheckIn::Choose {
            participant_id,
            sessions,
            notice,
        }) => Tap::Choose {
            participant_id,
            choices: sessions.iter().map(row).collect(),
            notice: match notice {
                Some(CheckInOutcome::NoSeat {
                    class_title,
                    waiting_rank,
                }) => Some((class_title, waiting_rank)),
                _ => None,
            },
        },
        Err(Error::ClockBehind { .. }) => Tap::Done(Outcome::ClockUnconfirmed),
        Err(e) => Tap::Failed("a card tap could not be checked in", e),
    }
}

/// The holder's choice of session, decided over `store`.
pub fn chosen(store: &mut impl CheckInStore, participant_id: &str, session_id: &str) -> Tap {
    match store.check_in_chosen(participant_id, session_id) {
        Ok(outcome) => Tap::Done(Outcome::from_check_in(outcome)),
        Err(Error::ClockBehind { .. }) => Tap::Done(Outcome::ClockUnconfirmed),
        Err(e) => Tap::Failed("a chosen session could not be checked in", e),
    }
}

/// The flow's state inside [`KioskController`]; nothing in it outlives the
/// return to the waiting screen but the page of the waiting list.
#[derive(Default)]
pub struct CheckIn {
    /// The card holder while they choose between sessions (nothing else is kept).
    pub(in crate::kiosk) pending: Option<String>,
    /// The sessions to choose from.
    pub(in crate::kiosk) choices: Vec<SessionRow>,
    /// Why a lottery class running now is not among the choices (no seat).
    pub(in crate::kiosk) notice: Option<(String, Option<u32>)>,
    /// What the last tap came to, while its screen shows.
    pub(in crate::kiosk) outcome: Option<Outcome>,
    /// The page of the waiting screen's activity list.
    pub(in crate::kiosk) waiting_page: usize,
    /// Normal or large text for the resident at the kiosk; not forgotten by
    /// [`CheckIn::clear`] (a tap clears the last result, not the layout),
    /// only on the return to waiting.
    pub(in crate::kiosk) layout: ResidentLayout,
}

impl CheckIn {
    /// Forgets the last tap (the waiting page stays).
    pub(in crate::kiosk) fn clear(&mut self) {
        self.pending = None;
        self.choices.clear();
        self.notice = None;
        self.outcome = None;
    }
}

impl KioskController {
    /// The resident screens' layout, normal or large text.
    pub fn resident_layout(&self) -> ResidentLayout {
        self.check_in.layout
    }

    /// 「文字を大きく」 on the waiting screen: the next resident's screens
    /// in the large layout; pressed again (「もとの大きさにもどす」), back
    /// to normal. Only on the waiting screen.
    pub fn toggle_large_text(&mut self) {
        if self.screen == Screen::Waiting {
            self.check_in.layout = match self.check_in.layout {
                ResidentLayout::Normal => ResidentLayout::Large,
                ResidentLayout::Large => ResidentLayout::Normal,
            };
        }
    }

    /// The waiting screen's 「文字を大きく」 button, in the words of its state.
    pub fn large_text_button(&self) -> &'static str {
        wording::large_button(self.check_in.layout)
    }

    /// The waiting screen's big line: the reader's state in its own words.
    pub fn waiting_prompt(&self) -> &'static str {
        wording::waiting_prompt(self.reader_connected)
    }

    /// The red banner while the reader is away, or empty: not on the staff
    /// sign-in screens, which need the whole height for the keyboard.
    pub fn reader_banner(&self) -> String {
        if self.reader_connected || self.screen.flow() == crate::kiosk::flows::Flow::SignIn {
            return String::new();
        }
        wording::reader_banner()
    }

    /// Whether the header shows the site's name: on the waiting, locked and
    /// purpose screens while the reader works (the red banner takes its
    /// place otherwise).
    pub fn shows_site(&self) -> bool {
        self.reader_connected
            && matches!(
                self.screen,
                Screen::Waiting | Screen::Locked | Screen::Purpose
            )
    }

    /// The result screen's sentences for the last tap, or `None` when no
    /// result shows.
    pub fn check_in_text(&self) -> Option<wording::ResultText> {
        let outcome = self.check_in.outcome.as_ref()?;
        Some(match self.check_in.layout {
            ResidentLayout::Normal => wording::result(outcome),
            ResidentLayout::Large => wording::result_large(outcome),
        })
    }

    /// The sessions the card holder may choose from.
    pub fn choices(&self) -> &[SessionRow] {
        &self.check_in.choices
    }

    /// Above the choices: why a lottery class running now is not among them.
    pub fn choose_notice(&self) -> String {
        match (&self.check_in.notice, self.check_in.layout) {
            (Some((title, rank)), ResidentLayout::Normal) => wording::choose_notice(title, *rank),
            (Some((title, _)), ResidentLayout::Large) => wording::choose_notice_large(title),
            (None, _) => String::new(),
        }
    }

    /// The choice screen's title; in the large layout, none under a notice
    /// or above more than two choices (one message a screen, and room for
    /// the choices' big buttons at 800×480).
    pub fn choose_title(&self) -> &'static str {
        match self.check_in.layout {
            ResidentLayout::Normal => wording::WORDS.choose,
            ResidentLayout::Large
                if self.check_in.notice.is_some() || self.check_in.choices.len() > 2 =>
            {
                ""
            }
            ResidentLayout::Large => wording::CHOOSE_LARGE,
        }
    }

    /// The purpose screen's text (利用目的), in the layout the resident chose.
    pub fn purpose_text(&self) -> &'static str {
        match self.check_in.layout {
            ResidentLayout::Normal => wording::PURPOSE,
            ResidentLayout::Large => wording::PURPOSE_LARGE,
        }
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
        let per_page = match self.check_in.layout {
            ResidentLayout::Normal => WAITING_ROWS,
            ResidentLayout::Large => WAITING_ROWS_LARGE,
        };
        let pages = upcoming.len().div_ceil(per_page).max(1);
        let page = self.check_in.waiting_page % pages;
        let empty = if !upcoming.is_empty() {
            ""
        } else if all.is_empty() {
            wording::NO_ACTIVITIES
        } else {
            wording::ACTIVITIES_OVER
        };
        WaitingList {
            rows: upcoming
                .into_iter()
                .skip(page * per_page)
                .take(per_page)
                .collect(),
            page: if pages > 1 {
                format!("{}/{}", page + 1, pages)
            } else {
                String::new()
            },
            empty,
        }
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
    pub fn on_card(&mut self, card: std::result::Result<CardId, CardIdError>) -> Signal {
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
        let decided = tap(&mut self.store, card, self.config.early_check_in);
        self.show_tap(decided)
    }

    /// Shows what a tap or a choice came to.
    fn show_tap(&mut self, decided: Tap) -> Signal {
        match decided {
            Tap::Done(outcome) => {
                if outcome == Outcome::UnknownCard {
                    self.note_unknown_card();
                }
                self.show_outcome(outcome)
            }
            Tap::Choose {
                participant_id,
                choices,
                notice,
            } => {
                self.check_in.pending = Some(participant_id);
                self.check_in.choices = choices;
                self.check_in.notice = notice;
                self.screen = Screen::ChooseSession;
                // No phrase asks to choose: the earlier result goes quiet.
                self.hush();
                Signal::Attention
            }
            Tap::Failed(what, e) => self.fault(what, &e),
        }
    }

    /// The store failed during a resident's action: a calm screen asking for
    /// staff, the attention light, and one log line (journald on the device)
    /// with what failed and the error's kind; error texts carry no personal
    /// value, so neither does the line.
    pub(in crate::kiosk) fn fault(&mut self, what: &str, e: &Error) -> Signal {
        eprintln!("tsudoi kiosk: {what}: {e} ({:?})", e.kind());
        self.show_fault()
    }

    /// The fault screen alone (also used by the screenshots).
    pub fn show_fault(&mut self) -> Signal {
        self.show_outcome(Outcome::Fault)
    }

    /// The resident picked one of several sessions; on a record's screen,
    /// staff check the person in by hand.
    pub fn choose(&mut self, session_id: &str) -> Signal {
        if self.screen == Screen::StaffRecord {
            self.check_in_by_hand(session_id);
            return Signal::Success;
        }
        if self.screen != Screen::ChooseSession {
            return Signal::Attention;
        }
        let Some(pid) = self.check_in.pending.take() else {
            self.go_waiting();
            return Signal::Attention;
        };
        if !self.check_in.choices.iter().any(|c| c.id == session_id) {
            self.go_waiting();
            return Signal::Attention;
        }
        self.check_in.choices.clear();
        self.check_in.notice = None;
        let decided = chosen(&mut self.store, &pid, session_id);
        self.show_tap(decided)
    }

    /// Shows the screen for a check-in outcome (also used by the screenshots).
    pub fn apply_outcome(&mut self, outcome: CheckInOutcome) -> Signal {
        self.show_outcome(Outcome::from_check_in(outcome))
    }

    /// Shows a result screen of this flow; the one place a tap's result is
    /// decided (its words come from [`wording::result`], what is said aloud
    /// from [`voice::utterance`]).
    pub(in crate::kiosk) fn show_outcome(&mut self, outcome: Outcome) -> Signal {
        let signal = outcome.signal();
        self.say(voice::utterance(&outcome));
        self.screen = outcome.screen();
        self.check_in.outcome = Some(outcome);
        signal
    }
}
