//! The end of a record (issue 14; seed 003): a record is kept while the
//! person takes part. Under the retention rule a record with no visit for
//! `fiscal_years` whole fiscal years (April to March; default 3) is due for
//! deletion; staff see the list, confirm, and the records go (with their
//! check-ins and applications, which the monthly reports already counted).
//! A person's request, moving out or death is `participant delete`.

use chrono::{Datelike, NaiveDate};

use super::audit::AuditAction;
use super::dates::or_damaged;
use super::errors::StoreError;
use super::staff::StaffSession;
use super::{Store, record_in};
use crate::error::{Error, Result};

/// A record the retention rule says to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRecord {
    /// The record's id.
    pub id: String,
    /// The last check-in, or the registration when there was none.
    pub last_activity: NaiveDate,
}

/// The first day of the fiscal year (April 1) that holds `day`.
pub fn fiscal_year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    };
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(day)
}

/// Records whose last activity is before this day are due: `fiscal_years`
/// whole fiscal years before the current one began.
pub fn retention_cutoff(today: NaiveDate, fiscal_years: u32) -> NaiveDate {
    let start = fiscal_year_start(today);
    NaiveDate::from_ymd_opt(start.year() - fiscal_years as i32, 4, 1).unwrap_or(start)
}

impl Store {
    /// The records due under the retention rule, oldest activity first.
    /// Staff who handle personal data only.
    pub fn records_due(&self, staff: &StaffSession, fiscal_years: u32) -> Result<Vec<DueRecord>> {
        staff.require(true)?;
        if !(1..=10).contains(&fiscal_years) {
            return Err(StoreError::RetentionYears.into());
        }
        let cutoff = retention_cutoff(self.clock().today(), fiscal_years);
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, last FROM (
                SELECT p.id AS id,
                       max(substr(p.created_at, 1, 10),
                           coalesce((SELECT max(substr(a.checked_in_at, 1, 10))
                                       FROM attendance a WHERE a.participant_id = p.id), '')) AS last
                  FROM participants p)
              WHERE last < ?1 ORDER BY last, id",
        )?;
        let rows = stmt
            .query_map([cutoff], |r| {
                Ok(DueRecord {
                    id: r.get(0)?,
                    last_activity: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| or_damaged(e, || Error::Tampered("参加者の記録の日付".into())))?;
        Ok(rows)
    }

    /// Deletes exactly the records in `due` (as listed to staff by
    /// [`Store::records_due`]), if each is still due; each deletion is
    /// audited as `delete` with the result `retention`. Returns how many.
    pub fn delete_due(
        &mut self,
        staff: &StaffSession,
        fiscal_years: u32,
        due: &[DueRecord],
    ) -> Result<usize> {
        let still_due = self.records_due(staff, fiscal_years)?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        let mut n = 0;
        for d in due {
            if !still_due.contains(d) {
                continue;
            }
            n += tx.execute("DELETE FROM participants WHERE id = ?1", [&d.id])?;
            record_in(
                &tx,
                keys,
                &now,
                staff.staff_id(),
                AuditAction::Delete,
                &d.id,
                &["*"],
                "retention",
            )?;
        }
        tx.commit()?;
        // The deleted ciphertext must not stay in the WAL.
        self.checkpoint()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fiscal_years_begin_in_april() {
        assert_eq!(fiscal_year_start(d(2026, 12, 3)), d(2026, 4, 1));
        assert_eq!(fiscal_year_start(d(2027, 3, 31)), d(2026, 4, 1));
        assert_eq!(fiscal_year_start(d(2027, 4, 1)), d(2027, 4, 1));
        // In FY2026, three whole fiscal years without a visit (FY2023–2025)
        // means the last visit was before FY2023 began.
        assert_eq!(retention_cutoff(d(2026, 12, 3), 3), d(2023, 4, 1));
        assert_eq!(retention_cutoff(d(2027, 3, 31), 3), d(2023, 4, 1));
    }
}
