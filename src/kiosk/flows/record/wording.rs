//! Every sentence and label of the search, the record, its corrections,
//! its deletion and its cards, in one place.

use chrono::NaiveDate;

use crate::eligibility::Rules;
use crate::eligibility::{self, PhoneNumber, to_wareki};
use crate::jp_date;
use crate::store::participants::Participant;

// ---- title bars ----

pub const RESULTS_HEADER: &str = "さがした結果";
pub const RECORD_HEADER: &str = "記録";
pub const EDIT_MENU_HEADER: &str = "記録を直す・消す";
pub const CARDS_HEADER: &str = "カードの登録";
/// Applying to a lottery class on the person's behalf (the list's words
/// are the classes flow's).
pub const CLASSES_HEADER: &str = "教室に申し込む（ご本人に代わって）";

// ---- search ----

pub const BACK: &str = "もどる";
pub const KANA_CAPTION: &str = "ふりがな";
pub const PHONE_CAPTION: &str = "電話番号";
/// The switch between the two ways to search, as it reads in each.
pub const TO_KANA: &str = "かなで";
pub const TO_PHONE: &str = "電話で";
pub const TOGGLE_LABEL: &str = "探し方の切り替え";
pub const SEARCH: &str = "さがす";
pub const SEARCH_LABEL: &str = "この内容でさがす";
/// The accessible label of the guide line.
pub const GUIDE_LABEL: &str = "案内";
/// Above the results.
pub const CHOOSE_PERSON: &str = "ご本人を選んでください";
pub const NOT_FOUND: &str = "見つかりませんでした。";

/// A search hit: the kana and the birth year, enough to pick the right
/// person (members from the ward's roster have no birth date).
pub fn hit(kana: &str, birth: Option<NaiveDate>) -> String {
    match birth {
        Some(b) => format!("{kana}（{}生まれ）", jp_date::year(b)),
        None => format!("{kana}（生年月日の登録なし）"),
    }
}

// ---- the record ----

pub const RECORD_LABEL: &str = "記録";

/// The record as shown: name, birth date and age, address (or the town),
/// phone, the last identity check.
pub fn record_text(p: &Participant, town: Option<&str>, today: NaiveDate, rules: &Rules) -> String {
    let mut text = format!("{}（{}）\n", p.name.as_str(), p.kana.as_str());
    if let Some(b) = p.birth_date {
        let age = eligibility::age_on(b, today).map_or_else(String::new, |a| format!("　{a}歳"));
        text.push_str(&format!("生年月日: {}{age}\n", to_wareki(b)));
    }
    match (&p.address, town) {
        (Some(a), _) => text.push_str(&format!("住所: {}\n", a.as_str())),
        (None, Some(t)) => text.push_str(&format!("住所（町名まで）: {t}\n")),
        (None, None) => {}
    }
    let phone = PhoneNumber::parse(&p.phone).map_or_else(|_| p.phone.to_string(), |n| n.display());
    text.push_str(&format!("電話: {phone}\n"));
    if let Some(v) = p.verified_on {
        let due = eligibility::reverification_due(v, today, rules);
        text.push_str(&format!(
            "本人確認: {}{}",
            jp_date::ymd(v),
            if due {
                "（やり直しの時期です）"
            } else {
                ""
            }
        ));
    }
    text
}

/// A session's check-in-by-hand button.
pub fn check_in_to(title: &str) -> String {
    format!("{title}に受付")
}

/// A lottery class session the person holds no seat in: the store's reason
/// and what staff may do.
pub fn no_seat(reason: &str) -> String {
    format!(
        "{reason}当選者の付き添いや、繰り上げがまだ記録されていないときは「{CHECK_IN_ANYWAY}」を押してください。"
    )
}

pub const CHECK_IN_ANYWAY: &str = "それでも受付する";
pub const CANCEL: &str = "やめる";
pub const EDIT_MENU: &str = "直す・消す";
pub const CARDS: &str = "カード";
pub const REVERIFY: &str = "本人確認をやり直す";
pub const APPLY: &str = "教室に申し込む";

// ---- the edit menu ----

pub const CHOOSE_FIELD: &str = "直すところを選んでください";
pub const EDIT_NAME: &str = "氏名・ふりがなを直す";
pub const EDIT_PHONE: &str = "電話を直す";
pub const EDIT_ADDRESS: &str = "住所を直す";
pub const ADD_ADDRESS: &str = "住所を入れる";
pub const REMOVE_ADDRESS: &str = "住所を消す";
pub const ADDRESS_RULE: &str = "住所は抽選のある教室に申し込むときだけ記録します。";
pub const DISCLOSE: &str = "開示用PDF";
pub const DISCLOSE_LABEL: &str = "開示用PDFをUSBメモリに";
pub const DELETE: &str = "記録を消す";
pub const NO_TOWN: &str =
    "町名がわかりません。先に「本人確認をやり直す」で郵便番号を記録してください。";

// ---- corrections ----

pub const CORRECT: &str = "訂正する";
pub const NEW_PHONE: &str = "新しい電話番号";
pub const BLOCK_CAPTION_PREFIX: &str = "番地";
/// The block number's caption, with the town it belongs to.
pub fn block_caption(town: &str) -> String {
    format!("{BLOCK_CAPTION_PREFIX}（{town}）")
}
pub const ROOM_CAPTION: &str = "部屋番号";
pub const TO_BUILDING: &str = "次へ";
pub const TO_BUILDING_LABEL: &str = "建物名へ";
pub const BUILDING_CAPTION: &str = "建物名";
pub const BUILDING_KANA_CAPTION: &str = "建物名のよみ";
/// The building step's button: applying to a class, or saving the address.
pub const APPLY_WITH_ADDRESS: &str = "申し込む";
pub const SAVE_ADDRESS: &str = "保存する";
pub const NOTHING_CHANGED: &str =
    "変更がありません。ふりがなを直すか、「氏名」を押して書き方を選んでください。";
pub const CORRECTED: &str = "訂正しました。";
pub const ADDRESS_REMOVED: &str = "住所を消しました。";

// ---- deletion ----

/// The confirmation's question, with the name on record.
pub fn delete_question(name: &str) -> String {
    format!("{name} さんの記録を消しますか")
}
pub const DELETE_QUESTION_LABEL: &str = "記録を消しますか";
pub const DELETE_EXPLAINED: &str = "登録、受付の記録、抽選の申し込み、結び付けたカードがすべて消え、元に戻せません。ご本人の申し出か、区外に転出されたときに消します。";
pub const DELETE_CONFIRM: &str = "消す";
pub const DELETE_CONFIRM_LABEL: &str = "記録を消す（元に戻せません）";
pub const DELETED: &str = "記録を消しました。";

// ---- cards ----

/// A linked card: its number on the list and when and by whom it was linked.
pub fn card(number: usize, linked: &str) -> String {
    format!("カード {number}：{linked}")
}
pub const NO_CARDS: &str = "カードは登録されていません。";
pub const UNLINK: &str = "カードの登録を解除";
pub const REPLACE: &str = "新しいカードに替える";
pub const ADD_CARD: &str = "カードを追加";
pub const TOUCH_CARD: &str = "カードをリーダーにタッチしてください";
pub const TOUCH_NEW_CARD: &str = "新しいカードをリーダーにタッチしてください。";
pub const UNLINKED: &str = "カードの登録を解除しました。このカードでは受付できません。";
pub const REPLACED: &str = "新しいカードに替えました。前のカードでは受付できません。";
pub const LINKED: &str = "カードを登録しました。";
/// A tap the store refused: its reason and the way out.
pub fn card_refused(reason: &str) -> String {
    format!("{reason} 別のカードをタッチするか、「{BACK}」を押してください。")
}
