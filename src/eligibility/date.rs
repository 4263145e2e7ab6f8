//! Dates as written on ID documents: Gregorian (西暦) and the Japanese era
//! calendar (和暦).
//!
//! Health-insurance cards of older residents show birth dates in wareki, in
//! many written forms (`昭和41年4月1日`, `S41.4.1`, `昭41・4・1`, full-width
//! digits). [`parse_date`] accepts all of those and Gregorian forms, and
//! rejects anything doubtful with a [`DateError`] whose Japanese message tells
//! front-desk staff what is wrong and what to do. The messages never repeat
//! more of the input than the offending date parts.
//!
//! Era boundaries follow the day each era began (Gregorian). An era ends the
//! day before the next one starts, so `昭和64年1月8日` does not exist: that
//! day is `平成元年1月8日`.
//!
//! Meiji dates before 1873-01-01 (明治5年 and earlier) were in the lunisolar
//! calendar; their month and day do not match the Gregorian date, so they are
//! rejected as unsupported rather than silently converted wrongly.

use crate::jp_date;
use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use super::text::normalize_digits_and_punct;

/// Builds a date at compile time; an invalid literal fails the build, so
/// there is no runtime panic path.
const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date literal"),
    }
}

/// First day on which wareki dates are supported: 明治6年1月1日, the day Japan
/// switched to the Gregorian calendar. Earlier Meiji dates were lunisolar.
pub const GREGORIAN_ADOPTION: NaiveDate = ymd(1873, 1, 1);

/// A Japanese era (元号) from Meiji onward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    /// 明治 (M), from 1868-01-25 in this module (see [`Era::first_day`]).
    Meiji,
    /// 大正 (T), 1912-07-30 – 1926-12-24.
    Taisho,
    /// 昭和 (S), 1926-12-25 – 1989-01-07.
    Showa,
    /// 平成 (H), 1989-01-08 – 2019-04-30.
    Heisei,
    /// 令和 (R), from 2019-05-01.
    Reiwa,
}

impl Era {
    /// All eras, oldest first (for an era-picker UI).
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// The era name in kanji: 明治, 大正, 昭和, 平成, 令和.
    pub fn name(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The one-letter abbreviation used on cards and forms (M, T, S, H, R).
    pub fn letter(self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    /// The first day of the era (Gregorian).
    ///
    /// For Meiji this is 1868-01-25 (Gregorian equivalent of 明治元年1月1日,
    /// used only as an anchor); dates before [`GREGORIAN_ADOPTION`] are
    /// rejected anyway.
    pub fn first_day(self) -> NaiveDate {
        match self {
            Era::Meiji => ymd(1868, 1, 25),
            Era::Taisho => ymd(1912, 7, 30),
            Era::Showa => ymd(1926, 12, 25),
            Era::Heisei => ymd(1989, 1, 8),
            Era::Reiwa => ymd(2019, 5, 1),
        }
    }

    /// The last day of the era: the day before the next era's first day.
    /// `None` for the current era.
    pub fn last_day(self) -> Option<NaiveDate> {
        self.next().and_then(|next| next.first_day().pred_opt())
    }

    /// The era after this one, if any.
    pub fn next(self) -> Option<Era> {
        match self {
            Era::Meiji => Some(Era::Taisho),
            Era::Taisho => Some(Era::Showa),
            Era::Showa => Some(Era::Heisei),
            Era::Heisei => Some(Era::Reiwa),
            Era::Reiwa => None,
        }
    }

    /// The era before this one, if any (none before Meiji is supported).
    pub fn previous(self) -> Option<Era> {
        match self {
            Era::Meiji => None,
            Era::Taisho => Some(Era::Meiji),
            Era::Showa => Some(Era::Taisho),
            Era::Heisei => Some(Era::Showa),
            Era::Reiwa => Some(Era::Heisei),
        }
    }

    /// The last era year (e.g. 64 for 昭和), `None` for the current era.
    pub fn max_year(self) -> Option<u32> {
        self.last_day()
            .and_then(|d| u32::try_from(d.year() - self.year_offset()).ok())
    }

    /// The era a Gregorian date falls in, or `None` before
    /// [`GREGORIAN_ADOPTION`] (lunisolar Meiji dates are not represented).
    pub fn of(date: NaiveDate) -> Option<Era> {
        if date < GREGORIAN_ADOPTION {
            return None;
        }
        Era::ALL
            .iter()
            .rev()
            .copied()
            .find(|era| era.first_day() <= date)
    }

    /// Gregorian year = era year + offset (year 1 of the era is the year the
    /// era began).
    fn year_offset(self) -> i32 {
        self.first_day().year() - 1
    }
}

impl std::fmt::Display for Era {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a date could not be accepted. Every message is Japanese, for
/// front-desk staff, says what is wrong and what to do, and contains at most
/// the offending date parts (never the whole input).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    /// Nothing was entered.
    #[error(
        "生年月日が入力されていません。ID書類の生年月日を入力してください（例：昭和41年4月1日、S41.4.1、1966-04-01）。"
    )]
    Empty,

    /// The text is not one of the accepted forms.
    #[error(
        "生年月日の書き方を読み取れませんでした。次のような形で入力してください：昭和41年4月1日、S41.4.1、昭41・4・1、平成元年1月8日、1966年4月1日、1966-04-01、1966/4/1。"
    )]
    Unrecognized,

    /// Year 0 (era year 0 or Gregorian year 0).
    #[error(
        "0年という年はありません。和暦の最初の年は「元年」（1年）です。ID書類の年を確認して入力してください。"
    )]
    YearZero,

    /// Month outside 1..=12.
    #[error("{month}月という月はありません。月は1から12で入力してください。")]
    MonthOutOfRange {
        /// The month as entered.
        month: u32,
    },

    /// The month has no such day (e.g. 2月30日, 4月31日, day 0).
    #[error("{month}月{day}日はありません。ID書類の日付をもう一度確認して入力してください。")]
    NoSuchDay {
        /// The month as entered.
        month: u32,
        /// The day as entered.
        day: u32,
    },

    /// 29 February in a common year.
    #[error(
        "{year_label}はうるう年ではないため、2月29日はありません。ID書類の日付をもう一度確認して入力してください。"
    )]
    NotLeapYear {
        /// The year as entered, e.g. `昭和42年（1967年）` or `1967年`.
        year_label: String,
    },

    /// The era year is beyond the era (e.g. 昭和65年).
    #[error(
        "{era}{year}年はありません。{era}は{max_year}年（{}）までです。それより後の日付は{}で入力してください。",
        jp_date::ymd(*.last_day),
        .next
    )]
    EraYearTooLarge {
        /// The era entered.
        era: Era,
        /// The era year entered.
        year: u32,
        /// The era's last year.
        max_year: u32,
        /// The era's last day.
        last_day: NaiveDate,
        /// The era that follows.
        next: Era,
    },

    /// A date in the era's last year, but after the era ended
    /// (e.g. 平成31年5月1日).
    #[error(
        "{era}{year}年{month}月{day}日はありません。{era}{year}年は{}までです（翌日に{next}に改元）。同じ日のことであれば「{suggestion}」と入力してください。",
        jp_date::md(*.last_day),
    )]
    AfterEraEnd {
        /// The era entered.
        era: Era,
        /// The era year entered.
        year: u32,
        /// The month entered.
        month: u32,
        /// The day entered.
        day: u32,
        /// The era's last day.
        last_day: NaiveDate,
        /// The era that follows.
        next: Era,
        /// The same Gregorian day written in the correct era.
        suggestion: String,
    },

    /// A date in an era's first year (元年) before the era began
    /// (e.g. 昭和元年12月1日).
    #[error(
        "{era}元年{month}月{day}日はありません。{era}元年は{}からです（それより前は{previous}）。同じ日のことであれば「{suggestion}」と入力してください。",
        jp_date::md(*.first_day),
    )]
    BeforeEraStart {
        /// The era entered.
        era: Era,
        /// The month entered.
        month: u32,
        /// The day entered.
        day: u32,
        /// The era's first day.
        first_day: NaiveDate,
        /// The era before.
        previous: Era,
        /// The same Gregorian day written in the correct era.
        suggestion: String,
    },

    /// 明治5年 and earlier: lunisolar calendar, not supported.
    #[error(
        "{}の日付には対応していません。明治5年（1872年）以前の日付は旧暦のため、西暦の日付と月日がずれます。係の者にご相談ください。",
        era_year_label(Era::Meiji, *.year)
    )]
    LunisolarMeiji {
        /// The Meiji year entered.
        year: u32,
    },

    /// The year is too large to be a date (only reachable through
    /// [`from_era_ymd`] with an absurd 令和 year).
    #[error("{era}{year}年は扱える範囲を超えています。年を確認して入力してください。")]
    YearOutOfRange {
        /// The era entered.
        era: Era,
        /// The era year entered.
        year: u32,
    },
}

/// `昭和元年`, `昭和41年`
fn era_year_label(era: Era, year: u32) -> String {
    if year == 1 {
        format!("{era}元年")
    } else {
        format!("{era}{year}年")
    }
}

/// Writes a date in wareki: `昭和41年4月1日`, `平成元年1月8日`.
///
/// Dates before [`GREGORIAN_ADOPTION`] (1873-01-01) have no Gregorian-aligned
/// wareki form, so they are written in Gregorian as `1872年12月31日`.
pub fn to_wareki(date: NaiveDate) -> String {
    match Era::of(date) {
        Some(era) => {
            // Era::of guarantees date >= first_day, so the year is >= 1.
            let year = u32::try_from(date.year() - era.year_offset()).unwrap_or(1);
            format!(
                "{}{}月{}日",
                era_year_label(era, year),
                date.month(),
                date.day()
            )
        }
        None => jp_date::ymd(date),
    }
}

/// Converts an era date to Gregorian, with the checks [`parse_date`] does.
/// Intended for an era-picker UI as well.
///
/// Checks, in order: year 0, era year beyond the era, month 1..=12, Meiji
/// before 1873, impossible day (with a special message for 29 February),
/// date before the era's first day, date after the era's last day.
pub fn from_era_ymd(era: Era, year: u32, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    if year == 0 {
        return Err(DateError::YearZero);
    }
    if let (Some(max_year), Some(last_day), Some(next)) =
        (era.max_year(), era.last_day(), era.next())
        && year > max_year
    {
        return Err(DateError::EraYearTooLarge {
            era,
            year,
            max_year,
            last_day,
            next,
        });
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::MonthOutOfRange { month });
    }
    let gregorian_year = i32::try_from(year)
        .ok()
        .and_then(|y| y.checked_add(era.year_offset()))
        .filter(|y| *y <= 9999)
        .ok_or(DateError::YearOutOfRange { era, year })?;
    if era == Era::Meiji && gregorian_year < GREGORIAN_ADOPTION.year() {
        return Err(DateError::LunisolarMeiji { year });
    }
    let date = checked_ymd(gregorian_year, month, day, || {
        format!("{}（{gregorian_year}年）", era_year_label(era, year))
    })?;
    if date < era.first_day() {
        if let Some(previous) = era.previous() {
            return Err(DateError::BeforeEraStart {
                era,
                month,
                day,
                first_day: era.first_day(),
                previous,
                suggestion: to_wareki(date),
            });
        }
        // Only Meiji has no previous era, and Meiji dates this early were
        // already rejected as lunisolar above.
        return Err(DateError::LunisolarMeiji { year });
    }
    if let (Some(last_day), Some(next)) = (era.last_day(), era.next())
        && date > last_day
    {
        return Err(DateError::AfterEraEnd {
            era,
            year,
            month,
            day,
            last_day,
            next,
            suggestion: to_wareki(date),
        });
    }
    Ok(date)
}

/// Builds a Gregorian date, turning an impossible day into the right error.
fn checked_ymd(
    year: i32,
    month: u32,
    day: u32,
    year_label: impl FnOnce() -> String,
) -> Result<NaiveDate, DateError> {
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return Ok(date);
    }
    if month == 2 && day == 29 {
        Err(DateError::NotLeapYear {
            year_label: year_label(),
        })
    } else {
        Err(DateError::NoSuchDay { month, day })
    }
}

/// Parses a date as written on an ID document or typed by staff.
///
/// Accepted (after folding full-width characters and dashes, and ignoring
/// all whitespace):
///
/// * Gregorian: `1966-04-01`, `1966/4/1`, `1966.4.1`, `1966・4・1`,
///   `1966年4月1日` (the year must have 4 digits);
/// * wareki with the era in kanji (`昭和`), one kanji (`昭`) or one letter
///   in either case (`S`, `s`), for 明治/大正/昭和/平成/令和 (M/T/S/H/R),
///   followed by the era year (1–3 digits or `元`) and month and day in the
///   same separators: `昭和41年4月1日`, `S41.4.1`, `S41/4/1`, `昭41・4・1`,
///   `平成元年1月8日`, `H1.1.8`, `R7-4-1`;
/// * with the `年月日` form, the final `日` may be omitted;
/// * a trailing `生`, `生まれ` or `生れ` is ignored.
///
/// The two separators of a dotted/slashed form must be the same character.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let folded: String = normalize_digits_and_punct(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let body = ["生まれ", "生れ", "生"]
        .iter()
        .find_map(|suffix| folded.strip_suffix(suffix))
        .unwrap_or(&folded);
    if body.is_empty() {
        return Err(DateError::Empty);
    }

    let (era, rest) = split_era(body);
    let parts = split_ymd(rest).ok_or(DateError::Unrecognized)?;

    match era {
        Some(era) => {
            let year = match parts.year {
                YearToken::Gan => 1,
                YearToken::Digits { value, len } if len <= 3 => value,
                YearToken::Digits { .. } => return Err(DateError::Unrecognized),
            };
            from_era_ymd(era, year, parts.month, parts.day)
        }
        None => {
            // Without an era a year must be written in full; "41.4.1" is
            // ambiguous and must not be guessed.
            let year = match parts.year {
                YearToken::Digits { value, len: 4 } => value,
                _ => return Err(DateError::Unrecognized),
            };
            if year == 0 {
                return Err(DateError::YearZero);
            }
            if !(1..=12).contains(&parts.month) {
                return Err(DateError::MonthOutOfRange { month: parts.month });
            }
            let year = i32::try_from(year).map_err(|_| DateError::Unrecognized)?;
            checked_ymd(year, parts.month, parts.day, || format!("{year}年"))
        }
    }
}

/// Era prefixes, longest first so that `昭和` wins over `昭`.
const ERA_PREFIXES: [(&str, Era); 15] = [
    ("明治", Era::Meiji),
    ("大正", Era::Taisho),
    ("昭和", Era::Showa),
    ("平成", Era::Heisei),
    ("令和", Era::Reiwa),
    ("明", Era::Meiji),
    ("大", Era::Taisho),
    ("昭", Era::Showa),
    ("平", Era::Heisei),
    ("令", Era::Reiwa),
    ("M", Era::Meiji),
    ("T", Era::Taisho),
    ("S", Era::Showa),
    ("H", Era::Heisei),
    ("R", Era::Reiwa),
];

fn split_era(s: &str) -> (Option<Era>, &str) {
    for (prefix, era) in ERA_PREFIXES {
        if let Some(rest) = s.strip_prefix(prefix) {
            return (Some(era), rest);
        }
        // Letters are accepted in lower case too (s41.4.1).
        if prefix.len() == 1
            && let Some(rest) = s.strip_prefix(&prefix.to_ascii_lowercase())
        {
            return (Some(era), rest);
        }
    }
    (None, s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearToken {
    /// 元 (first year of an era)
    Gan,
    /// A run of ASCII digits and how many digits it had.
    Digits { value: u32, len: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parts {
    year: YearToken,
    month: u32,
    day: u32,
}

/// Separators accepted between year, month and day.
const SEPARATORS: [char; 5] = ['-', '/', '.', '・', '･'];

/// Splits `Y年M月D日` or `Y<sep>M<sep>D` into its parts. Only the shape is
/// checked here; ranges are checked by the caller.
fn split_ymd(s: &str) -> Option<Parts> {
    let mut chars = s.chars().peekable();

    let year = if chars.peek() == Some(&'元') {
        chars.next();
        YearToken::Gan
    } else {
        let (value, len) = take_digits(&mut chars, 4)?;
        YearToken::Digits { value, len }
    };

    let sep = chars.next()?;
    let (month, day) = if sep == '年' {
        let (month, _) = take_digits(&mut chars, 2)?;
        if chars.next()? != '月' {
            return None;
        }
        let (day, _) = take_digits(&mut chars, 2)?;
        // The closing 日 is optional.
        if chars.peek() == Some(&'日') {
            chars.next();
        }
        (month, day)
    } else if SEPARATORS.contains(&sep) {
        let (month, _) = take_digits(&mut chars, 2)?;
        if chars.next()? != sep {
            return None;
        }
        let (day, _) = take_digits(&mut chars, 2)?;
        (month, day)
    } else {
        return None;
    };

    if chars.next().is_some() {
        return None;
    }
    Some(Parts { year, month, day })
}

/// Reads 1..=`max_len` ASCII digits. More digits than `max_len` is a shape
/// error (returns `None`), so "1966041" is not silently split.
fn take_digits(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    max_len: usize,
) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    let mut len = 0;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        chars.next();
        len += 1;
        if len > max_len {
            return None;
        }
        value = value * 10 + d;
    }
    if len == 0 { None } else { Some((value, len)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ok(input: &str) -> NaiveDate {
        match parse_date(input) {
            Ok(date) => date,
            Err(e) => panic!("{input:?} was rejected: {e}"),
        }
    }

    fn err(input: &str) -> DateError {
        match parse_date(input) {
            Ok(date) => panic!("{input:?} was accepted as {date}"),
            Err(e) => e,
        }
    }

    // ---- accepted forms ----

    #[test]
    fn gregorian_forms() {
        for input in [
            "1966-04-01",
            "1966/4/1",
            "1966.4.1",
            "1966/04/01",
            "1966・4・1",
            "1966年4月1日",
            "1966年4月1",
            "1966年04月01日",
        ] {
            assert_eq!(ok(input), d(1966, 4, 1), "{input}");
        }
    }

    #[test]
    fn showa_forms() {
        for input in [
            "昭和41年4月1日",
            "S41.4.1",
            "S41/4/1",
            "S41-4-1",
            "s41.4.1",
            "昭41・4・1",
            "昭41.4.1",
            "昭和41.4.1",
            "昭和41年4月1",
            "S41年4月1日",
            "S41･4･1",
        ] {
            assert_eq!(ok(input), d(1966, 4, 1), "{input}");
        }
    }

    #[test]
    fn full_width_and_spaces() {
        for input in [
            "昭和４１年４月１日",
            "Ｓ４１．４．１",
            "ｓ４１／４／１",
            "１９６６－０４－０１",
            "１９６６ー４ー１",
            "  昭和41年4月1日  ",
            "\u{3000}昭和 41 年 4 月 1 日\u{3000}",
            "S 41. 4. 1",
        ] {
            assert_eq!(ok(input), d(1966, 4, 1), "{input}");
        }
    }

    #[test]
    fn trailing_birth_markers() {
        for input in [
            "昭和41年4月1日生",
            "昭和41年4月1日生まれ",
            "昭和41年4月1日 生まれ",
            "S41.4.1生",
            "1966-04-01生れ",
        ] {
            assert_eq!(ok(input), d(1966, 4, 1), "{input}");
        }
    }

    #[test]
    fn gan_nen_is_year_one() {
        assert_eq!(ok("平成元年1月8日"), d(1989, 1, 8));
        assert_eq!(ok("H1.1.8"), d(1989, 1, 8));
        assert_eq!(ok("H元.1.8"), d(1989, 1, 8));
        assert_eq!(ok("平元・1・8"), d(1989, 1, 8));
        assert_eq!(ok("昭和元年12月25日"), d(1926, 12, 25));
        assert_eq!(ok("令和元年5月1日"), d(2019, 5, 1));
    }

    #[test]
    fn every_era_in_every_notation() {
        let cases = [
            ("明治", "明", 'M', 40, d(1907, 3, 3)),
            ("大正", "大", 'T', 5, d(1916, 3, 3)),
            ("昭和", "昭", 'S', 41, d(1966, 3, 3)),
            ("平成", "平", 'H', 10, d(1998, 3, 3)),
            ("令和", "令", 'R', 7, d(2025, 3, 3)),
        ];
        for (name, short, letter, year, expected) in cases {
            let lower = letter.to_ascii_lowercase();
            for input in [
                format!("{name}{year}年3月3日"),
                format!("{short}{year}.3.3"),
                format!("{letter}{year}.3.3"),
                format!("{lower}{year}/3/3"),
                format!("{letter}{year}・3・3"),
            ] {
                assert_eq!(ok(&input), expected, "{input}");
            }
        }
    }

    #[test]
    fn era_boundaries_exact() {
        assert_eq!(ok("明治45年7月29日"), d(1912, 7, 29));
        assert_eq!(ok("大正元年7月30日"), d(1912, 7, 30));
        assert_eq!(ok("大正15年12月24日"), d(1926, 12, 24));
        assert_eq!(ok("昭和元年12月25日"), d(1926, 12, 25));
        assert_eq!(ok("昭和64年1月7日"), d(1989, 1, 7));
        assert_eq!(ok("平成元年1月8日"), d(1989, 1, 8));
        assert_eq!(ok("平成31年4月30日"), d(2019, 4, 30));
        assert_eq!(ok("令和元年5月1日"), d(2019, 5, 1));
        assert_eq!(ok("R7.12.31"), d(2025, 12, 31));
    }

    #[test]
    fn meiji_from_1873() {
        assert_eq!(ok("明治6年1月1日"), d(1873, 1, 1));
        assert_eq!(ok("M6.1.1"), d(1873, 1, 1));
    }

    #[test]
    fn leap_days() {
        assert_eq!(ok("昭和63年2月29日"), d(1988, 2, 29));
        assert_eq!(ok("2000-02-29"), d(2000, 2, 29));
        assert_eq!(ok("H12.2.29"), d(2000, 2, 29));
    }

    // ---- rejections ----

    #[test]
    fn empty_input() {
        assert_eq!(err(""), DateError::Empty);
        assert_eq!(err("   "), DateError::Empty);
        assert_eq!(err("\u{3000}"), DateError::Empty);
        assert_eq!(err("生まれ"), DateError::Empty);
        assert!(DateError::Empty.to_string().contains("入力されていません"));
    }

    #[test]
    fn unrecognized_forms() {
        for input in [
            "41.4.1",    // no era, short year
            "66-4-1",    // two-digit Gregorian year
            "19660401",  // compact form not accepted
            "1966-4/1",  // mixed separators
            "1966年4月", // no day
            "昭和41年",  // no month/day
            "X41.4.1",   // unknown era letter
            "昭和41年4月1日x",
            "昭和1966年4月1日", // four-digit era year
            "1966-004-01",
            "April 1 1966",
            "S41..4.1",
            "元年4月1日", // 元 without era
            "S41:4:1",
        ] {
            assert_eq!(err(input), DateError::Unrecognized, "{input}");
        }
        let message = DateError::Unrecognized.to_string();
        assert!(message.contains("S41.4.1"));
        assert!(message.contains("昭和41年4月1日"));
        assert!(message.contains("1966-04-01"));
    }

    #[test]
    fn era_year_beyond_era() {
        let e = err("昭和65年1月1日");
        assert_eq!(
            e,
            DateError::EraYearTooLarge {
                era: Era::Showa,
                year: 65,
                max_year: 64,
                last_day: d(1989, 1, 7),
                next: Era::Heisei,
            }
        );
        let message = e.to_string();
        assert!(
            message.contains("昭和は64年（1989年1月7日）まで"),
            "{message}"
        );
        assert!(message.contains("平成"), "{message}");

        assert!(matches!(
            err("H32.1.1"),
            DateError::EraYearTooLarge { max_year: 31, .. }
        ));
        assert!(matches!(
            err("大正16年1月1日"),
            DateError::EraYearTooLarge { max_year: 15, .. }
        ));
        assert!(matches!(
            err("明治46年1月1日"),
            DateError::EraYearTooLarge { max_year: 45, .. }
        ));
        assert!(matches!(
            err("昭和100年1月1日"),
            DateError::EraYearTooLarge { .. }
        ));
    }

    #[test]
    fn date_after_era_end() {
        let e = err("平成31年5月1日");
        assert!(matches!(
            e,
            DateError::AfterEraEnd {
                era: Era::Heisei,
                year: 31,
                ..
            }
        ));
        let message = e.to_string();
        assert!(message.contains("平成31年は4月30日まで"), "{message}");
        assert!(message.contains("令和に改元"), "{message}");
        assert!(message.contains("令和元年5月1日"), "{message}");

        let message = err("昭和64年1月8日").to_string();
        assert!(message.contains("昭和64年は1月7日まで"), "{message}");
        assert!(message.contains("平成元年1月8日"), "{message}");

        assert!(matches!(
            err("大正15年12月25日"),
            DateError::AfterEraEnd { .. }
        ));
        assert!(matches!(
            err("明治45年7月30日"),
            DateError::AfterEraEnd { .. }
        ));
    }

    #[test]
    fn date_before_era_start() {
        let e = err("昭和元年12月1日");
        assert!(matches!(
            e,
            DateError::BeforeEraStart {
                era: Era::Showa,
                ..
            }
        ));
        let message = e.to_string();
        assert!(message.contains("昭和元年は12月25日から"), "{message}");
        assert!(message.contains("大正15年12月1日"), "{message}");

        let message = err("平成元年1月7日").to_string();
        assert!(message.contains("平成元年は1月8日から"), "{message}");
        assert!(message.contains("昭和64年1月7日"), "{message}");

        assert!(matches!(err("R1.4.30"), DateError::BeforeEraStart { .. }));
        assert!(matches!(
            err("大正元年7月29日"),
            DateError::BeforeEraStart { .. }
        ));
    }

    #[test]
    fn impossible_days() {
        let e = err("昭和41年2月30日");
        assert_eq!(e, DateError::NoSuchDay { month: 2, day: 30 });
        assert!(e.to_string().contains("2月30日はありません"));
        assert_eq!(
            err("1966-04-31"),
            DateError::NoSuchDay { month: 4, day: 31 }
        );
        assert_eq!(err("S41.4.0"), DateError::NoSuchDay { month: 4, day: 0 });
        assert_eq!(err("S41.1.32"), DateError::NoSuchDay { month: 1, day: 32 });
    }

    #[test]
    fn february_29_in_common_year() {
        let e = err("昭和42年2月29日");
        assert!(matches!(e, DateError::NotLeapYear { .. }));
        let message = e.to_string();
        assert!(message.contains("昭和42年（1967年）"), "{message}");
        assert!(message.contains("2月29日はありません"), "{message}");
        assert!(err("1900-02-29").to_string().contains("1900年"));
    }

    #[test]
    fn month_out_of_range() {
        assert_eq!(err("S41.0.1"), DateError::MonthOutOfRange { month: 0 });
        assert_eq!(err("S41.13.1"), DateError::MonthOutOfRange { month: 13 });
        assert_eq!(err("1966-13-01"), DateError::MonthOutOfRange { month: 13 });
        assert_eq!(err("1966年0月1日"), DateError::MonthOutOfRange { month: 0 });
        assert!(
            err("S41.13.1")
                .to_string()
                .contains("13月という月はありません")
        );
    }

    #[test]
    fn year_zero() {
        assert_eq!(err("昭和0年4月1日"), DateError::YearZero);
        assert_eq!(err("S0.4.1"), DateError::YearZero);
        assert_eq!(err("0000-04-01"), DateError::YearZero);
        assert!(DateError::YearZero.to_string().contains("元年"));
    }

    #[test]
    fn lunisolar_meiji_is_unsupported() {
        for input in ["明治5年12月2日", "M1.1.25", "明治元年10月23日", "M5.1.1"] {
            assert!(
                matches!(err(input), DateError::LunisolarMeiji { .. }),
                "{input}"
            );
        }
        assert!(err("M5.1.1").to_string().contains("旧暦"));
        assert!(err("M1.2.1").to_string().starts_with("明治元年の日付"));
    }

    #[test]
    fn messages_contain_no_more_than_date_parts() {
        // Unrecognized input is not echoed back at all.
        let message = err("山田太郎 S41.4.1").to_string();
        assert!(!message.contains("山田"));
        for e in [
            err(""),
            err("???"),
            err("S0.1.1"),
            err("S41.13.1"),
            err("S41.2.30"),
            err("S42.2.29"),
            err("S65.1.1"),
            err("H31.5.1"),
            err("S1.12.1"),
            err("M5.1.1"),
        ] {
            let message = e.to_string();
            assert!(!message.is_empty());
            // Every message tells staff what to do.
            assert!(
                message.contains("入力してください") || message.contains("ご相談ください"),
                "{message}"
            );
        }
    }

    // ---- era API ----

    #[test]
    fn era_metadata() {
        assert_eq!(Era::Showa.name(), "昭和");
        assert_eq!(Era::Showa.to_string(), "昭和");
        assert_eq!(Era::Heisei.letter(), 'H');
        assert_eq!(Era::Meiji.first_day(), d(1868, 1, 25));
        assert_eq!(Era::Meiji.last_day(), Some(d(1912, 7, 29)));
        assert_eq!(Era::Taisho.last_day(), Some(d(1926, 12, 24)));
        assert_eq!(Era::Showa.last_day(), Some(d(1989, 1, 7)));
        assert_eq!(Era::Heisei.last_day(), Some(d(2019, 4, 30)));
        assert_eq!(Era::Reiwa.last_day(), None);
        assert_eq!(Era::Meiji.max_year(), Some(45));
        assert_eq!(Era::Taisho.max_year(), Some(15));
        assert_eq!(Era::Showa.max_year(), Some(64));
        assert_eq!(Era::Heisei.max_year(), Some(31));
        assert_eq!(Era::Reiwa.max_year(), None);
        assert_eq!(Era::of(d(1989, 1, 7)), Some(Era::Showa));
        assert_eq!(Era::of(d(1989, 1, 8)), Some(Era::Heisei));
        assert_eq!(Era::of(d(1872, 12, 31)), None);
        for pair in Era::ALL.windows(2) {
            assert_eq!(pair[0].next(), Some(pair[1]));
            assert_eq!(pair[1].previous(), Some(pair[0]));
        }
    }

    #[test]
    fn from_era_ymd_for_picker() {
        assert_eq!(from_era_ymd(Era::Showa, 41, 4, 1), Ok(d(1966, 4, 1)));
        assert_eq!(from_era_ymd(Era::Reiwa, 1, 5, 1), Ok(d(2019, 5, 1)));
        assert_eq!(from_era_ymd(Era::Showa, 0, 4, 1), Err(DateError::YearZero));
        assert!(matches!(
            from_era_ymd(Era::Reiwa, 999_999, 1, 1),
            Err(DateError::YearOutOfRange { .. })
        ));
        assert!(matches!(
            from_era_ymd(Era::Reiwa, u32::MAX, 1, 1),
            Err(DateError::YearOutOfRange { .. })
        ));
        assert!(matches!(
            from_era_ymd(Era::Showa, u32::MAX, 1, 1),
            Err(DateError::EraYearTooLarge { .. })
        ));
    }

    #[test]
    fn to_wareki_forms() {
        assert_eq!(to_wareki(d(1966, 4, 1)), "昭和41年4月1日");
        assert_eq!(to_wareki(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(to_wareki(d(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(to_wareki(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(to_wareki(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(to_wareki(d(2026, 4, 1)), "令和8年4月1日");
        assert_eq!(to_wareki(d(1926, 12, 25)), "昭和元年12月25日");
        assert_eq!(to_wareki(d(1912, 7, 30)), "大正元年7月30日");
        assert_eq!(to_wareki(d(1873, 1, 1)), "明治6年1月1日");
        assert_eq!(to_wareki(d(1872, 12, 31)), "1872年12月31日");
    }

    #[test]
    fn to_wareki_round_trips_through_parse() {
        let mut date = d(1873, 1, 1);
        let end = d(2030, 12, 31);
        while date <= end {
            assert_eq!(ok(&to_wareki(date)), date, "{date}");
            date = date + chrono::Days::new(1);
        }
    }
}
