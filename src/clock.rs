//! Wall-clock time behind a trait, so tests can set the date.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::sync::Mutex;

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant; [`SystemClock`] gives it in Japan time (+09:00).
    fn now(&self) -> DateTime<FixedOffset>;

    /// Today's date in the clock's offset: for the kiosk, Japan's calendar day.
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The system clock, read in Japan time whatever the system's time zone.
///
/// Every rule the ward sets (today, session windows, ages, lottery dates,
/// report months) follows Japan's calendar, and Raspberry Pi OS may be left
/// in UTC or another zone: `TZ` must not move a day's boundary.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        Utc::now().with_timezone(&jst_offset())
    }
}

/// A clock that stands still until moved; for tests and reproducible demo data.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<FixedOffset>>);

impl FixedClock {
    /// A clock standing at `at`.
    pub fn new(at: DateTime<FixedOffset>) -> Self {
        Self(Mutex::new(at))
    }

    /// Japan time at the given local date and time.
    pub fn jst(date: NaiveDate, hour: u32, minute: u32) -> Self {
        Self::new(jst(date, hour, minute))
    }

    /// Moves the clock to `at` (forwards or backwards).
    pub fn set(&self, at: DateTime<FixedOffset>) {
        if let Ok(mut t) = self.0.lock() {
            *t = at;
        }
    }

    /// Moves the clock on by `by` (negative to go back).
    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        match self.0.lock() {
            Ok(t) => *t,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

/// Japan Standard Time, UTC+9 (no daylight saving).
pub fn jst_offset() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("UTC+9 is a valid offset")
}

/// A JST timestamp at a local date and time (hour/minute out of range clamp to midnight).
pub fn jst(date: NaiveDate, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    let time = chrono::NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default();
    // A fixed offset has no gaps or folds, so the local time always maps to one instant.
    let utc = date.and_time(time) - chrono::Duration::hours(9);
    DateTime::<FixedOffset>::from_naive_utc_and_offset(utc, jst_offset())
}
