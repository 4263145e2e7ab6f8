//! Every sentence the waiting and check-in flow shows a resident, in one
//! place. The `.slint` side only lays these out.

use zeroize::Zeroizing;

use super::{Outcome, ResidentLayout, Tone};
use crate::jp_date;

/// The flow's fixed words: buttons, titles, accessible labels (the tests
/// find controls by these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Above the waiting list.
    pub today: &'static str,
    /// The waiting list's page number, for screen readers.
    pub page: &'static str,
    /// The waiting screen's button into class mode.
    pub classes: &'static str,
    /// The purpose of the records: its button and its screen's title.
    pub purpose: &'static str,
    /// The waiting screen's small staff button …
    pub staff: &'static str,
    /// … its accessible label, and the 準備中 screen's button.
    pub sign_in: &'static str,
    /// The 準備中 screen's heading (the store is locked until a staff sign-in).
    pub locked: &'static str,
    /// What the 準備中 screen asks of staff.
    pub locked_hint: &'static str,
    /// 研修モード on the 準備中 screen.
    pub training: &'static str,
    /// The accessible label of the card holder's name on a result.
    pub name: &'static str,
    /// Leaves a result screen before its timeout.
    pub back: &'static str,
    /// The accessible label of the notice above the choices.
    pub notice: &'static str,
    /// The choice screen's title.
    pub choose: &'static str,
    /// Leaves the choice screen.
    pub cancel: &'static str,
}

/// The flow's fixed words.
pub const WORDS: Words = Words {
    today: "今日の活動",
    page: "ページ",
    classes: "教室のもうしこみ・ちゅうせんの結果",
    purpose: "記録の使いみち",
    staff: "スタッフ",
    sign_in: "スタッフのサインイン",
    locked: "じゅんび中です",
    locked_hint: "受付を始めるには、スタッフがサインインしてください。",
    training: "研修モード（架空のデータで練習）",
    name: "お名前",
    back: "もどる",
    notice: "お知らせ",
    choose: "参加する活動を選んでください",
    cancel: "やめる",
};

/// The purpose of the records (also agreed to at registration).
pub const PURPOSE: &str = crate::store::participants::PURPOSE_STATEMENT;

/// The waiting list when there is no activity today.
pub const NO_ACTIVITIES: &str = "今日の活動はありません。";
/// The waiting list after the day's last activity.
pub const ACTIVITIES_OVER: &str = "今日の活動は終わりました。";

/// The waiting screen's big line.
pub fn waiting_prompt(reader_connected: bool) -> &'static str {
    if reader_connected {
        "カードをタッチしてください"
    } else {
        "いまはカードが使えません"
    }
}

/// The red banner while the card reader is away: the reader's own wording
/// from `tsudoi_hw` (written once, there), and what to do.
pub fn reader_banner() -> String {
    let state = tsudoi_hw::ReaderState::NotConnected {
        reason: String::new(),
    };
    format!("{state}。受付にお声がけください。")
}

/// Beside the waiting list's page number ("1/2"): the pages turn by themselves.
pub fn page_note(page: &str) -> String {
    if page.is_empty() {
        String::new()
    } else {
        format!("（{page}）つづきは自動で出ます")
    }
}

/// The same in the large layout: the page alone (「（1/2）」).
pub fn page_note_large(page: &str) -> String {
    if page.is_empty() {
        String::new()
    } else {
        format!("（{page}）")
    }
}

/// A session as a button of the choice screen: its title and time.
pub fn choice_label(title: &str, time: &str) -> String {
    format!("{title}　{time}")
}

/// A lottery class is running and the card holder has no seat in it.
fn no_seat(class_title: &str, waiting_rank: Option<u32>) -> String {
    match waiting_rank {
        Some(rank) => format!(
            "{class_title}は、ちゅうせんで当選した方の教室です。いまは、ほけつ {rank}番です。空きが出たら、れんらくします。"
        ),
        None => format!("{class_title}は、ちゅうせんで当選した方の教室です。"),
    }
}

/// Above the choices when a lottery class running now is not among them.
pub fn choose_notice(class_title: &str, waiting_rank: Option<u32>) -> String {
    format!(
        "{}ほかの活動に参加するときは、選んでください。",
        no_seat(class_title, waiting_rank)
    )
}

/// The result screen: colours, headline, the card holder's own name, the
/// activity, and what to do. No `Debug`: it holds the card holder's name.
#[derive(Clone, PartialEq, Eq)]
pub struct ResultText {
    /// The result's colour ([`Tone`]).
    pub tone: Tone,
    /// The result in a few big words (「受付しました」 …).
    pub headline: &'static str,
    /// 「… さん」 on a check-in, else empty.
    pub name: Zeroizing<String>,
    /// The activity or class, else empty.
    pub detail: String,
    /// What to do next, in a sentence.
    pub message: String,
}

/// The words of a tap's result.
pub fn result(outcome: &Outcome) -> ResultText {
    let (headline, name, detail, message): (&'static str, Option<&str>, &str, String) =
        match outcome {
            Outcome::CheckedIn {
                kana,
                session_title,
            } => (
                "受付しました",
                Some(kana.as_str()),
                session_title,
                "ようこそ。受付ができました。".into(),
            ),
            Outcome::AlreadyCheckedIn {
                kana,
                session_title,
            } => (
                "受付はすんでいます",
                Some(kana.as_str()),
                session_title,
                "今日の受付は、もうすんでいます。そのままお入りください。".into(),
            ),
            Outcome::UnknownCard => (
                "受付にお声がけください",
                None,
                "",
                "受付にお声がけください。カードの登録をします。".into(),
            ),
            Outcome::ReverificationDue => (
                "ご本人のかくにんをお願いします",
                None,
                "",
                "ご本人のかくにんの時期です。受付で、ほけんしょうなどを見せてください。".into(),
            ),
            Outcome::NotEligible { reaches_age_on } => (
                "今日は受付できません",
                None,
                "",
                format!(
                    "この活動は60さいからです。{}から参加できます。受付にお声がけください。",
                    jp_date::ymd(*reaches_age_on)
                ),
            ),
            Outcome::SessionFull => (
                "定員になりました",
                None,
                "",
                "この活動は定員になりました。受付にお声がけください。".into(),
            ),
            Outcome::NoSession => (
                "いまは受付の時間ではありません",
                None,
                "",
                "いま受付できる活動はありません。時間をたしかめるか、受付にお声がけください。"
                    .into(),
            ),
            // A phone or watch is named as such, in the reader's own words.
            Outcome::CardError(e @ tsudoi_hw::CardIdError::RandomIdentifier) => {
                ("もう一度タッチしてください", None, "", e.to_string())
            }
            Outcome::CardError(_) => (
                "もう一度タッチしてください",
                None,
                "",
                "カードが読み取れませんでした。もう一度ゆっくりタッチしてください。うまくいかないときは受付にお声がけください。".into(),
            ),
            Outcome::Fault => (
                "係の者をおよびください",
                None,
                "",
                "受付を記録できませんでした。係の者がたしかめます。このままお声がけください。"
                    .into(),
            ),
            Outcome::ClockUnconfirmed => (
                "時計のかくにんが必要です",
                None,
                "",
                "この機械の時計をたしかめるまで、受付はできません。受付にお声がけください。".into(),
            ),
            Outcome::NoSeat {
                class_title,
                waiting_rank,
            } => (
                "当選した方の教室です",
                None,
                class_title,
                no_seat(class_title, *waiting_rank),
            ),
        };
    ResultText {
        tone: outcome.tone(),
        headline,
        name: Zeroizing::new(name.map(|k| format!("{k} さん")).unwrap_or_default()),
        detail: detail.to_owned(),
        message,
    }
}

// ---- Large text (issue 18) ----
//
// The words of the large layout: one short message a screen, the next step
// as one short line, and only kanji taught in grades 1–4 of elementary
// school (教育漢字 1–4年); harder words in hiragana (まどぐち, ちゅうせん,
// ほけつ, しめきり). No 「」.

/// The waiting screen's button, in the words of its state: it turns large
/// text on, and once on, offers the way back.
pub fn large_button(layout: ResidentLayout) -> &'static str {
    match layout {
        ResidentLayout::Normal => "文字を大きく",
        ResidentLayout::Large => "もとの大きさにもどす",
    }
}

/// The choice screen's title in the large layout.
pub const CHOOSE_LARGE: &str = "どれに 参加しますか";

/// The purpose of the records in the large layout, in two short sentences;
/// the whole statement is read out at the desk and shown in the normal layout.
pub const PURPOSE_LARGE: &str =
    "記録は 受付と れんらくだけに 使います。\nくわしくは 受付で 聞いてください。";

/// What to do in most of the large layout's refusals.
const ASK_DESK: &str = "受付で 声をかけてください";

/// Above the choices in the large layout, when a lottery class running now
/// is not among them: that alone (the waiting rank is on the class's own
/// screen), and the choice screen's title gives way to it.
pub fn choose_notice_large(class_title: &str) -> String {
    format!("{class_title}は 当選した方の 教室です")
}

/// The words of a tap's result in the large layout: the headline alone,
/// the card holder's own name, and the next step as one short line.
pub fn result_large(outcome: &Outcome) -> ResultText {
    let (headline, name, detail, message): (&'static str, Option<&str>, &str, String) =
        match outcome {
            Outcome::CheckedIn { kana, .. } => (
                "受付しました",
                Some(kana.as_str()),
                "",
                "そのまま お入りください".into(),
            ),
            Outcome::AlreadyCheckedIn { kana, .. } => (
                "受付は もう すんでいます",
                Some(kana.as_str()),
                "",
                "そのまま お入りください".into(),
            ),
            Outcome::UnknownCard => ("まだ 使えない カードです", None, "", ASK_DESK.into()),
            Outcome::ReverificationDue => (
                "ご本人の かくにんを します",
                None,
                "",
                "受付で ほけんしょうを 見せてください".into(),
            ),
            Outcome::NotEligible { reaches_age_on } => (
                "今日は 受付できません",
                None,
                "",
                format!("{}から 参加できます", jp_date::ymd(*reaches_age_on)),
            ),
            Outcome::SessionFull => ("人数が いっぱいです", None, "", ASK_DESK.into()),
            Outcome::NoSession => ("受付の 時間では ありません", None, "", ASK_DESK.into()),
            Outcome::CardError(tsudoi_hw::CardIdError::RandomIdentifier) => (
                "カードで タッチしてください",
                None,
                "",
                "スマホや 時計は 使えません".into(),
            ),
            Outcome::CardError(_) => (
                "もう一度 タッチしてください",
                None,
                "",
                "ゆっくり タッチしてください".into(),
            ),
            Outcome::Fault => (
                "係の者を およびください",
                None,
                "",
                "受付は まだ できていません".into(),
            ),
            Outcome::ClockUnconfirmed => ("いまは 受付できません", None, "", ASK_DESK.into()),
            Outcome::NoSeat {
                class_title,
                waiting_rank,
            } => (
                "当選した方の 教室です",
                None,
                class_title,
                match waiting_rank {
                    Some(rank) => format!("いまは ほけつ {rank}番です"),
                    None => ASK_DESK.into(),
                },
            ),
        };
    ResultText {
        tone: outcome.tone(),
        headline,
        name: Zeroizing::new(name.map(|k| format!("{k} さん")).unwrap_or_default()),
        detail: detail.to_owned(),
        message,
    }
}
