//! Gregorian dates written the Japanese way, as residents and staff read
//! them on the kiosk, on paper and in the CLI: 「2026年11月24日」,
//! 「11月24日（火）」.
//!
//! Every screen, PDF, CSV and message writes dates through these functions,
//! so one form is used everywhere. Numbers are not padded (「11月4日」, not
//! 「11月04日」); that is how dates are written in Japanese text. Wareki
//! (「令和8年」) is [`crate::eligibility::to_wareki`]; ISO dates for files
//! and machines are written with chrono directly.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use chrono::{Datelike, NaiveDate};

/// The weekday as one kanji, Monday first, as [`chrono::Weekday::num_days_from_monday`] counts.
const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// 「2026年11月24日」.
pub fn ymd(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 「11月24日」, for a date whose year is understood (this year's
/// sessions, a class's draw day).
pub fn md(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// 「11月24日（火）」: the day with its weekday in full-width brackets, as
/// on the waiting screen and the class lists.
pub fn md_weekday(d: NaiveDate) -> String {
    format!("{}（{}）", md(d), weekday(d))
}

/// 「2026年11月」: a month, as in the monthly report's titles.
pub fn ym(year: i32, month: u32) -> String {
    format!("{year}年{month}月")
}

/// 「1966年」: the year alone, as beside a birth date in wareki.
pub fn year(d: NaiveDate) -> String {
    format!("{}年", d.year())
}

/// 「火」: the weekday as one kanji.
pub fn weekday(d: NaiveDate) -> &'static str {
    WEEKDAYS[d.weekday().num_days_from_monday() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn forms() {
        let t = d(2026, 11, 24);
        assert_eq!(ymd(t), "2026年11月24日");
        assert_eq!(md(t), "11月24日");
        assert_eq!(md_weekday(t), "11月24日（火）");
        assert_eq!(ym(2026, 11), "2026年11月");
        assert_eq!(year(t), "2026年");
        assert_eq!(weekday(t), "火");
    }

    #[test]
    fn numbers_are_not_padded() {
        assert_eq!(ymd(d(2026, 1, 4)), "2026年1月4日");
        assert_eq!(md_weekday(d(2026, 3, 1)), "3月1日（日）");
    }

    #[test]
    fn same_as_chrono_format_for_four_digit_years() {
        // The forms these replaced were written with chrono's
        // `%Y年%-m月%-d日`; the two agree for years 1000 to 9999.
        let mut day = d(1873, 1, 1);
        while day < d(2100, 1, 1) {
            assert_eq!(ymd(day), day.format("%Y年%-m月%-d日").to_string());
            assert_eq!(md(day), day.format("%-m月%-d日").to_string());
            assert_eq!(year(day), day.format("%Y年").to_string());
            day += chrono::Duration::days(97);
        }
    }

    #[test]
    fn every_weekday() {
        let names: String = (0..7)
            .map(|i| weekday(d(2026, 11, 23) + chrono::Duration::days(i)))
            .collect();
        assert_eq!(names, "月火水木金土日");
    }
}
