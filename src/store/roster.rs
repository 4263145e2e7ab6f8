//! Who is checked in today: the staff "Today" screen. Names in kana only,
//! read under a staff session and recorded in the audit log as a view.

use chrono::NaiveDate;
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::{Actor, StaffSession, Store};
use crate::error::Result;

/// One checked-in person of one session.
pub struct RosterEntry {
    /// The session (`sessions.id`).
    pub session_id: String,
    /// The person (`participants.id`).
    pub participant_id: String,
    /// Furigana (decrypted), the name staff read out.
    pub kana: Zeroizing<String>,
}

impl std::fmt::Debug for RosterEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterEntry")
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Everyone checked in to a session on `date`, in check-in order, with
    /// their kana name. Audited as one view of the day's attendance.
    pub fn roster_on(&mut self, staff: &StaffSession, date: NaiveDate) -> Result<Vec<RosterEntry>> {
        staff.require(true)?;
        let rows: Vec<(String, String)> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT a.session_id, a.participant_id FROM attendance a
                 JOIN sessions s ON s.id = a.session_id
                 WHERE s.date = ?1 ORDER BY s.start_time, a.checked_in_at",
            )?;
            stmt.query_map([date], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (session_id, participant_id) in rows {
            let kana = self.kana_of(&participant_id)?;
            out.push(RosterEntry {
                session_id,
                participant_id,
                kana,
            });
        }
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::View,
            "",
            &["attendance", "kana"],
            &format!("{}_rows", out.len()),
        )?;
        Ok(out)
    }
}
