//! Participants: registration after an ID check, lookups through blind
//! indexes, viewing, correcting, re-verifying, deleting, and card links.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::dates::or_damaged;
use super::errors::ParticipantError;
use super::{
    Actor, Cell, Keys, StaffSession, Store, open_cell, open_str, record_in, seal, seal_cell,
};
use crate::eligibility::{self, PhoneNumber, PostalCode};
use crate::error::{Error, Result};

/// The purpose statement read to every person before their data is recorded
/// (特記事項 4: tell the person the purpose and collect from them directly).
pub const PURPOSE_STATEMENT: &str = "この記録は、新宿区の高齢者地域交流スペースの事業（いきがいつくり支援・地域交流支援・介護予防）への参加の受付と、参加状況の把握、抽選のある教室のご連絡のためだけに使います。ほかの目的には使わず、区の許可なく外に出すことはありません。ご本人のお申し出により、いつでも確認・訂正・削除ができます。";

/// Version tag of [`PURPOSE_STATEMENT`], stored with each consent.
pub const PURPOSE_VERSION: &str = "purpose-2026-1";

/// The ID document shown at the desk. Only its kind is kept, never its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// 健康保険証 (a health insurance card).
    HealthInsurance,
    /// 後期高齢者医療被保険者証 (the insurance card of people 75 and over).
    LateElderlyInsurance,
    /// 介護保険被保険者証 (long-term care insurance card).
    CareInsurance,
    /// マイナンバーカード; only its kind is recorded, never the number.
    MyNumberCard,
    /// 運転免許証.
    DriversLicence,
    /// 在留カード (foreign residents).
    ResidenceCard,
    /// その他の公的な身分証: another official document with the birth date.
    Other,
}

impl DocumentKind {
    /// Every kind, in the order staff choose from.
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::HealthInsurance,
        DocumentKind::LateElderlyInsurance,
        DocumentKind::CareInsurance,
        DocumentKind::MyNumberCard,
        DocumentKind::DriversLicence,
        DocumentKind::ResidenceCard,
        DocumentKind::Other,
    ];

    /// The value stored in `participants.document`.
    pub fn code(self) -> &'static str {
        match self {
            Self::HealthInsurance => "health_insurance",
            Self::LateElderlyInsurance => "late_elderly_insurance",
            Self::CareInsurance => "care_insurance",
            Self::MyNumberCard => "my_number_card",
            Self::DriversLicence => "drivers_licence",
            Self::ResidenceCard => "residence_card",
            Self::Other => "other",
        }
    }

    /// The document's Japanese name, as staff choose it and see it.
    pub fn label(self) -> &'static str {
        match self {
            Self::HealthInsurance => "健康保険証",
            Self::LateElderlyInsurance => "後期高齢者医療被保険者証",
            Self::CareInsurance => "介護保険被保険者証",
            Self::MyNumberCard => "マイナンバーカード",
            Self::DriversLicence => "運転免許証",
            Self::ResidenceCard => "在留カード",
            Self::Other => "その他の公的な身分証",
        }
    }

    /// Reads a stored code or the Japanese name; `None` for anything else.
    pub fn parse(s: &str) -> Option<DocumentKind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s || k.label() == s)
    }
}

/// How the person's data reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Collected from the person at the desk after an ID check.
    SelfPresented,
    /// Handed over by the ward with the person's consent (hobby-group members).
    WardProvided,
}

impl Basis {
    /// The value stored in `participants.basis`: `self` or `ward`.
    pub fn code(self) -> &'static str {
        match self {
            Basis::SelfPresented => "self",
            Basis::WardProvided => "ward",
        }
    }

    /// The basis in Japanese, shown to staff and in disclosure reports.
    pub fn label(self) -> &'static str {
        match self {
            Basis::SelfPresented => "本人から収集",
            Basis::WardProvided => "区から提供（本人同意）",
        }
    }
}

/// What staff read off the ID document.
#[derive(Debug, Clone)]
pub struct IdCheck {
    /// The birth date printed on the document.
    pub birth_date: NaiveDate,
    /// The postal code of the address on the document (decides the 町名 kept for statistics).
    pub postal: PostalCode,
    /// Which document it was (never its number).
    pub document: DocumentKind,
}

/// A person to register.
pub struct NewParticipant {
    /// Full name as the person writes it.
    pub name: String,
    /// Furigana (読み仮名); search and the kiosk's greeting use it.
    pub kana: String,
    /// Phone number, normalised; searched through its blind index.
    pub phone: PhoneNumber,
    /// How the data reached the store.
    pub basis: Basis,
    /// Required for [`Basis::SelfPresented`].
    pub id_check: Option<IdCheck>,
    /// Only when they apply for a lottery class.
    pub address: Option<String>,
}

/// A participant as staff see it. Debug output is redacted.
pub struct Participant {
    /// Row id in `participants` (a random UUID; staff see its first 8 characters).
    pub id: String,
    /// Full name (decrypted).
    pub name: Zeroizing<String>,
    /// Furigana (decrypted).
    pub kana: Zeroizing<String>,
    /// Phone number as entered (decrypted).
    pub phone: Zeroizing<String>,
    /// Birth date from the ID check; `None` for ward-provided members without one.
    pub birth_date: Option<NaiveDate>,
    /// Postal code from the ID check (decrypted).
    pub postal_code: Option<Zeroizing<String>>,
    /// The 町名 the postal code belongs to (for statistics; sealed with the statistics key).
    pub town: Option<Zeroizing<String>>,
    /// Postal address, kept only while a lottery application needs it.
    pub address: Option<Zeroizing<String>>,
    /// How the data reached the store.
    pub basis: Basis,
    /// The kind of ID document last checked.
    pub document: Option<DocumentKind>,
    /// The day of the last ID check; re-verification is due some months after.
    pub verified_on: Option<NaiveDate>,
    /// Staff id of who did the last ID check.
    pub verified_by: Option<String>,
    /// Version tag of the purpose statement the person agreed to (see [`PURPOSE_VERSION`]).
    pub consent_purpose: String,
    /// The day they agreed.
    pub consent_on: NaiveDate,
    /// Cards linked to the person.
    pub cards: u32,
}

impl std::fmt::Debug for Participant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Participant")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A search hit: enough to pick the right person, nothing more.
pub struct ParticipantSummary {
    /// Row id in `participants`.
    pub id: String,
    /// Full name (decrypted).
    pub name: Zeroizing<String>,
    /// Furigana (decrypted).
    pub kana: Zeroizing<String>,
    /// Birth date, to tell apart people with the same name.
    pub birth_date: Option<NaiveDate>,
}

impl std::fmt::Debug for ParticipantSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParticipantSummary")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// One field staff may correct.
pub enum Correction {
    /// A new full name (kanji as written by the person).
    Name(String),
    /// A new furigana (読み仮名).
    Kana(String),
    /// A new phone number; its blind index is recomputed.
    Phone(PhoneNumber),
    /// A new postal address, or `None` to delete it.
    Address(Option<String>),
}

impl Correction {
    fn column(&self) -> &'static str {
        match self {
            Correction::Name(_) => "name",
            Correction::Kana(_) => "kana",
            Correction::Phone(_) => "phone",
            Correction::Address(_) => "address",
        }
    }
}

/// Names: trimmed, 1–50 characters, no control characters.
pub fn normalize_name(input: &str) -> Result<String> {
    let s: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = s.chars().count();
    if n == 0 {
        return Err(ParticipantError::NameMissing.into());
    }
    if n > 50 || s.chars().any(char::is_control) {
        return Err(ParticipantError::NameForm.into());
    }
    Ok(s)
}

/// Kana: hiragana become katakana, spaces fold to one, only kana remain.
pub fn normalize_kana(input: &str) -> Result<String> {
    let mut out = String::new();
    for word in input.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            let c = match c {
                // Hiragana → katakana: the blocks are 0x60 apart.
                'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
                _ => c,
            };
            if !matches!(c, 'ァ'..='ヺ' | 'ー' | '・' | 'ヽ' | 'ヾ') {
                return Err(ParticipantError::KanaForm.into());
            }
            out.push(c);
        }
    }
    if out.is_empty() {
        return Err(ParticipantError::KanaMissing.into());
    }
    if out.chars().count() > 80 {
        return Err(ParticipantError::KanaTooLong.into());
    }
    Ok(out)
}

/// Addresses: trimmed, 1–200 characters, no control characters.
pub fn normalize_address(input: &str) -> Result<String> {
    let s = input.trim();
    let n = s.chars().count();
    if n == 0 || n > 200 || s.chars().any(char::is_control) {
        return Err(ParticipantError::AddressForm.into());
    }
    Ok(s.to_owned())
}

pub(crate) fn kana_key(kana: &str) -> String {
    kana.chars().filter(|c| *c != ' ' && *c != '・').collect()
}

const T: &str = "participants";

/// The birth date as sealed in its cell: the `YYYY-MM-DD` of the clear
/// date columns, which rusqlite's `chrono` feature writes (`store::dates`).
fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A sealed birth date that does not read, once opened.
fn parse_date_cell(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ParticipantError::DamagedDate.into())
}

/// A record's clear date column (`verified_on`, `consent_on`) that does not
/// read.
fn damaged_date(e: rusqlite::Error) -> Error {
    or_damaged(e, || ParticipantError::DamagedDate.into())
}

impl Store {
    fn phone_bidx(&self, keys: &Keys, phone: &PhoneNumber) -> Result<i64> {
        Ok(i64::from(
            keys.personal()?
                .phone_index
                .index(phone.digits().as_bytes(), self.blind_bits()),
        ))
    }

    /// Ids of participants whose stored phone equals `phone` (decrypted to confirm).
    fn ids_with_phone(&self, phone: &PhoneNumber) -> Result<Vec<String>> {
        let keys = self.keys()?;
        let mut stmt = self
            .conn()
            .prepare("SELECT id, phone, rev FROM participants WHERE phone_bidx = ?1")?;
        let rows = stmt.query_map([self.phone_bidx(keys, phone)?], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, blob, rev) = row?;
            if open_str(keys, Cell::participant("phone", &id, rev), &blob)?.as_str()
                == phone.digits()
            {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Registers a person. For self-presented registrations the ID check must
    /// show an address in the ward and age 60 or over today. A person with the
    /// same phone and birth date (or kana) is refused as a probable duplicate.
    pub fn register(&mut self, staff: &StaffSession, p: NewParticipant) -> Result<String> {
        staff.require(true)?;
        // Age and consent are decided on today's date: not on a clock that went back.
        self.require_trusted_clock()?;
        let name = normalize_name(&p.name)?;
        let kana = normalize_kana(&p.kana)?;
        let address = p.address.as_deref().map(normalize_address).transpose()?;
        let today = self.clock().today();
        let residence = match (&p.basis, &p.id_check) {
            (Basis::SelfPresented, None) => {
                return Err(ParticipantError::IdNotChecked.into());
            }
            (_, Some(check)) => {
                let residence = self.postal_table().lookup(&check.postal);
                let decision = eligibility::decide_in_ward(
                    check.birth_date,
                    residence.as_ref(),
                    self.postal_table().ward_name().unwrap_or("対象の区"),
                    today,
                    &self.policy().rules,
                );
                if !decision.eligible {
                    return Err(Error::NotEligible(format!(
                        "対象外のため登録できません。{}",
                        decision.reasons.join("")
                    )));
                }
                residence
            }
            (Basis::WardProvided, None) => None,
        };

        // Probable duplicates: same phone and the same birth date or kana.
        for id in self.ids_with_phone(&p.phone)? {
            let other = self.load(&id)?;
            let same_birth = matches!((&other.birth_date, &p.id_check), (Some(b), Some(c)) if *b == c.birth_date);
            if same_birth || kana_key(&other.kana) == kana_key(&kana) {
                return Err(Error::DuplicateParticipant {
                    existing: short_id(&id),
                });
            }
        }

        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        let fields = insert_participant(
            &tx,
            keys,
            bits,
            &ParticipantRow {
                id: &id,
                name: &name,
                kana: &kana,
                phone: p.phone.digits(),
                birth_date: p.id_check.as_ref().map(|c| c.birth_date),
                postal_code: p.id_check.as_ref().map(|c| c.postal.digits()),
                town: residence.as_ref().and_then(|r| r.town.as_deref()),
                address: address.as_deref(),
                basis: p.basis,
                document: p.id_check.as_ref().map(|c| c.document),
                verified: p.id_check.as_ref().map(|_| (today, staff.staff_id())),
                consent_on: today,
            },
            &now,
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::Create,
            &id,
            &fields,
            "ok",
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Decrypts one participant (no audit: callers record why they looked).
    pub(crate) fn load(&self, id: &str) -> Result<Participant> {
        let keys = self.keys()?;
        let row = self
            .conn()
            .query_row(
                "SELECT name, kana, phone, birth_date, postal_code, town, address, basis,
                        document, verified_on, verified_by, consent_purpose, consent_on,
                        (SELECT count(*) FROM cards c WHERE c.participant_id = p.id), rev
                 FROM participants p WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                        r.get::<_, Option<Vec<u8>>>(3)?,
                        r.get::<_, Option<Vec<u8>>>(4)?,
                        r.get::<_, Option<Vec<u8>>>(5)?,
                        r.get::<_, Option<Vec<u8>>>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, Option<Vec<u8>>>(8)?,
                        r.get::<_, Option<NaiveDate>>(9)?,
                        r.get::<_, Option<String>>(10)?,
                        r.get::<_, String>(11)?,
                        r.get::<_, NaiveDate>(12)?,
                        r.get::<_, u32>(13)?,
                        r.get::<_, i64>(14)?,
                    ))
                },
            )
            .optional()
            .map_err(damaged_date)?
            .ok_or(Error::NotFound { what: "参加者" })?;
        let (
            name,
            kana,
            phone,
            birth,
            postal,
            town,
            address,
            basis,
            doc,
            von,
            vby,
            purpose,
            con,
            cards,
            rev,
        ) = row;
        let opt = |col: &str, b: Option<Vec<u8>>| -> Result<Option<Zeroizing<String>>> {
            b.map(|b| open_str(keys, Cell::participant(col, id, rev), &b))
                .transpose()
        };
        let birth_date = opt("birth_date", birth)?
            .map(|s| parse_date_cell(&s))
            .transpose()?;
        Ok(Participant {
            id: id.to_owned(),
            name: open_str(keys, Cell::participant("name", id, rev), &name)?,
            kana: open_str(keys, Cell::participant("kana", id, rev), &kana)?,
            phone: open_str(keys, Cell::participant("phone", id, rev), &phone)?,
            birth_date,
            postal_code: opt("postal_code", postal)?,
            town: opt("town", town)?,
            address: opt("address", address)?,
            basis: if basis == "ward" {
                Basis::WardProvided
            } else {
                Basis::SelfPresented
            },
            document: opt("document", doc)?
                .as_deref()
                .and_then(|d| DocumentKind::parse(d)),
            verified_on: von,
            verified_by: vby,
            consent_purpose: purpose,
            consent_on: con,
            cards,
        })
    }

    /// Shows one participant to staff; recorded as a view.
    pub fn participant(&mut self, staff: &StaffSession, id_or_prefix: &str) -> Result<Participant> {
        staff.require(true)?;
        let id = self.resolve_id(T, "参加者", id_or_prefix)?;
        let p = self.load(&id)?;
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::View,
            &id,
            &[
                "name",
                "kana",
                "phone",
                "birth_date",
                "postal_code",
                "town",
                "address",
            ],
            "ok",
        )?;
        Ok(p)
    }

    fn summaries(&self, ids: &[String]) -> Result<Vec<ParticipantSummary>> {
        ids.iter()
            .map(|id| {
                let p = self.load(id)?;
                Ok(ParticipantSummary {
                    id: p.id,
                    name: p.name,
                    kana: p.kana,
                    birth_date: p.birth_date,
                })
            })
            .collect()
    }

    /// Finds participants by phone through the blind index.
    pub fn find_by_phone(
        &mut self,
        staff: &StaffSession,
        phone: &PhoneNumber,
    ) -> Result<Vec<ParticipantSummary>> {
        staff.require(true)?;
        let ids = self.ids_with_phone(phone)?;
        let found = self.summaries(&ids)?;
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::Search,
            "",
            &["phone"],
            &format!("{}_found", found.len()),
        )?;
        Ok(found)
    }

    /// Finds participants whose kana starts with (or, from 2 characters, contains)
    /// the typed kana. Kana has no blind index (partial matches are what staff
    /// need), so the kana column is decrypted; a few thousand rows take milliseconds.
    pub fn find_by_kana(
        &mut self,
        staff: &StaffSession,
        kana: &str,
    ) -> Result<Vec<ParticipantSummary>> {
        staff.require(true)?;
        let wanted = kana_key(&normalize_kana(kana)?);
        let ids = {
            let keys = self.keys()?;
            let mut stmt = self
                .conn()
                .prepare("SELECT id, kana, rev FROM participants")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?;
            let mut ids = Vec::new();
            for row in rows {
                let (id, blob, rev) = row?;
                let k = kana_key(&open_str(keys, Cell::participant("kana", &id, rev), &blob)?);
                let hit =
                    k.starts_with(&wanted) || (wanted.chars().count() >= 2 && k.contains(&wanted));
                if hit {
                    ids.push(id);
                }
            }
            ids
        };
        let mut found = self.summaries(&ids)?;
        found.sort_by(|a, b| a.kana.as_str().cmp(b.kana.as_str()));
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::Search,
            "",
            &["kana"],
            &format!("{}_found", found.len()),
        )?;
        Ok(found)
    }

    /// Corrects one field at the person's request (開示・訂正).
    pub fn correct(
        &mut self,
        staff: &StaffSession,
        id_or_prefix: &str,
        change: Correction,
    ) -> Result<()> {
        staff.require(true)?;
        let id = self.resolve_id(T, "参加者", id_or_prefix)?;
        let col = change.column();
        let now = self.now();
        let value: Option<String> = match change {
            Correction::Name(n) => Some(normalize_name(&n)?),
            Correction::Kana(k) => Some(normalize_kana(&k)?),
            Correction::Phone(p) => Some(p.digits().to_owned()),
            Correction::Address(a) => a.as_deref().map(normalize_address).transpose()?,
        };
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        rewrite_participant(&tx, keys, bits, &id, &[(col, value.as_deref())], &now)?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::Update,
            &id,
            &[col],
            "ok",
        )?;
        tx.commit()?;
        // The replaced ciphertext must not stay in the WAL.
        self.checkpoint()
    }

    /// Records a new ID check (re-verification): birth date, postal code and town
    /// are replaced, the check date becomes today.
    pub fn reverify(
        &mut self,
        staff: &StaffSession,
        id_or_prefix: &str,
        check: IdCheck,
    ) -> Result<eligibility::Decision> {
        staff.require(true)?;
        let id = self.resolve_id(T, "参加者", id_or_prefix)?;
        let today = self.clock().today();
        let residence = self.postal_table().lookup(&check.postal);
        let decision = eligibility::decide_in_ward(
            check.birth_date,
            residence.as_ref(),
            self.postal_table().ward_name().unwrap_or("対象の区"),
            today,
            &self.policy().rules,
        );
        let now = self.now();
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        let town = residence.as_ref().and_then(|r| r.town.as_deref());
        rewrite_participant(
            &tx,
            keys,
            bits,
            &id,
            &[
                ("birth_date", Some(&date_text(check.birth_date))),
                ("postal_code", Some(check.postal.digits())),
                ("town", town),
                ("document", Some(check.document.code())),
            ],
            &now,
        )?;
        tx.execute(
            "UPDATE participants SET verified_on = ?2, verified_by = ?3,
               basis = CASE WHEN basis = 'ward' THEN 'ward' ELSE 'self' END
             WHERE id = ?1",
            params![id, today, staff.staff_id()],
        )?;
        let result = if decision.eligible {
            "eligible"
        } else {
            "not_eligible"
        };
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::Update,
            &id,
            &[
                "birth_date",
                "postal_code",
                "town",
                "document",
                "verified_on",
            ],
            result,
        )?;
        tx.commit()?;
        Ok(decision)
    }

    /// Deletes a person and everything linked to them (their request, or they
    /// moved out of the ward). Pages are zeroed by `secure_delete`.
    pub fn delete_participant(&mut self, staff: &StaffSession, id_or_prefix: &str) -> Result<()> {
        staff.require(true)?;
        let id = self.resolve_id(T, "参加者", id_or_prefix)?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute("DELETE FROM participants WHERE id = ?1", [&id])?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::Delete,
            &id,
            &["*"],
            "ok",
        )?;
        tx.commit()?;
        // The deleted ciphertext must not stay in the WAL.
        self.checkpoint()
    }

    /// Links a card the person already carries. Only a keyed token of the card's
    /// identifier is stored (sealed, with a blind index for lookups).
    pub fn link_card(
        &mut self,
        staff: &StaffSession,
        id_or_prefix: &str,
        card: &tsudoi_hw::CardId,
    ) -> Result<()> {
        staff.require(true)?;
        let id = self.resolve_id(T, "参加者", id_or_prefix)?;
        if self.participant_by_card(card)?.is_some() {
            return Err(Error::CardInUse);
        }
        let card_row = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        insert_card(
            &tx,
            keys,
            bits,
            &card_row,
            &id,
            card,
            &now,
            staff.staff_id(),
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::CardLink,
            &id,
            &["card_token"],
            "ok",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The participant a card belongs to, through the card blind index.
    pub fn participant_by_card(&self, card: &tsudoi_hw::CardId) -> Result<Option<String>> {
        let keys = self.keys()?;
        let personal = keys.personal()?;
        let token = personal
            .card_tokens
            .token(card.uid(), card.technology().code());
        let bidx = i64::from(personal.card_index.index(&token.0, self.blind_bits()));
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, participant_id, token FROM cards WHERE token_bidx = ?1")?;
        let mut rows = stmt.query([bidx])?;
        while let Some(r) = rows.next()? {
            let row_id: String = r.get(0)?;
            let participant_id: String = r.get(1)?;
            let blob: Vec<u8> = r.get(2)?;
            // The token cell is bound to the participant it links to: a card
            // row pointed at someone else does not open (FORMAT.md 8.4).
            let stored = open_cell(keys, card_cell(&row_id, &participant_id), &blob)?;
            if stored.as_slice() == token.0.as_slice() {
                return Ok(Some(participant_id));
            }
        }
        Ok(None)
    }

    /// Birth date and last check date, for the check-in rules (no audit entry).
    pub(crate) fn eligibility_facts(
        &self,
        id: &str,
    ) -> Result<(Option<NaiveDate>, Option<NaiveDate>, Basis)> {
        let keys = self.keys()?;
        let (birth, verified, basis, rev): (Option<Vec<u8>>, Option<NaiveDate>, String, i64) = self
            .conn()
            .prepare_cached(
                "SELECT birth_date, verified_on, basis, rev FROM participants WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()
            .map_err(damaged_date)?
            .ok_or(Error::NotFound { what: "参加者" })?;
        let birth = birth
            .map(|b| open_str(keys, Cell::participant("birth_date", id, rev), &b))
            .transpose()?
            .map(|s| parse_date_cell(&s))
            .transpose()?;
        let basis = if basis == "ward" {
            Basis::WardProvided
        } else {
            Basis::SelfPresented
        };
        Ok((birth, verified, basis))
    }

    /// The kana of one participant, for the welcome screen (no audit entry:
    /// the person is shown their own name).
    pub(crate) fn kana_of(&self, id: &str) -> Result<Zeroizing<String>> {
        let keys = self.keys()?;
        let (blob, rev): (Vec<u8>, i64) = self
            .conn()
            .prepare_cached("SELECT kana, rev FROM participants WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        open_str(keys, Cell::participant("kana", id, rev), &blob)
    }

    /// How many participants are registered.
    pub fn participant_count(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM participants", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }
}

/// One participant row to write, values in the clear (sealed on the way in).
pub(crate) struct ParticipantRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kana: &'a str,
    /// Normalized digits.
    pub phone: &'a str,
    pub birth_date: Option<NaiveDate>,
    pub postal_code: Option<&'a str>,
    pub town: Option<&'a str>,
    pub address: Option<&'a str>,
    pub basis: Basis,
    pub document: Option<DocumentKind>,
    /// When and by whom the ID document was checked.
    pub verified: Option<(NaiveDate, &'a str)>,
    pub consent_on: NaiveDate,
}

/// Seals and inserts one participant; returns the names of the fields written.
pub(crate) fn insert_participant(
    tx: &rusqlite::Connection,
    keys: &Keys,
    blind_bits: u8,
    row: &ParticipantRow<'_>,
    now: &str,
) -> Result<Vec<&'static str>> {
    let birth = row.birth_date.map(date_text);
    let mut cells: Cells = Default::default();
    let values = [
        Some(row.name),
        Some(row.kana),
        Some(row.phone),
        birth.as_deref(),
        row.postal_code,
        row.town,
        row.address,
        row.document.map(DocumentKind::code),
    ];
    for (cell, value) in cells.iter_mut().zip(values) {
        *cell = value.map(|v| Zeroizing::new(v.to_owned()));
    }
    let fields: Vec<&'static str> = CELL_COLUMNS
        .iter()
        .zip(&cells)
        .filter(|(c, v)| v.is_some() && **c != "document")
        .map(|(c, _)| *c)
        .collect();
    tx.prepare_cached(
        "INSERT INTO participants (id, key_id, name, kana, phone, phone_bidx, basis, verified_on,
           verified_by, consent_purpose, consent_on, created_at, updated_at, rev)
         VALUES (?1, '', x'', x'', x'', 0, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 0)",
    )?
    .execute(params![
        row.id,
        row.basis.code(),
        row.verified.map(|(d, _)| d),
        row.verified.map(|(_, by)| by),
        PURPOSE_VERSION,
        row.consent_on,
        now,
    ])?;
    write_cells(tx, keys, blind_bits, row.id, 1, &cells, None)?;
    Ok(fields)
}

/// The sealed columns of a participant row, in this order (FORMAT.md 8.4).
pub(crate) const CELL_COLUMNS: [&str; 8] = [
    "name",
    "kana",
    "phone",
    "birth_date",
    "postal_code",
    "town",
    "address",
    "document",
];

/// A participant's sealed columns in the clear, indexed like [`CELL_COLUMNS`].
pub(crate) type Cells = [Option<Zeroizing<String>>; 8];

/// Reads and opens every cell of a participant; returns the row's revision.
pub(crate) fn read_cells(
    conn: &rusqlite::Connection,
    keys: &Keys,
    id: &str,
) -> Result<(i64, Cells)> {
    let (rev, blobs): (i64, Vec<Option<Vec<u8>>>) = conn
        .prepare_cached(
            "SELECT rev, name, kana, phone, birth_date, postal_code, town, address, document
             FROM participants WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let mut blobs = Vec::with_capacity(8);
            for i in 1..=8 {
                blobs.push(r.get::<_, Option<Vec<u8>>>(i)?);
            }
            Ok((r.get(0)?, blobs))
        })
        .optional()?
        .ok_or(Error::NotFound { what: "参加者" })?;
    let mut cells: Cells = Default::default();
    for ((cell, column), blob) in cells.iter_mut().zip(CELL_COLUMNS).zip(blobs) {
        *cell = blob
            .map(|b| open_str(keys, Cell::participant(column, id, rev), &b))
            .transpose()?;
    }
    Ok((rev, cells))
}

/// Seals every cell of a participant at revision `rev` and writes them with
/// the phone's blind index (and `updated_at` when given).
pub(crate) fn write_cells(
    tx: &rusqlite::Connection,
    keys: &Keys,
    blind_bits: u8,
    id: &str,
    rev: i64,
    cells: &Cells,
    updated_at: Option<&str>,
) -> Result<()> {
    let mut sealed: Vec<Option<Vec<u8>>> = Vec::with_capacity(8);
    for (cell, column) in cells.iter().zip(CELL_COLUMNS) {
        sealed.push(
            cell.as_deref()
                .map(|v| seal(keys, Cell::participant(column, id, rev), v))
                .transpose()?,
        );
    }
    let personal = keys.personal()?;
    let phone = cells
        .get(2)
        .and_then(Option::as_deref)
        .ok_or(ParticipantError::PhoneMissing)?;
    let bidx = i64::from(personal.phone_index.index(phone.as_bytes(), blind_bits));
    let get = |i: usize| sealed.get(i).cloned().flatten();
    tx.prepare_cached(
        "UPDATE participants SET name = ?2, kana = ?3, phone = ?4, birth_date = ?5,
           postal_code = ?6, town = ?7, address = ?8, document = ?9, document_kind = NULL,
           phone_bidx = ?10, rev = ?11, key_id = ?12, updated_at = coalesce(?13, updated_at)
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        get(0),
        get(1),
        get(2),
        get(3),
        get(4),
        get(5),
        get(6),
        get(7),
        bidx,
        rev,
        personal.cells.key_id().to_string(),
        updated_at,
    ])?;
    Ok(())
}

/// Changes some cells of a participant: every cell is re-sealed under the
/// next revision, so no older ciphertext of any of them opens again.
pub(crate) fn rewrite_participant(
    tx: &rusqlite::Connection,
    keys: &Keys,
    blind_bits: u8,
    id: &str,
    changes: &[(&str, Option<&str>)],
    now: &str,
) -> Result<()> {
    let (rev, mut cells) = read_cells(tx, keys, id)?;
    for (column, value) in changes {
        let i = CELL_COLUMNS
            .iter()
            .position(|c| c == column)
            .ok_or(ParticipantError::NotCorrectable)?;
        if let Some(cell) = cells.get_mut(i) {
            *cell = value.map(|v| Zeroizing::new(v.to_owned()));
        }
    }
    write_cells(tx, keys, blind_bits, id, rev + 1, &cells, Some(now))
}

/// The place of a card's token cell: bound to the participant it links to.
pub(crate) fn card_cell<'a>(card_row: &'a str, participant_id: &'a str) -> Cell<'a> {
    Cell {
        table: "cards",
        column: "token",
        row_id: card_row,
        rev: 0,
        bound: participant_id,
    }
}

/// Inserts a card row: the token (a keyed hash of the card's identifier) is
/// sealed bound to the participant, with its blind index.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_card(
    tx: &rusqlite::Connection,
    keys: &Keys,
    blind_bits: u8,
    card_row: &str,
    participant_id: &str,
    card: &tsudoi_hw::CardId,
    now: &str,
    staff_id: &str,
) -> Result<()> {
    let personal = keys.personal()?;
    let token = personal
        .card_tokens
        .token(card.uid(), card.technology().code());
    let bidx = i64::from(personal.card_index.index(&token.0, blind_bits));
    let sealed = seal_cell(keys, card_cell(card_row, participant_id), &token.0)?;
    tx.prepare_cached(
        "INSERT INTO cards (id, participant_id, key_id, token, token_bidx, linked_at, linked_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        card_row,
        participant_id,
        personal.cells.key_id().to_string(),
        sealed,
        bidx,
        now,
        staff_id
    ])?;
    Ok(())
}

/// The first 8 characters of an id: what staff read and type.
pub fn short_id(id: &str) -> String {
    id.chars().take(8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_is_normalized_to_katakana() {
        assert_eq!(normalize_kana(" やまだ　はなこ ").unwrap(), "ヤマダ ハナコ");
        assert_eq!(normalize_kana("ヤマダ ハナコ").unwrap(), "ヤマダ ハナコ");
        assert!(normalize_kana("山田").is_err());
        assert!(normalize_kana("   ").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(normalize_name("  試験　 太郎 ").unwrap(), "試験 太郎");
        assert!(normalize_name("").is_err());
        assert!(normalize_name(&"あ".repeat(51)).is_err());
        assert!(normalize_name("a\u{7}b").is_err());
    }

    #[test]
    fn documents_parse_by_code_and_label() {
        assert_eq!(
            DocumentKind::parse("健康保険証"),
            Some(DocumentKind::HealthInsurance)
        );
        assert_eq!(
            DocumentKind::parse("my_number_card"),
            Some(DocumentKind::MyNumberCard)
        );
        assert_eq!(DocumentKind::parse("学生証"), None);
    }
}
