//! A person's record at the desk: search by furigana or phone, the record
//! (check-in by hand, 「それでも受付する」 at a class without a seat),
//! corrections of the name, the phone and the address, deletion (asked
//! first), the person's cards ([`cards`]) and applying to a lottery class
//! on their behalf. Every look, change and deletion is audited by the store.
//!
//! The decisions are [`RecordFlow`]'s methods over the small
//! [`RecordStore`] trait and [`name_corrections`]: the controller calls
//! them with the real store, `tests/record_flow.rs` with a fake.
//!
//! Screens: the `=> Record` lines of the registry; words in [`wording`].

pub mod adapter;
pub mod cards;
pub mod wording;

use zeroize::Zeroizing;

use crate::eligibility::PhoneNumber;
use crate::error::Result;
use crate::kiosk::controller::keys::type_key;
use crate::kiosk::controller::{
    AddressEntry, AddressStep, CardRow, Disclose, KioskController, NameEntry, NumberField, Screen,
    SessionRow, row,
};
use crate::kiosk::flows::classes::{self, ClassRow};
use crate::store::Actor;
use crate::store::attendance::{CheckInMethod, CheckInOutcome};
use crate::store::cards::LinkedCard;
use crate::store::lottery::ApplyOutcome;
use crate::store::participants::{Correction, ParticipantSummary, normalize_kana};
use crate::store::{StaffSession, Store};

pub use cards::CardWait;

/// At most this many search results are shown.
pub const SEARCH_LIMIT: usize = 30;

/// What the flow needs from the store (`tests/record_flow.rs` fakes it).
/// Each call is audited by the real store under the signed-in staff member.
pub trait RecordStore {
    /// The records whose furigana match (through the blind index).
    fn find_by_kana(&mut self, kana: &str) -> Result<Vec<ParticipantSummary>>;
    /// The records with this phone number.
    fn find_by_phone(&mut self, phone: &PhoneNumber) -> Result<Vec<ParticipantSummary>>;
    /// Saves one correction of a record.
    fn correct(&mut self, participant_id: &str, change: Correction) -> Result<()>;
    /// Deletes a record and everything linked to it.
    fn delete(&mut self, participant_id: &str) -> Result<()>;
    /// The cards linked to a record.
    fn cards_of(&mut self, participant_id: &str) -> Result<Vec<LinkedCard>>;
    /// Takes a card off a record (it checks in no more).
    fn unlink_card(&mut self, participant_id: &str, link_id: &str) -> Result<()>;
    /// Replaces a record's card with the one just tapped.
    fn replace_card(
        &mut self,
        participant_id: &str,
        link_id: &str,
        new_card: &tsudoi_hw::CardId,
    ) -> Result<()>;
    /// Links one more card (the one just tapped) to a record.
    fn link_card(&mut self, participant_id: &str, card: &tsudoi_hw::CardId) -> Result<()>;
}

/// The store with the signed-in staff member.
pub struct StaffRecords<'a> {
    /// The store the flow's decisions are written to.
    pub store: &'a mut Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
}

impl RecordStore for StaffRecords<'_> {
    fn find_by_kana(&mut self, kana: &str) -> Result<Vec<ParticipantSummary>> {
        self.store.find_by_kana(self.staff, kana)
    }

    fn find_by_phone(&mut self, phone: &PhoneNumber) -> Result<Vec<ParticipantSummary>> {
        self.store.find_by_phone(self.staff, phone)
    }

    fn correct(&mut self, participant_id: &str, change: Correction) -> Result<()> {
        self.store.correct(self.staff, participant_id, change)
    }

    fn delete(&mut self, participant_id: &str) -> Result<()> {
        self.store.delete_participant(self.staff, participant_id)
    }

    fn cards_of(&mut self, participant_id: &str) -> Result<Vec<LinkedCard>> {
        self.store.cards_of(self.staff, participant_id)
    }

    fn unlink_card(&mut self, participant_id: &str, link_id: &str) -> Result<()> {
        self.store.unlink_card(self.staff, participant_id, link_id)
    }

    fn replace_card(
        &mut self,
        participant_id: &str,
        link_id: &str,
        new_card: &tsudoi_hw::CardId,
    ) -> Result<()> {
        self.store
            .replace_card(self.staff, participant_id, link_id, new_card)
    }

    fn link_card(&mut self, participant_id: &str, card: &tsudoi_hw::CardId) -> Result<()> {
        self.store.link_card(self.staff, participant_id, card)
    }
}

/// One search hit: the kana and the birth year, enough to pick the right person.
pub struct Hit {
    /// The record's id (what opening the hit names).
    pub id: String,
    /// The hit as the list shows it: kana and birth year.
    pub label: Zeroizing<String>,
}

/// The record on screen: its id, the text shown, and what the corrections
/// and the identity check start from.
#[derive(Default)]
pub struct OpenRecord {
    /// The record's id, for every action on it.
    pub id: String,
    /// The record as shown ([`wording::record_text`]).
    pub text: Zeroizing<String>,
    /// The birth date on record, if the record still has it.
    pub birth: Option<chrono::NaiveDate>,
    /// The postal code on record.
    pub postal: Option<Zeroizing<String>>,
    /// The name on record (the name correction starts from it).
    pub name: Zeroizing<String>,
    /// The furigana on record.
    pub kana: Zeroizing<String>,
    /// Ward and town from the postal code on record ("新宿区西新宿").
    pub town: Option<Zeroizing<String>>,
    /// The address on record, if one was taken (classes need it).
    pub address: Option<Zeroizing<String>>,
}

/// The flow's state, from 「さがす」 until staff leave it. Dropped (and
/// zeroized) then.
#[derive(Default)]
pub struct RecordFlow {
    /// Search by phone number (else by furigana).
    pub by_phone: bool,
    /// What is typed in the search field.
    pub query: Zeroizing<String>,
    /// In the store's order, at most [`SEARCH_LIMIT`].
    pub hits: Vec<Hit>,
    /// False while typing, true once the results are shown.
    pub searched: bool,
    /// Why the last action could not be done, or what it did; empty if none.
    pub message: String,
    /// The open record.
    pub record: Option<OpenRecord>,
    /// The correction being made.
    pub edit: Option<Edit>,
    /// 「記録を消す」 was pressed: the next 「消す」 deletes.
    pub delete_asked: bool,
    /// The lottery classes taking applications, offered on the person's behalf.
    pub classes: Vec<ClassRow>,
    /// The class the address is being entered for (a first application).
    pub apply_to: Option<ClassRow>,
    /// A lottery-class session the person holds no seat in: staff saw the
    /// warning and may confirm the check-in.
    pub confirm_seat: Option<String>,
    /// The open record's cards (on the cards screen).
    pub cards: Vec<CardRow>,
    /// The cards screen waits for a tap to add or replace a card.
    pub card_wait: Option<CardWait>,
    /// The disclosure PDF being written to a stick.
    pub disclosure: Option<Disclose>,
}

/// A field staff can correct on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    /// The written name and the furigana, together.
    Name,
    /// The phone number.
    Phone,
    /// The address (kept only for lottery classes).
    Address,
}

/// A correction in progress.
pub enum Edit {
    /// Starts from the furigana on record; the written name is picked anew.
    Name(NameEntry),
    /// The new phone number as typed.
    Phone(Zeroizing<String>),
    /// The address, step by step (numbers, then the building).
    Address(AddressEntry),
}

impl Edit {
    /// Which field the correction is of.
    pub fn field(&self) -> EditField {
        match self {
            Edit::Name(_) => EditField::Name,
            Edit::Phone(_) => EditField::Phone,
            Edit::Address(_) => EditField::Address,
        }
    }
}

/// The corrections a name entry comes to, against the furigana on record:
/// the furigana alone, the written name (and the furigana if it changed),
/// or why there is nothing to save.
pub fn name_corrections(
    entry: &NameEntry,
    kana_on_record: &str,
) -> std::result::Result<Vec<Correction>, String> {
    let kana_changed = normalize_kana(&entry.kana)
        .map(|k| k != *kana_on_record)
        .unwrap_or(true);
    if !entry.has_picks() && kana_changed {
        // Only the furigana was corrected.
        return normalize_kana(&entry.kana)
            .map(|k| vec![Correction::Kana(k)])
            .map_err(|e| e.to_string());
    }
    if !entry.has_picks() {
        return Err(wording::NOTHING_CHANGED.into());
    }
    match entry.validated() {
        Ok((name, kana)) if kana_changed => {
            Ok(vec![Correction::Name(name), Correction::Kana(kana)])
        }
        Ok((name, _)) => Ok(vec![Correction::Name(name)]),
        Err(e) => Err(e),
    }
}

impl RecordFlow {
    /// Drops everything shown of the open record.
    pub fn forget_record(&mut self) {
        self.record = None;
        self.edit = None;
        self.delete_asked = false;
        self.classes.clear();
        self.apply_to = None;
        self.confirm_seat = None;
        self.cards.clear();
        self.card_wait = None;
        self.disclosure = None;
    }

    fn record_id(&self) -> Option<String> {
        self.record.as_ref().map(|r| r.id.clone())
    }

    /// 「さがす」: the hits in the store's order, at most [`SEARCH_LIMIT`]
    /// (audited by the store); a phone number that cannot be one is
    /// refused before the store is asked.
    pub fn run_search(&mut self, store: &mut impl RecordStore) {
        let found = if self.by_phone {
            match PhoneNumber::parse(&self.query) {
                Ok(p) => store.find_by_phone(&p),
                Err(e) => {
                    self.message = e.to_string();
                    return;
                }
            }
        } else {
            store.find_by_kana(&self.query)
        };
        match found {
            Ok(list) => {
                self.hits = list
                    .into_iter()
                    .take(SEARCH_LIMIT)
                    .map(|p| Hit {
                        label: Zeroizing::new(wording::hit(p.kana.as_str(), p.birth_date)),
                        id: p.id,
                    })
                    .collect();
                self.searched = true;
                self.message = if self.hits.is_empty() {
                    wording::NOT_FOUND.into()
                } else {
                    String::new()
                };
            }
            Err(e) => self.message = e.to_string(),
        }
    }

    /// Saves the corrections to the open record, one by one (each audited
    /// by the store), stopping at the first refusal. True when all were saved.
    pub fn save(&mut self, store: &mut impl RecordStore, changes: Vec<Correction>) -> bool {
        let Some(id) = self.record_id() else {
            return false;
        };
        for change in changes {
            if let Err(e) = store.correct(&id, change) {
                self.message = e.to_string();
                return false;
            }
        }
        self.message = wording::CORRECTED.into();
        true
    }

    /// 「記録を消す」: asks first.
    pub fn ask_delete(&mut self) {
        if self.record.is_some() {
            self.delete_asked = true;
            self.message.clear();
        }
    }

    /// 「やめる」 on the question.
    pub fn keep(&mut self) {
        self.delete_asked = false;
        self.message.clear();
    }

    /// 「消す」 on the question: the person and everything linked to them
    /// go; the record leaves the screen and the results. Nothing happens
    /// unless [`Self::ask_delete`] came first. True when deleted.
    pub fn confirm_delete(&mut self, store: &mut impl RecordStore) -> bool {
        if !self.delete_asked {
            return false;
        }
        self.delete_asked = false;
        let Some(id) = self.record_id() else {
            return false;
        };
        match store.delete(&id) {
            Ok(()) => {
                self.forget_record();
                self.hits.retain(|h| h.id != id);
                self.message = wording::DELETED.into();
                true
            }
            Err(e) => {
                self.message = e.to_string();
                false
            }
        }
    }
}

impl KioskController {
    /// The record flow's state while it is open (search, record,
    /// corrections, cards).
    pub fn search(&self) -> Option<&RecordFlow> {
        self.search.as_ref()
    }

    /// The store with the signed-in staff member, and the flow's state.
    fn records(&mut self) -> Option<(StaffRecords<'_>, &mut RecordFlow)> {
        let staff = self.staff.as_ref()?;
        let flow = self.search.as_mut()?;
        Some((
            StaffRecords {
                store: &mut self.store,
                staff,
            },
            flow,
        ))
    }

    /// "さがす" on the Today screen.
    pub fn search_start(&mut self) {
        // The button is hidden from operators; the rule holds here too.
        if self.screen == Screen::StaffToday && self.staff_handles_people() {
            self.search = Some(RecordFlow::default());
            self.screen = Screen::StaffSearch;
        }
    }

    /// Switches between kana and phone.
    pub fn search_toggle(&mut self) {
        if let Some(s) = self.search.as_mut() {
            s.by_phone = !s.by_phone;
            s.query = Zeroizing::new(String::new());
            s.message.clear();
        }
    }

    pub(in crate::kiosk) fn search_key(&mut self, key: &str) {
        if let Some(s) = self.search.as_mut() {
            match s.edit.as_mut() {
                Some(Edit::Name(n)) => n.key(key),
                Some(Edit::Phone(text)) => type_key(text, key, |_| true),
                Some(Edit::Address(a)) => a.key(key),
                None => type_key(&mut s.query, key, |_| true),
            }
            s.message.clear();
        }
    }

    pub(in crate::kiosk) fn search_backspace(&mut self) {
        self.search_key("⌫");
    }

    /// 「直す・消す」 on a record.
    pub fn edit_menu(&mut self) {
        if self.screen == Screen::StaffRecord
            && let Some(s) = self.search.as_mut()
        {
            s.message.clear();
            self.screen = Screen::StaffEditMenu;
        }
    }

    /// True when the open record has an address (it can be corrected or removed).
    pub fn record_has_address(&self) -> bool {
        self.record_address().is_some()
    }

    /// 「住所を消す」: the address is kept only for lottery classes; the person
    /// may ask for it to go.
    pub fn address_remove(&mut self) {
        if self.screen != Screen::StaffEditMenu || !self.record_has_address() {
            return;
        }
        if self.save_corrections(vec![Correction::Address(None)])
            && let Some(s) = self.search.as_mut()
        {
            s.message = wording::ADDRESS_REMOVED.into();
        }
    }

    /// 「氏名・ふりがなを直す」 / 「電話を直す」 / 「住所を直す」 on the edit menu.
    pub fn edit_start(&mut self, field: EditField) {
        if self.screen != Screen::StaffEditMenu {
            return;
        }
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let Some(r) = s.record.as_ref() else {
            return;
        };
        s.edit = Some(match field {
            EditField::Name => Edit::Name(NameEntry::with_kana(r.kana.as_str())),
            EditField::Phone => Edit::Phone(Zeroizing::new(String::new())),
            EditField::Address => match &r.town {
                Some(town) => Edit::Address(AddressEntry::new(town.to_string())),
                None => {
                    s.message = wording::NO_TOWN.into();
                    return;
                }
            },
        });
        s.message.clear();
        self.screen = Screen::StaffCorrect;
    }

    /// The address being entered, if any.
    pub fn address_entry(&self) -> Option<&AddressEntry> {
        match self.search.as_ref().and_then(|s| s.edit.as_ref()) {
            Some(Edit::Address(a)) if self.screen == Screen::StaffCorrect => Some(a),
            _ => None,
        }
    }

    /// Which number field the digit pad types into (address, first step).
    pub fn address_focus(&mut self, field: NumberField) {
        if let Some(Edit::Address(a)) = self.search.as_mut().and_then(|s| s.edit.as_mut()) {
            a.focus(field);
        }
    }

    /// The address on record, shown while it is corrected.
    pub fn record_address(&self) -> Option<&str> {
        self.search
            .as_ref()
            .and_then(|s| s.record.as_ref())
            .and_then(|r| r.address.as_deref())
            .map(String::as_str)
    }

    /// 「教室に申し込む」 on a record: the classes taking applications.
    pub fn staff_classes_start(&mut self) {
        if self.screen != Screen::StaffRecord {
            return;
        }
        let today = self.store.clock().today();
        let open = self.store.open_classes(today);
        let Some(s) = self.search.as_mut() else {
            return;
        };
        match open {
            Ok(list) => {
                s.classes = list.iter().map(ClassRow::new).collect();
                s.message = classes::wording::list_prompt(!s.classes.is_empty()).into();
                self.screen = Screen::StaffClasses;
            }
            Err(e) => s.message = e.to_string(),
        }
    }

    /// A class on the staff class list: apply on the person's behalf. A first
    /// application asks for the address, then applies with it.
    pub fn staff_apply(&mut self, class_id: &str) {
        if self.screen != Screen::StaffClasses {
            return;
        }
        let Some(class) = self
            .search
            .as_ref()
            .and_then(|s| s.classes.iter().find(|c| c.id == class_id))
            .cloned()
        else {
            return;
        };
        self.apply_for_record(class, None);
    }

    fn apply_for_record(&mut self, class: ClassRow, address: Option<String>) {
        let Some((staff, pid)) = self.staff_and_record() else {
            return;
        };
        let outcome = self.store.apply_on_behalf(&staff, &pid, &class.id, address);
        let Some(s) = self.search.as_mut() else {
            return;
        };
        match outcome {
            Ok(ApplyOutcome::Applied { entry_number, .. }) => {
                s.apply_to = None;
                self.search_open(&pid);
                if let Some(s) = self.search.as_mut() {
                    s.message =
                        classes::wording::staff_applied(&class.title, entry_number, class.draw_on);
                }
            }
            Ok(ApplyOutcome::NeedsAddress) => match s.record.as_ref().and_then(|r| r.town.as_ref())
            {
                Some(town) => {
                    s.edit = Some(Edit::Address(AddressEntry::new(town.to_string())));
                    s.apply_to = Some(class);
                    s.message.clear();
                    self.screen = Screen::StaffCorrect;
                }
                None => {
                    s.message = classes::wording::STAFF_NO_TOWN.into();
                }
            },
            Ok(other) => {
                s.message =
                    classes::wording::refusal(&classes::Outcome::from_apply(other, class.draw_on));
                s.apply_to = None;
                if self.screen == Screen::StaffCorrect {
                    s.edit = None;
                    self.screen = Screen::StaffClasses;
                }
            }
            Err(e) => s.message = e.to_string(),
        }
    }

    /// 「記録を消す」 on the edit menu: asks first.
    pub fn delete_start(&mut self) {
        if self.screen == Screen::StaffEditMenu
            && let Some(s) = self.search.as_mut()
        {
            s.ask_delete();
            self.screen = Screen::StaffConfirmDelete;
        }
    }

    /// 「消す」 on the confirmation: the person and everything linked to them
    /// go (their request, or they moved out of the ward).
    pub fn delete_confirm(&mut self) {
        if self.screen != Screen::StaffConfirmDelete {
            return;
        }
        let Some((mut store, flow)) = self.records() else {
            return;
        };
        if flow.confirm_delete(&mut store) {
            self.choices.clear();
            self.screen = Screen::StaffSearch;
        } else {
            self.screen = Screen::StaffEditMenu;
        }
    }

    /// The signed-in staff member and the open record's id.
    pub(in crate::kiosk) fn staff_and_record(&self) -> Option<(StaffSession, String)> {
        let staff = self.staff.clone()?;
        let id = self.search.as_ref()?.record.as_ref()?.id.clone();
        Some((staff, id))
    }

    /// The name on record, shown while it is corrected.
    pub fn record_name(&self) -> Option<&str> {
        self.search
            .as_ref()
            .and_then(|s| s.record.as_ref())
            .map(|r| r.name.as_str())
    }

    /// Saves the correction (audited by the store) and shows the record again.
    pub(in crate::kiosk) fn edit_save(&mut self) {
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let (Some(edit), Some(record)) = (s.edit.as_mut(), s.record.as_ref()) else {
            return;
        };
        let changes = match edit {
            Edit::Address(a) => {
                if a.step == AddressStep::Numbers {
                    if let Err(e) = a.to_building() {
                        s.message = e;
                    }
                    return;
                }
                let address = match a.address() {
                    Ok(addr) => addr,
                    Err(e) => {
                        s.message = e;
                        return;
                    }
                };
                if let Some(class) = s.apply_to.clone() {
                    self.apply_for_record(class, Some(address));
                    return;
                }
                vec![Correction::Address(Some(address))]
            }
            Edit::Name(n) => match name_corrections(n, record.kana.as_str()) {
                Ok(c) => c,
                Err(e) => {
                    s.message = e;
                    return;
                }
            },
            Edit::Phone(text) => match PhoneNumber::parse(text) {
                Ok(p) => vec![Correction::Phone(p)],
                Err(e) => {
                    s.message = e.to_string();
                    return;
                }
            },
        };
        self.save_corrections(changes);
    }

    /// Saves `changes` to the open record and, when all were saved, shows
    /// it again with 「訂正しました。」.
    fn save_corrections(&mut self, changes: Vec<Correction>) -> bool {
        let Some((mut store, flow)) = self.records() else {
            return false;
        };
        if !flow.save(&mut store, changes) {
            return false;
        }
        let Some(id) = flow.record_id() else {
            return false;
        };
        self.search_open(&id);
        if let Some(s) = self.search.as_mut() {
            s.message = wording::CORRECTED.into();
        }
        true
    }

    /// "さがす": runs the search (audited by the store).
    pub(in crate::kiosk) fn search_run(&mut self) {
        if let Some((mut store, flow)) = self.records() {
            flow.run_search(&mut store);
        }
    }

    /// Opens one person's record (audited as a view by the store).
    pub fn search_open(&mut self, id: &str) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let today = self.store.clock().today();
        let rules = self.store.policy().rules.clone();
        let record = self.store.participant(&staff, id);
        let ward = self
            .store
            .postal_table()
            .ward_name()
            .unwrap_or_default()
            .to_owned();
        let Some(s) = self.search.as_mut() else {
            return;
        };
        match record {
            Ok(p) => {
                let town = p.town.as_ref().map(|t| format!("{ward}{}", t.as_str()));
                let text = wording::record_text(&p, town.as_deref(), today, &rules);
                s.record = Some(OpenRecord {
                    id: p.id.clone(),
                    text: Zeroizing::new(text),
                    birth: p.birth_date,
                    postal: p.postal_code,
                    name: p.name,
                    kana: p.kana,
                    town: town.map(Zeroizing::new),
                    address: p.address,
                });
                s.edit = None;
                s.delete_asked = false;
                s.apply_to = None;
                s.confirm_seat = None;
                s.classes.clear();
                s.message.clear();
                self.choices = self
                    .store
                    .sessions_on(today)
                    .unwrap_or_default()
                    .iter()
                    .map(row)
                    .collect::<Vec<SessionRow>>();
                self.screen = Screen::StaffRecord;
            }
            Err(e) => s.message = e.to_string(),
        }
    }

    /// Checks the open record's person in to a session by hand. At a lottery
    /// class the person holds no seat in, staff see why and may confirm
    /// with [`Self::confirm_check_in`].
    pub fn check_in_by_hand(&mut self, session_id: &str) {
        let Some((staff, pid)) = self.staff_and_record() else {
            return;
        };
        if !self.choices.iter().any(|c| c.id == session_id) {
            return;
        }
        let outcome =
            self.store
                .check_in(&Actor::Staff(staff), &pid, session_id, CheckInMethod::Staff);
        if let Some(s) = self.search.as_mut() {
            s.confirm_seat = None;
            s.message = match outcome {
                Ok(o @ CheckInOutcome::NoSeat { .. }) => {
                    s.confirm_seat = Some(session_id.to_owned());
                    wording::no_seat(&o.message())
                }
                Ok(o) => o.message(),
                Err(e) => e.to_string(),
            };
        }
    }

    /// 「それでも受付する」: staff confirm a check-in to a lottery class
    /// without a seat (audited as such by the store).
    pub fn confirm_check_in(&mut self) {
        let Some((staff, pid)) = self.staff_and_record() else {
            return;
        };
        let Some(session_id) = self.search.as_mut().and_then(|s| s.confirm_seat.take()) else {
            return;
        };
        let outcome = self.store.check_in_without_seat(&staff, &pid, &session_id);
        if let Some(s) = self.search.as_mut() {
            s.message = match outcome {
                Ok(o) => o.message(),
                Err(e) => e.to_string(),
            };
        }
    }

    /// Whether a check-in without a seat waits for staff to confirm it.
    pub fn confirm_check_in_pending(&self) -> bool {
        self.screen == Screen::StaffRecord
            && self
                .search
                .as_ref()
                .is_some_and(|s| s.confirm_seat.is_some())
    }

    /// "もどる" on the search screens.
    pub(in crate::kiosk) fn search_back(&mut self) {
        let Some(s) = self.search.as_mut() else {
            self.open_today();
            return;
        };
        match self.screen {
            Screen::StaffCorrect => {
                if let Some(Edit::Address(a)) = s.edit.as_mut()
                    && a.back()
                {
                    s.message.clear();
                    return;
                }
                s.edit = None;
                s.message.clear();
                self.screen = if s.apply_to.take().is_some() {
                    Screen::StaffClasses
                } else {
                    Screen::StaffEditMenu
                };
            }
            Screen::StaffConfirmDelete => {
                s.keep();
                self.screen = Screen::StaffEditMenu;
            }
            Screen::StaffDisclose => {
                s.disclosure = None;
                s.message.clear();
                self.screen = Screen::StaffEditMenu;
            }
            Screen::StaffCards if s.card_wait.is_some() => {
                s.card_wait = None;
                s.message.clear();
            }
            Screen::StaffCards => {
                s.cards.clear();
                s.message.clear();
                self.screen = Screen::StaffRecord;
            }
            Screen::StaffClasses | Screen::StaffEditMenu => {
                s.classes.clear();
                s.message.clear();
                self.screen = Screen::StaffRecord;
            }
            Screen::StaffRecord if s.confirm_seat.is_some() => {
                s.confirm_seat = None;
                s.message.clear();
            }
            Screen::StaffRecord => {
                s.forget_record();
                s.message.clear();
                self.choices.clear();
                self.screen = Screen::StaffSearch;
            }
            _ if s.searched => {
                s.searched = false;
                s.hits.clear();
                s.message.clear();
            }
            _ => {
                self.search = None;
                self.open_today();
            }
        }
    }

    /// The flow's title bar, on its screens (the search while typing has
    /// none: the keyboard needs the room).
    pub(in crate::kiosk) fn record_header(&self) -> Option<String> {
        match self.screen {
            Screen::StaffRecord => Some(wording::RECORD_HEADER.into()),
            Screen::StaffEditMenu => Some(wording::EDIT_MENU_HEADER.into()),
            Screen::StaffCards => Some(wording::CARDS_HEADER.into()),
            Screen::StaffClasses => Some(wording::CLASSES_HEADER.into()),
            Screen::StaffSearch if self.search.as_ref().is_some_and(|s| s.searched) => {
                Some(wording::RESULTS_HEADER.into())
            }
            _ => None,
        }
    }
}
