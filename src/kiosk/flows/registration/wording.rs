//! Every sentence and label of 「新しい方の登録」 and of the name entry
//! (also used by the record's name and building corrections), in one
//! place. The `.slint` side only lays these out.

use super::{Confirmation, DatePart, Notice, Step};
use crate::eligibility::{Era, to_wareki};
use crate::jp_date;

/// The wizard's fixed words: buttons, titles, accessible labels (the tests
/// find controls by these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The first step's heading: which ID document staff checked.
    pub choose_document: &'static str,
    /// Leaves the registration wizard.
    pub quit: &'static str,
    /// Back one step.
    pub back: &'static str,
    /// On to the next step.
    pub next: &'static str,
    /// The consent step's heading.
    pub consent_title: &'static str,
    /// 「次へ」 on the consent step.
    pub consent_next: &'static str,
    /// The card step: what to do with the card.
    pub touch_card: &'static str,
    /// Ends the registration without linking a card (one can be added
    /// later on the record's cards screen).
    pub without_card: &'static str,
    /// The accessible labels of the confirmation and the notice lines.
    pub confirmation: &'static str,
    /// Read out for the line under a step's input.
    pub notice: &'static str,
    /// The postal code field's caption.
    pub postal: &'static str,
    /// The phone field's caption.
    pub phone: &'static str,
}

/// The wizard's fixed words.
pub const WORDS: Words = Words {
    choose_document: "確認した身分証を選んでください",
    quit: "やめる",
    back: "もどる",
    next: "次へ",
    consent_title: "ご本人に読み上げて、同意をいただいてください",
    consent_next: "同意を得て登録する",
    touch_card: "カードをタッチしてください",
    without_card: "カードなしで終える",
    confirmation: "確認の表示",
    notice: "案内",
    postal: "郵便番号",
    phone: "電話番号",
};

/// The purpose of the records, read out before consent (the same statement
/// the waiting screen shows).
pub const PURPOSE: &str = crate::store::participants::PURPOSE_STATEMENT;

/// The title bar.
pub fn header(step: Step, reverify: bool) -> String {
    match step {
        // The name step needs the room.
        Step::Name => String::new(),
        _ if reverify => "本人確認のやり直し".into(),
        _ => format!("新しい方の登録（{}/7）", step.number()),
    }
}

/// Said on the Today screen once the card is linked.
pub const CARD_LINKED: &str = "登録とカードの結び付けができました。";
/// Said on the record once the re-checked ID is recorded.
pub const REVERIFIED: &str = "本人確認を記録しました。";

/// The sentence under the input.
pub fn notice(n: &Notice) -> String {
    match n {
        Notice::None => String::new(),
        Notice::OldEnough => "参加できる年齢です。".into(),
        Notice::TooYoung { minimum_age, from } => format!(
            "{minimum_age}歳になる日（{}）から参加できます。今日は登録できません。",
            jp_date::ymd(*from)
        ),
        Notice::Invalid(why) | Notice::Name(why) | Notice::Refused(why) => why.clone(),
        Notice::OutsideWard => "区外の郵便番号です。区内にお住まいの方だけが登録できます。".into(),
        Notice::CheckEarlierSteps => "入力に誤りがあります。前の画面で確かめてください。".into(),
    }
}

/// The line saying what the step understood.
pub fn confirmation(c: &Confirmation) -> String {
    match c {
        Confirmation::None => String::new(),
        Confirmation::Birth { birth, age } => format!(
            "{}（{}）　{}",
            to_wareki(*birth),
            jp_date::year(*birth),
            age.map_or_else(
                || "まだ生まれていない日です".to_owned(),
                |a| format!("{a}歳")
            )
        ),
        Confirmation::NoSuchDate {
            era,
            year,
            month,
            day,
        } => format!("{}{year}年{month}月{day}日", era.name()),
        Confirmation::Town(town) => town.clone(),
        Confirmation::Phone(phone) => phone.clone(),
        Confirmation::Registered => {
            "登録しました。ご本人のカードをリーダーにタッチしてください。".into()
        }
    }
}

/// The era picker's buttons, in [`Era::ALL`]'s order.
pub fn eras() -> Vec<&'static str> {
    Era::ALL.iter().map(|e| e.name()).collect()
}

/// A birth-date part's value as the stepper shows it (元年 for year 1).
pub fn date_value(part: DatePart, value: u32) -> String {
    match part {
        DatePart::Year if value == 1 => "元年".into(),
        DatePart::Year => format!("{value}年"),
        DatePart::Month => format!("{value}月"),
        DatePart::Day => format!("{value}日"),
    }
}

/// What a stepper changes: 年, 月, 日.
pub fn date_part(part: DatePart) -> &'static str {
    match part {
        DatePart::Year => "年",
        DatePart::Month => "月",
        DatePart::Day => "日",
    }
}

/// A stepper button's text: 「−」, 「＋」, 「−10」, 「＋10」.
pub fn step_text(delta: i32) -> String {
    let sign = if delta < 0 { "−" } else { "＋" };
    match delta.unsigned_abs() {
        1 => sign.into(),
        n => format!("{sign}{n}"),
    }
}

/// A stepper button's accessible label: 「年を1減らす」.
pub fn step_label(part: DatePart, delta: i32) -> String {
    let verb = if delta < 0 { "減らす" } else { "増やす" };
    format!("{}を{}{verb}", date_part(part), delta.unsigned_abs())
}

// ---- the name entry ----

/// The name entry's fixed words (its tool buttons and their labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameWords {
    /// Leaves the name entry (back to the step or the record).
    pub back: &'static str,
    /// The candidates' previous page.
    pub prev: &'static str,
    /// Read out for [`NameWords::prev`].
    pub prev_label: &'static str,
    /// The candidates' next page.
    pub next: &'static str,
    /// Read out for [`NameWords::next`].
    pub next_label: &'static str,
    /// Shows the variants of the picked characters (髙 for 高 …).
    pub variants: &'static str,
    /// Keeps the rest of the reading in hiragana, as written.
    pub hiragana: &'static str,
    /// Read out for [`NameWords::hiragana`].
    pub hiragana_label: &'static str,
    /// Keeps the rest of the reading in katakana, as written.
    pub katakana: &'static str,
    /// Read out for [`NameWords::katakana`].
    pub katakana_label: &'static str,
    /// Takes the last pick back.
    pub undo: &'static str,
    /// Read out for [`NameWords::undo`].
    pub undo_label: &'static str,
    /// Read out for the guide line above the candidates.
    pub guide: &'static str,
}

/// The name entry's fixed words.
pub const NAME_WORDS: NameWords = NameWords {
    back: "もどる",
    prev: "◀ 前",
    prev_label: "前の候補",
    next: "次 ▶",
    next_label: "次の候補",
    variants: "異体字",
    hiragana: "ひらがな",
    hiragana_label: "ひらがなのまま",
    katakana: "カタカナ",
    katakana_label: "カタカナのまま",
    undo: "1つ消す",
    undo_label: "1つもどす",
    guide: "案内",
};

/// The registration's captions of the two name fields.
pub const NAME_CAPTION: &str = "氏名";
/// The furigana field's caption.
pub const KANA_CAPTION: &str = "ふりがな";

/// The mode button: what it switches to, and its label.
pub fn mode_button(one_by_one: bool) -> (&'static str, &'static str) {
    if one_by_one {
        ("名前で", "名前で選ぶ")
    } else {
        ("1字ずつ", "1字ずつ選ぶ")
    }
}

/// The written-name field: the name so far and, while picking, the
/// reading still to be written out.
pub fn written_line(name: &str, rest: &str, picking: bool) -> String {
    if picking && !rest.is_empty() {
        format!("{name}　のこり「{rest}」")
    } else {
        name.to_owned()
    }
}

/// The guide line under the fields with the candidates' page, when there
/// is more than one.
pub fn with_page(guide: &str, page: usize, pages: usize) -> String {
    format!("{guide}（{}/{pages}）", page + 1)
}

/// The name correction's guide starts with the name on record.
pub fn on_record(name: &str, hint: &str) -> String {
    format!("いまの氏名: {name}。{hint}")
}

/// The name step before any furigana is typed.
pub const HINT_TYPE_KANA: &str = "ふりがなを入力してください（姓と名のあいだに空白）。";
/// Furigana typed: how to go on to the written form.
pub const HINT_TO_NAME: &str = "入力できたら「氏名」を押して、書き方を選びます。";
/// 「氏名」 pressed before any furigana.
pub const HINT_KANA_FIRST: &str = "先にふりがなを入力してください。";
/// The variants are shown.
pub const HINT_VARIANT: &str = "異体字を選ぶと、その字が入れ替わります。";
/// The whole reading is written out: check it against the ID.
pub const HINT_DONE: &str = "氏名ができました。身分証と同じか確かめてください。";
/// One kanji at a time: pick the rest's first character.
pub const HINT_ONE_BY_ONE: &str = "のこりの読みの、最初の字を選んでください。";
/// No whole name reads so: go one kanji at a time.
pub const HINT_NOT_IN_DICTIONARY: &str =
    "この読みは名前の辞書にありません。「1字ずつ」で選んでください。";
/// Whole names are offered for the rest of the reading.
pub const HINT_PICK: &str = "のこりの読みの書き方を、身分証と同じものから選んでください。";
/// 「次へ」 while part of the reading is still unwritten.
pub const NAME_HALF_DONE: &str =
    "氏名の書き方がまだ途中です。「氏名」を押して、のこりを選んでください。";
/// 「次へ」 before any written form was picked.
pub const NAME_NOT_PICKED: &str = "「氏名」を押して、ふりがなから氏名の書き方を選んでください。";

/// The postal code or phone number as typed, with the cursor.
pub fn entry_line(typed: &str) -> String {
    format!("{typed}｜")
}
