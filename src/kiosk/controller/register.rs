//! The registration wizard: ID document → name and kana → birth date (era
//! picker) → postal code → phone → purpose and consent → card.

use chrono::NaiveDate;
use zeroize::Zeroizing;

use super::keys::type_key;
use super::name_entry::NameEntry;
use super::{KioskController, Screen, Signal};
use crate::eligibility::{self, Era, PhoneNumber, PostalCode, from_era_ymd, to_wareki};
use crate::jp_date;
use crate::store::participants::{Basis, DocumentKind, IdCheck, NewParticipant};

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegStep {
    Document,
    Name,
    Birth,
    Postal,
    Phone,
    Consent,
    Card,
}

impl RegStep {
    /// 1 for the document … 7 for the card, as the header counts them.
    pub fn number(self) -> u32 {
        match self {
            RegStep::Document => 1,
            RegStep::Name => 2,
            RegStep::Birth => 3,
            RegStep::Postal => 4,
            RegStep::Phone => 5,
            RegStep::Consent => 6,
            RegStep::Card => 7,
        }
    }
}

/// What is typed so far. Dropped (and zeroized) when the wizard ends.
pub struct Registration {
    pub step: RegStep,
    pub document: DocumentKind,
    /// The furigana and the written name.
    pub names: NameEntry,
    pub era: Era,
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub postal: Zeroizing<String>,
    pub phone: Zeroizing<String>,
    pub message: String,
    /// What the current step shows besides the input (age, town, …).
    pub info: String,
    /// True when the current step's input is valid and "次へ" may be pressed.
    pub valid: bool,
    pub participant: Option<String>,
    /// Re-verifying this participant's ID check instead of registering.
    pub reverify: Option<String>,
}

impl Default for Registration {
    fn default() -> Self {
        Self {
            step: RegStep::Document,
            document: DocumentKind::HealthInsurance,
            names: NameEntry::default(),
            era: Era::Showa,
            year: 30,
            month: 1,
            day: 1,
            postal: Zeroizing::new(String::new()),
            phone: Zeroizing::new(String::new()),
            message: String::new(),
            info: String::new(),
            valid: false,
            participant: None,
            reverify: None,
        }
    }
}

impl KioskController {
    pub fn registration(&self) -> Option<&Registration> {
        self.reg.as_ref()
    }

    /// "新しい方の登録" on the Today screen.
    pub fn register_start(&mut self) {
        // The button is hidden from operators; the rule holds here too.
        if self.screen == Screen::StaffToday && self.staff_handles_people() {
            self.reg = Some(Registration::default());
            self.screen = Screen::StaffRegister;
            self.validate_registration();
        }
    }

    pub fn reg_document(&mut self, index: usize) {
        if let (Some(r), Some(d)) = (self.reg.as_mut(), DocumentKind::ALL.get(index))
            && r.step == RegStep::Document
        {
            r.document = *d;
            r.step = if r.reverify.is_some() {
                RegStep::Birth
            } else {
                RegStep::Name
            };
        }
        self.validate_registration();
    }

    /// On the name step: typing the furigana (true) or picking the written name.
    pub fn reg_focus_kana(&mut self, kana: bool) {
        if let Some(r) = self.reg.as_mut() {
            r.names.focus_kana(kana);
        }
        self.validate_registration();
    }

    /// A key of the kana keyboard or the digit pad.
    pub(in crate::kiosk) fn reg_key(&mut self, key: &str) {
        let Some(r) = self.reg.as_mut() else {
            return;
        };
        let target: &mut String = match r.step {
            RegStep::Name => {
                r.names.key(key);
                self.validate_registration();
                return;
            }
            RegStep::Postal => &mut r.postal,
            RegStep::Phone => &mut r.phone,
            _ => return,
        };
        type_key(target, key, |_| true);
        self.validate_registration();
    }

    pub(in crate::kiosk) fn reg_backspace(&mut self) {
        if let Some(r) = self.reg.as_mut() {
            match r.step {
                RegStep::Name => {
                    r.names.backspace();
                    None
                }
                RegStep::Postal => r.postal.pop(),
                RegStep::Phone => r.phone.pop(),
                _ => None,
            };
        }
        self.validate_registration();
    }

    /// Era picker: 0 明治 … 4 令和.
    pub fn reg_era(&mut self, index: usize) {
        if let (Some(r), Some(e)) = (self.reg.as_mut(), Era::ALL.get(index)) {
            r.era = *e;
            if let Some(max) = e.max_year() {
                r.year = r.year.min(max);
            }
        }
        self.validate_registration();
    }

    /// Steps the year, month or day by `delta` (0 year, 1 month, 2 day).
    pub fn reg_step_date(&mut self, part: usize, delta: i32) {
        if let Some(r) = self.reg.as_mut() {
            let bump = |v: u32, lo: u32, hi: u32| {
                (i64::from(v) + i64::from(delta)).clamp(i64::from(lo), i64::from(hi)) as u32
            };
            match part {
                0 => r.year = bump(r.year, 1, r.era.max_year().unwrap_or(99)),
                1 => r.month = bump(r.month, 1, 12),
                _ => r.day = bump(r.day, 1, 31),
            }
        }
        self.validate_registration();
    }

    fn birth(&self) -> Option<Result<NaiveDate, eligibility::DateError>> {
        self.reg
            .as_ref()
            .map(|r| from_era_ymd(r.era, r.year, r.month, r.day))
    }

    /// Re-checks the current step and sets its message, info and validity.
    pub(in crate::kiosk) fn validate_registration(&mut self) {
        let today = self.store.clock().today();
        let rules = self.store.policy().rules.clone();
        let birth = self.birth();
        let table_lookup =
            |code: &PostalCode, store: &crate::store::Store| store.postal_table().lookup(code);
        let postal = self.reg.as_ref().map(|r| PostalCode::parse(&r.postal));
        let residence = match &postal {
            Some(Ok(code)) => table_lookup(code, &self.store),
            _ => None,
        };
        let Some(r) = self.reg.as_mut() else {
            return;
        };
        r.message.clear();
        r.info.clear();
        r.valid = match r.step {
            RegStep::Document | RegStep::Consent | RegStep::Card => true,
            // What is missing is said when 「次へ」 is pressed (see reg_next);
            // until then the step shows what to do next.
            RegStep::Name => r.names.validated().is_ok(),
            RegStep::Birth => match birth {
                Some(Ok(b)) => {
                    let age = eligibility::age_on(b, today);
                    let ok = age.is_some_and(|a| a >= rules.minimum_age);
                    r.info = format!(
                        "{}（{}）　{}",
                        to_wareki(b),
                        jp_date::year(b),
                        age.map_or_else(
                            || "まだ生まれていない日です".to_owned(),
                            |a| format!("{a}歳")
                        )
                    );
                    if ok {
                        r.message = "参加できる年齢です。".into();
                    } else {
                        r.message = format!(
                            "{}歳になる日（{}）から参加できます。今日は登録できません。",
                            rules.minimum_age,
                            jp_date::ymd(eligibility::reaches_age_on(b, rules.minimum_age))
                        );
                    }
                    ok
                }
                Some(Err(e)) => {
                    r.info = format!("{}{}年{}月{}日", r.era.name(), r.year, r.month, r.day);
                    r.message = e.to_string();
                    false
                }
                None => false,
            },
            RegStep::Postal => match postal {
                Some(Ok(_)) => match &residence {
                    Some(res) => {
                        r.info = format!(
                            "{}{}",
                            self.store.postal_table().ward_name().unwrap_or_default(),
                            res.town.as_deref().unwrap_or("")
                        );
                        true
                    }
                    None => {
                        r.message =
                            "区外の郵便番号です。区内にお住まいの方だけが登録できます。".into();
                        false
                    }
                },
                Some(Err(e)) => {
                    if !r.postal.is_empty() {
                        r.message = e.to_string();
                    }
                    false
                }
                None => false,
            },
            RegStep::Phone => match PhoneNumber::parse(&r.phone) {
                Ok(p) => {
                    r.info = p.display();
                    true
                }
                Err(e) => {
                    if !r.phone.is_empty() {
                        r.message = e.to_string();
                    }
                    false
                }
            },
        };
    }

    /// "次へ" (or "同意を得て登録する" on the consent step).
    pub(in crate::kiosk) fn reg_next(&mut self) {
        self.validate_registration();
        let Some(r) = self.reg.as_mut() else {
            return;
        };
        if !r.valid {
            if r.step == RegStep::Name
                && let Err(e) = r.names.validated()
            {
                r.message = e;
            }
            return;
        }
        if r.reverify.is_some() {
            match r.step {
                RegStep::Document => r.step = RegStep::Birth,
                RegStep::Birth => r.step = RegStep::Postal,
                _ => {
                    self.reverify_save();
                    return;
                }
            }
            self.validate_registration();
            return;
        }
        r.step = match r.step {
            RegStep::Document => RegStep::Name,
            RegStep::Name => RegStep::Birth,
            RegStep::Birth => RegStep::Postal,
            RegStep::Postal => RegStep::Phone,
            RegStep::Phone => RegStep::Consent,
            RegStep::Consent => {
                self.reg_save();
                return;
            }
            RegStep::Card => {
                self.reg_finish();
                return;
            }
        };
        self.validate_registration();
    }

    /// "もどる": the previous step, or Today from the first.
    pub(in crate::kiosk) fn reg_back(&mut self) {
        let Some(r) = self.reg.as_mut() else {
            return;
        };
        let prev = match r.step {
            RegStep::Birth if r.reverify.is_some() => Some(RegStep::Document),
            RegStep::Document => None,
            RegStep::Name => Some(RegStep::Document),
            RegStep::Birth => Some(RegStep::Name),
            RegStep::Postal => Some(RegStep::Birth),
            RegStep::Phone => Some(RegStep::Postal),
            RegStep::Consent => Some(RegStep::Phone),
            // Registered already: leaving skips the card.
            RegStep::Card => None,
        };
        match prev {
            Some(p) => {
                r.step = p;
                self.validate_registration();
            }
            None => self.reg_finish(),
        }
    }

    fn reg_save(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(r) = self.reg.as_mut() else {
            return;
        };
        let built = (|| {
            let birth = from_era_ymd(r.era, r.year, r.month, r.day).ok()?;
            let (name, kana) = r.names.validated().ok()?;
            Some(NewParticipant {
                name,
                kana,
                phone: PhoneNumber::parse(&r.phone).ok()?,
                basis: Basis::SelfPresented,
                id_check: Some(IdCheck {
                    birth_date: birth,
                    postal: PostalCode::parse(&r.postal).ok()?,
                    document: r.document,
                }),
                address: None,
            })
        })();
        let Some(new) = built else {
            r.message = "入力に誤りがあります。前の画面で確かめてください。".into();
            return;
        };
        match self.store.register(&staff, new) {
            Ok(id) => {
                r.participant = Some(id);
                r.step = RegStep::Card;
                r.message.clear();
                r.info = "登録しました。ご本人のカードをリーダーにタッチしてください。".into();
            }
            Err(e) => r.message = e.to_string(),
        }
    }

    /// A card tapped on the card step is linked to the new participant.
    pub(in crate::kiosk) fn reg_card(
        &mut self,
        card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>,
    ) -> Signal {
        let Some(staff) = self.staff.clone() else {
            return Signal::Attention;
        };
        let Some(r) = self.reg.as_mut() else {
            return Signal::Attention;
        };
        let (RegStep::Card, Some(pid)) = (r.step, r.participant.clone()) else {
            return Signal::Attention;
        };
        let card = match card {
            Ok(c) => c,
            Err(e) => {
                r.message = e.to_string();
                return Signal::Error;
            }
        };
        match self.store.link_card(&staff, &pid, &card) {
            Ok(()) => {
                self.reg_finish();
                self.staff_message = "登録とカードの結び付けができました。".into();
                Signal::Success
            }
            Err(e) => {
                r.message = e.to_string();
                Signal::Error
            }
        }
    }

    fn reg_finish(&mut self) {
        let back_to = self.reg.take().and_then(|r| r.reverify);
        match back_to {
            Some(id) => self.search_open(&id),
            None => self.open_today(),
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
        let mut r = Registration {
            reverify: Some(id),
            ..Registration::default()
        };
        if let Some(b) = birth
            && let Some(era) = Era::of(b)
        {
            use chrono::Datelike;
            r.era = era;
            r.year = (b.year() - era.first_day().year() + 1).max(1) as u32;
            r.month = b.month();
            r.day = b.day();
        }
        if let Some(p) = postal {
            r.postal = p;
        }
        self.reg = Some(r);
        self.screen = Screen::StaffRegister;
        self.validate_registration();
    }

    fn reverify_save(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(r) = self.reg.as_mut() else {
            return;
        };
        let Some(id) = r.reverify.clone() else {
            return;
        };
        let check = (|| {
            Some(IdCheck {
                birth_date: from_era_ymd(r.era, r.year, r.month, r.day).ok()?,
                postal: PostalCode::parse(&r.postal).ok()?,
                document: r.document,
            })
        })();
        let Some(check) = check else {
            r.message = "入力に誤りがあります。前の画面で確かめてください。".into();
            return;
        };
        match self.store.reverify(&staff, &id, check) {
            Ok(_) => {
                self.reg_finish();
                if let Some(s) = self.search.as_mut() {
                    s.message = "本人確認を記録しました。".into();
                }
            }
            Err(e) => r.message = e.to_string(),
        }
    }
}
