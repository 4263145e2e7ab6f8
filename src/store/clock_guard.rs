//! The clock guard. A Raspberry Pi has no real-time clock: after a power cut
//! it may start with the time `fake-hwclock` saved up to an hour earlier, or
//! with no saved time at all. A check-in recorded then would land on the
//! wrong day or before entries already in the audit log.
//!
//! The store remembers the latest time it has seen (`meta.clock_seen`,
//! raised by every audit entry). When a store is opened with the system
//! clock earlier than that by more than [`CLOCK_SLACK_SECONDS`], no check-in
//! is recorded (`Error::ClockBehind`) until a staff member reads the date and
//! time from a watch and confirms it ([`Store::confirm_clock`], audited as
//! `clock_confirm`); the device's clock must be within
//! [`CONFIRM_TOLERANCE_MINUTES`] of what they read.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension};

use super::audit::AuditAction;
use super::errors::StoreError;
use super::{StaffSession, Store, record_in};
use crate::error::{Error, Result};

/// How far back the clock may be found at start-up without stopping
/// check-ins: the stored time has whole seconds, and nothing is lost by a
/// tiny step back.
pub const CLOCK_SLACK_SECONDS: i64 = 60;

/// How far the device's clock may be from the time staff read on a watch.
pub const CONFIRM_TOLERANCE_MINUTES: i64 = 5;

/// The meta key holding the latest time seen (RFC 3339, Japan time).
pub(crate) const CLOCK_SEEN_KEY: &str = "clock_seen";

/// The system clock was found behind the store's latest time at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockBehind {
    /// The system clock when the store was opened.
    pub now: DateTime<FixedOffset>,
    /// The latest time the store had seen.
    pub latest_seen: DateTime<FixedOffset>,
}

/// A time as staff read it: 2026年12月2日 10:30:05.
pub fn display_time(t: &DateTime<FixedOffset>) -> String {
    let t = t.with_timezone(&crate::clock::jst_offset());
    format!(
        "{} {}",
        crate::jp_date::ymd(t.date_naive()),
        t.format("%H:%M:%S")
    )
}

/// The latest time a store has seen: `meta.clock_seen`, or for a store
/// written before the guard existed, the time of its last audit entry.
pub(crate) fn latest_seen(conn: &Connection) -> Result<Option<DateTime<FixedOffset>>> {
    let meta: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [CLOCK_SEEN_KEY],
            |r| r.get(0),
        )
        .optional()?;
    let text = match meta {
        Some(t) => Some(t),
        None => conn
            .query_row("SELECT at FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?,
    };
    Ok(text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()))
}

/// Raises the latest time seen to `at` (never lowers it); called with every
/// audit entry, inside its transaction.
pub(crate) fn raise_latest_seen(tx: &Connection, at: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE julianday(excluded.value) > coalesce(julianday(meta.value), 0)",
    )?
    .execute([CLOCK_SEEN_KEY, at])?;
    Ok(())
}

/// Whether the clock at `now` is behind what the store has seen.
pub(crate) fn check(conn: &Connection, now: DateTime<FixedOffset>) -> Result<Option<ClockBehind>> {
    Ok(latest_seen(conn)?
        .filter(|seen| now < *seen - chrono::Duration::seconds(CLOCK_SLACK_SECONDS))
        .map(|latest_seen| ClockBehind { now, latest_seen }))
}

impl Store {
    /// The clock found behind the store's latest time when it was opened,
    /// until a staff member confirms the time; `None` when it is trusted.
    pub fn clock_behind(&self) -> Option<&ClockBehind> {
        self.clock_behind.as_ref()
    }

    /// The latest time this store has seen (for `tsudoi clock show`).
    pub fn latest_time_seen(&self) -> Result<Option<DateTime<FixedOffset>>> {
        latest_seen(self.conn())
    }

    /// Refuses to record a check-in while the clock is untrusted.
    pub(crate) fn require_trusted_clock(&self) -> Result<()> {
        match &self.clock_behind {
            Some(b) => Err(Error::ClockBehind {
                now: display_time(&b.now),
                seen: display_time(&b.latest_seen),
            }),
            None => Ok(()),
        }
    }

    /// A staff member confirms that the device's clock is right: they read
    /// `stated` (Japan time) from a watch or phone. Refused when the device's
    /// clock is more than [`CONFIRM_TOLERANCE_MINUTES`] away from it (set the
    /// clock first). Afterwards check-ins are recorded again, the latest time
    /// seen becomes now, and the audit log says who confirmed it and what
    /// the latest time had been.
    pub fn confirm_clock(&mut self, staff: &StaffSession, stated: NaiveDateTime) -> Result<()> {
        staff.require(false)?;
        let now = self.clock().now();
        let stated = stated
            .and_local_timezone(crate::clock::jst_offset())
            .single()
            .ok_or(StoreError::ClockTime)?;
        if (now - stated).num_seconds().abs() > CONFIRM_TOLERANCE_MINUTES * 60 {
            return Err(Error::Refused(format!(
                "端末の時計（{}）が、確かめた日時（{}）と{}分より大きくずれています。先に端末の時計を合わせてください。受付はまだ記録しません。",
                display_time(&now),
                display_time(&stated),
                CONFIRM_TOLERANCE_MINUTES
            )));
        }
        let previous = latest_seen(self.conn())?
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
            .unwrap_or_default();
        let at = self.now();
        let result = if self.clock_behind.is_some() {
            format!("confirmed_behind_latest_{previous}")
        } else {
            "confirmed".to_owned()
        };
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [CLOCK_SEEN_KEY, &at],
        )?;
        record_in(
            &tx,
            keys,
            &at,
            staff.staff_id(),
            AuditAction::ClockConfirm,
            "clock",
            &["clock_seen"],
            &result,
        )?;
        tx.commit()?;
        self.clock_behind = None;
        Ok(())
    }
}
