//! Every sentence and label of the search, the record, its corrections,
//! its deletion and its cards, in one place.

use chrono::NaiveDate;

use crate::eligibility::Rules;
use crate::eligibility::{self, PhoneNumber, to_wareki};
use crate::jp_date;
use crate::store::participants::Participant;

// ---- title bars ----

/// The title bar over the search's results.
pub const RESULTS_HEADER: &str = "さがした結果";
/// The title bar over a record.
pub const RECORD_HEADER: &str = "記録";
/// The title bar over 「直す・消す」.
pub const EDIT_MENU_HEADER: &str = "記録を直す・消す";
/// The title bar over the record's cards.
pub const CARDS_HEADER: &str = "カードの登録";
/// Applying to a lottery class on the person's behalf (the list's words
/// are the classes flow's).
pub const CLASSES_HEADER: &str = "教室に申し込む（ご本人に代わって）";

// ---- search ----

/// Back one screen.
pub const BACK: &str = "もどる";
/// The search field's caption when searching by furigana.
pub const KANA_CAPTION: &str = "ふりがな";
/// The search field's caption when searching by phone.
pub const PHONE_CAPTION: &str = "電話番号";
/// The switch between the two ways to search, as it reads in each.
pub const TO_KANA: &str = "かなで";
/// The switch's text while searching by furigana.
pub const TO_PHONE: &str = "電話で";
/// Read out for the switch between the two ways to search.
pub const TOGGLE_LABEL: &str = "探し方の切り替え";
/// Runs the search.
pub const SEARCH: &str = "さがす";
/// Read out for [`SEARCH`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const SEARCH_LABEL: &str = "この内容でさがす";
/// The accessible label of the guide line.
pub const GUIDE_LABEL: &str = "案内";
/// Above the results.
pub const CHOOSE_PERSON: &str = "ご本人を選んでください";
/// A search with no hit.
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

/// Read out for the record's text.
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

/// Checks the person in by hand although the record says to check the ID again.
pub const CHECK_IN_ANYWAY: &str = "それでも受付する";
/// Leaves without doing it.
pub const CANCEL: &str = "やめる";
/// Opens 「直す・消す」 on the record.
pub const EDIT_MENU: &str = "直す・消す";
/// Opens the record's cards.
pub const CARDS: &str = "カード";
/// Checks the person's ID again (the registration wizard's re-check).
pub const REVERIFY: &str = "本人確認をやり直す";
/// Applies to a lottery class on the person's behalf.
pub const APPLY: &str = "教室に申し込む";

// ---- the edit menu ----

/// The edit menu's heading.
pub const CHOOSE_FIELD: &str = "直すところを選んでください";
/// Corrects the name and its furigana.
pub const EDIT_NAME: &str = "氏名・ふりがなを直す";
/// Corrects the phone number.
pub const EDIT_PHONE: &str = "電話を直す";
/// Corrects the address on record.
pub const EDIT_ADDRESS: &str = "住所を直す";
/// Takes an address (only lottery classes need one).
pub const ADD_ADDRESS: &str = "住所を入れる";
/// Removes the address on record.
pub const REMOVE_ADDRESS: &str = "住所を消す";
/// Why the address is taken only for lottery classes.
pub const ADDRESS_RULE: &str = "住所は抽選のある教室に申し込むときだけ記録します。";
/// Writes the record's disclosure PDF to a stick (開示).
pub const DISCLOSE: &str = "開示用PDF";
/// Read out for [`DISCLOSE`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const DISCLOSE_LABEL: &str = "開示用PDFをUSBメモリに";
/// Deletes the record (after a question).
pub const DELETE: &str = "記録を消す";
/// An address cannot be entered: no postal code on record to give the town.
pub const NO_TOWN: &str =
    "町名がわかりません。先に「本人確認をやり直す」で郵便番号を記録してください。";

// ---- corrections ----

/// Saves the correction.
pub const CORRECT: &str = "訂正する";
/// The phone correction's field caption.
pub const NEW_PHONE: &str = "新しい電話番号";
/// The block number's caption, before its town.
pub const BLOCK_CAPTION_PREFIX: &str = "番地";
/// The block number's caption, with the town it belongs to.
pub fn block_caption(town: &str) -> String {
    format!("{BLOCK_CAPTION_PREFIX}（{town}）")
}
/// The room number's caption.
pub const ROOM_CAPTION: &str = "部屋番号";
/// On from the numbers to the building's name.
pub const TO_BUILDING: &str = "次へ";
/// Read out for [`TO_BUILDING`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const TO_BUILDING_LABEL: &str = "建物名へ";
/// The building's name, as written.
pub const BUILDING_CAPTION: &str = "建物名";
/// The building's name, its reading.
pub const BUILDING_KANA_CAPTION: &str = "建物名のよみ";
/// The building step's button: applying to a class, or saving the address.
pub const APPLY_WITH_ADDRESS: &str = "申し込む";
/// Saves the address.
pub const SAVE_ADDRESS: &str = "保存する";
/// 「訂正する」 on a name that did not change.
pub const NOTHING_CHANGED: &str =
    "変更がありません。ふりがなを直すか、「氏名」を押して書き方を選んでください。";
/// A correction was saved.
pub const CORRECTED: &str = "訂正しました。";
/// The address was removed.
pub const ADDRESS_REMOVED: &str = "住所を消しました。";

// ---- deletion ----

/// The confirmation's question, with the name on record.
pub fn delete_question(name: &str) -> String {
    format!("{name} さんの記録を消しますか")
}
/// Read out for the deletion's question.
pub const DELETE_QUESTION_LABEL: &str = "記録を消しますか";
/// What deleting takes away, and when it is done.
pub const DELETE_EXPLAINED: &str = "登録、受付の記録、抽選の申し込み、結び付けたカードがすべて消え、元に戻せません。ご本人の申し出か、区外に転出されたときに消します。";
/// Deletes, once asked.
pub const DELETE_CONFIRM: &str = "消す";
/// Read out for [`DELETE_CONFIRM`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const DELETE_CONFIRM_LABEL: &str = "記録を消す（元に戻せません）";
/// The record was deleted.
pub const DELETED: &str = "記録を消しました。";

// ---- cards ----

/// A linked card: its number on the list and when and by whom it was linked.
pub fn card(number: usize, linked: &str) -> String {
    format!("カード {number}：{linked}")
}
/// A record with no card.
pub const NO_CARDS: &str = "カードは登録されていません。";
/// Takes a lost card off the record (it no longer checks in).
pub const UNLINK: &str = "カードの登録を解除";
/// Replaces a card with a new one.
pub const REPLACE: &str = "新しいカードに替える";
/// Links one more card.
pub const ADD_CARD: &str = "カードを追加";
/// Waiting for the card to add.
pub const TOUCH_CARD: &str = "カードをリーダーにタッチしてください";
/// Waiting for the new card that replaces one.
pub const TOUCH_NEW_CARD: &str = "新しいカードをリーダーにタッチしてください。";
/// A card was taken off.
pub const UNLINKED: &str = "カードの登録を解除しました。このカードでは受付できません。";
/// A card was replaced.
pub const REPLACED: &str = "新しいカードに替えました。前のカードでは受付できません。";
/// A card was linked.
pub const LINKED: &str = "カードを登録しました。";
/// A tap the store refused: its reason and the way out.
pub fn card_refused(reason: &str) -> String {
    format!("{reason} 別のカードをタッチするか、「{BACK}」を押してください。")
}
