//! The day of a lottery class: who holds a seat, which session a card tap
//! lands in, and the class's attendance sheet (出席簿).
//!
//! A care-prevention class allocated by lottery (事前申込制（抽選）) is for
//! the residents who won a seat, or moved up to one from the waiting list,
//! and did not cancel. [`Store::check_in`] refuses anyone else unless a staff
//! member confirms; [`Store::check_in_by_card`] is the one place that decides
//! where a tap lands, for the kiosk, the benchmark and the tests alike.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use rusqlite::OptionalExtension;
use zeroize::Zeroizing;

use super::attendance::{CheckInMethod, CheckInOutcome};
use super::audit::AuditAction;
use super::sessions::{SessionInfo, SessionMode};
use super::{Actor, StaffSession, Store};
use crate::error::Result;

/// A resident's place in a lottery class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    /// Won the draw or moved up from the waiting list, and did not cancel.
    Holder,
    /// On the waiting list, at this rank.
    Waiting {
        /// 1 is the first to move up when a seat frees.
        rank: u32,
    },
    /// Never applied, not selected, withdrew, cancelled, or the draw is still
    /// to come.
    None,
}

/// The lottery class a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClass {
    /// Id of the class (`lottery_classes.id`).
    pub class_id: String,
    /// The class's title as announced, for example 「はじめての体操教室」.
    pub title: String,
}

/// Where a card tap lands; decided by [`Store::check_in_by_card`].
#[derive(Debug)]
pub enum CardCheckIn {
    /// The card is not linked to anyone.
    UnknownCard,
    /// Nothing is open for check-in now.
    NoSession,
    /// Checked in, or refused, for one session.
    Decided(CheckInOutcome),
    /// Several activities are open: the resident chooses. `notice` says why a
    /// lottery class running now is not among them (no seat).
    Choose {
        /// The person who tapped (`participants.id`); pass it back with the chosen session.
        participant_id: String,
        /// The sessions open for check-in now, to choose from.
        sessions: Vec<SessionInfo>,
        /// Why a lottery class running now is left out (the person holds no seat), to show beside
        /// the choices.
        notice: Option<CheckInOutcome>,
    },
}

/// One seat holder's row of the attendance sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The application's entry number (受付番号) in this class; rows are sorted by it.
    pub entry_number: u32,
    /// The seat holder (`participants.id`).
    pub participant_id: String,
    /// The furigana; only for staff who handle personal data.
    pub kana: Option<Zeroizing<String>>,
    /// Moved up from the waiting list (繰り上げ).
    pub moved_up: bool,
    /// Per session of the class, in date order: `Some(true)` attended,
    /// `Some(false)` absent, `None` not held yet.
    pub marks: Vec<Option<bool>>,
    /// Absences in a row, counted back from the latest session held.
    pub absences_in_row: u32,
}

impl SheetRow {
    /// Sessions attended.
    pub fn attended(&self) -> u32 {
        self.marks.iter().filter(|m| **m == Some(true)).count() as u32
    }

    /// Sessions held so far.
    pub fn held(&self) -> u32 {
        self.marks.iter().filter(|m| m.is_some()).count() as u32
    }
}

/// Absences in a row from which staff are told to call (見守り).
pub const ABSENCES_TO_CALL: u32 = 2;

/// The attendance sheet of one lottery class: sessions × seat holders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceSheet {
    /// Id of the class (`lottery_classes.id`).
    pub class_id: String,
    /// The class's title as announced.
    pub title: String,
    /// The class's session dates, in order.
    pub dates: Vec<NaiveDate>,
    /// One row per seat holder (won or moved up), by entry number.
    pub rows: Vec<SheetRow>,
}

impl AttendanceSheet {
    /// Attendances over the sessions held, for every seat holder.
    pub fn attended(&self) -> u32 {
        self.rows.iter().map(SheetRow::attended).sum()
    }

    /// Seat holders × sessions held: the attendances possible so far.
    pub fn possible(&self) -> u32 {
        self.rows.iter().map(SheetRow::held).sum()
    }

    /// The series' attendance rate so far, in per cent (None before the first session).
    pub fn rate_percent(&self) -> Option<f64> {
        let possible = self.possible();
        (possible > 0).then(|| f64::from(self.attended()) * 100.0 / f64::from(possible))
    }

    /// Seat holders who missed [`ABSENCES_TO_CALL`] or more sessions in a row.
    pub fn to_call(&self) -> impl Iterator<Item = &SheetRow> {
        self.rows
            .iter()
            .filter(|r| r.absences_in_row >= ABSENCES_TO_CALL)
    }
}

impl SheetRow {
    /// One mark per session: ○ attended, × absent, － not held yet.
    pub fn marks_text(&self) -> String {
        self.marks
            .iter()
            .map(|m| match m {
                Some(true) => '○',
                Some(false) => '×',
                None => '－',
            })
            .collect()
    }
}

impl AttendanceSheet {
    /// The sheet as a table for CSV: entry number, furigana (when shown),
    /// one column per session date, attended, absences in a row.
    pub fn table(&self) -> crate::report::Table {
        use crate::report::Value;
        let with_names = self.rows.iter().any(|r| r.kana.is_some());
        let mut columns = vec!["受付番号".to_owned()];
        if with_names {
            columns.push("ふりがな".to_owned());
        }
        columns.extend(self.dates.iter().map(|d| d.format("%-m/%-d").to_string()));
        columns.extend(["出席".to_owned(), "続けて休んだ回数".to_owned()]);
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![Value::Text(r.entry_number.to_string())];
                if with_names {
                    row.push(Value::Text(
                        r.kana.as_deref().map(String::to_string).unwrap_or_default(),
                    ));
                }
                row.extend(r.marks.iter().map(|m| {
                    Value::Text(
                        match m {
                            Some(true) => "出席",
                            Some(false) => "欠席",
                            None => "",
                        }
                        .to_owned(),
                    )
                }));
                row.push(Value::Text(format!("{}/{}", r.attended(), r.held())));
                row.push(Value::Text(r.absences_in_row.to_string()));
                row
            })
            .collect();
        crate::report::Table {
            id: "attendance-sheet",
            title: format!("{} 出席簿", self.title),
            columns,
            rows,
        }
    }
}

/// Whether a session takes check-ins at `time`: from `early` before its
/// start (never before midnight) until its end.
pub fn open_for_check_in(session: &SessionInfo, time: NaiveTime, early: chrono::Duration) -> bool {
    let (opens, wrapped) = session.start.overflowing_sub_signed(early);
    let opens = if wrapped != 0 || opens > session.start {
        NaiveTime::MIN
    } else {
        opens
    };
    opens <= time && time < session.end
}

impl Store {
    /// The lottery class a session belongs to, if any.
    pub fn class_of_session(&self, session_id: &str) -> Result<Option<SessionClass>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT c.id, c.title FROM lottery_class_sessions s
                 JOIN lottery_classes c ON c.id = s.class_id WHERE s.session_id = ?1",
            )?
            .query_row([session_id], |r| {
                Ok(SessionClass {
                    class_id: r.get(0)?,
                    title: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// A participant's seat in a lottery class.
    pub fn seat(&self, participant_id: &str, class_id: &str) -> Result<Seat> {
        let row: Option<(String, Option<u32>, String)> = self
            .conn()
            .prepare_cached(
                "SELECT status, waiting_rank, id FROM lottery_applications
                 WHERE class_id = ?1 AND participant_id = ?2 AND status <> 'withdrawn'",
            )?
            .query_row([class_id, participant_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((status, rank, app_id)) = row else {
            return Ok(Seat::None);
        };
        // An application pointed at someone else (edited with sqlite3) gives
        // them no seat: its link MAC names the person who applied.
        super::lottery::check_application_link(self.conn(), self.keys()?, &app_id)?;
        Ok(match (status.as_str(), rank) {
            ("won" | "moved_up", _) => Seat::Holder,
            ("waiting", Some(rank)) => Seat::Waiting { rank },
            _ => Seat::None,
        })
    }

    /// Why a participant may not take part in a lottery-class session, or
    /// `None` when they hold a seat (or the session is not a lottery class).
    pub(crate) fn seat_refusal(
        &self,
        participant_id: &str,
        session: &SessionInfo,
    ) -> Result<Option<CheckInOutcome>> {
        if session.mode != SessionMode::Lottery {
            return Ok(None);
        }
        // A lottery session outside any class has no seats to hold.
        let Some(class) = self.class_of_session(&session.id)? else {
            return Ok(Some(CheckInOutcome::NoSeat {
                class_title: session.title.clone(),
                waiting_rank: None,
            }));
        };
        Ok(match self.seat(participant_id, &class.class_id)? {
            Seat::Holder => None,
            Seat::Waiting { rank } => Some(CheckInOutcome::NoSeat {
                class_title: class.title,
                waiting_rank: Some(rank),
            }),
            Seat::None => Some(CheckInOutcome::NoSeat {
                class_title: class.title,
                waiting_rank: None,
            }),
        })
    }

    /// Sessions open for check-in at `at` (Japan time): today's sessions from
    /// `early` before their start until their end, lottery classes included.
    pub fn sessions_open_at(
        &self,
        at: DateTime<FixedOffset>,
        early: chrono::Duration,
    ) -> Result<Vec<SessionInfo>> {
        let time = at.time();
        Ok(self
            .sessions_on(at.date_naive())?
            .into_iter()
            .filter(|s| open_for_check_in(s, time, early))
            .collect())
    }

    /// A card tap now: finds the holder, the sessions open now, and checks
    /// in where the rules say. A seat holder of a lottery class running now
    /// goes to that class without a choice; anyone else is not offered it and
    /// is told why, and may still join an open activity running then.
    pub fn check_in_by_card(
        &mut self,
        card: &tsudoi_hw::CardId,
        early: chrono::Duration,
    ) -> Result<CardCheckIn> {
        let Some(pid) = self.participant_by_card(card)? else {
            return Ok(CardCheckIn::UnknownCard);
        };
        let now = self.clock().now();
        let open = self.sessions_open_at(now, early)?;
        if open.is_empty() {
            return Ok(CardCheckIn::NoSession);
        }
        let (classes, others): (Vec<SessionInfo>, Vec<SessionInfo>) = open
            .into_iter()
            .partition(|s| s.mode == SessionMode::Lottery);
        let mut notice_for = None;
        for class in &classes {
            match self.seat_refusal(&pid, class)? {
                None => {
                    let outcome =
                        self.check_in(&Actor::Kiosk, &pid, &class.id, CheckInMethod::Card)?;
                    return Ok(CardCheckIn::Decided(outcome));
                }
                Some(_) if notice_for.is_none() => notice_for = Some(class.id.clone()),
                Some(_) => {}
            }
        }
        let decide = |store: &mut Store, session: &str| -> Result<CardCheckIn> {
            Ok(CardCheckIn::Decided(store.check_in(
                &Actor::Kiosk,
                &pid,
                session,
                CheckInMethod::Card,
            )?))
        };
        match (others.as_slice(), &notice_for) {
            ([], Some(class)) => decide(self, class),
            ([], None) => Ok(CardCheckIn::NoSession),
            ([one], None) => decide(self, &one.id),
            ([first, ..], _) => {
                // Age or an overdue ID check refuse every session alike: say so at once.
                if self.refusal_on(&pid, now.date_naive())?.is_some() {
                    return decide(self, &first.id);
                }
                // The refusal at the class is recorded in the audit log, and
                // its reason is shown above the activities the person may join.
                let notice = match &notice_for {
                    Some(class) => match decide(self, class)? {
                        CardCheckIn::Decided(o) => Some(o),
                        _ => None,
                    },
                    None => None,
                };
                Ok(CardCheckIn::Choose {
                    participant_id: pid.clone(),
                    sessions: others,
                    notice,
                })
            }
        }
    }

    /// The attendance sheet of a lottery class (出席簿): its seat holders
    /// (winners and those moved up, not cancelled) × its sessions. Staff who
    /// handle personal data see the furigana; operators see entry numbers
    /// only. Audited as a view of the class.
    pub fn attendance_sheet(
        &mut self,
        staff: &StaffSession,
        class: &str,
    ) -> Result<AttendanceSheet> {
        staff.require(false)?;
        let with_names = staff.role().handles_personal_data();
        let sheet = self.attendance_sheet_of(class, with_names)?;
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::View,
            &sheet.class_id,
            if with_names {
                &["attendance_sheet", "kana"]
            } else {
                &["attendance_sheet"]
            },
            &format!("{}_rows", sheet.rows.len()),
        )?;
        Ok(sheet)
    }

    /// The sheet without an audit entry; names only when asked for.
    pub(crate) fn attendance_sheet_of(
        &self,
        class: &str,
        with_names: bool,
    ) -> Result<AttendanceSheet> {
        let class_id = self.resolve_id("lottery_classes", "教室", class)?;
        let title: String = self.conn().query_row(
            "SELECT title FROM lottery_classes WHERE id = ?1",
            [&class_id],
            |r| r.get(0),
        )?;
        let session_ids: Vec<String> = self
            .conn()
            .prepare("SELECT session_id FROM lottery_class_sessions WHERE class_id = ?1")?
            .query_map([&class_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut sessions = session_ids
            .iter()
            .map(|id| self.session_by_id(id))
            .collect::<Result<Vec<_>>>()?;
        sessions.sort_by_key(|s| (s.date, s.start));
        let dates = sessions.iter().map(|s| s.date).collect();
        // A session counts once it is over: someone due at 10:00 today is
        // not absent at 9:45.
        let now = self.clock().now().naive_local();
        let holders: Vec<(u32, String, String, String)> = self
            .conn()
            .prepare(
                "SELECT entry_number, participant_id, status, id FROM lottery_applications
                 WHERE class_id = ?1 AND status IN ('won', 'moved_up') ORDER BY entry_number",
            )?
            .query_map([&class_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        if with_names {
            // Names are read through the applications: each must still name
            // the person who applied.
            let keys = self.keys()?;
            for (.., app_id) in &holders {
                super::lottery::check_application_link(self.conn(), keys, app_id)?;
            }
        }
        let mut present = self.conn().prepare_cached(
            "SELECT 1 FROM attendance WHERE participant_id = ?1 AND session_id = ?2",
        )?;
        let mut rows = Vec::with_capacity(holders.len());
        for (entry_number, pid, status, _) in holders {
            let mut marks = Vec::with_capacity(sessions.len());
            for session in &sessions {
                marks.push(if session.date.and_time(session.end) <= now {
                    Some(present.exists(rusqlite::params![pid, session.id])?)
                } else {
                    None
                });
            }
            let absences_in_row = marks
                .iter()
                .rev()
                .filter_map(|m| *m)
                .take_while(|attended| !attended)
                .count() as u32;
            let kana = if with_names {
                Some(self.kana_of(&pid)?)
            } else {
                None
            };
            rows.push(SheetRow {
                entry_number,
                participant_id: pid,
                kana,
                moved_up: status == "moved_up",
                marks,
                absences_in_row,
            });
        }
        Ok(AttendanceSheet {
            class_id,
            title,
            dates,
            rows,
        })
    }
}
