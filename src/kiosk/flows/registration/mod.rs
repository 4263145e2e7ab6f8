//! 「新しい方の登録」: the newcomer's ID document → name and furigana (the
//! kanji picker, [`name_entry`]) → birth date (era picker) → postal code →
//! phone → purpose and consent → card. The same wizard re-checks a
//! registered person's ID (「本人確認をやり直す」 on a record): document,
//! birth date and postal code only.
//!
//! The wizard is [`Registration`], a plain struct over a small store trait
//! ([`RegistrationStore`]: today, the minimum age, the ward's postal codes,
//! register, link a card, re-verify), so that `tests/registration_flow.rs`
//! drives it with a fake. What a step says is kept as data ([`Notice`],
//! [`Confirmation`]); the words are in [`wording`]; the adapter copies the
//! state into the `Registration` and `Names` globals (`ui/register.slint`,
//! `ui/names.slint`).
//!
//! Everything typed is held in [`Zeroizing`] strings and wiped when the
//! wizard ends (finished, cancelled, timed out, signed out).
//!
//! Screens: the `=> Registration` line of the registry.

pub mod adapter;
pub mod name_entry;
pub mod wording;

use chrono::{Datelike, NaiveDate};
use zeroize::Zeroizing;

use self::name_entry::NameEntry;
use crate::eligibility::{self, Era, PhoneNumber, PostalCode, from_era_ymd};
use crate::error::Result;
use crate::kiosk::controller::keys::type_key;
use crate::kiosk::controller::{KioskController, Screen, Signal};
use crate::store::participants::{Basis, DocumentKind, IdCheck, NewParticipant};
use crate::store::{StaffSession, Store};

/// What the wizard needs from the store, so that its decisions can be
/// tested over a fake (`tests/registration_flow.rs`).
pub trait RegistrationStore {
    /// Today, on the store's clock.
    fn today(&self) -> NaiveDate;
    /// The age from which people may take part (the ward's rule).
    fn minimum_age(&self) -> u32;
    /// The ward and town of a postal code (「新宿区西新宿」); `None` when the
    /// code is not in the ward.
    fn town_of(&self, code: &PostalCode) -> Option<String>;
    /// [`Store::register`]: the new person's id.
    fn register(&mut self, new: NewParticipant) -> Result<String>;
    /// [`Store::link_card`].
    fn link_card(&mut self, participant: &str, card: &tsudoi_hw::CardId) -> Result<()>;
    /// [`Store::reverify`].
    fn reverify(&mut self, participant: &str, check: IdCheck) -> Result<()>;
}

/// The store with the signed-in staff member.
pub struct StaffStore<'a> {
    /// The store the flow's decisions are written to.
    pub store: &'a mut Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
}

impl RegistrationStore for StaffStore<'_> {
    fn today(&self) -> NaiveDate {
        self.store.clock().today()
    }

    fn minimum_age(&self) -> u32 {
        self.store.policy().rules.minimum_age
    }

    fn town_of(&self, code: &PostalCode) -> Option<String> {
        let table = self.store.postal_table();
        table.lookup(code).map(|res| {
            format!(
                "{}{}",
                table.ward_name().unwrap_or_default(),
                res.town.as_deref().unwrap_or("")
            )
        })
    }

    fn register(&mut self, new: NewParticipant) -> Result<String> {
        self.store.register(self.staff, new)
    }

    fn link_card(&mut self, participant: &str, card: &tsudoi_hw::CardId) -> Result<()> {
        self.store.link_card(self.staff, participant, card)
    }

    fn reverify(&mut self, participant: &str, check: IdCheck) -> Result<()> {
        self.store
            .reverify(self.staff, participant, check)
            .map(|_| ())
    }
}

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Which ID document staff checked.
    Document,
    /// The name: furigana typed, the written form picked.
    Name,
    /// The birth date, by era, year, month and day.
    Birth,
    /// The postal code (it must be the ward's).
    Postal,
    /// The phone number.
    Phone,
    /// The purpose read out, and the person's consent.
    Consent,
    /// Registered: a card to link, or none.
    Card,
}

impl Step {
    /// 1 for the document … 7 for the card, as the header counts them.
    pub fn number(self) -> u32 {
        match self {
            Step::Document => 1,
            Step::Name => 2,
            Step::Birth => 3,
            Step::Postal => 4,
            Step::Phone => 5,
            Step::Consent => 6,
            Step::Card => 7,
        }
    }
}

/// Which part of the birth date a stepper changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    /// The year in its era.
    Year,
    /// The month.
    Month,
    /// The day.
    Day,
}

/// The sentence under a step's input, as data ([`wording::notice`] words it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Notice {
    /// Nothing to say.
    #[default]
    None,
    /// The birth date gives an age that may take part.
    OldEnough,
    /// Too young today: from which day they may take part.
    TooYoung {
        /// The space's minimum age.
        minimum_age: u32,
        /// The day the person reaches it.
        from: NaiveDate,
    },
    /// The typed birth date, postal code or phone number is not one (the
    /// parser's own sentence).
    Invalid(String),
    /// The postal code is not in the ward.
    OutsideWard,
    /// What the written name still lacks.
    Name(String),
    /// A step's input no longer holds when saving.
    CheckEarlierSteps,
    /// The store refused (its own sentence: a duplicate, a card in use, …).
    Refused(String),
}

impl Notice {
    /// Whether the notice says something is wrong (shown in red).
    pub fn is_problem(&self) -> bool {
        !matches!(self, Notice::None | Notice::OldEnough)
    }
}

/// What the current step shows it understood, besides the input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Confirmation {
    /// Nothing to confirm on this step.
    #[default]
    None,
    /// The birth date and the age today (`None`: not born yet).
    Birth {
        /// The birth date as picked.
        birth: NaiveDate,
        /// The age today.
        age: Option<u32>,
    },
    /// A birth date that does not exist, as typed.
    NoSuchDate {
        /// The era picked.
        era: Era,
        /// The year in that era.
        year: u32,
        /// The month.
        month: u32,
        /// The day.
        day: u32,
    },
    /// The ward and town of the postal code.
    Town(String),
    /// The phone number as it will be written.
    Phone(String),
    /// Registered: the card step asks for the card.
    Registered,
}

/// What a button or a card did to the wizard. When it ends, the wizard has
/// wiped itself already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The wizard stays open (on the same or another step).
    Stay,
    /// Left without finishing (「やめる」, 「もどる」 on the first step,
    /// 「カードなしで終える」 after registering); back to the record being
    /// re-verified, if any.
    Left {
        /// The record being re-verified, to go back to.
        record: Option<String>,
    },
    /// The card was linked to the new person: the wizard is done.
    CardLinked,
    /// The re-checked ID of this record was recorded.
    Reverified {
        /// The record whose ID was checked again.
        record: String,
    },
}

/// The wizard: what is typed so far. Everything personal is wiped
/// ([`Registration::wipe`]) when it ends; the strings zeroize themselves
/// when dropped.
pub struct Registration {
    step: Step,
    document: DocumentKind,
    /// The furigana and the written name.
    names: NameEntry,
    era: Era,
    year: u32,
    month: u32,
    day: u32,
    postal: Zeroizing<String>,
    phone: Zeroizing<String>,
    notice: Notice,
    confirmation: Confirmation,
    /// The current step's input is valid: 「次へ」 may be pressed.
    valid: bool,
    /// The new person's id, once registered (the card step).
    registered: Option<String>,
    /// Re-verifying this person's ID check instead of registering.
    reverify: Option<String>,
}

impl Default for Registration {
    fn default() -> Self {
        Self {
            step: Step::Document,
            document: DocumentKind::HealthInsurance,
            names: NameEntry::default(),
            era: Era::Showa,
            year: 30,
            month: 1,
            day: 1,
            postal: Zeroizing::new(String::new()),
            phone: Zeroizing::new(String::new()),
            notice: Notice::None,
            confirmation: Confirmation::None,
            valid: false,
            registered: None,
            reverify: None,
        }
    }
}

impl Registration {
    /// A new person's registration, on the document step.
    pub fn new(store: &dyn RegistrationStore) -> Self {
        let mut r = Self::default();
        r.validate(store);
        r
    }

    /// Re-checking `participant`'s ID, filled in with the birth date and
    /// postal code on record.
    pub fn reverifying(
        store: &dyn RegistrationStore,
        participant: String,
        birth: Option<NaiveDate>,
        postal: Option<Zeroizing<String>>,
    ) -> Self {
        let mut r = Registration {
            reverify: Some(participant),
            ..Registration::default()
        };
        if let Some(b) = birth
            && let Some(era) = Era::of(b)
        {
            r.era = era;
            r.year = (b.year() - era.first_day().year() + 1).max(1) as u32;
            r.month = b.month();
            r.day = b.day();
        }
        if let Some(p) = postal {
            r.postal = p;
        }
        r.validate(store);
        r
    }

    /// The wizard's step on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The ID document chosen (its kind decides whether an address is read
    /// from it).
    pub fn document(&self) -> DocumentKind {
        self.document
    }

    /// The name being entered: its reading and the written form picked.
    pub fn names(&self) -> &NameEntry {
        &self.names
    }

    /// The name entry, for its picks (the window reaches it through the
    /// controller's `name_*` actions).
    pub fn names_mut(&mut self) -> &mut NameEntry {
        &mut self.names
    }

    /// The birth date's era, as picked (昭和, 平成 …).
    pub fn era(&self) -> Era {
        self.era
    }

    /// The birth date's year in its era, month and day, as picked.
    pub fn ymd(&self) -> (u32, u32, u32) {
        (self.year, self.month, self.day)
    }

    /// The postal code as typed.
    pub fn postal(&self) -> &str {
        &self.postal
    }

    /// The phone number as typed.
    pub fn phone(&self) -> &str {
        &self.phone
    }

    /// Why the step cannot go on (or a warning), as data; worded by
    /// `wording.rs`.
    pub fn notice(&self) -> &Notice {
        &self.notice
    }

    /// What the confirm step shows before registering, as data.
    pub fn confirmation(&self) -> &Confirmation {
        &self.confirmation
    }

    /// Whether 「次へ」 may be pressed.
    pub fn valid(&self) -> bool {
        self.valid
    }

    /// The new person's id once registered.
    pub fn registered(&self) -> Option<&str> {
        self.registered.as_deref()
    }

    /// The person whose ID is being re-checked.
    pub fn reverifying_id(&self) -> Option<&str> {
        self.reverify.as_deref()
    }

    /// Nothing personal is held: no furigana, name, birth date other than
    /// the default, postal code or phone number.
    pub fn is_blank(&self) -> bool {
        let fresh = Registration::default();
        self.names.kana.is_empty()
            && self.names.name().is_empty()
            && self.postal.is_empty()
            && self.phone.is_empty()
            && (self.era, self.year, self.month, self.day)
                == (fresh.era, fresh.year, fresh.month, fresh.day)
            && self.registered.is_none()
            && self.reverify.is_none()
    }

    /// Forgets everything typed (the strings are zeroized as they go).
    pub fn wipe(&mut self) {
        *self = Registration::default();
    }

    /// The document shown (an index of [`DocumentKind::ALL`]).
    pub fn choose_document(&mut self, index: usize, store: &dyn RegistrationStore) {
        if let Some(d) = DocumentKind::ALL.get(index)
            && self.step == Step::Document
        {
            self.document = *d;
            self.step = if self.reverify.is_some() {
                Step::Birth
            } else {
                Step::Name
            };
        }
        self.validate(store);
    }

    /// On the name step: typing the furigana (true) or picking the written name.
    pub fn focus_kana(&mut self, kana: bool, store: &dyn RegistrationStore) {
        self.names.focus_kana(kana);
        self.validate(store);
    }

    /// A key of the kana keyboard or the digit pad.
    pub fn key(&mut self, key: &str, store: &dyn RegistrationStore) {
        match self.step {
            Step::Name => self.names.key(key),
            Step::Postal => type_key(&mut self.postal, key, |_| true),
            Step::Phone => type_key(&mut self.phone, key, |_| true),
            _ => return,
        }
        self.validate(store);
    }

    /// 「一文字消す」 on the step's field (the name, the postal code, the phone).
    pub fn backspace(&mut self, store: &dyn RegistrationStore) {
        match self.step {
            Step::Name => self.names.backspace(),
            Step::Postal => {
                self.postal.pop();
            }
            Step::Phone => {
                self.phone.pop();
            }
            _ => {}
        }
        self.validate(store);
    }

    /// The era picker: an index of [`Era::ALL`] (明治 … 令和).
    pub fn choose_era(&mut self, index: usize, store: &dyn RegistrationStore) {
        if let Some(e) = Era::ALL.get(index) {
            self.era = *e;
            if let Some(max) = e.max_year() {
                self.year = self.year.min(max);
            }
        }
        self.validate(store);
    }

    /// Steps the year, month or day by `delta`, within its range.
    pub fn step_date(&mut self, part: DatePart, delta: i32, store: &dyn RegistrationStore) {
        let bump = |v: u32, lo: u32, hi: u32| {
            (i64::from(v) + i64::from(delta)).clamp(i64::from(lo), i64::from(hi)) as u32
        };
        match part {
            DatePart::Year => self.year = bump(self.year, 1, self.era.max_year().unwrap_or(99)),
            DatePart::Month => self.month = bump(self.month, 1, 12),
            DatePart::Day => self.day = bump(self.day, 1, 31),
        }
        self.validate(store);
    }

    fn birth(&self) -> std::result::Result<NaiveDate, eligibility::DateError> {
        from_era_ymd(self.era, self.year, self.month, self.day)
    }

    /// Re-checks the current step: its notice, confirmation and validity.
    pub fn validate(&mut self, store: &dyn RegistrationStore) {
        self.notice = Notice::None;
        self.confirmation = Confirmation::None;
        self.valid = match self.step {
            Step::Document | Step::Consent => true,
            Step::Card => {
                self.confirmation = Confirmation::Registered;
                true
            }
            // What is missing is said when 「次へ」 is pressed (see `next`);
            // until then the step shows what to do next.
            Step::Name => self.names.validated().is_ok(),
            Step::Birth => match self.birth() {
                Ok(birth) => {
                    let minimum_age = store.minimum_age();
                    let age = eligibility::age_on(birth, store.today());
                    let ok = age.is_some_and(|a| a >= minimum_age);
                    self.confirmation = Confirmation::Birth { birth, age };
                    self.notice = if ok {
                        Notice::OldEnough
                    } else {
                        Notice::TooYoung {
                            minimum_age,
                            from: eligibility::reaches_age_on(birth, minimum_age),
                        }
                    };
                    ok
                }
                Err(e) => {
                    self.confirmation = Confirmation::NoSuchDate {
                        era: self.era,
                        year: self.year,
                        month: self.month,
                        day: self.day,
                    };
                    self.notice = Notice::Invalid(e.to_string());
                    false
                }
            },
            Step::Postal => match PostalCode::parse(&self.postal) {
                Ok(code) => match store.town_of(&code) {
                    Some(town) => {
                        self.confirmation = Confirmation::Town(town);
                        true
                    }
                    None => {
                        self.notice = Notice::OutsideWard;
                        false
                    }
                },
                Err(e) => {
                    if !self.postal.is_empty() {
                        self.notice = Notice::Invalid(e.to_string());
                    }
                    false
                }
            },
            Step::Phone => match PhoneNumber::parse(&self.phone) {
                Ok(p) => {
                    self.confirmation = Confirmation::Phone(p.display());
                    true
                }
                Err(e) => {
                    if !self.phone.is_empty() {
                        self.notice = Notice::Invalid(e.to_string());
                    }
                    false
                }
            },
        };
    }

    /// 「次へ」 (「同意を得て登録する」 on the consent step).
    pub fn next(&mut self, store: &mut dyn RegistrationStore) -> Outcome {
        self.validate(store);
        if !self.valid {
            if self.step == Step::Name
                && let Err(e) = self.names.validated()
            {
                self.notice = Notice::Name(e);
            }
            return Outcome::Stay;
        }
        if self.reverify.is_some() {
            match self.step {
                Step::Document => self.step = Step::Birth,
                Step::Birth => self.step = Step::Postal,
                _ => return self.save_reverify(store),
            }
            self.validate(store);
            return Outcome::Stay;
        }
        self.step = match self.step {
            Step::Document => Step::Name,
            Step::Name => Step::Birth,
            Step::Birth => Step::Postal,
            Step::Postal => Step::Phone,
            Step::Phone => Step::Consent,
            Step::Consent => {
                self.save(store);
                return Outcome::Stay;
            }
            Step::Card => {
                self.wipe();
                return Outcome::Left { record: None };
            }
        };
        self.validate(store);
        Outcome::Stay
    }

    /// 「もどる」: the previous step, or out of the wizard from the first
    /// (and from the card step: registered already, leaving skips the card).
    pub fn back(&mut self, store: &dyn RegistrationStore) -> Outcome {
        let prev = match self.step {
            Step::Birth if self.reverify.is_some() => Some(Step::Document),
            Step::Document | Step::Card => None,
            Step::Name => Some(Step::Document),
            Step::Birth => Some(Step::Name),
            Step::Postal => Some(Step::Birth),
            Step::Phone => Some(Step::Postal),
            Step::Consent => Some(Step::Phone),
        };
        match prev {
            Some(p) => {
                self.step = p;
                self.validate(store);
                Outcome::Stay
            }
            None => {
                let record = self.reverify.take();
                self.wipe();
                Outcome::Left { record }
            }
        }
    }

    fn save(&mut self, store: &mut dyn RegistrationStore) {
        let built = (|| {
            let birth = self.birth().ok()?;
            let (name, kana) = self.names.validated().ok()?;
            Some(NewParticipant {
                name,
                kana,
                phone: PhoneNumber::parse(&self.phone).ok()?,
                basis: Basis::SelfPresented,
                id_check: Some(IdCheck {
                    birth_date: birth,
                    postal: PostalCode::parse(&self.postal).ok()?,
                    document: self.document,
                }),
                address: None,
            })
        })();
        let Some(new) = built else {
            self.notice = Notice::CheckEarlierSteps;
            return;
        };
        match store.register(new) {
            Ok(id) => {
                self.registered = Some(id);
                self.step = Step::Card;
                self.validate(store);
            }
            Err(e) => self.notice = Notice::Refused(e.to_string()),
        }
    }

    fn save_reverify(&mut self, store: &mut dyn RegistrationStore) -> Outcome {
        let Some(id) = self.reverify.clone() else {
            return Outcome::Stay;
        };
        let check = (|| {
            Some(IdCheck {
                birth_date: self.birth().ok()?,
                postal: PostalCode::parse(&self.postal).ok()?,
                document: self.document,
            })
        })();
        let Some(check) = check else {
            self.notice = Notice::CheckEarlierSteps;
            return Outcome::Stay;
        };
        match store.reverify(&id, check) {
            Ok(()) => {
                self.wipe();
                Outcome::Reverified { record: id }
            }
            Err(e) => {
                self.notice = Notice::Refused(e.to_string());
                Outcome::Stay
            }
        }
    }

    /// A card tapped on the card step is linked to the new person; the
    /// signal says what the buzzer and lights do.
    pub fn card(
        &mut self,
        card: std::result::Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>,
        store: &mut dyn RegistrationStore,
    ) -> (Outcome, Signal) {
        let (Step::Card, Some(id)) = (self.step, self.registered.clone()) else {
            return (Outcome::Stay, Signal::Attention);
        };
        let card = match card {
            Ok(c) => c,
            Err(e) => {
                self.notice = Notice::Refused(e.to_string());
                return (Outcome::Stay, Signal::Error);
            }
        };
        match store.link_card(&id, &card) {
            Ok(()) => {
                self.wipe();
                (Outcome::CardLinked, Signal::Success)
            }
            Err(e) => {
                self.notice = Notice::Refused(e.to_string());
                (Outcome::Stay, Signal::Error)
            }
        }
    }
}

impl KioskController {
    /// The wizard while it is open.
    pub fn registration(&self) -> Option<&Registration> {
        self.reg.as_ref()
    }

    /// Runs `f` on the open wizard with the signed-in staff member's store.
    fn with_registration<R>(
        &mut self,
        f: impl FnOnce(&mut Registration, &mut StaffStore<'_>) -> R,
    ) -> Option<R> {
        let (Some(r), Some(staff)) = (self.reg.as_mut(), self.staff.as_ref()) else {
            return None;
        };
        let mut store = StaffStore {
            store: &mut self.store,
            staff,
        };
        Some(f(r, &mut store))
    }

    /// "新しい方の登録" on the Today screen.
    pub fn register_start(&mut self) {
        // The button is hidden from operators; the rule holds here too.
        if self.screen != Screen::StaffToday || !self.staff_handles_people() {
            return;
        }
        let Some(staff) = self.staff.as_ref() else {
            return;
        };
        let store = StaffStore {
            store: &mut self.store,
            staff,
        };
        self.reg = Some(Registration::new(&store));
        self.screen = Screen::StaffRegister;
    }

    /// An ID document was chosen on the first step (its position in the
    /// list the screen shows).
    pub fn reg_document(&mut self, index: usize) {
        self.with_registration(|r, s| r.choose_document(index, s));
    }

    /// On the name step: typing the furigana (true) or picking the written name.
    pub fn reg_focus_kana(&mut self, kana: bool) {
        self.with_registration(|r, s| r.focus_kana(kana, s));
    }

    /// A key of the kana keyboard or the digit pad.
    pub(in crate::kiosk) fn reg_key(&mut self, key: &str) {
        self.with_registration(|r, s| r.key(key, s));
    }

    pub(in crate::kiosk) fn reg_backspace(&mut self) {
        self.with_registration(|r, s| r.backspace(s));
    }

    /// Era picker: 0 明治 … 4 令和.
    pub fn reg_era(&mut self, index: usize) {
        self.with_registration(|r, s| r.choose_era(index, s));
    }

    /// Steps the birth date's year, month or day by `delta`.
    pub fn reg_step_date(&mut self, part: DatePart, delta: i32) {
        self.with_registration(|r, s| r.step_date(part, delta, s));
    }

    /// Re-checks the current step (after the name entry changed).
    pub(in crate::kiosk) fn validate_registration(&mut self) {
        self.with_registration(|r, s| r.validate(s));
    }

    /// "次へ" (or "同意を得て登録する" on the consent step).
    pub(in crate::kiosk) fn reg_next(&mut self) {
        let outcome = self.with_registration(|r, s| r.next(s));
        self.reg_after(outcome);
    }

    /// "もどる": the previous step, or Today from the first.
    pub(in crate::kiosk) fn reg_back(&mut self) {
        let outcome = self.with_registration(|r, s| r.back(s));
        self.reg_after(outcome);
    }

    /// A card tapped on the card step is linked to the new participant.
    pub(in crate::kiosk) fn reg_card(
        &mut self,
        card: std::result::Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>,
    ) -> Signal {
        match self.with_registration(|r, s| r.card(card, s)) {
            Some((outcome, signal)) => {
                self.reg_after(Some(outcome));
                signal
            }
            None => Signal::Attention,
        }
    }

    /// Leaves the wizard when it ended: to the record it was opened from
    /// (re-verification) or to Today, saying what was done.
    fn reg_after(&mut self, outcome: Option<Outcome>) {
        let outcome = match outcome {
            Some(Outcome::Stay) | None => return,
            Some(o) => o,
        };
        // The wizard wiped itself; dropping it leaves nothing.
        self.reg = None;
        match &outcome {
            Outcome::Left { record: Some(id) } | Outcome::Reverified { record: id } => {
                self.search_open(id)
            }
            _ => self.open_today(),
        }
        match outcome {
            Outcome::CardLinked => self.staff_message = wording::CARD_LINKED.into(),
            Outcome::Reverified { .. } => {
                if let Some(s) = self.search.as_mut() {
                    s.message = wording::REVERIFIED.into();
                }
            }
            Outcome::Stay | Outcome::Left { .. } => {}
        }
    }

    /// "本人確認をやり直す" on a record: the wizard's document, birth date and
    /// postal steps, filled in with what is on record.
    pub fn reverify_start(&mut self) {
        if self.screen != Screen::StaffRecord {
            return;
        }
        let Some((id, birth, postal)) = self.search.as_ref().and_then(|s| {
            s.record
                .as_ref()
                .map(|r| (r.id.clone(), r.birth, r.postal.clone()))
        }) else {
            return;
        };
        let Some(staff) = self.staff.as_ref() else {
            return;
        };
        let store = StaffStore {
            store: &mut self.store,
            staff,
        };
        self.reg = Some(Registration::reverifying(&store, id, birth, postal));
        self.screen = Screen::StaffRegister;
    }

    /// The title bar on the wizard's screens (none on the name step: it
    /// needs the room).
    pub(in crate::kiosk) fn registration_header(&self) -> Option<String> {
        if self.screen != Screen::StaffRegister {
            return None;
        }
        let r = self.reg.as_ref()?;
        Some(wording::header(r.step, r.reverify.is_some()))
    }
}
