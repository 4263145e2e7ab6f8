//! Every sentence the classes flow shows, in one place: the class list,
//! the residents' results (当選 / 補欠 N番 / 今回は選ばれませんでした …),
//! what an application came to ([`Outcome`]), and the attendance sheet.
//! Each is a function of data; the spoken sentence of each result is
//! chosen from the same data in `voice.rs`. The `.slint` side only lays
//! these out.

use chrono::NaiveDate;

use super::{ClassRow, Outcome};
use crate::jp_date;
use crate::store::class_day::{ABSENCES_TO_CALL, AttendanceSheet, SheetRow};
use crate::store::lottery::{ApplicationStatus, ApplyOutcome, ClassResult};

/// The flow's fixed words: buttons, titles, accessible labels (the tests
/// find controls by these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Class mode's big line: touch the card.
    pub card: &'static str,
    /// What the tap will show, under the big line.
    pub card_hint: &'static str,
    /// Leaves class mode, or a result, back to the previous screen.
    pub back: &'static str,
    /// Above the card holder's results.
    pub results: &'static str,
    /// The class list's previous-page button.
    pub prev: &'static str,
    /// Read out for the previous-page button.
    pub prev_label: &'static str,
    /// The class list's next-page button.
    pub next: &'static str,
    /// Read out for the next-page button.
    pub next_label: &'static str,
    /// Read out for the page number.
    pub page: &'static str,
    /// Read out for the applied screen's headline.
    pub applied: &'static str,
    /// Read out for the entry number on the applied screen.
    pub entry: &'static str,
    /// Read out for the attendance sheet's summary line.
    pub sheet_summary: &'static str,
    /// The attendance sheet with nobody on it.
    pub sheet_empty: &'static str,
    /// The sheet's previous-page button.
    pub sheet_prev: &'static str,
    /// Read out for the sheet's previous-page button.
    pub sheet_prev_label: &'static str,
    /// The sheet's next-page button.
    pub sheet_next: &'static str,
    /// Read out for the sheet's next-page button.
    pub sheet_next_label: &'static str,
}

/// The flow's fixed words.
pub const WORDS: Words = Words {
    card: "カードをタッチしてください",
    card_hint: "教室のもうしこみと、ちゅうせんの結果を見られます。",
    back: "もどる",
    results: "ちゅうせんの結果",
    prev: "◀ まえ",
    prev_label: "まえのページ",
    next: "つぎ ▶",
    next_label: "つぎのページ",
    page: "ページ",
    applied: "もうしこみました",
    entry: "受付番号",
    sheet_summary: "出席のまとめ",
    sheet_empty: "当選した方はいません。",
    sheet_prev: "▲",
    sheet_prev_label: "前のページ",
    sheet_next: "▼",
    sheet_next_label: "次のページ",
};

/// A class's words on its big button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassText {
    /// "12月3日（木）から 全4回".
    pub dates: String,
    /// "定員 20人".
    pub capacity: String,
    /// "しめきり 11月15日（日）・ちゅうせん 11月20日（金）".
    pub period: String,
    /// The button's three lines, whole.
    pub button: String,
}

/// A class taking applications, in words.
pub fn class_text(c: &ClassRow) -> ClassText {
    let dates = match c.session_dates.as_slice() {
        [] => String::new(),
        [one] => jp_date::md_weekday(*one),
        [first, ..] => format!(
            "{}から 全{}回",
            jp_date::md_weekday(*first),
            c.session_dates.len()
        ),
    };
    let capacity = format!("定員 {}人", c.capacity);
    let period = format!(
        "しめきり {}・ちゅうせん {}",
        jp_date::md_weekday(c.apply_until),
        jp_date::md_weekday(c.draw_on)
    );
    ClassText {
        button: format!("{}\n{dates}　{capacity}\n{period}", c.title),
        dates,
        capacity,
        period,
    }
}

/// The line above the classes on the list (and on the desk's list).
pub fn list_prompt(has_classes: bool) -> &'static str {
    if has_classes {
        "もうしこむ教室をおしてください。"
    } else {
        "いまもうしこめる教室はありません。"
    }
}

/// A result in a word or two, in big type: 当選 / 補欠 N番 /
/// 今回は選ばれませんでした, and the states around them.
pub fn result_label(r: &ClassResult) -> String {
    match r.status {
        ApplicationStatus::Applied => "ちゅうせん待ち".to_owned(),
        ApplicationStatus::Withdrawn => "取り下げ".to_owned(),
        ApplicationStatus::Won => "当選".to_owned(),
        ApplicationStatus::MovedUp => "当選（くり上げ）".to_owned(),
        ApplicationStatus::Waiting => format!("ほけつ {}番", r.waiting_rank.unwrap_or_default()),
        ApplicationStatus::NotSelected => "今回は選ばれませんでした".to_owned(),
        ApplicationStatus::Cancelled => "じたい".to_owned(),
    }
}

/// The sentence under a result, with the class's title.
pub fn result_message(r: &ClassResult) -> String {
    match r.status {
        ApplicationStatus::Applied => format!(
            "{}は、受付番号 {}番です。ちゅうせんは{}です。",
            r.title,
            r.entry_number,
            jp_date::md(r.draw_on)
        ),
        ApplicationStatus::Won | ApplicationStatus::MovedUp => match r.starts_on {
            Some(first) => format!(
                "{}は当選です。{}から始まります。",
                r.title,
                jp_date::md(first)
            ),
            None => format!("{}は当選です。", r.title),
        },
        ApplicationStatus::Waiting => format!(
            "{}は、ほけつ {}番です。空きが出たら、れんらくします。",
            r.title,
            r.waiting_rank.unwrap_or_default()
        ),
        ApplicationStatus::NotSelected => format!(
            "{}は、今回は選ばれませんでした。またのもうしこみをお待ちしています。",
            r.title
        ),
        ApplicationStatus::Withdrawn => format!("{}は、もうしこみを取り下げました。", r.title),
        ApplicationStatus::Cancelled => format!("{}は、参加をじたいされました。", r.title),
    }
}

/// An application's result screen in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeText {
    /// The big line, whole.
    pub headline: String,
    /// The class's title under it (empty when the headline holds it).
    pub detail: String,
    /// 「受付番号 12番」 in very large type, or empty.
    pub entry: String,
    /// The entry number alone (the number's accessible value), or empty.
    pub entry_number: String,
    /// What to do next, in a sentence.
    pub message: String,
}

/// What an application to `title` came to, as the resident reads it.
pub fn outcome(title: &str, o: &Outcome) -> OutcomeText {
    match o {
        Outcome::Applied {
            entry_number,
            draw_on,
            ..
        } => OutcomeText {
            headline: format!("もうしこみました　{title}"),
            detail: String::new(),
            entry: format!("受付番号 {entry_number}番"),
            entry_number: entry_number.to_string(),
            message: format!(
                "ちゅうせんは{}です。そのあと、このカードをタッチすると結果が見られます。",
                jp_date::md_weekday(*draw_on)
            ),
        },
        Outcome::NeedsAddress => OutcomeText {
            headline: "ご住所の登録がいります".to_owned(),
            detail: title.to_owned(),
            entry: String::new(),
            entry_number: String::new(),
            // No kanji keyboard at the kiosk: staff apply on the resident's
            // behalf with the address.
            message: "はじめてのもうしこみには、ご住所の登録がいります。受付のスタッフにお声がけください。スタッフが代わりにもうしこみます。".to_owned(),
        },
        refused => OutcomeText {
            headline: "もうしこみできませんでした".to_owned(),
            detail: title.to_owned(),
            entry: String::new(),
            entry_number: String::new(),
            message: refusal(refused),
        },
    }
}

/// Why an application was refused (at the kiosk and at the desk); empty
/// for an application that was recorded or waits for the address. The
/// sentences are the store's [`ApplyOutcome::message`], which the command
/// line prints too, so the desk, the kiosk and the terminal say the same.
pub fn refusal(o: &Outcome) -> String {
    let stored = match o {
        Outcome::Applied { .. } | Outcome::NeedsAddress => return String::new(),
        Outcome::Duplicate { entry_number } => ApplyOutcome::Duplicate {
            entry_number: *entry_number,
        },
        Outcome::NotEligible {
            session_date,
            reaches_age_on,
        } => ApplyOutcome::NotEligible {
            session_date: *session_date,
            reaches_age_on: *reaches_age_on,
        },
        Outcome::Closed => ApplyOutcome::Closed,
        Outcome::OtherClass { other_title } => ApplyOutcome::OtherClassThisTerm {
            other_title: other_title.clone(),
        },
    };
    stored.message()
}

/// At the desk: an application on the person's behalf was recorded.
pub fn staff_applied(title: &str, entry_number: u32, draw_on: NaiveDate) -> String {
    format!(
        "「{title}」に申し込みました。受付番号 {entry_number}番（抽選 {}）。",
        jp_date::md_weekday(draw_on)
    )
}

/// At the desk: a first application needs the address, but the town is not
/// known from the postal code on record.
pub const STAFF_NO_TOWN: &str = "はじめての申し込みには住所がいりますが、町名がわかりません。先に本人確認をやり直してください。";

/// The attendance sheet's title bar.
pub fn sheet_header(title: &str) -> String {
    format!("出席簿　{title}")
}

/// The series so far: sessions, dates, rate, who to call.
pub fn sheet_summary(sheet: &AttendanceSheet) -> String {
    let dates: Vec<String> = sheet
        .dates
        .iter()
        .map(|d| d.format("%-m/%-d").to_string())
        .collect();
    let rate = match sheet.rate_percent() {
        Some(r) => format!(
            "出席率 {r:.1}%（延べ {} / {}）",
            sheet.attended(),
            sheet.possible()
        ),
        None => "まだ始まっていません".to_owned(),
    };
    let to_call = sheet.to_call().count();
    let call = if to_call > 0 {
        format!(
            "。続けて{ABSENCES_TO_CALL}回以上休んでいる方 {to_call}人：ようすをうかがいましょう"
        )
    } else {
        String::new()
    };
    format!("{}回（{}）　{rate}{call}", dates.len(), dates.join(" "))
}

/// 「12番 ヤマダ ハナコ」 (the furigana only for roles that handle people).
pub fn sheet_who(r: &SheetRow) -> String {
    match r.kana.as_deref().map(String::as_str) {
        Some(name) if !name.is_empty() => format!("{}番 {name}", r.entry_number),
        _ => format!("{}番", r.entry_number),
    }
}

/// 「○○×× 出席 2/4 続けて2回休み」.
pub fn sheet_marks(r: &SheetRow) -> String {
    let mut marks = format!("{}　出席 {}/{}", r.marks_text(), r.attended(), r.held());
    if r.absences_in_row > 0 {
        marks.push_str(&format!("　続けて{}回休み", r.absences_in_row));
    }
    marks
}

// ---- Large text (issue 18) ----
//
// The class screens in the large layout: one short line each, only kanji
// of grades 1–4 (教育漢字 1–4年), harder words in hiragana (ちゅうせん,
// ほけつ, しめきり, じたい). No 「」.

/// The words of class mode that change in the large layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeWords {
    /// Under 「カードをタッチしてください」 in class mode.
    pub card_hint: &'static str,
    /// Above the card holder's results.
    pub results: &'static str,
}

/// The large layout's words of class mode.
pub const LARGE_WORDS: LargeWords = LargeWords {
    card_hint: "教室の 申しこみと 結果を 見られます",
    results: "ちゅうせんの 結果",
};

/// A class's big button in the large layout: its title, its dates and the
/// last day to apply, one a line.
pub fn class_button_large(c: &ClassRow) -> String {
    let t = class_text(c);
    format!(
        "{}\n{}\nしめきり {}",
        c.title,
        t.dates,
        jp_date::md_weekday(c.apply_until)
    )
}

/// The line above the classes in the large layout.
pub fn list_prompt_large(has_classes: bool) -> &'static str {
    if has_classes {
        "申しこむ 教室を おしてください"
    } else {
        "いま 申しこめる 教室は ありません"
    }
}

/// A result in a word or two in the large layout.
pub fn result_label_large(r: &ClassResult) -> String {
    match r.status {
        ApplicationStatus::Applied => "ちゅうせん 待ち".to_owned(),
        ApplicationStatus::Withdrawn => "取り下げ".to_owned(),
        ApplicationStatus::Won | ApplicationStatus::MovedUp => "当選".to_owned(),
        ApplicationStatus::Waiting => format!("ほけつ {}番", r.waiting_rank.unwrap_or_default()),
        ApplicationStatus::NotSelected => "今回は 外れました".to_owned(),
        ApplicationStatus::Cancelled => "じたい".to_owned(),
    }
}

/// The line under a result in the large layout: the class and one short
/// next step.
pub fn result_message_large(r: &ClassResult) -> String {
    let next = match r.status {
        ApplicationStatus::Applied => format!("ちゅうせんは {}", jp_date::md(r.draw_on)),
        ApplicationStatus::Won | ApplicationStatus::MovedUp => match r.starts_on {
            Some(d) => format!("{}から", jp_date::md(d)),
            None => String::new(),
        },
        ApplicationStatus::Waiting => "あきが 出たら れんらくします".to_owned(),
        ApplicationStatus::NotSelected => "また 申しこんでください".to_owned(),
        ApplicationStatus::Withdrawn | ApplicationStatus::Cancelled => String::new(),
    };
    if next.is_empty() {
        r.title.clone()
    } else {
        format!("{}　{next}", r.title)
    }
}

/// What an application to `title` came to, in the large layout.
pub fn outcome_large(title: &str, o: &Outcome) -> OutcomeText {
    match o {
        Outcome::Applied {
            entry_number,
            draw_on,
            ..
        } => OutcomeText {
            headline: "申しこみました".to_owned(),
            detail: title.to_owned(),
            entry: format!("受付番号 {entry_number}番"),
            entry_number: entry_number.to_string(),
            message: format!("ちゅうせんは {}です", jp_date::md_weekday(*draw_on)),
        },
        Outcome::NeedsAddress => OutcomeText {
            headline: "住所の 登録が いります".to_owned(),
            detail: title.to_owned(),
            entry: String::new(),
            entry_number: String::new(),
            message: "受付で 声をかけてください".to_owned(),
        },
        refused => OutcomeText {
            headline: "申しこめませんでした".to_owned(),
            detail: title.to_owned(),
            entry: String::new(),
            entry_number: String::new(),
            message: refusal_large(refused),
        },
    }
}

/// Why an application was refused, in the large layout.
fn refusal_large(o: &Outcome) -> String {
    match o {
        Outcome::Applied { .. } | Outcome::NeedsAddress => String::new(),
        Outcome::Duplicate { entry_number } => {
            format!("もう 申しこんでいます　受付番号 {entry_number}番")
        }
        Outcome::NotEligible {
            reaches_age_on: Some(_),
            ..
        } => "年れいが まだ たりません".to_owned(),
        Outcome::NotEligible {
            reaches_age_on: None,
            ..
        } => "受付で 声をかけてください".to_owned(),
        Outcome::Closed => "いまは 申しこめません".to_owned(),
        Outcome::OtherClass { other_title } => format!("{other_title}に 申しこんでいます"),
    }
}
