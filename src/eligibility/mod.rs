//! Eligibility for the ward's community space: an address in the ward and
//! age 60 or over (区内に住所を有する60歳以上の者), judged on the day of the
//! session (not the day of registration).
//!
//! * [`date`]: birth dates as written on ID documents (西暦 and 和暦);
//! * [`age`]: age under Japanese law (reached on the day before the birthday);
//! * [`postal`]: postal codes and the ward's postal-code table;
//! * [`phone`]: phone numbers;
//! * [`text`]: full-width/half-width folding.
//!
//! [`decide`] turns already-validated facts into a [`Decision`]; [`check`]
//! does the same from raw kiosk input. Invalid input (an [`InputError`]) and
//! "valid but not eligible" (a [`Decision`] with `eligible == false`) are
//! different outcomes on purpose: the first asks staff to re-enter, the
//! second tells them why the person is not eligible.
//!

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod age;
pub mod date;
pub mod phone;
pub mod postal;
pub mod text;

use crate::jp_date;
use chrono::{Months, NaiveDate};
use serde::Serialize;
use thiserror::Error;

pub use self::age::{age_on, reaches_age_on};
pub use self::date::{DateError, Era, from_era_ymd, parse_date, to_wareki};
pub use self::phone::{PhoneError, PhoneKind, PhoneNumber};
pub use self::postal::{PostalCode, PostalError, PostalTable, Residence, SHINJUKU_WARD_NAME};
pub use self::text::{normalize_digits_and_punct, to_halfwidth};

/// The program's rules. `Default` is the ward's current rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Minimum age on the session day (60).
    pub minimum_age: u32,
    /// How many months a residency/age check stays valid before staff must
    /// look at the ID document again (12).
    pub reverify_after_months: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            minimum_age: 60,
            reverify_after_months: 12,
        }
    }
}

/// The outcome of an eligibility check, for the staff screen and the audit
/// record. Serialises dates as ISO `YYYY-MM-DD`.
///
/// `reasons` holds Japanese sentences for staff:
/// * not eligible: one sentence per failed condition (birth date after the
///   judging day, not yet the minimum age, postal code outside the ward), in
///   that order;
/// * eligible: exactly one positive sentence (age on the day and the ward /
///   town), so the staff screen always has something to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// True if the person is in the ward and old enough on `judged_on`.
    pub eligible: bool,
    /// The birth date that was judged.
    #[serde(serialize_with = "iso_date")]
    pub birth_date: NaiveDate,
    /// Age on `judged_on` under Japanese law; `None` if the birth date is
    /// after `judged_on`.
    pub age: Option<u32>,
    /// The day the person reaches `Rules::minimum_age`. The name keeps "60"
    /// (the integration contract) even if the rule is changed.
    #[serde(rename = "reaches_60_on", serialize_with = "iso_date")]
    pub reaches_60_on: NaiveDate,
    /// True if the postal code is in the ward's table.
    pub in_ward: bool,
    /// The postal code as `160-0022`, when one is known. [`check`] fills it
    /// in even when the code is outside the ward; [`decide`] only knows it
    /// from the residence.
    pub postal_code: Option<String>,
    /// The town (町名), `None` outside the ward and for the ward-wide code.
    pub town: Option<String>,
    /// The session day the decision is for.
    #[serde(serialize_with = "iso_date")]
    pub judged_on: NaiveDate,
    /// Japanese sentences for staff (see the type documentation).
    pub reasons: Vec<String>,
}

fn iso_date<S: serde::Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&date.format("%Y-%m-%d"))
}

/// Decides eligibility for a session on `on`, for the Shinjuku program.
///
/// `residence` is the result of [`PostalTable::lookup`]: `None` means the
/// postal code is not in the ward. Out-of-ward reasons name 新宿区; use
/// [`decide_in_ward`] for another ward's table.
pub fn decide(
    birth: NaiveDate,
    residence: Option<&Residence>,
    on: NaiveDate,
    rules: &Rules,
) -> Decision {
    judge(
        birth,
        residence,
        residence.map(|r| &r.code),
        SHINJUKU_WARD_NAME,
        on,
        rules,
    )
}

/// [`decide`] for a ward other than Shinjuku: `ward_name` (e.g. 中野区) is
/// used in the reasons.
pub fn decide_in_ward(
    birth: NaiveDate,
    residence: Option<&Residence>,
    ward_name: &str,
    on: NaiveDate,
    rules: &Rules,
) -> Decision {
    judge(
        birth,
        residence,
        residence.map(|r| &r.code),
        ward_name,
        on,
        rules,
    )
}

fn judge(
    birth: NaiveDate,
    residence: Option<&Residence>,
    postal_code: Option<&PostalCode>,
    ward_name: &str,
    on: NaiveDate,
    rules: &Rules,
) -> Decision {
    let age = age_on(birth, on);
    let reaches = reaches_age_on(birth, rules.minimum_age);
    let old_enough = age.is_some_and(|age| age >= rules.minimum_age);
    let in_ward = residence.is_some();
    let town = residence.and_then(|r| r.town.clone());

    let mut reasons = Vec::new();
    match age {
        None => reasons.push(format!(
            "生年月日が判定日（{}）より後の日付になっています。生年月日の入力を確認してください。",
            jp_date::ymd(on)
        )),
        Some(age) if !old_enough => reasons.push(format!(
            "{}の時点で{}歳です。{}歳になるのは{}です。",
            jp_date::ymd(on),
            age,
            rules.minimum_age,
            jp_date::ymd(reaches)
        )),
        Some(_) => {}
    }
    if !in_ward {
        reasons.push(format!("この郵便番号は{ward_name}内ではありません。"));
    }
    let eligible = old_enough && in_ward;
    if eligible && let Some(age) = age {
        let place = match &town {
            Some(town) => format!("{ward_name}内（{town}）"),
            None => format!("{ward_name}内"),
        };
        reasons.push(format!(
            "{}の時点で{}歳、住所は{}です。参加の対象です。",
            jp_date::ymd(on),
            age,
            place
        ));
    }

    Decision {
        eligible,
        birth_date: birth,
        age,
        reaches_60_on: reaches,
        in_ward,
        postal_code: postal_code.map(|code| code.to_string()),
        town,
        judged_on: on,
        reasons,
    }
}

/// Raw kiosk input could not be read. This is "please re-enter", not
/// "not eligible".
#[derive(Debug, Error)]
pub enum InputError {
    /// The birth date could not be read.
    #[error(transparent)]
    Date(#[from] DateError),
    /// The postal code could not be read.
    #[error(transparent)]
    Postal(#[from] PostalError),
    /// The phone number could not be read.
    #[error(transparent)]
    Phone(#[from] PhoneError),
    /// Neither could be read; both messages are given (one per line) so
    /// staff can fix both at once.
    #[error("{date}\n{postal}")]
    Both {
        /// The birth-date problem.
        date: DateError,
        /// The postal-code problem.
        postal: PostalError,
    },
}

impl InputError {
    /// The birth-date problem, if any (to highlight the field).
    pub fn date_error(&self) -> Option<&DateError> {
        match self {
            InputError::Date(e) | InputError::Both { date: e, .. } => Some(e),
            InputError::Postal(_) | InputError::Phone(_) => None,
        }
    }

    /// The postal-code problem, if any (to highlight the field).
    pub fn postal_error(&self) -> Option<&PostalError> {
        match self {
            InputError::Postal(e) | InputError::Both { postal: e, .. } => Some(e),
            InputError::Date(_) | InputError::Phone(_) => None,
        }
    }
}

/// Parses raw kiosk input and decides.
///
/// A postal code that is well formed but not in `table` is *not* an input
/// error: it yields a decision with `in_ward == false` (and `postal_code`
/// filled in). A birth date after `on` is likewise a decision with a reason,
/// not an input error. Reasons name `table.ward_name()`, or 「対象の区」 if the
/// table has none.
pub fn check(
    birth_input: &str,
    postal_input: &str,
    on: NaiveDate,
    table: &PostalTable,
    rules: &Rules,
) -> Result<Decision, InputError> {
    let (birth, code) = match (parse_date(birth_input), PostalCode::parse(postal_input)) {
        (Ok(birth), Ok(code)) => (birth, code),
        (Err(date), Err(postal)) => return Err(InputError::Both { date, postal }),
        (Err(date), Ok(_)) => return Err(InputError::Date(date)),
        (Ok(_), Err(postal)) => return Err(InputError::Postal(postal)),
    };
    let residence = table.lookup(&code);
    let ward_name = table.ward_name().unwrap_or("対象の区");
    Ok(judge(
        birth,
        residence.as_ref(),
        Some(&code),
        ward_name,
        on,
        rules,
    ))
}

/// The day a check done on `last_check` must be redone: `last_check` plus
/// `rules.reverify_after_months` months, clamped to the end of the month
/// (2024-02-29 + 12 months = 2025-02-28; 2025-01-31 + 1 month =
/// 2025-02-28). Beyond chrono's range, [`NaiveDate::MAX`].
pub fn reverification_due_on(last_check: NaiveDate, rules: &Rules) -> NaiveDate {
    last_check
        .checked_add_months(Months::new(rules.reverify_after_months))
        .unwrap_or(NaiveDate::MAX)
}

/// True if on `today` the check done on `last_check` must be redone (from
/// the due day onward).
pub fn reverification_due(last_check: NaiveDate, today: NaiveDate, rules: &Rules) -> bool {
    today >= reverification_due_on(last_check, rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn residence(code: &str) -> Residence {
        PostalTable::shinjuku()
            .lookup(&PostalCode::parse(code).unwrap())
            .unwrap()
    }

    // ---- decide ----

    #[test]
    fn eligible_in_town() {
        let r = residence("160-0022");
        let decision = decide(d(1950, 6, 15), Some(&r), d(2026, 3, 1), &Rules::default());
        assert!(decision.eligible);
        assert_eq!(decision.age, Some(75));
        assert!(decision.in_ward);
        assert_eq!(decision.postal_code.as_deref(), Some("160-0022"));
        assert_eq!(decision.town.as_deref(), Some("新宿"));
        assert_eq!(decision.reaches_60_on, d(2010, 6, 14));
        assert_eq!(decision.judged_on, d(2026, 3, 1));
        assert_eq!(
            decision.reasons,
            vec!["2026年3月1日の時点で75歳、住所は新宿区内（新宿）です。参加の対象です。"]
        );
    }

    #[test]
    fn eligible_with_ward_wide_code() {
        let r = residence("1600000");
        let decision = decide(d(1950, 6, 15), Some(&r), d(2026, 3, 1), &Rules::default());
        assert!(decision.eligible);
        assert_eq!(decision.town, None);
        assert_eq!(decision.reasons.len(), 1);
        assert!(decision.reasons[0].contains("住所は新宿区内です"));
    }

    #[test]
    fn not_yet_60() {
        let r = residence("160-0022");
        let decision = decide(d(1966, 4, 2), Some(&r), d(2026, 3, 1), &Rules::default());
        assert!(!decision.eligible);
        assert_eq!(decision.age, Some(59));
        assert_eq!(decision.reaches_60_on, d(2026, 4, 1));
        assert_eq!(
            decision.reasons,
            vec!["2026年3月1日の時点で59歳です。60歳になるのは2026年4月1日です。"]
        );
    }

    #[test]
    fn sixty_boundary_on_session_day() {
        let r = residence("160-0022");
        let rules = Rules::default();
        let birth = d(1966, 4, 2);
        assert!(!decide(birth, Some(&r), d(2026, 3, 31), &rules).eligible);
        let on_reach_day = decide(birth, Some(&r), d(2026, 4, 1), &rules);
        assert!(on_reach_day.eligible);
        assert_eq!(on_reach_day.age, Some(60));
        // Born 1 April: already 60 on 31 March.
        assert!(decide(d(1966, 4, 1), Some(&r), d(2026, 3, 31), &rules).eligible);
        assert!(!decide(d(1966, 4, 1), Some(&r), d(2026, 3, 30), &rules).eligible);
        // Leap-day birth: 60 on 28 February 2028 (a leap year).
        assert!(!decide(d(1968, 2, 29), Some(&r), d(2028, 2, 27), &rules).eligible);
        assert!(decide(d(1968, 2, 29), Some(&r), d(2028, 2, 28), &rules).eligible);
    }

    #[test]
    fn out_of_ward() {
        let decision = decide(d(1950, 6, 15), None, d(2026, 3, 1), &Rules::default());
        assert!(!decision.eligible);
        assert!(!decision.in_ward);
        assert_eq!(decision.postal_code, None);
        assert_eq!(decision.town, None);
        assert_eq!(
            decision.reasons,
            vec!["この郵便番号は新宿区内ではありません。"]
        );
    }

    #[test]
    fn too_young_and_out_of_ward_gives_both_reasons_in_order() {
        let decision = decide(d(1970, 1, 1), None, d(2026, 3, 1), &Rules::default());
        assert!(!decision.eligible);
        assert_eq!(decision.reasons.len(), 2);
        assert!(decision.reasons[0].contains("56歳"));
        assert!(decision.reasons[1].contains("新宿区内ではありません"));
    }

    #[test]
    fn birth_after_judging_day() {
        let r = residence("160-0022");
        let decision = decide(d(2026, 3, 2), Some(&r), d(2026, 3, 1), &Rules::default());
        assert!(!decision.eligible);
        assert_eq!(decision.age, None);
        assert_eq!(decision.reasons.len(), 1);
        assert!(decision.reasons[0].contains("判定日（2026年3月1日）より後"));
    }

    #[test]
    fn other_minimum_age_keeps_field_name() {
        let rules = Rules {
            minimum_age: 65,
            ..Rules::default()
        };
        let r = residence("160-0022");
        let decision = decide(d(1961, 4, 2), Some(&r), d(2026, 3, 1), &rules);
        assert!(!decision.eligible);
        assert_eq!(decision.reaches_60_on, d(2026, 4, 1));
        assert_eq!(
            decision.reasons,
            vec!["2026年3月1日の時点で64歳です。65歳になるのは2026年4月1日です。"]
        );
    }

    #[test]
    fn decide_in_other_ward_names_it() {
        let decision = decide_in_ward(
            d(1950, 1, 1),
            None,
            "中野区",
            d(2026, 3, 1),
            &Rules::default(),
        );
        assert_eq!(
            decision.reasons,
            vec!["この郵便番号は中野区内ではありません。"]
        );
    }

    // ---- check ----

    #[test]
    fn check_from_raw_input() {
        let table = PostalTable::shinjuku();
        let decision = check(
            "昭和４１年４月２日生",
            "〒１６０－００２２",
            d(2026, 4, 1),
            &table,
            &Rules::default(),
        )
        .unwrap();
        assert!(decision.eligible);
        assert_eq!(decision.birth_date, d(1966, 4, 2));
        assert_eq!(decision.town.as_deref(), Some("新宿"));
    }

    #[test]
    fn check_valid_code_outside_ward_is_a_decision_not_an_error() {
        let table = PostalTable::shinjuku();
        let decision = check(
            "S25.6.15",
            "164-0001",
            d(2026, 3, 1),
            &table,
            &Rules::default(),
        )
        .unwrap();
        assert!(!decision.eligible);
        assert!(!decision.in_ward);
        assert_eq!(decision.postal_code.as_deref(), Some("164-0001"));
        assert_eq!(
            decision.reasons,
            vec!["この郵便番号は新宿区内ではありません。"]
        );
    }

    #[test]
    fn check_future_birth_is_a_decision() {
        let table = PostalTable::shinjuku();
        let decision = check(
            "R9.1.1",
            "160-0022",
            d(2026, 3, 1),
            &table,
            &Rules::default(),
        )
        .unwrap();
        assert!(!decision.eligible);
        assert_eq!(decision.age, None);
    }

    #[test]
    fn check_input_errors() {
        let table = PostalTable::shinjuku();
        let rules = Rules::default();
        let on = d(2026, 3, 1);

        let e = check("昭和65年1月1日", "160-0022", on, &table, &rules).unwrap_err();
        assert!(matches!(
            e,
            InputError::Date(DateError::EraYearTooLarge { .. })
        ));
        assert!(e.date_error().is_some() && e.postal_error().is_none());
        assert!(e.to_string().contains("昭和は64年"));

        let e = check("S41.4.1", "160-002", on, &table, &rules).unwrap_err();
        assert!(matches!(
            e,
            InputError::Postal(PostalError::WrongLength { given: 6 })
        ));
        assert!(e.postal_error().is_some() && e.date_error().is_none());
        assert!(e.to_string().contains("7桁"));

        let e = check("", "", on, &table, &rules).unwrap_err();
        assert!(matches!(
            e,
            InputError::Both {
                date: DateError::Empty,
                postal: PostalError::Empty
            }
        ));
        assert!(e.date_error().is_some() && e.postal_error().is_some());
        let message = e.to_string();
        assert!(
            message.contains("生年月日") && message.contains("郵便番号"),
            "{message}"
        );
    }

    #[test]
    fn check_with_table_without_ward_name() {
        let table =
            PostalTable::from_tsv("postal_code\ttown\tlabel\n1640001\t中野\t中野\n").unwrap();
        let decision = check(
            "S25.6.15",
            "160-0022",
            d(2026, 3, 1),
            &table,
            &Rules::default(),
        )
        .unwrap();
        assert_eq!(
            decision.reasons,
            vec!["この郵便番号は対象の区内ではありません。"]
        );
    }

    // ---- reverification ----

    #[test]
    fn reverification_dates() {
        let rules = Rules::default();
        assert_eq!(reverification_due_on(d(2025, 4, 1), &rules), d(2026, 4, 1));
        assert_eq!(
            reverification_due_on(d(2024, 2, 29), &rules),
            d(2025, 2, 28)
        );
        let monthly = Rules {
            reverify_after_months: 1,
            ..Rules::default()
        };
        assert_eq!(
            reverification_due_on(d(2025, 1, 31), &monthly),
            d(2025, 2, 28)
        );
        assert_eq!(
            reverification_due_on(d(2024, 1, 31), &monthly),
            d(2024, 2, 29)
        );
        assert_eq!(
            reverification_due_on(d(2025, 3, 31), &monthly),
            d(2025, 4, 30)
        );
        let never = Rules {
            reverify_after_months: u32::MAX,
            ..Rules::default()
        };
        assert_eq!(reverification_due_on(d(2025, 1, 1), &never), NaiveDate::MAX);
    }

    #[test]
    fn reverification_due_from_the_due_day() {
        let rules = Rules::default();
        let last = d(2025, 4, 1);
        assert!(!reverification_due(last, d(2025, 4, 1), &rules));
        assert!(!reverification_due(last, d(2026, 3, 31), &rules));
        assert!(reverification_due(last, d(2026, 4, 1), &rules));
        assert!(reverification_due(last, d(2027, 1, 1), &rules));
    }

    #[test]
    fn default_rules() {
        assert_eq!(
            Rules::default(),
            Rules {
                minimum_age: 60,
                reverify_after_months: 12
            }
        );
    }

    // ---- serialisation ----

    #[test]
    fn decision_json_shape() {
        let r = residence("160-0022");
        let decision = decide(d(1966, 4, 2), Some(&r), d(2026, 3, 1), &Rules::default());
        let json = serde_json::to_string(&decision).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"eligible":false,"birth_date":"1966-04-02","age":59,"#,
                r#""reaches_60_on":"2026-04-01","in_ward":true,"postal_code":"160-0022","#,
                r#""town":"新宿","judged_on":"2026-03-01","#,
                r#""reasons":["2026年3月1日の時点で59歳です。60歳になるのは2026年4月1日です。"]}"#
            )
        );
    }

    #[test]
    fn decision_json_nulls() {
        let decision = decide(d(2030, 1, 1), None, d(2026, 3, 1), &Rules::default());
        let json = serde_json::to_string(&decision).unwrap();
        assert!(json.contains(r#""age":null"#), "{json}");
        assert!(json.contains(r#""postal_code":null"#), "{json}");
        assert!(json.contains(r#""town":null"#), "{json}");
    }

    #[test]
    fn residence_serialises_code_with_hyphen() {
        let json = serde_json::to_string(&residence("1600000")).unwrap();
        assert_eq!(json, r#"{"code":"160-0000","town":null}"#);
    }
}
