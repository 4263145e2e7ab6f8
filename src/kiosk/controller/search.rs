//! Search by kana or phone → a person's record → check in by hand.

use zeroize::Zeroizing;

use super::address_entry::{AddressEntry, AddressStep, NumberField};
use super::keys::type_key;
use super::name_entry::NameEntry;
use super::{KioskController, Screen, SessionRow, row};
use crate::eligibility::{self, PhoneNumber, to_wareki};
use crate::jp_date;
use crate::kiosk::flows::classes::{self, ClassRow};
use crate::store::Actor;
use crate::store::attendance::{CheckInMethod, CheckInOutcome};
use crate::store::lottery::ApplyOutcome;
use crate::store::participants::{Correction, normalize_kana};

/// One search hit: the kana and the birth year, enough to pick the right person.
pub struct Hit {
    pub id: String,
    pub label: Zeroizing<String>,
}

/// The search screen's state. Dropped (and zeroized) when staff leave it.
#[derive(Default)]
pub struct Search {
    pub by_phone: bool,
    pub query: Zeroizing<String>,
    pub hits: Vec<Hit>,
    /// False while typing, true once the results are shown.
    pub searched: bool,
    pub message: String,
    /// The open record: its id and the text shown.
    pub record: Option<(String, Zeroizing<String>)>,
    pub(in crate::kiosk) record_birth: Option<chrono::NaiveDate>,
    pub(in crate::kiosk) record_postal: Option<Zeroizing<String>>,
    pub(super) record_name: Option<Zeroizing<String>>,
    pub(super) record_kana: Option<Zeroizing<String>>,
    /// Ward and town from the postal code on record ("新宿区西新宿").
    pub(super) record_town: Option<Zeroizing<String>>,
    pub(super) record_address: Option<Zeroizing<String>>,
    /// The correction being made.
    pub edit: Option<Edit>,
    /// The lottery classes taking applications, offered on the person's behalf.
    pub classes: Vec<ClassRow>,
    /// The class the address is being entered for (a first application).
    pub apply_to: Option<ClassRow>,
    /// A lottery-class session the person holds no seat in: staff saw the
    /// warning and may confirm the check-in.
    pub confirm_seat: Option<String>,
    /// The open record's cards (on the cards screen).
    pub cards: Vec<super::CardRow>,
    /// The cards screen waits for a tap to add or replace a card.
    pub card_wait: Option<CardWait>,
    /// The disclosure PDF being written to a stick.
    pub disclosure: Option<super::Disclose>,
}

/// What the next tap on the cards screen does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardWait {
    /// Links the card to the person.
    Add,
    /// Replaces the card with this link id.
    Replace(String),
}

impl Search {
    /// Drops everything shown of the open record.
    fn forget_record(&mut self) {
        self.record = None;
        self.record_birth = None;
        self.record_postal = None;
        self.record_name = None;
        self.record_kana = None;
        self.record_town = None;
        self.record_address = None;
        self.edit = None;
        self.classes.clear();
        self.apply_to = None;
        self.confirm_seat = None;
        self.cards.clear();
        self.card_wait = None;
        self.disclosure = None;
    }
}

/// A field staff can correct on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    /// The written name and the furigana, together.
    Name,
    Phone,
    /// The address (kept only for lottery classes).
    Address,
}

/// A correction in progress.
pub enum Edit {
    /// Starts from the furigana on record; the written name is picked anew.
    Name(NameEntry),
    Phone(Zeroizing<String>),
    Address(AddressEntry),
}

impl Edit {
    pub fn field(&self) -> EditField {
        match self {
            Edit::Name(_) => EditField::Name,
            Edit::Phone(_) => EditField::Phone,
            Edit::Address(_) => EditField::Address,
        }
    }
}

impl KioskController {
    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    /// "さがす" on the Today screen.
    pub fn search_start(&mut self) {
        // The button is hidden from operators; the rule holds here too.
        if self.screen == Screen::StaffToday && self.staff_handles_people() {
            self.search = Some(Search::default());
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
        let Some((staff, id)) = self.staff_and_record() else {
            return;
        };
        self.save_corrections(&staff, &id, vec![Correction::Address(None)]);
        if let Some(s) = self.search.as_mut()
            && s.message == "訂正しました。"
        {
            s.message = "住所を消しました。".into();
        }
    }

    /// 「氏名・ふりがなを直す」 / 「電話を直す」 / 「住所を直す」 on the edit menu.
    pub fn edit_start(&mut self, field: EditField) {
        if self.screen != Screen::StaffEditMenu {
            return;
        }
        if let Some(s) = self.search.as_mut() {
            s.edit = Some(match field {
                EditField::Name => Edit::Name(NameEntry::with_kana(
                    s.record_kana.as_deref().map_or("", String::as_str),
                )),
                EditField::Phone => Edit::Phone(Zeroizing::new(String::new())),
                EditField::Address => match &s.record_town {
                    Some(town) => Edit::Address(AddressEntry::new(town.to_string())),
                    None => {
                        s.message = "町名がわかりません。先に「本人確認をやり直す」で郵便番号を記録してください。".into();
                        return;
                    }
                },
            });
            s.message.clear();
            self.screen = Screen::StaffCorrect;
        }
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
            .and_then(|s| s.record_address.as_deref())
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
            Ok(ApplyOutcome::NeedsAddress) => match &s.record_town {
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
            s.message.clear();
            self.screen = Screen::StaffConfirmDelete;
        }
    }

    /// 「消す」 on the confirmation: the person and everything linked to them
    /// go (their request, or they moved out of the ward).
    pub fn delete_confirm(&mut self) {
        if self.screen != Screen::StaffConfirmDelete {
            return;
        }
        let Some((staff, pid)) = self.staff_and_record() else {
            return;
        };
        let result = self.store.delete_participant(&staff, &pid);
        let Some(s) = self.search.as_mut() else {
            return;
        };
        match result {
            Ok(()) => {
                s.forget_record();
                s.hits.retain(|h| h.id != pid);
                s.message = "記録を消しました。".into();
                self.choices.clear();
                self.screen = Screen::StaffSearch;
            }
            Err(e) => {
                s.message = e.to_string();
                self.screen = Screen::StaffEditMenu;
            }
        }
    }

    /// The signed-in staff member and the open record's id.
    pub(in crate::kiosk) fn staff_and_record(
        &self,
    ) -> Option<(crate::store::StaffSession, String)> {
        let staff = self.staff.clone()?;
        let id = self.search.as_ref()?.record.as_ref()?.0.clone();
        Some((staff, id))
    }

    /// The name on record, shown while it is corrected.
    pub fn record_name(&self) -> Option<&str> {
        self.search
            .as_ref()
            .and_then(|s| s.record_name.as_deref())
            .map(String::as_str)
    }

    /// Saves the correction (audited by the store) and shows the record again.
    pub(in crate::kiosk) fn edit_save(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let (Some(edit), Some((id, _))) = (s.edit.as_mut(), s.record.as_ref()) else {
            return;
        };
        let id = id.clone();
        if let Edit::Address(a) = edit {
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
            return self.save_corrections(&staff, &id, vec![Correction::Address(Some(address))]);
        }
        let changes = match edit {
            Edit::Name(n) => {
                let on_record = s.record_kana.as_deref().map_or("", String::as_str);
                let kana_changed = normalize_kana(&n.kana)
                    .map(|k| k != *on_record)
                    .unwrap_or(true);
                if !n.has_picks() && kana_changed {
                    // Only the furigana was corrected.
                    match normalize_kana(&n.kana) {
                        Ok(k) => vec![Correction::Kana(k)],
                        Err(e) => {
                            s.message = e.to_string();
                            return;
                        }
                    }
                } else if !n.has_picks() {
                    s.message =
                        "変更がありません。ふりがなを直すか、「氏名」を押して書き方を選んでください。"
                            .into();
                    return;
                } else {
                    match n.validated() {
                        Ok((name, kana)) if kana_changed => {
                            vec![Correction::Name(name), Correction::Kana(kana)]
                        }
                        Ok((name, _)) => vec![Correction::Name(name)],
                        Err(e) => {
                            s.message = e;
                            return;
                        }
                    }
                }
            }
            Edit::Phone(text) => match PhoneNumber::parse(text) {
                Ok(p) => vec![Correction::Phone(p)],
                Err(e) => {
                    s.message = e.to_string();
                    return;
                }
            },
            Edit::Address(_) => return,
        };
        self.save_corrections(&staff, &id, changes);
    }

    fn save_corrections(
        &mut self,
        staff: &crate::store::StaffSession,
        id: &str,
        changes: Vec<Correction>,
    ) {
        let mut result = Ok(());
        for change in changes {
            result = self.store.correct(staff, id, change);
            if result.is_err() {
                break;
            }
        }
        match result {
            Ok(()) => {
                self.search_open(id);
                if let Some(s) = self.search.as_mut() {
                    s.message = "訂正しました。".into();
                }
            }
            Err(e) => {
                if let Some(s) = self.search.as_mut() {
                    s.message = e.to_string();
                }
            }
        }
    }

    /// "さがす": runs the search (audited by the store).
    pub(in crate::kiosk) fn search_run(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let found = if s.by_phone {
            match PhoneNumber::parse(&s.query) {
                Ok(p) => self.store.find_by_phone(&staff, &p),
                Err(e) => {
                    s.message = e.to_string();
                    return;
                }
            }
        } else {
            self.store.find_by_kana(&staff, &s.query)
        };
        match found {
            Ok(list) => {
                s.hits = list
                    .into_iter()
                    .take(30)
                    .map(|p| Hit {
                        // Members from the ward's roster have no birth date.
                        label: Zeroizing::new(match p.birth_date {
                            Some(b) => format!("{}（{}生まれ）", p.kana.as_str(), jp_date::year(b)),
                            None => format!("{}（生年月日の登録なし）", p.kana.as_str()),
                        }),
                        id: p.id,
                    })
                    .collect();
                s.searched = true;
                s.message = if s.hits.is_empty() {
                    "見つかりませんでした。".into()
                } else {
                    String::new()
                };
            }
            Err(e) => s.message = e.to_string(),
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
        let Some(s) = self.search.as_mut() else {
            return;
        };
        match record {
            Ok(p) => {
                let mut text = format!("{}（{}）\n", p.name.as_str(), p.kana.as_str());
                if let Some(b) = p.birth_date {
                    let age = eligibility::age_on(b, today)
                        .map_or_else(String::new, |a| format!("　{a}歳"));
                    text.push_str(&format!("生年月日: {}{age}\n", to_wareki(b)));
                }
                let ward = self.store.postal_table().ward_name().unwrap_or_default();
                let town = p.town.as_ref().map(|t| format!("{ward}{}", t.as_str()));
                match (&p.address, &town) {
                    (Some(a), _) => text.push_str(&format!("住所: {}\n", a.as_str())),
                    (None, Some(t)) => text.push_str(&format!("住所（町名まで）: {t}\n")),
                    (None, None) => {}
                }
                let phone = PhoneNumber::parse(&p.phone)
                    .map_or_else(|_| p.phone.to_string(), |n| n.display());
                text.push_str(&format!("電話: {phone}\n"));
                if let Some(v) = p.verified_on {
                    let due = eligibility::reverification_due(v, today, &rules);
                    text.push_str(&format!(
                        "本人確認: {}{}",
                        jp_date::ymd(v),
                        if due {
                            "（やり直しの時期です）"
                        } else {
                            ""
                        }
                    ));
                }
                s.record = Some((p.id.clone(), Zeroizing::new(text)));
                s.record_birth = p.birth_date;
                s.record_postal = p.postal_code;
                s.record_name = Some(p.name);
                s.record_kana = Some(p.kana);
                s.record_town = town.map(Zeroizing::new);
                s.record_address = p.address;
                s.edit = None;
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
                    format!(
                        "{}当選者の付き添いや、繰り上げがまだ記録されていないときは「それでも受付する」を押してください。",
                        o.message()
                    )
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
                s.message.clear();
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
}
