//! Dates in the store's TEXT columns: one home for how they are written and
//! read.
//!
//! Date columns (`sessions.date`, `lottery_classes.apply_from`,
//! `participants.consent_on`, `group_sessions.planned_date`, …) are bound and
//! read as [`chrono::NaiveDate`] through rusqlite's `chrono` feature, which
//! writes and reads `YYYY-MM-DD`: the form these columns have always held,
//! so files written before read the same (`tests/store_dates.rs` reads them
//! back with `sqlite3`).
//!
//! Times (`sessions.start_time`, a group's schedule) are NOT bound that way:
//! rusqlite writes a `NaiveTime` as `HH:MM:SS`, while the store keeps `HH:MM`
//! (compared as text in `ORDER BY`, shown as is, and in every existing file),
//! so they stay formatted with `%H:%M` where they are written.

use crate::error::Error;

/// Names a stored date that does not read as `YYYY-MM-DD` (a row edited
/// outside tsudoi) as the caller's damaged-data error (exit 4) instead of a
/// database fault; every other failure passes through unchanged.
pub(crate) fn or_damaged(e: rusqlite::Error, damaged: impl FnOnce() -> Error) -> Error {
    match &e {
        rusqlite::Error::FromSqlConversionFailure(_, _, cause)
            if cause.downcast_ref::<chrono::ParseError>().is_some() =>
        {
            damaged()
        }
        _ => e.into(),
    }
}
