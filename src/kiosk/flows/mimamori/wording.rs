//! Every sentence and label of 「おやすみが続いている方」, in one place.

use chrono::NaiveDate;

use super::CallNotice;
use crate::eligibility::PhoneNumber;
use crate::jp_date;
use crate::store::mimamori::{NO_ANSWER_REMINDER, WatchEntry};

/// The list's title bar.
pub const LIST_TITLE: &str = "おやすみが続いている方（見守り）";
/// The call form's title bar.
pub const CALL_TITLE: &str = "電話の結果を記録する";
/// Above the list: what to do with it.
pub const LIST_GUIDE: &str = "電話をかけた方を押して、結果を記録します。";
/// The list with nobody on it.
pub const EMPTY: &str = "いま、おやすみが続いている方はいません。";
/// Leaves the list (to 「グループ・見守り」) or the form (to the list).
pub const BACK: &str = "もどる";
/// The list's previous page.
pub const PREV: &str = "前へ";
/// The list's next page.
pub const NEXT: &str = "次へ";
/// Moves the call's day a day back.
pub const EARLIER: &str = "前の日";
/// Moves the call's day a day forward.
pub const LATER: &str = "次の日";
/// Records the chosen outcome on the chosen day.
pub const RECORD: &str = "記録する";
/// Above the outcome buttons.
pub const OUTCOME_CAPTION: &str = "電話の結果";
/// Above the call's day.
pub const DAY_CAPTION: &str = "電話をした日";
/// 「記録する」 before an outcome was chosen.
pub const CHOOSE_OUTCOME: &str = "電話の結果を1つ選んでから「記録する」を押してください。";
/// Marks a row whose calls call for the reminder.
pub const REMIND_MARK: &str = "センターへのお知らせを検討";

/// A phone as written for a call.
pub fn phone(raw: &str) -> String {
    PhoneNumber::parse(raw).map_or_else(|_| raw.to_owned(), |n| n.display())
}

/// The row's first line: furigana and name.
pub fn who(e: &WatchEntry) -> String {
    format!("{}　{}", e.kana.as_str(), e.name.as_str())
}

/// The row's second line: the phone and the last visit.
pub fn phone_line(e: &WatchEntry) -> String {
    format!(
        "電話 {}　最後に来た日 {}",
        phone(&e.phone),
        jp_date::md_weekday(e.candidate.last_visit)
    )
}

/// Where they used to come: "ローズ会 4回、体操教室 5回".
pub fn contexts(e: &WatchEntry) -> String {
    e.candidate
        .contexts
        .iter()
        .map(|c| format!("{} {}回", c.name, c.visits))
        .collect::<Vec<_>>()
        .join("、")
}

/// The latest outcome since the last visit, or that nobody called yet.
pub fn last_outcome(e: &WatchEntry) -> String {
    match e.candidate.last_outcome {
        Some((o, d)) => format!("前回の電話: {}（{}）", o.label(), jp_date::md(d)),
        None => "まだ電話していません".into(),
    }
}

/// The row's third line: contexts and the latest outcome.
pub fn detail(e: &WatchEntry) -> String {
    let line = format!("{}　{}", contexts(e), last_outcome(e));
    if e.candidate.no_answer >= NO_ANSWER_REMINDER {
        format!("【{REMIND_MARK}】{line}")
    } else {
        line
    }
}

/// The accessible label of a row (what a test or a screen reader presses).
pub fn row_label(e: &WatchEntry) -> String {
    format!("{}（{}）", e.name.as_str(), e.kana.as_str())
}

/// The day of the call: "12月3日（木）　今日".
pub fn day(d: NaiveDate, today: NaiveDate) -> String {
    let rel = match (today - d).num_days() {
        0 => "　今日",
        1 => "　昨日",
        _ => "",
    };
    format!("{}{rel}", jp_date::md_weekday(d))
}

/// What recording came to.
pub fn notice(n: &CallNotice) -> (String, bool) {
    match n {
        CallNotice::Recorded { outcome, on, .. } => (
            format!(
                "{}の電話を「{}」と記録しました。",
                jp_date::md(*on),
                outcome.label()
            ),
            false,
        ),
        CallNotice::Failed(m) => (format!("記録できませんでした。{m}"), true),
        CallNotice::ChooseOutcome => (CHOOSE_OUTCOME.into(), true),
    }
}

/// "1/3" when the list has more than one page, else empty.
pub fn page(page: usize, pages: usize) -> String {
    if pages > 1 {
        format!("{}/{}", page + 1, pages)
    } else {
        String::new()
    }
}
