//! Every sentence and label of 「グループの受付」, in one place.

use super::{MemberRow, Notice};
use crate::eligibility::PhoneNumber;
use crate::store::attendance::CheckInOutcome;
use crate::store::groups::GroupMeeting;

/// The Today screen's button (two short lines: seven buttons share 800 px).
pub const OPEN: &str = "グループ\n見守り";
/// Its accessible label.
pub const OPEN_LABEL: &str = "グループ・見守り";
/// The title bar of 「グループ・見守り」.
pub const MENU_TITLE: &str = "グループの受付・見守り";
/// Above today's meetings: what choosing one does.
pub const MENU_GUIDE: &str = "今日集まるグループを選ぶと、会員の一覧が出ます。";
/// No group meets today.
pub const NO_MEETINGS: &str = "今日集まるグループはありません。";
/// The button to the 見守り list.
pub const WATCH: &str = "おやすみが続いている方";
/// Leaves the screen, back one level.
pub const BACK: &str = "もどる";
/// The member list's previous page.
pub const PREV: &str = "前へ";
/// The member list's next page.
pub const NEXT: &str = "次へ";
/// Hands the member list to the group's representative (representative mode).
pub const HAND_OVER: &str = "代表者にわたす";
/// Ends representative mode (a staff sign-in follows).
pub const HAND_BACK: &str = "スタッフにもどす";
/// A member already checked in.
pub const CHECKED_IN: &str = "受付済み";
/// A member not checked in yet.
pub const NOT_YET: &str = "まだ";
/// A member with a card linked.
pub const CARD: &str = "カードあり";
/// A member with no card (staff check them in on this list).
pub const NO_CARD: &str = "カードなし";
/// A group whose roster has nobody yet.
pub const NO_MEMBERS: &str = "このグループには会員がいません（区の名簿を取り込むと出ます）。";
/// Above the member list for staff.
pub const STAFF_GUIDE: &str = "来た方の行を押すと受付します（カードを持っていない方など）。";
/// Above the member list in the representative's hands.
pub const REPRESENTATIVE_GUIDE: &str =
    "来た方の行を押すと受付します。終わったら「スタッフにもどす」を押してください。";
/// 「代表者にわたす」 for a group with no representative on record.
pub const NO_REPRESENTATIVE: &str = "代表者が決まっていないため、代表者にはわたせません。";

/// Above the sign-in form that ends representative mode.
pub const HAND_BACK_SIGN_IN: &str =
    "代表者の受付を終わります。スタッフのIDとパスワードを入力してください。";

/// The header over a group's member list.
pub fn list_title(group: &str) -> String {
    format!("グループの受付　{group}")
}

/// The header over the representative's list.
pub fn representative_title(group: &str) -> String {
    format!("{group}　代表者の受付")
}

/// A meeting on the menu: time, group, room, head count.
pub fn meeting_label(m: &GroupMeeting) -> String {
    format!(
        "{}〜{}　{}（{}）　{}人",
        m.start.format("%-H:%M"),
        m.end.format("%-H:%M"),
        m.name,
        m.room,
        m.attendance
    )
}

/// Above the member list: the meeting and its head count.
pub fn list_summary(m: &GroupMeeting, members: usize) -> String {
    format!(
        "{}〜{}　{}　会員{}人のうち{}人受付済み",
        m.start.format("%-H:%M"),
        m.end.format("%-H:%M"),
        m.room,
        members,
        m.attendance
    )
}

/// A row's phone as written for a call, or empty (representative mode).
pub fn phone(row: &MemberRow) -> String {
    match &row.phone {
        Some(p) => PhoneNumber::parse(p).map_or_else(|_| p.to_string(), |n| n.display()),
        None => String::new(),
    }
}

/// The row's accessible label (what a test or a screen reader presses).
pub fn row_label(row: &MemberRow) -> String {
    format!("{}（{}）", row.name.as_str(), row.kana.as_str())
}

/// A row's check-in mark ([`CHECKED_IN`] or [`NOT_YET`]).
pub fn status(row: &MemberRow) -> &'static str {
    if row.checked_in { CHECKED_IN } else { NOT_YET }
}

/// A row's card mark ([`CARD`] or [`NO_CARD`]).
pub fn card(row: &MemberRow) -> &'static str {
    if row.has_card { CARD } else { NO_CARD }
}

/// "1/3" when the list has more than one page, else empty.
pub fn page(page: usize, pages: usize) -> String {
    if pages > 1 {
        format!("{}/{}", page + 1, pages)
    } else {
        String::new()
    }
}

/// What the last tap came to, and whether it is a warning.
pub fn notice(n: &Notice) -> (String, bool) {
    match n {
        Notice::CheckedIn(kana) => (format!("{} さんを受付しました。", kana.as_str()), false),
        Notice::AlreadyCheckedIn(kana) => (
            format!("{} さんは、もう受付が済んでいます。", kana.as_str()),
            false,
        ),
        Notice::Refused(o) => (refused(o), true),
        Notice::Failed(m) => (format!("受付できませんでした。{m}"), true),
    }
}

/// A refusal of the check-in rules, in staff's words.
fn refused(o: &CheckInOutcome) -> String {
    match o {
        CheckInOutcome::ReverificationDue { .. } => {
            "本人確認の時期のため、受付できませんでした。窓口で保険証などを確かめてください。"
                .into()
        }
        CheckInOutcome::NotEligible { .. } => {
            "60歳になる前のため、受付できませんでした。窓口で確かめてください。".into()
        }
        other => format!("受付できませんでした。{}", other.message()),
    }
}
