//! Age under Japanese law.
//!
//! 年齢計算ニ関スル法律 with 民法143条 counts a year of age as complete at the
//! end of the day before the birthday. Public programs therefore treat a
//! person as reaching age N at the start of the day before the Nth birthday
//! (年齢到達日). Someone born 1966-04-02 reaches 60 on 2026-04-01, which is
//! also why people born on 1 April belong to the school year before.
//!
//! For a birth on 29 February, the "birthday" in a common year is taken to be
//! 1 March (the period ends at the end of the last day of February), so the
//! person reaches the age on 28 February, in common and leap years alike.

use chrono::{Datelike, NaiveDate};

/// The day on which someone born on `birth` reaches age `n` (年齢到達日):
/// the day before the `n`th birthday.
///
/// * born 1966-04-02 → reaches 60 on 2026-04-01;
/// * born 1966-04-01 → reaches 60 on 2026-03-31;
/// * born 1 January → reaches the age on 31 December of the year before;
/// * born 29 February → reaches the age on 28 February (in a leap target
///   year the 29th is the birthday itself, so the day before is the 28th;
///   in a common year the anniversary counts as 1 March, minus one day).
///
/// `n == 0` returns `birth` (age 0 starts at birth, not the day before).
/// If the result would be beyond chrono's range, [`NaiveDate::MAX`] is
/// returned ("never", for practical purposes).
pub fn reaches_age_on(birth: NaiveDate, n: u32) -> NaiveDate {
    reach_date(birth, n).unwrap_or(NaiveDate::MAX)
}

/// [`reaches_age_on`] with `None` when the date is out of chrono's range, so
/// that [`age_on`] does not mistake the `MAX` stand-in for a real date.
fn reach_date(birth: NaiveDate, n: u32) -> Option<NaiveDate> {
    if n == 0 {
        return Some(birth);
    }
    let anniversary = i32::try_from(i64::from(birth.year()) + i64::from(n))
        .ok()
        .and_then(|year| {
            // Only 29 February can fail for a valid birth date (or a year out
            // of range, in which case 1 March fails too).
            NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
                .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        });
    anniversary.and_then(|date| date.pred_opt())
}

/// Age in completed years on the day `on`, counted the legal way (see
/// [`reaches_age_on`]). `None` if `on` is before `birth`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    // The age is at most the difference in years plus one: someone born on
    // 1 January reaches the new age on 31 December of the year before.
    let year_diff = u32::try_from(on.year() - birth.year()).ok()?;
    let mut age = year_diff.saturating_add(1);
    // Terminates: reaches_age_on(birth, 0) == birth <= on.
    while age > 0 && reach_date(birth, age).is_none_or(|reach| reach > on) {
        age -= 1;
    }
    Some(age)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Asserts the law boundary: N-1 on the day before the reach date, N on it.
    fn assert_boundary(birth: NaiveDate, n: u32, reach: NaiveDate) {
        assert_eq!(reaches_age_on(birth, n), reach, "reach date of {birth}");
        let before = reach.pred_opt().unwrap();
        assert_eq!(age_on(birth, before), Some(n - 1), "{birth} on {before}");
        assert_eq!(age_on(birth, reach), Some(n), "{birth} on {reach}");
        let after = reach.succ_opt().unwrap();
        assert_eq!(age_on(birth, after), Some(n), "{birth} on {after}");
    }

    #[test]
    fn examples_from_the_law() {
        assert_boundary(d(1966, 4, 2), 60, d(2026, 4, 1));
        assert_boundary(d(1966, 4, 1), 60, d(2026, 3, 31));
    }

    #[test]
    fn leap_day_birth_common_target_year() {
        // 2026 is a common year: anniversary counts as 1 March → reach 28 Feb.
        assert_boundary(d(1964, 2, 29), 62, d(2026, 2, 28));
        assert_boundary(d(1968, 2, 29), 58, d(2026, 2, 28));
        assert_eq!(age_on(d(1964, 2, 29), d(2026, 3, 1)), Some(62));
    }

    #[test]
    fn leap_day_birth_leap_target_year() {
        // 2028 is a leap year: the birthday is 29 Feb, reach date 28 Feb.
        assert_boundary(d(1968, 2, 29), 60, d(2028, 2, 28));
        assert_eq!(age_on(d(1968, 2, 29), d(2028, 2, 29)), Some(60));
        // Same for 65 in 2024.
        assert_boundary(d(1959, 2, 28), 65, d(2024, 2, 27));
        assert_boundary(d(1960, 2, 29), 64, d(2024, 2, 28));
    }

    #[test]
    fn born_28_feb_and_1_mar() {
        assert_boundary(d(1966, 2, 28), 60, d(2026, 2, 27));
        assert_boundary(d(1966, 3, 1), 60, d(2026, 2, 28));
        // 1 March birth in a leap target year: the day before is 29 Feb.
        assert_boundary(d(1968, 3, 1), 60, d(2028, 2, 29));
    }

    #[test]
    fn born_1_january_reaches_age_in_previous_year() {
        assert_boundary(d(1966, 1, 1), 60, d(2025, 12, 31));
        assert_eq!(age_on(d(1966, 1, 1), d(2025, 12, 30)), Some(59));
        assert_eq!(age_on(d(1966, 1, 1), d(2026, 1, 1)), Some(60));
    }

    #[test]
    fn born_31_december() {
        assert_boundary(d(1965, 12, 31), 60, d(2025, 12, 30));
        assert_eq!(age_on(d(1965, 12, 31), d(2025, 12, 31)), Some(60));
    }

    #[test]
    fn before_birth_is_none() {
        assert_eq!(age_on(d(1966, 4, 1), d(1966, 3, 31)), None);
        assert_eq!(age_on(d(1966, 4, 1), d(1900, 1, 1)), None);
    }

    #[test]
    fn age_zero_and_one() {
        let birth = d(2024, 5, 10);
        assert_eq!(reaches_age_on(birth, 0), birth);
        assert_eq!(age_on(birth, birth), Some(0));
        assert_boundary(birth, 1, d(2025, 5, 9));
        // Born 1 January: age 1 on 31 December of the birth year.
        assert_boundary(d(2024, 1, 1), 1, d(2024, 12, 31));
        assert_eq!(age_on(d(2024, 1, 1), d(2024, 1, 1)), Some(0));
    }

    #[test]
    fn huge_ages_do_not_panic() {
        assert_eq!(reaches_age_on(d(1966, 4, 1), u32::MAX), NaiveDate::MAX);
        assert_eq!(
            age_on(NaiveDate::MIN, NaiveDate::MAX).map(|a| a > 0),
            Some(true)
        );
    }

    #[test]
    fn agrees_with_naive_birthday_count_shifted_by_one_day() {
        // Cross-check against an independent formulation: the legal age on
        // day D equals the ordinary birthday-count age on D + 1 day.
        let births = [
            d(1940, 1, 1),
            d(1952, 2, 29),
            d(1966, 4, 1),
            d(1966, 4, 2),
            d(1965, 12, 31),
            d(1964, 3, 1),
        ];
        for birth in births {
            let mut on = birth;
            let end = d(2032, 12, 31);
            while on <= end {
                let next = on.succ_opt().unwrap();
                let mut naive = next.year() - birth.year();
                if (next.month(), next.day()) < (birth.month(), birth.day()) {
                    naive -= 1;
                }
                assert_eq!(age_on(birth, on), Some(naive as u32), "{birth} on {on}");
                on = on + chrono::Days::new(7);
            }
        }
    }
}
