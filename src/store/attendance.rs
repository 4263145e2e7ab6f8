//! Check-in: one attendance row per person per session, with the eligibility
//! rules applied on the session's date.

use chrono::NaiveDate;
use rusqlite::params;
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::participants::Basis;
use super::{Actor, Store, record_in};
use crate::eligibility;
use crate::error::{Error, Result};
use crate::jp_date;

/// How a check-in was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckInMethod {
    /// The resident tapped their card.
    Card,
    /// Staff checked the person in by hand.
    Staff,
}

impl CheckInMethod {
    /// The value stored in `attendance.method` and written in the audit log: `card` or `staff`.
    pub fn code(self) -> &'static str {
        match self {
            CheckInMethod::Card => "card",
            CheckInMethod::Staff => "staff",
        }
    }
}

/// What a check-in attempt came to. Each is a distinct screen at the kiosk.
pub enum CheckInOutcome {
    /// Recorded now.
    CheckedIn {
        /// The person's furigana, to greet them by name on screen.
        kana: Zeroizing<String>,
        /// The session's title as staff entered it.
        session_title: String,
    },
    /// Already recorded for this session; nothing changed.
    AlreadyCheckedIn {
        /// The person's furigana, to greet them by name on screen.
        kana: Zeroizing<String>,
        /// The session's title as staff entered it.
        session_title: String,
    },
    /// Not yet 60 on the session's date.
    NotEligible {
        /// The day the person reaches the minimum age (Japanese law: the day
        /// before the birthday), to tell them when they may come.
        reaches_age_on: NaiveDate,
    },
    /// The last ID check is too old: staff must look at the document again.
    ReverificationDue {
        /// The day the re-verification fell due (last check plus the
        /// configured months).
        due_since: NaiveDate,
    },
    /// A first-come session that is full.
    SessionFull,
    /// A lottery class, and the person holds no seat in it (never applied,
    /// not selected, cancelled, or waiting at `waiting_rank`).
    NoSeat {
        /// The lottery class's title.
        class_title: String,
        /// The person's place on the waiting list, if they are on it.
        waiting_rank: Option<u32>,
    },
}

impl std::fmt::Debug for CheckInOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl CheckInOutcome {
    /// A stable name for logs and the audit result (no personal data).
    pub fn code(&self) -> &'static str {
        match self {
            CheckInOutcome::CheckedIn { .. } => "checked_in",
            CheckInOutcome::AlreadyCheckedIn { .. } => "already_checked_in",
            CheckInOutcome::NotEligible { .. } => "not_eligible",
            CheckInOutcome::ReverificationDue { .. } => "reverification_due",
            CheckInOutcome::SessionFull => "session_full",
            CheckInOutcome::NoSeat { .. } => "no_seat",
        }
    }

    /// The sentence shown to the person.
    pub fn message(&self) -> String {
        match self {
            CheckInOutcome::CheckedIn {
                kana,
                session_title,
            } => {
                format!(
                    "{} さん、ようこそ。「{session_title}」の受付ができました。",
                    kana.as_str()
                )
            }
            CheckInOutcome::AlreadyCheckedIn {
                kana,
                session_title,
            } => format!(
                "{} さんは「{session_title}」の受付がもう済んでいます。",
                kana.as_str()
            ),
            CheckInOutcome::NotEligible { reaches_age_on } => format!(
                "この活動は60歳以上の方が対象です。{}から参加できます。受付にお声がけください。",
                jp_date::ymd(*reaches_age_on)
            ),
            CheckInOutcome::ReverificationDue { .. } => {
                "ご本人確認の時期です。受付で保険証などを見せてください。".to_owned()
            }
            CheckInOutcome::SessionFull => {
                "この活動は定員に達しました。受付にお声がけください。".to_owned()
            }
            CheckInOutcome::NoSeat {
                class_title,
                waiting_rank,
            } => match waiting_rank {
                Some(rank) => format!(
                    "「{class_title}」は、申し込んで当選した方の教室です。いまは補欠 {rank}番です。空きが出たらご連絡します。"
                ),
                None => format!("「{class_title}」は、申し込んで当選した方の教室です。"),
            },
        }
    }
}

impl Store {
    /// Checks a participant in to a session, applying the rules on the
    /// session's date. Appends an audit entry and commits durably.
    pub fn check_in(
        &mut self,
        actor: &Actor,
        participant_id: &str,
        session_id: &str,
        method: CheckInMethod,
    ) -> Result<CheckInOutcome> {
        let now = self.now();
        self.check_in_with(actor, participant_id, session_id, method, false, now)
    }

    /// [`Self::check_in`] recorded at `at` (RFC 3339) instead of now: the
    /// demo's synthetic year checks its lottery classes' seat holders in
    /// through the same rules, on the days the classes met.
    pub(crate) fn check_in_at(
        &mut self,
        participant_id: &str,
        session_id: &str,
        at: String,
    ) -> Result<CheckInOutcome> {
        self.check_in_with(
            &Actor::Kiosk,
            participant_id,
            session_id,
            CheckInMethod::Card,
            false,
            at,
        )
    }

    /// Staff check a person in to a lottery class although they hold no seat
    /// (a seat holder's companion, a move-up not yet recorded), after seeing
    /// the warning. The other rules still apply; the audit entry says so.
    pub fn check_in_without_seat(
        &mut self,
        staff: &super::StaffSession,
        participant_id: &str,
        session_id: &str,
    ) -> Result<CheckInOutcome> {
        let now = self.now();
        self.check_in_with(
            &Actor::Staff(staff.clone()),
            participant_id,
            session_id,
            CheckInMethod::Staff,
            true,
            now,
        )
    }

    fn check_in_with(
        &mut self,
        actor: &Actor,
        participant_id: &str,
        session_id: &str,
        method: CheckInMethod,
        seat_confirmed: bool,
        now: String,
    ) -> Result<CheckInOutcome> {
        if let Actor::Staff(s) = actor {
            s.require(true)?;
        }
        self.require_trusted_clock()?;
        let session = self.session_for_check_in(session_id)?;
        let mut refusal = self.refusal_on(participant_id, session.date)?;
        let seat_refusal = match refusal {
            None => self.seat_refusal(participant_id, &session)?,
            Some(_) => None,
        };
        let overridden = seat_confirmed && seat_refusal.is_some();
        if !seat_confirmed {
            refusal = refusal.or(seat_refusal);
        }
        let refusal = refusal.or_else(|| match (session.mode, session.capacity) {
            (super::sessions::SessionMode::FirstCome, Some(cap)) if session.attendance >= cap => {
                Some(CheckInOutcome::SessionFull)
            }
            _ => None,
        });

        let kana = if refusal.is_none() {
            Some(self.kana_of(participant_id)?)
        } else {
            None
        };
        let staff_id = match actor {
            Actor::Staff(s) => Some(s.staff_id().to_owned()),
            Actor::Kiosk => None,
        };
        let (tx, keys, _, _) = self.write_tx()?;
        let outcome = match (refusal, kana) {
            (Some(r), _) => r,
            (None, Some(kana)) => {
                let inserted = tx
                    .prepare_cached(
                        "INSERT INTO attendance (id, participant_id, session_id, checked_in_at, method, staff_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                         ON CONFLICT (participant_id, session_id) DO NOTHING",
                    )?
                    .execute(params![
                        uuid::Uuid::new_v4().to_string(),
                        participant_id,
                        session_id,
                        now,
                        method.code(),
                        staff_id
                    ])?;
                if inserted == 1 {
                    CheckInOutcome::CheckedIn {
                        kana,
                        session_title: session.title.clone(),
                    }
                } else {
                    CheckInOutcome::AlreadyCheckedIn {
                        kana,
                        session_title: session.title.clone(),
                    }
                }
            }
            (None, None) => return Err(Error::NotFound { what: "参加者" }),
        };
        let result = match &outcome {
            CheckInOutcome::CheckedIn { .. } if overridden => "checked_in_without_seat",
            o => o.code(),
        };
        record_in(
            &tx,
            keys,
            &now,
            actor.id(),
            AuditAction::CheckIn,
            participant_id,
            if overridden {
                &["session", "seat_confirmed_by_staff"]
            } else {
                &["session"]
            },
            result,
        )?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Why a participant may not check in on `date` (age, an ID check that
    /// is due), or `None`. Capacity is checked per session in [`Self::check_in`].
    pub fn refusal_on(
        &self,
        participant_id: &str,
        date: NaiveDate,
    ) -> Result<Option<CheckInOutcome>> {
        let (birth, verified_on, basis) = self.eligibility_facts(participant_id)?;
        let rules = self.policy().rules.clone();
        let refusal = match (basis, birth, verified_on) {
            // Hobby-group members come from the ward's own register.
            (Basis::WardProvided, None, _) => None,
            (_, Some(birth), verified) => {
                let age_ok =
                    eligibility::age_on(birth, date).is_some_and(|a| a >= rules.minimum_age);
                if !age_ok {
                    Some(CheckInOutcome::NotEligible {
                        reaches_age_on: eligibility::reaches_age_on(birth, rules.minimum_age),
                    })
                } else {
                    verified
                        .map(|v| eligibility::reverification_due_on(v, &rules))
                        .filter(|due| *due <= date)
                        .map(|due| CheckInOutcome::ReverificationDue { due_since: due })
                }
            }
            (Basis::SelfPresented, None, _) => {
                Some(CheckInOutcome::ReverificationDue { due_since: date })
            }
        };
        Ok(refusal)
    }

    /// Looks a card up and checks its holder in. `Ok(None)`: the card is not registered.
    pub fn check_in_card(
        &mut self,
        card: &tsudoi_hw::CardId,
        session_id: &str,
    ) -> Result<Option<CheckInOutcome>> {
        match self.participant_by_card(card)? {
            Some(pid) => self
                .check_in(&Actor::Kiosk, &pid, session_id, CheckInMethod::Card)
                .map(Some),
            None => Ok(None),
        }
    }

    /// Checks in by hand, ids as staff type them (unique prefixes allowed).
    pub fn check_in_by_staff(
        &mut self,
        staff: &super::StaffSession,
        participant: &str,
        session: &str,
    ) -> Result<CheckInOutcome> {
        let pid = self.resolve_id("participants", "参加者", participant)?;
        let sid = self.resolve_id("sessions", "活動", session)?;
        self.check_in(
            &Actor::Staff(staff.clone()),
            &pid,
            &sid,
            CheckInMethod::Staff,
        )
    }

    /// [`Self::check_in_without_seat`] with ids as staff type them.
    pub fn check_in_by_staff_without_seat(
        &mut self,
        staff: &super::StaffSession,
        participant: &str,
        session: &str,
    ) -> Result<CheckInOutcome> {
        let pid = self.resolve_id("participants", "参加者", participant)?;
        let sid = self.resolve_id("sessions", "活動", session)?;
        self.check_in_without_seat(staff, &pid, &sid)
    }

    /// How many check-ins are recorded in all.
    pub fn attendance_count(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM attendance", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }
}
